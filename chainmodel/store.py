"""Where a model lives on disk: an Oxigraph store, built all or nothing, sealed, and read back.

Every analysis reads the model through the same few calls (``subject_objects``,
``objects``, ``subjects``, ``len``, and ``in``), so the backends give identical answers.
:class:`OxigraphGraph` offers those calls over a pyoxigraph store (the endpoint backend is
:mod:`chainmodel.endpoint`). This module is a backend: it imports nothing above
:mod:`chainmodel.loading`. What chainmodel derives from the triples and saves beside them
(the chain view, labels) is written and read by :mod:`chainmodel.snapshot`, through the
``finish`` hook of :func:`build_store` and the ``saved`` slot of :class:`OxigraphGraph`.

Building a store (:func:`build_store`) never touches what is not chainmodel's:

* the target folder may be missing, empty, or a chainmodel store (recognised by its
  manifest, holding nothing but what the manifest lists and the database's own files);
  anything else is refused with :class:`~chainmodel.errors.InputError` (exit 2): a folder
  with other files in it, a file, a link, ``.`` or any folder above the current one, an
  input file or folder, a folder that holds an input or lies inside an input folder;
* the store is built in ``DIR.loading`` and swapped in through ``DIR.previous``; either
  sibling is removed only when it is chainmodel's (a marker file is written into
  ``DIR.loading`` before anything else, and a finished store has its manifest);
* the manifest, written last, records the SHA-256 of every file in the folder (the
  database's and chainmodel's own): :func:`read_manifest` returns it only while every file
  still has that content, so a change of the same size is noticed too.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "store"
>>> build_store(["examples/case-a-laptop"], folder)
286
>>> graph = open_store(f"oxigraph:{folder}")
>>> len(graph), read_manifest(folder)["kind"]
(286, 'chainmodel store')
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path
from typing import Callable, Iterator, Mapping, Sequence

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef

from .endpoint import EndpointGraph, terms_used_by_query
from .errors import InputError, ParseError, RefusedInput
from .loading import (CHAINMODEL_ONTOLOGY, FORMATS, RDF_STAR_REFUSAL, model_files, rdf_literal, refuse_before_parsing,
                      strip_bom, too_long)

__all__ = ["OxigraphGraph", "EndpointGraph", "open_store", "build_store", "as_rdflib", "read_prefixes",
           "read_manifest", "store_folder", "STORE_PREFIX", "MANIFEST_FILE"]

SHACL_LIMIT = 2_000_000
"""Past this many triples, a store is not copied into memory for pySHACL."""

STORE_PREFIX = "oxigraph:"
MANIFEST_FILE = "chainmodel-manifest.json"
"""Written last into a finished store: what it is and the SHA-256 of every file in it."""
MARKER_FILE = "chainmodel-building.json"
"""Written first into ``DIR.loading``, so that a load that did not finish is known to be chainmodel's."""
PREFIX_FILE = "chainmodel-prefixes.json"
"""In the store: the prefixes the model files declared, for display and names."""
STORE_KIND = "chainmodel store"
FORMAT = 2
"""Bumped whenever the layout of a store's folder changes."""

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_DATABASE_FILE = re.compile(r"(?:\d+\.(?:sst|log|blob)|MANIFEST-\d+|OPTIONS-\d+|CURRENT|IDENTITY|LOCK|LOG(?:\.old\.\d+)?)")
"""The names RocksDB (Oxigraph's storage) gives its files."""
_UNSEALED = re.compile(r"LOCK|LOG(?:\.old\.\d+)?")
"""RocksDB's lock and log change without the data changing: not sealed in the manifest."""


def _from_ox(term, where: str = "the store"):
    if isinstance(term, ox.NamedNode):
        return str.__new__(URIRef, term.value)  # the store's IRIs are valid: skip rdflib's check
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        return rdf_literal(term.value, term.language, term.datatype.value)
    if isinstance(term, ox.Triple):
        raise RefusedInput(str(where), None, RDF_STAR_REFUSAL)
    return None


def _to_ox(term):
    if term is None:
        return None
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def _damaged(where, error: BaseException) -> InputError:
    """A store whose files cannot be read."""
    return InputError(f"{where}: the store cannot be read ({error}); it is damaged: load it again with "
                      "'chainmodel load'")


