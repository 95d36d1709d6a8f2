#!/usr/bin/env python3
"""alglab benchmark: one command, one report of ratios measured in the same run.

1. Runs the office scenario (vendor none) and measures simulated seconds per wall second and
   the packets its NAT router forwarded per wall second.
2. Pushes the same number of RTP-sized UDP packets through a bare ns-3 router (no NAT) and
   through alglab's NAT router in the same topology (bench/router), one process each.
3. Replays the flow corpus through the linux-netfilter ALG model and, in the same process, parses
   and serializes the same messages (bench/alg).
4. Runs the office scenario again with the linux-netfilter ALG in the router.
5. Cost growth: a hosted office (bench/large_office.py) of 4, 40, 200 and 1,000 handsets at
   the same call density (0.4 concurrent calls per handset), each run once, beside the bare
   ns-3 router pushing as many packets end to end over as many streams.
   With --idle-sizes also idle on-prem offices (no calls, 1800 s), wall time per handset.
6. Prints the figures, the ratios and peak memory, and checks them against the targets:
   office >= 500x real time; NAT router per-packet cost <= 2x the bare router; the ALG model
   <= 3x a plain parse-and-serialize; the ALG adds <= 20% to the office's wall time; at every
   office size the wall time per RTP packet <= 2x the bare router's per packet, and from the
   smallest to the largest office it grows by at most 2x (linear in packets, not handsets
   squared).

Not a test: targets missed are reported, and the exit status stays 0 unless a run failed.
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
sys.path.insert(0, str(ROOT / "bench"))
import large_office  # noqa: E402


def timed(cmd):
    """Runs cmd; returns (stdout, wall seconds, peak RSS in KiB) of that child alone."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage, not all children's
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"bench: {' '.join(map(str, cmd))} failed ({proc.returncode}): {err.strip()}")
    return out, wall, usage.ru_maxrss


def best_of(n, cmd):
    """The fastest of n runs (wall time is noisy on a shared machine; the minimum is the cost)."""
    runs = [timed(cmd) for _ in range(n)]
    return min(runs, key=lambda r: r[1])


def cost_growth(alglab, router_bench, sizes, duration):
    """One hosted-office run per size and one bare-router run beside each: a list of rows."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="alglab-bench-") as tmp:
        for handsets in sizes:
            calls = large_office.calls_for_density(handsets)
            # Every office runs the same talk time, whatever its power-up takes.
            length = duration + large_office.first_call_time(handsets)
            path = Path(tmp) / f"hosted-{handsets}.yaml"
            path.write_text(large_office.scenario_yaml(handsets, calls, length))
            out, wall, rss = timed([alglab, "run", path, "--vendor", "none", "--json"])
            result = json.loads(out)
            m = result["metrics"]
            forwarded = m["router_packets_forwarded"]
            rtp = m["rtp_packets_sent"]
            # The bare ns-3 router carries as many packets end to end (source host, router, sink
            # host) over as many concurrent streams as the office has (3 per call on average).
            bare_out, _, bare_rss = timed([router_bench, "--mode", "bare", "--packets", str(rtp),
                                           "--streams", str(3 * calls)])
            bare = json.loads(bare_out)
            rows.append({
                "handsets": handsets, "calls": calls, "simulated_seconds": m["simulated_seconds"],
                "wall_seconds": wall, "peak_rss_kb": rss,
                "rtp_packets_sent": m["rtp_packets_sent"], "rtp_packets_received": m["rtp_packets_received"],
                "rtp_packets_per_wall_second": m["rtp_packets_sent"] / wall,
                "router_packets_forwarded": forwarded,
                "router_packets_per_wall_second": forwarded / wall,
                "bare_packets_per_wall_second": bare["packets_per_wall_second"],
                "bare_peak_rss_kb": bare_rss,
                # Per RTP packet delivered end to end (one hop through the NAT for a handset's
                # packet, none for the provider's to the hosted PBX), against the bare router's
                # per packet delivered end to end through one router.
                "cost_per_packet_vs_bare": bare["packets_per_wall_second"] / (rtp / wall),
                "symptoms_present": sorted(k for k, v in result["symptoms"].items() if v["present"]),
            })
    return rows


def idle_growth(alglab, sizes):
    """Idle on-prem offices (registrations, keepalives, no calls) for 1800 s: a list of rows."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="alglab-bench-") as tmp:
        for handsets in sizes:
            path = Path(tmp) / f"idle-{handsets}.yaml"
            path.write_text(large_office.scenario_yaml(handsets, 0, 1800, placement="on-prem"))
            out, wall, rss = timed([alglab, "run", path, "--vendor", "none", "--json"])
            m = json.loads(out)["metrics"]
            rows.append({"handsets": handsets, "wall_seconds": wall, "peak_rss_kb": rss,
                         "wall_ms_per_handset": 1000 * wall / handsets,
                         "registrations_succeeded": m["registrations_succeeded"]})
    return rows


