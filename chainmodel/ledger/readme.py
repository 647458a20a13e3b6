"""The README's ledger column table, made from the one column table (a test keeps them equal).

Examples
--------
>>> column_table().splitlines()[0]
'**Parties** (当事者): Organisations, their capacities and groups of data subjects. A party named in another sheet but missing here is added as an organisation.'
"""

from __future__ import annotations

from .columns import OTHER_SHEET, SHEETS

__all__ = ["column_table"]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def column_table() -> str:
    """Markdown: per sheet, a line on the sheet, then its columns (headers and meanings in both languages, example)."""
    parts = []
    for sheet in (*SHEETS, OTHER_SHEET):
        lines = [f"**{sheet.en}** ({sheet.ja}): {sheet.meaning_en}", "",
                 "| English header | 日本語の見出し | meaning | 意味 | example |", "|---|---|---|---|---|"]
        for column in sheet.columns:
            lines.append(f"| {_cell(column.en)} | {_cell(column.ja)} | {_cell(column.meaning_en)} | "
                         f"{_cell(column.meaning_ja)} | {_cell(column.example) or ' '} |")
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"
