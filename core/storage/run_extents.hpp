// Where each run's rows lie in the rowid tables (RunExtent): recorded when a run starts and when
// it ends, and read to find one run's rows without an index on run_id.
// Thread-safety: functions act on the Connection they are given, on the caller's thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "storage/result.hpp"
#include "storage/sqlite_connection.hpp"

namespace cephalo::run_extents {

// At a run's start, in the transaction that inserts it: the first rowid each table gives it.
std::optional<sqlite::Error> open(sqlite::Connection& db, std::int64_t run_id);

// At its end: the last rowid of each table, so later runs' rows are not scanned for it.
std::optional<sqlite::Error> close(sqlite::Connection& db, std::int64_t run_id);

// For rows kept before run ids (a migration): the rows of every table now are this run's.
std::optional<sqlite::Error> cover_all(sqlite::Connection& db, std::int64_t run_id);

// What follows WHERE to select one run's rows of `table`, with ?1 bound to the run id: its rowid
// range and run_id when the extent is known, run_id alone otherwise (a key-ordered table, whose
// key starts with run_id, or rows from before extents).
Result<std::string> where_run(sqlite::Connection& db, std::int64_t run_id, std::string_view table);

}  // namespace cephalo::run_extents
