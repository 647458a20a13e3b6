"""Single points of failure: failures that on their own let personal data leak through.

A harm that needs no failure at all (the model itself lets the data through, e.g. no
report ever reaches the party that must exclude opted-out patients) is reported first,
as a leak with ``no_failure_needed``.

For every harm (see :mod:`chainmodel.failures`) the order-1 cut sets are the single
points of failure. Each is reported with the element and its failure modes, who operates
it, who is accountable, the leak path flow by flow, the parties reached, what is exposed,
and the controls that exist but do not catch it in time, with why.

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.views import chain_view
>>> view = chain_view(load_model(["examples/case-a-laptop"]))
>>> top = single_points_of_failure(view)[0]
>>> top.element, top.exposure.people.count.low, top.exposure.people.count.high
('https://example.org/chainmodel/case-a#laptop', 171472, 181674)
"""

from __future__ import annotations

from dataclasses import dataclass

from .cutsets import single_points
from .errors import UnknownReference
from .exposure import Exposure, exposure
from .failures import ANALYSIS_ORDER, EXPOSURE_KINDS, ControlVerdict, Harm, harm_occurs, iter_harms
from .loading import paused_gc
from .namespace import CM
from .views import ChainView

__all__ = ["Step", "Leak", "single_points_of_failure", "leak_for", "unavoidable_leak"]


@dataclass(frozen=True)
class Step:
    """One step of a leak path: an element, who it goes from and to, and what it does.

    ``role`` is a catalogue word (``step.<role>``): ``fails``, ``passes-the-failure-on``,
    ``cannot-be-performed``, ``carries-protected-data``, ``carries-it-on``,
    ``exposes-what-it-holds``, ``carries-protected-data-always``, ``passes-it-on-without-basis``
    (an unauthorised holder hands the data on to someone no basis covers) or ``holds`` (a
    condition of an attack holds).
    """

    element: str
    kind: str
    sender: str | None
    receiver: str | None
    role: str


@dataclass(frozen=True)
class Leak:
    element: str
    element_kind: str
    modes: tuple[str, ...]
    operators: tuple[str, ...]
    accountable: tuple[str, ...]
    harm_kind: str
    flow: str | None
    guard: str | None
    path: tuple[Step, ...]
    reached: tuple[str, ...]
    exposure: Exposure
    uncaught_by: tuple[ControlVerdict, ...]
    duties: tuple[str, ...]
    no_failure_needed: bool = False
    holdings: tuple[tuple[str, Exposure], ...] = ()
    """When the data travels on: each party reached and what it holds (its own blast radius);
    empty when the data reaches no one beyond its first parties (they hold all it exposes)."""


_EXPOSES, _BREAKS = str(CM.Exposes), str(CM.Breaks)


def _step_for(view: ChainView, event: str, role: str) -> Step:
    if event in view.handoffs:
        h = view.handoffs[event]
        return Step(event, h.kind, h.sender, h.receiver, role)
    if event in view.duties:
        duty = view.duties[event]
        performer = (duty.performers or ((duty.accountable,) if duty.accountable else (None,)))[0]
        return Step(event, "task", performer, None, role)
    if event in view.devices:
        return Step(event, "device", view.devices[event].holder, None, role)
    if event in view.copies:
        return Step(event, "copy", view.holder_of(view.copies[event]), None, role)
    if event in view.persons:
        return Step(event, "person", event, None, role)
    if event in view.conditions or any(event in a.requires for a in view.attacks.values()):
        return Step(event, "condition", None, None, "holds" if role == "fails" else role)
    return Step(event, "control", None, None, role)


