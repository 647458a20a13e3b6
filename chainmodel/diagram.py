"""An interactive diagram of a chain model: one self-contained HTML page.

``diagram_html(view)`` draws the parties, devices, consignments, hand-offs, copies and
controls of a :class:`~chainmodel.views.ChainView` with vis-network. The page asks for
nothing over the network: vis-network's script and stylesheet are read from the files that
ship inside the installed ``pyvis`` package and written inline, and no other resource is
linked. pyvis's own page template is not used (it links bootstrap from a CDN, writes
unescaped headings and switches tooltips to ``innerHTML``); neither are its
``add_node``/``add_edge`` methods, which are quadratic.

Safety: every label written into HTML goes through :func:`html.escape`; the graph data is
embedded as JSON with ``<``, ``>`` and ``&`` written as ``\\u003c``, ``\\u003e`` and
``\\u0026`` so that no label can close the script element; tooltips (``title``) are plain
text, which vis-network shows with ``innerText``; the side panel is filled with
``textContent`` only.

Layout: every node gets a depth (principals 0, a consignee the tier of the consignment that
reaches it, other parties one below whoever sends them data) and fixed ``x``/``y``
coordinates computed here, rows ordered by the mean position of their neighbours above.
Physics is off, so a model of thousands of nodes opens at once and the same model always
gives the same bytes.

Highlights: ``duty`` draws that duty's responsibility chains as thick coloured edges;
``failure`` draws the leak path of that element's single points of failure in red, with
the parties it reaches; ``principal`` keeps only the consignment chains that start at that
principal and the parties they touch. The page exposes ``window.chainmodelDiagram`` with
the ``nodes`` and ``edges`` DataSets, the ``network`` and the ``highlighted`` ids.

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.views import chain_view
>>> view = chain_view(load_model(["examples/case-b-optout"]))
>>> page = diagram_html(view, failure="https://example.org/chainmodel/case-b#h-report-nttdata-ldi")
>>> page.startswith("<!DOCTYPE html>") and "https://cdn" not in page
True
"""

from __future__ import annotations

import html
import json
import math
import re
from collections import defaultdict
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from .errors import SetupError
from .text import step_effect, term
from .views import ChainView

__all__ = ["diagram_html", "diagram_data", "write_diagram", "Names", "json_for_html", "vis_assets"]

# -- what things look like ---------------------------------------------------------------

ROLE_ORDER = ("principal", "producer", "regulator", "data-subjects", "recipient", "consignee", "re-consignee")
"""When a party holds several roles, the first of these decides its shape and colour."""

def role_names(roles: Iterable[str], lang: str) -> str:
    """Roles as a comma-separated list in ``lang`` (``-`` when there are none)."""
    return ", ".join(term(role, lang) for role in roles) or "-"


NODE_STYLE = {
    # kind: (shape, background, border, font colour)
    "principal": ("box", "#1f4e79", "#0d2a45", "#ffffff"),
    "consignee": ("ellipse", "#c8e6c9", "#2e7d32", "#1b1b1b"),
    "re-consignee": ("ellipse", "#ffe0b2", "#e65100", "#1b1b1b"),
    "producer": ("hexagon", "#e1bee7", "#6a1b9a", "#1b1b1b"),
    "recipient": ("triangleDown", "#b2dfdb", "#00695c", "#1b1b1b"),
    "regulator": ("diamond", "#cfd8dc", "#37474f", "#1b1b1b"),
    "data-subjects": ("dot", "#f8bbd0", "#ad1457", "#1b1b1b"),
    "organisation": ("box", "#f5f5f5", "#9e9e9e", "#1b1b1b"),
    "party": ("box", "#ffffff", "#616161", "#1b1b1b"),
    "device": ("database", "#d7ccc8", "#4e342e", "#1b1b1b"),
    "reached": ("star", "#d32f2f", "#7f0000", "#7f0000"),
}

TIER_COLOURS = {1: "#1565c0", 2: "#ef6c00", 3: "#c62828"}
DEEP_TIER_COLOUR = "#6a1b1b"
UNKNOWN_TIER_COLOUR = "#757575"

EDGE_STYLE = {
    # kind: (colour, dashes, width, arrows)
    "data-provision": ("#2e7d32", False, 1.5, "to"),
    "report": ("#6a1b9a", [8, 5], 1.5, "to"),
    "instruction": ("#6a1b9a", [8, 5], 1.5, "to"),
    "hand-off": ("#6a1b9a", [8, 5], 1.5, "to"),
    "covers": ("#827717", [2, 5], 1.5, "to"),
    "copy": ("#4e342e", [12, 4, 3, 4], 2, "to"),
    "holds": ("#8d6e63", [3, 3], 1, "to"),
    "capacity": ("#bdbdbd", False, 1, ""),
    "exposure": ("#d32f2f", [4, 3], 3, "to"),
}

CHAIN_COLOURS = ("#00838f", "#ad1457", "#558b2f", "#4527a0", "#f9a825", "#5d4037")
FAILURE_COLOUR = "#d32f2f"

PSEUDO_PARTIES = {
    "urn:chainmodel:reached:whoever-finds-or-takes-the-device": {
        "en": "whoever finds or takes the device", "ja": "端末を拾得・取得した者"},
    "urn:chainmodel:reached:whoever-copies-the-data": {
        "en": "whoever copies the data", "ja": "データを複製した者"},
    "urn:chainmodel:reached:an-unintended-recipient": {
        "en": "an unintended recipient", "ja": "意図しない受領者"},
}

ROW_MAX = 50          # nodes per row before a level wraps onto another row
X_GAP = 210           # px between nodes in a row
ROW_GAP = 110         # px between wrapped rows of one level
LEVEL_GAP = 230       # px between levels
LIST_MAX = 12         # items listed per fact in a tooltip before "... and N more"
ELEMENT_LIST_MAX = 500  # an HTML list of elements is written for diagrams up to this size
LARGE = 400           # past this many edges: straight lines, edges hidden while dragging

