// BotSnapshot: everything the query set answers from, copied by the loop between two events and
// then never changed, so any number of threads read it while the loop runs on.
// Thread-safety: immutable once published (SnapshotHub hands out shared_ptr<const BotSnapshot>).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/account_snapshot.hpp"
#include "model/backtest_records.hpp"
#include "model/shared_log.hpp"
#include "risk/risk_engine.hpp"
#include "storage/records.hpp"

namespace cephalo {

// A fill as the pipeline passed it on (prices in quote per base, quantity in base, fee in
// fee_currency, time in ns since epoch UTC on the core's clock).
struct FillRow {
  int64_t time_ns = 0;
  std::string symbol, side, client_order_id, fee_currency;
  double quantity = 0, price = 0, fee = 0;
};

struct SlotSnapshot {
  std::string name;
  bool live = false;
  bool pending_promotion = false;
  bool has_account = false;  // a slot without a venue (no trading) has no account
  AccountSnapshot account;
  std::vector<EquityPoint> equity;  // the curve, at most SnapshotBuilder::kEquityPoints points
  bool has_risk = false;
  RiskState risk;
  RiskCounts counts;
  std::string pause_reason;  // when risk.entries_paused
  SharedLogView<FillRow> fills;
  SharedLogView<ClosedTrade> trades;
};

// The latest candles of one series (at most SnapshotBuilder::kCandlesPerSeries), oldest first.
struct SeriesSnapshot {
  std::string symbol, timeframe;
  struct Row {
    int64_t open_time_ns = 0;
    double open = 0, high = 0, low = 0, close = 0, volume = 0;
  };
  std::vector<Row> candles;
};

struct TentacleRow {
  std::string name, kind, version, abi, slot, status, failure;
  std::string library, sha256, author, license;
};

struct BotSnapshot {
  uint64_t sequence = 0;        // events the loop had dispatched when it was taken
  int64_t clock_ns = 0;         // the core's clock then (the data's time in a replay)
  int64_t taken_wall_ns = 0;    // wall clock, ns since epoch UTC
  std::string mode;             // backtest | paper | live
  int64_t started_wall_ns = 0;  // when the run started
  std::string connection;       // what feeds the loop, and its health
  bool stopping = false;
  std::vector<SlotSnapshot> slots;
  struct Pending {
    std::string slot, waiting_for;
    bool now = false;
  };
  std::optional<Pending> pending_promotion;
  std::vector<SeriesSnapshot> series;
  // Shared between snapshots while the running instances stay the same.
  std::shared_ptr<const std::vector<TentacleRow>> tentacles;
  SharedLogView<TentacleSwapRecord> swaps;
  std::shared_ptr<const std::string> config_text;  // secrets redacted
  std::string config_file;
};

}  // namespace cephalo
