"""Validation and audit findings as SARIF 2.1.0, for code-review tools and CI pipelines.

Rules are the chainmodel rules (``ruleId`` = the rule IRI's name, ``helpUri`` = the rule IRI,
the legal sources in ``properties``), levels come from severities (error, warning, info ->
note), and each result points at the model file and line where its focus element is first
described (a line that starts with the element's IRI or prefixed name), else at the element
as a logical location. Single points of failure (``chainmodel leaks``) are results of the rule
``single-point-of-failure``, at level warning.

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.views import chain_view
>>> model = load_model(["examples/case-a-laptop"])
>>> log = sarif_log(chain_view(model))
>>> sorted({r["ruleId"] for r in log["runs"][0]["results"]})
['sensitive-on-portable-device', 'single-point-of-failure']
>>> where = log["runs"][0]["results"][0]["locations"][0]
>>> where["physicalLocation"]["region"]["startLine"], where["logicalLocations"][0]["fullyQualifiedName"]
(129, 'https://example.org/chainmodel/case-a#backup-applicants')
"""

from __future__ import annotations

import json
from pathlib import Path

from .. import __version__
from ..leaks import single_points_of_failure
from ..law import rule_info, rule_labels
from ..validate import validate
from ..views import ChainView

__all__ = ["sarif_log", "sarif_bytes", "SARIF_SCHEMA", "SPOF_RULE"]

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SPOF_RULE = "single-point-of-failure"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _rule(iri: str, lang: str) -> dict:
    info = rule_info(iri)
    labels = rule_labels(iri)
    return {
        "id": iri.rsplit("#", 1)[-1],
        "name": iri.rsplit("#", 1)[-1],
        "shortDescription": {"text": labels.get(lang) or info.label},
        "fullDescription": {"text": info.advice or info.label},
        "helpUri": iri,
        "defaultConfiguration": {"level": _LEVEL[info.severity]},
        "properties": {"severity": info.severity, "legalSources": list(info.sources)},
    }


def _spof_rule(lang: str) -> dict:
    ja = lang == "ja"
    return {
        "id": SPOF_RULE, "name": SPOF_RULE,
        "shortDescription": {"text": "単独で個人データを漏えいさせる失敗" if ja else
                             "a failure that on its own lets personal data leak"},
        "fullDescription": {"text": "Add an independent control that detects the failure in time, or remove the element "
                                    "(see chainmodel leaks and chainmodel whatif)."},
        "helpUri": "https://w3id.org/chainmodel#FailureMode",
        "defaultConfiguration": {"level": "warning"},
        "properties": {"severity": "warning", "legalSources": []},
    }


class _Lines:
    """Where each element is first described in the Turtle sources."""

    def __init__(self, sources: tuple[str, ...], prefixes: dict[str, str]):
        self.files = []
        for source in sources:
            path = Path(source)
            if path.suffix.lower() in (".ttl", ".trig") and path.is_file():
                self.files.append((source, path.read_text(encoding="utf-8", errors="replace").splitlines()))
        self.prefixes = prefixes
        self.found: dict[str, tuple[str, int] | None] = {}

    def tokens(self, iri: str) -> list[str]:
        names = [f"<{iri}>"]
        for prefix, namespace in self.prefixes.items():
            if iri.startswith(namespace) and iri != namespace:
                names.append(f"{prefix}:{iri[len(namespace):]}")
        return names

    def locate(self, iri: str) -> tuple[str, int] | None:
        if iri not in self.found:
            self.found[iri] = None
            tokens = self.tokens(iri)
            for source, lines in self.files:
                for number, line in enumerate(lines, start=1):
                    words = line.split(None, 1)
                    if words and words[0] in tokens:
                        self.found[iri] = (source, number)
                        break
                if self.found[iri]:
                    break
        return self.found[iri]


def _uri(source: str) -> str:
    """A relative reference for a file under the working folder, else a file: URI."""
    path = Path(source)
    if not path.is_absolute():
        return path.as_posix()
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_uri()


