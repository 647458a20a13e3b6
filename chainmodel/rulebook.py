"""How a rule check is written: a function over the view that says what it finds.

A check is a small function named after its rule. It takes the view and yields
``(focus, said)`` pairs: the IRIs of the elements involved, most important first, and what
to say about them, as a catalogue entry with its values (:class:`~chainmodel.findings.Said`)
or, for the oldest checks, English text. The :func:`rule` decorator turns them into
:class:`~chainmodel.findings.Finding` objects whose severity, legal sources and advice come
from ``ontologies/rules.ttl``.

Examples
--------
>>> from chainmodel.findings import Said, ref
>>> @rule("consignment-cycle")
... def always(view):
...     yield ("urn:c1",), Said("finding.consignment-cycle", (("consignments", ("refs", ("urn:c1",))),))
>>> always.rule
'https://w3id.org/chainmodel/rule#consignment-cycle'
"""

from __future__ import annotations

import functools
from typing import Callable, Iterable

from .catalogue import render, say
from .findings import Finding, Said
from .law import rule_info
from .namespace import RULE
from .views import ChainView, Consignment

__all__ = ["rule", "Check", "name_of", "names_of", "consignment_name", "capitalised", "same_org_note",
           "english_message"]

Check = Callable[[ChainView], list[Finding]]
"""A rule check: a view in, the rule's findings out."""


def name_of(view: ChainView, iri: str | None) -> str:
    """``"label" <iri>``, or ``<iri>`` when the element has no label (how English messages name things)."""
    if not iri:
        return "(not stated)"
    label = view.model.label(iri)
    if label in (iri, view.model.qname(iri)):
        return f"<{iri}>"
    return f'"{label}" <{iri}>'


def names_of(view: ChainView, iris: Iterable[str]) -> str:
    return ", ".join(name_of(view, iri) for iri in iris)


def consignment_name(view: ChainView, consignment: Consignment) -> str:
    if consignment.implicit:
        return (f"the consignment from {name_of(view, consignment.consignor)} to "
                f"{name_of(view, consignment.consignee)} (stated by cm:consignsTo or prov:actedOnBehalfOf)")
    return f"consignment {name_of(view, consignment.iri)}"


def capitalised(text: str) -> str:
    """Upper-case the first letter only (``str.capitalize`` would lower-case labels and IRIs)."""
    return text[:1].upper() + text[1:]


def same_org_note(view: ChainView, party: str | None, other: str | None) -> str:
    """A note when two different parties are capacities of (or are) the same organisation."""
    if party and other and party != other and view.org(party) == view.org(other):
        return (f" They belong to the same organisation {name_of(view, view.org(party))}, but each capacity "
                "is a separate party: the exact party must match.")
    return ""


def english_message(view: ChainView, said: Said, advice: str) -> str:
    """The whole English message of a finding: what it says, then the advice."""
    body = capitalised(render(said.key, said.values, "en", lambda iri: name_of(view, iri)))
    tip = say(said.advice, "en") if said.advice else advice
    return f"{body} {tip}".strip()


def rule(name: str) -> Callable[[Callable[[ChainView], Iterable[tuple[tuple[str, ...], Said | str]]]], Check]:
    """Make a rule check out of a function that yields ``(focus, said)`` pairs.

    Parameters
    ----------
    name : str
        The rule's local name in the ``rule:`` namespace (``"consignment-cycle"``).

    Returns
    -------
    callable
        A decorator. The decorated function returns a list of :class:`Finding` whose
        severity and sources come from ``rules.ttl`` and whose message is the text followed
        by the rule's advice; its ``rule`` attribute holds the rule IRI.
    """
    iri = str(RULE[name])

    def decorate(check: Callable[[ChainView], Iterable[tuple[tuple[str, ...], Said | str]]]) -> Check:
        @functools.wraps(check)
        def run(view: ChainView) -> list[Finding]:
            info = rule_info(iri)
            found = []
            for focus, said in check(view):
                if isinstance(said, Said):
                    message, kept = english_message(view, said, info.advice), said
                else:
                    message, kept = f"{said} {info.advice}".strip(), None
                found.append(Finding(rule=iri, severity=info.severity, message=message, focus=tuple(focus),
                                     source=info.sources, said=kept))
            return found

        run.rule = iri  # type: ignore[attr-defined]
        return run

    return decorate
