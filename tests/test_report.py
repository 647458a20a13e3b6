"""The audit report and the diagram's data as an auditor reads them (issue 13, items 1 and 4; issue 15, items 3 and 4).

Every fact asserted here comes from the founding cases' notices (../shared/seeds/FACTS.md)
or from the files themselves (a SHA-256 is computed here and compared).
"""

from __future__ import annotations

import hashlib
import json
import re
import string
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal
from rdflib.namespace import RDFS

from inline import answer
from chainmodel.catalogue import words
from chainmodel.cli import cli
from chainmodel.diagram import svg
from chainmodel.dossier import diagram_data, input_files, report_data
from chainmodel.model import load_model, ontology_graph, rules_graph
from chainmodel.overview import GROUP_MAX
from chainmodel.report import _md_text, render_html, render_markdown
from chainmodel.timeline_text import render as timeline_text
from chainmodel.views import chain_view

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ["case-a-laptop", "case-b-optout", "illustrative-usb"]
EPOCH = "1767225600"  # 2026-01-01


@pytest.fixture(autouse=True)
def fixed_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.fixture(scope="module")
def views():
    return {name: chain_view(load_model([ROOT / "examples" / name])) for name in EXAMPLES}


@pytest.fixture(scope="module")
def reports(views):
    import os

    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        return {(name, lang): report_data(view, lang, workers=1) for name, view in views.items() for lang in ("en", "ja")}
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


# -- no English in Japanese ------------------------------------------------------------------------------


def english_phrases() -> set[str]:
    """The fixed parts of every English entry that the Japanese entry does not share, of two words or more."""
    found = set()
    for entry in words().values():
        forms = entry["en"].values() if isinstance(entry["en"], dict) else [entry["en"]]
        japanese = json.dumps(entry.get("ja"), ensure_ascii=False)
        for form in forms:
            for literal, *_ in string.Formatter().parse(form):
                for part in re.split(r"[:;()\[\]{}.,!?\"'’]+", literal or ""):
                    part = part.strip(" -")
                    if " " in part and len(part) >= 6 and re.search(r"[a-z]{3}", part) and part not in japanese:
                        found.add(part)
    return found


def model_names(view) -> list[str]:
    """Every label of the model, the ontology and the rules, and every IRI: names, which may be English."""
    found = {str(o) for g in (view.model.graph, ontology_graph(), rules_graph()) for o in g.objects(None, RDFS.label)
             if isinstance(o, Literal)}
    found |= {str(s) for s in view.model.graph.subjects()} | {str(o) for o in view.model.graph.objects()}
    found |= {"chainmodel", "cm:rulesOutLeak", "cm:detectionLatency", "cm:leadTime"}
    return sorted(found, key=len, reverse=True)


def without_names(text: str, names: list[str]) -> str:
    for name in names:
        if len(name) > 2:
            text = text.replace(name, " ")
    return text


@pytest.mark.parametrize("example", EXAMPLES)
def test_japanese_report_and_diagram_hold_no_english_phrase(views, reports, example):
    view = views[example]
    data = reports[(example, "ja")]
    drawing = diagram_data(view, lang="ja")
    failure = next(iter(sorted(set(view.devices) | set(view.handoffs))), None)
    highlighted = diagram_data(view, lang="ja", failure=failure) if failure else drawing
    texts = [render_markdown(data, "d.html"), re.sub(r"<[^>]+>", " ", render_html(data, None)),
             json.dumps([drawing["nodes"], drawing["edges"], drawing["legend"], drawing["text"],
                         highlighted["summary"], highlighted["nodes"]], ensure_ascii=False)]
    names = model_names(view)
    phrases = english_phrases()
    assert len(phrases) > 200  # the check has teeth: the catalogue's English is there to be found
    for text in texts:
        text = without_names(text, names)
        found = sorted(p for p in phrases if re.search(rf"(?<![A-Za-z]){re.escape(p)}(?![A-Za-z])", text))
        assert found == [], found


def test_the_english_report_does_say_the_english_phrases(reports):
    text = render_markdown(reports[("case-b-optout", "en")], "d.html")
    assert "too late: detects within 7 months, but the guarded provision follows within 3 months" in text
    assert "not independent: operated by the same organisation that operates the element it checks" in text


# -- the title block ---------------------------------------------------------------------------------------


