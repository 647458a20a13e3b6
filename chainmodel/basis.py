"""Lawful basis, apart from what happened: who may hold or receive which principal's data, when.

A transfer (a data provision, a copy) records what happened; a basis records why it was
allowed. A party may hold an asset's data for a principal only while a basis covers it:

* it controls the asset (or an asset it is part of): its own data;
* it is the consignee of a consignment that entrusts the asset, a part of it or something
  it is part of (APPI Art. 27(5)(i)); the consignment covers the data of the principals at
  the top of its chains, from its start to its end;
* it is a recipient of a provision basis that provides the asset or a related one (consent,
  opt-out, joint use, another law): it then holds the data on its own account.

A transfer is lawful only when such a basis covers its receiver (or the transfer cites one
that does); a transfer from the people themselves, of anonymised data, or to the people
themselves needs none. ``cm:basis cm:NoBasis`` says the sources found none.

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.views import chain_view
>>> view = chain_view(load_model(["examples/case-a-laptop"]))
>>> A = "https://example.org/chainmodel/case-a#"
>>> [(c.kind, c.basis.rsplit("#")[1], c.principals) for c in covers(view, A + "foundation", A + "applicant-records")]
[('consignment', 'c-resonac-foundation', ('https://example.org/chainmodel/case-a#resonac',))]
>>> unbased_transfers(view)
[]
"""

from __future__ import annotations

from dataclasses import dataclass

from .namespace import CM
from .timepoints import Instant, instant_sort_key, parse_instant
from .views import ChainView

__all__ = ["Cover", "covers", "related_assets", "transfer_covers", "unbased_transfers", "UnbasedTransfer",
           "incoming_transfers", "NO_BASIS", "latest_end", "transfer_without_basis"]

NO_BASIS = str(CM.NoBasis)


@dataclass(frozen=True)
class Cover:
    """One basis that lets a party hold an asset.

    ``kind`` is ``controller``, ``consignment`` or a provision kind (``consent``,
    ``opt-out``, ``joint-use``, ``under-law``, ``provision``); ``basis`` is the IRI of the
    consignment or provision basis (the asset itself for ``controller``); ``principals`` the
    parties whose data it covers (empty: whatever the provider provided, or the holder's own).
    """

    kind: str
    basis: str
    start: str | None = None
    end: str | None = None
    principals: tuple[str, ...] = ()

    @property
    def on_own_account(self) -> bool:
        """True when the holder handles the data as its own (controller or provision)."""
        return self.kind != "consignment"


def related_assets(view: ChainView, asset: str) -> set[str]:
    """The asset, every asset it is part of, and every asset that is part of it (transitively).

    Parameters
    ----------
    view : ChainView
    asset : str
        The IRI of a data asset (one the view does not hold has no parts or wholes).

    Returns
    -------
    set of str
        The IRIs of the asset and of every asset joined to it by ``cm:subsetOf``, either way.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> view = chain_view(load_model(["examples/case-a-laptop"]))
    >>> related_assets(view, "https://example.org/chainmodel/case-a#applicant-records")
    {'https://example.org/chainmodel/case-a#applicant-records'}
    """
    found, todo = {asset}, [asset]
    while todo:
        current = todo.pop()
        record = view.assets.get(current)
        neighbours = set(record.subset_of) if record else set()
        neighbours |= set(view.index.parts_of.get(current, ()))
        for other in neighbours - found:
            found.add(other)
            todo.append(other)
    return found


def _wholes(view: ChainView, asset: str) -> set[str]:
    found, todo = {asset}, [asset]
    while todo:
        record = view.assets.get(todo.pop())
        for whole in (record.subset_of if record else ()):
            if whole not in found:
                found.add(whole)
                todo.append(whole)
    return found


def covers(view: ChainView, party: str, asset: str) -> list[Cover]:
    """Every basis that lets ``party`` (exactly this party) hold ``asset``, sorted.

    Parameters
    ----------
    view : ChainView
    party : str
        The holder or receiver.
    asset : str
        The data asset.

    Returns
    -------
    list of Cover

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> view = chain_view(load_model(["examples/case-a-laptop"]))
    >>> covers(view, "urn:nobody", "https://example.org/chainmodel/case-a#applicant-records")
    []
    """
    cache = view.__dict__.setdefault("_covers", {})  # the view never changes: each (party, asset) once
    if (party, asset) not in cache:
        cache[party, asset] = tuple(_covers(view, party, asset))
    return list(cache[party, asset])


