// PipelineJournal: what the pipeline stores as it routes, into the run's repository: the events
// themselves (candles and evaluations as market data; signals, intents and the rest as decisions),
// each intent's risk verdicts, operators' and the risk engine's account actions, tentacle
// quarantines and the stages of an A/B promotion.
// Thread-safety: loop thread only (the pipeline's).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "events/event.hpp"
#include "risk/risk_verdict.hpp"
#include "storage/repository.hpp"

namespace cephalo {

class PipelineJournal {
 public:
  // Null: nothing is stored (commands that only inspect).
  explicit PipelineJournal(Repository* repository) : repository_(repository) {}

  // Whether candles and evaluations, and signals, intents, fills and risk verdicts, are stored
  // per event. Account actions, quarantines and promotions are stored either way.
  void set_scope(bool market_data, bool decisions) {
    market_data_ = market_data;
    decisions_ = decisions;
  }
  // Inline: asked once per candle.
  bool stores_market_data() const { return repository_ != nullptr && market_data_; }
  bool stores_decisions() const { return repository_ != nullptr && decisions_; }

  // The sequence of the event dispatched last: what a promotion's row is ordered by.
  void dispatched(uint64_t sequence) { last_dispatched_ = sequence; }

  // An event, as its scope says (a timer never: what it leads to is stored as usual). Fills are
  // not: the venue stores each with its trade id. `intent_slot`: an order intent's slot name.
  void event(const Event& event, std::string_view intent_slot);
  // Every rule's verdict on one intent (its decision's verdicts), when decisions are stored.
  void risk_verdicts(const Event& intent_event, const RiskDecision& decision,
                     const std::string& slot);
  // An account-wide action with its rule (halt, kill, entries_paused, resume, force_exit...).
  void account_action(int64_t time_ns, const char* rule, bool allowed, const std::string& reason,
                      const std::string& slot);
  // A tentacle's quarantine (a TentacleLoadRecord with its outcome).
  void tentacle(TentacleLoadRecord record);
  // A promotion's stage (requested, refused, cancelled, effective) as a "slot_promoted" event.
  void promotion(int64_t time_ns, const char* stage, const std::string& slot,
                 const std::string& from, const std::string& by, const std::string& detail);

 private:
  Repository* repository_;
  bool market_data_ = true;
  bool decisions_ = true;
  uint64_t last_dispatched_ = 0;
};

}  // namespace cephalo
