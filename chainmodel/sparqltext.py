"""A checked SPARQL query, written back as canonical text that every engine reads alike.

chainmodel checks a query with rdflib's parser, but a store runs it in Oxigraph, and the
two do not read the same text the same way: rdflib expands ``\\uXXXX`` escapes before it
tokenises (so ``"a\\u0022) # "`` ends a string early for it and not for Oxigraph), the two
disagree on where a comment ends (a carriage return ends one for Oxigraph only), and rdflib's
parser turns a raw tab inside a string into spaces (pyparsing's default) where Oxigraph
keeps it. A check done on one reading says nothing about the
other. So the engine never sees the text the user wrote: :func:`canonical_text` writes the
parse tree rdflib checked back as SPARQL, in a form with nothing left to read two ways:

* every IRI in full, in ``<...>`` (prefixed names and ``BASE`` resolved here, once);
* strings in double quotes, with only the escapes ``\\t \\n \\r \\b \\f \\" \\\\`` and every other
  character written as itself: no ``\\u`` escape, no long string;
* no comment, no ``PREFIX`` or ``BASE``, one space between tokens, keywords in capitals,
  variables as ``?name``, blank nodes as ``_:b0``, ``_:b1``, ... (``[ ... ]`` and ``( ... )``
  written out as the triples they stand for);
* numbers, booleans and ``true``/``false`` bare only when their lexical form reads back as
  the same datatype, otherwise as ``"lexical"^^<datatype>``.

The caller then parses that text again with rdflib and compares :func:`normal_form` of
both trees (prefixed names resolved, blank-node labels numbered in order of appearance,
the ``[ ]`` and ``;`` shorthand flattened into triples, a one-IRI property path read as the
IRI): only when they are equal is the text run, so a query is never run as anything other
than what was checked. :class:`CanonicalError` reports what has no canonical text (an
unknown prefix, a relative IRI without ``BASE``, an inverse IRI inside a negated property
set, which rdflib's parser drops).

Examples
--------
>>> from rdflib.plugins.sparql.parser import parseQuery
>>> tree = parseQuery('PREFIX ex: <urn:ex:> SELECT ?s { ?s ex:p "a\\\\tb" } # note\\r SERVICE <http://x/> { }')
>>> canonical_text(tree, {})
'SELECT ?s WHERE { ?s <urn:ex:p> "a\\\\tb" . }'
>>> normal_form(parseQuery(canonical_text(tree, {})), {}) == normal_form(tree, {})
True
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Mapping
from urllib.parse import urljoin

from pyparsing import ParseResults
from rdflib import BNode, Literal, URIRef, Variable
from rdflib.plugins.sparql.parserutils import CompValue

__all__ = ["CanonicalError", "canonical_text", "normal_form", "show_term", "sparql_term"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_BARE_NUMBERS = {
    _XSD + "integer": re.compile(r"[0-9]+"),
    _XSD + "decimal": re.compile(r"[0-9]*\.[0-9]+"),
    _XSD + "double": re.compile(r"(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+"),
    _XSD + "boolean": re.compile(r"true|false"),
}
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_IRI_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_LANGUAGE = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*")
_LOCAL_ESCAPE = re.compile(r"\\([_~.\-!$&'()*+,;=/?#@%])")
_STRING_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t",
                                 "\b": "\\b", "\f": "\\f"})
_ARGUMENT_KEYS = ("arg", "arg1", "arg2", "arg3", "text", "pattern", "replacement", "start", "length", "flags")
_AGGREGATES = {"Aggregate_Count": "COUNT", "Aggregate_Sum": "SUM", "Aggregate_Min": "MIN", "Aggregate_Max": "MAX",
               "Aggregate_Avg": "AVG", "Aggregate_Sample": "SAMPLE", "Aggregate_GroupConcat": "GROUP_CONCAT"}
_GROUPS = ("GroupGraphPatternSub", "SubSelect")
_NIL = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#nil")


class CanonicalError(ValueError):
    """The parse tree holds something that cannot be written as canonical text."""


def _get(node: CompValue, key: str, default: Any = None) -> Any:
    """A field of a node (rdflib's ``CompValue.get`` returns the key itself when it is absent)."""
    return dict.get(node, key, default)


def _items(value: Any) -> list:
    """A field that may hold one value or a list of them, as a list."""
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple, ParseResults)) else [value]


