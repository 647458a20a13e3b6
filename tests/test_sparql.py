"""Tests for chainmodel.sparql: refusals, the forked runner, output formats, named queries."""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.query import Result

ROOT = Path(__file__).resolve().parent.parent

import rdflib.plugins.sparql
from rdflib.plugins.sparql.operators import register_custom_function, unregister_custom_function

from chainmodel.errors import ChainModelError, QueryRefused, QueryTimeout, UnknownReference
from chainmodel.loading import load_graph
from chainmodel.sparql import (
    MAX_NESTING,
    MAX_QUERY_LENGTH,
    NamedQuery,
    QueryResult,
    check_query,
    default_prefixes,
    format_result,
    load_named_query,
    named_queries,
    run_query,
)

CASE_A = ROOT / "examples" / "case-a-laptop" / "model.ttl"
CASE_B = ROOT / "examples" / "case-b-optout" / "model.ttl"
A = "https://example.org/chainmodel/case-a#"
B = "https://example.org/chainmodel/case-b#"
CM = "https://w3id.org/chainmodel#"
EX = "https://example.org/t#"
S = "https://example.org/s#"
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # a plain Namespace: pytest's doctest scan warns on DefinedNamespace


@pytest.fixture(scope="module")
def case_a() -> Graph:
    return load_graph([CASE_A])


@pytest.fixture(scope="module")
def case_b() -> Graph:
    return load_graph([CASE_B])


@pytest.fixture(scope="module")
def tiny() -> Graph:
    return Graph().parse(
        data=r"""
        @prefix ex: <https://example.org/t#> .
        ex:a ex:label "Alpha, \"quoted\"\nline"@en ; ex:count 10 ; ex:note "tab\there|pipe" .
        ex:b ex:count 2 ; ex:label "ベータ" ; ex:when "2025-04-25"^^<http://www.w3.org/2001/XMLSchema#date> .
        ex:c ex:count 2.5 .
        """,
        format="turtle",
    )


def named(graph: Graph, name: str) -> QueryResult:
    return run_query(graph, load_named_query(name).text)


def records(result: QueryResult) -> list[dict[str, str]]:
    """Rows as dictionaries of variable name to the term's text, unbound left out."""
    return [
        {name: str(term) for name, term in zip(result.variables, row) if term is not None}
        for row in result.rows
    ]


# ---------------------------------------------------------------------------- refusals

SERVICE_QUERIES = {
    "plain": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "silent": "SELECT * WHERE { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } }",
    "variable endpoint": "SELECT * WHERE { ?s ?p ?endpoint SERVICE ?endpoint { ?s ?p ?o } }",
    "in subquery": "SELECT ?s WHERE { { SELECT ?s WHERE { SERVICE <http://e.org/> { ?s ?p ?o } } } }",
    "in OPTIONAL": "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <http://e.org/> { ?s ?q ?z } } }",
    "in UNION": "SELECT * WHERE { { ?s ?p ?o } UNION { SERVICE <http://e.org/> { ?s ?p ?o } } }",
    "in MINUS": "SELECT * WHERE { ?s ?p ?o MINUS { SERVICE <http://e.org/> { ?s ?p ?o } } }",
    "in FILTER EXISTS": "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://e.org/> { ?s ?p ?o } } }",
    "in FILTER NOT EXISTS": "SELECT * WHERE { ?s ?p ?o FILTER NOT EXISTS { SERVICE <http://e.org/> { ?s ?p ?o } } }",
    "in BIND EXISTS": "SELECT * WHERE { BIND(EXISTS { SERVICE <http://e.org/> { ?s ?p ?o } } AS ?x) }",
    "in HAVING": (
        "SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s "
        "HAVING (EXISTS { SERVICE <http://e.org/> { ?s ?p ?o } })"
    ),
    "deeply nested": (
        "SELECT * WHERE { { SELECT * WHERE { OPTIONAL { { ?a ?b ?c } UNION "
        "{ MINUS { FILTER NOT EXISTS { SERVICE <http://e.org/> { ?s ?p ?o } } } } } } } }"
    ),
    "odd case and spacing": "select * {\n\tsErViCe\n\n   <http://e.org/>{?s ?p ?o}}",
    "unicode escape": "SELECT * WHERE { \\u0053ERVICE <http://e.org/> { ?s ?p ?o } }",
    "after comments": "# SELECT * { ?s ?p ?o }\n# nothing to see\nSELECT * {\n# }\nSERVICE <http://e.org/> {?s ?p ?o}}",
    "in ASK": "ASK { SERVICE <http://e.org/> { ?s ?p ?o } }",
    "in CONSTRUCT": "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://e.org/> { ?s ?p ?o } }",
    "in DESCRIBE": "DESCRIBE ?s WHERE { SERVICE <http://e.org/> { ?s ?p ?o } }",
}


@pytest.mark.parametrize("text", SERVICE_QUERIES.values(), ids=SERVICE_QUERIES.keys())
def test_service_is_refused_wherever_it_is(text):
    with pytest.raises(QueryRefused) as caught:
        check_query(text)
    message = str(caught.value)
    assert "SERVICE" in message
    assert "Remove the SERVICE clause" in message
    assert caught.value.exit_code == 2


def test_service_refusal_names_the_endpoint():
    with pytest.raises(QueryRefused, match=r"SERVICE <http://example.org/sparql>"):
        check_query(SERVICE_QUERIES["plain"])


