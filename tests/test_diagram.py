"""Tests for chainmodel.diagram and chainmodel.report, without a browser.

The page must be self-contained (nothing linked, nothing fetched), deterministic, escape
every label, and draw exactly what the view holds. The browser checks are in
``test_browser.py``.
"""

from __future__ import annotations

import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

from chainmodel.diagram import diagram_data, diagram_html, json_for_html, write_diagram
from chainmodel.model import load_model
from chainmodel.report import report_html, report_markdown
from chainmodel.views import ChainView, chain_view

CASE_A = ROOT / "examples" / "case-a-laptop"
CASE_B = ROOT / "examples" / "case-b-optout"
B = "https://example.org/chainmodel/case-b#"
A = "https://example.org/chainmodel/case-a#"
FAILURE_B = B + "h-report-nttdata-ldi"

HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_IMG = "<img src=x onerror=alert(1)>"
HOSTILE_TTL = """\
@prefix cm:   <https://w3id.org/chainmodel#> .
@prefix h:    <https://example.org/chainmodel/hostile#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

h:insurer a cm:Organisation , cm:Principal ;
    rdfs:label "<script>alert(1)</script>"@en , "</script><script>alert(2)</script>"@ja .
h:vendor a cm:Organisation ;
    rdfs:label "<img src=x onerror=alert(1)>"@en , "\\"'><img src=y onerror=alert(3)>&amp;"@ja .
h:sub a cm:Organisation ; rdfs:label "sub-contractor & co. </style><!--"@en .
h:c1 a cm:Consignment ; cm:consignor h:insurer ; cm:consignee h:vendor ;
    rdfs:label "consignment <b>bold</b>"@en .
h:c2 a cm:Consignment ; cm:consignor h:vendor ; cm:consignee h:sub ; cm:extends h:c1 .
h:usb a cm:Device ; rdfs:label "USB <svg onload=alert(4)>"@en ; cm:portable true ; cm:heldBy h:sub .
h:data a cm:DataAsset ; rdfs:label "records <iframe src=javascript:alert(5)>"@en ;
    cm:controller h:insurer ; cm:subjectCount 10 .
h:copy a cm:DataCopy ; cm:copyOf h:data ; cm:storedOn h:usb .
"""
HOSTILE_LABELS = (HOSTILE_SCRIPT, HOSTILE_IMG, "</script><script>alert(2)</script>",
                  "<img src=y onerror=alert(3)>", "<svg onload=alert(4)>", "<iframe src=javascript:alert(5)>",
                  "</style><!--", "<b>bold</b>")


def hostile_model(folder: Path) -> ChainView:
    """A small model whose labels try to inject markup, written under ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model.ttl").write_text(HOSTILE_TTL, encoding="utf-8")
    return chain_view(load_model([folder]))


def expected_counts(view: ChainView) -> tuple[int, int]:
    """Nodes and edges the plain diagram (no highlight, no filter) must draw, from the view.

    Nodes: every party and every device. Edges: every consignment, every hand-off with both
    ends, one coverage edge per control operator and covered element's target, one edge per
    copy on a device with a holder, a holding edge for a device with no copy drawn, and an
    edge from each organisation to each of its capacities.
    """
    devices = set(view.devices) | {c.device for c in view.copies.values() if c.device}
    nodes = len(view.parties) + len(devices - set(view.parties))
    edges = len(view.consignments)
    edges += sum(1 for h in view.handoffs.values() if h.sender and h.receiver)
    for control in view.controls.values():
        for _operator in control.operators:
            for covered in control.covers:
                if covered in view.handoffs:
                    edges += 1 if view.handoffs[covered].sender else 0
                elif covered in devices or covered in view.parties or covered in view.consignments:
                    edges += 1
                elif covered in view.copies:
                    edges += 1 if (view.copies[covered].device or view.holder_of(view.copies[covered])) else 0
                elif covered in view.duties:
                    duty = view.duties[covered]
                    edges += len(set(duty.performers)) or (1 if duty.accountable else 0)
    drawn_copies = {(view.holder_of(c), c.device) for c in view.copies.values() if c.device and view.holder_of(c)}
    edges += sum(1 for c in view.copies.values() if c.device and view.holder_of(c))
    edges += sum(1 for d in view.devices.values() if d.holder and (d.holder, d.iri) not in drawn_copies)
    edges += sum(1 for p in view.parties.values() if p.organisation and p.organisation in view.parties)
    return nodes, edges


class _Tags(HTMLParser):
    """Every start tag with its attributes (script and style bodies are not parsed as tags)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags_of(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(page)
    parser.close()
    return parser.tags


def data_of(page: str) -> dict:
    match = re.search(r'<script id="chainmodel-data" type="application/json">(.*?)</script>', page, re.DOTALL)
    assert match, "the page embeds its data as JSON"
    return json.loads(match.group(1))


# -- determinism ------------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs", [{}, {"lang": "ja"}, {"failure": FAILURE_B, "duty": B + "duty-optout"},
                                    {"principal": B + "hospital"}])