TEXT = {
    "en": {
        "title": "Chain diagram",
        "legend": "Legend",
        "nodes": "Parties and devices",
        "edges": "Links",
        "principal": "principal",
        "consignee": "consignee, tier 1",
        "re-consignee": "re-consignee, tier 2 and below",
        "producer": "producer",
        "recipient": "recipient",
        "regulator": "regulator",
        "data-subjects": "data subjects",
        "organisation": "organisation acting through capacities",
        "party": "other party",
        "device": "device holding copies",
        "reached": "reached by the failure",
        "consignment": "consignment (tier 1 / 2 / 3+), consignor to consignee",
        "data-provision": "data provision",
        "report": "report or instruction (dashed)",
        "covers": "control coverage (dotted), operator to what it covers",
        "copy": "copy of data on a device",
        "holds": "device held by",
        "capacity": "organisation and its capacity",
        "exposure": "exposure by the failure",
        "duty-chain": "responsibility chain of the duty (thick)",
        "failure-path": "leak path of the failure (red)",
        "tier": "tier {n}",
        "tier-unknown": "tier ?",
        "details": "Details",
        "details-hint": "Click a party, device or link to see its facts here.",
        "elements": "Elements",
        "duty": "Duty",
        "principal-filter": "Only the chains of principal",
        "failure": "Failure",
        "no-leak": "This element is not a single point of failure in the model.",
        "chain": "chain",
        "reached-list": "reaches",
        "iri": "IRI",
        "labels": "labels",
        "roles": "roles",
        "kind": "kind",
        "depth": "depth",
        "organisation-of": "capacity of",
        "capacities": "capacities",
        "approval": "approval",
        "approved-by": "approved by",
        "extends": "extends",
        "consignor": "consignor",
        "consignee-of": "consignee",
        "entrusts": "entrusts duties",
        "entrusts-data": "entrusts data",
        "dates": "period",
        "sender": "sender",
        "receiver": "receiver",
        "carries": "carries",
        "serves": "serves duty",
        "guarded-by": "guarded by duty",
        "cadence": "cadence",
        "lead-time": "lead time",
        "acknowledged-by": "acknowledged by",
        "controls": "controls",
        "operated-by": "operated by",
        "covers-what": "covers",
        "notifies": "notifies",
        "latency": "detects within",
        "rules-out-leak": "rules out a leak",
        "limitation": "limitation",
        "portable": "portable",
        "holder": "held by",
        "copies": "copies",
        "asset": "data",
        "subjects": "subjects",
        "per-principal": "per principal",
        "sensitive": "sensitive categories",
        "sensitive-flag": "sensitive (要配慮)",
        "more": "... and {n} more",
        "in": "consignments received",
        "out": "consignments given",
        "operates": "operates controls",
        "covered-by": "covered by controls",
        "failure-step": "failure step",
        "yes": "yes",
        "no": "no",
        "unknown": "unknown",
        "kind-consignment": "consignment",
        "kind-data-provision": "data provision",
        "kind-report": "report",
        "kind-instruction": "instruction",
        "kind-hand-off": "hand-off",
        "kind-control": "control",
        "kind-copy": "copy of data",
        "kind-exposure": "exposure",
    },
    "ja": {
        "title": "委託チェーン図",
        "legend": "凡例",
        "nodes": "当事者・端末",
        "edges": "関係",
        "principal": "委託元",
        "consignee": "委託先（第1層）",
        "re-consignee": "再委託先（第2層以下）",
        "producer": "作成事業者",
        "recipient": "提供先",
        "regulator": "監督当局",
        "data-subjects": "本人（データ主体）",
        "organisation": "立場を通じて行動する組織",
        "party": "その他の当事者",
        "device": "複製を保存する端末",
        "reached": "障害によりデータが届く者",
        "consignment": "委託（第1層・第2層・第3層以下）、委託者から受託者へ",
        "data-provision": "データの提供",
        "report": "報告・指示（破線）",
        "covers": "統制の対象（点線）、運用者から対象へ",
        "copy": "端末上のデータの複製",
        "holds": "端末の保有者",
        "capacity": "組織とその立場",
        "exposure": "障害による漏えい",
        "duty-chain": "義務の責任連鎖（太線）",
        "failure-path": "障害の漏えい経路（赤）",
        "tier": "第{n}層",
        "tier-unknown": "層不明",
        "details": "詳細",
        "details-hint": "当事者・端末・関係をクリックすると、ここに詳細を表示します。",
        "elements": "要素一覧",
        "duty": "義務",
        "principal-filter": "次の委託元の連鎖のみ",
        "failure": "障害",
        "no-leak": "この要素はモデル上の単一障害点ではありません。",
        "chain": "連鎖",
        "reached-list": "到達先",
        "iri": "IRI",
        "labels": "ラベル",
        "roles": "役割",
        "kind": "種別",
        "depth": "階層",
        "organisation-of": "立場の主体",
        "capacities": "立場",
        "approval": "承諾状況",
        "approved-by": "承諾者",
        "extends": "再委託の元",
        "consignor": "委託者",
        "consignee-of": "受託者",
        "entrusts": "委託する業務",
        "entrusts-data": "委託するデータ",
        "dates": "期間",
        "sender": "送り手",
        "receiver": "受け手",
        "carries": "運ぶデータ",
        "serves": "対象の義務",
        "guarded-by": "防護する義務",
        "cadence": "頻度",
        "lead-time": "猶予期間",
        "acknowledged-by": "受領確認",
        "controls": "統制",
        "operated-by": "運用者",
        "covers-what": "対象",
        "notifies": "通知先",
        "latency": "検知までの期間",
        "rules-out-leak": "漏えいを否定できる",
        "limitation": "限界",
        "portable": "持ち運び可能",
        "holder": "保有者",
        "copies": "複製",
        "asset": "データ",
        "subjects": "本人数",
        "per-principal": "委託元ごと",
        "sensitive": "要配慮個人情報の項目",
        "sensitive-flag": "要配慮個人情報",
        "more": "……ほか{n}件",
        "in": "受託した委託",
        "out": "委託した委託",
        "operates": "運用する統制",
        "covered-by": "対象とする統制",
        "failure-step": "障害の段階",
        "yes": "はい",
        "no": "いいえ",
        "unknown": "不明",
        "kind-consignment": "委託",
        "kind-data-provision": "データの提供",
        "kind-report": "報告",
        "kind-instruction": "指示",
        "kind-hand-off": "受け渡し",
        "kind-control": "統制",
        "kind-copy": "データの複製",
        "kind-exposure": "漏えい",
    },
}


def _text(lang: str) -> dict[str, str]:
    return TEXT.get(lang, TEXT["en"])


# -- names -------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _vocabulary_labels() -> dict[str, dict[str, str]]:
    """Labels of the shipped ontology and rules (approval states, failure modes, rules)."""
    from .model import ontology_graph, rules_graph

    found: dict[str, dict[str, str]] = {}
    for graph in (ontology_graph(), rules_graph()):
        for subject, label in sorted(graph.subject_objects(RDFS.label), key=lambda item: (str(item[0]), str(item[1]))):
            if isinstance(subject, URIRef) and isinstance(label, Literal):
                found.setdefault(str(subject), {}).setdefault(label.language or "", str(label))
    return found


