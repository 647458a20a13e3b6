"""Validate a chain model: structural checks and legal rule checks, each citing its source.

``validate(view)`` runs the SHACL shapes (``chainmodel.shacl``) and every check in
:data:`RULES` over a :class:`~chainmodel.views.ChainView` and returns the findings sorted
by severity (error, warning, info), rule and focus. Each finding's ``rule`` is a rule IRI of
``ontologies/rules.ttl``; its severity and legal sources are read from that file, never
written here, and its message names the elements by label and IRI and ends with the rule's
advice (the rule's English ``rdfs:comment``).

A check is a small function named after its rule: it takes the view and yields
``(focus, text)`` pairs, and the :func:`rule` decorator turns them into findings. To add a
check, declare the rule in ``rules.ttl``, write the function and append it to ``RULES``.
Nothing here reads the wall clock, so the same model always gives the same findings.

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.views import chain_view
>>> view = chain_view(load_model(["examples/case-a-laptop"]))
>>> findings = validate(view, shacl=False)
>>> [(f.severity, f.focus) for f in findings if f.rule.endswith("#sensitive-on-portable-device")]
[('error', ('https://example.org/chainmodel/case-a#backup-applicants', 'https://example.org/chainmodel/case-a#laptop'))]
>>> conforms(findings)
False
"""

from __future__ import annotations

__all__ = [
    "validate",
    "conforms",
    "RULES",
    "RuleInfo",
    "rule_info",
    "rule",
    "unresolved_reference",
    "reconsignor_mismatch",
    "consignment_cycle",
    "ambiguous_parent",
    "stated_tier",
    "reconsignment_without_approval",
    "duty_not_in_parent",
    "duty_without_performer",
    "data_without_basis",
    "data_past_end",
    "sensitive_on_portable_device",
    "handoff_without_acknowledgement",
]

import functools
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from .findings import SEVERITIES, Finding
from .loading import paused_gc
from .model import rules_graph
from .namespace import CM, RULE
from .trace import has_no_performer, trace_duty
from .views import ChainView, Consignment

Check = Callable[[ChainView], list[Finding]]
"""A rule check: a view in, the rule's findings out."""

_APPROVED = str(CM.Approved)
_NOT_APPROVED = str(CM.NotApproved)
_APPROVAL_NOT_RECORDED = str(CM.ApprovalNotRecorded)


# -- rules as declared in ontologies/rules.ttl -----------------------------------------------


@dataclass(frozen=True)
class RuleInfo:
    """What ``rules.ttl`` says about one rule.

    Attributes
    ----------
    iri : str
        The rule's IRI (``https://w3id.org/chainmodel/rule#...``).
    severity : str
        ``"error"``, ``"warning"`` or ``"info"`` (the rule's ``cm:severity``).
    label : str
        The English ``rdfs:label``: the finding's title.
    advice : str
        The English ``rdfs:comment``: what to do about a finding.
    sources : tuple of str
        The ``cm:citation`` of each ``cm:legalBasis`` source, sorted.
    """

    iri: str
    severity: str
    label: str
    advice: str
    sources: tuple[str, ...]


def _english(values: Iterable) -> str:
    texts = sorted((value.language or "", str(value)) for value in values if isinstance(value, Literal))
    for language in ("en", ""):
        for tag, text in texts:
            if tag == language:
                return text
    return texts[0][1] if texts else ""


