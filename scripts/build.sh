#!/usr/bin/env bash
# Configures and builds alglab (Release) into build/, then installs the Python module into
# Debian's python3 (`import alglab` from any directory; README "Python") and links it for the
# python3 first on PATH when that is another interpreter of the same ABI (pyenv, a venv).
# Assumes scripts/setup.sh has run.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset default >/dev/null
cmake --build --preset default -- -j"$(nproc)"
cmake --install build --component python >/dev/null
bash scripts/link-python-module.sh
