// How a stored record is described once (table, columns, key, what a repeated key means) and
// everything generated from that one description: DDL, insert, select, bind, read, key text, CSV.
// Thread-safety: descriptions are constexpr; the functions are pure, SQL is built per call.
#pragma once

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "storage/sqlite_connection.hpp"
#include "storage/text.hpp"

namespace cephalo::storage_tables {

// One column: its SQL name and the record's member it holds. The member's C++ type decides the
// SQL type: int64 INTEGER NOT NULL, bool INTEGER NOT NULL 0/1, text TEXT NOT NULL, double REAL
// (a NaN is stored as NULL and reads back as NaN), optionals nullable.
template <class Row, class Field>
struct Column {
  std::string_view name;
  Field Row::*member;
};

template <class Row, class Field>
constexpr Column<Row, Field> column(std::string_view name, Field Row::*member) {
  return {name, member};
}

// What a second write of a row whose key is already stored means.
enum class SameKey {
  kConflict,     // an error: the row is not written, and the failure names the table and key
  kLatestState,  // the row is an entity's latest state: it replaces the stored one (see kNewer)
};

struct Index {
  std::string_view name;
  std::string_view columns;  // as written in CREATE INDEX, e.g. "run_id, symbol, time_ns"
};

// Defaults every description starts from; a description redefines what differs.
struct TableDefaults {
  // Every row carries the id of the run that wrote it, as the first column `run_id`. Only the
  // runs table itself has none.
  static constexpr bool kPerRun = true;
  // A column that is SQLite's rowid (INTEGER PRIMARY KEY AUTOINCREMENT), assigned on insert.
  static constexpr std::string_view kRowId{};
  // The columns that identify a row. Unique within its run (run_id is prepended), or across
  // all runs when kKeyAcrossRuns (ids that a venue sees, which no two runs may reuse).
  static constexpr std::array<std::string_view, 0> kKey{};
  static constexpr bool kKeyAcrossRuns = false;
  static constexpr SameKey kSameKey = SameKey::kConflict;
  // kLatestState: a write whose value of this column is older than the stored row's is refused
  // (reported like a conflict) instead of rolling a newer state back. Empty: always replaced.
  static constexpr std::string_view kNewer{};
  static constexpr bool kWithoutRowid = false;  // a key-ordered table (the key is the primary key)
  static constexpr std::array<Index, 0> kIndexes{};
};

// Specialised once per stored record (stored_records.hpp).
template <class Row>
struct Table;

template <class Row>
struct Tag {};

namespace detail {

using storage_text::cat;

template <class Field>
constexpr std::string_view sql_type() {
  if constexpr (std::is_same_v<Field, std::int64_t>) {
    return "INTEGER NOT NULL";
  } else if constexpr (std::is_same_v<Field, bool>) {
    return "INTEGER NOT NULL";  // with a CHECK (x IN (0, 1)), added by create_table_sql
  } else if constexpr (std::is_same_v<Field, double> ||
                       std::is_same_v<Field, std::optional<double>>) {
    return "REAL";
  } else if constexpr (std::is_same_v<Field, std::optional<std::int64_t>>) {
    return "INTEGER";
  } else {
    static_assert(std::is_same_v<Field, std::string>, "a column type storage cannot hold");
    return "TEXT NOT NULL";
  }
}

template <class Row, class F>
void for_each_column(F&& visit) {
  std::apply([&](const auto&... columns) { (visit(columns), ...); }, Table<Row>::kColumns);
}

template <class Row>
bool in_key(std::string_view name) {
  for (std::string_view part : Table<Row>::kKey) {
    if (part == name) return true;
  }
  return false;
}

// The key's columns as written in SQL, run_id first unless the key holds across runs.
template <class Row>
std::string key_columns() {
  using T = Table<Row>;
  std::string text = T::kPerRun && !T::kKeyAcrossRuns ? "run_id" : "";
  for (std::string_view part : T::kKey) text += cat(text.empty() ? "" : ", ", part);
  return text;
}

inline void bind_field(sqlite::Statement& statement, int index, const std::string& value) {
  statement.bind(index, std::string_view(value));
}
template <class Field>
void bind_field(sqlite::Statement& statement, int index, const Field& value) {
  statement.bind(index, value);
}

inline void read_field(const sqlite::Statement& statement, int index, std::int64_t& out) {
  out = statement.column_int64(index);
}
inline void read_field(const sqlite::Statement& statement, int index, bool& out) {
  out = statement.column_int64(index) != 0;
}
inline void read_field(const sqlite::Statement& statement, int index, double& out) {
  out = statement.column_double(index);
}
inline void read_field(const sqlite::Statement& statement, int index, std::optional<double>& out) {
  out = statement.column_optional_double(index);
}
inline void read_field(const sqlite::Statement& statement, int index,
                       std::optional<std::int64_t>& out) {
  out = statement.column_optional_int64(index);
}
inline void read_field(const sqlite::Statement& statement, int index, std::string& out) {
  out = statement.column_text(index);
}

// Shortest text that reads back to the same double; NaN and absent values are empty.
inline std::string number_text(double value) {
  if (std::isnan(value)) return {};
  char buffer[32];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return error == std::errc() ? std::string(buffer, end) : std::string();
}
inline std::string field_text(std::int64_t value) {
  return std::to_string(value);
}
inline std::string field_text(bool value) {
  return value ? "1" : "0";
}
inline std::string field_text(double value) {
  return number_text(value);
}
inline std::string field_text(const std::optional<double>& value) {
  return value ? number_text(*value) : std::string();
}
inline std::string field_text(const std::optional<std::int64_t>& value) {
  return value ? std::to_string(*value) : std::string();
}
inline const std::string& field_text(const std::string& value) {
  return value;
}

}  // namespace detail

template <class Row>
constexpr std::string_view table_name() {
  return Table<Row>::kName;
}

// CREATE TABLE, for a new file and for a migration that rebuilds the table.
template <class Row>
std::string create_table_sql() {
  using T = Table<Row>;
  using detail::cat;
  std::string columns = T::kPerRun ? "  run_id INTEGER NOT NULL" : "";
  detail::for_each_column<Row>([&](const auto& column) {
    using Field = std::remove_cvref_t<decltype(std::declval<Row>().*(column.member))>;
    if (!columns.empty()) columns += ",\n";
    if (column.name == T::kRowId) {
      columns += cat("  ", column.name, " INTEGER PRIMARY KEY AUTOINCREMENT");
      return;
    }
    columns += cat("  ", column.name, " ", detail::sql_type<Field>());
    if constexpr (std::is_same_v<Field, bool>)
      columns += cat(" CHECK (", column.name, " IN (0, 1))");
  });
  if (!T::kKey.empty()) {
    columns += cat(",\n  ", T::kWithoutRowid ? "PRIMARY KEY (" : "UNIQUE (",
                   detail::key_columns<Row>(), ")");
  }
  return cat("CREATE TABLE ", T::kName, " (\n", columns, "\n)",
             T::kWithoutRowid ? " WITHOUT ROWID" : "", ";\n");
}

// The table's CREATE INDEX statements (none when it has no index besides its key).
template <class Row>
std::string create_indexes_sql() {
  std::string sql;
  for (const Index& index : Table<Row>::kIndexes) {
    sql += detail::cat("CREATE INDEX ", index.name, " ON ", Table<Row>::kName, " (", index.columns,
                       ");\n");
  }
  return sql;
}

// The columns as a comma-separated list, run_id first for a per-run table: what a migration
// copies into and what an insert binds, in order.
template <class Row>
std::string column_list(bool with_run_id) {
  std::string names = with_run_id && Table<Row>::kPerRun ? "run_id" : "";
  detail::for_each_column<Row>([&](const auto& column) {
    if (column.name == Table<Row>::kRowId) return;
    names += detail::cat(names.empty() ? "" : ", ", column.name);
  });
  return names;
}

// The parameters one row binds: run_id (per-run tables), then every column but the rowid.
template <class Row>
int parameters_per_row() {
  int count = Table<Row>::kPerRun ? 1 : 0;
  detail::for_each_column<Row>([&](const auto& column) {
    if (column.name != Table<Row>::kRowId) ++count;
  });
  return count;
}

// Whether a write may leave the stored row as it was without an error (an upsert whose row is
// older than the stored one, Table::kNewer): then only the count of rows changed tells.
template <class Row>
constexpr bool may_keep_stored_row() {
  return Table<Row>::kSameKey == SameKey::kLatestState && !Table<Row>::kNewer.empty();
}

// INSERT of `rows` rows (VALUES (...), (...)), each binding parameters_per_row() parameters in
// column order (bind_row); with the table's rule for a key already stored. One statement for
// many rows runs SQLite's VM once per statement instead of once per row.
template <class Row>
std::string insert_sql(std::size_t rows = 1) {
  using T = Table<Row>;
  using detail::cat;
  const std::string names = column_list<Row>(true);
  const int count = parameters_per_row<Row>();
  // Anonymous parameters, numbered by position: SQLite keeps a name list for ?NNN ones and looked
  // names up on every bind (4% of the writer's instructions).
  std::string one_row = "(";
  for (int i = 1; i <= count; ++i) one_row += i > 1 ? ", ?" : "?";
  one_row += ")";
  std::string values;
  for (std::size_t row = 0; row < rows; ++row) values += cat(row > 0 ? ", " : "", one_row);
  std::string sql = cat("INSERT INTO ", T::kName, " (", names, ") VALUES ", values);
  if constexpr (T::kSameKey == SameKey::kLatestState) {
    // Upsert: the row holds the entity's latest state. Every non-key column is replaced; run_id
    // stays the run that first wrote the row.
    std::string updates;
    detail::for_each_column<Row>([&](const auto& column) {
      if (detail::in_key<Row>(column.name) || column.name == T::kRowId) return;
      updates += cat(updates.empty() ? "" : ", ", column.name, " = excluded.", column.name);
    });
    sql += cat(" ON CONFLICT (", detail::key_columns<Row>(), ") DO UPDATE SET ", updates);
    if (!T::kNewer.empty()) {
      sql += cat(" WHERE excluded.", T::kNewer, " >= ", T::kName, ".", T::kNewer);
    }
  }
  return sql;
}

// "SELECT <every column, rowid included> FROM <table>", for a caller to add WHERE / ORDER BY.
template <class Row>
std::string select_sql() {
  std::string names;
  detail::for_each_column<Row>(
      [&](const auto& column) { names += detail::cat(names.empty() ? "" : ", ", column.name); });
  return detail::cat("SELECT ", names, " FROM ", Table<Row>::kName);
}

// Binds a row of insert_sql() from parameter `first` on; returns the next row's first parameter.
// Text is bound without a copy: `row` must outlive the step().
template <class Row>
int bind_row(sqlite::Statement& statement, int first, std::int64_t run_id, const Row& row) {
  int index = first;
  if constexpr (Table<Row>::kPerRun) statement.bind(index++, run_id);
  detail::for_each_column<Row>([&](const auto& column) {
    if (column.name == Table<Row>::kRowId) return;
    detail::bind_field(statement, index++, row.*(column.member));
  });
  return index;
}

template <class Row>
void bind_row(sqlite::Statement& statement, std::int64_t run_id, const Row& row) {
  (void)bind_row(statement, 1, run_id, row);
}

// Reads a row of select_sql().
template <class Row>
void read_row(const sqlite::Statement& statement, Row& out_row) {
  int index = 0;
  detail::for_each_column<Row>([&](const auto& column) {
    detail::read_field(statement, index++, out_row.*(column.member));
  });
}

// The key of a row as people read it in an error: "run 3, trade_id 'bt-7'". A table without a
// key names the row by its first two columns.
template <class Row>
std::string describe_key(std::int64_t run_id, const Row& row) {
  using T = Table<Row>;
  std::string text = T::kPerRun && !T::kKeyAcrossRuns ? detail::cat("run ", std::to_string(run_id))
                                                      : std::string();
  int unnamed = 0;
  detail::for_each_column<Row>([&](const auto& column) {
    const bool named = T::kKey.empty() ? unnamed++ < 2 : detail::in_key<Row>(column.name);
    if (!named) return;
    const auto& value = row.*(column.member);
    using Field = std::remove_cvref_t<decltype(value)>;
    const std::string shown = std::is_same_v<Field, std::string>
                                  ? detail::cat("'", detail::field_text(value), "'")
                                  : std::string(detail::field_text(value));
    text += detail::cat(text.empty() ? "" : ", ", column.name, " ", shown);
  });
  return text;
}

// The header line of a CSV export: the column names.
template <class Row>
std::string csv_header() {
  std::string line;
  detail::for_each_column<Row>(
      [&](const auto& column) { line += detail::cat(line.empty() ? "" : ",", column.name); });
  return line + "\n";
}

// One CSV line (RFC 4180): text quoted when it holds a comma, quote or line break; numbers in
// the shortest form that reads back exactly; NULL (NaN, absent) empty.
template <class Row>
std::string csv_line(const Row& row) {
  std::string line;
  bool first = true;
  detail::for_each_column<Row>([&](const auto& column) {
    if (!first) line += ',';
    first = false;
    const auto& value = row.*(column.member);
    if constexpr (std::is_same_v<std::remove_cvref_t<decltype(value)>, std::string>) {
      if (value.find_first_of(",\"\r\n") == std::string::npos) {
        line += value;
        return;
      }
      line += '"';
      for (char c : value) line += c == '"' ? std::string("\"\"") : std::string(1, c);
      line += '"';
    } else {
      line += detail::field_text(value);
    }
  });
  return line + "\n";
}

}  // namespace cephalo::storage_tables