def _path(view: ChainView, harm: Harm, event: str) -> tuple[Step, ...]:
    steps = [_step_for(view, event, "fails")]
    if harm.kind in EXPOSURE_KINDS:
        source = harm.key if harm.kind == "attack" else event
        sender = steps[0].sender if harm.kind != "attack" else None
        for reached in harm.entry or harm.reached[:1]:
            steps.append(Step(source, "exposure", sender, reached, "exposes-what-it-holds"))
        for flow in harm.downstream:
            h = view.handoffs[flow]
            steps.append(Step(flow, h.kind, h.sender, h.receiver, "passes-it-on-without-basis"))
        return tuple(steps)
    controls = {n for e, nodes in harm.event_nodes.items() if harm.elements[e].kind == "control" for n in nodes}
    nodes = harm.path_to_sink(harm.event_nodes[event][0], avoid=controls)
    for node in nodes[1:]:
        if node[0] == "event":
            later = node[1]
            role = "cannot-be-performed" if later in view.duties else "passes-the-failure-on"
            steps.append(_step_for(view, later, role))
    for position, flow in enumerate(harm.downstream):
        h = view.handoffs[flow]
        role = "carries-protected-data" if position == 0 else "carries-it-on"
        steps.append(Step(flow, h.kind, h.sender, h.receiver, role))
    return tuple(steps)


def leak_for(view: ChainView, harm: Harm, event: str, exposed: Exposure | None = None) -> Leak:
    """The full report of one failure event that causes ``harm`` on its own.

    ``exposed`` is what the harm exposes, when the caller has it already.

    Parameters
    ----------
    view : ChainView
    harm : Harm
        A harm of ``view`` (see :func:`chainmodel.failures.iter_harms`).
    event : str
        The IRI of one of the harm's failure events (a key of ``harm.elements``), usually
        one of :func:`chainmodel.cutsets.single_points`; that it causes the harm on its own
        is not checked here.
    exposed : Exposure, optional
        ``exposure(view, harm.exposed_assets)``; worked out here when not given.

    Returns
    -------
    Leak
        The element with those of its failure modes that have the harm's effect
        (``cm:Exposes`` for an exposure, ``cm:Breaks`` for a guarded provision), its
        operators, the harm's accountable parties and duties, the leak path step by step,
        the parties reached (for a guarded provision, without the flow's sender), what is
        exposed, and the controls covering the element that do not count against its
        failure, with why. Empty ``modes`` means no failure mode of the element causes this
        harm: :func:`single_points_of_failure` leaves such a leak out.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> from chainmodel.failures import harms
    >>> view = chain_view(load_model(["examples/case-a-laptop"]))
    >>> leak = leak_for(view, harms(view)[0], "https://example.org/chainmodel/case-a#laptop")
    >>> leak.modes, [step.role for step in leak.path]
    (('https://w3id.org/chainmodel#LossOrTheft',), ['fails', 'exposes-what-it-holds'])
    """
    element = harm.elements[event]
    effect = _EXPOSES if harm.kind in EXPOSURE_KINDS else _BREAKS
    modes = tuple(m for m in element.modes if view.failure_modes[m].effect == effect)
    return Leak(
        element=event,
        element_kind=element.kind,
        modes=modes,
        operators=element.operators,
        accountable=harm.accountable,
        harm_kind=harm.kind,
        flow=harm.flow,
        guard=harm.guard,
        path=_path(view, harm, event),
        reached=tuple(r for r in harm.reached if harm.kind in EXPOSURE_KINDS or r != view.handoffs[harm.flow].sender),
        exposure=exposed if exposed is not None else exposure(view, harm.exposed_assets),
        uncaught_by=tuple(v for v in harm.verdicts if v.element == event and not v.counts),
        duties=harm.duties,
        holdings=_holdings(view, harm, exposed),
    )


def _holdings(view: ChainView, harm: Harm, exposed: Exposure | None) -> tuple[tuple[str, Exposure], ...]:
    """What each party an exposure reaches holds, when the data travels on beyond the first ones."""
    if harm.kind not in EXPOSURE_KINDS or not harm.carried:
        return ()
    whole = exposed if exposed is not None else exposure(view, harm.exposed_assets)
    found = [(party, whole) for party in harm.entry]
    found += [(party, exposure(view, assets)) for party, assets in harm.carried]
    return tuple(found)


