"""Blast radius: what the compromise of one party, device, copy or asset exposes.

For the compromised element: the data exposed per accountable principal with subject
counts and sensitive categories, the consignment chains it sits in, and the reporting
duties the exposure triggers (a consignee notifies its consignor, up the chain; each
accountable party reports to the regulator when the rules require it, and notifies the
people concerned), each with the rule it comes from.

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.views import chain_view
>>> view = chain_view(load_model(["examples/case-a-laptop"]))
>>> found = blast_radius(view, "https://example.org/chainmodel/case-a#laptop")
>>> found.exposure.subjects, dict(found.exposure.per_principal)["https://example.org/chainmodel/case-a#resonac"]
(181674, 5747)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .errors import UnknownReference
from .exposure import Exposure, exposure
from .loading import paused_gc
from .namespace import RULE
from .views import ChainView

__all__ = ["Notification", "Blast", "blast_radius", "blast_rank", "REPORTING_THRESHOLD"]

REPORTING_THRESHOLD = 1000
"""Enforcement Rules Art. 7(iv): a breach of more than this many people must be reported."""


@dataclass(frozen=True)
class Notification:
    """A reporting duty: who must notify whom, why, and the rule it comes from."""

    sender: str
    recipient: str
    rule: str
    because: str


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


def _element_kind(view: ChainView, iri: str) -> str:
    for kind, table in (("party", view.parties), ("device", view.devices), ("copy", view.copies), ("asset", view.assets)):
        if iri in table:
            return kind
    raise UnknownReference(f"{iri} is not a party, device, copy or data asset in the model; "
                           "blast takes one of those (see chainmodel describe for their IRIs)")


@lru_cache(maxsize=None)
def _rule_iri(name: str) -> str:
    return str(RULE[name])


def _members(view: ChainView, party: str) -> set[str]:
    """A party and, for an organisation, every capacity it acts in."""
    return {party} | set(view.index.capacities_of.get(party, ()))


def _held_assets(view: ChainView, iri: str, kind: str) -> tuple[set[str], set[str]]:
    """(assets exposed, parties holding them) for a compromised element."""
    index = view.index
    if kind == "asset":
        holders = {view.holder_of(c) for c in view.copies.values() if c.asset == iri}
        return {iri}, {h for h in holders if h}
    if kind == "copy":
        copy = view.copies[iri]
        holder = view.holder_of(copy)
        return ({copy.asset} if copy.asset else set()), ({holder} if holder else set())
    if kind == "device":
        assets = {view.copies[c].asset for c in index.copies_on.get(iri, ()) if view.copies[c].asset}
        holder = view.devices[iri].holder
        return assets, ({holder} if holder else set())
    members = _members(view, iri)
    assets: set[str] = set()
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
    known = view.assets
    personal = {a for a in assets if a in known and not known[a].anonymised}
    return personal, members


def _chains_up(view: ChainView, consignment: str) -> list[str]:
    chain = [consignment]
    while view.consignments[chain[0]].parents:
        parent = sorted(view.consignments[chain[0]].parents)[0]
        if parent in chain or parent not in view.consignments:
            break
        chain.insert(0, parent)
    return chain


def blast_radius(view: ChainView, element: str, _memo: tuple[dict, dict] | None = None) -> Blast:
    """What the compromise of ``element`` (party, device, copy or asset) exposes.

    ``_memo`` (chains by consignment, exposures by asset) may be shared across calls.
    """
    known_chains, known_items = _memo if _memo is not None else ({}, {})
    kind = _element_kind(view, element)
    assets, holders = _held_assets(view, element, kind)
    found = exposure(view, assets, known_items)
    relevant = [c for h in holders for c in view.index.consignments_into.get(h, ())]
    if kind == "asset":
        relevant += view.index.consignments_with_data.get(element, ())
    for consignment in relevant:
        if consignment not in known_chains:
            known_chains[consignment] = tuple(_chains_up(view, consignment))
    chains = sorted({known_chains[c] for c in relevant})
    principals = sorted({p for item in found.assets for p in item.controllers}
                        | {p for p, count in found.per_principal if count > 0})
    notifications: list[Notification] = []
    seen: set[tuple[str, str]] = set()

    def add(sender: str, recipient: str, rule: str, because: str) -> None:
        if (sender, recipient) not in seen and sender != recipient:
            seen.add((sender, recipient))
            notifications.append(Notification(sender, recipient, _rule_iri(rule), because))

    for chain in chains:
        for iri in reversed(chain):
            consignment = view.consignments[iri]
            add(consignment.consignee, consignment.consignor, "consignee-notifies-consignor",
                "a consignee tells the party that consigned to it, which stays accountable")
    regulators = view.regulators
    counts = dict(found.per_principal)
    owned: dict[str, list] = {}  # principal -> the exposed assets it controls or has people in
    for item in found.assets:
        for principal in set(item.controllers) | {p for p, count in item.per_principal if count > 0}:
            owned.setdefault(principal, []).append(item)
    for principal in principals:
        own = owned.get(principal, [])
        sensitive = any(item.sensitive for item in own)
        people = counts.get(principal)
        if people is None:
            people = sum(item.subjects or 0 for item in own if principal in item.controllers)
        reasons = []
        if sensitive:
            reasons.append("special-care (sensitive) personal information is involved")
        if people > REPORTING_THRESHOLD:
            reasons.append(f"more than {REPORTING_THRESHOLD:,} people ({people:,})")
        if not reasons or people == 0:
            continue
        for regulator in regulators:
            add(principal, regulator, "principal-reports-to-regulator", "; ".join(reasons))
        subjects = sorted({s for item in own for s in view.assets[item.asset].subjects})
        for group in subjects:
            add(principal, group, "principal-notifies-subjects", "; ".join(reasons))
    protected_by: set[str] = set()
    if kind in ("device", "copy"):
        covered = {element} | ({view.copies[element].device} if kind == "copy" and view.copies[element].device else set())
        protected_by = {k for target in covered for k in view.index.controls_covering.get(target, ())
                        if view.controls[k].kind == "preventive" and view.controls[k].rules_out_leak}
    return Blast(
        element=element,
        kind=kind,
        protected_by=tuple(sorted(protected_by)),
        holders=tuple(sorted(holders)),
        exposure=found,
        chains=tuple(chains),
        notifications=tuple(notifications),
        principals=tuple(principals),
    )


def blast_rank(view: ChainView, limit: int | None = None) -> list[Blast]:
    """Parties and devices whose compromise exposes the most, across all principals."""
    candidates = [p for p in view.parties if "regulator" not in view.parties[p].roles
                  and "data-subjects" not in view.parties[p].roles]
    candidates += list(view.devices)
    memo: tuple[dict, dict] = ({}, {})  # parties share consignments and assets: each is worked out once
    with paused_gc():  # many result objects, none in a cycle: the collector would re-walk them all
        results = [blast_radius(view, iri, memo) for iri in sorted(candidates)]
    results = [r for r in results if r.exposure.assets]
    results.sort(key=lambda r: (r.exposure.rank_key, -len(r.principals), r.element))
    return results[:limit] if limit else results
