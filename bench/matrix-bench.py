#!/usr/bin/env python3
"""alglab matrix benchmark: the full vendor x scenario matrix, one worker and two, in one run.

Runs `alglab matrix --workarounds none --json` (the symptom table and the remediated runs: what
the golden file covers) with --jobs 1 and then --jobs 2 over the same vendors and scenarios
(default: the whole matrix), checks both produced the same matrix, and prints the wall times,
the speed-up (jobs 1 / jobs 2) and the number of simulations; then the whole matrix with the
workaround table, --jobs 2. Target: the matrix without the workaround table in under 60 s with
2 workers on 2 cores.

Not a test: a missed target is reported, and the exit status stays 0 unless a run failed.
"""
import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 60.0


def timed(cmd):
    """Runs cmd; returns (stdout, wall seconds)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"bench: {' '.join(map(str, cmd))} failed ({proc.returncode}): {err.strip()}")
    return out, wall


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alglab", default=str(ROOT / "build" / "bin" / "alglab"))
    parser.add_argument("--vendors", help="comma-separated (default: the whole matrix)")
    parser.add_argument("--scenarios", help="comma-separated (default: the whole matrix)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    base = [args.alglab, "matrix", "--json"]
    tables = ["--workarounds", "none"]
    if args.vendors:
        base += ["--vendors", args.vendors]
    if args.scenarios:
        base += ["--scenarios", args.scenarios]

    one_out, one = timed(base + tables + ["--jobs", "1"])
    two_out, two = timed(base + tables + ["--jobs", "2"])
    full_out, full = timed(base + ["--jobs", "2"])
    one_m, two_m, full_m = json.loads(one_out), json.loads(two_out), json.loads(full_out)
    if one_m != two_m:
        sys.exit("bench: the matrix differs between --jobs 1 and --jobs 2")
    figures = {
        "vendors": len(one_m["vendors"]),
        "scenarios": len(one_m["scenarios"]),
        "simulations": one_m["runs"],
        "workaround_simulations": full_m.get("workaround_runs", 0),
        "wall_seconds_jobs_2_with_workarounds": round(full, 1),
        "cells": len(one_m["vendors"]) * len(one_m["scenarios"]),
        "wall_seconds_jobs_1": round(one, 1),
        "wall_seconds_jobs_2": round(two, 1),
        "speedup_jobs_2": round(one / two, 2),
        "cpus": os.cpu_count(),
        "target_seconds_jobs_2": TARGET_SECONDS,
        "target_met": two < TARGET_SECONDS,
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"matrix: {figures['vendors']} vendors x {figures['scenarios']} scenarios = {figures['cells']} cells, "
          f"{figures['simulations']} simulations (ALG on/off x server NAT traversal on/off, shared ALG-off runs, "
          f"and the remediated run of each cell with a symptom)")
    print(f"  --jobs 1: {one:.1f} s")
    print(f"  --jobs 2: {two:.1f} s  (speed-up {one / two:.2f}x on {os.cpu_count()} CPUs)")
    print(f"  target: the matrix under {TARGET_SECONDS:.0f} s with 2 workers: "
          f"{'met' if two < TARGET_SECONDS else 'MISSED'}")
    print(f"  with the workaround table (+{figures['workaround_simulations']} simulations), --jobs 2: {full:.1f} s")


if __name__ == "__main__":
    main()
