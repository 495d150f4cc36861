// TLS client settings shared by the REST transport and the WebSocket client: the venue's
// certificate is verified against the system CA store (or a configured CA bundle), its name is
// checked against the host the URL names, SNI is sent, and nothing older than TLS 1.2 is spoken.
// Thread-safety: free functions; each touches only the context or connection it is given.
#pragma once

#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>
#include <string>

#include "model/result.hpp"

namespace cephalo::exchange {

// Turns peer verification on and loads the trust anchors: `ca_file` (PEM bundle) when not empty,
// and then only it — a self-hosted venue or a test CA is trusted instead of the public CAs, not
// in addition — else the system store.
Status configure_tls_client(boost::asio::ssl::context& context, const std::string& ca_file);

// Per connection, before the handshake: the name the certificate must carry (a DNS name, or an IP
// address for a URL like https://127.0.0.1:PORT) and SNI (DNS names only, as RFC 6066 requires).
Status prepare_tls_connection(SSL* connection, const std::string& host);

// Why a handshake failed; when the certificate was the cause, names the problem OpenSSL found
// ("unable to get local issuer certificate", "hostname mismatch", "certificate has expired", ...)
// and what to do about it.
std::string describe_tls_failure(SSL* connection, const boost::system::error_code& error,
                                 const std::string& host, const std::string& ca_file);

}  // namespace cephalo::exchange
