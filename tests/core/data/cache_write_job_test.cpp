// CacheWriteJob runs its write on another thread, is always joined (by wait() or its destructor)
// and turns whatever the write does, an exception included, into a Status.
#include "data/cache_write_job.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <utility>

namespace {

using namespace cephalo;

// A write that is still running when its owner lets go of it: the sleep makes a missing join
// visible (the flag would still be false), it is not a timing assertion.
std::function<Status()> slow_write(std::atomic<bool>& finished) {
  return [&finished]() -> Status {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    finished = true;
    return Ok{};
  };
}

TEST_CASE("wait() returns what the write returned, on every call") {
  CacheWriteJob failing("/cache/x.bars", [] { return Status(Error{"disk full"}); });
  CHECK(failing.started());
  CHECK(failing.file() == "/cache/x.bars");
  CHECK(failing.wait().error() == "disk full");
  CHECK(failing.wait().error() == "disk full");

  CacheWriteJob succeeding("/cache/y.bars", [] { return Status(Ok{}); });
  CHECK(succeeding.wait().ok());
}

TEST_CASE("the write runs on another thread") {
  const std::thread::id caller = std::this_thread::get_id();
  std::thread::id writer;
  CacheWriteJob job("/cache/x.bars", [&writer]() -> Status {
    writer = std::this_thread::get_id();
    return Ok{};
  });
  REQUIRE(job.wait().ok());
  CHECK(writer != std::thread::id{});
  CHECK(writer != caller);
}

TEST_CASE("the destructor joins a write nobody waited for") {
  std::atomic<bool> finished{false};
  { CacheWriteJob job("/cache/x.bars", slow_write(finished)); }
  CHECK(finished);
}

TEST_CASE("moving a job moves the running write; assigning over a job joins the old one") {
  std::atomic<bool> first_finished{false};
  std::atomic<bool> second_finished{false};
  CacheWriteJob job("/cache/a.bars", slow_write(first_finished));
  CacheWriteJob moved = std::move(job);
  CHECK(!job.started());  // NOLINT(bugprone-use-after-move): documented state
  CHECK(job.file().empty());
  CHECK(moved.file() == "/cache/a.bars");
  moved = CacheWriteJob("/cache/b.bars", slow_write(second_finished));
  CHECK(first_finished);  // joined before it was replaced
  CHECK(moved.file() == "/cache/b.bars");
  CHECK(moved.wait().ok());
  CHECK(second_finished);
}

TEST_CASE("an exception in the write becomes an error, not a terminated process") {
  CacheWriteJob job("/cache/x.bars", []() -> Status { throw std::runtime_error("no memory"); });
  const Status status = job.wait();
  CHECK(!status.ok());
  CHECK(status.error() == "cache writer failed: no memory");
}

TEST_CASE("a job that was never started says so") {
  CacheWriteJob none;
  CHECK(!none.started());
  CHECK(none.file().empty());
  const Status status = none.wait();
  CHECK(!status.ok());
  CHECK(status.error() == "no cache write was started");
}

}  // namespace
