#!/usr/bin/env python3
"""Replays flow files through the real Linux SIP ALG and prints what arrived.

    kernel_oracle.py --flow-dump build/bin/alglab-flow-dump [--out DIR] [--text]
                     [--param NAME=VALUE]... [--wait SECONDS] FLOW...

For each flow, prints (one line per flow, in argument order) the JSON array that
`alglab mangle --model M --json FLOW` prints: [{"dir":"out"|"in","delivered":BASE64|null},...],
one entry per UDP datagram or, for a TCP flow, per TCP segment (sent with one send() each on one
connection through the router).
With --out DIR, writes DIR/<flow-name>.kernel.json instead. --text prints the datagrams as text
for people (combinable with --out). See README.md beside this file for the topology and the
capture method.

Exit status: 0 done; 2 bad arguments or a bad flow file (checked before anything else);
77 this machine cannot run the oracle (not root, no SIP helper, missing tools); 1 other failure.
Python 3 standard library only.
"""

import argparse
import atexit
import base64
import json
import os
import shutil
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from oracle_netns import (OracleError, PEER_IP, PHONE_IP, ROUTER_WAN_IP, SIP_PORT,  # noqa: E402
                          TCP_ACK_TIMEOUT_S, Topology, Unavailable)
import oracle_params  # noqa: E402

EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_SKIP = 77
DEFAULT_WAIT_S = 0.3
MAX_WAIT_S = 5.0
# TCP: once bytes arrive, the receiver keeps reading until this long passes without more.
TCP_QUIET_S = 0.03
TRANSPORTS = ("udp", "tcp")

# Sent once per run before the flows: proves the helper is attached and rewrites (a Via that
# still says 10.0.0.2 would mean conntrack without SIP NAT, and every golden file would be wrong).
CANARY = (b"OPTIONS sip:canary@203.0.113.2 SIP/2.0\r\n"
          b"Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK-alglab-canary\r\n"
          b"From: <sip:canary@203.0.113.2>;tag=canary\r\n"
          b"To: <sip:canary@203.0.113.2>\r\n"
          b"Call-ID: alglab-canary\r\n"
          b"CSeq: 1 OPTIONS\r\n"
          b"Contact: <sip:canary@10.0.0.2:5060>\r\n"
          b"Content-Length: 0\r\n\r\n")
# The same over TCP, sent once per run when a TCP flow is replayed: proves the TCP helper works.
CANARY_TCP = CANARY.replace(b"SIP/2.0/UDP", b"SIP/2.0/TCP")


class FlowFileError(Exception):
    """alglab-flow-dump rejected a flow file; the message is its one-line error."""


class Block:
    """One unit a flow sends: a UDP datagram, or (transport "tcp") one TCP segment's bytes."""

    def __init__(self, direction, payload, line, transport="udp"):
        self.dir = direction
        self.payload = payload
        self.line = line
        self.transport = transport


def load_flow(flow_dump, path):
    """The flow's blocks, parsed by the C++ parser (alglab-flow-dump) so bytes match alglab's."""
    try:
        done = subprocess.run([flow_dump, path], capture_output=True, timeout=30)
    except OSError as exc:
        raise FlowFileError("cannot run %s: %s (build the alglab-flow-dump target)"
                            % (flow_dump, exc)) from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise FlowFileError(message or "%s failed with status %d" % (flow_dump, done.returncode))
    return blocks_from_dump(path, json.loads(done.stdout))


def blocks_from_dump(path, entries):
    """Blocks from alglab-flow-dump's JSON entries; a flow must use one transport."""
    blocks = [Block(b["dir"], base64.b64decode(b["payload"]), b["line"],
                    b.get("transport", "udp")) for b in entries]
    for block in blocks:
        if block.transport not in TRANSPORTS:
            raise FlowFileError("%s:%d: transport %r is not supported by the kernel oracle"
                                % (path, block.line, block.transport))
        if block.transport != blocks[0].transport:
            raise FlowFileError("%s:%d: %s after %s: a flow is all UDP or all TCP"
                                % (path, block.line, block.transport, blocks[0].transport))
    return blocks


