"""Write a model as a ledger: the same columns the importer reads, plus computed ones.

Every statement of the model lands in one cell (or, if no column carries it, on the Other
statements sheet), so importing the ledger gives back the same model. The computed columns
(tier, single points of failure at the consignee, exposure per principal, findings per row,
roles) come from the analyses and are ignored on import. The workbook is deterministic: the
same model gives the same bytes (fixed document dates, fixed zip entry times).

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.views import chain_view
>>> tables = ledger_tables(chain_view(load_model(["examples/case-a-laptop"])))
>>> tables.base
'https://example.org/chainmodel/case-a#'
>>> row = tables.rows["consignments"][0]
>>> row["consignor"], row["consignee"], row["tier"]
('resonac', 'foundation', '1')
>>> tables.other  # every statement of case A has its column
[]
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from ..escaping import terminal_safe
from ..model import STANDARD_PREFIXES, ChainModel
from ..namespace import CM
from ..views import ChainView
from .building import check_base
from .cells import format_bool
from .clauses import KINDS, ParsedClause, format_clause, parse_clause
from .columns import ABOUT_SHEET, NOTES_SHEET, OTHER_SHEET, SHEETS, Column, Sheet
from .counts import QUALIFIERS, format_count
from .terms import fold, shipped_category

__all__ = ["LedgerTables", "ledger_tables", "ledger_workbook", "guess_base", "sheet_keys"]

_DATES = {str(XSD.date), str(XSD.gYearMonth), str(XSD.gYear), str(XSD.dateTime)}
_FIXED_TIME = "2000-01-01T00:00:00Z"
_QUALIFIERS = {CM[name]: name for name in QUALIFIERS}
_CLAUSE_KINDS = {CM[name]: name for name in KINDS}
_NUMERIC_KEYS = {"subjects"}


@dataclass
class LedgerTables:
    """A model as ledger rows: sheet key -> rows (column key -> cell text), and the leftover statements."""

    base: str
    rows: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    other: list[tuple[str, str, str]] = field(default_factory=list)


def guess_base(view: ChainView) -> str:
    """The namespace most of the model's elements share (up to and including the last '#' or '/')."""
    spaces = Counter()
    for subject in view.model.graph.subjects():
        if isinstance(subject, URIRef):
            text = str(subject)
            cut = max(text.rfind("#"), text.rfind("/"))
            if cut > 0 and not text.startswith(tuple(STANDARD_PREFIXES.values())):
                spaces[text[:cut + 1]] += 1
    return sorted(spaces.items(), key=lambda item: (-item[1], item[0]))[0][0] if spaces else "https://example.org/ledger#"


