"""The libraries a sweep imports besides alglab, and what to do when an interpreter lacks them.

A sweep needs Debian's python3-pandas, -distributed, -matplotlib and -yaml (scripts/setup.sh).
The python3 first on PATH may be another interpreter (pyenv, a venv) that sees the alglab
module (scripts/link-python-module.sh links it) but not those packages.
"""

import importlib.util
import os
import sys

NEEDED = ("pandas", "distributed", "matplotlib", "yaml")
DEBIAN_PYTHON = "/usr/bin/python3"


def missing():
    """The needed modules this interpreter cannot import, in NEEDED's order."""
    return [m for m in NEEDED if importlib.util.find_spec(m) is None]


def rerun_with_debian_python(script, argv):
    """For a script: when this interpreter lacks a needed module and is not Debian's, runs
    `script` again under Debian's python3 (never returns). Otherwise returns what is missing
    (empty when nothing is)."""
    absent = missing()
    if absent and os.path.realpath(sys.executable) != os.path.realpath(DEBIAN_PYTHON) and os.access(DEBIAN_PYTHON, os.X_OK):
        os.execv(DEBIAN_PYTHON, [DEBIAN_PYTHON, os.path.abspath(script), *argv])
    return absent
