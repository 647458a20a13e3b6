"""chainmodel import: ledgers auditors keep, in English or Japanese, flat or in sheets, into models."""

import json
import os

import pytest
from inline import answer
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from chainmodel.cli import cli
from chainmodel.errors import LedgerError
from chainmodel.ledger import import_ledger
from chainmodel.ledger.cells import slug
from chainmodel.model import load_model
from chainmodel.namespace import CM
from chainmodel.trace import trace_duty
from chainmodel.views import chain_view

BASE = "https://example.org/minato#"
M = BASE

FLAT_JA = (
    "委託元,委託先,委託業務,委託データ,データ項目,要配慮個人情報の項目,本人数,委託元別本人数,契約開始日,契約終了日,"
    "再委託の承諾,承諾者,保管場所,管理策,最終監査日,上位の委託元,担当者\n"
    "港区,株式会社サンプル,住民記録の入力業務,住民記録,氏名; 住所,病歴,\"12,000\",港区 = 12000,2024-04-01,2027-03-31,,,"
    "委託先データセンター,アクセス制御,2025/6/30,,山田\n"
    "株式会社サンプル,有限会社サブ,住民記録の入力業務,住民記録,,,,,2024/5/1,,承諾あり,港区,USBメモリ,,,港区,\n"
)


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def write_book(path, sheets):
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


@pytest.fixture()
def flat(tmp_path):
    path = tmp_path / "台帳.csv"
    path.write_text(FLAT_JA, encoding="utf-8")
    return path


def test_flat_japanese_ledger_becomes_a_chain_with_exact_iris(flat):
    built = import_ledger([flat], BASE)
    graph = built.graph
    top = URIRef(M + "c-港区-株式会社サンプル-住民記録の入力業務")
    sub = URIRef(M + "c-株式会社サンプル-有限会社サブ-住民記録の入力業務")
    assert sorted(graph.subjects(RDF.type, CM.Consignment)) == sorted([top, sub])
    assert graph.value(sub, CM.extends) == top  # from the "consignor above" column
    assert graph.value(sub, CM.approval) == CM.Approved
    assert graph.value(sub, CM.approvedBy) == URIRef(M + "港区")
    assert graph.value(sub, CM.startDate) == Literal("2024-05-01", datatype=XSD.date)
    duty = URIRef(M + "duty-住民記録の入力業務")
    assert graph.value(duty, CM.accountable) == URIRef(M + "港区")
    data = URIRef(M + "data-住民記録")
    assert graph.value(data, CM.subjectCount) == Literal(12000, datatype=XSD.integer)
    assert graph.value(URIRef(M + "cat-病歴"), CM.sensitive) == Literal(True)
    audits = list(graph.subjects(RDF.type, CM.Audit))
    assert audits == [URIRef(M + "e-audit-c-港区-株式会社サンプル-住民記録の入力業務-2025-06-30")]
    assert graph.value(audits[0], CM.date) == Literal("2025-06-30", datatype=XSD.date)
    assert len(list(graph.subjects(RDF.type, CM.DataCopy))) == 2
    assert ("担当者" in " ".join(en for en, _ in built.notes))  # the auditor's own column is ignored, and said so


def test_flat_ledger_traces_and_validates(flat, tmp_path):
    out = tmp_path / "model.ttl"
    assert run("import", flat, "-o", out, "--base", BASE).exit_code == 0
    view = chain_view(load_model([out]))
    (chain,) = trace_duty(view, M + "duty-住民記録の入力業務").chains
    assert [link.tier for link in chain.links] == [1, 2]
    assert [link.consignee for link in chain.links] == [M + "株式会社サンプル", M + "有限会社サブ"]
    result = run("validate", out, "--format", "json")
    rules = {f["rule"]["name"] for f in answer(result.output)["findings"]["entries"]}
    assert "rule:shacl-shape" not in rules and "rule:unresolved-reference" not in rules


