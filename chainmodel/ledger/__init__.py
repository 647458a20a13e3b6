"""Ledgers: the spreadsheets auditors keep of consignees (委託先管理台帳), into models and back.

``import_ledger`` reads ``.xlsx`` or ``.csv`` ledgers into a chain model; ``model_turtle``
writes it as sorted, commented Turtle; ``export_ledger`` writes a model as a ledger with
the analyses' computed columns; ``init_folder`` writes a starting model and an empty ledger.
The columns are defined once, in :mod:`chainmodel.ledger.columns`.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "委託.csv"
>>> _ = path.write_text("委託元,委託先,委託業務,本人数\\n港区,株式会社サンプル,住民記録の入力業務,1200\\n", encoding="utf-8")
>>> built = import_ledger([path], base="https://example.org/l#")
>>> print(model_turtle(built, [path]).splitlines()[0])
# chainmodel model read from the ledger 委託.csv by chainmodel import.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from .building import BuiltModel, build_model
from .reading import read_ledger
from .turtle import turtle_text

__all__ = ["import_ledger", "model_turtle", "export_ledger", "BuiltModel"]


def import_ledger(paths: Iterable[str | Path], base: str | None = None) -> BuiltModel:
    """Read ledger files and build the model they describe.

    Parameters
    ----------
    paths : iterable of str or Path
        ``.xlsx`` workbooks or ``.csv`` sheets.
    base : str, optional
        Base IRI for the rows' IRIs (default: the workbook's About sheet).

    Returns
    -------
    BuiltModel

    Raises
    ------
    LedgerError
        A file, sheet, row or cell cannot be read; the error names it and says what to do.
    """
    return build_model(read_ledger(list(paths)), base)


def model_turtle(built: BuiltModel, sources: Iterable[str | Path] = ()) -> str:
    """The built model as Turtle, with a header naming the ledger files (by file name only)."""
    names = ", ".join(Path(p).name for p in sources)
    header = (f"chainmodel model read from the ledger {names} by chainmodel import.\n"
              "Edit the ledger and import it again rather than this file: IRIs come from the ledger's IDs and names,\n"
              "so a re-import changes only the statements of the rows that changed.")
    return turtle_text(built.graph, built.base, built.sheet_of, header)


def export_ledger(view, base: str | None = None, lang: str = "en", sources: Iterable[str | Path] = ()) -> bytes:
    """The model of ``view`` as a ledger workbook (.xlsx bytes, the same for the same model).

    Parameters
    ----------
    view : ChainView
        The model's view.
    base : str, optional
        Base IRI for the IDs (default: the namespace most elements share).
    lang : str
        "en" or "ja": headers, sheet names, notes and yes/no.
    sources : iterable of str or Path
        The model files, named (by file name) on the About sheet.

    Returns
    -------
    bytes
    """
    from .writing import ledger_tables, ledger_workbook

    tables = ledger_tables(view, base, lang)
    return ledger_workbook(tables, lang, tuple(Path(p).name for p in sources))
