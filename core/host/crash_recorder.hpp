// CrashRecorder: when the process dies of a fatal signal inside a tentacle's code, one line naming
// the build (its SHA-256, name and version) and the callback is appended to the crash log, so
// the next start can refuse that build and `tentacles list` can show it as crashed.
// Thread-safety: install and destroy on the main thread, once per process at a time; the handler
// runs on whichever thread faulted and only reads that thread's TentacleCall.
#pragma once

#include <signal.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "model/result.hpp"

namespace cephalo {

class CrashRecorder {
 public:
  // Opens `log` for appending (creating it and its folder) and installs handlers for SIGSEGV,
  // SIGBUS, SIGILL, SIGFPE and SIGABRT. The handler does only async-signal-safe work: it copies
  // the pre-formatted label into a stack buffer, write()s it to the already-open file and to
  // stderr, then re-raises the signal with its default action, so the process still dies as it
  // would have (exit status, core dump settings unchanged). At most one recorder at a time.
  // `tell_user`: also say on stderr which build died and that the next start refuses it (a bot);
  // a smoke test's child only records.
  static Result<std::unique_ptr<CrashRecorder>> install(const std::filesystem::path& log,
                                                        bool tell_user = true);
  ~CrashRecorder();  // restores the previous handlers and closes the file
  CrashRecorder(const CrashRecorder&) = delete;
  CrashRecorder& operator=(const CrashRecorder&) = delete;

 private:
  CrashRecorder() = default;
  int fd_ = -1;
  static constexpr size_t kAlternateStackBytes = 64 * 1024;  // a stack overflow still gets a line
  std::vector<char> alternate_stack_;
  stack_t previous_stack_{};
  std::array<struct sigaction, 5> previous_{};
};

// One line of the crash log.
struct CrashRecord {
  int64_t time_s = 0;  // when, seconds since epoch UTC
  int signal = 0;
  std::string sha256, name, version;
  std::string callback;  // "load", "create", "on_event", "save_state", "load_state", "destroy"
};

// Every crash in the log by the crashing library's SHA-256 (the latest one when a build crashed
// more than once); no file means no crashes. Lines that do not parse are skipped: the log is
// written by a dying process and its last line may be cut short.
std::map<std::string, CrashRecord> read_crash_log(const std::filesystem::path& log);

// <user tentacle folder>/.crashed-builds: beside the installed packages it is about, so every
// command that looks at that folder sees it; empty when there is no user folder.
std::filesystem::path crash_log_path(const std::filesystem::path& user_folder);

// "crashed the bot on 2026-11-27 10:15:02 UTC with SIGSEGV in on_event": for logs and listings.
std::string describe_crash(const CrashRecord& crash);

// "SIGSEGV", "SIGABRT", ... or "signal N".
std::string signal_name(int signal);

}  // namespace cephalo
