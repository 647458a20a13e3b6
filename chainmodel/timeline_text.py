"""The timeline as text, in English or Japanese, rendered from its serialised dictionary.

Every fixed phrase comes from the catalogue (``chainmodel/words/timeline.toml``); elements are
named by their labels in the reader's language. Dates are written as the model gives them
(ISO 8601, with the precision the sources have).

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.views import chain_view
>>> from chainmodel.serialise import timeline_json
>>> from chainmodel.timeline import timeline
>>> view = chain_view(load_model(["examples/case-b-optout"]))
>>> data = timeline_json(view, timeline(view, "https://example.org/chainmodel/case-b#incident"))
>>> [line for line in render(data, "en").splitlines() if "2025-04-25 to" in line]
['  from 2025-04-25 to 2025-08-04 (101 days)']
"""

from __future__ import annotations

from .catalogue import duration_words, join, say
from .phrases import citations_phrase
from .phrases import name as _name

__all__ = ["render", "render_all", "sections"]


def _date(value: dict | None, lang: str) -> str:
    return value["text"] if value else say("timeline.undated", lang)


def _days(days: dict | None, lang: str) -> str:
    if days is None:
        return "?"
    if days["fewest"] == days["most"]:
        return say("timeline.days", lang, count=days["fewest"])
    return say("timeline.days-range", lang, low=days["fewest"], high=days["most"])


def _window(window: dict | None, lang: str) -> str:
    if window is None or window["start"] is None:
        return say("timeline.window.unknown", lang)
    if window["end_reason"] == "prevented":
        return say("timeline.window.prevented", lang, end=_date(window["end"], lang))
    if window["end"] is None:
        return say("timeline.window.open", lang, start=_date(window["start"], lang))
    return say("timeline.window.span", lang, start=_date(window["start"], lang), end=_date(window["end"], lang),
               days=_days(window["days"], lang))


def _header(data: dict, lang: str) -> list[str]:
    lines = [say("timeline.title", lang, incident=_name(data["incident"], lang))]
    if data["failed_with"]:
        lines.append("  " + say("timeline.failed-with", lang, modes=join([_name(m, lang) for m in data["failed_with"]], lang)))
    improper = {True: "yes", False: "no", None: "unknown"}[data["improper_purpose"]]
    lines.append("  " + say(f"timeline.improper.{improper}", lang))
    lines.append(say("timeline.events", lang))
    lines += [f"  {_date(e['date'], lang)}  {_event(e, lang)}" for e in data["events"]]
    return lines


def _event(event: dict, lang: str) -> str:
    """An event as a reader wants it: its kind and its own label; its kind and who acted when it
    has no label (its IRI only when it has neither a kind nor an actor)."""
    kind = say(f"timeline.event-kind.{event['kind']}", lang) if event["kind"] != "event" else None
    labelled = bool(event.get("label"))
    if labelled:
        return say("timeline.event.named", lang, kind=kind, name=_name(event, lang)) if kind else _name(event, lang)
    if event.get("actor"):
        return say("timeline.event.actor", lang, event=kind or _name(event, lang), actor=_name(event["actor"], lang))
    return kind or _name(event, lang)


def _window_lines(data: dict, lang: str) -> list[str]:
    window = data["exposure_window"]
    lines = [say("timeline.window", lang), "  " + _window(window, lang)]
    if window and window["end_event"] and window["end_reason"] in ("ended", "detected"):
        lines.append("  " + say(f"timeline.end.{window['end_reason']}", lang, event=_name(window["end_event"], lang)))
    return lines


def _knowledge_lines(data: dict, lang: str) -> list[str]:
    lines = [say("timeline.knowledge", lang)]
    for known in data["knowledge"]:
        how = say(f"timeline.how.{known['how']}", lang)
        if known["latency_days"] is None:
            lines.append("  " + say("timeline.knew-no-start", lang, party=_name(known["party"], lang),
                                    date=_date(known["date"], lang), how=how))
        else:
            lines.append("  " + say("timeline.knew", lang, party=_name(known["party"], lang),
                                    date=_date(known["date"], lang), how=how,
                                    latency=_days(known["latency_days"], lang)))
    return lines


