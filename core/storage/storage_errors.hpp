// Wording of the storage errors users see: each names the file, what went wrong and what to do.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "storage/sqlite_connection.hpp"

namespace cephalo::storage_errors {

// A SQLite failure while opening or preparing the file, worded by its cause.
std::string describe(const std::filesystem::path& path, const sqlite::Error& error);

std::string schema_too_new(const std::filesystem::path& path, std::int64_t found,
                           std::int64_t supported);

std::string foreign_database(const std::filesystem::path& path);

// Why a write to `file` (or its -wal) may have failed, checked now: the process's file size limit
// (RLIMIT_FSIZE) reached, or the disk holding it (nearly) full. "" when neither explains it.
std::string write_failure_cause(const std::filesystem::path& file);

// PRAGMA quick_check found damaged pages (`problems`: its lines).
std::string damaged(const std::filesystem::path& path, const std::vector<std::string>& problems);

}  // namespace cephalo::storage_errors
