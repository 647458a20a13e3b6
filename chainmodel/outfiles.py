"""Write an output file safely: never through a symbolic link, never over an input, never over
an existing file unless asked (``--force``), and never half: the bytes go to a temporary file
beside the target, which is linked into place (a new file: it fails if anything, a link
included, appeared there meanwhile) or renamed over it (``force``: a link at the target is
replaced itself, never the file it points to) only when complete.

Examples
--------
>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "out.ttl"
>>> write_output(target, b"<urn:a> <urn:b> <urn:c> .\\n").read_bytes()
b'<urn:a> <urn:b> <urn:c> .\\n'
>>> try:
...     write_output(target, b"again")
... except OutputError as error:
...     "exists" in str(error)
True
>>> write_output(target, b"again", force=True).read_bytes()
b'again'
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable, Iterable

from .errors import OutputError

__all__ = ["write_output", "check_output", "publish"]


def check_output(path: str | Path, force: bool = False, inputs: Iterable[str | Path] = ()) -> Path:
    """Check that ``path`` may be written, before any work is done.

    Raises
    ------
    OutputError
        ``path`` is a symbolic link, one of ``inputs`` (or inside an input folder), a folder,
        in a folder that does not exist, or exists and ``force`` is false.
    """
    target = Path(path)
    if target.is_symlink():
        raise OutputError(f"{target} is a symbolic link; chainmodel never writes through one, name the real file")
    if target.is_dir():
        raise OutputError(f"{target} is a folder; name a file to write")
    if not target.parent.is_dir():
        raise OutputError(f"{target}: the folder {target.parent} does not exist; create it first or choose another "
                          "place")
    resolved = target.resolve()
    for given in inputs:
        source = Path(given).resolve()
        if source == resolved or (source.is_dir() and source in resolved.parents):
            raise OutputError(f"{target} is an input; chainmodel never modifies an input, name another file")
    if target.exists() and not force:
        raise OutputError(f"{target} exists; give --force to replace it, or name another file")
    return target


def publish(path: str | Path, write: Callable[[Path], object], force: bool = False,
            inputs: Iterable[str | Path] = ()) -> Path:
    """Have ``write`` fill a temporary file beside ``path``, then put it in place; returns the path.

    Raises
    ------
    OutputError
        As :func:`check_output`, or the file cannot be written (disk full, no permission).
    """
    inputs = tuple(inputs)
    target = check_output(path, force, inputs)
    try:
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=f".part{target.suffix}")
        os.close(handle)
    except OSError as error:
        raise OutputError(f"{target}: cannot be written ({error.strerror or error})") from None
    temporary = Path(name)
    try:
        write(temporary)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)  # the permissions a plain open() would give
        check_output(target, force, inputs)  # a link or file that appeared meanwhile is refused too
        if force:
            os.replace(temporary, target)
        else:
            _link(temporary, target)
    except OSError as error:
        raise OutputError(f"{target}: cannot be written ({error.strerror or error})") from None
    finally:
        temporary.unlink(missing_ok=True)
    return target


def _link(temporary: Path, path: Path) -> None:
    try:
        os.link(temporary, path)  # fails if anything, a link included, is at path
    except FileExistsError:
        raise OutputError(f"{path} exists; give --force to replace it, or name another file") from None
    except OSError:  # a file system without hard links: create exclusively, never following a link
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
        with os.fdopen(handle, "wb") as target, open(temporary, "rb") as source:
            while block := source.read(1 << 20):
                target.write(block)


def write_output(path: str | Path, data: bytes, force: bool = False, inputs: Iterable[str | Path] = ()) -> Path:
    """Write ``data`` to ``path`` with :func:`publish`; returns the path."""
    return publish(path, lambda temporary: temporary.write_bytes(data), force, inputs)
