#include "storage/storage_errors.hpp"

#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/statvfs.h>

#include <system_error>

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
    case SQLITE_IOERR: {
      // The message may not say what the system refused; what it allows now often does.
      const std::string found =
          error.message.find("; ") == std::string::npos ? write_failure_cause(path) : std::string();
      return cat(file, " could not be written ", cause, found.empty() ? "" : cat(": ", found),
                 "; free some space (or raise the limit) or point storage.path elsewhere");
    }
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

std::string write_failure_cause(const std::filesystem::path& file) {
  if (file.empty()) return {};
  // A write that would pass the limit is refused (EFBIG, SIGXFSZ ignored) or kills the process.
  rlimit limit{};
  if (getrlimit(RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    constexpr std::uintmax_t kSlack = 64 * 1024;  // a page or a WAL frame may not fit
    for (const std::string& suffix : {std::string(), std::string("-wal")}) {
      std::error_code error;
      const auto size = std::filesystem::file_size(file.string() + suffix, error);
      if (!error && size + kSlack >= limit.rlim_cur) {
        return cat("the file size limit of this process (ulimit -f) of ",
                   std::to_string(limit.rlim_cur), " bytes is reached by ", file.string(), suffix);
      }
    }
  }
  struct statvfs disk {};
  const auto folder = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
  if (statvfs(folder.c_str(), &disk) == 0) {
    const auto free_bytes = static_cast<std::uintmax_t>(disk.f_bavail) * disk.f_frsize;
    if (free_bytes < 1024 * 1024) {
      return cat("the disk holding ", folder.string(), " has ", std::to_string(free_bytes),
                 " bytes free");
    }
  }
  return {};
}

std::string damaged(const std::filesystem::path& path, const std::vector<std::string>& problems) {
  std::string found;
  for (const auto& problem : problems) found += cat(found.empty() ? "" : "; ", problem);
  return cat("storage file '", path.string(), "' is damaged: SQLite's quick_check found: ", found,
             ". Nothing was written to it; keep it for recovery (sqlite3 FILE '.recover'), move it "
             "away, or point storage.path elsewhere");
}

std::string foreign_database(const std::filesystem::path& path) {
  return cat("storage file '", path.string(),
             "' is a SQLite database but not a Cephalo one (it has tables but no Cephalo schema "
             "version); move it away or point storage.path elsewhere");
}

}  // namespace cephalo::storage_errors
