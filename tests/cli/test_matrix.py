"""alglab matrix: the vendor x scenario runs, their causes, outputs and bad input."""
import json
import xml.etree.ElementTree as ET

import pytest

from conftest import run_alglab

SMALL = ["--vendors", "none,linux-netfilter", "--scenarios", "call-across-reboot,hold-and-mute"]


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    out = tmp_path_factory.mktemp("matrix")
    proc = run_alglab("matrix", *SMALL, "--jobs", "2", "--json", "--out", out / "m",
                      "--junit", out / "junit.xml")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout), out, proc.stderr


def test_the_kernel_helper_causes_what_plain_nat_does_not(small):
    matrix, _, _ = small
    assert set(matrix["vendors"]) == {"none", "linux-netfilter"}
    none = matrix["vendors"]["none"]["symptoms"]
    assert not any(s["present"] for s in none.values()), none
    calls = matrix["vendors"]["linux-netfilter"]["symptoms"]["calls_not_connecting"]
    # Two handsets' calls need the same media expectation for two masters: the helper drops the
    # callee's 200 OK ("all ports in use for SDP media"); with its ALG off the router is clean.
    assert calls["present"] and calls["cause"] == "alg"
    assert calls["scenarios"] == ["call-across-reboot", "hold-and-mute"]
    assert "all ports in use for SDP media" in calls["mechanism"]
    assert "200 INVITE" in calls["mechanism"]


def test_traversal_off_is_plain_nat_and_the_helper_masks_some_of_it(small):
    matrix, _, _ = small
    # Without rport/contact fixing at the servers, plain NAT fails on its own ...
    reg = matrix["vendors"]["none"]["symptoms"]["registration_failure"]["without_server_nat_traversal"]
    assert reg["cause"] == "plain-nat"
    # ... and the kernel helper's rewrites make some of it work: masked, not caused.
    cell = matrix["vendors"]["none"]["scenarios"]["hold-and-mute"]["without_server_nat_traversal"]
    assert cell["registration_failure"]["cause"] == "plain-nat"
    assert "traversal off" in cell["registration_failure"]["mechanism"]
    helper = matrix["vendors"]["linux-netfilter"]["scenarios"]["hold-and-mute"]["without_server_nat_traversal"]
    assert helper["registration_failure"]["masked"] is True
    assert helper["calls_not_connecting"]["cause"] == "both"  # NAT alone fails too; the helper also drops


def test_out_holds_the_matrix_and_every_runs_result(small):
    matrix, out, _ = small
    assert json.loads((out / "m" / "matrix.json").read_text()) == matrix
    for vendor in ("none", "linux-netfilter"):
        for scenario in ("call-across-reboot", "hold-and-mute"):
            for variant in ("alg-on", "alg-off", "alg-on-no-traversal", "alg-off-no-traversal"):
                run = json.loads((out / "m" / "runs" / vendor / scenario / f"{variant}.json").read_text())
                assert run["vendor"] == vendor and run["scenario"] == scenario
    on = json.loads((out / "m" / "runs" / "linux-netfilter" / "hold-and-mute" / "alg-on.json").read_text())
    off = json.loads((out / "m" / "runs" / "linux-netfilter" / "hold-and-mute" / "alg-off.json").read_text())
    assert on["alg"]["inspected"] > 0 and off["alg"]["inspected"] == 0
    assert not (out / "m" / ".work").exists()


def test_junit_has_a_case_per_cell_and_a_progress_line(small):
    _, out, stderr = small
    suite = ET.parse(out / "junit.xml").getroot().find("testsuite")
    cases = {(c.get("classname"), c.get("name")) for c in suite.iter("testcase")}
    assert len(cases) == 4 and ("matrix.linux-netfilter", "hold-and-mute") in cases
    assert suite.get("failures") == "0"
    # Per scenario: linux-netfilter's two ALG-on runs, and the two ALG-off runs it shares with
    # none, whose ALG-on runs they are too.
    assert "matrix: 8/8 runs" in stderr


