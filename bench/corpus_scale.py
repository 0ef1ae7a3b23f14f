"""Corpus-scale figures: the batch CLI's throughput with ``--jobs N`` and ``--engine dask`` on the same
files, and the peak memory of the whole process tree (client, scheduler, workers) at two corpus sizes.

    .venv/bin/python bench/corpus_scale.py [--sizes 2000 20000] [--jobs 2] [--format jsonl|parquet]

Articles come from ``bench/corpus.py`` (shuffled sentences of the project's own texts). Memory is the
sum of the resident sizes of the command and all its descendants, sampled every 50 ms; the peak is
the largest sum seen. Output goes to a file on disk (jsonl) or a Parquet folder, as a real run would.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import build_corpus, write_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass  # a worker that just exited
    return total


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(cmd: list[str], cwd: Path) -> tuple[float, float, int, int]:
    """(seconds, CPU seconds of the whole tree, peak tree RSS in bytes, exit code).

    CPU seconds count every process the command started and waited for (pool or Dask workers): on a
    shared machine they say what the work cost where wall time says how busy the neighbours were.
    """
    cpu0 = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    ps = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            peak = max(peak, tree_rss(ps))
        except psutil.Error:
            break
        time.sleep(0.05)
    secs = time.perf_counter() - start
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode:
        print(err, file=sys.stderr)
    return secs, _children_cpu() - cpu0, peak, proc.returncode


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--format", choices=("jsonl", "parquet"), default="jsonl")
    args = ap.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="geo-corpus-bench-") as tmp:
        for n in args.sizes:
            folder = Path(tmp) / f"corpus-{n}"
            write_corpus(build_corpus(n), folder)
            for name, extra in (("local", ["--jobs", str(args.jobs)]), ("dask", ["--engine", "dask", "--jobs", str(args.jobs)])):
                out = Path(tmp) / f"out-{n}-{name}" / ("run" if args.format == "parquet" else "run.jsonl")
                out.parent.mkdir()
                cmd = [sys.executable, "-m", "geo", "extract", str(folder), "--format", args.format, "-o", str(out), *extra]
                secs, cpu, peak, code = run(cmd, ROOT)
                rows.append((n, name, secs, cpu, peak / 2**20, code))
                print(f"{n:>7,} articles  {name:<6} {secs:7.1f} s  {n / secs:6.0f} articles/s  CPU {cpu:7.1f} s "
                      f"({n / cpu:5.0f} articles/CPU-s)  peak RSS {peak / 2**20:6.0f} MB  exit {code}", flush=True)
                shutil.rmtree(out.parent)
            shutil.rmtree(folder)
    print("\n| articles | engine | wall s | articles/s | CPU s (tree) | articles/CPU-s | peak RSS (tree) |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for n, name, secs, cpu, mb, _ in rows:
        print(f"| {n:,} | {name} (jobs {args.jobs}) | {secs:.1f} | {n / secs:.0f} | {cpu:.1f} | {n / cpu:.0f} | {mb:.0f} MB |")
    print(f"\n{os.cpu_count()} cores; load average before: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