class Names:
    """Labels of model elements in one language, falling back to the shipped vocabulary."""

    def __init__(self, view: ChainView, lang: str = "en") -> None:
        self.view = view
        self.model = view.model
        self.lang = lang
        self._cache: dict[str, str] = {}

    def __call__(self, iri: str | None) -> str:
        if iri is None:
            return "-"
        if iri not in self._cache:
            self._cache[iri] = self._name(iri)
        return self._cache[iri]

    def _name(self, iri: str) -> str:
        if iri in PSEUDO_PARTIES:
            return PSEUDO_PARTIES[iri].get(self.lang, PSEUDO_PARTIES[iri]["en"])
        if self.model.labels(iri):
            return self.model.label(iri, self.lang)
        vocabulary = _vocabulary_labels().get(iri)
        if vocabulary:
            for language in (self.lang, "en", ""):
                if language in vocabulary:
                    return vocabulary[language]
        return self.model.qname(iri)

    def labels(self, iri: str) -> dict[str, str]:
        if iri in PSEUDO_PARTIES:
            return dict(PSEUDO_PARTIES[iri])
        return self.model.labels(iri) or _vocabulary_labels().get(iri, {})

    def many(self, iris: Iterable[str], limit: int = LIST_MAX) -> str:
        names = [self(iri) for iri in iris]
        if len(names) > limit:
            more = _text(self.lang)["more"].format(n=len(names) - limit)
            names = names[:limit] + [more]
        return ", ".join(names)


# -- safe embedding ----------------------------------------------------------------------


