"""The storage backends (chainmodel.store) answer like an rdflib Graph.

Every analysis reads a model through ``subject_objects``, ``objects``, ``subjects``,
``triples``, ``len``, ``in`` and iteration (and ``terms_used`` where a backend has it).
Here the same small model sits in an rdflib Graph, in an in-memory Oxigraph store
(:class:`OxigraphGraph`) and behind a SPARQL endpoint (:class:`EndpointGraph`, a stand-in
server on 127.0.0.1 that answers each query from an Oxigraph store), and every call must
give the same terms: IRIs, blank nodes, language tags and datatypes. ``test_backends.py``
compares whole commands over a real store and a real Oxigraph server;
``test_issue_010_endpoint.py`` the endpoint's bounds.
"""

from __future__ import annotations

import socket

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from chainmodel.errors import InputError
from chainmodel.model import ChainModel
from chainmodel.namespace import CHAINMODEL_NS
from chainmodel.endpoint import EndpointGraph
from chainmodel.store import OxigraphGraph, as_rdflib, open_store
from chainmodel.views import chain_view, terms_used
from inline import CM, EX, PREFIXES
from test_issue_010_endpoint import Endpoint

MODEL = PREFIXES + """
ex:x a cm:Organisation ; rdfs:label "insurer X"@en , "保険者X"@ja .
ex:v a cm:Organisation , ex:Vendor ; rdfs:label "vendor" .
ex:c a cm:Consignment ; cm:consignor ex:x ; cm:consignee ex:v ; cm:entrustsData ex:records ; cm:tier 1 .
ex:records a cm:DataAsset ; cm:subjectCount 1500 ; cm:controller ex:x ; cm:sensitive true ;
    cm:countFor [ cm:principal ex:x ; cm:count 600 ] , [ cm:principal ex:v ; cm:count 40 ] .
ex:laptop a cm:Device ; cm:portable true ; cm:heldBy ex:v .
ex:k a cm:DataCopy ; cm:copyOf ex:records ; cm:storedOn ex:laptop ; cm:startDate "2025-04-25"^^xsd:date .
ex:check a cm:DetectiveControl ; cm:operatedBy ex:x ; cm:covers ex:laptop ;
    cm:detectionLatency "P3M"^^xsd:duration ; cm:limitation "only monthly"@en .
"""
X, V, COUNT_FOR = URIRef(EX + "x"), URIRef(EX + "v"), URIRef(CM + "countFor")


