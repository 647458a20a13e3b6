"""Shared fixtures: the founding cases, and models written inline in a test."""

from __future__ import annotations

from pathlib import Path

import pytest

from chainmodel.model import load_model
from chainmodel.validate import validate
from chainmodel.views import chain_view

from inline import PREFIXES, RULE


@pytest.fixture(scope="session")
def case_a_view():
    """The view of founding case A (the lost laptop), read once per test session."""
    return chain_view(load_model(["examples/case-a-laptop"]))


@pytest.fixture(scope="session")
def case_b_view():
    """The view of founding case B (the lost opt-out), read once per test session."""
    return chain_view(load_model(["examples/case-b-optout"]))


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
