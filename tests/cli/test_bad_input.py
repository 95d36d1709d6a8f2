"""The adversarial corpus: every bad input ends with exit status 2, exactly one stderr line that
names the key or file:line, nothing on stdout, and no output file left behind. Every case fails
before simulating, so the whole table runs in seconds."""
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from conftest import ALGLAB, SOURCE_DIR, run_alglab

BAD_INPUT = SOURCE_DIR / "tests" / "data" / "bad-input"
OUTPUTS = (".pcap", ".json", ".partial")


def expectations(path):
    return [line.split(":", 1)[1].strip() for line in path.read_text().splitlines()
            if line.startswith("# expect:")]


def assert_one_line_exit_2(proc, needles):
    assert proc.returncode == 2, (proc.returncode, proc.stdout[-500:], proc.stderr[-2000:])
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr[-2000:]
    assert lines[0].startswith("alglab: "), lines[0]
    for n in needles:
        assert n in lines[0], (n, lines[0])
    assert proc.stdout == ""


def assert_no_outputs(out):
    if out.exists():
        left = [p.name for p in out.iterdir() if p.name.endswith(OUTPUTS)]
        assert left == [], left


def run_timed(*args):
    # Bad input is refused before simulating: a few seconds is generous.
    return run_alglab(*args, timeout=30)


CORPUS = sorted(BAD_INPUT.glob("*.yaml"))


def test_corpus_covers_every_class():
    names = {p.name for p in CORPUS}
    assert len(names) >= 30
    for word in ["seed", "rate", "expiry", "overflow", "hex", "keepalive", "ring-group", "domain",
                 "user", "password", "duplicate", "second-document"]:
        assert sum(word in n for n in names) >= 2 or word == "second-document", word


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_bad_scenario_file(path, tmp_path):
    needles = [n.replace("{file}", str(path)) for n in expectations(path)]
    assert needles, f"{path.name} has no '# expect:' line"
    out = tmp_path / "out"
    assert_one_line_exit_2(run_timed("run", path, "--vendor", "none", "--out", out), needles)
    assert_no_outputs(out)


# Command-line cases: (id, arguments after `run office --vendor none`, texts of the line).
CLI_CASES = [
    ("seed-max-uint32", ["--seed", "4294967295"], ["--seed 4294967295", "4294944442"]),
    ("seed-minus-one", ["--seed", "-1"], ["--seed -1", "out of range"]),
    ("seed-zero", ["--seed", "0"], ["--seed 0", "from 1 to"]),
    ("seed-hex", ["--seed", "0x10"], ["--seed 0x10"]),
    ("seed-huge", ["--seed", "99999999999999999999999"], ["--seed 99999999999999999999999"]),
    ("set-wan-rate-unparseable", ["--set", "network.wan_rate=1234567Mbps"], ["network.wan_rate=1234567Mbps", "100Gbps"]),
    ("set-wan-rate-half-bit", ["--set", "network.wan_rate=0.5bps"], ["network.wan_rate=0.5bps", "1kbps"]),
    ("set-wan-rate-zero", ["--set", "network.wan_rate=0Mbps"], ["network.wan_rate=0Mbps"]),
    ("set-register-expiry-1e20", ["--set", "phones.defaults.register_expiry=1e20s"], ["register_expiry=1e20s", "604800s"]),
    ("set-override-expiry", ["--set", "phones.overrides.101.register_expiry=1e9s"], ["phones.overrides.101.register_expiry=1e9s"]),
    ("set-boot-time-1e300", ["--set", "router.boot_time=1e300s"], ["router.boot_time=1e300s", "out of range"]),
    ("set-boot-time-hex", ["--set", "router.boot_time=0x10s"], ["router.boot_time=0x10s", "not a duration"]),
    ("set-udp-timeout-hex-float", ["--set", "router.udp_timeout=0x1p4s"], ["router.udp_timeout=0x1p4s"]),
    ("set-loss-inf", ["--set", "network.wan_loss=inf"], ["network.wan_loss=inf"]),
    ("set-keepalive-0.1ms", ["--set", "phones.defaults.keepalive_interval=0.1ms"], ["keepalive_interval=0.1ms", "1s to"]),
    ("set-nat-keepalive-1ms", ["--set", "pbx.nat_keepalive=1ms"], ["pbx.nat_keepalive=1ms"]),
    ("set-ring-group-duplicates", ["--set", "pbx.ring_groups.+15550100=[101, 103, 101]"], ["pbx.ring_groups.+15550100", "listed twice"]),
    ("set-pbx-domain-space", ["--set", "pbx.domain=a b"], ["pbx.domain=a b", "SIP host"]),
    ("set-provider-domain-underscore", ["--set", "provider.domain=sip_provider.example"], ["provider.domain="]),
    ("set-media-first-unknown", ["--set", "provider.media_first=sometimes"],
     ["provider.media_first=sometimes", "'sometimes'", "provider, peer"]),
    ("set-media-server-not-bool", ["--set", "provider.media_server=yes please"],
     ["provider.media_server=yes please", "not a boolean"]),
    ("set-trunk-user-space", ["--set", "pbx.trunk.user=off ice"], ["pbx.trunk.user=off ice", "SIP user"]),
    ("set-trunk-password-backslash", ["--set", "pbx.trunk.password=a\\b"], ["pbx.trunk.password=", "password"]),
    ("set-huge-list-index", ["--set", "phones.extensions.99999999999999999999=105"], ["phones.extensions", "no item"]),
    ("set-list-index-past-end", ["--set", "timeline.999.at=5s"], ["timeline", "no item '999'"]),
    ("set-into-scalar", ["--set", "router=5", "--set", "router.udp_timeout=30s"], ["router.udp_timeout=30s", "single value"]),
    ("set-below-scalar", ["--set", "duration.seconds=5"], ["duration.seconds=5", "single value"]),
    ("cost-guard", ["--max-events-per-second", "1000"], ["above the limit of 1000", "--max-events-per-second"]),
    ("cost-guard-bad-limit", ["--max-events-per-second", "-5"], ["--max-events-per-second -5"]),
    ("set-duplicate-key-in-value", ["--set", "router={udp_timeout: 30s, udp_timeout: 60s}"],
     ["--set router={udp_timeout: 30s, udp_timeout: 60s}", "duplicate key 'udp_timeout'"]),
    ("set-value-nested-too-deep", ["--set", "description=" + "[" * 80 + "]" * 80], ["--set description=", "64 levels"]),
    ("out-empty", ["--out", ""], ["--out ''"]),
]


