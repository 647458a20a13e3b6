"""One catalogue of the fixed words chainmodel prints, in English and Japanese.

Every heading, message, reason, unit and piece of advice a renderer prints is an entry of
the catalogue, kept in the files ``chainmodel/words/*.toml`` (one per subject, one namespace
of keys): a key and its text in each language, with ``{placeholders}``
the renderer fills in (names already in the reader's language, numbers, dates). The
ontology's own terms are named by their labels, never here. An English entry may be a
table with ``one`` and ``other`` forms, chosen by the ``count`` value.

Examples
--------
>>> say("unit.people", "en", count=1)
'1 person'
>>> say("unit.people", "en", count=171472)
'171,472 people'
>>> say("unit.people", "ja", count=171472)
'171,472人'
"""

from __future__ import annotations

import functools
import string
import tomllib
from importlib import resources
from typing import Any, Callable

from .errors import ArgumentError, SetupError

__all__ = ["say", "words", "has", "placeholders", "render", "join", "duration_words", "LANGUAGES", "CatalogueError",
           "require_language"]

LANGUAGES = ("en", "ja")


class CatalogueError(SetupError, LookupError):
    """A key is not in the catalogue (a bug or a damaged installation, never a user error)."""


def require_language(lang: str) -> str:
    """``lang`` when chainmodel speaks it, else :class:`~chainmodel.errors.ArgumentError`.

    Parameters
    ----------
    lang : str
        A language code.

    Returns
    -------
    str
        ``lang`` itself, when it is one of :data:`LANGUAGES`.

    Raises
    ------
    ArgumentError
        ``lang`` is not one of :data:`LANGUAGES`; the message names them.

    Examples
    --------
    >>> require_language("ja")
    'ja'
    """
    if lang not in LANGUAGES:
        raise ArgumentError(f"language {lang!r}: chainmodel speaks {' and '.join(LANGUAGES)}; give one of them")
    return lang


@functools.lru_cache(maxsize=None)
def words() -> dict[str, dict[str, Any]]:
    """Every entry of the catalogue, by key (read once per process from ``chainmodel/words/*.toml``).

    Returns
    -------
    dict of str to dict
        Each key, its dotted path in its file (``"unit.people"``), to its texts by language:
        a string, or for an English entry with forms, ``{"one": ..., "other": ...}``.

    Raises
    ------
    CatalogueError
        Two files define the same key.

    Examples
    --------
    >>> words()["unit.people"]["ja"]
    '{count:,}人'
    """
    folder = resources.files(__package__).joinpath("words")
    found: dict[str, dict[str, Any]] = {}
    origin: dict[str, str] = {}

    def walk(prefix: str, table: dict, source: str) -> None:
        if set(table) & set(LANGUAGES):
            if prefix in found:
                raise CatalogueError(f"{prefix!r} is defined in both {origin[prefix]} and {source}")
            found[prefix] = {lang: table[lang] for lang in LANGUAGES if lang in table}
            origin[prefix] = source
        for name, value in table.items():
            if name not in LANGUAGES and isinstance(value, dict):
                walk(f"{prefix}.{name}" if prefix else name, value, source)

    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.name.endswith(".toml"):
            walk("", tomllib.loads(entry.read_text(encoding="utf-8")), entry.name)
    return found


def has(key: str) -> bool:
    """Whether the catalogue holds ``key``.

    Parameters
    ----------
    key : str
        A dotted catalogue key, such as ``"unit.people"``.

    Returns
    -------
    bool

    Examples
    --------
    >>> has("unit.people"), has("unit.parsecs")
    (True, False)
    """
    return key in words()


def _form(entry: Any, count: Any) -> str:
    if isinstance(entry, dict):
        return entry["one"] if count == 1 else entry["other"]
    return entry


def say(key: str, lang: str = "en", /, **values: Any) -> str:
    """The entry ``key`` in ``lang``, with its placeholders filled from ``values``.

    Parameters
    ----------
    key : str
        A dotted catalogue key, such as ``"unit.people"``.
    lang : str, optional
        ``"en"`` (the default) or ``"ja"``; an entry with no text in ``lang`` is said in English.
    **values
        The values of the placeholders; ``count`` also chooses an English entry's form
        (``one`` when it is 1, else ``other``).

    Returns
    -------
    str
        The text of the entry, filled in.

    Raises
    ------
    CatalogueError
        The key is not in the catalogue.

    Examples
    --------
    >>> say("duration.join", "en", first="1 year", second="6 months")
    '1 year and 6 months'
    """
    entry = words().get(key)
    if entry is None:
        raise CatalogueError(f"no entry {key!r} in the catalogue (chainmodel/words/*.toml)")
    text = _form(entry.get(lang) or entry["en"], values.get("count"))
    return text.format(**values) if values or "{" in text else text


