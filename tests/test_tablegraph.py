"""Reading model files into tables (chainmodel.tablegraph) answers exactly as rdflib does.

Differential tests: the same files are read into an rdflib Graph and into a TableGraph; the
triples, every reading call the analyses make, the refusals and errors, and every command's
output (JSON and text) must be the same, on the examples, generated models and damaged
models (random triples removed, random ones added, as in test_robustness).
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from rdflib import BNode, Literal, URIRef
from rdflib import namespace as ns

from chainmodel import cli as cli_module
from chainmodel.cli import cli
from chainmodel.errors import ChainModelError
from chainmodel.generate import write_model
from chainmodel.loading import load_graph
from chainmodel.model import load_model
from chainmodel.tablegraph import TableGraph, read_tables
from chainmodel.views import chain_view, terms_used
from inline import damaged

EXAMPLES = ["examples/case-a-laptop", "examples/case-b-optout", "examples/illustrative-usb"]
ODD_VALUES = [Literal("x"), Literal("-1", datatype=ns.XSD.integer), Literal("abc", datatype=ns.XSD.integer),
              Literal("TRUE", datatype=ns.XSD.boolean), Literal("P1M", datatype=ns.XSD.duration),
              Literal("2025-01-01", datatype=ns.XSD.date), Literal("Ja", lang="JA"), URIRef("urn:x:nothing"),
              BNode("loose")]
ODD_MODEL = """\
@prefix cm: <https://w3id.org/chainmodel#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix ex: <urn:example:> .
ex:p1 a cm:Organisation ; rdfs:label "P1"@en , "P1"@EN , "ピー1"@ja .
ex:p2 a cm:Organisation , cm:Organisation ; rdfs:comment "<b>bold</b>"^^rdf:HTML .
ex:c1 a cm:Consignment ; cm:consignor ex:p1 ; cm:consignee ex:p2 ; cm:tier "01"^^xsd:integer , "1"^^xsd:integer .
ex:d1 a cm:DataAsset ; cm:sensitive "TRUE"^^xsd:boolean ; cm:subjectCount "many"^^xsd:integer ;
    cm:countFor [ cm:principal ex:p1 ; cm:count 3 ] , [ cm:principal ex:p2 ] .
