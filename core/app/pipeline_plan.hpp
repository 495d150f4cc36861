// The pipeline a config asks for: which tentacle in which role, in which folders, and whether the
// installed tentacles can fill it (checked without loading any code).
// Thread-safety: pure functions over the file system.
#pragma once

#include <string>
#include <vector>

#include "config/config.hpp"
#include "host/catalog.hpp"

namespace cephalo {

struct PlannedUse {
  const TentacleUse* use;  // points into the Config
  cephalo_kind kind;       // the role the config gives it
  uint32_t slot = 0;       // the A/B slot of a strategy or trading mode; 0 for shared ones
};

// Evaluators, then each slot's strategies and trading mode (pipeline.strategies and
// pipeline.trading_mode when the config has no slots), then interfaces: the order they are
// created in.
std::vector<PlannedUse> planned_uses(const Config& config);

// The default folders with the config's user folder and extra folders applied.
TentacleFolders tentacle_folders_for(const Config& config, TentacleFolders defaults);

// One line per problem, each starting with the config's file:line:column: a tentacle that is not
// installed or refused, one listed in the wrong role, unknown or out-of-range parameters.
std::vector<std::string> check_pipeline(const Config& config, const TentacleFolders& folders);

}  // namespace cephalo
