"""Human-readable text, rendered from the dictionaries of :mod:`chainmodel.serialise`.

Every fixed word comes from the catalogue (:mod:`chainmodel.catalogue`), every name from
the model's labels in the reader's language; nothing here runs an analysis. Each command's
text starts with a one-paragraph summary: what was found, how many, the worst, and (for
the commands that judge) what the exit code means. An element's IRI is printed once, where
the element is introduced.

Examples
--------
>>> name({"iri": "urn:x", "name": "ex:x", "label": {"en": "the hospital", "ja": "当該医療機関"}}, "ja")
'当該医療機関'
>>> term("re-consignee", "ja")
'再委託先'
"""

from __future__ import annotations

from .catalogue import say
from .phrases import (count_phrase, exposure_phrase, holdings_phrases, name, name_with_iri, names, reason_phrase,
                      reportable_phrase, said_phrase, step_effect, term)

__all__ = ["name", "term", "step_effect", "trace_text", "leaks_text", "cutsets_text", "blast_text", "describe_text",
           "findings_text", "audit_text", "finding_message", "exposure_phrase"]


def _l(key: str, lang: str, **values) -> str:
    return say(f"label.{key}", lang, **values)


def _text(lines: list[str], lang: str, empty: str | None = None) -> str:
    if not lines and empty:
        return empty + "\n"
    return "\n".join(lines).rstrip() + "\n"


# -- trace ---------------------------------------------------------------------------------------


def _trace_summary(traces: list[dict], lang: str) -> str:
    twice = sum(1 for t in traces if t["flags"]["entrusted_more_than_once"])
    unreached = sum(1 for t in traces if t["flags"]["no_performer"])
    return say("summary.trace", lang, count=len(traces), twice=twice, unreached=unreached)


def _chain_lines(chain: dict, number: int, lang: str) -> list[str]:
    parts = [name(chain["links"][0]["consignor"], lang)]
    parts += [f"{name(link['consignee'], lang)} ({_l('tier', lang, tier=link['tier'])})" for link in chain["links"]]
    lines = [f"  {_l('chain', lang)} {number}: " + " -> ".join(parts)]
    for link in chain["links"]:
        approval = name(link["approval"], lang) if link["approval"] else _l("none", lang)
        lines.append(f"      {_l('tier', lang, tier=link['tier'])}: {name(link['consignment'], lang)}  "
                     f"{_l('approval', lang)}: {approval}")
    lines.append(f"      {_l('supervisors', lang)}: " + names(chain["supervisors"], lang))
    return lines


def trace_text(traces: list[dict], lang: str = "en") -> str:
    """The responsibility chains of each duty (the dictionaries of :func:`serialise.trace_json`)."""
    lines = [_trace_summary(traces, lang), ""]
    for trace in traces:
        lines.append(f"{_l('duty', lang)}: {name_with_iri(trace['duty'], lang)}")
        lines.append(f"  {_l('accountable', lang)}: {name(trace['accountable'], lang)}")
        lines.append(f"  {_l('performer', lang)}: " + (names(trace["performers"], lang) or _l("none", lang)))
        if trace["flags"]["entrusted_more_than_once"]:
            lines.append("  " + say("flag.entrusted-twice", lang))
        if trace["flags"]["no_performer"]:
            lines.append("  " + say("flag.no-performer", lang))
        for number, chain in enumerate(trace["chains"], start=1):
            lines.extend(_chain_lines(chain, number, lang))
        lines.append("")
    return _text(lines, lang)


# -- exposure --------------------------------------------------------------------------------------


def _asset_lines(asset: dict, lang: str, indent: str) -> list[str]:
    lines = [f"{indent}- {name(asset['asset'], lang)}: {count_phrase(asset['total'], asset['unit'], lang)}"]
    for row in asset["per_principal"]:
        share = count_phrase(row["count"], asset["unit"], lang, share=not row["stated"])
        lines.append(f"{indent}    {_l('principal', lang)} {name(row['principal'], lang)}: {share}")
    if asset["unattributed_count"]:
        lines.append(f"{indent}    " + say("count.unattributed", lang,
                                            amount=count_phrase(asset["unattributed_count"], asset["unit"], lang)))
    return lines


