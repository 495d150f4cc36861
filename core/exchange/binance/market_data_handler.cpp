// Stream-first market data with REST fallback, gap backfill and health events.
// Thread-safety: see market_data_handler.hpp.
#include "exchange/binance/market_data_handler.hpp"

#include <algorithm>

#include "exchange/binance/binance_json.hpp"

namespace cephalo::exchange {

int64_t interval_ms(std::string_view interval) {
  if (interval.size() < 2) return 0;
  int64_t count = 0;
  for (char c : interval.substr(0, interval.size() - 1)) {
    if (c < '0' || c > '9') return 0;
    count = count * 10 + (c - '0');
  }
  switch (interval.back()) {
    case 's':
      return count * 1000;
    case 'm':
      return count * 60'000;
    case 'h':
      return count * 3'600'000;
    case 'd':
      return count * 86'400'000;
    case 'w':
      return count * 7 * 86'400'000;
    default:
      return 0;
  }
}


std::vector<KlineBar> CandleSequencer::accept(const KlineBar& bar, const Backfill& backfill) {
  std::vector<KlineBar> out;
  if (bar.open_time_ms <= last_open_ms_) return out;  // seen already (stream and REST overlap)
  if (last_open_ms_ >= 0 && interval_ms_ > 0 && bar.open_time_ms > last_open_ms_ + interval_ms_) {
    ++gaps_;
    std::vector<KlineBar> missing =
        backfill(last_open_ms_ + interval_ms_, bar.open_time_ms - interval_ms_);
    std::sort(missing.begin(), missing.end(),
              [](const KlineBar& a, const KlineBar& b) { return a.open_time_ms < b.open_time_ms; });
    for (const KlineBar& filled : missing) {
      if (filled.open_time_ms > last_open_ms_ && filled.open_time_ms < bar.open_time_ms) {
        out.push_back(filled);
        last_open_ms_ = filled.open_time_ms;
      }
    }
  }
  out.push_back(bar);
  last_open_ms_ = bar.open_time_ms;
  return out;
}

MarketDataHandler::MarketDataHandler(MarketDataConfig config, ExchangeConnector& rest,
                                     CandleHandler on_candle, HealthHandler on_health,
                                     MillisClock clock)
    : config_(std::move(config)),
      rest_(rest),
      on_candle_(std::move(on_candle)),
      on_health_(std::move(on_health)),
      clock_(std::move(clock)) {
  for (const MarketFeed& feed : config_.feeds) {
    feeds_.emplace(
        feed.venue_symbol + "|" + feed.interval,
        FeedState{feed, CandleSequencer(interval_ms(feed.interval), feed.resume_after_open_ms)});
  }
}

MarketDataHandler::~MarketDataHandler() {
  stop();
}

std::string MarketDataHandler::stream_url() const {
  std::string streams;
  for (const MarketFeed& feed : config_.feeds) {
    std::string lower = feed.venue_symbol;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!streams.empty()) streams += "/";
    streams += lower + "@kline_" + feed.interval;
  }
  return config_.ws_base_url + "/stream?streams=" + streams;
}

void MarketDataHandler::emit(MarketHealthKind kind, std::string detail) {
  if (on_health_) on_health_(MarketHealthEvent{kind, std::move(detail)});
}

Status MarketDataHandler::start() {
  for (const auto& [key, state] : feeds_) {
    if (interval_ms(state.feed.interval) == 0) {
      return Error{"market data: interval \"" + state.feed.interval + "\" of " +
                   state.feed.venue_symbol + " is not one of Ns, Nm, Nh, Nd, Nw"};
    }
  }
  {
    std::lock_guard lock(mutex_);
    catch_up();
    last_ws_message_ms_ = clock_();
  }
  WebSocketOptions options = config_.websocket;
  options.staleness = config_.staleness;
  socket_ = std::make_unique<WebSocketClient>(
      stream_url(), options, [this](std::string_view message) { on_stream_message(message); },
      [this](const StreamHealthEvent& event) {
        std::lock_guard lock(mutex_);
        ws_connected_ = event.kind == StreamHealthKind::kConnected;
        if (event.kind == StreamHealthKind::kConnected) {
          emit(MarketHealthKind::kConnected, event.detail);
        } else if (event.kind == StreamHealthKind::kStale) {
          emit(MarketHealthKind::kStale, event.detail);
        }
        wake_.notify_all();
      });
  if (Status started = socket_->start(); !started) return started;
  poller_ = std::thread([this] { poll_loop(); });
  return Ok{};
}

void MarketDataHandler::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    wake_.notify_all();
  }
  if (socket_) socket_->stop();
  if (poller_.joinable()) poller_.join();
}

int64_t MarketDataHandler::caught_up_at_start() const {
  std::lock_guard lock(mutex_);
  return caught_up_;
}

