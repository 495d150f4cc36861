// Resolves `*_env` keys: each names an environment variable whose value becomes a Secret.
// Thread-safety: reads the environment with getenv, so do not call while another thread setenv()s.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "config/config_node.hpp"
#include "config/problem.hpp"
#include "config/secret.hpp"

namespace cephalo {

// Walks the whole tree (tentacle params included), so any new `*_env` key works without code.
// Returns the secrets found, keyed by the key path without "_env". A named variable that is not
// set is a problem only when `live` is true: paper and backtest runs never touch an account.
// Problems name the key and the variable, never a value.
std::map<std::string, Secret> resolve_env_secrets(const ConfigNode& root, bool live,
                                                  std::vector<ConfigProblem>& problems);

}  // namespace cephalo
