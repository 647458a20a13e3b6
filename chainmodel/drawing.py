"""What a diagram draws, worked out from the dictionaries of :mod:`chainmodel.serialise`.

Four steps, each a function of plain dictionaries, none running an analysis:

* :func:`select` chooses the elements (all, or one principal's chains, plus the parties a
  failure reaches);
* :func:`graph` turns them into nodes and edges, each with its facts (the tooltip) in the
  reader's language, every fixed word from the catalogue;
* :mod:`chainmodel.layout` places them (the same coordinates on screen and in the SVG);
* :func:`styled` gives them the look the legend (:func:`legend`) explains.

The result is the plain data that :mod:`chainmodel.diagram` writes into a page or an SVG.

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.views import chain_view
>>> from chainmodel.serialise import inventory_json
>>> view = chain_view(load_model(["examples/case-b-optout"]))
>>> nodes, edges = graph(select(inventory_json(view)), {}, "ja")
>>> next(n for n in nodes if n["id"].endswith("#hospital"))["facts"][:2]
['当該医療機関', '種別：委託元']
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .catalogue import duration_words, has, join, say
from .phrases import count_phrase, exposure_phrase, holdings_phrases, name, reason_phrase, step_effect, term

__all__ = ["Selection", "select", "graph", "styled", "legend", "highlights", "summary", "ROLE_ORDER", "NODE_STYLE",
           "EDGE_STYLE", "node_kind", "kind_word", "LIST_MAX"]

ROLE_ORDER = ("principal", "producer", "regulator", "data-subjects", "recipient", "consignee", "re-consignee")
"""When a party holds several roles, the first of these decides its shape and colour."""

NODE_KINDS = ROLE_ORDER + ("organisation", "party", "device", "reached")

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
LIST_MAX = 12
"""Items listed per fact in a tooltip before "... and N more"."""

_FLOW_KINDS = ("data-provision", "report", "instruction", "hand-off", "copy", "holds", "exposure", "consignment",
               "capacity")


# -- select ---------------------------------------------------------------------------------------


@dataclass
class Selection:
    """The elements a diagram draws (inventory dictionaries, by IRI) and what the failure touches."""

    parties: dict[str, dict]
    consignments: dict[str, dict]
    devices: dict[str, dict]
    hand_offs: dict[str, dict]
    copies: dict[str, dict]
    controls: dict[str, dict]
    inventory: dict
    leaks: list[dict] = field(default_factory=list)
    path_nodes: set[str] = field(default_factory=set)
    path_refs: dict[str, dict] = field(default_factory=dict)
    reached: dict[str, dict] = field(default_factory=dict)
    path_elements: dict[str, str] = field(default_factory=dict)


def _iri(ref: dict | None) -> str | None:
    """The IRI of a reference, None for one the model leaves out (a damaged model may)."""
    return ref["iri"] if ref else None


def _by_iri(items: list[dict]) -> dict[str, dict]:
    return {item["iri"]: item for item in items}


def principal_consignments(inventory: dict, principal: str) -> set[str]:
    """Every consignment in a chain that starts at ``principal`` (or at its organisation)."""
    parties = _by_iri(inventory["parties"])
    organisation = lambda iri: ((parties.get(iri) or {}).get("organisation") or {}).get("iri") or iri  # noqa: E731
    consignments = _by_iri(inventory["consignments"])
    children: dict[str, list[str]] = defaultdict(list)
    for c in inventory["consignments"]:
        for parent in c["extends"]:
            children[parent["iri"]].append(c["iri"])
    wanted = organisation(principal)
    stack = sorted(c["iri"] for c in inventory["consignments"]
                   if not any(p["iri"] in consignments for p in c["extends"])
                   and organisation(_iri(c["consignor"])) == wanted)
    kept: set[str] = set()
    while stack:
        iri = stack.pop()
        if iri not in kept:
            kept.add(iri)
            stack.extend(children.get(iri, ()))
    return kept


def _failure(selection: Selection, leaks: list[dict]) -> None:
    """What the failure's leak paths touch: parties and devices on the path, parties reached."""
    devices = {d["iri"] for d in selection.inventory["devices"]}
    for leak in leaks:
        for step in leak["path"]:
            iri = step["element"]["iri"]
            selection.path_elements.setdefault(iri, step["effect_code"])
            for party in (step["from"], step["to"]):
                if party:
                    selection.path_refs.setdefault(party["iri"], party)
            if iri in devices:
                selection.path_nodes.add(iri)
            copy = selection.copies.get(iri)
            if copy and copy["device"]:
                selection.path_nodes.add(copy["device"]["iri"])
        for party in leak["reached"]:
            selection.reached.setdefault(party["iri"], party)
    selection.path_nodes |= set(selection.path_refs)
    selection.leaks = leaks


