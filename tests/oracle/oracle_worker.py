"""One end of the kernel oracle's topology: a tiny server that runs inside a network namespace.

Started by oracle_netns.Worker as ``ip netns exec NS python3 oracle_worker.py IP PORT``. It binds
a UDP socket to IP:PORT (the SIP socket it sends from) and opens a raw IPv4 socket for protocol
UDP, which gets a copy of every UDP datagram this namespace receives, whatever its destination
port, after IP reassembly and before any UDP checksum or socket lookup. Capturing there means a
datagram the router redirected to another port (nf_nat_sip's forced_dport) or one nobody listens
for is still recorded.

For TCP flows it also holds at most one TCP connection on IP:PORT: the peer listens and accepts,
the phone binds and connects. Bytes are sent with one send() each and read from the connection.

Protocol: one JSON object per line on stdin, one JSON answer per line on stdout.
  {"op":"drain"}                          -> {"ok":true,"raw":N,"udp":M,"tcp":B}  (discarded
                                             datagrams; B bytes read from the TCP connection)
  {"op":"send","payload":B64,"dst":[ip,port]} -> {"ok":true}
  {"op":"recv","timeout":S}               -> {"ok":true,"got":null} or
      {"ok":true,"got":{"payload":B64,"src":[ip,port],"dst":[ip,port]}}
  {"op":"tcp_listen"}                     -> {"ok":true}         (listen on IP:PORT, backlog 1)
  {"op":"tcp_connect","dst":[ip,port],"timeout":S} -> {"ok":true,"local":[..],"remote":[..]}
  {"op":"tcp_accept","timeout":S}         -> {"ok":true,"local":[..],"remote":[..]} (the
                                             listener is closed after the one accept)
  {"op":"tcp_send","payload":B64}         -> {"ok":true}         (exactly one send())
  {"op":"tcp_recv","timeout":S,"quiet":Q} -> {"ok":true,"got":null|{"payload","src","dst"}}:
      waits up to S for the first bytes, then reads until Q seconds pass without more (or S ends)
  {"op":"tcp_wait_acked","timeout":S}     -> {"ok":true,"unacked":N} (0 once the other end has
                                             acknowledged everything sent; polled, bounded by S)
  {"op":"tcp_close","await_reset":S}      -> {"ok":true,"reset_seen":BOOL}: optionally waits up
      to S for the other end's RST, then closes with SO_LINGER 0 (an RST, no TIME_WAIT)
  {"op":"quit"}                           -> {"ok":true}, then exit
Errors answer {"ok":false,"error":TEXT}. Every wait is bounded by the request's timeout, and the
worker exits when stdin closes, so it can never outlive the oracle.
"""
import base64
import errno
import fcntl
import json
import os
import select
import socket
import struct
import sys
import time

IPPROTO_UDP = 17
MAX_WAIT_S = 10.0
# ioctl(SIOCOUTQ) on a TCP socket: bytes sent but not yet acknowledged (linux/sockios.h, the same
# number as TIOCOUTQ).
SIOCOUTQ = 0x5411
TCP_QUICKACK = getattr(socket, "TCP_QUICKACK", 12)
TCP_READ_LIMIT = 1 << 20


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


def read_until_quiet(sock, timeout, quiet):
    """Waits up to timeout s for bytes on a connected stream socket, then keeps reading until
    quiet s pass without more (or timeout ends). Returns the bytes, or None if none came.
    Raises ConnectionError if the other end closed or reset the connection."""
    deadline = time.monotonic() + min(max(timeout, 0.0), MAX_WAIT_S)
    data = bytearray()
    last = None
    while len(data) < TCP_READ_LIMIT:
        end = deadline if last is None else min(deadline, last + quiet)
        remaining = end - time.monotonic()
        if remaining <= 0:
            break
        readable, _, _ = select.select([sock], [], [], remaining)
        if not readable:
            break
        try:
            chunk = sock.recv(65536)
        except BlockingIOError:
            continue
        if not chunk:
            raise ConnectionError("the TCP connection was closed by the other end")
        data += chunk
        last = time.monotonic()
    return bytes(data) if data else None


def unacked_bytes(sock):
    """Bytes written to a TCP socket that the other end has not acknowledged yet."""
    return struct.unpack("i", fcntl.ioctl(sock.fileno(), SIOCOUTQ, struct.pack("i", 0)))[0]


