#!/usr/bin/env bash
# Configures and builds alglab (Release) into build/. Assumes scripts/setup.sh has run.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset default >/dev/null
cmake --build --preset default -- -j"$(nproc)"
