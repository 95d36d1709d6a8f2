#!/usr/bin/env bash
# Runs one libFuzzer binary for a bounded time with a fixed seed (the CTest label `fuzz`, and
# scripts/fuzz.sh for long runs). Fails on any crash, leak, timeout or out-of-memory input.
#   run-fuzzer.sh BINARY SECONDS WORKDIR SEED_DIR...
# SECONDS 0 only runs every seed and kept input once (-runs=0), as a regression replay.
# WORKDIR/corpus receives new inputs (the seed folders are only read); a crashing input is
# written to WORKDIR/crashes/ (or to $ALGLAB_FUZZ_ARTIFACTS, as scripts/fuzz.sh does) and named
# in the log, ready to be kept in fuzz/regressions/<name>/.
set -euo pipefail
bin=$1 seconds=$2 work=$3
shift 3
artifacts=${ALGLAB_FUZZ_ARTIFACTS:-$work/crashes}
mkdir -p "$work/corpus" "$artifacts"
here=$(cd "$(dirname "$0")" && pwd)
# ns-3 is not instrumented and keeps process-lifetime singletons; see fuzz/README.md.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_odr_violation=0:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$here/lsan.supp:print_suppressions=0}
if [ "$seconds" = 0 ]; then
  limit=(-runs=0)
else
  limit=(-max_total_time="$seconds")
fi
exec "$bin" "${limit[@]}" -seed="${ALGLAB_FUZZ_SEED:-1}" -timeout=10 \
  -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
  -artifact_prefix="$artifacts/" "$work/corpus" "$@"
