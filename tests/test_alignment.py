"""Files written with PROV-O and DPV instead of the chainmodel vocabulary are read too."""

import pytest

from chainmodel.model import load_model
from chainmodel.shacl import shacl_findings
from chainmodel.trace import trace_duty
from chainmodel.views import chain_view

EX = "https://example.org/dpv-model#"
PROV_DPV = """
@prefix dpv: <https://w3id.org/dpv#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix cm: <https://w3id.org/chainmodel#> .
@prefix ex: <https://example.org/dpv-model#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:clinic a dpv:DataController ; rdfs:label "Clinic"@en .
ex:cloud a dpv:DataProcessor ; prov:actedOnBehalfOf ex:clinic ; rdfs:label "Cloud"@en .
ex:backup a dpv:DataSubProcessor ; rdfs:label "Backup vendor"@en ;
    prov:qualifiedDelegation ex:d2 .
ex:d2 a prov:Delegation ; prov:agent ex:cloud .
ex:duty a cm:Duty ; rdfs:label "safe keeping"@en ; cm:accountable ex:clinic ; cm:performedBy ex:backup .
"""


@pytest.fixture()
def view(tmp_path):
    path = tmp_path / "prov-dpv.ttl"
    path.write_text(PROV_DPV, encoding="utf-8")
    return chain_view(load_model([path]))


def test_prov_delegations_become_consignments_with_derived_tiers(view):
    tiers = {(c.consignor, c.consignee): view.tier(c.iri) for c in view.consignments.values()}
    assert tiers == {(EX + "clinic", EX + "cloud"): 1, (EX + "cloud", EX + "backup"): 2}
    assert view.consignments[EX + "d2"].parents_inferred


def test_dpv_roles_are_read_as_chainmodel_roles(view):
    assert view.roles(EX + "clinic") == ("principal",)
    assert view.roles(EX + "backup") == ("consignee", "re-consignee")


def test_general_delegation_carries_the_duty_to_its_performer(view):
    (chain,) = trace_duty(view, EX + "duty").chains
    assert [link.consignee for link in chain.links] == [EX + "cloud", EX + "backup"]
    assert chain.reaches_performer


def test_shapes_read_dpv_parties_as_parties(view):
    assert [f for f in shacl_findings(view.model.graph) if f.is_error] == []
