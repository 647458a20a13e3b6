"""What a set of data assets exposes: the populations reached, per unit and per principal.

Each asset's total and each principal's share (``cm:countFor``) are read with their units
and qualifiers; the populations reached are then joined with
:func:`chainmodel.population.union`, so overlapping assets are not added up and different
units never are. A principal is charged with its own share of each asset, never the
asset's total; the part of an asset no named principal accounts for is kept apart, with its
bounds. When exactly one controller of an asset has no share of its own, it answers for
the rest.

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.views import chain_view
>>> view = chain_view(load_model(["examples/case-a-laptop"]))
>>> found = exposure(view, ["https://example.org/chainmodel/case-a#applicant-records",
...                         "https://example.org/chainmodel/case-a#kenshin-navi-addresses"])
>>> people = found.people.count
>>> people.low, people.high
(171472, 181674)
>>> found.principal("https://example.org/chainmodel/case-a#resonac").people.count.figure
5747
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from typing import Iterable, Iterator, Mapping

from .namespace import CM
from .population import Count, Item, Relations, Union, union
from .views import ChainView, DataAsset

__all__ = ["Share", "AssetExposure", "Population", "PrincipalExposure", "Exposure", "exposure", "own_share",
           "asset_exposure", "asset_count", "UNIT_ORDER", "PEOPLE"]

PEOPLE = str(CM.People)
UNIT_ORDER = (PEOPLE, str(CM.Households), str(CM.Records), str(CM.Companies))
"""Units in the order they are reported; a model's own units follow, by IRI."""

_QUALIFIERS = {str(CM.About): "about", str(CM.AtMost): "at-most", str(CM.AtLeast): "at-least"}


@dataclass(frozen=True)
class Share:
    """One principal's part of an asset.

    ``stated`` is False when the model gives no count for this principal and the share is
    derived: the rest of the asset for its one uncounted controller, else unknown (with the
    rest of the asset as its upper bound).
    """

    principal: str
    count: Count
    stated: bool = True


@dataclass(frozen=True)
class AssetExposure:
    """One asset: its total, each principal's share, and the part no named principal accounts for."""

    asset: str
    unit: str
    total: Count
    shares: tuple[Share, ...]
    unattributed: Count | None
    sensitive: bool
    sensitive_categories: tuple[str, ...]
    financial_categories: tuple[str, ...]
    controllers: tuple[str, ...]

    @cached_property
    def principals(self) -> tuple[str, ...]:
        """Every party whose data is in the asset: controllers and principals with a share."""
        return tuple(sorted(set(self.controllers) | {share.principal for share in self.shares}))

    def holds_data_of(self, principal: str) -> bool:
        """Whether some of the principal's data is in the asset: it controls it, or its share is
        not known to be 0."""
        share = self.share(principal)
        return principal in self.controllers or (share is not None and share.count.high != 0)

    def share(self, principal: str) -> Share | None:
        """The principal's share of the asset, or None."""
        return self._shares.get(principal)

    @cached_property
    def _shares(self) -> dict[str, Share]:
        found: dict[str, Share] = {}
        for share in self.shares:
            found.setdefault(share.principal, share)  # the first, as a search in order would find it
        return found


@dataclass(frozen=True)
class Population:
    """The union of the populations reached, in one unit."""

    unit: str
    union: Union

    @property
    def count(self) -> Count:
        return self.union.count


@dataclass(frozen=True)
class PrincipalExposure:
    """What is exposed of one principal's data, per unit."""

    principal: str
    populations: tuple[Population, ...]

    @property
    def people(self) -> Population | None:
        return next((p for p in self.populations if p.unit == PEOPLE), None)


@dataclass(frozen=True)
class Exposure:
    """The populations a set of assets reaches, in all and per principal."""

    assets: tuple[AssetExposure, ...]
    populations: tuple[Population, ...]
    principals: tuple[PrincipalExposure, ...]
    sensitive: bool
    sensitive_categories: tuple[str, ...]
    financial_categories: tuple[str, ...]

    @property
    def people(self) -> Population | None:
        """The people reached (None when no asset counts people)."""
        return next((p for p in self.populations if p.unit == PEOPLE), None)

    def principal(self, iri: str) -> PrincipalExposure | None:
        """What is exposed of one principal's data, or None."""
        return self._by_principal.get(iri)

    @cached_property
    def _by_principal(self) -> dict[str, PrincipalExposure]:
        found: dict[str, PrincipalExposure] = {}
        for item in self.principals:
            found.setdefault(item.principal, item)
        return found

    @property
    def subjects(self) -> int | None:
        """The number of people when it is one exact figure, else None."""
        people = self.people
        return people.count.low if people and people.count.exact else (0 if people is None and not self.assets else None)

    @property
    def known_subjects(self) -> int:
        """At least this many people."""
        people = self.people
        return people.count.low if people else 0

    @property
    def rank_key(self) -> tuple:
        """Sort key, most exposed first: people at least, at most, then sensitive categories."""
        people = self.people.count if self.people else Count.exactly(0)
        high = people.high if people.high is not None else float("inf")
        return (-people.low, -high, -len(self.sensitive_categories), not self.sensitive)


