// A run's tentacles started: each use the config plans (evaluators, each slot's strategies and
// trading mode, interfaces) created in the pipeline from the libraries loaded for it.
// Thread-safety: the run's thread, before the loop runs.
#pragma once

#include <spdlog/logger.h>

#include "bot.hpp"
#include "events/clock.hpp"
#include "host/pipeline.hpp"
#include "storage/repository.hpp"

namespace cephalo {

// Adds every planned use to `pipeline` (slot by slot, as `slots` name them). A use that cannot
// start (not installed, refused, in the wrong role, bad parameters) is named in
// summary.refusals and stored as a refused load; `running` lists the others. With
// run.on_tentacle_failure: stop any refusal fails the start, with every reason; with quarantine
// the run goes on without it (a "tentacle_not_started" problem).
Status start_planned_tentacles(const Config& config, const std::vector<SlotConfig>& slots,
                               const PipelineLibraries& loaded, Pipeline& pipeline,
                               Repository* repository, Clock& clock, RunSummary& summary,
                               ProblemList& problems, spdlog::logger& log);

}  // namespace cephalo