def _exposure_lines(exposure: dict, lang: str, indent: str) -> list[str]:
    lines = [f"{indent}{_l('exposes', lang)}: {exposure_phrase(exposure, lang)}"]
    for population in exposure.get("populations") or []:
        lines += [f"{indent}  ({reason_phrase(reason, lang)})" for reason in population["reasons"]]
    for asset in exposure["assets"]:
        lines.extend(_asset_lines(asset, lang, indent + "  "))
    if exposure["sensitive_categories"]:
        lines.append(f"{indent}{_l('sensitive', lang)}: " + names(exposure["sensitive_categories"], lang))
    elif exposure["sensitive"]:
        lines.append(f"{indent}{_l('sensitive', lang)}: {_l('yes', lang)}")
    return lines


# -- leaks -------------------------------------------------------------------------------------------


def _grouped(section: dict, lang: str) -> str:
    """One sentence on how a section's entries group, when they group at all."""
    if not section["count"] or section["group_count"] >= section["count"]:
        return ""
    return ("" if lang == "ja" else " ") + say("summary.grouped", lang, count=section["group_count"],
                     principals=say("group.principals", lang, count=section["principal_count"]))


def _leaks_summary(section: dict, lang: str) -> str:
    always = section["no_failure_needed"]
    points = section["count"] - always
    parts = [say("summary.leaks-always", lang, count=always, always=always)] if always else []
    if points:
        worst = next(leak for leak in section["entries"] if not leak["no_failure_needed"])
        parts.append(say("summary.leaks", lang, count=points, worst=name(worst["element"], lang),
                         exposes=exposure_phrase(worst["exposure"], lang)))
    elif not always:
        parts.append(say("summary.leaks-none", lang))
    return " ".join(parts) + _grouped(section, lang)


def _principals(group: dict, lang: str) -> str:
    return say("group.principals", lang, count=group["principal_count"])


def _leak_group_line(group: dict, entries: list[dict], lang: str) -> str:
    key, worst = group["key"], entries[group["worst"]]
    if key["operator"]:
        where = say("group.at-consignee", lang, operator=name(key["operator"], lang), tier=_l("tier", lang, tier=key["tier"]))
    else:
        where = say("group.at-principals" if key["tier"] == 0 else "group.at-nobody", lang)
    return say("group.leak-always" if key["no_failure_needed"] else "group.leak", lang, count=group["count"],
               harm=term(key["harm"], lang), kind=term(key["element_kind"], lang), where=where,
               principals=_principals(group, lang), worst=name(worst["element"], lang),
               exposes=exposure_phrase(worst["exposure"], lang))


def _step_line(step: dict, lang: str) -> str:
    ends = ""
    if step["from"] or step["to"]:
        ends = (f" [{name(step['from'], lang)} -> {name(step['to'], lang)}]" if step["to"]
                else f" [{name(step['from'], lang)}]")
    return f"     - {name(step['element'], lang)}{ends}: {step_effect(step['effect_code'], lang)}"


def _leak_lines(number: int, leak: dict, lang: str) -> list[str]:
    title = say("label.leaks-with-no-failure" if leak["no_failure_needed"] else "label.single-point", lang)
    lines = [f"{number}. {title}: {name_with_iri(leak['element'], lang)}"]
    flow = f" ({name(leak['guarded_provision'], lang)})" if leak["guarded_provision"] else ""
    lines.append(f"   {_l('harm', lang)}: {term(leak['harm'], lang)}{flow}")
    if leak["failure_modes"]:
        lines.append(f"   {_l('failure-modes', lang)}: " + names(leak["failure_modes"], lang))
        lines.append(f"   {_l('operated-by', lang)}: " + (names(leak["operated_by"], lang) or _l("none", lang)))
    lines.append(f"   {_l('accountable', lang)}: " + (names(leak["accountable"], lang) or _l("none", lang)))
    lines.append(f"   {_l('leak-path', lang)}:")
    lines += [_step_line(step, lang) for step in leak["path"]]
    lines.append(f"   {_l('reaches', lang)}: " + names(leak["reached"], lang))
    lines.extend(_holding_lines(leak, lang))
    lines.extend(_exposure_lines(leak["exposure"], lang, "   "))
    if leak["controls_not_catching_it"]:
        lines.append(f"   {_l('uncaught', lang)}:")
        for item in leak["controls_not_catching_it"]:
            why = "; ".join(said_phrase(s, lang) for s in item["why_said"])
            lines.append(f"     - {name(item['control'], lang)}: {why}")
    return lines + [""]


