"""A portfolio read as groups: the diagram's overview and the report's summary for thousands of principals.

A regulator or a federation maps thousands of principals sharing a few hundred consignees.
Drawn one by one they make an unreadable block, so both outputs group them:

* principals by the consignees they share (the tier-1 consignees of their chains): the
  :data:`GROUP_MAX` largest groups one by one, the rest together;
* consignees by tier: the :data:`BAND_MAX` of each tier that the most principals' chains reach
  one by one, the rest of the tier together; other parties (producers, recipients,
  regulators) likewise by kind;
* edges between groups carry the number of consignments or data provisions they stand for.

Clicking a group opens it: its members with their chains, at most :data:`DETAIL_NODES`
nodes and :data:`DETAIL_EDGES` edges at a time. Everything here works on the dictionaries
:mod:`chainmodel.drawing` and :mod:`chainmodel.serialise` made; no analysis runs.

:func:`portfolio_groups` groups what a report lists (single points of failure by harm kind,
element kind and tier of the party operating it; findings by rule; blast ranks by kind) with
counts, the worst member and the principals touched.

Examples
--------
>>> consignments = [{"iri": "c1", "consignor": {"iri": "p1"}, "consignee": {"iri": "k"}, "extends": []},
...                 {"iri": "c2", "consignor": {"iri": "k"}, "consignee": {"iri": "s"}, "extends": [{"iri": "c1"}]}]
>>> consignment_roots({"consignments": consignments})
{'c1': ('p1',), 'c2': ('p1',)}
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from .catalogue import join, say
from .drawing import kind_word
from .phrases import name, natural_key

__all__ = ["consignment_roots", "portfolio_view", "portfolio_groups", "REPORT_GROUPS", "GROUP_MAX", "BAND_MAX", "DETAIL_NODES",
           "DETAIL_EDGES", "TOP_MEMBERS"]

GROUP_MAX = 40
"""Principal groups drawn one by one in the overview (the rest are one group)."""
BAND_MAX = 30
"""Parties of one tier (or one kind) drawn one by one in the overview."""
DETAIL_NODES = 250
DETAIL_EDGES = 600
"""At most this many nodes and edges are drawn when a group, a party, a principal or a duty is opened."""
TOP_MEMBERS = 5
"""Members a report names for each group (the JSON beside it holds them all)."""

_AGGREGATED = ("consignment", "data-provision")


def consignment_roots(inventory: dict) -> dict[str, tuple[str, ...]]:
    """The principals (consignors at the top) of the chains each consignment belongs to."""
    consignments = {c["iri"]: c for c in inventory["consignments"]}
    roots: dict[str, tuple[str, ...]] = {}

    def up(iri: str, seen: frozenset) -> tuple[str, ...]:
        if iri in roots:
            return roots[iri]
        parents = [p["iri"] for p in consignments[iri]["extends"] if p["iri"] in consignments and p["iri"] not in seen]
        found = (tuple(sorted({r for p in parents for r in up(p, seen | {iri})}))
                 if parents else tuple(p["iri"] for p in [consignments[iri]["consignor"]] if p))
        roots[iri] = found
        return found

    for iri in sorted(consignments):
        up(iri, frozenset())
    return roots


# -- who each edge is about ---------------------------------------------------------------------------


def _asset_principals(assets: dict[str, dict]) -> dict[str, set[str]]:
    return {iri: {p["iri"] for p in a["controllers"]} | {row["principal"]["iri"] for row in a["per_principal"]}
            for iri, a in assets.items()}


def _attribution(edges: list[dict], inventory: dict, assets: dict[str, dict],
                 roots: dict[str, tuple[str, ...]]) -> list[set[str]]:
    """For each edge, the principals whose chains or data it belongs to (empty: nobody's in particular)."""
    of_asset = _asset_principals(assets)
    duties = {d["iri"]: d for d in inventory["duties"]}
    of_duty = {iri: ({d["accountable"]["iri"]} if d["accountable"] else set()) for iri, d in duties.items()}
    handoffs = {h["iri"]: h for h in inventory["hand_offs"]}
    copies = {c["iri"]: c for c in inventory["copies"]}

    def element(iri: str) -> set[str]:
        if iri in roots:
            return set(roots[iri])
        if iri in handoffs:
            h = handoffs[iri]
            found = {p for ref in h["serves"] + h["guarded_by"] for p in of_duty.get(ref["iri"], ())}
            return found | {p for ref in h["carries"] for p in of_asset.get(ref["iri"], ())}
        if iri in copies and copies[iri]["asset"]:
            return set(of_asset.get(copies[iri]["asset"]["iri"], ()))
        return set(of_duty.get(iri, ()))

    found = []
    for edge in edges:
        if edge["kind"] == "covers":
            found.append(element(edge["id"].split("|")[3]))
        elif edge["kind"] == "copy":
            found.append(element(edge["id"][len("copy|"):]))
        else:
            found.append(element(edge["id"]))
    return found


def _capped(node_ids: set[int], edge_ids: list[int], edges: list[dict], position: dict[str, int]) -> dict:
    """A detail view's node and edge indexes, at most DETAIL_NODES and DETAIL_EDGES, in a fixed order."""
    nodes = sorted(node_ids)[:DETAIL_NODES]
    kept = set(nodes)
    chosen = [e for e in sorted(set(edge_ids)) if position[edges[e]["from"]] in kept and position[edges[e]["to"]] in kept]
    return {"nodes": nodes, "edges": chosen[:DETAIL_EDGES], "total": len(node_ids)}


def principal_views(nodes: list[dict], edges: list[dict], attribution: list[set[str]]) -> dict[str, tuple[set, list]]:
    """Each principal's own part of the picture: the edges about it, and what holds them together."""
    position = {node["id"]: index for index, node in enumerate(nodes)}
    mine: dict[str, tuple[set[int], list[int]]] = defaultdict(lambda: (set(), []))
    loose: dict[int, list[int]] = defaultdict(list)
    for index, (edge, principals) in enumerate(zip(edges, attribution)):
        for principal in principals:
            if principal in position:
                node_set, edge_list = mine[principal]
                node_set |= {position[principal], position[edge["from"]], position[edge["to"]]}
                edge_list.append(index)
        if not principals:
            loose[position[edge["from"]]].append(index)
            loose[position[edge["to"]]].append(index)
    for node_set, edge_list in mine.values():
        for node in list(node_set):
            for index in loose.get(node, ()):
                if position[edges[index]["from"]] in node_set and position[edges[index]["to"]] in node_set:
                    edge_list.append(index)
    return dict(mine)


# -- the overview's groups -----------------------------------------------------------------------------


class _Overview:
    """Members of each overview node, and the overview node of each member."""

    def __init__(self) -> None:
        self.members: dict[str, list[str]] = {}
        self.info: dict[str, dict] = {}
        self.of: dict[str, str] = {}

    def add(self, node_id: str, members: list[str], **info) -> None:
        self.members[node_id] = members
        self.info[node_id] = info
        for member in members:
            self.of[member] = node_id


def _tiers(edges: list[dict]) -> dict[str, int]:
    tier: dict[str, int] = {}
    for edge in edges:
        if edge["kind"] == "consignment" and edge.get("tier"):
            tier[edge["to"]] = min(tier.get(edge["to"], edge["tier"]), edge["tier"])
    return tier


def _principal_groups(view: _Overview, nodes: list[dict], edges: list[dict], sort: dict[str, tuple]) -> None:
    principals = [n["id"] for n in nodes if n["kind"] == "principal"]
    shared: dict[str, set[str]] = defaultdict(set)
    for edge in edges:
        if edge["kind"] == "consignment" and edge.get("tier") == 1:
            shared[edge["from"]].add(edge["to"])
    groups: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for principal in principals:
        groups[tuple(sorted(shared.get(principal, ()), key=lambda i: sort[i]))].append(principal)
    ranked = sorted(groups.items(), key=lambda item: (-len(item[1]), [sort[i] for i in item[0]]))
    for number, (consignees, members) in enumerate(ranked[:GROUP_MAX], start=1):
        view.add(f"group:principals:{number}", sorted(members, key=lambda i: sort[i]), kind="principal",
                 shared=list(consignees), band=0)
    rest = [m for _, members in ranked[GROUP_MAX:] for m in members]
    if rest:
        view.add("group:principals:rest", sorted(rest, key=lambda i: sort[i]), kind="principal", shared=[], band=0,
                 rest=len(ranked) - GROUP_MAX)


def _bands(view: _Overview, nodes: list[dict], edges: list[dict], sort: dict[str, tuple],
           reach: dict[str, set[str]]) -> None:
    """Consignees by tier, other parties by kind: the most reached one by one, the rest together."""
    tier = _tiers(edges)
    bands: dict[tuple, list[str]] = defaultdict(list)
    for node in nodes:
        if node["kind"] in ("principal", "device") or node["id"] in view.of:
            continue
        key = ("tier", tier[node["id"]]) if node["id"] in tier else ("kind", node["kind"])
        bands[key].append(node["id"])
    for key in sorted(bands, key=lambda k: (k[0] != "tier", str(k[1]))):
        members = sorted(bands[key], key=lambda i: (-len(reach.get(i, ())), sort[i]))
        for iri in members[:BAND_MAX]:
            view.add(iri, [iri], single=True, band=key[1] if key[0] == "tier" else None)
        if members[BAND_MAX:]:
            kind = "consignee" if key[0] == "tier" and key[1] == 1 else ("re-consignee" if key[0] == "tier" else key[1])
            view.add(f"group:{key[0]}:{key[1]}", sorted(members[BAND_MAX:], key=lambda i: sort[i]), kind=kind,
                     band=key[1] if key[0] == "tier" else None, tier=key[1] if key[0] == "tier" else None)


def _overview_edges(view: _Overview, edges: list[dict], lang: str) -> list[dict]:
    counts: Counter = Counter()
    for edge in edges:
        if edge["kind"] in _AGGREGATED and edge["from"] in view.of and edge["to"] in view.of:
            source, target = view.of[edge["from"]], view.of[edge["to"]]
            counts[(source, target, edge["kind"], edge.get("tier"))] += 1
    found = []
    for (source, target, kind, tier), count in sorted(counts.items(), key=lambda item: tuple(map(str, item[0]))):
        words = say(f"diagram.overview.edge.{kind}", lang, count=count)
        found.append({"id": f"ov|{source}|{target}|{kind}|{tier}", "kind": kind, "from": source, "to": target,
                      "tier": tier, "label": f"{count:,}", "facts": [words], "count": count})
    return found


def _member_names(members: list[str], by_id: dict[str, dict], lang: str, limit: int = 12) -> str:
    found = [name(by_id[m]["ref"], lang) for m in members[:limit]]
    if len(members) > limit:
        found.append(say("diagram.more", lang, count=len(members) - limit))
    return join(found, lang)


def _overview_nodes(view: _Overview, by_id: dict[str, dict], reach: dict[str, set[str]], lang: str) -> list[dict]:
    found = []
    for node_id, members in view.members.items():
        info = view.info[node_id]
        if info.get("single"):
            node = by_id[node_id]
            served = len(reach.get(node_id, ()))
            label = say("diagram.overview.single", lang, name=name(node["ref"], lang), count=served)
            facts = [say("diagram.overview.served", lang, count=served)] + node["facts"]
            found.append({"id": node_id, "kind": node["kind"], "label": label, "facts": facts, "band": info["band"],
                          "sort": name(node["ref"], lang)})
            continue
        found.append(_group_node(node_id, members, info, by_id, lang))
    return found


def _group_node(node_id: str, members: list[str], info: dict, by_id: dict[str, dict], lang: str) -> dict:
    count = len(members)
    if info["kind"] == "principal" and info.get("shared"):
        shared = join([name(by_id[i]["ref"], lang) for i in info["shared"]], lang)
        label = say("diagram.overview.principals", lang, count=count, consignees=shared)
    elif info["kind"] == "principal":
        label = say("diagram.overview.principals-rest", lang, count=count)
    elif info.get("tier"):
        label = say("diagram.overview.tier-rest", lang, count=count, tier=info["tier"])
    else:
        label = say("diagram.overview.kind-rest", lang, count=count, kind=kind_word(info["kind"], lang))
    facts = [label, say("diagram.overview.members", lang, names=_member_names(members, by_id, lang)),
             say("diagram.overview.open", lang)]
    return {"id": node_id, "kind": info["kind"], "label": label, "facts": facts, "band": info.get("band"),
            "sort": node_id, "group": True}


# -- the whole portfolio view ----------------------------------------------------------------------------


def _reach(edges: list[dict], roots: dict[str, tuple[str, ...]]) -> dict[str, set[str]]:
    reach: dict[str, set[str]] = defaultdict(set)
    for edge in edges:
        if edge["kind"] == "consignment":
            reach[edge["to"]].update(roots.get(edge["id"], ()))
    return reach


def _detail(view: _Overview, nodes: list[dict], edges: list[dict], mine: dict) -> dict[str, dict]:
    """What opening each overview node draws: principals with their chains, other parties with their links."""
    position = {node["id"]: index for index, node in enumerate(nodes)}
    incident: dict[str, list[int]] = defaultdict(list)
    for index, edge in enumerate(edges):
        incident[edge["from"]].append(index)
        incident[edge["to"]].append(index)
    found = {}
    for node_id, members in view.members.items():
        node_ids: set[int] = set()
        edge_ids: list[int] = []
        for member in members:
            if member in mine:
                node_ids |= mine[member][0]
                edge_ids += mine[member][1]
            else:
                node_ids.add(position[member])
                for index in incident.get(member, ()):
                    edge_ids.append(index)
                    node_ids |= {position[edges[index]["from"]], position[edges[index]["to"]]}
            if len(node_ids) >= DETAIL_NODES:
                break
        found[node_id] = _capped(node_ids, edge_ids, edges, position) | {"members": len(members)}
    return found


def _duty_views(traces: list[dict], nodes: list[dict], edges: list[dict]) -> list[list]:
    position = {node["id"]: index for index, node in enumerate(nodes)}
    edge_position = {edge["id"]: index for index, edge in enumerate(edges)}
    found = []
    for trace in traces:
        chain_edges = sorted({edge_position[link["consignment"]["iri"]] for chain in trace["chains"]
                              for link in chain["links"] if link["consignment"]["iri"] in edge_position})
        parties = {p["iri"] for p in [trace["accountable"]] + trace["performers"] if p}
        parties |= {p["iri"] for chain in trace["chains"] for link in chain["links"]
                    for p in (link["consignor"], link["consignee"]) if p}
        labels = trace["duty"]["label"]
        found.append([labels.get("en") or trace["duty"]["name"], labels.get("ja") or "",
                      sorted(position[p] for p in parties if p in position), chain_edges])
    return found


_OWN = ("id", "label", "title", "kind", "depth", "x", "y", "from", "to", "tier", "smooth", "selfReference")


def _style_key(item: dict) -> str:
    return f"tier-{item.get('tier')}" if item["kind"] == "consignment" else item["kind"]


def compact(items: list[dict]) -> tuple[list[dict], dict[str, dict]]:
    """Items without the look they share with every other of their kind, and that look once per kind.

    A portfolio's page draws thousands of elements a few hundred at a time; its script puts
    the look back (``Object.assign({}, styles[kind], item)``) when it draws them.
    """
    styles: dict[str, dict] = {}
    found = []
    for item in items:
        styles.setdefault(_style_key(item), {k: v for k, v in item.items() if k not in _OWN})
        found.append({k: v for k, v in item.items() if k in _OWN and v is not None and v is not False})
    return found, styles


def portfolio_view(data: dict, nodes: list[dict], edges: list[dict], inventory: dict, traces: list[dict],
                   lang: str, assets: dict[str, dict] | None = None) -> dict:
    """A diagram's data for a portfolio: an overview of groups, and what each group, principal and duty opens."""
    from .drawing import styled
    from .layout import place

    roots = consignment_roots(inventory)
    sort = {node["id"]: natural_key(node["sort"]) for node in nodes}
    by_id = {node["id"]: node for node in nodes}
    reach = _reach(edges, roots)
    view = _Overview()
    _principal_groups(view, nodes, edges, sort)
    _bands(view, nodes, edges, sort, reach)
    ov_nodes, ov_edges = _overview_nodes(view, by_id, reach, lang), _overview_edges(view, edges, lang)
    place(ov_nodes, ov_edges)
    none = {"nodes": [], "edges": [], "reached": [], "chainEdges": [], "chainNodes": []}
    styled_nodes, styled_edges = styled(ov_nodes, ov_edges, none, None, lang)
    for node, source in zip(styled_nodes, ov_nodes):
        if source.get("group"):
            node["borderWidth"] = 3
            node["group"] = True
    for edge, source in zip(styled_edges, ov_edges):
        edge["width"] = 1 + min(6.0, math.log2(1 + source["count"]))
    mine = principal_views(nodes, edges, _attribution(edges, inventory, assets or {}, roots))
    position = {node["id"]: index for index, node in enumerate(nodes)}
    data["overview"] = {"nodes": styled_nodes, "edges": styled_edges}
    data["nodes"], node_styles = compact(data["nodes"])
    data["edges"], edge_styles = compact(data["edges"])
    data["styles"] = {"nodes": node_styles, "edges": edge_styles}
    data["groups"] = _detail(view, nodes, edges, mine)
    data["chains"] = {p: _capped(n, e, edges, position) for p, (n, e) in sorted(mine.items())}
    data["duties"] = _duty_views(traces, nodes, edges)
    data["search"] = [[index, (n["ref"].get("label") or {}).get("en") or n["ref"]["name"],
                       (n["ref"].get("label") or {}).get("ja") or ""]
                      for index, n in enumerate(nodes) if n["kind"] != "device"]
    data["tiers"] = sorted({e["tier"] for e in edges if e["kind"] == "consignment" and e.get("tier")})
    data["text"].update({key: say(f"diagram.portfolio.{key}", lang)
                         for key in ("search", "search-hint", "tier", "all-tiers", "back", "no-match", "duty")})
    data["text"]["shown"] = say("diagram.portfolio.shown", lang, shown="{shown}", total="{total}")
    data["options"]["interaction"]["hover"] = True
    data["meta"].update({"mode": "portfolio", "overviewNodes": len(styled_nodes), "overviewEdges": len(styled_edges),
                         "detailNodes": DETAIL_NODES, "detailEdges": DETAIL_EDGES})
    return data


# -- the report's groups ----------------------------------------------------------------------------------


REPORT_GROUPS = 25
"""Groups of each section a portfolio's report lists (the JSON beside it holds them all)."""


def portfolio_groups(report: dict) -> dict:
    """The groups a portfolio's report lists: the first :data:`REPORT_GROUPS` of each section.

    The groups are the sections' own (:func:`chainmodel.serialise.listing_json`): single points
    of failure by harm, kind of element, operating consignee and tier; findings by rule. Each
    keeps its count, the principals it touches and its first :data:`TOP_MEMBERS` members
    (``top``: indexes into the section's entries, which the JSON beside the report holds).
    """
    audit = report["audit"]
    spof = [{**g["key"], "count": g["count"], "principals": g["principal_count"], "top": g["members"][:TOP_MEMBERS]}
            for g in audit["single_points_of_failure"]["groups"][:REPORT_GROUPS]]
    rules = [{**g["key"], "count": g["count"], "principals": g["principal_count"], "top": g["members"][:TOP_MEMBERS]}
             for g in audit["findings"]["groups"][:REPORT_GROUPS]]
    return {"single_points_of_failure": spof, "findings": rules,
            "totals": {section: audit[section]["group_count"] for section in ("single_points_of_failure", "findings")}}
