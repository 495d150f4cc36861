#include "config/extract.hpp"

#include <stdexcept>
#include <type_traits>

#include "config/schema.hpp"
#include "config/time_text.hpp"

namespace cephalo {

namespace {

const ConfigNode& at(const ConfigNode& map, std::string_view key) {
  if (const ConfigNode* found = map.find(key)) return *found;
  // Unreachable after validation and fill_defaults; a throw beats reading garbage if it happens.
  throw std::logic_error("config: '" + std::string(key) + "' missing after validation");
}

const std::string& text(const ConfigNode& map, std::string_view key) {
  return at(map, key).scalar;
}

int integer(const ConfigNode& map, std::string_view key) {
  // The schema's ranges keep every int setting well inside int.
  return static_cast<int>(scalar_as_int(text(map, key)).value_or(0));
}

double number(const ConfigNode& map, std::string_view key) {
  return scalar_as_number(text(map, key)).value_or(0);
}

bool boolean(const ConfigNode& map, std::string_view key) {
  return scalar_as_bool(text(map, key)).value_or(false);
}

std::filesystem::path config_relative(const ConfigNode& node,
                                      const std::filesystem::path& config_dir) {
  std::filesystem::path path(node.scalar);
  const bool from_file = node.where.file != kOverrideFile && node.where.file != kDefaultsFile;
  if (path.empty() || path.is_absolute() || !from_file || config_dir.empty()) return path;
  return (config_dir / path).lexically_normal();
}

TentacleUse tentacle_use(const ConfigNode& node) {
  TentacleUse use;
  use.tentacle = text(node, "tentacle");
  use.where = node.where;
  for (const auto& entry : at(node, "params").entries) {
    use.params.push_back({entry.key, to_flow_text(entry.value), entry.value.where});
  }
  return use;
}

std::vector<TentacleUse> tentacle_uses(const ConfigNode& list) {
  std::vector<TentacleUse> uses;
  for (const auto& item : list.items) uses.push_back(tentacle_use(item));
  return uses;
}

// Reads the keys present under a `risk:` map into `into`, leaving the others as they are: the
// top level has every key (defaults filled), a slot's overrides only those it writes.
void read_risk(const ConfigNode& risk, RiskConfig& into) {
  const auto set = [](const ConfigNode* section, std::string_view key, auto& value) {
    if (section == nullptr || !section->is_map()) return;
    const ConfigNode* node = section->find(key);
    if (node == nullptr || !node->is_scalar()) return;
    using Value = std::remove_reference_t<decltype(value)>;
    if constexpr (std::is_same_v<Value, bool>) {
      value = scalar_as_bool(node->scalar).value_or(value);
    } else if constexpr (std::is_same_v<Value, double>) {
      value = scalar_as_number(node->scalar).value_or(value);
    } else {
      // The schema's ranges keep every int setting well inside int.
      value = static_cast<Value>(scalar_as_int(node->scalar).value_or(value));
    }
  };
  const auto set_time = [](const ConfigNode* section, std::string_view key, int64_t& value_ns) {
    if (section == nullptr || !section->is_map()) return;
    if (const ConfigNode* node = section->find(key); node != nullptr) {
      value_ns = parse_config_time_ns(node->scalar).value_or(value_ns);
    }
  };
  // One read per line of risk/risk_settings.def; a time setting lands in `<name>_ns`.
#define CEPHALO_RISK_READ_number(section, name) set(section, #name, tier.name);
#define CEPHALO_RISK_READ_int(section, name) set(section, #name, tier.name);
#define CEPHALO_RISK_READ_bool(section, name) set(section, #name, tier.name);
#define CEPHALO_RISK_READ_time(section, name) set_time(section, #name, tier.name##_ns);
  {
    const ConfigNode* section = risk.find("position");
    PositionRiskConfig& tier = into.position;
#define CEPHALO_POSITION_SETTING(kind, name, default_value, min, max, what) \
  CEPHALO_RISK_READ_##kind(section, name)
#include "risk/risk_settings.def"
  }
  {
    const ConfigNode* section = risk.find("strategy");
    StrategyRiskConfig& tier = into.strategy;
#define CEPHALO_STRATEGY_SETTING(kind, name, default_value, min, max, what) \
  CEPHALO_RISK_READ_##kind(section, name)
#include "risk/risk_settings.def"
  }
  {
    const ConfigNode* section = risk.find("account");
    AccountRiskConfig& tier = into.account;
#define CEPHALO_ACCOUNT_SETTING(kind, name, default_value, min, max, what) \
  CEPHALO_RISK_READ_##kind(section, name)
#include "risk/risk_settings.def"
  }
#undef CEPHALO_RISK_READ_number
#undef CEPHALO_RISK_READ_int
#undef CEPHALO_RISK_READ_bool
#undef CEPHALO_RISK_READ_time
}

Secret take(std::map<std::string, Secret>& secrets, const std::string& key) {
  const auto found = secrets.find(key);
  return found == secrets.end() ? Secret() : found->second;
}

}  // namespace

Config extract_config(const ConfigNode& root, const std::filesystem::path& config_dir,
                      std::map<std::string, Secret> secrets) {
  Config config;
  // The schema admits only the table's names, so a name always maps.
  config.mode = run_mode_named(text(root, "mode")).value_or(RunMode::kBacktest);

  const ConfigNode& tentacles = at(root, "tentacles");
  for (const auto& folder : at(tentacles, "folders").items) {
    config.tentacles.folders.push_back(config_relative(folder, config_dir));
  }
  config.tentacles.user_folder = text(tentacles, "user_folder");

  for (const auto& feed : at(at(root, "market"), "feeds").items) {
    config.feeds.push_back({text(feed, "symbol"), text(feed, "timeframe"),
                            config_relative(at(feed, "file"), config_dir), feed.where,
                            text(feed, "source_timeframe")});
  }

  const ConfigNode& pipeline = at(root, "pipeline");
  config.pipeline.evaluators = tentacle_uses(at(pipeline, "evaluators"));
  config.pipeline.strategies = tentacle_uses(at(pipeline, "strategies"));
  if (const ConfigNode* mode = pipeline.find("trading_mode"); mode && !mode->is_null()) {
    config.pipeline.trading_mode = tentacle_use(*mode);
  }
  config.pipeline.interfaces = tentacle_uses(at(pipeline, "interfaces"));

  const ConfigNode& storage = at(root, "storage");
  // "{mode}" in the path keeps backtest, paper and live journals in separate files by default.
  std::string storage_path = text(storage, "path");
  for (auto at = storage_path.find("{mode}"); at != std::string::npos;
       at = storage_path.find("{mode}")) {
    storage_path.replace(at, 6, mode_name(config.mode));
  }
  // auto: a backtest's candles are in its data files already; paper and live keep what they saw.
  const std::string market_data = text(storage, "journal_market_data");
  const bool journal_market_data =
      market_data == "auto" ? config.mode != RunMode::kBacktest : market_data == "true";
  config.storage = {storage_path, integer(storage, "batch_size"),
                    integer(storage, "flush_interval_ms"), journal_market_data,
                    boolean(storage, "journal_decisions")};
  config.bad_rows = text(at(root, "market"), "bad_rows");
  config.replay_speed = number(at(root, "market"), "replay_speed");
  const ConfigNode& calendar = at(root, "calendar");
  config.calendar.utc_offset_minutes = integer(calendar, "utc_offset_minutes");
  for (const auto& session : at(calendar, "sessions").items) {
    CalendarConfig::Session out{{}, text(session, "open"), text(session, "close")};
    for (const auto& day : at(session, "days").items) out.days.push_back(day.scalar);
    config.calendar.sessions.push_back(std::move(out));
  }
  for (const auto& holiday : at(calendar, "holidays").items) {
    config.calendar.holidays.push_back(holiday.scalar);
  }
  const ConfigNode& control = at(root, "control");
  config.control = {text(control, "socket"), boolean(control, "watch_tentacles"),
                    boolean(control, "watch_config"), integer(control, "debounce_ms"),
                    integer(control, "smoke_timeout_ms")};

  const ConfigNode& backtest = at(root, "backtest");
  config.backtest.starting_cash = number(backtest, "starting_cash");
  config.backtest.market_fill = text(backtest, "market_fill");
  config.backtest.maker_fee = number(at(backtest, "fees"), "maker");
  config.backtest.taker_fee = number(at(backtest, "fees"), "taker");
  const ConfigNode& slippage = at(backtest, "slippage");
  config.backtest.slippage_model = text(slippage, "model");
  config.backtest.slippage_bps = number(slippage, "bps");
  config.backtest.slippage_impact_bps = number(slippage, "impact_bps");
  config.backtest.max_volume_share = number(backtest, "max_volume_share");
  for (const auto& rules : at(backtest, "market_rules").items) {
    config.backtest.market_rules.push_back({text(rules, "symbol"), number(rules, "tick_size"),
                                            number(rules, "lot_step"),
                                            number(rules, "min_notional")});
  }

  const ConfigNode& logging = at(root, "logging");
  config.logging = {text(logging, "level"), boolean(logging, "console"), text(logging, "file"),
                    integer(logging, "max_file_size_mb"), integer(logging, "max_files")};

  read_risk(at(root, "risk"), config.risk);

  if (const ConfigNode* slots = root.find("slots"); slots != nullptr && slots->is_list()) {
    for (const auto& item : slots->items) {
      SlotConfig slot;
      slot.name = text(item, "name");
      slot.strategies = tentacle_uses(at(item, "strategies"));
      if (const ConfigNode* mode = item.find("trading_mode"); mode && !mode->is_null()) {
        slot.trading_mode = tentacle_use(*mode);
      }
      slot.capital_share = number(item, "capital_share");
      slot.risk = config.risk;
      if (const ConfigNode* risk = item.find("risk"); risk && risk->is_map()) {
        read_risk(*risk, slot.risk);
      }
      slot.live = boolean(item, "live");
      slot.where = item.where;
      config.slots.push_back(std::move(slot));
    }
  }

  const ConfigNode& exchange = at(root, "exchange");
  config.exchange.name = text(exchange, "name");
  config.exchange.base_url = text(exchange, "base_url");
  config.exchange.api_key_env = text(exchange, "api_key_env");
  config.exchange.api_secret_env = text(exchange, "api_secret_env");
  config.exchange.api_key = take(secrets, "exchange.api_key");
  config.exchange.api_secret = take(secrets, "exchange.api_secret");
  config.exchange.ws_url = text(exchange, "ws_url");
  config.exchange.environment = text(exchange, "environment");
  config.exchange.ws_api_url = text(exchange, "ws_api_url");
  config.exchange.private_key_file = config_relative(at(exchange, "private_key_file"), config_dir);
  config.exchange.foreign_orders = text(exchange, "foreign_orders");
  config.exchange.stop_on_exchange = boolean(exchange, "stop_on_exchange");
  config.exchange.stop_limit_offset_bps = integer(exchange, "stop_limit_offset_bps");
  config.exchange.self_trade_prevention = text(exchange, "self_trade_prevention");
  config.exchange.ca_file = config_relative(at(exchange, "ca_file"), config_dir);
  config.exchange.recv_window_ms = integer(exchange, "recv_window_ms");
  config.exchange.weight_budget_per_minute = integer(exchange, "weight_budget_per_minute");
  config.exchange.order_type = text(exchange, "order_type");
  config.exchange.limit_offset_bps = integer(exchange, "limit_offset_bps");
  config.exchange.order_timeout_ms = integer(exchange, "order_timeout_ms");
  config.exchange.unknown_grace_ms = integer(exchange, "unknown_grace_ms");
  config.exchange.staleness_ms = integer(exchange, "staleness_ms");
  config.exchange.poll_interval_ms = integer(exchange, "poll_interval_ms");
  config.exchange.order_check_ms = integer(exchange, "order_check_ms");
  config.exchange.resync_interval_ms = integer(exchange, "resync_interval_ms");
  config.run.on_shutdown = text(at(root, "run"), "on_shutdown");
  config.run.at_end_of_data = text(at(root, "run"), "at_end_of_data");
  config.run.on_tentacle_failure = text(at(root, "run"), "on_tentacle_failure");
  config.secrets = std::move(secrets);
  return config;
}

std::vector<SlotConfig> effective_slots(const Config& config) {
  if (!config.slots.empty()) return config.slots;
  SlotConfig slot;
  slot.name = "main";
  slot.strategies = config.pipeline.strategies;
  slot.trading_mode = config.pipeline.trading_mode;
  slot.capital_share = 1;
  slot.risk = config.risk;
  slot.live = true;
  return {std::move(slot)};
}

size_t initial_live_slot(const std::vector<SlotConfig>& slots) {
  for (size_t i = 0; i < slots.size(); ++i) {
    if (slots[i].live) return i;
  }
  return 0;
}

}  // namespace cephalo