def json_for_html(value) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` survive."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


_SOURCE_MAP = re.compile(r"^\s*//# sourceMappingURL=.*$", re.MULTILINE)
_CSS_SOURCE_MAP = re.compile(r"/\*# sourceMappingURL=.*?\*/", re.DOTALL)


@lru_cache(maxsize=None)
def vis_assets() -> tuple[str, str]:
    """(script, stylesheet) of vis-network as shipped inside the installed pyvis package.

    The newest ``vis-*`` folder under pyvis's ``templates/lib`` (else ``lib``) is used. The
    source-map comments are removed so that nothing refers to another file, and both texts
    are checked to be safe to write inside ``<script>`` and ``<style>``.

    Raises
    ------
    RuntimeError
        pyvis is not installed or ships no vis-network files.
    """
    try:
        root = resources.files("pyvis")
    except ModuleNotFoundError as error:
        raise SetupError("the diagram needs the pyvis package, which ships vis-network: pip install pyvis") from error
    candidates = []
    for folder in ("templates/lib", "lib"):
        base = root.joinpath(folder)
        if not base.is_dir():
            continue
        for entry in base.iterdir():
            match = re.fullmatch(r"vis-(\d+)\.(\d+)\.(\d+)", entry.name)
            if match and entry.joinpath("vis-network.min.js").is_file() and entry.joinpath("vis-network.css").is_file():
                candidates.append((tuple(int(n) for n in match.groups()), entry))
        if candidates:
            break
    if not candidates:
        raise SetupError("pyvis ships no vis-network files (looked for lib/vis-X.Y.Z/vis-network.min.js); reinstall pyvis")
    _, folder = max(candidates, key=lambda item: item[0])
    script = _SOURCE_MAP.sub("", folder.joinpath("vis-network.min.js").read_text(encoding="utf-8"))
    style = _CSS_SOURCE_MAP.sub("", folder.joinpath("vis-network.css").read_text(encoding="utf-8"))
    lowered_script, lowered_style = script.lower(), style.lower()
    if "</script" in lowered_script or "<!--" in lowered_script:
        raise SetupError("the shipped vis-network script cannot be written inline safely; reinstall pyvis")
    if "</style" in lowered_style or "url(http" in lowered_style.replace(" ", "") or "@import" in lowered_style:
        raise SetupError("the shipped vis-network stylesheet cannot be written inline safely; reinstall pyvis")
    return script, style


# -- the graph ---------------------------------------------------------------------------


def _primary_role(roles: Iterable[str]) -> str | None:
    roles = set(roles)
    for role in ROLE_ORDER:
        if role in roles:
            return role
    return None


def _party_roles(view: ChainView) -> dict[str, tuple[str, ...]]:
    """``view.roles`` of every party."""
    return {iri: view.roles(iri) for iri in view.parties}


def _resolve(view: ChainView, name: str | None, among: Iterable[str], what: str) -> str | None:
    return None if name is None else view.model.resolve(name, among=among, what=what)


def _principal_consignments(view: ChainView, principal: str) -> set[str]:
    """Every consignment in a chain that starts at ``principal`` (or its organisation)."""
    wanted = view.org(principal)
    starts = [
        iri for iri, c in view.consignments.items()
        if not any(parent in view.consignments for parent in c.parents)
        and (c.consignor == principal or view.org(c.consignor) == wanted)
    ]
    kept: set[str] = set()
    stack = sorted(starts)
    while stack:
        iri = stack.pop()
        if iri in kept:
            continue
        kept.add(iri)
        stack.extend(view.children.get(iri, ()))
    return kept


def diagram_data(view: ChainView, *, lang: str = "en", duty: str | None = None,
                 principal: str | None = None, failure: str | None = None) -> dict:
    """The nodes, edges, highlights and options the page draws (plain JSON-ready data).

    Raises
    ------
    UnknownReference
        ``duty``, ``principal`` or ``failure`` is not in the model.
    """
    text = _text(lang)
    name = Names(view, lang)
    model = view.model
    duty = _resolve(view, duty, view.duties, "duty")
    principal = _resolve(view, principal, view.parties, "principal")
    failure_elements = set(view.handoffs) | set(view.copies) | set(view.devices) | set(view.duties) | set(view.controls)
    failure = _resolve(view, failure, sorted(failure_elements), "element")

    roles = _party_roles(view)
    capacities: dict[str, list[str]] = defaultdict(list)
    for party in view.parties.values():
        if party.organisation:
            capacities[party.organisation].append(party.iri)

    # -- which consignments and parties are drawn ---------------------------------------
    if principal is not None:
        kept_consignments = _principal_consignments(view, principal)
        kept_parties = {principal}
        for iri in kept_consignments:
            c = view.consignments[iri]
            kept_parties |= {c.consignor, c.consignee} - {None}
    else:
        kept_consignments = set(view.consignments)
        kept_parties = set(view.parties)

    devices = set(view.devices) | {c.device for c in view.copies.values() if c.device}
    if principal is not None:
        devices = {d for d in devices if d in view.devices and view.devices[d].holder in kept_parties}

    # -- the highlighted failure ----------------------------------------------------------
    leaks = []
    if failure is not None:
        from .leaks import single_points_of_failure

        leaks = [leak for leak in single_points_of_failure(view) if leak.element == failure]
    path_nodes: set[str] = set()
    reached_nodes: set[str] = set()
    path_elements: dict[str, str] = {}
    for leak in leaks:
        for step in leak.path:
            path_elements.setdefault(step.element, step.role)
            for party in (step.sender, step.receiver):
                if party:
                    path_nodes.add(party)
            if step.element in view.devices:
                path_nodes.add(step.element)
            if step.element in view.copies and view.copies[step.element].device:
                path_nodes.add(view.copies[step.element].device)
        reached_nodes |= set(leak.reached)
    pseudo = sorted(r for r in reached_nodes | path_nodes if r not in view.parties and r not in devices)
    if principal is not None:  # a highlighted path stays visible even outside the principal's chains
        kept_parties |= {p for p in path_nodes | reached_nodes if p in view.parties}
        devices |= {d for d in path_nodes if d in view.devices or d in {c.device for c in view.copies.values()}}

    # -- the duty's chains -----------------------------------------------------------------
    chains = []
    if duty is not None:
        from .trace import trace_duty

        chains = list(trace_duty(view, duty, principal).chains)
    chain_of: dict[str, int] = {}
    for number, chain in enumerate(chains):
        for link in chain.links:
            chain_of.setdefault(link.consignment, number)

    # -- lookups for the facts --------------------------------------------------------------
    controls_on: dict[str, list[str]] = defaultdict(list)
    controls_by: dict[str, list[str]] = defaultdict(list)
    for control in view.controls.values():
        for covered in control.covers:
            controls_on[covered].append(control.iri)
        for operator in control.operators:
            controls_by[operator].append(control.iri)
    into: dict[str, list[str]] = defaultdict(list)
    out_of: dict[str, list[str]] = defaultdict(list)
    for c in view.consignments.values():
        into[c.consignee].append(c.iri)
        out_of[c.consignor].append(c.iri)
    copies_on: dict[str, list[str]] = defaultdict(list)
    for copy in view.copies.values():
        if copy.device:
            copies_on[copy.device].append(copy.iri)

    def lines_for_assets(assets: Iterable[str]) -> list[str]:
        lines = []
        assets = sorted(assets)
        for asset_iri in assets[:LIST_MAX]:
            asset = view.assets.get(asset_iri)
            line = f"  {text['asset']}: {name(asset_iri)}"
            if asset is not None:
                if asset.subject_count is not None:
                    line += f"; {text['subjects']}: {asset.subject_count:,}"
                if asset.counts:
                    line += f"; {text['per-principal']}: " + ", ".join(f"{name(p)} {n:,}" for p, n in asset.counts[:LIST_MAX])
                if asset.sensitive_categories:
                    line += f"; {text['sensitive']}: {name.many(asset.sensitive_categories)}"
                elif asset.sensitive:
                    line += f"; {text['sensitive-flag']}"
            lines.append(line)
        if len(assets) > LIST_MAX:
            lines.append("  " + text["more"].format(n=len(assets) - LIST_MAX))
        return lines

    def control_lines(element: str) -> list[str]:
        found = controls_on.get(element, [])
        if not found:
            return []
        lines = [f"{text['covered-by']}:"]
        for control_iri in found[:LIST_MAX]:
            control = view.controls[control_iri]
            line = f"  {name(control_iri)} ({term(control.kind, lang)}; {text['operated-by']} {name.many(control.operators)}"
            if control.latency:
                line += f"; {text['latency']} {control.latency}"
            lines.append(line + ")")
        if len(found) > LIST_MAX:
            lines.append("  " + text["more"].format(n=len(found) - LIST_MAX))
        return lines

    def head(iri: str, kind: str) -> list[str]:
        labels = name.labels(iri)
        lines = [name(iri), f"{text['kind']}: {kind}", f"{text['iri']}: {iri}"]
        for language in sorted(labels):
            lines.append(f"{text['labels']} [{language or '-'}]: {labels[language]}")
        return lines

    def step_line(element: str) -> list[str]:
        if element in path_elements:
            return [f"{text['failure-step']}: {path_elements[element]}"]
        return []

    # -- nodes -------------------------------------------------------------------------------
    node_kind: dict[str, str] = {}
    node_facts: dict[str, list[str]] = {}
    for iri in sorted(kept_parties):
        party = view.parties[iri]
        primary = _primary_role(roles[iri])
        kind = primary or ("organisation" if capacities.get(iri) else "party")
        node_kind[iri] = kind
        lines = head(iri, text.get(kind, kind))
        lines.append(f"{text['roles']}: {role_names(roles[iri], lang)}")
        if party.organisation:
            lines.append(f"{text['organisation-of']}: {name(party.organisation)}")
        if capacities.get(iri):
            lines.append(f"{text['capacities']}: {name.many(sorted(capacities[iri]))}")
        if into.get(iri):
            lines.append(f"{text['in']}: {len(into[iri])} ({name.many(into[iri])})")
        if out_of.get(iri):
            lines.append(f"{text['out']}: {len(out_of[iri])} ({name.many(out_of[iri])})")
        if controls_by.get(iri):
            lines.append(f"{text['operates']}: {name.many(controls_by[iri])}")
        lines += control_lines(iri)
        node_facts[iri] = lines
    for iri in sorted(devices):
        device = view.devices.get(iri)
        node_kind[iri] = "device"
        lines = head(iri, text["device"])
        if device is not None:
            portable = text["unknown"] if device.portable is None else text["yes" if device.portable else "no"]
            lines.append(f"{text['portable']}: {portable}")
            lines.append(f"{text['holder']}: {name(device.holder)}")
        on = copies_on.get(iri, [])
        if on:
            lines.append(f"{text['copies']}: {len(on)}")
            lines += lines_for_assets({view.copies[c].asset for c in on if view.copies[c].asset})
        lines += control_lines(iri) + step_line(iri)
        node_facts[iri] = lines
    for iri in pseudo:
        node_kind[iri] = "reached"
        node_facts[iri] = head(iri, text["reached"])
    for iri in sorted(path_nodes):
        if iri in node_facts and iri not in pseudo:
            node_facts[iri].append(f"{text['failure-step']}: {text['failure-path']}")

    # -- edges -------------------------------------------------------------------------------
    edges: list[dict] = []

    def add_edge(edge_id: str, kind: str, source: str | None, target: str | None, facts: list[str], **extra) -> None:
        if source is None or target is None or source not in node_kind or target not in node_kind:
            return
        edges.append({"id": edge_id, "kind": kind, "from": source, "to": target, "facts": facts, **extra})

    for iri in sorted(kept_consignments):
        c = view.consignments[iri]
        tier = view.tier(iri)
        lines = head(iri, text["kind-consignment"])
        lines += [
            f"{text['consignor']}: {name(c.consignor)}",
            f"{text['consignee-of']}: {name(c.consignee)}",
            text["tier"].format(n=tier) if tier else text["tier-unknown"],
        ]
        if c.parents:
            lines.append(f"{text['extends']}: {name.many(c.parents)}")
        if c.approval or tier and tier > 1:
            lines.append(f"{text['approval']}: {name(c.approval) if c.approval else text['unknown']}")
        if c.approved_by:
            lines.append(f"{text['approved-by']}: {name.many(c.approved_by)}")
        if c.duties:
            lines.append(f"{text['entrusts']}: {name.many(sorted(c.duties))}")
        if c.data:
            lines.append(f"{text['entrusts-data']}:")
            lines += lines_for_assets(c.data)
        if c.start or c.end:
            lines.append(f"{text['dates']}: {c.start or '?'} - {c.end or '?'}")
        lines += control_lines(iri)
        add_edge(iri, "consignment", c.consignor, c.consignee, lines, tier=tier)

    for iri in sorted(view.handoffs):
        h = view.handoffs[iri]
        lines = head(iri, text.get(f"kind-{h.kind}", h.kind))
        lines += [f"{text['sender']}: {name(h.sender)}", f"{text['receiver']}: {name(h.receiver)}"]
        if h.carries:
            lines.append(f"{text['carries']}:")
            lines += lines_for_assets(h.carries)
        if h.serves:
            lines.append(f"{text['serves']}: {name.many(h.serves)}")
        if h.guarded_by:
            lines.append(f"{text['guarded-by']}: {name.many(h.guarded_by)}")
        if h.cadence:
            lines.append(f"{text['cadence']}: {h.cadence}")
        if h.lead_time:
            lines.append(f"{text['lead-time']}: {h.lead_time}")
        if h.acknowledged_by:
            lines.append(f"{text['acknowledged-by']}: {name.many(h.acknowledged_by)}")
        lines += control_lines(iri) + step_line(iri)
        add_edge(iri, h.kind, h.sender, h.receiver, lines)

    def coverage_targets(element: str) -> list[str]:
        if element in view.handoffs:
            return [view.handoffs[element].sender] if view.handoffs[element].sender else []
        if element in devices or element in view.devices:
            return [element]
        if element in view.copies:
            copy = view.copies[element]
            return [copy.device] if copy.device else ([view.holder_of(copy)] if view.holder_of(copy) else [])
        if element in view.consignments:
            return [view.consignments[element].consignee]
        if element in view.duties:
            record = view.duties[element]
            return list(record.performers) or ([record.accountable] if record.accountable else [])
        if element in view.parties:
            return [element]
        return []

    for iri in sorted(view.controls):
        control = view.controls[iri]
        base = head(iri, text["kind-control"])
        base.append(f"{text['kind']}: {control.kind}")
        base.append(f"{text['operated-by']}: {name.many(control.operators)}")
        base.append(f"{text['covers-what']}: {name.many(control.covers)}")
        base.append(f"{text['notifies']}: {name.many(control.notifies)}")
        if control.latency:
            base.append(f"{text['latency']}: {control.latency}")
        if control.rules_out_leak is not None:
            base.append(f"{text['rules-out-leak']}: {text['yes' if control.rules_out_leak else 'no']}")
        for language, limit in control.limitation:
            if language in (lang, "") or len(control.limitation) == 1:
                base.append(f"{text['limitation']}: {limit}")
        for operator in control.operators:
            for covered in control.covers:
                for target in sorted(set(coverage_targets(covered))):
                    add_edge(f"covers|{iri}|{operator}|{covered}|{target}", "covers", operator, target,
                             base + step_line(iri), control=iri)

    copy_edges: set[tuple[str, str]] = set()
    for iri in sorted(view.copies):
        copy = view.copies[iri]
        holder = view.holder_of(copy)
        if not copy.device or not holder:
            continue
        lines = head(iri, text["kind-copy"])
        lines += [f"{text['holder']}: {name(holder)}", f"{text['device']}: {name(copy.device)}"]
        if copy.asset:
            lines += lines_for_assets([copy.asset])
        if copy.start:
            lines.append(f"{text['dates']}: {copy.start} -")
        lines += control_lines(iri) + step_line(iri)
        before = len(edges)
        add_edge(f"copy|{iri}", "copy", holder, copy.device, lines)
        if len(edges) > before:
            copy_edges.add((holder, copy.device))
    for iri in sorted(devices):
        device = view.devices.get(iri)
        if device is None or not device.holder or (device.holder, iri) in copy_edges:
            continue
        add_edge(f"holds|{iri}", "holds", device.holder, iri, [f"{name(device.holder)} -> {name(iri)}", text["holds"]])
    for iri in sorted(kept_parties):
        organisation = view.parties[iri].organisation
        if organisation and organisation in kept_parties:
            add_edge(f"capacity|{iri}", "capacity", organisation, iri,
                     [f"{name(organisation)} -> {name(iri)}", text["capacity"]])

    # exposure to the pseudo-parties the failure reaches
    for leak in leaks:
        for step in leak.path:
            if step.kind != "exposure" or not step.receiver:
                continue
            source = step.sender
            if step.element in devices:
                source = step.element
            elif step.element in view.copies and view.copies[step.element].device in devices:
                source = view.copies[step.element].device
            add_edge(f"exposure|{step.element}|{step.receiver}", "exposure", source, step.receiver,
                     head(step.element, text["kind-exposure"]) + [f"{text['failure-step']}: {step_effect(step.role, lang)}"])
    seen_ids: set[str] = set()
    unique_edges = []
    for edge in edges:
        if edge["id"] not in seen_ids:
            seen_ids.add(edge["id"])
            unique_edges.append(edge)
    edges = unique_edges

    # -- highlighted ids ------------------------------------------------------------------------
    highlighted_edges: set[str] = set()
    for edge in edges:
        if edge["kind"] == "exposure":
            highlighted_edges.add(edge["id"])
        elif edge["kind"] == "copy" and edge["id"][len("copy|"):] in path_elements:
            highlighted_edges.add(edge["id"])
        elif edge["id"] in path_elements:
            highlighted_edges.add(edge["id"])
    chain_edges = sorted(iri for iri in chain_of if iri in seen_ids)
    chain_nodes = sorted({p for chain in chains for link in chain.links for p in (link.consignor, link.consignee)
                          if p in node_kind})
    highlighted = {
        "nodes": sorted(p for p in path_nodes | reached_nodes if p in node_kind),
        "edges": sorted(highlighted_edges),
        "reached": sorted(p for p in reached_nodes if p in node_kind),
        "chainEdges": chain_edges,
        "chainNodes": chain_nodes,
    }

    # -- depth and positions ----------------------------------------------------------------------
    depth = _depths(view, node_kind, edges, kept_consignments, roles)
    position = _positions(node_kind, edges, depth, name)

    # -- vis data -------------------------------------------------------------------------------
    large = len(edges) > LARGE
    path_set, reached_set, chain_node_set = set(highlighted["nodes"]), set(highlighted["reached"]), set(chain_nodes)
    vis_nodes = []
    for iri in sorted(node_kind):
        kind = node_kind[iri]
        shape, background, border, font = NODE_STYLE[kind]
        node = {
            "id": iri,
            "label": _short(name(iri)),
            "title": "\n".join(node_facts[iri]),
            "shape": shape,
            "kind": kind,
            "depth": depth[iri],
            "x": position[iri][0],
            "y": position[iri][1],
            "color": {"background": background, "border": border,
                      "highlight": {"background": background, "border": "#000000"}},
            "font": {"color": font, "face": "sans-serif", "size": 14},
            "borderWidth": 1.5,
        }
        node["widthConstraint"] = {"maximum": 170}
        if shape in ("dot", "diamond", "hexagon", "triangleDown", "star"):
            node["size"] = 16
        if kind == "organisation":
            node["shapeProperties"] = {"borderDashes": [4, 3]}
        if iri in chain_node_set:
            node["borderWidth"] = 4
            node["color"]["border"] = CHAIN_COLOURS[0]
        if iri in path_set:
            node["borderWidth"] = 5
            node["color"]["border"] = FAILURE_COLOUR
        if iri in reached_set:
            node["color"]["background"] = FAILURE_COLOUR
            node["font"]["color"] = "#7f0000" if shape not in ("box", "ellipse", "database") else "#ffffff"
        vis_nodes.append(node)

    pair_count: dict[tuple[str, str], int] = defaultdict(int)
    vis_edges = []
    for edge in sorted(edges, key=lambda e: e["id"]):
        kind = edge["kind"]
        if kind == "consignment":
            tier = edge.get("tier")
            colour = TIER_COLOURS.get(tier, DEEP_TIER_COLOUR if tier else UNKNOWN_TIER_COLOUR)
            dashes, width, arrows = False, 2.5, "to"
            label = text["tier"].format(n=tier) if tier else text["tier-unknown"]
        else:
            colour, dashes, width, arrows = EDGE_STYLE[kind]
            label = None
        vis_edge = {
            "id": edge["id"],
            "from": edge["from"],
            "to": edge["to"],
            "kind": kind,
            "title": "\n".join(edge["facts"]),
            "color": {"color": colour, "highlight": "#000000", "inherit": False},
            "dashes": dashes,
            "width": width,
            "arrows": arrows,
        }
        if label:
            vis_edge["label"] = label
            vis_edge["font"] = {"size": 12, "align": "middle", "background": "#ffffff", "strokeWidth": 0}
        if edge["id"] in chain_of:
            number = chain_of[edge["id"]]
            vis_edge["width"] = 7
            vis_edge["color"] = {"color": CHAIN_COLOURS[number % len(CHAIN_COLOURS)], "highlight": "#000000", "inherit": False}
            vis_edge["chain"] = number + 1
        if edge["id"] in highlighted_edges:
            vis_edge["width"] = 6
            vis_edge["color"] = {"color": FAILURE_COLOUR, "highlight": "#000000", "inherit": False}
        pair = tuple(sorted((edge["from"], edge["to"])))
        index = pair_count[pair]
        pair_count[pair] += 1
        if edge["from"] == edge["to"]:
            vis_edge["selfReference"] = {"size": 22 + 10 * index, "angle": 0.8}
        elif index:
            vis_edge["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": min(0.15 * index, 0.9)}
        else:
            vis_edge["smooth"] = False
        vis_edges.append(vis_edge)

    options = {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"randomSeed": 7, "improvedLayout": False, "hierarchical": {"enabled": False}},
        "interaction": {
            "hover": not large,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "navigationButtons": False,
            "keyboard": False,
            "multiselect": False,
        },
        "edges": {"smooth": False, "arrowStrikethrough": False, "selectionWidth": 2},
        "nodes": {"shadow": False},
    }

    summary = []
    if duty is not None:
        summary.append({"heading": f"{text['duty']}: {name(duty)}", "notes": [], "lines": [
            f"{text['chain']} {number + 1}: " + " -> ".join(
                [name(chain.links[0].consignor)]
                + [f"[{text['tier'].format(n=link.tier)}] {name(link.consignee)}" for link in chain.links])
            for number, chain in enumerate(chains)
        ]})
    if principal is not None:
        summary.append({"heading": f"{text['principal-filter']}: {name(principal)}", "lines": [], "notes": []})
    if failure is not None:
        lines, notes = [], []
        for leak in leaks:
            for step in leak.path:
                ends = " -> ".join(name(p) for p in (step.sender, step.receiver) if p)
                lines.append(f"{name(step.element)} ({term(step.kind, lang)}; {ends}): {step_effect(step.role, lang)}")
        reached_all = sorted({r for leak in leaks for r in leak.reached})
        if reached_all:
            notes.append(f"{text['reached-list']}: {name.many(reached_all)}")
        summary.append({"heading": f"{text['failure']}: {name(failure)}", "lines": lines,
                        "notes": notes or [text["no-leak"]]})

    return {
        "nodes": vis_nodes,
        "edges": vis_edges,
        "highlighted": highlighted,
        "options": options,
        "summary": summary,
        "meta": {"lang": lang, "duty": duty, "principal": principal, "failure": failure,
                 "nodeCount": len(vis_nodes), "edgeCount": len(vis_edges)},
    }


def _short(label: str, limit: int = 60) -> str:
    label = " ".join(label.split())
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _depths(view: ChainView, node_kind: dict[str, str], edges: list[dict], kept: set[str],
            roles: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Depth of every node: principals 0, consignees their tier, others below their sources."""
    depth: dict[str, int] = {}
    for iri in sorted(kept):
        c = view.consignments[iri]
        tier = view.tier(iri)
        if tier is None:
            continue
        if c.consignee in node_kind:
            depth[c.consignee] = min(depth.get(c.consignee, tier), tier)
    for iri in sorted(kept):
        c = view.consignments[iri]
        if c.consignor in node_kind and c.consignor not in depth and view.tier(iri) == 1:
            depth[c.consignor] = 0
    for iri, kind in node_kind.items():
        if iri not in depth and ("principal" in roles.get(iri, ()) or kind == "data-subjects"):
            depth[iri] = 0
    # capacities and their organisation share a row
    capacity_depths: dict[str, list[int]] = defaultdict(list)
    for edge in edges:
        if edge["kind"] == "capacity" and edge["to"] in depth:
            capacity_depths[edge["from"]].append(depth[edge["to"]])
    for organisation, found in sorted(capacity_depths.items()):
        depth.setdefault(organisation, min(found))
    # then down the flows, one row below the nearest source
    outgoing: dict[str, list[str]] = defaultdict(list)
    for edge in edges:
        if edge["kind"] in ("data-provision", "report", "instruction", "hand-off", "copy", "holds", "exposure",
                            "consignment", "capacity"):
            outgoing[edge["from"]].append(edge["to"])
    frontier = sorted(depth, key=lambda iri: (depth[iri], iri))
    while frontier:
        following = []
        for iri in frontier:
            for target in sorted(outgoing.get(iri, ())):
                if target not in depth:
                    depth[target] = depth[iri] + (0 if node_kind.get(target) == "organisation" else 1)
                    following.append(target)
        frontier = following
    for edge in edges:  # organisations whose capacities got a depth only now
        if edge["kind"] == "capacity" and edge["from"] not in depth and edge["to"] in depth:
            depth[edge["from"]] = depth[edge["to"]]
    bottom = max(depth.values(), default=0) + 1
    for iri in node_kind:
        depth.setdefault(iri, bottom)
    return depth


def _positions(node_kind: dict[str, str], edges: list[dict], depth: dict[str, int], name: Names) -> dict[str, tuple[int, int]]:
    """Fixed coordinates: one band per depth, rows of at most ROW_MAX ordered by barycentre."""
    neighbours: dict[str, list[str]] = defaultdict(list)
    for edge in edges:
        if edge["from"] != edge["to"]:
            neighbours[edge["from"]].append(edge["to"])
            neighbours[edge["to"]].append(edge["from"])
    kind_rank = {kind: number for number, kind in enumerate(ROLE_ORDER + ("organisation", "party", "device", "reached"))}
    by_depth: dict[int, list[str]] = defaultdict(list)
    for iri in node_kind:
        by_depth[depth[iri]].append(iri)
    position: dict[str, tuple[int, int]] = {}
    y = 0
    for level in sorted(by_depth):
        members = by_depth[level]

        def key(iri: str) -> tuple:
            above = [position[n][0] for n in neighbours.get(iri, ()) if n in position]
            centre = sum(above) / len(above) if above else math.inf
            return (centre, kind_rank.get(node_kind[iri], 99), name(iri), iri)

        members.sort(key=key)
        rows = max(1, math.ceil(len(members) / ROW_MAX))
        for index, iri in enumerate(members):
            row, column = divmod(index, ROW_MAX)
            in_row = min(ROW_MAX, len(members) - row * ROW_MAX)
            x = int(round((column - (in_row - 1) / 2) * X_GAP))
            position[iri] = (x, y + row * ROW_GAP)
        y += (rows - 1) * ROW_GAP + LEVEL_GAP
    return position


# -- the page ---------------------------------------------------------------------------------

_PAGE_STYLE = """
html,body{margin:0;padding:0;height:100%;font-family:system-ui,-apple-system,"Segoe UI","Hiragino Sans","Noto Sans CJK JP",sans-serif;color:#1b1b1b;background:#fff}
#chainmodel-layout{display:flex;height:100vh}
#chainmodel-network{flex:1 1 auto;min-width:0;height:100%;border-right:1px solid #ddd}
#chainmodel-side{flex:0 0 22rem;overflow:auto;padding:.75rem;font-size:.85rem;box-sizing:border-box}
#chainmodel-side h1{font-size:1.1rem;margin:.2rem 0 .6rem}
#chainmodel-side h2{font-size:.95rem;margin:1rem 0 .4rem}
#chainmodel-details{white-space:pre-wrap;word-break:break-word;background:#fafafa;border:1px solid #e0e0e0;padding:.5rem;min-height:3rem}
.legend{list-style:none;margin:0;padding:0}
.legend li{display:flex;align-items:center;gap:.5rem;margin:.2rem 0}
.swatch{display:inline-block;width:1.1rem;height:.8rem;border:2px solid;box-sizing:border-box;flex:0 0 auto}
.swatch.round{border-radius:50%}
.line{display:inline-block;width:2.2rem;height:0;border-top-width:3px;flex:0 0 auto}
.summary p{margin:.2rem 0}
.summary ol{margin:.2rem 0;padding-left:1.2rem}
div.vis-tooltip{white-space:pre-wrap;max-width:36rem;font-family:inherit;font-size:12px}
@media print{#chainmodel-layout{display:block;height:auto}#chainmodel-network{height:70vh;border:0}#chainmodel-side{width:auto}}
"""

_PAGE_SCRIPT = """
(function () {
  "use strict";
  var raw = JSON.parse(document.getElementById("chainmodel-data").textContent);
  var nodes = new vis.DataSet(raw.nodes);
  var edges = new vis.DataSet(raw.edges);
  var container = document.getElementById("chainmodel-network");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, raw.options);
  var state = {nodes: nodes, edges: edges, network: network, highlighted: raw.highlighted,
               meta: raw.meta, ready: false, readyAt: null};
  window.chainmodelDiagram = state;
  var details = document.getElementById("chainmodel-details");
  function show(item) {
    details.textContent = item && typeof item.title === "string" ? item.title : details.getAttribute("data-hint");
  }
  network.on("click", function (params) {
    if (params.nodes.length) { show(nodes.get(params.nodes[0])); }
    else if (params.edges.length) { show(edges.get(params.edges[0])); }
    else { show(null); }
  });
  network.once("afterDrawing", function () {
    state.ready = true;
    state.readyAt = (window.performance && performance.now) ? performance.now() : null;
    document.body.setAttribute("data-ready", "true");
  });
  network.fit({animation: false});
})();
"""


def _legend(text: dict[str, str], kinds: set[str], edge_kinds: set[str], highlights: set[str]) -> str:
    items = []
    for kind in ROLE_ORDER + ("organisation", "party", "device", "reached"):
        if kind not in kinds:
            continue
        shape, background, border, _ = NODE_STYLE[kind]
        round_class = " round" if shape in ("ellipse", "dot") else ""
        items.append(f'<li><span class="swatch{round_class}" style="background:{background};border-color:{border}"></span>'
                     f"{html.escape(text[kind])} <small>({html.escape(shape)})</small></li>")
    node_list = "".join(items)
    lines = []
    if "consignment" in edge_kinds:
        tiers = "".join(f'<span class="line" style="border-top:3px solid {colour};width:.8rem"></span>'
                        for colour in (TIER_COLOURS[1], TIER_COLOURS[2], TIER_COLOURS[3]))
        lines.append(f"<li>{tiers}{html.escape(text['consignment'])}</li>")
    styles = {
        "data-provision": "solid", "report": "dashed", "covers": "dotted", "copy": "dashed",
        "holds": "dotted", "capacity": "solid", "exposure": "dashed",
    }
    for kind in ("data-provision", "report", "covers", "copy", "holds", "capacity", "exposure"):
        present = kind in edge_kinds or (kind == "report" and edge_kinds & {"instruction", "hand-off"})
        if not present:
            continue
        colour = EDGE_STYLE[kind][0]
        lines.append(f'<li><span class="line" style="border-top:3px {styles[kind]} {colour}"></span>'
                     f"{html.escape(text[kind])}</li>")
    if "duty" in highlights:
        lines.append(f'<li><span class="line" style="border-top:7px solid {CHAIN_COLOURS[0]}"></span>'
                     f"{html.escape(text['duty-chain'])}</li>")
    if "failure" in highlights:
        lines.append(f'<li><span class="line" style="border-top:6px solid {FAILURE_COLOUR}"></span>'
                     f"{html.escape(text['failure-path'])}</li>")
    return (f"<h2>{html.escape(text['legend'])}</h2>"
            f"<ul class=\"legend\" aria-label=\"{html.escape(text['nodes'])}\">{node_list}</ul>"
            f"<ul class=\"legend\" aria-label=\"{html.escape(text['edges'])}\">{''.join(lines)}</ul>")


def diagram_html(view: ChainView, *, lang: str = "en", duty: str | None = None,
                 principal: str | None = None, failure: str | None = None) -> str:
    """One self-contained HTML page drawing the model (see the module docstring).

    Parameters
    ----------
    view : ChainView
        The model to draw.
    lang : str
        ``"en"`` or ``"ja"``: labels and page text.
    duty : str, optional
        A duty (IRI, prefixed name or label) whose responsibility chains are drawn thick.
    principal : str, optional
        Keep only the consignment chains that start at this principal.
    failure : str, optional
        An element whose single-point-of-failure leak path is drawn in red.

    Returns
    -------
    str
        The page; the same arguments always give the same text.
    """
    data = diagram_data(view, lang=lang, duty=duty, principal=principal, failure=failure)
    text = _text(lang)
    script, style = vis_assets()
    title = text["title"]
    highlights = {"duty"} if data["meta"]["duty"] else set()
    if data["meta"]["failure"]:
        highlights.add("failure")
    legend = _legend(text, {n["kind"] for n in data["nodes"]}, {e["kind"] for e in data["edges"]}, highlights)

    summary_parts = []
    for block in data["summary"]:
        items = "".join(f"<li>{html.escape(line)}</li>" for line in block["lines"])
        notes = "".join(f"<p>{html.escape(note)}</p>" for note in block["notes"])
        summary_parts.append(f"<p><strong>{html.escape(block['heading'])}</strong></p>"
                             + (f"<ol>{items}</ol>" if items else "") + notes)
    summary = f'<div class="summary">{"".join(summary_parts)}</div>' if summary_parts else ""

    element_list = ""
    if len(data["nodes"]) <= ELEMENT_LIST_MAX:
        rows = "".join(
            f"<li>{html.escape(node['label'])} <small>({html.escape(text.get(node['kind'], node['kind']))}; "
            f"{html.escape(view.model.qname(node['id']))})</small></li>"
            for node in data["nodes"]
        )
        element_list = (f"<details><summary>{html.escape(text['elements'])} ({len(data['nodes'])})</summary>"
                        f"<ul>{rows}</ul></details>")
    counts = f"{len(data['nodes'])} / {len(data['edges'])}"
    return "".join([
        "<!DOCTYPE html>\n",
        f'<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; "
        "style-src 'unsafe-inline'; img-src data:; connect-src 'none'; frame-src 'none'\">\n",
        f"<title>{html.escape(title)}</title>\n",
        f"<style>\n{style}\n</style>\n<style>{_PAGE_STYLE}</style>\n</head>\n<body>\n",
        '<div id="chainmodel-layout">\n<div id="chainmodel-network" role="img" ',
        f'aria-label="{html.escape(title)}"></div>\n<aside id="chainmodel-side">\n',
        f"<h1>{html.escape(title)} <small>({html.escape(counts)})</small></h1>\n",
        summary,
        f"<h2>{html.escape(text['details'])}</h2>\n",
        f'<div id="chainmodel-details" aria-live="polite" data-hint="{html.escape(text["details-hint"])}">'
        f"{html.escape(text['details-hint'])}</div>\n",
        legend, "\n", element_list,
        "\n</aside>\n</div>\n",
        f'<script id="chainmodel-data" type="application/json">{json_for_html(data)}</script>\n',
        f"<script>\n{script}\n</script>\n",
        f"<script>{_PAGE_SCRIPT}</script>\n",
        "</body>\n</html>\n",
    ])


def write_diagram(view: ChainView, path: str | Path, **kwargs) -> Path:
    """Write :func:`diagram_html` to ``path`` (UTF-8) and return the path; nothing else is written."""
    target = Path(path)
    target.write_bytes(diagram_html(view, **kwargs).encode("utf-8"))
    return target
