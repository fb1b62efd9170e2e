#!/usr/bin/env bash
# Installs the npm peers (bench/peers/package.json) into target/npm-peers and prints that directory.
# --ignore-scripts: the Observatory's install scripts download CA and HSTS lists from the internet, which this
# machine cannot reach; it gets an empty HSTS preload list, the same one Vigil's side of the benchmark uses.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=target/npm-peers
mkdir -p "$dir"
cp bench/peers/package.json bench/peers/*.mjs "$dir/"
if [ ! -d "$dir/node_modules/@mdn/mdn-http-observatory" ] || [ ! -d "$dir/node_modules/sops-age" ]; then
  npm install --prefix "$dir" --ignore-scripts --no-audit --no-fund >&2
fi
conf="$dir/node_modules/@mdn/mdn-http-observatory/conf/hsts-preload.json"
[ -f "$conf" ] || echo '{}' > "$conf"
echo "$PWD/$dir"
