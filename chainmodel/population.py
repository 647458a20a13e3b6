"""How many people (or households, records, companies) a set of data assets is about.

Assets are not added up blindly. Each asset says what it counts (``cm:unit``, people by
default) and how its count is meant (``cm:countQualifier``: exactly, about, at most, at
least); assets say how their populations relate (``cm:subsetOf``, ``cm:samePopulationAs``,
``cm:disjointFrom``, ``cm:overlapsWith``; unknown when nothing is said). The population a
set of assets reaches is their *union*, per unit:

* an asset that is part of another one reached adds nothing;
* assets about the same population count once;
* assets stated disjoint add up;
* otherwise the union lies between the largest count and the sum of the counts, and the
  answer says so, with the reason ("the model does not say how A and B overlap").

Counts of different units are never added. An unknown count is unknown, never 0: it leaves
the union without an upper bound.

Examples
--------
>>> register = Item("urn:register", Count.exactly(10_000))
>>> tax = Item("urn:tax", Count.exactly(8_000))
>>> union([register, tax], Relations()).count
Count(low=10000, high=18000, approximate=False, known=True)
>>> union([register, tax], Relations(subsets={"urn:tax": {"urn:register"}})).count
Count(low=10000, high=10000, approximate=False, known=True)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from typing import Iterable, Mapping

__all__ = ["Count", "Item", "Relations", "Union", "union", "REASONS"]

REASONS = ("overlap-unknown", "overlap-stated", "count-unknown", "count-at-most", "count-at-least",
           "count-approximate", "counts-disagree")
"""Why a union is given as bounds rather than one figure (codes; the catalogue words them)."""

_EXACT_CLIQUE_LIMIT = 40
"""Up to this many assets, the lower bound is the heaviest set of pairwise-disjoint assets."""


@dataclass(frozen=True)
class Count:
    """A number of people (or other units), exact or between bounds.

    Attributes
    ----------
    low : int
        At least this many.
    high : int or None
        At most this many; None when no upper bound is known.
    approximate : bool
        The figure is "about" so many.
    known : bool
        False when the sources give no count at all ("unknown", which is never 0).
    """

    low: int
    high: int | None
    approximate: bool = False
    known: bool = True

    @staticmethod
    def exactly(number: int) -> "Count":
        return Count(number, number)

    @staticmethod
    def unknown() -> "Count":
        return Count(0, None, known=False)

    @staticmethod
    def stated(number: int | None, qualifier: str | None = None) -> "Count":
        """Read a stated count with its qualifier (``"about"``, ``"at-most"``, ``"at-least"`` or None).

        >>> Count.stated(40_000, "at-most")
        Count(low=0, high=40000, approximate=False, known=True)
        """
        if number is None:
            return Count.unknown()
        if qualifier == "about":
            return Count(number, number, approximate=True)
        if qualifier == "at-most":
            return Count(0, number)
        if qualifier == "at-least":
            return Count(number, None)
        return Count(number, number)

    @property
    def exact(self) -> bool:
        """True when the count is one figure, not approximate."""
        return self.known and self.high == self.low and not self.approximate

    @property
    def figure(self) -> int | None:
        """The one figure when low and high agree (exact or "about"), else None."""
        return self.low if self.known and self.high == self.low else None

    def above(self, threshold: int) -> str:
        """Whether the count is more than ``threshold``: ``"yes"``, ``"possibly"`` or ``"no"``.

        Decided on the lower bound; ``"possibly"`` when only the upper bound (or an
        unknown count) passes it.

        >>> Count(900, 1500).above(1000)
        'possibly'
        """
        if self.low > threshold:
            return "yes"
        if self.high is None or self.high > threshold:
            return "possibly"
        return "no"

    def __add__(self, other: "Count") -> "Count":
        high = None if self.high is None or other.high is None else self.high + other.high
        return Count(self.low + other.low, high, self.approximate or other.approximate,
                     self.known and other.known)


@dataclass(frozen=True)
class Item:
    """One population in a union: a key (an asset IRI) and its count."""

    key: str
    count: Count


@dataclass
class Relations:
    """What is known of how populations relate, by key.

    ``subsets`` maps a key to the keys it is (directly) part of; ``same``, ``disjoint``
    and ``overlapping`` map a key to the keys it is the same as, disjoint from, or
    overlaps with (symmetric relations may be stated on one side only). ``counts`` gives
    the count of keys that are not in the union themselves but bound it from above (a
    register whose parts are reached).
    """

    subsets: Mapping[str, Iterable[str]] = field(default_factory=dict)
    same: Mapping[str, Iterable[str]] = field(default_factory=dict)
    disjoint: Mapping[str, Iterable[str]] = field(default_factory=dict)
    overlapping: Mapping[str, Iterable[str]] = field(default_factory=dict)
    counts: Mapping[str, Count] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._up: dict[str, frozenset[str]] = {}
        self._same_reversed: dict[str | None, set[str]] = {}  # filled once, shared by every copy
        self._flags: dict[str, bool] = {}  # likewise

    def with_counts(self, counts: Mapping[str, Count]) -> "Relations":
        """The same relations with other capping counts (sharing what was worked out)."""
        other = Relations(self.subsets, self.same, self.disjoint, self.overlapping, counts)
        other._up, other._same_reversed, other._flags = self._up, self._same_reversed, self._flags
        return other

    def ancestors(self, key: str) -> frozenset[str]:
        """The key and every key it is part of, or the same population as, transitively."""
        if key not in self._up:
            found, todo = {key}, [key]
            while todo:
                current = todo.pop()
                for above in list(self.subsets.get(current, ())) + list(self._same_of(current)):
                    if above not in found:
                        found.add(above)
                        todo.append(above)
            self._up[key] = frozenset(found)
        return self._up[key]

    def _same_of(self, key: str) -> set[str]:
        reversed_ = self._same_reversed
        if not reversed_:  # who names each key the same as it, read once
            reversed_[None] = set()  # marks the table as read, even when nothing is named the same
            for other, sames in self.same.items():
                for same in sames:
                    reversed_.setdefault(same, set()).add(other)
        found = set(self.same.get(key, ()))
        found |= reversed_.get(key, set())
        return found

    def _symmetric(self, table: Mapping[str, Iterable[str]], a: str, b: str) -> bool:
        return b in table.get(a, ()) or a in table.get(b, ())

    def states(self, name: str) -> bool:
        """Whether any key is stated ``"disjoint"`` from, or ``"overlapping"`` with, another one.

        Worked out once; when nothing is, no two keys are disjoint (or stated to overlap).

        >>> Relations(disjoint={"urn:a": ["urn:b"]}).states("disjoint"), Relations().states("overlapping")
        (True, False)
        """
        if name not in self._flags:
            self._flags[name] = any(values for values in getattr(self, name).values())
        return self._flags[name]

    def are_disjoint(self, a: str, b: str) -> bool:
        """Stated disjoint, or parts of populations stated disjoint."""
        return self.states("disjoint") and any(self._symmetric(self.disjoint, x, y)
                                               for x in self.ancestors(a) for y in self.ancestors(b))

    def stated_overlap(self, a: str, b: str) -> bool:
        return self.states("overlapping") and any(self._symmetric(self.overlapping, x, y)
                                                  for x in self.ancestors(a) for y in self.ancestors(b))


@dataclass(frozen=True)
class Union:
    """The union of some populations of one unit.

    Attributes
    ----------
    count : Count
        Its size, exact or between bounds.
    counted : tuple of str
        The keys whose counts make it up (parts of other reached populations left out).
    reasons : tuple of (str, tuple of str)
        Why the count is not one exact figure: a code of :data:`REASONS` and the keys it
        concerns. Empty when the count is exact.
    """

    count: Count
    counted: tuple[str, ...]
    reasons: tuple[tuple[str, tuple[str, ...]], ...] = ()


def _merge_same(items: list[Item], relations: Relations) -> tuple[list[Item], list]:
    """Collapse items about the same population into one (the first key names the group)."""
    groups: list[list[Item]] = []
    joinable: list[list[Item]] = []  # groups of items that are part of, or the same as, another key
    for item in items:
        if len(relations.ancestors(item.key)) == 1:
            groups.append([item])  # nothing above it: it can be the same as no other item
            continue
        for group in joinable:
            if any(item.key in relations.ancestors(other.key) and other.key in relations.ancestors(item.key)
                   for other in group):
                group.append(item)
                break
        else:
            groups.append([item])
            joinable.append(groups[-1])
    merged, reasons = [], []
    for group in groups:
        if len(group) == 1:
            merged.append(group[0])
            continue
        low = max(item.count.low for item in group)
        highs = [item.count.high for item in group if item.count.high is not None]
        high = min(highs) if highs else None
        exact_members = [item for item in group if item.count.exact]
        if high is not None and high < low:
            reasons.append(("counts-disagree", tuple(sorted(item.key for item in group))))
            high = low
        count = Count(low, high, approximate=not exact_members and any(i.count.approximate for i in group),
                      known=any(item.count.known for item in group))
        merged.append(Item(min(item.key for item in group), count))
    return merged, reasons


def _maximal(items: list[Item], relations: Relations) -> list[Item]:
    """Drop every item that is part of another item present."""
    keys = {item.key for item in items}
    return [item for item in items if not (relations.ancestors(item.key) - {item.key}) & keys]


def _lower_bound(items: list[Item], relations: Relations) -> int:
    """The heaviest sum of lower bounds over populations that are pairwise disjoint."""
    if not items:
        return 0
    if not relations.states("disjoint"):
        return max(item.count.low for item in items)  # no pair is disjoint
    pairs = {(a.key, b.key) for a, b in combinations(items, 2) if relations.are_disjoint(a.key, b.key)}
    if not pairs:
        return max(item.count.low for item in items)
    if len(pairs) == len(items) * (len(items) - 1) // 2:
        return sum(item.count.low for item in items)
    if len(items) <= _EXACT_CLIQUE_LIMIT:
        import networkx as nx

        graph = nx.Graph()
        graph.add_nodes_from((item.key, {"weight": item.count.low}) for item in items)
        graph.add_edges_from(pairs)
        return nx.max_weight_clique(graph, weight="weight")[1]
    chosen: list[Item] = []  # greedy: still a valid lower bound, perhaps not the best one
    for item in sorted(items, key=lambda i: (-i.count.low, i.key)):
        if all((item.key, c.key) in pairs or (c.key, item.key) in pairs for c in chosen):
            chosen.append(item)
    return max(sum(c.count.low for c in chosen), max(item.count.low for item in items))


def _upper_bound(items: list[Item], relations: Relations) -> int | None:
    """The sum of upper bounds, capped by a known population that holds every item."""
    if any(item.count.high is None for item in items):
        total = None
    else:
        total = sum(item.count.high for item in items)
    if items:
        common = frozenset.intersection(*(relations.ancestors(item.key) for item in items))
        caps = [relations.counts[key].high for key in common
                if key in relations.counts and relations.counts[key].high is not None]
        if caps:
            total = min(caps) if total is None else min([total] + caps)
    return total


def _reasons(items: list[Item], relations: Relations) -> list[tuple[str, tuple[str, ...]]]:
    found = []
    overlapping: dict[str, set[str]] = {"overlap-stated": set(), "overlap-unknown": set()}
    if not relations.states("disjoint") and not relations.states("overlapping"):
        if len(items) > 1:  # every pair's overlap is unknown
            overlapping["overlap-unknown"] = {item.key for item in items}
    else:
        for a, b in combinations(items, 2):
            if relations.are_disjoint(a.key, b.key):
                continue
            code = "overlap-stated" if relations.stated_overlap(a.key, b.key) else "overlap-unknown"
            overlapping[code] |= {a.key, b.key}
    # one reason per code, naming every asset it concerns: n assets give one line, not n(n-1)/2
    found += [(code, tuple(sorted(keys))) for code, keys in overlapping.items() if keys]
    for item in items:
        count = item.count
        if not count.known:
            found.append(("count-unknown", (item.key,)))
        elif count.high is None:
            found.append(("count-at-least", (item.key,)))
        elif count.low < count.high:
            found.append(("count-at-most", (item.key,)))
        elif count.approximate:
            found.append(("count-approximate", (item.key,)))
    return found


def union(items: Iterable[Item], relations: Relations) -> Union:
    """The union of populations of one unit, exact where the relations settle it.

    Parameters
    ----------
    items : iterable of Item
        The populations reached (each key once).
    relations : Relations
        What is known of how they relate.

    Returns
    -------
    Union

    Examples
    --------
    >>> applicants = Item("urn:applicants", Count.exactly(171_472))
    >>> addresses = Item("urn:addresses", Count.exactly(10_202))
    >>> found = union([applicants, addresses], Relations())
    >>> found.count.low, found.count.high, found.reasons
    (171472, 181674, (('overlap-unknown', ('urn:addresses', 'urn:applicants')),))
    """
    items = list(items)
    if len(items) == 1:  # one population: nothing to merge, leave out or pair
        alone = items[0].count
        count = Count(alone.low, _upper_bound(items, relations), alone.approximate, alone.known)
        return Union(count, (items[0].key,), () if count.exact else tuple(_reasons(items, relations)))
    merged, reasons = _merge_same(sorted(items, key=lambda item: item.key), relations)
    counted = _maximal(merged, relations)
    low = _lower_bound(counted, relations)
    high = _upper_bound(counted, relations)
    approximate = any(item.count.approximate for item in counted)
    known = any(item.count.known for item in counted) if counted else True
    count = Count(low, high, approximate, known)
    if not count.exact:
        reasons += _reasons(counted, relations)
    return Union(count, tuple(item.key for item in counted), tuple(reasons))
