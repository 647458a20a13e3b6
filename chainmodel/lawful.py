"""Rule checks of lawful basis and time: data held or passed on without a basis, or kept too long.

* ``data-without-basis`` (error): a party holds a copy of data that no basis lets it hold,
  or holds a principal's data that its bases do not cover; the finding names the transfer
  that brought the data and the party that passed it on.
* ``transfer-without-basis`` (error): a data provision reaches a party that no basis lets
  receive it (a sale to a broker, and each onward sale).
* ``data-past-end`` (error) and ``data-possibly-past-end`` (warning): a copy held after every
  basis for it ended, definitely or only possibly given the dates' precision. Evidence of
  holding is the copy's end date or its deletion or return, else any dated event about the
  copy or its device, else a deletion duty recorded as not performed.

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.views import chain_view
>>> view = chain_view(load_model(["examples/case-a-laptop"]))
>>> data_without_basis(view) + transfer_without_basis(view) + data_past_end(view)
[]
"""

from __future__ import annotations

from typing import Iterator

from .access import systems_reaching
from .basis import NO_BASIS, Cover, covers, covers_principal, incoming_transfers, unbased_transfers
from .findings import Said, ref, refs, text, word
from .namespace import CM
from .rulebook import rule
from .timepoints import Instant, add_duration, compare, instant_sort_key, parse_duration, parse_instant
from .views import ChainView, DataCopy

__all__ = ["data_without_basis", "transfer_without_basis", "opt_out_of_sensitive_data", "data_past_end",
           "data_possibly_past_end", "holding_evidence", "allowed_end", "model_horizon"]

Yield = Iterator[tuple[tuple[str, ...], Said]]


def _principals(view: ChainView, asset: str) -> tuple[str, ...]:
    """The parties whose data is in an asset (see :meth:`ChainView.data_principals`)."""
    return view.data_principals(asset)


def _arrival(view: ChainView, holder: str, asset: str) -> tuple[list[str], list[str]]:
    """The transfers that brought an asset to a holder, and the parties that sent them."""
    transfers = incoming_transfers(view, holder, asset)
    return transfers, sorted({view.handoffs[t].sender for t in transfers if view.handoffs[t].sender})


@rule("data-without-basis")
def data_without_basis(view: ChainView) -> Yield:
    """A party holds a copy of personal data without a basis for it, or for one principal's part of it.

    Focus: the copy, the holder, the asset, then the transfers that brought the data and the
    parties that sent them.

    Parameters
    ----------
    view : ChainView

    Yields
    ------
    tuple of (tuple of str, Said)
        The focus and a ``finding.data-without-basis`` entry: one for a copy with no basis at
        all (the key says whether the copy states ``cm:NoBasis`` and whether transfers brought
        the data), else one for each principal whose data no basis covers;
        :func:`~chainmodel.rulebook.rule` makes them the check's
        :class:`~chainmodel.findings.Finding` list.
    """
    for copy in view.copies.values():
        holder = view.holder_of(copy)
        if not holder or not copy.asset or copy.asset not in view.assets or view.assets[copy.asset].anonymised:
            continue
        found = [] if NO_BASIS in copy.basis else covers(view, holder, copy.asset)
        transfers, senders = _arrival(view, holder, copy.asset)
        evidence = tuple(transfers) + tuple(senders)
        values = (("holder", ref(holder)), ("copy", ref(copy.iri)), ("asset", ref(copy.asset)),
                  ("transfers", refs(transfers)), ("senders", refs(senders)))
        if not found:
            key = "finding.data-without-basis.stated-none" if NO_BASIS in copy.basis else (
                "finding.data-without-basis.arrived" if evidence else "finding.data-without-basis.none")
            yield (copy.iri, holder, copy.asset) + evidence, Said(key, values + _sibling(view, holder, copy.asset))
            continue
        for principal in _principals(view, copy.asset):
            if not any(covers_principal(view, cover, principal) for cover in found):
                covered = sorted({p for cover in found for p in cover.principals})
                yield (copy.iri, holder, copy.asset, principal) + evidence, Said(
                    "finding.data-without-basis.principal",
                    values + (("principal", ref(principal)), ("bases", refs(c.basis for c in found)),
                              ("covered", refs(covered))))


