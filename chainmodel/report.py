"""The audit report, as one HTML page or as Markdown, rendered from :func:`chainmodel.dossier.report_data`.

The report is what an auditor hands to a committee, in the order they read it:

* a title block: the date, the tool version, every input file with its SHA-256, the
  language, and whether validation conforms, does not, or failed (then it says so first);
* a one-paragraph summary, then the validation findings with their legal sources and the
  single points of failure with their leak paths, exposure, and the controls that do not
  catch them and why;
* the blast-radius ranking and, for each of its elements, the reporting duties of each
  principal with the regime and the articles that impose them;
* the timeline of each incident (exposure window, who knew when, each report against its
  deadlines, each detective control's would-be window);
* the responsibility chains and the inventory of the model;
* the diagram: interactive on screen, and on paper the static SVG drawn by the same layout.

For a portfolio (:data:`chainmodel.dossier.PORTFOLIO_PARTIES`) the lists become groups with
counts and their worst members, and the full detail is the JSON file written beside it.

Every fixed word comes from the catalogue (``words/report.toml`` and the shared entries);
every text from the model is escaped; the same data gives the same bytes; the page loads
nothing from the network and prints on A4 without clipped tables. This module calls no
analysis: :func:`report_html` and :func:`report_markdown` compose through
:mod:`chainmodel.dossier` and then render.

Examples
--------
>>> import os
>>> os.environ["SOURCE_DATE_EPOCH"] = "1767225600"
>>> from chainmodel.model import load_model
>>> from chainmodel.views import chain_view
>>> view = chain_view(load_model(["examples/case-b-optout"]))
>>> text = report_markdown(view, workers=1)
>>> "## Single points of failure" in text and "| Date | 2026-01-01 |" in text
True
>>> del os.environ["SOURCE_DATE_EPOCH"]
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Sequence, Union
from urllib.parse import quote

from .catalogue import duration_words, join, say
from .diagram import page, svg
from .dossier import BLAST_TOP, diagram_data, report_data
from .escaping import markup_safe as _escape
from .overview import TOP_MEMBERS
from .phrases import (citations_phrase, count_phrase, exposure_phrase, holdings_phrases, name, names,
                      reportable_phrase, said_phrase, step_effect, term)
from .text import finding_message
from .timeline_text import sections as timeline_sections

__all__ = ["render_html", "render_markdown", "report_html", "report_markdown", "blocks", "BLAST_TOP"]

PORTFOLIO_BLAST = 5
"""Elements of the blast ranking whose reporting duties a portfolio's report lists."""
PRINCIPALS_LISTED = 10
"""Principals listed per element in a portfolio's reporting duties."""


# -- a small document model, rendered to HTML and to Markdown -----------------------------------------


@dataclass(frozen=True)
class Ref:
    """A model element (a serialised reference), shown by its name with its IRI as a tooltip in HTML."""

    ref: dict | None


@dataclass(frozen=True)
class Code:
    text: str


@dataclass(frozen=True)
class Strong:
    text: str


@dataclass(frozen=True)
class Link:
    """A link to a section of the report itself (``#anchor``) or to a file written beside it."""

    target: str
    text: str


Inline = Union[str, Ref, Code, Strong, Link]
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
    levels: tuple[int, ...] = ()


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[Content, ...], ...]


@dataclass(frozen=True)
class Diagram:
    pass


def _inlines(content: Content) -> list[Inline]:
    if isinstance(content, (str, Ref, Code, Strong, Link)):
        return [content]
    return list(content)


def _join(parts, separator: str) -> list[Inline]:
    out: list[Inline] = []
    for number, part in enumerate(parts):
        if number:
            out.append(separator)
        out.extend(_inlines(part))
    return out


