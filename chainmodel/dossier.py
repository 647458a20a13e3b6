"""What goes into a report and into a diagram: which analyses run, with which options.

This is the one place that composes the analyses for the two graphical outputs. It runs
them, turns their results into the dictionaries of :mod:`chainmodel.serialise`, and hands
plain data to the renderers (:mod:`chainmodel.report`, :mod:`chainmodel.diagram`), which
call no analysis themselves.

* :func:`report_data` is an audit (:func:`chainmodel.audit.audit`: validation, single points
  of failure, blast ranking) with the model's summary, its inventory, every duty's
  responsibility chains and every incident's timeline, under a title block (date, tool
  version, inputs with their SHA-256, language). A validation that stops with an error is
  recorded as failed (``validation.failed``), never left out. A model of more than
  :data:`PORTFOLIO_PARTIES` parties is a portfolio: the report then carries groups
  (:func:`chainmodel.overview.portfolio_groups`) and the full detail goes to a JSON file.
* :func:`diagram_data` draws the model (:mod:`chainmodel.drawing`, :mod:`chainmodel.layout`);
  for a portfolio it opens on an overview (:mod:`chainmodel.overview`).

The date is the only part that is not a function of the model: ``SOURCE_DATE_EPOCH`` when it
is set, else the ``date`` given, else today.

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.views import chain_view
>>> view = chain_view(load_model(["examples/case-b-optout"]))
>>> data = diagram_data(view, lang="ja", failure="https://example.org/chainmodel/case-b#h-report-nttdata-ldi")
>>> data["meta"]["mode"], len(data["nodes"]), sorted(data["highlighted"]["reached"])[0].rsplit("#")[1]
('case', 12, 'producer-jmimo')
"""

from __future__ import annotations

import datetime
import hashlib
import os
from pathlib import Path, PurePath

from .catalogue import require_language
from .errors import ArgumentError
from .views import ChainView

__all__ = ["report_data", "diagram_data", "compose_diagram", "report_date", "input_files", "PORTFOLIO_PARTIES",
           "BLAST_TOP"]

PORTFOLIO_PARTIES = 150
"""Past this many parties a model is a portfolio: the diagram opens on an overview, the report summarises."""

BLAST_TOP = 20
"""Entries of the blast-radius ranking a report lists (the JSON beside a portfolio's report holds them all)."""


# -- the diagram ------------------------------------------------------------------------------------


def _resolve(view: ChainView, name: str | None, among, what: str) -> str | None:
    return None if name is None else view.model.resolve(name, among=among, what=what)


def is_portfolio(parties: int, overview: bool | None) -> bool:
    """Whether a diagram opens on an overview: as asked, else when there are more than :data:`PORTFOLIO_PARTIES`."""
    return parties > PORTFOLIO_PARTIES if overview is None else overview


def diagram_data(view: ChainView, *, lang: str = "en", duty: str | None = None, principal: str | None = None,
                 failure: str | None = None, overview: bool | None = None) -> dict:
    """The nodes, edges, highlights, legend and options a diagram draws, in ``lang``.

    Parameters
    ----------
    view : ChainView
    lang : str
        ``"en"`` or ``"ja"``: every word of the tooltips, the legend and the panel.
    duty : str, optional
        A duty (IRI, prefixed name or label) whose responsibility chains are drawn thick.
    principal : str, optional
        Keep only the consignment chains that start at this principal.
    failure : str, optional
        An element whose single-point-of-failure leak path is drawn in red.
    overview : bool, optional
        Open on an overview of groups (True), draw every element (False); by default an
        overview for a model of more than :data:`PORTFOLIO_PARTIES` parties with no filter.

    Returns
    -------
    dict
        Plain, JSON-ready data; the same arguments always give the same data.

    Raises
    ------
    UnknownReference
        ``duty``, ``principal`` or ``failure`` is not in the model.
    """
    require_language(lang)
    from .describe import describe
    from .leaks import single_points_of_failure
    from .serialise import describe_json, inventory_json, leak_json, party_json, ref_json, trace_json
    from .trace import trace_all, trace_duty

    duty = _resolve(view, duty, view.duties, "duty")
    principal = _resolve(view, principal, view.parties, "principal")
    elements = (set(view.handoffs) | set(view.copies) | set(view.devices) | set(view.duties) | set(view.controls)
                | set(view.persons))  # a person fails as an insider
    failure = _resolve(view, failure, sorted(elements), "element")
    inventory = inventory_json(view)
    assets = {a["iri"]: a for a in describe_json(view, describe(view))["data_assets"]}
    leaks = [leak_json(view, leak) for leak in single_points_of_failure(view) if leak.element == failure] if failure else []
    trace = trace_json(view, trace_duty(view, duty, principal)) if duty else None
    wide = is_portfolio(len(view.parties), overview) and not (duty or principal or failure)
    traces = [trace_json(view, t) for t in trace_all(view)] if wide else []
    return compose_diagram(inventory, assets, lang, leaks=leaks, trace=trace, principal=party_json(view, principal),
                           failure=ref_json(view, failure), overview=wide, traces=traces)