def _sibling(view: ChainView, holder: str, asset: str) -> tuple[tuple[str, tuple], ...]:
    """Another capacity of the holder's organisation that has a basis, if any."""
    organisation = view.org(holder)
    siblings = [p for p in view.index.capacities_of.get(organisation, ()) + (organisation,)
                if p != holder and covers(view, p, asset)]
    note = word("note.sibling-has-basis") if siblings else text("")
    return (("siblings", refs(siblings)), ("organisation", ref(organisation)), ("note", note))


@rule("transfer-without-basis")
def transfer_without_basis(view: ChainView) -> Yield:
    """A data provision passes personal data to a party that has no basis to receive it.

    Focus: the transfer, the receiver, the sender, then the assets.

    Parameters
    ----------
    view : ChainView

    Yields
    ------
    tuple of (tuple of str, Said)
        The focus and a ``finding.transfer-without-basis`` entry for each unbased transfer
        (:func:`chainmodel.basis.unbased_transfers`), its key saying whether the transfer cites
        ``cm:NoBasis``, another basis or none; :func:`~chainmodel.rulebook.rule` makes them the
        check's :class:`~chainmodel.findings.Finding` list.
    """
    for found in unbased_transfers(view):
        if NO_BASIS in found.cited:
            key = "finding.transfer-without-basis.stated-none"
        elif found.cited:
            key = "finding.transfer-without-basis.cited"
        else:
            key = "finding.transfer-without-basis"
        values = (("transfer", ref(found.transfer)), ("sender", ref(found.sender)),
                  ("receiver", ref(found.receiver)), ("assets", refs(found.assets)),
                  ("cited", refs(c for c in found.cited if c != NO_BASIS)))
        yield (found.transfer, found.receiver) + ((found.sender,) if found.sender else ()) + found.assets, \
            Said(key, values)


# -- time --------------------------------------------------------------------------------------


def _deletion_period(view: ChainView, cover: Cover) -> str | None:
    """The longest deletion period an agreement on the cover's chain allows after the end, as a clause IRI.

    A deletion clause binds the consignee and, through it, everyone it re-consigns to.
    """
    if cover.basis not in view.consignments:
        return None
    above = {c for chain in view.chains_up(cover.basis) for c in chain} | {cover.basis}
    found = []
    for consignment in sorted(above):
        agreement = view.agreements.get(view.consignments[consignment].agreement or "")
        for clause in (view.clauses.get(c) for c in (agreement.clauses if agreement else ())):
            period = parse_duration(clause.period) if clause and clause.kind == "deletion-within-period" else None
            if period:
                found.append((period.approximate_days, clause.iri))
    return max(found)[1] if found else None


def allowed_end(view: ChainView, found: list[Cover]) -> tuple[Instant, tuple[str, ...]] | None:
    """When the last basis ends (plus an agreed deletion period), and the bases that end last.

    None when a basis has no end (the data may still be held lawfully) or there is no basis.

    Parameters
    ----------
    view : ChainView
    found : list of Cover
        The covers of one holder for one asset (:func:`chainmodel.basis.covers`).

    Returns
    -------
    tuple of (Instant, tuple of str) or None
        The latest end of the covers, each end pushed back by the longest deletion period an
        agreement on its chain allows, and the sorted IRIs of the bases that end on its last
        day; None as above.

    Examples
    --------
    >>> from chainmodel.basis import Cover
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> view = chain_view(load_model(["examples/case-a-laptop"]))
    >>> march = Cover("consent", "urn:b1", end="2024-03")
    >>> end, ending = allowed_end(view, [march, Cover("consent", "urn:b2", end="2024-03-31")])
    >>> end.text, ending
    ('2024-03-31', ('urn:b1', 'urn:b2'))
    """
    ends = []
    for cover in found:
        end = parse_instant(cover.end)
        if end is None:
            return None
        clause = _deletion_period(view, cover)
        if clause:
            last = add_duration(end.last, parse_duration(view.clauses[clause].period))
            end = Instant(last, last, "day", last.isoformat())
        ends.append((end, cover.basis))
    if not ends:
        return None
    latest = max(ends, key=lambda item: (item[0].last, item[0].first))[0]
    return latest, tuple(sorted({basis for end, basis in ends if end.last == latest.last}))


