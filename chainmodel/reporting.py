"""Who must tell whom when data is exposed, the way the law counts.

For each principal whose data is exposed:

1. The regime: the principal's sector (``cm:sector``; a capacity takes its organisation's,
   private business by default) and the date of the incident choose a reporting regime of
   ``ontologies/rules.ttl`` (APPI Art. 26 for businesses from 2022-04-01, Art. 68 for
   administrative organs, and from 2023-04-01 local governments; before that, guidance or
   the local ordinance, named as such).
2. The triggers of PPC Rules Art. 7 (Art. 43 for administrative organs), each evaluated and
   cited: sensitive data; data whose misuse may cause financial loss; a possible improper
   purpose; more than the regime's threshold of people, decided on the lower bound and
   flagged when only the upper bound passes it. An unknown count never silences a trigger
   that needs no count. A preventive control that rules a leak out removes the duty.
3. The route: the consignment chain through which that principal's data reached each
   holder; every consignee on it tells its consignor (Art. 26(1) proviso), up to the
   principal, which reports to the regulator and notifies the people concerned. Where the
   holder has no chain for that principal's data, the route says so and the duty falls on
   the party the data came from (the sender of the transfer that brought it).

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.views import chain_view
>>> from chainmodel.exposure import exposure
>>> view = chain_view(load_model(["examples/case-a-laptop"]))
>>> A = "https://example.org/chainmodel/case-a#"
>>> found = reporting_duties(view, exposure(view, [A + "applicant-records"]), [A + "foundation"])
>>> duty = found[0]
>>> duty.principal == A + "resonac", duty.reportable
(True, 'yes')
>>> [(t.code, t.status) for t in duty.triggers]
[('sensitive', 'yes'), ('financial-loss', 'no'), ('improper-purpose', 'unknown'), ('more-than-threshold', 'yes')]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .basis import covers
from .exposure import PEOPLE, Exposure
from .law import RULE_IRI, Regime, RegimeChoice, regime_for, regimes
from .namespace import CM
from .population import Count
from .timepoints import Instant, instant_sort_key, parse_instant
from .views import ChainView

__all__ = ["Trigger", "Route", "Notification", "PrincipalDuty", "reporting_duties", "incident_date", "incident_improper",
           "incidents_about", "sector_of",
           "REGULATOR", "PEOPLE_CONCERNED", "TRIGGERS"]

REGULATOR = "urn:chainmodel:party:regulator-not-in-the-model"
"""Stands for the regulator when the model names none."""
PEOPLE_CONCERNED = "urn:chainmodel:party:people-concerned"
"""Stands for the people concerned when the model names no group of data subjects."""

TRIGGERS = ("sensitive", "financial-loss", "improper-purpose", "more-than-threshold")
"""The reportable situations, in the order of PPC Rules Art. 7 and Art. 43."""
_ITEMS = ("i", "ii", "iii", "iv")


@dataclass(frozen=True)
class Trigger:
    """One reportable situation, evaluated.

    ``status`` is ``yes``, ``possibly`` (only an upper bound or an unknown count passes the
    threshold), ``no`` or ``unknown`` (the cause is not known: say how the data left);
    ``source`` is the legal source IRI of the item; ``assets`` the exposed assets that make it.
    """

    code: str
    status: str
    source: str | None
    assets: tuple[str, ...] = ()
    threshold: int | None = None
    count: Count | None = None


@dataclass(frozen=True)
class Route:
    """How a principal's data reached a holder.

    ``chain`` holds the consignments from the principal down to ``notifier`` (empty when
    the principal holds its own data); ``gap`` is ``"no-chain"`` when the holder has no
    chain for that data, and ``transfer`` and ``notifier`` then name the transfer that
    brought the data and the party it came from, on whom the duty falls.
    """

    holder: str
    notifier: str
    chain: tuple[str, ...] = ()
    gap: str | None = None
    transfer: str | None = None
    bases: tuple[str, ...] = ()
    """Bases on which the holder keeps the data on its own account (a provision, joint control)."""


@dataclass(frozen=True)
class Notification:
    """A reporting duty: who must notify whom, for which principal, under which sources.

    ``status`` is ``required``, ``possibly-required`` or ``guidance`` (no mandatory report).
    """

    sender: str
    recipient: str
    rule: str
    principal: str
    sources: tuple[str, ...]
    status: str
    because: tuple[str, ...] = ()


@dataclass(frozen=True)
class PrincipalDuty:
    """Everything about one principal's duties for one exposure."""

    principal: str
    regime: RegimeChoice
    triggers: tuple[Trigger, ...]
    reportable: str
    routes: tuple[Route, ...]
    notifications: tuple[Notification, ...]
    protected_by: tuple[str, ...] = ()