MULTI_EN = {
    "Parties": [("ID", "Name (English)", "Kind", "Declared roles"),
                ("clinic", "Sakura Clinic", "organisation", "principal"),
                ("cloud", "Cloud Co.", "organisation", ""),
                ("backup", "Backup Ltd.", "", ""),
                ("ppc", "PPC", "organisation", "regulator")],
    "Consignments": [("ID", "Consignor", "Consignee", "Extends consignment", "Work entrusted", "Data entrusted",
                      "Re-consignment approval", "Contract end"),
                     ("c1", "Sakura Clinic", "cloud", "", "hosting", "charts", "", "2026-03-31"),
                     ("c2", "cloud", "backup", "c1", "hosting", "charts", "approval not recorded", "")],
    "Duties": [("ID", "Name (English)", "Accountable party", "Legal basis"),
               ("hosting", "hosting of medical charts", "clinic", "rule:appi-23")],
    "Data": [("ID", "Name (English)", "Number of people", "People per principal", "Data items", "Sensitive"),
             ("charts", "medical charts", 3400, "clinic = 3400", "diagnosis", "yes")],
    "Devices": [("ID", "Name (English)", "Portable", "Held by"), ("tape", "backup tape", "yes", "backup")],
    "Copies": [("ID", "Copy of", "Stored on"), ("charts-on-tape", "charts", "tape")],
    "Hand-offs": [("ID", "Kind", "From", "To", "Carries data"), ("h1", "data provision", "clinic", "cloud", "charts")],
    "Controls": [("ID", "Name (English)", "Kind", "Operated by", "Covers", "Rules a leak out"),
                 ("enc", "tape encryption", "preventive control", "backup", "tape", "no")],
}


@pytest.fixture()
def multi(tmp_path):
    return write_book(tmp_path / "ledger.xlsx", MULTI_EN)


def test_multi_sheet_english_ledger(multi):
    graph = import_ledger([multi], "https://example.org/clinic#").graph
    C = "https://example.org/clinic#"
    assert (URIRef(C + "clinic"), RDF.type, CM.Principal) in graph
    assert (URIRef(C + "backup"), RDF.type, CM.Organisation) in graph  # empty kind: an organisation
    assert graph.value(URIRef(C + "c2"), CM.approval) == CM.ApprovalNotRecorded
    assert graph.value(URIRef(C + "c1"), CM.consignor) == URIRef(C + "clinic")  # a name resolves to its row
    assert graph.value(URIRef(C + "hosting"), CM.legalBasis) == URIRef("https://w3id.org/chainmodel/rule#appi-23")
    assert graph.value(URIRef(C + "tape"), CM.portable) == Literal(True)
    assert (URIRef(C + "h1"), RDF.type, CM.DataProvision) in graph
    (count,) = graph.objects(URIRef(C + "charts"), CM.countFor)
    assert graph.value(count, CM.count) == Literal(3400, datatype=XSD.integer)


def test_multi_sheet_ledger_finds_the_unprotected_portable_copy(multi, tmp_path):
    out = tmp_path / "m.ttl"
    assert run("import", multi, "-o", out, "--base", "https://example.org/clinic#").exit_code == 0
    findings = answer(run("validate", out, "--format", "json").output)["findings"]["entries"]
    assert [f["focus"][0]["iri"] for f in findings if f["rule"]["name"] == "rule:sensitive-on-portable-device"] == \
        ["https://example.org/clinic#charts-on-tape"]


