"""Read-only, hardened SPARQL over a model graph, and the named queries shipped for auditors.

A query goes through three steps, all inside one sandboxed child process.

1. :func:`check_query` parses it with rdflib's SPARQL parser, then inspects the parse tree
   and the algebra (never the raw text alone, so comments, strings, ``\\u`` escapes and odd
   spacing cannot hide anything). It refuses, with :class:`~chainmodel.errors.QueryRefused`:

   * any SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY);
   * ``SERVICE`` anywhere, including inside subqueries, OPTIONAL, UNION, MINUS and
     ``FILTER EXISTS``: an engine would send an HTTP request;
   * ``FROM`` and ``FROM NAMED``: a query reads the loaded model and nothing else;
   * syntax errors (naming the line and column where the parser stopped);
   * queries nested deeper than :data:`MAX_NESTING` brackets, or whose algebra is deeper
     than :data:`MAX_ALGEBRA_DEPTH` (long OPTIONAL or UNION chains), or longer than
     :data:`MAX_QUERY_LENGTH` characters, instead of letting ``RecursionError`` escape.

2. The checked parse tree is written back as canonical text (:mod:`chainmodel.sparqltext`:
   full IRIs, plain strings, no comments, no escapes but the few every parser reads alike),
   and that text is parsed again: the two trees must be the same, or the query is refused.
   The engine runs the canonical text and nothing else (:func:`canonical_query` shows it):
   rdflib in memory, Oxigraph inside a store. A query cannot mean one thing to the check
   and another to the engine.

3. :func:`run_query` does all of this in a child process forked from this one
   (:func:`chainmodel.safety.run_bounded`, so the graph is shared copy-on-write and never
   pickled): parsing and checking count toward the timeout
   (:class:`~chainmodel.errors.QueryTimeout`), the child has a memory allowance
   (:class:`~chainmodel.errors.LimitExceeded`), and on Linux a seccomp filter keeps it from
   opening any network socket, native code included; an audit hook backs it up. The result
   comes back through a pipe as JSON (terms encoded as plain lists, nothing unpickled).

Deterministic output
--------------------
rdflib's evaluation order depends on hash order of sets, which changes from run to run.
So that the same query on the same model prints byte-identical output every time:

* a SELECT without a top-level ORDER BY has its rows sorted by their values, column by
  column (unbound first, then blank nodes, IRIs, numbers by value, other literals by
  datatype, language and text);
* a SELECT with ORDER BY keeps the engine's order, and every projected variable is added
  after the query's own conditions as a tie-breaker (the standard leaves the order of ties
  open, so this changes no answer);
* which rows a LIMIT or OFFSET keeps, and which rows ``--limit`` (``limit=``) keeps, is
  the same every run: rdflib's order of evaluation changes with the hash seed, so in
  memory a query or subquery with LIMIT or OFFSET and no ORDER BY is given one over the
  variables it hands on (its projection; for ``*``, CONSTRUCT and DESCRIBE every variable
  it names), every ORDER BY gets them as tie-breakers, and ``--limit`` orders a SELECT the
  same way. Oxigraph yields the same order every run on the same store (tested), and its
  ORDER BY costs about 100 µs a row on disk, so in a store the query runs as written and
  ``--limit`` keeps the first rows Oxigraph yields. Either way reading stops after the cap.
  SPARQL does not say which rows an unordered LIMIT keeps: the two engines may keep
  different ones; write ORDER BY to choose them;
* ``SELECT *`` lists its variables in the order they first appear in the query;
* CONSTRUCT and DESCRIBE triples are sorted the same way;
* blank nodes are relabelled: a blank node of the model gets ``b`` and a digest of the
  triples around it (parsers label blank nodes at random, so the label read from the
  file changes from run to run); a blank node the query creates (in a CONSTRUCT template,
  or with ``BNODE()``) gets ``q1``, ``q2``, ... in order of appearance.

What still varies is what the SPARQL standard leaves open inside a group (``GROUP_CONCAT``
order and ``SAMPLE``), and, under ORDER BY, the order of rows that differ only in blank nodes
(rdflib sorts those by the labels the parser drew).

Examples
--------
>>> from rdflib import Graph
>>> graph = Graph().parse(data="<urn:x:a> <urn:x:p> 1 .", format="turtle")
>>> check_query("ASK { ?s ?p ?o }")
'ASK'
>>> result = run_query(graph, "SELECT ?s ?o WHERE { ?s ?p ?o }")
>>> format_result(result, "csv")
's,o\\r\\nurn:x:a,1\\r\\n'
"""

from __future__ import annotations

__all__ = [
    "QUERY_FORMS",
    "OUTPUT_FORMATS",
    "MAX_NESTING",
    "MAX_ALGEBRA_DEPTH",
    "MAX_QUERY_LENGTH",
    "QueryResult",
    "NamedQuery",
    "check_query",
    "run_query",
    "format_result",
    "default_prefixes",
    "named_queries",
    "load_named_query",
    "canonical_query",
    "encode_term",
    "decode_term",
]

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import resources
from itertools import islice
from types import MappingProxyType
from typing import Any, Iterable, Iterator, Mapping, Sequence

from pyparsing import ParseBaseException, ParseResults
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.plugins.sparql import algebra as sparql_algebra
from rdflib.plugins.sparql import parser as sparql_parser
from rdflib.plugins.sparql.evaluate import evalQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query

from .errors import ChainModelError, QueryRefused, QueryTimeout, UnknownReference
from .escaping import UNSAFE_CHARACTERS, is_unsafe, terminal_safe
from .loading import RDF_STAR_REFUSAL, rdf_literal
from .safety import DEFAULT_MEMORY, DEFAULT_TIMEOUT, check_bounds, run_bounded
from .sparqltext import CanonicalError, canonical_text, normal_form, show_term

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
"""The query forms :func:`check_query` accepts."""

OUTPUT_FORMATS = ("table", "json", "csv", "tsv", "turtle", "ntriples")
"""The formats :func:`format_result` writes."""

MAX_NESTING = 16
"""Deepest nesting of ``{``, ``(`` and ``[`` a query may have.

rdflib's parser recurses through dozens of Python frames per bracket level: with Python's
default recursion limit it fails at about 20 nested function calls or 40 nested groups.
16 leaves room for the caller's own stack; hand-written queries rarely pass 8. Deeper text
is refused before it is parsed.
"""

MAX_ALGEBRA_DEPTH = 120
"""Deepest algebra a query may translate to (each OPTIONAL, UNION branch or group adds one);
evaluation recurses once per level."""

MAX_QUERY_LENGTH = 100_000
"""Longest query text accepted, in characters."""

