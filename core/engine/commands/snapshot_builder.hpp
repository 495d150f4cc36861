// SnapshotBuilder: copies the running bot into a BotSnapshot on the loop thread, and keeps the
// activity logs (fills, closed trades, swaps) the snapshots share.
// Thread-safety: build() and the ActivitySink calls on the loop thread; on_swap and
// set_config_text from any thread (they lock).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "engine/commands/bot_snapshot.hpp"
#include "config/run_mode.hpp"
#include "events/event_loop.hpp"
#include "host/pipeline.hpp"

namespace cephalo {

struct SnapshotSources {
  Pipeline& pipeline;
  EventLoop& loop;
  RunMode mode = RunMode::kBacktest;
  int64_t started_wall_ns = 0;
  // Loop thread: what feeds the loop and its health ("replaying", "replay finished", ...).
  // Empty: the mode says it.
  std::function<std::string()> connection;
};

class SnapshotBuilder final : public Pipeline::ActivitySink {
 public:
  static constexpr size_t kCandlesPerSeries = 500;  // the `candles` query's window
  static constexpr size_t kEquityPoints = 1000;     // the `equity` query's finest curve

  explicit SnapshotBuilder(SnapshotSources sources);

  // Loop thread, between two events.
  std::shared_ptr<const BotSnapshot> build();

  // Pipeline::ActivitySink (loop thread).
  void on_fill(SlotIndex slot, const Fill& fill, int64_t time_ns) override;
  void on_closed_trade(SlotIndex slot, const ClosedTrade& trade) override;
  void on_error(const ErrorInfo& error, int64_t time_ns) override;

  // Any thread: a hot-swap attempt finished (HotSwapper's observer).
  void on_swap(const TentacleSwapRecord& record);
  // Any thread: the config as the bot runs it now (secrets redacted).
  void set_config_text(std::string text, std::string file);

 private:
  struct SlotLogs {
    SharedLog<FillRow> fills;
    SharedLog<ClosedTrade> trades;
  };
  SlotLogs& logs_of(SlotIndex slot);
  void add_series(BotSnapshot& snapshot) const;
  void add_tentacles(BotSnapshot& snapshot);

  SnapshotSources sources_;
  std::vector<SlotLogs> slot_logs_;  // by slot index
  // The tentacle rows of the last build and what they were built from (each instance, its
  // library and whether it was quarantined): rebuilt only when that changes.
  using TentacleKey = std::tuple<const void*, const void*, bool>;
  std::shared_ptr<const std::vector<TentacleRow>> tentacles_;
  std::vector<TentacleKey> tentacles_key_;
  std::string last_feed_error_;      // the latest market_data health message, live
  std::mutex shared_mutex_;          // guards the three below
  SharedLog<TentacleSwapRecord> swaps_;
  std::shared_ptr<const std::string> config_text_;
  std::string config_file_;
};

}  // namespace cephalo
