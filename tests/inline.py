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


def damaged(base, seed: int, odd_values: list):
    """A copy of the rdflib Graph ``base`` damaged at random, the same for the same seed: up to 15
    statements removed, up to 15 added (a chainmodel class on a subject, or a chainmodel property
    with another subject or one of ``odd_values``)."""
    import random

    from rdflib import Graph
    from rdflib import namespace as ns

    from chainmodel.model import ontology_graph

    terms = sorted(s for s in ontology_graph().subjects() if str(s).startswith(CM) and len(str(s)) > len(CM))
    properties = [t for t in terms if str(t)[len(CM)].islower()]
    classes = [t for t in terms if str(t)[len(CM)].isupper()]
    rnd = random.Random(seed)
    graph = Graph()
    for triple in base:
        graph.add(triple)
    triples = sorted(graph, key=lambda t: tuple(map(str, t)))
    for triple in rnd.sample(triples, rnd.randint(0, 15)):
        graph.remove(triple)
    subjects = sorted(set(graph.subjects()), key=str)
    for _ in range(rnd.randint(0, 15)):
        subject = rnd.choice(subjects)
        if rnd.random() < 0.3:
            graph.add((subject, ns.RDF.type, rnd.choice(classes)))
        else:
            graph.add((subject, rnd.choice(properties), rnd.choice(subjects + odd_values)))
    return graph
