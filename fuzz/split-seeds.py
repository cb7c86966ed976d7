"""Writes the seed corpus of ssdc-compiler-fuzzer: every .mlir file under the
given directories, split on `// -----` as the lit tests are, each part
without its `//` comment lines (RUN and CHECK lines, prose), into OUT.

    python3 fuzz/split-seeds.py OUT DIR...
"""
import hashlib
import os
import re
import sys

out, roots = sys.argv[1], sys.argv[2:]
os.makedirs(out, exist_ok=True)
count = 0
for root in roots:
    for directory, _, files in sorted(os.walk(root)):
        for name in sorted(f for f in files if f.endswith(".mlir")):
            with open(os.path.join(directory, name)) as f:
                text = f.read()
            for part in re.split(r"^// -----.*$", text, flags=re.M):
                code = "\n".join(l for l in part.splitlines() if not l.lstrip().startswith("//"))
                if not code.strip():
                    continue
                digest = hashlib.sha1(code.encode()).hexdigest()[:16]
                with open(os.path.join(out, digest + ".mlir"), "w") as f:
                    f.write(code.strip() + "\n")
                count += 1
print(f"{count} seeds from {' '.join(roots)}")
