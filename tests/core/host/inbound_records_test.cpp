// ABI 1.5 hygiene: every record a tentacle passes in is read by its struct_size (the known
// prefix into a zeroed struct; a non-zero unknown tail or a too-small record refused with a reason
// naming the struct and both sizes), and the host's refusal reason reaches the tentacle's author.
// Thread-safety: single-threaded tests (the test thread is the loop thread).
#include <doctest/doctest.h>

#include <cstring>

#include "events/event_loop.hpp"
#include "events/replay_source.hpp"
#include "host/inbound_record.hpp"
#include "host/pipeline.hpp"
#include "logging/logging.hpp"
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

TentacleUse use_of(const std::string& name, std::vector<ParamSetting> params = {}) {
  TentacleUse use;
  use.tentacle = name;
  use.params = std::move(params);
  use.where = SourceLocation{"test.yaml", 1, 1};
  return use;
}

// A pipeline fed `count` candles; what it dispatched is kept.
struct Run {
  NameTable names;
  SimulatedClock clock;
  EventLoop loop{clock};
  Pipeline pipeline{loop, names, nullptr, make_null_logger()};
  std::vector<Event> seen;

  void replay(int count) {
    std::vector<Candle> candles;
    for (int i = 0; i < count; ++i) {
      const double price = 100.0 + i;
      candles.push_back(Candle{names.intern("ETH/BTC"), names.intern("5m"), i * kFiveMinutes,
                               price, price + 1, price - 1, price + 0.5, 10.0});
    }
    ReplaySource source;
    source.add_feed(std::move(candles), kFiveMinutes);
    loop.set_dispatcher([this](const Event& event) {
      pipeline.dispatch(event);
      seen.push_back(event);
    });
    loop.run(&source, false);
  }
  size_t evaluations() const {
    size_t n = 0;
    for (const auto& event : seen) n += std::holds_alternative<Evaluation>(event.payload) ? 1 : 0;
    return n;
  }
  const TentacleInstance& only() const { return *pipeline.instances().front(); }
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// One record probe run with the given shape (record_probe.c).
void run_probe(Run& run, int shape) {
  REQUIRE(run.pipeline
              .add(load(test::fixture_package("evaluators", "fixture_record_probe")),
                   use_of("fixture_record_probe",
                          {ParamSetting{"shape", std::to_string(shape), {}}}))
              .ok());
  run.replay(5);
}

}  // namespace

TEST_CASE("an evaluation of exactly the known size, or larger with a zero tail, is accepted") {
  for (int shape : {0, 1}) {
    CAPTURE(shape);
    Run run;
    run_probe(run, shape);
    CHECK_FALSE(run.only().quarantined());
    CHECK(run.evaluations() == 5);
    for (const auto& event : run.seen) {
      if (const auto* evaluation = std::get_if<Evaluation>(&event.payload)) {
        CHECK(evaluation->value == 0.5);
        CHECK(evaluation->confidence == 1.0);
        CHECK(evaluation->symbol.view() == "ETH/BTC");
      }
    }
  }
}

TEST_CASE("an evaluation with a non-zero unknown tail is refused, naming the struct and both sizes") {
  Run run;
  run_probe(run, 2);
  CHECK(run.evaluations() == 0);
  REQUIRE(run.only().quarantined());
  const std::string& failure = run.only().failure();
  CAPTURE(failure);
  CHECK(contains(failure, "cephalo_evaluation"));
  CHECK(contains(failure, "struct_size is 56 bytes"));
  CHECK(contains(failure, "larger than the 40 bytes this host (ABI 1.5) knows"));
  CHECK(contains(failure, "unknown tail is not zero (byte 48)"));
  // The C fixture said nothing itself: the host's refusal is the reason the user reads.
  CHECK(contains(failure, "on_event failed (CEPHALO_INVALID_ARGUMENT): emit_evaluation: "
                          "cephalo_evaluation: struct_size is 56"));
}

