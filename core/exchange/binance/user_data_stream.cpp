// WebSocket API user data subscription lifecycle and event dispatch.
// Thread-safety: see user_data_stream.hpp.
#include "exchange/binance/user_data_stream.hpp"

#include <algorithm>

#include "exchange/binance/binance_json.hpp"

namespace cephalo::exchange {

UserDataStream::UserDataStream(UserDataConfig config, SubscriptionRequests requests,
                               ReportHandler on_report, BalanceHandler on_balances,
                               ProblemHandler on_problem, ResubscribedHandler on_resubscribed,
                               HealthHandler on_health)
    : config_(std::move(config)),
      requests_(std::move(requests)),
      on_report_(std::move(on_report)),
      on_balances_(std::move(on_balances)),
      on_problem_(std::move(on_problem)),
      on_resubscribed_(std::move(on_resubscribed)),
      on_health_(std::move(on_health)) {}

UserDataStream::~UserDataStream() {
  stop();
}

Status UserDataStream::start() {
  socket_ = std::make_unique<WebSocketClient>(
      config_.ws_api_url, config_.websocket,
      [this](std::string_view message) { on_message(message); },
      [this](const StreamHealthEvent& event) { on_health(event); });
  if (Status started = socket_->start(); !started) return started;
  std::unique_lock lock(mutex_);
  if (!answered_.wait_for(lock, config_.subscribe_timeout,
                          [this] { return first_answer_.has_value(); })) {
    return Error{"no answer to the user data stream subscription from " + config_.ws_api_url +
                 " within " + std::to_string(config_.subscribe_timeout.count()) + " ms"};
  }
  return *first_answer_;
}

void UserDataStream::stop() {
  if (socket_) socket_->stop();
}

int64_t UserDataStream::subscriptions() const {
  std::lock_guard lock(mutex_);
  return subscriptions_;
}

int64_t UserDataStream::terminations() const {
  std::lock_guard lock(mutex_);
  return terminations_;
}

void UserDataStream::subscribe(const std::string& why) {
  std::vector<WsApiRequest> requests;
  {
    std::lock_guard lock(mutex_);
    requests = requests_("uds-" + std::to_string(++request_counter_));
    pending_subscribe_id_ = requests.empty() ? std::string() : requests.back().id;
    pending_why_ = why;
  }
  for (WsApiRequest& request : requests) socket_->send(std::move(request.json));
}

void UserDataStream::on_health(const StreamHealthEvent& event) {
  if (on_health_) on_health_(event);
  if (event.kind == StreamHealthKind::kConnected) {
    bool first = false;
    {
      std::lock_guard lock(mutex_);
      first = subscriptions_ == 0 && !first_answer_;
    }
    subscribe(first ? "start" : "the WebSocket API connection was re-established");
  }
}

void UserDataStream::on_message(std::string_view message) {
  auto response = parse_ws_api_response(message);
  if (!response) {
    if (on_problem_) on_problem_("user data stream: " + response.error());
    return;
  }
  if (response->has_value()) {
    const WsApiResponse& answer = **response;
    std::string why;
    bool resubscribed = false;
    {
      std::lock_guard lock(mutex_);
      const bool logon = answer.id.size() > 6 && answer.id.ends_with("-logon");
      if (answer.status != 200) {
        const std::string problem = "user data stream: the venue refused " +
                                    std::string(logon ? "session.logon" : "the subscription") +
                                    " (status " + std::to_string(answer.status) + ", code " +
                                    std::to_string(answer.error.code) + " \"" + answer.error.msg +
                                    "\")";
        if (!first_answer_) {
          first_answer_ = Status(Error{problem});
          answered_.notify_all();
          return;
        }
        if (logon) {  // the subscribe that follows is refused too, and retried from there
          if (on_problem_) on_problem_(problem);
          return;
        }
        // Later (a reconnect during clock skew, a venue hiccup): no stream means no order
        // updates, so try again, backing off; the periodic REST resync covers the gap.
        const int shift = std::min(refusals_in_a_row_++, 6);
        const auto delay = std::chrono::milliseconds(std::min<int64_t>(1000LL << shift, 60'000));
        socket_->schedule(delay, [this, retry_why = pending_why_] { subscribe(retry_why); });
        if (on_problem_) {
          on_problem_(problem + "; subscribing again in " + std::to_string(delay.count()) + " ms");
        }
        return;
      }
      if (logon || answer.id != pending_subscribe_id_) return;
      pending_subscribe_id_.clear();
      refusals_in_a_row_ = 0;
      ++subscriptions_;
      resubscribed = subscriptions_ > 1;
      why = pending_why_;
      if (!first_answer_) {
        first_answer_ = Status(Ok{});
        answered_.notify_all();
      }
    }
    if (resubscribed && on_resubscribed_) on_resubscribed_(why);
    return;
  }
  auto event = parse_stream_message(message);
  if (!event) {
    if (on_problem_) on_problem_("user data stream: " + event.error());
    return;
  }
  if (auto* report = std::get_if<ExecutionReport>(&*event)) {
    if (on_report_) on_report_(*report);
  } else if (auto* position = std::get_if<AccountPosition>(&*event)) {
    if (on_balances_) on_balances_(*position);
  } else if (std::holds_alternative<StreamTerminated>(*event)) {
    {
      std::lock_guard lock(mutex_);
      ++terminations_;
    }
    if (on_problem_) on_problem_("user data stream: the venue ended the subscription "
                                 "(eventStreamTerminated); subscribing again");
    subscribe("the venue ended the subscription (eventStreamTerminated)");
  } else if (std::holds_alternative<ServerShutdown>(*event)) {
    if (on_problem_) on_problem_("user data stream: serverShutdown; reconnecting");
    socket_->reconnect();
  }
}

}  // namespace cephalo::exchange