def oxigraph_store() -> ox.Store:
    store = ox.Store()
    store.load(MODEL.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    return store


def serving(store: ox.Store) -> Endpoint:
    """A stand-in endpoint on 127.0.0.1 that answers each query from ``store``, as a server would."""
    server = Endpoint()

    def answer(handler):
        results = store.query(server.queries[-1])
        handler.json(None, raw=results.serialize(format=ox.QueryResultsFormat.JSON))

    server.answer = answer
    return server


@pytest.fixture(scope="module")
def endpoint():
    server = serving(oxigraph_store())
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def reference() -> Graph:
    return Graph().parse(data=MODEL, format="turtle")


@pytest.fixture(scope="module", params=["oxigraph", "endpoint"])
def backend(request):
    if request.param == "oxigraph":
        return OxigraphGraph(oxigraph_store())
    return EndpointGraph(request.getfixturevalue("endpoint").url, timeout=20)


def plain(term):
    """A term with any blank node made anonymous (stores name blank nodes their own way)."""
    return "_:" if isinstance(term, BNode) else term


def rows(found) -> list:
    return sorted((tuple(plain(t) for t in row) if isinstance(row, tuple) else plain(row) for row in found), key=repr)


@pytest.mark.parametrize("predicate", [RDF.type, RDFS.label, URIRef(CM + "subjectCount"), URIRef(CM + "startDate"),
                                       URIRef(CM + "detectionLatency"), COUNT_FOR, URIRef(CM + "count"),
                                       URIRef(CM + "sensitive"), URIRef(EX + "nothing")])
def test_subject_objects_gives_the_same_terms(backend, reference, predicate):
    assert rows(backend.subject_objects(predicate)) == rows(reference.subject_objects(predicate))


def test_literals_keep_their_language_and_datatype(backend):
    labels = set(backend.objects(X, RDFS.label))
    assert labels == {Literal("insurer X", lang="en"), Literal("保険者X", lang="ja")}
    (plain_label,) = backend.objects(V, RDFS.label)
    assert plain_label == Literal("vendor") and plain_label.datatype is None
    (count,) = backend.objects(URIRef(EX + "records"), URIRef(CM + "subjectCount"))
    assert (count, count.datatype, count.toPython()) == (Literal(1500), XSD.integer, 1500)
    (date,) = backend.objects(URIRef(EX + "k"), URIRef(CM + "startDate"))
    assert date.datatype == XSD.date and str(date) == "2025-04-25"
    (latency,) = backend.objects(URIRef(EX + "check"), URIRef(CM + "detectionLatency"))
    assert (str(latency), latency.datatype) == ("P3M", XSD.duration)


def test_objects_of_a_blank_node_are_found_through_the_backend_s_own_name_for_it(backend, reference):
    def shares(graph):
        return sorted((str(next(graph.objects(node, URIRef(CM + "principal")))),
                       next(graph.objects(node, URIRef(CM + "count"))).toPython())
                      for _, node in graph.subject_objects(COUNT_FOR))

    assert shares(backend) == shares(reference) == [(EX + "v", 40), (EX + "x", 600)]


def test_subjects_and_objects_of_a_pattern(backend, reference):
    for predicate, value in ((RDF.type, URIRef(CM + "Organisation")), (URIRef(CM + "heldBy"), V),
                             (RDFS.label, Literal("vendor")), (RDFS.label, Literal("insurer X", lang="en"))):
        assert rows(backend.subjects(predicate, value)) == rows(reference.subjects(predicate, value))
    assert rows(backend.objects(URIRef(EX + "c"), RDF.type)) == [URIRef(CM + "Consignment")]


def test_triples_membership_length_and_iteration(backend, reference):
    assert len(backend) == len(reference) == 33
    assert rows(backend) == rows(reference)
    assert rows(backend.triples((X, None, None))) == rows(reference.triples((X, None, None)))
    assert rows(backend.triples((None, URIRef(CM + "consignor"), None))) == [(URIRef(EX + "c"), URIRef(CM + "consignor"), X)]
    assert (URIRef(EX + "c"), URIRef(CM + "consignee"), V) in backend
    assert (URIRef(EX + "c"), URIRef(CM + "consignee"), X) not in backend
    assert (None, URIRef(CM + "covers"), None) in backend
    assert (None, URIRef(CM + "extends"), None) not in backend


def test_terms_used_inside_the_backend_are_those_read_triple_by_triple(backend, reference):
    assert frozenset(backend.terms_used(CHAINMODEL_NS)) == terms_used(reference)
    assert EX + "Vendor" in terms_used(reference)  # a class of the model's own, named by rdf:type
    assert terms_used(backend) == terms_used(reference)


def test_a_view_over_each_backend_holds_the_same_records(backend, reference):
    over, expected = chain_view(ChainModel(graph=backend)), chain_view(ChainModel(graph=reference))
    for table in ("parties", "consignments", "assets", "copies", "devices", "controls", "failure_modes"):
        assert getattr(over, table) == getattr(expected, table), table
    assert over.types == expected.types


def test_as_rdflib_copies_a_backend_and_refuses_past_its_limit(backend, reference):
    copy = as_rdflib(backend)
    assert isinstance(copy, Graph) and len(copy) == len(reference)
    assert as_rdflib(reference) is reference
    assert as_rdflib(backend, limit=32) is None and len(as_rdflib(backend, limit=33)) == 33


def test_each_endpoint_call_is_one_select(endpoint):
    graph = EndpointGraph(endpoint.url, timeout=20)
    before = len(endpoint.queries)
    list(graph.subject_objects(RDFS.label))
    len(graph)
    asked = endpoint.queries[before:]
    assert len(asked) == 2 and all(query.lstrip().upper().startswith("SELECT") for query in asked)
    assert graph.bulk_reads


@pytest.mark.parametrize("url", ["ftp://example.org/sparql", "example.org/sparql", "http://"])
def test_an_endpoint_that_is_no_http_url_is_an_input_error(url):
    with pytest.raises(InputError, match="http:// or https://"):
        EndpointGraph(url)


def test_an_endpoint_that_does_not_answer_is_an_input_error_naming_it():
    with socket.socket() as sock:  # a port of this machine that nothing listens on once it is closed
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/query"
    with pytest.raises(InputError, match=rf"{url}: the endpoint did not answer .*check the URL"):
        len(EndpointGraph(url, timeout=5))


def test_a_store_is_named_oxigraph_dir_and_must_exist(tmp_path):
    with pytest.raises(InputError, match="oxigraph:DIR"):
        open_store(str(tmp_path))
    with pytest.raises(InputError, match="chainmodel load"):
        open_store(f"oxigraph:{tmp_path / 'none'}")


def test_a_folder_that_is_not_a_store_is_refused_with_what_to_do_instead(tmp_path):
    """Review: the message advised 'chainmodel load ... --store oxigraph:FOLDER', which load then
    refuses for a folder holding other files."""
    from chainmodel.errors import InputError
    from chainmodel.store import open_store

    (tmp_path / "readme.txt").write_text("notes", encoding="utf-8")
    with pytest.raises(InputError, match="not an Oxigraph store .*; give a folder 'chainmodel load' made, or build a "
                                         "store in a new folder: chainmodel load MODEL... --store oxigraph:NEW-FOLDER"):
        open_store(f"oxigraph:{tmp_path}")
