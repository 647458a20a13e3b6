"""Text that is safe to show in a terminal or a Markdown viewer.

Labels, IRIs and file names come from models written by someone else. A label holding
ESC can recolour or rewrite an auditor's terminal, BEL rings it, a carriage return hides
what came before it on the line, and a bidirectional override (U+202A-U+202E,
U+2066-U+2069) makes text read in another order than it is stored. :func:`terminal_safe`
writes every such character as a visible ``\\uXXXX``. The command line applies it where
text leaves the program (standard output, standard error and the Markdown report), so
no renderer can forget it.

The escape has the same meaning inside JSON and Turtle strings, the only places such
characters can stand in those formats, so JSON output stays valid and means the same.

Examples
--------
>>> terminal_safe("NTT\\x1b[31m DATA\\u202e")
'NTT\\\\u001B[31m DATA\\\\u202E'
>>> terminal_safe("tabs\\tand\\nlines stay")
'tabs\\tand\\nlines stay'
"""

from __future__ import annotations

import html
import re

__all__ = ["terminal_safe", "markup_safe", "is_unsafe", "UNSAFE_CHARACTERS"]

_CONTROLS_BUT_CR = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 and C1 controls and DEL, but tab, LF and CR
_FORMATTING = (
    "\u2028\u2029"                                    # line and paragraph separators
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidirectional marks, embeddings, overrides, isolates
)
UNSAFE_CHARACTERS = _CONTROLS_BUT_CR + "\r" + _FORMATTING
"""A regular-expression character class (without brackets) of what :func:`terminal_safe` escapes."""

_UNSAFE = re.compile(f"[{UNSAFE_CHARACTERS}]")
_UNSAFE_OR_BREAK = re.compile(f"[{UNSAFE_CHARACTERS}\t\n]")
_UNSAFE_BUT_CRLF = re.compile(f"\r(?!\n)|[{_CONTROLS_BUT_CR}{_FORMATTING}]")


def _escape(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04X}"


def is_unsafe(char: str) -> bool:
    """Whether one character is escaped by :func:`terminal_safe` (tab and line feed are not).

    Examples
    --------
    >>> is_unsafe("\\x07"), is_unsafe("\\u2067"), is_unsafe("あ")
    (True, True, False)
    """
    return bool(_UNSAFE.fullmatch(char))


def terminal_safe(text: str, *, breaks: bool = True, keep: str = "", crlf: bool = False) -> str:
    """Write control, separator and bidirectional characters of ``text`` as ``\\uXXXX``.

    Parameters
    ----------
    text : str
        Any text on its way to a terminal or a Markdown file.
    breaks : bool, default True
        Keep tabs and line feeds (the layout of multi-line output). With False they are
        escaped too (for one cell or one line).
    keep : str, optional
        Further characters to leave as they are.
    crlf : bool, default False
        Keep a carriage return that comes before a line feed (CSV's line ends); a carriage
        return anywhere else is still escaped.

    Returns
    -------
    str
        The text, unchanged when it held nothing to escape.

    Examples
    --------
    >>> terminal_safe("a\\rb\\u2066c")
    'a\\\\u000Db\\\\u2066c'
    >>> terminal_safe("one\\ncell", breaks=False)
    'one\\\\u000Acell'
    """
    pattern = _UNSAFE if breaks else _UNSAFE_OR_BREAK
    if crlf:
        pattern = _UNSAFE_BUT_CRLF if breaks else re.compile(f"{_UNSAFE_BUT_CRLF.pattern}|[\t\n]")
    if keep:
        return pattern.sub(lambda m: m.group() if m.group() in keep else _escape(m), text)
    return pattern.sub(_escape, text)


def markup_safe(text, quotes: bool = True) -> str:
    """Text from a model made safe for HTML and SVG: markup escaped, and control, separator and
    bidirectional characters written as ``\\uXXXX`` (XML cannot hold most of them at all).

    Examples
    --------
    >>> markup_safe("<b>NTT\\x1b DATA</b>")
    '&lt;b&gt;NTT\\\\u001B DATA&lt;/b&gt;'
    """
    return html.escape(terminal_safe(str(text)), quotes)

