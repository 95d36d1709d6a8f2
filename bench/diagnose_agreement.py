#!/usr/bin/env python3
"""How often `alglab diagnose` agrees with the simulation, over every matrix cell.

For each vendor (not the teaching models) x each shipped scenario the matrix runs (not those
marked matrix: false), runs the cell with its pcaps, diagnoses the router's LAN capture with
--wan its WAN capture, and compares (tests/cli/diagnose_check.py):
  - symptoms: each symptom the run measured that a capture can show, named by diagnose?
  - rewrites: the (direction, message, field) rewrites the router's ALG recorded, shown across
    the router, and nothing else?
Prints one line per cell and the totals. A report, not a test (it takes minutes).

    python3 bench/diagnose_agreement.py [--alglab build/bin/alglab] [--jobs 2] [--vendors a,b] [--scenarios x,y]
"""
import argparse
import json
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

SOURCE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(SOURCE_DIR / "tests" / "cli"))
from diagnose_check import compare  # noqa: E402


def listed(alglab, what):
    return json.loads(subprocess.run([alglab, "list", what, "--json"], capture_output=True, text=True,
                                     check=True, timeout=60).stdout)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--alglab", default=str(SOURCE_DIR / "build" / "bin" / "alglab"))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--vendors")
    parser.add_argument("--scenarios")
    args = parser.parse_args()
    vendors = args.vendors.split(",") if args.vendors else [v["id"] for v in listed(args.alglab, "vendors")
                                                             if not v.get("example")]
    if args.scenarios:
        scenarios = args.scenarios.split(",")
    else:
        scenarios = []
        for s in listed(args.alglab, "scenarios"):
            text = Path(s["path"]).read_text()
            if "\nmatrix: false" not in text:
                scenarios.append(s["name"])
    cells = [(v, s) for v in vendors for s in scenarios]

    with tempfile.TemporaryDirectory() as tmp:
        def one(cell):
            vendor, scenario = cell
            out = Path(tmp) / f"{scenario}-{vendor}"
            run = subprocess.run([args.alglab, "run", scenario, "--vendor", vendor, "--out", str(out), "--json"],
                                 capture_output=True, text=True, timeout=900)
            if run.returncode != 0:
                return cell, {"error": run.stderr.strip()}
            diag = subprocess.run([args.alglab, "diagnose", str(out / "router-if1.pcap"), "--wan",
                                   str(out / "router-if2.pcap"), "--json"], capture_output=True, text=True, timeout=900)
            if diag.returncode != 0:
                return cell, {"error": diag.stderr.strip()}
            result = compare(json.loads(run.stdout), json.loads(diag.stdout))
            for path in out.glob("*"):
                path.unlink()
            return cell, result

        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            results = dict(pool.map(one, cells))

    totals = {"cells": 0, "symptoms_expected": 0, "symptoms_found": 0, "symptoms_extra": 0, "rewrite_cells_exact": 0,
              "rewrites_expected": 0, "rewrites_missed": 0, "rewrites_extra": 0, "none_alg_alarms": 0, "errors": 0}
    for (vendor, scenario), r in results.items():
        if "error" in r:
            totals["errors"] += 1
            print(f"{vendor:16} {scenario:24} ERROR {r['error']}")
            continue
        s, w = r["symptoms"], r["rewrites"]
        totals["cells"] += 1
        totals["symptoms_expected"] += len(s["expected"])
        totals["symptoms_found"] += len(s["expected"]) - len(s["missed"])
        totals["symptoms_extra"] += len(s["extra"])
        totals["rewrites_expected"] += len(w["expected"])
        totals["rewrites_missed"] += len(w["missed"])
        totals["rewrites_extra"] += len(w["extra"])
        totals["rewrite_cells_exact"] += not w["missed"] and not w["extra"]
        totals["none_alg_alarms"] += vendor == "none" and r["alg_fingerprints"]
        print(f"{vendor:16} {scenario:24} symptoms {len(s['expected']) - len(s['missed'])}/{len(s['expected'])}"
              f" missed {s['missed']} extra {s['extra']} not-visible {s['not_visible']}"
              f" | rewrites missed {len(w['missed'])} extra {len(w['extra'])} {w['missed'][:3]} {w['extra'][:3]}")
    print(json.dumps(totals))
    return 1 if totals["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
