"""Turn the tables of a ledger into a chain model (an rdflib Graph), all or nothing.

IRIs are stable: a row's IRI is its ``ID`` under the base IRI, or, when the ID is empty, a
slug of the row's own cells (names; for a consignment, consignor, consignee and work), never
of other rows, so editing one row of a ledger changes only that row's statements. References
name rows by ID or by name (English, Japanese or untagged, compared without regard to case
or full-width forms). A party, duty, data asset, data category, device or control named but
not listed is created from its name (``notes`` lists each).

The convenience columns of the consignments sheet (consignor above, data items, sensitive
data items, number of people, people per principal, where the data rests, controls, last
audit) add only what is missing: a ledger written by ``chainmodel export --ledger`` reads
back to the same statements.

Examples
--------
>>> import tempfile, pathlib
>>> from chainmodel.ledger.reading import read_ledger
>>> path = pathlib.Path(tempfile.mkdtemp()) / "ledger.csv"
>>> _ = path.write_text("Consignor,Consignee,Work entrusted\\nCity,Vendor,records\\nVendor,Sub,records\\n", encoding="utf-8")
>>> built = build_model(read_ledger([path]), "https://example.org/l#")
>>> sorted(str(s).split("#")[1] for s in built.graph.subjects(CM.consignor, None))
['c-city-vendor-records', 'c-vendor-sub-records']
>>> built.graph.value(URIRef("https://example.org/l#duty-records"), CM.accountable)
rdflib.term.URIRef('https://example.org/l#city')
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from ..errors import LedgerError
from ..model import STANDARD_PREFIXES
from ..namespace import CM
from .cells import (IRI_FORBIDDEN as _IRI_FORBIDDEN, SCHEME as _SCHEME, CellError, expand_id, language_of, parse_bool,
                    parse_date, parse_duration, slug, split_list)
from .clauses import ParsedClause, parse_clause, parse_country
from .columns import OTHER_SHEET, SHEETS, Column, Sheet
from .counts import ParsedCount, format_count, parse_count, parse_counts
from .reading import Ledger, Row, Table
from .terms import fold as _fold
from .terms import shipped_category, term_choice

__all__ = ["build_model", "BuiltModel", "check_base", "expand_id", "term_choice"]

_DEFAULT_CLASS = {"parties": CM.Organisation}
_CREATED_CLASS = {"parties": CM.Organisation, "duties": CM.Duty, "data": CM.DataAsset, "categories": CM.DataCategory,
                  "devices": CM.Device, "controls": CM.Control, "agreements": CM.Agreement}
_WORDS = {
    "parties": ("party", "当事者"), "consignments": ("consignment", "委託"), "duties": ("duty", "業務"),
    "agreements": ("agreement", "契約"), "clauses": ("clause", "契約条項"), "bases": ("provision basis", "提供の根拠"),
    "data": ("data asset", "データ"), "categories": ("data category", "データ項目"), "devices": ("device", "機器"),
    "accounts": ("account", "アカウント"), "attacks": ("attack", "攻撃"), "conditions": ("condition", "成立条件"),
    "copies": ("copy", "複製"), "handoffs": ("hand-off", "受け渡し"), "controls": ("control", "管理策"),
    "events": ("event", "出来事"), "incidents": ("incident", "事案"), "laws": ("legal source", "法令"),
}


@dataclass
class BuiltModel:
    """What a ledger became: the graph, which sheet each element came from, and notes."""

    graph: Graph
    base: str
    sheet_of: dict[URIRef, str] = field(default_factory=dict)
    notes: list[tuple[str, str]] = field(default_factory=list)


def check_base(base: str | None, where: str = "--base") -> str:
    """The base IRI, checked: absolute, ending in '#' or '/'; ``where`` names where it was given,
    so that the message points at what to correct.

    Raises
    ------
    LedgerError
        No base, or one that is not an absolute IRI ending in '#' or '/'.
    """
    if not base:
        raise LedgerError("--base", None, None, ("", ""), "",
                          "no base IRI: give --base https://example.org/your-ledger# (or fill 'Base IRI' on the About sheet)",
                          "基底IRIがない。--base https://example.org/your-ledger# を指定するか、「台帳について」シートの基底IRIを記入すること")
    if not _SCHEME.match(base) or _IRI_FORBIDDEN.search(base) or not base.endswith(("#", "/")):
        raise LedgerError(where, None, None, ("", ""), "",
                          f"{base!r} is not an absolute IRI ending in '#' or '/'; give one such as https://example.org/ledger#",
                          f"「{base}」は '#' か '/' で終わる絶対IRIではない。https://example.org/ledger# のように指定すること")
    return base


@dataclass
class _Entry:
    iri: URIRef
    table: Table
    row: Row


class _Builder:
    """Builds the graph from a ledger in passes; every error names its cell."""

    def __init__(self, base: str):
        self.base = base
        self.graph = Graph()
        self.sheet_of: dict[URIRef, str] = {}
        self.entries: dict[URIRef, _Entry] = {}
        self.ids: dict[str, dict[URIRef, URIRef]] = defaultdict(dict)
        self.names: dict[str, dict[str, set[URIRef]]] = defaultdict(lambda: defaultdict(set))
        self.created: dict[str, dict[URIRef, tuple[Table, Row, str]]] = defaultdict(dict)
        self.notes: list[tuple[str, str]] = []

    # -- pass 1: every row's IRI and names ------------------------------------------------------

    def row_iri(self, table: Table, row: Row) -> URIRef:
        sheet = table.sheet
        try:
            if row.text("id"):
                return expand_id(row.text("id"), self.base)
            return URIRef(self.base + sheet.prefix + _derived_slug(sheet, row))
        except CellError as error:
            raise table.error(row.number, "id", error.en, error.ja) from None

    def register(self, table: Table, row: Row) -> None:
        if table.sheet.key == "consignments":
            for key in ("consignor", "consignee"):
                if not row.text(key):
                    column = table.sheet.column(key)
                    raise table.error(row.number, key, f"a consignment needs its {column.en.lower()}; fill the cell",
                                      f"委託には{column.ja}が必要である。セルを埋めること")
        iri = self.row_iri(table, row)
        if iri in self.entries:
            other = self.entries[iri]
            raise table.error(row.number, "id",
                              f"this row gets the IRI <{iri}>, as does row {other.row.number} of sheet {other.table.title}; "
                              "give one of them another ID or name",
                              f"この行のIRI <{iri}> はシート {other.table.title} の{other.row.number}行と同じである。"
                              "どちらかに別のIDか名称を付けること")
        self.entries[iri] = _Entry(iri, table, row)
        self.sheet_of[iri] = table.sheet.key
        key = table.sheet.key
        self.ids[key][iri] = iri
        for name_key in ("name_en", "name_ja", "name"):
            if row.text(name_key):
                self.names[key][_fold(row.text(name_key))].add(iri)

    # -- references -------------------------------------------------------------------------------

    def resolve(self, text: str, column: Column, table: Table, row: Row) -> URIRef:
        """The element a reference cell names (creating it when its sheet allows)."""
        try:
            explicit = text.startswith("<") or "://" in text or text.startswith("urn:") or (
                ":" in text and text.split(":", 1)[0] in STANDARD_PREFIXES)
            if explicit:
                return expand_id(text, self.base)
            as_id = expand_id(text, self.base) if not _IRI_FORBIDDEN.search(text) else None
        except CellError as error:
            raise table.error(row.number, column.key, error.en, error.ja) from None
        for target in column.targets:
            if as_id is not None and as_id in self.ids[target]:
                return as_id
        found = {iri for target in column.targets for iri in self.names[target].get(_fold(text), ())}
        if len(found) == 1:
            return next(iter(found))
        if len(found) > 1:
            rows = ", ".join(f"{self.entries[i].table.title} row {self.entries[i].row.number}" if i in self.entries else f"<{i}>"
                             for i in sorted(found))
            rows_ja = "、".join(f"{self.entries[i].table.title} {self.entries[i].row.number}行" if i in self.entries else f"<{i}>"
                                for i in sorted(found))
            raise table.error(row.number, column.key, f"{text!r} names several rows ({rows}); write the ID instead",
                              f"「{text}」に当たる行が複数ある（{rows_ja}）。IDで書くこと")
        shipped = shipped_category(text) if "categories" in column.targets else None
        if shipped is not None:
            return shipped
        creatable = [t for t in column.targets if t in _CREATED_CLASS]
        if len(creatable) == 1 and len(column.targets) == 1:
            return self.create(creatable[0], text, table, row)
        sheets_en = ", ".join(s.en for s in SHEETS if s.key in column.targets)
        sheets_ja = "、".join(s.ja for s in SHEETS if s.key in column.targets)
        raise table.error(row.number, column.key,
                          f"no row with ID or name {text!r} in sheet {sheets_en}; add the row or correct the name",
                          f"ID または名称が「{text}」の行がシート {sheets_ja} にない。行を追加するか名称を直すこと")

    def create(self, target: str, text: str, table: Table, row: Row) -> URIRef:
        sheet = next(s for s in SHEETS if s.key == target)
        iri = URIRef(self.base + sheet.prefix + slug(text))
        if iri in self.entries and self.sheet_of.get(iri) != target:
            other = self.entries[iri]
            raise table.error(row.number, None,
                              f"{text!r} would be created as <{iri}>, the IRI of row {other.row.number} of sheet {other.table.title}; "
                              "give that row an ID or rename one of them",
                              f"「{text}」を作ると <{iri}> になり、シート {other.table.title} の{other.row.number}行と同じになる。"
                              "その行にIDを付けるか、どちらかの名称を変えること")
        if iri not in self.created[target]:
            self.created[target][iri] = (table, row, text)
            self.graph.add((iri, RDF.type, _CREATED_CLASS[target]))
            self.graph.add((iri, RDFS.label, Literal(text, lang=language_of(text))))
            self.sheet_of[iri] = target
            self.ids[target][iri] = iri
            self.names[target][_fold(text)].add(iri)
        return iri

    # -- pass 2: each row's statements ------------------------------------------------------------

    def row_triples(self, table: Table, row: Row) -> None:
        subject = self.row_iri(table, row)
        sheet = table.sheet
        if not any(c.kind in ("types", "clause") for c in sheet.columns) and sheet.classes:
            self.graph.add((subject, RDF.type, sheet.classes[0]))
        for column in sheet.input_columns:
            text = row.text(column.key)
            if not text or column.kind in ("id", "ledger"):
                continue
            try:
                self.cell(subject, column, text, table, row)
            except CellError as error:
                raise table.error(row.number, column.key, error.en, error.ja) from None

    def cell(self, subject: URIRef, column: Column, text: str, table: Table, row: Row) -> None:
        kind, graph = column.kind, self.graph
        if kind in ("label", "comment", "text"):
            graph.add((subject, column.predicate, Literal(text, lang=column.lang or None)))
        elif kind in _SCALARS:
            graph.add((subject, column.predicate, _SCALARS[kind](text)))
        elif kind == "count":
            parsed = parse_count(text)
            self.set_unit(subject, parsed.unit, table, row, column.key, stated=False)
            self.set_count(subject, parsed, table, row, column.key)
        elif kind == "counts":
            for name, parsed in parse_counts(text):
                self.add_count(subject, self.resolve(name, column, table, row), parsed, table, row, column.key)
        elif kind == "clause":
            for triple in self.clause_triples(subject, parse_clause(text), table, row, column.key):
                graph.add(triple)
        else:
            items = split_list(text)
            if kind in ("ref", "choice") and len(items) > 1:
                raise CellError(f"give one value here, not {len(items)}", f"ここには値を一つだけ書くこと（{len(items)}個ある）")
            for item in items:
                graph.add(self.item_triple(subject, column, item, table, row))

    def item_triple(self, subject: URIRef, column: Column, item: str, table: Table, row: Row) -> tuple:
        """The statement one item of a list cell makes."""
        kind = column.kind
        if kind == "types":
            return subject, RDF.type, term_choice(item, column.choices)
        if kind in ("choice", "choices"):
            return subject, column.predicate, term_choice(item, column.choices)
        if kind == "inverse":
            return self.resolve(item, column, table, row), column.predicate, subject
        if kind == "basis":
            try:
                return subject, column.predicate, term_choice(item, (CM.NoBasis,))
            except CellError:
                pass
        return subject, column.predicate, self.resolve(item, column, table, row)

    def clause_triples(self, subject: URIRef, clause: ParsedClause, table: Table, row: Row, key: str) -> list[tuple]:
        """The statements of a clause cell: its class, article, named parties, country and period."""
        triples = [(subject, RDF.type, CM[clause.kind])]
        if clause.article:
            triples.append((subject, CM.article, Literal(clause.article)))
        party_column = Column(key, "", "", "", "", "", "ref", targets=("parties",))
        triples += [(subject, CM.permittedParty, self.resolve(name, party_column, table, row)) for name in clause.parties]
        if clause.country:
            triples.append((subject, CM.country, Literal(clause.country)))
        if clause.period is not None:
            triples.append((subject, CM.period, clause.period))
        return triples

    def set_unit(self, asset: URIRef, unit: str | None, table: Table, row: Row, key: str, stated: bool = True) -> None:
        """State the asset's unit (a unit word in a count cell only when it is not the default, people)."""
        if unit is None:
            return
        known = self.graph.value(asset, CM.unit)
        if known is None and (stated or unit != "People"):
            self.graph.add((asset, CM.unit, CM[unit]))
        elif known is not None and known != CM[unit]:
            raise self.unit_conflict(known, CM[unit], table, row, key)

    def unit_conflict(self, known: URIRef, unit: URIRef, table: Table, row: Row, key: str) -> LedgerError:
        from ..model import ChainModel

        words = ChainModel(Graph())
        return table.error(row.number, key,
                           f"the count is in {words.label(str(unit), 'en')} here but the data's unit is "
                           f"{words.label(str(known), 'en')}; make them agree (counts of different units are never added)",
                           f"ここでは数の単位が「{words.label(str(unit), 'ja')}」だが、データの単位は「{words.label(str(known), 'ja')}」"
                           "である。一致させること（単位の異なる数は足し合わせない）")

    def set_count(self, asset: URIRef, parsed: ParsedCount, table: Table, row: Row, key: str) -> None:
        """State the asset's count and qualifier, unless the same is there; a different one is an error."""
        known = self.graph.value(asset, CM.subjectCount)
        qualifier = CM[parsed.qualifier] if parsed.qualifier else None
        if known is None:
            self.graph.add((asset, CM.subjectCount, Literal(parsed.number, datatype=XSD.integer)))
            if qualifier is not None:
                self.graph.add((asset, CM.countQualifier, qualifier))
        elif int(known) != parsed.number or self.graph.value(asset, CM.countQualifier) != qualifier:
            stated = (int(known), _local(self.graph.value(asset, CM.countQualifier)))
            raise table.error(row.number, key, f"the count is {_said(parsed, 'en')} here but {_said(stated, 'en')} "
                              "elsewhere; make them agree",
                              f"数がここでは{_said(parsed, 'ja')}、他では{_said(stated, 'ja')}である。一致させること")

    def add_count(self, asset: URIRef, principal: URIRef, parsed: ParsedCount, table: Table, row: Row, key: str) -> None:
        """Add a count for a principal, unless the same is there; a different one is an error."""
        self.set_unit(asset, parsed.unit, table, row, key, stated=False)
        qualifier = CM[parsed.qualifier] if parsed.qualifier else None
        for node in self.graph.objects(asset, CM.countFor):
            if self.graph.value(node, CM.principal) == principal:
                known = self.graph.value(node, CM.count)
                if known is not None and int(known) == parsed.number and self.graph.value(node, CM.countQualifier) == qualifier:
                    return
                stated = (int(known), _local(self.graph.value(node, CM.countQualifier)))
                raise table.error(row.number, key, f"the count for <{principal}> is {_said(parsed, 'en')} here but "
                                  f"{_said(stated, 'en')} elsewhere; make them agree",
                                  f"<{principal}> の数がここでは{_said(parsed, 'ja')}、他では{_said(stated, 'ja')}である。一致させること")
        node = BNode()
        self.graph.add((asset, CM.countFor, node))
        self.graph.add((node, RDF.type, CM.SubjectCount))
        self.graph.add((node, CM.principal, principal))
        self.graph.add((node, CM.count, Literal(parsed.number, datatype=XSD.integer)))
        if qualifier is not None:
            self.graph.add((node, CM.countQualifier, qualifier))


