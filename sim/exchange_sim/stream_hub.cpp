// Stream names, subscriptions and fan-out of events to WebSocket connections.
#include "exchange_sim/stream_hub.hpp"

#include <algorithm>

#include "exchange_sim/query_params.hpp"

namespace cephalo::exchange_sim {

std::optional<Subscription> parse_stream_target(std::string_view target) {
  Subscription subscription;
  std::string list;
  if (target == "/ws-api/v3" || target.starts_with("/ws-api/v3?")) {
    subscription.ws_api = true;
    return subscription;
  }
  if (target.starts_with("/ws/")) {
    list = std::string(target.substr(4));
  } else if (target.starts_with("/stream?")) {
    const QueryParams params = parse_params(target.substr(8), "");
    list = params.get("streams");
    subscription.combined = true;
  } else {
    return std::nullopt;
  }
  size_t begin = 0;
  while (begin <= list.size()) {
    size_t end = list.find('/', begin);
    if (end == std::string::npos) end = list.size();
    if (end > begin) subscription.streams.push_back(list.substr(begin, end - begin));
    begin = end + 1;
  }
  if (subscription.streams.empty()) return std::nullopt;
  return subscription;
}

void StreamHub::add(std::weak_ptr<StreamSubscriber> subscriber) {
  forget_closed();
  subscribers_.push_back(std::move(subscriber));
}

void StreamHub::forget_closed() {
  std::erase_if(subscribers_, [](const auto& weak) { return weak.expired(); });
}

size_t StreamHub::connections() {
  forget_closed();
  return subscribers_.size();
}

void StreamHub::publish(const std::string& stream, const nlohmann::json& data) {
  std::shared_ptr<const std::string> raw;
  std::shared_ptr<const std::string> wrapped;
  for (const auto& weak : subscribers_) {
    const auto subscriber = weak.lock();
    if (!subscriber) continue;
    const Subscription& subscription = subscriber->subscription();
    if (std::find(subscription.streams.begin(), subscription.streams.end(), stream) ==
        subscription.streams.end()) {
      continue;
    }
    auto& text = subscription.combined ? wrapped : raw;
    if (!text) {
      text = std::make_shared<const std::string>(
          subscription.combined ? nlohmann::json{{"stream", stream}, {"data", data}}.dump()
                                : data.dump());
    }
    subscriber->send_text(text);
  }
}

void StreamHub::publish_user_event(const nlohmann::json& event) {
  for (const auto& weak : subscribers_) {
    const auto subscriber = weak.lock();
    WsApiSession* session = subscriber ? subscriber->ws_api_session() : nullptr;
    if (session == nullptr) continue;
    for (const int64_t id : session->subscriptions) {
      subscriber->send_text(std::make_shared<const std::string>(
          nlohmann::json{{"subscriptionId", id}, {"event", event}}.dump()));
    }
  }
}

int64_t StreamHub::terminate_user_subscriptions(int64_t now_ms) {
  int64_t ended = 0;
  for (const auto& weak : subscribers_) {
    const auto subscriber = weak.lock();
    WsApiSession* session = subscriber ? subscriber->ws_api_session() : nullptr;
    if (session == nullptr) continue;
    for (const int64_t id : session->subscriptions) {
      subscriber->send_text(std::make_shared<const std::string>(
          nlohmann::json{{"subscriptionId", id},
                         {"event", {{"e", "eventStreamTerminated"}, {"E", now_ms}}}}
              .dump()));
      ++ended;
    }
    session->subscriptions.clear();
    session->logon_subscription = -1;
  }
  return ended;
}

void StreamHub::announce_shutdown(int64_t now_ms) {
  const auto text = std::make_shared<const std::string>(
      nlohmann::json{{"event", {{"e", "serverShutdown"}, {"E", now_ms}}}}.dump());
  for (const auto& weak : subscribers_) {
    const auto subscriber = weak.lock();
    if (subscriber && subscriber->ws_api_session() != nullptr) subscriber->send_text(text);
  }
}

void StreamHub::drop_all() {
  for (const auto& weak : subscribers_) {
    if (const auto subscriber = weak.lock()) subscriber->drop();
  }
  subscribers_.clear();
}

}  // namespace cephalo::exchange_sim
