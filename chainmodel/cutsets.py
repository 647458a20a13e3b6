"""Minimal cut sets of each harm, from its reliability graph, by dominators.

A cut set is a set of failure events that together cause the harm; it is minimal when no
smaller part of it does. Order 1 cut sets are the single points of failure. Level by
level: the events whose node dominates T (every S-T path passes through it) in the graph
left after removing a smaller non-cut set extend that set to a cut. Events drawn at several
places (a control covering several elements, a duty with several performers) are checked
directly. ``tests/test_cutsets.py`` compares the result with brute-force enumeration.

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.views import chain_view
>>> from chainmodel.failures import harms
>>> view = chain_view(load_model(["examples/case-a-laptop"]))
>>> laptop = harms(view)[0]
>>> minimal_cut_sets(laptop, order=2)
[('https://example.org/chainmodel/case-a#laptop',)]
"""

from __future__ import annotations

from .errors import ArgumentError

from itertools import combinations

from .failures import SINK, SOURCE, Harm, harm_occurs

__all__ = ["minimal_cut_sets", "single_points", "MAX_ORDER"]


def _dominators_of_sink(harm: Harm, removed: set) -> set | None:
    """Nodes on every S-T path once ``removed`` is gone (None if T is already cut off).

    The iterative algorithm of Cooper, Harvey and Kennedy ("A Simple, Fast Dominance
    Algorithm") over the harm's small graph.
    """
    succ = harm.successors
    order: list = []
    seen = {SOURCE}
    stack = [(SOURCE, iter(succ.get(SOURCE, ())))]
    while stack:
        node, children = stack[-1]
        for child in children:
            if child not in seen and child not in removed:
                seen.add(child)
                stack.append((child, iter(succ.get(child, ()))))
                break
        else:
            stack.pop()
            order.append(node)
    if SINK not in seen:
        return None
    number = {node: i for i, node in enumerate(order)}
    preds: dict = {node: [] for node in seen}
    for node in seen:
        for child in succ.get(node, ()):
            if child in seen:
                preds[child].append(node)
    idom = {SOURCE: SOURCE}

    def meet(a, b):
        while a != b:
            while number[a] < number[b]:
                a = idom[a]
            while number[b] < number[a]:
                b = idom[b]
        return a

    changed = True
    while changed:
        changed = False
        for node in reversed(order[:-1]):
            new = None
            for pred in preds[node]:
                if pred in idom:
                    new = pred if new is None else meet(pred, new)
            if idom.get(node) != new:
                idom[node] = new
                changed = True
    chain = set()
    node = SINK
    while node != SOURCE:
        node = idom[node]
        chain.add(node)
    return chain


def _dominating_events(harm: Harm, removed_events: frozenset[str]) -> set[str]:
    """Events that, added to ``removed_events`` (a non-cut set), cut S from T."""
    removed_nodes = {node for event in removed_events for node in harm.event_nodes.get(event, ())}
    chain = _dominators_of_sink(harm, removed_nodes) or set()
    found: set[str] = set()
    for event, nodes in harm.event_nodes.items():
        if event in removed_events:
            continue
        if len(nodes) == 1:
            if nodes[0] in chain:
                found.add(event)
        elif harm_occurs(harm, removed_events | {event}):
            found.add(event)
    return found


MAX_ORDER = 4
"""The largest cut set searched for: each order multiplies the candidates by the elements."""


def minimal_cut_sets(harm: Harm, order: int = 2) -> list[tuple[str, ...]]:
    """Every minimal cut set of the harm with at most ``order`` events, sorted.

    ``[()]`` means the harm happens with no failure at all (the model cannot prevent it).

    Parameters
    ----------
    harm : Harm
        A harm from :func:`chainmodel.failures.iter_harms`.
    order : int, optional
        The most events a cut set may have: an int from 1 to :data:`MAX_ORDER` (default 2).

    Returns
    -------
    list of tuple of str
        Each cut set as its failure event IRIs, sorted; the sets sorted by size, then by
        their events.

    Raises
    ------
    ArgumentError
        ``order`` is not an int from 1 to :data:`MAX_ORDER`.

    Examples
    --------
    >>> from chainmodel.errors import ArgumentError
    >>> from chainmodel.failures import harms
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> laptop = harms(chain_view(load_model(["examples/case-a-laptop"])))[0]
    >>> try:
    ...     minimal_cut_sets(laptop, order=5)
    ... except ArgumentError as error:
    ...     str(error).split(" (")[0]
    'the order of a cut set must be a whole number between 1 and 4, not 5'
    """
    if not isinstance(order, int) or not 1 <= order <= MAX_ORDER:
        raise ArgumentError(f"the order of a cut set must be a whole number between 1 and {MAX_ORDER}, not {order!r} "
                            "(the sets grow combinatorially past it)")
    if harm_occurs(harm, frozenset()):
        return [()]
    cuts: set[frozenset[str]] = set()
    level: list[frozenset[str]] = [frozenset()]
    for size in range(1, order + 1):
        next_level: set[frozenset[str]] = set()
        for base in level:
            for event in _dominating_events(harm, base):
                candidate = base | {event}
                if all(frozenset(part) not in cuts and not _contains_cut(frozenset(part), cuts)
                       for part in combinations(sorted(candidate), size - 1)):
                    cuts.add(candidate)
        if size == order:
            break
        # extend every non-cut set of this size by one more event
        events = harm.events
        for base in level:
            for event in events:
                if event in base:
                    continue
                candidate = base | {event}
                if len(candidate) == size and not _contains_cut(candidate, cuts):
                    next_level.add(candidate)
        level = sorted(next_level, key=sorted)
    return sorted((tuple(sorted(cut)) for cut in cuts), key=lambda cut: (len(cut), cut))


def _contains_cut(candidate: frozenset[str], cuts: set[frozenset[str]]) -> bool:
    return any(cut <= candidate for cut in cuts)


def single_points(harm: Harm) -> list[str]:
    """The events that cause the harm on their own (order 1 cut sets), sorted.

    The same as the singletons of ``minimal_cut_sets(harm, 1)``, without the bookkeeping of
    larger orders: this runs once per harm of the model.

    Parameters
    ----------
    harm : Harm
        A harm from :func:`chainmodel.failures.iter_harms`.

    Returns
    -------
    list of str
        The IRIs of the failure events that each cause the harm alone, sorted; empty when the
        harm happens with no failure at all (:func:`minimal_cut_sets` gives ``[()]`` then).

    Examples
    --------
    >>> from chainmodel.failures import harms
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> laptop = harms(chain_view(load_model(["examples/case-a-laptop"])))[0]
    >>> single_points(laptop)
    ['https://example.org/chainmodel/case-a#laptop']
    """
    if harm_occurs(harm, frozenset()):
        return []
    return sorted(_dominating_events(harm, frozenset()))
