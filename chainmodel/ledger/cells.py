"""What a ledger cell says: lists, yes/no, dates, durations, counts and the slugs of names.

Every reader raises :class:`CellError` with an English and a Japanese message; the reader of
the sheet adds the file, sheet, row and column.

Examples
--------
>>> split_list("氏名; 住所；生年月日")
['氏名', '住所', '生年月日']
>>> slug("NTT DATA Corporation"), slug("株式会社ＮＴＴデータ")
('ntt-data-corporation', '株式会社nttデータ')
>>> parse_date("2025/3/5"), parse_date("2025-08").datatype.endswith("gYearMonth")
(rdflib.term.Literal('2025-03-05', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#date')), True)
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from ..model import STANDARD_PREFIXES

__all__ = ["CellError", "expand_id", "IRI_FORBIDDEN", "SCHEME", "split_list", "slug", "parse_bool", "parse_date", "parse_duration", "cell_text", "language_of",
           "format_bool"]

_SEPARATORS = re.compile(r"[;；\n]")
_DURATION = re.compile(r"^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_MONTH = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_YEAR = re.compile(r"^\d{4}$")
_JAPANESE_DATE = re.compile(r"^(?:(\d{4})|(令和|平成|昭和)(\d{1,2}|元))年(?:(\d{1,2})月(?:(\d{1,2})日)?)?$")
_ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925}
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$")
_YES = {"yes", "y", "true", "1", "はい", "有", "あり", "○", "〇"}
_NO = {"no", "n", "false", "0", "いいえ", "無", "なし", "×"}


class CellError(ValueError):
    """A cell that cannot be read, with what to do, in English and Japanese."""

    def __init__(self, en: str, ja: str):
        super().__init__(en)
        self.en = en
        self.ja = ja


def cell_text(value) -> str:
    """A cell's value as trimmed text (numbers without a trailing .0, dates as ISO)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return unicodedata.normalize("NFC", str(value)).strip()


def split_list(text: str) -> list[str]:
    """Split a cell holding several values at ';', '；' or line breaks (never at ',' or '、')."""
    return [part.strip() for part in _SEPARATORS.split(text) if part.strip()]


def slug(text: str) -> str:
    """A stable, readable local name for a name: NFKC, lower case, runs of other signs as '-'.

    Letters of any script are kept, so Japanese names give Japanese local names (valid in
    an IRI and in Turtle).
    """
    normal = unicodedata.normalize("NFKC", text).casefold()
    parts = re.split(r"[^\w]+|_", normal)
    return "-".join(part for part in parts if part) or "x"


def language_of(text: str) -> str:
    """'ja' when the text has kana or kanji, else 'en' (how a bare name in a cell is labelled)."""
    for char in text:
        name = unicodedata.name(char, "")
        if name.startswith(("CJK UNIFIED", "HIRAGANA", "KATAKANA", "CJK COMPATIBILITY")):
            return "ja"
    return "en"


def parse_bool(text: str) -> bool:
    """yes/no in English or Japanese (はい/いいえ, 有/無, ○/×), true/false, 1/0."""
    folded = text.strip().casefold()
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    raise CellError(f"{text!r} is not yes or no; write yes or no",
                    f"「{text}」は「はい」でも「いいえ」でもない。「はい」または「いいえ」と書くこと")


def format_bool(value: bool, lang: str) -> str:
    """The yes/no a writer puts in a cell."""
    if lang == "ja":
        return "はい" if value else "いいえ"
    return "yes" if value else "no"


def _western(text: str) -> str:
    """2024年5月1日, 令和6年5月, 平成30年 as 2024-05-01, 2024-05, 2018 (other text unchanged)."""
    match = _JAPANESE_DATE.match(text.replace(" ", ""))
    if not match:
        return text
    western, era, era_year, month, day = match.groups()
    year = int(western) if western else _ERAS[era] + (1 if era_year == "元" else int(era_year))
    return "-".join([f"{year:04d}"] + ([month] if month else []) + ([day] if day else []))


def parse_date(text: str) -> Literal:
    """A date, month or year, with the precision written.

    2025-03-15 (or 2025/3/15, 2025年3月15日) is an xsd:date; 2025-03 (2025年3月, 令和7年3月) an
    xsd:gYearMonth; 2025 (2025年) an xsd:gYear; 2025-03-15T09:00:00+09:00 an xsd:dateTime.

    >>> parse_date("令和6年5月"), parse_date("2024年")
    (rdflib.term.Literal('2024-05', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#gYearMonth')), rdflib.term.Literal('2024', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#gYear')))
    """
    normal = _western(unicodedata.normalize("NFKC", text).strip())
    match = _DATE.match(normal)
    try:
        if match:
            day = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            return Literal(day.isoformat(), datatype=XSD.date)
        match = _MONTH.match(normal)
        if match and 1 <= int(match.group(2)) <= 12:
            return Literal(f"{match.group(1)}-{int(match.group(2)):02d}", datatype=XSD.gYearMonth)
        if _YEAR.match(normal):
            return Literal(normal, datatype=XSD.gYear)
        if _DATETIME.match(normal):
            dt.datetime.fromisoformat(normal.replace("Z", "+00:00"))
            return Literal(normal, datatype=XSD.dateTime)
    except ValueError:
        pass
    raise CellError(f"{text!r} is not a date; write 2025-03-15, or 2025-03 or 2025 when only the month or year is known",
                    f"「{text}」は日付ではない。2025-03-15（2025年3月15日）、月や年しか分からない場合は 2025-03（2025年3月）や"
                    " 2025 と書くこと")


def parse_duration(text: str) -> Literal:
    """An xsd:duration such as P1M (a month), P14D (two weeks), P1Y6M."""
    normal = unicodedata.normalize("NFKC", text).strip().upper()
    if not _DURATION.match(normal):
        raise CellError(f"{text!r} is not a duration; write it as P1M (a month), P14D (14 days) or P1Y6M",
                        f"「{text}」は期間ではない。P1M（1か月）、P14D（14日）、P1Y6M のように書くこと")
    return Literal(normal, datatype=XSD.duration)


IRI_FORBIDDEN = re.compile(r'[\s<>"{}|\\^`]')
"""Characters an IRI may not hold (RFC 3987), nor an ID cell."""
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
"""The scheme an absolute IRI starts with."""


def expand_id(text: str, base: str) -> URIRef:
    """The IRI an ID cell names: ``<iri>``, a full IRI, a standard prefixed name, or a local name under ``base``.

    >>> expand_id("rule:appi-25", "https://example.org/l#")
    rdflib.term.URIRef('https://w3id.org/chainmodel/rule#appi-25')
    >>> expand_id("vendor", "https://example.org/l#")
    rdflib.term.URIRef('https://example.org/l#vendor')
    """
    value = text.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    elif ":" in value and value.split(":", 1)[0] in STANDARD_PREFIXES and not value.split(":", 1)[1].startswith("//"):
        prefix, local = value.split(":", 1)
        value = STANDARD_PREFIXES[prefix] + local
    elif not (value.startswith("urn:") or "://" in value):
        value = base + value
    if IRI_FORBIDDEN.search(value) or not SCHEME.match(value):
        raise CellError(f"{text!r} cannot be an ID: no spaces or <>\"{{}}|\\^` in it; write e.g. vendor-a",
                        f"「{text}」はIDにできない（空白や <>\"{{}}|\\^` を含む）。例えば vendor-a のように書くこと")
    return URIRef(value)
