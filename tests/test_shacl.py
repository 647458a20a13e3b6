"""Tests for chainmodel.shacl: the shapes accept the examples and catch broken structure."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.namespace import SH

ROOT = Path(__file__).resolve().parent.parent

from chainmodel.findings import Finding
from chainmodel.loading import load_graph
from chainmodel.resources import ontology_path
from chainmodel.shacl import SHACL_RULE, _findings, _parsed, shacl_findings, _results_of

EXAMPLES = ROOT / "examples"
EXAMPLE_MODELS = sorted(EXAMPLES.glob("case-*/model.ttl"))
EX = "https://example.org/test#"

PREFIXES = """
@prefix cm:  <https://w3id.org/chainmodel#> .
@prefix ex:  <https://example.org/test#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

# Parties every broken model below may refer to.
PARTIES = """
ex:insurer a cm:Organisation .
ex:contractor a cm:Organisation .
ex:other a cm:Organisation .
ex:data a cm:DataAsset .
ex:duty a cm:Duty ; cm:accountable ex:insurer .
"""


def _model(turtle: str) -> Graph:
    return Graph().parse(data=PREFIXES + PARTIES + turtle, format="turtle")


def _errors(turtle: str) -> list[Finding]:
    return [f for f in shacl_findings(_model(turtle)) if f.is_error]


def _prefix(focus: str, path: str) -> str:
    return f"<{EX}{focus}> cm:{path}"


# ---------------------------------------------------------------- the examples


def test_examples_are_found():
    assert [p.parent.name for p in EXAMPLE_MODELS] == ["case-a-laptop", "case-b-optout"]


@pytest.mark.parametrize("path", EXAMPLE_MODELS, ids=lambda p: p.parent.name)
def test_example_has_no_error(path):
    findings = shacl_findings(load_graph([path]))
    assert [f for f in findings if f.is_error] == []


def test_valid_minimal_model_has_no_finding():
    assert shacl_findings(_model("ex:c a cm:Consignment ; cm:consignor ex:insurer ; cm:consignee ex:contractor .")) == []


# ---------------------------------------------------------------- broken models


def test_two_consignors():
    errors = _errors("ex:c a cm:Consignment ; cm:consignor ex:insurer , ex:other ; cm:consignee ex:contractor .")
    assert len(errors) == 1
    (finding,) = errors
    assert finding.rule == SHACL_RULE
    assert finding.focus == (EX + "c",)
    assert finding.message.startswith(_prefix("c", "consignor") + ": A consignment needs exactly one cm:consignor")


def test_missing_consignee():
    errors = _errors("ex:c a cm:Consignment ; cm:consignor ex:insurer .")
    assert [f.focus for f in errors] == [(EX + "c",)]
    assert errors[0].message.startswith(_prefix("c", "consignee") + ": A consignment needs exactly one cm:consignee")


def test_consignor_of_wrong_class_names_the_value():
    # ex:data is a data asset, not a party; the finding points at the consignment and the value.
    errors = _errors("ex:c a cm:Consignment ; cm:consignor ex:data ; cm:consignee ex:contractor .")
    assert [f.focus for f in errors] == [(EX + "c", EX + "data")]
    assert errors[0].message.startswith(f"{_prefix('c', 'consignor')} <{EX}data>: ")


def test_capacity_counts_as_agent_through_subclass():
    model = """
        ex:cap a cm:Capacity ; cm:capacityOf ex:contractor .
        ex:c a cm:Consignment ; cm:consignor ex:insurer ; cm:consignee ex:cap .
    """
    assert shacl_findings(_model(model)) == []


def test_capacity_without_capacity_of():
    errors = _errors("ex:cap a cm:Capacity .")
    assert [f.focus for f in errors] == [(EX + "cap",)]
    assert errors[0].message.startswith(_prefix("cap", "capacityOf") + ": A capacity needs exactly one cm:capacityOf")


def test_capacity_of_a_capacity_is_refused():
    errors = _errors("""
        ex:cap1 a cm:Capacity ; cm:capacityOf ex:contractor .
        ex:cap2 a cm:Capacity ; cm:capacityOf ex:cap1 .
    """)
    assert [f.focus for f in errors] == [(EX + "cap2", EX + "cap1")]


def test_data_copy_with_neither_place():
    errors = _errors("ex:copy a cm:DataCopy ; cm:copyOf ex:data .")
    assert [f.focus for f in errors] == [(EX + "copy",)]
    # A node-level constraint: no path, so the message starts right after the focus.
    assert errors[0].message.startswith(f"<{EX}copy>: A copy of data needs exactly one of cm:storedOn")


def test_data_copy_with_both_places():
    errors = _errors("""
        ex:laptop a cm:Device .
        ex:copy a cm:DataCopy ; cm:copyOf ex:data ; cm:storedOn ex:laptop ; cm:heldBy ex:contractor .
    """)
    assert [f.focus for f in errors] == [(EX + "copy",)]
    assert "exactly one of cm:storedOn" in errors[0].message


def test_subject_count_as_string():
    errors = _errors('ex:data cm:subjectCount "many" .')
    assert [f.focus for f in errors] == [(EX + "data",)]
    assert errors[0].message.startswith(_prefix("data", "subjectCount") + ' "many": A data asset has at most one')