def _covers(view: ChainView, party: str, asset: str) -> list[Cover]:
    found: list[Cover] = []
    for whole in sorted(_wholes(view, asset)):
        record = view.assets.get(whole)
        if record and party in record.controllers:
            found.append(Cover("controller", whole))
    related = related_assets(view, asset)
    for consignment in sorted({c for a in related for c in view.index.consignments_with_data.get(a, ())}):
        record = view.consignments[consignment]
        if record.consignee == party:
            found.append(Cover("consignment", consignment, record.start, chain_end(view, consignment),
                               view.roots(consignment)))
    for basis in _bases_to(view).get(party, ()):
        if related & set(basis.data):
            found.append(Cover(basis.kind, basis.iri, basis.start, basis.end))
    return found


def _bases_to(view: ChainView) -> dict[str, list]:
    """Recipient -> the bases naming it, sorted by IRI (worked out once per view)."""
    if "_bases_to" not in view.__dict__:
        found: dict[str, list] = {}
        for basis in sorted(view.bases.values(), key=lambda b: b.iri):
            for recipient in dict.fromkeys(basis.recipients):
                found.setdefault(recipient, []).append(basis)
        view.__dict__["_bases_to"] = found
    return view.__dict__["_bases_to"]


def chain_end(view: ChainView, consignment: str) -> str | None:
    """When a consignment's basis ends: its own end or the earliest end above it on its chain.

    A re-consignment cannot outlast the consignment it extends. With several chains above
    it, the basis lasts while one of them does; None when one of them has no end.
    """
    ends = []
    for chain in view.chains_up(consignment):
        stated = [parse_instant(view.consignments[c].end) for c in chain]
        known = [end for end in stated if end is not None]
        if not known:
            return None
        ends.append(min(known, key=lambda end: (end.last, end.first)))
    if not ends:
        return view.consignments[consignment].end
    return max(ends, key=lambda end: (end.last, end.first)).text


def covers_principal(view: ChainView, cover: Cover, principal: str) -> bool:
    """Whether a cover extends to ``principal``'s data (same organisation counts)."""
    if not cover.principals:
        return True
    return any(p == principal or view.org(p) == view.org(principal) for p in cover.principals)


def latest_end(found: list[Cover]) -> Instant | None:
    """When the last of the covers ends; None when one of them has no end (or no cover is given).

    Parameters
    ----------
    found : list of Cover
        The covers to compare, as :func:`covers` gives them.

    Returns
    -------
    Instant or None
        The latest of their ends (the one whose last possible day is latest); None when
        ``found`` is empty or a cover has no end.

    Examples
    --------
    >>> march = Cover("consignment", "urn:c1", end="2024-03")
    >>> latest_end([march, Cover("consignment", "urn:c2", end="2025-01-31")]).text
    '2025-01-31'
    >>> latest_end([march, Cover("controller", "urn:a")]) is None
    True
    """
    ends = [parse_instant(c.end) for c in found]
    if not ends or any(end is None for end in ends):
        return None
    return max(ends, key=lambda end: (end.last, end.first, end.text))


def incoming_transfers(view: ChainView, party: str, asset: str) -> list[str]:
    """Data provisions into ``party`` that carry ``asset`` or a related one, sorted.

    Parameters
    ----------
    view : ChainView
    party : str
        The IRI of the receiver.
    asset : str
        The IRI of a data asset; its parts and wholes (:func:`related_assets`) count too.

    Returns
    -------
    list of str
        The IRIs of the data provisions ``party`` receives that carry one of those assets.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> view = chain_view(load_model(["examples/case-a-laptop"]))
    >>> A = "https://example.org/chainmodel/case-a#"
    >>> incoming_transfers(view, A + "medical-institutions", A + "applicant-records")
    ['https://example.org/chainmodel/case-a#h-applicant-info']
    """
    related = related_assets(view, asset)
    return [h for h in view.index.data_received_by.get(party, ()) if related & set(view.handoffs[h].carries)]


@dataclass(frozen=True)
class UnbasedTransfer:
    """A data provision whose receiver no basis covers for the data it carries.

    ``assets`` are the carried assets without a basis; ``cited`` is the basis the
    transfer cites (``cm:NoBasis`` or one that does not cover the receiver), if any.
    """

    transfer: str
    sender: str | None
    receiver: str
    assets: tuple[str, ...]
    cited: tuple[str, ...] = ()


