// Text state blobs for hot swap: a magic header line, then one record per line, fields by tabs.
// Thread-safety: no shared state; a writer or reader belongs to the one thread using it.
//
// Header-only and C++17 (out-of-tree tentacles build with C++17), so no <format> and no ranges.
// Numbers use std::to_chars' shortest round-trip form, so a restored double is bit for bit the
// saved one and a hot swap resumes exactly where the old instance stopped. Text fields escape
// backslash, tab and newline (as \\, \t, \n), so a name can never split a field or a record;
// text without those characters is written as is.
//
//   std::string save_state() override {
//     cephalo::StateTextWriter out("cephalo-mine-state");
//     out.integer(period_);                                   // more header fields
//     for (const auto& [symbol, value] : values_) out.line().text(symbol).number(value);
//     return out.str();
//   }
//   void load_state(uint32_t, std::string_view bytes) override {
//     const cephalo::StateTextReader in(bytes, "cephalo-mine-state", "mine");
//     for (const cephalo::StateTextLine& line : in) {
//       line.expect_fields(2);
//       restored[line.text(0, "symbol")] = line.number(1, "value");
//     }
//   }
//
// Every parse error is a std::invalid_argument naming the tentacle, the line (1-based, the header
// is line 1), the field (1-based) and what was found; the SDK turns it into a failed load_state,
// so the old instance keeps running.
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace cephalo {

// Building blocks of the format, public because parameter lists ("rsi:1,macd:2") need the same.
namespace state_text {

// Every piece, empty ones included: "a,,b" gives three, "" gives one.
inline std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    const size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

// True when the whole of `text` is one number of type Number (no sign '+', no spaces).
template <class Number>
bool parse_number(std::string_view text, Number& out) {
  const auto result = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && result.ec == std::errc() && result.ptr == text.data() + text.size();
}

inline void append_number(std::string& out, double value) {
  char buffer[32];  // the longest shortest form of a double is 24 characters
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}
inline void append_number(std::string& out, int64_t value) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

inline void append_escaped(std::string& out, std::string_view text) {
  for (const char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
        break;
    }
  }
}

// False on an escape append_escaped never writes (or a lone trailing backslash): such a field
// was not written by it, and guessing would restore a name that differs from the saved one.
inline bool unescape(std::string_view text, std::string& out) {
  out.clear();
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out += text[i];
      continue;
    }
    if (++i == text.size()) return false;
    switch (text[i]) {
      case '\\':
        out += '\\';
        break;
      case 't':
        out += '\t';
        break;
      case 'n':
        out += '\n';
        break;
      default:
        return false;
    }
  }
  return true;
}

}  // namespace state_text

// Throws unless a blob saved at `saved_version` is the format this build writes. The message
// names both, so a refused hot swap says which side is older.
inline void require_state_version(std::string_view owner, uint32_t saved_version,
                                  uint32_t current_version) {
  if (saved_version == current_version) return;
  throw std::invalid_argument(std::string(owner) + ": cannot read state version " +
                              std::to_string(saved_version) + ", expected " +
                              std::to_string(current_version));
}

// Builds a blob: the constructor starts the header line with the magic; line() starts the next
// record; each field call appends one tab-separated field to the current line.
class StateTextWriter {
 public:
  explicit StateTextWriter(std::string_view magic) : out_(magic), line_empty_(magic.empty()) {}

  StateTextWriter& line() {
    out_ += '\n';
    line_empty_ = true;
    return *this;
  }
  StateTextWriter& number(double value) {
    separate();
    state_text::append_number(out_, value);
    return *this;
  }
  StateTextWriter& integer(int64_t value) {
    separate();
    state_text::append_number(out_, value);
    return *this;
  }
  // "1" or "0".
  StateTextWriter& boolean(bool value) {
    separate();
    out_ += value ? '1' : '0';
    return *this;
  }
  StateTextWriter& text(std::string_view value) {
    separate();
    state_text::append_escaped(out_, value);
    return *this;
  }

  // The blob so far, its last line ended; the writer can go on.
  std::string str() const { return out_ + '\n'; }

