"""A public incident modelled from public facts: the 2014 insider sale of an education company's
customer database (Benesse Corporation).

What the public record says, as widely reported in July 2014: the database was run for the
company by a group company (Synform); a systems engineer working at one of that company's
contractors as a dispatched worker copied customer records onto his smartphone and sold them
to a list broker; the data was resold through other brokers, and one buyer (JustSystems) used
it for direct mail, which is how customers noticed. The company announced the leak on
2014-07-09; the engineer was arrested on 2014-07-17. About 35 million records were reported.

Marked FICTIONAL below, because not sure or not public: the contractor's and the staffing
agency's names, the second broker, the exact account flags, the year the copying began
(2013 is used, at year precision) and the month the company came to know (2014-06).
"""

from chainmodel.failures import harms
from chainmodel.leaks import single_points_of_failure
from chainmodel.timeline import timeline

from inline import CM, EX, ex

MODEL = """
ex:benesse a cm:Organisation ; rdfs:label "Benesse Corporation"@en , "株式会社ベネッセコーポレーション"@ja .
ex:synform a cm:Organisation ; rdfs:label "Synform (group company running the database)"@en , "シンフォーム"@ja .
ex:contractor a cm:Organisation ; rdfs:label "contractor of Synform (FICTIONAL name)"@en , "委託先（架空の名称）"@ja .
ex:agency a cm:Organisation ; rdfs:label "staffing agency (FICTIONAL name)"@en , "派遣元（架空の名称）"@ja .
ex:broker-a a cm:Organisation ; rdfs:label "list broker who bought from the engineer"@en , "名簿業者A"@ja .
ex:broker-b a cm:Organisation ; rdfs:label "second list broker (FICTIONAL)"@en , "名簿業者B（架空）"@ja .
ex:justsystems a cm:Organisation ; rdfs:label "JustSystems (used the data for direct mail)"@en , "ジャストシステム"@ja .
ex:engineer a cm:DispatchedWorker ; rdfs:label "dispatched systems engineer"@en , "派遣SE"@ja ;
    cm:worksFor ex:agency ; cm:placedAt ex:contractor .
ex:c-benesse-synform a cm:Consignment ; cm:consignor ex:benesse ; cm:consignee ex:synform ; cm:entrustsData ex:customers .
ex:c-synform-contractor a cm:Consignment ; cm:consignor ex:synform ; cm:consignee ex:contractor ;
    cm:extends ex:c-benesse-synform ; cm:entrustsData ex:customers .
ex:customers a cm:DataAsset ; rdfs:label "customer records"@en , "顧客情報"@ja ; cm:controller ex:benesse ;
    cm:subjectCount 35040000 ; cm:countQualifier cm:About ; cm:unit cm:Records .
ex:db a cm:Server ; rdfs:label "customer database"@en , "顧客データベース"@ja ; cm:heldBy ex:synform .
ex:db-copy a cm:DataCopy ; cm:copyOf ex:customers ; cm:storedOn ex:db ; cm:failureMode cm:Omission .
ex:account a cm:Account ; cm:usedBy ex:engineer ; cm:grantsAccessTo ex:db .
ex:sale-a a cm:DataProvision ; cm:sender ex:engineer ; cm:receiver ex:broker-a ; cm:carries ex:customers .
ex:sale-b a cm:DataProvision ; cm:sender ex:broker-a ; cm:receiver ex:broker-b ; cm:carries ex:customers .
ex:sale-js a cm:DataProvision ; cm:sender ex:broker-b ; cm:receiver ex:justsystems ; cm:carries ex:customers .
ex:incident a cm:Incident ; cm:concerns ex:engineer ; cm:failedWith cm:InsiderExfiltration ;
    cm:hasEvent ex:e-copying , ex:e-aware , ex:e-announced , ex:e-arrest .
ex:e-copying a cm:ExposureBegan ; cm:date "2013"^^xsd:gYear ; cm:actor ex:engineer .
ex:e-aware a cm:BecameAware ; cm:date "2014-06"^^xsd:gYearMonth ; cm:actor ex:benesse .
ex:e-announced a cm:Event ; cm:date "2014-07-09"^^xsd:date ; cm:actor ex:benesse .
ex:e-arrest a cm:Event ; cm:date "2014-07-17"^^xsd:date .
"""


def test_the_insider_sale_reaches_both_brokers_and_the_buyer_hop_by_hop(view_of):
    view = view_of(MODEL)
    (leak,) = [leak for leak in single_points_of_failure(view) if leak.harm_kind == "insider-exfiltration"]
    assert (leak.element, leak.operators, leak.accountable) == (EX + "engineer", ex("contractor"), ex("benesse"))
    assert [s.element for s in leak.path[2:]] == list(ex("sale-a", "sale-b", "sale-js"))
    assert leak.reached == ex("engineer", "broker-a", "broker-b", "justsystems")
    held = {party: exposed.populations[0].count.low for party, exposed in leak.holdings}
    assert held == dict.fromkeys(ex("engineer", "broker-a", "broker-b", "justsystems"), 35040000)


def test_the_leak_is_an_improper_purpose_and_its_window_never_closed(view_of):
    view = view_of(MODEL)
    assert [h.kind for h in harms(view) if h.key == EX + "engineer"] == ["insider-exfiltration"]
    found = timeline(view, EX + "incident")
    assert found.improper_purpose is True
    assert (found.window.start.text, found.window.start.precision, found.window.end) == ("2013", "year", None)
    (known,) = found.knowledge
    assert (known.party, known.when.text, known.latency) == (EX + "benesse", "2014-06", (152, 545))
    assert found.reports == ()  # no report to a regulator is recorded; in 2014 none was mandatory anyway
    assert [e.rsplit("#")[1] for e in found.events] == ["e-copying", "e-aware", "e-announced", "e-arrest"]


def test_failed_with_the_insider_mode(view_of):
    assert timeline(view_of(MODEL), EX + "incident").failed_with == (CM + "InsiderExfiltration",)
