#!/usr/bin/env bash
# The whole test suite: install dependencies if missing, build, run every CTest test
# (RTL module tests, lint, Yosys synthesis, harness, runtime, whole-NIC system tests), then the
# runtime's unit tests under ASan+UBSan (scripts/sanitize.sh, build-asan/) and a bounded fuzz
# run of the runtime's parsers (scripts/fuzz.sh, build-fuzz/). Every part runs even when an
# earlier one failed; the exit status is non-zero when any did. See docs/testing.md.
#   SMARTNIC_FUZZ_SECONDS=N   seconds per fuzz target (default 20; 0 skips fuzzing)
#   SMARTNIC_SANITIZE=0       skips the sanitizer build
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh
failed=()
ctest --test-dir build --output-on-failure -j 2 --timeout 1800 || failed+=("ctest (build/)")
if [ "${SMARTNIC_SANITIZE:-1}" != 0 ]; then
  start=$SECONDS
  ./scripts/sanitize.sh || failed+=("scripts/sanitize.sh (build-asan/)")
  echo "test.sh: sanitizer build and tests took $((SECONDS - start)) s"
fi
fuzz_seconds=${SMARTNIC_FUZZ_SECONDS:-20}
if [ "$fuzz_seconds" != 0 ]; then
  start=$SECONDS
  ./scripts/fuzz.sh "$fuzz_seconds" || failed+=("scripts/fuzz.sh (build-fuzz/)")
  echo "test.sh: fuzz build and run took $((SECONDS - start)) s"
fi
if [ ${#failed[@]} -gt 0 ]; then
  echo "test.sh: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "test.sh: all passed"