def _events_about(view: ChainView, copy: DataCopy) -> list:
    """Dated events that show the copy was there: events about the copy or its device, and the
    start of the exposure of an incident that reached it (through the copy, its device, or a
    system that connects to the device, such as the VPN appliance an intrusion came through)."""
    about = {copy.iri} | ({copy.device} if copy.device else set())
    found = {e.iri: e for e in view.events.values() if set(e.concerns) & about}
    reached_through = about | set(systems_reaching(view, copy.device))
    for incident in view.incidents.values():
        if set(incident.concerns) & reached_through:
            found.update((e, view.events[e]) for e in incident.events
                         if e in view.events and view.events[e].kind == "exposure-began")
    return [found[iri] for iri in sorted(found)]


def holding_evidence(view: ChainView, copy: DataCopy) -> tuple[str, Instant, str | None] | None:
    """What shows how long a copy was held: ``(how, when, event)``.

    ``how`` is ``"ended"`` (its end date), ``"deleted"`` (a deletion or return event), or
    ``"seen"`` (the latest dated event about the copy or its device, or the start of the
    exposure of an incident that reached it). None when nothing is dated.

    Parameters
    ----------
    view : ChainView
    copy : DataCopy

    Returns
    -------
    tuple of (str, Instant, str or None) or None
        ``how``, ``when`` and the IRI of the event that shows it (None for ``"ended"``): the
        earliest deletion or return, else the latest event seen.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> view = chain_view(load_model(["examples/case-a-laptop"]))
    >>> copy = view.copies["https://example.org/chainmodel/case-a#backup-applicants"]
    >>> how, when, event = holding_evidence(view, copy)
    >>> how, when.text, event.rsplit("#")[1]
    ('seen', '2025-04-15', 'e-recovered')
    """
    end = parse_instant(copy.end)
    if end:
        return "ended", end, None
    events = _events_about(view, copy)
    closing = sorted(((parse_instant(e.date), e.iri) for e in events
                      if e.kind in ("deleted", "returned") and parse_instant(e.date)),
                     key=lambda item: instant_sort_key(item[0], item[1]))
    if closing:
        return "deleted", closing[0][0], closing[0][1]
    seen = sorted(((parse_instant(e.date), e.iri) for e in events if parse_instant(e.date)),
                  key=lambda item: instant_sort_key(item[0], item[1]))
    return ("seen", seen[-1][0], seen[-1][1]) if seen else None


def _not_performed(view: ChainView, copy: DataCopy, found: list[Cover]) -> list[tuple[str, str]]:
    """(incident, duty) pairs recording a deletion duty of the copy's bases as not performed."""
    duties = {d for cover in found if cover.basis in view.consignments for d in view.consignments[cover.basis].duties}
    duties |= {copy.iri}
    pairs = []
    for incident in view.incidents.values():
        if str(CM.NotPerformed) in incident.failed_with:
            pairs += [(incident.iri, duty) for duty in incident.concerns if duty in duties]
    return sorted(pairs)


def model_horizon(view: ChainView) -> Instant | None:
    """The latest date the model speaks of (events, consignments, bases, copies, hand-offs).

    Parameters
    ----------
    view : ChainView

    Returns
    -------
    Instant or None
        The date whose last possible day is latest among the events' dates and the starts and
        ends of consignments, bases, copies and hand-offs; None when none of them is dated.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> model_horizon(chain_view(load_model(["examples/case-b-optout"]))).text
    '2025-08-08'
    """
    texts = [e.date for e in view.events.values()]
    for records in (view.consignments.values(), view.bases.values(), view.copies.values(), view.handoffs.values()):
        texts += [getattr(r, "start", None) for r in records] + [getattr(r, "end", None) for r in records]
    found = [parse_instant(t) for t in texts if parse_instant(t)]
    return max(found, key=lambda i: (i.last, i.first)) if found else None


