"""Contract clauses, countries and periods as a reviewer writes them in a cell.

A clause cell names what the clause says, its parameter and, in brackets at the end, its
article: "再委託禁止（第12条）", "prior approval required (Art. 12(2))", "deletion within 30 days
(Art. 15)", "re-consignment only to: Sub Co, Other Co (Art. 12(3))", "データはJP国内に保管（第20条）".
The kind is recognised from its words in English or Japanese (see :data:`KINDS`); the article
is the last bracketed group when it looks like one (it holds a digit or 条, 項, Art., §...).

A country is an ISO 3166-1 alpha-2 code ("JP"), or one of a few names (Japan, 日本; 国内 means
Japan). A period is "30 days", "1 month", "1 year", "30日", "1か月", "2週間", "直ちに"
(immediately) or an xsd:duration such as P30D.

Examples
--------
>>> parse_clause("再委託禁止（第12条）")
ParsedClause(kind='ReconsignmentProhibited', article='第12条', parties=(), country=None, period=None)
>>> parse_clause("prior approval required (Art. 12(2))").article
'Art. 12(2)'
>>> clause = parse_clause("deletion within 30 days (Art. 15)")
>>> clause.kind, str(clause.period)
('DeletionWithinPeriod', 'P30D')
>>> format_clause(clause, "ja")
'終了後30日以内に消去・返却（Art. 15）'
>>> format_clause(parse_clause("終了後30日以内に消去・返却（第15条）"), "en")
'deletion or return within 30 days after the end (第15条)'
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from rdflib import Literal
from rdflib.namespace import XSD

from .cells import CellError, parse_duration

__all__ = ["ParsedClause", "parse_clause", "format_clause", "parse_country", "parse_period", "format_period",
           "KINDS", "looks_like_article"]

KINDS = ("ReconsignmentProhibited", "ReconsignmentRequiresApproval", "ReconsignmentOnlyTo",
         "ReconsignmentWithinCountry", "DataStaysInCountry", "DeletionWithinPeriod")
"""Local names of the clause classes a cell can state."""

_RECONSIGN = ("再委託", "再々委託", "re-consign", "reconsign", "re consign", "subcontract", "sub-contract",
              "sub-consign", "subconsign", "sub-processor", "subprocessor")
_DELETE = ("消去", "削除", "返却", "返還", "廃棄", "delet", "return", "destroy", "destruct", "erase", "dispos")
_STAY = ("保管", "保存", "所在", "stays", "stay in", "stored", "kept", "keep", "resid", "remain", "locali", "hosted")
_COUNTRY_WORDS = ("国内", "所在国", "保管国", "country", "domestic", "within")
_ONLY = ("only", "limited to", "限る", "限定", "のみ")
_APPROVAL = ("承諾", "承認", "許諾", "許可", "同意", "approv", "consent", "permission", "authoris", "authoriz")
_PROHIBIT = ("禁止", "不可", "禁ず", "禁じ", "してはならない", "しない", "prohibit", "forbid", "not allowed",
             "not permitted", "banned", "no re", "no sub", "may not", "must not", "shall not")
_ARTICLE_HINTS = ("条", "項", "号", "art", "§", "clause", "section", "sec.", "para")
_COUNTRY_NAMES = {
    "japan": "JP", "日本": "JP", "国内": "JP", "united states": "US", "usa": "US", "米国": "US", "アメリカ": "US",
    "china": "CN", "中国": "CN", "korea": "KR", "south korea": "KR", "韓国": "KR", "india": "IN", "インド": "IN",
    "vietnam": "VN", "viet nam": "VN", "ベトナム": "VN", "philippines": "PH", "フィリピン": "PH", "singapore": "SG",
    "シンガポール": "SG", "taiwan": "TW", "台湾": "TW", "united kingdom": "GB", "uk": "GB", "英国": "GB",
    "イギリス": "GB", "germany": "DE", "ドイツ": "DE", "france": "FR", "フランス": "FR", "ireland": "IE",
    "アイルランド": "IE",
}
_ISO = re.compile(r"(?<![A-Za-z])([A-Z]{2})(?![A-Za-z])")
_PERIOD = re.compile(r"(\d+)\s*(日間|日|days?|か月|ヶ月|ケ月|カ月|ヵ月|箇月|months?|週間|weeks?|年間|年|years?)", re.I)
_IMMEDIATELY = ("直ちに", "ただちに", "速やかに", "immediately", "without delay", "forthwith")


class ParsedClause(NamedTuple):
    """A clause cell read: the clause class's local name, its article and parameters."""

    kind: str
    article: str | None = None
    parties: tuple[str, ...] = ()
    country: str | None = None
    period: Literal | None = None


def _has(text: str, words) -> bool:
    return any(word in text for word in words)


