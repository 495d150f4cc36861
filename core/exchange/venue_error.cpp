// Binance error code mapping; codes from the spot API's "Error codes" page.
// Thread-safety: pure functions.
#include "exchange/venue_error.hpp"

namespace cephalo::exchange {

const char* venue_error_kind_name(VenueErrorKind kind) {
  switch (kind) {
    case VenueErrorKind::kNone:
      return "none";
    case VenueErrorKind::kNotSent:
      return "not sent";
    case VenueErrorKind::kUnknownOutcome:
      return "unknown outcome";
    case VenueErrorKind::kRejected:
      return "rejected";
    case VenueErrorKind::kDuplicateOrder:
      return "duplicate order";
    case VenueErrorKind::kOrderNotFound:
      return "order not found";
    case VenueErrorKind::kTimestamp:
      return "timestamp outside recvWindow";
    case VenueErrorKind::kSignature:
      return "bad signature";
    case VenueErrorKind::kUnauthorized:
      return "unauthorized";
    case VenueErrorKind::kRateLimited:
      return "rate limited";
    case VenueErrorKind::kBanned:
      return "banned";
    case VenueErrorKind::kMalformed:
      return "malformed answer";
    case VenueErrorKind::kTransport:
      return "transport";
  }
  return "?";
}

VenueErrorKind classify_venue_error(int http_status, int code, std::string_view message,
                                    bool is_order_placement) {
  if (http_status == 418) return VenueErrorKind::kBanned;
  if (http_status == 429 || code == -1003) return VenueErrorKind::kRateLimited;
  // Binance: "HTTP 5XX return codes are used for internal errors; the issue is on Binance's
  // side. It is important to NOT treat this as a failure operation; the execution status is
  // UNKNOWN and could have been a success." Same for -1007 (timeout waiting for the backend).
  if (http_status >= 500 || code == -1007 || code == -1006) {
    return is_order_placement ? VenueErrorKind::kUnknownOutcome : VenueErrorKind::kTransport;
  }
  switch (code) {
    case -1021:
      return VenueErrorKind::kTimestamp;
    case -1022:
      return VenueErrorKind::kSignature;
    case -2014:
    case -2015:
      return VenueErrorKind::kUnauthorized;
    case -2013:
    case -2011:
      // -2011 is "Unknown order sent." on cancel; both mean the venue has no such order.
      if (code == -2013 || message.find("Unknown order") != std::string_view::npos) {
        return VenueErrorKind::kOrderNotFound;
      }
      return VenueErrorKind::kRejected;
    case -2010:
      if (message.find("Duplicate order") != std::string_view::npos) {
        return VenueErrorKind::kDuplicateOrder;
      }
      return VenueErrorKind::kRejected;
    default:
      break;
  }
  return VenueErrorKind::kRejected;
}

}  // namespace cephalo::exchange
