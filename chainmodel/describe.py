"""A summary of a model that a reader can check against the notice it came from.

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.views import chain_view
>>> summary = describe(chain_view(load_model(["examples/case-a-laptop"])))
>>> [iri.rsplit("#")[1] for iri in summary.consignments_by_tier[1]]
['c-resonac-foundation', 'c-resonac-institutions']
"""

from __future__ import annotations

from dataclasses import dataclass

from .views import ChainView

__all__ = ["Summary", "describe", "CAPACITY_ORDER"]

CAPACITY_ORDER = ("principal", "consignee", "re-consignee", "producer", "recipient", "regulator",
                  "data-subjects", "other")


@dataclass(frozen=True)
class Summary:
    parties_by_capacity: dict[str, tuple[str, ...]]
    consignments_by_tier: dict[int, tuple[str, ...]]
    duties: tuple[str, ...]
    assets: tuple[str, ...]
    copies: tuple[str, ...]
    devices: tuple[str, ...]
    controls: tuple[str, ...]
    handoffs: tuple[str, ...]
    incidents: tuple[str, ...]
    triples: int


def describe(view: ChainView) -> Summary:
    """Group the model's elements the way a notice presents them.

    Parameters
    ----------
    view : ChainView

    Returns
    -------
    Summary
        ``parties_by_capacity``: each capacity that has parties (those of
        :data:`CAPACITY_ORDER` first, in that order) with the IRIs of its parties, a party
        under each of its roles and under ``"other"`` when it has none; ``consignments_by_tier``:
        each tier, in order, with its consignments (tier 0 when it cannot be derived); the IRIs
        of the duties, assets, copies, devices, controls, hand-offs and incidents; and the
        number of triples in the model's graph. Every tuple of IRIs is sorted.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> summary = describe(chain_view(load_model(["examples/case-b-optout"])))
    >>> list(summary.consignments_by_tier), summary.triples
    ([1, 2, 3], 276)
    """
    by_capacity: dict[str, list[str]] = {name: [] for name in CAPACITY_ORDER}
    for iri in view.parties:
        roles = view.roles(iri) or ("other",)
        for role in roles:
            by_capacity.setdefault(role, []).append(iri)
    by_tier: dict[int, list[str]] = {}
    for iri in view.consignments:
        by_tier.setdefault(view.tier(iri) or 0, []).append(iri)
    return Summary(
        parties_by_capacity={k: tuple(sorted(v)) for k, v in by_capacity.items() if v},
        consignments_by_tier={k: tuple(sorted(by_tier[k])) for k in sorted(by_tier)},
        duties=tuple(sorted(view.duties)),
        assets=tuple(sorted(view.assets)),
        copies=tuple(sorted(view.copies)),
        devices=tuple(sorted(view.devices)),
        controls=tuple(sorted(view.controls)),
        handoffs=tuple(sorted(view.handoffs)),
        incidents=tuple(sorted(view.incidents)),
        triples=len(view.model.graph),
    )
