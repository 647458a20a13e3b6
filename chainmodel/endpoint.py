"""A read-only SPARQL 1.1 endpoint as a model backend, with every request bounded.

:class:`EndpointGraph` offers the few calls the analyses make (``subject_objects``,
``objects``, ``subjects``, ``len``, ``in``) as SELECT queries against an endpoint (Oxigraph
server, Fuseki, GraphDB, ...). An endpoint is someone else's server, so each request is
bounded and each answer checked before anything is used:

* one deadline for the whole request (connecting, sending, the headers and the body): a
  server that sends a byte every few seconds is cut off when it passes
  (:class:`~chainmodel.errors.InputError`);
* a cap on the size of the answer (:data:`MAX_RESPONSE_BYTES` by default,
  :class:`~chainmodel.errors.LimitExceeded` past it);
* no redirect is followed (the answer is an error that names the status);
* the answer must be SPARQL 1.1 Query Results JSON: an object with a ``results.bindings``
  list of objects whose values are terms. ``{}``, a list, JSON nested too deeply, or a term
  without a type is an :class:`~chainmodel.errors.InputError` naming the endpoint;
* an IRI the endpoint sends back is checked before it is used, and any term written into
  the next query goes through :func:`chainmodel.sparqltext.sparql_term`: an IRI holding
  ``> } SERVICE <...`` is refused, not pasted in.

Examples
--------
>>> graph = EndpointGraph("http://127.0.0.1:9/sparql", timeout=5.0)
>>> graph.url
'http://127.0.0.1:9/sparql'
>>> EndpointGraph("file:///etc/passwd")
Traceback (most recent call last):
...
chainmodel.errors.InputError: file:///etc/passwd: an endpoint must be an http:// or https:// URL
"""

from __future__ import annotations

import http.client
import io
import json
import re
import socket
import time
import urllib.parse
from typing import Callable, Iterator

from rdflib import BNode, Literal, URIRef

from .errors import InputError, LimitExceeded
from .sparqltext import CanonicalError, sparql_term

__all__ = ["EndpointGraph", "MAX_RESPONSE_BYTES", "DEFAULT_ENDPOINT_TIMEOUT"]

MAX_RESPONSE_BYTES = 1024 ** 3
"""Largest answer read from an endpoint (1 GiB): a whole predicate of a large model fits."""

DEFAULT_ENDPOINT_TIMEOUT = 300.0
"""Seconds one request may take from connecting to the last byte."""

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_IRI = re.compile(r'[A-Za-z][A-Za-z0-9+.\-]*:[^<>"{}|^`\\\x00-\x20]*')
_LANGUAGE = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*")
_CHUNK = 1 << 16


class _DeadlineReader(io.RawIOBase):
    """Reads a socket, each read bounded by what is left of one deadline."""

    def __init__(self, sock: socket.socket, deadline: float):
        super().__init__()
        self.raw = sock.makefile("rb", buffering=0)  # holds the socket open until closed, as http.client expects
        self.sock = sock
        self.deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the deadline passed")
        self.sock.settimeout(left)
        return self.raw.readinto(buffer)

    def close(self) -> None:
        self.raw.close()
        super().close()


class _DeadlineSocket:
    """What ``http.client.HTTPResponse`` needs of a socket: ``makefile``, bounded by the deadline."""

    def __init__(self, sock: socket.socket, deadline: float):
        self.sock = sock
        self.deadline = deadline

    def makefile(self, mode: str, *args, **kwargs):
        return io.BufferedReader(_DeadlineReader(self.sock, self.deadline))


