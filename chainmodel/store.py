"""Where a model lives: in memory (rdflib), in an on-disk Oxigraph store, or behind a SPARQL endpoint.

Every analysis reads the model through the same few calls (``subject_objects``,
``objects``, ``subjects``, ``len``, and ``in``), so the three backends give identical
answers. :class:`OxigraphGraph` and :class:`EndpointGraph` offer those calls over a
pyoxigraph store and a read-only SPARQL 1.1 endpoint; views scan each predicate once.
A store built by :func:`load_store` also keeps the chain view derived at load time (see
:mod:`chainmodel.snapshot`), which commands read instead of every triple while it is current.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "store"
>>> load_store(["examples/case-a-laptop"], folder)
286
>>> graph = open_store(f"oxigraph:{folder}")
>>> len(graph)
286
"""

from __future__ import annotations

import json
import os
import shutil
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from .errors import InputError, ParseError, RefusedInput
from .loading import CHAINMODEL_ONTOLOGY, FORMATS, _refuse_remote_contexts, _refuse_xml_declarations, model_files
from .model import ChainModel, label_rows
from .shapes import read_shape_predicates
from .snapshot import write_labels, write_manifest, write_view
from .views import ChainView, chain_view

__all__ = ["OxigraphGraph", "EndpointGraph", "open_store", "load_store", "as_rdflib", "read_prefixes",
           "write_prefixes", "STORE_PREFIX"]

SHACL_LIMIT = 2_000_000
"""Past this many triples, a store is not copied into memory for pySHACL."""

PREFIX_FILE = "chainmodel-prefixes.json"
"""Beside the store's own files: the prefixes the model files declared, for display and names."""

