// Reads YAML text into a ConfigNode tree within limits on size, nesting and alias expansion, so a
// broken or hostile file ("billion laughs", 10k nested brackets, 1M keys) is a clear problem in
// linear time, never a hang or an abort. Thread-safety: pure functions; safe to call concurrently.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config_node.hpp"
#include "config/problem.hpp"

namespace cephalo {

struct YamlLimits {
  // The text itself. A hand-written config is a few KiB; 4 MiB leaves room for generated ones.
  std::size_t max_bytes = std::size_t{4} << 20;
  // Lists and maps inside each other. Real configs nest 5 levels (slots.0.risk.position.x).
  int max_depth = 64;
  // Values copied in by aliases (`*name`), all aliases together. An anchor shared by a few
  // strategies copies tens of values; "billion laughs" (10 aliases of 10 aliases of ...) copies
  // 10^9 from 300 bytes, and is stopped here long before memory runs out.
  std::size_t max_alias_values = 100'000;
};

// How the marks of the text map to the locations users see. For a --set argument the "line" is
// the argument's ordinal (fixed_line) and columns count from the start of the argument.
struct YamlSource {
  std::string file;
  int fixed_line = 0;     // 0: use the text's own lines
  int column_offset = 0;  // added to every column (where the value starts inside an argument)
};

// Parses the first YAML document of `text`. Returns nullopt, with a problem at the place, on a
// syntax error or a broken limit; a document with no content is a null node. Duplicate keys and
// keys that are not plain text are problems (the entry is left out); `key_path` names the root
// in problems ("" for a file, the key for a --set value). Takes time linear in the text plus the
// values that aliases copy.
std::optional<ConfigNode> read_yaml_tree(std::string_view text, const YamlSource& source,
                                         const std::string& key_path, const YamlLimits& limits,
                                         std::vector<ConfigProblem>& problems);

}  // namespace cephalo
