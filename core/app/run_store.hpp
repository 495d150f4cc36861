// A run's database: opened and its run row started before anything runs, flushed and marked
// finished (or failed, with the database's reasons) after the loop ended.
// Thread-safety: the run's thread.
#pragma once

#include <memory>

#include "bot.hpp"
#include "events/clock.hpp"
#include "storage/sqlite_repository.hpp"

namespace cephalo {

// Opens config.storage.path (migrating it when older) and starts the run's row: sets
// summary.database and summary.run_id.
Result<std::unique_ptr<SqliteRepository>> open_run_store(const Config& config,
                                                         const BotOptions& options,
                                                         WallClock& clock, RunSummary& summary);

// Flushes every record and marks the run finished with its outcome. A record the database
// refused (named by table and key) or a writer that stopped fails the run, with every reason:
// nothing is dropped silently.
Status finish_run_store(SqliteRepository& repository, const RunSummary& summary,
                        WallClock& clock);

}  // namespace cephalo
