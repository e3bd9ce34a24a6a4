#!/usr/bin/env bash
# Installs the Debian 12 packages the project builds and tests with. Idempotent: does
# nothing when everything is already installed. Needs root (or sudo) for apt-get.
set -euo pipefail
PKGS=(build-essential cmake ninja-build ccache python3 pkg-config
      verilator yosys z3
      libboost-program-options-dev libgtest-dev libgmock-dev libpcap-dev libxrt-dev uuid-dev
      clang libclang-rt-14-dev gnuplot-nox
      iproute2 iputils-ping tshark
      )
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PKGS[@]} packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
