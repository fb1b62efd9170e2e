#!/usr/bin/env bash
# Sops decryption throughput (documents/s, MB/s) per store format and for a 1 MiB / 10k-value YAML,
# beside the npm sops-age decryptor on the same age-encrypted files.
# Usage: bench/sops.sh [seconds-per-case]   (needs node/npm for the peer)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -o package -DskipTests 2>/dev/null || ./mvnw -q -B package -DskipTests
peers=$(bench/peers/install.sh)
exec java -cp "target/classes:target/test-classes:target/quarkus-app/lib/main/*" dev.vigil.bench.SopsBenchmark "${1:-3}" "$peers"
