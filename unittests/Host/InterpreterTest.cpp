//===- InterpreterTest.cpp - the host interpreter's semantics and errors -===//
#include "ssdc/Target/Host/Interpreter.h"
#include "ssdc/InitAll.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace mlir;
using namespace ssdc;
using namespace ssdc::host;

namespace {
/// Parses one kernel and records the diagnostics of running it.
class InterpreterTest : public testing::Test {
protected:
  InterpreterTest()
      : context([] {
          DialectRegistry registry;
          registerAllDialects(registry);
          return registry;
        }()),
        handler(&context, [this](Diagnostic &diag) {
          auto loc = dyn_cast<FileLineColLoc>(diag.getLocation());
          messages.push_back({diag.str(), loc ? static_cast<int>(loc.getLine()) : -1});
          for (const Diagnostic &note : diag.getNotes())
            notes.push_back(note.str());
          return success();
        }) {}

  tile::KernelOp parse(StringRef source) {
    module = parseSourceString<ModuleOp>(source, &context, "test.mlir");
    if (!module)
      return {};
    return *module->getOps<tile::KernelOp>().begin();
  }

  struct Message {
    std::string text;
    int line;
  };
  MLIRContext context;
  ScopedDiagnosticHandler handler;
  OwningOpRef<ModuleOp> module;
  std::vector<Message> messages;
  std::vector<std::string> notes;
};

HostBuffer iota(int64_t count) {
  HostBuffer buffer(pkg::ElemType::F32, count);
  for (int64_t i = 0; i < count; ++i)
    buffer.storeFloat(i, static_cast<double>(i + 1));
  return buffer;
}

// Copies 16 elements; %n bounds the load (or not, when the bound is left out).
constexpr const char *kCopy16 = R"mlir(
tile.kernel @copy(%in: !tile.buffer<f32, read>, %out: !tile.buffer<f32, write>, %n: i64)
    grid (1) {
  %zero = arith.constant 0 : index
  %one = arith.constant 1 : index
  %bound = arith.index_cast %n : i64 to index
  %t = tile.load %in[%zero] at (%zero) strides (%one) BOUNDS
      : !tile.buffer<f32, read> -> tensor<16xf32>
  tile.store %t, %out[%zero] at (%zero) strides (%one) : tensor<16xf32>, !tile.buffer<f32, write>
}
)mlir";

std::string copyKernel(StringRef bounds) {
  std::string text = kCopy16;
  text.replace(text.find("BOUNDS"), 6, bounds.str());
  return text;
}

TEST_F(InterpreterTest, LoadPastTheBufferIsAnErrorNamingOpIndexAndLine) {
  tile::KernelOp kernel = parse(copyKernel(""));
  ASSERT_TRUE(kernel);
  HostBuffer in = iota(10), out(pkg::ElemType::F32, 16);
  EXPECT_TRUE(failed(runKernel(
      kernel, {HostArgument::ofBuffer(in), HostArgument::ofBuffer(out), HostArgument::ofInt(10)})));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].text,
            "'tile.load' op reads element 10 of %in (argument 0), a buffer of 10 elements: tile "
            "element (10) is live (inside the bounds and the mask) but outside the buffer");
  EXPECT_EQ(messages[0].line, 7);
  EXPECT_TRUE(llvm::is_contained(notes, "in program (0) of grid (1) of @copy"));
}

// out[0] = x where x is a float scalar argument of type TYPE, widened to f32.
constexpr const char *kStoreScalar = R"mlir(
tile.kernel @store_scalar(%out: !tile.buffer<f32, write>, %x: TYPE) grid (1) {
  %zero = arith.constant 0 : index
  %one = arith.constant 1 : index
  %wide = WIDEN
  %t = tile.splat %wide : f32 -> tensor<1xf32>
  tile.store %t, %out[%zero] at (%zero) strides (%one) : tensor<1xf32>, !tile.buffer<f32, write>
}
)mlir";

std::string storeScalarKernel(StringRef type) {
  std::string text = kStoreScalar;
  text.replace(text.find("TYPE"), 4, type.str());
  std::string widen = type == "f32" ? "arith.addf %x, %x : f32" // 2x, to see it was used
                                    : ("arith.extf %x : " + type + " to f32").str();
  text.replace(text.find("WIDEN"), 5, widen);
  return text;
}