def _holding_lines(leak: dict, lang: str) -> list[str]:
    """What each party the data reaches holds, when they do not all hold the same (data that
    travels on may be cut down on the way: a buyer of one region's customers)."""
    held = holdings_phrases(leak, lang)
    if not held:
        return []
    return [f"   {_l('held-by-each', lang)}:"] + [f"     - {party}: {phrase}" for party, phrase in held]


MEMBERS_SHOWN = 20
"""Up to this many entries in a section, the text lists every member without ``--all``."""


def _section_lines(section: dict, lang: str, group_line, entry_lines, show_all: bool,
                   heading: str = "group.heading") -> list[str]:
    """A section's groups (when they group anything), then its members when there are few or ``show_all``."""
    lines: list[str] = []
    groups, entries = section["groups"], section["entries"]
    if section["group_count"] < section["count"]:
        lines.append(say(heading, lang, count=len(groups), shown=len(groups),
                         total=section["group_count"]))
        width = len(str(len(groups)))
        lines += [f"{number:>{width}}. {group_line(group, entries, lang)}" for number, group in enumerate(groups, 1)]
        if section["group_count"] > len(groups):
            lines.append(say("group.more", lang, more=section["group_count"] - len(groups)))
        lines.append("")
    if show_all or section["count"] <= MEMBERS_SHOWN:
        if section["group_count"] < section["count"]:
            lines += [say("group.members-heading", lang, count=len(entries)), ""]
        for number, entry in enumerate(entries, start=1):
            lines.extend(entry_lines(number, entry, lang))
    elif section["count"]:
        lines.append(say("group.members-hidden", lang, count=section["count"]))
    return lines


def leaks_text(section: dict, lang: str = "en", show_all: bool = False, summary: bool = True) -> str:
    """Single points of failure (:func:`serialise.listing_json` of :func:`serialise.leaks_listing`).

    The summary (unless ``summary`` is False: the audit gives it once), the groups, the members.
    """
    lines = [_leaks_summary(section, lang), ""] if summary else []
    lines += _section_lines(section, lang, _leak_group_line, _leak_lines, show_all)
    return _text(lines, lang)


# -- cut sets ------------------------------------------------------------------------------------------


def cutsets_text(results: list[dict], lang: str = "en") -> str:
    """Minimal cut sets per harm (the dictionaries of :func:`serialise.cutsets_json`)."""
    singles = sum(1 for r in results for cut in r["cut_sets"] if cut["order"] == 1)
    others = sum(1 for r in results for cut in r["cut_sets"] if cut["order"] > 1)
    lines = [say("summary.cutsets", lang, count=len(results), singles=singles, others=others), ""]
    for result in results:
        subject = result["guarded_provision"] or result["element"]
        lines.append(f"{_l('cut-sets', lang)}: {term(result['harm'], lang)}: {name(subject, lang)}")
        if result["guard_duty"]:
            lines.append(f"  {_l('duty', lang)}: {name(result['guard_duty'], lang)}")
        for cut in result["cut_sets"]:
            events = _l("and", lang).join(f"{name(e, lang)} [{term(e['kind'], lang)}]" for e in cut["events"])
            lines.append(f"  {_l('order', lang, order=cut['order'])}: {events or _l('leaks-with-no-failure', lang)}")
        lines.append("")
    return _text(lines, lang)


# -- blast radius and reporting duties ---------------------------------------------------------------


def _citations(sources: list[dict], lang: str) -> str:
    return "; ".join(s["citation"].get(lang) or s["citation"]["en"] for s in sources)


