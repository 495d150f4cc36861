// `cephalo ctl NAME [--field value ...]`: every query and command of the command/query set as a
// subcommand, generated from its table (its fields become options), sent to a running bot over
// its control socket. `cephalo ctl request JSON` sends a request as written; `cephalo ctl schema`
// prints the set's documentation (the text of cephalo/control_api.md) or its JSON form.
// Thread-safety: main thread.
#include <iostream>
#include <map>
#include <memory>

#include "bot_client.hpp"
#include "commands.hpp"
#include "engine/commands/control_api.hpp"

namespace cephalo {

namespace {

struct CtlArgs {
  BotAddress address;
  bool json = false;
  std::map<std::string, std::string> values;  // option name -> text as given
  std::map<std::string, bool> flags;          // boolean fields
};

// The request a subcommand's options make, or an error naming the option.
Result<nlohmann::json> build_request(const RequestSpec& spec, const CtlArgs& args) {
  nlohmann::json request{{spec.kind == RequestKind::kQuery ? "query" : "command", spec.name}};
  for (const FieldSpec& field : spec.args) {
    if (field.type == "boolean") {
      const auto flag = args.flags.find(field.name);
      if (flag != args.flags.end() && flag->second) request[field.name] = true;
      continue;
    }
    const auto given = args.values.find(field.name);
    if (given == args.values.end()) continue;
    const std::string& text = given->second;
    try {
      if (field.type == "integer") {
        size_t used = 0;
        const long long value = std::stoll(text, &used);
        if (used != text.size()) throw std::invalid_argument(text);
        request[field.name] = value;
      } else if (field.type == "number") {
        size_t used = 0;
        const double value = std::stod(text, &used);
        if (used != text.size()) throw std::invalid_argument(text);
        request[field.name] = value;
      } else if (field.type == "object" || field.type == "array") {
        auto parsed = nlohmann::json::parse(text, nullptr, false);
        if (parsed.is_discarded()) throw std::invalid_argument(text);
        request[field.name] = std::move(parsed);
      } else {
        request[field.name] = text;
      }
    } catch (const std::exception&) {
      return Error{"--" + field.name + " must be " + (field.type == "object" || field.type == "array"
                                                          ? "JSON (" + field.type + ")"
                                                          : "a " + field.type) +
                   ", found '" + text + "'"};
    }
  }
  return request;
}

// Prints the answer: whole (--json), or its result (or error) for a person.
int print_answer(const std::string& name, const nlohmann::json& answer, bool json) {
  const bool ok = answer.value("ok", false);
  if (json) {
    std::cout << answer.dump(2) << "\n";
  } else if (ok) {
    std::cout << (answer.contains("result") ? answer["result"].dump(2) : "{}") << "\n";
  } else {
    std::cerr << "cephalo ctl " << name << ": " << answer.value("error", "refused") << "\n";
  }
  return ok ? kExitOk : kExitFailure;
}

void add_request_subcommand(CLI::App* ctl, const RequestSpec& spec, int* exit_code) {
  auto args = std::make_shared<CtlArgs>();
  auto* sub = ctl->add_subcommand(
      spec.name, spec.summary + (spec.kind == RequestKind::kQuery ? " (query)" : " (command)"));
  add_bot_address_options(sub, args->address);
  sub->add_flag("--json", args->json, "Print the whole answer as JSON (as the socket sent it)");
  for (const FieldSpec& field : spec.args) {
    const std::string help = field.doc + (field.required ? " (required)" : " (default: " +
                                                                              field.default_text +
                                                                              ")");
    if (field.type == "boolean") {
      sub->add_flag("--" + field.name, args->flags[field.name], help);
    } else {
      auto* option = sub->add_option("--" + field.name, args->values[field.name],
                                     field.type + ": " + help);
      if (field.required) option->required();
    }
  }
  sub->callback([args, &spec, exit_code] {
    // CLI11 wrote every option's text into the map, given or not: keep the given ones.
    CtlArgs given = *args;
    for (auto it = given.values.begin(); it != given.values.end();) {
      it = it->second.empty() ? given.values.erase(it) : std::next(it);
    }
    auto request = build_request(spec, given);
    if (!request.ok()) {
      std::cerr << "cephalo ctl " << spec.name << ": " << request.error() << "\n";
      *exit_code = kExitBadInput;
      return;
    }
    auto answer = ask_running_bot(given.address, request.value(), "ctl " + spec.name, exit_code);
    if (!answer) return;
    *exit_code = print_answer(spec.name, *answer, given.json);
  });
}

}  // namespace

void register_ctl_commands(CLI::App& app, int* exit_code) {
  auto* ctl = app.add_subcommand(
      "ctl",
      "Ask a running bot (paper or live) or tell it what to do: every query and command of the "
      "command/query set (`cephalo ctl schema` documents them)");
  ctl->require_subcommand(1);
  for (const RequestSpec& spec : control_api()) add_request_subcommand(ctl, spec, exit_code);

  auto raw = std::make_shared<CtlArgs>();
  auto text = std::make_shared<std::string>();
  auto* request = ctl->add_subcommand("request", "Send one request written as JSON");
  request->add_option("json", *text, "The request, e.g. '{\"query\":\"positions\"}'")->required();
  add_bot_address_options(request, raw->address);
  request->add_flag("--json", raw->json, "Print the whole answer as JSON");
  request->callback([raw, text, exit_code] {
    auto parsed = nlohmann::json::parse(*text, nullptr, false);
    if (parsed.is_discarded()) {
      std::cerr << "cephalo ctl request: not JSON: " << *text << "\n";
      *exit_code = kExitBadInput;
      return;
    }
    auto answer = ask_running_bot(raw->address, parsed, "ctl request", exit_code);
    if (!answer) return;
    *exit_code = print_answer("request", *answer, raw->json);
  });

  auto as_json = std::make_shared<bool>(false);
  auto* schema = ctl->add_subcommand(
      "schema", "Print the command/query set's documentation (Markdown, or JSON with --json)");
  schema->add_flag("--json", *as_json, "The table as JSON, for programs");
  schema->callback([as_json, exit_code] {
    std::cout << (*as_json ? control_api_json().dump(2) + "\n" : control_api_markdown());
    *exit_code = kExitOk;
  });
}

}  // namespace cephalo
