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
    About: URIRef
    Agent: URIRef
    Agreement: URIRef
    ApprovalNotRecorded: URIRef
    ApprovalState: URIRef
    Approved: URIRef
    AtLeast: URIRef
    AtMost: URIRef
    BankAccountNumber: URIRef
    Basis: URIRef
    Breaks: URIRef
    Capacity: URIRef
    CardNumber: URIRef
    Clause: URIRef
    Companies: URIRef
    ConsentProvision: URIRef
    Consignee: URIRef
    Consignment: URIRef
    Control: URIRef
    ControlFails: URIRef
    CountQualifier: URIRef
    CountUnit: URIRef
    DataAsset: URIRef
    DataCategory: URIRef
    DataCopy: URIRef
    DataProvision: URIRef
    DataStaysInCountry: URIRef
    DataSubjectGroup: URIRef
    Deleted: URIRef
    DeletionWithinPeriod: URIRef
    Detected: URIRef
    DetectiveControl: URIRef
    Device: URIRef
    Duty: URIRef
    Event: URIRef
    Exactly: URIRef
    Exposes: URIRef
    ExposureBegan: URIRef
    FailureEffect: URIRef
    FailureMode: URIRef
    HandOff: URIRef
    Households: URIRef
    Incident: URIRef
    IncorporatedAdministrativeAgency: URIRef
    IndividualNumber: URIRef
    Instruction: URIRef
    JointUse: URIRef
    Late: URIRef
    LegalSource: URIRef
    LocalGovernment: URIRef
    LocalIncorporatedAdministrativeAgency: URIRef
    LossOrTheft: URIRef
    MisdirectedData: URIRef
    Misdirection: URIRef
    NationalAdministrativeOrgan: URIRef
    NoBasis: URIRef
    NotApproved: URIRef
    NotPerformed: URIRef
    NotifiedNotApproved: URIRef
    Omission: URIRef
    OptOutProvision: URIRef
    Organisation: URIRef
    People: URIRef
    PreventiveControl: URIRef
    Principal: URIRef
    PrivateBusiness: URIRef
    Producer: URIRef
    ProvisionBasis: URIRef
    ProvisionUnderLaw: URIRef
    ReConsignee: URIRef
    Recipient: URIRef
    ReconsignmentOnlyTo: URIRef
    ReconsignmentProhibited: URIRef
    ReconsignmentRequiresApproval: URIRef
    ReconsignmentWithinCountry: URIRef
    Records: URIRef
    Regulator: URIRef
    Report: URIRef
    Reported: URIRef
    ReportingRegime: URIRef
    Returned: URIRef
    Rule: URIRef
    Sector: URIRef
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
    article: URIRef
    basis: URIRef
    cadence: URIRef
    capacityOf: URIRef
    carries: URIRef
    category: URIRef
    citation: URIRef
    clause: URIRef
    concerns: URIRef
    consignee: URIRef
    consigneeNotice: URIRef
    consignor: URIRef
    consignsTo: URIRef
    controller: URIRef
    copyOf: URIRef
    count: URIRef
    countFor: URIRef
    countQualifier: URIRef
    country: URIRef
    covers: URIRef
    date: URIRef
    derivedFrom: URIRef
    detectionLatency: URIRef
    disjointFrom: URIRef
    effect: URIRef
    endDate: URIRef
    entrusts: URIRef
    entrustsData: URIRef
    extends: URIRef
    failedWith: URIRef
    failureMode: URIRef
    financialLoss: URIRef
    forSector: URIRef
    guardedBy: URIRef
    hasEvent: URIRef
    heldBy: URIRef
    improperPurpose: URIRef
    inForceFrom: URIRef
    inForceUntil: URIRef
    leadTime: URIRef
    legalBasis: URIRef
    limitation: URIRef
    mandatoryReport: URIRef
    needs: URIRef
    notifiedTo: URIRef
    notifies: URIRef
    operatedBy: URIRef
    overlapsWith: URIRef
    peopleThreshold: URIRef
    performedBy: URIRef
    period: URIRef
    permittedParty: URIRef
    portable: URIRef
    principal: URIRef
    protects: URIRef
    provider: URIRef
    providesData: URIRef
    receiver: URIRef
    recipient: URIRef
    regulatorReport: URIRef
    rulesOutLeak: URIRef
    samePopulationAs: URIRef
    sector: URIRef
    sender: URIRef
    sensitive: URIRef
    serves: URIRef
    severity: URIRef
    startDate: URIRef
    storedOn: URIRef
    subjectCount: URIRef
    subjectNotice: URIRef
    subjects: URIRef
    subsetOf: URIRef
    tier: URIRef
    triggers: URIRef
    underLaw: URIRef
    unit: URIRef

    # ledgers and audits (issue 16)
    Audit: URIRef

    # people, access, systems, threats and timelines (issue 14)
    Account: URIRef
    Attack: URIRef
    BecameAware: URIRef
    Condition: URIRef
    ContractorStaff: URIRef
    DispatchedWorker: URIRef
    Employee: URIRef
    ExposureEnded: URIRef
    FinalReport: URIRef
    FixedSystem: URIRef
    HostedSoftware: URIRef
    InsiderExfiltration: URIRef
    InternetFacingSystem: URIRef
    Intrusion: URIRef
    MaintenanceTerminal: URIRef
    Misconfiguration: URIRef
    NetworkAppliance: URIRef
    Person: URIRef
    PortableDevice: URIRef
    PreliminaryReport: URIRef
    ProvisionStopped: URIRef
    Ransomware: URIRef
    Recovered: URIRef
    Server: URIRef
    VpnAppliance: URIRef
    administrator: URIRef
    alwaysHolds: URIRef
    attacker: URIRef
    connectsTo: URIRef
    finalReportSource: URIRef
    finalReportWithin: URIRef
    finalReportWithinImproper: URIRef
    grantsAccessTo: URIRef
    internetFacing: URIRef
    kindOf: URIRef
    placedAt: URIRef
    preliminaryReportSource: URIRef
    preliminaryReportWithin: URIRef
    readsData: URIRef
    requires: URIRef
    runBy: URIRef
    sharedAccount: URIRef
    target: URIRef
    usedBy: URIRef
    worksFor: URIRef

    _NS = Namespace("https://w3id.org/chainmodel#")


RULE = Namespace("https://w3id.org/chainmodel/rule#")
"""Rules and legal sources defined in ``ontologies/rules.ttl``."""
