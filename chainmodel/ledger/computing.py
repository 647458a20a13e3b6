"""The computed columns of an exported ledger, from the analyses (trace tiers, leaks, blast, validate).

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.views import chain_view
>>> from chainmodel.ledger.writing import ledger_tables
>>> rows = ledger_tables(chain_view(load_model(["examples/case-a-laptop"]))).rows["consignments"]
>>> rows[0]["exposure"]
'Japan Health Culture Promotion Foundation: 10,202 people; Resonac Health Insurance Association: at least 5,747 people; in all: at least 171,472 people'
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from ..blast import blast_radius
from ..leaks import single_points_of_failure
from ..validate import validate
from .columns import Sheet

__all__ = ["Computed"]


@lru_cache(maxsize=None)
def _citations() -> dict[str, dict[str, str]]:
    """English citation -> the citation in each language, from the rules' legal sources."""
    from ..model import rules_graph
    from ..namespace import CM

    found: dict[str, dict[str, str]] = {}
    for source in set(rules_graph().subjects(CM.citation, None)):
        texts = {c.language or "": str(c) for c in rules_graph().objects(source, CM.citation)}
        if "en" in texts:
            found[texts["en"]] = texts
    return found


def _citation(text: str, lang: str) -> str:
    """A finding's legal source as the ledger's language cites it (the text itself when not known)."""
    return _citations().get(text, {}).get(lang, text)


class Computed:
    """Runs each analysis once and answers per row."""

    def __init__(self, view, cells, lang: str):
        self.view, self.cells, self.lang = view, cells, lang
        self.findings = defaultdict(list)
        for finding in validate(view):
            for iri in finding.focus:
                self.findings[iri].append(finding)
        self.leaks = single_points_of_failure(view)
        self.model = view.model

    def name(self, iri: str) -> str:
        return self.model.label(iri, self.lang)

    def row(self, sheet: Sheet, subject) -> dict[str, str]:
        iri = str(subject)
        keys = {column.key for column in sheet.columns if column.computed}
        row: dict[str, str] = {}
        if "findings" in keys:
            row["findings"] = self.finding_text(iri)
        if sheet.key == "parties" and iri in self.view.parties:
            row["derived_roles"] = "; ".join(self.view.roles(iri))
        if sheet.key == "consignments" and iri in self.view.consignments:
            row.update(self.consignment(iri))
        return row

    def finding_text(self, iri: str) -> str:
        from ..law import rule_labels

        lines = []
        for finding in sorted(set(self.findings.get(iri, ())), key=lambda f: (f.severity, f.rule, f.message)):
            label = rule_labels(finding.rule)
            title = label.get(self.lang) or label.get("en") or finding.rule
            sources = "; ".join(_citation(source, self.lang) for source in finding.source)
            lines.append(f"{finding.severity}: {title} [{sources}]")
        return "\n".join(lines)

    def populations(self, found) -> str:
        """The populations an exposure (or one principal's part of it) reaches, in words, with bounds."""
        from ..phrases import count_phrase
        from ..serialise import count_json

        return "; ".join(count_phrase(count_json(p.count), {"iri": p.unit}, self.lang) for p in found.populations) or "-"

    def consignment(self, iri: str) -> dict[str, str]:
        record = self.view.consignments[iri]
        tier = self.view.tier(iri)
        consignee_org = self.view.org(record.consignee)
        points = [leak for leak in self.leaks if any(self.view.org(p) == consignee_org for p in leak.operators)]
        sep = "、" if self.lang == "ja" else ", "
        spof = [f"{self.name(leak.element)} ({sep.join(self.name(m) for m in leak.modes)}): "
                f"{self.populations(leak.exposure)}" for leak in points]
        exposure = blast_radius(self.view, record.consignee).exposure
        parts = [f"{self.name(p.principal)}: {self.populations(p)}" for p in exposure.principals]
        parts.append(("合計" if self.lang == "ja" else "in all") + f": {self.populations(exposure)}")
        return {"tier": "" if tier is None else str(tier), "single_points": "\n".join(spof), "exposure": "; ".join(parts)}
