// The batched writer: what is queued is committed by flush(), by a full batch, by the interval
// and by destruction; record_order_sync is on disk when it returns. (What is not written, and
// why: test_sqlite_repository_problems.cpp.)
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "storage/sqlite_repository.hpp"
#include "storage/text.hpp"
#include "temp_folder.hpp"

namespace cephalo {
namespace {

using namespace std::chrono_literals;

// Long enough that nothing is written on a timer during a test unless the test wants it.
constexpr std::int64_t kNever = 600'000;

// Opened with a run started: every row belongs to a run.
std::unique_ptr<SqliteRepository> open_or_fail(const std::filesystem::path& file,
                                               SqliteOptions options) {
  auto opened = SqliteRepository::open(file, options);
  REQUIRE_MESSAGE(opened.ok(), opened.error());
  REQUIRE(opened.value()->start_run(1, "backtest", "{}").ok());
  return std::move(opened).value();
}

SqliteOptions options_with(std::size_t batch_size, std::int64_t flush_interval_ms) {
  SqliteOptions options;
  options.batch_size = batch_size;
  options.flush_interval_ms = flush_interval_ms;
  options.max_queued = std::max<std::size_t>(batch_size, 65536);
  return options;
}

EventRecord event(std::int64_t sequence) {
  return {sequence, "tick", sequence * 1000, sequence * 1000 + 7, "{}"};
}

std::int64_t rows_seen_by_another_connection(const std::filesystem::path& file,
                                             const std::string& table) {
  return test::query_int64_independently(file, storage_text::cat("SELECT count(*) FROM ", table));
}

// Polls another connection until `expected` rows are visible; a timer-driven commit takes time.
bool eventually_sees(const std::filesystem::path& file, const std::string& table,
                     std::int64_t expected) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (rows_seen_by_another_connection(file, table) == expected) return true;
    std::this_thread::sleep_for(5ms);
  }
  return false;
}

TEST_CASE("queued records reach the file only when written, and flush() writes them all") {
  test::TempFolder folder;
  const auto file = folder.file("flush.sqlite");
  auto repository = open_or_fail(file, options_with(100'000, kNever));
  for (std::int64_t i = 0; i < 250; ++i) repository->record(event(i));
  // Neither the batch size nor the interval has been reached: the records wait in the queue.
  CHECK(rows_seen_by_another_connection(file, "events") == 0);
  REQUIRE(repository->flush().ok());
  CHECK(rows_seen_by_another_connection(file, "events") == 250);
  CHECK(repository->count("events").value() == 250);
}

TEST_CASE("destroying the repository writes what is still queued") {
  test::TempFolder folder;
  const auto file = folder.file("destroy.sqlite");
  {
    auto repository = open_or_fail(file, options_with(100'000, kNever));
    for (std::int64_t i = 0; i < 1'234; ++i) repository->record(event(i));
    repository->record(FillRecord{"t-9", "c-9", 1, "ETH/USDT", "sell", 1.0, 2000.0, 2.0, "USDT"});
  }
  auto reopened = open_or_fail(file, SqliteOptions{});
  CHECK(reopened->count("events").value() == 1'234);
  CHECK(reopened->count("fills").value() == 1);
  const auto events = reopened->events().value();
  REQUIRE(events.size() == 1'234);
  CHECK(events.front().sequence == 0);
  CHECK(events.back().sequence == 1'233);
}

TEST_CASE("a full batch is written without flush()") {
  test::TempFolder folder;
  const auto file = folder.file("batch.sqlite");
  auto repository = open_or_fail(file, options_with(10, kNever));
  for (std::int64_t i = 0; i < 10; ++i) repository->record(event(i));
  CHECK(eventually_sees(file, "events", 10));
}

TEST_CASE("a partial batch is written when the flush interval passes") {
  test::TempFolder folder;
  const auto file = folder.file("interval.sqlite");
  auto repository = open_or_fail(file, options_with(100'000, 20));
  for (std::int64_t i = 0; i < 3; ++i) repository->record(event(i));
  CHECK(eventually_sees(file, "events", 3));
}

TEST_CASE("record_order_sync is visible to another connection as soon as it returns") {
  test::TempFolder folder;
  const auto file = folder.file("sync.sqlite");
  auto repository = open_or_fail(file, options_with(100'000, kNever));
  repository->record(event(1));  // queued before the order: written before it, in order
  OrderRecord order{"c-77", 5,       100,          "BTC/USDT",    "buy",    "limit", "gtc",
                    0.5,    30000.0, std::nullopt, "pending_new", "slot-a", "",      100};
  REQUIRE(repository->record_order_sync(order).ok());
  CHECK(test::query_text_independently(
            file, "SELECT status FROM orders WHERE client_order_id = 'c-77'") == "pending_new");
  CHECK(rows_seen_by_another_connection(file, "events") == 1);

  order.status = "open";
  order.venue_order_id = "V-1";
  order.updated_time_ns = 200;
  REQUIRE(repository->record_order_sync(order).ok());
  CHECK(test::query_text_independently(
            file, "SELECT status || '/' || venue_order_id FROM orders") == "open/V-1");
  CHECK(rows_seen_by_another_connection(file, "orders") == 1);
}

TEST_CASE("twenty thousand records from one thread, with back-pressure, all arrive in order") {
  test::TempFolder folder;
  const auto file = folder.file("bulk.sqlite");
  SqliteOptions options = options_with(256, 50);
  options.max_queued = 1'000;  // small, so the producer has to wait for the writer
  auto repository = open_or_fail(file, options);
  constexpr std::int64_t kCount = 20'000;
  for (std::int64_t i = 0; i < kCount; ++i) {
    repository->record(event(i));
    if (i % 4 == 0) {
      repository->record(
          CandleRecord{"BTC/USDT", "1m", i * 60'000'000'000, 1.0, 2.0, 0.5, 1.5, double(i)});
    }
  }
  REQUIRE(repository->flush().ok());
  CHECK(repository->count("events").value() == kCount);
  CHECK(repository->count("candles").value() == kCount / 4);
  const auto events = repository->events().value();
  REQUIRE(events.size() == static_cast<std::size_t>(kCount));
  bool in_order = true;
  for (std::size_t i = 0; i < events.size(); ++i) {
    in_order = in_order && events[i].sequence == static_cast<std::int64_t>(i);
  }
  CHECK(in_order);
}

TEST_CASE("records queued from several threads are all written") {
  test::TempFolder folder;
  const auto file = folder.file("threads.sqlite");
  auto repository = open_or_fail(file, options_with(128, 10));
  std::vector<std::thread> producers;
  for (int thread = 0; thread < 4; ++thread) {
    producers.emplace_back([&repository, thread] {
      for (std::int64_t i = 0; i < 2'500; ++i) repository->record(event(thread * 10'000 + i));
    });
  }
  for (auto& producer : producers) producer.join();
  REQUIRE(repository->flush().ok());
  CHECK(repository->count("events").value() == 10'000);
}

}  // namespace
}  // namespace cephalo
