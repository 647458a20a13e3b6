"""A public incident modelled from public facts: ransomware at a printing and data-processing
contractor that served municipalities and financial institutions (Isetoh Corporation, 2024).

What the public record says, as widely reported in 2024: the contractor printed notices and
processed data for local governments and companies; its systems were hit by ransomware,
confirmed around 2024-05-26; client data was taken and published by the attackers; some of
the clients' data was still on the contractor's systems after the work it was given for had
ended. The clients, as the accountable parties, announced it to their residents and customers.

Marked FICTIONAL below, because not sure or not public: the clients (a city, a prefecture
and a bank stand for them), every count, the contracts' dates, the entry point (a VPN
appliance connected to the file server) and the city's report.
"""

from datetime import date

from chainmodel.leaks import single_points_of_failure
from chainmodel.timeline import timeline

from inline import CM, EX, ex, foci

MODEL = """
ex:city a cm:Organisation ; rdfs:label "a client city (FICTIONAL)"@en , "委託元の市（架空）"@ja ; cm:sector cm:LocalGovernment .
ex:pref a cm:Organisation ; rdfs:label "a client prefecture (FICTIONAL)"@en , "委託元の県（架空）"@ja ;
    cm:sector cm:LocalGovernment .
ex:bank a cm:Organisation ; rdfs:label "a client bank (FICTIONAL)"@en , "委託元の銀行（架空）"@ja ; cm:sector cm:PrivateBusiness .
ex:printer a cm:Organisation ; rdfs:label "printing contractor"@en , "印刷委託先"@ja .
ex:c-city a cm:Consignment ; cm:consignor ex:city ; cm:consignee ex:printer ; cm:entrustsData ex:tax-notices ;
    cm:startDate "2023-04"^^xsd:gYearMonth ; cm:endDate "2024-03"^^xsd:gYearMonth .
ex:c-pref a cm:Consignment ; cm:consignor ex:pref ; cm:consignee ex:printer ; cm:entrustsData ex:car-tax ;
    cm:startDate "2023"^^xsd:gYear ; cm:endDate "2023-12-31"^^xsd:date .
ex:c-bank a cm:Consignment ; cm:consignor ex:bank ; cm:consignee ex:printer ; cm:entrustsData ex:statements ;
    cm:startDate "2022-04-01"^^xsd:date .
ex:tax-notices a cm:DataAsset ; rdfs:label "resident tax notices"@en ; cm:controller ex:city ; cm:subjectCount 8000 .
ex:car-tax a cm:DataAsset ; rdfs:label "automobile tax data"@en ; cm:controller ex:pref ;
    cm:subjectCount 1500 ; cm:countQualifier cm:About .
ex:statements a cm:DataAsset ; rdfs:label "account statements"@en ; cm:controller ex:bank ;
    cm:subjectCount 20000 ; cm:countQualifier cm:AtMost ; cm:category ex:account-number .
ex:account-number a cm:DataCategory ; rdfs:label "bank account number"@en ; cm:financialLoss true .
ex:vpn a cm:VpnAppliance ; rdfs:label "VPN appliance (FICTIONAL entry point)"@en ; cm:heldBy ex:printer ;
    cm:internetFacing true ; cm:connectsTo ex:fileserver .
ex:fileserver a cm:Server ; rdfs:label "file server"@en ; cm:heldBy ex:printer .
ex:k-city a cm:DataCopy ; cm:copyOf ex:tax-notices ; cm:storedOn ex:fileserver .
ex:k-pref a cm:DataCopy ; cm:copyOf ex:car-tax ; cm:storedOn ex:fileserver .
ex:k-bank a cm:DataCopy ; cm:copyOf ex:statements ; cm:storedOn ex:fileserver .
ex:incident a cm:Incident ; cm:concerns ex:vpn ; cm:failedWith cm:Ransomware ; cm:hasEvent ex:e1 , ex:e2 , ex:e3 , ex:e4 .
ex:e1 a cm:ExposureBegan ; cm:date "2024-05-26"^^xsd:date ; cm:actor ex:printer .
ex:e2 a cm:BecameAware ; cm:date "2024-05-26"^^xsd:date ; cm:actor ex:printer .
ex:e3 a cm:BecameAware ; cm:date "2024-06"^^xsd:gYearMonth ; cm:actor ex:city .
ex:e4 a cm:PreliminaryReport ; cm:date "2024-07-01"^^xsd:date ; cm:actor ex:city .
"""


def test_data_still_on_the_server_when_the_intrusion_began_was_kept_past_the_end(findings_of):
    found = findings_of(MODEL)
    assert foci(found, "data-past-end") == [ex("k-city", "c-city", "e1"), ex("k-pref", "c-pref", "e1")]
    assert "data-possibly-past-end" not in found  # the bank's consignment has not ended
    assert all(f.severity == "error" and "still there on 2024-05-26" in f.message for f in found["data-past-end"])


def test_the_vpn_appliance_is_a_single_point_that_exposes_every_client_with_bounds(view_of):
    (leak,) = [leak for leak in single_points_of_failure(view_of(MODEL)) if leak.element == EX + "vpn"]
    assert leak.modes == (CM + "Intrusion", CM + "Misconfiguration")
    assert leak.accountable == ex("bank", "city", "pref")
    people = leak.exposure.people.count
    assert (people.low, people.high) == (8000, 29500)  # overlap unknown: the largest, up to the sum


def test_the_timeline_places_the_city_report_under_the_rules_for_public_bodies(view_of):
    found = timeline(view_of(MODEL), EX + "incident")
    assert found.failed_with == (CM + "Ransomware",) and found.improper_purpose is True
    assert (found.window.start.text, found.window.end) == ("2024-05-26", None)
    (report,) = found.reports
    assert (report.stage, report.recipients) == ("preliminary", ("urn:chainmodel:party:regulator-not-in-the-model",))
    assert report.regime.regime == "https://w3id.org/chainmodel/rule#regime-local-bodies"
    (verdict,) = report.verdicts  # "promptly", with no day count, for public bodies
    assert (verdict.status, verdict.reason) == ("cannot-judge", "no-day-count")
    assert tuple(k.party for k in found.knowledge)[:2] == ex("printer", "city")
    assert found.knowledge[0].when.first == date(2024, 5, 26)
