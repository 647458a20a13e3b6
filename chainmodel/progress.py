"""Progress on stderr for long work: what stage, how far, how long.

Shown only when stderr is a terminal and the user did not ask for quiet; silent in pipes,
so machine-read output stays clean.

Examples
--------
>>> import io
>>> stream = io.StringIO()
>>> progress = Progress(stream=stream, enabled=True, clock=iter([0.0, 1.5]).__next__)
>>> progress.stage("loading 2 files")
>>> progress.done("12,345 triples")
>>> stream.getvalue()
'chainmodel: loading 2 files ...\\nchainmodel: loading 2 files: 12,345 triples (1.5 s)\\n'
"""

from __future__ import annotations

import sys
import time
from typing import Callable, TextIO

from .escaping import terminal_safe

__all__ = ["Progress"]


class Progress:
    """Reports stages as they start and finish, with the time each took."""

    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.clock = clock
        self._current: tuple[str, float] | None = None

    def stage(self, text: str) -> None:
        """A stage starts."""
        self._current = (text, self.clock())
        self._write(f"{text} ...")

    def done(self, result: str = "done") -> None:
        """The current stage ends, with what it produced."""
        if self._current is None:
            return
        text, started = self._current
        self._write(f"{text}: {result} ({self.clock() - started:.1f} s)")
        self._current = None

    def _write(self, line: str) -> None:
        if self.enabled:  # file names come from folders someone else made: escape what drives a terminal
            print(terminal_safe(f"chainmodel: {line}", breaks=False), file=self.stream, flush=True)
