"""Guards against network access, and the bounded sandbox in which queries and scenarios run.

Two lines of defence live here.

:func:`forbid_network` is a process-wide guard: the CLI calls it before it reads a model,
so whatever a model, a query or a library does, no socket is opened from Python and no URL
is fetched. Audit hooks cannot be removed, so the library never installs it by itself;
call it in your own program if you want the same guarantee. (CPython documents audit
hooks as a guard rail, not a sandbox: chainmodel's parsers and query checks refuse remote
content first.)

:func:`run_bounded` runs one piece of work (a query, a what-if scenario) in a child process
forked from this one, and returns its JSON answer. The child gets:

* a deadline: it is killed when ``timeout`` seconds have passed, parsing included;
* a memory allowance: its address space is limited (``RLIMIT_AS``) to what it had when it
  was forked plus ``memory`` bytes, so a query that doubles a string thirty times stops
  with :class:`~chainmodel.errors.LimitExceeded` instead of taking the machine;
* on Linux x86_64 and aarch64, a seccomp filter installed before anything is parsed:
  ``socket()`` fails with ``EACCES`` for every address family but ``AF_UNIX``, and so does
  ``io_uring_setup``. Native code (Oxigraph's HTTP client) cannot open a connection at all;
  the filter checks the architecture, and on x86_64 refuses the x32 system-call ABI. On any
  other platform (macOS, other CPUs) the filter is not available and the child relies on
  the audit hook alone, which native code does not pass through;
* an audit hook that refuses ``socket.connect``, ``urllib.Request`` and the other network
  events (the same events as :func:`forbid_network`, without exceptions).

Examples
--------
>>> run_bounded(lambda: {"answer": 6 * 7}, timeout=10.0)
{'answer': 42}
>>> import socket
>>> def reach_out():
...     socket.socket(socket.AF_INET, socket.SOCK_STREAM)
>>> run_bounded(reach_out, timeout=10.0)
Traceback (most recent call last):
...
chainmodel.errors.QueryRefused: the query tried to reach the network (socket.__new__) and was stopped; chainmodel reads only the model.
"""

from __future__ import annotations

import ctypes
import errno
import json
import math
import multiprocessing
import os
import platform
import signal
import sys
from typing import Any, Callable

from . import errors
from .errors import ChainModelError, LimitExceeded, QueryRefused, QueryTimeout

__all__ = ["forbid_network", "allow_endpoint", "NetworkRefused", "run_bounded", "check_bounds",
           "seccomp_available", "DEFAULT_TIMEOUT", "DEFAULT_MEMORY"]

DEFAULT_TIMEOUT = 30.0
"""Seconds a query or scenario may run, parsing included."""

DEFAULT_MEMORY = 2 * 1024 ** 3
"""Bytes of address space a query or scenario may add to what the process had (2 GiB)."""

_BLOCKED_EVENTS = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request", "socket.sendto"}
_SANDBOX_EVENTS = frozenset(_BLOCKED_EVENTS | {
    "socket.gethostbyaddr", "socket.sendmsg", "http.client.connect", "ftplib.connect", "smtplib.connect",
})
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


# ---------------------------------------------------------------------------- the sandbox

_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_SECCOMP_RET_ALLOW = 0x7FFF0000
_SECCOMP_RET_ERRNO = 0x00050000
_X32_SYSCALL_BIT = 0x40000000
_AF_UNIX = 1
_SYSCALLS = {  # machine: (AUDIT_ARCH_*, __NR_socket, __NR_io_uring_setup)
    "x86_64": (0xC000003E, 41, 425),
    "aarch64": (0xC00000B7, 198, 425),
}
# struct seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6]
_NR_OFFSET, _ARCH_OFFSET, _ARG0_OFFSET = 0, 4, 16
_LD_ABS, _JEQ, _JSET, _RET = 0x20, 0x15, 0x45, 0x06  # BPF_LD|BPF_W|BPF_ABS, BPF_JMP|BPF_JEQ|BPF_K, ...|BPF_JSET|..., BPF_RET|BPF_K


class _SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


def seccomp_available() -> bool:
    """Whether this platform gets the seccomp filter (Linux on x86_64 or aarch64, little-endian).

    Examples
    --------
    >>> isinstance(seccomp_available(), bool)
    True
    """
    return sys.platform.startswith("linux") and platform.machine() in _SYSCALLS and sys.byteorder == "little"


