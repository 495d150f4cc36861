// ExchangeRegistry: the exchanges a live run can trade on, keyed by `exchange.name`; each entry
// opens a VenueConnection from the config's `exchange:` section. builtin() holds the ones listed
// in exchanges.def (the same table the config schema reads its allowed names from); add()
// registers another in one line (a test's own connector).
// Thread-safety: a registry is a plain value: build it, then read it from any thread.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "exchange/venue_connection.hpp"
#include "model/result.hpp"

namespace cephalo::exchange {

// What an exchange's opener gets: the config's `exchange:` section, and where to say what it
// chose (e.g. the key file it signs with) as info log lines.
struct VenueSetup {
  const ExchangeConfig& exchange;
  std::function<void(const std::string&)> note;
};

using VenueOpener = Result<std::unique_ptr<VenueConnection>> (*)(const VenueSetup& setup);

struct ExchangeRegistration {
  std::string name;     // the value of exchange.name
  std::string summary;  // one line for docs and error messages
  VenueOpener open = nullptr;
};

class ExchangeRegistry {
 public:
  // The exchanges in exchanges.def.
  static ExchangeRegistry builtin();
  void add(ExchangeRegistration registration);
  const ExchangeRegistration* find(std::string_view name) const;
  std::vector<std::string> names() const;
  // Opens setup.exchange.name's connection; an unknown name is refused with the known ones.
  Result<std::unique_ptr<VenueConnection>> open(const VenueSetup& setup) const;

 private:
  std::vector<ExchangeRegistration> entries_;
};

}  // namespace cephalo::exchange
