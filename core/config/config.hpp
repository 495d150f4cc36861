// Cephalo's configuration: the typed Config the engine runs on, and loading it from YAML layers
// (built-in defaults <- config file <- `--set key.path=value` overrides) with every problem found.
// Thread-safety: loading reads the environment and the file system and is safe to call from any
// thread; the returned values are plain and may be shared read-only.
#pragma once

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/problem.hpp"
#include "config/run_mode.hpp"
#include "config/secret.hpp"
#include "risk/risk_config.hpp"

namespace cephalo {

// One tentacle parameter as written. Its type is the tentacle manifest's business, so the value
// stays text, and `where` lets the stage that knows the type still report file:line:col.
struct ParamSetting {
  std::string name;
  std::string value;  // scalar text as written, or YAML flow text ("[1, 2]") for a list or map
  SourceLocation where;
};

struct TentacleUse {
  std::string tentacle;
  std::vector<ParamSetting> params;  // in the order written
  SourceLocation where;
};

struct FeedConfig {
  std::string symbol;     // BASE/QUOTE, e.g. "ETH/BTC"
  std::string timeframe;  // "1m" ... "1w"
  // A relative path in the config file is resolved against the config file's directory (so a
  // config and its data can move together); one given with --set stays relative to the cwd.
  std::filesystem::path file;
  SourceLocation where;
  std::string source_timeframe;  // the file's own timeframe when it is resampled; "" = same
};

struct PipelineConfig {
  std::vector<TentacleUse> evaluators;
  std::vector<TentacleUse> strategies;
  std::optional<TentacleUse> trading_mode;
  std::vector<TentacleUse> interfaces;
};

// One A/B slot: its own strategies and trading mode, trading a virtual sub-account of
// starting_cash × capital_share under its own risk limits. Evaluators, data and indicators are
// shared by every slot.
struct SlotConfig {
  std::string name;
  std::vector<TentacleUse> strategies;
  std::optional<TentacleUse> trading_mode;
  double capital_share = 1;  // (0, 1]; the shares of all slots sum to at most 1
  RiskConfig risk;           // the top-level `risk:` with the slot's own `risk:` keys over it
  bool live = false;         // as written; at most one slot says so
  SourceLocation where;
};

struct TentacleFoldersConfig {
  // Extra folders to scan, resolved like FeedConfig::file.
  std::vector<std::filesystem::path> folders;
  std::filesystem::path user_folder;  // empty: the caller's default (~/.cephalo/tentacles)
};

struct StorageConfig {
  std::filesystem::path path;  // relative to the current working directory
  int batch_size = 10000;      // rows per write transaction, at most
  int flush_interval_ms = 200;
  // Candles and evaluations, one row per bar; storage.journal_market_data "auto" resolves to
  // false in backtests (the data is in its files) and true in paper and live.
  bool journal_market_data = true;
  // Signals, risk verdicts, orders, fills, balances, trades; live trading always journals them.
  bool journal_decisions = true;
};

struct LoggingConfig {
  std::string level;  // trace | debug | info | warn | error
  bool console = true;
  std::filesystem::path file;  // empty: no log file; relative to the current working directory
  int max_file_size_mb = 10;
  int max_files = 5;
};

struct ExchangeConfig {
  std::string name;
  std::string base_url;     // empty: the adapter's default
  std::string api_key_env;  // the NAME of the environment variable, never the key
  std::string api_secret_env;
  Secret api_key;  // empty unless the variable named by api_key_env is set
  Secret api_secret;
  // Live trading (core/live/live_session.hpp); defaults in core/config/app_schema.cpp.
  std::string ws_url;  // empty: the adapter's default
  // PEM CA bundle that https/wss venue certificates must chain to, instead of the system store
  // (a self-hosted venue, the TLS test simulator). Relative to the config file's directory.
  std::filesystem::path ca_file;  // empty: the system store
  int recv_window_ms = 5000;
  int weight_budget_per_minute = 1200;
  std::string order_type = "limit";  // limit | market
  int limit_offset_bps = 0;
  int order_timeout_ms = 60'000;
  int unknown_grace_ms = 10'000;
  int staleness_ms = 10'000;
  int poll_interval_ms = 2000;
  int order_check_ms = 1000;
  int resync_interval_ms = 30'000;
  std::string environment = "live";  // live | testnet | demo: the default URLs
  std::string ws_api_url;            // WebSocket API (user data stream); empty: the environment's
  std::filesystem::path private_key_file;  // Ed25519/RSA API key; empty: HMAC (api_secret_env)
  std::string foreign_orders = "ignore";   // ignore | cancel | adopt
  bool stop_on_exchange = false;           // protective stops rest on the exchange
  int stop_limit_offset_bps = 50;          // the resting stop's limit beyond its stop price
  std::string self_trade_prevention = "default";
};

struct RunConfig {
  std::string on_shutdown = "cancel";  // cancel | keep: open orders at a graceful stop
  // stop | wait: what a paper run does once its replayed files are exhausted: stop gracefully
  // (storage flushed, summary printed), or stay up until SIGINT/SIGTERM (control socket usable).
  std::string at_end_of_data = "stop";
  // stop | quarantine: a tentacle failing while the bot runs (or unable to start) stops the run
  // with a non-zero exit, or is quarantined while the run goes on (exit 0). Either way it is a
  // problem in the summary and the reports.
  std::string on_tentacle_failure = "stop";
};

struct MarketRulesConfig {
  std::string symbol;
  double tick_size = 0;     // quote; 0 = any price
  double lot_step = 0;      // base; 0 = any quantity
  double min_notional = 0;  // quote; 0 = no minimum
};

// How the simulated exchange behaves in a backtest (and, later, in paper trading).
struct BacktestConfig {
  double starting_cash = 10000;  // quote currency
  std::string market_fill;       // "next_open" | "signal_close"
  double maker_fee = 0.001;      // fraction of traded value
  double taker_fee = 0.001;
  std::string slippage_model;  // "none" | "fixed" | "volume"
  double slippage_bps = 0;
  double slippage_impact_bps = 0;  // volume model: extra bps at 100% of the bar's volume
  double max_volume_share = 0;     // 0 = unlimited
  std::vector<MarketRulesConfig> market_rules;
};

struct CalendarConfig {
  struct Session {
    std::vector<std::string> days;  // mon ... sun
    std::string open, close;        // HH:MM local
  };
  int utc_offset_minutes = 0;
  std::vector<Session> sessions;      // empty: 24/7
  std::vector<std::string> holidays;  // YYYY-MM-DD local
};

struct ControlConfig {
  std::string socket;  // empty: <storage.path>.sock
  bool watch_tentacles = true;
  bool watch_config = true;
  int debounce_ms = 300;
  int smoke_timeout_ms = 5000;  // a new build's child-process rehearsal before a hot swap
};

struct Config {
  RunMode mode = RunMode::kBacktest;
  TentacleFoldersConfig tentacles;
  std::vector<FeedConfig> feeds;
  PipelineConfig pipeline;
  // A/B slots as written; empty when the config has no `slots:` (then pipeline.strategies and
  // pipeline.trading_mode are the one slot: see effective_slots).
  std::vector<SlotConfig> slots;
  StorageConfig storage;
  LoggingConfig logging;
  ExchangeConfig exchange;
  BacktestConfig backtest;
  RiskConfig risk;
  std::string bad_rows;     // "reject" | "skip": what a bad data row does
  double replay_speed = 0;  // market seconds per wall second in paper replays; 0 = unpaced
  ControlConfig control;
  CalendarConfig calendar;
  RunConfig run;
  std::filesystem::path source_file;
  // Every `*_env` key anywhere (tentacle params too) whose variable is set, keyed by its path
  // without the suffix: "exchange.api_key", "pipeline.interfaces.0.params.bot_token".
  std::map<std::string, Secret> secrets;
};

struct ConfigLoadResult {
  std::optional<Config> config;         // set only when there are no problems
  std::vector<ConfigProblem> problems;  // all of them, file problems first, by line
  YAML::Node merged;                    // all layers merged (holds env var names, never secrets)

  bool ok() const { return config.has_value() && problems.empty(); }
};

// The slots a run has: the config's `slots:`, or else one slot named "main" made of
// pipeline.strategies and pipeline.trading_mode with the whole capital and the top-level risk.
std::vector<SlotConfig> effective_slots(const Config& config);

// Which slot trades for real in live mode: the one marked `live: true`, else the first.
size_t initial_live_slot(const std::vector<SlotConfig>& slots);

ConfigLoadResult load_config(const std::filesystem::path& file,
                             const std::vector<std::string>& overrides);

// As load_config, from text; `display_name` stands in for the file in locations and its directory
// anchors relative feed paths.
ConfigLoadResult load_config_text(const std::string& yaml_text, const std::string& display_name,
                                  const std::vector<std::string>& overrides);

// For `config show`: the merged YAML with every value under a secret-looking key (secret,
// password, token, api_key, ...) replaced by "***redacted***", and each `*_env` key annotated
// with whether its variable is set - never with its value.
std::string render_redacted(const ConfigLoadResult& result);

}  // namespace cephalo
