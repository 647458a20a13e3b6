"""Responsibility traces (chainmodel.trace): every chain of consignments that entrusts a duty.

The rules pinned here, from the module's docstring and code: a chain starts at a consignment
entrusting the duty whose parents do not, and each link extends the one before it; chains
are sorted longest first, then by their consignments; a duty is flagged when entrusted
through more than one chain, and when no chain reaches a party that performs it (unless
the accountable party performs it itself); performers are the stated ones, else whoever
the chains end at, else the accountable party.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import chainmodel.trace as trace_module
from chainmodel.trace import has_no_performer, trace_all, trace_duty
from inline import B, CM, EX, ex, hypothesis_with_view_of

# P entrusts duty d to A; A re-entrusts it to B (who performs it) and to C.
FORK = """
ex:p a cm:Organisation ; rdfs:label "principal P"@en .
ex:a a cm:Organisation ; rdfs:label "consignee A"@en .
ex:b a cm:Organisation ; rdfs:label "re-consignee B"@en .
ex:c a cm:Organisation ; rdfs:label "re-consignee C"@en .
ex:d a cm:Duty ; rdfs:label "duty d"@en ; cm:accountable ex:p ; cm:performedBy ex:b .
ex:c1 a cm:Consignment ; cm:consignor ex:p ; cm:consignee ex:a ; cm:entrusts ex:d .
ex:c2 a cm:Consignment ; cm:consignor ex:a ; cm:consignee ex:b ; cm:extends ex:c1 ; cm:entrusts ex:d ;
    cm:approval cm:Approved ; cm:approvedBy ex:p .
