"""Failure elements, harms and control verdicts (chainmodel.failures).

Pinned here: which failure events exist with their kind, operators and modes; which harms a
model allows, in which order, with what they reach and expose; the reliability graph (a
harm happens exactly when the failed events cut S from T); and whether a control counts
against a failure, with its reasons as catalogue codes (``verdict.*``).
"""

from __future__ import annotations

import pytest

from chainmodel.catalogue import has, placeholders
from chainmodel.failures import COPIER, FINDER, UNINTENDED, Element, elements, harm_occurs, harms, iter_harms
from inline import A, CM, EX, ex

# The opt-out of case B in small: V accepts opt-outs and reports them to S, who must exclude
# the opted-out people before S provides the data to O, who passes it on to U.
GUARDED = """
ex:p a cm:Organisation ; rdfs:label "principal P"@en .
ex:v a cm:Organisation ; rdfs:label "vendor V"@en .
ex:s a cm:Organisation ; rdfs:label "sender S"@en .
ex:o a cm:Organisation ; rdfs:label "recipient O"@en .
ex:u a cm:Organisation ; rdfs:label "users U"@en .
ex:auditor a cm:Organisation ; rdfs:label "auditor"@en .
ex:optout a cm:Duty ; cm:accountable ex:p ; cm:performedBy ex:v .
ex:exclude a cm:Duty ; cm:accountable ex:p ; cm:performedBy ex:s ; cm:needs ex:optout ; cm:protects ex:opted .
ex:report a cm:Report ; cm:sender ex:v ; cm:receiver ex:s ; cm:serves ex:optout .
ex:all a cm:DataAsset ; cm:subjectCount 100 ; cm:controller ex:p .
ex:opted a cm:DataAsset ; cm:subsetOf ex:all ; cm:subjectCount 5 ; cm:controller ex:p .
ex:flow a cm:DataProvision ; cm:sender ex:s ; cm:receiver ex:o ; cm:carries ex:all ; cm:guardedBy ex:exclude ;
    cm:leadTime "P1M"^^xsd:duration .
ex:onward a cm:DataProvision ; cm:sender ex:o ; cm:receiver ex:u ; cm:carries ex:all .
"""
GUARDED_KEY = EX + "flow|" + EX + "exclude"

# A laptop holding a copy of personal data, and one of anonymised data.
DEVICE = """
ex:p a cm:Organisation .
ex:holder a cm:Organisation .
ex:records a cm:DataAsset ; cm:subjectCount 40 ; cm:controller ex:p .
ex:stats a cm:DataAsset ; cm:anonymised true ; cm:controller ex:p .
ex:laptop a cm:Device ; cm:portable true ; cm:heldBy ex:holder .
ex:copy a cm:DataCopy ; cm:copyOf ex:records ; cm:storedOn ex:laptop .
ex:stats-copy a cm:DataCopy ; cm:copyOf ex:stats ; cm:storedOn ex:laptop .
"""


def guarded(view):
    (harm,) = [h for h in harms(view) if h.kind == "guarded-provision"]
    return harm


def verdict(harm, control: str, element: str):
    (found,) = [v for v in harm.verdicts if v.control == control and v.element == element]
    return found


def codes(found) -> list[str]:
    return [reason.key for reason in found.reasons]


# -- elements ---------------------------------------------------------------------------------


def test_every_element_has_its_kind_operators_and_modes(view_of):
    found = elements(view_of(GUARDED + DEVICE.replace("ex:p a cm:Organisation .\n", "")))
    assert found[EX + "report"] == Element(
        EX + "report", "hand-off", ex("v"),
        tuple(CM + m for m in ("Late", "Misdirection", "Omission", "WrongContent")))
    assert (found[EX + "flow"].kind, found[EX + "flow"].operators, found[EX + "flow"].modes) == (
        "hand-off", ex("s"), (CM + "MisdirectedData", CM + "Omission"))
    assert (found[EX + "exclude"].kind, found[EX + "exclude"].operators, found[EX + "exclude"].modes) == (
        "task", ex("s"), (CM + "NotPerformed",))
    assert (found[EX + "laptop"].kind, found[EX + "laptop"].operators, found[EX + "laptop"].modes) == (
        "device", ex("holder"), (CM + "LossOrTheft",))
    assert (found[EX + "copy"].kind, found[EX + "copy"].operators, found[EX + "copy"].modes) == (
        "copy", ex("holder"), (CM + "UnauthorisedCopy",))  # held through its device


