// A run's accounts: one sub-account (a paper venue) and one risk engine per A/B slot, indexed like
// the slots; live, the live slot trades on the exchange's real account instead.
// Thread-safety: the run's thread. The accounts outlive the loop's run.
#pragma once

#include <spdlog/logger.h>

#include <memory>
#include <vector>

#include "backtest_venue.hpp"
#include "host/pipeline.hpp"
#include "live/live_session.hpp"
#include "risk/risk_engine.hpp"

namespace cephalo {

struct RunAccounts {
  // Null at the live slot of a live run: the real account is the LiveSession's.
  std::vector<std::unique_ptr<BacktestVenue>> venues;
  std::vector<std::unique_ptr<RiskEngine>> risks;
  // Paper sub-accounts of slots that stopped trading for real (a promotion), in creation order.
  std::vector<std::unique_ptr<BacktestVenue>> demoted;
};

// Creates each slot's risk engine and (but for a live run's live slot) its paper sub-account,
// and hands them to the pipeline. `journal`: where the venues write their orders and fills (null:
// nowhere); `candles_per_pair` sizes their books.
Status make_accounts(const Config& config, const std::vector<SlotConfig>& slots,
                     Repository* journal, uint64_t candles_per_pair, Pipeline& pipeline,
                     RunAccounts& accounts, spdlog::logger& log);

// Live: wires the open session's real account to the live slot, the exchange's resting stops to
// that slot's risk levels, and the paper sub-account a slot moves to when it stops trading for
// real. `accounts` and `slots` outlive the session's use of them.
void attach_live_account(const Config& config, const std::vector<SlotConfig>& slots,
                         Repository* journal, LiveSession& live, Pipeline& pipeline,
                         RunAccounts& accounts);

}  // namespace cephalo
