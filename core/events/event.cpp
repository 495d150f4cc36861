// Names of event types as they appear in storage, JSON and logs.
// Thread-safety: pure function.
#include "events/event.hpp"

namespace cephalo {

static_assert(std::variant_size_v<EventPayload> == CEPHALO_EVENT_TIMER,
              "EventPayload alternatives must follow cephalo_event_type");

const char* event_type_name(cephalo_event_type type) {
  switch (type) {
    case CEPHALO_EVENT_CANDLE:
      return "candle";
    case CEPHALO_EVENT_EVALUATION:
      return "evaluation";
    case CEPHALO_EVENT_SIGNAL:
      return "signal";
    case CEPHALO_EVENT_ORDER_INTENT:
      return "order_intent";
    case CEPHALO_EVENT_FILL:
      return "fill";
    case CEPHALO_EVENT_ERROR:
      return "error";
    case CEPHALO_EVENT_TIMER:
      return "timer";
    default:
      return "unknown";
  }
}

}  // namespace cephalo
