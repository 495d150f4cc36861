// The binary cache gives exactly what a parse gives, notices every change to its source, and
// rebuilds (never trusts) a damaged cache file.
#include <doctest/doctest.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "data/cache_dir.hpp"
#include "data/cache_write_job.hpp"
#include "data/ohlcv_cache.hpp"
#include "data/ohlcv_csv_writer.hpp"
#include "data/ohlcv_reader.hpp"
#include "data/random_walk.hpp"
#include "temp_dir.hpp"

namespace {

using namespace cephalo;
using cephalo::test::list_dir;
using cephalo::test::read_bytes;
using cephalo::test::TempDir;
using cephalo::test::write_bytes;

const std::filesystem::path kDataDir = CEPHALO_TEST_DATA_DIR;
const int64_t kOneMinute = 60'000;

bool same_gaps(std::span<const GapInfo> a, const std::vector<GapInfo>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].after_ms != b[i].after_ms || a[i].first_missing_ms != b[i].first_missing_ms ||
        a[i].missing_bars != b[i].missing_bars) {
      return false;
    }
  }
  return true;
}

bool same_problems(const std::vector<DataProblem>& a, const std::vector<DataProblem>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].file != b[i].file || a[i].row_kind != b[i].row_kind || a[i].row != b[i].row ||
        a[i].column != b[i].column || a[i].message != b[i].message) {
      return false;
    }
  }
  return true;
}

// Everything load_ohlcv reports must come back from the cache, bar for bar and bit for bit.
void check_same_as_parse(const OhlcvCachedLoad& cached, const OhlcvLoadResult& parsed) {
  CHECK(cached.ok == parsed.ok);
  CHECK(cached.dropped_rows == parsed.dropped_rows);
  REQUIRE(cached.data.bars().size() == parsed.bars.size());
  CHECK(std::equal(parsed.bars.begin(), parsed.bars.end(), cached.data.bars().begin()));
  CHECK(same_gaps(cached.data.gaps(), parsed.gaps));
  CHECK(same_problems(cached.problems, parsed.problems));
}

// A copy of a bundled file that the test may edit.
std::filesystem::path copy_bundled(const TempDir& dir, const char* name) {
  const std::filesystem::path copy = dir.path() / name;
  std::filesystem::copy_file(kDataDir / name, copy);
  std::filesystem::permissions(copy, std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::add);
  return copy;
}

TEST_CASE("a miss returns the parsed bars at once; after its write, a hit maps the same bars") {
  TempDir cache("cache");
  const std::filesystem::path source = kDataDir / "ETH_BTC-1m.csv";
  const OhlcvLoadResult parsed = load_ohlcv(source, kOneMinute, BadRowPolicy::kReject);
  REQUIRE(parsed.ok);
  REQUIRE(parsed.gaps.size() == 1);  // the gap must survive the cache too

  OhlcvCachedLoad first =
      load_ohlcv_cached(source, kOneMinute, BadRowPolicy::kReject, {cache.path()});
  CHECK(first.cache == CacheOutcome::kBuilt);
  CHECK(first.cache_note == "no cache file yet");
  CHECK(!first.data.is_mapped());  // served from memory while the cache file is written
  REQUIRE(first.cache_write.started());
  CHECK(first.cache_write.file() == first.cache_file);
  check_same_as_parse(first, parsed);
  const Status written = first.finish_cache_write();
  CHECK(written.ok());
  CHECK(written.error().empty());
  CHECK(first.cache == CacheOutcome::kBuilt);
  CHECK(std::filesystem::exists(first.cache_file));
  CHECK(first.cache_file.parent_path() == cache.path());
  check_same_as_parse(first, parsed);  // the bars outlive the write that shared them

  const OhlcvCachedLoad second =
      load_ohlcv_cached(source, kOneMinute, BadRowPolicy::kReject, {cache.path()});
  CHECK(second.cache == CacheOutcome::kHit);
  CHECK(second.data.is_mapped());
  CHECK(second.cache_file == first.cache_file);
  check_same_as_parse(second, parsed);
  // One file per source, policy and interval: nothing else (no temporaries) is left behind.
  CHECK(list_dir(cache.path()) == std::vector<std::string>{first.cache_file.filename().string()});
}

