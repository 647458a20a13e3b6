"""The chain view (chainmodel.views): plain records read once from the graph.

Pinned here: the records and their fields, derived tiers (1, else 1 + the least tier of a
parent, None in a cycle), parents inferred from a shared duty or data asset (all of them,
and flagged, when several qualify), consignments implied by ``cm:consignsTo`` and
``prov:actedOnBehalfOf`` with the duties they entrust, roles derived from the tiers,
population relations stated on both assets, the terms a model uses and the chainmodel
terms it invents, and the chains above a consignment with their roots.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph

from chainmodel.standards import implicit_iri
from chainmodel.views import MAX_CHAINS_UP, duration_months, terms_used
from inline import B, CM, EX, PREFIXES, ex, hypothesis_with_view_of

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PROV = "@prefix prov: <http://www.w3.org/ns/prov#> .\n"

# P -> A (c1) -> B (c2) -> C (c3), and A -> D (c4): every parent inferred from the data entrusted.
TIERS = """
ex:p a cm:Organisation . ex:a a cm:Organisation . ex:b a cm:Organisation .
ex:c a cm:Organisation . ex:d a cm:Organisation .
ex:data a cm:DataAsset .
ex:c1 a cm:Consignment ; cm:consignor ex:p ; cm:consignee ex:a ; cm:entrustsData ex:data .
ex:c2 a cm:Consignment ; cm:consignor ex:a ; cm:consignee ex:b ; cm:entrustsData ex:data .
ex:c3 a cm:Consignment ; cm:consignor ex:b ; cm:consignee ex:c ; cm:entrustsData ex:data .
ex:c4 a cm:Consignment ; cm:consignor ex:a ; cm:consignee ex:d ; cm:entrustsData ex:data .
"""


# -- records ----------------------------------------------------------------------------------


def test_parties_have_roles_organisation_capacity_sector_and_country(view_of):
    view = view_of("""
ex:insurer a cm:Organisation , cm:Principal ; cm:sector cm:LocalGovernment ; cm:country " jp " .
ex:desk a cm:Capacity ; cm:capacityOf ex:insurer .
ex:ppc a cm:Organisation , cm:Regulator .
ex:duty a cm:Duty ; cm:accountable ex:insurer ; cm:performedBy ex:nobody-declared .
""")
    insurer, desk = view.parties[EX + "insurer"], view.parties[EX + "desk"]
    assert (insurer.roles, insurer.sector, insurer.country) == (frozenset({"principal"}), CM + "LocalGovernment", "JP")
    assert (desk.organisation, desk.is_capacity, desk.org, insurer.org) == (EX + "insurer", True, EX + "insurer",
                                                                           EX + "insurer")
    assert view.parties[EX + "ppc"].roles == frozenset({"regulator"}) and view.regulators == ex("ppc")
    referenced = view.parties[EX + "nobody-declared"]
    assert referenced.declared is False and insurer.declared is True
    assert view.org(EX + "desk") == EX + "insurer" and view.org(EX + "stranger") == EX + "stranger"
    assert view.org(None) is None


def test_roles_are_declared_ones_plus_those_the_tiers_give(view_of):
    view = view_of(TIERS)
    assert [view.roles(p) for p in ex("p", "a", "b", "c")] == [
        ("principal",), ("consignee",), ("re-consignee",), ("re-consignee",)]


def test_hand_offs_are_read_with_their_kind_from_the_class(view_of):
    view = view_of("""
ex:s a cm:Organisation . ex:r a cm:Organisation .
ex:h1 a cm:DataProvision ; cm:sender ex:s ; cm:receiver ex:r ; cm:carries ex:a ; cm:leadTime "P1M"^^xsd:duration .
ex:h2 a cm:Report ; cm:sender ex:r ; cm:receiver ex:s ; cm:cadence "monthly" .
ex:h3 a cm:Instruction ; cm:sender ex:s ; cm:receiver ex:r .
ex:h4 a cm:HandOff ; cm:sender ex:s ; cm:receiver ex:r .
ex:a a cm:DataAsset .
""")
    assert [view.handoffs[h].kind for h in ex("h1", "h2", "h3", "h4")] == [
        "data-provision", "report", "instruction", "hand-off"]
    h1 = view.handoffs[EX + "h1"]
    assert (h1.sender, h1.receiver, h1.carries, h1.lead_time, h1.is_data) == (EX + "s", EX + "r", ex("a"), "P1M", True)
    assert view.handoffs[EX + "h2"].cadence == "monthly" and not view.handoffs[EX + "h2"].is_data


def test_assets_copies_devices_and_controls_are_read_with_their_defaults(view_of):
    view = view_of("""
