// Decode throughput of the Wrike models.
//
// Workloads:
//   folderTree  csusb__folders_tree_large_509.json (a real 509-entry account tree, 423 projects)
//   tasks       a 1000-task page with every field, synthesised from the shape of
//               deskpro__task_single_full_html_description.json (ids, titles, dates, values vary)
// Stages, each repeated for about a second:
//   json parse         boost::json::parse into the default memory resource
//   json parse (mono)  the same into a monotonic_resource (what a response reader can do)
//   model decode       wrike::decode_envelope<T> from the parsed value
//   parse + decode     both, as a client does per response
// MB/s counts the JSON text bytes (1 MB = 10^6 bytes); objects/s counts `data` elements.
//
// Usage: decode_bench [SHARED_DIR]   (default: $WRIKE_CASCADE_SHARED_DIR, else ../shared)
#include <wrike/model.hpp>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace json = boost::json;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

volatile std::size_t g_sink = 0;  // keeps the work observable

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + p.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Result {
  std::size_t iterations = 0;
  double seconds = 0;
};

// Runs `fn` until about `budget` has passed (at least 3 times).
template <class F>
Result run_for(F&& fn, std::chrono::duration<double> budget = std::chrono::seconds(1)) {
  fn();  // warm-up
  Result r;
  const auto start = Clock::now();
  auto now = start;
  do {
    fn();
    ++r.iterations;
    now = Clock::now();
  } while (now - start < budget || r.iterations < 3);
  r.seconds = std::chrono::duration<double>(now - start).count();
  return r;
}

void print_header() {
  std::printf("%-12s %-18s %10s %8s %10s %10s %12s\n", "workload", "stage", "bytes", "objects", "iterations",
              "MB/s", "objects/s");
}

void print_row(const char* workload, const char* stage, std::size_t bytes, std::size_t objects, const Result& r) {
  const double per_iter = r.seconds / static_cast<double>(r.iterations);
  std::printf("%-12s %-18s %10zu %8zu %10zu %10.1f %12.0f\n", workload, stage, bytes, objects, r.iterations,
              static_cast<double>(bytes) / per_iter / 1e6, static_cast<double>(objects) / per_iter);
}

template <class T>
void bench(const char* workload, const std::string& text) {
  const json::value parsed = json::parse(text);
  const std::size_t objects = wrike::decode_envelope<T>(parsed).data.size();

  print_row(workload, "json parse", text.size(), objects, run_for([&] {
              const json::value v = json::parse(text);
              g_sink = g_sink + v.as_object().size();
            }));
  std::vector<unsigned char> arena(text.size() * 4);
  print_row(workload, "json parse (mono)", text.size(), objects, run_for([&] {
              json::monotonic_resource mr(arena.data(), arena.size());
              const json::value v = json::parse(text, &mr);
              g_sink = g_sink + v.as_object().size();
            }));
  print_row(workload, "model decode", text.size(), objects, run_for([&] {
              const auto env = wrike::decode_envelope<T>(parsed);
              g_sink = g_sink + env.data.size();
            }));
  print_row(workload, "parse + decode", text.size(), objects, run_for([&] {
              json::monotonic_resource mr(arena.data(), arena.size());
              const auto env = wrike::decode_envelope<T>(json::parse(text, &mr));
              g_sink = g_sink + env.data.size();
            }));
}

// Base-32 text of n, `width` characters, for plausible legacy-looking IDs.
std::string b32(std::size_t n, int width) {
  static constexpr char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string s(static_cast<std::size_t>(width), 'A');
  for (int i = width - 1; i >= 0; --i, n /= 32) s[static_cast<std::size_t>(i)] = digits[n % 32];
  return s;
}

// A 1000-task page with every field, modelled on the full single-task body.
std::string synthesise_task_page(const fs::path& fixtures, std::size_t count) {
  const json::value single = json::parse(read_file(fixtures / "deskpro__task_single_full_html_description.json"));
  const json::object& model = single.at("data").at(0).as_object();
  json::array data;
  data.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    json::object t = model;
    t["id"] = "IEAGJJFWKR" + b32(i, 6);
    t["title"] = "Task #" + std::to_string(i) + " " + std::string(model.at("title").as_string());
    t["permalink"] = "https://www.wrike.com/open.htm?id=" + std::to_string(1488253819 + i);
    t["priority"] = "09af9000" + b32(i * 7919, 16);
    t["parentIds"] = json::array{json::string("IEAGJJFWI5" + b32(i % 50, 6))};
    t["responsibleIds"] = json::array{json::string("KUAT" + b32(i % 40, 4))};
    t["status"] = i % 5 == 0 ? "Completed" : "Active";
    const auto day = static_cast<int>(1 + i % 28);
    char start[32], due[32];
    std::snprintf(start, sizeof start, "2024-%02d-%02dT09:00:00", static_cast<int>(1 + i % 12), day);
    std::snprintf(due, sizeof due, "2024-%02d-%02dT17:00:00", static_cast<int>(1 + i % 12), day);
    json::object& dates = t["dates"].as_object();
    dates["start"] = start;
    dates["due"] = due;
    dates["duration"] = 480;
    json::array& cfs = t["customFields"].as_array();
    for (json::value& cf : cfs) {
      json::object& o = cf.as_object();
      if (o.at("id") == "IEAGJJFWJUAGXM65") o["value"] = std::to_string(1000 + i);  // Numeric
      if (o.at("id") == "IEAGJJFWJUAGXM64") o["value"] = "Text for task " + std::to_string(i);
    }
    data.emplace_back(std::move(t));
  }
  json::object page{{"kind", "tasks"}, {"data", std::move(data)}, {"nextPageToken", "AE2DS3IAAAAAAAA"},
                    {"responseSize", 25000}};
  return json::serialize(page);
}

fs::path shared_dir(int argc, char** argv) {
  if (argc > 1) return argv[1];
  if (const char* env = std::getenv("WRIKE_CASCADE_SHARED_DIR"); env && *env) return env;
  return WRIKE_CASCADE_SHARED_DIR;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
    std::printf("usage: decode_bench [SHARED_DIR]\n  SHARED_DIR holds wrike-fixtures/ (default: "
                "$WRIKE_CASCADE_SHARED_DIR, else %s)\n",
                WRIKE_CASCADE_SHARED_DIR);
    return 0;
  }
  const fs::path fixtures = shared_dir(argc, argv) / "wrike-fixtures";
  if (!fs::is_directory(fixtures)) {
    std::fprintf(stderr, "decode_bench: %s not found; pass the shared dir as argv[1] or set WRIKE_CASCADE_SHARED_DIR\n",
                 fixtures.string().c_str());
    return 2;
  }
  try {
    const std::string tree = read_file(fixtures / "csusb__folders_tree_large_509.json");
    const std::string tasks = synthesise_task_page(fixtures, 1000);
    print_header();
    bench<wrike::FolderTreeEntry>("folderTree", tree);
    bench<wrike::Task>("tasks", tasks);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "decode_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
