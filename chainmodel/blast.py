"""Blast radius: what the compromise of one party, device, copy or asset exposes.

For the compromised element: the populations exposed, in all and per principal, with
their units, bounds and sensitive categories (:mod:`chainmodel.exposure`), the consignment
chains it sits in, and the reporting duties the exposure triggers for each principal whose
data it holds (:mod:`chainmodel.reporting`), each with the article it comes from.

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.views import chain_view
>>> view = chain_view(load_model(["examples/case-a-laptop"]))
>>> found = blast_radius(view, "https://example.org/chainmodel/case-a#laptop")
>>> people = found.exposure.people.count
>>> people.low, people.high
(171472, 181674)
>>> found.exposure.principal("https://example.org/chainmodel/case-a#resonac").people.count.figure
5747
"""

from __future__ import annotations

from dataclasses import dataclass

from .access import reach
from .errors import UnknownReference
from .exposure import Exposure, exposure, own_share
from .loading import paused_gc
from .reporting import Notification, PrincipalDuty, incident_date, incident_improper, reporting_duties
from .timepoints import Instant
from .views import ChainView

__all__ = ["Notification", "Blast", "blast_radius", "blast_rank"]


@dataclass(frozen=True)
class Blast:
    element: str
    kind: str
    holders: tuple[str, ...]
    exposure: Exposure
    chains: tuple[tuple[str, ...], ...]
    notifications: tuple[Notification, ...]
    principals: tuple[str, ...]
    protected_by: tuple[str, ...] = ()
    duties: tuple[PrincipalDuty, ...] = ()


def _element_kind(view: ChainView, iri: str) -> str:
    for kind, table in (("party", view.parties), ("device", view.devices), ("copy", view.copies), ("asset", view.assets)):
        if iri in table:
            return kind
    raise UnknownReference(f"{iri} is not a party, device, copy or data asset in the model; "
                           "blast takes one of those (see chainmodel describe for their IRIs)")


def _members(view: ChainView, party: str) -> set[str]:
    """A party and, for an organisation, every capacity it acts in."""
    return {party} | set(view.index.capacities_of.get(party, ()))


def _personal(view: ChainView, assets: set[str]) -> set[str]:
    """The assets of the model that hold personal data (not anonymised)."""
    known = view.assets
    return {a for a in assets if a in known and not known[a].anonymised}


def _held_assets(view: ChainView, iri: str, kind: str) -> tuple[set[str], set[str]]:
    """(personal data assets exposed, parties holding them) for a compromised element.

    A party exposes what it holds, receives, is entrusted with or controls; a person, also
    every copy their accounts open (:func:`chainmodel.access.reach`), held by the party whose
    systems those are.

    Anonymised data exposes nobody, whichever kind of element holds it.
    """
    index = view.index
    if kind == "asset":
        holders = {view.holder_of(c) for c in view.copies.values() if c.asset == iri}
        return _personal(view, {iri}), {h for h in holders if h}
    if kind == "copy":
        copy = view.copies[iri]
        holder = view.holder_of(copy)
        return _personal(view, {copy.asset} if copy.asset else set()), ({holder} if holder else set())
    if kind == "device":
        assets = {view.copies[c].asset for c in index.copies_on.get(iri, ()) if view.copies[c].asset}
        holder = view.devices[iri].holder
        return _personal(view, assets), ({holder} if holder else set())
    members = _members(view, iri)
    assets: set[str] = set()
    reached_holders: set[str] = set()
    copies, handoffs, consignments = view.copies, view.handoffs, view.consignments
    for member in members:
        for copy_iri in index.copies_held_by.get(member, ()):
            if copies[copy_iri].asset:
                assets.add(copies[copy_iri].asset)
        for handoff in index.data_received_by.get(member, ()):
            assets.update(handoffs[handoff].carries)
        for consignment in index.consignments_into.get(member, ()):
            assets.update(consignments[consignment].data)
        assets.update(index.assets_controlled_by.get(member, ()))
        if member in view.persons:  # a person reaches copies through accounts, held by the party they work at
            for copy_iri in reach(view, member).copies:
                holder = view.holder_of(copies[copy_iri])
                assets.update((copies[copy_iri].asset,) if copies[copy_iri].asset else ())
                reached_holders.update((holder,) if holder else ())
    return _personal(view, assets), members | reached_holders


def _only_controls(view: ChainView, party: str, assets: set[str]) -> bool:
    """Whether a party comes to these assets only as their controller, holding, receiving and
    being entrusted with none of them (a principal whose data others hold)."""
    if not assets or party in view.persons:
        return False
    index = view.index
    for member in _members(view, party):
        if index.copies_held_by.get(member) or index.data_received_by.get(member) or \
                index.consignments_into.get(member):
            return False
    return True


