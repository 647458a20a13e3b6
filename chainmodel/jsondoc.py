"""The JSON document and the JSON Lines records of a command's answer.

The dictionaries of :mod:`chainmodel.serialise` give every element whole (IRI, name,
labels) wherever it appears, which is what a renderer wants. For machines the same
answer is written with each element once, in a table of terms, and every entry refers
to it by IRI: the output grows with the number of entries, not with the entries times
the labels of everything they mention.

The document (``--format json``)::

    {"json_version": 3, "command": "leaks",
     ...the command's sections, where an element is its IRI...,
     "terms": {IRI: {"name": ..., "label": {"en": ..., "ja": ...}, ...}, ...},
     "shared": {"exposure-of:IRI": {what that asset exposes}, ...}}

The terms and shared facts come last, so that a long answer can be written entry by entry as
it is made (:func:`chunks`), keeping no more than one entry and the table in memory.

The records (``--format jsonl``): one JSON object a line, each written as soon as it is
ready: a ``header`` record first, then for each entry the ``term`` (and ``shared``) records
of what it mentions that no earlier record gave, then the entry itself (``"record"`` names its
section), and an ``end`` record with what is left (counts, conformance).

Facts many entries repeat (what one asset exposes) are given once the same way, in
``shared``, under keys such as ``exposure-of:IRI``. In both forms, any string in an entry that
is a key of the terms or of the shared facts stands for it (:func:`expand` puts them back), except in the fields that name a thing (``iri``, ``name``,
``label``, ``citation``, ``advice``); no other string in an entry is an IRI of the terms.

Examples
--------
>>> from chainmodel.serialise import Term
>>> hospital = Term(iri="urn:h", name="urn:h", label={"en": "the hospital"})
>>> doc = document("leaks", {"single_points_of_failure": [{"element": hospital, "reached": [hospital]}]})
>>> doc["terms"], doc["shared"], doc["single_points_of_failure"]
({'urn:h': {'name': 'urn:h', 'label': {'en': 'the hospital'}}}, {}, [{'element': 'urn:h', 'reached': ['urn:h']}])
>>> expand(doc)["single_points_of_failure"][0]["element"]["label"]["en"]
'the hospital'
"""

from __future__ import annotations

import json
from typing import Iterable, Iterator

from .serialise import Shared, Streamed, Term, TermTable

__all__ = ["JSON_VERSION", "document", "chunks", "Streamed", "records", "expand", "dumps"]

JSON_VERSION = 3
"""Bumped whenever a field of the JSON output changes meaning or disappears (3: the term table)."""


def _compact(value, table: TermTable):
    """``value`` with each Term and Shared replaced by its key, kept in ``table``."""
    if isinstance(value, Term):
        return table.term_key(value)
    if isinstance(value, Shared):
        if value.key not in table.shared:
            table.shared_key(value.key, {})  # placed first, filled below: the order of first use
            table.shared[value.key] = {key: _compact(item, table) for key, item in value.items()}
        return value.key
    if isinstance(value, dict):
        return {key: _compact(item, table) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_compact(item, table) for item in value]
    return value


def document(command: str, sections: dict, table: TermTable | None = None) -> dict:
    """The JSON document of a command: the version, the command, the terms, the shared facts, the sections.

    Without ``table``, ``sections`` are dictionaries of :mod:`chainmodel.serialise` (Terms
    and Shared facts in place) and are compacted here. With ``table``, they were made within
    :func:`chainmodel.serialise.referring` and already refer to what ``table`` holds; they
    are taken as they are. Terms and shared facts are sorted by key, so the same answer gives
    the same bytes.

    Parameters
    ----------
    command : str
        The command's name, written as ``"command"`` (``"leaks"``, ``"blast"`` ...).
    sections : dict
        Section name to its content: dictionaries, lists and tuples of plain JSON values,
        :class:`~chainmodel.serialise.Term` and :class:`~chainmodel.serialise.Shared`, at
        any depth (or, with ``table``, their keys).
    table : TermTable, optional
        The table the sections were made against.

    Returns
    -------
    dict
        ``json_version`` (:data:`JSON_VERSION`), ``command``, the sections in the order
        given, with every term replaced by its IRI, every shared fact by its key and every
        tuple by a list, then ``terms`` (IRI to the term without its ``iri``, sorted by IRI)
        and ``shared`` (key to the facts, sorted by key).
    """
    if table is None:
        table = TermTable()
        sections = {name: _compact(value, table) for name, value in sections.items()}
    return {"json_version": JSON_VERSION, "command": command, **sections,
            "terms": dict(sorted(table.terms.items())), "shared": dict(sorted(table.shared.items()))}


def chunks(command: str, sections: dict, table: TermTable) -> Iterator[str]:
    """The text of :func:`document` piece by piece, the same bytes as ``dumps(document(...))``.

    ``sections`` were made against ``table`` (within :func:`chainmodel.serialise.referring`),
    and may hold :class:`Streamed` lists at any depth of dictionaries: their items are made
    only as each is written, so the table must stay open until the last piece is taken.

    Examples
    --------
    >>> table = TermTable()
    >>> found = {"entries": Streamed(iter([{"n": 1}, {"n": 2}])), "count": 2}
    >>> "".join(chunks("leaks", {"answer": found}, table))
    '{"json_version":3,"command":"leaks","answer":{"entries":[{"n":1},{"n":2}],"count":2},"terms":{},"shared":{}}'
    """
    yield f'{{"json_version":{JSON_VERSION},"command":{dumps(command)}'
    for name, value in sections.items():
        yield f",{dumps(name)}:"
        yield from _pieces(value)
    yield f',"terms":{dumps(dict(sorted(table.terms.items())))}'
    yield f',"shared":{dumps(dict(sorted(table.shared.items())))}}}'