TEST_F(InterpreterTest, FloatScalarArgumentsAreRoundedIntoTheirType) {
  struct Case {
    const char *type;
    double given, stored;
  };
  for (Case c : {Case{"f32", 0.1, 2.0 * static_cast<float>(0.1)}, Case{"f32", -INFINITY, -INFINITY},
                 Case{"f16", 0.1, 0.0999755859375}, Case{"bf16", 1.0 / 3, 0.333984375}}) {
    tile::KernelOp kernel = parse(storeScalarKernel(c.type));
    ASSERT_TRUE(kernel) << c.type;
    HostBuffer out(pkg::ElemType::F32, 1);
    ASSERT_TRUE(
        succeeded(runKernel(kernel, {HostArgument::ofBuffer(out), HostArgument::ofFloat(c.given)})))
        << c.type;
    EXPECT_EQ(out.loadFloat(0), c.stored) << c.type << " " << c.given;
  }
}

TEST_F(InterpreterTest, FloatScalarArgumentsAreChecked) {
  tile::KernelOp kernel = parse(storeScalarKernel("f16"));
  ASSERT_TRUE(kernel);
  HostBuffer out(pkg::ElemType::F32, 1);
  EXPECT_TRUE(failed(runKernel(kernel, {HostArgument::ofBuffer(out), HostArgument::ofInt(1)})));
  EXPECT_TRUE(failed(runKernel(kernel, {HostArgument::ofBuffer(out), HostArgument::ofFloat(1e5)})));
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].text,
            "argument 1 of @store_scalar is a float ('f16') but was given an integer");
  EXPECT_EQ(messages[1].text,
            "argument 1 of @store_scalar is 'f16' but was given 1.000000e+05, which rounds to "
            "infinity in it");
}

TEST_F(InterpreterTest, ElementsOutsideTheBoundsAreNotReadAndTakeOther) {
  tile::KernelOp kernel = parse(copyKernel("bounds (%bound)"));
  ASSERT_TRUE(kernel);
  HostBuffer in = iota(10), out(pkg::ElemType::F32, 16);
  ASSERT_TRUE(succeeded(runKernel(
      kernel, {HostArgument::ofBuffer(in), HostArgument::ofBuffer(out), HostArgument::ofInt(10)})));
  for (int64_t i = 0; i < 16; ++i)
    EXPECT_EQ(out.loadFloat(i), i < 10 ? i + 1.0 : 0.0) << i;
}

TEST_F(InterpreterTest, MaskedOffElementsAreNotReadAndTakeOther) {
  tile::KernelOp kernel = parse(R"mlir(
tile.kernel @masked(%in: !tile.buffer<f32, read>, %out: !tile.buffer<f32, write>, %n: i64)
    grid (1) {
  %zero = arith.constant 0 : index
  %one = arith.constant 1 : index
  %bound = arith.index_cast %n : i64 to index
  %r = tile.range : tensor<16xindex>
  %limit = tile.splat %bound : index -> tensor<16xindex>
  %m = arith.cmpi slt, %r, %limit : tensor<16xindex>
  %t = tile.load %in[%zero] at (%zero) strides (%one) mask %m : tensor<16xi1> other -2.5 : f32
      : !tile.buffer<f32, read> -> tensor<16xf32>
  tile.store %t, %out[%zero] at (%zero) strides (%one) : tensor<16xf32>, !tile.buffer<f32, write>
}
)mlir");
  ASSERT_TRUE(kernel);
  HostBuffer in = iota(5), out(pkg::ElemType::F32, 16);
  ASSERT_TRUE(succeeded(runKernel(
      kernel, {HostArgument::ofBuffer(in), HostArgument::ofBuffer(out), HostArgument::ofInt(5)})));
  for (int64_t i = 0; i < 16; ++i)
    EXPECT_EQ(out.loadFloat(i), i < 5 ? i + 1.0 : -2.5) << i;
}

TEST_F(InterpreterTest, StorePastTheBufferIsAnErrorNamingOpAndIndex) {
  tile::KernelOp kernel = parse(copyKernel("bounds (%bound)"));
  ASSERT_TRUE(kernel);
  HostBuffer in = iota(16), out(pkg::ElemType::F32, 12);
  EXPECT_TRUE(failed(runKernel(
      kernel, {HostArgument::ofBuffer(in), HostArgument::ofBuffer(out), HostArgument::ofInt(16)})));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].text,
            "'tile.store' op writes element 12 of %out (argument 1), a buffer of 12 elements: tile "
            "element (12) is live (inside the bounds and the mask) but outside the buffer");
  EXPECT_EQ(messages[0].line, 9);
}

// load_scalar reads the element at its index into every program; an index
// outside the buffer is a located error, not a read.
constexpr const char *kScalarGather = R"mlir(
tile.kernel @gather(%a: !tile.buffer<f32, read>, %out: !tile.buffer<f32, write>, %n: i64)
    grid (%n) {
  %c1 = arith.constant 1 : index
  %p = tile.program_id 0
  %twice = arith.addi %p, %p : index
  %x = tile.load_scalar %a[%twice] : !tile.buffer<f32, read> -> f32
  %t = tile.splat %x : f32 -> tensor<1xf32>
  tile.store %t, %out[%p] at (%p) strides (%c1) : tensor<1xf32>, !tile.buffer<f32, write>
}
)mlir";

