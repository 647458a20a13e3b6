"""The ledger carries the vocabulary of issues 11 and 12: units, qualified counts, populations, sectors,
countries, approval states, dates with precision, agreements and clauses, provision bases, the basis of a
hand-off or copy, financial-loss categories, deletions, returns and improper purposes."""

import pytest
from inline import answer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from rdflib import BNode, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, XSD

from chainmodel.ledger import export_ledger, import_ledger
from chainmodel.ledger.clauses import KINDS, ParsedClause, format_clause, parse_clause
from chainmodel.ledger.counts import QUALIFIERS, format_count, parse_count
from chainmodel.ledger.writing import ledger_tables
from chainmodel.model import load_model
from chainmodel.namespace import CM
from chainmodel.views import chain_view
from test_ledger_import import write_book

E = "https://example.org/every#"

# An invented model (fictional parties and figures) that uses every term the ledger gained.
EVERY_NEW_TERM = """
@prefix cm: <https://w3id.org/chainmodel#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix : <https://example.org/every#> .

:city a cm:Organisation , cm:Principal ; rdfs:label "North City"@en , "北市"@ja ;
    cm:sector cm:LocalGovernment ; cm:country "JP" .
:ministry a cm:Organisation ; rdfs:label "Ministry"@en ; cm:sector cm:NationalAdministrativeOrgan .
:agency a cm:Organisation ; rdfs:label "Agency"@en ; cm:sector cm:IncorporatedAdministrativeAgency .
:hospital a cm:Organisation ; rdfs:label "City Hospital"@en ; cm:sector cm:LocalIncorporatedAdministrativeAgency .
:vendor a cm:Organisation ; rdfs:label "Vendor"@en ; cm:sector cm:PrivateBusiness ; cm:country "JP" .
:sub a cm:Organisation ; rdfs:label "Sub"@en ; cm:country "VN" .
:broker a cm:Organisation ; rdfs:label "List broker"@en .
:insurer a cm:Organisation ; rdfs:label "Insurer"@en .

:c-city-vendor a cm:Consignment ; cm:consignor :city ; cm:consignee :vendor ; cm:entrusts :duty-tax ;
    cm:entrustsData :register ; cm:startDate "2024-05"^^xsd:gYearMonth ; cm:endDate "2025"^^xsd:gYear ;
    cm:agreement :agreement-tax .
:c-vendor-sub a cm:Consignment ; cm:consignor :vendor ; cm:consignee :sub ; cm:extends :c-city-vendor ;
    cm:entrustsData :register ; cm:approval cm:NotifiedNotApproved ; cm:startDate "2024-06-01"^^xsd:date .
:agreement-tax a cm:Agreement ; rdfs:label "tax processing contract"@en ;
    cm:clause :cl-approval , :cl-prohibited , :cl-only , :cl-country , :cl-stays , :cl-delete , :cl-now .
:cl-approval a cm:ReconsignmentRequiresApproval ; cm:article "Art. 12(2)" .
:cl-prohibited a cm:ReconsignmentProhibited ; cm:article "第12条" .
:cl-only a cm:ReconsignmentOnlyTo ; cm:permittedParty :sub , :vendor ; cm:article "Art. 12(3)" .
:cl-country a cm:ReconsignmentWithinCountry ; cm:country "JP" .
:cl-stays a cm:DataStaysInCountry ; cm:country "JP" ; cm:article "Art. 20" .
:cl-delete a cm:DeletionWithinPeriod ; cm:period "P30D"^^xsd:duration ; cm:article "Art. 15" .
:cl-now a cm:DeletionWithinPeriod ; cm:period "P0D"^^xsd:duration .
:duty-tax a cm:Duty ; rdfs:label "tax processing"@en ; cm:accountable :city .

:register a cm:DataAsset ; rdfs:label "resident register"@en ; cm:subjectCount 2500000 ; cm:countQualifier cm:About ;
    cm:unit cm:People ; cm:controller :city ;
    cm:countFor [ a cm:SubjectCount ; cm:principal :city ; cm:count 40000 ; cm:countQualifier cm:AtMost ] ;
    cm:category :cat-name , :cat-pin , cm:CardNumber , cm:BankAccountNumber , cm:IndividualNumber .
:tax a cm:DataAsset ; rdfs:label "tax records"@en ; cm:subjectCount 8000 ; cm:countQualifier cm:Exactly ;
    cm:subsetOf :register .
:mirror a cm:DataAsset ; rdfs:label "mirror"@en ; cm:samePopulationAs :register .
:benefit a cm:DataAsset ; rdfs:label "benefit list"@en ; cm:overlapsWith :register ; cm:subjectCount 1000 ;
    cm:countQualifier cm:AtLeast .
:households a cm:DataAsset ; rdfs:label "households"@en ; cm:unit cm:Households ; cm:subjectCount 1200 .
:firms a cm:DataAsset ; rdfs:label "firms"@en ; cm:unit cm:Companies ; cm:disjointFrom :register ;
    cm:countFor [ a cm:SubjectCount ; cm:principal :city ; cm:count 300 ; cm:countQualifier cm:About ] .
:logs a cm:DataAsset ; rdfs:label "logs"@en ; cm:unit cm:Records ; cm:subjectCount 90000 ; cm:countQualifier cm:AtMost .
:cat-name a cm:DataCategory ; rdfs:label "name"@en .
:cat-pin a cm:DataCategory ; rdfs:label "online-banking PIN"@en ; cm:financialLoss true .

:basis-consent a cm:ConsentProvision ; cm:provider :city ; cm:recipient :insurer ; cm:providesData :register ;
    cm:startDate "2024"^^xsd:gYear ; cm:endDate "2024-12-31"^^xsd:date ; cm:agreement :agreement-insurer .
:agreement-insurer a cm:Agreement ; rdfs:label "data sharing agreement"@en .
:basis-optout a cm:OptOutProvision ; cm:provider :vendor ; cm:recipient :broker ; cm:providesData :firms .
:basis-joint a cm:JointUse ; cm:provider :city ; cm:recipient :ministry , :agency ; cm:providesData :tax .
:basis-law a cm:ProvisionUnderLaw ; cm:provider :hospital ; cm:recipient :ministry ; cm:underLaw :some-act ;
    cm:providesData :logs .
:some-act a cm:LegalSource ; rdfs:label "Some Act"@en .

:h-sale a cm:HandOff ; cm:sender :sub ; cm:receiver :broker ; cm:carries :register ; cm:basis cm:NoBasis ;
    cm:startDate "2024-07"^^xsd:gYearMonth .
:h-insurer a cm:DataProvision ; cm:sender :city ; cm:receiver :insurer ; cm:carries :register ; cm:basis :basis-consent .
:h-vendor a cm:DataProvision ; cm:sender :city ; cm:receiver :vendor ; cm:carries :register ; cm:basis :c-city-vendor ;
    cm:endDate "2025-03-31T17:00:00+09:00"^^xsd:dateTime .

:server a cm:Device ; rdfs:label "server"@en ; cm:heldBy :vendor ; cm:country "JP" .
:copy-broker a cm:DataCopy ; cm:copyOf :register ; cm:heldBy :broker ; cm:basis cm:NoBasis ;
    cm:startDate "2024-07"^^xsd:gYearMonth .
:copy-server a cm:DataCopy ; cm:copyOf :register ; cm:storedOn :server ; cm:endDate "2025-01"^^xsd:gYearMonth ;
    cm:basis :c-city-vendor .
:e-deleted a cm:Deleted ; cm:concerns :copy-server ; cm:date "2025-02"^^xsd:gYearMonth ; cm:actor :vendor .
:e-returned a cm:Returned ; cm:concerns :copy-server ; cm:date "2025-02-15"^^xsd:date .
:e-began a cm:ExposureBegan ; cm:date "2024-07"^^xsd:gYearMonth .
:incident a cm:Incident ; cm:concerns :copy-broker ; cm:failedWith cm:UnauthorisedCopy ; cm:improperPurpose true ;
    cm:hasEvent :e-began .
"""