_FORM_NAMES = MappingProxyType({
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
})
UPDATE_OPERATION_NAMES = MappingProxyType({
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT ... WHERE",
})
"""How each parsed SPARQL Update operation is named in messages (shared with what-if)."""
_DEFAULT_PREFIXES = (
    ("cm", "https://w3id.org/chainmodel#"),
    ("rule", "https://w3id.org/chainmodel/rule#"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("org", "http://www.w3.org/ns/org#"),
    ("dpv", "https://w3id.org/dpv#"),
    ("odrl", "http://www.w3.org/ns/odrl/2/"),
    ("dct", "http://purl.org/dc/terms/"),
)
_XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC_DATATYPES = frozenset(
    _XSD + name
    for name in (
        "integer", "decimal", "double", "float", "int", "long", "short", "byte",
        "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger",
        "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
    )
)
_XSD_STRING = _XSD + "string"
_XSD_BOOLEAN = _XSD + "boolean"
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_SHORT_STRING_QUOTES = ("'", '"')
_LONG_STRING_QUOTES = ("'''", '"""')
_PN_PREFIX = re.compile(r"^(?:[^\W\d_](?:[\w.\-]*[\w\-])?)?$")
_PN_LOCAL = re.compile(r"^(?:[\w](?:[\w.\-]*[\w\-])?)?$")
_BNODE_LABEL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?$")
_TURTLE_NUMBER = MappingProxyType({
    _XSD + "integer": re.compile(r"^[+-]?\d+$"),
    _XSD + "decimal": re.compile(r"^[+-]?\d*\.\d+$"),
    _XSD + "double": re.compile(r"^[+-]?(?:\d+\.\d*|\.\d+|\d+)[eE][+-]?\d+$"),
})


def default_prefixes() -> dict[str, str]:
    """Return the prefixes every query may use without declaring them.

    They are the prefixes of the chainmodel ontology (``cm:``, ``rule:``, ``rdf:``,
    ``rdfs:``, ``owl:``, ``xsd:``, ``skos:``, ``prov:``, ``org:``, ``dpv:``, ``odrl:``,
    ``dct:``). A ``PREFIX`` declaration in the query overrides them. The graph's own
    bindings are not used, so a query means the same whatever graph it runs on.

    Returns
    -------
    dict[str, str]
        A new dictionary from prefix to namespace IRI.

    Examples
    --------
    >>> default_prefixes()["cm"]
    'https://w3id.org/chainmodel#'
    """
    return dict(_DEFAULT_PREFIXES)


# ---------------------------------------------------------------------------- checking


@dataclass(frozen=True)
class _Prepared:
    """A checked query, translated and ready to evaluate."""

    form: str
    query: Query
    variables: tuple[Variable, ...]
    ordered: bool
    """The query's own top-level ORDER BY: rows keep the engine's order."""
    settled: bool
    """The engine yields the top-level rows in a settled order (reading may stop at a cap)."""
    text: str
    """The canonical text: what the engine runs."""


def _get(node: Any, key: str) -> Any:
    """Read a field of a parse-tree node; rdflib's ``CompValue.get`` returns the key when absent."""
    return dict.get(node, key) if isinstance(node, dict) else None


def _refuse(message: str) -> QueryRefused:
    return QueryRefused(f"query refused: {message}")


def _nesting(text: str, limit: int) -> tuple[int, int]:
    """Return the deepest bracket nesting outside strings, IRIs and comments, and the offset
    of the first bracket that went past ``limit`` (0 when none did).

    A cheap guard run before the parser (which recurses once per level): it reads the text
    the way the SPARQL grammar does as far as brackets go, so brackets in strings, IRIs and
    comments do not count.
    """
    depth = deepest = 0
    where = 0
    index, length = 0, len(text)
    while index < length:
        char = text[index]
        if char == "#":
            newline = text.find("\n", index)
            index = length if newline < 0 else newline + 1
            continue
        if char == "\\":
            index += 2
            continue
        if char in _SHORT_STRING_QUOTES:
            long_quote = text[index : index + 3]
            closing = long_quote if long_quote in _LONG_STRING_QUOTES else char
            index += len(closing)
            while index < length and not text.startswith(closing, index):
                if closing == char and text[index] == "\n":
                    break
                index += 2 if text[index] == "\\" else 1
            index += len(closing)
            continue
        if char == "<":
            match = _IRIREF.match(text, index)
            if match:
                index = match.end()
                continue
        if char in "{([":
            depth += 1
            if depth > limit and deepest <= limit:
                where = index
            deepest = max(deepest, depth)
        elif char in "})]":
            depth = max(depth - 1, 0)
        index += 1
    return deepest, where


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _nodes(root: Any) -> Iterator[tuple[CompValue, int]]:
    """Yield every CompValue under ``root`` in document order, with its nesting depth.

    Iterative, so a deep tree cannot exhaust the stack. Lists and parse results are walked
    through without adding depth; sets (rdflib's ``_vars``) are skipped.
    """
    stack: list[tuple[Any, int]] = [(root, 0)]
    seen: set[int] = set()
    while stack:
        node, depth = stack.pop()
        if isinstance(node, CompValue):
            if id(node) in seen:
                continue
            seen.add(id(node))
            yield node, depth
            children = [value for key, value in node.items() if key != "_vars"]
            stack.extend((child, depth + 1) for child in reversed(children))
        elif isinstance(node, (list, tuple, ParseResults)):
            stack.extend((child, depth) for child in reversed(list(node)))


def _variables_in_order(root: Any) -> dict[Variable, int]:
    """Map each variable in a parse tree to the position it first appears at."""
    order: dict[Variable, int] = {}
    stack: list[Any] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, Variable):
            order.setdefault(node, len(order))
        elif isinstance(node, CompValue):
            stack.extend(reversed([value for key, value in node.items() if key != "_vars"]))
        elif isinstance(node, (list, tuple, ParseResults)):
            stack.extend(reversed(list(node)))
    return order


def _update_operations(text: str) -> list[str] | ParseBaseException | None:
    """Return the operations of ``text`` read as SPARQL Update.

    When it does not parse as an update either, return the parser's error (or None when
    there is none to report).
    """
    try:
        update = sparql_parser.parseUpdate(text)
    except ParseBaseException as error:
        return error
    except (RecursionError, ValueError, TypeError):
        return None
    names = []
    for operation in _get(update, "request") or []:
        name = getattr(operation, "name", "")
        if name == "Modify":
            parts = [word for word, key in (("DELETE", "delete"), ("INSERT", "insert")) if _get(operation, key)]
            names.append(" ... ".join(parts) + " ... WHERE")
        else:
            names.append(UPDATE_OPERATION_NAMES.get(name, name.upper()))
    return names