def _needs_no_basis(view: ChainView, transfer) -> bool:
    subjects = lambda party: party is not None and "data-subjects" in view.roles(party)  # noqa: E731
    return subjects(transfer.sender) or subjects(transfer.receiver)


def transfer_covers(view: ChainView, transfer: str, asset: str) -> list[Cover]:
    """The covers of a transfer's receiver for ``asset`` that were running when it took place.

    A transfer with no dates is judged against every cover; one with a start date against
    covers that had neither definitely ended nor definitely yet to begin by then.

    Parameters
    ----------
    view : ChainView
    transfer : str
        The IRI of a data provision the view holds.
    asset : str
        The IRI of a data asset it carries.

    Returns
    -------
    list of Cover
        The receiver's covers for ``asset`` (:func:`covers`) that had neither ended nor yet to
        begin for certain when the transfer started, sorted; empty when the transfer names no
        receiver.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> view = chain_view(load_model(["examples/case-a-laptop"]))
    >>> A = "https://example.org/chainmodel/case-a#"
    >>> [c.basis.rsplit("#")[1] for c in transfer_covers(view, A + "h-applicant-info", A + "applicant-records")]
    ['c-resonac-institutions']
    """
    record = view.handoffs[transfer]
    found = covers(view, record.receiver, asset) if record.receiver else []
    when = parse_instant(record.start)
    if when is None:
        return found
    def running(cover: Cover) -> bool:  # neither begun after the transfer nor ended before it, for certain
        start, end = parse_instant(cover.start), parse_instant(cover.end)
        return (start is None or start.first <= when.last) and (end is None or when.first <= end.last)

    return [c for c in found if running(c)]


def unbased_transfers(view: ChainView) -> list[UnbasedTransfer]:
    """Every data provision of personal data whose receiver has no basis for it, sorted.

    Parameters
    ----------
    view : ChainView

    Returns
    -------
    list of UnbasedTransfer
        One entry for each data provision :func:`transfer_without_basis` finds wanting, in
        the order of the provisions' IRIs.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> unbased_transfers(chain_view(load_model(["examples/case-b-optout"])))
    []
    """
    found = (transfer_without_basis(view, iri) for iri in sorted(view.handoffs))
    return [entry for entry in found if entry is not None]


def transfer_without_basis(view: ChainView, transfer: str) -> UnbasedTransfer | None:
    """What one data provision carries that no basis covers its receiver for, or None.

    Parameters
    ----------
    view : ChainView
    transfer : str
        The IRI of a data provision.

    Returns
    -------
    UnbasedTransfer or None
        The personal (not anonymised) assets the provision carries with no basis for its
        receiver, and the bases it cites. All of them when it cites ``cm:NoBasis``; else those
        that neither a cited basis naming the receiver nor a running cover
        (:func:`transfer_covers`) accounts for. None when nothing is missing, when the view holds
        no such data provision, when it names no receiver, or when it comes from or goes to the
        people themselves.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> view = chain_view(load_model(["examples/case-a-laptop"]))
    >>> transfer_without_basis(view, "https://example.org/chainmodel/case-a#h-applicant-info") is None
    True
    """
    record = view.handoffs.get(transfer)
    if record is None or not record.is_data or not record.receiver or _needs_no_basis(view, record):
        return None
    personal = [a for a in record.carries if a in view.assets and not view.assets[a].anonymised]
    cited = tuple(b for b in record.basis if b == NO_BASIS or b in view.bases or b in view.consignments)
    if NO_BASIS in cited:
        missing = personal
    else:
        missing = [a for a in personal if not _cited_covers(view, record, a, cited)
                   and not transfer_covers(view, record.iri, a)]
    return UnbasedTransfer(record.iri, record.sender, record.receiver, tuple(missing), cited) if missing else None


def _cited_covers(view: ChainView, transfer, asset: str, cited: tuple[str, ...]) -> bool:
    """Whether a basis the transfer cites names its receiver for this data."""
    related = related_assets(view, asset)
    for iri in cited:
        if iri in view.consignments:
            record = view.consignments[iri]
            if record.consignee == transfer.receiver and (not record.data or related & record.data):
                return True
        elif iri in view.bases:
            basis = view.bases[iri]
            if transfer.receiver in basis.recipients and (not basis.data or related & set(basis.data)):
                return True
    return False


def sort_covers(found: list[Cover]) -> list[Cover]:
    """Covers by end, the latest last."""
    return sorted(found, key=lambda c: (instant_sort_key(parse_instant(c.end)), c.basis))
