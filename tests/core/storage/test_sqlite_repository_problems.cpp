// Nothing is dropped silently: a record the database refuses is counted and named by table and
// key while the rest is written; a writer that fails (here a real full disk: a file-size limit on
// a child process) stops at once, keeps what it committed and says why.
#include <doctest/doctest.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>

#include "storage/sqlite_repository.hpp"
#include "temp_folder.hpp"

namespace cephalo {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::unique_ptr<SqliteRepository> open_or_fail(const std::filesystem::path& file,
                                               SqliteOptions options = {}) {
  auto opened = SqliteRepository::open(file, options);
  REQUIRE_MESSAGE(opened.ok(), opened.error());
  return std::move(opened).value();
}

std::int64_t start(SqliteRepository& repository, std::string_view mode = "backtest") {
  auto run = repository.start_run(1'000, mode, "{}");
  REQUIRE_MESSAGE(run.ok(), run.error());
  return run.value();
}

FillRecord fill(const std::string& trade_id) {
  return FillRecord{trade_id, "bt-1", 5, "ETH/BTC", "buy", 1.0, 0.05, 0.00005, "BTC"};
}

OrderRecord order(const std::string& id, std::int64_t updated_ns, const std::string& status) {
  OrderRecord record;
  record.client_order_id = id;
  record.time_ns = 1;
  record.symbol = "ETH/BTC";
  record.side = "buy";
  record.type = "market";
  record.time_in_force = "gtc";
  record.quantity = 1.0;
  record.status = status;
  record.updated_time_ns = updated_ns;
  return record;
}

TEST_CASE("the same key in one run is refused by name; other rows and other runs are written") {
  test::TempFolder folder;
  auto repository = open_or_fail(folder.file("conflict.sqlite"));
  const std::int64_t first = start(*repository);
  repository->record(fill("bt-fill-1"));
  repository->record(fill("bt-fill-2"));
  repository->record(fill("bt-fill-1"));  // the same trade id again in the same run
  repository->record(fill("bt-fill-3"));
  const Status flushed = repository->flush();
  REQUIRE_FALSE(flushed.ok());
  CHECK(contains(flushed.error(), "1 record(s) could not be written"));
  CHECK(contains(flushed.error(),
                 "table fills, key (run " + std::to_string(first) + ", trade_id 'bt-fill-1')"));
  CHECK(contains(flushed.error(), "UNIQUE constraint failed"));

  const StorageProblems problems = repository->problems();
  CHECK(problems.refused == 1);
  CHECK(problems.failure.empty());  // a refusal does not stop the writer
  REQUIRE(problems.messages.size() == 1);
  CHECK(contains(problems.messages[0], "trade_id 'bt-fill-1'"));
  CHECK(contains(problems.describe(), "1 record(s) refused by the database and not written"));
  CHECK(repository->count("fills").value() == 3);

  // A second run may reuse every id: a backtest's ids start at bt-1 each time.
  const std::int64_t second = start(*repository);
  repository->record(fill("bt-fill-1"));
  repository->record(fill("bt-fill-2"));
  REQUIRE(repository->flush().ok());
  CHECK(repository->run_rows<FillRecord>(first).value().size() == 3);
  CHECK(repository->run_rows<FillRecord>(second).value().size() == 2);
  CHECK(repository->problems().refused == 1);  // totals since opening
}

// Rows go 32 to an INSERT; a refused one undoes its statement, whose rows are then written
// one by one: the others are kept and only the repeated one is named.
TEST_CASE("a repeated key inside a multi-row insert: the other rows of that insert are kept") {
  test::TempFolder folder;
  auto repository = open_or_fail(folder.file("chunk.sqlite"));
  const std::int64_t run = start(*repository);
  for (int i = 0; i < 100; ++i) {
    repository->record(fill("f-" + std::to_string(i)));
    if (i == 40) repository->record(fill("f-7"));  // the second row 41 of a batch of 101
  }
  const Status flushed = repository->flush();
  REQUIRE_FALSE(flushed.ok());
  CHECK(contains(flushed.error(),
                 "table fills, key (run " + std::to_string(run) + ", trade_id 'f-7')"));
  CHECK(repository->problems().refused == 1);
  const auto fills = repository->run_rows<FillRecord>(run).value();
  REQUIRE(fills.size() == 100);
  bool in_order = true;
  for (int i = 0; i < 100; ++i)
    in_order = in_order && fills[i].trade_id == "f-" + std::to_string(i);
  CHECK(in_order);
}

TEST_CASE("orders in one multi-row upsert: a stale state among them is refused by name") {
  test::TempFolder folder;
  auto repository = open_or_fail(folder.file("order_chunk.sqlite"));
  const std::int64_t run = start(*repository);
  for (int i = 0; i < 50; ++i) repository->record(order("bt-" + std::to_string(i), 10, "new"));
  for (int i = 0; i < 50; ++i) {
    repository->record(order("bt-" + std::to_string(i), i == 20 ? 5 : 20, "filled"));
  }
  const Status flushed = repository->flush();
  REQUIRE_FALSE(flushed.ok());
  CHECK(contains(flushed.error(), "client_order_id 'bt-20'"));
  CHECK(repository->problems().refused == 1);
  const auto orders = repository->run_rows<OrderRecord>(run).value();
  REQUIRE(orders.size() == 50);
  std::size_t filled = 0;
  for (const auto& stored : orders) filled += stored.status == "filled" ? 1 : 0;
  CHECK(filled == 49);  // bt-20 keeps its newer "new" state of time 10
}

TEST_CASE("an order's older state is refused, never rolled back onto the newer one") {
  test::TempFolder folder;
  auto repository = open_or_fail(folder.file("orders.sqlite"));
  const std::int64_t run = start(*repository);
  repository->record(order("bt-1", 10, "new"));
  repository->record(order("bt-1", 20, "filled"));
  repository->record(order("bt-1", 15, "partially_filled"));  // late and stale
  const Status flushed = repository->flush();
  REQUIRE_FALSE(flushed.ok());
  CHECK(contains(flushed.error(),
                 "table orders, key (run " + std::to_string(run) + ", client_order_id 'bt-1')"));
  CHECK(contains(flushed.error(), "a newer state of this row is stored"));
  const auto orders = repository->run_rows<OrderRecord>(run).value();
  REQUIRE(orders.size() == 1);
  CHECK(orders[0].status == "filled");
  CHECK(orders[0].updated_time_ns == 20);
}

TEST_CASE("a record before any run is refused: every row belongs to a run") {
  test::TempFolder folder;
  auto repository = open_or_fail(folder.file("no_run.sqlite"));
  repository->record(BalanceRecord{1, "BTC", 1.0, 0.0, "deposit"});
  const Status flushed = repository->flush();
  REQUIRE_FALSE(flushed.ok());
  CHECK(contains(flushed.error(), "table balances"));
  CHECK(contains(flushed.error(), "no run was started"));
  CHECK(repository->count("balances").value() == 0);
}

TEST_CASE("the test hook repeats one record, and the database refuses it by its key") {
  test::TempFolder folder;
  SqliteOptions options;
  options.test_conflict_table = "fills";
  options.test_conflict_nth = 2;
  auto repository = open_or_fail(folder.file("hook.sqlite"), options);
  std::atomic<int> told{0};
  std::atomic<bool> told_stopped{false};
  repository->set_problem_listener([&](const StorageProblems& problems, bool stopped) {
    CHECK(problems.refused == 1);
    ++told;
    told_stopped = stopped;
  });
  const std::int64_t run = start(*repository);
  for (int i = 1; i <= 4; ++i) repository->record(fill("bt-fill-" + std::to_string(i)));
  CHECK_FALSE(repository->flush().ok());
  const StorageProblems problems = repository->problems();
  CHECK(problems.refused == 1);
  REQUIRE(problems.messages.size() == 1);
  CHECK(contains(problems.messages[0],
                 "table fills, key (run " + std::to_string(run) + ", trade_id 'bt-fill-2')"));
  CHECK(repository->count("fills").value() == 4);  // each stored once; none lost
  CHECK(told == 1);                                // told about the first refusal only
  CHECK_FALSE(told_stopped);
}

TEST_CASE("a file locked by another program stops the writer: reported, counted, nothing more") {
  test::TempFolder folder;
  const auto file = folder.file("locked.sqlite");
  SqliteOptions options;
  options.batch_size = 100'000;
  options.max_queued = 100'000;
  options.flush_interval_ms = 600'000;
  options.busy_timeout_ms = 50;
  auto repository = open_or_fail(file, options);
  start(*repository);
  repository->record(fill("committed"));
  REQUIRE(repository->flush().ok());
  std::atomic<bool> stopped{false};
  repository->set_problem_listener(
      [&stopped](const StorageProblems&, bool writer_stopped) { stopped = writer_stopped; });
  sqlite3* holder = nullptr;
  REQUIRE(sqlite3_open(file.string().c_str(), &holder) == SQLITE_OK);
  REQUIRE(sqlite3_exec(holder, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr) == SQLITE_OK);
  for (int i = 0; i < 5; ++i) repository->record(fill("lost-" + std::to_string(i)));
  const Status flushed = repository->flush();
  sqlite3_exec(holder, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(holder);
  REQUIRE_FALSE(flushed.ok());
  CHECK(contains(flushed.error(), "5 record(s) could not be written"));
  CHECK(contains(flushed.error(), "database is locked"));
  CHECK(stopped);
  // The lock is gone, but a stopped writer writes nothing more: the run must stop, not go on
  // with a hole in its journal. Later records are counted as lost.
  repository->record(fill("after"));
  CHECK_FALSE(repository->flush().ok());
  const StorageProblems problems = repository->problems();
  CHECK(contains(problems.failure, "database is locked"));
  CHECK(problems.lost == 6);
  CHECK(contains(problems.describe(), "storage stopped: "));
  CHECK(contains(problems.describe(), "6 record(s) were not written"));
  CHECK_FALSE(repository->record_order_sync(order("c-1", 1, "pending_new")).ok());
  CHECK(repository->count("fills").value() == 1);  // what was committed before is kept
}

// The child fills a real disk quota: RLIMIT_FSIZE caps every file it writes, and with SIGXFSZ
// ignored the kernel refuses the write (EFBIG) exactly where a full disk would (ENOSPC). SQLite
// keeps no errno for it, so storage names the limit it finds.
// Exit status: 0 when storage stopped at once with the reason, else which check failed.
int fill_the_disk_in_a_child(const std::filesystem::path& file) {
  std::signal(SIGXFSZ, SIG_IGN);
  const rlimit limit{256 * 1024, 256 * 1024};
  if (setrlimit(RLIMIT_FSIZE, &limit) != 0) return 10;
  SqliteOptions options;
  options.batch_size = 200;
  auto opened = SqliteRepository::open(file, options);
  if (!opened.ok()) return 11;
  SqliteRepository& repository = *opened.value();
  std::atomic<bool> stopped{false};
  repository.set_problem_listener([&stopped](const StorageProblems&, bool writer_stopped) {
    stopped = stopped || writer_stopped;
  });
  if (!repository.start_run(1, "paper", "{}").ok()) return 12;
  std::int64_t pushed = 0;
  // Far more than fits: the listener must stop this loop long before it ends.
  while (!stopped && pushed < 2'000'000) {
    repository.record(EventRecord{pushed++, "error", 1, 1, std::string(200, 'x')});
  }
  if (!stopped) return 13;
  if (repository.flush().ok()) return 14;
  const StorageProblems problems = repository.problems();
  std::printf("child: %lld pushed, %lld lost: %s\n", static_cast<long long>(pushed),
              static_cast<long long>(problems.lost), problems.failure.c_str());
  std::fflush(stdout);
  if (problems.lost <= 0) return 15;
  if (problems.failure.find("the file size limit of this process (ulimit -f) of 262144 bytes") ==
      std::string::npos) {
    return 16;
  }
  return 0;
}

TEST_CASE("disk full: the writer stops at once with the reason and keeps what it committed") {
  test::TempFolder folder;
  const auto file = folder.file("full.sqlite");
  std::fflush(nullptr);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) _exit(fill_the_disk_in_a_child(file));
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);

  // Without the limit, the file opens (quick_check passes) and holds the committed batches.
  auto reopened = open_or_fail(file);
  CHECK(reopened->count("events").value() > 0);
  CHECK(reopened->runs().value().size() == 1);
}

}  // namespace
}  // namespace cephalo
