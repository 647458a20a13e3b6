"""Plain views of a chain model, derived from its RDF graph and never written back.

``chain_view(model)`` reads the graph once and returns a :class:`ChainView` of frozen
records: parties, consignments (with parents and derived tiers), duties, hand-offs, data
assets, copies, devices, controls, failure modes and incidents. Every record keeps the IRI
it came from, so any finding can be cited back to the model.

Standard vocabularies are read as well: ``prov:actedOnBehalfOf``, ``prov:qualifiedDelegation``
and ``cm:consignsTo`` become consignments; DPV roles (``dpv:DataController``,
``dpv:DataProcessor``, ``dpv:DataSubProcessor``, ``dpv:Recipient``, ``dpv:Authority``) become
chainmodel roles.

Examples
--------
>>> from chainmodel.model import load_model
>>> view = chain_view(load_model(["examples/case-b-optout"]))
>>> view.tier("https://example.org/chainmodel/case-b#c-ldi-nttdata-for-jmimo")
3
"""

from __future__ import annotations

import re
from sys import intern
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Iterable

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from .loading import paused_gc
from .model import ChainModel, ontology_graph
from .namespace import CHAINMODEL_NS, CM
from .standards import DPV, PROV, delegation_key, implicit_iri, processing_records

__all__ = [
    "Party",
    "Consignment",
    "Duty",
    "HandOff",
    "DataAsset",
    "DataCopy",
    "Device",
    "Control",
    "FailureMode",
    "Event",
    "Incident",
    "Basis",
    "Agreement",
    "Clause",
    "Person",
    "Account",
    "Attack",
    "Condition",
    "ChainView",
    "ROLE_CLASSES",
    "ViewIndex",
    "chain_view",
    "duration_months",
    "superclass_closure",
    "terms_used",
    "defined_terms",
    "name_implicit",
]

ORG = "http://www.w3.org/ns/org#"

# Foreign classes read as chainmodel classes (the reading direction of the alignment);
# the SHACL validation reads them the same way.
READ_AS = {
    DPV + "DataController": CM.Principal,
    DPV + "DataProcessor": CM.Consignee,
    DPV + "DataSubProcessor": CM.ReConsignee,
    DPV + "Recipient": CM.Recipient,
    DPV + "ThirdParty": CM.Recipient,
    DPV + "DataProtectionAuthority": CM.Regulator,
    DPV + "Authority": CM.Regulator,
    DPV + "DataSubject": CM.DataSubjectGroup,
    ORG + "Organization": CM.Organisation,
    PROV + "Organization": CM.Organisation,
    PROV + "Agent": CM.Agent,
    PROV + "Person": CM.Agent,
}

ROLE_CLASSES = {
    str(CM.Principal): "principal",
    str(CM.Consignee): "consignee",
    str(CM.ReConsignee): "re-consignee",
    str(CM.Producer): "producer",
    str(CM.Recipient): "recipient",
    str(CM.Regulator): "regulator",
    str(CM.DataSubjectGroup): "data-subjects",
}

MAX_CHAINS_UP = 64
"""At most this many chains are followed up from one consignment (diamonds multiply them)."""

_DURATION = re.compile(r"^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T.*)?$")


def duration_months(text: str | None) -> float | None:
    """Months in an xsd:duration (``P1M`` -> 1.0, ``P1Y6M`` -> 18.0, ``P14D`` -> 0.46...).

    >>> duration_months("P1Y6M")
    18.0
    >>> duration_months("monthly") is None
    True
    """
    if not text:
        return None
    match = _DURATION.match(text.strip())
    if not match or not any(match.groups()):
        return None
    years, months, weeks, days = (float(group) if group else 0.0 for group in match.groups())
    return years * 12 + months + (weeks * 7 + days) / 30.4375


@dataclass(frozen=True)
class Party:
    """An organisation, capacity or group of data subjects."""

    iri: str
    roles: frozenset[str] = frozenset()
    organisation: str | None = None
    is_capacity: bool = False
    declared: bool = True
    sector: str | None = None
    country: str | None = None

    @property
    def org(self) -> str:
        """The organisation this party belongs to (itself when it is one)."""
        return self.organisation or self.iri


@dataclass(frozen=True)
class Consignment:
    """A consignment edge; ``parents`` are stated (``cm:extends``) or inferred from the chain."""

    iri: str
    consignor: str
    consignee: str
    parents: tuple[str, ...] = ()
    parents_inferred: bool = False
    duties: frozenset[str] = frozenset()
    data: frozenset[str] = frozenset()
    approval: str | None = None
    approved_by: tuple[str, ...] = ()
    start: str | None = None
    end: str | None = None
    stated_tier: int | None = None
    implicit: bool = False  # read from PROV-O or cm:consignsTo, with no chainmodel detail
    agreement: str | None = None


@dataclass(frozen=True)
class Duty:
    iri: str
    accountable: str | None
    performers: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    protects: tuple[str, ...] = ()
    legal_basis: tuple[str, ...] = ()


@dataclass(frozen=True)
class HandOff:
    iri: str
    kind: str
    sender: str | None
    receiver: str | None
    carries: tuple[str, ...] = ()
    serves: tuple[str, ...] = ()
    guarded_by: tuple[str, ...] = ()
    lead_time: str | None = None
    cadence: str | None = None
    acknowledged_by: tuple[str, ...] = ()
    failure_modes: tuple[str, ...] = ()
    classes: frozenset[str] = frozenset()
    basis: tuple[str, ...] = ()
    start: str | None = None
    end: str | None = None

    @property
    def is_data(self) -> bool:
        return self.kind == "data-provision"


@dataclass(frozen=True)
class DataAsset:
    iri: str
    subject_count: int | None = None
    counts: tuple[tuple[str, int], ...] = ()
    categories: tuple[str, ...] = ()
    sensitive_categories: tuple[str, ...] = ()
    sensitive: bool = False
    anonymised: bool = False
    controllers: tuple[str, ...] = ()
    subset_of: tuple[str, ...] = ()
    derived_from: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()
    unit: str | None = None
    count_qualifier: str | None = None
    count_qualifiers: tuple[tuple[str, str], ...] = ()
    same_population: tuple[str, ...] = ()
    overlaps: tuple[str, ...] = ()
    disjoint: tuple[str, ...] = ()
    financial_categories: tuple[str, ...] = ()
    individual_number: bool = False


@dataclass(frozen=True)
class DataCopy:
    iri: str
    asset: str | None
    device: str | None
    holder: str | None
    start: str | None = None
    end: str | None = None
    failure_modes: tuple[str, ...] = ()
    basis: tuple[str, ...] = ()


@dataclass(frozen=True)
class Device:
    """A place copies rest: a portable device, a server, an appliance, software a vendor runs.

    ``runs_by`` names the vendors that operate it for its holder; ``connects_to`` the
    systems whoever gets into it reaches too; ``internet_facing`` whether it can be
    intruded on from the internet.
    """

    iri: str
    portable: bool | None
    holder: str | None
    country: str | None = None
    internet_facing: bool | None = None
    runs_by: tuple[str, ...] = ()
    connects_to: tuple[str, ...] = ()
    failure_modes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Control:
    iri: str
    kind: str  # "preventive", "detective" or "control"
    operators: tuple[str, ...] = ()
    covers: tuple[str, ...] = ()
    notifies: tuple[str, ...] = ()
    latency: str | None = None
    rules_out_leak: bool | None = None
    limitation: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class FailureMode:
    """A way an element fails; ``kind_of`` names the broader modes it is a kind of (its own first)."""

    iri: str
    applies_to: tuple[str, ...]
    effect: str
    improper_purpose: bool | None = None
    kind_of: tuple[str, ...] = ()