ex:o a cm:Organisation . ex:h a cm:Organisation .
ex:diagnosis a cm:DataCategory ; cm:sensitive true .
ex:a a cm:DataAsset ; cm:subjectCount 40 ; cm:category ex:diagnosis , cm:CardNumber , cm:IndividualNumber ;
    cm:controller ex:o .
ex:b a cm:DataAsset ; cm:sensitive true .
ex:anon a cm:DataAsset ; cm:anonymised true .
ex:laptop a cm:Device ; cm:portable false ; cm:heldBy ex:h ; cm:country "de" .
ex:k a cm:DataCopy ; cm:copyOf ex:a ; cm:storedOn ex:laptop .
ex:check a cm:DetectiveControl ; cm:operatedBy ex:o ; cm:covers ex:laptop ; cm:detectionLatency "P3D"^^xsd:duration .
ex:lock a cm:PreventiveControl ; cm:operatedBy ex:h ; cm:covers ex:k ; cm:rulesOutLeak true .
ex:other a cm:Control ; cm:operatedBy ex:h ; cm:notifies ex:o .
""")
    a = view.assets[EX + "a"]
    assert (a.subject_count, a.controllers, a.sensitive, a.sensitive_categories) == (
        40, ex("o"), True, ex("diagnosis"))  # sensitive through its category
    assert (a.financial_categories, a.individual_number) == ((CM + "CardNumber",), True)
    assert view.sensitive_categories(EX + "a") == ex("diagnosis") and view.sensitive_categories(EX + "none") == ()
    assert view.assets[EX + "b"].sensitive and view.assets[EX + "b"].sensitive_categories == ()
    assert view.assets[EX + "anon"].anonymised and not view.assets[EX + "a"].anonymised
    laptop = view.devices[EX + "laptop"]
    assert (laptop.portable, laptop.holder, laptop.country) == (False, EX + "h", "DE")
    copy = view.copies[EX + "k"]
    assert (copy.asset, copy.device, copy.holder, view.holder_of(copy)) == (EX + "a", EX + "laptop", None, EX + "h")
    check, lock, other = (view.controls[k] for k in ex("check", "lock", "other"))
    assert (check.kind, check.notifies, check.latency, check.rules_out_leak) == ("detective", ex("o"), "P3D", None)
    assert (lock.kind, lock.rules_out_leak) == ("preventive", True)
    assert (other.kind, other.notifies) == ("control", ex("o"))


def test_a_model_s_own_failure_mode_extends_the_ontology_s(view_of):
    shipped = view_of("").failure_modes[CM + "LossOrTheft"].applies_to
    view = view_of("""
cm:LossOrTheft a cm:FailureMode ; cm:appliesTo cm:DataCopy .
ex:flood a cm:FailureMode ; cm:appliesTo cm:Device ; cm:effect cm:Exposes .
""")
    assert CM + "DataCopy" not in shipped
    assert view.failure_modes[CM + "LossOrTheft"].applies_to == tuple(sorted({*shipped, CM + "DataCopy"}))
    assert view.failure_modes[CM + "LossOrTheft"].effect == CM + "Exposes"
    assert view.failure_modes[EX + "flood"].effect == CM + "Exposes"


def test_events_and_incidents_are_read_with_their_kinds(view_of):
    view = view_of("""
