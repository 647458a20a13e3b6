"""The chain view saved inside an Oxigraph store, so that commands need not read the store again.

Reading a triple out of Oxigraph's on-disk store costs about 5 µs, by pattern or by SPARQL
alike, against under 1 µs to parse it from a file; at 10^7 triples deriving the view from
the store would take minutes on every command. So ``chainmodel load`` derives the view
once, right after the bulk load, and writes it into the store's folder with the
predicate scans that validation reads and the labels that messages use. A command that opens the store uses what was
saved only while it is current: the manifest records a fingerprint of the store's files
and of the code and ontology that derived the view, and any difference (the store was
written by another tool, chainmodel was upgraded) means the view is derived from the
store again, with the same answers, only slower. The RDF in the store stays the one
source of truth; this is an index of it.

The view and scans are JSON and the labels an SQLite table, never pickle: opening a store
someone sent you must not run code.

Examples
--------
>>> import tempfile, pathlib
>>> from chainmodel.store import load_store, open_store
>>> from chainmodel.model import ChainModel, load_model
>>> from chainmodel.views import chain_view
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "store"
>>> load_store(["examples/case-b-optout"], folder)
276
>>> saved = read_view(folder, ChainModel(graph=open_store(f"oxigraph:{folder}")), keep_scans=False)
>>> saved.consignments == chain_view(load_model(["examples/case-b-optout"])).consignments
True
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Callable, Iterable, Iterator

from rdflib import BNode, Literal, URIRef

from . import views
from .errors import InputError
from .loading import paused_gc
from .resources import ontology_path
from .views import ChainView

__all__ = ["write_view", "write_labels", "write_manifest", "read_view", "read_labels", "read_scans", "is_current",
           "store_fingerprint", "MANIFEST_FILE"]

FORMAT = 2
"""Bumped whenever the layout of the saved files changes."""

MANIFEST_FILE = "chainmodel-manifest.json"
VIEW_FILE = "chainmodel-view.json"
SCANS_FILE = "chainmodel-scans.json"
LABELS_FILE = "chainmodel-labels.sqlite"
_OURS = (MANIFEST_FILE, VIEW_FILE, SCANS_FILE, LABELS_FILE)
_NOT_CONTENT = ("LOG", "LOCK")  # RocksDB's own log and lock change without the data changing

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


def store_fingerprint(folder: str | Path) -> str:
    """A digest of the store's files (names, sizes, modification times).

    RocksDB never rewrites a file in place: any write adds or replaces files, so the
    fingerprint changes. Opening the store read-only leaves it as it was.
    """
    digest = hashlib.sha256()
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.name in _OURS or entry.name.startswith(_NOT_CONTENT) or not entry.is_file():
            continue
        stat = entry.stat()
        digest.update(f"{entry.name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _code_fingerprint() -> str:
    """A digest of what decides the view: the derivation and how the store is read, this
    codec, the shipped ontology and shapes, and the versions of rdflib and pyoxigraph (rdflib
    decides how a literal is read, e.g. whether it is ill-typed)."""
    import pyoxigraph
    import rdflib

    from . import model, shapes, store

    digest = hashlib.sha256(f"{FORMAT} {rdflib.__version__} {pyoxigraph.__version__}".encode())
    for path in (Path(views.__file__), Path(__file__), Path(store.__file__), Path(model.__file__),
                 Path(shapes.__file__), ontology_path("chainmodel.ttl"), ontology_path("shapes.ttl")):
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
    payload = {name: [[_encode(getattr(record, f.name), strings) for f in dataclasses.fields(cls)]
                      for record in getattr(view, name).values()]
               for name, cls in _RECORDS}
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
    scans = {predicate: [code for subject, values in table.items() for value in values
                         for code in (strings(subject), _term_code(value, strings, others))]
             for predicate, table in view.scans.items()}
    _write_json(folder / SCANS_FILE, {"scans": scans, "strings": list(strings.index), "terms": list(others)})


def write_manifest(folder: str | Path) -> None:
    """Seal what was saved: written last, once the store is closed, so that a save that did
    not finish leaves nothing that looks current."""
    folder = Path(folder)
    _write_json(folder / MANIFEST_FILE, {
        "format": FORMAT,
        "code": _code_fingerprint(),
        "store": store_fingerprint(folder),
        "files": {name: (folder / name).stat().st_size for name in (VIEW_FILE, SCANS_FILE, LABELS_FILE)},
    })


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


class SavedLabels(Mapping):
    """IRI -> its (text, language) labels, read one IRI at a time from the saved SQLite file.

    The file is opened read-only and immutable, once per process (a forked worker opens
    its own).
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self._connection = None
        self._pid = None

    def _query(self, sql: str, parameters: tuple = ()) -> list:
        if self._pid != os.getpid():
            uri = self.path.resolve().as_uri() + "?mode=ro&immutable=1"
            self._connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._pid = os.getpid()
        try:
            return self._connection.execute(sql, parameters).fetchall()
        except sqlite3.DatabaseError as error:
            raise InputError(f"{self.path}: the labels saved with the store cannot be read ({error}); "
                             "load the store again with 'chainmodel load'") from None

    def check(self) -> None:
        """Raise ``sqlite3.DatabaseError`` if the file is not a readable labels table."""
        connection = sqlite3.connect(self.path.resolve().as_uri() + "?mode=ro&immutable=1", uri=True)
        try:
            connection.execute("SELECT iri, text, language FROM labels LIMIT 1").fetchall()
        finally:
            connection.close()

    def __getitem__(self, iri: str) -> list[tuple[str, str]]:
        rows = self._query("SELECT text, language FROM labels WHERE iri = ?", (iri,))
        if not rows:
            raise KeyError(iri)
        return [(text, language) for text, language in rows]

    def __iter__(self) -> Iterator[str]:
        return iter([iri for (iri,) in self._query("SELECT DISTINCT iri FROM labels ORDER BY iri")])

    def __len__(self) -> int:
        return self._query("SELECT COUNT(DISTINCT iri) FROM labels")[0][0]

    def items(self):
        """All labels, read in one pass (for looking a name up among every label)."""
        found: dict[str, list[tuple[str, str]]] = {}
        for iri, text, language in self._query("SELECT iri, text, language FROM labels"):
            found.setdefault(iri, []).append((text, language))
        return found.items()


