"""Canonical SPARQL text: the checked tree, written back, reads back as the same tree.

Three kinds of evidence: generated queries (hypothesis) over most of the SPARQL 1.1 query
grammar, with comments, escapes and odd spacing; every query of the test suite and every
shipped named query; and the answers of the corpus in memory (rdflib) and in a store
(Oxigraph), which run the same canonical text.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pyparsing import ParseBaseException
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery

from chainmodel.errors import ChainModelError, QueryTimeout
from chainmodel.loading import load_graph
from chainmodel.snapshot import load_store, open_store
from chainmodel.sparql import default_prefixes, named_queries, run_query
from chainmodel.sparqltext import CanonicalError, canonical_text, normal_form

ROOT = Path(__file__).resolve().parent.parent
PREFIXES = default_prefixes()
ESCAPED_U = re.compile(r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}")


def round_trip(text: str) -> str | None:
    """The canonical text of ``text``, checked to read back as the same tree; None when
    rdflib does not parse ``text`` (nothing to write back) or it has no canonical text."""
    try:
        tree = parseQuery(text)
    except (ParseBaseException, ValueError, TypeError, RecursionError):
        return None
    try:
        canonical = canonical_text(tree, PREFIXES)
    except CanonicalError:
        return None
    if ESCAPED_U.search(canonical):  # a backslash followed by u and hex: refused, never run
        return None
    again = parseQuery(canonical)
    assert normal_form(again, PREFIXES) == normal_form(tree, PREFIXES), canonical
    assert canonical_text(again, PREFIXES) == canonical  # a fixed point: one canonical form
    return canonical


def outside_strings_and_iris(canonical: str) -> str:
    return re.sub(r"<[^<>\s]*>", "", re.sub(r'"(?:[^"\\]|\\.)*"', "", canonical))


def corpus() -> list[str]:
    """Every query text in the SPARQL tests, and every shipped named query."""
    found = [named.text for named in named_queries().values()]
    source = (ROOT / "tests" / "test_sparql.py").read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and re.search(r"(?i)\b(select|ask|construct|describe)\b", node.value):
            found.append(node.value)
    return found


GRAMMAR = [  # the parts of the SPARQL 1.1 query grammar that pass the check, one or more each
    r"""PREFIX ex: <http://e/> SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ex:p/ex:q* [ ex:r (1 2) ] ; a ?t .
        FILTER(?s != ex:x && 1 + 2 * 3 > -1) OPTIONAL { ?s ?p "x"@en } VALUES (?a ?b) { (1 UNDEF) } }
        GROUP BY ?s HAVING (COUNT(*) > 1) ORDER BY DESC(?n) LIMIT 3""",
    "CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT WHERE { }", "CONSTRUCT {} WHERE {}", "DESCRIBE <http://x>",
    "ASK { }", "DESCRIBE *", "DESCRIBE ?a <urn:x> WHERE { ?a ?b ?c }",
    "SELECT * { ?s ^<urn:p>|!(<urn:a>|<urn:b>)|!<urn:c>|^(<urn:d>/<urn:e>)? ?o }",
    "SELECT * { ?s !() ?o . ?s (<urn:a>) ?o . ?s (<urn:a>)+ ?o . ?s <urn:a>* ?o }",
    r"""SELECT (<urn:f>(DISTINCT ?a, 1) AS ?x) (BNODE() AS ?b) (GROUP_CONCAT(DISTINCT ?a; SEPARATOR=",") AS ?g)
        (CONCAT() AS ?c) { FILTER regex(?a, "x", "i") FILTER(?a IN ()) FILTER(?a NOT IN (1,2)) }""",
    """SELECT DISTINCT ?a { { SELECT ?a { ?a ?b ?c } LIMIT 1 OFFSET 2 } } GROUP BY (?a AS ?z) ?a STR(?a)
        ORDER BY ASC(?a) ?b STR(?a)""",
    "DESCRIBE * WHERE { VALUES ?a { 1 UNDEF } VALUES () { () } VALUES (?a) { (1) () } }",
    "SELECT * { BIND(EXISTS { ?a ?b ?c } AS ?e) FILTER NOT EXISTS { ?a ?b ?c } GRAPH ?g { } "
    "MINUS { ?a ?b ?c } } VALUES ?a { 1 }",
    r"""SELECT * { ?s <urn:p> "a"^^<http://dt>, "b"@en-US, -1.5e3, +2, true, _:x, [], 1.5e3, 01,
        "01"^^<http://www.w3.org/2001/XMLSchema#integer>, .5, +.5e-2, -7 . ?s <urn:p> [ <urn:q> 1 ; <urn:r> 2 ] . }""",
    "CONSTRUCT { ?s <urn:p> [ <urn:q> ?o ] } WHERE { ?s ?p ?o }",
    "SELECT ?x WHERE { ?x ?p ?o FILTER((?o + 1) * 2 > -(3 - ?o) && !BOUND(?z) || ?o / 2 = +?o) }",
    r"""SELECT * { ?s ?p "tab\there \"q\" back\\slash \u00e9 é 😀" }""",
    "SELECT * { ?s ?p '''long\nstring''' }",
    "BASE <http://base/a/> PREFIX : <b#> SELECT * { <x> :y ?z }",
    r"PREFIX e: <urn:e:> SELECT * { ?s e:a\~b ?o . ?s e:%41 ?o }",
    r"""SELECT (SUBSTR(?a, 1, 2) AS ?b) (REPLACE(?a, "x", "y", "i") AS ?c) (IF(?a, 1, 2) AS ?d)
        (COALESCE(?a, 1) AS ?e) (STRLANG("a", "en") AS ?f) (sameTerm(?a, ?b) AS ?g) (NOW() AS ?h)
        (RAND() AS ?i) (xsd:integer("1") AS ?j) (<urn:f>() AS ?k) (YEAR(NOW()) AS ?l) (ENCODE_FOR_URI(?a) AS ?m) { }""",
    """SELECT (SUM(?a) AS ?s) (AVG(DISTINCT ?a) AS ?v) (MIN(?a) AS ?mi) (MAX(?a) AS ?ma) (SAMPLE(?a) AS ?sa)
        (COUNT(DISTINCT *) AS ?c) { ?x ?y ?a } GROUP BY ?x HAVING (SUM(?a) > 1) (COUNT(*) < 5)""",
    "SELECT * { ?a ?b ?c } ORDER BY ?a DESC(?b) LIMIT 10", "SELECT * { ?a ?b ?c } OFFSET 5 LIMIT 1",
    "SELECT * { { ?a ?b ?c } UNION { ?a ?b ?d } UNION { SELECT * { ?x ?y ?z } } }",
    "SELECT * { ?s ?p ( ) . ?s ?p ( ?a [] ( 1 ) ) . }",
    r"""ASK { ?s ?p ?o FILTER(LANGMATCHES(LANG(?o), "*")) FILTER isIRI(?s) FILTER(?o = "a"@en) }""",
    "SELECT * { ?s ?p ?o . FILTER(?o) . ?a ?b ?c . OPTIONAL { ?a ?b ?c } . ?d ?e ?f }",
    r"""SELECT ?s { ?s ?p ?o } VALUES (?s ?o) { (<urn:a> "x") (UNDEF 1) }""",
    'SELECT ?a WHERE { FILTER("a\\u0022) # " != "") SERVICE <http://127.0.0.1:9/x> { ?a ?b ?c }\n}',
    "SELECT * { ?s ?p ?o # comment\r SERVICE <urn:x> { }\n}",
]
CORPUS = GRAMMAR + corpus()