@pytest.mark.parametrize("args,needles", [c[1:] for c in CLI_CASES], ids=[c[0] for c in CLI_CASES])
def test_bad_command_line(args, needles, tmp_path):
    out = tmp_path / "out"
    extra = [] if "--out" in args else ["--out", out]
    assert_one_line_exit_2(run_timed("run", "office", "--vendor", "none", *args, *extra), needles)
    assert_no_outputs(out)


def test_out_is_a_regular_file(tmp_path):
    f = tmp_path / "result"
    f.write_text("keep me\n")
    assert_one_line_exit_2(run_timed("run", "office", "--vendor", "none", "--out", f), [str(f), "not a directory"])
    assert f.read_text() == "keep me\n"


def test_out_below_a_regular_file(tmp_path):
    f = tmp_path / "file"
    f.write_text("")
    assert_one_line_exit_2(run_timed("run", "office", "--vendor", "none", "--out", f / "sub"), [str(f / "sub")])


def test_out_holds_a_directory_named_like_a_pcap(tmp_path):
    blocker = tmp_path / "router-if1.pcap"
    (blocker / "inner").mkdir(parents=True)
    (blocker / "inner" / "x").write_text("x")
    assert_one_line_exit_2(run_timed("run", "office", "--vendor", "none", "--out", tmp_path),
                           [str(tmp_path), "router-if1.pcap"])
    assert (blocker / "inner" / "x").exists()


def test_out_unwritable(tmp_path):
    """A directory alglab may not write into. Root writes through file modes, so as root the
    directory is a read-only bind mount in a private mount namespace (unshare), seen only by
    that one alglab process; as another user it is a directory without write permission."""
    ro = tmp_path / "ro"
    ro.mkdir()
    if os.geteuid() == 0:
        unshare = shutil.which("unshare")
        assert unshare, "unshare (util-linux) is missing"
        script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
        proc = subprocess.run([unshare, "--mount", "--propagation", "private", "sh", "-c", script,
                               "sh", str(ro), ALGLAB, "run", "office", "--vendor", "none", "--out", str(ro)],
                              capture_output=True, text=True, timeout=30)
        assert_one_line_exit_2(proc, [str(ro)])
    else:
        ro.chmod(stat.S_IRUSR | stat.S_IXUSR)
        try:
            assert_one_line_exit_2(run_timed("run", "office", "--vendor", "none", "--out", ro), [str(ro)])
        finally:
            ro.chmod(stat.S_IRWXU)
    assert list(ro.iterdir()) == []


def test_stale_outputs_of_a_refused_run_are_left_alone(tmp_path):
    """Bad input is refused before the output directory is touched."""
    (tmp_path / "result.json").write_text("{}\n")
    proc = run_timed("run", "office", "--vendor", "none", "--set", "router.boot_time=1e300s", "--out", tmp_path)
    assert_one_line_exit_2(proc, ["router.boot_time"])
    assert (tmp_path / "result.json").read_text() == "{}\n"


def test_fifo_scenario_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "scenario.yaml"
    os.mkfifo(fifo)
    assert_one_line_exit_2(run_timed("run", fifo, "--vendor", "none"), [str(fifo), "not a regular file"])


def test_device_scenario_is_refused():
    assert_one_line_exit_2(run_timed("run", "/dev/null", "--vendor", "none"), ["/dev/null", "not a regular file"])


def test_directory_scenario_is_refused(tmp_path):
    d = tmp_path / "dir.yaml"
    d.mkdir()
    assert_one_line_exit_2(run_timed("run", d, "--vendor", "none"), [str(d), "not a regular file"])


def test_fifo_flow_file_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "flow.txt"
    os.mkfifo(fifo)
    assert_one_line_exit_2(run_timed("mangle", "--model", "none", fifo), [f"{fifo}:0:", "not a regular file"])


def test_device_flow_file_is_refused():
    assert_one_line_exit_2(run_timed("mangle", "--model", "none", "/dev/zero"), ["/dev/zero:0:", "not a regular file"])


def test_cost_guard_refuses_a_timeline_of_many_concurrent_calls(tmp_path):
    """1500 calls at once: about 1500 x 200 RTP packets/s x 7 events, above the default limit."""
    exts = "[1000-2999]"
    calls = "".join(f"  - at: 10s\n    call: {{from: {1000 + i}, to: {2000 + i}, duration: 30s}}\n"
                    for i in range(1000))
    calls += "".join(f"  - at: 20s\n    call: {{from: {2000 + i}, to: {1000 + i}, duration: 30s}}\n"
                     for i in range(500))
    path = tmp_path / "crowd.yaml"
    path.write_text(f"scenario: crowd\nduration: 60s\nphones:\n  extensions: {exts}\ntimeline:\n{calls}")
    proc = run_timed("run", path, "--vendor", "none")
    assert_one_line_exit_2(proc, [str(path), "above the limit of 2000000"])
