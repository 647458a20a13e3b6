"""What assets expose, per unit and per principal: never summed blindly (issue 11)."""

import json

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from chainmodel.blast import blast_radius
from chainmodel.cli import cli
from chainmodel.exposure import exposure
from chainmodel.leaks import single_points_of_failure
from inline import answer, A, CM, EX, ex, hypothesis_with_view_of

REGISTER = """
ex:city a cm:Organisation ; rdfs:label "Minami City (fictional)"@en , "南市（架空）"@ja ; cm:sector cm:LocalGovernment .
ex:vendor a cm:Organisation ; rdfs:label "vendor"@en .
ex:residents a cm:DataSubjectGroup ; rdfs:label "residents"@en .
ex:c1 a cm:Consignment ; cm:consignor ex:city ; cm:consignee ex:vendor ;
    cm:entrustsData ex:register , ex:tax , ex:households .
ex:register a cm:DataAsset ; rdfs:label "resident register"@en ; cm:controller ex:city ; cm:subjects ex:residents ;
    cm:subjectCount 10000 .
ex:tax a cm:DataAsset ; rdfs:label "tax records of the same residents"@en ; cm:controller ex:city ;
    cm:subjectCount 8000 ; cm:subsetOf ex:register .
ex:households a cm:DataAsset ; rdfs:label "household list"@en ; cm:controller ex:city ;
    cm:subjectCount 4200 ; cm:unit cm:Households .
ex:usb a cm:Device ; rdfs:label "USB stick"@en ; cm:portable true ; cm:heldBy ex:vendor .
ex:k1 a cm:DataCopy ; cm:copyOf ex:register ; cm:storedOn ex:usb .
ex:k2 a cm:DataCopy ; cm:copyOf ex:tax ; cm:storedOn ex:usb .
ex:k3 a cm:DataCopy ; cm:copyOf ex:households ; cm:storedOn ex:usb .
"""


def _figures(found):
    return {p.unit.rsplit("#")[1]: (p.count.low, p.count.high) for p in found.populations}


def test_a_register_and_its_subset_on_one_stick_count_once_and_households_apart(view_of):
    found = blast_radius(view_of(REGISTER), EX + "usb").exposure
    assert _figures(found) == {"People": (10_000, 10_000), "Households": (4_200, 4_200)}
    assert found.people.count.exact and found.people.union.counted == ex("register")
    assert found.subjects == 10_000  # never 18,000, never 22,200


def test_without_the_subset_relation_the_register_and_tax_records_are_bounds(view_of):
    found = blast_radius(view_of(REGISTER.replace("; cm:subsetOf ex:register", "")), EX + "usb").exposure
    assert _figures(found)["People"] == (10_000, 18_000)
    assert found.people.union.reasons == (("overlap-unknown", ex("register", "tax")),)
    assert found.subjects is None and found.known_subjects == 10_000


SHARED = """
ex:x a cm:Organisation ; rdfs:label "insurer X"@en .
ex:y a cm:Organisation ; rdfs:label "insurer Y"@en .
ex:z a cm:Organisation ; rdfs:label "insurer Z"@en .
ex:agency a cm:Organisation ; rdfs:label "checkup agency"@en .
ex:records a cm:DataAsset ; rdfs:label "checkup records"@en ; cm:sensitive true ;
    cm:controller ex:x , ex:y , ex:z ; cm:subjectCount 1500 ;
    cm:countFor [ cm:principal ex:x ; cm:count 600 ] , [ cm:principal ex:y ; cm:count 400 ] .
"""


def test_each_principal_is_charged_its_own_share_and_the_one_uncounted_gets_the_rest(view_of):
    found = exposure(view_of(SHARED), [EX + "records"])
    (item,) = found.assets
    shares = {s.principal: (s.count.low, s.count.high, s.stated) for s in item.shares}
    assert shares == {EX + "x": (600, 600, True), EX + "y": (400, 400, True), EX + "z": (500, 500, False)}
    assert item.unattributed is None
    assert {p.principal: p.people.count.figure for p in found.principals} == {EX + "x": 600, EX + "y": 400, EX + "z": 500}


