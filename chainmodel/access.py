"""People and access: who can reach which data, through which accounts and systems.

A person (``cm:Person``) works for an organisation (``cm:worksFor``) and may be placed at
another (``cm:placedAt``: a worker dispatched by a staffing agency works under the client's
direction). The organisation a person acts for is where they are placed, else their
employer: that organisation supervises them as its own staff (APPI Art. 24; PPC General
Guidelines 3-4-3 count dispatched workers among them).

A person reaches data through the accounts they use (``cm:usedBy``): each opens systems
(``cm:grantsAccessTo``), and whoever gets into a system reaches the systems it connects to
(``cm:connectsTo``). An administrator's account reads every copy on those systems; another
account reads only the assets it names (``cm:readsData``), or every copy when it names none.
A person also reaches copies they hold, or that rest on a device they hold.

Data that leaves travels on along every data provision its holder makes that no basis covers
(:func:`onward`): an insider's sale to a list broker, the broker's sales to its buyers.

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.views import chain_view
>>> view = chain_view(load_model(["examples/case-a-laptop"]))
>>> [a.rsplit("#")[1] for a in reach(view, "https://example.org/chainmodel/case-a#foundation").assets]  # holds the laptop
['applicant-records', 'kenshin-navi-addresses']
>>> systems_reached(view, ["https://example.org/chainmodel/case-a#laptop"])
('https://example.org/chainmodel/case-a#laptop',)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .basis import transfer_without_basis
from .views import Account, ChainView

__all__ = ["Reach", "acting_for", "reach", "systems_reached", "systems_reaching", "copies_reached", "account_copies",
           "personal_assets", "onward", "Onward"]


@dataclass(frozen=True)
class Reach:
    """What one person can reach.

    ``accounts`` are the accounts they use, ``systems`` every system those open (connected
    ones included), ``administrator_on`` the systems where one of their accounts is an
    administrator's, ``shared`` the shared accounts among them, ``copies`` the copies they can
    read and ``assets`` the personal data in them (anonymised data left out), all sorted.
    """

    person: str
    accounts: tuple[str, ...] = ()
    systems: tuple[str, ...] = ()
    administrator_on: tuple[str, ...] = ()
    shared: tuple[str, ...] = ()
    copies: tuple[str, ...] = ()
    assets: tuple[str, ...] = ()


def acting_for(view: ChainView, person: str) -> str | None:
    """The organisation a person acts for: where they are placed, else whom they work for.

    Parameters
    ----------
    view : ChainView
    person : str
        The IRI of a ``cm:Person``.

    Returns
    -------
    str or None
        The first organisation the person is placed at (``cm:placedAt``), else the first they
        work for (``cm:worksFor``); None when the view holds no such person or neither is stated.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> acting_for(chain_view(load_model(["examples/case-a-laptop"])), "urn:nobody") is None
    True
    """
    record = view.persons.get(person)
    if record is None:
        return None
    chosen = record.placed_at or record.works_for
    return chosen[0] if chosen else None


def systems_reached(view: ChainView, systems: Iterable[str]) -> tuple[str, ...]:
    """The systems given and every system they connect to, transitively, sorted.

    Parameters
    ----------
    view : ChainView
    systems : iterable of str
        The IRIs of the systems to start from; empty strings are skipped.

    Returns
    -------
    tuple of str
        The IRIs of the systems given and of every system reached from them along
        ``cm:connectsTo``, sorted. A system the view does not hold as a device is kept, but
        leads nowhere.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> systems_reached(chain_view(load_model(["examples/case-a-laptop"])), ["", "urn:elsewhere"])
    ('urn:elsewhere',)
    """
    found: set[str] = set()
    frontier = [s for s in systems if s]
    while frontier:
        system = frontier.pop()
        if system in found:
            continue
        found.add(system)
        device = view.devices.get(system)
        if device is not None:
            frontier.extend(device.connects_to)
    return tuple(sorted(found))


def copies_reached(view: ChainView, systems: Iterable[str], reads: Iterable[str] = ()) -> tuple[str, ...]:
    """Copies on these systems; with ``reads``, only the copies of those assets.

    Parameters
    ----------
    view : ChainView
    systems : iterable of str
        The IRIs of the systems whose copies count.
    reads : iterable of str, optional
        The IRIs of the assets an account may read; empty (the default) for every copy.

    Returns
    -------
    tuple of str
        The IRIs of the copies resting on those systems, of those assets when ``reads`` names
        any, sorted.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> view = chain_view(load_model(["examples/case-a-laptop"]))
    >>> A = "https://example.org/chainmodel/case-a#"
    >>> [c.rsplit("#")[1] for c in copies_reached(view, [A + "laptop"])]
    ['backup-addresses', 'backup-applicants']
    >>> [c.rsplit("#")[1] for c in copies_reached(view, [A + "laptop"], [A + "applicant-records"])]
    ['backup-applicants']
    """
    allowed = set(reads)
    found = {c for system in systems for c in view.index.copies_on.get(system, ())
             if not allowed or view.copies[c].asset in allowed}
    return tuple(sorted(found))


def personal_assets(view: ChainView, copies: Iterable[str]) -> tuple[str, ...]:
    """The personal data (assets of the model, not anonymised) the given copies hold, sorted."""
    assets = {view.copies[c].asset for c in copies}
    return tuple(sorted(a for a in assets if a in view.assets and not view.assets[a].anonymised))


def account_copies(view: ChainView, account: Account) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What one account opens: the systems (connected ones included) and the copies on them it
    may read (every copy for an administrator's account, else those of the assets it reads)."""
    opened = systems_reached(view, account.systems)
    return opened, copies_reached(view, opened, () if account.administrator else account.reads)


