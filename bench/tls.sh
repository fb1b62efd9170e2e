#!/usr/bin/env bash
# Full TLS enumeration per Mozilla level (+ legacy) on local nginx and gnutls-serv: Vigil vs sslscan, testssl.sh, nmap.
# Usage: bench/tls.sh [rounds] [rounds for testssl.sh and nmap]   (apt-get install nginx gnutls-bin sslscan testssl.sh nmap)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
mkdir -p target
build
for tool in nginx gnutls-serv sslscan; do need "$tool" "apt-get install nginx gnutls-bin sslscan testssl.sh nmap"; done
exec java -cp "$(test_classpath)" dev.vigil.bench.TlsBenchmark "${1:-7}" "${2:-3}"