def test_title_block_names_date_version_language_and_every_input_with_its_digest(reports):
    data = reports[("case-a-laptop", "ja")]
    digest = hashlib.sha256((ROOT / "examples/case-a-laptop/model.ttl").read_bytes()).hexdigest()
    assert data["title"]["inputs"] == [{"name": "model.ttl", "sha256": digest}]
    text = render_markdown(data)
    assert "| 作成日 | 2026-01-01 |" in text and "| 言語 | 日本語 |" in text
    assert f"| `model.ttl` | `{digest}` |" in text
    assert re.search(r"\| ツール \| chainmodel \d+\.\d+", text)
    assert "| 検証 | モデルは適合していない（エラーの指摘あり） |" in text  # case A: sensitive data on a laptop


def test_inputs_in_two_folders_are_named_apart_and_never_by_a_full_path():
    found = input_files(("examples/case-a-laptop/model.ttl", "examples/case-b-optout/model.ttl"))
    assert [f["name"] for f in found] == ["case-a-laptop/model.ttl", "case-b-optout/model.ttl"]


def test_the_date_comes_from_source_date_epoch_then_the_option(views, monkeypatch):
    assert report_data(views["case-b-optout"], date="1999-12-31", workers=1)["title"]["date"] == "2026-01-01"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert report_data(views["case-b-optout"], date="2025-08-04", workers=1)["title"]["date"] == "2025-08-04"


def test_same_model_and_date_give_the_same_bytes(views, reports):
    again = report_data(chain_view(load_model([ROOT / "examples/case-b-optout"])), "ja", workers=1)
    drawing = diagram_data(views["case-b-optout"], lang="ja")
    assert render_html(again, drawing) == render_html(reports[("case-b-optout", "ja")], drawing)
    assert render_markdown(again, "x.html") == render_markdown(reports[("case-b-optout", "ja")], "x.html")


# -- order and content ----------------------------------------------------------------------------------------


def test_findings_and_single_points_come_before_the_inventory(reports):
    text = render_markdown(reports[("case-a-laptop", "en")])
    order = [text.index(f"## {heading}") for heading in
             ("Summary", "Validation findings", "Single points of failure", "Blast radius ranking", "Reporting duties",
              "Timeline of incidents", "Responsibility chains", "What the model holds", "Diagram")]
    assert order == sorted(order)


def test_summary_counts_case_a(reports):
    text = render_markdown(reports[("case-a-laptop", "ja")])
    summary = text.split("## 概要")[1].split("##")[0]
    assert "単一障害点5件" in summary and "171,472人以上181,674人以下" in summary and "エラー1件" in summary


def test_reporting_duties_name_regime_and_articles_case_a(reports):
    text = render_markdown(reports[("case-a-laptop", "en")])
    duties = text.split("## Reporting duties")[1].split("## Timeline")[0]
    laptop = duties.split("### If portable laptop is compromised")[1]
    assert "Resonac Health Insurance Association: reportable; APPI breach reporting by businesses" in laptop
    assert "APPI Art. 26(1) proviso" in laptop and "PPC Rules Art. 9" in laptop


def test_the_timeline_section_carries_every_line_of_the_timeline(reports):
    data = reports[("case-b-optout", "en")]
    text = render_markdown(data)
    section = text.split("## Timeline of incidents")[1].split("## Responsibility chains")[0]
    for timeline in data["timelines"]:
        for line in timeline_text(timeline, "en").splitlines():
            assert _md_text(line.strip()) in section, line
    assert "from 2025-04-25 to 2025-08-04 (101 days)" in section  # case B's window, computed from its events


def test_case_a_final_report_is_placed_against_both_deadlines(reports):
    section = render_markdown(reports[("case-a-laptop", "ja")]).split("## 事案の時系列")[1]
    assert "期限2025-04-19。26日超過（56日目）" in section  # 30 days: missed by 26
    assert "期限2025-05-19。期限内（56日目）" in section  # 60 days, a possible improper purpose: met


# -- the picture -------------------------------------------------------------------------------------------------


def test_the_svg_draws_every_node_where_the_page_does(views):
    data = diagram_data(views["case-b-optout"], lang="ja")
    picture = svg(data)
    assert picture.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    titles = re.findall(r"<g><title>(.*?)</title>", picture)
    assert sorted(titles) == sorted(node["label"] for node in data["nodes"])
    for node in data["nodes"]:
        assert f'<tspan x="{node["x"]}"' in picture


def test_the_printed_report_holds_the_picture(views, reports):
    drawing = diagram_data(views["case-b-optout"], lang="ja")
    page = render_html(reports[("case-b-optout", "ja")], drawing)
    printed = page.split('<div class="print-only picture">')[1]
    assert svg(drawing, standalone=False) in printed
    assert "@page{size:A4" in page and "overflow-wrap:anywhere" in page


