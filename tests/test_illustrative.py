"""The same analyses answer for a chain that has nothing to do with the founding cases."""

from chainmodel.blast import blast_rank
from chainmodel.cutsets import minimal_cut_sets
from chainmodel.failures import harms
from chainmodel.leaks import single_points_of_failure
from chainmodel.trace import trace_duty
from chainmodel.validate import conforms, validate

from inline import RULE

U = "https://example.org/chainmodel/illustrative-usb#"


def test_usb_stick_is_the_top_single_point_of_failure(illustrative_view):
    top = single_points_of_failure(illustrative_view)[0]
    assert top.element == U + "usb-stick"
    assert top.operators == (U + "subcontractor",)
    assert top.accountable == (U + "north-city",)
    assert top.exposure.subjects == 40000
    assert top.exposure.sensitive_categories == (U + "cat-disability",)
    assert [v.control for v in top.uncaught_by] == [U + "usb-password"]


def test_a_server_that_never_moves_is_not_lost_and_its_encrypted_copies_need_two_failures(illustrative_view):
    """Issue 14: a server (cm:portable false) gets no loss or theft; a copy taken off it needs
    the encryption at rest to fail too."""
    assert [h for h in harms(illustrative_view) if h.key == U + "vendor-server"] == []
    (copy,) = [h for h in harms(illustrative_view) if h.key == U + "server-north"]
    assert minimal_cut_sets(copy, 2) == [tuple(sorted((U + "server-encryption", U + "server-north")))]


def test_unapproved_reconsignment_and_unprotected_stick_are_reported(illustrative_view):
    findings = validate(illustrative_view)
    assert not conforms(findings)
    by_rule = {(f.rule, f.focus[0]) for f in findings}
    assert (RULE + "reconsignment-without-approval", U + "c-vendor-sub") in by_rule
    assert (RULE + "sensitive-on-portable-device", U + "usb-copy") in by_rule


def test_transfer_duty_reaches_the_subcontractor_at_tier_2(illustrative_view):
    (chain,) = trace_duty(illustrative_view, U + "duty-transfer").chains
    assert [(link.consignee, link.tier) for link in chain.links] == [(U + "vendor", 1), (U + "subcontractor", 2)]


def test_vendor_serving_both_cities_tops_the_blast_ranking(illustrative_view):
    top = blast_rank(illustrative_view)[0]
    assert top.element == U + "vendor"
    assert top.principals == (U + "north-city", U + "south-city")
    assert {p.principal: p.people.count.figure for p in top.exposure.principals} == {
        U + "north-city": 40000, U + "south-city": 900}
    server = [b for b in blast_rank(illustrative_view) if b.element == U + "vendor-server"][0]
    assert server.protected_by == (U + "server-encryption",)
