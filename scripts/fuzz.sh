#!/usr/bin/env bash
# Bounded libFuzzer run of the runtime's parsers (tests/fuzz, docs/testing.md).
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# Builds the fuzz targets with clang and -fsanitize=fuzzer,address,undefined in build-fuzz/
# (runtime only, no Verilator), then runs each for SECONDS_PER_TARGET (default 20: the seven
# targets take about 2.5 minutes on 2 cores) on a working copy of its seed corpus
# (tests/fuzz/corpus/<target>/, never modified here). Fails when any target crashes, leaks,
# trips a sanitizer or breaks a FUZZ_CHECK contract; the inputs that did are kept in
# build-fuzz/crashes/<target>/ and their paths printed. Longer local campaigns:
#   scripts/fuzz.sh 3600 fuzz_json          # one target for an hour
#   FUZZ_JOBS=2 scripts/fuzz.sh 600         # two processes per target
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${1:-20}
shift || true
build=$root/build-fuzz
jobs=${FUZZ_JOBS:-1}
all=(fuzz_packet fuzz_addr_text fuzz_pcap fuzz_json fuzz_control fuzz_cli_args fuzz_run_config)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")

command -v clang++ > /dev/null || { echo "fuzz.sh: clang++ not found (scripts/install-deps.sh installs clang)" >&2; exit 1; }
launcher=()
command -v ccache > /dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
mkdir -p "$build"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DSMARTNIC_RUNTIME_ONLY=ON -DSMARTNIC_FUZZ=ON -DCMAKE_CXX_FLAGS="$flags" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" "${launcher[@]}" > "$build/configure.log" 2>&1 \
  || { cat "$build/configure.log" >&2; exit 1; }
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=()
for t in "${targets[@]}"; do
  work=$build/corpus/$t
  crashes=$build/crashes/$t
  rm -rf "$crashes"  # report only this run's crashes (an earlier run printed its own)
  mkdir -p "$work" "$crashes"
  # New inputs go to the working copy; the committed seeds stay as they are.
  [ -d tests/fuzz/corpus/$t ] && cp -n tests/fuzz/corpus/$t/* "$work"/ 2> /dev/null || true
  extra=()
  [ -f tests/fuzz/$t.dict ] && extra+=(-dict="$root/tests/fuzz/$t.dict")
  # -jobs makes libFuzzer write fuzz-N.log files into the working directory: run in $build.
  [ "$jobs" -gt 1 ] && extra+=(-jobs="$jobs" -workers="$jobs")
  log=$build/$t.log
  echo "fuzz.sh: $t for ${seconds}s"
  set +e
  (cd "$build" && rm -f fuzz-*.log && "$build/tests/fuzz/$t" "$work" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -artifact_prefix="$crashes/" -print_final_stats=1 "${extra[@]}" > "$log" 2>&1)
  rc=$?
  set -e
  if [ "$jobs" -gt 1 ]; then cat "$build"/fuzz-*.log >> "$log" 2> /dev/null || true; fi
  stats=$(grep -aE "^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)" "$log" | tr '\n' ' ')
  echo "fuzz.sh: $t: exit $rc; $stats"
  if [ "$rc" -ne 0 ]; then
    failed+=("$t")
    grep -aE "ERROR|FUZZ_CHECK|contract:|SUMMARY|runtime error" "$log" | head -20 >&2 || true
    for f in "$crashes"/*; do [ -e "$f" ] && echo "fuzz.sh: $t: crash input $f (reproduce: $build/tests/fuzz/$t $f)" >&2; done
    echo "fuzz.sh: $t: full log $log" >&2
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz.sh: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz.sh: OK (${#targets[@]} targets, ${seconds}s each)"