ex:mode a cm:FailureMode ; cm:appliesTo "a literal" ; cm:effect "another literal" .
ex:p2 prov:qualifiedDelegation ex:delegation-without-agent , [ prov:agent ex:p1 ] .
ex:h1 a cm:Report ; cm:sender ex:p2 ; cm:receiver ex:p1 ; cm:leadTime "three months" .
cm:Typo a cm:Consignmnt .
ex:x cm:aproval cm:Aproved .
"""


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    """Model files and folders: examples, generated, damaged, and odd on purpose."""
    folder = tmp_path_factory.mktemp("models")
    found = {name.split("/")[-1]: [name] for name in EXAMPLES}
    write_model(folder / "generated.nt", 40, seed=7)
    write_model(folder / "generated.ttl", 12, seed=3)
    found["generated.nt"] = [str(folder / "generated.nt")]
    found["generated.ttl"] = [str(folder / "generated.ttl")]
    (folder / "odd.ttl").write_text(ODD_MODEL, encoding="utf-8")
    found["odd.ttl"] = [str(folder / "odd.ttl")]
    two = folder / "two-files"
    two.mkdir()
    (two / "a.ttl").write_text(ODD_MODEL, encoding="utf-8")
    (two / "b.nt").write_text('_:b0 <urn:example:p> "x" .\n<urn:example:p1> <urn:example:q> _:b0 .\n'
                              '<urn:example:p1> <http://www.w3.org/2000/01/rdf-schema#label> "P1"@en .\n',
                              encoding="utf-8")
    found["two-files"] = [str(two)]
    bases = [load_graph([name]) for name in EXAMPLES]
    for seed in range(12):
        path = folder / f"damaged-{seed}.nt"
        damaged(bases[seed % len(bases)], seed, ODD_VALUES).serialize(path, format="nt", encoding="utf-8")
        found[path.name] = [str(path)]
    return found


def attributes(term) -> tuple:
    """Everything rdflib keeps of a term, so that equal-but-different literals are told apart."""
    return (type(term).__name__, str(term), getattr(term, "_language", None), str(getattr(term, "_datatype", None)),
            repr(getattr(term, "_value", None)), getattr(term, "_ill_typed", None))


def test_the_same_triples_with_the_same_terms(models):
    for name, paths in models.items():
        graph, tables = load_graph(paths), read_tables(paths)
        assert len(tables) == len(graph) == len(list(tables)), name
        assert {tuple(map(attributes, t)) for t in tables} == {tuple(map(attributes, t)) for t in graph}, name


def test_every_reading_call_answers_as_rdflib(models):
    graph, tables = load_graph(models["odd.ttl"]), read_tables(models["odd.ttl"])
    subjects = sorted(set(graph.subjects()), key=str)
    objects = sorted(set(graph.objects()), key=str)
    predicates = sorted(set(graph.predicates()), key=str)

    def same(left, right):
        assert sorted(map(attributes, left)) == sorted(map(attributes, right))

    for predicate in predicates + [URIRef("urn:example:unused")]:
        same([s for s, _ in tables.subject_objects(predicate)], [s for s, _ in graph.subject_objects(predicate)])
        same([o for _, o in tables.subject_objects(predicate)], [o for _, o in graph.subject_objects(predicate)])
        same(tables.subjects(predicate, None), graph.subjects(predicate, None))
    for subject in subjects:
        same(tables.predicates(subject, None), graph.predicates(subject, None))
        same([o for _, o in tables.predicate_objects(subject)], [o for _, o in graph.predicate_objects(subject)])
        for predicate in predicates:
            same(tables.objects(subject, predicate), graph.objects(subject, predicate))
            assert ((subject, predicate, None) in tables) == ((subject, predicate, None) in graph)
    for value in objects + [Literal("1", datatype=ns.XSD.integer), Literal("p1", lang="en")]:
        same(tables.subjects(None, value), graph.subjects(None, value))
        same([s for s, _ in tables.subject_predicates(value)], [s for s, _ in graph.subject_predicates(value)])
        assert ((None, None, value) in tables) == ((None, None, value) in graph)
    same(tables.subjects(), graph.subjects())
    same(tables.subjects(unique=True), graph.subjects(unique=True))
    assert terms_used(tables) == terms_used(graph)
    assert {tuple(map(attributes, t)) for t in tables.to_rdflib()} == {tuple(map(attributes, t)) for t in graph}


REFUSED = {
    "doctype.rdf": '<?xml version="1.0"?>\n<!DOCTYPE rdf [<!ENTITY e "x">]>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>',
    "context.jsonld": '{"@context": "https://example.org/context.jsonld", "@id": "urn:a"}',
    "imports.ttl": '<urn:o> a <http://www.w3.org/2002/07/owl#Ontology> ; <http://www.w3.org/2002/07/owl#imports> <urn:o2> , <urn:o> .\n'
                   '<urn:p> <http://www.w3.org/2002/07/owl#imports> <urn:o3> .',
    "star.ttl": '<urn:a> <urn:b> <<( <urn:c> <urn:d> <urn:e> )>> .',
    "syntax.nt": '<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> "unterminated .\n',
    "relative.ttl": '<a> <urn:b> <urn:c> .',
    "language.nt": '<urn:a> <urn:b> "x"@en-- .',
    "unknown.txt": "<urn:a> <urn:b> <urn:c> .",
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refusals_and_errors_are_the_same(tmp_path, name):
    path = tmp_path / name
    path.write_text(REFUSED[name], encoding="utf-8")
    with pytest.raises(ChainModelError) as rdflib_error:
        load_graph([path])
    with pytest.raises(ChainModelError) as tables_error:
        read_tables([path])
    assert type(tables_error.value) is type(rdflib_error.value)
    assert str(tables_error.value) == str(rdflib_error.value)


def test_a_byte_order_mark_and_blank_nodes_per_file(tmp_path):
    (tmp_path / "a.nt").write_bytes(b"\xef\xbb\xbf_:x <urn:p> _:y .\n")
    (tmp_path / "b.nt").write_bytes(b"_:x <urn:p> _:y .\n")
    tables = read_tables([tmp_path])
    assert sorted(str(s) for s in tables.subjects()) == ["f0b0", "f1b0"]
    assert {tuple(map(attributes, t)) for t in tables} == {tuple(map(attributes, t)) for t in load_graph([tmp_path])}


def test_a_failed_file_leaves_nothing(tmp_path):
    (tmp_path / "a.nt").write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    (tmp_path / "b.nt").write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    with pytest.raises(ChainModelError):
        read_tables([tmp_path])


def test_the_view_of_tables_is_the_view_of_rdflib(models):
    for name, paths in models.items():
        rdflib_view = chain_view(load_model(paths, backend="rdflib"))
        table_view = chain_view(load_model(paths, backend="tables"))
        for field in ("parties", "consignments", "duties", "handoffs", "assets", "copies", "devices", "controls",
                      "failure_modes", "events", "incidents", "bases", "agreements", "clauses", "persons", "accounts",
                      "attacks", "conditions", "types", "unresolved", "ambiguous_parents", "terms_used", "classes_read",
                      "unknown_uses"):
            assert getattr(table_view, field) == getattr(rdflib_view, field), (name, field)
        assert isinstance(table_view.model.graph, TableGraph)


COMMANDS = [["validate"], ["validate", "--strict"], ["trace"], ["describe"], ["leaks"], ["cutsets", "--order", "2"],
            ["blast", "--rank"], ["audit", "--workers", "1"], ["timeline"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: "-".join(c))
def test_every_command_answers_the_same_from_rdflib_and_from_tables(models, command, monkeypatch):
    for name, paths in models.items():
        outputs = {}
        for backend in ("rdflib", "tables"):
            every = frozenset({command[0]}) if backend == "rdflib" else frozenset()
            monkeypatch.setattr(cli_module, "_RDFLIB_COMMANDS", every)
            for output_format in ("json", "text"):
                result = CliRunner().invoke(cli, [*command, *paths, "--format", output_format, "--lang", "en"])
                assert result.exit_code in (0, 1), (name, backend, result.output)
                outputs[backend, output_format] = result.output
        assert outputs["tables", "json"] == outputs["rdflib", "json"], name
        assert outputs["tables", "text"] == outputs["rdflib", "text"], name


def test_commands_that_edit_or_query_read_into_rdflib(monkeypatch):
    seen = []
    original = cli_module.load_model

    def spy(paths, backend="rdflib"):
        seen.append(backend)
        return original(paths, backend=backend)

    monkeypatch.setattr(cli_module, "load_model", spy)
    CliRunner().invoke(cli, ["query", "examples/case-b-optout", "--name", "deep-tiers"])
    CliRunner().invoke(cli, ["leaks", "examples/case-b-optout"])
    assert seen == ["rdflib", "tables"]


def test_load_parses_each_file_once_and_never_reads_the_store_back(tmp_path, monkeypatch):
    """The store is filled from the same reading as the tables the saved view comes from."""
    from chainmodel import snapshot
    from chainmodel.model import ChainModel
    from chainmodel.store import OxigraphGraph

    parses = []
    original = snapshot.read_tables

    def counted(files, quads=None):
        parses.append(len(files))
        return original(files, quads=quads)

    def refuse(*args, **kwargs):
        raise AssertionError("the store was read back")

    monkeypatch.setattr(snapshot, "read_tables", counted)
    monkeypatch.setattr(OxigraphGraph, "_quads", refuse)
    assert snapshot.load_store(["examples/case-a-laptop"], tmp_path / "store") == 286
    assert parses == [1]
    monkeypatch.undo()
    saved = snapshot.read_view(tmp_path / "store", ChainModel(graph=snapshot.open_store(f"oxigraph:{tmp_path / 'store'}")))
    assert saved.consignments == chain_view(load_model(["examples/case-a-laptop"])).consignments


def test_named_graphs_and_blank_nodes_load_as_in_memory(tmp_path):
    """TriG graphs merge into one, as an in-memory load merges them; blank nodes keep the tables' names."""
    from chainmodel import snapshot
    from chainmodel.model import ChainModel

    model = tmp_path / "model.trig"
    model.write_text('@prefix cm: <https://w3id.org/chainmodel#> .\n'
                     '<urn:g1> { <urn:a> a cm:DataAsset ; cm:countFor [ cm:principal <urn:p> ; cm:count 3 ] . }\n'
                     '<urn:g2> { <urn:a> a cm:DataAsset . <urn:p> a cm:Organisation . }\n', encoding="utf-8")
    store = tmp_path / "store"
    assert snapshot.load_store([model], store) == len(load_graph([model])) == 5  # one statement in two graphs
    on_store = ChainModel(graph=snapshot.open_store(f"oxigraph:{store}"))
    assert sorted(str(s) for s in on_store.graph.subjects()) == sorted(str(s) for s in load_graph([model]).subjects())
    saved = snapshot.read_view(store, on_store)
    assert saved.assets == chain_view(load_model([model])).assets
