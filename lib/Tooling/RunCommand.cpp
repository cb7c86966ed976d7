//===- Commands.cpp - `ssdc run` and `ssdc tune` --------------------------===//
//
// A run has two phases. The host phase checks every option against the
// kernel's signature and builds every buffer in host memory (from .npy files,
// generated from the seed, or poisoned with NaN); all of its errors are usage
// errors and come before the device is touched. The device phase uploads,
// times or launches, and downloads what the kernel wrote.
//
//===----------------------------------------------------------------------===//

#include "ssdc/Tooling/RunCommand.h"
#include "ssdc/Runtime/DeviceBuffer.h"
#include "ssdc/Runtime/Runtime.h"
#include "ssdc/Runtime/TuningCache.h"
#include "ssdc/Tooling/HostBuffer.h"
#include "ssdc/Tooling/Npy.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>

namespace ssdc {

namespace {

constexpr int kExitError = 1;
constexpr int kExitUsage = 2;

constexpr const char *kRunUsage =
    "usage: ssdc run PACKAGE --kernel NAME [--device N] [--arg NAME=VALUE ...]\n"
    "       [--input NAME=FILE.npy ...] [--seed N] [--config NAME=V,...]\n"
    "       [--output NAME=FILE.npy ...] [--output-dir DIR]\n";
constexpr const char *kTuneUsage =
    "usage: ssdc tune PACKAGE --kernel NAME [--device N] --key NAME=V,... "
    "[--arg NAME=VALUE ...] [--input NAME=FILE.npy ...] [--seed N]\n";

struct CommandLine {
  std::string package;
  PackageRunOptions options;
};

bool splitAssignment(const std::string &text, PackageRunOptions::Assignments &out) {
  size_t equals = text.find('=');
  if (equals == std::string::npos || equals == 0 || equals + 1 == text.size())
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

bool parseUnsigned(const std::string &text, uint64_t &out) {
  if (text.empty() || text[0] == '-')
    return false;
  char *end = nullptr;
  errno = 0;
  unsigned long long value = std::strtoull(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0')
    return false;
  out = value;
  return true;
}

/// Parses the options; `tune` accepts --key NAME=V,NAME=V and rejects the
/// options about one launch's results (--config, --output, --output-dir).
bool parseCommandLine(const std::vector<std::string> &args, bool tune, CommandLine &out,
                      std::string &error) {
  PackageRunOptions &options = out.options;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string &arg = args[i];
    std::string value;
    auto next = [&] {
      if (i + 1 >= args.size()) {
        error = arg + " needs a value";
        return false;
      }
      value = args[++i];
      return true;
    };
    auto assignment = [&](PackageRunOptions::Assignments &into, const char *form) {
      if (!next())
        return false;
      if (!splitAssignment(value, into)) {
        error = arg + " needs " + form + ", not '" + value + "'";
        return false;
      }
      return true;
    };
    if (arg == "--kernel") {
      if (!next())
        return false;
      options.kernel = value;
    } else if (arg == "--device") {
      int64_t device = 0;
      if (!next() || !parseInt(value, device) || device < 0 || device > 1 << 20) {
        error = "--device needs a device ordinal";
        return false;
      }
      options.device = static_cast<int>(device);
    } else if (arg == "--arg") {
      if (!assignment(options.args, "NAME=VALUE"))
        return false;
    } else if (arg == "--input") {
      if (!assignment(options.inputs, "NAME=FILE.npy"))
        return false;
    } else if (arg == "--seed") {
      if (!next() || !parseUnsigned(value, options.seed)) {
        error = "--seed needs a non-negative integer";
        return false;
      }
    } else if (arg == "--output" && !tune) {
      if (!assignment(options.outputs, "NAME=FILE.npy"))
        return false;
    } else if (arg == "--output-dir" && !tune) {
      if (!next())
        return false;
      options.outputDir = value;
    } else if (arg == "--config" && !tune) {
      if (!next())
        return false;
      options.config = value;
    } else if (arg == "--key" && tune) {
      if (!next())
        return false;
      size_t start = 0;
      while (start <= value.size()) {
        size_t end = value.find(',', start);
        if (end == std::string::npos)
          end = value.size();
        if (!splitAssignment(value.substr(start, end - start), options.args)) {
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
  if (out.package.empty() || options.kernel.empty()) {
    error = "a package and --kernel NAME are required";
    return false;
  }
  return true;
}

bool isReadable(const pkg::Arg &arg) {
  return arg.kind == pkg::ArgKind::Buffer && arg.access != pkg::Access::Write;
}
bool isWritable(const pkg::Arg &arg) {
  return arg.kind == pkg::ArgKind::Buffer && arg.access != pkg::Access::Read;
}

/// `assignments` as a map, after checking that no name repeats and that
/// every name is an argument of `kernel` that `accepts` admits.
Status checkAssignments(const pkg::Kernel &kernel, const char *option,
                        const PackageRunOptions::Assignments &assignments,
                        bool (*accepts)(const pkg::Arg &), const char *what,
                        std::map<std::string, std::string> &out) {
  for (const auto &[name, value] : assignments) {
    if (!out.emplace(name, value).second)
      return invalidArgument(std::string(option) + " names '" + name + "' twice");
    const pkg::Arg *found = nullptr;
    std::string names;
    for (const pkg::Arg &arg : kernel.args) {
      names += (names.empty() ? "" : ", ") + arg.name;
      if (arg.name == name)
        found = &arg;
    }
    if (found == nullptr)
      return invalidArgument(std::string(option) + " names '" + name + "', which is not an " +
                             "argument of kernel '" + kernel.name + "' (its arguments: " + names +
                             ")");
    if (accepts && !accepts(*found))
      return invalidArgument(std::string(option) + " names '" + name + "', which is not " + what);
  }
  return okStatus();
}

/// Every argument of a run, in host memory: the host phase's result.
struct HostArgs {
  std::vector<int64_t> ints;                      // by argument index; 0 for buffers
  std::vector<std::optional<HostBuffer>> buffers; // by argument index
};

/// Checks the options against `kernel` and builds every argument: integers
/// first (buffer counts may name them), then each buffer from its file, or
/// with its count, generated from the seed when the kernel reads it and
/// poisoned when it only writes it.
Status prepareHostArgs(const pkg::Kernel &kernel, const PackageRunOptions &options, HostArgs &out) {
  std::map<std::string, std::string> values, inputs, outputs;
  SSDC_RETURN_IF_ERROR(checkAssignments(kernel, "--arg", options.args, nullptr, "", values));
  SSDC_RETURN_IF_ERROR(checkAssignments(kernel, "--input", options.inputs, isReadable,
                                        "a buffer the kernel reads", inputs));
  SSDC_RETURN_IF_ERROR(checkAssignments(kernel, "--output", options.outputs, isWritable,
                                        "a buffer the kernel writes", outputs));
  std::map<std::string, int64_t> ints;
  out.ints.assign(kernel.args.size(), 0);
  for (size_t index = 0; index < kernel.args.size(); ++index) {
    const pkg::Arg &arg = kernel.args[index];
    if (arg.kind != pkg::ArgKind::Int)
      continue;
    auto found = values.find(arg.name);
    if (found == values.end())
      return invalidArgument("integer argument '" + arg.name + "' needs --arg " + arg.name +
                             "=VALUE");
    if (!parseInt(found->second, out.ints[index]))
      return invalidArgument("--arg " + arg.name + "=" + found->second + " is not an integer");
    ints[arg.name] = out.ints[index];
  }
  out.buffers.resize(kernel.args.size());
  for (size_t index = 0; index < kernel.args.size(); ++index) {
    const pkg::Arg &arg = kernel.args[index];
    if (arg.kind != pkg::ArgKind::Buffer)
      continue;
    auto file = inputs.find(arg.name);
    auto count = values.find(arg.name);
    if (file != inputs.end() && count != values.end())
      return invalidArgument("'" + arg.name +
                             "' has both --input and --arg; its size is the "
                             "file's");
    if (file != inputs.end()) {
      HostBuffer contents(arg.type, 0);
      SSDC_RETURN_IF_ERROR(readNpy(file->second, arg.type, contents));
      out.buffers[index] = std::move(contents);
      continue;
    }
    if (count == values.end())
      return invalidArgument("buffer argument '" + arg.name + "' needs its element count, --arg " +
                             arg.name + "=COUNT (e.g. B*T)" +
                             (isReadable(arg)
                                  ? ", or its contents, --input " + arg.name + "=FILE.npy"
                                  : std::string()));
    uint64_t elements = 0;
    SSDC_RETURN_IF_ERROR(evaluateElementCount(count->second, ints, elements));
    if (elements > uint64_t(kMaxRunBufferBytes) / elemTypeSize(arg.type))
      return outOfRange("'" + arg.name + "' would have " + std::to_string(elements) +
                        " elements, more than the " + std::to_string(kMaxRunBufferBytes >> 30) +
                        " GiB `ssdc run` allocates for one buffer");
    HostBuffer &buffer = out.buffers[index].emplace(arg.type, static_cast<int64_t>(elements));
    if (isReadable(arg))
      generateContents(buffer, options.seed, index);
    else
      poisonContents(buffer);
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
      std::printf("%-40s %12s  %s\n", config.c_str(), "failed", timing.error.c_str());
    else
      std::printf("%-40s %12.4f%s\n", config.c_str(), timing.milliseconds,
                  timing.configIndex == result.configIndex ? "  <- chosen" : "");
  }
}

int fail(const Status &status) {
  std::fprintf(stderr, "ssdc: error: %s\n", status.toString().c_str());
  return kExitError;
}

int usageError(const Status &status) {
  std::fprintf(stderr, "ssdc: error: %s\n", status.message().c_str());
  return kExitUsage;
}

/// Downloads every buffer the kernel wrote, prints its summary and writes
/// the files asked for.
int reportOutputs(const pkg::Kernel &kernel, const PackageRunOptions &options, HostArgs &host,
                  const std::vector<DeviceBuffer> &buffers) {
  if (!options.outputDir.empty()) {
    std::error_code error;
    std::filesystem::create_directories(options.outputDir, error);
    if (error)
      return fail(invalidArgument("cannot create " + options.outputDir + ": " + error.message()));
  }
  std::map<std::string, std::string> outputs(options.outputs.begin(), options.outputs.end());
  for (size_t index = 0; index < kernel.args.size(); ++index) {
    const pkg::Arg &arg = kernel.args[index];
    if (!isWritable(arg))
      continue;
    HostBuffer &buffer = *host.buffers[index];
    Status status = buffers[index].download(buffer.data(), buffer.byteSize());
    if (!status.ok())
      return fail(status);
    std::printf("  %s: %s\n", arg.name.c_str(),
                describeContents(buffer, arg.access == pkg::Access::Write).c_str());
    std::vector<std::string> paths;
    if (auto found = outputs.find(arg.name); found != outputs.end())
      paths.push_back(found->second);
    if (!options.outputDir.empty())
      paths.push_back((std::filesystem::path(options.outputDir) / (arg.name + ".npy")).string());
    for (const std::string &path : paths) {
      status = writeNpy(path, buffer);
      if (!status.ok())
        return fail(status);
      std::printf("    -> %s\n", path.c_str());
    }
  }
  return 0;
}

/// The body of both commands: `tune` fills the tuning cache instead of
/// launching.
int execute(std::shared_ptr<const LoadedPackage> package, const PackageRunOptions &options,
            bool tune) {
  const pkg::Kernel *described = package->findKernel(options.kernel);
  if (described == nullptr) {
    std::string names;
    for (const pkg::Kernel &k : package->package().kernels)
      names += (names.empty() ? "" : ", ") + k.name;
    return usageError(
        notFound("the package has no kernel '" + options.kernel + "' (it has: " + names + ")"));
  }
  HostArgs host;
  Status status = prepareHostArgs(*described, options, host);
  uint32_t configIndex = 0;
  if (status.ok() && !options.config.empty())
    status = findConfig(*described, options.config, configIndex);
  if (!status.ok())
    return usageError(status);

  DeviceOptions deviceOptions;
  deviceOptions.ordinal = options.device;
  // `run` measures and reports only; `tune` is what fills the cache.
  if (!tune)
    deviceOptions.tuning.cacheDirectory.clear();
  std::shared_ptr<Device> device;
  std::shared_ptr<DeviceKernel> kernel;
  status = Device::open(deviceOptions, device);
  if (status.ok())
    status = device->kernel(package, options.kernel, kernel);
  if (!status.ok())
    return fail(status);
  std::vector<DeviceBuffer> buffers(described->args.size());
  KernelArgs args;
  for (size_t index = 0; index < described->args.size() && status.ok(); ++index) {
    const pkg::Arg &arg = described->args[index];
    if (arg.kind == pkg::ArgKind::Int) {
      args.set(arg.name, ArgValue::scalar(host.ints[index]));
      continue;
    }
    const HostBuffer &buffer = *host.buffers[index];
    status = DeviceBuffer::fromHost(device, buffer.data(), buffer.byteSize(), buffers[index]);
    args.set(arg.name, ArgValue::buffer(buffers[index].data(), static_cast<uint64_t>(buffer.size()),
                                        arg.type));
  }
  if (!status.ok())
    return fail(status);
  std::printf("kernel %s on %s (%s)\n", options.kernel.c_str(), device->name().c_str(),
              device->chip().c_str());

  if (options.config.empty()) {
    TuningResult result;
    status = kernel->tune(args, nullptr, result, /*force=*/true);
    if (!status.ok())
      return fail(status);
    printTimings(*described, result);
    configIndex = result.configIndex;
    std::printf("chosen: %s\n", describeConfig(*described, configIndex).c_str());
    if (tune) {
      std::string directory = deviceOptions.tuning.cacheDirectory;
      std::printf("cache: %s\n",
                  directory.empty() ? "none (no cache directory is set)" : directory.c_str());
      return 0;
    }
    // The timed runs wrote the write-only buffers; the launch whose results
    // are read starts from NaN again, so that what it leaves unwritten shows.
    for (size_t index = 0; index < described->args.size() && status.ok(); ++index)
      if (described->args[index].kind == pkg::ArgKind::Buffer &&
          described->args[index].access == pkg::Access::Write)
        status =
            buffers[index].upload(host.buffers[index]->data(), host.buffers[index]->byteSize());
  } else {
    std::printf("config: %s\n", describeConfig(*described, configIndex).c_str());
  }
  LaunchReport report;
  if (status.ok())
    status = kernel->launchWithConfig(configIndex, args, nullptr, &report);
  if (status.ok()) {
    Device::ContextGuard guard(*device);
    status = cuda::driverStatus(device->api(), device->api().cuStreamSynchronize(nullptr),
                                "cuStreamSynchronize");
  }
  if (!status.ok())
    return fail(status);
  std::printf("launched: %s\n", report.launch.toString().c_str());
  return reportOutputs(*described, options, host, buffers);
}

/// Parses the command line, loads the package and runs execute().
int runCommand(const std::vector<std::string> &commandArgs, bool tune) {
  CommandLine line;
  std::string error;
  if (!parseCommandLine(commandArgs, tune, line, error)) {
    std::fprintf(stderr, "ssdc: error: %s\n%s", error.c_str(), tune ? kTuneUsage : kRunUsage);
    return kExitUsage;
  }
  std::shared_ptr<const LoadedPackage> package;
  Status status = LoadedPackage::fromFile(line.package, package);
  if (!status.ok())
    return fail(status);
  return execute(std::move(package), line.options, tune);
}

} // namespace

Status evaluateElementCount(const std::string &text, const std::map<std::string, int64_t> &ints,
                            uint64_t &out) {
  uint64_t product = 1;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('*', start);
    if (end == std::string::npos)
      end = text.size();
    std::string factor = text.substr(start, end - start);
    factor.erase(0, factor.find_first_not_of(' '));
    factor.erase(factor.find_last_not_of(' ') + 1);
    int64_t value = 0;
    auto named = ints.find(factor);
    if (named != ints.end())
      value = named->second;
    else if (!parseInt(factor, value))
      return invalidArgument("'" + factor + "' in the element count '" + text +
                             "' is neither an integer nor an integer argument");
    if (value < 0 || __builtin_mul_overflow(product, static_cast<uint64_t>(value), &product))
      return outOfRange("the element count '" + text + "' is negative or too big");
    start = end + 1;
  }
  out = product;
  return okStatus();
}

int runPackage(std::shared_ptr<const LoadedPackage> package, const PackageRunOptions &options) {
  return execute(std::move(package), options, /*tune=*/false);
}

int runPackageCommand(const std::vector<std::string> &args) {
  return runCommand(args, /*tune=*/false);
}

int tuneCommand(const std::vector<std::string> &args) { return runCommand(args, /*tune=*/true); }

} // namespace ssdc
