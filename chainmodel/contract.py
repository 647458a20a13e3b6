"""Rule checks of what the agreements say, and of the My Number Act.

A consignment's agreement (``cm:agreement``) binds its consignee. Its clauses are checked
against what the model says happened below it:

* ``reconsignment-against-prohibition``: the consignee re-consigned although the agreement
  prohibits it;
* ``reconsignment-without-required-approval``: the agreement requires prior approval and the
  re-consignment's ``cm:approval`` is not ``cm:Approved`` (notified but not approved is not
  enough);
* ``reconsignment-to-unlisted-party`` and ``reconsignment-outside-country``: the
  re-consignee is not a permitted party, or is located outside the agreed country;
* ``data-outside-country``: a copy of the entrusted data rests with a party or on a device
  located outside the agreed country (anywhere down the chain);
* ``deletion-later-than-agreed``: a copy of the entrusted data was held after the end plus the
  agreed deletion period;
* ``my-number-reconsignment-without-permission``: work on data with Individual Numbers was
  re-consigned without the permission of the party that first consigned it (My Number Act
  Art. 10(1)), whatever any agreement says.

Each finding names the clause, the agreement and its article; the advice fits the approval
state the model records.

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.views import chain_view
>>> view = chain_view(load_model(["examples/case-b-optout"]))
>>> reconsignment_against_prohibition(view), my_number_reconsignment_without_permission(view)
([], [])
"""

from __future__ import annotations

from typing import Iterator

from .basis import covers
from .findings import Said, ref, refs, text, word
from .lawful import holding_evidence
from .namespace import CM
from .rulebook import rule
from .timepoints import Instant, add_duration, compare, parse_duration, parse_instant
from .views import ChainView, Clause, Consignment

__all__ = ["reconsignment_against_prohibition", "reconsignment_without_required_approval",
           "reconsignment_to_unlisted_party", "reconsignment_outside_country", "data_outside_country",
           "deletion_later_than_agreed", "my_number_reconsignment_without_permission", "binding_clauses"]

Yield = Iterator[tuple[tuple[str, ...], Said]]
_APPROVED = str(CM.Approved)
_APPROVAL_WORDS = {
    str(CM.NotifiedNotApproved): "approval.notified-not-approved",
    str(CM.NotApproved): "approval.not-approved",
    str(CM.ApprovalNotRecorded): "approval.not-recorded",
}
_ADVICE = {
    str(CM.NotifiedNotApproved): "advice.approval.notified-not-approved",
    str(CM.NotApproved): "advice.approval.not-approved",
    str(CM.ApprovalNotRecorded): "advice.approval.not-recorded",
}


def binding_clauses(view: ChainView, consignment: Consignment, kind: str) -> list[tuple[Clause, str]]:
    """The clauses of ``kind`` in the agreement of a consignment: ``(clause, agreement)`` pairs.

    Parameters
    ----------
    view : ChainView
    consignment : Consignment
        The consignment whose agreement (``cm:agreement``) is read.
    kind : str
        The kind of clause wanted, such as ``"reconsignment-prohibited"`` or
        ``"deletion-within-period"``.

    Returns
    -------
    list of tuple of (Clause, str)
        Each clause of that kind the view holds, in the agreement's order, with the IRI of the
        agreement; empty when the consignment names no agreement the view holds.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> view = chain_view(load_model(["examples/case-a-laptop"]))
    >>> consignment = view.consignments["https://example.org/chainmodel/case-a#c-resonac-foundation"]
    >>> binding_clauses(view, consignment, "reconsignment-prohibited")
    []
    """
    agreement = view.agreements.get(consignment.agreement or "")
    if agreement is None:
        return []
    found = [view.clauses[c] for c in agreement.clauses if c in view.clauses]
    return [(clause, agreement.iri) for clause in found if clause.kind == kind]


def _reconsignments(view: ChainView, kind: str) -> Iterator[tuple[Consignment, Consignment, Clause, str]]:
    """(re-consignment, the consignment it extends, a clause of ``kind`` there, its agreement)."""
    for child in view.consignments.values():
        for parent in (view.consignments[p] for p in child.parents if p in view.consignments):
            for clause, agreement in binding_clauses(view, parent, kind):
                yield child, parent, clause, agreement


def _values(child: Consignment, parent: Consignment, clause: Clause, agreement: str) -> tuple:
    return (("consignment", ref(child.iri)), ("consignor", ref(child.consignor)), ("consignee", ref(child.consignee)),
            ("parent", ref(parent.iri)), ("clause", ref(clause.iri)), ("agreement", ref(agreement)),
            ("article", text(clause.article or "?")))


@rule("reconsignment-against-prohibition")
def reconsignment_against_prohibition(view: ChainView) -> Yield:
    """A re-consignment below a consignment whose agreement prohibits re-consigning.

    Focus: the re-consignment, the consignment it extends, the clause, the agreement.

    Parameters
    ----------
    view : ChainView

    Yields
    ------
    tuple of (tuple of str, Said)
        The focus and the entry ``finding.reconsignment-against-prohibition`` with its values, one
        pair for each such clause above each re-consignment; :func:`~chainmodel.rulebook.rule`
        makes them the check's :class:`~chainmodel.findings.Finding` list.
    """
    for child, parent, clause, agreement in _reconsignments(view, "reconsignment-prohibited"):
        yield (child.iri, parent.iri, clause.iri, agreement), Said(
            "finding.reconsignment-against-prohibition", _values(child, parent, clause, agreement))