def placeholders(key: str, lang: str) -> set[str]:
    """The names of the placeholders of one entry in one language (all forms).

    Parameters
    ----------
    key : str
        A dotted catalogue key; it must be in the catalogue.
    lang : str
        ``"en"`` or ``"ja"``; an entry with no text in ``lang`` has no placeholders there.

    Returns
    -------
    set of str
        The placeholder names of the entry's text, or of all its forms.

    Examples
    --------
    >>> sorted(placeholders("duration.join", "en"))
    ['first', 'second']
    """
    entry = words()[key].get(lang, "")
    forms = entry.values() if isinstance(entry, dict) else [entry]
    return {name for text in forms for _, name, _, _ in string.Formatter().parse(text) if name}


def join(items: list[str], lang: str = "en") -> str:
    """A list of names: ``a, b, c`` / ``a、b、c``.

    Parameters
    ----------
    items : list of str
        The names, already in the reader's language.
    lang : str, optional
        ``"ja"`` joins with ``、``; any other language with ``, `` (the default ``"en"``).

    Returns
    -------
    str

    Examples
    --------
    >>> join(["LDI", "NTT DATA", "J-MIMO"]), join(["LDI", "NTT DATA"], "ja")
    ('LDI, NTT DATA, J-MIMO', 'LDI、NTT DATA')
    """
    return ("、" if lang == "ja" else ", ").join(items)


def render(key: str, values: Any, lang: str, name: Callable[[str | None], str]) -> str:
    """Word a catalogue entry whose values are tagged (see :mod:`chainmodel.findings`).

    ``values`` is a sequence of ``(name, (kind, value))``; ``name(iri)`` says how an
    element is named in ``lang``.

    Parameters
    ----------
    key : str
        A dotted catalogue key.
    values : sequence of (str, (str, object))
        Each placeholder's name with its tagged value (:data:`chainmodel.findings.VALUE_KINDS`):
        elements are named by ``name``, several joined with :func:`join`, texts in several
        languages give the one in ``lang`` (else English, else untagged, else the first),
        durations and consignments are worded, and words are said in ``lang`` (after the other
        values, which they may use); numbers and text are used as they are.
    lang : str
        ``"en"`` or ``"ja"``.
    name : callable
        Takes an element's IRI (or None) and gives how it is named in ``lang``.

    Returns
    -------
    str
        The entry said in ``lang`` with its placeholders filled.

    Raises
    ------
    CatalogueError
        ``key``, or the key of a word among the values, is not in the catalogue.

    Examples
    --------
    >>> render("unit.people", [("count", ("number", 2))], "en", str)
    '2 people'
    """
    filled: dict[str, Any] = {}
    for slot, (kind, value) in values:
        if kind == "ref":
            filled[slot] = name(value)
        elif kind == "refs":
            filled[slot] = join([name(v) for v in value], lang)
        elif kind == "texts":
            value = dict(value)  # (language, text) pairs, or already a dictionary (from JSON)
            filled[slot] = value.get(lang) or value.get("en") or value.get("") or next(iter(value.values()), "")
        elif kind == "duration":
            filled[slot] = duration_words(value, lang)
        elif kind == "consignment":
            filled[slot] = consignment_words(value, lang, name)
        elif kind != "word":
            filled[slot] = value
    for slot, (kind, value) in values:  # a word may itself name the other values
        if kind == "word":
            filled[slot] = say(value, lang, **filled)
    return say(key, lang, **filled)


def duration_words(text: str | None, lang: str = "en") -> str:
    """An ``xsd:duration`` in words (``P7M`` -> ``7 months`` / ``7か月``); unreadable text as it is.

    Parameters
    ----------
    text : str or None
        An ``xsd:duration`` such as ``"P1Y6M"``.
    lang : str, optional
        ``"en"`` (the default) or ``"ja"``.

    Returns
    -------
    str
        The years, months and days that are not zero, in words, joined by the entry
        ``duration.join`` (``duration.none`` for a zero duration); ``text`` as it is when it
        does not parse, ``"?"`` when it is empty or None.

    Examples
    --------
    >>> duration_words("P1Y6M"), duration_words("P30D", "ja"), duration_words("P0D")
    ('1 year and 6 months', '30日', 'at once')
    """
    from .timepoints import parse_duration

    found = parse_duration(text)
    if found is None:
        return text or "?"
    years, months = divmod(found.months, 12)
    parts = [say(f"duration.{unit}", lang, count=n) for unit, n in (("years", years), ("months", months),
                                                                    ("days", found.days)) if n]
    if not parts:
        return say("duration.none", lang)
    while len(parts) > 1:
        parts[-2:] = [say("duration.join", lang, first=parts[-2], second=parts[-1])]
    return parts[0]


def consignment_words(value: tuple, lang: str, name: Callable[[str | None], str]) -> str:
    """Name a consignment: by its label, or by its two parties when a shortcut stated it."""
    iri, consignor, consignee, implicit = value
    if implicit:
        return say("name.consignment-implicit", lang, consignor=name(consignor), consignee=name(consignee))
    return say("name.consignment", lang, name=name(iri))
