// The command/query set on a real pipeline and event loop: requests checked against the table
// with every problem named, commands run on the loop, queries answered from snapshots that show
// a command's effect at once, and the installed documentation generated from the same table.
// Thread-safety: each test drives its loop on one thread and asks from another where it says so.
#include "engine/commands/control_service.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "engine/commands/control_api.hpp"
#include "events/event_loop.hpp"
#include "events/replay_source.hpp"
#include "host/hot_swap.hpp"
#include "host/pipeline.hpp"
#include "logging/logging.hpp"
#include "model/shared_log.hpp"
#include "package_fixture.hpp"

namespace fs = std::filesystem;
using namespace cephalo;

namespace {

constexpr int64_t kFiveMinutes = 300'000'000'000;

std::shared_ptr<TentacleLibrary> load(const fs::path& package) {
  auto manifest = read_manifest(package / "tentacle.yaml");
  REQUIRE_MESSAGE(manifest.ok(), manifest.error());
  auto library = TentacleLibrary::load(manifest.value(), core_host_api());
  REQUIRE_MESSAGE(library.ok(), library.error());
  return library.value();
}

TentacleUse use_of(const std::string& name) {
  TentacleUse use;
  use.tentacle = name;
  use.where = SourceLocation{"test.yaml", 1, 1};
  return use;
}

// A venue that only remembers what the pipeline asked of it.
class RecordingVenue final : public ExecutionVenue {
 public:
  std::vector<AccountAction> actions;
  void on_candle(const Candle&, int64_t, const ProtectiveExit*,
                 std::vector<EventPayload>&) override {}
  void on_order_intent(const OrderIntent&, uint64_t, int64_t, std::vector<EventPayload>&) override {
  }
  double cash() const override { return 1000; }
  void position(std::string_view, double& quantity, double& average_price) const override {
    quantity = 0;
    average_price = 0;
  }
  AccountView account_view() const override { return AccountView{1000, {}, {}}; }
  double equity() const override { return 1000; }
  double last_price(std::string_view) const override { return 100; }
  void refuse(const OrderIntent&, int64_t, const std::string&) override {}
  void apply(const AccountAction& action, int64_t, std::vector<EventPayload>&) override {
    actions.push_back(action);
  }
  std::vector<ClosedTrade> take_closed_trades() override { return {}; }
};

struct Harness {
  NameTable names;
  SimulatedClock clock;
  EventLoop loop{clock};
  Pipeline pipeline{loop, names, nullptr, make_null_logger()};
  RecordingVenue venue;
  RiskEngine risk{RiskConfig{}};
  ControlService control{SnapshotSources{pipeline, loop, RunMode::kPaper, 0, {}}, make_null_logger()};