def _past_end(view: ChainView) -> Iterator[tuple[str, tuple[str, ...], Said]]:
    """(severity, focus, said) for every copy held, or possibly held, past the end of its bases."""
    horizon = model_horizon(view)
    for copy in view.copies.values():
        holder = view.holder_of(copy)
        if not holder or not copy.asset or copy.asset not in view.assets:
            continue
        found = covers(view, holder, copy.asset)
        limit = allowed_end(view, found)
        if limit is None:
            continue
        end, ending = limit
        values = (("copy", ref(copy.iri)), ("asset", ref(copy.asset)), ("holder", ref(holder)),
                  ("bases", refs(ending)), ("end", text(end.text)))
        focus = (copy.iri,) + ending
        evidence = holding_evidence(view, copy)
        failed = _not_performed(view, copy, found)
        if failed:
            incident, duty = failed[0]
            yield "error", focus + (incident,), Said("finding.data-past-end.not-performed",
                                                    values + (("incident", ref(incident)), ("duty", ref(duty))))
            continue
        if evidence is None:
            if horizon is not None and horizon.first > end.last:
                yield "warning", focus, Said("finding.data-possibly-past-end.unrecorded", values + (("horizon", text(horizon.text)),))
            continue
        how, when, event = evidence
        verdict = compare(when, end)
        extra = (("when", text(when.text)), ("event", ref(event)))
        if verdict == "after":
            yield "error", focus + ((event,) if event else ()), Said(f"finding.data-past-end.{how}", values + extra)
        elif verdict == "possibly-after":
            yield "warning", focus + ((event,) if event else ()), Said(f"finding.data-possibly-past-end.{how}",
                                                                     values + extra)


@rule("opt-out-of-sensitive-data")
def opt_out_of_sensitive_data(view: ChainView) -> Yield:
    """An opt-out provision provides special care-required personal information, which the
    opt-out procedure of APPI Art. 27(2) may not be used for.

    Parameters
    ----------
    view : ChainView

    Yields
    ------
    tuple of (tuple of str, Said)
        Focus: the provision basis, the sensitive asset, then the providers.
    """
    for basis in sorted(view.bases.values(), key=lambda b: b.iri):
        if basis.kind != "opt-out":
            continue
        for asset_iri in sorted(basis.data):
            asset = view.assets.get(asset_iri)
            if asset is None or asset.anonymised or not (asset.sensitive or asset.sensitive_categories):
                continue
            what = (word("note.sensitive-categories") if asset.sensitive_categories else word("note.marked-sensitive"))
            yield (basis.iri, asset_iri, *basis.providers), Said("finding.opt-out-of-sensitive-data", (
                ("basis", ref(basis.iri)), ("asset", ref(asset_iri)), ("providers", refs(basis.providers)),
                ("categories", refs(asset.sensitive_categories)), ("what", what)))


@rule("data-past-end")
def data_past_end(view: ChainView) -> Yield:
    """A copy is held after every basis for it ended, and the dates show it for certain.

    Focus: the copy, the bases that ended last, then the evidence (event or incident).

    Parameters
    ----------
    view : ChainView

    Yields
    ------
    tuple of (tuple of str, Said)
        The focus and a ``finding.data-past-end`` entry (its key names the evidence: an end
        date, a deletion, an event seen, or a deletion duty not performed);
        :func:`~chainmodel.rulebook.rule` makes them the check's
        :class:`~chainmodel.findings.Finding` list.
    """
    for severity, focus, said in _past_end(view):
        if severity == "error":
            yield focus, said


@rule("data-possibly-past-end")
def data_possibly_past_end(view: ChainView) -> Yield:
    """A copy may be held after every basis for it ended: the dates are too coarse, or no end is recorded.

    Focus: the copy, the bases that ended last, then the event, if any.

    Parameters
    ----------
    view : ChainView

    Yields
    ------
    tuple of (tuple of str, Said)
        The focus and a ``finding.data-possibly-past-end`` entry (its key names the evidence,
        or says that nothing dates the holding although the model speaks of days after the
        end); :func:`~chainmodel.rulebook.rule` makes them the check's
        :class:`~chainmodel.findings.Finding` list.
    """
    for severity, focus, said in _past_end(view):
        if severity == "warning":
            yield focus, said