TEST_F(InterpreterTest, LoadScalarReadsOneElementAndChecksItsIndex) {
  tile::KernelOp kernel = parse(kScalarGather);
  ASSERT_TRUE(kernel);
  HostBuffer a = iota(6), out(pkg::ElemType::F32, 6);
  ASSERT_TRUE(succeeded(runKernel(
      kernel, {HostArgument::ofBuffer(a), HostArgument::ofBuffer(out), HostArgument::ofInt(3)})));
  // Program p stores a[2p] at position 2p (base p, offset p).
  EXPECT_EQ(out.loadFloat(0), 1);
  EXPECT_EQ(out.loadFloat(2), 3);
  EXPECT_EQ(out.loadFloat(4), 5);
  EXPECT_TRUE(messages.empty());
  HostBuffer wide(pkg::ElemType::F32, 8);
  EXPECT_TRUE(failed(runKernel(
      kernel, {HostArgument::ofBuffer(a), HostArgument::ofBuffer(wide), HostArgument::ofInt(4)})));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].text, "'tile.load_scalar' op reads element 6 of %a (argument 0), a buffer "
                              "of 6 elements: tile element () is live (inside the bounds and the "
                              "mask) but outside the buffer");
  EXPECT_EQ(messages[0].line, 7);
}

TEST_F(InterpreterTest, MeasuringSizesRunsAgainstUnboundedBuffersAndWritesNothing) {
  tile::KernelOp kernel = parse(copyKernel("bounds (%bound)"));
  ASSERT_TRUE(kernel);
  HostBuffer in = iota(16);
  FailureOr<SmallVector<int64_t>> sizes = measureBufferSizes(
      kernel, {HostArgument::ofBuffer(in), HostArgument(), HostArgument::ofInt(9)});
  ASSERT_TRUE(succeeded(sizes));
  EXPECT_EQ(*sizes, (SmallVector<int64_t>{9, 16, 0}));
}

TEST_F(InterpreterTest, UnsupportedOpIsALocatedError) {
  tile::KernelOp kernel = parse(R"mlir(
tile.kernel @sine(%out: !tile.buffer<f32, write>) grid (1) {
  %zero = arith.constant 0 : index
  %one = arith.constant 1 : index
  %x = arith.constant dense<1.0> : tensor<4xf32>
  %s = math.sin %x : tensor<4xf32>
  tile.store %s, %out[%zero] at (%zero) strides (%one) : tensor<4xf32>, !tile.buffer<f32, write>
}
)mlir");
  ASSERT_TRUE(kernel);
  HostBuffer out(pkg::ElemType::F32, 4);
  EXPECT_TRUE(failed(runKernel(kernel, {HostArgument::ofBuffer(out)})));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].text, "'math.sin' op is not supported by the host interpreter");
  EXPECT_EQ(messages[0].line, 6);
}

TEST_F(InterpreterTest, UnsupportedTypeIsALocatedErrorBeforeAnythingRuns) {
  tile::KernelOp kernel = parse(R"mlir(
tile.kernel @vectors(%out: !tile.buffer<f32, write>) grid (1) {
  %zero = arith.constant 0 : index
  %one = arith.constant 1 : index
  %t = arith.constant dense<1.0> : tensor<4xf32>
  tile.store %t, %out[%zero] at (%zero) strides (%one) : tensor<4xf32>, !tile.buffer<f32, write>
  %v = arith.constant dense<1.0> : vector<4xf32>
}
)mlir");
  ASSERT_TRUE(kernel);
  HostBuffer out(pkg::ElemType::F32, 4);
  EXPECT_TRUE(failed(runKernel(kernel, {HostArgument::ofBuffer(out)})));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].text, "'arith.constant' op is not supported by the host interpreter: "
                              "values of type 'vector<4xf32>' are not");
  EXPECT_EQ(messages[0].line, 7);
  EXPECT_EQ(out.loadFloat(0), 0.0) << "nothing runs before the kernel is checked";
}

