#!/usr/bin/env bash
# Runs every fuzz target for a long time, one after another (default 3600 s each):
#   bash scripts/fuzz.sh [SECONDS] [TARGET-REGEX]
# Builds the fuzz preset, then runs each CTest `fuzz` command with SECONDS instead of CI's short
# time. Crashing inputs are written into fuzz/regressions/<target>/, where the ordinary build
# replays them as tests (fuzz_replay_<target>) once kept. Exits non-zero if any target crashed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-3600}
filter=${2:-.}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -- -j"$(nproc)"
# The commands CTest would run (one definition of each target's binary and seed folders).
mapfile -t commands < <(ctest --preset fuzz -R "$filter" --show-only=json-v1 | "${ALGLAB_PYTHON:-/usr/bin/python3}" -c '
import json, sys
for t in json.load(sys.stdin)["tests"]:
    print(t["name"] + "\t" + "\t".join(t["command"]))
')
failed=()
for line in "${commands[@]}"; do
  IFS=$'\t' read -r -a f <<<"$line"
  name=${f[0]#fuzz_}
  # f: name, bash, run-fuzzer.sh, binary, seconds, workdir, seed folders...
  echo "fuzz: $name for ${seconds}s"
  if ! ALGLAB_FUZZ_ARTIFACTS="fuzz/regressions/$name" \
      bash "${f[2]}" "${f[3]}" "$seconds" "${f[5]}" "${f[@]:6}"; then
    failed+=("$name")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: crashes in ${failed[*]} (inputs in fuzz/regressions/<target>/)" >&2
  exit 1
fi
echo "fuzz: ${#commands[@]} targets, no crash"