@dataclass(frozen=True)
class Event:
    """A dated fact. ``kind`` is ``exposure-began``, ``detected``, ``reported``, ``deleted``,
    ``returned``, ``became-aware``, ``recovered``, ``provision-stopped``, ``exposure-ended`` or
    ``event``; ``stage`` is ``preliminary`` or ``final`` for a report typed as one."""

    iri: str
    kind: str
    date: str | None
    actor: str | None
    concerns: tuple[str, ...] = ()
    notified_to: tuple[str, ...] = ()
    stage: str | None = None


@dataclass(frozen=True)
class Incident:
    iri: str
    concerns: tuple[str, ...]
    failed_with: tuple[str, ...]
    events: tuple[str, ...]
    improper_purpose: bool | None = None


@dataclass(frozen=True)
class Basis:
    """Why parties may hold or receive data, apart from a consignment (which is a basis too).

    ``kind`` is ``consent``, ``opt-out``, ``joint-use``, ``under-law`` or ``provision`` (a
    cm:ProvisionBasis of no narrower kind).
    """

    iri: str
    kind: str
    providers: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    data: tuple[str, ...] = ()
    start: str | None = None
    end: str | None = None
    agreement: str | None = None
    laws: tuple[str, ...] = ()


@dataclass(frozen=True)
class Agreement:
    """A contract with the clauses chainmodel checks."""

    iri: str
    clauses: tuple[str, ...] = ()


@dataclass(frozen=True)
class Clause:
    """One clause of an agreement; ``kind`` names its class (``reconsignment-prohibited``, ...)."""

    iri: str
    kind: str
    article: str | None = None
    permitted: tuple[str, ...] = ()
    country: str | None = None
    period: str | None = None


@dataclass(frozen=True)
class Person:
    """A natural person: whom they work for, and where they are placed (a dispatched worker)."""

    iri: str
    works_for: tuple[str, ...] = ()
    placed_at: tuple[str, ...] = ()
    kind: str = "person"  # employee, dispatched-worker, contractor-staff or person


@dataclass(frozen=True)
class Account:
    """A way into systems: its users, the systems it opens, and what it may read."""

    iri: str
    users: tuple[str, ...] = ()
    systems: tuple[str, ...] = ()
    reads: tuple[str, ...] = ()
    administrator: bool | None = None
    shared: bool | None = None


@dataclass(frozen=True)
class Attack:
    """A way into a system that needs every one of its conditions at once."""

    iri: str
    target: str | None
    requires: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    attacker: str | None = None


@dataclass(frozen=True)
class Condition:
    """A condition an attack needs; ``always`` when it is modelled as holding already."""

    iri: str
    concerns: tuple[str, ...] = ()
    always: bool | None = None


_implicit_iri = implicit_iri


@dataclass
class ChainView:
    """Everything the analyses need, as plain records keyed by IRI (all dicts sorted)."""

    model: ChainModel
    parties: dict[str, Party] = field(default_factory=dict)
    consignments: dict[str, Consignment] = field(default_factory=dict)
    duties: dict[str, Duty] = field(default_factory=dict)
    handoffs: dict[str, HandOff] = field(default_factory=dict)
    assets: dict[str, DataAsset] = field(default_factory=dict)
    copies: dict[str, DataCopy] = field(default_factory=dict)
    devices: dict[str, Device] = field(default_factory=dict)
    controls: dict[str, Control] = field(default_factory=dict)
    failure_modes: dict[str, FailureMode] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    incidents: dict[str, Incident] = field(default_factory=dict)
    bases: dict[str, Basis] = field(default_factory=dict)
    agreements: dict[str, Agreement] = field(default_factory=dict)
    clauses: dict[str, Clause] = field(default_factory=dict)
    persons: dict[str, Person] = field(default_factory=dict)
    accounts: dict[str, Account] = field(default_factory=dict)
    attacks: dict[str, Attack] = field(default_factory=dict)
    conditions: dict[str, Condition] = field(default_factory=dict)
    types: dict[str, frozenset[str]] = field(default_factory=dict)
    unresolved: tuple[tuple[str, str, str], ...] = ()
    ambiguous_parents: tuple[str, ...] = ()
    terms_used: frozenset[str] = frozenset()
    """Every predicate, every class named by rdf:type, and every IRI of the chainmodel namespace in the model."""
    classes_read: frozenset[str] = frozenset()
    """The model's own classes that are subclasses of a class chainmodel reads (so they are read too)."""
    unknown_uses: tuple[tuple[str, str], ...] = ()
    """(term, subject) for chainmodel-namespace terms the ontology does not define, a few subjects each."""
    scans: dict[str, dict[str, list]] = field(default_factory=dict, repr=False)
    """Predicate IRI -> subject key -> objects: the graph as read once, reused by the shapes."""

    # -- derived structure -------------------------------------------------------------

    @cached_property
    def children(self) -> dict[str, tuple[str, ...]]:
        """Consignment IRI -> the consignments that extend it."""
        kids: dict[str, list[str]] = defaultdict(list)
        for consignment in self.consignments.values():
            for parent in consignment.parents:
                kids[parent].append(consignment.iri)
        return {key: tuple(sorted(value)) for key, value in kids.items()}

    @cached_property
    def cycles(self) -> tuple[tuple[str, ...], ...]:
        """Cycles among consignment parents, each as a sorted tuple of IRIs."""
        import networkx as nx

        graph = nx.DiGraph()
        for consignment in self.consignments.values():
            for parent in consignment.parents:
                if parent in self.consignments:
                    graph.add_edge(parent, consignment.iri)
        found = []
        for component in nx.strongly_connected_components(graph):
            if len(component) > 1 or any(graph.has_edge(node, node) for node in component):
                found.append(tuple(sorted(component)))
        return tuple(sorted(found))

    @cached_property
    def _tiers(self) -> dict[str, int | None]:
        tiers: dict[str, int | None] = {}
        in_cycle = {iri for cycle in self.cycles for iri in cycle}

        def tier_of(iri: str, seen: frozenset) -> int | None:
            if iri in tiers:
                return tiers[iri]
            if iri in in_cycle or iri in seen:
                return None
            parents = [p for p in self.consignments[iri].parents if p in self.consignments]
            if not parents:
                value: int | None = 1
            else:
                above = [tier_of(p, seen | {iri}) for p in parents]
                known = [t for t in above if t is not None]
                value = 1 + min(known) if known else None
            tiers[iri] = value
            return value

        for iri in sorted(self.consignments):
            # iterative deepening keeps recursion shallow for long chains
            tier_of(iri, frozenset())
        return tiers

    @cached_property
    def index(self) -> "ViewIndex":
        """Look-up tables that keep every analysis local to its own small subgraph."""
        return ViewIndex.build(self)

    def chains_up(self, consignment: str) -> tuple[tuple[str, ...], ...]:
        """Every chain of consignments from a tier-1 consignment down to ``consignment``.

        Sorted, at most :data:`MAX_CHAINS_UP` of them; a loop of ``cm:extends`` ends a chain.
        """
        cache = self.__dict__.setdefault("_chains_up", {})
        if consignment not in cache:
            cache[consignment] = tuple(sorted(self._paths_up(consignment, frozenset()))[:MAX_CHAINS_UP])
        return cache[consignment]

    def _paths_up(self, consignment: str, seen: frozenset) -> list[tuple[str, ...]]:
        parents = [p for p in self.consignments[consignment].parents
                   if p in self.consignments and p not in seen and p != consignment]  # extending itself ends a chain
        if not parents:
            return [(consignment,)]
        found: list[tuple[str, ...]] = []
        for parent in sorted(parents):
            found += [path + (consignment,) for path in self._paths_up(parent, seen | {consignment})]
            if len(found) >= MAX_CHAINS_UP:
                break
        return found

    def roots(self, consignment: str) -> tuple[str, ...]:
        """The consignors at the top of the chains above ``consignment`` (its principals), sorted."""
        return tuple(sorted({self.consignments[chain[0]].consignor for chain in self.chains_up(consignment)
                             if self.consignments[chain[0]].consignor}))

    def tier(self, consignment: str) -> int | None:
        """The derived tier: 1 consignment, 2 re-consignment, ...; None inside a cycle."""
        return self._tiers.get(consignment)

    def org(self, party: str | None) -> str | None:
        """The organisation a party belongs to (itself for an organisation)."""
        if party is None:
            return None
        found = self.parties.get(party)
        return found.org if found else party

    @cached_property
    def _derived_roles(self) -> dict[str, frozenset[str]]:
        roles: dict[str, set[str]] = defaultdict(set)
        for consignment in self.consignments.values():
            tier = self.tier(consignment.iri) or 1
            if tier == 1:
                roles[consignment.consignor].add("principal")
            roles[consignment.consignee].add("consignee" if tier == 1 else "re-consignee")
        return {party: frozenset(found) for party, found in roles.items()}

    def roles(self, party: str) -> tuple[str, ...]:
        """Declared roles plus those derived from consignments, sorted."""
        declared = self.parties[party].roles if party in self.parties else frozenset()
        return tuple(sorted(declared | self._derived_roles.get(party, frozenset())))

    @cached_property
    def regulators(self) -> tuple[str, ...]:
        """Parties declared as regulators, sorted."""
        return tuple(sorted(p.iri for p in self.parties.values() if "regulator" in p.roles))

    def has_type(self, iri: str, cls) -> bool:
        return str(cls) in self.types.get(iri, frozenset())

    def holder_of(self, copy: DataCopy) -> str | None:
        """Who holds a copy: its own holder, else its device's holder."""
        if copy.holder:
            return copy.holder
        if copy.device and copy.device in self.devices:
            return self.devices[copy.device].holder
        return None

    def data_principals(self, asset_iri: str) -> tuple[str, ...]:
        """The principals whose data is in an asset, sorted: its controllers, the principals with a
        share above 0, and the principals at the top of every chain of consignments that entrusts
        it, unless a share of 0 says they have none in it."""
        cache = self.__dict__.setdefault("_data_principals", {})
        if asset_iri not in cache:
            asset = self.assets.get(asset_iri)
            found: set[str] = set()
            if asset is not None:
                found = set(asset.controllers) | {p for p, n in asset.counts if n > 0}
                for consignment in self.index.consignments_with_data.get(asset_iri, ()):
                    found.update(self.roots(consignment))
                found -= {p for p, n in asset.counts if n == 0} - set(asset.controllers)
            cache[asset_iri] = tuple(sorted(found))
        return cache[asset_iri]

    def sensitive_categories(self, asset_iri: str) -> tuple[str, ...]:
        asset = self.assets.get(asset_iri)
        return asset.sensitive_categories if asset else ()


