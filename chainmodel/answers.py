"""How a command's answer is shaped and leaves: filters, groups, ``--top``, ``--all``, formats.

Three formats, one answer:

* ``text`` (people): a summary, then the groups (the first :data:`TEXT_GROUPS` unless
  ``--top N`` or ``--all``), then the members when there are few (see
  :data:`chainmodel.text.MEMBERS_SHOWN`) or ``--all``;
* ``json`` (machines): one document with a table of terms (:mod:`chainmodel.jsondoc`), every
  group and every member unless ``--top N``;
* ``jsonl`` (machines, at scale): one record a line, written as it is made.

The filters (``--principal``, ``--party``, ``--tier``, ``--rule``, ``--severity``,
``--harm``) keep what concerns what they name, before anything is grouped or counted.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

import click

from .errors import ArgumentError
from .findings import HARM_KINDS, SEVERITIES
from .namespace import RULE

if TYPE_CHECKING:  # the analyses load when a command runs, not when the CLI starts
    from .portfolio import Filters
    from .serialise import Listing
    from .views import ChainView

__all__ = ["TEXT_GROUPS", "filter_options", "shape_options", "build_filters", "text_top", "write_listings",
           "write_plain", "json_lines", "listing_records"]

TEXT_GROUPS = 10
"""Groups the text shows of each section unless ``--top N`` or ``--all``."""

_FILTERS = {
    "principal": click.option("--principal", "f_principal", metavar="PARTY",
                              help="Keep what touches this principal (IRI, prefixed name or label)."),
    "party": click.option("--party", "f_party", metavar="PARTY",
                          help="Keep what involves this party or its organisation at any place."),
    "tier": click.option("--tier", "f_tier", type=click.IntRange(0),
                         help="Keep what sits at this tier (0 principals, 1 consignees, 2 and more below)."),
    "rule": click.option("--rule", "f_rule", metavar="RULE",
                         help="Keep the findings of this rule (its name, e.g. re-consignment-without-approval, or IRI)."),
    "severity": click.option("--severity", "f_severity", type=click.Choice(SEVERITIES),
                             help="Keep the findings of this severity."),
    "harm": click.option("--harm", "f_harm", type=click.Choice(HARM_KINDS), help="Keep the failures of this kind of harm."),
}


def filter_options(*names: str):
    """The filter options ``names`` (keys of the filters above), collected into one ``filters`` argument."""

    def decorate(function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            given = {name: kwargs.pop(f"f_{name}", None) for name in names}
            return function(*args, filters=given, **kwargs)

        for name in reversed(names):
            wrapper = _FILTERS[name](wrapper)
        return wrapper

    return decorate


def shape_options(function):
    """``--top N`` and ``--all``: how many groups and members a section shows."""
    function = click.option("--all", "show_all", is_flag=True,
                            help="Text: every group and every member (JSON always holds every member).")(function)
    return click.option("--top", type=click.IntRange(1), default=None,
                        help=f"Keep the first N groups of each section and their members (text shows {TEXT_GROUPS} "
                             "unless --all).")(function)


def _rule_iri(name: str) -> str:
    from .law import known_rules

    if "://" in name:
        return name
    local = name.removeprefix("rule:")
    iri = f"{RULE}{local}"
    if iri not in known_rules():
        listed = ", ".join(rule.removeprefix(str(RULE)) for rule in known_rules())
        raise ArgumentError(f"--rule {name!r}: no such rule; give one of {listed}, or a SHACL shape's IRI")
    return iri


def build_filters(chain_model, view: ChainView, given: dict) -> Filters:
    """The :class:`~chainmodel.portfolio.Filters` of the options given, names resolved to IRIs."""
    from .portfolio import Filters

    def party(value: str | None, what: str) -> str | None:
        return chain_model.resolve(value, among=view.parties, what=what) if value else None

    return Filters(principal=party(given.get("principal"), "principal"), party=party(given.get("party"), "party"),
                   tier=given.get("tier"), rule=_rule_iri(given["rule"]) if given.get("rule") else None,
                   severity=given.get("severity"), harm=given.get("harm"))


def text_top(top: int | None, show_all: bool, count: int) -> int | None:
    """How many groups the text keeps: ``--top``, else every one with ``--all`` or few members, else ten.

    >>> text_top(None, False, 5000), text_top(None, True, 5000), text_top(3, True, 5000), text_top(None, False, 8)
    (10, None, 3, None)
    """
    from .text import MEMBERS_SHOWN

    if top is not None:
        return top
    return None if show_all or count <= MEMBERS_SHOWN else TEXT_GROUPS


def write_listings(write: Callable[[str], None], command: str, view: ChainView, listings: list[Listing],
                   output_format: str, lang: str, render_text: Callable[[dict, str, bool], str], *,
                   top: int | None = None, show_all: bool = False, extra: dict | None = None) -> None:
    """Write grouped sections in ``output_format`` through ``write``.

    ``extra`` holds figures about the whole answer (an audit's conformance); it heads the
    document, closes the JSON Lines, and reaches the text renderer with the sections.
    """
    from .jsondoc import chunks
    from .serialise import listing_json, referring

    extra = extra or {}
    if output_format == "jsonl":
        streams = [stream for listing in listings for stream in listing_records(view, listing, top)]
        end = {**extra, **{listing.name: listing.header for listing in listings}}
        with referring(view) as table:  # entries are made with references, one by one as they are written
            for line in json_lines(command, streams, end, table):
                write(line)
    elif output_format == "json":
        with referring(view) as table:  # entries are made one by one as they are written, as in JSON Lines
            sections = {listing.name: listing_json(view, listing, top, form="streamed") for listing in listings}
            for piece in chunks(command, {**extra, **sections}, table):
                write(piece)
        write("\n")
    else:
        sections = {listing.name: listing_json(view, listing, text_top(top, show_all, len(listing.items)),
                                               form="deferred") for listing in listings}
        write(render_text({**extra, **sections}, lang, show_all))


def write_plain(write: Callable[[str], None], command: str, name: str, data, output_format: str, lang: str,
                render_text: Callable[[object, str], str], record: str) -> None:
    """Write an answer that is not grouped (a list of traces, a summary) in ``output_format``.

    In JSON Lines, each item of a list is one ``record`` record (a dictionary is one record).
    """
    from .jsondoc import document, dumps

    if output_format == "jsonl":
        items = data if isinstance(data, list) else [data]
        for line in json_lines(command, [(record, items)], {"count": len(items)}):
            write(line)
    elif output_format == "json":
        write(dumps(document(command, {name: data})) + "\n")
    else:
        write(render_text(data, lang))


def json_lines(command: str, sections: Iterable[tuple[str, Iterable[dict]]], end: dict | None = None,
               table=None) -> Iterator[str]:
    """JSON Lines: each record of :func:`chainmodel.jsondoc.records` as one line, as it is made."""
    from .jsondoc import dumps, records

    for record in records(command, sections, end, table):
        yield dumps(record) + "\n"


def listing_records(view: ChainView, listing: Listing, top: int | None) -> list[tuple[str, Iterable[dict]]]:
    """A section as JSON Lines record streams: its entries (made one by one), then its groups.

    Group members index the section's entry records in the order written.
    """
    from .serialise import group_json, keep_top

    kept, groups = keep_top(listing.groups, len(listing.items), top)
    entries = (listing.entry_json(view, listing.items[i]) for i in kept)
    grouped = (dict(group_json(view, listing.name, g), section=listing.name) for g in groups)
    return [(listing.record, entries), ("group", grouped)]