def test_same_input_gives_the_same_bytes(case_b_view, kwargs):
    first = diagram_html(case_b_view, **kwargs).encode("utf-8")
    again = diagram_html(chain_view(load_model(["examples/case-b-optout"])), **kwargs).encode("utf-8")  # read anew
    assert first == again


def test_reports_are_deterministic(case_a_view):
    assert report_html(case_a_view) == report_html(chain_view(load_model(["examples/case-a-laptop"])))  # read anew
    assert report_markdown(case_a_view, diagram_href="d.html") == report_markdown(case_a_view, diagram_href="d.html")


# -- self-contained ---------------------------------------------------------------------------


@pytest.mark.parametrize("make", [
    lambda a, b: diagram_html(a),
    lambda a, b: diagram_html(b, failure=FAILURE_B, lang="ja"),
    lambda a, b: report_html(a),
    lambda a, b: report_html(b, lang="ja"),
], ids=["diagram-a", "diagram-b-failure-ja", "report-a", "report-b-ja"])
def test_page_links_nothing_external(case_a_view, case_b_view, make):
    page = make(case_a_view, case_b_view)
    tags = tags_of(page)
    for tag, attrs in tags:
        if tag == "script":
            assert "src" not in attrs, "scripts are inline"
        if tag == "link":
            pytest.fail(f"no <link> at all, found {attrs}")
        for name in ("src", "href", "action", "formaction", "poster", "data", "background"):
            value = attrs.get(name)
            if value is None:
                continue
            assert not re.match(r"\s*(https?:|//|file:|ftp:|data:|javascript:)", value, re.I), (tag, name, value)
            assert value.startswith("#"), f"only in-page links: {tag} {name}={value!r}"
    assert re.search(r"<(script|link|img|iframe)[^>]+(src|href)\s*=\s*[\"']?\s*(https?:)?//", page, re.I) is None
    assert "cdn" not in " ".join(attrs.get("src", "") or "" for _, attrs in tags).lower()
    assert "sourceMappingURL" not in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


def test_diagram_embeds_vis_network_inline(case_a_view):
    page = diagram_html(case_a_view)
    assert "vis-network" in page and "new vis.Network" in page
    assert "bootstrap" not in page.lower()
    scripts = [attrs for tag, attrs in tags_of(page) if tag == "script"]
    assert len(scripts) == 3  # the data, vis-network, the page's own script