TEST_F(InterpreterTest, UnspecializedKernelIsRejected) {
  tile::KernelOp kernel = parse(R"mlir(
tile.kernel @generic(%out: !tile.buffer<f32, write>) params [BLOCK in [16, 32] = 16]
    grid (1) {
  %zero = arith.constant 0 : index
  %one = arith.constant 1 : index
  %x = arith.constant 1.0 : f32
  %t = tile.splat %x : f32 -> tensor<?xf32, #tile.dims<BLOCK>>
  tile.store %t, %out[%zero] at (%zero) strides (%one)
      : tensor<?xf32, #tile.dims<BLOCK>>, !tile.buffer<f32, write>
}
)mlir");
  ASSERT_TRUE(kernel);
  HostBuffer out(pkg::ElemType::F32, 32);
  EXPECT_TRUE(failed(runKernel(kernel, {HostArgument::ofBuffer(out)})));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_NE(messages[0].text.find("run tile-specialize"), std::string::npos) << messages[0].text;
}

TEST_F(InterpreterTest, GridIsEvaluatedByTheRuntimesEvaluator) {
  tile::KernelOp kernel = parse(R"mlir(
tile.kernel @wide(%n: i64) grid (%n * 4, 2) {
}
)mlir");
  ASSERT_TRUE(kernel);
  FailureOr<SmallVector<int64_t, 3>> grid = evaluateGrid(kernel, {HostArgument::ofInt(3)});
  ASSERT_TRUE(succeeded(grid));
  EXPECT_EQ(*grid, (SmallVector<int64_t, 3>{12, 2}));
  // An argument that makes the grid overflow is reported with the runtime's
  // message, as a launch of the same kernel reports it.
  EXPECT_TRUE(failed(evaluateGrid(kernel, {HostArgument::ofInt(int64_t(1) << 62)})));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_NE(messages[0].text.find("grid axis 0 of @wide: grid expression overflows 64 bits "
                                  "computing 4611686018427387904 and 4"),
            std::string::npos)
      << messages[0].text;
}

TEST_F(InterpreterTest, LoopThatNeverEndsHitsTheOperationLimit) {
  tile::KernelOp kernel = parse(R"mlir(
tile.kernel @forever(%out: !tile.buffer<f32, write>) grid (1) {
  %true = arith.constant true
  scf.while : () -> () {
    scf.condition(%true)
  } do {
    scf.yield
  }
}
)mlir");
  ASSERT_TRUE(kernel);
  HostBuffer out(pkg::ElemType::F32, 1);
  InterpreterOptions options;
  options.maxOpsPerProgram = 1000;
  EXPECT_TRUE(failed(runKernel(kernel, {HostArgument::ofBuffer(out)}, options)));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].text, "'scf.while' op is past the limit of 1000 operations per program; "
                              "does a loop not terminate?");
}

TEST_F(InterpreterTest, DivisionByZeroIsAnError) {
  tile::KernelOp kernel = parse(R"mlir(
tile.kernel @divide(%out: !tile.buffer<i64, write>, %d: i64) grid (1) {
  %zero = arith.constant 0 : index
  %one = arith.constant 1 : index
  %seven = arith.constant 7 : i64
  %q = arith.divsi %seven, %d : i64
  %t = tile.splat %q : i64 -> tensor<1xi64>
  tile.store %t, %out[%zero] at (%zero) strides (%one) : tensor<1xi64>, !tile.buffer<i64, write>
}
)mlir");
  ASSERT_TRUE(kernel);
  HostBuffer out(pkg::ElemType::I64, 1);
  EXPECT_TRUE(failed(runKernel(kernel, {HostArgument::ofBuffer(out), HostArgument::ofInt(0)})));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].text, "'arith.divsi' op divides by zero (7 and 0)");
}

