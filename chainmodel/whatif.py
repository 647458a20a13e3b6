"""What-if scenarios: edit a copy of the model with SPARQL Update, and compare every analysis.

A scenario is a SPARQL 1.1 Update file (``.ru``) with a few header comment lines::

    # label: LDI checks NTT DATA's reports
    # label-ja: LDIによる報告の確認
    # description: Remedy 2 of the notice, as a detective control.
    PREFIX cm: <https://w3id.org/chainmodel#>
    INSERT DATA { ... }

Only operations that edit triples are accepted: ``INSERT DATA``, ``DELETE DATA``,
``DELETE WHERE`` and ``DELETE/INSERT ... WHERE`` (``INSERT ... WHERE`` included). The parsed
request is inspected (never the text) and anything else is refused with
:class:`~chainmodel.errors.ScenarioError` (exit code 2): ``LOAD``, ``CLEAR``, ``DROP``,
``CREATE``, ``ADD``, ``MOVE``, ``COPY``, ``SERVICE`` anywhere, ``WITH``, ``USING`` and
``USING NAMED``, and ``GRAPH`` blocks (a model is one graph). The standard prefixes
(``cm:``, ``rdf:``, ``rdfs:``, ``xsd:`` ...) are predeclared; the model's own prefixes are
not, so a scenario file means the same thing whatever model it is applied to.

A scenario is checked (:meth:`Scenario.from_text`) and applied (:func:`apply_scenario`) by
the same parser and engine, rdflib's, in a sandboxed child process
(:func:`chainmodel.safety.run_bounded`): parsing counts toward the time limit
(:class:`~chainmodel.errors.ScenarioTimeout`, exit 3, so a cartesian ``WHERE`` stops), the
child has a memory allowance (:class:`~chainmodel.errors.LimitExceeded`), and on Linux it
cannot open a network socket. A scenario nested too deeply to parse (a ``UNION`` of
thousands of branches) is a :class:`~chainmodel.errors.ScenarioError`, and so is RDF-star.
The child edits its copy-on-write copy of the graph and sends back only the triples added
and removed.

Applying a scenario returns a new :class:`~chainmodel.model.ChainModel`; the model passed in
and its source files are never touched. Each operation runs in order, and the scenario fails
as a whole (nothing is returned) when:

* a ``DELETE DATA`` names a triple that is not there ("nothing to delete");
* a ``DELETE WHERE`` or ``DELETE/INSERT ... WHERE`` matches nothing, unless the header says
  ``# allow-no-match: true``;
* an inserted triple refers to an element that does not exist: the object of a reference
  property (:data:`REFERENCE_PROPERTIES`, e.g. ``cm:covers``, ``cm:sender``,
  ``cm:operatedBy``) and the subject of every inserted triple must have an ``rdf:type`` in
  the model or be given one by the scenario itself; a ``cm:`` term must exist in the
  ontology.

Blank nodes may be inserted. Each ``INSERT DATA`` operation (and each solution of an
``INSERT ... WHERE``) gets fresh blank nodes, named deterministically from the scenario
text so that the same scenario always gives the same graph. Blank nodes cannot be named in
``DELETE DATA``, ``DELETE WHERE`` or a ``DELETE`` template (SPARQL forbids it): match them
with a variable instead.

:func:`inverse_update` writes the update that turns the changed graph back into the
original. Triples without blank nodes are restored exactly. Blank nodes have no name that
survives from one graph to another, so every group of connected blank nodes the change
touched is deleted whole (matched by its complete description) and re-inserted whole with
fresh blank nodes: the round trip is checked by graph isomorphism, not equality.

The builders :func:`remove_element`, :func:`add_handoff` and :func:`add_control` write the
same kind of update text for the command line's short options; new elements get IRIs under
``urn:chainmodel:scenario:`` minted from a hash of their arguments, with English and
Japanese labels.

:func:`compare` runs every analysis on the base model and on each scenario and reports the
differences: single points of failure removed and added, changes in the order of each
element's smallest cut set, leak paths closed and opened, blast radius changes, validation
findings added and resolved, responsibility chains changed, harms that end or start, and
exposure windows that change. :mod:`chainmodel.whatif_json` and :mod:`chainmodel.whatif_text`
render the report deterministically.

Examples
--------
>>> from chainmodel.model import load_model
>>> model = load_model(["examples/case-b-optout"])
>>> text = add_control(["https://example.org/chainmodel/case-b#h-report-nttdata-ldi"],
...                    "https://example.org/chainmodel/case-b#consignee-ldi",
...                    notifies="https://example.org/chainmodel/case-b#consignee-ldi", latency="P1M")
>>> report = compare(model, [Scenario.from_text(text)], order=2)
>>> [model.qname(element) for element, harm in report.scenarios[0].spof_removed]
['b:h-report-nttdata-ldi']
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import rdflib.plugins.sparql
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import RDF, XSD

from .errors import ArgumentError, ChainModelError, ScenarioError, ScenarioTimeout
from .loading import RDF_STAR_REFUSAL
from .model import STANDARD_PREFIXES, ChainModel, ontology_graph, rules_graph
from .namespace import CHAINMODEL_NS, CM
from .safety import DEFAULT_MEMORY, DEFAULT_TIMEOUT, run_bounded
from .sparql import UPDATE_OPERATION_NAMES, decode_term, encode_term
from .sparqltext import show_term

__all__ = [
    "Scenario",
    "load_scenario",
    "apply_scenario",
    "inverse_update",
    "remove_element",
    "add_handoff",
    "add_control",
    "Snapshot",
    "snapshot",
    "ScenarioDiff",
    "WhatIfReport",
    "compare",
    "REFERENCE_PROPERTIES",
    "ALLOWED_OPERATIONS",
]

ALLOWED_OPERATIONS = ("InsertData", "DeleteData", "DeleteWhere", "Modify")
"""The parsed operation names a scenario may use."""

_OPERATION_NAMES = UPDATE_OPERATION_NAMES

_WHAT_TO_DO = ("A scenario only edits a copy of the model's triples: use INSERT DATA, DELETE DATA, "
               "DELETE WHERE or DELETE/INSERT ... WHERE")

REFERENCE_PROPERTIES = tuple(
    CM[name]
    for name in (
        # the properties the what-if brief names
        "covers", "sender", "receiver", "operatedBy", "notifies", "serves", "carries", "guardedBy",
        "copyOf", "storedOn", "consignor", "consignee", "extends", "entrusts",
        # and the other properties whose object is a model element
        "accountable", "performedBy", "needs", "protects", "entrustsData", "heldBy", "acknowledgedBy",
        "capacityOf", "subsetOf", "derivedFrom", "controller", "principal", "approvedBy",
    )
)
"""Properties whose object must be an element of the model (or one the scenario declares)."""

_MINT = "urn:chainmodel:scenario:"
_DURATION = re.compile(r"^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
_HEADER = re.compile(r"^#\s*([A-Za-z][A-Za-z0-9_-]*)\s*:\s?(.*)$")
_TRUE = ("true", "yes", "1", "on")
_TRIPLE_TERM = re.compile(r"<<\(?\s*[<?$_\[\"'A-Za-z]")
"""The start of an RDF-star triple term (``<< <s> <p> <o> >>`` or ``<<( ... )>>``)."""


# ==========================================================================================
# Scenarios: reading and checking the request
# ==========================================================================================


@dataclass(frozen=True)
class Scenario:
    """A what-if scenario: its header labels and the SPARQL Update text.

    ``path`` is where it was read from (``None`` for text given directly); reports name the
    scenario by ``name`` (the file name), never by the full path.
    """

    label: str
    label_ja: str
    description: str
    text: str
    path: str | None = None
    allow_no_match: bool = False
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        """The file name, or ``<scenario>`` for text given directly."""
        return Path(self.path).name if self.path else "<scenario>"

    @property
    def digest(self) -> str:
        """A short hash of the text, used to name the blank nodes the scenario inserts."""
        return hashlib.sha1(self.text.encode("utf-8")).hexdigest()[:10]

    @classmethod
    def from_text(cls, text: str, path: str | Path | None = None, *, label: str | None = None,
                  label_ja: str | None = None, description: str | None = None,
                  timeout: float = DEFAULT_TIMEOUT, memory: int = DEFAULT_MEMORY) -> "Scenario":
        """Read the header and check the request (syntax and allowed operations).

        Arguments given here override the header. The request is parsed and checked in a
        sandboxed child with ``timeout`` seconds and ``memory`` bytes.

        Raises
        ------
        ScenarioError
            A syntax error (with line and column), a refused operation, RDF-star, or a
            request nested too deeply.
        ScenarioTimeout
            Checking took longer than ``timeout``.
        LimitExceeded
            Checking needed more than ``memory``.
        """
        headers = _read_headers(text)
        values = dict(headers)
        stem = Path(path).stem if path else "scenario"
        found_label = label or values.get("label") or stem
        scenario = cls(
            label=found_label,
            label_ja=label_ja or values.get("label-ja") or found_label,
            description=description if description is not None else values.get("description", ""),
            text=text,
            path=str(path) if path is not None else None,
            allow_no_match=values.get("allow-no-match", "").strip().lower() in _TRUE,
            headers=headers,
        )
        _bounded(scenario, lambda: _check_only(scenario), timeout, memory)
        return scenario


def _check_only(scenario: Scenario) -> None:
    _translate(scenario)


def _bounded(scenario: Scenario, work, timeout: float, memory: int):
    """Run ``work`` for ``scenario`` in the sandboxed child, with the scenario's messages."""
    return run_bounded(work, timeout=timeout, memory=memory, what=f"scenario {scenario.name}",
                       timeout_error=ScenarioTimeout, refused=ScenarioError)


