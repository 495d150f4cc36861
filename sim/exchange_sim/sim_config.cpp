// Building a simulator's markets and account from the command line's words.
#include "exchange_sim/sim_config.hpp"

#include <array>
#include <filesystem>
#include <sstream>

#include "data/ohlcv_reader.hpp"

namespace cephalo::exchange_sim {

namespace {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  std::string part;
  while (std::getline(stream, part, separator)) {
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

// "ETH_BTC-5m.csv" -> {"ETH", "BTC"} when the stem's first part joins to the symbol.
bool assets_from_file(const std::string& file, const std::string& symbol, SimMarket& market) {
  const std::string stem = std::filesystem::path(file).stem().string();
  const auto pair = split(stem.substr(0, stem.find('-')), '_');
  if (pair.size() < 2 || pair[0] + pair[1] != symbol) return false;
  market.base = pair[0];
  market.quote = pair[1];
  return true;
}

bool assets_from_suffix(const std::string& symbol, SimMarket& market) {
  static constexpr std::array<const char*, 7> kQuotes = {"USDT", "USDC", "BUSD", "FDUSD",
                                                         "BTC",  "ETH",  "BNB"};
  for (const std::string quote : kQuotes) {
    if (symbol.size() > quote.size() && symbol.ends_with(quote)) {
      market.base = symbol.substr(0, symbol.size() - quote.size());
      market.quote = quote;
      return true;
    }
  }
  return false;
}

}  // namespace

Result<std::map<std::string, Units>> parse_balances(const std::string& text) {
  std::map<std::string, Units> balances;
  for (const std::string& entry : split(text, ',')) {
    const auto equals = entry.find('=');
    const auto amount =
        equals == std::string::npos ? std::nullopt : parse_units(entry.substr(equals + 1));
    if (equals == 0 || !amount) {
      return Error{"--balances: '" + entry +
                   "' is not ASSET=AMOUNT with a plain decimal amount (e.g. BTC=1,ETH=0.5)"};
    }
    balances[entry.substr(0, equals)] = *amount;
  }
  return balances;
}

Result<std::vector<SimMarket>> load_markets(const std::vector<std::string>& files,
                                            const std::vector<std::string>& symbols,
                                            int64_t interval_ms) {
  if (files.empty() || files.size() != symbols.size()) {
    return Error{
        "--data and --symbol must list the same number of entries (one file per symbol); "
        "got " +
        std::to_string(files.size()) + " files and " + std::to_string(symbols.size()) + " symbols"};
  }
  std::vector<SimMarket> markets;
  for (size_t i = 0; i < files.size(); ++i) {
    SimMarket market;
    market.symbol = symbols[i];
    if (!assets_from_file(files[i], symbols[i], market) &&
        !assets_from_suffix(symbols[i], market)) {
      return Error{
          "--symbol " + symbols[i] +
          ": cannot tell its base and quote assets; name the data file BASE_QUOTE-<tf>.csv"};
    }
    auto loaded = load_ohlcv(files[i], interval_ms, BadRowPolicy::kReject);
    if (!loaded.ok) {
      std::string message = "--data " + files[i] + ": cannot load candles";
      for (const auto& problem : loaded.problems) message += "\n  " + problem.to_string();
      return Error{message};
    }
    market.bars = std::move(loaded.bars);
    markets.push_back(std::move(market));
  }
  return markets;
}

}  // namespace cephalo::exchange_sim
