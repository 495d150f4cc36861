// Checking, dispatching and answering the command/query set.
// Thread-safety: see control_service.hpp.
#include "engine/commands/control_service.hpp"

#include <optional>

#include "engine/commands/request_parser.hpp"
#include "host/hot_swap.hpp"
#include "host/pipeline.hpp"

namespace cephalo {

ControlService::ControlService(SnapshotSources sources, std::shared_ptr<spdlog::logger> logger,
                               ControlSettings settings)
    : sources_(sources),
      logger_(std::move(logger)),
      settings_(settings),
      builder_(std::move(sources)),
      hub_(sources_.loop, builder_, settings_.fresh_for, settings_.stale_for, settings_.patience) {
  worker_ = std::thread([this] { worker_loop(); });
}

ControlService::~ControlService() {
  shutdown();
  sources_.pipeline.set_control_port(nullptr);
  sources_.pipeline.set_activity_sink(nullptr);
  if (swapper_ != nullptr && swap_listener_) swapper_->remove_listener(*swap_listener_);
}

void ControlService::attach() {
  sources_.pipeline.set_control_port(this);
  sources_.pipeline.set_activity_sink(&builder_);
  if (swapper_ != nullptr) {
    swap_listener_ = swapper_->add_listener(
        [this](const TentacleSwapRecord& record) { builder_.on_swap(record); });
  }
}

void ControlService::shutdown() {
  hub_.close();
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !worker_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

nlohmann::json ControlService::answer_query(const Parsed& parsed) {
  if (parsed.spec == nullptr) return refusal_answer(parsed);
  nlohmann::json answer = parsed.envelope;
  static const BotSnapshot kNone;
  const std::shared_ptr<const BotSnapshot> snapshot =
      parsed.spec->reads_snapshot ? hub_.fresh()
                                  : std::shared_ptr<const BotSnapshot>(&kNone, [](auto*) {});
  if (!snapshot) {
    answer["ok"] = false;
    answer["error"] =
        "the bot has not published a snapshot yet (its loop is starting, or busy "
        "for more than " +
        std::to_string(settings_.patience.count()) + " ms); ask again";
    return answer;
  }
  try {
    answer["result"] = parsed.spec->query(QueryEnv{*snapshot, logs_.get()}, parsed.request);
    answer["ok"] = true;
    answer["snapshot"] = {{"sequence", snapshot->sequence}, {"clock_ns", snapshot->clock_ns}};
  } catch (const RequestError& error) {
    answer["ok"] = false;
    answer["error"] = parsed.spec->name + ": " + error.what();
  } catch (const std::exception& error) {
    answer["ok"] = false;
    answer["error"] = parsed.spec->name + " failed: " + error.what();
  }
  return answer;
}

nlohmann::json ControlService::command_answer(const Parsed& parsed, const CommandOutcome& outcome) {
  nlohmann::json answer = parsed.envelope;
  answer["ok"] = outcome.ok;
  if (!outcome.result.is_null()) answer["result"] = outcome.result;
  if (!outcome.ok) answer["error"] = outcome.error;
  return answer;
}

void ControlService::run_on_loop(const Parsed& parsed, const std::string& caller,
                                 const std::function<void(CommandOutcome)>& finish) {
  CommandEnv env{sources_.pipeline, sources_.loop, swapper_, controls_, caller};
  const std::string name = parsed.spec->name;
  auto reply = [this, finish](CommandOutcome outcome) {
    hub_.publish_now();  // a query that follows sees what the command did
    finish(std::move(outcome));
  };
  try {
    parsed.spec->on_loop(env, parsed.request, reply);
  } catch (const RequestError& error) {
    logger_->warn("{} refused ({}): {}", name, caller, error.what());
    finish(CommandOutcome::failure(name + ": " + error.what()));
  } catch (const std::exception& error) {
    logger_->error("{} failed ({}): {}", name, caller, error.what());
    finish(CommandOutcome::failure(name + " failed: " + error.what()));
  }
}

CommandOutcome ControlService::run_blocking(const Parsed& parsed, const std::string& caller) {
  CommandEnv env{sources_.pipeline, sources_.loop, swapper_, controls_, caller};
  CommandOutcome outcome;
  try {
    outcome = parsed.spec->off_loop(env, parsed.request);
  } catch (const RequestError& error) {
    outcome = CommandOutcome::failure(parsed.spec->name + ": " + error.what());
  } catch (const std::exception& error) {
    outcome = CommandOutcome::failure(parsed.spec->name + " failed: " + error.what());
  }
  sources_.loop.post([this] { hub_.publish_now(); });
  return outcome;
}

std::string ControlService::query(std::string_view request_json, const std::string&) {
  const Parsed parsed = parse_request_text(request_json);
  if (parsed.spec != nullptr && parsed.spec->kind == RequestKind::kCommand) {
    nlohmann::json answer = parsed.envelope;
    answer["ok"] = false;
    answer["error"] = "'" + parsed.spec->name +
                      "' is a command: send it with send_command_json (its answer comes back as "
                      "a command_result event)";
    return answer.dump();
  }
  return answer_query(parsed).dump();
}

void ControlService::command(std::string_view request_json, const std::string& caller, Done done) {
  const Parsed parsed = parse_request_text(request_json);
  const bool correlated = parsed.envelope.contains("id");
  // The answer reaches the tentacle on the loop thread, whatever thread made it.
  auto deliver = [this, parsed, correlated, done](const CommandOutcome& outcome) {
    CommandAnswer answer{command_answer(parsed, outcome).dump(), outcome.ok, outcome.error,
                         correlated};
    sources_.loop.post([done, answer] { done(answer); });
  };
  if (parsed.spec == nullptr || parsed.spec->kind != RequestKind::kCommand) {
    deliver(CommandOutcome::failure(
        parsed.spec == nullptr ? parsed.error
                               : "'" + parsed.spec->name + "' is a query: ask it with query_json"));
    return;
  }
  if (parsed.spec->on_loop != nullptr) {
    sources_.loop.post([this, parsed, caller, deliver] { run_on_loop(parsed, caller, deliver); });
    return;
  }
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      deliver(CommandOutcome::failure("the bot is stopping"));
      return;
    }
    jobs_.push_back([this, parsed, caller, deliver] { deliver(run_blocking(parsed, caller)); });
  }
  wake_.notify_one();
}