class OxigraphGraph:
    """The read-only calls the analyses need, over a pyoxigraph ``Store`` (all named graphs merged).

    ``saved`` is what ``chainmodel load`` saved beside the triples, set by
    :mod:`chainmodel.snapshot` when it opens the store (any object with ``labels()``,
    ``scans()`` and ``is_current()``), or None: then everything is read from the triples.
    """

    def __init__(self, store: ox.Store, location: str = "memory", folder: Path | None = None, saved=None):
        self.store = store
        self.location = location
        self.folder = folder
        self.saved = saved
        self._iris: dict[str, URIRef] = {}  # one URIRef per IRI: the same parties recur in millions of triples

    def saved_scans(self) -> dict | None:
        """The predicate scans validation reads, saved with the store, or None."""
        return self.saved.scans() if self.saved is not None else None

    def has_saved_view(self) -> bool:
        """Whether ``chainmodel load`` saved the view and labels with the store, still current."""
        return self.saved is not None and self.saved.is_current()

    def saved_labels(self):
        """The model's labels saved with the store (IRI -> (text, language) pairs), or None."""
        return self.saved.labels() if self.saved is not None else None

    def _quads(self, s, p, o) -> Iterator:
        try:
            yield from self.store.quads_for_pattern(_to_ox(s), _to_ox(p), _to_ox(o), None)
        except (OSError, RuntimeError) as error:  # RocksDB reports a damaged file while reading it
            raise self._damaged(error) from None

    def _damaged(self, error: BaseException) -> InputError:
        return _damaged(self.folder or self.location, error)

    def _term(self, term):
        if isinstance(term, ox.NamedNode):
            text = term.value
            return self._iris.get(text) or self._iris.setdefault(text, str.__new__(URIRef, text))
        return _from_ox(term, self.location)

    def triples(self, pattern) -> Iterator[tuple]:
        s, p, o = pattern
        for quad in self._quads(s, p, o):
            yield self._term(quad.subject), self._term(quad.predicate), self._term(quad.object)

    def subject_objects(self, predicate) -> Iterator[tuple]:
        term = self._term
        for quad in self._quads(None, predicate, None):
            yield term(quad.subject), term(quad.object)

    def objects(self, subject=None, predicate=None) -> Iterator:
        for quad in self._quads(subject, predicate, None):
            yield self._term(quad.object)

    def subjects(self, predicate=None, object=None) -> Iterator:
        for quad in self._quads(None, predicate, object):
            yield self._term(quad.subject)

    def __contains__(self, pattern) -> bool:
        return next(iter(self._quads(*pattern)), None) is not None

    def terms_used(self, namespace: str) -> set[str]:
        """Predicates, classes and IRIs of ``namespace`` used in the store, found inside it."""
        try:
            return terms_used_by_query(lambda text: self.store.query(text, use_default_graph_as_union=True), namespace)
        except (OSError, RuntimeError) as error:
            raise self._damaged(error) from None

    def __len__(self) -> int:
        try:
            return len(self.store)  # counted inside the store
        except (OSError, RuntimeError) as error:
            raise self._damaged(error) from None

    def __iter__(self):
        return self.triples((None, None, None))


def store_folder(spec: str) -> Path:
    """The folder of ``oxigraph:DIR``; InputError for any other form.

    Examples
    --------
    >>> store_folder("oxigraph:./store").name
    'store'
    """
    if not isinstance(spec, str) or not spec.startswith(STORE_PREFIX) or not spec[len(STORE_PREFIX):]:
        raise InputError(f"{spec}: a store is given as oxigraph:DIR, e.g. --store oxigraph:./store")
    return Path(spec[len(STORE_PREFIX):])


def open_store(spec: str) -> OxigraphGraph:
    """Open ``oxigraph:DIR`` (made by ``chainmodel load``) read-only, with nothing saved attached.

    :func:`chainmodel.snapshot.open_store` opens it with what ``load`` saved beside it.
    """
    folder = store_folder(spec)
    if not folder.is_dir():
        raise InputError(f"{folder}: no store there; create it with 'chainmodel load MODEL... --store {spec}'")
    try:
        store = ox.Store.read_only(str(folder))
    except OSError as error:
        raise InputError(f"{folder}: not an Oxigraph store ({error}); give a folder 'chainmodel load' made, or "
                         "build a store in a new folder: chainmodel load MODEL... --store oxigraph:NEW-FOLDER") from None
    if read_manifest(folder) is None:  # not sealed by chainmodel load, which refuses RDF-star
        try:
            holds_triple_terms = bool(store.query("ASK { ?s ?p ?o FILTER(isTRIPLE(?o)) }"))
        except (OSError, RuntimeError) as error:
            raise _damaged(folder, error) from None
        if holds_triple_terms:
            raise RefusedInput(spec, None, RDF_STAR_REFUSAL)
    return OxigraphGraph(store, spec, folder)