def load_scenario(path: str | Path, *, timeout: float = DEFAULT_TIMEOUT, memory: int = DEFAULT_MEMORY) -> Scenario:
    """Read a scenario file (UTF-8) and check it; see :meth:`Scenario.from_text`.

    Parameters
    ----------
    path : str or path
        The scenario file, a SPARQL 1.1 Update with its header lines.
    timeout : float, optional
        Seconds the sandboxed child may take to parse and check it (default
        :data:`chainmodel.safety.DEFAULT_TIMEOUT`).
    memory : int, optional
        Bytes the child may add to what it had when forked (default
        :data:`chainmodel.safety.DEFAULT_MEMORY`).

    Returns
    -------
    Scenario
        With the labels and description of its header (the label defaults to the file's
        stem), ``path`` the path given, and the text as read.

    Raises
    ------
    ScenarioError
        The file cannot be read or is not UTF-8 text; or, as :meth:`Scenario.from_text`, a
        syntax error, a refused operation, RDF-star, or a request nested too deeply.
    ScenarioTimeout
        Checking took longer than ``timeout``.
    LimitExceeded
        Checking needed more than ``memory``.
    ChainModelError
        ``timeout`` is not a finite number of seconds above 0, ``memory`` not a whole
        number of bytes above 0, or the platform cannot fork.

    Examples
    --------
    >>> scenario = load_scenario("examples/scenarios/case-a-encrypted-laptop.ru")
    >>> scenario.name, scenario.label
    ('case-a-encrypted-laptop.ru', 'Full-disk encryption on the laptop')
    """
    location = Path(path)
    try:
        text = location.read_text(encoding="utf-8")
    except OSError as error:
        raise ScenarioError(f"{location}: cannot be read: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise ScenarioError(f"{location}: is not UTF-8 text ({error.reason})") from None
    return Scenario.from_text(text, location, timeout=timeout, memory=memory)


def _read_headers(text: str) -> tuple[tuple[str, str], ...]:
    """``# key: value`` lines at the top of the file; indented ``#`` lines continue a value."""
    found: list[list[str]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if match and not re.match(r"^#\s{2,}", line):
            found.append([match.group(1).lower(), match.group(2).strip()])
        elif found and re.match(r"^#\s{2,}\S", line):
            found[-1][1] = (found[-1][1] + " " + line[1:].strip()).strip()
    return tuple((key, value) for key, value in found)


def _walk(node) -> Iterator:
    """Every CompValue in a parse tree or algebra expression, depth first."""
    from rdflib.plugins.sparql.parserutils import CompValue
    from pyparsing import ParseResults

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            yield item
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, ParseResults)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())


def _refuse(scenario: Scenario, index: int, operation: str, why: str) -> ScenarioError:
    return ScenarioError(f"{scenario.name}: operation {index} ({operation}) is refused: {why}")


def _check_parsed(scenario: Scenario, parsed) -> None:
    """Refuse every operation and clause that is not a plain edit of the default graph."""
    for index, op in enumerate(parsed.request, start=1):
        name = _OPERATION_NAMES.get(op.name, op.name)
        if op.name not in ALLOWED_OPERATIONS:
            reason = {
                "Load": "it would fetch a document from the network or read a file",
                "Clear": "it would empty graphs",
                "Drop": "it would remove graphs",
                "Create": "it would create a named graph",
                "Add": "it copies whole graphs",
                "Move": "it moves whole graphs",
                "Copy": "it copies whole graphs",
            }.get(op.name, "it is not an edit of triples")
            raise _refuse(scenario, index, name, f"{reason}. {_WHAT_TO_DO}.")
        if op.name == "Modify":
            if "withClause" in op:
                raise _refuse(scenario, index, name, "WITH names a graph, but a model is one graph: "
                              "remove the WITH clause.")
            if "using" in op:
                which = "USING NAMED" if any("named" in clause for clause in op["using"]) else "USING"
                raise _refuse(scenario, index, name, f"{which} would read another graph (and may fetch it): "
                              "remove the clause; the WHERE pattern is matched against the model.")
        for node in _walk(op):
            if node.name == "ServiceGraphPattern":
                raise _refuse(scenario, index, name, f"SERVICE {show_term(dict.get(node, 'term'))} would query a "
                              "remote endpoint; chainmodel never leaves the model. Remove the SERVICE block.")
            if node.name == "GraphGraphPattern":
                raise _refuse(scenario, index, name, "GRAPH patterns name graphs, but a model is one graph: "
                              "write the pattern without GRAPH.")
            if node.name == "QuadsNotTriples":
                raise _refuse(scenario, index, name, "GRAPH blocks name graphs, but a model is one graph: "
                              "write the triples without GRAPH.")


def _blank_nodes(triples: Iterable[tuple]) -> list[BNode]:
    seen: list[BNode] = []
    for triple in triples:
        for term in triple:
            if isinstance(term, BNode) and term not in seen:
                seen.append(term)
    return seen


def _check_translated(scenario: Scenario, update) -> None:
    for index, op in enumerate(update.algebra, start=1):
        name = _OPERATION_NAMES[op.name]
        templates = []
        if op.name in ("DeleteData", "DeleteWhere"):
            templates = op.triples
        elif op.name == "Modify" and op.delete:
            templates = op.delete.triples
        if _blank_nodes(templates):
            raise _refuse(scenario, index, name, "a blank node in data or a pattern to delete cannot match "
                          "anything (SPARQL forbids it): match it with a variable in DELETE ... WHERE instead.")


