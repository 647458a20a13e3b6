"""Read ledger files (.xlsx with openpyxl, .csv) into tables of cells, every cell with its place.

A workbook's sheets are matched to the ledger's sheets by name, in English or Japanese
("Consignments" or "委託"); a workbook with one sheet whose headers include the consignor and
the consignee is a flat ledger. A CSV file is one sheet, named by its file name
(``consignments.csv``, ``委託.csv``) or, failing that, by its headers. Headers may be
English, Japanese or the column keys; columns with other headers are ignored and listed in
the notes. CSV files are read as UTF-8 (with or without a byte-order mark), else as
Shift_JIS (cp932), as Japanese Excel writes them.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "ledger.csv"
>>> _ = path.write_text("委託元,委託先,委託業務\\n港区,株式会社サンプル,住民記録の入力業務\\n", encoding="utf-8")
>>> ledger = read_ledger([path])
>>> table = ledger.tables[0]
>>> table.sheet.key, table.rows[0].number, table.rows[0].cells["consignee"].text
('consignments', 2, '株式会社サンプル')
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..errors import LedgerError
from .cells import cell_text
from .columns import ABOUT_SHEET, NOTES_SHEET, OTHER_SHEET, SHEETS, Column, Sheet

__all__ = ["Cell", "Row", "Table", "Ledger", "read_ledger", "LEDGER_SUFFIXES", "column_letter"]

LEDGER_SUFFIXES = (".xlsx", ".xlsm", ".csv")
_BASE_KEYS = {"base iri", "基底iri", "base"}


def column_letter(index: int) -> str:
    """Spreadsheet letters of a 1-based column index (1 -> A, 27 -> AA)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@dataclass(frozen=True)
class Cell:
    """One non-empty cell: its text, the raw value and where it is."""

    text: str
    value: object
    letter: str


@dataclass(frozen=True)
class Row:
    """One non-empty row: its number as the spreadsheet shows it, and its cells by column key."""

    number: int
    cells: dict[str, Cell]

    def text(self, key: str) -> str:
        cell = self.cells.get(key)
        return cell.text if cell else ""


@dataclass
class Table:
    """The rows of one sheet of one file."""

    file: str
    title: str
    sheet: Sheet
    columns: dict[str, str] = field(default_factory=dict)
    """Column key -> its letter."""
    rows: list[Row] = field(default_factory=list)

    def error(self, row: int | None, key: str | None, en: str, ja: str) -> LedgerError:
        """A :class:`LedgerError` placed at a row and column of this table."""
        letter = self.columns.get(key, "") if key else ""
        header = (self.sheet.column(key).en, self.sheet.column(key).ja) if key else ("", "")
        return LedgerError(self.file, self.title, row, header, letter, en, ja)


@dataclass
class Ledger:
    """Every table read, the base IRI a workbook states, and notes for the user."""

    tables: list[Table] = field(default_factory=list)
    base: str | None = None
    notes: list[tuple[str, str]] = field(default_factory=list)

    def of(self, key: str) -> list[Table]:
        return [table for table in self.tables if table.sheet.key == key]


def _sheet_named(title: str) -> Sheet | None:
    wanted = _key(title)
    for sheet in (*SHEETS, OTHER_SHEET):
        if wanted in {_key(sheet.key), _key(sheet.en), _key(sheet.ja)}:
            return sheet
    return None


def _header_map(sheet: Sheet) -> dict[str, Column]:
    found: dict[str, Column] = {}
    for column in sheet.columns:
        for name in (column.key, column.en, column.ja, *column.aliases):
            found[_key(name)] = column
    return found


def _sheet_by_headers(headers: list[str]) -> Sheet | None:
    keys = {_key(h) for h in headers if h}
    consignments = _header_map(SHEETS[1])
    if {c.key for k, c in consignments.items() if k in keys} >= {"consignor", "consignee"}:
        return SHEETS[1]
    return None


def _table(file: str, title: str, sheet: Sheet, grid: list[tuple[int, list]], ledger: Ledger) -> Table:
    """Turn a grid of (row number, values) whose first row is the header into a table."""
    table = Table(file, title, sheet)
    if not grid:
        return table
    header_number, header = grid[0]
    known = _header_map(sheet)
    by_index: dict[int, str] = {}
    for index, value in enumerate(header, start=1):
        text = cell_text(value)
        if not text:
            continue
        column = known.get(_key(text))
        if column is None:
            ledger.notes.append((f"{file}, sheet {title}: column {column_letter(index)} ({text!r}) is not a ledger column and was ignored",
                                 f"{file}、シート {title}：{column_letter(index)}列（「{text}」）は台帳の列ではないため無視した"))
            continue
        if column.key in table.columns:
            raise LedgerError(file, title, header_number, (column.en, column.ja), column_letter(index),
                              f"the column appears twice (also column {table.columns[column.key]}); keep one",
                              f"同じ列が二度ある（{table.columns[column.key]}列にもある）。一つにすること")
        table.columns[column.key] = column_letter(index)
        if not column.computed:
            by_index[index] = column.key
    for number, values in grid[1:]:
        cells = {}
        for index, key in by_index.items():
            value = values[index - 1] if index - 1 < len(values) else None
            text = cell_text(value)
            if text:
                cells[key] = Cell(text, value, column_letter(index))
        if cells:
            table.rows.append(Row(number, cells))
    return table


