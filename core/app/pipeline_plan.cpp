// Manifest-level checks of a config's pipeline, shared by `config validate` and `run`.
// Thread-safety: pure functions over the file system.
#include "pipeline_plan.hpp"

#include <map>

#include "host/parameter_value.hpp"
#include "model/market.hpp"

namespace cephalo {

std::vector<PlannedUse> planned_uses(const Config& config) {
  const PipelineConfig& pipeline = config.pipeline;
  std::vector<PlannedUse> uses;
  for (const auto& use : pipeline.evaluators) uses.push_back({&use, CEPHALO_KIND_EVALUATOR});
  const auto add_slot = [&uses](const std::vector<TentacleUse>& strategies,
                                const std::optional<TentacleUse>& trading_mode, uint32_t slot) {
    for (const auto& use : strategies) uses.push_back({&use, CEPHALO_KIND_STRATEGY, slot});
    if (trading_mode) uses.push_back({&*trading_mode, CEPHALO_KIND_TRADING_MODE, slot});
  };
  if (config.slots.empty()) {
    add_slot(pipeline.strategies, pipeline.trading_mode, 0);
  } else {
    for (uint32_t slot = 0; slot < config.slots.size(); ++slot) {
      add_slot(config.slots[slot].strategies, config.slots[slot].trading_mode, slot);
    }
  }
  for (const auto& use : pipeline.interfaces) uses.push_back({&use, CEPHALO_KIND_INTERFACE});
  return uses;
}

TentacleFolders tentacle_folders_for(const Config& config, TentacleFolders defaults) {
  if (!config.tentacles.user_folder.empty()) defaults.user = config.tentacles.user_folder;
  for (const auto& extra : config.tentacles.folders) defaults.extra.push_back(extra);
  return defaults;
}

std::vector<std::string> check_pipeline(const Config& config, const TentacleFolders& folders) {
  std::map<std::string, CatalogEntry> installed;
  std::map<std::string, std::string> broken;
  for (auto& entry : scan_tentacle_folders(folders)) {
    if (!entry.manifest) continue;
    if (!entry.problem.empty()) {
      broken.emplace(entry.manifest->name, entry.problem);
      continue;
    }
    installed.emplace(entry.manifest->name, std::move(entry));
  }
  std::vector<std::string> problems;
  for (const auto& [use, kind, slot] : planned_uses(config)) {
    const std::string where = use->where.to_string() + ": ";
    const auto found = installed.find(use->tentacle);
    if (found == installed.end()) {
      const auto refused = broken.find(use->tentacle);
      problems.push_back(where + "tentacle '" + use->tentacle + "' " +
                         (refused != broken.end() ? "is refused: " + refused->second
                                                  : std::string("is not installed (see "
                                                                "`cephalo tentacles list`)")));
      continue;
    }
    const TentacleManifest& manifest = *found->second.manifest;
    if (manifest.kind != kind) {
      problems.push_back(where + "tentacle '" + use->tentacle + "' is a " +
                         kind_to_string(manifest.kind) + ", but is listed as a " +
                         kind_to_string(kind));
      continue;
    }
    auto values = resolve_parameters(manifest, use->params);
    if (values.ok()) continue;
    size_t start = 0;
    const std::string& text = values.error();
    while (start <= text.size()) {
      const size_t end = text.find('\n', start);
      problems.push_back(text.substr(start, end == std::string::npos ? end : end - start));
      if (end == std::string::npos) break;
      start = end + 1;
    }
  }
  return problems;
}

}  // namespace cephalo
