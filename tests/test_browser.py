"""The diagram and the report in a real browser (headless Chromium through Playwright).

Each page is opened from ``file://``: no console error, no request other than the file
itself, the drawn network holds what the view implies, highlights are where they belong,
hostile labels show as text and run nothing, and a 5,000-node model opens, settles and
answers a click within seconds. Screenshots are saved under each test's ``tmp_path``.

Run with ``pytest -m browser``; skipped when Chromium or Playwright is missing.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest


from chainmodel.diagram import write_diagram
from chainmodel.model import load_model
from chainmodel.report import report_html
from chainmodel.views import chain_view
from test_diagram import (  # noqa: E402
    FAILURE_B, B, HOSTILE_IMG, HOSTILE_SCRIPT, expected_counts, hostile_model,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                       reason=f"no Chromium at {CHROMIUM}: browser tests need it (CI installs it and never skips)"),
]

playwright_api = pytest.importorskip("playwright.sync_api", reason="the browser tests need playwright (python)")

READY = "() => window.chainmodelDiagram !== undefined && window.chainmodelDiagram.ready === true"
COUNTS = "() => [window.chainmodelDiagram.nodes.length, window.chainmodelDiagram.edges.length]"


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory):
    profile = tmp_path_factory.mktemp("chromium-profile")
    with playwright_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
            viewport={"width": 1400, "height": 900}, service_workers="block", accept_downloads=False,
        )
        try:
            yield context
        finally:
            context.close()
    shutil.rmtree(profile, ignore_errors=True)


class Watched:
    """A page with every console message, page error, request and dialog recorded."""

    def __init__(self, context) -> None:
        self.page = context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: Path) -> float:
        started = time.perf_counter()
        self.page.goto(path.as_uri(), wait_until="load")
        return time.perf_counter() - started

    def check_clean(self, path: Path) -> None:
        assert self.errors == [], self.errors
        assert self.dialogs == [], self.dialogs
        assert [url for url in self.requests if url != path.as_uri()] == [], self.requests

    def screenshot(self, target: Path) -> None:
        self.page.screenshot(path=str(target))
        data = target.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert 10_000 < len(data) < 20_000_000, len(data)

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def watched(browser_context):
    page = Watched(browser_context)
    yield page
    page.close()


def _diagram_frame(watched: Watched):
    """The frame that holds the diagram: the page itself, or the report's iframe."""
    if watched.page.evaluate("() => window.chainmodelDiagram !== undefined"):
        return watched.page.main_frame
    watched.page.locator("iframe.diagram").scroll_into_view_if_needed()
    frames = [frame for frame in watched.page.frames if frame != watched.page.main_frame]
    assert len(frames) == 1
    return frames[0]


@pytest.mark.parametrize("case", ["a", "b"])
def test_diagram_opens_clean_with_the_right_counts(watched, tmp_path, case, request):
    view = request.getfixturevalue(f"case_{case}_view")
    path = write_diagram(view, tmp_path / f"diagram-{case}.html")
    watched.open(path)
    watched.page.wait_for_function(READY, timeout=10_000)
    assert watched.page.evaluate(COUNTS) == list(expected_counts(view))
    assert watched.page.evaluate("() => window.chainmodelDiagram.network.physics.physicsEnabled") is False
    watched.screenshot(tmp_path / f"diagram-{case}.png")
    watched.check_clean(path)


@pytest.mark.parametrize("case,lang", [("a", "en"), ("b", "ja")])
def test_report_opens_clean_with_its_diagram(watched, tmp_path, case, lang, request):
    view = request.getfixturevalue(f"case_{case}_view")
    path = tmp_path / f"report-{case}.html"
    path.write_text(report_html(view, lang=lang), encoding="utf-8")
    watched.open(path)
    frame = _diagram_frame(watched)
    frame.wait_for_function(READY, timeout=10_000)
    assert frame.evaluate(COUNTS) == list(expected_counts(view))
    headings = watched.page.locator("h2").all_text_contents()
    assert len(headings) >= 6
    watched.page.evaluate("() => window.scrollTo(0, 0)")
    watched.screenshot(tmp_path / f"report-{case}.png")
    watched.page.emulate_media(media="print")
    assert watched.page.locator("iframe.diagram").is_hidden()
    watched.page.emulate_media(media="screen")
    watched.check_clean(path)