# -- the manifest ---------------------------------------------------------------------------


def _content_files(folder: Path) -> list[os.DirEntry]:
    return sorted((entry for entry in os.scandir(folder)
                   if entry.name not in (MANIFEST_FILE, MARKER_FILE) and not _UNSEALED.fullmatch(entry.name)),
                  key=lambda entry: entry.name)


def _digest(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(folder: str | Path, extra: Mapping | None = None) -> None:
    """Seal ``folder``: record the SHA-256 and size of every file in it, written last."""
    folder = Path(folder)
    files = {entry.name: {"size": entry.stat().st_size, "sha256": _digest(entry.path)} for entry in _content_files(folder)}
    manifest = {"kind": STORE_KIND, "format": FORMAT, **(extra or {}), "files": files}
    with open(folder / MANIFEST_FILE, "w", encoding="utf-8") as stream:
        json.dump(manifest, stream, indent=1, sort_keys=True)


def _read_json(path: Path):
    with open(path, encoding="utf-8") as stream:
        return json.load(stream)


def _manifest_of(folder: Path) -> dict | None:
    """The manifest as written, if it is one of ours (its content is not checked here)."""
    try:
        manifest = _read_json(folder / MANIFEST_FILE)
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(manifest, dict) or manifest.get("kind") != STORE_KIND or not isinstance(manifest.get("files"), dict):
        return None
    return manifest


def _legacy_manifest(folder: Path) -> dict | None:
    """The manifest of a store built by chainmodel before manifests recorded hashes (format 1),
    so that ``load`` may replace it."""
    try:
        manifest = _read_json(folder / MANIFEST_FILE)
    except (OSError, ValueError, RecursionError):
        return None
    if isinstance(manifest, dict) and manifest.get("format") == 1 and isinstance(manifest.get("store"), str) \
            and isinstance(manifest.get("files"), dict):
        return manifest
    return None


_verified: dict[tuple, dict | None] = {}


def read_manifest(folder: str | Path) -> dict | None:
    """The manifest of a sealed store, or None unless every file still has the recorded content.

    Every file in the folder is hashed (once per process while no file's size or
    modification time changes); a file added, removed, or changed in any byte, even keeping
    its size, means None.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "store"
    >>> build_store(["examples/case-a-laptop"], folder)
    286
    >>> read_manifest(folder)["triples"]
    286
    >>> (folder / "chainmodel-prefixes.json").read_text()
    '{}'
    >>> _ = (folder / "chainmodel-prefixes.json").write_text("[]")  # a change of the same size
    >>> read_manifest(folder) is None
    True
    """
    folder = Path(folder)
    try:
        entries = _content_files(folder)
        key = (str(folder.resolve()), tuple((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in entries))
    except OSError:
        return None
    if key not in _verified:
        _verified[key] = _verify(folder, entries)
    return _verified[key]


def _verify(folder: Path, entries: list[os.DirEntry]) -> dict | None:
    manifest = _manifest_of(folder)
    if manifest is None or manifest.get("format") != FORMAT:
        return None
    recorded = manifest["files"]
    if sorted(recorded) != [entry.name for entry in entries]:
        return None
    for entry in entries:
        expected = recorded[entry.name]
        if not isinstance(expected, dict) or entry.stat().st_size != expected.get("size") \
                or _digest(entry.path) != expected.get("sha256"):
            return None
    return manifest


# -- building -------------------------------------------------------------------------------


def _is_ours(folder: Path) -> bool:
    """A folder chainmodel may replace or remove: a store (or one being built) holding
    nothing but the database's files and the files chainmodel wrote."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    manifest = _manifest_of(folder) or _legacy_manifest(folder)
    entries = list(os.scandir(folder))
    building = any(entry.name == MARKER_FILE for entry in entries)
    if manifest is None and not building:
        return False
    own = set(manifest["files"]) if manifest else set()
    for entry in entries:
        if entry.is_symlink() or entry.is_dir(follow_symlinks=False):
            return False
        name = entry.name
        if not (name in own or name in (MANIFEST_FILE, MARKER_FILE) or _DATABASE_FILE.fullmatch(name)
                or (building and name.startswith("chainmodel-"))):
            return False
    return True


def _refuse_target(target: Path, why: str) -> InputError:
    return InputError(f"{target}: refused as a store folder: {why}. chainmodel load only creates a new or "
                      "empty folder or replaces a store it built itself; give another folder, e.g. "
                      "--store oxigraph:./store")


def _check_target(target: Path, inputs: Sequence[Path]) -> None:
    """Refuse a target folder that is not a missing, empty, or chainmodel store folder."""
    if target.name in ("", ".", ".."):
        raise _refuse_target(target, "it names the current folder or one above it")
    resolved = target.resolve()
    here = Path.cwd().resolve()
    if resolved == here or resolved in here.parents:
        raise _refuse_target(target, "it is the current folder or a folder above it")
    if not resolved.parent.is_dir():
        raise _refuse_target(target, f"the folder {target.parent} does not exist; create it first")
    ours = (resolved, resolved.with_name(resolved.name + ".loading"), resolved.with_name(resolved.name + ".previous"))
    sources = [(given, Path(given).resolve()) for given in inputs]
    for given, source in sources:
        if any(path == source or path in source.parents for path in ours):
            raise _refuse_target(target, f"it is or holds the input {given}")
    for given, source in sources:
        if any(source in path.parents for path in ours):
            raise _refuse_target(target, f"it lies inside the input folder {given}")
    if target.is_symlink():
        raise _refuse_target(target, "it is a link")
    if target.exists() and not target.is_dir():
        raise _refuse_target(target, "it is a file")
    if target.is_dir() and any(os.scandir(target)) and not _is_ours(target):
        raise _refuse_target(target, "it holds files that are not a chainmodel store (no manifest, or files "
                                     "the manifest does not list)")


def _clear_sibling(path: Path) -> None:
    """Remove ``DIR.loading`` or ``DIR.previous`` left by an earlier load, if it is chainmodel's."""
    if not (path.exists() or path.is_symlink()):
        return
    if not _is_ours(path):
        raise InputError(f"{path}: exists and is not a store chainmodel built; chainmodel load needs this name for "
                         "its work and deletes nothing it did not write. Move it away or give another --store folder.")
    shutil.rmtree(path)


def _bulk_load(store: ox.Store, path: Path) -> None:
    rdf_format = FORMATS[path.suffix.lower()]
    with open(path, "rb") as stream:
        if rdf_format in (ox.RdfFormat.RDF_XML, ox.RdfFormat.JSON_LD):
            refuse_before_parsing(path, rdf_format, stream.read())
            stream.seek(0)
        start = stream.read(3)
        stream.seek(len(start) - len(strip_bom(start)))
        try:
            store.bulk_load(input=stream, format=rdf_format, to_graph=ox.DefaultGraph())
        except SyntaxError as error:
            raise ParseError(str(path), error.lineno, str(error)) from None
        except MemoryError as error:
            raise ParseError(str(path), None, too_long(error)) from None


def _refuse_triple_terms(store: ox.Store, files: Sequence[Path]) -> None:
    """RDF-star is refused as the in-memory load refuses it, naming the file."""
    if not store.query("ASK { ?s ?p ?o FILTER(isTRIPLE(?o)) }"):
        return
    for path in files:
        with open(path, "rb") as stream:
            for quad in ox.parse(strip_bom(stream.read()), FORMATS[path.suffix.lower()]):
                if isinstance(quad.object, ox.Triple):
                    raise RefusedInput(str(path), None, RDF_STAR_REFUSAL)
    raise RefusedInput("the model", None, RDF_STAR_REFUSAL)  # pragma: no cover - a file holds it


def build_store(paths: Sequence[str | Path], folder: str | Path, progress: Callable[[str], None] | None = None, *,
                prefixes: Mapping[str, str] | None = None,
                finish: Callable[[Path, ox.Store], Mapping] | None = None,
                fill: Callable[[ox.Store, Sequence[Path]], None] | None = None) -> int:
    """Build an on-disk store from model files, replacing ``folder`` only when all went well.

    Parameters
    ----------
    paths : sequence of path
        Model files and folders (as :func:`chainmodel.loading.model_files` reads them).
    folder : path
        The store's folder: missing, empty, or a store chainmodel built (see the module
        description for what is refused).
    progress : callable, optional
        Called with one line per stage.
    prefixes : mapping, optional
        The model files' prefixes, kept in the store for display.
    finish : callable, optional
        ``finish(building_folder, store)`` is called once the triples are in; it may write
        more files into the folder (they are sealed with the rest) and returns more fields
        for the manifest. It must not keep the store: the manifest is written once it is
        closed.
    fill : callable, optional
        ``fill(store, files)`` puts the files' triples into the new store instead of its own
        bulk load, and refuses what a load refuses (RDF-star, an ``owl:imports`` not among
        the inputs) by raising; e.g. :func:`chainmodel.tablegraph.read_tables` handing its
        quads to ``store.bulk_extend``, so that the files are parsed once for the store and
        the tables. ``finish`` then runs while the store is compacted on another thread, so
        it must have all it needs without reading the store.

    Returns
    -------
    int
        The number of triples in the new store.

    Raises
    ------
    InputError
        The folder is refused, or an input is missing or unreadable.
    ParseError, RefusedInput
        A file does not parse or asks for what chainmodel never does (XML entities, a
        JSON-LD context by address, an ``owl:imports`` not among the inputs, RDF-star).
    """
    files = model_files(paths)
    target = Path(folder)
    _check_target(target, [Path(p) for p in paths] + files)
    building = target.with_name(target.name + ".loading")
    previous = target.with_name(target.name + ".previous")
    _clear_sibling(building)
    _clear_sibling(previous)
    building.mkdir()
    (building / MARKER_FILE).write_text(json.dumps({"kind": STORE_KIND, "state": "building"}), encoding="utf-8")
    try:
        count, extra = _fill(building, files, progress, finish, fill)
        (building / PREFIX_FILE).write_text(json.dumps(dict(sorted((prefixes or {}).items())), indent=1),
                                            encoding="utf-8")
        write_manifest(building, {**extra, "triples": count})
        (building / MARKER_FILE).unlink()
        _swap(building, target, previous)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    if progress:
        progress(f"loaded {count:,} triples into {target}")
    return count


def _fill(building: Path, files: Sequence[Path], progress, finish, fill) -> tuple[int, Mapping]:
    store = ox.Store(str(building))
    if fill is not None:
        if progress:
            progress(f"loading {len(files)} file(s)")
        fill(store, files)
        extra = _finish_while_optimising(store, building, finish)
    else:
        for number, path in enumerate(files, start=1):
            if progress:
                progress(f"loading {path} ({number}/{len(files)})")
            _bulk_load(store, path)
        _refuse_triple_terms(store, files)
        _refuse_unlisted_imports(store)
        store.flush()
        store.optimize()
        extra = finish(building, store) if finish is not None else {}
    count = len(store)
    del store  # closed: the manifest seals the store's final files
    return count, extra


def _finish_while_optimising(store: ox.Store, building: Path, finish) -> Mapping:
    """Run ``finish`` here while Oxigraph compacts the store on another thread (it lets go of
    Python's lock while it works): a ``fill`` has everything ``finish`` needs without the store."""
    import threading

    failed: list[BaseException] = []

    def optimise() -> None:
        try:
            store.flush()
            store.optimize()
        except BaseException as error:  # noqa: BLE001 - raised again on this thread
            failed.append(error)

    worker = threading.Thread(target=optimise, name="chainmodel-optimise")
    worker.start()
    try:
        extra = finish(building, store) if finish is not None else {}
    finally:
        worker.join()
    if failed:
        raise failed[0]
    return extra


def _swap(building: Path, target: Path, previous: Path) -> None:
    if target.is_dir() and not any(os.scandir(target)):
        target.rmdir()
    if target.exists():
        os.replace(target, previous)
    os.replace(building, target)
    if previous.exists():
        shutil.rmtree(previous)


def read_prefixes(spec: str) -> dict[str, str]:
    """The prefixes the model files declared, kept in the store (for display), or {}."""
    try:
        found = _read_json(store_folder(spec) / PREFIX_FILE)
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(found, dict):
        return {}
    return {str(k): str(v) for k, v in found.items() if isinstance(k, str) and isinstance(v, str)}


def _refuse_unlisted_imports(store: ox.Store) -> None:
    owl = "http://www.w3.org/2002/07/owl#"
    declared = {q.subject.value for q in store.quads_for_pattern(
        None, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(owl + "Ontology"), None)}
    declared.add(CHAINMODEL_ONTOLOGY)
    for quad in store.quads_for_pattern(None, ox.NamedNode(owl + "imports"), None, None):
        if quad.object.value not in declared:
            raise RefusedInput("the model", None, f"owl:imports <{quad.object.value}>: chainmodel never fetches an "
                               "import. Add the imported ontology's file to the inputs, or remove the statement.")


def as_rdflib(graph, limit: int = SHACL_LIMIT) -> Graph | None:
    """An rdflib ``Graph`` with the same triples (for SHACL and in-memory queries), or None past ``limit``."""
    if isinstance(graph, Graph):
        return graph
    if len(graph) > limit:
        return None
    copy = Graph()
    for triple in graph.triples((None, None, None)):
        copy.add(triple)
    return copy
