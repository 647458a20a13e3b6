"""The chainmodel vocabulary as a closed namespace: a typo is an AttributeError.

Generated from ``ontologies/chainmodel.ttl``; ``tests/test_ontology.py`` checks that the
two agree term for term.

Examples
--------
>>> from chainmodel.namespace import CM
>>> CM.Consignment
rdflib.term.URIRef('https://w3id.org/chainmodel#Consignment')
"""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

__all__ = ["CM", "RULE", "CHAINMODEL_NS"]

CHAINMODEL_NS = "https://w3id.org/chainmodel#"


class CM(DefinedNamespace):
    """Terms of the chainmodel ontology, in the ontology's own casing."""

    _fail = True
    _underscore_num = True

    # classes and individuals
    Agent: URIRef
    ApprovalNotRecorded: URIRef
    ApprovalState: URIRef
    Approved: URIRef
    Breaks: URIRef
    Capacity: URIRef
    Consignee: URIRef
    Consignment: URIRef
    Control: URIRef
    ControlFails: URIRef
    DataAsset: URIRef
    DataCategory: URIRef
    DataCopy: URIRef
    DataProvision: URIRef
    DataSubjectGroup: URIRef
    Detected: URIRef
    DetectiveControl: URIRef
    Device: URIRef
    Duty: URIRef
    Event: URIRef
    Exposes: URIRef
    ExposureBegan: URIRef
    FailureEffect: URIRef
    FailureMode: URIRef
    HandOff: URIRef
    Incident: URIRef
    Instruction: URIRef
    Late: URIRef
    LegalSource: URIRef
    LossOrTheft: URIRef
    MisdirectedData: URIRef
    Misdirection: URIRef
    NotApproved: URIRef
    NotPerformed: URIRef
    Omission: URIRef
    Organisation: URIRef
    PreventiveControl: URIRef
    Principal: URIRef
    Producer: URIRef
    ReConsignee: URIRef
    Recipient: URIRef
    Regulator: URIRef
    Report: URIRef
    Reported: URIRef
    Rule: URIRef
    SubjectCount: URIRef
    UnauthorisedCopy: URIRef
    WrongContent: URIRef

    # properties
    accountable: URIRef
    acknowledgedBy: URIRef
    actor: URIRef
    agreement: URIRef
    anonymised: URIRef
    appliesTo: URIRef
    approval: URIRef
    approvedBy: URIRef
    cadence: URIRef
    capacityOf: URIRef
    carries: URIRef
    category: URIRef
    citation: URIRef
    concerns: URIRef
    consignee: URIRef
    consignor: URIRef
    consignsTo: URIRef
    controller: URIRef
    copyOf: URIRef
    count: URIRef
    countFor: URIRef
    covers: URIRef
    date: URIRef
    derivedFrom: URIRef
    detectionLatency: URIRef
    effect: URIRef
    endDate: URIRef
    entrusts: URIRef
    entrustsData: URIRef
    extends: URIRef
    failedWith: URIRef
    failureMode: URIRef
    guardedBy: URIRef
    hasEvent: URIRef
    heldBy: URIRef
    leadTime: URIRef
    legalBasis: URIRef
    limitation: URIRef
    needs: URIRef
    notifiedTo: URIRef
    notifies: URIRef
    operatedBy: URIRef
    performedBy: URIRef
    portable: URIRef
    principal: URIRef
    protects: URIRef
    receiver: URIRef
    rulesOutLeak: URIRef
    sender: URIRef
    sensitive: URIRef
    serves: URIRef
    severity: URIRef
    startDate: URIRef
    storedOn: URIRef
    subjectCount: URIRef
    subjects: URIRef
    subsetOf: URIRef
    tier: URIRef
    underLaw: URIRef

    # ledgers and audits (issue 16)
    Audit: URIRef

    _NS = Namespace("https://w3id.org/chainmodel#")


RULE = Namespace("https://w3id.org/chainmodel/rule#")
"""Rules and legal sources defined in ``ontologies/rules.ttl``."""
