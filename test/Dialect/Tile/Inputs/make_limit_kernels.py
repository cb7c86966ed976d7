"""Writes kernels past the front end's limits (docs/limits.md) into a folder.

deep-parens.mlir, deep-cdiv.mlir: grids nested 14000 levels deep, far past
kMaxGridNesting (include/ssdc/Dialect/Tile/IR/GridExpr.h); a recursive parser
without a limit overflows its stack on them.
space-2-20.mlir, space-2-62.mlir: tuning spaces of 2^20 and 2^62 configs,
past kMaxTuningConfigs (include/ssdc/Dialect/Tile/IR/Tile.h); enumerating
them hangs or exhausts memory.
"""
import pathlib
import sys

out = pathlib.Path(sys.argv[1])
depth = 14000
body = "{\n}\n"
(out / "deep-parens.mlir").write_text(
    "tile.kernel @deep(%n: i64) grid (" + "(" * depth + "%n" + ")" * depth + ") " + body)
(out / "deep-cdiv.mlir").write_text(
    "tile.kernel @deep(%n: i64) grid (" + "cdiv(" * depth + "%n" + ", 2)" * depth + ") " + body)
for bits in (20, 62):
    params = ", ".join(f"P{i} in [1, 2] = 1" for i in range(bits))
    (out / f"space-2-{bits}.mlir").write_text(
        f"tile.kernel @space(%n: i64) params [{params}] grid (%n) " + body)