@dataclass(frozen=True)
class ViewIndex:
    """Reverse look-ups over a view, each list sorted by IRI."""

    serving: dict[str, tuple[str, ...]]
    data_sent_by: dict[str, tuple[str, ...]]
    data_received_by: dict[str, tuple[str, ...]]
    controls_covering: dict[str, tuple[str, ...]]
    copies_on: dict[str, tuple[str, ...]]
    copies_held_by: dict[str, tuple[str, ...]]
    derived_assets: dict[str, tuple[str, ...]]
    consignments_into: dict[str, tuple[str, ...]]
    consignments_with_data: dict[str, tuple[str, ...]]
    consignments_entrusting: dict[str, tuple[str, ...]]
    data_carrying: dict[str, tuple[str, ...]]
    assets_controlled_by: dict[str, tuple[str, ...]]
    capacities_of: dict[str, tuple[str, ...]]
    parts_of: dict[str, tuple[str, ...]]
    connected_from: dict[str, tuple[str, ...]]

    @staticmethod
    def build(view: "ChainView") -> "ViewIndex":
        tables: dict[str, dict[str, list[str]]] = {name: defaultdict(list) for name in ViewIndex.__dataclass_fields__}
        for h in view.handoffs.values():
            for duty in h.serves:
                tables["serving"][duty].append(h.iri)
            if h.is_data:
                for asset in h.carries:
                    tables["data_carrying"][asset].append(h.iri)
                if h.sender:
                    tables["data_sent_by"][h.sender].append(h.iri)
                if h.receiver:
                    tables["data_received_by"][h.receiver].append(h.iri)
        for k in view.controls.values():
            for covered in k.covers:
                tables["controls_covering"][covered].append(k.iri)
        for d in view.devices.values():
            for target in d.connects_to:
                tables["connected_from"][target].append(d.iri)
        for c in view.copies.values():
            if c.device:
                tables["copies_on"][c.device].append(c.iri)
            holder = view.holder_of(c)
            if holder:
                tables["copies_held_by"][holder].append(c.iri)
        for a in view.assets.values():
            for source in a.derived_from:
                tables["derived_assets"][source].append(a.iri)
            for controller in a.controllers:
                tables["assets_controlled_by"][controller].append(a.iri)
            for whole in a.subset_of:
                tables["parts_of"][whole].append(a.iri)
        for c in view.consignments.values():
            tables["consignments_into"][c.consignee].append(c.iri)
            for asset in c.data:
                tables["consignments_with_data"][asset].append(c.iri)
            for duty in c.duties:
                tables["consignments_entrusting"][duty].append(c.iri)
        for p in view.parties.values():
            if p.organisation:
                tables["capacities_of"][p.organisation].append(p.iri)
        return ViewIndex(**{name: {k: tuple(sorted(set(v))) for k, v in table.items()} for name, table in tables.items()})


# -- reading the graph -------------------------------------------------------------------


def superclass_closure(model_graph) -> dict[str, frozenset[str]]:
    """Superclasses of every class, from the ontology, the reading of foreign classes and the
    model itself (reflexive). The analyses and the SHACL evaluator share it."""
    parents: dict[str, set[str]] = defaultdict(set)
    for graph in (ontology_graph(), model_graph):
        for sub, sup in graph.subject_objects(RDFS.subClassOf):
            if isinstance(sub, URIRef) and isinstance(sup, URIRef):
                parents[str(sub)].add(str(sup))
    for foreign, ours in READ_AS.items():
        parents[foreign].add(str(ours))
    closure: dict[str, frozenset[str]] = {}

    def up(cls: str) -> frozenset[str]:
        if cls in closure:
            return closure[cls]
        closure[cls] = frozenset({cls})  # guard against cycles in subClassOf
        found = {cls}
        for sup in parents.get(cls, ()):
            found |= up(sup)
        closure[cls] = frozenset(found)
        return closure[cls]

    for cls in list(parents):
        up(cls)
    return closure


def _iri(node) -> str | None:
    return str(node) if isinstance(node, URIRef) else f"_:{node}" if isinstance(node, BNode) else None


class _Terms:
    """The closed namespace's terms, looked up once: ``CM.x`` costs a metaclass call each time."""

    def __getattr__(self, name: str) -> URIRef:
        value = getattr(CM, name)
        setattr(self, name, value)
        return value


_TERMS = _Terms()


def chain_view(model: ChainModel, keep_scans: bool = True) -> ChainView:
    """Derive the :class:`ChainView` of a model. Pure: the graph is only read.

    ``keep_scans`` keeps what was read of the graph on the view (``view.scans``) so that
    validation need not read it again; pass False to save memory when nothing will
    validate the view. (The view a store saved when it was loaded is read by
    :func:`chainmodel.snapshot.chain_view`, which ``chainmodel.chain_view`` is.)
    """
    with paused_gc():
        view = _chain_view(model, keep_scans)
    name_implicit(view)
    return view