// cumsum, reduce, dot, exp with clamp, scf.for with a tile carried, select,
// broadcast and f16 rounding, each against values worked out by hand.
TEST_F(InterpreterTest, FloatOpsComputeTheirDocumentedValues) {
  tile::KernelOp kernel = parse(R"mlir(
tile.kernel @floats(%x: !tile.buffer<f32, read>, %out: !tile.buffer<f32, write>) grid (1) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %v = tile.load %x[%c0] at (%c0) strides (%c1) : !tile.buffer<f32, read> -> tensor<4xf32>
  %cs = tile.cumsum %v along 0 : tensor<4xf32>
  tile.store %cs, %out[%c0] at (%c0) strides (%c1) : tensor<4xf32>, !tile.buffer<f32, write>
  %sum = tile.reduce sum %v along 0 : tensor<4xf32> -> f32
  %max = tile.reduce max %v along 0 : tensor<4xf32> -> f32
  %sums = tile.splat %sum : f32 -> tensor<1xf32>
  %maxs = tile.splat %max : f32 -> tensor<1xf32>
  tile.store %sums, %out[%c4] at (%c0) strides (%c1) : tensor<1xf32>, !tile.buffer<f32, write>
  %c5 = arith.constant 5 : index
  tile.store %maxs, %out[%c5] at (%c0) strides (%c1) : tensor<1xf32>, !tile.buffer<f32, write>
  %m = tile.load %x[%c0] at (%c0, %c0) strides (%c2, %c1) : !tile.buffer<f32, read> -> tensor<2x2xf32>
  %zeros = arith.constant dense<0.0> : tensor<2x2xf32>
  %d = tile.dot %m, %m, %zeros : tensor<2x2xf32>, tensor<2x2xf32> -> tensor<2x2xf32>
  %c6 = arith.constant 6 : index
  tile.store %d, %out[%c6] at (%c0, %c0) strides (%c2, %c1) : tensor<2x2xf32>, !tile.buffer<f32, write>
  %half = arith.constant dense<2.5> : tensor<4xf32>
  %shifted = arith.subf %v, %half : tensor<4xf32>
  %clamped = tile.exp %shifted clamp : tensor<4xf32>
  %c10 = arith.constant 10 : index
  tile.store %clamped, %out[%c10] at (%c0) strides (%c1) : tensor<4xf32>, !tile.buffer<f32, write>
  %init = arith.constant dense<0.0> : tensor<4xf32>
  %acc = scf.for %i = %c0 to %c4 step %c1 iter_args(%a = %init) -> (tensor<4xf32>) {
    %next = arith.addf %a, %v : tensor<4xf32>
    scf.yield %next : tensor<4xf32>
  }
  %c14 = arith.constant 14 : index
  tile.store %acc, %out[%c14] at (%c0) strides (%c1) : tensor<4xf32>, !tile.buffer<f32, write>
  %big = arith.cmpf ogt, %v, %half : tensor<4xf32>
  %neg = arith.negf %v : tensor<4xf32>
  %chosen = arith.select %big, %v, %neg : tensor<4xi1>, tensor<4xf32>
  %c18 = arith.constant 18 : index
  tile.store %chosen, %out[%c18] at (%c0) strides (%c1) : tensor<4xf32>, !tile.buffer<f32, write>
  %wide = tile.broadcast %v [1] : tensor<4xf32> -> tensor<4x2xf32>
  %c22 = arith.constant 22 : index
  tile.store %wide, %out[%c22] at (%c0, %c0) strides (%c2, %c1) : tensor<4x2xf32>, !tile.buffer<f32, write>
  %three = arith.constant dense<3.0> : tensor<4xf32>
  %third = arith.divf %v, %three : tensor<4xf32>
  %h = arith.truncf %third : tensor<4xf32> to tensor<4xf16>
  %back = arith.extf %h : tensor<4xf16> to tensor<4xf32>
  %c30 = arith.constant 30 : index
  tile.store %back, %out[%c30] at (%c0) strides (%c1) : tensor<4xf32>, !tile.buffer<f32, write>
  %min = tile.reduce min %v along 0 : tensor<4xf32> -> f32
  %prod = tile.reduce prod %v along 0 : tensor<4xf32> -> f32
  %mins = tile.splat %min : f32 -> tensor<1xf32>
  %prods = tile.splat %prod : f32 -> tensor<1xf32>
  %c34 = arith.constant 34 : index
  %c35 = arith.constant 35 : index
  tile.store %mins, %out[%c34] at (%c0) strides (%c1) : tensor<1xf32>, !tile.buffer<f32, write>
  tile.store %prods, %out[%c35] at (%c0) strides (%c1) : tensor<1xf32>, !tile.buffer<f32, write>
  %c36 = arith.constant 36 : index
  %mt = tile.transpose %m : tensor<2x2xf32> -> tensor<2x2xf32>
  tile.store %mt, %out[%c36] at (%c0, %c0) strides (%c2, %c1) : tensor<2x2xf32>, !tile.buffer<f32, write>
}
)mlir");
  ASSERT_TRUE(kernel);
  HostBuffer x = iota(4), out(pkg::ElemType::F32, 40);
  ASSERT_TRUE(
      succeeded(runKernel(kernel, {HostArgument::ofBuffer(x), HostArgument::ofBuffer(out)})))
      << (messages.empty() ? "" : messages[0].text);
  std::vector<double> expected = {
      1,
      3,
      6,
      10, // cumsum
      10,
      4, // reduce sum, max
      7,
      10,
      15,
      22, // [[1,2],[3,4]]^2
      static_cast<float>(std::exp(-1.5)),
      static_cast<float>(std::exp(-0.5)),
      1,
      1, // clamped exp
      4,
      8,
      12,
      16, // four loop iterations
      -1,
      -2,
      3,
      4, // select(v > 2.5, v, -v)
      1,
      1,
      2,
      2,
      3,
      3,
      4,
      4, // broadcast along a new axis 1
      0.333251953125,
      0.66650390625,
      1,
      1.3330078125, // v / 3 rounded to f16
      1,
      24, // reduce min, prod
      1,
      3,
      2,
      4, // [[1,2],[3,4]] transposed
  };
  for (size_t i = 0; i < expected.size(); ++i)
    EXPECT_EQ(out.loadFloat(i), expected[i]) << "element " << i;
}

