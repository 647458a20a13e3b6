"""Read model files into one RDF graph, all or nothing, without ever leaving the files.

Every file is parsed with pyoxigraph (it reports the line of a syntax error and never
fetches a JSON-LD context) into a list first; only when every file has parsed are the
triples put into the graph, so a failure leaves nothing behind. Before parsing, a file
is refused when it asks for something chainmodel never does: an XML DOCTYPE or entity
declaration (one inside a comment, a CDATA section or a processing instruction is text,
not a declaration), a JSON-LD context given by address, JSON nested too deeply to check,
or (after parsing) an ``owl:imports`` of an ontology that is not among the inputs, or an
RDF-star triple term. A folder's links that lead outside it are refused; a byte-order
mark at the start of a file is skipped. ``rdf:HTML`` and ``rdf:XMLLiteral`` literals are
kept as their lexical form (:func:`rdf_literal`): rdflib would parse each, in time that
grows with the square of its length.

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
from typing import Iterable, Iterator, Sequence

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, XSD

from .errors import InputError, ParseError, RefusedInput

__all__ = ["FORMATS", "model_files", "read_file", "load_graph", "ParsedFile", "paused_gc", "rdf_literal",
           "refuse_before_parsing", "strip_bom", "RDF_STAR_REFUSAL", "file_bytes", "parsing", "TripleTerm",
           "refuse_unlisted_imports"]

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
RDF_STAR_REFUSAL = ("RDF-star (a triple used as a term, << ... >>) is not read by chainmodel; write the statement "
                    "about a statement with a node of its own")
"""How every input that holds RDF-star is refused: model files, stores, scenarios and queries."""
_RDF_LANG_STRING = str(RDF.langString)
_XSD_STRING = str(XSD.string)
_UNPARSED_DATATYPES = frozenset({str(RDF.HTML), str(RDF.XMLLiteral)})
_BOM = b"\xef\xbb\xbf"
_XML_MARKUP = re.compile(rb"<(?:!--|!\[CDATA\[|\?|!(DOCTYPE|ENTITY))", re.IGNORECASE)
_XML_ENDS = {b"<!--": b"-->", b"<![CDATA[": b"]]>", b"<?": b"?>"}
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
    directly must have such an ending. A link inside a folder that leads outside it is
    refused: a model folder someone sent must not make chainmodel read other files.

    Raises
    ------
    InputError
        A path is missing, has an unknown ending, or a folder holds no model file.
    RefusedInput
        A link in a folder leads outside it.
    """
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            _refuse_links_out(path)
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


def _refuse_links_out(folder: Path) -> None:
    root = folder.resolve()
    for entry in folder.rglob("*"):
        if entry.is_symlink():
            target = entry.resolve()
            if target != root and root not in target.parents:
                raise RefusedInput(str(entry), None, f"a link that leads outside the model folder {folder}; "
                                   "chainmodel reads only what is inside a folder it is given. Copy the file "
                                   "into the folder, or name it on the command line.")


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def strip_bom(data: bytes) -> bytes:
    """``data`` without a UTF-8 byte-order mark at its start (pyoxigraph reads the mark as a character).

    Examples
    --------
    >>> strip_bom(b"\\xef\\xbb\\xbf<urn:a> <urn:b> <urn:c> .")
    b'<urn:a> <urn:b> <urn:c> .'
    """
    return data[len(_BOM):] if data.startswith(_BOM) else data


def too_long(error: BaseException) -> str:
    """The message for pyoxigraph's refusal of a token longer than its buffer (16 MiB)."""
    return (f"a single literal or IRI is too long for chainmodel to read ({error}); shorten it or keep the "
            "content outside the model")


