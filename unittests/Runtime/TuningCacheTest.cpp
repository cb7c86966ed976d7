//===- TuningCacheTest.cpp - Persistent tuning results --------------------===//

#include "ssdc/Runtime/TuningCache.h"
#include "TempDir.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <dirent.h>
#include <fstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace ssdc;

namespace {

TuningKey makeKey(int64_t T) {
  TuningKey key;
  key.kernel = "segsum_exp";
  key.packageHash = 0x0123456789abcdefull;
  key.device = "NVIDIA H100 80GB HBM3 sm_90";
  key.keyArgs = {{"B", 1}, {"T", T}};
  return key;
}

TuningEntry makeEntry(uint32_t index) {
  TuningEntry entry;
  entry.config = "BLOCK_M=" + std::to_string(16 << index) + ",BLOCK_N=32";
  entry.configIndex = index;
  entry.milliseconds = 0.125 * (index + 1);
  return entry;
}

void writeText(const std::string &path, const std::string &text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

TEST(TuningCacheTest, MissingEntryIsNotFound) {
  synthetic::TempDir dir;
  TuningCache cache(dir.path());
  TuningEntry entry;
  bool found = true;
  ASSERT_TRUE(cache.load(makeKey(64), entry, found).ok());
  EXPECT_FALSE(found);
}

TEST(TuningCacheTest, RoundTrip) {
  synthetic::TempDir dir;
  TuningCache cache(dir.path() + "/nested/dir"); // created on first store
  ASSERT_TRUE(cache.store(makeKey(1000), makeEntry(2)).ok());
  TuningEntry entry;
  bool found = false;
  Status status = cache.load(makeKey(1000), entry, found);
  ASSERT_TRUE(status.ok()) << status.toString();
  ASSERT_TRUE(found);
  EXPECT_EQ(entry.config, "BLOCK_M=64,BLOCK_N=32");
  EXPECT_EQ(entry.configIndex, 2u);
  EXPECT_DOUBLE_EQ(entry.milliseconds, 0.375);
  // Other key values are other entries.
  ASSERT_TRUE(cache.load(makeKey(999), entry, found).ok());
  EXPECT_FALSE(found);
  TuningKey otherDevice = makeKey(1000);
  otherDevice.device = "NVIDIA A100 sm_80";
  EXPECT_NE(cache.pathFor(otherDevice), cache.pathFor(makeKey(1000)));
  TuningKey otherPackage = makeKey(1000);
  otherPackage.packageHash ^= 1;
  EXPECT_NE(cache.pathFor(otherPackage), cache.pathFor(makeKey(1000)));
}

TEST(TuningCacheTest, EntryFileIsReadableText) {
  synthetic::TempDir dir;
  TuningCache cache(dir.path());
  ASSERT_TRUE(cache.store(makeKey(100), makeEntry(1)).ok());
  std::ifstream in(cache.pathFor(makeKey(100)));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "ssdc-tuning 1\nkernel segsum_exp\npackage 0123456789abcdef\n"
                  "device NVIDIA H100 80GB HBM3 sm_90\nkey B=1,T=100\n"
                  "config BLOCK_M=32,BLOCK_N=32\nindex 1\nms 0.25\n");
}

TEST(TuningCacheTest, CorruptEntriesAreDataLoss) {
  synthetic::TempDir dir;
  TuningCache cache(dir.path());
  ASSERT_TRUE(cache.store(makeKey(100), makeEntry(1)).ok());
  const std::string path = cache.pathFor(makeKey(100));
  std::ifstream in(path);
  std::string good((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string identity = good.substr(0, good.find("config"));
  const std::pair<std::string, std::string> corruptions[] = {
      {"", "does not belong"},
      {"garbage\n", "does not belong"},
      {good.substr(0, good.size() / 2), "does not belong"},
      {identity, "no config line"},
      {identity + "config A=1\n", "no index line"},
      {identity + "config A=1\nindex -1\nms 1\n", "bad index"},
      {identity + "config A=1\nindex 1x\nms 1\n", "bad index"},
      {identity + "config A=1\nindex 1\nms nan\n", "bad time"},
      {identity + "config A=1\nindex 1\nms 1\nmore\n", "trailing text"},
      // What another version would write (it writes elsewhere: the version is
      // part of the file name's hash; this one was copied in).
      {"ssdc-tuning 2" + good.substr(good.find('\n')),
       "written by another version ('ssdc-tuning 2'"},
      {"ssdc-tuning 0\n", "written by another version"},
  };
  for (const auto &[text, why] : corruptions) {
    writeText(path, text);
    TuningEntry entry;
    bool found = true;
    Status status = cache.load(makeKey(100), entry, found);
    EXPECT_EQ(status.code(), StatusCode::DataLoss) << text;
    EXPECT_NE(status.message().find(why), std::string::npos) << status.message();
    EXPECT_FALSE(found);
  }
}

TEST(TuningCacheTest, TemporaryNames) {
  EXPECT_TRUE(TuningCache::isTemporaryName("segsum_exp-0123456789abcdef.tune.tmp.a1B2c3"));
  EXPECT_FALSE(TuningCache::isTemporaryName("segsum_exp-0123456789abcdef.tune"));
  EXPECT_FALSE(TuningCache::isTemporaryName("x.tune.tmp.abc"));
  EXPECT_FALSE(TuningCache::isTemporaryName("x.tune.tmp.abcdefg"));
  EXPECT_FALSE(TuningCache::isTemporaryName(".tune.tmp.abcdef"));
  EXPECT_FALSE(TuningCache::isTemporaryName("notes.tmp.abcdef"));
}

// A killed writer's temporary file is never read, and the next store removes
// it once it is older than the bound; a live writer's (fresh) one and files
// that are not temporaries are left alone.
TEST(TuningCacheTest, StaleTemporaryFilesAreRemovedByTheNextStore) {
  synthetic::TempDir dir;
  TuningCache cache(dir.path());
  ASSERT_TRUE(cache.store(makeKey(100), makeEntry(1)).ok());
  const std::string entry = cache.pathFor(makeKey(100));
  const int64_t stale = TuningCache::kStaleTemporarySeconds + 5;
  std::string staleTemporary = entry + ".tmp.Ab12Cd", freshTemporary = entry + ".tmp.Ef34Gh";
  std::string halfWritten = cache.pathFor(makeKey(300)) + ".tmp.Ij56Kl";
  writeText(staleTemporary, "ssdc-tuning 1\nkernel segsum_exp\n");
  writeText(halfWritten, "");
  writeText(freshTemporary, "ssdc-tuning 1\n");
  writeText(dir.path() + "/notes.txt", "kept");
  writeText(dir.path() + "/x.tune.tmp.short", "kept");
  ASSERT_EQ(mkdir((dir.path() + "/d.tune.tmp.Mn78Op").c_str(), 0755), 0);
  for (const std::string &name :
       {staleTemporary, halfWritten, dir.path() + "/notes.txt", dir.path() + "/x.tune.tmp.short",
        dir.path() + "/d.tune.tmp.Mn78Op"})
    ASSERT_TRUE(synthetic::backdate(name, stale)) << name;
  ASSERT_TRUE(synthetic::backdate(freshTemporary, TuningCache::kStaleTemporarySeconds - 60));

  // Reads ignore temporaries.
  TuningEntry read;
  bool found = false;
  ASSERT_TRUE(cache.load(makeKey(100), read, found).ok());
  EXPECT_TRUE(found);
  ASSERT_TRUE(cache.load(makeKey(300), read, found).ok());
  EXPECT_FALSE(found);

  ASSERT_TRUE(cache.store(makeKey(200), makeEntry(2)).ok());
  std::vector<std::string> expected = {entry.substr(dir.path().size() + 1),
                                       cache.pathFor(makeKey(200)).substr(dir.path().size() + 1),
                                       freshTemporary.substr(dir.path().size() + 1),
                                       "notes.txt",
                                       "x.tune.tmp.short",
                                       "d.tune.tmp.Mn78Op"};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(synthetic::listDirectory(dir.path()), expected);
  ASSERT_TRUE(cache.load(makeKey(100), read, found).ok());
  EXPECT_TRUE(found);
  EXPECT_EQ(read.configIndex, 1u);
}

TEST(TuningCacheTest, EntryOfAnotherKeyAtTheSamePathIsRejected) {
  synthetic::TempDir dir;
  TuningCache cache(dir.path());
  ASSERT_TRUE(cache.store(makeKey(100), makeEntry(1)).ok());
  // Simulates a file-name hash collision.
  ASSERT_EQ(std::rename(cache.pathFor(makeKey(100)).c_str(), cache.pathFor(makeKey(200)).c_str()),
            0);
  TuningEntry entry;
  bool found = false;
  EXPECT_EQ(cache.load(makeKey(200), entry, found).code(), StatusCode::DataLoss);
}

TEST(TuningCacheTest, UnwritableDirectoryIsAStatus) {
  TuningCache cache("/proc/ssdc-cannot-exist");
  Status status = cache.store(makeKey(1), makeEntry(0));
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("tuning cache"), std::string::npos);
}

TEST(TuningCacheTest, DirectoryFromEnvironment) {
  const char *saved[3] = {std::getenv("SSDC_CACHE_DIR"), std::getenv("XDG_CACHE_HOME"),
                          std::getenv("HOME")};
  std::string copies[3];
  for (int i = 0; i < 3; ++i)
    copies[i] = saved[i] ? saved[i] : "";
  setenv("SSDC_CACHE_DIR", "/a", 1);
  setenv("XDG_CACHE_HOME", "/b", 1);
  setenv("HOME", "/c", 1);
  EXPECT_EQ(defaultCacheDirectory(), "/a");
  unsetenv("SSDC_CACHE_DIR");
  EXPECT_EQ(defaultCacheDirectory(), "/b/ssdc");
  unsetenv("XDG_CACHE_HOME");
  EXPECT_EQ(defaultCacheDirectory(), "/c/.cache/ssdc");
  const char *names[3] = {"SSDC_CACHE_DIR", "XDG_CACHE_HOME", "HOME"};
  for (int i = 0; i < 3; ++i)
    saved[i] ? setenv(names[i], copies[i].c_str(), 1) : unsetenv(names[i]);
}

TEST(TuningCacheTest, ConcurrentWritersFromSeveralProcesses) {
  synthetic::TempDir dir;
  TuningCache cache(dir.path() + "/cache");
  constexpr int kProcesses = 8;
  constexpr int kRounds = 200;
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // Every process writes one shared entry (with its own config) and one
      // entry of its own, over and over, and reads the shared one back.
      bool ok = true;
      for (int r = 0; r < kRounds && ok; ++r) {
        ok = cache.store(makeKey(1000), makeEntry(p % 4)).ok() &&
             cache.store(makeKey(p), makeEntry(p % 4)).ok();
        TuningEntry entry;
        bool found = false;
        ok = ok && cache.load(makeKey(1000), entry, found).ok() && found;
      }
      _exit(ok ? 0 : 1);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  for (int p = 0; p < kProcesses; ++p) {
    TuningEntry entry;
    bool found = false;
    ASSERT_TRUE(cache.load(makeKey(p), entry, found).ok());
    ASSERT_TRUE(found);
    EXPECT_EQ(entry.configIndex, static_cast<uint32_t>(p % 4));
  }
  TuningEntry shared;
  bool found = false;
  ASSERT_TRUE(cache.load(makeKey(1000), shared, found).ok());
  EXPECT_TRUE(found);
  // No temporary file is left behind.
  DIR *listing = opendir((dir.path() + "/cache").c_str());
  ASSERT_NE(listing, nullptr);
  int files = 0;
  while (dirent *item = readdir(listing))
    if (item->d_name[0] != '.') {
      ++files;
      EXPECT_EQ(std::string(item->d_name).find(".tmp."), std::string::npos);
    }
  closedir(listing);
  EXPECT_EQ(files, kProcesses + 1);
}

} // namespace
