"""The convenience columns of a flat consignments sheet, and who a created duty or data answers to.

Each column adds only what the model lacks, so reading back an exported ledger changes
nothing:

* consignor above: ``cm:extends`` the one consignment from that party to this row's consignor;
* data items, sensitive data items, unit, count, count per principal: on the row's one data
  asset (created from the row when none is named);
* where the data rests: a device held by the consignee with a copy of each data asset;
* controls: a control by that name, or a new one operated by the consignee;
* last audit: a ``cm:Audit`` of the consignment on that date;
* contract clauses: clauses of the consignment's agreement (one is created when the row names
  none), unless the agreement already has a clause that says the same.

A duty or data asset created from its name answers to the party at the top of the chains
that entrust it (``cm:accountable``, ``cm:controller``).
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from ..namespace import CM
from .cells import CellError, expand_id, parse_date, slug, split_list
from .clauses import KINDS, parse_clause
from .columns import UNITS, Column, sheet_by_key
from .counts import parse_count, parse_counts
from .reading import Row, Table
from .terms import fold, term_choice

__all__ = ["consignment_extras", "implicit_accountability"]


def _col(table: Table, key: str) -> Column:
    return table.sheet.column(key)


def _fail(table: Table, row: Row, key: str, error: CellError):
    return table.error(row.number, key, error.en, error.ja)


def _parsed(table: Table, row: Row, key: str, parse):
    """The cell read by ``parse``; a cell it cannot read is an error placed at that cell."""
    try:
        return parse(row.text(key))
    except CellError as error:
        raise _fail(table, row, key, error) from None


def consignment_extras(builder, table: Table, row: Row) -> None:
    """Apply the convenience columns of one consignments row."""
    consignment = builder.row_iri(table, row)
    try:
        _extends(builder, table, row, consignment)
        assets = _assets(builder, table, row, consignment)
        _items(builder, table, row, assets)
        _counts(builder, table, row, assets)
        places = _locations(builder, table, row, consignment, assets)
        _controls(builder, table, row, consignment, places)
        _audit(builder, table, row, consignment)
        _clauses(builder, table, row, consignment)
    except CellError as error:  # pragma: no cover - each step places its own errors
        raise _fail(table, row, "id", error) from None


def _extends(builder, table: Table, row: Row, consignment: URIRef) -> None:
    text = row.text("parent_consignor")
    if not text:
        return
    graph = builder.graph
    above = builder.resolve(text, _col(table, "consignor"), table, row)
    consignor = graph.value(consignment, CM.consignor)
    stated = graph.value(consignment, CM.extends)
    if stated is not None:
        if graph.value(stated, CM.consignor) not in (None, above):
            raise table.error(row.number, "parent_consignor",
                              f"the consignment this row extends (<{stated}>) is not from {text!r}; correct one of the two cells",
                              f"この行の元の委託（<{stated}>）は「{text}」からの委託ではない。どちらかのセルを直すこと")
        return
    candidates = sorted(c for c in graph.subjects(CM.consignee, consignor)
                        if graph.value(c, CM.consignor) == above and c != consignment)
    if len(candidates) != 1:
        found = "none" if not candidates else ", ".join(f"<{c}>" for c in candidates)
        raise table.error(row.number, "parent_consignor",
                          f"one consignment from {text!r} to this row's consignor is needed to extend, found {found}; "
                          "give its ID in the Extends consignment column",
                          f"「{text}」からこの行の委託元への委託が一つ必要だが、{'ない' if not candidates else str(len(candidates)) + '件ある'}。"
                          "元の委託の列にそのIDを書くこと")
    graph.add((consignment, CM.extends, candidates[0]))


def _assets(builder, table: Table, row: Row, consignment: URIRef) -> list[URIRef]:
    graph = builder.graph
    assets = sorted(graph.objects(consignment, CM.entrustsData))
    wants_data = any(row.text(k) for k in ("data_items", "sensitive_items", "unit", "subjects", "per_principal", "locations"))
    if wants_data and not assets and not row.text("data"):
        consignor, consignee = row.text("consignor"), row.text("consignee")
        asset = URIRef(builder.base + "data-" + slug(f"{consignor} {consignee}"))
        graph.add((asset, RDF.type, CM.DataAsset))
        graph.add((asset, RDFS.label, Literal(f"data entrusted by {consignor} to {consignee}", lang="en")))
        graph.add((asset, RDFS.label, Literal(f"{consignor}から{consignee}への委託データ", lang="ja")))
        graph.add((consignment, CM.entrustsData, asset))
        builder.created["data"][asset] = (table, row, consignor)
        builder.sheet_of[asset] = "data"
        assets = [asset]
    return assets


def _one_asset(table: Table, row: Row, key: str, assets: list[URIRef]) -> URIRef:
    if len(assets) != 1:
        raise table.error(row.number, key,
                          f"this column describes one data asset, but the row entrusts {len(assets)}; name one in "
                          "'Data entrusted' or describe each in the Data sheet",
                          f"この列は一つのデータを記述するが、この行の委託データは{len(assets)}件ある。委託データを一つにするか、"
                          "データシートにそれぞれ記述すること")
    return assets[0]


def _items(builder, table: Table, row: Row, assets: list[URIRef]) -> None:
    graph = builder.graph
    for key, sensitive in (("data_items", False), ("sensitive_items", True)):
        if not row.text(key):
            continue
        asset = _one_asset(table, row, key, assets)
        for item in split_list(row.text(key)):
            category = builder.resolve(item, _category_column(), table, row)
            graph.add((asset, CM.category, category))
            if sensitive:
                stated = graph.value(category, CM.sensitive)
                if stated is not None and not bool(stated.toPython()):
                    raise table.error(row.number, key, f"{item!r} is marked not sensitive elsewhere; make them agree",
                                      f"「{item}」は他で要配慮個人情報ではないとされている。一致させること")
                if stated is None:
                    graph.add((category, CM.sensitive, Literal(True)))


def _category_column() -> Column:
    return sheet_by_key("data").column("categories")


def _counts(builder, table: Table, row: Row, assets: list[URIRef]) -> None:
    if row.text("unit"):
        asset = _one_asset(table, row, "unit", assets)
        unit = _parsed(table, row, "unit", lambda text: term_choice(text, UNITS))
        builder.set_unit(asset, str(unit)[len(str(CM)):], table, row, "unit")
    if row.text("subjects"):
        asset = _one_asset(table, row, "subjects", assets)
        parsed = _parsed(table, row, "subjects", parse_count)
        builder.set_unit(asset, parsed.unit, table, row, "subjects", stated=False)
        builder.set_count(asset, parsed, table, row, "subjects")
    if row.text("per_principal"):
        asset = _one_asset(table, row, "per_principal", assets)
        for name, parsed in _parsed(table, row, "per_principal", parse_counts):
            principal = builder.resolve(name, _col(table, "consignor"), table, row)
            builder.add_count(asset, principal, parsed, table, row, "per_principal")


def _locations(builder, table: Table, row: Row, consignment: URIRef, assets: list[URIRef]) -> list[URIRef]:
    graph = builder.graph
    places: list[URIRef] = []
    consignee = graph.value(consignment, CM.consignee)
    for name in split_list(row.text("locations")):
        device = builder.resolve(name, sheet_by_key("copies").column("device"), table, row) \
            if _known(builder, "devices", name) else builder.create("devices", name, table, row)
        if (device, CM.heldBy, None) not in graph and device in builder.created["devices"]:
            graph.add((device, CM.heldBy, consignee))
        for asset in assets:
            copies = [c for c in graph.subjects(CM.copyOf, asset) if (c, CM.storedOn, device) in graph]
            if not copies:
                copy = URIRef(f"{builder.base}copy-{slug(_local(builder, asset))}-on-{slug(_local(builder, device))}")
                graph.add((copy, RDF.type, CM.DataCopy))
                graph.add((copy, CM.copyOf, asset))
                graph.add((copy, CM.storedOn, device))
                builder.sheet_of[copy] = "copies"
                copies = [copy]
            places.extend(copies)
        places.append(device)
    return places


def _known(builder, target: str, name: str) -> bool:

    try:
        if expand_id(name, builder.base) in builder.ids[target]:
            return True
    except CellError:
        pass
    return bool(builder.names[target].get(fold(name)))


def _local(builder, iri: URIRef) -> str:
    text = str(iri)
    return text[len(builder.base):] if text.startswith(builder.base) else text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _controls(builder, table: Table, row: Row, consignment: URIRef, places: list[URIRef]) -> None:
    graph = builder.graph
    for name in split_list(row.text("controls")):
        if _known(builder, "controls", name):
            continue
        control = builder.create("controls", name, table, row)
        graph.add((control, CM.operatedBy, graph.value(consignment, CM.consignee)))
        covered = places or sorted(graph.objects(consignment, CM.entrusts)) or [consignment]
        for element in covered:
            graph.add((control, CM.covers, element))


def _audit(builder, table: Table, row: Row, consignment: URIRef) -> None:
    text = row.text("last_audit")
    if not text:
        return
    graph = builder.graph
    date = _parsed(table, row, "last_audit", parse_date)
    for event in graph.subjects(CM.concerns, consignment):
        if (event, RDF.type, CM.Audit) in graph and graph.value(event, CM.date) == date:
            return
    event = URIRef(f"{builder.base}e-audit-{slug(_local(builder, consignment))}-{slug(str(date))}")
    graph.add((event, RDF.type, CM.Audit))
    graph.add((event, CM.concerns, consignment))
    graph.add((event, CM.date, date))
    graph.add((event, CM.actor, graph.value(consignment, CM.consignor)))
    builder.sheet_of[event] = "events"


_CLAUSE_PROPERTIES = (CM.article, CM.permittedParty, CM.country, CM.period)


def _clause_content(graph, clause) -> set:
    """What a clause says: its clause class and the values chainmodel reads."""
    kinds = {(RDF.type, t) for t in graph.objects(clause, RDF.type) if t in {CM[k] for k in KINDS}}
    return kinds | {(p, o) for p, o in graph.predicate_objects(clause) if p in _CLAUSE_PROPERTIES}


def _agreement(builder, table: Table, row: Row, consignment: URIRef) -> URIRef:
    """The consignment's agreement; one is created (and named after the parties) when it has none."""
    graph = builder.graph
    agreement = graph.value(consignment, CM.agreement)
    if agreement is not None:
        return agreement
    agreement = URIRef(f"{builder.base}agreement-{slug(_local(builder, consignment))}")
    consignor, consignee = row.text("consignor"), row.text("consignee")
    graph.add((agreement, RDF.type, CM.Agreement))
    graph.add((agreement, RDFS.label, Literal(f"agreement between {consignor} and {consignee}", lang="en")))
    graph.add((agreement, RDFS.label, Literal(f"{consignor}と{consignee}の契約", lang="ja")))
    graph.add((consignment, CM.agreement, agreement))
    builder.created["agreements"][agreement] = (table, row, f"{consignor} / {consignee}")
    builder.sheet_of[agreement] = "agreements"
    return agreement


