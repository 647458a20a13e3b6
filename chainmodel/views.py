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

import hashlib
import re
from sys import intern
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterable

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from .loading import paused_gc
from .model import ChainModel, ontology_graph
from .namespace import CM

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
    "ChainView",
    "ROLE_CLASSES",
    "ViewIndex",
    "chain_view",
    "duration_months",
    "superclass_closure",
]

PROV = "http://www.w3.org/ns/prov#"
DPV = "https://w3id.org/dpv#"
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


@dataclass(frozen=True)
class DataCopy:
    iri: str
    asset: str | None
    device: str | None
    holder: str | None
    start: str | None = None
    end: str | None = None
    failure_modes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Device:
    iri: str
    portable: bool | None
    holder: str | None


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
    iri: str
    applies_to: tuple[str, ...]
    effect: str


@dataclass(frozen=True)
class Event:
    iri: str
    kind: str
    date: str | None
    actor: str | None
    concerns: tuple[str, ...] = ()
    notified_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class Incident:
    iri: str
    concerns: tuple[str, ...]
    failed_with: tuple[str, ...]
    events: tuple[str, ...]


def _implicit_iri(kind: str, *parts: str) -> str:
    digest = hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:16]
    return f"urn:chainmodel:implicit:{kind}:{digest}"


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
    types: dict[str, frozenset[str]] = field(default_factory=dict)
    unresolved: tuple[tuple[str, str, str], ...] = ()
    ambiguous_parents: tuple[str, ...] = ()
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


C = _Terms()


def chain_view(model: ChainModel, keep_scans: bool = True) -> ChainView:
    """Derive the :class:`ChainView` of a model. Pure: the graph is only read.

    ``keep_scans`` keeps what was read of the graph on the view (``view.scans``) so that
    validation need not read it again; pass False to save memory when nothing will
    validate the view. (The view a store saved when it was loaded is read by
    :func:`chainmodel.snapshot.chain_view`, which ``chainmodel.chain_view`` is.)
    """
    with paused_gc():
        return _chain_view(model, keep_scans)


