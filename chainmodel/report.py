"""The audit report of a chain model, as one HTML page or as Markdown.

``report_html(view)`` and ``report_markdown(view)`` say, in English or Japanese:

* what the model holds: parties by capacity, consignments by derived tier, duties, hand-offs,
  data assets with subject counts, sensitive categories and where copies rest, and controls;
* each duty's responsibility chains (:func:`chainmodel.trace.trace_all`), with the duties
  entrusted more than once and those that reach no performer flagged;
* the single points of failure (:func:`chainmodel.leaks.single_points_of_failure`) with
  their leak paths, what they expose, and the controls that do not catch them and why;
* the blast-radius ranking (:func:`chainmodel.blast.blast_rank`, top 20);
* the validation findings with their legal sources (``chainmodel.validate``, imported
  lazily: when it cannot be imported the report says so);
* the diagram (:mod:`chainmodel.diagram`): embedded in the HTML page through ``srcdoc``
  (escaped, sandboxed), linked from the Markdown when ``diagram_href`` is given.

Every text from the model is escaped; the same model always gives the same bytes; the page
loads nothing from the network and prints cleanly (``@media print``).

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.views import chain_view
>>> view = chain_view(load_model(["examples/case-b-optout"]))
>>> "Single points of failure" in report_markdown(view)
True
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import PurePath
from typing import Iterable, Sequence, Union
from urllib.parse import quote

from .blast import blast_rank
from .diagram import ROLE_ORDER, Names, _party_roles, _primary_role, diagram_html, role_names
from .leaks import single_points_of_failure
from .catalogue import render
from .text import step_effect, term
from .trace import trace_all
from .views import ChainView

__all__ = ["report_html", "report_markdown", "BLAST_TOP"]

BLAST_TOP = 20
"""Entries of the blast-radius ranking the report lists."""

TEXT = {
    "en": {
        "title": "Chain model audit report",
        "generated-from": "Model files",
        "contents": "Contents",
        "summary": "Summary",
        "holds": "What the model holds",
        "parties": "Parties by capacity",
        "consignments": "Consignments by tier",
        "duties": "Duties",
        "handoffs": "Hand-offs",
        "assets": "Data assets",
        "controls": "Controls",
        "chains": "Responsibility chains",
        "spof": "Single points of failure",
        "blast": "Blast radius ranking",
        "validation": "Validation findings",
        "diagram": "Diagram",
        "principal": "Principals",
        "consignee": "Consignees",
        "re-consignee": "Re-consignees",
        "producer": "Producers",
        "recipient": "Recipients",
        "regulator": "Regulators",
        "data-subjects": "Data subjects",
        "organisation": "Organisations acting through capacities",
        "party": "Other parties",
        "tier": "Tier {n}",
        "tier-unknown": "Tier unknown (in a consignment cycle)",
        "name": "Name",
        "labels": "Labels",
        "iri": "IRI",
        "roles": "Roles",
        "organisation-of": "Capacity of",
        "consignment": "Consignment",
        "consignor": "Consignor",
        "consignee-col": "Consignee",
        "entrusts": "Duties entrusted",
        "entrusts-data": "Data entrusted",
        "approval": "Approval",
        "approved-by": "Approved by",
        "period": "Period",
        "extends": "Extends",
        "accountable": "Accountable",
        "performers": "Performed by",
        "legal-basis": "Legal basis",
        "needs": "Needs",
        "protects": "Protects",
        "kind": "Kind",
        "sender": "Sender",
        "receiver": "Receiver",
        "carries": "Carries",
        "serves": "Serves",
        "guarded-by": "Guarded by",
        "cadence": "Cadence",
        "acknowledged-by": "Acknowledged by",
        "subjects": "Subjects",
        "per-principal": "Per principal",
        "categories": "Categories",
        "sensitive": "Sensitive categories",
        "controllers": "Controllers",
        "copies": "Copies rest at",
        "anonymised": "anonymised",
        "sensitive-flag": "sensitive (要配慮個人情報)",
        "operators": "Operated by",
        "covers": "Covers",
        "notifies": "Notifies",
        "latency": "Detects within",
        "rules-out-leak": "Rules a leak out",
        "limitation": "Limitation",
        "count": "Count",
        "no-items": "None in the model.",
        "chain": "Chain {n}",
        "supervisors": "Supervisors on the way",
        "reaches-performer": "reaches the performer",
        "misses-performer": "does not reach the performer",
        "not-from-accountable": "does not start at the accountable party",
        "more-than-once": "Entrusted through more than one chain.",
        "no-performer": "No chain reaches a party that performs it.",
        "truncated": "The chains were cut short after {n}.",
        "no-chains": "Not entrusted by any consignment.",
        "element": "Element",
        "modes": "Failure modes",
        "harm": "Harm",
        "flow": "Protected flow",
        "guard": "Guard duty",
        "path": "Leak path",
        "step": "Step",
        "role": "What happens",
        "reached": "Parties reached",
        "exposed": "Exposed",
        "uncaught": "Controls that exist but do not catch it",
        "reason": "Why not",
        "none-uncaught": "No control covers this element.",
        "no-spof": "No single failure leaks data through on its own.",
        "rank": "#",
        "notifications": "Reporting duties triggered",
        "rule": "Rule",
        "because": "Because",
        "severity": "Severity",
        "message": "Finding",
        "focus": "Evidence",
        "sources": "Legal sources",
        "no-findings": "No findings.",
        "validation-missing": "Validation is not available in this installation (chainmodel.validate cannot be imported: {error}); no findings are reported here.",
        "validation-failed": "Validation stopped with an error ({error}); no findings are reported here. Run chainmodel validate on the model to see it.",
        "shacl-missing": "The SHACL shapes were not checked (chainmodel.shacl cannot be imported: {error}).",
        "diagram-embedded": "The interactive diagram of the model (drag to move, scroll to zoom, click for facts).",
        "diagram-linked": "The interactive diagram of the model",
        "diagram-none": "No diagram was written with this report.",
        "diagram-print": "The interactive diagram is not printed; open the report or the diagram file on screen.",
        "unknown": "unknown",
        "yes": "yes",
        "no": "no",
        "total-known": "{n} known",
        "summary-line": "{parties} parties, {consignments} consignments (deepest tier {tier}), {duties} duties, {assets} data assets, {controls} controls; {spof} single points of failure; {findings} validation findings.",
        "unattributed": "unattributed",
        "exposure-line": "{subjects} subjects",
        "whole": "(in all)",
    },
    "ja": {
        "title": "委託チェーン監査報告書",
        "generated-from": "モデルファイル",
        "contents": "目次",
        "summary": "概要",
        "holds": "モデルの内容",
        "parties": "立場別の当事者",
        "consignments": "階層別の委託",
        "duties": "義務",
        "handoffs": "受け渡し",
        "assets": "データ資産",
        "controls": "統制",
        "chains": "責任の連鎖",
        "spof": "単一障害点",
        "blast": "影響範囲の順位",
        "validation": "検証結果",
        "diagram": "図",
        "principal": "委託元",
        "consignee": "委託先",
        "re-consignee": "再委託先",
        "producer": "作成事業者",
        "recipient": "提供先",
        "regulator": "監督当局",
        "data-subjects": "本人（データ主体）",
        "organisation": "立場を通じて行動する組織",
        "party": "その他の当事者",
        "tier": "第{n}層",
        "tier-unknown": "階層不明（委託の循環内）",
        "name": "名称",
        "labels": "ラベル",
        "iri": "IRI",
        "roles": "役割",
        "organisation-of": "立場の主体",
        "consignment": "委託",
        "consignor": "委託者",
        "consignee-col": "受託者",
        "entrusts": "委託する業務",
        "entrusts-data": "委託するデータ",
        "approval": "承諾状況",
        "approved-by": "承諾者",
        "period": "期間",
        "extends": "再委託の元",
        "accountable": "責任者",
        "performers": "実施者",
        "legal-basis": "法的根拠",
        "needs": "前提となる義務",
        "protects": "保護するデータ",
        "kind": "種別",
        "sender": "送り手",
        "receiver": "受け手",
        "carries": "運ぶデータ",
        "serves": "対象の義務",
        "guarded-by": "防護する義務",
        "cadence": "頻度",
        "acknowledged-by": "受領確認",
        "subjects": "本人数",
        "per-principal": "委託元ごと",
        "categories": "項目",
        "sensitive": "要配慮個人情報の項目",
        "controllers": "管理者",
        "copies": "複製の所在",
        "anonymised": "匿名加工",
        "sensitive-flag": "要配慮個人情報",
        "operators": "運用者",
        "covers": "対象",
        "notifies": "通知先",
        "latency": "検知までの期間",
        "rules-out-leak": "漏えいを否定できる",
        "limitation": "限界",
        "count": "件数",
        "no-items": "モデルにありません。",
        "chain": "連鎖{n}",
        "supervisors": "途中の監督者",
        "reaches-performer": "実施者に届く",
        "misses-performer": "実施者に届かない",
        "not-from-accountable": "責任者から始まらない",
        "more-than-once": "複数の連鎖で委託されています。",
        "no-performer": "実施者に届く連鎖がありません。",
        "truncated": "連鎖の列挙は{n}件で打ち切りました。",
        "no-chains": "どの委託でも委託されていません。",
        "element": "要素",
        "modes": "障害の種類",
        "harm": "害",
        "flow": "保護される提供",
        "guard": "防護する義務",
        "path": "漏えい経路",
        "step": "段階",
        "role": "起きること",
        "reached": "データが届く者",
        "exposed": "漏えいするもの",
        "uncaught": "存在するが検知できない統制",
        "reason": "理由",
        "none-uncaught": "この要素を対象とする統制はありません。",
        "no-spof": "単独で漏えいにつながる障害はありません。",
        "rank": "順位",
        "notifications": "生じる報告義務",
        "rule": "規則",
        "because": "理由",
        "severity": "重大度",
        "message": "指摘",
        "focus": "根拠となる要素",
        "sources": "法的根拠",
        "no-findings": "指摘はありません。",
        "validation-missing": "この環境では検証を実行できません（chainmodel.validate を読み込めません: {error}）。検証結果は記載していません。",
        "validation-failed": "検証がエラー（{error}）で停止したため、検証結果は記載していません。モデルに chainmodel validate を実行して確認してください。",
        "shacl-missing": "SHACL形状は検査していません（chainmodel.shacl を読み込めません: {error}）。",
        "diagram-embedded": "モデルの対話型の図（ドラッグで移動、スクロールで拡大縮小、クリックで詳細）。",
        "diagram-linked": "モデルの対話型の図",
        "diagram-none": "この報告書には図を添付していません。",
        "diagram-print": "対話型の図は印刷されません。画面で報告書または図のファイルを開いてください。",
        "unknown": "不明",
        "yes": "はい",
        "no": "いいえ",
        "total-known": "判明分 {n}",
        "summary-line": "当事者 {parties}、委託 {consignments}（最深 第{tier}層）、義務 {duties}、データ資産 {assets}、統制 {controls}。単一障害点 {spof}、検証の指摘 {findings}。",
        "unattributed": "委託元不明",
        "exposure-line": "本人 {subjects}",
        "whole": "（全体）",
    },
}


# -- a small document model, rendered to HTML and to Markdown ---------------------------------


@dataclass(frozen=True)
class Name:
    """A model element, shown by its label (with its IRI as a tooltip in HTML); None shows "-"."""

    iri: str | None


@dataclass(frozen=True)
class Code:
    text: str


@dataclass(frozen=True)
class Strong:
    text: str


@dataclass(frozen=True)
class Link:
    """A link to a section of the report itself (``#anchor``); never to another document."""

    anchor: str
    text: str


Inline = Union[str, Name, Code, Strong, Link]
Content = Union[Inline, Sequence[Inline]]


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str | None = None


@dataclass(frozen=True)
class Para:
    content: Content


@dataclass(frozen=True)
class Items:
    items: tuple[Content, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[Content, ...], ...]


@dataclass(frozen=True)
class Diagram:
    pass


def _inlines(content: Content) -> list[Inline]:
    if isinstance(content, (str, Name, Code, Strong, Link)):
        return [content]
    return list(content)


def _join(parts: Iterable[Content], separator: str = ", ") -> list[Inline]:
    out: list[Inline] = []
    for number, part in enumerate(parts):
        if number:
            out.append(separator)
        out.extend(_inlines(part))
    return out


def _names(iris: Iterable[str | None]) -> list[Inline]:
    return _join([Name(iri) for iri in iris if iri]) or ["-"]


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_MD_LINE_START = re.compile(r"^(\s*)([#+\-=]|\d+[.)])")


def _md_text(text: str) -> str:
    """Markdown-safe inline text: emphasis, code, link and table marks backslash-escaped,
    ``& < >`` written as entities (so no HTML passes through), all on one line."""
    text = re.sub(r"\s+", " ", str(text))
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _Renderer:
    def __init__(self, view: ChainView, lang: str) -> None:
        self.view = view
        self.name = Names(view, lang)
        self.lang = lang

    # HTML
    def html_inline(self, content: Content) -> str:
        out = []
        for part in _inlines(content):
            if isinstance(part, Name) and part.iri is None:  # a reference the model leaves out
                out.append("-")
            elif isinstance(part, Name):
                out.append(f'<span class="el" title="{html.escape(part.iri)}">{html.escape(self.name(part.iri))}</span>')
            elif isinstance(part, Code):
                out.append(f"<code>{html.escape(part.text)}</code>")
            elif isinstance(part, Strong):
                out.append(f"<strong>{html.escape(part.text)}</strong>")
            elif isinstance(part, Link):
                out.append(f'<a href="#{html.escape(part.anchor)}">{html.escape(part.text)}</a>')
            else:
                out.append(html.escape(part))
        return "".join(out)

    def html_block(self, block, diagram: str | None, text: dict[str, str]) -> str:
        if isinstance(block, Heading):
            anchor = f' id="{html.escape(block.anchor)}"' if block.anchor else ""
            return f"<h{block.level}{anchor}>{html.escape(block.text)}</h{block.level}>\n"
        if isinstance(block, Para):
            return f"<p>{self.html_inline(block.content)}</p>\n"
        if isinstance(block, Items):
            tag = "ol" if block.ordered else "ul"
            items = "".join(f"<li>{self.html_inline(item)}</li>" for item in block.items)
            return f"<{tag}>{items}</{tag}>\n"
        if isinstance(block, Table):
            head = "".join(f"<th>{html.escape(h)}</th>" for h in block.headers)
            rows = "".join("<tr>" + "".join(f"<td>{self.html_inline(cell)}</td>" for cell in row) + "</tr>\n"
                           for row in block.rows)
            return f"<table><thead><tr>{head}</tr></thead>\n<tbody>\n{rows}</tbody></table>\n"
        if isinstance(block, Diagram):
            if diagram is None:
                return f"<p>{html.escape(text['diagram-none'])}</p>\n"
            return (f"<p>{html.escape(text['diagram-embedded'])}</p>\n"
                    f'<p class="print-only">{html.escape(text["diagram-print"])}</p>\n'
                    f'<iframe class="diagram" title="{html.escape(text["diagram"])}" sandbox="allow-scripts" '
                    f'referrerpolicy="no-referrer" srcdoc="{html.escape(diagram, quote=True)}"></iframe>\n')
        raise TypeError(block)

    # Markdown
    def md_inline(self, content: Content) -> str:
        out = []
        for part in _inlines(content):
            if isinstance(part, Name):
                out.append(_md_text(self.name(part.iri)) if part.iri is not None else "-")
            elif isinstance(part, Code):
                text = " ".join(part.text.split()).replace("`", "'")
                out.append(f"`{text}`")
            elif isinstance(part, Strong):
                out.append(f"**{_md_text(part.text)}**")
            elif isinstance(part, Link):
                out.append(f"[{_md_text(part.text)}](#{quote(part.anchor)})")
            else:
                out.append(_md_text(part))
        return "".join(out)

    def md_block(self, block, diagram_href: str | None, text: dict[str, str]) -> str:
        if isinstance(block, Heading):
            anchor = f' <a id="{html.escape(block.anchor)}"></a>' if block.anchor else ""
            return f"{'#' * block.level} {_md_text(block.text).strip()}{anchor}\n\n"
        if isinstance(block, Para):  # a paragraph must not turn into a heading or a list
            return f"{_MD_LINE_START.sub(lambda m: m.group(1) + chr(92) + m.group(2), self.md_inline(block.content))}\n\n"
        if isinstance(block, Items):
            lines = [f"{number}. " if block.ordered else "- " for number in range(1, len(block.items) + 1)]
            return "".join(f"{marker}{self.md_inline(item)}\n" for marker, item in zip(lines, block.items)) + "\n"
        if isinstance(block, Table):
            head = "| " + " | ".join(_md_text(h) for h in block.headers) + " |\n"
            rule = "|" + "|".join("---" for _ in block.headers) + "|\n"
            rows = "".join("| " + " | ".join(self.md_inline(cell) or " " for cell in row) + " |\n" for row in block.rows)
            return head + rule + rows + "\n"
        if isinstance(block, Diagram):
            if not diagram_href:
                return f"{_md_text(text['diagram-none'])}\n\n"
            target = quote(diagram_href, safe="/:#?&=%~.-_@!$',;+")
            target = target.replace("(", "%28").replace(")", "%29")
            return f"[{_md_text(text['diagram-linked'])}](<{target}>)\n\n"
        raise TypeError(block)


# -- building the report ------------------------------------------------------------------------


def _count(value: int | None, text: dict[str, str]) -> str:
    return f"{value:,}" if value is not None else text["unknown"]


def _population_words(found, lang: str) -> str:
    """Every population an exposure (or one principal's part of it) reaches, in words."""
    from .phrases import count_phrase
    from .serialise import count_json

    return "; ".join(count_phrase(count_json(p.count), {"iri": p.unit}, lang) for p in found.populations) or "-"


def _asset_line(view: ChainView, asset_iri: str, text: dict[str, str], sensitive: bool = True) -> list[Inline]:
    asset = view.assets.get(asset_iri)
    parts: list[Inline] = [Name(asset_iri)]
    if asset is None:
        return parts
    details: list[Content] = []
    if asset.subject_count is not None:
        details.append(f"{text['subjects']} {asset.subject_count:,}")
    if sensitive and asset.sensitive_categories:
        details.append([f"{text['sensitive']}: "] + _names(asset.sensitive_categories))
    elif sensitive and asset.sensitive:
        details.append(text["sensitive-flag"])
    if details:
        parts += [" ("] + _join(details, "; ") + [")"]
    return parts


def _validation(view: ChainView, text: dict[str, str]) -> tuple[list | None, str | None]:
    """(findings, note): findings is None, with a note, when validation cannot be imported."""
    try:
        from chainmodel.validate import validate
    except ImportError as error:  # written elsewhere; the report says when it is missing
        return None, text["validation-missing"].format(error=type(error).__name__)
    try:
        try:
            return list(validate(view)), None
        except ModuleNotFoundError as error:  # the SHACL engine is optional
            return list(validate(view, shacl=False)), text["shacl-missing"].format(error=type(error).__name__)
    except Exception as error:  # noqa: BLE001 - the rest of the report still stands; say what failed
        return None, text["validation-failed"].format(error=type(error).__name__)


def _build(view: ChainView, lang: str) -> tuple[list, dict[str, str]]:
    text = TEXT.get(lang, TEXT["en"])
    name = Names(view, lang)
    model = view.model
    blocks: list = []
    roles = _party_roles(view)

    traces = trace_all(view)
    leaks = single_points_of_failure(view)
    blasts = blast_rank(view, limit=BLAST_TOP)
    findings, validation_note = _validation(view, text)

    sections = [("holds", text["holds"]), ("chains", text["chains"]), ("spof", text["spof"]),
                ("blast", text["blast"]), ("validation", text["validation"]), ("diagram", text["diagram"])]

    blocks.append(Heading(1, text["title"]))
    sources = sorted({PurePath(source).name for source in model.sources})
    if sources:
        blocks.append(Para([f"{text['generated-from']}: "] + _join([Code(s) for s in sources])))
    tiers = [t for t in (view.tier(c) for c in view.consignments) if t]
    blocks.append(Heading(2, text["summary"], "summary"))
    blocks.append(Para(text["summary-line"].format(
        parties=len(view.parties), consignments=len(view.consignments), tier=max(tiers, default=0),
        duties=len(view.duties), assets=len(view.assets), controls=len(view.controls), spof=len(leaks),
        findings=len(findings) if findings is not None else text["unknown"])))
    blocks.append(Heading(2, text["contents"], "contents"))
    blocks.append(Items(tuple(Link(anchor, title) for anchor, title in sections), ordered=True))

    # -- what the model holds ---------------------------------------------------------------
    blocks.append(Heading(2, text["holds"], "holds"))
    blocks.append(Heading(3, text["parties"], "parties"))
    capacities: dict[str, list[str]] = defaultdict(list)
    for party in view.parties.values():
        if party.organisation:
            capacities[party.organisation].append(party.iri)
    groups: dict[str, list[str]] = defaultdict(list)
    for iri in view.parties:
        primary = _primary_role(roles[iri])
        groups[primary or ("organisation" if capacities.get(iri) else "party")].append(iri)
    for group in ROLE_ORDER + ("organisation", "party"):
        members = sorted(groups.get(group, []), key=lambda iri: (name(iri), iri))
        if not members:
            continue
        blocks.append(Heading(4, f"{text[group]} ({len(members)})"))
        rows = []
        for iri in members:
            labels = model.labels(iri)
            label_text = "; ".join(f"{labels[key]} [{key or '-'}]" for key in sorted(labels)) or "-"
            party = view.parties[iri]
            rows.append((Name(iri), label_text, Code(model.qname(iri)), role_names(roles[iri], lang),
                         _names([party.organisation]) if party.organisation else
                         (_names(sorted(capacities[iri])) if capacities.get(iri) else "-")))
        blocks.append(Table((text["name"], text["labels"], text["iri"], text["roles"], text["organisation-of"]),
                            tuple(rows)))

    blocks.append(Heading(3, text["consignments"], "consignments"))
    by_tier: dict[int | None, list[str]] = defaultdict(list)
    for iri in view.consignments:
        by_tier[view.tier(iri)].append(iri)
    if not view.consignments:
        blocks.append(Para(text["no-items"]))
    for tier in sorted(by_tier, key=lambda t: (t is None, t or 0)):
        members = sorted(by_tier[tier])
        heading = text["tier"].format(n=tier) if tier else text["tier-unknown"]
        blocks.append(Heading(4, f"{heading} ({len(members)})"))
        rows = []
        for iri in members:
            c = view.consignments[iri]
            approval: list[Inline] = [Name(c.approval)] if c.approval else ([text["unknown"]] if (tier or 0) > 1 else ["-"])
            if c.approved_by:
                approval += [f"; {text['approved-by']}: "] + _names(c.approved_by)
            period = f"{c.start or '?'} – {c.end or '?'}" if (c.start or c.end) else "-"
            rows.append((
                [Name(iri), " ", Code(model.qname(iri))],
                _names([c.consignor]), _names([c.consignee]),
                _names(sorted(c.duties)),
                _join([_asset_line(view, a, text) for a in sorted(c.data)], "; ") or "-",
                approval,
                _names(c.parents) if c.parents else "-",
                period,
            ))
        blocks.append(Table((text["consignment"], text["consignor"], text["consignee-col"], text["entrusts"],
                             text["entrusts-data"], text["approval"], text["extends"], text["period"]), tuple(rows)))

    blocks.append(Heading(3, text["duties"], "duties"))
    if not view.duties:
        blocks.append(Para(text["no-items"]))
    else:
        rows = []
        for iri in sorted(view.duties):
            d = view.duties[iri]
            serving = sorted(h for h, record in view.handoffs.items() if iri in record.serves)
            rows.append(([Name(iri), " ", Code(model.qname(iri))], _names([d.accountable]), _names(d.performers),
                         _names(d.legal_basis), _names(d.needs), _names(d.protects), _names(serving)))
        blocks.append(Table((text["name"], text["accountable"], text["performers"], text["legal-basis"],
                             text["needs"], text["protects"], text["handoffs"]), tuple(rows)))

    blocks.append(Heading(3, text["handoffs"], "handoffs"))
    if not view.handoffs:
        blocks.append(Para(text["no-items"]))
    else:
        rows = []
        for iri in sorted(view.handoffs):
            h = view.handoffs[iri]
            rows.append(([Name(iri), " ", Code(model.qname(iri))], h.kind, _names([h.sender]), _names([h.receiver]),
                         _join([_asset_line(view, a, text) for a in h.carries], "; ") or "-",
                         _names(h.serves), _names(h.guarded_by), h.cadence or "-", _names(h.acknowledged_by)))
        blocks.append(Table((text["name"], text["kind"], text["sender"], text["receiver"], text["carries"],
                             text["serves"], text["guarded-by"], text["cadence"], text["acknowledged-by"]), tuple(rows)))

    blocks.append(Heading(3, text["assets"], "assets"))
    if not view.assets:
        blocks.append(Para(text["no-items"]))
    else:
        rests: dict[str, list[Content]] = defaultdict(list)
        for copy in sorted(view.copies.values(), key=lambda c: c.iri):
            if copy.asset:
                place = [Name(copy.device)] if copy.device else []
                holder = view.holder_of(copy)
                if holder:
                    place = place + ([" @ "] if place else []) + [Name(holder)]
                rests[copy.asset].append(place or [Name(copy.iri)])
        rows = []
        for iri in sorted(view.assets):
            a = view.assets[iri]
            per = _join([[Name(p), f" {n:,}"] for p, n in a.counts], "; ") or "-"
            flags = [text["anonymised"]] if a.anonymised else []
            if a.sensitive and not a.sensitive_categories:
                flags.append(text["sensitive-flag"])
            rows.append(([Name(iri), " ", Code(model.qname(iri))] + ([f" ({', '.join(flags)})"] if flags else []),
                         _count(a.subject_count, text), per, str(len(a.categories)),
                         _names(a.sensitive_categories), _names(a.controllers),
                         _join(rests.get(iri, []), "; ") or "-"))
        blocks.append(Table((text["name"], text["subjects"], text["per-principal"], text["categories"],
                             text["sensitive"], text["controllers"], text["copies"]), tuple(rows)))

    blocks.append(Heading(3, text["controls"], "controls"))
    if not view.controls:
        blocks.append(Para(text["no-items"]))
    else:
        rows = []
        for iri in sorted(view.controls):
            k = view.controls[iri]
            limitation = [t for language, t in k.limitation if language == lang] or [t for _, t in k.limitation]
            rows.append(([Name(iri), " ", Code(model.qname(iri))], k.kind, _names(k.operators), _names(k.covers),
                         _names(k.notifies), k.latency or "-",
                         "-" if k.rules_out_leak is None else text["yes" if k.rules_out_leak else "no"],
                         " ".join(limitation[:1]) or "-"))
        blocks.append(Table((text["name"], text["kind"], text["operators"], text["covers"], text["notifies"],
                             text["latency"], text["rules-out-leak"], text["limitation"]), tuple(rows)))

    # -- responsibility chains ---------------------------------------------------------------
    blocks.append(Heading(2, text["chains"], "chains"))
    if not traces:
        blocks.append(Para(text["no-items"]))
    for trace in traces:
        blocks.append(Heading(3, name(trace.duty)))
        blocks.append(Para([f"{text['accountable']}: "] + _names([trace.accountable])
                           + [f"; {text['performers']}: "] + _names(trace.performers)))
        flags = []
        if trace.entrusted_more_than_once:
            flags.append(Strong(text["more-than-once"]))
        if trace.no_performer:
            flags.append(Strong(text["no-performer"]))
        if trace.truncated:
            flags.append(Strong(text["truncated"].format(n=len(trace.chains))))
        if flags:
            blocks.append(Para(_join(flags, " ")))
        if not trace.chains:
            blocks.append(Para(text["no-chains"]))
            continue
        items = []
        for number, chain in enumerate(trace.chains, start=1):
            parts: list[Inline] = [Strong(text["chain"].format(n=number)), ": ", Name(chain.links[0].consignor)]
            for link in chain.links:
                approval = f", {name(link.approval)}" if link.approval else ""
                parts += [f" → [{text['tier'].format(n=link.tier)}{approval}] ", Name(link.consignee)]
            status = [text["reaches-performer"] if chain.reaches_performer else text["misses-performer"]]
            if not chain.starts_at_accountable:
                status.append(text["not-from-accountable"])
            parts += [f" ({'; '.join(status)}; {text['supervisors']}: "] + _names(chain.supervisors) + [")"]
            items.append(parts)
        blocks.append(Items(tuple(items), ordered=False))

    # -- single points of failure --------------------------------------------------------------
    blocks.append(Heading(2, text["spof"], "spof"))
    if not leaks:
        blocks.append(Para(text["no-spof"]))
    for number, leak in enumerate(leaks, start=1):
        modes = ", ".join(name(m) for m in leak.modes)
        blocks.append(Heading(3, f"{number}. {name(leak.element)} ({modes})"))
        facts: list[Content] = [
            [f"{text['element']}: ", Name(leak.element), " ", Code(model.qname(leak.element)), f" ({term(leak.element_kind, lang)})"],
            [f"{text['operators']}: "] + _names(leak.operators),
            [f"{text['accountable']}: "] + _names(leak.accountable),
            f"{text['harm']}: {term(leak.harm_kind, lang)}",
        ]
        if leak.flow:
            facts.append([f"{text['flow']}: ", Name(leak.flow)])
        if leak.guard:
            facts.append([f"{text['guard']}: ", Name(leak.guard)])
        if leak.duties:
            facts.append([f"{text['duties']}: "] + _names(leak.duties))
        facts.append([f"{text['reached']}: "] + _names(leak.reached))
        exposure = leak.exposure
        exposed: list[Inline] = [f"{text['exposed']}: "]
        exposed.append(_population_words(exposure, lang))
        if exposure.principals:
            exposed += [f"; {text['per-principal']}: "] + _join([[Name(p.principal), " ", _population_words(p, lang)]
                                                                  for p in exposure.principals])
        if exposure.sensitive_categories:
            exposed += [f"; {text['sensitive']}: "] + _names(exposure.sensitive_categories)
        elif exposure.sensitive:
            exposed += [f"; {text['sensitive-flag']}"]
        if exposure.assets:
            exposed += [" — "] + _join([_asset_line(view, a.asset, text, sensitive=False) for a in exposure.assets], "; ")
        facts.append(exposed)
        blocks.append(Items(tuple(facts)))
        blocks.append(Para(Strong(text["path"])))
        rows = tuple(
            (str(position), [Name(step.element)], term(step.kind, lang), _names([step.sender]) if step.sender else "-",
             _names([step.receiver]) if step.receiver else "-", step_effect(step.role, lang))
            for position, step in enumerate(leak.path, start=1)
        )
        blocks.append(Table((text["step"], text["element"], text["kind"], text["sender"], text["receiver"], text["role"]),
                            rows))
        blocks.append(Para(Strong(text["uncaught"])))
        if leak.uncaught_by:
            blocks.append(Table((text["controls"], text["reason"]), tuple(
                ([Name(verdict.control)], "; ".join(render(r.key, r.values, lang, str) for r in verdict.reasons) or "-")
                for verdict in leak.uncaught_by)))
        else:
            blocks.append(Para(text["none-uncaught"]))

    # -- blast radius ------------------------------------------------------------------------
    blocks.append(Heading(2, text["blast"], "blast"))
    if not blasts:
        blocks.append(Para(text["no-items"]))
    else:
        rows = []
        for number, blast in enumerate(blasts, start=1):
            exposure = blast.exposure
            subjects = _population_words(exposure, lang)
            per = _join([[Name(p.principal), " ", _population_words(p, lang)] for p in exposure.principals], "; ") or "-"
            notes = _join([[Name(n.sender), " → ", Name(n.recipient), " (", Name(n.rule), ")"]
                           for n in blast.notifications], "; ") or "-"
            rows.append((str(number), [Name(blast.element), " ", Code(model.qname(blast.element))], blast.kind, subjects,
                         per, _names(exposure.sensitive_categories) if exposure.sensitive_categories else
                         (text["sensitive-flag"] if exposure.sensitive else "-"), notes))
        blocks.append(Table((text["rank"], text["element"], text["kind"], text["subjects"], text["per-principal"],
                             text["sensitive"], text["notifications"]), tuple(rows)))

    # -- validation ---------------------------------------------------------------------------
    blocks.append(Heading(2, text["validation"], "validation"))
    if validation_note:
        blocks.append(Para(Strong(validation_note)))
    if findings:
        rows = tuple(
            (finding.severity, [Name(finding.rule)], finding.message, _join([Code(model.qname(f)) for f in finding.focus]) or "-",
             "; ".join(finding.source) or "-")
            for finding in findings
        )
        blocks.append(Table((text["severity"], text["rule"], text["message"], text["focus"], text["sources"]), rows))
    elif findings is not None:
        blocks.append(Para(text["no-findings"]))

    blocks.append(Heading(2, text["diagram"], "diagram"))
    blocks.append(Diagram())
    return blocks, text


_REPORT_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI","Hiragino Sans","Noto Sans CJK JP",sans-serif;color:#1b1b1b;background:#fff;margin:0 auto;padding:1rem 1.5rem;max-width:80rem;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.3rem;border-bottom:2px solid #1f4e79;padding-bottom:.2rem;margin-top:2rem}
h3{font-size:1.1rem;margin-top:1.4rem}h4{font-size:1rem;margin:1rem 0 .4rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem;font-size:.85rem}
th,td{border:1px solid #ccc;padding:.25rem .4rem;vertical-align:top;text-align:left;overflow-wrap:break-word}
th{background:#eef2f7}
code{font-size:.8em;color:#37474f;word-break:break-all}
.el{border-bottom:1px dotted #90a4ae}
iframe.diagram{width:100%;height:80vh;border:1px solid #ccc}
.print-only{display:none}
@media print{
  body{max-width:none;padding:0;font-size:9.5pt;color:#000}
  h2{page-break-before:auto;page-break-after:avoid;break-after:avoid}
  h3,h4{page-break-after:avoid;break-after:avoid}
  table{font-size:8pt}
  tr,li{page-break-inside:avoid;break-inside:avoid}
  thead{display:table-header-group}
  th{background:#eee !important;-webkit-print-color-adjust:exact;print-color-adjust:exact}
  .el{border:0}
  iframe.diagram{display:none}
  .print-only{display:block;font-style:italic}
}
@page{margin:14mm 12mm}
"""


def report_html(view: ChainView, lang: str = "en", *, diagram: bool = True) -> str:
    """The audit report as one self-contained HTML page (the diagram embedded, sandboxed).

    ``diagram=False`` leaves the diagram out (for very large models).
    """
    blocks, text = _build(view, lang)
    renderer = _Renderer(view, lang)
    embedded = diagram_html(view, lang=lang) if diagram else None
    body = "".join(renderer.html_block(block, embedded, text) for block in blocks)
    return "".join([
        "<!DOCTYPE html>\n",
        f'<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; "
        "style-src 'unsafe-inline'; img-src data:; connect-src 'none'\">\n",
        f"<title>{html.escape(text['title'])}</title>\n<style>{_REPORT_STYLE}</style>\n</head>\n<body>\n",
        body,
        "</body>\n</html>\n",
    ])


def report_markdown(view: ChainView, lang: str = "en", diagram_href: str | None = None) -> str:
    """The audit report as Markdown; ``diagram_href`` links the diagram file when given."""
    blocks, text = _build(view, lang)
    renderer = _Renderer(view, lang)
    return "".join(renderer.md_block(block, diagram_href, text) for block in blocks).rstrip("\n") + "\n"
