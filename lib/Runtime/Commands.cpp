//===- Commands.cpp - `ssdc run` and `ssdc tune` --------------------------===//

#include "ssdc/Runtime/Commands.h"
#include "ssdc/Runtime/Runtime.h"
#include "ssdc/Runtime/TuningCache.h"

#include <cstdio>
#include <cstring>
#include <map>
#include <random>

namespace ssdc {

namespace {

constexpr const char *kRunUsage =
    "usage: ssdc run PACKAGE --kernel NAME [--device N] "
    "[--arg NAME=VALUE ...]\n";
constexpr const char *kTuneUsage =
    "usage: ssdc tune PACKAGE --kernel NAME [--device N] --key NAME=V,... "
    "[--arg NAME=VALUE ...]\n";

struct CommandLine {
  std::string package;
  std::string kernel;
  int device = 0;
  std::vector<std::pair<std::string, std::string>> values; // NAME, VALUE
};

bool splitAssignment(const std::string &text,
                     std::vector<std::pair<std::string, std::string>> &out) {
  size_t equals = text.find('=');
  if (equals == std::string::npos || equals == 0)
    return false;
  out.push_back({text.substr(0, equals), text.substr(equals + 1)});
  return true;
}

bool parseInt(const std::string &text, int64_t &out) {
  if (text.empty())
    return false;
  char *end = nullptr;
  errno = 0;
  long long value = std::strtoll(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0')
    return false;
  out = value;
  return true;
}

/// Parses the shared options; `allowKey` accepts --key NAME=V,NAME=V.
bool parseCommandLine(const std::vector<std::string> &args, bool allowKey,
                      CommandLine &out, std::string &error) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string &arg = args[i];
    auto next = [&](std::string &value) {
      if (i + 1 >= args.size()) {
        error = arg + " needs a value";
        return false;
      }
      value = args[++i];
      return true;
    };
    std::string value;
    if (arg == "--kernel") {
      if (!next(out.kernel))
        return false;
    } else if (arg == "--device") {
      int64_t device = 0;
      if (!next(value) || !parseInt(value, device) || device < 0) {
        error = "--device needs a device ordinal";
        return false;
      }
      out.device = static_cast<int>(device);
    } else if (arg == "--arg") {
      if (!next(value) || !splitAssignment(value, out.values)) {
        error = "--arg needs NAME=VALUE";
        return false;
      }
    } else if (arg == "--key" && allowKey) {
      if (!next(value))
        return false;
      size_t start = 0;
      while (start <= value.size()) {
        size_t end = value.find(',', start);
        if (end == std::string::npos)
          end = value.size();
        if (!splitAssignment(value.substr(start, end - start), out.values)) {
          error = "--key needs NAME=V,NAME=V";
          return false;
        }
        start = end + 1;
      }
    } else if (!arg.empty() && arg[0] != '-' && out.package.empty()) {
      out.package = arg;
    } else {
      error = "unexpected argument '" + arg + "'";
      return false;
    }
  }
  if (out.package.empty() || out.kernel.empty()) {
    error = "a package and --kernel NAME are required";
    return false;
  }
  return true;
}

/// Device buffers with random contents, freed with the object.
class RandomBuffers {
public:
  explicit RandomBuffers(Device &device) : device_(device) {}
  ~RandomBuffers() {
    Device::ContextGuard guard(device_);
    for (cuda::CUdeviceptr pointer : pointers_)
      device_.api().cuMemFree(pointer);
  }

