"""Golden facts of the two founding cases (shared seeds, FACTS.md), through the API and the CLI."""

import json

import pytest
from inline import answer
from click.testing import CliRunner

from chainmodel.blast import blast_radius
from chainmodel.cli import cli
from chainmodel.leaks import single_points_of_failure
from chainmodel.model import load_model
from chainmodel.trace import trace_duty
from chainmodel.views import chain_view
from inline import A, B, CM, RULE


def run(*args):
    result = CliRunner().invoke(cli, list(args))
    return result


def test_case_b_optout_chain_through_three_tiers_is_traced_and_flagged_twice():
    result = run("trace", "examples/case-b-optout", "--duty", "accepting and reporting opt-out requests", "--format", "json")
    assert result.exit_code == 0, result.output
    (trace,) = answer(result.output)["traces"]
    assert trace["duty"]["iri"] == B + "duty-optout"
    assert trace["accountable"]["iri"] == B + "hospital"
    assert trace["flags"]["entrusted_more_than_once"] is True
    assert trace["flags"]["no_performer"] is False
    longest = trace["chains"][0]
    hops = [(link["consignor"]["iri"], link["consignee"]["iri"], link["tier"]) for link in longest["links"]]
    assert hops == [
        (B + "hospital", B + "consignee-jmimo", 1),
        (B + "consignee-jmimo", B + "consignee-ldi", 2),
        (B + "consignee-ldi", B + "nttdata", 3),
    ]
    assert longest["performer"]["iri"] == B + "nttdata"
    assert [s["iri"] for s in longest["supervisors"]] == [B + "hospital", B + "consignee-jmimo", B + "consignee-ldi"]
    assert longest["links"][1]["consignee"]["organisation"]["iri"] == B + "ldi"
    assert longest["links"][2]["consignee"]["label"] == {"en": "NTT DATA", "ja": "株式会社NTTデータ"}
    other = trace["chains"][1]
    assert [(l["consignee"]["iri"], l["tier"]) for l in other["links"]] == [(B + "consignee-ldi", 1), (B + "nttdata", 2)]


def test_case_b_trace_accepts_japanese_label_and_prefixed_name():
    by_ja = run("trace", "examples/case-b-optout", "--duty", "提供停止・削除の求めの受付・報告業務", "--format", "json")
    by_name = run("trace", "examples/case-b-optout", "--duty", "b:duty-optout", "--format", "json")
    assert by_ja.exit_code == by_name.exit_code == 0
    assert by_ja.output == by_name.output


def test_case_b_principal_filter_keeps_only_that_principals_chains(case_b_view):
    kept = trace_duty(case_b_view, B + "duty-optout", principal=B + "hospital")
    assert len(kept.chains) == 2
    assert trace_duty(case_b_view, B + "duty-optout", principal=B + "nttdata").chains == ()


def test_optout_report_is_single_point_of_failure(case_b_view):
    leaks = {leak.element: leak for leak in single_points_of_failure(case_b_view)}
    report = leaks[B + "h-report-nttdata-ldi"]
    assert report.harm_kind == "guarded-provision"
    assert report.flow == B + "h-jmimo-producer"
    assert {CM + "Omission", CM + "WrongContent"} <= set(report.modes)
    assert report.operators == (B + "nttdata",)
    assert report.accountable == (B + "hospital",)
    assert [step.element for step in report.path] == [
        B + "h-report-nttdata-ldi",
        B + "h-report-ldi-jmimo",
        B + "duty-exclusion",
        B + "h-jmimo-producer",
        B + "h-producer-users",
    ]
    assert report.reached == (B + "producer-jmimo", B + "users")
    assert report.exposure.subjects == 1
    assert {p.principal: p.people.count.figure for p in report.exposure.principals} == {B + "hospital": 1}
    (uncaught,) = report.uncaught_by
    assert uncaught.control == B + "control-nttdata-self-check"
    assert [reason.key for reason in uncaught.reasons] == [
        "verdict.not-independent", "verdict.tells-nobody", "verdict.too-late"]
    too_late = uncaught.reasons[2]
    assert (too_late.value("latency"), too_late.value("lead_time")) == (("duration", "P7M"), ("duration", "P3M"))


def test_case_b_no_control_as_built_catches_the_optout_failure_in_time(case_b_view):
    from chainmodel.failures import harms

    (guarded,) = [h for h in harms(case_b_view) if h.kind == "guarded-provision"]
    assert not any(verdict.counts for verdict in guarded.verdicts)


