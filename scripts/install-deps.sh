#!/usr/bin/env bash
# Installs everything loyalty needs to build, test and benchmark, from Debian 12's archive only.
# Idempotent: packages already present are left as they are. Run as root (or with sudo).
set -euo pipefail

packages=(
  cmake g++ make pkg-config tzdata
  libboost-dev libhowardhinnant-date-dev nlohmann-json3-dev libsimdjson-dev libssl-dev
  libgtest-dev libgmock-dev librapidcheck-dev libbenchmark-dev
  libcli11-dev
  libsqlite3-dev libpq-dev postgresql
  clang libclang-rt-14-dev gcovr
  python3 python3-dev python3-jsonschema pybind11-dev python3-pybind11 python3-pytest python3-hypothesis
  python3-pip python3-setuptools python3-wheel python3-venv python3-mypy
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi
