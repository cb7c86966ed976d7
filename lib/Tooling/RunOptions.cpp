//===- RunOptions.cpp - The options of `ssdc run` and `ssdc tune` ---------===//
//
// One parser for every form (RunCommand.h), written by hand because ssdc-rt
// links no LLVM. Options take their value as `--name=value` or `--name value`.
//
//===----------------------------------------------------------------------===//

#include "ssdc/Tooling/RunCommand.h"

#include "ssdc/Runtime/ConfigSpec.h"

#include <cerrno>
#include <cstdlib>
#include <set>

namespace ssdc::tooling {

namespace {

constexpr const char *kPackageUsage =
    "usage: ssdc run PACKAGE --kernel NAME [--device N] [--arg NAME=VALUE ...]\n"
    "       [--input NAME=FILE.npy ...] [--seed N] [--config NAME=V,...]\n"
    "       [--output NAME=FILE.npy ...] [--output-dir DIR]\n";
constexpr const char *kSourceUsage =
    "usage: ssdc run KERNEL.mlir [--target=host|cuda] [--kernel NAME] [--chip=sm_XX]\n"
    "       [--arg NAME=VALUE ...] [--input NAME=FILE.npy ...] [--seed N]\n"
    "       [--config NAME=V,...] [--output NAME=FILE.npy ...] [--output-dir DIR]\n"
    "  --target   host (the CPU interpreter, the default) or cuda (a GPU, through the runtime)\n"
    "  --kernel   the kernel to run (needed when the file has several)\n"
    "  --chip     --target=cuda: the chip to compile for (default sm_90)\n"
    "  --arg      a scalar argument's value (floats: 1.5, -inf, nan), or a buffer's element\n"
    "             count as a product of integers and integer-argument names (out=B*T*T;\n"
    "             default: the elements the kernel touches)\n"
    "  --input    a buffer's contents; --output: where to write a written buffer\n"
    "  --config   the config to run (other parameters take their defaults; default: the\n"
    "             kernel's default config on the host, every config timed on cuda)\n"
    "(a compiled package runs with `ssdc run PACKAGE --kernel NAME`)\n";
constexpr const char *kTuneUsage =
    "usage: ssdc tune PACKAGE --kernel NAME [--device N] --key NAME=V,... "
    "[--arg NAME=VALUE ...] [--input NAME=FILE.npy ...] [--seed N]\n";

/// Which forms take an option, and whether it may be given more than once.
struct OptionSpec {
  const char *name;
  bool package, source, tune;
  bool repeats;
};

constexpr OptionSpec kOptions[] = {
    {"--kernel", true, true, true, false},   {"--arg", true, true, true, true},
    {"--input", true, true, true, true},     {"--seed", true, true, true, false},
    {"--output", true, true, false, true},   {"--output-dir", true, true, false, false},
    {"--config", true, true, false, false},  {"--device", true, false, true, false},
    {"--target", false, true, false, false}, {"--chip", false, true, false, false},
    {"--key", false, false, true, true},
};

const OptionSpec *findOption(const std::string &name, RunForm form) {
  for (const OptionSpec &spec : kOptions)
    if (name == spec.name && (form == RunForm::Package  ? spec.package
                              : form == RunForm::Source ? spec.source
                                                        : spec.tune))
      return &spec;
  return nullptr;
}

Status splitAssignment(const std::string &text, const std::string &option, Assignments &out) {
  size_t equals = text.find('=');
  if (equals == std::string::npos || equals == 0 || equals + 1 == text.size())
    return invalidArgument(option + " needs NAME=VALUE, not '" + text + "'");
  out.push_back({text.substr(0, equals), text.substr(equals + 1)});
  return okStatus();
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

/// Stores the value of one option.
Status applyOption(const std::string &name, const std::string &value, RunOptions &out) {
  if (name == "--kernel")
    out.kernel = value;
  else if (name == "--arg")
    return splitAssignment(value, name, out.args);
  else if (name == "--input")
    return splitAssignment(value, name, out.inputs);
  else if (name == "--output")
    return splitAssignment(value, name, out.outputs);
  else if (name == "--output-dir")
    out.outputDir = value;
  else if (name == "--target") {
    if (value != "host" && value != "cuda")
      return invalidArgument("unknown --target '" + value + "' (host or cuda)");
    out.target = value;
  } else if (name == "--chip")
    out.chip = value;
  else if (name == "--seed") {
    if (!parseUnsigned(value, out.seed))
      return invalidArgument("--seed needs a non-negative integer, not '" + value + "'");
  } else if (name == "--device") {
    uint64_t device = 0;
    if (!parseUnsigned(value, device) || device > (1u << 20))
      return invalidArgument("--device needs a device ordinal, not '" + value + "'");
    out.device = static_cast<int>(device);
  } else if (name == "--config" || name == "--key") {
    // An empty value would read as no config at all.
    if (value.empty())
      return invalidArgument(name + " needs NAME=V,..., not an empty value");
    // The one parser of NAME=V,... (ConfigSpec.h); --config's text is then
    // matched against the kernel's parameters by findConfig.
    std::vector<ConfigAssignment> parsed;
    if (Status status = parseConfigSpec(value, parsed); !status.ok())
      return invalidArgument(name + ": " + status.message());
    if (name == "--config")
      out.config = value;
    else
      for (const ConfigAssignment &assignment : parsed)
        out.keys.push_back({assignment.name, std::to_string(assignment.value)});
  }
  return okStatus();
}

} // namespace

const char *runUsage(RunForm form) {
  switch (form) {
  case RunForm::Package:
    return kPackageUsage;
  case RunForm::Source:
    return kSourceUsage;
  case RunForm::Tune:
    return kTuneUsage;
  }
  return kPackageUsage;
}

Status parseRunOptions(const std::vector<std::string> &args, RunForm form, RunOptions &out) {
  out.form = form;
  std::set<std::string> seen;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string &arg = args[i];
    if (arg == "--help" || arg == "-h") {
      out.help = true;
      return okStatus();
    }
    if (arg.size() < 2 || arg.compare(0, 2, "--") != 0) {
      bool positional = !arg.empty() && (arg[0] != '-' || (form == RunForm::Source && arg == "-"));
      if (!positional || !out.input.empty())
        return invalidArgument("unexpected argument '" + arg + "'");
      out.input = arg;
      continue;
    }
    size_t equals = arg.find('=');
    std::string name = arg.substr(0, equals);
    const OptionSpec *spec = findOption(name, form);
    if (spec == nullptr)
      return invalidArgument("unexpected argument '" + arg + "'");
    std::string value;
    if (equals != std::string::npos) {
      value = arg.substr(equals + 1);
    } else {
      if (i + 1 >= args.size())
        return invalidArgument(name + " needs a value");
      value = args[++i];
    }
    if (!spec->repeats && !seen.insert(name).second)
      return invalidArgument(name + " is given twice");
    SSDC_RETURN_IF_ERROR(applyOption(name, value, out));
  }
  if (out.input.empty() || (form != RunForm::Source && out.kernel.empty()))
    return invalidArgument(form == RunForm::Source ? "a kernel file (KERNEL.mlir) is required"
                                                   : "a package and --kernel NAME are required");
  if (form == RunForm::Source && out.target != "cuda" && !out.chip.empty())
    return invalidArgument("--chip is for --target=cuda");
  return okStatus();
}

} // namespace ssdc::tooling
