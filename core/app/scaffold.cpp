// Project templates, one working example per kind, each using only the public SDK.
// Thread-safety: main thread.
#include "scaffold.hpp"

#include <filesystem>
#include <fstream>
#include <regex>

namespace cephalo {

namespace {

constexpr const char* kCMakeLists = R"(cmake_minimum_required(VERSION 3.25)
project(@NAME@ LANGUAGES CXX)

# Point CMAKE_PREFIX_PATH at the cephalo install prefix.
find_package(Cephalo 0.1 REQUIRED)

# Builds lib cephalo_@NAME@.so beside a tentacle.yaml carrying its SHA-256.
cephalo_add_tentacle(@NAME@ MANIFEST tentacle.yaml SOURCES @NAME@.cpp)
)";

constexpr const char* kManifest = R"(name: @NAME@
kind: @KIND@
version: 0.1.0
abi_major: 1
abi_minor: 1
description: @DESCRIPTION@
author: you
license: Apache-2.0
parameters:
@PARAMETERS@)";

struct KindTemplate {
  const char* kind;
  const char* description;
  const char* parameters;
  const char* source;
};

constexpr KindTemplate kTemplates[] = {
    {"evaluator", "Momentum of the close: bullish when it rose over the last bars",
     "  lookback: {type: integer, default: 5, min: 1, max: 1000, description: Bars to compare}\n",
     R"(// @NAME@: an evaluator tentacle; rates momentum of the close in [-1, 1].
// Thread-safety: called on the core's loop thread only.
#include <cephalo/sdk.hpp>

#include <algorithm>
#include <deque>
#include <map>
#include <string>

class @CLASS@ : public cephalo::Evaluator {
 public:
  explicit @CLASS@(cephalo::Host host)
      : Evaluator(host), lookback_(static_cast<size_t>(host.integer("lookback"))) {}

  void on_candle(const cephalo_candle& candle, const cephalo_event&) override {
    auto& closes = closes_[candle.symbol];
    closes.push_back(candle.close);
    if (closes.size() <= lookback_) return;
    const double change = (closes.back() - closes.front()) / closes.front();
    closes.pop_front();
    const double value = std::clamp(change * 100.0, -1.0, 1.0);
    host().emit_evaluation(candle.symbol, value, std::min(1.0, std::abs(value)));
  }

 private:
  size_t lookback_;
  std::map<std::string, std::deque<double>> closes_;
};

CEPHALO_EXPORT_TENTACLE(@CLASS@)
)"},
    {"strategy", "Enters when evaluations are bullish enough, exits when bearish",
     "  threshold: {type: number, default: 0.3, min: 0, max: 1, description: Evaluation needed}\n",
     R"(// @NAME@: a strategy tentacle; turns evaluations into entry and exit signals.
// Thread-safety: called on the core's loop thread only.
#include <cephalo/sdk.hpp>

#include <map>
#include <string>

class @CLASS@ : public cephalo::Strategy {
 public:
  explicit @CLASS@(cephalo::Host host) : Strategy(host), threshold_(host.number("threshold")) {}

  void on_evaluation(const cephalo_evaluation& evaluation, const cephalo_event&) override {
    bool& in_position = in_position_[evaluation.symbol];
    if (!in_position && evaluation.value >= threshold_) {
      host().emit_signal(evaluation.symbol, CEPHALO_SIGNAL_ENTER_LONG, evaluation.value,
                         evaluation.confidence);
      in_position = true;
    } else if (in_position && evaluation.value <= -threshold_) {
      host().emit_signal(evaluation.symbol, CEPHALO_SIGNAL_EXIT_LONG, -evaluation.value,
                         evaluation.confidence);
      in_position = false;
    }
  }

 private:
  double threshold_;
  std::map<std::string, bool> in_position_;
};

CEPHALO_EXPORT_TENTACLE(@CLASS@)
)"},
    {"trading_mode", "Buys a fixed quote amount on entry signals, sells it on exit signals",
     "  quote_amount: {type: number, default: 100, min: 0.000001, max: 1000000000, description: "
     "Quote currency per entry}\n",
     R"(// @NAME@: a trading mode tentacle; turns signals into market order intents.
// Thread-safety: called on the core's loop thread only.
#include <cephalo/sdk.hpp>

#include <map>
#include <string>

class @CLASS@ : public cephalo::TradingMode {
 public:
  explicit @CLASS@(cephalo::Host host)
      : TradingMode(host), quote_amount_(host.number("quote_amount")) {}

  void on_candle(const cephalo_candle& candle, const cephalo_event&) override {
    last_close_[candle.symbol] = candle.close;
  }

  void on_signal(const cephalo_signal& signal, const cephalo_event&) override {
    const double close = last_close_[signal.symbol];
    if (close <= 0) return;
    // The core's portfolio is the truth about what is held (ABI 1.1).
    const double held = host().position(signal.symbol).quantity;
    if (signal.intent == CEPHALO_SIGNAL_ENTER_LONG && held <= 0) {
      host().emit_market_order(signal.symbol, CEPHALO_SIDE_BUY, quote_amount_ / close, "@NAME@");
    } else if (signal.intent == CEPHALO_SIGNAL_EXIT_LONG && held > 0) {
      host().emit_market_order(signal.symbol, CEPHALO_SIDE_SELL, held, "signal");
    }
  }

 private:
  double quote_amount_;
  std::map<std::string, double> last_close_;
};

CEPHALO_EXPORT_TENTACLE(@CLASS@)
)"},
    {"interface", "Logs every signal and order intent the bot produces",
     "  poll_ms: {type: integer, default: 200, min: 10, max: 10000, description: Poll timeout}\n",
     R"(// @NAME@: an interface tentacle; watches events from its own thread.
// Thread-safety: the constructor starts one thread; the destructor joins it before returning.
#include <cephalo/sdk.hpp>

#include <atomic>
#include <string>
#include <thread>

class @CLASS@ : public cephalo::Interface {
 public:
  explicit @CLASS@(cephalo::Host host)
      : Interface(host), poll_ms_(static_cast<int32_t>(host.integer("poll_ms"))) {
    worker_ = std::thread([this] { watch(); });
  }
  ~@CLASS@() override {
    stop_ = true;
    worker_.join();
  }

 private:
  void watch() {
    bool closed = false;
    while (!stop_ && !closed) {
      auto event = host().poll_event_json(poll_ms_, &closed);
      if (!event) continue;
      if (event->find("\"type\":\"signal\"") != std::string::npos ||
          event->find("\"type\":\"order_intent\"") != std::string::npos) {
        host().info(*event);
      }
    }
  }

  int32_t poll_ms_;
  std::atomic<bool> stop_{false};
  std::thread worker_;
};

CEPHALO_EXPORT_TENTACLE(@CLASS@)
)"},
};

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::string class_name(const std::string& name) {
  std::string out;
  bool upper = true;
  for (char c : name) {
    if (c == '_') {
      upper = true;
      continue;
    }
    out.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
    upper = false;
  }
  return out;
}

}  // namespace

