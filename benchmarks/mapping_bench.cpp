// mapping_bench: the mapping layer on a synthetic Wrike account, in memory (no I/O).
//
// The input is deterministic from a seed: P projects across 10 spaces (some nested, some with
// plain subfolders), T tasks spread evenly over them (subtasks, milestones, backlog items, a few
// Cancelled, 0-3 assignees among 200 contacts), HTML descriptions, 6-8 custom field values per
// task (Numeric, Currency, Text, DropDown, Date, Checkbox, Contacts), a Cascade ID field on part
// of the projects and tasks, and a numeric "Metric" on ~5% of the tasks (they become measures).
// The config is a JSONC text (Classic target, placement per space, status tables, custom field
// maps, the task measure rule, an owners directory covering most emails), parsed and resolved.
//
// Phases, each repeated with the previous repeat's result freed first (best and median of CPU
// time, std::clock, and of wall time):
//   config parse + resolve
//   map_to_cascade                     WrikeInput -> DesiredState, for Classic (as the sync app
//                                      maps: only fields Classic can write are made, the rest counted)
//   map_to_cascade (every field)       the same input mapped in full, as a tool that wants every
//                                      field gets it (custom fields, collaborators, checks, ...)
//   make_plan: first run               no links, Cascade listed and empty: every item a create
//   apply_to_state                     the creates recorded as links and observed state
//   make_plan: no changes              every item a no-op
//   map_to_cascade (renamed)           after renaming 1% of the mapped tasks
//   make_plan: 1% renamed              exactly that many updates
// Each plan is given a fresh mapping, made outside the measured time, as the sync app gives its
// plan command's (make_plan(DesiredState&&): the plan takes the items' values, no copies).
// "allocs/item" counts operator new calls (Boost.JSON's default resource included) per desired
// item (for the config row: per parse + resolve); "faults/item" the minor page faults (memory
// the phase touched for the first time, which the kernel maps and zeroes: CPU time too). Peak RSS (getrusage ru_maxrss) is printed before and after building the input and after
// each phase; "+peak" is how much the peak grew in the phase, in MB and in bytes per item.
//
// By default it runs 10,000 tasks / 100 projects and 100,000 / 1,000, each in its own forked
// process (so each has its own peak RSS), and prints the ratio of their times and memory growth.
// The goal: mapping + planning 100,000 tasks well under a second of CPU, memory proportional to
// the input. Exit status 1 when a plan's counts are wrong (creates == items on the first plan,
// and that plan the same as the plan of the full mapping; no-ops == items on the second, updates
// == renamed on the third), 2 on bad arguments.
//
//   mapping_bench [--tasks N] [--projects N] [--repeats N] [--seed N] [--quick] [--single]
//     --tasks/--projects   the large run (default 100000 / 1000); the small run is a tenth
//     --repeats            per phase (default 5)
//     --quick              10,000 / 100 and 1,000 / 10, 3 repeats
//     --single             only the large run, in this process (for profilers)
#include <wrike_cascade/mapping.hpp>

#include <wrike/custom_field_value.hpp>
#include <wrike/model.hpp>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <new>
#include <string>
#include <tuple>
#include <unordered_set>
#include <vector>

// Every allocation through operator new is counted (Boost.JSON's default resource uses it too), to
// report allocations per item. Single-threaded: relaxed load + store, no locked instruction.
std::atomic<std::uint64_t> g_allocations{0};

// Out of line, so GCC does not see free() paired with operator new (-Wmismatched-new-delete).
[[gnu::noinline]] void* operator new(std::size_t n) {
  g_allocations.store(g_allocations.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept { std::free(p); }
// The nothrow forms too (std::stable_sort's buffer uses them): otherwise a sanitizer's own
// nothrow new would pair with the free() above.
[[gnu::noinline]] void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  g_allocations.store(g_allocations.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  return std::malloc(n ? n : 1);
}
[[gnu::noinline]] void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }

namespace {

namespace map = wrike_cascade::mapping;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// ---- measuring ------------------------------------------------------------------------------

long peak_rss_kb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;  // kilobytes on Linux
}

long minor_faults() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_minflt;
}

struct Sample {
  double cpu_s = 0, wall_s = 0;
  std::uint64_t allocations = 0;
  long faults = 0;  // minor page faults: pages touched for the first time (the kernel zeroes each)
};

template <class F>
Sample measure(F&& fn) {
  const std::uint64_t a0 = g_allocations.load(std::memory_order_relaxed);
  const long f0 = minor_faults();
  const std::clock_t c0 = std::clock();
  const auto w0 = Clock::now();
  fn();
  const auto w1 = Clock::now();
  const std::clock_t c1 = std::clock();
  return {static_cast<double>(c1 - c0) / CLOCKS_PER_SEC, std::chrono::duration<double>(w1 - w0).count(),
          g_allocations.load(std::memory_order_relaxed) - a0, minor_faults() - f0};
}

struct Stats {
  double best_cpu = 0, median_cpu = 0, best_wall = 0, median_wall = 0;
  std::uint64_t allocations = 0;  // of the last repeat (the same in each)
  long faults = 0;                // of the last repeat
};

Stats stats(const std::vector<Sample>& samples) {
  std::vector<double> cpu, wall;
  for (const auto& s : samples) {
    cpu.push_back(s.cpu_s);
    wall.push_back(s.wall_s);
  }
  std::sort(cpu.begin(), cpu.end());
  std::sort(wall.begin(), wall.end());
  auto median = [](const std::vector<double>& v) {
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  };
  return {cpu.front(), median(cpu), wall.front(), median(wall), samples.back().allocations, samples.back().faults};
}

// 1234567 -> "1,234,567"
std::string group(std::size_t n) {
  const std::string digits = std::to_string(n);
  std::string s;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) s += ',';
    s += digits[i];
  }
  return s;
}

