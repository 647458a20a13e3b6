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
from typing import Iterator

from .findings import Said, refs, text
from .namespace import CHAINMODEL_NS
from .rulebook import rule
from .standards import READ_TERMS
from .views import READ_AS, ChainView, defined_terms

__all__ = ["unknown_term", "unread_terms", "unread_term_list", "closest", "READ_ELSEWHERE"]

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


def closest(local: str, count: int = 3) -> tuple[str, ...]:
    """The defined local names closest to ``local`` (case-insensitive), best first.

    Only names nearly as close as the best one are given, so a plain typo gets one answer.
    """
    names = [iri[len(CHAINMODEL_NS):] for iri in defined_terms()]
    scored = sorted(((difflib.SequenceMatcher(None, local.lower(), name.lower()).ratio(), name)
                     for name in names), key=lambda item: (-item[0], item[1]))
    if not scored or scored[0][0] < 0.6:
        return ()
    best = scored[0][0]
    return tuple(name for score, name in scored[:count] if score >= best - 0.05)


@rule("unknown-term")
def unknown_term(view: ChainView) -> Iterator[tuple[tuple[str, ...], Said]]:
    """A chainmodel-namespace IRI the ontology does not define. Focus: the term, then subjects using it."""
    users: dict[str, list[str]] = {}
    for term, subject in view.unknown_uses:
        users.setdefault(term, []).extend([subject] if subject else [])
    for term, subjects in sorted(users.items()):
        local = term[len(CHAINMODEL_NS):]
        suggestions = tuple(CHAINMODEL_NS + name for name in closest(local))
        key = "finding.unknown-term.suggest" if suggestions else "finding.unknown-term"
        spelled = ["cm:" + name for name in closest(local)]  # as a user writes them, to fix the typo
        yield (term, *subjects), Said(key, (("term", text("cm:" + local)), ("closest", refs(suggestions)),
                                            ("spelled", ("texts", (("en", ", ".join(spelled)),
                                                                   ("ja", "、".join(spelled))))),
                                            ("users", refs(subjects))))


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

