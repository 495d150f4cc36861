// Pins the layout of every struct in tentacle.h as a C++ compiler sees it, and checks at run time
// that the C and the C++ translation units agree. Thread-safety: single-threaded test.
#include "abi_layout.h"

#include <cephalo/tentacle.h>
#include <doctest/doctest.h>

#include <cstddef>
#include <string>
#include <vector>

extern "C" size_t cephalo_abi_cxx17_host_api_size();  // from abi_header_cxx17.cpp (C++17)

#if defined(__x86_64__) && defined(__LP64__)
#define PIN(type, field, offset) \
  static_assert(offsetof(type, field) == (offset), #type "." #field " moved");
#define PIN_SIZE(type, size) static_assert(sizeof(type) == (size), #type " changed size");
#include "abi_layout.inc"
#undef PIN
#undef PIN_SIZE
#endif

namespace {

const std::vector<cephalo_abi_layout_entry>& cpp_layout() {
  static const std::vector<cephalo_abi_layout_entry> entries = {
#define PIN(type, field, offset) {#type "." #field, offsetof(type, field)},
#define PIN_SIZE(type, size) {"sizeof " #type, sizeof(type)},
#include "abi_layout.inc"
#undef PIN
#undef PIN_SIZE
  };
  return entries;
}

}  // namespace

TEST_CASE("C and C++ lay out every ABI struct identically") {
  size_t count = 0;
  const cephalo_abi_layout_entry* c_entries = cephalo_abi_layout_c(&count);
  const auto& cpp_entries = cpp_layout();
  REQUIRE(count == cpp_entries.size());
  CHECK(count > 100);  // every field of every struct, not a sample
  for (size_t i = 0; i < count; ++i) {
    CAPTURE(std::string(cpp_entries[i].what));
    CHECK(std::string(c_entries[i].what) == cpp_entries[i].what);
    CHECK(c_entries[i].value == cpp_entries[i].value);
  }
}

TEST_CASE("the header built as C++17 sees the same host table as the C++20 test") {
  CHECK(cephalo_abi_cxx17_host_api_size() == sizeof(cephalo_host_api));
}

TEST_CASE("CEPHALO_HAS_FIELD accepts the fields inside struct_size and no further") {
  cephalo_host_api api{};
  api.struct_size = offsetof(cephalo_host_api, poll_event_json);  // cut inside the 1.0 table
  CHECK(CEPHALO_HAS_FIELD(&api, cephalo_host_api, param_string));
  CHECK_FALSE(CEPHALO_HAS_FIELD(&api, cephalo_host_api, poll_event_json));
  api.struct_size = offsetof(cephalo_host_api, portfolio_cash);  // a 1.0 host
  CHECK(CEPHALO_HAS_FIELD(&api, cephalo_host_api, send_command_json));
  CHECK_FALSE(CEPHALO_HAS_FIELD(&api, cephalo_host_api, portfolio_cash));
  api.struct_size = offsetof(cephalo_host_api, position_size);  // a 1.1 host
  CHECK(CEPHALO_HAS_FIELD(&api, cephalo_host_api, indicator));
  CHECK_FALSE(CEPHALO_HAS_FIELD(&api, cephalo_host_api, position_size));
  api.struct_size = offsetof(cephalo_host_api, set_timer);  // a 1.2 host
  CHECK(CEPHALO_HAS_FIELD(&api, cephalo_host_api, position_size));
  CHECK_FALSE(CEPHALO_HAS_FIELD(&api, cephalo_host_api, set_timer));
  api.struct_size = offsetof(cephalo_host_api, indicator_handle);  // a 1.3 host
  CHECK(CEPHALO_HAS_FIELD(&api, cephalo_host_api, cancel_timer));
  CHECK_FALSE(CEPHALO_HAS_FIELD(&api, cephalo_host_api, indicator_values));
  api.struct_size = offsetof(cephalo_host_api, query_json);  // a 1.4 host
  CHECK(CEPHALO_HAS_FIELD(&api, cephalo_host_api, indicator_values));
  CHECK_FALSE(CEPHALO_HAS_FIELD(&api, cephalo_host_api, query_json));
  CHECK_FALSE(CEPHALO_HAS_FIELD(&api, cephalo_host_api, refusal_reason));
  api.struct_size = sizeof api;
  CHECK(CEPHALO_HAS_FIELD(&api, cephalo_host_api, refusal_reason));
}

TEST_CASE("cephalo_status_name names every status and says when it does not know one") {
  CHECK(std::string(cephalo_status_name(CEPHALO_OK)) == "CEPHALO_OK");
  CHECK(std::string(cephalo_status_name(CEPHALO_INVALID_ARGUMENT)) == "CEPHALO_INVALID_ARGUMENT");
  CHECK(std::string(cephalo_status_name(CEPHALO_BUFFER_TOO_SMALL)) == "CEPHALO_BUFFER_TOO_SMALL");
  CHECK(std::string(cephalo_status_name(CEPHALO_CLOSED)) == "CEPHALO_CLOSED");
  for (cephalo_status status = CEPHALO_OK; status <= CEPHALO_CLOSED; ++status) {
    CHECK(std::string(cephalo_status_name(status)).rfind("CEPHALO_", 0) == 0);
    CHECK(std::string(cephalo_status_name(status)) != "CEPHALO_STATUS_UNKNOWN");
  }
  CHECK(std::string(cephalo_status_name(42)) == "CEPHALO_STATUS_UNKNOWN");
  CHECK(std::string(cephalo_abi_status_name_c(CEPHALO_NOT_FOUND)) == "CEPHALO_NOT_FOUND");
}
