#!/usr/bin/env bash
# Mutation testing (PIT) of the pure packages by the unit tests alone: prints the kill rate per package and in total.
# A figure, not a CI gate: it runs every unit test against each of ~1,700 mutants (tens of minutes on 2 cores).
# Usage: bench/mutation.sh [extra Maven flags]
# Which classes and which tests is the pitest-maven configuration in pom.xml (edit it there to narrow a run: the
# pom's lists take precedence over -DtargetClasses). The HTML report lands in target/pit-reports/index.html, the
# raw results in target/pit-reports/mutations.xml.
set -euo pipefail
cd "$(dirname "$0")/.."
log=target/mutation.log
mkdir -p target
# Offline first; a fresh machine has neither the project's dependencies nor the PIT plugin, so fall back to a normal
# build that downloads them, and say so instead of failing silently.
if ! ./mvnw -q -B -o test-compile >"$log" 2>&1; then
  echo "offline build failed (dependencies not in ~/.m2 yet?); building with downloads" >&2
  ./mvnw -q -B test-compile >"$log" 2>&1 || { echo "build failed, see $log" >&2; tail -20 "$log" >&2; exit 1; }
fi
pit=(org.pitest:pitest-maven:mutationCoverage -DtimestampedReports=false "$@")
if ! ./mvnw -B -o "${pit[@]}" >>"$log" 2>&1; then
  if grep -q -e 'Cannot access' -e 'offline mode' -e 'was not found in' -e 'resolve plugin' "$log"; then
    echo "PIT plugin not in ~/.m2 yet; fetching it (org.pitest:pitest-maven 1.30.2, pitest-junit5-plugin 1.2.3)" >&2
    ./mvnw -B "${pit[@]}" >>"$log" 2>&1 || { echo "PIT failed, see $log" >&2; tail -30 "$log" >&2; exit 1; }
  else
    echo "PIT failed, see $log" >&2
    tail -30 "$log" >&2
    exit 1
  fi
fi
exec java -cp target/test-classes dev.vigil.bench.MutationReport target/pit-reports/mutations.xml