def _post(url: str, body: bytes, timeout: float, max_bytes: int) -> bytes:
    """POST ``body`` to ``url`` and return the answer's bytes, within one deadline and a size cap."""
    deadline = time.monotonic() + timeout
    parts = urllib.parse.urlsplit(url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = kind(parts.hostname, parts.port, timeout=timeout)
    connection.response_class = lambda sock, *args, **kwargs: http.client.HTTPResponse(
        _DeadlineSocket(sock, deadline), *args, **kwargs)
    path = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
    try:
        connection.request("POST", path, body=body, headers={
            "Accept": "application/sparql-results+json",
            "Content-Type": "application/x-www-form-urlencoded",
        })
        response = connection.getresponse()
        if response.status != 200:
            raise InputError(f"{url}: the endpoint answered HTTP {response.status} {response.reason}; check the URL "
                             "(chainmodel follows no redirect) and that the endpoint accepts SPARQL queries")
        declared = response.getheader("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise _too_large(url, max_bytes)
        received = bytearray()
        while True:
            chunk = response.read1(_CHUNK)
            if not chunk:
                return bytes(received)
            received += chunk
            if len(received) > max_bytes:
                raise _too_large(url, max_bytes)
    finally:
        connection.close()


def _too_large(url: str, max_bytes: int) -> LimitExceeded:
    return LimitExceeded(f"{url}: the endpoint's answer is larger than {max_bytes // (1024 * 1024):,} MiB, the "
                         "most chainmodel reads; query a smaller graph or load the model into a store")


def _from_json(value, url: str):
    """One term of SPARQL JSON results, checked; InputError when it is not a term."""
    if not isinstance(value, dict) or not isinstance(value.get("value"), str):
        raise InputError(f"{url}: the endpoint sent a value that is not an RDF term ({str(value)[:80]!r})")
    kind, text = value.get("type"), value["value"]
    if kind == "uri":
        if not _IRI.fullmatch(text):
            raise InputError(f"{url}: the endpoint sent an IRI that is not valid ({text[:80]!r}); chainmodel does "
                             "not use it")
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if kind not in ("literal", "typed-literal"):
        raise InputError(f"{url}: the endpoint sent a term of unknown type {str(kind)[:40]!r}")
    language, datatype = value.get("xml:lang"), value.get("datatype")
    if language is not None:
        if not isinstance(language, str) or not _LANGUAGE.fullmatch(language):
            raise InputError(f"{url}: the endpoint sent a literal with an invalid language tag {str(language)[:40]!r}")
        return Literal(text, lang=language)
    if datatype is not None and not (isinstance(datatype, str) and _IRI.fullmatch(datatype)):
        raise InputError(f"{url}: the endpoint sent a literal with an invalid datatype {str(datatype)[:80]!r}")
    if datatype and datatype not in (_XSD_STRING, _LANG_STRING):
        return Literal(text, datatype=URIRef(datatype))
    return Literal(text)


def _bindings(data: bytes, url: str) -> list[dict]:
    """The rows of a SPARQL JSON answer, every term checked."""
    try:
        payload = json.loads(data.decode("utf-8"))
    except RecursionError:
        raise InputError(f"{url}: the endpoint's answer is JSON nested too deeply to read") from None
    except (UnicodeDecodeError, ValueError) as error:
        raise InputError(f"{url}: the endpoint's answer is not JSON ({error})") from None
    results = payload.get("results") if isinstance(payload, dict) else None
    rows = results.get("bindings") if isinstance(results, dict) else None
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise InputError(f"{url}: the endpoint's answer is not SPARQL 1.1 JSON results (an object with a "
                         "results.bindings list); check that the URL is the endpoint's query URL")
    return [{name: _from_json(value, url) for name, value in row.items()} for row in rows]


class EndpointGraph:
    """The read-only calls the analyses need, over a SPARQL 1.1 endpoint.

    Each call is one SELECT; results come back as SPARQL JSON. Nothing is ever written.

    Parameters
    ----------
    url : str
        The endpoint's query URL (``http://`` or ``https://``).
    timeout : float, default 300.0
        Seconds each request may take, from connecting to the last byte.
    max_bytes : int, default 1 GiB
        Largest answer read.
    """

    bulk_reads = True
    """One request per look-up is slow: read a whole predicate at once instead."""

    def __init__(self, url: str, timeout: float = DEFAULT_ENDPOINT_TIMEOUT, max_bytes: int = MAX_RESPONSE_BYTES):
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise InputError(f"{url}: an endpoint must be an http:// or https:// URL")
        self.url = url
        self.location = url
        self.timeout = timeout
        self.max_bytes = max_bytes

    def select(self, query: str) -> list[dict]:
        """Run one SELECT; return its bindings as dicts of rdflib terms.

        Raises
        ------
        InputError
            The endpoint did not answer in time, answered with an error, or sent something
            that is not SPARQL JSON results.
        LimitExceeded
            The answer is larger than ``max_bytes``.
        """
        body = urllib.parse.urlencode({"query": query}).encode()
        try:
            data = _post(self.url, body, self.timeout, self.max_bytes)
        except TimeoutError:
            raise InputError(f"{self.url}: the endpoint did not answer within {self.timeout:g} s; check that it "
                             "is running and not overloaded") from None
        except (OSError, http.client.HTTPException) as error:
            raise InputError(f"{self.url}: the endpoint did not answer ({error}); check the URL and that it is "
                             "running") from None
        return _bindings(data, self.url)

    def _term(self, term) -> str:
        try:
            return sparql_term(term)
        except CanonicalError as error:
            raise InputError(f"{self.url}: {error}; chainmodel does not put it into a query") from None

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
        return terms_used_by_query(self.select, namespace)

    def __len__(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        try:
            return int(rows[0]["n"])
        except (IndexError, KeyError, ValueError):
            raise InputError(f"{self.url}: the endpoint did not answer a COUNT query with a number") from None

    def __iter__(self):
        return self.triples((None, None, None))


def terms_used_by_query(select: Callable, namespace: str) -> set[str]:
    """The terms a model uses, by three SELECT DISTINCT queries run by ``select``.

    ``select(text)`` returns rows that map ``"t"`` to a term (pyoxigraph or rdflib).
    """
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