def test_case_b_failure_diagram_highlights_the_path(watched, tmp_path, case_b_view):
    view = case_b_view
    path = write_diagram(view, tmp_path / "diagram-b-failure.html", failure=FAILURE_B, duty=B + "duty-optout")
    watched.open(path)
    watched.page.wait_for_function(READY, timeout=10_000)
    highlighted = watched.page.evaluate("() => window.chainmodelDiagram.highlighted")
    assert {B + "consignee-ldi", B + "consignee-jmimo", B + "producer-jmimo", B + "users"} <= set(highlighted["nodes"])
    assert {B + "producer-jmimo", B + "users"} == set(highlighted["reached"])
    assert B + "h-report-nttdata-ldi" in highlighted["edges"]
    assert B + "c-ldi-nttdata-for-jmimo" in highlighted["chainEdges"]
    width = watched.page.evaluate(
        "(id) => window.chainmodelDiagram.edges.get(id).width", B + "h-report-nttdata-ldi")
    assert width >= 6
    watched.screenshot(tmp_path / "diagram-b-failure.png")
    watched.check_clean(path)


def _click_node(watched: Watched, node_id: str, frame=None) -> list[str]:
    """Click a node where it is drawn; return the network's selected nodes."""
    frame = frame or watched.page.main_frame
    point = frame.evaluate("""(id) => {
        const d = window.chainmodelDiagram;
        d.network.focus(id, {scale: 1.0, animation: false});
        const at = d.network.canvasToDOM(d.network.getPosition(id));
        const box = document.getElementById("chainmodel-network").getBoundingClientRect();
        return [at.x + box.left, at.y + box.top];
    }""", node_id)
    watched.page.wait_for_timeout(100)
    watched.page.mouse.click(point[0], point[1])
    return frame.evaluate("() => window.chainmodelDiagram.network.getSelectedNodes()")


def test_hostile_labels_show_as_text(watched, tmp_path):
    view = hostile_model(tmp_path / "hostile")
    path = write_diagram(view, tmp_path / "diagram-hostile.html")
    watched.open(path)
    watched.page.wait_for_function(READY, timeout=10_000)
    insurer = "https://example.org/chainmodel/hostile#insurer"
    assert _click_node(watched, insurer) == [insurer]
    details = watched.page.locator("#chainmodel-details").text_content()
    assert HOSTILE_SCRIPT in details
    side = watched.page.locator("#chainmodel-side").text_content()
    assert HOSTILE_SCRIPT in side and HOSTILE_IMG in side
    injected = watched.page.evaluate("""() => ({
        img: document.querySelectorAll("img").length,
        svg: document.querySelectorAll("svg").length,
        iframe: document.querySelectorAll("iframe").length,
        bold: document.querySelectorAll("b").length,
        scripts: document.querySelectorAll("script").length,
    })""")
    assert injected == {"img": 0, "svg": 0, "iframe": 0, "bold": 0, "scripts": 3}
    label = watched.page.evaluate("(id) => window.chainmodelDiagram.nodes.get(id).label", insurer)
    assert label == HOSTILE_SCRIPT
    watched.screenshot(tmp_path / "diagram-hostile.png")
    watched.check_clean(path)

    report = tmp_path / "report-hostile.html"
    report.write_text(report_html(view), encoding="utf-8")
    watched.requests.clear()
    watched.open(report)
    assert HOSTILE_SCRIPT in watched.page.locator("body").text_content()
    assert HOSTILE_IMG in watched.page.locator("body").text_content()
    assert watched.page.evaluate("() => document.querySelectorAll('img, b, script, svg:not(.chainmodel-picture)')"
                                 ".length") == 0
    assert watched.page.evaluate("() => document.querySelectorAll('svg.chainmodel-picture').length") == 1
    frame = _diagram_frame(watched)
    frame.wait_for_function(READY, timeout=10_000)
    assert frame.evaluate("() => document.querySelectorAll('img, svg, b').length") == 0
    watched.screenshot(tmp_path / "report-hostile.png")
    watched.check_clean(report)


