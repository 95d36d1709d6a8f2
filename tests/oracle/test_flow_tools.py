"""Tests of the oracle's tools that need no root: alglab-flow-dump, the oracle's argument and
parameter handling, its output formats, the worker's packet parser and TCP reading (on a local
socket pair, no network), the router ruleset, and check_golden's CI rule.

Run from this directory: ALGLAB_FLOW_DUMP=build/bin/alglab-flow-dump python3 -m unittest test_flow_tools
"""

import base64
import contextlib
import glob
import io
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import check_golden  # noqa: E402
import kernel_oracle  # noqa: E402
import oracle_params  # noqa: E402
import oracle_netns  # noqa: E402
import oracle_worker  # noqa: E402
from oracle_netns import Unavailable  # noqa: E402

FLOW_DUMP = os.environ.get("ALGLAB_FLOW_DUMP", "")
CORPUS = os.environ.get("ALGLAB_FLOW_CORPUS", os.path.join(HERE, "..", "data", "flows"))
TCP_CORPUS = os.environ.get("ALGLAB_FLOW_CORPUS_TCP", os.path.join(HERE, "..", "data", "flows-tcp"))
needs_dump = unittest.skipUnless(os.access(FLOW_DUMP, os.X_OK), "ALGLAB_FLOW_DUMP not built")


def write_temp(content, suffix=".flow"):
    fd, path = tempfile.mkstemp(prefix="alglab-flowtool-", suffix=suffix)
    with os.fdopen(fd, "wb") as f:
        f.write(content)
    return path


@needs_dump
class FlowDumpTest(unittest.TestCase):
    def run_dump(self, *args):
        return subprocess.run([FLOW_DUMP, *args], capture_output=True, timeout=30)

    def test_prints_blocks_with_exact_bytes(self):
        path = write_temp(b"# c\n>>> out\nINVITE x SIP/2.0\nl: {CL}\n\nv=0\n\n<<< in\nSIP/2.0 200 OK\n")
        try:
            done = self.run_dump(path)
        finally:
            os.unlink(path)
        self.assertEqual(done.returncode, 0, done.stderr)
        blocks = json.loads(done.stdout)
        self.assertEqual([list(b) for b in blocks], [["dir", "payload", "line"]] * 2)
        self.assertEqual([(b["dir"], b["line"]) for b in blocks], [("out", 2), ("in", 8)])
        self.assertEqual(base64.b64decode(blocks[0]["payload"]),
                         b"INVITE x SIP/2.0\r\nl: 5\r\n\r\nv=0\r\n")
        self.assertEqual(base64.b64decode(blocks[1]["payload"]), b"SIP/2.0 200 OK\r\n\r\n")

    def test_non_utf8_bytes_survive(self):
        path = write_temp(b">>> out\nM \xff\x00\x80\n")
        try:
            blocks = json.loads(self.run_dump(path).stdout)
        finally:
            os.unlink(path)
        self.assertEqual(base64.b64decode(blocks[0]["payload"]), b"M \xff\x00\x80\r\n\r\n")

    def test_bad_file_exits_2_with_one_line(self):
        path = write_temp(b"# c\n>>> sideways\nM\n")
        try:
            done = self.run_dump(path)
        finally:
            os.unlink(path)
        self.assertEqual(done.returncode, 2)
        self.assertEqual(done.stdout, b"")
        self.assertEqual(done.stderr.decode(),
                         "%s:2: unknown direction 'sideways' after '>>>' (expected 'out')\n" % path)

    def test_missing_file_and_usage(self):
        done = self.run_dump("/nonexistent/x.flow")
        self.assertEqual(done.returncode, 2)
        self.assertTrue(done.stderr.startswith(b"/nonexistent/x.flow:0: cannot open flow file"))
        self.assertEqual(self.run_dump().returncode, 2)
        self.assertEqual(self.run_dump("a", "b").returncode, 2)

    def test_oracle_reads_the_same_bytes(self):
        flow = os.path.join(CORPUS, "call-out-basic.flow")
        blocks = kernel_oracle.load_flow(FLOW_DUMP, flow)
        self.assertEqual(blocks[0].dir, "out")
        self.assertTrue(blocks[0].payload.startswith(b"INVITE sip:0123456789@203.0.113.2 SIP/2.0\r\n"))
        self.assertIn(b"Content-Length: 241\r\n", blocks[0].payload)

    def test_oracle_rejects_a_bad_flow_before_needing_root(self):
        path = write_temp(b"junk before\n>>> out\nM\n")
        try:
            done = subprocess.run([sys.executable, os.path.join(HERE, "kernel_oracle.py"),
                                   "--flow-dump", FLOW_DUMP, path], capture_output=True, timeout=60)
        finally:
            os.unlink(path)
        self.assertEqual(done.returncode, 2)
        self.assertIn(b"%s:1: text before the first block" % path.encode(), done.stderr)