// ---- the synthetic account ------------------------------------------------------------------

// splitmix64: the same numbers on every platform (std:: distributions are not).
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  bool percent(unsigned p) { return below(100) < p; }
  template <class T>
  const T& pick(const std::vector<T>& v) { return v[below(v.size())]; }
};

// Base-32 text of n, `width` characters: IDs in Wrike's alphabet (upper-case letters, digits).
std::string b32(std::size_t n, int width) {
  static constexpr char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string s(static_cast<std::size_t>(width), 'A');
  for (int i = width - 1; i >= 0; --i, n /= 32) s[static_cast<std::size_t>(i)] = digits[n % 32];
  return s;
}

std::string space_id(std::size_t i) { return "IEAAAAAAI4" + b32(i, 6); }
std::string project_id(std::size_t i) { return "IEAAAAAAI5" + b32(i, 6); }
std::string folder_id(std::size_t i) { return "IEAAAAAAI6" + b32(i, 6); }
std::string task_id(std::size_t i) { return "IEAAAAAAKQ" + b32(i, 6); }
std::string contact_id(std::size_t i) { return "KUAB" + b32(i, 4); }
std::string field_id(std::size_t i) { return "IEAAAAAAJUAAAA" + b32(i, 2); }
std::string status_id(std::size_t i) { return "IEAAAAAAJMAAAA" + b32(i, 2); }

// Custom fields: index into the definitions.
enum Field : std::size_t {
  kStoryPoints, kBudget, kNotes, kPriority, kReviewDate, kApproved, kReviewers, kTeam,  // general
  kCascadeId, kMetric, kMetricTarget, kFieldCount
};
constexpr std::size_t kGeneralFields = kTeam + 1;

// Custom statuses of the one task workflow.
enum Status : std::size_t { kActive, kCompleted, kDeferred, kCancelled, kInReview, kBlocked, kStatusCount };

const std::vector<std::string> kVerbs{"Draft", "Review", "Ship", "Plan", "Migrate", "Audit", "Design", "Test",
                                      "Launch", "Document", "Refactor", "Measure", "Prepare", "Update", "Analyse"};
const std::vector<std::string> kNouns{"onboarding flow", "billing service", "Q3 roadmap", "customer survey",
                                      "release notes", "data pipeline", "pricing page", "support playbook",
                                      "security review", "mobile app", "partner portal", "hiring plan"};
const std::vector<std::string> kSuffixes{"for EMEA", "v2", "(phase 2)", "before launch", "with Finance",
                                         "\u2014 follow-up", "& QA", "for the board"};
const std::vector<std::string> kFirst{"Ana", "Ben", "Chloé", "Dmitri", "Eve", "Farid", "Grace", "Hiro",
                                      "Ines", "Jon", "Kira", "Luis", "Mia", "Noah", "Olga", "Priya"};
const std::vector<std::string> kLast{"Smith", "Okafor", "Müller", "Tanaka", "Silva", "Novak", "Khan", "Larsen",
                                     "Moreau", "Rossi", "Kowalski", "Haddad", "Berg"};
const std::vector<std::string> kPriorities{"P0", "P1", "P2", "P3"};
const std::vector<std::string> kTeams{"Platform", "Growth", "Payments", "Mobile", "Data", "Design", "Support"};

std::string title(Rng& r, const std::string& prefix, std::size_t n) {
  return r.pick(kVerbs) + " " + r.pick(kNouns) + " " + r.pick(kSuffixes) + " " + prefix + std::to_string(n);
}

// Wrike-style description HTML: paragraphs, a list, entities, a link; 1-4 blocks.
std::string description(Rng& r, std::size_t n) {
  std::string h;
  const std::size_t blocks = 1 + r.below(4);
  for (std::size_t b = 0; b < blocks; ++b) {
    h += "<p>Context for <b>" + r.pick(kNouns) + "</b>: owner &amp; reviewers agreed on the scope; see the "
         "<a href=\"https://example.com/docs/" + std::to_string(n) + "/" + std::to_string(b) + "\">spec</a>.</p>";
    h += "<ul><li>Collect inputs from " + r.pick(kTeams) + "</li><li>" + r.pick(kVerbs) +
         " the draft</li><li>Sign-off &lt;by Friday&gt;&nbsp;&#8212; " + r.pick(kFirst) + "</li></ul>";
    if (r.percent(50)) h += "<div>Notes:<br>  budget   is &quot;tight&quot;<br/>timeline &#x2714; agreed</div>";
  }
  return h;
}

std::chrono::sys_days base_day() { return std::chrono::sys_days(std::chrono::year{2024} / 1 / 1); }

wrike::Timestamp timestamp(Rng& r) {
  return std::chrono::sys_seconds(base_day()) + std::chrono::days(r.below(600)) + std::chrono::seconds(r.below(86400));
}

wrike::Date date(Rng& r, std::size_t range = 700) {
  return wrike::Date(base_day() + std::chrono::days(r.below(range)));
}

wrike::CustomFieldValue cf(std::size_t field, std::string value) {
  wrike::CustomFieldValue v;
  v.id = wrike::CustomFieldId(field_id(field));
  v.value = std::move(value);
  return v;
}

struct Input {
  std::size_t task_count = 0, project_count = 0;
  map::WrikeInput in;
  wrike::CustomFieldIndex index;
  std::vector<wrike::Workflow> workflows;
  std::string config_text;
};