def _filter_program(machine: str) -> list[tuple[int, int, int, int]]:
    """The BPF program: (code, jump if true, jump if false, constant) per instruction."""
    arch, socket_nr, io_uring_nr = _SYSCALLS[machine]
    deny = _SECCOMP_RET_ERRNO | errno.EACCES
    program = [
        (_LD_ABS, 0, 0, _ARCH_OFFSET),
        (_JEQ, 1, 0, arch),                   # another ABI (i386 on x86_64, arm32 on aarch64): deny all
        (_RET, 0, 0, deny),
        (_LD_ABS, 0, 0, _NR_OFFSET),
    ]
    if machine == "x86_64":
        program += [(_JSET, 0, 1, _X32_SYSCALL_BIT), (_RET, 0, 0, deny)]  # the x32 ABI
    program += [
        (_JEQ, 0, 1, io_uring_nr),
        (_RET, 0, 0, deny),
        (_JEQ, 1, 0, socket_nr),
        (_RET, 0, 0, _SECCOMP_RET_ALLOW),
        (_LD_ABS, 0, 0, _ARG0_OFFSET),        # socket(family, ...): the family's low 32 bits
        (_JEQ, 0, 1, _AF_UNIX),
        (_RET, 0, 0, _SECCOMP_RET_ALLOW),
        (_RET, 0, 0, deny),
    ]
    return program


def _install_seccomp() -> bool:
    """Install the filter in this process (for good); False where the platform lacks it."""
    if not seccomp_available():
        return False
    program = [_SockFilter(code, jt, jf, k) for code, jt, jf, k in _filter_program(platform.machine())]
    instructions = (_SockFilter * len(program))(*program)
    fprog = _SockFprog(len(program), instructions)
    libc = ctypes.CDLL(None, use_errno=True)
    prctl = libc.prctl
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    if prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    return prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(fprog), 0, 0) == 0


def _limit_memory(allowance: int) -> None:
    """Limit this process's address space to its present size plus ``allowance`` bytes."""
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as stream:
            present = int(stream.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = present + allowance
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError):  # no /proc (macOS) or no RLIMIT_AS: no limit
        pass


class _Blocked(RuntimeError):
    """Raised by the child's audit hook."""


def _quiet_stderr() -> None:
    """Send the child's standard error to /dev/null: what native code prints as it fails (an
    allocation that hit the limit) is reported through the answer instead."""
    try:
        import faulthandler

        faulthandler.disable()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    except OSError:
        pass


def _enter_sandbox(memory: int, attempts: list[str]) -> None:
    """Everything the child does before it touches its input."""
    _quiet_stderr()
    _limit_memory(memory)
    _install_seccomp()

    def deny(event: str, args: tuple) -> None:
        if event in _SANDBOX_EVENTS or (event == "socket.__new__" and len(args) > 1 and args[1] != _AF_UNIX):
            attempts.append(event)
            raise _Blocked(f"{event} is blocked in chainmodel's sandbox")

    sys.addaudithook(deny)
    try:
        import rdflib.plugins.sparql

        rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
    except ImportError:  # pragma: no cover - rdflib is a dependency
        pass


def _error_payload(error: BaseException) -> dict:
    if isinstance(error, ChainModelError):
        payload = {"error": "chainmodel", "kind": type(error).__name__, "message": str(error)}
        if hasattr(error, "path") and hasattr(error, "line"):
            payload.update(path=error.path, line=error.line, message=error.message)
        return payload
    if isinstance(error, MemoryError):
        return {"error": "memory"}
    if isinstance(error, RecursionError):
        return {"error": "nesting"}
    return {"error": "failed", "message": f"{type(error).__name__}: {error}"}


