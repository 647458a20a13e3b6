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

from .blast import Blast
from .catalogue import has, render, say, words
from .describe import Summary
from .exposure import Exposure, Population, asset_exposure
from .findings import Finding, Said
from .law import LANGUAGES, citation, citations, rule_info, rule_sources
from .leaks import Leak
from .namespace import RULE
from .population import Count
from .reporting import Notification, PrincipalDuty
from .timepoints import instant_sort_key, parse_instant
from .trace import DutyTrace
from .views import ChainView, duration_months

__all__ = [
    "ref_json",
    "party_json",
    "trace_json",
    "leak_json",
    "exposure_json",
    "blast_json",
    "cutsets_json",
    "describe_json",
    "finding_json",
    "audit_json",
    "JSON_VERSION",
]

JSON_VERSION = 2
"""Bumped whenever a field of the JSON output changes meaning or disappears."""

def _pseudo_labels(iri: str) -> dict[str, str] | None:
    """Labels of a party that stands for someone the model does not name (from the catalogue)."""
    key = f"party.{iri}"
    return dict(words()[key]) if iri.startswith("urn:chainmodel:") and has(key) else None


def ref_json(view: ChainView, iri: str | None) -> dict | None:
    """``{"iri", "name", "label": {lang: text}}`` for any element."""
    if iri is None:
        return None
    labels = _pseudo_labels(iri) or view.model.labels(iri)
    return {"iri": iri, "name": view.model.qname(iri, standard=True), "label": {k: labels[k] for k in sorted(labels)}}


def party_json(view: ChainView, iri: str | None) -> dict | None:
    """A party with its roles and, for a capacity, the organisation acting in it."""
    if iri is None:
        return None
    found = ref_json(view, iri)
    if iri in view.parties:
        found["roles"] = list(view.roles(iri))
        party = view.parties[iri]
        if party.organisation:
            found["organisation"] = ref_json(view, party.organisation)
    return found


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


def _asset_entry(view: ChainView, item) -> dict:
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


def exposure_json(view: ChainView, found: Exposure) -> dict:
    """What an exposure reaches: people (exact or bounds), every unit, per principal, per asset.

    ``subjects`` is the number of people when it is one exact figure, else null;
    ``known_subjects`` is the lower bound of people.
    """
    return {
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
                "effect": say(f"step.{step.role}", "en"),
                "effect_code": step.role,
            }
            for step in leak.path
        ],
        "reached": [party_json(view, p) for p in leak.reached],
        "exposure": exposure_json(view, leak.exposure),
        "controls_not_catching_it": [
            {"control": ref_json(view, v.control), "why": [_english(view, r) for r in v.reasons],
             "why_said": [said_json(view, r) for r in v.reasons]}
            for v in leak.uncaught_by
        ],
        "held_by_reached": [{"party": party_json(view, party), "exposure": exposure_json(view, held)}
                            for party, held in leak.holdings],
    }


def cutsets_json(view: ChainView, harm, cuts: list[tuple[str, ...]]) -> dict:
    return {
        "harm": harm.kind,
        "key": harm.key,
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


def source_json(view: ChainView, source: str) -> dict:
    """A legal source: its IRI and its citation in each language."""
    return {"iri": source, "citation": citations(source)}


def _notification_json(view: ChainView, n: Notification) -> dict:
    return {
        "from": party_json(view, n.sender),
        "to": party_json(view, n.recipient),
        "principal": party_json(view, n.principal),
        "rule": ref_json(view, n.rule) | {"source": [citation(s) for s in n.sources]},
        "sources": [source_json(view, s) for s in n.sources],
        "status": n.status,
        "because": list(n.because),
    }


def duty_json(view: ChainView, duty: PrincipalDuty) -> dict:
    """One principal's reporting duties: regime, triggers, routes and notifications."""
    regime = duty.regime
    return {
        "principal": party_json(view, duty.principal),
        "regime": ref_json(view, regime.regime) | {"mandatory": regime.mandatory, "certain": regime.certain,
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


def blast_json(view: ChainView, found: Blast) -> dict:
    return {
        "element": ref_json(view, found.element),
        "kind": found.kind,
        "holders": [party_json(view, h) for h in found.holders],
        "principals": [party_json(view, p) for p in found.principals],
        "protected_by": [ref_json(view, k) for k in found.protected_by],
        "exposure": exposure_json(view, found.exposure),
        "chains": [
            [{"consignment": ref_json(view, c), "tier": view.tier(c),
              "consignor": party_json(view, view.consignments[c].consignor),
              "consignee": party_json(view, view.consignments[c].consignee)} for c in chain]
            for chain in found.chains
        ],
        "reporting_duties": [_notification_json(view, n) for n in found.notifications],
        "duties": [duty_json(view, d) for d in found.duties],
    }


def _rule_sources(rule: str) -> list[str]:
    return list(rule_sources(rule))


def _rule_labels(rule: str) -> dict[str, str]:
    from rdflib import URIRef
    from rdflib.namespace import RDFS

    from .model import rules_graph

    return {label.language or "": str(label) for label in rules_graph().objects(URIRef(rule), RDFS.label)}


def _value_json(view: ChainView, kind: str, value) -> object:
    if kind == "consignment":
        iri, consignor, consignee, implicit = value
        return {"consignment": ref_json(view, iri), "consignor": party_json(view, consignor),
                "consignee": party_json(view, consignee), "implicit": implicit}
    if kind == "ref":
        return ref_json(view, value)
    if kind == "refs":
        return [ref_json(view, v) for v in value]
    return value


def _english(view: ChainView, said: Said) -> str:
    """What an analysis says, in English with labels (the wording machines and logs get)."""
    return render(said.key, said.values, "en", lambda iri: view.model.label(iri) if iri else "-")


def said_json(view: ChainView, said: Said | None) -> dict | None:
    """What a finding says, for renderers in any language: a catalogue key and its values."""
    if said is None:
        return None
    return {"key": said.key, "advice": said.advice,
            "values": [[slot, kind, _value_json(view, kind, value)] for slot, (kind, value) in said.values]}


def finding_json(view: ChainView, finding: Finding) -> dict:
    info = rule_info(finding.rule) if finding.rule.startswith(str(RULE)) else None
    return {
        "severity": finding.severity,
        "rule": {"iri": finding.rule, "name": view.model.qname(finding.rule, standard=True), "label": _rule_labels(finding.rule)},
        "message": finding.message,
        "focus": [ref_json(view, iri) for iri in finding.focus],
        "source": list(finding.source) or _rule_sources(finding.rule),
        "sources": [source_json(view, s) for s in (info.source_iris if info else ())],
        "said": said_json(view, finding.said),
        "advice": {lang: info.advice_in(lang) for lang in LANGUAGES} if info else None,
    }


def audit_json(view: ChainView, result, top: int | None = None) -> dict:
    """The whole audit (:func:`chainmodel.audit.audit`): conformance, findings, single points, blast ranking.

    ``top`` keeps the first N single points of failure and blast ranks (every finding is kept).
    """
    return {
        "conforms": result.conforms,
        "findings": [finding_json(view, f) for f in result.findings],
        "single_points_of_failure": [leak_json(view, leak) for leak in result.leaks[:top]],
        "blast_rank": [blast_json(view, b) for b in result.blasts[:top]],
    }


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
