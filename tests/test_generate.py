"""Tests for chainmodel.generate: deterministic, valid, structurally sound, streaming."""

from __future__ import annotations

import tracemalloc
from collections import Counter, defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest

from chainmodel.errors import ArgumentError


from chainmodel.generate import (
    BASE,
    DEFAULT_KNOBS,
    estimate_triples,
    generate_triples,
    pool_sizes,
    principals_for_triples,
    write_model,
)

CM = "https://w3id.org/chainmodel#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
N = 200


def _text(principals: int, seed: int = 0, **knobs) -> str:
    return "".join(generate_triples(principals, seed, **knobs))


class Graph:
    """A small index over parsed triples: enough for the structural checks."""

    def __init__(self, text: str):
        self.triples = list(ox.parse(text, format=ox.RdfFormat.N_TRIPLES))
        self.out: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        self.types: dict[str, set[str]] = defaultdict(set)
        for t in self.triples:
            s, p = str(t.subject), t.predicate.value
            self.out[s][p].append(t.object)
            if p == RDF_TYPE:
                self.types[s].add(t.object.value)

    def of_type(self, name: str) -> list[str]:
        return sorted(s for s, kinds in self.types.items() if CM + name in kinds)

    def one(self, subject: str, name: str) -> str:
        values = self.out[subject][CM + name]
        assert len(values) == 1, (subject, name, values)
        return str(values[0])

    def all(self, subject: str, name: str) -> list[str]:
        return [str(v) for v in self.out[subject][CM + name]]

    def value(self, subject: str, name: str):
        return self.out[subject][CM + name][0].value


@pytest.fixture(scope="module")
def graph() -> Graph:
    return Graph(_text(N, seed=0))


def _tiers(g: Graph) -> dict[str, int]:
    tiers = {}
    for c in g.of_type("Consignment"):
        tier, node = 1, c
        while g.all(node, "extends"):
            node = g.one(node, "extends")
            tier += 1
        tiers[c] = tier
    return tiers


def _root_principal(g: Graph, consignment: str) -> str:
    node = consignment
    while g.all(node, "extends"):
        node = g.one(node, "extends")
    return g.one(node, "consignor")


# ---------------------------------------------------------------- determinism and syntax


def test_same_arguments_give_identical_bytes(tmp_path):
    first, second = _text(60, seed=5), _text(60, seed=5)
    assert first == second
    write_model(tmp_path / "a.nt", 60, seed=5)
    write_model(tmp_path / "b.nt", 60, seed=5)
    assert (tmp_path / "a.nt").read_bytes() == (tmp_path / "b.nt").read_bytes()
    assert (tmp_path / "a.nt").read_bytes() == first.encode("utf-8")


def test_different_seeds_or_knobs_differ():
    assert _text(60, seed=1) != _text(60, seed=2)
    assert _text(60, seed=1) != _text(60, seed=1, reconsign_share=0.9)


def test_lines_are_single_triples_and_parse(graph):
    lines = list(generate_triples(N))
    assert all(line.endswith(" .\n") and line.count("\n") == 1 for line in lines)
    assert len(graph.triples) == len(lines)
    assert len(set(graph.triples)) == len(lines), "no triple is emitted twice"
    iris = {str(t.subject) for t in graph.triples if isinstance(t.subject, ox.NamedNode)}
    assert all(iri.startswith("<" + BASE) for iri in iris)


def test_write_model_turtle_holds_the_same_triples(tmp_path):
    count = write_model(tmp_path / "m.ttl", 40, seed=3)
    nt = set(ox.parse(_text(40, seed=3), format=ox.RdfFormat.N_TRIPLES))
    ttl = set(ox.parse(path=tmp_path / "m.ttl", format=ox.RdfFormat.TURTLE))
    assert count == len(nt) == len(ttl)
    named = lambda triples: {t for t in triples if not isinstance(t.subject, ox.BlankNode)}
    assert named(nt) == named(ttl)
    assert "@prefix cm:" in (tmp_path / "m.ttl").read_text(encoding="utf-8")


def test_write_model_refuses_other_formats(tmp_path):
    with pytest.raises(ArgumentError, match="writes .nt or .ttl files, not 'm.rdf'"):
        write_model(tmp_path / "m.rdf", 3)


def test_bad_arguments_are_refused_with_our_own_error():
    with pytest.raises(ArgumentError, match="unknown knob"):
        generate_triples(5, no_such_knob=0.5)
    with pytest.raises(ArgumentError, match="reconsign_share"):
        generate_triples(5, reconsign_share=1.5)
    with pytest.raises(ArgumentError):
        generate_triples(5, reconsign_share=0.1, rereconsign_share=0.2)
    with pytest.raises(ArgumentError, match="at least 1"):
        generate_triples(0)
    with pytest.raises(ArgumentError, match="zipf_exponent"):
        generate_triples(5, zipf_exponent=1.0)


