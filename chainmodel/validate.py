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
    "transfer_without_basis",
    "data_past_end",
    "data_possibly_past_end",
    "reconsignment_against_prohibition",
    "reconsignment_without_required_approval",
    "reconsignment_to_unlisted_party",
    "reconsignment_outside_country",
    "data_outside_country",
    "deletion_later_than_agreed",
    "my_number_reconsignment_without_permission",
    "sensitive_on_portable_device",
    "handoff_without_acknowledgement",
    "shares_exceed_total",
    "unknown_term",
    "unread_terms",
]

import dataclasses
from typing import Iterable, Iterator

from .findings import SEVERITIES, Finding
from .law import RuleInfo, rule_info
from .loading import paused_gc
from .namespace import CM
from .rulebook import Check, rule
from .contract import (data_outside_country, deletion_later_than_agreed, my_number_reconsignment_without_permission,
                       reconsignment_against_prohibition, reconsignment_outside_country, reconsignment_to_unlisted_party,
                       reconsignment_without_required_approval)
from .access import account_copies, personal_assets
from .exposure import asset_exposure
from .findings import Said, number, ref, refs, text, word
from .lawful import (data_past_end, data_possibly_past_end, data_without_basis, opt_out_of_sensitive_data,
                     transfer_without_basis)
from .trace import has_no_performer, trace_duty
from .views import ChainView
from .vocabulary import unknown_term, unread_terms


_APPROVED = str(CM.Approved)
_NOT_APPROVED = str(CM.NotApproved)
_APPROVAL_NOT_RECORDED = str(CM.ApprovalNotRecorded)


# -- the checks ---------------------------------------------------------------------------------


def _consignment(view: ChainView, iri: str) -> tuple:
    """A value naming a consignment: by its label, or (read from a shortcut) by its two parties."""
    record = view.consignments[iri]
    return ("consignment", (iri, record.consignor, record.consignee, record.implicit))


def _same_org(view: ChainView, party: str | None, other: str | None) -> tuple:
    """A note when two different parties are capacities of (or are) the same organisation."""
    if party and other and party != other and view.org(party) == view.org(other):
        return word("note.same-organisation")
    return text("")


@rule("unresolved-reference")
def unresolved_reference(view: ChainView) -> Iterator[tuple[tuple[str, ...], Said]]:
    """A referenced element is used but not declared with a type (``view.unresolved``).

    Focus: the referring element, then the unresolved IRI.
    """
    for subject, prop, value in view.unresolved:
        yield (subject, value), Said("finding.unresolved-reference", (
            ("subject", ref(subject)), ("property", text(view.model.qname(prop))), ("value", text(f"<{value}>"))))


@rule("reconsignor-mismatch")
def reconsignor_mismatch(view: ChainView) -> Iterator[tuple[tuple[str, ...], Said]]:
    """A re-consignment's consignor is not the consignee of the consignment it extends.

    Parties are compared by exact IRI; the message says when both are capacities of one
    organisation. Focus: the re-consignment, then the parent.
    """
    for consignment in view.consignments.values():
        for parent_iri in consignment.parents:
            parent = view.consignments.get(parent_iri)
            if parent is None or parent.consignee == consignment.consignor:
                continue
            yield (consignment.iri, parent.iri), Said("finding.reconsignor-mismatch", (
                ("consignment", _consignment(view, consignment.iri)), ("parent", _consignment(view, parent.iri)),
                ("consignor", ref(consignment.consignor)), ("parent_consignee", ref(parent.consignee)),
                ("organisation", ref(view.org(consignment.consignor))),
                ("note", _same_org(view, consignment.consignor, parent.consignee))))


@rule("consignment-cycle")
def consignment_cycle(view: ChainView) -> Iterator[tuple[tuple[str, ...], Said]]:
    """Consignments extend each other in a loop (``view.cycles``). Focus: the loop, sorted."""
    for cycle in view.cycles:
        yield cycle, Said("finding.consignment-cycle", (("consignments", refs(cycle)),))


@rule("ambiguous-parent")
def ambiguous_parent(view: ChainView) -> Iterator[tuple[tuple[str, ...], Said]]:
    """A re-consignment without ``cm:extends`` fits several parents (``view.ambiguous_parents``).

    Focus: the re-consignment, then its candidate parents.
    """
    for iri in view.ambiguous_parents:
        consignment = view.consignments[iri]
        yield (iri, *consignment.parents), Said("finding.ambiguous-parent", (
            ("consignment", _consignment(view, iri)), ("consignor", ref(consignment.consignor)),
            ("count", number(len(consignment.parents))), ("parents", refs(consignment.parents))))


@rule("stated-tier")
def stated_tier(view: ChainView) -> Iterator[tuple[tuple[str, ...], Said]]:
    """A ``cm:tier`` stated in the model differs from the derived tier.

    Consignments inside a cycle have no derived tier and are left to ``consignment-cycle``.
    Focus: the consignment.
    """
    for consignment in view.consignments.values():
        derived = view.tier(consignment.iri)
        if consignment.stated_tier is None or derived is None or consignment.stated_tier == derived:
            continue
        yield (consignment.iri,), Said("finding.stated-tier", (
            ("consignment", _consignment(view, consignment.iri)), ("stated", number(consignment.stated_tier)),
            ("derived", number(derived))))


