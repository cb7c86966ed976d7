"""Fails unless every diagnostic a doc quotes is one that a test checks.

    check_quoted_diagnostics.py TEST_DIR DOC...

Each line of a DOC that starts with "error: " is a quoted diagnostic; its text,
without the "error: " and the "custom op 'x' " or "'x' op " prefix, must
occur in a file under TEST_DIR (as an expected-error or a CHECK line), so that
the docs never quote a message the compiler does not emit.
"""
import pathlib
import re
import sys

test_dir = pathlib.Path(sys.argv[1])
tests = [p.read_text(errors="replace") for p in test_dir.rglob("*") if p.is_file()]
missing = []
for doc in map(pathlib.Path, sys.argv[2:]):
    for line in doc.read_text().splitlines():
        line = line.strip().strip("`")
        if not line.startswith("error: "):
            continue
        text = re.sub(r"^error: (custom op '[^']*' |'[^']*' op )?", "", line)
        if not any(text in test for test in tests):
            missing.append(f"{doc.name} quotes a diagnostic no test checks: {line}")
print("\n".join(missing))
sys.exit(1 if missing else 0)