def select(inventory: dict, principal: str | None = None, leaks: list[dict] | None = None) -> Selection:
    """Everything, or only the chains that start at ``principal``; a failure's path stays visible."""
    parties, devices = _by_iri(inventory["parties"]), _by_iri(inventory["devices"])
    consignments = _by_iri(inventory["consignments"])
    if principal is not None:
        consignments = {iri: consignments[iri] for iri in principal_consignments(inventory, principal)}
        kept = {principal} | {_iri(c[end]) for c in consignments.values() for end in ("consignor", "consignee")}
        parties = {iri: p for iri, p in parties.items() if iri in kept}
        devices = {iri: d for iri, d in devices.items() if d["holder"] and d["holder"]["iri"] in kept}
    selection = Selection(parties, consignments, devices, _by_iri(inventory["hand_offs"]),
                          _by_iri(inventory["copies"]), _by_iri(inventory["controls"]), inventory)
    _failure(selection, leaks or [])
    if principal is not None:  # a highlighted path stays visible even outside the principal's chains
        every_party, every_device = _by_iri(inventory["parties"]), _by_iri(inventory["devices"])
        for iri in selection.path_nodes | set(selection.reached):
            if iri in every_party:
                parties.setdefault(iri, every_party[iri])
            if iri in every_device:
                devices.setdefault(iri, every_device[iri])
    return selection


# -- facts, in words --------------------------------------------------------------------------------


class Facts:
    """Tooltip lines in one language: ``label: value``, lists cut at :data:`LIST_MAX`."""

    def __init__(self, lang: str, assets: dict[str, dict], brief: bool = False) -> None:
        self.lang = lang
        self.assets = assets
        self.brief = brief

    def word(self, key: str, **values) -> str:
        return say(f"diagram.{key}", self.lang, **values)

    def line(self, label: str, value: str) -> str:
        return say("diagram.fact", self.lang, label=self.word(f"fact.{label}"), value=value)

    def names(self, refs: list[dict] | None, limit: int = LIST_MAX) -> str:
        found = [name(r, self.lang) for r in (refs or []) if r]
        if len(found) > limit:
            found = found[:limit] + [self.word("more", count=len(found) - limit)]
        return join(found, self.lang) or "-"

    def yes_no(self, value: bool | None) -> str:
        return self.word("unknown" if value is None else ("yes" if value else "no"))

    def head(self, ref: dict, kind: str) -> list[str]:
        lines = [name(ref, self.lang), self.line("kind", kind), self.line("iri", ref["iri"])]
        labels = {} if self.brief else (ref.get("label") or {})
        lines += [self.word("fact.label-in", lang=language or "-", label=labels[language]) for language in sorted(labels)]
        return lines

    def asset_lines(self, refs: list[dict]) -> list[str]:
        refs = sorted(refs, key=lambda r: r["iri"])
        lines = [self._asset_line(ref) for ref in refs[:LIST_MAX]]
        if len(refs) > LIST_MAX:
            lines.append("  " + self.word("more", count=len(refs) - LIST_MAX))
        return lines

    def _asset_line(self, ref: dict) -> str:
        parts = [self.line("asset", name(ref, self.lang))]
        asset = self.assets.get(ref["iri"])
        if asset is not None:
            if asset["total"] is not None and asset["total"]["known"]:
                parts.append(self.line("subjects", count_phrase(asset["total"], asset["unit"], self.lang)))
            shares = [f"{name(row['principal'], self.lang)} "
                      f"{count_phrase(row['count'], asset['unit'], self.lang, share=not row['stated'])}"
                      for row in asset["per_principal"][:LIST_MAX]]
            if shares:
                parts.append(self.line("per-principal", join(shares, self.lang)))
            if asset.get("unattributed_count"):
                parts.append(say("count.unattributed", self.lang,
                                 amount=count_phrase(asset["unattributed_count"], asset["unit"], self.lang)))
            if asset["sensitive_categories"]:
                parts.append(self.line("sensitive", self.names(asset["sensitive_categories"])))
            elif asset["sensitive"]:
                parts.append(self.word("sensitive-flag"))
        return "  " + self.word("separator").join(parts)

    def duration(self, text: str | None) -> str:
        return duration_words(text, self.lang)


