// parse_kline_event: a single-pass scanner for the kline stream event, the one message on the
// tick-to-order path. A DOM parse costs microseconds in allocations; this reads the fields in
// place. It accepts exactly the JSON grammar for what it reads and skips other fields by the
// grammar too; strings with escapes (never in a kline) go through the DOM parser instead.
// Thread-safety: pure functions.
#include <limits>
#include <optional>

#include "exchange/binance/binance_json.hpp"

namespace cephalo::exchange {
namespace {

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\r' || text_[pos_] == '\t'))
      ++pos_;
  }
  bool consume(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool peek(char c) {
    skip_space();
    return pos_ < text_.size() && text_[pos_] == c;
  }
  bool at_end() {
    skip_space();
    return pos_ == text_.size();
  }
  // A string without escapes; `escaped` is set when one is met so the caller can fall back.
  bool string(std::string_view& out) {
    if (!consume('"')) return false;
    const size_t start = pos_;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '"') {
        out = text_.substr(start, pos_ - start);
        ++pos_;
        return true;
      }
      if (c == '\\') {
        escaped_ = true;
        return false;
      }
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (static_cast<unsigned char>(c) >= 0x80) {
        // JSON text is UTF-8, and parse_stream_message refuses ill-formed UTF-8: so must this.
        const size_t length = utf8_sequence(text_.substr(pos_));
        if (length == 0) return false;
        pos_ += length;
        continue;
      }
      ++pos_;
    }
    return false;
  }
  // JSON number grammar; returns its text.
  bool number(std::string_view& out) {
    skip_space();
    const size_t start = pos_;
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    if (pos_ >= text_.size()) return false;
    if (text_[pos_] == '0') {
      ++pos_;
    } else if (text_[pos_] >= '1' && text_[pos_] <= '9') {
      while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
    } else {
      return false;
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (!digits()) return false;
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (!digits()) return false;
    }
    out = text_.substr(start, pos_ - start);
    return true;
  }
  bool integer(int64_t& out) {
    std::string_view digits_text;
    if (!number(digits_text)) return false;
    bool negative = false;
    size_t i = 0;
    if (digits_text[0] == '-') {
      negative = true;
      i = 1;
    }
    uint64_t value = 0;
    constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
    for (; i < digits_text.size(); ++i) {
      if (!is_digit(digits_text[i])) return false;  // a fraction or exponent: not an integer
      const auto digit = static_cast<uint64_t>(digits_text[i] - '0');
      if (value > (kMax - digit) / 10) return false;  // overflow
      value = value * 10 + digit;
    }
    out = negative ? -static_cast<int64_t>(value) : static_cast<int64_t>(value);
    return true;
  }
  bool boolean(bool& out) {
    skip_space();
    if (text_.substr(pos_, 4) == "true") {
      pos_ += 4;
      out = true;
      return true;
    }
    if (text_.substr(pos_, 5) == "false") {
      pos_ += 5;
      out = false;
      return true;
    }
    return false;
  }
  bool skip_value(int depth = 0) {
    if (depth > 32) return false;
    skip_space();
    if (pos_ >= text_.size()) return false;
    const char c = text_[pos_];
    std::string_view ignored;
    if (c == '"') return string(ignored);
    if (c == '{' || c == '[') {
      const char close = c == '{' ? '}' : ']';
      ++pos_;
      if (consume(close)) return true;
      do {
        if (c == '{') {
          if (!string(ignored) || !consume(':')) return false;
        }
        if (!skip_value(depth + 1)) return false;
      } while (consume(','));
      return consume(close);
    }
    if (c == 't' || c == 'f') {
      bool b = false;
      return boolean(b);
    }
    if (text_.substr(pos_, 4) == "null") {
      pos_ += 4;
      return true;
    }
    return number(ignored);
  }
  bool escaped() const { return escaped_; }

 private:
  static bool is_digit(char c) { return c >= '0' && c <= '9'; }
  // The length of the well-formed UTF-8 sequence `text` starts with (Unicode table 3-7: no
  // overlong forms, no surrogates, nothing past U+10FFFF), or 0.
  static size_t utf8_sequence(std::string_view text) {
    const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(0);
    size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) low = 0xA0;
      if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) low = 0x90;
      if (lead == 0xF4) high = 0x8F;
    } else {
      return 0;
    }
    if (text.size() < length || byte(1) < low || byte(1) > high) return 0;
    for (size_t i = 2; i < length; ++i) {
      if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
    }
    return length;
  }
  bool digits() {
    const size_t start = pos_;
    while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
    return pos_ > start;
  }
  std::string_view text_;
  size_t pos_ = 0;
  bool escaped_ = false;
};

enum KlineField : unsigned {
  kT = 1u << 0,
  kCloseT = 1u << 1,
  kS = 1u << 2,
  kI = 1u << 3,
  kO = 1u << 4,
  kC = 1u << 5,
  kH = 1u << 6,
  kL = 1u << 7,
  kV = 1u << 8,
  kN = 1u << 9,
  kX = 1u << 10,
  kAll = (1u << 11) - 1,
};