@pytest.fixture(scope="module")
def every(tmp_path_factory):
    path = tmp_path_factory.mktemp("every") / "every.ttl"
    path.write_text(EVERY_NEW_TERM, encoding="utf-8")
    return chain_view(load_model([path]))


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_new_term_round_trips_through_a_ledger_in_columns(every, tmp_path, lang):
    tables = ledger_tables(every, lang=lang, computed=False)
    assert tables.other == []  # every statement has a column: nothing left for the Other statements sheet
    path = tmp_path / f"every-{lang}.xlsx"
    path.write_bytes(export_ledger(every, lang=lang))
    assert isomorphic(import_ledger([path]).graph, every.model.graph)


@pytest.mark.parametrize("sheets", ["every", "reviewer"])
def test_what_a_ledger_states_fits_the_shapes_and_the_vocabulary(every, tmp_path, sheets):
    import json

    from test_ledger_import import run

    if sheets == "every":
        path = tmp_path / "every.xlsx"
        path.write_bytes(export_ledger(every, lang="ja"))
    else:
        path = write_book(tmp_path / "台帳.xlsx", REVIEWER_JA)
    out = tmp_path / "model.ttl"
    assert run("import", path, "-o", out, "--base", E).exit_code == 0
    rules = {f["rule"]["name"] for f in answer(run("validate", out, "--format", "json").output)["findings"]["entries"]}
    assert not rules & {"rule:shacl-shape", "rule:unknown-term", "rule:unread-terms", "rule:unresolved-reference"}