@functools.lru_cache(maxsize=None)
def rule_info(iri: str) -> RuleInfo:
    """Read one rule's severity, label, advice and legal sources from ``rules.ttl``.

    Parameters
    ----------
    iri : str
        The rule IRI.

    Returns
    -------
    RuleInfo

    Raises
    ------
    LookupError
        The IRI is not a ``cm:Rule`` with a valid ``cm:severity`` in ``rules.ttl``.

    Examples
    --------
    >>> info = rule_info("https://w3id.org/chainmodel/rule#sensitive-on-portable-device")
    >>> info.severity, info.sources
    ('error', ('APPI Art. 23', 'PPC General Guidelines 10 (10-5, 10-6)'))
    """
    graph = rules_graph()
    node = URIRef(iri)
    if (node, RDF.type, CM.Rule) not in graph:
        raise LookupError(f"{iri} is not a cm:Rule in ontologies/rules.ttl")
    severities = sorted(str(value) for value in graph.objects(node, CM.severity))
    if len(severities) != 1 or severities[0] not in SEVERITIES:
        raise LookupError(f"{iri} needs exactly one cm:severity among {SEVERITIES} in ontologies/rules.ttl")
    citations = {
        str(citation)
        for source in graph.objects(node, CM.legalBasis)
        for citation in graph.objects(source, CM.citation)
    }
    return RuleInfo(
        iri=iri,
        severity=severities[0],
        label=_english(graph.objects(node, RDFS.label)),
        advice=_english(graph.objects(node, RDFS.comment)),
        sources=tuple(sorted(citations)),
    )


def rule(name: str) -> Callable[[Callable[[ChainView], Iterable[tuple[tuple[str, ...], str]]]], Check]:
    """Make a rule check out of a function that yields ``(focus, text)`` pairs.

    Parameters
    ----------
    name : str
        The rule's local name in the ``rule:`` namespace (``"consignment-cycle"``).

    Returns
    -------
    callable
        A decorator. The decorated function returns a list of :class:`Finding` whose
        severity and sources come from ``rules.ttl`` and whose message is the text followed
        by the rule's advice; its ``rule`` attribute holds the rule IRI.
    """
    iri = str(RULE[name])

    def decorate(check: Callable[[ChainView], Iterable[tuple[tuple[str, ...], str]]]) -> Check:
        @functools.wraps(check)
        def run(view: ChainView) -> list[Finding]:
            info = rule_info(iri)
            return [
                Finding(
                    rule=iri,
                    severity=info.severity,
                    message=f"{text} {info.advice}".strip(),
                    focus=tuple(focus),
                    source=info.sources,
                )
                for focus, text in check(view)
            ]

        run.rule = iri  # type: ignore[attr-defined]
        return run

    return decorate


# -- naming elements in messages ---------------------------------------------------------------


def _name(view: ChainView, iri: str | None) -> str:
    """``"label" <iri>``, or ``<iri>`` when the element has no label."""
    if not iri:
        return "(not stated)"
    label = view.model.label(iri)
    if label in (iri, view.model.qname(iri)):
        return f"<{iri}>"
    return f'"{label}" <{iri}>'


def _names(view: ChainView, iris: Iterable[str]) -> str:
    return ", ".join(_name(view, iri) for iri in iris)


def _consignment(view: ChainView, consignment: Consignment) -> str:
    if consignment.implicit:
        return (f"the consignment from {_name(view, consignment.consignor)} to "
                f"{_name(view, consignment.consignee)} (stated by cm:consignsTo or prov:actedOnBehalfOf)")
    return f"consignment {_name(view, consignment.iri)}"


def _cap(text: str) -> str:
    """Upper-case the first letter only (``str.capitalize`` would lower-case labels and IRIs)."""
    return text[:1].upper() + text[1:]


def _same_org_note(view: ChainView, party: str | None, other: str | None) -> str:
    """A note when two different parties are capacities of (or are) the same organisation."""
    if party and other and party != other and view.org(party) == view.org(other):
        return (f" They belong to the same organisation {_name(view, view.org(party))}, but each capacity "
                "is a separate party: the exact party must match.")
    return ""


# -- data helpers -------------------------------------------------------------------------------


