"""Benchmark: every analysis on generated chain models of growing size, per backend.

Usage:
    python bench/bench_analyses.py [--triples 1e5,1e6,1e7] [--backends memory,oxigraph]
                                   [--repeat 3] [--seed 0] [--memory-limit 2e6]

For each size a model is generated with a fixed seed (chainmodel.generate) and written as
N-Triples. Each stage then runs in a fresh child process, so its peak memory (max RSS) is
its own: the parse floor (pyoxigraph parsing the file, nothing else), load (memory: parse
into rdflib; oxigraph: bulk load into an on-disk store), view (deriving the chain view;
for oxigraph this reads the store), validate, trace (all duties), leaks, cutsets --order 2
and blast --rank. Each analysis stage derives the view first, outside its timing; memory is
the whole process. AUDIT adds view, validate, leaks and blast --rank (and, in memory,
the load, which every run repeats; a store is loaded once). Prints medians over --repeat runs, the ratio of each time to
the parse floor, and a JSON line with everything. The in-memory backend is skipped above
--memory-limit triples (rdflib needs about 1.2 KB a triple).
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

ANALYSES = ("view", "validate", "trace", "leaks", "cutsets", "blast-rank")
AUDIT = ("view", "validate", "leaks", "blast-rank")
"""The whole audit: derive the view, then validate, leaks and blast --rank."""


def _open(backend: str, path: str, store: str | None):
    from chainmodel.model import ChainModel, load_model
    from chainmodel.store import open_store

    if backend == "memory":
        return load_model([path])
    return ChainModel(graph=open_store(f"oxigraph:{store}"), sources=(store,))


def _run_stage(stage: str, backend: str, path: str, store: str | None, queue) -> None:
    import resource

    started = time.perf_counter()
    count = 0
    if stage == "floor":
        import pyoxigraph

        count = sum(1 for _ in pyoxigraph.parse(path=path, format=pyoxigraph.RdfFormat.N_TRIPLES))
    elif stage == "load":
        if backend == "memory":
            from chainmodel.views import chain_view

            count = len(chain_view(_open(backend, path, store)).consignments)
        else:
            from chainmodel.store import load_store

            count = load_store([path], store)
    elif stage == "view":
        from chainmodel.views import chain_view

        model = _open(backend, path, store)
        if backend == "memory":
            started = time.perf_counter()  # the parse is in "load"; here only the derivation
        count = len(chain_view(model).consignments)
    else:
        from chainmodel.views import chain_view

        view = chain_view(_open(backend, path, store), keep_scans=stage == "validate")  # as the CLI does
        gc.freeze()  # as the CLI does once the model is loaded
        started = time.perf_counter()
        if stage == "validate":
            from chainmodel.validate import validate

            count = len(validate(view))
        elif stage == "trace":
            from chainmodel.trace import trace_all

            count = sum(len(t.chains) for t in trace_all(view))
        elif stage == "leaks":
            from chainmodel.leaks import single_points_of_failure

            count = len(single_points_of_failure(view))
        elif stage == "cutsets":
            from chainmodel.cutsets import minimal_cut_sets
            from chainmodel.failures import harms

            count = sum(len(minimal_cut_sets(h, 2)) for h in harms(view))
        elif stage == "blast-rank":
            from chainmodel.blast import blast_rank

            count = len(blast_rank(view))
    seconds = time.perf_counter() - started
    queue.put((seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, count))


def measure(stage: str, backend: str, path: str, store: str | None) -> tuple[float, float, int]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_run_stage, args=(stage, backend, path, store, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", default="1e5,1e6", help="approximate model sizes, comma-separated")
    parser.add_argument("--backends", default="memory,oxigraph")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--memory-limit", type=float, default=2e6)
    parser.add_argument("--workdir", default=None, help="where to write models and stores (default: a temporary folder)")
    args = parser.parse_args()
    from chainmodel.generate import principals_for_triples, write_model

    workdir = args.workdir or tempfile.mkdtemp(prefix="chainmodel-bench-")
    rows = []
    try:
        for wanted in (int(float(s)) for s in args.triples.split(",")):
            principals = principals_for_triples(wanted)
            path = os.path.join(workdir, f"model-{wanted}.nt")
            triples = write_model(path, principals, seed=args.seed)
            floor = [measure("floor", "memory", path, None) for _ in range(args.repeat)]
            floor_seconds = statistics.median(r[0] for r in floor)
            print(f"\n{triples:,} triples ({principals:,} principals), file {os.path.getsize(path) / 1e6:.0f} MB, "
                  f"parse floor {floor_seconds:.2f} s", flush=True)
            for backend in args.backends.split(","):
                if backend == "memory" and triples > args.memory_limit:
                    print(f"  {backend}: skipped above {args.memory_limit:,.0f} triples", flush=True)
                    continue
                store = os.path.join(workdir, f"store-{wanted}") if backend == "oxigraph" else None
                for stage in ("load",) + ANALYSES:
                    runs = []
                    for _ in range(args.repeat if stage != "load" or backend == "memory" else 1):
                        if stage == "load" and store and os.path.exists(store):
                            shutil.rmtree(store)
                        runs.append(measure(stage, backend, path, store))
                    seconds = statistics.median(r[0] for r in runs)
                    peak = statistics.median(r[1] for r in runs)
                    row = {"triples": triples, "backend": backend, "stage": stage, "seconds": round(seconds, 3),
                           "peak_mib": round(peak), "floor_seconds": round(floor_seconds, 3),
                           "ratio_to_floor": round(seconds / floor_seconds, 2), "result_count": runs[0][2]}
                    rows.append(row)
                    print(f"  {backend:<8} {stage:<10} {seconds:>9.2f} s  {row['ratio_to_floor']:>7.1f}x floor  "
                          f"peak {peak:>7.0f} MiB  ({runs[0][2]:,} results)", flush=True)
                stages = AUDIT + (("load",) if backend == "memory" else ())  # memory must parse on every run
                audit = [r for r in rows if r["triples"] == triples and r["backend"] == backend and r["stage"] in stages]
                total = sum(r["seconds"] for r in audit)
                print(f"  {backend:<8} {'AUDIT':<10} {total:>9.2f} s  {total / floor_seconds:>7.1f}x floor  "
                      f"peak {max(r['peak_mib'] for r in audit):>7.0f} MiB  ({' + '.join(stages)})",
                      flush=True)
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