def flow_transport(blocks):
    return blocks[0].transport if blocks else "udp"


def flow_name(path):
    base = os.path.basename(path)
    return base[:-len(".flow")] if base.endswith(".flow") else base


def check_machine(euid=None):
    """Raises Unavailable with a clear reason when this machine cannot run the oracle."""
    euid = os.geteuid() if euid is None else euid
    if euid != 0:
        raise Unavailable("needs root (it creates network namespaces and nftables rules)")
    for tool in ("ip", "nft", "conntrack", "sysctl"):
        if shutil.which(tool) is None:
            raise Unavailable("needs the '%s' command (Debian packages iproute2, nftables, "
                              "conntrack, procps)" % tool)
    if not os.path.isdir(oracle_params.PARAM_DIR):
        subprocess.run(["modprobe", "-q", "nf_conntrack_sip"], capture_output=True, timeout=30)
        subprocess.run(["modprobe", "-q", "nf_nat_sip"], capture_output=True, timeout=30)
    if not os.path.isdir(oracle_params.PARAM_DIR):
        raise Unavailable("the kernel has no SIP conntrack helper (%s missing; needs "
                          "CONFIG_NF_CONNTRACK_SIP)" % oracle_params.PARAM_DIR)


def exchange(topology, direction, payload, dst, wait_s):
    """Sends one datagram across the router and returns what arrived on the other side (or None)."""
    sender, receiver = ((topology.phone, topology.peer) if direction == "out"
                        else (topology.peer, topology.phone))
    stale = receiver.drain()
    if stale["raw"]:
        raise OracleError("%d datagram(s) arrived at the %s outside any wait window; rerun "
                          "with a longer --wait" % (stale["raw"], receiver.namespace))
    sender.send(payload, dst)
    return receiver.receive(wait_s)


def check_canary(topology, wait_s):
    topology.reset()
    got = exchange(topology, "out", CANARY, (PEER_IP, SIP_PORT), max(wait_s, 1.0))
    if got is None:
        raise OracleError("the canary OPTIONS did not cross the router: the topology is broken")
    if b"Via: SIP/2.0/UDP %s:%d" % (ROUTER_WAN_IP.encode(), SIP_PORT) not in got["payload"]:
        raise Unavailable("the kernel forwarded SIP without rewriting it (no SIP NAT helper, "
                          "CONFIG_NF_NAT_SIP?); canary arrived as:\n"
                          + got["payload"].decode("latin-1"))


def check_tcp_canary(topology, wait_s):
    records = replay(topology, [Block("out", CANARY_TCP, 0, "tcp")], max(wait_s, 1.0))
    got = records[0]["got"]
    if got is None:
        raise OracleError("the TCP canary OPTIONS did not cross the router: the topology is "
                          "broken")
    if b"Via: SIP/2.0/TCP %s:%d" % (ROUTER_WAN_IP.encode(), SIP_PORT) not in got["payload"]:
        raise OracleError("the kernel forwarded SIP over TCP without rewriting it (the "
                          "sip_tcp helper is not at work); canary arrived as:\n"
                          + got["payload"].decode("latin-1"))


def check_no_stale(worker, when):
    """Drains a worker; anything it had received is an error (it came outside a wait window)."""
    stale = worker.drain()
    if stale["raw"] or stale.get("tcp"):
        what = ("%d datagram(s)" % stale["raw"] if stale["raw"]
                else "%d TCP byte(s)" % stale["tcp"])
        raise OracleError("%s arrived at the %s %s; rerun with a longer --wait"
                          % (what, worker.namespace, when))