class _Reader:
    """One reading of the graph: each predicate scanned once, looked up by subject key.

    A backend that keeps its triples as tables (``graph.table(predicate)``: subject key ->
    objects, as :class:`chainmodel.tablegraph.TableGraph` does) hands them over unread.
    """

    def __init__(self, graph) -> None:
        self.graph = graph
        self.closure = superclass_closure(graph)
        self.tables: dict[str, dict[str, list]] = {}
        self._own_table = getattr(graph, "table", None)
        self._by_term: dict[int, tuple[object, dict[str, list]]] = {}
        self._names: dict[int, str] = {}
        self._key_of = getattr(graph, "key", None)
        self.types: dict[str, set[str] | frozenset[str]] = self._read_types()
        self._instances: dict[str, list[str]] | None = None

    def _read_types(self) -> dict:
        closure = self.closure
        if self._own_table is None:
            types: dict[str, set[str]] = defaultdict(set)
            for subject, cls in self.graph.subject_objects(RDF.type):
                key = _iri(subject)
                if key is not None and isinstance(cls, URIRef):
                    types[key] |= closure.get(str(cls), frozenset({str(cls)}))
            return types
        # tables hold one object per IRI, so elements of the same classes share one set
        shared: dict[tuple[int, ...], frozenset[str]] = {}
        types = {}
        for key, classes in self._own_table(RDF.type).items():
            ids = tuple(map(id, classes))
            found = shared.get(ids)
            if found is None:
                found = frozenset().union(*(closure.get(str(cls), frozenset({str(cls)})) for cls in classes
                                            if isinstance(cls, URIRef)))
                shared[ids] = found
            if found or any(isinstance(cls, URIRef) for cls in classes):
                types[key] = found
        return types

    def table(self, predicate) -> dict[str, list]:
        """subject key -> objects of one predicate, from one scan of the store."""
        known = self._by_term.get(id(predicate))  # the entry keeps the term alive: its id is its own
        if known is not None:
            return known[1]
        key = str(predicate)
        if key not in self.tables:
            if self._own_table is not None:
                self.tables[key] = self._own_table(predicate)
            else:
                found: dict[str, list] = defaultdict(list)
                for subject, value in self.graph.subject_objects(predicate):
                    subject_key = _iri(subject)
                    if subject_key is not None:
                        found[intern(subject_key)].append(value)  # one string per subject across tables
                self.tables[key] = found
        self._by_term[id(predicate)] = (predicate, self.tables[key])
        return self.tables[key]

    def _name(self, value) -> str:
        """The key of a table's value (its IRI, ``_:label``), or "" for a literal; one string per term.

        Cached by the term's id: every value comes from a table this reader keeps, so it lives
        as long as the cache.
        """
        name = self._names.get(id(value))
        if name is None:
            if self._key_of is not None:  # the backend's own string, shared with its tables' keys
                name = self._key_of(value) or ""
            else:
                key = _iri(value)
                name = intern(key) if key else ""  # shared with the subject keys of the tables read
            self._names[id(value)] = name
        return name

    # The methods below run once per field of every record: each looks its table up itself
    # (by the term's id, see table) rather than through another call.

    def objects(self, subject: str, predicate) -> list:
        known = self._by_term.get(id(predicate))
        values = (known[1] if known is not None else self.table(predicate)).get(subject)
        if not values:
            return []
        return sorted(values, key=str) if len(values) > 1 else list(values)

    def refs(self, subject: str, predicate) -> tuple[str, ...]:
        known = self._by_term.get(id(predicate))
        values = (known[1] if known is not None else self.table(predicate)).get(subject)
        if not values:
            return ()
        if len(values) == 1:
            name = self._names.get(id(values[0])) or self._name(values[0])
            return (name,) if name else ()
        return tuple(sorted({name for name in map(self._name, values) if name}))

    def ref(self, subject: str, predicate) -> str | None:
        known = self._by_term.get(id(predicate))
        values = (known[1] if known is not None else self.table(predicate)).get(subject)
        if not values:
            return None
        if len(values) == 1:
            return self._names.get(id(values[0])) or self._name(values[0]) or None
        return min((name for name in map(self._name, values) if name), default=None)

    def literal(self, subject: str, predicate) -> str | None:
        known = self._by_term.get(id(predicate))
        values = (known[1] if known is not None else self.table(predicate)).get(subject)
        if not values:
            return None
        return min((str(o) for o in values if isinstance(o, Literal)), default=None)

    def boolean(self, subject: str, predicate) -> bool | None:
        value = self.literal(subject, predicate)
        if value is None:
            return None
        return value.strip().lower() in ("true", "1")

    def integer(self, subject: str, predicate) -> int | None:
        value = self.literal(subject, predicate)
        try:
            return int(value) if value is not None else None
        except ValueError:
            return None

    def texts(self, subject: str, predicate) -> tuple[tuple[str, str], ...]:
        """(language, text) of every literal value, sorted."""
        return tuple(sorted((o.language or "", str(o)) for o in self.objects(subject, predicate)
                            if isinstance(o, Literal)))

    def instances(self, cls) -> list[str]:
        """The elements of class ``cls`` (or a subclass), sorted."""
        if self._instances is None:
            found: dict[str, list[str]] = defaultdict(list)
            for iri, classes in self.types.items():
                for name in classes:
                    found[name].append(iri)
            self._instances = {name: sorted(members) for name, members in found.items()}
        return list(self._instances.get(str(cls), ()))

    def first_class(self, iri: str, kinds: tuple[tuple[object, str], ...], default: str) -> str:
        """The name of the first class in ``kinds`` the element is an instance of."""
        classes = self.types.get(iri, ())
        for cls, name in kinds:
            if str(cls) in classes:
                return name
        return default


def _delegations(reader: _Reader, raw: dict[str, dict]) -> None:
    """Qualified PROV-O delegations: agent -> delegate, entrusting ``prov:hadActivity`` (see ``standards``)."""
    C = _TERMS
    for delegate, delegation in reader.graph.subject_objects(URIRef(PROV + "qualifiedDelegation")):
        node = _iri(delegation)
        if not node or node in raw:
            continue
        agent = reader.ref(node, URIRef(PROV + "agent"))
        activities = reader.refs(node, URIRef(PROV + "hadActivity"))
        key = delegation_key(node, agent, _iri(delegate), activities)  # not typed: the shapes read PROV-O as it is
        detailed = bool(activities) or any(reader.refs(node, p) for p in (C.entrusts, C.entrustsData, C.extends,
                                                                         C.approval))
        raw[key] = {"consignor": agent, "consignee": _iri(delegate), "implicit": not detailed, "node": node,
                    "duties": activities}


def _shortcuts(reader: _Reader, raw: dict[str, dict]) -> None:
    """``cm:consignsTo`` and ``prov:actedOnBehalfOf``: consignments with no detail, unless one is stated."""
    graph, C = reader.graph, _TERMS
    linked = {(entry["consignor"], entry["consignee"]) for entry in raw.values()}
    pairs = [(str(s), str(o)) for s, o in graph.subject_objects(C.consignsTo)]
    pairs += [(str(o), str(s)) for s, o in graph.subject_objects(URIRef(PROV + "actedOnBehalfOf"))]
    for consignor, consignee in sorted(set(pairs)):
        if (consignor, consignee) not in linked:
            raw[_implicit_iri("consignment", consignor, consignee)] = {"consignor": consignor, "consignee": consignee,
                                                                        "implicit": True}
            linked.add((consignor, consignee))


def _read_consignments(reader: _Reader, records: list) -> tuple[dict[str, Consignment], set[str]]:
    """Consignments, including those read from PROV-O, DPV records and the shortcut properties.

    Returns the consignments and the keys of those whose duties a standard vocabulary named.
    """
    C = _TERMS
    raw: dict[str, dict] = {}
    for iri in reader.instances(C.Consignment):
        raw[iri] = {"consignor": reader.ref(iri, C.consignor), "consignee": reader.ref(iri, C.consignee),
                    "implicit": False}
    _delegations(reader, raw)
    for record in records:
        data = record.assets + ((record.implicit_asset,) if record.implicit_asset else ())
        for key, consignor, consignee in record.consignments:
            raw.setdefault(key, {"consignor": consignor, "consignee": consignee, "implicit": True,
                                 "duties": (record.iri,), "data": data})
    _shortcuts(reader, raw)
    consignments = {iri: _consignment(reader, iri, raw[iri]) for iri in sorted(raw)}
    return consignments, {key for key, entry in raw.items() if "duties" in entry}


