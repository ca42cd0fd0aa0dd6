// Built against the installed package: starts the emulator, reads spaces over HTTPS.
#include <wrike/client.hpp>
#include <wrike_cascade/emulator/wrike_emulator.hpp>
#include <wrike_cascade/mapping.hpp>

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
  if (list.empty()) return 1;

  // The header-only mapping layer from the installed headers: a config naming the spaces read.
  std::string config = "{\"wrike\": {\"spaces\": [\"" + list.front().id.str() +
                       "\"]}, // a comment\n \"cascade\": {\"target\": \"classic\"}}";
  auto parsed = wrike_cascade::mapping::MappingConfig::parse(config, "consumer.jsonc");
  parsed.resolve({}, {});
  auto plan = wrike_cascade::mapping::make_plan(
      wrike_cascade::mapping::map_to_cascade(parsed, {}), {}, {}, {});
  std::cout << "consumer planned: " << wrike_cascade::mapping::summary_line(plan) << "\n";
  return parsed.spaces.size() == 1 ? 0 : 1;
}
