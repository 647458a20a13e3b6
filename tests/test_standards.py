"""PROV-O and DPV written by others are read; PROV-O + DPV written by chainmodel reads back the same."""

import json

import pytest

from chainmodel.export.analyses import analyses_json
from chainmodel.export.prov import prov_turtle
from chainmodel.model import load_model
from chainmodel.serialise import trace_json
from chainmodel.trace import trace_duty
from chainmodel.validate import validate
from chainmodel.views import chain_view

EX = "https://example.org/city#"

# PROV-O the way the PROV primer writes delegation: qualified, with the activity.
PROV_FILE = """\
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex:   <https://example.org/city#> .

ex:city   a prov:Agent, prov:Organization ; rdfs:label "Minato City"@en , "港区"@ja .
ex:vendor a prov:Agent, prov:Organization ; rdfs:label "Vendor"@en .
ex:sub    a prov:Agent, prov:Organization ; rdfs:label "Sub"@en .
ex:work   a prov:Activity ; rdfs:label "resident-records processing"@en , "住民記録の処理"@ja .

ex:vendor prov:actedOnBehalfOf ex:city ;
    prov:qualifiedDelegation [ a prov:Delegation ; prov:agent ex:city ; prov:hadActivity ex:work ] .
ex:sub prov:actedOnBehalfOf ex:vendor ;
    prov:qualifiedDelegation [ a prov:Delegation ; prov:agent ex:vendor ; prov:hadActivity ex:work ] .
"""

# A DPV record of processing, as DPV's examples write a process.
DPV_FILE = """\
@prefix dpv:  <https://w3id.org/dpv#> .
@prefix pd:   <https://w3id.org/dpv/pd#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex:   <https://example.org/shop#> .

ex:Shop a dpv:DataController ; rdfs:label "Shop"@en .
ex:Mailer a dpv:DataProcessor ; rdfs:label "Mailer"@en .
ex:Printer a dpv:DataSubProcessor ; rdfs:label "Printer"@en .
ex:Courier a dpv:Recipient ; rdfs:label "Courier"@en .
ex:Health a dpv:SpecialCategoryPersonalData ; rdfs:label "health data"@en .
ex:Newsletter a dpv:Process ; rdfs:label "newsletter"@en ;
    dpv:hasDataController ex:Shop ;
    dpv:hasDataProcessor ex:Mailer , ex:Printer ;
    dpv:hasPersonalData pd:EmailAddress , ex:Health ;
    dpv:hasRecipient ex:Courier .
"""


@pytest.fixture()
def prov_view(tmp_path):
    path = tmp_path / "prov.ttl"
    path.write_text(PROV_FILE, encoding="utf-8")
    return chain_view(load_model([path]))


def test_prov_delegation_traces_the_activity_as_the_duty(prov_view):
    trace = trace_duty(prov_view, EX + "work")
    assert trace.accountable == EX + "city"
    (chain,) = trace.chains
    assert [(link.consignor, link.consignee, link.tier) for link in chain.links] == [
        (EX + "city", EX + "vendor", 1), (EX + "vendor", EX + "sub", 2)]
    assert trace.performers == (EX + "sub",)


def test_prov_delegations_get_stable_names_and_labels_not_blank_nodes(prov_view, tmp_path):
    keys = sorted(prov_view.consignments)
    assert all(key.startswith("urn:chainmodel:implicit:delegation:") for key in keys)
    again = tmp_path / "again.ttl"
    again.write_text(PROV_FILE.replace("ex:sub prov", "ex:sub  prov"), encoding="utf-8")  # same statements, other bytes
    assert sorted(chain_view(load_model([again])).consignments) == keys
    labels = {prov_view.model.label(k) for k in keys}
    assert labels == {"Minato City -> Vendor: resident-records processing", "Vendor -> Sub: resident-records processing"}
    assert {prov_view.model.label(k, "ja") for k in keys} >= {"港区 -> Vendor: 住民記録の処理"}
    names = [link["consignment"]["label"]["en"] for link in trace_json(prov_view, trace_duty(prov_view, EX + "work"))["chains"][0]["links"]]
    assert names == ["Minato City -> Vendor: resident-records processing", "Vendor -> Sub: resident-records processing"]


def test_prov_delegation_nodes_raise_no_shape_error(prov_view):
    findings = validate(prov_view)
    assert [f for f in findings if f.rule.endswith("#shacl-shape")] == []
    assert [f.rule.rsplit("#")[1] for f in findings] == ["reconsignment-without-approval"]


def test_dpv_record_of_processing_read_as_far_as_it_goes(tmp_path):
    path = tmp_path / "dpv.ttl"
    path.write_text(DPV_FILE, encoding="utf-8")
    view = chain_view(load_model([path]))
    S = "https://example.org/shop#"
    pairs = sorted((c.consignor, c.consignee, view.tier(c.iri)) for c in view.consignments.values())
    assert pairs == [(S + "Mailer", S + "Printer", 2), (S + "Shop", S + "Mailer", 1)]
    assert view.duties[S + "Newsletter"].accountable == S + "Shop"
    (asset,) = [a for a in view.assets.values() if a.iri.startswith("urn:chainmodel:implicit:data:")]
    assert asset.categories == (S + "Health", "https://w3id.org/dpv/pd#EmailAddress") and asset.sensitive
    assert asset.controllers == (S + "Shop",)
    (provision,) = view.handoffs.values()
    assert (provision.sender, provision.receiver, provision.carries) == (S + "Shop", S + "Courier", (asset.iri,))
    assert view.model.label(provision.iri) == "Shop -> Courier: personal data: health data, pd:EmailAddress"


@pytest.mark.parametrize("case", ["examples/case-a-laptop", "examples/case-b-optout", "examples/illustrative-usb"])
def test_prov_export_reads_back_to_the_same_analyses(tmp_path, case, example_view):
    view = example_view(case)
    path = tmp_path / "prov.ttl"
    text = prov_turtle(view)
    assert "cm:Consignment" not in text and "cm:consignor" not in text  # consignments are written as PROV-O
    path.write_text(text, encoding="utf-8")
    original, again = analyses_json(view), analyses_json(chain_view(load_model([path])))
    for key in ("trace", "leaks", "cutsets", "blast_rank", "validate"):
        assert json.dumps(again[key], sort_keys=True) == json.dumps(original[key], sort_keys=True), key
    from chainmodel.serialise import timeline_json
    from chainmodel.timeline import incidents, timeline

    def dated(v):  # every incident's window, knowledge, reports and deadlines
        return json.dumps([timeline_json(v, timeline(v, i)) for i in incidents(v)], sort_keys=True)

    assert (dated(view) == "[]") == (case == "examples/illustrative-usb")  # the founding cases have incidents
    assert dated(chain_view(load_model([path]))) == dated(view)