STORE_PREFIX = "oxigraph:"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def _from_ox(term):
    if isinstance(term, ox.NamedNode):
        return str.__new__(URIRef, term.value)  # the store's IRIs are valid: skip rdflib's check
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value in (_XSD_STRING, _LANG_STRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    return None


def _to_ox(term):
    if term is None:
        return None
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


class OxigraphGraph:
    """The read-only calls the analyses need, over a pyoxigraph ``Store`` (all named graphs merged)."""

    def __init__(self, store: ox.Store, location: str = "memory", folder: Path | None = None):
        self.store = store
        self.location = location
        self.folder = folder
        self._iris: dict[str, URIRef] = {}  # one URIRef per IRI: the same parties recur in millions of triples

    def saved_view(self, model, keep_scans: bool = True):
        """The chain view ``chainmodel load`` saved in the store, if it is still current, else None."""
        if self.folder is None:
            return None
        from .snapshot import read_view

        return read_view(self.folder, model, keep_scans)

    def saved_scans(self) -> dict | None:
        """The predicate scans validation reads, saved with the store, or None."""
        if self.folder is None:
            return None
        from .snapshot import read_scans

        return read_scans(self.folder)

    def has_saved_view(self) -> bool:
        """Whether ``chainmodel load`` saved the view and labels with the store, still current."""
        from .snapshot import is_current

        return self.folder is not None and is_current(self.folder)

    def saved_labels(self) -> dict[str, list[tuple[str, str]]] | None:
        """The model's labels saved with the store (IRI -> (text, language) pairs), or None."""
        if self.folder is None:
            return None
        from .snapshot import read_labels

        return read_labels(self.folder)

    def _quads(self, s, p, o) -> Iterator:
        return self.store.quads_for_pattern(_to_ox(s), _to_ox(p), _to_ox(o), None)

    def triples(self, pattern) -> Iterator[tuple]:
        s, p, o = pattern
        for quad in self._quads(s, p, o):
            yield _from_ox(quad.subject), _from_ox(quad.predicate), _from_ox(quad.object)

    def subject_objects(self, predicate) -> Iterator[tuple]:
        iris = self._iris
        for quad in self._quads(None, predicate, None):
            subject, value = quad.subject, quad.object
            if isinstance(subject, ox.NamedNode):
                text = subject.value
                subject = iris.get(text) or iris.setdefault(text, str.__new__(URIRef, text))
            else:
                subject = _from_ox(subject)
            if isinstance(value, ox.NamedNode):
                text = value.value
                value = iris.get(text) or iris.setdefault(text, str.__new__(URIRef, text))
            else:
                value = _from_ox(value)
            yield subject, value

    def objects(self, subject=None, predicate=None) -> Iterator:
        for quad in self._quads(subject, predicate, None):
            yield _from_ox(quad.object)

    def subjects(self, predicate=None, object=None) -> Iterator:
        for quad in self._quads(None, predicate, object):
            yield _from_ox(quad.subject)

    def __contains__(self, pattern) -> bool:
        return next(iter(self._quads(*pattern)), None) is not None

    def terms_used(self, namespace: str) -> set[str]:
        """Predicates, classes and IRIs of ``namespace`` used in the store, found inside it."""
        return _terms_used_by_query(lambda text: (row for row in self.store.query(
            text, use_default_graph_as_union=True)), namespace)

    def __len__(self) -> int:
        return len(self.store)  # counted inside the store

    def __iter__(self):
        return self.triples((None, None, None))


class EndpointGraph:
    """The same calls over a read-only SPARQL 1.1 endpoint (Oxigraph server, Fuseki, GraphDB, ...).

    Each call is one SELECT; results come back as SPARQL JSON. Nothing is ever written.
    """

    bulk_reads = True
    """One request per look-up is slow: read a whole predicate at once instead."""

    def __init__(self, url: str, timeout: float = 60.0, opener: Callable | None = None):
        parsed = urllib.parse.urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise InputError(f"{url}: an endpoint must be an http:// or https:// URL")
        self.url = url
        self.location = url
        self.timeout = timeout
        self._open = opener or urllib.request.urlopen

    def select(self, query: str) -> list[dict]:
        """Run one SELECT; return its bindings as dicts of rdflib terms."""
        data = urllib.parse.urlencode({"query": query}).encode()
        request = urllib.request.Request(self.url, data=data, headers={
            "Accept": "application/sparql-results+json",
            "Content-Type": "application/x-www-form-urlencoded",
        })
        try:
            with self._open(request, timeout=self.timeout) as response:
                payload = json.loads(response.read().decode("utf-8"))
        except (OSError, ValueError) as error:
            raise InputError(f"{self.url}: the endpoint did not answer ({error}); check the URL and that it is running") from None
        return [{name: _from_json(value) for name, value in row.items()} for row in payload["results"]["bindings"]]

    @staticmethod
    def _term(term) -> str:
        if isinstance(term, URIRef):
            return f"<{term}>"
        if isinstance(term, Literal):
            return term.n3()
        raise TypeError(f"an endpoint pattern needs an IRI or literal, not {term!r}")

    def subject_objects(self, predicate) -> Iterator[tuple]:
        for row in self.select(f"SELECT ?s ?o WHERE {{ ?s {self._term(predicate)} ?o }}"):
            yield row["s"], row["o"]

    def objects(self, subject=None, predicate=None) -> Iterator:
        if subject is None or isinstance(subject, BNode):
            for _, value in ((s, o) for s, o in self.subject_objects(predicate) if subject is None or s == subject):
                yield value
            return
        for row in self.select(f"SELECT ?o WHERE {{ {self._term(subject)} {self._term(predicate)} ?o }}"):
            yield row["o"]

    def subjects(self, predicate=None, object=None) -> Iterator:
        for row in self.select(f"SELECT ?s WHERE {{ ?s {self._term(predicate)} {self._term(object)} }}"):
            yield row["s"]

    def triples(self, pattern) -> Iterator[tuple]:
        for row in self.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }"):
            triple = (row["s"], row["p"], row["o"])
            if all(want is None or want == got for want, got in zip(pattern, triple)):
                yield triple

    def __contains__(self, pattern) -> bool:
        parts = [self._term(t) if t is not None and not isinstance(t, BNode) else f"?v{i}" for i, t in enumerate(pattern)]
        return bool(self.select(f"SELECT * WHERE {{ {' '.join(parts)} }} LIMIT 1"))

    def terms_used(self, namespace: str) -> set[str]:
        """Predicates, classes and IRIs of ``namespace`` used behind the endpoint."""
        return _terms_used_by_query(self.select, namespace)

    def __len__(self) -> int:
        (row,) = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(row["n"])

    def __iter__(self):
        return self.triples((None, None, None))


def _terms_used_by_query(select: Callable, namespace: str) -> set[str]:
    """The terms a model uses, by three SELECT DISTINCT queries run by ``select``."""
    quoted = json.dumps(namespace)
    queries = (
        "SELECT DISTINCT ?t WHERE { ?s ?t ?o }",
        "SELECT DISTINCT ?t WHERE { ?s a ?t FILTER(isIRI(?t)) }",
        f"SELECT DISTINCT ?t WHERE {{ {{ ?t ?p ?o }} UNION {{ ?s ?p ?t }} FILTER(isIRI(?t) && STRSTARTS(STR(?t), {quoted})) }}",
    )
    found: set[str] = set()
    for text in queries:
        for row in select(text):
            term = row["t"]
            found.add(term.value if hasattr(term, "value") else str(term))
    return found


