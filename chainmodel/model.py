"""The chain model: the RDF graph as loaded, and how names in it are looked up.

The graph is the one source of truth. Everything else (``views``, the analyses) is
derived from it and never written back.

Examples
--------
>>> model = load_model(["examples/case-b-optout"])
>>> model.resolve("accepting and reporting opt-out requests")
'https://example.org/chainmodel/case-b#duty-optout'
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from .errors import AmbiguousReference, ArgumentError, UnknownReference
from .loading import load_graph, model_files
from .resources import ontology_path

__all__ = ["ChainModel", "load_model", "ontology_graph", "rules_graph", "STANDARD_PREFIXES", "BACKENDS"]

STANDARD_PREFIXES = {
    "cm": "https://w3id.org/chainmodel#",
    "rule": "https://w3id.org/chainmodel/rule#",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "dpv": "https://w3id.org/dpv#",
    "odrl": "http://www.w3.org/ns/odrl/2/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
}


LABEL_PREDICATES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel)


@lru_cache(maxsize=None)
def ontology_graph() -> Graph:
    """The shipped ontology, parsed once per process. Treat it as read-only."""
    return load_graph([ontology_path("chainmodel.ttl")])


@lru_cache(maxsize=None)
def rules_graph() -> Graph:
    """The shipped rules and legal sources, parsed once per process. Read-only."""
    return load_graph([ontology_path("rules.ttl")])


def label_rows(graph) -> Iterator[tuple[str, str, str]]:
    """(IRI, text, language) for every label in ``graph`` (rdfs:label, skos:prefLabel, skos:altLabel), streamed."""
    for predicate in LABEL_PREDICATES:
        for subject, label in graph.subject_objects(predicate):
            if isinstance(subject, URIRef) and isinstance(label, Literal):
                yield str(subject), str(label), label.language or ""


def graph_labels(graph) -> dict[str, list[tuple[str, str]]]:
    """IRI -> its (text, language) labels in ``graph``."""
    found: dict[str, list[tuple[str, str]]] = {}
    for iri, text, language in label_rows(graph):
        found.setdefault(iri, []).append((text, language))
    return found


def _prefixes_in(paths: Iterable[Path]) -> dict[str, str]:
    """Read ``@prefix``/``PREFIX`` declarations from Turtle-family files (for display only)."""
    found: dict[str, str] = {}
    for path in paths:
        if path.suffix.lower() not in (".ttl", ".trig"):
            continue
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            words = line.strip().split()
            if len(words) >= 3 and words[0].lower() in ("@prefix", "prefix") and words[1].endswith(":"):
                iri = words[2].rstrip(".").strip()
                if iri.startswith("<") and iri.endswith(">"):
                    found.setdefault(words[1][:-1], iri[1:-1])
    return found


@dataclass
class ChainModel:
    """A loaded chain model: the graph, the files it came from, and its prefixes."""

    graph: Graph
    sources: tuple[str, ...] = ()
    prefixes: dict[str, str] = field(default_factory=dict)
    derived_labels: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    """Labels of elements the model implies but does not name (a blank-node PROV delegation), set by the view."""

    @cached_property
    def namespaces(self) -> dict[str, str]:
        """Prefixes for display: the model's own first, then the standard ones."""
        merged = dict(STANDARD_PREFIXES)
        merged.update(self.prefixes)
        return merged

    def qname(self, iri: str, standard: bool = False) -> str:
        """Shorten an IRI with the known prefixes (``cm:Consignment``), or return it whole.

        ``standard=True`` uses only the standard prefixes, so the result does not depend on
        the prefixes a model file happened to declare (the JSON outputs use it, and stay the
        same whichever backend holds the model).
        """
        key = (iri, standard)
        if key in self._names:
            return self._names[key]
        best = ""
        for prefix, namespace in (STANDARD_PREFIXES if standard else self.namespaces).items():
            if iri.startswith(namespace) and len(namespace) > len(best):
                local = iri[len(namespace):]
                if local and all(ch.isalnum() or ch in "-_." for ch in local):
                    best, name = namespace, f"{prefix}:{local}"
        self._names[key] = name if best else iri  # reports name the same elements again and again
        return self._names[key]

    @cached_property
    def _names(self) -> dict[tuple[str, bool], str]:
        return {}

    def expand(self, name: str) -> str | None:
        """Expand ``prefix:local`` to an IRI with the known prefixes, or return None."""
        if ":" in name and not name.startswith(("http://", "https://", "urn:")):
            prefix, local = name.split(":", 1)
            if prefix in self.namespaces:
                return self.namespaces[prefix] + local
        return None

    @cached_property
    def _labels(self) -> dict[str, list[tuple[str, str]]]:
        """Every label: the model's own, then the shipped ontology's and rules' for their own terms."""
        own = self._saved_labels
        labels: dict[str, list[tuple[str, str]]] = dict(own.items() if own is not None else graph_labels(self.graph))
        for iri, values in self._vocabulary_labels.items():
            labels.setdefault(iri, values)
        return labels

    @cached_property
    def _vocabulary_labels(self) -> dict[str, list[tuple[str, str]]]:
        labels: dict[str, list[tuple[str, str]]] = {}
        for graph in (ontology_graph(), rules_graph()):
            for iri, values in graph_labels(graph).items():
                labels.setdefault(iri, values)
        return labels

    @cached_property
    def _saved_labels(self):
        """The labels a store saved when it was loaded (a read-only mapping), or None."""
        saved = getattr(self.graph, "saved_labels", None)
        return saved() if saved is not None else None

    @cached_property
    def _labels_looked_up(self) -> dict[str, list[tuple[str, str]]]:
        return {}

    def _labels_of(self, iri: str) -> list[tuple[str, str]]:
        """The labels of one IRI, looked up rather than all read, wherever that is cheaper.

        Labels saved with a store are looked up by IRI; a graph in memory or a store is
        asked by subject, and the answer kept; an endpoint (one request per look-up) or a
        model whose labels were all read already answers from the full index.
        """
        if iri in self.derived_labels:
            return self.derived_labels[iri]
        if "_labels" in self.__dict__ or getattr(self.graph, "bulk_reads", False):
            return self._labels.get(iri, [])
        cache = self._labels_looked_up
        if iri in cache:
            return cache[iri]
        if self._saved_labels is not None:
            found = self._saved_labels.get(iri) or self._vocabulary_labels.get(iri, [])
            cache[iri] = found
            return found
        table = getattr(self.graph, "table", None)
        if table is not None:  # a graph kept as tables: look the IRI up in each label table
            found = [(str(label), label.language or "") for predicate in LABEL_PREDICATES
                     for label in table(predicate).get(iri, ()) if isinstance(label, Literal)
                     ] if not iri.startswith("_:") else []  # a blank node's key is not its IRI
            cache[iri] = found or self._vocabulary_labels.get(iri, [])
            return cache[iri]
        found = []
        try:
            subject = URIRef(iri)
            for graph in (self.graph, ontology_graph(), rules_graph()):
                found = [(str(label), label.language or "") for predicate in LABEL_PREDICATES
                         for label in graph.objects(subject, predicate) if isinstance(label, Literal)]
                if found:
                    break
        except ValueError:  # not an IRI a store accepts: it has no labels
            found = []
        cache[iri] = found
        return found

    def labels(self, iri: str) -> dict[str, str]:
        """The first label per language tag (``{"en": ..., "ja": ...}``), sorted for stability."""
        chosen: dict[str, str] = {}
        found = self._labels_of(iri)
        for text, language in sorted(found, key=lambda item: (item[1], item[0])) if len(found) > 1 else found:
            chosen.setdefault(language, text)
        return chosen

    def label(self, iri: str, lang: str = "en") -> str:
        """A label in ``lang``, else English, else any, else the prefixed name."""
        labels = self.labels(iri)
        for language in (lang, "en", ""):
            if language in labels:
                return labels[language]
        if labels:
            return labels[sorted(labels)[0]]
        return self.qname(iri)

    def resolve(self, name: str, among: Iterable[str] | None = None, what: str = "element") -> str:
        """Turn a full IRI, a prefixed name or an unambiguous label into an IRI.

        ``among`` restricts the candidates (e.g. to the model's duties). Labels match
        case-insensitively in any language.

        Raises
        ------
        UnknownReference
            Nothing matches; the message lists close labels.
        AmbiguousReference
            A label matches several elements; the message lists their IRIs.
        """
        candidates = sorted(set(among)) if among is not None else sorted(self._labels)
        candidate_set = set(candidates)
        for iri in (name, self.expand(name)):
            if not iri or any(ch.isspace() or ch in '<>"{}|\\^`' for ch in iri):
                continue  # a label, not an IRI
            if iri in candidate_set or (among is None and (URIRef(iri), None, None) in self.graph):
                return iri
        wanted = name.strip().casefold()
        matches = sorted(
            {iri for iri in candidates for text, _ in self._labels_of(iri) if text.casefold() == wanted}
        )
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            listed = ", ".join(self.qname(iri) for iri in matches)
            raise AmbiguousReference(f"{what} {name!r} matches {len(matches)} elements: {listed}; give the IRI instead")
        every_label = {text: iri for iri in candidates for text, _ in self._labels_of(iri)}
        close = difflib.get_close_matches(name, list(every_label), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(repr(text) for text in close)}?" if close else ""
        known = ""
        if among is not None and not candidates:
            known = f"; the model has no {what} at all (see chainmodel describe for what it has)"
        elif among is not None and len(candidates) <= 12:
            known = "; known: " + ", ".join(self.qname(iri) for iri in candidates)
        raise UnknownReference(f"no {what} named {name!r} in the model{hint}{known}")


