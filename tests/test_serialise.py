"""The plain dictionaries of every result type (chainmodel.serialise).

Pinned here: the keys and values of each dictionary (references, parties, counts with their
bounds, traces, leaks, cut sets, exposures, blasts, findings and what they say, the summary
of ``describe``), the catalogue's wording of leak steps and of why a control does not catch
a failure, and the labels of the parties the model does not name, taken from the catalogue.
"""

from __future__ import annotations

import json

import pytest

from chainmodel.blast import blast_radius
from chainmodel.catalogue import say, words
from chainmodel.cutsets import minimal_cut_sets
from chainmodel.describe import describe
from chainmodel.exposure import exposure
from chainmodel.failures import COPIER, FINDER, UNINTENDED, harms
from chainmodel.findings import Finding, Said, number, ref, refs, text
from chainmodel.leaks import single_points_of_failure
from chainmodel.population import Count
from chainmodel.serialise import (blast_json, count_json, cutsets_json, describe_json, exposure_json, finding_json,
                                  leak_json, party_json, ref_json, said_json, trace_json)
from chainmodel.trace import trace_duty
from inline import A, CM, EX, RULE, ex
from test_exposure import REGISTER
from test_failures import DEVICE, GUARDED, check

LABELLED = GUARDED + check(latency="P2M") + """
ex:v-desk a cm:Capacity ; cm:capacityOf ex:v ; rdfs:label "V's desk"@en , "Vの窓口"@ja .
ex:report rdfs:label "monthly opt-out report"@en , "月次の停止報告"@ja .
"""


def iris(entries) -> list[str]:
    return [entry["iri"] for entry in entries]


# -- references and parties -------------------------------------------------------------------


def test_a_reference_has_its_iri_standard_name_and_labels_by_language(view_of):
    view = view_of(LABELLED)
    assert ref_json(view, EX + "report") == {"iri": EX + "report", "name": EX + "report",
                                             "label": {"en": "monthly opt-out report", "ja": "月次の停止報告"}}
    assert ref_json(view, CM + "Omission") == {"iri": CM + "Omission", "name": "cm:Omission",
                                               "label": {"en": "omission", "ja": "欠落"}}
    assert ref_json(view, EX + "flow")["label"] == {}
    assert ref_json(view, None) is None and party_json(view, None) is None
    assert list(ref_json(view, EX + "report")["label"]) == ["en", "ja"]


@pytest.mark.parametrize("iri", [FINDER, COPIER, UNINTENDED, "urn:chainmodel:party:people-concerned",
                                 "urn:chainmodel:party:regulator-not-in-the-model"])
def test_the_parties_the_model_does_not_name_are_labelled_from_the_catalogue(view_of, iri):
    found = ref_json(view_of(GUARDED), iri)
    assert found["label"] == {"en": say(f"party.{iri}", "en"), "ja": say(f"party.{iri}", "ja")}
    assert found["label"] == dict(words()[f"party.{iri}"])
    assert (found["iri"], found["name"]) == (iri, iri)


def test_a_chainmodel_urn_the_catalogue_does_not_know_keeps_the_model_s_labels(view_of):
    found = ref_json(view_of('<urn:chainmodel:party:other> rdfs:label "someone"@en .\n'), "urn:chainmodel:party:other")
    assert found["label"] == {"en": "someone"}


def test_a_party_has_its_roles_and_a_capacity_its_organisation(view_of):
    view = view_of(LABELLED + "ex:c a cm:Consignment ; cm:consignor ex:p ; cm:consignee ex:v .\n")
    assert party_json(view, EX + "v")["roles"] == ["consignee"]
    desk = party_json(view, EX + "v-desk")
    assert (desk["roles"], desk["organisation"]) == ([], ref_json(view, EX + "v"))
    assert "organisation" not in party_json(view, EX + "v")
    assert "roles" not in party_json(view, FINDER)  # not a party of the model


# -- counts and exposures ---------------------------------------------------------------------


@pytest.mark.parametrize("count,expected", [
    (Count.exactly(40), {"at_least": 40, "at_most": 40, "exact": True, "approximate": False, "known": True}),
    (Count(10_000, 18_000), {"at_least": 10_000, "at_most": 18_000, "exact": False, "approximate": False,
                             "known": True}),
    (Count.stated(500, "about"), {"at_least": 500, "at_most": 500, "exact": False, "approximate": True, "known": True}),
    (Count.stated(40_000, "at-most"), {"at_least": 0, "at_most": 40_000, "exact": False, "approximate": False,
                                       "known": True}),
    (Count.unknown(), {"at_least": 0, "at_most": None, "exact": False, "approximate": False, "known": False}),
])
def test_a_count_gives_its_bounds_and_how_it_is_meant(count, expected):
    assert count_json(count) == expected


