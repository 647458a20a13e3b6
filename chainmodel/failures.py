"""Failure elements, harms, and the reliability graph of each harm.

A *harm* is personal data reaching a party that must not have it:

* a guarded provision carries protected data because its guard duty failed (case B: the
  opt-out exclusion), and the data flows on to every party downstream;
* a device holding copies is lost or stolen (case A: the laptop), or a copy is copied;
* a data provision is sent to the wrong party.

Each harm gets its own small two-terminal graph ``S -> ... -> T``: the harm is averted while
a path of working nodes joins S to T. Element nodes are *failure events* (a hand-off, a
duty's task, a copy, a control); plain junction nodes are parties. A control that counts
against a failure is drawn in parallel with every element it covers, so it shares one
failure event across all of them. A set of failure events causes the harm exactly when
removing their nodes cuts S from T.

Whether a control counts is decided here, with its reasons, from the model alone:

* preventive: only with ``cm:rulesOutLeak true``;
* detective: only against a failure that breaks something (never against an exposure it can
  only discover afterwards), operated by another organisation than the failed element's
  operator, telling a party that can still act (at or after the failed element, or the
  guarded provision's sender or receiver), and detecting within the provision's lead time.

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.views import chain_view
>>> view = chain_view(load_model(["examples/case-a-laptop"]))
>>> [harm.kind for harm in harms(view)]
['device-exposure', 'copy-exposure', 'copy-exposure', 'misdirected-data', 'misdirected-data']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Callable, Iterator

import networkx as nx

from .findings import Said
from .namespace import CM
from .views import ChainView, duration_months

__all__ = [
    "Element",
    "ControlVerdict",
    "Harm",
    "harms",
    "iter_harms",
    "elements",
    "harm_occurs",
    "SOURCE",
    "SINK",
]

SOURCE = ("terminal", "S")
SINK = ("terminal", "T")
EXPOSURE_KINDS = ("device-exposure", "copy-exposure", "misdirected-data")
_EXPOSES, _BREAKS = str(CM.Exposes), str(CM.Breaks)

FINDER = "urn:chainmodel:reached:whoever-finds-or-takes-the-device"
COPIER = "urn:chainmodel:reached:whoever-copies-the-data"
UNINTENDED = "urn:chainmodel:reached:an-unintended-recipient"


@dataclass(frozen=True, order=True)
class Element:
    """A failure event: something in the model that can fail on its own.

    ``kind`` is ``hand-off``, ``task`` (a duty's performance), ``copy``, ``device`` or
    ``control``;
    ``operator`` is the party that runs it.
    """

    iri: str
    kind: str
    operators: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ControlVerdict:
    """Whether a control counts against the failure of one element, and why not."""

    control: str
    element: str
    counts: bool
    reasons: tuple[Said, ...] = ()
    """Why it does not count, as catalogue entries (see :mod:`chainmodel.catalogue`)."""


@dataclass
class Harm:
    """One way personal data can reach a party that must not have it."""

    key: str
    kind: str  # guarded-provision, device-exposure, copy-exposure, misdirected-data
    flow: str | None
    guard: str | None
    exposed_assets: tuple[str, ...]
    reached: tuple[str, ...]
    downstream: tuple[str, ...]
    successors: dict
    """The harm's reliability graph: node -> the nodes it leads to (an ordered collection)."""
    event_nodes: dict[str, tuple] = field(default_factory=dict)
    elements: dict[str, Element] = field(default_factory=dict)
    verdicts: tuple[ControlVerdict, ...] = ()
    duties: tuple[str, ...] = ()
    accountable: tuple[str, ...] = ()

    @cached_property
    def events(self) -> tuple[str, ...]:
        """The failure events of this harm, sorted."""
        return tuple(sorted(self.elements))

    @cached_property
    def graph(self) -> nx.DiGraph:
        """The reliability graph as a networkx graph, for whoever wants its algorithms."""
        graph = nx.DiGraph()
        graph.add_nodes_from(self.successors)
        graph.add_edges_from((node, nxt) for node, following in self.successors.items() for nxt in following)
        return graph

    def path_to_sink(self, start, avoid: set | frozenset = frozenset()) -> list:
        """A shortest path of nodes from ``start`` to T that avoids ``avoid`` ([start] if none)."""
        parents = {start: None}
        frontier = [start]
        while frontier and SINK not in parents:
            following = []
            for node in frontier:
                for nxt in self.successors.get(node, ()):
                    if nxt not in parents and nxt not in avoid:
                        parents[nxt] = node
                        following.append(nxt)
            frontier = following
        if SINK not in parents:
            return [start]
        path = [SINK]
        while parents[path[-1]] is not None:
            path.append(parents[path[-1]])
        return path[::-1]

    def reachable(self, removed: set | frozenset = frozenset()) -> set:
        """Nodes reachable from S without passing through ``removed``."""
        succ = self.successors
        seen = {SOURCE}
        frontier = [SOURCE]
        while frontier:
            node = frontier.pop()
            for nxt in succ.get(node, ()):
                if nxt not in seen and nxt not in removed:
                    seen.add(nxt)
                    frontier.append(nxt)
        return seen


def _modes_for(view: ChainView, classes: set[str], explicit: tuple[str, ...], effect: str,
               cache: dict | None = None) -> tuple[str, ...]:
    key = (frozenset(classes), explicit, effect)
    if cache is not None and key in cache:
        return cache[key]
    if explicit:
        chosen = [m for m in explicit if m in view.failure_modes]
    else:
        chosen = [m.iri for m in view.failure_modes.values() if set(m.applies_to) & classes]
    found = tuple(sorted(m for m in chosen if view.failure_modes[m].effect == effect))
    if cache is not None:
        cache[key] = found  # elements of the same classes share their modes
    return found


def _handoff_classes(view: ChainView, iri: str) -> set[str]:
    return set(view.types.get(iri, ())) | {str(CM.HandOff)}


def elements(view: ChainView) -> dict[str, Element]:
    """Every failure event in the model with the failure modes that apply to it."""
    found: dict[str, Element] = {}
    cache: dict = {}
    for h in view.handoffs.values():
        classes = _handoff_classes(view, h.iri)
        modes = _modes_for(view, classes, h.failure_modes, _BREAKS, cache)
        modes += _modes_for(view, classes, h.failure_modes, _EXPOSES, cache)
        found[h.iri] = Element(h.iri, "hand-off", (h.sender,) if h.sender else (), tuple(sorted(modes)))
    for d in view.duties.values():
        classes = set(view.types.get(d.iri, ())) | {str(CM.Duty)}
        modes = _modes_for(view, classes, (), _BREAKS, cache)
        operators = d.performers or ((d.accountable,) if d.accountable else ())
        found[d.iri] = Element(d.iri, "task", tuple(operators), modes)
    for c in view.copies.values():
        classes = set(view.types.get(c.iri, ())) | {str(CM.DataCopy)}
        modes = _modes_for(view, classes, c.failure_modes, _EXPOSES, cache)
        holder = view.holder_of(c)
        found[c.iri] = Element(c.iri, "copy", (holder,) if holder else (), modes)
    for device in view.devices.values():
        classes = set(view.types.get(device.iri, ())) | {str(CM.Device)}
        modes = _modes_for(view, classes, (), _EXPOSES, cache)
        found[device.iri] = Element(device.iri, "device", (device.holder,) if device.holder else (), modes)
    for k in view.controls.values():
        classes = set(view.types.get(k.iri, ())) | {str(CM.Control)}
        modes = _modes_for(view, classes, (), _BREAKS, cache)
        found[k.iri] = Element(k.iri, "control", k.operators, modes)
    return found


# -- harms --------------------------------------------------------------------------------


def _lineage(view: ChainView, assets: set[str]) -> set[str]:
    """Assets that carry what ``assets`` carry: themselves, supersets and derived assets."""
    result: set[str] = set()
    frontier = list(assets)
    while frontier:
        iri = frontier.pop()
        if iri in result:
            continue
        result.add(iri)
        frontier.extend(view.index.derived_assets.get(iri, ()))
        if iri in view.assets:
            frontier.extend(view.assets[iri].subset_of)
    return result


def _downstream(view: ChainView, start_party: str, assets: set[str]) -> tuple[list[str], list[str]]:
    """Data provisions reached from ``start_party`` carrying any of ``assets`` or their derivations."""
    lineage = _lineage(view, assets)
    flows: list[str] = []
    parties: list[str] = [start_party]
    frontier = [start_party]
    while frontier:
        party = frontier.pop(0)
        for iri in view.index.data_sent_by.get(party, ()):
            h = view.handoffs[iri]
            if set(h.carries) & lineage and h.iri not in flows:
                flows.append(h.iri)
                if h.receiver and h.receiver not in parties:
                    parties.append(h.receiver)
                    frontier.append(h.receiver)
    return flows, parties


def _duty_info_paths(view: ChainView, duty_iri: str) -> tuple[list[str], list[str]]:
    """Hand-offs that serve a duty, and the parties its information starts from."""
    serving = [h for h in view.index.serving.get(duty_iri, ()) if view.handoffs[h].sender and view.handoffs[h].receiver]
    receivers = {view.handoffs[h].receiver for h in serving}
    origins = sorted({view.handoffs[h].sender for h in serving} - receivers)
    if not origins:
        duty = view.duties[duty_iri]
        origins = sorted(duty.performers or ((duty.accountable,) if duty.accountable else ()))
    return serving, origins


def _downstream_parties(party_graph: dict[str, set[str]], start: str) -> set[str]:
    """``start`` and every party its hand-offs lead to."""
    seen = {start}
    frontier = [start]
    while frontier:
        for nxt in party_graph.get(frontier.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    return seen


class _GraphBuilder:
    """Builds one harm's reliability graph, event by event."""

    def __init__(self, all_elements: dict[str, Element]):
        self.adjacency: dict[tuple | str, dict] = {SOURCE: {}, SINK: {}}  # ordered, without repeated edges
        self.all_elements = all_elements
        self.event_nodes: dict[str, list[tuple]] = {}
        self.placed: list[tuple[str, tuple, tuple]] = []  # (event, tail, head)

    def add_edge(self, tail, head) -> None:
        adjacency = self.adjacency
        if tail not in adjacency:
            adjacency[tail] = {}
        if head not in adjacency:
            adjacency[head] = {}
        adjacency[tail][head] = None

    def place(self, event: str, tail: tuple, head: tuple) -> None:
        node = ("event", event, len(self.event_nodes.get(event, [])), tail, head)
        self.add_edge(tail, node)
        self.add_edge(node, head)
        self.event_nodes.setdefault(event, []).append(node)
        self.placed.append((event, tail, head))


def _reasons_against(view: ChainView, control, harm_kind: str, element_orgs: set, can_act: set[str],
                     lead_time: str | None) -> list[Said]:
    """Why a control does not count against a failure (empty when it does), as catalogue entries."""
    reasons: list[Said] = []
    if harm_kind in EXPOSURE_KINDS:
        if control.kind != "preventive":
            reasons.append(Said("verdict.detects-after-exposure"))
        elif control.rules_out_leak is not True:
            limitation = dict(control.limitation)
            reasons.append(Said("verdict.does-not-rule-out-because", (("limitation", ("texts", limitation)),))
                           if limitation else Said("verdict.does-not-rule-out"))
        return reasons
    if not {view.org(p) for p in control.operators} - element_orgs:
        reasons.append(Said("verdict.not-independent"))
    if control.kind == "preventive":
        if control.rules_out_leak is not True:
            reasons.append(Said("verdict.preventive-does-not-rule-out"))
        return reasons
    if not {view.org(p) for p in control.notifies} & can_act:
        reasons.append(Said("verdict.tells-nobody"))
    latency, window = duration_months(control.latency), duration_months(lead_time)
    if latency is None or window is None:
        reasons.append(Said("verdict.timing-unknown"))
    elif latency > window:
        reasons.append(Said("verdict.too-late", (("latency", ("duration", control.latency)),
                                                 ("lead_time", ("duration", lead_time)))))
    return reasons


def _control_verdicts(view: ChainView, harm_kind: str, element: Element, can_act: set[str],
                      lead_time: str | None) -> list[ControlVerdict]:
    verdicts: list[ControlVerdict] = []
    index = view.index.controls_covering
    covering = index.get(element.iri, ())  # sorted
    if element.kind == "copy":
        device = view.copies[element.iri].device
        if device and device in index:
            covering = sorted(set(covering) | set(index[device]))
    if not covering:
        return verdicts
    element_orgs = {view.org(p) for p in element.operators}
    for control in (view.controls[k] for k in covering):
        reasons = _reasons_against(view, control, harm_kind, element_orgs, can_act, lead_time)
        verdicts.append(ControlVerdict(control.iri, element.iri, not reasons, tuple(reasons)))
    return verdicts


def _attach_controls(view: ChainView, builder: _GraphBuilder, harm_kind: str, can_act_after: dict,
                     lead_time: str | None) -> list[ControlVerdict]:
    verdicts: list[ControlVerdict] = []
    for event, tail, head in list(builder.placed):
        element = builder.all_elements[event]
        if element.kind == "control":
            continue
        for verdict in _control_verdicts(view, harm_kind, element, can_act_after.get(event, set()), lead_time):
            verdicts.append(verdict)
            if verdict.counts:
                builder.place(verdict.control, tail, head)
    return verdicts


def _guarded_harm(view: ChainView, all_elements: dict[str, Element], flow_iri: str, guard_iri: str) -> Harm | None:
    flow = view.handoffs[flow_iri]
    guard = view.duties.get(guard_iri)
    if guard is None or not flow.receiver:
        return None
    builder = _GraphBuilder(all_elements)
    guard_performers = guard.performers or ((guard.accountable,) if guard.accountable else ())
    stage_in: tuple = SOURCE
    can_act_after: dict[str, set[str]] = {}
    late_orgs = {view.org(p) for p in guard_performers} | {view.org(flow.sender), view.org(flow.receiver)}
    for needed in guard.needs:
        if needed not in view.duties:
            continue
        serving, origins = _duty_info_paths(view, needed)
        duty = view.duties[needed]
        performers = set(duty.performers or ((duty.accountable,) if duty.accountable else ()))

        def node_in(party: str) -> tuple:
            return ("in", needed, party) if party in performers else ("at", needed, party)

        def node_out(party: str) -> tuple:
            return ("out", needed, party) if party in performers else ("at", needed, party)

        for origin in origins:
            builder.add_edge(stage_in, node_in(origin))
        for performer in sorted(performers):
            builder.place(needed, node_in(performer), node_out(performer))
        for h in serving:
            handoff = view.handoffs[h]
            builder.place(h, node_out(handoff.sender), node_in(handoff.receiver))
        stage_out = ("stage", needed)
        for performer in guard_performers:
            builder.add_edge(node_out(performer), stage_out)
        # parties at or after each event's head, for "can still act"
        party_graph: dict[str, set[str]] = {}
        for h in serving:
            party_graph.setdefault(view.handoffs[h].sender, set()).add(view.handoffs[h].receiver)
        for event, tail, head in builder.placed:
            if event in can_act_after:
                continue
            head_party = head[2] if len(head) == 3 and head[0] in ("in", "out", "at") else None
            reach = _downstream_parties(party_graph, head_party) if head_party else set()
            can_act_after[event] = {view.org(p) for p in reach} | late_orgs
        stage_in = stage_out
    if not guard_performers:
        return None
    builder.place(guard_iri, stage_in, SINK)
    can_act_after.setdefault(guard_iri, late_orgs)
    verdicts = _attach_controls(view, builder, "guarded-provision", can_act_after, flow.lead_time)
    protected = set(guard.protects)
    flows, parties = _downstream(view, flow.receiver, set(flow.carries) | protected)
    accountable = {guard.accountable} if guard.accountable else set()
    for asset in protected:
        accountable |= set(view.assets[asset].controllers) if asset in view.assets else set()
    return Harm(
        key=f"{flow_iri}|{guard_iri}",
        kind="guarded-provision",
        flow=flow_iri,
        guard=guard_iri,
        exposed_assets=tuple(sorted(protected)),
        reached=tuple(parties),
        downstream=tuple([flow_iri] + flows),
        successors=builder.adjacency,
        event_nodes={k: tuple(v) for k, v in builder.event_nodes.items()},
        elements={event: all_elements[event] for event in builder.event_nodes},
        verdicts=tuple(verdicts),
        duties=tuple(sorted({guard_iri, *guard.needs})),
        accountable=tuple(sorted(accountable)),
    )


def _exposure_harm(view: ChainView, all_elements: dict[str, Element], element: Element, kind: str,
                   assets: tuple[str, ...], reached: str) -> Harm:
    builder = _GraphBuilder(all_elements)
    builder.place(element.iri, SOURCE, SINK)
    verdicts = _attach_controls(view, builder, kind, {}, None)
    accountable = set()
    for asset in assets:
        accountable |= set(view.assets[asset].controllers) | {p for p, _ in view.assets[asset].counts}
    duties = {d for asset in assets for c in view.index.consignments_with_data.get(asset, ())
              for d in view.consignments[c].duties}
    return Harm(
        key=element.iri,
        kind=kind,
        flow=element.iri if kind == "misdirected-data" else None,
        guard=None,
        exposed_assets=assets,
        reached=(reached,),
        downstream=(),
        successors=builder.adjacency,
        event_nodes={k: tuple(v) for k, v in builder.event_nodes.items()},
        elements={event: all_elements[event] for event in builder.event_nodes},
        verdicts=tuple(verdicts),
        duties=tuple(sorted(duties)),
        accountable=tuple(sorted(accountable)),
    )


def iter_harms(view: ChainView) -> Iterator[Harm]:
    """Every harm the model allows, one at a time, in the order of :func:`harms`.

    Each harm's graph is built only when it is reached, so an analysis that keeps only
    plain results holds one small graph at a time, whatever the size of the model.
    """
    all_elements = elements(view)
    specs: list[tuple[int, str, Callable[[], Harm | None]]] = []
    for flow in view.handoffs.values():
        if flow.is_data:
            for guard in flow.guarded_by:
                specs.append((0, f"{flow.iri}|{guard}",
                              partial(_guarded_harm, view, all_elements, flow.iri, guard)))
    for device in view.devices.values():
        element = all_elements[device.iri]
        on_device = (view.copies[c] for c in view.index.copies_on.get(device.iri, ()))
        held = sorted({c.asset for c in on_device if c.asset in view.assets and not view.assets[c.asset].anonymised})
        if element.modes and held:
            specs.append((1, device.iri, partial(_exposure_harm, view, all_elements, element, "device-exposure",
                                                 tuple(held), FINDER)))
    for copy in view.copies.values():
        element = all_elements[copy.iri]
        if element.modes and copy.asset in view.assets and not view.assets[copy.asset].anonymised:
            specs.append((2, copy.iri, partial(_exposure_harm, view, all_elements, element, "copy-exposure",
                                               (copy.asset,), COPIER)))
    for flow in view.handoffs.values():
        element = all_elements[flow.iri]
        exposes = [m for m in element.modes if view.failure_modes[m].effect == _EXPOSES]
        personal = tuple(a for a in flow.carries if a in view.assets and not view.assets[a].anonymised)
        if flow.is_data and exposes and personal:
            specs.append((3, flow.iri, partial(_exposure_harm, view, all_elements, element, "misdirected-data",
                                               personal, UNINTENDED)))
    specs.sort(key=lambda spec: (spec[0], spec[1]))
    for _, _, build in specs:
        harm = build()
        if harm is not None:
            yield harm


def harms(view: ChainView) -> list[Harm]:
    """Every harm the model allows, each with its own small reliability graph, sorted by
    kind (guarded provision, device, copy, misdirected data) and then key."""
    return list(iter_harms(view))


def harm_occurs(harm: Harm, failed: set[str] | frozenset[str]) -> bool:
    """True when the failure events in ``failed`` together cut the harm's S from its T."""
    removed = {node for event in failed for node in harm.event_nodes.get(event, ())}
    return SINK not in harm.reachable(removed)