@pytest.mark.parametrize("sheets, sheet, row, letter, en, ja", [
    ({"Consignments": [("Consignor", "Consignee", "Contract start"), ("A", "B", "2024-13-40")]},
     "Consignments", 2, "C", "is not a date", "日付ではない"),
    ({"Consignments": [("Consignor", "Consignee", "Re-consignment approval"), ("A", "B", "maybe")]},
     "Consignments", 2, "C", "is not one of: approved, not approved, notified but not approved, approval not recorded",
     "承諾あり、承諾なし、通知のみ（承諾なし）、承諾の記録なし"),
    ({"Consignments": [("Consignor", "Consignee"), ("A", "")]}, "Consignments", 2, "B", "needs its consignee", "委託先が必要"),
    ({"Consignments": [("Consignor", "Consignee", "Extends consignment"), ("A", "B", "c-nowhere")]},
     "Consignments", 2, "C", "no row with ID or name 'c-nowhere' in sheet Consignments", "シート 委託 にない"),
    ({"Duties": [("ID", "Name (English)", "Legal basis"), ("d", "duty", "law-x")]},
     "Duties", 2, "C", "no row with ID or name 'law-x' in sheet Legal sources", "法令"),
    ({"Parties": [("ID", "Name (English)"), ("a", "Alpha"), ("a", "Alpha again")]},
     "Parties", 3, "A", "as does row 2 of sheet Parties", "2行と同じ"),
    ({"Data": [("ID", "Number of people"), ("d", "many")]}, "Data", 2, "B", "is not a count", "数として読めない"),
    ({"Consignments": [("Consignor", "Consignee", "Work entrusted", "Number of people"),
                       ("A", "B", "w", "10"), ("C", "B", "w", "20")]},
     "Consignments", 2, None, "entrusted in chains starting at", "複数の連鎖"),
    # the columns of issues 11 and 12
    ({"Data": [("ID", "Count"), ("d", "about many")]}, "Data", 2, "B", "is not a count", "数として読めない"),
    ({"Data": [("ID", "Unit", "Count"), ("d", "households", "1,200 people")]}, "Data", 2, "C",
     "the count is in people here but the data's unit is households", "データの単位は「世帯」"),
    ({"Parties": [("ID", "Country"), ("p", "Atlantis")]}, "Parties", 2, "B", "is not a country", "国コード"),
    ({"Parties": [("ID", "Sector"), ("p", "church")]}, "Parties", 2, "B",
     "is not one of: private business, national administrative organ", "民間事業者、国の行政機関"),
    ({"Clauses": [("ID", "Agreement", "Clause"), ("c", "contract", "be nice (Art. 1)")]}, "Clauses", 2, "C",
     "is not a clause chainmodel knows", "再委託禁止（第12条）"),
    ({"Consignments": [("Consignor", "Consignee", "Contract clauses"), ("A", "B", "deletion within 30 days; lunch")]},
     "Consignments", 2, "C", "is not a clause chainmodel knows", "chainmodel が知る条項ではない"),
    ({"Hand-offs": [("ID", "From", "To", "Basis"), ("h", "A", "B", "basis-x")]}, "Hand-offs", 2, "D",
     "no row with ID or name 'basis-x' in sheet Consignments, Provision bases", "提供の根拠"),
    ({"Data": [("ID", "Count", "Count per principal"), ("d", "10", "A = about 5; A = 6")]}, "Data", 2, "C",
     "the count for", "一致させること"),
])
def test_errors_name_file_sheet_row_and_column(tmp_path, sheets, sheet, row, letter, en, ja):
    path = write_book(tmp_path / "bad.xlsx", sheets)
    with pytest.raises(LedgerError) as caught:
        import_ledger([path], BASE)
    error = caught.value
    assert (error.file, error.sheet, error.row) == (str(path), sheet, row)
    if letter:
        assert error.letter == letter
    assert en in str(error)
    assert ja in error.text("ja")


@pytest.mark.parametrize("header, cell, said", [
    ("契約開始日", "昨日", "「昨日」は日付ではない"),
    ("契約条項", "よしなに（第3条）", "「よしなに（第3条）」は chainmodel が知る条項ではない"),
])
def test_cli_error_in_japanese_exit_2_and_nothing_written(tmp_path, header, cell, said):
    path = write_book(tmp_path / "bad.xlsx", {"委託": [("委託元", "委託先", header), ("市", "業者", cell)]})
    out = tmp_path / "m.ttl"
    result = run("import", path, "-o", out, "--base", BASE, "--lang", "ja")
    assert result.exit_code == 2
    assert f"シート 委託、2行、C列（{header}）：{said}" in result.output
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["bad.xlsx"]


def test_output_never_overwritten_without_force_never_through_a_link(flat, tmp_path):
    out = tmp_path / "m.ttl"
    out.write_text("keep", encoding="utf-8")
    assert run("import", flat, "-o", out, "--base", BASE).exit_code == 2
    assert out.read_text(encoding="utf-8") == "keep"
    assert run("import", flat, "-o", out, "--base", BASE, "--force").exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("# chainmodel model")
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched", encoding="utf-8")
    link = tmp_path / "link.ttl"
    os.symlink(victim, link)
    assert run("import", flat, "-o", link, "--base", BASE, "--force").exit_code == 2
    assert victim.read_text(encoding="utf-8") == "untouched"
    assert run("import", flat, "-o", flat, "--base", BASE, "--force").exit_code == 2  # never over an input
    assert flat.read_text(encoding="utf-8") == FLAT_JA


def test_missing_base_says_what_to_do(flat, tmp_path):
    result = run("import", flat, "-o", tmp_path / "m.ttl")
    assert result.exit_code == 2
    assert "--base https://example.org/your-ledger#" in result.output


def test_output_is_deterministic_and_sorted(flat, tmp_path):
    first, second = tmp_path / "1.ttl", tmp_path / "2.ttl"
    run("import", flat, "-o", first, "--base", BASE)
    run("import", flat, "-o", second, "--base", BASE)
    assert first.read_bytes() == second.read_bytes()
    text = first.read_text(encoding="utf-8")
    assert text.index("# ---") < text.index("parties (当事者)") < text.index("consignments (委託)")