def test_no_count_is_null():
    assert count_json(None) is None


def test_an_exposure_in_bounds_says_so_in_every_unit_and_per_asset(view_of):
    view = view_of(REGISTER.replace("; cm:subsetOf ex:register", "; cm:countQualifier cm:AtMost"))
    found = exposure_json(view, exposure(view, ex("register", "tax", "households")))
    assert set(found) == {"subjects", "known_subjects", "people", "populations", "per_principal", "sensitive",
                          "sensitive_categories", "financial_categories", "assets"}
    assert (found["subjects"], found["known_subjects"]) == (None, 10_000)
    people = found["people"]
    assert people["unit"]["iri"] == CM + "People"
    assert (people["count"]["at_least"], people["count"]["at_most"], people["count"]["exact"]) == (10_000, 18_000, False)
    assert iris(people["counted"]) == list(ex("register", "tax"))
    assert [(r["reason"], iris(r["assets"])) for r in people["reasons"]] == [
        ("overlap-unknown", list(ex("register", "tax"))), ("count-at-most", [EX + "tax"])]
    assert [p["unit"]["iri"] for p in found["populations"]] == [CM + "People", CM + "Households"]
    (city,) = found["per_principal"]
    assert (city["principal"]["iri"], city["subjects"]) == (EX + "city", None)  # bounds: no single figure
    register = found["assets"][[a["asset"]["iri"] for a in found["assets"]].index(EX + "register")]
    assert (register["subjects"], register["total"]["at_least"], register["unattributed"]) == (10_000, 10_000, None)
    tax = found["assets"][[a["asset"]["iri"] for a in found["assets"]].index(EX + "tax")]
    assert (tax["subjects"], tax["total"]["at_least"], tax["total"]["at_most"]) == (None, 0, 8_000)  # at most 8,000
    assert [s["principal"]["iri"] for s in register["per_principal"]] == [EX + "city"]
    assert register["per_principal"][0]["stated"] is False  # the one controller answers for the rest


# -- traces, leaks, cut sets ------------------------------------------------------------------


def test_a_trace_gives_its_duty_parties_flags_and_links(view_of):
    from test_trace import FORK

    view = view_of(FORK)
    found = trace_json(view, trace_duty(view, EX + "d"))
    assert set(found) == {"duty", "legal_basis", "accountable", "performers", "flags", "chains"}
    assert found["flags"] == {"entrusted_more_than_once": True, "no_performer": False, "truncated": False}
    assert (found["duty"]["iri"], found["accountable"]["iri"], iris(found["performers"])) == (EX + "d", EX + "p", [EX + "b"])
    first = found["chains"][0]
    assert set(first) == {"accountable", "performer", "reaches_performer", "starts_at_accountable", "supervisors",
                          "links"}
    assert (first["performer"]["iri"], first["reaches_performer"], iris(first["supervisors"])) == (
        EX + "b", True, list(ex("p", "a")))
    assert found["chains"][1]["performer"] is None
    link = first["links"][1]
    assert (link["consignment"]["iri"], link["tier"], link["consignor"]["iri"], link["consignee"]["iri"]) == (
        EX + "c2", 2, EX + "a", EX + "b")
    assert (link["approval"]["name"], iris(link["approved_by"])) == ("cm:Approved", [EX + "p"])
    assert first["links"][0]["approval"] is None


def test_a_leak_gives_its_element_path_in_words_and_codes_and_the_controls_that_miss_it(view_of):
    view = view_of(LABELLED)
    (leak,) = [leak for leak in single_points_of_failure(view) if leak.element == EX + "report"]
    found = leak_json(view, leak)
    assert set(found) == {"element", "element_kind", "no_failure_needed", "failure_modes", "operated_by",
                          "accountable", "harm", "guarded_provision", "guard_duty", "path", "reached", "exposure",
                          "controls_not_catching_it", "held_by_reached"}
    assert found["held_by_reached"] == []  # a guarded provision's data reaches its parties by the provisions
    assert (found["element"]["iri"], found["element_kind"], found["harm"], found["no_failure_needed"]) == (
        EX + "report", "hand-off", "guarded-provision", False)
    assert (found["guarded_provision"]["iri"], found["guard_duty"]["iri"]) == (EX + "flow", EX + "exclude")
    assert [m["name"] for m in found["failure_modes"]] == ["cm:Late", "cm:Misdirection", "cm:Omission", "cm:WrongContent"]
    assert (iris(found["operated_by"]), iris(found["accountable"]), iris(found["reached"])) == (
        [EX + "v"], [EX + "p"], list(ex("o", "u")))
    codes = ["fails", "cannot-be-performed", "carries-protected-data", "carries-it-on"]
    assert [step["effect_code"] for step in found["path"]] == codes
    assert all("effect" not in step for step in found["path"])  # the words are the renderer's: one catalogue
    assert (found["path"][0]["from"]["iri"], found["path"][0]["to"]["iri"], found["path"][0]["kind"]) == (
        EX + "v", EX + "s", "report")
    assert found["path"][1]["to"] is None
    (missed,) = found["controls_not_catching_it"]
    assert missed["control"]["iri"] == EX + "check"
    assert "why" not in missed
    assert missed["why_said"] == [{"key": "verdict.too-late", "advice": None,
                                   "values": [["latency", "duration", "P2M"], ["lead_time", "duration", "P1M"]]}]
    assert found["exposure"]["subjects"] == 5


