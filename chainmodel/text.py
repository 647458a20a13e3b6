"""Human-readable text, rendered from the JSON dictionaries of :mod:`chainmodel.serialise`.

Examples
--------
>>> name({"iri": "urn:x", "name": "ex:x", "label": {"en": "the hospital", "ja": "当該医療機関"}}, "ja")
'当該医療機関'
"""

from __future__ import annotations

from functools import lru_cache

from .catalogue import has, say
from .phrases import amount_phrase, count_phrase, name, names, reason_phrase, said_phrase

__all__ = ["name", "term", "step_effect", "TERMS", "trace_text", "leaks_text", "cutsets_text", "blast_text", "describe_text", "findings_text"]

HEADINGS = {
    "en": {"duty": "Duty", "accountable": "accountable", "performer": "performer", "chain": "chain",
           "flag_twice": "flag: entrusted through more than one chain",
           "flag_none": "flag: no chain reaches a party that performs it",
           "supervisors": "supervisors", "tier": "tier", "approval": "approval", "none": "(none)",
           "spof": "Single point of failure", "modes": "failure modes", "operated": "operated by",
           "path": "leak path", "reached": "reaches", "exposes": "exposes", "uncaught": "controls that do not catch it",
           "subjects": "subjects", "unknown": "unknown", "sensitive": "sensitive", "harm": "harm",
           "cutsets": "Minimal cut sets", "order": "order", "blast": "Blast radius", "chains": "chains",
           "reporting": "reporting duties", "findings": "Findings", "conforms": "The model conforms.",
           "principal": "principal", "unattributed": "not attributed to a named principal",
           "protected": "if it is lost or stolen, a control rules a leak out",
           "always": "LEAKS WITH NO FAILURE AT ALL", "people": " people", "yes": "yes"},
    "ja": {"duty": "義務", "accountable": "責任者", "performer": "実施者", "chain": "連鎖",
           "flag_twice": "注意：複数の連鎖で委託されている", "flag_none": "注意：実施者に届く連鎖がない",
           "supervisors": "監督者", "tier": "階層", "approval": "承諾", "none": "（なし）",
           "spof": "単一障害点", "modes": "故障モード", "operated": "運用者", "path": "漏えい経路",
           "reached": "到達先", "exposes": "露出", "uncaught": "検知できない管理策", "subjects": "本人数",
           "unknown": "不明", "sensitive": "要配慮", "harm": "被害", "cutsets": "極小カットセット",
           "order": "次数", "blast": "影響範囲", "chains": "委託連鎖", "reporting": "報告義務",
           "findings": "検査結果", "conforms": "モデルは適合しています。", "principal": "委託元",
           "unattributed": "委託元が特定されていない分", "protected": "紛失・盗難時に漏えいを否定できる管理策",
           "always": "何も失敗しなくても漏えいする", "people": "人", "yes": "あり"},
}


TERMS = {
    # harm kinds
    "guarded-provision": ("guarded provision carries protected data", "保護すべきデータを含む提供"),
    "device-exposure": ("device lost or stolen", "機器の紛失・盗難"),
    "copy-exposure": ("copy taken without authority", "無断複製"),
    "misdirected-data": ("data sent to the wrong party", "データの誤送付"),
    # element kinds
    "hand-off": ("hand-off", "受け渡し"), "task": ("task", "業務"), "copy": ("copy", "複製"),
    "device": ("device", "機器"), "control": ("control", "管理策"), "party": ("party", "当事者"),
    "asset": ("data asset", "データ資産"), "report": ("report", "報告"), "data-provision": ("data provision", "データ提供"),
    "instruction": ("instruction", "指示"), "exposure": ("exposure", "露出"), "structure": ("the model itself", "モデルの構造"),
    # capacities other than the ontology's role classes (whose labels name the rest)
    "other": ("other", "その他"),
}
"""Fixed words of the analyses (machine values in the JSON), in English and Japanese."""


@lru_cache(maxsize=None)
def _role_labels() -> dict[str, tuple[str, str]]:
    """Role names from the ontology's labels of the role classes (cm:Principal, ...)."""
    from rdflib import URIRef
    from rdflib.namespace import RDFS

    from .model import ontology_graph
    from .views import ROLE_CLASSES

    graph = ontology_graph()
    found = {}
    for cls, role in ROLE_CLASSES.items():
        labels = {label.language: str(label) for label in graph.objects(URIRef(cls), RDFS.label)}
        found[role] = (labels.get("en", role), labels.get("ja", role))
    return found