_APPROVAL_STATES = {
    None: ("approval.missing", None),
    _APPROVAL_NOT_RECORDED: ("approval.not-recorded-stated", None),
    _NOT_APPROVED: ("approval.not-approved-stated", "advice.approval.not-approved"),
    str(CM.NotifiedNotApproved): ("approval.notified-not-approved-stated", "advice.approval.notified-not-approved"),
}


def _governed_by_clause(view: ChainView, consignment) -> bool:
    """Whether an agreement above decides on this re-consignment (its own rules then apply)."""
    from .contract import binding_clauses

    return any(binding_clauses(view, view.consignments[p], kind)
               for p in consignment.parents if p in view.consignments
               for kind in ("reconsignment-requires-approval", "reconsignment-prohibited"))


@rule("reconsignment-without-approval")
def reconsignment_without_approval(view: ChainView) -> Iterator[tuple[tuple[str, ...], Said]]:
    """A re-consignment (tier 2 or more) whose ``cm:approval`` is not ``cm:Approved``.

    A re-consignment under an agreement that prohibits it or requires approval is left to
    those clauses' own rules. The advice fits the approval state recorded. Focus: the
    re-consignment.
    """
    for consignment in view.consignments.values():
        tier = view.tier(consignment.iri)
        if tier is None or tier < 2 or consignment.approval == _APPROVED or _governed_by_clause(view, consignment):
            continue
        state, advice = _APPROVAL_STATES.get(consignment.approval, ("approval.other-stated", None))
        yield (consignment.iri,), Said("finding.reconsignment-without-approval", (
            ("consignment", _consignment(view, consignment.iri)), ("tier", text(str(tier))),
            ("consignor", ref(consignment.consignor)),
            ("consignee", ref(consignment.consignee)), ("approval", ref(consignment.approval)),
            ("state", ("word", state))), advice=advice)


@rule("duty-not-in-parent")
def duty_not_in_parent(view: ChainView) -> Iterator[tuple[tuple[str, ...], Said]]:
    """A re-consignment entrusts a duty that none of its parents entrusts.

    One finding per duty. Focus: the re-consignment, the duty, then the parents.
    """
    for consignment in view.consignments.values():
        parents = [view.consignments[p] for p in consignment.parents if p in view.consignments]
        if not parents:
            continue
        inherited = set().union(*(parent.duties for parent in parents))
        for duty in sorted(consignment.duties - inherited):
            yield (consignment.iri, duty, *(p.iri for p in parents)), Said("finding.duty-not-in-parent", (
                ("consignment", _consignment(view, consignment.iri)), ("duty", ref(duty)),
                ("parents", refs(p.iri for p in parents))))


@rule("duty-without-performer")
def duty_without_performer(view: ChainView) -> Iterator[tuple[tuple[str, ...], Said]]:
    """A duty's chains of consignments never reach a party that performs it (``trace_duty``).

    Focus: the duty.
    """
    for duty in view.duties:
        if not has_no_performer(view, duty):
            continue
        trace = trace_duty(view, duty)
        ends = sorted({c.links[-1].consignee for c in trace.chains} - {None})
        key = "finding.duty-without-performer" + (".chains" if trace.chains else ".unentrusted")
        yield (duty,), Said(key, (
            ("duty", ref(duty)), ("accountable", ref(trace.accountable)),
            ("performers", refs(trace.performers) if trace.performers else word("word.no-party")),
            ("count", number(len(trace.chains))), ("ends", refs(ends))))


@rule("shared-account-to-personal-data")
def shared_account_to_personal_data(view: ChainView) -> Iterator[tuple[tuple[str, ...], Said]]:
    """An account stated as shared, or used by several people, opens systems holding personal data.

    Focus: the account, then the systems it opens that hold personal data.
    """
    for account in sorted(view.accounts.values(), key=lambda a: a.iri):
        if not (account.shared or len(account.users) > 1):
            continue
        opened, copies = account_copies(view, account)
        assets = personal_assets(view, copies)
        if not assets:
            continue
        holding = sorted({view.copies[c].device for c in copies if view.copies[c].device in opened})
        yield (account.iri, *holding), Said("finding.shared-account-to-personal-data", (
            ("account", ref(account.iri)), ("users", refs(account.users)), ("systems", refs(holding)),
            ("assets", refs(assets))))


@rule("sensitive-on-portable-device")
def sensitive_on_portable_device(view: ChainView) -> Iterator[tuple[tuple[str, ...], Said]]:
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
        what = (word("note.sensitive-categories") if asset.sensitive_categories else word("note.marked-sensitive"))
        weak = (word("note.weak-protection" if len(protecting) == 1 else "note.weak-protection.several")
                if protecting else text(""))
        yield (copy.iri, device.iri), Said("finding.sensitive-on-portable-device", (
            ("copy", ref(copy.iri)), ("asset", ref(asset.iri)), ("categories", refs(asset.sensitive_categories)),
            ("device", ref(device.iri)), ("controls", refs(c.iri for c in protecting)), ("what", what),
            ("weak", weak)))


