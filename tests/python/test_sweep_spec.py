"""Sweep files and point lists: expansion, order and the one-line errors (no simulation runs)."""

import json
from pathlib import Path

import pytest

import alglab.sweep as sweep
from alglab.sweep import SweepError

SOURCE_DIR = Path(__file__).resolve().parents[2]


def write(tmp_path, text, name="s.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_grid_expands_in_file_order(tmp_path):
    s = sweep.load(write(tmp_path, """
scenario: office
vendors: [none, mikrotik]
seeds: [1, 2]
set: {phones.defaults.keepalive: none}
grid:
  phones.defaults.register_expiry: [60s, 120s, 180s]
  router.udp_timeout: [30s, 60s]
remediate: [false, true]
"""))
    assert s.name == "s"
    assert len(s.points) == 2 * 3 * 2 * 2 * 2
    first, second, last = s.points[0], s.points[1], s.points[-1]
    assert (first.vendor, first.seed, first.remediate) == ("none", 1, False)
    assert dict(first.set) == {"phones.defaults.keepalive": "none", "phones.defaults.register_expiry": "60s",
                               "router.udp_timeout": "30s"}
    assert second.seed == 2 and second.set == first.set
    assert (last.vendor, last.seed, last.remediate) == ("mikrotik", 2, True)
    assert dict(last.set)["phones.defaults.register_expiry"] == "180s"
    assert s.swept_keys() == ["phones.defaults.register_expiry", "router.udp_timeout"]
    assert sweep.load(tmp_path / "s.yaml").points == s.points  # the same file, the same points


def test_values_become_cli_text_and_json_works(tmp_path):
    s = sweep.load(write(tmp_path, json.dumps({
        "name": "j", "scenario": "office", "vendor": "none",
        "grid": {"router.alg_enabled": [True, False], "router.port_preservation": [1, 0]}}), "x.json"))
    assert s.name == "j"
    assert [dict(p.set)["router.alg_enabled"] for p in s.points] == ["true", "true", "false", "false"]
    assert s.points[0].run_arguments()["set"] == {"router.alg_enabled": "true", "router.port_preservation": "1"}


def test_explicit_points_and_python_lists():
    s = sweep.from_points([{"scenario": "office", "vendor": "none", "seed": 3, "set": {"a.b": 1}},
                           {"scenario": "hosted", "vendor": "mikrotik", "remediate": True}])
    assert [p.describe() for p in s.points] == ["office none seed 3 a.b=1", "hosted mikrotik seed 1 remediated"]
    mixed = sweep.from_mapping({"scenario": "office", "vendor": "none", "set": {"k.x": "1"},
                                "points": [{"scenario": "hosted", "vendor": "unifi", "set": {"k.y": "2"}}]})
    assert len(mixed.points) == 2
    assert dict(mixed.points[1].set) == {"k.x": "1", "k.y": "2"}  # the file's fixed settings apply to points too


@pytest.mark.parametrize("text, message", [
    ("scenario: office\nvendor: none\nvendorz: [a]\n", "s.yaml: unknown key 'vendorz'"),
    ("scenario: office\nvendor: none\nvendor: mikrotik\n", "s.yaml:3: duplicate key 'vendor'"),
    ("scenario: office\nvendor: none\nseeds: [0]\n", "s.yaml: seeds: expected whole numbers from 1 to 4294944442"),
    ("scenario: office\nvendor: none\nseeds: [1, 1]\n", "seed 1 given twice"),
    ("scenario: office\nvendors: []\n", "s.yaml: vendors: empty list"),
    ("scenario: office\n", "needs both a scenario (or scenarios) and a vendor"),
    ("scenario: office\nvendor: none\nset: {a.b: 1}\ngrid: {a.b: [1, 2]}\n", "set and grid both name a.b"),
    ("scenario: office\nvendor: none\ngrid: {a.b: []}\n", "grid.a.b: expected a non-empty list"),
    ("scenario: office\nvendor: none\ngrid: {a.b: [1, 1]}\n", "grid.a.b: a value is given twice"),
    ("scenario: office\nvendor: none\ngrid: {a.b: [[1]]}\n", "expected a number, text or true/false"),
    ("scenario: office\nvendor: none\nplot: {x: a.b}\n", "plot.x: 'a.b' is not a grid key"),
    ("scenario: office\nvendor: none\nremediate: maybe\n", "remediate: expected true, false"),
    ("scenario: office\nvendors: [none, none]\n", "'none' given twice"),
    ("points: [{scenario: office, vendor: none}, {scenario: office, vendor: none}]\n", "appears twice"),
    ("- a\n- b\n", "expected a mapping at the top"),
    ("scenario: [office\n", "s.yaml:2:"),
    ("a: 1\n---\nb: 2\n", "more than one YAML document"),
    ("", "expected a mapping at the top"),
])
def test_bad_files_get_one_line_naming_the_file(tmp_path, text, message):
    with pytest.raises(SweepError) as e:
        sweep.load(write(tmp_path, text))
    assert message in str(e.value)
    assert "\n" not in str(e.value)
    assert str(tmp_path / "s.yaml") in str(e.value)


def test_unreadable_files(tmp_path):
    with pytest.raises(SweepError, match="no such sweep file"):
        sweep.load(tmp_path / "missing.yaml")
    with pytest.raises(SweepError, match="not a regular file"):
        sweep.load(tmp_path)
    (tmp_path / "bin.yaml").write_bytes(b"scenario: \xff\xfe\n")
    with pytest.raises(SweepError, match="not UTF-8"):
        sweep.load(tmp_path / "bin.yaml")
    (tmp_path / "big.yaml").write_text("#" * (2 << 20))
    with pytest.raises(SweepError, match="larger than 1 MiB"):
        sweep.load(tmp_path / "big.yaml")


def test_shipped_example_sweep_is_valid():
    s = sweep.load(SOURCE_DIR / "scenarios" / "sweeps" / "register-interval.yaml")
    assert s.plot_x == "phones.defaults.register_expiry"
    assert s.swept_keys() == ["phones.defaults.register_expiry"]
    vendors = {p.vendor for p in s.points}
    assert "none" in vendors and len(vendors) >= 10
    assert {p.scenario for p in s.points} == {"register-past-sip-timer"}
    assert len(s.points) == len(vendors) * len({p.set for p in s.points}) * len({p.seed for p in s.points})


def test_durations_become_seconds_for_axes():
    assert [sweep.as_number(v) for v in ("90s", "2min", "500ms", "1h", "12", 3, "fast", True)] == \
        [90.0, 120.0, 0.5, 3600.0, 12.0, 3.0, None, None]
