"""Lawful basis apart from what happened, and data kept past the end (issue 12)."""

import pytest

from chainmodel.validate import conforms, validate
from inline import RULE, ex, foci

FIRM = """
ex:city a cm:Organisation ; rdfs:label "city"@en .
ex:vendor a cm:Organisation ; rdfs:label "vendor"@en .
ex:firm a cm:Organisation ; rdfs:label "firm"@en .
ex:c1 a cm:Consignment ; cm:consignor ex:city ; cm:consignee ex:vendor ; cm:entrustsData ex:records .
ex:records a cm:DataAsset ; rdfs:label "resident records"@en ; cm:controller ex:city ; cm:subjectCount 3000 .
"""


def test_a_vendor_passing_data_to_a_firm_with_no_consignment_is_an_error(findings_of):
    body = FIRM + """
    ex:pass a cm:DataProvision ; rdfs:label "vendor passes the records to the firm"@en ;
        cm:sender ex:vendor ; cm:receiver ex:firm ; cm:carries ex:records .
    ex:firm-copy a cm:DataCopy ; cm:copyOf ex:records ; cm:heldBy ex:firm .
    """
    found = findings_of(body)
    (transfer,) = found["transfer-without-basis"]
    assert (transfer.severity, transfer.focus) == ("error", ex("pass", "firm", "vendor", "records"))
    assert transfer.source == ("APPI Art. 27(1)",)
    assert '"vendor" <https://example.org/t#vendor>' in transfer.message
    (held,) = found["data-without-basis"]
    assert (held.severity, held.focus) == ("error", ex("firm-copy", "firm", "records", "pass", "vendor"))
    assert "It came by" in held.message and "who passed it on without a basis" in held.message
    assert held.source == ("APPI Art. 20(1)", "APPI Art. 27(1)")


def test_a_sale_to_a_broker_and_on_to_a_buyer_is_two_unbased_transfers(findings_of):
    body = FIRM + """
    ex:broker a cm:Organisation ; rdfs:label "list broker"@en .
    ex:buyer a cm:Organisation ; rdfs:label "buyer"@en .
    ex:sale a cm:DataProvision ; cm:sender ex:vendor ; cm:receiver ex:broker ; cm:carries ex:records ; cm:basis cm:NoBasis .
    ex:resale a cm:DataProvision ; cm:sender ex:broker ; cm:receiver ex:buyer ; cm:carries ex:records .
    """
    found = findings_of(body)
    assert foci(found, "transfer-without-basis") == [ex("resale", "buyer", "broker", "records"),
                                                     ex("sale", "broker", "vendor", "records")]
    sale = next(f for f in found["transfer-without-basis"] if f.focus[0].endswith("#sale"))
    assert "records that it had no basis (cm:NoBasis)" in sale.message


def test_a_provision_with_a_basis_is_lawful(findings_of):
    body = FIRM + """
    ex:consent a cm:ConsentProvision ; cm:provider ex:city ; cm:recipient ex:firm ; cm:providesData ex:records .
    ex:pass a cm:DataProvision ; cm:sender ex:vendor ; cm:receiver ex:firm ; cm:carries ex:records .
    ex:firm-copy a cm:DataCopy ; cm:copyOf ex:records ; cm:heldBy ex:firm .
    """
    found = findings_of(body)
    assert "transfer-without-basis" not in found and "data-without-basis" not in found


@pytest.mark.parametrize("consent_from, lawful", [("2023-06", False), ("2023-01", True), ("2022", True)])
def test_a_basis_that_began_only_after_the_transfer_does_not_cover_it(findings_of, consent_from, lawful):
    """Regression: a consent given in June 2023 covered a transfer of January 2023 (a basis
    that ended before a transfer did not, one that began after it did). The same month is
    only possibly after: the benefit of the doubt, as for an end."""
    body = FIRM + f"""
    ex:consent a cm:ConsentProvision ; cm:provider ex:city ; cm:recipient ex:firm ; cm:providesData ex:records ;
        cm:startDate "{consent_from}"^^xsd:{"gYear" if len(consent_from) == 4 else "gYearMonth"} .
    ex:pass a cm:DataProvision ; cm:sender ex:vendor ; cm:receiver ex:firm ; cm:carries ex:records ;
        cm:startDate "2023-01-10"^^xsd:date .
    """
    found = findings_of(body)
    assert foci(found, "transfer-without-basis") == ([] if lawful else [ex("pass", "firm", "vendor", "records")])