_UPDATE_KEYWORD = re.compile(r"(?i)(?:INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b")


def _skip_blank(text: str, offset: int) -> int:
    """Skip white space and comments from ``offset``."""
    while offset < len(text):
        if text[offset].isspace():
            offset += 1
        elif text[offset] == "#":
            newline = text.find("\n", offset)
            offset = len(text) if newline < 0 else newline + 1
        else:
            break
    return offset


def _syntax_refusal(text: str, error: ParseBaseException, as_update: bool = False) -> QueryRefused:
    message = str(getattr(error, "msg", "") or error)
    if len(message) > 200:
        message = message[:200] + "..."
    found = ""
    if error.loc is not None and error.loc < len(text):
        token = text[error.loc :].split(None, 1)
        if token:
            found = f" near {token[0][:40]!r}"
    if error.loc is not None and text[error.loc:error.loc + 2] == "<<":
        return _refuse(f"line {error.lineno}, column {error.col}: {RDF_STAR_REFUSAL}.")
    if as_update:
        advice = ("It reads as SPARQL Update, which chainmodel never runs in any case; write a "
                  "SELECT, ASK, CONSTRUCT or DESCRIBE query.")
    else:
        advice = "Correct the query; chainmodel runs SELECT, ASK, CONSTRUCT and DESCRIBE queries."
    return _refuse(f"SPARQL syntax error at line {error.lineno}, column {error.col}{found}: {message}. {advice}")


def _parse(text: str):
    try:
        return sparql_parser.parseQuery(text)
    except RecursionError:
        raise _nesting_refusal() from None
    except ParseBaseException as error:
        operations = _update_operations(text)
        if isinstance(operations, ParseBaseException):
            went_further = (operations.loc or 0) > (error.loc or 0)
            if went_further or _UPDATE_KEYWORD.match(text, _skip_blank(text, error.loc or 0)):
                raise _syntax_refusal(text, operations, as_update=True) from None
        elif operations is not None:
            if not operations:
                raise _refuse("the text holds no query (only comments or prefixes); write a SELECT, "
                              "ASK, CONSTRUCT or DESCRIBE query.") from None
            raise _refuse(
                f"SPARQL Update ({', '.join(operations)}): chainmodel only runs read-only queries "
                "(SELECT, ASK, CONSTRUCT, DESCRIBE) and never changes the model. To change it, edit "
                "the model files or apply a what-if scenario."
            ) from None
        raise _syntax_refusal(text, error) from None
    except (ValueError, TypeError) as error:
        raise _refuse(f"the query cannot be read: {error}") from None


def _nesting_refusal() -> QueryRefused:
    return _refuse(
        f"the query is nested too deeply (more than {MAX_NESTING} levels of brackets, or an algebra "
        f"deeper than {MAX_ALGEBRA_DEPTH} levels of OPTIONAL, UNION or groups). Flatten it: "
        "split it into smaller queries or use VALUES instead of long UNION chains."
    )


def _refuse_forbidden(root: Any) -> int:
    """Raise QueryRefused for SERVICE or FROM anywhere under ``root``; return its depth."""
    services: list[str] = []
    datasets: list[str] = []
    deepest = 0
    for node, depth in _nodes(root):
        deepest = max(deepest, depth)
        if node.name == "ServiceGraphPattern":
            shown = show_term(_get(node, "term"))
            if shown not in services:
                services.append(shown)
        elif node.name == "DatasetClause":
            if _get(node, "named") is not None:
                shown = f"FROM NAMED {show_term(_get(node, 'named'))}"
            else:
                shown = f"FROM {show_term(_get(node, 'default'))}"
            if shown not in datasets:
                datasets.append(shown)
    if services:
        listed = ", ".join(f"SERVICE {term}" for term in services)
        raise _refuse(
            f"{listed}: chainmodel never sends a query to another endpoint "
            "or fetches anything. Remove the SERVICE clause and query only the loaded model; query "
            "the other endpoint with its own tools."
        )
    if datasets:
        raise _refuse(
            f"{', '.join(datasets)}: a query reads only the loaded model and never loads another "
            "graph, file or URL. Remove the FROM clause and pass the file as a model input instead."
        )
    return deepest


_ORDERABLE = ("SelectQuery", "SubSelect", "ConstructQuery", "DescribeQuery")


def _scope_variables(node: CompValue) -> list[Variable]:
    """The variables a query or subquery hands on, in order: its projection, or for ``*`` (and
    CONSTRUCT and DESCRIBE) every variable its template and pattern name."""
    if node.name in ("SelectQuery", "SubSelect") and _get(node, "projection"):
        return [_get(item, "var") if _get(item, "var") is not None else _get(item, "evar")
                for item in _get(node, "projection")]
    if node.name == "DescribeQuery" and _get(node, "var"):
        named = [item for item in _get(node, "var") if isinstance(item, Variable)]
        if named:
            return named
    found = _variables_in_order(_get(node, "template") or [])
    found.update((v, None) for v in _variables_in_order(_get(node, "where") or []) if v not in found)
    return list(found)


def _order_by(node: CompValue, variables: Sequence[Variable]) -> None:
    """Give ``node`` an ORDER BY that ends with every one of ``variables`` (ties sort alike)."""
    clause = _get(node, "orderby")
    conditions = list(_get(clause, "condition") or []) if clause is not None else []
    present = {c.get("expr") for c in conditions if isinstance(dict.get(c, "expr"), Variable)}
    for variable in variables:
        if variable not in present:
            conditions.append(CompValue("OrderCondition", expr=variable))
            present.add(variable)
    if conditions:
        node["orderby"] = CompValue("OrderClause", condition=conditions)


def _settle_order(main: CompValue, limit: int | None) -> bool:
    """Make every row a LIMIT or OFFSET keeps, and every tie under ORDER BY, the same each run.

    A query or subquery with LIMIT or OFFSET and no ORDER BY is ordered by the variables it
    hands on; every ORDER BY gets those variables as tie-breakers (the standard leaves the
    order of ties open, so no answer changes). With ``limit`` (``--limit``) a SELECT is
    ordered by the engine the same way, so that reading can stop at the cap. Returns whether
    the engine now yields the top-level rows in a settled order.
    """
    for node, _depth in _nodes(main):
        if node.name in _ORDERABLE and (_get(node, "limitoffset") is not None or _get(node, "orderby") is not None):
            _order_by(node, _scope_variables(node))
    if limit is not None and main.name == "SelectQuery":
        _order_by(main, _scope_variables(main))
    return _get(main, "orderby") is not None