class _Cells:
    """Renders one model's statements as cells, remembering which statements it used."""

    def __init__(self, view: ChainView, base: str, lang: str):
        self.view, self.graph, self.base, self.lang = view, view.model.graph, base, lang
        self.used: set[tuple] = set()
        self.labels = ChainModel(self.graph)
        self.category_names = {fold(str(label)) for category in self.graph.subjects(RDF.type, CM.DataCategory)
                               for label in self.graph.objects(category, RDFS.label)}

    def ident(self, node) -> str:
        text = str(node)
        local = text[len(self.base):] if text.startswith(self.base) else ""
        if local and re.fullmatch(r"[^\s<>\"{}|\\^`:;]+", local):
            return local
        name = self.view.model.qname(text, standard=True)
        return name if name != text else f"<{text}>"

    def values(self, subject, predicate) -> list:
        return sorted(self.graph.objects(subject, predicate), key=lambda o: (type(o).__name__, str(o)))

    def take(self, subject, predicate, value) -> None:
        self.used.add((subject, predicate, value))

    def term_label(self, term) -> str:
        return self.labels.label(str(term), self.lang)

    def category(self, node) -> str:
        """A data category: a shipped one by its label (when no category of the model has that name), else its ID."""
        label = self.term_label(node)
        if shipped_category(label) == node and fold(label) not in self.category_names:
            return label
        return self.ident(node)

    def cell(self, subject, column: Column) -> str:
        kind = column.kind
        if kind in ("label", "comment", "text"):
            return self.literal(subject, column)
        if kind == "types":
            found = [t for t in self.values(subject, RDF.type) if t in column.choices]
            return self.join(subject, RDF.type, found, self.term_label)
        if kind in ("ref", "refs", "choice", "choices"):
            found = [o for o in self.values(subject, column.predicate) if isinstance(o, URIRef)
                     and (kind in ("ref", "refs") or o in column.choices)]
            if kind in ("ref", "choice"):
                found = found[:1]
            render = self.term_label if kind in ("choice", "choices") else \
                self.category if "categories" in column.targets else self.ident
            return self.join(subject, column.predicate, found, render)
        if kind in ("bool", "date", "duration"):
            return self.typed(subject, column)
        return self.special(subject, column)

    def special(self, subject, column: Column) -> str:
        """Cells of the kinds that are more than one value of one property."""
        kind = column.kind
        if kind == "count":
            return self.count(subject)
        if kind == "counts":
            return self.counts(subject)
        if kind == "country":
            return self.country(subject, column.predicate)
        if kind == "basis":
            found = [o for o in self.values(subject, column.predicate) if isinstance(o, URIRef)]
            return self.join(subject, column.predicate, found,
                             lambda node: self.term_label(node) if node == CM.NoBasis else self.ident(node))
        if kind == "inverse":
            found = sorted((s for s in self.graph.subjects(column.predicate, subject) if isinstance(s, URIRef)), key=str)
            for owner in found:
                self.take(owner, column.predicate, subject)
            return "; ".join(self.ident(owner) for owner in found)
        if kind == "clause":
            return self.clause(subject)
        return ""

    def qualifier(self, node) -> str | None:
        """The one count qualifier stated on ``node`` (taken), or None."""
        found = [q for q in self.values(node, CM.countQualifier) if q in _QUALIFIERS]
        if len(found) != 1:
            return None
        self.take(node, CM.countQualifier, found[0])
        return _QUALIFIERS[found[0]]

    def count(self, subject) -> str:
        """The asset's count with its qualifier ("about 2,500,000", "約250万")."""
        for value in self.values(subject, CM.subjectCount):
            if _whole(value):
                self.take(subject, CM.subjectCount, value)
                return format_count(int(value), self.qualifier(subject), self.lang)
        return ""

    def country(self, subject, predicate) -> str:
        for value in self.values(subject, predicate):
            if isinstance(value, Literal) and value.datatype is None and not value.language and \
                    re.fullmatch(r"[A-Z]{2}", str(value)):
                self.take(subject, predicate, value)
                return str(value)
        return ""

    def clause(self, subject) -> str:
        """What a clause says, in words that read back to the same statements (what cannot goes elsewhere)."""
        kinds = [t for t in self.values(subject, RDF.type) if t in _CLAUSE_KINDS]
        if len(kinds) != 1:
            return ""
        kind = _CLAUSE_KINDS[kinds[0]]
        articles = [a for a in self.values(subject, CM.article) if isinstance(a, Literal) and a.datatype is None
                    and not a.language]
        parties = [p for p in self.values(subject, CM.permittedParty) if isinstance(p, URIRef)]
        countries = [c for c in self.values(subject, CM.country) if isinstance(c, Literal) and c.datatype is None
                     and not c.language and re.fullmatch(r"[A-Z]{2}", str(c))]
        periods = [d for d in self.values(subject, CM.period) if isinstance(d, Literal) and d.datatype == XSD.duration]
        full = ParsedClause(kind, str(articles[0]) if articles else None,
                            tuple(self.ident(p) for p in parties) if kind == "ReconsignmentOnlyTo" else (),
                            str(countries[0]) if countries and "Country" in kind else None,
                            periods[0] if periods and kind == "DeletionWithinPeriod" else None)
        for clause in (full, full._replace(article=None), ParsedClause(kind, full.article), ParsedClause(kind)):
            text = format_clause(clause, self.lang)
            if _reads_back(text, clause):
                break
        self.take(subject, RDF.type, kinds[0])
        if clause.article:
            self.take(subject, CM.article, articles[0])
        if clause.parties:
            self.used |= {(subject, CM.permittedParty, p) for p in parties}
        if clause.country:
            self.take(subject, CM.country, countries[0])
        if clause.period is not None:
            self.take(subject, CM.period, periods[0])
        return text

    def join(self, subject, predicate, values: list, render) -> str:
        for value in values:
            self.take(subject, predicate, value)
        return "; ".join(render(v) for v in values)

    def literal(self, subject, column: Column) -> str:
        for value in self.values(subject, column.predicate):
            if isinstance(value, Literal) and (value.language or "") == column.lang and (
                    column.lang or value.datatype in (None, XSD.string)):
                self.take(subject, column.predicate, value)
                return str(value)
        return ""

    def typed(self, subject, column: Column) -> str:
        wanted = {"bool": {str(XSD.boolean)}, "date": _DATES, "duration": {str(XSD.duration)}}[column.kind]
        for value in self.values(subject, column.predicate):
            if isinstance(value, Literal) and str(value.datatype) in wanted:
                self.take(subject, column.predicate, value)
                if column.kind == "bool":
                    return format_bool(bool(value.toPython()), self.lang)
                return str(value)
        return ""

    def counts(self, subject) -> str:
        """Counts per principal ("city = 40000; other = about 900"): nodes of exactly that shape."""
        pairs = []
        for node in self.values(subject, CM.countFor):
            if not isinstance(node, BNode):
                continue
            statements = set(self.graph.triples((node, None, None)))
            principal, count = self.graph.value(node, CM.principal), self.graph.value(node, CM.count)
            expected = {(node, CM.principal, principal), (node, CM.count, count), (node, RDF.type, CM.SubjectCount)}
            qualifiers = {t for t in statements if t[1] == CM.countQualifier}
            if principal is None or not isinstance(principal, URIRef) or statements - qualifiers != expected or \
                    not _whole(count) or (qualifiers and len(qualifiers) != 1 or any(q[2] not in _QUALIFIERS for q in qualifiers)):
                continue
            self.used |= statements | {(subject, CM.countFor, node)}
            qualifier = _QUALIFIERS[next(iter(qualifiers))[2]] if qualifiers else None
            pairs.append(f"{self.ident(principal)} = {format_count(int(count), qualifier, self.lang)}")
        return "; ".join(pairs)