DATASET_QUERIES = {
    "FROM": ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "FROM <file:///etc/passwd>"),
    "FROM NAMED": ("SELECT * FROM NAMED <http://e.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }", "FROM NAMED <http://e.org/g>"),
    "FROM in ASK": ("ASK FROM <http://e.org/g> { ?s ?p ?o }", "FROM <http://e.org/g>"),
    "FROM in CONSTRUCT": ("CONSTRUCT { ?s ?p ?o } FROM <http://e.org/g> WHERE { ?s ?p ?o }", "FROM <http://e.org/g>"),
    "FROM in DESCRIBE": ("DESCRIBE ?s FROM NAMED <http://e.org/g> WHERE { ?s ?p ?o }", "FROM NAMED <http://e.org/g>"),
    "FROM after comments": ("# FROM nowhere\nSELECT *\n# WHERE\nfrom\n<http://e.org/g> { ?s ?p ?o }", "FROM <http://e.org/g>"),
}


@pytest.mark.parametrize("text, shown", DATASET_QUERIES.values(), ids=DATASET_QUERIES.keys())
def test_from_and_from_named_are_refused(text, shown):
    with pytest.raises(QueryRefused) as caught:
        check_query(text)
    message = str(caught.value)
    assert shown in message
    assert "Remove the FROM clause" in message


UPDATES = {
    "INSERT DATA": "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE DATA": "DELETE DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE": "DELETE WHERE { ?s ?p ?o }",
    "INSERT ... WHERE": "INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
    "DELETE ... INSERT ... WHERE": "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
    "DELETE ... WHERE": "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "LOAD": "LOAD <file:///etc/passwd>",
    "CLEAR": "CLEAR DEFAULT",
    "DROP": "DROP ALL",
    "CREATE": "CREATE GRAPH <urn:g>",
    "ADD": "ADD DEFAULT TO <urn:g>",
    "MOVE": "MOVE <urn:a> TO <urn:b>",
    "COPY": "COPY <urn:a> TO DEFAULT",
}


@pytest.mark.parametrize("operation, text", UPDATES.items(), ids=UPDATES.keys())
def test_every_update_form_is_refused(operation, text):
    with pytest.raises(QueryRefused) as caught:
        check_query(text)
    message = str(caught.value)
    assert f"SPARQL Update ({operation})" in message
    assert "read-only" in message and "edit the model files" in message


@pytest.mark.parametrize(
    "text, shown",
    [
        ("LOAD SILENT <http://e.org/x.ttl> INTO GRAPH <urn:g>", "LOAD"),
        ("PREFIX ex: <urn:ex#>\nLOAD <file:///etc/shadow>", "LOAD"),
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> } ;\nDROP ALL", "INSERT DATA, DROP"),
    ],
)
def test_load_and_update_sequences_are_refused(text, shown):
    with pytest.raises(QueryRefused, match=rf"SPARQL Update \({shown}\)"):
        check_query(text)


def test_an_update_hidden_after_comments_is_refused():
    text = (
        "# SELECT * WHERE { ?s ?p ?o }\n"
        "#   a harmless-looking query\n"
        "PREFIX cm: <https://w3id.org/chainmodel#>   # more comment\n"
        "\n"
        "\t  dRoP   SILENT\n"
        "  GRAPH <urn:g>  # SELECT\n"
    )
    with pytest.raises(QueryRefused, match=r"SPARQL Update \(DROP\)"):
        check_query(text)


def test_an_update_with_a_syntax_error_is_still_called_an_update():
    with pytest.raises(QueryRefused, match=r"reads as SPARQL Update"):
        check_query("INSERT DATA { <urn:a> <urn:b> }")


def test_a_query_followed_by_an_update_is_refused():
    with pytest.raises(QueryRefused, match=r"syntax error at line 1"):
        check_query("SELECT * WHERE { ?s ?p ?o } ; DROP ALL")


def test_syntax_errors_name_line_and_column():
    with pytest.raises(QueryRefused) as caught:
        check_query("SELECT *\nWHERE {\n  ?s ?p ?o .\n  FILTER(?o = )\n}")
    message = str(caught.value)
    assert "SPARQL syntax error at line 4, column" in message
    assert "Correct the query" in message


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n", "PREFIX ex: <urn:ex#>"])
def test_text_without_a_query_is_refused(text):
    with pytest.raises(QueryRefused, match="holds no query"):
        check_query(text)


def test_an_unknown_prefix_is_refused_with_advice():
    with pytest.raises(QueryRefused, match=r"the prefix foo: is not declared; declare it with PREFIX"):
        check_query("SELECT * WHERE { ?s foo:bar ?o }")


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE " + "{" * 400 + "?s ?p ?o" + "}" * 400,
        "SELECT * WHERE { FILTER(" + "(" * 400 + "1" + ")" * 400 + ") }",
        "SELECT * WHERE { BIND(" + "STR(" * 50 + "1" + ")" * 50 + " AS ?x) }",
        "SELECT * WHERE { ?s ?p " + "[ ?p " * 100 + "1" + " ]" * 100 + " }",
        "SELECT * WHERE " + "{ SELECT * WHERE " * 60 + "{ ?s ?p ?o }" + " }" * 60,
        "SELECT * WHERE " + "\\u007B" * 400 + "?s ?p ?o" + "\\u007D" * 400,
    ],
    ids=["groups", "parentheses", "function calls", "blank-node lists", "subqueries", "escaped braces"],
)
def test_deep_nesting_is_refused_not_a_recursion_error(text):
    with pytest.raises(QueryRefused, match=r"nests brackets \d+ levels deep .*at most 16"):
        check_query(text)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE {" + " UNION ".join(["{ ?s ?p ?o }"] * 1000) + "}",
        "SELECT * WHERE {" + "?s ?p ?o OPTIONAL { ?s ?p ?o } " * 1000 + "}",
        "SELECT * WHERE {" + "?s ?p ?o MINUS { ?s ?p ?o } " * 300 + "}",
    ],
    ids=["UNION chain", "OPTIONAL chain", "MINUS chain"],
)
def test_long_chains_are_refused_not_a_recursion_error(text):
    with pytest.raises(QueryRefused, match="nested too deeply"):
        check_query(text)


