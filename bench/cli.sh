#!/usr/bin/env bash
# Whole-process time of `vigil decrypt` and `vigil scan` (start-up included) before and after the launcher's
# start-up work (java -jar with JVM defaults vs bin/vigil with a CDS archive / JDK 25 AOT cache), beside
# `age -d` and `sslscan` on the same inputs. Medians over ROUNDS runs after one unmeasured run.
# Usage: bench/cli.sh [rounds] [jdk25-home] [earlier-build-quarkus-app]
#   jdk25-home defaults to the first /usr/lib/jvm/*-25* found (skipped if none); the third argument adds an
#   older build's target/quarkus-app (e.g. one packaged from an earlier commit) as a "before" row.
# Needs nginx, age and sslscan (apt-get install nginx age sslscan).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -o package -DskipTests 2>/dev/null || ./mvnw -q -B package -DskipTests
./mvnw -q -B -o dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null
jdk25="${2:-$(ls -d /usr/lib/jvm/*-25* 2>/dev/null | head -1 || true)}"
exec java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" dev.vigil.bench.CliStartBenchmark \
  "${1:-10}" "$jdk25" "${3:-}"
