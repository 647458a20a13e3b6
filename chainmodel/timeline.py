"""The timeline of an incident, from its dated events: exposure window, knowledge, controls.

* The exposure window runs from the first ``cm:ExposureBegan`` to the first event that ends
  it: the data recovered, deleted or returned, the provision stopped, or a plain
  ``cm:ExposureEnded``. Finding a lost device does not end it (the finder, or the police,
  still has it); recovering it does. When the incident failed with a mode that breaks an
  element (an omitted report), detecting that failure ends it too: from then on the guard
  can be performed. With nothing that ends it, the window is open.
* Each party comes to know on the first of: a ``cm:BecameAware`` or ``cm:Detected`` event it
  is the actor of, a report or notice it receives; a party that reports knew by then at the
  latest. Its detection latency runs from the start of the window.
* Each detective control that covers a failed element leaves, had it worked as stated, the
  window from its start to the failure plus the control's latency (never longer than what
  happened). Against an exposure (a lost device, an intrusion) detection is not an end:
  the window stays as it was.

Dates keep their precision (see :mod:`chainmodel.timepoints`): a length is given as the
fewest and the most days the dates allow.

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.views import chain_view
>>> view = chain_view(load_model(["examples/case-b-optout"]))
>>> found = timeline(view, "https://example.org/chainmodel/case-b#incident")
>>> found.window.start.text, found.window.end.text, found.window.days
('2025-04-25', '2025-08-04', (101, 101))
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .errors import UnknownReference
from .namespace import CM
from .timepoints import Instant, add_duration, instant_sort_key, parse_duration, parse_instant
from .views import ChainView

__all__ = ["Window", "Knowledge", "ControlWindow", "Timeline", "timeline", "incidents", "ENDING_KINDS",
           "exposure_window", "knowledge", "control_windows"]

ENDING_KINDS = ("recovered", "deleted", "returned", "provision-stopped", "exposure-ended")
"""Event kinds that end an exposure: the data stopped being reachable."""


@dataclass(frozen=True)
class Window:
    """An exposure window. ``end`` is None while nothing ends it (``end_reason`` ``open``).

    ``end_reason`` is ``ended`` (an event ended the exposure), ``detected`` (the failure that
    let the data through was detected), ``control`` (a control's stated latency),
    ``prevented`` (a control would have caught the failure before the exposure began) or
    ``open``; ``days`` is (fewest, most) days from start to end, or None.
    """

    start: Instant | None
    end: Instant | None
    start_event: str | None = None
    end_event: str | None = None
    end_reason: str = "open"

    @property
    def days(self) -> tuple[int, int] | None:
        if self.start is None or self.end is None:
            return None
        return max(0, (self.end.first - self.start.last).days), max(0, (self.end.last - self.start.first).days)


@dataclass(frozen=True)
class Knowledge:
    """When one party came to know. ``how`` is ``aware``, ``detected``, ``notified`` (it was
    told) or ``reported`` (it reported, so it knew by then at the latest); ``latency`` is
    (fewest, most) days from the start of the exposure."""

    party: str
    when: Instant
    event: str
    how: str
    latency: tuple[int, int] | None = None


@dataclass(frozen=True)
class ControlWindow:
    """The window a detective control would have left had it worked as stated.

    ``status`` is ``shorter``, ``same`` (it would not have ended the exposure sooner),
    ``prevented``, ``after-exposure`` (it detects only after data has left: no end) or
    ``timing-unknown``; ``failure`` is the failure's date the latency is counted from, and
    ``failure_assumed`` True when no event dates the failure and the start of the exposure
    stands in for it (the control would then have detected at the latest by ``detects``).
    """

    control: str
    covers: tuple[str, ...]
    latency: str | None
    status: str
    window: Window | None
    detects: Instant | None = None
    failure: Instant | None = None
    failure_assumed: bool = False


@dataclass(frozen=True)
class Timeline:
    """Everything dated about one incident."""

    incident: str
    events: tuple[str, ...]
    failed_with: tuple[str, ...]
    breaks: bool
    improper_purpose: bool | None
    window: Window
    knowledge: tuple[Knowledge, ...]
    controls: tuple[ControlWindow, ...]
    reports: tuple = ()
    """Recorded reports to a regulator placed against their deadlines (see :mod:`chainmodel.deadlines`)."""


def incidents(view: ChainView) -> tuple[str, ...]:
    """The incidents of the model, sorted by IRI."""
    return tuple(sorted(view.incidents))


def _dated(view: ChainView, incident: str) -> list[tuple[Instant, str]]:
    record = view.incidents[incident]
    found = [(parse_instant(view.events[e].date), e) for e in record.events if e in view.events]
    return sorted(((when, e) for when, e in found if when is not None), key=lambda pair: instant_sort_key(*pair))


def _breaks(view: ChainView, incident: str) -> bool:
    return any(view.failure_modes[m].effect == str(CM.Breaks)
               for m in view.incidents[incident].failed_with if m in view.failure_modes)


def _first_not_before(candidates: list[tuple[Instant, str]], start: Instant | None) -> tuple[Instant, str] | None:
    for when, event in candidates:
        if start is None or when.last >= start.first:
            return when, event
    return None


def exposure_window(view: ChainView, incident: str) -> Window:
    """The exposure window of one incident, computed from its events (see the module).

    Parameters
    ----------
    view : ChainView
    incident : str
        The IRI of an incident of the model (a key of ``view.incidents``).

    Returns
    -------
    Window
        From the first dated ``cm:ExposureBegan`` event (``start`` None without one) to the
        earliest dated event, not before the start, that ends the exposure (``end_reason``
        ``ended``; see :data:`ENDING_KINDS`) or, when the incident failed with a mode
        that breaks an element, is a ``cm:Detected`` event (``detected``); open when there
        is none.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> view = chain_view(load_model(["examples/case-b-optout"]))
    >>> window = exposure_window(view, "https://example.org/chainmodel/case-b#incident")
    >>> window.start.text, window.end.text, window.end_reason
    ('2025-04-25', '2025-08-04', 'detected')
    """
    dated = _dated(view, incident)
    began = [(w, e) for w, e in dated if view.events[e].kind == "exposure-began"]
    start, start_event = began[0] if began else (None, None)
    ending = [(w, e) for w, e in dated if view.events[e].kind in ENDING_KINDS]
    detected = [(w, e) for w, e in dated if view.events[e].kind == "detected"] if _breaks(view, incident) else []
    options = [(pair, "ended") for pair in [_first_not_before(ending, start)] if pair]
    options += [(pair, "detected") for pair in [_first_not_before(detected, start)] if pair]
    if not options:
        return Window(start, None, start_event, None, "open")
    (end, end_event), reason = min(options, key=lambda option: instant_sort_key(*option[0]))
    return Window(start, end, start_event, end_event, reason)


def _latency(start: Instant | None, when: Instant) -> tuple[int, int] | None:
    if start is None:
        return None
    return max(0, (when.first - start.last).days), max(0, (when.last - start.first).days)


def knowledge(view: ChainView, incident: str, start: Instant | None = None) -> tuple[Knowledge, ...]:
    """When each party came to know of the incident, earliest first (ties by party IRI).

    Parameters
    ----------
    view : ChainView
    incident : str
        The IRI of an incident of the model (a key of ``view.incidents``).
    start : Instant, optional
        The start of the exposure window, which each party's latency is counted from; None
        leaves every ``latency`` None.

    Returns
    -------
    tuple of Knowledge
        One per party that a dated event of the incident shows knowing: the actor of a
        ``cm:BecameAware`` or ``cm:Detected`` event, a party a report or notice went to, the
        actor of a report. A party's awareness or detection is preferred to a notice it got,
        and a notice to a report it made, unless the other is definitely earlier; of the
        same kind, the earliest is kept.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> view = chain_view(load_model(["examples/case-b-optout"]))
    >>> incident = "https://example.org/chainmodel/case-b#incident"
    >>> found = knowledge(view, incident, exposure_window(view, incident).start)
    >>> [(k.party.split("#")[1], k.how, k.latency) for k in found][:2]
    [('nttdata', 'detected', (101, 101)), ('hospital', 'notified', (102, 102))]
    """
    found: dict[str, Knowledge] = {}
    rank = {"aware": 0, "detected": 0, "notified": 1, "reported": 2}

    def learn(party: str | None, when: Instant, event: str, how: str) -> None:
        if party is None:
            return
        known = found.get(party)
        candidate = Knowledge(party, when, event, how, _latency(start, when))
        if known is None or _better(candidate, known, rank):
            found[party] = candidate

    for when, event in _dated(view, incident):
        record = view.events[event]
        if record.kind == "became-aware":
            learn(record.actor, when, event, "aware")
        elif record.kind == "detected":
            learn(record.actor, when, event, "detected")
        elif record.kind == "reported":
            for party in record.notified_to:
                learn(party, when, event, "notified")
            learn(record.actor, when, event, "reported")
    return tuple(sorted(found.values(), key=lambda k: (instant_sort_key(k.when), k.party)))


def _better(new: Knowledge, old: Knowledge, rank: dict[str, int]) -> bool:
    """Whether ``new`` says better when a party came to know: a stated day beats one only
    inferred from a report or notice unless that one is definitely earlier."""
    if rank[new.how] == rank[old.how]:
        return instant_sort_key(new.when) < instant_sort_key(old.when)
    if rank[new.how] < rank[old.how]:
        return not old.when.last < new.when.first
    return new.when.last < old.when.first


def _concerned(view: ChainView, incident: str) -> set[str]:
    """The elements an incident concerns, with the devices of its copies and the copies on its devices."""
    record = view.incidents[incident]
    found = set(record.concerns)
    for event in record.events:
        if event in view.events and view.events[event].kind not in ("reported",):
            found |= set(view.events[event].concerns)
    for iri in list(found):
        if iri in view.copies and view.copies[iri].device:
            found.add(view.copies[iri].device)
        found |= set(view.index.copies_on.get(iri, ()))
    return found


def _failure_date(view: ChainView, incident: str, failed: set[str]) -> Instant | None:
    """The first dated event about a failed element that is neither a detection nor an end."""
    for when, event in _dated(view, incident):
        record = view.events[event]
        if set(record.concerns) & failed and record.kind not in ("detected", "reported", "became-aware") + ENDING_KINDS:
            return when
    return None


def control_windows(view: ChainView, incident: str, window: Window) -> tuple[ControlWindow, ...]:
    """For each detective control covering an element of the incident, the window it would have left.

    Parameters
    ----------
    view : ChainView
    incident : str
        The IRI of an incident of the model (a key of ``view.incidents``).
    window : Window
        The incident's exposure window, as :func:`exposure_window` gives it.

    Returns
    -------
    tuple of ControlWindow
        Sorted by control IRI. The elements of the incident are those it concerns and those
        its events other than reports concern, with the device of each such copy and the
        copies on each such device. The latency is counted from the first dated event about
        an element the incident itself concerns that is not a detection, an awareness, a
        report or an end, else from the start of ``window`` (``failure_assumed``).

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> view = chain_view(load_model(["examples/case-b-optout"]))
    >>> incident = "https://example.org/chainmodel/case-b#incident"
    >>> window = exposure_window(view, incident)
    >>> [(c.control.split("#")[1], c.status) for c in control_windows(view, incident, window)]
    [('control-nttdata-self-check', 'same')]
    """
    concerned = _concerned(view, incident)
    breaks = _breaks(view, incident)
    stated = _failure_date(view, incident, set(view.incidents[incident].concerns))
    failure = stated or window.start
    found = []
    for control in sorted(view.controls.values(), key=lambda k: k.iri):
        covered = tuple(sorted(set(control.covers) & concerned))
        if control.kind != "detective" or not covered:
            continue
        found.append(_control_window(control, covered, breaks, window, failure, stated is None))
    return tuple(found)


def _control_window(control, covered: tuple[str, ...], breaks: bool, window: Window, failure: Instant | None,
                    assumed: bool) -> ControlWindow:
    latency = parse_duration(control.latency)
    common = dict(control=control.iri, covers=covered, latency=control.latency, failure=failure,
                  failure_assumed=assumed and failure is not None)
    if not breaks:
        return ControlWindow(status="after-exposure", window=window, **common)
    if latency is None or failure is None or window.start is None:
        return ControlWindow(status="timing-unknown", window=None, **common)
    detects = Instant(add_duration(failure.first, latency), add_duration(failure.last, latency), "day"
                      if failure.exact_day else failure.precision, f"{failure.text}+{control.latency}")
    if detects.last < window.start.first:
        return ControlWindow(status="prevented", window=Window(window.start, detects, window.start_event, None,
                                                                "prevented"), detects=detects, **common)
    if window.end is not None and detects.first >= window.end.last:
        return ControlWindow(status="same", window=window, detects=detects, **common)
    shorter = Window(window.start, _day_instant(detects), window.start_event, None, "control")
    return ControlWindow(status="shorter", window=shorter, detects=detects, **common)


def _day_instant(instant: Instant) -> Instant:
    """An instant named by the day it falls on at the latest (for display as a window's end)."""
    if instant.exact_day:
        return replace(instant, text=instant.first.isoformat(), precision="day")
    return replace(instant, text=f"{instant.first.isoformat()}/{instant.last.isoformat()}")


def timeline(view: ChainView, incident: str) -> Timeline:
    """The timeline of one incident: window, knowledge, control windows and report deadlines.

    Parameters
    ----------
    view : ChainView
    incident : str
        The IRI of a ``cm:Incident``.

    Raises
    ------
    UnknownReference
        ``incident`` is not an incident of the model.
    """
    from .deadlines import report_checks

    if incident not in view.incidents:
        known = incidents(view)
        if not known:
            raise UnknownReference(f"{incident} is not an incident: the model records none; add a cm:Incident with "
                                   "cm:concerns and its dated events (cm:hasEvent) to see a timeline")
        raise UnknownReference(f"{incident} is not an incident (cm:Incident) of the model; its incidents: "
                               f"{', '.join(known)}")
    record = view.incidents[incident]
    window = exposure_window(view, incident)
    known = knowledge(view, incident, window.start)
    improper = record.improper_purpose
    if improper is None:
        flags = [view.failure_modes[m].improper_purpose for m in record.failed_with
                 if m in view.failure_modes and view.failure_modes[m].improper_purpose is not None]
        improper = any(flags) if flags else None
    events = tuple(e for _, e in _dated(view, incident)) + tuple(sorted(e for e in record.events
                                                                       if e in view.events and not parse_instant(view.events[e].date)))
    found = Timeline(incident, events, record.failed_with, _breaks(view, incident), improper, window, known,
                     control_windows(view, incident, window))
    return replace(found, reports=report_checks(view, found))

