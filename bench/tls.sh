#!/usr/bin/env bash
# Full TLS enumeration of issue 18's lab (21 local endpoints: nginx, gnutls-serv, Bouncy Castle servers): Vigil vs sslscan
# per endpoint, interleaved; the median and worst ratio. testssl.sh and nmap join when the second argument is above 0.
# Usage: bench/tls.sh [rounds] [rounds for testssl.sh and nmap, default 0] [warm-up passes, default 10]
#   (apt-get install nginx gnutls-bin sslscan)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
mkdir -p target
build
for tool in nginx gnutls-serv sslscan; do need "$tool" "apt-get install nginx gnutls-bin sslscan testssl.sh nmap"; done
exec java -cp "$(test_classpath)" dev.vigil.bench.TlsBenchmark "${1:-7}" "${2:-0}" "${3:-10}"
