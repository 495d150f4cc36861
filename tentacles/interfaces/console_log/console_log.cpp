// The "console_log" interface: logs what flows through the core, from its own polling thread.
// Thread-safety: the polling thread owns the counters; the loop thread only starts and joins it.
#include <atomic>
#include <cephalo/sdk.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

namespace {

// The top-level "type" of an event object. The payload may hold a "type" of its own (an order
// intent's order type), and keys may come in any order, so only depth-1 keys count.
std::optional<std::string> top_level_type(std::string_view json) {
  int depth = 0;
  bool expect_key = false;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (c == '{' || c == '[') {
      ++depth;
      expect_key = c == '{' && depth == 1;
    } else if (c == '}' || c == ']') {
      --depth;
    } else if (c == ',' && depth == 1) {
      expect_key = true;
    } else if (c == '"') {
      size_t end = i + 1;
      while (end < json.size() && json[end] != '"') end += json[end] == '\\' ? 2 : 1;
      if (end >= json.size()) return std::nullopt;
      const std::string_view text = json.substr(i + 1, end - i - 1);
      i = end;
      if (!expect_key) continue;
      expect_key = false;
      if (text != "type") continue;
      const size_t colon = json.find(':', i);
      if (colon == std::string_view::npos) return std::nullopt;
      const size_t open = json.find_first_not_of(" \t\r\n", colon + 1);
      if (open == std::string_view::npos || json[open] != '"') return std::nullopt;
      const size_t close = json.find('"', open + 1);
      if (close == std::string_view::npos) return std::nullopt;
      return std::string(json.substr(open + 1, close - open - 1));
    }
  }
  return std::nullopt;
}

// JSON without the whitespace between tokens, so each event stays one short log line.
std::string compact(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < json.size()) {
        out += json[++i];
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
      out += c;
    } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
      out += c;
    }
  }
  return out;
}

class ConsoleLog final : public cephalo::Interface {
 public:
  explicit ConsoleLog(cephalo::Host host)
      : Interface(host), summary_every_(host.integer("summary_every")) {
    if (summary_every_ < 1) throw std::invalid_argument("console_log: summary_every must be >= 1");
    // Started last: nothing after this may throw, or the joinable thread would terminate us.
    thread_ = std::thread([this] { run(); });
  }

  ~ConsoleLog() override {
    stop_.store(true, std::memory_order_relaxed);
    thread_.join();
    // Joined: the counters are ours again. The host stays valid until destroy returns.
    host().info("final " + summary());
  }

 private:
  void run() noexcept {
    // An exception escaping a thread would terminate the whole bot; a broken logger must not.
    try {
      while (!stop_.load(std::memory_order_relaxed)) {
        bool closed = false;
        const std::optional<std::string> json = host().poll_event_json(200, &closed);
        if (closed) return;
        if (json) handle(*json);
      }
    } catch (const std::exception& e) {
      host().error(std::string("polling stopped: ") + e.what());
    } catch (...) {
      host().error("polling stopped by an unknown exception");
    }
  }

  void handle(const std::string& json) {
    const std::string type = top_level_type(json).value_or("unknown");
    ++counts_[type];
    // Evaluations come with nearly every candle: readable at info only when they are rare.
    if (type == "evaluation") {
      host().debug(compact(json));
    } else if (type != "candle") {
      host().info(compact(json));
    } else if (++candles_since_summary_ >= summary_every_) {
      candles_since_summary_ = 0;
      host().info(summary());
    }
  }

  std::string summary() const {
    std::string text = "events by type:";
    for (const auto& [type, count] : counts_) {
      text += ' ' + type + '=' + std::to_string(count);
    }
    if (counts_.empty()) text += " none";
    return text;
  }

  const int64_t summary_every_;
  // Touched by the polling thread only, until the destructor has joined it.
  std::map<std::string, uint64_t> counts_;
  int64_t candles_since_summary_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;  // declared last: everything it uses exists before it starts
};

}  // namespace

CEPHALO_EXPORT_TENTACLE(ConsoleLog)