def systems_reaching(view: ChainView, device: str | None) -> tuple[str, ...]:
    """The systems from which ``device`` can be reached along cm:connectsTo, however many hops
    (the way an intrusion came in), sorted."""
    found, todo = set(), [device] if device else []
    while todo:
        for source in view.index.connected_from.get(todo.pop(), ()):
            if source not in found:
                found.add(source)
                todo.append(source)
    return tuple(sorted(found - {device}))


def reach(view: ChainView, person: str) -> Reach:
    """Everything ``person`` can reach through accounts, held copies and held devices.

    Parameters
    ----------
    view : ChainView
    person : str
        The IRI of a party (usually a ``cm:Person``).

    Returns
    -------
    Reach

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> reach(chain_view(load_model(["examples/case-a-laptop"])), "urn:nobody")
    Reach(person='urn:nobody', accounts=(), systems=(), administrator_on=(), shared=(), copies=(), assets=())
    """
    accounts = sorted(a.iri for a in view.accounts.values() if person in a.users)
    systems: set[str] = set()
    administrator_on: set[str] = set()
    copies: set[str] = set(view.index.copies_held_by.get(person, ()))
    for device in view.devices.values():
        if device.holder == person:
            copies |= set(view.index.copies_on.get(device.iri, ()))
    for iri in accounts:
        opened, opened_copies = account_copies(view, view.accounts[iri])
        systems |= set(opened)
        copies |= set(opened_copies)
        if view.accounts[iri].administrator:
            administrator_on |= set(opened)
    shared = tuple(a for a in accounts if view.accounts[a].shared)
    return Reach(person, tuple(accounts), tuple(sorted(systems)), tuple(sorted(administrator_on)), shared,
                 tuple(sorted(copies)), personal_assets(view, copies))


@dataclass(frozen=True)
class Onward:
    """Where data travels after it reaches its first unauthorised parties.

    ``transfers`` are the data provisions without a basis that carry it on, in the order
    they are reached (breadth first, each sorted); ``parties`` every party reached after the
    first ones, in the same order; ``carried`` maps each of those parties to the assets that
    reached it.
    """

    transfers: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    carried: tuple[tuple[str, tuple[str, ...]], ...] = ()


def onward(view: ChainView, first: Iterable[str], assets: Iterable[str], lineage: set[str] | None = None) -> Onward:
    """Follow data from the parties it first reached along every transfer that has no basis.

    A transfer carries the data on when its sender has it, it carries one of the assets (or
    a part, a whole or a derivation of one: ``lineage``), and no basis covers its receiver
    for it (:func:`chainmodel.basis.transfer_without_basis`). Anonymised data is followed
    too, as a guarded provision's is.

    Parameters
    ----------
    view : ChainView
    first : iterable of str
        The IRIs of the parties the data reached first; they hold all of it.
    assets : iterable of str
        The IRIs of the assets that reached them.
    lineage : set of str, optional
        The assets to follow in place of ``assets``: the assets given with their wholes and
        derivations, as the caller worked them out. The parts of each are added here either way.

    Returns
    -------
    Onward
        The transfers followed, the parties reached after the first ones, and what reached each.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> view = chain_view(load_model(["examples/case-a-laptop"]))
    >>> onward(view, ["urn:chainmodel:reached:whoever-finds-or-takes-the-device"], []).parties
    ()
    """
    related = set(lineage) if lineage is not None else set(assets)
    frontier_parts = list(related)
    while frontier_parts:  # a holder of the whole can pass on any part of it
        for part in view.index.parts_of.get(frontier_parts.pop(), ()):
            if part not in related:
                related.add(part)
                frontier_parts.append(part)
    held: dict[str, set[str]] = {party: set(related) for party in first}
    order: list[str] = []
    transfers: list[str] = []
    frontier = sorted(held)
    while frontier:
        following: list[str] = []
        for party in frontier:
            for iri in view.index.data_sent_by.get(party, ()):
                handoff = view.handoffs[iri]
                moved = set(handoff.carries) & (held[party] | related)
                if not moved or iri in transfers or not handoff.receiver:
                    continue
                if transfer_without_basis(view, iri) is None:
                    continue
                transfers.append(iri)
                receiver = handoff.receiver
                if receiver not in held:
                    held[receiver] = set()
                    order.append(receiver)
                    following.append(receiver)
                held[receiver] |= moved
        frontier = sorted(set(following))
    carried = tuple((party, tuple(sorted(held[party]))) for party in order)
    return Onward(tuple(transfers), tuple(order), carried)