def test_a_task_with_no_performer_is_operated_by_its_accountable_party_and_a_control_by_its_operators(view_of):
    body = GUARDED.replace("ex:optout a cm:Duty ; cm:accountable ex:p ; cm:performedBy ex:v .",
                           "ex:optout a cm:Duty ; cm:accountable ex:p .") + \
        "ex:check a cm:DetectiveControl ; cm:operatedBy ex:auditor ; cm:covers ex:report .\n"
    found = elements(view_of(body))
    assert found[EX + "optout"].operators == ex("p")
    assert (found[EX + "check"].kind, found[EX + "check"].operators, found[EX + "check"].modes) == (
        "control", ex("auditor"), (CM + "ControlFails",))


def test_stated_failure_modes_replace_those_of_the_class(view_of):
    body = GUARDED.replace("ex:report a cm:Report ;", "ex:report a cm:Report ; cm:failureMode cm:Late ;")
    assert elements(view_of(body))[EX + "report"].modes == (CM + "Late",)


# -- harms ------------------------------------------------------------------------------------


def test_harms_come_by_kind_then_key(view_of):
    found = [(h.kind, h.key) for h in harms(view_of(GUARDED + DEVICE.replace("ex:p a cm:Organisation .\n", "")))]
    assert found == [
        ("guarded-provision", GUARDED_KEY),
        ("device-exposure", EX + "laptop"),
        ("copy-exposure", EX + "copy"),  # never the anonymised copy
        ("misdirected-data", EX + "flow"),
        ("misdirected-data", EX + "onward"),
    ]
    assert [h.key for h in iter_harms(view_of(GUARDED))] == [h.key for h in harms(view_of(GUARDED))]


def test_a_guarded_provision_reaches_every_party_downstream_and_exposes_what_its_guard_protects(view_of):
    harm = guarded(view_of(GUARDED))
    assert (harm.flow, harm.guard) == (EX + "flow", EX + "exclude")
    assert harm.exposed_assets == ex("opted")
    assert harm.reached == ex("o", "u")
    assert harm.downstream == ex("flow", "onward")
    assert harm.duties == ex("exclude", "optout")
    assert harm.accountable == ex("p")
    assert harm.events == ex("exclude", "optout", "report")


def test_the_parties_reached_follow_the_data_into_wider_and_derived_assets(view_of):
    body = GUARDED.replace("ex:onward a cm:DataProvision ; cm:sender ex:o ; cm:receiver ex:u ; cm:carries ex:all .",
                           "ex:onward a cm:DataProvision ; cm:sender ex:o ; cm:receiver ex:u ; cm:carries ex:wider .\n"
                           "ex:all cm:subsetOf ex:wider .\nex:wider a cm:DataAsset .\n"
                           "ex:later a cm:DataProvision ; cm:sender ex:u ; cm:receiver ex:w ; cm:carries ex:scores .\n"
                           "ex:scores a cm:DataAsset ; cm:derivedFrom ex:all .\nex:w a cm:Organisation .\n"
                           "ex:elsewhere a cm:DataProvision ; cm:sender ex:u ; cm:receiver ex:z ; cm:carries ex:other .\n"
                           "ex:other a cm:DataAsset .\nex:z a cm:Organisation .")
    harm = guarded(view_of(body))
    assert harm.reached == ex("o", "u", "w")  # never z: what reaches it does not carry the protected data
    assert harm.downstream == ex("flow", "onward", "later")


def test_the_controllers_of_the_protected_data_answer_for_the_harm_with_the_guard_s_accountable_party(view_of):
    body = GUARDED.replace("ex:opted a cm:DataAsset ; cm:subsetOf ex:all ; cm:subjectCount 5 ; cm:controller ex:p .",
                           "ex:opted a cm:DataAsset ; cm:subsetOf ex:all ; cm:subjectCount 5 ; cm:controller ex:owner .\n"
                           "ex:owner a cm:Organisation .")
    assert guarded(view_of(body)).accountable == ex("owner", "p")


def test_a_guarded_provision_to_nobody_is_no_guarded_harm(view_of):
    body = GUARDED.replace("ex:flow a cm:DataProvision ; cm:sender ex:s ; cm:receiver ex:o ;",
                           "ex:flow a cm:DataProvision ; cm:sender ex:s ;")
    assert "guarded-provision" not in [h.kind for h in harms(view_of(body))]


