"""``chainmodel audit``: the three analyses at once, in two processes, with the same answers."""

import importlib
import json
import os

import pytest
from inline import answer
from click.testing import CliRunner

from chainmodel.audit import audit
from chainmodel.blast import blast_rank
from chainmodel.cli import cli
from chainmodel.errors import ChainModelError
from chainmodel.generate import write_model
from chainmodel.leaks import single_points_of_failure
from chainmodel.snapshot import load_store
from chainmodel.validate import validate
from chainmodel.views import chain_view

audit_module = importlib.import_module("chainmodel.audit")  # the package exports the function under the same name
EXAMPLES = ["examples/case-a-laptop", "examples/case-b-optout", "examples/illustrative-usb"]


@pytest.mark.parametrize("example", EXAMPLES)
def test_two_processes_find_what_the_three_analyses_find(example, example_view):
    view = example_view(example)
    together = audit(view, workers=2)
    assert list(together.findings) == validate(view)
    assert list(together.leaks) == single_points_of_failure(view)
    assert list(together.blasts) == blast_rank(view)
    assert audit(view, workers=1) == together


def run(*args):
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code in (0, 1), result.output
    return result


@pytest.mark.parametrize("source", ["examples/case-b-optout", "store"])
def test_the_audit_json_is_the_three_commands_json(tmp_path, source):
    if source == "store":
        model = tmp_path / "generated.nt"
        write_model(model, 25, seed=11)
        load_store([model], tmp_path / "store")
        given = ["--store", f"oxigraph:{tmp_path / 'store'}"]
    else:
        given = [source]
    combined = answer(run("audit", *given, "--format", "json").output)
    assert combined["findings"] == answer(run("validate", *given, "--format", "json").output)["findings"]
    assert combined["single_points_of_failure"] == \
        answer(run("leaks", *given, "--format", "json").output)["single_points_of_failure"]
    assert combined["blast_rank"] == answer(run("blast", "--rank", *given, "--format", "json").output)["blast_rank"]
    assert combined["conforms"] == (run("validate", *given).exit_code == 0)


def test_top_keeps_the_first_group_of_every_section_and_its_members():
    full = answer(run("audit", "examples/case-a-laptop", "--format", "json").output)
    top = answer(run("audit", "examples/case-a-laptop", "--format", "json", "--top", "1").output)
    for section in ("findings", "single_points_of_failure", "blast_rank"):
        first = full[section]["groups"][0]
        assert [g["key"] for g in top[section]["groups"]] == [first["key"]]
        assert top[section]["entries"] == [full[section]["entries"][i] for i in sorted(first["members"])]
        assert (top[section]["count"], top[section]["group_count"]) == (full[section]["count"],
                                                                        full[section]["group_count"])
    assert full["single_points_of_failure"]["count"] > len(top["single_points_of_failure"]["entries"])


def test_a_failure_in_the_worker_reaches_the_caller(monkeypatch, case_b_view):
    def broken(view, shacl=True, strict=False):
        raise ChainModelError(f"the worker broke in process {os.getpid()}")

    monkeypatch.setattr(audit_module, "validate", broken)  # inherited by the forked worker
    with pytest.raises(ChainModelError, match="the worker broke") as raised:
        audit(case_b_view, workers=2)
    assert str(raised.value) != f"the worker broke in process {os.getpid()}"  # it did run in another process


def test_the_text_report_has_three_sections_in_japanese_too():
    text = run("audit", "examples/case-b-optout", "--lang", "ja").output
    assert text.index("== 検査結果") < text.index("== 単一障害点") < text.index("== 影響範囲")


def test_a_failure_here_does_not_wait_for_a_worker_blocked_on_a_full_pipe(monkeypatch, case_b_view):
    import signal

    def many_findings(view, shacl=True):
        return ["finding %d" % i * 3 for i in range(50_000)]  # far more than a pipe holds

    def broken(view, duty=None):
        raise ChainModelError("the leak search broke")

    monkeypatch.setattr(audit_module, "validate", many_findings)
    monkeypatch.setattr(audit_module, "single_points_of_failure", broken)
    signal.alarm(60)  # a hang fails the test instead of the whole run
    try:
        with pytest.raises(ChainModelError, match="the leak search broke"):
            audit(case_b_view, workers=2)
    finally:
        signal.alarm(0)


def test_errors_with_their_own_arguments_survive_the_trip_back(monkeypatch, case_b_view):
    from chainmodel.errors import ParseError

    def unreadable(view, shacl=True, strict=False):
        raise ParseError("model.ttl", 12, "bad triple")

    monkeypatch.setattr(audit_module, "validate", unreadable)
    with pytest.raises(ParseError, match="model.ttl, line 12: bad triple") as raised:
        audit(case_b_view, workers=2)
    assert raised.value.line == 12


def test_a_store_without_its_saved_view_is_audited_in_one_process(tmp_path, monkeypatch, case_b_view):
    from chainmodel.model import ChainModel
    from chainmodel.snapshot import MANIFEST_FILE
    from chainmodel.snapshot import open_store

    load_store(["examples/case-b-optout"], tmp_path / "store")
    (tmp_path / "store" / MANIFEST_FILE).unlink()
    monkeypatch.setattr(audit_module.multiprocessing, "get_context", None)  # forking would fail loudly
    view = chain_view(ChainModel(graph=open_store(f"oxigraph:{tmp_path / 'store'}")))
    assert audit(view, workers=2) == audit(case_b_view, workers=1)