def test_nesting_up_to_the_limit_is_accepted():
    text = "SELECT * WHERE " + "{" * MAX_NESTING + "?s ?p ?o" + "}" * MAX_NESTING
    assert check_query(text) == "SELECT"
    with pytest.raises(QueryRefused, match=rf"level {MAX_NESTING + 1} at line 1, column 32"):
        check_query("SELECT * WHERE " + "{" * (MAX_NESTING + 1) + "?s ?p ?o" + "}" * (MAX_NESTING + 1))


def test_an_overlong_query_is_refused():
    text = "SELECT * WHERE { ?s ?p ?o }" + " " * MAX_QUERY_LENGTH
    with pytest.raises(QueryRefused, match="characters long"):
        check_query(text)


@pytest.mark.parametrize(
    "text, form",
    [
        ('SELECT * WHERE { ?s ?p "SERVICE <http://e.org/> { }" }', "SELECT"),
        ("SELECT * WHERE { ?s ?p ?o } # SERVICE <http://e.org/> { } DROP ALL", "SELECT"),
        ("SELECT * WHERE { ?s <http://e.org/FROM> ?o }", "SELECT"),
        ("SELECT * WHERE { ?s ?p '''LOAD <file:///etc/passwd>''' }", "SELECT"),
        ('SELECT * WHERE { ?s ?p "' + "{" * 200 + '" }', "SELECT"),
        ("SELECT ?c WHERE { ?c a cm:Consignment ; cm:consignor/rdfs:label ?l }", "SELECT"),
        ("ASK { ?s ?p ?o }", "ASK"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <urn:a>", "DESCRIBE"),
    ],
)
def test_harmless_text_that_mentions_forbidden_words_is_accepted(text, form):
    assert check_query(text) == form


SEPARATORS = st.lists(
    st.sampled_from([" ", "\t", "\n", "\r\n", "# SELECT { }\n", "#}\n", "  # SERVICE\n"]),
    min_size=1,
    max_size=4,
).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(SEPARATORS, min_size=6, max_size=6), st.sampled_from(["SERVICE", "service", "Service"]))
def test_service_is_refused_whatever_the_spacing_and_comments(gaps, keyword):
    text = f"SELECT{gaps[0]}*{gaps[1]}WHERE{gaps[2]}{{{gaps[3]}{keyword}{gaps[4]}<http://e.org/>{gaps[5]}{{ ?s ?p ?o }} }}"
    with pytest.raises(QueryRefused, match="SERVICE <http://e.org/>"):
        check_query(text)


