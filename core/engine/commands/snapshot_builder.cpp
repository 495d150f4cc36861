// Copying the running bot into a snapshot: small state copied, long histories shared.
// Thread-safety: see snapshot_builder.hpp.
#include "engine/commands/snapshot_builder.hpp"

#include <algorithm>
#include <chrono>

#include "host/tentacle_instance.hpp"

namespace cephalo {

namespace {

int64_t wall_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

SnapshotBuilder::SnapshotBuilder(SnapshotSources sources)
    : sources_(std::move(sources)), config_text_(std::make_shared<const std::string>()) {}

SnapshotBuilder::SlotLogs& SnapshotBuilder::logs_of(SlotIndex slot) {
  if (slot_logs_.size() <= slot) slot_logs_.resize(slot + 1);
  return slot_logs_[slot];
}

void SnapshotBuilder::on_fill(SlotIndex slot, const Fill& fill, int64_t time_ns) {
  logs_of(slot).fills.append(FillRow{time_ns, std::string(fill.symbol.view()),
                                     side_name(fill.side), fill.client_order_id,
                                     fill.fee_currency, fill.quantity, fill.price, fill.fee});
}

void SnapshotBuilder::on_closed_trade(SlotIndex slot, const ClosedTrade& trade) {
  logs_of(slot).trades.append(trade);
}

void SnapshotBuilder::on_error(const ErrorInfo& error, int64_t) {
  if (error.source == "market_data") last_feed_error_ = error.message;
}

void SnapshotBuilder::on_swap(const TentacleSwapRecord& record) {
  std::lock_guard lock(shared_mutex_);
  swaps_.append(record);
}

void SnapshotBuilder::set_config_text(std::string text, std::string file) {
  auto shared = std::make_shared<const std::string>(std::move(text));
  std::lock_guard lock(shared_mutex_);
  config_text_ = std::move(shared);
  config_file_ = std::move(file);
}

std::shared_ptr<const BotSnapshot> SnapshotBuilder::build() {
  Pipeline& pipeline = sources_.pipeline;
  auto snapshot = std::make_shared<BotSnapshot>();
  snapshot->sequence = sources_.loop.dispatched();
  snapshot->clock_ns = sources_.loop.clock().now_ns();
  snapshot->taken_wall_ns = wall_now_ns();
  snapshot->mode = mode_text(sources_.mode);
  snapshot->started_wall_ns = sources_.started_wall_ns;
  snapshot->connection = sources_.connection ? sources_.connection() : mode_text(sources_.mode);
  if (sources_.mode == RunMode::kLive && !last_feed_error_.empty()) {
    snapshot->connection += " (market data: " + last_feed_error_ + ")";
  }
  snapshot->stopping = sources_.loop.stopping();
  const auto pending = pipeline.pending_promotion();
  if (pending) {
    snapshot->pending_promotion = BotSnapshot::Pending{pending->to, pending->waiting_for,
                                                       pending->now};
  }
  const int64_t clock_ns = snapshot->clock_ns;
  for (SlotIndex index = 0; index < pipeline.slot_count(); ++index) {
    SlotSnapshot slot;
    slot.name = pipeline.slot_name(index);
    slot.live = index == pipeline.live_slot();
    slot.pending_promotion = pending && pending->to == slot.name;
    if (const ExecutionVenue* venue = pipeline.venue(index)) {
      slot.has_account = true;
      venue->describe(slot.account);
      venue->equity_curve(kEquityPoints, slot.equity);
    }
    if (const RiskEngine* risk = pipeline.risk(index)) {
      slot.has_risk = true;
      slot.risk = risk->state(clock_ns);
      slot.counts = risk->counts();
      slot.pause_reason = risk->pause_reason();
    }
    SlotLogs& logs = logs_of(index);
    slot.fills = logs.fills.view();
    slot.trades = logs.trades.view();
    snapshot->slots.push_back(std::move(slot));
  }
  add_series(*snapshot);
  add_tentacles(*snapshot);
  {
    std::lock_guard lock(shared_mutex_);
    snapshot->swaps = swaps_.view();
    snapshot->config_text = config_text_;
    snapshot->config_file = config_file_;
  }
  return snapshot;
}

void SnapshotBuilder::add_series(BotSnapshot& snapshot) const {
  sources_.pipeline.for_each_series(
      [&snapshot](const Name& symbol, const Name& timeframe, const CandleRing& ring) {
        SeriesSnapshot series;
        series.symbol = std::string(symbol.view());
        series.timeframe = std::string(timeframe.view());
        const size_t count = std::min(ring.size(), kCandlesPerSeries);
        series.candles.reserve(count);
        for (size_t i = ring.size() - count; i < ring.size(); ++i) {
          const Candle& c = ring[i];
          series.candles.push_back({c.open_time_ns, c.open, c.high, c.low, c.close, c.volume});
        }
        snapshot.series.push_back(std::move(series));
      });
  // The pipeline's map has no order: the answer should not depend on hashing.
  std::sort(snapshot.series.begin(), snapshot.series.end(),
            [](const SeriesSnapshot& a, const SeriesSnapshot& b) {
              return a.symbol != b.symbol ? a.symbol < b.symbol : a.timeframe < b.timeframe;
            });
}

void SnapshotBuilder::add_tentacles(BotSnapshot& snapshot) {
  const Pipeline& pipeline = sources_.pipeline;
  std::vector<TentacleKey> key;
  key.reserve(pipeline.instances().size());
  for (const auto& instance : pipeline.instances()) {
    key.emplace_back(instance.get(), &instance->library(), instance->quarantined());
  }
  if (!tentacles_ || key != tentacles_key_) {
    auto rows = std::make_shared<std::vector<TentacleRow>>();
    for (const auto& instance : pipeline.instances()) {
      const TentacleManifest& manifest = instance->library().manifest();
      TentacleRow row;
      row.name = manifest.name;
      row.kind = kind_to_string(instance->kind());
      row.version = manifest.version;
      row.abi = instance->library().abi_text();
      const bool per_slot = instance->kind() == CEPHALO_KIND_STRATEGY ||
                            instance->kind() == CEPHALO_KIND_TRADING_MODE;
      row.slot = per_slot ? pipeline.slot_name(instance->slot()) : "";
      row.status = instance->quarantined() ? "quarantined" : "running";
      row.failure = instance->failure();
      row.library = manifest.library_path().string();
      row.sha256 = manifest.sha256;
      row.author = manifest.author;
      row.license = manifest.license;
      rows->push_back(std::move(row));
    }
    tentacles_ = std::move(rows);
    tentacles_key_ = std::move(key);
  }
  snapshot.tentacles = tentacles_;
}

}  // namespace cephalo
