"""A fast evaluator for the SHACL Core subset ``ontologies/shapes.ttl`` uses.

pySHACL is the reference; it copies the model and walks it node by node, which takes
minutes past a million triples and cannot read a store. This evaluator reads the same
shapes file and scans each property of the model once, so it is linear in the model and
works on every backend. ``tests/test_shapes.py`` checks that it reports exactly what
pySHACL reports on the examples, on broken inputs and on generated models.

Supported: node shapes with ``sh:targetClass`` (following ``rdfs:subClassOf``) or
``sh:targetObjectsOf``; ``sh:property`` with a single-IRI ``sh:path``; ``sh:minCount``,
``sh:maxCount``, ``sh:class``, ``sh:datatype``, ``sh:in``, ``sh:nodeKind``,
``sh:minInclusive``, ``sh:or`` (of value constraints) and node-level ``sh:xone`` (of
property shapes). A shape using anything else raises ``NotImplementedError`` at load time,
so the shapes file can never silently outgrow this evaluator.

Examples
--------
>>> from rdflib import Graph
>>> model = Graph().parse(format="turtle", data='''
...     @prefix cm: <https://w3id.org/chainmodel#> .
...     <urn:ex:c1> a cm:Consignment .
... ''')
>>> sorted(str(result.path).rsplit("#")[1] for result in evaluate(model))
['consignee', 'consignor']
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property, lru_cache
from itertools import chain
from typing import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

__all__ = ["Result", "evaluate", "SUPPORTED"]

SUPPORTED = {
    SH.targetClass, SH.targetObjectsOf, SH.property, SH.path, SH.minCount, SH.maxCount, SH["class"],
    SH.datatype, SH["in"], SH.nodeKind, SH.minInclusive, SH["or"], SH.xone, SH.message, SH.severity,
    RDF.type, RDFS.label, RDFS.comment,
}
_XSD_STRING = XSD.string
_LANG_STRING = RDF.langString


@dataclass(frozen=True)
class Result:
    """One validation result, as pySHACL would report it."""

    severity: URIRef
    focus: object
    path: URIRef | None
    value: object
    messages: tuple[Literal, ...]


@dataclass(frozen=True)
class _Values:
    """Value constraints of one shape (all must hold for each value)."""

    classes: tuple[URIRef, ...] = ()
    datatype: URIRef | None = None
    allowed: tuple | None = None
    node_kind: URIRef | None = None
    min_inclusive: Literal | None = None
    alternatives: tuple["_Values", ...] = ()

    @cached_property
    def class_names(self) -> tuple[str, ...]:
        return tuple(str(cls) for cls in self.classes)  # the scans' keys are str

    @cached_property
    def _others(self) -> bool:
        return (self.datatype is not None or self.allowed is not None or self.node_kind is not None
                or self.min_inclusive is not None or bool(self.alternatives))

    @property
    def any(self) -> bool:
        """Some constraint applies to each value."""
        return bool(self.classes) or self._others

    @property
    def only_classes(self) -> bool:
        """Only sh:class constraints apply (checked inline, the common case)."""
        return bool(self.classes) and not self._others


@dataclass(frozen=True)
class _Property:
    shape: object
    path: URIRef
    min_count: int | None
    max_count: int | None
    values: _Values
    severity: URIRef
    messages: tuple[Literal, ...]


@dataclass(frozen=True)
class _NodeShape:
    shape: object
    target_classes: tuple[URIRef, ...]
    target_objects_of: tuple[URIRef, ...]
    properties: tuple[_Property, ...]
    xone: tuple[_Property, ...]
    severity: URIRef
    messages: tuple[Literal, ...]


def _check_supported(shapes: Graph, node) -> None:
    for predicate in set(shapes.predicates(node)):
        if predicate not in SUPPORTED and str(predicate).startswith(str(SH)):
            raise NotImplementedError(f"the fast SHACL evaluator does not support {predicate} (shape {node})")


def _values_of(shapes: Graph, node) -> _Values:
    alternatives = ()
    either = shapes.value(node, SH["or"])
    if either is not None:
        alternatives = tuple(_values_of(shapes, member) for member in Collection(shapes, either))
    allowed = shapes.value(node, SH["in"])
    return _Values(
        classes=tuple(sorted(shapes.objects(node, SH["class"]))),
        datatype=shapes.value(node, SH.datatype),
        allowed=tuple(Collection(shapes, allowed)) if allowed is not None else None,
        node_kind=shapes.value(node, SH.nodeKind),
        min_inclusive=shapes.value(node, SH.minInclusive),
        alternatives=alternatives,
    )


def _property(shapes: Graph, node, inherited_messages=()) -> _Property:
    _check_supported(shapes, node)
    path = shapes.value(node, SH.path)
    if not isinstance(path, URIRef):
        raise NotImplementedError(f"the fast SHACL evaluator needs a single IRI as sh:path (shape {node})")
    min_count, max_count = shapes.value(node, SH.minCount), shapes.value(node, SH.maxCount)
    return _Property(
        shape=node,
        path=path,
        min_count=int(min_count) if min_count is not None else None,
        max_count=int(max_count) if max_count is not None else None,
        values=_values_of(shapes, node),
        severity=shapes.value(node, SH.severity) or SH.Violation,
        messages=tuple(sorted(shapes.objects(node, SH.message))) or inherited_messages,
    )


@lru_cache(maxsize=None)
def _node_shapes(shapes: Graph) -> tuple[_NodeShape, ...]:
    found = []
    for node in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        _check_supported(shapes, node)
        messages = tuple(sorted(shapes.objects(node, SH.message)))
        xone = shapes.value(node, SH.xone)
        found.append(_NodeShape(
            shape=node,
            target_classes=tuple(sorted(shapes.objects(node, SH.targetClass))),
            target_objects_of=tuple(sorted(shapes.objects(node, SH.targetObjectsOf))),
            properties=tuple(_property(shapes, p) for p in sorted(shapes.objects(node, SH.property), key=str)),
            xone=tuple(_property(shapes, p, messages) for p in Collection(shapes, xone)) if xone is not None else (),
            severity=shapes.value(node, SH.severity) or SH.Violation,
            messages=messages,
        ))
    return tuple(found)


def _is_number(value: Literal) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _key(node) -> str | None:
    """The key a node has in the scans: its IRI, ``_:label`` for a blank node, None for a literal."""
    if isinstance(node, URIRef):
        return str(node)
    if isinstance(node, BNode):
        return f"_:{node}"
    return None


def _node(key: str):
    return BNode(key[2:]) if key.startswith("_:") else URIRef(key)


class _Model:
    """The model's triples for the properties the shapes name, scanned once each.

    ``scans`` and ``types`` may come from a :class:`~chainmodel.views.ChainView`, which has
    read the same predicates already (keys are IRIs and ``_:label`` for blank nodes).
    """

    def __init__(self, graph, superclasses: dict[str, frozenset[str]], scans: dict | None = None,
                 types: dict | None = None, target_classes: Iterable[str] = ()):
        self.graph = graph
        self.target_classes = frozenset(map(str, target_classes))
        self._tables: dict[str, dict] = scans if scans is not None else {}
        if types is None:
            found: dict[str, set[str]] = defaultdict(set)
            for subject, cls in graph.subject_objects(RDF.type):
                key = _key(subject)
                if key is not None:
                    found[key] |= superclasses.get(str(cls), frozenset({str(cls)}))
            types = found
        self.types = types

    def values(self, predicate: URIRef) -> dict:
        name = str(predicate)
        if name not in self._tables:
            own = getattr(self.graph, "table", None)  # a backend kept as tables hands its own over
            if own is not None:
                self._tables[name] = own(predicate)
                return self._tables[name]
            table: dict = defaultdict(list)
            for subject, value in self.graph.subject_objects(predicate):
                key = _key(subject)
                if key is not None:
                    table[key].append(value)
            self._tables[name] = table
        return self._tables[name]

    def classes_of(self, value) -> frozenset[str] | set[str]:
        key = _key(value)
        return self.types.get(key, frozenset()) if key is not None else frozenset()

    def instances(self, cls: URIRef) -> list[str]:
        return self._instances.get(str(cls), [])

    @cached_property
    def _instances(self) -> dict[str, list[str]]:
        """Class -> its instances, for the classes the shapes target, in one pass over the types."""
        wanted = self.target_classes
        found: dict[str, list[str]] = defaultdict(list)
        for key, classes in self.types.items():
            if not wanted.isdisjoint(classes):
                for cls in wanted.intersection(classes):
                    found[cls].append(key)
        return found


def _value_ok(model: _Model, constraint: _Values, value) -> list[bool]:
    """One verdict per constraint that applies (False where it fails)."""
    verdicts = []
    if constraint.class_names:
        classes = model.classes_of(value)
        verdicts.extend(name in classes for name in constraint.class_names)
    if constraint.datatype is not None:
        if isinstance(value, Literal):
            datatype = value.datatype or (_LANG_STRING if value.language else _XSD_STRING)
            verdicts.append(datatype == constraint.datatype and not getattr(value, "ill_typed", False))
        else:
            verdicts.append(False)
    if constraint.allowed is not None:
        verdicts.append(value in constraint.allowed)
    if constraint.node_kind is not None:
        kinds = {SH.BlankNodeOrIRI: (BNode, URIRef), SH.IRI: (URIRef,), SH.BlankNode: (BNode,),
                 SH.Literal: (Literal,), SH.BlankNodeOrLiteral: (BNode, Literal), SH.IRIOrLiteral: (URIRef, Literal)}
        verdicts.append(isinstance(value, kinds[constraint.node_kind]))
    if constraint.min_inclusive is not None:
        number, bound = (_is_number(value) if isinstance(value, Literal) else None), _is_number(constraint.min_inclusive)
        verdicts.append(number is not None and bound is not None and number >= bound)
    if constraint.alternatives:
        verdicts.append(any(all(_value_ok(model, member, value)) for member in constraint.alternatives))
    return verdicts


def _check_property(model: _Model, focus, prop: _Property, results: list) -> None:
    """Append the results of one property shape on ``focus`` (a scan key, IRI or ``_:label``, or a literal)."""
    if type(focus) is str:
        _check_all(model, {focus}, (), prop, results)
    else:
        _check_all(model, set(), (focus,), prop, results)


def _check_all(model: _Model, keys: set[str], literals: Iterable, prop: _Property, results: list) -> None:
    """Append the results of one property shape on every focus node.

    Focus nodes are scan ``keys`` (IRIs, ``_:label``) and ``literals`` (their own nodes, with
    no values). This is the inner loop of validation, so it works a table at a time: missing
    values by set difference, and value constraints checked once per distinct value; only
    when a value fails are the focus nodes that carry it looked for.
    """
    table = model.values(prop.path)
    min_count, max_count, constraint = prop.min_count, prop.max_count, prop.values

    def report(focus, value=None) -> None:
        node = _node(focus) if type(focus) is str else focus
        results.append(Result(prop.severity, node, prop.path, value, prop.messages))

    # Loops run over the focus nodes, never over the whole table: one focus node (sh:xone
    # checks them one by one) must cost one look-up, not a pass over millions of subjects.
    if min_count:
        for focus in literals:
            report(focus)
        for focus in keys:
            if not table.get(focus):
                report(focus)
    present = [focus for focus in keys if table.get(focus)]
    if min_count is not None and min_count > 1 or max_count is not None:
        for focus in present:
            values = table[focus]
            count = len(values) if len(values) == 1 else len(set(values))
            if min_count is not None and count < min_count:
                report(focus)
            if max_count is not None and count > max_count:
                report(focus)
    if not constraint.any or not present:
        return
    # Each value object once (by identity: rdflib hashes a literal in Python, slowly; a
    # scan shares one object per distinct term). Equal values get equal verdicts.
    if len(present) == len(table):
        objects = {id(value): value for value in chain.from_iterable(table.values())}
    else:
        objects = {id(value): value for value in chain.from_iterable(table[focus] for focus in present)}
    failing: dict[int, int] = {}  # id of a value -> how many of its constraints fail
    if constraint.only_classes:
        types = model.types
        for ident, value in objects.items():
            key = _key(value)
            classes = types.get(key, ()) if key is not None else ()
            misses = sum(1 for name in constraint.class_names if name not in classes)
            if misses:
                failing[ident] = misses
    else:
        for ident, value in objects.items():
            misses = sum(1 for verdict in _value_ok(model, constraint, value) if not verdict)
            if misses:
                failing[ident] = misses
    if not failing:
        return
    for focus in present:
        values = table[focus]
        if any(id(value) in failing for value in values):
            for value in set(values):
                for _ in range(failing[id(value)] if id(value) in failing else 0):
                    report(focus, value)


def _conforms(model: _Model, focus, prop: _Property) -> bool:
    found: list[Result] = []
    _check_property(model, focus, prop, found)
    return not found


def _shipped_shapes() -> Graph:
    from .shacl import _parsed

    return _parsed("shapes.ttl")


def read_shape_predicates(graph, scans: dict, types: dict, shapes: Graph | None = None) -> dict:
    """Add to ``scans`` every predicate the shapes read that is not there yet; return ``scans``.

    A chain view's scans then hold all that :func:`evaluate` needs, so a view saved with
    them can be validated without reading the graph again.
    """
    model = _Model(graph, {}, scans, types)
    for shape in _node_shapes(shapes if shapes is not None else _shipped_shapes()):
        for predicate in shape.target_objects_of + tuple(p.path for p in shape.properties + shape.xone):
            model.values(predicate)
    return scans


def evaluate(graph, shapes: Graph | None = None, superclasses: dict[str, frozenset[str]] | None = None, *,
             scans: dict | None = None, types: dict | None = None) -> list[Result]:
    """Every validation result of ``graph`` against the shapes (default: the shipped ones).

    ``scans`` and ``types`` (from a chain view) save reading the graph a second time.
    """
    if shapes is None:
        shapes = _shipped_shapes()
    if superclasses is None and types is None:
        from .views import superclass_closure

        superclasses = superclass_closure(graph)
    node_shapes = _node_shapes(shapes)
    model = _Model(graph, superclasses or {}, scans, types,
                   target_classes={cls for shape in node_shapes for cls in shape.target_classes})
    results: list[Result] = []
    for shape in node_shapes:
        focus_nodes: set = set()
        for cls in shape.target_classes:
            focus_nodes.update(model.instances(cls))
        for predicate in shape.target_objects_of:
            for values in model.values(predicate).values():
                focus_nodes.update(_key(value) or value for value in values)
        keys = {focus for focus in focus_nodes if type(focus) is str}
        literals = [focus for focus in focus_nodes if type(focus) is not str]
        for prop in shape.properties:
            _check_all(model, keys, literals, prop, results)
        for focus in sorted(focus_nodes, key=str) if shape.xone else ():
            if sum(_conforms(model, focus, p) for p in shape.xone) != 1:
                node = _node(focus) if type(focus) is str else focus
                results.append(Result(shape.severity, node, None, node, shape.messages))
    results.sort(key=lambda r: (str(r.focus), str(r.path or ""), "" if r.value is None else str(r.value), str(r.severity)))
    return results