SPARQLISH = st.lists(
    st.sampled_from(
        ["SELECT", "*", "WHERE", "{", "}", "(", ")", "[", "]", "?s", "?p", "<urn:a>", '"x"', "'y'", "#",
         "\n", " ", "SERVICE", "FROM", "NAMED", "OPTIONAL", "UNION", "FILTER", "EXISTS", "INSERT", "DATA",
         "LOAD", "DROP", "ALL", ";", ".", "1", "a", "cm:Duty", "PREFIX", "x:", "\\u0053", "\"\"\"", "ASK"]
    ),
    max_size=40,
).map(" ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SPARQLISH)
def test_check_query_answers_a_form_or_refuses_never_anything_else(text):
    try:
        assert check_query(text) in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
    except QueryRefused:
        pass


# ---------------------------------------------------------------------------- running


def test_run_query_refuses_before_running(tiny):
    with pytest.raises(QueryRefused):
        run_query(tiny, SERVICE_QUERIES["plain"])
    with pytest.raises(QueryRefused):
        run_query(tiny, "DROP ALL")


def test_a_cartesian_product_is_stopped_at_the_timeout():
    graph = Graph()
    for i in range(300):
        graph.add((URIRef(f"urn:s{i}"), URIRef("urn:p"), Literal(i)))
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    started = time.monotonic()
    with pytest.raises(QueryTimeout) as caught:
        run_query(graph, query, timeout=2)
    elapsed = time.monotonic() - started
    assert 1.9 <= elapsed < 8
    assert caught.value.exit_code == 3
    assert "time limit of 2 s" in str(caught.value)
    assert not [p for p in multiprocessing.active_children() if p.name == "chainmodel-query"]


def test_the_graph_is_left_as_it_was(case_b):
    before = len(case_b)
    run_query(case_b, "CONSTRUCT { ?s <urn:new> ?o } WHERE { ?s ?p ?o }")
    assert len(case_b) == before


def test_select_rows_are_sorted_by_value_without_order_by():
    graph = Graph()
    for value in (10, 2, 33, 1):
        graph.add((URIRef(f"urn:n{value}"), URIRef("urn:v"), Literal(value)))
    result = run_query(graph, "SELECT ?v ?s WHERE { ?s <urn:v> ?v }")
    assert [int(row[0]) for row in result.rows] == [1, 2, 10, 33]
    assert result.variables == ("v", "s")


def test_limit_truncates_the_sorted_rows():
    graph = Graph()
    for value in (10, 2, 33, 1, 7):
        graph.add((URIRef(f"urn:n{value}"), URIRef("urn:v"), Literal(value)))
    query = "SELECT ?v WHERE { ?s <urn:v> ?v }"
    cut = run_query(graph, query, limit=2)
    assert [int(row[0]) for row in cut.rows] == [1, 2]
    assert cut.truncated is True
    whole = run_query(graph, query, limit=5)
    assert len(whole.rows) == 5 and whole.truncated is False
    none = run_query(graph, query, limit=0)
    assert none.rows == [] and none.truncated is True
    unlimited = run_query(graph, query)
    assert len(unlimited.rows) == 5 and unlimited.truncated is False


def test_limit_keeps_the_engine_order_with_order_by():
    graph = Graph()
    for value in (10, 2, 33, 1, 7):
        graph.add((URIRef(f"urn:n{value}"), URIRef("urn:v"), Literal(value)))
    result = run_query(graph, "SELECT ?v WHERE { ?s <urn:v> ?v } ORDER BY DESC(?v)", limit=3)
    assert [int(row[0]) for row in result.rows] == [33, 10, 7]
    assert result.truncated is True


def test_ties_under_order_by_are_broken_by_the_projected_variables():
    graph = Graph()
    for name in ("d", "b", "a", "c"):
        graph.add((URIRef(f"urn:{name}"), URIRef("urn:group"), Literal(1)))
    result = run_query(graph, "SELECT ?s ?g WHERE { ?s <urn:group> ?g } ORDER BY ?g")
    assert [str(row[0]) for row in result.rows] == ["urn:a", "urn:b", "urn:c", "urn:d"]


def test_limit_truncates_construct_triples(tiny):
    result = run_query(tiny, f"CONSTRUCT {{ ?s <urn:seen> ?c }} WHERE {{ ?s <{EX}count> ?c }}", limit=2)
    assert result.form == "CONSTRUCT"
    assert [str(t[0]) for t in result.triples] == [EX + "a", EX + "b"]
    assert result.truncated is True


def test_select_star_lists_variables_in_the_order_they_appear(tiny):
    result = run_query(tiny, f"SELECT * WHERE {{ ?thing <{EX}count> ?amount OPTIONAL {{ ?thing <{EX}label> ?label }} }}")
    assert result.variables == ("thing", "amount", "label")


def test_ask_and_describe(case_b):
    assert run_query(case_b, f"ASK {{ <{B}nttdata> ?p ?o }}").boolean is True
    assert run_query(case_b, "ASK { <urn:nobody> ?p ?o }").boolean is False
    described = run_query(case_b, f"DESCRIBE <{B}c-ldi-nttdata-for-jmimo>")
    assert described.form == "DESCRIBE"
    assert (URIRef(B + "c-ldi-nttdata-for-jmimo"), URIRef(CM + "extends"), URIRef(B + "c-jmimo-ldi")) in described.triples


def test_default_prefixes_need_no_declaration(case_b):
    result = run_query(case_b, "SELECT ?c WHERE { ?c cm:extends/cm:extends ?root }")
    assert records(result) == [{"c": B + "c-ldi-nttdata-for-jmimo"}]
    assert default_prefixes()["cm"] == CM


def test_blank_nodes_of_the_model_get_stable_labels(case_a):
    first = run_query(case_a, "SELECT ?count ?n WHERE { ?asset cm:countFor ?count . ?count cm:count ?n }")
    second = run_query(load_graph([CASE_A]), "SELECT ?count ?n WHERE { ?asset cm:countFor ?count . ?count cm:count ?n }")
    assert first.rows == second.rows
    assert all(isinstance(row[0], BNode) and str(row[0]).startswith("b") for row in first.rows)


def test_output_is_byte_identical_across_processes_and_hash_seeds():
    script = (
        "import sys\n"
        "from chainmodel.loading import load_graph\n"
        "from chainmodel.sparql import run_query, format_result, named_queries, default_prefixes\n"
        "out = []\n"
        "for path in sys.argv[1:]:\n"
        "    graph = load_graph([path])\n"
        "    for query in named_queries().values():\n"
        "        out.append(format_result(run_query(graph, query.text), 'tsv'))\n"
        "    out.append(format_result(run_query(graph, 'SELECT * { ?s ?p ?o OPTIONAL { ?o ?q ?z } }'), 'tsv'))\n"
        "    result = run_query(graph, 'CONSTRUCT { ?s <urn:x> [ <urn:y> ?o ; <urn:z> [ <urn:w> ?p ] ] } "
        "WHERE { ?s ?p ?o }')\n"
        "    out.append(format_result(result, 'ntriples'))\n"
        "    out.append(format_result(result, 'turtle', default_prefixes()))\n"
        "sys.stdout.write(''.join(out))\n"
    )
    outputs = set()
    for seed in ("1", "2", "3"):
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(ROOT))
        done = subprocess.run(
            [sys.executable, "-c", script, str(CASE_A), str(CASE_B)],
            capture_output=True, env=env, cwd=ROOT, check=True, timeout=120,
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1
    output = outputs.pop().decode("utf-8")
    assert "_:q1 <urn:y>" in output and "c-ldi-nttdata-for-jmimo" in output


def test_the_child_cannot_reach_the_network_but_the_parent_can(tiny):
    probe = URIRef("urn:chainmodel-test:resolve")

    def resolve(*args):
        socket.getaddrinfo("localhost", 80)
        return Literal("reached")

    register_custom_function(probe, resolve, raw=True)
    try:
        with pytest.raises(QueryRefused, match=r"tried to reach the network .*socket\.getaddrinfo"):
            run_query(tiny, f"SELECT ?x WHERE {{ BIND(<{probe}>() AS ?x) }}")
    finally:
        unregister_custom_function(probe, resolve)
    # the hook lives only in the child: this process still resolves names
    assert socket.getaddrinfo("localhost", 80)


def test_the_child_blocks_even_when_the_error_is_swallowed(tiny):
    probe = URIRef("urn:chainmodel-test:connect")

    def connect(*args):
        try:
            with socket.socket() as sock:
                sock.connect(("127.0.0.1", 9))
        except Exception:
            pass
        return Literal("done")

    register_custom_function(probe, connect, raw=True)
    try:
        with pytest.raises(QueryRefused, match=r"socket\.__new__"):
            run_query(tiny, f"SELECT ?x WHERE {{ BIND(<{probe}>() AS ?x) }}")
    finally:
        unregister_custom_function(probe, connect)


def test_the_child_turns_graph_loading_off_without_touching_the_parent(tiny):
    probe = URIRef("urn:chainmodel-test:load-graphs")

    def setting(*args):
        return Literal(str(rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS))

    before = rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS
    register_custom_function(probe, setting, raw=True)
    try:
        result = run_query(tiny, f"SELECT ?x WHERE {{ BIND(<{probe}>() AS ?x) }}")
    finally:
        unregister_custom_function(probe, setting)
    assert result.rows == [(Literal("False"),)]
    assert rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS == before


def test_an_evaluation_error_becomes_a_chainmodel_error(tiny):
    probe = URIRef("urn:chainmodel-test:fail")

    def fail(*args):
        raise ValueError("broken on purpose")

    register_custom_function(probe, fail, raw=True)
    try:
        with pytest.raises(ChainModelError, match="failed while it ran: ValueError: broken on purpose"):
            run_query(tiny, f"SELECT ?x WHERE {{ BIND(<{probe}>() AS ?x) }}")
    finally:
        unregister_custom_function(probe, fail)


@pytest.mark.parametrize("kwargs", [{"timeout": 0}, {"timeout": -1}, {"limit": -1}, {"limit": 1.5}])
def test_bad_timeout_or_limit_is_an_error(tiny, kwargs):
    with pytest.raises(ChainModelError):
        run_query(tiny, "ASK { ?s ?p ?o }", **kwargs)


# ---------------------------------------------------------------------------- formats

TINY_SELECT = f"""PREFIX ex: <{EX}>
SELECT ?s ?count ?label ?note WHERE {{
  ?s ex:count ?count OPTIONAL {{ ?s ex:label ?label }} OPTIONAL {{ ?s ex:note ?note }}
}}"""


def test_table_format(tiny):
    result = run_query(tiny, TINY_SELECT)
    assert format_result(result, "table", {"ex": EX}) == (
        '| s    | count | label                        | note              |\n'
        '| ---- | ----- | ---------------------------- | ----------------- |\n'
        '| ex:a | 10    | "Alpha, \\"quoted\\"\\nline"@en | "tab\\there\\|pipe" |\n'
        '| ex:b | 2     | "ベータ"                     |                   |\n'
        '| ex:c | 2.5   |                              |                   |\n'
    )


def test_table_format_without_prefixes_and_truncated(tiny):
    result = run_query(tiny, f"SELECT ?s ?w WHERE {{ ?s <{EX}when> ?w }}", limit=5)
    assert format_result(result, "table") == (
        "| s                         | w                                                     |\n"
        "| ------------------------- | ----------------------------------------------------- |\n"
        '| <https://example.org/t#b> | "2025-04-25"^^<http://www.w3.org/2001/XMLSchema#date> |\n'
    )
    cut = run_query(tiny, f"SELECT ?s WHERE {{ ?s <{EX}count> ?c }}", limit=1)
    assert format_result(cut, "table", {"ex": EX}) == (
        "| s    |\n| ---- |\n| ex:a |\n(truncated after 1 rows)\n"
    )


def test_json_format(tiny):
    result = run_query(tiny, TINY_SELECT)
    text = format_result(result, "json")
    assert json.loads(text) == {
        "head": {"vars": ["s", "count", "label", "note"]},
        "results": {
            "bindings": [
                {
                    "s": {"type": "uri", "value": EX + "a"},
                    "count": {"type": "literal", "value": "10", "datatype": str(XSD.integer)},
                    "label": {"type": "literal", "value": 'Alpha, "quoted"\nline', "xml:lang": "en"},
                    "note": {"type": "literal", "value": "tab\there|pipe"},
                },
                {
                    "s": {"type": "uri", "value": EX + "b"},
                    "count": {"type": "literal", "value": "2", "datatype": str(XSD.integer)},
                    "label": {"type": "literal", "value": "ベータ"},
                },
                {
                    "s": {"type": "uri", "value": EX + "c"},
                    "count": {"type": "literal", "value": "2.5", "datatype": str(XSD.decimal)},
                },
            ]
        },
    }
    assert text.startswith('{\n  "head": {\n    "vars": [\n      "s",\n')
    assert text.endswith("}\n")


def test_csv_format(tiny):
    result = run_query(tiny, TINY_SELECT)
    assert format_result(result, "csv") == (
        "s,count,label,note\r\n"
        'https://example.org/t#a,10,"Alpha, ""quoted""\nline",tab\there|pipe\r\n'
        "https://example.org/t#b,2,ベータ,\r\n"
        "https://example.org/t#c,2.5,,\r\n"
    )


def test_tsv_format(tiny):
    result = run_query(tiny, TINY_SELECT)
    assert format_result(result, "tsv") == (
        "?s\t?count\t?label\t?note\n"
        '<https://example.org/t#a>\t"10"^^<http://www.w3.org/2001/XMLSchema#integer>\t'
        '"Alpha, \\"quoted\\"\\nline"@en\t"tab\\there|pipe"\n'
        '<https://example.org/t#b>\t"2"^^<http://www.w3.org/2001/XMLSchema#integer>\t"ベータ"\t\n'
        '<https://example.org/t#c>\t"2.5"^^<http://www.w3.org/2001/XMLSchema#decimal>\t\t\n'
    )


def test_blank_nodes_and_odd_terms_in_each_format():
    result = QueryResult(
        "SELECT",
        ("node", "text"),
        [(BNode("b1"), Literal("a,b", datatype=XSD.string)), (URIRef("urn:x"), Literal("\x1b[31mred\u202e"))],
    )
    assert format_result(result, "csv") == 'node,text\r\n_:b1,"a,b"\r\nurn:x,\x1b[31mred\u202e\r\n'
    assert format_result(result, "tsv") == '?node\t?text\n_:b1\t"a,b"\n<urn:x>\t"\\u001B[31mred\\u202E"\n'
    assert json.loads(format_result(result, "json"))["results"]["bindings"][0] == {
        "node": {"type": "bnode", "value": "b1"},
        "text": {"type": "literal", "value": "a,b"},
    }
    assert format_result(result, "table") == (
        "| node    | text                  |\n"
        "| ------- | --------------------- |\n"
        '| _:b1    | "a,b"                 |\n'
        '| <urn:x> | "\\u001B[31mred\\u202E" |\n'
    )


TINY_CONSTRUCT = f"""PREFIX ex: <{EX}>
CONSTRUCT {{ ?s ex:seen ?c ; ex:box [ ex:when ?w ] }} WHERE {{ ?s ex:count ?c OPTIONAL {{ ?s ex:when ?w }} }}"""


def test_ntriples_format(tiny):
    result = run_query(tiny, TINY_CONSTRUCT)
    assert format_result(result, "ntriples") == (
        '_:q1 <https://example.org/t#when> "2025-04-25"^^<http://www.w3.org/2001/XMLSchema#date> .\n'
        "<https://example.org/t#a> <https://example.org/t#box> _:q2 .\n"
        '<https://example.org/t#a> <https://example.org/t#seen> "10"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
        "<https://example.org/t#b> <https://example.org/t#box> _:q1 .\n"
        '<https://example.org/t#b> <https://example.org/t#seen> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
        "<https://example.org/t#c> <https://example.org/t#box> _:q3 .\n"
        '<https://example.org/t#c> <https://example.org/t#seen> "2.5"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
    )


def test_turtle_format(tiny):
    result = run_query(tiny, TINY_CONSTRUCT)
    assert format_result(result, "turtle", {"ex": EX, "xsd": str(XSD)}) == (
        "@prefix ex: <https://example.org/t#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "\n"
        "ex:a ex:box [ ] ;\n"
        "    ex:seen 10 .\n"
        "\n"
        'ex:b ex:box [ ex:when "2025-04-25"^^xsd:date ] ;\n'
        "    ex:seen 2 .\n"
        "\n"
        "ex:c ex:box [ ] ;\n"
        "    ex:seen 2.5 .\n"
    )


def test_graph_table_format(tiny):
    result = run_query(tiny, TINY_CONSTRUCT)
    assert format_result(result, "table", {"ex": EX, "xsd": str(XSD)}) == (
        "| subject | predicate | object                 |\n"
        "| ------- | --------- | ---------------------- |\n"
        '| _:q1    | ex:when   | "2025-04-25"^^xsd:date |\n'
        "| ex:a    | ex:box    | _:q2                   |\n"
        "| ex:a    | ex:seen   | 10                     |\n"
        "| ex:b    | ex:box    | _:q1                   |\n"
        "| ex:b    | ex:seen   | 2                      |\n"
        "| ex:c    | ex:box    | _:q3                   |\n"
        "| ex:c    | ex:seen   | 2.5                    |\n"
    )


def test_ask_formats(tiny):
    result = run_query(tiny, "ASK { ?s ?p 10 }")
    assert format_result(result, "table") == "true\n"
    assert format_result(result, "json") == '{\n  "head": {},\n  "boolean": true\n}\n'
    assert format_result(QueryResult("ASK", boolean=False), "table") == "false\n"


@pytest.mark.parametrize(
    "form, fmt",
    [("SELECT", "turtle"), ("SELECT", "ntriples"), ("ASK", "csv"), ("ASK", "tsv"), ("CONSTRUCT", "json"),
     ("DESCRIBE", "csv"), ("SELECT", "xml")],
)
def test_formats_that_do_not_fit_the_form_are_refused(form, fmt):
    with pytest.raises(ChainModelError, match="choose one of"):
        format_result(QueryResult(form, boolean=True if form == "ASK" else None), fmt)


TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    | st.sampled_from(["\t", "\n", "\r", '"', "\\", ",", "'", "#"]),
    max_size=30,
)


