// The database schema as an ordered list of migrations, and the checks run before touching a file.
// Thread-safety: functions act on the Connection they are given, on the caller's thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "storage/result.hpp"
#include "storage/sqlite_connection.hpp"

namespace cephalo::storage_schema {

// The schema version this build writes: the number of migrations.
std::int64_t latest_version();

// Reads the file's schema version without writing anything. Fails if the file is not a SQLite
// database, is a foreign one, is newer than latest_version(), or has damaged pages
// (PRAGMA quick_check).
Result<std::int64_t> check(sqlite::Connection& db, const std::filesystem::path& path);

// Applies the missing migrations in one transaction: all of them or, on failure, none. Returns
// what the user should hear about it (rows kept under a run made for them), or "" for a new file.
Result<std::string> migrate(sqlite::Connection& db, const std::filesystem::path& path);

}  // namespace cephalo::storage_schema