def _whole(value) -> bool:
    """An xsd:integer literal of 0 or more written in its canonical form (so that it reads back the same)."""
    return isinstance(value, Literal) and value.datatype == XSD.integer and re.fullmatch(r"0|[1-9]\d*", str(value)) is not None


def _reads_back(text: str, clause: ParsedClause) -> bool:
    try:
        return parse_clause(text) == clause
    except Exception:  # a clause the words cannot carry is written more plainly
        return False


def _sheet_of(view: ChainView, subject: URIRef) -> Sheet | None:
    classes = view.types.get(str(subject), frozenset())
    for sheet in SHEETS:
        if any(str(cls) in classes for cls in sheet.classes):
            return sheet
    return None


def sheet_keys(view: ChainView, graph) -> dict:
    """Subject -> the key of the ledger sheet it belongs to (for sectioned Turtle)."""
    found = {}
    for subject in set(graph.subjects()):
        if isinstance(subject, URIRef):
            sheet = _sheet_of(view, subject)
            found[subject] = sheet.key if sheet else None
    return found


def ledger_tables(view: ChainView, base: str | None = None, lang: str = "en", computed: bool = True) -> LedgerTables:
    """The model as ledger rows.

    Parameters
    ----------
    view : ChainView
        The model's view.
    base : str, optional
        The base IRI IDs are written under (default: :func:`guess_base`).
    lang : str
        Language of yes/no and of the terms written by label ("en" or "ja").
    computed : bool
        Fill the computed columns from the analyses (default True).

    Returns
    -------
    LedgerTables
    """
    from .computing import Computed
    from .summary import consignment_summary

    base = check_base(base) if base else guess_base(view)  # a ledger never holds a base it could not read back
    cells = _Cells(view, base, lang)
    tables = LedgerTables(base, {sheet.key: [] for sheet in SHEETS})
    extra = Computed(view, cells, lang) if computed else None
    subjects = sorted({s for s in view.model.graph.subjects() if isinstance(s, URIRef)}, key=str)
    for subject in subjects:
        sheet = _sheet_of(view, subject)
        if sheet is None:
            continue
        row = {"id": cells.ident(subject)}
        if not any(column.kind == "types" for column in sheet.columns):
            cells.take(subject, RDF.type, sheet.classes[0])
        for column in sheet.columns:
            if column.kind not in ("id", "ledger", "computed"):
                row[column.key] = cells.cell(subject, column)
        if sheet.key == "consignments":
            row.update(consignment_summary(cells, subject))
        if extra is not None:
            row.update(extra.row(sheet, subject))
        tables.rows[sheet.key].append(row)
    tables.other = _leftover(cells)
    return tables


def _leftover(cells: _Cells) -> list[tuple[str, str, str]]:
    def render(node) -> str:
        if isinstance(node, URIRef):
            local = str(node)[len(cells.base):] if str(node).startswith(cells.base) else ""
            if local and re.fullmatch(r"[A-Za-z0-9_][\w-]*", local):
                return ":" + local
            name = cells.view.model.qname(str(node), standard=True)
            return name if name != str(node) else f"<{node}>"
        if isinstance(node, BNode):
            return f"_:{node}"
        return node.n3()

    left = [t for t in cells.graph if t not in cells.used]
    return sorted((render(s), render(p), render(o)) for s, p, o in left)