class TcpEnd:
    """This namespace's end of a flow's one TCP connection (none between TCP flows)."""

    def __init__(self, own_ip, port):
        self.own_ip = own_ip
        self.port = port
        self.listener = None
        self.conn = None

    def _socket(self):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def _idle(self):
        if self.listener is not None or self.conn is not None:
            raise RuntimeError("a TCP connection is already open (missing tcp_close)")

    def _connected(self):
        if self.conn is None:
            raise RuntimeError("no TCP connection")
        return self.conn

    def addresses(self):
        conn = self._connected()
        return {"local": list(conn.getsockname()), "remote": list(conn.getpeername())}

    def listen(self):
        self._idle()
        sock = self._socket()
        try:
            sock.bind((self.own_ip, self.port))
            sock.listen(1)
            sock.setblocking(False)
        except BaseException:
            sock.close()
            raise
        self.listener = sock

    def connect(self, dst, timeout):
        self._idle()
        sock = self._socket()
        try:
            sock.bind((self.own_ip, self.port))
            sock.setblocking(False)
            err = sock.connect_ex((dst[0], int(dst[1])))
            if err not in (0, errno.EINPROGRESS):
                raise OSError(err, "connect: " + os.strerror(err))
            _, writable, _ = select.select([], [sock], [], min(max(timeout, 0.0), MAX_WAIT_S))
            if not writable:
                raise TimeoutError("TCP connect to %s:%s took more than %.1f s"
                                   % (dst[0], dst[1], timeout))
            err = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err:
                raise OSError(err, "connect: " + os.strerror(err))
        except BaseException:
            _abort(sock)
            raise
        self.conn = sock
        return self.addresses()

    def accept(self, timeout):
        if self.listener is None or self.conn is not None:
            raise RuntimeError("tcp_accept needs tcp_listen first")
        readable, _, _ = select.select([self.listener], [], [], min(max(timeout, 0.0), MAX_WAIT_S))
        if not readable:
            raise TimeoutError("no TCP connection arrived within %.1f s" % timeout)
        conn, _ = self.listener.accept()
        self.listener.close()
        self.listener = None
        conn.setblocking(False)
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.conn = conn
        return self.addresses()

    def send(self, payload):
        sent = self._connected().send(payload)
        if sent != len(payload):
            raise RuntimeError("send() took %d of %d bytes" % (sent, len(payload)))

    def recv(self, timeout, quiet):
        conn = self._connected()
        data = read_until_quiet(conn, timeout, quiet)
        # Acknowledge now rather than after the delayed-ACK timer: the oracle waits for it.
        conn.setsockopt(socket.IPPROTO_TCP, TCP_QUICKACK, 1)
        if data is None:
            return None
        return {"payload": base64.b64encode(data).decode("ascii"),
                "src": list(conn.getpeername()), "dst": list(conn.getsockname())}

    def drain(self):
        """Reads and discards what is waiting on the connection; returns the byte count."""
        if self.conn is None:
            return 0
        count = 0
        while count < TCP_READ_LIMIT:
            try:
                chunk = self.conn.recv(65536)
            except BlockingIOError:
                break
            if not chunk:
                raise ConnectionError("the TCP connection was closed by the other end")
            count += len(chunk)
        return count

    def wait_acked(self, timeout):
        conn = self._connected()
        deadline = time.monotonic() + min(max(timeout, 0.0), MAX_WAIT_S)
        while True:
            left = unacked_bytes(conn)
            if left == 0 or time.monotonic() >= deadline:
                return left
            time.sleep(0.001)

    def close(self, await_reset=0.0):
        """Closes with an RST (SO_LINGER 0): no TIME_WAIT holds the 4-tuple the next flow reuses.
        With await_reset, first waits (bounded) for the other end's RST to arrive here, so no
        packet of this connection is still crossing the router when its conntrack is flushed."""
        reset_seen = False
        if self.conn is not None and await_reset > 0:
            deadline = time.monotonic() + min(await_reset, MAX_WAIT_S)
            while not reset_seen:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not select.select([self.conn], [], [], remaining)[0]:
                    break
                try:
                    reset_seen = not self.conn.recv(65536)  # FIN: the other end is gone too
                except BlockingIOError:
                    continue
                except ConnectionResetError:
                    reset_seen = True
        for sock in (self.conn, self.listener):
            if sock is not None:
                _abort(sock)
        self.conn = self.listener = None
        return reset_seen


def _abort(sock):
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass  # already reset: closing sends nothing anyway
    sock.close()


def serve(own_ip, port):
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind((own_ip, port))
    udp.setblocking(False)
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, IPPROTO_UDP)
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    raw.setblocking(False)
    tcp = TcpEnd(own_ip, port)

    def answer(obj):
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()

    answer({"ok": True, "ready": True})
    for line in sys.stdin:
        try:
            request = json.loads(line)
            op = request.get("op")
            if op == "quit":
                tcp.close()
                answer({"ok": True})
                return
            if op == "drain":
                answer({"ok": True, "raw": drain(raw), "udp": drain(udp), "tcp": tcp.drain()})
            elif op == "send":
                ip, dport = request["dst"]
                udp.sendto(base64.b64decode(request["payload"]), (ip, int(dport)))
                answer({"ok": True})
            elif op == "recv":
                answer({"ok": True, "got": receive(raw, udp, own_ip, float(request["timeout"]))})
            elif op == "tcp_listen":
                tcp.listen()
                answer({"ok": True})
            elif op == "tcp_connect":
                answer(dict(tcp.connect(request["dst"], float(request["timeout"])), ok=True))
            elif op == "tcp_accept":
                answer(dict(tcp.accept(float(request["timeout"])), ok=True))
            elif op == "tcp_send":
                tcp.send(base64.b64decode(request["payload"]))
                answer({"ok": True})
            elif op == "tcp_recv":
                answer({"ok": True, "got": tcp.recv(float(request["timeout"]),
                                                    float(request["quiet"]))})
            elif op == "tcp_wait_acked":
                answer({"ok": True, "unacked": tcp.wait_acked(float(request["timeout"]))})
            elif op == "tcp_close":
                answer({"ok": True,
                        "reset_seen": tcp.close(float(request.get("await_reset", 0.0)))})
            else:
                answer({"ok": False, "error": "unknown op %r" % (op,)})
        except Exception as exc:  # report, keep serving: the oracle decides what is fatal
            answer({"ok": False, "error": "%s: %s" % (type(exc).__name__, exc)})


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.stderr.write("usage: oracle_worker.py IP PORT\n")
        sys.exit(2)
    serve(sys.argv[1], int(sys.argv[2]))