std::vector<wrike::CustomField> field_definitions() {
  using T = wrike::CustomFieldType;
  struct Def {
    Field f;
    const char* title;
    T type;
  };
  const Def defs[] = {
      {kStoryPoints, "Story Points", T::Numeric}, {kBudget, "Budget", T::Currency},
      {kNotes, "Notes", T::Text},                 {kPriority, "Priority Level", T::DropDown},
      {kReviewDate, "Review Date", T::Date},      {kApproved, "Approved", T::Checkbox},
      {kReviewers, "Reviewers", T::Contacts},     {kTeam, "Team", T::DropDown},
      {kCascadeId, "Cascade ID", T::Text},        {kMetric, "Metric", T::Numeric},
      {kMetricTarget, "Metric Target", T::Numeric},
  };
  std::vector<wrike::CustomField> out;
  for (const auto& d : defs) {
    wrike::CustomField c;
    c.id = wrike::CustomFieldId(field_id(d.f));
    c.title = d.title;
    c.type = d.type;
    wrike::CustomFieldSettings s;
    if (d.type == T::Currency) s.currency = "USD", s.decimal_places = 2;
    if (d.f == kPriority) s.values = kPriorities;
    if (d.f == kTeam) s.values = kTeams;
    c.settings = std::move(s);
    out.push_back(std::move(c));
  }
  return out;
}

// The general custom field values of a task or project: `count` of the 8, in a random order.
void general_values(Rng& r, std::vector<wrike::CustomFieldValue>& out, std::size_t count, std::size_t contacts,
                    std::size_t n) {
  std::vector<std::size_t> order(kGeneralFields);
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[r.below(i)]);
  for (std::size_t k = 0; k < count && k < order.size(); ++k) {
    switch (static_cast<Field>(order[k])) {
      case kStoryPoints: out.push_back(cf(kStoryPoints, std::to_string(1 + r.below(13)))); break;
      case kBudget: out.push_back(cf(kBudget, std::to_string(500 + r.below(20000)) + ".50")); break;
      case kNotes: out.push_back(cf(kNotes, "<b>Note</b> for item " + std::to_string(n) + ": check with " + r.pick(kTeams))); break;
      case kPriority: out.push_back(cf(kPriority, r.pick(kPriorities))); break;
      case kReviewDate: out.push_back(cf(kReviewDate, wrike::format_date(date(r)))); break;
      case kApproved: out.push_back(cf(kApproved, r.percent(60) ? "true" : "false")); break;
      case kReviewers: {
        std::string ids = contact_id(r.below(contacts));
        if (r.percent(40)) ids += "," + contact_id(r.below(contacts));
        out.push_back(cf(kReviewers, std::move(ids)));
        break;
      }
      case kTeam: out.push_back(cf(kTeam, r.pick(kTeams))); break;
      default: break;
    }
  }
}

