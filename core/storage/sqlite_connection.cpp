#include "storage/sqlite_connection.hpp"

#include <sqlite3.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

#include "model/system_text.hpp"
#include "storage/storage_errors.hpp"
#include "storage/text.hpp"

namespace cephalo::sqlite {

Statement::Statement(Statement&& other) noexcept
    : statement_(std::exchange(other.statement_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(statement_);
    statement_ = std::exchange(other.statement_, nullptr);
  }
  return *this;
}

Statement::~Statement() {
  sqlite3_finalize(statement_);
}

void Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(statement_, index, value);
}

void Statement::bind(int index, double value) {
  // SQLite would store NaN as NULL anyway; saying so keeps the round trip explicit.
  if (std::isnan(value)) {
    bind_null(index);
  } else {
    sqlite3_bind_double(statement_, index, value);
  }
}

void Statement::bind(int index, bool value) {
  sqlite3_bind_int(statement_, index, value ? 1 : 0);
}

void Statement::bind(int index, std::string_view text) {
  // SQLITE_STATIC: the record being written outlives the step, so no copy is needed. A null
  // data pointer (an empty string_view) would bind NULL, not the empty text it means.
  const char* data = text.data() != nullptr ? text.data() : "";
  sqlite3_bind_text64(statement_, index, data, text.size(), SQLITE_STATIC, SQLITE_UTF8);
}

void Statement::bind(int index, const std::optional<double>& value) {
  if (value) {
    bind(index, *value);
  } else {
    bind_null(index);
  }
}

void Statement::bind_null(int index) {
  sqlite3_bind_null(statement_, index);
}

int Statement::step() {
  return sqlite3_step(statement_);
}

void Statement::rewind() {
  sqlite3_reset(statement_);
}

void Statement::reset() {
  sqlite3_reset(statement_);
  // Unbinding drops the borrowed text pointers before the records they point into go away.
  sqlite3_clear_bindings(statement_);
}

std::int64_t Statement::column_int64(int index) const {
  return sqlite3_column_int64(statement_, index);
}

double Statement::column_double(int index) const {
  if (sqlite3_column_type(statement_, index) == SQLITE_NULL) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  return sqlite3_column_double(statement_, index);
}

std::optional<double> Statement::column_optional_double(int index) const {
  if (sqlite3_column_type(statement_, index) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_double(statement_, index);
}

std::optional<std::int64_t> Statement::column_optional_int64(int index) const {
  if (sqlite3_column_type(statement_, index) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_int64(statement_, index);
}

std::string Statement::column_text(int index) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement_, index));
  if (text == nullptr) return {};
  return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(statement_, index)));
}

std::optional<Error> Connection::open(const std::filesystem::path& path, int busy_timeout_ms,
                                      Connection& out_connection) {
  sqlite3* db = nullptr;
  // NOMUTEX: each connection belongs to one thread at a time, so SQLite's own locking is waste.
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.string().c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error error{rc, db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)};
    sqlite3_close(db);
    return error;
  }
  sqlite3_extended_result_codes(db, 0);
  sqlite3_busy_timeout(db, busy_timeout_ms);
  out_connection = Connection(db);
  return std::nullopt;
}

Connection::Connection(Connection&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    sqlite3_close(db_);
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

// Statements are owned elsewhere and must be destroyed first; sqlite3_close then succeeds.
Connection::~Connection() {
  sqlite3_close(db_);
}

std::optional<Error> Connection::exec(std::string_view sql) {
  const std::string text(sql);
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return std::nullopt;
  Error error{rc, message != nullptr ? message : sqlite3_errstr(rc)};
  sqlite3_free(message);
  return error;
}

std::optional<Error> Connection::prepare(std::string_view sql, Statement& out_statement) {
  sqlite3_stmt* statement = nullptr;
  // PERSISTENT: these statements are kept for the life of the connection and reused.
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
  if (rc != SQLITE_OK) return last_error();
  out_statement = Statement(statement);
  return std::nullopt;
}

std::optional<Error> Connection::query_int64(std::string_view sql, std::int64_t& out_value) {
  Statement statement;
  if (auto error = prepare(sql, statement)) return error;
  const int rc = statement.step();
  if (rc == SQLITE_ROW) {
    out_value = statement.column_int64(0);
    return std::nullopt;
  }
  if (rc == SQLITE_DONE)
    return Error{SQLITE_ERROR, storage_text::cat("query returned no row: ", sql)};
  return last_error();
}

Error Connection::last_error() const {
  Error error{sqlite3_errcode(db_), sqlite3_errmsg(db_)};
  // SQLite says only "disk I/O error" for a write the system refused, and often keeps no errno
  // (3.40 does not for a WAL write): say what the system allows now instead.
  const int code = error.code & 0xff;
  const int system_error = sqlite3_system_errno(db_);
  if (system_error != 0 && (code == SQLITE_IOERR || code == SQLITE_CANTOPEN)) {
    error.message += storage_text::cat(": ", system_error_text(system_error));
  } else if (code == SQLITE_IOERR || code == SQLITE_FULL) {
    const char* file = sqlite3_db_filename(db_, "main");
    const std::string cause = storage_errors::write_failure_cause(file != nullptr ? file : "");
    if (!cause.empty()) error.message += storage_text::cat("; ", cause);
  }
  return error;
}

std::int64_t Connection::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_);
}

std::int64_t Connection::changes() const {
  return sqlite3_changes64(db_);
}

bool Connection::in_transaction() const {
  return sqlite3_get_autocommit(db_) == 0;
}

}  // namespace cephalo::sqlite
