"""A closed input vocabulary: unknown chainmodel terms, and terms nothing reads.

* ``unknown-term`` (error): an IRI of the chainmodel namespace that the ontology does not
  define (``cm:Consigment``, ``cm:endDat``). The statement that uses it is ignored by every
  analysis, so the fact it carried is lost; the finding names the closest terms.
* ``unread-terms`` (a note; ``validate --strict`` makes it an error): predicates and classes
  of other vocabularies that no analysis reads, all in one finding.

Read are: the chainmodel terms, labels and comments, the standard terms chainmodel reads
(PROV-O delegation, DPV and ORG roles, see :data:`chainmodel.views.READ_AS`), documentation
properties, and classes that are subclasses of a class chainmodel reads.

Examples
--------
>>> closest("Consigment")
('Consignment',)
"""

from __future__ import annotations

import difflib
import functools
from typing import Iterator

from rdflib import URIRef

from .findings import Said, refs, text
from .model import ontology_graph
from .namespace import CHAINMODEL_NS
from .rulebook import rule
from .standards import READ_TERMS
from .views import READ_AS, ChainView

__all__ = ["unknown_term", "unread_terms", "closest", "defined_terms", "READ_ELSEWHERE"]

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_OWL = "http://www.w3.org/2002/07/owl#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_DCT = "http://purl.org/dc/terms/"

READ_ELSEWHERE = frozenset({
    _RDF + "type", _RDFS + "label", _RDFS + "comment", _RDFS + "subClassOf", _RDFS + "seeAlso",
    _RDFS + "isDefinedBy", _SKOS + "prefLabel", _SKOS + "altLabel", _SKOS + "definition", _SKOS + "note",
    _SKOS + "scopeNote", _SKOS + "example", _SKOS + "closeMatch", _SKOS + "exactMatch", _OWL + "imports",
    _OWL + "versionInfo", _OWL + "Ontology", _OWL + "Class", _OWL + "ObjectProperty", _OWL + "DatatypeProperty",
}) | READ_TERMS
"""Terms of other vocabularies that chainmodel reads or that document a model for people."""

_DOCUMENTATION_NAMESPACES = (_DCT, "http://purl.org/dc/elements/1.1/", "http://xmlns.com/foaf/0.1/")


@functools.lru_cache(maxsize=None)
def defined_terms() -> frozenset[str]:
    """Local names the chainmodel ontology defines."""
    graph = ontology_graph()
    return frozenset(str(s)[len(CHAINMODEL_NS):] for s in graph.subjects()
                     if isinstance(s, URIRef) and str(s).startswith(CHAINMODEL_NS) and len(str(s)) > len(CHAINMODEL_NS))


def closest(local: str, count: int = 3) -> tuple[str, ...]:
    """The defined local names closest to ``local`` (case-insensitive), best first.

    Only names nearly as close as the best one are given, so a plain typo gets one answer.
    """
    scored = sorted(((difflib.SequenceMatcher(None, local.lower(), name.lower()).ratio(), name)
                     for name in defined_terms()), key=lambda item: (-item[0], item[1]))
    if not scored or scored[0][0] < 0.6:
        return ()
    best = scored[0][0]
    return tuple(name for score, name in scored[:count] if score >= best - 0.05)


def _users(view: ChainView, term: str, limit: int = 3) -> tuple[str, ...]:
    """A few subjects that use ``term`` as a predicate, a class or a value."""
    graph, node = view.model.graph, URIRef(term)
    found: set[str] = set()
    for pattern in ((None, node, None), (None, URIRef(_RDF + "type"), node), (None, None, node)):
        try:
            for subject, _, _ in graph.triples(pattern):
                if isinstance(subject, URIRef):
                    found.add(str(subject))
                if len(found) >= limit:
                    break
        except (TypeError, ValueError):  # an endpoint cannot match every pattern: name none
            break
        if found:
            break
    return tuple(sorted(found))[:limit]


@rule("unknown-term")
def unknown_term(view: ChainView) -> Iterator[tuple[tuple[str, ...], Said]]:
    """A chainmodel-namespace IRI the ontology does not define. Focus: the term, then subjects using it."""
    defined = defined_terms()
    for term in sorted(view.terms_used):
        if not term.startswith(CHAINMODEL_NS):
            continue
        local = term[len(CHAINMODEL_NS):]
        if local in defined:
            continue
        suggestions = tuple(CHAINMODEL_NS + name for name in closest(local))
        key = "finding.unknown-term.suggest" if suggestions else "finding.unknown-term"
        users = _users(view, term)
        yield (term,) + users, Said(key, (("term", text("cm:" + local)), ("closest", refs(suggestions)),
                                          ("users", refs(users))))


def _read(term: str) -> bool:
    return (term.startswith(CHAINMODEL_NS) or term in READ_ELSEWHERE or term in READ_AS
            or term.startswith(_DOCUMENTATION_NAMESPACES))


def unread_term_list(view: ChainView) -> tuple[str, ...]:
    """Predicates and classes of other vocabularies that no analysis reads, sorted.

    A class of the model's own that is a subclass of a class chainmodel reads is read.
    """
    return tuple(sorted(t for t in view.terms_used if not _read(t) and t not in view.classes_read))


@rule("unread-terms")
def unread_terms(view: ChainView) -> Iterator[tuple[tuple[str, ...], Said]]:
    """Terms of other vocabularies no analysis reads, in one note. Focus: the terms."""
    found = unread_term_list(view)
    if found:
        yield found, Said("finding.unread-terms", (("terms", refs(found)), ("count", ("number", len(found)))))

