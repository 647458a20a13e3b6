"""The ``chainmodel`` command line: a thin shell over the Python API.

Each command loads the model (all or nothing), runs one analysis, and prints text or
JSON. Exit codes: 0 success (for ``validate``: conforms); 1 ``validate`` found errors;
2 the input, an argument or an output cannot be read, used or written; 3 a query or
scenario ran out of time.

All text leaves through :func:`_write` (standard output), the error handler (standard
error) and :func:`_write_file` (``-o``): control, separator and bidirectional
characters are escaped there (:func:`chainmodel.escaping.terminal_safe`), a standard output
that cannot be written is exit 2 with a message, and a file is written whole under a
temporary name and put into place, never through a link, never over an input, and over an
existing file only with ``--force``.
"""

from __future__ import annotations

import functools
import gc
import logging
import math
import os
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

import click

from . import __version__
from .answers import filter_options, shape_options
from .errors import ChainModelError, OutputError
from .findings import HARM_KINDS
from .escaping import terminal_safe
from .model import ChainModel, load_model
from .progress import Progress
from .safety import DEFAULT_TIMEOUT, allow_endpoint, forbid_network
from .views import ChainView

__all__ = ["main", "cli"]

EPILOG = """\b
Exit codes: 0 success (validate, audit: the model conforms), 1 validate or
audit found error-severity findings, 2 the input, an argument or an output cannot be
read, used or written, or a query or scenario ran out of memory (the message names the
file, line or IRI), 3 a query or scenario ran past its time limit.
MODEL is any number of files or folders: Turtle (.ttl), TriG (.trig),
N-Triples (.nt), N-Quads (.nq), JSON-LD (.jsonld, .json), RDF/XML (.rdf, .owl,
.xml). chainmodel never fetches anything and never modifies an input file.
"""

@dataclass(frozen=True)
class ModelSource:
    """Where the model comes from: files and folders, an Oxigraph store, or an endpoint."""

    paths: tuple[Path, ...]
    store: str | None = None
    endpoint: str | None = None


def model_argument(function):
    """MODEL files, or --store oxigraph:DIR, or --endpoint URL (exactly one of the three)."""

    @functools.wraps(function)
    def wrapper(*args, model, store, endpoint, **kwargs):
        given = sum(bool(x) for x in (model, store, endpoint))
        if given != 1:
            raise click.UsageError("give the model as files or folders, or --store oxigraph:DIR, or --endpoint URL "
                                   "(exactly one)")
        return function(*args, model=ModelSource(tuple(model), store, endpoint), **kwargs)

    wrapper = click.option("--endpoint", metavar="URL",
                           help="Read the model from this SPARQL 1.1 endpoint (read-only).")(wrapper)
    wrapper = click.option("--store", metavar="oxigraph:DIR",
                           help="Read the model from an Oxigraph store made by 'chainmodel load'.")(wrapper)
    return click.argument("model", nargs=-1, type=click.Path(path_type=Path))(wrapper)


format_option = click.option("--format", "output_format", type=click.Choice(["text", "json", "jsonl"]), default="text",
                             show_default=True,
                             help="text for people; json: one document, each element once in its table of terms; "
                                  "jsonl: one record a line, written as it is found.")
def default_language() -> str:
    """``ja`` or ``en``: from CHAINMODEL_LANG, else LANG (ja_JP.UTF-8 and the like give ja), else en."""
    for name in ("CHAINMODEL_LANG", "LC_ALL", "LANG"):
        value = os.environ.get(name, "").strip().lower()
        if value:
            return "ja" if value.startswith("ja") else "en"
    return "en"


lang_option = click.option("--lang", type=click.Choice(["en", "ja"]), default=default_language,
                           show_default="CHAINMODEL_LANG, else LANG, else en",
                           help="Language of every word: labels, headings, messages, citations.")
force_option = click.option("--force", is_flag=True,
                            help="Replace an output file that exists (an input is never replaced).")


def _write(text: str, *, crlf: bool = False) -> None:
    """Write ``text`` to standard output, terminal-safe; OutputError when it cannot be written."""
    try:
        click.echo(terminal_safe(text, crlf=crlf), nl=False)
    except OSError as error:
        _silence_stdout()
        raise OutputError(f"standard output cannot be written ({error.strerror or error}); nothing more is "
                          "written. Check the disk or the program reading the output.") from None


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that flushing it at exit raises nothing more."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (a test runner's buffer)
        pass


def _emit(command: str, name: str, data, output_format: str, render: Callable[[object, str], str], lang: str,
          record: str) -> None:
    """Write an answer that is not grouped (see :func:`chainmodel.answers.write_plain`)."""
    from .answers import write_plain

    write_plain(_write, command, name, data, output_format, lang, render, record)


def _emit_listings(command: str, view: ChainView, listings, output_format: str, lang: str, render, *, top, show_all,
                   extra=None) -> None:
    """Write grouped sections (see :func:`chainmodel.answers.write_listings`)."""
    from .answers import write_listings

    write_listings(_write, command, view, listings, output_format, lang, render, top=top, show_all=show_all,
                   extra=extra)