void ControlService::worker_loop() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stopping, nothing left
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job();
  }
}

nlohmann::json ControlService::handle_text(std::string_view request_json,
                                           const std::string& caller) {
  const auto request = nlohmann::json::parse(request_json, nullptr, false);
  if (request.is_discarded()) return answer_query(parse_request_text(request_json));
  return handle(request, caller);
}

nlohmann::json ControlService::handle(const nlohmann::json& request, const std::string& caller) {
  const Parsed parsed = parse_request(request);
  if (parsed.spec == nullptr || parsed.spec->kind == RequestKind::kQuery) {
    if (parsed.spec == nullptr && parsed.envelope.contains("command")) {
      return command_answer(parsed, CommandOutcome::failure(parsed.error));
    }
    return answer_query(parsed);
  }
  if (parsed.spec->off_loop != nullptr) return command_answer(parsed, run_blocking(parsed, caller));
  // A loop command: posted, then waited for (this thread only; the loop never waits).
  struct Waiting {
    std::mutex mutex;
    std::condition_variable done;
    std::optional<CommandOutcome> outcome;
  };
  auto waiting = std::make_shared<Waiting>();
  sources_.loop.post([this, parsed, caller, waiting] {
    run_on_loop(parsed, caller, [waiting](CommandOutcome outcome) {
      {
        std::lock_guard lock(waiting->mutex);
        waiting->outcome = std::move(outcome);
      }
      waiting->done.notify_all();
    });
  });
  std::unique_lock lock(waiting->mutex);
  const auto deadline = std::chrono::steady_clock::now() + settings_.command_timeout;
  while (!waiting->outcome) {
    {
      std::lock_guard state(mutex_);
      if (stopping_) break;
    }
    if (waiting->done.wait_until(lock, std::min(deadline, std::chrono::steady_clock::now() +
                                                              std::chrono::milliseconds(100))) ==
            std::cv_status::timeout &&
        std::chrono::steady_clock::now() >= deadline) {
      break;
    }
  }
  if (waiting->outcome) return command_answer(parsed, *waiting->outcome);
  return command_answer(
      parsed, CommandOutcome::failure("the bot's loop did not run the command within " +
                                      std::to_string(settings_.command_timeout.count() / 1000) +
                                      " s (it is stopping, or busy); it may still run it"));
}

}  // namespace cephalo
