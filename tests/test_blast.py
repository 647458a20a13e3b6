"""Blast radius (chainmodel.blast): what the compromise of one element exposes, and the ranking.

Pinned here: the kind of element and the data it exposes (a party: what it and its
capacities hold, receive, are entrusted with or control, never anonymised data; a device: the
copies on it; a copy: its asset; an asset: itself), the holders, the consignment chains above
the holders, the preventive controls that rule a leak out, the principals and their
notifications, and the ranking of parties and devices (no regulators, no data subjects, none
that exposes nothing) by exposure, then principals, then IRI.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from chainmodel.blast import blast_radius, blast_rank
from inline import A, EX, ex, hypothesis_with_view_of
from test_reporting import VENDOR

CHAIN = """
ex:p a cm:Organisation , cm:Principal ; rdfs:label "principal P"@en .
ex:q a cm:Organisation ; rdfs:label "principal Q"@en .
ex:v a cm:Organisation ; rdfs:label "vendor V"@en .
ex:v-desk a cm:Capacity ; cm:capacityOf ex:v ; rdfs:label "V's desk for Q"@en .
ex:s a cm:Organisation ; rdfs:label "sub-contractor S"@en .
ex:ppc a cm:Organisation , cm:Regulator ; rdfs:label "PPC"@en .
ex:people a cm:DataSubjectGroup ; rdfs:label "patients"@en .
ex:c1 a cm:Consignment ; cm:consignor ex:p ; cm:consignee ex:v ; cm:entrustsData ex:pdata .
ex:c2 a cm:Consignment ; cm:consignor ex:v ; cm:consignee ex:s ; cm:extends ex:c1 ; cm:entrustsData ex:pdata .
ex:c3 a cm:Consignment ; cm:consignor ex:q ; cm:consignee ex:v-desk ; cm:entrustsData ex:qdata .
ex:pdata a cm:DataAsset ; cm:controller ex:p ; cm:subjects ex:people ; cm:subjectCount 300 .
ex:qdata a cm:DataAsset ; cm:controller ex:q ; cm:subjectCount 20 .
ex:stats a cm:DataAsset ; cm:controller ex:p ; cm:anonymised true ; cm:subjectCount 999 .
ex:laptop a cm:Device ; cm:portable true ; cm:heldBy ex:s .
ex:pc a cm:DataCopy ; cm:copyOf ex:pdata ; cm:storedOn ex:laptop .
ex:s-stats a cm:DataCopy ; cm:copyOf ex:stats ; cm:heldBy ex:s .
"""

ENCRYPTED = "ex:enc a cm:PreventiveControl ; cm:operatedBy ex:s ; cm:covers ex:laptop ; cm:rulesOutLeak true .\n"


def assets(found) -> list[str]:
    return [item.asset for item in found.exposure.assets]


def test_a_party_exposes_what_it_and_its_capacities_hold_never_anonymised_data(view_of):
    view = view_of(CHAIN)
    vendor = blast_radius(view, EX + "v")
    assert (vendor.kind, vendor.holders) == ("party", ex("v", "v-desk"))
    assert assets(vendor) == list(ex("pdata", "qdata"))
    assert vendor.principals == ex("p", "q")
    people = vendor.exposure.people.count
    assert (people.low, people.high) == (300, 320)  # no relation stated between the two assets: bounds
    sub = blast_radius(view, EX + "s")
    assert assets(sub) == [EX + "pdata"]  # its statistics copy is anonymised
    assert blast_radius(view, EX + "v-desk").principals == ex("q")  # a capacity holds only its own


def test_a_party_exposes_the_data_it_receives_or_controls(view_of):
    view = view_of(CHAIN + "ex:h a cm:DataProvision ; cm:sender ex:s ; cm:receiver ex:r ; cm:carries ex:pdata .\n"
                   "ex:r a cm:Organisation .\n")
    assert assets(blast_radius(view, EX + "r")) == [EX + "pdata"]
    assert assets(blast_radius(view, EX + "q")) == [EX + "qdata"]  # the controller of its own data


def test_the_chains_are_those_above_the_holders_from_the_top(view_of):
    view = view_of(CHAIN)
    assert blast_radius(view, EX + "v").chains == (ex("c1"), ex("c3"))
    assert blast_radius(view, EX + "s").chains == (ex("c1", "c2"),)
    assert blast_radius(view, EX + "p").chains == ()  # nothing is consigned to the principal


def test_a_device_exposes_the_copies_on_it_and_its_holder_holds_them(view_of):
    found = blast_radius(view_of(CHAIN), EX + "laptop")
    assert (found.kind, found.holders, assets(found)) == ("device", ex("s"), [EX + "pdata"])
    assert found.chains == (ex("c1", "c2"),)
    assert found.protected_by == ()


def test_a_copy_exposes_its_asset_and_an_asset_itself_wherever_it_is_held(view_of):
    view = view_of(CHAIN)
    copy = blast_radius(view, EX + "pc")
    assert (copy.kind, copy.holders, assets(copy)) == ("copy", ex("s"), [EX + "pdata"])
    asset = blast_radius(view, EX + "pdata")
    assert (asset.kind, asset.holders, assets(asset)) == ("asset", ex("s"), [EX + "pdata"])
    assert asset.chains == (ex("c1"), ex("c1", "c2"))  # every consignment that entrusts it, too


def test_a_preventive_control_that_rules_a_leak_out_protects_the_device_and_its_copies(view_of):
    view = view_of(CHAIN + ENCRYPTED)
    assert blast_radius(view, EX + "laptop").protected_by == ex("enc")
    assert blast_radius(view, EX + "pc").protected_by == ex("enc")
    assert blast_radius(view, EX + "s").protected_by == ()  # a party is not protected by its devices' controls
    on_the_party = view_of(CHAIN + ENCRYPTED.replace("cm:covers ex:laptop", "cm:covers ex:s"))
    assert blast_radius(on_the_party, EX + "s").protected_by == ()  # nor by a control on itself
    weaker = view_of(CHAIN + ENCRYPTED.replace(" ; cm:rulesOutLeak true", ""))
    assert blast_radius(weaker, EX + "laptop").protected_by == ()
    detective = view_of(CHAIN + ENCRYPTED.replace("cm:PreventiveControl", "cm:DetectiveControl"))
    assert blast_radius(detective, EX + "laptop").protected_by == ()


def test_notifications_are_the_principals_duties_each_pair_once_in_order(view_of, case_a_view):
    for view, element in ((view_of(VENDOR), EX + "v"), (case_a_view, "https://example.org/chainmodel/case-a#laptop")):
        found = blast_radius(view, element)
        assert found.principals == tuple(duty.principal for duty in found.duties)
        pairs = [(n.sender, n.recipient) for duty in found.duties for n in duty.notifications]
        expected = list(dict.fromkeys(pairs))
        assert [(n.sender, n.recipient) for n in found.notifications] == expected
        assert expected  # the examples do oblige someone to report


def test_the_ranking_leaves_out_regulators_data_subjects_and_what_exposes_nothing(view_of):
    body = CHAIN + ("ex:idle a cm:Organisation .\n"  # holds nothing
                    "ex:filed a cm:DataProvision ; cm:sender ex:p ; cm:receiver ex:ppc ; cm:carries ex:pdata .\n"
                    "ex:own a cm:DataCopy ; cm:copyOf ex:pdata ; cm:heldBy ex:people .\n")
    view = view_of(body)
    assert blast_radius(view, EX + "ppc").exposure.assets and blast_radius(view, EX + "people").exposure.assets
    ranked = [b.element for b in blast_rank(view)]
    assert not {EX + "ppc", EX + "people", EX + "idle"} & set(ranked)
    assert set(ranked) == set(ex("laptop", "p", "q", "s", "v", "v-desk"))


def test_the_ranking_is_by_exposure_then_principals_then_iri(view_of):
    ranked = [(b.element, b.exposure.known_subjects, len(b.principals)) for b in blast_rank(view_of(CHAIN))]
    assert ranked == [
        (EX + "v", 300, 2),  # 300 to 320 people
        (EX + "laptop", 300, 1), (EX + "p", 300, 1), (EX + "s", 300, 1),  # exactly 300 each, one principal: by IRI
        (EX + "q", 20, 1), (EX + "v-desk", 20, 1),
    ]


def test_equal_exposure_ranks_the_element_with_more_principals_first(view_of):
    body = """
