// Opening a storage file: new files get the schema, reopening keeps it, and files that cannot be
// used are refused with a message that names them, and are left byte for byte as they were.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <random>

#include "storage/sqlite_repository.hpp"
#include "storage/text.hpp"
#include "temp_folder.hpp"

namespace cephalo {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

void run_sql(const std::filesystem::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.string().c_str(), &db) == SQLITE_OK);
  char* message = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  const std::string error = message != nullptr ? message : "";
  sqlite3_free(message);
  sqlite3_close(db);
  REQUIRE_MESSAGE(rc == SQLITE_OK, error);
}

bool has_sqlite_side_files(const std::filesystem::path& file) {
  return std::filesystem::exists(file.string() + "-wal") ||
         std::filesystem::exists(file.string() + "-shm") ||
         std::filesystem::exists(file.string() + "-journal");
}

TEST_CASE("a new file gets the latest schema in WAL mode, and reopening keeps data and version") {
  test::TempFolder folder;
  const auto file = folder.file("nested/folder/cephalo.sqlite");  // folders are created
  {
    auto opened = SqliteRepository::open(file);
    REQUIRE_MESSAGE(opened.ok(), opened.error());
    CHECK(opened.value()->schema_version().value() == SqliteRepository::latest_schema_version());
    CHECK(opened.value()->migration_note().empty());  // a new file has nothing to migrate
    REQUIRE(opened.value()->start_run(1, "paper", "{}").ok());
    opened.value()->record(BalanceRecord{1, "USDT", 100.0, 0.0, "deposit"});
  }
  CHECK(test::query_text_independently(file, "PRAGMA journal_mode") == "wal");
  CHECK(test::query_int64_independently(file, "PRAGMA user_version") ==
        SqliteRepository::latest_schema_version());

  auto reopened = SqliteRepository::open(file);
  REQUIRE_MESSAGE(reopened.ok(), reopened.error());
  CHECK(reopened.value()->schema_version().value() == SqliteRepository::latest_schema_version());
  CHECK(reopened.value()->count("balances").value() == 1);
  CHECK(reopened.value()->balances().value().at(0).reason == "deposit");
}

TEST_CASE("a file of random bytes is refused by name and left untouched") {
  test::TempFolder folder;
  const auto file = folder.file("garbage.sqlite");
  std::mt19937 random(20240611);  // fixed seed: the same bytes on every run
  std::vector<char> bytes(8192);
  for (char& byte : bytes) byte = static_cast<char>(random() & 0xff);
  test::write_bytes(file, bytes);

  auto opened = SqliteRepository::open(file);
  REQUIRE_FALSE(opened.ok());
  CHECK(contains(opened.error(), file.string()));
  CHECK(contains(opened.error(), "is not a Cephalo database or is damaged"));
  CHECK(contains(opened.error(), "(sqlite: file is not a database)"));
  CHECK(contains(opened.error(), "move it away or point storage.path elsewhere"));
  CHECK(test::read_bytes(file) == bytes);
  CHECK_FALSE(has_sqlite_side_files(file));
}

// Regression (issue 20, finding 10): a file with damaged data pages was accepted and appended to.
TEST_CASE("a database with damaged pages is refused by quick_check and left untouched") {
  test::TempFolder folder;
  const auto file = folder.file("damaged.sqlite");
  {
    auto opened = SqliteRepository::open(file);
    REQUIRE_MESSAGE(opened.ok(), opened.error());
    REQUIRE(opened.value()->start_run(1, "paper", "{}").ok());
    for (int i = 0; i < 2000; ++i) {
      opened.value()->record(EventRecord{i, "error", i, i, std::string(100, 'x')});
    }
    REQUIRE(opened.value()->flush().ok());
  }
  auto bytes = test::read_bytes(file);
  REQUIRE(bytes.size() > 16 * 4096);
  std::mt19937 random(20261207);  // fixed seed: the same damage on every run
  for (std::size_t i = 10 * 4096; i < 11 * 4096; ++i) bytes[i] = static_cast<char>(random() & 0xff);
  test::write_bytes(file, bytes);

  auto opened = SqliteRepository::open(file);
  REQUIRE_FALSE(opened.ok());
  CHECK(contains(opened.error(), file.string()));
  INFO(opened.error());
  CHECK(contains(opened.error(), "is damaged: SQLite's quick_check found"));
  CHECK(contains(opened.error(), "Nothing was written to it"));
  CHECK(test::read_bytes(file) == bytes);
}

TEST_CASE("a database with a newer schema is refused naming both versions, and left untouched") {
  test::TempFolder folder;
  const auto file = folder.file("future.sqlite");
  run_sql(file, "CREATE TABLE from_the_future (x INTEGER); PRAGMA user_version = 99;");
  const auto before = test::read_bytes(file);

  auto opened = SqliteRepository::open(file);
  REQUIRE_FALSE(opened.ok());
  CHECK(contains(opened.error(), file.string()));
  CHECK(
      contains(opened.error(),
               storage_text::cat("schema version 99, which is newer than this cephalo supports (",
                                 std::to_string(SqliteRepository::latest_schema_version()), ")")));
  CHECK(contains(opened.error(), "upgrade cephalo or use another file"));
  CHECK(test::read_bytes(file) == before);
  CHECK_FALSE(has_sqlite_side_files(file));
  CHECK(test::query_int64_independently(file, "PRAGMA user_version") == 99);
}

TEST_CASE("another program's SQLite database is refused and left untouched") {
  test::TempFolder folder;
  const auto file = folder.file("someone_else.db");
  run_sql(file, "CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('ada');");
  const auto before = test::read_bytes(file);

  auto opened = SqliteRepository::open(file);
  REQUIRE_FALSE(opened.ok());
  CHECK(contains(opened.error(), file.string()));
  CHECK(contains(opened.error(), "not a Cephalo one"));
  CHECK(test::read_bytes(file) == before);
}

TEST_CASE("a path inside a regular file is refused with a message naming the folder") {
  test::TempFolder folder;
  const auto blocker = folder.file("not_a_folder");
  test::write_bytes(blocker, {'x'});
  auto opened = SqliteRepository::open(blocker / "cephalo.sqlite");
  REQUIRE_FALSE(opened.ok());
  CHECK(contains(opened.error(), blocker.string()));
  CHECK(contains(opened.error(), "point storage.path elsewhere"));
  CHECK(test::read_bytes(blocker) == std::vector<char>{'x'});
}

TEST_CASE("invalid options are all reported at once") {
  test::TempFolder folder;
  SqliteOptions options;
  options.batch_size = 0;
  options.flush_interval_ms = 0;
  auto opened = SqliteRepository::open(folder.file("options.sqlite"), options);
  REQUIRE_FALSE(opened.ok());
  CHECK(contains(opened.error(), "batch_size must be at least 1"));
  CHECK(contains(opened.error(), "flush_interval_ms must be at least 1 (got 0)"));
  CHECK_FALSE(std::filesystem::exists(folder.file("options.sqlite")));
}

}  // namespace
}  // namespace cephalo
