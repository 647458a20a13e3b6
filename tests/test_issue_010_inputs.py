"""Issue 10: hostile model files, scenarios and outputs get a message and exit 2, never a
traceback, a hang, or a write outside what was asked (items 3, 6, 7, 9).

Each hostile input is written inline by its test.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from chainmodel.cli import cli
from chainmodel.errors import RefusedInput
from chainmodel.escaping import UNSAFE_CHARACTERS
from chainmodel.loading import load_graph
from chainmodel.snapshot import load_store

ROOT = Path(__file__).resolve().parent.parent
CASE_B = ROOT / "examples" / "case-b-optout"
PREFIXES = ("@prefix cm: <https://w3id.org/chainmodel#> .\n"
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
            "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n")


def run(*arguments):
    return CliRunner().invoke(cli, [str(argument) for argument in arguments])


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# -- item 3: rdf:HTML in linear time ------------------------------------------------------------


def test_an_html_literal_of_fifty_thousand_divs_loads_as_text(tmp_path):
    model = write(tmp_path / "html.ttl", PREFIXES + '<urn:a> a cm:Organisation ; rdfs:comment "'
                  + "<div>" * 50_000 + '"^^rdf:HTML .\n')
    graph = load_graph([model])
    (literal,) = [o for o in graph.objects() if str(o).startswith("<div>")]
    assert len(literal) == 250_000 and literal.value is None  # kept as written, never parsed
    assert run("describe", model).exit_code == 0
    load_store([model], tmp_path / "store")
    assert run("describe", "--store", f"oxigraph:{tmp_path / 'store'}").exit_code == 0


# -- item 7: deep JSON-LD, a 50 MB literal --------------------------------------------------------


def test_json_ld_nested_thousands_deep_is_exit_2(tmp_path):
    depth = 5_000
    model = write(tmp_path / "deep.jsonld", '{"@id": "urn:a", "urn:p": ' * depth + '"x"' + "}" * depth)
    for arguments in (["describe", model], ["load", model, "--store", f"oxigraph:{tmp_path / 'store'}"]):
        result = run(*arguments)
        assert result.exit_code == 2, result.output
        assert "deep.jsonld: the JSON is nested too deeply" in result.output


def test_a_fifty_megabyte_literal_is_exit_2(tmp_path):
    model = write(tmp_path / "huge.ttl", PREFIXES + '<urn:a> rdfs:label "' + "x" * (50 * 1024 * 1024) + '" .\n')
    for arguments in (["describe", model], ["load", model, "--store", f"oxigraph:{tmp_path / 'store'}"]):
        result = run(*arguments)
        assert result.exit_code == 2, result.output
        assert "huge.ttl: a single literal or IRI is too long for chainmodel to read" in result.output
    assert not (tmp_path / "store").exists()


# -- item 9: links, byte-order marks, DOCTYPE in text ---------------------------------------------


def test_a_link_out_of_the_model_folder_is_refused(tmp_path):
    outside = write(tmp_path / "secret.ttl", "<urn:secret> <urn:p> <urn:o> .\n")
    folder = tmp_path / "model"
    folder.mkdir()
    write(folder / "model.ttl", "<urn:a> <urn:p> <urn:o> .\n")
    (folder / "more.ttl").symlink_to(outside)
    with pytest.raises(RefusedInput, match="a link that leads outside the model folder"):
        load_graph([folder])
    result = run("describe", folder)
    assert result.exit_code == 2 and "more.ttl: refused: a link that leads outside" in result.output


def test_a_link_inside_the_model_folder_is_read(tmp_path):
    folder = tmp_path / "model"
    (folder / "parts").mkdir(parents=True)
    write(folder / "parts" / "a.ttl", "<urn:a> <urn:p> <urn:o> .\n")
    (folder / "alias.nt").symlink_to(folder / "parts" / "a.ttl")
    assert len(load_graph([folder])) == 1


def test_a_turtle_file_that_starts_with_a_byte_order_mark_loads(tmp_path):
    model = write(tmp_path / "bom.ttl", b"\xef\xbb\xbf" + (PREFIXES + "<urn:a> a cm:Organisation .\n").encode())
    assert len(load_graph([model])) == 1
    load_store([model], tmp_path / "store")
    assert run("describe", "--store", f"oxigraph:{tmp_path / 'store'}").exit_code == 0


RDF_XML = ('<?xml version="1.0"?>\n{before}<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
           'xmlns:ex="urn:ex:"><rdf:Description rdf:about="urn:a"><ex:note>{text}</ex:note></rdf:Description>'
           "</rdf:RDF>\n")


@pytest.mark.parametrize("before, text", [
    ("", "<![CDATA[ <!DOCTYPE x [<!ENTITY a 'b'>]> ]]>"),
    ("<!-- an example: <!DOCTYPE rdf:RDF [<!ENTITY e 'x'>]> -->\n", "plain"),
    ("<?note <!DOCTYPE inside a processing instruction ?>\n", "plain"),
])
def test_doctype_inside_text_is_not_a_declaration(tmp_path, before, text):
    model = write(tmp_path / "m.rdf", RDF_XML.format(before=before, text=text))
    assert len(load_graph([model])) == 1
    load_store([model], tmp_path / "store")


def test_a_real_doctype_after_a_comment_is_still_refused(tmp_path):
    model = write(tmp_path / "m.rdf", RDF_XML.format(before="<!-- c -->\n<!DOCTYPE rdf:RDF [<!ENTITY e 'x'>]>\n",
                                                     text="&e;"))
    with pytest.raises(RefusedInput, match=r"m.rdf, line 3: refused: <!DOCTYPE"):
        load_graph([model])


def test_output_never_goes_through_a_link(tmp_path):
    victim = write(tmp_path / "victim.txt", "keep me")
    (tmp_path / "out.html").symlink_to(victim)
    (tmp_path / "dangling.html").symlink_to(tmp_path / "created-through-the-link.html")
    for target in ("out.html", "dangling.html"):
        result = run("diagram", CASE_B, "-o", tmp_path / target)
        assert result.exit_code == 2 and "is a symbolic link; chainmodel never writes through one" in result.output
        forced = run("diagram", CASE_B, "-o", tmp_path / target, "--force")  # not even with --force
        assert forced.exit_code == 2 and "is a symbolic link" in forced.output
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not (tmp_path / "created-through-the-link.html").exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["dangling.html", "out.html", "victim.txt"]


@pytest.mark.parametrize("command", [["diagram", CASE_B], ["report", CASE_B], ["generate", "--principals", "2"]])
def test_output_into_a_missing_folder_is_exit_2(tmp_path, command):
    result = run(*command, "-o", tmp_path / "missing" / "out.html" if command[0] != "generate"
                 else tmp_path / "missing" / "out.nt")
    assert result.exit_code == 2
    assert "does not exist; create it first" in result.output


def test_output_is_written_whole_with_ordinary_permissions(tmp_path):
    assert run("report", CASE_B, "-o", tmp_path / "audit.md").exit_code == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["audit.diagram.html", "audit.md"]
    assert (tmp_path / "audit.md").stat().st_mode & 0o044 == 0o044  # not the 0600 of a temporary file
    assert run("generate", "--principals", "2", "-o", tmp_path / "g.nt").exit_code == 0
    assert (tmp_path / "g.nt").read_text(encoding="utf-8").count(" .\n") > 100


# -- item 7: standard output that cannot be written --------------------------------------------------


def test_stdout_on_a_full_disk_is_exit_2_with_a_message():
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "chainmodel", "describe", "examples/case-a-laptop"],
                              stdout=full, stderr=subprocess.PIPE, cwd=ROOT, timeout=120)
    assert done.returncode == 2
    assert b"standard output cannot be written (No space left on device)" in done.stderr
    assert b"Traceback" not in done.stderr and b"Exception ignored" not in done.stderr


def test_stdout_into_a_closed_pipe_is_exit_2_with_a_message():
    process = subprocess.Popen([sys.executable, "-m", "chainmodel", "describe", "examples/case-a-laptop"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    process.stdout.close()
    _, errors = process.communicate(timeout=120)
    assert process.returncode == 2
    assert b"standard output cannot be written (Broken pipe)" in errors
    assert b"Traceback" not in errors and b"Exception ignored" not in errors


# -- item 6: control characters never reach a terminal or a Markdown report -------------------------

HOSTILE_LABEL = "NTT\x1b[2J\x1b[31m DATA\x07\r\u202egnp.exe\u2066x\u2069"


@pytest.fixture(scope="module")
def hostile_model(tmp_path_factory):
    folder = tmp_path_factory.mktemp("labels")
    text = (CASE_B / "model.ttl").read_text(encoding="utf-8")
    assert '"NTT DATA"' in text
    return write(folder / "model.ttl", text.replace('"NTT DATA"', json.dumps(HOSTILE_LABEL)))


def assert_terminal_safe(text: str) -> None:
    import re

    assert not re.search(f"[{UNSAFE_CHARACTERS}]", text), repr(text[:200])


LABELS = "SELECT ?s ?l WHERE { ?s rdfs:label ?l }"


@pytest.mark.parametrize("command, shown", [
    (["describe"], True), (["trace"], True), (["leaks"], True), (["cutsets"], False), (["blast", "--rank"], True),
    (["validate"], True), (["audit", "--workers", "1"], True), (["describe", "--format", "json"], True),
    (["leaks", "--format", "json"], True), (["query"], True), (["query", "--format", "csv"], True),
    (["query", "--format", "tsv"], True), (["query", "--format", "json"], True),
    (["whatif", "--remove", "https://example.org/chainmodel/case-b#nttdata"], True),
    (["trace", "--duty", "no such duty \x1b[31m\u202e"], False),
])
def test_no_output_carries_a_control_character(hostile_model, tmp_path, command, shown):
    extra = ["--query", write(tmp_path / "labels.rq", LABELS)] if command[0] == "query" else []
    result = run(command[0], hostile_model, *command[1:], *extra)
    assert result.exit_code == (2 if "--duty" in command else 0), result.output  # a crash would be exit 1
    assert_terminal_safe(result.stdout.replace("\r\n", "\n") if "csv" in command else result.stdout)
    assert_terminal_safe(result.stderr)
    if shown:  # the label is there, escaped: the test is not vacuous
        assert "\\u202e" in result.stdout.lower()
    elif "--duty" in command:  # the refused name is echoed, escaped
        assert "no duty named 'no such duty \\x1b[31m\\u202e' in the model" in result.stderr


def test_the_markdown_report_carries_no_control_character(hostile_model, tmp_path):
    assert run("report", hostile_model, "-o", tmp_path / "audit.md").exit_code == 0
    text = (tmp_path / "audit.md").read_text(encoding="utf-8")
    assert_terminal_safe(text)
    assert "NTT\\u001B\\[2J\\u001B\\[31m DATA\\u0007 \\u202Egnp.exe\\u2066x\\u2069" in text


@pytest.mark.parametrize("command, out", [
    (["export", "--ledger"], "ledger.xlsx"), (["export", "--to", "graphml", "-o"], "chain.graphml"),
    (["export", "--to", "dot", "-o"], "chain.dot"), (["diagram", "-o"], "chain.svg"),
    (["report", "-o"], "report.html"), (["diagram", "-o"], "chain.html"),
])
def test_files_written_for_other_tools_carry_no_control_character(hostile_model, tmp_path, command, out):
    """Regression: with a label holding ESC, BEL, CR and bidirectional overrides, the ledger
    export ended in openpyxl's IllegalCharacterError (a traceback, exit 1), GraphML and SVG were
    written as XML no parser reads, and DOT and the HTML report carried the characters raw."""
    import zipfile
    from xml.etree import ElementTree

    target = tmp_path / out
    result = run(command[0], hostile_model, *command[1:], target)
    assert result.exit_code == 0, result.output
    if out.endswith(".xlsx"):
        with zipfile.ZipFile(target) as book:
            text = "".join(book.read(name).decode("utf-8") for name in book.namelist() if name.endswith(".xml"))
    else:
        text = target.read_text(encoding="utf-8")
    if out.endswith((".graphml", ".svg")):
        ElementTree.fromstring(text.encode("utf-8"))  # well-formed XML
    if out.endswith(".html"):  # the page's own scripts (vis-network) are not the model's text
        import re
        text = re.sub(r"<script>.*?</script>|&lt;script&gt;.*?&lt;/script&gt;", "", text,
                      flags=re.S)  # also the embedded diagram's (in srcdoc); the model's data stays
    assert_terminal_safe(text)
    assert "\\u202e" in text.lower()  # the label is there, escaped


# -- items 3 and 7: scenarios ------------------------------------------------------------------------

SCENARIO_PREFIXES = "PREFIX cm: <https://w3id.org/chainmodel#>\n"


def test_a_cartesian_scenario_stops_at_the_deadline(tmp_path):
    scenario = write(tmp_path / "cartesian.ru", SCENARIO_PREFIXES + "INSERT { <urn:x:a> <urn:x:p> ?a } WHERE "
                     "{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
    result = run("whatif", CASE_B, "--scenario", scenario, "--timeout", "1")
    assert result.exit_code == 3, result.output
    assert "scenario cartesian.ru ran past its time limit of 1 s" in result.output


def test_a_scenario_with_three_thousand_union_branches_is_exit_2(tmp_path):
    branches = " UNION ".join("{ ?s cm:consignee ?o }" for _ in range(3_000))
    scenario = write(tmp_path / "union.ru", SCENARIO_PREFIXES + f"DELETE {{ ?s cm:consignee ?o }} WHERE {{ {branches} }}")
    result = run("whatif", CASE_B, "--scenario", scenario)
    assert result.exit_code == 2, result.output
    assert "scenario union.ru is nested too deeply" in result.output


def test_rdf_star_in_a_scenario_is_refused_naming_the_file(tmp_path):
    scenario = write(tmp_path / "star.ru", "INSERT DATA { << <urn:a> <urn:b> <urn:c> >> <urn:says> <urn:d> }")
    result = run("whatif", CASE_B, "--scenario", scenario)
    assert result.exit_code == 2
    assert "star.ru, line 1, column 15: RDF-star" in result.output


def test_service_with_a_prefixed_name_in_a_scenario_is_refused(tmp_path, listener):
    scenario = write(tmp_path / "service.ru", f"PREFIX e: <{listener.url}#>\nDELETE {{ ?s ?p ?o }} WHERE "
                     "{ SERVICE e:x { ?s ?p ?o } }")
    result = run("whatif", CASE_B, "--scenario", scenario)
    assert result.exit_code == 2
    assert "SERVICE e:x would query a remote endpoint" in result.output
    assert listener.connections == 0


def test_a_scenario_that_doubles_a_string_stops_at_the_memory_allowance(tmp_path):
    binds = " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(30))
    scenario = write(tmp_path / "doubling.ru", SCENARIO_PREFIXES + "INSERT { <urn:x:a> <urn:x:p> ?s30 } WHERE "
                     f"{{ BIND(\"0123456789abcdef\" AS ?s0) {binds} }}")
    result = run("whatif", CASE_B, "--scenario", scenario, "--memory", "256MiB", "--timeout", "60")
    assert result.exit_code == 2, result.output
    assert "memory allowance of 256 MiB" in result.output
