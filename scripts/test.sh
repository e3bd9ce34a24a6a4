#!/usr/bin/env bash
# The whole test suite: install dependencies if missing, build, run every CTest test
# (RTL module tests, lint, Yosys synthesis, harness, runtime, whole-NIC system tests).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh
ctest --test-dir build --output-on-failure -j 2 --timeout 1800
