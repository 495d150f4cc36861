// Thread-safety: see run_tentacles.hpp.
#include "run_tentacles.hpp"

#include <algorithm>

#include "pipeline_plan.hpp"

namespace cephalo {

namespace {

// Why a planned use did not start, or "" when it did.
std::string start_use(const PlannedUse& planned, const PipelineLibraries& loaded,
                      Pipeline& pipeline) {
  const TentacleUse& use = *planned.use;
  const std::string where = use.where.to_string();
  const auto found = loaded.by_name.find(use.tentacle);
  if (found == loaded.by_name.end()) {
    // The most specific reason: why its package was refused (a crash, a checksum, ...).
    const auto load = std::find_if(
        loaded.loads.begin(), loaded.loads.end(),
        [&use](const LoadReport& report) { return report.name == use.tentacle && !report.ok; });
    return where + ": tentacle '" + use.tentacle + "' is not available" +
           (load != loaded.loads.end()
                ? ": " + load->reason
                : " (not installed, or refused: see `cephalo tentacles list`)");
  }
  if (found->second->descriptor().kind != planned.kind) {
    return where + ": tentacle '" + use.tentacle + "' is a " +
           kind_to_string(found->second->descriptor().kind) + ", but is listed as a " +
           kind_to_string(planned.kind);
  }
  if (auto added = pipeline.add(found->second, use, planned.slot); !added.ok()) {
    // Parameter problems already start with their own file:line; a failing create does not.
    const bool placed = added.error().rfind(use.where.file, 0) == 0;
    return placed ? added.error() : where + ": " + added.error();
  }
  return "";
}

}  // namespace

Status start_planned_tentacles(const Config& config, const std::vector<SlotConfig>& slots,
                               const PipelineLibraries& loaded, Pipeline& pipeline,
                               Repository* repository, Clock& clock, RunSummary& summary,
                               ProblemList& problems, spdlog::logger& log) {
  const bool stop_on_failure = config.run.on_tentacle_failure == "stop";
  for (const PlannedUse& planned : planned_uses(config)) {
    const std::string& name = planned.use->tentacle;
    const std::string kind(kind_to_string(planned.kind));
    const std::string refusal = start_use(planned, loaded, pipeline);
    if (refusal.empty()) {
      const bool in_slot = !config.slots.empty() && (planned.kind == CEPHALO_KIND_STRATEGY ||
                                                     planned.kind == CEPHALO_KIND_TRADING_MODE);
      std::string running = kind;  // "kind/name", and "@slot" inside A/B slots
      running.append("/").append(name);
      if (in_slot) running.append("@").append(slots[planned.slot].name);
      summary.running.push_back(std::move(running));
      continue;
    }
    if (repository != nullptr) {
      repository->record(TentacleLoadRecord{clock.now_ns(), name, kind, "", "", "", "refused", refusal});
    }
    summary.refusals.push_back(refusal);
    if (!stop_on_failure) {
      log.error("{} (run.on_tentacle_failure is quarantine: continuing without it)", refusal);
      problems.add("tentacle_not_started", std::string(kind).append(" ").append(name), refusal);
    }
  }
  if (!stop_on_failure || summary.refusals.empty()) return Ok{};
  std::string why = "not started: a tentacle the pipeline names cannot start";
  for (const auto& refusal : summary.refusals) why += "\n  " + refusal;
  why += "\n(fix it, or set run.on_tentacle_failure: quarantine to run without it)";
  log.error("{}", why);
  if (repository != nullptr) (void)repository->flush();
  return Error{why};
}

}  // namespace cephalo