TEST_CASE("rows skipped under kSkip are reported again on a hit, with the caller's path") {
  TempDir data("data");
  TempDir cache("cache");
  const std::filesystem::path source = data.path() / "bad-1m.csv";
  write_bytes(source,
              "timestamp,open,high,low,close,volume\n"
              "60000,1,2,0.5,1.5,10\n"
              "120000,1,abc,0.5,1.5,10\n"  // not a number
              "120000,1,2,0.5,1.5,10\n"
              "120000,1,2,0.5,1.5,10\n"      // duplicate
              "300000,1,2,0.5,1.5,10\n"      // a gap of two candles
              "330000,1,2,0.5,1.5,10\n"      // off the 1m grid
              "360000,1,0.9,0.5,1.5,10\n");  // high below open
  const OhlcvLoadResult parsed = load_ohlcv(source, kOneMinute, BadRowPolicy::kSkip);
  REQUIRE(parsed.ok);
  REQUIRE(parsed.problems.size() == 4);
  REQUIRE(parsed.gaps.size() == 1);

  OhlcvCachedLoad built =
      load_ohlcv_cached(source, kOneMinute, BadRowPolicy::kSkip, {cache.path()});
  CHECK(built.cache == CacheOutcome::kBuilt);
  check_same_as_parse(built, parsed);
  REQUIRE(built.finish_cache_write().ok());

  const OhlcvCachedLoad hit =
      load_ohlcv_cached(source, kOneMinute, BadRowPolicy::kSkip, {cache.path()});
  REQUIRE(hit.cache == CacheOutcome::kHit);
  check_same_as_parse(hit, parsed);
  CHECK(hit.problems.front().to_string() == parsed.problems.front().to_string());

  // Reached by another name, the problems name the file the way this caller wrote it.
  const std::filesystem::path other_name = data.path() / "." / "bad-1m.csv";
  const OhlcvCachedLoad renamed =
      load_ohlcv_cached(other_name, kOneMinute, BadRowPolicy::kSkip, {cache.path()});
  CHECK(renamed.cache == CacheOutcome::kHit);
  REQUIRE(!renamed.problems.empty());
  CHECK(renamed.problems.front().file == other_name.string());
}

TEST_CASE("a failed load is not cached and reports what load_ohlcv reports") {
  TempDir data("data");
  TempDir cache("cache");
  const std::filesystem::path source = data.path() / "bad-1m.csv";
  write_bytes(source,
              "timestamp,open,high,low,close,volume\n60000,1,2,0.5,1.5,10\n120000,x,2,1,1,1\n");
  const OhlcvLoadResult parsed = load_ohlcv(source, kOneMinute, BadRowPolicy::kReject);
  REQUIRE(!parsed.ok);
  for (int run = 0; run < 2; ++run) {
    const OhlcvCachedLoad cached =
        load_ohlcv_cached(source, kOneMinute, BadRowPolicy::kReject, {cache.path()});
    CHECK(cached.cache == CacheOutcome::kNotCached);
    CHECK(cached.data.bars().empty());
    check_same_as_parse(cached, parsed);
  }
  CHECK(list_dir(cache.path()).empty());

  const OhlcvCachedLoad missing = load_ohlcv_cached(data.path() / "absent-1m.csv", kOneMinute,
                                                    BadRowPolicy::kReject, {cache.path()});
  CHECK(!missing.ok);
  CHECK(missing.cache == CacheOutcome::kNotCached);
  REQUIRE(missing.problems.size() == 1);
  CHECK(missing.problems.front().message.find("file not found") != std::string::npos);
}