def _round_trip(tree: ParseResults) -> tuple[str, ParseResults]:
    """Write the checked tree as canonical text; parse it again and insist on the same tree."""
    prefixes = default_prefixes()
    try:
        text = canonical_text(tree, prefixes)
        checked = normal_form(tree, prefixes)
    except CanonicalError as error:
        raise _refuse(f"{error}.") from None
    try:
        again = sparql_parser.parseQuery(text)
        same = normal_form(again, prefixes) == checked
    except RecursionError:
        raise _nesting_refusal() from None
    except (ParseBaseException, ValueError, TypeError, CanonicalError):
        same = False
    if not same:
        raise _refuse(
            "the query cannot be written back in a form that every engine reads alike (for example "
            "a string holding a backslash followed by 'u' and hex digits, which rdflib reads as an "
            "escape); chainmodel never runs anything but what it checked. Rewrite that part."
        )
    return text, again


ENGINES = ("rdflib", "oxigraph")
"""The engines a query runs in: rdflib for a graph in memory, Oxigraph inside a store."""


def _prepare(text: str, limit: int | None = None, engine: str = "rdflib") -> _Prepared:
    if not isinstance(text, str):
        raise _refuse(f"a query must be text, not {type(text).__name__}")
    if len(text) > MAX_QUERY_LENGTH:
        raise _refuse(f"the query is {len(text)} characters long, more than the {MAX_QUERY_LENGTH} "
                      "accepted; shorten it (VALUES with fewer rows, or several queries).")
    try:
        expanded = sparql_parser.expandUnicodeEscapes(text)
    except (ValueError, OverflowError) as error:
        raise _refuse(f"the query holds an invalid \\u escape: {error}") from None
    deepest, offset = _nesting(expanded, MAX_NESTING)
    if deepest > MAX_NESTING:
        line, column = _line_column(expanded, offset)
        raise _refuse(
            f"the query nests brackets {deepest} levels deep (level {MAX_NESTING + 1} at line {line}, "
            f"column {column}); at most {MAX_NESTING} are accepted. Flatten it or split it into "
            "smaller queries."
        )
    tree = _parse(text)
    _refuse_forbidden(tree)
    main = tree[-1]
    select_star = main.name == "SelectQuery" and not _get(main, "projection")
    first_seen = _variables_in_order(tree)
    ordered = main.name == "SelectQuery" and _get(main, "orderby") is not None
    if engine == "rdflib":  # its order changes with the hash seed: order in the engine
        settled = _settle_order(main, limit)
    else:  # Oxigraph yields the same order every run on the same store: keep it (its ORDER BY is slow)
        settled = True
    canonical, again = _round_trip(tree)
    return _translate(canonical, again, select_star, first_seen, ordered, settled)


def _translate(canonical: str, tree: ParseResults, select_star: bool, first_seen: Mapping[Variable, int],
               ordered: bool, settled: bool) -> _Prepared:
    """Translate the re-read canonical tree to algebra (what rdflib evaluates in memory)."""
    try:
        query = sparql_algebra.translateQuery(tree, initNs={})
    except RecursionError:
        raise _nesting_refusal() from None
    except Exception as error:  # rdflib raises bare Exception for what its algebra cannot express
        raise _refuse(f"the query cannot be prepared: {error}.") from None
    if _refuse_forbidden(query.algebra) > MAX_ALGEBRA_DEPTH:
        raise _nesting_refusal()
    form = _FORM_NAMES.get(query.algebra.name)
    if form is None:  # pragma: no cover - the grammar has no other query form
        raise _refuse(f"unsupported query form {query.algebra.name}")
    variables: tuple[Variable, ...] = ()
    if form == "SELECT":
        projected = list(_get(query.algebra, "PV") or [])
        if select_star:
            projected.sort(key=lambda v: (first_seen.get(v, len(first_seen)), str(v)))
        variables = tuple(projected)
    return _Prepared(form=form, query=query, variables=variables, ordered=ordered and form == "SELECT",
                     settled=settled and form == "SELECT", text=canonical)


def check_query(text: str) -> str:
    """Check that a SPARQL query is read-only and stays inside the model; return its form.

    The check parses the query with rdflib, refuses what chainmodel never runs, writes the
    parse tree back as canonical text (:mod:`chainmodel.sparqltext`) and parses that text
    again: the two trees must be the same. It runs in this process with no time limit;
    :func:`run_query` runs the same check inside its bounded child.

    Parameters
    ----------
    text : str
        The query text.

    Returns
    -------
    str
        ``"SELECT"``, ``"ASK"``, ``"CONSTRUCT"`` or ``"DESCRIBE"``.

    Raises
    ------
    QueryRefused
        The text is SPARQL Update, uses SERVICE, FROM or FROM NAMED, does not parse (the
        message names line and column), is nested too deeply or is too long, uses an
        undeclared prefix or a relative IRI without BASE, or has no canonical text. The
        message says what was refused and what to do instead.

    Examples
    --------
    >>> check_query("PREFIX cm: <https://w3id.org/chainmodel#> SELECT ?c { ?c a cm:Consignment }")
    'SELECT'
    >>> check_query("# looks harmless\\nDROP ALL")
    Traceback (most recent call last):
    ...
    chainmodel.errors.QueryRefused: query refused: SPARQL Update (DROP): chainmodel only runs read-only queries (SELECT, ASK, CONSTRUCT, DESCRIBE) and never changes the model. To change it, edit the model files or apply a what-if scenario.
    """
    return _prepare(text).form


def canonical_query(text: str, limit: int | None = None, engine: str = "oxigraph") -> str:
    """The canonical text a checked query runs as in ``engine``.

    Parameters
    ----------
    text : str
        The query as written.
    limit : int, optional
        The ``limit`` :func:`run_query` will be given (for rdflib it may add an ORDER BY).
    engine : {"oxigraph", "rdflib"}
        Oxigraph (a store) runs the query as written back; for rdflib (a graph in memory)
        the order of rows a LIMIT or ``limit`` keeps is settled with ORDER BY (see
        "Deterministic output").

    Returns
    -------
    str

    Raises
    ------
    QueryRefused
        As :func:`check_query`.

    Examples
    --------
    >>> canonical_query('SELECT ?d { ?d a cm:Duty } # the rest is a comment: SERVICE <http://x/>')
    'SELECT ?d WHERE { ?d <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/chainmodel#Duty> . }'
    >>> canonical_query('SELECT ?a WHERE { FILTER("a\\u0022) # " != "") SERVICE <http://127.0.0.1:9/x> { ?a ?b ?c }\\n}')
    'SELECT ?a WHERE { FILTER ("a") }'
    """
    if engine not in ENGINES:
        raise ChainModelError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    return _prepare(text, limit, engine).text


# ---------------------------------------------------------------------------- results


