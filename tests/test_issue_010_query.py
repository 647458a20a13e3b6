"""Issue 10: a query can no longer mean one thing to the check and another to the engine,
nor reach the network, nor run without bounds (items 1, 3, 5, 7, 8).

Each test holds its hostile input inline. A loopback listener counts every connection made
to it: the facts asserted are zero connections, exit codes and message words.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph

from chainmodel.cli import cli
from chainmodel.errors import LimitExceeded, QueryRefused, QueryTimeout
from chainmodel.loading import load_graph
from chainmodel.safety import _filter_program, run_bounded, seccomp_available
from chainmodel.snapshot import load_store, open_store
from chainmodel.sparql import canonical_query, check_query, run_query

ROOT = Path(__file__).resolve().parent.parent
CASE_B = ROOT / "examples" / "case-b-optout" / "model.ttl"
RDFS = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"


def ask(tmp_path: Path, text: str, *arguments: str):
    """Run ``chainmodel query ARGUMENTS --query FILE`` with ``text`` in FILE."""
    query = tmp_path / "query.rq"
    query.write_text(text, encoding="utf-8")
    return CliRunner().invoke(cli, ["query", *arguments, "--query", str(query)])


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("issue10") / "store"
    load_store([CASE_B], folder)
    return folder


def hostile(url: str) -> dict[str, str]:
    """The reported queries: each hides SERVICE from rdflib but not from Oxigraph."""
    return {
        "unicode-escaped quote": 'SELECT ?a WHERE { FILTER("a\\u0022) # " != "") SERVICE <%s> { ?a ?b ?c }\n}' % url,
        "carriage return ends a comment": "SELECT ?s WHERE { ?s ?p ?o # note\r SERVICE <%s> { ?x ?y ?z }\n}" % url,
        "LATERAL with ENCODE_FOR_URI": RDFS + (
            'SELECT ?l WHERE { ?s rdfs:label ?l # \r BIND(IRI(CONCAT("%s?", ENCODE_FOR_URI(?l))) AS ?e) '
            "LATERAL { SERVICE SILENT ?e { ?a ?b ?c } }\n}" % url),
    }


@pytest.mark.parametrize("name, code, words", [
    ("unicode-escaped quote", 0, "| a "),
    # the CLI reads a query file with universal newlines: the carriage return becomes a line
    # break, rdflib sees what Oxigraph would have seen, and refuses it
    ("carriage return ends a comment", 2, "SERVICE <http://127.0.0.1:"),
    ("LATERAL with ENCODE_FOR_URI", 2, "SPARQL syntax error"),
])
def test_a_hidden_service_makes_no_connection_from_the_store(store, listener, tmp_path, name, code, words):
    query = tmp_path / "q.rq"
    query.write_text(hostile(listener.url)[name], encoding="utf-8", newline="")
    result = CliRunner().invoke(cli, ["query", "--store", f"oxigraph:{store}", "--query", str(query)])
    assert (result.exit_code, listener.connections) == (code, 0), result.output
    assert words in result.output


@pytest.mark.parametrize("name", ["unicode-escaped quote", "carriage return ends a comment",
                                  "LATERAL with ENCODE_FOR_URI"])
def test_a_hidden_service_makes_no_connection_through_the_api(store, listener, name):
    text = hostile(listener.url)[name]
    in_store = run_query(open_store(f"oxigraph:{store}"), text)
    in_memory = run_query(load_graph([CASE_B]), text)
    assert listener.connections == 0
    assert in_store.rows == in_memory.rows  # both engines ran the same canonical text


def test_the_engine_is_given_the_text_rdflib_read():
    text = 'SELECT ?a WHERE { FILTER("a\\u0022) # " != "") SERVICE <http://127.0.0.1:9/x> { ?a ?b ?c }\n}'
    assert canonical_query(text) == 'SELECT ?a WHERE { FILTER ("a") }'


def test_a_string_that_cannot_be_written_back_alike_is_refused():
    # rdflib reads \\ then \u0075 as the characters \ and u; written back as "\\u0041", rdflib
    # would expand \u0041 before tokenising: the same tree cannot be had from any text
    with pytest.raises(QueryRefused, match="cannot be written back in a form that every engine reads alike"):
        check_query('SELECT * { ?s ?p "a\\\\\\u0075\\u0030041" }')


# -- the sandbox: a forced SERVICE in Oxigraph's native HTTP client ----------------------------


@pytest.mark.skipif(not seccomp_available(), reason="the seccomp filter exists on Linux x86_64 and aarch64")
def test_native_service_in_the_sandbox_makes_no_connection(listener):
    def forced():
        store = ox.Store()
        store.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:label"), ox.Literal("secret")))
        try:  # the engine called directly: nothing in chainmodel's check stands in the way
            list(store.query(f"SELECT * {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"))
        except OSError as error:
            return str(error)
        return "no error"

    assert "Permission denied" in run_bounded(forced, timeout=20.0)
    assert listener.connections == 0


@pytest.mark.skipif(not seccomp_available(), reason="the seccomp filter exists on Linux x86_64 and aarch64")
def test_the_sandbox_leaves_local_sockets_and_blocks_io_uring():
    import ctypes
    import socket

    def probe():
        left, right = socket.socketpair(socket.AF_UNIX)
        left.sendall(b"ok")
        local = right.recv(2).decode()
        libc = ctypes.CDLL(None, use_errno=True)
        params = ctypes.create_string_buffer(120)
        result = libc.syscall(425, 8, params)  # io_uring_setup(8, &params)
        return [local, result, ctypes.get_errno()]

    assert run_bounded(probe, timeout=20.0) == ["ok", -1, 13]  # EACCES


def test_the_filter_checks_the_architecture_and_refuses_x32():
    program = _filter_program("x86_64")
    assert program[0][3] == 4 and program[1][3] == 0xC000003E  # load arch, compare with AUDIT_ARCH_X86_64
    assert (0x45, 0, 1, 0x40000000) in program  # JSET on the x32 bit
    assert _filter_program("aarch64")[1][3] == 0xC00000B7
    assert (0x15, 0, 1, 0x40000000) not in _filter_program("aarch64")


# -- bounds: parsing counts toward --timeout, and a memory allowance ---------------------------


def test_parsing_counts_toward_the_timeout(tmp_path):
    values = ", ".join(f'"v{i}"' for i in range(10_800))
    query = tmp_path / "in-list.rq"
    query.write_text(f"SELECT * WHERE {{ ?s ?p ?o FILTER(?o IN ({values})) }}", encoding="utf-8")
    assert 90_000 < query.stat().st_size < 100_000
    result = CliRunner().invoke(cli, ["query", str(CASE_B), "--query", str(query), "--timeout", "1"])
    assert result.exit_code == 3, result.output
    assert "time limit of 1 s" in result.output


DOUBLING = ("SELECT (STRLEN(?s30) AS ?n) WHERE { BIND(\"0123456789abcdef\" AS ?s0) "
            + " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(30)) + " }")


@pytest.mark.parametrize("backend", ["memory", "store"])
def test_a_string_doubled_thirty_times_stops_at_the_memory_allowance(store, tmp_path, backend):
    query = tmp_path / "doubling.rq"
    query.write_text(DOUBLING, encoding="utf-8")
    source = [str(CASE_B)] if backend == "memory" else ["--store", f"oxigraph:{store}"]
    result = CliRunner().invoke(cli, ["query", *source, "--query", str(query), "--memory", "256MiB",
                                      "--timeout", "60"])
    assert result.exit_code == 2, result.output
    assert "memory allowance of 256 MiB" in result.output


@pytest.mark.parametrize("value", ["inf", "nan", "-1", "0"])
def test_a_timeout_that_is_not_a_finite_positive_number_is_exit_2(value):
    result = CliRunner().invoke(cli, ["query", str(CASE_B), "--name", "deep-tiers", "--timeout", value])
    assert result.exit_code == 2
    assert "finite number of seconds above 0" in result.output


def test_the_api_refuses_an_infinite_timeout_before_forking():
    with pytest.raises(Exception, match="finite number of seconds above 0"):
        run_query(Graph(), "ASK {}", timeout=float("inf"))


# -- item 7: SERVICE with a prefixed name; RDF-star ---------------------------------------------


def test_service_with_a_prefixed_name_is_refused_by_name(tmp_path):
    with pytest.raises(QueryRefused, match=r"SERVICE e:x: chainmodel never sends a query"):
        check_query("PREFIX e: <http://example.org/> SELECT * WHERE { SERVICE e:x { ?s ?p ?o } }")
    result = ask(tmp_path, "SELECT * WHERE { SERVICE e:x { ?s ?p ?o } }", str(CASE_B))
    assert result.exit_code == 2 and "SERVICE e:x" in result.output


def test_rdf_star_in_a_query_is_refused_as_rdf_star():
    with pytest.raises(QueryRefused, match="RDF-star .* is not read by chainmodel"):
        check_query("SELECT * WHERE { << ?s ?p ?o >> ?q ?r }")


# -- items 5 and 8: the same rows every run; blank nodes from a store --------------------------


def test_in_memory_a_query_with_its_own_limit_is_ordered_before_the_limit():
    def settled(text: str, limit: int | None = None) -> str:
        return canonical_query(text, limit, engine="rdflib")

    assert settled("SELECT ?s WHERE { ?s ?p ?o } LIMIT 2").endswith("ORDER BY ?s LIMIT 2")
    inner = settled("SELECT ?n WHERE { { SELECT ?s WHERE { ?s ?p ?o } OFFSET 3 } BIND(1 AS ?n) }")
    assert "ORDER BY ?s OFFSET 3" in inner
    assert settled("SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?o LIMIT 1").endswith("ORDER BY ?o ?s LIMIT 1")
    assert settled("SELECT DISTINCT ?s WHERE { ?s ?p ?o }", limit=3).endswith("ORDER BY ?s")
    # in a store the query runs as written: Oxigraph's own order is the same every run
    assert canonical_query("SELECT ?s WHERE { ?s ?p ?o } LIMIT 2").endswith("WHERE { ?s ?p ?o . } LIMIT 2")


SAME_ROWS = (
    "import sys; from chainmodel.sparql import run_query, format_result\n"
    "if sys.argv[1] == 'store':\n"
    "    from chainmodel.snapshot import open_store; g = open_store('oxigraph:' + sys.argv[2])\n"
    "else:\n"
    "    from chainmodel.loading import load_graph; g = load_graph([sys.argv[2]])\n"
    "print(format_result(run_query(g, 'SELECT ?s ?o WHERE { ?s ?p ?o } LIMIT 5'), 'tsv'))\n"
    "print(format_result(run_query(g, 'SELECT ?n WHERE { { SELECT ?o WHERE { ?s ?p ?o } OFFSET 7 LIMIT 2 } "
    "BIND(STR(?o) AS ?n) }'), 'tsv'))\n"
    "print(format_result(run_query(g, 'SELECT ?s WHERE { ?s ?p ?o }', limit=3), 'tsv'))\n"
)


@pytest.mark.parametrize("backend", ["memory", "store"])
def test_limit_gives_the_same_rows_every_run_and_under_every_hash_seed(store, backend):
    source = str(store) if backend == "store" else str(CASE_B)
    outputs = set()
    for seed in ("0", "1", "12345"):
        done = subprocess.run([sys.executable, "-c", SAME_ROWS, backend, source], capture_output=True, cwd=ROOT,
                              check=True, env={**os.environ, "PYTHONHASHSEED": seed}, timeout=120)
        outputs.add(done.stdout)
    assert len(outputs) == 1
    assert outputs.pop().count(b"\n") == 5 + 1 + 2 + 1 + 3 + 1 + 3  # three results, each with its header


def test_cli_limit_stops_reading_at_the_cap(store, tmp_path):
    text = "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }"
    result = ask(tmp_path, text, "--store", f"oxigraph:{store}", "--limit", "3", "--format", "csv")
    memory = ask(tmp_path, text, str(CASE_B), "--limit", "3", "--format", "csv")
    assert result.exit_code == memory.exit_code == 0
    assert "cut at 3 rows" in result.stderr and "cut at 3 rows" in memory.stderr
    assert len(result.stdout.splitlines()) == len(memory.stdout.splitlines()) == 4
    # in memory the engine orders before the cap: the first three IRIs
    assert memory.stdout.splitlines()[1:] == ["https://example.org/chainmodel/case-b#anonymised-information",
                                              "https://example.org/chainmodel/case-b#appi",
                                              "https://example.org/chainmodel/case-b#basis-ngmi-jmimo"]  # the example gained its bases


def test_a_blank_node_in_a_store_result_is_answered(store, tmp_path):
    text = "SELECT ?count ?n WHERE { ?asset cm:countFor ?count . ?count cm:count ?n }"
    result = ask(tmp_path, text, "--store", f"oxigraph:{store}")
    assert result.exit_code == 0, result.output
    rows = run_query(open_store(f"oxigraph:{store}"), text).rows
    assert rows and all(isinstance(row[0], BNode) and str(row[0]).startswith("b") for row in rows)