@settings(max_examples=80, deadline=None)
@given(TEXT, TEXT, st.sampled_from(["en", "ja", "en-GB"]))
def test_tsv_and_json_read_back_with_rdflib(plain, tagged, language):
    row = (URIRef("urn:x"), Literal(plain), Literal(tagged, lang=language), Literal("7", datatype=XSD.integer), None)
    result = QueryResult("SELECT", ("a", "b", "c", "d", "e"), [row])
    for fmt in ("tsv", "json"):
        parsed = Result.parse(io.StringIO(format_result(result, fmt)), format=fmt)
        assert [str(v) for v in parsed.vars] == ["a", "b", "c", "d", "e"]
        assert [tuple(r) for r in parsed] == [row]


@settings(max_examples=80, deadline=None)
@given(TEXT, TEXT)
def test_csv_reads_back_as_the_lexical_forms(first, second):
    result = QueryResult("SELECT", ("a", "b", "c"), [(Literal(first), URIRef("urn:y"), Literal(second, lang="ja"))])
    text = format_result(result, "csv")
    assert list(csv.reader(io.StringIO(text, newline=""))) == [["a", "b", "c"], [first, "urn:y", second]]


ANY_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",))
    | st.sampled_from(["\x1b", "\x07", "\x85", "\x9b", "\u2028", "\u202e", "\u2066", "\t", "\n", "\r", '"', "\\"]),
    max_size=30,
)