@rule("reconsignment-without-required-approval")
def reconsignment_without_required_approval(view: ChainView) -> Yield:
    """A re-consignment without ``cm:Approved`` although the agreement requires prior approval.

    Focus: the re-consignment, the consignment it extends, the clause, the agreement.

    Parameters
    ----------
    view : ChainView

    Yields
    ------
    tuple of (tuple of str, Said)
        The focus and the entry ``finding.reconsignment-without-required-approval``, with the
        approval state recorded and the advice that fits it; :func:`~chainmodel.rulebook.rule`
        makes them the check's :class:`~chainmodel.findings.Finding` list.
    """
    for child, parent, clause, agreement in _reconsignments(view, "reconsignment-requires-approval"):
        if child.approval == _APPROVED:
            continue
        state = child.approval if child.approval in _APPROVAL_WORDS else str(CM.ApprovalNotRecorded)
        yield (child.iri, parent.iri, clause.iri, agreement), Said(
            "finding.reconsignment-without-required-approval",
            _values(child, parent, clause, agreement) + (("state", word(_APPROVAL_WORDS[state])),),
            advice=_ADVICE[state])


@rule("reconsignment-to-unlisted-party")
def reconsignment_to_unlisted_party(view: ChainView) -> Yield:
    """A re-consignment to a party the agreement's list does not permit (organisations compared).

    Focus: the re-consignment, the consignment it extends, the clause, the agreement.

    Parameters
    ----------
    view : ChainView

    Yields
    ------
    tuple of (tuple of str, Said)
        The focus and the entry ``finding.reconsignment-to-unlisted-party``, with the permitted
        parties; :func:`~chainmodel.rulebook.rule` makes them the check's
        :class:`~chainmodel.findings.Finding` list.
    """
    for child, parent, clause, agreement in _reconsignments(view, "reconsignment-only-to"):
        permitted = {view.org(p) for p in clause.permitted}
        if view.org(child.consignee) in permitted:
            continue
        yield (child.iri, parent.iri, clause.iri, agreement), Said(
            "finding.reconsignment-to-unlisted-party",
            _values(child, parent, clause, agreement) + (("permitted", refs(clause.permitted)),))


def _country(view: ChainView, party: str | None) -> str | None:
    record = view.parties.get(party or "")
    if record and record.country:
        return record.country
    organisation = view.parties.get(view.org(party) or "")
    return organisation.country if organisation else None


@rule("reconsignment-outside-country")
def reconsignment_outside_country(view: ChainView) -> Yield:
    """A re-consignment to a party located outside the country the agreement requires.

    Parties of unknown location are not judged. Focus: the re-consignment, the consignment it
    extends, the clause, the agreement.

    Parameters
    ----------
    view : ChainView

    Yields
    ------
    tuple of (tuple of str, Said)
        The focus and the entry ``finding.reconsignment-outside-country``, with the agreed
        country and the re-consignee's; :func:`~chainmodel.rulebook.rule` makes them the check's
        :class:`~chainmodel.findings.Finding` list.
    """
    for child, parent, clause, agreement in _reconsignments(view, "reconsignment-within-country"):
        where = _country(view, child.consignee)
        if not clause.country or where is None or where == clause.country:
            continue
        yield (child.iri, parent.iri, clause.iri, agreement), Said(
            "finding.reconsignment-outside-country",
            _values(child, parent, clause, agreement) + (("country", text(clause.country)), ("where", text(where))))


def _below(view: ChainView, consignment: str) -> list[str]:
    """The consignment and every consignment that extends it, transitively."""
    found, todo = [consignment], [consignment]
    while todo:
        for kid in view.children.get(todo.pop(), ()):
            if kid not in found:
                found.append(kid)
                todo.append(kid)
    return found


def _entrusted_copies(view: ChainView, consignment: Consignment) -> Iterator[tuple[str, str]]:
    """(copy, holder) for copies of the consignment's data held by its consignee or anyone below."""
    holders = {view.consignments[c].consignee for c in _below(view, consignment.iri)}
    for copy in view.copies.values():
        holder = view.holder_of(copy)
        if holder in holders and copy.asset and any(c.basis in _below(view, consignment.iri)
                                                     for c in covers(view, holder, copy.asset)):
            yield copy.iri, holder


