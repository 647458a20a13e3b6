"""chainmodel export --ledger and init: the same model back, computed columns from the analyses, same bytes."""

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from rdflib.compare import isomorphic

from chainmodel.cli import cli
from chainmodel.export.analyses import analyses_json
from chainmodel.ledger import export_ledger, import_ledger
from chainmodel.ledger.columns import SHEETS
from chainmodel.model import load_model
from chainmodel.views import chain_view

CASES = ["examples/case-a-laptop", "examples/case-b-optout", "examples/illustrative-usb"]


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_import_of_an_exported_ledger_gives_back_the_same_model(example_view, tmp_path, case, lang):
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(export_ledger(example_view(case), lang=lang))
    built = import_ledger([path])  # the base comes from the About sheet
    assert isomorphic(built.graph, example_view(case).model.graph)


def test_exported_workbook_is_the_same_bytes_every_time(example_view):
    view = example_view("examples/case-b-optout")
    assert export_ledger(view, lang="ja") == export_ledger(view, lang="ja")


def _sheet(path, title):
    book = load_workbook(path)
    rows = list(book[title].iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def test_computed_columns_of_case_a(example_view, tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(export_ledger(example_view("examples/case-a-laptop")))
    rows = {r["ID"]: r for r in _sheet(path, "Consignments")}
    assert sorted(rows) == ["c-resonac-foundation", "c-resonac-institutions"]
    row = rows["c-resonac-foundation"]
    assert row["Tier (computed)"] == "1"
    assert row["Exposure per principal if the consignee is compromised (computed)"] == (
        "Japan Health Culture Promotion Foundation: 10,202 people; Resonac Health Insurance Association: at least "
        "5,747 people; in all: at least 171,472 people")  # the checkup results' count is not known
    assert row["Single points of failure at the consignee (computed)"].startswith(
        "portable laptop (loss or theft): at least 171,472 people and at most 181,674 people")
    data = {r["ID"]: r for r in _sheet(path, "Data")}
    assert data["applicant-records"]["Count"] == 171472  # a number, so that a spreadsheet sorts it
    copies = {r["ID"]: r for r in _sheet(path, "Copies")}
    assert copies["backup-applicants"]["Findings (computed)"] == (
        "error: sensitive data on a portable device without protection that rules a leak out "
        "[APPI Art. 23; PPC General Guidelines 10 (10-5, 10-6)]")


def test_computed_columns_of_case_b_in_japanese(example_view, tmp_path):
    path = tmp_path / "b.xlsx"
    path.write_bytes(export_ledger(example_view("examples/case-b-optout"), lang="ja"))
    rows = {r["ID"]: r for r in _sheet(path, "委託")}
    assert rows["c-ldi-nttdata-for-jmimo"]["階層（計算値）"] == "3"
    assert rows["c-ldi-nttdata-for-jmimo"]["再委託の承諾"] == "承諾の記録なし"
    assert rows["c-jmimo-ldi"]["上位の委託元"] == "hospital"
    assert "warning: 承諾の記録のない再委託 [個人情報保護委員会ガイドライン（通則編）3-4-4]" in rows["c-jmimo-ldi"]["検証結果（計算値）"]
    assert "NTTデータから委託先LDIへの月次の提供停止・削除の求めの報告" in \
        rows["c-ldi-nttdata-for-jmimo"]["委託先の単一障害点（計算値）"]
    notes = _sheet(path, "列の説明")
    assert any(n["列（日本語）"] == "最終監査日" and "cm:Audit" in n["意味"] for n in notes)


@pytest.mark.parametrize("case", CASES)
def test_checked_in_ledgers_import_to_the_examples(example_view, tmp_path, case):
    out = tmp_path / "m.ttl"
    assert run("import", f"{case}/ledger.xlsx", "-o", out).exit_code == 0
    again = chain_view(load_model([out]))
    assert isomorphic(again.model.graph, example_view(case).model.graph)
    for key in ("trace", "leaks"):
        assert analyses_json(again)[key] == analyses_json(example_view(case))[key]


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(principals=st.integers(min_value=1, max_value=3), seed=st.integers(min_value=0, max_value=50))
def test_generated_models_round_trip_through_a_ledger(tmp_path, principals, seed):
    from chainmodel.generate import write_model

    model = tmp_path / f"g-{principals}-{seed}.ttl"
    if not model.exists():
        write_model(model, principals, seed=seed)
    view = chain_view(load_model([model]))
    ledger = tmp_path / f"g-{principals}-{seed}.xlsx"
    ledger.write_bytes(export_ledger(view))
    assert isomorphic(import_ledger([ledger]).graph, view.model.graph)


def test_cli_export_refuses_to_overwrite_and_writes_with_force(tmp_path):
    out = tmp_path / "l.xlsx"
    out.write_bytes(b"keep")
    assert run("export", "examples/case-a-laptop", "--ledger", out).exit_code == 2
    assert out.read_bytes() == b"keep"
    assert run("export", "examples/case-a-laptop", "--ledger", out, "--force").exit_code == 0
    assert out.read_bytes()[:2] == b"PK"


def test_init_writes_a_model_that_conforms_and_an_empty_ledger(tmp_path):
    folder = tmp_path / "start"
    assert run("init", folder, "--lang", "ja").exit_code == 0
    assert sorted(p.name for p in folder.iterdir()) == ["ledger.xlsx", "model.ttl"]
    assert "台帳で書く場合" in (folder / "model.ttl").read_text(encoding="utf-8")
    assert run("validate", folder / "model.ttl").exit_code == 0
    book = load_workbook(folder / "ledger.xlsx")
    assert book.sheetnames[:3] == ["台帳について", "当事者", "委託"]
    headers = [c.value for c in book["委託"][1]]
    assert headers == [c.ja for c in SHEETS[1].columns]
    assert run("init", folder).exit_code == 2  # not empty
    assert run("import", folder / "ledger.xlsx", "-o", tmp_path / "empty.ttl").exit_code == 0


def test_readme_column_table_is_the_code_table():
    from chainmodel.ledger.readme import column_table

    text = Path("README.md").read_text(encoding="utf-8")
    section = text[text.index("<!-- ledger-columns:start -->") + len("<!-- ledger-columns:start -->"):
                   text.index("<!-- ledger-columns:end -->")]
    assert section.strip() == column_table().strip()


@pytest.mark.parametrize("command", ["import", "export", "init"])
def test_new_commands_have_help(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert result.output.startswith("Usage: ") and "Exit codes" not in result.output  # once, in chainmodel --help


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_systems_of_an_intrusion_have_their_own_columns_and_come_back_the_same(view_of, tmp_path, lang):
    """Regression: a server's kind, whether it faces the internet and what it connects to went to
    the Other statements sheet as raw Turtle; the Devices sheet had only Portable."""
    from test_public_ransomware import MODEL

    view = view_of(MODEL)
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(export_ledger(view, lang=lang))
    devices = {row[0]: row for row in load_workbook(path)["Devices" if lang == "en" else "機器"].iter_rows(
        min_row=2, values_only=True)}
    kind, facing, connects = (("VPN appliance", "yes", "fileserver") if lang == "en" else ("VPN機器", "はい", "fileserver"))
    assert devices["vpn"][4:8] == (kind, None, facing, connects)  # Kind, Portable, Internet-facing, Connects to
    other = load_workbook(path)["Other statements" if lang == "en" else "その他の記述"]
    assert not any("connectsTo" in str(cell) or "internetFacing" in str(cell) or "VpnAppliance" in str(cell)
                   for row in other.iter_rows(values_only=True) for cell in row)
    assert isomorphic(import_ledger([path]).graph, view.model.graph)


def test_people_and_accounts_have_their_own_columns_and_come_back_the_same(view_of, tmp_path):
    """Regression: persons (whom they work for, where they are placed) and accounts (who uses
    them, what they open, administrator or shared) went to Other statements as raw Turtle."""
    from test_threats import INSIDER

    view = view_of(INSIDER)
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(export_ledger(view, lang="en"))
    book = load_workbook(path)
    parties = {row[0]: row for row in book["Parties"].iter_rows(min_row=2, values_only=True)}
    assert parties["worker"][4:9] == ("dispatched worker", None, None, "agency", "vendor")  # kind ... works for, placed at
    accounts = [row for row in book["Accounts"].iter_rows(min_row=2, values_only=True)]
    assert [(row[0], row[4], row[5], row[7]) for row in accounts] == [("admin", "worker", "db", "yes")]
    assert list(book["Other statements"].iter_rows(min_row=2, values_only=True)) == []
    assert isomorphic(import_ledger([path]).graph, view.model.graph)


def test_attacks_and_their_conditions_have_their_own_sheets_and_come_back_the_same(view_of, tmp_path):
    """Regression: an attack that needs two conditions, and the intrusion and ransomware failure
    modes, went to Other statements as raw Turtle."""
    from test_threats import ATTACK

    view = view_of(ATTACK)
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(export_ledger(view, lang="en"))
    book = load_workbook(path)
    attacks = [row[:8] for row in book["Attacks"].iter_rows(min_row=2, values_only=True)]
    assert attacks == [("attack", None, None, None, "vpn", "reused; unpatched", None, "ransomware")]
    conditions = {row[0]: row[4] for row in book["Conditions"].iter_rows(min_row=2, values_only=True)}
    assert conditions == {"reused": "ops", "unpatched": "vpn"}
    assert list(book["Other statements"].iter_rows(min_row=2, values_only=True)) == []
    assert isomorphic(import_ledger([path]).graph, view.model.graph)


def test_a_reference_to_any_row_may_name_a_row_of_every_sheet():
    """Review: the list of sheets a reference may point into is kept by hand beside the sheets."""
    from chainmodel.ledger.columns import ANY

    assert ANY == tuple(sheet.key for sheet in SHEETS)
