#!/usr/bin/env python3
"""Re-runs the kernel oracle over the flow corpus and checks the live kernel still produces the
golden files (tests/data/flows/<name>.kernel.json; any folder of flows, e.g. the TCP corpus
tests/data/flows-tcp/).

    check_golden.py --flow-dump build/bin/alglab-flow-dump --flows tests/data/flows [--update]

Exit status: 0 all equal; 1 a difference or a failure; 77 skipped (not root, no SIP helper) --
except when the environment has CI=true, where the oracle must run and a skip is a failure.
--update rewrites the golden files from the live kernel (review the diff before committing).
"""

import argparse
import base64
import difflib
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
EXIT_SKIP = 77
ORACLE_TIMEOUT_S = 240
# Longer than the oracle's default: a loaded CI machine must not turn a slow datagram into a
# "dropped" one (a datagram arriving after its window is reported as an error either way).
WAIT_S = "0.5"


def in_ci():
    return os.environ.get("CI", "").strip().lower() == "true"


def load(path):
    with open(path) as f:
        return json.load(f)


def as_text(b64):
    if b64 is None:
        return ["(dropped: nothing arrived)"]
    return base64.b64decode(b64).decode("utf-8", "backslashreplace").split("\r\n")


def describe_difference(name, golden, live):
    """Human-readable account of how the live kernel output differs from the golden file."""
    lines = []
    if len(golden) != len(live):
        lines.append("%s: golden has %d blocks, kernel produced %d" % (name, len(golden), len(live)))
    for i, (g, k) in enumerate(zip(golden, live), 1):
        if g == k:
            continue
        lines.append("%s: block %d (%s) differs:" % (name, i, g.get("dir")))
        lines.extend("    " + d for d in difflib.unified_diff(
            as_text(g.get("delivered")), as_text(k.get("delivered")),
            "golden", "kernel now", lineterm="", n=1))
    return lines


def sent_payloads(flow_dump, path):
    done = subprocess.run([flow_dump, path], capture_output=True, timeout=30, check=True)
    return [b["payload"] for b in json.loads(done.stdout)]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flow-dump", required=True, help="the alglab-flow-dump binary")
    parser.add_argument("--flows", required=True, help="directory of *.flow and golden files")
    parser.add_argument("--update", action="store_true", help="rewrite the golden files")
    parser.add_argument("--alglab", help="also replay every flow through `alglab mangle --model "
                        "linux-netfilter` and compare it with the live kernel, byte for byte")
    parser.add_argument("--oracle", default=os.path.join(HERE, "kernel_oracle.py"),
                        help=argparse.SUPPRESS)  # tests substitute a fake oracle
    args = parser.parse_args(argv)

    flows = sorted(glob.glob(os.path.join(args.flows, "*.flow")))
    if not flows:
        print("check_golden: no *.flow files in %s" % args.flows, file=sys.stderr)
        return 1
    names = [os.path.basename(f)[:-len(".flow")] for f in flows]
    orphans = sorted(set(os.path.basename(g)[:-len(".kernel.json")]
                         for g in glob.glob(os.path.join(args.flows, "*.kernel.json"))) - set(names))
    if orphans:
        print("check_golden: golden files without a flow: %s" % ", ".join(orphans), file=sys.stderr)
        return 1

    workdir = tempfile.mkdtemp(prefix="alglab-golden-")
    try:
        try:
            done = subprocess.run([sys.executable, args.oracle, "--flow-dump", args.flow_dump,
                                   "--out", workdir, "--wait", WAIT_S] + flows, timeout=ORACLE_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            print("check_golden: the oracle took more than %d s" % ORACLE_TIMEOUT_S,
                  file=sys.stderr)
            return 1
        if done.returncode == EXIT_SKIP:
            if in_ci():
                print("check_golden: CI=true, so the kernel oracle must run here; it could not "
                      "(see above): failing instead of skipping", file=sys.stderr)
                return 1
            print("check_golden: skipped (the kernel oracle cannot run on this machine)",
                  file=sys.stderr)
            return EXIT_SKIP
        if done.returncode != 0:
            print("check_golden: the oracle failed with status %d" % done.returncode,
                  file=sys.stderr)
            return 1

        failed, rewritten, changed_blocks = [], 0, 0
        for name, flow in zip(names, flows):
            live_path = os.path.join(workdir, name + ".kernel.json")
            golden_path = os.path.join(args.flows, name + ".kernel.json")
            live = load(live_path)
            changed_blocks += sum(1 for sent, entry in zip(sent_payloads(args.flow_dump, flow), live)
                                  if entry["delivered"] is not None and entry["delivered"] != sent)
            if args.update:
                if not os.path.exists(golden_path) or load(golden_path) != live:
                    shutil.copyfile(live_path, golden_path)
                    rewritten += 1
                continue
            if not os.path.exists(golden_path):
                failed.append(name)
                print("%s: no golden file %s (run with --update)" % (name, golden_path))
                continue
            golden = load(golden_path)
            if golden != live:
                failed.append(name)
                print("\n".join(describe_difference(name, golden, live)))
            if args.alglab:
                # The differential test proper: the model against the kernel that just ran.
                done = subprocess.run([args.alglab, "mangle", "--model", "linux-netfilter", "--json", flow],
                                      capture_output=True, timeout=30)
                model = json.loads(done.stdout) if done.returncode == 0 else None
                to_path = os.path.join(workdir, name + ".kernel-to.json")
                if model is not None and os.path.exists(to_path):
                    # Where each datagram arrived must match too (the kernel's forced_dport).
                    kernel_to = load(to_path)
                    model_to = [e.get("to") for e in model]
                    if model_to != kernel_to:
                        failed.append(name + " (destinations)")
                        print("%s: model delivered to %s, the kernel to %s"
                              % (name, model_to, kernel_to))
                if model is not None:
                    # Payloads are compared in the golden files' form.
                    model = [{"dir": e["dir"], "delivered": e["delivered"]} for e in model]
                if model != live:
                    failed.append(name + " (model)")
                    if model is None:
                        print("%s: alglab mangle failed: %s" % (name, done.stderr.decode().strip()))
                    else:
                        print("\n".join(describe_difference(name + " model-vs-kernel", live, model)))
        # A kernel that forwards but never rewrites would make every golden file worthless.
        if changed_blocks == 0:
            print("check_golden: the kernel rewrote no datagram in the whole corpus: the SIP "
                  "helper is not at work", file=sys.stderr)
            return 1
        if args.update:
            print("check_golden: %d golden file(s) rewritten, %d unchanged"
                  % (rewritten, len(names) - rewritten))
            return 0
        checks = len(names) * (2 if args.alglab else 1)
        print("%d passed, %d failed" % (checks - len(failed), len(failed)))
        return 1 if failed else 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