@dataclass
class QueryResult:
    """The answer to one query.

    Attributes
    ----------
    form : str
        ``"SELECT"``, ``"ASK"``, ``"CONSTRUCT"`` or ``"DESCRIBE"``.
    variables : tuple of str
        The projected variable names, without ``?`` (SELECT only).
    rows : list of tuple
        One tuple per solution, one rdflib term per variable, ``None`` where unbound
        (SELECT only).
    boolean : bool or None
        The answer of an ASK query.
    triples : list of tuple
        The (subject, predicate, object) triples of a CONSTRUCT or DESCRIBE query.
    truncated : bool
        True when ``limit`` cut rows or triples off.

    Examples
    --------
    >>> QueryResult("ASK", boolean=True).boolean
    True
    """

    form: str
    variables: tuple[str, ...] = ()
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Any, Any, Any]] = field(default_factory=list)
    truncated: bool = False


def _term_key(term: Any, fresh: Mapping[BNode, str] | None = None) -> tuple:
    """Sort key of a term: unbound, blank nodes, IRIs, numbers by value, other literals."""
    if term is None:
        return (0,)
    if isinstance(term, BNode):
        return (1, fresh.get(term, str(term)) if fresh else str(term))
    if isinstance(term, URIRef):
        return (2, str(term))
    if isinstance(term, Literal):
        lexical = str(term)
        datatype = str(term.datatype) if term.datatype is not None else ""
        if datatype in _NUMERIC_DATATYPES:
            try:
                number = Decimal(lexical.strip())
            except InvalidOperation:
                number = None
            if number is not None and number.is_finite():
                return (3, 0, number, lexical, datatype)
            return (3, 1, lexical, datatype)
        return (4, datatype, term.language or "", lexical)
    return (5, type(term).__name__, str(term))


def _bnode_digest(graph: Any, node: BNode) -> str:
    """A label for a blank node of the model, computed from the triples around it.

    Parsers label blank nodes at random, so a label read from the model would change from
    run to run; what the model says about the node does not. ``graph`` is an rdflib graph or
    a store's :class:`~chainmodel.store.OxigraphGraph` (both answer ``triples``).
    """
    lines = [
        "> " + _nt_term(p) + " " + ("_:" if isinstance(o, BNode) else _nt_term(o))
        for _, p, o in graph.triples((node, None, None))
    ]
    lines += [
        "< " + ("_:" if isinstance(s, BNode) else _nt_term(s)) + " " + _nt_term(p)
        for s, p, _ in graph.triples((None, None, node))
    ]
    return hashlib.sha256("\n".join(sorted(lines)).encode("utf-8")).hexdigest()[:16]


def _fresh_signatures(items: list[tuple], created: Mapping[BNode, str], rounds: int = 4) -> dict[BNode, str]:
    """Tell apart the blank nodes a query created by the rows or triples they stand in.

    Each round a node's signature becomes a digest of its previous signature and of every
    row it appears in (its column, and the other terms, created blank nodes written as
    their signatures), so nodes that differ anywhere nearby get different signatures and
    sort apart without depending on their random labels.
    """
    places: dict[BNode, list[tuple[int, int]]] = {node: [] for node in created}
    for row, item in enumerate(items):
        for column, term in enumerate(item):
            if term in places:
                places[term].append((row, column))
    signatures = {node: "" for node in created}
    for done in range(rounds):
        def shown(term: Any) -> str:
            return "~" + signatures[term] if term in signatures else _nt_term(term)

        updated = {}
        for node, where in places.items():
            lines = sorted(
                f"{column}|" + "|".join(shown(t) for j, t in enumerate(items[row]) if j != column)
                for row, column in where
            )
            text = signatures[node] + "\n" + "\n".join(lines)
            updated[node] = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        settled = done > 0 and len(set(updated.values())) == len(set(signatures.values()))
        signatures = updated
        if settled:
            break
    return signatures


def _canonical(items: list[tuple], graph: Graph, ordered: bool) -> list[tuple]:
    """Relabel blank nodes and sort rows or triples (unless ``ordered``) the same every run.

    Blank nodes of the model get ``b`` + a digest of their triples; blank nodes the query
    created get ``q1``, ``q2``, ... in order of appearance after sorting.
    """
    in_model: dict[BNode, str] = {}
    created: dict[BNode, str] = {}
    for item in items:
        for term in item:
            if isinstance(term, BNode) and term not in in_model and term not in created:
                if (term, None, None) in graph or (None, None, term) in graph:
                    in_model[term] = _bnode_digest(graph, term)
                else:
                    created[term] = ""
    renamed: dict[BNode, BNode] = {}
    sharing: dict[str, list[BNode]] = {}
    for node, digest in in_model.items():
        sharing.setdefault(digest, []).append(node)
    for digest, nodes in sharing.items():
        for index, node in enumerate(sorted(nodes, key=str), start=1):
            renamed[node] = BNode(f"b{digest}" if len(nodes) == 1 else f"b{digest}x{index}")
    if renamed:
        items = [tuple(renamed.get(t, t) if isinstance(t, BNode) else t for t in item) for item in items]
    if created:
        created = _fresh_signatures(items, created)
    if not ordered:
        items = sorted(items, key=lambda item: tuple(_term_key(t, created) for t in item))
    if not created:
        return items
    fresh: dict[BNode, BNode] = {}
    for item in items:
        for term in item:
            if term in created and term not in fresh:
                fresh[term] = BNode(f"q{len(fresh) + 1}")
    items = [tuple(fresh.get(t, t) if isinstance(t, BNode) else t for t in item) for item in items]
    if not ordered:
        items = sorted(items, key=lambda item: tuple(_term_key(t) for t in item))
    return items


def encode_term(term: Any) -> Any:
    """An rdflib term (or None) as plain JSON data; :func:`decode_term` reads it back.

    Examples
    --------
    >>> decode_term(encode_term(Literal("01", datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer"), normalize=False)))
    rdflib.term.Literal('01', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))
    """
    if term is None:
        return None
    if isinstance(term, BNode):
        return ["b", str(term)]
    if isinstance(term, URIRef):
        return ["u", str(term)]
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype is not None else None
        return ["l", str(term), datatype, term.language]
    raise TypeError(f"unexpected term in a result: {term!r}")


def decode_term(value: Any) -> Any:
    """The rdflib term :func:`encode_term` wrote, lexical form kept exactly.

    Examples
    --------
    >>> decode_term(["u", "urn:x:a"]), decode_term(None)
    (rdflib.term.URIRef('urn:x:a'), None)
    """
    if value is None:
        return None
    kind = value[0]
    if kind == "u":
        return URIRef(value[1])
    if kind == "b":
        return BNode(value[1])
    if kind == "l":
        _, lexical, datatype, language = value
        return rdf_literal(lexical, language, datatype, normalize=False)
    raise ChainModelError(f"the query process sent an unknown term kind {kind!r}")