ex:i a cm:Incident ; cm:concerns ex:laptop ; cm:hasEvent ex:e1 , ex:e2 ; cm:improperPurpose false .
ex:e1 a cm:ExposureBegan ; cm:date "2025-04-25"^^xsd:date .
ex:e2 a cm:Detected ; cm:date "2025-08-04"^^xsd:date ; cm:actor ex:o .
ex:laptop a cm:Device . ex:o a cm:Organisation .
""")
    assert [(e.kind, e.date) for e in view.events.values()] == [("exposure-began", "2025-04-25"),
                                                                 ("detected", "2025-08-04")]
    incident = view.incidents[EX + "i"]
    assert (incident.concerns, incident.events, incident.improper_purpose) == (ex("laptop"), ex("e1", "e2"), False)


def test_a_reference_to_something_never_declared_is_unresolved(view_of):
    view = view_of("ex:c a cm:Consignment ; cm:consignor ex:p ; cm:consignee ex:ghost .\nex:p a cm:Organisation .\n")
    assert view.unresolved == ((EX + "c", CM + "consignee", EX + "ghost"),)


@pytest.mark.parametrize("text,months", [("P1M", 1.0), ("P1Y6M", 18.0), ("P2W", 14 / 30.4375), ("P0D", 0.0),
                                         ("monthly", None), ("", None), (None, None), ("P", None)])
def test_durations_are_read_in_months(text, months):
    assert duration_months(text) == (pytest.approx(months) if months is not None else None)


# -- tiers and parents ------------------------------------------------------------------------


def test_tiers_count_from_the_top_and_parents_are_inferred_from_shared_data(view_of):
    view = view_of(TIERS)
    assert {c: view.tier(c) for c in ex("c1", "c2", "c3", "c4")} == {EX + "c1": 1, EX + "c2": 2, EX + "c3": 3,
                                                                    EX + "c4": 2}
    assert view.consignments[EX + "c3"].parents == ex("c2")
    assert view.consignments[EX + "c3"].parents_inferred
    assert not view.consignments[EX + "c1"].parents_inferred
    assert view.children == {EX + "c1": ex("c2", "c4"), EX + "c2": ex("c3")}
    assert view.ambiguous_parents == ()


def test_a_stated_parent_is_kept_and_a_stated_tier_is_not_the_derived_one(view_of):
    view = view_of(TIERS.replace("ex:c3 a cm:Consignment ;", "ex:c3 a cm:Consignment ; cm:extends ex:c4 ; cm:tier 7 ;"))
    assert view.consignments[EX + "c3"].parents == ex("c4") and not view.consignments[EX + "c3"].parents_inferred
    assert (view.tier(EX + "c3"), view.consignments[EX + "c3"].stated_tier) == (3, 7)


def test_a_consignment_takes_the_least_tier_of_its_parents_plus_one(view_of):
    view = view_of(TIERS + "ex:c5 a cm:Consignment ; cm:consignor ex:c ; cm:consignee ex:d ; "
                           "cm:extends ex:c3 , ex:c1 .\n")
    assert view.tier(EX + "c5") == 2


def test_several_candidate_parents_are_all_kept_and_flagged(view_of):
    view = view_of(TIERS + "ex:c6 a cm:Consignment ; cm:consignor ex:p ; cm:consignee ex:a ; cm:entrustsData ex:data .\n")
    assert view.consignments[EX + "c2"].parents == ex("c1", "c6")
    assert view.ambiguous_parents == ex("c2", "c4")


def test_a_parent_is_inferred_only_from_a_consignment_sharing_what_is_entrusted(view_of):
    body = TIERS + "ex:other a cm:DataAsset .\n" \
        "ex:c7 a cm:Consignment ; cm:consignor ex:d ; cm:consignee ex:b ; cm:entrustsData ex:other .\n"
    view = view_of(body)
    assert view.consignments[EX + "c3"].parents == ex("c2")  # B's other consignment entrusts other data
    assert view.consignments[EX + "c7"].parents == ()  # c4 brought D no "other"
    assert view.tier(EX + "c7") == 1


def test_a_cycle_of_extends_has_no_tier_and_is_reported(view_of):
    view = view_of(TIERS + "ex:c1 cm:extends ex:c3 .\n")
    assert view.cycles == (ex("c1", "c2", "c3"),)
    assert [view.tier(c) for c in ex("c1", "c2", "c3", "c4")] == [None, None, None, None]  # c4 hangs below it
    below_a_top = view_of(TIERS + "ex:c1 cm:extends ex:c3 .\nex:c2 cm:extends ex:c0 , ex:c1 .\n"
                                  "ex:c0 a cm:Consignment ; cm:consignor ex:p ; cm:consignee ex:a .\n")
    assert below_a_top.tier(EX + "c0") == 1
    assert [below_a_top.tier(c) for c in ex("c1", "c2", "c3")] == [None, None, None]  # never 2, 3, 4


# -- implicit consignments --------------------------------------------------------------------

IMPLICIT = PROV + """
ex:city a cm:Organisation . ex:vendor a cm:Organisation . ex:sub a cm:Organisation .
ex:d1 a cm:Duty ; cm:accountable ex:city . ex:d2 a cm:Duty ; cm:accountable ex:city .
ex:d3 a cm:Duty ; cm:accountable ex:vendor .
ex:city cm:consignsTo ex:vendor .
ex:sub prov:actedOnBehalfOf ex:vendor .
"""


def test_consigns_to_and_acted_on_behalf_of_are_consignments_with_stable_iris(view_of):
    view = view_of(IMPLICIT)
    top, below = implicit_iri("consignment", EX + "city", EX + "vendor"), implicit_iri("consignment", EX + "vendor", EX + "sub")
    assert sorted(view.consignments) == sorted([top, below])
    assert (view.consignments[top].consignor, view.consignments[top].consignee) == (EX + "city", EX + "vendor")
    assert (view.consignments[below].consignor, view.consignments[below].consignee) == (EX + "vendor", EX + "sub")
    assert view.consignments[top].implicit and view.consignments[below].implicit
    assert view.consignments[below].parents == (top,) and (view.tier(top), view.tier(below)) == (1, 2)


def test_an_implicit_consignment_entrusts_every_duty_of_its_consignor_and_what_its_parent_entrusts(view_of):
    view = view_of(IMPLICIT)
    top, below = implicit_iri("consignment", EX + "city", EX + "vendor"), implicit_iri("consignment", EX + "vendor", EX + "sub")
    assert view.consignments[top].duties == frozenset(ex("d1", "d2"))
    assert view.consignments[below].duties == frozenset(ex("d1", "d2", "d3"))


def test_an_implicit_consignment_is_named_by_its_parties_and_duties(view_of):
    view = view_of(IMPLICIT + 'ex:city rdfs:label "city"@en . ex:vendor rdfs:label "vendor"@en . '
                              'ex:d1 rdfs:label "d1"@en . ex:d2 rdfs:label "d2"@en .\n')
    top = implicit_iri("consignment", EX + "city", EX + "vendor")
    assert view.model.label(top) == "city -> vendor: d1, d2"


def test_a_shortcut_says_nothing_new_where_a_consignment_links_the_pair(view_of):
    view = view_of(IMPLICIT + "ex:c a cm:Consignment ; cm:consignor ex:city ; cm:consignee ex:vendor ; "
                              "cm:entrusts ex:d1 .\n")
    assert implicit_iri("consignment", EX + "city", EX + "vendor") not in view.consignments
    assert view.consignments[EX + "c"].duties == frozenset(ex("d1"))
    assert not view.consignments[EX + "c"].implicit


# -- population relations, terms --------------------------------------------------------------


def test_symmetric_population_relations_are_stated_on_both_assets(view_of):
    view = view_of("""