def looks_like_article(text: str) -> bool:
    """Whether bracketed text is an article ("第12条", "Art. 12(2)", "§4") rather than part of the clause.

    >>> looks_like_article("第十二条"), looks_like_article("Art. 12(2)"), looks_like_article("see annex")
    (True, True, False)
    """
    folded = text.casefold()
    return bool(text.strip()) and (any(ch.isdigit() for ch in text) or _has(folded, _ARTICLE_HINTS))


def _split_article(text: str) -> tuple[str, str | None]:
    """The text before its last bracketed group, and the group's contents when it is an article."""
    if not text.endswith((")", "）")):
        return text, None
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        char = text[index]
        depth += char in ")）"
        depth -= char in "(（"
        if depth == 0:
            inner = text[index + 1:-1].strip()
            if looks_like_article(inner) and text[:index].strip():
                return text[:index].strip(), inner
            return text, None
    return text, None


def parse_country(text: str) -> str:
    """An ISO 3166-1 alpha-2 code from a code or a common name.

    >>> parse_country("jp"), parse_country("日本"), parse_country("Viet Nam")
    ('JP', 'JP', 'VN')
    """
    normal = " ".join(unicodedata.normalize("NFKC", text).split())
    if re.fullmatch(r"[A-Za-z]{2}", normal):
        return normal.upper()
    code = _COUNTRY_NAMES.get(normal.casefold())
    if code:
        return code
    raise CellError(f"{text!r} is not a country; write its ISO 3166-1 code, e.g. JP, US, VN",
                    f"「{text}」は国として読めない。JP、US、VN のように ISO 3166-1 の2文字の国コードで書くこと")


def _country_in(text: str) -> str | None:
    codes = _ISO.findall(unicodedata.normalize("NFKC", text))
    if codes:
        return codes[0]
    folded = text.casefold()
    for name, code in sorted(_COUNTRY_NAMES.items(), key=lambda item: -len(item[0])):
        if name != "国内" and re.search(rf"(?<![a-z]){re.escape(name)}(?![a-z])", folded):
            return code
    return "JP" if "国内" in folded else None


def parse_period(text: str) -> Literal:
    """A period after the end as an xsd:duration: "30 days", "1か月", "2週間", "直ちに", "P30D".

    >>> [str(parse_period(t)) for t in ("30日", "1 month", "2 weeks", "immediately", "P1Y")]
    ['P30D', 'P1M', 'P14D', 'P0D', 'P1Y']
    """
    normal = unicodedata.normalize("NFKC", text).strip()
    found = _period_in(normal)
    if found is not None:
        return found
    return parse_duration(normal)


def _period_in(text: str) -> Literal | None:
    folded = text.casefold()
    match = _PERIOD.search(folded)
    if match:
        number, word = int(match.group(1)), match.group(2)
        if word.startswith(("週", "week")):
            return Literal(f"P{number * 7}D", datatype=XSD.duration)
        letter = "D" if word.startswith(("日", "day")) else "Y" if word.startswith(("年", "year")) else "M"
        return Literal(f"P{number}{letter}", datatype=XSD.duration)
    iso = re.search(r"(?<![a-z])p(?=\d|t\d)[\dymwdths.]+(?![a-z])", folded)
    if iso:
        return parse_duration(iso.group(0))
    return Literal("P0D", datatype=XSD.duration) if _has(folded, _IMMEDIATELY) else None


def format_period(period: Literal, lang: str = "en") -> str:
    """A duration as a clause cell words it ("30 days", "30日", "immediately"); others as written.

    >>> format_period(Literal("P1M", datatype=XSD.duration), "ja"), format_period(Literal("P1Y6M", datatype=XSD.duration))
    ('1か月', 'P1Y6M')
    """
    text = str(period)
    if text == "P0D":
        return "直ちに" if lang == "ja" else "immediately"
    match = re.fullmatch(r"P(\d+)([DMY])", text)
    if not match:
        return text
    number, letter = int(match.group(1)), match.group(2)
    if lang == "ja":
        return f"{number}" + {"D": "日", "M": "か月", "Y": "年"}[letter]
    word = {"D": "day", "M": "month", "Y": "year"}[letter]
    return f"{number} {word}{'' if number == 1 else 's'}"


def _unknown(text: str) -> CellError:
    return CellError(
        f"{text!r} is not a clause chainmodel knows; write e.g. 're-consignment prohibited (Art. 12)', 'prior approval "
        "required (Art. 12(2))', 're-consignment only to: Sub Co, Other Co', 're-consignment only within JP', "
        "'data stays in JP', 'deletion within 30 days (Art. 15)'",
        f"「{text}」は chainmodel が知る条項ではない。「再委託禁止（第12条）」「再委託には事前の承諾が必要（第12条第2項）」"
        "「再委託先の限定：A社、B社」「再委託先はJP国内に限る」「データはJP国内に保管」「終了後30日以内に消去・返却（第15条）」のように書くこと")


