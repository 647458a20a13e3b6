"""A closed input vocabulary: a typo in a chainmodel term is an error, not a lost fact (issue 12)."""

from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from chainmodel.cli import cli
from inline import CM, EX, PREFIXES, RULE

TYPOS = """
ex:p a cm:Organisation ; rdfs:label "principal"@en .
ex:a a cm:Organisation ; rdfs:label "consignee"@en .
ex:c1 a cm:Consigment ; cm:consignor ex:p ; cm:consignee ex:a ; cm:endDat "2024-03-31"^^xsd:date .
"""


def test_a_misspelt_class_and_property_are_errors_with_the_closest_term(findings_of):
    found = {f.focus[0]: f for f in findings_of(TYPOS)["unknown-term"]}
    assert sorted(found) == [CM + "Consigment", CM + "endDat"]
    assert found[CM + "Consigment"].severity == "error"
    assert ("did you mean cm:Consignment (\"consignment\" <https://w3id.org/chainmodel#Consignment>)?"
            in found[CM + "Consigment"].message)
    assert found[CM + "Consigment"].focus == (CM + "Consigment", EX + "c1")
    assert "<https://w3id.org/chainmodel#endDate>" in found[CM + "endDat"].message


def test_the_text_names_the_closest_term_as_a_user_spells_it(tmp_path):
    """Regression: the text named the closest terms by their labels only ("did you mean approval
    not recorded"), which does not say what to type."""
    model = tmp_path / "m.ttl"
    model.write_text(PREFIXES + "ex:c a cm:Consignment ; cm:approval cm:NotRecorded .", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(model), "--rule", "unknown-term", "--lang", "en"])
    assert "did you mean cm:ApprovalNotRecorded, cm:Recovered, cm:NotPerformed (" in result.output


def test_an_invented_term_without_a_close_one_is_an_error_too(findings_of):
    (finding,) = findings_of('ex:x cm:flavour "vanilla" .')["unknown-term"]
    assert "The term cm:flavour is not in the chainmodel ontology" in finding.message
    assert "did you mean" not in finding.message


def test_terms_nothing_reads_are_one_note_and_strict_makes_it_an_error(findings_of):
    body = """
    ex:p a cm:Organisation , ex:Insurer ; rdfs:label "principal"@en ; ex:founded "1950" ; rdfs:comment "notes"@en .
    ex:Laptop rdfs:subClassOf cm:Device .
    ex:pc a ex:Laptop ; cm:portable true .
    """
    (note,) = findings_of(body)["unread-terms"]
    assert note.severity == "info"
    assert note.focus == (EX + "Insurer", EX + "founded")  # ex:Laptop is read as a cm:Device
    (strict,) = findings_of(body, strict=True)["unread-terms"]
    assert strict.severity == "error"


