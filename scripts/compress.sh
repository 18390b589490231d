#!/usr/bin/env bash
# Writes NAME.br (brotli -q 11) and NAME.gz (gzip -9) beside every text or wasm file of a build and
# the route pages' chunk packs (.bin), so the server sends exactly the bytes `make bench` measures
# and never compresses a file per request.
set -euo pipefail
dir=${1:-dist}
find "$dir" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.html' \
  -o -name '*.svg' -o -name '*.json' -o -name '*.bin' \) -print0 |
  while IFS= read -r -d '' file; do
    brotli -f -q 11 -o "$file.br" "$file"
    gzip -9 -n -c "$file" >"$file.gz"
  done