def term(value: str, lang: str = "en") -> str:
    """A fixed word of the analyses in ``lang`` (unknown words are returned as they are).

    Role names come from the ontology's labels, so they read the same everywhere.

    >>> term("device-exposure", "ja")
    '機器の紛失・盗難'
    >>> term("re-consignee", "ja")
    '再委託先'
    """
    pair = TERMS.get(value) or _role_labels().get(value)
    return pair[1 if lang == "ja" else 0] if pair else value


def step_effect(effect: str, lang: str = "en") -> str:
    """A leak step's effect (a ``step.*`` word of the catalogue) in ``lang``.

    >>> step_effect("passes-the-failure-on", "ja")
    '失敗を次に伝える'
    """
    return say(f"step.{effect}", lang) if has(f"step.{effect}") else effect


def _count(value, h) -> str:
    return f"{value:,}" if isinstance(value, int) else h["unknown"]


def trace_text(traces: list[dict], lang: str = "en") -> str:
    h = HEADINGS[lang]
    lines: list[str] = []
    for trace in traces:
        lines.append(f"{h['duty']}: {name(trace['duty'], lang)} <{trace['duty']['iri']}>")
        lines.append(f"  {h['accountable']}: {name(trace['accountable'], lang)}")
        lines.append(f"  {h['performer']}: " + (", ".join(name(p, lang) for p in trace["performers"]) or h["none"]))
        if trace["flags"]["entrusted_more_than_once"]:
            lines.append(f"  {h['flag_twice']}")
        if trace["flags"]["no_performer"]:
            lines.append(f"  {h['flag_none']}")
        for number, chain in enumerate(trace["chains"], start=1):
            parts = [name(chain["links"][0]["consignor"], lang)]
            parts += [f"{name(link['consignee'], lang)} ({h['tier']} {link['tier']})" for link in chain["links"]]
            lines.append(f"  {h['chain']} {number}: " + " -> ".join(parts))
            for link in chain["links"]:
                approval = name(link["approval"], lang) if link["approval"] else h["none"]
                lines.append(f"      {h['tier']} {link['tier']}: {name(link['consignment'], lang)}  {h['approval']}: {approval}")
            lines.append(f"      {h['supervisors']}: " + ", ".join(name(s, lang) for s in chain["supervisors"]))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _exposure_lines(exposure: dict, h: dict, lang: str, indent: str) -> list[str]:
    populations = exposure.get("populations") or []
    if populations:
        wording = "; ".join(count_phrase(p["count"], p["unit"], lang) for p in populations)
    else:
        wording = amount_phrase(0, None, lang)
    lines = [f"{indent}{h['exposes']}: {wording}"]
    for population in populations:
        for reason in population["reasons"]:
            lines.append(f"{indent}  ({reason_phrase(reason, lang)})")
    for asset in exposure["assets"]:
        lines.append(f"{indent}  - {name(asset['asset'], lang)}: {count_phrase(asset['total'], asset['unit'], lang)}")
        for row in asset["per_principal"]:
            share = count_phrase(row["count"], asset["unit"], lang, share=not row["stated"])
            lines.append(f"{indent}      {h['principal']} {name(row['principal'], lang)}: {share}")
        if asset["unattributed_count"]:
            lines.append(f"{indent}      " + say("count.unattributed", lang,
                                                 amount=count_phrase(asset["unattributed_count"], asset["unit"], lang)))
    if exposure["sensitive_categories"]:
        lines.append(f"{indent}{h['sensitive']}: " + "; ".join(name(c, lang) for c in exposure["sensitive_categories"]))
    elif exposure["sensitive"]:
        lines.append(f"{indent}{h['sensitive']}: {h['yes']}")
    return lines