def unavoidable_leak(view: ChainView, harm: Harm) -> Leak:
    """A harm that happens with no failure at all: the model itself lets the data through.

    For a guarded provision this means no path of hand-offs brings the guard what it needs
    (or nobody performs it); the report names the provision as the element.

    Parameters
    ----------
    view : ChainView
    harm : Harm
        A harm of ``view`` that happens with no failure (``harm_occurs(harm, frozenset())``
        is true); this is not checked here.

    Returns
    -------
    Leak
        With ``no_failure_needed`` true and ``element_kind`` ``"structure"``: the element is
        the harm's flow (the provision), or the harm's key when it has none; no failure
        modes, operators or uncaught controls; the path is the flows the data takes
        downstream; the parties reached leave out the flow's sender.
    """
    element = harm.flow or harm.key
    steps = []
    for position, flow in enumerate(harm.downstream):
        h = view.handoffs[flow]
        role = "carries-protected-data-always" if position == 0 else "carries-it-on"
        steps.append(Step(flow, h.kind, h.sender, h.receiver, role))
    reached = tuple(r for r in harm.reached if harm.flow is None or r != view.handoffs[harm.flow].sender)
    return Leak(
        element=element,
        element_kind="structure",
        modes=(),
        operators=(),
        accountable=harm.accountable,
        harm_kind=harm.kind,
        flow=harm.flow,
        guard=harm.guard,
        path=tuple(steps),
        reached=reached,
        exposure=exposure(view, harm.exposed_assets),
        uncaught_by=(),
        duties=harm.duties,
        no_failure_needed=True,
    )


def single_points_of_failure(view: ChainView, duty: str | None = None) -> list[Leak]:
    """Every single failure that leaks through, most exposed first.

    ``duty`` keeps the harms that duty takes part in (as guard, needed duty, or duty
    entrusted with the exposed data).

    Parameters
    ----------
    view : ChainView
    duty : str, optional
        The IRI of a duty of the model (a key of ``view.duties``; not a prefixed name or a
        label). By default every harm is kept.

    Returns
    -------
    list of Leak
        First the harms that happen with no failure at all (:func:`unavoidable_leak`), then
        each failure event that causes a harm on its own and has a failure mode with the
        harm's effect (:func:`leak_for`). Sorted most exposed first (people at least, at
        most, then sensitive categories), then by harm kind (guarded provision, device
        exposure, copy exposure, misdirected data, insider exfiltration, attack), flow IRI
        and element IRI.

    Raises
    ------
    UnknownReference
        ``duty`` is not a duty of the model.
    """
    if duty is not None and duty not in view.duties:
        raise UnknownReference(f"{duty} is not a duty of the model; name one of its duties (chainmodel describe "
                               "lists them)")
    with paused_gc():  # millions of result objects, none in a cycle: the collector would re-walk them all
        return _single_points_of_failure(view, duty)


def _single_points_of_failure(view: ChainView, duty: str | None) -> list[Leak]:
    found: list[Leak] = []
    memo: dict = {}  # asset -> what it exposes, shared by the harms
    for harm in iter_harms(view):
        if duty is not None and duty not in harm.duties:
            continue
        if harm_occurs(harm, frozenset()):
            found.append(unavoidable_leak(view, harm))
            continue
        exposed = None
        for event in single_points(harm):
            exposed = exposed or exposure(view, harm.exposed_assets, memo)  # the same for every point of one harm
            leak = leak_for(view, harm, event, exposed)
            if leak.modes:
                found.append(leak)
    found.sort(key=lambda leak: (not leak.no_failure_needed, leak.exposure.rank_key,
                                 ANALYSIS_ORDER.index(leak.harm_kind),
                                 leak.flow or "", leak.element))
    return found
