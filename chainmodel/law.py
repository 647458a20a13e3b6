"""What ``ontologies/rules.ttl`` says: rules, legal sources and breach-reporting regimes.

Nothing legal is written in the code: a rule's severity, title and advice, a source's
citation in English and Japanese, and which reporting regime binds a sector on a given day
all come from the rules file, so a change in the law is a change of data.

Examples
--------
>>> info = rule_info("https://w3id.org/chainmodel/rule#sensitive-on-portable-device")
>>> info.severity, info.sources
('error', ('APPI Art. 23', 'PPC General Guidelines 10 (10-5, 10-6)'))
>>> citation("https://w3id.org/chainmodel/rule#appi-26-1", "ja")
'個人情報保護法第26条第1項'
>>> from chainmodel.timepoints import parse_instant
>>> regime = regime_for(CM.LocalGovernment, parse_instant("2022-10-01"))
>>> regime.regime.rsplit("#")[1], regime.mandatory, regime.certain
('regime-local-before-2023', False, True)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from .errors import SetupError, UnknownReference
from .findings import SEVERITIES
from .model import rules_graph
from .namespace import CM, RULE
from .timepoints import Instant, parse_instant

__all__ = ["RuleInfo", "rule_info", "known_rules", "rule_labels", "citation", "citations", "rule_sources", "Regime", "RegimeChoice", "regimes",
           "regime_for", "LANGUAGES"]

LANGUAGES = ("en", "ja")


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
        The English citation of each ``cm:legalBasis`` source, sorted.
    source_iris : tuple of str
        The IRIs of those sources, sorted.
    """

    iri: str
    severity: str
    label: str
    advice: str
    sources: tuple[str, ...]
    source_iris: tuple[str, ...] = ()

    def advice_in(self, lang: str) -> str:
        """The rule's advice in ``lang`` (English when the rules file has none in it)."""
        return _text(rules_graph().objects(URIRef(self.iri), RDFS.comment), lang)


