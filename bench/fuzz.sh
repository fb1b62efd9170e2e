#!/usr/bin/env bash
# Real fuzzing (Jazzer) of every parser target for a given time each; findings land in the regression corpus.
# Usage: bench/fuzz.sh [seconds-per-target=60]
set -uo pipefail
cd "$(dirname "$0")/.."
for target in sopsYaml sopsJson sopsDotenv sopsIni sopsBinary observatoryHeaders tlsServerFlight; do
  echo "== $target"
  JAZZER_FUZZ=1 ./mvnw -q -B -o test -Dtest="ParserFuzzTest#$target" -Djazzer.max_duration="${1:-60}s" 2>&1 \
    | grep -E "Done [0-9]+ runs|== Java Exception|FuzzTestFinding|crash-" | tail -4
done