void build_input(Input& x, std::size_t tasks, std::size_t projects, std::uint64_t seed) {
  Rng r{seed};
  x.task_count = tasks;
  x.project_count = projects;
  constexpr std::size_t kSpaces = 10, kContacts = 200;

  // Custom fields and the task workflow.
  x.index = wrike::CustomFieldIndex(field_definitions());
  x.in.custom_fields = &x.index;
  {
    wrike::Workflow w;
    w.id = wrike::WorkflowId("IEAAAAAAK4AAAAAA");
    w.name = "Default Workflow";
    w.standard = true;
    const std::pair<const char*, wrike::TaskStatus> statuses[kStatusCount] = {
        {"Active", wrike::TaskStatus::Active},       {"Completed", wrike::TaskStatus::Completed},
        {"Deferred", wrike::TaskStatus::Deferred},   {"Cancelled", wrike::TaskStatus::Cancelled},
        {"In Review", wrike::TaskStatus::Active},    {"Blocked", wrike::TaskStatus::Active}};
    std::vector<wrike::CustomStatus> list;
    for (std::size_t i = 0; i < kStatusCount; ++i) {
      wrike::CustomStatus s;
      s.id = wrike::CustomStatusId(status_id(i));
      s.name = statuses[i].first;
      s.group = statuses[i].second;
      s.standard = i < kInReview;
      list.push_back(std::move(s));
    }
    w.custom_statuses = std::move(list);
    x.workflows.push_back(std::move(w));
  }

  // Contacts: most with a primary email (mixed case), some only in a profile, a few with none.
  std::vector<std::string> emails(kContacts);
  for (std::size_t c = 0; c < kContacts; ++c) {
    wrike::Contact k;
    k.id = wrike::ContactId(contact_id(c));
    k.first_name = kFirst[c % kFirst.size()];
    k.last_name = kLast[(c / kFirst.size()) % kLast.size()];
    k.type = wrike::ContactType::Person;
    const std::string email = "Person" + std::to_string(c) + "." + *k.last_name + "@Example.com";
    if (c % 20 == 7) {
      // no email at all
    } else if (c % 10 == 3) {
      wrike::ContactProfile p;
      p.account_id = wrike::AccountId("IEAAAAAA");
      p.email = email;
      p.role = "User";
      k.profiles = std::vector<wrike::ContactProfile>{p};
      emails[c] = email;
    } else {
      k.primary_email = email;
      emails[c] = email;
    }
    x.in.contacts.push_back(std::move(k));
  }

  // Projects: evenly over the spaces; ~15% nested under an earlier project of the same space;
  // ~30% with a plain subfolder holding some of their tasks.
  std::vector<std::vector<std::size_t>> by_space(kSpaces);
  std::vector<std::string> subfolder(projects);
  const wrike::ProjectStatus kProjectStatuses[] = {wrike::ProjectStatus::Green, wrike::ProjectStatus::Green,
                                                   wrike::ProjectStatus::Green, wrike::ProjectStatus::Yellow,
                                                   wrike::ProjectStatus::Red, wrike::ProjectStatus::Completed,
                                                   wrike::ProjectStatus::OnHold};
  for (std::size_t p = 0; p < projects; ++p) {
    map::ProjectInput pi;
    const std::size_t s = p % kSpaces;
    pi.space = wrike::SpaceId(space_id(s));
    if (!by_space[s].empty() && r.percent(15))
      pi.parent_project = wrike::FolderId(project_id(by_space[s][r.below(by_space[s].size())]));
    by_space[s].push_back(p);
    auto& f = pi.folder;
    f.id = wrike::FolderId(project_id(p));
    f.account_id = wrike::AccountId("IEAAAAAA");
    f.title = title(r, "P", p);
    f.created_date = timestamp(r);
    f.updated_date = timestamp(r);
    f.description = description(r, p);
    f.parent_ids = std::vector<wrike::FolderId>{pi.parent_project ? *pi.parent_project : wrike::FolderId(space_id(s))};
    f.scope = wrike::Scope::WsFolder;
    f.permalink = "https://www.wrike.com/open.htm?id=" + std::to_string(900000000 + p);
    f.workflow_id = x.workflows.front().id;
    wrike::ProjectInfo info;
    info.author_id = wrike::ContactId(contact_id(r.below(kContacts)));
    std::vector<wrike::ContactId> owners{wrike::ContactId(contact_id(r.below(kContacts)))};
    if (r.percent(30)) owners.emplace_back(contact_id(r.below(kContacts)));
    info.owner_ids = std::move(owners);
    info.status = r.percent(2) ? wrike::ProjectStatus::Cancelled : kProjectStatuses[r.below(std::size(kProjectStatuses))];
    const std::size_t dates = r.below(100);
    if (dates >= 2) info.start_date = date(r, 500);           // 2%: no dates (created date used)
    if (dates >= 5) info.end_date = wrike::Date(std::chrono::sys_days(*info.start_date) + std::chrono::days(30 + r.below(300)));  // 3%: no end
    info.created_date = f.created_date;
    f.project = std::move(info);
    std::vector<wrike::CustomFieldValue> values;
    general_values(r, values, 2 + r.below(3), kContacts, p);
    if (p % 5 == 0)  // a Cascade ID written by hand, as a URL (unique: 1,000,000 + p)
      values.push_back(cf(kCascadeId, "https://app.cascade.app/goals/" + std::to_string(1000000 + p) + "/"));
    f.custom_fields = std::move(values);
    if (r.percent(30)) {
      subfolder[p] = folder_id(p);
      x.in.folder_to_project[subfolder[p]] = f.id.str();
    }
    x.in.projects.push_back(std::move(pi));
  }

  // Tasks: `tasks` spread evenly over the projects.
  x.in.tasks.reserve(tasks);
  const std::size_t per = tasks / projects, extra = tasks % projects;
  std::size_t n = 0;
  for (std::size_t p = 0; p < projects; ++p) {
    const std::size_t count = per + (p < extra ? 1 : 0);
    const std::size_t first = n;
    for (std::size_t k = 0; k < count; ++k, ++n) {
      wrike::Task t;
      t.id = wrike::TaskId(task_id(n));
      t.account_id = wrike::AccountId("IEAAAAAA");
      t.title = title(r, "#", n);
      if (r.percent(90)) t.description = description(r, n);
      const bool sub = k > 0 && r.percent(15);
      if (sub) {
        const std::size_t parent = first + r.below(k);
        t.super_task_ids = std::vector<wrike::TaskId>{wrike::TaskId(task_id(parent))};
        // Half the subtasks are in no folder of their own (their project comes from the parent).
        if (r.percent(50)) t.parent_ids = std::vector<wrike::FolderId>{};
        else t.parent_ids = std::vector<wrike::FolderId>{wrike::FolderId(project_id(p))};
      } else if (!subfolder[p].empty() && r.percent(30)) {
        t.parent_ids = std::vector<wrike::FolderId>{wrike::FolderId(subfolder[p])};
        t.super_parent_ids = std::vector<wrike::FolderId>{wrike::FolderId(project_id(p))};
      } else {
        t.parent_ids = std::vector<wrike::FolderId>{wrike::FolderId(project_id(p))};
      }
      const std::size_t roll = r.below(100);
      Status st = roll < 2 ? kCancelled : roll < 32 ? kCompleted : roll < 37 ? kDeferred : roll < 50 ? kInReview
                  : roll < 53 ? kBlocked : kActive;
      const wrike::TaskStatus group[kStatusCount] = {wrike::TaskStatus::Active, wrike::TaskStatus::Completed,
                                                     wrike::TaskStatus::Deferred, wrike::TaskStatus::Cancelled,
                                                     wrike::TaskStatus::Active, wrike::TaskStatus::Active};
      t.status = group[st];
      t.custom_status_id = wrike::CustomStatusId(status_id(st));
      t.importance = r.percent(20) ? wrike::Importance::High : wrike::Importance::Normal;
      t.created_date = timestamp(r);
      t.updated_date = timestamp(r);
      if (st == kCompleted) t.completed_date = t.updated_date;
      std::vector<wrike::ContactId> who;
      const std::size_t assignees = r.below(10) == 0 ? 0 : 1 + r.below(3);
      for (std::size_t a = 0; a < assignees; ++a) who.emplace_back(contact_id(r.below(kContacts)));
      t.responsible_ids = std::move(who);
      t.author_ids = std::vector<wrike::ContactId>{wrike::ContactId(contact_id(r.below(kContacts)))};
      wrike::TaskDates d;
      const std::size_t kind = r.below(100);
      const auto day = std::chrono::local_days(std::chrono::sys_days(date(r)).time_since_epoch());
      if (kind < 8) {
        d.type = wrike::TaskDatesType::Milestone;
        d.due = day + 17h;
      } else if (kind < 78) {
        d.type = wrike::TaskDatesType::Planned;
        d.start = day + 9h;
        d.due = day + std::chrono::days(r.below(20)) + 17h;
        d.duration = std::chrono::minutes(480 * (1 + r.below(10)));
        d.work_on_weekends = false;
      } else {
        d.type = wrike::TaskDatesType::Backlog;
      }
      t.dates = std::move(d);
      t.scope = wrike::Scope::WsTask;
      t.permalink = "https://www.wrike.com/open.htm?id=" + std::to_string(1000000000 + n);
      t.priority = "09af9000" + b32(n * 7919, 16);
      std::vector<wrike::CustomFieldValue> values;
      general_values(r, values, 6 + r.below(3), kContacts, n);
      if (r.percent(10)) values.push_back(cf(kCascadeId, std::to_string(2000000 + n)));  // unique
      if (r.percent(5)) {
        values.push_back(cf(kMetric, std::to_string(r.below(1000))));
        if (r.percent(80)) values.push_back(cf(kMetricTarget, std::to_string(1000 + r.below(1000))));
      }
      t.custom_fields = std::move(values);
      x.in.tasks.push_back(std::move(t));
    }
  }

  // The config: Classic, placement per space, status tables, custom field maps, the task measure
  // rule and an owners directory with ~90% of the emails (roles), two overrides by contact ID.
  std::string c;
  c += "// mapping_bench: a Classic mapping of " + group(projects) + " projects in " + std::to_string(kSpaces) +
       " spaces.\n{\n";
  c += "  \"wrike\": {\n    \"spaces\": [";
  for (std::size_t s = 0; s < kSpaces; ++s) c += (s ? ", \"" : "\"") + space_id(s) + "\"";
  c += "],\n    \"cascade_id_field\": \"Cascade ID\",  // links by hand\n  },\n";
  c += "  \"cascade\": { \"target\": \"classic\" },\n";
  c += "  \"placement\": {\n    \"default\": { \"focus_area\": 1 },\n    \"spaces\": {\n";
  for (std::size_t s = 0; s < kSpaces; ++s) {
    c += "      \"" + space_id(s) + "\": ";
    c += s < 7 ? "{ \"focus_area\": " + std::to_string(10 + s) + " },\n"
               : "{ \"parent_objective\": " + std::to_string(9000 + s) + " },\n";
  }
  c += "    },\n    \"nest_subprojects\": true,\n  },\n";
  c += R"(  "objectives": {
    "action_verb": "Deliver",
    "weight": 3,
    "default_days": 90,
    "custom_fields": { "Budget": "budget", "Team": "team", "Priority Level": "priority" },
  },
  "actions": {
    "description": "text",
    "subtasks": "actions",
    /* every field; Classic cannot take custom fields, so they are counted as limits */
    "custom_fields": {
      "Story Points": "story_points", "Notes": "notes", "Priority Level": "priority",
      "Review Date": "review_date", "Approved": "approved", "Reviewers": "reviewers", "Team": "team",
    },
  },
  "status": {
    "projects": { "OnHold": { "goal_status": "DRAFT" }, "Red": { "health": "off_track", "goal_status": "APPRO" } },
    "tasks": {
      "Deferred": { "complete": false, "progress": 0 },
      "custom": { "In Review": { "complete": false, "progress": 80 } },
    },
  },
  "measures": [
    { "from": "tasks", "value_field": "Metric", "target_field": "Metric Target", "initial": 0,
      "direction": "up", "action_verb": "Track" },
  ],
  "owners": {
    "directory": {
)";
  for (std::size_t k = 0; k < kContacts; ++k)
    if (!emails[k].empty() && k % 10 != 9)
      c += "      \"" + emails[k] + "\": { \"role\": " + std::to_string(100 + k % 40) + " },\n";
  c += "    },\n    \"overrides\": {\n";
  c += "      \"" + contact_id(1) + "\": { \"role\": 7 },\n      \"" + contact_id(2) + "\": { \"role\": 8 },\n";
  c += "    },\n  },\n  \"orphans\": \"keep\",\n}\n";
  x.config_text = std::move(c);
}

