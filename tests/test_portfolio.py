"""A portfolio's answers (issue 15): groups, filters, --top and --all, the JSON term table, JSON Lines.

The inline portfolio: three principals consign their data to one vendor V (tier 1); V
re-consigns two of them to S (tier 2). S keeps principal 1's and 2's data on two laptops,
V principal 3's on a third. Each laptop and each copy on it is a single point of failure.
"""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from chainmodel.blast import blast_rank
from chainmodel.cli import cli
from chainmodel.errors import ArgumentError
from chainmodel.jsondoc import JSON_VERSION, document, expand, records
from chainmodel.leaks import single_points_of_failure
from chainmodel.portfolio import (Filters, filter_blasts, filter_findings, filter_leaks, group_blasts, group_findings,
                                  group_leaks, party_tier)
from chainmodel.serialise import Term
from chainmodel.validate import validate
from inline import EX, PREFIXES, RULE, answer, ex

PORTFOLIO = """
ex:p1 a cm:Organisation ; rdfs:label "principal one"@en .
ex:p2 a cm:Organisation ; rdfs:label "principal two"@en .
ex:p3 a cm:Organisation ; rdfs:label "principal three"@en .
ex:v a cm:Organisation ; rdfs:label "vendor V"@en .
ex:s a cm:Organisation ; rdfs:label "sub-contractor S"@en .
ex:c1 a cm:Consignment ; cm:consignor ex:p1 ; cm:consignee ex:v ; cm:entrustsData ex:d1 .
ex:c2 a cm:Consignment ; cm:consignor ex:p2 ; cm:consignee ex:v ; cm:entrustsData ex:d2 .
ex:c3 a cm:Consignment ; cm:consignor ex:p3 ; cm:consignee ex:v ; cm:entrustsData ex:d3 .
ex:c1s a cm:Consignment ; cm:consignor ex:v ; cm:consignee ex:s ; cm:extends ex:c1 ; cm:entrustsData ex:d1 .
ex:c2s a cm:Consignment ; cm:consignor ex:v ; cm:consignee ex:s ; cm:extends ex:c2 ; cm:entrustsData ex:d2 .
ex:d1 a cm:DataAsset ; cm:controller ex:p1 ; cm:subjectCount 100 .
ex:d2 a cm:DataAsset ; cm:controller ex:p2 ; cm:subjectCount 200 .
ex:d3 a cm:DataAsset ; cm:controller ex:p3 ; cm:subjectCount 300 .
ex:laptop1 a cm:Device ; cm:portable true ; cm:heldBy ex:s .
ex:laptop2 a cm:Device ; cm:portable true ; cm:heldBy ex:s .
ex:laptop3 a cm:Device ; cm:portable true ; cm:heldBy ex:v .
ex:k1 a cm:DataCopy ; cm:copyOf ex:d1 ; cm:storedOn ex:laptop1 .
ex:k2 a cm:DataCopy ; cm:copyOf ex:d2 ; cm:storedOn ex:laptop2 .
ex:k3 a cm:DataCopy ; cm:copyOf ex:d3 ; cm:storedOn ex:laptop3 .
"""


@pytest.fixture
def portfolio(view_of):
    return view_of(PORTFOLIO)


@pytest.fixture
def model_file(tmp_path):
    path = tmp_path / "portfolio.ttl"
    path.write_text(PREFIXES + PORTFOLIO, encoding="utf-8")
    return str(path)


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result


# -- groups ---------------------------------------------------------------------------------------------


def test_single_points_group_by_harm_kind_operator_and_tier(portfolio):
    leaks = single_points_of_failure(portfolio)
    groups = group_leaks(portfolio, leaks)
    assert [(g.key, [leaks[i].element for i in g.members], g.principals) for g in groups] == [
        (("copy-exposure", "copy", EX + "v", 1, False), [EX + "k3"], ex("p3")),
        (("device-exposure", "device", EX + "v", 1, False), [EX + "laptop3"], ex("p3")),
        (("copy-exposure", "copy", EX + "s", 2, False), list(ex("k2", "k1")), ex("p1", "p2")),
        (("device-exposure", "device", EX + "s", 2, False), list(ex("laptop2", "laptop1")), ex("p1", "p2")),
    ]  # ranked by the worst member (300 people before 200), members most exposed first