def test_an_exposure_leak_names_no_guarded_provision(view_of):
    view = view_of(DEVICE)
    (leak,) = [leak for leak in single_points_of_failure(view) if leak.harm_kind == "device-exposure"]
    found = leak_json(view, leak)
    assert (found["guarded_provision"], found["guard_duty"]) == (None, None)
    assert found["reached"] == [ref_json(view, FINDER)]
    view = view_of(GUARDED)
    (misdirected,) = [leak for leak in single_points_of_failure(view) if leak.element == EX + "onward"]
    found = leak_json(view, misdirected)
    assert (found["harm"], found["guarded_provision"], found["reached"]) == (
        "misdirected-data", None, [ref_json(view, UNINTENDED)])


def test_cut_sets_give_their_order_and_events_with_their_kinds(view_of):
    view = view_of(GUARDED + check() + "ex:auditor rdfs:label \"auditor\"@en .\n")
    (harm,) = [h for h in harms(view) if h.kind == "guarded-provision"]
    found = cutsets_json(view, harm, minimal_cut_sets(harm, 2))
    assert (found["harm"], found["element"]) == ("guarded-provision", None)
    assert (found["guarded_provision"]["iri"], found["guard_duty"]["iri"]) == (EX + "flow", EX + "exclude")
    assert (iris(found["duties"]), iris(found["protected_assets"])) == (list(ex("exclude", "optout")), [EX + "opted"])
    assert [(cut["order"], [(e["iri"], e["kind"]) for e in cut["events"]]) for cut in found["cut_sets"]] == [
        (1, [(EX + "exclude", "task")]), (1, [(EX + "optout", "task")]),
        (2, [(EX + "check", "control"), (EX + "report", "hand-off")])]
    (device,) = [h for h in harms(view_of(DEVICE)) if h.kind == "device-exposure"]
    exposed = cutsets_json(view_of(DEVICE), device, minimal_cut_sets(device, 1))
    assert (exposed["element"]["iri"], exposed["guarded_provision"], exposed["guard_duty"]) == (EX + "laptop", None, None)


# -- blasts -----------------------------------------------------------------------------------


def test_a_blast_gives_each_chain_link_by_link_with_its_tier(view_of):
    from test_blast import CHAIN

    view = view_of(CHAIN)
    found = blast_json(view, blast_radius(view, EX + "laptop"))
    assert found["chains"] == [[
        {"consignment": ref_json(view, EX + "c1"), "tier": 1, "consignor": party_json(view, EX + "p"),
         "consignee": party_json(view, EX + "v")},
        {"consignment": ref_json(view, EX + "c2"), "tier": 2, "consignor": party_json(view, EX + "v"),
         "consignee": party_json(view, EX + "s")}]]
    assert (iris(found["holders"]), iris(found["principals"]), found["protected_by"]) == ([EX + "s"], [EX + "p"], [])


def test_a_blast_gives_its_chains_with_tiers_and_its_reporting_duties(case_a_view):
    found = blast_json(case_a_view, blast_radius(case_a_view, A + "laptop"))
    assert set(found) == {"element", "kind", "holders", "principals", "protected_by", "exposure", "chains",
                          "reporting_duties", "duties"}
    assert (found["element"]["iri"], found["kind"]) == (A + "laptop", "device")
    for chain in found["chains"]:
        assert [link["tier"] for link in chain] == list(range(1, len(chain) + 1))
        for above, below in zip(chain, chain[1:]):
            assert above["consignee"]["iri"] == below["consignor"]["iri"]
    people = found["exposure"]["people"]["count"]
    assert (people["at_least"], people["at_most"]) == (171_472, 181_674)
    pairs = [(n["from"]["iri"], n["to"]["iri"]) for n in found["reporting_duties"]]
    assert (A + "foundation", A + "resonac") in pairs and (A + "resonac", A + "ppc") in pairs
    notice = found["reporting_duties"][0]
    assert set(notice) == {"from", "to", "principal", "rule", "sources", "status", "because"}
    assert notice["rule"]["iri"].startswith(RULE) and notice["sources"][0]["citation"]["en"]
    assert all({"iri", "name", "label", "citation"} == set(s) and set(s["citation"]) == {"en", "ja"} for s in notice["sources"])
    duty = found["duties"][0]
    assert set(duty) == {"principal", "regime", "regime_choice", "reportable", "protected_by", "triggers", "routes",
                         "notifications"}
    assert {"mandatory", "certain", "alternatives", "reason"} == set(duty["regime_choice"])