// ---- one size -------------------------------------------------------------------------------

// What a run at one size sends back to the parent (trivially copyable: it goes through a pipe).
struct Summary {
  std::size_t tasks = 0, projects = 0, items = 0, renamed = 0;
  enum { kConfig, kMap, kMapFull, kPlanCreate, kApply, kPlanNoop, kMapRenamed, kPlanUpdate, kPhases };
  double best_cpu[kPhases]{};
  long rss_before = 0, rss_input = 0, rss_end = 0;
  bool counts_ok = false;
};

const char* const kPhaseNames[Summary::kPhases] = {
    "config parse + resolve", "map_to_cascade",           "map (every field)",        "make_plan: first run",
    "apply_to_state",
    "make_plan: no changes",  "map_to_cascade (renamed)", "make_plan: 1% renamed"};

// The measured calls go through these three, never inlined or merged (noipa), so that a profiler finds each phase
// by name (benchmarks/mapping_model.sh counts their instructions, cache misses and branch
// mispredictions).
[[gnu::noipa]] map::DesiredState phase_map(const map::MappingConfig& cfg, const map::WrikeInput& in) {
  static const map::Capabilities classic = map::Capabilities::classic();
  return map::map_to_cascade(cfg, in, classic);
}
[[gnu::noipa]] map::DesiredState phase_map_full(const map::MappingConfig& cfg, const map::WrikeInput& in) {
  return map::map_to_cascade(cfg, in);
}
// The plans are given the desired state, as the sync app gives it (make_plan(DesiredState&&)).
[[gnu::noipa]] map::Plan phase_plan_create(map::DesiredState&& d, const map::LinkState& l,
                                              const map::ObservedState& o, const map::PlanOptions& opt) {
  return map::make_plan(std::move(d), l, o, opt);
}
[[gnu::noipa]] map::Plan phase_plan_linked(map::DesiredState&& d, const map::LinkState& l,
                                              const map::ObservedState& o, const map::PlanOptions& opt) {
  return map::make_plan(std::move(d), l, o, opt);
}

