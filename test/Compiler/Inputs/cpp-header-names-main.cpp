// Uses the header of cpp-header-names.mlir (cpp-header-names.test): every
// element type maps to its C++ type, names that are not C++ identifiers
// are renamed, and an argument named like a type does not hide the type.

#include "names.h"

#include <type_traits>

using namespace names;
static_assert(
    std::is_same<decltype(MixedTypesArgs::x), ssdc::DeviceSpan<const ssdc::Float16>>::value, "");
static_assert(
    std::is_same<decltype(MixedTypesArgs::class_), ssdc::DeviceSpan<ssdc::BFloat16>>::value, "");
static_assert(std::is_same<decltype(MixedTypesArgs::ids), ssdc::DeviceSpan<int32_t>>::value, "");
static_assert(std::is_same<decltype(MixedTypesArgs::n_rows), int32_t>::value, "");
static_assert(std::is_same<decltype(MixedTypesArgs::len), int64_t>::value, "");
static_assert(std::is_same<decltype(MixedTypesArgs::int64_t), int64_t>::value, "");
static_assert(sizeof(kMixedTypesConfigs) / sizeof(kMixedTypesConfigs[0]) == 2, "");
static_assert(kMixedTypesConfigs[kMixedTypesDefaultConfig].BLOCK == 64, "");

int main() {
  MixedTypesArgs args{{}, {}, {}, 3, 100, 7};
  ssdc::LaunchConfig launch;
  return plan_mixed_types(args, launch).ok() ? 0 : 1;
}