_encode, _decode = encode_term, decode_term


def _native_answer(location: str, prepared: _Prepared) -> tuple[dict, Any]:
    """Run the canonical text inside an Oxigraph store opened anew in the sandboxed child.

    The answer has the shape of rdflib's (``askAnswer``, ``bindings``, ``graph``), so the
    same canonical ordering and limits apply whichever engine ran it; rows and triples are
    read lazily. Also returns the store as a graph, for labelling blank nodes.
    """
    import pyoxigraph

    from .store import STORE_PREFIX, OxigraphGraph, _from_ox

    folder = location[len(STORE_PREFIX):]
    store = pyoxigraph.Store.read_only(folder)
    result = store.query(prepared.text, use_default_graph_as_union=True)
    graph = OxigraphGraph(store, location)
    if prepared.form == "ASK":
        return {"askAnswer": bool(result)}, graph
    if prepared.form == "SELECT":
        names = [str(v) for v in prepared.variables]

        pairs = [(name, Variable(name)) for name in names]
        iris: dict[str, URIRef] = {}

        def term(value):
            if isinstance(value, pyoxigraph.NamedNode):  # most terms: one URIRef per IRI
                text = value.value
                return iris.get(text) or iris.setdefault(text, URIRef(text))
            return _from_ox(value, folder)

        def bindings() -> Iterator[dict]:
            for solution in result:
                row = {}
                for name, variable in pairs:
                    value = solution[name]
                    if value is not None:
                        row[variable] = term(value)
                yield row

        return {"bindings": bindings()}, graph
    triples = ((_from_ox(t.subject, folder), _from_ox(t.predicate, folder), _from_ox(t.object, folder)) for t in result)
    return {"graph": triples}, graph


def _select_rows(answer: dict, graph: Any, prepared: _Prepared, limit: int | None) -> dict:
    variables = prepared.variables
    rows: Iterable[tuple] = (tuple(b.get(v) for v in variables) for b in answer["bindings"])
    if prepared.settled and limit is not None:
        taken = list(islice(rows, limit + 1))  # the engine ordered them: stop after the cap
        truncated = len(taken) > limit
        taken = _canonical(taken[:limit], graph, ordered=prepared.ordered)
    else:
        taken = _canonical(list(rows), graph, ordered=prepared.ordered)
        truncated = limit is not None and len(taken) > limit
        taken = taken[:limit] if limit is not None else taken
    return {
        "form": "SELECT",
        "variables": [str(v) for v in variables],
        "rows": [[_encode(t) for t in row] for row in taken],
        "truncated": truncated,
    }


def _answer(graph: Any, text: str, limit: int | None) -> dict:
    """Check and run one query (in the sandboxed child) and return its JSON answer."""
    try:
        in_store = getattr(graph, "location", "").startswith("oxigraph:")
        prepared = _prepare(text, limit, "oxigraph" if in_store else "rdflib")
        if in_store:
            answer, graph = _native_answer(graph.location, prepared)
        else:
            answer = evalQuery(graph, prepared.query, {})
        if prepared.form == "ASK":
            return {"form": "ASK", "boolean": bool(answer.get("askAnswer"))}
        if prepared.form == "SELECT":
            return _select_rows(answer, graph, prepared, limit)
        triples = _canonical(list(answer["graph"]), graph, ordered=False)
    except RecursionError:
        raise _nesting_refusal() from None
    truncated = limit is not None and len(triples) > limit
    if limit is not None:
        triples = triples[:limit]
    return {
        "form": prepared.form,
        "triples": [[_encode(t) for t in triple] for triple in triples],
        "truncated": truncated,
    }


def run_query(graph: Graph, text: str, *, timeout: float = DEFAULT_TIMEOUT, limit: int | None = None,
              memory: int = DEFAULT_MEMORY) -> QueryResult:
    """Check a query and run it on ``graph`` in a sandboxed child process; return the result.

    Everything happens in the child (see :func:`chainmodel.safety.run_bounded`): parsing
    and checking count toward ``timeout``, the child may not use more than ``memory`` bytes
    beyond what it was forked with, and on Linux it cannot open a network socket. The engine
    runs the canonical text of the checked query (:func:`canonical_query`), never the text
    as written: rdflib in memory, Oxigraph inside a store.

    Parameters
    ----------
    graph : rdflib.Graph or chainmodel.store.OxigraphGraph
        The model graph (for example from :func:`chainmodel.loading.load_graph`), or a store
        opened with :func:`chainmodel.store.open_store`. It is not changed: the query runs in
        a copy-on-write child process.
    text : str
        The SPARQL query; it is checked as :func:`check_query` does.
    timeout : float, default 30.0
        Seconds the query may take, parsing and the fork included; the child is killed when
        they pass. Must be finite and above 0.
    limit : int, optional
        Keep at most this many SELECT rows, or CONSTRUCT/DESCRIBE triples; the result's
        ``truncated`` says whether more existed. Reading a SELECT's rows stops after
        ``limit + 1``: in memory the rows are ordered by rdflib first (its own ORDER BY, then
        every projected variable), in a store they are the first Oxigraph yields (the same
        every run); the rows kept are then sorted as described above unless the query had
        its own ORDER BY. CONSTRUCT and DESCRIBE triples are all read and sorted first.
    memory : int, default 2 GiB
        Bytes of address space the child may add to what it had when forked.

    Returns
    -------
    QueryResult

    Raises
    ------
    QueryRefused
        The query was refused (see :func:`check_query`), tried to reach the network while it
        ran, or recursed too deeply.
    QueryTimeout
        The query ran past ``timeout`` seconds and was stopped.
    LimitExceeded
        The query ran out of its memory allowance.
    ChainModelError
        A bad ``timeout`` or ``limit``, or evaluation failed (the message gives the engine's
        reason).

    Examples
    --------
    >>> from rdflib import Graph
    >>> graph = Graph().parse(data="<urn:x:a> <urn:x:p> <urn:x:b> , <urn:x:c> .", format="turtle")
    >>> result = run_query(graph, "SELECT ?o { ?s ?p ?o }", limit=1)
    >>> [str(row[0]) for row in result.rows], result.truncated
    (['urn:x:b'], True)
    """
    check_bounds(timeout, memory)
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 0):
        raise ChainModelError(f"the limit must be a whole number of rows, 0 or more, not {limit!r}")
    payload = run_bounded(lambda: _answer(graph, text, limit), timeout=timeout, memory=memory,
                          what="the query", timeout_error=QueryTimeout, refused=QueryRefused)
    return QueryResult(
        form=payload["form"],
        variables=tuple(payload.get("variables", ())),
        rows=[tuple(_decode(t) for t in row) for row in payload.get("rows", ())],
        boolean=payload.get("boolean"),
        triples=[tuple(_decode(t) for t in triple) for triple in payload.get("triples", ())],
        truncated=bool(payload.get("truncated", False)),
    )