def test_the_corpus_is_large():
    assert len(CORPUS) > 150
    assert sum(round_trip(text) is not None for text in CORPUS) > 55


@pytest.mark.parametrize("text", CORPUS, ids=lambda text: text[:40])
def test_every_corpus_query_reads_back_as_the_same_tree(text):
    round_trip(text)


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    model = ROOT / "examples" / "case-b-optout" / "model.ttl"
    folder = tmp_path_factory.mktemp("engines") / "store"
    load_store([model], folder)
    return load_graph([model]), open_store(f"oxigraph:{folder}")


# Where the engines may differ by the standard itself or by the clock (which rows a LIMIT or
# OFFSET keeps without ORDER BY is each engine's own order), and GRAPH, which rdflib cannot
# evaluate on one graph (Oxigraph answers it from the default graph):
UNSETTLED = re.compile(r"(?i)\b(RAND|NOW|UUID|STRUUID|BNODE|SAMPLE|GROUP_CONCAT|AVG)\s*\(|\bSTR\s*\(\s*\?amount"
                       r"|\bGRAPH\b|\b(LIMIT|OFFSET)\b")


def runnable(text: str) -> bool:
    canonical = round_trip(text)
    if canonical is None or UNSETTLED.search(text):
        return False
    try:
        translateQuery(parseQuery(canonical))
    except Exception:
        return False
    return True