def _translate(scenario: Scenario):
    """Parse and translate the request, refusing what a scenario may not do."""
    from rdflib.plugins.sparql.algebra import translateUpdate
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parsed = parseUpdate(scenario.text)
    except RecursionError:
        raise ScenarioError(f"{scenario.name}: the SPARQL Update is nested too deeply to read (for example a UNION "
                            "of thousands of branches); split it into smaller scenarios or use VALUES") from None
    except Exception as error:  # pyparsing.ParseException and friends
        line, column = getattr(error, "lineno", None), getattr(error, "col", None)
        where = f", line {line}, column {column}" if line else ""
        message = getattr(error, "msg", None) or str(error)
        star = _TRIPLE_TERM.search(scenario.text)
        if star is not None:  # the Update grammar stops at its start: point at the triple term
            line = scenario.text.count("\n", 0, star.start()) + 1
            column = star.start() - (scenario.text.rfind("\n", 0, star.start()) + 1) + 1
            raise ScenarioError(f"{scenario.name}, line {line}, column {column}: {RDF_STAR_REFUSAL}") from None
        raise ScenarioError(f"{scenario.name}{where}: syntax error in the SPARQL Update: {message}") from None
    _check_parsed(scenario, parsed)
    try:
        update = translateUpdate(parsed, initNs=STANDARD_PREFIXES)
    except RecursionError:
        raise ScenarioError(f"{scenario.name}: the SPARQL Update is nested too deeply to prepare; split it into "
                            "smaller scenarios or use VALUES") from None
    except Exception as error:  # unknown prefix, bad IRI ...
        raise ScenarioError(f"{scenario.name}: the SPARQL Update cannot be read: {error}") from None
    _check_translated(scenario, update)
    return update


# ==========================================================================================
# Applying a scenario
# ==========================================================================================


def _copy_graph(graph: Graph) -> Graph:
    copy = Graph()
    for prefix, namespace in graph.namespaces():
        copy.bind(prefix, namespace, override=True, replace=True)
    for triple in graph:
        copy.add(triple)
    return copy


def _fill(template: Sequence[tuple], solution, fresh: dict) -> list[tuple]:
    """Instantiate a template for one solution; triples with unbound or invalid terms drop out."""
    filled = []
    for triple in template:
        terms = []
        for term in triple:
            if isinstance(term, Variable):
                term = solution.get(term)
            elif isinstance(term, BNode):
                term = fresh[term]
            terms.append(term)
        s, p, o = terms
        if s is None or p is None or o is None:
            continue
        if isinstance(s, Literal) or not isinstance(p, URIRef):
            continue
        filled.append((s, p, o))
    return filled


def _fresh_names(template: Sequence[tuple], prefix: str) -> dict:
    return {node: BNode(f"{prefix}b{position}") for position, node in enumerate(_blank_nodes(template))}


def _solution_key(solution) -> str:
    items = sorted((str(variable), term.n3()) for variable, term in dict(solution).items() if term is not None)
    return hashlib.sha1(repr(items).encode("utf-8")).hexdigest()[:10]


def _iris_in(node) -> set[URIRef]:
    found: set[URIRef] = set()
    for item in _walk(node):
        for value in item.values():
            values = value if isinstance(value, (list, tuple)) else [value]
            for entry in values:
                if isinstance(entry, URIRef):
                    found.add(entry)
                elif isinstance(entry, (list, tuple)):
                    found.update(term for term in entry if isinstance(term, URIRef))
    return found


def _occurs(graph: Graph, iri: URIRef) -> bool:
    return ((iri, None, None) in graph or (None, iri, None) in graph or (None, None, iri) in graph)


def _no_match(scenario: Scenario, index: int, op, graph: Graph, qname) -> ScenarioError:
    name = _OPERATION_NAMES[op.name]
    if op.name == "DeleteWhere":
        used = {term for triple in op.triples for term in triple if isinstance(term, URIRef)}
    else:
        used = _iris_in(op.where)
    absent = sorted(str(iri) for iri in used if not _occurs(graph, iri))
    hint = (f"; these IRIs do not occur in the model: {', '.join(qname(iri) for iri in absent)}" if absent else "")
    return ScenarioError(
        f"{scenario.name}: operation {index} ({name}) matches nothing in the model{hint}. Check the pattern, "
        "or add '# allow-no-match: true' to the scenario's header if matching nothing is expected."
    )


class _Edits:
    """Adds and removes triples of a graph, remembering the net change in order."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self.added: dict[tuple, None] = {}
        self.removed: dict[tuple, None] = {}

    def add(self, triple: tuple) -> None:
        if triple in self.graph:
            return
        self.graph.add(triple)
        if triple in self.removed:
            del self.removed[triple]
        else:
            self.added[triple] = None

    def remove(self, triple: tuple) -> None:
        if triple not in self.graph:
            return
        self.graph.remove(triple)
        if triple in self.added:
            del self.added[triple]
        else:
            self.removed[triple] = None


def _run(scenario: Scenario, graph: Graph | _Edits, qname) -> None:
    """Apply the scenario's operations to ``graph`` in order (SPARQL semantics, no network)."""
    from rdflib.plugins.sparql.evaluate import evalBGP, evalPart
    from rdflib.plugins.sparql.sparql import QueryContext

    update = _translate(scenario)
    edits, graph = (graph, graph.graph) if isinstance(graph, _Edits) else (graph, graph)
    previous = rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS
    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
    try:
        for index, op in enumerate(update.algebra, start=1):
            prefix = f"sc{scenario.digest}o{index}"
            if op.name == "InsertData":
                fresh = _fresh_names(op.triples, prefix)
                for triple in _fill(op.triples, {}, fresh):
                    edits.add(triple)
            elif op.name == "DeleteData":
                missing = [triple for triple in op.triples if triple not in graph]
                if missing:
                    listed = "; ".join(" ".join(_show(term, qname) for term in triple) for triple in missing[:5])
                    more = f" (and {len(missing) - 5} more)" if len(missing) > 5 else ""
                    raise ScenarioError(
                        f"{scenario.name}: operation {index} (DELETE DATA): nothing to delete: {listed}{more} "
                        "is not in the model. Remove the triple from the scenario or correct its IRIs."
                    )
                for triple in op.triples:
                    edits.remove(triple)
            else:
                context = QueryContext(graph, initBindings={})
                context.prologue = op.prologue
                if op.name == "DeleteWhere":
                    solutions = list(evalBGP(context, op.triples))
                    delete_template, insert_template = op.triples, []
                else:
                    solutions = list(evalPart(context, op.where))
                    delete_template = op.delete.triples if op.delete else []
                    insert_template = op.insert.triples if op.insert else []
                if not solutions and not scenario.allow_no_match:
                    raise _no_match(scenario, index, op, graph, qname)
                deletions: set[tuple] = set()
                insertions: list[tuple] = []
                for solution in solutions:
                    deletions.update(_fill(delete_template, solution, {}))
                    fresh = _fresh_names(insert_template, f"{prefix}s{_solution_key(solution)}")
                    insertions.extend(_fill(insert_template, solution, fresh))
                for triple in sorted(deletions, key=lambda t: tuple(term.n3() for term in t)):
                    edits.remove(triple)
                for triple in insertions:
                    edits.add(triple)
    finally:
        rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = previous