def _verdict(deadline: dict, lang: str) -> str:
    status = deadline["status"]
    if status == "cannot-judge":
        return say("timeline.verdict.cannot-judge", lang, reason=say(f"timeline.reason.{deadline['reason']}", lang))
    coarse = "" if deadline["day"] is not None else "-coarse"
    late = say("timeline.days", lang, count=deadline["late_by_days"]) if status == "missed" else ""
    return say(f"timeline.verdict.{status}{coarse}", lang, day=deadline["day"], late=late)


def _deadline_line(deadline: dict, lang: str) -> str:
    if deadline["period"]:
        days = int(deadline["period"].strip("PD"))
        period = say("timeline.period", lang, days=say("timeline.days", lang, count=days))
    else:
        period = say("timeline.period.promptly", lang)
    sources = citations_phrase(deadline["sources"], lang)
    return say("timeline.deadline", lang, period=say(f"timeline.stage.{deadline['stage']}", lang) + " " + period,
               condition=say(f"timeline.condition.{deadline['condition']}", lang),
               due=deadline["due"] or say("timeline.no-due", lang), verdict=_verdict(deadline, lang), sources=sources)


def _report_lines(data: dict, lang: str) -> list[str]:
    lines = [say("timeline.reports", lang)]
    if not data["reports"]:
        return lines + ["  " + say("timeline.no-reports", lang)]
    for report in data["reports"]:
        stage = say(f"timeline.stage.{report['stage']}", lang)
        if not report["stage_stated"]:
            stage = say("timeline.stage-inferred", lang, stage=stage)
        lines.append("  " + say("timeline.report", lang, report=_name(report["report"], lang), stage=stage,
                                reporter=_name(report["reporter"], lang),
                                recipients=join([_name(p, lang) for p in report["to"]], lang),
                                date=_date(report["date"], lang)))
        if report["knowledge"]:
            lines.append("    " + say("timeline.knowledge-day", lang, date=_date(report["knowledge"]["date"], lang)))
        if report["regime"] and not report["deadlines"]:
            lines.append("    " + say("timeline.no-deadline", lang, regime=_name(report["regime"], lang)))
        lines += ["    " + _deadline_line(d, lang) for d in report["deadlines"]]
    return lines


def _control_lines(data: dict, lang: str) -> list[str]:

    lines = [say("timeline.controls", lang)]
    if not data["detective_controls"]:
        return lines + ["  " + say("timeline.no-controls", lang)]
    for entry in data["detective_controls"]:
        detects = entry["detects_by"]
        lines.append("  " + say(f"timeline.control.{entry['status']}", lang, control=_name(entry["control"], lang),
                                latency=duration_words(entry["latency"], lang),
                                detects=detects["last"] if detects else "?", window=_window(entry["window"], lang)))
        if entry["failure_assumed"] and entry["status"] in ("shorter", "same", "prevented"):
            lines.append("    " + say("timeline.control.assumed", lang))
    return lines


def sections(data: dict, lang: str = "en") -> list[list[str]]:
    """The timeline's parts as lines: a line with no indent is a heading, two spaces an item, four a detail.

    The report (:mod:`chainmodel.report`) lays these same lines out as headings and lists.
    """
    return [_header(data, lang), _window_lines(data, lang), _knowledge_lines(data, lang), _report_lines(data, lang),
            _control_lines(data, lang)]


def render(data: dict, lang: str = "en") -> str:
    """One serialised timeline as text in ``lang``."""
    return "\n".join(line for part in sections(data, lang) for line in part) + "\n"


def render_all(items: list[dict], lang: str = "en") -> str:
    """Several timelines, separated by a blank line (a note when there is none)."""
    if not items:
        return say("timeline.no-incident", lang) + "\n"
    return "\n".join(render(item, lang) for item in items)
