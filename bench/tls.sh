#!/usr/bin/env bash
# Full TLS enumeration per Mozilla level (+ legacy) on local nginx and gnutls-serv: Vigil vs sslscan, testssl.sh, nmap.
# Usage: bench/tls.sh [rounds] [rounds for testssl.sh and nmap]   (apt-get install nginx gnutls-bin sslscan testssl.sh nmap)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -o package -DskipTests 2>/dev/null || ./mvnw -q -B package -DskipTests
exec java -cp "target/classes:target/test-classes:target/quarkus-app/lib/main/*" dev.vigil.bench.TlsBenchmark "${1:-7}" "${2:-3}"
