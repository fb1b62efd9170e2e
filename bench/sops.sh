#!/usr/bin/env bash
# Sops decryption throughput (documents/s, MB/s) per store format and for a 1 MiB / 10k-value YAML,
# beside the npm sops-age decryptor on the same age-encrypted files.
# Usage: bench/sops.sh [seconds-per-case]   (needs node/npm for the peer)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
mkdir -p target
build
need npm "apt-get install npm, or Node.js from nodejs.org"
peers=$(bench/peers/install.sh)
exec java -cp "$(test_classpath)" dev.vigil.bench.SopsBenchmark "${1:-3}" "$peers"
