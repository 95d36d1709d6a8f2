"""Bad input: one line on stderr naming the problem and the valid choices, exit status 2."""
import json

import pytest

from conftest import SOURCE_DIR, list_vendors, run_alglab


def assert_usage_error(proc, *needles):
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    for n in needles:
        assert n in lines[0], lines[0]
    assert proc.stdout == ""


def test_list_vendors_json_has_none():
    proc = run_alglab("list", "vendors", "--json")
    assert proc.returncode == 0
    names = [v["name"] for v in json.loads(proc.stdout)]
    assert "none" in names


def test_list_vendors_json_describes_every_model_and_its_knobs():
    vendors = list_vendors()
    assert {"none", "linux-netfilter", "example-cpe"} <= set(vendors)
    for v in vendors.values():
        assert v["summary"] and v["engine"] and set(v) >= {"remediation", "file", "knobs"}, v
    assert vendors["none"]["knobs"] == []
    # A model file's knobs: the vendor's names, the shipped value, how sure we are.
    cpe = {k["name"]: k for k in vendors["example-cpe"]["knobs"]}
    assert vendors["example-cpe"]["file"] == "alg-models/example-cpe/model.yaml"
    assert cpe["rewrite-sdp"]["default"] == "enable" and cpe["rewrite-sdp"]["confidence"] == "unverified"
    assert cpe["tcp_view"]["default"] == "segment"
    # A C++ model lists its attributes, with no confidence marker.
    linux = {k["name"]: k for k in vendors["linux-netfilter"]["knobs"]}
    assert linux["ports"]["default"] == "5060" and linux["ports"]["confidence"] is None
    assert linux["ports"]["applies"] == "after-reboot"


def test_list_symptoms_are_the_seven():
    proc = run_alglab("list", "symptoms", "--json")
    assert proc.returncode == 0
    names = [s["name"] for s in json.loads(proc.stdout)]
    assert names == ["registration_failure", "incoming_calls_not_ringing", "blf_not_updating",
                     "one_way_audio", "audio_drop_midcall", "fails_after_reboot", "calls_not_connecting"]


def test_list_scenarios_shows_shipped_files():
    proc = run_alglab("list", "scenarios", "--json")
    names = [s["name"] for s in json.loads(proc.stdout)]
    assert {"office", "hosted"} <= set(names)
    text = run_alglab("list", "scenarios").stdout
    assert "office" in text and "hosted" in text


@pytest.mark.parametrize("args,needles", [
    (["list", "routers"], ["routers", "scenarios, symptoms, vendors"]),
    (["run", "no-such-scenario", "--vendor", "none"], ["no-such-scenario", "office", "hosted"]),
    (["run", "office", "--vendor", "acme"], ["acme", "none"]),
    (["run", "office", "--vendor", "none", "--set", "router.udp_timout=30s"], ["udp_timout", "udp_timeout"]),
    (["run", "office", "--vendor", "none", "--set", "router.filtering=strict"], ["strict", "endpoint-independent"]),
    (["run", "office", "--vendor", "none", "--set", "duration=ten"], ["duration=ten", "not a duration"]),
    (["run", "office", "--vendor", "none", "--set", "oops"], ["oops", "key=value"]),
    (["run", "office", "--vendor", "none", "--seed", "minus"], ["--seed"]),
    (["run", "office", "--bogus-flag"], ["--bogus-flag"]),
    (["frobnicate"], ["frobnicate"]),
    ([], ["subcommand"]),
    (["run", "./does/not/exist.yaml"], ["does/not/exist.yaml"]),
])
def test_bad_input_is_one_line_and_exit_2(args, needles):
    assert_usage_error(run_alglab(*args), *needles)


def test_broken_scenario_file_names_file_and_line(tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text((SOURCE_DIR / "scenarios" / "office.yaml").read_text().replace(
        "udp_timeout: 120s", "udp_timeout: 120 seconds"))
    proc = run_alglab("run", bad, "--vendor", "none")
    line = next(i for i, l in enumerate(bad.read_text().splitlines(), 1) if "udp_timeout" in l)
    assert_usage_error(proc, f"{bad}:{line}:", "udp_timeout", "not a duration")


def test_unparsable_yaml_names_the_line(tmp_path):
    bad = tmp_path / "syntax.yaml"
    bad.write_text("scenario: x\nphones:\n  extensions: [101, 102\n")
    assert_usage_error(run_alglab("run", bad, "--vendor", "none"), str(bad), "YAML syntax error")


def test_unwritable_out_dir_is_a_usage_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert_usage_error(run_alglab("run", "office", "--vendor", "none", "--out", blocker / "sub"), "--out")