def _trigger_phrase(trigger: dict, lang: str) -> str:
    word = say(f"trigger.{trigger['trigger']}", lang, threshold=trigger["threshold"] or 0)
    source = f" [{_citations([trigger['source']], lang)}]" if trigger["source"] and trigger["status"] != "no" else ""
    return f"{word}: {say('trigger-status.' + trigger['status'], lang)}{source}"


def _duty_lines(duty: dict, lang: str, indent: str) -> list[str]:
    """One principal's reporting duties: whether reportable and why, the route, who tells whom."""
    regime = duty["regime"]
    status = reportable_phrase(duty, lang)
    lines = [f"{indent}{_l('reporting', lang, principal=name(duty['principal'], lang))}: {status}; {name(regime, lang)}"]
    choice = duty["regime_choice"]
    if choice["reason"] in ("coarse-date", "no-date"):
        lines.append(f"{indent}  " + say(f"regime.{choice['reason']}", lang, date=choice.get("date") or "?"))
    lines.append(f"{indent}  " + "; ".join(_trigger_phrase(t, lang) for t in duty["triggers"]))
    lines += [f"{indent}  {_route_phrase(route, duty['principal'], lang)}" for route in duty["routes"]]
    for n in duty["notifications"]:
        lines.append(f"{indent}  - {name(n['from'], lang)} -> {name(n['to'], lang)}: {name(n['rule'], lang)} "
                     f"[{_citations(n['sources'], lang)}] ({say('notification-status.' + n['status'], lang)})")
    return lines


def _route_phrase(route: dict, principal: dict, lang: str) -> str:
    values = {"holder": name(route["holder"], lang), "principal": name(principal, lang)}
    if route["basis"]:
        return say("route.own-basis", lang, bases=names(route["basis"], lang), **values)
    if route["gap"] and route["transfer"]:
        return say("route.no-chain-transfer", lang, transfer=name(route["transfer"], lang),
                   sender=name(route["notifier"], lang), **values)
    if route["gap"]:
        return say("route.no-chain", lang, **values)
    if route["chain"]:
        return say("route.chain", lang, chain=" -> ".join(name(c, lang) for c in route["chain"]), **values)
    return say("route.own", lang, **values)


def _blast_summary(section: dict, lang: str) -> str:
    if not section["count"]:
        return say("summary.blast-none", lang)
    worst = section["entries"][0]
    reportable = sum(1 for duty in worst.get("duties", ()) if duty["reportable"] != "no")
    return say("summary.blast", lang, count=section["count"], worst=name(worst["element"], lang),
               exposes=exposure_phrase(worst["exposure"], lang),
               reportable=say("tally.principals-must-report", lang, count=reportable)) + _grouped(section, lang)


def _blast_group_line(group: dict, entries: list[dict], lang: str) -> str:
    key, worst = group["key"], entries[group["worst"]]
    values = {"count": group["count"], "principals": _principals(group, lang), "worst": name(worst["element"], lang),
              "exposes": exposure_phrase(worst["exposure"], lang)}
    if "portable" in key:
        return say("group.blast-device", lang, portability=say("group.portable" if key["portable"] else "group.fixed",
                                                               lang), **values)
    if key.get("tier") is not None:
        return say("group.blast-party", lang, tier=_l("tier", lang, tier=key["tier"]), **values)
    return say("group.blast-untiered", lang, kind=term(key["kind"], lang), **values)


def _blast_lines(number: int, result: dict, lang: str) -> list[str]:
    shown, iri = name(result["element"], lang), result["element"]["iri"]
    lines = [f"{number}. {_l('blast', lang)}: {shown} ({term(result['kind'], lang)})" + (f" <{iri}>" if shown != iri else "")]
    lines.extend(_exposure_lines(result["exposure"], lang, "   "))
    if result["protected_by"]:
        lines.append(f"   {_l('protected', lang)}: " + names(result["protected_by"], lang))
    if result["chains"]:
        lines.append(f"   {_l('chains', lang)}:")
        for chain in result["chains"]:
            parts = [name(chain[0]["consignor"], lang)]
            parts += [f"{name(c['consignee'], lang)} ({_l('tier', lang, tier=c['tier'])})" for c in chain]
            lines.append("     - " + " -> ".join(parts))
    for duty in result.get("duties", ()):
        lines.extend(_duty_lines(duty, lang, "   "))
    return lines + [""]


