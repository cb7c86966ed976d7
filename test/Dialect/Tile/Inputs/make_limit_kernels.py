"""Writes kernels past the front end's limits (docs/limits.md) into a folder.

deep-parens.mlir, deep-cdiv.mlir: grids nested 100 levels deep, past
kMaxGridNesting (include/ssdc/Dialect/Tile/IR/GridExpr.h); a recursive parser
without a limit overflows its stack on such grids 14000 deep,
which the input nesting limit (test/Compiler/source-limits.test) stops first.
space-2-20.mlir, space-2-62.mlir: tuning spaces of 2^20 and 2^62 configs,
past kMaxTuningConfigs (include/ssdc/Dialect/Tile/IR/Tile.h); enumerating
them hangs or exhausts memory.
long-grid.mlir, deep-grid.mlir: grids whose postfix form is longer than the
package holds or deeper than the runtime evaluates (include/ssdc/Runtime/
Package.h: kMaxExprNodes, kMaxExprDepth).
many-args.mlir, many-params.mlir, many-candidates.mlir: past the package's
kMaxArgs, kMaxParams and kMaxParamValues.
"""
import pathlib
import sys

out = pathlib.Path(sys.argv[1])
depth = 100
body = "{\n}\n"
(out / "deep-parens.mlir").write_text(
    "tile.kernel @deep(%n: i64) grid (" + "(" * depth + "%n" + ")" * depth + ") " + body)
(out / "deep-cdiv.mlir").write_text(
    "tile.kernel @deep(%n: i64) grid (" + "cdiv(" * depth + "%n" + ", 2)" * depth + ") " + body)
for bits in (20, 62):
    params = ", ".join(f"P{i} in [1, 2] = 1" for i in range(bits))
    (out / f"space-2-{bits}.mlir").write_text(
        f"tile.kernel @space(%n: i64) params [{params}] grid (%n) " + body)

primes = [p for p in range(2, 1000) if all(p % q for q in range(2, p))][:70]
(out / "long-grid.mlir").write_text(
    "tile.kernel @long(%n: i64) grid (" + " + ".join(f"%n mod {p}" for p in primes) + ") " + body)
# MLIR distributes the products over the sums: 16 levels need 31 values.
(out / "deep-grid.mlir").write_text("tile.kernel @deep(%n: i64, %m: i64) grid (" +
                                    "%n * (%m + " * 16 + "%n" + ")" * 16 + ") " + body)
args = ", ".join(f"%a{i}: i64" for i in range(257))
(out / "many-args.mlir").write_text(f"tile.kernel @args({args}) grid (1) " + body)
params = ", ".join(f"P{i} in [1] = 1" for i in range(65))
(out / "many-params.mlir").write_text(f"tile.kernel @params(%n: i64) params [{params}] grid (%n) " +
                                      body)
values = ", ".join(str(v) for v in range(1, 4098))
(out / "many-candidates.mlir").write_text(
    f"tile.kernel @candidates(%n: i64) params [P in [{values}] = 1] grid (%n) " + body)