def test_what_principals_operate_themselves_is_one_group_whichever_principal(view_of):
    body = PORTFOLIO + "".join(f"ex:own{n} a cm:Device ; cm:portable true ; cm:heldBy ex:p{n} .\n"
                               f"ex:own-copy{n} a cm:DataCopy ; cm:copyOf ex:d{n} ; cm:storedOn ex:own{n} .\n"
                               for n in (1, 2, 3))
    view = view_of(body)
    leaks = single_points_of_failure(view)
    (own,) = [g for g in group_leaks(view, leaks) if g.key[:4] == ("device-exposure", "device", None, 0)]
    assert sorted(leaks[i].element for i in own.members) == list(ex("own1", "own2", "own3"))
    assert own.principals == ex("p1", "p2", "p3")


def test_every_item_is_in_exactly_one_group_and_shares_its_key(portfolio):
    leaks = single_points_of_failure(portfolio)
    groups = group_leaks(portfolio, leaks)
    assert sorted(i for g in groups for i in g.members) == list(range(len(leaks)))
    for group in groups:
        assert group.worst == group.members[0]
        assert {leaks[i].harm_kind for i in group.members} == {group.key[0]}


def test_findings_group_by_rule_and_name_the_principals_touched(portfolio):
    findings = validate(portfolio, shacl=False)
    (group,) = group_findings(portfolio, findings)
    assert group.key == ("warning", RULE + "reconsignment-without-approval")
    assert [findings[i].focus[0] for i in group.members] == list(ex("c1s", "c2s"))
    assert group.principals == ex("p1", "p2")


def test_blast_ranks_group_parties_by_tier_and_devices_by_portability(portfolio):
    blasts = blast_rank(portfolio)
    groups = group_blasts(portfolio, blasts)
    assert [(g.key, len(g.members)) for g in groups] == [
        (("party", 1), 1), (("device", True), 3), (("party", 0), 3), (("party", 2), 1)]
    assert party_tier(portfolio, EX + "s") == 2 and party_tier(portfolio, EX + "p1") == 0


# -- filters ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("filters, elements", [
    (Filters(principal=EX + "p1"), ["laptop1", "k1"]),
    (Filters(tier=2), ["laptop2", "k2", "laptop1", "k1"]),
    (Filters(tier=1), ["laptop3", "k3"]),
    (Filters(party=EX + "v"), ["laptop3", "k3"]),
    (Filters(harm="device-exposure"), ["laptop3", "laptop2", "laptop1"]),
    (Filters(principal=EX + "p2", harm="copy-exposure"), ["k2"]),
    (Filters(principal=EX + "p3", tier=2), []),
])
def test_leak_filters_keep_what_concerns_what_they_name(portfolio, filters, elements):
    kept = filter_leaks(portfolio, single_points_of_failure(portfolio), filters)
    assert sorted(leak.element for leak in kept) == sorted(EX + e for e in elements)


def test_finding_filters_by_rule_severity_principal_and_tier(portfolio):
    findings = validate(portfolio, shacl=False)
    assert len(filter_findings(portfolio, findings, Filters(rule=RULE + "reconsignment-without-approval"))) == 2
    assert filter_findings(portfolio, findings, Filters(severity="error")) == []
    assert [f.focus[0] for f in filter_findings(portfolio, findings, Filters(principal=EX + "p2"))] == [EX + "c2s"]
    assert len(filter_findings(portfolio, findings, Filters(tier=2))) == 2
    assert filter_findings(portfolio, findings, Filters(tier=1)) == []


def test_blast_filters(portfolio):
    blasts = blast_rank(portfolio)
    assert sorted(b.element for b in filter_blasts(portfolio, blasts, Filters(tier=2))) == list(ex("laptop1", "laptop2",
                                                                                                    "s"))
    assert {b.element for b in filter_blasts(portfolio, blasts, Filters(principal=EX + "p3"))} == \
        set(ex("v", "laptop3", "p3"))