ex:a1 a cm:DataAsset ; cm:samePopulationAs ex:a2 ; cm:overlapsWith ex:a3 .
ex:a2 a cm:DataAsset .
ex:a3 a cm:DataAsset ; cm:disjointFrom ex:a1 .
ex:a4 a cm:DataAsset ; cm:subsetOf ex:a1 .
""")
    relations = {iri: (a.same_population, a.overlaps, a.disjoint) for iri, a in view.assets.items()}
    assert relations == {
        EX + "a1": (ex("a2"), ex("a3"), ex("a3")),
        EX + "a2": (ex("a1"), (), ()),
        EX + "a3": ((), ex("a1"), ex("a1")),
        EX + "a4": ((), (), ()),
    }
    assert view.assets[EX + "a1"].subset_of == ()  # a subset is no symmetric relation


def test_terms_used_are_predicates_classes_and_chainmodel_iris():
    graph = Graph().parse(data=PREFIXES + "ex:x a cm:Consignment ; cm:approval cm:Approved ; "
                                          "rdfs:label \"x\" ; ex:own ex:y .\nex:y a ex:Kind .", format="turtle")
    assert terms_used(graph) == frozenset({
        RDF_TYPE, CM + "Consignment", CM + "approval", CM + "Approved", "http://www.w3.org/2000/01/rdf-schema#label",
        EX + "own", EX + "Kind"})  # never ex:y, an object that is no class


def test_invented_chainmodel_terms_are_named_with_the_subjects_using_them(view_of):
    view = view_of("ex:x a cm:Consigment ; cm:aproval cm:Approved .\nex:y cm:aproval cm:Aproved .\n")
    assert view.unknown_uses == (
        (CM + "Aproved", EX + "y"), (CM + "Consigment", EX + "x"), (CM + "aproval", EX + "x"), (CM + "aproval", EX + "y"))
    assert CM + "Consigment" in view.terms_used


def test_a_model_s_subclass_of_a_chainmodel_class_is_read_as_it(view_of):
    view = view_of("ex:Hospital rdfs:subClassOf cm:Organisation .\nex:h a ex:Hospital .\n")
    assert EX + "h" in view.parties and view.parties[EX + "h"].declared
    assert EX + "Hospital" in view.classes_read


# -- chains up --------------------------------------------------------------------------------


def test_chains_up_run_from_the_top_to_the_consignment_and_roots_are_their_consignors(view_of):
    view = view_of(TIERS + "ex:c5 a cm:Consignment ; cm:consignor ex:c ; cm:consignee ex:d ; "
                           "cm:extends ex:c3 , ex:c4 .\n")
    assert view.chains_up(EX + "c3") == (ex("c1", "c2", "c3"),)
    assert view.chains_up(EX + "c5") == (ex("c1", "c2", "c3", "c5"), ex("c1", "c4", "c5"))
    assert view.chains_up(EX + "c1") == (ex("c1"),)
    assert view.roots(EX + "c5") == ex("p")


def test_chains_up_stop_at_a_loop_and_are_capped(view_of):
    looped = view_of(TIERS + "ex:c1 cm:extends ex:c3 .\n")
    assert looped.chains_up(EX + "c3") == (ex("c1", "c2", "c3"),)
    lines = ["ex:top a cm:Organisation ."]
    for level in range(8):  # 2**7 = 128 paths down a ladder of diamonds
        for side in ("l", "r"):
            parents = "" if level == 0 else f" ; cm:extends ex:l{level - 1} , ex:r{level - 1}"
            lines.append(f"ex:{side}{level} a cm:Consignment ; cm:consignor ex:top ; cm:consignee ex:top{parents} .")
    ladder = view_of("\n".join(lines) + "\n")
    assert len(ladder.chains_up(EX + "l7")) == MAX_CHAINS_UP


def test_case_b_chains_up_and_roots(case_b_view):
    chains = case_b_view.chains_up(B + "c-ldi-nttdata-for-jmimo")
    assert all(chain[-1] == B + "c-ldi-nttdata-for-jmimo" for chain in chains)
    assert [len(chain) for chain in chains] == [3]
    assert case_b_view.roots(B + "c-ldi-nttdata-for-jmimo") == (B + "hospital",)


@st.composite
def extends_models(draw):
    """Consignments with random cm:extends among them, loops and diamonds included.

    Never a consignment extending itself: its chain up names it twice (reported under issue 13).
    """
    count = draw(st.integers(1, 7))
    lines = ["ex:o a cm:Organisation ."]
    for i in range(count):
        parents = draw(st.sets(st.integers(0, count - 1), max_size=3)) - {i}
        extends = (" ; cm:extends " + " , ".join(f"ex:k{p}" for p in sorted(parents))) if parents else ""
        lines.append(f"ex:k{i} a cm:Consignment ; cm:consignor ex:o ; cm:consignee ex:o{extends} .")
    return "\n".join(lines) + "\n"


@hypothesis_with_view_of(40)
@given(extends_models())
def test_tiers_are_one_plus_the_least_tier_of_a_parent_and_chains_end_at_their_consignment(view_of, body):
    view = view_of(body)
    in_cycle = {iri for cycle in view.cycles for iri in cycle}
    for iri, consignment in view.consignments.items():
        tiers = [view.tier(p) for p in consignment.parents]
        if iri in in_cycle:
            assert view.tier(iri) is None
        elif not consignment.parents:
            assert view.tier(iri) == 1
        else:
            known = [t for t in tiers if t is not None]
            assert view.tier(iri) == (1 + min(known) if known else None)
        chains = view.chains_up(iri)
        assert chains and len(chains) <= MAX_CHAINS_UP and list(chains) == sorted(set(chains))
        for chain in chains:
            assert chain[-1] == iri and len(set(chain)) == len(chain)
            for above, below in zip(chain, chain[1:]):
                assert above in view.consignments[below].parents
            assert set(view.consignments[chain[0]].parents) <= set(chain)  # the top, or a loop closes there
        assert view.roots(iri) == tuple(sorted({view.consignments[c[0]].consignor for c in chains}))


def test_a_consignment_that_extends_itself_is_a_chain_of_one(view_of):
    # reported: ex:k0 cm:extends ex:k0 gave the chain (k0, k0)
    view = view_of("""
ex:p a cm:Organisation . ex:v a cm:Organisation .
ex:k0 a cm:Consignment ; cm:consignor ex:p ; cm:consignee ex:v ; cm:extends ex:k0 .
""")
    assert view.chains_up(EX + "k0") == ((EX + "k0",),)
    assert view.tier(EX + "k0") is None  # a loop: no tier, and validation says so


def test_records_read_from_prov_join_the_others_in_iri_order(view_of):
    # reported: duties read from PROV activities came after the cm:Duty ones
    view = view_of("""
@prefix prov: <http://www.w3.org/ns/prov#> .
ex:z-duty a cm:Duty ; cm:accountable ex:p .
ex:p a cm:Organisation . ex:v a cm:Organisation .
ex:v prov:qualifiedDelegation [ prov:agent ex:p ; prov:hadActivity ex:a-activity ] .
""")
    assert list(view.duties) == sorted(view.duties) and EX + "a-activity" in view.duties