ex:p a cm:Organisation . ex:q a cm:Organisation . ex:b a cm:Organisation . ex:z a cm:Organisation .
ex:joint a cm:DataAsset ; cm:controller ex:p , ex:q ; cm:subjectCount 50 ;
    cm:countFor [ cm:principal ex:p ; cm:count 25 ] , [ cm:principal ex:q ; cm:count 25 ] .
ex:solo a cm:DataAsset ; cm:subjectCount 50 .
ex:kz a cm:DataCopy ; cm:copyOf ex:joint ; cm:heldBy ex:z .
ex:kb a cm:DataCopy ; cm:copyOf ex:solo ; cm:heldBy ex:b .
"""
    ranked = [(b.element, len(b.principals)) for b in blast_rank(view_of(body))]
    # 50 people each for z and b: the holder of the joint data (two principals) before b, whatever
    # the IRIs; each controller of the joint data, holding none of it, exposes its own 25
    assert ranked == [(EX + "z", 2), (EX + "b", 0), (EX + "p", 1), (EX + "q", 1)]


def test_a_principal_that_holds_none_of_a_shared_asset_is_charged_its_own_share(case_a_view):
    """Regression (issue 11): `blast --rank` said Resonac's data exposes 171,472 people, the
    whole asset it shares with insurers the notice does not name; its share is 5,747."""
    found = blast_radius(case_a_view, A + "resonac")
    people = found.exposure.people.count
    assert (people.low, people.high) == (5_747, None)  # and its unknown share of the checkup results
    assert [p.principal for p in found.exposure.principals] == [A + "resonac"]
    assert found.exposure.assets[0].total.figure == 171_472  # the asset's total is still shown as such


def test_the_ranking_keeps_the_first_entries_when_limited(view_of):
    view = view_of(CHAIN)
    assert blast_rank(view, limit=2) == blast_rank(view)[:2]


def test_the_ranking_gives_what_blast_radius_gives_for_each_element(view_of):
    view = view_of(CHAIN + ENCRYPTED)
    ranked = blast_rank(view)
    assert [b.element for b in ranked] == list(ex("v", "laptop", "p", "s", "q", "v-desk"))
    for found in ranked:
        assert found == blast_radius(view, found.element)


@st.composite
def consignment_models(draw):
    """Principals with data of random sizes, consigned to random vendors, some with laptops."""
    principals, vendors = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    lines = [f"ex:p{i} a cm:Organisation .\nex:d{i} a cm:DataAsset ; cm:controller ex:p{i} ; "
             f"cm:subjectCount {draw(st.integers(0, 5000))} ." for i in range(principals)]
    lines += [f"ex:v{j} a cm:Organisation ." for j in range(vendors)]
    for i in range(principals):
        for j in draw(st.sets(st.integers(0, vendors - 1), max_size=vendors)):
            lines.append(f"ex:c{i}-{j} a cm:Consignment ; cm:consignor ex:p{i} ; cm:consignee ex:v{j} ; "
                         f"cm:entrustsData ex:d{i} .")
            if draw(st.booleans()):
                lines.append(f"ex:pc{i}-{j} a cm:Device ; cm:heldBy ex:v{j} .\n"
                             f"ex:k{i}-{j} a cm:DataCopy ; cm:copyOf ex:d{i} ; cm:storedOn ex:pc{i}-{j} .")
    return "\n".join(lines) + "\n"


@hypothesis_with_view_of(25)
@given(consignment_models())
def test_blast_rank_is_sorted_by_its_rank_key(view_of, body):
    ranked = blast_rank(view_of(body))
    keys = [(b.exposure.rank_key, -len(b.principals), b.element) for b in ranked]
    assert keys == sorted(keys)
    assert all(b.exposure.assets for b in ranked)
    assert len({b.element for b in ranked}) == len(ranked)


def test_anonymised_data_exposes_nobody_whichever_element_holds_it(view_of):
    # reported: a device, a copy or the asset itself counted anonymised data as exposed people
    view = view_of("""
ex:p a cm:Organisation . ex:h a cm:Organisation .
ex:stats a cm:DataAsset ; cm:controller ex:p ; cm:anonymised true ; cm:subjectCount 999 .
ex:laptop a cm:Device ; cm:heldBy ex:h .
ex:k a cm:DataCopy ; cm:copyOf ex:stats ; cm:storedOn ex:laptop .
""")
    for element in ex("laptop", "k", "stats", "h"):
        found = blast_radius(view, element)
        assert (found.exposure.subjects, found.exposure.assets) == (0, ()), element
    assert [b.element for b in blast_rank(view)] == []