def test_laptop_loss_is_single_point_of_failure_exposing_both_datasets(case_a_view):
    (laptop,) = [leak for leak in single_points_of_failure(case_a_view) if leak.element == A + "laptop"]
    assert laptop.modes == (CM + "LossOrTheft",)
    assert laptop.operators == (A + "foundation",)
    by_asset = {item.asset: item for item in laptop.exposure.assets}
    assert by_asset[A + "applicant-records"].total.figure == 171472
    assert {s.principal: s.count.figure for s in by_asset[A + "applicant-records"].shares} == {A + "resonac": 5747}
    assert by_asset[A + "applicant-records"].unattributed.figure == 171472 - 5747
    assert by_asset[A + "kenshin-navi-addresses"].total.figure == 10202
    people = laptop.exposure.people.count  # two figures, not a sum: the notice does not say how they overlap
    assert (people.low, people.high, people.exact) == (171472, 171472 + 10202, False)
    assert laptop.exposure.people.union.reasons == (
        ("overlap-unknown", (A + "applicant-records", A + "kenshin-navi-addresses")),)
    assert {p.principal: p.people.count.figure for p in laptop.exposure.principals} == {
        A + "resonac": 5747, A + "foundation": 10202}
    assert set(laptop.exposure.sensitive_categories) == {A + "cat-pregnancy", A + "cat-disability", A + "cat-result-values"}
    reasons = {v.control: v.reasons for v in laptop.uncaught_by}
    (fingerprint,) = reasons[A + "fingerprint"]
    assert fingerprint.key == "verdict.does-not-rule-out-because"
    assert "could not be examined" in dict(fingerprint.value("limitation")[1])["en"]
    assert "浸水" in dict(fingerprint.value("limitation")[1])["ja"]  # the model's own Japanese reaches a Japanese reader
    assert [r.key for r in reasons[A + "darkweb-investigation"]] == ["verdict.detects-after-exposure"]


def test_laptop_blast_radius_names_who_reports_to_whom(case_a_view):
    found = blast_radius(case_a_view, A + "laptop")
    duties = {(n.sender, n.recipient): n.rule for n in found.notifications}
    assert duties[(A + "foundation", A + "resonac")] == RULE + "consignee-notifies-consignor"
    assert duties[(A + "resonac", A + "ppc")] == RULE + "principal-reports-to-regulator"
    assert duties[(A + "foundation", A + "ppc")] == RULE + "principal-reports-to-regulator"
    assert (A + "resonac", A + "kenshin-navi-users") not in duties  # Resonac has none of the 10,202
    assert found.chains == ((A + "c-resonac-foundation",),)


def test_blast_cli_json_for_the_laptop():
    result = run("blast", "examples/case-a-laptop", "--element", "portable laptop", "--format", "json")
    assert result.exit_code == 0, result.output
    (found,) = answer(result.output)["blast"]["entries"]
    assert found["exposure"]["subjects"] is None
    people = found["exposure"]["people"]["count"]
    assert (people["at_least"], people["at_most"], people["exact"]) == (171472, 181674, False)
    rules = {(d["from"]["iri"], d["to"]["iri"]): [s["citation"]["en"] for s in d["sources"]]
             for d in found["reporting_duties"]}
    assert rules[(A + "resonac", A + "ppc")] == ["APPI Art. 26(1)", "PPC Rules Art. 7(i)", "PPC Rules Art. 7(iv)"]
    assert rules[(A + "foundation", A + "resonac")] == ["APPI Art. 26(1) proviso; PPC Rules Art. 9"]


def test_describe_case_a_counts_match_the_notice():
    result = run("describe", "examples/case-a-laptop", "--format", "json")
    summary = answer(result.output)["summary"]
    assets = {a["iri"]: a for a in summary["data_assets"]}
    assert assets[A + "applicant-records"]["subjects"] == 171472
    assert assets[A + "applicant-records"]["per_principal"][0]["subjects"] == 5747
    assert assets[A + "kenshin-navi-addresses"]["subjects"] == 10202
    assert assets[A + "applicant-records"]["copies"][0]["portable"] is True
    assert [p["iri"] for p in summary["parties_by_capacity"]["principal"]] == [A + "resonac"]


def test_describe_case_b_tiers():
    summary = answer(run("describe", "examples/case-b-optout", "--format", "json").output)["summary"]
    tiers = {tier: sorted(c["iri"] for c in items) for tier, items in summary["consignments_by_tier"].items()}
    assert tiers == {
        "1": [B + "c-hospital-jmimo", B + "c-hospital-ldi"],
        "2": [B + "c-jmimo-ldi", B + "c-ldi-nttdata"],
        "3": [B + "c-ldi-nttdata-for-jmimo"],
    }


def test_case_b_exposure_window_from_events(case_b_view):
    began = [e.date for e in case_b_view.events.values() if e.kind == "exposure-began"]
    detected = [e.date for e in case_b_view.events.values() if e.kind == "detected"]
    assert (began, detected) == (["2025-04-25"], ["2025-08-04"])


@pytest.mark.parametrize("command", ["describe", "leaks", "cutsets", "trace"])
@pytest.mark.parametrize("case", ["examples/case-a-laptop", "examples/case-b-optout"])
def test_output_is_byte_identical_run_to_run(command, case):
    first = run(command, case, "--format", "json")
    second = run(command, case, "--format", "json")
    assert first.exit_code == 0, first.output
    assert first.output == second.output


def test_a_guard_nothing_reports_to_leaks_with_no_failure(tmp_path):
    text = open("examples/case-b-optout/model.ttl", encoding="utf-8").read()
    start = text.index("b:h-report-ldi-jmimo a cm:Report")
    end = text.index("\n\n", start)
    path = tmp_path / "model.ttl"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    leaks = single_points_of_failure(chain_view(load_model([path])))
    first = leaks[0]
    assert first.no_failure_needed
    assert first.element == B + "h-jmimo-producer"
    assert first.reached == (B + "producer-jmimo", B + "users")
    assert not any(leak.element == B + "h-report-nttdata-ldi" for leak in leaks)
