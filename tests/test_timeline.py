"""Issue 14: the timeline: exposure windows, knowledge, reporting deadlines (PPC Rules Art. 8),
the window each detective control would have left, and what-if sees time."""

import json
from datetime import date

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from chainmodel.catalogue import words
from chainmodel.cli import cli
from chainmodel.deadlines import due_day
from chainmodel.model import load_model
from chainmodel.timeline import timeline
from chainmodel.whatif import Scenario, compare

from inline import answer, A, B, EX, RULE, ex

CASE_A, CASE_B = A + "incident", B + "incident"


def test_case_a_window_runs_from_the_loss_to_the_recovery_not_to_the_finding(case_a_view):
    window = timeline(case_a_view, CASE_A).window
    assert (window.start.text, window.start_event) == ("2025-03-15", A + "e-lost")
    assert (window.end.text, window.end_event, window.end_reason) == ("2025-04-15", A + "e-recovered", "ended")
    assert window.days == (31, 31)  # found on 2025-03-17 by the police: still out of the Foundation's hands


def test_case_a_reports_against_ppc_rules_art_8_day_by_day(case_a_view):
    """FACTS.md: knew and reported (速報) on 2025-03-21; final report (確報) on 2025-05-15."""
    found = timeline(case_a_view, CASE_A)
    assert found.improper_purpose is None  # a loss; whether it was taken on purpose is not stated
    preliminary, final = found.reports
    assert (preliminary.report, preliminary.stage, preliminary.reporter) == (A + "e-preliminary-report", "preliminary",
                                                                             A + "foundation")
    assert preliminary.knowledge.when.text == "2025-03-21" and preliminary.knowledge.event == A + "e-aware"
    (prompt,) = preliminary.verdicts
    assert (prompt.deadline.due, prompt.status, prompt.day) == (date(2025, 3, 25), "met", 1)
    assert set(prompt.deadline.sources) == {RULE + "ppc-rules-8-1", RULE + "ppc-guidelines-3-5-3-3"}
    thirty, sixty = final.verdicts
    # 2025-03-21 is day 1, so day 30 is 2025-04-19; 2025-05-15 is day 56: 26 days late
    assert (thirty.deadline.period, thirty.deadline.condition, thirty.deadline.due) == ("P30D", "no-improper-purpose",
                                                                                       date(2025, 4, 19))
    assert (thirty.status, thirty.day, thirty.late_by) == ("missed", 56, 26)
    # with a possible improper purpose (PPC Rules Art. 7(iii)), day 60 is 2025-05-19: met
    assert (sixty.deadline.period, sixty.deadline.condition, sixty.deadline.due) == ("P60D", "improper-purpose",
                                                                                    date(2025, 5, 19))
    assert (sixty.status, sixty.day, sixty.late_by) == ("met", 56, None)
    assert thirty.deadline.rule == RULE + "final-report-deadline"
    assert set(thirty.deadline.sources) == {RULE + "ppc-rules-8-2", RULE + "ppc-guidelines-3-5-3-4"}


def test_case_b_window_is_computed_from_the_events(case_b_view):
    window = timeline(case_b_view, CASE_B).window
    assert (window.start.text, window.end.text) == ("2025-04-25", "2025-08-04")
    assert (window.start_event, window.end_event, window.end_reason) == (B + "e-exposure", B + "e-detected", "detected")
    assert window.days == (101, 101)


def test_case_b_knowledge_and_latency_of_each_party(case_b_view):
    known = {k.party: (k.when.text, k.how, k.latency) for k in timeline(case_b_view, CASE_B).knowledge}
    assert known == {
        B + "nttdata": ("2025-08-04", "detected", (101, 101)),
        B + "hospital": ("2025-08-05", "notified", (102, 102)),
        B + "cabinet-office": ("2025-08-06", "notified", (103, 103)),
        B + "ppc": ("2025-08-08", "notified", (105, 105)),
    }


def test_case_b_report_to_the_ppc_came_on_day_5(case_b_view):
    report = next(r for r in timeline(case_b_view, CASE_B).reports if r.recipients == (B + "ppc",))
    assert (report.stage, report.stage_stated, report.knowledge.when.text) == ("preliminary", False, "2025-08-04")
    (verdict,) = report.verdicts
    assert (verdict.deadline.due, verdict.status, verdict.day) == (date(2025, 8, 8), "met", 5)


