//===- TuningCacheConcurrencyTest.cpp - Eight processes, some killed ------===//
//
// Eight ssdc-tuning-cache-worker processes tune, write and read the same
// keys of one cache directory at once, and three of them are killed with
// SIGKILL at random points (mostly inside a write: writing is what they do).
// Every entry read back, by the workers while they run and here afterwards,
// must be whole and valid, and every finished worker's own entry must be
// there with its choice. The seed of the kill times is printed on failure.
//
//===----------------------------------------------------------------------===//

#include "SyntheticPackage.h"
#include "TempDir.h"
#include "TuningCacheWorker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <random>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char **environ;

using namespace ssdc;

namespace {

constexpr int kWorkers = 8;
constexpr int kRunMilliseconds = 1500;
constexpr int kKilled[] = {1, 4, 6};

pid_t spawnWorker(const std::string &directory, int id) {
  std::string idText = std::to_string(id), msText = std::to_string(kRunMilliseconds);
  const char *argv[] = {SSDC_TUNING_CACHE_WORKER, directory.c_str(), idText.c_str(), msText.c_str(),
                        nullptr};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  int error = posix_spawn(&pid, argv[0], &actions, nullptr, const_cast<char **>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  return error == 0 ? pid : -1;
}

TEST(TuningCacheConcurrencyTest, EightProcessesSomeKilledMidWrite) {
  synthetic::TempDir dir;
  std::string cacheDir = dir.path() + "/cache";
  unsigned seed = std::random_device()();
  SCOPED_TRACE("kill-time seed " + std::to_string(seed));
  std::mt19937 random(seed);

  std::vector<pid_t> workers;
  for (int id = 0; id < kWorkers; ++id) {
    workers.push_back(spawnWorker(cacheDir, id));
    ASSERT_GT(workers.back(), 0) << "cannot start " << SSDC_TUNING_CACHE_WORKER;
  }
  // Kill times spread over the run, in order.
  std::uniform_int_distribution<int> when(20, kRunMilliseconds - 100);
  std::vector<std::pair<int, int>> kills; // ms, worker
  for (int id : kKilled)
    kills.push_back({when(random), id});
  std::sort(kills.begin(), kills.end());
  auto start = std::chrono::steady_clock::now();
  for (auto [ms, id] : kills) {
    std::this_thread::sleep_until(start + std::chrono::milliseconds(ms));
    kill(workers[id], SIGKILL);
  }

  for (int id = 0; id < kWorkers; ++id) {
    int status = 0;
    ASSERT_EQ(waitpid(workers[id], &status, 0), workers[id]);
    bool killed = std::find(std::begin(kKilled), std::end(kKilled), id) != std::end(kKilled);
    if (killed)
      EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "worker " << id;
    else
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
          << "worker " << id << " found a bad entry or failed (its stderr says which)";
  }

  pkg::Kernel kernel = synthetic::segsumExpKernel();
  TuningCache cache(cacheDir);
  for (int64_t T : stress::kSharedT)
    EXPECT_EQ(stress::checkEntry(cache, kernel, T, /*expected=*/-1), "");
  for (int id = 0; id < kWorkers; ++id) {
    bool killed = std::find(std::begin(kKilled), std::end(kKilled), id) != std::end(kKilled);
    // A killed worker's own entry may be missing, but whatever is there is whole.
    EXPECT_EQ(stress::checkEntry(cache, kernel, stress::ownT(id),
                                 killed ? int64_t(-1) : int64_t(stress::expectedChoice(id))),
              "")
        << "worker " << id;
  }
  // Entries are only ever renamed into place: every file that is not an
  // entry is a killed writer's temporary file, never one with an entry's name.
  auto isEntry = [](const std::string &name) {
    return name.size() > 5 && name.compare(name.size() - 5, 5, ".tune") == 0;
  };
  int entries = 0;
  std::vector<std::string> temporaries;
  for (const std::string &name : synthetic::listDirectory(cacheDir)) {
    entries += isEntry(name);
    if (!isEntry(name)) {
      EXPECT_TRUE(TuningCache::isTemporaryName(name)) << name;
      temporaries.push_back(name);
    }
  }
  EXPECT_GE(entries, static_cast<int>(std::size(stress::kSharedT)) + kWorkers -
                         static_cast<int>(std::size(kKilled)));

  // Recovery: once the killed writers' temporaries are past the bound (aged
  // here rather than waited for), the next store removes every one of them
  // and the entries read as before.
  for (const std::string &name : temporaries)
    ASSERT_TRUE(synthetic::backdate(cacheDir + "/" + name, TuningCache::kStaleTemporarySeconds + 5))
        << name;
  ASSERT_TRUE(cache.store(stress::keyFor(kernel, 9999), {describeConfig(kernel, 0), 0, 1.0}).ok());
  for (const std::string &name : synthetic::listDirectory(cacheDir))
    EXPECT_TRUE(isEntry(name)) << name << " is left after recovery";
  for (int64_t T : stress::kSharedT)
    EXPECT_EQ(stress::checkEntry(cache, kernel, T, /*expected=*/-1), "");
  std::printf("%zu temporary file(s) of killed writers, removed by the next store\n",
              temporaries.size());
}

} // namespace
