#!/usr/bin/env python3
"""How often the live detector and `alglab diagnose` are right through the real Linux SIP helper.

Root only (network namespaces, nftables, nf_conntrack_sip's machine-wide parameters, which are
pinned and restored under the kernel oracle's lock). Each setting has a known truth:

  helper on (UDP and TCP), sip_direct_media=0, sip_direct_signalling=0, helper on UDP only,
  helper on TCP only  -> an ALG, rewriting in place (not a proxy), family linux-kernel-helper
  helper off (plain masquerade)  -> no ALG, family none

`alglab detect --live` runs in each setting (tests/cli/live_detect_kernel.py) and `alglab
diagnose LAN --wan WAN` on SIPp captures made with the helper on and off
(tests/cli/diagnose_kernel_capture.py). Prints the confusion tables; --json FILE writes them
(docs/schemas/kernel-accuracy.schema.json), for `alglab matrix --kernel-accuracy FILE`.
Exit 0 when measured, 77 without root or the helper (nothing measured), 1 when a run failed.

    sudo python3 bench/kernel-accuracy.py [--alglab build/bin/alglab] [--json FILE]
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

SOURCE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(SOURCE_DIR / "tests" / "cli"))

import diagnose_kernel_capture  # noqa: E402
import live_detect_kernel  # noqa: E402

SKIP = 77
ALG = {"present": True, "kind": "rewrite", "family": "linux-kernel-helper"}
NO_ALG = {"present": False, "kind": "none", "family": "none"}

# (name, live_verdict keyword arguments, truth)
DETECT_SETTINGS = [
    ("helper-on", {}, ALG),
    ("helper-off", {"helper": False}, NO_ALG),
    ("sip_direct_media=0", {"sip_direct_media": 0}, ALG),
    ("sip_direct_signalling=0", {"sip_direct_signalling": 0}, ALG),
    ("helper-on-udp-only", {"transports": ("udp",)}, ALG),
    ("helper-on-tcp-only", {"transports": ("tcp",)}, ALG),
]
DIAGNOSE_TRUTH = {"on": ALG, "off": NO_ALG}
MATRICES = ("presence", "rewrite_kind", "proxy", "vendor_family", "diagnose_presence")


def yes_no(present):
    return "alg" if present else "no-alg"


def detected_kind(verdict):
    """As sim/detect's DetectedKind: none without an ALG, proxy when it re-originates, else rewrite."""
    if not verdict.get("alg_present"):
        return "none"
    return "proxy" if verdict.get("proxy", {}).get("re_originates") else "rewrite"


def detect_case(alglab, name, kwargs, truth):
    verdict = live_detect_kernel.live_verdict(alglab, **kwargs)
    ranked = verdict.get("vendor_family") or []
    return {"tool": "detect", "setting": name, "truth": truth,
            "detected": {"present": bool(verdict.get("alg_present")), "kind": detected_kind(verdict),
                         "family": ranked[0]["family"] if ranked else "none",
                         "confidence": ranked[0]["confidence"] if ranked else 0.0}}


def diagnose_cases(alglab, outdir):
    captures = diagnose_kernel_capture.capture_both(outdir)
    cases = []
    for helper in ("on", "off"):
        lan, wan, _ = captures[helper]
        proc = subprocess.run([alglab, "diagnose", str(lan), "--wan", str(wan), "--json"],
                              capture_output=True, text=True, timeout=60)
        if proc.returncode != 0:
            raise RuntimeError("diagnose on the helper-%s capture exited %d: %s"
                               % (helper, proc.returncode, proc.stderr.strip()))
        diagnosis = json.loads(proc.stdout)
        present = bool(diagnosis["summary"]["alg_fingerprints"]) or bool(diagnosis["across_router"]["rewrites"])
        cases.append({"tool": "diagnose", "setting": "sipp-helper-" + helper,
                      "truth": {"present": DIAGNOSE_TRUTH[helper]["present"]},
                      "detected": {"present": present,
                                   "rewrites": len(diagnosis["across_router"]["rewrites"])}})
    return cases


