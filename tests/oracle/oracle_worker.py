"""One end of the kernel oracle's topology: a tiny server that runs inside a network namespace.

Started by oracle_netns.Worker as ``ip netns exec NS python3 oracle_worker.py IP PORT``. It binds
a UDP socket to IP:PORT (the SIP socket it sends from) and opens a raw IPv4 socket for protocol
UDP, which gets a copy of every UDP datagram this namespace receives, whatever its destination
port, after IP reassembly and before any UDP checksum or socket lookup. Capturing there means a
datagram the router redirected to another port (nf_nat_sip's forced_dport) or one nobody listens
for is still recorded.

Protocol: one JSON object per line on stdin, one JSON answer per line on stdout.
  {"op":"drain"}                          -> {"ok":true,"raw":N,"udp":M}  (discarded datagrams)
  {"op":"send","payload":B64,"dst":[ip,port]} -> {"ok":true}
  {"op":"recv","timeout":S}               -> {"ok":true,"got":null} or
      {"ok":true,"got":{"payload":B64,"src":[ip,port],"dst":[ip,port]}}
  {"op":"quit"}                           -> {"ok":true}, then exit
Errors answer {"ok":false,"error":TEXT}. Every wait is bounded by the request's timeout, and the
worker exits when stdin closes, so it can never outlive the oracle.
"""

import base64
import json
import select
import socket
import struct
import sys
import time

IPPROTO_UDP = 17
MAX_WAIT_S = 10.0


def parse_ipv4_udp(packet):
    """Splits a raw IPv4 packet into (src, dst, sport, dport, payload); None if not UDP."""
    if len(packet) < 20 or packet[0] >> 4 != 4 or packet[9] != IPPROTO_UDP:
        return None
    ihl = (packet[0] & 0x0F) * 4
    if len(packet) < ihl + 8:
        return None
    sport, dport, length = struct.unpack("!HHH", packet[ihl:ihl + 6])
    end = min(len(packet), ihl + max(length, 8))
    return (socket.inet_ntoa(packet[12:16]), socket.inet_ntoa(packet[16:20]), sport, dport,
            packet[ihl + 8:end])


def drain(sock):
    count = 0
    while True:
        try:
            sock.recv(70000)
        except BlockingIOError:
            return count
        count += 1


def receive(raw, udp, own_ip, timeout):
    """Waits until a UDP datagram for own_ip arrives (or timeout) and returns its description."""
    deadline = time.monotonic() + min(max(timeout, 0.0), MAX_WAIT_S)
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        readable, _, _ = select.select([raw], [], [], remaining)
        if not readable:
            return None
        try:
            packet = raw.recv(70000)
        except BlockingIOError:
            continue
        parsed = parse_ipv4_udp(packet)
        if parsed is None or parsed[1] != own_ip:
            continue
        src, dst, sport, dport, payload = parsed
        # The bound socket got the same datagram if it went to our port; keep its queue empty.
        drain(udp)
        return {"payload": base64.b64encode(payload).decode("ascii"),
                "src": [src, sport], "dst": [dst, dport]}


def serve(own_ip, port):
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind((own_ip, port))
    udp.setblocking(False)
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, IPPROTO_UDP)
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    raw.setblocking(False)

    def answer(obj):
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()

    answer({"ok": True, "ready": True})
    for line in sys.stdin:
        try:
            request = json.loads(line)
            op = request.get("op")
            if op == "quit":
                answer({"ok": True})
                return
            if op == "drain":
                answer({"ok": True, "raw": drain(raw), "udp": drain(udp)})
            elif op == "send":
                ip, dport = request["dst"]
                udp.sendto(base64.b64decode(request["payload"]), (ip, int(dport)))
                answer({"ok": True})
            elif op == "recv":
                answer({"ok": True, "got": receive(raw, udp, own_ip, float(request["timeout"]))})
            else:
                answer({"ok": False, "error": "unknown op %r" % (op,)})
        except Exception as exc:  # report, keep serving: the oracle decides what is fatal
            answer({"ok": False, "error": "%s: %s" % (type(exc).__name__, exc)})


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.stderr.write("usage: oracle_worker.py IP PORT\n")
        sys.exit(2)
    serve(sys.argv[1], int(sys.argv[2]))
