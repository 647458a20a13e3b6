"""Habits people expect of a CLI (issue 13): --force, the language from the environment, CSV for spreadsheets."""

import pytest
from click.testing import CliRunner

from chainmodel.cli import cli, default_language


@pytest.mark.parametrize("env, expected", [
    ({"CHAINMODEL_LANG": "ja"}, "ja"), ({"CHAINMODEL_LANG": "en", "LANG": "ja_JP.UTF-8"}, "en"),
    ({"LANG": "ja_JP.UTF-8"}, "ja"), ({"LANG": "C.UTF-8"}, "en"), ({"LC_ALL": "ja_JP.eucJP", "LANG": "en_US"}, "ja"),
    ({}, "en"),
])
def test_the_language_defaults_from_the_environment(monkeypatch, env, expected):
    for name in ("CHAINMODEL_LANG", "LC_ALL", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert default_language() == expected


def test_a_japanese_locale_answers_in_japanese(monkeypatch):
    monkeypatch.delenv("CHAINMODEL_LANG", raising=False)
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    result = CliRunner().invoke(cli, ["validate", "examples/case-a-laptop"])
    assert result.exit_code == 1
    assert result.output.startswith("モデルは適合していない。")


def test_an_output_file_is_replaced_only_with_force(tmp_path):
    target = tmp_path / "diagram.html"
    target.write_text("mine", encoding="utf-8")
    refused = CliRunner().invoke(cli, ["diagram", "examples/case-b-optout", "-o", str(target)])
    assert refused.exit_code == 2 and "give --force" in refused.output
    assert target.read_text(encoding="utf-8") == "mine"
    replaced = CliRunner().invoke(cli, ["diagram", "examples/case-b-optout", "-o", str(target), "--force"])
    assert replaced.exit_code == 0, replaced.output
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_force_never_replaces_an_input(tmp_path):
    model = tmp_path / "model.ttl"
    model.write_text("@prefix cm: <https://w3id.org/chainmodel#> . <urn:x:a> a cm:Organisation .", encoding="utf-8")
    before = model.read_bytes()
    result = CliRunner().invoke(cli, ["report", str(model), "-o", str(model), "--force"])
    assert result.exit_code == 2 and "is an input" in result.output
    assert model.read_bytes() == before


def test_csv_for_a_spreadsheet_starts_with_a_byte_order_mark(tmp_path):
    result = CliRunner().invoke(cli, ["query", "examples/case-b-optout", "--name", "deep-tiers", "--format", "csv",
                                      "--excel"])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith("\ufeff".encode("utf-8"))
    assert b"\r\n" in result.stdout_bytes
    plain = CliRunner().invoke(cli, ["query", "examples/case-b-optout", "--name", "deep-tiers", "--format", "csv"])
    assert not plain.stdout_bytes.startswith(b"\xef\xbb\xbf")
    assert CliRunner().invoke(cli, ["query", "examples/case-b-optout", "--name", "deep-tiers", "--excel"]).exit_code == 2


def test_the_exit_codes_are_explained_once_in_the_top_level_help():
    top = CliRunner().invoke(cli, ["--help"]).output
    assert "Exit codes:" in top and "_CHAINMODEL_COMPLETE=bash_source" in top
    assert "Exit codes:" not in CliRunner().invoke(cli, ["leaks", "--help"]).output


def test_excel_without_csv_is_refused_before_the_query_runs_and_says_what_to_do(monkeypatch):
    """Review: `--excel` with another format was refused only after the query had run (up to
    --timeout), with no word on what to do."""
    import chainmodel.sparql

    def never(*args, **kwargs):
        raise AssertionError("the query ran")

    monkeypatch.setattr(chainmodel.sparql, "run_query", never)
    result = CliRunner().invoke(cli, ["query", "examples/case-a-laptop", "--name", "deep-tiers", "--excel"])
    assert result.exit_code == 2
    assert "--excel only applies to --format csv: add --format csv, or leave out --excel" in result.output