class _Assets:
    """Which assets are parts of which (``cm:subsetOf``, transitively), computed once per check."""

    def __init__(self, view: ChainView) -> None:
        self.view = view
        self._up: dict[str, frozenset[str]] = {}
        down: dict[str, set[str]] = defaultdict(set)
        for asset in view.assets:
            for above in self.ancestors(asset):
                down[above].add(asset)
        self._down = {asset: frozenset(below) for asset, below in down.items()}

    def ancestors(self, asset: str) -> frozenset[str]:
        """The asset and every asset it is (transitively) a subset of."""
        if asset not in self._up:
            found, todo = {asset}, [asset]
            while todo:
                record = self.view.assets.get(todo.pop())
                for parent in record.subset_of if record else ():
                    if parent not in found:
                        found.add(parent)
                        todo.append(parent)
            self._up[asset] = frozenset(found)
        return self._up[asset]

    def related(self, asset: str) -> frozenset[str]:
        """The asset, the assets it is a subset of, and the assets that are subsets of it."""
        return self.ancestors(asset) | self._down.get(asset, frozenset())

    def controllers(self, asset: str) -> set[str]:
        """Controllers of the asset or of an asset it is part of."""
        return {p for a in self.ancestors(asset) if a in self.view.assets for p in self.view.assets[a].controllers}

    def _consignments_of(self, asset: str) -> list[Consignment]:
        index = self.view.index.consignments_with_data
        found = {c for a in self.related(asset) for c in index.get(a, ())}
        return [self.view.consignments[c] for c in sorted(found)]

    def _provisions_of(self, asset: str) -> list:
        index = self.view.index.data_carrying
        found = {h for a in self.related(asset) for h in index.get(a, ())}
        return [self.view.handoffs[h] for h in sorted(found)]

    def consigned(self, party: str, asset: str) -> list[Consignment]:
        """Consignments to the party that entrust the asset or a related one."""
        return [c for c in self._consignments_of(asset) if c.consignee == party]

    def received(self, party: str, asset: str) -> list[str]:
        """Data provisions to the party that carry the asset or a related one."""
        return [h.iri for h in self._provisions_of(asset) if h.receiver == party]

    def basis_parties(self, asset: str) -> set[str]:
        """Every party with a basis for the asset: controllers, consignees, provision receivers."""
        parties = self.controllers(asset)
        parties |= {c.consignee for c in self._consignments_of(asset) if c.consignee}
        parties |= {h.receiver for h in self._provisions_of(asset) if h.receiver}
        return parties


# -- the checks ---------------------------------------------------------------------------------


@rule("unresolved-reference")
def unresolved_reference(view: ChainView) -> Iterator[tuple[tuple[str, ...], str]]:
    """A referenced element is used but not declared with a type (``view.unresolved``).

    Focus: the referring element, then the unresolved IRI.
    """
    for subject, prop, value in view.unresolved:
        yield (subject, value), (
            f"{_name(view, subject)} refers by {view.model.qname(prop)} to <{value}>, "
            "which the model never declares with a class."
        )


@rule("reconsignor-mismatch")
def reconsignor_mismatch(view: ChainView) -> Iterator[tuple[tuple[str, ...], str]]:
    """A re-consignment's consignor is not the consignee of the consignment it extends.

    Parties are compared by exact IRI; the message says when both are capacities of one
    organisation. Focus: the re-consignment, then the parent.
    """
    for consignment in view.consignments.values():
        for parent_iri in consignment.parents:
            parent = view.consignments.get(parent_iri)
            if parent is None or parent.consignee == consignment.consignor:
                continue
            yield (consignment.iri, parent.iri), (
                f"{_cap(_consignment(view, consignment))} extends {_consignment(view, parent)}, "
                f"but its consignor {_name(view, consignment.consignor)} is not that consignment's "
                f"consignee {_name(view, parent.consignee)}."
                + _same_org_note(view, consignment.consignor, parent.consignee)
            )


@rule("consignment-cycle")
def consignment_cycle(view: ChainView) -> Iterator[tuple[tuple[str, ...], str]]:
    """Consignments extend each other in a loop (``view.cycles``). Focus: the loop, sorted."""
    for cycle in view.cycles:
        yield cycle, f"The consignments {_names(view, cycle)} extend one another in a loop, so no tier can be derived."