# -- nodes and edges ----------------------------------------------------------------------------------


def node_kind(party: dict) -> str:
    """The kind that decides a party's shape: its first role in :data:`ROLE_ORDER`, else organisation or party."""
    for role in ROLE_ORDER:
        if role in party.get("roles", ()):
            return role
    return "organisation" if party.get("capacities") else "party"


def kind_word(kind: str, lang: str) -> str:
    """A node kind in words: a role by the ontology's label, anything else from ``diagram.node.*``."""
    return term(kind, lang) if has(f"role.{kind}") else say(f"diagram.node.{kind}", lang)


class _Index:
    """Reverse look-ups over the selected inventory (controls on an element, consignments in and out)."""

    def __init__(self, selection: Selection) -> None:
        self.controls_on: dict[str, list[dict]] = defaultdict(list)
        self.controls_by: dict[str, list[dict]] = defaultdict(list)
        for control in selection.controls.values():
            for covered in control["covers"]:
                self.controls_on[covered["iri"]].append(control)
            for operator in control["operated_by"]:
                self.controls_by[operator["iri"]].append(control)
        self.into: dict[str, list[dict]] = defaultdict(list)
        self.out_of: dict[str, list[dict]] = defaultdict(list)
        for c in selection.inventory["consignments"]:
            self.into[_iri(c["consignee"])].append(c)
            self.out_of[_iri(c["consignor"])].append(c)
        self.copies_on: dict[str, list[dict]] = defaultdict(list)
        for copy in selection.copies.values():
            if copy["device"]:
                self.copies_on[copy["device"]["iri"]].append(copy)


def _control_lines(facts: Facts, index: _Index, element: str) -> list[str]:
    found = index.controls_on.get(element, [])
    if not found:
        return []
    lines = [facts.line("covered-by", str(len(found)))]
    for control in found[:LIST_MAX]:
        details = [term(control["kind"], facts.lang), facts.line("operated-by", facts.names(control["operated_by"]))]
        if control["detection_latency"]:
            details.append(facts.line("latency", facts.duration(control["detection_latency"])))
        lines.append(f"  {name(control, facts.lang)} ({facts.word('separator').join(details)})")
    if len(found) > LIST_MAX:
        lines.append("  " + facts.word("more", count=len(found) - LIST_MAX))
    return lines


def _step_lines(facts: Facts, selection: Selection, element: str) -> list[str]:
    effect = selection.path_elements.get(element)
    return [facts.line("failure-step", step_effect(effect, facts.lang))] if effect else []


def _party_facts(facts: Facts, index: _Index, party: dict, kind: str) -> list[str]:
    iri = party["iri"]
    lines = facts.head(party, kind_word(kind, facts.lang))
    lines.append(facts.line("roles", join([term(r, facts.lang) for r in party["roles"]], facts.lang) or "-"))
    if party.get("organisation"):
        lines.append(facts.line("capacity-of", name(party["organisation"], facts.lang)))
    if party.get("capacities"):
        lines.append(facts.line("capacities", facts.names(party["capacities"])))
    for key, table in (("received", index.into), ("given", index.out_of)):
        if table.get(iri):
            lines.append(facts.line(key, f"{len(table[iri]):,} ({facts.names(table[iri])})"))
    if index.controls_by.get(iri):
        lines.append(facts.line("operates", facts.names(index.controls_by[iri])))
    return lines + _control_lines(facts, index, iri)


