// Self-signed certificates for the emulators' HTTPS listeners (OpenSSL 3).
//
// make_test_certificate() creates a small private PKI in memory: a CA certificate (EC P-256,
// X509v3, basicConstraints critical CA:TRUE, keyUsage keyCertSign/cRLSign) and a server
// certificate signed by it (EC P-256, CA:FALSE, keyUsage digitalSignature, extendedKeyUsage
// serverAuth, subjectAltName from `hostnames`: entries that parse as an IPv4/IPv6 address
// become IP SANs, the others DNS SANs). Clients trust the CA (ca_pem) and verify the server
// name as usual; a name not in `hostnames` fails host-name verification.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace wrike_cascade::emulator {

struct TestCertificate {
  std::string ca_pem;           // the CA certificate, to give to clients as their trust anchor
  std::string cert_chain_pem;   // server certificate followed by the CA certificate
  std::string key_pem;          // the server's private key (PKCS#8 PEM), never leaves memory
};

// Throws std::runtime_error with OpenSSL's error text on failure.
TestCertificate make_test_certificate(const std::vector<std::string>& hostnames,
                                      std::chrono::hours validity = std::chrono::hours(24 * 30));

// Writes `pem` to `path` (created or replaced); throws std::runtime_error on failure.
void write_pem_file(const std::filesystem::path& path, const std::string& pem);

}  // namespace wrike_cascade::emulator