// The activations and log1p/tanh at the ends of their ranges, where the
// naive formulas fail: softplus(-40) is exp(-40), not log(1 + exp(-40)) = 0;
// softplus(100) is 100, not inf; silu(-inf) is -0, not -inf / inf.
TEST_F(InterpreterTest, ActivationsAreAccurateAtTheEndsOfTheirRange) {
  tile::KernelOp kernel = parse(R"mlir(
tile.kernel @activations(%x: !tile.buffer<f32, read>, %out: !tile.buffer<f32, write>) grid (1) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c6 = arith.constant 6 : index
  %c12 = arith.constant 12 : index
  %c18 = arith.constant 18 : index
  %c24 = arith.constant 24 : index
  %v = tile.load %x[%c0] at (%c0) strides (%c1) : !tile.buffer<f32, read> -> tensor<6xf32>
  %sp = tile.softplus %v : tensor<6xf32>
  %sg = tile.sigmoid %v : tensor<6xf32>
  %si = tile.silu %v : tensor<6xf32>
  %lp = math.log1p %v : tensor<6xf32>
  %th = math.tanh %v : tensor<6xf32>
  tile.store %sp, %out[%c0] at (%c0) strides (%c1) : tensor<6xf32>, !tile.buffer<f32, write>
  tile.store %sg, %out[%c6] at (%c0) strides (%c1) : tensor<6xf32>, !tile.buffer<f32, write>
  tile.store %si, %out[%c12] at (%c0) strides (%c1) : tensor<6xf32>, !tile.buffer<f32, write>
  tile.store %lp, %out[%c18] at (%c0) strides (%c1) : tensor<6xf32>, !tile.buffer<f32, write>
  tile.store %th, %out[%c24] at (%c0) strides (%c1) : tensor<6xf32>, !tile.buffer<f32, write>
}
)mlir");
  ASSERT_TRUE(kernel);
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> inputs = {-inf, -40, -1e-6, 0.5, 100, inf};
  HostBuffer x(pkg::ElemType::F32, 6), out(pkg::ElemType::F32, 30);
  for (size_t i = 0; i < inputs.size(); ++i)
    x.storeFloat(i, inputs[i]);
  ASSERT_TRUE(
      succeeded(runKernel(kernel, {HostArgument::ofBuffer(x), HostArgument::ofBuffer(out)})))
      << (messages.empty() ? "" : messages[0].text);
  auto f32 = [](double value) { return static_cast<double>(static_cast<float>(value)); };
  double tiny = x.loadFloat(2); // -1e-6 in f32
  std::vector<double> expected = {
      0,
      f32(std::exp(-40.0)),
      f32(std::log1p(std::exp(tiny))),
      f32(0.5 + std::log1p(std::exp(-0.5))),
      100,
      inf, // softplus
      0,
      f32(1 / (1 + std::exp(40.0))),
      f32(1 / (1 + std::exp(-tiny))),
      f32(1 / (1 + std::exp(-0.5))),
      1,
      1, // sigmoid
      -0.0,
      f32(-40 / (1 + std::exp(40.0))),
      f32(tiny / (1 + std::exp(-tiny))),
      f32(0.5 / (1 + std::exp(-0.5))),
      100,
      inf, // silu
      std::nan(""),
      std::nan(""),
      f32(std::log1p(tiny)),
      f32(std::log1p(0.5)),
      f32(std::log1p(100.0)),
      inf, // log1p
      -1,
      -1,
      f32(std::tanh(tiny)),
      f32(std::tanh(0.5)),
      1,
      1, // tanh
  };
  for (size_t i = 0; i < expected.size(); ++i) {
    if (std::isnan(expected[i])) {
      EXPECT_TRUE(std::isnan(out.loadFloat(i))) << "element " << i;
      continue;
    }
    EXPECT_EQ(out.loadFloat(i), expected[i]) << "element " << i;
    EXPECT_EQ(std::signbit(out.loadFloat(i)), std::signbit(expected[i])) << "element " << i;
  }
}

