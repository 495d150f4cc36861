// The spec parser: the full example, column names, and errors that name the bad item.
#include <doctest/doctest.h>

#include <string>

#include "indicators/indicator_spec.hpp"

namespace cephalo {
namespace {

std::vector<std::string> columns_of(std::string_view spec) {
  auto parsed = parse_indicator_spec(spec);
  REQUIRE_MESSAGE(parsed.ok(), parsed.error());
  std::vector<std::string> columns;
  for (const auto& indicator : *parsed) {
    for (const auto& name : indicator->column_names()) columns.push_back(name);
  }
  return columns;
}

std::string error_of(std::string_view spec) {
  auto parsed = parse_indicator_spec(spec);
  REQUIRE_FALSE(parsed.ok());
  return parsed.error();
}

TEST_CASE("the full example gives exactly the documented columns, in order") {
  const std::vector<std::string> expected = {"sma_10",
                                             "sma_50",
                                             "ema_20",
                                             "rsi_14",
                                             "macd_12_26_9",
                                             "macd_signal_12_26_9",
                                             "macd_hist_12_26_9",
                                             "bb_upper_20_2",
                                             "bb_middle_20_2",
                                             "bb_lower_20_2",
                                             "atr_14",
                                             "stoch_k_14_3_3",
                                             "stoch_d_14_3_3",
                                             "wma_20",
                                             "adx_14",
                                             "cci_20",
                                             "obv",
                                             "mfi_14",
                                             "willr_14",
                                             "roc_10"};
  CHECK(columns_of("sma:10,sma:50,ema:20,rsi:14,macd:12:26:9,bbands:20:2,atr:14,stoch:14:3:3,"
                   "wma:20,adx:14,cci:20,obv,mfi:14,willr:14,roc:10") == expected);
}

TEST_CASE("bbands keeps k as written; spaces around items are ignored") {
  CHECK(
      columns_of(" bbands:20:2.5 , sma:3 ") ==
      std::vector<std::string>{"bb_upper_20_2.5", "bb_middle_20_2.5", "bb_lower_20_2.5", "sma_3"});
}

TEST_CASE("errors name the item and say what it needs") {
  CHECK(error_of("macd:12") == "'macd:12' needs 3 parameters fast:slow:signal");
  CHECK(error_of("sma") == "'sma' needs 1 parameter period");
  CHECK(error_of("stoch:14:3") == "'stoch:14:3' needs 3 parameters fastk:slowk:slowd");
  CHECK(error_of("bbands:20") == "'bbands:20' needs 2 parameters period:k");
  CHECK(error_of("obv:3") == "'obv:3' takes no parameters");
  CHECK(error_of("sma:ten") == "'sma:ten': period must be a whole number, got 'ten'");
  CHECK(error_of("sma:2.5") == "'sma:2.5': period must be a whole number, got '2.5'");
  CHECK(error_of("rsi:1") == "'rsi:1': period must be between 2 and 100000, got 1");
  CHECK(error_of("ema:-3") == "'ema:-3': period must be between 2 and 100000, got -3");
  CHECK(error_of("sma:99999999999") ==
        "'sma:99999999999': period must be between 2 and 100000, got '99999999999'");
  CHECK(error_of("macd:26:12:9") == "'macd:26:12:9': fast (26) must be less than slow (12)");
  CHECK(error_of("bbands:20:0") ==
        "'bbands:20:0': k (standard deviations) must be a positive number, got '0'");
  CHECK(error_of("bbands:20:x") ==
        "'bbands:20:x': k (standard deviations) must be a positive number, got 'x'");
  CHECK(error_of("vwap:14").starts_with("'vwap:14' is not a known indicator (known: sma, ema,"));
  CHECK(error_of("sma:10,sma:10") == "'sma:10' is given twice");
  CHECK(error_of("") == "no indicators given; expected a list such as 'sma:10,rsi:14'");
  CHECK(error_of("sma:10,,rsi:14").starts_with("item 2 of 'sma:10,,rsi:14' is empty"));
}

TEST_CASE("every bad item is reported at once, one per line") {
  CHECK(error_of("sma:10,macd:12,rsi:x,obv") ==
        "'macd:12' needs 3 parameters fast:slow:signal\n"
        "'rsi:x': period must be a whole number, got 'x'");
}

TEST_CASE("smallest accepted parameters follow TA-Lib's ranges") {
  CHECK(parse_indicator_spec("atr:1,roc:1,stoch:1:1:1,macd:2:3:1,sma:2,bbands:2:0.5").ok());
  CHECK_FALSE(parse_indicator_spec("sma:1").ok());
  CHECK_FALSE(parse_indicator_spec("adx:1").ok());
}

TEST_CASE("the help lists every indicator with its parameters") {
  const std::string help = indicator_spec_help();
  CHECK(help.find("macd:fast:slow:signal\n") != std::string::npos);
  CHECK(help.find("bbands:period:k\n") != std::string::npos);
  CHECK(help.find("obv\n") != std::string::npos);
}

}  // namespace
}  // namespace cephalo
