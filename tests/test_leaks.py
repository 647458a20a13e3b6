"""Single points of failure (chainmodel.leaks).

Pinned here: each order-1 cut set of a harm whose element fails in the way the harm needs
is a leak, with its element, modes, operators, accountable parties, path step by step,
parties reached, exposure and the controls that do not catch it; a harm that needs no
failure comes first as ``no_failure_needed``; leaks are sorted most exposed first, then
by harm kind, provision and element; ``duty`` keeps the harms a duty takes part in.
"""

from __future__ import annotations

import pytest

from hypothesis import given

from chainmodel.cutsets import minimal_cut_sets
from chainmodel.failures import FINDER, UNINTENDED, harm_occurs, harms
from chainmodel.errors import UnknownReference
from chainmodel.leaks import leak_for, single_points_of_failure, unavoidable_leak
from inline import CM, EX, ex, hypothesis_with_view_of
from test_cutsets import random_models
from test_failures import DEVICE, GUARDED, check

FLOW = EX + "flow"


def by_element(leaks, kind: str = "guarded-provision") -> dict:
    return {leak.element: leak for leak in leaks if leak.harm_kind == kind}


def roles(leak) -> list[tuple[str, str]]:
    return [(step.element, step.role) for step in leak.path]


def test_each_element_on_the_guarded_path_is_a_leak_with_its_breaking_modes(view_of):
    found = by_element(single_points_of_failure(view_of(GUARDED)))
    assert sorted(found) == list(ex("exclude", "optout", "report"))
    report = found[EX + "report"]
    assert report.modes == tuple(CM + m for m in ("Late", "Misdirection", "Omission", "WrongContent"))
    assert (report.element_kind, report.operators, report.accountable) == ("hand-off", ex("v"), ex("p"))
    assert (report.flow, report.guard, report.duties) == (FLOW, EX + "exclude", ex("exclude", "optout"))
    assert report.reached == ex("o", "u")
    assert not report.no_failure_needed
    assert found[EX + "optout"].modes == (CM + "NotPerformed",)


def test_a_leak_path_runs_from_the_failure_through_the_guard_down_the_provisions(view_of):
    found = by_element(single_points_of_failure(view_of(GUARDED)))
    assert roles(found[EX + "optout"]) == [
        (EX + "optout", "fails"), (EX + "report", "passes-the-failure-on"), (EX + "exclude", "cannot-be-performed"),
        (FLOW, "carries-protected-data"), (EX + "onward", "carries-it-on")]
    assert roles(found[EX + "exclude"]) == [
        (EX + "exclude", "fails"), (FLOW, "carries-protected-data"), (EX + "onward", "carries-it-on")]
    steps = {step.element: step for step in found[EX + "optout"].path}
    assert (steps[EX + "report"].kind, steps[EX + "report"].sender, steps[EX + "report"].receiver) == (
        "report", EX + "v", EX + "s")
    assert (steps[EX + "optout"].kind, steps[EX + "optout"].sender, steps[EX + "optout"].receiver) == (
        "task", EX + "v", None)
    assert (steps[FLOW].kind, steps[FLOW].sender, steps[FLOW].receiver) == ("data-provision", EX + "s", EX + "o")


def test_the_exposure_of_a_guarded_leak_is_the_protected_data_only(view_of):
    leak = by_element(single_points_of_failure(view_of(GUARDED)))[EX + "report"]
    assert [item.asset for item in leak.exposure.assets] == [EX + "opted"]
    assert (leak.exposure.people.count.low, leak.exposure.people.count.high) == (5, 5)


def test_an_element_a_timely_check_catches_is_no_leak_and_one_it_misses_names_the_check(view_of):
    caught = by_element(single_points_of_failure(view_of(GUARDED + check())))
    assert sorted(caught) == list(ex("exclude", "optout"))
    missed = by_element(single_points_of_failure(view_of(GUARDED + check(latency="P2M"))))
    (verdict,) = missed[EX + "report"].uncaught_by
    assert (verdict.control, verdict.element, verdict.counts) == (EX + "check", EX + "report", False)
    assert [r.key for r in verdict.reasons] == ["verdict.too-late"]
    assert missed[EX + "optout"].uncaught_by == ()  # the check covers the report only


def test_a_device_leak_exposes_what_it_holds_to_whoever_finds_it(view_of):
    (leak,) = single_points_of_failure(view_of(DEVICE.replace(
        "ex:copy a cm:DataCopy ; cm:copyOf ex:records ; cm:storedOn ex:laptop .",
        "ex:copy a cm:DataCopy ; cm:copyOf ex:records ; cm:storedOn ex:laptop ; cm:failureMode cm:Omission .")))
    assert (leak.element, leak.element_kind, leak.harm_kind) == (EX + "laptop", "device", "device-exposure")
    assert (leak.modes, leak.operators, leak.reached) == ((CM + "LossOrTheft",), ex("holder"), (FINDER,))
    assert [(s.element, s.kind, s.sender, s.receiver, s.role) for s in leak.path] == [
        (EX + "laptop", "device", EX + "holder", None, "fails"),
        (EX + "laptop", "exposure", EX + "holder", FINDER, "exposes-what-it-holds")]
    assert leak.exposure.subjects == 40


