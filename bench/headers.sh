#!/usr/bin/env bash
# Observatory scan time per site over the test nginx sites: Vigil vs MDN's HTTP Observatory (npm, as a library).
# Usage: bench/headers.sh [rounds] [warm-up passes]   (needs nginx, node/npm; run as root: the npm peer can only scan
# ports 80/443). Both scanners get the same warm-up; the first scan of each site is printed as the cold figure.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
mkdir -p target
build
need nginx "apt-get install nginx"
need npm "apt-get install npm, or Node.js from nodejs.org"
peers=$(bench/peers/install.sh)
exec java -cp "$(test_classpath)" dev.vigil.bench.HeaderScanBenchmark "${1:-10}" "$peers" "${2:-40}"
