"""The ontology, the closed namespace and the installed files agree."""

import subprocess
import sys
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from chainmodel.namespace import CHAINMODEL_NS, CM
from chainmodel.resources import ONTOLOGY_FILES, ontology_path

ONTOLOGY = Path("ontologies/chainmodel.ttl")


def ontology_terms():
    graph = Graph().parse(ONTOLOGY)
    return graph, {str(s)[len(CHAINMODEL_NS):] for s in graph.subjects() if str(s).startswith(CHAINMODEL_NS)}


def test_namespace_and_ontology_agree_term_for_term():
    _, terms = ontology_terms()
    assert set(CM.__annotations__) == terms


def test_namespace_is_closed():
    import pytest

    with pytest.raises(AttributeError):
        CM.Consignmnet  # noqa: B018 - a typo must fail


def test_every_term_has_english_and_japanese_label_and_comment():
    graph, terms = ontology_terms()
    for term in terms:
        iri = URIRef(CHAINMODEL_NS + term)
        for predicate in (RDFS.label, RDFS.comment):
            languages = {o.language for o in graph.objects(iri, predicate)}
            assert {"en", "ja"} <= languages, f"{term} lacks {predicate} in en or ja"


def test_alignment_to_standard_vocabularies():
    graph, _ = ontology_terms()
    assert (CM.Consignment, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Delegation")) in graph
    assert (CM.ReConsignee, URIRef("http://www.w3.org/2004/02/skos/core#closeMatch"), URIRef("https://w3id.org/dpv#DataSubProcessor")) in graph
    assert (CM.consignsTo, RDFS.subPropertyOf, URIRef("http://www.w3.org/ns/org#linkedTo")) in graph


def test_package_loads_the_same_bytes_as_the_repository():
    for name in ONTOLOGY_FILES:
        assert ontology_path(name).read_bytes() == (Path("ontologies") / name).read_bytes()


def test_installed_package_finds_the_ontology_from_elsewhere(tmp_path):
    code = "from chainmodel.resources import ontology_path; print(ontology_path('shapes.ttl').read_bytes().__len__())"
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == len(Path("ontologies/shapes.ttl").read_bytes())
