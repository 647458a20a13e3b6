"""Damaged models never crash an analysis or a renderer: they get findings, not tracebacks.

Each case starts from a bundled example, deletes random triples and adds random ones
(chainmodel properties with values of the wrong kind, stray types, dangling IRIs), then runs
every analysis and every renderer.
"""

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as ns

from chainmodel.blast import blast_rank
from chainmodel.cutsets import minimal_cut_sets
from chainmodel.describe import describe
from chainmodel.diagram import diagram_html
from chainmodel.failures import harms
from chainmodel.leaks import single_points_of_failure
from chainmodel.loading import load_graph
from chainmodel.model import ChainModel
from chainmodel.report import report_html, report_markdown
from chainmodel.serialise import (blast_listing, describe_json, findings_listing, leaks_listing, listing_json,
                                  trace_json)
from chainmodel.text import blast_text, describe_text, findings_text, leaks_text, trace_text
from chainmodel.trace import has_no_performer, trace_all, trace_duty
from chainmodel.validate import validate
from chainmodel.views import chain_view
from inline import damaged as damage

EXAMPLES = ["case-a-laptop", "case-b-optout", "illustrative-usb"]
BASES = {name: load_graph([f"examples/{name}/model.ttl"]) for name in EXAMPLES}
ODD_VALUES = [Literal("x"), Literal("-1", datatype=ns.XSD.integer), Literal("P1M", datatype=ns.XSD.duration),
              Literal("2025-01-01", datatype=ns.XSD.date), URIRef("urn:x:nothing")]


def damaged(seed: int) -> Graph:
    return damage(BASES[EXAMPLES[seed % len(EXAMPLES)]], seed, ODD_VALUES)


@pytest.mark.parametrize("seed", range(150))
@pytest.mark.parametrize("lang", ["en"])
def test_every_analysis_and_renderer_survives_a_damaged_model(seed, lang):
    view = chain_view(ChainModel(graph=damaged(seed)))
    findings = validate(view)
    findings_text(listing_json(view, findings_listing(view, findings, True)), lang, True)
    trace_text([trace_json(view, t) for t in trace_all(view)], lang)
    leaks_text(listing_json(view, leaks_listing(view, single_points_of_failure(view)), top=3), lang)
    for harm in harms(view):
        minimal_cut_sets(harm, 2)
    blast_text(listing_json(view, blast_listing(view, blast_rank(view))), lang, True)
    describe_text(describe_json(view, describe(view)), lang)
    diagram_html(view, lang="ja")
    report_html(view, lang="ja", diagram=False)
    report_markdown(view, lang=lang)


@pytest.mark.parametrize("seed", range(0, 150, 3))
def test_the_quick_performer_check_agrees_with_the_full_trace(seed):
    view = chain_view(ChainModel(graph=damaged(seed)))
    assert {d: has_no_performer(view, d) for d in view.duties} == {d: trace_duty(view, d).no_performer for d in view.duties}