Status write_scaffold(const ScaffoldRequest& request) {
  namespace fs = std::filesystem;
  if (!std::regex_match(request.name, std::regex("[a-z][a-z0-9_]{0,63}"))) {
    return Error{"name '" + request.name + "' must match [a-z][a-z0-9_]* (at most 64 characters)"};
  }
  const KindTemplate* chosen = nullptr;
  for (const auto& candidate : kTemplates) {
    if (request.kind == candidate.kind) chosen = &candidate;
  }
  if (chosen == nullptr) {
    return Error{"kind '" + request.kind +
                 "' must be one of evaluator, strategy, trading_mode, interface"};
  }
  const fs::path folder(request.folder);
  std::error_code ec;
  if (fs::exists(folder, ec) && !fs::is_empty(folder, ec)) {
    return Error{folder.string() + " exists and is not empty; choose a new folder"};
  }
  fs::create_directories(folder, ec);
  if (ec) return Error{"cannot create " + folder.string() + ": " + ec.message()};

  auto fill = [&](std::string text) {
    text = replace_all(std::move(text), "@NAME@", request.name);
    text = replace_all(std::move(text), "@CLASS@", class_name(request.name));
    text = replace_all(std::move(text), "@KIND@", chosen->kind);
    text = replace_all(std::move(text), "@DESCRIPTION@", chosen->description);
    return replace_all(std::move(text), "@PARAMETERS@", chosen->parameters);
  };
  const std::pair<fs::path, std::string> files[] = {
      {folder / "CMakeLists.txt", fill(kCMakeLists)},
      {folder / "tentacle.yaml", fill(kManifest)},
      {folder / (request.name + ".cpp"), fill(chosen->source)},
  };
  for (const auto& [path, text] : files) {
    std::ofstream out(path);
    out << text;
    if (!out) return Error{"cannot write " + path.string()};
  }
  return Ok{};
}

}  // namespace cephalo
