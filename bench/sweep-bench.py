#!/usr/bin/env python3
"""alglab sweep benchmark: Dask workers, in-process runs and the run cache, as ratios in one run.

1. A sweep of N points (register-past-sip-timer, vendors x registration intervals, no cache)
   on a LocalCluster of 1 worker and then 2: wall times and the speed-up. Both include starting
   the cluster, as a user's sweep does.
2. Per-run overhead (measured first, best of 3): M runs of one point with `alglab.run` in this process against M runs of
   `alglab run --json` as one process each (what a sweep of CLI calls would pay): wall per run
   and the ratio. Both produce the same result (checked).
3. The shipped example sweep (scenarios/sweeps/register-interval.yaml) through scripts/sweep.py
   into an empty cache and then again: the second run's wall time over the first's (target:
   under a tenth).

Not a test: a missed target is reported, and the exit status stays 0 unless a run failed.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "build" / "python"))
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "build" / "python"), os.environ.get("PYTHONPATH")) if p)

import alglab  # noqa: E402
import alglab.sweep  # noqa: E402

if alglab.sweep.libraries.rerun_with_debian_python(__file__, sys.argv[1:]):
    sys.exit(f"bench: {sys.executable} lacks {', '.join(alglab.sweep.libraries.missing())}")

SCENARIO = "register-past-sip-timer"
KEY = "phones.defaults.register_expiry"
VENDORS = ["none", "linux-netfilter", "cisco-ios", "cisco-asa", "draytek", "d-link", "fortigate", "meraki-mx"]
VALUES = ["60s", "120s", "180s", "300s", "600s", "900s", "1800s", "3600s"]


def sweep_wall(points, workers):
    start = time.perf_counter()
    frame = alglab.sweep.run(points, cache=False, workers=workers, progress=False)
    return time.perf_counter() - start, frame


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alglab", default=str(ROOT / "build" / "bin" / "alglab"))
    parser.add_argument("--points", type=int, default=64, help="N: points of the worker comparison (default 64)")
    parser.add_argument("--runs", type=int, default=40, help="M: runs of the overhead comparison (default 40)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    # First, before any Dask client lives in this process (after one, in-process runs measured
    # slower). One short point: the overhead of a process per run shows most on short runs. The
    # CLI links jemalloc and the module cannot (Python's allocator is already glibc's), so the
    # process start alone (`alglab --version`) is measured too.
    kwargs = {"vendor": "none", "seed": 1, "set": {KEY: "600s"}}
    cli = [args.alglab, "run", SCENARIO, "--vendor", "none", "--seed", "1", "--set", f"{KEY}=600s", "--json"]
    reference = alglab.run(SCENARIO, **kwargs)
    in_process = per_process = float("inf")
    for _ in range(3):  # best of three, alternating, so both see the same machine
        start = time.perf_counter()
        for _ in range(args.runs):
            if alglab.run(SCENARIO, **kwargs) != reference:
                sys.exit("bench: an in-process run differs from the first")
        in_process = min(in_process, (time.perf_counter() - start) / args.runs)
        start = time.perf_counter()
        for _ in range(args.runs):
            out = subprocess.run(cli, capture_output=True, text=True, check=True).stdout
            if json.loads(out) != reference:
                sys.exit("bench: a CLI run differs from the in-process run")
        per_process = min(per_process, (time.perf_counter() - start) / args.runs)
    start = time.perf_counter()
    for _ in range(args.runs):
        subprocess.run([args.alglab, "--version"], capture_output=True, check=True)
    process_start = (time.perf_counter() - start) / args.runs

    grid = [(v, x) for x in VALUES for v in VENDORS]
    points = [{"scenario": SCENARIO, "vendor": v, "seed": 1 + i // len(grid), "set": {KEY: x}}
              for i, (v, x) in enumerate(grid * (1 + args.points // len(grid)))][:args.points]
    sweep = alglab.sweep.from_points(points, name="bench")
    one, frame_one = sweep_wall(sweep, 1)
    two, frame_two = sweep_wall(sweep, 2)
    if not frame_one.equals(frame_two):
        sys.exit("bench: the 1-worker and 2-worker sweeps differ")

    example = ROOT / "scenarios" / "sweeps" / "register-interval.yaml"
    walls = []
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "ALGLAB_CACHE_DIR": str(Path(tmp) / "cache")}
        for attempt in range(2):
            start = time.perf_counter()
            subprocess.run([sys.executable, str(ROOT / "scripts" / "sweep.py"), str(example), "--out",
                            str(Path(tmp) / f"out{attempt}"), "--workers", "2", "--quiet"],
                           env=env, check=True, capture_output=True)
            walls.append(time.perf_counter() - start)
    example_points = len(alglab.sweep.load(example).points)

    figures = {
        "points": args.points, "one_worker_s": round(one, 2), "two_workers_s": round(two, 2),
        "speedup": round(one / two, 2),
        "runs": args.runs, "in_process_ms_per_run": round(in_process * 1000, 1),
        "cli_process_ms_per_run": round(per_process * 1000, 1),
        "overhead_ratio_cli_over_in_process": round(per_process / in_process, 2),
        "cli_process_start_ms": round(process_start * 1000, 1),
        "example_points": example_points, "example_first_s": round(walls[0], 2),
        "example_cached_s": round(walls[1], 2), "example_cached_ratio": round(walls[1] / walls[0], 3),
        "source_hash": alglab.source_hash,
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"sweep of {args.points} points, no cache: 1 worker {one:.1f} s, 2 workers {two:.1f} s "
          f"(speed-up {one / two:.2f}x)")
    print(f"one run of {SCENARIO}: in process {in_process * 1000:.1f} ms, one CLI process each "
          f"{per_process * 1000:.1f} ms (ratio {per_process / in_process:.2f}); starting the CLI process alone "
          f"{process_start * 1000:.1f} ms")
    verdict = "met" if walls[1] < walls[0] / 10 else "MISSED"
    print(f"example sweep ({example_points} points): first {walls[0]:.1f} s, from the cache {walls[1]:.2f} s "
          f"(ratio {walls[1] / walls[0]:.3f}; target < 0.1: {verdict})")


if __name__ == "__main__":
    main()
