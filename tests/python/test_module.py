"""alglab (the Python module) against the alglab binary on the same arguments: the same JSON,
the same files, the same one-line errors, and deterministic in-process runs."""
import filecmp
import json
import os
import threading

import pytest

from conftest import SOURCE_DIR, cli, cli_error, cli_json

# The shortest shipped scenario with symptoms through the Linux helper (a tenth of a second).
SHORT = "shared-rtp-port"
FLOW = SOURCE_DIR / "tests" / "data" / "flows" / "bad-cseq.flow"
LAN = SOURCE_DIR / "tests" / "data" / "captures" / "kernel-helper-on-lan.pcap"
WAN = SOURCE_DIR / "tests" / "data" / "captures" / "kernel-helper-on-wan.pcap"


def test_version_and_source_hash_are_the_cli_ones(alglab):
    line = cli("--version").stdout.strip()
    assert line == f"alglab {alglab.__version__} (source {alglab.source_hash})"
    assert len(alglab.source_hash) == 16 and int(alglab.source_hash, 16) >= 0


@pytest.mark.parametrize("what", ["vendors", "scenarios", "symptoms", "knobs"])
def test_lists_equal_the_cli(alglab, what):
    # The vendors come from the models' self-registration: the OBJECT library is in the module.
    listed = getattr(alglab, f"list_{what}")()
    assert listed == cli_json("list", what)
    assert len(listed) > 3


def test_run_equals_the_cli(alglab):
    result = alglab.run("office", "none")
    assert result == cli_json("run", "office", "--vendor", "none")
    # Key order too: the dict is the CLI's object, not a sorted copy.
    assert json.dumps(result) == json.dumps(cli_json("run", "office", "--vendor", "none"))
    assert set(result["symptoms"]) == {s["name"] for s in alglab.list_symptoms()}


def test_run_with_settings_seed_and_workarounds_equals_the_cli(alglab):
    result = alglab.run(SHORT, vendor="linux-netfilter", seed=4,
                        set={"router.port_allocation": "random", "network.wan_queue": 50, "pbx.latch_media": False},
                        workarounds=["sip-port-5080"])
    assert result == cli_json("run", SHORT, "--vendor", "linux-netfilter", "--seed", "4",
                              "--set", "router.port_allocation=random", "--set", "network.wan_queue=50",
                              "--set", "pbx.latch_media=false",
                              "--workaround", "sip-port-5080")
    assert result["seed"] == 4
    # The list form of set is the same run.
    assert alglab.run(SHORT, vendor="linux-netfilter", seed="4",
                      set=["router.port_allocation=random", "network.wan_queue=50", "pbx.latch_media=false"],
                      workarounds="sip-port-5080") == result


def test_numpy_values_are_numbers_and_bools(alglab):
    """What a pandas grid hands over: numpy ints and bools count as int and bool."""
    np = pytest.importorskip("numpy")
    args = dict(vendor="linux-netfilter", set=["router.port_allocation=random", "network.wan_queue=50",
                                               "pbx.latch_media=false"])
    expected = alglab.run(SHORT, seed=4, **args)
    assert alglab.run(SHORT, vendor="linux-netfilter", seed=np.int64(4),
                      set={"router.port_allocation": "random", "network.wan_queue": np.int64(50),
                           "pbx.latch_media": np.bool_(False)}) == expected
    with pytest.raises(TypeError, match="seed"):
        alglab.run(SHORT, seed=np.bool_(True))


def test_remediated_run_equals_the_cli(alglab):
    result = alglab.run(SHORT, "linux-netfilter", remediate=True, remediate_at="30s")
    assert result == cli_json("run", SHORT, "--vendor", "linux-netfilter", "--remediate", "--remediate-at", "30s")
    one_step = alglab.run(SHORT, "linux-netfilter", remediate=True, remediate_steps=[1])
    assert one_step == cli_json("run", SHORT, "--vendor", "linux-netfilter", "--remediate", "--remediate-steps", "1")
    assert alglab.run(SHORT, "linux-netfilter", remediate=True, remediate_steps="1") == one_step


def test_in_process_runs_are_deterministic(alglab):
    first = alglab.run(SHORT, "linux-netfilter")
    assert any(s["present"] for s in first["symptoms"].values())
    for _ in range(10):
        assert alglab.run(SHORT, "linux-netfilter") == first
    # And a run of another scenario in between changes nothing.
    alglab.run("large-invite-mtu", "cisco-asa")
    assert alglab.run(SHORT, "linux-netfilter") == first


def test_threads_take_turns(alglab):
    """Two threads at once: one simulation at a time, both results as alone."""
    expected = alglab.run(SHORT, "linux-netfilter")
    results, errors = [None, None], []

    def work(i):
        try:
            results[i] = alglab.run(SHORT, "linux-netfilter")
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == [] and results == [expected, expected]