def _consignment(reader: _Reader, iri: str, entry: dict) -> Consignment:
    """One consignment; its chainmodel details are read where they are stated, if anywhere."""
    C = _TERMS
    implicit = entry["implicit"] or iri.startswith("urn:chainmodel:implicit:processing:")
    node = entry.get("node", None if entry["implicit"] else iri)
    if node is None:
        return Consignment(iri=iri, consignor=entry["consignor"], consignee=entry["consignee"], implicit=True,
                           duties=frozenset(entry.get("duties", ())), data=frozenset(entry.get("data", ())))
    return Consignment(
        iri=iri,
        consignor=entry["consignor"],
        consignee=entry["consignee"],
        parents=reader.refs(node, C.extends),
        duties=frozenset(reader.refs(node, C.entrusts) + tuple(entry.get("duties", ()))),
        data=frozenset(reader.refs(node, C.entrustsData) + tuple(entry.get("data", ()))),
        approval=reader.ref(node, C.approval),
        approved_by=reader.refs(node, C.approvedBy),
        start=reader.literal(node, C.startDate),
        end=reader.literal(node, C.endDate),
        stated_tier=reader.integer(node, C.tier),
        implicit=implicit,
        agreement=reader.ref(node, C.agreement),
    )


_PARTY_PREDICATES = ("sender", "receiver", "accountable", "performedBy", "operatedBy", "notifies", "heldBy",
                     "controller", "principal", "approvedBy", "actor", "notifiedTo", "capacityOf", "provider",
                     "recipient", "permittedParty", "worksFor", "placedAt", "usedBy", "runBy", "attacker")


def _read_parties(reader: _Reader, consignments: dict[str, Consignment]) -> dict[str, Party]:
    """Declared parties and every party some statement refers to."""
    C = _TERMS
    declared = set(reader.instances(C.Agent))
    referenced: set[str] = set()
    for consignment in consignments.values():
        referenced |= {consignment.consignor, consignment.consignee} - {None}
    for name in _PARTY_PREDICATES:
        for values in reader.table(getattr(C, name)).values():
            referenced.update(key for key in map(_iri, values) if key)
    parties: dict[str, Party] = {}
    for iri in sorted(declared | referenced):
        classes = reader.types.get(iri, set())
        parties[iri] = Party(
            iri=iri,
            roles=frozenset(role for cls, role in ROLE_CLASSES.items() if cls in classes),
            organisation=reader.ref(iri, C.capacityOf),
            is_capacity=str(C.Capacity) in classes,
            declared=iri in declared,
            sector=reader.ref(iri, C.sector),
            country=_country(reader.literal(iri, C.country)),
        )
    return parties


def _country(code: str | None) -> str | None:
    return code.strip().upper() if code and code.strip() else None


def _read_duties(reader: _Reader) -> dict[str, Duty]:
    C = _TERMS
    return {
        iri: Duty(
            iri=iri,
            accountable=reader.ref(iri, C.accountable),
            performers=reader.refs(iri, C.performedBy),
            needs=reader.refs(iri, C.needs),
            protects=reader.refs(iri, C.protects),
            legal_basis=reader.refs(iri, C.legalBasis),
        )
        for iri in reader.instances(C.Duty)
    }


_HANDOFF_KINDS = (("DataProvision", "data-provision"), ("Report", "report"), ("Instruction", "instruction"))


def _read_handoffs(reader: _Reader) -> dict[str, HandOff]:
    C = _TERMS
    kinds = tuple((getattr(C, cls), name) for cls, name in _HANDOFF_KINDS)
    return {
        iri: HandOff(
            iri=iri,
            kind=reader.first_class(iri, kinds, "hand-off"),
            sender=reader.ref(iri, C.sender),
            receiver=reader.ref(iri, C.receiver),
            carries=reader.refs(iri, C.carries),
            serves=reader.refs(iri, C.serves),
            guarded_by=reader.refs(iri, C.guardedBy),
            lead_time=reader.literal(iri, C.leadTime),
            cadence=reader.literal(iri, C.cadence),
            acknowledged_by=reader.refs(iri, C.acknowledgedBy),
            failure_modes=reader.refs(iri, C.failureMode),
            classes=frozenset(reader.types[iri]),
            basis=reader.refs(iri, C.basis),
            start=reader.literal(iri, C.startDate),
            end=reader.literal(iri, C.endDate),
        )
        for iri in reader.instances(C.HandOff)
    }


def _category_flags(reader: _Reader) -> tuple[set[str], set[str], set[str]]:
    """(sensitive, may cause financial loss, Individual Number) categories, the ontology's own included."""
    C = _TERMS
    shipped = ontology_graph()
    categories = set(reader.instances(C.DataCategory))
    categories |= {str(s) for s in shipped.subjects(RDF.type, C.DataCategory)}

    def flagged(predicate) -> set[str]:
        own = {iri for iri in categories if reader.boolean(iri, predicate)}
        return own | {str(s) for s, o in shipped.subject_objects(predicate) if str(o).lower() in ("true", "1")}

    individual = {iri for iri in categories if iri == str(C.IndividualNumber)
                  or str(C.IndividualNumber) in reader.closure.get(iri, ())}
    return flagged(C.sensitive), flagged(C.financialLoss), individual


def _counts_for(reader: _Reader, iri: str) -> tuple[tuple[tuple[str, int], ...], tuple[tuple[str, str], ...]]:
    """Per-principal counts of an asset, and the qualifier of each one that has one."""
    C = _TERMS
    counts, qualifiers = [], []
    for node in reader.objects(iri, C.countFor):
        key = _iri(node)
        principal, count = reader.ref(key, C.principal), reader.integer(key, C.count)
        if principal and count is not None:
            counts.append((principal, count))
            qualifier = reader.ref(key, C.countQualifier)
            if qualifier:
                qualifiers.append((principal, qualifier))
    return tuple(sorted(counts)), tuple(sorted(qualifiers))


def _read_assets(reader: _Reader) -> dict[str, DataAsset]:
    C = _TERMS
    sensitive, financial, individual = _category_flags(reader)
    assets = {}
    for iri in reader.instances(C.DataAsset):
        categories = reader.refs(iri, C.category)
        sensitive_categories = tuple(c for c in categories if c in sensitive)
        counts, qualifiers = _counts_for(reader, iri)
        assets[iri] = DataAsset(
            iri=iri,
            subject_count=reader.integer(iri, C.subjectCount),
            counts=counts,
            categories=categories,
            sensitive_categories=sensitive_categories,
            sensitive=bool(reader.boolean(iri, C.sensitive)) or bool(sensitive_categories),
            anonymised=bool(reader.boolean(iri, C.anonymised)),
            controllers=tuple(sorted(set(reader.refs(iri, C.controller))
                                     | set(reader.refs(iri, URIRef(DPV + "hasDataController"))))),
            subset_of=reader.refs(iri, C.subsetOf),
            derived_from=reader.refs(iri, C.derivedFrom),
            subjects=reader.refs(iri, C.subjects),
            unit=reader.ref(iri, C.unit),
            count_qualifier=reader.ref(iri, C.countQualifier),
            count_qualifiers=qualifiers,
            same_population=reader.refs(iri, C.samePopulationAs),
            overlaps=reader.refs(iri, C.overlapsWith),
            disjoint=reader.refs(iri, C.disjointFrom),
            financial_categories=tuple(c for c in categories if c in financial),
            individual_number=any(c in individual for c in categories),
        )
    return _symmetric_relations(assets)


