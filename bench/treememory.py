"""The memory of a process and every process below it, sampled while a benchmark runs (Linux).

A process's proportional set size (PSS) counts the pages it shares with others in shares, so the
PSS of a parent and the worker it forked add up to what they take together, shared pages once.
Used by ``endtoend.py`` (a command and its children) and ``bench_analyses.py`` (this process
and its workers).
"""

from __future__ import annotations

import threading

__all__ = ["pss_kib", "process_tree", "TreeMemory"]


def pss_kib(pid: int) -> int:
    """The proportional set size of a process in KiB; 0 when it has gone (or on another system)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as stream:
            for line in stream:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def process_tree(pid: int) -> list[int]:
    """The process and every process below it."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            with open(f"/proc/{current}/task/{current}/children", encoding="ascii") as stream:
                todo.extend(int(child) for child in stream.read().split())
        except OSError:
            pass
    return found


class TreeMemory:
    """Samples the summed PSS of a process tree until stopped; :meth:`stop` gives the peak in MiB.

    ``interval`` is the seconds between samples, ``slow_interval`` those once the tree takes more
    than 1 GiB (reading a large process's page map slows it down: sampling a 4 GB process five
    times a second cost it about 9 s).
    """

    def __init__(self, pid: int, interval: float = 0.25, slow_interval: float = 1.0) -> None:
        self.pid, self.peak_kib = pid, 0
        self._intervals = (interval, slow_interval)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            total = sum(pss_kib(pid) for pid in process_tree(self.pid))
            self.peak_kib = max(self.peak_kib, total)
            self._stop.wait(self._intervals[total > 1024 * 1024])

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak_kib / 1024