def test_each_element_on_the_only_path_causes_the_guarded_harm_on_its_own(view_of):
    harm = guarded(view_of(GUARDED))
    assert not harm_occurs(harm, frozenset())
    for event in harm.events:
        assert harm_occurs(harm, {event}), event


def test_a_second_report_path_makes_the_two_reports_a_pair(view_of):
    body = GUARDED + "ex:report2 a cm:Report ; cm:sender ex:v ; cm:receiver ex:s ; cm:serves ex:optout .\n"
    harm = guarded(view_of(body))
    assert not harm_occurs(harm, {EX + "report"}) and not harm_occurs(harm, {EX + "report2"})
    assert harm_occurs(harm, {EX + "report", EX + "report2"})


def test_a_guard_nothing_reports_to_happens_with_no_failure(view_of):
    harm = guarded(view_of(GUARDED.replace("ex:report a cm:Report ; cm:sender ex:v ; cm:receiver ex:s ; "
                                           "cm:serves ex:optout .\n", "")))
    assert harm_occurs(harm, frozenset())


def test_a_guard_nobody_performs_or_answers_for_is_no_harm(view_of):
    body = GUARDED.replace("ex:exclude a cm:Duty ; cm:accountable ex:p ; cm:performedBy ex:s ;", "ex:exclude a cm:Duty ;")
    assert [h.kind for h in harms(view_of(body))] == ["misdirected-data", "misdirected-data"]


def test_a_device_exposes_the_personal_data_on_it_to_whoever_finds_it(view_of):
    (harm,) = [h for h in harms(view_of(DEVICE)) if h.kind == "device-exposure"]
    assert (harm.key, harm.flow, harm.guard) == (EX + "laptop", None, None)
    assert harm.exposed_assets == ex("records")  # not the anonymised statistics
    assert harm.reached == (FINDER,)
    assert harm.accountable == ex("p")
    assert harm_occurs(harm, {EX + "laptop"}) and not harm_occurs(harm, frozenset())


def test_a_copy_and_a_misdirected_provision_reach_their_pseudo_parties(view_of):
    found = {h.key: h for h in harms(view_of(GUARDED + DEVICE.replace("ex:p a cm:Organisation .\n", "")))}
    assert found[EX + "copy"].reached == (COPIER,)
    assert found[EX + "flow"].reached == (UNINTENDED,)
    assert found[EX + "flow"].flow == EX + "flow"
    assert found[EX + "flow"].exposed_assets == ex("all")


def test_a_device_holding_only_anonymised_data_is_no_harm(view_of):
    body = DEVICE.replace("ex:copy a cm:DataCopy ; cm:copyOf ex:records ; cm:storedOn ex:laptop .\n", "")
    assert harms(view_of(body)) == []


def test_a_provision_stated_to_fail_only_by_omission_is_never_misdirected(view_of):
    body = GUARDED.replace("ex:onward a cm:DataProvision ;", "ex:onward a cm:DataProvision ; cm:failureMode cm:Omission ;")
    assert [h.key for h in harms(view_of(body)) if h.kind == "misdirected-data"] == [EX + "flow"]


def test_an_exposure_harm_answers_to_the_duties_of_the_consignments_entrusting_its_data(view_of):
    body = DEVICE + "ex:c a cm:Consignment ; cm:consignor ex:p ; cm:consignee ex:holder ; " \
        "cm:entrustsData ex:records ; cm:entrusts ex:keep .\nex:keep a cm:Duty ; cm:accountable ex:p .\n"
    (harm,) = [h for h in harms(view_of(body)) if h.kind == "device-exposure"]
    assert harm.duties == ex("keep")


# -- control verdicts -------------------------------------------------------------------------


def check(kind: str = "DetectiveControl", operator: str = "ex:auditor", covers: str = "ex:report",
          notifies: str | None = "ex:s", latency: str | None = "P0D", extra: str = "") -> str:
    """A control, written as a test needs it."""
    text = f"ex:check a cm:{kind} ; cm:operatedBy {operator} ; cm:covers {covers}"
    if notifies:
        text += f" ; cm:notifies {notifies}"
    if latency:
        text += f' ; cm:detectionLatency "{latency}"^^xsd:duration'
    return text + extra + " .\n"