# ---------------------------------------------------------------------------- formatting


_ECHAR = MappingProxyType({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})
_unsafe = is_unsafe


def _escape_unsafe(text: str) -> str:
    """Write unsafe characters of serialised Turtle or JSON as ``\\uXXXX``.

    Both formats give that escape the same meaning inside strings and IRIs, the only places
    such characters can stand; tabs and line breaks are left for the layout.
    """
    return terminal_safe(text, keep="\r")


_STRING_ESCAPE = re.compile(f'[\\\\"\\n\\r\\t{UNSAFE_CHARACTERS}]')
_IRI_ESCAPE = re.compile(f'[<>"{{}}|^`\\\\ \\t\\n{UNSAFE_CHARACTERS}]')


def _escape_string(value: str) -> str:
    """Escape a string for a quoted N-Triples / Turtle literal.

    Besides what the grammar requires, every control character (C0 and C1), line and
    paragraph separator and bidirectional control is written as ``\\uXXXX``: a literal in a
    model must not be able to move the cursor, recolour or reorder an auditor's terminal.
    """
    return _STRING_ESCAPE.sub(lambda m: _ECHAR.get(m.group()) or f"\\u{ord(m.group()):04X}", value)


def _nt_iri(iri: str) -> str:
    return "<" + _IRI_ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04X}", iri) + ">"


def _bnode_label(node: BNode) -> str:
    label = str(node)
    return label if _BNODE_LABEL.match(label) else "x" + label.encode("utf-8").hex()


def _nt_term(term: Any) -> str:
    """A term in N-Triples syntax (also the TSV term syntax); '' for unbound."""
    if term is None:
        return ""
    if isinstance(term, BNode):
        return "_:" + _bnode_label(term)
    if isinstance(term, URIRef):
        return _nt_iri(str(term))
    if isinstance(term, Literal):
        quoted = f'"{_escape_string(str(term))}"'
        if term.language:
            return f"{quoted}@{term.language}"
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return f"{quoted}^^{_nt_iri(str(term.datatype))}"
        return quoted
    raise TypeError(f"unexpected term {term!r}")


def _prefixed(iri: str, prefixes: Sequence[tuple[str, str]]) -> str | None:
    best: tuple[int, str, str] | None = None
    for prefix, namespace in prefixes:
        if namespace and iri.startswith(namespace) and _PN_PREFIX.match(prefix):
            local = iri[len(namespace) :]
            if _PN_LOCAL.match(local) and (best is None or len(namespace) > best[0]):
                best = (len(namespace), prefix, local)
    return f"{best[1]}:{best[2]}" if best else None