def test_names_sort_naturally(view_of):
    view = view_of("".join(f'ex:p{n} a cm:Organisation , cm:Principal ; rdfs:label "principal {n}"@en .\n'
                           for n in (1739, 182, 2, 1741)))
    nodes = sorted(diagram_data(view)["nodes"], key=lambda node: node["x"])
    assert [node["label"] for node in nodes] == ["principal 2", "principal 182", "principal 1739", "principal 1741"]


def test_the_panel_says_the_step_effect_in_words(views):
    data = diagram_data(views["case-b-optout"], lang="ja", failure="https://example.org/chainmodel/case-b#h-report-nttdata-ldi")
    edge = next(e for e in data["edges"] if e["id"].endswith("#h-report-nttdata-ldi"))
    assert "障害における役割：失敗する" in edge["title"] and "fails" not in edge["title"]
    assert "頻度：1か月ごと" in edge["title"]


# -- a portfolio -----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory):
    folder = tmp_path_factory.mktemp("portfolio")
    assert CliRunner().invoke(cli, ["generate", "--principals", "300", "--seed", "0", "-o", str(folder / "m.nt")]).exit_code == 0
    return folder, chain_view(load_model([folder / "m.nt"]))


def test_a_portfolio_diagram_opens_on_groups_that_hold_every_principal_once(portfolio):
    _, view = portfolio
    data = diagram_data(view)
    assert data["meta"]["mode"] == "portfolio"
    overview = data["overview"]
    assert len(overview["nodes"]) <= 300 and len(overview["edges"]) <= 1000
    groups = [n for n in overview["nodes"] if n["id"].startswith("group:principals:")]
    assert len(groups) <= GROUP_MAX + 1
    principals = {iri for iri, party in view.parties.items() if "principal" in party.roles}
    counted = sum(int(re.search(r"\d[\d,]*", g["label"]).group().replace(",", "")) for g in groups)
    assert counted == len(principals)
    for group in data["groups"].values():
        assert len(group["nodes"]) <= 250 and len(group["edges"]) <= 600


def test_small_models_keep_the_single_case_view(views):
    assert diagram_data(views["case-a-laptop"])["meta"]["mode"] == "case"


def test_a_portfolio_report_summarises_and_writes_the_detail_beside_it(portfolio, monkeypatch):
    folder, view = portfolio
    target = folder / "report.html"
    result = CliRunner().invoke(cli, ["report", str(folder / "m.nt"), "-o", str(target), "--lang", "ja"])
    assert result.exit_code == 0, result.output
    detail = answer((folder / "report.json").read_text(encoding="utf-8"))
    section = detail["audit"]["single_points_of_failure"]
    assert len(section["entries"]) == section["count"] == sum(g["count"] for g in section["groups"])
    assert len(detail["groups"]["single_points_of_failure"]) == min(25, section["group_count"])
    page = target.read_text(encoding="utf-8")
    assert "report.json" in page and "report.diagram.html" in page
    assert (folder / "report.diagram.html").stat().st_size > len(page) / 10


# -- the command line -----------------------------------------------------------------------------------------------


def test_diagram_writes_svg_by_its_suffix(tmp_path):
    target = tmp_path / "b.svg"
    assert CliRunner().invoke(cli, ["diagram", "examples/case-b-optout", "-o", str(target)]).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("<svg ")


def test_a_bad_date_is_refused_before_anything_is_read(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    result = CliRunner().invoke(cli, ["report", "examples/case-b-optout", "-o", str(tmp_path / "r.md"), "--date", "2026-13-01"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output
    assert not (tmp_path / "r.md").exists()


def test_a_failed_validation_is_written_and_exits_2(tmp_path, monkeypatch):
    import sys

    def broken(view, **kwargs):
        raise AttributeError("half-written")

    monkeypatch.setattr(sys.modules["chainmodel.audit"], "validate", broken)
    monkeypatch.setattr(sys.modules["chainmodel.audit"], "audit",
                        lambda view, **kw: (_ for _ in ()).throw(AttributeError("half-written")))
    target = tmp_path / "r.md"
    result = CliRunner().invoke(cli, ["report", "examples/case-b-optout", "-o", str(target)])
    assert result.exit_code == 2 and "validation stopped with an error" in result.output
    assert "VALIDATION FAILED" in target.read_text(encoding="utf-8")