def _chains_up(view: ChainView, consignment: str) -> list[str]:
    chain = [consignment]
    while view.consignments[chain[0]].parents:
        parent = sorted(view.consignments[chain[0]].parents)[0]
        if parent in chain or parent not in view.consignments:
            break
        chain.insert(0, parent)
    return chain


def _protection(view: ChainView, element: str, kind: str) -> tuple[str, ...]:
    """Preventive controls on a device or copy that rule a leak out."""
    if kind not in ("device", "copy"):
        return ()
    covered = {element}
    if kind == "copy" and view.copies[element].device:
        covered.add(view.copies[element].device)
    return tuple(sorted({k for target in covered for k in view.index.controls_covering.get(target, ())
                         if view.controls[k].kind == "preventive" and view.controls[k].rules_out_leak}))


def _flatten(duties: tuple[PrincipalDuty, ...]) -> tuple[Notification, ...]:
    """Every principal's notifications, each (sender, recipient) pair once, in order."""
    seen: set[tuple[str, str]] = set()
    found = []
    for duty in duties:
        for notification in duty.notifications:
            if (notification.sender, notification.recipient) not in seen:
                seen.add((notification.sender, notification.recipient))
                found.append(notification)
    return tuple(found)


def blast_radius(view: ChainView, element: str, _memo: tuple[dict, dict] | None = None, *,
                 when: Instant | None = None, improper: bool | None = None) -> Blast:
    """What the compromise of ``element`` (party, device, copy or asset) exposes, and who must report it.

    Parameters
    ----------
    view : ChainView
    element : str
        The IRI of a party, device, copy or data asset.
    when : Instant, optional
        The date of the compromise; by default, that of an incident the model records about
        the element, if any (it decides which reporting rules apply).
    improper : bool, optional
        Whether the compromise may be an improper act; by default what an incident the model
        records about the element says (None: not known).

    Raises
    ------
    UnknownReference
        ``element`` is not a party, device, copy or data asset of the model.
    """
    known_chains, known_items = _memo if _memo is not None else ({}, {})
    kind = _element_kind(view, element)
    assets, holders = _held_assets(view, element, kind)
    found = exposure(view, assets, known_items)
    own = kind == "party" and _only_controls(view, element, assets)
    if own:
        found = own_share(found, element)  # a principal's own data, not the totals of assets it shares
    relevant = [c for h in holders for c in view.index.consignments_into.get(h, ())]
    if kind == "asset":
        relevant += view.index.consignments_with_data.get(element, ())
    for consignment in relevant:
        if consignment not in known_chains:
            known_chains[consignment] = tuple(_chains_up(view, consignment))
    chains = sorted({known_chains[c] for c in relevant})
    protected_by = _protection(view, element, kind)
    data_holders = holders if kind != "party" else (holders - _members(view, element)) or {element}
    duties = reporting_duties(view, found, data_holders, protected_by=protected_by,
                              improper=improper if improper is not None else incident_improper(view, [element]),
                              when=when if when is not None else incident_date(view, [element]))
    if own:
        duties = tuple(duty for duty in duties if duty.principal == element)
    return Blast(
        element=element,
        kind=kind,
        protected_by=protected_by,
        holders=tuple(sorted(holders)),
        exposure=found,
        chains=tuple(chains),
        notifications=_flatten(duties),
        principals=tuple(duty.principal for duty in duties),
        duties=duties,
    )


def blast_rank(view: ChainView, limit: int | None = None) -> list[Blast]:
    """Parties and devices whose compromise exposes the most, across all principals.

    Parameters
    ----------
    view : ChainView
    limit : int, optional
        Keep the first ``limit`` results; None (the default) or 0 keeps them all.

    Returns
    -------
    list of Blast
        The :func:`blast_radius` of every party that is neither a regulator nor a group of
        data subjects, and of every device, whose compromise exposes personal data. Sorted
        most exposed first (people at least, at most, then sensitive categories), then by
        the number of principals whose data it exposes (most first), then by IRI.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> view = chain_view(load_model(["examples/case-a-laptop"]))
    >>> [found.element.split("#")[1] for found in blast_rank(view, 3)]
    ['foundation', 'medical-institutions', 'laptop']
    """
    candidates = [p for p in view.parties if "regulator" not in view.parties[p].roles
                  and "data-subjects" not in view.parties[p].roles]
    candidates += list(view.devices)
    memo: tuple[dict, dict] = ({}, {})  # parties share consignments and assets: each is worked out once
    with paused_gc():  # many result objects, none in a cycle: the collector would re-walk them all
        results = [blast_radius(view, iri, memo) for iri in sorted(candidates)]
        results = [r for r in results if r.exposure.assets]
        results.sort(key=lambda r: (r.exposure.rank_key, -len(r.principals), r.element))
    return results[:limit] if limit else results
