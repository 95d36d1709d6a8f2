#!/usr/bin/env bash
# Runs every fuzz target for a long time (default 3600 s of wall time each):
#   bash scripts/fuzz.sh [SECONDS] [TARGET-REGEX] [JOBS]
# Builds the fuzz preset, then runs each CTest `fuzz` command with SECONDS instead of CI's short
# time, JOBS targets at once (default 1: one after another; a machine with N cores fuzzes best
# with N). Each target's libFuzzer output goes to build-fuzz/fuzz/logs/<target>.log; a summary
# line per target (executions, coverage, corpus size, CPU seconds) ends the run. Crashing inputs
# are written into fuzz/regressions/<target>/, where the ordinary build replays them as tests
# (fuzz_replay_<target>) once kept. Exits non-zero if any target crashed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-3600}
filter=${2:-.}
jobs=${3:-1}
case $seconds$jobs in *[!0-9]*) echo "scripts/fuzz.sh: SECONDS and JOBS are whole numbers" >&2; exit 2;; esac
[ "$jobs" -ge 1 ] || { echo "scripts/fuzz.sh: JOBS must be at least 1" >&2; exit 2; }
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -- -j"$(nproc)"
# The commands CTest would run (one definition of each target's binary and seed folders).
mapfile -t commands < <(ctest --preset fuzz -R "$filter" --show-only=json-v1 | "${ALGLAB_PYTHON:-/usr/bin/python3}" -c '
import json, sys
for t in json.load(sys.stdin)["tests"]:
    print(t["name"] + "\t" + "\t".join(t["command"]))
')
[ ${#commands[@]} -gt 0 ] || { echo "scripts/fuzz.sh: no fuzz target matches '$filter'" >&2; exit 2; }
logs=build-fuzz/fuzz/logs
mkdir -p "$logs"

# One target: f = name, bash, run-fuzzer.sh, binary, seconds, workdir, seed folders...
# Writes <log> and <log>.rc (the fuzzer's exit code) and <log>.cpu (user+sys seconds).
run_target() {
  local line=$1 name log start
  IFS=$'\t' read -r -a f <<<"$line"
  name=${f[0]#fuzz_}
  log="$logs/$name.log"
  echo "fuzz: $name for ${seconds}s (log $log)"
  start=$(date +%s)
  local rc=0
  local TIMEFORMAT='%U %S'
  { time ALGLAB_FUZZ_ARTIFACTS="fuzz/regressions/$name" \
      bash "${f[2]}" "${f[3]}" "$seconds" "${f[5]}" "${f[@]:6}" >"$log" 2>&1 || rc=$?; } 2>"$log.cpu"
  echo "$rc $(( $(date +%s) - start ))" >"$log.rc"
}

running=0
for line in "${commands[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
  run_target "$line" &
  running=$((running + 1))
done
wait

failed=()
for line in "${commands[@]}"; do
  name=${line%%$'\t'*}
  name=${name#fuzz_}
  log="$logs/$name.log"
  read -r rc wall <"$log.rc"
  read -r user sys <"$log.cpu" 2>/dev/null || { user=0; sys=0; }
  # libFuzzer's final stats and its last progress line (cov, ft, corpus).
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  progress=$(grep -E '^#[0-9]+.*(cov|ft):' "$log" | tail -1 | sed -E 's/^#[0-9]+[[:space:]]+[A-Z]+[[:space:]]+//')
  printf 'fuzz: %-22s %s  wall %ss  cpu %ss  execs %s  %s\n' "$name" \
    "$([ "$rc" = 0 ] && echo ok || echo "CRASH(rc=$rc)")" "$wall" "$(awk "BEGIN{print $user + $sys}")" \
    "${execs:-?}" "$progress"
  [ "$rc" = 0 ] || failed+=("$name")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: crashes in ${failed[*]} (inputs in fuzz/regressions/<target>/, logs in $logs/)" >&2
  exit 1
fi
echo "fuzz: ${#commands[@]} targets, no crash"