def rdf_literal(lexical: str, language: str | None = None, datatype: str | None = None, *,
                normalize: bool = True) -> Literal:
    """An rdflib literal from its parts, never parsing ``rdf:HTML`` or ``rdf:XMLLiteral``.

    rdflib turns such a literal into a DOM as it is made, in time that grows with the square
    of its length (50,000 ``<div>`` take minutes); chainmodel never reads the DOM, so the
    literal keeps its lexical form, datatype and equality, and no value. ``normalize=False``
    keeps every lexical form exactly as given (rdflib otherwise writes ``"01"^^xsd:integer``
    as ``"1"``).

    Examples
    --------
    >>> literal = rdf_literal("<div>" * 50000, datatype="http://www.w3.org/1999/02/22-rdf-syntax-ns#HTML")
    >>> len(literal), literal.datatype.endswith("#HTML"), literal.value is None
    (250000, True, True)
    >>> rdf_literal("3", datatype="http://www.w3.org/2001/XMLSchema#integer").value
    3
    """
    if language:
        return Literal(lexical, lang=language, normalize=normalize)
    if datatype in _UNPARSED_DATATYPES:
        literal = str.__new__(Literal, lexical)
        literal._language, literal._datatype, literal._value, literal._ill_typed = None, URIRef(datatype), None, None
        return literal
    if datatype and datatype not in (_XSD_STRING, _RDF_LANG_STRING):
        return Literal(lexical, datatype=URIRef(datatype), normalize=normalize)
    return Literal(lexical, normalize=normalize)


def _xml_declaration(data: bytes) -> re.Match | None:
    """The first DOCTYPE or ENTITY declaration, skipping comments, CDATA sections and
    processing instructions (whatever they hold is text, not markup)."""
    position = 0
    while True:
        found = _XML_MARKUP.search(data, position)
        if found is None or found.group(1):
            return found
        opener = found.group(0)
        end = data.find(_XML_ENDS[opener.upper() if opener.startswith(b"<![") else opener], found.end())
        if end < 0:
            return None  # unterminated: the parser reports it
        position = end


def _refuse_xml_declarations(path: Path, data: bytes) -> None:
    match = _xml_declaration(data)
    if match:
        raise RefusedInput(
            str(path),
            _line_of(data, match.start()),
            f"<!{match.group(1).decode().upper()} ...> declaration; chainmodel does not expand XML "
            "entities or read DTDs. Remove the declaration and write the values out in full.",
        )


def _context_addresses(document) -> Iterator[str]:
    """Yield every context given by address (string) anywhere in a JSON-LD document."""
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "@context":
                    for context in value if isinstance(value, list) else [value]:
                        if isinstance(context, str):
                            yield context
                        elif isinstance(context, dict) and isinstance(context.get("@import"), str):
                            yield context["@import"]
                stack.append(value)
        elif isinstance(node, list):
            stack.extend(reversed(node))


def _refuse_remote_contexts(path: Path, data: bytes) -> None:
    try:
        document = json.loads(strip_bom(data))
    except RecursionError:
        raise ParseError(str(path), None, "the JSON is nested too deeply to be checked for contexts given by "
                         "address; flatten it (a JSON-LD document rarely needs more than a few levels)") from None
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


def refuse_before_parsing(path: Path, rdf_format: ox.RdfFormat, data: bytes) -> None:
    """Refuse a file that asks for what chainmodel never does, before any parser sees it.

    RDF/XML: a DOCTYPE or ENTITY declaration outside comments and CDATA. JSON-LD: a context
    given by address, or JSON nested too deeply to check. Other formats pass.

    Raises
    ------
    RefusedInput, ParseError
        Naming the file and, where known, the line.

    Examples
    --------
    >>> refuse_before_parsing(Path("m.rdf"), ox.RdfFormat.RDF_XML, b"<!-- <!DOCTYPE x> is text here --><rdf:RDF/>")
    >>> refuse_before_parsing(Path("m.rdf"), ox.RdfFormat.RDF_XML, b"<!DOCTYPE x [<!ENTITY e 'e'>]><rdf:RDF/>")
    Traceback (most recent call last):
    ...
    chainmodel.errors.RefusedInput: m.rdf, line 1: refused: <!DOCTYPE ...> declaration; chainmodel does not expand XML entities or read DTDs. Remove the declaration and write the values out in full.
    """
    if rdf_format == ox.RdfFormat.RDF_XML:
        _refuse_xml_declarations(path, data)
    elif rdf_format == ox.RdfFormat.JSON_LD:
        _refuse_remote_contexts(path, data)


class TripleTerm(Exception):
    """An RDF-star triple term was read (raised inside :func:`parsing`, which refuses the file)."""


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
        return rdf_literal(term.value, term.language, term.datatype.value)
    raise TripleTerm


