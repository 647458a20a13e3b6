"""Who must report to whom, from the exposed data, under the law of the party and the date (issue 11)."""

import pytest

from chainmodel.blast import blast_radius
from chainmodel.law import citation
from inline import A, EX, RULE, ex

VENDOR = """
ex:x a cm:Organisation ; rdfs:label "insurer X"@en .
ex:y a cm:Organisation ; rdfs:label "insurer Y"@en .
ex:z a cm:Organisation ; rdfs:label "insurer Z"@en .
ex:s a cm:Organisation ; rdfs:label "Z's agency S"@en .
ex:v a cm:Organisation ; rdfs:label "vendor V"@en .
ex:ppc a cm:Organisation , cm:Regulator ; rdfs:label "PPC"@en .
ex:cx a cm:Consignment ; cm:consignor ex:x ; cm:consignee ex:v ; cm:entrustsData ex:data-x .
ex:cy a cm:Consignment ; cm:consignor ex:y ; cm:consignee ex:v ; cm:entrustsData ex:data-y .
ex:cz a cm:Consignment ; cm:consignor ex:z ; cm:consignee ex:s ; cm:entrustsData ex:data-z .
ex:data-x a cm:DataAsset ; rdfs:label "X's data"@en ; cm:controller ex:x ; cm:subjectCount 50 .
ex:data-y a cm:DataAsset ; rdfs:label "Y's data"@en ; cm:controller ex:y ; cm:subjectCount 60 .
ex:data-z a cm:DataAsset ; rdfs:label "Z's data"@en ; cm:controller ex:z ; cm:subjectCount 5000 .
ex:pass a cm:DataProvision ; rdfs:label "S passes Z's data to V"@en ; cm:sender ex:s ; cm:receiver ex:v ;
    cm:carries ex:data-z .
ex:pc a cm:Device ; rdfs:label "V's PC"@en ; cm:portable true ; cm:heldBy ex:v .
ex:copy-z a cm:DataCopy ; cm:copyOf ex:data-z ; cm:storedOn ex:pc .
"""


def pairs(found):
    return {(n.sender, n.recipient): n for n in found.notifications}


def test_duties_follow_the_data_not_the_holders_other_chains(view_of):
    found = blast_radius(view_of(VENDOR), EX + "pc")
    (duty,) = found.duties
    assert duty.principal == EX + "z"
    (route,) = duty.routes
    assert (route.holder, route.gap, route.transfer, route.notifier) == (EX + "v", "no-chain", EX + "pass", EX + "s")
    assert route.chain == ex("cz")
    notices = pairs(found)
    assert notices[ex("s", "z")].rule == RULE + "consignee-notifies-consignor"  # the duty falls on S, up Z's chain
    assert notices[ex("z", "ppc")].rule == RULE + "principal-reports-to-regulator"
    assert (EX + "v", EX + "x") not in notices and (EX + "v", EX + "y") not in notices
    assert (EX + "v", EX + "z") not in notices


def test_a_holder_of_data_it_has_no_basis_for_is_a_finding_too(findings_of):
    (finding,) = findings_of(VENDOR)["data-without-basis"]
    assert finding.severity == "error"
    assert finding.focus == ex("copy-z", "v", "data-z", "pass", "s")
    (transfer,) = findings_of(VENDOR)["transfer-without-basis"]
    assert transfer.focus == ex("pass", "v", "s", "data-z")


CITY = """
ex:city a cm:Organisation ; rdfs:label "Kita City (fictional)"@en ; cm:sector cm:LocalGovernment .
ex:contractor a cm:Organisation ; rdfs:label "contractor"@en .
ex:ppc a cm:Organisation , cm:Regulator ; rdfs:label "PPC"@en .
ex:c1 a cm:Consignment ; cm:consignor ex:city ; cm:consignee ex:contractor ; cm:entrustsData ex:list .
ex:list a cm:DataAsset ; rdfs:label "vaccination list"@en ; cm:controller ex:city ; cm:subjectCount 150 .
ex:usb a cm:Device ; rdfs:label "USB stick"@en ; cm:portable true ; cm:heldBy ex:contractor .
ex:k a cm:DataCopy ; cm:copyOf ex:list ; cm:storedOn ex:usb .
ex:incident a cm:Incident ; cm:concerns ex:usb ; cm:failedWith cm:LossOrTheft ; cm:hasEvent ex:lost .
ex:lost a cm:ExposureBegan ; cm:date "{date}"^^xsd:{type} ; cm:concerns ex:usb .
"""


def city_duty(view_of, date, kind="date"):
    (duty,) = blast_radius(view_of(CITY.format(date=date, type=kind)), EX + "usb").duties
    return duty


