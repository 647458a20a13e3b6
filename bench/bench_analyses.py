"""Benchmark: time and peak memory of the analyses on generated chain models of growing size.

Usage: python bench/bench_analyses.py [--sizes 50,200,800,3200] [--repeat 3] [--seed 0]

For each size (number of principals) a model is generated with a fixed seed, written to a
temporary N-Triples file, and each stage runs in a fresh child process (so peak memory is
that stage's own): load + view, leaks, cutsets --order 2, blast --rank, and the parse floor
(pyoxigraph parsing the same file and nothing else). Prints medians over --repeat runs and
the ratio to the floor, and the growth of each stage against the growth of the model.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

STAGES = ("floor", "load", "leaks", "cutsets", "blast-rank")


def _stage(path: str, stage: str, queue) -> None:
    import resource

    import pyoxigraph

    started = time.perf_counter()
    if stage == "floor":
        count = sum(1 for _ in pyoxigraph.parse(path=path, format=pyoxigraph.RdfFormat.N_TRIPLES))
    else:
        from chainmodel.model import load_model
        from chainmodel.views import chain_view

        if stage != "load":
            view = chain_view(load_model([path]))
            started = time.perf_counter()  # the analysis alone, after loading
        if stage == "load":
            view = chain_view(load_model([path]))
            count = len(view.consignments)
        elif stage == "leaks":
            from chainmodel.leaks import single_points_of_failure

            count = len(single_points_of_failure(view))
        elif stage == "cutsets":
            from chainmodel.cutsets import minimal_cut_sets
            from chainmodel.failures import harms

            count = sum(len(minimal_cut_sets(h, 2)) for h in harms(view))
        else:
            from chainmodel.blast import blast_rank

            count = len(blast_rank(view))
    elapsed = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put((elapsed, peak_kib / 1024, count))


def measure(path: str, stage: str) -> tuple[float, float, int]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_stage, args=(path, stage, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,200,800,3200", help="principals per model, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    from chainmodel.generate import write_model

    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for principals in (int(s) for s in args.sizes.split(",")):
            path = os.path.join(folder, f"model-{principals}.nt")
            triples = write_model(path, principals, seed=args.seed)
            row = {"principals": principals, "triples": triples}
            for stage in STAGES:
                runs = [measure(path, stage) for _ in range(args.repeat)]
                row[stage] = {"seconds": statistics.median(r[0] for r in runs),
                              "peak_mib": statistics.median(r[1] for r in runs), "count": runs[0][2]}
            rows.append(row)
            print(f"{principals:>7} principals {triples:>10,} triples: " + "  ".join(
                f"{s} {row[s]['seconds']:.3f}s/{row[s]['peak_mib']:.0f}MiB" for s in STAGES), flush=True)
    print()
    print("stage        " + "  ".join(f"{r['triples']:>12,}" for r in rows) + "   (seconds; ratio to parse floor)")
    for stage in STAGES[1:]:
        cells = [f"{r[stage]['seconds']:>7.3f} ({r[stage]['seconds'] / max(r['floor']['seconds'], 1e-9):>4.0f}x)" for r in rows]
        print(f"{stage:<12} " + "  ".join(f"{c:>12}" for c in cells))
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        growth = last["triples"] / first["triples"]
        print(f"\nmodel grew {growth:.1f}x; time grew: " + ", ".join(
            f"{s} {last[s]['seconds'] / max(first[s]['seconds'], 1e-9):.1f}x" for s in STAGES[1:]))
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
