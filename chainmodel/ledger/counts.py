"""Counts as people write them in a ledger: "about 2,500,000", "up to 40,000", "約250万", "1,000以上".

A count cell holds a whole number, optionally with a qualifier (``cm:countQualifier``:
exactly, about, at most, at least) and a unit word (人, 世帯, 件, 社, people, households,
records, companies). Numbers may use thousands separators, full-width digits, the Japanese
multiples 万 (10^4), 億 (10^8), 千 and 百万, or the English words thousand, million, billion.
"more than N" / "N超" is read as at least N + 1 and "fewer than N" / "N未満" as at most
N - 1, since a count is a whole number.

The writer puts a qualified count back in the same words: "about 2,500,000" in English,
"約250万" in Japanese; an unqualified count stays a plain number.

Examples
--------
>>> parse_count("約250万")
ParsedCount(number=2500000, qualifier='About', unit=None)
>>> parse_count("up to 40,000 people")
ParsedCount(number=40000, qualifier='AtMost', unit='People')
>>> parse_count("1,000人以上")
ParsedCount(number=1000, qualifier='AtLeast', unit='People')
>>> parse_count("46万517"), parse_count("1億2千万").number
(ParsedCount(number=460517, qualifier=None, unit=None), 120000000)
>>> format_count(2500000, "About", "ja"), format_count(40000, "AtMost", "en"), format_count(1000, "AtLeast", "ja")
('約250万', 'up to 40,000', '1,000以上')
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from .cells import CellError, split_list

__all__ = ["ParsedCount", "parse_count", "parse_counts", "format_count", "QUALIFIERS", "UNITS"]

QUALIFIERS = ("Exactly", "About", "AtMost", "AtLeast")
"""Local names of the cm:CountQualifier terms."""

UNITS = ("People", "Households", "Records", "Companies")
"""Local names of the shipped cm:CountUnit terms."""

# (words, qualifier, offset): the offset turns a strict bound into an inclusive one.
_PREFIXES = (
    (("approximately", "approx.", "approx", "about", "around", "roughly", "circa", "ca.", "c.", "some", "~", "約",
      "およそ", "概ね", "おおむね", "おおよそ"), "About", 0),
    (("at most", "up to", "no more than", "not more than", "maximum of", "maximum", "max.", "max", "<=", "≤",
      "最大で", "最大", "上限", "多くとも"), "AtMost", 0),
    (("at least", "no fewer than", "no less than", "not less than", "minimum of", "minimum", "min.", "min", ">=", "≥",
      "最低でも", "最低", "少なくとも"), "AtLeast", 0),
    (("more than", "over", "above", ">"), "AtLeast", 1),
    (("fewer than", "less than", "under", "below", "<"), "AtMost", -1),
    (("exactly", "ちょうど"), "Exactly", 0),
)
_SUFFIXES = (
    (("程度", "前後", "ほど", "余り", "あまり", "強", "弱"), "About", 0),
    (("以下", "以内", "まで"), "AtMost", 0),
    (("以上", "+"), "AtLeast", 0),
    (("超", "を超える", "超え"), "AtLeast", 1),
    (("未満",), "AtMost", -1),
)
_UNIT_WORDS = (
    (("people", "persons", "person", "individuals", "人", "名"), "People"),
    (("households", "household", "世帯"), "Households"),
    (("records", "record", "件"), "Records"),
    (("companies", "company", "businesses", "社"), "Companies"),
)
_ENGLISH_MULTIPLES = {"thousand": 10**3, "k": 10**3, "million": 10**6, "m": 10**6, "billion": 10**9, "bn": 10**9}
_KANJI_GROUP = re.compile(r"(\d+(?:\.\d+)?)(億|千万|百万|万|千)")
_KANJI_MULTIPLES = {"億": 10**8, "千万": 10**7, "百万": 10**6, "万": 10**4, "千": 10**3}
_PLAIN = re.compile(r"^\d+(?:\.\d+)?$")


class ParsedCount(NamedTuple):
    """A count cell read: the number, the local name of its qualifier and of its unit (None when not written)."""

    number: int
    qualifier: str | None
    unit: str | None


def _error(text: str) -> CellError:
    return CellError(f"{text!r} is not a count; write a whole number such as 12000 or 12,000, optionally qualified: "
                     "'about 2,500,000', 'up to 40,000', 'at least 1,000', 'exactly 500'",
                     f"「{text}」は数として読めない。12000 や 12,000 のように整数で書き、必要なら「約250万」「最大4万」"
                     "「1,000以上」「ちょうど500」のように限定すること")


def _strip_words(text: str, table, at_start: bool) -> tuple[str, str | None, int]:
    """Remove one word of ``table`` from the start (or end) of ``text``: (rest, meaning, offset)."""
    folded = text.casefold()
    best = None
    for words, meaning, offset in table:
        for word in words:
            hit = folded.startswith(word) if at_start else folded.endswith(word)
            if hit and (best is None or len(word) > len(best[0])):
                best = (word, meaning, offset)
    if best is None:
        return text, None, 0
    word = best[0]
    if at_start and word.isalpha() and word.isascii() and text[len(word):len(word) + 1].isalpha():
        return text, None, 0  # "some" is not the start of "something"
    rest = text[len(word):] if at_start else text[:len(text) - len(word)]
    return rest.strip(), best[1], best[2]


def _strip_unit(text: str) -> tuple[str, str | None]:
    body = text[:-1].strip() if text.endswith("分") else text  # "46万人分"
    folded = body.casefold()
    for words, unit in _UNIT_WORDS:
        for word in sorted(words, key=len, reverse=True):
            if folded.endswith(word) and (not word.isascii() or folded[:-len(word)].endswith((" ", *"0123456789"))):
                return body[:len(body) - len(word)].strip(), unit
    return text, None


def _number(text: str) -> int | None:
    """The whole number a numeral stands for, or None."""
    body = re.sub(r"(?<=\d)[,\s](?=\d)", "", text).replace(" ", "")
    if not body:
        return None
    value = Decimal(0)
    try:
        english = re.fullmatch(r"(\d+(?:\.\d+)?)([a-z]+)", body.casefold())
        if english and english.group(2) in _ENGLISH_MULTIPLES:
            value = Decimal(english.group(1)) * _ENGLISH_MULTIPLES[english.group(2)]
        else:
            position, last = 0, None
            for match in _KANJI_GROUP.finditer(body):
                multiple = _KANJI_MULTIPLES[match.group(2)]
                if match.start() != position or (last is not None and multiple >= last):
                    return None  # 万 after 億, never 億 after 万
                value += Decimal(match.group(1)) * multiple
                position, last = match.end(), multiple
            rest = body[position:]
            if rest:
                if not _PLAIN.match(rest) or (position and "." in rest):
                    return None
                value += Decimal(rest)
    except InvalidOperation:  # pragma: no cover - the patterns admit only decimal numerals
        return None
    return int(value) if value == value.to_integral_value() else None


def parse_count(text: str) -> ParsedCount:
    """Read a count cell.

    Parameters
    ----------
    text : str
        The cell, e.g. "12,000", "about 2.5 million", "約250万人", "最大4万件", "1,000以上".

    Returns
    -------
    ParsedCount
        The number, the qualifier's local name (``About``, ``AtMost``, ``AtLeast``,
        ``Exactly``) or None, the unit's local name (``People``...) or None.

    Raises
    ------
    CellError
        The cell is not a count, or gives two qualifiers.

    Examples
    --------
    >>> parse_count("more than 1,000")
    ParsedCount(number=1001, qualifier='AtLeast', unit=None)
    >>> parse_count("１２，０００名")
    ParsedCount(number=12000, qualifier=None, unit='People')
    """
    normal = " ".join(unicodedata.normalize("NFKC", text).split())
    rest, before, offset_before = _strip_words(normal, _PREFIXES, at_start=True)
    rest, after, offset_after = _strip_words(rest, _SUFFIXES, at_start=False)
    if before and after:
        raise CellError(f"{text!r} gives two qualifiers; keep one, e.g. 'about 2,500,000'",
                        f"「{text}」には限定が二つある。「約250万」のように一つにすること")
    rest, unit = _strip_unit(rest)
    if not after:
        rest, after, offset_after = _strip_words(rest, _SUFFIXES, at_start=False)
    number = _number(rest)
    if number is None or (before and after):
        raise _error(text)
    number += offset_before + offset_after
    if number < 0:
        raise _error(text)
    return ParsedCount(number, before or after, unit)


_WORDS = {
    "en": {"About": "about {n}", "AtMost": "up to {n}", "AtLeast": "at least {n}", "Exactly": "exactly {n}"},
    "ja": {"About": "約{n}", "AtMost": "最大{n}", "AtLeast": "{n}以上", "Exactly": "ちょうど{n}"},
}


def _japanese_number(number: int) -> str:
    """250万, 1億2000万; other numbers with thousands separators."""
    if number < 10_000 or number % 10_000:
        return f"{number:,}"
    man = number // 10_000
    oku, man = divmod(man, 10_000)
    return (f"{oku:,}億" if oku else "") + (f"{man}万" if man else "")


def format_count(number: int, qualifier: str | None, lang: str = "en") -> str:
    """A count as the writer puts it in a cell: plain digits when unqualified, else in words.

    Parameters
    ----------
    number : int
        The count.
    qualifier : str or None
        Local name of the ``cm:CountQualifier`` stated (None: none stated).
    lang : str
        "en" or "ja".

    Returns
    -------
    str
        Text that :func:`parse_count` reads back to the same number and qualifier.

    Examples
    --------
    >>> format_count(12000, None), format_count(460517, "About", "ja"), format_count(120000000, "Exactly", "ja")
    ('12000', '約460,517', 'ちょうど1億2000万')
    """
    if qualifier is None:
        return str(number)
    words = _WORDS["ja" if lang == "ja" else "en"]
    shown = _japanese_number(number) if lang == "ja" else f"{number:,}"
    return words[qualifier].format(n=shown)


def parse_counts(text: str) -> list[tuple[str, ParsedCount]]:
    """``party = count`` pairs separated by ';' (also '＝'); each count read by :func:`parse_count`.

    Raises
    ------
    CellError
        A part is not ``party = count``, or its count cannot be read.

    Examples
    --------
    >>> parse_counts("港区 = 約1万; Vendor = 900")
    [('港区', ParsedCount(number=10000, qualifier='About', unit=None)), ('Vendor', ParsedCount(number=900, qualifier=None, unit=None))]
    """
    pairs = []
    for part in split_list(text):
        name, sep, count = unicodedata.normalize("NFKC", part).rpartition("=")
        if not sep or not name.strip():
            raise CellError(f"{part!r} is not 'party = count'; write for example 'City = 1200'",
                            f"「{part}」は「当事者 = 数」の形ではない。例えば「港区 = 1200」と書くこと")
        pairs.append((name.strip(), parse_count(count)))
    return pairs
