"""A read-only graph of per-predicate tables, filled in one pass over the parser's stream.

rdflib's in-memory graph keeps three indexes of every triple and costs about 1.2 KB and
30 µs a triple to fill; a chain view reads each predicate once, by subject. So
:func:`read_tables` parses every model file with pyoxigraph (as :mod:`chainmodel.loading`
does, with the same refusals, errors and blank-node names) straight into one table per
predicate, subject key -> objects, with one term object per distinct IRI and each typed
literal made once. :class:`TableGraph` answers the calls the views, labels, shapes and
analyses make (``subject_objects``, ``objects``, ``subjects``, ``triples``,
``subject_predicates``, ``in``, ``len``, ``terms_used``), with rdflib terms and rdflib's
answers: a triple stated twice is there once, literals compare as rdflib compares them.

Subject keys are IRIs, and ``_:label`` for blank nodes, as in a chain view's scans
(:attr:`chainmodel.views.ChainView.scans`), so :meth:`TableGraph.table` hands a predicate's
table to the view without reading it again.

Nothing here edits a graph: what-if scenarios, in-memory SPARQL, the pySHACL cross-check
and exports work on an rdflib ``Graph``; :meth:`TableGraph.to_rdflib` makes one when asked
(an explicit copy, about as costly as parsing into rdflib in the first place).

Examples
--------
>>> graph = read_tables(["examples/case-b-optout"])
>>> len(graph) == len(load_graph(["examples/case-b-optout"]))
True
>>> from rdflib.namespace import RDFS
>>> sorted(graph.table(RDFS.label)["https://example.org/chainmodel/case-b#jmimo"])
[rdflib.term.Literal('J-MIMO', lang='en'), rdflib.term.Literal('一般財団法人日本医師会医療情報管理機構', lang='ja')]
"""

from __future__ import annotations

from collections import deque
from itertools import repeat
from operator import is_
from pathlib import Path
from types import MappingProxyType
from typing import Callable, Iterable, Iterator, Mapping, Sequence

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF
from rdflib.term import _is_valid_langtag

from .errors import RefusedInput
from .loading import (CHAINMODEL_ONTOLOGY, TripleTerm, file_bytes, load_graph, model_files, parsing, paused_gc,
                      rdf_literal, refuse_unlisted_imports)

__all__ = ["TableGraph", "read_tables"]

_RDF_TYPE = str(RDF.type)
_OWL_IMPORTS = str(OWL.imports)
_EMPTY: Mapping[str, list] = MappingProxyType({})