def _said(count: tuple, lang: str) -> str:
    """A (number, qualifier) pair as a count cell would say it: "about 2,500,000", "約250万"."""
    number, qualifier = count[0], count[1]
    return format_count(number, qualifier, lang) if qualifier else f"{number:,}"


def _local(term) -> str | None:
    return None if term is None else str(term)[len(str(CM)):]


_SCALARS = {"bool": lambda text: Literal(parse_bool(text)), "date": parse_date, "duration": parse_duration,
            "country": lambda text: Literal(parse_country(text))}


def _derived_slug(sheet: Sheet, row: Row) -> str:
    """The local name of a row without an ID, from its own cells only."""
    if sheet.key == "consignments":
        parts = [row.text("consignor"), row.text("consignee")] + ([row.text("duties")] if row.text("duties") else [])
        if all(parts[:2]):
            return "-".join(slug(part) for part in parts)
    if sheet.key == "copies" and not any(row.text(k) for k in ("name_en", "name_ja", "name")):
        if row.text("data") and (row.text("device") or row.text("held_by")):
            return slug(row.text("data")) + "-on-" + slug(row.text("device") or row.text("held_by"))
    for key in ("name_en", "name_ja", "name"):
        if row.text(key):
            return slug(row.text(key))
    if sheet.key == "clauses" and row.text("clause"):
        return slug(" ".join(row.text(k) for k in ("agreement", "clause")))
    if sheet.key == "bases" and row.text("provider") and row.text("recipients"):
        return slug(" ".join(row.text(k) for k in ("kind", "provider", "recipients", "data")))
    if sheet.key == "events" and row.text("date"):
        return slug(" ".join(row.text(k) for k in ("kind", "date", "concerns")))
    words = _WORDS.get(sheet.key, ("row", "行"))
    raise CellError(f"this {words[0]} has neither an ID nor a name; give one",
                    f"この{words[1]}にはIDも名称もない。どちらかを書くこと")