def test_case_b_self_check_would_not_have_shortened_the_window(case_b_view):
    (control,) = timeline(case_b_view, CASE_B).controls
    assert (control.control, control.status, control.failure_assumed) == (B + "control-nttdata-self-check", "same", True)
    assert control.detects.first == date(2025, 11, 25)  # at the latest: the failure is not dated


def test_the_day_of_knowledge_counts_as_day_1():
    assert due_day(date(2025, 3, 21), "P1D") == date(2025, 3, 21)
    assert due_day(date(2025, 12, 20), "P30D") == date(2026, 1, 18)


COARSE = """
ex:co a cm:Organisation . ex:ppc a cm:Organisation , cm:Regulator .
ex:laptop a cm:Device ; cm:portable true ; cm:heldBy ex:co .
ex:incident a cm:Incident ; cm:concerns ex:laptop ; cm:failedWith cm:LossOrTheft ; cm:improperPurpose true ;
    cm:hasEvent ex:lost , ex:knew , ex:report , ex:final .
ex:lost a cm:ExposureBegan ; cm:date "2024-05-02"^^xsd:date ; cm:concerns ex:laptop .
ex:knew a cm:BecameAware ; cm:date "2024-05-03"^^xsd:date ; cm:actor ex:co .
ex:report a cm:PreliminaryReport ; cm:date "2024-05"^^xsd:gYearMonth ; cm:actor ex:co ; cm:notifiedTo ex:ppc .
ex:final a cm:FinalReport ; cm:date "2024-07-10"^^xsd:date ; cm:actor ex:co ; cm:notifiedTo ex:ppc .
"""


def test_a_month_cannot_be_judged_and_an_improper_purpose_gives_60_days(view_of):
    found = timeline(view_of(COARSE), EX + "incident")
    assert found.window.end is None and found.window.end_reason == "open"
    preliminary, final = found.reports
    assert [(v.status, v.reason) for v in preliminary.verdicts] == [("cannot-judge", "dates-too-coarse")]
    (sixty,) = final.verdicts
    assert (sixty.deadline.due, sixty.status, sixty.day) == (date(2024, 7, 1), "missed", 69)
    assert sixty.late_by == 9


def test_a_typed_report_that_names_no_recipient_went_to_the_regulator(view_of):
    """Regression: a cm:PreliminaryReport without cm:notifiedTo was not checked at all ("No
    report to a regulator is recorded"); a preliminary or final report goes to the regulator."""
    body = COARSE.replace(" ; cm:notifiedTo ex:ppc .", " .").replace("ex:ppc a cm:Organisation , cm:Regulator .", "")
    preliminary, final = timeline(view_of(body), EX + "incident").reports
    assert preliminary.recipients == final.recipients == ("urn:chainmodel:party:regulator-not-in-the-model",)
    (sixty,) = final.verdicts
    assert (sixty.deadline.due, sixty.status) == (date(2024, 7, 1), "missed")


def test_before_2022_a_business_had_no_deadline(view_of):
    found = timeline(view_of(COARSE.replace("2024-", "2019-")), EX + "incident")
    assert [(r.stage, r.verdicts, r.regime.mandatory) for r in found.reports] == [
        ("preliminary", (), False), ("final", (), False)]


BREAKING = """
ex:a a cm:Organisation . ex:b a cm:Organisation . ex:c a cm:Organisation .
ex:report a cm:Report ; cm:sender ex:a ; cm:receiver ex:b .
ex:incident a cm:Incident ; cm:concerns ex:report ; cm:failedWith cm:Omission ; cm:hasEvent ex:failed , ex:began , ex:found .
ex:failed a cm:Event ; cm:date "{failed}"^^xsd:date ; cm:concerns ex:report .
ex:began a cm:ExposureBegan ; cm:date "{began}"^^xsd:date .
ex:found a cm:Detected ; cm:date "{found}"^^xsd:date ; cm:actor ex:b .
"""
CHECK = 'ex:check a cm:DetectiveControl ; cm:operatedBy ex:c ; cm:covers ex:report ; cm:detectionLatency "P{days}D"^^xsd:duration .'


def _iso(day: date) -> str:
    return day.isoformat()


