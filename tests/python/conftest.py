"""Shared helpers for the Python module's tests: the module (from PYTHONPATH, the build tree
under CTest) and the alglab binary it is compared with."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SOURCE_DIR = Path(os.environ.get("ALGLAB_SOURCE_DIR", Path(__file__).resolve().parents[2]))
BUILD_DIR = Path(os.environ.get("ALGLAB_BUILD_DIR", SOURCE_DIR / "build"))
ALGLAB = os.environ.get("ALGLAB_BIN", str(BUILD_DIR / "bin" / "alglab"))

# Without CTest's PYTHONPATH (pytest run by hand), the build tree's package.
if not any(Path(p, "alglab", "__init__.py").is_file() for p in sys.path if p):
    sys.path.insert(0, str(BUILD_DIR / "python"))


def cli(*args, env=None, timeout=300):
    """Runs the alglab binary; returns the CompletedProcess (text mode)."""
    return subprocess.run([ALGLAB, *map(str, args)], capture_output=True, text=True, timeout=timeout, env=env)


def cli_json(*args, env=None):
    """`alglab ... --json`, which must succeed, parsed."""
    proc = cli(*args, "--json", env=env)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def cli_error(*args):
    """The one-line message the binary prints after 'alglab: ' for bad input (status 2)."""
    proc = cli(*args)
    assert proc.returncode == 2, (args, proc.returncode, proc.stderr)
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("alglab: "), proc.stderr
    return lines[0][len("alglab: "):]


@pytest.fixture(scope="session")
def alglab():
    assert Path(ALGLAB).exists(), f"build alglab first: {ALGLAB} is missing"
    import alglab as module
    return module