def test_a_cited_basis_that_does_not_name_the_receiver_is_an_error(findings_of):
    body = FIRM + """
    ex:pass a cm:DataProvision ; cm:sender ex:vendor ; cm:receiver ex:firm ; cm:carries ex:records ; cm:basis ex:c1 .
    """
    (finding,) = findings_of(body)["transfer-without-basis"]
    assert "the basis it cites" in finding.message


def test_anonymised_data_and_data_from_the_people_themselves_need_no_basis(findings_of):
    body = FIRM + """
    ex:people a cm:DataSubjectGroup .
    ex:anon a cm:DataAsset ; cm:anonymised true ; cm:derivedFrom ex:records .
    ex:t1 a cm:DataProvision ; cm:sender ex:vendor ; cm:receiver ex:firm ; cm:carries ex:anon .
    ex:t2 a cm:DataProvision ; cm:sender ex:people ; cm:receiver ex:firm ; cm:carries ex:records .
    """
    assert "transfer-without-basis" not in findings_of(body)


def test_a_holder_serving_x_and_y_with_z_s_data_in_a_shared_asset_has_no_basis_for_z(findings_of):
    body = """
    ex:x a cm:Organisation . ex:y a cm:Organisation . ex:z a cm:Organisation . ex:v a cm:Organisation .
    ex:cx a cm:Consignment ; cm:consignor ex:x ; cm:consignee ex:v ; cm:entrustsData ex:pool .
    ex:cy a cm:Consignment ; cm:consignor ex:y ; cm:consignee ex:v ; cm:entrustsData ex:pool .
    ex:pool a cm:DataAsset ; cm:subjectCount 300 ; cm:countFor [ cm:principal ex:x ; cm:count 100 ] ,
        [ cm:principal ex:y ; cm:count 100 ] , [ cm:principal ex:z ; cm:count 100 ] .
    ex:k a cm:DataCopy ; cm:copyOf ex:pool ; cm:heldBy ex:v .
    """
    (finding,) = findings_of(body)["data-without-basis"]
    assert finding.focus == ex("k", "v", "pool", "z")
    assert "cover only the data of" in finding.message


KEPT = FIRM + """
ex:c1 cm:endDate "{end}"^^xsd:{kind} .
ex:k a cm:DataCopy ; rdfs:label "copy at the vendor"@en ; cm:copyOf ex:records ; cm:heldBy ex:vendor .
"""


def kept(findings_of, end, extra, kind="gYearMonth"):
    found = findings_of(KEPT.format(end=end, kind=kind) + extra)
    return foci(found, "data-past-end"), foci(found, "data-possibly-past-end"), found


INCIDENT = """
ex:incident a cm:Incident ; cm:concerns ex:k ; cm:hasEvent ex:seen .
ex:seen a cm:Event ; cm:date "{date}"^^xsd:{kind} ; cm:concerns ex:k .
"""


def test_a_copy_kept_after_a_consignment_that_ended_in_a_month_seen_a_later_year_is_an_error(findings_of):
    definite, possible, found = kept(findings_of, "2021-03", INCIDENT.format(date="2023", kind="gYear"))
    assert definite == [ex("k", "c1", "seen")] and possible == []
    (finding,) = found["data-past-end"]
    assert finding.severity == "error" and "still there on 2023" in finding.message and "ending 2021-03" in finding.message


def test_an_intrusion_through_a_connected_vpn_shows_the_copy_was_still_there(findings_of):
    """Regression: ransomware that came in through a VPN appliance and reached a file server
    left "data possibly kept" a warning, as if nothing dated the copy: the exposure that began
    through the appliance shows the copy was there on that day."""
    body = FIRM + """
    ex:c1 cm:endDate "2024-03"^^xsd:gYearMonth .
    ex:vpn a cm:VpnAppliance ; cm:heldBy ex:vendor ; cm:internetFacing true ; cm:connectsTo ex:gateway .
    ex:gateway a cm:Server ; cm:heldBy ex:vendor ; cm:connectsTo ex:files .
    ex:files a cm:Server ; cm:heldBy ex:vendor .
    ex:k a cm:DataCopy ; cm:copyOf ex:records ; cm:storedOn ex:files .
    ex:incident a cm:Incident ; cm:concerns ex:vpn ; cm:failedWith cm:Ransomware ; cm:hasEvent ex:began .
    ex:began a cm:ExposureBegan ; cm:date "2024-05-26"^^xsd:date .
    """
    found = findings_of(body)
    assert foci(found, "data-past-end") == [ex("k", "c1", "began")]
    assert "data-possibly-past-end" not in found
    assert "still there on 2024-05-26" in found["data-past-end"][0].message