struct Row {
  const char* name;
  std::size_t items;
  Stats t;
  long peak_kb, growth_kb;
};

void print_table(const std::vector<Row>& rows) {
  std::printf("%-26s %7s %9s %8s %9s %8s %10s %7s %7s %9s %7s %7s\n", "phase", "items", "cpu best", "cpu med",
              "wall best", "wall med", "items/s", "allocs", "faults", "peak RSS", "+peak", "+peak");
  std::printf("%-26s %7s %9s %8s %9s %8s %10s %7s %7s %9s %7s %7s\n", "", "", "ms", "ms", "ms", "ms", "(cpu best)",
              "/item", "/item", "MB", "MB", "B/item");
  for (const auto& r : rows) {
    const double n = static_cast<double>(r.items);
    // The config row is one config, not items: its rate and bytes per item mean nothing.
    const bool per_item = r.items > 1;
    char rate[32] = "-", bytes[32] = "-";
    if (per_item && r.t.best_cpu > 0) std::snprintf(rate, sizeof rate, "%s", group(static_cast<std::size_t>(n / r.t.best_cpu)).c_str());
    if (per_item) std::snprintf(bytes, sizeof bytes, "%.0f", static_cast<double>(r.growth_kb) * 1024 / n);
    std::printf("%-26s %7s %9.1f %8.1f %9.1f %8.1f %10s %7.1f %7.2f %9.1f %7.1f %7s\n", r.name, group(r.items).c_str(),
                r.t.best_cpu * 1e3, r.t.median_cpu * 1e3, r.t.best_wall * 1e3, r.t.median_wall * 1e3, rate,
                static_cast<double>(r.t.allocations) / n, static_cast<double>(r.t.faults) / n,
                static_cast<double>(r.peak_kb) / 1024,
                static_cast<double>(r.growth_kb) / 1024, bytes);
  }
}

