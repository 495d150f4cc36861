// Wording of the storage errors users see: each names the file, what went wrong and what to do.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "storage/sqlite_connection.hpp"

namespace cephalo::storage_errors {

// A SQLite failure while opening or preparing the file, worded by its cause.
std::string describe(const std::filesystem::path& path, const sqlite::Error& error);

std::string schema_too_new(const std::filesystem::path& path, std::int64_t found,
                           std::int64_t supported);

std::string foreign_database(const std::filesystem::path& path);

}  // namespace cephalo::storage_errors