def raw_unsafe(text: str) -> list[str]:
    return [c for c in text if c not in "\n\t" and (ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or c in "\u2028\u2029\u202e\u2066")]


@settings(max_examples=80, deadline=None)
@given(ANY_TEXT)
def test_no_format_but_csv_lets_control_characters_through(value):
    term = Literal(value, lang="en")
    select = QueryResult("SELECT", ("v",), [(term,)])
    for fmt in ("table", "json", "tsv"):
        assert raw_unsafe(format_result(select, fmt)) == []
    assert json.loads(format_result(select, "json"))["results"]["bindings"][0]["v"]["value"] == value
    graph = QueryResult("CONSTRUCT", triples=[(URIRef("urn:a"), URIRef("urn:b"), term)])
    for fmt in ("turtle", "ntriples", "table"):
        assert raw_unsafe(format_result(graph, fmt)) == []
    for fmt in ("turtle", "ntriples"):
        parsed = Graph().parse(data=format_result(graph, fmt), format="turtle" if fmt == "turtle" else "nt")
        assert list(parsed) == [(URIRef("urn:a"), URIRef("urn:b"), term)]


# ---------------------------------------------------------------------------- named queries

NAMES = ["chains-per-duty", "deep-tiers", "sensitive-data-per-party", "shared-consignees", "unapproved-reconsignments"]


