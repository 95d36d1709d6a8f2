"""Tests of the oracle's tools that need no root: alglab-flow-dump, the oracle's argument and
parameter handling, its output formats, the worker's packet parser and check_golden's CI rule.

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
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import check_golden  # noqa: E402
import kernel_oracle  # noqa: E402
import oracle_params  # noqa: E402
import oracle_worker  # noqa: E402
from oracle_netns import Unavailable  # noqa: E402

FLOW_DUMP = os.environ.get("ALGLAB_FLOW_DUMP", "")
CORPUS = os.environ.get("ALGLAB_FLOW_CORPUS", os.path.join(HERE, "..", "data", "flows"))
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


if __name__ == "__main__":
    unittest.main()