def _pieces(value) -> Iterator[str]:
    if isinstance(value, Streamed):
        yield "["
        for number, item in enumerate(value.items):
            yield ("," if number else "") + dumps(item)
        yield "]"
    elif isinstance(value, dict) and any(isinstance(item, (Streamed, dict)) for item in value.values()):
        yield "{"
        for number, (key, item) in enumerate(value.items()):
            yield ("," if number else "") + dumps(key) + ":"
            yield from _pieces(item)
        yield "}"
    else:
        yield dumps(value)


def records(command: str, sections: Iterable[tuple[str, Iterable[dict]]], end: dict | None = None,
            table: TermTable | None = None) -> Iterator[dict]:
    """The JSON Lines records of a command, one by one as ``sections`` yields its entries.

    ``sections`` gives ``(record kind, entries)`` pairs; entries are consumed lazily, so an
    analysis that yields them is written as it goes. ``table`` as for :func:`document`: given,
    the entries already refer to it (and are made while this runs).

    Parameters
    ----------
    command : str
        The command's name, written in the header record.
    sections : iterable of (str, iterable of dict)
        Each record kind with its entries, which may hold terms and shared facts as in
        :func:`document`.
    end : dict, optional
        The fields of the ``end`` record (counts, conformance); terms and shared facts in
        it are written out like an entry's.
    table : TermTable, optional
        The table the entries are made against.

    Yields
    ------
    dict
        The ``header`` record (``json_version`` and ``command``); for each entry, a
        ``term`` or ``shared`` record for each term and shared fact it mentions that no
        earlier record gave, then the entry with ``"record"`` its kind, terms as IRIs and
        shared facts as keys; last the ``end`` record.

    Examples
    --------
    >>> from chainmodel.serialise import Term
    >>> party = Term(iri="urn:p", name="urn:p", label={"en": "P"})
    >>> [r["record"] for r in records("blast", [("blast", [{"element": party}, {"element": party}])], {"count": 2})]
    ['header', 'term', 'blast', 'blast', 'end']
    """
    made_here = table is None
    table = table or TermTable()
    yield {"record": "header", "json_version": JSON_VERSION, "command": command}
    for kind, entries in sections:
        for entry in entries:
            body = _compact(entry, table) if made_here else entry
            yield from table.take_fresh()
            yield {"record": kind, **body}
    end = _compact(end or {}, table) if made_here else (end or {})
    yield from table.take_fresh()
    yield {"record": "end", **end}


_OWN_WORDS = frozenset({"iri", "name", "label", "citation", "advice"})
"""Fields that say what a thing is called: their strings are never references."""


def expand(doc: dict) -> dict:
    """The document with every reference to a term or shared fact replaced by what it refers to.

    What :func:`document` did, undone: ``expand(document(c, s))`` equals ``s`` as JSON.

    Parameters
    ----------
    doc : dict
        A JSON document as :func:`document` makes it, or as read back from its text.

    Returns
    -------
    dict
        The sections alone (without ``json_version``, ``command``, ``terms`` and ``shared``),
        every string that is a key of the terms replaced by the term (its IRI as ``iri``, then
        its fields) and every key of the shared facts by the facts, at any depth, except in the
        fields that name a thing. Each term or fact is built once and shared by all its
        references.

    Examples
    --------
    >>> doc = {"json_version": 3, "command": "leaks", "answer": ["urn:h", "plain"],
    ...        "terms": {"urn:h": {"name": "H"}}, "shared": {}}
    >>> expand(doc)
    {'answer': [{'iri': 'urn:h', 'name': 'H'}, 'plain']}
    """
    table, shared = doc.get("terms", {}), doc.get("shared", {})
    built: dict[str, dict] = {}

    def term(key: str) -> dict:
        if key not in built:
            if key in table:
                built[key] = {"iri": key}
                source = table[key]
            else:
                built[key] = {}
                source = shared[key]
            built[key].update({field: value if field in _OWN_WORDS else walk(value) for field, value in source.items()})
        return built[key]

    def walk(value):
        if isinstance(value, str):
            return term(value) if value in table or value in shared else value
        if isinstance(value, dict):
            return {key: item if key in _OWN_WORDS else walk(item) for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item) for item in value]
        return value

    return {key: walk(value) for key, value in doc.items() if key not in ("terms", "shared", "json_version", "command")}


def dumps(value) -> str:
    """One line of JSON: no indentation, UTF-8 text as it is, keys in the order built.

    Parameters
    ----------
    value : object
        A value :mod:`json` can write: dictionaries, lists, tuples, strings, numbers, booleans
        and None.

    Returns
    -------
    str
        Its JSON text, with no line break in it.

    Examples
    --------
    >>> dumps({"name": "病院", "tiers": (1, 2)})
    '{"name":"病院","tiers":[1,2]}'
    """
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
