// Indicator specs: parsing "sma:10,macd:12:26:9" into indicator instances.
// Thread-safety: see indicator_spec.hpp.
#include "indicators/indicator_spec.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <functional>
#include <set>
#include <span>

#include "indicators/adx.hpp"
#include "indicators/atr.hpp"
#include "indicators/bollinger_bands.hpp"
#include "indicators/cci.hpp"
#include "indicators/ema.hpp"
#include "indicators/macd.hpp"
#include "indicators/mfi.hpp"
#include "indicators/obv.hpp"
#include "indicators/roc.hpp"
#include "indicators/rsi.hpp"
#include "indicators/sma.hpp"
#include "indicators/stochastic.hpp"
#include "indicators/williams_r.hpp"
#include "indicators/wma.hpp"

namespace cephalo {

namespace {

// TA-Lib's own parameter ranges, so every accepted spec has a TA-Lib counterpart.
inline constexpr int kMaxPeriod = 100000;

using Params = std::span<const std::string_view>;
using Factory = std::function<Result<std::unique_ptr<StreamingIndicator>>(std::string_view item,
                                                                          Params params)>;

struct Kind {
  std::string_view name;
  std::vector<std::string_view> parameters;  // names, in order
  Factory make;
};

std::string quoted(std::string_view item) {
  return "'" + std::string(item) + "'";
}

// A whole number in [min, kMaxPeriod]; the error names the item and the parameter.
Result<int> period_param(std::string_view item, std::string_view name, std::string_view text,
                         int min) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error == std::errc::result_out_of_range) {
    return Error{quoted(item) + ": " + std::string(name) + " must be between " +
                 std::to_string(min) + " and " + std::to_string(kMaxPeriod) + ", got '" +
                 std::string(text) + "'"};
  }
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
    return Error{quoted(item) + ": " + std::string(name) + " must be a whole number, got '" +
                 std::string(text) + "'"};
  }
  if (value < min || value > kMaxPeriod) {
    return Error{quoted(item) + ": " + std::string(name) + " must be between " +
                 std::to_string(min) + " and " + std::to_string(kMaxPeriod) + ", got " +
                 std::to_string(value)};
  }
  return value;
}

template <class T>
Result<std::unique_ptr<StreamingIndicator>> made(std::unique_ptr<T> indicator) {
  return std::unique_ptr<StreamingIndicator>(std::move(indicator));
}

// The one-period indicators: name, TA-Lib's minimum period, constructor.
template <class T>
Kind single_period(std::string_view name, int min) {
  return Kind{
      name,
      {"period"},
      [min](std::string_view item, Params params) -> Result<std::unique_ptr<StreamingIndicator>> {
        auto period = period_param(item, "period", params[0], min);
        if (!period) return period.status();
        return made(std::make_unique<T>(*period));
      }};
}

Result<std::unique_ptr<StreamingIndicator>> make_macd(std::string_view item, Params params) {
  auto fast = period_param(item, "fast", params[0], 2);
  if (!fast) return fast.status();
  auto slow = period_param(item, "slow", params[1], 2);
  if (!slow) return slow.status();
  auto signal = period_param(item, "signal", params[2], 1);
  if (!signal) return signal.status();
  if (*fast >= *slow) {
    // TA-Lib would silently swap them; a swapped spec is more likely a typo than a wish.
    return Error{quoted(item) + ": fast (" + std::to_string(*fast) + ") must be less than slow (" +
                 std::to_string(*slow) + ")"};
  }
  return made(std::make_unique<Macd>(*fast, *slow, *signal));
}

Result<std::unique_ptr<StreamingIndicator>> make_bbands(std::string_view item, Params params) {
  auto period = period_param(item, "period", params[0], 2);
  if (!period) return period.status();
  const std::string_view text = params[1];
  double k = 0;
  const auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), k, std::chars_format::fixed);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(k) || k <= 0) {
    return Error{quoted(item) + ": k (standard deviations) must be a positive number, got '" +
                 std::string(text) + "'"};
  }
  // The column names keep k as written ("2.5"), so a spec and its CSV header read alike.
  return made(std::make_unique<BollingerBands>(*period, k, std::string(text)));
}