def test_subject_count_negative_and_typed_counts():
    errors = _errors("ex:data cm:subjectCount -3 .")
    assert [f.focus for f in errors] == [(EX + "data",)]
    ok = _errors('ex:data cm:subjectCount "12"^^xsd:nonNegativeInteger .')
    assert ok == []


def test_count_for_node_without_principal_is_reported_on_the_asset():
    errors = _errors('ex:data cm:countFor [ a cm:SubjectCount ; cm:count 5 ] .')
    assert [f.focus for f in errors] == [(EX + "data",)]
    assert errors[0].message.startswith(f"<{EX}data> cm:countFor [] cm:principal: A subject count needs exactly one")


def test_hand_off_without_receiver():
    errors = _errors("ex:h a cm:DataProvision ; cm:sender ex:insurer ; cm:carries ex:data .")
    assert [f.focus for f in errors] == [(EX + "h",)]
    assert errors[0].message.startswith(_prefix("h", "receiver") + ": A hand-off needs exactly one cm:receiver")


def test_report_is_checked_as_hand_off():
    # cm:Report is a subclass of cm:HandOff: the hand-off shape applies to it.
    errors = _errors("ex:r a cm:Report ; cm:sender ex:insurer ; cm:serves ex:duty .")
    assert [f.focus for f in errors] == [(EX + "r",)]
    assert "cm:receiver" in errors[0].message


def test_event_dates():
    assert _errors('ex:e a cm:Event ; cm:date "2025-08"^^xsd:gYearMonth .') == []
    errors = _errors('ex:e a cm:Event ; cm:date "15 March 2025" .')
    assert [f.focus for f in errors] == [(EX + "e",)]
    assert errors[0].message.startswith(_prefix("e", "date") + ' "15 March 2025": An event has at most one cm:date')


def test_findings_are_sorted_and_stable():
    model = """
        ex:c a cm:Consignment .
        ex:cap a cm:Capacity .
        ex:h a cm:HandOff ; cm:sender ex:insurer .
    """
    first = shacl_findings(_model(model))
    assert first == shacl_findings(_model(model))
    assert [f.focus for f in first] == [(EX + "c",), (EX + "c",), (EX + "cap",), (EX + "h",)]
    assert first == sorted(first, key=lambda f: (f.focus, f.message))


# ---------------------------------------------------------------- mapping and side effects


def test_severity_mapping_and_fallback_message():
    report = Graph().parse(format="turtle", data=f"""
        @prefix sh: <{SH}> .
        @prefix cm: <https://w3id.org/chainmodel#> .
        [] a sh:ValidationReport ; sh:result
          [ a sh:ValidationResult ; sh:resultSeverity sh:Info ; sh:focusNode <{EX}a> ;
            sh:resultPath cm:count ; sh:sourceConstraintComponent sh:MaxCountConstraintComponent ;
            sh:resultMessage "nur auf Deutsch"@de ] ,
          [ a sh:ValidationResult ; sh:resultSeverity sh:Warning ; sh:focusNode <{EX}b> ;
            sh:value <{EX}v> ; sh:resultPath cm:sender ;
            sh:resultMessage "Fix the sender."@en , "送り手を直す。"@ja ] ,
          [ a sh:ValidationResult ; sh:resultSeverity sh:Violation ; sh:focusNode <{EX}c> ;
            sh:resultMessage "Broken."@en ] .
    """)
    findings = _findings(_results_of(report), Graph())
    assert [(f.severity, f.focus, f.message) for f in findings] == [
        ("error", (EX + "c",), f"<{EX}c>: Broken."),
        ("warning", (EX + "b", EX + "v"), f"<{EX}b> cm:sender <{EX}v>: Fix the sender."),
        ("info", (EX + "a",), f"<{EX}a> cm:count: the value of cm:count breaks a shape of ontologies/shapes.ttl "
                              "that gives no message."),
    ]


def test_input_graph_is_unchanged():
    graph = load_graph([EXAMPLE_MODELS[1]])
    graph += _model("ex:c a cm:Consignment ; cm:consignor ex:insurer , ex:other .")
    before = Graph()
    for triple in graph:
        before.add(triple)
    namespaces = sorted(graph.namespaces())
    assert shacl_findings(graph)
    assert len(graph) == len(before)
    assert isomorphic(graph, before)
    assert set(graph) == set(before)
    assert sorted(graph.namespaces()) == namespaces


def test_cached_graphs_are_not_modified():
    sizes = (len(_parsed("shapes.ttl")), len(_parsed("chainmodel.ttl")))
    shacl_findings(_model("ex:c a cm:Consignment ."))
    assert (len(_parsed("shapes.ttl")), len(_parsed("chainmodel.ttl"))) == sizes


def test_every_shape_has_english_and_japanese_message():
    shapes = Graph().parse(ontology_path("shapes.ttl"), format="turtle")
    named = set(shapes.subjects(SH.targetClass, None)) | {
        s for s in shapes.subjects(SH.path, None) if str(s).startswith("https://w3id.org/chainmodel/shapes#")
    }
    assert len(named) > 20
    for shape in named:
        languages = sorted(m.language for m in shapes.objects(shape, SH.message))
        assert languages == ["en", "ja"], shape
