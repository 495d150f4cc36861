#include "config/env_secrets.hpp"

#include <cstdlib>

#include "model/cat.hpp"
#include "model/system_text.hpp"

namespace cephalo {

namespace {

void walk(const ConfigNode& node, const std::string& key_path, bool live,
          std::map<std::string, Secret>& secrets, std::vector<ConfigProblem>& problems) {
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    walk(node.items[i], join_key(key_path, std::to_string(i)), live, secrets, problems);
  }
  for (const auto& entry : node.entries) {
    const std::string child_key = join_key(key_path, entry.key);
    if (!is_env_reference_key(entry.key)) {
      walk(entry.value, child_key, live, secrets, problems);
      continue;
    }
    // Non-scalars are the validator's to report; an empty name means "not used".
    if (!entry.value.is_scalar() || entry.value.scalar.empty()) continue;
    const std::string& name = entry.value.scalar;
    if (!is_valid_env_name(name)) {
      problems.push_back(
          {entry.value.where, child_key,
           "expected the name of an environment variable (upper-case letters, digits and _, "
           "not starting with a digit, at most " +
               std::to_string(kMaxEnvNameChars) +
               " characters, e.g. BINANCE_API_KEY), found something else, not shown in case it "
               "is the secret itself; put the secret in the environment and its variable's name "
               "here"});
      continue;
    }
    const char* value = environment_value(name.c_str());
    if (value != nullptr && *value != '\0') {
      secrets[child_key.substr(0, child_key.size() - 4)] = Secret(value);
    } else if (live) {
      problems.push_back({entry.value.where, child_key,
                          cat("environment variable '", name,
                              "' is not set (or is empty), and live mode needs it; export ", name,
                              " before starting, or clear this key")});
    }
  }
}

}  // namespace

std::map<std::string, Secret> resolve_env_secrets(const ConfigNode& root, bool live,
                                                  std::vector<ConfigProblem>& problems) {
  std::map<std::string, Secret> secrets;
  walk(root, "", live, secrets, problems);
  return secrets;
}

}  // namespace cephalo
