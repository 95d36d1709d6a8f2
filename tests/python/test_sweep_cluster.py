"""The cluster path on one machine: a separate dask-scheduler and dask-worker process, and
scripts/sweep.py --scheduler sending its points there (the same code path as a LocalCluster)."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

SOURCE_DIR = Path(__file__).resolve().parents[2]
SWEEP = [sys.executable, str(SOURCE_DIR / "scripts" / "sweep.py")]
DASK_BIN = Path("/usr/bin")


def start(args, env, log):
    # A process group of its own, so a worker's nanny and its child end with it.
    return subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)


def wait_for(path, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and path.stat().st_size > 0:
            try:
                return json.loads(path.read_text())
            except ValueError:
                pass
        time.sleep(0.2)
    raise AssertionError(f"{path} did not appear within {seconds} s")


@pytest.mark.skipif(not (DASK_BIN / "dask-scheduler").exists(), reason="dask-scheduler missing")
def test_sweep_through_a_separate_scheduler_and_worker(tmp_path):
    env = dict(os.environ)
    scheduler_file = tmp_path / "scheduler.json"
    log = open(tmp_path / "dask.log", "w")
    scheduler = start([str(DASK_BIN / "dask-scheduler"), "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                       "--scheduler-file", str(scheduler_file)], env, log)
    worker = None
    try:
        address = wait_for(scheduler_file, 60)["address"]
        assert address.startswith("tcp://127.0.0.1:")
        worker = start([str(DASK_BIN / "dask-worker"), address, "--nthreads", "1", "--nworkers", "1",
                        "--no-dashboard", "--host", "127.0.0.1"], env, log)
        spec = tmp_path / "cluster.yaml"
        spec.write_text("scenario: register-past-sip-timer\nvendors: [none, draytek]\n"
                        "grid: {phones.defaults.register_expiry: [60s, 900s]}\n")
        result = subprocess.run(SWEEP + [str(spec), "--scheduler", address, "--cache", str(tmp_path / "cache"),
                                         "--out", str(tmp_path / "out"), "--quiet"],
                                capture_output=True, text=True, timeout=240)
        assert result.returncode == 0, result.stderr
        assert "4 points, 4 ran, 0 from the cache" in result.stdout
        frame = pd.read_csv(tmp_path / "out" / "cluster.csv")
        assert len(frame) == 4
        draytek = frame[frame.vendor == "draytek"].set_index("set.phones.defaults.register_expiry")
        assert draytek.loc["900s", "symptom.incoming_calls_not_ringing"]
        assert not draytek.loc["60s", "symptom.incoming_calls_not_ringing"]
        assert (tmp_path / "out" / "cluster.png").exists()
        # The same sweep through a LocalCluster finds every point in the cache the cluster filled.
        local = subprocess.run(SWEEP + [str(spec), "--workers", "2", "--cache", str(tmp_path / "cache"),
                                        "--out", str(tmp_path / "out2"), "--quiet"],
                               capture_output=True, text=True, timeout=120)
        assert local.returncode == 0, local.stderr
        assert "4 points, 0 ran, 4 from the cache" in local.stdout
        assert (tmp_path / "out" / "cluster.csv").read_bytes() == (tmp_path / "out2" / "cluster.csv").read_bytes()
    finally:
        if worker is not None:
            stop(worker)
        stop(scheduler)
        log.close()


def test_an_address_nobody_listens_on_is_one_line_and_status_2(tmp_path):
    spec = tmp_path / "s.yaml"
    spec.write_text("scenario: register-past-sip-timer\nvendor: none\n")
    # Port 9 on loopback: nothing listens there in a test machine; the refusal is immediate.
    result = subprocess.run(SWEEP + [str(spec), "--scheduler", "tcp://127.0.0.1:9", "--cache", str(tmp_path / "c"),
                                     "--out", str(tmp_path / "o"), "--quiet"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sweep: --scheduler tcp://127.0.0.1:9: cannot connect"), result.stderr
