"""Phrases every renderer shares: counts with their units and bounds, reasons, findings' texts.

They take the plain dictionaries of :mod:`chainmodel.serialise` and return words from the
catalogue (:mod:`chainmodel.catalogue`) in the reader's language, so that the text output,
the report and the diagram say the same thing the same way.

Examples
--------
>>> people = {"iri": "https://w3id.org/chainmodel#People"}
>>> count_phrase({"at_least": 171472, "at_most": 181674, "exact": False, "approximate": False, "known": True}, people)
'at least 171,472 people and at most 181,674 people'
>>> count_phrase({"at_least": 5747, "at_most": 5747, "exact": True, "approximate": False, "known": True}, people, "ja")
'5,747人'
>>> count_phrase({"at_least": 0, "at_most": None, "exact": False, "approximate": False, "known": False}, people)
'an unknown number of people'
"""

from __future__ import annotations

import re
from typing import Any

from .catalogue import has, join, render, say
from .findings import HARM_KINDS  # the one place that names and orders the harm kinds

__all__ = ["name", "name_with_iri", "count_phrase", "exposure_phrase", "holdings_phrases", "reportable_phrase", "amount_phrase", "unit_key", "reason_phrase", "said_phrase", "names", "term",
           "step_effect", "HARM_KINDS", "harm_rank", "natural_key", "citations_phrase"]

_DIGITS = re.compile(r"(\d+)")

_UNITS = {
    "https://w3id.org/chainmodel#People": "people",
    "https://w3id.org/chainmodel#Households": "households",
    "https://w3id.org/chainmodel#Records": "records",
    "https://w3id.org/chainmodel#Companies": "companies",
}


def name(ref: dict | None, lang: str = "en") -> str:
    """The label of a referenced element in ``lang``, else English, else its prefixed name."""
    if not ref:
        return "-"
    labels = ref.get("label") or {}
    return labels.get(lang) or labels.get("en") or labels.get("") or ref.get("name") or ref.get("iri", "-")


def name_with_iri(ref: dict | None, lang: str = "en") -> str:
    """An element's name followed by its IRI in angle brackets; the IRI alone when it is the name.

    >>> name_with_iri({"iri": "urn:x:db", "name": "urn:x:db"}), name_with_iri({"iri": "urn:x:a", "label": {"en": "A"}})
    ('urn:x:db', 'A <urn:x:a>')
    """
    shown = name(ref, lang)
    iri = (ref or {}).get("iri")
    return shown if not iri or shown == iri else f"{shown} <{iri}>"


def names(refs: list[dict], lang: str = "en") -> str:
    """Several elements named as a reader expects a list."""
    return join([name(r, lang) for r in refs], lang)


def unit_key(unit: dict | None) -> str | None:
    """The catalogue's name of a unit (``people``, ``households``...), or None for a model's own unit."""
    return _UNITS.get((unit or {}).get("iri", "https://w3id.org/chainmodel#People"))


def _amount(number: int, unit: dict | None, lang: str) -> str:
    key = unit_key(unit)
    if key:
        return say(f"unit.{key}", lang, count=number)
    return say("unit.other", lang, count=number, unit=name(unit, lang))


def amount_phrase(number: int, unit: dict | None = None, lang: str = "en") -> str:
    """A number with its unit and the right grammar (``1 person``, ``2 households``, ``5,747人``)."""
    return _amount(number, unit, lang)


def count_phrase(count: dict | None, unit: dict | None = None, lang: str = "en", share: bool = False) -> str:
    """A count or its bounds in words, with the unit.

    ``share`` words a principal's share that the model does not state (``unknown (at most N)``).
    """
    if count is None:
        return say("count.unknown", lang, unit=_unit_name(unit, lang))
    low, high = count["at_least"], count["at_most"]
    if not count["known"]:
        if share and high is not None:
            return say("count.share-unknown", lang, amount=_amount(high, unit, lang))
        return say("count.share-unknown-unbounded" if share else "count.unknown", lang, unit=_unit_name(unit, lang))
    if share and low == 0 and high is not None and high > 0:
        return say("count.share-unknown", lang, amount=_amount(high, unit, lang))
    if high == low:
        return say("count.about" if count["approximate"] else "count.exact", lang, amount=_amount(low, unit, lang))
    if high is None:
        return say("count.at-least", lang, amount=_amount(low, unit, lang))
    if low == 0:
        return say("count.at-most", lang, amount=_amount(high, unit, lang))
    key = "count.between-about" if count["approximate"] else "count.between"
    return say(key, lang, low_amount=_amount(low, unit, lang), high=_amount(high, unit, lang))


def _unit_name(unit: dict | None, lang: str) -> str:
    key = unit_key(unit)
    return say(f"unit-name.{key}", lang) if key else name(unit, lang)