TEST_CASE("an evaluation smaller than its first released size is refused with both sizes") {
  Run run;
  run_probe(run, 3);
  CHECK(run.evaluations() == 0);
  REQUIRE(run.only().quarantined());
  const std::string& failure = run.only().failure();
  CAPTURE(failure);
  CHECK(contains(failure, "cephalo_evaluation: struct_size is 16 bytes"));
  CHECK(contains(failure, "smaller than its first released size of 40 bytes"));
}

TEST_CASE("an author on the current SDK reads the host's reason in the SDK's error") {
  Run run;
  REQUIRE(run.pipeline
              .add(load(test::fixture_package("strategies", "fixture_refusal_probe")),
                   use_of("fixture_refusal_probe"))
              .ok());
  run.replay(3);
  REQUIRE(run.only().quarantined());
  const std::string& failure = run.only().failure();
  CAPTURE(failure);
  // The SdkError the author's code caught carries the host's text after the status name...
  CHECK(contains(failure,
                 "emit_signal 'ETH/BTC' refused by the host (CEPHALO_INVALID_ARGUMENT): signal "
                 "strength and confidence must be in [0, 1]"));
  // ...so the host had nothing to add.
  CHECK_FALSE(contains(failure, "the host's last refusal"));
}

TEST_CASE("a tentacle on the ABI 1.0 SDK loses nothing: the host adds its reason to the generic one") {
  Run run;
  REQUIRE(run.pipeline
              .add(load(test::fixture_package("strategies", "fixture_refusal_probe_abi10")),
                   use_of("fixture_refusal_probe_abi10"))
              .ok());
  run.replay(3);
  REQUIRE(run.only().quarantined());
  const std::string& failure = run.only().failure();
  CAPTURE(failure);
  CHECK(contains(failure, "refused by the host (status 2)"));  // the 1.0 SDK's own text
  CHECK(contains(failure,
                 "the host's last refusal: signal strength and confidence must be in [0, 1]"));
}

namespace {

// read_inbound on one struct type: exact, grown with a zero tail, grown with a non-zero tail and
// too small. The record's known part is filled with `fill`, a recognisable byte.
template <class T>
void check_read_inbound(const char* name) {
  CAPTURE(name);
  struct Grown {
    T known;
    unsigned char tail[24];
  };
  Grown grown;
  std::memset(static_cast<void*>(&grown), 0x11, sizeof grown);
  std::memset(grown.tail, 0, sizeof grown.tail);
  grown.known.struct_size = sizeof(T);
  T out;
  REQUIRE(read_inbound(&grown.known, out).ok());
  CHECK(std::memcmp(&out, &grown.known, sizeof(T)) == 0);

  grown.known.struct_size = sizeof(Grown);
  REQUIRE(read_inbound(&grown.known, out).ok());
  CHECK(out.struct_size == sizeof(T));  // what this host knows

  grown.tail[7] = 1;
  const Status tail = read_inbound(&grown.known, out);
  REQUIRE_FALSE(tail.ok());
  CHECK(contains(tail.error(), std::string(name) + ": struct_size is " +
                                   std::to_string(sizeof(Grown)) + " bytes, larger than the " +
                                   std::to_string(sizeof(T)) + " bytes"));
  CHECK(contains(tail.error(), "byte " + std::to_string(sizeof(T) + 7)));

  grown.known.struct_size = 8;
  const Status small = read_inbound(&grown.known, out);
  REQUIRE_FALSE(small.ok());
  CHECK(contains(small.error(), std::string(name) + ": struct_size is 8 bytes, smaller than"));

  const T* missing = nullptr;
  CHECK_FALSE(read_inbound(missing, out).ok());
}

}  // namespace

TEST_CASE("one template reads every inbound struct by its struct_size") {
  check_read_inbound<cephalo_evaluation>("cephalo_evaluation");
  check_read_inbound<cephalo_signal>("cephalo_signal");
  check_read_inbound<cephalo_order_intent>("cephalo_order_intent");
  check_read_inbound<cephalo_sizing_request>("cephalo_sizing_request");
  check_read_inbound<cephalo_tentacle_descriptor>("cephalo_tentacle_descriptor");
  check_read_inbound<cephalo_tentacle_functions>("cephalo_tentacle_functions");
}