@pytest.mark.parametrize("text", [text for text in CORPUS if runnable(text)], ids=lambda text: text[:40])
def test_every_corpus_query_has_the_same_answer_in_memory_and_in_the_store(engines, text):
    memory, store = engines
    try:
        expected = run_query(memory, text, timeout=5.0)
    except QueryTimeout:
        return  # the cartesian queries of the timeout tests
    except ChainModelError as error:
        with pytest.raises(type(error)):
            run_query(store, text, timeout=5.0)
        return
    found = run_query(store, text, timeout=5.0)
    # the engines may repeat a row a different number of times (rdflib keeps the duplicates an
    # alternative path makes, Oxigraph does not): compare the distinct answers
    assert (found.form, found.variables, found.boolean) == (expected.form, expected.variables, expected.boolean)
    assert set(found.rows) == set(expected.rows)
    assert set(found.triples) == set(expected.triples)


# -- generated queries ----------------------------------------------------------------------

VARIABLES = st.sampled_from(["?a", "?b", "?c", "$d", "?long_name", "?é"])
IRIS = st.sampled_from(["<urn:x:a>", "<http://example.org/p>", "<https://w3id.org/chainmodel#Duty>",
                        "<urn:x:caf%C3%A9>", "<urn:x:ü>", "cm:consignee", "cm:Duty", "rdfs:label", "ex:a\\~b",
                        "ex:", "a", "<rel>"])
STRING_CHARACTERS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")


@st.composite
def strings(draw) -> str:
    """A string literal, written in one of the ways SPARQL allows (escapes, \\u, long, raw)."""
    value = draw(st.text(STRING_CHARACTERS, max_size=12))
    style = draw(st.sampled_from(["echar", "unicode", "long", "single"]))
    if style == "unicode":
        return '"' + "".join(f"\\u{ord(c):04X}" if ord(c) < 0x10000 and c not in "\r\n" else
                             ("\\n" if c == "\n" else "\\r" if c == "\r" else c) for c in value) + '"'
    escaped = value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
    if style == "long":
        return '"""' + escaped.replace('"', '\\"') + '"""'
    if style == "single":
        return "'" + escaped.replace("'", "\\'") + "'"
    return '"' + escaped.replace('"', '\\"') + '"'


NUMBERS = st.sampled_from(["1", "+2", "-3", "0.5", "-.5", "1e3", "-2.5E-1", "007", "true", "false"])


@st.composite
def literals(draw) -> str:
    text = draw(strings())
    tail = draw(st.sampled_from(["", "", "@en", "@ja-JP", "^^xsd:integer", "^^<urn:x:type>"]))
    return draw(st.sampled_from([text + tail, draw(NUMBERS)]))


TERMS = st.one_of(VARIABLES, IRIS, literals())
PATHS = st.sampled_from(["cm:consignee", "a", "^cm:consignor", "cm:extends/cm:extends", "cm:extends*",
                         "(cm:extends|cm:consignee)+", "!(cm:x|rdf:type)", "!rdfs:label", "(cm:a/^cm:b)?", "?p"])


@st.composite
def expressions(draw, depth: int = 0) -> str:
    if depth > 2 or draw(st.booleans()):
        return draw(st.one_of(VARIABLES, literals(), IRIS.filter(lambda iri: iri not in ("a", "<rel>"))))
    left, right = draw(expressions(depth + 1)), draw(expressions(depth + 1))
    form = draw(st.sampled_from([
        "({l} + {r})", "{l} * {r}", "{l} - -{r}", "!({l})", "{l} = {r}", "{l} != {r}", "{l} && {r}",
        "{l} || {r}", "{l} IN ({r}, 1)", "{l} NOT IN ()", "STR({l})", "CONCAT({l}, {r})", "COALESCE()",
        "REGEX({l}, {r}, \"i\")", "SUBSTR({l}, 1, 2)", "IF({l}, {r}, 3)", "BOUND(?a)", "isIRI({l})",
        "LANGMATCHES(LANG({l}), \"*\")", "xsd:integer({l})", "<urn:x:f>()", "EXISTS {{ ?a ?b {r} }}",
        "NOT EXISTS {{ ?a cm:x ?c }}", "ENCODE_FOR_URI({l})", "sameTerm({l}, {r})",
    ]))
    return form.format(l=left, r=right)


