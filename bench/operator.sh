#!/usr/bin/env bash
# The packaged operator at scale on the CRUD mock API server with a local nginx: N Ingresses graded per probe
# concurrency (fresh process each), then N SealedSecrets; cycle time, heap after GC, RSS, Secret latency p50/p99.
# Usage: bench/operator.sh [N] [concurrency...]   (default 1000 16 64 256; needs nginx)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -o package -DskipTests 2>/dev/null || ./mvnw -q -B package -DskipTests
./mvnw -q -B -o dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null
exec java ${BENCH_JAVA_OPTS:-} -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" dev.vigil.it.OperatorScaleBenchmark "$@"