def _write_json(path: Path, data) -> None:
    with open(path, "w", encoding="utf-8") as stream:
        json.dump(data, stream, ensure_ascii=False, separators=(",", ":"))


# -- decoding ----------------------------------------------------------------------------


def _decoder(annotation: str, strings: list[str]) -> Callable:
    def text(position):  # a field typed str may hold None where the model leaves it out
        return None if position is None else strings[position]

    decoders = {
        "str": text,
        "str | None": text,
        "tuple[str, ...]": lambda x: tuple(map(text, x)),
        "frozenset[str]": lambda x: frozenset(map(text, x)),
        "tuple[tuple[str, int], ...]": lambda x: tuple((text(a), b) for a, b in x),
        "tuple[tuple[str, str], ...]": lambda x: tuple((text(a), text(b)) for a, b in x),
    }
    if annotation in decoders:
        return decoders[annotation]
    if annotation in ("bool", "bool | None", "int | None"):
        return None  # stored as it is
    raise TypeError(f"no decoder for a view field of type {annotation}")


def _records(cls, rows: list, strings: list[str]) -> dict:
    fields = dataclasses.fields(cls)
    names = [f.name for f in fields]
    decoders = [_decoder(f.type, strings) for f in fields]
    plan = [(position, decode) for position, decode in enumerate(decoders) if decode is not None]
    make = object.__new__
    found = {}
    for row in rows:
        for position, decode in plan:
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

_checked: dict[tuple[str, str], bool] = {}


def is_current(folder: str | Path) -> bool:
    """Whether the store at ``folder`` has a saved view that is still current (checked once per process)."""
    folder = Path(folder)
    key = (str(folder.resolve()), store_fingerprint(folder) if folder.is_dir() else "")
    if key not in _checked:
        _checked[key] = _current(folder)
    return _checked[key]


def _current(folder: Path) -> bool:
    try:
        manifest = _read_json(folder / MANIFEST_FILE)
        return (manifest.get("format") == FORMAT and manifest.get("code") == _code_fingerprint()
                and manifest.get("store") == store_fingerprint(folder)
                and all((folder / name).stat().st_size == size for name, size in manifest["files"].items()))
    except _DAMAGE:
        return False


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
    tables = {name: _records(cls, data[name], strings) for name, cls in _RECORDS}
    type_sets = [frozenset(map(strings.__getitem__, members)) for members in data["type_sets"]]
    types = {strings[iri]: type_sets[position] for iri, position in data["types"]}
    view = ChainView(
        model=model,
        types=types,
        unresolved=tuple(tuple(map(strings.__getitem__, row)) for row in data["unresolved"]),
        ambiguous_parents=tuple(map(strings.__getitem__, data["ambiguous_parents"])),
        terms_used=frozenset(map(strings.__getitem__, data["terms_used"])),
        classes_read=frozenset(map(strings.__getitem__, data["classes_read"])),
        unknown_uses=tuple((strings[term], strings[subject]) for term, subject in data["unknown_uses"]),
        **tables,
    )
    del data
    if keep_scans:
        view.scans = _decode_scans(folder)
    return view


def _literal(kind: str, value: str, language: str, datatype: str) -> Literal:
    literal = Literal(value, lang=language or None, datatype=URIRef(datatype) if datatype else None)
    if kind == "L!" and not literal.ill_typed:
        literal._ill_typed = True  # as read from the store: rdflib had normalised its lexical form
    return literal


def _decode_scans(folder: Path) -> dict[str, dict[str, list]]:
    data = _read_json(folder / SCANS_FILE)
    strings: list[str] = data["strings"]
    others = [_literal(kind, value, language, datatype) if kind.startswith("L") else BNode(value)
              for kind, value, language, datatype in data["terms"]]
    iris: dict[int, URIRef] = {}
    scans: dict[str, dict[str, list]] = {}
    for predicate, codes in data["scans"].items():
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