def sector_of(view: ChainView, party: str) -> str:
    """A party's sector: its own, else its organisation's, else private business."""
    record = view.parties.get(party)
    if record and record.sector:
        return record.sector
    organisation = view.org(party)
    if organisation and organisation in view.parties and view.parties[organisation].sector:
        return view.parties[organisation].sector
    return str(CM.PrivateBusiness)


def incidents_about(view: ChainView, elements: Iterable[str]) -> list[str]:
    """Incidents that concern these elements, a copy on them, or the device a copy rests on, sorted.

    An incident concerns an element through ``cm:concerns`` on itself or on one of its events.
    """
    related = set(elements)
    for iri in list(related):
        related |= set(view.index.copies_on.get(iri, ()))
        if iri in view.copies and view.copies[iri].device:
            related.add(view.copies[iri].device)
    found = []
    for incident in view.incidents.values():
        events = [view.events[e] for e in incident.events if e in view.events]
        if (set(incident.concerns) | {c for e in events for c in e.concerns}) & related:
            found.append(incident.iri)
    return sorted(found)


def incident_improper(view: ChainView, elements: Iterable[str]) -> bool | None:
    """Whether an incident about these elements may have an improper purpose, as the model says.

    An incident's own ``cm:improperPurpose`` decides; else a failure mode it failed with
    that has one (an unauthorised copy: yes; a loss: no). None when nothing says.
    """
    verdicts = []
    for iri in incidents_about(view, elements):
        incident = view.incidents[iri]
        if incident.improper_purpose is not None:
            verdicts.append(incident.improper_purpose)
            continue
        verdicts += [view.failure_modes[m].improper_purpose for m in incident.failed_with
                     if m in view.failure_modes and view.failure_modes[m].improper_purpose is not None]
    return any(verdicts) if verdicts else None


def incident_date(view: ChainView, elements: Iterable[str]) -> Instant | None:
    """When the incident about these elements happened: its first exposure, else its first event."""
    dates = []
    for iri in incidents_about(view, elements):
        incident = view.incidents[iri]
        events = [view.events[e] for e in incident.events if e in view.events]
        exposures = [parse_instant(e.date) for e in events if e.kind == "exposure-began" and parse_instant(e.date)]
        found = exposures or [parse_instant(e.date) for e in events if parse_instant(e.date)]
        dates.extend(found)
    return min(dates, key=instant_sort_key) if dates else None


def _threshold_trigger(count: Count | None, threshold: int | None, source: str | None) -> Trigger:
    if threshold is None:
        return Trigger("more-than-threshold", "no", source)
    if count is None:
        return Trigger("more-than-threshold", "possibly", source, threshold=threshold, count=Count.unknown())
    verdict = count.above(threshold) if count.known else "possibly"
    return Trigger("more-than-threshold", verdict, source, threshold=threshold, count=count)


def _triggers(view: ChainView, found: Exposure, principal: str, regime: RegimeChoice,
              improper: bool | None) -> tuple[Trigger, ...]:
    details = _trigger_regime(regime)
    cited = details.triggers if details.iri == regime.regime else None  # never cite another regime's articles
    sources = [f"{cited}-{item}" if cited else None for item in _ITEMS]
    mine = [item for item in _assets_of(found).get(principal, ()) if item.holds_data_of(principal)]
    sensitive = tuple(item.asset for item in mine if item.sensitive)
    financial = tuple(item.asset for item in mine if item.financial_categories)
    people = found.principal(principal)
    people_count = people.people.count if people and people.people else None
    others = [p for p in (people.populations if people else ()) if p.unit != PEOPLE]
    threshold = _threshold_trigger(people_count, details.threshold, sources[3])
    if threshold.status != "yes" and details.threshold is not None:
        households = [p for p in others if p.unit == str(CM.Households) and p.count.low > details.threshold]
        if households:  # every household is at least one person
            threshold = Trigger("more-than-threshold", "yes", sources[3], threshold=details.threshold,
                                count=households[0].count)
        elif threshold.status == "no" and any(p.count.above(details.threshold) != "no" for p in others
                                              if p.unit != str(CM.Companies)):
            threshold = Trigger("more-than-threshold", "possibly", sources[3], threshold=details.threshold)
    return (
        Trigger("sensitive", "yes" if sensitive else "no", sources[0], sensitive),
        Trigger("financial-loss", "yes" if financial else "no", sources[1], financial),
        Trigger("improper-purpose", {True: "yes", False: "no", None: "unknown"}[improper], sources[2]),
        threshold,
    )