def _read_about(grid: list[tuple[int, list]], ledger: Ledger) -> None:
    for _number, values in grid:
        if len(values) >= 2 and _key(cell_text(values[0])) in _BASE_KEYS and cell_text(values[1]):
            ledger.base = cell_text(values[1])


def _read_workbook(path: Path, ledger: Ledger) -> None:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        raise LedgerError(str(path), None, None, ("", ""), "",
                          f"cannot be read as an Excel workbook ({type(error).__name__}: {error}); save it as .xlsx",
                          f"Excel ブックとして読めない（{type(error).__name__}: {error}）。.xlsx 形式で保存すること") from None
    try:
        titles = workbook.sheetnames
        grids = {title: [(n, list(values)) for n, values in enumerate(workbook[title].iter_rows(values_only=True), start=1)]
                 for title in titles}
    finally:
        workbook.close()
    _read_grids(str(path), grids, ledger)


def _read_grids(file: str, grids: dict[str, list[tuple[int, list]]], ledger: Ledger) -> None:
    found = False
    for title, grid in grids.items():
        if _key(title) in {_key(name) for name in ABOUT_SHEET}:
            _read_about(grid, ledger)
            continue
        if _key(title) in {_key(name) for name in NOTES_SHEET}:
            continue
        sheet = _sheet_named(title)
        if sheet is None and len(grids) == 1 and grid:
            sheet = _sheet_by_headers([cell_text(v) for v in grid[0][1]])
        if sheet is None:
            ledger.notes.append((f"{file}: sheet {title!r} is not a ledger sheet and was ignored",
                                 f"{file}：シート「{title}」は台帳のシートではないため無視した"))
            continue
        found = True
        ledger.tables.append(_table(file, title, sheet, grid, ledger))
    if not found:
        names = ", ".join(f"{s.en} / {s.ja}" for s in SHEETS)
        raise LedgerError(file, None, None, ("", ""), "",
                          f"no ledger sheet found; name the sheets {names}, or give one sheet with Consignor and Consignee columns",
                          f"台帳のシートが見つからない。シート名を {names} のいずれかにするか、委託元と委託先の列を持つシートを一つ用意すること")


def _decode(path: Path, data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LedgerError(str(path), None, None, ("", ""), "", "is neither UTF-8 nor Shift_JIS text; save the CSV as UTF-8",
                      "UTF-8 でも Shift_JIS でもない。CSV を UTF-8 で保存すること")


def _read_csv(path: Path, ledger: Ledger) -> None:
    text = _decode(path, path.read_bytes())
    grid = [(n, row) for n, row in enumerate(csv.reader(io.StringIO(text)), start=1)]
    sheet = _sheet_named(path.stem) or (_sheet_by_headers(grid[0][1]) if grid else None)
    if sheet is None:
        raise LedgerError(str(path), None, None, ("", ""), "",
                          "cannot tell which ledger sheet this CSV file is; name it after a sheet (consignments.csv, "
                          "parties.csv, ...) or give it Consignor and Consignee columns",
                          "この CSV ファイルがどのシートか分からない。ファイル名をシート名（委託.csv、当事者.csv など）にするか、"
                          "委託元と委託先の列を含めること")
    ledger.tables.append(_table(str(path), path.stem, sheet, grid, ledger))


def read_ledger(paths: Iterable[str | Path]) -> Ledger:
    """Read ledger files into one :class:`Ledger`.

    Parameters
    ----------
    paths : iterable of str or Path
        ``.xlsx`` workbooks and ``.csv`` sheets; several files make one ledger.

    Returns
    -------
    Ledger

    Raises
    ------
    LedgerError
        A file is missing, of another kind, damaged, has no ledger sheet, or a sheet repeats
        a column. The error names the file, sheet, row and column.
    """
    ledger = Ledger()
    for given in paths:
        path = Path(given)
        if not path.is_file():
            raise LedgerError(str(path), None, None, ("", ""), "", "no such file; check the path",
                              "ファイルがない。パスを確認すること")
        suffix = path.suffix.lower()
        if suffix not in LEDGER_SUFFIXES:
            raise LedgerError(str(path), None, None, ("", ""), "",
                              f"unknown file ending {path.suffix!r}; give an .xlsx workbook or .csv sheets",
                              f"拡張子「{path.suffix}」は読めない。.xlsx のブックまたは .csv のシートを指定すること")
        if suffix == ".csv":
            _read_csv(path, ledger)
        else:
            _read_workbook(path, ledger)
    return ledger