Result<std::unique_ptr<StreamingIndicator>> make_stoch(std::string_view item, Params params) {
  auto fastk = period_param(item, "fastk", params[0], 1);
  if (!fastk) return fastk.status();
  auto slowk = period_param(item, "slowk", params[1], 1);
  if (!slowk) return slowk.status();
  auto slowd = period_param(item, "slowd", params[2], 1);
  if (!slowd) return slowd.status();
  return made(std::make_unique<Stochastic>(*fastk, *slowk, *slowd));
}

const std::vector<Kind>& kinds() {
  static const std::vector<Kind> all = {
      single_period<Sma>("sma", 2),
      single_period<Ema>("ema", 2),
      single_period<Wma>("wma", 2),
      single_period<Rsi>("rsi", 2),
      Kind{"macd", {"fast", "slow", "signal"}, make_macd},
      Kind{"bbands", {"period", "k"}, make_bbands},
      single_period<Atr>("atr", 1),
      Kind{"stoch", {"fastk", "slowk", "slowd"}, make_stoch},
      single_period<Adx>("adx", 2),
      single_period<Cci>("cci", 2),
      Kind{"obv", {}, [](std::string_view, Params) { return made(std::make_unique<Obv>()); }},
      single_period<Mfi>("mfi", 2),
      single_period<WilliamsR>("willr", 2),
      single_period<Roc>("roc", 1),
  };
  return all;
}

std::string_view trim(std::string_view text) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

std::string known_names() {
  std::string names;
  for (const auto& kind : kinds()) names += (names.empty() ? "" : ", ") + std::string(kind.name);
  return names;
}

std::string usage(const Kind& kind) {
  std::string text(kind.name);
  for (const auto parameter : kind.parameters) text += ":" + std::string(parameter);
  return text;
}

}  // namespace

Result<std::unique_ptr<StreamingIndicator>> make_indicator(std::string_view item) {
  item = trim(item);
  const std::vector<std::string_view> parts = split(item, ':');
  const std::string_view name = parts[0];
  for (const auto& kind : kinds()) {
    if (kind.name != name) continue;
    const size_t given = parts.size() - 1;
    const size_t needed = kind.parameters.size();
    if (given != needed) {
      if (needed == 0) return Error{quoted(item) + " takes no parameters"};
      std::string names;
      for (const auto parameter : kind.parameters) {
        names += (names.empty() ? "" : ":") + std::string(parameter);
      }
      return Error{quoted(item) + " needs " + std::to_string(needed) + " parameter" +
                   (needed == 1 ? " " : "s ") + names};
    }
    return kind.make(item, Params(parts).subspan(1));
  }
  return Error{quoted(item) + " is not a known indicator (known: " + known_names() + ")"};
}

Result<std::vector<std::unique_ptr<StreamingIndicator>>> parse_indicator_spec(
    std::string_view spec) {
  if (trim(spec).empty()) {
    return Error{"no indicators given; expected a list such as 'sma:10,rsi:14'"};
  }
  std::vector<std::unique_ptr<StreamingIndicator>> indicators;
  std::string problems;
  std::set<std::string> columns;
  const std::vector<std::string_view> items = split(spec, ',');
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string_view item = trim(items[i]);
    if (item.empty()) {
      problems += "item " + std::to_string(i + 1) + " of '" + std::string(spec) +
                  "' is empty (two commas in a row, or a trailing comma?)\n";
      continue;
    }
    auto indicator = make_indicator(item);
    if (!indicator) {
      problems += indicator.error() + "\n";
      continue;
    }
    if (!columns.insert((*indicator)->column_names().front()).second) {
      problems += quoted(item) + " is given twice\n";
      continue;
    }
    indicators.push_back(std::move(*indicator));
  }
  if (!problems.empty()) {
    problems.pop_back();
    return Error{problems};
  }
  return indicators;
}

std::string indicator_spec_help() {
  std::string text;
  for (const auto& kind : kinds()) text += usage(kind) + "\n";
  return text;
}

}  // namespace cephalo
