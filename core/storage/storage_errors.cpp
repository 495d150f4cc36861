#include "storage/storage_errors.hpp"

#include <sqlite3.h>

#include "storage/text.hpp"

namespace cephalo::storage_errors {

using storage_text::cat;

std::string describe(const std::filesystem::path& path, const sqlite::Error& error) {
  const std::string file = cat("storage file '", path.string(), "'");
  const std::string cause = cat("(sqlite: ", error.message, ")");
  switch (error.code & 0xff) {  // the primary code, whatever the extended one was
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return cat(file, " is not a Cephalo database or is damaged ", cause,
                 "; move it away or point storage.path elsewhere");
    case SQLITE_CANTOPEN:
      return cat("cannot open ", file, " ", cause,
                 "; check that its folder exists and is writable, or point storage.path "
                 "elsewhere");
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return cat(file, " cannot be written ", cause,
                 "; make it and its folder writable, or point storage.path elsewhere");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return cat(file, " is locked by another program ", cause,
                 "; stop the other program or point storage.path elsewhere");
    case SQLITE_FULL:
      return cat(file, " cannot grow: the disk is full ", cause,
                 "; free some space or point storage.path elsewhere");
    default:
      return cat(file, " cannot be used ", cause,
                 "; check the file, or point storage.path elsewhere");
  }
}

std::string schema_too_new(const std::filesystem::path& path, std::int64_t found,
                           std::int64_t supported) {
  return cat("storage file '", path.string(), "' has schema version ", std::to_string(found),
             ", which is newer than this cephalo supports (", std::to_string(supported),
             "); upgrade cephalo or use another file");
}

std::string foreign_database(const std::filesystem::path& path) {
  return cat("storage file '", path.string(),
             "' is a SQLite database but not a Cephalo one (it has tables but no Cephalo schema "
             "version); move it away or point storage.path elsewhere");
}

}  // namespace cephalo::storage_errors
