// Layering, validation and secret resolution, in the order the user's mental model has them.
#include <algorithm>
#include <tuple>

#include "config/app_schema.hpp"
#include "config/config.hpp"
#include "config/config_node.hpp"
#include "config/env_secrets.hpp"
#include "config/extract.hpp"
#include "config/schema.hpp"
#include "config/yaml_reader.hpp"
#include "events/trading_calendar.hpp"
#include "model/regular_file.hpp"

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

// Beyond this many, a file is broken as a whole (generated wrongly, the wrong file): the first
// ones say what is wrong, and 900k more lines would bury them.
constexpr std::size_t kMaxListedProblems = 100;

void cap_listed_problems(std::vector<ConfigProblem>& problems, const std::string& display_name) {
  if (problems.size() <= kMaxListedProblems) return;
  const std::size_t unlisted = problems.size() - kMaxListedProblems;
  problems.resize(kMaxListedProblems);
  problems.push_back({SourceLocation{display_name, 0, 0}, "",
                      std::to_string(unlisted) + " more problems not listed; fix the " +
                          std::to_string(kMaxListedProblems) + " above and run again"});
}

// What the schema cannot say about `slots:` alone: shares that sum above 1, more than one live
// slot, two slots of one name, slots next to pipeline.strategies, and a slot's merged risk limits.
void check_slots(const Config& config, const ConfigNode& merged, const std::string& display_name,
                 std::vector<ConfigProblem>& problems) {
  const ConfigNode* slots = merged.find("slots");
  if (config.slots.empty() || slots == nullptr || !slots->is_list()) return;
  const auto item_key = [](size_t i) { return "slots." + std::to_string(i); };
  const ConfigNode* pipeline = merged.find("pipeline");
  for (const char* key : {"strategies", "trading_mode"}) {
    const ConfigNode* node = pipeline != nullptr ? pipeline->find(key) : nullptr;
    const bool used = key == std::string_view("strategies")
                          ? !config.pipeline.strategies.empty()
                          : config.pipeline.trading_mode.has_value();
    if (!used || node == nullptr) continue;
    problems.push_back({node->where, std::string("pipeline.") + key,
                        "with `slots:` each slot lists its own strategies and trading mode; "
                        "move this into a slot (evaluators and interfaces stay in pipeline:)"});
  }
  double shares = 0;
  std::optional<size_t> live;
  for (size_t i = 0; i < config.slots.size() && i < slots->items.size(); ++i) {
    const SlotConfig& slot = config.slots[i];
    const ConfigNode& item = slots->items[i];
    shares += slot.capital_share;
    if (shares > 1 + 1e-9) {
      const ConfigNode* share = item.find("capital_share");
      problems.push_back({share != nullptr ? share->where : item.where,
                          item_key(i) + ".capital_share",
                          "the capital shares of the slots up to '" + slot.name + "' sum to " +
                              std::to_string(shares) +
                              "; together they may use at most 1 (the whole starting cash)"});
    }
    for (size_t j = 0; j < i; ++j) {
      if (config.slots[j].name != slot.name) continue;
      const ConfigNode* name = item.find("name");
      problems.push_back({name != nullptr ? name->where : item.where, item_key(i) + ".name",
                          "slot name '" + slot.name + "' is already used by slot " +
                              std::to_string(j) + "; each slot needs its own name"});
      break;
    }
    if (slot.live) {
      if (live) {
        const ConfigNode* flag = item.find("live");
        problems.push_back({flag != nullptr ? flag->where : item.where, item_key(i) + ".live",
                            "slot '" + config.slots[*live].name +
                                "' is already the live one; at most one slot may say live: true"});
      } else {
        live = i;
      }
    }
    // Limits that only break once the slot's overrides are merged over the top level.
    const auto top_level = validate(config.risk);
    for (const std::string& message : validate(slot.risk)) {
      if (std::find(top_level.begin(), top_level.end(), message) != top_level.end()) continue;
      const std::string key = message.substr(0, message.find(':'));
      const ConfigNode* node = item.find_path("risk." + key);
      if (node == nullptr) node = item.find("risk");
      problems.push_back({node != nullptr ? node->where : SourceLocation{display_name, 0, 0},
                          item_key(i) + ".risk." + key,
                          message.substr(std::min(message.size(), message.find(':') + 2))});
    }
  }
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
  const bool live = mode != nullptr && mode->is_scalar() && run_mode_named(mode->scalar) == RunMode::kLive;
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
    // A session must close after it opens: an overnight session is written as two.
    for (size_t i = 0; i < result.config->calendar.sessions.size(); ++i) {
      const auto& session = result.config->calendar.sessions[i];
      if (parse_time_of_day(session.close) > parse_time_of_day(session.open)) continue;
      const std::string key = "calendar.sessions." + std::to_string(i) + ".close";
      const ConfigNode* node = merged.find_path(key);
      problems.push_back({node != nullptr ? node->where : SourceLocation{display_name, 0, 0}, key,
                          "close " + session.close + " is not after open " + session.open +
                              " (write an overnight session as two sessions)"});
    }
    check_slots(*result.config, merged, display_name, problems);
    // Paper trading must never hold the keys to a real account: a config that gives them is
    // refused rather than silently ignored, so a paper run cannot be a live one by mistake.
    if (result.config->mode == RunMode::kPaper) {
      for (const char* key : {"exchange.api_key_env", "exchange.api_secret_env"}) {
        const ConfigNode* node = merged.find_path(key);
        if (node == nullptr || !node->is_scalar() || node->scalar.empty()) continue;
        problems.push_back({node->where, key,
                            "paper mode refuses API secrets (paper trading never uses an exchange "
                            "account); remove this key, or use mode: live"});
      }
    }
    // Live orders are committed to the journal before they are sent: that is the crash safety.
    if (result.config->mode == RunMode::kLive && !result.config->storage.journal_decisions) {
      const ConfigNode* node = merged.find_path("storage.journal_decisions");
      problems.push_back({node != nullptr ? node->where : SourceLocation{display_name, 0, 0},
                          "storage.journal_decisions",
                          "live trading always journals its decisions (every order is stored "
                          "before it is sent); remove this key or use mode: backtest"});
    }
    if (!problems.empty()) result.config.reset();
  }
  cap_listed_problems(problems, display_name);
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
  auto text = read_regular_file(file, FileRole{"config file", "a YAML config file"},
                                YamlLimits{}.max_bytes);
  if (!text) {
    std::vector<ConfigProblem> problems;
    problems.push_back({SourceLocation{display_name, 0, 0}, "", text.error()});
    return load_layers(std::nullopt, display_name, overrides, std::move(problems));
  }
  return load_config_text(*text, display_name, overrides);
}

}  // namespace cephalo