 private:
  void separate() {
    if (!line_empty_) out_ += '\t';
    line_empty_ = false;
  }

  std::string out_;
  bool line_empty_;
};

// One line of a blob, split into fields. Views into the blob: valid while the reader's bytes are.
class StateTextLine {
 public:
  StateTextLine(std::string_view owner, size_t line_number, std::string_view text)
      : owner_(owner),
        line_number_(line_number),
        text_(text),
        fields_(state_text::split(text, '\t')) {}

  size_t line_number() const { return line_number_; }  // 1-based; the header is line 1
  size_t size() const { return fields_.size(); }
  std::string_view text() const { return text_; }

  void expect_fields(size_t count) const {
    if (fields_.size() != count) {
      throw error("expected " + std::to_string(count) + " fields, found " +
                  std::to_string(fields_.size()));
    }
  }

  // Field `index` (0-based) as written, escapes and all; for tags and for quoting in messages.
  std::string_view raw(size_t index) const {
    if (index >= fields_.size()) {
      throw error("expected at least " + std::to_string(index + 1) + " fields, found " +
                  std::to_string(fields_.size()));
    }
    return fields_[index];
  }
  double number(size_t index, const char* what) const {
    double value = 0;
    if (!state_text::parse_number(raw(index), value)) throw field_error(index, what, "a number");
    return value;
  }
  int64_t integer(size_t index, const char* what) const {
    int64_t value = 0;
    if (!state_text::parse_number(raw(index), value)) throw field_error(index, what, "an integer");
    return value;
  }
  bool boolean(size_t index, const char* what) const {
    const std::string_view field = raw(index);
    if (field == "1") return true;
    if (field == "0") return false;
    throw field_error(index, what, "1 or 0");
  }
  std::string text(size_t index, const char* what) const {
    std::string value;
    if (!state_text::unescape(raw(index), value)) {
      throw field_error(index, what, "text with only \\\\, \\t or \\n escapes");
    }
    return value;
  }

  // "<owner> state line N: <message>", for checks a tentacle makes itself.
  std::invalid_argument error(const std::string& message) const {
    return std::invalid_argument(std::string(owner_) + " state line " +
                                 std::to_string(line_number_) + ": " + message);
  }

 private:
  std::invalid_argument field_error(size_t index, const char* what, const char* expected) const {
    return error("field " + std::to_string(index + 1) + " (" + what + "): expected " + expected +
                 ", found '" + std::string(fields_[index]) + "'");
  }

  std::string_view owner_;
  size_t line_number_;
  std::string_view text_;
  std::vector<std::string_view> fields_;
};

// Splits a blob into lines and checks the magic. `owner` (the tentacle's name) and `magic` must
// outlive the reader, as must `bytes`; string literals and the tentacle's constants do.
class StateTextReader {
 public:
  using const_iterator = std::vector<StateTextLine>::const_iterator;

  StateTextReader(std::string_view bytes, std::string_view magic, std::string_view owner) {
    std::vector<std::string_view> texts = state_text::split(bytes, '\n');
    // The writer ends every line, so the piece after the last newline is empty.
    if (texts.size() > 1 && texts.back().empty()) texts.pop_back();
    lines_.reserve(texts.size());
    for (size_t i = 0; i < texts.size(); ++i) lines_.emplace_back(owner, i + 1, texts[i]);
    if (lines_.front().raw(0) != magic) {
      std::string found(lines_.front().raw(0).substr(0, 64));
      throw lines_.front().error("expected the header '" + std::string(magic) + "', found '" +
                                 found + "'; this is not a state this tentacle wrote");
    }
  }

  // The header line; field 0 is the magic, the tentacle's own header fields follow.
  const StateTextLine& header() const { return lines_.front(); }

  // The records after the header.
  const_iterator begin() const { return lines_.begin() + 1; }
  const_iterator end() const { return lines_.end(); }
  size_t record_count() const { return lines_.size() - 1; }

 private:
  std::vector<StateTextLine> lines_;
};

}  // namespace cephalo
