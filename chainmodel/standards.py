"""How PROV-O delegations and DPV records of processing are read, as plain values for the view.

PROV-O, written the standard way::

    ex:vendor prov:qualifiedDelegation [ a prov:Delegation ; prov:agent ex:city ; prov:hadActivity ex:work ] .

is a consignment from ``ex:city`` (the agent) to ``ex:vendor`` (the delegate) that entrusts
the activity ``ex:work`` as a duty (accountable: the agent at the top of its chains). A
delegation given as a blank node is named ``urn:chainmodel:implicit:delegation:...`` from its
agent, delegate and activities (stable from run to run) and labelled "city -> vendor: work".
chainmodel terms on the delegation node (``cm:extends``, ``cm:approval``, ``cm:entrustsData``,
dates) are read too.

A DPV record of processing (any node with ``dpv:hasDataController``) is read as far as it
goes: each ``dpv:hasDataProcessor`` or ``dpv:isImplementedByEntity`` that is not a controller
is a consignee of each controller, entrusted with the process as its duty; a processor typed
``dpv:DataSubProcessor`` is a re-consignee of the record's one other processor;
``dpv:hasPersonalData`` names data assets (a value declared ``cm:DataAsset``) or categories of
one data asset of the record (sensitive when a value is typed ``dpv:SensitivePersonalData`` or
``dpv:SpecialCategoryPersonalData``); each ``dpv:hasRecipient`` receives that data by a data
provision from the controller.

Examples
--------
>>> key = delegation_key("_:f0b1", "https://example.org/city", "https://example.org/vendor", ("https://example.org/work",))
>>> key.startswith("urn:chainmodel:implicit:delegation:"), key == delegation_key("_:f9b9", "https://example.org/city",
...     "https://example.org/vendor", ("https://example.org/work",))
(True, True)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

__all__ = ["PROV", "DPV", "READ_TERMS", "delegation_key", "implicit_iri", "ProcessingRecord", "processing_records"]

PROV = "http://www.w3.org/ns/prov#"
DPV = "https://w3id.org/dpv#"
SENSITIVE_CLASSES = (DPV + "SensitivePersonalData", DPV + "SpecialCategoryPersonalData")

READ_TERMS = frozenset({
    PROV + "qualifiedDelegation", PROV + "agent", PROV + "hadActivity", PROV + "actedOnBehalfOf",
    PROV + "Delegation", PROV + "Activity",
    DPV + "hasDataController", DPV + "hasDataProcessor", DPV + "isImplementedByEntity", DPV + "hasPersonalData",
    DPV + "hasRecipient", DPV + "PersonalData", *SENSITIVE_CLASSES,
})
"""The PROV-O and DPV terms the view reads (the roles of :data:`chainmodel.views.READ_AS` aside)."""


def implicit_iri(kind: str, *parts: str) -> str:
    """A stable IRI for an element the model implies but does not name."""
    digest = hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:16]
    return f"urn:chainmodel:implicit:{kind}:{digest}"


def delegation_key(node: str, agent: str | None, delegate: str | None, activities: tuple[str, ...]) -> str:
    """The key of a qualified delegation: its IRI, or for a blank node one made from what it says."""
    if not node.startswith("_:"):
        return node
    return implicit_iri("delegation", agent or "", delegate or "", *sorted(activities))


@dataclass
class ProcessingRecord:
    """What one DPV record of processing says, in chainmodel terms."""

    iri: str
    controllers: tuple[str, ...]
    consignments: list[tuple[str, str, str]] = field(default_factory=list)
    """(key, consignor, consignee) for each processor and sub-processor."""
    assets: tuple[str, ...] = ()
    implicit_asset: str | None = None
    categories: tuple[str, ...] = ()
    sensitive: bool = False
    provisions: list[tuple[str, str, str]] = field(default_factory=list)
    """(key, sender, receiver) for each recipient."""


def processing_records(refs, types: dict, declared_assets: set[str]) -> list[ProcessingRecord]:
    """Read every node with ``dpv:hasDataController`` that is not itself a consignment or data asset.

    ``refs(subject, predicate_iri)`` gives the sorted IRIs of a subject's values; ``types``
    maps an IRI to its classes (closed over subclasses); ``refs.subjects(predicate_iri)``
    lists the subjects that use a predicate.
    """
    records = []
    for record in sorted(refs.subjects(DPV + "hasDataController")):
        if record in declared_assets or "https://w3id.org/chainmodel#Consignment" in types.get(record, ()):
            continue
        controllers = refs(record, DPV + "hasDataController")
        found = ProcessingRecord(record, controllers)
        processors = sorted(set(refs(record, DPV + "hasDataProcessor")) | set(refs(record, DPV + "isImplementedByEntity")))
        processors = [p for p in processors if p not in controllers]
        subs = [p for p in processors if DPV + "DataSubProcessor" in types.get(p, ())]
        mains = [p for p in processors if p not in subs]
        for controller in controllers:
            for processor in mains:
                found.consignments.append((implicit_iri("processing", record, controller, processor), controller, processor))
        if len(mains) == 1:
            for sub in subs:
                found.consignments.append((implicit_iri("processing", record, mains[0], sub), mains[0], sub))
        values = refs(record, DPV + "hasPersonalData")
        found.assets = tuple(v for v in values if v in declared_assets)
        found.categories = tuple(v for v in values if v not in declared_assets)
        if found.categories:
            found.implicit_asset = implicit_iri("data", record)
            found.sensitive = any(cls in types.get(v, ()) for v in found.categories for cls in SENSITIVE_CLASSES)
        for controller in controllers[:1]:
            for recipient in refs(record, DPV + "hasRecipient"):
                found.provisions.append((implicit_iri("provision", record, controller, recipient), controller, recipient))
        records.append(found)
    return records
