#!/usr/bin/env bash
# Configures and builds alglab (Release) into build/, then installs the Python module into
# Debian's python3 (`import alglab` from any directory; README "Python"). Assumes
# scripts/setup.sh has run.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset default >/dev/null
cmake --build --preset default -- -j"$(nproc)"
cmake --install build --component python >/dev/null