class _Names:
    """Resolves prefixed names and relative IRIs with the prologue (later declarations win)."""

    def __init__(self, prologue: Iterable, prefixes: Mapping[str, str]):
        self.prefixes = dict(prefixes)
        self.base: str | None = None
        for declaration in prologue:
            if declaration.name == "Base":
                self.base = self.absolute(_get(declaration, "iri"))
            elif declaration.name == "PrefixDecl":
                self.prefixes[_get(declaration, "prefix") or ""] = self.absolute(_get(declaration, "iri"))

    def absolute(self, iri: str) -> str:
        text = str(iri)
        if not _SCHEME.match(text):
            if self.base is None:
                raise CanonicalError(f"the relative IRI <{text}> has no BASE to resolve it against; "
                                     "write the IRI in full or declare BASE")
            text = urljoin(self.base, text)
        if _IRI_FORBIDDEN.search(text):
            raise CanonicalError(f"the IRI <{text}> holds a character IRIs may not hold")
        return text

    def iri(self, node: Any) -> str:
        if isinstance(node, CompValue) and node.name == "pname":
            prefix = _get(node, "prefix") or ""
            if prefix not in self.prefixes:
                raise CanonicalError(f"the prefix {prefix}: is not declared; declare it with PREFIX "
                                     "or write the IRI in full")
            return self.absolute(self.prefixes[prefix] + _LOCAL_ESCAPE.sub(r"\1", _get(node, "localname") or ""))
        return self.absolute(node)


def _prologue_and_query(parsed: Any) -> tuple[list, CompValue]:
    parts = list(parsed)
    if len(parts) != 2 or not isinstance(parts[1], CompValue):
        raise CanonicalError("the text is not one SPARQL query")
    return list(parts[0]), parts[1]


def _is_iri(node: Any) -> bool:
    return isinstance(node, URIRef) or (isinstance(node, CompValue) and node.name == "pname")


def show_term(node: Any) -> str:
    """A short display of a parse-tree term for messages (a prefixed name stays as written).

    Examples
    --------
    >>> from rdflib.plugins.sparql.parser import parseQuery
    >>> service = parseQuery("SELECT * { SERVICE e:x { ?s ?p ?o } }")[1]["where"]["part"][0]
    >>> show_term(service["term"])
    'e:x'
    """
    if isinstance(node, CompValue) and node.name == "pname":
        return f"{_get(node, 'prefix') or ''}:{_get(node, 'localname') or ''}"
    if isinstance(node, Variable):
        return "?" + str(node)
    if isinstance(node, URIRef):
        return f"<{node}>"
    return str(node)


def sparql_term(term: Any) -> str:
    """Write one rdflib term (an IRI, a literal or a variable) for pasting into a query.

    The IRI is checked (a character IRIs may not hold, such as ``>`` or a space, is refused,
    so an IRI read from elsewhere cannot close the ``<...>`` and add to the query), and a
    string is written with only the escapes every SPARQL parser reads alike.

    Raises
    ------
    CanonicalError
        The IRI, language tag or term cannot be written safely.

    Examples
    --------
    >>> from rdflib import Literal, URIRef
    >>> sparql_term(Literal('say "hi"\\n', lang="en"))
    '"say \\\\"hi\\\\"\\\\n"@en'
    >>> sparql_term(URIRef("urn:x> } SERVICE <http://evil/"))
    Traceback (most recent call last):
    ...
    chainmodel.sparqltext.CanonicalError: the IRI <urn:x> } SERVICE <http://evil/> holds a character IRIs may not hold
    """
    writer = _Writer(_Names((), {}))
    if isinstance(term, Literal):
        if term.language and not _LANGUAGE.fullmatch(term.language):
            raise CanonicalError(f"the language tag {term.language!r} is not a valid tag")
        datatype = None if term.datatype is None else URIRef(term.datatype)
        return writer.literal(str(term), term.language, datatype)
    if isinstance(term, (URIRef, Variable)):
        return writer.term(term)
    raise CanonicalError(f"{term!r} cannot be written into a query (only IRIs, literals and variables)")


# ------------------------------------------------------------------------------ writing


