"""Validation findings: what is wrong, where, and which rule and legal source say so.

A finding keeps what it says as a catalogue entry and its values (:class:`Said`), so that
each renderer can word it in the reader's language; ``message`` is the English wording,
kept whole for machines and logs.

Examples
--------
>>> finding = Finding("https://w3id.org/chainmodel/rule#consignment-cycle", "error",
...                   "consignments form a cycle", ("urn:c1", "urn:c2"))
>>> finding.is_error
True
>>> said = Said("finding.transfer-without-basis", (("transfer", ref("urn:t")), ("receiver", ref("urn:r")),
...             ("sender", ref("urn:s")), ("assets", refs(["urn:a"]))))
>>> said.value("receiver")
('ref', 'urn:r')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

__all__ = ["Finding", "Said", "SEVERITIES", "HARM_KINDS", "ref", "refs", "number", "text", "word", "VALUE_KINDS"]

SEVERITIES = ("error", "warning", "info")

HARM_KINDS = ("guarded-provision", "device-exposure", "copy-exposure", "insider-exfiltration", "attack",
              "misdirected-data")
"""The kinds of harm the failure analysis finds, in the one order renderers and options use."""

VALUE_KINDS = ("ref", "refs", "number", "text", "texts", "word", "duration", "consignment")
"""How a value of a :class:`Said` is written: an element (named by its label), several
elements, a number, text from the model (a date, an article), text in several languages
(``(language, text)`` pairs, sorted, so a Said stays hashable), a catalogue word, a duration
(an ISO 8601 period, worded in the reader's language), or a consignment (IRI, consignor,
consignee, whether it is implicit)."""


def ref(iri: str | None) -> tuple[str, str | None]:
    """A value naming one element.

    Parameters
    ----------
    iri : str or None
        The element's IRI; None when the model does not state it.

    Returns
    -------
    tuple of (str, str or None)
        ``("ref", iri)``.

    Examples
    --------
    >>> ref("urn:h")
    ('ref', 'urn:h')
    """
    return ("ref", iri)


def refs(iris: Iterable[str]) -> tuple[str, tuple[str, ...]]:
    """A value naming several elements, in the order given.

    Parameters
    ----------
    iris : iterable of str
        The elements' IRIs.

    Returns
    -------
    tuple of (str, tuple of str)
        ``("refs", iris)``, the IRIs as a tuple.

    Examples
    --------
    >>> refs(["urn:a", "urn:b"])
    ('refs', ('urn:a', 'urn:b'))
    """
    return ("refs", tuple(iris))


def number(value: int) -> tuple[str, int]:
    """A value that is a number (a count, a tier).

    Parameters
    ----------
    value : int

    Returns
    -------
    tuple of (str, int)
        ``("number", value)``.

    Examples
    --------
    >>> number(3)
    ('number', 3)
    """
    return ("number", value)


def text(value: str) -> tuple[str, str]:
    """Text taken from the model as it is (a date, an article number).

    Parameters
    ----------
    value : str

    Returns
    -------
    tuple of (str, str)
        ``("text", value)``.

    Examples
    --------
    >>> text("Art. 5")
    ('text', 'Art. 5')
    """
    return ("text", value)


def word(key: str) -> tuple[str, str]:
    """A fixed word, looked up in the catalogue in the reader's language.

    Parameters
    ----------
    key : str
        A dotted key of :mod:`chainmodel.catalogue`.

    Returns
    -------
    tuple of (str, str)
        ``("word", key)``.

    Examples
    --------
    >>> word("note.sibling-has-basis")
    ('word', 'note.sibling-has-basis')
    """
    return ("word", key)


@dataclass(frozen=True)
class Said:
    """What a finding says: a catalogue key and its named values."""

    key: str
    values: tuple[tuple[str, tuple], ...] = ()
    advice: str | None = None
    """A catalogue key for advice that fits this case better than the rule's own; ``""`` when
    what is said already says what to do (a shape's own message)."""

    def value(self, name: str) -> tuple | None:
        return next((v for n, v in self.values if n == name), None)


@dataclass(frozen=True, order=True)
class Finding:
    """One finding of ``validate``.

    ``rule`` is the IRI of a ``cm:Rule`` in ``ontologies/rules.ttl``; ``focus`` holds the IRIs
    of the model elements involved, most important first; ``source`` is filled from the rule's
    legal basis (citation text) by the validator; ``said`` is what the message says, for
    renderers in other languages.
    """

    rule: str
    severity: str
    message: str
    focus: tuple[str, ...] = ()
    source: tuple[str, ...] = field(default=(), compare=False)
    said: Said | None = field(default=None, compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"