Summary run_size(std::size_t tasks, std::size_t projects, int repeats, std::uint64_t seed) {
  Summary sum;
  sum.tasks = tasks;
  sum.projects = projects;
  sum.rss_before = peak_rss_kb();

  Input x;
  const Sample built = measure([&] { build_input(x, tasks, projects, seed); });
  sum.rss_input = peak_rss_kb();
  std::printf("\n== %s tasks in %s projects (10 spaces), %d repeats, seed %llu ==\n", group(tasks).c_str(),
              group(projects).c_str(), repeats, static_cast<unsigned long long>(seed));
  std::printf("input built in %.0f ms; peak RSS %.1f MB before it, %.1f MB after (+%.1f MB, %.0f B per task; "
              "config %zu bytes of JSONC)\n",
              built.wall_s * 1e3, sum.rss_before / 1024.0, sum.rss_input / 1024.0,
              (sum.rss_input - sum.rss_before) / 1024.0,
              static_cast<double>(sum.rss_input - sum.rss_before) * 1024 / static_cast<double>(tasks),
              x.config_text.size());

  std::vector<Row> rows;
  long last_peak = sum.rss_input;
  auto record = [&](int phase, std::size_t items, const std::vector<Sample>& samples) {
    const long peak = peak_rss_kb();
    rows.push_back({kPhaseNames[phase], items, stats(samples), peak, peak - last_peak});
    sum.best_cpu[phase] = rows.back().t.best_cpu;
    last_peak = peak;
  };
  // `repeats` runs of `run`, each after `reset` (which frees the previous result, so the peak
  // holds one), and only `run` measured.
  auto repeat = [&](auto reset, auto run) {
    std::vector<Sample> samples;
    for (int i = 0; i < repeats; ++i) {
      reset();
      samples.push_back(measure(run));
    }
    return samples;
  };

  // config parse + resolve
  map::MappingConfig cfg;
  auto samples = repeat([] {}, [&] {
    cfg = map::MappingConfig::parse(x.config_text, "bench.jsonc");
    cfg.resolve(x.index, x.workflows);
  });
  record(Summary::kConfig, 1, samples);

  // map_to_cascade
  map::DesiredState desired;
  auto map_all = [&] { return repeat([&] { desired = {}; }, [&] { desired = phase_map(cfg, x.in); }); };
  samples = map_all();
  const std::size_t items = desired.items.size();
  sum.items = items;
  record(Summary::kMap, items, samples);
  // What the checks and the renaming need from the mapping; then it is freed.
  std::unordered_set<std::string> mapped;
  std::size_t measures = 0, objectives = 0;
  for (const auto& it : desired.items) {
    if (it.kind == map::ItemKind::Objective) ++objectives;
    else mapped.insert(it.key);
    measures += it.kind == map::ItemKind::Measure;
  }
  desired = {};
  // The whole mapping, every field made, for comparison.
  record(Summary::kMapFull, items, repeat([&] { desired = {}; }, [&] { desired = phase_map_full(cfg, x.in); }));
  desired = {};
  // Each plan gets a fresh mapping (made outside the measured time) and takes it over, as the
  // sync app's plan command does; the previous one and its plan are freed first, so at most one
  // mapping and one plan are alive.
  map::DesiredState work;
  map::Plan plan;
  map::PlanOptions options;  // the defaults: Classic, orphans kept
  options.capabilities = map::Capabilities::classic();
  options.orphans = map::OrphanPolicy::Keep;
  auto fresh = [&] {
    plan = {};
    work = {};
    work = map::map_to_cascade(cfg, x.in, options.capabilities);
  };

  // make_plan, first run: no links, and Cascade listed in full and empty, so even the items that
  // carry a Cascade ID are creates.
  map::LinkState no_links;
  map::ObservedState empty;
  empty.complete = true;
  record(Summary::kPlanCreate, items,
         repeat(fresh, [&] { plan = phase_plan_create(std::move(work), no_links, empty, options); }));
  const auto s1 = plan.summary();
  const std::string line1 = map::summary_line(plan);
  // The first plan from the whole mapping says the same: the same ops, warnings and limits
  // (checked at the end, so that the peaks above hold one mapping at a time).
  bool same_as_full = false;
  auto check_same_as_full = [&] {
    plan = {};
    work = {};
    const map::Plan lean_plan = map::make_plan(map::map_to_cascade(cfg, x.in, options.capabilities), no_links,
                                                  empty, options);
    const map::Plan from_full = map::make_plan(map::map_to_cascade(cfg, x.in), no_links, empty, options);
    auto limits_of = [](const map::Plan& p) {
      std::vector<std::tuple<map::ItemKind, std::string, std::size_t, std::string>> out;
      for (const auto& l : p.limits) out.emplace_back(l.kind, l.field, l.items, l.reason);
      return out;
    };
    same_as_full = from_full.ops.size() == lean_plan.ops.size() && from_full.warnings == lean_plan.warnings &&
                   limits_of(from_full) == limits_of(lean_plan);
    for (std::size_t i = 0; same_as_full && i < lean_plan.ops.size(); ++i)
      same_as_full = from_full.ops[i].key == lean_plan.ops[i].key && from_full.ops[i].fields == lean_plan.ops[i].fields &&
                     from_full.ops[i].fingerprint == lean_plan.ops[i].fingerprint;
  };

  // apply_to_state: every create becomes a link and an observed item.
  map::LinkState links;
  map::ObservedState observed;
  std::uint64_t next_id = 0;
  samples = repeat(
      [&] {
        links = {};
        observed = {};
        observed.complete = true;
        next_id = 10000000;
      },
      [&] {
        map::apply_to_state(plan, options.capabilities, links, observed,
                            [&](map::ItemKind) { return std::to_string(next_id++); });
      });
  record(Summary::kApply, items, samples);
  plan = {};

  // make_plan with every item linked and unchanged.
  auto plan_linked = [&] {
    return repeat(fresh, [&] { plan = phase_plan_linked(std::move(work), links, observed, options); });
  };
  record(Summary::kPlanNoop, items, plan_linked());
  const auto s2 = plan.summary();
  const std::string line2 = map::summary_line(plan);
  const std::size_t warnings = plan.warnings.size();
  std::size_t limited = 0;
  for (const auto& l : plan.limits) limited += l.items;
  plan = {};
  work = {};  // what the last plan left of it

  // Rename 1% of the tasks, spread evenly over the ones the mapping keeps, then map and plan again.
  std::vector<std::size_t> candidates;
  for (std::size_t i = 0; i < x.in.tasks.size(); ++i)
    if (mapped.count(x.in.tasks[i].id.str())) candidates.push_back(i);
  const std::size_t want = std::min(candidates.size(), std::max<std::size_t>(1, tasks / 100));
  std::size_t renamed = 0;
  for (std::size_t k = 0; k < want; ++k, ++renamed)
    x.in.tasks[candidates[k * candidates.size() / want]].title += " (renamed)";
  sum.renamed = renamed;
  samples = map_all();
  const std::size_t renamed_items = desired.items.size();
  desired = {};
  record(Summary::kMapRenamed, renamed_items, samples);
  record(Summary::kPlanUpdate, renamed_items, plan_linked());
  const auto s3 = plan.summary();
  const std::string line3 = map::summary_line(plan);
  sum.rss_end = peak_rss_kb();
  check_same_as_full();

  print_table(rows);

  const double first = sum.best_cpu[Summary::kMap] + sum.best_cpu[Summary::kPlanCreate];
  const double steady = sum.best_cpu[Summary::kMap] + sum.best_cpu[Summary::kPlanNoop];
  const double change = sum.best_cpu[Summary::kMapRenamed] + sum.best_cpu[Summary::kPlanUpdate];
  std::printf("items: %s (%s objectives, %s measures, %s actions); %zu warnings; %s field values Classic cannot take\n",
              group(items).c_str(), group(objectives).c_str(), group(measures).c_str(),
              group(items - objectives - measures).c_str(), warnings, group(limited).c_str());
  std::printf("map + plan, CPU (best): first run %.0f ms, no changes %.0f ms, 1%% renamed %.0f ms; "
              "goal for 100,000 tasks: well under 1,000 ms\n",
              first * 1e3, steady * 1e3, change * 1e3);
  std::printf("peak RSS growth over the input: %.1f MB = %.0f B per desired item (input itself: %.0f B per task)\n",
              (sum.rss_end - sum.rss_input) / 1024.0,
              static_cast<double>(sum.rss_end - sum.rss_input) * 1024 / static_cast<double>(items),
              static_cast<double>(sum.rss_input - sum.rss_before) * 1024 / static_cast<double>(tasks));

  const bool c1 = s1.create == items && s1.changes() == items && s1.blocked == 0 && same_as_full;
  const bool c2 = s2.noop == items && s2.changes() == 0 && s2.blocked == 0;
  const bool c3 = s3.update == renamed && s3.noop == renamed_items - renamed && s3.create == 0 &&
                  s3.move == 0 && s3.blocked == 0 && renamed == std::max<std::size_t>(1, tasks / 100);
  std::printf("checks: first plan %s create / %s items, %s the plan of the whole mapping %s; second %s no-op / "
              "%s items %s; third %s update / %s renamed (%s no-op) %s\n",
              group(s1.create).c_str(), group(items).c_str(), same_as_full ? "same as" : "NOT the same as",
              c1 ? "ok" : "WRONG", group(s2.noop).c_str(),
              group(items).c_str(), c2 ? "ok" : "WRONG", group(s3.update).c_str(), group(renamed).c_str(),
              group(s3.noop).c_str(), c3 ? "ok" : "WRONG");
  if (!c1 || !c2 || !c3)
    std::printf("  first plan: %s\n  second plan: %s\n  third plan: %s\n", line1.c_str(), line2.c_str(),
                line3.c_str());
  sum.counts_ok = c1 && c2 && c3;
  std::fflush(stdout);
  return sum;
}