class _Writer:
    """Writes one query's parse tree as canonical text."""

    def __init__(self, names: _Names):
        self.names = names
        self.blanks: dict[str, str] = {}

    # -- terms

    def iri(self, node: Any) -> str:
        return f"<{self.names.iri(node)}>"

    def string(self, text: str) -> str:
        return '"' + str(text).translate(_STRING_ESCAPES) + '"'

    def literal(self, lexical: str, language: str | None, datatype: Any, bare: bool = False) -> str:
        """A literal; ``bare`` (a number or boolean token) keeps the token form when it reads
        back as the same lexical form and datatype."""
        if language:
            return f"{self.string(lexical)}@{language}"
        if datatype is None:
            return self.string(lexical)
        iri = self.names.iri(datatype)
        pattern = _BARE_NUMBERS.get(iri)
        if bare and pattern is not None and pattern.fullmatch(str(lexical)):
            return str(lexical)
        return f"{self.string(lexical)}^^<{iri}>"

    def term(self, node: Any) -> str:
        if isinstance(node, Variable):
            return "?" + str(node)
        if isinstance(node, BNode):
            label = self.blanks.setdefault(str(node), f"b{len(self.blanks)}")
            return "_:" + label
        if isinstance(node, Literal):
            return self.literal(str(node), node.language, node.datatype, bare=True)
        if isinstance(node, CompValue) and node.name == "literal":
            return self.literal(str(_get(node, "string")), _get(node, "lang"), _get(node, "datatype"))
        if _is_iri(node):
            return self.iri(node)
        raise CanonicalError(f"unexpected term {node!r} in the query")

    # -- triples and paths

    def triples(self, lists: Iterable, paths: bool) -> str:
        flat = [term for group in lists for term in group]
        if len(flat) % 3:
            raise CanonicalError("a triple pattern is incomplete")
        verb = self.path if paths else self.term
        return " ".join(f"{self.term(flat[i])} {verb(flat[i + 1])} {self.term(flat[i + 2])} ."
                        for i in range(0, len(flat), 3))

    def path(self, node: Any) -> str:
        if not isinstance(node, CompValue) or node.name == "pname":
            return self.term(node)
        if node.name == "PathAlternative":
            return " | ".join(self.path(part) for part in _items(_get(node, "part")))
        if node.name == "PathSequence":
            return " / ".join(self.path(part) for part in _items(_get(node, "part")))
        if node.name == "PathEltOrInverse":
            return "^" + self.path(_get(node, "part"))
        if node.name == "PathElt":
            return self.path_primary(_get(node, "part")) + (_get(node, "mod") or "")
        raise CanonicalError(f"unexpected property path {node.name}")

    def path_primary(self, node: Any) -> str:
        if isinstance(node, CompValue) and node.name == "PathAlternative":
            return f"({self.path(node)})"
        if isinstance(node, CompValue) and node.name == "PathNegatedPropertySet":
            parts = _items(_get(node, "part"))
            if any(isinstance(part, CompValue) and part.name == "InversePath" for part in parts):
                raise CanonicalError("an inverse IRI inside a negated property set (!^p) is not read "
                                     "correctly by rdflib; write the pattern without it")
            return "!(" + " | ".join(self.iri(part) for part in parts) + ")"
        if isinstance(node, CompValue) and node.name == "DistinctPath":
            return f"DISTINCT({self.path(_get(node, 'part'))})"
        return self.term(node)

    # -- expressions

    def expression(self, node: Any) -> str:
        if not isinstance(node, CompValue) or node.name in ("pname", "literal"):
            return self.term(node)
        name = node.name
        if name in ("ConditionalOrExpression", "ConditionalAndExpression"):
            joiner = " || " if name == "ConditionalOrExpression" else " && "
            return joiner.join(self.expression(part) for part in [_get(node, "expr")] + _items(_get(node, "other")))
        if name == "RelationalExpression":
            return self.relational(node)
        if name in ("AdditiveExpression", "MultiplicativeExpression"):
            write = self.expression if name == "AdditiveExpression" else self.primary
            operators, others = _items(_get(node, "op")), _items(_get(node, "other"))
            if len(operators) != len(others):
                raise CanonicalError("an arithmetic expression is incomplete")
            return write(_get(node, "expr")) + "".join(f" {op} {write(other)}" for op, other in zip(operators, others))
        if name in ("UnaryNot", "UnaryPlus", "UnaryMinus"):
            return {"UnaryNot": "!", "UnaryPlus": "+", "UnaryMinus": "-"}[name] + self.primary(_get(node, "expr"))
        return self.call(node)

    def relational(self, node: CompValue) -> str:
        text = self.expression(_get(node, "expr"))
        operator = _get(node, "op")
        if operator is None:
            return text
        if operator in ("IN", "NOT IN"):
            return f"{text} {operator} {self.expression_list(_get(node, 'other'))}"
        return f"{text} {operator} {self.expression(_get(node, 'other'))}"

    def primary(self, node: Any) -> str:
        """An operand of ``*``, ``/`` or a unary operator: a bracketed expression keeps its brackets."""
        if isinstance(node, CompValue) and node.name == "ConditionalOrExpression":
            return f"({self.expression(node)})"
        return self.expression(node)

    def expression_list(self, value: Any) -> str:
        if isinstance(value, URIRef) and value == _NIL:  # NIL: '(' ')'
            return "()"
        return "(" + ", ".join(self.expression(item) for item in _items(value)) + ")"

    def call(self, node: CompValue) -> str:
        name = node.name
        if name == "Function":
            distinct = "DISTINCT " if _get(node, "distinct") else ""
            arguments = _items(_get(node, "expr"))
            return f"{self.iri(_get(node, 'iri'))}({distinct}{', '.join(map(self.expression, arguments))})"
        if name in _AGGREGATES:
            return self.aggregate(node)
        if name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
            keyword = "EXISTS" if name == "Builtin_EXISTS" else "NOT EXISTS"
            return f"{keyword} {self.group(_get(node, 'graph'))}"
        if not name.startswith("Builtin_"):
            raise CanonicalError(f"unexpected expression {name}")
        keyword = name[len("Builtin_"):]
        if keyword in ("CONCAT", "COALESCE"):
            return keyword + self.expression_list(_get(node, "arg"))
        unknown = set(node) - set(_ARGUMENT_KEYS) - {"_vars"}
        if unknown:
            raise CanonicalError(f"unexpected part {sorted(unknown)[0]} of {keyword}")
        arguments = [self.expression(_get(node, key)) for key in _ARGUMENT_KEYS if key in node]
        return f"{keyword}({', '.join(arguments)})"

    def aggregate(self, node: CompValue) -> str:
        distinct = "DISTINCT " if _get(node, "distinct") else ""
        argument = _get(node, "vars")
        inner = "*" if argument == "*" else self.expression(argument)
        separator = _get(node, "separator")
        tail = f"; SEPARATOR={self.string(separator)}" if separator is not None else ""
        return f"{_AGGREGATES[node.name]}({distinct}{inner}{tail})"

    def constraint(self, node: Any) -> str:
        """FILTER's, HAVING's and ORDER BY's condition: a bracketed expression or a call."""
        if isinstance(node, CompValue) and node.name == "ConditionalOrExpression":
            return f"({self.expression(node)})"
        if isinstance(node, CompValue):
            return self.call(node)
        raise CanonicalError(f"unexpected condition {node!r}")

    # -- graph patterns

    def group(self, node: Any) -> str:
        if not isinstance(node, CompValue) or node.name not in _GROUPS + ("FakeGroupGraphPatten",):
            raise CanonicalError(f"unexpected group pattern {node!r}")
        if node.name == "SubSelect":
            return "{ " + self.select(node) + " }"
        parts = [self.pattern(part) for part in _items(_get(node, "part"))]
        return "{ " + " ".join(parts + ["}"]) if parts else "{ }"

    def pattern(self, node: CompValue) -> str:
        name = node.name
        if name == "TriplesBlock":
            return self.triples(_items(_get(node, "triples")), paths=True)
        if name == "GroupOrUnionGraphPattern":
            return " UNION ".join(self.group(graph) for graph in _items(_get(node, "graph")))
        if name in ("OptionalGraphPattern", "MinusGraphPattern"):
            return ("OPTIONAL " if name == "OptionalGraphPattern" else "MINUS ") + self.group(_get(node, "graph"))
        if name == "GraphGraphPattern":
            return f"GRAPH {self.term(_get(node, 'term'))} {self.group(_get(node, 'graph'))}"
        if name == "Filter":
            return "FILTER " + self.constraint(_get(node, "expr"))
        if name == "Bind":
            return f"BIND({self.expression(_get(node, 'expr'))} AS {self.term(_get(node, 'var'))})"
        if name == "InlineData":
            return "VALUES " + self.data_block(node)
        raise CanonicalError(f"{name} has no canonical text here (SERVICE and FROM are refused before)")

    def data_block(self, node: CompValue) -> str:
        variables = _items(_get(node, "var"))
        rows = _items(_get(node, "value"))

        def value(item: Any) -> str:
            return "UNDEF" if item == "UNDEF" else self.term(item)

        full = len(variables) != 1 or any(isinstance(row, (list, ParseResults)) for row in rows)
        if not full:
            return f"{self.term(variables[0])} {{ " + " ".join([value(v) for v in rows] + ["}"])
        header = "(" + " ".join(self.term(v) for v in variables) + ")"
        body = " ".join("(" + " ".join(value(v) for v in _items(row)) + ")" for row in rows)
        return f"{header} {{ {body} }}" if body else f"{header} {{ }}"

    # -- queries

    def modifiers(self, node: CompValue) -> list[str]:
        words = []
        group = _get(node, "groupby")
        if group is not None:
            words.append("GROUP BY " + " ".join(self.group_condition(c) for c in _items(_get(group, "condition"))))
        having = _get(node, "having")
        if having is not None:
            words.append("HAVING " + " ".join(self.constraint(c) for c in _items(_get(having, "condition"))))
        order = _get(node, "orderby")
        if order is not None:
            words.append("ORDER BY " + " ".join(self.order_condition(c) for c in _items(_get(order, "condition"))))
        limits = _get(node, "limitoffset")
        if limits is not None:
            for key, word in (("limit", "LIMIT"), ("offset", "OFFSET")):
                if key in limits:
                    words.append(f"{word} {self.count(_get(limits, key))}")
        values = _get(node, "valuesClause")
        if values is not None:
            words.append("VALUES " + self.data_block(values))
        return words

    def count(self, value: Any) -> str:
        text = str(value)
        if not text.isdigit():
            raise CanonicalError(f"LIMIT and OFFSET take a whole number, not {text!r}")
        return text

    def group_condition(self, node: Any) -> str:
        if isinstance(node, Variable):
            return self.term(node)
        if isinstance(node, CompValue) and node.name == "GroupAs":
            alias = f" AS {self.term(_get(node, 'var'))}" if _get(node, "var") is not None else ""
            return f"({self.expression(_get(node, 'expr'))}{alias})"
        return self.call(node)

    def order_condition(self, node: CompValue) -> str:
        expression = _get(node, "expr")
        if _get(node, "order"):
            return f"{_get(node, 'order')}({self.expression(expression)})"
        if isinstance(expression, Variable):
            return self.term(expression)
        return self.constraint(expression)

    def projection(self, node: CompValue) -> str:
        chosen = _items(_get(node, "projection"))
        if not chosen:
            return "*"
        written = []
        for item in chosen:
            if _get(item, "var") is not None:
                written.append(self.term(_get(item, "var")))
            else:
                written.append(f"({self.expression(_get(item, 'expr'))} AS {self.term(_get(item, 'evar'))})")
        return " ".join(written)

    def select(self, node: CompValue) -> str:
        modifier = f" {_get(node, 'modifier')}" if _get(node, "modifier") else ""
        words = [f"SELECT{modifier} {self.projection(node)}", "WHERE " + self.group(_get(node, "where"))]
        return " ".join(words + self.modifiers(node))

    def query(self, node: CompValue) -> str:
        if _get(node, "datasetClause") is not None:
            raise CanonicalError("FROM and FROM NAMED have no canonical text (they are refused before)")
        name = node.name
        if name == "SelectQuery":
            return self.select(node)
        where = _get(node, "where")
        if name == "AskQuery":
            head = ["ASK", "WHERE " + self.group(where)]
        elif name == "ConstructQuery":
            if where is None or where.name == "FakeGroupGraphPatten":
                inner = [_get(part, "triples") for part in _items(_get(where, "part"))] if where is not None else []
                body = self.triples([t for block in inner for t in _items(block)], paths=False)
                head = ["CONSTRUCT WHERE {", body, "}"] if body else ["CONSTRUCT WHERE { }"]
            else:
                template = self.triples(_items(_get(node, "template")), paths=False)
                head = [f"CONSTRUCT {{ {template} }}" if template else "CONSTRUCT { }", "WHERE " + self.group(where)]
        elif name == "DescribeQuery":
            targets = " ".join(self.term(item) for item in _items(_get(node, "var"))) or "*"
            head = [f"DESCRIBE {targets}"] + (["WHERE " + self.group(where)] if where is not None else [])
        else:
            raise CanonicalError(f"unexpected query form {name}")
        return " ".join(head + self.modifiers(node))


