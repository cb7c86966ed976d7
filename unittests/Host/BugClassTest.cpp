//===- BugClassTest.cpp - known bug classes of SSD kernels are caught -----===//
//
// The bugs that hand-written kernels for KernelBench level 3 problem 49
// (Mamba2ReturnFinalState) commonly have (an inclusive or exclusive segsum
// off by one, chunk and position order swapped by a permute before a
// reshape, a grid that does not cover the output) are each planted in a copy
// of kernels/segsum_exp.mlir under Inputs/. For every config, the reference
// comparison that KernelTest applies must accept the real kernel and reject
// the planted one, for the reason the bug implies.
//
//===----------------------------------------------------------------------===//
#include "HostHarness.h"

#include <gtest/gtest.h>

using namespace ssdc;
using namespace ssdc::hosttest;

namespace {
struct PlantedBug {
  const char *name;
  const char *file;
  /// What the rejection must say: wrong values, or elements never written.
  const char *symptom;
};

const PlantedBug kBugs[] = {
    {"InclusiveSegsum", "unittests/Host/Inputs/segsum_exp_inclusive.mlir", "relative error above"},
    {"ExclusiveSegsumWrongEnd", "unittests/Host/Inputs/segsum_exp_exclusive.mlir",
     "relative error above"},
    {"ChunkAndPositionSwapped", "unittests/Host/Inputs/segsum_exp_swapped_order.mlir",
     "relative error above"},
    {"GridDoesNotCoverOutput", "unittests/Host/Inputs/segsum_exp_grid_floor.mlir", "never written"},
};

class BugClassTest : public testing::TestWithParam<PlantedBug> {};

TEST_P(BugClassTest, RejectsThePlantedKernelAndAcceptsTheCorrectOne) {
  const KernelCase &row = kernelCase("SegsumExp");
  // B > 1 and T a multiple of no tile size: every bug class shows here.
  const Shape shape = {{"B", 3}, {"T", 37}};
  LoadedKernel correct(row.file, row.kernel), planted(GetParam().file, row.kernel);
  ASSERT_EQ(correct.error(), "");
  ASSERT_EQ(planted.error(), "");
  for (const tile::Config &config : correct.configs()) {
    EXPECT_EQ(correct.check(row, shape, config), "");
    std::string rejection = planted.check(row, shape, config);
    EXPECT_NE(rejection.find(GetParam().symptom), std::string::npos)
        << "expected a rejection saying '" << GetParam().symptom << "', got: '" << rejection << "'";
  }
}

INSTANTIATE_TEST_SUITE_P(SeedBugs, BugClassTest, testing::ValuesIn(kBugs),
                         [](const testing::TestParamInfo<PlantedBug> &info) {
                           return std::string(info.param.name);
                         });
} // namespace