def _show(term, qname) -> str:
    if isinstance(term, URIRef):
        return qname(str(term))
    return term.n3()


def _vocabulary() -> set[URIRef]:
    known = {s for s in ontology_graph().subjects() if isinstance(s, URIRef)}
    known |= {s for s in rules_graph().subjects() if isinstance(s, URIRef)}
    return known


def _check_references(scenario: Scenario, before: Graph, after: Graph, qname) -> None:
    """Every element the scenario's new triples point at must exist (have an rdf:type)."""
    added = [triple for triple in after if triple not in before]
    vocabulary = _vocabulary()
    typed_after = {s for s in after.subjects(RDF.type, None)}
    typed_before = {s for s in before.subjects(RDF.type, None)}
    # a model may already refer to something it never declares (validate reports that);
    # restoring or repeating such a reference is not the scenario's doing
    untyped_referenced = {o for p in REFERENCE_PROPERTIES for o in before.objects(None, p)} - typed_before
    untyped_subjects = set(before.subjects()) - typed_before

    def suggest(iri: URIRef) -> str:
        pool = {qname(str(s)): s for s in typed_after if isinstance(s, URIRef)}
        close = difflib.get_close_matches(qname(str(iri)), list(pool), n=2, cutoff=0.75)
        return f"; did you mean {' or '.join(close)}?" if close else ""

    def missing(iri: URIRef, role: str) -> ScenarioError:
        if iri in typed_before:
            why = "the scenario itself removes it (its rdf:type is deleted)"
        else:
            why = "it is not an element of the model and the scenario does not declare it with an rdf:type"
        return ScenarioError(f"{scenario.name}: {qname(str(iri))} ({iri}), used as {role}, does not resolve: "
                             f"{why}{suggest(iri)}")

    problems: list[ScenarioError] = []
    for s, p, o in sorted(added, key=lambda t: tuple(term.n3() for term in t)):
        for term in (s, p, o):
            if isinstance(term, URIRef) and str(term).startswith(CHAINMODEL_NS) and term not in vocabulary:
                close = difflib.get_close_matches(qname(str(term)), sorted(qname(str(v)) for v in vocabulary
                                                                           if str(v).startswith(CHAINMODEL_NS)),
                                                  n=2, cutoff=0.7)
                hint = f"; did you mean {' or '.join(close)}?" if close else ""
                problems.append(ScenarioError(f"{scenario.name}: {qname(str(term))} is not a term of the "
                                              f"chainmodel ontology{hint}"))
        if isinstance(s, URIRef) and s not in typed_after and s not in untyped_subjects and s not in vocabulary:
            problems.append(missing(s, f"the subject of a new {qname(str(p))} statement"))
        if (p in REFERENCE_PROPERTIES and isinstance(o, URIRef) and o not in typed_after
                and o not in untyped_referenced and o not in vocabulary):
            problems.append(missing(o, f"the object of {qname(str(p))}"))
    if problems:
        raise problems[0]


def _changes_in_child(model: ChainModel, scenario: Scenario) -> dict:
    """In the sandboxed child: edit the (copy-on-write) graph, return the net change as JSON."""
    edits = _Edits(model.graph)
    _run(scenario, edits, model.qname)
    return {"added": [[encode_term(t) for t in triple] for triple in edits.added],
            "removed": [[encode_term(t) for t in triple] for triple in edits.removed]}


def apply_scenario(model: ChainModel, scenario: Scenario, *, timeout: float = DEFAULT_TIMEOUT,
                   memory: int = DEFAULT_MEMORY) -> ChainModel:
    """Apply ``scenario`` to a copy of ``model``'s graph and return the changed model.

    The scenario is parsed and run in a sandboxed child (``timeout`` seconds, ``memory``
    bytes, no network), which sends back the triples it added and removed; they are applied
    here to a copy. The model passed in is never modified, and no file is written. The
    returned model has the same ``sources`` and ``prefixes``.

    Parameters
    ----------
    model : ChainModel
        The base model; it is only read.
    scenario : Scenario
        From :func:`load_scenario` or :meth:`Scenario.from_text`.
    timeout : float, optional
        Seconds the child may take, parsing included (default
        :data:`chainmodel.safety.DEFAULT_TIMEOUT`).
    memory : int, optional
        Bytes the child may add to what it had when forked (default
        :data:`chainmodel.safety.DEFAULT_MEMORY`).

    Returns
    -------
    ChainModel
        A new model whose graph is a copy of ``model``'s with the scenario's changes.

    Raises
    ------
    ScenarioError
        The scenario is refused or cannot be applied; nothing is returned.
    ScenarioTimeout
        It ran past ``timeout`` seconds.
    LimitExceeded
        It needed more than ``memory`` bytes.
    ChainModelError
        ``timeout`` is not a finite number of seconds above 0, ``memory`` not a whole
        number of bytes above 0, or the platform cannot fork.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> model = load_model(["examples/case-a-laptop"])
    >>> changed = apply_scenario(model, load_scenario("examples/scenarios/case-a-encrypted-laptop.ru"))
    >>> len(changed.graph) - len(model.graph)
    6
    """
    change = _bounded(scenario, lambda: _changes_in_child(model, scenario), timeout, memory)
    graph = _copy_graph(model.graph)
    for triple in change["removed"]:
        graph.remove(tuple(decode_term(t) for t in triple))
    for triple in change["added"]:
        graph.add(tuple(decode_term(t) for t in triple))
    _check_references(scenario, model.graph, graph, model.qname)
    return ChainModel(graph=graph, sources=tuple(model.sources), prefixes=dict(model.prefixes))


# ==========================================================================================
# The inverse of a change
# ==========================================================================================


def _n3(term) -> str:
    if isinstance(term, Literal) and term.datatype is None and term.language is None:
        return Literal(str(term)).n3()
    return term.n3()


def _data_block(keyword: str, triples: Iterable[tuple], names: dict | None = None) -> str:
    names = names or {}
    lines = []
    for triple in sorted(triples, key=lambda t: tuple(names.get(term, _n3(term)) for term in t)):
        lines.append("  " + " ".join(names.get(term, _n3(term)) for term in triple) + " .")
    return f"{keyword} {{\n" + "\n".join(lines) + "\n}"


def _bnode_groups(before: Graph, after: Graph, touched: set[BNode]) -> list[set[BNode]]:
    """Connected groups of blank nodes (over both graphs) that contain a touched one."""
    neighbours: dict[BNode, set[BNode]] = defaultdict(set)
    for graph in (before, after):
        for s, p, o in graph:
            if isinstance(s, BNode) and isinstance(o, BNode):
                neighbours[s].add(o)
                neighbours[o].add(s)
    groups: list[set[BNode]] = []
    seen: set[BNode] = set()
    for start in sorted(touched, key=str):
        if start in seen:
            continue
        group, frontier = {start}, [start]
        while frontier:
            node = frontier.pop()
            for other in neighbours.get(node, ()):
                if other not in group:
                    group.add(other)
                    frontier.append(other)
        seen |= group
        groups.append(group)
    return groups


def _description(graph: Graph, group: set[BNode]) -> list[tuple]:
    return sorted({t for t in graph if t[0] in group or t[2] in group}, key=lambda t: tuple(_n3(x) for x in t))


