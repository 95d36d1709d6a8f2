#!/usr/bin/env bash
# Installs every Debian 12 package alglab needs to build, test and benchmark.
# Safe to run twice; non-interactive; must run as root (or via sudo).
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config git
  # the fuzz preset: clang 14 with its libFuzzer, ASan and UBSan runtimes
  clang libclang-rt-14-dev
  # simulator and its CMake config dependencies
  ns3 libns3-dev libgsl-dev libxml2-dev libsqlite3-dev
  # libraries
  libboost-test-dev libfmt-dev libssl-dev libyaml-cpp-dev nlohmann-json3-dev libcli11-dev
  libjemalloc-dev
  # reading captures (alglab diagnose)
  libpcap-dev
  pybind11-dev python3-dev python3-pybind11
  # python side: sweeps, reports, tests
  python3 python3-pytest python3-pandas python3-matplotlib python3-distributed python3-yaml
  # the sweep's progress bar
  python3-tqdm
  # validating every verdict JSON against its documented schema (docs/schemas/)
  python3-jsonschema
  # real-traffic oracles and validation tools
  tshark sip-tester nftables iproute2 conntrack kmod procps
  # the HTML report: its plotting library (embedded at build time), and the headless browser
  # and DevTools client its test drives
  libjs-dygraphs chromium python3-websocket
)

if [ "$(id -u)" -ne 0 ]; then
  echo "scripts/setup.sh: must run as root (apt-get install)" >&2
  exit 2
fi

export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer once, non-interactively.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "setup: all ${#PACKAGES[@]} packages present"
