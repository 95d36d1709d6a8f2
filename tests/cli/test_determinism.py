"""Same scenario + same seed = identical JSON and identical pcap bytes; another seed differs."""
import filecmp
import json

from conftest import run_alglab


def run_to(out, *extra):
    proc = run_alglab("run", "office", "--vendor", "none", "--out", out, "--json", *extra)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_same_seed_same_json_and_pcap_bytes(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    ja, jb = run_to(a, "--seed", "7"), run_to(b, "--seed", "7")
    assert ja == jb
    pcaps = sorted(p.name for p in a.glob("*.pcap"))
    assert len(pcaps) >= 8
    assert pcaps == sorted(p.name for p in b.glob("*.pcap"))
    match, mismatch, errors = filecmp.cmpfiles(a, b, pcaps + ["result.json"], shallow=False)
    assert mismatch == [] and errors == []
    assert json.loads(ja)["seed"] == 7


def test_scenario_seed_is_used_and_reported(tmp_path):
    result = json.loads(run_to(tmp_path / "s"))
    assert result["seed"] == 1  # office.yaml says seed: 1
