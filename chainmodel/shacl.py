"""Check the structure of a model against the chainmodel SHACL shapes.

``shacl_findings`` runs pySHACL with ``ontologies/shapes.ttl`` as the shapes graph and
``ontologies/chainmodel.ttl`` mixed into a copy of the model, so that ``sh:targetClass``
and ``sh:class`` follow ``rdfs:subClassOf`` (a capacity is a party, a report is a
hand-off). No RDFS inference is run: the ontology's ``rdfs:range`` axioms would make any
value of ``cm:consignor`` a party and the class checks would pass whatever the model says.
Nothing is fetched: every graph is passed as an rdflib ``Graph`` and ``owl:imports`` are
not followed.

Each ``sh:ValidationResult`` becomes one :class:`~chainmodel.findings.Finding` of the rule
``rule:shacl-shape``. The message names the triple at fault, then says what to fix::

    <https://example.org/m#c1> cm:consignee: A consignment needs exactly one cm:consignee, ...

Examples
--------
>>> from rdflib import Graph
>>> model = Graph().parse(format="turtle", data='''
...     @prefix cm: <https://w3id.org/chainmodel#> .
...     <urn:ex:insurer> a cm:Organisation .
...     <urn:ex:c1> a cm:Consignment ; cm:consignor <urn:ex:insurer> .
... ''')
>>> [(f.severity, f.focus) for f in shacl_findings(model)]
[('error', ('urn:ex:c1',))]
>>> shacl_findings(model)[0].message.startswith("<urn:ex:c1> cm:consignee: ")
True
"""

from __future__ import annotations

from functools import lru_cache

from pyshacl import validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD, NamespaceManager
from rdflib.term import Node

from .catalogue import LANGUAGES, say
from .errors import ArgumentError
from .findings import Finding, Said
from .namespace import CHAINMODEL_NS, RULE
from .resources import ontology_path
from .shapes import Result, evaluate

__all__ = ["shacl_findings", "SHACL_RULE", "SEVERITY_OF"]

SHACL_RULE = str(RULE["shacl-shape"])
"""The rule every SHACL finding cites (``rule:shacl-shape`` in ``ontologies/rules.ttl``)."""

SEVERITY_OF = {SH.Violation: "error", SH.Warning: "warning", SH.Info: "info"}
"""Finding severity for each SHACL result severity."""

_SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
_OWNER_DEPTH = 5  # how far up a blank node is followed to find a named element


@lru_cache(maxsize=None)
def _parsed(name: str) -> Graph:
    """Parse one shipped ontology file once per process. Callers must not modify it."""
    graph = Graph()
    graph.parse(data=ontology_path(name).read_text(encoding="utf-8"), format="turtle")
    return graph


@lru_cache(maxsize=1)
def _prefixes() -> NamespaceManager:
    manager = NamespaceManager(Graph(), bind_namespaces="none")
    manager.bind("cm", CHAINMODEL_NS)
    manager.bind("xsd", str(XSD))
    return manager


def _term(node: Node) -> str:
    """Render an IRI or literal for a message: ``cm:`` for chainmodel terms, ``<iri>`` otherwise."""
    if isinstance(node, URIRef):
        if str(node).startswith(CHAINMODEL_NS) and str(node) != CHAINMODEL_NS:
            return "cm:" + str(node)[len(CHAINMODEL_NS):]
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3(_prefixes())
    return "[]"


def _owner(graph: Graph, node: Node) -> tuple[URIRef | None, str]:
    """Find the named element an unnamed node hangs from, and the way down to the node.

    Returns ``(iri, text)`` where ``text`` reads like Turtle, e.g. ``<asset> cm:countFor []``;
    ``iri`` is None when no named element points to the node.
    """
    end = "[]" if isinstance(node, BNode) else _term(node)
    steps: list[URIRef] = []
    current = node
    seen = {node}
    for _ in range(_OWNER_DEPTH):
        if not hasattr(graph, "subject_predicates"):
            break  # an endpoint cannot be asked about a blank node
        links = sorted(
            ((s, p) for s, p in graph.subject_predicates(current) if s not in seen),
            key=lambda sp: (isinstance(sp[0], BNode), str(sp[0]), str(sp[1])),
        )
        if not links:
            break
        subject, predicate = links[0]
        steps.append(predicate)
        if isinstance(subject, URIRef):
            way = [_term(p) + " []" for p in reversed(steps[1:])] + [f"{_term(steps[0])} {end}"]
            return subject, " ".join([_term(subject), *way])
        seen.add(subject)
        current = subject
    return None, end