# ---------------------------------------------------------------- structure


def test_principal_count_and_regulator(graph):
    principals = graph.of_type("Principal")
    assert len(principals) == N
    assert all(CM + "Organisation" in graph.types[p] for p in principals)
    assert len(graph.of_type("Regulator")) == 1


def test_reconsignor_is_consignee_of_parent(graph):
    reconsignments = [c for c in graph.of_type("Consignment") if graph.all(c, "extends")]
    assert reconsignments
    for c in reconsignments:
        parent = graph.one(c, "extends")
        assert graph.one(c, "consignor") == graph.one(parent, "consignee")
        assert graph.one(c, "consignee") != graph.one(c, "consignor")


def test_all_tiers_present_and_shares_plausible(graph):
    tiers = Counter(_tiers(graph).values())
    assert set(tiers) == {1, 2, 3}
    assert tiers[1] == N
    assert 0.25 * N < tiers[2] < 0.55 * N  # reconsign_share 0.4
    assert 0.05 * N < tiers[3] < 0.25 * N  # rereconsign_share 0.15


def test_approval_recorded_or_not(graph):
    states = Counter()
    for c in graph.of_type("Consignment"):
        if not graph.all(c, "extends"):
            assert not graph.all(c, "approval")
            continue
        state = graph.one(c, "approval")
        states[state] += 1
        if state == f"<{CM}Approved>":
            parent = graph.one(c, "extends")
            assert graph.one(c, "approvedBy") == graph.one(parent, "consignor")
        else:
            assert state == f"<{CM}ApprovalNotRecorded>"
            assert not graph.all(c, "approvedBy")
    assert states[f"<{CM}ApprovalNotRecorded>"] > 0
    assert states[f"<{CM}Approved>"] > 5 * states[f"<{CM}ApprovalNotRecorded>"]


def test_every_duty_has_an_accountable_principal(graph):
    principals = set(graph.of_type("Principal"))
    duties = graph.of_type("Duty")
    assert N <= len(duties) <= 2 * N
    for duty in duties:
        assert graph.one(duty, "accountable") in principals
        assert graph.all(duty, "performedBy")
    per_principal = Counter(graph.one(d, "accountable") for d in duties)
    assert set(per_principal.values()) <= {1, 2} and set(per_principal) == principals


def test_reports_stay_within_their_principals_chain(graph):
    chain_parties: dict[str, set[str]] = defaultdict(set)
    for c in graph.of_type("Consignment"):
        principal = _root_principal(graph, c)
        chain_parties[principal] |= {
            principal, graph.one(c, "consignor"), graph.one(c, "consignee")
        }
    reports = graph.of_type("Report")
    assert reports
    for report in reports:
        principal = graph.one(graph.one(report, "serves"), "accountable")
        assert graph.one(report, "sender") in chain_parties[principal]
        assert graph.one(report, "receiver") in chain_parties[principal]
        assert graph.one(report, "sender") != graph.one(report, "receiver")


def test_duties_follow_the_chain(graph):
    """The reporting duty goes to the deepest consignee, the exclusion duty stays at tier 1."""
    tiers = _tiers(graph)
    deepest: dict[str, tuple[int, str]] = {}
    first: dict[str, str] = {}
    for c, tier in tiers.items():
        principal = _root_principal(graph, c)
        if tier == 1:
            first[principal] = graph.one(c, "consignee")
        if tier > deepest.get(principal, (0, ""))[0]:
            deepest[principal] = (tier, graph.one(c, "consignee"))
    exclusions = 0
    for duty in graph.of_type("Duty"):
        principal = graph.one(duty, "accountable")
        if graph.all(duty, "needs"):
            exclusions += 1
            assert graph.one(duty, "performedBy") == first[principal]
            needed = graph.one(duty, "needs")
            assert graph.one(needed, "performedBy") == deepest[principal][1]
            protected = graph.one(duty, "protects")
            assert CM + "DataAsset" in graph.types[protected] and graph.all(protected, "subsetOf")
        else:
            assert graph.one(duty, "performedBy") == deepest[principal][1]
    assert 0.5 * N < exclusions < N  # exclusion_share 0.75
    for provision in graph.of_type("DataProvision"):
        duty = graph.one(provision, "guardedBy")
        assert graph.one(provision, "sender") == graph.one(duty, "performedBy")
        assert graph.value(provision, "leadTime").startswith("P")


