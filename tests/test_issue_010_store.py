"""Issue 10: ``load`` replaces only a store it built, and a store's saved view is trusted only
while every byte is as sealed (items 2, 3: saved labels, 4, 7: ``load --store oxigraph:.``
and RDF-star in a store).

Every test that points ``load`` at something takes checksums of every input and unrelated
file before and after: nothing that is not chainmodel's is ever modified, moved or deleted.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import checksums

from chainmodel import snapshot
from chainmodel.cli import cli
from chainmodel.snapshot import LABELS_FILE, VIEW_FILE, load_store
from chainmodel.store import MANIFEST_FILE, MARKER_FILE, read_manifest, write_manifest

ROOT = Path(__file__).resolve().parent.parent
CASE_B = ROOT / "examples" / "case-b-optout"


@pytest.fixture
def model(tmp_path):
    """A copy of case B in its own folder, with a file beside it that is nobody's business."""
    folder = tmp_path / "model"
    shutil.copytree(CASE_B, folder)
    (tmp_path / "notes.txt").write_text("someone's notes", encoding="utf-8")
    return folder


def load(*arguments, cwd: Path | None = None):
    previous = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return CliRunner().invoke(cli, ["load", *map(str, arguments), "--quiet"])
    finally:
        os.chdir(previous)


def test_a_folder_with_other_files_is_refused_and_kept(tmp_path, model):
    target = tmp_path / "photos"
    target.mkdir()
    (target / "holiday.jpg").write_bytes(b"\xff\xd8 not really a photo")
    before = checksums(tmp_path)
    result = load(model, "--store", f"oxigraph:{target}")
    assert result.exit_code == 2
    assert "holds files that are not a chainmodel store" in result.output and "give another folder" in result.output
    assert checksums(tmp_path) == before
    assert sorted(os.listdir(tmp_path)) == ["model", "notes.txt", "photos"]


@pytest.mark.parametrize("where, words", [
    ("the model folder", "is or holds the input"),
    ("the model file", "is or holds the input"),
    ("the parent of the model", "is or holds the input"),
    ("inside the model", "lies inside the input folder"),
    ("a file", "it is a file"),
])
def test_an_input_or_a_file_is_never_a_store(tmp_path, model, where, words):
    target = {
        "the model folder": model, "the model file": model / "model.ttl", "the parent of the model": tmp_path,
        "inside the model": model / "store", "a file": tmp_path / "notes.txt",
    }[where]
    before = checksums(tmp_path)
    result = load(model, "--store", f"oxigraph:{target}", cwd=ROOT)
    assert result.exit_code == 2, result.output
    assert words in result.output
    assert checksums(tmp_path) == before
    assert not list(tmp_path.rglob("*.loading")) and not list(tmp_path.rglob("*.previous"))


@pytest.mark.parametrize("spec", ["oxigraph:.", "oxigraph:..", "oxigraph:./"])
def test_the_current_folder_and_above_are_refused(tmp_path, model, spec):
    before = checksums(tmp_path)
    result = load("model", "--store", spec, cwd=tmp_path)
    assert result.exit_code == 2
    assert "current folder" in result.output
    assert checksums(tmp_path) == before


def test_a_link_is_not_a_store_folder(tmp_path, model):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    result = load(model, "--store", f"oxigraph:{tmp_path / 'link'}")
    assert result.exit_code == 2 and "it is a link" in result.output
    assert list(real.iterdir()) == []


@pytest.mark.parametrize("sibling", [".loading", ".previous"])
def test_siblings_that_are_not_ours_are_kept(tmp_path, model, sibling):
    other = tmp_path / f"store{sibling}"
    other.mkdir()
    (other / "thesis.tex").write_text("years of work", encoding="utf-8")
    before = checksums(tmp_path)
    result = load(model, "--store", f"oxigraph:{tmp_path / 'store'}")
    assert result.exit_code == 2
    assert f"store{sibling}: exists and is not a store chainmodel built" in result.output
    assert checksums(tmp_path) == before
    assert not (tmp_path / "store").exists()


def test_a_sibling_left_by_an_interrupted_load_is_ours_and_removed(tmp_path, model):
    leftover = tmp_path / "store.loading"
    leftover.mkdir()
    (leftover / MARKER_FILE).write_text("{}", encoding="utf-8")
    (leftover / "000009.sst").write_bytes(b"half a table")
    result = load(model, "--store", f"oxigraph:{tmp_path / 'store'}")
    assert result.exit_code == 0, result.output
    assert not leftover.exists()
    assert read_manifest(tmp_path / "store")["triples"] == 276


@pytest.mark.parametrize("state", ["missing", "empty", "a store chainmodel built"])
def test_a_missing_empty_or_own_folder_is_loaded(tmp_path, model, state):
    target = tmp_path / "store"
    if state == "empty":
        target.mkdir()
    elif state != "missing":
        load_store([ROOT / "examples" / "case-a-laptop"], target)
    before = checksums(model, tmp_path / "notes.txt")
    result = load(model, "--store", f"oxigraph:{target}")
    assert result.exit_code == 0, result.output
    assert read_manifest(target)["triples"] == 276
    assert checksums(model, tmp_path / "notes.txt") == before
    assert sorted(os.listdir(tmp_path)) == ["model", "notes.txt", "store"]