def _rows(path, title):
    rows = list(load_workbook(path)[title].iter_rows(values_only=True))
    return {row[0]: dict(zip(rows[0], row)) for row in rows[1:]}


def test_exported_cells_are_written_as_a_reviewer_writes_them_in_japanese(every, tmp_path):
    path = tmp_path / "ja.xlsx"
    path.write_bytes(export_ledger(every, lang="ja"))
    data = _rows(path, "データ")
    assert (data["register"]["単位"], data["register"]["本人数・件数"], data["register"]["委託元別の本人数・件数"]) == \
        ("人", "約250万", "city = 最大4万")
    assert data["benefit"]["本人数・件数"] == "1,000以上" and data["tax"]["本人数・件数"] == "ちょうど8,000"
    assert data["households"]["単位"] == "世帯" and data["households"]["本人数・件数"] == 1200
    assert data["mirror"]["同一の母集団"] == "register" and data["firms"]["重複なし"] == "register"
    assert "クレジットカード番号" in data["register"]["データ項目"]
    consignments = _rows(path, "委託")
    assert consignments["c-vendor-sub"]["再委託の承諾"] == "通知のみ（承諾なし）"
    assert (consignments["c-city-vendor"]["契約開始日"], consignments["c-city-vendor"]["契約終了日"]) == ("2024-05", "2025")
    assert "再委託禁止（第12条）" in consignments["c-city-vendor"]["契約条項"].split("; ")
    clauses = _rows(path, "契約条項")
    assert clauses["cl-delete"]["条項"] == "終了後30日以内に消去・返却（Art. 15）"
    assert clauses["cl-only"]["条項"] == "再委託先の限定：sub、vendor（Art. 12(3)）"
    assert _rows(path, "当事者")["city"]["主体の区分"] == "地方公共団体"
    assert _rows(path, "受け渡し")["h-sale"]["根拠"] == "根拠なし"
    assert _rows(path, "提供の根拠")["basis-joint"]["種別"] == "共同利用"
    assert _rows(path, "出来事")["e-deleted"]["種別"] == "消去"
    assert _rows(path, "事案")["incident"]["不正の目的のおそれ"] == "はい"


