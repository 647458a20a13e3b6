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
from .access import acting_for, copies_reached, onward, personal_assets, reach, systems_reached
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
EXPOSURE_KINDS = ("device-exposure", "copy-exposure", "misdirected-data", "insider-exfiltration", "attack")
ANALYSIS_ORDER = ("guarded-provision",) + EXPOSURE_KINDS
"""The order in which harms are found and, among equal exposures, leaks are listed (renderers and
options order them by :data:`chainmodel.findings.HARM_KINDS`)."""


def _rank(kind: str) -> int:
    return ANALYSIS_ORDER.index(kind)


_EXPOSES, _BREAKS = str(CM.Exposes), str(CM.Breaks)

FINDER = "urn:chainmodel:reached:whoever-finds-or-takes-the-device"
COPIER = "urn:chainmodel:reached:whoever-copies-the-data"
UNINTENDED = "urn:chainmodel:reached:an-unintended-recipient"
INTRUDER = "urn:chainmodel:reached:an-intruder"
OPEN_TO = "urn:chainmodel:reached:whoever-the-setting-lets-in"
OUTSIDER = "urn:chainmodel:reached:a-party-that-must-not-have-it"
_FIRST_REACHED = ((str(CM.LossOrTheft), FINDER), (str(CM.Intrusion), INTRUDER), (str(CM.Misconfiguration), OPEN_TO))
"""Whom a failure mode (or a mode that is a kind of it) first brings a system's data to."""