def test_out_writes_the_cli_files(alglab, tmp_path):
    mine, theirs = tmp_path / "module", tmp_path / "cli"
    result = alglab.run(SHORT, "linux-netfilter", out=mine)
    assert result == cli_json("run", SHORT, "--vendor", "linux-netfilter", "--out", theirs)
    pcaps = sorted(p.name for p in theirs.glob("*.pcap"))
    assert len(pcaps) >= 4 and pcaps == sorted(p.name for p in mine.glob("*.pcap"))
    _, mismatch, errors = filecmp.cmpfiles(mine, theirs, pcaps + ["result.json", "evidence.json"], shallow=False)
    assert mismatch == [] and errors == []
    assert json.loads((mine / "result.json").read_text()) == result


def test_mangle_equals_the_cli(alglab):
    for vendor, knobs in [("linux-netfilter", None), ("linux-netfilter", {"sip_direct_media": 0}), ("none", None)]:
        args = [a for k, v in (knobs or {}).items() for a in ("--set", f"{k}={v}")]
        assert alglab.mangle(FLOW, vendor, set=knobs) == cli_json("mangle", "--model", vendor, *args, FLOW), vendor


def test_diagnose_equals_the_cli(alglab):
    assert alglab.diagnose(LAN) == cli_json("diagnose", LAN)
    both = alglab.diagnose(str(LAN), wan=WAN)
    assert both == cli_json("diagnose", LAN, "--wan", WAN)
    assert both != alglab.diagnose(LAN)


def test_detect_equals_the_cli(alglab, tmp_path, monkeypatch):
    # A private reference cache, shared by the module and the binary (one key: the source hash).
    monkeypatch.setenv("ALGLAB_CACHE_DIR", str(tmp_path / "cache"))
    verdict = alglab.detect("office", vendor="linux-netfilter", jobs=2, out=tmp_path / "module")
    assert verdict == cli_json("detect", "office", "--vendor", "linux-netfilter", "--jobs", "2",
                               "--out", tmp_path / "cli", env=dict(os.environ))
    assert verdict["alg_present"] is True
    assert json.loads((tmp_path / "module" / "verdict.json").read_text()) == verdict
    assert len(list((tmp_path / "cache").iterdir())) == 1


def test_matrix_equals_the_cli(alglab, tmp_path):
    result = alglab.matrix(vendors=["linux-netfilter"], scenarios=SHORT, jobs=2, out=tmp_path / "module")
    assert result == cli_json("matrix", "--vendors", "linux-netfilter", "--scenarios", SHORT, "--jobs", "2",
                              "--out", tmp_path / "cli")
    assert result["workaround_runs"] > 0
    assert json.loads((tmp_path / "module" / "matrix.json").read_text()) == result
    assert alglab.matrix(vendors="linux-netfilter", scenarios=[SHORT], jobs="1", workarounds="none") == \
        cli_json("matrix", "--vendors", "linux-netfilter", "--scenarios", SHORT, "--jobs", "1", "--workarounds", "none")


# (CLI arguments, module call) pairs for bad input: the module raises alglab.Error with the
# very line the binary prints after "alglab: ".
BAD_INPUT = {
    "unknown scenario": (["run", "no-such-scenario"], lambda a, t: a.run("no-such-scenario")),
    "missing scenario file": (["run", "/nonexistent/x.yaml"], lambda a, t: a.run("/nonexistent/x.yaml")),
    "unknown vendor": (["run", SHORT, "--vendor", "acme"], lambda a, t: a.run(SHORT, "acme")),
    "negative seed": (["run", SHORT, "--seed", "-1"], lambda a, t: a.run(SHORT, seed=-1)),
    "zero seed": (["run", SHORT, "--seed", "0"], lambda a, t: a.run(SHORT, seed=0)),
    "text seed": (["run", SHORT, "--seed", "x"], lambda a, t: a.run(SHORT, seed="x")),
    "unknown set key": (["run", SHORT, "--set", "router.nope=1"], lambda a, t: a.run(SHORT, set={"router.nope": 1})),
    "bad set value": (["run", SHORT, "--set", "router.udp_timeout=soon"],
                      lambda a, t: a.run(SHORT, set={"router.udp_timeout": "soon"})),
    "set without =": (["run", SHORT, "--set", "router.udp_timeout"],
                      lambda a, t: a.run(SHORT, set=["router.udp_timeout"])),
    "remediate-at alone": (["run", SHORT, "--remediate-at", "5s"], lambda a, t: a.run(SHORT, remediate_at="5s")),
    "remediate step out of range": (["run", SHORT, "--vendor", "linux-netfilter", "--remediate", "--remediate-steps", "1,99"],
                                    lambda a, t: a.run(SHORT, "linux-netfilter", remediate=True, remediate_steps=[1, 99])),
    "bad cost limit": (["run", SHORT, "--max-events-per-second", "0"],
                       lambda a, t: a.run(SHORT, max_events_per_second=0)),
    "out is a file": (["run", SHORT, "--out", str(FLOW)], lambda a, t: a.run(SHORT, out=FLOW)),
    "out cannot be made": (["run", SHORT, "--out", "/proc/alglab-nowhere/x"],
                           lambda a, t: a.run(SHORT, out="/proc/alglab-nowhere/x")),
    "empty out": (["run", SHORT, "--out", ""], lambda a, t: a.run(SHORT, out="")),
    "missing capture": (["diagnose", "/nonexistent/capture.pcap"], lambda a, t: a.diagnose("/nonexistent/capture.pcap")),
    "capture is not a capture": (["diagnose", str(FLOW)], lambda a, t: a.diagnose(FLOW)),
    "missing flow file": (["mangle", "--model", "none", "/nonexistent/x.flow"],
                          lambda a, t: a.mangle("/nonexistent/x.flow", "none")),
    "unknown mangle model": (["mangle", "--model", "acme", str(FLOW)], lambda a, t: a.mangle(FLOW, "acme")),
    "bad mangle knob": (["mangle", "--model", "linux-netfilter", "--set", "nope=1", str(FLOW)],
                        lambda a, t: a.mangle(FLOW, "linux-netfilter", set={"nope": 1})),
    "matrix unknown vendor": (["matrix", "--vendors", "none,acme"], lambda a, t: a.matrix(vendors=["none", "acme"])),
    "matrix bad jobs": (["matrix", "--jobs", "0"], lambda a, t: a.matrix(jobs=0)),
    "matrix repeated scenario": (["matrix", "--scenarios", f"{SHORT},{SHORT}"],
                                 lambda a, t: a.matrix(scenarios=[SHORT, SHORT])),
    "detect unknown vendor": (["detect", "office", "--vendor", "acme"], lambda a, t: a.detect("office", vendor="acme")),
    "detect bad seed": (["detect", "office", "--seed", "-1"], lambda a, t: a.detect("office", seed=-1)),
    "unknown list": (["list", "routers"], None),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUT))