@pytest.mark.parametrize("given_filters, message", [
    ({"severity": "fatal"}, "severity 'fatal'"), ({"harm": "flood"}, "harm kind 'flood'"), ({"tier": -1}, "tier -1")])
def test_a_bad_filter_is_chainmodels_own_error(given_filters, message):
    with pytest.raises(ArgumentError, match=message):
        Filters(**given_filters)


# -- the JSON document and JSON Lines --------------------------------------------------------------------


def test_the_document_holds_each_term_once_and_expands_back(model_file):
    result = run("leaks", model_file, "--format", "json")
    document_ = json.loads(result.output)
    assert (document_["json_version"], document_["command"]) == (JSON_VERSION, "leaks")
    assert result.output.count('"label"') == len(document_["terms"])  # labels only in the table
    section = document_["single_points_of_failure"]
    assert (section["count"], section["group_count"]) == (6, 4)
    assert section["entries"][0]["element"] == EX + "laptop3"
    assert document_["terms"][EX + "laptop3"]["name"] == EX + "laptop3"
    assert answer(result.output)["single_points_of_failure"]["entries"][0]["element"]["iri"] == EX + "laptop3"


def test_top_keeps_the_first_groups_and_renumbers_their_members(model_file):
    section = answer(run("leaks", model_file, "--format", "json", "--top", "3").output)["single_points_of_failure"]
    assert (section["count"], section["group_count"], len(section["groups"])) == (6, 4, 3)
    assert [e["element"]["iri"] for e in section["entries"]] == list(ex("laptop3", "k3", "k2", "k1"))
    assert [g["members"] for g in section["groups"]] == [[1], [0], [2, 3]]


def test_filters_on_the_command_line(model_file):
    section = answer(run("leaks", model_file, "--format", "json", "--tier", "2", "--harm", "device-exposure").output)
    assert [e["element"]["iri"] for e in section["single_points_of_failure"]["entries"]] == list(ex("laptop2", "laptop1"))
    found = answer(run("validate", model_file, "--format", "json", "--principal", "principal two").output)["findings"]
    assert [f["focus"][0]["iri"] for f in found["entries"]] == [EX + "c2s"]
    assert found["conforms"] is True


def test_an_unknown_rule_or_principal_is_exit_2_naming_it(model_file):
    result = run("validate", model_file, "--rule", "no-such-rule")
    assert result.exit_code == 2 and "--rule 'no-such-rule': no such rule" in result.output
    result = run("leaks", model_file, "--principal", "principal nine")
    assert result.exit_code == 2 and "principal nine" in result.output


def test_json_lines_give_terms_before_their_first_use_and_end_with_the_figures(model_file):
    result = run("audit", model_file, "--format", "jsonl")
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert lines[0] == {"record": "header", "json_version": JSON_VERSION, "command": "audit"}
    assert lines[-1]["record"] == "end" and lines[-1]["conforms"] is True
    assert lines[-1]["single_points_of_failure"] == {"no_failure_needed": 0, "count": 6, "group_count": 4,
                                                     "principal_count": 3}
    known: set[str] = set()
    for line in lines:
        if line["record"] == "term":
            known.add(line["iri"])
        elif line["record"] in ("single_point_of_failure", "blast", "finding"):
            used = set(re.findall(r'"(https://example\.org/t#[^"]*)"', json.dumps(line)))
            assert used and used <= known, used - known
    points = [line for line in lines if line["record"] == "single_point_of_failure"]
    groups = [line for line in lines if line["record"] == "group" and line["section"] == "single_points_of_failure"]
    assert [points[i]["element"] for g in groups for i in g["members"]] == \
        [EX + e for e in ("k3", "laptop3", "k2", "k1", "laptop2", "laptop1")]


def test_the_text_lists_groups_then_members_and_hides_members_only_when_many(model_file):
    text = run("leaks", model_file).output
    assert text.index("4 groups of 4") < text.index("The 6 members:")
    assert "3. 2 single points: a copy taken without authority, copy, operated by sub-contractor S (tier 2); " \
           "touch 2 principals." in text
    top = run("leaks", model_file, "--top", "1").output
    assert "1 group of 4" in top and "3 more groups" in top