class OracleOptionsTest(unittest.TestCase):
    def test_param_overrides(self):
        self.assertEqual(oracle_params.parse_overrides(["sip_direct_media=0", "sip_timeout = 60"]),
                         {"sip_direct_media": "0", "sip_timeout": "60"})
        for bad in (["ports=5061"], ["sip_nonsense=1"], ["sip_direct_media"], ["=1"],
                    ["sip_timeout=-1"], ["sip_timeout=ten"], ["sip_timeout=99999999999"],
                    ["sip_direct_media=0", "sip_direct_media=1"]):
            with self.assertRaises(oracle_params.ParamError, msg=bad):
                oracle_params.parse_overrides(bad)

    def test_bad_arguments_exit_2(self):
        for argv in (["--flow-dump", "x", "--param", "ports=1", "f.flow"],
                     ["--flow-dump", "x", "--wait", "0", "f.flow"],
                     ["--flow-dump", "x", "--out", "d", "a/f.flow", "b/f.flow"],
                     ["--flow-dump", "x"]):
            with self.assertRaises(SystemExit) as caught, \
                    contextlib.redirect_stderr(io.StringIO()):
                kernel_oracle.parse_args(argv)
            self.assertEqual(caught.exception.code, 2, argv)

    def test_non_root_is_a_skip(self):
        with self.assertRaises(Unavailable):
            kernel_oracle.check_machine(euid=1000)

    def test_flow_names(self):
        self.assertEqual(kernel_oracle.flow_name("/a/b/register-basic.flow"), "register-basic")
        self.assertEqual(kernel_oracle.flow_name("odd.txt"), "odd.txt")


class OutputFormatTest(unittest.TestCase):
    RECORDS = [{"dir": "out", "got": {"payload": b"A\r\n"}}, {"dir": "in", "got": None}]

    def test_mangle_json_shape(self):
        self.assertEqual(kernel_oracle.mangle_json(self.RECORDS),
                         [{"dir": "out", "delivered": "QQ0K"}, {"dir": "in", "delivered": None}])

    def test_destinations_are_where_datagrams_arrived(self):
        records = [{"dir": "out", "got": {"payload": b"A", "dst": ["203.0.113.2", 5060]}},
                   {"dir": "in", "got": {"payload": b"B", "dst": ["10.0.0.2", 5070]}},
                   {"dir": "in", "got": None}]
        self.assertEqual(kernel_oracle.destinations(records),
                         ["203.0.113.2:5060", "10.0.0.2:5070", None])

    def test_golden_format_is_the_same_json_one_block_per_line(self):
        entries = kernel_oracle.mangle_json(self.RECORDS)
        text = kernel_oracle.format_golden(entries)
        self.assertEqual(json.loads(text), entries)
        self.assertEqual(text.count("\n"), len(entries) + 2)
        self.assertEqual(json.loads(kernel_oracle.format_golden([])), [])