def test_two_principals_of_unknown_share_are_unknown_never_zero(view_of):
    body = SHARED.replace("cm:controller ex:x , ex:y , ex:z", "cm:controller ex:x , ex:y , ex:z , ex:w") + \
        'ex:w a cm:Organisation ; rdfs:label "insurer W"@en .'
    found = exposure(view_of(body), [EX + "records"])
    (item,) = found.assets
    z, w = item.share(EX + "z"), item.share(EX + "w")
    assert (z.count.low, z.count.high, z.stated) == (0, 500, False)  # unknown, at most the rest
    assert (w.count.low, w.count.high) == (0, 500)
    assert (item.unattributed.low, item.unattributed.high) == (500, 500)


CONSIGNED_ONLY = """
ex:city a cm:Organisation ; rdfs:label "city"@en ; cm:sector cm:LocalGovernment .
ex:insurer a cm:Organisation ; rdfs:label "insurer"@en .
ex:utility a cm:Organisation ; rdfs:label "utility"@en .
ex:centre a cm:Organisation ; rdfs:label "call centre"@en .
ex:c-city a cm:Consignment ; cm:consignor ex:city ; cm:consignee ex:centre ; cm:entrustsData ex:customers .
ex:c-insurer a cm:Consignment ; cm:consignor ex:insurer ; cm:consignee ex:centre ; cm:entrustsData ex:customers .
ex:c-utility a cm:Consignment ; cm:consignor ex:utility ; cm:consignee ex:centre ; cm:entrustsData ex:customers .
ex:customers a cm:DataAsset ; cm:subjectCount 9000 ;
    cm:countFor [ cm:principal ex:city ; cm:count 3000 ] , [ cm:principal ex:insurer ; cm:count 1000 ] .
ex:server a cm:Server ; cm:heldBy ex:centre .
ex:db a cm:DataCopy ; cm:copyOf ex:customers ; cm:storedOn ex:server .
"""


def test_a_principal_known_only_by_its_consignment_has_an_unknown_share_and_answers_for_the_leak(view_of):
    """Regression: a principal that consigned a shared asset but stated no share (and is not its
    controller) was left out: no share, not accountable for its leaks, no reporting duty."""
    view = view_of(CONSIGNED_ONLY)
    (item,) = exposure(view, [EX + "customers"]).assets
    shares = {s.principal: (s.count.low, s.count.high, s.stated) for s in item.shares}
    assert shares == {EX + "city": (3000, 3000, True), EX + "insurer": (1000, 1000, True),
                      EX + "utility": (0, 5000, False)}  # unknown, at most what no one else accounts for
    assert (item.unattributed.low, item.unattributed.high) == (5000, 5000)
    (leak,) = [leak for leak in single_points_of_failure(view) if leak.element == EX + "db"]
    assert leak.accountable == ex("city", "insurer", "utility")
    duties = blast_radius(view, EX + "server").duties
    assert tuple(d.principal for d in duties) == ex("city", "insurer", "utility")


def test_the_part_no_named_principal_accounts_for_is_kept_apart(case_a_view):
    found = exposure(case_a_view, [A + "applicant-records"])
    (item,) = found.assets
    assert item.total.figure == 171_472
    assert [(s.principal, s.count.figure) for s in item.shares] == [(A + "resonac", 5_747)]
    assert item.unattributed.figure == 171_472 - 5_747


def test_shares_never_exceed_the_total(case_a_view, case_b_view):
    for view in (case_a_view, case_b_view):
        for iri in view.assets:
            (item,) = exposure(view, [iri]).assets
            stated = sum(s.count.low for s in item.shares)
            assert item.total.high is None or stated <= item.total.high


def test_shares_that_exceed_the_total_are_a_warning(findings_of):
    body = SHARED.replace("cm:subjectCount 1500", "cm:subjectCount 900")
    (finding,) = findings_of(body)["shares-exceed-total"]
    assert finding.severity == "warning" and finding.focus == ex("records", "x", "y")
    assert "at least 1,000" in finding.message and "at most 900" in finding.message


