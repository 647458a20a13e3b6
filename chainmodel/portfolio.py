"""Answers a person can read at thousands of principals: groups, filters and limits.

A portfolio of 2,000 principals sharing a few hundred consignees has thousands of single
points of failure, findings and blast ranks; most are the same thing at the same place.
This module groups them by what they have in common and keeps every member:

* single points of failure: the same harm, the same kind of element, at the same operating
  consignee and tier (the operator's shallowest tier in any chain); what principals operate
  themselves is grouped by harm and kind alone, at tier 0;
* findings: the same rule (and so the same severity);
* blast ranks: the same kind of element at the same tier (parties by tier, devices by
  whether they are portable).

Each group has its members (most exposed first), the principals it touches, and its worst
member; groups are ranked by their worst member's exposure, then by size. Filters keep
what concerns a principal, a party, a tier, a rule, a severity or a harm kind, on every
command; ``top`` keeps the first groups, or the first members when nothing is grouped.

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.views import chain_view
>>> from chainmodel.leaks import single_points_of_failure
>>> view = chain_view(load_model(["examples/case-b-optout"]))
>>> groups = group_leaks(view, single_points_of_failure(view))
>>> [(g.key[0], g.key[1], g.key[3], len(g.members)) for g in groups][:3]
[('guarded-provision', 'hand-off', 0, 1), ('guarded-provision', 'hand-off', 1, 1), ('guarded-provision', 'hand-off', 2, 1)]
>>> groups[-2].key[0], len(groups[-2].members)
('misdirected-data', 2)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Sequence, TypeVar

from .blast import Blast
from .errors import ArgumentError
from .findings import HARM_KINDS, SEVERITIES, Finding
from .leaks import Leak
from .views import ChainView

__all__ = ["Group", "Filters", "group_leaks", "group_findings", "group_blasts", "filter_leaks", "filter_findings",
           "filter_blasts", "party_tier"]

T = TypeVar("T")



@dataclass(frozen=True)
class Group:
    """Members that have the same key, most exposed first.

    ``key`` is a tuple of plain values (kinds, IRIs, tiers) that says what the members
    share; ``members`` indexes into the list that was grouped; ``principals`` are the
    principals the members touch, sorted; ``worst`` is the index of the first member.
    """

    key: tuple
    members: tuple[int, ...]
    principals: tuple[str, ...]

    @property
    def worst(self) -> int:
        return self.members[0]


@dataclass(frozen=True)
class Filters:
    """What to keep: items that concern this principal, party, tier, rule, severity or harm kind.

    Every criterion given must hold; an empty filter keeps everything.

    Examples
    --------
    >>> Filters(severity="error").active, Filters().active
    (True, False)
    """

    principal: str | None = None
    party: str | None = None
    tier: int | None = None
    rule: str | None = None
    severity: str | None = None
    harm: str | None = None

    def __post_init__(self) -> None:
        if self.severity is not None and self.severity not in SEVERITIES:
            raise ArgumentError(f"severity {self.severity!r}: choose one of {', '.join(SEVERITIES)}")
        if self.harm is not None and self.harm not in HARM_KINDS:
            raise ArgumentError(f"harm kind {self.harm!r}: choose one of {', '.join(HARM_KINDS)}")
        if self.tier is not None and self.tier < 0:
            raise ArgumentError(f"tier {self.tier}: give 0 for principals, 1 for consignees, 2 and more below")

    @property
    def active(self) -> bool:
        return any(value is not None for value in self.__dict__.values())


def party_tier(view: ChainView, party: str | None) -> int | None:
    """The shallowest tier a party (or its organisation) is consigned at; 0 for a principal; None if neither.

    Parameters
    ----------
    view : ChainView
    party : str or None
        The IRI of a party.

    Returns
    -------
    int or None
        The lowest known tier of a consignment into the party, its organisation or any
        capacity its organisation acts in; else 0 when one of these is a party with the
        principal role; else None (always None for ``party`` None). Kept on ``view``, so
        each party is worked out once.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> view = chain_view(load_model(["examples/case-b-optout"]))
    >>> [party_tier(view, "https://example.org/chainmodel/case-b#" + name) for name in ("nttdata", "hospital", "ppc")]
    [2, 0, None]
    """
    cache = view.__dict__.setdefault("_party_tiers", {})
    if party not in cache:
        members = {party} | set(view.index.capacities_of.get(view.org(party) or "", ())) | {view.org(party)}
        tiers = [view.tier(c) for m in members for c in view.index.consignments_into.get(m, ())]
        known = [t for t in tiers if t is not None]
        if known:
            cache[party] = min(known)
        else:
            cache[party] = 0 if any("principal" in view.roles(m) for m in members if m in view.parties) else None
    return cache[party]


def _same_org(view: ChainView, a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and view.org(a) == view.org(b)


def _group(items: Sequence[T], key: Callable[[T], tuple], principals: Callable[[T], Iterable[str]],
           rank: Callable[[T], tuple]) -> list[Group]:
    found: dict[tuple, list[int]] = {}
    for index, item in enumerate(items):
        found.setdefault(key(item), []).append(index)
    groups = []
    for group_key, members in found.items():
        members.sort(key=lambda i: (rank(items[i]), i))
        touched = sorted({p for i in members for p in principals(items[i])})
        groups.append(Group(group_key, tuple(members), tuple(touched)))
    groups.sort(key=lambda g: (rank(items[g.worst]), -len(g.members), tuple(str(v) for v in g.key)))
    return groups


def _leak_rank(leak: Leak) -> tuple:
    return (not leak.no_failure_needed, leak.exposure.rank_key)


def group_leaks(view: ChainView, leaks: Sequence[Leak]) -> list[Group]:
    """Group single points of failure by harm, element kind, operating party and its tier.

    Key: ``(harm kind, element kind, operator, tier, no failure needed)``. Elements the principals operate
    themselves (tier 0) are one group per harm and kind, whichever principal: the operator
    is None there, as it is for an element nobody is recorded to operate (tier None).

    Parameters
    ----------
    view : ChainView
    leaks : sequence of Leak
        As :func:`chainmodel.leaks.single_points_of_failure` gives them, filtered or not.

    Returns
    -------
    list of Group
        The operator in a key is the organisation of the leak's first operator and its tier
        is :func:`party_tier`'s. Members are indexes into ``leaks``, harms that need no
        failure first, then most exposed first; the principals are the members' accountable
        parties. Groups are ranked by their worst member, then by size (largest first),
        then by key.
    """
    def key(leak: Leak) -> tuple:
        operator = view.org(leak.operators[0]) if leak.operators else None
        tier = party_tier(view, operator)
        return (leak.harm_kind, leak.element_kind, operator if tier else None, tier, leak.no_failure_needed)

    return _group(leaks, key, lambda leak: leak.accountable, _leak_rank)


def _asset_principals(view: ChainView, asset: str) -> set[str]:
    """The principals whose data is in an asset (see :meth:`ChainView.data_principals`)."""
    return set(view.data_principals(asset))


def _finding_principals(view: ChainView, finding: Finding) -> set[str]:
    """The principals a finding's elements belong to: the roots of a consignment's chains, the
    principals whose data is in an asset (or in the asset a copy holds), the accountable party of a duty or
    of the duties a hand-off serves, a party that is a principal."""
    found: set[str] = set()
    for iri in finding.focus:
        if iri in view.consignments:
            found |= set(view.roots(iri))
        elif iri in view.assets:
            found |= _asset_principals(view, iri)
        elif iri in view.copies and view.copies[iri].asset in view.assets:
            found |= _asset_principals(view, view.copies[iri].asset)
        elif iri in view.duties and view.duties[iri].accountable:
            found.add(view.duties[iri].accountable)
        elif iri in view.handoffs:
            found |= {view.duties[d].accountable for d in view.handoffs[iri].serves if d in view.duties} - {None}
        elif iri in view.parties and "principal" in view.roles(iri):
            found.add(iri)
    return found


def group_findings(view: ChainView, findings: Sequence[Finding]) -> list[Group]:
    """Group findings by rule; errors first. Key: ``(severity, rule IRI)``.

    Parameters
    ----------
    view : ChainView
    findings : sequence of Finding
        As :func:`chainmodel.validate.validate` gives them, filtered or not.

    Returns
    -------
    list of Group
        Members are indexes into ``findings``, in the order given. The principals are those
        the members' elements belong to: the roots of a consignment's chains, the
        principals whose data is in an asset (its controllers, the principals with a share of
        it and the roots of the consignments that entrust it) or in the asset a copy holds,
        the accountable party of a duty or of the duties a hand-off serves, a party that is a
        principal. Groups are ranked by severity (error, warning, info), then by size
        (largest first), then by key.
    """
    def rank(finding: Finding) -> tuple:
        return (SEVERITIES.index(finding.severity) if finding.severity in SEVERITIES else len(SEVERITIES),)

    return _group(findings, lambda f: (f.severity, f.rule), lambda f: _finding_principals(view, f), rank)


def group_blasts(view: ChainView, blasts: Sequence[Blast]) -> list[Group]:
    """Group blast ranks by kind and tier (a party) or portability (a device). Key: ``(kind, tier or portable)``.

    Parameters
    ----------
    view : ChainView
    blasts : sequence of Blast
        As :func:`chainmodel.blast.blast_rank` gives them, filtered or not.

    Returns
    -------
    list of Group
        Keys are ``("party", tier)`` with the tier of :func:`party_tier`, ``("device",
        portable)`` with a bool, and ``(kind, None)`` for a copy or a data asset. Members are
        indexes into ``blasts``, most exposed first; the principals are those whose data the
        members expose. Groups are ranked by their worst member, then by size (largest
        first), then by key.
    """
    def key(found: Blast) -> tuple:
        if found.kind == "device":
            device = view.devices.get(found.element)
            return ("device", bool(device and device.portable))
        return (found.kind, party_tier(view, found.element) if found.kind == "party" else None)

    return _group(blasts, key, lambda found: found.principals, lambda found: (found.exposure.rank_key,))


# -- filters ---------------------------------------------------------------------------------------


def _touches(view: ChainView, parties: Iterable[str | None], wanted: str) -> bool:
    return any(_same_org(view, p, wanted) for p in parties)


def filter_leaks(view: ChainView, leaks: Sequence[Leak], filters: Filters) -> list[Leak]:
    """The single points of failure that concern what ``filters`` names (rule and severity do not apply).

    Parameters
    ----------
    view : ChainView
    leaks : sequence of Leak
    filters : Filters
        ``harm``: the leak's harm kind is this one. ``principal``: one of its accountable
        parties is of the same organisation. ``party``: one of its operators, of the parties
        it reaches, or of the senders and receivers on its path is of the same
        organisation. ``tier``: :func:`party_tier` of its first operator is this tier.

    Returns
    -------
    list of Leak
        The leaks that meet every criterion given, in the order given.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> from chainmodel.leaks import single_points_of_failure
    >>> view = chain_view(load_model(["examples/case-b-optout"]))
    >>> [leak.element.split("#")[1] for leak in filter_leaks(view, single_points_of_failure(view), Filters(tier=2))]
    ['duty-optout', 'h-report-nttdata-ldi']
    """
    def keep(leak: Leak) -> bool:
        if filters.harm and leak.harm_kind != filters.harm:
            return False
        if filters.principal and not _touches(view, leak.accountable, filters.principal):
            return False
        parties = set(leak.operators) | set(leak.reached) | {s.sender for s in leak.path} | {s.receiver for s in leak.path}
        if filters.party and not _touches(view, parties, filters.party):
            return False
        operator = leak.operators[0] if leak.operators else None
        return filters.tier is None or party_tier(view, operator) == filters.tier

    return [leak for leak in leaks if keep(leak)]


def filter_findings(view: ChainView, findings: Sequence[Finding], filters: Filters) -> list[Finding]:
    """The findings that concern what ``filters`` names (harm kind does not apply).

    Parameters
    ----------
    view : ChainView
    findings : sequence of Finding
    filters : Filters
        ``rule``: the finding's rule IRI is this one or ends with ``#`` and this name.
        ``severity``: its severity is this one. ``principal``: a principal its elements
        belong to (as in :func:`group_findings`) is of the same organisation. ``party``: a
        party in its focus, the consignor or consignee of a consignment in it, the holder of
        a copy in it, or the sender or receiver of a hand-off in it is of the same
        organisation. ``tier``: a consignment in its focus has this tier.

    Returns
    -------
    list of Finding
        The findings that meet every criterion given, in the order given.
    """
    def keep(finding: Finding) -> bool:
        if filters.rule and finding.rule != filters.rule and not finding.rule.endswith("#" + filters.rule):
            return False
        if filters.severity and finding.severity != filters.severity:
            return False
        if filters.principal and not _touches(view, _finding_principals(view, finding), filters.principal):
            return False
        if filters.party and not _touches(view, _finding_parties(view, finding), filters.party):
            return False
        tiers = {view.tier(i) for i in finding.focus if i in view.consignments}
        return filters.tier is None or filters.tier in tiers

    return [finding for finding in findings if keep(finding)]


def _finding_parties(view: ChainView, finding: Finding) -> set[str]:
    found: set[str] = set()
    for iri in finding.focus:
        if iri in view.parties:
            found.add(iri)
        elif iri in view.consignments:
            found |= {view.consignments[iri].consignor, view.consignments[iri].consignee} - {None}
        elif iri in view.copies:
            found.add(view.holder_of(view.copies[iri]))
        elif iri in view.handoffs:
            found |= {view.handoffs[iri].sender, view.handoffs[iri].receiver} - {None}
    return found - {None}


def filter_blasts(view: ChainView, blasts: Sequence[Blast], filters: Filters) -> list[Blast]:
    """The blast ranks that concern what ``filters`` names (rule, severity and harm kind do not apply).

    Parameters
    ----------
    view : ChainView
    blasts : sequence of Blast
    filters : Filters
        ``principal``: one of the principals whose data it exposes is of the same
        organisation. ``party``: the element or one of its holders is of the same
        organisation. ``tier``: :func:`party_tier` of the element (a party) or of its first
        holder in IRI order (a device, copy or asset) is this tier.

    Returns
    -------
    list of Blast
        The blast ranks that meet every criterion given, in the order given.
    """
    def keep(found: Blast) -> bool:
        if filters.principal and not _touches(view, found.principals, filters.principal):
            return False
        if filters.party and not _touches(view, set(found.holders) | {found.element}, filters.party):
            return False
        if filters.tier is not None:
            party = found.element if found.kind == "party" else (found.holders[0] if found.holders else None)
            return party_tier(view, party) == filters.tier
        return True

    return [found for found in blasts if keep(found)]