BACKENDS = ("rdflib", "tables")
"""How :func:`load_model` keeps the triples: an rdflib ``Graph``, or :class:`~chainmodel.tablegraph.TableGraph`."""


def load_model(paths: Sequence[str | Path], backend: str = "rdflib") -> ChainModel:
    """Load model files or folders into a :class:`ChainModel` (all or nothing).

    Parameters
    ----------
    paths : sequence of path
        Model files and folders.
    backend : {"rdflib", "tables"}, optional
        ``"rdflib"`` (default): an rdflib ``Graph``, which what-if scenarios, SPARQL and the
        exports edit or query. ``"tables"``: a read-only
        :class:`~chainmodel.tablegraph.TableGraph`, filled in one pass over the parser,
        many times faster and smaller; every analysis gives the same answers on it.

    Raises
    ------
    InputError, ParseError, RefusedInput
        As :func:`chainmodel.loading.load_graph`.
    ArgumentError
        An unknown ``backend``.

    Examples
    --------
    >>> model = load_model(["examples/case-a-laptop"])
    >>> model.label("https://example.org/chainmodel/case-a#laptop", "ja")
    'ノートパソコン'
    >>> load_model(["examples/case-a-laptop"], backend="tables").label("https://example.org/chainmodel/case-a#laptop", "ja")
    'ノートパソコン'
    """
    if backend not in BACKENDS:
        raise ArgumentError(f"unknown backend {backend!r}: use one of {', '.join(BACKENDS)}")
    files = model_files(paths)
    if backend == "tables":
        from .tablegraph import read_tables

        graph = read_tables(files)
    else:
        graph = load_graph(files)
    return ChainModel(graph=graph, sources=tuple(str(path) for path in files), prefixes=_prefixes_in(files))
