#include "storage/run_extents.hpp"

#include <sqlite3.h>

#include "storage/stored_records.hpp"
#include "storage/text.hpp"

namespace cephalo::run_extents {
namespace {

using storage_tables::Table;
using storage_tables::Tag;
using storage_text::cat;

// Runs `sql` for each rowid table; "{table}" in it stands for the table's name (one of ours).
std::optional<sqlite::Error> for_each_rowid_table(sqlite::Connection& db, std::int64_t run_id,
                                                  std::string_view sql) {
  std::optional<sqlite::Error> error;
  storage_tables::for_each_journal_table([&]<class Row>(Tag<Row>) {
    if (error || Table<Row>::kWithoutRowid) return;
    std::string text(sql);
    for (auto at = text.find("{table}"); at != std::string::npos; at = text.find("{table}")) {
      text.replace(at, 7, Table<Row>::kName);
    }
    sqlite::Statement statement;
    if ((error = db.prepare(text, statement))) return;
    statement.bind(1, run_id);
    if (statement.step() != SQLITE_DONE) error = db.last_error();
  });
  return error;
}

}  // namespace

std::optional<sqlite::Error> open(sqlite::Connection& db, std::int64_t run_id) {
  return for_each_rowid_table(
      db, run_id,
      "INSERT INTO run_extents (run_id, table_name, first_rowid, last_rowid) "
      "SELECT ?1, '{table}', coalesce(max(rowid), 0) + 1, NULL FROM {table}");
}

std::optional<sqlite::Error> close(sqlite::Connection& db, std::int64_t run_id) {
  return for_each_rowid_table(db, run_id,
                              "UPDATE run_extents SET last_rowid = "
                              "(SELECT coalesce(max(rowid), 0) FROM {table}) "
                              "WHERE run_id = ?1 AND table_name = '{table}'");
}

std::optional<sqlite::Error> cover_all(sqlite::Connection& db, std::int64_t run_id) {
  return for_each_rowid_table(
      db, run_id,
      "INSERT INTO run_extents (run_id, table_name, first_rowid, last_rowid) "
      "SELECT ?1, '{table}', coalesce(min(rowid), 1), coalesce(max(rowid), 0) FROM {table}");
}

Result<std::string> where_run(sqlite::Connection& db, std::int64_t run_id, std::string_view table) {
  sqlite::Statement query;
  if (auto error = db.prepare(
          "SELECT first_rowid, last_rowid FROM run_extents WHERE run_id = ?1 AND table_name = ?2",
          query)) {
    return Status::failure(error->message);
  }
  query.bind(1, run_id);
  query.bind(2, table);
  const int rc = query.step();
  if (rc == SQLITE_DONE) return std::string("run_id = ?1");
  if (rc != SQLITE_ROW) return Status::failure(db.last_error().message);
  // Integers of our own, so writing them into the SQL is safe.
  std::string where = cat("rowid >= ", std::to_string(query.column_int64(0)));
  if (const auto last = query.column_optional_int64(1)) {
    where += cat(" AND rowid <= ", std::to_string(*last));
  }
  return cat(where, " AND run_id = ?1");
}

}  // namespace cephalo::run_extents