@dataclass(frozen=True, order=True)
class Element:
    """A failure event: something in the model that can fail on its own.

    ``kind`` is ``hand-off``, ``task`` (a duty's performance), ``copy``, ``device``,
    ``control``, ``person`` (an insider) or ``condition`` (what an attack needs);
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
    entry: tuple[str, ...] = ()
    """For an exposure: the first unauthorised parties; ``reached`` adds whoever the data travels on to."""
    carried: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """For an exposure that travels on: each party reached after the first ones, with the assets that reached it."""

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
    """Every failure event in the model with the failure modes that apply to it.

    Parameters
    ----------
    view : ChainView

    Returns
    -------
    dict of str to Element
        IRI to the element, for every hand-off, duty (its task), copy, device, control, person
        and condition of an attack. Its modes are those it states (a hand-off, copy or device
        may), else those that apply to its classes: modes that break for hand-offs, duties and
        controls, modes that expose for hand-offs, copies, devices and persons; a condition
        has the modes of the attacks that need it.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> found = elements(chain_view(load_model(["examples/case-a-laptop"])))
    >>> laptop = found["https://example.org/chainmodel/case-a#laptop"]
    >>> laptop.kind, laptop.modes
    ('device', ('https://w3id.org/chainmodel#LossOrTheft',))
    """
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
        modes = _modes_for(view, device_classes(view, device.iri), device.failure_modes, _EXPOSES, cache)
        operators = device.runs_by + ((device.holder,) if device.holder else ())
        found[device.iri] = Element(device.iri, "device", tuple(dict.fromkeys(operators)), modes)
    for k in view.controls.values():
        classes = set(view.types.get(k.iri, ())) | {str(CM.Control)}
        modes = _modes_for(view, classes, (), _BREAKS, cache)
        found[k.iri] = Element(k.iri, "control", k.operators, modes)
    for person in view.persons.values():
        classes = set(view.types.get(person.iri, ())) | {str(CM.Person)}
        acting = acting_for(view, person.iri)
        found[person.iri] = Element(person.iri, "person", (acting,) if acting else (),
                                    _modes_for(view, classes, (), _EXPOSES, cache))
    found.update(_condition_elements(view))
    return found


def device_classes(view: ChainView, iri: str) -> set[str]:
    """A device's classes, with what its flags say: portable (or not known to be fixed) and internet-facing.

    A device typed as a fixed system (a server, an appliance, software a vendor runs) or with
    ``cm:portable false`` is never a portable device, so it cannot be lost or stolen.
    """
    device = view.devices[iri]
    classes = set(view.types.get(iri, ())) | {str(CM.Device)}
    fixed = str(CM.FixedSystem) in classes or device.portable is False
    if device.portable or not fixed:
        classes.add(str(CM.PortableDevice))
    if device.internet_facing:
        classes.add(str(CM.InternetFacingSystem))
    return classes


def _attack_modes(view: ChainView, attack) -> tuple[str, ...]:
    return tuple(m for m in attack.modes if m in view.failure_modes) or (str(CM.Intrusion),)


def _condition_elements(view: ChainView) -> dict[str, Element]:
    """Each condition of an attack, failing by holding, with the modes of the attacks that need it."""
    modes: dict[str, set[str]] = {}
    for attack in view.attacks.values():
        for condition in attack.requires:
            modes.setdefault(condition, set()).update(_attack_modes(view, attack))
    found = {}
    for iri in sorted(modes):
        operators: list[str] = []
        for concerned in view.conditions[iri].concerns if iri in view.conditions else ():
            if concerned in view.devices:
                device = view.devices[concerned]
                operators += list(device.runs_by) + ([device.holder] if device.holder else [])
            elif concerned in view.accounts:
                operators += [acting_for(view, u) or u for u in view.accounts[concerned].users]
        found[iri] = Element(iri, "condition", tuple(dict.fromkeys(operators)), tuple(sorted(modes[iri])))
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
                     lead_time: str | None, bypassed: frozenset = frozenset()) -> list[Said]:
    """Why a control does not count against a failure (empty when it does), as catalogue entries.

    ``bypassed`` holds the systems on which the failing insider is an administrator: a
    preventive control there can be switched off by the very person it should stop.
    """
    reasons: list[Said] = []
    if harm_kind in EXPOSURE_KINDS:
        if control.kind != "preventive":
            reasons.append(Said("verdict.detects-after-exposure"))
        elif set(control.covers) & bypassed:
            reasons.append(Said("verdict.administrator-can-switch-it-off",
                                (("systems", ("refs", tuple(sorted(set(control.covers) & bypassed)))),)))
        elif control.rules_out_leak is not True:
            limitation = tuple(sorted(dict(control.limitation).items()))  # (language, text) pairs: hashable
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
    bypassed: frozenset = frozenset()
    if element.kind == "copy":
        device = view.copies[element.iri].device
        if device and device in index:
            covering = sorted(set(covering) | set(index[device]))
    elif element.kind in ("person", "condition"):
        also, bypassed = _also_covering(view, element)
        covering = sorted(set(covering) | {k for iri in also for k in index.get(iri, ())})
    if not covering:
        return verdicts
    element_orgs = {view.org(p) for p in element.operators}
    for control in (view.controls[k] for k in covering):
        reasons = _reasons_against(view, control, harm_kind, element_orgs, can_act, lead_time, bypassed)
        verdicts.append(ControlVerdict(control.iri, element.iri, not reasons, tuple(reasons)))
    return verdicts


def _also_covering(view: ChainView, element: Element) -> tuple[set[str], frozenset]:
    """Elements whose controls also guard a person (their accounts and the systems they reach)
    or a condition (what it is about), and the systems where the person is an administrator."""
    if element.kind == "condition":
        condition = view.conditions.get(element.iri)
        return set(condition.concerns if condition else ()), frozenset()
    found = reach(view, element.iri)
    return set(found.accounts) | set(found.systems), frozenset(found.administrator_on)


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
        accountable |= set(view.data_principals(asset))
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
                   assets: tuple[str, ...], reached: str | tuple[str, ...], key: str | None = None,
                   events: tuple[str, ...] | None = None) -> Harm:
    """An exposure: ``events`` (the element alone by default) each lead from S to T, so the
    harm needs all of them to fail; the data first reaches ``reached`` and travels on from
    there along every transfer without a basis."""
    builder = _GraphBuilder(all_elements)
    for event in (events if events is not None else (element.iri,)):
        builder.place(event, SOURCE, SINK)
    verdicts = _attach_controls(view, builder, kind, {}, None)
    entry = (reached,) if isinstance(reached, str) else tuple(reached)
    travel = _travel(view, entry, assets)
    accountable = set()
    for asset in assets:
        accountable |= set(view.data_principals(asset))
    duties = {d for asset in assets for c in view.index.consignments_with_data.get(asset, ())
              for d in view.consignments[c].duties}
    return Harm(
        key=key or element.iri,
        kind=kind,
        flow=element.iri if kind == "misdirected-data" else None,
        guard=None,
        exposed_assets=assets,
        reached=entry + tuple(p for p in travel.parties if p not in entry),
        downstream=travel.transfers,
        entry=entry,
        carried=travel.carried,
        successors=builder.adjacency,
        event_nodes={k: tuple(v) for k, v in builder.event_nodes.items()},
        elements={event: all_elements[event] for event in builder.event_nodes},
        verdicts=tuple(verdicts),
        duties=tuple(sorted(duties)),
        accountable=tuple(sorted(accountable)),
    )


def _travel(view: ChainView, entry: tuple[str, ...], assets: tuple[str, ...]):
    """Where the data goes after it reaches ``entry`` (nothing when no one there passes data on)."""
    from .access import Onward

    if not any(view.index.data_sent_by.get(party) for party in entry):
        return Onward()
    return onward(view, entry, assets, _lineage(view, set(assets)))


def _lineage_of(view: ChainView, mode: str) -> tuple[str, ...]:
    found = view.failure_modes.get(mode)
    return found.kind_of if found and found.kind_of else (mode,)


def _first_reached(view: ChainView, modes: tuple[str, ...]) -> tuple[str, ...]:
    """Whom these failure modes first bring the data to (in mode order, each once)."""
    found: list[str] = []
    for mode in modes:
        lineage = _lineage_of(view, mode)
        party = next((p for m, p in _FIRST_REACHED if m in lineage), OUTSIDER)
        if party not in found:
            found.append(party)
    return tuple(found)


def _attacked_families(view: ChainView) -> dict[str, set[str]]:
    """Device -> the failure modes (and what they are kinds of) its stated attacks account for."""
    found: dict[str, set[str]] = {}
    for attack in view.attacks.values():
        if attack.target:
            for mode in _attack_modes(view, attack):
                found.setdefault(attack.target, set()).update(_lineage_of(view, mode))
    return found


def _device_specs(view: ChainView, all_elements: dict[str, Element]) -> list[tuple]:
    """Harms of devices: what rests on each, exposed by the modes no stated attack accounts for."""
    specs = []
    attacked = _attacked_families(view)
    for device in view.devices.values():
        element = all_elements[device.iri]
        family = attacked.get(device.iri, set())
        modes = tuple(m for m in element.modes if not set(_lineage_of(view, m)) & family)
        if not modes:
            continue
        entry = _first_reached(view, modes)
        systems = systems_reached(view, [device.iri]) if set(entry) - {FINDER, OUTSIDER} else (device.iri,)
        held = _held_on(view, systems)
        if held:
            if modes != element.modes:
                element = Element(element.iri, element.kind, element.operators, modes)
                all_elements = {**all_elements, device.iri: element}
            specs.append((_rank("device-exposure"), device.iri,
                          partial(_exposure_harm, view, all_elements, element, "device-exposure",
                                  held, entry)))
    return specs


def _held_on(view: ChainView, systems) -> tuple[str, ...]:
    return personal_assets(view, copies_reached(view, systems))


def _person_specs(view: ChainView, all_elements: dict[str, Element]) -> list[tuple]:
    """Insiders: each person with access takes what they reach, to themselves first."""
    specs = []
    for person in view.persons.values():
        element = all_elements[person.iri]
        if not element.modes:
            continue
        assets = reach(view, person.iri).assets
        if assets:
            specs.append((_rank("insider-exfiltration"), person.iri,
                          partial(_exposure_harm, view, all_elements, element, "insider-exfiltration",
                                  assets, person.iri)))
    return specs


def _attack_specs(view: ChainView, all_elements: dict[str, Element]) -> list[tuple]:
    """Stated attacks: the harm needs every condition that does not always hold."""
    specs = []
    for attack in view.attacks.values():
        if attack.target not in view.devices:
            continue
        held = _held_on(view, systems_reached(view, [attack.target]))
        if not held:
            continue
        events = tuple(c for c in attack.requires if c in all_elements
                       and not (c in view.conditions and view.conditions[c].always))
        entry = attack.attacker or INTRUDER
        target = all_elements[attack.target]
        specs.append((_rank("attack"), attack.iri,
                      partial(_exposure_harm, view, all_elements, target, "attack", held, entry,
                              attack.iri, events)))
    return specs


def iter_harms(view: ChainView) -> Iterator[Harm]:
    """Every harm the model allows, one at a time, in the order of :func:`harms`.

    Each harm's graph is built only when it is reached, so an analysis that keeps only
    plain results holds one small graph at a time, whatever the size of the model.

    Parameters
    ----------
    view : ChainView

    Yields
    ------
    Harm
        Each harm with its reliability graph, the failure events placed on it and the verdicts
        on the controls that cover them.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> next(iter_harms(chain_view(load_model(["examples/case-a-laptop"])))).key
    'https://example.org/chainmodel/case-a#laptop'
    """
    all_elements = elements(view)
    specs: list[tuple[int, str, Callable[[], Harm | None]]] = []
    for flow in view.handoffs.values():
        if flow.is_data:
            for guard in flow.guarded_by:
                specs.append((_rank("guarded-provision"), f"{flow.iri}|{guard}",
                              partial(_guarded_harm, view, all_elements, flow.iri, guard)))
    specs += _device_specs(view, all_elements)
    for copy in view.copies.values():
        element = all_elements[copy.iri]
        if element.modes and copy.asset in view.assets and not view.assets[copy.asset].anonymised:
            specs.append((_rank("copy-exposure"), copy.iri,
                          partial(_exposure_harm, view, all_elements, element, "copy-exposure",
                                  (copy.asset,), COPIER)))
    for flow in view.handoffs.values():
        element = all_elements[flow.iri]
        exposes = [m for m in element.modes if view.failure_modes[m].effect == _EXPOSES]
        personal = tuple(a for a in flow.carries if a in view.assets and not view.assets[a].anonymised)
        if flow.is_data and exposes and personal:
            specs.append((_rank("misdirected-data"), flow.iri,
                          partial(_exposure_harm, view, all_elements, element, "misdirected-data",
                                  personal, UNINTENDED)))
    specs += _person_specs(view, all_elements) + _attack_specs(view, all_elements)
    specs.sort(key=lambda spec: (spec[0], spec[1]))
    for _, _, build in specs:
        harm = build()
        if harm is not None:
            yield harm


def harms(view: ChainView) -> list[Harm]:
    """Every harm the model allows, each with its own small reliability graph, sorted by
    kind (guarded provision, device, copy, misdirected data) and then key.

    Parameters
    ----------
    view : ChainView

    Returns
    -------
    list of Harm
        What :func:`iter_harms` yields, all built at once: guarded provisions first, then
        devices, copies, misdirected data, insiders and stated attacks.
    """
    return list(iter_harms(view))


def harm_occurs(harm: Harm, failed: set[str] | frozenset[str]) -> bool:
    """True when the failure events in ``failed`` together cut the harm's S from its T.

    Parameters
    ----------
    harm : Harm
    failed : set or frozenset of str
        The IRIs of the failure events taken to fail; those that are not events of the harm
        are ignored.

    Returns
    -------
    bool
        Whether the harm happens when these events fail: no path of working nodes is left
        from S to T. With no events, True means the harm needs no failure at all.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> laptop = harms(chain_view(load_model(["examples/case-a-laptop"])))[0]
    >>> harm_occurs(laptop, frozenset()), harm_occurs(laptop, {"https://example.org/chainmodel/case-a#laptop"})
    (False, True)
    """
    removed = {node for event in failed for node in harm.event_nodes.get(event, ())}
    return SINK not in harm.reachable(removed)