def test_an_independent_timely_detective_control_telling_the_guard_counts(view_of):
    harm = guarded(view_of(GUARDED + check()))
    found = verdict(harm, EX + "check", EX + "report")
    assert (found.counts, found.reasons) == (True, ())
    assert not harm_occurs(harm, {EX + "report"})  # drawn in parallel with the report
    assert harm_occurs(harm, {EX + "report", EX + "check"})


@pytest.mark.parametrize("operator", ["ex:v", "ex:v-desk"])
def test_a_control_its_own_element_s_organisation_operates_is_not_independent(view_of, operator):
    body = GUARDED + "ex:v-desk a cm:Capacity ; cm:capacityOf ex:v .\n" + check(operator=operator)
    found = verdict(guarded(view_of(body)), EX + "check", EX + "report")
    assert (found.counts, codes(found)) == (False, ["verdict.not-independent"])


def test_a_control_that_tells_nobody_who_can_still_act_does_not_count(view_of):
    found = verdict(guarded(view_of(GUARDED + check(notifies="ex:auditor"))), EX + "check", EX + "report")
    assert (found.counts, codes(found)) == (False, ["verdict.tells-nobody"])


@pytest.mark.parametrize("party", ["ex:s", "ex:o"])
def test_the_guarded_provision_s_sender_and_receiver_can_still_act(view_of, party):
    found = verdict(guarded(view_of(GUARDED + check(notifies=party))), EX + "check", EX + "report")
    assert found.counts


def test_a_control_that_tells_a_party_before_the_failure_does_not_count(view_of):
    # V sends the report: told of the report's failure, V is above it and cannot act on it
    found = verdict(guarded(view_of(GUARDED + check(notifies="ex:v"))), EX + "check", EX + "report")
    assert codes(found) == ["verdict.tells-nobody"]


def test_a_control_slower_than_the_lead_time_is_too_late_with_both_durations(view_of):
    found = verdict(guarded(view_of(GUARDED + check(latency="P2M"))), EX + "check", EX + "report")
    assert found.counts is False
    (reason,) = found.reasons
    assert reason.key == "verdict.too-late"
    assert reason.values == (("latency", ("duration", "P2M")), ("lead_time", ("duration", "P1M")))


def test_a_control_exactly_as_fast_as_the_lead_time_is_in_time(view_of):
    assert verdict(guarded(view_of(GUARDED + check(latency="P1M"))), EX + "check", EX + "report").counts


def test_a_control_of_unknown_latency_has_unknown_timing(view_of):
    found = verdict(guarded(view_of(GUARDED + check(latency=None))), EX + "check", EX + "report")
    assert codes(found) == ["verdict.timing-unknown"]
    no_lead = GUARDED.replace(' ;\n    cm:leadTime "P1M"^^xsd:duration', "")
    assert codes(verdict(guarded(view_of(no_lead + check())), EX + "check", EX + "report")) == ["verdict.timing-unknown"]


def test_every_reason_against_a_control_is_given_not_only_the_first(view_of):
    body = GUARDED + check(operator="ex:v", notifies="ex:auditor", latency="P6M")
    found = verdict(guarded(view_of(body)), EX + "check", EX + "report")
    assert codes(found) == ["verdict.not-independent", "verdict.tells-nobody", "verdict.too-late"]


def test_a_preventive_control_counts_against_a_breakdown_only_when_it_rules_the_failure_out(view_of):
    plain = verdict(guarded(view_of(GUARDED + check(kind="PreventiveControl"))), EX + "check", EX + "report")
    assert (plain.counts, codes(plain)) == (False, ["verdict.preventive-does-not-rule-out"])
    ruling = GUARDED + check(kind="PreventiveControl", extra=" ; cm:rulesOutLeak true")
    assert verdict(guarded(view_of(ruling)), EX + "check", EX + "report").counts


def test_a_control_on_a_duty_is_judged_against_the_duty_s_task(view_of):
    harm = guarded(view_of(GUARDED + check(covers="ex:exclude", notifies="ex:o")))
    assert verdict(harm, EX + "check", EX + "exclude").counts
    assert not harm_occurs(harm, {EX + "exclude"})