@rule("ambiguous-parent")
def ambiguous_parent(view: ChainView) -> Iterator[tuple[tuple[str, ...], str]]:
    """A re-consignment without ``cm:extends`` fits several parents (``view.ambiguous_parents``).

    Focus: the re-consignment, then its candidate parents.
    """
    for iri in view.ambiguous_parents:
        consignment = view.consignments[iri]
        yield (iri, *consignment.parents), (
            f"{_cap(_consignment(view, consignment))} does not state cm:extends, and its consignor "
            f"{_name(view, consignment.consignor)} is the consignee of {len(consignment.parents)} consignments "
            f"that could be its parent: {_names(view, consignment.parents)}."
        )


@rule("stated-tier")
def stated_tier(view: ChainView) -> Iterator[tuple[tuple[str, ...], str]]:
    """A ``cm:tier`` stated in the model differs from the derived tier.

    Consignments inside a cycle have no derived tier and are left to ``consignment-cycle``.
    Focus: the consignment.
    """
    for consignment in view.consignments.values():
        derived = view.tier(consignment.iri)
        if consignment.stated_tier is None or derived is None or consignment.stated_tier == derived:
            continue
        yield (consignment.iri,), (
            f"{_cap(_consignment(view, consignment))} states cm:tier {consignment.stated_tier}, "
            f"but its chain of consignments makes it tier {derived}."
        )


def _approval_state(approval: str | None) -> str:
    if approval is None:
        return "approval is not recorded (no cm:approval)"
    if approval == _APPROVAL_NOT_RECORDED:
        return "approval is not recorded (cm:ApprovalNotRecorded)"
    if approval == _NOT_APPROVED:
        return "approval was refused or never given (cm:NotApproved)"
    return f"its approval state is <{approval}>, not cm:Approved"


@rule("reconsignment-without-approval")
def reconsignment_without_approval(view: ChainView) -> Iterator[tuple[tuple[str, ...], str]]:
    """A re-consignment (tier 2 or more) whose ``cm:approval`` is not ``cm:Approved``.

    Focus: the re-consignment.
    """
    for consignment in view.consignments.values():
        tier = view.tier(consignment.iri)
        if tier is None or tier < 2 or consignment.approval == _APPROVED:
            continue
        yield (consignment.iri,), (
            f"{_cap(_consignment(view, consignment))} is a re-consignment (tier {tier}) from "
            f"{_name(view, consignment.consignor)} to {_name(view, consignment.consignee)}, and "
            f"{_approval_state(consignment.approval)}."
        )


@rule("duty-not-in-parent")
def duty_not_in_parent(view: ChainView) -> Iterator[tuple[tuple[str, ...], str]]:
    """A re-consignment entrusts a duty that none of its parents entrusts.

    One finding per duty. Focus: the re-consignment, the duty, then the parents.
    """
    for consignment in view.consignments.values():
        parents = [view.consignments[p] for p in consignment.parents if p in view.consignments]
        if not parents:
            continue
        inherited = set().union(*(parent.duties for parent in parents))
        for duty in sorted(consignment.duties - inherited):
            yield (consignment.iri, duty, *(p.iri for p in parents)), (
                f"{_cap(_consignment(view, consignment))} entrusts the duty {_name(view, duty)}, "
                f"which the consignment it extends ({_names(view, (p.iri for p in parents))}) does not entrust."
            )


@rule("duty-without-performer")
def duty_without_performer(view: ChainView) -> Iterator[tuple[tuple[str, ...], str]]:
    """A duty's chains of consignments never reach a party that performs it (``trace_duty``).

    Focus: the duty.
    """
    for duty in view.duties:
        if not has_no_performer(view, duty):
            continue
        trace = trace_duty(view, duty)
        performers = _names(view, trace.performers) or "no party"
        if trace.chains:
            how = (f"none of its {len(trace.chains)} chain(s) of consignments, which end at "
                   f"{_names(view, sorted({c.links[-1].consignee for c in trace.chains}))}, reaches them")
        else:
            how = "no consignment entrusts it to them"
        yield (duty,), (
            f"The duty {_name(view, duty)} (accountable: {_name(view, trace.accountable)}) is performed by "
            f"{performers}, but {how}."
        )


