#!/usr/bin/env bash
# One probing cycle over N hosts on a local nginx at a given concurrency, and the heap after it.
# Usage: bench/cycle.sh [services=200] [concurrency=16]   (needs nginx)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -o package -DskipTests 2>/dev/null || ./mvnw -q -B package -DskipTests
exec java -Xmx512m -cp "target/classes:target/test-classes:target/quarkus-app/lib/main/*" dev.vigil.bench.BaselineCycleBenchmark "${1:-200}" "${2:-16}"
