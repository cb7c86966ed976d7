//===- RunCommand.cpp - `ssdc run` and `ssdc tune`, one path --------------===//
//
// A run has two phases. The host phase checks every option against the
// kernel's description and builds every buffer in host memory (from .npy
// files, generated from the seed, or poisoned with NaN); all of its errors
// are usage errors and come before the kernel runs. Then the executor runs
// it, and the buffers the kernel wrote are summarized and written.
//
//===----------------------------------------------------------------------===//

#include "ssdc/Tooling/RunCommand.h"
#include "ssdc/Runtime/Launch.h"
#include "ssdc/Runtime/Runtime.h"
#include "ssdc/Tooling/DeviceExecutor.h"
#include "ssdc/Tooling/Npy.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <unistd.h>

namespace ssdc::tooling {

Executor::~Executor() = default;

namespace {

bool isReadable(const pkg::Arg &arg) {
  return arg.kind == pkg::ArgKind::Buffer && arg.access != pkg::Access::Write;
}
bool isWritable(const pkg::Arg &arg) {
  return arg.kind == pkg::ArgKind::Buffer && arg.access != pkg::Access::Read;
}

/// Parses a decimal int64; an out-of-range value is told apart from text
/// that is no integer.
Status parseInt64(const std::string &text, const std::string &what, int64_t &out) {
  char *end = nullptr;
  errno = 0;
  long long value = text.empty() ? 0 : std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0')
    return invalidArgument(what + " is not an integer");
  if (errno == ERANGE)
    return outOfRange(what + " is out of the range of int64");
  out = value;
  return okStatus();
}

/// Parses a decimal or hexadecimal float, or inf, -inf or nan (strtod's
/// forms).
Status parseDouble(const std::string &text, const std::string &what, double &out) {
  char *end = nullptr;
  double value = text.empty() ? 0 : std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0')
    return invalidArgument(what + " is not a number");
  out = value;
  return okStatus();
}

/// `assignments` as a map, after checking that no name repeats and that
/// every name is an argument of `kernel` that `accepts` admits.
Status checkAssignments(const pkg::Kernel &kernel, const char *option,
                        const Assignments &assignments, bool (*accepts)(const pkg::Arg &),
                        const char *what, std::map<std::string, std::string> &out) {
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

/// The option values of one run, checked against the kernel's signature.
struct CheckedOptions {
  std::map<std::string, std::string> values, inputs, outputs;
  std::map<std::string, int64_t> ints; // by name
};

/// The scalar arguments, each within its element type.
Status parseScalars(const pkg::Kernel &kernel, CheckedOptions &checked, HostArgs &out) {
  out.ints.assign(kernel.args.size(), 0);
  out.floats.assign(kernel.args.size(), 0);
  for (size_t index = 0; index < kernel.args.size(); ++index) {
    const pkg::Arg &arg = kernel.args[index];
    if (arg.kind == pkg::ArgKind::Buffer)
      continue;
    const bool isFloat = arg.kind == pkg::ArgKind::Float;
    auto found = checked.values.find(arg.name);
    if (found == checked.values.end())
      return invalidArgument(std::string(isFloat ? "float" : "integer") + " argument '" + arg.name +
                             "' needs --arg " + arg.name + "=VALUE (an " + elemTypeName(arg.type) +
                             ")");
    std::string what = "--arg " + arg.name + "=" + found->second;
    if (isFloat) {
      double &real = out.floats[index];
      SSDC_RETURN_IF_ERROR(parseDouble(found->second, what, real));
      if (std::isfinite(real) && !std::isfinite(roundToElemType(arg.type, real)))
        return outOfRange(what + " rounds to infinity in " + elemTypeName(arg.type) +
                          ", the argument's type");
      continue;
    }
    int64_t &value = out.ints[index];
    SSDC_RETURN_IF_ERROR(parseInt64(found->second, what, value));
    if (arg.type == pkg::ElemType::I32 && (value < INT32_MIN || value > INT32_MAX))
      return outOfRange(what + " is out of the range of i32, the argument's type");
    checked.ints[arg.name] = value;
  }
  return okStatus();
}

std::string describeInts(const CheckedOptions &checked) {
  std::string text;
  for (const auto &[name, value] : checked.ints)
    text += (text.empty() ? "" : ", ") + name + "=" + std::to_string(value);
  return text;
}

/// Every grid axis must be at least 1: a grid with no program is a mistake
/// of the arguments (T=-5), not a run that does nothing. Returns the grid.
Status checkGrid(const pkg::Kernel &kernel, const CheckedOptions &checked, const HostArgs &host,
                 Executor &executor, int64_t &programs) {
  static const char *const kAxes[3] = {"x", "y", "z"};
  std::vector<int64_t> grid;
  Status status = executor.grid(host.ints, grid);
  if (!status.ok())
    return invalidArgument(status.message() + " (with " + describeInts(checked) + ")");
  programs = 1;
  for (size_t axis = 0; axis < grid.size(); ++axis) {
    if (grid[axis] <= 0)
      return invalidArgument("grid " + std::string(kAxes[axis < 3 ? axis : 2]) + " of kernel '" +
                             kernel.name + "' is " + std::to_string(grid[axis]) + " with " +
                             describeInts(checked) + ": every grid axis must be at least 1");
    if (__builtin_mul_overflow(programs, grid[axis], &programs))
      programs = INT64_MAX;
  }
  return okStatus();
}

/// The files the run writes, `--output`s then DIR/NAME.npy, by argument.
std::map<std::string, std::vector<std::string>>
outputPaths(const pkg::Kernel &kernel, const RunOptions &options, const CheckedOptions &checked) {
  std::map<std::string, std::vector<std::string>> paths;
  for (const pkg::Arg &arg : kernel.args) {
    if (!isWritable(arg))
      continue;
    if (auto found = checked.outputs.find(arg.name); found != checked.outputs.end())
      paths[arg.name].push_back(found->second);
    if (!options.outputDir.empty())
      paths[arg.name].push_back(
          (std::filesystem::path(options.outputDir) / (arg.name + ".npy")).string());
  }
  return paths;
}

/// Creates --output-dir and checks that every output file can be written,
/// before anything runs.
Status checkOutputPaths(const RunOptions &options,
                        const std::map<std::string, std::vector<std::string>> &paths) {
  if (!options.outputDir.empty()) {
    std::error_code error;
    std::filesystem::create_directories(options.outputDir, error);
    if (error)
      return invalidArgument("cannot create " + options.outputDir + ": " + error.message());
  }
  for (const auto &[name, files] : paths)
    for (const std::string &file : files)
      SSDC_RETURN_IF_ERROR(checkWritableFile(file));
  return okStatus();
}

/// Builds every buffer: from its file, or with its count (given, else
/// measured), generated from the seed when the kernel reads it and poisoned
/// when it only writes it.
Status buildBuffers(const pkg::Kernel &kernel, const RunOptions &options,
                    const CheckedOptions &checked, int64_t programs, const MeasureBuffers &measure,
                    HostArgs &host) {
  host.buffers.resize(kernel.args.size());
  std::vector<std::optional<uint64_t>> counts(kernel.args.size());
  std::string unsized; // the first buffer that neither a file nor a count sizes
  for (size_t index = 0; index < kernel.args.size(); ++index) {
    const pkg::Arg &arg = kernel.args[index];
    if (arg.kind != pkg::ArgKind::Buffer)
      continue;
    auto file = checked.inputs.find(arg.name);
    auto count = checked.values.find(arg.name);
    if (file != checked.inputs.end() && count != checked.values.end())
      return invalidArgument("'" + arg.name +
                             "' has both --input and --arg; its size is the file's");
    if (file != checked.inputs.end()) {
      HostBuffer contents(arg.type, 0);
      SSDC_RETURN_IF_ERROR(readNpy(file->second, arg.type, contents));
      host.buffers[index] = std::move(contents);
    } else if (count != checked.values.end()) {
      uint64_t elements = 0;
      SSDC_RETURN_IF_ERROR(evaluateElementCount(count->second, checked.ints, elements)
                               .withContext("--arg " + arg.name + "=" + count->second));
      counts[index] = elements;
    } else if (unsized.empty()) {
      unsized = arg.name;
    }
  }
  if (!unsized.empty()) {
    const pkg::Arg &arg = *std::find_if(kernel.args.begin(), kernel.args.end(),
                                        [&](const pkg::Arg &a) { return a.name == unsized; });
    if (!measure)
      return invalidArgument(
          "buffer argument '" + arg.name + "' needs its element count, --arg " + arg.name +
          "=COUNT (e.g. B*T)" +
          (isReadable(arg) ? ", or its contents, --input " + arg.name + "=FILE.npy" : ""));
    if (programs > kMaxDryRunPrograms)
      return outOfRange(
          "sizing '" + arg.name + "' by a dry run would run " + std::to_string(programs) +
          " programs, more than the " + std::to_string(kMaxDryRunPrograms) +
          " `ssdc run` runs for that; give its element count, --arg " + arg.name + "=COUNT");
    std::vector<int64_t> touched;
    SSDC_RETURN_IF_ERROR(measure(host, touched));
    for (size_t index = 0; index < kernel.args.size(); ++index)
      if (kernel.args[index].kind == pkg::ArgKind::Buffer && !host.buffers[index] && !counts[index])
        counts[index] = static_cast<uint64_t>(touched[index]);
  }
  for (size_t index = 0; index < kernel.args.size(); ++index) {
    const pkg::Arg &arg = kernel.args[index];
    if (!counts[index])
      continue;
    if (*counts[index] > uint64_t(kMaxRunBufferBytes) / elemTypeSize(arg.type))
      return outOfRange("'" + arg.name + "' would have " + std::to_string(*counts[index]) +
                        " elements, more than the " + std::to_string(kMaxRunBufferBytes >> 30) +
                        " GiB `ssdc run` allocates for one buffer");
    HostBuffer &buffer =
        host.buffers[index].emplace(arg.type, static_cast<int64_t>(*counts[index]));
    if (isReadable(arg))
      generateContents(buffer, options.seed, index);
    else
      poisonContents(buffer);
  }
  return okStatus();
}

/// The host phase: every argument built, or the usage error that stops it.
Status prepareRun(const pkg::Kernel &kernel, const RunOptions &options, Executor &executor,
                  const MeasureBuffers &measure, CheckedOptions &checked, HostArgs &host) {
  SSDC_RETURN_IF_ERROR(
      checkAssignments(kernel, "--arg", options.args, nullptr, "", checked.values));
  // The same map: a name in both --arg and --key is a name given twice.
  SSDC_RETURN_IF_ERROR(
      checkAssignments(kernel, "--key", options.keys, nullptr, "", checked.values));
  SSDC_RETURN_IF_ERROR(checkAssignments(kernel, "--input", options.inputs, isReadable,
                                        "a buffer the kernel reads", checked.inputs));
  SSDC_RETURN_IF_ERROR(checkAssignments(kernel, "--output", options.outputs, isWritable,
                                        "a buffer the kernel writes", checked.outputs));
  SSDC_RETURN_IF_ERROR(parseScalars(kernel, checked, host));
  int64_t programs = 0;
  SSDC_RETURN_IF_ERROR(checkGrid(kernel, checked, host, executor, programs));
  SSDC_RETURN_IF_ERROR(checkOutputPaths(options, outputPaths(kernel, options, checked)));
  return buildBuffers(kernel, options, checked, programs, measure, host);
}

/// Prints the summary of every buffer the kernel wrote and writes the files
/// asked for.
int reportOutputs(const pkg::Kernel &kernel, const RunOptions &options,
                  const CheckedOptions &checked, const HostArgs &host) {
  std::map<std::string, std::vector<std::string>> paths = outputPaths(kernel, options, checked);
  for (size_t index = 0; index < kernel.args.size(); ++index) {
    const pkg::Arg &arg = kernel.args[index];
    if (!isWritable(arg))
      continue;
    const HostBuffer &buffer = *host.buffers[index];
    std::printf("  %s: %s\n", arg.name.c_str(),
                describeContents(buffer, arg.access == pkg::Access::Write).c_str());
    for (const std::string &path : paths[arg.name]) {
      if (Status status = writeNpy(path, buffer); !status.ok())
        return runError(options, status);
      std::printf("    -> %s\n", path.c_str());
    }
  }
  return 0;
}

/// Loads the package of `ssdc run|tune PACKAGE` and runs it.
int packageCommand(const std::vector<std::string> &args, RunForm form, const char *tool) {
  RunOptions options;
  options.command = std::string(tool) + (form == RunForm::Tune ? " tune" : " run");
  Status status = parseRunOptions(args, form, options);
  if (options.help) {
    std::fputs(runUsage(form), stdout);
    return 0;
  }
  if (!status.ok())
    return usageError(options, status.message(), /*withUsage=*/true);
  std::shared_ptr<const LoadedPackage> package;
  status = LoadedPackage::fromFile(options.input, package);
  if (!status.ok())
    return runError(options, status);
  return runLoadedPackage(std::move(package), options);
}

} // namespace

int usageError(const RunOptions &options, const std::string &message, bool withUsage) {
  std::fflush(stdout);
  std::fprintf(stderr, "%s: error: %s\n%s", options.command.c_str(), message.c_str(),
               withUsage ? runUsage(options.form) : "");
  return kExitUsage;
}

int runError(const RunOptions &options, const Status &status) {
  std::fflush(stdout);
  std::fprintf(stderr, "%s: error: %s\n", options.command.c_str(), status.toString().c_str());
  return kExitError;
}

int executeRun(const pkg::Kernel &kernel, const RunOptions &options, Executor &executor,
               const MeasureBuffers &measure) {
  CheckedOptions checked;
  HostArgs host;
  if (Status status = prepareRun(kernel, options, executor, measure, checked, host); !status.ok())
    return usageError(options, status.message());
  if (Status status = executor.run(host); !status.ok())
    return runError(options, status);
  std::fflush(stdout);
  if (options.form == RunForm::Tune)
    return 0;
  return reportOutputs(kernel, options, checked, host);
}

int runLoadedPackage(std::shared_ptr<const LoadedPackage> package, const RunOptions &options) {
  std::unique_ptr<DeviceExecutor> executor;
  if (Status status = DeviceExecutor::create(std::move(package), options, executor); !status.ok())
    return usageError(options, status.message());
  return executeRun(executor->kernel(), options, *executor);
}

int runPackageCommand(const std::vector<std::string> &args, const char *tool) {
  return packageCommand(args, RunForm::Package, tool);
}

int tunePackageCommand(const std::vector<std::string> &args, const char *tool) {
  return packageCommand(args, RunForm::Tune, tool);
}

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
    if (named != ints.end()) {
      value = named->second;
    } else if (Status status = parseInt64(factor, "'" + factor + "'", value); !status.ok()) {
      if (status.code() == StatusCode::OutOfRange)
        return outOfRange("the element count '" + text + "' is too big");
      return invalidArgument("'" + factor + "' in the element count '" + text +
                             "' is neither an integer nor an integer argument");
    }
    if (value < 0)
      return outOfRange("the element count '" + text + "' is negative" +
                        (named != ints.end()
                             ? " ('" + factor + "' is " + std::to_string(value) + ")"
                             : std::string()));
    if (__builtin_mul_overflow(product, static_cast<uint64_t>(value), &product))
      return outOfRange("the element count '" + text + "' is too big");
    start = end + 1;
  }
  out = product;
  return okStatus();
}

Status checkWritableFile(const std::string &file) {
  std::filesystem::path path(file);
  std::error_code error;
  if (std::filesystem::is_directory(path, error))
    return invalidArgument("cannot write " + file + ": it is a directory");
  std::filesystem::path parent = path.parent_path().empty() ? "." : path.parent_path();
  if (!std::filesystem::is_directory(parent, error))
    return invalidArgument("cannot write " + file + ": no directory " + parent.string());
  if (access(parent.c_str(), W_OK) != 0 ||
      (std::filesystem::exists(path, error) && access(path.c_str(), W_OK) != 0))
    return invalidArgument("cannot write " + file + ": permission denied");
  return okStatus();
}

} // namespace ssdc::tooling
