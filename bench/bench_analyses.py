"""Benchmark: every analysis on generated chain models of growing size, per backend.

Usage:
    python bench/bench_analyses.py [--triples 1e5,1e6,1e7 | --principals 14544,145440]
                                   [--backends tables,memory,oxigraph] [--repeat 3] [--seed 0]
                                   [--memory-limit 2e6] [--workdir DIR] [--stages load,view,...,audit]
                                   [--end-to-end audit-json,audit-jsonl,load]

For each size a model is generated with a fixed seed (chainmodel.generate) and written as
N-Triples. Each stage then runs in a fresh child process, so its peak memory (max RSS) is
its own: the parse floor (pyoxigraph parsing the file, nothing else), load (tables: read the
file into tables, as every command but query, whatif and export reads a file; memory: parse
into an rdflib Graph; oxigraph: `chainmodel load`, i.e. parse the file once into the store
and into tables, derive the chain view and save it in the store), view (tables, memory:
deriving the chain view; oxigraph: opening the store and reading the saved view with the
scans validation uses),
validate, trace (all duties), leaks, cutsets --order 2 and blast --rank. Each of these
analysis stages derives the view first, outside its timing; memory is the whole process
(max RSS). audit is the whole audit as `chainmodel audit` runs it, timed end to end: open
the store (memory: parse the file), read or derive the view, then validate in a forked
worker while leaks and blast --rank run here; its memory is the peak of the summed PSS of
both processes (shared pages counted once), sampled every second. "sum" adds the
one-at-a-time stages view, validate, leaks and blast --rank (and, in memory, the load) for
comparison. Prints medians over --repeat runs, the ratio of each time to the parse floor,
and a JSON line with everything. The rdflib backend (memory) is skipped above
--memory-limit triples (rdflib needs about 1.2 KB a triple).

--end-to-end adds, for each size, the commands of bench/endtoend.py as a user runs them:
``chainmodel audit FILE --format json > out`` and the like, each a fresh process with its
output written to a file, its wall time, the peak PSS of its whole process tree, and the
output's size, against the parse floor measured again beside them.
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

from treememory import TreeMemory

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # endtoend.py beside this file

ANALYSES = ("view", "validate", "trace", "leaks", "cutsets", "blast-rank", "audit")
SEQUENTIAL_AUDIT = ("view", "validate", "leaks", "blast-rank")
"""The whole audit done stage by stage: derive the view, then validate, leaks and blast --rank."""


def _open(backend: str, path: str, store: str | None):
    from chainmodel.model import ChainModel, load_model
    from chainmodel.snapshot import open_store

    if backend in ("memory", "tables"):
        return load_model([path], backend="rdflib" if backend == "memory" else "tables")
    return ChainModel(graph=open_store(f"oxigraph:{store}"), sources=(store,))


def _run_stage(stage: str, backend: str, path: str, store: str | None, queue) -> None:
    import resource

    started = time.perf_counter()
    count = 0
    if stage == "floor":
        import pyoxigraph

        count = sum(1 for _ in pyoxigraph.parse(path=path, format=pyoxigraph.RdfFormat.N_TRIPLES))
    elif stage == "load":
        if backend in ("memory", "tables"):
            from chainmodel.snapshot import chain_view

            count = len(chain_view(_open(backend, path, store)).consignments)
        else:
            from chainmodel.snapshot import load_store

            count = load_store([path], store)
    elif stage == "audit":
        from chainmodel.audit import audit
        from chainmodel.snapshot import chain_view

        sampler = TreeMemory(os.getpid(), interval=1.0)
        started = time.perf_counter()
        model = _open(backend, path, store)  # timed from here: the load (memory) or opening the store
        view = chain_view(model, keep_scans=False)  # the worker reads the scans it validates with
        gc.freeze()  # as the CLI does once the model is loaded
        result = audit(view)
        count = len(result.findings) + len(result.leaks) + len(result.blasts)
        seconds = time.perf_counter() - started
        queue.put((seconds, sampler.stop(), count))
        return
    elif stage == "view":
        from chainmodel.snapshot import chain_view

        model = _open(backend, path, store)
        if backend in ("memory", "tables"):
            started = time.perf_counter()  # the parse is in "load"; here only the derivation
        count = len(chain_view(model).consignments)
    else:
        from chainmodel.snapshot import chain_view

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
    parser.add_argument("--principals", default=None, help="model sizes in principals instead (14544: about 10^6 triples)")
    parser.add_argument("--backends", default="tables,memory,oxigraph")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--memory-limit", type=float, default=2e6)
    parser.add_argument("--workdir", default=None, help="where to write models and stores (default: a temporary folder)")
    parser.add_argument("--stages", default=",".join(("load",) + ANALYSES),
                        help="which stages, comma-separated (without load, the store from an earlier run in --workdir is used)")
    parser.add_argument("--end-to-end", default="", help="commands of bench/endtoend.py to run as a user does, e.g. "
                        "audit-json,audit-jsonl,load")
    parser.add_argument("--max-memory", type=float, default=12, help="with --end-to-end: GiB of address space each "
                        "command's process may take (0: no limit)")
    args = parser.parse_args()
    wanted_stages = [stage for stage in ("load",) + ANALYSES if stage in args.stages.split(",")]
    from chainmodel.generate import principals_for_triples, write_model

    workdir = args.workdir or tempfile.mkdtemp(prefix="chainmodel-bench-")
    rows = []
    try:
        sizes = ([(None, int(float(s))) for s in args.principals.split(",")] if args.principals else
                 [(int(float(s)), principals_for_triples(int(float(s)))) for s in args.triples.split(",")])
        for wanted, principals in sizes:
            path = os.path.join(workdir, f"model-{principals}-{args.seed}.nt")
            if os.path.exists(path):  # a model an earlier run with this --workdir wrote
                with open(path, "rb") as stream:
                    triples = sum(block.count(b"\n") for block in iter(lambda: stream.read(1 << 24), b""))
            else:
                triples = write_model(path, principals, seed=args.seed)
            wanted = wanted or triples
            floor = [measure("floor", "memory", path, None) for _ in range(args.repeat)]
            floor_seconds = statistics.median(r[0] for r in floor)
            print(f"\n{triples:,} triples ({principals:,} principals), file {os.path.getsize(path) / 1e6:.0f} MB, "
                  f"parse floor {floor_seconds:.2f} s", flush=True)
            for backend in args.backends.split(","):
                if backend == "memory" and triples > args.memory_limit:
                    print(f"  {backend}: skipped above {args.memory_limit:,.0f} triples", flush=True)
                    continue
                store = os.path.join(workdir, f"store-{wanted}") if backend == "oxigraph" else None
                if store and "load" not in wanted_stages and not os.path.isdir(store):
                    parser.error(f"{store} does not exist: include the load stage, or give the --workdir of an earlier run")
                for stage in wanted_stages:
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
                stages = SEQUENTIAL_AUDIT + (("load",) if backend != "oxigraph" else ())  # a file is parsed on every run
                parts = [r for r in rows if r["triples"] == triples and r["backend"] == backend and r["stage"] in stages]
                if len(parts) < len(stages):
                    continue  # not every stage of the sum was run
                total = sum(r["seconds"] for r in parts)
                print(f"  {backend:<8} {'sum':<10} {total:>9.2f} s  {total / floor_seconds:>7.1f}x floor  "
                      f"peak {max(r['peak_mib'] for r in parts):>7.0f} MiB  ({' + '.join(stages)}, one at a time)",
                      flush=True)
            if args.end_to_end:
                from endtoend import measure as end_to_end

                print("  end to end, as a user runs it (fresh process, output written to a file):", flush=True)
                rows += end_to_end(path, args.end_to_end.split(","), args.repeat, workdir,
                                   lambda line: print("  " + line.strip("\n") if line.strip() else line, flush=True),
                                   int(args.max_memory * 2 ** 30) or None)
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
