#!/usr/bin/env bash
# Sets up, builds and runs every test (unit, scenario, tool-validation) through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
ctest --preset default "$@"
