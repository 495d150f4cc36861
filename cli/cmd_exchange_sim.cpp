// `cephalo exchange-sim`: serves a local Binance spot look-alike on 127.0.0.1 for connector tests.
// Thread-safety: main thread (the simulator runs its I/O on it until SIGINT/SIGTERM).
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "data/timeframe.hpp"
#include "exchange_sim/exchange_simulator.hpp"
#include "model/system_text.hpp"

namespace cephalo {

namespace {

struct ExchangeSimArgs {
  std::string data;
  std::string symbols;
  std::string balances;
  std::string api_secret_env;
  std::string api_public_key_file;
  std::string tick_size = "0.00000001";
  std::string step_size = "0.001";
  std::string min_notional = "0.0001";
  exchange_sim::SimConfig config;
};

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  std::string part;
  while (std::getline(stream, part, ',')) {
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

int fail(const std::string& message) {
  std::cerr << "cephalo exchange-sim: " << message << "\n";
  return kExitBadInput;
}

int run_exchange_sim(ExchangeSimArgs& args) {
  exchange_sim::SimConfig& config = args.config;
  config.interval_ms = timeframe_to_ms(config.interval);
  if (config.interval_ms == 0) return fail("--interval " + config.interval + " is not a timeframe");
  if (config.speed < 0) return fail("--speed must be >= 0 (0: the clock moves on /sim/advance)");
  if (!args.api_public_key_file.empty()) {
    std::ifstream file(args.api_public_key_file);
    std::stringstream text;
    text << file.rdbuf();
    if (!file) return fail("--api-public-key " + args.api_public_key_file + ": cannot read it");
    config.api_public_key_pem = text.str();
  } else {
    const char* secret =
        args.api_secret_env.empty() ? nullptr : environment_value(args.api_secret_env.c_str());
    if (secret == nullptr || *secret == '\0') {
      return fail("--api-secret-env " + args.api_secret_env +
                  ": that environment variable is not set (it holds the secret to check "
                  "signatures; for an Ed25519 or RSA key give --api-public-key instead)");
    }
    config.api_secret = secret;
  }
  auto balances = exchange_sim::parse_balances(args.balances);
  if (!balances) return fail(balances.error());
  config.balances = std::move(balances.value());
  const auto tick = exchange_sim::parse_units(args.tick_size);
  const auto step = exchange_sim::parse_units(args.step_size);
  const auto notional = exchange_sim::parse_units(args.min_notional);
  if (!tick || *tick <= 0 || !step || *step <= 0 || !notional) {
    return fail("--tick-size, --step-size and --min-notional take plain positive decimals");
  }
  auto markets = exchange_sim::load_markets(split_list(args.data), split_list(args.symbols),
                                            config.interval_ms);
  if (!markets) return fail(markets.error());
  config.markets = std::move(markets.value());
  for (auto& market : config.markets) {
    market.filters.tick_size = *tick;
    market.filters.min_price = *tick;
    market.filters.step_size = *step;
    market.filters.min_qty = *step;
    market.filters.min_notional = *notional;
  }
  auto simulator = exchange_sim::ExchangeSimulator::start(std::move(config));
  if (!simulator) return fail(simulator.error());
  // Tests read this line to learn the port; nothing else goes to stdout.
  std::cout << "listening on 127.0.0.1:" << (*simulator)->port() << std::endl;
  if ((*simulator)->tls()) std::cerr << "cephalo exchange-sim: TLS on (https://, wss://)\n";
  (*simulator)->run(true);
  return kExitOk;
}

}  // namespace

void register_exchange_sim_command(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<ExchangeSimArgs>();
  exchange_sim::SimConfig& config = args->config;
  CLI::App* command = app.add_subcommand(
      "exchange-sim",
      "Serve a local Binance spot look-alike (REST + WebSocket on 127.0.0.1) that replays candle "
      "files as the live market, for testing exchange connectors");
  command->add_option("--data", args->data, "Candle files, comma-separated, one per symbol")
      ->required();
  command->add_option("--symbol", args->symbols, "Binance symbols in the same order (ETHBTC,...)")
      ->required();
  command->add_option("--interval", config.interval, "The candle interval of the files")
      ->capture_default_str();
  command->add_option("--port", config.port, "TCP port on 127.0.0.1 (0: any free port)")
      ->capture_default_str();
  command
      ->add_option("--speed", config.speed,
                   "Market time per wall time (0: manual, POST /sim/advance moves the clock)")
      ->capture_default_str();
  command
      ->add_option("--history", config.history_candles,
                   "Candles already closed at start (served by the klines endpoint)")
      ->capture_default_str();
  command->add_option("--api-key", config.api_key, "The API key clients must send")->required();
  command->add_option("--api-secret-env", args->api_secret_env,
                      "Environment variable holding the HMAC API secret for signatures");
  command->add_option("--api-public-key", args->api_public_key_file,
                      "PEM public key of an Ed25519 or RSA API key: signatures are checked with "
                      "it instead of an HMAC secret");
  command->add_flag("!--read-only-key", config.api_key_can_trade,
                    "The API key may read but not trade: orders, cancels and order tests "
                    "answer -2015, as a read-only Binance key does");
  command
      ->add_option("--symbol-status", config.symbol_status,
                   "exchangeInfo status of every symbol (TRADING, BREAK, HALT, ...)")
      ->capture_default_str();
  command->add_option("--balances", args->balances, "Starting free balances: BTC=1,ETH=0")
      ->required();
  command->add_option("--faults", config.faults_json,
                      "Faults switched on at start (JSON, as POST /sim/faults takes)");
  command
      ->add_option("--commission", config.commission_rate,
                   "Commission rate, charged in the asset received")
      ->capture_default_str();
  command
      ->add_option("--volume-share", config.max_volume_share,
                   "Largest share of a candle's volume fills may take (the rest waits)")
      ->capture_default_str();
  command
      ->add_option("--weight-limit", config.weight_limit_per_minute,
                   "REQUEST_WEIGHT budget per minute before 429")
      ->capture_default_str();
  command
      ->add_option("--ban-seconds", config.ban_seconds,
                   "Length of the 418 ban for requests sent after a 429")
      ->capture_default_str();
  command->add_option("--tick-size", args->tick_size, "PRICE_FILTER tickSize of every symbol")
      ->capture_default_str();
  command->add_option("--step-size", args->step_size, "LOT_SIZE stepSize (and minQty)")
      ->capture_default_str();
  command->add_option("--min-notional", args->min_notional, "NOTIONAL minNotional")
      ->capture_default_str();
  // TLS for testing the connector's https/wss path; plain HTTP stays the default.
  auto* tls_cert = command->add_option(
      "--tls-cert", config.tls_cert_file,
      "PEM server certificate (and chain): serve HTTPS and WSS instead of HTTP and WS");
  auto* tls_key =
      command->add_option("--tls-key", config.tls_key_file, "PEM private key of --tls-cert");
  tls_cert->needs(tls_key);
  tls_key->needs(tls_cert);
  command->callback([args, exit_code] { *exit_code = run_exchange_sim(*args); });
}

}  // namespace cephalo
