// Built against the installed package: starts the emulator, reads spaces over HTTPS.
#include <wrike/client.hpp>
#include <wrike_cascade/emulator/wrike_emulator.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <filesystem>
#include <iostream>

int main() {
  wrike_cascade::emulator::WrikeEmulator emu;
  emu.start();
  const auto ca = std::filesystem::temp_directory_path() / "wrike-cascade-consumer-ca.pem";
  emu.write_ca_file(ca.string());

  boost::asio::io_context io;
  wrike::ClientConfig cfg;
  cfg.api_url = emu.https_url() + "/api/v4";
  cfg.token = emu.token();
  cfg.ca_file = ca.string();
  wrike::Client client(io.get_executor(), cfg);
  auto spaces = client.async_get_spaces({}, boost::asio::use_future);
  io.run();
  const auto list = spaces.get();
  std::cout << "consumer read " << list.size() << " spaces\n";
  emu.stop();
  return list.empty() ? 1 : 0;
}
