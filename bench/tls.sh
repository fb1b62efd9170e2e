#!/usr/bin/env bash
# Full TLS enumeration per Mozilla level (+ legacy) on local nginx: Vigil vs sslscan, medians and set agreement.
# Usage: bench/tls.sh [rounds]   (needs nginx and sslscan: apt-get install nginx sslscan)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -o package -DskipTests 2>/dev/null || ./mvnw -q -B package -DskipTests
exec java -cp "target/classes:target/test-classes:target/quarkus-app/lib/main/*" dev.vigil.bench.TlsBenchmark "${1:-7}"