def _write_file(path: Path, text: str, force: bool = False, inputs=()) -> None:
    """Write a text output file whole (see :mod:`chainmodel.outfiles`); a Markdown file is made
    terminal-safe like standard output."""
    from .outfiles import publish

    if path.suffix.lower() == ".md":
        text = terminal_safe(text)
    publish(path, lambda temporary: temporary.write_text(text, encoding="utf-8"), force, inputs)


_SIZE = re.compile(r"(?i)\s*(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib|t|tb|tib)?\s*")
_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3, "t": 1024 ** 4}


def _memory_size(context, parameter, value) -> int:
    """``--memory``: a size such as 2GiB, 512M or 1073741824 (bytes); units are powers of 1024."""
    found = _SIZE.fullmatch(str(value))
    if not found or float(found.group(1)) <= 0:
        raise click.BadParameter(f"{value!r} is not a size; write e.g. 2GiB, 512MiB or 1500M")
    return int(float(found.group(1)) * _UNITS[(found.group(2) or "")[:1].lower()])


def _seconds(context, parameter, value: float) -> float:
    """``--timeout``: a finite number of seconds above 0."""
    if not math.isfinite(value) or value <= 0:
        raise click.BadParameter(f"{value!r} is not a time limit; give a finite number of seconds above 0, e.g. 30")
    return value


timeout_option = click.option("--timeout", type=float, default=DEFAULT_TIMEOUT, show_default=True, callback=_seconds,
                              help="Seconds before the work is stopped (exit 3), parsing included.")
memory_option = click.option("--memory", default="2GiB", show_default=True, callback=_memory_size, metavar="SIZE",
                             help="Memory the work may use beyond the model, e.g. 512MiB or 4GiB (past it: exit 2).")


_RDFLIB_COMMANDS = frozenset({"query", "whatif", "export"})
"""Commands that query, edit or re-serialise the model files in rdflib: they read them into an
rdflib Graph. Every other command reads them into tables (chainmodel.tablegraph), many times
faster, with the same answers."""


def _model(source: ModelSource) -> ChainModel:
    from .endpoint import EndpointGraph
    from .snapshot import open_store
    from .store import read_prefixes

    if source.store:
        graph = open_store(source.store)
        return ChainModel(graph=graph, sources=(source.store,), prefixes=read_prefixes(source.store))
    if source.endpoint:
        allow_endpoint(source.endpoint)
        return ChainModel(graph=EndpointGraph(source.endpoint), sources=(source.endpoint,))
    context = click.get_current_context(silent=True)
    command = context.info_name if context is not None else None
    return load_model(list(source.paths), backend="rdflib" if command in _RDFLIB_COMMANDS else "tables")


def _progress() -> Progress:
    context = click.get_current_context(silent=True)
    quiet = bool(context and context.find_root().params.get("quiet"))
    return Progress(enabled=False if quiet else None)


def _load(source: ModelSource, validating: bool = False) -> tuple[ChainModel, ChainView]:
    progress = _progress()
    what = source.store or source.endpoint or f"{len(source.paths)} path(s)"
    progress.stage(f"reading the model from {what}")
    model = _model(source)
    statements = getattr(model.graph, "statements", None)  # tables count what they read without building them all
    progress.done(f"{statements:,} statements" if statements is not None else
                  f"{len(model.graph):,} triples" if not (source.store or source.endpoint) else "opened")
    has_saved = getattr(model.graph, "has_saved_view", None)
    if source.store and not (has_saved and has_saved()):
        progress.stage("no current view saved in the store (run 'chainmodel load' again to save one); "
                       "deriving the chain view from every triple")
    elif source.store:
        progress.stage("reading the chain view saved in the store")
    else:
        progress.stage("deriving the chain view (parties, consignments, tiers, hand-offs)")
    from .snapshot import chain_view

    view = chain_view(model, keep_scans=validating)
    progress.done(f"{len(view.parties):,} parties, {len(view.consignments):,} consignments, "
                  f"{len(view.handoffs):,} hand-offs")
    gc.freeze()  # the model lives as long as this process: the collector need not walk it again
    context = click.get_current_context(silent=True)
    if context is not None and gc.isenabled():
        # nor what the command builds from it (few cycles, and the command ends soon): at 10^6
        # triples the collector's walks took 40% of an audit. On again when the command is done.
        gc.disable()
        context.call_on_close(gc.enable)
    return model, view