def leaks_text(leaks: list[dict], lang: str = "en") -> str:
    h = HEADINGS[lang]
    lines: list[str] = []
    for number, leak in enumerate(leaks, start=1):
        title = h["always"] if leak["no_failure_needed"] else h["spof"]
        lines.append(f"{number}. {title}: {name(leak['element'], lang)} <{leak['element']['iri']}>")
        lines.append(f"   {h['harm']}: {term(leak['harm'], lang)}" + (f" ({name(leak['guarded_provision'], lang)})" if leak["guarded_provision"] else ""))
        if leak["failure_modes"]:
            lines.append(f"   {h['modes']}: " + ", ".join(name(m, lang) for m in leak["failure_modes"]))
            lines.append(f"   {h['operated']}: " + (", ".join(name(p, lang) for p in leak["operated_by"]) or h["none"]))
        lines.append(f"   {h['accountable']}: " + (", ".join(name(p, lang) for p in leak["accountable"]) or h["none"]))
        lines.append(f"   {h['path']}:")
        for step in leak["path"]:
            ends = ""
            if step["from"] or step["to"]:
                ends = f" [{name(step['from'], lang)} -> {name(step['to'], lang)}]" if step["to"] else f" [{name(step['from'], lang)}]"
            lines.append(f"     - {name(step['element'], lang)}{ends}: {step_effect(step['effect_code'], lang)}")
        lines.append(f"   {h['reached']}: " + ", ".join(name(p, lang) for p in leak["reached"]))
        lines.extend(_exposure_lines(leak["exposure"], h, lang, "   "))
        if leak["controls_not_catching_it"]:
            lines.append(f"   {h['uncaught']}:")
            for item in leak["controls_not_catching_it"]:
                lines.append(f"     - {name(item['control'], lang)}: " + "; ".join(said_phrase(s, lang) for s in item["why_said"]))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n" if lines else h["none"] + "\n"


