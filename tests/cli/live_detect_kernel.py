"""`alglab detect --live` through the real kernel SIP helper: shared by tests/cli/test_detect_live.py
and bench/kernel-accuracy.py.

The kernel oracle's three namespaces (tests/oracle/oracle_netns.py: phone 10.0.0.2 -- router with
masquerade -- peer 203.0.113.2, plus 203.0.113.3 on the peer as the server's second address, no
oracle workers). `alglab detect-server` runs in the peer, `alglab detect --live` in the phone.
Module parameters are pinned and restored by oracle_params.PinnedParams under its machine-wide
lock; the namespaces are deleted on the way out, failure or not. Every wait is bounded.
"""
import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "oracle"))

import oracle_netns  # noqa: E402
import oracle_params  # noqa: E402

START_TIMEOUT_S = 10.0
CLIENT_TIMEOUT_S = 30.0
SERVER_ALT_IP = "203.0.113.3"
Unavailable = oracle_netns.Unavailable


class Server:
    """A detect-server child (optionally inside a namespace), stopped with SIGTERM on exit."""

    def __init__(self, alglab, listen, alt, prefix=()):
        self.argv = [*prefix, alglab, "detect-server", "--listen", listen, "--listen-alt", alt,
                     "--duration", "60"]
        self.proc = None
        self.output = ""

    def __enter__(self):
        self.proc = subprocess.Popen(self.argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + START_TIMEOUT_S
        line = ""
        while time.monotonic() < deadline and "listening" not in line:
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.2)
            if ready:
                line = self.proc.stdout.readline()
                if not line:
                    break
        if "listening" not in line:
            self.stop()
            raise RuntimeError("detect-server did not start: %s" % self.proc.stderr.read())
        return self

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM to our own child
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.output = self.proc.stdout.read()

    def __exit__(self, *exc):
        self.stop()


def check_available():
    """Raises Unavailable without root or without the kernel's SIP helper."""
    if os.geteuid() != 0:
        raise Unavailable("needs root (network namespaces, nftables, SIP helper parameters)")
    if not os.path.isdir("/sys/module/nf_conntrack_sip"):
        subprocess.run(["modprobe", "nf_conntrack_sip"], capture_output=True, timeout=10)
    if not os.path.isdir("/sys/module/nf_conntrack_sip/parameters"):
        raise Unavailable("the kernel has no nf_conntrack_sip helper")


def router_ruleset(helper, transports=("udp", "tcp")):
    """The oracle's nftables ruleset; the SIP helper assigned for these transports only (none when
    helper is false)."""
    kept = transports if helper else ()
    return "\n".join(line for line in oracle_netns.NFT_RULESET.splitlines()
                     if "ct helper set" not in line or any(line.strip().startswith(t + " ") for t in kept))


def live_verdict(alglab, helper=True, transports=("udp", "tcp"), udp_timeout=1, **params):
    """The verdict JSON of one live run through the router, with these module parameters.
    Raises Unavailable (no root, helper or nftables), RuntimeError when the client fails."""
    check_available()
    overrides = {name: str(value) for name, value in params.items()}
    # A plain UDP binding dies after udp_timeout idle seconds (a per-namespace sysctl), so the
    # run's 2 s timer probe sees it expire while the helper's sip_timeout keeps the SIP one.
    sysctls = () if udp_timeout is None else ("net.netfilter.nf_conntrack_udp_timeout=%d" % udp_timeout,)
    server = "%s:5060" % oracle_netns.PEER_IP
    with oracle_params.MachineLock(), oracle_params.PinnedParams(overrides):
        with oracle_netns.Topology(workers=False, peer_extra_ips=(SERVER_ALT_IP,),
                                   ruleset=router_ruleset(helper, transports), router_sysctls=sysctls) as topo:
            peer = ["ip", "netns", "exec", topo.ns["peer"]]
            with Server(alglab, server, SERVER_ALT_IP, prefix=peer):
                proc = subprocess.run(
                    ["ip", "netns", "exec", topo.ns["phone"], alglab, "detect", "--live", "--server", server,
                     "--max-wait", "2", "--json"],
                    capture_output=True, text=True, timeout=CLIENT_TIMEOUT_S)
    if proc.returncode != 0:
        raise RuntimeError("detect --live exited %d: %s" % (proc.returncode, proc.stderr.strip()[-400:]))
    return json.loads(proc.stdout)
