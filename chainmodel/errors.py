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
    "ArgumentError",
    "SetupError",
    "LedgerError",
    "OutputRefused",
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


class LedgerError(InputError):
    """A ledger (spreadsheet) cannot be read; names the file, sheet, row and column, in English and Japanese.

    ``str(error)`` is English; ``error.text("ja")`` is Japanese. ``header`` is the column's
    (English, Japanese) header and ``letter`` its spreadsheet letter.

    Examples
    --------
    >>> error = LedgerError("ledger.xlsx", "委託", 5, ("Consignee", "委託先"), "C", "no party named 'X'", "当事者「X」がない")
    >>> str(error)
    "ledger.xlsx, sheet 委託, row 5, column C (Consignee): no party named 'X'"
    >>> error.text("ja")
    'ledger.xlsx、シート 委託、5行、C列（委託先）：当事者「X」がない'
    """

    def __init__(self, file: str, sheet: str | None, row: int | None, header: tuple[str, str], letter: str,
                 en: str, ja: str):
        self.file, self.sheet, self.row, self.header, self.letter = file, sheet, row, tuple(header), letter
        self.en, self.ja = en, ja
        super().__init__(self.text("en"))

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` ("en" or "ja"), with where it is."""
        if lang == "ja":
            where = [self.file] + ([f"シート {self.sheet}"] if self.sheet else []) + ([f"{self.row}行"] if self.row else [])
            if self.letter or self.header[1]:
                where.append(f"{self.letter}列" + (f"（{self.header[1]}）" if self.header[1] else ""))
            return "、".join(where) + "：" + self.ja
        where = [self.file] + ([f"sheet {self.sheet}"] if self.sheet else []) + ([f"row {self.row}"] if self.row else [])
        if self.letter or self.header[0]:
            where.append(f"column {self.letter}" + (f" ({self.header[0]})" if self.header[0] else ""))
        return ", ".join(where) + ": " + self.en

    def __reduce__(self):  # picklable, like the other errors with arguments of their own
        return type(self), (self.file, self.sheet, self.row, self.header, self.letter, self.en, self.ja)


class OutputRefused(ChainModelError):
    """An output file exists (and --force was not given), or is a symbolic link; nothing was written."""


class ArgumentError(ChainModelError):
    """A value given to a function or command is out of its range; the message says which are accepted."""


class SetupError(ChainModelError):
    """chainmodel's installation lacks something it needs (a package, a shipped file); reinstall it."""
class ScenarioTimeout(ScenarioError):
    """A what-if scenario ran past its time limit (the same exit code as a query's)."""

    exit_code = 3


class LimitExceeded(ChainModelError):
    """Work stopped at a bound: the memory allowance of a query or scenario, a response too
    large, an input nested too deeply."""


class OutputError(ChainModelError):
    """An output cannot be written: the folder is missing, the file exists or is a link, the
    disk is full, or the reader of standard output went away."""
