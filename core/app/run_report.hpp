// What a run reports once its loop has ended: the event counts, and in backtest and paper the
// simulated accounts' report (one per slot, combined and compared when the config has slots).
// Thread-safety: the run's thread, after the loop ended.
#pragma once

#include "bot.hpp"
#include "host/pipeline.hpp"
#include "run_accounts.hpp"

namespace cephalo {

// Fills `summary`'s counts and live slot from the pipeline and, but for a live run (whose
// venue's books are the record: orders_live, fills), summary.backtest from the accounts.
void build_run_report(const Config& config, const std::vector<SlotConfig>& slots,
                      const Pipeline& pipeline, const EventLoop& loop, RunAccounts& accounts,
                      int64_t main_interval_ns, RunSummary& summary);

}  // namespace cephalo