def test_a_misdirected_provision_reaches_an_unintended_recipient_not_its_sender(view_of):
    leaks = single_points_of_failure(view_of(GUARDED))
    onward = by_element(leaks, "misdirected-data")[EX + "onward"]
    assert (onward.flow, onward.guard, onward.reached, onward.modes) == (
        EX + "onward", None, (UNINTENDED,), (CM + "MisdirectedData",))


def test_an_element_whose_modes_cannot_cause_the_harm_is_no_leak(view_of):
    body = GUARDED.replace("ex:report a cm:Report ;", "ex:report a cm:Report ; cm:failureMode cm:MisdirectedData ;")
    view = view_of(body)
    (harm,) = [h for h in harms(view) if h.kind == "guarded-provision"]
    assert (EX + "report",) in minimal_cut_sets(harm, 1)  # a cut, but nothing it can do breaks the report
    assert EX + "report" not in by_element(single_points_of_failure(view))


def test_a_harm_that_needs_no_failure_comes_first_naming_the_provision(view_of):
    body = GUARDED.replace("ex:report a cm:Report ; cm:sender ex:v ; cm:receiver ex:s ; cm:serves ex:optout .\n", "")
    leaks = single_points_of_failure(view_of(body))
    first = leaks[0]
    assert first.no_failure_needed and not any(leak.no_failure_needed for leak in leaks[1:])
    assert (first.element, first.element_kind, first.harm_kind) == (FLOW, "structure", "guarded-provision")
    assert (first.modes, first.operators, first.uncaught_by) == ((), (), ())
    assert roles(first) == [(FLOW, "carries-protected-data-always"), (EX + "onward", "carries-it-on")]
    assert first.reached == ex("o", "u")
    assert all(leak.harm_kind != "guarded-provision" for leak in leaks[1:])  # no single point on top of it


def test_unavoidable_leak_and_leak_for_build_the_same_records_the_search_reports(view_of):
    view = view_of(GUARDED)
    (harm,) = [h for h in harms(view) if h.kind == "guarded-provision"]
    assert leak_for(view, harm, EX + "report") == by_element(single_points_of_failure(view))[EX + "report"]
    assert unavoidable_leak(view, harm).element == FLOW


def test_leaks_are_sorted_most_exposed_first_then_by_kind_provision_and_element(view_of):
    leaks = single_points_of_failure(view_of(GUARDED))
    assert [(leak.harm_kind, leak.element) for leak in leaks] == [
        ("misdirected-data", FLOW), ("misdirected-data", EX + "onward"),  # 100 people each
        ("guarded-provision", EX + "exclude"), ("guarded-provision", EX + "optout"),  # 5 people each
        ("guarded-provision", EX + "report")]
    assert [leak.exposure.rank_key for leak in leaks] == sorted(leak.exposure.rank_key for leak in leaks)


def test_equal_exposure_is_ordered_by_harm_kind_guarded_first(view_of):
    body = GUARDED.replace("cm:subjectCount 5 ;", "cm:subjectCount 100 ;")
    kinds = [leak.harm_kind for leak in single_points_of_failure(view_of(body))]
    assert kinds == ["guarded-provision"] * 3 + ["misdirected-data"] * 2


def test_the_duty_filter_keeps_the_harms_the_duty_takes_part_in(view_of):
    view = view_of(GUARDED)
    for duty in ex("exclude", "optout"):
        assert [leak.element for leak in single_points_of_failure(view, duty)] == list(ex("exclude", "optout", "report"))
    with pytest.raises(UnknownReference, match="report is not a duty"):  # a report is no duty
        single_points_of_failure(view, EX + "report")


# -- the invariant: order-1 cut sets and leaks agree ------------------------------------------


def harm_of(leak) -> str:
    return f"{leak.flow}|{leak.guard}" if leak.harm_kind == "guarded-provision" else leak.element


@hypothesis_with_view_of(40)
@given(random_models())
def test_every_order_one_cut_set_that_can_fail_so_is_a_reported_leak(view_of, drawn):
    text, _, _ = drawn
    view = view_of(text)
    leaks = single_points_of_failure(view)
    reported = {(harm_of(leak), leak.element) for leak in leaks if not leak.no_failure_needed}
    expected = set()
    for harm in harms(view):
        if harm_occurs(harm, frozenset()):
            assert any(leak.no_failure_needed and harm_of(leak) == harm.key for leak in leaks)
            continue
        effect = CM + ("Exposes" if harm.kind != "guarded-provision" else "Breaks")
        for cut in minimal_cut_sets(harm, 1):
            (event,) = cut
            if any(view.failure_modes[m].effect == effect for m in harm.elements[event].modes):
                expected.add((harm.key, event))
    assert reported == expected