def _clauses(builder, table: Table, row: Row, consignment: URIRef) -> None:
    items = split_list(row.text("clauses"))
    if not items:
        return
    graph = builder.graph
    agreement = _agreement(builder, table, row, consignment)
    for item in items:
        parsed = _parsed(table, row, "clauses", lambda text: parse_clause(item))
        scratch = URIRef(f"{builder.base}clause-{slug(_local(builder, agreement))}-{slug(item)}")
        triples = builder.clause_triples(scratch, parsed, table, row, "clauses")
        wanted = {(p, o) for _, p, o in triples}
        if any(_clause_content(graph, c) == wanted for c in graph.objects(agreement, CM.clause)):
            continue
        if (scratch, None, None) in graph:
            raise table.error(row.number, "clauses",
                              f"{item!r} would be created as <{scratch}>, which already says something else; "
                              "list the clause on the Clauses sheet with an ID of its own",
                              f"「{item}」を作ると <{scratch}> になるが、その IRI は別の条項である。契約条項シートに別のIDで記載すること")
        for triple in triples:
            graph.add(triple)
        graph.add((agreement, CM.clause, scratch))
        builder.sheet_of[scratch] = "clauses"


def _parent(graph, consignment: URIRef) -> URIRef | None:
    """The consignment this one extends: stated, else (as the chain view infers it) the one into
    its consignor that shares a duty or data with it."""
    stated = graph.value(consignment, CM.extends)
    if stated is not None:
        return stated
    entrusted = set(graph.objects(consignment, CM.entrusts)) | set(graph.objects(consignment, CM.entrustsData))
    into = sorted(c for c in graph.subjects(CM.consignee, graph.value(consignment, CM.consignor)) if c != consignment)
    sharing = [c for c in into if entrusted & (set(graph.objects(c, CM.entrusts)) | set(graph.objects(c, CM.entrustsData)))]
    return (sharing or ([] if entrusted else into) or [None])[0]