@settings(max_examples=25, deadline=None)
@given(st.dates(date(2023, 1, 1), date(2026, 1, 1)), st.integers(0, 200), st.integers(0, 200), st.integers(0, 400))
def test_a_window_never_starts_after_it_ends_and_a_control_never_lengthens_it(tmp_path_factory, failed, lag, length,
                                                                               latency):
    from chainmodel.views import chain_view

    began = date.fromordinal(failed.toordinal() + lag)
    found = date.fromordinal(began.toordinal() + length)
    body = BREAKING.format(failed=_iso(failed), began=_iso(began), found=_iso(found)) + CHECK.format(days=latency)
    path = tmp_path_factory.mktemp("t") / "m.ttl"
    from inline import PREFIXES

    path.write_text(PREFIXES + body, encoding="utf-8")
    result = timeline(chain_view(load_model([path])), EX + "incident")
    window = result.window
    assert window.start.first <= window.end.last and window.days == (length, length)
    (control,) = result.controls
    if control.status == "prevented":
        assert control.detects.last < began
    else:
        assert control.window.start == window.start and control.window.end.last <= window.end.last
        assert control.detects.first == date.fromordinal(failed.toordinal() + latency)


def test_the_timeline_command_in_json_and_in_japanese():
    runner = CliRunner()
    done = runner.invoke(cli, ["timeline", "examples/case-b-optout", "--format", "json"])
    assert done.exit_code == 0, done.output
    (data,) = answer(done.output)["incidents"]
    assert (data["exposure_window"]["start"]["text"], data["exposure_window"]["end"]["text"]) == ("2025-04-25",
                                                                                                  "2025-08-04")
    done = runner.invoke(cli, ["timeline", "examples/case-a-laptop", "--incident", "a:incident", "--lang", "ja"])
    assert done.exit_code == 0, done.output
    assert "確報 30日以内（不正の目的のおそれがない場合）：期限2025-04-19。26日超過（56日目）" in done.output
    english = {entry["en"] for key, entry in words().items() if key.startswith("timeline.") and "{" not in entry["en"]
               and len(entry["en"]) > 3}
    assert not [phrase for phrase in english if phrase in done.output]


def test_an_unknown_incident_is_a_clear_error_with_exit_2():
    done = CliRunner().invoke(cli, ["timeline", "examples/case-b-optout", "--incident", "no-such-incident"])
    assert done.exit_code == 2 and "no-such-incident" in done.output and "b:incident" in done.output
    assert "Traceback" not in done.output


def test_whatif_shows_the_window_a_new_detective_control_would_leave(case_b_view):
    scenario = Scenario.from_text("""PREFIX cm: <https://w3id.org/chainmodel#>
PREFIX b: <https://example.org/chainmodel/case-b#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
INSERT DATA { b:monthly-check a cm:DetectiveControl ; cm:operatedBy b:consignee-jmimo ;
  cm:covers b:h-report-nttdata-ldi ; cm:detectionLatency "P1M"^^xsd:duration . }
""", label="monthly check")
    (diff,) = compare(case_b_view.model, [scenario], validation=False).scenarios  # compare changes a copy
    assert diff.window_changes == [(CASE_B, B + "monthly-check", None, ("2025-04-25", "2025-05-25"))]


def test_whatif_removing_a_copy_ends_the_harms_it_caused(case_a_view):
    model = case_a_view.model  # compare changes a copy
    scenario = Scenario.from_text("""PREFIX a: <https://example.org/chainmodel/case-a#>
DELETE WHERE { a:backup-addresses ?p ?o }
""", label="no address backup")
    (diff,) = compare(model, [scenario], validation=False).scenarios
    assert diff.harms_ended == [A + "backup-addresses"]


def test_whatif_add_check_takes_its_latency_from_the_command_line():
    """Regression: `--add-check` always detected at once (P0D); another latency needed a file."""
    from click.testing import CliRunner

    from chainmodel.cli import cli

    args = ["whatif", "examples/case-b-optout", "--add-check", "NTT DATA's monthly opt-out report to consignee LDI",
            "consignee LDI", "--lang", "en"]
    monthly = CliRunner().invoke(cli, args + ["--check-latency", "P1M"])
    assert monthly.exit_code == 0 and "(no such control) -> 2025-04-25 to 2025-05-25" in monthly.output
    wrong = CliRunner().invoke(cli, args + ["--check-latency", "soon"])
    assert wrong.exit_code == 2 and "latency 'soon' is not an xsd:duration such as P1M or P0D" in wrong.output


def test_an_incident_asked_of_a_model_without_any_says_so():
    """Review: the message ended "known: " with nothing after it."""
    from click.testing import CliRunner

    from chainmodel.cli import cli

    result = CliRunner().invoke(cli, ["timeline", "examples/illustrative-usb", "--incident", "foo"])
    assert result.exit_code == 2
    assert ("no incident named 'foo' in the model; the model has no incident at all (see chainmodel describe for "
            "what it has)") in result.output