def _device_facts(facts: Facts, index: _Index, selection: Selection, device: dict) -> list[str]:
    iri = device["iri"]
    lines = facts.head(device, kind_word("device", facts.lang))
    lines.append(facts.line("portable", facts.yes_no(device["portable"])))
    if device["holder"]:
        lines.append(facts.line("holder", name(device["holder"], facts.lang)))
    on = index.copies_on.get(iri, [])
    if on:
        lines.append(facts.line("copies", f"{len(on):,}"))
        lines += facts.asset_lines([c["asset"] for c in on if c["asset"]])
    return lines + _control_lines(facts, index, iri) + _step_lines(facts, selection, iri)


def _nodes(facts: Facts, index: _Index, selection: Selection) -> dict[str, dict]:
    nodes: dict[str, dict] = {}
    for iri, party in selection.parties.items():
        kind = node_kind(party)
        nodes[iri] = {"id": iri, "ref": party, "kind": kind, "facts": _party_facts(facts, index, party, kind)}
    for iri, device in selection.devices.items():
        nodes.setdefault(iri, {"id": iri, "ref": device, "kind": "device",
                               "facts": _device_facts(facts, index, selection, device)})
    for iri, ref in sorted({**selection.path_refs, **selection.reached}.items()):
        if iri not in nodes:
            nodes[iri] = {"id": iri, "ref": ref, "kind": "reached", "facts": facts.head(ref, kind_word("reached", lang=facts.lang))}
    for iri in selection.path_nodes:
        if iri in nodes and nodes[iri]["kind"] != "reached":
            nodes[iri]["facts"].append(facts.line("failure-step", facts.word("on-path")))
    return nodes


def _consignment_facts(facts: Facts, index: _Index, c: dict) -> list[str]:
    lines = facts.head(c, facts.word("edge.consignment"))
    lines += [facts.line("consignor", name(c["consignor"], facts.lang)),
              facts.line("consignee", name(c["consignee"], facts.lang)), _tier_word(facts.lang, c["tier"])]
    if c["extends"]:
        lines.append(facts.line("extends", facts.names(c["extends"])))
    if c["approval"] or (c["tier"] or 0) > 1:
        lines.append(facts.line("approval", name(c["approval"], facts.lang) if c["approval"] else facts.word("unknown")))
    if c["approved_by"]:
        lines.append(facts.line("approved-by", facts.names(c["approved_by"])))
    if c["duties"]:
        lines.append(facts.line("entrusts", facts.names(c["duties"])))
    if c["data"]:
        lines.append(facts.line("entrusts-data", ""))
        lines += facts.asset_lines(c["data"])
    if c["start"] or c["end"]:
        lines.append(facts.line("period", facts.word("period", start=c["start"] or "?", end=c["end"] or "?")))
    return lines + _control_lines(facts, index, c["iri"])


def _handoff_facts(facts: Facts, index: _Index, selection: Selection, h: dict) -> list[str]:
    lines = facts.head(h, term(h["kind"], facts.lang))
    lines += [facts.line("sender", name(h["sender"], facts.lang)), facts.line("receiver", name(h["receiver"], facts.lang))]
    if h["carries"]:
        lines.append(facts.line("carries", ""))
        lines += facts.asset_lines(h["carries"])
    for key in ("serves", "guarded_by", "acknowledged_by"):
        if h[key]:
            lines.append(facts.line(key.replace("_", "-"), facts.names(h[key])))
    if h["cadence"]:
        lines.append(facts.line("cadence", facts.word("every", duration=facts.duration(h["cadence"]))))
    if h["lead_time"]:
        lines.append(facts.line("lead-time", facts.duration(h["lead_time"])))
    return lines + _control_lines(facts, index, h["iri"]) + _step_lines(facts, selection, h["iri"])


