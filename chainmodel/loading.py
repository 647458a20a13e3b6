"""Read model files into one RDF graph, all or nothing, without ever leaving the files.

Every file is parsed with pyoxigraph (it reports the line of a syntax error and never
fetches a JSON-LD context) into a list first; only when every file has parsed are the
triples put into the graph, so a failure leaves nothing behind. Before parsing, a file
is refused when it asks for something chainmodel never does: an XML DOCTYPE or entity
declaration, a JSON-LD context given by address, or (after parsing) an ``owl:imports``
of an ontology that is not among the inputs.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "m.ttl").write_text("<urn:a> <urn:b> <urn:c> .")
>>> graph = load_graph([folder / "m.ttl"])
>>> len(graph)
1
"""

from __future__ import annotations

import gc
import json
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, XSD

from .errors import InputError, ParseError, RefusedInput

__all__ = ["FORMATS", "model_files", "read_file", "load_graph", "ParsedFile", "paused_gc"]

FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}
"""File endings chainmodel reads, and the format each is parsed as."""

CHAINMODEL_ONTOLOGY = "https://w3id.org/chainmodel"
_RDF_LANG_STRING = str(RDF.langString)
_XSD_STRING = str(XSD.string)
_XML_DECLARATIONS = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_LINE_IN_MESSAGE = re.compile(r"line (\d+)")


@contextmanager
def paused_gc():
    """Pause Python's cyclic garbage collector while building long-lived structures.

    Loading a model creates millions of objects that all live on; each collection would
    walk every one of them again. The collector is restored as it was, whatever happens.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True)
class ParsedFile:
    """The triples of one file, in rdflib terms, and the ontologies it declares and imports."""

    path: Path
    triples: tuple
    ontologies: frozenset
    imports: tuple


def model_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files and folders into the sorted list of model files to read.

    A folder contributes every file below it whose ending is in ``FORMATS``; a file named
    directly must have such an ending.
    """
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FORMATS)
            if not inside:
                raise InputError(
                    f"{given}: the folder holds no model file (endings read: {', '.join(sorted(FORMATS))})"
                )
            found.extend(inside)
        elif path.is_file():
            if path.suffix.lower() not in FORMATS:
                raise InputError(
                    f"{given}: unknown file ending {path.suffix!r}; name the file with one of "
                    f"{', '.join(sorted(FORMATS))}"
                )
            found.append(path)
        else:
            raise InputError(f"{given}: no such file or folder; check the path (folders are read recursively)")
    if not found:
        raise InputError("no model file given: name one or more model files or folders")
    unique: list[Path] = []
    for path in found:
        if path not in unique:
            unique.append(path)
    return unique


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _refuse_xml_declarations(path: Path, data: bytes) -> None:
    match = _XML_DECLARATIONS.search(data)
    if match:
        raise RefusedInput(
            str(path),
            _line_of(data, match.start()),
            f"<!{match.group(1).decode()} ...> declaration; chainmodel does not expand XML "
            "entities or read DTDs. Remove the declaration and write the values out in full.",
        )


def _context_addresses(node) -> Iterable[str]:
    """Yield every context given by address (string) anywhere in a JSON-LD document."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                contexts = value if isinstance(value, list) else [value]
                for context in contexts:
                    if isinstance(context, str):
                        yield context
                    elif isinstance(context, dict) and isinstance(context.get("@import"), str):
                        yield context["@import"]
            yield from _context_addresses(value)
    elif isinstance(node, list):
        for item in node:
            yield from _context_addresses(item)


def _refuse_remote_contexts(path: Path, data: bytes) -> None:
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        line = getattr(error, "lineno", None)
        raise ParseError(str(path), line, f"not valid JSON: {error}") from None
    for address in _context_addresses(document):
        offset = data.find(address.encode())
        raise RefusedInput(
            str(path),
            _line_of(data, offset) if offset >= 0 else None,
            f"JSON-LD context {address!r} is given by address; chainmodel never fetches or "
            "reads a context. Put the context inline as a JSON object.",
        )


def _to_rdflib(term, file_tag: str, blank_names: dict[str, BNode]):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        # pyoxigraph gives anonymous nodes ([ ]) random ids: number them in order of appearance
        name = blank_names.get(term.value)
        if name is None:
            name = blank_names[term.value] = BNode(f"{file_tag}b{len(blank_names)}")
        return name
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype in (_XSD_STRING, _RDF_LANG_STRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise InputError(f"unsupported RDF term {term!r}: RDF-star triples are not read; write the statement about a statement with a node of its own")


def read_file(path: Path, file_tag: str = "f0") -> ParsedFile:
    """Parse one model file into rdflib triples, refusing what would reach outside it.

    Blank nodes are renamed ``{file_tag}b{n}``, numbered in order of appearance, so files
    never share one by accident and the names stay the same from run to run.
    """
    rdf_format = FORMATS.get(path.suffix.lower())
    if rdf_format is None:
        raise InputError(f"{path}: unknown file ending {path.suffix!r}")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot be read: {error.strerror or error}; check that the file exists and is readable") from None
    if rdf_format == ox.RdfFormat.RDF_XML:
        _refuse_xml_declarations(path, data)
    if rdf_format == ox.RdfFormat.JSON_LD:
        _refuse_remote_contexts(path, data)
    triples = []
    blank_names: dict[str, BNode] = {}
    try:
        for quad in ox.parse(data, rdf_format):
            triples.append(
                (
                    _to_rdflib(quad.subject, file_tag, blank_names),
                    _to_rdflib(quad.predicate, file_tag, blank_names),
                    _to_rdflib(quad.object, file_tag, blank_names),
                )
            )
    except SyntaxError as error:
        message = str(error.msg if hasattr(error, "msg") else error)
        line = error.lineno
        if line is None:
            found = _LINE_IN_MESSAGE.search(message)
            line = int(found.group(1)) if found else None
        hint = ""
        if "relative" in message.lower() or "base" in message.lower():
            hint = " (chainmodel resolves no relative IRI: write absolute IRIs or add @base)"
        raise ParseError(str(path), line, message + hint) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise ParseError(str(path), None, str(error)) from None
    ontologies = frozenset(s for s, p, o in triples if p == RDF.type and o == OWL.Ontology)
    imports = tuple(o for s, p, o in triples if p == OWL.imports)
    return ParsedFile(path, tuple(triples), ontologies, imports)


def load_graph(paths: Sequence[str | Path], graph: Graph | None = None) -> Graph:
    """Read every model file into ``graph`` (a new one by default), or raise and add nothing.

    Raises
    ------
    InputError
        A path is missing or has an unknown ending.
    ParseError
        A file does not parse; the error names the file and line.
    RefusedInput
        A file asks to fetch or read something else (XML entities, a JSON-LD context by
        address, an ``owl:imports`` of an ontology not among the inputs).
    """
    files = model_files(paths)
    with paused_gc():
        return _load_files(files, graph)


def _load_files(files: list[Path], graph: Graph | None) -> Graph:
    parsed = [read_file(path, f"f{index}") for index, path in enumerate(files)]
    declared = {str(o) for item in parsed for o in item.ontologies} | {CHAINMODEL_ONTOLOGY}
    for item in parsed:
        for imported in item.imports:
            if str(imported) not in declared:
                raise RefusedInput(
                    str(item.path),
                    None,
                    f"owl:imports <{imported}>: chainmodel never fetches an import. Add the "
                    "imported ontology's file to the inputs, or remove the owl:imports statement.",
                )
    target = graph if graph is not None else Graph()
    for item in parsed:
        for triple in item.triples:
            target.add(triple)
    return target