def test_a_city_before_2023_04_01_answers_to_its_own_ordinance(view_of):
    duty = city_duty(view_of, "2022-10-01")
    assert duty.regime.regime == RULE + "regime-local-before-2023" and duty.regime.certain
    assert not duty.regime.mandatory
    report = next(n for n in duty.notifications if n.rule == RULE + "principal-reports-to-regulator")
    assert report.status == "guidance"
    assert RULE + "local-ordinance" in report.sources
    assert citation(RULE + "local-ordinance", "ja") == "当該地方公共団体の個人情報保護条例"


def test_a_city_after_2023_04_01_reports_under_art_68_above_100_people(view_of):
    duty = city_duty(view_of, "2023-06-01")
    assert duty.regime.regime == RULE + "regime-local-bodies" and duty.regime.mandatory
    threshold = next(t for t in duty.triggers if t.code == "more-than-threshold")
    assert (threshold.status, threshold.threshold, threshold.source) == ("yes", 100, RULE + "ppc-rules-43-iv")
    report = next(n for n in duty.notifications if n.rule == RULE + "principal-reports-to-regulator")
    assert report.status == "required"
    assert report.sources == (RULE + "appi-68-1", RULE + "ppc-rules-43-iv")
    assert citation(RULE + "appi-68-1", "ja") == "個人情報保護法第68条第1項"


@pytest.mark.parametrize("sector, date, regime, mandatory, source", [
    ("NationalAdministrativeOrgan", "2022-06-01", "regime-public-bodies", True, "appi-68-1"),
    ("NationalAdministrativeOrgan", "2021-06-01", "regime-national-before-2022", False, "administrative-organs-act-2003"),
    ("IncorporatedAdministrativeAgency", "2022-06-01", "regime-public-bodies", True, "appi-68-1"),
    ("IncorporatedAdministrativeAgency", "2021-06-01", "regime-agencies-before-2022", False, "agencies-act-2003"),
    ("LocalIncorporatedAdministrativeAgency", "2023-06-01", "regime-local-bodies", True, "appi-68-1"),
])
def test_national_organs_and_agencies_report_under_art_68_from_2022_04_01(view_of, sector, date, regime, mandatory,
                                                                         source):
    body = CITY.format(date=date, type="date").replace("cm:sector cm:LocalGovernment", f"cm:sector cm:{sector}")
    (duty,) = blast_radius(view_of(body), EX + "usb").duties
    assert (duty.regime.regime, duty.regime.mandatory, duty.regime.certain) == (RULE + regime, mandatory, True)
    report = next(n for n in duty.notifications if n.rule == RULE + "principal-reports-to-regulator")
    assert (report.status, report.sources[0]) == ("required" if mandatory else "guidance", RULE + source)
    if mandatory:
        threshold = next(t for t in duty.triggers if t.code == "more-than-threshold")
        assert (threshold.status, threshold.threshold) == ("yes", 100)  # 150 people, above 100


def test_a_business_incident_in_2019_gets_no_mandatory_report_only_guidance(view_of):
    body = CITY.format(date="2019-06-01", type="date").replace(" ; cm:sector cm:LocalGovernment", "")
    body = body.replace("cm:subjectCount 150", "cm:subjectCount 1500")
    (duty,) = blast_radius(view_of(body), EX + "usb").duties
    assert duty.regime.regime == RULE + "regime-business-before-2022" and not duty.regime.mandatory
    report = next(n for n in duty.notifications if n.rule == RULE + "principal-reports-to-regulator")
    assert (report.status, report.sources[0]) == ("guidance", RULE + "ppc-notice-2017")


def test_a_date_too_coarse_to_choose_the_rules_is_flagged(view_of):
    duty = city_duty(view_of, "2023", "gYear")
    assert duty.regime.regime == RULE + "regime-local-bodies"
    assert (duty.regime.certain, duty.regime.reason) == (False, "coarse-date")
    assert duty.regime.alternatives == (RULE + "regime-local-before-2023",)


def test_150_people_are_below_a_business_threshold(view_of):
    body = CITY.format(date="2024-06-01", type="date").replace(" ; cm:sector cm:LocalGovernment", "")
    (duty,) = blast_radius(view_of(body), EX + "usb").duties
    assert duty.reportable == "no" and duty.notifications == ()
    assert next(t for t in duty.triggers if t.code == "more-than-threshold").threshold == 1000


def test_card_numbers_are_reportable_whatever_the_number(view_of):
    body = CITY.format(date="2024-06-01", type="date").replace(" ; cm:sector cm:LocalGovernment", "")
    body = body.replace("cm:subjectCount 150", "cm:subjectCount 12 ; cm:category cm:CardNumber")
    (duty,) = blast_radius(view_of(body), EX + "usb").duties
    financial = next(t for t in duty.triggers if t.code == "financial-loss")
    assert (financial.status, financial.source, financial.assets) == ("yes", RULE + "ppc-rules-7-ii", ex("list"))
    assert duty.reportable == "yes"


