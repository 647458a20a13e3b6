"""The chain view saved inside an Oxigraph store, so that commands need not read the store again.

Reading a triple out of Oxigraph's on-disk store costs about 5 µs, by pattern or by SPARQL
alike, against under 1 µs to parse it from a file; at 10^7 triples deriving the view from
the store would take minutes on every command. So ``chainmodel load`` (:func:`load_store`)
derives the view once, right after the bulk load, and writes it into the store's folder
with the predicate scans that validation reads and the labels that messages use. A command
that opens the store (:func:`open_store`, :func:`chain_view`) uses what was saved only
while it is current: the store's manifest (:func:`chainmodel.store.read_manifest`) records
the SHA-256 of every file in the folder, the store's and these, and a fingerprint of the
code and ontology that derived the view; any difference (a byte changed, the store written
by another tool, chainmodel upgraded) means the view is derived from the store again, with
the same answers, only slower. The RDF in the store stays the one source of truth; this is
an index of it.

This module sits above :mod:`chainmodel.views` (it derives the view), so that the storage
layer (:mod:`chainmodel.store`) imports nothing above it.

The view and scans are JSON and the labels an SQLite table, never pickle: opening a store
someone sent you must not run code. Every index read from them is checked, the SQLite file
is opened read-only, must hold exactly the one table and index chainmodel writes, and each
query on it has a deadline; anything else counts as damage, and the store is read instead.

Examples
--------
>>> import tempfile, pathlib
>>> from chainmodel.model import load_model
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "store"
>>> load_store(["examples/case-b-optout"], folder)
276
>>> model = ChainModel(graph=open_store(f"oxigraph:{folder}"))
>>> chain_view(model).consignments == views.chain_view(load_model(["examples/case-b-optout"])).consignments
True
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from . import store as storage
from . import views
from .errors import InputError
from .loading import paused_gc, rdf_literal
from .model import ChainModel, label_rows
from .resources import ontology_path
from .shapes import read_shape_predicates
from .store import MANIFEST_FILE, OxigraphGraph, read_manifest
from .tablegraph import TableGraph, read_tables
from .views import ChainView

__all__ = ["load_store", "open_store", "chain_view", "SavedIndex", "write_view", "write_labels", "read_view",
           "read_labels", "read_scans", "is_current", "MANIFEST_FILE"]

FORMAT = 3
"""Bumped whenever the layout of the saved files changes."""

LABEL_QUERY_SECONDS = 60.0
"""Longest any one query on the saved labels may run (a hostile file cannot hang a command)."""

VIEW_FILE = "chainmodel-view.json"
SCANS_FILE = "chainmodel-scans.json"
LABELS_FILE = "chainmodel-labels.sqlite"
_LABELS_SCHEMA = (
    ("index", "labels_by_iri", "labels", "CREATE INDEX labels_by_iri ON labels (iri)"),
    ("table", "labels", "labels", "CREATE TABLE labels (iri TEXT NOT NULL, text TEXT NOT NULL, language TEXT NOT NULL)"),
)
"""All that may be in the labels file's schema: one table, one index, as written."""

_RECORDS = (
    ("parties", views.Party),
    ("consignments", views.Consignment),
    ("duties", views.Duty),
    ("handoffs", views.HandOff),
    ("assets", views.DataAsset),
    ("copies", views.DataCopy),
    ("devices", views.Device),
    ("controls", views.Control),
    ("failure_modes", views.FailureMode),
    ("events", views.Event),
    ("incidents", views.Incident),
    ("bases", views.Basis),
    ("agreements", views.Agreement),
    ("clauses", views.Clause),
    ("persons", views.Person),
    ("accounts", views.Account),
    ("attacks", views.Attack),
    ("conditions", views.Condition),
)
"""The record tables of a :class:`~chainmodel.views.ChainView`, with their classes."""


# -- fingerprints ------------------------------------------------------------------------


