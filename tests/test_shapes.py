"""The fast SHACL evaluator reports exactly what pySHACL reports (differential tests)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib import namespace as ns

RDF, SH, XSD = ns.RDF, ns.SH, ns.XSD  # not imported by name: pytest would probe them

from chainmodel.generate import generate_triples
from chainmodel.loading import load_graph
from chainmodel.shacl import _parsed, shacl_findings

CM = "https://w3id.org/chainmodel#"
SHAPES = _parsed("shapes.ttl")
PATHS = sorted({o for o in SHAPES.objects(None, SH.path) if isinstance(o, URIRef)})
CLASSES = sorted({o for o in SHAPES.objects(None, SH.targetClass)} | {o for o in SHAPES.objects(None, SH["class"])})


def base_graphs():
    graphs = [load_graph([f"examples/{case}/model.ttl"]) for case in ("case-a-laptop", "case-b-optout")]
    generated = Graph().parse(data="".join(generate_triples(6, seed=3)), format="nt")
    return graphs + [generated]


BASES = base_graphs()


def same_findings(graph):
    native = shacl_findings(graph, engine="native")
    reference = shacl_findings(graph, engine="pyshacl")
    assert native == reference
    return native


def test_examples_and_a_generated_model_agree():
    for graph in BASES:
        same_findings(graph)


@st.composite
def mutated(draw):
    base = draw(st.sampled_from(range(len(BASES))))
    graph = Graph()
    for triple in BASES[base]:
        graph.add(triple)
    triples = sorted(graph, key=lambda t: tuple(map(str, t)))
    for triple in draw(st.lists(st.sampled_from(triples), max_size=6, unique=True)):
        graph.remove(triple)
    subjects = sorted({s for s in graph.subjects()}, key=str)
    objects = [
        Literal("x"), Literal("-3", datatype=XSD.integer), Literal("7", datatype=XSD.integer),
        Literal("2025-01-01", datatype=XSD.date), Literal("2025", datatype=XSD.gYear), Literal("true", datatype=XSD.boolean),
        Literal("abc", datatype=XSD.integer), Literal("P1M", datatype=XSD.duration), Literal("ja", lang="ja"),
        URIRef(CM + "Approved"), URIRef(CM + "NoBasis"), URIRef(CM + "LocalGovernment"), URIRef(CM + "People"),
        URIRef(CM + "About"), Literal("2025-03", datatype=XSD.gYearMonth), Literal("JP"),
        URIRef("urn:x:undeclared"), BNode("fresh"),
    ]
    for _ in range(draw(st.integers(0, 6))):
        subject = draw(st.sampled_from(subjects))
        if draw(st.booleans()):
            graph.add((subject, RDF.type, draw(st.sampled_from(CLASSES))))
        else:
            value = draw(st.sampled_from(objects + subjects[:20]))
            graph.add((subject, draw(st.sampled_from(PATHS)), value))
    return graph


@settings(max_examples=int(__import__("os").environ.get("SHAPES_EXAMPLES", "150")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_models_agree(graph):
    same_findings(graph)


def test_reusing_the_views_scans_changes_nothing():
    from chainmodel.model import ChainModel
    from chainmodel.views import chain_view

    for graph in BASES:
        view = chain_view(ChainModel(graph=graph))
        assert shacl_findings(graph, view=view) == shacl_findings(graph)


def test_individuals_of_the_ontology_have_their_classes_for_sh_class():
    """cm:LocalGovernment is a cm:Sector and cm:NoBasis a cm:Basis only in the ontology: both engines agree they fit."""
    graph = Graph().parse(format="turtle", data="""
        @prefix cm: <https://w3id.org/chainmodel#> .
        <urn:x:city> a cm:Organisation ; cm:sector cm:LocalGovernment .
        <urn:x:sale> a cm:DataProvision ; cm:sender <urn:x:city> ; cm:receiver <urn:x:city> ;
            cm:carries <urn:x:data> ; cm:basis cm:NoBasis .
        <urn:x:data> a cm:DataAsset ; cm:unit cm:Households .
    """)
    assert same_findings(graph) == []
