// Compiled only by the layering_enforced test, which expects this file to FAIL: the probe links
// cephalo_storage, so storage's headers (and model's, below it) are visible and host's are not
// (cmake/CephaloLayers.cmake). If the second include ever compiles, the layers are not enforced.
#include "storage/repository.hpp"  // visible: linked
#include "host/pipeline.hpp"       // not visible: host sits above storage
