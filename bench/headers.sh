#!/usr/bin/env bash
# Median time per header scan (probe + Observatory grade) over the test nginx sites.
# Usage: bench/headers.sh [rounds-per-site]   (needs nginx: apt-get install nginx)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -o package -DskipTests 2>/dev/null || ./mvnw -q -B package -DskipTests
exec java -cp "target/classes:target/test-classes:target/quarkus-app/lib/main/*:$(ls ~/.m2/repository/org/assertj/assertj-core/*/assertj-core-*.jar | head -1)" \
  dev.vigil.bench.HeaderScanBenchmark "${1:-10}"
