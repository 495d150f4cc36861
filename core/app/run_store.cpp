// Thread-safety: see run_store.hpp.
#include "run_store.hpp"

#include <cstdlib>
#include <string>

#include "model/system_text.hpp"

namespace cephalo {

namespace {

// The config's storage settings, plus the test-only conflict hook (inert unless set, like
// CEPHALO_CRASH_AT): CEPHALO_TEST_STORAGE_CONFLICT=TABLE:N writes the Nth record of TABLE twice,
// so the database refuses the second as it would any conflict (tests/cli/runs_cli.sh).
Result<SqliteOptions> storage_options_for(const StorageConfig& storage) {
  SqliteOptions options;
  options.batch_size = static_cast<size_t>(storage.batch_size);
  options.flush_interval_ms = storage.flush_interval_ms;
  const char* hook = environment_value("CEPHALO_TEST_STORAGE_CONFLICT");
  if (hook == nullptr || *hook == '\0') return options;
  const std::string text(hook);
  const auto colon = text.rfind(':');
  const long long nth = colon == std::string::npos ? 0 : std::atoll(text.c_str() + colon + 1);
  if (colon == 0 || nth <= 0) {
    return Error{"CEPHALO_TEST_STORAGE_CONFLICT: expected TABLE:N (e.g. fills:3), found '" + text +
                 "'"};
  }
  options.test_conflict_table = text.substr(0, colon);
  options.test_conflict_nth = nth;
  return options;
}

}  // namespace

Result<std::unique_ptr<SqliteRepository>> open_run_store(const Config& config,
                                                         const BotOptions& options,
                                                         WallClock& clock, RunSummary& summary) {
  summary.database = config.storage.path.string();
  auto storage_options = storage_options_for(config.storage);
  if (!storage_options.ok()) return Error{storage_options.error()};
  auto opened = SqliteRepository::open(config.storage.path, storage_options.value());
  if (!opened.ok()) return Error{opened.error()};
  std::unique_ptr<SqliteRepository> repository = std::move(opened.value());
  if (!repository->migration_note().empty()) {
    options.logger->warn("{}", repository->migration_note());
  }
  auto run_id = repository->start_run(clock.now_ns(), mode_text(config.mode), options.config_text);
  if (!run_id.ok()) return Error{run_id.error()};
  summary.run_id = run_id.value();
  return repository;
}

Status finish_run_store(SqliteRepository& repository, const RunSummary& summary,
                        WallClock& clock) {
  const Status flushed = repository.flush();
  const StorageProblems storage_problems = repository.problems();
  if (storage_problems.any() || !flushed.ok()) {
    const std::string why = storage_problems.any() ? storage_problems.describe() : flushed.error();
    (void)repository.finish_run(summary.run_id, clock.now_ns(), "failed: " + why);
    return Error{why};
  }
  // The run finished; the outcome says whether its problems fail it (exit code 3).
  const std::string outcome =
      summary.problems_fail_run
          ? "completed with problems: " + std::to_string(summary.problems.size())
          : std::string("completed");
  return repository.finish_run(summary.run_id, clock.now_ns(), outcome);
}

}  // namespace cephalo
