"""Every command's Japanese text holds no phrase of the English catalogue (issue 13).

The founding cases and the bundled examples, each command as a user runs it with
``--lang ja`` (``--all``, so every member is rendered). The model's own names are taken out
first (labels may be English where the model gives no Japanese); what is left must not hold
a fixed English phrase of any catalogue entry whose Japanese differs. The English runs of the
same commands must hold some of them, so the check cannot pass by saying nothing.
"""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from chainmodel.cli import cli
from test_report import english_phrases, model_names, without_names

EXAMPLES = ["case-a-laptop", "case-b-optout", "illustrative-usb"]
COMMANDS = [
    ["describe"], ["trace"], ["validate", "--all"], ["leaks", "--all"], ["cutsets"], ["blast", "--rank", "--all"],
    ["audit", "--all"], ["timeline"],
]
SCENARIOS = {
    "case-b-optout": ["--scenario", "examples/scenarios/case-b-remedy-2-ldi-checks.ru", "--remove", "b:h-jmimo-producer",
                      "--remove", "b:e-exposure"],
    "case-a-laptop": ["--scenario", "examples/scenarios/case-a-encrypted-laptop.ru"],
}


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code in (0, 1), result.output
    return result.output


def english_in(text: str, names: list[str]) -> list[str]:
    text = without_names(text, names)
    return sorted(p for p in english_phrases() if re.search(rf"(?<![A-Za-z]){re.escape(p)}(?![A-Za-z])", text))


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize("example", EXAMPLES)
def test_japanese_text_of_every_command_holds_no_english_phrase(views, command, example):
    text = run(*command[:1], f"examples/{example}", *command[1:], "--lang", "ja")
    assert english_in(text, model_names(views[example])) == []


@pytest.mark.parametrize("example", sorted(SCENARIOS))
def test_japanese_whatif_holds_no_english_phrase(views, example):
    text = run("whatif", f"examples/{example}", *SCENARIOS[example], "--lang", "ja")
    assert english_in(text, model_names(views[example])) == []


def test_the_english_text_does_hold_english_phrases(views):
    names = model_names(views["case-b-optout"])
    for command in (["audit", "--all"], ["leaks"], ["timeline"]):
        assert english_in(run(command[0], "examples/case-b-optout", *command[1:], "--lang", "en"), names)


@pytest.fixture(scope="module")
def views():
    from chainmodel.model import load_model
    from chainmodel.views import chain_view

    return {name: chain_view(load_model([f"examples/{name}"])) for name in EXAMPLES}