// Runs one size in a child process (its own peak RSS); false when the child failed.
bool run_forked(std::size_t tasks, std::size_t projects, int repeats, std::uint64_t seed, Summary& out) {
  int fds[2];
  if (pipe(fds) != 0) {
    std::perror("mapping_bench: pipe");
    return false;
  }
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = fork();
  if (pid < 0) {
    std::perror("mapping_bench: fork");
    return false;
  }
  if (pid == 0) {
    close(fds[0]);
    int code = 1;
    try {
      Summary s = run_size(tasks, projects, repeats, seed);
      const char* p = reinterpret_cast<const char*>(&s);
      std::size_t left = sizeof s;
      while (left > 0) {
        const ssize_t w = write(fds[1], p, left);
        if (w <= 0) break;
        p += w;
        left -= static_cast<std::size_t>(w);
      }
      code = s.counts_ok ? 0 : 1;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "mapping_bench: %s\n", e.what());
    }
    std::fflush(stdout);
    std::fflush(stderr);
    _exit(code);
  }
  close(fds[1]);
  std::size_t got = 0;
  char* p = reinterpret_cast<char*>(&out);
  while (got < sizeof out) {
    const ssize_t n = read(fds[0], p + got, sizeof out - got);
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return got == sizeof out && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

void print_ratios(const Summary& a, const Summary& b) {
  const double k = static_cast<double>(b.tasks) / static_cast<double>(a.tasks);
  std::printf("\n== scaling: %s -> %s tasks (x%.0f input), best CPU and peak RSS growth ==\n", group(a.tasks).c_str(),
              group(b.tasks).c_str(), k);
  std::printf("%-34s %12s %12s %8s\n", "", group(a.tasks).c_str(), group(b.tasks).c_str(), "ratio");
  auto row = [](const char* name, double x, double y, const char* fmt) {
    std::printf("%-34s ", name);
    std::printf(fmt, x);
    std::printf(" ");
    std::printf(fmt, y);
    std::printf(" %8.2f\n", x > 0 ? y / x : 0.0);
  };
  row("desired items", static_cast<double>(a.items), static_cast<double>(b.items), "%12.0f");
  for (int p = Summary::kMap; p < Summary::kPhases; ++p)
    row((std::string(kPhaseNames[p]) + ", ms").c_str(), a.best_cpu[p] * 1e3, b.best_cpu[p] * 1e3, "%12.1f");
  auto total = [](const Summary& s) { return (s.best_cpu[Summary::kMap] + s.best_cpu[Summary::kPlanNoop]) * 1e3; };
  row("map + plan (no changes), ms", total(a), total(b), "%12.1f");
  row("peak RSS growth: input, MB", (a.rss_input - a.rss_before) / 1024.0, (b.rss_input - b.rss_before) / 1024.0,
      "%12.1f");
  row("peak RSS growth: phases, MB", (a.rss_end - a.rss_input) / 1024.0, (b.rss_end - b.rss_input) / 1024.0, "%12.1f");
  row("phases' growth per item, B", static_cast<double>(a.rss_end - a.rss_input) * 1024 / static_cast<double>(a.items),
      static_cast<double>(b.rss_end - b.rss_input) * 1024 / static_cast<double>(b.items), "%12.0f");
  std::printf("(a ratio near %.0f is linear; per-item bytes near 1.0x mean memory proportional to the input)\n", k);
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t tasks = 100000, projects = 1000;
  int repeats = 5;
  std::uint64_t seed = 20240611;
  bool quick = false, single = false, repeats_set = false;
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string a = argv[i];
      auto num = [&]() -> unsigned long long {
        if (i + 1 >= argc) throw std::runtime_error(a + ": missing value");
        return std::stoull(argv[++i]);
      };
      if (a == "--tasks") tasks = num();
      else if (a == "--projects") projects = num();
      else if (a == "--repeats") repeats = static_cast<int>(num()), repeats_set = true;
      else if (a == "--seed") seed = num();
      else if (a == "--quick") quick = true;
      else if (a == "--single") single = true;
      else throw std::runtime_error("unknown argument " + a);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr,
                 "mapping_bench: %s\nusage: mapping_bench [--tasks N] [--projects N] [--repeats N] [--seed N] "
                 "[--quick] [--single]\n",
                 e.what());
    return 2;
  }
  if (quick) {
    tasks = std::min<std::size_t>(tasks, 10000);
    projects = std::min<std::size_t>(projects, 100);
    if (!repeats_set) repeats = 3;
  }
  if (tasks < 10 || projects < 1 || projects > tasks || repeats < 1) {
    std::fprintf(stderr, "mapping_bench: need --tasks >= 10, 1 <= --projects <= --tasks, --repeats >= 1\n");
    return 2;
  }
  std::printf("mapping_bench: Wrike -> Cascade Classic mapping and planning, in memory\n");
  if (single) {
    try {
      return run_size(tasks, projects, repeats, seed).counts_ok ? 0 : 1;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "mapping_bench: %s\n", e.what());
      return 1;
    }
  }
  Summary small, large;
  const bool ok_small = run_forked(tasks / 10, std::max<std::size_t>(1, projects / 10), repeats, seed, small);
  const bool ok_large = run_forked(tasks, projects, repeats, seed, large);
  if (ok_small && ok_large) print_ratios(small, large);
  if (!ok_small || !ok_large) std::printf("\nmapping_bench: FAILED (wrong plan counts or an error; see above)\n");
  return ok_small && ok_large ? 0 : 1;
}