def _messages(result: Result, path_text: str) -> dict[str, str]:
    """The shape's message in each language it has (English always, from the catalogue if the shape has none)."""
    found: dict[str, str] = {}
    for message in sorted(result.messages, key=str):
        if isinstance(message, Literal) and message.language:
            found.setdefault(message.language.lower()[:2], str(message))
    if "en" not in found:
        subject = path_text or "-"
        found = {lang: say("finding.shacl-without-message", lang, path=subject) for lang in LANGUAGES}
    return found


def _results_of(report: Graph) -> list[Result]:
    """The results of a pySHACL report graph, in the evaluator's terms."""
    results = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        results.append(Result(
            severity=report.value(result, SH.resultSeverity),
            focus=report.value(result, SH.focusNode),
            path=report.value(result, SH.resultPath),
            value=report.value(result, SH.value),
            messages=tuple(report.objects(result, SH.resultMessage)),
        ))
    return results


def _findings(results: list[Result], model) -> list[Finding]:
    """Turn validation results into sorted findings; ``model`` names blank nodes."""
    found: set[Finding] = set()
    for result in results:
        severity = SEVERITY_OF.get(result.severity, "error")
        focus_node, value = result.focus, result.value
        if value == focus_node:  # node-level constraints (sh:xone) report the focus node as value
            value = None
        path_text = _term(result.path) if isinstance(result.path, URIRef) else ("(a property path)" if result.path else "")

        if isinstance(focus_node, URIRef):
            focus_iri: str | None = str(focus_node)
            where = _term(focus_node)
        else:
            owner, where = _owner(model, focus_node) if focus_node is not None else (None, "[]")
            focus_iri = str(owner) if owner is not None else None
        triple = " ".join(part for part in (where, path_text) if part)
        if value is not None and not isinstance(value, BNode):
            triple += " " + _term(value)

        messages = _messages(result, path_text)
        focus = tuple(str(n) for n in (focus_iri, value if isinstance(value, URIRef) else None) if n is not None)
        said = Said("finding.shacl", (("triple", ("text", triple)), ("message", ("texts", tuple(sorted(messages.items()))))),
                     advice="")
        found.add(Finding(SHACL_RULE, severity, f"{triple}: {messages['en']}", focus, said=said))
    return sorted(found, key=lambda f: (_SEVERITY_RANK.get(f.severity, 3), f.focus, f.message))


@lru_cache(maxsize=None)
def _ontology_with_reading() -> Graph:
    """The ontology plus the reading of foreign classes (DPV, PROV, ORG) as chainmodel classes.

    The same table drives :mod:`chainmodel.views`, so a party typed only
    ``dpv:DataProcessor`` is a party for the shapes exactly as it is for the analyses.
    """
    from rdflib.namespace import RDFS

    from .views import READ_AS

    combined = Graph()
    for triple in _parsed("chainmodel.ttl"):
        combined.add(triple)
    for foreign, ours in READ_AS.items():
        combined.add((URIRef(foreign), RDFS.subClassOf, URIRef(ours)))
    return combined


def shacl_findings(graph, engine: str = "native", view=None) -> list[Finding]:
    """Validate ``graph`` against the chainmodel shapes and return one finding per result.

    Parameters
    ----------
    graph
        The model (an rdflib ``Graph``, or a store or endpoint for the native engine). It is
        not modified.
    engine
        ``"native"`` (default): :mod:`chainmodel.shapes`, linear in the model and usable on
        every backend. ``"pyshacl"``: the reference implementation, on a copy of the model
        with the ontology mixed in (rdflib graphs only). Both give the same findings.
    view
        A :class:`~chainmodel.views.ChainView` of the same graph: the native engine reuses
        what it has read instead of reading the graph again.

    Returns
    -------
    list of Finding
        Findings of rule ``rule:shacl-shape``, errors first, then by focus and message.
        ``focus`` is ``(focus node IRI, value IRI)``, the value only when it is an IRI; a
        blank focus node (e.g. a ``cm:countFor`` node) is reported as the named element it
        hangs from.

    Examples
    --------
    >>> shacl_findings(Graph())
    []
    """
    if engine == "native":
        if view is not None:
            results = evaluate(graph, _parsed("shapes.ttl"), scans=view.scans, types=view.types)
        else:
            results = evaluate(graph, _parsed("shapes.ttl"))
        return _findings(results, graph)
    if engine != "pyshacl":
        raise ArgumentError(f"unknown SHACL engine {engine!r}: use 'native' or 'pyshacl'")
    if not isinstance(graph, Graph):
        raise ArgumentError("pySHACL needs an rdflib Graph; use the native engine for a store")
    _conforms, report, _text = validate(
        graph,
        shacl_graph=_parsed("shapes.ttl"),
        ont_graph=_ontology_with_reading(),
        inference="none",
        abort_on_first=False,
        allow_infos=False,
        allow_warnings=False,
        meta_shacl=False,
        advanced=False,
        js=False,
        do_owl_imports=False,
        inplace=False,
    )
    return _findings(_results_of(report), graph)