def _independently_checked(view: ChainView, handoff) -> bool:
    """A detective control run by another organisation than the sender sees an omission."""
    sender = view.org(handoff.sender)
    return any(
        control.kind == "detective" and {view.org(p) for p in control.operators} - {sender}
        for control in (view.controls[k] for k in view.index.controls_covering.get(handoff.iri, ()))
    )


@rule("handoff-without-acknowledgement")
def handoff_without_acknowledgement(view: ChainView) -> Iterator[tuple[tuple[str, ...], Said]]:
    """A report or instruction serving a duty has no acknowledgement and no independent detective control.

    A hand-off that is itself the acknowledgement of another is not checked (else every
    acknowledgement would need one in turn). Focus: the hand-off, then the duties it serves.
    """
    acknowledgements = {ack for handoff in view.handoffs.values() for ack in handoff.acknowledged_by}
    for handoff in view.handoffs.values():
        if (handoff.kind not in ("report", "instruction") or not handoff.serves or handoff.acknowledged_by
                or handoff.iri in acknowledgements or _independently_checked(view, handoff)):
            continue
        yield (handoff.iri, *handoff.serves), Said("finding.handoff-without-acknowledgement", (
            ("kind", word(f"element.{handoff.kind}")), ("handoff", ref(handoff.iri)), ("sender", ref(handoff.sender)),
            ("receiver", ref(handoff.receiver)), ("duties", refs(handoff.serves))))


@rule("shares-exceed-total")
def shares_exceed_total(view: ChainView) -> Iterator[tuple[tuple[str, ...], Said]]:
    """The principals' stated shares of an asset add up to more than its total can hold.

    Focus: the asset, then the principals with a share.
    """
    for iri in view.assets:
        item = asset_exposure(view, iri)
        stated = [s for s in item.shares if s.stated]
        named = sum(s.count.low for s in stated)
        if item.total.high is None or named <= item.total.high:
            continue
        yield (iri,) + tuple(s.principal for s in stated), Said("finding.shares-exceed-total", (
            ("asset", ref(iri)), ("named", ("number", named)), ("total", ("number", item.total.high))))


RULES: tuple[Check, ...] = (
    unknown_term,
    unread_terms,
    unresolved_reference,
    reconsignor_mismatch,
    consignment_cycle,
    ambiguous_parent,
    stated_tier,
    reconsignment_without_approval,
    duty_not_in_parent,
    duty_without_performer,
    data_without_basis,
    transfer_without_basis,
    opt_out_of_sensitive_data,
    data_past_end,
    data_possibly_past_end,
    reconsignment_against_prohibition,
    reconsignment_without_required_approval,
    reconsignment_to_unlisted_party,
    reconsignment_outside_country,
    data_outside_country,
    deletion_later_than_agreed,
    my_number_reconsignment_without_permission,
    sensitive_on_portable_device,
    shared_account_to_personal_data,
    handoff_without_acknowledgement,
    shares_exceed_total,
)
"""The structural and legal checks ``validate`` runs, in order; each has a ``rule`` IRI."""


# -- entry points -------------------------------------------------------------------------------


def _order(finding: Finding) -> tuple:
    rank = SEVERITIES.index(finding.severity) if finding.severity in SEVERITIES else len(SEVERITIES)
    return rank, finding.rule, finding.focus, finding.message


def validate(view: ChainView, *, shacl: bool = True, strict: bool = False) -> list[Finding]:
    """Check a model: SHACL shapes, structure and legal rules.

    Parameters
    ----------
    view : ChainView
        The derived view of the model (``chain_view(load_model(paths))``).
    shacl : bool, optional
        Also run the SHACL shapes on ``view.model.graph`` (default True).
    strict : bool, optional
        Make the note on terms no analysis reads an error (default False).

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
        return _validate(view, shacl, strict)


def _validate(view: ChainView, shacl: bool, strict: bool = False) -> list[Finding]:
    findings: list[Finding] = []
    if shacl:
        from .shacl import shacl_findings

        if not view.scans:  # a store built by chainmodel load saved what the shapes read
            saved = getattr(view.model.graph, "saved_scans", None)
            view.scans = (saved() if saved is not None else None) or view.scans

        findings.extend(shacl_findings(view.model.graph, view=view))
    for check in RULES:
        found = check(view)
        if strict and check is unread_terms:
            found = [dataclasses.replace(f, severity="error") for f in found]
        findings.extend(found)
    return sorted(findings, key=_order)


def conforms(findings: Iterable[Finding]) -> bool:
    """True when no finding has severity ``"error"``.

    Examples
    --------
    >>> conforms([Finding("https://w3id.org/chainmodel/rule#stated-tier", "warning", "...")])
    True
    """
    return not any(finding.is_error for finding in findings)