def _control_facts(facts: Facts, control: dict) -> list[str]:
    lines = facts.head(control, term("control", facts.lang))
    lines += [facts.line("control-kind", term(control["kind"], facts.lang)),
              facts.line("operated-by", facts.names(control["operated_by"])),
              facts.line("covers", facts.names(control["covers"])),
              facts.line("notifies", facts.names(control["notifies"]))]
    if control["detection_latency"]:
        lines.append(facts.line("latency", facts.duration(control["detection_latency"])))
    if control["rules_out_leak"] is not None:
        lines.append(facts.line("rules-out-leak", facts.yes_no(control["rules_out_leak"])))
    limitation = control["limitation"]
    text = limitation.get(facts.lang) or limitation.get("") or (next(iter(limitation.values())) if len(limitation) == 1
                                                                else None)
    if text:
        lines.append(facts.line("limitation", text))
    return lines


def _tier_word(lang: str, tier: int | None) -> str:
    return say("label.tier", lang, tier=tier) if tier else say("diagram.tier-unknown", lang)


def _coverage_targets(selection: Selection, covered: str) -> list[str]:
    """Where a control's coverage edge points: the sender of a hand-off, the device of a copy, ..."""
    inventory = selection.inventory
    if covered in selection.hand_offs:
        sender = selection.hand_offs[covered]["sender"]
        return [sender["iri"]] if sender else []
    if covered in selection.devices or any(d["iri"] == covered for d in inventory["devices"]):
        return [covered]
    if covered in selection.copies:
        copy = selection.copies[covered]
        target = copy["device"] or copy["held_by"]
        return [target["iri"]] if target else []
    consignment = next((c for c in inventory["consignments"] if c["iri"] == covered), None)
    if consignment is not None:
        return [consignment["consignee"]["iri"]] if consignment["consignee"] else []
    duty = next((d for d in inventory["duties"] if d["iri"] == covered), None)
    if duty is not None:
        found = [p["iri"] for p in duty["performers"]] or ([duty["accountable"]["iri"]] if duty["accountable"] else [])
        return found
    return [covered] if covered in selection.parties else []


def _edges(facts: Facts, index: _Index, selection: Selection, nodes: dict[str, dict]) -> list[dict]:
    edges: dict[str, dict] = {}

    def add(edge_id: str, kind: str, source: dict | str | None, target: dict | str | None, lines: list[str], **extra):
        source = source["iri"] if isinstance(source, dict) else source
        target = target["iri"] if isinstance(target, dict) else target
        if source in nodes and target in nodes and edge_id not in edges:
            edges[edge_id] = {"id": edge_id, "kind": kind, "from": source, "to": target, "facts": lines, **extra}

    for iri, c in sorted(selection.consignments.items()):
        add(iri, "consignment", c["consignor"], c["consignee"], _consignment_facts(facts, index, c), tier=c["tier"])
    for iri, h in sorted(selection.hand_offs.items()):
        add(iri, h["kind"], h["sender"], h["receiver"], _handoff_facts(facts, index, selection, h))
    for iri, control in sorted(selection.controls.items()):
        lines = _control_facts(facts, control) + _step_lines(facts, selection, iri)
        for operator in control["operated_by"]:
            for covered in control["covers"]:
                for target in sorted(set(_coverage_targets(selection, covered["iri"]))):
                    add(f"covers|{iri}|{operator['iri']}|{covered['iri']}|{target}", "covers", operator, target,
                        lines, control=iri)
    _place_edges(facts, selection, add)
    _exposure_edges(facts, selection, add)
    return sorted(edges.values(), key=lambda e: e["id"])


def _place_edges(facts: Facts, selection: Selection, add) -> None:
    """Copies on devices, devices held by parties, organisations and their capacities."""
    drawn: set[tuple[str, str]] = set()
    for iri, copy in sorted(selection.copies.items()):
        if not copy["device"] or not copy["held_by"]:
            continue
        lines = facts.head(copy, term("copy", facts.lang))
        lines += [facts.line("holder", name(copy["held_by"], facts.lang)),
                  facts.line("device", name(copy["device"], facts.lang))]
        lines += facts.asset_lines([copy["asset"]] if copy["asset"] else [])
        if copy["start"]:
            lines.append(facts.line("period", facts.word("period", start=copy["start"], end="")))
        add(f"copy|{iri}", "copy", copy["held_by"], copy["device"], lines + _step_lines(facts, selection, iri))
        drawn.add((copy["held_by"]["iri"], copy["device"]["iri"]))
    for iri, device in sorted(selection.devices.items()):
        holder = device["holder"]
        if holder and (holder["iri"], iri) not in drawn:
            add(f"holds|{iri}", "holds", holder, iri,
                [f"{name(holder, facts.lang)} -> {name(device, facts.lang)}", facts.word("legend.holds")])
    for iri, party in sorted(selection.parties.items()):
        organisation = party.get("organisation")
        if organisation and organisation["iri"] in selection.parties:
            add(f"capacity|{iri}", "capacity", organisation, iri,
                [f"{name(organisation, facts.lang)} -> {name(party, facts.lang)}", facts.word("legend.capacity")])