def cutsets_text(results: list[dict], lang: str = "en") -> str:
    h = HEADINGS[lang]
    lines: list[str] = []
    for result in results:
        subject = result["guarded_provision"] or result["element"]
        lines.append(f"{h['cutsets']}: {term(result['harm'], lang)}: {name(subject, lang)}")
        if result["guard_duty"]:
            lines.append(f"  {h['duty']}: {name(result['guard_duty'], lang)}")
        for cut in result["cut_sets"]:
            joiner = " かつ " if lang == "ja" else " AND "
            events = joiner.join(f"{name(e, lang)} [{term(e['kind'], lang)}]" for e in cut["events"]) or h["always"]
            lines.append(f"  {h['order']} {cut['order']}: {events}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n" if lines else h["none"] + "\n"


def _citations(sources: list[dict], lang: str) -> str:
    return "; ".join(s["citation"].get(lang) or s["citation"]["en"] for s in sources)


def _duty_lines(duty: dict, h: dict, lang: str, indent: str) -> list[str]:
    """One principal's reporting duties: whether reportable and why, the route, who tells whom."""
    regime = duty["regime"]
    status = say(f"reportable.{duty['reportable']}", lang)
    if duty["protected_by"]:
        status = say("reportable.protected", lang, controls=names(duty["protected_by"], lang))
    lines = [f"{indent}{h['reporting']} ({name(duty['principal'], lang)}): {status}; {name(regime, lang)}"]
    if regime["reason"] == "coarse-date" or regime["reason"] == "no-date":
        lines.append(f"{indent}  " + say(f"regime.{regime['reason']}", lang, date="?"))
    triggers = []
    for trigger in duty["triggers"]:
        word = say(f"trigger.{trigger['trigger']}", lang, threshold=trigger["threshold"] or 0)
        source = f" [{_citations([trigger['source']], lang)}]" if trigger["source"] and trigger["status"] != "no" else ""
        triggers.append(f"{word}: {say('trigger-status.' + trigger['status'], lang)}{source}")
    lines.append(f"{indent}  " + "; ".join(triggers))
    for route in duty["routes"]:
        lines.append(f"{indent}  {_route_phrase(route, duty['principal'], lang)}")
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


def blast_text(results: list[dict], lang: str = "en") -> str:
    h = HEADINGS[lang]
    lines: list[str] = []
    for number, result in enumerate(results, start=1):
        lines.append(f"{number}. {h['blast']}: {name(result['element'], lang)} ({term(result['kind'], lang)}) <{result['element']['iri']}>")
        lines.extend(_exposure_lines(result["exposure"], h, lang, "   "))
        if result["protected_by"]:
            lines.append(f"   {h['protected']}: " + "; ".join(name(k, lang) for k in result["protected_by"]))
        if result["chains"]:
            lines.append(f"   {h['chains']}:")
            for chain in result["chains"]:
                parts = [name(chain[0]["consignor"], lang)] + [f"{name(c['consignee'], lang)} ({h['tier']} {c['tier']})" for c in chain]
                lines.append("     - " + " -> ".join(parts))
        for duty in result.get("duties", ()):
            lines.extend(_duty_lines(duty, h, lang, "   "))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n" if lines else h["none"] + "\n"


def describe_text(summary: dict, lang: str = "en") -> str:
    h = HEADINGS[lang]
    lines = [f"triples: {summary['triples']:,}", "", "parties by capacity:"]
    for capacity, parties in summary["parties_by_capacity"].items():
        lines.append(f"  {term(capacity, lang)}: " + "; ".join(name(p, lang) for p in parties))
    lines += ["", "consignments by tier:"]
    for tier, items in summary["consignments_by_tier"].items():
        for c in items:
            approval = f"  {h['approval']}: {name(c['approval'], lang)}" if c["approval"] else ""
            lines.append(f"  {h['tier']} {tier}: {name(c['consignor'], lang)} -> {name(c['consignee'], lang)}  <{c['iri']}>{approval}")
    lines += ["", "duties:"]
    for duty in summary["duties"]:
        performers = ", ".join(name(p, lang) for p in duty["performers"]) or name(duty["accountable"], lang)
        lines.append(f"  {name(duty, lang)} <{duty['iri']}>")
        lines.append(f"      {h['accountable']}: {name(duty['accountable'], lang)}; {h['performer']}: {performers}")
    lines += ["", "data assets:"]
    for asset in summary["data_assets"]:
        lines.append(f"  {name(asset, lang)}: {_count(asset['subjects'], h)} {h['subjects']}" + (f" ({h['sensitive']})" if asset["sensitive"] else ""))
        for row in asset["per_principal"]:
            lines.append(f"      {h['principal']} {name(row['principal'], lang)}: {row['subjects']:,}")
        if asset["sensitive_categories"]:
            lines.append(f"      {h['sensitive']}: " + "; ".join(name(c, lang) for c in asset["sensitive_categories"]))
        for copy in asset["copies"]:
            where = name(copy["device"], lang) if copy["device"] else name(copy["held_by"], lang)
            lines.append(f"      copy: {where}" + (" (portable)" if copy["portable"] else ""))
    lines += ["", "controls:"]
    for control in summary["controls"]:
        lines.append(f"  {name(control, lang)} ({control['kind']}), {h['operated']}: " + ", ".join(name(p, lang) for p in control["operated_by"]))
        if control["rules_out_leak"] is False:
            lines.append("      does not rule a leak out" + (f": {control['limitation'].get(lang) or control['limitation'].get('en', '')}" if control["limitation"] else ""))
    if summary["incidents"]:
        lines += ["", "incidents:"]
        for incident in summary["incidents"]:
            lines.append(f"  {name(incident, lang)}")
            for event in incident["events"]:
                lines.append(f"      {event['date'] or '?'}  {name(event, lang)}")
    return "\n".join(lines) + "\n"


def _finding_message(finding: dict, lang: str) -> str:
    said = finding.get("said")
    if not said:
        return finding["message"]
    if said.get("advice") is None:
        advice = (finding.get("advice") or {}).get(lang, "")
    else:
        advice = say(said["advice"], lang) if said["advice"] else ""
    return f"{said_phrase(said, lang)} {advice}".strip()


def findings_text(findings: list[dict], lang: str = "en") -> str:
    h = HEADINGS[lang]
    if not findings:
        return h["conforms"] + "\n"
    lines = []
    for finding in findings:
        sources = _citations(finding["sources"], lang) if finding.get("sources") else "; ".join(finding["source"])
        lines.append(f"{finding['severity'].upper()}: {name(finding['rule'], lang)} [{sources}]")
        lines.append(f"   {_finding_message(finding, lang)}")
        for focus in finding["focus"]:
            lines.append(f"   - {focus['iri']}")
    return "\n".join(lines) + "\n"


AUDIT_SECTIONS = (
    ("findings", ("Findings", "検査結果"), findings_text),
    ("single_points_of_failure", ("Single points of failure", "単一障害点"), leaks_text),
    ("blast_rank", ("Blast radius, largest first", "影響範囲（大きい順）"), blast_text),
)


def audit_text(data: dict, lang: str = "en") -> str:
    """The three sections of ``chainmodel audit``, each with its count."""
    parts = []
    for key, titles, render in AUDIT_SECTIONS:
        title = titles[1] if lang == "ja" else titles[0]
        parts.append(f"== {title} ({len(data[key]):,}) ==\n{render(data[key], lang)}")
    return "\n".join(parts)
