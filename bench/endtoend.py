"""End-to-end figures: chainmodel commands timed as a user runs them, against the parse floor.

Usage:
    python bench/endtoend.py [--principals 14544,145440] [--repeat 3] [--workdir DIR]
                             [--commands audit-json,audit-jsonl,leaks-json,load] [--seed 0]

Each command is a fresh process started with ``subprocess`` (the ``chainmodel`` of this
Python, ``-q``), its standard output written to a file in --workdir (never discarded). Its
wall time is measured from start to exit; its memory is the peak of the summed
proportional set size (PSS, shared pages counted once) of the process and every process
below it (the audit's validation worker), read from /proc every 0.25 s while the total is
under 1 GiB and every second above (reading a 4 GiB process's smaps takes about 60 ms). The
floor is pyoxigraph parsing the same file and nothing else, in a fresh process, measured
in the same run; ratios are medians over medians. Also printed by bench_analyses.py
``--end-to-end``, beside the per-stage figures.

Only public tools are used: time, os, /proc and subprocess. Models are written with
``chainmodel generate --principals N --seed S`` once per --workdir and reused (14,544
principals make about 10^6 triples, 145,440 about 10^7).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from treememory import TreeMemory

COMMANDS = {
    "audit-json": ["audit", "{model}", "--format", "json"],
    "audit-jsonl": ["audit", "{model}", "--format", "jsonl"],
    "audit-text": ["audit", "{model}"],
    "leaks-json": ["leaks", "{model}", "--format", "json"],
    "load": ["load", "{model}", "--store", "oxigraph:{store}"],
}
"""What each named command runs (``chainmodel -q`` first; the audit's exit 1 means findings, not failure)."""

FLOOR = """\
import sys, time
import pyoxigraph
started = time.perf_counter()
count = sum(1 for _ in pyoxigraph.parse(path=sys.argv[1], format=pyoxigraph.RdfFormat.N_TRIPLES))
print(time.perf_counter() - started, count)
"""


def floor(model: str) -> tuple[float, int]:
    """Seconds pyoxigraph takes to parse ``model`` in a fresh process, and the triples it read."""
    out = subprocess.run([sys.executable, "-c", FLOOR, model], check=True, capture_output=True, text=True).stdout
    seconds, count = out.split()
    return float(seconds), int(count)


def _limit(max_bytes: int | None):
    """A preexec_fn giving the child (and its workers) at most ``max_bytes`` of address space."""
    if not max_bytes:
        return None

    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))

    return limit


def run_command(name: str, model: str, workdir: str, max_bytes: int | None = None) -> dict:
    """Run one named command on ``model``; wall seconds, peak MiB of the tree, output bytes, exit code.

    ``max_bytes`` caps each process's address space (RLIMIT_AS): past it the command fails
    with a MemoryError instead of taking a shared machine's memory.
    """
    store = os.path.join(workdir, "store-" + os.path.basename(model).rsplit(".", 1)[0])
    if name == "load" and os.path.exists(store):
        shutil.rmtree(store)
    arguments = [part.format(model=model, store=store) for part in COMMANDS[name]]
    output = os.path.join(workdir, f"out-{name}.txt")
    with open(output, "wb") as stream:
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "chainmodel", "-q", *arguments], stdout=stream,
                                   stderr=subprocess.PIPE, preexec_fn=_limit(max_bytes))
        memory = TreeMemory(process.pid)
        _, errors = process.communicate()
        seconds = time.perf_counter() - started
        peak = memory.stop()
    size = os.path.getsize(output) if name != "load" else sum(e.stat().st_size for e in os.scandir(store))
    text = errors.decode(errors="replace")
    # exit 1 is the audit's "findings of error severity"; a traceback exits 1 too
    failed = process.returncode not in (0, 1) or "Traceback" in text or "Error" in text or not size
    return {"seconds": seconds, "peak_mib": peak, "output_bytes": size, "exit": process.returncode,
            "failed": failed, "error": text[-500:] if failed else ""}


def model_file(workdir: str, principals: int, seed: int) -> str:
    """The generated model of ``principals`` principals in ``workdir``, written once."""
    path = os.path.join(workdir, f"model-{principals}-{seed}.nt")
    if not os.path.exists(path):
        subprocess.run([sys.executable, "-m", "chainmodel", "generate", "--principals", str(principals), "--seed",
                        str(seed), "-o", path], check=True, capture_output=True)
    return path


def measure(model: str, commands: list[str], repeat: int, workdir: str, report=print,
            max_bytes: int | None = None) -> list[dict]:
    """Floor and commands on one model, ``repeat`` times each, interleaved; one row per command."""
    floors, counts, runs = [], 0, {name: [] for name in commands}
    for _ in range(repeat):
        seconds, counts = floor(model)
        floors.append(seconds)
        for name in commands:
            runs[name].append(run_command(name, model, workdir, max_bytes))
    floor_seconds = statistics.median(floors)
    report(f"\n{counts:,} triples, {os.path.getsize(model) / 1e6:.0f} MB: parse floor {floor_seconds:.2f} s "
           f"(median of {repeat}: {', '.join(f'{s:.2f}' for s in floors)})")
    rows = []
    for name, found in runs.items():
        failed = [r for r in found if r["failed"]]
        if failed:
            report(f"  {name:<12} failed (exit {failed[0]['exit']}): {failed[0]['error'].strip()[:300]}")
            continue
        seconds = statistics.median(r["seconds"] for r in found)
        row = {"triples": counts, "command": name, "seconds": round(seconds, 2), "floor_seconds": round(floor_seconds, 3),
               "ratio_to_floor": round(seconds / floor_seconds, 2),
               "peak_mib": round(statistics.median(r["peak_mib"] for r in found)),
               "output_bytes": found[0]["output_bytes"], "runs": [round(r["seconds"], 2) for r in found]}
        rows.append(row)
        report(f"  {name:<12} {seconds:>8.2f} s  {row['ratio_to_floor']:>6.1f}x floor  peak {row['peak_mib']:>6,} MiB  "
               f"output {row['output_bytes'] / 1e6:>8.1f} MB  (runs {', '.join(f'{s:.2f}' for s in row['runs'])})")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--principals", default="14544", help="model sizes in principals, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", default=None, help="where models, stores and outputs go (default: a temporary folder)")
    parser.add_argument("--commands", default="audit-json,audit-jsonl,load", help=f"of {', '.join(COMMANDS)}")
    parser.add_argument("--max-memory", type=float, default=12, help="GiB of address space each process may take "
                        "(RLIMIT_AS; 0: no limit); past it the command fails and is reported so")
    args = parser.parse_args()
    workdir = args.workdir or tempfile.mkdtemp(prefix="chainmodel-e2e-")
    os.makedirs(workdir, exist_ok=True)  # a --workdir that does not exist yet is made
    rows = []
    try:
        for principals in (int(float(s)) for s in args.principals.split(",")):
            model = model_file(workdir, principals, args.seed)
            print(f"{time.strftime('%Y-%m-%d %H:%M')} load average {os.getloadavg()[0]:.2f}", flush=True)
            rows += measure(model, args.commands.split(","), args.repeat, workdir, lambda line: print(line, flush=True),
                            int(args.max_memory * 2 ** 30) or None)
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(rows))


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    main()
