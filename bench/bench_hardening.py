"""Benchmark: what the hardening of issue 10 costs, on generated models of growing size.

Usage:
    python bench/bench_hardening.py [--triples 1e5,1e6] [--repeat 3] [--workdir DIR]

For each size a model is generated (chainmodel.generate, seed 0), written as N-Triples and
loaded into a store with ``chainmodel.snapshot.load_store``. Then, each in a fresh process
(the operating system's file cache warm, as for a second command on the same store):

* seal: hashing every file of the store for the manifest (SHA-256), and its size;
* verify: ``read_manifest`` re-hashing every file, as the first command in a process does;
* view: opening the store and reading the saved view (verification included), as every
  command on a store does;
* query: ``run_query`` of a one-row query on the store (fork, seccomp filter, memory limit,
  parse, canonical text and its re-parse, Oxigraph), against the same query run directly in
  pyoxigraph;
* limit: ``SELECT ?s ?o WHERE { ?s ?p ?o }`` with ``limit=10`` (reading stops after 11 rows)
  against the same query without a limit (every row read, sent back and sorted).

And, independent of size, rdf:HTML literals of growing length: chainmodel's loader (kept as
text) against rdflib's Literal constructor (parsed into a DOM). Prints medians and a JSON
line with everything.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _timed(stage: str, store: str, queue) -> None:
    from chainmodel.model import ChainModel
    from chainmodel.snapshot import chain_view, open_store
    from chainmodel.store import _content_files, _digest, read_manifest

    started = time.perf_counter()  # imports are not the stage's cost
    if stage == "verify":
        detail = len(read_manifest(store)["files"])
    elif stage == "view":
        detail = len(chain_view(ChainModel(graph=open_store(f"oxigraph:{store}")), keep_scans=False).consignments)
    else:  # seal: what write_manifest hashes
        detail = sum(entry.stat().st_size for entry in _content_files(store))
        for entry in _content_files(store):
            _digest(entry.path)
    queue.put((time.perf_counter() - started, detail))


def fresh(stage: str, store: str) -> tuple[float, int]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_timed, args=(stage, store, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def median_seconds(call, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def query_costs(store: str, repeat: int) -> dict:
    import pyoxigraph

    from chainmodel.snapshot import open_store
    from chainmodel.sparql import run_query

    graph = open_store(f"oxigraph:{store}")
    one = "SELECT ?s WHERE { ?s a <https://w3id.org/chainmodel#Duty> } LIMIT 1"
    direct = pyoxigraph.Store.read_only(store)
    every = "SELECT ?s ?o WHERE { ?s ?p ?o }"
    return {
        "query_sandboxed_s": median_seconds(lambda: run_query(graph, one, timeout=600), repeat),
        "query_direct_s": median_seconds(lambda: list(direct.query(one)), repeat),
        "limit_10_s": median_seconds(lambda: run_query(graph, every, timeout=600, limit=10), repeat),
        "no_limit_s": median_seconds(lambda: run_query(graph, every, timeout=600), 1),
    }


def html_costs() -> list[dict]:
    from rdflib import Literal
    from rdflib.namespace import RDF

    from chainmodel.loading import rdf_literal

    rows = []
    for divs in (1_000, 2_000, 4_000, 50_000):
        text = "<div>" * divs
        kept = median_seconds(lambda: rdf_literal(text, datatype=str(RDF.HTML)), 3)
        parsed = None
        if divs <= 4_000:  # rdflib's DOM: minutes at 50,000
            import logging

            logging.getLogger("rdflib").setLevel(logging.ERROR)
            parsed = median_seconds(lambda: Literal(text, datatype=RDF.HTML), 1)
        rows.append({"divs": divs, "chainmodel_s": kept, "rdflib_dom_s": parsed})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", default="1e5,1e6", help="approximate model sizes, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", default=None)
    args = parser.parse_args()
    from chainmodel.generate import principals_for_triples, write_model
    from chainmodel.snapshot import load_store

    workdir = args.workdir or tempfile.mkdtemp(prefix="chainmodel-bench-")
    rows = []
    try:
        for wanted in (int(float(s)) for s in args.triples.split(",")):
            path = os.path.join(workdir, f"model-{wanted}.nt")
            store = os.path.join(workdir, f"store-{wanted}")
            triples = write_model(path, principals_for_triples(wanted), seed=0)
            if os.path.exists(store):
                shutil.rmtree(store)
            started = time.perf_counter()
            load_store([path], store)
            load_seconds = time.perf_counter() - started
            size = sum(entry.stat().st_size for entry in os.scandir(store))
            row = {"triples": triples, "store_mb": round(size / 1e6, 1), "load_s": round(load_seconds, 2)}
            for stage in ("seal", "verify", "view"):
                row[f"{stage}_s"] = statistics.median(fresh(stage, store)[0] for _ in range(args.repeat))
            row.update(query_costs(store, args.repeat))
            rows.append(row)
            print(f"\n{triples:,} triples: store {row['store_mb']} MB, load {row['load_s']:.1f} s", flush=True)
            print(f"  manifest: seal (hash every file) {row['seal_s']:.2f} s; verify in a new process "
                  f"{row['verify_s']:.2f} s; open + saved view {row['view_s']:.2f} s", flush=True)
            print(f"  query: sandboxed run_query {row['query_sandboxed_s']:.3f} s against pyoxigraph directly "
                  f"{row['query_direct_s']:.3f} s", flush=True)
            print(f"  --limit 10 on every triple: {row['limit_10_s']:.2f} s; no limit (all rows read, sorted): "
                  f"{row['no_limit_s']:.2f} s", flush=True)
        html = html_costs()
        print("\nrdf:HTML literal of N <div>: chainmodel (kept as text) / rdflib (parsed to a DOM)")
        for item in html:
            shown = f"{item['rdflib_dom_s']:.2f} s" if item["rdflib_dom_s"] is not None else "(not run: minutes)"
            print(f"  {item['divs']:>6,}: {item['chainmodel_s'] * 1e3:.2f} ms / {shown}", flush=True)
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps({"sizes": rows, "html": html}))


if __name__ == "__main__":
    main()
