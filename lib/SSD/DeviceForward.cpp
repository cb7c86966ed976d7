//===- DeviceForward.cpp - the SSD forward's launches on a device ---------===//
#include "EmbeddedPackages.h"

#include "ssdc/Runtime/Runtime.h"
#include "ssdc/SSD/Forward.h"

#include <algorithm>
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
  return okStatus();
}

Status DeviceForward::execute(const ForwardBuffers &buffers, void *workspace, void *stream) const {
  std::vector<Launch> launches;
  SSDC_RETURN_IF_ERROR(plan_.launches(buffers, workspace, launches));
  for (const Launch &launch : launches) {
    int k = static_cast<int>(launch.kernel);
    if (configs_[k] >= 0)
      SSDC_RETURN_IF_ERROR(
          kernels_[k]->launchWithConfig(static_cast<uint32_t>(configs_[k]), launch.args, stream));
    else
      SSDC_RETURN_IF_ERROR(kernels_[k]->launch(launch.args, stream));
  }
  return okStatus();
}

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
