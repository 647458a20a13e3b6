"""Write a graph as sorted, commented Turtle: the same graph gives the same bytes.

Subjects are grouped in sections, one per ledger sheet, in the ledger's order, each sorted by
IRI; ``rdf:type`` comes first, then labels and comments, then the other properties by name.
A blank node used once as a value (a subject count for a principal) is written inline.

Examples
--------
>>> from rdflib import Graph, Literal, URIRef
>>> from rdflib.namespace import RDFS
>>> graph = Graph()
>>> _ = graph.add((URIRef("https://example.org/l#city"), RDFS.label, Literal("港区", lang="ja")))
>>> print(turtle_text(graph, "https://example.org/l#", {URIRef("https://example.org/l#city"): "parties"}).split("\\n\\n")[-1])
:city rdfs:label "港区"@ja .
<BLANKLINE>
"""

from __future__ import annotations

import re
from collections import Counter

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from ..model import STANDARD_PREFIXES
from .columns import SHEETS

__all__ = ["turtle_text"]

_INTEGER = re.compile(r"^[+-]?\d+$")
_FIRST = {RDF.type: 0, RDFS.label: 1, RDFS.comment: 2}


def _local_ok(local: str) -> bool:
    if not local or local[0] in "-." or local.endswith("."):
        return False
    return all(ch.isalnum() or ch in "-_" for ch in local)


class _Names:
    def __init__(self, base: str, extra: dict | None = None):
        self.prefixes = dict(STANDARD_PREFIXES)
        self.prefixes.update(extra or {})
        self.prefixes[""] = base
        self.used: set[str] = set()

    def iri(self, iri: str) -> str:
        best = None
        for prefix, namespace in self.prefixes.items():
            if iri.startswith(namespace) and _local_ok(iri[len(namespace):]):
                if best is None or len(namespace) > len(self.prefixes[best]):
                    best = prefix
        if best is None:
            return f"<{iri}>"
        self.used.add(best)
        return f"{best}:{iri[len(self.prefixes[best]):]}"


def _string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{escaped}"'


def _literal(value: Literal, names: _Names) -> str:
    if value.language:
        return f"{_string(str(value))}@{value.language}"
    datatype = str(value.datatype) if value.datatype else None
    if datatype == str(XSD.integer) and _INTEGER.match(str(value)) or datatype == str(XSD.boolean) and str(value) in ("true", "false"):
        return str(value)
    if datatype is None or datatype == str(XSD.string):
        return _string(str(value))
    return f"{_string(str(value))}^^{names.iri(datatype)}"


class _Writer:
    def __init__(self, graph: Graph, base: str, extra: dict | None = None):
        self.graph = graph
        self.names = _Names(base, extra)
        uses = Counter(o for o in graph.objects() if isinstance(o, BNode))
        self.inline = {node for node, count in uses.items() if count == 1 and (node, None, None) in graph}
        self.blank_ids: dict[BNode, str] = {}

    def term(self, node, depth: int = 1) -> str:
        if isinstance(node, URIRef):
            return self.names.iri(str(node))
        if isinstance(node, Literal):
            return _literal(node, self.names)
        if node in self.inline and depth < 4:
            inner = self.properties(node, depth + 1)
            return "[ " + " ; ".join(inner) + " ]"
        return self.blank_ids.setdefault(node, f"_:b{len(self.blank_ids)}")

    def properties(self, subject, depth: int = 1) -> list[str]:
        rows = []
        predicates = sorted(set(self.graph.predicates(subject)), key=lambda p: (_FIRST.get(p, 3), self.names.iri(str(p))))
        for predicate in predicates:
            objects = sorted((self.term(o, depth) for o in self.graph.objects(subject, predicate)))
            verb = "a" if predicate == RDF.type else self.names.iri(str(predicate))
            rows.append(f"{verb} " + " , ".join(objects))
        return rows

    def subject(self, subject) -> str:
        rows = self.properties(subject)
        head = self.term(subject) if not isinstance(subject, BNode) else self.blank_ids.setdefault(subject, f"_:b{len(self.blank_ids)}")
        if len(rows) == 1:
            return f"{head} {rows[0]} .\n"
        return f"{head} " + " ;\n    ".join(rows) + " .\n"


def _sort_key(node) -> tuple:
    return (isinstance(node, BNode), str(node))


def turtle_text(graph: Graph, base: str, sheet_of: dict, header: str = "", extra_prefixes: dict | None = None) -> str:
    """The graph as Turtle, sections by ledger sheet, every list sorted.

    Parameters
    ----------
    graph : rdflib.Graph
        The model.
    base : str
        The IRI written as the empty prefix ``:``.
    sheet_of : dict
        Subject -> the key of its ledger sheet (others go to a last section).
    header : str
        Comment lines to start with (each line gets '# ').
    extra_prefixes : dict, optional
        Prefixes to use beside the standard ones.
    """
    writer = _Writer(graph, base, extra_prefixes)
    subjects = sorted({s for s in graph.subjects() if s not in writer.inline}, key=_sort_key)
    sections = []
    for sheet in SHEETS:
        mine = [s for s in subjects if sheet_of.get(s) == sheet.key]
        if mine:
            title = f"# {'-' * 64} {sheet.en.lower()} ({sheet.ja})\n\n"
            sections.append(title + "\n".join(writer.subject(s) for s in mine))
    rest = [s for s in subjects if sheet_of.get(s) not in {sheet.key for sheet in SHEETS}]
    if rest:
        sections.append(f"# {'-' * 64} other statements (その他の記述)\n\n" + "\n".join(writer.subject(s) for s in rest))
    body = "\n".join(sections)
    prefixes = "".join(f"@prefix {p}: <{writer.names.prefixes[p]}> .\n" for p in sorted(writer.names.used | {""}))
    comments = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines()) if header else ""
    return comments + ("\n" if comments else "") + prefixes + "\n" + body