def test_consignees_are_concentrated(graph):
    load = Counter(
        graph.one(c, "consignee") for c, tier in _tiers(graph).items() if tier == 1
    )
    assert len(load) <= pool_sizes(N)[0]
    assert max(load.values()) >= 4 * (N / len(load)), "a few consignees serve many principals"
    recipients = Counter(graph.one(p, "receiver") for p in graph.of_type("DataProvision"))
    assert max(recipients.values()) > 1, "some recipients are shared"


def test_data_assets_counts_and_sensitivity(graph):
    sensitive_categories = {c for c in graph.of_type("DataCategory") if graph.all(c, "sensitive")}
    top_assets = [a for a in graph.of_type("DataAsset") if not graph.all(a, "subsetOf")]
    assert len(top_assets) == N
    sensitive = 0
    for asset in top_assets:
        count = int(graph.value(asset, "subjectCount"))
        assert 100 <= count <= 200000
        (node,) = graph.all(asset, "countFor")
        assert graph.one(node, "principal") == graph.one(asset, "controller")
        assert int(graph.value(node, "count")) == count
        sensitive += bool(set(graph.all(asset, "category")) & sensitive_categories)
    assert 0.15 * N < sensitive < 0.45 * N
    consignments = graph.of_type("Consignment")
    assert all(graph.all(c, "entrustsData") for c in consignments)


def test_devices_copies_and_controls(graph):
    devices = graph.of_type("Device")
    portable = [d for d in devices if graph.value(d, "portable") == "true"]
    assert devices and portable and len(portable) < len(devices)
    for copy in graph.of_type("DataCopy"):
        assert graph.one(copy, "storedOn") in devices
        assert CM + "DataAsset" in graph.types[graph.one(copy, "copyOf")]
    preventive = graph.of_type("PreventiveControl")
    assert {graph.value(c, "rulesOutLeak") for c in preventive} <= {"true", "false"}
    for control in preventive:
        assert graph.one(control, "covers") in portable
    detective = graph.of_type("DetectiveControl")
    assert detective
    reports = set(graph.of_type("Report"))
    for control in detective:
        assert graph.one(control, "notifies") == graph.one(control, "operatedBy")
        assert graph.value(control, "detectionLatency") in {"P1M", "P6M"}
        assert set(graph.all(control, "covers")) <= reports


def test_more_devices_across_seeds_include_both_protections():
    g = Graph(_text(300, seed=11, device_share=1.0, portable_share=1.0))
    verdicts = {g.value(c, "rulesOutLeak") for c in g.of_type("PreventiveControl")}
    assert verdicts == {"true", "false"}


def test_every_reference_resolves_and_is_labelled_in_both_languages(graph):
    typed = set(graph.types)
    labelled = (
        "Organisation", "Duty", "DataAsset", "Report", "DataProvision", "Consignment",
        "DataCopy", "Device", "PreventiveControl", "DetectiveControl", "DataCategory",
    )
    for name in labelled:
        for subject in graph.of_type(name):
            langs = sorted(v.language for v in graph.out[subject][RDFS_LABEL])
            assert langs == ["en", "ja"], (subject, langs)
    for t in graph.triples:
        obj = t.object
        if isinstance(obj, ox.NamedNode) and obj.value.startswith(BASE):
            assert str(obj) in typed, f"{obj} is referenced but never declared"
        if isinstance(obj, ox.BlankNode):
            assert str(obj) in typed


# ---------------------------------------------------------------- size and memory


def test_estimate_matches_actual_count():
    for n in (500, 3000):
        actual = sum(1 for _ in generate_triples(n, seed=2))
        assert abs(actual / estimate_triples(n) - 1) < 0.05
    actual = sum(1 for _ in generate_triples(500, seed=2, reconsign_share=0.9, exclusion_share=0.2))
    assert abs(actual / estimate_triples(500, reconsign_share=0.9, exclusion_share=0.2) - 1) < 0.05
    n = principals_for_triples(10**5)
    assert estimate_triples(n - 1) < 10**5 <= estimate_triples(n)
    assert set(DEFAULT_KNOBS) >= {"reconsign_share", "rereconsign_share", "zipf_exponent"}


def test_memory_stays_flat_while_streaming_a_million_triples():
    principals = principals_for_triples(10**6)
    tracemalloc.start()
    try:
        count = sum(1 for _ in generate_triples(principals, seed=4))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count > 0.95 * 10**6
    assert peak < 16 * 2**20, f"peak {peak / 2**20:.1f} MiB"  # about 1 MiB in practice
