#!/usr/bin/env bash
# Sets up, builds and runs every test through CTest: the default build (unit, scenario and
# tool-validation tests; extra arguments go to this ctest), then the sanitizer build (clang,
# ASan + UBSan): its unit tests, a whole office scenario, and each fuzz target for a short
# bounded time. Exits non-zero if any stage fails. README "Sanitizers and fuzzing" has details.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
# CTest also writes its results as JUnit XML (build/ctest-junit.xml) for CI servers.
ctest --preset default --output-junit "$PWD/build/ctest-junit.xml" "$@"

cmake --preset asan >/dev/null
cmake --build --preset asan -- -j"$(nproc)"
ctest --preset asan
ctest --preset asan-fuzz
