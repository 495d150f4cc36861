// Storage reports failure with the project-wide Status and Result<T> (model/result.hpp).
// Thread-safety: plain values.
#pragma once

#include "model/result.hpp"
