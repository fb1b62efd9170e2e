#!/usr/bin/env bash
# The packaged operator at scale on the CRUD mock API server with a local nginx: N Ingresses graded per probe
# concurrency (fresh process each), then N SealedSecrets; cycle time, heap after GC, RSS, Secret latency p50/p99.
# Usage: bench/operator.sh [N] [concurrency...]   (default 1000 16 64 256; needs nginx)
# VIGIL_BENCH_SECRETS=M turns M SealedSecrets into Secrets afterwards (default N; 0 skips that half).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
mkdir -p target
build
need nginx "apt-get install nginx"
cp=$(test_classpath)
exec java ${BENCH_JAVA_OPTS:-} -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$cp" dev.vigil.it.OperatorScaleBenchmark "$@"
