"""Responsibility trace: every chain from a duty's accountable party down to its performer.

A chain is a path of consignments that each entrust the duty, each extending the one
before it. A duty entrusted through more than one chain is flagged, and so is a duty
whose chains never reach a party that performs it.

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.views import chain_view
>>> view = chain_view(load_model(["examples/case-b-optout"]))
>>> result = trace_duty(view, "https://example.org/chainmodel/case-b#duty-optout")
>>> [len(chain.links) for chain in result.chains]
[3, 2]
>>> result.entrusted_more_than_once
True
"""

from __future__ import annotations

from .errors import UnknownReference

from dataclasses import dataclass

from .views import ChainView

__all__ = ["Link", "Chain", "DutyTrace", "trace_duty", "trace_all", "has_no_performer", "MAX_CHAINS"]

MAX_CHAINS = 10_000
"""Chains enumerated per duty at most; past it the trace says it was cut short."""


@dataclass(frozen=True)
class Link:
    """One consignment in a chain, with the tier it has in that chain."""

    consignment: str
    consignor: str
    consignee: str
    tier: int
    approval: str | None
    approved_by: tuple[str, ...]
    supervisors: tuple[str, ...]


@dataclass(frozen=True)
class Chain:
    accountable: str | None
    performer: str | None
    links: tuple[Link, ...]
    supervisors: tuple[str, ...]
    reaches_performer: bool
    starts_at_accountable: bool


@dataclass(frozen=True)
class DutyTrace:
    duty: str
    accountable: str | None
    performers: tuple[str, ...]
    chains: tuple[Chain, ...]
    entrusted_more_than_once: bool
    no_performer: bool
    truncated: bool = False


def _chains_of(view: ChainView, duty: str) -> tuple[list[list[str]], bool]:
    entrusting = set(view.index.consignments_entrusting.get(duty, ()))
    children = {
        iri: [kid for kid in view.children.get(iri, ()) if kid in entrusting] for iri in entrusting
    }
    starts = sorted(
        iri for iri in entrusting if not any(parent in entrusting for parent in view.consignments[iri].parents)
    )
    paths: list[list[str]] = []
    truncated = False
    stack = [[start] for start in reversed(starts)]
    while stack:
        path = stack.pop()
        kids = [kid for kid in children[path[-1]] if kid not in path]
        if not kids:
            paths.append(path)
            if len(paths) >= MAX_CHAINS:
                truncated = bool(stack)
                break
            continue
        for kid in reversed(kids):
            stack.append(path + [kid])
    return paths, truncated


def _performers(view: ChainView, duty: str, paths: list[list[str]]) -> tuple[str, ...]:
    """Who performs a duty: as stated, else whoever its chains end at, else its accountable party."""
    record = view.duties[duty]
    if record.performers:
        return record.performers
    if paths:
        return tuple(sorted({view.consignments[path[-1]].consignee for path in paths}))
    return (record.accountable,) if record.accountable else ()


def _duty(view: ChainView, duty: str):
    record = view.duties.get(duty)
    if record is None:
        raise UnknownReference(f"{duty} is not a duty of the model; name one of its duties (chainmodel describe "
                               "lists them)")
    return record


