#!/usr/bin/env bash
# Observatory scan time per site over the test nginx sites: Vigil vs MDN's HTTP Observatory (npm, as a library).
# Usage: bench/headers.sh [rounds]   (needs nginx, node/npm; run as root: the npm peer can only scan ports 80/443)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -o package -DskipTests 2>/dev/null || ./mvnw -q -B package -DskipTests
peers=$(bench/peers/install.sh)
exec java -cp "target/classes:target/test-classes:target/quarkus-app/lib/main/*" dev.vigil.bench.HeaderScanBenchmark "${1:-10}" "$peers"