# -- a large model ----------------------------------------------------------------------------


def synthetic_turtle(principals: int = 1000, consignees: int = 500) -> str:
    """1,000 principals each consigning to one of 500 consignees; three quarters re-consign to
    two re-consignees each, the first 1,000 of which re-re-consign and keep a laptop copy.

    4,000 parties and 1,000 devices: 5,000 nodes, 4,500 edges.
    """
    out = ["@prefix cm: <https://w3id.org/chainmodel#> .",
           "@prefix s: <https://example.org/chainmodel/synthetic#> .",
           "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .", ""]
    for k in range(consignees):
        out.append(f's:k{k} a cm:Organisation ; rdfs:label "consignee {k}"@en .')
    for i in range(principals):
        k = (i * 7) % consignees
        out.append(f's:p{i} a cm:Organisation , cm:Principal ; rdfs:label "principal {i}"@en .')
        out.append(f's:a{i} a cm:DataAsset ; rdfs:label "records of principal {i}"@en ; '
                   f"cm:controller s:p{i} ; cm:subjectCount {100 + i} .")
        out.append(f"s:c{i} a cm:Consignment ; cm:consignor s:p{i} ; cm:consignee s:k{k} ; cm:entrustsData s:a{i} .")
        if i >= principals * 3 // 4:
            continue
        for j in (2 * i, 2 * i + 1):
            out.append(f's:r{j} a cm:Organisation ; rdfs:label "re-consignee {j}"@en .')
            out.append(f"s:c{i}-r{j} a cm:Consignment ; cm:consignor s:k{k} ; cm:consignee s:r{j} ; "
                       f"cm:extends s:c{i} ; cm:entrustsData s:a{i} .")
            if j < principals:
                out.append(f's:t{j} a cm:Organisation ; rdfs:label "re-re-consignee {j}"@en .')
                out.append(f"s:c{i}-r{j}-t{j} a cm:Consignment ; cm:consignor s:r{j} ; cm:consignee s:t{j} ; "
                           f"cm:extends s:c{i}-r{j} ; cm:entrustsData s:a{i} .")
                out.append(f's:d{j} a cm:Device ; rdfs:label "laptop {j}"@en ; cm:portable true ; cm:heldBy s:r{j} .')
                out.append(f"s:y{j} a cm:DataCopy ; cm:copyOf s:a{i} ; cm:storedOn s:d{j} .")
    return "\n".join(out) + "\n"


def test_large_model_opens_settles_and_answers_a_click(watched, tmp_path):
    folder = tmp_path / "synthetic"
    folder.mkdir()
    (folder / "model.ttl").write_text(synthetic_turtle(), encoding="utf-8")
    view = chain_view(load_model([folder]))
    started = time.perf_counter()
    path = write_diagram(view, tmp_path / "diagram-large.html", overview=False)  # every element, one by one
    generated = time.perf_counter() - started
    nodes, edges = expected_counts(view)
    assert nodes == 5000

    started = time.perf_counter()
    watched.open(path)
    watched.page.wait_for_function(READY, timeout=10_000)
    loaded = time.perf_counter() - started
    assert watched.page.evaluate(COUNTS) == [nodes, edges]
    sample = "() => { const d = window.chainmodelDiagram; return d.network.getPositions(d.nodes.getIds().slice(0, 50)); }"
    first = watched.page.evaluate(sample)
    watched.page.wait_for_timeout(300)
    assert watched.page.evaluate(sample) == first, "nodes still move: the network is not stable"
    settled = time.perf_counter() - started
    assert settled < 10, f"the page took {settled:.1f} s to open and settle"

    started = time.perf_counter()
    consignee = "https://example.org/chainmodel/synthetic#k3"
    assert _click_node(watched, consignee) == [consignee]
    assert "consignee 3" in watched.page.locator("#chainmodel-details").text_content()
    clicked = time.perf_counter() - started
    assert clicked < 5, f"a click took {clicked:.1f} s"
    watched.screenshot(tmp_path / "diagram-large.png")
    watched.check_clean(path)
    print(f"\n5,000-node diagram: generated in {generated:.2f} s ({path.stat().st_size / 1e6:.1f} MB), "
          f"ready in {loaded:.2f} s, stable in {settled:.2f} s, click answered in {clicked:.2f} s")


