// The child's side of the smoke test (`cephalo tentacles smoke FOLDER`, hidden): loads the
// build(s) named in the request folder into this throwaway process and makes the risky first
// calls a bot would make, saying on stdout which stage it is in and how each package ended.
// Thread-safety: main thread of the child process.
#pragma once

#include <filesystem>

namespace cephalo {

// Runs the request in `request_folder` and ends the process (it never returns): exit status 0
// once every package has its answer on stdout, 2 when the request cannot be read. A crash or a
// hang in the tentacle's code ends it earlier; the parent tells those apart.
[[noreturn]] void run_smoke_rehearsal(const std::filesystem::path& request_folder);

}  // namespace cephalo