def trace_duty(view: ChainView, duty: str, principal: str | None = None) -> DutyTrace:
    """Trace one duty; ``principal`` keeps only chains that start at that party (or its organisation).

    Parameters
    ----------
    view : ChainView
    duty : str
        The IRI of a duty of the model (a key of ``view.duties``).
    principal : str, optional
        The IRI of a party of the model: keep the chains whose first consignor is this party
        or of the same organisation. By default every chain is kept.

    Returns
    -------
    DutyTrace
        The duty's accountable party, its performers (as stated, else the consignees its
        chains end at, else its accountable party) and its chains, longest first, then by
        their consignment IRIs. At most :data:`MAX_CHAINS` chains are enumerated
        (``truncated`` says when there were more). ``entrusted_more_than_once`` is true when
        more than one chain is kept; ``no_performer`` when neither the accountable party nor
        any consignee on a chain kept is of the organisation of a performer.

    Raises
    ------
    UnknownReference
        ``duty`` is not a duty of the model, or ``principal`` not a party of it.
    """
    record = _duty(view, duty)
    if principal is not None and principal not in view.parties:
        raise UnknownReference(f"{principal} is not a party of the model; name one of its principals (chainmodel "
                               "describe lists them)")
    accountable = record.accountable
    paths, truncated = _chains_of(view, duty)
    performers = _performers(view, duty, paths)
    performer_orgs = {view.org(p) for p in performers}
    chains: list[Chain] = []
    for path in paths:
        links: list[Link] = []
        supervisors: list[str] = []
        for position, iri in enumerate(path, start=1):
            consignment = view.consignments[iri]
            if consignment.consignor not in supervisors:
                supervisors.append(consignment.consignor)
            links.append(
                Link(
                    consignment=iri,
                    consignor=consignment.consignor,
                    consignee=consignment.consignee,
                    tier=view.tier(iri) or position,
                    approval=consignment.approval,
                    approved_by=consignment.approved_by,
                    supervisors=tuple(supervisors),
                )
            )
        first = links[0]
        performing = [link.consignee for link in links if view.org(link.consignee) in performer_orgs]
        chains.append(
            Chain(
                accountable=accountable,
                performer=performing[-1] if performing else None,
                links=tuple(links),
                supervisors=tuple(supervisors),
                reaches_performer=bool(performing),
                starts_at_accountable=view.org(first.consignor) == view.org(accountable),
            )
        )
    if principal is not None:
        wanted = view.org(principal)
        chains = [c for c in chains if c.links[0].consignor == principal or view.org(c.links[0].consignor) == wanted]
    chains.sort(key=lambda c: (-len(c.links), [link.consignment for link in c.links]))
    performs_itself = accountable is not None and view.org(accountable) in performer_orgs
    no_performer = not performs_itself and not any(c.reaches_performer for c in chains)
    return DutyTrace(
        duty=duty,
        accountable=accountable,
        performers=tuple(performers),
        chains=tuple(chains),
        entrusted_more_than_once=len(chains) > 1,
        no_performer=no_performer,
        truncated=truncated,
    )


def has_no_performer(view: ChainView, duty: str) -> bool:
    """``trace_duty(view, duty).no_performer``, without building the chains.

    Parameters
    ----------
    view : ChainView
    duty : str
        The IRI of a duty of the model (a key of ``view.duties``).

    Returns
    -------
    bool
        True when neither the duty's accountable party nor any consignee on a chain that
        entrusts the duty is of the organisation of a performer (as stated, else the
        consignees its chains end at, else its accountable party).

    Raises
    ------
    UnknownReference
        ``duty`` is not a duty of the model.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> view = chain_view(load_model(["examples/case-b-optout"]))
    >>> has_no_performer(view, "https://example.org/chainmodel/case-b#duty-optout")
    False
    """
    record = _duty(view, duty)
    accountable = record.accountable
    paths, _ = _chains_of(view, duty)
    if not record.performers and paths:
        return False  # the chains end at whoever performs it
    performers = _performers(view, duty, paths)
    performer_orgs = {view.org(p) for p in performers}
    if accountable is not None and view.org(accountable) in performer_orgs:
        return False
    consignments = view.consignments
    return not any(view.org(consignments[iri].consignee) in performer_orgs for path in paths for iri in path)


def trace_all(view: ChainView, principal: str | None = None) -> list[DutyTrace]:
    """Trace every duty in the model, sorted by duty IRI.

    Parameters
    ----------
    view : ChainView
    principal : str, optional
        As for :func:`trace_duty`: keep only the chains that start at this party (or its
        organisation).

    Returns
    -------
    list of DutyTrace
        One :func:`trace_duty` per duty of the model.

    Raises
    ------
    UnknownReference
        ``principal`` is not a party of the model (and the model has a duty).

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> view = chain_view(load_model(["examples/case-a-laptop"]))
    >>> [(found.duty.split("#")[1], len(found.chains)) for found in trace_all(view)]
    [('duty-checkup-administration', 1), ('duty-checkups', 1), ('duty-safe-management', 1), ('duty-supervision', 0)]
    """
    return [trace_duty(view, duty, principal) for duty in sorted(view.duties)]
