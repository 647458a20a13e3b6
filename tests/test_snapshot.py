"""The view ``chainmodel load`` saves in a store: equal to the derived one, and never trusted when stale."""

import dataclasses
import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from chainmodel import snapshot
from chainmodel.generate import write_model
from chainmodel.model import ChainModel, load_model
from chainmodel.snapshot import chain_view, load_store, open_store
from chainmodel.store import OxigraphGraph

CM = "https://w3id.org/chainmodel#"
CASES = ["examples/case-a-laptop", "examples/case-b-optout", "examples/illustrative-usb", "generated"]


@pytest.fixture(scope="module", params=CASES)
def built(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("snapshot")
    model = Path(request.param)
    if request.param == "generated":
        model = folder / "generated.nt"
        write_model(model, 30, seed=3)
    store = folder / "store"
    load_store([model], store)
    return model, store


def saved_view(store, keep_scans=True):
    return snapshot.read_view(store, ChainModel(graph=open_store(f"oxigraph:{store}")), keep_scans)


def derived_view(store):
    """The view read triple by triple from the store, ignoring what was saved."""
    graph = OxigraphGraph(ox.Store.read_only(str(store)))  # no folder: nothing saved is consulted
    return chain_view(ChainModel(graph=graph), keep_scans=True)


def fields_of(view):
    return {f.name: getattr(view, f.name) for f in dataclasses.fields(view) if f.name not in ("model", "scans")}


def test_the_saved_view_is_the_derived_view(built):
    _, store = built
    saved, derived = saved_view(store), derived_view(store)
    assert saved is not None
    assert fields_of(saved) == fields_of(derived)
    for predicate, table in derived.scans.items():  # validation reads the scans: same values, same kinds
        assert {k: sorted(map(repr, v)) for k, v in saved.scans[predicate].items()} == \
               {k: sorted(map(repr, v)) for k, v in table.items()}, predicate


def test_the_saved_view_keeps_the_order_of_every_table(built):
    _, store = built
    saved, derived = saved_view(store, keep_scans=False), derived_view(store)
    for name in ("parties", "consignments", "duties", "handoffs", "assets", "controls", "failure_modes", "types"):
        assert list(getattr(saved, name)) == list(getattr(derived, name)), name


def test_saved_labels_are_the_model_labels(built):
    model_path, store = built
    on_store = ChainModel(graph=open_store(f"oxigraph:{store}"))
    in_memory = load_model([model_path])
    assert on_store._saved_labels is not None
    view = chain_view(in_memory)
    for iri in list(view.parties) + list(view.duties) + list(view.handoffs) + [CM + "Consignment"]:
        assert on_store.labels(iri) == in_memory.labels(iri), iri


def copy_store(store, tmp_path):
    target = tmp_path / "copy"
    shutil.copytree(store, target)  # keeps modification times: the copy is still current
    snapshot._checked.clear()
    return target


def test_a_copied_store_keeps_its_saved_view(built, tmp_path):
    _, store = built
    assert snapshot.is_current(copy_store(store, tmp_path))


def test_a_store_written_by_another_tool_is_read_again(tmp_path):
    store = tmp_path / "store"
    load_store(["examples/case-b-optout"], store)
    writer = ox.Store(str(store))
    new = ox.NamedNode("urn:example:c-new")
    for predicate, value in (("type", ox.NamedNode(CM + "Consignment")),
                             ("consignor", ox.NamedNode("https://example.org/chainmodel/case-b#nttdata")),
                             ("consignee", ox.NamedNode("urn:example:someone-else"))):
        iri = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" if predicate == "type" else CM + predicate
        writer.add(ox.Quad(new, ox.NamedNode(iri), value, ox.DefaultGraph()))
    writer.flush()
    del writer
    snapshot._checked.clear()
    assert not snapshot.is_current(store)
    view = chain_view(ChainModel(graph=open_store(f"oxigraph:{store}")))
    assert "urn:example:c-new" in view.consignments


@pytest.mark.parametrize("damage", ["truncated", "garbled", "manifest", "code"])
def test_a_damaged_or_foreign_saved_view_is_ignored(tmp_path, monkeypatch, damage):
    store = tmp_path / "store"
    load_store(["examples/case-b-optout"], store)
    expected = fields_of(derived_view(store))
    view_file = store / snapshot.VIEW_FILE
    if damage == "truncated":
        view_file.write_bytes(view_file.read_bytes()[:100])
    elif damage == "garbled":
        view_file.write_bytes(b"[" * view_file.stat().st_size)  # same size, not JSON
    elif damage == "manifest":
        (store / snapshot.MANIFEST_FILE).write_text("{not json", encoding="utf-8")
    else:
        monkeypatch.setattr(snapshot, "_code_fingerprint", lambda: "chainmodel was upgraded")
    snapshot._checked.clear()
    assert snapshot.read_view(store, ChainModel(graph=open_store(f"oxigraph:{store}"))) is None
    assert fields_of(chain_view(ChainModel(graph=open_store(f"oxigraph:{store}")))) == expected


def test_saved_files_are_plain_data(built):
    _, store = built
    for name in (snapshot.MANIFEST_FILE, snapshot.VIEW_FILE, snapshot.SCANS_FILE):
        json.loads((store / name).read_text(encoding="utf-8"))  # no pickle: opening a store runs no code
    assert (store / snapshot.LABELS_FILE).read_bytes().startswith(b"SQLite format 3")


def test_garbled_saved_labels_are_read_from_the_store_instead(tmp_path):
    store = tmp_path / "store"
    load_store(["examples/case-b-optout"], store)
    labels = store / snapshot.LABELS_FILE
    labels.write_bytes(b"x" * labels.stat().st_size)
    snapshot._checked.clear()
    on_store = ChainModel(graph=open_store(f"oxigraph:{store}"))
    assert on_store._saved_labels is None
    assert on_store.label("https://example.org/chainmodel/case-b#nttdata") == "NTT DATA"


EDGE_MODEL = """\
@prefix cm: <https://w3id.org/chainmodel#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix ex: <urn:example:> .
ex:p1 a cm:Organisation .
ex:p2 a cm:Organisation .
ex:c-without-consignor a cm:Consignment ; cm:consignee ex:p2 ; cm:startDate "2024-01-01"^^xsd:date .
ex:d1 a cm:DataAsset ; cm:sensitive "TRUE"^^xsd:boolean ; cm:subjectCount "many"^^xsd:integer ;
    cm:countFor [ cm:principal ex:p1 ; cm:count 3 ] .
ex:mode a cm:FailureMode ; cm:appliesTo "a literal" ; cm:effect "another literal" .
ex:p2 prov:qualifiedDelegation ex:delegation-without-agent .
ex:h1 a cm:Report ; cm:sender ex:p2 ; cm:receiver ex:p1 ; cm:leadTime "three months" ; rdfs:label "report"@en , "報告"@ja .
"""


def test_a_damaged_model_is_saved_and_read_back_exactly(tmp_path):
    """Fields left out (None), ill-typed literals, literals where IRIs belong, blank nodes."""
    model = tmp_path / "edge.ttl"
    model.write_text("@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n" + EDGE_MODEL, encoding="utf-8")
    store = tmp_path / "store"
    load_store([model], store)
    saved, derived = saved_view(store), derived_view(store)
    assert saved is not None, "the saved view could not be read back"
    assert fields_of(saved) == fields_of(derived)
    assert saved.consignments["urn:example:c-without-consignor"].consignor is None
    sensitive = saved.scans[CM + "sensitive"]["urn:example:d1"][0]
    assert sensitive.ill_typed  # rdflib normalised "TRUE" to "true" but it stays ill-typed
    from chainmodel.validate import validate
    assert validate(saved) == validate(derived)


def test_a_saved_view_of_every_example_validates_as_the_derived_one(built):
    from chainmodel.validate import validate

    _, store = built
    assert validate(saved_view(store)) == validate(derived_view(store))


def test_commands_on_a_loaded_store_read_no_triple_back(tmp_path, monkeypatch):
    """The saved view is what makes a store fast: the audit must not read the store itself."""
    from click.testing import CliRunner

    from chainmodel.cli import cli

    store = tmp_path / "store"
    load_store(["examples/case-b-optout"], store)
    expected = CliRunner().invoke(cli, ["audit", "examples/case-b-optout", "--format", "json", "--workers", "1"])

    def refuse(*args, **kwargs):
        raise AssertionError("the store was read triple by triple")

    monkeypatch.setattr(OxigraphGraph, "_quads", refuse)
    snapshot._checked.clear()
    result = CliRunner().invoke(cli, ["audit", "--store", f"oxigraph:{store}", "--format", "json", "--workers", "1"])
    assert result.exit_code == expected.exit_code, result.output
    assert result.output == expected.output
