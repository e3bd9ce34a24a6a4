#!/usr/bin/env bash
# The host runtime's unit tests under AddressSanitizer + UndefinedBehaviorSanitizer
# (docs/testing.md): configures build-asan/ with SMARTNIC_RUNTIME_ONLY (no Verilator: the NIC
# model, harness, system and CLI-scenario tests are left out to keep CI time down), builds the
# runtime, control plane and endpoints and their tests, and runs them
# under CTest: host_unit_tests (Switch on the C++ NIC stand-in, IPv4, table, guest memory,
# stats, scenario), test_cuckoo_placement, control_json_tests, endpoint_tests (pcap, traffic
# generator; TUN/TAP in network namespaces when run as root). Any sanitizer report fails the
# test (-fno-sanitize-recover, halt_on_error).
#
#   scripts/sanitize.sh [extra ctest arguments, e.g. -R Json]
set -euo pipefail
cd "$(dirname "$0")/.."
build=build-asan
compiler=()
command -v clang++ > /dev/null && compiler=(-DCMAKE_CXX_COMPILER=clang++)
launcher=()
command -v ccache > /dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
mkdir -p "$build"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSMARTNIC_RUNTIME_ONLY=ON \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
  "${compiler[@]}" "${launcher[@]}" > "$build/configure.log" 2>&1 || { cat "$build/configure.log" >&2; exit 1; }
cmake --build "$build" -j "$(nproc)" --target host_unit_tests test_cuckoo_placement control_json_tests endpoint_tests
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir "$build" --output-on-failure -j 2 --timeout 600 "$@"
