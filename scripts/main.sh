#!/usr/bin/env bash
# The main job: set up, build, and run the office scenario through a plain NAT router,
# printing the readable summary of the six symptoms.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
build/bin/alglab run office --vendor "${ALGLAB_VENDOR:-none}"
