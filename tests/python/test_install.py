"""The consumer test (fmt's idea): install the python component into a temporary root, then
import alglab from a clean interpreter outside the source tree, as a user would after the
README's set-up command, and run a scenario with the scenarios the package carries."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BUILD_DIR, SOURCE_DIR, cli, cli_json

CMAKE = os.environ.get("ALGLAB_CMAKE", "cmake")
PYTHON = "/usr/bin/python3" if Path("/usr/bin/python3").exists() else sys.executable

# Run by the clean interpreter: the installed package first on sys.path (a system-wide install
# may exist too), then what the check needs, printed as one JSON object.
PROBE = """
import json, os, sys
sys.path.insert(0, sys.argv[1])
import alglab
print(json.dumps({
    "file": alglab.__file__,
    "scenario_dir": os.environ.get("ALGLAB_SCENARIO_DIR"),
    "scenarios": [s["path"] for s in alglab.list_scenarios()],
    "symptoms": alglab.run("office", "none")["symptoms"],
    "version": alglab.__version__,
}))
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The site folder inside a DESTDIR install of `cmake --install build --component python`."""
    root = tmp_path_factory.mktemp("destdir")
    proc = subprocess.run([CMAKE, "--install", str(BUILD_DIR), "--component", "python"], capture_output=True,
                          text=True, timeout=120, env=dict(os.environ, DESTDIR=str(root)))
    assert proc.returncode == 0, proc.stderr
    packages = list(root.rglob("alglab/__init__.py"))
    assert len(packages) == 1, packages
    site = packages[0].parent.parent
    assert list((site / "alglab").glob("_alglab*.so")), "the extension was not installed"
    assert (site / "alglab" / "scenarios" / "office.yaml").is_file()
    return site


def probe(site, cwd, **extra_env):
    # Only what a login shell has: no PYTHONPATH, no ALGLAB_* variables; -I also ignores any
    # PYTHON* variable and the user's site folder, and keeps the cwd off sys.path.
    env = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), **extra_env}
    proc = subprocess.run([PYTHON, "-I", "-c", PROBE, str(site)], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_installed_module_imports_and_runs_from_anywhere(installed, tmp_path):
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    out = probe(installed, cwd)
    assert Path(out["file"]).resolve().is_relative_to(installed.resolve())
    assert not Path(out["file"]).resolve().is_relative_to(SOURCE_DIR.resolve())
    # ALGLAB_SCENARIO_DIR was unset: the package's own copy of the scenarios is used.
    assert Path(out["scenario_dir"]).resolve() == (installed / "alglab" / "scenarios").resolve()
    assert out["scenarios"] and all(Path(p).resolve().is_relative_to(installed.resolve()) for p in out["scenarios"])
    assert out["symptoms"] == cli_json("run", "office", "--vendor", "none")["symptoms"]
    assert cli("--version").stdout.startswith(f"alglab {out['version']} (source ")


def test_installed_module_respects_a_chosen_scenario_dir(installed, tmp_path):
    chosen = SOURCE_DIR / "scenarios"
    out = probe(installed, tmp_path, ALGLAB_SCENARIO_DIR=str(chosen))
    assert out["scenario_dir"] == str(chosen)
    assert all(Path(p).parent == chosen for p in out["scenarios"])


def test_installed_module_is_linked_for_another_python3_on_path(installed, tmp_path):
    """scripts/build.sh's last step: a python3 first on PATH with its own site folder (a venv
    here; pyenv on a developer's machine) gets a link to the installed package."""
    venv = tmp_path / "venv"
    subprocess.run([PYTHON, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path)}
    script = SOURCE_DIR / "scripts" / "link-python-module.sh"
    for _ in range(2):  # a second run keeps the link
        proc = subprocess.run(["bash", str(script), str(installed)], capture_output=True, text=True, timeout=60,
                              env=env)
        assert proc.returncode == 0, proc.stderr
    links = list(venv.glob("lib/python3*/site-packages/alglab"))
    assert len(links) == 1 and links[0].is_symlink()
    assert links[0].resolve() == (installed / "alglab").resolve()
    proc = subprocess.run([str(venv / "bin" / "python3"), "-c", "import alglab; print(alglab.list_symptoms()[0]['name'])"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == cli_json("list", "symptoms")[0]["name"]