def _kind(head: str, whole: str, colon: bool) -> str | None:
    """The clause class ``head`` (the words before any ':') names; ``whole`` is the cell without its article."""
    folded = head.casefold()
    reconsign = _has(folded, _RECONSIGN)
    if _has(folded, _DELETE):
        return "DeletionWithinPeriod"
    if not reconsign and _has(folded, _STAY):
        return "DataStaysInCountry"
    if reconsign and (_has(folded, _COUNTRY_WORDS) or (not colon and _country_in(whole))):
        return "ReconsignmentWithinCountry"
    if _has(folded, _APPROVAL):
        return "ReconsignmentRequiresApproval"
    if reconsign and _has(folded, _ONLY):
        return "ReconsignmentOnlyTo"
    if reconsign and _has(folded, _PROHIBIT):
        return "ReconsignmentProhibited"
    return None


def parse_clause(text: str) -> ParsedClause:
    """Read a clause cell.

    Parameters
    ----------
    text : str
        e.g. "再委託禁止（第12条）", "prior approval required (Art. 12(2))",
        "re-consignment only to: Sub Co, Other Co", "deletion within 30 days (Art. 15)".

    Returns
    -------
    ParsedClause
        The clause class's local name, the article (None when not given), the named
        parties (as written, for the caller to resolve), the country and the period.

    Raises
    ------
    CellError
        The words name no clause chainmodel knows, or the country cannot be read.

    Examples
    --------
    >>> parse_clause("re-consignment only to: Sub Co, Other Co (Art. 12(3))")
    ParsedClause(kind='ReconsignmentOnlyTo', article='Art. 12(3)', parties=('Sub Co', 'Other Co'), country=None, period=None)
    >>> parse_clause("再委託は国内に限る").country
    'JP'
    """
    normal = " ".join(unicodedata.normalize("NFKC", text).split())
    body, article = _split_article(normal)
    head, colon, parameter = body.partition(":")
    kind = _kind(head if colon else body, body, bool(colon))
    if kind is None:
        raise _unknown(text)
    parties: tuple[str, ...] = ()
    country = period = None
    if kind == "ReconsignmentOnlyTo" and colon:
        parties = tuple(part.strip() for part in re.split(r"[,、]", parameter) if part.strip())
    elif kind in ("ReconsignmentWithinCountry", "DataStaysInCountry"):
        country = _country_in(parameter) if colon else _country_in(body)
        if colon and parameter.strip() and country is None:
            country = parse_country(parameter)
    elif kind == "DeletionWithinPeriod":
        period = _period_in(body)
    return ParsedClause(kind, article, parties, country, period)


_EN = {
    "ReconsignmentProhibited": ("re-consignment prohibited", None),
    "ReconsignmentRequiresApproval": ("re-consignment requires prior approval", None),
    "ReconsignmentOnlyTo": ("re-consignment only to named parties", "re-consignment only to: {}"),
    "ReconsignmentWithinCountry": ("re-consignment only within a country", "re-consignment only within {}"),
    "DataStaysInCountry": ("data stays in a country", "data stays in {}"),
    "DeletionWithinPeriod": ("deletion or return after the end", "deletion or return within {} after the end"),
}
_JA = {
    "ReconsignmentProhibited": ("再委託禁止", None),
    "ReconsignmentRequiresApproval": ("再委託には事前の承諾が必要", None),
    "ReconsignmentOnlyTo": ("再委託先の限定", "再委託先の限定：{}"),
    "ReconsignmentWithinCountry": ("再委託先の所在国の限定", "再委託先は{}国内に限る"),
    "DataStaysInCountry": ("データの保管国の限定", "データは{}国内に保管"),
    "DeletionWithinPeriod": ("終了後の消去・返却", "終了後{}以内に消去・返却"),
}


def format_clause(clause: ParsedClause, lang: str = "en") -> str:
    """A clause as the writer puts it in a cell (``parties`` already written as the ledger names them).

    Parameters
    ----------
    clause : ParsedClause
        What the clause says.
    lang : str
        "en" or "ja".

    Returns
    -------
    str
        Text :func:`parse_clause` reads back to the same clause.

    Examples
    --------
    >>> format_clause(ParsedClause("ReconsignmentWithinCountry", "第12条", country="JP"), "ja")
    '再委託先はJP国内に限る（第12条）'
    """
    ja = lang == "ja"
    bare, with_value = (_JA if ja else _EN)[clause.kind]
    value = None
    if clause.parties:
        value = ("、" if ja else ", ").join(clause.parties)
    elif clause.country:
        value = clause.country
    elif clause.period is not None and str(clause.period) == "P0D":
        bare = "終了後直ちに消去・返却" if ja else "deletion or return immediately after the end"
    elif clause.period is not None:
        value = format_period(clause.period, lang)
    text = with_value.format(value) if value and with_value else bare
    if clause.article:
        text += f"（{clause.article}）" if ja else f" ({clause.article})"
    return text