def _options(large: bool) -> dict:
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"randomSeed": 7, "improvedLayout": False, "hierarchical": {"enabled": False}},
        "interaction": {"hover": not large, "tooltipDelay": 150, "hideEdgesOnDrag": large, "hideEdgesOnZoom": large,
                        "navigationButtons": False, "keyboard": False, "multiselect": False},
        "edges": {"smooth": False, "arrowStrikethrough": False, "selectionWidth": 2},
        "nodes": {"shadow": False},
    }


LARGE = 400
"""Past this many edges: edges hidden while dragging and zooming, no hover."""


def compose_diagram(inventory: dict, assets: dict[str, dict], lang: str, *, leaks: list[dict] | None = None,
                    trace: dict | None = None, principal: dict | None = None, failure: dict | None = None,
                    overview: bool = False, traces: list[dict] | None = None) -> dict:
    """:func:`diagram_data` from dictionaries only: select, draw, place, highlight, style, explain."""
    from .catalogue import say
    from .drawing import graph, highlights, legend, select, styled, summary
    from .layout import place
    from .phrases import name

    selection = select(inventory, principal["iri"] if principal else None, leaks)
    nodes, edges = graph(selection, assets, lang, brief=overview)
    for node in nodes:
        node["sort"] = name(node["ref"], lang)
    place(nodes, edges)
    lit = highlights(selection, edges, trace, {n["id"] for n in nodes})
    vis_nodes, vis_edges = styled(nodes, edges, lit, trace, lang)
    data = {
        "nodes": vis_nodes, "edges": vis_edges, "highlighted": lit, "options": _options(len(vis_edges) > LARGE),
        "summary": summary(lang, trace, principal, failure, leaks or []),
        "legend": legend(lang, {n["kind"] for n in nodes}, {e["kind"] for e in edges}, trace is not None,
                         failure is not None),
        "text": {key: say(f"diagram.{key}", lang) for key in ("title", "details", "details-hint", "elements")},
        "meta": {"lang": lang, "mode": "case", "duty": trace["duty"]["iri"] if trace else None,
                 "principal": principal["iri"] if principal else None, "failure": failure["iri"] if failure else None,
                 "nodeCount": len(vis_nodes), "edgeCount": len(vis_edges)},
    }
    if overview:
        from .overview import portfolio_view

        data = portfolio_view(data, nodes, edges, inventory, traces or [], lang, assets)
    return data


# -- the report -------------------------------------------------------------------------------------