def test_the_japanese_text_of_the_groups_has_no_english_word(model_file):
    text = run("audit", model_file, "--lang", "ja").output
    assert "グループ" in text
    for english in ("group", "single point", "principals", "operated by", "touch", "members"):  # labels are English
        assert english not in text


def test_an_audit_of_two_hundred_principals_reads_in_under_two_hundred_lines(tmp_path):
    from chainmodel.generate import write_model

    model = tmp_path / "portfolio.nt"
    write_model(model, 200, seed=3)
    result = run("audit", model)
    assert result.exit_code in (0, 1), result.output
    assert len(result.output.splitlines()) < 200
    assert "members are not listed: --all lists them" in result.output


# -- properties ------------------------------------------------------------------------------------------


_terms = st.sampled_from([Term(iri=f"urn:t:{n}", name=f"urn:t:{n}", label={"en": f"t{n}"}) for n in range(6)])
"""One Term per IRI, as the serialiser makes them, each drawn as often as it comes."""
_values = st.recursive(st.one_of(st.none(), st.integers(), st.text(alphabet="abc ", max_size=4), _terms),
                       lambda inner: st.one_of(st.lists(inner, max_size=3),
                                               st.dictionaries(st.sampled_from(["a", "b", "element"]), inner,
                                                               max_size=3)),
                       max_leaves=12)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(["entries", "groups"]), _values, min_size=1))
def test_expanding_the_document_gives_back_the_answer(sections):
    doc = json.loads(json.dumps(document("leaks", sections)))
    assert expand(doc) == json.loads(json.dumps(sections))
    lines = list(records("leaks", [("entry", [sections])]))
    assert [r["record"] for r in lines][0] == "header" and lines[-1]["record"] == "end"
    assert len({r["iri"] for r in lines if r["record"] == "term"}) == len(doc["terms"])


@pytest.mark.parametrize("command", [["leaks"], ["validate"], ["blast", "--rank"], ["trace"], ["describe"],
                                     ["cutsets"], ["timeline"], ["audit"]])
@pytest.mark.parametrize("example", ["examples/case-a-laptop", "examples/case-b-optout"])
def test_every_command_gives_one_document_whose_terms_expand(command, example):
    result = run(*command, example, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    assert len(result.output.splitlines()) == 1
    expanded = answer(result.output)
    assert "terms" not in expanded
    text = json.dumps(expanded, ensure_ascii=False)
    assert '"iri": "https://example.org/chainmodel/' in text  # terms are back in place


# -- the JSON document written entry by entry; text that makes only the entries it shows ---------


@pytest.mark.parametrize("top", [None, 1])
def test_the_streamed_document_is_the_document_byte_for_byte(case_a_view, top):
    """``--format json`` writes entries as they are made (chunks); the bytes are the document's."""
    from chainmodel.audit import audit
    from chainmodel.jsondoc import chunks, dumps
    from chainmodel.serialise import audit_listings, listing_json, referring

    result = audit(case_a_view)
    listings = audit_listings(case_a_view, result)
    with referring(case_a_view) as table:
        whole = dumps(document("audit", {l.name: listing_json(case_a_view, l, top) for l in listings}, table))
    with referring(case_a_view) as table:
        streamed = {l.name: listing_json(case_a_view, l, top, form="streamed") for l in listings}
        pieces = "".join(chunks("audit", streamed, table))
    assert pieces == whole
    assert list(json.loads(pieces))[-2:] == ["terms", "shared"]  # the table last, once every entry is written


def test_deferred_entries_are_made_only_when_read():
    from chainmodel.serialise import Deferred

    made = []
    entries = Deferred(lambda i: made.append(i) or {"n": i}, 5)
    assert len(entries) == 5 and made == []
    assert entries[3] == {"n": 3} and entries[-1] == {"n": 4} and entries[3] == {"n": 3}
    assert made == [3, 4]  # each once
    assert entries[1:3] == [{"n": 1}, {"n": 2}]
    assert [e["n"] for e in entries] == [0, 1, 2, 3, 4]
    with pytest.raises(IndexError):
        entries[5]
