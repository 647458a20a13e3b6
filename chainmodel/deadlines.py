"""Reporting deadlines: each recorded report to a regulator placed against its deadline.

The periods are data of ``ontologies/rules.ttl`` on each reporting regime (read through
:mod:`chainmodel.law`): for businesses, PPC Rules Art. 8(1) asks for a preliminary report
"promptly" after the business came to know, which the PPC General Guidelines 3-5-3-3 put at
about 3-5 days; Art. 8(2) asks for the final report within 30 days of the day it came to
know, 60 days when the breach may have been caused with an improper purpose (Art. 7(iii)).
The day of knowledge counts as day 1 (Guidelines 3-5-3-4), so the 30th day is 29 days after
it. The regime is the reporter's sector's on the day the exposure began.

A report is ``met`` when it came on or before the last day, ``missed`` (by so many days)
when it came after, and ``cannot-judge`` when the dates are too coarse to tell, when the
reporter's day of knowledge is not recorded (only its own report dates it), or when the
regime sets no day count. Where it is not known whether an improper purpose is possible,
both final periods are given, each with the condition it holds under. A regime with no
mandatory report (before 2022-04-01) sets no deadline.

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.views import chain_view
>>> from chainmodel.timeline import timeline
>>> view = chain_view(load_model(["examples/case-a-laptop"]))
>>> final = timeline(view, "https://example.org/chainmodel/case-a#incident").reports[1]
>>> [(v.deadline.due.isoformat(), v.status, v.late_by) for v in final.verdicts]
[('2025-04-19', 'missed', 26), ('2025-05-19', 'met', None)]
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .errors import SetupError
from .law import RULE_IRI, RegimeChoice, regime_for
from .reporting import REGULATOR, sector_of
from .timepoints import Instant, parse_duration, parse_instant

__all__ = ["Deadline", "Verdict", "ReportCheck", "report_checks", "deadlines_for", "due_day"]


@dataclass(frozen=True)
class Deadline:
    """One deadline: the ``stage`` (``preliminary`` or ``final``), the ``period`` (an
    xsd:duration in days, None when the rules set no day count), the last day ``due`` (the
    latest it may be when knowledge is dated coarsely: ``due_first`` is the earliest),
    ``condition`` (``always``, ``improper-purpose`` or ``no-improper-purpose``), the rule it
    applies and its legal sources."""

    stage: str
    period: str | None
    due: date | None
    due_first: date | None
    condition: str
    rule: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Verdict:
    """A report against one deadline: ``status`` ``met``, ``missed`` or ``cannot-judge``; ``day``
    the day of the period the report came on (day 1 = the day of knowledge), ``late_by``
    the days after the last day; ``reason`` why it cannot be judged."""

    deadline: Deadline
    status: str
    day: int | None = None
    late_by: int | None = None
    reason: str | None = None


@dataclass(frozen=True)
class ReportCheck:
    """One recorded report to a regulator, its stage and its verdicts."""

    report: str
    reporter: str | None
    recipients: tuple[str, ...]
    when: Instant | None
    stage: str
    stage_stated: bool
    knowledge: object | None
    regime: RegimeChoice | None
    verdicts: tuple[Verdict, ...] = ()


def due_day(knew: date, period: str) -> date:
    """The last day of a period in days, the day of knowledge counted as day 1.

    Parameters
    ----------
    knew : date
        The day of knowledge, day 1 of the period.
    period : str
        An ``xsd:duration`` in days only, such as ``"P30D"``.

    Returns
    -------
    date
        The last day of the period: ``knew`` plus the days of the period, less one.

    Raises
    ------
    SetupError
        ``period`` is not a number of days (it does not parse, or it counts months or years):
        the installed ``ontologies/rules.ttl`` is damaged.

    Examples
    --------
    >>> due_day(date(2025, 3, 21), "P30D").isoformat()
    '2025-04-19'
    >>> due_day(date(2025, 3, 21), "P60D").isoformat()
    '2025-05-19'
    """
    found = parse_duration(period)
    if found is None or found.months:
        raise SetupError(f"a reporting period must be a number of days (P30D), not {period!r}: the installed "
                         "ontologies/rules.ttl is damaged; reinstall chainmodel")
    return knew + timedelta(days=found.days - 1)


def deadlines_for(regime: RegimeChoice, stage: str, knew: Instant | None, improper: bool | None) -> tuple[Deadline, ...]:
    """The deadlines of a stage under a regime, given the day of knowledge and the improper purpose.

    Parameters
    ----------
    regime : RegimeChoice
        The reporting regime that binds the reporter (:func:`chainmodel.law.regime_for`).
    stage : str
        ``"preliminary"``; any other stage is taken as the final report.
    knew : Instant or None
        When the reporter came to know; None when it is not recorded.
    improper : bool or None
        Whether the breach may have been caused with an improper purpose; None when it is not
        known.

    Returns
    -------
    tuple of Deadline
        Empty when the regime has no mandatory report. Else, for the preliminary report, its
        one deadline; for the final report, the one that holds when ``improper`` is known, else
        the deadline without an improper purpose then the one with it. A deadline has no last
        day (``due`` None) when ``knew`` is None or the regime sets no day count.

    Raises
    ------
    SetupError
        A period in ``rules.ttl`` is not a number of days (:func:`due_day`).

    Examples
    --------
    >>> from chainmodel.law import regime_for
    >>> from chainmodel.timepoints import parse_instant
    >>> knew = parse_instant("2025-03-21")
    >>> [(d.condition, d.due.isoformat()) for d in deadlines_for(regime_for(None, knew), "final", knew, None)]
    [('no-improper-purpose', '2025-04-19'), ('improper-purpose', '2025-05-19')]
    >>> deadlines_for(regime_for(None, parse_instant("2021-03-21")), "final", knew, None)
    ()
    """
    details = regime.details
    if not regime.mandatory:
        return ()

    def make(period: str | None, condition: str, rule: str, sources: tuple[str, ...]) -> Deadline:
        if period is None or knew is None:
            return Deadline(stage, period, None, None, condition, RULE_IRI(rule), sources)
        return Deadline(stage, period, due_day(knew.last, period), due_day(knew.first, period), condition,
                        RULE_IRI(rule), sources)

    if stage == "preliminary":
        return (make(details.preliminary_within, "always", "preliminary-report-deadline", details.preliminary_sources),)
    normal = make(details.final_within, "no-improper-purpose", "final-report-deadline", details.final_sources)
    longer = make(details.final_within_improper or details.final_within, "improper-purpose", "final-report-deadline",
                  details.final_sources)
    if improper is True:
        return (longer,)
    if improper is False:
        return (normal,)
    return normal, longer


def _verdict(deadline: Deadline, when: Instant | None, knowledge) -> Verdict:
    if deadline.period is None:
        return Verdict(deadline, "cannot-judge", reason="no-day-count")
    if knowledge is None or knowledge.how == "reported":
        return Verdict(deadline, "cannot-judge", reason="knowledge-not-recorded")
    if when is None or deadline.due is None:
        return Verdict(deadline, "cannot-judge", reason="dates-too-coarse")
    day = (when.first - knowledge.when.last).days + 1 if when.exact_day and knowledge.when.exact_day else None
    if when.last <= deadline.due_first:
        return Verdict(deadline, "met", day)
    if when.first > deadline.due:
        return Verdict(deadline, "missed", day, (when.first - deadline.due).days)
    return Verdict(deadline, "cannot-judge", day, reason="dates-too-coarse")


def report_checks(view, found) -> tuple[ReportCheck, ...]:
    """Every report of the timeline ``found`` to a regulator, with its verdicts, in time order.

    A report typed ``cm:PreliminaryReport`` or ``cm:FinalReport`` has that stage; an untyped
    one is taken as its reporter's preliminary report when it is its first to that
    regulator, else as its final report (``stage_stated`` False). A typed report that names
    no regulator among its recipients went to the regulator the model does not name
    (:data:`chainmodel.reporting.REGULATOR`); an untyped one must name one.

    Parameters
    ----------
    view : ChainView
    found : Timeline
        The timeline of one incident (:func:`chainmodel.timeline.timeline`): its events, who
        came to know when, its exposure window and whether an improper purpose is possible.

    Returns
    -------
    tuple of ReportCheck
        One for each ``reported`` event that names a regulator among its recipients or is typed
        as a preliminary or final report, in the timeline's order. The regime is the
        reporter's sector's on the day the exposure began (None when the report names no
        reporter, and then there are no verdicts).

    Raises
    ------
    SetupError
        The installed ``ontologies/rules.ttl`` has no regime for the reporter's sector on that
        day, or a period there is not a number of days.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> from chainmodel.timeline import timeline
    >>> view = chain_view(load_model(["examples/case-a-laptop"]))
    >>> checks = report_checks(view, timeline(view, "https://example.org/chainmodel/case-a#incident"))
    >>> [(c.stage, [v.status for v in c.verdicts]) for c in checks]
    [('preliminary', ['met']), ('final', ['missed', 'met'])]
    """
    regulators = set(view.regulators)
    known = {k.party: k for k in found.knowledge}
    seen: set[tuple] = set()
    checks = []
    for event in found.events:
        record = view.events[event]
        to_regulator = tuple(p for p in record.notified_to if p in regulators)
        if record.kind != "reported" or not (to_regulator or record.stage):
            continue
        if not to_regulator:  # typed as a preliminary or final report: to the regulator, whom the model does not name
            to_regulator = (REGULATOR,)
        pairs = {(record.actor, regulator) for regulator in to_regulator}
        stage = record.stage or ("final" if pairs <= seen else "preliminary")
        seen |= pairs
        knowledge = _own_knowledge(view, known, record.actor)
        when = parse_instant(record.date)
        regime = regime_for(sector_of(view, record.actor), found.window.start) if record.actor else None
        deadlines = deadlines_for(regime, stage, knowledge.when if knowledge else None,
                                  found.improper_purpose) if regime else ()
        verdicts = tuple(_verdict(d, when, knowledge) for d in deadlines)
        checks.append(ReportCheck(event, record.actor, to_regulator, when, stage, record.stage is not None, knowledge,
                                  regime, verdicts))
    return tuple(checks)


def _own_knowledge(view, known: dict, party: str | None):
    """When the reporter came to know: its own, or its organisation's or one of its capacities'."""
    if party is None:
        return None
    candidates = [known[p] for p in known if p == party or view.org(p) == view.org(party)]
    return min(candidates, key=lambda k: (k.when.first, k.when.last, k.how != "aware")) if candidates else None