// Integer division rounding, scf.while and scf.if, program ids and wrapping
// to 32 bits.
TEST_F(InterpreterTest, IntegerOpsComputeTheirDocumentedValues) {
  tile::KernelOp kernel = parse(R"mlir(
tile.kernel @ints(%out: !tile.buffer<i64, write>, %n: i64) grid (2) {
  %pid = tile.program_id 0
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0 : i64
  %one = arith.constant 1 : i64
  %base = arith.muli %pid, %c8 : index
  %r = tile.range : tensor<4xi64>
  %ns = tile.splat %n : i64 -> tensor<4xi64>
  %shifted = arith.subi %r, %ns : tensor<4xi64>
  %two = arith.constant dense<2> : tensor<4xi64>
  %floor = arith.floordivsi %shifted, %two : tensor<4xi64>
  tile.store %floor, %out[%base] at (%c0) strides (%c1) : tensor<4xi64>, !tile.buffer<i64, write>
  %count = scf.while (%i = %zero) : (i64) -> i64 {
    %go = arith.cmpi slt, %i, %n : i64
    scf.condition(%go) %i : i64
  } do {
  ^bb0(%i: i64):
    %next = arith.addi %i, %one : i64
    scf.yield %next : i64
  }
  %first = arith.cmpi eq, %pid, %c0 : index
  %signed = scf.if %first -> (i64) {
    scf.yield %count : i64
  } else {
    %negated = arith.subi %zero, %count : i64
    scf.yield %negated : i64
  }
  %at4 = arith.addi %base, %c4 : index
  %s = tile.splat %signed : i64 -> tensor<1xi64>
  tile.store %s, %out[%at4] at (%c0) strides (%c1) : tensor<1xi64>, !tile.buffer<i64, write>
  %big = arith.constant 2147483653 : i64
  %narrow = arith.trunci %big : i64 to i32
  %wide = arith.extsi %narrow : i32 to i64
  %at5 = arith.addi %base, %c5 : index
  %w = tile.splat %wide : i64 -> tensor<1xi64>
  tile.store %w, %out[%at5] at (%c0) strides (%c1) : tensor<1xi64>, !tile.buffer<i64, write>
}
)mlir");
  ASSERT_TRUE(kernel);
  HostBuffer out(pkg::ElemType::I64, 16);
  ASSERT_TRUE(succeeded(runKernel(kernel, {HostArgument::ofBuffer(out), HostArgument::ofInt(7)})))
      << (messages.empty() ? "" : messages[0].text);
  std::vector<int64_t> expected = {-4, -3, -3, -2, 7,  -2147483643, 0, 0,
                                   -4, -3, -3, -2, -7, -2147483643, 0, 0};
  for (size_t i = 0; i < expected.size(); ++i)
    EXPECT_EQ(out.loadInt(i), expected[i]) << "element " << i;
}

// out = a (16 x 32) x b (32 x 16) with tile.dot's precision PRECISION.
constexpr const char *kDot = R"mlir(
tile.kernel @dot(%a: !tile.buffer<f32, read>, %b: !tile.buffer<f32, read>,
                 %out: !tile.buffer<f32, write>) grid (1) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %ta = tile.load %a[%c0] at (%c0, %c0) strides (%c32, %c1) : !tile.buffer<f32, read> -> tensor<16x32xf32>
  %tb = tile.load %b[%c0] at (%c0, %c0) strides (%c16, %c1) : !tile.buffer<f32, read> -> tensor<32x16xf32>
  %zero = arith.constant 0.0 : f32
  %acc = tile.splat %zero : f32 -> tensor<16x16xf32>
  %d = tile.dot %ta, %tb, %acc PRECISION : tensor<16x32xf32>, tensor<32x16xf32> -> tensor<16x16xf32>
  tile.store %d, %out[%c0] at (%c0, %c0) strides (%c16, %c1) : tensor<16x16xf32>, !tile.buffer<f32, write>
}
)mlir";

class DotPrecisionTest : public InterpreterTest {
protected:
  /// Runs kDot with `precision` on `a` and `b` (f32 values) into `out`.
  void runDot(StringRef precision, const std::vector<double> &a, const std::vector<double> &b,
              HostBuffer &out) {
    std::string text = kDot;
    text.replace(text.find("PRECISION"), 9, precision.str());
    tile::KernelOp kernel = parse(text);
    ASSERT_TRUE(kernel);
    HostBuffer aBuffer(pkg::ElemType::F32, 16 * 32), bBuffer(pkg::ElemType::F32, 32 * 16);
    for (size_t i = 0; i < a.size(); ++i)
      aBuffer.storeFloat(i, a[i]);
    for (size_t i = 0; i < b.size(); ++i)
      bBuffer.storeFloat(i, b[i]);
    ASSERT_TRUE(succeeded(
        runKernel(kernel, {HostArgument::ofBuffer(aBuffer), HostArgument::ofBuffer(bBuffer),
                           HostArgument::ofBuffer(out)})));
  }
  /// out[0][0] of a dot with `precision` whose a holds x at [0][0] (zeros
  /// elsewhere) and whose b is the identity: x as the precision keeps it.
  double throughIdentity(StringRef precision, double x) {
    std::vector<double> a(16 * 32, 0.0), b(32 * 16, 0.0);
    a[0] = x;
    for (int64_t k = 0; k < 16; ++k)
      b[k * 16 + k] = 1.0;
    HostBuffer out(pkg::ElemType::F32, 16 * 16);
    runDot(precision, a, b, out);
    return out.loadFloat(0);
  }
};