class TableGraph:
    """Triples as one table per predicate: subject key -> objects (rdflib terms), read-only.

    Made by :func:`read_tables`. A subject key is the IRI, or ``_:label`` for a blank node.
    """

    bulk_reads = False
    """Labels are looked up one IRI at a time (see :meth:`chainmodel.model.ChainModel.label`)."""

    def __init__(self) -> None:
        self._rows: dict[str, tuple[list[str], list]] = {}  # as read: subject keys and objects, in order
        self._tables: dict[str, dict[str, list]] = {}  # made from the rows when first asked for
        self._predicates: dict[str, URIRef] = {}
        self._iris: dict[str, URIRef] = {}
        self._blanks: dict[str, BNode] = {}
        self._subjects: dict[str, str] = {}
        self._count = 0
        self._read = 0
        self._parents: dict[str, list[tuple[str, str]]] | None = None

    # -- reading by table ------------------------------------------------------------------

    def table(self, predicate) -> Mapping[str, list]:
        """Subject key -> objects of one predicate (empty when the model never uses it). Do not modify it.

        Each table is made when first asked for, from the statements as they were read: a
        predicate nothing asks for (``rdfs:comment``, say) costs its reading and no more.
        """
        found = self._table(str(predicate))
        return found if found is not None else _EMPTY

    @property
    def statements(self) -> int:
        """How many statements were read, a statement made twice counted twice (``len`` counts triples)."""
        return sum(len(keys) for keys, _ in self._rows.values()) + self._read

    def key(self, term) -> str | None:
        """The subject key of a term (the same string the tables use), or None for a literal."""
        key = _key(term)
        return self._subjects.get(key, key) if key is not None else None

    def term(self, key: str) -> URIRef | BNode:
        """The term of a subject key: the IRI's one :class:`~rdflib.term.URIRef`, or the blank node."""
        if key.startswith("_:"):
            node = self._blanks.get(key)
            return node if node is not None else BNode(key[2:])
        node = self._iris.get(key)
        if node is None:
            node = self._iris[key] = str.__new__(URIRef, key)
        return node

    # -- rdflib's reading calls ------------------------------------------------------------

    def subject_objects(self, predicate=None, unique: bool = False) -> Iterator[tuple]:
        for _, values in self._predicate_tables(predicate):
            for subject, objects in values.items():
                term = self.term(subject)
                for value in objects:
                    yield term, value

    def objects(self, subject=None, predicate=None, unique: bool = False) -> Iterator:
        return _once(unique, (value for _, _, value in self.triples((subject, predicate, None))))

    def subjects(self, predicate=None, object=None, unique: bool = False) -> Iterator:
        if object is None:  # one per triple, as rdflib yields them
            found = (self.term(subject) for _, table in self._predicate_tables(predicate)
                     for subject, objects in table.items() for _ in objects)
        else:
            found = (subject for subject, _, _ in self.triples((None, predicate, object)))
        return _once(unique, found)

    def predicates(self, subject=None, object=None, unique: bool = False) -> Iterator:
        return _once(unique, (predicate for _, predicate, _ in self.triples((subject, None, object))))

    def subject_predicates(self, object=None, unique: bool = False) -> Iterator[tuple]:
        if object is not None and isinstance(object, BNode):
            for subject, predicate in self._blank_parents().get(f"_:{object}", ()):
                yield self.term(subject), self._predicates[predicate]
            return
        for subject, predicate, _ in self.triples((None, None, object)):
            yield subject, predicate

    def predicate_objects(self, subject=None, unique: bool = False) -> Iterator[tuple]:
        for _, predicate, value in self.triples((subject, None, None)):
            yield predicate, value

    def triples(self, pattern) -> Iterator[tuple]:
        """Every triple matching ``(subject, predicate, object)``; None matches anything."""
        subject, predicate, value = pattern
        key = _key(subject) if subject is not None else None
        if subject is not None and key is None:
            return  # a literal is never a subject
        for name, table in self._predicate_tables(predicate):
            predicate_term = self._predicates[name]
            if key is None:
                rows = table.items()
            else:
                rows = ((key, table[key]),) if key in table else ()
            for found, objects in rows:
                term = None
                for candidate in objects:
                    if value is None or candidate is value or candidate == value:
                        if term is None:
                            term = self.term(found)
                        yield term, predicate_term, candidate

    def value(self, subject=None, predicate=RDF.value, object=None, default=None, any: bool = True):
        """One object of ``(subject, predicate)`` (or subject of ``(predicate, object)``), else ``default``."""
        if subject is not None:
            return next(self.objects(subject, predicate), default)
        return next(self.subjects(predicate, object), default)

    def __contains__(self, pattern) -> bool:
        return next(self.triples(pattern), None) is not None

    def __iter__(self) -> Iterator[tuple]:
        return self.triples((None, None, None))

    def __len__(self) -> int:
        self._every_table()
        return self._count

    def terms_used(self, namespace: str) -> set[str]:
        """Every predicate, every class named by ``rdf:type``, and every IRI of ``namespace`` in the model."""
        found = set(self._predicates)
        found.update(str(value) for objects in self.table(_RDF_TYPE).values() for value in objects
                     if isinstance(value, URIRef))
        found.update(iri for iri in self._iris if iri.startswith(namespace))  # objects and predicates
        found.update(key for key in self._subjects if key.startswith(namespace))
        return found

    def to_rdflib(self) -> Graph:
        """An rdflib ``Graph`` with the same triples (for editing, SPARQL, pySHACL or an export).

        An explicit copy: it costs about what parsing the files into rdflib costs (about 1.2 KB
        and 20-30 µs a triple), so keep it to models of a few hundred thousand triples.
        """
        graph = Graph()
        for triple in self.triples((None, None, None)):
            graph.add(triple)
        return graph

    # -- internals -------------------------------------------------------------------------

    def _table(self, name: str) -> dict[str, list] | None:
        """The table of one predicate, made from its rows the first time; None when it has none."""
        found = self._tables.get(name)
        if found is None and name in self._rows:
            keys, values = self._rows.pop(name)
            found, count = _tabulate(keys, values)
            self._tables[name] = found
            self._count += count
            self._read += len(keys)
        return found

    def _every_table(self) -> list[tuple[str, dict[str, list]]]:
        return [(name, self._table(name)) for name in self._predicates]  # in the order first read

    def _predicate_tables(self, predicate) -> Iterable[tuple[str, dict[str, list]]]:
        if predicate is None:
            return self._every_table()
        if not isinstance(predicate, URIRef):
            return ()
        name = str(predicate)
        found = self._table(name)
        return ((name, found),) if found is not None else ()

    def _blank_parents(self) -> dict[str, list[tuple[str, str]]]:
        """Blank node key -> (subject key, predicate IRI) of every triple that points to it, made once."""
        if self._parents is None:
            parents: dict[str, list[tuple[str, str]]] = {}
            for name, table in self._every_table():
                for subject, objects in table.items():
                    for value in objects:
                        if type(value) is BNode:
                            parents.setdefault(f"_:{value}", []).append((subject, name))
            self._parents = parents
        return self._parents