def test_reimport_of_an_edited_ledger_changes_only_what_changed(tmp_path, flat):
    before = import_ledger([flat], BASE).graph
    edited = tmp_path / "edited.csv"
    edited.write_text(FLAT_JA.replace("2027-03-31", "2028-03-31"), encoding="utf-8")
    after = import_ledger([edited], BASE).graph
    top = URIRef(M + "c-港区-株式会社サンプル-住民記録の入力業務")
    removed = {t for t in before if t not in after and not _blank(t)}
    added = {t for t in after if t not in before and not _blank(t)}
    assert removed == {(top, CM.endDate, Literal("2027-03-31", datatype=XSD.date))}
    assert added == {(top, CM.endDate, Literal("2028-03-31", datatype=XSD.date))}


@pytest.mark.parametrize("text, value, datatype", [
    ("2025-03-15", "2025-03-15", XSD.date), ("2025/3/5", "2025-03-05", XSD.date), ("2025-08", "2025-08", XSD.gYearMonth),
    ("2023", "2023", XSD.gYear), ("２０２５－０３－１５", "2025-03-15", XSD.date),
])
def test_dates_keep_their_precision(text, value, datatype):
    from chainmodel.ledger.cells import parse_date

    assert parse_date(text) == Literal(value, datatype=datatype)


def _blank(triple):
    from rdflib import BNode

    return any(isinstance(term, BNode) for term in triple)


names = st.text(alphabet=st.sampled_from("abcdefgh港区株式会社データ "), min_size=1, max_size=8).filter(lambda s: s.strip())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(names, names, names), min_size=1, max_size=4, unique_by=lambda r: (slug(r[0]), slug(r[1]))),
       extra=st.tuples(names, names, names))
def test_iri_of_a_row_does_not_depend_on_other_rows(tmp_path, rows, extra):
    def consignments(rows_):
        path = tmp_path / "p.csv"
        path.write_text("Consignor,Consignee,Name (English)\n" + "".join(f'"{a}","{b}","{n}"\n' for a, b, n in rows_),
                        encoding="utf-8")
        graph = import_ledger([path], BASE).graph
        return {(str(graph.value(c, CM.consignor)), str(graph.value(c, CM.consignee))): c
                for c in graph.subjects(RDF.type, CM.Consignment)}

    alone = consignments(rows)
    if any((slug(extra[0]), slug(extra[1])) == (slug(a), slug(b)) for a, b, _ in rows):
        return
    with_more = consignments([extra] + rows)
    for pair, iri in alone.items():
        assert with_more[pair] == iri


def test_an_output_that_is_not_turtle_is_refused_before_anything_is_written(tmp_path):
    """Review: `import -o out.txt` wrote the file, then failed on reading it back with "unknown
    file ending" and no word on what to do."""
    from click.testing import CliRunner

    from chainmodel.cli import cli

    ledger = tmp_path / "l.csv"
    ledger.write_text("consignor,consignee\ncity,vendor\n", encoding="utf-8")
    out = tmp_path / "out.txt"
    result = CliRunner().invoke(cli, ["import", str(ledger), "-o", str(out), "--base", "https://example.org/l#"])
    assert result.exit_code == 2 and "import writes Turtle; name the output file with .ttl" in result.output
    assert not out.exists()


def test_a_bad_base_is_refused_where_it_was_given(tmp_path):
    """Review: `export --base 'not an iri'` wrote it into the About sheet, and the import then
    blamed --base, an option the user never gave."""
    from click.testing import CliRunner

    from chainmodel.cli import cli

    book = tmp_path / "l.xlsx"
    result = CliRunner().invoke(cli, ["export", "examples/case-a-laptop", "--ledger", str(book), "--base", "not an iri"])
    assert result.exit_code == 2 and "--base: 'not an iri' is not an absolute IRI" in result.output
    assert not book.exists()
    assert CliRunner().invoke(cli, ["export", "examples/case-a-laptop", "--ledger", str(book)]).exit_code == 0
    from openpyxl import load_workbook

    workbook = load_workbook(book)
    workbook["About"]["B1"] = "not an iri"  # the Base IRI row
    workbook.save(book)
    result = CliRunner().invoke(cli, ["import", str(book), "-o", str(tmp_path / "m.ttl")])
    assert result.exit_code == 2
    assert "About (台帳について) sheet, Base IRI (基底IRI): 'not an iri' is not an absolute IRI" in result.output
