//===- RunCommand.h - `ssdc run` and `ssdc tune`, one path ------*- C++ -*-===//
//
// Every way to run a kernel from the command line goes through this file:
//
//   ssdc run PACKAGE --kernel NAME [--device N] [--config NAME=V,...] ...
//   ssdc run KERNEL.mlir [--target=host|cuda] [--kernel NAME] [--chip=sm_XX]
//            [--config NAME=V,...] ...          (lib/Tools: needs MLIR)
//   ssdc tune PACKAGE --kernel NAME [--device N] --key NAME=V,... ...
//
// with, for all of them,
//
//   [--arg NAME=VALUE ...] [--input NAME=FILE.npy ...] [--seed N]
//   [--output NAME=FILE.npy ...] [--output-dir DIR]     (not for tune)
//
// parseRunOptions reads the options of every form. executeRun checks them
// against the kernel's description (the runtime's pkg::Kernel), builds every
// argument in host memory, hands them to an Executor (a GPU through the
// runtime: DeviceExecutor.h; the host interpreter: lib/Tools), then prints a
// summary of every written buffer and writes the .npy files asked for.
//
// Integer and float arguments take a value (a float may be inf, -inf or nan);
// buffer arguments take an element count,
// written as a product of integers and integer-argument names (--arg
// out=B*T*T), or come from a file (--input; the file gives the size). From
// source, a buffer given neither gets the elements the kernel touches,
// measured by a dry run of at most kMaxDryRunPrograms programs. Generated
// inputs follow one rule (HostBuffer.h), so one seed gives the same inputs on
// every target; write-only buffers start as NaN.
//
// Every option error is found before the kernel runs: an option given twice,
// a name given twice (in --arg, --input, --output, --config or --key), an
// integer outside its type, a grid axis that is not positive, a buffer past
// kMaxRunBufferBytes, an output path that cannot be written. Exit codes: 0
// success, 1 an error while running, 2 a usage error.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_TOOLING_RUNCOMMAND_H
#define SSDC_TOOLING_RUNCOMMAND_H

#include "ssdc/Runtime/Package.h"
#include "ssdc/Runtime/Status.h"
#include "ssdc/Tooling/HostBuffer.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ssdc {

class LoadedPackage;

namespace tooling {

constexpr int kExitError = 1;
constexpr int kExitUsage = 2;

/// The most programs a dry run that sizes buffers runs: sizing must not take
/// longer than the run it prepares would on a GPU (T=100000 would be 2*10^10
/// element visits). Past it, give the buffers' element counts.
constexpr int64_t kMaxDryRunPrograms = int64_t(1) << 16;

enum class RunForm {
  Package, // ssdc run PACKAGE, ssdc-rt run
  Source,  // ssdc run KERNEL.mlir
  Tune,    // ssdc tune PACKAGE, ssdc-rt tune
};

using Assignments = std::vector<std::pair<std::string, std::string>>;

/// The command line of one run, parsed.
struct RunOptions {
  RunForm form = RunForm::Package;
  /// "ssdc run", "ssdc-rt tune", ...: what messages start with.
  std::string command = "ssdc run";
  std::string input; // the package or the .mlir file
  std::string kernel;
  std::string target = "host"; // Source: host or cuda
  std::string chip;            // Source with --target=cuda; empty: sm_90
  int device = 0;
  Assignments args;    // --arg NAME=VALUE
  Assignments keys;    // tune's --key NAME=V,...: integer arguments, as --arg gives them
  Assignments inputs;  // --input NAME=FILE.npy
  Assignments outputs; // --output NAME=FILE.npy
  std::string outputDir;
  uint64_t seed = 0;
  /// NAME=V,...: the one config to run; empty: the kernel's default on the
  /// host, every config timed on a GPU.
  std::string config;
  bool help = false;
};

/// The usage text of `form`.
const char *runUsage(RunForm form);

/// Parses `args` (what follows the subcommand's name). A missing or repeated
/// option, a malformed NAME=VALUE or a name repeated inside --config or --key
/// is an InvalidArgument status.
Status parseRunOptions(const std::vector<std::string> &args, RunForm form, RunOptions &out);

/// Every argument of a run in host memory, by argument index.
struct HostArgs {
  std::vector<int64_t> ints;  // 0 for buffers and floats
  std::vector<double> floats; // float scalars; 0 for the others
  std::vector<std::optional<HostBuffer>> buffers;
};

/// Where a kernel runs. executeRun calls grid() once the integers are known
/// and run() once every buffer is built.
class Executor {
public:
  virtual ~Executor();
  /// The grid that run() launches for the integer arguments `ints`.
  virtual Status grid(const std::vector<int64_t> &ints, std::vector<int64_t> &out) = 0;
  /// Runs the kernel on `host`; afterwards every buffer it writes holds its
  /// results. Prints what it ran where.
  virtual Status run(HostArgs &host) = 0;
};

/// From source: the element count of each buffer (by argument index) that
/// the kernel touches, given the integers and the buffers read from files.
using MeasureBuffers = std::function<Status(const HostArgs &host, std::vector<int64_t> &counts)>;

/// The shared path of every form: checks `options` against `kernel`, builds
/// the arguments (measuring unsized buffers with `measure`; null: each needs
/// a count), runs them on `executor` and reports. Returns the exit code.
int executeRun(const pkg::Kernel &kernel, const RunOptions &options, Executor &executor,
               const MeasureBuffers &measure = nullptr);

/// `ssdc run PACKAGE` on a package already loaded (`ssdc run KERNEL.mlir
/// --target=cuda` compiles one in memory).
int runLoadedPackage(std::shared_ptr<const LoadedPackage> package, const RunOptions &options);

/// `ssdc run PACKAGE ...` and `ssdc tune PACKAGE ...`; `tool` is "ssdc" or
/// "ssdc-rt".
int runPackageCommand(const std::vector<std::string> &args, const char *tool = "ssdc");
int tunePackageCommand(const std::vector<std::string> &args, const char *tool = "ssdc");

/// Prints "COMMAND: error: MESSAGE" and returns kExitUsage; the usage text
/// follows when `withUsage`.
int usageError(const RunOptions &options, const std::string &message, bool withUsage = false);
/// Prints "COMMAND: error: STATUS" and returns kExitError.
int runError(const RunOptions &options, const Status &status);

/// Evaluates an element count, "8" or "B*T*T", against the integer arguments;
/// an unknown name, a negative factor or an overflow is an error.
Status evaluateElementCount(const std::string &text, const std::map<std::string, int64_t> &ints,
                            uint64_t &out);

/// Whether `file` can be written, checked before any work that would end in
/// writing it: not a directory, in a directory that exists and is writable.
/// `ssdc run`'s outputs and `ssdc compile -o` use it.
Status checkWritableFile(const std::string &file);

} // namespace tooling
} // namespace ssdc

#endif // SSDC_TOOLING_RUNCOMMAND_H
