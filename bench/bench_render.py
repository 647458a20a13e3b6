"""Time and size of the report and the diagram at portfolio scale (issue 15, items 3 and 4).

    python bench/bench_render.py --principals 2000 [--seed 0] [--lang ja]

Generates the model, then prints, for each stage as ``chainmodel report`` and ``chainmodel
diagram`` run it, the seconds it takes and the peak memory so far, and the size of each
file written (report HTML, the JSON beside it, the full diagram, the SVG). Figures, not a
test: read them against the README's.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chainmodel.diagram import overview_only, page, svg  # noqa: E402
from chainmodel.dossier import diagram_data, report_data  # noqa: E402
from chainmodel.generate import write_model  # noqa: E402
from chainmodel.model import load_model  # noqa: E402
from chainmodel.report import render_html  # noqa: E402
from chainmodel.views import chain_view  # noqa: E402


def _peak() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--principals", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--lang", default="en", choices=("en", "ja"))
    options = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")
    folder = Path(tempfile.mkdtemp(prefix="bench-render-"))
    model = folder / "m.nt"
    write_model(model, options.principals, seed=options.seed)
    rows = []

    def stage(name: str, work):
        started = time.perf_counter()
        result = work()
        rows.append((name, time.perf_counter() - started, _peak()))
        return result

    view = stage("read the model and derive the view", lambda: chain_view(load_model([model])))
    data = stage("compose the report (audit, describe, inventory, traces, timelines, groups)",
                 lambda: report_data(view, options.lang))
    drawing = stage("compose the diagram (draw, place, group)", lambda: diagram_data(view, lang=options.lang))
    files = {
        "report.html": stage("render the report HTML", lambda: render_html(data, overview_only(drawing), detail="report.json",
                                                                           picture="report.diagram.html")),
        "report.json": stage("write the JSON beside it", lambda: json.dumps(data, ensure_ascii=False, sort_keys=True,
                                                                           separators=(",", ":"))),
        "report.diagram.html": stage("render the full diagram page", lambda: page(drawing)),
        "diagram.svg": stage("render the SVG", lambda: svg(drawing)),
    }
    print(f"{options.principals:,} principals: {len(view.parties):,} parties, {len(view.consignments):,} consignments, "
          f"overview {drawing['meta'].get('overviewNodes', len(drawing['nodes'])):,} nodes / "
          f"{drawing['meta'].get('overviewEdges', len(drawing['edges'])):,} edges")
    for name, seconds, peak in rows:
        print(f"  {name:<78} {seconds:7.2f} s   peak {peak:7.0f} MiB")
    for name, text in files.items():
        print(f"  {name:<22} {len(text.encode('utf-8')) / 1e6:8.2f} MB")


if __name__ == "__main__":
    main()
