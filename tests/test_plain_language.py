"""Plain language in text output: counts in the right grammar, an IRI once per element, and a
finding's principals found through the data it concerns (issues 13 and 15).

Each test is a regression test for a problem found by modelling an incident as a new user
would; the model is inline.
"""

from click.testing import CliRunner

from chainmodel.cli import cli
from inline import PREFIXES, answer

ONE_OF_EACH = """
ex:city a cm:Organisation ; rdfs:label "city"@en , "市"@ja .
ex:vendor a cm:Organisation ; rdfs:label "vendor"@en , "委託先"@ja .
ex:sub a cm:Organisation ; rdfs:label "sub-contractor"@en , "再委託先"@ja .
ex:c1 a cm:Consignment ; cm:consignor ex:city ; cm:consignee ex:vendor ; cm:entrustsData ex:records .
ex:c2 a cm:Consignment ; cm:consignor ex:vendor ; cm:consignee ex:sub ; cm:extends ex:c1 ;
    cm:entrustsData ex:records ; cm:approval cm:ApprovalNotRecorded .
ex:records a cm:DataAsset ; cm:subjectCount 500 .
ex:broker a cm:Organisation ; rdfs:label "broker"@en , "名簿業者"@ja .
ex:sale a cm:DataProvision ; cm:sender ex:sub ; cm:receiver ex:broker ; cm:carries ex:records .
"""


def _run(tmp_path, body: str, *args: str) -> str:
    model = tmp_path / "model.ttl"
    model.write_text(PREFIXES + body, encoding="utf-8")
    return CliRunner().invoke(cli, [args[0], str(model), *args[1:]]).output


def test_the_validation_summary_counts_one_error_and_one_warning_in_the_singular(tmp_path):
    """Regression: "1 error(s), 1 warning(s) and 0 note(s)"."""
    first = _run(tmp_path, ONE_OF_EACH, "validate", "--lang", "en").splitlines()[0]
    assert first.startswith("The model does not conform: 1 error, 1 warning and 0 notes. The first error: ")
    first_ja = _run(tmp_path, ONE_OF_EACH, "validate", "--lang", "ja").splitlines()[0]
    assert first_ja.startswith("モデルは適合していない。エラー1件、警告1件、注記0件。")


def test_describe_counts_one_data_asset_in_the_singular(tmp_path):
    """Regression: "1 data assets, ... 0 incidents" for a model with one asset."""
    first = _run(tmp_path, ONE_OF_EACH, "describe", "--lang", "en").splitlines()[0]
    assert ", 1 data asset, 0 controls, 0 incidents." in first
    assert "4 parties, 2 consignments (deepest tier 2)" in first


def test_an_unlabelled_element_is_named_by_its_iri_once(tmp_path):
    """Regression: "Single point of failure: https://example.org/t#sale <https://example.org/t#sale>"."""
    lines = _run(tmp_path, ONE_OF_EACH, "leaks", "--lang", "en", "--all").splitlines()
    headers = [line for line in lines if line.startswith(("1. ", "2. ", "3. "))]
    assert "1. Single point of failure: https://example.org/t#sale" in headers
    assert not any(line.count("https://example.org/t#sale") > 1 for line in lines)


def test_a_finding_about_a_transfer_touches_the_principal_whose_data_it_carries(tmp_path):
    """Regression: a sale of an asset with no cm:controller grouped as touching 0 principals,
    although the asset reached the seller through the city's consignment."""
    found = answer(_run(tmp_path, ONE_OF_EACH, "validate", "--format", "json", "--rule", "transfer-without-basis"))
    (group,) = found["findings"]["groups"]
    assert [p["iri"] for p in group["principals"]] == ["https://example.org/t#city"]


def test_an_unlabelled_event_is_named_by_its_kind_and_who_acted(tmp_path):
    """Regression: the timeline listed unlabelled events by their IRIs, in Japanese too."""
    body = ONE_OF_EACH + """
    ex:incident a cm:Incident ; cm:concerns ex:sale ; cm:hasEvent ex:e1 , ex:e2 , ex:e3 .
    ex:e1 a cm:ExposureBegan ; cm:date "2013"^^xsd:gYear ; cm:actor ex:sub .
    ex:e2 a cm:BecameAware ; cm:date "2023-10"^^xsd:gYearMonth ; cm:actor ex:city .
    ex:e3 a cm:Event ; rdfs:label "public announcement"@en , "公表"@ja ; cm:date "2023-10-17"^^xsd:date .
    """
    lines = _run(tmp_path, body, "timeline", "--lang", "en").splitlines()
    assert lines[lines.index("Events") + 1:lines.index("Events") + 4] == [
        "  2013  exposure began (sub-contractor)", "  2023-10  came to know (city)", "  2023-10-17  public announcement"]
    lines = _run(tmp_path, body, "timeline", "--lang", "ja").splitlines()
    assert lines[lines.index("出来事") + 1:lines.index("出来事") + 4] == [
        "  2013  露出の開始（再委託先）", "  2023-10  覚知（市）", "  2023-10-17  公表"]