def _from_json(value: dict):
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if "xml:lang" in value:
        return Literal(value["value"], lang=value["xml:lang"])
    datatype = value.get("datatype")
    if datatype and datatype not in (_XSD_STRING, _LANG_STRING):
        return Literal(value["value"], datatype=URIRef(datatype))
    return Literal(value["value"])


def open_store(spec: str) -> OxigraphGraph:
    """Open ``oxigraph:DIR`` (made by :func:`load_store`) read-only."""
    if not spec.startswith(STORE_PREFIX):
        raise InputError(f"{spec}: a store is given as oxigraph:DIR, e.g. --store oxigraph:./store")
    folder = Path(spec[len(STORE_PREFIX):])
    if not folder.is_dir():
        raise InputError(f"{folder}: no store there; create it with 'chainmodel load MODEL... --store {spec}'")
    try:
        store = ox.Store.read_only(str(folder))
    except OSError as error:
        raise InputError(f"{folder}: not an Oxigraph store ({error}); build one with 'chainmodel load MODEL... --store {spec}'") from None
    return OxigraphGraph(store, spec, folder)


def load_store(paths: Sequence[str | Path], folder: str | Path, progress: Callable[[str], None] | None = None) -> int:
    """Build an on-disk store from model files, replacing the folder only when all went well.

    The store is built in a sibling folder and swapped in at the end, so an interrupted or
    failed load leaves ``folder`` as it was. Files are checked for what chainmodel refuses
    (XML entities, JSON-LD contexts by address) before anything is loaded. The chain view
    is derived once and saved in the store (see :mod:`chainmodel.snapshot`), so commands
    that open it need not read every triple back. Returns the number of triples in the
    new store.
    """
    files = model_files(paths)
    target = Path(folder)
    building = target.with_name(target.name + ".loading")
    if building.exists():
        shutil.rmtree(building)
    building.mkdir(parents=True)
    try:
        store = ox.Store(str(building))
        for number, path in enumerate(files, start=1):
            if progress:
                progress(f"loading {path} ({number}/{len(files)})")
            rdf_format = FORMATS[path.suffix.lower()]
            if rdf_format == ox.RdfFormat.RDF_XML:
                _refuse_xml_declarations(path, path.read_bytes())
            if rdf_format == ox.RdfFormat.JSON_LD:
                _refuse_remote_contexts(path, path.read_bytes())
            try:
                store.bulk_load(path=str(path), format=rdf_format, to_graph=ox.DefaultGraph())
            except SyntaxError as error:
                raise ParseError(str(path), error.lineno, str(error)) from None
        _refuse_unlisted_imports(store)
        store.flush()
        store.optimize()
        count = len(store)
        if progress:
            progress(f"deriving the chain view of {count:,} triples, to save with the store")
        write_view(building, _derive_view(store))
        write_labels(building, label_rows(OxigraphGraph(store)))
        del store  # closed: the manifest's fingerprint covers the store's final files
        write_manifest(building)
        previous = target.with_name(target.name + ".previous")
        if target.exists():
            if previous.exists():
                shutil.rmtree(previous)
            os.replace(target, previous)
        os.replace(building, target)
        if previous.exists():
            shutil.rmtree(previous)
        if progress:
            progress(f"loaded {count:,} triples into {target}")
        return count
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise


def _derive_view(store: ox.Store) -> ChainView:
    """The chain view of a freshly loaded store, with every predicate validation reads."""
    view = chain_view(ChainModel(graph=OxigraphGraph(store)), keep_scans=True)
    read_shape_predicates(OxigraphGraph(store), view.scans, view.types)
    view.model = None  # let go of the store
    return view


def _prefix_path(spec: str) -> Path:
    folder = Path(spec[len(STORE_PREFIX):])
    return folder.with_name(folder.name + "." + PREFIX_FILE)


def write_prefixes(spec: str, prefixes: dict[str, str]) -> None:
    """Keep the model files' prefixes beside the store (the store itself has no place for them)."""
    _prefix_path(spec).write_text(json.dumps(dict(sorted(prefixes.items())), indent=1), encoding="utf-8")


def read_prefixes(spec: str) -> dict[str, str]:
    path = _prefix_path(spec)
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


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
