"""The diagram of a chain model: one self-contained HTML page, or a static SVG.

The renderers here draw the plain data of :func:`chainmodel.dossier.diagram_data` (nodes,
edges with their facts in the reader's language, fixed coordinates, highlights, legend) and
call no analysis. :func:`page` writes the interactive page, :func:`svg` the same picture
drawn by the same coordinates, for print. :func:`diagram_html` and :func:`write_diagram`
compose and render in one call.

The page asks for nothing over the network: vis-network's script and stylesheet are read
from the files that ship inside the installed ``pyvis`` package and written inline, and no
other resource is linked (a Content-Security-Policy forbids it). pyvis's own page template
is not used (it links bootstrap from a CDN, writes unescaped headings and switches tooltips
to ``innerHTML``); neither are its ``add_node``/``add_edge`` methods, which are quadratic.

Safety: every label written into HTML or SVG goes through :func:`html.escape`; the graph
data is embedded as JSON with ``<``, ``>`` and ``&`` written as ``\\u003c``, ``\\u003e`` and
``\\u0026`` so that no label can close the script element; tooltips (``title``) are plain
text, which vis-network shows with ``innerText``; the side panel is filled with
``textContent`` only.

A portfolio (a model of more than 150 parties) opens on an overview of groups
(:mod:`chainmodel.overview`): a click opens a group, a search box finds a party or a duty by
name in either language, a tier filter shows one tier's consignments, and at most a few
hundred elements are drawn at once. The page exposes ``window.chainmodelDiagram`` with the
``nodes`` and ``edges`` DataSets drawn, the ``network``, the ``highlighted`` ids and, for a
portfolio, ``view`` (what is drawn: ``overview`` or what was opened).

Examples
--------
>>> from chainmodel.model import load_model
>>> from chainmodel.views import chain_view
>>> view = chain_view(load_model(["examples/case-b-optout"]))
>>> page = diagram_html(view, failure="https://example.org/chainmodel/case-b#h-report-nttdata-ldi")
>>> page.startswith("<!DOCTYPE html>") and "https://cdn" not in page
True
>>> svg(diagram_data(view, lang="ja")).count("<text") > 12
True
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .dossier import diagram_data
from .errors import SetupError
from .escaping import markup_safe as _escape
from .escaping import terminal_safe


__all__ = ["diagram_html", "diagram_data", "write_diagram", "page", "svg", "overview_only", "json_for_html",
           "vis_assets", "ELEMENT_LIST_MAX"]

ELEMENT_LIST_MAX = 500
"""An HTML list of the elements is written for diagrams up to this size."""


# -- safe embedding ----------------------------------------------------------------------


def json_for_html(value) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` survive, and no
    control, separator or bidirectional character stands raw in the file (each is its JSON
    escape, which means the same)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return terminal_safe(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


_SOURCE_MAP = re.compile(r"^\s*//# sourceMappingURL=.*$", re.MULTILINE)
_CSS_SOURCE_MAP = re.compile(r"/\*# sourceMappingURL=.*?\*/", re.DOTALL)


@lru_cache(maxsize=None)
def vis_assets() -> tuple[str, str]:
    """(script, stylesheet) of vis-network as shipped inside the installed pyvis package.

    The newest ``vis-*`` folder under pyvis's ``templates/lib`` (else ``lib``) is used. The
    source-map comments are removed so that nothing refers to another file, and both texts
    are checked to be safe to write inside ``<script>`` and ``<style>``.

    Raises
    ------
    RuntimeError
        pyvis is not installed or ships no vis-network files.
    """
    try:
        root = resources.files("pyvis")
    except ModuleNotFoundError as error:
        raise SetupError("the diagram needs the pyvis package, which ships vis-network: pip install pyvis") from error
    candidates = []
    for folder in ("templates/lib", "lib"):
        base = root.joinpath(folder)
        if not base.is_dir():
            continue
        for entry in base.iterdir():
            match = re.fullmatch(r"vis-(\d+)\.(\d+)\.(\d+)", entry.name)
            if match and entry.joinpath("vis-network.min.js").is_file() and entry.joinpath("vis-network.css").is_file():
                candidates.append((tuple(int(n) for n in match.groups()), entry))
        if candidates:
            break
    if not candidates:
        raise SetupError("pyvis ships no vis-network files (looked for lib/vis-X.Y.Z/vis-network.min.js); reinstall pyvis")
    _, folder = max(candidates, key=lambda item: item[0])
    script = _SOURCE_MAP.sub("", folder.joinpath("vis-network.min.js").read_text(encoding="utf-8"))
    style = _CSS_SOURCE_MAP.sub("", folder.joinpath("vis-network.css").read_text(encoding="utf-8"))
    lowered_script, lowered_style = script.lower(), style.lower()
    if "</script" in lowered_script or "<!--" in lowered_script:
        raise SetupError("the shipped vis-network script cannot be written inline safely; reinstall pyvis")
    if "</style" in lowered_style or "url(http" in lowered_style.replace(" ", "") or "@import" in lowered_style:
        raise SetupError("the shipped vis-network stylesheet cannot be written inline safely; reinstall pyvis")
    return script, style


# -- the page ---------------------------------------------------------------------------------------

_PAGE_STYLE = """
html,body{margin:0;padding:0;height:100%;font-family:system-ui,-apple-system,"Segoe UI","Hiragino Sans","Noto Sans CJK JP","IPAGothic",sans-serif;color:#1b1b1b;background:#fff}
#chainmodel-layout{display:flex;height:100vh}
#chainmodel-network{flex:1 1 auto;min-width:0;height:100%;border-right:1px solid #ddd}
#chainmodel-side{flex:0 0 22rem;overflow:auto;padding:.75rem;font-size:.85rem;box-sizing:border-box}
#chainmodel-side h1{font-size:1.1rem;margin:.2rem 0 .6rem}
#chainmodel-side h2{font-size:.95rem;margin:1rem 0 .4rem}
#chainmodel-details{white-space:pre-wrap;word-break:break-word;background:#fafafa;border:1px solid #e0e0e0;padding:.5rem;min-height:3rem}
.legend{list-style:none;margin:0;padding:0}
.legend li{display:flex;align-items:center;gap:.5rem;margin:.2rem 0}
.swatch{display:inline-block;width:1.1rem;height:.8rem;border:2px solid;box-sizing:border-box;flex:0 0 auto}
.swatch.round{border-radius:50%}
.line{display:inline-block;width:2.2rem;height:0;border-top-width:3px;flex:0 0 auto}
.summary p{margin:.2rem 0}
.summary ol{margin:.2rem 0;padding-left:1.2rem}
.finder input,.finder select,.finder button{font:inherit;margin:.15rem 0;box-sizing:border-box}
.finder input,.finder select{width:100%}
#chainmodel-results{list-style:none;margin:.3rem 0;padding:0;max-height:14rem;overflow:auto}
#chainmodel-results button{width:100%;text-align:left;background:#f5f7fa;border:1px solid #dde3ea;margin:1px 0;cursor:pointer}
#chainmodel-status{color:#455a64;margin:.3rem 0}
div.vis-tooltip{white-space:pre-wrap;max-width:36rem;font-family:inherit;font-size:12px}
@media print{#chainmodel-layout{display:block;height:auto}#chainmodel-network{height:70vh;border:0}#chainmodel-side{width:auto}}
"""

_PAGE_SCRIPT = """
(function () {
  "use strict";
  var raw = JSON.parse(document.getElementById("chainmodel-data").textContent);
  var portfolio = raw.meta.mode === "portfolio";
  var first = portfolio ? raw.overview : raw;
  var nodes = new vis.DataSet(first.nodes);
  var edges = new vis.DataSet(first.edges);
  var container = document.getElementById("chainmodel-network");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, raw.options);
  var state = {nodes: nodes, edges: edges, network: network, highlighted: raw.highlighted,
               meta: raw.meta, ready: false, readyAt: null, view: portfolio ? "overview" : "all"};
  window.chainmodelDiagram = state;
  var details = document.getElementById("chainmodel-details");
  function show(item) {
    details.textContent = item && typeof item.title === "string" ? item.title : details.getAttribute("data-hint");
  }
  network.on("click", function (params) {
    if (params.nodes.length) {
      var node = nodes.get(params.nodes[0]);
      show(node);
      if (portfolio && state.view === "overview" && raw.groups[node.id]) { openGroup(node.id); }
    }
    else if (params.edges.length) { show(edges.get(params.edges[0])); }
    else { show(null); }
  });
  network.once("afterDrawing", function () {
    state.ready = true;
    state.readyAt = (window.performance && performance.now) ? performance.now() : null;
    document.body.setAttribute("data-ready", "true");
  });
  network.fit({animation: false});
  if (!portfolio || !raw.search.length) { return; }

  var text = raw.text;
  var status = document.getElementById("chainmodel-status");
  var results = document.getElementById("chainmodel-results");
  var adjacency = null;
  function looks(styles, item) {
    var key = item.kind === "consignment" ? "tier-" + (item.tier === undefined ? "null" : item.tier) : item.kind;
    return Object.assign({}, styles[key] || {}, item);
  }
  function relayout(list) {
    var bands = {};
    list.forEach(function (node) { (bands[node.depth] = bands[node.depth] || []).push(node); });
    var y = 0, out = [];
    Object.keys(bands).map(Number).sort(function (a, b) { return a - b; }).forEach(function (depth) {
      var band = bands[depth].sort(function (a, b) { return a.x - b.x || (a.id < b.id ? -1 : 1); });
      for (var start = 0; start < band.length; start += 25) {
        var row = band.slice(start, start + 25);
        row.forEach(function (node, column) {
          out.push(Object.assign({}, node, {x: Math.round((column - (row.length - 1) / 2) * 210), y: y}));
        });
        y += 110;
      }
      y += 120;
    });
    return out;
  }
  function draw(view, nodeIndexes, edgeIndexes, total) {
    nodes.clear(); edges.clear();
    nodes.add(relayout(nodeIndexes.map(function (i) { return looks(raw.styles.nodes, raw.nodes[i]); })));
    edges.add(edgeIndexes.map(function (i) { return looks(raw.styles.edges, raw.edges[i]); }));
    state.view = view;
    status.textContent = text.shown.replace("{shown}", String(nodeIndexes.length)).replace("{total}", String(total));
    network.fit({animation: false});
  }
  function openGroup(id) {
    var group = raw.groups[id];
    draw(id, group.nodes, group.edges, group.total);
  }
  function neighbourhood(index) {
    if (adjacency === null) {
      adjacency = {};
      raw.edges.forEach(function (edge, i) {
        (adjacency[edge.from] = adjacency[edge.from] || []).push(i);
        (adjacency[edge.to] = adjacency[edge.to] || []).push(i);
      });
      state.position = {};
      raw.nodes.forEach(function (node, i) { state.position[node.id] = i; });
    }
    var id = raw.nodes[index].id, seen = {}, kept = [index], chosen = [];
    seen[index] = true;
    (adjacency[id] || []).forEach(function (i) {
      var other = state.position[raw.edges[i].from === id ? raw.edges[i].to : raw.edges[i].from];
      if (!seen[other] && kept.length < raw.meta.detailNodes) { seen[other] = true; kept.push(other); }
      if (seen[other] && chosen.length < raw.meta.detailEdges) { chosen.push(i); }
    });
    return {nodes: kept, edges: chosen, total: kept.length};
  }
  function openParty(index) {
    var id = raw.nodes[index].id;
    var found = raw.chains[id] || neighbourhood(index);
    draw(id, found.nodes, found.edges, found.total);
    show(raw.nodes[index]);
  }
  function openDuty(index) {
    var duty = raw.duties[index];
    draw("duty:" + index, duty[2], duty[3], duty[2].length);
    details.textContent = text.duty + ": " + (raw.meta.lang === "ja" && duty[1] ? duty[1] : duty[0]);
  }
  function fold(value) { return value.normalize("NFKC").toLowerCase(); }
  function search(query) {
    results.textContent = "";
    var wanted = fold(query.trim());
    if (!wanted) { return; }
    var found = [];
    raw.search.forEach(function (entry) {
      if (found.length < 30 && (fold(entry[1]).indexOf(wanted) >= 0 || fold(entry[2]).indexOf(wanted) >= 0)) {
        found.push(["party", entry[0], raw.meta.lang === "ja" && entry[2] ? entry[2] : entry[1]]);
      }
    });
    raw.duties.forEach(function (duty, index) {
      if (found.length < 40 && (fold(duty[0]).indexOf(wanted) >= 0 || fold(duty[1]).indexOf(wanted) >= 0)) {
        found.push(["duty", index, text.duty + ": " + (raw.meta.lang === "ja" && duty[1] ? duty[1] : duty[0])]);
      }
    });
    if (!found.length) { var none = document.createElement("li"); none.textContent = text["no-match"]; results.appendChild(none); }
    found.forEach(function (hit) {
      var item = document.createElement("li"), button = document.createElement("button");
      button.type = "button";
      button.textContent = hit[2];
      button.setAttribute("data-kind", hit[0]);
      button.setAttribute("data-index", String(hit[1]));
      button.addEventListener("click", function () { hit[0] === "duty" ? openDuty(hit[1]) : openParty(hit[1]); });
      item.appendChild(button);
      results.appendChild(item);
    });
  }
  function openTier(tier) {
    if (!tier) { back(); return; }
    var picked = [], kept = {}, list = [];
    raw.edges.forEach(function (edge, i) {
      if (edge.kind === "consignment" && String(edge.tier) === tier && picked.length < raw.meta.detailEdges) { picked.push(i); }
    });
    if (adjacency === null) { neighbourhood(0); }
    picked.forEach(function (i) {
      [raw.edges[i].from, raw.edges[i].to].forEach(function (id) {
        var at = state.position[id];
        if (!kept[at] && list.length < raw.meta.detailNodes) { kept[at] = true; list.push(at); }
      });
    });
    picked = picked.filter(function (i) { return kept[state.position[raw.edges[i].from]] && kept[state.position[raw.edges[i].to]]; });
    draw("tier:" + tier, list, picked, list.length);
  }
  function back() {
    nodes.clear(); edges.clear(); nodes.add(raw.overview.nodes); edges.add(raw.overview.edges);
    state.view = "overview"; status.textContent = ""; network.fit({animation: false});
  }
  document.getElementById("chainmodel-search").addEventListener("input", function (event) { search(event.target.value); });
  document.getElementById("chainmodel-tier").addEventListener("change", function (event) { openTier(event.target.value); });
  document.getElementById("chainmodel-back").addEventListener("click", back);
  state.openGroup = openGroup; state.openParty = openParty; state.back = back;
})();
"""


def _legend(legend: dict) -> str:
    items = []
    for entry in legend["nodes"]:
        round_class = " round" if entry["shape"] in ("ellipse", "dot") else ""
        items.append(f'<li><span class="swatch{round_class}" style="background:{entry["background"]};'
                     f'border-color:{entry["border"]}"></span>{_escape(entry["text"])}</li>')
    lines = []
    for entry in legend["edges"]:
        colours = entry["colours"]
        width = ".8rem" if len(colours) > 1 else "2.2rem"
        swatches = "".join(f'<span class="line" style="border-top:{entry["width"]}px {entry["style"]} {colour};'
                           f'width:{width}"></span>' for colour in colours)
        lines.append(f"<li>{swatches}{_escape(entry['text'])}</li>")
    return (f"<h2>{_escape(legend['title'])}</h2>"
            f"<ul class=\"legend\" aria-label=\"{_escape(legend['nodes_title'])}\">{''.join(items)}</ul>"
            f"<ul class=\"legend\" aria-label=\"{_escape(legend['edges_title'])}\">{''.join(lines)}</ul>")


def _summary(blocks: list[dict]) -> str:
    parts = []
    for block in blocks:
        items = "".join(f"<li>{_escape(line)}</li>" for line in block["lines"])
        notes = "".join(f"<p>{_escape(note)}</p>" for note in block["notes"])
        parts.append(f"<p><strong>{_escape(block['heading'])}</strong></p>" + (f"<ol>{items}</ol>" if items else "")
                     + notes)
    return f'<div class="summary">{"".join(parts)}</div>' if parts else ""


def _element_list(data: dict) -> str:
    nodes = data["nodes"]
    if len(nodes) > ELEMENT_LIST_MAX:
        return ""
    kinds = {entry["kind"]: entry["text"] for entry in data["legend"]["nodes"]}
    rows = "".join(f"<li>{_escape(node['label'])} <small>({_escape(kinds.get(node['kind'], node['kind']))})"
                   f"</small></li>" for node in nodes)
    return f"<details><summary>{_escape(data['text']['elements'])} ({len(nodes)})</summary><ul>{rows}</ul></details>"


def _finder(data: dict) -> str:
    """The portfolio's search box, tier filter and way back to the overview."""
    if data["meta"]["mode"] != "portfolio" or not data["search"]:
        return ""
    text = {key: _escape(value) for key, value in data["text"].items()}
    tiers = "".join(f'<option value="{tier}">{_escape(str(tier))}</option>' for tier in data["tiers"])
    return (f'<div class="finder"><h2>{text["search"]}</h2>'
            f'<input id="chainmodel-search" type="search" autocomplete="off" placeholder="{text["search-hint"]}" '
            f'aria-label="{text["search"]}"><ul id="chainmodel-results"></ul>'
            f'<label>{text["tier"]} <select id="chainmodel-tier"><option value="">{text["all-tiers"]}</option>{tiers}'
            f'</select></label><button id="chainmodel-back" type="button">{text["back"]}</button>'
            f'<p id="chainmodel-status" aria-live="polite"></p></div>\n')


def page(data: dict) -> str:
    """The interactive page of :func:`chainmodel.dossier.diagram_data`'s data (see the module docstring)."""
    script, style = vis_assets()
    text, meta = data["text"], data["meta"]
    drawn = data["overview"] if meta["mode"] == "portfolio" else data
    counts = f"{len(drawn['nodes'])} / {len(drawn['edges'])}"
    title = _escape(text["title"])
    return "".join([
        "<!DOCTYPE html>\n",
        f'<html lang="{_escape(meta["lang"])}">\n<head>\n<meta charset="utf-8">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; "
        "style-src 'unsafe-inline'; img-src data:; connect-src 'none'; frame-src 'none'\">\n",
        f"<title>{title}</title>\n",
        f"<style>\n{style}\n</style>\n<style>{_PAGE_STYLE}</style>\n</head>\n<body>\n",
        '<div id="chainmodel-layout">\n<div id="chainmodel-network" role="img" ',
        f'aria-label="{title}"></div>\n<aside id="chainmodel-side">\n',
        f"<h1>{title} <small>({_escape(counts)})</small></h1>\n",
        _finder(data), _summary(data["summary"]),
        f"<h2>{_escape(text['details'])}</h2>\n",
        f'<div id="chainmodel-details" aria-live="polite" data-hint="{_escape(text["details-hint"])}">'
        f"{_escape(text['details-hint'])}</div>\n",
        _legend(data["legend"]), "\n", _element_list(data) if meta["mode"] != "portfolio" else "",
        "\n</aside>\n</div>\n",
        f'<script id="chainmodel-data" type="application/json">{json_for_html(data)}</script>\n',
        f"<script>\n{script}\n</script>\n",
        f"<script>{_PAGE_SCRIPT}</script>\n",
        "</body>\n</html>\n",
    ])


# -- the static picture ----------------------------------------------------------------------------

_FONT = "system-ui,'Hiragino Sans','Noto Sans CJK JP','IPAGothic',sans-serif"
_LABEL_WIDTH = 170  # the page's widthConstraint: labels wrap at this width
_BELOW = ("dot", "diamond", "hexagon", "triangleDown", "star")  # vis-network writes these labels under the shape


def _text_width(text: str, size: float = 14) -> float:
    wide = sum(1 for c in text if unicodedata.east_asian_width(c) in ("W", "F"))
    return (len(text) - wide) * size * 0.55 + wide * size


def _wrap(label: str, width: float = _LABEL_WIDTH) -> list[str]:
    lines, line = [], ""
    for word in re.findall(r"\S+\s*", label) or [label]:
        if line and _text_width(line + word.rstrip()) > width:
            lines.append(line.rstrip())
            line = ""
        while _text_width(word.rstrip()) > width:  # one long word (or Japanese without spaces) is cut
            cut = max(1, next((i for i in range(len(word), 0, -1) if _text_width(word[:i]) <= width), 1))
            lines.append(word[:cut])
            word = word[cut:]
        line += word
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def _shape(node: dict, width: float, height: float) -> str:
    x, y = node["x"], node["y"]
    colour = node.get("color") or {}
    paint = (f'fill="{colour.get("background", "#fff")}" stroke="{colour.get("border", "#000")}" '
             f'stroke-width="{node.get("borderWidth", 1.5)}"')
    dashes = (node.get("shapeProperties") or {}).get("borderDashes")
    if dashes:
        paint += f' stroke-dasharray="{" ".join(map(str, dashes))}"'
    shape, r = node.get("shape", "box"), node.get("size", 16)
    if shape == "ellipse":
        return f'<ellipse cx="{x}" cy="{y}" rx="{width / 2 + 8:.1f}" ry="{height / 2 + 4:.1f}" {paint}/>'
    if shape in ("box", "database"):
        rx = 10 if shape == "database" else 4
        return (f'<rect x="{x - width / 2:.1f}" y="{y - height / 2:.1f}" width="{width:.1f}" height="{height:.1f}" '
                f'rx="{rx}" {paint}/>')
    if shape == "dot":
        return f'<circle cx="{x}" cy="{y}" r="{r}" {paint}/>'
    corners = {"diamond": [(0, -1), (1, 0), (0, 1), (-1, 0)],
               "triangleDown": [(-1, -0.8), (1, -0.8), (0, 1)],
               "hexagon": [(math.cos(a), math.sin(a)) for a in (i * math.pi / 3 for i in range(6))],
               "star": [((1 if i % 2 == 0 else 0.45) * math.cos(a), (1 if i % 2 == 0 else 0.45) * math.sin(a))
                        for i, a in ((i, -math.pi / 2 + i * math.pi / 5) for i in range(10))]}[shape]
    points = " ".join(f"{x + dx * r:.1f},{y + dy * r:.1f}" for dx, dy in corners)
    return f'<polygon points="{points}" {paint}/>'


def _node_svg(node: dict) -> str:
    lines = _wrap(node["label"])
    width = max(_text_width(line) for line in lines) + 16
    height = 17 * len(lines) + 10
    below = node.get("shape") in _BELOW
    font = (node.get("font") or {}).get("color", "#1b1b1b")
    first = node["y"] + (node.get("size", 16) + 16 if below else -17 * (len(lines) - 1) / 2 + 5)
    texts = "".join(f'<tspan x="{node["x"]}" y="{first + 17 * i:.1f}">{_escape(line)}</tspan>'
                    for i, line in enumerate(lines))
    fill = "#1b1b1b" if below else font
    return (f'<g><title>{_escape(node["label"])}</title>{_shape(node, width, height)}'
            f'<text text-anchor="middle" fill="{fill}">{texts}</text></g>')


def _edge_svg(edge: dict, at: dict[str, tuple[int, int]], markers: dict[str, str]) -> str:
    (x1, y1), (x2, y2) = at[edge["from"]], at[edge["to"]]
    colour = edge["color"]["color"]
    attributes = f'stroke="{colour}" stroke-width="{edge["width"]}" fill="none"'
    if edge.get("dashes"):
        attributes += f' stroke-dasharray="{" ".join(map(str, edge["dashes"]))}"'
    if edge.get("arrows") == "to":
        attributes += f' marker-end="url(#{markers.setdefault(colour, f"arrow{len(markers)}")})"'
    if (x1, y1) == (x2, y2):
        size = (edge.get("selfReference") or {}).get("size", 22)
        path = f"M{x1},{y1 - 12} c{size},-{size * 2} {size * 2},0 {size / 2:.1f},{size:.1f}"
    else:
        bend = (edge.get("smooth") or {}).get("roundness", 0) if isinstance(edge.get("smooth"), dict) else 0
        mx, my = (x1 + x2) / 2 + bend * (y2 - y1), (y1 + y2) / 2 - bend * (x2 - x1)
        length = math.hypot(x2 - mx, y2 - my) or 1.0
        x2, y2 = x2 - (x2 - mx) * 22 / length, y2 - (y2 - my) * 22 / length  # stop at the node's edge, not its centre
        path = f"M{x1},{y1} Q{mx:.1f},{my:.1f} {x2:.1f},{y2:.1f}"
    label = ""
    if edge.get("label"):
        label = (f'<text x="{(x1 + x2) / 2:.1f}" y="{(y1 + y2) / 2:.1f}" text-anchor="middle" font-size="12" '
                 f'paint-order="stroke" stroke="#ffffff" stroke-width="4">{_escape(edge["label"])}</text>')
    return f'<path d="{path}" {attributes}/>{label}'


def svg(data: dict, *, standalone: bool = True) -> str:
    """The picture as a static SVG, drawn by the same coordinates as the page (for a portfolio: its overview).

    ``standalone=False`` leaves out the XML namespace line for an SVG written inside HTML.
    """
    drawn = data["overview"] if data["meta"]["mode"] == "portfolio" else data
    nodes, edges = drawn["nodes"], drawn["edges"]
    at = {node["id"]: (node["x"], node["y"]) for node in nodes}
    xs, ys = [x for x, _ in at.values()] or [0], [y for _, y in at.values()] or [0]
    left, top = min(xs) - 120, min(ys) - 60
    width, height = max(xs) - min(xs) + 240, max(ys) - min(ys) + 140
    markers: dict[str, str] = {}
    body = "".join(_edge_svg(edge, at, markers) for edge in edges if edge["from"] in at and edge["to"] in at)
    body += "".join(_node_svg(node) for node in nodes)
    defs = "".join(f'<marker id="{marker}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="11" markerHeight="11" '
                   f'markerUnits="userSpaceOnUse" '
                   f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
                   for colour, marker in markers.items())
    title = _escape(data["text"]["title"])
    head = '<svg xmlns="http://www.w3.org/2000/svg"' if standalone else "<svg"
    return (f'{head} class="chainmodel-picture" role="img" aria-label="{title}" '
            f'viewBox="{left} {top} {width} {height}" width="{width}" height="{height}" '
            f'font-family="{_FONT}" font-size="14"><title>{title}</title><defs>{defs}</defs>'
            f'<rect x="{left}" y="{top}" width="{width}" height="{height}" fill="#ffffff"/>{body}</svg>\n')


def overview_only(data: dict) -> dict:
    """A portfolio's data without what its groups open (for a page embedded in a report, the full one beside it)."""
    if data["meta"]["mode"] != "portfolio":
        return data
    light = {key: value for key, value in data.items() if key not in ("nodes", "edges", "chains", "duties", "search")}
    return light | {"nodes": [], "edges": [], "groups": {}, "chains": {}, "duties": [], "search": []}


# -- compose and render in one call -------------------------------------------------------------------


def diagram_html(view, **options) -> str:
    """:func:`page` of :func:`chainmodel.dossier.diagram_data` (``lang``, ``duty``, ``principal``,
    ``failure``, ``overview``): the same arguments always give the same text."""
    return page(diagram_data(view, **options))


def write_diagram(view, path: str | Path, **options) -> Path:
    """Write :func:`diagram_html` (or, for a ``.svg`` path, :func:`svg`) to ``path`` and return it; nothing else is written."""
    target = Path(path)
    data = diagram_data(view, **options)
    target.write_bytes((svg(data) if target.suffix.lower() == ".svg" else page(data)).encode("utf-8"))
    return target
