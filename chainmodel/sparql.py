"""Read-only, hardened SPARQL over a model graph, and the named queries shipped for auditors.

A query goes through two steps.

1. :func:`check_query` parses it with rdflib's SPARQL parser and translates it to algebra,
   then inspects the parse tree and the algebra (never the raw text alone, so comments,
   strings, ``\\u`` escapes and odd spacing cannot hide anything). It refuses, with
   :class:`~chainmodel.errors.QueryRefused`:

   * any SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY);
   * ``SERVICE`` anywhere, including inside subqueries, OPTIONAL, UNION, MINUS and
     ``FILTER EXISTS``: rdflib would send an HTTP request with no timeout;
   * ``FROM`` and ``FROM NAMED``: a query reads the loaded model and nothing else;
   * syntax errors (naming the line and column where the parser stopped);
   * queries nested deeper than :data:`MAX_NESTING` brackets, or whose algebra is deeper
     than :data:`MAX_ALGEBRA_DEPTH` (long OPTIONAL or UNION chains), or longer than
     :data:`MAX_QUERY_LENGTH` characters, instead of letting ``RecursionError`` escape.

2. :func:`run_query` evaluates the checked query in a child process forked from this one
   (``multiprocessing`` with the ``'fork'`` start method, so the graph is shared
   copy-on-write and never pickled). The child is killed when the timeout passes
   (:class:`~chainmodel.errors.QueryTimeout`); a cartesian product cannot run on. Before it
   evaluates anything the child sets ``rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False``
   and installs an audit hook (:func:`sys.addaudithook`) that raises on
   ``socket.connect``, ``socket.getaddrinfo``, ``urllib.Request`` and related network
   events. The hook is installed only in the child, never in the calling process. CPython
   documents audit hooks as no sandbox: the hook is a second line behind the refusal of
   SERVICE and FROM, not a substitute for it. The result comes back through a pipe as JSON
   (terms encoded as plain lists, nothing unpickled).

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
]

import hashlib
import json
import multiprocessing
import re
import sys
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
_BLOCKED_AUDIT_EVENTS = frozenset(
    {
        "socket.connect",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.gethostbyaddr",
        "socket.sendto",
        "socket.sendmsg",
        "urllib.Request",
        "http.client.connect",
        "ftplib.connect",
        "smtplib.connect",
    }
)
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
    text: str = ""


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
            term = _get(node, "term")
            shown = term.n3() if hasattr(term, "n3") else str(term)
            if shown not in services:
                services.append(shown)
        elif node.name == "DatasetClause":
            if _get(node, "named") is not None:
                shown = f"FROM NAMED <{_get(node, 'named')}>"
            else:
                shown = f"FROM <{_get(node, 'default')}>"
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


def _add_tie_breakers(algebra: CompValue, variables: Sequence[Variable]) -> None:
    """Append every projected variable to a top-level ORDER BY, so ties sort the same every run."""
    node = _get(algebra, "p")
    while isinstance(node, CompValue) and node.name in ("Slice", "Distinct", "Reduced", "Project"):
        node = _get(node, "p")
    if not isinstance(node, CompValue) or node.name != "OrderBy":
        return
    conditions = list(node.expr)
    present = {c.expr for c in conditions if isinstance(getattr(c, "expr", None), Variable)}
    for variable in variables:
        if variable not in present:
            conditions.append(CompValue("OrderCondition", expr=variable, order=None))
            present.add(variable)
    node["expr"] = conditions


def _prepare(text: str) -> _Prepared:
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
    main = tree[-1]  # translation rewrites parts of the tree in place: read it first
    select_star = not _get(main, "projection")
    first_seen = _variables_in_order(tree)
    ordered = bool(_get(main, "orderby"))
    try:
        query = sparql_algebra.translateQuery(tree, initNs=default_prefixes())
    except RecursionError:
        raise _nesting_refusal() from None
    except Exception as error:  # rdflib raises bare Exception for unknown prefixes and the like
        message = str(error)
        hint = " Declare it with PREFIX or write the full IRI." if "prefix" in message.lower() else ""
        raise _refuse(f"the query cannot be prepared: {message}.{hint}") from None
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
        if ordered:
            _add_tie_breakers(query.algebra, variables)
    else:
        ordered = False
    return _Prepared(form=form, query=query, variables=variables, ordered=ordered, text=text)


def check_query(text: str) -> str:
    """Check that a SPARQL query is read-only and stays inside the model; return its form.

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
        message names line and column), is nested too deeply or is too long. The message says
        what was refused and what to do instead.

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


