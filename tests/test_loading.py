"""Loading is all or nothing, names the file and line, and never reaches outside the files."""

import hashlib
import json

import pytest
from click.testing import CliRunner
from rdflib import Graph

from chainmodel.cli import cli
from chainmodel.errors import InputError, ParseError, RefusedInput
from chainmodel.loading import load_graph

GOOD = "<urn:a> <urn:b> <urn:c> .\n"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_syntax_error_names_file_and_line(tmp_path):
    bad = write(tmp_path, "bad.ttl", GOOD + GOOD + '<urn:a> <urn:b> "unterminated .\n')
    with pytest.raises(ParseError) as caught:
        load_graph([bad])
    assert caught.value.path.endswith("bad.ttl")
    assert caught.value.line == 3


def test_failed_file_leaves_no_triple_behind(tmp_path):
    good = write(tmp_path, "a.ttl", GOOD)
    bad = write(tmp_path, "b.ttl", "<urn:x> <urn:y> .\n")
    graph = Graph()
    with pytest.raises(ParseError):
        load_graph([good, bad], graph)
    assert len(graph) == 0


@pytest.mark.parametrize(
    "name, text",
    [
        ("doctype.rdf", '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY a "aaaa">]>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>'),
        ("entity.owl", '<?xml version="1.0"?>\n<!ENTITY x SYSTEM "file:///etc/passwd">\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>'),
        ("remote.jsonld", json.dumps({"@context": "https://example.org/context.jsonld", "@id": "urn:a"})),
        ("local.jsonld", json.dumps({"@context": ["file:///etc/context.jsonld"], "@id": "urn:a"})),
        ("import.jsonld", json.dumps({"@context": {"@import": "https://example.org/c.jsonld"}, "@id": "urn:a"})),
        ("imports.ttl", "<urn:o> a <http://www.w3.org/2002/07/owl#Ontology> ; <http://www.w3.org/2002/07/owl#imports> <https://example.org/other> ."),
    ],
)
def test_inputs_that_would_fetch_or_read_are_refused(tmp_path, name, text):
    path = write(tmp_path, name, text)
    with pytest.raises(RefusedInput) as caught:
        load_graph([path])
    assert name in str(caught.value)
    assert "refused" in str(caught.value)


def test_import_of_an_ontology_given_among_the_inputs_is_accepted(tmp_path):
    other = write(tmp_path, "other.ttl", "<https://example.org/other> a <http://www.w3.org/2002/07/owl#Ontology> .")
    main = write(tmp_path, "main.ttl", "<urn:o> <http://www.w3.org/2002/07/owl#imports> <https://example.org/other> .")
    assert len(load_graph([main, other])) == 2


def test_inline_jsonld_context_is_read(tmp_path):
    path = write(tmp_path, "m.jsonld", json.dumps({"@context": {"@vocab": "urn:v:"}, "@id": "urn:a", "p": "x"}))
    assert len(load_graph([path])) == 1


@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".trig", ".nq", ".jsonld", ".rdf"])
def test_every_format_loads(tmp_path, suffix):
    text = {
        ".ttl": GOOD, ".nt": GOOD, ".trig": "<urn:g> { " + GOOD + " }", ".nq": "<urn:a> <urn:b> <urn:c> <urn:g> .\n",
        ".jsonld": json.dumps({"@id": "urn:a", "urn:b": {"@id": "urn:c"}}),
        ".rdf": '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="urn:a"><b xmlns="urn:" rdf:resource="urn:c"/></rdf:Description></rdf:RDF>',
    }[suffix]
    assert len(load_graph([write(tmp_path, "m" + suffix, text)])) == 1


def test_unknown_ending_and_missing_file_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="unknown file ending"):
        load_graph([write(tmp_path, "m.txt", GOOD)])
    with pytest.raises(InputError, match="no such file"):
        load_graph([tmp_path / "missing.ttl"])


def test_relative_iri_is_a_parse_error_not_a_machine_path(tmp_path):
    with pytest.raises(ParseError):
        load_graph([write(tmp_path, "rel.ttl", "<a> <b> <c> .")])


def test_cli_exit_code_2_and_message_for_unreadable_input(tmp_path):
    bad = write(tmp_path, "bad.ttl", "<urn:x> <urn:y> .\n")
    result = CliRunner().invoke(cli, ["describe", str(bad)])
    assert result.exit_code == 2
    assert "bad.ttl, line 1" in result.output


def test_cli_unknown_duty_suggests_close_labels():
    result = CliRunner().invoke(cli, ["trace", "examples/case-b-optout", "--duty", "accepting opt-out requests"])
    assert result.exit_code == 2
    assert "accepting and reporting opt-out requests" in result.output


def test_no_command_modifies_the_model_files():
    files = ["examples/case-a-laptop/model.ttl", "examples/case-b-optout/model.ttl"]
    before = [hashlib.sha256(open(f, "rb").read()).hexdigest() for f in files]
    for command in (["describe"], ["leaks"], ["cutsets"], ["trace"], ["blast", "--rank"]):
        for case in ("examples/case-a-laptop", "examples/case-b-optout"):
            CliRunner().invoke(cli, [command[0], case, *command[1:]])
    assert [hashlib.sha256(open(f, "rb").read()).hexdigest() for f in files] == before


def test_blank_nodes_get_the_same_names_every_run(tmp_path):
    path = write(tmp_path, "b.ttl", "<urn:a> <urn:p> [ <urn:q> [ <urn:r> 1 ] ] .\n")
    first = sorted(map(str, load_graph([path]).all_nodes()))
    second = sorted(map(str, load_graph([path]).all_nodes()))
    assert first == second
    assert "f0b0" in first and "f0b1" in first


def test_progress_is_silent_in_pipes_and_under_quiet():
    result = CliRunner().invoke(cli, ["--quiet", "describe", "examples/case-a-laptop"])
    assert result.exit_code == 0
    assert "chainmodel:" not in result.output
    piped = CliRunner().invoke(cli, ["describe", "examples/case-a-laptop"])
    assert "deriving the chain view" not in piped.output
