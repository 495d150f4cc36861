// listenKey lifecycle and user data event dispatch.
// Thread-safety: see user_data_stream.hpp.
#include "exchange/user_data_stream.hpp"

#include "exchange/binance_json.hpp"

namespace cephalo::exchange {

UserDataStream::UserDataStream(UserDataConfig config, ExchangeConnector& rest,
                               ReportHandler on_report, BalanceHandler on_balances,
                               ProblemHandler on_problem, HealthHandler on_health)
    : config_(std::move(config)),
      rest_(rest),
      on_report_(std::move(on_report)),
      on_balances_(std::move(on_balances)),
      on_problem_(std::move(on_problem)),
      on_health_(std::move(on_health)) {}

UserDataStream::~UserDataStream() {
  stop();
}

Status UserDataStream::start() {
  auto key = rest_.start_user_stream();
  if (!key.ok()) return Error{"user data stream: cannot get a listenKey: " + key.error.message};
  listen_key_ = *key.value;
  socket_ = std::make_unique<WebSocketClient>(
      config_.ws_base_url + "/ws/" + listen_key_, config_.websocket,
      [this](std::string_view message) { on_message(message); }, on_health_);
  if (Status started = socket_->start(); !started) return started;
  keepalive_ = std::thread([this] { keepalive_loop(); });
  return Ok{};
}

void UserDataStream::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    wake_.notify_all();
  }
  if (socket_) socket_->stop();
  if (keepalive_.joinable()) keepalive_.join();
}

void UserDataStream::on_message(std::string_view message) {
  auto event = parse_stream_message(message);
  if (!event) {
    if (on_problem_) on_problem_("user data stream: " + event.error());
    return;
  }
  if (auto* report = std::get_if<ExecutionReport>(&*event)) {
    if (on_report_) on_report_(*report);
  } else if (auto* position = std::get_if<AccountPosition>(&*event)) {
    if (on_balances_) on_balances_(*position);
  } else if (auto* other = std::get_if<UnknownStreamEvent>(&*event)) {
    if (other->event_type == "listenKeyExpired" && on_problem_) {
      on_problem_("user data stream: the venue expired the listenKey; restart the stream");
    }
  }
}

void UserDataStream::keepalive_loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (wake_.wait_for(lock, config_.keepalive_interval, [this] { return stopping_; })) break;
    lock.unlock();
    auto kept = rest_.keepalive_user_stream(listen_key_);
    if (!kept.ok() && on_problem_) {
      on_problem_("user data stream: keepalive failed: " + kept.error.message);
    }
    lock.lock();
  }
}

}  // namespace cephalo::exchange