def test_named_queries_ship_with_titles_in_english_and_japanese():
    queries = named_queries()
    assert list(queries) == NAMES
    for name, query in queries.items():
        assert isinstance(query, NamedQuery) and query.name == name
        assert query.title and query.description and query.title_ja
        assert any(ord(char) > 0x3000 for char in query.title_ja)
        assert query.text.startswith("# title: ")
        assert check_query(query.text) == "SELECT"
    assert named_queries() is not queries  # built fresh, no registry to mutate


def test_load_named_query_accepts_the_file_name_and_lists_names_when_unknown():
    assert load_named_query("deep-tiers.rq").name == "deep-tiers"
    with pytest.raises(UnknownReference) as caught:
        load_named_query("deep-tier")
    assert "unknown named query 'deep-tier'" in str(caught.value)
    assert ", ".join(NAMES) in str(caught.value)


def test_deep_tiers_on_case_b(case_b):
    result = named(case_b, "deep-tiers")
    assert records(result) == [
        {
            "party": B + "nttdata",
            "organisation": B + "nttdata",
            "tier": "3",
            "consignment": B + "c-ldi-nttdata-for-jmimo",
            "consignor": B + "consignee-ldi",
            "principal": B + "hospital",
        }
    ]


def test_deep_tiers_on_case_a_is_empty(case_a):
    assert named(case_a, "deep-tiers").rows == []


def test_unapproved_reconsignments_on_case_b(case_b):
    result = named(case_b, "unapproved-reconsignments")
    assert [(row["consignment"], row["approval"]) for row in records(result)] == [
        (B + "c-jmimo-ldi", CM + "ApprovalNotRecorded"),
        (B + "c-ldi-nttdata", CM + "ApprovalNotRecorded"),
        (B + "c-ldi-nttdata-for-jmimo", CM + "ApprovalNotRecorded"),
    ]
    assert records(result)[0]["extends"] == B + "c-hospital-jmimo"


def test_unapproved_reconsignments_skips_approved_ones():
    graph = load_graph([CASE_B])
    graph.set((URIRef(B + "c-ldi-nttdata"), URIRef(CM + "approval"), URIRef(CM + "Approved")))
    consignments = [row["consignment"] for row in records(named(graph, "unapproved-reconsignments"))]
    assert consignments == [B + "c-jmimo-ldi", B + "c-ldi-nttdata-for-jmimo"]


def test_unapproved_reconsignments_on_case_a_is_empty(case_a):
    assert named(case_a, "unapproved-reconsignments").rows == []


def test_sensitive_data_per_party_on_case_a(case_a):
    rows = records(named(case_a, "sensitive-data-per-party"))
    foundation = [(row["asset"], row["how"], row["via"]) for row in rows if row["party"] == A + "foundation"]
    assert foundation == [
        (A + "applicant-records", "consignee of a consignment entrusting it", A + "c-resonac-foundation"),
        (A + "applicant-records", "holds a device with a copy", A + "backup-applicants"),
        (A + "checkup-results", "consignee of a consignment entrusting it", A + "c-resonac-foundation"),
        (A + "checkup-results", "receives a data provision", A + "h-results"),
    ]
    assert {row["party"] for row in rows} == {A + "foundation", A + "medical-institutions"}
    # the e-mail addresses have no sensitive category, so their copy is not listed
    assert all(row["asset"] != A + "kenshin-navi-addresses" for row in rows)


