"""Unions of populations: exact where the relations settle it, bounds otherwise (issue 11)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from chainmodel.population import Count, Item, Relations, union


def test_a_subset_adds_nothing():
    register, tax = Item("register", Count.exactly(10_000)), Item("tax", Count.exactly(8_000))
    found = union([register, tax], Relations(subsets={"tax": ["register"]}))
    assert (found.count.low, found.count.high, found.count.exact) == (10_000, 10_000, True)
    assert found.counted == ("register",)
    assert found.reasons == ()


def test_unknown_overlap_gives_bounds_and_says_why():
    register, tax = Item("register", Count.exactly(10_000)), Item("tax", Count.exactly(8_000))
    found = union([register, tax], Relations())
    assert (found.count.low, found.count.high) == (10_000, 18_000)
    assert found.reasons == (("overlap-unknown", ("register", "tax")),)


def test_stated_overlap_is_a_reason_of_its_own():
    found = union([Item("a", Count.exactly(5)), Item("b", Count.exactly(7))], Relations(overlapping={"a": ["b"]}))
    assert (found.count.low, found.count.high) == (7, 12)
    assert found.reasons == (("overlap-stated", ("a", "b")),)


def test_disjoint_populations_add_up():
    found = union([Item("a", Count.exactly(5)), Item("b", Count.exactly(7))], Relations(disjoint={"b": ["a"]}))
    assert (found.count.low, found.count.high, found.count.exact) == (12, 12, True)


def test_same_population_counts_once():
    found = union([Item("register", Count.exactly(10_000)), Item("copy", Count.exactly(10_000))],
                  Relations(same={"copy": ["register"]}))
    assert (found.count.low, found.count.high, found.count.exact) == (10_000, 10_000, True)


def test_same_population_with_disagreeing_counts_is_flagged():
    found = union([Item("a", Count.exactly(10)), Item("b", Count.exactly(12))], Relations(same={"a": ["b"]}))
    assert found.count.low == 12
    assert ("counts-disagree", ("a", "b")) in found.reasons


def test_a_known_whole_caps_the_union_of_its_parts():
    relations = Relations(subsets={"east": ["city"], "west": ["city"]}, counts={"city": Count.exactly(15_000)})
    found = union([Item("east", Count.exactly(9_000)), Item("west", Count.exactly(8_000))], relations)
    assert (found.count.low, found.count.high) == (9_000, 15_000)


def test_disjoint_parts_within_a_cap_are_exact():
    relations = Relations(subsets={"east": ["city"], "west": ["city"]}, disjoint={"east": ["west"]},
                          counts={"city": Count.exactly(15_000)})
    found = union([Item("east", Count.exactly(9_000)), Item("west", Count.exactly(6_000))], relations)
    assert (found.count.low, found.count.high, found.count.exact) == (15_000, 15_000, True)


def test_the_heaviest_set_of_pairwise_disjoint_assets_is_the_lower_bound():
    # a and b are disjoint, c overlaps both in an unknown way
    relations = Relations(disjoint={"a": ["b"]})
    found = union([Item("a", Count.exactly(4)), Item("b", Count.exactly(5)), Item("c", Count.exactly(8))], relations)
    assert (found.count.low, found.count.high) == (9, 17)


def test_qualified_and_unknown_counts():
    assert Count.stated(2_500_000, "about").approximate
    assert (Count.stated(40_000, "at-most").low, Count.stated(40_000, "at-most").high) == (0, 40_000)
    assert Count.stated(1_000, "at-least").high is None
    unknown = union([Item("a", Count.exactly(3)), Item("b", Count.unknown())], Relations())
    assert (unknown.count.low, unknown.count.high) == (3, None)
    assert ("count-unknown", ("b",)) in unknown.reasons
    nothing = union([Item("b", Count.unknown())], Relations())
    assert not nothing.count.known  # unknown, never 0


def test_threshold_is_decided_on_the_lower_bound():
    assert Count(1_001, 1_001).above(1_000) == "yes"
    assert Count(900, 1_500).above(1_000) == "possibly"
    assert Count(0, None, known=False).above(1_000) == "possibly"
    assert Count(1_000, 1_000).above(1_000) == "no"  # "more than 1,000"


counts = st.builds(lambda low, extra, bound: Count(low, None if bound else low + extra),
                   st.integers(0, 10_000), st.integers(0, 5_000), st.booleans())


@st.composite
def families(draw):
    """Populations and how each pair relates: unknown, disjoint, overlapping, one a subset of the
    other, or the same population; a subset or a sameness only where the counts allow it (a part
    no larger than its whole, the same population counted the same), as a consistent model says."""
    size = draw(st.integers(1, 6))
    keys = [f"k{i}" for i in range(size)]
    items = [Item(key, draw(counts)) for key in keys]
    by_key = {item.key: item.count for item in items}
    pairs = [(a, b) for i, a in enumerate(keys) for b in keys[i + 1:]]
    relations: dict[str, dict[str, list[str]]] = {"disjoint": {}, "overlapping": {}, "subsets": {}, "same": {}}
    for a, b in pairs:
        choice = draw(st.sampled_from(["unknown", "disjoint", "overlapping", "subsets", "same"]))
        part, whole = by_key[a], by_key[b]
        if choice == "subsets" and not (part.high is not None and part.high <= whole.low):
            choice = "unknown"
        if choice == "same" and (part.low, part.high) != (whole.low, whole.high):
            choice = "unknown"
        if choice != "unknown":
            relations[choice].setdefault(a, []).append(b)
    return items, Relations(**relations)


@settings(max_examples=200, deadline=None)
@given(families())
def test_a_union_never_exceeds_the_sum_nor_falls_below_the_largest(family):
    items, relations = family
    found = union(items, relations).count
    assert found.low >= max(item.count.low for item in items)
    highs = [item.count.high for item in items]
    if None not in highs:
        assert found.high is not None and found.high <= sum(highs)
        assert found.low <= found.high


@settings(max_examples=200, deadline=None)
@given(families(), st.integers(0, 20_000), st.integers(0, 5))
def test_adding_a_part_of_an_asset_already_reached_never_raises_it(family, size, parent_index):
    items, relations = family
    parent = items[parent_index % len(items)]
    before = union(items, relations).count
    part = Item("part", Count(min(size, parent.count.low), min(size, parent.count.low)))
    relations = Relations(subsets={**relations.subsets, "part": [parent.key]}, same=relations.same,
                          disjoint=relations.disjoint, overlapping=relations.overlapping)
    after = union(items + [part], relations).count
    assert (after.low, after.high) == (before.low, before.high)