void MarketDataHandler::catch_up() {
  const int64_t before = delivered_;
  const int64_t now = clock_();
  for (auto& [key, state] : feeds_) {
    if (state.feed.resume_after_open_ms < 0) continue;
    const int64_t step = interval_ms(state.feed.interval);
    // Pages of Binance's 1000-bar limit; a failure is reported and the stream's first candle
    // backfills the rest through the sequencer's gap rule.
    for (;;) {
      auto page = rest_.klines(state.feed.venue_symbol, state.feed.interval,
                               state.sequencer.last_open_ms() + step, 0, 1000);
      if (!page.ok()) {
        emit(MarketHealthKind::kError, "catching up " + state.feed.venue_symbol + " " +
                                           state.feed.interval + " since the last stored candle " +
                                           "failed: " + page.error.message);
        break;
      }
      const int64_t last = state.sequencer.last_open_ms();
      for (KlineBar& bar : *page.value) {
        if (bar.close_time_ms >= now) continue;  // still forming
        bar.closed = true;
        deliver(state, bar);
      }
      if (page.value->size() < 1000 || state.sequencer.last_open_ms() == last) break;
    }
  }
  caught_up_ = delivered_ - before;
}

bool MarketDataHandler::in_fallback() const {
  std::lock_guard lock(mutex_);
  return fallback_;
}

void MarketDataHandler::deliver(FeedState& state, const KlineBar& bar) {
  auto backfill = [&](int64_t from_ms, int64_t to_ms) {
    // At most 1000 bars per request (Binance's limit); longer gaps page through.
    std::vector<KlineBar> out;
    int64_t next = from_ms;
    while (next <= to_ms) {
      auto page = rest_.klines(state.feed.venue_symbol, state.feed.interval, next, to_ms, 1000);
      if (!page.ok()) {
        emit(MarketHealthKind::kError, "backfill of " + state.feed.venue_symbol + " " +
                                           state.feed.interval + " failed: " + page.error.message);
        break;
      }
      if (page.value->empty()) break;
      for (KlineBar& b : *page.value) out.push_back(std::move(b));
      next = out.back().open_time_ms + interval_ms(state.feed.interval);
    }
    return out;
  };
  for (const KlineBar& ready : state.sequencer.accept(bar, backfill)) {
    Candle candle;
    candle.symbol = state.feed.symbol;
    candle.timeframe = state.feed.timeframe;
    candle.open_time_ns = ready.open_time_ms * 1'000'000;
    candle.open = ready.open.to_double();
    candle.high = ready.high.to_double();
    candle.low = ready.low.to_double();
    candle.close = ready.close.to_double();
    candle.volume = ready.volume.to_double();
    ++delivered_;
    if (on_candle_) on_candle_(candle, ready);
  }
}

void MarketDataHandler::on_stream_message(std::string_view message) {
  std::lock_guard lock(mutex_);
  last_ws_message_ms_ = clock_();
  if (fallback_) {
    fallback_ = false;
    emit(MarketHealthKind::kRecovered, "the stream delivers again; REST polling stopped");
  }
  if (Status parsed = parse_kline_event(message, scratch_); !parsed) {
    emit(MarketHealthKind::kError, parsed.error());
    return;
  }
  if (!scratch_.closed) return;
  auto found = feeds_.find(scratch_.symbol + "|" + scratch_.interval);
  if (found == feeds_.end()) return;
  deliver(found->second, scratch_);
}

void MarketDataHandler::poll_rest() {
  const int64_t now = clock_();
  for (auto& [key, state] : feeds_) {
    const int64_t step = interval_ms(state.feed.interval);
    const int64_t last = state.sequencer.last_open_ms();
    auto bars = rest_.klines(state.feed.venue_symbol, state.feed.interval,
                             last >= 0 ? last + step : 0, 0, last >= 0 ? 1000 : 2);
    if (!bars.ok()) {
      emit(MarketHealthKind::kError,
           "REST polling of " + state.feed.venue_symbol + " failed: " + bars.error.message);
      continue;
    }
    for (KlineBar& bar : *bars.value) {
      if (bar.close_time_ms >= now) continue;  // still forming
      bar.closed = true;
      deliver(state, bar);
    }
  }
}

void MarketDataHandler::poll_loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, config_.poll_interval);
    if (stopping_) break;
    const bool silent = clock_() - last_ws_message_ms_ > config_.staleness.count();
    if (!ws_connected_ || silent) {
      if (!fallback_) {
        fallback_ = true;
        emit(MarketHealthKind::kFallback, ws_connected_
                                              ? "the stream is silent; polling REST klines"
                                              : "the stream is down; polling REST klines");
      }
      poll_rest();
    }
  }
}

}  // namespace cephalo::exchange