def _text(values: Iterable, lang: str = "en") -> str:
    texts = sorted((value.language or "", str(value)) for value in values if isinstance(value, Literal))
    for language in (lang, "en", ""):
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
        The rule's IRI (``https://w3id.org/chainmodel/rule#...``).

    Returns
    -------
    RuleInfo
        Its severity, English label and advice, and its legal sources' English citations and
        IRIs, sorted (read once per rule and process).

    Raises
    ------
    UnknownReference
        The IRI is not a ``cm:Rule`` of ``rules.ttl``.
    SetupError
        The rule has no valid ``cm:severity`` (the installed rules file is damaged).

    Examples
    --------
    >>> rule_info("https://w3id.org/chainmodel/rule#consignment-cycle").label
    'consignments form a cycle'
    """
    graph = rules_graph()
    node = URIRef(iri)
    if (node, RDF.type, CM.Rule) not in graph:
        raise UnknownReference(f"{iri} is not a cm:Rule in ontologies/rules.ttl; the rules are listed there")
    severities = sorted(str(value) for value in graph.objects(node, CM.severity))
    if len(severities) != 1 or severities[0] not in SEVERITIES:
        raise SetupError(f"{iri} needs exactly one cm:severity among {SEVERITIES} in ontologies/rules.ttl; reinstall chainmodel")
    sources = tuple(sorted(str(source) for source in graph.objects(node, CM.legalBasis)))
    return RuleInfo(
        iri=iri,
        severity=severities[0],
        label=_text(graph.objects(node, RDFS.label)),
        advice=_text(graph.objects(node, RDFS.comment)),
        sources=tuple(sorted(citation(source) for source in sources)),
        source_iris=sources,
    )


@functools.lru_cache(maxsize=None)
def rule_labels(rule: str) -> dict[str, str]:
    """A rule's labels in every language the rules file gives (``{}`` for a rule it does not know).

    Parameters
    ----------
    rule : str
        The rule's IRI.

    Returns
    -------
    dict of str to str
        Language tag (``""`` for a label without one) to the rule's ``rdfs:label``, sorted by tag.

    Examples
    --------
    >>> rule_labels("https://w3id.org/chainmodel/rule#consignment-cycle")["en"]
    'consignments form a cycle'
    """
    labels = {label.language or "": str(label) for label in rules_graph().objects(URIRef(rule), RDFS.label)}
    return {k: labels[k] for k in sorted(labels)}


@functools.lru_cache(maxsize=None)
def known_rules() -> tuple[str, ...]:
    """The IRIs of every rule of ``rules.ttl``, sorted.

    Returns
    -------
    tuple of str
        The IRIs of the ``cm:Rule`` nodes of ``rules.ttl`` (read once per process).

    Examples
    --------
    >>> "https://w3id.org/chainmodel/rule#consignment-cycle" in known_rules()
    True
    """
    return tuple(sorted(str(node) for node in rules_graph().subjects(RDF.type, CM.Rule)))


@functools.lru_cache(maxsize=None)
def citation(source: str, lang: str = "en") -> str:
    """How a legal source is cited in ``lang`` (the official short title in Japanese).

    A source the rules file does not know (a model's own cm:LegalSource) is cited by its IRI.

    Parameters
    ----------
    source : str
        The IRI of a legal source.
    lang : str, optional
        ``"en"`` (the default) or ``"ja"``; with no citation in ``lang``, the English one, then
        one without a language tag.

    Returns
    -------
    str
        The citation, or ``source`` itself when the rules file gives it none.

    Examples
    --------
    >>> citation("https://w3id.org/chainmodel/rule#appi-26-1"), citation("urn:own-source")
    ('APPI Art. 26(1)', 'urn:own-source')
    """
    values = list(rules_graph().objects(URIRef(source), CM.citation))
    return _text(values, lang) or source


def citations(source: str) -> dict[str, str]:
    """A legal source's citation in every language: ``{"en": ..., "ja": ...}``.

    Parameters
    ----------
    source : str
        The IRI of a legal source.

    Returns
    -------
    dict of str to str
        :data:`LANGUAGES` to the citation in each (:func:`citation`), English first.

    Examples
    --------
    >>> citations("https://w3id.org/chainmodel/rule#appi-26-1")
    {'en': 'APPI Art. 26(1)', 'ja': '個人情報保護法第26条第1項'}
    """
    return {lang: citation(source, lang) for lang in LANGUAGES}


def rule_sources(rule: str, lang: str = "en") -> tuple[str, ...]:
    """The citations of a rule's legal sources in ``lang``, sorted.

    Parameters
    ----------
    rule : str
        The rule's IRI.
    lang : str, optional
        The language of the citations, as for :func:`citation` (default ``"en"``).

    Returns
    -------
    tuple of str
        One citation for each ``cm:legalBasis`` of the rule, sorted in ``lang``.

    Raises
    ------
    UnknownReference
        ``rule`` is not a ``cm:Rule`` of ``rules.ttl``.
    SetupError
        The rule has no valid ``cm:severity`` (the installed rules file is damaged).

    Examples
    --------
    >>> rule_sources("https://w3id.org/chainmodel/rule#sensitive-on-portable-device", "ja")
    ('個人情報保護委員会ガイドライン（通則編）10（10-5、10-6）', '個人情報保護法第23条')
    """
    return tuple(sorted(citation(source, lang) for source in rule_info(rule).source_iris))


# -- reporting regimes ----------------------------------------------------------------------


@dataclass(frozen=True)
class Regime:
    """A breach-reporting regime: which sectors it binds, when, and under which articles."""

    iri: str
    sectors: tuple[str, ...]
    start: Instant | None
    end: Instant | None
    mandatory: bool
    threshold: int | None
    triggers: str | None
    regulator_report: str | None
    subject_notice: str | None
    consignee_notice: str | None
    preliminary_within: str | None = None
    """The days a preliminary report is expected within (xsd:duration, the day of knowledge as day 1)."""
    preliminary_sources: tuple[str, ...] = ()
    final_within: str | None = None
    final_within_improper: str | None = None
    """The final report's period when the breach may have an improper purpose."""
    final_sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class RegimeChoice:
    """The regime that applies to a sector on a date, and whether the date settles it.

    ``certain`` is False when the date is too coarse to tell two regimes apart (an incident
    in "2022" for a rule in force from 2022-04-01) or unknown; ``alternatives`` then names
    the other regimes it may be. ``regime`` is the IRI of the chosen one.
    """

    regime: str
    mandatory: bool
    certain: bool
    alternatives: tuple[str, ...] = ()
    reason: str = ""

    @property
    def details(self) -> Regime:
        return next(r for r in regimes() if r.iri == self.regime)


def _one(graph, node, predicate) -> str | None:
    values = sorted(str(v) for v in graph.objects(node, predicate))
    return values[0] if values else None


@functools.lru_cache(maxsize=None)
def regimes() -> tuple[Regime, ...]:
    """Every reporting regime in ``rules.ttl``, sorted by IRI.

    Returns
    -------
    tuple of Regime
        Each ``cm:ReportingRegime`` with its sectors, period in force, whether a report is
        mandatory, its threshold, articles and reporting periods (read once per process).

    Examples
    --------
    >>> [r.iri.rsplit("#")[1] for r in regimes()][:3]
    ['regime-agencies-before-2022', 'regime-business', 'regime-business-before-2022']
    """
    graph = rules_graph()
    found = []
    for node in sorted(graph.subjects(RDF.type, CM.ReportingRegime), key=str):
        threshold = _one(graph, node, CM.peopleThreshold)
        found.append(Regime(
            iri=str(node),
            sectors=tuple(sorted(str(s) for s in graph.objects(node, CM.forSector))),
            start=parse_instant(_one(graph, node, CM.inForceFrom)),
            end=parse_instant(_one(graph, node, CM.inForceUntil)),
            mandatory=(_one(graph, node, CM.mandatoryReport) or "false").lower() in ("true", "1"),
            threshold=int(threshold) if threshold is not None else None,
            triggers=_one(graph, node, CM.triggers),
            regulator_report=_one(graph, node, CM.regulatorReport),
            subject_notice=_one(graph, node, CM.subjectNotice),
            consignee_notice=_one(graph, node, CM.consigneeNotice),
            preliminary_within=_one(graph, node, CM.preliminaryReportWithin),
            preliminary_sources=tuple(sorted(str(v) for v in graph.objects(node, CM.preliminaryReportSource))),
            final_within=_one(graph, node, CM.finalReportWithin),
            final_within_improper=_one(graph, node, CM.finalReportWithinImproper),
            final_sources=tuple(sorted(str(v) for v in graph.objects(node, CM.finalReportSource))),
        ))
    return tuple(found)


def _fits(regime: Regime, when: Instant) -> str:
    """``"yes"``, ``"possibly"`` or ``"no"``: whether ``when`` falls in the regime's period."""
    verdict = "yes"
    if regime.start is not None:
        if when.last < regime.start.first:
            return "no"
        if when.first < regime.start.first:
            verdict = "possibly"
    if regime.end is not None:
        if when.first > regime.end.last:
            return "no"
        if when.last > regime.end.last:
            verdict = "possibly"
    return verdict


def regime_for(sector: str | None, when: Instant | None) -> RegimeChoice:
    """The reporting regime for a sector (private business when None) on a date.

    With no date, the regime in force now (the one with no end) applies, flagged as not
    certain. With a date too coarse to decide, the mandatory regime is chosen and flagged.

    Parameters
    ----------
    sector : str or None
        The IRI of a sector, such as ``cm:LocalGovernment``; None for private business. A
        sector that no regime names is taken as private business.
    when : Instant or None
        The day that decides, as a date of any precision; None when it is not known.

    Returns
    -------
    RegimeChoice
        The regime in force on ``when``; when ``when`` is too coarse or missing, the chosen
        regime with ``certain`` False, the other candidates in ``alternatives`` and the
        ``reason`` (``"coarse-date"`` or ``"no-date"``).

    Raises
    ------
    SetupError
        No regime in ``rules.ttl`` covers the sector (the installed rules file is damaged).

    Examples
    --------
    >>> choice = regime_for(None, None)
    >>> choice.regime.rsplit("#")[1], choice.certain, choice.reason
    ('regime-business', False, 'no-date')
    """
    sector = str(sector or CM.PrivateBusiness)
    candidates = [r for r in regimes() if sector in r.sectors]
    if not candidates:
        candidates = [r for r in regimes() if str(CM.PrivateBusiness) in r.sectors]
    if not candidates:
        raise SetupError(f"ontologies/rules.ttl has no reporting regime for {sector}; reinstall chainmodel")
    if when is None:
        current = [r for r in candidates if r.end is None]
        chosen = current[0] if current else candidates[-1]
        return RegimeChoice(chosen.iri, chosen.mandatory, False,
                            tuple(r.iri for r in candidates if r is not chosen), "no-date")
    fits = {r.iri: _fits(r, when) for r in candidates}
    sure = [r for r in candidates if fits[r.iri] == "yes"]
    if sure:
        return RegimeChoice(sure[0].iri, sure[0].mandatory, True)
    maybe = sorted((r for r in candidates if fits[r.iri] == "possibly"), key=lambda r: not r.mandatory)
    if not maybe:
        raise SetupError(f"no reporting regime in ontologies/rules.ttl covers {sector} on {when.text}; reinstall chainmodel")
    return RegimeChoice(maybe[0].iri, maybe[0].mandatory, False, tuple(r.iri for r in maybe[1:]), "coarse-date")


RULE_IRI = functools.lru_cache(maxsize=None)(lambda name: str(RULE[name]))
"""The IRI of a rule of ``rules.ttl`` from its local name."""