def _child(sender, work: Callable[[], Any], memory: int) -> None:  # pragma: no cover - runs in the fork
    attempts: list[str] = []
    try:
        _enter_sandbox(memory, attempts)
        payload = {"value": work()}
    except BaseException as error:  # everything goes back to the parent as data
        payload = _error_payload(error)
    if attempts:
        payload = {"error": "network", "message": attempts[0]}
    try:
        data = json.dumps(payload, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    except MemoryError:
        data = b'{"error":"memory"}'
    except (TypeError, ValueError) as error:
        data = json.dumps({"error": "failed", "message": f"the answer cannot be sent: {error}"}).encode("ascii")
    sender.send_bytes(data)
    sender.close()


def _fork_context():
    try:
        return multiprocessing.get_context("fork")
    except ValueError:
        raise ChainModelError("running a query or scenario needs the 'fork' start method, which this "
                              "platform lacks; run chainmodel on Linux or macOS") from None


def check_bounds(timeout: float, memory: int) -> None:
    """Raise ChainModelError unless ``timeout`` is a finite number of seconds above 0 and
    ``memory`` a whole number of bytes above 0.

    Examples
    --------
    >>> check_bounds(float("inf"), DEFAULT_MEMORY)
    Traceback (most recent call last):
    ...
    chainmodel.errors.ChainModelError: the timeout must be a finite number of seconds above 0, not inf
    """
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not math.isfinite(timeout) \
            or timeout <= 0:
        raise ChainModelError(f"the timeout must be a finite number of seconds above 0, not {timeout!r}")
    if isinstance(memory, bool) or not isinstance(memory, int) or memory <= 0:
        raise ChainModelError(f"the memory allowance must be a whole number of bytes above 0, not {memory!r}")


def _receive(process, receiver, timeout: float) -> bytes | None:
    """The child's answer, None when it died without one; raises TimeoutError at the deadline."""
    if not receiver.poll(timeout):
        raise TimeoutError
    try:
        return receiver.recv_bytes()
    except EOFError:
        return None


def _raise_child_error(payload: dict, what: str, memory: int, refused: type) -> None:
    error = payload["error"]
    mib = memory // (1024 * 1024)
    if error == "chainmodel":
        cls = getattr(errors, str(payload.get("kind")), ChainModelError)
        if not (isinstance(cls, type) and issubclass(cls, ChainModelError)):
            cls = ChainModelError
        if "path" in payload:
            raise cls(payload["path"], payload["line"], payload["message"])
        raise cls(payload["message"])
    if error == "memory":
        raise LimitExceeded(f"{what} ran out of its memory allowance of {mib:,} MiB and was stopped; narrow it "
                            "(bind more variables, add LIMIT) or allow more with --memory")
    if error == "nesting":
        raise refused(f"{what} is nested too deeply to be read or run; flatten it or split it")
    if error == "network":
        raise refused(f"{what} tried to reach the network ({payload.get('message')}) and was stopped; "
                      "chainmodel reads only the model.")
    raise ChainModelError(f"{what} failed while it ran: {payload.get('message')}")


def run_bounded(work: Callable[[], Any], *, timeout: float = DEFAULT_TIMEOUT, memory: int = DEFAULT_MEMORY,
                what: str = "the query", timeout_error: type = QueryTimeout,
                refused: type = QueryRefused) -> Any:
    """Run ``work()`` in a sandboxed child forked from this process and return its answer.

    Parameters
    ----------
    work : callable
        Called with no argument in the child; returns something JSON can carry. Whatever it
        needs (a graph, a query) it reaches through its closure: the fork shares this
        process's memory copy-on-write, so nothing is pickled.
    timeout : float
        Seconds before the child is killed, the fork included.
    memory : int
        Bytes of address space the child may add to what it had when forked.
    what : str
        How messages name the work ("the query", "scenario s.ru").
    timeout_error, refused : exception classes
        What to raise at the deadline, and when the work tried to reach the network or
        recursed too deeply.

    Returns
    -------
    object
        ``work()``'s value, after a round trip through JSON.

    Raises
    ------
    ChainModelError
        Whatever chainmodel error the work raised (same class and message); ``timeout_error``
        at the deadline; :class:`~chainmodel.errors.LimitExceeded` when the child ran out of
        memory or died without an answer; ``refused`` as above.

    Examples
    --------
    >>> run_bounded(lambda: sorted({3, 1, 2}), timeout=10.0, memory=256 * 1024 ** 2)
    [1, 2, 3]
    """
    check_bounds(timeout, memory)
    context = _fork_context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, work, memory), name="chainmodel-sandbox", daemon=True)
    data = None
    try:
        process.start()
        sender.close()
        data = _receive(process, receiver, timeout)
    except TimeoutError:
        raise timeout_error(
            f"{what} ran past its time limit of {timeout:g} s and was stopped. Narrow it (bind more "
            "variables, avoid patterns that share no variable, add LIMIT) or allow more time with --timeout."
        ) from None
    finally:
        if data is not None:
            process.join(2.0)
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()
    if data is None:
        code = process.exitcode
        how = f"signal {signal.Signals(-code).name}" if code is not None and code < 0 else f"exit code {code}"
        raise LimitExceeded(
            f"{what} ended without an answer ({how}); most likely it went past its memory allowance of "
            f"{memory // (1024 * 1024):,} MiB. Narrow it or allow more with --memory."
        )
    payload = json.loads(data)
    if "error" in payload:
        _raise_child_error(payload, what, memory, refused)
    return payload["value"]