def _exact_delete(triples: list[tuple], group: set[BNode]) -> str:
    """DELETE ... WHERE matching one group of blank nodes by its complete description."""
    order = sorted({t for triple in triples for t in triple if isinstance(t, BNode) and t in group}, key=str)
    names = {node: f"?b{position}" for position, node in enumerate(order)}
    pattern = [" ".join(names.get(term, _n3(term)) for term in triple) + " ." for triple in triples]
    filters = [f"FILTER(isBlank({names[node]}))" for node in order]
    for node in order:
        var = names[node]
        outgoing = [(p, o) for s, p, o in triples if s == node]
        incoming = [(s, p) for s, p, o in triples if o == node]
        allowed_out = " || ".join(f"(sameTerm(?xp, {names.get(p, _n3(p))}) && sameTerm(?xo, {names.get(o, _n3(o))}))"
                                  for p, o in outgoing) or "false"
        allowed_in = " || ".join(f"(sameTerm(?xs, {names.get(s, _n3(s))}) && sameTerm(?xp, {names.get(p, _n3(p))}))"
                                 for s, p in incoming) or "false"
        filters.append(f"FILTER NOT EXISTS {{ {var} ?xp ?xo . FILTER(!({allowed_out})) }}")
        filters.append(f"FILTER NOT EXISTS {{ ?xs ?xp {var} . FILTER(!({allowed_in})) }}")
    body = "\n    ".join(pattern + filters)
    template = "\n".join("  " + line for line in pattern)
    return f"DELETE {{\n{template}\n}}\nWHERE {{ {{ SELECT * WHERE {{\n    {body}\n  }} LIMIT 1 }} }}"


def inverse_update(before_graph: Graph, after_graph: Graph) -> str:
    """The SPARQL Update that turns ``after_graph`` back into ``before_graph``.

    Triples without blank nodes are restored exactly with ``DELETE DATA`` and ``INSERT
    DATA``. Every group of connected blank nodes that the change touched is deleted whole
    (matched by its complete description, one group at a time) and re-inserted whole with
    fresh blank nodes, so the result is isomorphic to ``before_graph`` rather than equal to
    it. Apply it with :func:`apply_scenario` (it is an ordinary scenario).

    Parameters
    ----------
    before_graph : rdflib.Graph
        The graph as it was before the change.
    after_graph : rdflib.Graph
        The graph after the change.

    Returns
    -------
    str
        Scenario text ending with a line break: header lines (label, Japanese label,
        description), then the operations joined by ``;``. With no difference between the
        graphs, only the header.

    Examples
    --------
    >>> from rdflib import Graph
    >>> before = Graph().parse(data="<urn:a> <urn:p> <urn:b> .", format="nt")
    >>> print(inverse_update(before, Graph()), end="")
    # label: inverse of a change
    # label-ja: 変更の取り消し
    # description: Restores the graph as it was before the change (blank nodes up to isomorphism).
    INSERT DATA {
      <urn:a> <urn:p> <urn:b> .
    }
    """
    removed = {t for t in before_graph if t not in after_graph}
    added = {t for t in after_graph if t not in before_graph}
    plain_removed = {t for t in removed if not _blank_nodes([t])}
    plain_added = {t for t in added if not _blank_nodes([t])}
    touched = set(_blank_nodes(removed - plain_removed)) | set(_blank_nodes(added - plain_added))
    operations: list[str] = []
    restore_blank: list[tuple] = []
    for group in _bnode_groups(before_graph, after_graph, touched):
        after_description = _description(after_graph, group)
        if after_description:
            operations.append(_exact_delete(after_description, group))
        restore_blank.extend(_description(before_graph, group))
    if plain_added:
        operations.append(_data_block("DELETE DATA", plain_added))
    if plain_removed:
        operations.append(_data_block("INSERT DATA", plain_removed))
    if restore_blank:
        order = sorted(_blank_nodes(restore_blank), key=str)
        names = {node: f"_:r{position}" for position, node in enumerate(order)}
        operations.append(_data_block("INSERT DATA", restore_blank, names))
    header = ("# label: inverse of a change\n# label-ja: 変更の取り消し\n"
              "# description: Restores the graph as it was before the change (blank nodes up to isomorphism).\n")
    return header + (" ;\n".join(operations) if operations else "") + "\n"


# ==========================================================================================
# Builders for the command line's short options
# ==========================================================================================