// Each precision against float64 on normal random operands, with the bound
// of what it computes: ieee and tf32x3 about fp32's rounding of a sum of 32
// products (tf32x3 drops only a_small b_small, about 2^-22 relative); tf32
// the operands' rounding to 10 mantissa bits (2^-11 relative each); bf16x3
// keeps 16 bits of each operand (big and small of 8 each: 2^-17 relative
// each) and drops a_small b_small (2^-18).
TEST_F(DotPrecisionTest, EveryPrecisionAgainstFloat64) {
  std::vector<double> a(16 * 32), b(32 * 16);
  uint64_t state = 12345;
  auto next = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<float>(static_cast<double>(state >> 11) * 0x1.0p-53 * 2.0 - 1.0);
  };
  for (double &x : a)
    x = next();
  for (double &x : b)
    x = next();
  struct Case {
    const char *precision;
    double relative; // of sum |a| |b|
    double atLeast;  // the largest error seen must be at least this (the mode is not ieee)
  };
  for (Case c : {Case{"", 1e-6, 0.0}, Case{"precision ieee", 1e-6, 0.0},
                 Case{"precision tf32", 1.1 * 0x1.0p-10, 1e-5}, Case{"precision tf32x3", 1e-6, 0.0},
                 Case{"precision bf16x3", 0x1.0p-15, 1e-7}}) {
    HostBuffer out(pkg::ElemType::F32, 16 * 16);
    runDot(c.precision, a, b, out);
    double worst = 0;
    for (int64_t m = 0; m < 16; ++m)
      for (int64_t n = 0; n < 16; ++n) {
        double exact = 0, magnitude = 0;
        for (int64_t k = 0; k < 32; ++k) {
          exact += a[m * 32 + k] * b[k * 16 + n];
          magnitude += std::abs(a[m * 32 + k] * b[k * 16 + n]);
        }
        double error = std::abs(out.loadFloat(m * 16 + n) - exact);
        EXPECT_LE(error, c.relative * magnitude) << c.precision << " at " << m << ", " << n;
        worst = std::max(worst, error / magnitude);
      }
    EXPECT_GE(worst, c.atLeast) << c.precision;
  }
}

// tf32 rounds as cvt.rna.tf32.f32: to 10 mantissa bits, ties away from zero.
// Row 0 of a holds x in column 0; b is the identity, so out[0][0] is x
// rounded (tf32) or split exactly into big + small (tf32x3).
TEST_F(DotPrecisionTest, Tf32RoundsToNearestTiesAway) {
  struct Case {
    double x, tf32;
  };
  for (Case c : {Case{1 + 0x1.0p-11, 1 + 0x1.0p-10},       // a tie: away from zero
                 Case{-(1 + 0x1.0p-11), -(1 + 0x1.0p-10)}, // likewise, negative
                 Case{1 + 0x1.0p-12, 1.0},                 // below the tie: down
                 Case{1 + 0x1.0p-11 + 0x1.0p-20, 1 + 0x1.0p-10}}) {
    EXPECT_EQ(throughIdentity("precision tf32", c.x), c.tf32) << c.x;
    EXPECT_EQ(throughIdentity("precision tf32x3", c.x), static_cast<float>(c.x)) << c.x;
  }
}

// bf16x3 splits x into big = bf16(x) and small = bf16(x - big), each to
// nearest even: x is kept exactly up to 16 significant bits. Row 0 of a
// holds x in column 0; b is the identity, so out[0][0] is big + small.
TEST_F(DotPrecisionTest, Bf16x3KeepsSixteenBits) {
  struct Case {
    double x, kept;
  };
  for (Case c : {Case{1 + 0x1.0p-8, 1 + 0x1.0p-8},   // a tie for big (to 1, even); small exact
                 Case{1 + 0x1.0p-15, 1 + 0x1.0p-15}, // 16 bits: exact
                 Case{1 + 0x1.0p-8 + 0x1.0p-20, 1 + 0x1.0p-8}, // big rounds up, small drops 2^-20
                 Case{-(3 + 0x1.0p-12), -(3 + 0x1.0p-12)}}) {
    EXPECT_EQ(throughIdentity("precision bf16x3", c.x), c.kept) << c.x;
  }
}
} // namespace
