#!/usr/bin/env bash
# Installs age's reference implementation (npm age-encryption, typage) into target/npm-age-reference for the
# tests that check interoperability with it, and prints that directory. Never shipped.
set -euo pipefail
cd "$(dirname "$0")/../../../.."
dir=target/npm-age-reference
mkdir -p "$dir"
cp src/test/npm/age-reference/package.json src/test/npm/age-reference/*.mjs "$dir/"
if [ ! -d "$dir/node_modules/age-encryption" ]; then
  npm install --prefix "$dir" --ignore-scripts --no-audit --no-fund >&2
fi
echo "$PWD/$dir"
