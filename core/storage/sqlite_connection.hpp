// RAII owners of a SQLite connection and a prepared statement, with the few calls storage needs.
// Thread-safety: none; each Connection and its Statements are used by one thread at a time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace cephalo::sqlite {

// A failed SQLite call: the result code decides how the error is worded for the user.
struct Error {
  int code = 0;
  std::string message;
};

class Statement {
 public:
  Statement() = default;
  explicit Statement(sqlite3_stmt* statement) : statement_(statement) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  bool prepared() const { return statement_ != nullptr; }

  // Parameters are 1-based, as in SQL. Text is bound without a copy: it must outlive step().
  void bind(int index, std::int64_t value);
  void bind(int index, double value);  // NaN becomes NULL
  void bind(int index, bool value);
  void bind(int index, std::string_view text);
  void bind(int index, const std::optional<double>& value);
  void bind_null(int index);

  // Returns SQLITE_ROW, SQLITE_DONE or an error code. Call reset() before binding again.
  int step();
  void reset();
  // reset() without unbinding, for a statement whose every parameter is bound again before each
  // step (the writer's inserts): the borrowed text pointers stay, but are never read again.
  void rewind();

  // Columns are 0-based, as in the SQLite C API.
  std::int64_t column_int64(int index) const;
  double column_double(int index) const;  // NULL reads as NaN
  std::optional<double> column_optional_double(int index) const;
  std::optional<std::int64_t> column_optional_int64(int index) const;
  std::string column_text(int index) const;

 private:
  sqlite3_stmt* statement_ = nullptr;
};

class Connection {
 public:
  // Opens (creating if missing) without reading the file: damage shows on the first query.
  static std::optional<Error> open(const std::filesystem::path& path, int busy_timeout_ms,
                                   Connection& out_connection);

  Connection() = default;
  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Runs one or more statements that return no rows we need.
  std::optional<Error> exec(std::string_view sql);
  std::optional<Error> prepare(std::string_view sql, Statement& out_statement);
  // A single integer from a query such as "PRAGMA user_version".
  std::optional<Error> query_int64(std::string_view sql, std::int64_t& out_value);
  // The text of the last failure on this connection.
  Error last_error() const;
  std::int64_t last_insert_rowid() const;
  std::int64_t changes() const;  // rows changed by the last statement
  bool in_transaction() const;

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

}  // namespace cephalo::sqlite
