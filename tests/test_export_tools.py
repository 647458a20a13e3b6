"""chainmodel export --to sarif|graphml|dot: files other tools read, checked the way those tools check them."""

import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from jsonschema import Draft4Validator

from chainmodel.cli import cli

SCHEMA = json.loads(Path("tests/data/sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
B = "https://example.org/chainmodel/case-b#"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def export(tmp_path, case, target, *extra):
    out = tmp_path / f"out.{target}"
    result = run("export", case, "--to", target, "-o", out, *extra)
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("case", ["examples/case-a-laptop", "examples/case-b-optout", "examples/illustrative-usb"])
def test_sarif_validates_against_the_oasis_schema(tmp_path, case):
    log = json.loads(export(tmp_path, case, "sarif").read_text(encoding="utf-8"))
    errors = sorted(Draft4Validator(SCHEMA).iter_errors(log), key=lambda e: list(e.path))
    assert errors == []


def test_sarif_rules_levels_citations_and_lines_for_case_a(tmp_path):
    log = json.loads(export(tmp_path, "examples/case-a-laptop", "sarif").read_text(encoding="utf-8"))
    run_ = log["runs"][0]
    rules = {rule["id"]: rule for rule in run_["tool"]["driver"]["rules"]}
    portable = rules["sensitive-on-portable-device"]
    assert portable["helpUri"] == "https://w3id.org/chainmodel/rule#sensitive-on-portable-device"
    assert portable["defaultConfiguration"]["level"] == "error"
    assert portable["properties"]["legalSources"] == ["APPI Art. 23", "PPC General Guidelines 10 (10-5, 10-6)"]
    (error,) = [r for r in run_["results"] if r["level"] == "error"]
    place = error["locations"][0]
    assert place["physicalLocation"]["artifactLocation"]["uri"] == "examples/case-a-laptop/model.ttl"
    lines = Path("examples/case-a-laptop/model.ttl").read_text(encoding="utf-8").splitlines()
    assert place["physicalLocation"]["region"]["startLine"] == lines.index("a:backup-applicants a cm:DataCopy ;") + 1
    assert run_["tool"]["driver"]["rules"][error["ruleIndex"]]["id"] == error["ruleId"] == "sensitive-on-portable-device"
    spof = [r for r in run_["results"] if r["ruleId"] == "single-point-of-failure"]
    assert [r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] for r in spof][0] == \
        "https://example.org/chainmodel/case-a#laptop"


def test_sarif_levels_from_severities_for_case_b(tmp_path):
    log = json.loads(export(tmp_path, "examples/case-b-optout", "sarif").read_text(encoding="utf-8"))
    levels = {(r["ruleId"], r["level"]) for r in log["runs"][0]["results"]}
    assert ("reconsignment-without-approval", "warning") in levels
    assert ("handoff-without-acknowledgement", "warning") in levels
    assert {level for _, level in levels} <= {"error", "warning", "note"}


def test_sarif_without_a_turtle_line_uses_the_logical_location(tmp_path):
    model = tmp_path / "m.nt"
    model.write_text("<urn:x:c> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/chainmodel#Consignment> .\n",
                     encoding="utf-8")
    log = json.loads(export(tmp_path, model, "sarif").read_text(encoding="utf-8"))
    (first, *_) = log["runs"][0]["results"]
    assert first["locations"] == [{"logicalLocations": [{"fullyQualifiedName": "urn:x:c", "kind": "element"}]}]
    assert list(Draft4Validator(SCHEMA).iter_errors(log)) == []


def test_graphml_reads_back_with_parties_labels_tiers_and_approval(tmp_path):
    graph = nx.read_graphml(export(tmp_path, "examples/case-b-optout", "graphml"), force_multigraph=True)
    assert graph.nodes[B + "nttdata"]["label_ja"] == "株式会社NTTデータ"
    edges = {d["iri"]: d for _, _, d in graph.edges(data=True)}
    assert len(edges) == 5
    assert edges[B + "c-ldi-nttdata-for-jmimo"]["tier"] == 3
    assert edges[B + "c-ldi-nttdata-for-jmimo"]["approval"] == "approval not recorded"


def test_dot_and_graphml_are_the_same_bytes_every_time(tmp_path):
    for target in ("dot", "graphml", "sarif", "prov"):
        first = export(tmp_path, "examples/case-b-optout", target).read_bytes()
        again = tmp_path / f"again.{target}"
        run("export", "examples/case-b-optout", "--to", target, "-o", again)
        assert again.read_bytes() == first, target


def test_dot_names_parties_in_both_languages_and_edges_by_tier(tmp_path):
    text = export(tmp_path, "examples/case-b-optout", "dot", "--lang", "ja").read_text(encoding="utf-8")
    assert f'"{B}nttdata" [label="株式会社NTTデータ\\nNTT DATA"' in text
    assert f'"{B}consignee-ldi" -> "{B}nttdata" [label="第3階層; 承諾の記録なし"' in text
    assert text.count(" -> ") == 5


def test_export_needs_one_target(tmp_path):
    assert run("export", "examples/case-b-optout").exit_code == 2
    assert run("export", "examples/case-b-optout", "--to", "dot").exit_code == 2