def test_the_same_month_is_only_possibly_after_a_warning(findings_of):
    definite, possible, found = kept(findings_of, "2021-03", INCIDENT.format(date="2021-03-20", kind="date"))
    assert definite == [] and possible == [ex("k", "c1", "seen")]
    assert found["data-possibly-past-end"][0].severity == "warning"


def test_a_deletion_on_time_is_no_finding_and_a_late_one_is(findings_of):
    deleted = 'ex:gone a cm:Deleted ; cm:date "{date}"^^xsd:date ; cm:concerns ex:k .'
    assert kept(findings_of, "2021-03-31", deleted.format(date="2021-03-31"), "date")[:2] == ([], [])
    definite, _, found = kept(findings_of, "2021-03-31", deleted.format(date="2021-05-10"), "date")
    assert definite == [ex("k", "c1", "gone")]
    assert "deleted or returned only on 2021-05-10" in found["data-past-end"][0].message


def test_a_deletion_duty_recorded_as_not_performed_is_evidence(findings_of):
    body = """
    ex:delete a cm:Duty ; rdfs:label "delete the records at the end"@en ; cm:accountable ex:city ; cm:performedBy ex:vendor .
    ex:c1 cm:entrusts ex:delete .
    ex:failure a cm:Incident ; cm:concerns ex:delete ; cm:failedWith cm:NotPerformed .
    """
    definite, _, found = kept(findings_of, "2021-03-31", body, "date")
    assert definite == [ex("k", "c1", "failure")]
    assert "records the duty" in found["data-past-end"][0].message


def test_a_copy_without_an_end_is_unknown_unless_the_model_speaks_of_a_later_time(findings_of):
    assert kept(findings_of, "2021-03-31", "", "date")[:2] == ([], [])
    later = 'ex:other a cm:Event ; cm:date "2024-01-01"^^xsd:date .'
    definite, possible, found = kept(findings_of, "2021-03-31", later, "date")
    assert definite == [] and possible == [ex("k", "c1")]
    assert "no end, deletion or return recorded" in found["data-possibly-past-end"][0].message


def test_a_consignment_without_an_end_never_makes_data_past_end(findings_of):
    found = findings_of(FIRM + INCIDENT.format(date="2030", kind="gYear") +
                        'ex:k a cm:DataCopy ; cm:copyOf ex:records ; cm:heldBy ex:vendor .')
    assert "data-past-end" not in found and "data-possibly-past-end" not in found


@pytest.mark.parametrize("case", ["case_a_view", "case_b_view"])
def test_the_founding_cases_findings_do_not_change(case, request):
    view = request.getfixturevalue(case)
    rules = sorted({f.rule[len(RULE):] for f in validate(view)})
    expected = {"case_a_view": ["sensitive-on-portable-device"],
                "case_b_view": ["handoff-without-acknowledgement", "reconsignment-without-approval"]}[case]
    assert rules == expected
    assert conforms(validate(view)) == (case == "case_b_view")


@pytest.mark.parametrize("basis, sensitive, found", [
    ("cm:OptOutProvision", "cm:sensitive true", True), ("cm:OptOutProvision", "cm:sensitive false", False),
    ("cm:ConsentProvision", "cm:sensitive true", False), ("cm:ProvisionUnderLaw", "cm:sensitive true", False),
])
def test_sensitive_data_provided_under_the_opt_out_procedure_is_an_error(findings_of, basis, sensitive, found):
    """APPI Art. 27(2) proviso: the opt-out procedure is not for special care-required data; consent or
    another law (case B's Next-Generation Medical Infrastructure Act) is."""
    body = FIRM + f"""
    ex:records {sensitive} .
    ex:opt-out a {basis} ; cm:provider ex:city ; cm:recipient ex:firm ; cm:providesData ex:records .
    """
    got = findings_of(body).get("opt-out-of-sensitive-data", [])
    assert [(f.severity, f.focus, f.source) for f in got] == (
        [("error", ex("opt-out", "records", "city"), ("APPI Art. 27(2) proviso",))] if found else [])
    if found:
        assert "may not be provided under the opt-out procedure" in got[0].message