def file_bytes(path: Path) -> tuple[bytes, ox.RdfFormat]:
    """The bytes of one model file (without a byte-order mark) and its format, refused before
    parsing when it asks for what chainmodel never does (:func:`refuse_before_parsing`).

    Raises
    ------
    InputError
        The ending is unknown or the file cannot be read.
    RefusedInput, ParseError
        As :func:`refuse_before_parsing`.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "m.nt"
    >>> _ = path.write_bytes(b"\\xef\\xbb\\xbf<urn:a> <urn:b> <urn:c> .")
    >>> file_bytes(path)
    (b'<urn:a> <urn:b> <urn:c> .', <RdfFormat N-Triples>)
    """
    rdf_format = FORMATS.get(path.suffix.lower())
    if rdf_format is None:
        raise InputError(f"{path}: unknown file ending {path.suffix!r}")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot be read: {error.strerror or error}; check that the file exists and is readable") from None
    refuse_before_parsing(path, rdf_format, data)
    return strip_bom(data), rdf_format


@contextmanager
def parsing(path: Path):
    """Turn what parsing ``path`` raises into chainmodel's errors, naming the file and line.

    A syntax error becomes :class:`~chainmodel.errors.ParseError` with its line, a
    :class:`TripleTerm` the RDF-star refusal, a token too long for the parser or a bad
    value a :class:`~chainmodel.errors.ParseError` without a line.

    Examples
    --------
    >>> with parsing(Path("m.nt")):
    ...     sum(1 for _ in ox.parse(b"<urn:a> <urn:b> .", ox.RdfFormat.N_TRIPLES))
    Traceback (most recent call last):
    ...
    chainmodel.errors.ParseError: m.nt, line 1: ...
    """
    try:
        yield
    except TripleTerm:
        raise RefusedInput(str(path), None, RDF_STAR_REFUSAL) from None
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
    except MemoryError as error:
        raise ParseError(str(path), None, too_long(error)) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise ParseError(str(path), None, str(error)) from None


def read_file(path: Path, file_tag: str = "f0") -> ParsedFile:
    """Parse one model file into rdflib triples, refusing what would reach outside it.

    Blank nodes are renamed ``{file_tag}b{n}``, numbered in order of appearance, so files
    never share one by accident and the names stay the same from run to run.
    """
    data, rdf_format = file_bytes(path)
    with parsing(path):
        triples = _parse(data, rdf_format, file_tag)
    ontologies = frozenset(s for s, p, o in triples if p == RDF.type and o == OWL.Ontology)
    imports = tuple(o for s, p, o in triples if p == OWL.imports)
    return ParsedFile(path, tuple(triples), ontologies, imports)


def _parse(data: bytes, rdf_format: ox.RdfFormat, file_tag: str) -> list[tuple]:
    blank_names: dict[str, BNode] = {}
    return [
        (_to_rdflib(quad.subject, file_tag, blank_names), _to_rdflib(quad.predicate, file_tag, blank_names),
         _to_rdflib(quad.object, file_tag, blank_names))
        for quad in ox.parse(data, rdf_format)
    ]


def refuse_unlisted_imports(imports: Iterable[tuple[Path, Iterable]], ontologies: Iterable) -> None:
    """Refuse the first ``owl:imports`` of an ontology that no input declares (chainmodel's own aside).

    ``imports`` holds each file with the ontologies it imports, in the order the files were
    read; ``ontologies`` every ontology the inputs declare (``a owl:Ontology``).

    Raises
    ------
    RefusedInput
        Naming the file and the ontology it imports.

    Examples
    --------
    >>> refuse_unlisted_imports([(Path("m.ttl"), ["https://w3id.org/chainmodel"])], [])
    >>> refuse_unlisted_imports([(Path("m.ttl"), ["urn:other"])], [])
    Traceback (most recent call last):
    ...
    chainmodel.errors.RefusedInput: m.ttl: refused: owl:imports <urn:other>: chainmodel never fetches an import. Add the imported ontology's file to the inputs, or remove the owl:imports statement.
    """
    declared = {str(o) for o in ontologies} | {CHAINMODEL_ONTOLOGY}
    for path, imported_by_file in imports:
        for imported in imported_by_file:
            if str(imported) not in declared:
                raise RefusedInput(
                    str(path),
                    None,
                    f"owl:imports <{imported}>: chainmodel never fetches an import. Add the "
                    "imported ontology's file to the inputs, or remove the owl:imports statement.",
                )


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
    refuse_unlisted_imports([(item.path, item.imports) for item in parsed],
                            [o for item in parsed for o in item.ontologies])
    target = graph if graph is not None else Graph()
    for item in parsed:
        for triple in item.triples:
            target.add(triple)
    return target