@rule("data-without-basis")
def data_without_basis(view: ChainView) -> Iterator[tuple[tuple[str, ...], str]]:
    """A party holds a copy of data it has no basis for.

    The holder is the copy's ``cm:heldBy``, else its device's. A basis is: controlling the
    asset (or an asset it is part of); being the consignee of a consignment that entrusts
    the asset, an asset it is a subset of, or a subset of it; or receiving a data provision
    that carries one of those. Parties are compared by exact IRI. Receiving data by a
    provision is itself a basis, so provisions are not checked here. Copies whose holder is
    unknown are skipped. Focus: the copy, the holder, then the asset.
    """
    assets = _Assets(view)
    for copy in view.copies.values():
        holder = view.holder_of(copy)
        if not holder or not copy.asset:
            continue
        bases = assets.basis_parties(copy.asset)
        if holder in bases:
            continue
        siblings = sorted(p for p in bases if view.org(p) == view.org(holder))
        note = ""
        if siblings:
            note = (f" {_names(view, siblings)} of the same organisation {_name(view, view.org(holder))} has a basis; "
                    "if that party holds the copy, say so with cm:heldBy.")
        yield (copy.iri, holder, copy.asset), (
            f"{_name(view, holder)} holds the copy {_name(view, copy.iri)} of {_name(view, copy.asset)}, but is "
            "neither its controller, nor the consignee of a consignment that entrusts it, nor the receiver "
            f"of a data provision that carries it.{note}"
        )


@rule("data-past-end")
def data_past_end(view: ChainView) -> Iterator[tuple[tuple[str, ...], str]]:
    """A copy is held past the end of the consignment that gave its holder the data.

    Only copies whose holder got the asset (or a related one) by consignment, and has no
    other basis that is still running (control, a data provision, a consignment with no end
    date or one ending no earlier than the copy), are checked against the latest-ending of
    those consignments. The copy's own ``cm:endDate`` is compared as an ISO date string; a
    copy with none is still held. Focus: the copy, then the consignment.
    """
    assets = _Assets(view)
    for copy in view.copies.values():
        holder = view.holder_of(copy)
        if not holder or not copy.asset:
            continue
        consigned = assets.consigned(holder, copy.asset)
        if not consigned or holder in assets.controllers(copy.asset) or assets.received(holder, copy.asset):
            continue
        copy_end = copy.end
        if any(c.end is None or (copy_end is not None and copy_end <= c.end) for c in consigned):
            continue
        last = max(consigned, key=lambda c: (c.end, c.iri))
        kept = "is still held (no cm:endDate)" if copy_end is None else f"is kept until {copy_end}"
        yield (copy.iri, last.iri), (
            f"The copy {_name(view, copy.iri)} of {_name(view, copy.asset)} held by {_name(view, holder)} {kept}, "
            f"after {_consignment(view, last)} ended on {last.end}."
        )


@rule("sensitive-on-portable-device")
def sensitive_on_portable_device(view: ChainView) -> Iterator[tuple[tuple[str, ...], str]]:
    """A copy of sensitive data rests on a portable device no preventive control makes safe.

    A preventive control covering the copy or the device with ``cm:rulesOutLeak true``
    clears the copy. Focus: the copy, then the device.
    """
    for copy in view.copies.values():
        asset = view.assets.get(copy.asset or "")
        device = view.devices.get(copy.device or "")
        if asset is None or device is None or not asset.sensitive or device.portable is not True:
            continue
        protecting = [
            control for control in view.controls.values()
            if control.kind == "preventive" and {copy.iri, device.iri} & set(control.covers)
        ]
        if any(control.rules_out_leak is True for control in protecting):
            continue
        categories = asset.sensitive_categories
        what = f"sensitive categories {_names(view, categories)}" if categories else "data marked cm:sensitive"
        weak = ""
        if protecting:
            weak = f" Its preventive control(s) {_names(view, (c.iri for c in protecting))} do not rule a leak out."
        yield (copy.iri, device.iri), (
            f"The copy {_name(view, copy.iri)} of {_name(view, asset.iri)}, which holds {what}, is stored on the "
            f"portable device {_name(view, device.iri)}.{weak}"
        )