def _table_term(term: Any, prefixes: Sequence[tuple[str, str]]) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return _prefixed(str(term), prefixes) or _nt_iri(str(term))
    if isinstance(term, Literal) and not term.language and term.datatype is not None:
        datatype = str(term.datatype)
        lexical = str(term)
        pattern = _TURTLE_NUMBER.get(datatype)
        if (pattern and pattern.match(lexical)) or (datatype == _XSD_BOOLEAN and lexical in ("true", "false")):
            return lexical
        if datatype != _XSD_STRING:
            shown = _prefixed(datatype, prefixes) or _nt_iri(datatype)
            return f'"{_escape_string(lexical)}"^^{shown}'
    return _nt_term(term)


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: East Asian wide characters take two."""
    total = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        total += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return total


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    cells = [[cell.replace("|", "\\|") for cell in row] for row in rows]
    widths = [max([3, _width(name)] + [_width(row[i]) for row in cells]) for i, name in enumerate(header)]

    def line(values: Sequence[str]) -> str:
        padded = (value + " " * (width - _width(value)) for value, width in zip(values, widths))
        return "| " + " | ".join(padded) + " |"

    lines = [line(header), "| " + " | ".join("-" * width for width in widths) + " |"]
    lines.extend(line(row) for row in cells)
    return "\n".join(lines) + "\n"


def _csv_field(value: str) -> str:
    if any(char in value for char in '",\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _csv_term(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return "_:" + _bnode_label(term)
    return str(term)


def _json_term(term: Any) -> dict:
    if isinstance(term, BNode):
        return {"type": "bnode", "value": _bnode_label(term)}
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    value: dict[str, str] = {"type": "literal", "value": str(term)}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype is not None and str(term.datatype) != _XSD_STRING:
        value["datatype"] = str(term.datatype)
    return value


def _turtle(triples: Sequence[tuple], prefixes: Sequence[tuple[str, str]]) -> str:
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in prefixes:
        graph.bind(prefix, namespace, override=True, replace=True)
    for triple in triples:
        graph.add(triple)
    # rdflib writes control and bidi characters raw; they only stand inside strings and IRIs
    return _escape_unsafe(graph.serialize(format="turtle").rstrip() + "\n")


def format_result(result: QueryResult, fmt: str, prefixes: Mapping[str, str] | None = None) -> str:
    """Write a query result as text.

    Parameters
    ----------
    result : QueryResult
        What :func:`run_query` returned.
    fmt : str
        One of :data:`OUTPUT_FORMATS`:

        * ``"table"``: an aligned text table (also valid Markdown) for any form. Terms are
          written in Turtle syntax, IRIs as prefixed names where ``prefixes`` has a matching
          namespace; unbound cells are empty; East Asian wide characters count as two
          columns. ASK prints ``true`` or ``false``; CONSTRUCT and DESCRIBE print subject,
          predicate and object columns. A truncated result ends with a note line.
        * ``"json"``: SPARQL 1.1 Query Results JSON (SELECT and ASK).
        * ``"csv"``: SPARQL 1.1 Query Results CSV (SELECT): header of variable names, CRLF line
          ends, IRIs and literals' lexical forms bare, blank nodes as ``_:label``, fields
          quoted when they hold a quote, comma or line break. CSV has no escapes, so values
          are written raw: look at untrusted models with ``table`` or ``tsv``.
        * ``"tsv"``: SPARQL 1.1 Query Results TSV (SELECT): header of ``?name``, LF line
          ends, every term in N-Triples syntax (tabs and line breaks escaped).
        * ``"turtle"``, ``"ntriples"``: the triples of CONSTRUCT and DESCRIBE; N-Triples
          lines are in the result's (sorted) order.

        Every format but CSV writes control characters, line separators and bidirectional
        controls inside values as ``\\uXXXX``, so a model cannot drive the terminal that shows
        the result. CSV, TSV, JSON, Turtle and N-Triples carry no truncation note; check
        ``result.truncated``.
    prefixes : mapping of str to str, optional
        Prefix to namespace IRI, used by ``"table"`` and ``"turtle"``;
        ``dict(graph.namespaces())`` or :func:`default_prefixes` will do.

    Returns
    -------
    str
        The text, ending with a line break.

    Raises
    ------
    ChainModelError
        The format is unknown or does not fit the query form.

    Examples
    --------
    >>> from rdflib import URIRef, Literal
    >>> result = QueryResult("SELECT", ("s", "label"),
    ...                      [(URIRef("https://w3id.org/chainmodel#Duty"), Literal("duty", lang="en"))])
    >>> print(format_result(result, "table", {"cm": "https://w3id.org/chainmodel#"}), end="")
    | s       | label     |
    | ------- | --------- |
    | cm:Duty | "duty"@en |
    >>> format_result(result, "tsv")
    '?s\\t?label\\n<https://w3id.org/chainmodel#Duty>\\t"duty"@en\\n'
    """
    if fmt not in OUTPUT_FORMATS:
        raise ChainModelError(f"unknown output format {fmt!r}; choose one of {', '.join(OUTPUT_FORMATS)}")
    fits = {
        "SELECT": ("table", "json", "csv", "tsv"),
        "ASK": ("table", "json"),
        "CONSTRUCT": ("table", "turtle", "ntriples"),
        "DESCRIBE": ("table", "turtle", "ntriples"),
    }[result.form]
    if fmt not in fits:
        raise ChainModelError(
            f"a {result.form} result cannot be written as {fmt}; choose one of {', '.join(fits)}"
        )
    bound = sorted((prefixes or {}).items())
    if result.form == "ASK":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": bool(result.boolean)}, indent=2) + "\n"
        return ("true" if result.boolean else "false") + "\n"
    if result.form == "SELECT":
        if fmt == "table":
            text = _table(result.variables, [[_table_term(t, bound) for t in row] for row in result.rows])
            if result.truncated:
                text += f"(truncated after {len(result.rows)} rows)\n"
            return text
        if fmt == "json":
            bindings = [
                {name: _json_term(term) for name, term in zip(result.variables, row) if term is not None}
                for row in result.rows
            ]
            document = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
            return _escape_unsafe(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"
        if fmt == "csv":
            lines = [",".join(_csv_field(name) for name in result.variables)]
            lines += [",".join(_csv_field(_csv_term(t)) for t in row) for row in result.rows]
            return "".join(line + "\r\n" for line in lines)
        lines = ["\t".join("?" + name for name in result.variables)]
        lines += ["\t".join(_nt_term(t) for t in row) for row in result.rows]
        return "".join(line + "\n" for line in lines)
    if fmt == "table":
        text = _table(
            ("subject", "predicate", "object"),
            [[_table_term(t, bound) for t in triple] for triple in result.triples],
        )
        if result.truncated:
            text += f"(truncated after {len(result.triples)} triples)\n"
        return text
    if fmt == "ntriples":
        return "".join(" ".join(_nt_term(t) for t in triple) + " .\n" for triple in result.triples)
    return _turtle(result.triples, bound)


# ---------------------------------------------------------------------------- named queries


@dataclass(frozen=True)
class NamedQuery:
    """A query shipped with chainmodel for auditors (``chainmodel/queries/NAME.rq``).

    Attributes
    ----------
    name : str
        The file name without ``.rq``, as given on the command line.
    title, title_ja : str
        A one-line title in English and in Japanese.
    description : str
        What the query lists and how, in English.
    text : str
        The whole query, header comments included.

    Examples
    --------
    >>> load_named_query("deep-tiers").title
    'Parties at tier 3 and below'
    """

    name: str
    title: str
    title_ja: str
    description: str
    text: str


_HEADER_LINE = re.compile(r"^#\s*([A-Za-z][A-Za-z-]*)\s*:\s?(.*)$")
_HEADER_KEYS = MappingProxyType({"title": "title", "title-ja": "title_ja", "description": "description"})


def _read_named(name: str, text: str) -> NamedQuery:
    fields: dict[str, str] = {}
    current: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = _HEADER_LINE.match(stripped)
        if match and match.group(1).lower() in _HEADER_KEYS:
            current = _HEADER_KEYS[match.group(1).lower()]
            fields[current] = match.group(2).strip()
        elif current is not None and stripped.lstrip("#").strip():
            fields[current] += " " + stripped.lstrip("#").strip()
    missing = [key for key, attribute in _HEADER_KEYS.items() if not fields.get(attribute)]
    if missing:
        raise ChainModelError(
            f"named query {name!r} lacks the header line(s) {', '.join('# ' + k + ':' for k in missing)}"
        )
    return NamedQuery(name=name, text=text, **fields)


def named_queries() -> dict[str, NamedQuery]:
    """Return the named queries shipped with chainmodel, by name, sorted by name.

    The files are read with :mod:`importlib.resources`, so an installed package finds them
    too; a new dictionary is built on every call.

    Returns
    -------
    dict[str, NamedQuery]

    Examples
    --------
    >>> sorted(named_queries())[:2]
    ['chains-per-duty', 'deep-tiers']
    """
    package = __name__.rpartition(".")[0]
    folder = resources.files(package).joinpath("queries")
    found: dict[str, NamedQuery] = {}
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.name.endswith(".rq") and entry.is_file():
            name = entry.name[: -len(".rq")]
            found[name] = _read_named(name, entry.read_text(encoding="utf-8"))
    return found


def load_named_query(name: str) -> NamedQuery:
    """Return one named query.

    Parameters
    ----------
    name : str
        The query's name, e.g. ``"deep-tiers"`` (a trailing ``.rq`` is accepted).

    Raises
    ------
    UnknownReference
        No query has that name; the message lists the names there are.

    Examples
    --------
    >>> load_named_query("shared-consignees").title_ja
    '複数の委託元に共有される委託先'
    >>> load_named_query("nope")
    Traceback (most recent call last):
    ...
    chainmodel.errors.UnknownReference: unknown named query 'nope'; the named queries are: chains-per-duty, deep-tiers, sensitive-data-per-party, shared-consignees, unapproved-reconsignments
    """
    queries = named_queries()
    key = name[: -len(".rq")] if name.endswith(".rq") else name
    if key not in queries:
        raise UnknownReference(f"unknown named query {name!r}; the named queries are: {', '.join(queries)}")
    return queries[key]