def _bnode_digest(graph: Graph, node: BNode) -> str:
    """A label for a blank node of the model, computed from the triples around it.

    Parsers label blank nodes at random, so a label read from the model would change from
    run to run; what the model says about the node does not.
    """
    lines = [
        "> " + _nt_term(p) + " " + ("_:" if isinstance(o, BNode) else _nt_term(o))
        for p, o in graph.predicate_objects(node)
    ]
    lines += [
        "< " + ("_:" if isinstance(s, BNode) else _nt_term(s)) + " " + _nt_term(p)
        for s, p in graph.subject_predicates(node)
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


def _encode(term: Any) -> Any:
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


def _decode(value: Any) -> Any:
    if value is None:
        return None
    kind = value[0]
    if kind == "u":
        return URIRef(value[1])
    if kind == "b":
        return BNode(value[1])
    if kind == "l":
        _, lexical, datatype, language = value
        return Literal(lexical, lang=language, datatype=URIRef(datatype) if datatype else None, normalize=False)
    raise ChainModelError(f"the query process sent an unknown term kind {kind!r}")


def _native_answer(graph, prepared: _Prepared) -> dict:
    """Run a checked query inside an Oxigraph store (in the child, on a store opened anew).

    The answer has the shape of rdflib's (``askAnswer``, ``bindings``, ``graph``), so the
    same canonical ordering and limits apply whichever engine ran it.
    """
    import pyoxigraph

    from .store import STORE_PREFIX, _from_ox

    store = pyoxigraph.Store.read_only(graph.location[len(STORE_PREFIX):])
    header = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in sorted(default_prefixes().items()))
    result = store.query(header + prepared.text, use_default_graph_as_union=True)
    if prepared.form == "ASK":
        return {"askAnswer": bool(result)}
    if prepared.form == "SELECT":
        names = [str(v) for v in prepared.variables]
        bindings = []
        for solution in result:
            row = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[Variable(name)] = _from_ox(value)
            bindings.append(row)
        return {"bindings": bindings}
    return {"graph": [(_from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object)) for t in result]}


def _evaluate(graph: Graph, prepared: _Prepared, limit: int | None) -> dict:
    if getattr(graph, "location", "").startswith("oxigraph:"):
        answer = _native_answer(graph, prepared)
    else:
        answer = evalQuery(graph, prepared.query, {})
    if prepared.form == "ASK":
        return {"form": "ASK", "boolean": bool(answer.get("askAnswer"))}
    if prepared.form == "SELECT":
        variables = prepared.variables
        rows: Iterable[tuple] = (tuple(b.get(v) for v in variables) for b in answer["bindings"])
        if prepared.ordered and limit is not None:
            taken = list(islice(rows, limit + 1))
        else:
            taken = list(rows)
            if not prepared.ordered:
                taken = _canonical(taken, graph, ordered=False)
        truncated = limit is not None and len(taken) > limit
        taken = taken[:limit] if limit is not None else taken
        if prepared.ordered:
            taken = _canonical(taken, graph, ordered=True)
        return {
            "form": "SELECT",
            "variables": [str(v) for v in variables],
            "rows": [[_encode(t) for t in row] for row in taken],
            "truncated": truncated,
        }
    triples = _canonical(list(answer["graph"]), graph, ordered=False)
    truncated = limit is not None and len(triples) > limit
    if limit is not None:
        triples = triples[:limit]
    return {
        "form": prepared.form,
        "triples": [[_encode(t) for t in triple] for triple in triples],
        "truncated": truncated,
    }


class _NetworkBlocked(RuntimeError):
    """Raised by the child's audit hook when anything tries to reach the network."""