def _symmetric_relations(assets: dict[str, DataAsset]) -> dict[str, DataAsset]:
    """State each symmetric population relation on both assets it joins."""
    added: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for asset in assets.values():
        for name in ("same_population", "overlaps", "disjoint"):
            for other in getattr(asset, name):
                if other in assets and asset.iri not in getattr(assets[other], name):
                    added[other][name].add(asset.iri)
    for iri, extra in added.items():
        record = assets[iri]
        assets[iri] = DataAsset(**{**record.__dict__, **{name: tuple(sorted(set(getattr(record, name)) | found))
                                                          for name, found in extra.items()}})
    return assets


def _read_places(reader: _Reader) -> tuple[dict[str, Device], dict[str, DataCopy]]:
    C = _TERMS
    devices = {
        iri: Device(iri=iri, portable=reader.boolean(iri, C.portable), holder=reader.ref(iri, C.heldBy),
                    country=_country(reader.literal(iri, C.country)),
                    internet_facing=reader.boolean(iri, C.internetFacing), runs_by=reader.refs(iri, C.runBy),
                    connects_to=reader.refs(iri, C.connectsTo), failure_modes=reader.refs(iri, C.failureMode))
        for iri in reader.instances(C.Device)
    }
    copies = {
        iri: DataCopy(
            iri=iri,
            asset=reader.ref(iri, C.copyOf),
            device=reader.ref(iri, C.storedOn),
            holder=reader.ref(iri, C.heldBy),
            start=reader.literal(iri, C.startDate),
            end=reader.literal(iri, C.endDate),
            failure_modes=reader.refs(iri, C.failureMode),
            basis=reader.refs(iri, C.basis),
        )
        for iri in reader.instances(C.DataCopy)
    }
    return devices, copies


def _read_controls(reader: _Reader) -> dict[str, Control]:
    C = _TERMS
    kinds = ((C.PreventiveControl, "preventive"), (C.DetectiveControl, "detective"))
    return {
        iri: Control(
            iri=iri,
            kind=reader.first_class(iri, kinds, "control"),
            operators=reader.refs(iri, C.operatedBy),
            covers=reader.refs(iri, C.covers),
            notifies=reader.refs(iri, C.notifies) or reader.refs(iri, C.operatedBy),
            latency=reader.literal(iri, C.detectionLatency),
            rules_out_leak=reader.boolean(iri, C.rulesOutLeak),
            limitation=reader.texts(iri, C.limitation),
        )
        for iri in reader.instances(C.Control)
    }


def _read_failure_modes(reader: _Reader) -> dict[str, FailureMode]:
    """The ontology's failure modes, then the model's own (which may extend them)."""
    C = _TERMS
    shipped = ontology_graph()

    def shipped_flag(node) -> bool | None:
        values = [str(o).lower() for o in shipped.objects(node, C.improperPurpose)]
        return (values[0] in ("true", "1")) if values else None

    declared = [
        (str(node), sorted(str(o) for o in shipped.objects(node, C.appliesTo)),
         sorted(str(o) for o in shipped.objects(node, C.effect)), shipped_flag(node),
         sorted(str(o) for o in shipped.objects(node, C.kindOf)))
        for node in sorted(shipped.subjects(RDF.type, C.FailureMode))
    ] + [
        (key, sorted(_iri(o) for o in reader.objects(key, C.appliesTo)),
         sorted(_iri(o) for o in reader.objects(key, C.effect)), reader.boolean(key, C.improperPurpose),
         list(reader.refs(key, C.kindOf)))
        for key in reader.instances(C.FailureMode)
    ]
    stated: dict[str, tuple[tuple, list, bool | None, tuple]] = {}
    for key, applies_list, effects, improper, broader in declared:
        applies, kinds = tuple(applies_list), tuple(broader)
        if key in stated:
            previous = stated[key]
            applies = tuple(sorted(set(previous[0]) | set(applies)))
            effects = effects or previous[1]
            improper = previous[2] if improper is None else improper
            kinds = tuple(sorted(set(previous[3]) | set(kinds)))
        stated[key] = (applies, effects, improper, kinds)
    return dict(sorted((key, _inherit(key, stated, C)) for key in stated))


def _inherit(key: str, stated: dict, C) -> FailureMode:
    """A failure mode with what it does not state taken from the modes it is a kind of (cm:kindOf)."""
    applies, effects, improper, _ = stated[key]
    lineage, frontier = [key], list(stated[key][3])
    while frontier:
        broader = frontier.pop(0)
        if broader in lineage or broader not in stated:
            continue
        lineage.append(broader)
        effects = effects or stated[broader][1]
        improper = stated[broader][2] if improper is None else improper
        frontier.extend(stated[broader][3])
    return FailureMode(key, applies, effects[0] if effects else str(C.Breaks), improper, tuple(lineage))


_EVENT_KINDS = (("ExposureBegan", "exposure-began"), ("Detected", "detected"), ("Reported", "reported"),
                ("Deleted", "deleted"), ("Returned", "returned"), ("BecameAware", "became-aware"),
                ("Recovered", "recovered"), ("ProvisionStopped", "provision-stopped"), ("ExposureEnded", "exposure-ended"))
_REPORT_STAGES = (("PreliminaryReport", "preliminary"), ("FinalReport", "final"))


def _read_events(reader: _Reader) -> tuple[dict[str, Event], dict[str, Incident]]:
    C = _TERMS
    kinds = tuple((getattr(C, cls), name) for cls, name in _EVENT_KINDS)
    events = {
        iri: Event(
            iri=iri,
            kind=reader.first_class(iri, kinds, "event"),
            date=reader.literal(iri, C.date),
            actor=reader.ref(iri, C.actor),
            concerns=reader.refs(iri, C.concerns),
            notified_to=reader.refs(iri, C.notifiedTo),
            stage=_stage(reader, iri),
        )
        for iri in reader.instances(C.Event)
    }
    incidents = {
        iri: Incident(iri=iri, concerns=reader.refs(iri, C.concerns), failed_with=reader.refs(iri, C.failedWith),
                      events=reader.refs(iri, C.hasEvent), improper_purpose=reader.boolean(iri, C.improperPurpose))
        for iri in reader.instances(C.Incident)
    }
    return events, incidents


def _stage(reader: _Reader, iri: str) -> str | None:
    stage = reader.first_class(iri, tuple((getattr(_TERMS, cls), name) for cls, name in _REPORT_STAGES), "")
    return stage or None


_PERSON_KINDS = (("DispatchedWorker", "dispatched-worker"), ("ContractorStaff", "contractor-staff"),
                 ("Employee", "employee"))


def _read_access(reader: _Reader) -> tuple[dict[str, Person], dict[str, Account]]:
    """Persons (whom they work for, where they are placed) and the accounts that open systems."""
    C = _TERMS
    kinds = tuple((getattr(C, cls), name) for cls, name in _PERSON_KINDS)
    persons = {iri: Person(iri=iri, works_for=reader.refs(iri, C.worksFor), placed_at=reader.refs(iri, C.placedAt),
                           kind=reader.first_class(iri, kinds, "person"))
               for iri in reader.instances(C.Person)}
    accounts = {iri: Account(iri=iri, users=reader.refs(iri, C.usedBy), systems=reader.refs(iri, C.grantsAccessTo),
                             reads=reader.refs(iri, C.readsData), administrator=reader.boolean(iri, C.administrator),
                             shared=reader.boolean(iri, C.sharedAccount))
                for iri in reader.instances(C.Account)}
    return persons, accounts


def _read_attacks(reader: _Reader) -> tuple[dict[str, Attack], dict[str, Condition]]:
    """Attacks that need several conditions, and the conditions."""
    C = _TERMS
    attacks = {iri: Attack(iri=iri, target=reader.ref(iri, C.target), requires=reader.refs(iri, C.requires),
                           modes=reader.refs(iri, C.failureMode), attacker=reader.ref(iri, C.attacker))
               for iri in reader.instances(C.Attack)}
    named = set(reader.instances(C.Condition)) | {c for attack in attacks.values() for c in attack.requires}
    conditions = {iri: Condition(iri=iri, concerns=reader.refs(iri, C.concerns), always=reader.boolean(iri, C.alwaysHolds))
                  for iri in sorted(named)}
    return attacks, conditions