def _root_consignor(graph, consignment: URIRef) -> URIRef | None:
    seen = set()
    while consignment not in seen:
        seen.add(consignment)
        parent = _parent(graph, consignment)
        if parent is None or graph.value(parent, CM.consignor) is None:
            break
        consignment = parent
    return graph.value(consignment, CM.consignor)


def implicit_accountability(builder) -> None:
    """Give each created duty its accountable party and each created data asset its controllers."""
    graph = builder.graph
    for duty, (table, row, text) in sorted(builder.created["duties"].items()):
        roots = sorted({r for c in graph.subjects(CM.entrusts, duty) if (r := _root_consignor(graph, c)) is not None})
        if len(roots) > 1:
            listed = ", ".join(f"<{r}>" for r in roots)
            raise table.error(row.number, None,
                              f"the work {text!r} is entrusted in chains starting at {listed}, but a duty has one accountable "
                              "party; name the work apart for each (e.g. 'work (principal)') or list it in the Duties sheet",
                              f"業務「{text}」は {listed} から始まる複数の連鎖で委託されているが、業務の責任者は一人である。"
                              "委託元ごとに業務名を分けるか、業務シートに記載すること")
        if roots:
            graph.add((duty, CM.accountable, roots[0]))
    for asset in sorted(builder.created["data"]):
        for root in sorted({r for c in graph.subjects(CM.entrustsData, asset) if (r := _root_consignor(graph, c)) is not None}):
            graph.add((asset, CM.controller, root))