class _Words:
    """The report's words in one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.comma = "、" if lang == "ja" else ", "

    def __call__(self, key: str, **values) -> str:
        return say(f"report.{key}", self.lang, **values)

    def refs(self, refs: list[dict] | None) -> list[Inline]:
        return _join([Ref(r) for r in (refs or []) if r], self.comma) or ["-"]


# -- the title block and the summary -----------------------------------------------------------------


def _status(data: dict, w: _Words) -> Content:
    if data["validation"]["failed"]:
        return Strong(w("status.failed", error=data["validation"]["error"]))
    return w("status.conforms" if data["audit"]["conforms"] else "status.fails")


def _title_blocks(data: dict, w: _Words) -> list:
    title = data["title"]
    rows = ((w("date"), title["date"]), (w("version"), w("tool", version=title["version"])),
            (w("language"), w("language-name")), (w("status"), _status(data, w)))
    files = tuple((Code(f["name"]), Code(f["sha256"]) if f["sha256"] else w("not-a-file")) for f in title["inputs"])
    return [Heading(1, w("title")), Table((w("about"), ""), rows),
            Table((w("inputs"), w("sha256")), files or (("-", "-"),))]


def _summary_blocks(data: dict, w: _Words) -> list:
    audit, inventory = data["audit"], data["inventory"]
    counts = audit["findings"]["by_severity"]
    leaks = [leak for leak in audit["single_points_of_failure"]["entries"] if not leak["no_failure_needed"]]
    worst = ""
    if leaks:
        worst = w("summary.worst", element=name(leaks[0]["element"], w.lang),
                  exposes=exposure_phrase(leaks[0]["exposure"], w.lang))
    tiers = [c["tier"] for c in inventory["consignments"] if c["tier"]]
    tallies = {"parties": ("parties", len(inventory["parties"])),
               "consignments": ("consignments", len(inventory["consignments"])),
               "errors": ("errors", counts["error"]), "warnings": ("warnings", counts["warning"]),
               "notes": ("notes", counts["info"]),
               "spof": ("single-points", audit["single_points_of_failure"]["count"]),
               "incidents": ("incidents-with-timeline", len(data["timelines"]))}
    text = w("summary.text", tier=max(tiers, default=0), worst=worst,
             **{slot: say(f"tally.{what}", w.lang, count=count) for slot, (what, count) in tallies.items()})
    found = [Heading(2, w("summary"), "summary"), Para(text)]
    if data["validation"]["failed"]:
        found.append(Para(_status(data, w)))
    return found


_SECTIONS = ("findings", "single-points", "blast", "duties", "timeline", "chains", "holds", "diagram")


def _contents(w: _Words) -> list:
    return [Heading(2, w("contents"), "contents"),
            Items(tuple(Link(f"#{key}", w(f"section.{key}")) for key in _SECTIONS), ordered=True)]


# -- findings and single points of failure -----------------------------------------------------------


def _finding_row(finding: dict, w: _Words) -> tuple:
    sources = citations_phrase(finding["sources"], w.lang) if finding.get("sources") else "; ".join(finding["source"])
    return (say(f"severity.{finding['severity']}", w.lang), [Ref(finding["rule"])], finding_message(finding, w.lang),
            _join([Code(f["iri"]) for f in finding["focus"]], " ") or "-", sources or "-")


def _findings_blocks(data: dict, w: _Words, detail: str | None) -> list:
    found = [Heading(2, w("section.findings"), "findings")]
    if data["validation"]["failed"]:
        found.append(Para(_status(data, w)))
    findings = data["audit"]["findings"]["entries"]
    headers = (w("col.severity"), w("col.rule"), w("col.finding"), w("col.evidence"), w("col.sources"))
    if data.get("groups") is not None:
        rows = tuple((say(f"severity.{g['severity']}", w.lang), [Ref(g["rule"])], f"{g['count']:,}",
                      _join([finding_message(findings[i], w.lang) for i in g["top"]], " / "))
                     for g in data["groups"]["findings"])
        return found + [Table((w("col.severity"), w("col.rule"), w("col.members"), w("col.finding")), rows)] + \
            _more_groups(data, "findings", len(rows), w)
    if not findings:
        return found + [Para(w("no-findings"))]
    return found + [Table(headers, tuple(_finding_row(f, w) for f in findings))]


def _exposure_facts(exposure: dict, w: _Words) -> list[Content]:
    facts: list[Content] = [w("fact.exposes", exposes=exposure_phrase(exposure, w.lang))]
    shares = []
    for row in exposure["per_principal"]:
        amounts = "; ".join(count_phrase(p["count"], p["unit"], w.lang) for p in row["populations"])
        shares.append([Ref(row["principal"]), f" {amounts}" if amounts else ""])
    if shares:
        label = say("diagram.fact", w.lang, label=say("diagram.fact.per-principal", w.lang), value="")
        facts.append([label] + _join(shares, w.comma))
    if exposure["sensitive_categories"]:
        facts.append(w("fact.sensitive", categories=names(exposure["sensitive_categories"], w.lang)))
    elif exposure["sensitive"]:
        facts.append(w("fact.sensitive-flag"))
    return facts


def _leak_blocks(number: int, leak: dict, w: _Words) -> list:
    lang = w.lang
    modes = names(leak["failure_modes"], lang)
    title = w("leak-title" if modes else "leak-title-plain", number=number, element=name(leak["element"], lang),
              modes=modes)
    facts: list[Content] = [
        w("fact.element", element=name(leak["element"], lang), kind=term(leak["element_kind"], lang)),
        w("fact.operated-by", parties=names(leak["operated_by"], lang) or "-"),
        w("fact.accountable", parties=names(leak["accountable"], lang) or "-"),
        w("fact.harm", harm=term(leak["harm"], lang)),
    ]
    if leak["guarded_provision"]:
        facts.append(w("fact.guarded", provision=name(leak["guarded_provision"], lang),
                       duty=name(leak["guard_duty"], lang)))
    facts.append(w("fact.reached", parties=names(leak["reached"], lang) or "-"))
    held = holdings_phrases(leak, lang)
    if held:
        facts.append(w("fact.held-by-each", held=w.comma.join(w("held-item", party=party, held=phrase)
                                                              for party, phrase in held)))
    facts += _exposure_facts(leak["exposure"], w)
    path = tuple((str(i), [Ref(step["element"])], term(step["kind"], lang), [Ref(step["from"])] if step["from"] else "-",
                  [Ref(step["to"])] if step["to"] else "-", step_effect(step["effect_code"], lang))
                 for i, step in enumerate(leak["path"], start=1))
    found = [Heading(3, title), Items(tuple(facts)), Para(Strong(w("path"))),
             Table((w("col.step"), w("col.element"), w("col.kind"), w("col.sender"), w("col.receiver"),
                    w("col.effect")), path), Para(Strong(w("uncaught")))]
    uncaught = tuple(([Ref(item["control"])], "; ".join(said_phrase(s, lang) for s in item["why_said"]) or "-")
                     for item in leak["controls_not_catching_it"])
    found.append(Table((w("col.control"), w("col.why-not")), uncaught) if uncaught else Para(w("fact.no-control")))
    return found


def _spof_groups(data: dict, w: _Words) -> list:
    leaks = data["audit"]["single_points_of_failure"]["entries"]
    groups = data["groups"]["single_points_of_failure"]
    rows = tuple((term(g["harm"], w.lang), term(g["element_kind"], w.lang),
                  [Ref(g["operator"])] if g["operator"] else (w("operator.principals") if g["tier"] == 0 else "-"),
                  say("label.tier", w.lang, tier=g["tier"]) if g["tier"] is not None else "-", f"{g['count']:,}",
                  f"{g['principals']:,}", _join([Ref(leaks[i]["element"]) for i in g["top"]], w.comma))
                 for g in groups)
    found = [Table((w("col.harm"), w("col.kind"), w("col.operator"), w("col.tier"), w("col.members"),
                    w("col.principals"), w("col.worst")), rows)]
    return found + _more_groups(data, "single_points_of_failure", len(groups), w)


def _more_groups(data: dict, section: str, shown: int, w: _Words) -> list:
    total = data["groups"]["totals"][section]
    return [Para(w("groups-more", shown=shown, total=total))] if total > shown else []


def _spof_blocks(data: dict, w: _Words) -> list:
    found = [Heading(2, w("section.single-points"), "single-points")]
    leaks = data["audit"]["single_points_of_failure"]["entries"]
    if not leaks:
        return found + [Para(w("no-spof"))]
    if data.get("groups") is not None:
        found += _spof_groups(data, w)
        leaks = leaks[:TOP_MEMBERS]
    for number, leak in enumerate(leaks, start=1):
        found += _leak_blocks(number, leak, w)
    return found


# -- blast radius and reporting duties ----------------------------------------------------------------


def _blast_blocks(data: dict, w: _Words) -> list:
    found = [Heading(2, w("section.blast"), "blast")]
    blasts = data["audit"]["blast_rank"]["entries"]
    if not blasts:
        return found + [Para(w("none"))]
    if data["title"]["blast_total"] > len(blasts):
        found.append(Para(w("blast-more", shown=len(blasts), total=data["title"]["blast_total"])))
    rows = []
    for number, blast in enumerate(blasts, start=1):
        exposure = blast["exposure"]
        sensitive = (names(exposure["sensitive_categories"], w.lang) if exposure["sensitive_categories"]
                     else (w("fact.sensitive-flag") if exposure["sensitive"] else "-"))
        rows.append((str(number), [Ref(blast["element"])], term(blast["kind"], w.lang),
                     exposure_phrase(exposure, w.lang), f"{len(blast['principals']):,}", sensitive))
    return found + [Table((w("col.rank"), w("col.element"), w("col.kind"), w("col.exposes"), w("col.principals"),
                           w("col.sensitive")), tuple(rows))]


def _trigger(trigger: dict, w: _Words) -> str:
    sources = citations_phrase([trigger["source"]], w.lang) if trigger["source"] else "-"
    return w("trigger", trigger=say(f"trigger.{trigger['trigger']}", w.lang, threshold=trigger["threshold"] or 0),
             status=say(f"trigger-status.{trigger['status']}", w.lang), sources=sources)


def _principal_duty(duty: dict, w: _Words) -> tuple[list[Content], list[int]]:
    lang = w.lang
    status = reportable_phrase(duty, lang)
    items: list[Content] = [w("principal-duty", principal=name(duty["principal"], lang), status=status,
                              regime=name(duty["regime"], lang))]
    items += [_trigger(t, w) for t in duty["triggers"] if t["status"] != "no"]
    items += [w("notification", sender=name(n["from"], lang), recipient=name(n["to"], lang), rule=name(n["rule"], lang),
                sources=citations_phrase(n["sources"], lang) or "-",
                status=say(f"notification-status.{n['status']}", lang)) for n in duty["notifications"]]
    return items, [1] + [2] * (len(items) - 1)


def _duty_blocks(data: dict, w: _Words) -> list:
    found = [Heading(2, w("section.duties"), "duties")]
    portfolio = data.get("groups") is not None
    ranked = data["audit"]["blast_rank"]["entries"]
    blasts = ranked[:PORTFOLIO_BLAST] if portfolio else ranked
    if not any(blast["duties"] for blast in blasts):
        return found + [Para(w("none"))]
    for blast in blasts:
        if not blast["duties"]:
            continue
        duties = blast["duties"][:PRINCIPALS_LISTED] if portfolio else blast["duties"]
        items: list[Content] = []
        levels: list[int] = []
        for duty in duties:
            more, depth = _principal_duty(duty, w)
            items += more
            levels += depth
        if len(blast["duties"]) > len(duties):
            items.append(w("more-principals", count=len(blast["duties"]) - len(duties)))
            levels.append(1)
        found += [Heading(3, w("duty-of", element=name(blast["element"], w.lang))), Items(tuple(items), levels=tuple(levels))]
    return found


# -- timelines, chains, inventory ------------------------------------------------------------------------


def _timeline_blocks(data: dict, w: _Words) -> list:
    found = [Heading(2, w("section.timeline"), "timeline")]
    if not data["timelines"]:
        return found + [Para(w("no-incident"))]
    for timeline in data["timelines"]:
        for number, part in enumerate(timeline_sections(timeline, w.lang)):
            items, levels = [], []
            for line in part:
                depth = (len(line) - len(line.lstrip(" "))) // 2
                if depth == 0:
                    if items:
                        found.append(Items(tuple(items), levels=tuple(levels)))
                        items, levels = [], []
                    found.append(Heading(3 if number == 0 and line == part[0] else 4, line))
                else:
                    items.append(line.strip())
                    levels.append(depth)
            if items:
                found.append(Items(tuple(items), levels=tuple(levels)))
    return found


def _chain_line(number: int, chain: dict, w: _Words) -> Content:
    lang = w.lang
    links = [name(chain["links"][0]["consignor"], lang)]
    links += [w("chain-link", consignee=name(link["consignee"], lang), tier=say("label.tier", lang, tier=link["tier"]),
                approval=name(link["approval"], lang) if link["approval"] else say("label.none", lang))
              for link in chain["links"]]
    status = [w("reaches-performer" if chain["reaches_performer"] else "misses-performer")]
    if not chain["starts_at_accountable"]:
        status.append(w("not-from-accountable"))
    return [w("chain", number=number, chain=" → ".join(links)), " — ",
            w("chain-status", reaches=join(status, lang), supervisors=names(chain["supervisors"], lang) or "-")]


def _chain_blocks(data: dict, w: _Words) -> list:
    found = [Heading(2, w("section.chains"), "chains")]
    traces = data["traces"]
    twice = [t for t in traces if t["flags"]["entrusted_more_than_once"]]
    unreached = [t for t in traces if t["flags"]["no_performer"]]
    found.append(Para(w("flagged-duties", count=len(traces), twice=len(twice), unreached=len(unreached))))
    if data.get("groups") is not None:
        traces = (unreached + [t for t in twice if t not in unreached])[:TOP_MEMBERS]
    for trace in traces:
        found.append(Heading(3, name(trace["duty"], w.lang)))
        found.append(Para(w("duty-facts", accountable=name(trace["accountable"], w.lang),
                            performers=names(trace["performers"], w.lang) or "-")))
        flags = [say(key, w.lang) for key, on in (("flag.entrusted-twice", trace["flags"]["entrusted_more_than_once"]),
                                                   ("flag.no-performer", trace["flags"]["no_performer"])) if on]
        if trace["flags"]["truncated"]:
            flags.append(w("truncated", count=len(trace["chains"])))
        if flags:
            found.append(Para(Strong(" ".join(flags))))
        chains = tuple(_chain_line(n, chain, w) for n, chain in enumerate(trace["chains"], start=1))
        found.append(Items(chains) if chains else Para(w("no-chains")))
    return found


def _holds_blocks(data: dict, w: _Words) -> list:
    inventory = data["inventory"]
    found = [Heading(2, w("section.holds"), "holds"),
             Para(w("holds-counts", parties=len(inventory["parties"]), consignments=len(inventory["consignments"]),
                    duties=len(inventory["duties"]), hand_offs=len(inventory["hand_offs"]),
                    assets=len(data["describe"]["data_assets"]), devices=len(inventory["devices"]),
                    controls=len(inventory["controls"])))]
    if data.get("groups") is not None:
        return found
    return found + _party_blocks(data, w) + _consignment_blocks(data, w) + _inventory_tables(data, w)


def blocks(data: dict, detail: str | None = None) -> list:
    """The report as a list of blocks (headings, paragraphs, lists, tables and the diagram's place)."""
    w = _Words(data["title"]["lang"])
    found = _title_blocks(data, w) + _summary_blocks(data, w)
    if data.get("groups") is not None:
        found.append(Para([w("portfolio", parties=len(data["inventory"]["parties"])), " "]
                          + ([Link(detail, detail)] if detail else [])))
    found += _contents(w) + _findings_blocks(data, w, detail) + _spof_blocks(data, w) + _blast_blocks(data, w)
    found += _duty_blocks(data, w) + _timeline_blocks(data, w) + _chain_blocks(data, w) + _holds_blocks(data, w)
    return found + [Heading(2, w("section.diagram"), "diagram"), Diagram()]


# -- the inventory ------------------------------------------------------------------------------------

_CAPACITY_ORDER = ("principal", "consignee", "re-consignee", "producer", "recipient", "regulator", "data-subjects",
                   "organisation", "party")


def _kind_of(party: dict) -> str:
    from .drawing import node_kind

    return node_kind(party)


def _party_blocks(data: dict, w: _Words) -> list:
    from .drawing import kind_word
    from .phrases import natural_key

    found = [Heading(3, w("parties"), "parties")]
    groups: dict[str, list[dict]] = {}
    for party in data["inventory"]["parties"]:
        groups.setdefault(_kind_of(party), []).append(party)
    for kind in _CAPACITY_ORDER:
        members = sorted(groups.get(kind, []), key=lambda p: (natural_key(name(p, w.lang)), p["iri"]))
        if not members:
            continue
        rows = tuple(([Ref(p)], Code(p["iri"]), join([term(r, w.lang) for r in p["roles"]], w.lang) or "-",
                      w.refs([p["organisation"]] if p.get("organisation") else p["capacities"]))
                     for p in members)
        found += [Heading(4, w("group-count", group=kind_word(kind, w.lang), count=len(members))),
                  Table((w("col.name"), w("col.iri"), w("col.roles"), w("col.capacity-of")), rows)]
    return found


def _consignment_row(c: dict, w: _Words) -> tuple:
    approval = [Ref(c["approval"])] if c["approval"] else (say("label.unknown", w.lang) if (c["tier"] or 0) > 1 else "-")
    if c["approved_by"]:
        approval = _inlines(approval) + [" ("] + w.refs(c["approved_by"]) + [")"]
    period = say("diagram.period", w.lang, start=c["start"] or "?", end=c["end"] or "?") if (c["start"] or c["end"]) else "-"
    return ([Ref(c), " ", Code(c["iri"])], [Ref(c["consignor"])], [Ref(c["consignee"])], w.refs(c["duties"]),
            w.refs(c["data"]), approval, w.refs(c["extends"]), period)


def _consignment_blocks(data: dict, w: _Words) -> list:
    found = [Heading(3, w("consignments"), "consignments")]
    by_tier: dict = {}
    for c in data["inventory"]["consignments"]:
        by_tier.setdefault(c["tier"], []).append(c)
    if not by_tier:
        return found + [Para(w("none"))]
    headers = (w("col.name"), w("col.consignor"), w("col.consignee"), w("col.entrusts"), w("col.entrusts-data"),
               w("col.approval"), w("col.extends"), w("col.period"))
    for tier in sorted(by_tier, key=lambda t: (t is None, t or 0)):
        heading = say("label.tier", w.lang, tier=tier) if tier else w("tier-unknown")
        found += [Heading(4, w("group-count", group=heading, count=len(by_tier[tier]))),
                  Table(headers, tuple(_consignment_row(c, w) for c in by_tier[tier]))]
    return found


def _asset_row(asset: dict, w: _Words) -> tuple:
    shares = [[Ref(row["principal"]), " ", count_phrase(row["count"], asset["unit"], w.lang, share=not row["stated"])]
              for row in asset["per_principal"]]
    rests = [[Ref(c["device"]) if c["device"] else Ref(c), " @ ", Ref(c["held_by"])] if c["held_by"] else [Ref(c)]
             for c in asset["copies"]]
    return ([Ref(asset), " ", Code(asset["iri"])], count_phrase(asset["total"], asset["unit"], w.lang),
            _join(shares, w.comma) or "-", w.refs(asset["sensitive_categories"]), w.refs(asset["controllers"]),
            _join(rests, w.comma) or "-")


def _control_row(control: dict, w: _Words) -> tuple:
    limitation = control["limitation"]
    text = limitation.get(w.lang) or limitation.get("") or next(iter(limitation.values()), "-")
    rules_out = "-" if control["rules_out_leak"] is None else w("yes" if control["rules_out_leak"] else "no")
    latency = duration_words(control["detection_latency"], w.lang) if control["detection_latency"] else "-"
    return ([Ref(control), " ", Code(control["iri"])], term(control["kind"], w.lang), w.refs(control["operated_by"]),
            w.refs(control["covers"]), w.refs(control["notifies"]), latency, rules_out, text)


def _inventory_tables(data: dict, w: _Words) -> list:
    inventory = data["inventory"]
    duties = tuple(([Ref(d), " ", Code(d["iri"])], w.refs([d["accountable"]]), w.refs(d["performers"]),
                    w.refs(d["legal_basis"]), w.refs(d["needs"]), w.refs(d["protects"]), w.refs(d["served_by"]))
                   for d in inventory["duties"])
    handoffs = tuple(([Ref(h), " ", Code(h["iri"])], term(h["kind"], w.lang), w.refs([h["sender"]]),
                      w.refs([h["receiver"]]), w.refs(h["carries"]), w.refs(h["serves"]), w.refs(h["guarded_by"]),
                      say("diagram.every", w.lang, duration=duration_words(h["cadence"], w.lang)) if h["cadence"] else "-")
                     for h in inventory["hand_offs"])
    tables = [
        ("duties", (w("col.name"), w("col.accountable"), w("col.performers"), w("col.legal-basis"), w("col.needs"),
                    w("col.protects"), w("col.served-by")), duties),
        ("hand-offs", (w("col.name"), w("col.kind"), w("col.sender"), w("col.receiver"), w("col.carries"),
                       w("col.serves"), w("col.guarded-by"), w("col.cadence")), handoffs),
        ("assets", (w("col.name"), w("col.count"), w("col.per-principal"), w("col.sensitive"), w("col.controllers"),
                    w("col.copies")), tuple(_asset_row(a, w) for a in data["describe"]["data_assets"])),
        ("controls", (w("col.name"), w("col.kind"), w("col.operated-by"), w("col.covers"), w("col.notifies"),
                      w("col.latency"), w("col.rules-out-leak"), w("col.limitation")),
         tuple(_control_row(k, w) for k in inventory["controls"])),
    ]
    found = []
    for key, headers, rows in tables:
        found.append(Heading(3, w(key), key))
        found.append(Table(headers, rows) if rows else Para(w("none")))
    return found


# -- HTML ------------------------------------------------------------------------------------------------

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI","Hiragino Sans","Noto Sans CJK JP","IPAGothic",sans-serif;color:#1b1b1b;background:#fff;margin:0 auto;padding:1rem 1.5rem;max-width:80rem;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.3rem;border-bottom:2px solid #1f4e79;padding-bottom:.2rem;margin-top:2rem}
h3{font-size:1.1rem;margin-top:1.4rem}h4{font-size:1rem;margin:1rem 0 .4rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem;font-size:.85rem;table-layout:auto}
th,td{border:1px solid #ccc;padding:.25rem .4rem;vertical-align:top;text-align:left;overflow-wrap:anywhere;word-break:break-word}
th{background:#eef2f7}
code{font-size:.8em;color:#37474f;overflow-wrap:anywhere;word-break:break-all}
li.sub{margin-left:1.5rem;list-style:circle}
.el{border-bottom:1px dotted #90a4ae}
iframe.diagram{width:100%;height:80vh;border:1px solid #ccc}
.print-only{display:none}
.picture svg{max-width:100%;height:auto}
@page{size:A4;margin:14mm 12mm}
@media print{
  body{max-width:none;padding:0;font-size:9pt;color:#000}
  h2{break-after:avoid;page-break-after:avoid}
  h3,h4{break-after:avoid;page-break-after:avoid}
  table{font-size:7.5pt;width:100%}
  tr,li{break-inside:avoid;page-break-inside:avoid}
  thead{display:table-header-group}
  th{background:#eee !important;-webkit-print-color-adjust:exact;print-color-adjust:exact}
  .el{border:0}
  .screen-only{display:none !important}
  .print-only{display:block}
  .picture{break-inside:avoid}
}
"""


def _html_inline(content: Content, lang: str) -> str:
    out = []
    for part in _inlines(content):
        if isinstance(part, Ref):
            out.append("-" if not part.ref else f'<span class="el" title="{_escape(part.ref["iri"])}">'
                       f"{_escape(name(part.ref, lang))}</span>")
        elif isinstance(part, Code):
            out.append(f"<code>{_escape(part.text)}</code>")
        elif isinstance(part, Strong):
            out.append(f"<strong>{_escape(part.text)}</strong>")
        elif isinstance(part, Link):
            out.append(f'<a href="{_escape(part.target)}">{_escape(part.text)}</a>')
        else:
            out.append(_escape(part))
    return "".join(out)


def _html_items(block: Items, lang: str) -> str:
    tag = "ol" if block.ordered else "ul"
    levels = block.levels or (1,) * len(block.items)
    items = "".join(f'<li{" class=sub" if level > 1 else ""}>{_html_inline(item, lang)}</li>'
                    for item, level in zip(block.items, levels))
    return f"<{tag}>{items}</{tag}>\n"


def _html_diagram(diagram: dict | None, w: _Words, picture: str | None) -> str:
    if diagram is None:
        return f"<p>{_escape(w('diagram-none'))}</p>\n"
    embedded = page(diagram)
    found = (f'<div class="screen-only"><p>{_escape(w("diagram-screen"))}</p>\n'
             f'<iframe class="diagram" title="{_escape(w("section.diagram"))}" sandbox="allow-scripts" '
             f'referrerpolicy="no-referrer" srcdoc="{html.escape(embedded, quote=True)}"></iframe></div>\n'
             f'<div class="print-only picture"><p>{_escape(w("diagram-print"))}</p>\n{svg(diagram, standalone=False)}'
             "</div>\n")
    if picture:
        found += f'<p>{_escape(w("diagram-full"))} <a href="{_escape(picture)}">{_escape(picture)}</a></p>\n'
    return found


def _html_block(block, lang: str, diagram: str) -> str:
    if isinstance(block, Heading):
        anchor = f' id="{_escape(block.anchor)}"' if block.anchor else ""
        return f"<h{block.level}{anchor}>{_escape(block.text)}</h{block.level}>\n"
    if isinstance(block, Para):
        return f"<p>{_html_inline(block.content, lang)}</p>\n"
    if isinstance(block, Items):
        return _html_items(block, lang)
    if isinstance(block, Table):
        head = "".join(f"<th>{_escape(h)}</th>" for h in block.headers)
        rows = "".join("<tr>" + "".join(f"<td>{_html_inline(cell, lang)}</td>" for cell in row) + "</tr>\n"
                       for row in block.rows)
        return f"<table><thead><tr>{head}</tr></thead>\n<tbody>\n{rows}</tbody></table>\n"
    if isinstance(block, Diagram):
        return diagram
    raise TypeError(block)


def render_html(data: dict, diagram: dict | None = None, *, detail: str | None = None,
                picture: str | None = None) -> str:
    """The report of :func:`chainmodel.dossier.report_data` as one self-contained HTML page.

    ``diagram`` is :func:`chainmodel.dossier.diagram_data`'s data (None: no diagram);
    ``detail`` and ``picture`` name the JSON file and the full diagram written beside a portfolio's report.
    """
    w = _Words(data["title"]["lang"])
    drawn = _html_diagram(diagram, w, picture)
    body = "".join(_html_block(block, w.lang, drawn) for block in blocks(data, detail))
    return "".join([
        "<!DOCTYPE html>\n",
        f'<html lang="{_escape(w.lang)}">\n<head>\n<meta charset="utf-8">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; "
        "style-src 'unsafe-inline'; img-src data:; connect-src 'none'\">\n",
        f"<title>{_escape(w('title'))}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n",
        body,
        "</body>\n</html>\n",
    ])


# -- Markdown ----------------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_MD_LINE_START = re.compile(r"^(\s*)([#+\-=]|\d+[.)])")


def _md_text(text: str) -> str:
    """Markdown-safe inline text: emphasis, code, link and table marks backslash-escaped,
    ``& < >`` written as entities (so no HTML passes through), all on one line."""
    text = re.sub(r"\s+", " ", str(text))
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _md_target(target: str) -> str:
    if target.startswith("#"):
        return f"#{quote(target[1:])}"
    return "<" + quote(target, safe="/:#?&=%~.-_@!$',;+").replace("(", "%28").replace(")", "%29") + ">"


def _md_inline(content: Content, lang: str) -> str:
    out = []
    for part in _inlines(content):
        if isinstance(part, Ref):
            out.append(_md_text(name(part.ref, lang)) if part.ref else "-")
        elif isinstance(part, Code):
            out.append("`" + " ".join(part.text.split()).replace("`", "'") + "`")
        elif isinstance(part, Strong):
            out.append(f"**{_md_text(part.text)}**")
        elif isinstance(part, Link):
            out.append(f"[{_md_text(part.text)}]({_md_target(part.target)})")
        else:
            out.append(_md_text(part))
    return "".join(out)


def _md_block(block, lang: str, diagram: str) -> str:
    if isinstance(block, Heading):
        anchor = f' <a id="{_escape(block.anchor)}"></a>' if block.anchor else ""
        return f"{'#' * block.level} {_md_text(block.text).strip()}{anchor}\n\n"
    if isinstance(block, Para):  # a paragraph must not turn into a heading or a list
        return f"{_MD_LINE_START.sub(lambda m: m.group(1) + chr(92) + m.group(2), _md_inline(block.content, lang))}\n\n"
    if isinstance(block, Items):
        levels = block.levels or (1,) * len(block.items)
        return "".join(f"{'  ' * (level - 1)}{f'{n}.' if block.ordered else '-'} {_md_inline(item, lang)}\n"
                       for n, (item, level) in enumerate(zip(block.items, levels), start=1)) + "\n"
    if isinstance(block, Table):
        head = "| " + " | ".join(_md_text(h) for h in block.headers) + " |\n"
        rule = "|" + "|".join("---" for _ in block.headers) + "|\n"
        rows = "".join("| " + " | ".join(_md_inline(cell, lang) or " " for cell in row) + " |\n" for row in block.rows)
        return head + rule + rows + "\n"
    if isinstance(block, Diagram):
        return diagram
    raise TypeError(block)


def render_markdown(data: dict, diagram_href: str | None = None, *, detail: str | None = None) -> str:
    """The report of :func:`chainmodel.dossier.report_data` as Markdown; ``diagram_href`` links the diagram file."""
    w = _Words(data["title"]["lang"])
    drawn = (f"[{_md_text(w('diagram-linked'))}]({_md_target(diagram_href)})\n\n" if diagram_href
             else f"{_md_text(w('diagram-none'))}\n\n")
    return "".join(_md_block(block, w.lang, drawn) for block in blocks(data, detail)).rstrip("\n") + "\n"


# -- compose and render in one call ---------------------------------------------------------------------


def report_html(view, lang: str = "en", *, diagram: bool = True, date: str | None = None, version: str | None = None,
                workers: int | None = None) -> str:
    """Compose (:func:`chainmodel.dossier.report_data`) and render the HTML report; ``diagram=False`` leaves it out."""
    data = report_data(view, lang, date=date, version=version, workers=workers)
    drawing = diagram_data(view, lang=lang, overview=data["title"]["portfolio"]) if diagram else None
    return render_html(data, drawing)


def report_markdown(view, lang: str = "en", diagram_href: str | None = None, *, date: str | None = None,
                    version: str | None = None, workers: int | None = None) -> str:
    """Compose and render the Markdown report; ``diagram_href`` links a diagram written beside it."""
    return render_markdown(report_data(view, lang, date=date, version=version, workers=workers), diagram_href)
