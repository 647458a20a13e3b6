"""Tests for chainmodel.whatif: scenarios as SPARQL Update, refusals, and the analysis diff."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

ROOT = Path(__file__).resolve().parent.parent

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chainmodel.cutsets import minimal_cut_sets
from chainmodel.errors import ScenarioError
from chainmodel.failures import harms
from chainmodel.model import load_model
from chainmodel.views import chain_view
from chainmodel.whatif_json import whatif_json
from chainmodel.whatif_text import whatif_text
from chainmodel.whatif import (
    REFERENCE_PROPERTIES,
    Scenario,
    add_control,
    add_handoff,
    apply_scenario,
    compare,
    inverse_update,
    load_scenario,
    remove_element,
    snapshot,
)

EXAMPLES = ROOT / "examples"
SCENARIOS = EXAMPLES / "scenarios"
B = "https://example.org/chainmodel/case-b#"
A = "https://example.org/chainmodel/case-a#"
CM = "https://w3id.org/chainmodel#"
GUARDED = f"{B}h-jmimo-producer|{B}duty-exclusion"
REPORT_NTTDATA = B + "h-report-nttdata-ldi"
REPORT_LDI = B + "h-report-ldi-jmimo"
PREFIXES = f"PREFIX b: <{B}>\nPREFIX a: <{A}>\n"

SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def case_b():
    return load_model([EXAMPLES / "case-b-optout"])


@pytest.fixture(scope="module")
def case_a():
    return load_model([EXAMPLES / "case-a-laptop"])


def scenario(name: str) -> Scenario:
    return load_scenario(SCENARIOS / name)


B_SCENARIOS = ["case-b-remedy-1-nttdata-procedures.ru", "case-b-remedy-2-ldi-checks.ru",
               "case-b-remedy-3-joint-review.ru", "case-b-remedy-4-producer-check.ru", "case-b-direct-report.ru"]
A_SCENARIOS = ["case-a-encrypted-laptop.ru", "case-a-no-portable-copies.ru"]


@pytest.fixture(scope="module")
def report_b(case_b):
    return compare(case_b, [scenario(name) for name in B_SCENARIOS], order=2)


@pytest.fixture(scope="module")
def report_a(case_a):
    return compare(case_a, [scenario(name) for name in A_SCENARIOS], order=2)


def diff_of(report, name):
    return next(diff for diff in report.scenarios if diff.name == name)


# -- the example scenarios --------------------------------------------------------------------


def test_every_example_scenario_has_its_headers():
    files = sorted(SCENARIOS.glob("*.ru"))
    assert {path.name for path in files} == set(B_SCENARIOS) | set(A_SCENARIOS)
    for path in files:
        loaded = load_scenario(path)
        headers = dict(loaded.headers)
        assert headers["label"] and headers["label-ja"] and headers["description"], path.name
        assert loaded.label == headers["label"] and loaded.label_ja == headers["label-ja"]
        assert loaded.name == path.name


def test_header_continuation_lines_and_flags():
    text = ("# label: x\n# description: first line\n#   and the second\n# allow-no-match: true\n"
            "INSERT DATA { <urn:a> <urn:b> <urn:c> }\n")
    loaded = Scenario.from_text(text)
    assert loaded.description == "first line and the second"
    assert loaded.allow_no_match and loaded.label_ja == "x"


def test_base_single_points_of_case_b(report_b):
    base = set(report_b.base.spof)
    assert (REPORT_NTTDATA, GUARDED) in base
    assert (REPORT_LDI, GUARDED) in base
    assert (B + "duty-optout", GUARDED) in base
    assert report_b.base.cut_orders[GUARDED][REPORT_NTTDATA] == 1
    assert GUARDED in report_b.base.leaks
    assert report_b.base.leaks[GUARDED][0] == B + "h-jmimo-producer"


def test_remedy_2_removes_nttdata_report_but_not_ldi_report(report_b):
    diff = diff_of(report_b, "case-b-remedy-2-ldi-checks.ru")
    assert (REPORT_NTTDATA, GUARDED) in diff.spof_removed
    assert (B + "duty-optout", GUARDED) in diff.spof_removed
    assert (REPORT_LDI, GUARDED) in diff.spof_stays
    assert (GUARDED, REPORT_NTTDATA, 1, 2) in diff.cutset_order_changes
    assert not diff.spof_added
    assert GUARDED not in diff.leaks_closed  # the other single points still leak


@pytest.mark.parametrize("name", ["case-b-remedy-3-joint-review.ru", "case-b-remedy-4-producer-check.ru"])
def test_remedies_3_and_4_remove_both_report_single_points(report_b, name):
    diff = diff_of(report_b, name)
    assert {(REPORT_NTTDATA, GUARDED), (REPORT_LDI, GUARDED)} <= set(diff.spof_removed)
    assert (GUARDED, REPORT_NTTDATA, 1, 2) in diff.cutset_order_changes
    assert (GUARDED, REPORT_LDI, 1, 2) in diff.cutset_order_changes
    assert (B + "duty-optout", GUARDED) in diff.spof_stays
    assert not diff.spof_added


def test_remedy_1_is_not_independent(case_b, report_b):
    diff = diff_of(report_b, "case-b-remedy-1-nttdata-procedures.ru")
    assert not diff.spof_removed and not diff.spof_added
    assert (REPORT_NTTDATA, GUARDED) in diff.spof_stays and (REPORT_LDI, GUARDED) in diff.spof_stays
    changed = apply_scenario(case_b, scenario("case-b-remedy-1-nttdata-procedures.ru"))
    harm = next(h for h in harms(chain_view(changed)) if h.key == GUARDED)
    verdict = next(v for v in harm.verdicts if v.control == B + "control-remedy-1-nttdata-procedures")
    assert not verdict.counts
    # the only reason is independence: it tells LDI in time, but NTT DATA checks itself
    assert [reason.key for reason in verdict.reasons] == ["verdict.not-independent"]


def test_direct_report_removes_both_reports_but_not_nttdatas_own_task(report_b):
    diff = diff_of(report_b, "case-b-direct-report.ru")
    assert {(REPORT_NTTDATA, GUARDED), (REPORT_LDI, GUARDED)} <= set(diff.spof_removed)
    assert (B + "duty-optout", GUARDED) in diff.spof_stays
    assert (B + "h-request", GUARDED) in diff.spof_stays
    assert (GUARDED, B + "h-report-nttdata-jmimo", None, 2) in diff.cutset_order_changes


def test_encrypted_laptop_removes_the_laptop_single_point(report_a):
    diff = diff_of(report_a, "case-a-encrypted-laptop.ru")
    laptop = A + "laptop"
    assert (laptop, laptop) in diff.spof_removed
    assert (laptop, laptop, 1, 2) in diff.cutset_order_changes
    assert laptop in diff.leaks_closed
    assert not diff.spof_added


def test_no_portable_copies_removes_the_laptop_exposure(report_a):
    diff = diff_of(report_a, "case-a-no-portable-copies.ru")
    laptop = A + "laptop"
    assert laptop in report_a.base.leaks
    assert {laptop, A + "backup-applicants", A + "backup-addresses"} <= set(diff.leaks_closed)
    assert (laptop, laptop) in diff.spof_removed
    assert (laptop, "", 171472, None) in diff.blast_changes  # at least 171,472 people
    assert (laptop, A + "resonac", 5747, None) in diff.blast_changes


def test_validation_findings_are_compared(report_a):
    pytest.importorskip("chainmodel.validate")
    assert report_a.validated
    diff = diff_of(report_a, "case-a-no-portable-copies.ru")
    resolved = {rule.rsplit("#", 1)[-1] for rule, focus in diff.findings_resolved}
    assert "sensitive-on-portable-device" in resolved
    for other in report_a.scenarios:
        assert not set(other.findings_added) & set(report_a.base.findings)
        assert set(other.findings_resolved) <= set(report_a.base.findings)


def test_responsibility_chains_change_when_a_consignment_goes(case_b):
    text = remove_element(case_b, B + "c-jmimo-ldi")
    report = compare(case_b, [Scenario.from_text(text)], order=1, validation=False)
    changed = dict((duty, (before, after)) for duty, before, after in report.scenarios[0].chains_changed)
    before, after = changed[B + "duty-optout"]
    assert (B + "c-hospital-jmimo", B + "c-jmimo-ldi", B + "c-ldi-nttdata-for-jmimo") in before
    assert all(B + "c-jmimo-ldi" not in chain for chain in after)


# -- the model and its files are never touched ---------------------------------------------


def _digests() -> dict[str, str]:
    return {str(path.relative_to(EXAMPLES)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(EXAMPLES.rglob("*")) if path.is_file()}


def test_source_files_are_never_modified():
    before = _digests()
    for folder, names in (("case-b-optout", B_SCENARIOS), ("case-a-laptop", A_SCENARIOS)):
        model = load_model([EXAMPLES / folder])
        graph_before = len(model.graph)
        report = compare(model, [scenario(name) for name in names])
        whatif_text(whatif_json(report, model))
        whatif_json(report, model)
        assert len(model.graph) == graph_before
    assert _digests() == before


def test_apply_returns_a_new_model_and_leaves_the_old_one(case_b):
    copy = Graph()
    for triple in case_b.graph:
        copy.add(triple)
    changed = apply_scenario(case_b, scenario("case-b-direct-report.ru"))
    assert changed is not case_b and changed.graph is not case_b.graph
    assert changed.sources == case_b.sources and changed.prefixes == case_b.prefixes
    assert (URIRef(B + "h-report-nttdata-jmimo"), RDF.type, URIRef(CM + "Report")) in changed.graph
    assert (URIRef(B + "h-report-nttdata-jmimo"), None, None) not in case_b.graph
    assert isomorphic(copy, case_b.graph)


# -- refusals ------------------------------------------------------------------------------

REFUSED = {
    "load": "LOAD <http://example.org/model.ttl>",
    "load-into": "LOAD SILENT <http://example.org/model.ttl> INTO GRAPH <urn:g>",
    "clear": "CLEAR DEFAULT",
    "drop": "DROP ALL",
    "create": "CREATE GRAPH <urn:g>",
    "copy": "COPY DEFAULT TO <urn:g>",
    "move": "MOVE DEFAULT TO <urn:g>",
    "add": "ADD DEFAULT TO <urn:g>",
    "service": PREFIXES + "INSERT { ?s cm:covers b:duty-optout } WHERE { SERVICE <http://example.org/sparql> "
                          "{ ?s ?p ?o } }",
    "service-in-subquery": PREFIXES + "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o { SELECT ?s WHERE { SERVICE SILENT "
                                      "<http://example.org/sparql> { ?s ?p ?o } } } }",
    "with": PREFIXES + "WITH <urn:g> DELETE { ?s cm:cadence ?o } WHERE { ?s cm:cadence ?o }",
    "using": PREFIXES + "DELETE { ?s cm:cadence ?o } USING <http://example.org/g> WHERE { ?s cm:cadence ?o }",
    "using-named": PREFIXES + "DELETE { ?s cm:cadence ?o } USING NAMED <http://example.org/g> WHERE "
                              "{ ?s cm:cadence ?o }",
    "graph-block": PREFIXES + "INSERT DATA { GRAPH <urn:g> { b:nttdata cm:heldBy b:ldi } }",
    "graph-pattern": PREFIXES + "DELETE { ?s cm:cadence ?o } WHERE { GRAPH ?g { ?s cm:cadence ?o } }",
    "unknown-reference": PREFIXES + "INSERT DATA { b:new-check a cm:DetectiveControl ; cm:operatedBy b:ldi ; "
                                    "cm:covers b:h-report-nttdata-ldx }",
    "unknown-operator": PREFIXES + "INSERT DATA { b:new-check a cm:DetectiveControl ; cm:operatedBy b:nobody ; "
                                   "cm:covers b:h-report-nttdata-ldi }",
    "unknown-term": PREFIXES + "INSERT DATA { b:new-check a cm:DetectiveControl ; cm:operatedBy b:ldi ; "
                               "cm:cover b:h-report-nttdata-ldi }",
    "removed-then-used": PREFIXES + "DELETE WHERE { b:ldi ?p ?o } ; INSERT DATA { b:new-check a cm:DetectiveControl ;"
                                    " cm:operatedBy b:ldi ; cm:covers b:h-report-nttdata-ldi }",
    "absent-triple": PREFIXES + "DELETE DATA { b:nttdata cm:sender b:ldi }",
    "blank-node-in-delete-data": PREFIXES + "DELETE DATA { _:x cm:count 1 }",
    "matches-nothing": PREFIXES + "DELETE WHERE { b:nothing-here ?p ?o }",
    "syntax-error": PREFIXES + "INSERT DATA { b:nttdata cm:heldBy }",
    "unknown-prefix": "INSERT DATA { q:x q:y q:z }",
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_scenarios_raise_and_leave_the_model_unchanged(case_b, name):
    before = Graph()
    for triple in case_b.graph:
        before.add(triple)
    with pytest.raises(ScenarioError) as caught:
        apply_scenario(case_b, Scenario.from_text(REFUSED[name], f"{name}.ru"))
    assert f"{name}.ru" in str(caught.value)
    assert caught.value.exit_code == 2
    assert len(case_b.graph) == len(before)
    assert isomorphic(case_b.graph, before)


def test_refusal_messages_name_the_operation_and_the_iri(case_b):
    def message(name):
        with pytest.raises(ScenarioError) as caught:
            apply_scenario(case_b, Scenario.from_text(REFUSED[name], f"{name}.ru"))
        return str(caught.value)

    assert "LOAD" in message("load") and "INSERT DATA" in message("load")
    assert "CLEAR" in message("clear") and "DROP" in message("drop")
    assert "SERVICE <http://example.org/sparql>" in message("service")
    assert "b:h-report-nttdata-ldx" in message("unknown-reference")
    assert "did you mean b:h-report-nttdata-ldi" in message("unknown-reference")
    assert "nothing to delete" in message("absent-triple") and "b:nttdata cm:sender b:ldi" in message("absent-triple")
    assert "allow-no-match" in message("matches-nothing") and "b:nothing-here" in message("matches-nothing")
    assert "syntax error" in message("syntax-error")
    assert "removes it" in message("removed-then-used")


def test_refused_at_load_time(tmp_path):
    path = tmp_path / "drop.ru"
    path.write_text("# label: drop\nDROP ALL\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="drop.ru"):
        load_scenario(path)
    with pytest.raises(ScenarioError, match="cannot be read"):
        load_scenario(tmp_path / "missing.ru")


def test_allow_no_match_header(case_b):
    text = "# allow-no-match: true\n" + REFUSED["matches-nothing"]
    changed = apply_scenario(case_b, Scenario.from_text(text))
    assert isomorphic(changed.graph, case_b.graph)


def test_network_loading_is_off_while_applying_and_restored(case_b, monkeypatch):
    """The scenario runs in the sandboxed child: the spy reports from there what it saw."""
    import rdflib.plugins.sparql
    from rdflib.plugins.sparql import evaluate

    original = evaluate.evalPart

    def spy(ctx, part):
        raise ScenarioError(f"graph loading while evaluating: {rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS}")

    monkeypatch.setattr(evaluate, "evalPart", spy)
    flag = rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS
    with pytest.raises(ScenarioError, match="graph loading while evaluating: False"):
        apply_scenario(case_b, Scenario.from_text(PREFIXES + "DELETE { ?s cm:cadence ?o } WHERE { ?s cm:cadence ?o }"))
    assert rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS == flag
    assert evaluate.evalPart is spy and original is not spy


# -- blank nodes, determinism, the inverse ---------------------------------------------------


def test_blank_nodes_are_fresh_and_deterministic(case_b):
    text = PREFIXES + ("INSERT DATA { b:optout-data cm:countFor _:c . _:c a cm:SubjectCount ; cm:count 2 ; "
                       "cm:principal b:hospital }")
    first = apply_scenario(case_b, Scenario.from_text(text))
    second = apply_scenario(case_b, Scenario.from_text(text))
    assert set(first.graph) == set(second.graph)
    assert len(first.graph) == len(case_b.graph) + 4
    assert (BNode("c"), None, None) not in first.graph


def test_output_is_deterministic_and_json_serialisable(case_b, report_b):
    again = compare(case_b, [scenario(name) for name in B_SCENARIOS], order=2)
    assert whatif_text(whatif_json(report_b, case_b)) == whatif_text(whatif_json(again, case_b))
    first = json.dumps(whatif_json(report_b, case_b), ensure_ascii=False)
    assert first == json.dumps(whatif_json(again, case_b), ensure_ascii=False)
    data = json.loads(first)
    assert list(data) == sorted(data)
    for entry in data["scenarios"]:
        assert list(entry) == sorted(entry)
    assert whatif_text(whatif_json(report_b, case_b), "ja") == whatif_text(whatif_json(again, case_b), "ja")


def test_text_table_has_one_row_per_base_single_point(report_b, case_b):
    text = whatif_text(whatif_json(report_b, case_b))
    rows = [line for line in text.splitlines() if line.startswith("  ") and line.rstrip().endswith(
        ("stays", "removed", "added", "-"))]
    assert len(rows) == len(report_b.base.spof)
    row = next(line for line in rows if "(b:h-report-nttdata-ldi)" in line)
    assert row.split()[-5:] == ["stays", "removed", "removed", "removed", "removed"]
    row = next(line for line in rows if "(b:h-report-ldi-jmimo)" in line)
    assert row.split()[-5:] == ["stays", "stays", "removed", "removed", "removed"]
    row = next(line for line in rows if "(b:duty-optout)" in line)
    assert row.split()[-5:] == ["stays", "removed", "stays", "stays", "stays"]
    assert "ノートパソコン" not in text
    assert "解消" in whatif_text(whatif_json(report_b, case_b), "ja")


@pytest.mark.parametrize("folder,name", [("case-b-optout", n) for n in B_SCENARIOS]
                         + [("case-a-laptop", n) for n in A_SCENARIOS])
def test_inverse_of_each_example_restores_the_model(folder, name):
    model = load_model([EXAMPLES / folder])
    changed = apply_scenario(model, scenario(name))
    back = apply_scenario(changed, Scenario.from_text(inverse_update(model.graph, changed.graph)))
    assert isomorphic(back.graph, model.graph)


# -- builders ----------------------------------------------------------------------------------


def test_add_control_builder_matches_remedy_2(case_b, report_b):
    text = add_control([REPORT_NTTDATA, B + "duty-optout"], B + "consignee-ldi", notifies=B + "consignee-ldi",
                       latency="P1M", model=case_b)
    assert text == add_control([REPORT_NTTDATA, B + "duty-optout"], B + "consignee-ldi",
                               notifies=B + "consignee-ldi", latency="P1M", model=case_b)
    built = Scenario.from_text(text)
    assert "@ja" in built.text and "@en" in built.text and "urn:chainmodel:scenario:control:" in built.text
    diff = compare(case_b, [built], validation=False).scenarios[0]
    expected = diff_of(report_b, "case-b-remedy-2-ldi-checks.ru")
    assert diff.spof_removed == expected.spof_removed and diff.spof_added == expected.spof_added


def test_add_handoff_builder_matches_the_direct_report(case_b, report_b):
    text = add_handoff(B + "nttdata", B + "consignee-jmimo", B + "duty-optout", cadence="P1M")
    assert "urn:chainmodel:scenario:handoff:" in text
    diff = compare(case_b, [Scenario.from_text(text)], validation=False).scenarios[0]
    assert diff.spof_removed == diff_of(report_b, "case-b-direct-report.ru").spof_removed


def test_preventive_control_builder_matches_the_encrypted_laptop(case_a, report_a):
    text = add_control([A + "laptop"], A + "foundation", kind="preventive", rules_out_leak=True)
    diff = compare(case_a, [Scenario.from_text(text)], validation=False).scenarios[0]
    assert diff.spof_removed == diff_of(report_a, "case-a-encrypted-laptop.ru").spof_removed


def test_builders_refuse_bad_arguments(case_b):
    with pytest.raises(ScenarioError):
        add_control([REPORT_NTTDATA], B + "ldi", kind="corrective")
    with pytest.raises(ScenarioError):
        add_control([REPORT_NTTDATA], B + "ldi", latency="monthly")
    with pytest.raises(ScenarioError):
        add_control([REPORT_NTTDATA], B + "ldi", rules_out_leak=True)
    with pytest.raises(ScenarioError):
        add_handoff("not an iri", B + "ldi", None)
    with pytest.raises(ScenarioError):
        remove_element(case_b, "no such element anywhere")


def test_remove_element_deletes_every_mention(case_b):
    text = remove_element(case_b, "b:h-report-ldi-jmimo")
    changed = apply_scenario(case_b, Scenario.from_text(text))
    node = URIRef(REPORT_LDI)
    assert (node, None, None) not in changed.graph and (None, None, node) not in changed.graph


# -- properties ---------------------------------------------------------------------------------


def _elements_of(model):
    view = chain_view(model)
    return sorted(view.handoffs) + sorted(view.duties)


CASE_B = load_model([EXAMPLES / "case-b-optout"])
CASE_A = load_model([EXAMPLES / "case-a-laptop"])
BASE_B = snapshot(CASE_B, order=2, validation=False)
B_ELEMENTS = _elements_of(CASE_B)
HANDOFFS = [(CASE_B, iri) for iri in sorted(chain_view(CASE_B).handoffs)] + \
           [(CASE_A, iri) for iri in sorted(chain_view(CASE_A).handoffs)]


@SETTINGS
@given(covered=st.lists(st.sampled_from(B_ELEMENTS), min_size=1, max_size=len(B_ELEMENTS), unique=True),
       number=st.integers(min_value=0, max_value=10_000))
def test_an_independent_detective_control_never_adds_a_single_point(covered, number):
    organisation = f"urn:test:organisation:{number}"
    control = f"urn:test:control:{number}"
    guard_performer = B + "consignee-jmimo"
    text = (f"PREFIX cm: <{CM}>\nINSERT DATA {{\n  <{organisation}> a cm:Organisation .\n"
            f"  <{control}> a cm:DetectiveControl ; cm:operatedBy <{organisation}> ;\n"
            f"    cm:covers {' , '.join(f'<{iri}>' for iri in covered)} ;\n"
            f"    cm:notifies <{guard_performer}> ; cm:detectionLatency \"P0D\"^^xsd:duration .\n}}\n")
    after = snapshot(apply_scenario(CASE_B, Scenario.from_text(text)), order=2, validation=False)
    assert set(after.spof) <= set(BASE_B.spof)
    assert set(after.leaks) <= set(BASE_B.leaks)


@SETTINGS
@given(choice=st.sampled_from(HANDOFFS))
def test_removing_a_hand_off_never_removes_a_leak_that_does_not_go_through_it(choice):
    model, handoff = choice
    base = snapshot(model, order=2, validation=False)
    after = snapshot(apply_scenario(model, Scenario.from_text(remove_element(model, handoff))),
                     order=2, validation=False)
    for harm in harms(chain_view(model)):
        involved = {event for cut in minimal_cut_sets(harm, order=2) for event in cut}
        if handoff in involved or handoff in (harm.flow, harm.key) or handoff in harm.downstream:
            continue
        assert harm.key in after.harms, harm.key
        if harm.key in base.leaks:
            assert harm.key in after.leaks, harm.key


def _plain_triples(graph):
    return sorted((t for t in graph if not any(isinstance(term, BNode) for term in t) and t[1] != RDF.type),
                  key=lambda t: tuple(term.n3() for term in t))


B_TRIPLES = _plain_triples(CASE_B.graph)
B_TYPED = sorted({s for s in CASE_B.graph.subjects(RDF.type, None) if isinstance(s, URIRef)}, key=str)
B_PREDICATES = sorted({p for p in CASE_B.graph.predicates() if p != RDF.type}, key=str)
OBJECTS = st.one_of(st.sampled_from(B_TYPED), st.integers(0, 5).map(Literal),
                    st.sampled_from(["P1M", "x", "チェーン"]).map(lambda text: Literal(text, lang="en")))


@SETTINGS
@given(deleted=st.lists(st.sampled_from(B_TRIPLES), max_size=6, unique=True),
       inserted=st.lists(st.tuples(st.sampled_from(B_TYPED), st.sampled_from(B_PREDICATES), OBJECTS), max_size=6),
       new_blank=st.one_of(st.none(), st.integers(0, 3)),
       drop_counts=st.booleans())
def test_a_scenario_then_its_inverse_gives_back_the_model(deleted, inserted, new_blank, drop_counts):
    operations = []
    if deleted:
        operations.append("DELETE DATA {\n" + "\n".join(" ".join(t.n3() for t in triple) + " ." for triple in deleted)
                          + "\n}")
    if inserted:
        operations.append("INSERT DATA {\n" + "\n".join(" ".join(t.n3() for t in triple) + " ." for triple in inserted)
                          + "\n}")
    if new_blank is not None:
        operations.append(f"INSERT DATA {{ <{B}optout-data> cm:countFor [ a cm:SubjectCount ; "
                          f"cm:principal <{B}hospital> ; cm:count {new_blank} ] }}")
    if drop_counts:
        operations.append("DELETE WHERE { ?asset cm:countFor ?count . ?count cm:count 1 }")
    if not operations:
        operations.append(f"INSERT DATA {{ <{B}ldi> cm:heldBy <{B}nttdata> }}")
    text = "PREFIX cm: <https://w3id.org/chainmodel#>\n" + " ;\n".join(operations) + "\n"
    size = len(CASE_B.graph)
    changed = apply_scenario(CASE_B, Scenario.from_text(text))
    back = apply_scenario(changed, Scenario.from_text(inverse_update(CASE_B.graph, changed.graph)))
    assert len(CASE_B.graph) == size
    assert isomorphic(back.graph, CASE_B.graph)


def test_reference_properties_are_ontology_terms():
    from chainmodel.model import ontology_graph

    defined = set(ontology_graph().subjects())
    assert all(prop in defined for prop in REFERENCE_PROPERTIES)


def test_json_keys_are_sorted_at_every_level(case_a, report_a):
    def check(data):
        if isinstance(data, dict):
            assert list(data) == sorted(data)
            for value in data.values():
                check(value)
        elif isinstance(data, list):
            for item in data:
                check(item)

    check(whatif_json(report_a, case_a))


def test_a_harm_that_can_no_longer_happen_is_gone_and_not_listed_as_removed(case_b):
    # reported: removing a guarded provision counted its single points as removed, one by one
    report = compare(case_b, [Scenario.from_text(remove_element(case_b, "b:h-jmimo-producer"))], validation=False)
    data = whatif_json(report, case_b)
    (scenario,) = data["scenarios"]
    assert [(h["kind"], (h["element"] or h["flow"])["name"]) for h in scenario["harms_ended"]] == [
        ("misdirected-data", "b:h-jmimo-producer"), ("guarded-provision", "b:h-jmimo-producer")]
    text = whatif_text(data)
    row = next(line for line in text.splitlines() if line.startswith("  NTT DATA's monthly opt-out report"))
    assert row.split()[-1] == "gone"
    removed = text.split("Single points of failure removed:")[1].split("  Harms that can no longer happen:")[0] \
        if "Single points of failure removed:" in text else ""
    assert "b:h-report-nttdata-ldi" not in removed
    assert "  Harms that can no longer happen:" in text
    assert "消滅" in whatif_text(data, "ja") and "gone" not in whatif_text(data, "ja")


def test_an_exposure_window_that_changes_is_shown_before_and_after(case_b):
    report = compare(case_b, [Scenario.from_text(remove_element(case_b, "b:e-exposure"))], validation=False)
    data = whatif_json(report, case_b)
    changes = data["scenarios"][0]["window_changes"]
    as_it_happened = next(c for c in changes if c["control"] is None)
    assert as_it_happened["before"] == {"end": "2025-08-04", "start": "2025-04-25"}
    assert as_it_happened["after"] != as_it_happened["before"]
    text = whatif_text(data)
    assert "  Exposure windows changed:" in text and "2025-04-25 to 2025-08-04 -> " in text