def exchange_tcp(topology, direction, payload, wait_s):
    """Sends one TCP segment on the flow's connection and returns (what the other side read or
    None, bytes the sender still has unacknowledged)."""
    sender, receiver = ((topology.phone, topology.peer) if direction == "out"
                        else (topology.peer, topology.phone))
    check_no_stale(receiver, "outside any wait window")
    sender.tcp_send(payload)
    got = receiver.tcp_receive(wait_s, TCP_QUIET_S)
    if got is None:
        # Dropped by the router: TCP retransmits it (and the helper drops it again), so it
        # stays unacknowledged and later bytes this way queue behind it, as on a real link.
        return None, sender.tcp_wait_acked(0.0)
    # Before the next segment, everything sent must be acknowledged: otherwise the kernel could
    # send the next bytes together with a retransmission, two entries in one segment.
    unacked = sender.tcp_wait_acked(TCP_ACK_TIMEOUT_S)
    if unacked:
        raise OracleError("%d byte(s) sent by the %s arrived but were not acknowledged "
                          "within %.0f s" % (unacked, sender.namespace, TCP_ACK_TIMEOUT_S))
    return got, 0


def replay_tcp(topology, blocks, wait_s):
    """Replays a TCP flow on one connection (the router is already clean); one record per
    segment."""
    (_, phone_remote), (_, peer_remote) = topology.open_tcp()
    records = []
    try:
        for block in blocks:
            got, unacked = exchange_tcp(topology, block.dir, block.payload, wait_s)
            records.append({"dir": block.dir, "line": block.line, "sent": block.payload,
                            "sent_to": phone_remote if block.dir == "out" else peer_remote,
                            "got": got, "transport": "tcp", "unacked": unacked})
        for worker in (topology.phone, topology.peer):
            check_no_stale(worker, "after its wait window")
    except BaseException:
        topology.close_tcp(quiet=True)
        raise
    topology.close_tcp()
    return records


def replay(topology, blocks, wait_s):
    """Replays one flow from a clean router; returns one record per block (TCP: per segment)."""
    topology.reset()
    if flow_transport(blocks) == "tcp":
        return replay_tcp(topology, blocks, wait_s)
    reply_to = (ROUTER_WAN_IP, SIP_PORT)
    records = []
    for block in blocks:
        dst = (PEER_IP, SIP_PORT) if block.dir == "out" else reply_to
        got = exchange(topology, block.dir, block.payload, dst, wait_s)
        if got is not None and block.dir == "out":
            reply_to = got["src"]  # the peer answers where it heard from, like any SIP server
        records.append({"dir": block.dir, "line": block.line, "sent": block.payload,
                        "sent_to": dst, "got": got})
    for worker in (topology.phone, topology.peer):
        if worker.drain()["raw"]:
            raise OracleError("a datagram arrived at the %s after its wait window; rerun with a "
                              "longer --wait" % worker.namespace)
    return records


def mangle_json(records):
    """The `alglab mangle --json` form of a replay."""
    return [{"dir": r["dir"],
             "delivered": (base64.b64encode(r["got"]["payload"]).decode("ascii")
                           if r["got"] is not None else None)} for r in records]


def destinations(records):
    """Where each datagram arrived ("ip:port"), None where nothing did: the "to" of mangle --json."""
    return [("%s:%d" % (r["got"]["dst"][0], r["got"]["dst"][1]) if r["got"] is not None else None)
            for r in records]


def format_golden(entries):
    """One block per line: reviewable diffs, and still exactly the mangle --json array."""
    if not entries:
        return "[]\n"
    return "[\n" + ",\n".join("  " + json.dumps(e) for e in entries) + "\n]\n"


