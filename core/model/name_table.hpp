// NameTable: interns symbols, timeframes and tentacle names so events carry stable C strings cheaply.
// Thread-safety: not thread-safe; owned and used by the loop thread.
#pragma once

#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cephalo {

// An interned name: the pointer stays valid as long as its NameTable lives, so it can be handed
// across the ABI as a `const char*` without copying on every event.
class Name {
 public:
  Name() = default;
  const char* c_str() const { return text_ ? text_->c_str() : ""; }
  std::string_view view() const { return text_ ? std::string_view(*text_) : std::string_view(); }
  bool empty() const { return text_ == nullptr || text_->empty(); }
  friend bool operator==(Name a, Name b) { return a.text_ == b.text_; }
  friend bool operator!=(Name a, Name b) { return a.text_ != b.text_; }
  size_t hash() const { return std::hash<const void*>()(text_); }

 private:
  friend class NameTable;
  explicit Name(const std::string* text) : text_(text) {}
  const std::string* text_ = nullptr;
};

class NameTable {
 public:
  Name intern(std::string_view text) {
    auto found = index_.find(text);
    if (found != index_.end()) return Name(found->second);
    const std::string* stored = &storage_.emplace_back(text);
    index_.emplace(std::string_view(*stored), stored);
    return Name(stored);
  }

 private:
  std::deque<std::string> storage_;  // deque: growth never moves existing strings
  std::unordered_map<std::string_view, const std::string*> index_;
};

struct NameHash {
  size_t operator()(Name name) const { return name.hash(); }
};

}  // namespace cephalo