TEST_CASE("policy and interval each get their own cache file") {
  TempDir cache("cache");
  const std::filesystem::path source = kDataDir / "ETH_BTC-5m.csv";
  auto reject = load_ohlcv_cached(source, 300'000, BadRowPolicy::kReject, {cache.path()});
  auto skip = load_ohlcv_cached(source, 300'000, BadRowPolicy::kSkip, {cache.path()});
  auto no_interval = load_ohlcv_cached(source, 0, BadRowPolicy::kReject, {cache.path()});
  CHECK(reject.finish_cache_write().ok());
  CHECK(skip.finish_cache_write().ok());
  CHECK(no_interval.finish_cache_write().ok());
  CHECK(reject.cache == CacheOutcome::kBuilt);
  CHECK(skip.cache == CacheOutcome::kBuilt);
  CHECK(no_interval.cache == CacheOutcome::kBuilt);
  CHECK(list_dir(cache.path()).size() == 3);
  CHECK(load_ohlcv_cached(source, 0, BadRowPolicy::kReject, {cache.path()}).cache ==
        CacheOutcome::kHit);
}

TEST_CASE("changing the source's size, mtime or content rebuilds the cache") {
  TempDir data("data");
  TempDir cache("cache");
  const std::filesystem::path source = copy_bundled(data, "ETH_BTC-5m.csv");
  const int64_t interval = 300'000;
  const auto load = [&] {
    return load_ohlcv_cached(source, interval, BadRowPolicy::kReject, {cache.path()});
  };
  REQUIRE(load().cache == CacheOutcome::kBuilt);
  REQUIRE(load().cache == CacheOutcome::kHit);

  SUBCASE("size: a row appended") {
    const OhlcvBar last = load_ohlcv(source, interval, BadRowPolicy::kReject).bars.back();
    write_bytes(source, read_bytes(source) + std::to_string(last.open_time_ms + interval) +
                            ",0.1,0.2,0.05,0.15,7\n");
    const OhlcvCachedLoad changed = load();
    CHECK(changed.cache == CacheOutcome::kBuilt);
    CHECK(changed.cache_note == "source size changed");
    CHECK(changed.data.bars().size() == 5761);
    CHECK(changed.data.bars().back().volume == 7);
  }
  SUBCASE("mtime only: same bytes, touched") {
    const auto before = std::filesystem::last_write_time(source);
    std::filesystem::last_write_time(source, before + std::chrono::seconds(5));
    const OhlcvCachedLoad changed = load();
    CHECK(changed.cache == CacheOutcome::kBuilt);
    CHECK(changed.cache_note == "source mtime changed");
    check_same_as_parse(changed, load_ohlcv(source, interval, BadRowPolicy::kReject));
  }
  SUBCASE("content only: same size and mtime, one digit changed in the last row") {
    const auto mtime = std::filesystem::last_write_time(source);
    std::string text = read_bytes(source);
    // The last row's volume "...,<digits>\n": change its last digit, keeping the length.
    const size_t digit = text.size() - 2;
    REQUIRE(text[digit] >= '0');
    REQUIRE(text[digit] <= '9');
    text[digit] = text[digit] == '1' ? '2' : '1';
    write_bytes(source, text);
    std::filesystem::last_write_time(source, mtime);
    REQUIRE(std::filesystem::last_write_time(source) == mtime);
    const OhlcvCachedLoad changed = load();
    CHECK(changed.cache == CacheOutcome::kBuilt);
    CHECK(changed.cache_note == "source content changed (fingerprint)");
    const OhlcvLoadResult reparsed = load_ohlcv(source, interval, BadRowPolicy::kReject);
    check_same_as_parse(changed, reparsed);
  }
  // After the rebuild the new cache file is used again.
  CHECK(load().cache == CacheOutcome::kHit);
}

TEST_CASE("a damaged cache file is rebuilt, never trusted") {
  TempDir cache("cache");
  const std::filesystem::path source = kDataDir / "ADA_BTC-5m.csv";
  const int64_t interval = 300'000;
  const OhlcvLoadResult parsed = load_ohlcv(source, interval, BadRowPolicy::kReject);
  REQUIRE(parsed.ok);
  REQUIRE(!parsed.gaps.empty());
  const auto load = [&] {
    return load_ohlcv_cached(source, interval, BadRowPolicy::kReject, {cache.path()});
  };
  const std::filesystem::path cache_file = load().cache_file;
  const std::string good = read_bytes(cache_file);
  REQUIRE(good.size() > 5720 * sizeof(OhlcvBar));

  struct Damage {
    const char* name;
    std::string bytes;
    const char* note;
  };
  std::string flipped_bar = good;
  flipped_bar[good.size() / 2] ^= 0x10;  // inside the bars section
  std::string flipped_tail = good;
  flipped_tail[good.size() - 3] ^= 0x01;  // inside the key or gaps
  std::string flipped_header = good;
  flipped_header[60] ^= 0x01;  // inside the source fingerprint
  std::string garbage(good.size(), '\0');
  for (size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<char>((i * 131 + 7) % 251);
  const Damage damages[] = {
      {"empty", "", "cannot map the cache file: file is empty"},
      {"shorter than the header", good.substr(0, 10), "cache file is shorter than its header"},
      {"truncated in the bars", good.substr(0, good.size() / 2),
       "cache file is truncated or its counts are corrupt"},
      {"one byte missing", good.substr(0, good.size() - 1),
       "cache file size does not match its counts (truncated?)"},
      {"garbage", garbage, "not a cache file (wrong magic)"},
      {"a bit flipped in a bar", flipped_bar,
       "cache file bars are corrupt (hash of the block from bar 0)"},
      {"a bit flipped after the bars", flipped_tail, "cache file is corrupt (hash)"},
      {"a bit flipped in the header", flipped_header, "cache header is corrupt (hash)"},
  };
  for (const Damage& damage : damages) {
    CAPTURE(damage.name);
    write_bytes(cache_file, damage.bytes);
    OhlcvCachedLoad rebuilt = load();
    CHECK(rebuilt.ok);
    CHECK(rebuilt.finish_cache_write().ok());
    CHECK(rebuilt.cache == CacheOutcome::kBuilt);
    CHECK(rebuilt.cache_note == damage.note);
    check_same_as_parse(rebuilt, parsed);
    CHECK(read_bytes(cache_file) == good);  // rebuilt to the same bytes
    CHECK(load().cache == CacheOutcome::kHit);
  }
}

TEST_CASE(
    "bars checked ahead of the reader: known good up to the first corrupt block, no further") {
  TempDir data("ahead");
  TempDir cache("cache");
  const std::filesystem::path source = data.path() / "WALK-1m.csv";
  const auto walk = generate_random_walk(
      {.bars = static_cast<int64_t>(3 * kBarsPerCheckedBlock + 100), .seed = 3});
  REQUIRE(walk.ok());
  REQUIRE(write_ohlcv_csv(source, walk.value()).ok());
  const auto load = [&](BarsCheck check) {
    OhlcvCacheOptions options{cache.path()};
    options.bars_check = check;
    return load_ohlcv_cached(source, kOneMinute, BadRowPolicy::kReject, options);
  };
  const size_t bars = walk->size();
  const std::filesystem::path cache_file = load(BarsCheck::kBeforeReturn).cache_file;

  OhlcvCachedLoad sound = load(BarsCheck::kAheadOfReader);
  REQUIRE(sound.cache == CacheOutcome::kHit);
  CHECK(sound.data.wait_checked(0) > 0);
  CHECK(sound.data.wait_checked(bars - 1) == bars);
  CHECK(std::equal(walk->begin(), walk->end(), sound.data.bars().begin()));

  // One bit of a bar in the third block.
  const std::string good = read_bytes(cache_file);
  std::string damaged = good;
  const size_t bar_in_third_block = 2 * kBarsPerCheckedBlock + 7;
  damaged[136 + bar_in_third_block * sizeof(OhlcvBar) + 3] ^= 0x08;
  write_bytes(cache_file, damaged);

  OhlcvCachedLoad ahead = load(BarsCheck::kAheadOfReader);
  CHECK(ahead.cache == CacheOutcome::kHit);  // nothing is known to be wrong yet
  CHECK(ahead.data.wait_checked(0) >= kBarsPerCheckedBlock);
  CHECK(ahead.data.wait_checked(2 * kBarsPerCheckedBlock - 1) == 2 * kBarsPerCheckedBlock);
  // The corrupt block and every later one are never reported good.
  CHECK(ahead.data.wait_checked(2 * kBarsPerCheckedBlock) == 2 * kBarsPerCheckedBlock);
  CHECK(ahead.data.wait_checked(bars - 1) == 2 * kBarsPerCheckedBlock);

  // Checked before the load returns, the same damage rebuilds the file.
  OhlcvCachedLoad before = load(BarsCheck::kBeforeReturn);
  CHECK(before.cache == CacheOutcome::kBuilt);
  CHECK(before.cache_note == "cache file bars are corrupt (hash of the block from bar " +
                                 std::to_string(2 * kBarsPerCheckedBlock) + ")");
  CHECK(before.finish_cache_write().ok());
  CHECK(read_bytes(cache_file) == good);
}

TEST_CASE("a read-only data folder works: the cache goes elsewhere and nothing is added to it") {
  TempDir data("readonly");
  TempDir cache("cache");
  const std::filesystem::path source = copy_bundled(data, "XRP_ETH-5m.csv");
  std::filesystem::permissions(
      data.path(),
      std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec |
          std::filesystem::perms::group_read | std::filesystem::perms::group_exec,
      std::filesystem::perm_options::replace);
  const auto before = list_dir(data.path());
  CHECK(load_ohlcv_cached(source, 300'000, BadRowPolicy::kReject, {cache.path()}).cache ==
        CacheOutcome::kBuilt);
  const OhlcvCachedLoad hit =
      load_ohlcv_cached(source, 300'000, BadRowPolicy::kReject, {cache.path()});
  CHECK(hit.cache == CacheOutcome::kHit);
  CHECK(hit.data.bars().size() == 712);
  CHECK(list_dir(data.path()) == before);

  // The bundled data folder (read-only files) is never written to either.
  const auto bundled_before = list_dir(kDataDir);
  CHECK(
      load_ohlcv_cached(kDataDir / "LTC_BTC-5m.csv", 300'000, BadRowPolicy::kReject, {cache.path()})
          .ok);
  CHECK(list_dir(kDataDir) == bundled_before);
}

// Same bytes, not just equal values: a hit must hand back exactly what was parsed.
bool same_bytes(std::span<const OhlcvBar> a, std::span<const OhlcvBar> b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size_bytes()) == 0;
}

TEST_CASE("an unusable cache folder never fails the load: the write fails and says where") {
  TempDir scratch("scratch");
  const std::filesystem::path not_a_folder = scratch.path() / "file";
  write_bytes(not_a_folder, "x");
  const std::filesystem::path cache_dir = not_a_folder / "cache";
  const std::filesystem::path source = kDataDir / "XRP_ETH-5m.csv";
  const OhlcvLoadResult parsed = load_ohlcv(source, 300'000, BadRowPolicy::kReject);
  OhlcvCachedLoad result = load_ohlcv_cached(source, 300'000, BadRowPolicy::kReject, {cache_dir});
  CHECK(result.ok);
  CHECK(!result.data.is_mapped());
  REQUIRE(result.cache_write.started());
  const Status written = result.cache_write.wait();
  CHECK(!written.ok());
  CHECK(written.error().find("cannot create the cache folder " + cache_dir.string()) !=
        std::string::npos);
  CHECK(result.cache_write.wait().error() == written.error());  // waiting again: the same
  CHECK(result.finish_cache_write().error() == written.error());
  CHECK(result.cache == CacheOutcome::kNotCached);
  CHECK(result.cache_note == written.error());
  check_same_as_parse(result, parsed);
  CHECK(same_bytes(result.data.bars(), parsed.bars));
  CHECK(list_dir(scratch.path()) == std::vector<std::string>{"file"});
}

TEST_CASE("a cache file that cannot be put in place leaves no temporary file behind") {
  TempDir cache("cache");
  const std::filesystem::path source = kDataDir / "XRP_ETH-5m.csv";
  const OhlcvLoadResult parsed = load_ohlcv(source, 300'000, BadRowPolicy::kReject);
  const std::filesystem::path target =
      load_ohlcv_cached(source, 300'000, BadRowPolicy::kReject, {cache.path()}).cache_file;
  // A folder where the cache file belongs: the rename over it fails (even for root).
  std::filesystem::remove(target);
  std::filesystem::create_directory(target);
  OhlcvCachedLoad result =
      load_ohlcv_cached(source, 300'000, BadRowPolicy::kReject, {cache.path()});
  CHECK(result.ok);
  CHECK(same_bytes(result.data.bars(), parsed.bars));
  const Status written = result.finish_cache_write();
  CHECK(!written.ok());
  CHECK(written.error().find("cannot rename") != std::string::npos);
  CHECK(written.error().find(cache.path().string()) != std::string::npos);
  CHECK(result.cache == CacheOutcome::kNotCached);
  CHECK(list_dir(cache.path()) == std::vector<std::string>{target.filename().string()});
}

TEST_CASE("a miss written in the background is hit next time with the same bytes") {
  TempDir cache("cache");
  const std::filesystem::path source = kDataDir / "ADA_BTC-5m.csv";
  const OhlcvLoadResult parsed = load_ohlcv(source, 300'000, BadRowPolicy::kReject);
  REQUIRE(parsed.ok);
  OhlcvCachedLoad built = load_ohlcv_cached(source, 300'000, BadRowPolicy::kReject, {cache.path()});
  REQUIRE(built.cache == CacheOutcome::kBuilt);
  REQUIRE(built.cache_write.started());
  CHECK(built.cache_write.wait().ok());
  CHECK(std::filesystem::is_regular_file(built.cache_file));
  const OhlcvCachedLoad hit =
      load_ohlcv_cached(source, 300'000, BadRowPolicy::kReject, {cache.path()});
  CHECK(hit.cache == CacheOutcome::kHit);
  CHECK(hit.data.is_mapped());
  CHECK(!hit.cache_write.started());  // a hit writes nothing
  CHECK(same_bytes(hit.data.bars(), built.data.bars()));
  CHECK(same_bytes(hit.data.bars(), parsed.bars));
  check_same_as_parse(hit, parsed);
}

TEST_CASE("a result destroyed without waiting still leaves a complete cache file") {
  TempDir cache("cache");
  const std::filesystem::path source = kDataDir / "ETH_BTC-1m.csv";
  const OhlcvLoadResult parsed = load_ohlcv(source, kOneMinute, BadRowPolicy::kReject);
  std::filesystem::path cache_file;
  {
    OhlcvCachedLoad dropped =
        load_ohlcv_cached(source, kOneMinute, BadRowPolicy::kReject, {cache.path()});
    REQUIRE(dropped.cache_write.started());
    cache_file = dropped.cache_file;
  }  // no wait(): the destructor joins the write
  // Joined, so the file is complete and renamed: nothing else is in the folder.
  CHECK(list_dir(cache.path()) == std::vector<std::string>{cache_file.filename().string()});
  const OhlcvCachedLoad hit =
      load_ohlcv_cached(source, kOneMinute, BadRowPolicy::kReject, {cache.path()});
  CHECK(hit.cache == CacheOutcome::kHit);  // verify_bars is on: a short file would be rebuilt
  CHECK(same_bytes(hit.data.bars(), parsed.bars));
}

TEST_CASE("concurrent first loads of one file all succeed and leave one cache file") {
  TempDir cache("cache");
  const std::filesystem::path source = kDataDir / "ETH_BTC-1m.csv";
  const OhlcvLoadResult parsed = load_ohlcv(source, kOneMinute, BadRowPolicy::kReject);
  std::vector<OhlcvCachedLoad> results(4);
  std::vector<std::thread> threads;
  for (auto& result : results) {
    threads.emplace_back([&result, &source, &cache] {
      result = load_ohlcv_cached(source, kOneMinute, BadRowPolicy::kReject, {cache.path()});
    });
  }
  for (auto& thread : threads) thread.join();
  for (auto& result : results) {
    check_same_as_parse(result, parsed);
    // Each wrote its own temporary file and renamed it over the others' identical file.
    CHECK(result.finish_cache_write().ok());
  }
  CHECK(list_dir(cache.path()).size() == 1);
  CHECK(load_ohlcv_cached(source, kOneMinute, BadRowPolicy::kReject, {cache.path()}).cache ==
        CacheOutcome::kHit);
}

TEST_CASE("moving MappedBars keeps the view valid and empties the source") {
  TempDir cache("cache");
  OhlcvCachedLoad loaded = load_ohlcv_cached(kDataDir / "XRP_ETH-5m.csv", 300'000,
                                             BadRowPolicy::kReject, {cache.path()});
  const OhlcvBar first = loaded.data.bars().front();
  MappedBars moved = std::move(loaded.data);
  CHECK(moved.bars().size() == 712);
  CHECK(moved.bars().front() == first);
  CHECK(loaded.data.bars().empty());  // NOLINT(bugprone-use-after-move): documented state
}

TEST_CASE("the cache folder: CEPHALO_CACHE_DIR, then XDG_CACHE_HOME, then HOME") {
  CHECK(resolve_cache_dir("/c", "/x", "/h").value() == "/c");
  CHECK(resolve_cache_dir(nullptr, "/x", "/h").value() == "/x/cephalo");
  CHECK(resolve_cache_dir("", "/x", "/h").value() == "/x/cephalo");
  CHECK(resolve_cache_dir(nullptr, nullptr, "/h").value() == "/h/.cache/cephalo");
  CHECK(resolve_cache_dir(nullptr, "relative", "/h").value() == "/h/.cache/cephalo");
  const auto none = resolve_cache_dir(nullptr, nullptr, nullptr);
  CHECK(!none.ok());
  CHECK(none.error().find("CEPHALO_CACHE_DIR") != std::string::npos);
}

}  // namespace
