#include "executable.hpp"

#include <boost/json/serialize.hpp>

#include <csignal>
#include <iostream>
#include <limits>
#include <pthread.h>
#include <system_error>
#include <unistd.h>

namespace wrike_cascade::emulator {
namespace {
sigset_t stop_set() {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGINT);
  sigaddset(&s, SIGTERM);
  return s;
}
}  // namespace

void block_stop_signals() {
  const sigset_t s = stop_set();
  pthread_sigmask(SIG_BLOCK, &s, nullptr);
}

int run_until_signal(const Executable& e) {
  std::filesystem::path ca_file;
  bool remove_ca = false;
  auto cleanup = [&] {
    if (!remove_ca) return;
    std::error_code ec;
    std::filesystem::remove(ca_file, ec);
  };
  try {
    e.start();
    if (e.ca_file) {
      ca_file = *e.ca_file;
    } else {
      ca_file = std::filesystem::temp_directory_path() / (e.name + "-" + std::to_string(::getpid()) + "-ca.pem");
      remove_ca = true;
    }
    e.write_ca_file(ca_file);
    boost::json::object ready = e.ready_fields();
    ready["ca_file"] = std::filesystem::absolute(ca_file).string();
    std::cout << boost::json::serialize(ready) << std::endl;  // flushes
    const sigset_t s = stop_set();
    int sig = 0;
    sigwait(&s, &sig);
    e.stop();
  } catch (const std::exception& ex) {
    std::cerr << e.name << ": " << ex.what() << "\n";
    cleanup();
    return 1;
  }
  cleanup();
  return 0;
}

std::uint64_t parse_uint(std::string_view flag, std::string_view v, std::uint64_t max) {
  if (v.empty() || v.size() > 20) throw UsageError{std::string(flag) + ": expected a number, got '" + std::string(v) + "'"};
  std::uint64_t x = 0;
  for (char c : v) {
    if (c < '0' || c > '9')
      throw UsageError{std::string(flag) + ": expected a non-negative integer, got '" + std::string(v) + "'"};
    const std::uint64_t d = static_cast<std::uint64_t>(c - '0');
    if (x > (std::numeric_limits<std::uint64_t>::max() - d) / 10) throw UsageError{std::string(flag) + ": number too large"};
    x = x * 10 + d;
  }
  if (x > max) throw UsageError{std::string(flag) + ": must be at most " + std::to_string(max)};
  return x;
}

bool FlagReader::next() {
  if (++i_ >= argc_) return false;
  flag_ = argv_[i_];
  has_inline_ = false;
  if (flag_.starts_with("--"))
    if (auto eq = flag_.find('='); eq != std::string_view::npos) {
      inline_value_ = std::string(flag_.substr(eq + 1));
      has_inline_ = true;
      flag_ = flag_.substr(0, eq);
    }
  return true;
}

std::string_view FlagReader::value() {
  if (has_inline_) return inline_value_;
  if (i_ + 1 >= argc_) throw UsageError{std::string(flag_) + ": missing value"};
  return argv_[++i_];
}

std::chrono::seconds access_token_ttl(FlagReader& r) {
  std::chrono::seconds ttl(r.number(10ull * 365 * 86400));
  if (ttl.count() == 0) throw UsageError{"--access-token-ttl: must be at least 1"};
  return ttl;
}

bool read_common_flag(FlagReader& r, ServerOptions& server, CommonFlags& common) {
  const std::string_view a = r.flag();
  if (a == "--help" || a == "-h") common.help = true;
  else if (a == "--dump-data") common.dump = std::filesystem::path(std::string(r.value()));
  else if (a == "--ca-file") common.ca_file = std::filesystem::path(std::string(r.value()));
  else if (a == "--http-port") server.http_port = static_cast<std::uint16_t>(r.number(65535));
  else if (a == "--https-port") server.https_port = static_cast<std::uint16_t>(r.number(65535));
  else if (a == "--threads") {
    server.threads = static_cast<int>(r.number(64));
    if (server.threads == 0) throw UsageError{"--threads: must be at least 1"};
  } else if (a == "--latency-ms") server.default_latency = std::chrono::milliseconds(r.number(600'000));
  else if (a == "--rate-limit") server.rate_limit.max_requests = r.count();
  else if (a == "--cert-hostname") {
    auto h = r.value();
    if (h.empty()) throw UsageError{"--cert-hostname: empty name"};
    if (!common.hosts_given) server.cert_hostnames.clear();
    common.hosts_given = true;
    server.cert_hostnames.emplace_back(h);
  } else {
    return false;
  }
  return true;
}

}  // namespace wrike_cascade::emulator
