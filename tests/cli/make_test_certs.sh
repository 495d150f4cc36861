#!/usr/bin/env bash
# Throwaway TLS material for the TLS tests, made fresh at test time with the openssl CLI (no key
# is ever committed). Writes into DIR:
#   ca.pem, ca.key            a test CA ("Cephalo test CA")
#   server.pem, server.key    signed by it, for IP 127.0.0.1 and DNS localhost
#   other.pem, other.key      signed by it, for DNS other.example only (a wrong host name)
#   stranger-ca.pem           another CA, which signed none of the above
# EC P-256 keys, valid for 2 days. Usage: make_test_certs.sh DIR
set -euo pipefail
dir=$1
mkdir -p "$dir"
cd "$dir"
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
ca() {  # ca NAME SUBJECT
  key "$1.key"
  openssl req -x509 -new -key "$1.key" -out "$1.pem" -days 2 -subj "/CN=$2" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
}
leaf() {  # leaf NAME SUBJECT_ALT_NAMES
  key "$1.key"
  openssl req -new -key "$1.key" -out "$1.csr" -subj "/CN=$1"
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\n' \
    "$2" >"$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
    -extfile "$1.ext" -out "$1.pem" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}
ca ca "Cephalo test CA"
ca stranger-ca "Cephalo stranger CA"
leaf server "IP:127.0.0.1,DNS:localhost"
leaf other "DNS:other.example"
openssl verify -CAfile ca.pem server.pem other.pem >/dev/null