// Reads the "k" object. Returns the name of the first bad field, or empty when all is well.
std::string_view read_k(Scanner& scan, KlineBar& bar) {
  if (!scan.consume('{')) return "k";
  unsigned seen = 0;
  if (scan.consume('}')) return "k (empty)";
  do {
    std::string_view key;
    if (!scan.string(key) || !scan.consume(':')) return "k";
    std::string_view text;
    Decimal* decimal = nullptr;
    unsigned flag = 0;
    if (key.size() != 1) {
      if (!scan.skip_value()) return key;
      continue;
    }
    switch (key[0]) {
      case 't':
        if (!scan.integer(bar.open_time_ms)) return "k.t";
        seen |= kT;
        continue;
      case 'T':
        if (!scan.integer(bar.close_time_ms)) return "k.T";
        seen |= kCloseT;
        continue;
      case 'n':
        if (!scan.integer(bar.trade_count)) return "k.n";
        seen |= kN;
        continue;
      case 'x':
        if (!scan.boolean(bar.closed)) return "k.x";
        seen |= kX;
        continue;
      case 's':
        if (!scan.string(text)) return "k.s";
        bar.symbol.assign(text);
        seen |= kS;
        continue;
      case 'i':
        if (!scan.string(text)) return "k.i";
        bar.interval.assign(text);
        seen |= kI;
        continue;
      case 'o':
        decimal = &bar.open, flag = kO;
        break;
      case 'c':
        decimal = &bar.close, flag = kC;
        break;
      case 'h':
        decimal = &bar.high, flag = kH;
        break;
      case 'l':
        decimal = &bar.low, flag = kL;
        break;
      case 'v':
        decimal = &bar.volume, flag = kV;
        break;
      default:
        if (!scan.skip_value()) return key;
        continue;
    }
    if (!scan.string(text) || !parse_decimal_fast(text, *decimal)) {
      switch (flag) {
        case kO:
          return "k.o";
        case kC:
          return "k.c";
        case kH:
          return "k.h";
        case kL:
          return "k.l";
        default:
          return "k.v";
      }
    }
    seen |= flag;
  } while (scan.consume(','));
  if (!scan.consume('}')) return "k";
  if (seen != kAll) return "k (a required field is missing)";
  return {};
}

// Reads a kline event object; `wrapped` allows the combined-stream envelope. As in
// parse_stream_message, an object is the envelope only when it has both "stream" and "data":
// then the event is "data" alone, else the object itself (and "data" is just another key).
std::string_view read_event(Scanner& scan, KlineBar& bar, bool wrapped, bool& out_is_kline) {
  if (!scan.consume('{')) return "event";
  bool has_k = false;
  bool has_event_time = false;  // parse_stream_message requires "E" too
  bool saw_stream = false;
  std::optional<KlineBar> data_bar;  // what "data" held, if it was a kline event
  bool data_is_kline = false;
  if (scan.consume('}')) return "event (empty)";
  do {
    std::string_view key;
    if (!scan.string(key) || !scan.consume(':')) return "event";
    if (wrapped && key == "data") {
      KlineBar inner;
      data_is_kline = false;
      std::string_view bad = read_event(scan, inner, false, data_is_kline);
      if (!bad.empty()) return bad;
      data_bar = std::move(inner);
    } else if (key == "e") {
      std::string_view type;
      if (!scan.string(type)) return "e";
      out_is_kline = type == "kline";
    } else if (key == "E") {
      int64_t event_time = 0;
      if (!scan.integer(event_time)) return "E";
      has_event_time = true;
    } else if (key == "k") {
      std::string_view bad = read_k(scan, bar);
      if (!bad.empty()) return bad;
      has_k = true;
    } else {
      if (wrapped && key == "stream") saw_stream = true;
      if (!scan.skip_value()) return key;
    }
  } while (scan.consume(','));
  if (!scan.consume('}')) return "event";
  if (saw_stream && data_bar) {
    bar = std::move(*data_bar);
    out_is_kline = data_is_kline;
    return {};
  }
  if (!has_k) return "k (missing)";
  if (!has_event_time) return "E (missing)";
  return {};
}

}  // namespace

Status parse_kline_event(std::string_view message, KlineBar& out_bar) {
  Scanner scan(message);
  bool is_kline = false;
  std::string_view bad = read_event(scan, out_bar, true, is_kline);
  if (bad.empty() && !scan.at_end()) bad = "trailing data";
  if (bad.empty() && !is_kline) return Error{"kline stream: the event is not a kline"};
  if (bad.empty()) return Ok{};
  if (scan.escaped()) {
    // Escapes are legal JSON, just never in a kline: let the full parser judge.
    auto event = parse_stream_message(message);
    if (!event) return event.status();
    if (auto* bar = std::get_if<KlineBar>(&*event)) {
      out_bar = std::move(*bar);
      return Ok{};
    }
    return Error{"kline stream: the event is not a kline"};
  }
  return Error{"kline stream: bad or missing field " + std::string(bad) + " in \"" +
               std::string(message.substr(0, 80)) + "\""};
}

}  // namespace cephalo::exchange