def test_bad_input_raises_the_cli_message(alglab, tmp_path, case):
    args, call = BAD_INPUT[case]
    expected = cli_error(*args)
    if call is None:
        return  # only through the CLI: the module has one function per list
    with pytest.raises(alglab.Error) as raised:
        call(alglab, tmp_path)
    assert str(raised.value) == expected
    assert isinstance(raised.value, ValueError)


def test_broken_flow_file_raises_the_cli_message(alglab, tmp_path):
    path = tmp_path / "broken.flow"
    path.write_text("this is not a flow file\n>>> nowhere\n")
    expected = cli_error("mangle", "--model", "none", path)
    with pytest.raises(alglab.Error) as raised:
        alglab.mangle(path, "none")
    assert str(raised.value) == expected and str(path) in expected


def test_broken_scenario_file_raises_the_cli_message(alglab):
    path = SOURCE_DIR / "tests" / "data" / "bad-input" / "duplicate-top-level-key.yaml"
    expected = cli_error("run", path)
    with pytest.raises(alglab.Error) as raised:
        alglab.run(path)
    assert str(raised.value) == expected and "\n" not in expected


def test_the_module_survives_bad_input(alglab):
    """After every kind of error the module still runs and gives the same result."""
    expected = alglab.run(SHORT, "linux-netfilter")
    for bad in ({"vendor": "acme"}, {"seed": -1}, {"set": {"router.nope": 1}}, {"out": "/proc/x/y"}):
        with pytest.raises(alglab.Error):
            alglab.run(SHORT, **bad)
    assert alglab.run(SHORT, "linux-netfilter") == expected


def test_internal_errors_raise_runtime_error_with_the_cli_line(alglab, monkeypatch):
    """Not bad input but a failure the command does not expect (here: no temporary folder for
    the matrix's workers): RuntimeError("internal error: ..."), the CLI's line without its
    bug-report tail, and the module goes on working."""
    monkeypatch.setenv("TMPDIR", "/nonexistent/alglab-tmp")
    proc = cli("matrix", "--vendors", "none", "--scenarios", SHORT, "--jobs", "1", "--workarounds", "none",
               env=dict(os.environ))
    assert proc.returncode == 1
    line = proc.stderr.strip()
    assert line.startswith("alglab: internal error: ") and line.endswith(" (please report this as a bug)")
    with pytest.raises(RuntimeError) as raised:
        alglab.matrix(vendors="none", scenarios=SHORT, jobs=1, workarounds="none")
    assert not isinstance(raised.value, alglab.Error)
    assert str(raised.value) == line[len("alglab: "):-len(" (please report this as a bug)")]
    monkeypatch.delenv("TMPDIR")
    assert alglab.run(SHORT)["scenario"] == SHORT


def test_wrong_python_types_raise_type_error(alglab):
    assert issubclass(alglab.Error, ValueError)
    with pytest.raises(TypeError, match="seed"):
        alglab.run(SHORT, seed=True)
    with pytest.raises(TypeError, match="set"):
        alglab.run(SHORT, set=42)
    with pytest.raises(TypeError, match="vendors"):
        alglab.matrix(vendors=[1, 2])
    with pytest.raises(TypeError, match="out"):
        alglab.run(SHORT, out=3.5)
    with pytest.raises(TypeError):
        alglab.run(SHORT, colour="red")


def test_functions_have_docstrings(alglab):
    for name in ["run", "matrix", "detect", "diagnose", "mangle", "list_vendors", "list_scenarios",
                 "list_symptoms", "list_knobs"]:
        doc = getattr(alglab, name).__doc__
        assert doc and "--json" in doc, name
