"""Shared fixtures for the end-to-end tests: they run the real alglab binary."""
import json
import os
import subprocess
from pathlib import Path

import pytest

SOURCE_DIR = Path(os.environ.get("ALGLAB_SOURCE_DIR", Path(__file__).resolve().parents[2]))
ALGLAB = os.environ.get("ALGLAB_BIN", str(SOURCE_DIR / "build" / "bin" / "alglab"))


def run_alglab(*args, timeout=300):
    """Runs alglab with `args`; returns the CompletedProcess (text mode)."""
    return subprocess.run([ALGLAB, *map(str, args)], capture_output=True, text=True, timeout=timeout)


def run_json(*args):
    """Runs `alglab ... --json`, asserts success and returns the parsed object."""
    proc = run_alglab(*args, "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def list_vendors():
    """`alglab list vendors --json` as {id: vendor}."""
    return {v["id"]: v for v in run_json("list", "vendors")}


@pytest.fixture(scope="session")
def alglab():
    assert Path(ALGLAB).exists(), f"build alglab first: {ALGLAB} is missing"
    return run_alglab


# One run per scenario, vendor and extra arguments (e.g. "--set", "k=v"), with pcaps, shared by
# the tests of a session (a run takes seconds): (result JSON, output folder).
_runs = {}


@pytest.fixture(scope="session")
def scenario_run(tmp_path_factory):
    def get(name, vendor="none", *settings):
        key = (name, vendor, tuple(settings))
        if key not in _runs:
            out = tmp_path_factory.mktemp(f"{name}-{vendor}")
            proc = run_alglab("run", name, "--vendor", vendor, *settings, "--out", out, "--json")
            assert proc.returncode == 0, proc.stderr
            _runs[key] = (json.loads(proc.stdout), out)
        return _runs[key]
    return get