def _tabulate(keys: list[str], values: list) -> tuple[dict[str, list], int]:
    """Subject key -> objects, each triple once (a literal compared as rdflib compares it), and how many."""
    table: dict[str, list] = {}
    get, count = table.get, 0
    for key, value in zip(keys, values):
        found = get(key)
        if found is None:
            table[key] = [value]
            count += 1
        elif not (value in found if type(value) is Literal else any(map(is_, found, repeat(value)))):
            found.append(value)
            count += 1
    return table, count


def _once(unique: bool, terms: Iterator) -> Iterator:
    """``terms``, each once when ``unique`` (as rdflib's ``unique=True``)."""
    if not unique:
        return terms
    return iter(dict.fromkeys(terms))


def _key(term) -> str | None:
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return None


class _Filler:
    """Fills a :class:`TableGraph` one file at a time: the loop every triple goes through."""

    def __init__(self, graph: TableGraph) -> None:
        self.graph = graph
        self.by_predicate: dict[ox.NamedNode, tuple[Callable, Callable]] = {}
        self.by_iri: dict[ox.NamedNode, URIRef] = {}
        self.typed: dict[ox.Literal, Literal] = {}
        self.languages: dict[str, bool] = {}
        self.keys = graph._subjects  # one string per subject key, across tables and files
        self.renamed: dict[ox.BlankNode, ox.BlankNode] = {}

    def file(self, data: bytes, rdf_format: ox.RdfFormat, file_tag: str, emit: bool = False) -> Iterator[ox.Quad]:
        """Add one file's triples; blank nodes are named ``{file_tag}b{n}`` in order of appearance.

        A generator: with ``emit`` it yields every quad as read, its blank nodes named as in
        the tables and in the default graph; without, it runs to the end on the first ``next``.
        """
        graph, by_predicate, by_iri, keys = self.graph, self.by_predicate, self.by_iri, self.keys
        blanks: dict[ox.BlankNode, BNode] = {}
        NamedNode, BlankNode, OxLiteral, DefaultGraph = ox.NamedNode, ox.BlankNode, ox.Literal, ox.DefaultGraph
        last, key = None, ""
        for quad in ox.parse(data, rdf_format):
            subject, predicate, value, graph_name = quad
            if subject != last:
                last = subject
                if type(subject) is NamedNode:
                    key = subject.value
                elif type(subject) is BlankNode:
                    key = "_:" + self._blank(blanks, subject, file_tag)
                else:
                    raise TripleTerm
                key = keys.setdefault(key, key)
            kind = type(value)
            if kind is NamedNode:
                term = by_iri.get(value)
                if term is None:
                    term = by_iri[value] = graph.term(value.value)
            elif kind is OxLiteral:
                term = self._literal(value)
            elif kind is BlankNode:
                term = self._blank(blanks, value, file_tag)
            else:
                raise TripleTerm
            rows = by_predicate.get(predicate)
            if rows is None:
                rows = by_predicate[predicate] = self._rows(predicate.value)
            rows[0](key)
            rows[1](term)
            if emit:
                if type(subject) is BlankNode or kind is BlankNode:
                    yield ox.Quad(self._renamed(subject, blanks), predicate, self._renamed(value, blanks))
                else:
                    yield quad if type(graph_name) is DefaultGraph else ox.Quad(subject, predicate, value)

    def _rows(self, name: str) -> tuple[Callable, Callable]:
        """Where the statements of one predicate go as read: its subject keys and its objects."""
        graph = self.graph
        graph._predicates.setdefault(name, graph.term(name))
        keys, values = graph._rows.setdefault(name, ([], []))
        return keys.append, values.append

    def _blank(self, blanks: dict, node: ox.BlankNode, file_tag: str) -> BNode:
        term = blanks.get(node)
        if term is None:
            term = blanks[node] = BNode(f"{file_tag}b{len(blanks)}")
            self.graph._blanks[f"_:{term}"] = term
        return term

    def _renamed(self, node, blanks: dict):
        """A pyoxigraph term as the tables name it (a blank node by its name in them)."""
        if type(node) is not ox.BlankNode:
            return node
        found = self.renamed.get(node)
        if found is None:
            found = self.renamed[node] = ox.BlankNode(str(blanks[node]))
        return found

    def _literal(self, value: ox.Literal) -> Literal:
        """The rdflib literal :func:`chainmodel.loading.rdf_literal` makes; a typed one once per model."""
        language = value.language
        if language:
            valid = self.languages.get(language)
            if valid is None:
                valid = self.languages[language] = _is_valid_langtag(language)
            if not valid:
                raise ValueError(f"'{language}' is not a valid language tag!")
            text = value.value
            literal = str.__new__(Literal, text)  # as rdflib makes it: its value the text, no datatype
            literal._language, literal._datatype, literal._value, literal._ill_typed = language, None, text, None
            return literal
        found = self.typed.get(value)
        if found is None:
            found = self.typed[value] = rdf_literal(value.value, None, value.datatype.value)
        return found