def report_date(given: str | None = None) -> str:
    """The report's date, ``YYYY-MM-DD``: from ``SOURCE_DATE_EPOCH`` if set, else ``given``, else today (UTC).

    Raises
    ------
    ArgumentError
        ``SOURCE_DATE_EPOCH`` is not a whole number of seconds, or ``given`` is not a date.

    Examples
    --------
    >>> import os
    >>> os.environ["SOURCE_DATE_EPOCH"] = "1767225600"
    >>> report_date("1999-01-01")
    '2026-01-01'
    >>> del os.environ["SOURCE_DATE_EPOCH"]
    >>> report_date("2026-03-31")
    '2026-03-31'
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date().isoformat()
        except (ValueError, OverflowError, OSError):
            raise ArgumentError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970-01-01; "
                                "unset it or give a whole number") from None
    if given:
        try:
            return datetime.date.fromisoformat(given).isoformat()
        except ValueError:
            raise ArgumentError(f"--date {given!r} is not a date; write it as YYYY-MM-DD") from None
    return datetime.datetime.now(datetime.timezone.utc).date().isoformat()


def _sha256(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def input_files(sources: tuple[str, ...]) -> list[dict]:
    """Every input with its SHA-256, named relative to the folder all of them share (never a full path).

    A store or an endpoint is listed with no digest (``sha256`` None).

    >>> [f["name"] for f in input_files(("examples/case-a-laptop/model.ttl",))]
    ['model.ttl']
    """
    files = [Path(source) for source in sources]
    real = [path for path in files if path.is_file()]
    parents = [str(path.resolve().parent) for path in real]
    common = Path(os.path.commonpath(parents)) if parents else None
    found = []
    for path in files:
        if path.is_file() and common is not None:
            found.append({"name": PurePath(os.path.relpath(path.resolve(), common)).as_posix(), "sha256": _sha256(path)})
        else:
            found.append({"name": path.name or str(path), "sha256": None})
    return sorted(found, key=lambda f: f["name"])


def _audit(view: ChainView, workers: int | None) -> tuple[object, dict]:
    """The audit, and how validation went: ``{"ran": True, "failed": False}`` or the error it stopped with."""
    from .audit import Audit, audit
    from .blast import blast_rank
    from .leaks import single_points_of_failure

    try:
        return audit(view, workers=workers), {"failed": False, "error": None}
    except Exception as error:  # noqa: BLE001 - the report says validation failed, and with what
        message = f"{type(error).__name__}: {error}"
        result = Audit((), tuple(single_points_of_failure(view)), tuple(blast_rank(view)))
        return result, {"failed": True, "error": message}


def report_data(view: ChainView, lang: str = "en", *, date: str | None = None, version: str | None = None,
                workers: int | None = None, portfolio: bool | None = None) -> dict:
    """Everything the audit report says, as plain dictionaries (see the module docstring).

    Parameters
    ----------
    view : ChainView
    lang : str
        The report's language (recorded in the title block; the words are the renderer's).
    date : str, optional
        ``YYYY-MM-DD``; see :func:`report_date`.
    version : str, optional
        The tool version printed in the title block (by default the installed chainmodel's).
    workers : int, optional
        Processes for the audit (see :func:`chainmodel.audit.audit`).
    portfolio : bool, optional
        Summarise by groups (True) or list everything (False); by default a portfolio past
        :data:`PORTFOLIO_PARTIES` parties.

    Returns
    -------
    dict
        ``title``, ``validation``, ``audit`` (the shape of :func:`chainmodel.serialise.audit_json`),
        ``describe``, ``inventory``, ``traces``, ``timelines``, and for a portfolio ``groups``.

    Raises
    ------
    ArgumentError
        The date is not a date.
    """
    require_language(lang)
    from .audit import Audit
    from .describe import describe
    from .serialise import audit_json, describe_json, inventory_json, timeline_json, trace_json
    from .timeline import incidents, timeline
    from .trace import trace_all

    wide = is_portfolio(len(view.parties), portfolio)
    title = {"date": report_date(date), "version": version or _version(), "lang": lang,
             "inputs": input_files(tuple(view.model.sources)), "portfolio": wide}
    result, validation = _audit(view, workers)
    ranked = Audit(result.findings, result.leaks, result.blasts[:BLAST_TOP])
    title["blast_total"] = len(result.blasts)
    data = {
        "title": title, "validation": validation,
        "audit": audit_json(view, ranked),
        "describe": describe_json(view, describe(view)),
        "inventory": inventory_json(view),
        "traces": [trace_json(view, t) for t in trace_all(view)],
        "timelines": [timeline_json(view, timeline(view, iri)) for iri in incidents(view)],
    }
    data["audit"]["conforms"] = result.conforms and not validation["failed"]
    if wide:
        from .overview import portfolio_groups

        data["groups"] = portfolio_groups(data)
    return data


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("chainmodel")
    except PackageNotFoundError:  # run from a source tree that is not installed
        return "unknown"