ex:c3 a cm:Consignment ; cm:consignor ex:a ; cm:consignee ex:c ; cm:extends ex:c1 ; cm:entrusts ex:d .
"""


def links(chain) -> list[str]:
    return [link.consignment for link in chain.links]


def test_a_fork_gives_two_chains_sorted_by_their_consignments_and_is_flagged(view_of):
    result = trace_duty(view_of(FORK), EX + "d")
    assert [links(chain) for chain in result.chains] == [list(ex("c1", "c2")), list(ex("c1", "c3"))]
    assert result.entrusted_more_than_once
    assert not result.no_performer and not result.truncated
    assert (result.duty, result.accountable, result.performers) == (EX + "d", EX + "p", ex("b"))


def test_each_chain_says_whether_it_reaches_the_performer_and_who_performs_in_it(view_of):
    to_b, to_c = trace_duty(view_of(FORK), EX + "d").chains
    assert (to_b.performer, to_b.reaches_performer, to_b.starts_at_accountable) == (EX + "b", True, True)
    assert (to_c.performer, to_c.reaches_performer, to_c.starts_at_accountable) == (None, False, True)
    assert to_b.accountable == to_c.accountable == EX + "p"


def test_links_carry_tier_approval_and_the_supervisors_above_them(view_of):
    to_b, _ = trace_duty(view_of(FORK), EX + "d").chains
    first, second = to_b.links
    assert (first.consignor, first.consignee, first.tier, first.approval) == (EX + "p", EX + "a", 1, None)
    assert (second.consignor, second.consignee, second.tier) == (EX + "a", EX + "b", 2)
    assert (second.approval, second.approved_by) == (CM + "Approved", ex("p"))
    assert first.supervisors == ex("p")
    assert second.supervisors == ex("p", "a")
    assert to_b.supervisors == ex("p", "a")


def test_longer_chains_come_first(view_of):
    deeper = FORK + "ex:e a cm:Organisation .\n" \
        "ex:c4 a cm:Consignment ; cm:consignor ex:c ; cm:consignee ex:e ; cm:extends ex:c3 ; cm:entrusts ex:d .\n"
    result = trace_duty(view_of(deeper), EX + "d")
    assert [links(chain) for chain in result.chains] == [list(ex("c1", "c3", "c4")), list(ex("c1", "c2"))]
    assert [link.tier for link in result.chains[0].links] == [1, 2, 3]


def test_a_consignment_that_does_not_entrust_the_duty_is_not_in_its_chains(view_of):
    body = FORK.replace("cm:extends ex:c1 ; cm:entrusts ex:d .\n", "cm:extends ex:c1 .\n")  # c3 entrusts nothing
    result = trace_duty(view_of(body), EX + "d")
    assert [links(chain) for chain in result.chains] == [list(ex("c1", "c2"))]
    assert not result.entrusted_more_than_once


def test_a_chain_that_starts_below_the_top_starts_where_the_duty_is_first_entrusted(view_of):
    body = FORK.replace("ex:c1 a cm:Consignment ; cm:consignor ex:p ; cm:consignee ex:a ; cm:entrusts ex:d .",
                        "ex:c1 a cm:Consignment ; cm:consignor ex:p ; cm:consignee ex:a .")
    result = trace_duty(view_of(body), EX + "d")
    assert [links(chain) for chain in result.chains] == [[EX + "c2"], [EX + "c3"]]
    assert [chain.starts_at_accountable for chain in result.chains] == [False, False]  # A is not P
    assert [chain.links[0].tier for chain in result.chains] == [2, 2]  # the tier is the view's, not the position


def test_principal_keeps_the_chains_that_start_at_it_or_its_organisation(view_of):
    view = view_of(FORK + "ex:p-desk a cm:Capacity ; cm:capacityOf ex:p .\n")
    assert len(trace_duty(view, EX + "d", principal=EX + "p").chains) == 2
    assert len(trace_duty(view, EX + "d", principal=EX + "p-desk").chains) == 2  # the desk acts for P
    assert trace_duty(view, EX + "d", principal=EX + "a").chains == ()


def test_a_duty_no_chain_brings_to_its_performer_has_no_performer(view_of):
    body = FORK.replace("cm:performedBy ex:b", "cm:performedBy ex:elsewhere") + "ex:elsewhere a cm:Organisation .\n"
    view = view_of(body)
    result = trace_duty(view, EX + "d")
    assert result.no_performer and [c.reaches_performer for c in result.chains] == [False, False]
    assert has_no_performer(view, EX + "d")


def test_performers_default_to_where_the_chains_end_then_to_the_accountable_party(view_of):
    unstated = trace_duty(view_of(FORK.replace(" ; cm:performedBy ex:b", "")), EX + "d")
    assert unstated.performers == ex("b", "c")
    assert [chain.reaches_performer for chain in unstated.chains] == [True, True]
    alone = trace_duty(view_of('ex:p a cm:Organisation .\nex:d a cm:Duty ; cm:accountable ex:p .\n'), EX + "d")
    assert (alone.performers, alone.chains, alone.no_performer) == (ex("p"), (), False)


def test_a_duty_its_accountable_party_performs_itself_has_a_performer_without_chains(view_of):
    view = view_of('ex:p a cm:Organisation .\nex:d a cm:Duty ; cm:accountable ex:p ; cm:performedBy ex:p .\n')
    assert not trace_duty(view, EX + "d").no_performer
    assert not has_no_performer(view, EX + "d")


def test_a_duty_performed_by_someone_never_entrusted_with_it_has_no_performer(view_of):
    view = view_of('ex:p a cm:Organisation .\nex:x a cm:Organisation .\n'
                   'ex:d a cm:Duty ; cm:accountable ex:p ; cm:performedBy ex:x .\n')
    assert trace_duty(view, EX + "d").no_performer
    assert has_no_performer(view, EX + "d")


def test_a_cycle_of_extends_ends_the_chain_instead_of_looping(view_of):
    body = FORK + "ex:c1 cm:extends ex:c2 .\n"  # c1 and c2 extend each other
    result = trace_duty(view_of(body), EX + "d")
    for chain in result.chains:
        assert len(set(links(chain))) == len(links(chain))


def test_past_max_chains_the_trace_says_it_was_cut_short(view_of, monkeypatch):
    view = view_of(FORK)
    monkeypatch.setattr(trace_module, "MAX_CHAINS", 1)
    result = trace_duty(view, EX + "d")
    assert len(result.chains) == 1 and result.truncated
    monkeypatch.setattr(trace_module, "MAX_CHAINS", 2)
    assert not trace_duty(view, EX + "d").truncated  # exactly as many as it may hold: nothing was cut


def test_trace_all_traces_every_duty_in_iri_order(view_of):
    # a PROV-O activity entrusted by a delegation is a duty too; the view reads it after the cm:Duty ones
    body = FORK + ("@prefix prov: <http://www.w3.org/ns/prov#> .\n"
                   "ex:b prov:qualifiedDelegation [ prov:agent ex:p ; prov:hadActivity ex:a-activity ] .\n")
    assert [t.duty for t in trace_all(view_of(body))] == list(ex("a-activity", "d"))


def test_case_b_optout_has_a_three_tier_and_a_two_tier_chain(case_b_view):
    result = trace_duty(case_b_view, B + "duty-optout")
    assert [[link.tier for link in chain.links] for chain in result.chains] == [[1, 2, 3], [1, 2]]
    assert result.chains[0].links[-1].consignment == B + "c-ldi-nttdata-for-jmimo"


# -- properties over random chains -------------------------------------------------------------


@st.composite
def chain_models(draw):
    """Parties 0..n-1; consignments between random pairs, each entrusting duty d or not."""
    parties = draw(st.integers(2, 6))
    lines = [f"ex:q{i} a cm:Organisation ." for i in range(parties)]
    performer = draw(st.integers(0, parties - 1))
    lines.append(f"ex:d a cm:Duty ; cm:accountable ex:q0 ; cm:performedBy ex:q{performer} .")
    pairs = draw(st.lists(st.tuples(st.integers(0, parties - 1), st.integers(0, parties - 1)),
                          min_size=1, max_size=8, unique=True))
    for n, (a, b) in enumerate(pairs):
        if a != b:
            entrusts = " ; cm:entrusts ex:d" if draw(st.booleans()) else ""
            lines.append(f"ex:k{n} a cm:Consignment ; cm:consignor ex:q{a} ; cm:consignee ex:q{b}{entrusts} .")
    return "\n".join(lines) + "\n"


@hypothesis_with_view_of(40)
@given(chain_models())
def test_every_chain_is_a_maximal_path_of_consignments_entrusting_the_duty(view_of, body):
    view = view_of(body)
    result = trace_duty(view, EX + "d")
    entrusting = {iri for iri, c in view.consignments.items() if EX + "d" in c.duties}
    for chain in result.chains:
        path = links(chain)
        assert set(path) <= entrusting and len(set(path)) == len(path)
        for above, below in zip(path, path[1:]):
            assert above in view.consignments[below].parents  # each link extends the one before it
        assert not set(view.consignments[path[0]].parents) & entrusting
        assert not set(view.children.get(path[-1], ())) & entrusting - set(path)
    assert result.entrusted_more_than_once == (len(result.chains) > 1)
    keys = [(-len(c.links), links(c)) for c in result.chains]
    assert keys == sorted(keys)
    assert has_no_performer(view, EX + "d") == result.no_performer
