#!/usr/bin/env bash
# Fails, listing the files, when any tracked C or C++ file differs from what
# clang-format (the repository's .clang-format) makes of it. Run
# `git ls-files '*.c' '*.cpp' '*.h' | xargs clang-format -i` to fix.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
format=$(command -v clang-format-14 || command -v clang-format) ||
  { echo "check-format: clang-format is not installed" >&2; exit 1; }
unformatted=()
while IFS= read -r -d '' file; do
  "$format" --dry-run --Werror "$file" >/dev/null 2>&1 || unformatted+=("$file")
done < <(git ls-files -z '*.c' '*.cpp' '*.h')
if [ ${#unformatted[@]} -gt 0 ]; then
  printf 'check-format: not formatted: %s\n' "${unformatted[@]}" >&2
  exit 1
fi
echo "check-format: every tracked C/C++ file is formatted"
