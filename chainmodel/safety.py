"""A process-wide guard that stops any network access from the command line tool.

The CLI calls :func:`forbid_network` before it reads a model: whatever a model, a
query or a library does, no socket is opened and no URL is fetched. Audit hooks cannot be
removed, so the library never installs it by itself; call it in your own program if you
want the same guarantee. (CPython documents audit hooks as a guard rail, not a sandbox:
chainmodel's parsers and query checks refuse remote content first; this is the second line.)

Examples
--------
>>> import subprocess, sys
>>> code = "from chainmodel.safety import forbid_network; forbid_network(); import socket; socket.create_connection(('192.0.2.1', 80))"
>>> "network access refused" in subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stderr
True
"""

from __future__ import annotations

import sys

__all__ = ["forbid_network", "NetworkRefused"]

_BLOCKED_EVENTS = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request", "socket.sendto"}
_installed = False


class NetworkRefused(RuntimeError):
    """Raised inside the process when anything tries to reach the network."""


def _hook(event: str, args: tuple) -> None:
    if event in _BLOCKED_EVENTS:
        if event == "socket.connect" and len(args) > 1 and isinstance(args[1], str):
            return  # AF_UNIX paths (local IPC such as multiprocessing) are not network access
        raise NetworkRefused(f"network access refused ({event}): chainmodel never fetches anything")


def forbid_network() -> None:
    """Refuse every socket connection and URL request for the rest of this process."""
    global _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True
