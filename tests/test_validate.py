"""Tests of chainmodel.validate: the founding cases and one small model per rule."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

from rdflib import URIRef  # noqa: E402

from chainmodel.errors import UnknownReference  # noqa: E402
from chainmodel.findings import SEVERITIES, Finding  # noqa: E402
from chainmodel.model import load_model, rules_graph  # noqa: E402
from chainmodel.namespace import CM  # noqa: E402
from chainmodel.validate import RULES, conforms, rule_info, validate  # noqa: E402
from chainmodel.views import chain_view  # noqa: E402

RULE = "https://w3id.org/chainmodel/rule#"
A = "https://example.org/chainmodel/case-a#"
B = "https://example.org/chainmodel/case-b#"
EX = "https://example.org/t#"
CASE_B = ROOT / "examples" / "case-b-optout"

HAVE_SHACL = importlib.util.find_spec("chainmodel.shacl") is not None
SHACL_MODES = [
    False,
    pytest.param(True, marks=pytest.mark.skipif(
        not HAVE_SHACL, reason="chainmodel/shacl.py is not there yet: SHACL findings are tested once it is")),
]

PREFIXES = """
@prefix cm:   <https://w3id.org/chainmodel#> .
@prefix ex:   <https://example.org/t#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
"""

# Three organisations and a plain chain: P consigns to A, A re-consigns to B with approval.
CHAIN = """
ex:p a cm:Organisation , cm:Principal ; rdfs:label "principal P"@en .
ex:a a cm:Organisation ; rdfs:label "consignee A"@en .
ex:b a cm:Organisation ; rdfs:label "re-consignee B"@en .
ex:d a cm:Duty ; rdfs:label "duty D"@en ; cm:accountable ex:p ; cm:performedBy ex:b .
ex:c1 a cm:Consignment ; rdfs:label "P to A"@en ; cm:consignor ex:p ; cm:consignee ex:a ; cm:entrusts ex:d .
ex:c2 a cm:Consignment ; rdfs:label "A to B"@en ; cm:consignor ex:a ; cm:consignee ex:b ; cm:extends ex:c1 ;
    cm:entrusts ex:d ; cm:approval cm:Approved ; cm:approvedBy ex:p .