@rule("handoff-without-acknowledgement")
def handoff_without_acknowledgement(view: ChainView) -> Iterator[tuple[tuple[str, ...], str]]:
    """A report or instruction serving a duty has no acknowledgement and no independent detective control.

    A hand-off that is itself the acknowledgement of another is not checked (else every
    acknowledgement would need one in turn). Focus: the hand-off, then the duties it serves.
    """
    acknowledgements = {ack for handoff in view.handoffs.values() for ack in handoff.acknowledged_by}

    def independently_checked(handoff) -> bool:
        """A detective control run by another organisation than the sender sees an omission."""
        sender = view.org(handoff.sender)
        return any(
            control.kind == "detective" and {view.org(p) for p in control.operators} - {sender}
            for control in (view.controls[k] for k in view.index.controls_covering.get(handoff.iri, ()))
        )

    for handoff in view.handoffs.values():
        if (handoff.kind not in ("report", "instruction") or not handoff.serves or handoff.acknowledged_by
                or handoff.iri in acknowledgements or independently_checked(handoff)):
            continue
        yield (handoff.iri, *handoff.serves), (
            f"The {handoff.kind} {_name(view, handoff.iri)} from {_name(view, handoff.sender)} to "
            f"{_name(view, handoff.receiver)} serves {_names(view, handoff.serves)}, but nothing acknowledges it "
            "(no cm:acknowledgedBy) and no detective control run by another organisation covers it, so an omission "
            "would go unseen."
        )


RULES: tuple[Check, ...] = (
    unresolved_reference,
    reconsignor_mismatch,
    consignment_cycle,
    ambiguous_parent,
    stated_tier,
    reconsignment_without_approval,
    duty_not_in_parent,
    duty_without_performer,
    data_without_basis,
    data_past_end,
    sensitive_on_portable_device,
    handoff_without_acknowledgement,
)
"""The structural and legal checks ``validate`` runs, in order; each has a ``rule`` IRI."""


# -- entry points -------------------------------------------------------------------------------


def _order(finding: Finding) -> tuple:
    rank = SEVERITIES.index(finding.severity) if finding.severity in SEVERITIES else len(SEVERITIES)
    return rank, finding.rule, finding.focus, finding.message


def validate(view: ChainView, *, shacl: bool = True) -> list[Finding]:
    """Check a model: SHACL shapes, structure and legal rules.

    Parameters
    ----------
    view : ChainView
        The derived view of the model (``chain_view(load_model(paths))``).
    shacl : bool, optional
        Also run the SHACL shapes on ``view.model.graph`` (default True).

    Returns
    -------
    list of Finding
        Sorted by severity (error, warning, info), then rule IRI, then focus.

    Raises
    ------
    ModuleNotFoundError
        ``shacl`` is true and ``chainmodel.shacl`` cannot be imported.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> view = chain_view(load_model(["examples/case-b-optout"]))
    >>> sorted({f.rule.split("#")[1] for f in validate(view, shacl=False)})
    ['handoff-without-acknowledgement', 'reconsignment-without-approval']
    """
    with paused_gc():  # the checks make many short-lived objects around a large, long-lived view
        return _validate(view, shacl)


def _validate(view: ChainView, shacl: bool) -> list[Finding]:
    findings: list[Finding] = []
    if shacl:
        from .shacl import shacl_findings

        if not view.scans:  # a store built by chainmodel load saved what the shapes read
            saved = getattr(view.model.graph, "saved_scans", None)
            view.scans = (saved() if saved is not None else None) or view.scans

        findings.extend(shacl_findings(view.model.graph, view=view))
    for check in RULES:
        findings.extend(check(view))
    return sorted(findings, key=_order)


def conforms(findings: Iterable[Finding]) -> bool:
    """True when no finding has severity ``"error"``.

    Examples
    --------
    >>> conforms([Finding("https://w3id.org/chainmodel/rule#stated-tier", "warning", "...")])
    True
    """
    return not any(finding.is_error for finding in findings)