def _mint(kind: str, *parts) -> str:
    digest = hashlib.sha1(json.dumps([kind, *parts], sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
    return f"{_MINT}{kind}:{digest[:16]}"


def _as_iri(value: str, model: ChainModel | None, what: str) -> str:
    text = str(value).strip()
    if model is not None:
        try:
            return model.resolve(text, what=what)
        except ChainModelError as error:
            raise ScenarioError(str(error)) from None
    prefix, _, local = text.partition(":")
    if prefix in STANDARD_PREFIXES and local and not local.startswith("//"):
        return STANDARD_PREFIXES[prefix] + local
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$", text):
        return text
    raise ScenarioError(f"{what} {text!r} is not an absolute IRI; give the full IRI (or pass the model to resolve names)")


def _local(iri: str) -> str:
    return re.split(r"[#/:]", iri.rstrip("#/"))[-1] or iri


def _name_of(iri: str, model: ChainModel | None, lang: str) -> str:
    return model.label(iri, lang) if model is not None else _local(iri)


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def _header(label: str, label_ja: str, description: str) -> str:
    def one_line(text: str) -> str:
        return " ".join(text.split())

    return (f"# label: {one_line(label)}\n# label-ja: {one_line(label_ja)}\n"
            f"# description: {one_line(description)}\n")


_PROLOGUE = ("PREFIX cm: <https://w3id.org/chainmodel#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
             "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n")


def remove_element(model: ChainModel, iri: str) -> str:
    """Scenario text removing an element: every triple with it as subject or as object.

    ``iri`` may be an IRI, a prefixed name or a label (resolved against the model). Only
    the operations that match something are written, so the text applies cleanly.

    Parameters
    ----------
    model : ChainModel
        The model the scenario is for; it is only read.
    iri : str
        The element: an IRI, a prefixed name or a label of the model.

    Returns
    -------
    str
        Scenario text: header lines (``Remove`` and the element's English label, the
        Japanese label, a description), then a ``DELETE WHERE`` for each place the element
        has in the model's triples (subject, object, predicate).

    Raises
    ------
    ScenarioError
        ``iri`` names no element of the model, or several (the message says which), or the
        element is in no triple of the model.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> print(remove_element(load_model(["examples/case-b-optout"]), "b:h-request"), end="")
    # label: Remove opt-out request passed on by the hospital
    # label-ja: 当該医療機関を通じた提供停止・削除の求めを削除
    # description: Removes b:h-request and every statement that mentions it.
    DELETE WHERE { <https://example.org/chainmodel/case-b#h-request> ?p ?o }
    """
    target = _as_iri(iri, model, "element")
    node = URIRef(target)
    if not _occurs(model.graph, node):
        raise ScenarioError(f"{model.qname(target)} does not occur in the model: nothing to remove")
    operations = []
    if (node, None, None) in model.graph:
        operations.append(f"DELETE WHERE {{ {node.n3()} ?p ?o }}")
    if (None, None, node) in model.graph:
        operations.append(f"DELETE WHERE {{ ?s ?p {node.n3()} }}")
    if (None, node, None) in model.graph:
        operations.append(f"DELETE WHERE {{ ?s {node.n3()} ?o }}")
    en, ja = model.label(target, "en"), model.label(target, "ja")
    header = _header(f"Remove {en}", f"{ja}を削除",
                     f"Removes {model.qname(target)} and every statement that mentions it.")
    return header + " ;\n".join(operations) + "\n"


_HANDOFF_KINDS = {
    "Report": ("report", "報告"),
    "Instruction": ("instruction", "指示"),
    "DataProvision": ("data provision", "データ提供"),
    "HandOff": ("hand-off", "受け渡し"),
}


def add_handoff(sender: str, receiver: str, duty: str | None, kind: str = "Report", iri: str | None = None, *,
                cadence: str | None = None, model: ChainModel | None = None) -> str:
    """Scenario text adding a hand-off (``cm:Report`` by default) that serves ``duty``.

    Without ``iri`` the hand-off's IRI is minted under ``urn:chainmodel:scenario:handoff:``
    from the arguments. With ``model`` names and labels are resolved against it.

    Parameters
    ----------
    sender, receiver : str
        The parties the hand-off goes from and to (``cm:sender``, ``cm:receiver``).
    duty : str or None
        The duty it serves (``cm:serves``); None or empty for none.
    kind : str, optional
        Its class in ``cm:``: ``"Report"`` (the default), ``"Instruction"``,
        ``"DataProvision"`` or ``"HandOff"``.
    iri : str, optional
        The hand-off's own IRI: an absolute IRI or a name with a standard prefix (``cm:``,
        ``rdfs:`` ...), never resolved against ``model``.
    cadence : str, optional
        An ``xsd:duration`` such as ``P1M``, given as ``cm:cadence``.
    model : ChainModel, optional
        Resolve ``sender``, ``receiver`` and ``duty`` as IRIs, prefixed names or labels of
        this model, and use their labels in the hand-off's labels. Without it they must be
        absolute IRIs or names with a standard prefix, and the labels use the last part of
        each IRI.

    Returns
    -------
    str
        Scenario text: header lines (label, Japanese label, description), the prefixes
        ``cm:``, ``rdfs:`` and ``xsd:``, and one ``INSERT DATA`` giving the hand-off its
        class, English and Japanese labels, sender, receiver and, when given, duty and
        cadence.

    Raises
    ------
    ScenarioError
        ``kind`` is unknown, ``cadence`` is not an ``xsd:duration``, or a name does not
        resolve: against ``model``, it names no element or several; otherwise, and always
        for ``iri``, it is neither an absolute IRI nor a name with a standard prefix.

    Examples
    --------
    >>> print(add_handoff("https://example.org/p", "https://example.org/q", None), end="")
    # label: Add a report from p to q
    # label-ja: pからqへの報告を追加
    # description: Adds a report from p to q.
    PREFIX cm: <https://w3id.org/chainmodel#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
    INSERT DATA {
      <urn:chainmodel:scenario:handoff:2a7862d7bd60934a> a cm:Report ;
        rdfs:label "report from p to q"@en , "pからqへの報告"@ja ;
        cm:sender <https://example.org/p> ;
        cm:receiver <https://example.org/q> .
    }
    """
    if kind not in _HANDOFF_KINDS:
        raise ScenarioError(f"unknown hand-off kind {kind!r}; use one of {', '.join(sorted(_HANDOFF_KINDS))}")
    if cadence is not None and not _DURATION.match(cadence):
        raise ScenarioError(f"cadence {cadence!r} is not an xsd:duration such as P1M")
    s, r = _as_iri(sender, model, "sender"), _as_iri(receiver, model, "receiver")
    d = _as_iri(duty, model, "duty") if duty else None
    target = _as_iri(iri, None, "hand-off IRI") if iri else _mint("handoff", kind, s, r, d, cadence)
    en_kind, ja_kind = _HANDOFF_KINDS[kind]
    label_en = f"{en_kind} from {_name_of(s, model, 'en')} to {_name_of(r, model, 'en')}"
    label_ja = f"{_name_of(s, model, 'ja')}から{_name_of(r, model, 'ja')}への{ja_kind}"
    lines = [f"  <{target}> a cm:{kind} ;",
             f"    rdfs:label {Literal(label_en, lang='en').n3()} , {Literal(label_ja, lang='ja').n3()} ;",
             f"    cm:sender <{s}> ;", f"    cm:receiver <{r}>"]
    if d:
        lines[-1] += " ;"
        lines.append(f"    cm:serves <{d}>")
    if cadence:
        lines[-1] += " ;"
        lines.append(f"    cm:cadence {Literal(cadence, datatype=XSD.duration).n3()}")
    lines[-1] += " ."
    description = f"Adds a {en_kind} from {_local(s)} to {_local(r)}" + (f" serving {_local(d)}." if d else ".")
    return _header(f"Add a {label_en}", f"{label_ja}を追加", description) + _PROLOGUE + \
        "INSERT DATA {\n" + "\n".join(lines) + "\n}\n"


def add_control(covers: Sequence[str], operator: str | Sequence[str], kind: str = "detective",
                notifies: str | Sequence[str] | None = None, latency: str | None = None,
                rules_out_leak: bool | None = None, iri: str | None = None, *,
                model: ChainModel | None = None) -> str:
    """Scenario text adding a detective or preventive control.

    ``operator`` and ``notifies`` take one IRI or several. Without ``iri`` the control's IRI
    is minted under ``urn:chainmodel:scenario:control:`` from the arguments.

    Parameters
    ----------
    covers : str or sequence of str
        The elements the control covers (``cm:covers``); at least one.
    operator : str or sequence of str
        The parties that operate it (``cm:operatedBy``); at least one.
    kind : str, optional
        ``"detective"`` (the default, ``cm:DetectiveControl``) or ``"preventive"``
        (``cm:PreventiveControl``).
    notifies : str or sequence of str, optional
        The parties it tells when it detects (``cm:notifies``); detective controls only.
    latency : str, optional
        How long it takes to detect, an ``xsd:duration`` such as ``P1M`` or ``P0D``
        (``cm:detectionLatency``); detective controls only.
    rules_out_leak : bool, optional
        ``cm:rulesOutLeak``: whether it rules a leak out on its own; preventive controls
        only.
    iri : str, optional
        The control's own IRI: an absolute IRI or a name with a standard prefix, never
        resolved against ``model``.
    model : ChainModel, optional
        As for :func:`add_handoff`: resolve the covered elements, operators and parties to
        notify against this model, and use their labels in the control's labels.

    Returns
    -------
    str
        Scenario text: header lines (label, Japanese label, description), the prefixes
        ``cm:``, ``rdfs:`` and ``xsd:``, and one ``INSERT DATA`` giving the control its
        class, English and Japanese labels, operators, covered elements and whatever else
        was given.

    Raises
    ------
    ScenarioError
        ``kind`` is unknown; no covered element or no operator is given; ``latency`` is not
        an ``xsd:duration``; ``notifies`` or ``latency`` is given for a preventive control,
        or ``rules_out_leak`` for a detective one; or a name does not resolve (as for
        :func:`add_handoff`).
    """
    if kind not in ("detective", "preventive"):
        raise ScenarioError(f"unknown control kind {kind!r}; use 'detective' or 'preventive'")
    covered = [_as_iri(item, model, "covered element") for item in _as_list(covers)]
    operators = [_as_iri(item, model, "operator") for item in _as_list(operator)]
    told = [_as_iri(item, model, "party to notify") for item in _as_list(notifies)]
    if not covered or not operators:
        raise ScenarioError("a control needs at least one covered element and one operator")
    if latency is not None and not _DURATION.match(latency):
        raise ScenarioError(f"latency {latency!r} is not an xsd:duration such as P1M or P0D")
    if kind == "preventive" and (told or latency is not None):
        raise ScenarioError("notifies and latency apply to detective controls only")
    if kind == "detective" and rules_out_leak is not None:
        raise ScenarioError("rules_out_leak applies to preventive controls only")
    target = _as_iri(iri, None, "control IRI") if iri else _mint(
        "control", kind, sorted(covered), sorted(operators), sorted(told), latency, rules_out_leak)
    cls = "DetectiveControl" if kind == "detective" else "PreventiveControl"
    by_en = ", ".join(_name_of(o, model, "en") for o in operators)
    by_ja = "・".join(_name_of(o, model, "ja") for o in operators)
    on_en = ", ".join(_name_of(c, model, "en") for c in covered)
    on_ja = "・".join(_name_of(c, model, "ja") for c in covered)
    label_en = f"{kind} control by {by_en} covering {on_en}"
    label_ja = f"{by_ja}による{'発見的' if kind == 'detective' else '予防的'}管理策（対象：{on_ja}）"
    statements = [f"a cm:{cls}",
                  f"rdfs:label {Literal(label_en, lang='en').n3()} , {Literal(label_ja, lang='ja').n3()}",
                  "cm:operatedBy " + " , ".join(f"<{o}>" for o in operators),
                  "cm:covers " + " , ".join(f"<{c}>" for c in covered)]
    if told:
        statements.append("cm:notifies " + " , ".join(f"<{n}>" for n in told))
    if latency is not None:
        statements.append(f"cm:detectionLatency {Literal(latency, datatype=XSD.duration).n3()}")
    if rules_out_leak is not None:
        statements.append(f"cm:rulesOutLeak {'true' if rules_out_leak else 'false'}")
    body = f"  <{target}> " + " ;\n    ".join(statements) + " ."
    description = f"Adds a {kind} control operated by {', '.join(_local(o) for o in operators)}."
    return _header(f"Add a {label_en}", f"{label_ja}を追加", description) + _PROLOGUE + \
        "INSERT DATA {\n" + body + "\n}\n"


# ==========================================================================================
# Comparing analyses
# ==========================================================================================


@dataclass
class Snapshot:
    """Every analysis of one model, reduced to strings and ints.

    * ``spof``: (element, harm key) pairs that leak through on their own;
    * ``cut_orders``: harm key -> element -> the order of the element's smallest minimal cut
      set (up to ``order``; element ``""`` with order 0 means the harm happens with no failure);
    * ``harms``: harm key -> kind, flow, guard;
    * ``leaks``: harm key -> its leak path (the flows the data takes), for the harms that
      have a cut set of order 1;
    * ``blast``: element -> {"" (all principals): known subjects, principal: subjects};
    * ``findings``: (rule, focus) pairs of ``validate`` (empty when it is not available);
    * ``chains``: duty -> the consignment IRIs of each responsibility chain;
    * ``windows``: incident -> "" (as it happened) or a detective control -> the exposure
      window (start, end) it leaves, dates as written (end "" while open), from
      :func:`chainmodel.timeline.timeline`.
    """

    order: int
    spof: list[tuple[str, str]] = field(default_factory=list)
    cut_orders: dict[str, dict[str, int]] = field(default_factory=dict)
    harms: dict[str, dict[str, str]] = field(default_factory=dict)
    leaks: dict[str, tuple[str, ...]] = field(default_factory=dict)
    blast: dict[str, dict[str, int]] = field(default_factory=dict)
    findings: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    chains: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    validated: bool = False
    windows: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)


def _windows(view) -> dict[str, dict[str, tuple[str, str]]]:
    """incident -> "" or control -> (start, end) of the window it leaves (see Snapshot)."""
    from .timeline import timeline

    def pair(window) -> tuple[str, str]:
        if window is None:
            return ("", "")
        start = window.start.text if window.start else ""
        return (start, window.end.text if window.end is not None else "")

    found = {}
    for incident in sorted(view.incidents):
        result = timeline(view, incident)
        entry = {"": pair(result.window)}
        entry.update({c.control: pair(c.window) for c in result.controls if c.window is not None})
        found[incident] = entry
    return found


def _validator():
    try:
        from . import validate as module
    except ImportError:
        return None
    return getattr(module, "validate", None)


def snapshot(model: ChainModel, order: int = 2, validation: bool = True) -> Snapshot:
    """Run every analysis on ``model`` and keep what :func:`compare` compares.

    Parameters
    ----------
    model : ChainModel
    order : int, optional
        The most events a minimal cut set may have (default 2), as
        :func:`chainmodel.cutsets.minimal_cut_sets`.
    validation : bool, optional
        Also validate the model (:func:`chainmodel.validate.validate`, SHACL shapes
        included) and keep its findings (default True); skipped when
        :mod:`chainmodel.validate` cannot be imported.

    Returns
    -------
    Snapshot
        Every analysis reduced to strings and ints; ``validated`` says whether the findings
        were gathered.

    Raises
    ------
    ArgumentError
        ``order`` is not an int of 1 or more; or, once the model has a harm, more than
        :data:`chainmodel.cutsets.MAX_ORDER`.
    """
    from .blast import blast_rank
    from .cutsets import minimal_cut_sets
    from .failures import EXPOSURE_KINDS, iter_harms
    from .leaks import leak_for
    from .trace import trace_all
    from .views import chain_view

    if not isinstance(order, int) or order < 1:
        raise ArgumentError(f"the order of a cut set must be a whole number of 1 or more, not {order!r}")
    view = chain_view(model)
    result = Snapshot(order=order)
    spof: set[tuple[str, str]] = set()
    for harm in iter_harms(view):
        result.harms[harm.key] = {"kind": harm.kind, "flow": harm.flow or "", "guard": harm.guard or ""}
        orders: dict[str, int] = {}
        cuts = minimal_cut_sets(harm, order=order)
        for cut in cuts:
            if not cut:
                orders[""] = 0
            for event in cut:
                orders[event] = min(orders.get(event, len(cut)), len(cut))
        result.cut_orders[harm.key] = dict(sorted(orders.items()))
        leaking = False
        for cut in cuts:
            if len(cut) == 0:
                leaking = True
            elif len(cut) == 1:
                if leak_for(view, harm, cut[0]).modes:
                    spof.add((cut[0], harm.key))
                    leaking = True
        if leaking:
            if harm.kind in EXPOSURE_KINDS:
                flows = ((harm.flow,) if harm.flow else ()) + tuple(harm.downstream)
            else:
                flows = tuple(harm.downstream)
            result.leaks[harm.key] = flows
    result.spof = sorted(spof)
    result.windows = _windows(view)
    for blast in blast_rank(view):
        entry = {"": blast.exposure.known_subjects}
        entry.update({item.principal: item.people.count.low if item.people else 0
                      for item in blast.exposure.principals})
        result.blast[blast.element] = dict(sorted(entry.items()))
    result.blast = dict(sorted(result.blast.items()))
    for trace in trace_all(view):
        result.chains[trace.duty] = tuple(sorted(tuple(link.consignment for link in chain.links)
                                                 for chain in trace.chains))
    if validation:
        validate = _validator()
        if validate is not None:
            result.findings = sorted({(finding.rule, tuple(finding.focus)) for finding in validate(view)})
            result.validated = True
    return result


@dataclass
class ScenarioDiff:
    """What one scenario changes, compared with the base model.

    Cut set orders and blast radius counts are ``None`` where there is none (the element is
    in no minimal cut set up to the order, the harm or element does not exist).
    """

    name: str
    label: str
    label_ja: str
    description: str
    spof_removed: list[tuple[str, str]] = field(default_factory=list)
    spof_added: list[tuple[str, str]] = field(default_factory=list)
    spof_stays: list[tuple[str, str]] = field(default_factory=list)
    cutset_order_changes: list[tuple[str, str, int | None, int | None]] = field(default_factory=list)
    leaks_closed: list[str] = field(default_factory=list)
    leaks_opened: list[str] = field(default_factory=list)
    blast_changes: list[tuple[str, str, int | None, int | None]] = field(default_factory=list)
    findings_added: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    findings_resolved: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    chains_changed: list[tuple[str, tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]]] = field(
        default_factory=list)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    harms: dict[str, dict[str, str]] = field(default_factory=dict)
    leak_flows: dict[str, tuple[str, ...]] = field(default_factory=dict)
    harms_ended: list[str] = field(default_factory=list)
    """Harms of the base model the scenario leaves no way to happen (a removed hand-off or copy)."""
    harms_started: list[str] = field(default_factory=list)
    window_changes: list[tuple[str, str, tuple[str, str] | None, tuple[str, str] | None]] = field(default_factory=list)
    """(incident, "" or detective control, window before, window after): exposure windows that change."""

    @property
    def unavoidable(self) -> set[str]:
        """Harms that, in this scenario, happen with no failure at all (an order-0 cut set)."""
        return {harm for harm, element, _before, after in self.cutset_order_changes if element == "" and after == 0}

    @property
    def unchanged(self) -> bool:
        return not any((self.spof_removed, self.spof_added, self.cutset_order_changes, self.leaks_closed,
                        self.leaks_opened, self.blast_changes, self.findings_added, self.findings_resolved,
                        self.chains_changed, self.harms_ended, self.harms_started, self.window_changes))


