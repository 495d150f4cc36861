// cat() for storage's messages and SQL: the model's one (model/cat.hpp), under the name storage
// code has always used.
// Thread-safety: a pure function.
#pragma once

#include "model/cat.hpp"

namespace cephalo::storage_text {

using cephalo::cat;

}  // namespace cephalo::storage_text