def confusion(pairs):
    """{labels, counts truth -> detected -> n, correct, total, accuracy} (as sim/detect's matrices)."""
    counts, labels = {}, set()
    for truth, detected in pairs:
        labels.update((truth, detected))
        row = counts.setdefault(truth, {})
        row[detected] = row.get(detected, 0) + 1
    correct = sum(1 for truth, detected in pairs if truth == detected)
    return {"labels": sorted(labels), "counts": {t: counts[t] for t in sorted(counts)}, "correct": correct,
            "total": len(pairs), "accuracy": round(correct / len(pairs), 4) if pairs else 0.0}


def matrices(cases):
    detect = [c for c in cases if c["tool"] == "detect"]
    diagnose = [c for c in cases if c["tool"] == "diagnose"]
    return {
        "presence": confusion([(yes_no(c["truth"]["present"]), yes_no(c["detected"]["present"])) for c in detect]),
        "rewrite_kind": confusion([(c["truth"]["kind"], c["detected"]["kind"]) for c in detect]),
        # Where an ALG acts: does the detector call it a proxy or an in-place rewrite?
        "proxy": confusion([(c["truth"]["kind"], c["detected"]["kind"] if c["detected"]["kind"] != "none"
                             else "neither") for c in detect if c["truth"]["present"]]),
        "vendor_family": confusion([(c["truth"]["family"], c["detected"]["family"]) for c in detect]),
        "diagnose_presence": confusion([(yes_no(c["truth"]["present"]), yes_no(c["detected"]["present"]))
                                        for c in diagnose]),
    }


def format_table(title, m):
    labels = m["labels"]
    width = max([len("truth \\ detected")] + [len(label) for label in labels])
    lines = ["%s: %.1f%% (%d/%d)" % (title, m["accuracy"] * 100, m["correct"], m["total"]),
             "  " + "truth \\ detected".ljust(width) + "".join(label.rjust(width + 2) for label in labels)]
    for truth, row in m["counts"].items():
        lines.append("  " + truth.ljust(width) + "".join(str(row.get(label, 0)).rjust(width + 2) for label in labels))
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alglab", default=os.environ.get("ALGLAB_BIN", str(SOURCE_DIR / "build" / "bin" / "alglab")))
    parser.add_argument("--json", metavar="FILE", help="write the cases and matrices here")
    args = parser.parse_args()
    if not Path(args.alglab).is_file():
        print("kernel-accuracy: %s: no alglab binary (build it or pass --alglab)" % args.alglab, file=sys.stderr)
        return 2
    try:
        live_detect_kernel.check_available()
        diagnose_kernel_capture.check_available()
    except (live_detect_kernel.Unavailable, diagnose_kernel_capture.Unavailable) as exc:
        print("kernel-accuracy: skipped: %s" % exc, file=sys.stderr)
        return SKIP
    cases = []
    try:
        for name, kwargs, truth in DETECT_SETTINGS:
            cases.append(detect_case(args.alglab, name, kwargs, truth))
            print("detect %-24s %s" % (name, cases[-1]["detected"]), file=sys.stderr)
        with tempfile.TemporaryDirectory(prefix="alglab-kacc-") as outdir:
            cases.extend(diagnose_cases(args.alglab, outdir))
    except (live_detect_kernel.Unavailable, diagnose_kernel_capture.Unavailable) as exc:
        print("kernel-accuracy: skipped: %s" % exc, file=sys.stderr)
        return SKIP
    except (RuntimeError, OSError, subprocess.SubprocessError, ValueError) as exc:
        print("kernel-accuracy: %s" % str(exc).replace("\n", " "), file=sys.stderr)
        return 1
    result = {"kind": "kernel-accuracy", "kernel": platform.release(), "cases": cases, "matrices": matrices(cases)}
    titles = {"presence": "Presence", "rewrite_kind": "Rewrite kind", "proxy": "Proxy vs rewrite",
              "vendor_family": "Vendor family", "diagnose_presence": "Diagnose: presence"}
    print("Through the real kernel (Linux %s):" % result["kernel"])
    for key in MATRICES:
        print(format_table(titles[key], result["matrices"][key]))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