class ChainModelGroup(click.Group):
    """Turns chainmodel errors into a one-line message and the documented exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ChainModelError as error:
            click.echo(terminal_safe(f"chainmodel: error: {error}", breaks=False) + "\n", err=True, nl=False)
            ctx.exit(error.exit_code)


@click.group(cls=ChainModelGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="chainmodel")
@click.option("--quiet", "-q", is_flag=True, help="No progress on stderr (it is shown only on a terminal anyway).")
def cli(quiet: bool) -> None:
    """Model outsourcing chains of personal data as RDF and find what fails in them.

    \b
    Start with the bundled founding cases:
      chainmodel describe examples/case-b-optout
      chainmodel trace examples/case-b-optout --duty "accepting and reporting opt-out requests"
      chainmodel leaks examples/case-a-laptop
      chainmodel validate examples/case-b-optout --lang ja

    \b
    Every command answers in the language of --lang, else CHAINMODEL_LANG, else LANG
    (ja_JP.UTF-8 gives Japanese). Shell completion (bash; zsh and fish alike):
      eval "$(_CHAINMODEL_COMPLETE=bash_source chainmodel)"
    """


@cli.command()
@model_argument
@format_option
@lang_option
@click.option("--no-shacl", is_flag=True, help="Skip the SHACL shapes; run only the chain rules.")
@click.option("--strict", is_flag=True, help="Make terms of other vocabularies that no analysis reads an error.")
@shape_options
@filter_options("principal", "party", "tier", "rule", "severity")
def validate(model, output_format, lang, no_shacl, strict, top, show_all, filters):
    """Check MODEL against the shapes and the chain rules, citing each rule's legal source.

    Structural rules: the shapes; a re-consignment's consignor is its parent's consignee;
    no consignment cycles; every reference resolves; no chainmodel term the ontology does
    not define (--strict: nor terms of other vocabularies that nothing reads). Legal rules:
    data held or passed on without a basis (APPI Art. 27(1)); sensitive data provided under
    the opt-out procedure (Art. 27(2) proviso); data kept after every basis
    ended (Art. 22), for certain or possibly, at the precision of the dates; re-consignment
    against a clause of the agreement (prohibited, prior approval required, only to named
    parties, within a country; data outside its country; deletion later than agreed);
    re-consignment without recorded approval (PPC General Guidelines 3-4-4); My Number
    Act Art. 10(1); sensitive data on an unprotected portable device; an account shared by
    several people that opens personal data; hand-offs with no
    acknowledgement; shares that exceed an asset's total. Findings are grouped by rule.
    Exit 1 when any finding has error severity (filters do not change the exit code).

    \b
    Examples:
      chainmodel validate examples/case-b-optout --lang ja
      chainmodel validate portfolio.nt --severity error --all
      chainmodel validate portfolio.nt --rule reconsignment-without-approval --format jsonl
    """
    from .answers import build_filters
    from .portfolio import filter_findings
    from .serialise import findings_listing
    from .text import findings_text
    from .validate import conforms, validate as run_validate

    chain_model, view = _load(model, validating=not no_shacl)
    wanted = build_filters(chain_model, view, filters)
    findings = run_validate(view, shacl=not no_shacl, strict=strict)
    verdict = conforms(findings)
    listing = findings_listing(view, filter_findings(view, findings, wanted) if wanted.active else findings, verdict)
    _emit_listings("validate", view, [listing], output_format, lang,
                   lambda data, lang, show_all: findings_text(data["findings"], lang, show_all),
                   top=top, show_all=show_all)
    sys.exit(0 if verdict else 1)


@cli.command()
@model_argument
@click.option("--duty", "duties", multiple=True,
              help="IRI, prefixed name (cm:..., ex:...) or unambiguous label (English or Japanese). Repeatable; all duties when omitted.")
@click.option("--principal", help="Keep only chains that start at this party (IRI, prefixed name or label).")
@format_option
@lang_option
def trace(model, duties, principal, output_format, lang):
    """Every responsibility chain of a duty: accountable party -> ... -> performer.

    For each chain: the consignments with their derived tiers and approval, the party
    at each end, and every supervisor on the way. Flags a duty entrusted through more
    than one chain, and one whose chains reach nobody who performs it.
    """
    from .serialise import trace_json
    from .text import trace_text
    from .trace import trace_duty

    chain_model, view = _load(model)
    wanted = [chain_model.resolve(d, among=view.duties, what="duty") for d in duties] or sorted(view.duties)
    party = chain_model.resolve(principal, among=view.parties, what="party") if principal else None
    data = [trace_json(view, trace_duty(view, duty, party)) for duty in wanted]
    _emit("trace", "traces", data, output_format, trace_text, lang, "trace")


@cli.command()
@model_argument
@format_option
@lang_option
def describe(model, output_format, lang):
    """Summarise MODEL so it can be checked against its sources.

    Parties by capacity, consignments by derived tier, duties with their IRIs, data
    assets with subject counts and sensitive categories, copies, controls and events.
    """
    from .describe import describe as run_describe
    from .serialise import describe_json
    from .text import describe_text

    _, view = _load(model)
    _emit("describe", "summary", describe_json(view, run_describe(view)), output_format, describe_text, lang, "summary")


@cli.command()
@model_argument
@click.option("--duty", help="Only failures in harms this duty takes part in.")
@format_option
@lang_option
@shape_options
@filter_options("principal", "party", "tier", "harm")
def leaks(model, duty, output_format, lang, top, show_all, filters):
    """Every single failure that on its own lets personal data leak, most exposed first.

    For each: the element and its failure modes, who operates it, who is accountable,
    the leak path flow by flow, the parties reached, the subjects and sensitive
    categories exposed, and the controls that exist but do not catch it, with why.
    They are grouped by harm, kind of element, operating consignee and tier; the text
    lists the groups, and every member when there are few of them or with --all.

    \b
    Examples:
      chainmodel leaks examples/case-a-laptop
      chainmodel leaks portfolio.nt --tier 2 --harm device-exposure --all
      chainmodel leaks portfolio.nt --principal "Hospital 117" --format json > leaks.json
    """
    from .answers import build_filters
    from .leaks import single_points_of_failure
    from .portfolio import filter_leaks
    from .serialise import leaks_listing
    from .text import leaks_text

    chain_model, view = _load(model)
    wanted = build_filters(chain_model, view, filters)
    duty_iri = chain_model.resolve(duty, among=view.duties, what="duty") if duty else None
    found = single_points_of_failure(view, duty_iri)
    listing = leaks_listing(view, filter_leaks(view, found, wanted) if wanted.active else found)
    _emit_listings("leaks", view, [listing], output_format, lang,
                   lambda data, lang, show_all: leaks_text(data["single_points_of_failure"], lang, show_all),
                   top=top, show_all=show_all)


@cli.command()
@model_argument
@click.option("--order", type=click.IntRange(1, 4), default=2, show_default=True,
              help="Largest cut set to list (1 = single points of failure).")
@click.option("--duty", help="Only harms this duty takes part in.")
@click.option("--harm", "harm_kind", type=click.Choice(HARM_KINDS), help="Only harms of this kind.")
@format_option
@lang_option
def cutsets(model, order, duty, harm_kind, output_format, lang):
    """Minimal cut sets of element and control failures, per guarded flow and protected asset.

    A cut set is a set of failures that together cause a harm; minimal when no part of
    it does. Order 1 are the single points of failure; an independent check that
    catches a failure in time raises it to order 2.
    """
    from .cutsets import minimal_cut_sets
    from .failures import iter_harms
    from .serialise import cutsets_json
    from .text import cutsets_text

    chain_model, view = _load(model)
    duty_iri = chain_model.resolve(duty, among=view.duties, what="duty") if duty else None
    data = [cutsets_json(view, harm, minimal_cut_sets(harm, order)) for harm in iter_harms(view)
            if (duty_iri is None or duty_iri in harm.duties) and (harm_kind is None or harm.kind == harm_kind)]
    _emit("cutsets", "harms", data, output_format, cutsets_text, lang, "harm")


@cli.command()
@model_argument
@click.option("--element", "-e", help="The compromised party, device, copy or data asset (IRI, prefixed name or label).")
@click.option("--rank", is_flag=True, help="Rank every party and device by what its compromise exposes.")
@format_option
@lang_option
@shape_options
@filter_options("principal", "party", "tier")
def blast(model, element, rank, output_format, lang, top, show_all, filters):
    """What the compromise of one party, device or asset exposes, and who must report it.

    Data exposed per accountable principal (subject counts, sensitive categories), the
    consignment chains the element sits in, and the reporting duties the exposure
    triggers (a consignee notifies its consignor; the accountable party reports to the
    regulator under APPI Art. 26), each with its rule. --rank lists the elements whose
    compromise exposes the most across all principals (concentration risk), grouped by
    kind and tier.
    """
    from .answers import build_filters
    from .blast import blast_radius, blast_rank
    from .portfolio import filter_blasts
    from .serialise import blast_listing
    from .text import blast_text

    if bool(element) == bool(rank):
        raise click.UsageError("give either --element ELEMENT or --rank")
    chain_model, view = _load(model)
    wanted = build_filters(chain_model, view, filters)
    if rank:
        results = blast_rank(view)
    else:
        candidates = set(view.parties) | set(view.devices) | set(view.copies) | set(view.assets)
        results = [blast_radius(view, chain_model.resolve(element, among=candidates, what="party, device or asset"))]
    results = filter_blasts(view, results, wanted) if wanted.active else results
    listing = blast_listing(view, results, "blast_rank" if rank else "blast")
    _emit_listings("blast", view, [listing], output_format, lang,
                   lambda data, lang, show_all: blast_text(data[listing.name], lang, show_all),
                   top=top, show_all=show_all)


@cli.command()
@model_argument
@click.option("--workers", type=click.IntRange(1, 2), default=None,
              help="Processes to use: validation runs beside the failure analysis (default: 2 on two cores or more).")
@click.option("--no-shacl", is_flag=True, help="Skip the SHACL shapes; run only the chain rules.")
@click.option("--strict", is_flag=True, help="Make terms of other vocabularies that no analysis reads an error.")
@format_option
@lang_option
@shape_options
@filter_options("principal", "party", "tier", "rule", "severity", "harm")
def audit(model, workers, no_shacl, strict, output_format, lang, top, show_all, filters):
    """The whole audit on one reading of MODEL: validate, leaks and blast --rank.

    The same findings, single points of failure and blast ranking as the three commands,
    each section grouped and summarised (JSON: "conforms", "findings",
    "single_points_of_failure", "blast_rank", each with "entries" and "groups").
    Validation runs in a second process while the failures are analysed. Exit 1 when any
    finding has error severity (filters do not change the exit code).

    \b
    Examples:
      chainmodel audit examples/case-a-laptop
      chainmodel audit portfolio.nt --top 5
      chainmodel audit portfolio.nt --format jsonl > audit.jsonl   # one record a line, as found
    """
    from .answers import build_filters
    from .audit import Audit, audit as run_audit
    from .portfolio import filter_blasts, filter_findings, filter_leaks
    from .serialise import audit_listings
    from .text import audit_text

    chain_model, view = _load(model)
    wanted = build_filters(chain_model, view, filters)
    result = run_audit(view, shacl=not no_shacl, workers=workers, strict=strict)
    verdict = result.conforms
    if wanted.active:
        result = Audit(tuple(filter_findings(view, result.findings, wanted)),
                       tuple(filter_leaks(view, result.leaks, wanted)), tuple(filter_blasts(view, result.blasts, wanted)))
    listings = audit_listings(view, result)
    listings[0] = replace(listings[0], totals={**listings[0].totals, "conforms": verdict})
    _emit_listings("audit", view, listings, output_format, lang, audit_text, top=top, show_all=show_all,
                   extra={"conforms": verdict})
    sys.exit(0 if verdict else 1)


@cli.command()
@click.option("--principals", type=click.IntRange(1), required=True, help="Principals in the model (about 69 triples each).")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same bytes.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write: .nt (streamed) or .ttl.")
@force_option
def generate(principals, seed, output, force):
    """Write a deterministic synthetic chain model with the structure of real ones.

    Principals consign to a shared, skewed pool of consignees; a share re-consigns, a
    smaller share re-re-consigns; opt-out style duties with monthly reports, guarded
    provisions, data assets with subject counts (some sensitive, some on portable
    devices), controls, and some approvals missing.
    """
    from .generate import write_model

    if output.suffix.lower() not in (".nt", ".ttl"):
        raise click.UsageError(f"{output}: generate writes .nt or .ttl files; name the file with one of them")
    from .outfiles import publish

    counted = []
    publish(output, lambda temporary: counted.append(write_model(temporary, principals, seed=seed)), force)
    click.echo(terminal_safe(f"wrote {counted[0]:,} triples to {output}"), err=True)


@cli.command()
@click.argument("model", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--store", metavar="oxigraph:DIR", required=True, help="The store to (re)build.")
@click.option("--quiet", is_flag=True, help="No progress on stderr.")
def load(model, store, quiet):
    """Load MODEL into an on-disk Oxigraph store, then use --store with every command.

    The store is built beside DIR (in DIR.loading) and swapped in only when every file has
    loaded, so an interrupted or failed load leaves DIR as it was. The store holds exactly
    MODEL: loading again replaces it. DIR must be a new or empty folder, or a store that
    chainmodel load built; anything else (a folder with other files, a file, '.', a folder
    that holds or lies inside an input) is refused with exit 2, and nothing that is not
    chainmodel's is ever deleted or renamed.

    The chain view is derived once here and saved in DIR (JSON files named chainmodel-*),
    so commands on the store start in seconds instead of reading every triple back. If the
    store is later written by another tool, or chainmodel is upgraded, commands notice and
    read the store itself (same answers, slower); load again to save a fresh view.
    """
    from .loading import model_files
    from .model import _prefixes_in
    from .snapshot import load_store
    from .store import STORE_PREFIX, store_folder

    if not store.startswith(STORE_PREFIX):
        raise click.UsageError(f"--store takes {STORE_PREFIX}DIR, not {store!r}")
    folder = store_folder(store)
    progress = Progress(enabled=False if quiet else None)
    progress.stage(f"loading into {store}")
    prefixes = _prefixes_in(model_files(list(model)))
    count = load_store(list(model), folder, progress=progress.stage, prefixes=prefixes)
    progress.done(f"{count:,} triples")
    if not quiet:
        click.echo(terminal_safe(f"{count:,} triples in {store}"), err=True)


def _list_named_queries(context: click.Context, _param, wanted: bool) -> None:
    """Eager --list: print the named queries before anything asks for a model."""
    if not wanted or context.resilient_parsing:
        return
    from .sparql import named_queries

    for key, named in sorted(named_queries().items()):
        click.echo(f"{key}: {named.title}")
    context.exit(0)


@cli.command()
@model_argument
@click.option("--query", "query_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A file with one read-only SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE).")
@click.option("--name", help="A named query shipped with chainmodel (see --list).")
@click.option("--list", is_flag=True, is_eager=True, expose_value=False, callback=_list_named_queries,
              help="List the named queries and exit (no model needed).")
@click.option("--format", "output_format", type=click.Choice(["table", "json", "csv", "tsv", "turtle", "ntriples"]),
              default="table", show_default=True, help="table for people; json/csv/tsv are the W3C result formats.")
@timeout_option
@memory_option
@click.option("--limit", type=click.IntRange(1), default=None,
              help="Return at most this many rows. In memory a SELECT is ordered in full first (the same rows every "
                   "run); on a store, Oxigraph's own order is kept and reading stops at the limit.")
@click.option("--excel", is_flag=True,
              help="With --format csv: start with a byte-order mark, so that a spreadsheet reads Japanese correctly.")
def query(model, query_file, name, output_format, timeout, memory, limit, excel):
    """Answer a read-only SPARQL query over MODEL.

    Updates, SERVICE, FROM and FROM NAMED are refused: nothing is fetched, nothing is
    read but the model. The query is checked, written back as canonical SPARQL and run as
    that text only, in a child process with --timeout and --memory that cannot open a
    network connection.

    \b
    Named queries for auditors (--name NAME; --list gives their titles):
      chains-per-duty            consignment chains per duty
      deep-tiers                 parties at tier 3 and below
      unapproved-reconsignments  re-consignments without recorded approval
      sensitive-data-per-party   who holds or receives sensitive data
      shared-consignees          consignees shared by the most principals
    """
    from .sparql import format_result, load_named_query, run_query

    if bool(query_file) == bool(name):
        raise click.UsageError("give either --query FILE or --name NAME (see --list)")
    if excel and output_format != "csv":
        raise click.UsageError("--excel only applies to --format csv: add --format csv, or leave out --excel")
    text = query_file.read_text(encoding="utf-8") if query_file else load_named_query(name).text
    from .store import as_rdflib

    chain_model = _model(model)
    if model.store:
        graph = chain_model.graph  # the query runs inside the store, in a child with the time limit
    else:
        graph = as_rdflib(chain_model.graph)
    if graph is None:
        raise click.UsageError(
            "the endpoint's model is too large to copy into memory for a hardened query; query the "
            "endpoint with its own tools and time limits")
    result = run_query(graph, text, timeout=timeout, limit=limit, memory=memory)
    text = format_result(result, output_format, chain_model.namespaces)
    _write(("\ufeff" if excel else "") + text, crlf=output_format == "csv")
    if result.truncated and output_format != "table":
        click.echo(f"chainmodel: the result was cut at {limit:,} rows (--limit)", err=True)


@cli.command()
@model_argument
@click.option("--scenario", "scenarios", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A SPARQL Update file (INSERT DATA, DELETE DATA, DELETE/INSERT WHERE). Repeatable.")
@click.option("--remove", "removals", multiple=True, metavar="ELEMENT",
              help="Scenario: remove an element (a sub-contractor, a hand-off, a copy) and every statement about it.")
@click.option("--add-report", "reports", multiple=True, nargs=3, metavar="SENDER RECEIVER DUTY",
              help="Scenario: add a monthly report from SENDER to RECEIVER serving DUTY.")
@click.option("--add-check", "checks", multiple=True, nargs=2, metavar="ELEMENT OPERATOR",
              help="Scenario: add a detective control run by OPERATOR that covers ELEMENT, tells OPERATOR "
                   "and detects within --check-latency.")
@click.option("--check-latency", default="P0D", show_default=True, metavar="DURATION",
              help="How long each --add-check takes to detect, an xsd:duration such as P0D, P7D or P1M; the "
                   "timeline then shows the exposure window it would have left.")
@click.option("--order", type=click.IntRange(1, 3), default=2, show_default=True, help="Cut-set order to compare.")
@timeout_option
@memory_option
@format_option
@lang_option
def whatif(model, scenarios, removals, reports, checks, check_latency, order, timeout, memory, output_format, lang):
    """Apply each scenario to its own in-memory copy of MODEL and show what changes.

    Single points of failure removed and added, cut-set orders, leak paths closed or
    opened, blast radius, validation findings and responsibility chains, side by side.
    Each --scenario, --remove, --add-report and --add-check is one scenario (the short
    options write the same SPARQL Update a scenario file would hold). The model files are
    never modified. Each scenario is checked and applied in a child process with --timeout
    and --memory that cannot open a network connection; SERVICE, LOAD and USING are refused.

    \b
    Example (case B: does LDI checking NTT DATA's report remove the single point?):
      chainmodel whatif examples/case-b-optout \\
        --add-check "NTT DATA's monthly opt-out report to consignee LDI" "consignee LDI"
    """
    from .whatif import Scenario, add_control, add_handoff, compare, load_scenario, remove_element
    from .whatif_json import whatif_json
    from .whatif_text import whatif_text

    bounds = {"timeout": timeout, "memory": memory}
    chain_model = _in_memory(_model(model))
    built = [load_scenario(path, **bounds) for path in scenarios]
    built += [Scenario.from_text(remove_element(chain_model, element), **bounds) for element in removals]
    built += [Scenario.from_text(add_handoff(sender, receiver, duty, cadence="P1M", model=chain_model), **bounds)
              for sender, receiver, duty in reports]
    built += [Scenario.from_text(add_control([element], operator, notifies=operator, latency=check_latency,
                                             model=chain_model), **bounds)
              for element, operator in checks]
    if not built:
        raise click.UsageError("give at least one --scenario FILE, --remove, --add-report or --add-check")
    report = compare(chain_model, built, order=order, **bounds)
    _emit("whatif", "comparison", whatif_json(report, chain_model), output_format, whatif_text, lang, "comparison")


def _in_memory(chain_model: ChainModel) -> ChainModel:
    """A what-if needs a copy to edit: bring a store or endpoint model into memory."""
    from .store import SHACL_LIMIT, as_rdflib

    graph = as_rdflib(chain_model.graph)
    if graph is None:
        raise click.UsageError(
            f"the model in the store or endpoint has more than {SHACL_LIMIT:,} triples, too many to copy into "
            "memory for a what-if; run whatif on the model's files instead, or on a store of a smaller extract")
    return ChainModel(graph=graph, sources=chain_model.sources, prefixes=chain_model.prefixes)


@cli.command()
@model_argument
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="FILE.html: the interactive page (self-contained, works offline); FILE.svg: the same picture, "
                   "drawn by the same layout, for print or a document.")
@click.option("--duty", help="Highlight this duty's responsibility chains (IRI, prefixed name or label).")
@click.option("--principal", help="Keep only this principal's chains.")
@click.option("--failure", help="Highlight the leak path of this element's failure and the parties it reaches.")
@click.option("--overview/--no-overview", default=None,
              help="Open on an overview of groups (principals by the consignees they share, consignees by tier; "
                   "a click opens a group, a search box finds a party), or draw every element. Default: an "
                   "overview past 150 parties, unless --duty, --principal or --failure narrows the picture.")
@lang_option
@force_option
def diagram(model, output, duty, principal, failure, overview, lang, force):
    """Draw MODEL as one self-contained interactive HTML file (works offline) or a static SVG."""
    from .diagram import page, svg
    from .dossier import diagram_data

    _, view = _load(model)
    data = diagram_data(view, lang=lang, duty=duty, principal=principal, failure=failure, overview=overview)
    _write_file(output, svg(data) if output.suffix.lower() == ".svg" else page(data), force, model.paths)


@cli.command()
@model_argument
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="FILE.html (the diagram embedded: interactive on screen, a static SVG on paper) or FILE.md "
                   "(the diagram written beside it as FILE.diagram.html and linked).")
@click.option("--date", metavar="YYYY-MM-DD",
              help="The date printed in the title block. SOURCE_DATE_EPOCH, when set, wins; without either, "
                   "today. Everything else in the report follows from the model, byte for byte.")
@click.option("--portfolio/--no-portfolio", default=None,
              help="Summarise by groups with their counts and worst members, the full detail in FILE.json beside "
                   "the report and the full diagram in FILE.diagram.html (default: past 150 parties), or list "
                   "every element.")
@lang_option
@force_option
def report(model, output, date, portfolio, lang, force):
    """Write the audit report: title block, findings and single points of failure first, then blast
    ranking, reporting duties, incident timelines, responsibility chains and the inventory.

    Exit 2, after writing it, when validation stopped with an error: the report says so.
    """
    from .diagram import overview_only, page
    from .dossier import diagram_data, report_data, report_date
    from .outfiles import check_output
    from .report import render_html, render_markdown

    report_date(date)  # a bad date is refused before the model is read
    check_output(output, force, model.paths)
    _, view = _load(model, validating=True)
    data = report_data(view, lang, date=date, version=__version__, portfolio=portfolio)
    wide = data["title"]["portfolio"]
    drawing = diagram_data(view, lang=lang, overview=wide)
    beside = {}
    if wide:
        from .jsondoc import document, dumps

        beside[check_output(output.with_suffix(".json"), force, model.paths)] = dumps(document("report", data)) + "\n"
    markdown = output.suffix.lower() == ".md"
    if markdown or wide:
        beside[check_output(output.with_suffix(".diagram.html"), force, model.paths)] = page(drawing)
    detail = output.with_suffix(".json").name if wide else None
    picture = output.with_suffix(".diagram.html").name
    for path, text in beside.items():
        _write_file(path, text, force, model.paths)
    if markdown:
        text = render_markdown(data, picture, detail=detail)
    else:
        text = render_html(data, overview_only(drawing) if wide else drawing, detail=detail,
                           picture=picture if wide else None)
    _write_file(output, text, force, model.paths)
    if data["validation"]["failed"]:
        raise ChainModelError(f"validation stopped with an error ({data['validation']['error']}); the report "
                              f"{output.name} says so. Run 'chainmodel validate' on the model to see it.")


def _say(lang: str, en: str, ja: str) -> str:
    return ja if lang == "ja" else en


def _ledger_errors(lang: str):
    """Re-raise a ledger error so that its message is in ``lang``."""
    from contextlib import contextmanager

    from .errors import LedgerError

    @contextmanager
    def guard():
        try:
            yield
        except LedgerError as error:
            raise ChainModelError(error.text(lang)) from None

    return guard()


@cli.command("import")
@click.argument("ledger", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="The Turtle file to write (.ttl).")
@click.option("--base", metavar="IRI", help="Base IRI of the elements' IRIs, e.g. https://example.org/our-ledger# "
              "(default: 'Base IRI' on the workbook's About sheet).")
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists (never through a symbolic link).")
@lang_option
def import_command(ledger, output, base, force, lang):
    """Read a ledger (委託先管理台帳: .xlsx, or .csv sheets) and write the model it describes.

    One row per consignment; headers in English or Japanese; several sheets (parties,
    consignments, duties, data, devices, copies, hand-offs, controls, events, ...) or one
    flat sheet. IRIs come from --base and the rows' IDs or names, so a re-import of an
    edited ledger changes only what changed. Nothing is written unless every row is read.
    """
    from .ledger import import_ledger, model_turtle
    from .loading import read_file
    from .outfiles import check_output, write_output

    check_output(output, force, ledger)
    if output.suffix.lower() != ".ttl":
        raise click.UsageError(_say(lang, f"{output}: import writes Turtle; name the output file with .ttl",
                                    f"{output}：import は Turtle を書き出す。出力ファイル名は .ttl にすること"))
    with _ledger_errors(lang):
        built = import_ledger(ledger, base)
    text = model_turtle(built, ledger)
    for en, ja in built.notes:
        click.echo(f"chainmodel: {_say(lang, en, ja)}", err=True)
    write_output(output, text.encode("utf-8"), force, ledger)
    read_file(output)  # what was written reads back (a failure here is a bug: report it)
    click.echo(_say(lang, f"wrote {len(built.graph):,} statements to {output}",
                    f"{output} に {len(built.graph):,} 件の記述を書き出した"), err=True)


EXPORT_FORMATS = ("prov", "sarif", "graphml", "dot")


@cli.command()
@model_argument
@click.option("--ledger", "ledger_path", type=click.Path(path_type=Path),
              help="Write the model as a ledger workbook (.xlsx) with computed columns.")
@click.option("--to", "target", type=click.Choice(EXPORT_FORMATS),
              help="Write the model for other tools: prov (PROV-O + DPV Turtle), sarif (validate and audit findings, "
                   "SARIF 2.1.0), graphml or dot (the chain graph).")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="The file to write with --to.")
@click.option("--base", metavar="IRI", help="With --ledger: the base IRI IDs are written under (default: the "
              "namespace most elements share).")
@click.option("--force", is_flag=True, help="Replace the output if it exists (never through a symbolic link).")
@lang_option
def export(model, ledger_path, target, output, base, force, lang):
    """Write MODEL as a ledger (--ledger OUT.xlsx) or for other tools (--to FORMAT -o FILE).

    \b
    --ledger   the columns 'chainmodel import' reads, plus tier, single points of
               failure at the consignee, exposure per principal and findings per row;
               importing it gives back the same model
    --to prov  PROV-O delegations and DPV roles and processing records (with the
               chainmodel terms PROV-O and DPV lack): read back, every analysis agrees
    --to sarif validate and audit findings for code-review and CI tools
    --to graphml, --to dot  parties as nodes, consignments as edges (tier, approval)
    """
    from .outfiles import check_output, write_output

    if bool(ledger_path) == bool(target):
        raise click.UsageError("give either --ledger OUT.xlsx or --to FORMAT -o FILE")
    if target and not output:
        raise click.UsageError("--to needs -o FILE")
    path = ledger_path or output
    inputs = list(model.paths)
    check_output(path, force, inputs)
    chain_model, view = _load(model, validating=True)
    if ledger_path:
        from .ledger import export_ledger

        data = export_ledger(view, base, lang, chain_model.sources)
    else:
        from .export import export_bytes

        data = export_bytes(target, view, lang=lang, sources=chain_model.sources)
    write_output(path, data, force, inputs)


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
@lang_option
def init(folder, lang):
    """Start a model in FOLDER: a small commented model.ttl and an empty ledger.xlsx.

    The ledger has every sheet and column, headers in the chosen language, and a notes
    sheet explaining each column. FOLDER must be new or empty.
    """
    from .ledger.starting import init_folder

    for path in init_folder(folder, lang):
        click.echo(_say(lang, f"wrote {path}", f"{path} を書き出した"), err=True)


@cli.command()
@model_argument
@click.option("--incident", "-i", help="Only this incident (IRI, prefixed name or label); every incident by default.")
@format_option
@lang_option
def timeline(model, incident, output_format, lang):
    """The timeline of each incident in MODEL, from its dated events.

    The exposure window (from when the data became reachable to when it stopped being:
    recovered, deleted, provision stopped; not when it was found), when each party came to
    know and how long after, each report to a regulator placed against its deadline under
    PPC Rules Art. 8 (met, missed by how many days, or cannot be judged, with the rule
    cited), and the window each detective control would have left had it worked as stated.
    """
    from .serialise import timeline_json
    from .timeline import incidents, timeline as run_timeline
    from .timeline_text import render_all

    chain_model, view = _load(model)
    chosen = [chain_model.resolve(incident, among=view.incidents, what="incident")] if incident else incidents(view)
    data = [timeline_json(view, run_timeline(view, iri)) for iri in chosen]
    _emit("timeline", "incidents", data, output_format, render_all, lang, "incident")


def main() -> None:
    """Console-script entry point: no network for the rest of the process, then the CLI.

    rdflib logs a warning with a traceback for each literal it cannot convert (an ill-typed
    number in a model someone sent); chainmodel reports ill-typed literals itself, so those
    logs are silenced.
    """
    forbid_network()
    logging.getLogger("rdflib").setLevel(logging.ERROR)
    try:
        cli(prog_name="chainmodel")
    finally:
        try:
            sys.stdout.flush()
        except OSError:
            _silence_stdout()


if __name__ == "__main__":  # pragma: no cover
    main()
