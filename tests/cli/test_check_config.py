"""`alglab check-config`: every fixture of tests/data/configs/ (five formats: ALG on by default,
explicitly off, a variant) gets its verdict checked, the JSON is validated against
docs/schemas/check-config.schema.json, hostile files are refused with one line naming the file
and line (exit 2), and --simulate computes symptoms that the configuration's knobs decide."""
import json

import jsonschema
import pytest

from conftest import SOURCE_DIR, run_alglab

CONFIGS = SOURCE_DIR / "tests" / "data" / "configs"
SCHEMA = json.loads((SOURCE_DIR / "docs" / "schemas" / "check-config.schema.json").read_text())
GOLDEN = json.loads((SOURCE_DIR / "tests" / "golden" / "matrix.json").read_text())

_verdicts = {}


def verdict(name, *extra):
    """The --json verdict of a fixture (cached per session), validated against the schema."""
    key = (name, extra)
    if key not in _verdicts:
        proc = run_alglab("check-config", CONFIGS / name, *extra, "--json")
        assert proc.returncode == 0, proc.stderr
        v = json.loads(proc.stdout)
        jsonschema.validate(v, SCHEMA)
        _verdicts[key] = v
    return _verdicts[key]


def knob(v, name):
    return next(k for k in v["knobs"] if k["knob"] == name)


def line_of(name, text):
    """1-based line of the first line of fixture `name` that, stripped, equals `text`."""
    for number, line in enumerate((CONFIGS / name).read_text().splitlines(), 1):
        if line.strip() == text:
            return number
    raise AssertionError(f"{text!r} not in {name}")


def steps(v):
    return {s["number"]: s for s in v["fix"]["steps"]}


GOOD = {
    # fixture: (vendor, format, alg_on)
    "fortios-default.conf": ("fortigate", "fortios", True),
    "fortios-alg-off.conf": ("fortigate", "fortios", False),
    "fortios-kernel-helper.conf": ("fortigate", "fortios", True),
    "routeros-default.rsc": ("mikrotik", "routeros-export", True),
    "routeros-alg-off.rsc": ("mikrotik", "routeros-export", False),
    "routeros-ports-direct-media.rsc": ("mikrotik", "routeros-export", True),
    "edgeos-default.txt": ("unifi", "edgeos-commands", True),
    "edgeos-alg-off.txt": ("unifi", "edgeos-commands", False),
    "edgeos-indirect-media.txt": ("unifi", "edgeos-commands", True),
    "ios-default.txt": ("cisco-ios", "ios-running-config", True),
    "ios-alg-off.txt": ("cisco-ios", "ios-running-config", False),
    "ios-udp-only-off.txt": ("cisco-ios", "ios-running-config", True),
    "asa-default.txt": ("cisco-asa", "asa-running-config", True),
    "asa-alg-off.txt": ("cisco-asa", "asa-running-config", False),
    "asa-interface-policy.txt": ("cisco-asa", "asa-running-config", True),
}


@pytest.mark.parametrize("name", sorted(GOOD))
def test_fixture_format_and_alg_verdict(name, alglab):
    vendor, fmt, alg_on = GOOD[name]
    v = verdict(name)
    assert (v["vendor"], v["format"], v["alg_on"]) == (vendor, fmt, alg_on)
    assert v["statements"] > 0
    # An ALG that is off has nothing left to change; one that is on needs a step.
    needed = [s for s in v["fix"]["steps"] if s["status"] == "needed"]
    assert bool(needed) == alg_on, needed
    if not alg_on:
        assert v["fix"]["config_lines"] == []


@pytest.mark.parametrize("name", ["fortios-default.conf", "routeros-default.rsc", "edgeos-default.txt",
                                  "ios-default.txt"])
def test_absent_settings_are_the_models_defaults(name, alglab):
    v = verdict(name)
    assert all(k["source"] == "default" and k["value"] == k["default"] for k in v["knobs"])
    # Every knob at its default: the golden matrix's row for the vendor applies.
    s = v["expected_symptoms"]
    assert s["source"] == "golden"
    golden_row = GOLDEN["vendors"][v["vendor"]]["symptoms"]
    assert sorted(x["name"] for x in s["symptoms"]) == sorted(n for n, x in golden_row.items() if x["present"])