def test_approximate_and_bounded_counts_are_shown_as_such(view_of):
    body = """
    ex:a a cm:DataAsset ; rdfs:label "members"@en ; cm:subjectCount 2500000 ; cm:countQualifier cm:About .
    ex:b a cm:DataAsset ; rdfs:label "applicants"@en ; cm:subjectCount 40000 ; cm:countQualifier cm:AtMost .
    """
    view = view_of(body)
    about = exposure(view, [EX + "a"]).people.count
    assert (about.low, about.high, about.approximate, about.exact) == (2_500_000, 2_500_000, True, False)
    at_most = exposure(view, [EX + "b"]).people.count
    assert (at_most.low, at_most.high) == (0, 40_000)


def test_case_a_is_quoted_as_the_notice_gives_it():
    result = CliRunner().invoke(cli, ["blast", "examples/case-a-laptop", "--element", "portable laptop"])
    assert result.exit_code == 0, result.output
    assert "exposes: at least 171,472 people and at most 181,674 people" in result.output
    assert "principal Resonac Health Insurance Association: 5,747 people" in result.output
    assert "not accounted for by a named principal: 165,725 people" in result.output
    assert "the model does not say how" in result.output
    japanese = CliRunner().invoke(cli, ["blast", "examples/case-a-laptop", "--element", "portable laptop", "--lang", "ja"])
    assert "露出: 171,472人以上181,674人以下" in japanese.output


def test_the_json_gives_bounds_units_and_reasons():
    result = CliRunner().invoke(cli, ["blast", "examples/case-a-laptop", "--element", "portable laptop", "--format", "json"])
    (found,) = answer(result.output)["blast"]["entries"]
    people = found["exposure"]["people"]
    assert people["unit"]["iri"] == CM + "People"
    assert (people["count"]["at_least"], people["count"]["at_most"]) == (171_472, 181_674)
    assert [r["reason"] for r in people["reasons"]] == ["overlap-unknown"]
    applicants = next(a for a in found["exposure"]["assets"] if a["asset"]["iri"] == A + "applicant-records")
    assert applicants["subjects"] == 171_472 and applicants["unattributed"] == 165_725
    assert applicants["per_principal"][0]["subjects"] == 5_747


@hypothesis_with_view_of(40)
@given(total=st.integers(0, 20_000), stated=st.lists(st.floats(0, 1), max_size=3),
       uncounted=st.integers(0, 2), controller=st.booleans())
def test_shares_never_exceed_the_total_and_no_principal_is_charged_with_another_s(view_of, total, stated, uncounted,
                                                                                    controller):
    """Property: however the shares of one asset are stated (their sum within the total), no
    principal's share, stated or not, exceeds the total; the stated shares and the part no named
    principal accounts for never add up to more than the total; an unstated share is never 0 for
    certain unless nothing is left."""
    counts = []
    left = total
    for fraction in stated:
        counts.append(int(left * fraction))
        left -= counts[-1]
    principals = [f"s{i}" for i in range(len(counts))] + [f"u{i}" for i in range(uncounted)]
    body = "".join(f'ex:{p} a cm:Organisation .\nex:c-{p} a cm:Consignment ; cm:consignor ex:{p} ; '
                   f'cm:consignee ex:vendor ; cm:entrustsData ex:records .\n' for p in principals)
    shares = " , ".join(f"[ cm:principal ex:s{i} ; cm:count {n} ]" for i, n in enumerate(counts))
    body += ("ex:vendor a cm:Organisation .\nex:records a cm:DataAsset ; cm:subjectCount " + str(total)
             + (f" ; cm:countFor {shares}" if shares else "")
             + (" ; cm:controller ex:u0" if controller and uncounted else "") + " .\n")
    (item,) = exposure(view_of(body), [EX + "records"]).assets
    assert {s.principal for s in item.shares} == {EX + p for p in principals}
    assert all(s.count.high is not None and s.count.high <= total for s in item.shares)
    named = sum(s.count.low for s in item.shares if s.stated)
    assert named + (item.unattributed.low if item.unattributed else 0) <= total
    for share in item.shares:
        if not share.stated:
            assert share.count.high == total - named  # unknown: at most what no one else accounts for