REVIEWER_JA = {
    "当事者": [("ID", "名称（日本語）", "主体の区分", "所在国"),
            ("city", "南市", "自治体", "日本"),
            ("vendor", "株式会社ベンダー", "民間事業者", "jp"),
            ("sub", "サブ社", "", "VN")],
    "委託": [("委託元", "委託先", "上位の委託元", "委託データ", "データ項目", "単位", "本人数・件数", "委託元別の本人数・件数",
            "契約開始日", "契約終了日", "再委託の承諾", "契約書", "契約条項"),
           ("南市", "株式会社ベンダー", "", "住民税データ", "氏名; 口座情報", "人", "約250万", "南市 = 最大4万",
            "令和6年4月", "2025", "", "住民税業務委託契約書", "再委託禁止（第12条）; 終了後30日以内に消去・返却（第15条）"),
           ("株式会社ベンダー", "サブ社", "南市", "住民税データ", "", "", "", "", "2024-05", "", "通知のみ（承諾なし）", "", "")],
    "提供の根拠": [("ID", "種別", "提供元", "提供先", "データ", "開始日"),
              ("basis-joint", "共同利用", "南市", "株式会社ベンダー; サブ社", "住民税データ", "2024年")],
    "受け渡し": [("ID", "送り手", "受け手", "運ぶデータ", "根拠"), ("h-sale", "サブ社", "名簿業者", "住民税データ", "根拠なし")],
    "データ": [("ID", "名称（日本語）", "単位", "本人数・件数", "重複がある"),
            ("住民税データ", "住民税データ", "", "", "households-data"),
            ("households-data", "世帯データ", "", "最大4万世帯", "")],
    "出来事": [("ID", "種別", "日付", "対象要素"), ("e-deleted", "消去", "2025年3月", "h-sale")],
    "事案": [("ID", "対象要素", "失敗の態様", "不正の目的のおそれ"), ("incident-sale", "h-sale", "無断複製", "はい")],
}


def test_a_reviewers_japanese_ledger_states_the_new_facts(tmp_path):
    path = write_book(tmp_path / "台帳.xlsx", REVIEWER_JA)
    graph = import_ledger([path], E).graph
    top = URIRef(E + "c-南市-株式会社ベンダー")
    sub = URIRef(E + "c-株式会社ベンダー-サブ社")
    data = URIRef(E + "住民税データ")
    assert graph.value(URIRef(E + "city"), CM.sector) == CM.LocalGovernment
    assert graph.value(URIRef(E + "city"), CM.country) == Literal("JP")
    assert graph.value(URIRef(E + "vendor"), CM.country) == Literal("JP")
    assert graph.value(data, CM.subjectCount) == Literal(2500000, datatype=XSD.integer)
    assert graph.value(data, CM.countQualifier) == CM.About
    assert graph.value(data, CM.unit) == CM.People
    (share,) = graph.objects(data, CM.countFor)
    assert (graph.value(share, CM.count), graph.value(share, CM.countQualifier)) == \
        (Literal(40000, datatype=XSD.integer), CM.AtMost)
    assert CM.BankAccountNumber in set(graph.objects(data, CM.category))  # 口座情報 is the shipped category
    households = URIRef(E + "households-data")
    assert (graph.value(households, CM.unit), graph.value(households, CM.countQualifier)) == (CM.Households, CM.AtMost)
    assert (data, CM.overlapsWith, households) in graph
    assert graph.value(top, CM.startDate) == Literal("2024-04", datatype=XSD.gYearMonth)
    assert graph.value(top, CM.endDate) == Literal("2025", datatype=XSD.gYear)
    assert graph.value(sub, CM.approval) == CM.NotifiedNotApproved
    agreement = graph.value(top, CM.agreement)
    assert agreement == URIRef(E + "agreement-住民税業務委託契約書")
    clauses = {graph.value(c, RDF.type): c for c in graph.objects(agreement, CM.clause)}
    assert set(clauses) == {CM.ReconsignmentProhibited, CM.DeletionWithinPeriod}
    assert graph.value(clauses[CM.ReconsignmentProhibited], CM.article) == Literal("第12条")
    assert graph.value(clauses[CM.DeletionWithinPeriod], CM.period) == Literal("P30D", datatype=XSD.duration)
    basis = URIRef(E + "basis-joint")
    assert (basis, RDF.type, CM.JointUse) in graph
    assert set(graph.objects(basis, CM.recipient)) == {URIRef(E + "vendor"), URIRef(E + "sub")}
    assert graph.value(basis, CM.startDate) == Literal("2024", datatype=XSD.gYear)
    assert graph.value(URIRef(E + "h-sale"), CM.basis) == CM.NoBasis
    assert (URIRef(E + "e-deleted"), RDF.type, CM.Deleted) in graph
    assert graph.value(URIRef(E + "incident-sale"), CM.improperPurpose) == Literal(True)


