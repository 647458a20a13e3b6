"""What a set of data assets exposes: subjects per accountable principal, and categories.

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.views import chain_view
>>> view = chain_view(load_model(["examples/case-a-laptop"]))
>>> found = exposure(view, ["https://example.org/chainmodel/case-a#applicant-records"])
>>> found.subjects, dict(found.per_principal)["https://example.org/chainmodel/case-a#resonac"]
(171472, 5747)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .views import ChainView

__all__ = ["Exposure", "AssetExposure", "exposure"]


@dataclass(frozen=True)
class AssetExposure:
    """One asset: its subjects in all, per principal, and the part no principal is named for.

    When an asset has one controller and no count of its own for it, the controller answers
    for the subjects no other principal is counted for.
    """

    asset: str
    subjects: int | None
    per_principal: tuple[tuple[str, int], ...]
    unattributed: int | None
    sensitive: bool
    sensitive_categories: tuple[str, ...]
    controllers: tuple[str, ...]


@dataclass(frozen=True)
class Exposure:
    """The sum over assets. ``subjects`` is None when any asset's count is unknown."""

    assets: tuple[AssetExposure, ...]
    subjects: int | None
    known_subjects: int
    per_principal: tuple[tuple[str, int], ...]
    sensitive: bool
    sensitive_categories: tuple[str, ...]

    @property
    def rank_key(self) -> tuple:
        """Sort key, most exposed first: known subjects, then sensitive categories."""
        return (-self.known_subjects, -len(self.sensitive_categories), not self.sensitive)


def _asset_exposure(view: ChainView, iri: str) -> AssetExposure | None:
    asset = view.assets.get(iri)
    if asset is None:
        return None
    counts = asset.counts
    named = sum(count for _, count in counts)
    unattributed = asset.subject_count - named if asset.subject_count is not None else None
    counted = {principal for principal, _ in counts}
    if unattributed and len(asset.controllers) == 1 and asset.controllers[0] not in counted:
        # the one controller not counted separately answers for the rest
        counts = tuple(sorted(counts + ((asset.controllers[0], unattributed),)))
        unattributed = 0
    return AssetExposure(
        asset=iri,
        subjects=asset.subject_count,
        per_principal=counts,
        unattributed=unattributed if unattributed and unattributed > 0 else (0 if unattributed == 0 else None),
        sensitive=asset.sensitive,
        sensitive_categories=asset.sensitive_categories,
        controllers=asset.controllers,
    )


def exposure(view: ChainView, assets: Iterable[str], memo: dict | None = None) -> Exposure:
    """Add up what the given assets expose (unknown assets are skipped).

    ``memo`` (asset -> its :class:`AssetExposure`) may be shared by callers that add up
    many overlapping sets of assets.
    """
    items: list[AssetExposure] = []
    totals: dict[str, int] = {}
    for iri in sorted(set(assets)):
        item = memo.get(iri) if memo is not None else None
        if item is None:
            item = _asset_exposure(view, iri)
            if item is None:
                continue
            if memo is not None:
                memo[iri] = item
        items.append(item)
        for principal, count in item.per_principal:
            totals[principal] = totals.get(principal, 0) + count
    known = sum(item.subjects for item in items if item.subjects is not None)
    subjects = known if items and all(item.subjects is not None for item in items) else None
    categories = tuple(sorted({c for item in items for c in item.sensitive_categories}))
    return Exposure(
        assets=tuple(items),
        subjects=subjects,
        known_subjects=known,
        per_principal=tuple(sorted(totals.items())),
        sensitive=any(item.sensitive for item in items),
        sensitive_categories=categories,
    )
