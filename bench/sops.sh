#!/usr/bin/env bash
# Sops decryption throughput (documents/s, MB/s) per store format and for a 1 MiB / 10k-value YAML.
# Usage: bench/sops.sh [seconds-per-case]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -o package -DskipTests 2>/dev/null || ./mvnw -q -B package -DskipTests
exec java -cp "target/classes:target/test-classes:target/quarkus-app/lib/main/*" dev.vigil.bench.SopsBenchmark "${1:-3}"