  Status create(pkg::ElemType type, uint64_t count, void *&out) {
    const cuda::DriverApi &api = device_.api();
    Device::ContextGuard guard(device_);
    SSDC_RETURN_IF_ERROR(guard.status());
    uint64_t bytes = count * elemTypeSize(type);
    cuda::CUdeviceptr pointer = 0;
    SSDC_RETURN_IF_ERROR(cuda::driverStatus(
        api, api.cuMemAlloc(&pointer, bytes ? bytes : 1), "cuMemAlloc"));
    pointers_.push_back(pointer);
    // Random bytes would make NaNs; values in [-1, 1) (small integers for
    // integer buffers) exercise every kernel without overflowing.
    std::vector<uint8_t> host(bytes);
    std::mt19937 random(static_cast<unsigned>(pointers_.size()));
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    for (uint64_t e = 0; e < count; ++e) {
      float real = uniform(random);
      uint8_t *slot = host.data() + e * elemTypeSize(type);
      switch (type) {
      case pkg::ElemType::F32:
        std::memcpy(slot, &real, 4);
        break;
      case pkg::ElemType::F16:
      case pkg::ElemType::BF16: {
        // 0x3c00 (f16) and 0x3f80 (bf16) are 1.0: a valid, finite value.
        uint16_t one = type == pkg::ElemType::F16 ? 0x3c00 : 0x3f80;
        std::memcpy(slot, &one, 2);
        break;
      }
      case pkg::ElemType::I32: {
        int32_t small = static_cast<int32_t>(real * 100);
        std::memcpy(slot, &small, 4);
        break;
      }
      case pkg::ElemType::I64: {
        int64_t small = static_cast<int64_t>(real * 100);
        std::memcpy(slot, &small, 8);
        break;
      }
      }
    }
    if (bytes)
      SSDC_RETURN_IF_ERROR(cuda::driverStatus(
          api, api.cuMemcpyHtoD(pointer, host.data(), bytes), "cuMemcpyHtoD"));
    out = reinterpret_cast<void *>(pointer);
    return okStatus();
  }

private:
  Device &device_;
  std::vector<cuda::CUdeviceptr> pointers_;
};

/// Evaluates "8", "B*T*T" against the integer arguments.
Status evaluateCount(const std::string &text,
                     const std::map<std::string, int64_t> &ints,
                     uint64_t &out) {
  uint64_t product = 1;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('*', start);
    if (end == std::string::npos)
      end = text.size();
    std::string factor = text.substr(start, end - start);
    int64_t value = 0;
    auto named = ints.find(factor);
    if (named != ints.end())
      value = named->second;
    else if (!parseInt(factor, value))
      return invalidArgument("'" + factor + "' in element count '" + text +
                             "' is neither an integer nor an integer "
                             "argument");
    if (value < 0 || __builtin_mul_overflow(product, static_cast<uint64_t>(value),
                                            &product))
      return outOfRange("element count '" + text + "' is negative or too big");
    start = end + 1;
  }
  out = product;
  return okStatus();
}

/// Builds the arguments from the command line: ints first (buffer counts may
/// name them), then random buffers.
Status makeArgs(const pkg::Kernel &kernel, const CommandLine &line,
                RandomBuffers &buffers, KernelArgs &args) {
  std::map<std::string, std::string> given(line.values.begin(),
                                           line.values.end());
  std::map<std::string, int64_t> ints;
  for (const pkg::Arg &arg : kernel.args) {
    if (arg.kind != pkg::ArgKind::Int)
      continue;
    auto found = given.find(arg.name);
    int64_t value = 0;
    if (found == given.end())
      return invalidArgument("integer argument '" + arg.name +
                             "' needs --arg " + arg.name + "=VALUE");
    if (!parseInt(found->second, value))
      return invalidArgument("'" + found->second + "' for '" + arg.name +
                             "' is not an integer");
    ints[arg.name] = value;
  }
  for (const auto &[name, value] : given) {
    bool known = false;
    for (const pkg::Arg &arg : kernel.args)
      known = known || arg.name == name;
    if (!known)
      return invalidArgument("kernel '" + kernel.name +
                             "' has no argument '" + name + "'");
  }
  for (const pkg::Arg &arg : kernel.args) {
    if (arg.kind == pkg::ArgKind::Int) {
      args.set(arg.name, ArgValue::scalar(ints[arg.name]));
      continue;
    }
    auto found = given.find(arg.name);
    if (found == given.end())
      return invalidArgument("buffer argument '" + arg.name +
                             "' needs its element count: --arg " + arg.name +
                             "=COUNT (e.g. B*T)");
    uint64_t count = 0;
    SSDC_RETURN_IF_ERROR(evaluateCount(found->second, ints, count));
    void *pointer = nullptr;
    SSDC_RETURN_IF_ERROR(buffers.create(arg.type, count, pointer));
    args.set(arg.name, ArgValue::buffer(pointer, count, arg.type));
  }
  return okStatus();
}

