"""Write an output file safely: never through a symbolic link, never over an input, never over
an existing file unless asked, and never half: the bytes go to a temporary file beside the
target that replaces it only when complete.

Examples
--------
>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "out.ttl"
>>> write_output(target, b"<urn:a> <urn:b> <urn:c> .\\n").read_bytes()
b'<urn:a> <urn:b> <urn:c> .\\n'
>>> try:
...     write_output(target, b"again")
... except OutputRefused as error:
...     "exists" in str(error)
True
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable

from .errors import OutputRefused

__all__ = ["write_output", "check_output"]


def check_output(path: str | Path, force: bool = False, inputs: Iterable[str | Path] = ()) -> Path:
    """Check that ``path`` may be written, before any work is done.

    Raises
    ------
    OutputRefused
        ``path`` is a symbolic link, one of ``inputs``, a folder, in a folder that does not
        exist, or exists and ``force`` is false.
    """
    target = Path(path)
    if target.is_symlink():
        raise OutputRefused(f"{target} is a symbolic link; chainmodel never writes through one, name the real file")
    if target.is_dir():
        raise OutputRefused(f"{target} is a folder; name a file to write")
    if not target.parent.is_dir():
        raise OutputRefused(f"{target}: the folder {target.parent} does not exist; create it first")
    resolved = target.resolve()
    for given in inputs:
        if Path(given).resolve() == resolved:
            raise OutputRefused(f"{target} is an input; chainmodel never modifies an input, name another file")
    if target.exists() and not force:
        raise OutputRefused(f"{target} exists; give --force to replace it, or name another file")
    return target


def write_output(path: str | Path, data: bytes, force: bool = False, inputs: Iterable[str | Path] = ()) -> Path:
    """Write ``data`` to ``path`` atomically after :func:`check_output`; returns the path."""
    target = check_output(path, force, inputs)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # the permissions a plain open() would give
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        check_output(target, force, inputs)  # a link or file that appeared meanwhile is refused too
        os.replace(temporary, target)  # replaces a link itself, never the file it points to
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