def _trigger_regime(regime: RegimeChoice) -> Regime:
    """The regime whose reportable situations are evaluated: the chosen one, or (where it has
    none, as guidance and ordinances do not) the mandatory regime now in force for its sectors,
    so that the answer still says what would make a report necessary today."""
    details = regime.details
    if details.triggers:
        return details
    current = [r for r in regimes() if r.end is None and r.triggers and set(r.sectors) & set(details.sectors)]
    return current[0] if current else details


def _reportable(triggers: tuple[Trigger, ...], protected: bool) -> str:
    if protected:
        return "no"
    statuses = {t.status for t in triggers}
    return "yes" if "yes" in statuses else "possibly" if "possibly" in statuses else "no"


def _same_party(view: ChainView, a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and (a == b or view.org(a) == view.org(b))


def _chains_to(view: ChainView, holder: str, principal: str, assets: set[str]) -> list[tuple[str, ...]]:
    """Consignment chains from ``principal`` down to ``holder`` that carry one of ``assets``.

    A chain carries an asset when a consignment on it entrusts the asset, a part of it or
    something it is part of, or when no consignment on it says which data it entrusts.
    """
    related = set(assets)
    for asset in assets:
        record = view.assets.get(asset)
        related |= set(record.subset_of) if record else set()
        related |= set(view.index.parts_of.get(asset, ()))
    found = []
    for chain, stated in _chains_into(view, holder).get(view.org(principal), ()) if principal is not None else ():
        if not stated or any(data & related for data in stated):
            found.append(chain)
    return sorted(set(found), key=lambda chain: (len(chain), chain))


def _chains_into(view: ChainView, holder: str) -> dict[str, list[tuple[tuple[str, ...], list[frozenset[str]]]]]:
    """The chains down to ``holder`` (or a capacity of it), by the organisation at their top, each
    with the data its consignments state; worked out once per holder (the view never changes).

    A principal's chains are those whose first consignor is the same party
    (:func:`_same_party`), so a principal looks only at its own organisation's chains.
    """
    cache = view.__dict__.setdefault("_chains_into", {})
    if holder not in cache:
        found: dict[str, list] = {}
        members = {holder} | set(view.index.capacities_of.get(holder, ()))
        for member in sorted(members):
            for last in view.index.consignments_into.get(member, ()):
                for chain in view.chains_up(last):
                    links = [view.consignments[c] for c in chain]
                    if links[0].consignor is not None:
                        found.setdefault(view.org(links[0].consignor), []).append(
                            (chain, [c.data for c in links if c.data]))
        cache[holder] = found
    return cache[holder]


def _own_bases(view: ChainView, holder: str, assets: set[str]) -> tuple[str, ...]:
    """Bases on which the holder (or one of its capacities) keeps these assets on its own account."""
    members = {holder} | set(view.index.capacities_of.get(holder, ()))
    return tuple(sorted({cover.basis for member in members for asset in assets
                         for cover in covers(view, member, asset) if cover.on_own_account}))


def _route(view: ChainView, holder: str, principal: str, assets: set[str]) -> Route:
    if _same_party(view, holder, principal):
        return Route(holder, principal)
    own = _own_bases(view, holder, assets)
    if own:
        return Route(holder, holder, bases=own)
    chains = _chains_to(view, holder, principal, assets)
    if chains:
        return Route(holder, holder, chains[0])
    for transfer in _transfers_into(view, holder, assets):
        sender = view.handoffs[transfer].sender
        if sender is None or _same_party(view, sender, holder):
            continue
        if _same_party(view, sender, principal):
            return Route(holder, principal, (), "no-chain", transfer)
        chains = _chains_to(view, sender, principal, assets)
        return Route(holder, sender, chains[0] if chains else (), "no-chain", transfer)
    return Route(holder, principal, (), "no-chain")


def _transfers_into(view: ChainView, holder: str, assets: set[str]) -> list[str]:
    carrying = _received_by_asset(view, holder)
    return sorted({h for asset in assets for h in carrying.get(asset, ())})


def _received_by_asset(view: ChainView, holder: str) -> dict[str, list[str]]:
    """Asset -> the data provisions into ``holder`` (or a capacity of it) that carry it, once per holder."""
    cache = view.__dict__.setdefault("_received_by_asset", {})
    if holder not in cache:
        found: dict[str, list[str]] = {}
        for member in {holder} | set(view.index.capacities_of.get(holder, ())):
            for handoff in view.index.data_received_by.get(member, ()):
                for asset in view.handoffs[handoff].carries:
                    found.setdefault(asset, []).append(handoff)
        cache[holder] = found
    return cache[holder]


def _regime_of(view: ChainView, principal: str, when: Instant | None) -> RegimeChoice:
    """:func:`~chainmodel.law.regime_for` the principal's sector, once per principal and date."""
    cache = view.__dict__.setdefault("_regime_of", {})
    key = (principal, when)
    if key not in cache:
        cache[key] = regime_for(sector_of(view, principal), when)
    return cache[key]


def _assets_of(found: Exposure) -> dict[str, list]:
    """Principal -> the exposed assets that hold its data, in the exposure's order (worked out once)."""
    cache = found.__dict__.get("_assets_of")
    if cache is None:
        cache = {}
        for item in found.assets:
            for principal in item.principals:
                cache.setdefault(principal, []).append(item)
        found.__dict__["_assets_of"] = cache  # the exposure is frozen: a cache, not a field
    return cache


def _status(regime: RegimeChoice, reportable: str) -> str:
    if not regime.mandatory:
        return "guidance"
    return "required" if reportable == "yes" else "possibly-required"


def _notifications(view: ChainView, principal: str, regime: RegimeChoice, routes: tuple[Route, ...],
                   triggers: tuple[Trigger, ...], reportable: str, subjects: list[str],
                   when: Instant | None) -> tuple[Notification, ...]:
    status = _status(regime, reportable)
    because = tuple(t.code for t in triggers if t.status in ("yes", "possibly"))
    trigger_sources = tuple(t.source for t in triggers if t.status in ("yes", "possibly") and t.source)
    found: dict[tuple[str, str], Notification] = {}

    def add(sender: str, recipient: str, rule: str, sources: tuple[str, ...], own: str | None = None) -> None:
        if sender != recipient and (sender, recipient) not in found:
            found[(sender, recipient)] = Notification(sender, recipient, RULE_IRI(rule), principal,
                                                      tuple(s for s in sources if s), own or status, because)

    details = regime.details
    for route in routes:
        if route.bases:  # the holder answers for its own copy as a principal would
            for regulator in view.regulators or (REGULATOR,):
                add(route.holder, regulator, "principal-reports-to-regulator",
                    (details.regulator_report or "",) + trigger_sources)
            continue
        for consignment in reversed(route.chain):  # each consignee under the rules that bind it
            link = view.consignments[consignment]
            own = _regime_of(view, link.consignee, when)
            add(link.consignee, link.consignor, "consignee-notifies-consignor", (own.details.consignee_notice or "",),
                _status(own, reportable))
        if route.gap and route.notifier != principal and not route.chain:
            add(route.notifier, principal, "sender-answers-for-unbased-transfer", (RULE_IRI("appi-27-1"),))
    for regulator in view.regulators or (REGULATOR,):
        add(principal, regulator, "principal-reports-to-regulator", (details.regulator_report or "",) + trigger_sources)
    for group in subjects or [PEOPLE_CONCERNED]:
        add(principal, group, "principal-notifies-subjects", (details.subject_notice or details.regulator_report or "",))
    return tuple(found.values())


def reporting_duties(view: ChainView, found: Exposure, holders: Iterable[str], *, when: Instant | None = None,
                     improper: bool | None = None, protected_by: Iterable[str] = ()) -> tuple[PrincipalDuty, ...]:
    """The reporting duties an exposure triggers, per principal whose data is exposed.

    Parameters
    ----------
    view : ChainView
    found : Exposure
        What is exposed (see :func:`chainmodel.exposure.exposure`).
    holders : iterable of str
        The parties that held the exposed data when it left.
    when : Instant, optional
        The incident's date; decides the regime (None: the rules in force now, flagged).
    improper : bool, optional
        Whether the data may have left through an improper act (theft, intrusion, an
        insider); None when the cause is not known.
    protected_by : iterable of str
        Preventive controls that rule a leak out: with any, nothing is reportable.

    Returns
    -------
    tuple of PrincipalDuty
        One per principal with data in the exposure, sorted by principal IRI.
    """
    protected = tuple(sorted(set(protected_by)))
    holders = sorted(set(holders))
    duties = []
    assets_of = _assets_of(found)
    for principal in sorted(assets_of):
        mine = {item.asset for item in assets_of[principal] if item.holds_data_of(principal)}
        if not mine:
            continue
        regime = _regime_of(view, principal, when)
        triggers = _triggers(view, found, principal, regime, improper)
        reportable = _reportable(triggers, bool(protected))
        routes = tuple(_route(view, holder, principal, mine) for holder in holders)
        subjects = sorted({s for asset in mine for s in view.assets[asset].subjects})
        notifications = () if reportable == "no" else _notifications(view, principal, regime, routes, triggers,
                                                                     reportable, subjects, when)
        duties.append(PrincipalDuty(principal, regime, triggers, reportable, routes, notifications, protected))
    return tuple(duties)