def test_the_cli_exits_1_on_a_typo_and_on_unread_terms_with_strict(tmp_path):
    path = tmp_path / "m.ttl"
    path.write_text(PREFIXES + TYPOS, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    assert "cm:Consigment" in result.output
    clean = tmp_path / "clean.ttl"
    clean.write_text(PREFIXES + 'ex:p a cm:Organisation ; ex:founded "1950" .', encoding="utf-8")
    assert CliRunner().invoke(cli, ["validate", str(clean)]).exit_code == 0
    assert CliRunner().invoke(cli, ["validate", str(clean), "--strict"]).exit_code == 1


def test_the_founding_cases_use_only_terms_that_are_read(case_a_view, case_b_view):
    from chainmodel.vocabulary import unread_term_list

    assert unread_term_list(case_a_view) == () and unread_term_list(case_b_view) == ()


def test_every_property_range_agrees_with_its_shape():
    """The ontology and the shapes say the same about every value a model may state."""
    from rdflib.collection import Collection
    from rdflib.namespace import OWL, RDF, SH

    ontology = Graph().parse("ontologies/chainmodel.ttl")
    shapes = Graph().parse("ontologies/shapes.ttl")
    model_side = [p for p in ontology.subjects(RDF.type, OWL.DatatypeProperty)] + \
        [p for p in ontology.subjects(RDF.type, OWL.ObjectProperty)]
    regime_only = {URIRef(CM + n) for n in ("forSector", "inForceFrom", "inForceUntil", "mandatoryReport", "peopleThreshold",
                                            "regulatorReport", "subjectNotice", "consigneeNotice", "triggers",
                                            "severity", "citation", "appliesTo", "effect", "tier",
                                            "underLaw", "consignsTo",
                                            "failureMode", "copyOf", "limitation", "preliminaryReportWithin",
                                            "preliminaryReportSource", "finalReportWithin", "finalReportWithinImproper",
                                            "finalReportSource")}
    checked = 0
    for prop in sorted(set(model_side) - regime_only):
        ranges = list(ontology.objects(prop, RDFS.range))
        shaped = list(shapes.subjects(SH.path, prop))
        if not ranges:
            continue
        assert shaped, f"{prop} has a range but no shape checks it"
        (rng,) = ranges
        members = list(Collection(ontology, ontology.value(rng, OWL.unionOf))) if ontology.value(rng, OWL.unionOf) else [rng]
        for shape in shaped:
            datatype, cls = shapes.value(shape, SH.datatype), shapes.value(shape, SH["class"])
            either = shapes.value(shape, SH["or"])
            allowed = shapes.value(shape, SH["in"])
            if datatype is not None:
                assert datatype in members, (prop, datatype, members)
            elif cls is not None:
                assert cls in members, (prop, cls, members)
            elif either is not None:
                options = list(Collection(shapes, either))
                datatypes = {shapes.value(o, SH.datatype) for o in options} - {None}
                if datatypes:
                    assert set(members) <= datatypes, (prop, datatypes, members)
                for option in options:
                    if shapes.value(option, SH["class"]) is not None:
                        assert shapes.value(option, SH["class"]) in members, (prop, option)
                    if shapes.value(option, SH["in"]) is not None:
                        values = list(Collection(shapes, shapes.value(option, SH["in"])))
                        assert all((v, RDF.type, members[0]) in ontology for v in values), (prop, values)
            elif allowed is not None:
                values = list(Collection(shapes, allowed))
                assert all((v, RDF.type, members[0]) in ontology for v in values), (prop, values)
            checked += 1
    assert checked >= 30


def test_a_text_where_an_element_belongs_is_a_shape_error_not_a_lost_fact(view_of):
    """Regression: cm:controller "Shop", cm:category "names", cm:concerns "the laptop" and
    cm:actor "someone" as texts conformed (exit 0) while every analysis ignored them."""
    import re

    from chainmodel.validate import validate

    body = """
    ex:shop a cm:Organisation .
    ex:records a cm:DataAsset ; cm:controller "Shop" ; cm:category "names" ; cm:subjects "customers" .
    ex:incident a cm:Incident ; cm:concerns "the laptop" ; cm:failedWith "theft" ; cm:hasEvent ex:lost .
    ex:lost a cm:ExposureBegan ; cm:date "2024-05-02"^^xsd:date ; cm:actor "someone" ; cm:concerns ex:records .
    ex:duty a cm:Duty ; cm:accountable ex:shop ; cm:legalBasis "APPI" .
    """
    found = [f for f in validate(view_of(body)) if f.rule == RULE + "shacl-shape"]
    flagged = sorted((f.focus[0], re.search(r"> (cm:\w+)", f.message).group(1)) for f in found)
    assert flagged == [(EX + "duty", "cm:legalBasis"), (EX + "incident", "cm:concerns"),
                       (EX + "incident", "cm:failedWith"), (EX + "lost", "cm:actor"),
                       (EX + "records", "cm:category"), (EX + "records", "cm:controller"),
                       (EX + "records", "cm:subjects")]
    assert all(f.severity == "error" and "not a text" in f.message for f in found)
