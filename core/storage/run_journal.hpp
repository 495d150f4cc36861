// One run's journal as a whole, for `cephalo runs`: its rows per table, its CSV export, and what
// differs between two runs. Generated from the record descriptions, so every table is covered.
// Thread-safety: as SqliteRepository's reads (any thread); files written are the caller's.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "storage/result.hpp"
#include "storage/sqlite_repository.hpp"

namespace cephalo::run_journal {

struct TableRows {
  std::string table;
  std::int64_t rows = 0;
};

// Every journal table with its row count for the run (zero counts included), in schema order.
Result<std::vector<TableRows>> count_rows(const SqliteRepository& repository, std::int64_t run_id);

// Names of every journal table, in schema order (what export's table filter accepts).
std::vector<std::string> table_names();

// Writes <folder>/<table>.csv for each table with rows of the run (`tables` empty: every table),
// plus run.csv with the run's own row; returns what was written. Files are complete or absent:
// each is written beside its name and renamed into place.
Result<std::vector<TableRows>> export_csv(const SqliteRepository& repository, std::int64_t run_id,
                                          const std::filesystem::path& folder,
                                          const std::vector<std::string>& tables);

// One table's rows compared between two runs, as multisets of whole rows (their CSV lines).
struct TableDiff {
  std::string table;
  std::int64_t rows_a = 0;
  std::int64_t rows_b = 0;
  std::int64_t only_in_a = 0;
  std::int64_t only_in_b = 0;
  std::string header;                   // the CSV header of the rows below
  std::vector<std::string> examples_a;  // the first rows only in A (at most `examples`)
  std::vector<std::string> examples_b;
};

struct RunDiff {
  RunRecord a;
  RunRecord b;
  std::vector<TableDiff> tables;           // every journal table, in schema order
  std::vector<std::string> config_only_a;  // config lines only in A ("key: value" as stored)
  std::vector<std::string> config_only_b;
};

Result<RunDiff> diff(const SqliteRepository& repository, std::int64_t run_a, std::int64_t run_b,
                     std::size_t examples);

// The run with this id, or a failure that lists the ids there are.
Result<RunRecord> find_run(const SqliteRepository& repository, std::int64_t run_id);

}  // namespace cephalo::run_journal
