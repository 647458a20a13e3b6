"""Plain, JSON-ready dictionaries of every analysis result, with labels in both languages.

Text output is rendered from these same dictionaries (``chainmodel.text``), so the two
never disagree. Every element appears with its IRI, its prefixed name and its labels.

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.views import chain_view
>>> view = chain_view(load_model(["examples/case-a-laptop"]))
>>> party_json(view, "https://example.org/chainmodel/case-a#resonac")["label"]["ja"]
'レゾナック健康保険組合'
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass
from typing import Callable, Sequence

from .blast import Blast
from .catalogue import has, words
from .describe import Summary
from .exposure import Exposure, Population, asset_exposure
from .findings import SEVERITIES, Finding, Said
from .law import LANGUAGES, citation, citations, known_rules, rule_info
from .leaks import Leak
from .namespace import RULE
from .population import Count
from .portfolio import Group, group_blasts, group_findings, group_leaks
from .reporting import Notification, PrincipalDuty
from .timepoints import instant_sort_key, parse_instant
from .trace import DutyTrace
from .views import ChainView, duration_months

__all__ = [
    "Streamed",
    "Deferred",
    "ref_json",
    "party_json",
    "trace_json",
    "leak_json",
    "exposure_json",
    "blast_json",
    "blast_rank_json",
    "cutsets_json",
    "describe_json",
    "finding_json",
    "audit_json",
    "group_json",
    "keep_top",
    "Listing",
    "listing_json",
    "findings_listing",
    "leaks_listing",
    "blast_listing",
    "audit_listings",
    "rule_json",
    "source_json",
    "Term",
    "Shared",
    "TermTable",
    "referring",
]

def _pseudo_labels(iri: str) -> dict[str, str] | None:
    """Labels of a party that stands for someone the model does not name (from the catalogue)."""
    key = f"party.{iri}"
    return dict(words()[key]) if iri.startswith("urn:chainmodel:") and has(key) else None


class Term(dict):
    """An element as output gives it: ``iri``, ``name``, ``label`` (and a party's ``roles``).

    A plain dictionary to every reader; the class only marks it as a reference, so the JSON
    document (:mod:`chainmodel.jsondoc`) can put each term once in a table and refer to it
    by key. One Term per element and view: do not change it.
    """

    __slots__ = ()


class Shared(dict):
    """Facts about one element that many entries repeat (what an asset exposes), given once.

    Like :class:`Term`, a plain dictionary to every reader; the JSON document puts it once
    in its ``shared`` table under ``key`` and entries refer to it by that key.
    """

    __slots__ = ("key",)

    def __init__(self, key: str, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.key = key


class TermTable:
    """The terms and shared facts an answer refers to, collected while it is serialised.

    While a table is active on a view (:func:`referring`), :func:`ref_json` gives an element's
    IRI and :func:`exposure_json` the key of its facts instead of the dictionaries, and the
    table keeps each once: what the JSON document and the JSON Lines write
    (:mod:`chainmodel.jsondoc`), without walking the answer afterwards. ``fresh`` lists what
    was added since :meth:`take_fresh` was last called.
    """

    def __init__(self) -> None:
        self.terms: dict[str, dict] = {}
        self.shared: dict[str, dict] = {}
        self.fresh: list[tuple[str, str]] = []

    def term_key(self, term: Term) -> str:
        iri = term["iri"]
        if iri not in self.terms:
            self.terms[iri] = {}  # placed first: a term may lead back to itself
            self.terms[iri] = {key: self._plain(value) for key, value in term.items() if key != "iri"}
            self.fresh.append(("term", iri))
        return iri

    def shared_key(self, key: str, facts: dict) -> str:
        if key not in self.shared:
            self.shared[key] = facts
            self.fresh.append(("shared", key))
        return key

    def _plain(self, value):
        if isinstance(value, Term):
            return self.term_key(value)
        if isinstance(value, list):
            return [self._plain(item) for item in value]
        return value

    def take_fresh(self) -> list[dict]:
        """The ``term`` and ``shared`` records of what was added since the last call."""
        fresh, self.fresh = self.fresh, []
        return [{"record": "term", "iri": key, **self.terms[key]} if kind == "term"
                else {"record": "shared", "key": key, **self.shared[key]} for kind, key in fresh]


@contextlib.contextmanager
def referring(view: ChainView):
    """Serialise with references: within, elements are IRIs and shared facts keys, kept in the table yielded.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> view = chain_view(load_model(["examples/case-b-optout"]))
    >>> with referring(view) as table:
    ...     found = party_json(view, "https://example.org/chainmodel/case-b#consignee-ldi")
    >>> found, table.terms[found]["organisation"]
    ('https://example.org/chainmodel/case-b#consignee-ldi', 'https://example.org/chainmodel/case-b#ldi')
    >>> party_json(view, found)["label"]["en"]  # outside, the dictionary again
    'consignee LDI'
    """
    table = TermTable()
    view.__dict__["_table"] = table
    try:
        yield table
    finally:
        del view.__dict__["_table"]


def ref_json(view: ChainView, iri: str | None) -> Term | str | None:
    """``{"iri", "name", "label": {lang: text}}`` for any element; a party adds ``roles`` and
    ``organisation`` (see :func:`party_json`).

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> view = chain_view(load_model(["examples/case-b-optout"]))
    >>> found = ref_json(view, "https://example.org/chainmodel/case-b#nttdata")
    >>> found["label"]["en"], found["roles"]
    ('NTT DATA', ['re-consignee'])
    """
    if iri is None:
        return None
    table = view.__dict__.get("_table")
    if table is None:
        return _term(view, iri)
    return iri if iri in table.terms else table.term_key(_term(view, iri))  # a term already in the table is its IRI


def _term(view: ChainView, iri: str) -> Term:
    cache = view.__dict__.setdefault("_terms", {})
    found = cache.get(iri)
    if found is None:
        labels = _pseudo_labels(iri) or view.model.labels(iri)
        found = Term(iri=iri, name=view.model.qname(iri, standard=True), label={k: labels[k] for k in sorted(labels)})
        if iri in view.parties:
            found["roles"] = list(view.roles(iri))
            party = view.parties[iri]
            if party.organisation:
                found["organisation"] = _term(view, party.organisation)
        _add_law(found, iri)
        cache[iri] = found
    return found


def _add_law(found: Term, iri: str) -> None:
    """A legal source the rules file knows gets its citations; a rule of the rulebook its advice.

    Decided by the IRI alone, so the one Term of an IRI is the same whoever asks for it first.
    """
    if not iri.startswith(("https://w3id.org/chainmodel/rule#", "https://w3id.org/chainmodel#")):
        return
    if citation(iri) != iri:
        found["citation"] = citations(iri)
    if iri in known_rules():
        info = rule_info(iri)
        found["advice"] = {lang: info.advice_in(lang) for lang in LANGUAGES}


def party_json(view: ChainView, iri: str | None) -> Term | None:
    """A party with its roles and, for a capacity, the organisation acting in it (as :func:`ref_json`)."""
    return ref_json(view, iri)


def trace_json(view: ChainView, result: DutyTrace) -> dict:
    duty = view.duties[result.duty]
    return {
        "duty": ref_json(view, result.duty),
        "legal_basis": [ref_json(view, source) for source in duty.legal_basis],
        "accountable": party_json(view, result.accountable),
        "performers": [party_json(view, p) for p in result.performers],
        "flags": {
            "entrusted_more_than_once": result.entrusted_more_than_once,
            "no_performer": result.no_performer,
            "truncated": result.truncated,
        },
        "chains": [
            {
                "accountable": party_json(view, chain.accountable),
                "performer": party_json(view, chain.performer),
                "reaches_performer": chain.reaches_performer,
                "starts_at_accountable": chain.starts_at_accountable,
                "supervisors": [party_json(view, s) for s in chain.supervisors],
                "links": [
                    {
                        "consignment": ref_json(view, link.consignment),
                        "tier": link.tier,
                        "consignor": party_json(view, link.consignor),
                        "consignee": party_json(view, link.consignee),
                        "approval": ref_json(view, link.approval),
                        "approved_by": [party_json(view, p) for p in link.approved_by],
                        "supervisors": [party_json(view, s) for s in link.supervisors],
                    }
                    for link in chain.links
                ],
            }
            for chain in result.chains
        ],
    }


def count_json(count: Count | None) -> dict | None:
    """A count or its bounds: ``at_least``, ``at_most`` (null: no upper bound), and how it is meant."""
    if count is None:
        return None
    return {"at_least": count.low, "at_most": count.high, "exact": count.exact,
            "approximate": count.approximate, "known": count.known}


def population_json(view: ChainView, population: Population | None) -> dict | None:
    """The union of the populations reached in one unit, with the reasons it is not one figure."""
    if population is None:
        return None
    union = population.union
    return {
        "unit": ref_json(view, population.unit),
        "count": count_json(union.count),
        "counted": [ref_json(view, a) for a in union.counted],
        "reasons": [{"reason": code, "assets": [ref_json(view, a) for a in assets]} for code, assets in union.reasons],
    }


def _asset_entry(view: ChainView, item) -> Shared:
    """What one asset exposes (the same in every exposure that reaches it): given once in JSON."""
    key = f"exposure-of:{item.asset}"
    table = view.__dict__.get("_table")
    if table is not None:
        return key if key in table.shared else table.shared_key(key, _asset_facts(view, item))
    cache = view.__dict__.setdefault("_shared", {})
    if key not in cache:
        cache[key] = Shared(key, _asset_facts(view, item))
    return cache[key]


def _asset_facts(view: ChainView, item) -> dict:
    return {
        "asset": ref_json(view, item.asset),
        "unit": ref_json(view, item.unit),
        "subjects": item.total.figure if item.total.exact else None,
        "total": count_json(item.total),
        "per_principal": [
            {"principal": party_json(view, s.principal), "subjects": s.count.figure if s.count.exact else None,
             "count": count_json(s.count), "stated": s.stated}
            for s in item.shares
        ],
        "unattributed": item.unattributed.figure if item.unattributed and item.unattributed.exact else None,
        "unattributed_count": count_json(item.unattributed),
        "sensitive": item.sensitive,
        "sensitive_categories": [ref_json(view, c) for c in item.sensitive_categories],
        "financial_categories": [ref_json(view, c) for c in item.financial_categories],
        "controllers": [party_json(view, c) for c in item.controllers],
    }


def exposure_json(view: ChainView, found: Exposure, per_principal: bool = True) -> dict:
    """What an exposure reaches: people (exact or bounds), every unit, per principal, per asset.

    ``subjects`` is the number of people when it is one exact figure, else null;
    ``known_subjects`` is the lower bound of people. The exposure of a set of assets is the
    same wherever it is reached (every single point of one harm, a device and its copy), so
    the JSON document gives each once (:class:`Shared`, keyed by a digest of the assets).
    ``per_principal=False`` leaves out the populations per principal (a ranking's entries:
    each asset still says its count per principal).
    """
    if not found.assets:
        return _exposure_facts(view, found, per_principal)
    digest = hashlib.sha256("\n".join(item.asset for item in found.assets).encode("utf-8")).hexdigest()[:20]
    key = f"exposure:{digest}" if per_principal else f"exposure-in-all:{digest}"
    known = view.__dict__.setdefault("_exposures", {})
    if key in known and known[key] is not found and known[key] != found:  # the same assets, counted otherwise
        return _exposure_facts(view, found, per_principal)
    known[key] = found
    table = view.__dict__.get("_table")
    if table is not None:
        return key if key in table.shared else table.shared_key(key, _exposure_facts(view, found, per_principal))
    cache = view.__dict__.setdefault("_shared", {})
    if key not in cache:
        cache[key] = Shared(key, _exposure_facts(view, found, per_principal))
    return cache[key]


def _exposure_facts(view: ChainView, found: Exposure, per_principal: bool) -> dict:
    facts = {
        "subjects": found.subjects,
        "known_subjects": found.known_subjects,
        "people": population_json(view, found.people),
        "populations": [population_json(view, p) for p in found.populations],
        "per_principal": [
            {"principal": party_json(view, p.principal),
             "subjects": p.people.count.figure if p.people and p.people.count.exact else None,
             "populations": [population_json(view, q) for q in p.populations]}
            for p in found.principals
        ],
        "sensitive": found.sensitive,
        "sensitive_categories": [ref_json(view, c) for c in found.sensitive_categories],
        "financial_categories": [ref_json(view, c) for c in found.financial_categories],
        "assets": [_asset_entry(view, item) for item in found.assets],
    }
    if not per_principal:
        del facts["per_principal"]
    return facts


def leak_json(view: ChainView, leak: Leak) -> dict:
    return {
        "element": ref_json(view, leak.element),
        "element_kind": leak.element_kind,
        "no_failure_needed": leak.no_failure_needed,
        "failure_modes": [ref_json(view, m) for m in leak.modes],
        "operated_by": [party_json(view, p) for p in leak.operators],
        "accountable": [party_json(view, p) for p in leak.accountable],
        "harm": leak.harm_kind,
        "guarded_provision": ref_json(view, leak.flow) if leak.harm_kind == "guarded-provision" else None,
        "guard_duty": ref_json(view, leak.guard),
        "path": [
            {
                "element": ref_json(view, step.element),
                "kind": step.kind,
                "from": party_json(view, step.sender),
                "to": party_json(view, step.receiver),
                "effect_code": step.role,
            }
            for step in leak.path
        ],
        "reached": [party_json(view, p) for p in leak.reached],
        "exposure": exposure_json(view, leak.exposure),
        "controls_not_catching_it": [
            {"control": ref_json(view, v.control), "why_said": [said_json(view, r) for r in v.reasons]}
            for v in leak.uncaught_by
        ],
        "held_by_reached": [{"party": party_json(view, party), "exposure": exposure_json(view, held)}
                            for party, held in leak.holdings],
    }


def cutsets_json(view: ChainView, harm, cuts: list[tuple[str, ...]]) -> dict:
    return {
        "harm": harm.kind,
            "guarded_provision": ref_json(view, harm.flow) if harm.kind == "guarded-provision" else None,
        "element": ref_json(view, harm.key) if harm.kind != "guarded-provision" else None,
        "guard_duty": ref_json(view, harm.guard),
        "duties": [ref_json(view, d) for d in harm.duties],
        "protected_assets": [ref_json(view, a) for a in harm.exposed_assets],
        "cut_sets": [
            {"order": len(cut), "events": [dict(ref_json(view, e), kind=harm.elements[e].kind) for e in cut]}
            for cut in cuts
        ],
    }


def source_json(view: ChainView, source: str) -> Term:
    """A legal source of the rules file as a term: its IRI, labels and citation in each language."""
    return ref_json(view, source)


def _notification_json(view: ChainView, n: Notification) -> dict:
    return {
        "from": party_json(view, n.sender),
        "to": party_json(view, n.recipient),
        "principal": party_json(view, n.principal),
        "rule": ref_json(view, n.rule),
        "sources": [source_json(view, s) for s in n.sources],
        "status": n.status,
        "because": list(n.because),
    }


def duty_json(view: ChainView, duty: PrincipalDuty) -> dict:
    """One principal's reporting duties: regime, triggers, routes and notifications."""
    regime = duty.regime
    return {
        "principal": party_json(view, duty.principal),
        "regime": ref_json(view, regime.regime),
        "regime_choice": {"mandatory": regime.mandatory, "certain": regime.certain,
                          "alternatives": [ref_json(view, r) for r in regime.alternatives],
                          "reason": regime.reason or None},
        "reportable": duty.reportable,
        "protected_by": [ref_json(view, k) for k in duty.protected_by],
        "triggers": [
            {"trigger": t.code, "status": t.status, "source": source_json(view, t.source) if t.source else None,
             "assets": [ref_json(view, a) for a in t.assets], "threshold": t.threshold, "count": count_json(t.count)}
            for t in duty.triggers
        ],
        "routes": [
            {"holder": party_json(view, r.holder), "notifier": party_json(view, r.notifier),
             "chain": [ref_json(view, c) for c in r.chain], "gap": r.gap, "transfer": ref_json(view, r.transfer),
             "basis": [ref_json(view, b) for b in r.bases]}
            for r in duty.routes
        ],
        "notifications": [_notification_json(view, n) for n in duty.notifications],
    }


def blast_rank_json(view: ChainView, found: Blast) -> dict:
    """One element of a blast ranking: :func:`blast_json` without what it repeats at scale: the
    populations per principal (each asset still gives its count per principal) and the list of
    notifications (each principal's duties hold them)."""
    return _blast_entry(view, found, ranked=True)


def blast_json(view: ChainView, found: Blast) -> dict:
    """What the compromise of one element exposes, its chains, and every principal's reporting duties."""
    return _blast_entry(view, found, ranked=False)


def _blast_entry(view: ChainView, found: Blast, ranked: bool) -> dict:
    entry = {
        "element": ref_json(view, found.element),
        "kind": found.kind,
        "holders": [party_json(view, h) for h in found.holders],
        "principals": [party_json(view, p) for p in found.principals],
        "protected_by": [ref_json(view, k) for k in found.protected_by],
        "exposure": exposure_json(view, found.exposure, per_principal=not ranked),
        "chains": [
            [{"consignment": ref_json(view, c), "tier": view.tier(c),
              "consignor": party_json(view, view.consignments[c].consignor),
              "consignee": party_json(view, view.consignments[c].consignee)} for c in chain]
            for chain in found.chains
        ],
        "reporting_duties": None if ranked else [_notification_json(view, n) for n in found.notifications],
        "duties": [duty_json(view, d) for d in found.duties],
    }
    if ranked:
        del entry["reporting_duties"]
    return entry


def rule_json(view: ChainView, rule: str) -> Term:
    """A rule as a term: its labels and, for a rule of the rulebook, its advice in each language."""
    return ref_json(view, rule)


def _value_json(view: ChainView, kind: str, value) -> object:
    if kind == "consignment":
        iri, consignor, consignee, implicit = value
        return {"consignment": ref_json(view, iri), "consignor": party_json(view, consignor),
                "consignee": party_json(view, consignee), "implicit": implicit}
    if kind == "ref":
        return ref_json(view, value)
    if kind == "refs":
        return [ref_json(view, v) for v in value]
    if kind == "texts":
        return dict(value)
    return value


def said_json(view: ChainView, said: Said | None) -> dict | None:
    """What a finding says, for renderers in any language: a catalogue key and its values."""
    if said is None:
        return None
    return {"key": said.key, "advice": said.advice,
            "values": [[slot, kind, _value_json(view, kind, value)] for slot, (kind, value) in said.values]}


def finding_json(view: ChainView, finding: Finding) -> dict:
    """A finding: its severity, its rule (a term with the advice), its elements and what it says.

    ``said`` is what it says as a catalogue key and values, to be worded in any language
    (``chainmodel.text.finding_message``); ``message`` is the English text only for a
    finding that says nothing else. ``sources`` are the rule's legal sources as terms;
    ``source`` the citations a finding of no rulebook rule (a SHACL shape) gives itself.
    """
    info = rule_info(finding.rule) if finding.rule.startswith(str(RULE)) else None
    sources = [source_json(view, s) for s in (info.source_iris if info else ())]
    return {
        "severity": finding.severity,
        "rule": rule_json(view, finding.rule),
        "focus": [ref_json(view, iri) for iri in finding.focus],
        "said": said_json(view, finding.said),
        "message": None if finding.said else finding.message,
        "sources": sources,
        "source": [] if sources else list(finding.source),
    }


# -- groups --------------------------------------------------------------------------------------


_GROUP_FIELDS = {
    "single_points_of_failure": ("harm", "element_kind", "operator", "tier", "no_failure_needed"),
    "findings": ("severity", "rule"),
    "blast_rank": ("kind", "tier_or_portable"),
    "blast": ("kind", "tier_or_portable"),
}


def group_json(view: ChainView, section: str, group: Group) -> dict:
    """A group of a section: what its members share, how many, the worst, and the principals touched.

    ``members`` and ``worst`` are indexes into the section's list of entries.
    """
    fields = _GROUP_FIELDS[section]
    key = {}
    for field_name, value in zip(fields, group.key):
        if field_name in ("operator",):
            value = ref_json(view, value)
        elif field_name == "rule":
            value = rule_json(view, value)
        if field_name == "tier_or_portable":
            key["portable" if isinstance(value, bool) else "tier"] = value
        else:
            key[field_name] = value
    return {"key": key, "count": len(group.members), "worst": group.worst, "members": list(group.members),
            "principal_count": len(group.principals), "principals": [ref_json(view, p) for p in group.principals]}


def keep_top(groups: list[Group], count: int, top: int | None) -> tuple[Sequence[int], list[Group]]:
    """The items to keep (indexes, in order) and the first ``top`` groups, their members renumbered.

    >>> kept, groups = keep_top([Group(("a",), (2, 0), ()), Group(("b",), (1,), ())], 3, 1)
    >>> list(kept), groups[0].members
    ([0, 2], (1, 0))
    """
    if top is None or top >= len(groups):
        return range(count), groups
    groups = groups[:top]
    kept = sorted({i for g in groups for i in g.members})
    renumber = {old: new for new, old in enumerate(kept)}
    return kept, [Group(g.key, tuple(renumber[i] for i in g.members), g.principals) for g in groups]


@dataclass(frozen=True)
class Listing:
    """One section of an answer before it is written: its items, their groups, how to write one.

    ``name`` is the section's key in the JSON document, ``record`` the kind of its JSON Lines
    records; ``totals`` are figures over every item (the section's summary), whatever is kept.
    """

    name: str
    record: str
    items: Sequence
    groups: list[Group]
    entry_json: Callable[[ChainView, object], dict]
    totals: dict

    @property
    def header(self) -> dict:
        """The section's figures over every item, whatever is kept: its totals, the counts of
        items and groups, and how many principals the groups touch."""
        return {**self.totals, "count": len(self.items), "group_count": len(self.groups),
                "principal_count": len({p for g in self.groups for p in g.principals})}


class Streamed:
    """A list written item by item as ``items`` yields them (by :func:`chainmodel.jsondoc.chunks`);
    no item is kept once it is written."""

    def __init__(self, items) -> None:
        self.items = items


class Deferred(Sequence):
    """A list whose items are made when first read: a text that shows ten groups reads a few
    entries of thousands, and only those are made."""

    def __init__(self, make: Callable[[int], dict], count: int) -> None:
        self._make, self._count, self._made = make, count, {}

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(index)
        if index not in self._made:
            self._made[index] = self._make(index)
        return self._made[index]


def listing_json(view: ChainView, listing: Listing, top: int | None = None, form: str = "list") -> dict:
    """A section's totals, entries and groups; with ``top``, the first ``top`` groups and their members.

    Member indexes are renumbered into the entries kept, so they stay indexes into ``entries``.
    ``form`` says how the entries are made: all at once (``list``), one by one as
    :func:`chainmodel.jsondoc.chunks` writes them (``streamed``, a :class:`Streamed` list), or
    each when first read (``deferred``, a :class:`Deferred` list, for a renderer that reads few).
    """
    kept, groups = keep_top(listing.groups, len(listing.items), top)
    kept = list(kept)

    def entry(index: int) -> dict:
        return listing.entry_json(view, listing.items[kept[index]])

    entries = {"list": lambda: [entry(i) for i in range(len(kept))],
               "streamed": lambda: Streamed(entry(i) for i in range(len(kept))),
               "deferred": lambda: Deferred(entry, len(kept))}[form]()
    return {**listing.header, "entries": entries, "groups": [group_json(view, listing.name, g) for g in groups]}


def findings_listing(view: ChainView, findings: Sequence[Finding], conforms: bool) -> Listing:
    """Validation findings grouped by rule; ``conforms`` is the whole model's (filters aside)."""
    counts = {severity: sum(1 for f in findings if f.severity == severity) for severity in SEVERITIES}
    return Listing("findings", "finding", findings, group_findings(view, findings), finding_json,
                   {"conforms": conforms, "by_severity": counts})


def leaks_listing(view: ChainView, leaks: Sequence[Leak]) -> Listing:
    """Single points of failure grouped by harm, kind, operator and tier."""
    return Listing("single_points_of_failure", "single_point_of_failure", leaks, group_leaks(view, leaks), leak_json,
                   {"no_failure_needed": sum(1 for leak in leaks if leak.no_failure_needed)})


def blast_listing(view: ChainView, blasts: Sequence[Blast], name: str = "blast_rank") -> Listing:
    """Blast radii grouped by kind and tier (parties) or portability (devices).

    ``name`` is ``blast_rank`` for a ranking (:func:`blast_rank_json`), ``blast`` for the
    elements a user named (:func:`blast_json`).
    """
    return Listing(name, "blast", blasts, group_blasts(view, blasts),
                   blast_rank_json if name == "blast_rank" else blast_json, {})


def audit_listings(view: ChainView, result) -> list[Listing]:
    """The three sections of an audit (:func:`chainmodel.audit.audit`)."""
    return [findings_listing(view, result.findings, result.conforms), leaks_listing(view, result.leaks),
            blast_listing(view, result.blasts)]


def audit_json(view: ChainView, result, top: int | None = None) -> dict:
    """The whole audit: conformance and the three grouped sections (``top``: the first N groups of each)."""
    return {"conforms": result.conforms, **{listing.name: listing_json(view, listing, top)
                                            for listing in audit_listings(view, result)}}


def describe_json(view: ChainView, summary: Summary) -> dict:
    def asset_entry(iri: str) -> dict:
        asset = view.assets[iri]
        return dict(
            ref_json(view, iri),
            **_asset_entry(view, asset_exposure(view, iri)),
            categories=[ref_json(view, c) for c in asset.categories],
            copies=[
                dict(ref_json(view, c.iri), device=ref_json(view, c.device), held_by=party_json(view, view.holder_of(c)),
                     portable=view.devices[c.device].portable if c.device in view.devices else None)
                for c in sorted(view.copies.values(), key=lambda c: c.iri) if c.asset == iri
            ],
        )

    def control_entry(iri: str) -> dict:
        control = view.controls[iri]
        return dict(
            ref_json(view, iri),
            kind=control.kind,
            operated_by=[party_json(view, p) for p in control.operators],
            covers=[ref_json(view, c) for c in control.covers],
            notifies=[party_json(view, p) for p in control.notifies],
            detection_latency=control.latency,
            detection_latency_months=duration_months(control.latency),
            rules_out_leak=control.rules_out_leak,
            limitation={lang: text for lang, text in control.limitation},
        )

    return {
        "triples": summary.triples,
        "parties_by_capacity": {k: [party_json(view, p) for p in v] for k, v in summary.parties_by_capacity.items()},
        "consignments_by_tier": {
            str(tier): [
                dict(ref_json(view, c), consignor=party_json(view, view.consignments[c].consignor),
                     consignee=party_json(view, view.consignments[c].consignee),
                     extends=[ref_json(view, p) for p in view.consignments[c].parents],
                     extends_inferred=view.consignments[c].parents_inferred,
                     approval=ref_json(view, view.consignments[c].approval),
                     duties=[ref_json(view, d) for d in sorted(view.consignments[c].duties)])
                for c in items
            ]
            for tier, items in summary.consignments_by_tier.items()
        },
        "duties": [
            dict(ref_json(view, d), accountable=party_json(view, view.duties[d].accountable),
                 performers=[party_json(view, p) for p in view.duties[d].performers])
            for d in summary.duties
        ],
        "data_assets": [asset_entry(a) for a in summary.assets],
        "controls": [control_entry(c) for c in summary.controls],
        "hand_offs": [
            dict(ref_json(view, h), kind=view.handoffs[h].kind, sender=party_json(view, view.handoffs[h].sender),
                 receiver=party_json(view, view.handoffs[h].receiver), cadence=view.handoffs[h].cadence)
            for h in summary.handoffs
        ],
        "incidents": [
            dict(ref_json(view, i), events=[
                dict(ref_json(view, e), date=view.events[e].date, kind=view.events[e].kind,
                     actor=party_json(view, view.events[e].actor))
                for e in sorted((e for e in view.incidents[i].events if e in view.events),
                                key=lambda e: instant_sort_key(parse_instant(view.events[e].date), e))
            ])
            for i in summary.incidents
        ],
    }


# -- timeline (issue 14) -----------------------------------------------------------------


def _instant_json(instant) -> dict | None:
    if instant is None:
        return None
    return {"text": instant.text, "precision": instant.precision, "first": instant.first.isoformat(),
            "last": instant.last.isoformat()}


def _days_json(days: tuple[int, int] | None) -> dict | None:
    return None if days is None else {"fewest": days[0], "most": days[1]}


def window_json(view: ChainView, window) -> dict | None:
    """An exposure window: start, end, the events that set them, why it ended, its length."""
    if window is None:
        return None
    return {"start": _instant_json(window.start), "end": _instant_json(window.end),
            "start_event": ref_json(view, window.start_event), "end_event": ref_json(view, window.end_event),
            "end_reason": window.end_reason, "days": _days_json(window.days)}


def _deadline_json(view: ChainView, verdict) -> dict:
    deadline = verdict.deadline
    return {"stage": deadline.stage, "period": deadline.period, "condition": deadline.condition,
            "due": deadline.due.isoformat() if deadline.due else None,
            "due_earliest": deadline.due_first.isoformat() if deadline.due_first else None,
            "rule": ref_json(view, deadline.rule), "sources": [source_json(view, s) for s in deadline.sources],
            "status": verdict.status, "day": verdict.day, "late_by_days": verdict.late_by, "reason": verdict.reason}


def _knowledge_json(view: ChainView, known) -> dict:
    return {"party": party_json(view, known.party), "date": _instant_json(known.when),
            "event": ref_json(view, known.event), "how": known.how, "latency_days": _days_json(known.latency)}


def timeline_json(view: ChainView, found) -> dict:
    """A :class:`chainmodel.timeline.Timeline` as plain values."""
    regime = lambda choice: (ref_json(view, choice.regime) | {"mandatory": choice.mandatory,  # noqa: E731
                                                              "certain": choice.certain}) if choice else None
    return {
        "incident": ref_json(view, found.incident),
        "failed_with": [ref_json(view, m) for m in found.failed_with],
        "breaks": found.breaks,
        "improper_purpose": found.improper_purpose,
        "events": [dict(ref_json(view, e), kind=view.events[e].kind, stage=view.events[e].stage,
                        date=_instant_json(parse_instant(view.events[e].date)),
                        actor=party_json(view, view.events[e].actor),
                        notified_to=[party_json(view, p) for p in view.events[e].notified_to])
                   for e in found.events],
        "exposure_window": window_json(view, found.window),
        "knowledge": [_knowledge_json(view, k) for k in found.knowledge],
        "reports": [
            {"report": ref_json(view, r.report), "reporter": party_json(view, r.reporter),
             "to": [party_json(view, p) for p in r.recipients], "date": _instant_json(r.when), "stage": r.stage,
             "stage_stated": r.stage_stated, "knowledge": _knowledge_json(view, r.knowledge) if r.knowledge else None,
             "regime": regime(r.regime), "deadlines": [_deadline_json(view, v) for v in r.verdicts]}
            for r in found.reports
        ],
        "detective_controls": [
            {"control": ref_json(view, c.control), "covers": [ref_json(view, e) for e in c.covers],
             "latency": c.latency, "status": c.status, "detects_by": _instant_json(c.detects),
             "failure": _instant_json(c.failure), "failure_assumed": c.failure_assumed,
             "window": window_json(view, c.window)}
            for c in found.controls
        ],
    }


# -- the model's elements with every fact a picture or an inventory shows (report, diagram) --


def _refs(view: ChainView, iris) -> list[dict]:
    return [ref_json(view, iri) for iri in iris]


def _parties(view: ChainView, iris) -> list[dict]:
    return [party_json(view, iri) for iri in iris]


def _inventory_party(view: ChainView, iri: str) -> dict:
    party = view.parties[iri]
    return dict(party_json(view, iri), capacities=_parties(view, view.index.capacities_of.get(iri, ())),
                is_capacity=party.is_capacity)


def _inventory_consignment(view: ChainView, iri: str) -> dict:
    c = view.consignments[iri]
    return dict(ref_json(view, iri), tier=view.tier(iri), consignor=party_json(view, c.consignor),
                consignee=party_json(view, c.consignee), extends=_refs(view, c.parents),
                extends_inferred=c.parents_inferred, approval=ref_json(view, c.approval),
                approved_by=_parties(view, c.approved_by), duties=_refs(view, sorted(c.duties)),
                data=_refs(view, sorted(c.data)), start=c.start, end=c.end)


def _inventory_handoff(view: ChainView, iri: str) -> dict:
    h = view.handoffs[iri]
    return dict(ref_json(view, iri), kind=h.kind, sender=party_json(view, h.sender),
                receiver=party_json(view, h.receiver), carries=_refs(view, h.carries), serves=_refs(view, h.serves),
                guarded_by=_refs(view, h.guarded_by), cadence=h.cadence, lead_time=h.lead_time,
                acknowledged_by=_parties(view, h.acknowledged_by))


def _inventory_device(view: ChainView, iri: str) -> dict:
    device = view.devices.get(iri)
    if device is None:  # named by a copy only
        return dict(ref_json(view, iri), portable=None, holder=None, internet_facing=None)
    return dict(ref_json(view, iri), portable=device.portable, holder=party_json(view, device.holder),
                internet_facing=device.internet_facing)


def _inventory_control(view: ChainView, iri: str) -> dict:
    k = view.controls[iri]
    return dict(ref_json(view, iri), kind=k.kind, operated_by=_parties(view, k.operators), covers=_refs(view, k.covers),
                notifies=_parties(view, k.notifies), detection_latency=k.latency, rules_out_leak=k.rules_out_leak,
                limitation={lang: text for lang, text in k.limitation})


def inventory_json(view: ChainView) -> dict:
    """Every party, consignment, duty, hand-off, device, copy and control with the facts a reader checks.

    What :func:`describe_json` groups for a summary, listed here element by element with its
    relations (each a reference with labels in both languages), sorted by IRI: the report's
    inventory and the diagram are drawn from it. Data assets, with their counts, are in
    :func:`describe_json`.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> found = inventory_json(chain_view(load_model(["examples/case-b-optout"])))
    >>> [c["tier"] for c in found["consignments"] if c["iri"].endswith("#c-ldi-nttdata-for-jmimo")]
    [3]
    """
    devices = sorted(set(view.devices) | {c.device for c in view.copies.values() if c.device})
    return {
        "parties": [_inventory_party(view, iri) for iri in sorted(view.parties)],
        "consignments": [_inventory_consignment(view, iri) for iri in sorted(view.consignments)],
        "duties": [dict(ref_json(view, iri), accountable=party_json(view, d.accountable),
                        performers=_parties(view, d.performers), legal_basis=_refs(view, d.legal_basis),
                        needs=_refs(view, d.needs), protects=_refs(view, d.protects),
                        served_by=_refs(view, view.index.serving.get(iri, ())))
                   for iri, d in sorted(view.duties.items())],
        "hand_offs": [_inventory_handoff(view, iri) for iri in sorted(view.handoffs)],
        "devices": [_inventory_device(view, iri) for iri in devices],
        "copies": [dict(ref_json(view, c.iri), asset=ref_json(view, c.asset), device=ref_json(view, c.device),
                        held_by=party_json(view, view.holder_of(c)), start=c.start)
                   for c in sorted(view.copies.values(), key=lambda c: c.iri)],
        "controls": [_inventory_control(view, iri) for iri in sorted(view.controls)],
    }