@dataclass
class WhatIfReport:
    """The base model's analyses and each scenario's differences."""

    order: int
    base: Snapshot
    scenarios: list[ScenarioDiff] = field(default_factory=list)
    validated: bool = False


def _diff(base: Snapshot, after: Snapshot, scenario: Scenario, changed: ChainModel, model: ChainModel) -> ScenarioDiff:
    diff = ScenarioDiff(name=scenario.name, label=scenario.label, label_ja=scenario.label_ja,
                        description=scenario.description)
    before_spof, after_spof = set(base.spof), set(after.spof)
    diff.spof_removed = sorted(before_spof - after_spof)
    diff.spof_added = sorted(after_spof - before_spof)
    diff.spof_stays = sorted(before_spof & after_spof)
    for harm in sorted(set(base.cut_orders) & set(after.cut_orders)):
        old, new = base.cut_orders[harm], after.cut_orders[harm]
        for element in sorted(set(old) | set(new)):
            if old.get(element) != new.get(element):
                diff.cutset_order_changes.append((harm, element, old.get(element), new.get(element)))
    diff.leaks_closed = sorted(set(base.leaks) - set(after.leaks))
    diff.leaks_opened = sorted(set(after.leaks) - set(base.leaks))
    for element in sorted(set(base.blast) | set(after.blast)):
        old, new = base.blast.get(element, {}), after.blast.get(element, {})
        for principal in sorted(set(old) | set(new)):
            if old.get(principal) != new.get(principal):
                diff.blast_changes.append((element, principal, old.get(principal), new.get(principal)))
    if base.validated and after.validated:
        diff.findings_added = sorted(set(after.findings) - set(base.findings))
        diff.findings_resolved = sorted(set(base.findings) - set(after.findings))
    for duty in sorted(set(base.chains) | set(after.chains)):
        old_chains, new_chains = base.chains.get(duty, ()), after.chains.get(duty, ())
        if old_chains != new_chains:
            diff.chains_changed.append((duty, old_chains, new_chains))
    diff.harms = {key: dict(value) for key, value in sorted(after.harms.items()) if key not in base.harms}
    diff.harms_ended = sorted(set(base.harms) - set(after.harms))
    diff.harms_started = sorted(set(after.harms) - set(base.harms))
    for incident in sorted(set(base.windows) | set(after.windows)):
        old, new = base.windows.get(incident, {}), after.windows.get(incident, {})
        for key in sorted(set(old) | set(new)):
            if old.get(key) != new.get(key):
                diff.window_changes.append((incident, key, old.get(key), new.get(key)))
    diff.leak_flows = {key: after.leaks[key] for key in diff.leaks_opened}
    # labels of the elements only the scenario knows (new controls, hand-offs ...)
    mentioned: set[str] = set()
    for element, harm in diff.spof_added:
        mentioned |= {element, *harm.split("|")}
    for harm, element, _, _ in diff.cutset_order_changes:
        mentioned.add(element)
    for key in diff.leaks_opened:
        mentioned |= set(key.split("|")) | set(after.leaks[key])
    for element, principal, _, _ in diff.blast_changes:
        mentioned |= {element, principal}
    for rule, focus in diff.findings_added:
        mentioned |= set(focus)
    for duty, _, new_chains in diff.chains_changed:
        mentioned |= {duty} | {iri for chain in new_chains for iri in chain}
    mentioned |= {key for _, key, _, _ in diff.window_changes} | set(diff.harms_started)
    for iri in sorted(mentioned):
        if iri and not model.labels(iri) and changed.labels(iri):
            diff.labels[iri] = dict(sorted(changed.labels(iri).items()))
    return diff


