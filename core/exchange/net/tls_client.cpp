// OpenSSL's own verifier does all the checking (chain, validity dates, host name or IP address),
// so a refusal carries OpenSSL's reason, which describe_tls_failure() passes on to the user.
// Thread-safety: see tls_client.hpp.
#include "exchange/net/tls_client.hpp"

#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>

namespace cephalo::exchange {

Status configure_tls_client(boost::asio::ssl::context& context, const std::string& ca_file) {
  namespace ssl = boost::asio::ssl;
  context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                      ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  if (SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION) != 1) {
    return Error{"TLS: cannot require TLS 1.2 or newer"};
  }
  boost::system::error_code ec;
  if (ca_file.empty()) {
    context.set_default_verify_paths(ec);
    if (ec) return Error{"TLS: cannot load the system CA certificates: " + ec.message()};
  } else {
    context.load_verify_file(ca_file, ec);
    if (ec) {
      return Error{"TLS: cannot load the CA bundle " + ca_file + " (exchange.ca_file): " +
                   ec.message() + "; expected a readable file of PEM certificates"};
    }
  }
  context.set_verify_mode(ssl::verify_peer);
  return Ok{};
}

Status prepare_tls_connection(SSL* connection, const std::string& host) {
  boost::system::error_code not_an_address;
  boost::asio::ip::make_address(host, not_an_address);
  X509_VERIFY_PARAM* param = SSL_get0_param(connection);
  if (!not_an_address) {
    if (X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) != 1) {
      return Error{"TLS: cannot check the certificate for the address " + host};
    }
    return Ok{};
  }
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  if (SSL_set1_host(connection, host.c_str()) != 1) {
    return Error{"TLS: cannot check the certificate for the host name " + host};
  }
  if (SSL_set_tlsext_host_name(connection, host.c_str()) != 1) {
    return Error{"TLS: cannot set the server name (SNI) " + host};
  }
  return Ok{};
}

std::string describe_tls_failure(SSL* connection, const boost::system::error_code& error,
                                 const std::string& host, const std::string& ca_file) {
  std::string text = "TLS handshake with " + host + " failed: " + error.message();
  const long verify = SSL_get_verify_result(connection);
  if (verify == X509_V_OK) return text;
  text += "; the server's certificate was refused: ";
  text += X509_verify_cert_error_string(verify);
  switch (verify) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
      text += ca_file.empty()
                  ? " (no CA in the system store signed it; for a self-hosted venue or a test "
                    "simulator, set exchange.ca_file to its CA bundle)"
                  : " (no CA in " + ca_file + " signed it)";
      break;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
      text += " (the certificate is not issued for " + host + ")";
      break;
    default:
      break;
  }
  return text;
}

}  // namespace cephalo::exchange
