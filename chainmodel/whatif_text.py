"""The text of a what-if comparison, rendered from :func:`chainmodel.whatif_json.whatif_json`.

First a table: each single point of failure of the base model (grouped by harm) and what
each scenario does to it: removed, stays, gone (the harm can no longer happen) or LEAKS
(the harm now happens with no failure at all: worse, never counted as removed); then the
single points only a scenario has; then, per scenario, every other difference. Every word
comes from the catalogue (``whatif.*``), every name from the labels in the reader's language.

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.whatif import Scenario, add_control, compare
>>> from chainmodel.whatif_json import whatif_json
>>> model = load_model(["examples/case-b-optout"])
>>> text = add_control(["b:h-report-nttdata-ldi"], "b:consignee-ldi", notifies="b:consignee-ldi", latency="P1M",
...                    model=model)
>>> data = whatif_json(compare(model, [Scenario.from_text(text)], validation=False), model)
>>> print(whatif_text(data, "ja").splitlines()[0])
What-if比較：基本モデルに対する1件のシナリオ（最小カットセットは2次まで）
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict

from .catalogue import join, say
from .phrases import harm_rank, name

__all__ = ["whatif_text"]


def _w(key: str, lang: str, **values) -> str:
    return say(f"whatif.{key}", lang, **values)


def _full(term: dict | None, lang: str) -> str:
    """A label and its prefixed name: ``NTT DATA (b:nttdata)``; the name alone when there is no label."""
    if not term:
        return ""
    label = name(term, lang)
    shown = term.get("name") or term["iri"]
    return label if label in (shown, term["iri"]) else f"{label} ({shown})"


def _harm(harm: dict, lang: str) -> str:
    if harm["kind"] == "guarded-provision":
        return _w("harm-guarded", lang, flow=_full(harm["flow"], lang), guard=_full(harm["guard"], lang))
    if harm["kind"]:
        return _w(f"harm-{harm['kind']}", lang, element=_full(harm["element"], lang))
    return _full(harm["element"], lang) or harm["key"]


def _in_harm(element: dict | None, harm: dict, lang: str) -> str:
    shown = _full(element, lang) if element else _w("with-no-failure", lang)
    return _w("element-in-harm", lang, element=shown, harm=_harm(harm, lang))


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _cell(pair: dict, scenario: dict, in_base: bool, lang: str) -> str:
    key = pair["harm"]["key"]
    if key in {h["key"] for h in scenario["unavoidable_harms"]}:
        return _w("unavoidable", lang)
    if key in {h["key"] for h in scenario["harms_ended"]}:
        return _w("ended", lang)
    if in_base:
        removed = {(p["element"]["iri"] if p["element"] else "", p["harm"]["key"]) for p in scenario["spof_removed"]}
        return _w("removed" if _pair_key(pair) in removed else "stays", lang)
    added = {_pair_key(p) for p in scenario["spof_added"]}
    return _w("added" if _pair_key(pair) in added else "absent", lang)


def _pair_key(pair: dict) -> tuple[str, str]:
    return (pair["element"]["iri"] if pair["element"] else "", pair["harm"]["key"])


def _table(rows: list[dict], data: dict, in_base: bool, lang: str) -> list[str]:
    columns = [f"[{n}]" for n in range(1, len(data["scenarios"]) + 1)]
    by_harm: dict[str, list[dict]] = defaultdict(list)
    harms: dict[str, dict] = {}
    for pair in rows:
        by_harm[pair["harm"]["key"]].append(pair)
        harms[pair["harm"]["key"]] = pair["harm"]
    labels = {_pair_key(p): "  " + _full(p["element"], lang) for p in rows}
    first = max([_width(text) for text in labels.values()] + [_width(_w("table", lang))]) + 2
    cells = ("removed", "stays", "added", "unavoidable", "ended")
    widths = [max(_width(c), *(_width(_w(k, lang)) for k in cells)) + 2 for c in columns]
    out = [(_pad("", first) + "".join(_pad(c, w) for c, w in zip(columns, widths))).rstrip()]
    for key in sorted(by_harm, key=lambda k: (harm_rank(harms[k]["kind"]), k)):
        out.append(_harm(harms[key], lang))
        for pair in sorted(by_harm[key], key=lambda p: (name(p["element"], lang).casefold(), _pair_key(p))):
            row = _pad(labels[_pair_key(pair)], first) + "".join(
                _pad(_cell(pair, scenario, in_base, lang), w) for scenario, w in zip(data["scenarios"], widths))
            out.append(row.rstrip())
    return out


def _window(window: dict | None, lang: str, control: bool = False) -> str:
    if window is None and control:
        return _w("no-control", lang)
    if not window or not window["start"]:
        return _w("no-window", lang)
    if not window["end"]:
        return _w("window-open", lang, start=window["start"])
    return _w("window", lang, start=window["start"], end=window["end"])


def _flows(item: dict, lang: str) -> str:
    via = join([(f["name"] or f["iri"]) for f in item["flows"]], lang)
    return _harm(item, lang) + (f" ({_w('via', lang)} {via})" if via else "")


def _chains(chains: list[list[dict]], lang: str) -> str:
    return "; ".join(" > ".join(c["name"] or c["iri"] for c in chain) for chain in chains) or _w("no-chain", lang)


def _count(value, lang: str) -> str:
    return _w("gone", lang) if value is None else f"{value:,}"


def _differences(scenario: dict, data: dict, lang: str) -> list[tuple[str, list[str]]]:
    """Each kind of difference of one scenario, with its lines, in the order they are printed."""
    order = data["order"]

    def cut(value):
        return _w("no-cut", lang, order=order) if value is None else str(value)

    ended = {h["key"] for h in scenario["harms_ended"]}  # their single points are listed as the harm, once
    found = [
        ("spof-removed", [_in_harm(p["element"], p["harm"], lang) for p in scenario["spof_removed"]
                          if p["harm"]["key"] not in ended]),
        ("spof-added", [_in_harm(p["element"], p["harm"], lang) for p in scenario["spof_added"]]),
        ("unavoidable-harms", [_harm(h, lang) for h in scenario["unavoidable_harms"]]),
        ("harms-ended", [_harm(h, lang) for h in scenario["harms_ended"]]),
        ("harms-started", [_harm(h, lang) for h in scenario["harms_started"]]),
        ("cut", [f"{_in_harm(c['element'], c['harm'], lang)}: {cut(c['before'])} -> {cut(c['after'])}"
                 for c in scenario["cutset_order_changes"]]),
        ("closed", [_flows(item, lang) for item in scenario["leaks_closed"]]),
        ("opened", [_flows(item, lang) for item in scenario["leaks_opened"]]),
        ("blast", [f"{_full(b['element'], lang)}, {_full(b['principal'], lang) or _w('all', lang)}: "
                   f"{_count(b['before'], lang)} -> {_count(b['after'], lang)}" for b in scenario["blast_changes"]]),
        ("found-added", [f"{f['rule']['name'] or f['rule']['iri']}: " + join([x["name"] or x["iri"] for x in f["focus"]],
                                                                              lang) for f in scenario["findings_added"]]),
        ("found-resolved", [f"{f['rule']['name'] or f['rule']['iri']}: " + join([x["name"] or x["iri"] for x in f["focus"]],
                                                                                 lang)
                            for f in scenario["findings_resolved"]]),
        ("chains", [f"{_full(c['duty'], lang)}: {_chains(c['before'], lang)} -> {_chains(c['after'], lang)}"
                    for c in scenario["chains_changed"]]),
        ("windows", [(_w("window-with-control", lang, incident=_full(w["incident"], lang), control=_full(w["control"], lang))
                      if w["control"] else _w("window-as-it-happened", lang, incident=_full(w["incident"], lang)))
                     + f": {_window(w['before'], lang, bool(w['control']))} -> "
                       f"{_window(w['after'], lang, bool(w['control']))}"
                     for w in scenario["window_changes"]]),
    ]
    return [(key, lines) for key, lines in found if lines]


def _scenario_lines(number: int, scenario: dict, data: dict, lang: str) -> list[str]:
    title = scenario["label"].get(lang) or scenario["label"]["en"]
    lines = [f"[{number}] {title} ({scenario['file']})"]
    if scenario["description"] and lang != "ja":
        lines.append(f"  {scenario['description']}")
    if scenario["unchanged"]:
        return lines + [f"  {_w('nothing', lang)}", ""]
    for key, items in _differences(scenario, data, lang):
        lines.append(f"  {_w(key, lang)}:")
        lines.extend(f"    - {item}" for item in items)
    if not data["validated"]:
        lines.append(f"  {_w('not-validated', lang)}")
    return lines + [""]


def whatif_text(data: dict, lang: str = "en") -> str:
    """A side-by-side table of single points of failure, then each scenario's other differences."""
    scenarios = data["scenarios"]
    lines = [_w("title", lang, count=len(scenarios), order=data["order"]), ""]
    if scenarios:
        lines.append(_w("scenarios", lang))
        lines += [f"  [{n}] {s['label'].get(lang) or s['label']['en']} ({s['file']})" for n, s in enumerate(scenarios, 1)]
        lines.append("")
    base_rows = data["base"]["single_points_of_failure"]
    seen = {_pair_key(p) for p in base_rows}
    added_rows = sorted({_pair_key(p): p for s in scenarios for p in s["spof_added"] if _pair_key(p) not in seen}.values(),
                        key=_pair_key)
    if not base_rows and not added_rows:
        lines.append(_w("none", lang))
    if base_rows:
        lines += [_w("table", lang)] + _table(base_rows, data, True, lang)
        if any(s["unavoidable_harms"] for s in scenarios):
            lines.append(_w("unavoidable-legend", lang))
        if any(s["harms_ended"] for s in scenarios):
            lines.append(_w("ended-legend", lang))
        lines.append("")
    if added_rows:
        lines += [_w("new-rows", lang)] + _table(added_rows, data, False, lang) + [""]
    for number, scenario in enumerate(scenarios, 1):
        lines += _scenario_lines(number, scenario, data, lang)
    return "\n".join(lines).rstrip() + "\n"