@rule("data-outside-country")
def data_outside_country(view: ChainView) -> Yield:
    """A copy of entrusted data rests with a party, or on a device, outside the agreed country.

    Focus: the copy, the consignment, the clause, the agreement.

    Parameters
    ----------
    view : ChainView

    Yields
    ------
    tuple of (tuple of str, Said)
        The focus and the entry ``finding.data-outside-country``, with the holder, the agreed
        country and where the copy is (its device's country, else its holder's);
        :func:`~chainmodel.rulebook.rule` makes them the check's
        :class:`~chainmodel.findings.Finding` list.
    """
    for consignment in view.consignments.values():
        for clause, agreement in binding_clauses(view, consignment, "data-stays-in-country"):
            for copy_iri, holder in _entrusted_copies(view, consignment):
                copy = view.copies[copy_iri]
                device = view.devices.get(copy.device or "")
                where = (device.country if device and device.country else None) or _country(view, holder)
                if not clause.country or where is None or where == clause.country:
                    continue
                yield (copy_iri, consignment.iri, clause.iri, agreement), Said(
                    "finding.data-outside-country",
                    (("copy", ref(copy_iri)), ("holder", ref(holder)), ("consignment", ref(consignment.iri)),
                     ("clause", ref(clause.iri)), ("agreement", ref(agreement)),
                     ("article", text(clause.article or "?")), ("country", text(clause.country)),
                     ("where", text(where))))


@rule("deletion-later-than-agreed")
def deletion_later_than_agreed(view: ChainView) -> Yield:
    """A copy of entrusted data held after the consignment's end plus the agreed deletion period.

    Judged on the copy's end, deletion or return, else on the latest dated event about it;
    only when the dates show it for certain. Focus: the copy, the consignment, the clause,
    the agreement.

    Parameters
    ----------
    view : ChainView

    Yields
    ------
    tuple of (tuple of str, Said)
        The focus and the entry ``finding.deletion-later-than-agreed``, with the consignment's
        end, the agreed period, the deadline and the date that shows the copy still held;
        :func:`~chainmodel.rulebook.rule` makes them the check's
        :class:`~chainmodel.findings.Finding` list.
    """
    for consignment in view.consignments.values():
        end = parse_instant(consignment.end)
        if end is None:
            continue
        for clause, agreement in binding_clauses(view, consignment, "deletion-within-period"):
            period = parse_duration(clause.period)
            if period is None:
                continue
            deadline = add_duration(end.last, period)
            limit = Instant(deadline, deadline, "day", deadline.isoformat())
            for copy_iri, holder in _entrusted_copies(view, consignment):
                evidence = holding_evidence(view, view.copies[copy_iri])
                if evidence is None or compare(evidence[1], limit) != "after":
                    continue
                yield (copy_iri, consignment.iri, clause.iri, agreement), Said(
                    "finding.deletion-later-than-agreed",
                    (("copy", ref(copy_iri)), ("holder", ref(holder)), ("consignment", ref(consignment.iri)),
                     ("clause", ref(clause.iri)), ("agreement", ref(agreement)),
                     ("article", text(clause.article or "?")), ("end", text(end.text)),
                     ("period", text(clause.period)), ("deadline", text(limit.text)),
                     ("when", text(evidence[1].text))))


def _chain_data(view: ChainView, consignment: Consignment) -> set[str]:
    """The data a consignment entrusts, or (when it says none) what the chain above it entrusts."""
    if consignment.data:
        return set(consignment.data)
    return {a for chain in view.chains_up(consignment.iri) for c in chain for a in view.consignments[c].data}


@rule("my-number-reconsignment-without-permission")
def my_number_reconsignment_without_permission(view: ChainView) -> Yield:
    """Individual Number work re-consigned without the permission of the first consignor.

    The re-consignment must be ``cm:Approved`` and approved by the party at the top of its
    chain (or by one of that party's capacities). Focus: the re-consignment, then the first
    consignor.

    Parameters
    ----------
    view : ChainView

    Yields
    ------
    tuple of (tuple of str, Said)
        The focus and the entry ``finding.my-number-reconsignment-without-permission``, with the
        assets that hold Individual Numbers, the first consignors, the approvers and the
        approval state; :func:`~chainmodel.rulebook.rule` makes them the check's
        :class:`~chainmodel.findings.Finding` list.
    """
    for consignment in view.consignments.values():
        tier = view.tier(consignment.iri)
        if tier is None or tier < 2:
            continue
        numbers = sorted(a for a in _chain_data(view, consignment) if a in view.assets and view.assets[a].individual_number)
        if not numbers:
            continue
        firsts = view.roots(consignment.iri)
        approvers = {view.org(p) for p in consignment.approved_by}
        if consignment.approval == _APPROVED and all(view.org(p) in approvers for p in firsts):
            continue
        state = consignment.approval if consignment.approval in _APPROVAL_WORDS else str(CM.ApprovalNotRecorded)
        if consignment.approval == _APPROVED:
            state_word = word("approval.approved-by-others")
        else:
            state_word = word(_APPROVAL_WORDS[state])
        yield (consignment.iri,) + firsts, Said(
            "finding.my-number-reconsignment-without-permission",
            (("consignment", ref(consignment.iri)), ("consignor", ref(consignment.consignor)),
             ("consignee", ref(consignment.consignee)), ("assets", refs(numbers)), ("first", refs(firsts)),
             ("approvers", refs(consignment.approved_by)), ("state", state_word)))
