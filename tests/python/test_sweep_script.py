"""scripts/sweep.py: the shipped example sweep end to end (twice: the second run comes from the
cache), and bad input as one line with status 2."""

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

SOURCE_DIR = Path(__file__).resolve().parents[2]
SWEEP = [sys.executable, str(SOURCE_DIR / "scripts" / "sweep.py")]
EXAMPLE = SOURCE_DIR / "scenarios" / "sweeps" / "register-interval.yaml"


def sweep(*args, env=None, timeout=600):
    return subprocess.run(SWEEP + [str(a) for a in args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def test_example_sweep_writes_its_table_and_plot_and_runs_again_from_the_cache(tmp_path):
    env = {"ALGLAB_CACHE_DIR": str(tmp_path / "cache")}  # the default cache place, moved into the test
    first = sweep(EXAMPLE, "--out", tmp_path / "out", "--workers", "2", "--quiet", env=env)
    assert first.returncode == 0, first.stderr
    frame = pd.read_csv(tmp_path / "out" / "register-interval.csv")
    points = len(frame)
    assert f"{points} points, {points} ran, 0 from the cache" in first.stdout
    assert (tmp_path / "cache" / "runs").is_dir()
    png = (tmp_path / "out" / "register-interval.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    assert b"<svg" in (tmp_path / "out" / "register-interval.svg").read_bytes()[:2000]

    rate = frame.groupby(["vendor", "set.phones.defaults.register_expiry"])["symptom.incoming_calls_not_ringing"].mean()
    # The control never loses a call; a router whose SIP timer is its 120 s UDP timeout keeps calls
    # while the handsets refresh every 48 s (60 s expiry) and loses them at a 15-minute expiry;
    # cisco-asa's 30-minute SIP timer holds at 20 minutes and fails at an hour.
    assert rate["none"].max() == 0
    for vendor in ("cisco-ios", "draytek"):
        assert rate[(vendor, "60s")] == 0 and rate[(vendor, "900s")] == 1
    assert rate[("cisco-asa", "1200s")] == 0 and rate[("cisco-asa", "3600s")] == 1

    second = sweep(EXAMPLE, "--out", tmp_path / "out2", "--quiet", env=env)
    assert second.returncode == 0, second.stderr
    assert f"{points} points, 0 ran, {points} from the cache" in second.stdout
    for name in ("register-interval.csv", "register-interval.png", "register-interval.svg"):
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "out2" / name).read_bytes()


def write(tmp_path, text):
    path = tmp_path / "s.yaml"
    path.write_text(text)
    return path


def touch(path):
    path.write_text("x")
    return path


@pytest.mark.parametrize("make_args, message", [
    (lambda t: [t / "missing.yaml"], "no such sweep file"),
    (lambda t: [write(t, "scenario: [x\n")], "s.yaml:2:"),
    (lambda t: [write(t, "scenario: office\nvendor: nobody\n")], "unknown vendor 'nobody'"),
    (lambda t: [write(t, "scenario: nowhere\nvendor: none\n")], "unknown scenario 'nowhere'"),
    (lambda t: [write(t, "scenario: office\nvendor: none\n"), "--workers", "0"], "--workers: '0'"),
    (lambda t: [write(t, "scenario: office\nvendor: none\n"), "--workers", "two"], "--workers: 'two'"),
    (lambda t: [write(t, "scenario: office\nvendor: none\n"), "--cache", t, "--no-cache"], "exclude each other"),
    (lambda t: [write(t, "scenario: office\nvendor: none\n"), "--out", touch(t / "a-file")], "exists and is not a directory"),
    (lambda t: [write(t, "scenario: office\nvendor: none\n"), "--format", "xls"], "invalid choice: 'xls'"),
    (lambda t: [], "the following arguments are required: sweep"),
])
def test_bad_input_is_one_line_and_status_2(tmp_path, make_args, message):
    result = sweep(*make_args(tmp_path), "--quiet", env={"ALGLAB_CACHE_DIR": str(tmp_path / "cache")}, timeout=120)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sweep: ") and message in lines[0], result.stderr
    assert not (tmp_path / "cache" / "runs").exists() or not list((tmp_path / "cache" / "runs").glob("*/*.json"))


def test_an_interpreter_without_the_libraries_is_told_which(tmp_path):
    # -S: no site folders, so none of Debian's python3-* packages (a bare venv looks the same).
    spec = write(tmp_path, "scenario: office\nvendor: none\n")
    result = subprocess.run([sys.executable, "-S", *SWEEP[1:], str(spec), "--quiet"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "lacks pandas, distributed, matplotlib, yaml" in lines[0], result.stderr
    build = os.environ.get("ALGLAB_BUILD_DIR", str(SOURCE_DIR / "build"))
    module = subprocess.run([sys.executable, "-S", "-c", f"""
import sys; sys.path.insert(0, {os.path.join(build, 'python')!r})
import alglab.sweep
try:
    alglab.sweep.run({{"scenario": "office", "vendor": "none"}})
except alglab.sweep.SweepError as e:
    print(e)
"""], capture_output=True, text=True, timeout=60)
    assert "a sweep needs pandas, distributed, matplotlib, yaml" in module.stdout, module.stderr


def test_a_script_without_the_main_guard_is_told_so(tmp_path):
    # Dask spawns workers by importing the main script again: a sweep at import time cannot start.
    script = tmp_path / "unguarded.py"
    script.write_text("import alglab.sweep\n"
                      "try:\n"
                      "    alglab.sweep.run([{'scenario': 'register-past-sip-timer', 'vendor': 'none'}], cache=False,\n"
                      "                     workers=1, progress=False)\n"
                      "except alglab.sweep.SweepError as e:\n"
                      "    print('SWEEP-ERROR', e)\n")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=180, cwd=tmp_path)
    lines = [line for line in result.stdout.splitlines() if line.startswith("SWEEP-ERROR")]
    assert lines, result.stdout + result.stderr
    assert "workers did not start" in lines[-1] and 'if __name__ == "__main__":' in lines[-1]
