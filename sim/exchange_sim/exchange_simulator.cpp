// The simulator's process-level plumbing: listening socket, market clock timer, run and stop.
#include "exchange_sim/exchange_simulator.hpp"

#include "crypto/key_signature.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <chrono>
#include <csignal>

#include "exchange_sim/http_session.hpp"

namespace cephalo::exchange_sim {

namespace {
// Quarter-candles played per timer wake-up at most, so a huge speed cannot starve the sockets.
constexpr int64_t kMaxStepsPerWake = 2000;

Result<std::unique_ptr<boost::asio::ssl::context>> load_tls(const SimConfig& config) {
  namespace ssl = boost::asio::ssl;
  if (config.tls_cert_file.empty() != config.tls_key_file.empty()) {
    return Error{"TLS needs both a certificate and its key (--tls-cert and --tls-key)"};
  }
  if (config.tls_cert_file.empty()) return std::unique_ptr<ssl::context>();
  auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                       ssl::context::single_dh_use);
  boost::system::error_code error;
  context->use_certificate_chain_file(config.tls_cert_file, error);
  if (error) {
    return Error{"--tls-cert " + config.tls_cert_file + ": " + error.message() +
                 " (expected a PEM certificate, optionally followed by its chain)"};
  }
  // OpenSSL also checks here that the key belongs to the certificate ("key values mismatch").
  context->use_private_key_file(config.tls_key_file, ssl::context::pem, error);
  if (error) {
    return Error{"--tls-key " + config.tls_key_file + ": " + error.message() +
                 " (expected the unencrypted PEM private key of " + config.tls_cert_file + ")"};
  }
  return context;
}
}  // namespace

ExchangeSimulator::ExchangeSimulator(SimConfig config)
    : config_(std::move(config)), acceptor_(io_), market_timer_(io_) {}

ExchangeSimulator::~ExchangeSimulator() = default;

Result<std::unique_ptr<ExchangeSimulator>> ExchangeSimulator::start(SimConfig config) {
  std::unique_ptr<ExchangeSimulator> simulator(new ExchangeSimulator(std::move(config)));
  ExchangeSimulator& sim = *simulator;
  auto tls = load_tls(sim.config_);
  if (!tls) return tls.status();
  sim.tls_ = std::move(tls.value());
  if (!sim.config_.api_public_key_pem.empty()) {
    if (auto key = PublicKey::from_pem(sim.config_.api_public_key_pem); !key) {
      return Error{"--api-public-key: " + key.error()};
    }
  }
  sim.venue_ = std::make_unique<SimVenue>(sim.config_, SimVenue::wall_ms());
  if (!sim.config_.faults_json.empty()) {
    const auto document = nlohmann::json::parse(sim.config_.faults_json, nullptr, false);
    const auto applied = apply_faults(sim.venue_->faults(), document, SimVenue::wall_ms());
    if (!applied) return Error{"--faults: " + applied.error()};
  }
  boost::system::error_code error;
  const boost::asio::ip::tcp::endpoint endpoint(boost::asio::ip::address_v4::loopback(),
                                                static_cast<uint16_t>(sim.config_.port));
  sim.acceptor_.open(endpoint.protocol(), error);
  if (!error) sim.acceptor_.set_option(boost::asio::socket_base::reuse_address(true), error);
  if (!error) sim.acceptor_.bind(endpoint, error);
  if (!error) sim.acceptor_.listen(boost::asio::socket_base::max_listen_connections, error);
  if (error) {
    return Error{"cannot listen on 127.0.0.1:" + std::to_string(sim.config_.port) + ": " +
                 error.message() + " (choose another --port, or 0 for a free one)"};
  }
  sim.port_ = sim.acceptor_.local_endpoint().port();
  return simulator;
}

void ExchangeSimulator::accept_next() {
  acceptor_.async_accept([this](boost::system::error_code error,
                                boost::asio::ip::tcp::socket socket) {
    if (error == boost::asio::error::operation_aborted) return;
    if (!error && tls_) {
      std::make_shared<HttpSession<TlsStream>>(TlsStream(std::move(socket), *tls_), *venue_)
          ->start();
    } else if (!error) {
      std::make_shared<HttpSession<PlainStream>>(PlainStream(std::move(socket)), *venue_)->start();
    }
    accept_next();
  });
}

void ExchangeSimulator::schedule_market() {
  const auto next = venue_->advance_to(SimVenue::wall_ms(), kMaxStepsPerWake);
  if (!next) return;  // manual clock, or every candle played
  const auto wait = std::chrono::milliseconds(std::max<int64_t>(0, *next - SimVenue::wall_ms()));
  market_timer_.expires_after(wait);
  market_timer_.async_wait([this](boost::system::error_code error) {
    if (!error) schedule_market();
  });
}

void ExchangeSimulator::run(bool stop_on_signals) {
  boost::asio::signal_set signals(io_);
  if (stop_on_signals) {
    signals.add(SIGINT);
    signals.add(SIGTERM);
    signals.async_wait([this](boost::system::error_code error, int) {
      if (!error) io_.stop();
    });
  }
  accept_next();
  schedule_market();
  io_.run();
}

void ExchangeSimulator::stop() {
  boost::asio::post(io_, [this] { io_.stop(); });
}

}  // namespace cephalo::exchange_sim
