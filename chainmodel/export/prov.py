"""The model in PROV-O and DPV, with the chainmodel terms those vocabularies lack.

Each consignment becomes a qualified delegation written the standard way: the consignee
``prov:qualifiedDelegation`` the consignment node, which is a ``prov:Delegation`` with
``prov:agent`` the consignor and ``prov:hadActivity`` each duty entrusted (a ``prov:Activity``),
plus the unqualified ``prov:actedOnBehalfOf``. Parties get the DPV role of each role the chain
gives them (``dpv:DataController``, ``dpv:DataProcessor``, ``dpv:DataSubProcessor``,
``dpv:Recipient``, ``dpv:DataProtectionAuthority``, ``dpv:DataSubject``), data assets are
``dpv:PersonalData`` with ``dpv:hasDataController``. What PROV-O and DPV cannot say (extends,
approval, hand-offs, controls, failure modes) stays in chainmodel terms on the same nodes, so
chainmodel reads the file back to the same analyses.

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.views import chain_view
>>> text = prov_turtle(chain_view(load_model(["examples/case-a-laptop"])))
>>> "    prov:actedOnBehalfOf :resonac ;" in text, ":c-resonac-foundation a prov:Delegation ;" in text
(True, True)
>>> "    prov:hadActivity :duty-checkup-administration , :duty-safe-management ." in text
True
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from ..namespace import CM
from ..standards import DPV, PROV
from ..views import ChainView

__all__ = ["prov_graph", "prov_turtle"]

_ROLE_CLASSES = {"principal": "DataController", "consignee": "DataProcessor", "re-consignee": "DataSubProcessor",
                 "recipient": "Recipient", "regulator": "DataProtectionAuthority", "data-subjects": "DataSubject"}


def _p(name: str) -> URIRef:
    return URIRef(PROV + name)


def _d(name: str) -> URIRef:
    return URIRef(DPV + name)


def prov_graph(view: ChainView) -> Graph:
    """A copy of the model with its consignments as PROV-O delegations and DPV roles added.

    Parameters
    ----------
    view : ChainView

    Returns
    -------
    rdflib.Graph
        A new graph: the model's triples, each explicit consignment (``cm:Consignment`` with a
        consignor) rewritten as a ``prov:Delegation`` with ``prov:agent``,
        ``prov:qualifiedDelegation``, ``prov:actedOnBehalfOf`` and ``prov:hadActivity``; the
        DPV role classes of the parties' roles and ``dpv:PersonalData`` with
        ``dpv:hasDataController`` for the assets. Elements chainmodel made up
        (``urn:chainmodel:``) get none. The view's own graph is left as it was.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> view = chain_view(load_model(["examples/case-b-optout"]))
    >>> len(prov_graph(view)) > len(view.model.graph)
    True
    """
    source = view.model.graph
    graph = Graph()
    for triple in source:
        graph.add(triple)
    for consignment in view.consignments.values():
        node = URIRef(consignment.iri)
        if consignment.implicit or (node, RDF.type, CM.Consignment) not in source or not consignment.consignor:
            continue
        consignor, consignee = URIRef(consignment.consignor), URIRef(consignment.consignee)
        graph.remove((node, RDF.type, CM.Consignment))
        graph.remove((node, CM.consignor, None))
        graph.remove((node, CM.consignee, None))
        graph.add((node, RDF.type, _p("Delegation")))
        graph.add((node, _p("agent"), consignor))
        graph.add((consignee, _p("qualifiedDelegation"), node))
        graph.add((consignee, _p("actedOnBehalfOf"), consignor))
        for duty in sorted(source.objects(node, CM.entrusts)):
            graph.remove((node, CM.entrusts, duty))
            graph.add((node, _p("hadActivity"), duty))
            graph.add((duty, RDF.type, _p("Activity")))
    for party in view.parties:
        roles = set(view.roles(party))
        for role in roles:
            if role == "re-consignee" and "consignee" not in roles:
                continue  # dpv:DataSubProcessor is read as a consignee too: it would add a role
            if role in _ROLE_CLASSES and not party.startswith("urn:chainmodel:"):
                graph.add((URIRef(party), RDF.type, _d(_ROLE_CLASSES[role])))
    for asset in view.assets.values():
        if asset.iri.startswith("urn:chainmodel:"):
            continue
        graph.add((URIRef(asset.iri), RDF.type, _d("PersonalData")))
        for controller in asset.controllers:
            graph.add((URIRef(asset.iri), _d("hasDataController"), URIRef(controller)))
    return graph


def prov_turtle(view: ChainView, sources: tuple[str, ...] = ()) -> str:
    """:func:`prov_graph` as sorted Turtle.

    Parameters
    ----------
    view : ChainView
    sources : tuple of str, optional
        The names of the files the model was read from, named in the header comment.

    Returns
    -------
    str
        The Turtle text: a header comment, then the subjects in sections by ledger sheet,
        sorted, with the model's base as the empty prefix and the ``prov:`` and ``dpv:``
        prefixes.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> prov_turtle(chain_view(load_model(["examples/case-b-optout"])), ("model.ttl",)).splitlines()[0]
    '# chainmodel model in PROV-O and DPV, written by chainmodel export --to prov from model.ttl.'
    """
    from ..ledger.turtle import turtle_text
    from ..ledger.writing import guess_base, sheet_keys

    graph = prov_graph(view)
    header = ("chainmodel model in PROV-O and DPV, written by chainmodel export --to prov"
              + (f" from {', '.join(sources)}" if sources else "") + ".\n"
              "Consignments are prov:Delegation nodes (prov:agent the consignor, prov:hadActivity the duties);\n"
              "what PROV-O and DPV cannot say is in chainmodel terms (https://w3id.org/chainmodel#).")
    return turtle_text(graph, guess_base(view), sheet_keys(view, graph), header, extra_prefixes={"prov": PROV, "dpv": DPV})