def _exposure_edges(facts: Facts, selection: Selection, add) -> None:
    """From what failed to the parties the failure exposes the data to."""
    for leak in selection.leaks:
        for step in leak["path"]:
            if step["kind"] != "exposure" or not step["to"]:
                continue
            element = step["element"]["iri"]
            source = step["from"]["iri"] if step["from"] else None
            copy = selection.copies.get(element)
            if element in selection.devices:
                source = element
            elif copy and copy["device"] and copy["device"]["iri"] in selection.devices:
                source = copy["device"]["iri"]
            lines = facts.head(step["element"], term("exposure", facts.lang))
            lines.append(facts.line("failure-step", step_effect(step["effect_code"], facts.lang)))
            add(f"exposure|{element}|{step['to']['iri']}", "exposure", source, step["to"], lines)


def graph(selection: Selection, assets: dict[str, dict], lang: str, brief: bool = False) -> tuple[list[dict], list[dict]]:
    """Nodes and edges with their facts in ``lang``: ``{"id", "ref", "kind", "facts"}`` and
    ``{"id", "kind", "from", "to", "facts"}`` (consignments add ``tier``, coverage ``control``).

    ``brief`` leaves out each element's labels in every language (its name and IRI stay)."""
    facts = Facts(lang, assets, brief)
    index = _Index(selection)
    nodes = _nodes(facts, index, selection)
    edges = _edges(facts, index, selection, nodes)
    return [nodes[iri] for iri in sorted(nodes)], edges


# -- highlights, looks, legend, summary ------------------------------------------------------------


def highlights(selection: Selection, edges: list[dict], trace: dict | None, drawn: set[str]) -> dict:
    """Ids of what the failure's path and the duty's chains touch."""
    chain_of = _chain_of(trace)
    path = selection.path_elements
    lit = sorted(e["id"] for e in edges if e["kind"] == "exposure" or e["id"] in path
                 or (e["kind"] == "copy" and e["id"][len("copy|"):] in path))
    edge_ids = {e["id"] for e in edges}
    chain_nodes = {p["iri"] for chain in (trace or {}).get("chains", []) for link in chain["links"]
                   for p in (link["consignor"], link["consignee"]) if p}
    return {
        "nodes": sorted(p for p in selection.path_nodes | set(selection.reached) if p in drawn),
        "edges": lit,
        "reached": sorted(p for p in selection.reached if p in drawn),
        "chainEdges": sorted(iri for iri in chain_of if iri in edge_ids),
        "chainNodes": sorted(p for p in chain_nodes if p in drawn),
    }


def _chain_of(trace: dict | None) -> dict[str, int]:
    chain_of: dict[str, int] = {}
    for number, chain in enumerate((trace or {}).get("chains", [])):
        for link in chain["links"]:
            chain_of.setdefault(link["consignment"]["iri"], number)
    return chain_of


def _short(label: str, limit: int = 60) -> str:
    label = " ".join(label.split())
    return label if len(label) <= limit else label[: limit - 1] + "…"