def test_an_improper_purpose_stated_by_the_incident_is_a_trigger(view_of):
    body = CITY.format(date="2024-06-01", type="date").replace(" ; cm:sector cm:LocalGovernment", "")
    body = body.replace("cm:subjectCount 150", "cm:subjectCount 3").replace(
        "cm:failedWith cm:LossOrTheft ;", "cm:failedWith cm:UnauthorisedCopy ;")
    (duty,) = blast_radius(view_of(body), EX + "usb").duties
    assert next(t for t in duty.triggers if t.code == "improper-purpose").status == "yes"
    assert duty.reportable == "yes"


def test_an_unknown_count_never_silences_sensitive_data(view_of):
    body = CITY.format(date="2024-06-01", type="date").replace(
        "cm:subjectCount 150", "cm:sensitive true")
    (duty,) = blast_radius(view_of(body), EX + "usb").duties
    assert [(t.code, t.status) for t in duty.triggers] == [
        ("sensitive", "yes"), ("financial-loss", "no"), ("improper-purpose", "unknown"), ("more-than-threshold", "possibly")]
    assert duty.reportable == "yes"


def test_only_an_upper_bound_past_the_threshold_is_flagged_possibly(view_of):
    body = CITY.format(date="2024-06-01", type="date").replace(" ; cm:sector cm:LocalGovernment", "")
    body = body.replace("cm:subjectCount 150", "cm:subjectCount 1500 ; cm:countQualifier cm:AtMost")
    (duty,) = blast_radius(view_of(body), EX + "usb").duties
    assert duty.reportable == "possibly"
    assert {n.status for n in duty.notifications} == {"possibly-required"}


def test_encryption_that_rules_a_leak_out_removes_the_duty(view_of):
    body = CITY.format(date="2024-06-01", type="date") + """
    ex:encryption a cm:PreventiveControl ; cm:operatedBy ex:contractor ; cm:covers ex:usb ; cm:rulesOutLeak true .
    """
    found = blast_radius(view_of(body), EX + "usb")
    (duty,) = found.duties
    assert (duty.reportable, duty.protected_by, duty.notifications) == ("no", ex("encryption"), ())


def test_a_recipient_on_a_provision_basis_answers_for_its_own_copy(view_of):
    body = """
    ex:hospital a cm:Organisation ; rdfs:label "hospital"@en .
    ex:producer a cm:Organisation ; rdfs:label "certified producer"@en .
    ex:ppc a cm:Organisation , cm:Regulator ; rdfs:label "PPC"@en .
    ex:info a cm:DataAsset ; cm:controller ex:hospital ; cm:sensitive true .
    ex:b a cm:ProvisionUnderLaw ; cm:provider ex:hospital ; cm:recipient ex:producer ; cm:providesData ex:info .
    ex:server a cm:Device ; cm:portable false ; cm:heldBy ex:producer .
    ex:k a cm:DataCopy ; cm:copyOf ex:info ; cm:storedOn ex:server .
    """
    (duty,) = blast_radius(view_of(body), EX + "server").duties
    (route,) = duty.routes
    assert (route.notifier, route.bases, route.gap) == (EX + "producer", ex("b"), None)
    assert (EX + "producer", EX + "ppc") in pairs(blast_radius(view_of(body), EX + "server"))


def test_case_a_duties_name_their_articles(case_a_view):
    found = blast_radius(case_a_view, A + "laptop")
    resonac = next(d for d in found.duties if d.principal == A + "resonac")
    assert resonac.regime.regime == RULE + "regime-business" and resonac.regime.certain  # lost 2025-03-15
    assert {(t.code, t.status) for t in resonac.triggers} >= {("sensitive", "yes"), ("more-than-threshold", "yes")}
    notices = pairs(found)
    assert notices[(A + "resonac", A + "ppc")].sources == (
        RULE + "appi-26-1", RULE + "ppc-rules-7-i", RULE + "ppc-rules-7-iv")
    assert notices[(A + "foundation", A + "resonac")].sources == (RULE + "appi-26-1-proviso",)
    assert [citation(s, "ja") for s in notices[(A + "resonac", A + "ppc")].sources] == [
        "個人情報保護法第26条第1項", "個人情報保護委員会規則第7条第1号", "個人情報保護委員会規則第7条第4号"]


def test_before_2023_a_city_cites_no_article_of_later_rules_and_its_business_consignee_is_bound_by_its_own(view_of):
    duty = city_duty(view_of, "2022-10-01")
    assert all(t.source is None for t in duty.triggers)  # Art. 43 bound cities only from 2023-04-01
    notice = next(n for n in duty.notifications if n.rule == RULE + "consignee-notifies-consignor")
    assert (notice.sender, notice.status) == (EX + "contractor", "required")  # APPI Art. 26 bound it from 2022-04-01
    assert notice.sources == (RULE + "appi-26-1-proviso",)
