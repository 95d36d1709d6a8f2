"""The kernel oracle's network: three namespaces (phone, router, peer) joined by two veth pairs.

    phone 10.0.0.2/24 --eth0|lan-- router 10.0.0.1/24 , 203.0.113.1/24 --wan|eth0-- peer 203.0.113.2/24
                                   ip_forward=1, nft: masquerade out of wan,
                                   ct helper "sip" on new UDP flows and new TCP
                                   connections to port 5060,
                                   new connections from wan to the router itself dropped

Every namespace is named ``alglab-orc-<pid>-<role>``, so concurrent runs never collide and a
later run can recognise (and delete) namespaces whose creating process died. All nftables state
lives inside the router namespace and vanishes with it. Traffic never leaves these namespaces.
"""

import base64
import json
import os
import re
import select
import subprocess
import sys
import tempfile
import time

PHONE_IP = "10.0.0.2"
ROUTER_LAN_IP = "10.0.0.1"
ROUTER_WAN_IP = "203.0.113.1"
PEER_IP = "203.0.113.2"
SIP_PORT = 5060
NS_PREFIX = "alglab-orc-"
ROLES = ("phone", "router", "peer")

WORKER_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "oracle_worker.py")

# A ct helper object, because automatic helper assignment (nf_conntrack_helper=1) is gone from
# modern kernels; it must be attached in prerouting, before the new conntrack is confirmed.
# One per transport: the "sip" helper is registered separately for UDP and TCP (sip_help_tcp),
# and a TCP connection gets it on its SYN.
# Masquerade preserves the source port when it is free, so the phone's 5060 stays 5060.
# Unsolicited datagrams from the WAN to the router itself are dropped before their conntrack
# entry is confirmed, as a home router's firewall does: otherwise a peer datagram sent before
# the phone spoke would leave an entry holding 203.0.113.1:5060, and masquerade would then
# move the phone to a random port (non-deterministic output).
# TCP segments conntrack calls invalid are dropped, as router firewalls do (OpenWrt's "prevent
# NAT leakage" rule): forwarded, they would leave un-NATed; addressed to the router, its own stack
# would answer them with an RST that kills the flow's connection. This happens after the helper
# dropped a segment: the receiver's duplicate ACKs then carry SACK blocks beyond a sequence
# adjustment, which conntrack's window check does not translate.
NFT_RULESET = """
table ip alglab_oracle {
    ct helper sip_udp {
        type "sip" protocol udp
        l3proto ip
    }
    ct helper sip_tcp {
        type "sip" protocol tcp
        l3proto ip
    }
    chain prerouting_helper {
        type filter hook prerouting priority filter; policy accept;
        udp dport 5060 ct state new ct helper set "sip_udp"
        tcp dport 5060 ct state new ct helper set "sip_tcp"
    }
    chain input_firewall {
        type filter hook input priority filter; policy accept;
        iifname "wan" ct state new drop
        iifname "wan" meta l4proto tcp ct state invalid drop
    }
    chain forward_firewall {
        type filter hook forward priority filter; policy accept;
        meta l4proto tcp ct state invalid drop
    }
    chain postrouting_nat {
        type nat hook postrouting priority srcnat; policy accept;
        oifname "wan" masquerade
    }
}
"""

COMMAND_TIMEOUT_S = 20.0
WORKER_TIMEOUT_S = 15.0
# TCP: the handshake through the router; how long a sender waits for its bytes to be
# acknowledged once they arrived; how long the peer waits for the phone's closing RST.
TCP_CONNECT_TIMEOUT_S = 3.0
TCP_ACK_TIMEOUT_S = 2.0
TCP_RESET_TIMEOUT_S = 1.0


class OracleError(Exception):
    """The oracle could not do its job (a bug, or the machine misbehaves)."""


class Unavailable(OracleError):
    """This machine cannot run the oracle (no root, no SIP helper, missing tools): a skip."""


def run(argv, stdin_text=None, timeout=COMMAND_TIMEOUT_S, check=True):
    """Runs a command with a time bound; returns CompletedProcess, raising OracleError on failure."""
    try:
        done = subprocess.run(argv, input=stdin_text, capture_output=True, text=True,
                              timeout=timeout)
    except FileNotFoundError as exc:
        raise Unavailable("command not found: %s" % argv[0]) from exc
    except subprocess.TimeoutExpired as exc:
        raise OracleError("timed out after %.0f s: %s" % (timeout, " ".join(argv))) from exc
    if check and done.returncode != 0:
        raise OracleError("%s failed (status %d): %s" % (" ".join(argv), done.returncode,
                                                         done.stderr.strip()))
    return done


