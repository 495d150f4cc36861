#include "temp_folder.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <iterator>
#include <random>
#include <stdexcept>

#include "storage/text.hpp"

namespace cephalo::test {
namespace {

using storage_text::cat;

// Fails the test loudly through an exception, which doctest reports with the message.
void check_sqlite(int rc, sqlite3* db, const std::string& what) {
  if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE) {
    throw std::runtime_error(cat(what, ": ", db != nullptr ? sqlite3_errmsg(db) : "no handle"));
  }
}

template <class Read>
auto query_independently(const std::filesystem::path& file, const std::string& sql, Read read) {
  sqlite3* db = nullptr;
  check_sqlite(sqlite3_open_v2(file.string().c_str(), &db, SQLITE_OPEN_READONLY, nullptr), db,
               cat("open ", file.string()));
  sqlite3_stmt* statement = nullptr;
  const int prepared = sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr);
  if (prepared != SQLITE_OK) {
    const std::string message = sqlite3_errmsg(db);
    sqlite3_close(db);
    throw std::runtime_error(cat("prepare ", sql, ": ", message));
  }
  const int rc = sqlite3_step(statement);
  auto value = read(statement, rc == SQLITE_ROW);
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return value;
}

}  // namespace

TempFolder::TempFolder() {
  static std::atomic<int> counter{0};
  std::random_device random;
  path_ = std::filesystem::temp_directory_path() /
          cat("cephalo_storage_test_", std::to_string(::getpid()), "_", std::to_string(counter++),
              "_", std::to_string(random()));
  std::filesystem::create_directories(path_);
}

TempFolder::~TempFolder() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::vector<char> read_bytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::vector<char>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_bytes(const std::filesystem::path& file, const std::vector<char>& bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::int64_t query_int64_independently(const std::filesystem::path& file, const std::string& sql) {
  return query_independently(file, sql, [&](sqlite3_stmt* statement, bool has_row) {
    if (!has_row) throw std::runtime_error(cat("no row from ", sql));
    return static_cast<std::int64_t>(sqlite3_column_int64(statement, 0));
  });
}

std::string query_text_independently(const std::filesystem::path& file, const std::string& sql) {
  return query_independently(file, sql, [](sqlite3_stmt* statement, bool has_row) {
    if (!has_row) return std::string("<no row>");
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    return std::string(text != nullptr ? text : "<null>");
  });
}

}  // namespace cephalo::test
