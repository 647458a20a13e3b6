"""A bad name or option given to an analysis raises chainmodel's own error (issue 13, item 6).

Never a bare KeyError, ValueError or RuntimeError: a :class:`ChainModelError` (exit code 2
on the command line) whose message names the value given and says what to do instead.
"""

from __future__ import annotations

import re

import pytest

from chainmodel.blast import blast_radius
from chainmodel.cutsets import minimal_cut_sets
from chainmodel.diagram import diagram_data, diagram_html
from chainmodel.errors import ChainModelError, ResolutionError
from chainmodel.failures import harms
from chainmodel.trace import trace_duty

ADVICE = ("known:", "did you mean", "see ", "give ", "use ", "must be", "one of", "at least", "at most",
          "between", "describe")
"""Words of a message that says what to do: where to look, or what would be accepted."""


def assert_names_and_advises(error: BaseException, value: str) -> None:
    message = str(error)
    assert isinstance(error, ChainModelError), f"{type(error).__name__}: {message}"
    assert error.exit_code == 2
    assert re.search(rf"(?<![\w.-]){re.escape(value)}(?![\w.-])", message), f"{value!r} not named in: {message}"
    assert any(word in message.lower() for word in ADVICE), f"no advice in: {message}"


def guarded_harm(view):
    (harm,) = [h for h in harms(view) if h.kind == "guarded-provision"]
    return harm


def test_trace_of_a_duty_not_in_the_model(case_b_view):
    with pytest.raises(ResolutionError) as raised:
        trace_duty(case_b_view, "urn:no-such-duty")
    assert_names_and_advises(raised.value, "urn:no-such-duty")


def test_cut_sets_of_order_zero(case_b_view):
    with pytest.raises(ChainModelError) as raised:
        minimal_cut_sets(guarded_harm(case_b_view), order=0)
    assert_names_and_advises(raised.value, "0")


def test_cut_sets_of_an_order_past_any_bound(case_b_view):
    # the command line takes orders 1 to 4; 100 is past any bound the API may set, and cheap today
    with pytest.raises(ChainModelError) as raised:
        minimal_cut_sets(guarded_harm(case_b_view), order=100)
    assert_names_and_advises(raised.value, "100")


def test_blast_radius_of_an_element_not_in_the_model(case_a_view):
    with pytest.raises(ResolutionError) as raised:
        blast_radius(case_a_view, "urn:nothing")
    assert_names_and_advises(raised.value, "urn:nothing")


@pytest.mark.parametrize("option,value", [("duty", "urn:no-such-duty"), ("principal", "urn:nobody"),
                                          ("failure", "urn:nothing")])
def test_diagram_of_an_element_not_in_the_model(case_b_view, option, value):
    for draw in (diagram_data, diagram_html):
        with pytest.raises(ResolutionError) as raised:
            draw(case_b_view, **{option: value})
        assert_names_and_advises(raised.value, value)


def test_diagram_in_a_language_it_does_not_speak(case_b_view):
    with pytest.raises(ChainModelError) as raised:
        diagram_html(case_b_view, lang="fr")
    assert_names_and_advises(raised.value, "fr")
