"""Writes an .mlir input nested DEPTH levels deep, of one KIND:

  scf-if    nested scf.if regions in a func.func
  attr      nested array attributes
  type      nested tuple types
  grid      nested parentheses in a tile.kernel's grid expression
  comment   deep brackets only inside a comment and a string (not nesting)

Used by source-limits.test: megabyte inputs are made when the test runs.
"""
import sys

kind, depth = sys.argv[1], int(sys.argv[2])
if kind == "scf-if":
    print("func.func @f(%c: i1) {")
    print("scf.if %c {\n" * depth + "}\n" * depth + "return\n}")
elif kind == "attr":
    print('"test.op"() {a = ' + "[" * depth + "]" * depth + "} : () -> ()")
elif kind == "type":
    print("func.func private @f(" + "tuple<" * depth + "i32" + ">" * depth + ")")
elif kind == "grid":
    print("tile.kernel @k(%B: i64) params [] key [] grid (" + "(" * depth + "%B" +
          ")" * depth + ") {\n}")
elif kind == "comment":
    print("// " + "(" * depth)
    print('func.func private @f() attributes {s = "' + "{" * depth + '"}')
else:
    sys.exit("unknown kind " + kind)