def canonical_text(parsed: Any, prefixes: Mapping[str, str]) -> str:
    """Write a parsed query (``rdflib.plugins.sparql.parser.parseQuery``'s result) as canonical text.

    Parameters
    ----------
    parsed : pyparsing.ParseResults
        The prologue and the query, as rdflib's parser returns them.
    prefixes : mapping of str to str
        Prefixes every query may use undeclared; the query's own ``PREFIX`` lines win.

    Returns
    -------
    str
        One line of SPARQL (see the module description for its form).

    Raises
    ------
    CanonicalError
        An undeclared prefix, a relative IRI without ``BASE``, or a construct that has no
        canonical text (``SERVICE``, ``FROM``: refused before this is called).

    Examples
    --------
    >>> from rdflib.plugins.sparql.parser import parseQuery
    >>> canonical_text(parseQuery("ASK { ?s a cm:Duty ; cm:x [] }"), {"cm": "urn:cm#"})
    'ASK WHERE { ?s <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <urn:cm#Duty> . ?s <urn:cm#x> _:b0 . }'
    """
    prologue, query = _prologue_and_query(parsed)
    return _Writer(_Names(prologue, prefixes)).query(query)


# ------------------------------------------------------------------------------ comparing


class _Normaliser:
    """Turns a parse tree into nested tuples that compare equal exactly when the queries do."""

    def __init__(self, names: _Names):
        self.names = names
        self.blanks: dict[str, int] = {}

    def __call__(self, node: Any) -> Any:
        if isinstance(node, CompValue):
            return self.node(node)
        if isinstance(node, (list, tuple, ParseResults)):
            return tuple(self(item) for item in node)
        if isinstance(node, Variable):
            return ("?", str(node))
        if isinstance(node, BNode):
            return ("_", self.blanks.setdefault(str(node), len(self.blanks)))
        if isinstance(node, Literal):
            return ("literal", str(node), node.language, None if node.datatype is None else str(node.datatype))
        if isinstance(node, URIRef):
            return ("<", self.names.absolute(node))
        if isinstance(node, str):
            return ("word", str(node))
        raise CanonicalError(f"unexpected part {node!r} of the query")

    def node(self, node: CompValue) -> Any:
        if node.name == "pname":
            return ("<", self.names.iri(node))
        if node.name == "literal":
            datatype = _get(node, "datatype")
            return ("literal", str(_get(node, "string")), _get(node, "lang"),
                    None if datatype is None else self.names.iri(datatype))
        if node.name == "TriplesBlock":
            return ("TriplesBlock", self.triples(_items(_get(node, "triples"))))
        if node.name == "ConstructQuery" and "template" in node:
            rest = {key: value for key, value in node.items() if key not in ("template", "_vars")}
            return ("ConstructQuery", self.triples(_items(node["template"])), self.fields(rest))
        return (node.name, self.fields(node))

    def fields(self, node: Mapping) -> tuple:
        return tuple((key, self(value)) for key, value in sorted(node.items()) if key != "_vars")

    def triples(self, lists: list) -> tuple:
        flat = [term for group in lists for term in group]
        return tuple((self(flat[i]), self.verb(flat[i + 1]), self(flat[i + 2])) for i in range(0, len(flat) - 2, 3))

    def verb(self, node: Any) -> Any:
        """A path of one IRI (``PathAlternative(PathSequence(PathElt(iri)))``) reads as the IRI."""
        single = node
        for name in ("PathAlternative", "PathSequence"):
            parts = _items(_get(single, "part")) if isinstance(single, CompValue) and single.name == name else None
            if parts is None or len(parts) != 1:
                return self(node)
            single = parts[0]
        if isinstance(single, CompValue) and single.name == "PathElt" and not _get(single, "mod") \
                and _is_iri(_get(single, "part")):
            return self(_get(single, "part"))
        return self(node)


def normal_form(parsed: Any, prefixes: Mapping[str, str]) -> tuple:
    """A comparable form of a parsed query: equal for two trees exactly when they mean the same.

    Prefixed names and relative IRIs are resolved, the prologue dropped, blank-node labels
    numbered in order of appearance, ``[ ]``, ``( )``, ``;`` and ``,`` flattened into triples,
    a number and the same ``"lexical"^^datatype`` made one, and a property path of one IRI
    read as the IRI. Everything else is kept as the parser built it.

    Raises
    ------
    CanonicalError
        As :func:`canonical_text`.

    Examples
    --------
    >>> from rdflib.plugins.sparql.parser import parseQuery
    >>> normal_form(parseQuery("PREFIX e: <urn:e:> ASK { ?s e:p 1 }"), {}) == \\
    ...     normal_form(parseQuery('ASK { ?s <urn:e:p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> }'), {})
    True
    """
    prologue, query = _prologue_and_query(parsed)
    return _Normaliser(_Names(prologue, prefixes))(query)