def _child(sender, graph: Graph, prepared: _Prepared, limit: int | None) -> None:  # pragma: no cover
    """Evaluate in the forked child and send the JSON answer (coverage cannot see a fork)."""
    attempts: list[str] = []

    def deny_network(event: str, args: tuple) -> None:
        if event in _BLOCKED_AUDIT_EVENTS:
            attempts.append(event)
            raise _NetworkBlocked(f"{event} is blocked while a query runs")

    sys.addaudithook(deny_network)
    import rdflib.plugins.sparql

    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
    try:
        payload = _evaluate(graph, prepared, limit)
    except RecursionError:
        payload = {"error": "nesting"}
    except MemoryError:
        payload = {"error": "memory"}
    except Exception as error:  # reported to the parent, which raises ChainModelError
        payload = {"error": "failed", "message": f"{type(error).__name__}: {error}"}
    if attempts:
        payload = {"error": "network", "message": attempts[0]}
    try:
        data = json.dumps(payload, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    except (TypeError, ValueError) as error:
        data = json.dumps({"error": "failed", "message": f"the answer cannot be sent: {error}"}).encode("ascii")
    sender.send_bytes(data)
    sender.close()


def _fork_context():
    try:
        return multiprocessing.get_context("fork")
    except ValueError:
        raise ChainModelError(
            "running a query needs the 'fork' start method, which this platform lacks; "
            "run chainmodel on Linux or macOS"
        ) from None


def run_query(graph: Graph, text: str, *, timeout: float = 30.0, limit: int | None = None) -> QueryResult:
    """Check a query, run it on ``graph`` in a forked child process and return the result.

    Parameters
    ----------
    graph : rdflib.Graph
        The model graph (for example from :func:`chainmodel.loading.load_graph`). It is not
        changed: the query runs in a copy-on-write child process.
    text : str
        The SPARQL query; it is checked with :func:`check_query` first.
    timeout : float, default 30.0
        Seconds the query may run, the fork included; the child is killed when they pass.
    limit : int, optional
        Keep at most this many SELECT rows, or CONSTRUCT/DESCRIBE triples; the result's
        ``truncated`` says whether more existed. Without ORDER BY the rows are sorted first,
        so the rows kept are the same every run.

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
    ChainModelError
        Evaluation failed (the message gives rdflib's reason), or the child process died.

    Examples
    --------
    >>> from rdflib import Graph
    >>> graph = Graph().parse(data="<urn:x:a> <urn:x:p> <urn:x:b> , <urn:x:c> .", format="turtle")
    >>> result = run_query(graph, "SELECT ?o { ?s ?p ?o }", limit=1)
    >>> [str(row[0]) for row in result.rows], result.truncated
    (['urn:x:b'], True)
    """
    prepared = _prepare(text)
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or not timeout > 0:
        raise ChainModelError(f"the timeout must be a positive number of seconds, not {timeout!r}")
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 0):
        raise ChainModelError(f"the limit must be a whole number of rows, 0 or more, not {limit!r}")
    context = _fork_context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_child, args=(sender, graph, prepared, limit), name="chainmodel-query", daemon=True
    )
    data = None
    try:
        process.start()
        sender.close()
        if receiver.poll(timeout):
            try:
                data = receiver.recv_bytes()
            except EOFError:
                data = None
        else:
            raise QueryTimeout(
                f"the query ran past its time limit of {timeout:g} s and was stopped. Narrow it "
                "(bind more variables, avoid patterns that share no variable, add LIMIT) or "
                "allow more time."
            )
    finally:
        if data is not None:
            process.join(2.0)
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()
    if data is None:
        raise ChainModelError(
            f"the query process ended without an answer (exit code {process.exitcode}); "
            "it may have run out of memory"
        )
    payload = json.loads(data)
    error = payload.get("error")
    if error == "network":
        raise _refuse(
            f"the query tried to reach the network while it ran ({payload.get('message')}); "
            "chainmodel queries read only the loaded model."
        )
    if error == "nesting":
        raise _nesting_refusal()
    if error == "memory":
        raise ChainModelError("the query ran out of memory; narrow it or add LIMIT")
    if error:
        raise ChainModelError(f"the query failed while it ran: {payload.get('message')}")
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
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _unsafe(char: str) -> bool:
    """True for a character that must not reach a terminal raw."""
    return char in _BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Zl", "Zp")


def _escape_unsafe(text: str) -> str:
    """Write unsafe characters of serialised Turtle or JSON as ``\\uXXXX``.

    Both formats give that escape the same meaning inside strings and IRIs, the only places
    such characters can stand; tabs and line breaks are left for the layout.
    """
    return "".join(f"\\u{ord(c):04X}" if c not in "\n\r\t" and _unsafe(c) else c for c in text)


def _escape_string(value: str) -> str:
    """Escape a string for a quoted N-Triples / Turtle literal.

    Besides what the grammar requires, every control character (C0 and C1), line and
    paragraph separator and bidirectional control is written as ``\\uXXXX``: a literal in a
    model must not be able to move the cursor, recolour or reorder an auditor's terminal.
    """
    out = []
    for char in value:
        if char in _ECHAR:
            out.append(_ECHAR[char])
        elif _unsafe(char):
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return "".join(out)


def _nt_iri(iri: str) -> str:
    escaped = "".join(f"\\u{ord(c):04X}" if c in '<>"{}|^`\\ ' or _unsafe(c) else c for c in iri)
    return f"<{escaped}>"


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