def test_a_store_built_before_manifests_held_hashes_is_replaced(tmp_path, model):
    target = tmp_path / "store"
    load_store([model], target)
    (target / MANIFEST_FILE).write_text(json.dumps({  # as chainmodel wrote it before this change
        "format": 1, "code": "0" * 64, "store": "1" * 64,
        "files": {"chainmodel-view.json": 1, "chainmodel-scans.json": 2, "chainmodel-labels.sqlite": 3}}))
    (target / "chainmodel-prefixes.json").unlink()
    result = load(model, "--store", f"oxigraph:{target}")
    assert result.exit_code == 0, result.output
    assert read_manifest(target)["triples"] == 276


def test_a_store_with_a_file_someone_added_is_not_replaced(tmp_path, model):
    target = tmp_path / "store"
    load_store([model], target)
    (target / "my-notes.txt").write_text("mine", encoding="utf-8")
    before = checksums(tmp_path)
    result = load(model, "--store", f"oxigraph:{target}")
    assert result.exit_code == 2 and "files the manifest does not list" in result.output
    assert checksums(tmp_path) == before


# -- item 4: the manifest seals content, not sizes ----------------------------------------------


def flip_a_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] = ord("7") if data[offset] != ord("7") else ord("8")
    path.write_bytes(bytes(data))


def test_a_same_size_change_to_the_saved_view_is_read_from_the_store_instead(tmp_path, model):
    target = tmp_path / "store"
    load_store([model], target)
    expected = CliRunner().invoke(cli, ["describe", str(model), "--format", "json"]).output
    view = target / VIEW_FILE
    size = view.stat().st_size
    text = view.read_text(encoding="utf-8")
    flip_a_byte(view, text.index("[", text.index('"consignments"')) + 3)
    assert view.stat().st_size == size
    snapshot._checked.clear()
    assert read_manifest(target) is None and not snapshot.is_current(target)
    result = CliRunner().invoke(cli, ["describe", "--store", f"oxigraph:{target}", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.output == expected


def test_a_same_size_change_to_the_database_is_exit_2_not_a_traceback(tmp_path, model):
    target = tmp_path / "store"
    load_store([model], target)
    table = max(target.glob("*.sst"), key=lambda path: path.stat().st_size)
    flip_a_byte(table, table.stat().st_size // 2)
    result = CliRunner().invoke(cli, ["describe", "--store", f"oxigraph:{target}"])
    assert result.exit_code == 2, result.output
    assert "the store cannot be read" in result.output and "load it again" in result.output


def test_the_manifest_lists_the_hash_of_every_file(tmp_path, model):
    target = tmp_path / "store"
    load_store([model], target)
    manifest = json.loads((target / MANIFEST_FILE).read_text(encoding="utf-8"))
    sealed = {name for name in os.listdir(target) if name not in (MANIFEST_FILE, "LOCK", "LOG")}
    assert set(manifest["files"]) == sealed
    assert all(len(entry["sha256"]) == 64 for entry in manifest["files"].values())


# -- item 3: a hostile labels file cannot hang a command -----------------------------------------


def test_a_recursive_view_in_the_labels_file_is_refused_not_run(tmp_path, model):
    target = tmp_path / "store"
    load_store([model], target)
    labels = target / LABELS_FILE
    labels.unlink()
    connection = sqlite3.connect(labels)
    connection.execute("CREATE TABLE seed (n INTEGER)")
    connection.execute("CREATE VIEW labels (iri, text, language) AS WITH RECURSIVE forever(n) AS "
                       "(SELECT 1 UNION ALL SELECT n + 1 FROM forever) SELECT 'x', 'y', '' FROM forever")
    connection.commit()
    connection.close()
    write_manifest(target, {k: v for k, v in read_manifest_unchecked(target).items() if k != "files"})
    snapshot._checked.clear()
    assert snapshot.is_current(target)  # sealed again, as a hostile author would
    assert snapshot.read_labels(target) is None
    expected = CliRunner().invoke(cli, ["describe", str(model)]).output
    result = CliRunner().invoke(cli, ["describe", "--store", f"oxigraph:{target}"])
    assert (result.exit_code, result.output) == (0, expected)


def read_manifest_unchecked(folder: Path) -> dict:
    return json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))


# -- item 7: RDF-star in a store -----------------------------------------------------------------


def test_rdf_star_in_a_store_built_elsewhere_is_refused_naming_the_store(tmp_path):
    target = tmp_path / "store"
    store = ox.Store(str(target))
    store.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                      ox.NamedNode("https://w3id.org/chainmodel#Organisation")))
    store.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:says"),
                      ox.Triple(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.NamedNode("urn:o"))))
    store.flush()
    del store
    result = CliRunner().invoke(cli, ["describe", "--store", f"oxigraph:{target}"])
    assert result.exit_code == 2, result.output
    assert f"oxigraph:{target}: refused: RDF-star" in result.output


def test_rdf_star_in_a_file_is_refused_by_load_naming_the_file(tmp_path):
    star = tmp_path / "star.ttl"
    star.write_text("<urn:a> <urn:says> <<( <urn:s> <urn:p> <urn:o> )>> .\n", encoding="utf-8")
    result = load(star, "--store", f"oxigraph:{tmp_path / 'store'}")
    assert result.exit_code == 2
    assert "star.ttl: refused: RDF-star" in result.output
    assert not (tmp_path / "store").exists() and not (tmp_path / "store.loading").exists()
    memory = CliRunner().invoke(cli, ["describe", str(star)])
    assert memory.exit_code == 2 and "star.ttl: refused: RDF-star" in memory.output