def _chain_view(model: ChainModel, keep_scans: bool = True) -> ChainView:
    graph = model.graph
    closure = superclass_closure(model.graph)
    tables: dict[str, dict[str, list]] = {}

    def table(predicate) -> dict[str, list]:
        """subject key -> objects of one predicate, from one scan of the store."""
        key = str(predicate)
        if key not in tables:
            found: dict[str, list] = defaultdict(list)
            for subject, value in graph.subject_objects(predicate):
                subject_key = _iri(subject)
                if subject_key is not None:
                    found[intern(subject_key)].append(value)  # one string per subject across tables
            tables[key] = found
        return tables[key]

    def objects(subject: str, predicate) -> list:
        return sorted(table(predicate).get(subject, ()), key=str)

    def refs(subject: str, predicate) -> tuple[str, ...]:
        return tuple(sorted({_iri(o) for o in objects(subject, predicate) if _iri(o)}))

    def ref(subject: str, predicate) -> str | None:
        values = refs(subject, predicate)
        return values[0] if values else None

    def literal(subject: str, predicate) -> str | None:
        values = sorted(str(o) for o in objects(subject, predicate) if isinstance(o, Literal))
        return values[0] if values else None

    def boolean(subject: str, predicate) -> bool | None:
        value = literal(subject, predicate)
        if value is None:
            return None
        return value.strip().lower() in ("true", "1")

    def integer(subject: str, predicate) -> int | None:
        value = literal(subject, predicate)
        try:
            return int(value) if value is not None else None
        except ValueError:
            return None

    types: dict[str, set[str]] = defaultdict(set)
    for subject, cls in graph.subject_objects(RDF.type):
        key = _iri(subject)
        if key is None or not isinstance(cls, URIRef):
            continue
        types[key] |= closure.get(str(cls), frozenset({str(cls)}))

    def instances(cls) -> list[str]:
        return sorted(iri for iri, classes in types.items() if str(cls) in classes)

    # -- consignments, including those read from PROV and the shortcut property ----------
    raw: dict[str, dict] = {}
    for iri in instances(C.Consignment):
        raw[iri] = {"consignor": ref(iri, C.consignor), "consignee": ref(iri, C.consignee), "implicit": False}
    for delegate, delegation in graph.subject_objects(URIRef(PROV + "qualifiedDelegation")):
        key = _iri(delegation)
        if key and key not in raw:
            raw[key] = {"consignor": ref(key, URIRef(PROV + "agent")), "consignee": _iri(delegate), "implicit": True}
            types[key].add(str(C.Consignment))
    linked = {(entry["consignor"], entry["consignee"]) for entry in raw.values()}
    shortcut_pairs = [(str(s), str(o)) for s, o in graph.subject_objects(C.consignsTo)]
    shortcut_pairs += [(str(o), str(s)) for s, o in graph.subject_objects(URIRef(PROV + "actedOnBehalfOf"))]
    for consignor, consignee in sorted(set(shortcut_pairs)):
        if (consignor, consignee) not in linked:
            key = _implicit_iri("consignment", consignor, consignee)
            raw[key] = {"consignor": consignor, "consignee": consignee, "implicit": True}
            linked.add((consignor, consignee))

    consignments: dict[str, Consignment] = {}
    for iri in sorted(raw):
        entry = raw[iri]
        implicit = entry["implicit"]
        consignments[iri] = Consignment(
            iri=iri,
            consignor=entry["consignor"],
            consignee=entry["consignee"],
            parents=() if implicit else refs(iri, C.extends),
            duties=frozenset(() if implicit else refs(iri, C.entrusts)),
            data=frozenset(() if implicit else refs(iri, C.entrustsData)),
            approval=None if implicit else ref(iri, C.approval),
            approved_by=() if implicit else refs(iri, C.approvedBy),
            start=None if implicit else literal(iri, C.startDate),
            end=None if implicit else literal(iri, C.endDate),
            stated_tier=None if implicit else integer(iri, C.tier),
            implicit=implicit,
        )
    consignments, ambiguous = _infer_parents(consignments)

    # -- parties -------------------------------------------------------------------------
    party_iris = set(instances(C.Agent))
    referenced_parties: set[str] = set()
    for consignment in consignments.values():
        referenced_parties |= {consignment.consignor, consignment.consignee} - {None}
    party_predicates = (C.sender, C.receiver, C.accountable, C.performedBy, C.operatedBy,
                        C.notifies, C.heldBy, C.controller, C.principal, C.approvedBy,
                        C.actor, C.notifiedTo, C.capacityOf)
    for predicate in party_predicates:
        for values in table(predicate).values():
            referenced_parties.update(key for key in map(_iri, values) if key)
    parties: dict[str, Party] = {}
    for iri in sorted(party_iris | referenced_parties):
        classes = types.get(iri, set())
        parties[iri] = Party(
            iri=iri,
            roles=frozenset(role for cls, role in ROLE_CLASSES.items() if cls in classes),
            organisation=ref(iri, C.capacityOf),
            is_capacity=str(C.Capacity) in classes,
            declared=iri in party_iris,
        )

    duties = {
        iri: Duty(
            iri=iri,
            accountable=ref(iri, C.accountable),
            performers=refs(iri, C.performedBy),
            needs=refs(iri, C.needs),
            protects=refs(iri, C.protects),
            legal_basis=refs(iri, C.legalBasis),
        )
        for iri in instances(C.Duty)
    }

    def handoff_kind(classes: set[str]) -> str:
        if str(C.DataProvision) in classes:
            return "data-provision"
        if str(C.Report) in classes:
            return "report"
        if str(C.Instruction) in classes:
            return "instruction"
        return "hand-off"

    handoffs = {}
    for iri in instances(C.HandOff):
        handoffs[iri] = HandOff(
            iri=iri,
            kind=handoff_kind(types[iri]),
            sender=ref(iri, C.sender),
            receiver=ref(iri, C.receiver),
            carries=refs(iri, C.carries),
            serves=refs(iri, C.serves),
            guarded_by=refs(iri, C.guardedBy),
            lead_time=literal(iri, C.leadTime),
            cadence=literal(iri, C.cadence),
            acknowledged_by=refs(iri, C.acknowledgedBy),
            failure_modes=refs(iri, C.failureMode),
            classes=frozenset(types[iri]),
        )

    consignments = _entrust_implicitly(consignments, duties)

    category_sensitive = {iri for iri in instances(C.DataCategory) if boolean(iri, C.sensitive)}
    assets = {}
    for iri in instances(C.DataAsset):
        categories = refs(iri, C.category)
        sensitive_categories = tuple(c for c in categories if c in category_sensitive)
        counts = []
        for node in objects(iri, C.countFor):
            key = _iri(node)
            principal, count = ref(key, C.principal), integer(key, C.count)
            if principal and count is not None:
                counts.append((principal, count))
        assets[iri] = DataAsset(
            iri=iri,
            subject_count=integer(iri, C.subjectCount),
            counts=tuple(sorted(counts)),
            categories=categories,
            sensitive_categories=sensitive_categories,
            sensitive=bool(boolean(iri, C.sensitive)) or bool(sensitive_categories),
            anonymised=bool(boolean(iri, C.anonymised)),
            controllers=refs(iri, C.controller),
            subset_of=refs(iri, C.subsetOf),
            derived_from=refs(iri, C.derivedFrom),
            subjects=refs(iri, C.subjects),
        )

    devices = {
        iri: Device(iri=iri, portable=boolean(iri, C.portable), holder=ref(iri, C.heldBy))
        for iri in instances(C.Device)
    }
    copies = {
        iri: DataCopy(
            iri=iri,
            asset=ref(iri, C.copyOf),
            device=ref(iri, C.storedOn),
            holder=ref(iri, C.heldBy),
            start=literal(iri, C.startDate),
            end=literal(iri, C.endDate),
            failure_modes=refs(iri, C.failureMode),
        )
        for iri in instances(C.DataCopy)
    }

    controls = {}
    for iri in instances(C.Control):
        classes = types[iri]
        kind = ("preventive" if str(C.PreventiveControl) in classes
                else "detective" if str(C.DetectiveControl) in classes else "control")
        limitation = tuple(sorted(
            (o.language or "", str(o)) for o in objects(iri, C.limitation) if isinstance(o, Literal)
        ))
        controls[iri] = Control(
            iri=iri,
            kind=kind,
            operators=refs(iri, C.operatedBy),
            covers=refs(iri, C.covers),
            notifies=refs(iri, C.notifies) or refs(iri, C.operatedBy),
            latency=literal(iri, C.detectionLatency),
            rules_out_leak=boolean(iri, C.rulesOutLeak),
            limitation=limitation,
        )

    shipped = ontology_graph()
    declared_modes = [  # the ontology's modes first, then the model's own (which may extend them)
        (str(node), sorted(str(o) for o in shipped.objects(node, C.appliesTo)),
         sorted(str(o) for o in shipped.objects(node, C.effect)))
        for node in sorted(shipped.subjects(RDF.type, C.FailureMode))
    ] + [
        (key, sorted(_iri(o) for o in objects(key, C.appliesTo)), sorted(_iri(o) for o in objects(key, C.effect)))
        for key in instances(C.FailureMode)
    ]
    failure_modes: dict[str, FailureMode] = {}
    for key, applies_list, effects in declared_modes:
        applies = tuple(applies_list)
        if key in failure_modes:
            previous = failure_modes[key]
            applies = tuple(sorted(set(previous.applies_to) | set(applies)))
            effects = effects or [previous.effect]
        failure_modes[key] = FailureMode(key, applies, effects[0] if effects else str(C.Breaks))

    def event_kind(classes: set[str]) -> str:
        for cls, name in ((C.ExposureBegan, "exposure-began"), (C.Detected, "detected"), (C.Reported, "reported")):
            if str(cls) in classes:
                return name
        return "event"

    events = {
        iri: Event(
            iri=iri,
            kind=event_kind(types[iri]),
            date=literal(iri, C.date),
            actor=ref(iri, C.actor),
            concerns=refs(iri, C.concerns),
            notified_to=refs(iri, C.notifiedTo),
        )
        for iri in instances(C.Event)
    }
    incidents = {
        iri: Incident(iri=iri, concerns=refs(iri, C.concerns), failed_with=refs(iri, C.failedWith),
                      events=refs(iri, C.hasEvent))
        for iri in instances(C.Incident)
    }

    view = ChainView(
        model=model,
        parties=parties,
        consignments=consignments,
        duties=duties,
        handoffs=handoffs,
        assets=assets,
        copies=copies,
        devices=devices,
        controls=controls,
        failure_modes=dict(sorted(failure_modes.items())),
        events=events,
        incidents=incidents,
        types={key: frozenset(value) for key, value in types.items()},
        ambiguous_parents=ambiguous,
        scans=tables if keep_scans else {},
    )
    view.unresolved = _unresolved_references(view)
    return view


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
        if not consignment.implicit:
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
        if result[iri].implicit:
            result[iri] = Consignment(**{**result[iri].__dict__, "duties": entrusted(iri, frozenset())})
    return result


def _unresolved_references(view: ChainView) -> tuple[tuple[str, str, str], ...]:
    """(subject, property, object) triples whose object is used but never declared."""
    declared = set(view.types)
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