class WorkerParserTest(unittest.TestCase):
    @staticmethod
    def packet(payload, proto=17, ihl=5, sport=5060, dport=5070):
        options = b"\x01" * (4 * (ihl - 5))
        header = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, 20 + len(options) + 8 + len(payload),
                             0, 0, 64, proto, 0, socket.inet_aton("203.0.113.2"),
                             socket.inet_aton("10.0.0.2")) + options
        return header + struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload

    def test_parses_udp_with_and_without_ip_options(self):
        for ihl in (5, 6):
            self.assertEqual(oracle_worker.parse_ipv4_udp(self.packet(b"SIP/2.0 200 OK", ihl=ihl)),
                             ("203.0.113.2", "10.0.0.2", 5060, 5070, b"SIP/2.0 200 OK"))

    def test_ignores_what_is_not_udp_over_ipv4(self):
        self.assertIsNone(oracle_worker.parse_ipv4_udp(self.packet(b"x", proto=6)))
        self.assertIsNone(oracle_worker.parse_ipv4_udp(b"\x60" + b"\x00" * 40))
        self.assertIsNone(oracle_worker.parse_ipv4_udp(self.packet(b"")[:24]))


def fake_flow_dump(entries):
    """An executable standing in for alglab-flow-dump that prints the given entries."""
    path = write_temp(b"#!%s\nimport json, sys\nprint(json.dumps(%r))\n"
                      % (sys.executable.encode(), entries), suffix=".py")
    os.chmod(path, 0o755)
    return path


class TcpFlowLoadingTest(unittest.TestCase):
    def entry(self, direction, payload, line, transport="tcp"):
        entry = {"dir": direction, "payload": base64.b64encode(payload).decode(), "line": line}
        if transport is not None:
            entry["transport"] = transport
        return entry

    def test_tcp_entries_become_tcp_blocks(self):
        dump = fake_flow_dump([self.entry("out", b"REGISTER x SIP/2.0\r\n\r\n", 1),
                               self.entry("in", b"SIP/2.0 200 OK\r\n\r\n", 5)])
        try:
            blocks = kernel_oracle.load_flow(dump, "f.flow")
        finally:
            os.unlink(dump)
        self.assertEqual([(b.dir, b.line, b.transport) for b in blocks],
                         [("out", 1, "tcp"), ("in", 5, "tcp")])
        self.assertEqual(blocks[1].payload, b"SIP/2.0 200 OK\r\n\r\n")
        self.assertEqual(kernel_oracle.flow_transport(blocks), "tcp")

    def test_entries_without_transport_are_udp(self):
        blocks = kernel_oracle.blocks_from_dump("f.flow", [self.entry("out", b"A", 1, None)])
        self.assertEqual(blocks[0].transport, "udp")
        self.assertEqual(kernel_oracle.flow_transport(blocks), "udp")

    def test_mixed_or_unknown_transports_are_flow_errors(self):
        with self.assertRaisesRegex(kernel_oracle.FlowFileError, r"^f.flow:4: tcp after udp"):
            kernel_oracle.blocks_from_dump("f.flow", [self.entry("out", b"A", 1, None),
                                                      self.entry("in", b"B", 4)])
        with self.assertRaisesRegex(kernel_oracle.FlowFileError, r"^f.flow:1: transport 'sctp'"):
            kernel_oracle.blocks_from_dump("f.flow", [self.entry("out", b"A", 1, "sctp")])

    def test_tcp_canary_names_tcp(self):
        self.assertIn(b"Via: SIP/2.0/TCP 10.0.0.2:5060;", kernel_oracle.CANARY_TCP)
        self.assertNotIn(b"UDP", kernel_oracle.CANARY_TCP)

    def test_text_mode_says_tcp_and_unacknowledged_bytes(self):
        records = [{"dir": "out", "line": 3, "sent": b"A\r\n", "transport": "tcp",
                    "sent_to": ("203.0.113.2", 5060), "unacked": 0,
                    "got": {"payload": b"B\r\n", "src": ("203.0.113.1", 5060),
                            "dst": ("203.0.113.2", 5060)}},
                   {"dir": "out", "line": 9, "sent": b"C", "transport": "tcp",
                    "sent_to": ("203.0.113.2", 5060), "unacked": 1, "got": None}]
        text = kernel_oracle.format_text("f", records)
        self.assertIn("--- segment 1 (line 3) out tcp, sent on the connection 10.0.0.2:5060 -> "
                      "203.0.113.2:5060: arrived REWRITTEN, 203.0.113.1:5060 -> "
                      "203.0.113.2:5060\nB\n", text)
        self.assertIn("--- segment 2 (line 9) out tcp", text)
        self.assertIn("DROPPED (nothing arrived, 1 byte(s) unacknowledged, TCP retransmits)", text)
        self.assertEqual(kernel_oracle.mangle_json(records),
                         [{"dir": "out", "delivered": "Qg0K"}, {"dir": "out", "delivered": None}])
        self.assertEqual(kernel_oracle.destinations(records), ["203.0.113.2:5060", None])


