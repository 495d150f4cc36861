// The simulator's records in Binance spot's JSON shapes (field names, decimal strings, arrays).
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "data/ohlcv_bar.hpp"
#include "exchange_sim/matching_engine.hpp"
#include "exchange_sim/sim_config.hpp"
#include "exchange_sim/sim_error.hpp"
#include "exchange_sim/sim_order.hpp"

namespace cephalo::exchange_sim {

// Prices, quantities and balances go out as 8-decimal strings ("0.09840000"), as Binance sends.
std::string decimal_text(double value);

nlohmann::json error_json(const ApiError& error);
nlohmann::json order_json(const SimOrder& order);  // GET /api/v3/order, openOrders
// POST /api/v3/order for newOrderRespType ACK, RESULT or FULL.
nlohmann::json place_response_json(const PlaceOutcome& outcome, const std::string& response_type);
nlohmann::json cancel_response_json(const OrderUpdate& cancel);
// POST /api/v3/orderList/oco, RESULT form (rest-api.md "New Order list - OCO").
nlohmann::json order_list_response_json(const SimOrder& below, const SimOrder& above,
                                        const std::string& list_client_order_id);
nlohmann::json my_trade_json(const SimTrade& trade);
// canTrade false: the account may not trade (a read-only key still reads it).
nlohmann::json account_json(const std::map<std::string, SimBalance>& balances,
                            double commission_rate, int64_t now_ms, bool can_trade);
// `status`: every symbol's exchangeInfo status (TRADING, BREAK, HALT, ...).
nlohmann::json exchange_info_json(const std::vector<const SimMarket*>& markets,
                                  int64_t weight_limit, int64_t now_ms, const std::string& status);

// Market data. trade_id_first/last: the ids of the trades the candle holds so far.
nlohmann::json kline_array_json(const OhlcvBar& bar, int64_t interval_ms, int trades);
nlohmann::json kline_event_json(const std::string& symbol, const std::string& interval,
                                int64_t interval_ms, const OhlcvBar& bar, int trades, bool closed,
                                int64_t event_ms);
nlohmann::json trade_event_json(const std::string& symbol, int64_t trade_id, double price,
                                double qty, int64_t event_ms);
nlohmann::json book_ticker_json(const std::string& symbol, int64_t update_id, double price,
                                Units tick_size, double qty);

// User data stream.
nlohmann::json execution_report_json(const OrderUpdate& update);
nlohmann::json account_position_json(const std::map<std::string, SimBalance>& balances,
                                     const std::vector<std::string>& assets, int64_t event_ms);

}  // namespace cephalo::exchange_sim
