"""One exception hierarchy for chainmodel, with the exit code each maps to.

Exit codes (documented in README.md and ``chainmodel --help``):

* 0: success; for ``validate``, the model conforms.
* 1: the model was read, but ``validate`` found findings of error severity.
* 2: the input cannot be read or used: a file that does not parse or is refused,
  a reference (duty, party, element) that does not resolve, a scenario or query
  that is malformed or forbidden.
* 2 also: an output cannot be written (a missing folder, an existing file, a full disk, a
  closed pipe), or a query or scenario ran out of its memory allowance.
* 3: a query or what-if scenario ran past its time limit.

Examples
--------
>>> try:
...     raise ParseError("model.ttl", 3, "unexpected end of file")
... except ChainModelError as error:
...     (error.exit_code, str(error))
(2, 'model.ttl, line 3: unexpected end of file')
"""

from __future__ import annotations

__all__ = [
    "ChainModelError",
    "InputError",
    "ParseError",
    "RefusedInput",
    "ResolutionError",
    "UnknownReference",
    "AmbiguousReference",
    "ScenarioError",
    "QueryRefused",
    "QueryTimeout",
    "ScenarioTimeout",
    "LimitExceeded",
    "OutputError",
]


class ChainModelError(Exception):
    """Base of every error chainmodel raises on purpose."""

    exit_code = 2


class InputError(ChainModelError):
    """A model file cannot be read: missing, unknown format, or unparseable."""


class ParseError(InputError):
    """A file does not parse; names the file and, where known, the line."""

    def __init__(self, path: str, line: int | None, message: str):
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}, line {line}" if line else path
        super().__init__(f"{where}: {message}")

    def __reduce__(self):  # picklable, so a worker process can hand it back
        return type(self), (self.path, self.line, self.message)


class RefusedInput(InputError):
    """A file asks for something chainmodel never does (fetch a URL, read another file)."""

    def __init__(self, path: str, line: int | None, message: str):
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}, line {line}" if line else path
        super().__init__(f"{where}: refused: {message}")

    def __reduce__(self):  # picklable, so a worker process can hand it back
        return type(self), (self.path, self.line, self.message)


class ResolutionError(ChainModelError):
    """A name given on the command line or in the API does not pick out one element."""


class UnknownReference(ResolutionError):
    """No element matches the name."""


class AmbiguousReference(ResolutionError):
    """Several elements match the name."""


class ScenarioError(ChainModelError):
    """A what-if scenario cannot be applied; the model is left as it was."""


class QueryRefused(ChainModelError):
    """A SPARQL query is not read-only or would reach outside the model."""


class QueryTimeout(ChainModelError):
    """A SPARQL query ran past its time limit."""

    exit_code = 3


class ScenarioTimeout(ScenarioError):
    """A what-if scenario ran past its time limit (the same exit code as a query's)."""

    exit_code = 3


class LimitExceeded(ChainModelError):
    """Work stopped at a bound: the memory allowance of a query or scenario, a response too
    large, an input nested too deeply."""


class OutputError(ChainModelError):
    """An output cannot be written: the folder is missing, the file exists or is a link, the
    disk is full, or the reader of standard output went away."""