def _unit_key(unit: str) -> tuple:
    return (UNIT_ORDER.index(unit), "") if unit in UNIT_ORDER else (len(UNIT_ORDER), unit)


def asset_count(asset: DataAsset) -> Count:
    """The asset's total as stated (``cm:subjectCount`` with its qualifier).

    Parameters
    ----------
    asset : DataAsset

    Returns
    -------
    Count
        The stated count: exact, about (approximate), at most (from 0) or at least (no upper
        bound), as its ``cm:countQualifier`` says; unknown when the asset states no count.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> view = chain_view(load_model(["examples/case-a-laptop"]))
    >>> asset_count(view.assets["https://example.org/chainmodel/case-a#applicant-records"])
    Count(low=171472, high=171472, approximate=False, known=True)
    >>> asset_count(view.assets["https://example.org/chainmodel/case-a#checkup-results"]).known
    False
    """
    return Count.stated(asset.subject_count, _QUALIFIERS.get(asset.count_qualifier or ""))


def _rest(total: Count, named: Count) -> Count:
    """What is left of ``total`` once the named shares are taken out."""
    if not total.known:
        return Count.unknown()
    low = max(0, total.low - named.high) if named.high is not None else 0
    high = max(0, total.high - named.low) if total.high is not None else None
    return Count(low, high, total.approximate or named.approximate)


def asset_exposure(view: ChainView, iri: str) -> AssetExposure | None:
    """One asset's total and shares, or None when the asset is not in the view.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> view = chain_view(load_model(["examples/case-a-laptop"]))
    >>> item = asset_exposure(view, "https://example.org/chainmodel/case-a#applicant-records")
    >>> item.total.figure, [s.count.figure for s in item.shares], item.unattributed.figure
    (171472, [5747], 165725)
    """
    memo = view.__dict__.setdefault("_asset_exposure", {})  # the view never changes: each asset once
    if iri not in memo:
        memo[iri] = _asset_exposure(view, iri)
    return memo[iri]


def _asset_exposure(view: ChainView, iri: str) -> AssetExposure | None:
    asset = view.assets.get(iri)
    if asset is None:
        return None
    qualifiers = dict(asset.count_qualifiers)
    stated = [Share(p, Count.stated(n, _QUALIFIERS.get(qualifiers.get(p, "")))) for p, n in asset.counts]
    named = sum((s.count for s in stated), Count.exactly(0))
    rest = _rest(asset_count(asset), named)
    uncounted = sorted(set(view.data_principals(iri)) - {s.principal for s in stated})
    if len(uncounted) == 1 and uncounted[0] in asset.controllers:  # the controller holds what no one else does
        shares = stated + [Share(uncounted[0], rest, stated=False)]
        unattributed = None
    else:
        partial = Count(0, rest.high, rest.approximate, rest.known)
        shares = stated + [Share(p, partial, stated=False) for p in uncounted]
        unattributed = None if rest.exact and rest.low == 0 else rest
    return AssetExposure(
        asset=iri,
        unit=asset.unit or PEOPLE,
        total=asset_count(asset),
        shares=tuple(sorted(shares, key=lambda s: s.principal)),
        unattributed=unattributed,
        sensitive=asset.sensitive,
        sensitive_categories=asset.sensitive_categories,
        financial_categories=asset.financial_categories,
        controllers=asset.controllers,
    )


class _ShareCounts(Mapping):
    """Asset -> a principal's share of it (or the asset's total), worked out when asked."""

    def __init__(self, view: ChainView, assets: frozenset[str], principal: str | None):
        self.view, self.assets, self.principal = view, assets, principal

    def __getitem__(self, iri: str) -> Count:
        found = self._count(iri)
        if found is None:
            raise KeyError(iri)
        return found

    def __contains__(self, iri) -> bool:
        return self._count(iri) is not None

    def _count(self, iri: str) -> Count | None:
        item = asset_exposure(self.view, iri) if iri in self.assets else None
        share = item and (item.share(self.principal) if self.principal else None)
        return (item.total if self.principal is None else share.count if share else None) if item else None

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.assets))

    def __len__(self) -> int:
        return len(self.assets)