def compare(model: ChainModel, scenarios: Sequence[Scenario], order: int = 2, validation: bool = True, *,
            timeout: float = DEFAULT_TIMEOUT, memory: int = DEFAULT_MEMORY) -> WhatIfReport:
    """Apply each scenario to a copy of ``model`` and compare every analysis with the base.

    Scenarios are applied independently (each to the base model), in the order given, each
    with ``timeout`` seconds and ``memory`` bytes (see :func:`apply_scenario`).

    Parameters
    ----------
    model : ChainModel
        The base model; it is only read.
    scenarios : sequence of Scenario
        From :func:`load_scenario` or :meth:`Scenario.from_text`.
    order : int, optional
        The most events a minimal cut set may have (default 2), as :func:`snapshot`.
    validation : bool, optional
        Also compare validation findings (default True), as :func:`snapshot`.
    timeout : float, optional
        Seconds each scenario's child may take (default
        :data:`chainmodel.safety.DEFAULT_TIMEOUT`).
    memory : int, optional
        Bytes each scenario's child may add to what it had when forked (default
        :data:`chainmodel.safety.DEFAULT_MEMORY`).

    Returns
    -------
    WhatIfReport
        ``base`` is the :func:`snapshot` of ``model``, ``scenarios`` one
        :class:`ScenarioDiff` per scenario in the order given; findings are compared only
        when both sides were validated.

    Raises
    ------
    ScenarioError, ScenarioTimeout, LimitExceeded, ChainModelError
        As :func:`apply_scenario`, for the first scenario that fails; no report is returned.
    ArgumentError
        As :func:`snapshot`: ``order`` is out of range.
    """
    base = snapshot(model, order=order, validation=validation)
    report = WhatIfReport(order=order, base=base, validated=base.validated)
    for scenario in scenarios:
        changed = apply_scenario(model, scenario, timeout=timeout, memory=memory)
        after = snapshot(changed, order=order, validation=validation)
        report.scenarios.append(_diff(base, after, scenario, changed, model))
    return report


# ==========================================================================================
# Rendering
# ==========================================================================================