def test_a_reviewers_english_clauses_and_counts(tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_text('Consignor,Consignee,Data entrusted,Count,Count per principal,Contract clauses\n'
                    'City,Vendor,records,"about 2,500,000","City = up to 40,000",'
                    '"prior approval required (Art. 12(2)); deletion within 30 days (Art. 15); '
                    're-consignment only to: Sub Co, Other Co; data stays in Japan"\n', encoding="utf-8")
    built = import_ledger([path], E)
    graph = built.graph
    agreement = URIRef(E + "agreement-c-city-vendor")  # created for the consignment, and said so
    assert graph.value(URIRef(E + "c-city-vendor"), CM.agreement) == agreement
    assert any("agreement" in en and str(agreement) in en for en, _ in built.notes)
    kinds = {graph.value(c, RDF.type): c for c in graph.objects(agreement, CM.clause)}
    assert graph.value(kinds[CM.ReconsignmentRequiresApproval], CM.article) == Literal("Art. 12(2)")
    assert set(graph.objects(kinds[CM.ReconsignmentOnlyTo], CM.permittedParty)) == {URIRef(E + "sub-co"),
                                                                                    URIRef(E + "other-co")}
    assert graph.value(kinds[CM.DataStaysInCountry], CM.country) == Literal("JP")
    assert graph.value(URIRef(E + "data-records"), CM.countQualifier) == CM.About


def test_old_headers_are_still_read(tmp_path):
    path = tmp_path / "old.csv"
    path.write_text("委託元,委託先,本人数,委託元別本人数\n港区,業者,\"1,200人\",港区 = 1200\n", encoding="utf-8")
    graph = import_ledger([path], E).graph
    assert graph.value(URIRef(E + "data-港区-業者"), CM.subjectCount) == Literal(1200, datatype=XSD.integer)


# -- properties ------------------------------------------------------------------------------------------

@given(number=st.integers(min_value=0, max_value=10**10), qualifier=st.sampled_from((None,) + QUALIFIERS),
       lang=st.sampled_from(["en", "ja"]))
def test_a_written_count_reads_back(number, qualifier, lang):
    parsed = parse_count(format_count(number, qualifier, lang))
    assert (parsed.number, parsed.qualifier) == (number, qualifier)


ARTICLES = st.sampled_from([None, "第12条", "第12条第2項", "Art. 12(2)", "§4", "Article 7"])
PARTY_NAMES = st.sampled_from(["Sub Co", "アルファ社", "vendor-b", "株式会社デルタ"])


@st.composite
def clauses(draw):
    kind = draw(st.sampled_from(KINDS))
    article = draw(ARTICLES)
    if kind == "ReconsignmentOnlyTo":
        return ParsedClause(kind, article, tuple(draw(st.lists(PARTY_NAMES, max_size=3, unique=True))))
    if kind in ("ReconsignmentWithinCountry", "DataStaysInCountry"):
        return ParsedClause(kind, article, country=draw(st.sampled_from([None, "JP", "US", "VN"])))
    if kind == "DeletionWithinPeriod":
        period = draw(st.sampled_from([None, "P0D", "P30D", "P1M", "P2Y", "P1Y6M", "PT12H"]))
        return ParsedClause(kind, article, period=Literal(period, datatype=XSD.duration) if period else None)
    return ParsedClause(kind, article)


@given(clause=clauses(), lang=st.sampled_from(["en", "ja"]))
def test_a_written_clause_reads_back(clause, lang):
    assert parse_clause(format_clause(clause, lang)) == clause


SECTOR_WORDS = ["", "private business", "民間事業者", "national administrative organ", "国の行政機関", "地方公共団体",
                "local government", "独立行政法人等", "地方独立行政法人"]
UNIT_WORDS = ["", "people", "人", "households", "世帯", "records", "件", "companies", "社"]
APPROVAL_WORDS = ["", "承諾あり", "not approved", "通知のみ（承諾なし）", "notified but not approved", "承諾の記録なし"]


@st.composite
def dates(draw):
    year, month, day = draw(st.integers(2000, 2030)), draw(st.integers(1, 12)), draw(st.integers(1, 28))
    return draw(st.sampled_from([f"{year}", f"{year}-{month:02d}", f"{year}-{month:02d}-{day:02d}", f"{year}年{month}月",
                                 f"{year}/{month}/{day}", f"令和{year - 2018}年" if year > 2019 else f"{year}年"]))


@st.composite
def ledgers(draw):
    """A parties sheet and a flat consignments sheet (a chain of three) with the new columns filled at random."""
    lang = draw(st.sampled_from(["en", "ja"]))
    parties = [("ID", "Name (English)", "Sector", "Country")] + [
        (f"p{i}", f"Party {i}", draw(st.sampled_from(SECTOR_WORDS)), draw(st.sampled_from(["", "JP", "US", "日本"])))
        for i in range(4)]
    count = format_count(draw(st.integers(0, 10**9)), draw(st.sampled_from((None,) + QUALIFIERS)), lang)
    share = format_count(draw(st.integers(0, 10**6)), draw(st.sampled_from((None,) + QUALIFIERS)), lang)
    clause_cell = "; ".join(format_clause(c._replace(parties=tuple(f"p{i}" for i in range(len(c.parties)))), lang)
                            for c in draw(st.lists(clauses(), max_size=4)))
    header = ("Consignor", "Consignee", "Consignor above", "Data entrusted", "Unit", "Count", "Count per principal",
              "Contract start", "Contract end", "Re-consignment approval", "Contract clauses")
    rows = [("p0", "p1", "", "records", draw(st.sampled_from(UNIT_WORDS)), count, f"p0 = {share}", draw(dates()),
             draw(dates()), "", clause_cell),
            ("p1", "p2", "p0", "records", "", "", "", draw(dates()), "", draw(st.sampled_from(APPROVAL_WORDS)),
             draw(st.sampled_from(["", "再委託禁止（第3条）", "re-consignment prohibited"]))),
            ("p2", "p3", "p1", "records", "", "", "", "", draw(dates()), draw(st.sampled_from(APPROVAL_WORDS)), "")]
    return {"Parties": parties, "Consignments": [header] + rows}, draw(st.sampled_from(["en", "ja"]))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(generated=ledgers())
def test_generated_ledgers_with_the_new_columns_round_trip(tmp_path, generated):
    sheets, lang = generated
    first = import_ledger([write_book(tmp_path / "in.xlsx", sheets)], E).graph
    view = chain_view(load_model([_turtle(first, tmp_path / "first.ttl")]))
    assert ledger_tables(view, lang=lang, computed=False).other == []
    again = tmp_path / "again.xlsx"
    again.write_bytes(export_ledger(view, lang=lang))
    assert isomorphic(import_ledger([again]).graph, first)


def _turtle(graph, path):
    graph.serialize(path, format="turtle")
    return path


def test_a_created_clause_is_not_created_twice():
    from chainmodel.ledger.building import build_model
    from chainmodel.ledger.reading import read_ledger
    import tempfile
    import pathlib

    path = pathlib.Path(tempfile.mkdtemp()) / "ledger.csv"
    path.write_text("Consignor,Consignee,Contract clauses\nA,B,\"re-consignment prohibited (Art. 3); no re-consignment "
                    "(Art. 3)\"\n", encoding="utf-8")
    graph = build_model(read_ledger([path]), E).graph
    assert len(list(graph.subjects(RDF.type, CM.ReconsignmentProhibited))) == 1
    assert not any(isinstance(s, BNode) for s in graph.subjects(RDF.type, CM.Agreement))
    assert graph.value(URIRef(E + "agreement-c-a-b"), RDFS.label, any=True) is not None
