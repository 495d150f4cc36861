// Thread-safety: see run_accounts.hpp.
#include "run_accounts.hpp"

#include <string>

namespace cephalo {

Status make_accounts(const Config& config, const std::vector<SlotConfig>& slots,
                     Repository* journal, uint64_t candles_per_pair, Pipeline& pipeline,
                     RunAccounts& accounts, spdlog::logger& log) {
  // Live too: the slots that do not trade for real shadow the live one on paper.
  for (SlotIndex index = 0; index < slots.size(); ++index) {
    const SlotConfig& slot = slots[index];
    accounts.risks.push_back(std::make_unique<RiskEngine>(slot.risk));
    RiskEngine* risk = accounts.risks.back().get();
    // A stored pass has its figures in typed columns (value, limit_value): its text would say
    // them again. A refusal keeps its reason, which says what to change.
    risk->set_explain_passes(false);
    if (config.mode == RunMode::kLive && index == pipeline.live_slot()) {
      accounts.venues.push_back(nullptr);  // the real account, attached once the session is open
      pipeline.set_risk(risk, index);
      continue;
    }
    // Without slots the ids stay "bt-1", ...; with them each slot's are its own ("fast/bt-1").
    auto created = BacktestVenue::create(config, journal, candles_per_pair, slot.capital_share,
                                         config.slots.empty() ? "" : slot.name + "/");
    if (!created.ok()) return Error{created.error()};
    accounts.venues.push_back(std::move(created.value()));
    pipeline.set_venue(accounts.venues.back().get(), index);
    pipeline.set_risk(risk, index);
  }
  if (config.slots.empty()) return Ok{};
  for (SlotIndex index = 0; index < slots.size(); ++index) {
    log.info("slot {}: {} of the capital, {}", slots[index].name, slots[index].capital_share,
             index == pipeline.live_slot()
                 ? (config.mode == RunMode::kLive
                        ? "live"
                        : "live role (this run is " + mode_text(config.mode) + ")")
                 : "shadow on paper");
  }
  return Ok{};
}

void attach_live_account(const Config& config, const std::vector<SlotConfig>& slots,
                         Repository* journal, LiveSession& live, Pipeline& pipeline,
                         RunAccounts& accounts) {
  // The live slot's sub-account is the real one; its risk engine stays the slot's own.
  pipeline.set_real_venue(&live.venue());
  // Stops resting on the exchange follow the live slot's levels (exchange.stop_on_exchange).
  live.set_protective_levels([&accounts, &pipeline](std::string_view symbol) {
    return accounts.risks[pipeline.live_slot()]->position(symbol);
  });
  // A slot that stops trading for real (a promotion) continues on a fresh paper sub-account
  // funded with the real account's equity at the switch; its ids "<slot>/pN/bt-M" stay apart
  // from any earlier paper sub-account of the same slot.
  pipeline.set_paper_account_factory([&config, journal, &accounts, &slots](
                                         SlotIndex slot, double cash) -> Result<ExecutionVenue*> {
    const std::string prefix =
        slots[slot].name + "/p" + std::to_string(accounts.demoted.size() + 1) + "/";
    auto created = BacktestVenue::create_funded(config, journal, 0, cash, prefix);
    if (!created.ok()) return Error{created.error()};
    accounts.demoted.push_back(std::move(created.value()));
    return static_cast<ExecutionVenue*>(accounts.demoted.back().get());
  });
}

}  // namespace cephalo