def test_a_detective_control_never_counts_against_an_exposure(view_of):
    body = DEVICE + "ex:auditor a cm:Organisation .\n" + check(covers="ex:laptop", notifies="ex:p")
    (harm,) = [h for h in harms(view_of(body)) if h.kind == "device-exposure"]
    found = verdict(harm, EX + "check", EX + "laptop")
    assert (found.counts, codes(found)) == (False, ["verdict.detects-after-exposure"])
    assert harm_occurs(harm, {EX + "laptop"})


def test_a_preventive_control_counts_against_an_exposure_only_when_it_rules_a_leak_out(view_of):
    base = DEVICE + "ex:auditor a cm:Organisation .\n"
    plain = base + check(kind="PreventiveControl", covers="ex:laptop", notifies=None, latency=None)
    (harm,) = [h for h in harms(view_of(plain)) if h.kind == "device-exposure"]
    assert codes(verdict(harm, EX + "check", EX + "laptop")) == ["verdict.does-not-rule-out"]
    ruling = base + check(kind="PreventiveControl", covers="ex:laptop", notifies=None, latency=None,
                          extra=" ; cm:rulesOutLeak true")
    (harm,) = [h for h in harms(view_of(ruling)) if h.kind == "device-exposure"]
    assert verdict(harm, EX + "check", EX + "laptop").counts
    assert not harm_occurs(harm, {EX + "laptop"}) and harm_occurs(harm, {EX + "laptop", EX + "check"})


def test_a_stated_limitation_is_the_reason_in_every_language_given(view_of):
    body = DEVICE + "ex:auditor a cm:Organisation .\n" + check(
        kind="PreventiveControl", covers="ex:laptop", notifies=None, latency=None,
        extra=' ; cm:limitation "the password is on a sticker"@en , "パスワードが付箋に書いてある"@ja')
    (harm,) = [h for h in harms(view_of(body)) if h.kind == "device-exposure"]
    (reason,) = verdict(harm, EX + "check", EX + "laptop").reasons
    assert reason.key == "verdict.does-not-rule-out-because"
    assert reason.values == (("limitation", ("texts", (("en", "the password is on a sticker"),
                                                       ("ja", "パスワードが付箋に書いてある")))),)
    assert hash(reason)  # a Said, and so a leak, can be hashed


def test_a_leak_can_be_hashed(case_a_view):
    from chainmodel.leaks import single_points_of_failure

    leaks = single_points_of_failure(case_a_view)
    assert len({hash(leak) for leak in leaks}) == len(leaks)


def test_a_control_on_the_device_is_judged_for_the_copies_on_it_too(view_of):
    body = DEVICE + "ex:auditor a cm:Organisation .\n" + check(
        kind="PreventiveControl", covers="ex:laptop", notifies=None, latency=None, extra=" ; cm:rulesOutLeak true")
    (harm,) = [h for h in harms(view_of(body)) if h.kind == "copy-exposure"]
    assert verdict(harm, EX + "check", EX + "copy").counts


def test_every_reason_code_is_a_catalogue_entry_with_the_placeholders_its_values_fill(view_of, case_a_view,
                                                                                    case_b_view):
    bodies = [GUARDED + check(operator="ex:v", notifies="ex:auditor", latency="P6M"),
              GUARDED + check(latency=None), GUARDED + check(kind="PreventiveControl"),
              DEVICE + "ex:auditor a cm:Organisation .\n" + check(covers="ex:laptop")]
    views = [view_of(body) for body in bodies] + [case_a_view, case_b_view]
    reasons = [r for view in views for h in harms(view) for v in h.verdicts for r in v.reasons]
    assert {r.key for r in reasons} >= {"verdict.not-independent", "verdict.tells-nobody", "verdict.too-late",
                                        "verdict.timing-unknown", "verdict.preventive-does-not-rule-out",
                                        "verdict.detects-after-exposure"}
    for reason in reasons:
        assert has(reason.key), reason.key
        for lang in ("en", "ja"):
            assert placeholders(reason.key, lang) == {name for name, _ in reason.values}, (reason.key, lang)


def test_case_a_laptop_is_one_device_harm_with_both_datasets(case_a_view):
    (laptop,) = [h for h in harms(case_a_view) if h.kind == "device-exposure"]
    assert laptop.key == A + "laptop"
    assert laptop.exposed_assets == (A + "applicant-records", A + "kenshin-navi-addresses")
