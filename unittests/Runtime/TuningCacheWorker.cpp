//===- TuningCacheWorker.cpp - One process of the tuning-cache stress test ===//
//
//   ssdc-tuning-cache-worker DIR ID MILLISECONDS
//
// Tunes and reads the tuning cache in DIR for MILLISECONDS through the real
// selectConfig and TuningCache code, with a launcher whose times make worker
// ID choose config expectedChoice(ID). Every round it re-tunes (Force) or
// looks up (On) each shared key, then reads every shared key straight from
// the cache and checks that each entry found is whole and valid. At the end
// it tunes its own key once more and prints "finished". Exits 1 on the first
// bad entry or failed call. Driven by TuningCacheConcurrencyTest.cpp, which
// runs eight at once and kills some of them mid-write.
//
//===----------------------------------------------------------------------===//

#include "TuningCacheWorker.h"
#include "SyntheticPackage.h"
#include "ssdc/Runtime/Tuner.h"
#include "ssdc/Runtime/TuningCache.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace ssdc;

namespace {

/// Runs nothing; config c of worker `id` takes 1 ms when it is the worker's
/// choice and more otherwise.
class TimedLauncher : public TuningLauncher {
public:
  explicit TimedLauncher(int id) : id_(id) {}
  Status run(uint32_t, const BoundArgs &, void *) override { return okStatus(); }
  Status time(uint32_t config, const BoundArgs &, void *, float &ms) override {
    ms = config == stress::expectedChoice(id_) ? 1.0f : 2.0f + static_cast<float>(config);
    return okStatus();
  }
  Status allocate(uint64_t bytes, void *&pointer) override {
    pointer = std::malloc(bytes);
    return okStatus();
  }
  void release(void *pointer) override { std::free(pointer); }
  Status copy(void *, const void *, uint64_t, void *) override { return okStatus(); }
  Status synchronize(void *) override { return okStatus(); }

private:
  int id_;
};

int fail(const std::string &what) {
  std::fprintf(stderr, "tuning-cache-worker: %s\n", what.c_str());
  return 1;
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 4)
    return fail("usage: ssdc-tuning-cache-worker DIR ID MILLISECONDS");
  std::string directory = argv[1];
  int id = std::atoi(argv[2]);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(std::atoi(argv[3]));

  pkg::Kernel kernel = synthetic::segsumExpKernel();
  TuningOptions options;
  options.cacheDirectory = directory;
  options.warmupRuns = 0;
  options.timedRuns = 1;
  options.progressAfterSeconds = 1e9;
  TuningContext context{stress::kPackageHash, stress::kDevice};
  TimedLauncher launcher(id);
  TuningCache cache(directory);

  auto tune = [&](int64_t T, TuningMode mode) -> Status {
    BoundArgs args;
    float buffer[1] = {};
    KernelArgs given;
    given.add(ArgValue::buffer(buffer, 1)).add(ArgValue::buffer(buffer, 1));
    given.add(ArgValue::scalar(1)).add(ArgValue::scalar(T));
    SSDC_RETURN_IF_ERROR(bindArgs(kernel, given, args));
    options.mode = mode;
    TuningResult result;
    SSDC_RETURN_IF_ERROR(selectConfig(options, context, kernel, args, launcher, nullptr, result));
    if (result.configIndex >= kernel.configs.size())
      return internalError("selectConfig chose config " + std::to_string(result.configIndex));
    return okStatus();
  };

  for (int round = 0; std::chrono::steady_clock::now() < deadline; ++round) {
    for (int64_t T : stress::kSharedT) {
      Status status = tune(T, round % 2 ? TuningMode::On : TuningMode::Force);
      if (!status.ok())
        return fail("tuning T=" + std::to_string(T) + ": " + status.toString());
    }
    for (int64_t T : stress::kSharedT) {
      std::string problem = stress::checkEntry(cache, kernel, T, /*expected=*/-1);
      if (!problem.empty())
        return fail(problem);
    }
  }
  Status status = tune(stress::ownT(id), TuningMode::Force);
  if (!status.ok())
    return fail("tuning its own key: " + status.toString());
  std::printf("finished\n");
  return 0;
}