void printTimings(const pkg::Kernel &kernel, const TuningResult &result) {
  std::printf("%-40s %12s\n", "config", "time (ms)");
  for (const ConfigTiming &timing : result.timings) {
    std::string config = describeConfig(kernel, timing.configIndex);
    if (timing.pruned)
      std::printf("%-40s %12s\n", config.c_str(), "pruned");
    else if (!timing.error.empty())
      std::printf("%-40s %12s  %s\n", config.c_str(), "failed",
                  timing.error.c_str());
    else
      std::printf("%-40s %12.4f%s\n", config.c_str(), timing.milliseconds,
                  timing.configIndex == result.configIndex ? "  <- chosen"
                                                           : "");
  }
}

int fail(const Status &status) {
  std::fprintf(stderr, "ssdc: error: %s\n", status.toString().c_str());
  return 1;
}

/// The shared body of both commands.
int runCommand(const std::vector<std::string> &commandArgs, bool tune) {
  CommandLine line;
  std::string error;
  if (!parseCommandLine(commandArgs, tune, line, error)) {
    std::fprintf(stderr, "ssdc: error: %s\n%s", error.c_str(),
                 tune ? kTuneUsage : kRunUsage);
    return 2;
  }
  std::shared_ptr<const LoadedPackage> package;
  Status status = LoadedPackage::fromFile(line.package, package);
  if (!status.ok())
    return fail(status);
  DeviceOptions options;
  options.ordinal = line.device;
  // `run` measures and reports only; `tune` is what fills the cache.
  if (!tune)
    options.tuning.cacheDirectory.clear();
  std::shared_ptr<Device> device;
  std::shared_ptr<DeviceKernel> kernel;
  status = Device::open(options, device);
  if (status.ok())
    status = device->kernel(package, line.kernel, kernel);
  if (!status.ok())
    return fail(status);
  RandomBuffers buffers(*device);
  KernelArgs args;
  TuningResult result;
  status = makeArgs(kernel->kernel(), line, buffers, args);
  if (status.ok())
    status = kernel->tune(args, nullptr, result, /*force=*/true);
  if (!status.ok())
    return fail(status);
  std::printf("kernel %s on %s (%s)\n", line.kernel.c_str(),
              device->name().c_str(), device->chip().c_str());
  printTimings(kernel->kernel(), result);
  std::printf("chosen: %s\n",
              describeConfig(kernel->kernel(), result.configIndex).c_str());
  if (tune) {
    std::string directory = options.tuning.cacheDirectory;
    std::printf("cache: %s\n", directory.empty()
                                   ? "none (no cache directory is set)"
                                   : directory.c_str());
    return 0;
  }
  LaunchReport report;
  status = kernel->launchConfig(result.configIndex, args, nullptr, &report);
  if (status.ok()) {
    Device::ContextGuard guard(*device);
    status = cuda::driverStatus(device->api(),
                                device->api().cuStreamSynchronize(nullptr),
                                "cuStreamSynchronize");
  }
  if (!status.ok())
    return fail(status);
  std::printf("launched: %s\n", report.launch.toString().c_str());
  return 0;
}

} // namespace

int runPackageCommand(const std::vector<std::string> &args) {
  return runCommand(args, /*tune=*/false);
}

int tuneCommand(const std::vector<std::string> &args) {
  return runCommand(args, /*tune=*/true);
}

} // namespace ssdc
