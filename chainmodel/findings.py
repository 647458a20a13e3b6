"""Validation findings: what is wrong, where, and which rule and legal source say so.

Examples
--------
>>> finding = Finding("https://w3id.org/chainmodel/rule#consignment-cycle", "error",
...                   "consignments form a cycle", ("urn:c1", "urn:c2"))
>>> finding.is_error
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Finding", "SEVERITIES"]

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True, order=True)
class Finding:
    """One finding of ``validate``.

    ``rule`` is the IRI of a ``cm:Rule`` in ``ontologies/rules.ttl``; ``focus`` holds the IRIs
    of the model elements involved, most important first; ``source`` is filled from the rule's
    legal basis (citation text) by the validator.
    """

    rule: str
    severity: str
    message: str
    focus: tuple[str, ...] = ()
    source: tuple[str, ...] = field(default=(), compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"
