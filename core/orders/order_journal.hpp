// Where the executor commits orders and fills: synchronously, before a request leaves.
// Thread-safety: implementations may be called from any thread (the repository serialises).
#pragma once

#include <string>
#include <vector>

#include "model/result.hpp"
#include "storage/records.hpp"
#include "storage/repository.hpp"

namespace cephalo::orders {

class OrderJournal {
 public:
  virtual ~OrderJournal() = default;
  // Returns once the row is durable: only then may the order be sent.
  virtual Status commit_order(const LiveOrderRecord& order) = 0;
  virtual void record_fill(const FillRecord& fill) = 0;
  virtual Result<std::vector<LiveOrderRecord>> orders() const = 0;
  virtual Result<std::vector<FillRecord>> fills() const = 0;
};

// The journal over the bot's storage (SQLite by default): orders_live and fills.
class RepositoryOrderJournal final : public OrderJournal {
 public:
  explicit RepositoryOrderJournal(Repository& repository) : repository_(repository) {}
  Status commit_order(const LiveOrderRecord& order) override {
    return repository_.record_live_order_sync(order);
  }
  void record_fill(const FillRecord& fill) override { repository_.record(fill); }
  Result<std::vector<LiveOrderRecord>> orders() const override { return repository_.live_orders(); }
  Result<std::vector<FillRecord>> fills() const override { return repository_.fills(); }

 private:
  Repository& repository_;
};

}  // namespace cephalo::orders