def exposure_phrase(exposure: dict, lang: str = "en") -> str:
    """Every population an exposure reaches, with units and bounds, in one phrase.

    >>> exposure_phrase({"populations": []}, "en")
    '0 people'
    """
    populations = exposure.get("populations") or []
    if not populations:
        return amount_phrase(0, None, lang)
    return "; ".join(count_phrase(p["count"], p["unit"], lang) for p in populations)


def holdings_phrases(leak: dict, lang: str = "en") -> list[tuple[str, str]]:
    """What each party a leak reaches holds, as ``(party, exposure)`` phrases; empty when they all
    hold the same (it is said once, as the leak's exposure). Data can be cut down on its way: a
    buyer of one region's customers holds less than the broker who sold them.

    >>> leak = {"held_by_reached": [{"party": {"iri": "urn:b", "label": {"en": "broker"}},
    ...                              "exposure": {"populations": []}}]}
    >>> holdings_phrases(leak)
    []
    """
    held = [(name(item["party"], lang), exposure_phrase(item["exposure"], lang))
            for item in leak.get("held_by_reached") or []]
    return held if len({phrase for _, phrase in held}) > 1 else []


def reportable_phrase(duty: dict, lang: str = "en") -> str:
    """Whether a principal's breach is reportable (a duty of :func:`chainmodel.serialise.duty_json`),
    in words; a preventive control that rules a leak out is named as the reason it is not.

    >>> reportable_phrase({"reportable": "no", "protected_by": []}, "en") == say("reportable.no", "en")
    True
    """
    if duty["protected_by"]:
        return say("reportable.protected", lang, controls=names(duty["protected_by"], lang))
    return say(f"reportable.{duty['reportable']}", lang)


def reason_phrase(reason: dict, lang: str = "en") -> str:
    """Why a count is a bound, in words (``the model does not say how A and B overlap``)."""
    key = f"reason.{reason['reason']}"
    return say(key, lang, assets=names(reason["assets"], lang)) if has(key) else reason["reason"]


def said_phrase(said: dict, lang: str = "en") -> str:
    """A finding's text (the ``said`` of :func:`chainmodel.serialise.finding_json`) in ``lang``."""
    values = []
    for slot, kind, value in said["values"]:
        if kind == "ref":
            values.append((slot, ("text", name(value, lang) if value else "-")))
        elif kind == "refs":
            values.append((slot, ("text", names(value, lang))))
        elif kind == "consignment":
            values.append((slot, ("consignment", (value["consignment"], value["consignor"], value["consignee"],
                                                   value["implicit"]))))
        else:
            values.append((slot, (kind, value)))
    text = render(said["key"], values, lang, lambda ref: name(ref, lang) if isinstance(ref, dict) else (ref or "-"))
    return text[:1].upper() + text[1:] if lang == "en" and said["key"].startswith("finding.") else text


def _first(mapping: dict[str, Any] | None, lang: str) -> str:
    if not mapping:
        return ""
    return mapping.get(lang) or mapping.get("en") or next(iter(mapping.values()), "")


# -- added for the report and the diagram (shared with the text output) ---------------------------

_TERM_FAMILIES = ("role", "element", "harm", "control-kind")



def term(value: str, lang: str = "en") -> str:
    """A fixed word of the analyses (a role, element kind, harm kind or control kind) in ``lang``.

    Unknown words are returned as they are.

    >>> term("re-consignee", "ja"), term("device-exposure", "en")
    ('再委託先', 'the data on a system exposed')
    """
    for family in _TERM_FAMILIES:
        if has(f"{family}.{value}"):
            return say(f"{family}.{value}", lang)
    return value


def step_effect(effect: str, lang: str = "en") -> str:
    """A leak step's effect (a ``step.*`` word of the catalogue) in ``lang``.

    >>> step_effect("passes-the-failure-on", "ja")
    '失敗を次に伝える'
    """
    return say(f"step.{effect}", lang) if has(f"step.{effect}") else effect


def harm_rank(kind: str) -> int:
    """Where a harm kind stands in :data:`HARM_KINDS` (unknown kinds last).

    >>> sorted(["misdirected-data", "guarded-provision"], key=harm_rank)
    ['guarded-provision', 'misdirected-data']
    """
    return HARM_KINDS.index(kind) if kind in HARM_KINDS else len(HARM_KINDS)


def natural_key(text: str) -> tuple:
    """A sort key that puts numbers in number order: "principal 182" before "principal 1739".

    >>> sorted(["p1739", "p182", "p2"], key=natural_key)
    ['p2', 'p182', 'p1739']
    """
    parts = _DIGITS.split(text.casefold())
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in parts if part)


def citations_phrase(sources: list[dict], lang: str = "en") -> str:
    """Legal sources (``{"citation": {lang: text}}``) as one list in ``lang``.

    >>> citations_phrase([{"citation": {"en": "APPI Art. 26(1)", "ja": "個人情報保護法第26条第1項"}}], "ja")
    '個人情報保護法第26条第1項'
    """
    return join([s["citation"].get(lang) or s["citation"].get("en", "") for s in sources], lang)