  Harness() {
    pipeline.set_venue(&venue);
    pipeline.set_risk(&risk);
    control.attach();
  }
  void replay(int count) {
    std::vector<Candle> candles;
    for (int i = 0; i < count; ++i) {
      const double price = 100.0 + i;
      candles.push_back(Candle{names.intern("ETH/BTC"), names.intern("5m"), i * kFiveMinutes,
                               price, price + 1, price - 1, price + 0.5, 10.0});
    }
    ReplaySource source;
    source.add_feed(std::move(candles), kFiveMinutes);
    loop.set_dispatcher([this](const Event& event) { pipeline.dispatch(event); });
    loop.run(&source, false);
  }
};

bool contains_text(const nlohmann::json& text, const std::string& part) {
  return text.is_string() && text.get<std::string>().find(part) != std::string::npos;
}
bool contains_text(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("a tentacle's kill command reaches the kill switch through the command set") {
  Harness harness;
  REQUIRE(harness.pipeline
              .add(load(test::fixture_package("strategies", "fixture_good")),
                   use_of("fixture_good"))
              .ok());
  TentacleInstance& tentacle = *harness.pipeline.instances().front();
  REQUIRE(harness.pipeline.command(tentacle, R"({"command":"kill","reason":"test"})") ==
          CEPHALO_OK);
  CHECK_FALSE(harness.risk.halted());  // queued for the loop, not run yet
  harness.replay(3);
  CHECK(harness.risk.halted());
  CHECK(harness.risk.counts().kills == 1);
  REQUIRE(harness.venue.actions.size() == 1);
  CHECK(harness.venue.actions[0].cancel_all_orders);
  CHECK(contains_text(harness.venue.actions[0].reason, "by fixture_good: test"));
}

TEST_CASE("without a command service a tentacle's command is refused with a reason") {
  NameTable names;
  SimulatedClock clock;
  EventLoop loop{clock};
  Pipeline pipeline{loop, names, nullptr, make_null_logger()};
  REQUIRE(
      pipeline.add(load(test::fixture_package("strategies", "fixture_good")), use_of("fixture_good"))
          .ok());
  TentacleInstance& tentacle = *pipeline.instances().front();
  CHECK(pipeline.command(tentacle, R"({"command":"kill"})") == CEPHALO_UNSUPPORTED);
  CHECK(contains_text(tentacle.refusal(), "no command service"));
}

TEST_CASE("bad requests are refused with every problem named") {
  Harness harness;
  auto ask = [&](const std::string& text) { return harness.control.handle_text(text, "test"); };
  const auto not_json = ask("{oops");
  CHECK_FALSE(not_json["ok"].get<bool>());
  CHECK(contains_text(not_json["error"], "not JSON"));

  const auto unknown = ask(R"({"query":"balance"})");
  CHECK(contains_text(unknown["error"], "unknown query 'balance' (queries: ping, status, balances"));

  const auto wrong_kind = ask(R"({"query":"kill"})");
  CHECK(contains_text(wrong_kind["error"], "'kill' is a command: send {\"command\":\"kill\"}"));

  const auto both = ask(R"({"query":"status","command":"stop"})");
  CHECK(contains_text(both["error"], "names one \"query\" or one \"command\""));

  const auto newer = ask(R"({"query":"status","version":2})");
  CHECK(contains_text(newer["error"], "asks for version 2"));
  CHECK(contains_text(newer["error"], "this bot speaks version 1"));

  const auto fields = ask(R"({"command":"cancel_order","slot":3,"colour":"red"})");
  CHECK_FALSE(fields["ok"].get<bool>());
  CHECK(fields["command"] == "cancel_order");
  CHECK(contains_text(fields["error"], "field 'slot' must be string, found integer"));
  CHECK(contains_text(fields["error"], "unknown field 'colour' (cancel_order takes client_order_id, slot)"));
  CHECK(contains_text(fields["error"], "field 'client_order_id' (string) is required"));

  const auto id = ask(R"({"query":"status","id":7})");
  CHECK(contains_text(id["error"], "field 'id' must be a string"));

  // query_json refuses a command: its answer would come back as an event, not from this call.
  const auto as_query = nlohmann::json::parse(
      harness.control.query(R"({"command":"kill","id":"k1"})", "test"));
  CHECK(as_query["id"] == "k1");
  CHECK(contains_text(as_query["error"], "'kill' is a command: send it with send_command_json"));
}

TEST_CASE("queries read snapshots while the loop runs; a command's effect shows at once") {
  Harness harness;
  std::thread loop_thread([&] {
    harness.loop.set_dispatcher([&](const Event& event) { harness.pipeline.dispatch(event); });
    harness.loop.run(nullptr, true);
  });
  const auto risk_of = [&] {
    const auto answer = harness.control.handle({{"query", "risk"}}, "test");
    REQUIRE(answer["ok"].get<bool>());
    return answer["result"]["slots"][0];
  };
  CHECK_FALSE(risk_of()["entries_paused"].get<bool>());
  const auto paused = harness.control.handle(
      {{"command", "pause_entries"}, {"reason", "maintenance"}, {"id", "p1"}}, "test");
  REQUIRE(paused["ok"].get<bool>());
  CHECK(paused["id"] == "p1");
  CHECK(paused["result"]["slots"] == nlohmann::json::array({"main"}));
  // The loop published a snapshot after the command: no stale answer within the freshness bound.
  const auto risk = risk_of();
  CHECK(risk["entries_paused"].get<bool>());
  CHECK(contains_text(risk["pause_reason"], "by test: maintenance"));
  CHECK(harness.risk.entries_paused());

  const auto wrong_slot =
      harness.control.handle({{"command", "pause_entries"}, {"slot", "nope"}}, "test");
  CHECK(contains_text(wrong_slot["error"], "no slot named 'nope' (slots: main)"));

  const auto stopped = harness.control.handle({{"command", "stop"}}, "test");
  CHECK(stopped["ok"].get<bool>());
  loop_thread.join();
  harness.control.shutdown();
  // The loop is gone: a command waiting for it is answered at once, not after the timeout.
  const auto late = harness.control.handle({{"command", "kill"}}, "test");
  CHECK_FALSE(late["ok"].get<bool>());
  CHECK(contains_text(late["error"], "did not run the command"));
  CHECK(harness.control.snapshot_hub().stats().builds >= 2);
}

TEST_CASE("an entries pause refuses entries, keeps exits, and counts only while on") {
  RiskEngine risk{RiskConfig{}};
  AccountView account{1000, {AccountPosition{"ETH/BTC", 2, 100}}, {}};
  const IntentToCheck entry{"ETH/BTC", CEPHALO_SIDE_BUY, 1, 100, std::nullopt, 0, 0};
  const IntentToCheck exit{"ETH/BTC", CEPHALO_SIDE_SELL, 2, 100, std::nullopt, 0, 0};
  CHECK(risk.evaluate(entry, account, 0).allowed);
  CHECK(risk.counts().of(RiskRule::kEntriesPaused).passed == 0);  // not judged while off
  risk.pause_entries("by test");
  const RiskDecision refused = risk.evaluate(entry, account, 0);
  REQUIRE_FALSE(refused.allowed);
  REQUIRE(refused.first_refusal() != nullptr);
  CHECK(refused.first_refusal()->rule == RiskRule::kEntriesPaused);
  CHECK(contains_text(refused.first_refusal()->reason, "entries paused by an operator (by test)"));
  CHECK(risk.evaluate(exit, account, 0).allowed);
  CHECK(risk.state(0).entries_paused);
  risk.resume_entries();
  CHECK(risk.evaluate(entry, account, 0).allowed);
}

TEST_CASE("the answer checker finds a missing, a mistyped and an undocumented field") {
  const RequestSpec* positions = find_request(RequestKind::kQuery, "positions");
  REQUIRE(positions != nullptr);
  nlohmann::json good{{"positions", nlohmann::json::array()}, {"total_unrealised_pnl", 0.0}};
  CHECK(check_result(*positions, good).empty());
  nlohmann::json bad{{"positions",
                      {{{"slot", "main"}, {"symbol", 5}, {"quantity", 1.0}, {"colour", "red"}}}}};
  const auto problems = check_result(*positions, bad);
  std::string all;
  for (const auto& problem : problems) all += problem + "\n";
  CAPTURE(all);
  CHECK(contains_text(all, "positions[0].symbol: expected string, found integer"));
  CHECK(contains_text(all, "positions[0].entry_price: missing"));
  CHECK(contains_text(all, "total_unrealised_pnl: missing"));
  CHECK(contains_text(all, "positions[].colour: not in the documented answer"));
}

TEST_CASE("every request in the table has exactly one handler of its kind") {
  for (const RequestSpec& spec : control_api()) {
    CAPTURE(spec.name);
    if (spec.kind == RequestKind::kQuery) {
      CHECK((spec.query != nullptr));
      CHECK((spec.on_loop == nullptr));
      CHECK((spec.off_loop == nullptr));
    } else {
      CHECK((spec.query == nullptr));
      CHECK(((spec.on_loop != nullptr) != (spec.off_loop != nullptr)));
    }
    CHECK_FALSE(spec.summary.empty());
    for (const FieldSpec& field : spec.args) CHECK_FALSE(field.doc.empty());
    for (const FieldSpec& field : spec.result) CHECK_FALSE(field.doc.empty());
  }
}

TEST_CASE("the installed documentation is the table's, word for word") {
  const fs::path doc = fs::path(CEPHALO_SOURCE_DIR) / "plugin_api/include/cephalo/control_api.md";
  const std::string written = read_file(doc);
  if (written != control_api_markdown()) {
    FAIL_CHECK(doc.string() << " differs from the command/query table: regenerate it with "
                                 "`build/bin/cephalo ctl schema > "
                            << doc.string() << "`");
  }
}

TEST_CASE("a shared log's views hold every record appended before them, oldest first") {
  SharedLog<int, 4> log;  // 4 records a chunk, 16 a block
  std::vector<SharedLogView<int>> views;
  for (int i = 0; i < 100; ++i) {
    log.append(i);
    if (i % 7 == 0) views.push_back(log.view());
  }
  views.push_back(log.view());
  for (const auto& view : views) {
    for (size_t i = 0; i < view.size(); ++i) REQUIRE(view[i] == static_cast<int>(i));
  }
  CHECK(views.back().size() == 100);
  CHECK(views.front().size() == 1);
}

TEST_CASE("a bounded shared log keeps its latest blocks and the records after them") {
  SharedLog<int, 4> log(2);  // at most 2 full blocks of 16
  for (int i = 0; i < 100; ++i) log.append(i);
  const auto view = log.view();
  // 100 = 6 full blocks (96) + 1 chunk in the open block + 0 in the tail: 2 blocks kept + 4.
  REQUIRE(view.size() == 36);
  for (size_t i = 0; i < view.size(); ++i) CHECK(view[i] == static_cast<int>(64 + i));
}
