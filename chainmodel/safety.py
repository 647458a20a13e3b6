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

__all__ = ["forbid_network", "allow_endpoint", "NetworkRefused"]

_BLOCKED_EVENTS = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request", "socket.sendto"}
_installed = False
_allowed_hosts: set[str] = set()  # the one endpoint named on the command line, if any


class NetworkRefused(RuntimeError):
    """Raised inside the process when anything tries to reach the network."""


def _hook(event: str, args: tuple) -> None:
    if event in _BLOCKED_EVENTS:
        if event == "socket.connect" and len(args) > 1 and isinstance(args[1], str):
            return  # AF_UNIX paths (local IPC such as multiprocessing) are not network access
        if _allowed_hosts and _target_host(event, args) in _allowed_hosts:
            return
        raise NetworkRefused(f"network access refused ({event}): chainmodel never fetches anything")


def _target_host(event: str, args: tuple) -> str | None:
    if event == "socket.connect" and len(args) > 1 and isinstance(args[1], tuple):
        return str(args[1][0])
    if event in ("socket.getaddrinfo", "socket.gethostbyname") and args:
        return str(args[0])
    if event == "urllib.Request" and args:
        from urllib.parse import urlparse

        return urlparse(str(args[0])).hostname
    return None


def allow_endpoint(url: str) -> None:
    """Let the guard through to the host of the one SPARQL endpoint the user named."""
    import socket
    from urllib.parse import urlparse

    host = urlparse(url).hostname
    if host:
        _allowed_hosts.add(host)
        try:
            _allowed_hosts.update(info[4][0] for info in socket.getaddrinfo(host, None))
        except OSError:
            pass


def forbid_network() -> None:
    """Refuse every socket connection and URL request for the rest of this process."""
    global _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True
