"""Fixed coordinates for a diagram: the same on screen (vis-network) and on paper (SVG).

Every node gets a depth: principals 0, a consignee the tier of the consignment that reaches
it, an organisation the row of its capacities, every other node one row below the nearest
node that sends it something. Each depth is a band of rows of at most :data:`ROW_MAX`
nodes, ordered by the mean position of their neighbours above (so chains run straight
down), then by kind, then by name in natural order ("principal 182" before "principal
1739"). Nothing is random: the same nodes and edges always give the same coordinates.

Examples
--------
>>> nodes = [{"id": "p", "kind": "principal", "label": "P"}, {"id": "k", "kind": "consignee", "label": "K"}]
>>> edges = [{"id": "c", "kind": "consignment", "from": "p", "to": "k", "tier": 1}]
>>> place(nodes, edges)
>>> [(n["id"], n["depth"], n["x"], n["y"]) for n in nodes]
[('p', 0, 0, 0), ('k', 1, 0, 230)]
"""

from __future__ import annotations

import math
from collections import defaultdict

from .phrases import natural_key

__all__ = ["place", "depths", "ROW_MAX", "X_GAP", "ROW_GAP", "LEVEL_GAP"]

ROW_MAX = 50  # nodes per row before a band wraps onto another row
X_GAP = 210  # px between nodes in a row
ROW_GAP = 110  # px between wrapped rows of one band
LEVEL_GAP = 230  # px between bands

KIND_ORDER = ("principal", "producer", "regulator", "data-subjects", "recipient", "consignee", "re-consignee",
              "organisation", "party", "device", "reached")
_FLOWS = frozenset({"data-provision", "report", "instruction", "hand-off", "copy", "holds", "exposure", "consignment",
                    "capacity"})


def _seed_depths(nodes: list[dict], edges: list[dict]) -> dict[str, int]:
    """Depths the consignments fix: consignees their tier, consignors of tier 1 and principals 0."""
    kinds = {node["id"]: node["kind"] for node in nodes}
    depth: dict[str, int] = {}
    consignments = [e for e in edges if e["kind"] == "consignment"]
    for edge in consignments:
        if edge.get("tier"):
            depth[edge["to"]] = min(depth.get(edge["to"], edge["tier"]), edge["tier"])
    for edge in consignments:
        if edge.get("tier") == 1:
            depth.setdefault(edge["from"], 0)
    for node in nodes:
        if node["id"] not in depth and (node["kind"] == "principal" or node.get("band") == 0
                                        or kinds[node["id"]] == "data-subjects"):
            depth[node["id"]] = 0
        if node.get("band") is not None and node["id"] not in depth:
            depth[node["id"]] = node["band"]
    return depth


def depths(nodes: list[dict], edges: list[dict]) -> dict[str, int]:
    """The depth of every node (see the module docstring)."""
    kinds = {node["id"]: node["kind"] for node in nodes}
    depth = _seed_depths(nodes, edges)
    capacity_edges = [e for e in edges if e["kind"] == "capacity"]
    for edge in sorted(capacity_edges, key=lambda e: e["id"]):  # an organisation shares its capacities' row
        if edge["to"] in depth:
            depth[edge["from"]] = min(depth.get(edge["from"], depth[edge["to"]]), depth[edge["to"]])
    outgoing: dict[str, list[str]] = defaultdict(list)
    for edge in edges:
        if edge["kind"] in _FLOWS:
            outgoing[edge["from"]].append(edge["to"])
    frontier = sorted(depth, key=lambda iri: (depth[iri], iri))
    while frontier:
        following = []
        for iri in frontier:
            for target in sorted(outgoing.get(iri, ())):
                if target not in depth:
                    depth[target] = depth[iri] + (0 if kinds.get(target) == "organisation" else 1)
                    following.append(target)
        frontier = following
    for edge in capacity_edges:  # organisations whose capacities got a depth only now
        if edge["from"] not in depth and edge["to"] in depth:
            depth[edge["from"]] = depth[edge["to"]]
    bottom = max(depth.values(), default=0) + 1
    return {node["id"]: depth.get(node["id"], bottom) for node in nodes}


def place(nodes: list[dict], edges: list[dict]) -> None:
    """Give every node its ``depth``, ``x`` and ``y`` (in place)."""
    depth = depths(nodes, edges)
    neighbours: dict[str, list[str]] = defaultdict(list)
    for edge in edges:
        if edge["from"] != edge["to"]:
            neighbours[edge["from"]].append(edge["to"])
            neighbours[edge["to"]].append(edge["from"])
    rank = {kind: number for number, kind in enumerate(KIND_ORDER)}
    by_depth: dict[int, list[dict]] = defaultdict(list)
    for node in nodes:
        node["depth"] = depth[node["id"]]
        by_depth[node["depth"]].append(node)
    x_of: dict[str, float] = {}
    y = 0
    for level in sorted(by_depth):
        members = by_depth[level]

        def key(node: dict) -> tuple:
            above = [x_of[n] for n in neighbours.get(node["id"], ()) if n in x_of]
            centre = sum(above) / len(above) if above else math.inf
            return (centre, rank.get(node["kind"], 99), natural_key(node.get("sort") or ""), node["id"])

        members.sort(key=key)
        rows = max(1, math.ceil(len(members) / ROW_MAX))
        for index, node in enumerate(members):
            row, column = divmod(index, ROW_MAX)
            in_row = min(ROW_MAX, len(members) - row * ROW_MAX)
            node["x"] = int(round((column - (in_row - 1) / 2) * X_GAP))
            node["y"] = y + row * ROW_GAP
            x_of[node["id"]] = node["x"]
        y += (rows - 1) * ROW_GAP + LEVEL_GAP
