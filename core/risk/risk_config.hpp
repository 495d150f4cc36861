// RiskConfig: the limits of the three risk tiers with their defaults, and their validation.
// Thread-safety: plain values; validate() is a pure function.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cephalo {

// The members come from risk_settings.def, which says what each setting does, its default and
// its range: a setting is spelled there once and nowhere else.
#define CEPHALO_RISK_MEMBER_number(name, default_value) double name = default_value;
#define CEPHALO_RISK_MEMBER_int(name, default_value) int name = default_value;
#define CEPHALO_RISK_MEMBER_bool(name, default_value) bool name = default_value;
#define CEPHALO_RISK_MEMBER_time(name, default_value) int64_t name##_ns = default_value;
#define CEPHALO_RISK_MEMBER(kind, name, default_value, min, max, what) \
  CEPHALO_RISK_MEMBER_##kind(name, default_value)

// Position tier: limits on one position, and its protective exits.
struct PositionRiskConfig {
#define CEPHALO_POSITION_SETTING CEPHALO_RISK_MEMBER
#include "risk/risk_settings.def"
};

// Strategy tier: how often and how eagerly the strategy may enter.
struct StrategyRiskConfig {
#define CEPHALO_STRATEGY_SETTING CEPHALO_RISK_MEMBER
#include "risk/risk_settings.def"
  // Not config keys: a program that embeds the engine (and the tests) may add a pause or
  // cooldown in time to the one in bars; whichever ends later counts. 0 = none.
  int64_t loss_pause_ns = 0;
  int64_t stop_out_cooldown_ns = 0;
};

// Account tier: limits on the whole account.
struct AccountRiskConfig {
#define CEPHALO_ACCOUNT_SETTING CEPHALO_RISK_MEMBER
#include "risk/risk_settings.def"
};

#undef CEPHALO_RISK_MEMBER
#undef CEPHALO_RISK_MEMBER_number
#undef CEPHALO_RISK_MEMBER_int
#undef CEPHALO_RISK_MEMBER_bool
#undef CEPHALO_RISK_MEMBER_time

struct RiskConfig {
  PositionRiskConfig position;
  StrategyRiskConfig strategy;
  AccountRiskConfig account;
};

// Every nonsense limit at once, each as "<key>: <what is wrong>, found <value>; <what to do>" with
// the key as it appears under `risk:` (e.g. "position.stop_loss_fraction"), so the config layer
// can point at its file and line. Empty when the config is usable.
std::vector<std::string> validate(const RiskConfig& config);

}  // namespace cephalo
