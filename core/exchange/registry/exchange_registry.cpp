// The registry's table comes from exchanges.def: one line per exchange.
// Thread-safety: see exchange_registry.hpp.
#include "exchange/registry/exchange_registry.hpp"

namespace cephalo::exchange {

// Each exchange's opener, declared from its line (defined in the exchange's own folder).
#define CEPHALO_EXCHANGE(name, summary, opener) \
  Result<std::unique_ptr<VenueConnection>> opener(const VenueSetup& setup);
#include "config/exchanges.def"
#undef CEPHALO_EXCHANGE

ExchangeRegistry ExchangeRegistry::builtin() {
  ExchangeRegistry registry;
#define CEPHALO_EXCHANGE(name, summary, opener) registry.add({#name, (summary), &(opener)});
#include "config/exchanges.def"
#undef CEPHALO_EXCHANGE
  return registry;
}

void ExchangeRegistry::add(ExchangeRegistration registration) {
  entries_.push_back(std::move(registration));
}

const ExchangeRegistration* ExchangeRegistry::find(std::string_view name) const {
  for (const ExchangeRegistration& entry : entries_) {
    if (entry.name == name) return &entry;
  }
  return nullptr;
}

std::vector<std::string> ExchangeRegistry::names() const {
  std::vector<std::string> out;
  for (const ExchangeRegistration& entry : entries_) out.push_back(entry.name);
  return out;
}

Result<std::unique_ptr<VenueConnection>> ExchangeRegistry::open(const VenueSetup& setup) const {
  const ExchangeRegistration* entry = find(setup.exchange.name);
  if (entry == nullptr) {
    std::string known;
    for (const ExchangeRegistration& each : entries_) {
      known += (known.empty() ? "" : ", ") + each.name;
    }
    return Error{"exchange.name: '" + setup.exchange.name +
                 "' is not a known exchange; known: " + known};
  }
  return entry->open(setup);
}

}  // namespace cephalo::exchange
