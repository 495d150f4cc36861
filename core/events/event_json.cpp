// One JSON shape per payload type, keyed as in the ABI structs.
// Thread-safety: pure functions.
#include "events/event_json.hpp"

#include <algorithm>
#include <string_view>

namespace cephalo {

namespace {

struct PayloadToJson {
  nlohmann::json operator()(const Candle& c) const {
    return {{"symbol", c.symbol.c_str()},
            {"timeframe", c.timeframe.c_str()},
            {"open_time_ns", c.open_time_ns},
            {"open", c.open},
            {"high", c.high},
            {"low", c.low},
            {"close", c.close},
            {"volume", c.volume}};
  }
  nlohmann::json operator()(const Evaluation& e) const {
    return {{"symbol", e.symbol.c_str()},
            {"evaluator", e.evaluator.c_str()},
            {"value", e.value},
            {"confidence", e.confidence}};
  }
  // The slot key appears only for slots after the first, so a run without slots journals and
  // streams exactly what it did before slots existed.
  static nlohmann::json with_slot(nlohmann::json json, SlotIndex slot) {
    if (slot != 0) json["slot"] = slot;
    return json;
  }
  nlohmann::json operator()(const Signal& s) const {
    return with_slot({{"symbol", s.symbol.c_str()},
                      {"strategy", s.strategy.c_str()},
                      {"intent", signal_intent_name(s.intent)},
                      {"strength", s.strength},
                      {"confidence", s.confidence},
                      {"stop_price", s.stop_price},
                      {"target_price", s.target_price}},
                     s.slot);
  }
  nlohmann::json operator()(const OrderIntent& o) const {
    return with_slot({{"symbol", o.symbol.c_str()},
                      {"source", o.source.c_str()},
                      {"side", side_name(o.side)},
                      {"type", order_type_name(o.type)},
                      {"time_in_force", time_in_force_name(o.time_in_force)},
                      {"quantity", o.quantity},
                      {"price", o.price},
                      {"stop_price", o.stop_price},
                      {"tag", o.tag}},
                     o.slot);
  }
  nlohmann::json operator()(const Fill& f) const {
    return with_slot({{"symbol", f.symbol.c_str()},
                      {"side", side_name(f.side)},
                      {"client_order_id", f.client_order_id},
                      {"quantity", f.quantity},
                      {"price", f.price},
                      {"fee", f.fee},
                      {"fee_currency", f.fee_currency}},
                     f.slot);
  }
  nlohmann::json operator()(const ErrorInfo& e) const {
    return {{"source", e.source}, {"message", e.message}};
  }
  nlohmann::json operator()(const TimerFired& t) const {
    return {{"timer_id", t.timer_id}, {"due_ns", t.due_ns}, {"period_ns", t.period_ns}};
  }
};

// Writes one JSON object field by field. Each value goes through nlohmann's own serializer, so
// numbers and escapes come out exactly as a dumped document would print them; the callers list the
// keys in the order a document prints them (std::map: byte-wise sorted).
class ObjectText {
 public:
  explicit ObjectText(std::string& out)
      : out_(out), serializer_(nlohmann::detail::output_adapter<char>(out), ' ') {
    out_ += '{';
  }
  ObjectText& field(const char* key, double value) {
    open_field(key);
    serializer_.dump(nlohmann::json(value), false, false, 0);
    return *this;
  }
  // A slot key appears only for slots after the first (see with_slot).
  ObjectText& slot(SlotIndex index) {
    if (index == 0) return *this;
    open_field("slot");
    serializer_.dump(nlohmann::json(index), false, false, 0);
    return *this;
  }
  ObjectText& field(const char* key, std::string_view value) {
    open_field(key);
    // Printable ASCII other than quote and backslash prints as itself; anything else takes the
    // serializer's escaping (and its UTF-8 check) through a string value.
    const bool plain = std::all_of(value.begin(), value.end(), [](char c) {
      return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
    });
    if (plain) {
      out_ += '"';
      out_ += value;
      out_ += '"';
    } else {
      serializer_.dump(nlohmann::json(std::string(value)), false, false, 0);
    }
    return *this;
  }
  void close() { out_ += '}'; }

 private:
  // Keys are plain ASCII literals: written as they are.
  void open_field(const char* key) {
    if (!first_) out_ += ',';
    first_ = false;
    out_ += '"';
    out_ += key;
    out_ += "\":";
  }

  std::string& out_;
  nlohmann::detail::serializer<nlohmann::json> serializer_;
  bool first_ = true;
};

}  // namespace

std::string payload_json_text(const EventPayload& payload) {
  std::string text;
  if (const auto* o = std::get_if<OrderIntent>(&payload)) {
    text.reserve(256);
    ObjectText object(text);
    object.field("price", o->price)
        .field("quantity", o->quantity)
        .field("side", side_name(o->side))
        .slot(o->slot)
        .field("source", o->source.c_str())
        .field("stop_price", o->stop_price)
        .field("symbol", o->symbol.c_str())
        .field("tag", o->tag)
        .field("time_in_force", time_in_force_name(o->time_in_force))
        .field("type", order_type_name(o->type));
    object.close();
    return text;
  }
  if (const auto* f = std::get_if<Fill>(&payload)) {
    text.reserve(256);
    ObjectText object(text);
    object.field("client_order_id", f->client_order_id)
        .field("fee", f->fee)
        .field("fee_currency", f->fee_currency)
        .field("price", f->price)
        .field("quantity", f->quantity)
        .field("side", side_name(f->side))
        .slot(f->slot)
        .field("symbol", f->symbol.c_str());
    object.close();
    return text;
  }
  return payload_to_json(payload).dump();
}

nlohmann::json payload_to_json(const EventPayload& payload) {
  return std::visit(PayloadToJson{}, payload);
}

nlohmann::json event_to_json(const Event& event) {
  return {{"sequence", event.sequence},
          {"type", event_type_name(event.type())},
          {"exchange_time_ns", event.exchange_time_ns},
          {"receive_time_ns", event.receive_time_ns},
          {"payload", payload_to_json(event.payload)}};
}

}  // namespace cephalo
