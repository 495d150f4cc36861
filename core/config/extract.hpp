// Turns a validated, default-filled config tree into the typed Config the engine runs on.
// Thread-safety: pure; safe to call concurrently.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "config/config.hpp"
#include "config/config_node.hpp"

namespace cephalo {

// Only call after validation found no problems: it trusts every key to exist with the right type.
// `config_dir` anchors relative paths written in the config file (not those from --set).
Config extract_config(const ConfigNode& root, const std::filesystem::path& config_dir,
                      std::map<std::string, Secret> secrets);

}  // namespace cephalo