# -- a portfolio of 2,000 principals ------------------------------------------------------------


@pytest.fixture(scope="module")
def portfolio_2000(tmp_path_factory):
    from click.testing import CliRunner

    from chainmodel.cli import cli

    folder = tmp_path_factory.mktemp("portfolio-2000")
    assert CliRunner().invoke(cli, ["generate", "--principals", "2000", "--seed", "0", "-o", str(folder / "m.nt")]).exit_code == 0
    return folder, chain_view(load_model([folder / "m.nt"]))


def test_portfolio_overview_opens_a_group_on_click_and_finds_a_consignee(watched, portfolio_2000):
    folder, view = portfolio_2000
    path = write_diagram(view, folder / "portfolio.html")
    started = time.perf_counter()
    watched.open(path)
    watched.page.wait_for_function(READY, timeout=20_000)
    opened = time.perf_counter() - started
    nodes, edges = watched.page.evaluate(COUNTS)
    assert nodes + edges <= 1000 and watched.page.evaluate("() => window.chainmodelDiagram.view") == "overview"

    group = "group:principals:1"
    started = time.perf_counter()
    _click_node(watched, group)
    watched.page.wait_for_function("() => window.chainmodelDiagram.view === 'group:principals:1'", timeout=5_000)
    clicked = time.perf_counter() - started
    drawn = watched.page.evaluate(COUNTS)
    assert 0 < drawn[0] <= 250 and drawn[1] <= 600
    assert clicked < 2, f"opening a group took {clicked:.1f} s"

    watched.page.fill("#chainmodel-search", "受託事業者100")  # a consignee, by its Japanese name
    hits = watched.page.locator("#chainmodel-results button")
    assert hits.first.text_content() == "Consignee Co. 100"
    hits.first.click()
    consignee = "https://example.org/chainmodel/generated/consignee-100"
    assert watched.page.evaluate("() => window.chainmodelDiagram.view") == consignee
    assert watched.page.evaluate(f"() => window.chainmodelDiagram.nodes.get('{consignee}') !== null")
    assert "Consignee Co. 100" in watched.page.locator("#chainmodel-details").text_content()
    watched.page.click("#chainmodel-back")
    assert watched.page.evaluate(COUNTS) == [nodes, edges]
    watched.screenshot(folder / "portfolio.png")
    watched.check_clean(path)
    print(f"\n2,000-principal overview: {path.stat().st_size / 1e6:.1f} MB, ready in {opened:.2f} s, "
          f"a group opened in {clicked:.2f} s")


def test_portfolio_report_stays_under_5_mb_and_opens_clean(watched, portfolio_2000):
    from click.testing import CliRunner

    from chainmodel.cli import cli

    folder, _ = portfolio_2000
    target = folder / "report.html"
    result = CliRunner().invoke(cli, ["report", str(folder / "m.nt"), "-o", str(target), "--date", "2026-01-01"])
    assert result.exit_code == 0, result.output
    assert target.stat().st_size < 5_000_000, target.stat().st_size
    assert (folder / "report.json").is_file() and (folder / "report.diagram.html").is_file()
    watched.open(target)
    frame = _diagram_frame(watched)
    frame.wait_for_function(READY, timeout=20_000)
    watched.page.emulate_media(media="print")
    assert watched.page.locator("svg.chainmodel-picture").is_visible()
    watched.page.emulate_media(media="screen")
    watched.check_clean(target)
