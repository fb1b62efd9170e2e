#!/usr/bin/env bash
# One probing cycle over N hosts on a local nginx at a given concurrency, and the heap after it.
# Usage: bench/cycle.sh [services=200] [concurrency=16]   (needs nginx)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
mkdir -p target
build
need nginx "apt-get install nginx"
exec java -Xmx512m -cp "$(test_classpath)" dev.vigil.bench.BaselineCycleBenchmark "${1:-200}" "${2:-16}"