@st.composite
def triples(draw) -> str:
    subject = draw(st.one_of(VARIABLES, IRIS.filter(lambda iri: iri != "a"), st.just("[]"), st.just("_:x")))
    parts = [f"{draw(PATHS)} {draw(TERMS)}"]
    if draw(st.booleans()):
        parts.append(f"{draw(PATHS)} {draw(TERMS)}, {draw(TERMS)}")
    if draw(st.booleans()):
        parts.append(f"cm:p [ cm:q {draw(TERMS)} ; cm:r ( 1 {draw(TERMS)} ) ]")
    return f"{subject} " + " ; ".join(parts) + " ."


@st.composite
def groups(draw, depth: int = 0) -> str:
    parts = [draw(triples())]
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["triples", "filter", "bind", "values", "optional", "union", "minus", "graph",
                                     "sub", "comment"]))
        if kind == "triples":
            parts.append(draw(triples()))
        elif kind == "filter":
            parts.append(f"FILTER({draw(expressions())})")
        elif kind == "bind":
            parts.append(f"BIND({draw(expressions())} AS ?bound{len(parts)})")
        elif kind == "values":
            parts.append(draw(st.sampled_from(["VALUES ?a { 1 UNDEF cm:x }", "VALUES (?a ?b) { (1 2) (UNDEF \"x\") }",
                                               "VALUES () { () }"])))
        elif kind == "comment":
            parts.append("# " + draw(st.text(STRING_CHARACTERS.filter(lambda c: c not in "\n\r"), max_size=8))
                         + "\n")
        elif depth < 2:
            inner = draw(groups(depth + 1))
            parts.append({
                "optional": f"OPTIONAL {inner}", "union": f"{inner} UNION {draw(groups(depth + 1))}",
                "minus": f"MINUS {inner}", "graph": f"GRAPH ?g {inner}",
                "sub": "{ SELECT ?a (COUNT(*) AS ?n) WHERE " + inner + " GROUP BY ?a LIMIT 3 }",
            }[kind])
    return "{ " + draw(st.sampled_from([" ", "\n", "\t "])).join(parts) + " }"


@st.composite
def queries(draw) -> str:
    where = draw(groups())
    form = draw(st.sampled_from([
        "SELECT * WHERE {w}", "SELECT DISTINCT ?a ?b WHERE {w} ORDER BY DESC(?a) ?b LIMIT 5 OFFSET 1",
        "SELECT ?a (COUNT(DISTINCT ?b) AS ?n) (GROUP_CONCAT(?c; SEPARATOR=\", \") AS ?g) WHERE {w} GROUP BY ?a "
        "HAVING (COUNT(?b) > 0)",
        "SELECT (SUM(?a) AS ?s) WHERE {w}", "ASK {w}", "CONSTRUCT {{ ?a cm:p [ cm:q ?b ] }} WHERE {w}",
        "CONSTRUCT WHERE {{ ?a ?b ?c }}", "DESCRIBE ?a <urn:x:a> WHERE {w}", "DESCRIBE *",
        "SELECT ?a WHERE {w} VALUES ?a {{ 1 2 }}",
    ]))
    prologue = draw(st.sampled_from(["", "PREFIX ex: <http://example.org/ns#>\n",
                                     "BASE <http://example.org/base/> PREFIX ex: <x#>\n", "# a comment first\n"]))
    return prologue + form.format(w=where)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(queries())
def test_generated_queries_read_back_as_the_same_tree(text):
    canonical = round_trip(text)
    assume(canonical is not None)
    rest = outside_strings_and_iris(canonical)
    assert "#" not in rest  # no comment survives
    assert "PREFIX" not in rest and "BASE" not in rest and "\n" not in canonical and "\r" not in canonical


@settings(max_examples=200, deadline=None)
@given(strings())
def test_every_string_reads_back_as_the_same_value(text):
    canonical = round_trip(f"ASK {{ ?s ?p {text} }}")
    if canonical is not None:
        assert "\\u" not in canonical  # only ECHAR escapes