def test_write_diagram_writes_only_the_file(case_b_view, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    target = write_diagram(case_b_view, tmp_path / "diagram.html", failure=FAILURE_B)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["diagram.html"]
    assert target.read_bytes() == diagram_html(case_b_view, failure=FAILURE_B).encode("utf-8")


# -- escaping ---------------------------------------------------------------------------------


def test_json_for_html_cannot_close_a_script():
    text = json_for_html({"label": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"label": "</script><!-- & \u2028"}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_hostile_labels_never_appear_unescaped(tmp_path, lang):
    view = hostile_model(tmp_path / "hostile")
    pages = {
        "diagram": diagram_html(view, lang=lang),
        "diagram-failure": diagram_html(view, lang=lang, failure="https://example.org/chainmodel/hostile#usb"),
        "report": report_html(view, lang=lang),
        "markdown": report_markdown(view, lang=lang, diagram_href="diagram.html"),
    }
    for kind, page in pages.items():
        for label in HOSTILE_LABELS:
            assert label not in page, (kind, label)
    for kind in ("diagram", "diagram-failure", "report"):
        tags = tags_of(pages[kind])
        names = [tag for tag, _ in tags]
        assert "img" not in names and "b" not in names, kind
        # the report prints the picture as one SVG of our own, drawn only with shapes and text
        assert names.count("svg") == (1 if kind == "report" else 0), kind
        if kind == "report":
            picture = pages[kind][pages[kind].index("<svg"):pages[kind].index("</svg>")]
            assert {tag for tag, _ in tags_of(picture)} <= {"svg", "defs", "marker", "path", "g", "rect", "ellipse",
                                                            "text", "tspan", "title"}, kind
        assert all(attrs.get("class") == "chainmodel-picture" for tag, attrs in tags if tag == "svg"), kind
        assert not {"foreignobject", "image", "use"} & set(names), kind
        assert names.count("script") == (3 if kind.startswith("diagram") else 0), kind
        assert names.count("iframe") == (1 if kind == "report" else 0), kind
        assert not any(name.startswith("on") for _, attrs in tags for name in attrs), kind
    # the labels are still there, as data and as escaped text
    data = data_of(pages["diagram"])
    labels = {node["label"] for node in data["nodes"]}
    assert (HOSTILE_SCRIPT if lang == "en" else "</script><script>alert(2)</script>") in labels
    shown = HOSTILE_SCRIPT if lang == "en" else "</script><script>alert(2)</script>"
    assert shown.replace("<", "&lt;").replace(">", "&gt;") in pages["report"]
    for node in data["nodes"]:
        assert isinstance(node["title"], str)


def test_report_iframe_srcdoc_is_escaped(tmp_path):
    view = hostile_model(tmp_path / "hostile")
    page = report_html(view)
    iframes = [attrs for tag, attrs in tags_of(page) if tag == "iframe"]
    assert len(iframes) == 1
    srcdoc = iframes[0]["srcdoc"]
    assert srcdoc.startswith("<!DOCTYPE html>") and srcdoc == diagram_html(view)
    assert iframes[0]["sandbox"] == "allow-scripts"


# -- what is drawn ----------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["a", "b"])
def test_node_and_edge_counts_match_the_view(case_a_view, case_b_view, case):
    view = case_a_view if case == "a" else case_b_view
    data = data_of(diagram_html(view))
    nodes, edges = expected_counts(view)
    assert len(data["nodes"]) == nodes
    assert len(data["edges"]) == edges
    ids = {node["id"] for node in data["nodes"]}
    assert set(view.parties) <= ids and set(view.devices) <= ids
    edge_ids = {edge["id"] for edge in data["edges"]}
    assert set(view.consignments) <= edge_ids
    assert len(edge_ids) == len(data["edges"])
    for edge in data["edges"]:
        assert edge["from"] in ids and edge["to"] in ids


def test_case_b_counts_by_kind(case_b_view):
    data = diagram_data(case_b_view)
    kinds = {}
    for edge in data["edges"]:
        kinds[edge["kind"]] = kinds.get(edge["kind"], 0) + 1
    assert kinds == {"consignment": 5, "data-provision": 4, "report": 3, "covers": 1, "capacity": 4}
    tiers = {edge["id"].split("#")[1]: edge["label"] for edge in data["edges"] if edge["kind"] == "consignment"}
    assert tiers["c-ldi-nttdata-for-jmimo"] == "tier 3" and tiers["c-hospital-ldi"] == "tier 1"
    nodes = {node["id"].split("#")[1]: node for node in data["nodes"]}
    assert nodes["hospital"]["kind"] == "principal" and nodes["hospital"]["depth"] == 0
    assert nodes["nttdata"]["kind"] == "re-consignee" and nodes["nttdata"]["depth"] == 2
    assert nodes["producer-jmimo"]["kind"] == "producer" and nodes["users"]["kind"] == "recipient"
    assert nodes["hospital"]["y"] < nodes["consignee-ldi"]["y"] < nodes["nttdata"]["y"]
    assert data["options"]["physics"]["enabled"] is False


def test_edge_styles(case_b_view):
    edges = {edge["id"]: edge for edge in diagram_data(case_b_view)["edges"]}
    assert edges[B + "h-report-nttdata-ldi"]["dashes"]  # reports are dashed
    assert edges[B + "h-hospital-ldi"]["dashes"] is False  # data provisions are solid
    covers = [edge for edge in edges.values() if edge["kind"] == "covers"]
    assert covers[0]["from"] == covers[0]["to"] == B + "nttdata"  # a self-check draws a loop
    assert covers[0]["dashes"] == [2, 5]


def test_case_b_failure_highlights_the_leak_path(case_b_view):
    page = diagram_html(case_b_view, failure=FAILURE_B)
    data = data_of(page)
    highlighted = data["highlighted"]
    path = {B + "consignee-ldi", B + "consignee-jmimo", B + "producer-jmimo", B + "users"}
    assert path <= set(highlighted["nodes"])
    assert {B + "producer-jmimo", B + "users"} == set(highlighted["reached"])
    assert {B + "h-report-nttdata-ldi", B + "h-report-ldi-jmimo", B + "h-jmimo-producer",
            B + "h-producer-users"} <= set(highlighted["edges"])
    edges = {edge["id"]: edge for edge in data["edges"]}
    assert edges[B + "h-report-nttdata-ldi"]["width"] > edges[B + "h-hospital-ldi"]["width"]
    nodes = {node["id"]: node for node in data["nodes"]}
    assert nodes[B + "users"]["color"]["background"] != diagram_data(case_b_view)["nodes"][0]["color"]["background"]
    assert "whoever" not in page  # no pseudo-party for a failure that reaches named parties


def test_case_a_failure_adds_whoever_finds_the_device(case_a_view):
    plain = diagram_data(case_a_view)
    assert not any(node["id"].startswith("urn:chainmodel:reached:") for node in plain["nodes"])
    data = diagram_data(case_a_view, failure=A + "laptop")
    finder = [node for node in data["nodes"] if node["id"].startswith("urn:chainmodel:reached:")]
    assert len(finder) == 1 and finder[0]["kind"] == "reached"
    assert finder[0]["id"] in data["highlighted"]["reached"]
    assert A + "laptop" in data["highlighted"]["nodes"]
    assert len(data["nodes"]) == len(plain["nodes"]) + 1


def test_duty_draws_its_chains_thick(case_b_view):
    data = diagram_data(case_b_view, duty=B + "duty-optout")
    chain_edges = set(data["highlighted"]["chainEdges"])
    assert chain_edges == {B + "c-hospital-jmimo", B + "c-jmimo-ldi", B + "c-ldi-nttdata-for-jmimo",
                           B + "c-hospital-ldi", B + "c-ldi-nttdata"}
    for edge in data["edges"]:
        if edge["id"] in chain_edges:
            assert edge["width"] >= 6 and edge["chain"] in (1, 2)
    exclusion = diagram_data(case_b_view, duty="excluding opted-out patients before provision")  # a label works too
    assert exclusion["highlighted"]["chainEdges"] == [B + "c-hospital-jmimo"]


def test_principal_keeps_only_its_chains(tmp_path):
    folder = tmp_path / "two"
    folder.mkdir()
    (folder / "model.ttl").write_text("""\
@prefix cm: <https://w3id.org/chainmodel#> .
@prefix t: <https://example.org/two#> .
t:p1 a cm:Principal . t:p2 a cm:Principal . t:k a cm:Organisation . t:s a cm:Organisation . t:z a cm:Organisation .
t:c1 a cm:Consignment ; cm:consignor t:p1 ; cm:consignee t:k .
t:c2 a cm:Consignment ; cm:consignor t:p2 ; cm:consignee t:k .
t:c1s a cm:Consignment ; cm:consignor t:k ; cm:consignee t:s ; cm:extends t:c1 .
t:c2z a cm:Consignment ; cm:consignor t:k ; cm:consignee t:z ; cm:extends t:c2 .
""", encoding="utf-8")
    view = chain_view(load_model([folder]))
    data = diagram_data(view, principal="https://example.org/two#p1")
    assert {n["id"].split("#")[1] for n in data["nodes"]} == {"p1", "k", "s"}
    assert {e["id"].split("#")[1] for e in data["edges"]} == {"c1", "c1s"}


def test_unknown_references_are_refused(case_b_view):
    from chainmodel.errors import UnknownReference

    with pytest.raises(UnknownReference):
        diagram_html(case_b_view, failure="https://example.org/nowhere#x")
    with pytest.raises(UnknownReference):
        diagram_html(case_b_view, duty="no such duty")


# -- the report -------------------------------------------------------------------------------


def test_report_sections_and_languages(case_b_view):
    english = report_markdown(case_b_view, diagram_href="case b diagram (1).html")
    for heading in ("## What the model holds", "## Responsibility chains", "## Single points of failure",
                    "## Blast radius ranking", "## Validation findings", "## Diagram"):
        assert heading in english
    assert "(<case%20b%20diagram%20%281%29.html>)" in english
    assert "NTT DATA's monthly opt-out report to consignee LDI" in english
    assert "too late: detects within 7 months" in english
    japanese = report_html(case_b_view, lang="ja")
    for heading in ("モデルの内容", "責任の連鎖", "単一障害点", "影響範囲の順位", "検証結果"):
        assert heading in japanese
    assert "@media print" in japanese
    assert "PPC General Guidelines 3-4-4" in english  # validation findings cite their legal sources


def test_report_paths_of_this_machine_stay_out():
    view = chain_view(load_model([CASE_A]))  # read by its absolute path: a path printed anywhere would show
    for page in (report_html(view), report_markdown(view), diagram_html(view)):
        assert str(ROOT) not in page
        assert "/home/" not in page and "/tmp/" not in page


def test_a_failing_validation_is_shown_as_failed(case_b_view, monkeypatch):
    audit = sys.modules["chainmodel.audit"]  # the package's ``audit`` is the function

    def broken(view, **kwargs):
        raise AttributeError("half-written")

    monkeypatch.setattr(audit, "validate", broken)
    text = report_markdown(case_b_view, workers=1)
    title_block = text.split("## Summary")[0]
    assert "VALIDATION FAILED: it stopped with an error (AttributeError: half-written)" in title_block
    assert text.count("VALIDATION FAILED") == 3  # the title block, the summary and the findings section
    assert "## Single points of failure" in text and "NTT DATA's monthly opt-out report to consignee LDI" in text


def test_a_failure_panel_gives_the_exposure_with_its_bounds_and_why(case_a_view):
    """Regression (issue 11, item 5): the diagram gave neither the union of the populations a
    failure exposes, nor why it is a bound, nor the part no named principal accounts for."""
    from chainmodel.dossier import diagram_data

    data = diagram_data(case_a_view, failure="https://example.org/chainmodel/case-a#laptop")
    (block,) = data["summary"]
    assert block["notes"][:2] == [
        "exposes: at least 171,472 people and at most 181,674 people",
        "the model does not say how checkup applicants' records, fiscal 2021-2022, e-mail addresses registered on "
        "けんしんナビ, fiscal 2018-2022 overlap"]
    (laptop,) = [n for n in data["nodes"] if n["id"] == "https://example.org/chainmodel/case-a#laptop"]
    assert ("per principal: Resonac Health Insurance Association 5,747 people; "
            "not accounted for by a named principal: 165,725 people") in laptop["title"]


def test_a_person_can_be_the_failure_and_the_panel_says_what_each_party_reached_holds(view_of):
    """Regression: `diagram --failure "dispatched engineer"` was refused (persons were not
    elements that fail), and the panel never said what each party reached holds."""
    from chainmodel.dossier import diagram_data

    from test_threats import INSIDER

    data = diagram_data(view_of(INSIDER), failure="dispatched engineer")
    (block,) = data["summary"]
    assert block["notes"] == [
        "exposes: 30,000 people", "reaches: list broker, buyer 1, buyer 2, dispatched engineer",
        "what each party reached holds: dispatched engineer (30,000 people), list broker (30,000 people), "
        "buyer 1 (30,000 people), buyer 2 (12,000 people)"]