def _code_fingerprint() -> str:
    """A digest of what decides the view: the derivation and how the store is read, this
    codec, the shipped ontology and shapes, and the versions of rdflib and pyoxigraph (rdflib
    decides how a literal is read, e.g. whether it is ill-typed)."""
    import rdflib

    from . import loading, model, shapes, tablegraph

    digest = hashlib.sha256(f"{FORMAT} {rdflib.__version__} {ox.__version__}".encode())
    for path in (Path(views.__file__), Path(__file__), Path(storage.__file__), Path(loading.__file__),
                 Path(tablegraph.__file__), Path(model.__file__), Path(shapes.__file__), ontology_path("chainmodel.ttl"),
                 ontology_path("shapes.ttl")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


# -- encoding ----------------------------------------------------------------------------


class _Strings:
    """Each distinct string once; records refer to it by position."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        found = self.index.get(text)
        if found is None:
            found = self.index[text] = len(self.index)
        return found


def _encode(value, strings: _Strings):
    if isinstance(value, str):
        return strings(value)
    if isinstance(value, frozenset):
        return [strings(item) for item in sorted(value)]
    if isinstance(value, tuple):
        return [_encode(item, strings) for item in value]
    return value  # int, bool or None


def _term_code(term, strings: _Strings, others: dict) -> int:
    """An IRI as its string's position; any other term as -1 - its position among the others."""
    if isinstance(term, URIRef):
        return strings(str(term))
    if isinstance(term, Literal):  # rdflib may have normalised an ill-typed lexical form: keep the mark
        key = ("L!" if getattr(term, "ill_typed", False) else "L", str(term), term.language or "",
               str(term.datatype or ""))
    else:
        key = ("B", str(term), "", "")
    found = others.get(key)
    if found is None:
        found = others[key] = len(others)
    return -1 - found


def write_view(folder: str | Path, view: ChainView) -> None:
    """Save ``view`` and its scans into the store's ``folder`` (then the labels, then the manifest)."""
    folder = Path(folder)
    strings = _Strings()
    payload = {name: _encode_records(getattr(view, name), cls, strings) for name, cls in _RECORDS}
    type_sets: dict[frozenset[str], int] = {}  # many elements share a set of classes
    payload["types"] = [[strings(iri), type_sets.setdefault(classes, len(type_sets))]
                        for iri, classes in view.types.items()]
    payload["type_sets"] = [[strings(cls) for cls in sorted(classes)] for classes in type_sets]
    payload["unresolved"] = _encode(view.unresolved, strings)
    payload["ambiguous_parents"] = _encode(view.ambiguous_parents, strings)
    payload["terms_used"] = [strings(term) for term in sorted(view.terms_used)]
    payload["classes_read"] = [strings(term) for term in sorted(view.classes_read)]
    payload["unknown_uses"] = [[strings(term), strings(subject)] for term, subject in view.unknown_uses]
    _write_json(folder / VIEW_FILE, {**payload, "strings": list(strings.index)})
    del payload
    strings, others = _Strings(), {}
    scans = {predicate: _encode_scan(table, strings, others) for predicate, table in view.scans.items()}
    _write_json(folder / SCANS_FILE, {"scans": scans, "strings": list(strings.index), "terms": list(others)})


def _encode_records(records: dict, cls, strings: _Strings) -> list[list]:
    """Each record as the list of its fields' codes (a text as its string's position)."""
    names = [f.name for f in dataclasses.fields(cls)]
    return [[strings(value) if type(value) is str else _encode(value, strings)
             for value in map(record.__dict__.__getitem__, names)] for record in records.values()]


def _encode_scan(table: dict, strings: _Strings, others: dict) -> list[int]:
    """A scan as subject and value codes, in pairs; each term coded once (by identity: the
    scans hold one object per term, and keep it alive while this runs)."""
    codes: dict[int, int] = {}
    found: list[int] = []
    add = found.append
    for subject, values in table.items():
        subject_code = strings(subject)
        for value in values:
            code = codes.get(id(value))
            if code is None:
                code = codes[id(value)] = _term_code(value, strings, others)
            add(subject_code)
            add(code)
    return found


def write_labels(folder: str | Path, labels: Iterable[tuple[str, str, str]]) -> None:
    """Save (IRI, text, language) rows, streamed, into SQLite in the store's ``folder``.

    A report names a few thousand elements of millions, so each is looked up by IRI
    instead of all being read into memory, here or later.
    """
    connection = sqlite3.connect(Path(folder) / LABELS_FILE)
    try:
        connection.execute("CREATE TABLE labels (iri TEXT NOT NULL, text TEXT NOT NULL, language TEXT NOT NULL)")
        connection.executemany("INSERT INTO labels VALUES (?, ?, ?)", labels)
        connection.execute("CREATE INDEX labels_by_iri ON labels (iri)")
        connection.commit()
    finally:
        connection.close()


def _connect(path: Path) -> sqlite3.Connection:
    """Open the labels file read-only, refuse any schema but chainmodel's, and bound every query."""
    connection = sqlite3.connect(path.resolve().as_uri() + "?mode=ro&immutable=1", uri=True, check_same_thread=False)
    try:
        connection.execute("PRAGMA trusted_schema = OFF")
        schema = connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()
        if tuple(schema) != _LABELS_SCHEMA:
            raise sqlite3.DatabaseError("the file holds more or other than chainmodel's labels table")
    except BaseException:
        connection.close()
        raise
    return connection


class SavedLabels(Mapping):
    """IRI -> its (text, language) labels, read one IRI at a time from the saved SQLite file.

    The file is opened read-only and immutable, once per process (a forked worker opens
    its own); its schema must be exactly the table and index chainmodel writes, and every
    query stops after :data:`LABEL_QUERY_SECONDS`.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self._connection = None
        self._pid = None

    def _query(self, sql: str, parameters: tuple = ()) -> list:
        try:
            if self._pid != os.getpid():
                self._connection = _connect(self.path)
                self._pid = os.getpid()
            deadline = time.monotonic() + LABEL_QUERY_SECONDS
            self._connection.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
            return self._connection.execute(sql, parameters).fetchall()
        except sqlite3.DatabaseError as error:
            raise InputError(f"{self.path}: the labels saved with the store cannot be read ({error}); "
                             "load the store again with 'chainmodel load'") from None

    def check(self) -> None:
        """Raise ``sqlite3.DatabaseError`` if the file is not chainmodel's readable labels table."""
        connection = _connect(self.path)
        try:
            deadline = time.monotonic() + LABEL_QUERY_SECONDS
            connection.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
            connection.execute("SELECT iri, text, language FROM labels LIMIT 1").fetchall()
        finally:
            connection.close()

    def __getitem__(self, iri: str) -> list[tuple[str, str]]:
        rows = self._query("SELECT text, language FROM labels WHERE iri = ?", (iri,))
        if not rows:
            raise KeyError(iri)
        return [(str(text), str(language)) for text, language in rows]

    def __iter__(self) -> Iterator[str]:
        return iter([str(iri) for (iri,) in self._query("SELECT DISTINCT iri FROM labels ORDER BY iri")])

    def __len__(self) -> int:
        return int(self._query("SELECT COUNT(DISTINCT iri) FROM labels")[0][0])

    def items(self):
        """All labels, read in one pass (for looking a name up among every label)."""
        found: dict[str, list[tuple[str, str]]] = {}
        for iri, text, language in self._query("SELECT iri, text, language FROM labels"):
            found.setdefault(str(iri), []).append((str(text), str(language)))
        return found.items()


def _write_json(path: Path, data: dict) -> None:
    """Write ``data`` as compact JSON, a value at a time (two levels down) through the C encoder.

    ``json.dump`` to a file encodes in Python, several times slower; one ``json.dumps`` of
    everything would hold the whole text (a gigabyte at 10^7 triples) in memory.
    """
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    with open(path, "w", encoding="utf-8") as stream:
        stream.write("{")
        for number, (key, value) in enumerate(data.items()):
            stream.write(("," if number else "") + encode(key) + ":")
            if isinstance(value, dict):
                stream.write("{")
                for count, (inner, item) in enumerate(value.items()):
                    stream.write(("," if count else "") + encode(inner) + ":" + encode(item))
                stream.write("}")
            else:
                stream.write(encode(value))
        stream.write("}")


# -- decoding ----------------------------------------------------------------------------


def _lookup(items: list) -> Callable[[object], object]:
    """An item by its position; a position that is not a whole number in range is damage."""
    size = len(items)

    def item(position):
        if type(position) is not int or not 0 <= position < size:
            raise ValueError(f"no saved item at position {position!r}")
        return items[position]

    return item


def _kind_check(annotation: str) -> Callable[[object], object]:
    allowed = {"bool": (bool,), "bool | None": (bool, type(None)), "int | None": (int, type(None))}[annotation]

    def check(value):
        if type(value) not in allowed:
            raise ValueError(f"{value!r} is not a {annotation}")
        return value

    return check


def _decoder(annotation: str, strings: list[str]) -> Callable:
    lookup = _lookup(strings)

    def text(position):  # a field typed str may hold None where the model leaves it out
        return None if position is None else lookup(position)

    decoders = {
        "str": text,
        "str | None": text,
        "tuple[str, ...]": lambda x: tuple(map(text, x)),
        "frozenset[str]": lambda x: frozenset(map(text, x)),
        "tuple[tuple[str, int], ...]": lambda x: tuple((text(a), _kind_check("int | None")(b)) for a, b in x),
        "tuple[tuple[str, str], ...]": lambda x: tuple((text(a), text(b)) for a, b in x),
    }
    if annotation in decoders:
        return decoders[annotation]
    if annotation in ("bool", "bool | None", "int | None"):
        return _kind_check(annotation)
    raise TypeError(f"no decoder for a view field of type {annotation}")


def _records(cls, rows: list, strings: list[str]) -> dict:
    fields = dataclasses.fields(cls)
    names = [f.name for f in fields]
    decoders = [_decoder(f.type, strings) for f in fields]
    make = object.__new__
    found = {}
    for row in rows:
        if type(row) is not list or len(row) != len(names):
            raise ValueError(f"a saved {cls.__name__} has {len(row)} fields, not {len(names)}")
        for position, decode in enumerate(decoders):
            row[position] = decode(row[position])
        record = make(cls)
        record.__dict__.update(zip(names, row))  # frozen records: fill without __setattr__
        found[row[0]] = record
    return found


def _read_json(path: Path):
    with open(path, encoding="utf-8") as stream:
        return json.load(stream)


_DAMAGE = (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError,
           sqlite3.DatabaseError)
"""What reading a damaged or foreign file can raise: the view is then derived from the store."""

_checked: dict[tuple, bool] = {}


def is_current(folder: str | Path) -> bool:
    """Whether the store at ``folder`` has a saved view that is still current.

    Every file in the folder must still have the SHA-256 its manifest records (see
    :func:`chainmodel.store.read_manifest`), and the manifest must name this version of the
    code that derives the view. Checked once per process per state of the folder.
    """
    folder = Path(folder)
    manifest = read_manifest(folder)
    if manifest is None:
        return False
    key = (str(folder.resolve()), id(manifest))
    if key not in _checked:
        _checked[key] = manifest.get("view") == FORMAT and manifest.get("code") == _code_fingerprint()
    return _checked[key]


def _if_current(folder: str | Path, read: Callable[[Path], object]):
    """``read(folder)`` when the saved files are current and readable, else None: the caller
    then reads the store itself."""
    folder = Path(folder)
    if not is_current(folder):
        return None
    try:
        with paused_gc():
            return read(folder)
    except _DAMAGE:
        return None


def read_view(folder: str | Path, model, keep_scans: bool = True) -> ChainView | None:
    """The view saved in the store at ``folder``, or None when there is none or it is not current."""
    return _if_current(folder, lambda where: _decode(where, model, keep_scans))


def read_labels(folder: str | Path) -> SavedLabels | None:
    """The model's labels saved in the store at ``folder``, looked up by IRI, or None."""
    return _if_current(folder, _open_labels)


def read_scans(folder: str | Path) -> dict[str, dict[str, list]] | None:
    """The predicate scans saved in the store at ``folder`` (for validation), or None."""
    return _if_current(folder, _decode_scans)


def _open_labels(folder: Path) -> SavedLabels:
    labels = SavedLabels(folder / LABELS_FILE)
    labels.check()
    return labels


def _decode(folder: Path, model, keep_scans: bool) -> ChainView:
    data = _read_json(folder / VIEW_FILE)
    strings: list[str] = data["strings"]
    if not all(type(item) is str for item in strings):
        raise ValueError("the saved strings are not all text")
    text = _lookup(strings)
    tables = {name: _records(cls, data[name], strings) for name, cls in _RECORDS}
    type_sets = [frozenset(map(text, members)) for members in data["type_sets"]]
    type_set = _lookup(type_sets)
    types = {text(iri): type_set(position) for iri, position in data["types"]}
    view = ChainView(
        model=model,
        types=types,
        unresolved=tuple(tuple(map(text, row)) for row in data["unresolved"]),
        ambiguous_parents=tuple(map(text, data["ambiguous_parents"])),
        terms_used=frozenset(map(text, data["terms_used"])),
        classes_read=frozenset(map(text, data["classes_read"])),
        unknown_uses=tuple((text(term), text(subject)) for term, subject in data["unknown_uses"]),
        **tables,
    )
    del data
    if keep_scans:
        view.scans = _decode_scans(folder)
    return view


def _literal(kind: str, value: str, language: str, datatype: str) -> Literal:
    literal = rdf_literal(value, language or None, datatype or None)
    if kind == "L!" and not literal.ill_typed:
        literal._ill_typed = True  # as read from the store: rdflib had normalised its lexical form
    return literal


def _check_codes(codes, strings: int, others: int) -> None:
    """Subject and value codes of one predicate's scan must point at saved strings and terms."""
    if type(codes) is not list or len(codes) % 2 or not all(type(code) is int for code in codes):
        raise ValueError("a saved scan is not a list of pairs of whole numbers")
    if codes and (min(codes[0::2]) < 0 or max(codes[0::2]) >= strings
                  or min(codes[1::2]) < -others or max(codes[1::2]) >= strings):
        raise ValueError("a saved scan points past the saved strings and terms")


def _decode_scans(folder: Path) -> dict[str, dict[str, list]]:
    data = _read_json(folder / SCANS_FILE)
    strings: list[str] = data["strings"]
    terms = data["terms"]
    if not all(type(item) is str for item in strings) or not all(
            type(term) is list and len(term) == 4 and all(type(part) is str for part in term) for term in terms):
        raise ValueError("the saved strings and terms are not all text")
    others = [_literal(kind, value, language, datatype) if kind.startswith("L") else BNode(value)
              for kind, value, language, datatype in terms]
    iris: dict[int, URIRef] = {}
    scans: dict[str, dict[str, list]] = {}
    for predicate, codes in data["scans"].items():
        _check_codes(codes, len(strings), len(others))
        table: dict[str, list] = {}
        for position in range(0, len(codes), 2):
            code = codes[position + 1]
            if code >= 0:
                value = iris.get(code)
                if value is None:
                    value = iris[code] = str.__new__(URIRef, strings[code])
            else:
                value = others[-1 - code]
            subject = strings[codes[position]]
            if subject in table:
                table[subject].append(value)
            else:
                table[subject] = [value]
        scans[predicate] = table
    return scans


# -- the layer above views: load, open, and ask for a view ---------------------------------


class SavedIndex:
    """What ``chainmodel load`` saved beside a store's triples (set as ``OxigraphGraph.saved``).

    Each call answers None when nothing current was saved: the caller then reads the triples.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "store"
    >>> load_store(["examples/case-a-laptop"], folder)
    286
    >>> saved = SavedIndex(folder)
    >>> saved.is_current(), saved.labels()["https://example.org/chainmodel/case-a#laptop"][0][0] != ""
    (True, True)
    """

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    def is_current(self) -> bool:
        """Whether the saved files are intact and were written by this version of chainmodel."""
        return is_current(self.folder)

    def view(self, model, keep_scans: bool = True) -> ChainView | None:
        """The saved chain view of ``model``, or None."""
        return read_view(self.folder, model, keep_scans)

    def scans(self) -> dict | None:
        """The saved predicate scans (for validation), or None."""
        return read_scans(self.folder)

    def labels(self) -> SavedLabels | None:
        """The saved labels, looked up by IRI, or None."""
        return read_labels(self.folder)


def _derive_view(graph) -> ChainView:
    """The chain view of the model as loaded (its tables), with every predicate validation reads."""
    view = views.chain_view(ChainModel(graph=graph), keep_scans=True)
    read_shape_predicates(graph, view.scans, view.types)
    view.model = None  # let go of the tables
    return view


class _Loading:
    """One load: the files parsed once, into the store and into tables the view is derived from.

    The store's blank nodes are named as in the tables, so the view derived here is the one
    the store itself gives (a test compares them).
    """

    def __init__(self, progress: Callable[[str], None] | None):
        self.progress = progress
        self.tables: TableGraph | None = None

    def fill(self, store: ox.Store, files: Sequence[Path]) -> None:
        """Parse the files once: their quads go into the store as they are read (blank nodes
        named as in the tables, named graphs merged into the default one, as an in-memory
        load merges them), and into the tables the view is derived from.

        Oxigraph's own bulk load on another thread beside the tables gave nothing on two
        cores (both sides are busy), and it names blank nodes at random: putting them right
        afterwards cost more than it saved.
        """
        self.tables = read_tables(files, quads=store.bulk_extend)

    def finish(self, folder: Path, store: ox.Store) -> dict:
        tables, self.tables = self.tables, None
        if self.progress:
            self.progress(f"deriving the chain view of {tables.statements:,} statements, to save with the store")
        write_view(folder, _derive_view(tables))
        write_labels(folder, label_rows(tables))
        return {"view": FORMAT, "code": _code_fingerprint()}


def load_store(paths: Sequence[str | Path], folder: str | Path, progress: Callable[[str], None] | None = None, *,
               prefixes: Mapping[str, str] | None = None) -> int:
    """Build an on-disk store from model files with its chain view saved, all or nothing.

    :func:`chainmodel.store.build_store` decides what folder may be replaced. Each file is
    parsed once (:func:`chainmodel.tablegraph.read_tables`, with every refusal of an
    in-memory load): its quads go into the store as they are read, and into tables from
    which the chain view, its scans and the labels are derived and saved in the store before
    it is sealed. Nothing is read back out of the store.

    Parameters
    ----------
    paths : sequence of path
        Model files and folders.
    folder : path
        The store's folder (missing, empty, or a store chainmodel built).
    progress : callable, optional
        Called with one line per stage.
    prefixes : mapping, optional
        The model files' prefixes, kept for display.

    Returns
    -------
    int
        The number of triples loaded.

    Raises
    ------
    InputError, ParseError, RefusedInput
        As :func:`chainmodel.store.build_store`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> load_store(["examples/case-a-laptop"], pathlib.Path(tempfile.mkdtemp()) / "store")
    286
    """
    loading = _Loading(progress)
    return storage.build_store(paths, folder, progress, prefixes=prefixes, fill=loading.fill, finish=loading.finish)


def open_store(spec: str) -> OxigraphGraph:
    """Open ``oxigraph:DIR`` read-only, with what ``chainmodel load`` saved beside it.

    Raises
    ------
    InputError
        No store there, or not an Oxigraph store.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "store"
    >>> load_store(["examples/case-a-laptop"], folder)
    286
    >>> open_store(f"oxigraph:{folder}").has_saved_view()
    True
    """
    graph = storage.open_store(spec)
    graph.saved = SavedIndex(graph.folder)
    return graph


def chain_view(model: ChainModel, keep_scans: bool = True) -> ChainView:
    """The chain view of ``model``: the one saved in its store while current, else derived.

    A model on a store opened with :func:`chainmodel.store.open_store` (nothing attached)
    is given its saved index here. Any other model's view is derived
    (:func:`chainmodel.views.chain_view`).

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> len(chain_view(load_model(["examples/case-b-optout"])).consignments)
    5
    """
    graph = model.graph
    if isinstance(graph, OxigraphGraph) and graph.folder is not None:
        if graph.saved is None:
            graph.saved = SavedIndex(graph.folder)
        saved = graph.saved.view(model, keep_scans)
        if saved is not None:
            views.name_implicit(saved)
            return saved
    return views.chain_view(model, keep_scans)