"""


def view_of(tmp_path: Path, body: str):
    path = tmp_path / "model.ttl"
    path.write_text(PREFIXES + body, encoding="utf-8")
    return chain_view(load_model([path]))


def foci(findings: list[Finding], name: str) -> list[tuple[str, ...]]:
    return sorted(f.focus for f in findings if f.rule == RULE + name)


def check(tmp_path: Path, body: str, name: str) -> list[tuple[str, ...]]:
    return foci(validate(view_of(tmp_path, body), shacl=False), name)


def ex(*names: str) -> tuple[str, ...]:
    return tuple(EX + name for name in names)


# -- the founding cases ---------------------------------------------------------------------


@pytest.mark.parametrize("shacl", SHACL_MODES)
def test_case_b_reconsignments_without_approval(case_b_view, shacl):
    findings = validate(case_b_view, shacl=shacl)
    approval = [f for f in findings if f.rule == RULE + "reconsignment-without-approval"]
    assert sorted(f.focus for f in approval) == [
        (B + "c-jmimo-ldi",), (B + "c-ldi-nttdata",), (B + "c-ldi-nttdata-for-jmimo",)
    ]
    for finding in approval:
        assert "PPC General Guidelines 3-4-4" in finding.source
        assert finding.severity == "warning"
        assert "not recorded" in finding.message
    assert [f for f in findings if f.is_error] == []
    assert conforms(findings)


@pytest.mark.parametrize("shacl", SHACL_MODES)
def test_case_a_sensitive_backup_on_laptop(case_a_view, shacl):
    findings = validate(case_a_view, shacl=shacl)
    portable = [f for f in findings if f.rule == RULE + "sensitive-on-portable-device"]
    assert [f.focus for f in portable] == [(A + "backup-applicants", A + "laptop")]
    finding = portable[0]
    assert finding.severity == "error"
    assert "APPI Art. 23" in finding.source
    assert "<" + A + "backup-applicants>" in finding.message
    assert "work backup of applicants' records on the laptop" in finding.message
    assert not any(A + "backup-addresses" in f.focus for f in portable)
    assert not conforms(findings)


def test_case_b_approval_recorded_removes_findings():
    model = load_model([CASE_B])
    for name in ("c-ldi-nttdata", "c-jmimo-ldi", "c-ldi-nttdata-for-jmimo"):
        model.graph.set((URIRef(B + name), CM.approval, CM.Approved))
    findings = validate(chain_view(model), shacl=False)
    assert foci(findings, "reconsignment-without-approval") == []


def test_founding_cases_are_deterministic(case_a_view, case_b_view):
    for view in (case_a_view, case_b_view):
        first = validate(view, shacl=False)
        assert first == validate(chain_view(view.model), shacl=False)
        assert [f.message for f in first] == [f.message for f in validate(view, shacl=False)]


# -- rules and their metadata ---------------------------------------------------------------


def test_every_check_names_a_rule_of_rules_ttl():
    declared = {str(s) for s in rules_graph().subjects(predicate=URIRef(str(CM.severity)))}
    iris = [check.rule for check in RULES]
    assert len(set(iris)) == len(iris)
    assert set(iris) <= declared
    for iri in iris:
        info = rule_info(iri)
        assert info.severity in SEVERITIES and info.advice and info.sources


def test_severity_and_sources_come_from_rules_ttl(tmp_path):
    body = CHAIN.replace("cm:approval cm:Approved ; cm:approvedBy ex:p", "cm:tier 3")
    findings = validate(view_of(tmp_path, body), shacl=False)
    assert findings
    graph = rules_graph()
    for finding in findings:
        assert finding.severity == str(graph.value(URIRef(finding.rule), CM.severity))
        citations = {
            str(graph.value(source, CM.citation)) for source in graph.objects(URIRef(finding.rule), CM.legalBasis)
        }
        assert set(finding.source) == citations
        assert str(graph.value(URIRef(finding.rule), URIRef("http://www.w3.org/2000/01/rdf-schema#comment"))) \
            in finding.message


def test_unknown_rule_is_refused():
    with pytest.raises(UnknownReference):
        rule_info(RULE + "no-such-rule")


def test_findings_are_sorted_by_severity_rule_focus(tmp_path):
    body = CHAIN.replace("cm:consignee ex:b ;", "cm:consignee ex:ghost ;").replace(
        "cm:approval cm:Approved ; cm:approvedBy ex:p", "cm:tier 5")
    findings = validate(view_of(tmp_path, body), shacl=False)
    keys = [(SEVERITIES.index(f.severity), f.rule, f.focus) for f in findings]
    assert keys == sorted(keys)
    assert findings[0].severity == "error"
    assert {f.severity for f in findings} == {"error", "warning"}


def test_conforms():
    warning = Finding(RULE + "stated-tier", "warning", "w")
    error = Finding(RULE + "consignment-cycle", "error", "e")
    assert conforms([]) and conforms([warning])
    assert not conforms([warning, error])


def test_clean_chain_has_no_findings(tmp_path):
    assert validate(view_of(tmp_path, CHAIN), shacl=False) == []


# -- one regression model per rule ---------------------------------------------------------


def test_unresolved_reference(tmp_path):
    body = CHAIN.replace("cm:consignee ex:b ;", "cm:consignee ex:ghost ;")
    findings = validate(view_of(tmp_path, body), shacl=False)
    assert foci(findings, "unresolved-reference") == [ex("c2", "ghost")]
    finding = next(f for f in findings if f.rule == RULE + "unresolved-reference")
    assert finding.severity == "error"
    assert 'cm:consignee' in finding.message and '"A to B" <' + EX + 'c2>' in finding.message


def test_reconsignor_mismatch(tmp_path):
    body = CHAIN.replace("ex:c2 a cm:Consignment ; rdfs:label \"A to B\"@en ; cm:consignor ex:a",
                         "ex:c2 a cm:Consignment ; rdfs:label \"A to B\"@en ; cm:consignor ex:p")
    findings = validate(view_of(tmp_path, body), shacl=False)
    assert foci(findings, "reconsignor-mismatch") == [ex("c2", "c1")]
    assert not conforms(findings)


def test_reconsignor_mismatch_between_capacities_of_one_organisation(tmp_path):
    body = CHAIN + """
    ex:a-consignee a cm:Capacity ; cm:capacityOf ex:a ; rdfs:label "A as consignee"@en .
    ex:a-producer a cm:Capacity ; cm:capacityOf ex:a ; rdfs:label "A as producer"@en .
    """
    body = body.replace("cm:consignor ex:p ; cm:consignee ex:a ;", "cm:consignor ex:p ; cm:consignee ex:a-consignee ;")
    body = body.replace("cm:consignor ex:a ; cm:consignee ex:b ;", "cm:consignor ex:a-producer ; cm:consignee ex:b ;")
    findings = validate(view_of(tmp_path, body), shacl=False)
    assert foci(findings, "reconsignor-mismatch") == [ex("c2", "c1")]
    message = next(f.message for f in findings if f.rule == RULE + "reconsignor-mismatch")
    assert "same organisation" in message and "<" + EX + "a>" in message


def test_consignment_cycle(tmp_path):
    body = CHAIN + "ex:c1 cm:extends ex:c2 ."
    body = body.replace("cm:consignor ex:p ; cm:consignee ex:a ;", "cm:consignor ex:b ; cm:consignee ex:a ;")
    findings = validate(view_of(tmp_path, body), shacl=False)
    assert foci(findings, "consignment-cycle") == [ex("c1", "c2")]
    assert foci(findings, "reconsignor-mismatch") == []
    assert foci(findings, "stated-tier") == [] and foci(findings, "reconsignment-without-approval") == []


def test_ambiguous_parent(tmp_path):
    body = CHAIN.replace("cm:extends ex:c1 ;", "") + """
    ex:q a cm:Organisation , cm:Principal ; rdfs:label "principal Q"@en .
    ex:c0 a cm:Consignment ; rdfs:label "Q to A"@en ; cm:consignor ex:q ; cm:consignee ex:a ; cm:entrusts ex:d .
    """
    findings = validate(view_of(tmp_path, body), shacl=False)
    assert foci(findings, "ambiguous-parent") == [ex("c2", "c0", "c1")]
    assert next(f for f in findings if f.rule == RULE + "ambiguous-parent").severity == "warning"


def test_stated_tier(tmp_path):
    body = CHAIN.replace("cm:entrusts ex:d .", "cm:entrusts ex:d ; cm:tier 1 .").replace(
        "cm:approvedBy ex:p .", "cm:approvedBy ex:p ; cm:tier 1 .")
    assert check(tmp_path, body, "stated-tier") == [ex("c2")]


def test_reconsignment_without_approval_states(tmp_path):
    missing = CHAIN.replace("cm:approval cm:Approved ; cm:approvedBy ex:p", "cm:approvedBy ex:p")
    findings = validate(view_of(tmp_path, missing), shacl=False)
    assert foci(findings, "reconsignment-without-approval") == [ex("c2")]
    assert "not recorded" in next(f.message for f in findings if f.rule == RULE + "reconsignment-without-approval")

    refused = CHAIN.replace("cm:approval cm:Approved", "cm:approval cm:NotApproved")
    findings = validate(view_of(tmp_path, refused), shacl=False)
    assert foci(findings, "reconsignment-without-approval") == [ex("c2")]
    assert "refused" in next(f.message for f in findings if f.rule == RULE + "reconsignment-without-approval")


def test_approved_removes_approval_finding(tmp_path):
    unrecorded = CHAIN.replace("cm:approval cm:Approved", "cm:approval cm:ApprovalNotRecorded")
    assert check(tmp_path, unrecorded, "reconsignment-without-approval") == [ex("c2")]
    assert check(tmp_path, CHAIN, "reconsignment-without-approval") == []


def test_duty_not_in_parent(tmp_path):
    body = CHAIN.replace("cm:extends ex:c1 ;\n    cm:entrusts ex:d ;", "cm:extends ex:c1 ;\n    cm:entrusts ex:d , ex:e ;")
    body += 'ex:e a cm:Duty ; rdfs:label "duty E"@en ; cm:accountable ex:p ; cm:performedBy ex:b .'
    assert check(tmp_path, body, "duty-not-in-parent") == [ex("c2", "e", "c1")]


def test_duty_without_performer(tmp_path):
    body = CHAIN.replace("cm:extends ex:c1 ;\n    cm:entrusts ex:d ;", "cm:extends ex:c1 ;")
    findings = validate(view_of(tmp_path, body), shacl=False)
    assert foci(findings, "duty-without-performer") == [ex("d")]
    assert "<" + EX + "a>" in next(f.message for f in findings if f.rule == RULE + "duty-without-performer")


DATA = CHAIN + """
ex:records a cm:DataAsset ; rdfs:label "records"@en ; cm:controller ex:p .
ex:part a cm:DataAsset ; rdfs:label "part of the records"@en ; cm:subsetOf ex:records .
ex:z a cm:Organisation ; rdfs:label "outsider Z"@en .
ex:c1 cm:entrustsData ex:records .
"""


def test_data_without_basis(tmp_path):
    body = DATA + """
    ex:copy a cm:DataCopy ; rdfs:label "copy at Z"@en ; cm:copyOf ex:records ; cm:heldBy ex:z .
    ex:pc a cm:Device ; rdfs:label "Z's PC"@en ; cm:heldBy ex:z ; cm:portable false .
    ex:copy2 a cm:DataCopy ; rdfs:label "copy on Z's PC"@en ; cm:copyOf ex:part ; cm:storedOn ex:pc .
    """
    findings = validate(view_of(tmp_path, body), shacl=False)
    assert foci(findings, "data-without-basis") == [ex("copy", "z", "records"), ex("copy2", "z", "part")]
    assert foci(findings, "data-past-end") == []


def test_data_with_a_basis_is_not_reported(tmp_path):
    body = DATA + """
    ex:copy-a a cm:DataCopy ; cm:copyOf ex:part ; cm:heldBy ex:a .
    ex:copy-p a cm:DataCopy ; cm:copyOf ex:part ; cm:heldBy ex:p .
    ex:copy-z a cm:DataCopy ; cm:copyOf ex:records ; cm:heldBy ex:z .
    ex:h a cm:DataProvision ; cm:sender ex:p ; cm:receiver ex:z ; cm:carries ex:records .
    ex:consent a cm:ConsentProvision ; cm:provider ex:p ; cm:recipient ex:z ; cm:providesData ex:records .
    """
    assert check(tmp_path, body, "data-without-basis") == []
    assert check(tmp_path, body, "transfer-without-basis") == []


def test_data_past_end(tmp_path):
    ended = DATA.replace("ex:c1 cm:entrustsData ex:records .",
                         'ex:c1 cm:entrustsData ex:records ; cm:endDate "2024-03-31"^^xsd:date .')
    held = ended + 'ex:copy a cm:DataCopy ; rdfs:label "copy at A"@en ; cm:copyOf ex:records ; cm:heldBy ex:a .'
    kept_longer = held + 'ex:copy cm:endDate "2024-06-30"^^xsd:date .'
    findings = validate(view_of(tmp_path, kept_longer), shacl=False)
    assert foci(findings, "data-past-end") == [ex("copy", "c1")]
    assert foci(findings, "data-without-basis") == []
    assert "2024-03-31" in next(f.message for f in findings if f.rule == RULE + "data-past-end")
    deleted = held + 'ex:copy cm:endDate "2024-03-31"^^xsd:date .'
    assert check(tmp_path, deleted, "data-past-end") == []
    assert check(tmp_path, deleted, "data-possibly-past-end") == []
    # no end date and nothing dated after the end: unknown, not "still held"
    assert check(tmp_path, held, "data-past-end") == []
    assert check(tmp_path, held, "data-possibly-past-end") == []
    assert check(tmp_path, DATA + "ex:copy a cm:DataCopy ; cm:copyOf ex:records ; cm:heldBy ex:a .",
                 "data-past-end") == []


SENSITIVE = DATA + """
ex:records cm:sensitive true .
ex:laptop a cm:Device ; rdfs:label "laptop"@en ; cm:portable true ; cm:heldBy ex:a .
ex:copy a cm:DataCopy ; rdfs:label "copy on the laptop"@en ; cm:copyOf ex:records ; cm:storedOn ex:laptop .
"""


def test_sensitive_on_portable_device(tmp_path):
    weak = SENSITIVE + "ex:pin a cm:PreventiveControl ; cm:covers ex:laptop ; cm:rulesOutLeak false ."
    findings = validate(view_of(tmp_path, weak), shacl=False)
    assert foci(findings, "sensitive-on-portable-device") == [ex("copy", "laptop")]
    assert not conforms(findings)
    encrypted = SENSITIVE + "ex:fde a cm:PreventiveControl ; cm:covers ex:copy ; cm:rulesOutLeak true ."
    assert check(tmp_path, encrypted, "sensitive-on-portable-device") == []
    fixed = SENSITIVE.replace("cm:portable true", "cm:portable false")
    assert check(tmp_path, fixed, "sensitive-on-portable-device") == []


HANDOFF = CHAIN + """
ex:r a cm:Report ; rdfs:label "B's report to A"@en ; cm:sender ex:b ; cm:receiver ex:a ; cm:serves ex:d .
"""


def test_handoff_without_acknowledgement(tmp_path):
    assert check(tmp_path, HANDOFF, "handoff-without-acknowledgement") == [ex("r", "d")]
    acknowledged = HANDOFF + """
    ex:r cm:acknowledgedBy ex:ack .
    ex:ack a cm:Report ; cm:sender ex:a ; cm:receiver ex:b ; cm:serves ex:d .
    """
    assert check(tmp_path, acknowledged, "handoff-without-acknowledgement") == []
    checked = HANDOFF + "ex:audit a cm:DetectiveControl ; cm:operatedBy ex:p ; cm:covers ex:r ; cm:notifies ex:p ."
    assert check(tmp_path, checked, "handoff-without-acknowledgement") == []
    unrelated = HANDOFF.replace("cm:serves ex:d .", ".")
    assert check(tmp_path, unrelated, "handoff-without-acknowledgement") == []
