"""Shared fixtures: the bundled examples, models written inline in a test, a loopback listener that
counts connections, and checksums of every file under a folder.

The examples' views are read once per test session and shared by every module: a test never
changes one (a test that needs a changed model writes its own, e.g. with ``view_of``).
"""

from __future__ import annotations

import hashlib
import os
import socket
import threading
from pathlib import Path

import pytest

from chainmodel.model import load_model
from chainmodel.validate import validate
from chainmodel.views import chain_view

from inline import PREFIXES, RULE

os.environ["CHAINMODEL_LANG"] = "en"  # answers in English whatever the machine's LANG (tests of the default set their own)


@pytest.fixture(scope="session")
def case_a_view():
    """The view of founding case A (the lost laptop), read once per test session."""
    return chain_view(load_model(["examples/case-a-laptop"]))


@pytest.fixture(scope="session")
def case_b_view():
    """The view of founding case B (the lost opt-out), read once per test session."""
    return chain_view(load_model(["examples/case-b-optout"]))


@pytest.fixture(scope="session")
def illustrative_view():
    """The view of the illustrative example (the USB stick), read once per test session."""
    return chain_view(load_model(["examples/illustrative-usb"]))


EXAMPLE_VIEWS = {
    "examples/case-a-laptop": "case_a_view",
    "examples/case-b-optout": "case_b_view",
    "examples/illustrative-usb": "illustrative_view",
}
"""The bundled examples, each with the session fixture that holds its view."""


@pytest.fixture
def example_view(request):
    """``example_view("examples/case-b-optout")``: the shared view of a bundled example, by its folder.

    For tests parametrized over the examples; each view is still read once per session.
    """

    def get(folder: str):
        return request.getfixturevalue(EXAMPLE_VIEWS[folder])

    return get


@pytest.fixture
def view_of(tmp_path: Path):
    """Write an inline Turtle model (``ex:``, ``cm:``, ``rdfs:``, ``xsd:`` declared) and return its view."""
    counter = iter(range(10_000))

    def make(body: str):
        path = tmp_path / f"model-{next(counter)}.ttl"
        path.write_text(PREFIXES + body, encoding="utf-8")
        return chain_view(load_model([path]))

    return make


@pytest.fixture
def findings_of(view_of):
    """Validate an inline model (without SHACL) and return ``{rule local name: [findings]}``."""

    def run(body: str, **options):
        found: dict[str, list] = {}
        for finding in validate(view_of(body), shacl=False, **options):
            found.setdefault(finding.rule[len(RULE):], []).append(finding)
        return found

    return run

class Listener:
    """A TCP server on 127.0.0.1 that counts every connection made to it (and answers nothing)."""

    def __init__(self) -> None:
        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.port = self.server.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.connections = 0
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
            connection.close()

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def checksums(*roots: Path) -> dict[str, str]:
    """SHA-256 of every file under each root (a file root counts as itself), by path."""
    found = {}
    for root in roots:
        paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in paths:
            found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found