_BASIS_KINDS = (("ConsentProvision", "consent"), ("OptOutProvision", "opt-out"), ("JointUse", "joint-use"),
                ("ProvisionUnderLaw", "under-law"))

_CLAUSE_KINDS = (("ReconsignmentRequiresApproval", "reconsignment-requires-approval"),
                 ("ReconsignmentProhibited", "reconsignment-prohibited"),
                 ("ReconsignmentOnlyTo", "reconsignment-only-to"),
                 ("ReconsignmentWithinCountry", "reconsignment-within-country"),
                 ("DataStaysInCountry", "data-stays-in-country"),
                 ("DeletionWithinPeriod", "deletion-within-period"))


def _read_bases(reader: _Reader) -> dict[str, Basis]:
    """Provision bases (a consignment is read as a consignment; cm:NoBasis is a name, not a record)."""
    C = _TERMS
    kinds = tuple((getattr(C, cls), name) for cls, name in _BASIS_KINDS)
    bases = {
        iri: Basis(
            iri=iri,
            kind=reader.first_class(iri, kinds, "provision"),
            providers=reader.refs(iri, C.provider),
            recipients=reader.refs(iri, C.recipient),
            data=reader.refs(iri, C.providesData),
            start=reader.literal(iri, C.startDate),
            end=reader.literal(iri, C.endDate),
            agreement=reader.ref(iri, C.agreement),
            laws=reader.refs(iri, C.underLaw),
        )
        for iri in reader.instances(C.ProvisionBasis)
    }
    return bases


def _read_agreements(reader: _Reader) -> tuple[dict[str, Agreement], dict[str, Clause]]:
    C = _TERMS
    kinds = tuple((getattr(C, cls), name) for cls, name in _CLAUSE_KINDS)
    named = set(reader.instances(C.Agreement))
    for values in reader.table(C.agreement).values():
        named.update(key for key in map(_iri, values) if key)
    agreements = {iri: Agreement(iri=iri, clauses=reader.refs(iri, C.clause)) for iri in sorted(named)}
    clause_iris = set(reader.instances(C.Clause)) | {c for a in agreements.values() for c in a.clauses}
    clauses = {
        iri: Clause(
            iri=iri,
            kind=reader.first_class(iri, kinds, "clause"),
            article=reader.literal(iri, C.article),
            permitted=reader.refs(iri, C.permittedParty),
            country=_country(reader.literal(iri, C.country)),
            period=reader.literal(iri, C.period),
        )
        for iri in sorted(clause_iris)
    }
    return agreements, clauses


def _types_by_key(types: dict) -> dict[str, frozenset[str]]:
    """Element -> its classes, sorted by IRI like the records (whatever order the backend reads in)."""
    return {key: value if type(value) is frozenset else frozenset(value) for key, value in
            ((key, types[key]) for key in sorted(types))}


def _by_key(records: dict) -> dict:
    """The records sorted by IRI, as every dictionary of the view is."""
    return dict(sorted(records.items()))


def _chain_view(model: ChainModel, keep_scans: bool = True) -> ChainView:
    reader = _Reader(model.graph)
    records = processing_records(_StandardsReader(reader), reader.types, set(reader.instances(_TERMS.DataAsset)))
    consignments, standard = _read_consignments(reader, records)
    consignments, ambiguous = _infer_parents(consignments)
    parties = _read_parties(reader, consignments)
    duties = _read_duties(reader)
    duties.update(_activity_duties(consignments, duties, standard))
    consignments = _entrust_implicitly(consignments, duties)
    handoffs = _read_handoffs(reader)
    handoffs.update(_record_provisions(records))
    assets = _read_assets(reader)
    assets.update(_record_assets(records))
    devices, copies = _read_places(reader)
    events, incidents = _read_events(reader)
    agreements, clauses = _read_agreements(reader)
    persons, accounts = _read_access(reader)
    attacks, conditions = _read_attacks(reader)
    used = terms_used(model.graph)
    view = ChainView(
        model=model,
        parties=parties,
        consignments=_by_key(consignments),  # the records standards give join those of cm: terms
        duties=_by_key(duties),
        handoffs=_by_key(handoffs),
        assets=_by_key(assets),
        copies=copies,
        devices=devices,
        controls=_read_controls(reader),
        failure_modes=_read_failure_modes(reader),
        events=events,
        incidents=incidents,
        bases=_read_bases(reader),
        agreements=agreements,
        clauses=clauses,
        persons=persons,
        accounts=accounts,
        attacks=attacks,
        conditions=conditions,
        types=_types_by_key(reader.types),
        ambiguous_parents=ambiguous,
        terms_used=used,
        classes_read=frozenset(cls for cls in used if _reads_as_ours(reader.closure.get(cls, ()), cls)),
        unknown_uses=_unknown_uses(model.graph, used),
        scans=reader.tables if keep_scans else {},
    )
    view.unresolved = _unresolved_references(view)
    return view


@lru_cache(maxsize=None)
def defined_terms() -> frozenset[str]:
    """IRIs the chainmodel ontology defines."""
    return frozenset(str(s) for s in ontology_graph().subjects()
                     if isinstance(s, URIRef) and str(s).startswith(CHAINMODEL_NS) and str(s) != CHAINMODEL_NS)


def _unknown_uses(graph, used: frozenset[str], limit: int = 3) -> tuple[tuple[str, str], ...]:
    """A few subjects using each chainmodel-namespace term the ontology does not define."""
    defined = defined_terms()
    found: list[tuple[str, str]] = []
    for term in sorted(t for t in used if t.startswith(CHAINMODEL_NS) and t not in defined and t != CHAINMODEL_NS):
        node, subjects = URIRef(term), set()
        for predicate, value in ((node, None), (RDF.type, node), (None, node)):
            try:
                subjects = {str(s) for s in graph.subjects(predicate, value) if isinstance(s, URIRef)}
            except (TypeError, ValueError):  # a backend that cannot match this pattern names no subject
                subjects = set()
            if subjects:
                break
        found += [(term, subject) for subject in sorted(subjects)[:limit]]
        if not subjects:
            found.append((term, ""))
    return tuple(found)


def _reads_as_ours(superclasses, cls: str) -> bool:
    return any(up != cls and (up.startswith(CHAINMODEL_NS) or up in READ_AS) for up in superclasses)


def terms_used(graph) -> frozenset[str]:
    """Every predicate, every class named by ``rdf:type``, and every chainmodel-namespace IRI.

    A backend may answer this itself (``graph.terms_used()``, e.g. inside a store); an rdflib
    graph is read once, triple by triple.

    Examples
    --------
    >>> from rdflib import Graph
    >>> graph = Graph().parse(format="turtle", data="@prefix cm: <https://w3id.org/chainmodel#> . "
    ...                       "<urn:x> a cm:Consigment ; cm:approval cm:Aproved .")
    >>> sorted(t.rsplit("#")[-1] for t in terms_used(graph))
    ['Aproved', 'Consigment', 'approval', 'type']
    """
    own = getattr(graph, "terms_used", None)
    if own is not None:
        return frozenset(own(CHAINMODEL_NS))
    found: set[str] = set()
    rdf_type = RDF.type
    for subject, predicate, value in graph.triples((None, None, None)):
        found.add(predicate)
        if isinstance(value, URIRef) and (predicate == rdf_type or value.startswith(CHAINMODEL_NS)):
            found.add(value)
        if isinstance(subject, URIRef) and subject.startswith(CHAINMODEL_NS):
            found.add(subject)
    return frozenset(str(term) for term in found)