def styled_node(node: dict, lang: str, lit: dict) -> dict:
    """A node as vis-network draws it: shape and colours by kind, highlights on top."""
    shape, background, border, font = NODE_STYLE[node["kind"]]
    out = {"id": node["id"], "label": _short(node.get("label") or name(node["ref"], lang)),
           "title": "\n".join(node["facts"]), "shape": shape, "kind": node["kind"], "depth": node["depth"],
           "x": node["x"], "y": node["y"],
           "color": {"background": background, "border": border, "highlight": {"background": background,
                                                                               "border": "#000000"}},
           "font": {"color": font, "face": "sans-serif", "size": 14}, "borderWidth": 1.5,
           "widthConstraint": {"maximum": 170}}
    if shape in ("dot", "diamond", "hexagon", "triangleDown", "star"):
        out["size"] = 16
    if node["kind"] == "organisation":
        out["shapeProperties"] = {"borderDashes": [4, 3]}
    if node["id"] in lit["chain"]:
        out["borderWidth"], out["color"]["border"] = 4, CHAIN_COLOURS[0]
    if node["id"] in lit["path"]:
        out["borderWidth"], out["color"]["border"] = 5, FAILURE_COLOUR
    if node["id"] in lit["reached"]:
        out["color"]["background"] = FAILURE_COLOUR
        out["font"]["color"] = "#7f0000" if shape not in ("box", "ellipse", "database") else "#ffffff"
    return out


def styled_edge(edge: dict, lang: str, chain_of: dict[str, int], lit: set[str], index: int) -> dict:
    """An edge as vis-network draws it: colour, dashes and width by kind, tiers labelled, parallels curved."""
    kind = edge["kind"]
    if kind == "consignment":
        tier = edge.get("tier")
        colour, dashes, width, arrows = (TIER_COLOURS.get(tier, DEEP_TIER_COLOUR if tier else UNKNOWN_TIER_COLOUR),
                                         False, 2.5, "to")
    else:
        colour, dashes, width, arrows = EDGE_STYLE.get(kind, EDGE_STYLE["hand-off"])
    out = {"id": edge["id"], "from": edge["from"], "to": edge["to"], "kind": kind, "title": "\n".join(edge["facts"]),
           "color": {"color": colour, "highlight": "#000000", "inherit": False}, "dashes": dashes, "width": width,
           "arrows": arrows}
    label = edge.get("label") or (_tier_word(lang, edge.get("tier")) if kind == "consignment" else None)
    if label:
        out["label"] = label
        out["font"] = {"size": 12, "align": "middle", "background": "#ffffff", "strokeWidth": 0}
    if edge["id"] in chain_of:
        number = chain_of[edge["id"]]
        out["width"], out["chain"] = 7, number + 1
        out["color"] = {"color": CHAIN_COLOURS[number % len(CHAIN_COLOURS)], "highlight": "#000000", "inherit": False}
    if edge["id"] in lit:
        out["width"] = 6
        out["color"] = {"color": FAILURE_COLOUR, "highlight": "#000000", "inherit": False}
    if edge["from"] == edge["to"]:
        out["selfReference"] = {"size": 22 + 10 * index, "angle": 0.8}
    else:
        out["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": min(0.15 * index, 0.9)} if index else False
    return out


def styled(nodes: list[dict], edges: list[dict], lit: dict, trace: dict | None, lang: str) -> tuple[list, list]:
    """Every node and edge with its look (see :func:`styled_node`, :func:`styled_edge`)."""
    marks = {"chain": set(lit["chainNodes"]), "path": set(lit["nodes"]), "reached": set(lit["reached"])}
    chain_of = _chain_of(trace)
    lit_edges = set(lit["edges"])
    pairs: dict[tuple[str, str], int] = defaultdict(int)
    out_edges = []
    for edge in edges:
        pair = tuple(sorted((edge["from"], edge["to"])))
        out_edges.append(styled_edge(edge, lang, chain_of, lit_edges, pairs[pair]))
        pairs[pair] += 1
    return [styled_node(node, lang, marks) for node in nodes], out_edges


_LEGEND_EDGES = (("data-provision", "solid"), ("report", "dashed"), ("covers", "dotted"), ("copy", "dashed"),
                 ("holds", "dotted"), ("capacity", "solid"), ("exposure", "dashed"))