def _relations(view: ChainView, unit: str, principal: str | None) -> Relations:
    """How the view's assets of one unit relate, with the counts that may cap a union.

    The relations are built once per view and unit and shared by every principal (kept on
    the view, which never changes); only the capping counts differ.
    """
    cache = view.__dict__.setdefault("_population_relations", {})
    if unit not in cache:
        same_unit = frozenset(iri for iri, a in view.assets.items() if (a.unit or PEOPLE) == unit)

        def keep(values) -> list[str]:
            return [v for v in values if v in same_unit]

        assets = view.assets
        cache[unit] = Relations(
            subsets={iri: keep(assets[iri].subset_of) for iri in same_unit},
            same={iri: keep(assets[iri].same_population) for iri in same_unit},
            disjoint={iri: keep(assets[iri].disjoint) for iri in same_unit},
            overlapping={iri: keep(assets[iri].overlaps) for iri in same_unit},
            counts=_ShareCounts(view, same_unit, None),
        )
    base = cache[unit]
    return base if principal is None else base.with_counts(_ShareCounts(view, base.counts.assets, principal))


def _populations(view: ChainView, items: list[tuple[str, str, Count]], principal: str | None) -> tuple[Population, ...]:
    by_unit: dict[str, list[Item]] = {}
    for unit, key, count in items:
        by_unit.setdefault(unit, []).append(Item(key, count))
    return tuple(Population(unit, union(found, _relations(view, unit, principal)))
                 for unit, found in sorted(by_unit.items(), key=lambda entry: _unit_key(entry[0])))


def exposure(view: ChainView, assets: Iterable[str], memo: dict | None = None) -> Exposure:
    """The union of what the given assets expose (assets not in the view are skipped).

    ``memo`` (asset -> its :class:`AssetExposure`) may be shared by callers that work out
    many overlapping sets of assets.

    Parameters
    ----------
    view : ChainView
    assets : iterable of str
        Asset IRIs.
    memo : dict, optional

    Returns
    -------
    Exposure
    """
    wanted = frozenset(assets)
    known = view.__dict__.setdefault("_exposure", {})  # the view never changes: each set of assets once
    found = known.get(wanted)
    if found is None:
        found = known[wanted] = _exposure(view, wanted, memo)
    return found


def _exposure(view: ChainView, assets: frozenset[str], memo: dict | None) -> Exposure:
    items: list[AssetExposure] = []
    for iri in sorted(assets):
        item = memo.get(iri) if memo is not None else None
        if item is None:
            item = asset_exposure(view, iri)
            if item is None:
                continue
            if memo is not None:
                memo[iri] = item
        items.append(item)
    shared: dict[str, list[tuple[str, str, Count]]] = {}  # principal -> its share of each asset, in order
    for item in items:
        for principal in dict.fromkeys(share.principal for share in item.shares):
            shared.setdefault(principal, []).append((item.unit, item.asset, item.share(principal).count))
    per_principal = tuple(PrincipalExposure(p, _populations(view, shared[p], p)) for p in sorted(shared))
    return Exposure(
        assets=tuple(items),
        populations=_populations(view, [(item.unit, item.asset, item.total) for item in items], None),
        principals=per_principal,
        sensitive=any(item.sensitive for item in items),
        sensitive_categories=tuple(sorted({c for item in items for c in item.sensitive_categories})),
        financial_categories=tuple(sorted({c for item in items for c in item.financial_categories})),
    )


def own_share(found: Exposure, principal: str) -> Exposure:
    """What of ``found`` is one principal's own: its share of each asset, never the assets' totals.

    The assets stay as they are (each with its total and shares, to show what the share is
    of); the populations are the principal's, and so are the principals.

    Parameters
    ----------
    found : Exposure
    principal : str
        The IRI of a principal with a share of some of the assets.

    Returns
    -------
    Exposure
        ``found`` with the principal's populations in place of the union of the totals;
        no population when it has no share.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> view = chain_view(load_model(["examples/case-a-laptop"]))
    >>> A = "https://example.org/chainmodel/case-a#"
    >>> mine = own_share(exposure(view, [A + "applicant-records"]), A + "resonac")
    >>> mine.people.count.figure, mine.assets[0].total.figure
    (5747, 171472)
    """
    mine = found.principal(principal)
    return replace(found, populations=mine.populations if mine else (),
                   principals=(mine,) if mine else ())