def _infer_parents(consignments: dict[str, Consignment]) -> tuple[dict[str, Consignment], tuple[str, ...]]:
    """Fill in the parents of re-consignments that do not state ``cm:extends``.

    A consignment whose consignor is the consignee of other consignments extends the one
    that shares a duty or data asset with it; when several qualify, all are kept as
    parents and the consignment is reported as ambiguous.
    """
    into: dict[str, list[Consignment]] = defaultdict(list)
    for consignment in consignments.values():
        into[consignment.consignee].append(consignment)
    result: dict[str, Consignment] = {}
    ambiguous: list[str] = []
    for iri, consignment in consignments.items():
        if consignment.parents:
            result[iri] = consignment
            continue
        candidates = [c for c in into.get(consignment.consignor, []) if c.iri != iri]
        entrusted = consignment.duties | consignment.data
        if entrusted:
            sharing = [c for c in candidates if (c.duties | c.data) & entrusted]
            candidates = sharing or [c for c in candidates if not (c.duties | c.data)]
        if not candidates:
            result[iri] = consignment
            continue
        if len(candidates) > 1:
            ambiguous.append(iri)
        parents = tuple(sorted(c.iri for c in candidates))
        result[iri] = Consignment(**{**consignment.__dict__, "parents": parents, "parents_inferred": True})
    return result, tuple(sorted(ambiguous))


def _entrust_implicitly(consignments: dict[str, Consignment], duties: dict[str, Duty]) -> dict[str, Consignment]:
    """Give a consignment read from ``prov:actedOnBehalfOf`` or ``cm:consignsTo`` its duties.

    Such a statement says nothing about what is entrusted, so it is read as a general
    delegation: at tier 1, every duty the consignor is accountable for; below, whatever
    the consignment it extends entrusts.
    """
    accountable_for: dict[str, set[str]] = defaultdict(set)
    for duty in duties.values():
        if duty.accountable:
            accountable_for[duty.accountable].add(duty.iri)
    result = dict(consignments)
    settled: dict[str, frozenset[str]] = {}

    def entrusted(iri: str, seen: frozenset) -> frozenset[str]:
        consignment = result[iri]
        if not consignment.implicit or consignments[iri].duties:
            return consignment.duties
        if iri in settled:
            return settled[iri]
        found = set(accountable_for.get(consignment.consignor, ()))
        for parent in consignment.parents:
            if parent in result and parent not in seen:
                found |= entrusted(parent, seen | {iri})
        settled[iri] = frozenset(found)
        return settled[iri]

    for iri in sorted(result):
        if result[iri].implicit and not consignments[iri].duties:  # PROV activities and DPV processes say what
            result[iri] = Consignment(**{**result[iri].__dict__, "duties": entrusted(iri, frozenset())})
    return result


def _unresolved_references(view: ChainView) -> tuple[tuple[str, str, str], ...]:
    """(subject, property, object) triples whose object is used but never declared."""
    declared = set(view.types)
    CM = _TERMS  # CM.x costs a metaclass call each time
    missing: list[tuple[str, str, str]] = []

    def check(subject: str, prop, values: Iterable[str | None]) -> None:
        for value in values:
            if value and value not in declared and not value.startswith("urn:chainmodel:implicit:"):
                missing.append((subject, str(prop), value))

    for c in view.consignments.values():
        if c.implicit:
            continue
        check(c.iri, CM.consignor, [c.consignor])
        check(c.iri, CM.consignee, [c.consignee])
        check(c.iri, CM.extends, c.parents if not c.parents_inferred else ())
        check(c.iri, CM.entrusts, c.duties)
        check(c.iri, CM.entrustsData, c.data)
    for d in view.duties.values():
        check(d.iri, CM.accountable, [d.accountable])
        check(d.iri, CM.performedBy, d.performers)
        check(d.iri, CM.needs, d.needs)
        check(d.iri, CM.protects, d.protects)
    for h in view.handoffs.values():
        check(h.iri, CM.sender, [h.sender])
        check(h.iri, CM.receiver, [h.receiver])
        check(h.iri, CM.carries, h.carries)
        check(h.iri, CM.serves, h.serves)
        check(h.iri, CM.guardedBy, h.guarded_by)
    for copy in view.copies.values():
        check(copy.iri, CM.copyOf, [copy.asset])
        check(copy.iri, CM.storedOn, [copy.device])
        check(copy.iri, CM.heldBy, [copy.holder])
    for control in view.controls.values():
        check(control.iri, CM.operatedBy, control.operators)
        check(control.iri, CM.covers, control.covers)
    for party in view.parties.values():
        check(party.iri, CM.capacityOf, [party.organisation])
    return tuple(sorted(set(missing)))


# -- PROV-O activities and DPV records of processing (see chainmodel.standards) ---------------


class _StandardsReader:
    """What :func:`chainmodel.standards.processing_records` needs of the graph, from the reader's scans."""

    def __init__(self, reader: _Reader):
        self._reader = reader

    def __call__(self, subject: str, predicate: str) -> tuple[str, ...]:
        return self._reader.refs(subject, URIRef(predicate))

    def subjects(self, predicate: str) -> list[str]:
        return sorted(self._reader.table(URIRef(predicate)))


def _activity_duties(consignments: dict[str, Consignment], known: dict[str, Duty], standard: set[str]) -> dict[str, Duty]:
    """A PROV activity or DPV process entrusted by a delegation is a duty of the agent at the top of its chains."""
    tops: dict[str, set[str]] = defaultdict(set)
    for consignment in consignments.values():
        if consignment.iri not in standard:
            continue
        for duty in consignment.duties - known.keys():
            from_above = any(duty in consignments[p].duties for p in consignment.parents if p in consignments)
            if not from_above and consignment.consignor:
                tops[duty].add(consignment.consignor)
        for duty in consignment.duties - known.keys():
            tops.setdefault(duty, set())
    return {duty: Duty(iri=duty, accountable=min(found) if found else None) for duty, found in sorted(tops.items())}


def _record_provisions(records) -> dict[str, HandOff]:
    provisions = {}
    for record in records:
        carried = record.assets + ((record.implicit_asset,) if record.implicit_asset else ())
        for key, sender, receiver in record.provisions:
            provisions[key] = HandOff(iri=key, kind="data-provision", sender=sender, receiver=receiver, carries=carried,
                                      classes=frozenset({str(CM.DataProvision), str(CM.HandOff)}))
    return provisions


def _record_assets(records) -> dict[str, DataAsset]:
    return {
        record.implicit_asset: DataAsset(iri=record.implicit_asset, categories=record.categories,
                                         sensitive=record.sensitive, controllers=record.controllers)
        for record in records if record.implicit_asset
    }


def name_implicit(view: ChainView) -> None:
    """Label the elements read from PROV-O and DPV that the model does not name ("city -> vendor: work")."""
    model = view.model
    labels = getattr(model, "derived_labels", None)
    if labels is None:
        return

    def names(iris, lang: str) -> str:
        return ", ".join(model.label(i, lang) for i in sorted(iris))

    for iri, consignment in view.consignments.items():
        if iri.startswith("urn:chainmodel:implicit:") and consignment.consignor:
            labels[iri] = [(f"{model.label(consignment.consignor, lang)} -> {model.label(consignment.consignee, lang)}"
                            + (f": {names(consignment.duties, lang)}" if consignment.duties else ""), lang)
                           for lang in ("en", "ja")]
    for iri, asset in view.assets.items():
        if iri.startswith("urn:chainmodel:implicit:"):
            labels[iri] = [(f"personal data: {names(asset.categories, 'en')}", "en"),
                           (f"個人データ：{names(asset.categories, 'ja')}", "ja")]
    for iri, handoff in view.handoffs.items():
        if iri.startswith("urn:chainmodel:implicit:") and handoff.sender and handoff.receiver:
            labels[iri] = [(f"{model.label(handoff.sender, lang)} -> {model.label(handoff.receiver, lang)}: "
                            f"{names(handoff.carries, lang)}", lang) for lang in ("en", "ja")]
