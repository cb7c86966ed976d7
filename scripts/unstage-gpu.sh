#!/usr/bin/env bash
# Undoes the compression scripts/stage-gpu.sh applies when stage/ would carry
# more than 64 MiB (the SSD library embeds every kernel instance for three
# chips): gunzips stage/lib, stage/ssd-packages, stage/packages and stage/bench
# in place.
# Idempotent; the GPU scripts that read them call it first.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
for dir in "$root/stage/lib" "$root/stage/ssd-packages" "$root/stage/packages" "$root/stage/bench"; do
  if [ -d "$dir" ]; then
    find "$dir" -name '*.gz' -type f -print0 | xargs -0 -r gzip -d -f
  fi
done