def _result(rule_id: str, index: int, level: str, text: str, focus: tuple[str, ...], lines: _Lines, extra: dict) -> dict:
    result = {"ruleId": rule_id, "ruleIndex": index, "level": level, "message": {"text": text}}
    logical = [{"fullyQualifiedName": iri, "kind": "element"} for iri in focus]
    place = next((found for iri in focus if (found := lines.locate(iri))), None)
    location: dict = {}
    if place:
        location["physicalLocation"] = {"artifactLocation": {"uri": _uri(place[0])},
                                        "region": {"startLine": place[1]}}
    if logical:
        location["logicalLocations"] = logical
    if location:
        result["locations"] = [location]
    result["properties"] = extra
    return result


def sarif_log(view: ChainView, lang: str = "en", with_leaks: bool = True) -> dict:
    """The findings of ``validate`` (and, with ``with_leaks``, the single points of failure) as a SARIF log.

    Parameters
    ----------
    view : ChainView
    lang : str, optional
        ``"en"`` (the default) or ``"ja"``: the language of the rules' short descriptions and
        of the single points of failure's messages (findings' messages stay English).
    with_leaks : bool, optional
        Also give the single points of failure, as results of :data:`SPOF_RULE` (default True).

    Returns
    -------
    dict
        A SARIF log (``$schema`` :data:`SARIF_SCHEMA`, ``version`` 2.1.0) with one run: the
        tool and its rules (each rule with a finding, then :data:`SPOF_RULE`), the model files
        results point at, and the results, findings first in the order of ``validate``.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> log = sarif_log(chain_view(load_model(["examples/case-b-optout"])), with_leaks=False)
    >>> log["version"], [rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]]
    ('2.1.0', ['handoff-without-acknowledgement', 'reconsignment-without-approval'])
    """
    findings = validate(view)
    rule_iris = sorted({f.rule for f in findings})
    rules = [_rule(iri, lang) for iri in rule_iris]
    if with_leaks:
        rules.append(_spof_rule(lang))
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    lines = _Lines(view.model.sources, view.model.namespaces)
    results = []
    for finding in findings:
        name = finding.rule.rsplit("#", 1)[-1]
        results.append(_result(name, index[name], _LEVEL.get(finding.severity, "note"), finding.message, finding.focus,
                               lines, {"severity": finding.severity, "legalSources": list(finding.source),
                                       "rule": finding.rule}))
    if with_leaks:
        model = view.model
        for leak in single_points_of_failure(view):
            modes = ", ".join(model.label(m, lang) for m in leak.modes)
            text = f"{model.label(leak.element, lang)} ({modes}): on its own lets personal data reach " + \
                   ", ".join(model.label(p, lang) for p in leak.reached)
            results.append(_result(SPOF_RULE, index[SPOF_RULE], "warning", text, (leak.element,), lines,
                                   {"subjects": leak.exposure.subjects, "harm": leak.harm_kind}))
    artifacts = sorted({r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                        for r in results if r.get("locations") and "physicalLocation" in r["locations"][0]})
    run = {
        "tool": {"driver": {"name": "chainmodel", "version": __version__, "informationUri": "https://w3id.org/chainmodel",
                            "rules": rules}},
        "artifacts": [{"location": {"uri": uri}} for uri in artifacts],
        "results": results,
        "columnKind": "unicodeCodePoints",
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def sarif_bytes(view: ChainView, lang: str = "en") -> bytes:
    """:func:`sarif_log` as UTF-8 JSON, keys sorted, the same bytes for the same model.

    Parameters
    ----------
    view : ChainView
    lang : str, optional
        ``"en"`` (the default) or ``"ja"``, as for :func:`sarif_log`.

    Returns
    -------
    bytes
        The log with the single points of failure, indented by two spaces, non-ASCII text as
        it is, ending with a line break.
    """
    return (json.dumps(sarif_log(view, lang), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
