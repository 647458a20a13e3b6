"""The chain graph for graph tools: parties as nodes, consignments as edges, as GraphML or DOT.

Nodes carry the party's labels in English and Japanese and its roles; edges carry the
consignment's IRI, labels, derived tier and approval. Both outputs are sorted, so the same
model gives the same bytes.

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.views import chain_view
>>> view = chain_view(load_model(["examples/case-b-optout"]))
>>> text = dot_text(view)
>>> '"https://example.org/chainmodel/case-b#consignee-ldi" -> "https://example.org/chainmodel/case-b#nttdata"' in text
True
>>> graph = chain_graph(view)
>>> sorted(d["tier"] for _, _, d in graph.edges(data=True))
[1, 1, 2, 2, 3]
"""

from __future__ import annotations

import io

import networkx as nx

from ..escaping import terminal_safe
from ..views import ChainView

__all__ = ["chain_graph", "graphml_bytes", "dot_text"]


def _label(view: ChainView, iri: str | None, lang: str) -> str:
    if not iri:
        return ""
    labels = view.model.labels(iri)
    return terminal_safe(labels.get(lang) or view.model.label(iri, lang))  # XML cannot hold most controls


def chain_graph(view: ChainView) -> nx.MultiDiGraph:
    """Parties and consignments as a networkx multigraph, nodes and edges in IRI order.

    Parameters
    ----------
    view : ChainView

    Returns
    -------
    networkx.MultiDiGraph
        A node for each party and for each end of a consignment, with ``label_en``,
        ``label_ja``, ``roles`` (space separated) and ``organisation``; an edge from consignor
        to consignee for each consignment that names both, keyed by its IRI, with ``iri``,
        ``label_en``, ``label_ja``, ``tier`` (0 when it cannot be derived), ``approval`` and
        ``approval_ja`` (the approval state's labels, empty when none is recorded).
    """
    graph = nx.MultiDiGraph()
    ends = {p for c in view.consignments.values() for p in (c.consignor, c.consignee) if p}
    for party in sorted(set(view.parties) | ends):
        record = view.parties.get(party)
        graph.add_node(party, label_en=_label(view, party, "en"), label_ja=_label(view, party, "ja"),
                       roles=" ".join(view.roles(party)) if record else "",
                       organisation=(record.organisation or "") if record else "")
    for iri in sorted(view.consignments):
        consignment = view.consignments[iri]
        if not (consignment.consignor and consignment.consignee):
            continue
        graph.add_edge(consignment.consignor, consignment.consignee, key=iri, iri=iri,
                       label_en=_label(view, iri, "en"), label_ja=_label(view, iri, "ja"),
                       tier=view.tier(iri) or 0,
                       approval=_label(view, consignment.approval, "en") if consignment.approval else "",
                       approval_ja=_label(view, consignment.approval, "ja") if consignment.approval else "")
    return graph


def graphml_bytes(view: ChainView) -> bytes:
    """The chain graph as GraphML (UTF-8).

    Parameters
    ----------
    view : ChainView

    Returns
    -------
    bytes
        :func:`chain_graph` written by :func:`networkx.write_graphml`, indented, its keys
        named after the attributes.

    Examples
    --------
    >>> from chainmodel.model import load_model
    >>> from chainmodel.views import chain_view
    >>> graphml_bytes(chain_view(load_model(["examples/case-b-optout"]))).startswith(b"<?xml")
    True
    """
    buffer = io.BytesIO()
    nx.write_graphml(chain_graph(view), buffer, encoding="utf-8", prettyprint=True, named_key_ids=True)
    return buffer.getvalue()


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def dot_text(view: ChainView, lang: str = "en") -> str:
    """The chain graph in Graphviz DOT: a box per party (both labels), an arrow per consignment.

    Parameters
    ----------
    view : ChainView
    lang : str, optional
        ``"en"`` (the default) or ``"ja"``: the language of the labels given first and of the
        arrows' tier and approval.

    Returns
    -------
    str
        The ``digraph``, with a box for each node of :func:`chain_graph` (its label in
        ``lang``, the other below it when it differs; its IRI as tooltip) and an arrow for each
        edge (its tier and approval; its IRI as tooltip, higher tiers weighing less).
    """
    graph = chain_graph(view)
    other = "ja" if lang == "en" else "en"
    lines = ["digraph chain {", "  rankdir=TB;", "  node [shape=box, fontname=\"Noto Sans CJK JP\"];"]
    for node, data in graph.nodes(data=True):
        text = data[f"label_{lang}"] + (f"\n{data[f'label_{other}']}" if data[f"label_{other}"] not in ("", data[f"label_{lang}"]) else "")
        lines.append(f"  {_quote(node)} [label={_quote(text)}, tooltip={_quote(node)}];")
    for source, target, key, data in graph.edges(keys=True, data=True):
        approval = data["approval_ja"] if lang == "ja" else data["approval"]
        tier = f"第{data['tier']}階層" if lang == "ja" else f"tier {data['tier']}"
        text = tier + (f"; {approval}" if approval else "")
        lines.append(f"  {_quote(source)} -> {_quote(target)} [label={_quote(text)}, tooltip={_quote(key)}, "
                     f"weight={max(1, 5 - data['tier'])}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
