// The schema of Cephalo's config file: every key, its type, range and default, in one place.
// Thread-safety: app_config_schema() builds once (a function-local static) and is then read-only.
#pragma once

#include "config/schema.hpp"

namespace cephalo {

// Adding a setting for a later feature is one line here; the defaults layer, validation, unknown
// key suggestions and `config show` all follow from it.
const Schema& app_config_schema();

}  // namespace cephalo
