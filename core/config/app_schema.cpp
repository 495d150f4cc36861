#include "config/app_schema.hpp"

#include <algorithm>
#include <cctype>

#include "config/run_mode.hpp"
#include "config/time_text.hpp"
#include "events/trading_calendar.hpp"

namespace cephalo {

namespace {

// BASE/QUOTE, e.g. ETH/BTC: the form every exchange adapter and data file name is keyed by.
Schema symbol_value() {
  return string_with_rule([](std::string_view text) -> std::optional<std::string> {
    const auto slash = text.find('/');
    const auto is_code = [](std::string_view code) {
      return !code.empty() && std::all_of(code.begin(), code.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0;
      });
    };
    if (slash != std::string_view::npos && is_code(text.substr(0, slash)) &&
        is_code(text.substr(slash + 1))) {
      return std::nullopt;
    }
    return std::string("a symbol of the form BASE/QUOTE (e.g. ETH/BTC)");
  });
}

// The names exchange.name accepts: the exchanges table (config/exchanges.def), which the
// exchange registry above config reads for its openers.
std::vector<std::string> registered_exchange_names() {
  return {
#define CEPHALO_EXCHANGE(name, summary, opener) #name,
#include "config/exchanges.def"
#undef CEPHALO_EXCHANGE
  };
}

// A point in time: epoch milliseconds or ISO-8601 UTC.
Schema time_value() {
  return string_with_rule([](std::string_view text) -> std::optional<std::string> {
    if (parse_config_time_ns(text)) return std::nullopt;
    return std::string("a time in epoch milliseconds or ISO-8601 UTC (e.g. 2018-01-10T04:55:00Z)");
  });
}

Schema time_of_day_value() {
  return string_with_rule([](std::string_view text) -> std::optional<std::string> {
    if (parse_time_of_day(text)) return std::nullopt;
    return std::string("a time of day HH:MM (00:00 to 24:00)");
  });
}

Schema date_value() {
  return string_with_rule([](std::string_view text) -> std::optional<std::string> {
    if (parse_calendar_date(text)) return std::nullopt;
    return std::string("a date YYYY-MM-DD");
  });
}

Schema tentacle_use() {
  return object_of({
      required("tentacle", non_empty_string()),
      field("params", free_form_map(), "{}"),
  });
}

// The `risk:` section. With defaults for the top level; without (every key optional) for a slot's
// overrides, so that only the keys a slot writes replace the top-level values.
Schema risk_schema(bool with_defaults) {
  const auto setting = [with_defaults](std::string name, Schema schema, std::string default_yaml) {
    return with_defaults ? field(std::move(name), std::move(schema), std::move(default_yaml))
                         : optional(std::move(name), std::move(schema));
  };
  const auto section = [with_defaults](std::string name, Schema schema) {
    return with_defaults ? field(std::move(name), std::move(schema))
                         : optional(std::move(name), std::move(schema));
  };
  // One schema entry per line of risk/risk_settings.def, in its order.
  const auto entry = [&setting](std::string_view kind, std::string name, double min, double max,
                                std::string default_yaml) {
    if (kind == "number") {
      return setting(std::move(name), number_value(min, max), std::move(default_yaml));
    }
    if (kind == "int") {
      return setting(std::move(name),
                     int_value(static_cast<long long>(min), static_cast<long long>(max)),
                     std::move(default_yaml));
    }
    if (kind == "bool") return setting(std::move(name), bool_value(), std::move(default_yaml));
    return optional(std::move(name), time_value());  // time: absent = never
  };
#define CEPHALO_RISK_SCHEMA(kind, name, default_value, min, max, what) \
  entry(#kind, #name, min, max, #default_value),
  std::vector<SchemaField> position = {
#define CEPHALO_POSITION_SETTING CEPHALO_RISK_SCHEMA
#include "risk/risk_settings.def"
  };
  std::vector<SchemaField> strategy = {
#define CEPHALO_STRATEGY_SETTING CEPHALO_RISK_SCHEMA
#include "risk/risk_settings.def"
  };
  std::vector<SchemaField> account = {
#define CEPHALO_ACCOUNT_SETTING CEPHALO_RISK_SCHEMA
#include "risk/risk_settings.def"
  };
#undef CEPHALO_RISK_SCHEMA
  return object_of({
      section("position", object_of(std::move(position))),
      section("strategy", object_of(std::move(strategy))),
      section("account", object_of(std::move(account))),
  });
}

}  // namespace

const Schema& app_config_schema() {
  static const Schema schema = object_of({
      field("mode", enum_value(run_mode_names()), std::string(mode_name(RunMode::kBacktest))),
      field("tentacles", object_of({
                             field("folders", list_of(non_empty_string()), "[]"),
                             field("user_folder", string_value(), "''"),
                         })),
      field(
          "market",
          object_of({
              field(
                  "feeds",
                  list_of(object_of({
                      required("symbol", symbol_value()),
                      required("timeframe", enum_value({"1m", "3m", "5m", "15m", "30m", "1h", "2h",
                                                        "4h", "6h", "8h", "12h", "1d", "3d",
                                                        "1w"})),
                      // Candle file (backtest, paper); live mode streams from the exchange instead.
                      field("file", string_value(), "''"),
                      // The file's own timeframe when lower than `timeframe` (resampled up);
                      // empty: read from the file name (ETH_BTC-5m.csv), else `timeframe`.
                      field("source_timeframe",
                            enum_value({"", "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h",
                                        "8h", "12h", "1d", "3d", "1w"}),
                            "''"),
                  })),
                  "[]"),
              // What a bad data row does: reject the whole file, or skip the row with a warning.
              field("bad_rows", enum_value({"reject", "skip"}), "skip"),
              // Paper mode replays the feeds as a live market: market seconds per wall second
              // (300 = a 5m candle every second); 0 = as fast as the machine goes.
              field("replay_speed", number_value(0, 1e12), "0"),
          })),
      // When the market trades (stock and futures markets); no sessions = 24/7, like crypto.
      // Order intents outside a session are refused by the core.
      field("calendar",
            object_of({
                // The exchange's time zone as a fixed offset from UTC (-300 = New York winter).
                field("utc_offset_minutes", int_value(-24 * 60, 24 * 60), "0"),
                field("sessions",
                      list_of(object_of({
                          required("days", list_of(enum_value(
                                               {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}))),
                          required("open", time_of_day_value()),
                          required("close", time_of_day_value()),
                      })),
                      "[]"),
                field("holidays", list_of(date_value()), "[]"),
            })),
      // The running bot's control channel and hot-reload triggers (paper and live modes).
      field("control",
            object_of({
                // Unix socket for `cephalo tentacles reload` and friends; '' = <storage.path>.sock
                field("socket", string_value(), "''"),
                // Swap a running tentacle when a new build lands in a tentacles folder.
                field("watch_tentacles", bool_value(), "true"),
                // Apply changed tentacle parameters when the config file is saved.
                field("watch_config", bool_value(), "true"),
                // Quiet time after the last file change before acting on it.
                field("debounce_ms", int_value(10, 60'000), "300"),
                // A new build is first run in a child process (create, load_state, the last
                // candles); one that has not finished within this time is refused as hung.
                field("smoke_timeout_ms", int_value(100, 600'000), "5000"),
            })),
      field("pipeline", object_of({
                            field("evaluators", list_of(tentacle_use()), "[]"),
                            field("strategies", list_of(tentacle_use()), "[]"),
                            optional("trading_mode", tentacle_use()),
                            field("interfaces", list_of(tentacle_use()), "[]"),
                        })),
      field("storage",
            object_of({
                // "{mode}" becomes backtest, paper or live: one file per mode.
                field("path", non_empty_string(), "cephalo-{mode}.sqlite"),
                field("batch_size", int_value(1, 1'000'000), "10000"),
                field("flush_interval_ms", int_value(1, 60'000), "200"),
                // Candles and evaluations (one row per bar). auto: off in backtests
                // (the data is in its files already), on in paper and live.
                field("journal_market_data", enum_value({"auto", "true", "false"}), "auto"),
                // Signals, risk verdicts, orders, fills, balances and trades. Off only
                // for backtests whose figures are all that matter (optimizer sweeps).
                field("journal_decisions", bool_value(), "true"),
            })),
      field(
          "backtest",
          object_of({
              field("starting_cash", number_value(1e-12, 1e15), "10000"),
              field("market_fill", enum_value({"next_open", "signal_close"}), "next_open"),
              field("fees", object_of({
                                field("maker", number_value(0, 0.1), "0.001"),
                                field("taker", number_value(0, 0.1), "0.001"),
                            })),
              field("slippage", object_of({
                                    field("model", enum_value({"none", "fixed", "volume"}), "none"),
                                    field("bps", number_value(0, 10'000), "0"),
                                    field("impact_bps", number_value(0, 100'000), "0"),
                                })),
              // Largest share of a bar's volume one order may take; 0 = no limit.
              field("max_volume_share", number_value(0, 1), "0"),
              field("market_rules",
                    list_of(object_of({
                        required("symbol", symbol_value()),
                        field("tick_size", number_value(0, 1e12), "0"),
                        field("lot_step", number_value(0, 1e12), "0"),
                        field("min_notional", number_value(0, 1e15), "0"),
                    })),
                    "[]"),
          })),
      field("logging",
            object_of({
                field("level", enum_value({"trace", "debug", "info", "warn", "error"}), "info"),
                field("console", bool_value(), "true"),
                field("file", string_value(), "logs/cephalo.jsonl"),
                field("max_file_size_mb", int_value(1, 1024), "10"),
                field("max_files", int_value(1, 100), "5"),
            })),
      // Three-tier risk limits (core/risk/risk_config.hpp says what each does); 0 = off.
      field("risk", risk_schema(true)),
      // A/B slots: each its own strategies and trading mode on a share of the capital, with the
      // top-level risk limits and its own `risk:` keys over them. Absent: the pipeline is one slot.
      optional("slots", list_of(object_of({
                            required("name", non_empty_string()),
                            field("strategies", list_of(tentacle_use()), "[]"),
                            optional("trading_mode", tentacle_use()),
                            required("capital_share", number_value(1e-9, 1)),
                            optional("risk", risk_schema(false)),
                            field("live", bool_value(), "false"),
                        }))),
      field("exchange",
            object_of({
                // Which exchange: one of exchanges.def (the registry's table).
                field("name", enum_value(registered_exchange_names()), "binance"),
                // Which Binance: live (api.binance.com), testnet (testnet.binance.vision) or
                // demo (demo-api.binance.com); picks the default URLs below.
                field("environment", enum_value({"live", "testnet", "demo"}), "live"),
                // REST, e.g. http://127.0.0.1:PORT (simulator); '' = the environment's.
                field("base_url", string_value(), "''"),
                // Market streams, e.g. ws://127.0.0.1:PORT; '' = the environment's.
                field("ws_url", string_value(), "''"),
                // WebSocket API (user data stream), e.g. ws://127.0.0.1:PORT/ws-api/v3;
                // '' = the environment's.
                field("ws_api_url", string_value(), "''"),
                // TLS: a PEM CA bundle the venue's certificate must chain to, instead of the
                // system store (a self-hosted venue, a test simulator); '' = the system store.
                // Peer and host name verification are always on.
                field("ca_file", string_value(), "''"),
                field("api_key_env", string_value(), "''"),
                // HMAC keys: the variable holding the secret.
                field("api_secret_env", string_value(), "''"),
                // Ed25519 or RSA keys: the PEM private key file (PKCS#8, unencrypted), instead
                // of api_secret_env; relative to this file's directory.
                field("private_key_file", string_value(), "''"),
                // How long a signed request stays valid at the venue (Binance: at most 60000).
                field("recv_window_ms", int_value(1, 60'000), "5000"),
                // Request weight per minute this bot's own requests may use. The IP's total
                // (X-MBX-USED-WEIGHT-1M) is held against the venue's own limit from
                // exchangeInfo.rateLimits (6000 on Binance today); a start waits for the
                // window instead of refusing.
                field("weight_budget_per_minute", int_value(10, 1'000'000), "1200"),
                // Open orders on traded symbols that this bot did not place: ignore (track
                // and report), cancel, or adopt (track and book them as the bot's own).
                field("foreign_orders", enum_value({"ignore", "cancel", "adopt"}), "ignore"),
                // Protective stops resting on the exchange (STOP_LOSS_LIMIT at the core's stop
                // or trail, kept in step as it moves), so a bot that dies still has its stop;
                // false: core-emulated (a market order when a candle closes through it).
                field("stop_on_exchange", bool_value(), "false"),
                // The resting stop's limit price below (a sell) its stop price.
                field("stop_limit_offset_bps", int_value(0, 5000), "50"),
                // selfTradePreventionMode of every order; default: the symbol's.
                field("self_trade_prevention",
                      enum_value({"default", "NONE", "EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH",
                                  "DECREMENT", "TRANSFER"}),
                      "default"),
                // Orders: limit at last close -/+ offset (a buy below, a sell above; negative
                // crosses the spread), or market.
                field("order_type", enum_value({"limit", "market"}), "limit"),
                field("limit_offset_bps", int_value(-1000, 1000), "0"),
                // A limit order open longer than this is cancelled.
                field("order_timeout_ms", int_value(1000, 86'400'000), "60000"),
                // How long "the venue does not know this client id" may mean "not visible yet".
                field("unknown_grace_ms", int_value(0, 600'000), "10000"),
                // Market data: a stream silent this long counts as down (REST polling takes over).
                field("staleness_ms", int_value(100, 3'600'000), "10000"),
                field("poll_interval_ms", int_value(50, 600'000), "2000"),
                // Orders: unknown ones queried, timed-out ones cancelled, this often.
                field("order_check_ms", int_value(50, 600'000), "1000"),
                // Orders, recent fills and balances re-read from the venue this often (and
                // whenever the user data stream reconnects): nothing missed while it was down.
                field("resync_interval_ms", int_value(1000, 86'400'000), "30000"),
            })),
      // Paper and live runs: what a graceful stop (SIGINT/SIGTERM) does with open orders, and
      // whether a paper replay stops by itself once its data is exhausted.
      field("run", object_of({
                       field("on_shutdown", enum_value({"cancel", "keep"}), "cancel"),
                       field("at_end_of_data", enum_value({"stop", "wait"}), "stop"),
                       // A tentacle that fails while the bot runs (or cannot start): stop the
                       // run (exit 3), or quarantine it, carry on without it and exit 0; either
                       // way it is listed under "problems" in the summary and the reports.
                       field("on_tentacle_failure", enum_value({"stop", "quarantine"}), "stop"),
                   })),
  });
  return schema;
}

}  // namespace cephalo