def ledger_workbook(tables: LedgerTables, lang: str = "en", sources: tuple[str, ...] = ()) -> bytes:
    """The ledger as .xlsx bytes, the same bytes for the same tables."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    _about(book.create_sheet(ABOUT_SHEET[1] if lang == "ja" else ABOUT_SHEET[0]), tables, lang, sources)
    for sheet in SHEETS:
        _sheet(book.create_sheet(sheet.name(lang)), sheet, tables.rows.get(sheet.key, []), lang)
    other_rows = [dict(zip(("subject", "predicate", "object"), statement)) for statement in tables.other]
    _sheet(book.create_sheet(OTHER_SHEET.name(lang)), OTHER_SHEET, other_rows, lang)
    _notes(book.create_sheet(NOTES_SHEET[1] if lang == "ja" else NOTES_SHEET[0]), lang)
    book.properties.creator = "chainmodel"
    book.properties.title = "委託先管理台帳" if lang == "ja" else "Consignee ledger"
    buffer = io.BytesIO()
    book.save(buffer)
    return _stable_zip(buffer.getvalue())


def _cell_value(column: Column, text: str):
    """What goes in the cell: a count as a number (so that a spreadsheet sorts it), other text as
    it is, but for control, separator and bidirectional characters, written as ``\\uXXXX`` (a
    spreadsheet cannot hold most of them, and the others would make a cell read out of order)."""
    if column.key in _NUMERIC_KEYS and text.isdigit() and text.isascii():
        return int(text)
    return terminal_safe(text) or None


def _style_header(worksheet, columns: list[Column]) -> None:
    from openpyxl.styles import Font, PatternFill

    grey = PatternFill("solid", fgColor="DDDDDD")
    for index, column in enumerate(columns, start=1):
        cell = worksheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        if column.computed:
            cell.fill = grey
    worksheet.freeze_panes = "A2"


def _sheet(worksheet, sheet: Sheet, rows: list[dict[str, str]], lang: str) -> None:
    from openpyxl.utils import get_column_letter

    columns = list(sheet.columns)
    worksheet.append([column.header(lang) for column in columns])
    for row in rows:
        worksheet.append([_cell_value(column, row.get(column.key, "")) for column in columns])
    _style_header(worksheet, columns)
    worksheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(rows) + 1)}"
    for index, column in enumerate(columns, start=1):
        longest = max([len(column.header(lang))] + [len(str(row.get(column.key, "") or "")) for row in rows])
        worksheet.column_dimensions[get_column_letter(index)].width = min(60, max(10, longest + 2))


def _about(worksheet, tables: LedgerTables, lang: str, sources: tuple[str, ...]) -> None:
    ja = lang == "ja"
    worksheet.append(["基底IRI" if ja else "Base IRI", tables.base])
    worksheet.append(["作成" if ja else "Written by", "chainmodel export --ledger"])
    worksheet.append(["モデル" if ja else "Model", terminal_safe(", ".join(sources))])
    worksheet.append(["読み方" if ja else "How to read it",
                      "一行が一つの要素、委託シートの一行が一つの委託。灰色の見出しの列は計算値で、取込み時は無視される。"
                      "各列の意味は「列の説明」シートにある。" if ja else
                      "One row per element; one row of the Consignments sheet per consignment. Columns with grey headers "
                      "are computed and ignored on import. The Notes sheet explains every column."])
    worksheet.column_dimensions["A"].width = 16
    worksheet.column_dimensions["B"].width = 100


def _notes(worksheet, lang: str) -> None:
    ja = lang == "ja"
    worksheet.append(["シート", "列（英語）", "列（日本語）", "意味", "例", "計算値"] if ja else
                     ["Sheet", "Header (English)", "Header (Japanese)", "Meaning", "Example", "Computed"])
    for sheet in (*SHEETS, OTHER_SHEET):
        worksheet.append([sheet.name(lang), "", "", sheet.meaning_ja if ja else sheet.meaning_en, "", ""])
        for column in sheet.columns:
            worksheet.append([sheet.name(lang), column.en, column.ja, column.meaning_ja if ja else column.meaning_en,
                              column.example or None, format_bool(column.computed, lang)])
    for letter, width in zip("ABCDEF", (16, 28, 28, 90, 30, 8)):
        worksheet.column_dimensions[letter].width = width
    _style_header(worksheet, [])


def _stable_zip(data: bytes) -> bytes:
    """The same workbook with fixed document dates and zip entry times."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)", rb"\g<1>" + _FIXED_TIME.encode() + rb"\g<2>",
                                 content)
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, content)
    return out.getvalue()