def format_text(name, records):
    lines = ["=== %s" % name]
    for i, r in enumerate(records, 1):
        src = "%s:%d" % ((PHONE_IP, SIP_PORT) if r["dir"] == "out" else (PEER_IP, SIP_PORT))
        if r.get("transport") == "tcp":
            head = "--- segment %d (line %d) %s tcp, sent on the connection %s -> %s:%d" % (
                i, r["line"], r["dir"], src, *r["sent_to"])
        else:
            head = "--- block %d (line %d) %s, sent %s -> %s:%d" % (i, r["line"], r["dir"], src,
                                                                  *r["sent_to"])
        if r["got"] is None:
            lines.append(head + ": DROPPED (nothing arrived%s)" % (
                ", %d byte(s) unacknowledged, TCP retransmits" % r["unacked"]
                if r.get("unacked") else ""))
            continue
        got = r["got"]
        same = "unchanged" if got["payload"] == r["sent"] else "REWRITTEN"
        lines.append(head + ": arrived %s, %s:%d -> %s:%d" % (same, *got["src"], *got["dst"]))
        lines.append(got["payload"].decode("utf-8", "backslashreplace").replace("\r\n", "\n")
                     .rstrip("\n"))
    return "\n".join(lines) + "\n"


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="kernel_oracle.py",
        description="Replay flow files through the Linux kernel's SIP ALG (needs root).")
    parser.add_argument("--flow-dump", required=True, metavar="PATH",
                        help="the alglab-flow-dump binary (build/bin/alglab-flow-dump)")
    parser.add_argument("--out", metavar="DIR", help="write DIR/<flow-name>.kernel.json per flow")
    parser.add_argument("--text", action="store_true", help="print datagrams as text for people")
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                        help="set a nf_conntrack_sip parameter for this run (restored after)")
    parser.add_argument("--wait", type=float, default=DEFAULT_WAIT_S, metavar="SECONDS",
                        help="how long to wait for each datagram (default %(default)s)")
    parser.add_argument("flows", nargs="+", metavar="FLOW")
    args = parser.parse_args(argv)
    if not 0.01 <= args.wait <= MAX_WAIT_S:
        parser.error("--wait must be between 0.01 and %.0f seconds" % MAX_WAIT_S)
    try:
        args.overrides = oracle_params.parse_overrides(args.param)
    except oracle_params.ParamError as exc:
        parser.error(str(exc))
    names = [flow_name(f) for f in args.flows]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if args.out and duplicates:
        parser.error("two flows share the name %s; --out would overwrite" % duplicates[0])
    return args


def _exit_on_signal(signum, _frame):
    raise SystemExit(128 + signum)  # unwinds through every finally: namespaces, parameters


def run_oracle(args, out=sys.stdout):
    flows = []
    for path in args.flows:
        flows.append((path, load_flow(args.flow_dump, path)))
    check_machine()
    results = []
    with oracle_params.MachineLock(), oracle_params.PinnedParams(args.overrides) as params:
        topology = Topology()
        atexit.register(topology.close)
        with topology:
            check_canary(topology, args.wait)
            if any(flow_transport(blocks) == "tcp" for _, blocks in flows):
                check_tcp_canary(topology, args.wait)
            for path, blocks in flows:
                results.append((path, replay(topology, blocks, args.wait)))
        pinned = params.applied
    print("kernel_oracle: %d flow(s) replayed with %s" % (
        len(results), " ".join("%s=%s" % kv for kv in sorted(pinned.items()))), file=sys.stderr)
    for path, records in results:
        name = flow_name(path)
        if args.out:
            os.makedirs(args.out, exist_ok=True)
            with open(os.path.join(args.out, name + ".kernel.json"), "w") as f:
                f.write(format_golden(mangle_json(records)))
            # Not part of the golden files (payloads only): for the live model comparison.
            with open(os.path.join(args.out, name + ".kernel-to.json"), "w") as f:
                f.write(json.dumps(destinations(records)) + "\n")
        if args.text:
            out.write(format_text(name, records))
        elif not args.out:
            out.write(json.dumps(mangle_json(records), separators=(",", ":")) + "\n")
    return results


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGINT, _exit_on_signal)
    signal.signal(signal.SIGHUP, _exit_on_signal)
    try:
        run_oracle(args)
    except FlowFileError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    except oracle_params.ParamError as exc:
        print("kernel_oracle: %s" % exc, file=sys.stderr)
        return EXIT_USAGE
    except Unavailable as exc:
        print("kernel_oracle: skipped: %s" % exc, file=sys.stderr)
        return EXIT_SKIP
    except OracleError as exc:
        print("kernel_oracle: error: %s" % exc, file=sys.stderr)
        return EXIT_FAILURE
    return 0


if __name__ == "__main__":
    sys.exit(main())