def legend(lang: str, node_kinds: set[str], edge_kinds: set[str], duty: bool, failure: bool) -> dict:
    """The legend's entries for what is drawn: ``{"nodes": [...], "edges": [...]}`` with words and looks."""
    nodes = []
    for kind in NODE_KINDS:
        if kind in node_kinds:
            shape, background, border, _ = NODE_STYLE[kind]
            nodes.append({"kind": kind, "text": say(f"diagram.legend.{kind}", lang), "shape": shape,
                          "background": background, "border": border})
    edges = []
    if "consignment" in edge_kinds:
        edges.append({"kind": "consignment", "text": say("diagram.legend.consignment", lang), "style": "solid",
                      "colours": [TIER_COLOURS[1], TIER_COLOURS[2], TIER_COLOURS[3]], "width": 3})
    for kind, style in _LEGEND_EDGES:
        if kind in edge_kinds or (kind == "report" and edge_kinds & {"instruction", "hand-off"}):
            edges.append({"kind": kind, "text": say(f"diagram.legend.{kind}", lang), "style": style,
                          "colours": [EDGE_STYLE[kind][0]], "width": 3})
    if duty:
        edges.append({"kind": "duty-chain", "text": say("diagram.legend.duty-chain", lang), "style": "solid",
                      "colours": [CHAIN_COLOURS[0]], "width": 7})
    if failure:
        edges.append({"kind": "failure-path", "text": say("diagram.legend.failure-path", lang), "style": "solid",
                      "colours": [FAILURE_COLOUR], "width": 6})
    return {"title": say("diagram.legend", lang), "nodes_title": say("diagram.legend-nodes", lang),
            "edges_title": say("diagram.legend-edges", lang), "nodes": nodes, "edges": edges}


def summary(lang: str, trace: dict | None, principal: dict | None, failure: dict | None,
            leaks: list[dict]) -> list[dict]:
    """The side panel's account of the highlights: the duty's chains, the principal, the failure's path."""
    blocks = []
    if trace is not None:
        lines = []
        for number, chain in enumerate(trace["chains"], start=1):
            parts = [name(chain["links"][0]["consignor"], lang)]
            parts += [f"[{_tier_word(lang, link['tier'])}] {name(link['consignee'], lang)}" for link in chain["links"]]
            lines.append(say("diagram.summary.chain", lang, number=number, chain=" -> ".join(parts)))
        blocks.append({"heading": say("diagram.summary.duty", lang, duty=name(trace["duty"], lang)), "lines": lines,
                       "notes": []})
    if principal is not None:
        blocks.append({"heading": say("diagram.summary.principal", lang, principal=name(principal, lang)),
                       "lines": [], "notes": []})
    if failure is not None:
        blocks.append(_failure_summary(lang, failure, leaks))
    return blocks


def _failure_summary(lang: str, failure: dict, leaks: list[dict]) -> dict:
    lines = []
    for leak in leaks:
        for step in leak["path"]:
            ends = " -> ".join(name(p, lang) for p in (step["from"], step["to"]) if p)
            lines.append(f"{name(step['element'], lang)} ({term(step['kind'], lang)}; {ends}): "
                         f"{step_effect(step['effect_code'], lang)}")
    reached = {p["iri"]: p for leak in leaks for p in leak["reached"]}
    notes = []
    for leak in leaks:  # what the failure exposes, with its bounds and why they are bounds
        exposes = [say("diagram.summary.exposes", lang, exposes=exposure_phrase(leak["exposure"], lang))]
        exposes += [reason_phrase(reason, lang) for population in leak["exposure"].get("populations") or []
                    for reason in population["reasons"]]
        notes += [note for note in exposes if note not in notes]
    if reached:
        found = [name(reached[iri], lang) for iri in sorted(reached)]
        notes.append(say("diagram.summary.reaches", lang, parties=join(found, lang)))
    for leak in leaks:  # data cut down on its way: what each party reached holds
        held = holdings_phrases(leak, lang)
        if not held:
            continue
        line = say("diagram.summary.held", lang, held=join([say("diagram.summary.held-item", lang, party=party,
                                                                 held=phrase) for party, phrase in held], lang))
        notes += [line] if line not in notes else []
    return {"heading": say("diagram.summary.failure", lang, element=name(failure, lang)), "lines": lines,
            "notes": notes or [say("diagram.summary.no-leak", lang)]}
