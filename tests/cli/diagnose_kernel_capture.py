"""Captures of real SIP software through the real kernel's SIP helper, for `alglab diagnose`.

Three network namespaces as the kernel oracle builds them (tests/oracle/oracle_netns.py:
phone 10.0.0.2 -- router 10.0.0.1/203.0.113.1 -- peer 203.0.113.2, nft masquerade), named
``alglab-dg-<pid>-<role>``. SIPp runs tests/data/sipp/phone-uac.xml in the phone and
peer-uas.xml in the peer; dumpcap records the phone's eth0 (the LAN side, Ethernet) and the
peer's eth0 (the WAN side) as pcap. With ``helper=True`` the router attaches the ct helper
"sip" to new UDP flows to 5060 (nf_nat_sip rewrites the SIP); without, it is plain
masquerade. Every wait is bounded; the namespaces are deleted in ``finally``.

    python3 tests/cli/diagnose_kernel_capture.py OUTDIR   # (root) writes the fixtures
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE_DIR = HERE.parents[1]
sys.path.insert(0, str(SOURCE_DIR / "tests" / "oracle"))

import oracle_netns  # noqa: E402  (the oracle's address plan, ruleset and command runner)
from oracle_params import MachineLock, PinnedParams  # noqa: E402
import live_detect_kernel  # noqa: E402

SIPP_DIR = SOURCE_DIR / "tests" / "data" / "sipp"
ROLES = ("phone", "router", "peer")
PREFIX = "alglab-dg-"
SIPP_TIMEOUT_S = 20

# The oracle's ruleset without its helper chain: the same router as plain NAT.
PLAIN_NAT_RULESET = "\n".join(
    line for line in oracle_netns.NFT_RULESET.replace(
        """    chain prerouting_helper {
        type filter hook prerouting priority filter; policy accept;
        udp dport 5060 ct state new ct helper set "sip_udp"
        tcp dport 5060 ct state new ct helper set "sip_tcp"
    }