def test_sensitive_data_per_party_on_case_b(case_b):
    rows = records(named(case_b, "sensitive-data-per-party"))
    assert {(row["organisation"], row["party"]) for row in rows} == {
        (B + "jmimo", B + "consignee-jmimo"),
        (B + "jmimo", B + "producer-jmimo"),
        (B + "ldi", B + "consignee-ldi"),
        (B + "nttdata", B + "nttdata"),
    }
    assert all(row["asset"] == B + "medical-information" for row in rows)  # anonymised data is not sensitive


def test_chains_per_duty_on_case_b(case_b):
    rows = [row for row in records(named(case_b, "chains-per-duty")) if row["duty"] == B + "duty-optout"]
    assert [(row["consignment"], row["tier"], row["consignor"], row["consignee"], row.get("extends")) for row in rows] == [
        (B + "c-hospital-jmimo", "1", B + "hospital", B + "consignee-jmimo", None),
        (B + "c-hospital-ldi", "1", B + "hospital", B + "consignee-ldi", None),
        (B + "c-jmimo-ldi", "2", B + "consignee-jmimo", B + "consignee-ldi", B + "c-hospital-jmimo"),
        (B + "c-ldi-nttdata", "2", B + "consignee-ldi", B + "nttdata", B + "c-hospital-ldi"),
        (B + "c-ldi-nttdata-for-jmimo", "3", B + "consignee-ldi", B + "nttdata", B + "c-jmimo-ldi"),
    ]
    assert all(row["accountable"] == B + "hospital" for row in rows)


def test_chains_per_duty_lists_a_duty_nobody_is_entrusted_with(case_a):
    rows = records(named(case_a, "chains-per-duty"))
    assert {"duty": A + "duty-supervision", "accountable": A + "resonac"} in rows
    assert len(rows) == 4  # administration and safe management (Foundation), checkups (institutions), supervision


def test_shared_consignees_on_case_b(case_b):
    assert records(named(case_b, "shared-consignees")) == [
        {"consignee": B + "jmimo", "principals": "1", "reachedBy": "1"},
        {"consignee": B + "ldi", "principals": "1", "reachedBy": "1"},
        {"consignee": B + "nttdata", "principals": "0", "reachedBy": "1"},
    ]


SHARED = f"""
@prefix cm: <{CM}> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix s: <{S}> .
s:c1 a cm:Consignment ; cm:consignor s:p1 ; cm:consignee s:cloud-capacity .
s:c2 a cm:Consignment ; cm:consignor s:p2 ; cm:consignee s:cloud .
s:c3 a cm:Consignment ; cm:consignor s:p1 ; cm:consignee s:bpo .
s:c4 a cm:Consignment ; cm:consignor s:bpo ; cm:consignee s:cloud ; cm:extends s:c3 .
s:cloud-capacity cm:capacityOf s:cloud .
s:p3 cm:consignsTo s:cloud .
s:p4 cm:consignsTo s:agent .
s:sub prov:actedOnBehalfOf s:agent .
s:sub cm:consignsTo s:leaf .
"""


def test_shared_consignees_ranks_by_distinct_principals():
    graph = Graph().parse(data=SHARED, format="turtle")
    assert records(run_query(graph, load_named_query("shared-consignees").text)) == [
        {"consignee": S + "cloud", "principals": "3", "reachedBy": "3"},
        {"consignee": S + "agent", "principals": "1", "reachedBy": "1"},
        {"consignee": S + "bpo", "principals": "1", "reachedBy": "1"},
        {"consignee": S + "leaf", "principals": "0", "reachedBy": "1"},
        {"consignee": S + "sub", "principals": "0", "reachedBy": "1"},
    ]


SHORTCUTS = f"""
@prefix cm: <{CM}> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix s: <{S}> .
s:p cm:consignsTo s:a . s:a cm:consignsTo s:b . s:b cm:consignsTo s:c . s:c cm:consignsTo s:d .
s:q cm:consignsTo s:b .
s:c1 a cm:Consignment ; cm:consignor s:p2 ; cm:consignee s:x .
s:x cm:consignsTo s:y . s:z prov:actedOnBehalfOf s:y .
"""


def test_deep_tiers_follows_shortcuts():
    graph = Graph().parse(data=SHORTCUTS, format="turtle")
    rows = records(run_query(graph, load_named_query("deep-tiers").text))
    assert [(row["party"], row["tier"], row["consignor"], row["principal"]) for row in rows] == [
        (S + "d", "4", S + "c", S + "p"),  # p > a > b > c > d
        (S + "d", "3", S + "c", S + "q"),  # q > b > c > d
        (S + "z", "3", S + "y", S + "p2"),  # p2 (consignment c1) > x > y > z
    ]
    assert all("consignment" not in row for row in rows)


def test_unapproved_reconsignments_lists_shortcut_reconsignments():
    graph = Graph().parse(data=SHORTCUTS, format="turtle")
    rows = records(run_query(graph, load_named_query("unapproved-reconsignments").text))
    assert [(row["consignor"], row["consignee"]) for row in rows] == [
        (S + "a", S + "b"), (S + "b", S + "c"), (S + "c", S + "d"), (S + "x", S + "y"), (S + "y", S + "z"),
    ]


def test_named_queries_print_in_every_select_format(case_b):
    prefixes = {"b": B, **default_prefixes()}
    for name in NAMES:
        result = named(case_b, name)
        for fmt in ("table", "json", "csv", "tsv"):
            assert format_result(result, fmt, prefixes).endswith("\n")
    table = format_result(named(case_b, "deep-tiers"), "table", prefixes)
    assert "| b:nttdata | b:nttdata    | 3    | b:c-ldi-nttdata-for-jmimo | b:consignee-ldi | b:hospital |" in table
