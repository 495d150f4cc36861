// An operator's controls on the running pipeline: pause and resume entries, force exits, cancel
// one order. They come from the command/query set (core/engine/commands), on the loop thread.
// Thread-safety: see pipeline.hpp.
#include <cmath>

#include "host/pipeline.hpp"
#include "model/cat.hpp"

namespace cephalo {

Result<std::vector<SlotIndex>> Pipeline::slots_named(const std::string& name) const {
  std::vector<SlotIndex> found;
  std::string known;
  for (SlotIndex index = 0; index < slots_.size(); ++index) {
    if (name.empty() || slots_[index].name == name) found.push_back(index);
    known += (known.empty() ? "" : ", ") + slots_[index].name;
  }
  if (found.empty()) return Error{"no slot named '" + name + "' (slots: " + known + ")"};
  return found;
}

Status Pipeline::pause_entries(const std::string& reason, const std::string& slot) {
  auto targets = slots_named(slot);
  if (!targets.ok()) return Error{targets.error()};
  const int64_t time_ns = now_ns();
  bool paused = false;
  for (SlotIndex index : targets.value()) {
    Slot& target = slots_[index];
    if (target.risk == nullptr) continue;
    target.risk->pause_entries(reason);
    logger_->warn("risk: entries paused in slot {} ({}); exits still pass", target.name, reason);
    journal_.account_action(time_ns, "entries_paused", false, reason, target.name);
    paused = true;
  }
  if (!paused) return Error{"pause_entries: this run has no risk engine (no venue)"};
  return Ok{};
}

Status Pipeline::resume_entries(const std::string& reason, const std::string& slot) {
  auto targets = slots_named(slot);
  if (!targets.ok()) return Error{targets.error()};
  const int64_t time_ns = now_ns();
  bool resumed = false;
  for (SlotIndex index : targets.value()) {
    Slot& target = slots_[index];
    if (target.risk == nullptr) continue;
    target.risk->resume_entries();
    logger_->warn("risk: entries resumed in slot {} ({})", target.name, reason);
    journal_.account_action(time_ns, "resume_entries", true, reason, target.name);
    resumed = true;
  }
  if (!resumed) return Error{"resume_entries: this run has no risk engine (no venue)"};
  return Ok{};
}

Result<std::vector<Pipeline::ForcedExit>> Pipeline::force_exit(const std::string& symbol,
                                                               const std::string& slot,
                                                               const std::string& reason) {
  auto targets = slots_named(slot);
  if (!targets.ok()) return Error{targets.error()};
  const int64_t time_ns = now_ns();
  std::vector<ForcedExit> exits;
  for (SlotIndex index : targets.value()) {
    Slot& target = slots_[index];
    if (target.venue == nullptr) continue;
    std::vector<ForcedExit> here;
    for (const AccountPosition& held : target.venue->account_view().positions) {
      // Dust below the lot size cannot be sold: it counts as flat, as for a promotion.
      if (std::abs(held.quantity) <= target.venue->dust_quantity(held.symbol) + kRiskTolerance) {
        continue;
      }
      if (!symbol.empty() && held.symbol != symbol) continue;
      here.push_back(ForcedExit{target.name, held.symbol, held.quantity});
    }
    if (here.empty()) continue;
    const std::string why = "force exit by an operator: " + reason;
    if (symbol.empty()) {
      AccountAction action;
      action.flatten_all = true;
      action.reason = why;
      record_account_action(action, time_ns, "force_exit", target.name);
      target.venue->apply(action, time_ns, venue_events_);
    } else {
      if (Status closed =
              target.venue->close_position(symbol, time_ns, "force_exit", venue_events_);
          !closed.ok()) {
        return Error{"force_exit in slot " + target.name + ": " + closed.error()};
      }
      AccountAction action;
      action.reason = cat(why, " (", symbol, ")");
      record_account_action(action, time_ns, "force_exit", target.name);
    }
    after_venue(target, time_ns);  // a paper account fills at once: its risk engine sees it
    emit_all(venue_events_, index);
    exits.insert(exits.end(), here.begin(), here.end());
  }
  if (exits.empty()) {
    return Error{"force_exit: no open position" + (symbol.empty() ? "" : " in " + symbol) +
                 (slot.empty() ? "" : " in slot " + slot)};
  }
  return exits;
}

Status Pipeline::cancel_order(const std::string& client_order_id, const std::string& slot) {
  auto targets = slots_named(slot);
  if (!targets.ok()) return Error{targets.error()};
  const int64_t time_ns = now_ns();
  std::string why;
  for (SlotIndex index : targets.value()) {
    Slot& target = slots_[index];
    if (target.venue == nullptr) continue;
    Status cancelled = target.venue->cancel_order(client_order_id, time_ns, venue_events_);
    if (cancelled.ok()) {
      logger_->warn("order {} of slot {} cancelled by an operator", client_order_id, target.name);
      emit_all(venue_events_, index);
      return Ok{};
    }
    if (why.empty()) why = cancelled.error();
  }
  return Error{"cancel_order: " + (why.empty() ? "this run has no venue" : why)};
}

}  // namespace cephalo