def _prefix_lines(base: str) -> str:
    lines = [f"@prefix {prefix}: <{iri}> ." for prefix, iri in sorted(STANDARD_PREFIXES.items())]
    return "\n".join(lines + [f"@prefix : <{base}> ."]) + "\n"


def _other_statements(builder: _Builder, table: Table) -> None:
    """Read the Other statements sheet: one Turtle statement per row, blank nodes shared by the sheet."""
    prefixes = _prefix_lines(builder.base)
    statements = []
    for row in table.rows:
        terms = [row.text(k) for k in ("subject", "predicate", "object")]
        if not all(terms):
            missing = next(k for k, t in zip(("subject", "predicate", "object"), terms) if not t)
            raise table.error(row.number, missing, "a statement needs a subject, a property and a value; fill the cell",
                              "記述には主語、述語、目的語が必要である。セルを埋めること")
        statement = " ".join(terms) + " ."
        try:
            Graph().parse(data=prefixes + statement, format="turtle")
        except Exception as error:  # rdflib reports syntax errors in several kinds
            raise table.error(row.number, "object",
                              f"not a statement in Turtle terms ({type(error).__name__}); write prefixed names, <IRIs> and \"literals\"",
                              f"Turtle の記述として読めない（{type(error).__name__}）。接頭辞付きの名前、<IRI>、\"リテラル\" で書くこと") from None
        statements.append(statement)
    for triple in Graph().parse(data=prefixes + "\n".join(statements), format="turtle"):
        builder.graph.add(triple)


