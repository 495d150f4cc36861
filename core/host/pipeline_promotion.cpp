// A/B slots: promoting a slot to the real account, waiting until it is flat (or flattening it
// with --now), and handing the real account over.
// Thread-safety: see pipeline.hpp.
#include "host/pipeline.hpp"

#include <algorithm>

#include "model/market.hpp"

namespace cephalo {

void Pipeline::set_real_venue(ExecutionVenue* venue) {
  real_venue_ = venue;
  slots_.at(live_slot_).venue = venue;
}

std::string Pipeline::not_flat(const ExecutionVenue& venue) const {
  const AccountView view = venue.account_view();
  if (!view.open_orders.empty()) {
    return std::to_string(view.open_orders.size()) + " open order" +
           (view.open_orders.size() == 1 ? "" : "s") + " (" + view.open_orders.front().symbol + ")";
  }
  for (const AccountPosition& position : view.positions) {
    const double dust = venue.dust_quantity(position.symbol);
    if (std::abs(position.quantity) > dust + kRiskTolerance) {
      return "a position of " + format_risk_number(position.quantity) + " " + position.symbol;
    }
  }
  return {};
}

std::string Pipeline::promotion_waits_for(SlotIndex to) const {
  std::string waits;
  const Slot& live = slots_[live_slot_];
  if (live.venue != nullptr) {
    if (std::string why = not_flat(*live.venue); !why.empty()) {
      waits = "slot " + live.name + " to be flat on the real account: " + why;
    }
  }
  const Slot& promoted = slots_[to];
  if (promoted.venue != nullptr) {
    if (std::string why = not_flat(*promoted.venue); !why.empty()) {
      waits += (waits.empty() ? "" : "; ") + std::string("slot ") + promoted.name +
               " to be flat on paper: " + why;
    }
  }
  return waits;
}

std::optional<Pipeline::PendingPromotionView> Pipeline::pending_promotion() const {
  if (!pending_) return std::nullopt;
  return PendingPromotionView{slots_[pending_->to].name, promotion_waits_for(pending_->to),
                              pending_->now};
}

void Pipeline::flatten_for_promotion(SlotIndex index) {
  Slot& slot = slots_[index];
  if (slot.venue == nullptr) return;
  const AccountView view = slot.venue->account_view();
  AccountAction action;
  action.cancel_all_orders = !view.open_orders.empty();
  for (const AccountPosition& position : view.positions) {
    // Dust cannot be sold: an order for it would only be refused by the venue.
    action.flatten_all |=
        std::abs(position.quantity) > slot.venue->dust_quantity(position.symbol) + kRiskTolerance;
  }
  if (!action.cancel_all_orders && !action.flatten_all) return;
  action.reason = "flattening for the promotion of slot " + slots_[pending_->to].name + " (--now)";
  logger_->warn("slot {}: {}: {}{}", slot.name, action.reason,
                action.cancel_all_orders ? "cancelling open orders" : "",
                action.flatten_all
                    ? std::string(action.cancel_all_orders ? ", " : "") + "selling at market"
                    : "");
  const int64_t time_ns = now_ns();
  slot.venue->apply(action, time_ns, venue_events_);
  after_venue(slot, time_ns);  // a paper account fills at once: its risk engine sees the exits
  emit_all(venue_events_, index);
}

Status Pipeline::hand_over_real_account(SlotIndex to) {
  const SlotIndex from = live_slot_;
  Slot& old_live = slots_[from];
  Slot& promoted = slots_[to];
  if (!paper_accounts_) {
    return Error{"no paper sub-account can be opened for slot " + old_live.name +
                 " (this run has no paper accounts)"};
  }
  auto paper = paper_accounts_(from, real_venue_->equity());
  if (!paper.ok()) {
    return Error{"no paper sub-account for slot " + old_live.name + ": " + paper.error()};
  }
  const int64_t time_ns = now_ns();
  // Fills the real venue reported but has not handed over yet are the old live slot's: its risk
  // engine sees them and they are stamped with its slot before the account changes hands.
  real_venue_->take_events(venue_events_);
  after_venue(old_live, time_ns);
  emit_all(venue_events_, from);
  if (promoted.venue != nullptr) {
    promoted.venue->take_events(venue_events_);
    after_venue(promoted, time_ns);
    emit_all(venue_events_, to);
  }
  // The fresh paper account is marked to the latest candle of each series, so it can price the
  // old live slot's next intent at once instead of refusing it for want of a price.
  history_.for_each_series([&](Name, Name, const CandleRing& series) {
    if (series.empty()) return;
    paper.value()->on_candle(series.back(), series.back().open_time_ns, nullptr, venue_events_);
  });
  emit_all(venue_events_, from);
  old_live.venue = paper.value();
  promoted.venue = real_venue_;
  live_slot_ = to;
  if (old_live.risk != nullptr) old_live.risk->rebase_equity();
  if (promoted.risk != nullptr) promoted.risk->rebase_equity();
  return Ok{};
}

Status Pipeline::advance_promotion() {
  if (!pending_) return Ok{};
  const SlotIndex to = pending_->to;
  const SlotIndex from = live_slot_;
  const std::string from_name = slots_[from].name;
  const std::string& to_name = slots_[to].name;
  const std::string waits = promotion_waits_for(to);
  if (!waits.empty()) {
    if (pending_->now && !pending_->flatten_sent) {
      pending_->flatten_sent = true;
      flatten_for_promotion(live_slot_);
      flatten_for_promotion(to);
    }
    return Ok{};
  }
  const PendingPromotion pending = *pending_;
  pending_.reset();
  if (Status handed = hand_over_real_account(to); !handed.ok()) {
    logger_->error("promotion of slot {} refused: {}", to_name, handed.error());
    record_promotion("refused", to_name, from_name, pending.by, handed.error());
    ErrorInfo error{"promotion", "promotion of slot " + to_name + " refused: " + handed.error()};
    loop_.emit(std::move(error));
    return handed;
  }
  logger_->warn(
      "slot {} promoted to live (requested by {}): it trades the real account from now on; slot "
      "{} continues on a fresh paper sub-account funded with {}",
      to_name, pending.by, from_name, slots_[from].venue->equity());
  record_promotion("effective", to_name, from_name, pending.by,
                   "paper sub-account of " + from_name + " funded with " +
                       format_risk_number(slots_[from].venue->equity()));
  return Ok{};
}

Result<Pipeline::Promotion> Pipeline::promote(std::string_view name, std::string_view by,
                                              bool now) {
  const std::string requested_by(by);
  const std::string from = slots_[live_slot_].name;
  Promotion outcome;
  outcome.from = from;
  outcome.to = std::string(name);
  const auto refuse = [&](const std::string& reason) -> Result<Promotion> {
    logger_->warn("promotion of slot {} refused (requested by {}): {}", name, requested_by, reason);
    record_promotion("refused", std::string(name), from, requested_by, reason);
    return Error{reason};
  };
  SlotIndex index = 0;
  std::string known;
  while (index < slots_.size() && slots_[index].name != name) {
    known += (known.empty() ? "" : ", ") + slots_[index].name;
    ++index;
  }
  if (index == slots_.size()) {
    return refuse("no slot named '" + std::string(name) + "' (slots: " + known + ")");
  }
  if (index == live_slot_) {
    if (!pending_) return outcome;  // already live: nothing changes
    const std::string cancelled = slots_[pending_->to].name;
    pending_.reset();
    logger_->warn("pending promotion of slot {} cancelled by {}: slot {} stays live", cancelled,
                  requested_by, from);
    record_promotion("cancelled", cancelled, from, requested_by, "");
    outcome.state = Promotion::State::kCancelled;
    outcome.to = cancelled;
    return outcome;
  }
  if (pending_ && pending_->to != index) {
    return refuse("a promotion of slot " + slots_[pending_->to].name +
                  " is already pending; cancel it first with `cephalo slots promote " + from + "`");
  }
  if (real_venue_ == nullptr) {
    // Backtest and paper: the live role is a label, nothing real changes hands.
    record_promotion("requested", outcome.to, from, requested_by, "");
    live_slot_ = index;
    logger_->warn("slot {} promoted to live by {} (was {}); the others shadow it on paper", name,
                  requested_by, from);
    record_promotion("effective", outcome.to, from, requested_by, "");
    outcome.state = Promotion::State::kEffective;
    return outcome;
  }
  if (slots_[index].risk != nullptr && slots_[index].risk->halted()) {
    return refuse("slot " + outcome.to +
                  " is halted by its risk engine (kill switch or drawdown): a halted strategy "
                  "does not get the real account");
  }
  if (!paper_accounts_) {
    return refuse("this run cannot open a paper sub-account for slot " + from +
                  ", which would stop trading for real");
  }
  const bool again = pending_.has_value();
  if (!pending_) pending_ = PendingPromotion{index, requested_by, now, false};
  if (now) {
    pending_->now = true;
    pending_->flatten_sent = false;  // asked again: try again
  }
  logger_->warn("promotion of slot {} to live requested by {}{}{}", name, requested_by,
                now ? " (--now: flattening first)" : "", again ? " (again)" : "");
  record_promotion("requested", outcome.to, from, requested_by, now ? "now" : "");
  const Status advanced = advance_promotion();
  if (!advanced.ok())
    return Error{"promotion of slot " + outcome.to + " refused: " + advanced.error()};
  if (live_slot_ == index) {
    outcome.state = Promotion::State::kEffective;
    return outcome;
  }
  outcome.state = Promotion::State::kPending;
  outcome.waiting_for = promotion_waits_for(index);
  return outcome;
}

void Pipeline::record_promotion(const char* stage, const std::string& slot, const std::string& from,
                                const std::string& by, const std::string& detail) {
  journal_.promotion(now_ns(), stage, slot, from, by, detail);
}

}  // namespace cephalo