def blast_text(section: dict, lang: str = "en", show_all: bool = False, summary: bool = True) -> str:
    """What the compromise of each element exposes and who must report it.

    From :func:`serialise.listing_json` of :func:`serialise.blast_listing`; ``summary`` as
    for :func:`leaks_text`.
    """
    lines = [_blast_summary(section, lang), ""] if summary else []
    lines += _section_lines(section, lang, _blast_group_line, _blast_lines, show_all)
    return _text(lines, lang)


# -- describe ------------------------------------------------------------------------------------------


def _describe_summary(summary: dict, lang: str) -> str:
    tiers = [int(t) for t in summary["consignments_by_tier"] if str(t).isdigit()]
    counts = {"triples": summary["triples"],
              "parties": len({p["iri"] for group in summary["parties_by_capacity"].values() for p in group}),
              "consignments": sum(len(v) for v in summary["consignments_by_tier"].values()),
              "duties": len(summary["duties"]), "assets": len(summary["data_assets"]),
              "controls": len(summary["controls"]), "incidents": len(summary["incidents"])}
    return say("summary.describe", lang, tier=max(tiers, default=0),
               **{what: say(f"tally.{what}", lang, count=count) for what, count in counts.items()})


def _describe_assets(summary: dict, lang: str) -> list[str]:
    lines = ["", f"{_l('data-assets', lang)}:"]
    for asset in summary["data_assets"]:
        flag = f" ({_l('sensitive', lang)})" if asset["sensitive"] else ""
        lines.extend(line + (flag if index == 0 else "") for index, line in enumerate(_asset_lines(asset, lang, "  ")))
        if asset["sensitive_categories"]:
            lines.append(f"      {_l('sensitive', lang)}: " + names(asset["sensitive_categories"], lang))
        for copy in asset["copies"]:
            where = name(copy["device"], lang) if copy["device"] else name(copy["held_by"], lang)
            lines.append(f"      {_l('copy', lang)}: {where}" + (f" ({_l('portable', lang)})" if copy["portable"] else ""))
    return lines


def _describe_controls(summary: dict, lang: str) -> list[str]:
    lines = ["", f"{_l('controls', lang)}:"]
    for control in summary["controls"]:
        lines.append(f"  {name(control, lang)} ({term(control['kind'], lang)}), {_l('operated-by', lang)}: "
                     + names(control["operated_by"], lang))
        if control["rules_out_leak"] is False:
            limitation = control["limitation"].get(lang) or control["limitation"].get("en", "")
            lines.append(f"      {_l('does-not-rule-out', lang)}" + (f": {limitation}" if limitation else ""))
    return lines


def describe_text(summary: dict, lang: str = "en") -> str:
    """A summary of the model to check against its sources (:func:`serialise.describe_json`)."""
    lines = [_describe_summary(summary, lang), "", f"{_l('parties-by-capacity', lang)}:"]
    for capacity, parties in summary["parties_by_capacity"].items():
        lines.append(f"  {term(capacity, lang)}: " + names(parties, lang))
    lines += ["", f"{_l('consignments-by-tier', lang)}:"]
    for tier, items in summary["consignments_by_tier"].items():
        for c in items:
            approval = f"  {_l('approval', lang)}: {name(c['approval'], lang)}" if c["approval"] else ""
            lines.append(f"  {_l('tier', lang, tier=tier)}: {name(c['consignor'], lang)} -> {name(c['consignee'], lang)}"
                         f"  <{c['iri']}>{approval}")
    lines += ["", f"{_l('duties', lang)}:"]
    for duty in summary["duties"]:
        performers = names(duty["performers"], lang) or name(duty["accountable"], lang)
        lines.append(f"  {name_with_iri(duty, lang)}")
        lines.append(f"      {_l('accountable', lang)}: {name(duty['accountable'], lang)}; "
                     f"{_l('performer', lang)}: {performers}")
    lines += _describe_assets(summary, lang) + _describe_controls(summary, lang)
    if summary["incidents"]:
        lines += ["", f"{_l('incidents', lang)}:"]
        for incident in summary["incidents"]:
            lines.append(f"  {name(incident, lang)}")
            lines += [f"      {event['date'] or _l('date-unknown', lang)}  {name(event, lang)}" for event in incident["events"]]
    return _text(lines, lang)


