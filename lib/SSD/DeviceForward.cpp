//===- DeviceForward.cpp - the SSD forward's launches on a device ---------===//
#include "EmbeddedPackages.h"

#include "ssdc/Runtime/Runtime.h"
#include "ssdc/SSD/Forward.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>

namespace ssdc::ssd {

namespace {

/// The chip number of "sm_90a" (90), and whether it is an "a" variant.
int chipNumber(const std::string &chip, bool &variant) {
  variant = !chip.empty() && chip.back() == 'a';
  return std::atoi(chip.c_str() + 3);
}

/// Which embedded chip serves a device of chip `device`: its own "a"
/// variant (architecture-specific code runs only on that chip), else its
/// own chip, else the newest older plain chip, whose PTX the driver
/// compiles for the device ("a" PTX is not forward compatible).
Status pickChip(const std::string &device, std::string &out) {
  std::vector<std::string> chips = embeddedChips();
  for (const std::string &wanted : {device + "a", device})
    for (const std::string &chip : chips)
      if (chip == wanted) {
        out = chip;
        return okStatus();
      }
  bool variant = false;
  int deviceNumber = chipNumber(device, variant), best = -1;
  for (const std::string &chip : chips) {
    int number = chipNumber(chip, variant);
    if (!variant && number < deviceNumber && number > best) {
      best = number;
      out = chip;
    }
  }
  if (best < 0)
    return unimplemented("ssd: no SSD package runs on " + device + " (the build embedded " +
                         std::to_string(chips.size()) + " chips, the oldest " +
                         (chips.empty() ? "none" : chips.front()) + ")");
  return okStatus();
}

} // namespace

std::vector<std::string> embeddedChips() {
  std::vector<std::string> chips;
  for (size_t i = 0; i < embedded::kNumPackages; ++i) {
    std::string chip = embedded::kPackages[i].chip;
    if (std::find(chips.begin(), chips.end(), chip) == chips.end())
      chips.push_back(chip);
  }
  return chips;
}

Status loadEmbeddedPackage(const std::string &chip, Kernel kernel,
                           std::shared_ptr<const LoadedPackage> &out) {
  const char *name = kernelName(kernel);
  for (size_t i = 0; i < embedded::kNumPackages; ++i) {
    const embedded::Package &package = embedded::kPackages[i];
    if (chip == package.chip && !std::strcmp(name, package.kernel))
      return LoadedPackage::fromBytes(package.bytes, package.size, out);
  }
  return notFound(std::string("ssd: the build embedded no package of ") + name + " for " + chip);
}

/// Where a buffer argument of a tuned forward's prepared launch (in
/// PreparedLaunch::bufferArgs order, the launches one after another) points:
/// one of the forward's bases (ForwardBuffers' fields, then the workspace)
/// plus a byte offset, or nothing (an option the problem does not use).
struct DeviceForward::Source {
  int8_t base; // index into the bases; -1: null
  uint64_t offset;
};

namespace {

/// The forward's bases: ForwardBuffers' fields in order, then the workspace.
constexpr int kNumBases = 12;
constexpr int8_t kNoBase = -1;
using ForwardBases = std::array<const void *, kNumBases>;

ForwardBases basesOf(const ForwardBuffers &b, const void *workspace) {
  return {b.x, b.dt,          b.a,      b.b, b.c, b.d, b.z, b.dtBias, b.initialStates,
          b.y, b.finalStates, workspace};
}

/// Stand-ins for the bases, for building the launch lists once with
/// addresses that say where they come from: base i at (i + 1) << kTagShift,
/// above every user-space address, with the offset into it below.
constexpr int kTagShift = 56;
constexpr uint64_t kOffsetMask = (uint64_t(1) << kTagShift) - 1;

ForwardBuffers taggedBuffers(const ForwardBuffers &like, void *&workspace) {
  ForwardBases bases = basesOf(like, nullptr);
  void *tags[kNumBases];
  for (int i = 0; i < kNumBases; ++i)
    tags[i] = i == kNumBases - 1 || bases[i] != nullptr
                  ? reinterpret_cast<void *>(static_cast<uint64_t>(i + 1) << kTagShift)
                  : nullptr;
  workspace = tags[kNumBases - 1];
  ForwardBuffers b;
  b.x = tags[0];
  b.dt = tags[1];
  b.a = tags[2];
  b.b = tags[3];
  b.c = tags[4];
  b.d = tags[5];
  b.z = tags[6];
  b.dtBias = tags[7];
  b.initialStates = tags[8];
  b.y = tags[9];
  b.finalStates = tags[10];
  return b;
}

} // namespace

DeviceForward::~DeviceForward() = default;

Status DeviceForward::create(std::shared_ptr<Device> device, const ForwardProblem &problem,
                             std::unique_ptr<DeviceForward> &out) {
  if (!device)
    return invalidArgument("ssd: the device is null");
  std::unique_ptr<DeviceForward> forward(new DeviceForward());
  SSDC_RETURN_IF_ERROR(ForwardPlan::create(problem, forward->plan_));
  std::string chip;
  SSDC_RETURN_IF_ERROR(pickChip(device->chip(), chip));
  for (int k = 0; k < kNumKernels; ++k) {
    Kernel kernel = static_cast<Kernel>(k);
    std::shared_ptr<const LoadedPackage> package;
    SSDC_RETURN_IF_ERROR(loadEmbeddedPackage(chip, kernel, package));
    SSDC_RETURN_IF_ERROR(
        device->kernel(package, forward->plan_.kernelInstance(kernel), forward->kernels_[k]));
  }
  out = std::move(forward);
  return okStatus();
}

Status DeviceForward::tune(const ForwardBuffers &buffers, void *workspace, void *stream) {
  std::vector<Launch> launches;
  SSDC_RETURN_IF_ERROR(plan_.launches(buffers, workspace, launches));
  for (const Launch &launch : launches) {
    int k = static_cast<int>(launch.kernel);
    TuningResult result;
    SSDC_RETURN_IF_ERROR(kernels_[k]->tune(launch.args, stream, result));
    configs_[k] = result.configIndex;
    // The next launch reads what this one writes: leave its results there.
    SSDC_RETURN_IF_ERROR(kernels_[k]->launchWithConfig(result.configIndex, launch.args, stream));
  }
  return prepare(buffers);
}

Status DeviceForward::prepare(const ForwardBuffers &like) {
  // The same launch lists, built once on tagged addresses: every check of
  // the runtime runs here, and each buffer argument's tag says which base
  // (and offset) execute() fills it from.
  if (plan_.workspaceBytes() >> kTagShift)
    return outOfRange("ssd: a workspace of 2^" + std::to_string(kTagShift) +
                      " bytes or more cannot be prepared");
  void *taggedWorkspace = nullptr;
  ForwardBuffers tagged = taggedBuffers(like, taggedWorkspace);
  std::vector<Launch> launches;
  SSDC_RETURN_IF_ERROR(plan_.launches(tagged, taggedWorkspace, launches));
  std::vector<PreparedLaunch> steps(launches.size());
  std::vector<Source> sources;
  for (size_t i = 0; i < launches.size(); ++i) {
    int k = static_cast<int>(launches[i].kernel);
    SSDC_RETURN_IF_ERROR(
        kernels_[k]->prepare(static_cast<uint32_t>(configs_[k]), launches[i].args, steps[i]));
    BoundArgs bound;
    SSDC_RETURN_IF_ERROR(bindArgs(kernels_[k]->kernel(), launches[i].args, bound));
    for (uint32_t index : steps[i].bufferArgs()) {
      uint64_t tag = reinterpret_cast<uint64_t>(bound.values[index].data);
      sources.push_back(
          tag == 0 ? Source{kNoBase, 0}
                   : Source{static_cast<int8_t>((tag >> kTagShift) - 1), tag & kOffsetMask});
    }
  }
  sources_ = std::move(sources);
  launches_ = std::make_unique<LaunchGraph>(std::move(steps));
  return okStatus();
}

Status DeviceForward::execute(const ForwardBuffers &buffers, void *workspace, void *stream,
                              bool *asGraph) const {
  if (asGraph)
    *asGraph = false;
  if (!launches_) { // not tuned: each launch through the runtime's tuner
    std::vector<Launch> launches;
    SSDC_RETURN_IF_ERROR(plan_.launches(buffers, workspace, launches));
    for (const Launch &launch : launches)
      SSDC_RETURN_IF_ERROR(kernels_[static_cast<int>(launch.kernel)]->launch(launch.args, stream));
    return okStatus();
  }
  SSDC_RETURN_IF_ERROR(plan_.checkBuffers(buffers, workspace));
  ForwardBases bases = basesOf(buffers, workspace);
  // One launch per kernel at most fits on the stack.
  constexpr size_t kStackAddresses = kNumKernels * pkg::kMaxArgs;
  void *stackAddresses[kStackAddresses];
  std::vector<void *> heapAddresses;
  void **addresses = stackAddresses;
  if (sources_.size() > kStackAddresses) {
    heapAddresses.resize(sources_.size());
    addresses = heapAddresses.data();
  }
  for (size_t j = 0; j < sources_.size(); ++j)
    addresses[j] = sources_[j].base == kNoBase
                       ? nullptr
                       : const_cast<char *>(static_cast<const char *>(bases[sources_[j].base])) +
                             sources_[j].offset;
  return launches_->launch(addresses, sources_.size(), stream, asGraph);
}

size_t DeviceForward::preparedLaunches() const { return launches_ ? launches_->steps().size() : 0; }

std::string DeviceForward::describeConfigs() const {
  std::string text;
  for (int k = 0; k < kNumKernels; ++k) {
    if (!text.empty())
      text += "; ";
    text += kernelName(static_cast<Kernel>(k));
    text += ": ";
    text += configs_[k] >= 0
                ? describeConfig(kernels_[k]->kernel(), static_cast<uint32_t>(configs_[k]))
                : std::string("not tuned");
  }
  return text;
}

} // namespace ssdc::ssd