def test_fortios_alg_off_reads_the_deleted_helper_and_the_profile(alglab):
    name = "fortios-alg-off.conf"
    v = verdict(name)
    assert knob(v, "default-voip-alg-mode")["value"] == "kernel-helper-based"
    helper = knob(v, "session-helper-sip")
    # The table is shown without an entry named sip: deleted, at the table's line.
    assert helper["value"] == "deleted"
    assert helper["source"]["line"] == line_of(name, "config system session-helper")
    assert knob(v, "status")["value"] == "disable"
    assert knob(v, "status")["source"]["line"] == line_of(name, "set status disable")
    assert knob(v, "sip-nat-trace")["value"] == "disable"
    assert all(s["status"] == "already_done" for s in v["fix"]["steps"])


def test_fortios_kernel_helper_with_the_sip_entry_still_there(alglab):
    name = "fortios-kernel-helper.conf"
    v = verdict(name)
    helper = knob(v, "session-helper-sip")
    assert helper["value"] == "present"
    assert helper["source"]["line"] == line_of(name, "set name sip")
    assert helper["source"]["text"].startswith("config vdom > edit root > config system session-helper > edit 13")
    because = {b["knob"]: b for b in v["alg_on_because"] if "knob" in b}
    assert set(because) == {"default-voip-alg-mode", "session-helper-sip"}
    # The policy naming a VoIP profile is reported; the helper's entry number is the file's.
    assert any("voip-profile" in n["text"] for n in v["other_statements"])
    st = steps(v)
    assert st[1]["status"] == "needed"
    assert "delete 13" in "\n".join(st[1]["changes"][0]["lines"])
    assert st[2]["status"] == "needed"
    changed = {c["knob"] for c in st[2]["changes"]}
    assert changed == {"status", "sip-nat-trace"}  # the mode and sip-expectation are already there
    assert set(st[2]["already_in_target"]) == {"default-voip-alg-mode=kernel-helper-based", "sip-expectation=disable"}
    assert st[3]["status"] == "needed"  # the reboot follows needed steps
    # The file keeps its settings in VDOM root: the lines to write go there too.
    first = v["fix"]["config_lines"][0].splitlines()
    assert first == ["config vdom", "    edit root", "        config system session-helper",
                     "            delete 13", "        end", "    next", "end"]
    assert all(block.startswith("config vdom\n    edit root\n") for block in v["fix"]["config_lines"])
    # Without VDOMs, the same change is written at the top level.
    assert verdict("fortios-default.conf")["fix"]["config_lines"][0].startswith("config system session-helper\n")


def test_routeros_variant_and_off(alglab):
    name = "routeros-ports-direct-media.rsc"
    v = verdict(name)
    set_line = line_of(name, "set sip ports=5060 \\")
    for k, value in (("ports", "5060"), ("sip-direct-media", "no"), ("sip-timeout", "300")):
        assert knob(v, k)["value"] == value
        assert knob(v, k)["source"]["line"] == set_line
    assert knob(v, "disabled")["source"] == "default"
    assert any("udp-timeout" in n["text"] for n in v["other_statements"])
    # Knobs changed from the defaults: the golden matrix does not apply.
    assert v["expected_symptoms"]["source"] == "none"
    assert v["fix"]["config_lines"] == ["/ip firewall service-port set sip disabled=yes"]

    off = verdict("routeros-alg-off.rsc")
    assert knob(off, "disabled")["value"] == "yes"
    assert knob(off, "disabled")["source"]["line"] == line_of("routeros-alg-off.rsc", "set sip disabled=yes")
    assert off["alg_on_because"][0]["knob"] == "disabled"


def test_edgeos_off_and_indirect_media(alglab):
    off = verdict("edgeos-alg-off.txt")
    assert knob(off, "conntrack-modules-sip")["value"] == "disable"
    assert knob(off, "conntrack-modules-h323")["value"] == "disable"
    assert [s["status"] for s in off["fix"]["steps"]] == ["already_done"] * 3
    v = verdict("edgeos-indirect-media.txt")
    assert knob(v, "enable-indirect-media")["value"] == "true"
    assert knob(v, "port")["value"] == "5080"
    assert knob(v, "enable-indirect-signalling")["source"] == "default"
    assert v["fix"]["config_lines"] == ["set system conntrack modules sip disable",
                                        "set system conntrack modules h323 disable"]


def test_ios_udp_only_off_still_needs_the_tcp_line(alglab):
    v = verdict("ios-udp-only-off.txt")
    assert knob(v, "ip-nat-service-sip")["value"] == "disabled"
    assert {"absent": "^no ip nat service sip tcp port 5060$"} in v["alg_on_because"]
    assert v["fix"]["config_lines"] == ["no ip nat service sip tcp port 5060"]
    assert steps(v)[1]["status"] == "needed"
    full = verdict("ios-default.txt")
    assert full["fix"]["config_lines"] == ["no ip nat service sip udp port 5060", "no ip nat service sip tcp port 5060"]
    off = verdict("ios-alg-off.txt")
    assert any("TCP SIP service is removed" in n["note"] for n in off["other_statements"])