# -- validation findings ---------------------------------------------------------------------------------


def finding_message(finding: dict, lang: str = "en") -> str:
    """What a finding says and what to do, in ``lang`` (the English message when it says nothing else)."""
    said = finding.get("said")
    if not said:
        return finding["message"]
    if said.get("advice") is None:
        advice = (finding["rule"].get("advice") or {}).get(lang, "")
    else:
        advice = say(said["advice"], lang) if said["advice"] else ""
    return f"{said_phrase(said, lang)} {advice}".strip()


def _validation_summary(section: dict, lang: str) -> str:
    counts = section["by_severity"]
    if not counts["error"]:
        return say("summary.validate-conforms", lang, warnings=say("tally.warnings", lang, count=counts["warning"]),
                   notes=say("tally.notes", lang, count=counts["info"]))
    first = next(f for f in section["entries"] if f["severity"] == "error")
    return say("summary.validate-fails", lang, errors=say("tally.errors", lang, count=counts["error"]),
               warnings=say("tally.warnings", lang, count=counts["warning"]),
               notes=say("tally.notes", lang, count=counts["info"]),
               first=name(first["rule"], lang)) + _grouped(section, lang)


def _finding_sources(finding: dict, lang: str) -> str:
    return _citations(finding["sources"], lang) if finding.get("sources") else "; ".join(finding["source"])


def _finding_group_line(group: dict, entries: list[dict], lang: str) -> str:
    worst = entries[group["worst"]]
    return say("group.finding", lang, count=group["count"], severity=say("severity." + group["key"]["severity"], lang),
               rule=name(group["key"]["rule"], lang), sources=_finding_sources(worst, lang),
               principals=_principals(group, lang), first=finding_message(worst, lang))


def _finding_lines(number: int, finding: dict, lang: str) -> list[str]:
    lines = [f"{say('severity.' + finding['severity'], lang)}: {name(finding['rule'], lang)} "
             f"[{_finding_sources(finding, lang)}]", f"   {finding_message(finding, lang)}"]
    return lines + [f"   - {focus['iri']}" for focus in finding["focus"]]


def findings_text(section: dict, lang: str = "en", show_all: bool = False, summary: bool = True) -> str:
    """Validation findings, errors first, each with its legal source.

    From :func:`serialise.listing_json` of :func:`serialise.findings_listing`; ``summary`` as
    for :func:`leaks_text`.
    """
    lines = [_validation_summary(section, lang), ""] if summary else []
    lines += _section_lines(section, lang, _finding_group_line, _finding_lines, show_all, "group.heading-findings")
    return _text(lines, lang)


# -- audit ----------------------------------------------------------------------------------------------


_AUDIT_SECTIONS = (("findings", "section.findings", findings_text),
                   ("single_points_of_failure", "section.single-points", leaks_text),
                   ("blast_rank", "section.blast-rank", blast_text))


def audit_text(data: dict, lang: str = "en", show_all: bool = False) -> str:
    """The three sections of ``chainmodel audit``, after one summary of them all."""
    summary = say("summary.audit", lang, validation=_validation_summary(data["findings"], lang),
                  leaks=_leaks_summary(data["single_points_of_failure"], lang),
                  blast=_blast_summary(data["blast_rank"], lang))
    parts = [summary + "\n"]
    for key, title, render in _AUDIT_SECTIONS:
        parts.append(f"== {say(title, lang)} ({data[key]['count']:,}) ==\n{render(data[key], lang, show_all, False)}")
    return "\n".join(parts)
