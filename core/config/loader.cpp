// Layering, validation and secret resolution, in the order the user's mental model has them.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <tuple>

#include "config/app_schema.hpp"
#include "config/config.hpp"
#include "config/config_node.hpp"
#include "config/env_secrets.hpp"
#include "config/extract.hpp"
#include "config/schema.hpp"

namespace cephalo {

namespace {

// The argument as it may be shown in a problem: its value hidden when the key names a secret, or
// when a `*_env` key holds something that is not a variable name (likely the secret itself).
std::string shown_override(const std::string& argument) {
  const auto equals = argument.find('=');
  if (equals == std::string::npos) return is_secret_key(argument) ? "***" : argument;
  const std::string key = argument.substr(0, equals);
  const std::string value = argument.substr(equals + 1);
  const bool hide = is_secret_key(key) ||
                    (is_env_reference_key(key) && !value.empty() && !is_valid_env_name(value));
  return hide ? key + "=" + std::string(kRedacted) : argument;
}

// Problems from --set name the argument in full, since "--set:2:9" alone makes users count.
void name_override_arguments(std::vector<ConfigProblem>& problems,
                             const std::vector<std::string>& overrides) {
  for (auto& problem : problems) {
    const int ordinal = problem.where.line;
    if (problem.where.file != kOverrideFile || ordinal < 1 ||
        ordinal > static_cast<int>(overrides.size())) {
      continue;
    }
    problem.message += " (in --set " + shown_override(overrides[ordinal - 1]) + ")";
  }
}

void sort_problems(std::vector<ConfigProblem>& problems, const std::string& display_name) {
  const auto rank = [&](const SourceLocation& where) {
    if (where.file == display_name) return 0;
    if (where.file == kOverrideFile) return 1;
    return 2;
  };
  std::stable_sort(problems.begin(), problems.end(),
                   [&](const ConfigProblem& a, const ConfigProblem& b) {
                     const auto key_a = std::tuple(rank(a.where), a.where.line, a.where.column);
                     const auto key_b = std::tuple(rank(b.where), b.where.line, b.where.column);
                     return key_a < key_b;
                   });
}

// `file_layer` is nullopt when the file could not be read or parsed; the overrides are still
// checked against defaults so that one run reports every problem there is.
ConfigLoadResult load_layers(const std::optional<ConfigNode>& file_layer,
                             const std::string& display_name,
                             const std::vector<std::string>& overrides,
                             std::vector<ConfigProblem> problems) {
  const Schema& schema = app_config_schema();
  ConfigNode merged = schema_defaults(schema);
  if (file_layer) {
    if (file_layer->is_map()) {
      merge_layer(merged, *file_layer);
    } else {
      problems.push_back({file_layer->where, "",
                          "expected a map of settings (mode:, market:, ...) at the top level, "
                          "found " +
                              std::string(file_layer->is_list() ? "a list" : "a single value")});
    }
  }
  for (std::size_t i = 0; i < overrides.size(); ++i) {
    if (auto parsed = parse_override(overrides[i], static_cast<int>(i) + 1, problems)) {
      apply_override(merged, *parsed, problems);
    }
  }
  fill_defaults(merged, schema);
  validate(merged, schema, "", problems);

  const ConfigNode* mode = merged.find("mode");
  const bool live = mode != nullptr && mode->is_scalar() && mode->scalar == "live";
  // Backtest and paper replay candle files; only live mode streams candles from the exchange.
  if (const ConfigNode* feeds = merged.find_path("market.feeds"); feeds != nullptr && !live) {
    for (std::size_t i = 0; i < feeds->items.size(); ++i) {
      if (!feeds->items[i].is_map()) continue;  // already reported by validate()
      const ConfigNode* file = feeds->items[i].find("file");
      if (file != nullptr && !(file->is_scalar() && file->scalar.empty())) continue;
      problems.push_back({feeds->items[i].where, "market.feeds." + std::to_string(i) + ".file",
                          "required key 'file' is missing"});
    }
  }
  auto secrets = resolve_env_secrets(merged, live, problems);

  name_override_arguments(problems, overrides);
  sort_problems(problems, display_name);

  ConfigLoadResult result;
  result.merged = to_yaml(merged);
  if (problems.empty()) {
    result.config = extract_config(merged, std::filesystem::path(display_name).parent_path(),
                                   std::move(secrets));
    result.config->source_file = display_name;
    // Limits that make no sense together (a stop at 100%, more than 100% of equity on spot) are
    // config errors at the place of the offending key.
    for (const std::string& message : validate(result.config->risk)) {
      const std::string key = "risk." + message.substr(0, message.find(':'));
      const ConfigNode* node = merged.find_path(key);
      problems.push_back({node != nullptr ? node->where : SourceLocation{display_name, 0, 0}, key,
                          message.substr(std::min(message.size(), message.find(':') + 2))});
    }
    // Paper trading must never hold the keys to a real account: a config that gives them is
    // refused rather than silently ignored, so a paper run cannot be a live one by mistake.
    if (result.config->mode == "paper") {
      for (const char* key : {"exchange.api_key_env", "exchange.api_secret_env"}) {
        const ConfigNode* node = merged.find_path(key);
        if (node == nullptr || !node->is_scalar() || node->scalar.empty()) continue;
        problems.push_back({node->where, key,
                            "paper mode refuses API secrets (paper trading never uses an exchange "
                            "account); remove this key, or use mode: live"});
      }
    }
    if (!problems.empty()) result.config.reset();
  }
  result.problems = std::move(problems);
  return result;
}

}  // namespace

ConfigLoadResult load_config_text(const std::string& yaml_text, const std::string& display_name,
                                  const std::vector<std::string>& overrides) {
  std::vector<ConfigProblem> problems;
  auto file_layer = parse_config_document(yaml_text, display_name, problems);
  return load_layers(file_layer, display_name, overrides, std::move(problems));
}

ConfigLoadResult load_config(const std::filesystem::path& file,
                             const std::vector<std::string>& overrides) {
  const std::string display_name = file.string();
  std::error_code error;
  const auto status = std::filesystem::status(file, error);
  std::string failure;
  if (!std::filesystem::exists(status)) {
    failure = "config file not found; check the path (relative paths start at " +
              std::filesystem::current_path(error).string() + ")";
  } else if (std::filesystem::is_directory(status)) {
    failure = "is a directory, expected a YAML config file";
  }
  std::ifstream in;
  if (failure.empty()) {
    in.open(file, std::ios::binary);
    if (!in) failure = std::string("cannot read the config file: ") + std::strerror(errno);
  }
  if (!failure.empty()) {
    const SourceLocation whole_file{display_name, 0, 0};
    std::vector<ConfigProblem> problems;
    problems.push_back({whole_file, "", failure});
    return load_layers(std::nullopt, display_name, overrides, std::move(problems));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return load_config_text(text.str(), display_name, overrides);
}

}  // namespace cephalo