def test_a_changed_cell_fails_against_the_golden_file(small, tmp_path):
    matrix, _, _ = small
    golden = json.loads(json.dumps(matrix))
    del golden["vendors"]["linux-netfilter"]["scenarios"]["hold-and-mute"]["calls_not_connecting"]
    (tmp_path / "golden.json").write_text(json.dumps(golden))
    proc = run_alglab("matrix", *SMALL, "--workarounds", "none", "--golden", tmp_path / "golden.json",
                      "--junit", tmp_path / "j.xml")
    assert proc.returncode == 1
    assert "linux-netfilter x hold-and-mute: calls_not_connecting: golden absent, now alg" in proc.stderr
    suite = ET.parse(tmp_path / "j.xml").getroot().find("testsuite")
    failed = [c.get("name") for c in suite.iter("testcase") if c.find("failure") is not None]
    assert failed == ["hold-and-mute"]


def test_same_matrix_with_one_worker(small):
    matrix, _, _ = small
    proc = run_alglab("matrix", *SMALL, "--jobs", "1", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == matrix


@pytest.mark.parametrize("args, message", [
    (["--vendors", "nope"], "--vendors: unknown vendor 'nope'"),
    (["--vendors", "none,,linux-netfilter"], "an empty name"),
    (["--vendors", "none,none"], "'none' named twice"),
    (["--scenarios", "no-such-scenario"], "no-such-scenario"),
    (["--jobs", "0"], "--jobs 0: expected a whole number from 1 to 64"),
    (["--jobs", "two"], "--jobs two"),
    (["--seed", "-1"], "--seed -1"),
    (["--golden", "/nonexistent/golden.json"], "--golden /nonexistent/golden.json: cannot read"),
])
def test_bad_input_is_one_line_and_status_2(args, message):
    proc = run_alglab("matrix", *args)
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr


def test_a_golden_file_that_is_not_a_matrix(tmp_path):
    (tmp_path / "g.json").write_text("[1, 2")
    proc = run_alglab("matrix", *SMALL, "--golden", tmp_path / "g.json")
    assert proc.returncode == 2 and "not JSON" in proc.stderr and proc.stderr.count("\n") == 1


def test_teaching_models_are_marked_and_left_to_be_named():
    from conftest import list_vendors
    examples = {v for v, info in list_vendors().items() if info["example"]}
    assert examples == {"example-cpe", "example-responder", "sdp-c-only"}
    # Named, a teaching model runs in the matrix like any other.
    proc = run_alglab("matrix", "--vendors", "sdp-c-only", "--scenarios", "call-across-reboot", "--json")
    assert proc.returncode == 0, proc.stderr
    assert list(json.loads(proc.stdout)["vendors"]) == ["sdp-c-only"]


def test_the_golden_matrix_covers_every_vendor_and_symptom():
    """The golden file is what `matrix_golden` checks the real matrix against; here, what it must
    say: every vendor but none shows a symptom, every symptom shows somewhere, none shows none,
    and every present cell names a mechanism and a cause."""
    from conftest import SOURCE_DIR, list_vendors
    golden = json.loads((SOURCE_DIR / "tests" / "golden" / "matrix.json").read_text())
    products = {v for v, info in list_vendors().items() if not info["example"]}
    assert set(golden["vendors"]) == products
    assert {"cisco-ios", "cisco-asa", "meraki-mx", "fortigate", "draytek", "mikrotik", "unifi", "tp-link",
            "d-link", "billion", "linux-netfilter", "none"} <= products
    seen = set()
    for vendor, v in golden["vendors"].items():
        present = {s for s, cell in v["symptoms"].items() if cell["present"]}
        assert (present == set()) == (vendor == "none"), (vendor, present)
        seen |= present
        for s in present:
            cell = v["symptoms"][s]
            assert cell["mechanism"] and cell["cause"] in ("alg", "plain-nat", "both"), (vendor, s, cell)
            assert cell["scenarios"]
    assert seen == set(golden["symptoms"]) and len(seen) == 7