def _default_types(builder: _Builder) -> None:
    """A row whose sheet has a kind column and that got no type at all gets the sheet's class."""
    for iri, entry in builder.entries.items():
        if (iri, RDF.type, None) not in builder.graph:
            sheet = entry.table.sheet
            builder.graph.add((iri, RDF.type, _DEFAULT_CLASS.get(sheet.key, sheet.classes[0])))


def build_model(ledger: Ledger, base: str | None = None) -> BuiltModel:
    """Build the chain model a ledger describes.

    Parameters
    ----------
    ledger : Ledger
        The tables read by :func:`chainmodel.ledger.reading.read_ledger`.
    base : str, optional
        The base IRI of the rows' IRIs; defaults to the one on the workbook's About sheet.

    Returns
    -------
    BuiltModel
        The graph, the sheet each element belongs to, and notes (elements created from
        their names, columns ignored).

    Raises
    ------
    LedgerError
        Any cell that cannot be read, a reference that names nothing or several rows, two
        rows with one IRI, conflicting counts; nothing is built.
    """
    from .convenience import consignment_extras, implicit_accountability

    where = "--base" if base else "About (台帳について) sheet, Base IRI (基底IRI)"
    builder = _Builder(check_base(base or ledger.base, where))
    ordered = [t for sheet in SHEETS for t in ledger.of(sheet.key)]
    for table in ordered:
        for row in table.rows:
            builder.register(table, row)
    for table in ordered:
        for row in table.rows:
            builder.row_triples(table, row)
    for table in ledger.of("consignments"):
        for row in table.rows:
            consignment_extras(builder, table, row)
    implicit_accountability(builder)
    for table in ledger.of(OTHER_SHEET.key):
        _other_statements(builder, table)
    _default_types(builder)
    notes = list(ledger.notes)
    for target, created in sorted(builder.created.items()):
        for iri, (table, row, text) in sorted(created.items()):
            word = _WORDS[target]
            notes.append((f"{table.file}, sheet {table.title}, row {row.number}: created {word[0]} {text!r} as <{iri}>",
                          f"{table.file}、シート {table.title}、{row.number}行：{word[1]}「{text}」を <{iri}> として作成した"))
    return BuiltModel(builder.graph, builder.base, builder.sheet_of, notes)
