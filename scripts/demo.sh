#!/usr/bin/env bash
# Installs dependencies, builds loyalty and runs the demo on the compiled-in reference programme.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DLOYALTY_BUILD_TESTS=OFF -DLOYALTY_BUILD_BENCHMARKS=OFF
cmake --build build -j2 --target loyalty-demo
build/examples/loyalty-demo "$@"
