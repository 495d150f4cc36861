// The `tentacles new` templates (cli/scaffold/*.in), embedded in the binary at build time by
// cli/CMakeLists.txt, so an installed cephalo needs no template files.
// Thread-safety: immutable data.
#pragma once

#include <string>
#include <string_view>

namespace cephalo {

// The text of the template file `name` ("strategy.cpp.in", ...) with @NAME@ and @CLASS@ still in
// it; empty for an unknown name.
std::string_view scaffold_template(const std::string& name);

}  // namespace cephalo