""", "").splitlines())


class Unavailable(Exception):
    """No root, no SIP helper, no sipp or dumpcap: the test skips."""


def check_available():
    try:
        live_detect_kernel.check_available()  # root and the helper, as the live detector's runs
    except live_detect_kernel.Unavailable as exc:
        raise Unavailable(str(exc))
    for tool in ("sipp", "dumpcap", "nft", "ip"):
        if subprocess.run(["sh", "-c", "command -v " + tool], capture_output=True).returncode != 0:
            raise Unavailable(tool + " is not installed")


def _remove_stale():
    for name in oracle_netns.list_namespaces():
        parts = name[len(PREFIX):].split("-") if name.startswith(PREFIX) else []
        if len(parts) == 2 and parts[0].isdigit() and not oracle_netns._pid_alive(int(parts[0])):
            oracle_netns.run(["ip", "netns", "del", name], check=False)


def _wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise RuntimeError("timed out waiting for " + what)


def capture(helper, outdir):
    """Runs one REGISTER + call through the router; returns the paths (lan_pcap, wan_pcap,
    router_any_pcap): the phone's and the peer's eth0, and the router's "any" (Linux cooked)."""
    check_available()
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    tag = "%s%d-" % (PREFIX, os.getpid())
    ns = {role: tag + role for role in ROLES}
    created, dumpcaps, sipps = [], [], []
    suffix = "helper-on" if helper else "helper-off"
    lan_pcap, wan_pcap = outdir / ("kernel-%s-lan.pcap" % suffix), outdir / ("kernel-%s-wan.pcap" % suffix)
    any_pcap = outdir / ("kernel-%s-router-any.pcap" % suffix)  # both sides, Linux cooked
    run = oracle_netns.run
    try:
        _remove_stale()
        for role in ROLES:
            run(["ip", "netns", "add", ns[role]])
            created.append(ns[role])
            run(["ip", "netns", "exec", ns[role], "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1",
                 "net.ipv6.conf.default.disable_ipv6=1"])
        phone, router, peer = ns["phone"], ns["router"], ns["peer"]
        run(["ip", "-n", router, "link", "add", "lan", "type", "veth", "peer", "name", "eth0", "netns", phone])
        run(["ip", "-n", router, "link", "add", "wan", "type", "veth", "peer", "name", "eth0", "netns", peer])
        for name, commands in (
                (phone, ["addr add %s/24 dev eth0" % oracle_netns.PHONE_IP, "link set lo up", "link set eth0 up",
                         "route add default via %s" % oracle_netns.ROUTER_LAN_IP]),
                (router, ["addr add %s/24 dev lan" % oracle_netns.ROUTER_LAN_IP,
                          "addr add %s/24 dev wan" % oracle_netns.ROUTER_WAN_IP,
                          "link set lo up", "link set lan up", "link set wan up"]),
                (peer, ["addr add %s/24 dev eth0" % oracle_netns.PEER_IP, "link set lo up", "link set eth0 up"])):
            run(["ip", "-n", name, "-batch", "-"], stdin_text="\n".join(commands) + "\n")
        run(["ip", "netns", "exec", router, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1"])
        ruleset = oracle_netns.NFT_RULESET if helper else PLAIN_NAT_RULESET
        done = run(["ip", "netns", "exec", router, "nft", "-f", "-"], stdin_text=ruleset, check=False)
        if done.returncode != 0:
            raise Unavailable("nftables refused the ruleset: " + done.stderr.strip())

        for name, path, interface in ((phone, lan_pcap, "eth0"), (peer, wan_pcap, "eth0"), (router, any_pcap, "any")):
            if path.exists():
                path.unlink()
            proc = subprocess.Popen(["ip", "netns", "exec", name, "dumpcap", "-q", "-i", interface, "-P",
                                     "-f", "udp or tcp", "-w", str(path)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            dumpcaps.append(proc)
            _wait_for(lambda p=path: p.exists() and p.stat().st_size >= 24, 10, "dumpcap on " + name)
        time.sleep(0.3)

        uas = subprocess.Popen(["ip", "netns", "exec", peer, "sipp", "-sf", str(SIPP_DIR / "peer-uas.xml"),
                                "-i", oracle_netns.PEER_IP, "-p", "5060", "-m", "1", "-nostdin",
                                "-timeout", "%ds" % SIPP_TIMEOUT_S, "-timeout_error", "-trace_err",
                                "-error_file", str(outdir / ("sipp-uas-%s.err" % suffix))],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        sipps.append(uas)
        time.sleep(0.3)
        uac = subprocess.run(["ip", "netns", "exec", phone, "sipp", "-sf", str(SIPP_DIR / "phone-uac.xml"),
                              "%s:5060" % oracle_netns.PEER_IP, "-i", oracle_netns.PHONE_IP, "-p", "5060",
                              "-m", "1", "-nostdin", "-timeout", "%ds" % SIPP_TIMEOUT_S, "-timeout_error"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=SIPP_TIMEOUT_S + 10)
        uas.wait(timeout=SIPP_TIMEOUT_S + 10)
        time.sleep(0.3)
        if uac.returncode != 0 or uas.returncode != 0:
            raise RuntimeError("SIPp failed (phone %d, peer %d): %s" % (uac.returncode, uas.returncode,
                                                                         uac.stderr.decode(errors="replace")[-400:]))
        return lan_pcap, wan_pcap, any_pcap
    finally:
        for proc in sipps:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=5)
        for proc in dumpcaps:
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=5)
        while created:
            run(["ip", "netns", "del", created.pop()], check=False)


def capture_both(outdir):
    """The helper on and off, with the helper's module parameters pinned to the kernel's
    defaults (and restored) while it runs, holding the kernel oracle's machine-wide lock so no
    oracle run changes them meanwhile (waiting at most 30 s for it)."""
    with MachineLock(wait_s=30.0), PinnedParams({}):
        return {"on": capture(True, outdir), "off": capture(False, outdir)}


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: diagnose_kernel_capture.py OUTDIR")
    try:
        print(capture_both(sys.argv[1]))
    except Unavailable as exc:
        print("skipped: %s" % exc)
        sys.exit(77)
