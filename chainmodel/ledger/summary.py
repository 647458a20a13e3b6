"""The convenience columns of an exported consignments row, filled so that reading them back adds nothing.

Each value is one the importer finds already in the model (see
:mod:`chainmodel.ledger.convenience`): the consignor above when ``cm:extends`` is stated; the
data items, unit, counts and places of the one data asset entrusted; the controls the consignee
operates on the consignment, its data or its work; the date of the latest ``cm:Audit``; the
clauses of its one agreement.
"""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import RDF

from ..namespace import CM

__all__ = ["consignment_summary"]


def _sorted(values) -> list:
    return sorted(values, key=str)


def consignment_summary(cells, consignment: URIRef) -> dict[str, str]:
    """Convenience cells of one consignment (``cells`` is the writer's renderer)."""
    graph = cells.graph
    row: dict[str, str] = {}
    parents = list(graph.objects(consignment, CM.extends))
    if len(parents) == 1 and graph.value(parents[0], CM.consignor) is not None:
        row["parent_consignor"] = cells.ident(graph.value(parents[0], CM.consignor))
    assets = _sorted(o for o in graph.objects(consignment, CM.entrustsData) if isinstance(o, URIRef))
    consignee = graph.value(consignment, CM.consignee)
    if len(assets) == 1:
        asset = assets[0]
        categories = _sorted(graph.objects(asset, CM.category))
        row["data_items"] = "; ".join(cells.category(c) for c in categories)
        sensitive = [c for c in categories if any(bool(v.toPython()) for v in graph.objects(c, CM.sensitive))]
        row["sensitive_items"] = "; ".join(cells.category(c) for c in sensitive)
        row["unit"] = cells.cell(asset, _column("data", "unit"))
        row["subjects"] = cells.count(asset)
        row["per_principal"] = cells.counts(asset)
    devices = _devices(graph, assets, consignee)
    row["locations"] = "; ".join(cells.ident(d) for d in devices)
    row["controls"] = "; ".join(cells.ident(c) for c in _controls(graph, consignment, consignee, assets, devices))
    audits = [(str(graph.value(e, CM.date)), e) for e in graph.subjects(CM.concerns, consignment)
              if (e, RDF.type, CM.Audit) in graph and graph.value(e, CM.date) is not None]
    row["last_audit"] = max(audits)[0] if audits else ""
    agreements = [a for a in graph.objects(consignment, CM.agreement) if isinstance(a, URIRef)]
    if len(agreements) == 1:
        clause = _column("clauses", "clause")
        texts = [cells.cell(c, clause) for c in _sorted(graph.objects(agreements[0], CM.clause))]
        row["clauses"] = "; ".join(text for text in texts if text)
    return row


def _column(sheet: str, key: str):
    from .columns import sheet_by_key

    return sheet_by_key(sheet).column(key)


def _devices(graph, assets: list[URIRef], consignee) -> list[URIRef]:
    """Devices of the consignee (or of no one) that hold a copy of every asset entrusted."""
    if not assets:
        return []
    holding = [{graph.value(c, CM.storedOn) for c in graph.subjects(CM.copyOf, a)} - {None} for a in assets]
    return _sorted(d for d in set.intersection(*holding) if graph.value(d, CM.heldBy) in (None, consignee))


def _controls(graph, consignment, consignee, assets, devices) -> list[URIRef]:
    copies = {c for a in assets for c in graph.subjects(CM.copyOf, a)}
    covered = {consignment, *devices, *copies, *graph.objects(consignment, CM.entrusts)}
    return _sorted(k for k in set(graph.subjects(CM.operatedBy, consignee))
                   if set(graph.objects(k, CM.covers)) & covered)