# -- findings and what they say ---------------------------------------------------------------


def test_what_a_finding_says_is_its_key_and_tagged_values_with_references_resolved(view_of):
    view = view_of(LABELLED)
    said = Said("finding.example", (("duty", ref(EX + "exclude")), ("parties", refs(ex("v", "s"))),
                                    ("count", number(3)), ("date", text("2025-04-25")),
                                    ("consignment", ("consignment", (EX + "c", EX + "p", EX + "v", False)))),
                advice="advice.example")
    found = said_json(view, said)
    assert found["key"] == "finding.example" and found["advice"] == "advice.example"
    assert found["values"] == [
        ["duty", "ref", ref_json(view, EX + "exclude")],
        ["parties", "refs", [ref_json(view, EX + "v"), ref_json(view, EX + "s")]],  # in the order given
        ["count", "number", 3],
        ["date", "text", "2025-04-25"],
        ["consignment", "consignment", {"consignment": ref_json(view, EX + "c"), "consignor": party_json(view, EX + "p"),
                                        "consignee": party_json(view, EX + "v"), "implicit": False}],
    ]
    assert said_json(view, None) is None


def test_a_finding_of_a_rule_gives_its_rule_focus_sources_said_and_advice_in_both_languages(findings_of, view_of):
    (finding,) = [f for f in findings_of(GUARDED)["duty-without-performer"] if f.focus == ex("exclude")]
    found = finding_json(view_of(GUARDED), finding)
    assert set(found) == {"severity", "rule", "message", "focus", "source", "sources", "said"}
    assert found["severity"] == "warning"
    assert found["rule"]["iri"] == RULE + "duty-without-performer"
    assert found["rule"]["name"] == "rule:duty-without-performer"
    assert set(found["rule"]["label"]) == {"en", "ja"}
    assert found["message"] is None  # what it says is in "said", for any language
    assert iris(found["focus"]) == list(finding.focus)
    assert found["source"] == [] and finding.source  # the citations are those of "sources"
    assert [s["iri"] for s in found["sources"]] == [RULE + "appi-25"]
    assert found["sources"][0]["citation"]["ja"] == "個人情報保護法第25条"
    assert found["said"]["key"] == finding.said.key
    assert found["said"]["values"][0] == ["duty", "ref", ref_json(view_of(GUARDED), EX + "exclude")]
    assert set(found["rule"]["advice"]) == {"en", "ja"}  # the rule's, given once with the rule


def test_a_finding_of_a_rule_outside_the_rulebook_has_no_advice_and_keeps_its_own_source(view_of):
    view = view_of(GUARDED)
    found = finding_json(view, Finding("urn:example:rule", "info", "a note", ex("flow"), source=("a guideline",)))
    assert (found["said"], found["sources"], found["source"]) == (None, [], ["a guideline"])
    assert found["rule"] == {"iri": "urn:example:rule", "name": "urn:example:rule", "label": {}}  # no advice


# -- describe ---------------------------------------------------------------------------------


def test_describe_gives_consignments_by_tier_and_controls_with_their_latency_in_months(view_of):
    from test_trace import FORK

    view = view_of(FORK + GUARDED.replace("ex:p a cm:Organisation ; rdfs:label \"principal P\"@en .\n", "") + check())
    found = describe_json(view, describe(view))
    assert {"triples", "parties_by_capacity", "consignments_by_tier", "duties", "data_assets", "controls",
            "hand_offs", "incidents"} <= set(found)
    assert {tier: iris(items) for tier, items in found["consignments_by_tier"].items()} == {
        "1": [EX + "c1"], "2": list(ex("c2", "c3"))}
    c2 = found["consignments_by_tier"]["2"][0]
    assert (iris(c2["extends"]), c2["extends_inferred"], c2["approval"]["name"], iris(c2["duties"])) == (
        [EX + "c1"], False, "cm:Approved", [EX + "d"])
    (control,) = found["controls"]
    assert (control["kind"], control["detection_latency"], control["detection_latency_months"]) == ("detective", "P0D", 0.0)
    assert (iris(control["covers"]), iris(control["notifies"]), control["rules_out_leak"]) == ([EX + "report"], [EX + "s"], None)
    json.dumps(found)  # plain data only
