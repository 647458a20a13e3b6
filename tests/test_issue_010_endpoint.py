"""Issue 10: an endpoint is someone else's server (items 3, 7 and 10).

A stand-in endpoint on 127.0.0.1 answers in the ways the review found harmful: slowly, at
length, with JSON that is not SPARQL results, or with an IRI that would close its brackets
in the next query. Each test says what that endpoint sends.
"""

from __future__ import annotations

import http.server
import json
import threading
import time
import urllib.parse

import pytest
from click.testing import CliRunner
from rdflib import URIRef

from chainmodel.cli import cli
from chainmodel.endpoint import EndpointGraph
from chainmodel.errors import InputError, LimitExceeded

CM = "https://w3id.org/chainmodel#"


class Endpoint(http.server.ThreadingHTTPServer):
    """Answers every POST with ``self.answer(handler)``; keeps the queries it was sent."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.queries: list[str] = []
        self.answer = lambda handler: handler.json({"head": {"vars": []}, "results": {"bindings": []}})
        self.url = f"http://127.0.0.1:{self.server_address[1]}/query"
        threading.Thread(target=self.serve_forever, daemon=True).start()


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):  # quiet
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        self.server.queries.append(urllib.parse.parse_qs(body)["query"][0])
        self.server.answer(self)

    def json(self, data, raw: bytes | None = None):
        payload = raw if raw is not None else json.dumps(data).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


@pytest.fixture
def endpoint():
    server = Endpoint()
    yield server
    server.shutdown()
    server.server_close()


def bounded(call, seconds: float = 20.0):
    """Run ``call`` in a thread; the test fails (instead of hanging) if it does not return."""
    outcome = {}

    def target():
        try:
            outcome["value"] = call()
        except BaseException as error:  # handed to the test
            outcome["error"] = error

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def test_a_server_sending_a_byte_every_half_second_is_cut_off_at_the_deadline(endpoint):
    def trickle(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "application/sparql-results+json")
        handler.end_headers()
        try:
            for _ in range(200):
                handler.wfile.write(b" ")
                handler.wfile.flush()
                time.sleep(0.5)
        except OSError:
            pass

    endpoint.answer = trickle
    graph = EndpointGraph(endpoint.url, timeout=2.0)
    with pytest.raises(InputError, match="did not answer within 2 s"):
        bounded(lambda: graph.select("SELECT * { ?s ?p ?o }"))


def test_headers_sent_one_byte_at_a_time_are_cut_off_too(endpoint):
    def slow_headers(handler):
        try:
            for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" * 50:
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
                time.sleep(0.2)
        except OSError:
            pass

    endpoint.answer = slow_headers
    with pytest.raises(InputError, match="did not answer within 1 s"):
        bounded(lambda: EndpointGraph(endpoint.url, timeout=1.0).select("ASK {}"))


@pytest.mark.parametrize("declared", [True, False])
def test_an_answer_larger_than_the_cap_is_refused(endpoint, declared):
    rows = [{"s": {"type": "uri", "value": f"urn:x:{i}"}} for i in range(2_000)]
    payload = json.dumps({"head": {"vars": ["s"]}, "results": {"bindings": rows}}).encode()

    def big(handler):
        if declared:
            handler.json(None, payload)
            return
        handler.send_response(200)
        handler.end_headers()
        handler.wfile.write(payload)
        handler.close_connection = True

    endpoint.answer = big
    with pytest.raises(LimitExceeded, match="larger than 0 MiB"):
        bounded(lambda: EndpointGraph(endpoint.url, max_bytes=10_000).select("SELECT ?s { ?s ?p ?o }"))


@pytest.mark.parametrize("name, raw", [
    ("an empty object", b"{}"),
    ("a list", b"[1, 2, 3]"),
    ("deep JSON", b"[" * 100_000 + b"]" * 100_000),
    ("bindings that are not terms", json.dumps({"results": {"bindings": [{"s": "urn:x"}]}}).encode()),
    ("a term without a type", json.dumps({"results": {"bindings": [{"s": {"value": "urn:x"}}]}}).encode()),
    ("not JSON", b"<html>hello</html>"),
])
def test_an_answer_that_is_not_sparql_results_is_exit_2(endpoint, name, raw):
    endpoint.answer = lambda handler: handler.json(None, raw)
    result = bounded(lambda: CliRunner().invoke(cli, ["describe", "--endpoint", endpoint.url]))
    assert result.exit_code == 2, result.output
    assert f"chainmodel: error: {endpoint.url}: the endpoint" in result.output
    assert "Traceback" not in result.output


def test_an_iri_that_would_close_its_brackets_is_never_pasted_into_a_query(endpoint, listener):
    hostile = f"urn:x:a> ?p ?o }} SERVICE <{listener.url}> {{ ?s ?p ?o"
    endpoint.answer = lambda handler: handler.json(
        {"results": {"bindings": [{"s": {"type": "uri", "value": hostile}, "o": {"type": "uri", "value": "urn:x:b"}}]}})
    graph = EndpointGraph(endpoint.url, timeout=10.0)
    with pytest.raises(InputError, match="the endpoint sent an IRI that is not valid"):
        list(graph.subject_objects(URIRef(CM + "consignee")))
    with pytest.raises(InputError, match="holds a character IRIs may not hold"):
        list(graph.objects(URIRef(hostile), URIRef(CM + "consignee")))
    assert all("SERVICE" not in query for query in endpoint.queries)
    assert listener.connections == 0


def test_a_literal_is_written_with_plain_escapes_only(endpoint):
    from rdflib import Literal

    graph = EndpointGraph(endpoint.url, timeout=10.0)
    list(graph.subjects(URIRef(CM + "label"), Literal('a"\\u0022) # \n', lang="en")))
    assert endpoint.queries == ['SELECT ?s WHERE { ?s <https://w3id.org/chainmodel#label> "a\\"\\\\u0022) # \\n"@en }']