class RulesetTest(unittest.TestCase):
    def test_udp_rules_kept_and_tcp_helper_added(self):
        rules = [line.strip() for line in oracle_netns.NFT_RULESET.splitlines()]
        for rule in ('type "sip" protocol udp', 'type "sip" protocol tcp',
                     'udp dport 5060 ct state new ct helper set "sip_udp"',
                     'tcp dport 5060 ct state new ct helper set "sip_tcp"',
                     'iifname "wan" ct state new drop', 'oifname "wan" masquerade'):
            self.assertIn(rule, rules)
        # Invalid-state drops must not reach UDP (its golden files were recorded without them).
        for rule in rules:
            if "invalid" in rule:
                self.assertIn("meta l4proto tcp", rule)


class TcpReadTest(unittest.TestCase):
    """The worker's reading of a TCP stream, on an AF_UNIX socket pair (same stream semantics)."""

    def setUp(self):
        self.reader, self.writer = socket.socketpair()
        self.reader.setblocking(False)
        self.addCleanup(self.reader.close)
        self.addCleanup(self.writer.close)

    def write_later(self, delays_and_bytes):
        def run():
            for delay, data in delays_and_bytes:
                time.sleep(delay)
                if data is None:
                    self.writer.shutdown(socket.SHUT_WR)
                else:
                    self.writer.sendall(data)
        thread = threading.Thread(target=run)
        thread.start()
        self.addCleanup(thread.join)

    def test_nothing_within_the_wait_is_none(self):
        start = time.monotonic()
        self.assertIsNone(oracle_worker.read_until_quiet(self.reader, 0.05, 0.03))
        self.assertLess(time.monotonic() - start, 1.0)

    def test_reads_until_a_quiet_window_passes(self):
        self.write_later([(0.0, b"AB"), (0.01, b"CD"), (0.3, b"late")])
        self.assertEqual(oracle_worker.read_until_quiet(self.reader, 2.0, 0.1), b"ABCD")
        self.assertEqual(oracle_worker.read_until_quiet(self.reader, 2.0, 0.05), b"late")

    def test_the_wait_bounds_reading_too(self):
        self.write_later([(0.0, b"x")] + [(0.02, b"y")] * 15)
        start = time.monotonic()
        got = oracle_worker.read_until_quiet(self.reader, 0.1, 0.2)
        self.assertLess(time.monotonic() - start, 0.3)
        self.assertTrue(got.startswith(b"x") and len(got) < 16, got)

    def test_a_closed_connection_is_an_error(self):
        self.write_later([(0.0, b"x"), (0.0, None)])
        with self.assertRaises(ConnectionError):
            oracle_worker.read_until_quiet(self.reader, 1.0, 0.1)

    def test_drain_counts_bytes_and_reports_a_close(self):
        end = oracle_worker.TcpEnd("10.0.0.2", 5060)
        self.assertEqual(end.drain(), 0)  # no connection: nothing to drain
        end.conn = self.reader
        self.writer.sendall(b"12345")
        time.sleep(0.01)
        self.assertEqual(end.drain(), 5)
        self.assertEqual(end.drain(), 0)
        with self.assertRaisesRegex(RuntimeError, "already open"):
            end.listen()
        self.writer.shutdown(socket.SHUT_WR)
        with self.assertRaises(ConnectionError):
            end.drain()
        end.conn = None

    def test_ops_without_a_connection_fail_cleanly(self):
        end = oracle_worker.TcpEnd("10.0.0.2", 5060)
        for call in (lambda: end.send(b"x"), lambda: end.recv(0.01, 0.01),
                     lambda: end.wait_acked(0.0), lambda: end.accept(0.0)):
            with self.assertRaises(RuntimeError):
                call()
        self.assertFalse(end.close(await_reset=0.5))