def test_asa_policies_and_timeouts(alglab):
    d = verdict("asa-default.txt")
    assert knob(d, "inspect-sip")["source"]["text"] == \
        "policy-map global_policy > class inspection_default > inspect sip"
    assert knob(d, "timeout-sip")["value"] == "1800" and knob(d, "timeout-sip-media")["value"] == "120"
    assert "no inspect sip" in d["fix"]["config_lines"][0]
    off = verdict("asa-alg-off.txt")
    assert knob(off, "inspect-sip")["value"] == "disabled"
    assert knob(off, "inspect-sip")["source"]["text"] == "policy-map global_policy > class inspection_default"
    v = verdict("asa-interface-policy.txt")
    assert knob(v, "inspect-sip")["source"]["text"] == "policy-map outside-policy > class sip-traffic > inspect sip"
    assert knob(v, "timeout-sip")["value"] == "2700" and knob(v, "timeout-sip-media")["value"] == "300"
    assert {n["text"] for n in v["other_statements"]} >= {"service-policy outside-policy interface outside"}


BAD = {
    # fixture: the line the error names and a word of its message
    "empty.conf": (1, "empty file"),
    "whitespace-only.txt": (1, "empty file"),
    "binary.bin": (1, "binary data"),
    "unknown-format.txt": (1, "not a router configuration"),
    "fortios-truncated.conf": (8, "never closed"),
    "fortios-stray-end.conf": (5, "'end' without"),
    "fortios-open-quote.conf": (2, "never closed"),
    "routeros-truncated.rsc": (4, "truncated"),
    "edgeos-truncated.txt": (3, "never closed"),
    "ios-truncated.txt": (20, "does not end with 'end'"),
    "asa-truncated.txt": (None, "does not end with 'end'"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_hostile_files_are_one_line_errors(name, alglab):
    line, words = BAD[name]
    proc = run_alglab("check-config", CONFIGS / name, "--json")
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    err = proc.stderr.strip()
    assert "\n" not in err and words in err, err
    prefix = f"alglab: {CONFIGS / name}:"
    assert err.startswith(prefix), err
    if line is not None:
        assert err.startswith(f"{prefix}{line}: "), err


def test_missing_files_directories_and_flags_without_simulate(alglab, tmp_path):
    for path in (tmp_path / "nope.conf", tmp_path):
        proc = run_alglab("check-config", path)
        assert proc.returncode == 2 and str(path) in proc.stderr and proc.stderr.count("\n") == 1
    proc = run_alglab("check-config", CONFIGS / "ios-default.txt", "--scenarios", "office")
    assert proc.returncode == 2 and "--simulate" in proc.stderr


def test_text_output_and_determinism(alglab):
    name = CONFIGS / "ios-udp-only-off.txt"
    first = run_alglab("check-config", name)
    assert first.returncode == 0, first.stderr
    assert "SIP ALG: ON" in first.stdout
    assert "no ip nat service sip tcp port 5060" in first.stdout
    assert run_alglab("check-config", name).stdout == first.stdout
    again = run_alglab("check-config", name, "--json")
    assert again.stdout == run_alglab("check-config", name, "--json").stdout


def test_simulation_shows_the_alg_only_when_the_configuration_has_it_on(alglab):
    """hosted shows the Linux helper's damage under MikroTik's defaults (the golden matrix
    row); with the service port disabled the same scenario shows no symptom the ALG causes."""
    on = verdict("routeros-default.rsc", "--simulate", "--scenarios", "hosted", "--jobs", "2")
    s = on["expected_symptoms"]
    assert s["source"] == "simulation" and s["scenarios"] == ["hosted"] and s["failed_runs"] == []
    caused = {x["name"] for x in s["symptoms"] if x["cause"] in ("alg", "both")}
    golden = {n for n, x in GOLDEN["vendors"]["mikrotik"]["symptoms"].items()
              if x["present"] and "hosted" in x["scenarios"]}
    assert caused == golden and caused
    for x in s["symptoms"]:
        assert [w["scenario"] for w in x["scenarios"]] == ["hosted"]
    off = verdict("routeros-alg-off.rsc", "--simulate", "--scenarios", "hosted", "--jobs", "2")
    assert off["expected_symptoms"]["knob_settings"] == ["router.alg.disabled=yes"]
    assert not [x for x in off["expected_symptoms"]["symptoms"] if x["cause"] in ("alg", "both")]
