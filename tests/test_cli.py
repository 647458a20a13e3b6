"""The command line: help that teaches, files never overwritten, the network never reached."""

import subprocess
import sys

import pytest
from click.testing import CliRunner

from inline import answer
from chainmodel.cli import cli
from chainmodel.sparql import named_queries

COMMANDS = ["validate", "trace", "describe", "leaks", "cutsets", "blast", "whatif", "diagram", "report", "query",
            "load", "generate"]


def run(*args):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_points_to_the_exit_codes_once(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Exit codes" not in result.output  # once, in chainmodel --help
    assert result.output.startswith("Usage: ")


def test_query_help_names_every_shipped_named_query():
    text = " ".join(run("query", "--help").output.split())
    for name in named_queries():
        assert name in text


@pytest.mark.parametrize("command", [["diagram", "examples/case-a-laptop"], ["report", "examples/case-a-laptop"]])
def test_outputs_never_overwrite_an_existing_file(tmp_path, command):
    target = tmp_path / "out.html"
    target.write_text("keep me", encoding="utf-8")
    result = run(*command, "-o", str(target))
    assert result.exit_code == 2
    assert target.read_text(encoding="utf-8") == "keep me"


def test_markdown_report_writes_its_diagram_beside_it(tmp_path):
    target = tmp_path / "audit.md"
    assert run("report", "examples/case-b-optout", "-o", str(target)).exit_code == 0
    assert (tmp_path / "audit.diagram.html").is_file()
    assert "audit.diagram.html" in target.read_text(encoding="utf-8")


def test_generate_writes_a_model_that_every_command_reads(tmp_path):
    target = tmp_path / "g.nt"
    assert run("generate", "--principals", "5", "--seed", "1", "-o", str(target)).exit_code == 0
    for command in (["leaks"], ["validate"], ["blast", "--rank"], ["trace"]):
        assert run(*command, str(target)).exit_code in (0, 1)


def test_the_console_entry_point_refuses_the_network():
    code = ("import sys, socket; from chainmodel.cli import main; sys.argv = ['chainmodel', '--version']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "socket.create_connection(('192.0.2.1', 80), timeout=1)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "network access refused" in done.stderr


def test_whatif_short_options_build_scenarios():
    result = run("whatif", "examples/case-b-optout", "--format", "json",
                 "--add-check", "NTT DATA's monthly opt-out report to consignee LDI", "consignee LDI",
                 "--remove", "b:h-report-ldi-jmimo")
    assert result.exit_code == 0, result.output
    removal, check = answer(result.output)["comparison"]["scenarios"]  # files, removals, reports, checks
    assert [p["element"]["iri"].rsplit("#")[1] for p in check["spof_removed"]] == ["h-report-nttdata-ldi"]
    assert [h["kind"] for h in removal["unavoidable_harms"]] == ["guarded-provision"]


def test_whatif_table_says_leaks_not_removed_when_nothing_is_left_to_fail():
    text = run("whatif", "examples/case-b-optout", "--remove", "b:h-report-ldi-jmimo").output
    row = next(line for line in text.splitlines() if "(b:h-report-nttdata-ldi)" in line and line.startswith("  "))
    assert row.split()[-1] == "LEAKS"


def test_query_list_needs_no_model_and_names_every_query():
    result = run("query", "--list")
    assert result.exit_code == 0
    assert [line.split(":")[0] for line in result.output.splitlines()] == sorted(named_queries())


def test_progress_shows_on_a_terminal_and_not_under_quiet():
    import io

    from chainmodel.progress import Progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    progress = Progress(stream=terminal)
    progress.stage("loading")
    progress.done("12 triples")
    assert "chainmodel: loading: 12 triples" in terminal.getvalue()
    quiet = Progress(stream=Terminal(), enabled=False)
    quiet.stage("loading")
    assert quiet.stream.getvalue() == ""
