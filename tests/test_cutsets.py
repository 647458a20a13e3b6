"""Minimal cut sets equal brute-force enumeration on many small random chain models."""

from itertools import combinations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chainmodel.cutsets import minimal_cut_sets, single_points
from chainmodel.failures import harm_occurs, harms
from chainmodel.model import load_model
from chainmodel.views import chain_view

HEADER = """@prefix cm: <https://w3id.org/chainmodel#> .
@prefix x: <urn:x:> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
LATENCIES = ["P0D", "P1M", "P6M"]


@st.composite
def random_models(draw):
    """A duty whose reports travel over a random graph of parties to a guard's performer."""
    parties = draw(st.integers(3, 6))
    lines = [HEADER]
    for i in range(parties):
        lines.append(f"x:p{i} a cm:Organisation .")
    lines.append("x:outsider a cm:Organisation .")
    performer = draw(st.integers(0, parties - 2))
    guard_performer = parties - 1
    lines.append(f"x:d a cm:Duty ; cm:accountable x:p0 ; cm:performedBy x:p{performer} .")
    lines.append(f"x:g a cm:Duty ; cm:accountable x:p0 ; cm:performedBy x:p{guard_performer} ; cm:needs x:d ; cm:protects x:subset .")
    lines.append("x:all a cm:DataAsset ; cm:subjectCount 10 .")
    lines.append("x:subset a cm:DataAsset ; cm:subsetOf x:all ; cm:subjectCount 2 .")
    lines.append(f"x:flow a cm:DataProvision ; cm:sender x:p{guard_performer} ; cm:receiver x:outsider ; cm:carries x:all ; cm:guardedBy x:g ; cm:leadTime \"P3M\"^^xsd:duration ; cm:failureMode cm:Omission .")
    pairs = draw(st.lists(st.tuples(st.integers(0, parties - 1), st.integers(0, parties - 1)), min_size=1, max_size=7, unique=True))
    reports = []
    for n, (a, b) in enumerate(pairs):
        if a == b:
            continue
        reports.append(f"x:r{n}")
        lines.append(f"x:r{n} a cm:Report ; cm:sender x:p{a} ; cm:receiver x:p{b} ; cm:serves x:d .")
    elements = reports + ["x:d", "x:g"]
    for n in range(draw(st.integers(0, 3))):
        covered = draw(st.lists(st.sampled_from(elements), min_size=1, max_size=3, unique=True))
        operator = draw(st.sampled_from([f"x:p{i}" for i in range(parties)] + ["x:outsider"]))
        notifies = draw(st.sampled_from([f"x:p{i}" for i in range(parties)]))
        latency = draw(st.sampled_from(LATENCIES))
        lines.append(f"x:k{n} a cm:DetectiveControl ; cm:operatedBy {operator} ; cm:covers {', '.join(covered)} ; "
                     f"cm:notifies {notifies} ; cm:detectionLatency \"{latency}\"^^xsd:duration .")
    return "\n".join(lines) + "\n", elements, guard_performer


def view_of(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("m") / "model.ttl"
    path.write_text(text, encoding="utf-8")
    return chain_view(load_model([path]))


def brute_force(harm, order):
    if harm_occurs(harm, frozenset()):
        return [()]
    found = []
    for size in range(1, order + 1):
        for combo in combinations(harm.events, size):
            if any(set(cut) <= set(combo) for cut in found):
                continue
            if harm_occurs(harm, frozenset(combo)):
                found.append(combo)
    return sorted(found, key=lambda cut: (len(cut), cut))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(random_models(), st.integers(1, 3))
def test_cut_sets_equal_brute_force(tmp_path_factory, drawn, order):
    text, _, _ = drawn
    view = view_of(tmp_path_factory, text)
    for harm in harms(view):
        assert minimal_cut_sets(harm, order) == brute_force(harm, order), text
        assert single_points(harm) == [cut[0] for cut in brute_force(harm, 1) if len(cut) == 1], text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(random_models(), st.data())
def test_adding_an_independent_timely_check_never_adds_a_single_point(tmp_path_factory, drawn, data):
    text, elements, guard_performer = drawn
    covered = data.draw(st.lists(st.sampled_from(elements), min_size=1, max_size=4, unique=True))
    before = view_of(tmp_path_factory, text)
    extra = (f"x:auditor a cm:Organisation .\nx:independent a cm:DetectiveControl ; cm:operatedBy x:auditor ; "
             f"cm:covers {', '.join(covered)} ; cm:notifies x:p{guard_performer} ; cm:detectionLatency \"P0D\"^^xsd:duration .\n")
    after = view_of(tmp_path_factory, text + extra)

    def points(view):
        return {(harm.key, event) for harm in harms(view) for event in single_points(harm)}

    assert points(after) <= points(before)
    removed = points(before) - points(after)
    assert all(event in {"urn:x:" + e.split(":")[1] for e in covered} for _, event in removed)


def test_case_b_optout_harm_has_five_single_points_and_no_pairs(case_b_view):
    (guarded,) = [h for h in harms(case_b_view) if h.kind == "guarded-provision"]
    cuts = minimal_cut_sets(guarded, order=2)
    assert all(len(cut) == 1 for cut in cuts)
    assert {cut[0].split("#")[1] for cut in cuts} == {
        "duty-exclusion", "duty-optout", "h-report-ldi-jmimo", "h-report-nttdata-ldi", "h-request"}