def list_namespaces():
    done = run(["ip", "netns", "list"])
    return [line.split()[0] for line in done.stdout.splitlines() if line.strip()]


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_namespaces():
    """Deletes oracle namespaces left by runs whose process no longer exists (e.g. SIGKILLed)."""
    pattern = re.compile(r"^%s(\d+)-(%s)$" % (re.escape(NS_PREFIX), "|".join(ROLES)))
    for name in list_namespaces():
        match = pattern.match(name)
        if match and not _pid_alive(int(match.group(1))):
            run(["ip", "netns", "del", name], check=False)


class Worker:
    """A running oracle_worker.py inside one namespace, spoken to over its stdin/stdout."""

    def __init__(self, namespace, ip, port):
        self.namespace = namespace
        self._stderr = tempfile.TemporaryFile()
        self._buffer = b""
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", namespace, sys.executable, "-u", WORKER_PATH, ip, str(port)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr)
        try:
            ready = self._read_answer(WORKER_TIMEOUT_S)
            if not ready.get("ready"):
                raise OracleError("worker in %s did not start: %r" % (namespace, ready))
        except BaseException:
            self.close()
            raise

    def _worker_stderr(self):
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace").strip()

    def _read_answer(self, timeout):
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise OracleError("worker in %s did not answer within %.0f s"
                                  % (self.namespace, timeout))
            readable, _, _ = select.select([fd], [], [], remaining)
            if not readable:
                continue
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                self.proc.wait(timeout=5)
                raise OracleError("worker in %s exited (status %s): %s"
                                  % (self.namespace, self.proc.returncode, self._worker_stderr()))
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def call(self, request, timeout=WORKER_TIMEOUT_S):
        self.proc.stdin.write((json.dumps(request) + "\n").encode("ascii"))
        self.proc.stdin.flush()
        answer = self._read_answer(timeout)
        if not answer.get("ok"):
            raise OracleError("worker in %s: %s" % (self.namespace, answer.get("error")))
        return answer

    def drain(self):
        return self.call({"op": "drain"})

    def send(self, payload, dst):
        self.call({"op": "send", "payload": base64.b64encode(payload).decode("ascii"),
                   "dst": list(dst)})

    def receive(self, timeout):
        """The next datagram for this namespace within timeout s, as a dict, or None."""
        got = self.call({"op": "recv", "timeout": timeout}, timeout=timeout + WORKER_TIMEOUT_S)["got"]
        if got is not None:
            got["payload"] = base64.b64decode(got["payload"])
            got["src"] = tuple(got["src"])
            got["dst"] = tuple(got["dst"])
        return got

    def tcp_listen(self):
        self.call({"op": "tcp_listen"})

    def tcp_connect(self, dst, timeout):
        answer = self.call({"op": "tcp_connect", "dst": list(dst), "timeout": timeout},
                           timeout=timeout + WORKER_TIMEOUT_S)
        return tuple(answer["local"]), tuple(answer["remote"])

    def tcp_accept(self, timeout):
        answer = self.call({"op": "tcp_accept", "timeout": timeout},
                           timeout=timeout + WORKER_TIMEOUT_S)
        return tuple(answer["local"]), tuple(answer["remote"])

    def tcp_send(self, payload):
        self.call({"op": "tcp_send", "payload": base64.b64encode(payload).decode("ascii")})

    def tcp_receive(self, timeout, quiet):
        """What arrived on the connection within timeout s (read until quiet s pass without
        more bytes), as a dict like receive()'s, or None."""
        got = self.call({"op": "tcp_recv", "timeout": timeout, "quiet": quiet},
                        timeout=timeout + WORKER_TIMEOUT_S)["got"]
        if got is not None:
            got["payload"] = base64.b64decode(got["payload"])
            got["src"] = tuple(got["src"])
            got["dst"] = tuple(got["dst"])
        return got

    def tcp_wait_acked(self, timeout):
        """Bytes still unacknowledged after waiting up to timeout s for them to reach 0."""
        return self.call({"op": "tcp_wait_acked", "timeout": timeout},
                         timeout=timeout + WORKER_TIMEOUT_S)["unacked"]

    def tcp_close(self, await_reset=0.0):
        return self.call({"op": "tcp_close", "await_reset": await_reset},
                         timeout=await_reset + WORKER_TIMEOUT_S)["reset_seen"]

    def close(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.write(b'{"op":"quit"}\n')
                self.proc.stdin.close()
                self.proc.wait(timeout=2)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()  # our own child, by its handle
                self.proc.wait(timeout=5)
        for stream in (self.proc.stdin, self.proc.stdout, self._stderr):
            try:
                stream.close()
            except OSError:
                pass  # a broken pipe to a dead worker has nothing left to flush


class Topology:
    """The three namespaces plus one worker in the phone and one in the peer. Use as a context
    manager; close() is idempotent and also registered with atexit by the caller."""

    def __init__(self, workers=True, peer_extra_ips=(), ruleset=NFT_RULESET, router_sysctls=()):
        """workers=False: the namespaces only, for a caller that runs its own programs in them
        (the live detector's test); peer_extra_ips: more /24 addresses on the peer;
        router_sysctls: "name=value" settings for the router namespace."""
        self.tag = "%s%d-" % (NS_PREFIX, os.getpid())
        self.ns = {role: self.tag + role for role in ROLES}
        self.phone = None
        self.peer = None
        self._created = []
        self._workers = workers
        self._peer_extra_ips = tuple(peer_extra_ips)
        self._ruleset = ruleset
        self._router_sysctls = tuple(router_sysctls)

    def __enter__(self):
        try:
            self.up()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()

    def _sh(self, role, script):
        run(["ip", "netns", "exec", self.ns[role], "sh", "-ec", script])

    def up(self):
        remove_stale_namespaces()
        for role in ROLES:
            run(["ip", "netns", "add", self.ns[role]])
            self._created.append(self.ns[role])
            # No IPv6: nothing but our datagrams should move (no DAD, no router solicitations).
            self._sh(role, "sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 "
                           "net.ipv6.conf.default.disable_ipv6=1")
        phone, router, peer = self.ns["phone"], self.ns["router"], self.ns["peer"]
        run(["ip", "-n", router, "link", "add", "lan", "type", "veth", "peer", "name", "eth0",
             "netns", phone])
        run(["ip", "-n", router, "link", "add", "wan", "type", "veth", "peer", "name", "eth0",
             "netns", peer])
        for ns, commands in (
                (phone, ["addr add %s/24 dev eth0" % PHONE_IP, "link set lo up",
                         "link set eth0 up", "route add default via %s" % ROUTER_LAN_IP]),
                (router, ["addr add %s/24 dev lan" % ROUTER_LAN_IP,
                          "addr add %s/24 dev wan" % ROUTER_WAN_IP,
                          "link set lo up", "link set lan up", "link set wan up"]),
                (peer, ["addr add %s/24 dev eth0" % ip for ip in (PEER_IP, *self._peer_extra_ips)]
                 + ["link set lo up", "link set eth0 up"])):
            run(["ip", "-n", ns, "-batch", "-"], stdin_text="\n".join(commands) + "\n")
        self._sh("router", "sysctl -q -w net.ipv4.ip_forward=1")
        for setting in self._router_sysctls:
            self._sh("router", "sysctl -q -w %s" % setting)
        done = run(["ip", "netns", "exec", router, "nft", "-f", "-"], stdin_text=self._ruleset,
                   check=False)
        if done.returncode != 0:
            raise Unavailable("nftables refused the SIP helper ruleset (kernel without "
                              "nft ct helper / SIP conntrack / masquerade?): %s"
                              % done.stderr.strip())
        if self._workers:
            self.phone = Worker(phone, PHONE_IP, SIP_PORT)
            self.peer = Worker(peer, PEER_IP, SIP_PORT)

    def reset(self):
        """Forgets every connection and expectation in the router, so flows cannot influence
        each other; verified, not assumed."""
        script = ("conntrack -F >/dev/null 2>&1 || true; conntrack -F expect >/dev/null 2>&1 "
                  "|| true; conntrack -L 2>/dev/null; conntrack -L expect 2>/dev/null")
        for _ in range(5):
            done = run(["ip", "netns", "exec", self.ns["router"], "sh", "-c", script])
            if not done.stdout.strip():
                return
            time.sleep(0.05)
        raise OracleError("router conntrack state survived 5 flushes:\n" + done.stdout)

    def open_tcp(self):
        """The flow's TCP connection, phone 10.0.0.2:5060 to peer 203.0.113.2:5060 through the
        router; returns ((phone local, phone remote), (peer local, peer remote))."""
        self.peer.tcp_listen()
        try:
            phone = self.phone.tcp_connect((PEER_IP, SIP_PORT), TCP_CONNECT_TIMEOUT_S)
            peer = self.peer.tcp_accept(TCP_CONNECT_TIMEOUT_S)
        except BaseException:
            self.close_tcp(quiet=True)
            raise
        return phone, peer

    def close_tcp(self, quiet=False):
        """Resets the connection from the phone and waits for the RST to reach the peer, then
        closes the peer's end (SO_LINGER 0 on both: no TIME_WAIT for the next flow's identical
        4-tuple). quiet: best effort, for unwinding after an error."""
        failure = None
        for worker, await_reset in ((self.phone, 0.0), (self.peer, TCP_RESET_TIMEOUT_S)):
            try:
                worker.tcp_close(await_reset)
            except OracleError as exc:
                failure = failure or exc
        if failure is not None and not quiet:
            raise failure

    def close(self):
        for worker in (self.phone, self.peer):
            if worker is not None:
                worker.close()
        self.phone = self.peer = None
        while self._created:
            run(["ip", "netns", "del", self._created.pop()], check=False)
