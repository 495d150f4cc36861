#include "storage/storage_problems.hpp"

#include "storage/text.hpp"

namespace cephalo {

std::string StorageProblems::describe() const {
  using storage_text::cat;
  std::string text;
  if (!failure.empty()) {
    text = cat("storage stopped: ", failure, "; ", std::to_string(lost),
               " record(s) were not written (everything committed before it is kept)");
  }
  if (refused > 0) {
    std::string listed;
    for (const std::string& message : messages) {
      if (message != failure) listed += cat(listed.empty() ? "" : "; ", message);
    }
    const bool all_listed = static_cast<std::size_t>(refused) <= kMaxMessages;
    text += cat(text.empty() ? "" : "; ", std::to_string(refused),
                " record(s) refused by the database and not written (", listed,
                all_listed ? ")" : "; ...)");
  }
  return text;
}

}  // namespace cephalo
