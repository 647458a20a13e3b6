"""Helpers for tests that write their model inline (imported by the tests and by conftest.py)."""

from __future__ import annotations

PREFIXES = """
@prefix cm:   <https://w3id.org/chainmodel#> .
@prefix ex:   <https://example.org/t#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
"""
EX = "https://example.org/t#"
RULE = "https://w3id.org/chainmodel/rule#"
CM = "https://w3id.org/chainmodel#"
A = "https://example.org/chainmodel/case-a#"
B = "https://example.org/chainmodel/case-b#"


def ex(*names: str) -> tuple[str, ...]:
    """IRIs in the ``ex:`` namespace of inline test models."""
    return tuple(EX + name for name in names)


def foci(findings: dict, rule: str) -> list[tuple[str, ...]]:
    """The focus of every finding of one rule (by local name), sorted."""
    return sorted(f.focus for f in findings.get(rule, []))


def answer(output: str) -> dict:
    """A command's ``--format json`` output with every term put back in place (see chainmodel.jsondoc)."""
    import json

    from chainmodel.jsondoc import JSON_VERSION, expand

    document = json.loads(output)
    assert document["json_version"] == JSON_VERSION, document.get("json_version")
    return expand(document)


def hypothesis_with_view_of(max_examples: int):
    """Hypothesis settings for a property test that writes each drawn model with ``view_of``.

    The fixture is function-scoped but only ever adds files, so it is safe to share across
    the drawn examples; reading a model takes longer than hypothesis's default deadline.
    """
    from hypothesis import HealthCheck, settings

    return settings(max_examples=max_examples, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
