#!/usr/bin/env bash
# One command from a fresh Debian 12 machine: install dependencies, build, and run the
# main simulation (several VMs talking through the Verilated NIC, per-VM statistics).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh
./build/host/cli/smartnic sim --vms 8 --datagrams 2000 --ingress 200