def read_tables(paths: Sequence[str | Path], quads: Callable[[Iterator[ox.Quad]], object] | None = None) -> TableGraph:
    """Read every model file into a new :class:`TableGraph`, or raise and return nothing.

    The same files, refusals and errors as :func:`chainmodel.loading.load_graph`: an unknown
    ending, a file that does not parse (naming the file and line), an XML declaration, a
    JSON-LD context by address, RDF-star, a link out of a folder, an ``owl:imports`` not
    among the inputs; a byte-order mark is skipped; blank nodes are named per file.

    Parameters
    ----------
    paths : sequence of path
        Model files and folders.
    quads : callable, optional
        Given, it is called once with an iterator of every quad as it is read (blank nodes
        named as in the tables, every quad in the default graph), and must consume it (e.g.
        ``store.bulk_extend``): the files are parsed once for both. An error in a file is
        raised from inside that call.

    Returns
    -------
    TableGraph

    Raises
    ------
    InputError, ParseError, RefusedInput
        As :func:`chainmodel.loading.load_graph`.

    Examples
    --------
    >>> graph = read_tables(["examples/case-a-laptop"])
    >>> len(graph)
    286
    >>> from rdflib import URIRef
    >>> (URIRef("https://example.org/chainmodel/case-a#laptop"), None, None) in graph
    True
    >>> seen = []
    >>> len(read_tables(["examples/case-a-laptop"], quads=seen.extend)), len(set(seen))
    (286, 286)
    """
    files = model_files(paths)
    graph = TableGraph()
    with paused_gc():
        every = _fill(graph, files, emit=quads is not None)
        if quads is None:
            deque(every, maxlen=0)
        else:
            quads(every)
            deque(every, maxlen=0)  # the consumer stopped early: the tables are read all the same
    return graph


def _fill(graph: TableGraph, files: Sequence[Path], emit: bool) -> Iterator[ox.Quad]:
    """Fill ``graph`` file after file (yielding each quad when ``emit``), then refuse unlisted imports."""
    filler = _Filler(graph)
    imports: list[tuple[Path, list[str]]] = []
    seen_imports = [0]
    for index, path in enumerate(files):
        data, rdf_format = file_bytes(path)
        with parsing(path):
            yield from filler.file(data, rdf_format, f"f{index}", emit)
        del data
        imports.append((path, _new_imports(graph, seen_imports)))
    if any(found for _, found in imports):
        _refuse_unlisted_imports(imports, _ontologies(graph))


def _refuse_unlisted_imports(imports: list[tuple[Path, list[str]]], ontologies: list[str]) -> None:
    """Refuse as :func:`chainmodel.loading.load_graph` does: the first file with an import no input
    declares, and in it the first such import in the order of its statements (read again)."""
    try:
        refuse_unlisted_imports(imports, ontologies)
    except RefusedInput:
        declared = set(ontologies) | {CHAINMODEL_ONTOLOGY}
        for path, found in imports:
            if set(found) - declared:
                data, rdf_format = file_bytes(path)
                in_order = [_ox_text(value) for _, predicate, value, _ in ox.parse(data, rdf_format)
                            if predicate.value == _OWL_IMPORTS]
                refuse_unlisted_imports([(path, [text for text in in_order if text in found])], ontologies)
        raise


def _ox_text(term) -> str:
    """What ``str()`` of the rdflib term would be (a blank node's name aside, which is never declared)."""
    return term.value


def _new_imports(graph: TableGraph, seen: list[int]) -> list[str]:
    """The ``owl:imports`` objects read since the last call, as read (the tables are made later)."""
    _, values = graph._rows.get(_OWL_IMPORTS, ((), ()))
    found = [str(value) for value in values[seen[0]:]]
    seen[0] = len(values)
    return found


def _ontologies(graph: TableGraph) -> list[str]:
    ontology = OWL.Ontology
    return [str(graph.term(subject)) for subject, classes in graph.table(_RDF_TYPE).items() if ontology in classes]
