// Finding a running bot's control socket and asking it one thing.
// Thread-safety: main thread.
#include "bot_client.hpp"

#include <chrono>
#include <iostream>

#include "app_paths.hpp"
#include "commands.hpp"
#include "config/config.hpp"
#include "control_server.hpp"

namespace cephalo {

namespace {

// As long as a reload may take (a swap waits up to 30 s for the loop), and then some.
constexpr auto kAnswerTimeout = std::chrono::seconds(60);

}  // namespace

void add_bot_address_options(CLI::App* command, BotAddress& address) {
  command->add_option("-c,--config", address.config_file,
                      "The running bot's config (default: the default config)");
  command->add_option("--set", address.overrides, "Config overrides the bot was started with");
  command->add_option("--socket", address.socket,
                      "The bot's control socket (default: from the config)");
}

std::optional<nlohmann::json> ask_running_bot(const BotAddress& address,
                                              const nlohmann::json& request, const std::string& what,
                                              int* exit_code) {
  std::filesystem::path socket = address.socket;
  if (socket.empty()) {
    const std::string file =
        address.config_file.empty() ? default_config_path().string() : address.config_file;
    auto loaded = load_config(file, address.overrides);
    if (!loaded.ok()) {
      for (const auto& problem : loaded.problems) std::cerr << problem.to_string() << "\n";
      *exit_code = kExitBadInput;
      return std::nullopt;
    }
    socket = control_socket_for(*loaded.config);
  }
  auto answer = send_control_request(socket, request, kAnswerTimeout);
  if (!answer.ok()) {
    std::cerr << "cephalo " << what << ": " << answer.error() << "\n";
    *exit_code = kExitFailure;
    return std::nullopt;
  }
  return answer.value();
}

}  // namespace cephalo