class CheckGoldenTest(unittest.TestCase):
    def run_with_fake_oracle(self, status, ci):
        fake = write_temp(b"import sys\nsys.exit(%d)\n" % status, suffix=".py")
        flows = tempfile.mkdtemp(prefix="alglab-flowtool-")
        open(os.path.join(flows, "a.flow"), "w").close()
        env = dict(os.environ, CI="true" if ci else "")
        try:
            return subprocess.run([sys.executable, os.path.join(HERE, "check_golden.py"),
                                   "--flow-dump", FLOW_DUMP or "x", "--flows", flows,
                                   "--oracle", fake], capture_output=True, env=env, timeout=60)
        finally:
            os.unlink(fake)
            os.unlink(os.path.join(flows, "a.flow"))
            os.rmdir(flows)

    def test_skip_outside_ci_failure_inside(self):
        self.assertEqual(self.run_with_fake_oracle(77, ci=False).returncode, 77)
        done = self.run_with_fake_oracle(77, ci=True)
        self.assertEqual(done.returncode, 1)
        self.assertIn(b"CI=true", done.stderr)

    def test_oracle_failure_fails(self):
        self.assertEqual(self.run_with_fake_oracle(1, ci=False).returncode, 1)

    def test_difference_report_shows_the_changed_line(self):
        golden = [{"dir": "out", "delivered": base64.b64encode(b"A\r\nVia: x\r\n").decode()}]
        live = [{"dir": "out", "delivered": base64.b64encode(b"A\r\nVia: y\r\n").decode()}]
        report = "\n".join(check_golden.describe_difference("f", golden, live))
        self.assertIn("-Via: x", report)
        self.assertIn("+Via: y", report)
        dropped = "\n".join(check_golden.describe_difference("f", golden, [{"dir": "out",
                                                                             "delivered": None}]))
        self.assertIn("+(dropped: nothing arrived)", dropped)


class CorpusTest(unittest.TestCase):
    def test_every_flow_has_a_golden_file_in_mangle_format(self):
        flows = sorted(glob.glob(os.path.join(CORPUS, "*.flow")))
        self.assertGreaterEqual(len(flows), 30)
        for flow in flows:
            with open(flow[:-len(".flow")] + ".kernel.json") as f:
                golden = json.load(f)
            self.assertTrue(golden, flow)
            for entry in golden:
                self.assertEqual(sorted(entry), ["delivered", "dir"], flow)
                self.assertIn(entry["dir"], ("out", "in"))
                if entry["delivered"] is not None:
                    base64.b64decode(entry["delivered"], validate=True)

    @needs_dump
    def test_tcp_golden_files_hold_one_entry_per_segment(self):
        flows = sorted(glob.glob(os.path.join(TCP_CORPUS, "*.flow")))
        if not flows:
            self.skipTest("no TCP corpus in %s" % TCP_CORPUS)
        for flow in flows:
            segments = kernel_oracle.load_flow(FLOW_DUMP, flow)
            self.assertEqual(kernel_oracle.flow_transport(segments), "tcp", flow)
            with open(flow[:-len(".flow")] + ".kernel.json") as f:
                golden = json.load(f)
            self.assertEqual([e["dir"] for e in golden], [s.dir for s in segments], flow)


if __name__ == "__main__":
    unittest.main()