def print_cost_growth(rows):
    print("cost growth (hosted office, vendor none, 0.4 concurrent calls per handset):")
    print("| handsets | calls | simulated s | wall s | peak MiB | RTP packets | RTP packets/wall s "
          "| router fwd/wall s | bare ns-3 fwd/wall s | cost per packet vs bare | symptoms |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['handsets']} | {r['calls']} | {r['simulated_seconds']:.0f} | {r['wall_seconds']:.2f} "
              f"| {r['peak_rss_kb'] / 1024:.1f} | {r['rtp_packets_sent']} | {r['rtp_packets_per_wall_second']:.0f} "
              f"| {r['router_packets_per_wall_second']:.0f} | {r['bare_packets_per_wall_second']:.0f} "
              f"| {r['cost_per_packet_vs_bare']:.2f} | {', '.join(r['symptoms_present']) or 'none'} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=str(ROOT / "build"), help="build directory (default: build/)")
    ap.add_argument("--scenario", default="office")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the fastest counts")
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    ap.add_argument("--sizes", default="4,40,200,1000", help="handset counts for the cost-growth table ('' = skip)")
    ap.add_argument("--talk", type=int, default=60, help="simulated seconds of talk per cost-growth run")
    ap.add_argument("--idle-sizes", default="", help="handset counts of idle on-prem offices, 1800 s each "
                    "(e.g. 1000,2000,5000; default: skip)")
    args = ap.parse_args()
    alglab = Path(args.build) / "bin" / "alglab"
    router_bench = Path(args.build) / "bin" / "alglab-bench-router"
    alg_bench = Path(args.build) / "bin" / "alglab-bench-alg"
    for exe in (alglab, router_bench, alg_bench):
        if not exe.exists():
            sys.exit(f"bench: {exe} is missing: build first (bash scripts/build.sh)")

    report = {}
    out, wall, rss = best_of(args.repeat, [alglab, "run", args.scenario, "--vendor", "none", "--json"])
    result = json.loads(out)
    sim_seconds = result["metrics"]["simulated_seconds"]
    forwarded = result["metrics"]["router_packets_forwarded"]
    report["office"] = {"scenario": args.scenario, "simulated_seconds": sim_seconds, "wall_seconds": wall,
                        "sim_seconds_per_wall_second": sim_seconds / wall,
                        "router_packets_forwarded": forwarded,
                        "router_packets_per_wall_second": forwarded / wall, "peak_rss_kb": rss}

    for mode in ("bare", "nat"):
        out, _, _ = best_of(args.repeat, [router_bench, "--mode", mode, "--packets", str(forwarded)])
        report[f"router_{mode}"] = json.loads(out)
    out, _, _ = timed([alg_bench, "--model", "linux-netfilter"])
    report["alg_model"] = json.loads(out)
    _, alg_wall, alg_rss = best_of(args.repeat, [alglab, "run", args.scenario, "--vendor", "linux-netfilter", "--json"])
    report["office_linux_netfilter"] = {"wall_seconds": alg_wall, "peak_rss_kb": alg_rss}

    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    report["cost_growth"] = cost_growth(alglab, router_bench, sizes, args.talk + 20) if sizes else []
    idle_sizes = [int(x) for x in args.idle_sizes.split(",") if x.strip()]
    report["idle_growth"] = idle_growth(alglab, idle_sizes) if idle_sizes else []

    bare, nat = report["router_bare"], report["router_nat"]
    report["ratios"] = {
        "alg_model_cost_vs_parse_serialize": report["alg_model"]["model_cost_vs_parse_serialize"],
        "office_wall_linux_netfilter_vs_none": alg_wall / wall,
        "office_real_time_factor": report["office"]["sim_seconds_per_wall_second"],
        "nat_per_packet_cost_vs_bare": bare["packets_per_wall_second"] / nat["packets_per_wall_second"],
        "office_router_pps_vs_bare_router_pps":
            report["office"]["router_packets_per_wall_second"] / bare["packets_per_wall_second"],
    }
    report["targets"] = {
        "office_at_least_500x_real_time": report["ratios"]["office_real_time_factor"] >= 500,
        "nat_cost_at_most_2x_bare": report["ratios"]["nat_per_packet_cost_vs_bare"] <= 2.0,
        "alg_model_at_most_3x_parse_serialize": report["ratios"]["alg_model_cost_vs_parse_serialize"] <= 3.0,
        "alg_adds_at_most_20_percent": report["ratios"]["office_wall_linux_netfilter_vs_none"] <= 1.2,
    }
    growth = report["cost_growth"]
    if growth:
        per_packet = [r["wall_seconds"] / max(1, r["rtp_packets_sent"]) for r in growth]
        report["ratios"]["office_per_packet_cost_largest_vs_smallest"] = per_packet[-1] / per_packet[0]
        report["targets"]["office_per_packet_cost_at_most_2x_bare_at_every_size"] = all(
            r["cost_per_packet_vs_bare"] <= 2.0 for r in growth)
        report["targets"]["office_cost_linear_in_packets"] = per_packet[-1] / per_packet[0] <= 2.0

    if args.json:
        print(json.dumps(report, indent=2))
        return
    o = report["office"]
    print(f"office scenario ({o['scenario']}, vendor none): {o['simulated_seconds']:.0f} s simulated in "
          f"{o['wall_seconds']:.2f} s wall = {o['sim_seconds_per_wall_second']:.0f}x real time; "
          f"router forwarded {o['router_packets_forwarded']} packets ({o['router_packets_per_wall_second']:.0f}/s "
          f"including set-up); peak RSS {o['peak_rss_kb'] / 1024:.1f} MiB")
    for mode in ("bare", "nat"):
        r = report[f"router_{mode}"]
        print(f"{mode:>4} router: {r['packets_forwarded']} packets in {r['wall_seconds']:.2f} s = "
              f"{r['packets_per_wall_second']:.0f} packets/s; peak RSS {r['peak_rss_kb'] / 1024:.1f} MiB")
    ratios = report["ratios"]
    print(f"ratio NAT/bare per-packet cost: {ratios['nat_per_packet_cost_vs_bare']:.2f} (target <= 2.00) "
          f"{'ok' if report['targets']['nat_cost_at_most_2x_bare'] else 'MISSED'}")
    print(f"office real-time factor: {ratios['office_real_time_factor']:.0f}x (target >= 500x) "
          f"{'ok' if report['targets']['office_at_least_500x_real_time'] else 'MISSED'}")
    a = report["alg_model"]
    print(f"linux-netfilter over {a['messages']} corpus messages: {a['replay_model_messages_per_second']:.0f} msg/s "
          f"(NAT-only replay {a['replay_none_messages_per_second']:.0f} msg/s); parse+serialize "
          f"{a['parse_serialize_messages_per_second']:.0f} msg/s")
    print(f"ratio ALG model / parse+serialize per message: {ratios['alg_model_cost_vs_parse_serialize']:.2f} "
          f"(target <= 3.00) {'ok' if report['targets']['alg_model_at_most_3x_parse_serialize'] else 'MISSED'}")
    print(f"office wall time with linux-netfilter / none: {ratios['office_wall_linux_netfilter_vs_none']:.2f} "
          f"(target <= 1.20) {'ok' if report['targets']['alg_adds_at_most_20_percent'] else 'MISSED'}")
    if growth:
        print_cost_growth(growth)
        t = report["targets"]
        print(f"per-packet cost vs bare ns-3 at every size <= 2.00: "
              f"{'ok' if t['office_per_packet_cost_at_most_2x_bare_at_every_size'] else 'MISSED'}")
        print(f"wall time per RTP packet, {growth[-1]['handsets']} vs {growth[0]['handsets']} handsets: "
              f"{ratios['office_per_packet_cost_largest_vs_smallest']:.2f} (target <= 2.00) "
              f"{'ok' if t['office_cost_linear_in_packets'] else 'MISSED'}")
    if report["idle_growth"]:
        print("idle on-prem office, 1800 s simulated:")
        print("| handsets | wall s | peak MiB | wall ms per handset |")
        print("|---|---|---|---|")
        for r in report["idle_growth"]:
            print(f"| {r['handsets']} | {r['wall_seconds']:.2f} | {r['peak_rss_kb'] / 1024:.1f} "
                  f"| {r['wall_ms_per_handset']:.2f} |")


if __name__ == "__main__":
    main()
