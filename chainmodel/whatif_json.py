"""The dictionaries of a what-if comparison (:func:`chainmodel.whatif.compare`).

Every element is a :class:`~chainmodel.serialise.Term` with its labels in both languages
(the base model's, else those a scenario gave the elements it adds) and its name with the
model files' own prefixes (a what-if always runs on a copy in memory), every harm a
descriptor of its kind and the elements that name it; keys are sorted at every level and
lists in the comparison's order, so the same comparison gives the same bytes. The text
(:mod:`chainmodel.whatif_text`) is rendered from these same dictionaries.

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.whatif import Scenario, compare, remove_element
>>> model = load_model(["examples/case-b-optout"])
>>> report = compare(model, [Scenario.from_text(remove_element(model, "b:h-jmimo-producer"))], validation=False)
>>> data = whatif_json(report, model)
>>> [(h["kind"], (h["element"] or h["flow"])["name"]) for h in data["scenarios"][0]["harms_ended"]]
[('misdirected-data', 'b:h-jmimo-producer'), ('guarded-provision', 'b:h-jmimo-producer')]
"""

from __future__ import annotations

from .model import ChainModel
from .serialise import Term
from .whatif import ScenarioDiff, WhatIfReport

__all__ = ["whatif_json"]


class _Terms:
    """The Term of each IRI: labels of the base model, else of the scenario that adds it."""

    def __init__(self, model: ChainModel, report: WhatIfReport) -> None:
        self.model = model
        self.extra: dict[str, dict[str, str]] = {}
        self.harms: dict[str, dict[str, str]] = dict(report.base.harms)
        for diff in report.scenarios:
            for iri, labels in diff.labels.items():
                self.extra.setdefault(iri, labels)
            for key, value in diff.harms.items():
                self.harms.setdefault(key, value)
        self.made: dict[str, Term] = {}

    def ref(self, iri: str | None) -> Term | None:
        if not iri:
            return None
        if iri not in self.made:
            labels = self.model.labels(iri) or self.extra.get(iri, {})
            self.made[iri] = Term(iri=iri, label={k: labels[k] for k in sorted(labels)}, name=self.model.qname(iri))
        return self.made[iri]

    def harm(self, key: str) -> dict:
        """A harm: its key, its kind, and the element, flow and guard duty that name it."""
        info = self.harms.get(key, {})
        kind = info.get("kind", "")
        guarded = kind == "guarded-provision"
        return {"element": None if guarded else self.ref(key), "flow": self.ref(info.get("flow")) if guarded else None,
                "guard": self.ref(info.get("guard")) if guarded else None, "key": key, "kind": kind}

    def pair(self, item: tuple[str, str]) -> dict:
        element, key = item
        return {"element": self.ref(element), "harm": self.harm(key)}


def _window(value: tuple[str, str] | None) -> dict | None:
    if value is None:
        return None
    start, end = value
    return {"end": end or None, "start": start or None}


def _scenario_json(diff: ScenarioDiff, terms: _Terms, base_leaks: dict) -> dict:
    ref, harm = terms.ref, terms.harm
    return {
        "blast_changes": [{"after": after, "before": before, "element": ref(element), "principal": ref(principal)}
                          for element, principal, before, after in diff.blast_changes],
        "chains_changed": [{"after": [[ref(c) for c in chain] for chain in after],
                            "before": [[ref(c) for c in chain] for chain in before], "duty": ref(duty)}
                           for duty, before, after in diff.chains_changed],
        "cutset_order_changes": [{"after": after, "before": before, "element": ref(element), "harm": harm(key)}
                                 for key, element, before, after in diff.cutset_order_changes],
        "description": diff.description,
        "file": diff.name,
        "findings_added": [{"focus": [ref(iri) for iri in focus], "rule": ref(rule)} for rule, focus in diff.findings_added],
        "findings_resolved": [{"focus": [ref(iri) for iri in focus], "rule": ref(rule)}
                              for rule, focus in diff.findings_resolved],
        "harms_ended": [harm(key) for key in diff.harms_ended],
        "harms_started": [harm(key) for key in diff.harms_started],
        "label": {"en": diff.label, "ja": diff.label_ja},
        "leaks_closed": [dict(harm(key), flows=[ref(f) for f in base_leaks.get(key, ())]) for key in diff.leaks_closed],
        "leaks_opened": [dict(harm(key), flows=[ref(f) for f in diff.leak_flows.get(key, ())])
                         for key in diff.leaks_opened],
        "spof_added": [terms.pair(item) for item in diff.spof_added],
        "spof_removed": [terms.pair(item) for item in diff.spof_removed],
        "spof_stays": [terms.pair(item) for item in diff.spof_stays],
        "unavoidable_harms": [harm(key) for key in sorted(diff.unavoidable)],
        "unchanged": diff.unchanged,
        "window_changes": [{"after": _window(after), "before": _window(before), "control": ref(control) if control else None,
                            "incident": ref(incident)} for incident, control, before, after in diff.window_changes],
    }


def whatif_json(report: WhatIfReport, model: ChainModel) -> dict:
    """The comparison as plain dictionaries: the base model's single points and leaks, each scenario's changes.

    ``unavoidable_harms`` are harms that, in that scenario, happen with no failure at all:
    worse than a single point of failure, and never counted as removed.
    """
    terms = _Terms(model, report)
    base = report.base
    return _sorted_keys({
        "base": {
            "leaks": [dict(terms.harm(key), flows=[terms.ref(f) for f in base.leaks[key]]) for key in sorted(base.leaks)],
            "single_points_of_failure": [terms.pair(item) for item in base.spof],
        },
        "order": report.order,
        "scenarios": [_scenario_json(diff, terms, base.leaks) for diff in report.scenarios],
        "validated": report.validated,
    })


def _sorted_keys(data):
    """The same data with every mapping's keys in sorted order (a Term is already; lists keep their order)."""
    if isinstance(data, Term):
        return data
    if isinstance(data, dict):
        return {key: _sorted_keys(data[key]) for key in sorted(data)}
    if isinstance(data, list):
        return [_sorted_keys(item) for item in data]
    return data
