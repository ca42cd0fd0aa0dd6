// The Wrike emulator's data store: deterministic generator, JSON load/save, test mutations.
#include <wrike_cascade/emulator/wrike_store.hpp>
#include <wrike_cascade/ascii.hpp>

#include "wrike_util.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <fstream>
#include <mutex>
#include <shared_mutex>
#include <sstream>
#include <stdexcept>

namespace wrike_cascade::emulator {

namespace json = boost::json;
using namespace detail;

// ---- WrikeData ----------------------------------------------------------------------------

namespace {

void index_of(const std::vector<json::object>& v, std::unordered_map<std::string, std::size_t>& m) {
  m.clear();
  m.reserve(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) m.emplace(std::string(str(v[i], "id")), i);
}

}  // namespace

TaskSummary TaskSummary::of(const json::object& t) {
  TaskSummary s;
  s.id = str(t, "id");
  s.scope = str(t, "scope");
  s.title = str(t, "title");
  s.status = str(t, "status");
  s.importance = str(t, "importance");
  s.created_date = str(t, "createdDate");
  s.updated_date = str(t, "updatedDate");
  s.completed_date = str(t, "completedDate");
  if (const auto* d = obj(t, "dates")) {
    s.dates_type = str(*d, "type");
    s.dates_start = str(*d, "start");
    s.dates_due = str(*d, "due");
  }
  s.permalink = str(t, "permalink");
  s.custom_status_id = str(t, "customStatusId");
  s.custom_item_type_id = str(t, "customItemTypeId");
  const auto* supers = arr(t, "superTaskIds");
  s.subtask = supers && !supers->empty();
  for (auto key : {"parentIds", "superParentIds"})
    if (const auto* a = arr(t, key))
      for (const auto& v : *a)
        if (v.is_string()) s.locations.emplace_back(v.get_string());
  return s;
}

void WrikeData::reindex() {
  task_summaries.clear();
  task_summaries.reserve(tasks.size());
  for (const auto& t : tasks) task_summaries.push_back(TaskSummary::of(t));
  index_of(contacts, contact_index);
  index_of(spaces, space_index);
  index_of(folders, folder_index);
  index_of(tasks, task_index);
  index_of(custom_fields, custom_field_index);
  index_of(workflows, workflow_index);
}

std::string WrikeData::account_id() const { return std::string(str(account, "id")); }

std::string WrikeData::root_folder_id() const {
  auto r = str(account, "rootFolderId");
  return r.empty() ? account_id() + "I7777777" : std::string(r);
}

std::string WrikeData::recycle_bin_id() const {
  auto r = str(account, "recycleBinId");
  return r.empty() ? account_id() + "I7777776" : std::string(r);
}

// ---- generator ----------------------------------------------------------------------------

namespace {

constexpr std::string_view kFirstNames[] = {
    "Olivia", "Liam",  "Amara", "Noah",   "Sofia", "Mateo", "Hana",  "Lucas",  "Priya", "Ethan",
    "Chloe",  "Yusuf", "Ingrid", "Diego", "Mei",   "Tomas", "Zara",  "Kofi",   "Elena", "Ravi"};
constexpr std::string_view kLastNames[] = {
    "Garcia", "Okafor", "Nguyen",  "Schmidt", "Rossi",  "Tanaka", "Kowalski", "Silva",
    "Haddad", "Novak",  "Johnson", "Larsen",  "Mensah", "Ivanova", "Dubois",  "Patel",
    "Moreau", "Kim",    "Fischer", "Lopez"};
constexpr std::string_view kJobTitles[] = {"Project Manager", "Engineer",  "Designer",
                                           "Analyst",         "Marketing Lead", "QA Engineer",
                                           "Account Manager", "Director"};
constexpr std::string_view kTimezones[] = {"US/Pacific", "Europe/London", "Europe/Berlin",
                                           "America/New_York", "Asia/Tokyo"};
constexpr std::string_view kSpaceTitles[] = {"Marketing", "Engineering",      "Operations",
                                             "Sales",     "Customer Success", "Finance",
                                             "People",    "Product"};
constexpr std::string_view kFolderTitles[] = {"Planning", "Research", "Templates", "Backlog",
                                              "Archive",  "Vendors"};
constexpr std::string_view kProjectTitles[] = {
    "Website Relaunch", "Mobile App v2",     "Customer Portal",  "Data Warehouse",
    "Partner Program",  "Annual Conference", "ERP Rollout",      "Support Automation",
    "Brand Refresh",    "Compliance Audit",  "Sales Enablement", "Cloud Migration"};
constexpr std::string_view kVerbs[] = {
    "Draft",   "Review",  "Update",  "Finalize", "Prepare",  "Plan",     "Design",
    "Test",    "Deploy",  "Audit",   "Migrate",  "Document", "Analyze",  "Schedule",
    "Approve", "Refactor", "Publish", "Estimate"};
constexpr std::string_view kObjects[] = {
    "Q3 roadmap",       "vendor contract",   "onboarding checklist", "landing page copy",
    "release notes",    "budget forecast",   "API rate limits",      "customer survey",
    "security review",  "hiring plan",       "data migration",       "support playbook",
    "pricing page",     "OKR scorecard",     "integration tests",    "training deck",
    "SLA report",       "brand guidelines",  "launch email",         "risk register"};
constexpr std::string_view kSubtaskSteps[] = {"collect input", "first pass", "sign-off",
                                              "follow-up",     "check numbers", "share draft"};
constexpr std::string_view kSentences[] = {
    "Coordinate with the stakeholders and capture open questions before the next sync.",
    "Make sure the numbers match last quarter's report and flag any gaps.",
    "Keep the scope small; anything extra goes to the backlog.",
    "Link the relevant documents and note who signs off.",
    "Use the template from the shared drive and keep the formatting consistent.",
    "Check with legal before anything is published externally."};
constexpr std::string_view kNotes[] = {"Needs sign-off from legal", "Blocked on vendor reply",
                                       "Reuse last year's deck", "Customer asked for weekly updates",
                                       "Low risk", "See the kickoff notes"};
constexpr std::string_view kColors[] = {"Green", "Yellow", "Red"};

struct StatusRef {
  std::string id;
  std::string group;
};

struct WorkflowRef {
  std::string id;
  std::vector<StatusRef> statuses;
  bool standard = false;

  const StatusRef& pick(Rng& rng, std::string_view group) const {
    std::vector<const StatusRef*> c;
    for (const auto& s : statuses)
      if (s.group == group) c.push_back(&s);
    return *c[static_cast<std::size_t>(rng.below(static_cast<std::int64_t>(c.size())))];
  }
};

struct CfRef {
  std::string id;
  std::string type;
  std::vector<std::string> options;
  std::string space_id;  // empty: account-wide
};

struct FolderCtx {
  std::string id;
  std::size_t index;      // in WrikeData::folders
  int space;
  const WorkflowRef* workflow;
  std::int64_t created;
  json::array shared;
};

class Generator {
 public:
  explicit Generator(const GeneratorOptions& o) : o_(o), rng_(o.seed ^ 0x5752494B45454D55ull) {}

  WrikeData run() {
    now_ = parse_timestamp(o_.now).value_or(1748865600);  // 2025-06-02T12:00:00Z
    begin_ = now_ - std::max(1, o_.history_days) * 86400ll;
    salt_ = rng_.next();
    acct_ = "IEA" + base32(rng_.next(), 5);

    make_account();
    make_contacts();
    make_workflows();
    make_root();
    make_spaces_and_folders();
    make_custom_fields();  // after spaces: one field is space-scoped
    fill_custom_values();
    d_.reindex();
    return std::move(d_);
  }

 private:
  std::string code(std::uint64_t n, std::uint64_t salt_mix) const {
    return base32(scramble(n, salt_ ^ salt_mix, 30), 6);
  }
  std::string folder_id() {
    const auto n = folder_seq_++;
    if (rng_.percent(o_.new_style_id_percent))
      return "MQAAAAE" + base64ish(scramble(n, salt_ ^ 0x11, 30), 5);
    return acct_ + "I4" + code(n, 0x22);
  }
  std::string task_id() {
    const auto n = task_seq_++;
    if (rng_.percent(o_.new_style_id_percent))
      return "MAAAAAE" + base64ish(scramble(n, salt_ ^ 0x33, 30), 5);
    return acct_ + "KQ" + code(n, 0x44);
  }
  std::string permalink() {
    return "https://www.wrike.com/open.htm?id=" + std::to_string(1400000000 + permalink_seq_++);
  }
  std::string priority(std::size_t folder_index, int i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%08x7fffffffffff%04x",
                  0x09af9000u + static_cast<unsigned>(folder_index),
                  static_cast<unsigned>(0xfff0 - (i % 4000) * 16));
    return buf;
  }
  std::string ts(std::int64_t s) const { return format_timestamp(s); }

  void make_account() {
    auto& a = d_.account;
    a["id"] = acct_;
    a["name"] = o_.account_name;
    a["dateFormat"] = "MM/dd/yyyy";
    a["firstDayOfWeek"] = "Mon";
    a["workDays"] = string_array({"Mon", "Tue", "Wed", "Thu", "Fri"});
    a["rootFolderId"] = acct_ + "I7777777";
    a["recycleBinId"] = acct_ + "I7777776";
    a["createdDate"] = ts(begin_ - 30 * 86400);
    a["joinedDate"] = ts(begin_ - 30 * 86400);
    a["subscription"] = json::object{{"type", "Enterprise"}, {"paid", true}, {"userLimit", 100}};
    a["metadata"] = json::array{};
  }

  void make_contacts() {
    const int n = std::max(1, o_.contacts);
    const int group_at = n >= 4 ? n - 1 : -1;
    const int invitation_at = n >= 6 ? n - 2 : -1;
    const int deleted_at = n >= 8 ? n - 3 : -1;
    for (int i = 0; i < n; ++i) {
      json::object c;
      json::object profile;
      profile["accountId"] = acct_;
      if (i == invitation_at) {
        invitation_ = acct_ + "JE" + code(static_cast<std::uint64_t>(i), 0x55);
        c["id"] = invitation_;
        c["type"] = "Invitation";
        profile["email"] = "invitee" + std::to_string(i) + "@example.com";
        profile["role"] = "User";
        profile["external"] = false;
        c["profiles"] = json::array{profile};
        c["deleted"] = false;
        c["me"] = false;
        d_.contacts.push_back(std::move(c));
        continue;
      }
      if (i == group_at) {
        group_ = "KX" + code(static_cast<std::uint64_t>(i), 0x66);
        c["id"] = group_;
        c["firstName"] = "Project Leads";
        c["lastName"] = "";
        c["type"] = "Group";
        profile["role"] = "User";
        profile["external"] = false;
        c["profiles"] = json::array{profile};
        c["avatarUrl"] = "https://www.wrike.com/avatars//7D/6A/Box_ffba68c8_80-79_v1.png";
        c["timezone"] = "US/Pacific";
        c["locale"] = "en";
        c["deleted"] = false;
        c["me"] = false;
        json::array members;
        for (std::size_t k = 0; k < persons_.size() && k < 3; ++k) members.emplace_back(persons_[k]);
        c["memberIds"] = std::move(members);
        c["myTeam"] = false;
        c["metadata"] = json::array{};
        d_.contacts.push_back(std::move(c));
        continue;
      }
      const std::string id = "KU" + code(static_cast<std::uint64_t>(i), 0x77);
      const auto first = kFirstNames[static_cast<std::size_t>(i) % std::size(kFirstNames)];
      const auto last =
          kLastNames[(static_cast<std::size_t>(i) * 7 + 3) % std::size(kLastNames)];
      const std::string email = ascii_lower(std::string(first) + "." + std::string(last) + "@example.com");
      const bool deleted = i == deleted_at;
      c["id"] = id;
      c["firstName"] = first;
      c["lastName"] = last;
      c["type"] = "Person";
      profile["email"] = email;
      profile["role"] = rng_.percent(85) ? "User" : "Collaborator";
      profile["external"] = false;
      profile["admin"] = i == 0;
      profile["owner"] = i == 0;
      profile["active"] = !deleted;
      c["profiles"] = json::array{profile};
      c["avatarUrl"] = "https://www.wrike.com/avatars//EB/10/Box_ffe57373_80-" +
                       std::to_string(10 + i) + "_v1.png";
      c["timezone"] = rng_.pick(kTimezones);
      c["locale"] = "en";
      c["deleted"] = deleted;
      c["me"] = i == 0;
      c["title"] = rng_.pick(kJobTitles);
      c["companyName"] = o_.account_name;
      c["phone"] = "+1 555 01" + std::to_string(10 + i % 90);
      c["primaryEmail"] = email;
      c["metadata"] = json::array{};
      d_.contacts.push_back(std::move(c));
      if (i == 0) me_ = id;
      if (!deleted) persons_.push_back(id);
    }
  }

  json::object status_json(const std::string& id, std::string_view name, bool standard_name,
                           std::string_view color, bool standard, std::string_view group) {
    return json::object{{"id", id},           {"name", name},         {"standardName", standard_name},
                        {"color", color},     {"standard", standard}, {"group", group},
                        {"hidden", false}};
  }

  void make_workflows() {
    struct S {
      std::string_view name;
      bool standard_name;
      std::string_view color;
      bool standard;
      std::string_view group;
    };
    const S def[] = {{"New", true, "Blue", true, "Active"},
                     {"In Progress", true, "Turquoise", false, "Active"},
                     {"Completed", true, "Green", true, "Completed"},
                     {"On Hold", true, "Gray", true, "Deferred"},
                     {"Cancelled", true, "Red", true, "Cancelled"}};
    const S custom[] = {{"Intake", false, "Blue", false, "Active"},
                        {"In Design", false, "Purple", false, "Active"},
                        {"In Review", false, "Orange", false, "Active"},
                        {"Blocked", false, "DarkRed", false, "Deferred"},
                        {"Shipped", false, "Green", false, "Completed"},
                        {"Verified", false, "YellowGreen", false, "Completed"},
                        {"Won't Do", false, "Gray", false, "Cancelled"}};
    std::uint64_t status_seq = 0;
    auto build = [&](WorkflowRef& ref, std::uint64_t n, std::string_view name, bool standard,
                     const auto& list) {
      ref.id = acct_ + "K4" + code(n, 0x88);
      ref.standard = standard;
      json::object w;
      w["id"] = ref.id;
      w["name"] = name;
      w["standard"] = standard;
      w["hidden"] = false;
      json::array statuses;
      for (const auto& s : list) {
        std::string sid = acct_ + "JM" + code(status_seq++, 0x99);
        statuses.push_back(status_json(sid, s.name, s.standard_name, s.color, s.standard, s.group));
        ref.statuses.push_back({sid, std::string(s.group)});
      }
      w["customStatuses"] = std::move(statuses);
      if (!standard) w["description"] = "Delivery stages used by the project teams";
      d_.workflows.push_back(std::move(w));
    };
    build(default_wf_, 0, "Default Workflow", true, def);
    build(custom_wf_, 1, "Delivery Pipeline", false, custom);
  }

  json::object folder_json(const std::string& id, std::string_view title, std::int64_t created,
                           std::int64_t updated, std::string_view description,
                           json::array shared, json::array parents, std::string_view scope,
                           const std::string& workflow_id) {
    json::object f;
    f["id"] = id;
    f["accountId"] = acct_;
    f["title"] = title;
    f["createdDate"] = ts(created);
    f["updatedDate"] = ts(updated);
    f["briefDescription"] = description;
    f["description"] = description;
    f["sharedIds"] = std::move(shared);
    f["parentIds"] = std::move(parents);
    f["childIds"] = json::array{};
    f["superParentIds"] = json::array{};
    f["scope"] = scope;
    f["hasAttachments"] = false;
    f["attachmentCount"] = 0;
    f["permalink"] = permalink();
    f["workflowId"] = workflow_id;
    f["metadata"] = json::array{};
    f["customFields"] = json::array{};
    f["customColumnIds"] = json::array{};
    return f;
  }

  void make_root() {
    const std::int64_t t = begin_ - 30 * 86400;
    d_.folders.push_back(folder_json(acct_ + "I7777777", "Root", t, t, "", json::array{me_},
                                     json::array{}, "WsRoot", default_wf_.id));
    d_.folders.push_back(folder_json(acct_ + "I7777776", "Recycle Bin", t, t, "",
                                     json::array{me_}, json::array{}, "RbRoot", default_wf_.id));
  }

  void add_child(std::size_t parent_index, const std::string& child) {
    d_.folders[parent_index]["childIds"].as_array().emplace_back(child);
  }

  void make_spaces_and_folders() {
    json::array members_shared;
    json::array members;
    for (std::size_t k = 0; k < persons_.size() && k < 5; ++k) {
      members_shared.emplace_back(persons_[k]);
      members.push_back(json::object{{"id", persons_[k]},
                                     {"accessRoleId", acct_ + "ND777777"},
                                     {"isManager", persons_[k] == me_}});
    }
    for (int s = 0; s < o_.spaces; ++s) {
      const WorkflowRef& wf = (s % 2 == 0) ? default_wf_ : custom_wf_;
      const std::string sid = folder_id();
      std::string title(kSpaceTitles[static_cast<std::size_t>(s) % std::size(kSpaceTitles)]);
      if (s >= static_cast<int>(std::size(kSpaceTitles)))
        title += " " + std::to_string(s / std::size(kSpaceTitles) + 1);
      const std::int64_t created = begin_ + rng_.below(30 * 86400);
      const std::int64_t updated = created + rng_.below(now_ - created);

      json::object space;
      space["id"] = sid;
      space["title"] = title;
      space["avatarUrl"] = "https://www.wrike.com/static/spaceicons2/v3/6/6-planet.png";
      space["accessType"] = (s % 3 == 2) ? "Private" : "Public";
      space["archived"] = false;
      space["description"] = "Work of the " + title + " team";
      space["members"] = members;
      space["guestRoleId"] = acct_ + "ND777777";
      space["defaultProjectWorkflowId"] = wf.id;
      space["defaultTaskWorkflowId"] = wf.id;
      d_.spaces.push_back(std::move(space));
      space_ids_.push_back(sid);

      auto sf = folder_json(sid, title, created, updated, "Work of the " + title + " team",
                            members_shared, json::array{acct_ + "I7777777"}, "WsFolder", wf.id);
      sf["space"] = true;
      d_.folders.push_back(std::move(sf));
      const std::size_t space_index = d_.folders.size() - 1;
      add_child(0, sid);
      FolderCtx space_ctx{sid, space_index, s, &wf, created, members_shared};

      // plain folders
      std::vector<FolderCtx> plain;
      for (int k = 0; k < o_.folders_per_space; ++k) {
        const std::string fid = folder_id();
        std::string ft(kFolderTitles[static_cast<std::size_t>(k) % std::size(kFolderTitles)]);
        if (k >= static_cast<int>(std::size(kFolderTitles)))
          ft += " " + std::to_string(k / std::size(kFolderTitles) + 1);
        const std::int64_t fc = created + rng_.below(60 * 86400);
        const std::int64_t fu = fc + rng_.below(std::max<std::int64_t>(1, now_ - fc));
        d_.folders.push_back(folder_json(fid, ft, fc, fu, "", members_shared, json::array{sid},
                                         "WsFolder", wf.id));
        add_child(space_index, fid);
        plain.push_back({fid, d_.folders.size() - 1, s, &wf, fc, members_shared});
      }

      // projects
      std::vector<FolderCtx> projects;
      for (int j = 0; j < o_.projects_per_space; ++j) {
        const FolderCtx& parent =
            (j % 2 == 1 && !plain.empty())
                ? plain[static_cast<std::size_t>(j / 2) % plain.size()]
                : space_ctx;
        const std::string pid = folder_id();
        const int n = s * o_.projects_per_space + j;
        std::string pt(kProjectTitles[static_cast<std::size_t>(n) % std::size(kProjectTitles)]);
        if (n >= static_cast<int>(std::size(kProjectTitles)))
          pt += " " + std::to_string(n / std::size(kProjectTitles) + 1);
        const std::int64_t pc = created + rng_.below(90 * 86400);
        const std::int64_t pu = pc + rng_.below(std::max<std::int64_t>(1, now_ - pc));
        const std::string desc(rng_.pick(kSentences));
        auto p = folder_json(pid, pt, pc, pu, desc, members_shared, json::array{parent.id},
                             "WsFolder", wf.id);

        // project block
        static constexpr std::string_view groups[] = {"Active", "Active",    "Active",
                                                      "Active", "Active",    "Active",
                                                      "Active", "Completed", "Completed",
                                                      "Deferred", "Cancelled"};
        const std::string group(rng_.pick(groups));
        const auto& st = wf.pick(rng_, group);
        json::object proj;
        proj["authorId"] = me_;
        json::array owners{persons_[static_cast<std::size_t>(rng_.below(
            static_cast<std::int64_t>(persons_.size())))]};
        proj["ownerIds"] = std::move(owners);
        std::string status;
        if (!wf.standard)
          status = "Custom";
        else if (group == "Active")
          status = rng_.pick(kColors);
        else if (group == "Completed")
          status = "Completed";
        else if (group == "Deferred")
          status = "OnHold";
        else
          status = "Cancelled";
        proj["status"] = status;
        proj["customStatusId"] = st.id;
        if (rng_.percent(90)) {
          const std::int64_t start_day = floor_div(pc, 86400) + rng_.below(30);
          proj["startDate"] = format_date(start_day);
          proj["endDate"] = format_date(start_day + rng_.between(14, 120));
        }
        proj["createdDate"] = ts(pc);
        if (group == "Completed") proj["completedDate"] = ts(pc + rng_.below(pu - pc + 1));
        p["project"] = std::move(proj);
        d_.folders.push_back(std::move(p));
        add_child(parent.index, pid);
        projects.push_back({pid, d_.folders.size() - 1, s, &wf, pc, members_shared});
      }

      for (const auto& p : projects) make_tasks(p, o_.tasks_per_project);
      for (const auto& f : plain) make_tasks(f, o_.tasks_per_folder);
    }
  }

  void make_custom_fields() {
    struct Def {
      std::string_view title, type;
    };
    const Def defs[] = {{"Notes", "Text"},           {"Impact", "DropDown"},
                        {"Story Points", "Numeric"}, {"Budget", "Currency"},
                        {"Confidence", "Percentage"}, {"Target Date", "Date"},
                        {"Estimate", "Duration"},    {"Customer Facing", "Checkbox"},
                        {"Reviewers", "Contacts"},   {"Components", "Multiple"}};
    std::uint64_t n = 0;
    auto base = [&](std::string_view title, std::string_view type,
                    const std::string& space) -> std::pair<json::object, CfRef> {
      CfRef ref{acct_ + "JU" + code(n++, 0xAA), std::string(type), {}, space};
      json::object cf;
      cf["id"] = ref.id;
      cf["accountId"] = acct_;
      cf["title"] = title;
      cf["type"] = type;
      if (!space.empty()) cf["spaceId"] = space;
      cf["sharedIds"] = json::array{};
      cf["sharing"] = json::object{};
      return {std::move(cf), std::move(ref)};
    };
    auto options = [](std::initializer_list<std::pair<std::string_view, std::string_view>> l,
                      json::object& settings, CfRef& ref, bool colors) {
      json::array values, opts;
      for (auto [v, c] : l) {
        values.emplace_back(v);
        json::object o{{"value", v}};
        if (colors) o["color"] = c;
        opts.push_back(std::move(o));
        ref.options.emplace_back(v);
      }
      settings["values"] = std::move(values);
      settings["options"] = std::move(opts);
      settings["optionColorsEnabled"] = colors;
    };
    for (const auto& def : defs) {
      auto [cf, ref] = base(def.title, def.type, {});
      json::object s{{"inheritanceType", "All"},
                     {"applicableEntityTypes", string_array({"WorkItem"})}};
      if (def.type == "DropDown") {
        options({{"Low", "Green"}, {"Medium", "Yellow"}, {"High", "Red"}}, s, ref, true);
        s["allowOtherValues"] = false;
      } else if (def.type == "Multiple") {
        options({{"API", ""}, {"UI", ""}, {"Database", ""}, {"Infrastructure", ""}, {"Docs", ""}},
                s, ref, false);
        s["allowOtherValues"] = true;
      } else if (def.type == "Numeric") {
        s["decimalPlaces"] = 0;
        s["useThousandsSeparator"] = false;
        s["aggregation"] = "Sum";
      } else if (def.type == "Currency") {
        s["decimalPlaces"] = 2;
        s["useThousandsSeparator"] = true;
        s["currency"] = "USD";
        s["aggregation"] = "Sum";
      } else if (def.type == "Percentage") {
        s["decimalPlaces"] = 0;
        s["aggregation"] = "Average";
      } else if (def.type == "Date") {
        s["allowTime"] = false;
      } else if (def.type == "Duration") {
        s["aggregation"] = "Sum";
      } else if (def.type == "Contacts") {
        json::array allowed;
        for (const auto& p : persons_) allowed.emplace_back(p);
        if (!invitation_.empty()) allowed.emplace_back(invitation_);
        s["contacts"] = std::move(allowed);
      }
      s["readOnly"] = false;
      cf["settings"] = std::move(s);
      d_.custom_fields.push_back(std::move(cf));
      cfs_.push_back(std::move(ref));
    }
    if (!space_ids_.empty()) {
      auto [cf, ref] = base("Region", "DropDown", space_ids_.front());
      json::object s{{"inheritanceType", "All"},
                     {"applicableEntityTypes", string_array({"WorkItem"})}};
      options({{"EMEA", "Blue"}, {"Americas", "Orange"}, {"APAC", "Purple"}}, s, ref, true);
      s["allowOtherValues"] = false;
      s["readOnly"] = false;
      cf["settings"] = std::move(s);
      d_.custom_fields.push_back(std::move(cf));
      cfs_.push_back(std::move(ref));
    }
  }

  std::string cf_value(const CfRef& cf, std::int64_t around_day) {
    const auto& t = cf.type;
    if (t == "Text") return std::string(rng_.pick(kNotes));
    if (t == "DropDown") return rng_.pick(cf.options);
    if (t == "Numeric") {
      static constexpr std::string_view pts[] = {"1", "2", "3", "5", "8", "13"};
      return std::string(rng_.pick(pts));
    }
    if (t == "Currency") return std::to_string(rng_.between(5, 500) * 100);
    if (t == "Percentage") return std::to_string(rng_.between(0, 20) * 5);
    if (t == "Date") return format_date(around_day + rng_.between(0, 90));
    if (t == "Duration") {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(rng_.between(0, 40)),
                    static_cast<int>(rng_.below(4) * 15));
      return buf;
    }
    if (t == "Checkbox") return rng_.percent(50) ? "true" : "false";
    if (t == "Contacts") {
      std::string v(rng_.pick(persons_));
      if (rng_.percent(40)) {
        const auto& other = rng_.pick(persons_);
        if (other != v) v += "," + other;
      }
      if (!invitation_.empty() && rng_.percent(15)) v += "," + invitation_;
      return v;
    }
    if (t == "Multiple") {
      json::array chosen;
      for (const auto& opt : cf.options)
        if (rng_.percent(35)) chosen.emplace_back(opt);
      if (chosen.empty()) chosen.emplace_back(cf.options.front());
      return json::serialize(chosen);
    }
    return {};
  }

  // Custom-field values are filled after the definitions exist (tasks are made first).
  void fill_custom_values() {
    std::unordered_map<std::string, int> space_of_folder;
    for (const auto& f : d_.folders) space_of_folder.emplace(std::string(str(f, "id")), -1);
    // Folders are created space by space; walk the tree from each space.
    for (std::size_t s = 0; s < space_ids_.size(); ++s) {
      std::vector<std::string> stack{space_ids_[s]};
      std::unordered_map<std::string, std::size_t> idx;
      for (std::size_t i = 0; i < d_.folders.size(); ++i) idx.emplace(std::string(str(d_.folders[i], "id")), i);
      while (!stack.empty()) {
        auto id = stack.back();
        stack.pop_back();
        space_of_folder[id] = static_cast<int>(s);
        if (auto it = idx.find(id); it != idx.end())
          if (auto* kids = arr(d_.folders[it->second], "childIds"))
            for (const auto& k : *kids) stack.emplace_back(k.as_string());
      }
    }
    auto applicable = [&](const CfRef& cf, int space) {
      return cf.space_id.empty() ||
             (space >= 0 && static_cast<std::size_t>(space) < space_ids_.size() &&
              space_ids_[static_cast<std::size_t>(space)] == cf.space_id);
    };
    json::array columns;
    for (const auto& cf : cfs_)
      if (cf.space_id.empty()) columns.emplace_back(cf.id);

    for (auto& f : d_.folders) {
      if (!obj(f, "project")) continue;
      const int space = space_of_folder[std::string(str(f, "id"))];
      const std::int64_t day = floor_div(parse_timestamp(str(f, "createdDate")).value_or(now_), 86400);
      json::array values;
      for (const auto& cf : cfs_) {
        if (!applicable(cf, space)) continue;
        const bool wanted = cf.type == "Currency" || cf.type == "DropDown" || cf.type == "Date";
        if (wanted && rng_.percent(80))
          values.push_back(json::object{{"id", cf.id}, {"value", cf_value(cf, day)}});
      }
      f["customFields"] = std::move(values);
      json::array cols = columns;
      if (space == 0 && cfs_.size() > 10) cols.emplace_back(cfs_.back().id);
      f["customColumnIds"] = std::move(cols);
    }
    for (auto& t : d_.tasks) {
      const auto* parents = arr(t, "superParentIds");
      if (!parents || parents->empty()) parents = arr(t, "parentIds");
      int space = -1;
      if (parents && !parents->empty()) space = space_of_folder[std::string(parents->at(0).as_string())];
      const std::int64_t day = floor_div(parse_timestamp(str(t, "createdDate")).value_or(now_), 86400);
      json::array values;
      for (const auto& cf : cfs_) {
        if (!applicable(cf, space)) continue;
        if (rng_.percent(40))
          values.push_back(json::object{{"id", cf.id}, {"value", cf_value(cf, day)}});
      }
      t["customFields"] = std::move(values);
    }
  }

  json::object task_dates(std::int64_t created) {
    std::int64_t day = floor_div(created, 86400) + rng_.between(-10, 45);
    while (weekday(day) >= 5) ++day;
    const auto kind = rng_.below(10);
    if (kind < 3) return json::object{{"type", "Backlog"}};
    if (kind < 4) return json::object{{"type", "Milestone"}, {"due", format_local(day, 17)}};
    const int k = static_cast<int>(rng_.between(1, 8));
    std::int64_t due = day;
    for (int left = k - 1; left > 0;) {
      ++due;
      if (weekday(due) < 5) --left;
    }
    return json::object{{"type", "Planned"},
                        {"duration", 480 * k},
                        {"start", format_local(day, 9)},
                        {"due", format_local(due, 17)}};
  }

  json::object task_json(const FolderCtx& f, const std::string& id, const std::string& title,
                         std::int64_t created_min, const std::string* super_task, int i) {
    static constexpr std::string_view groups[] = {
        "Active", "Active",    "Active",    "Active",    "Active",   "Active",   "Active",
        "Active", "Active",    "Active",    "Active",    "Completed", "Completed", "Completed",
        "Completed", "Completed", "Completed", "Deferred", "Deferred", "Cancelled"};
    const std::string group(rng_.pick(groups));
    const auto& st = f.workflow->pick(rng_, group);
    const std::int64_t created =
        std::min(now_ - 3600, created_min + rng_.below(std::max<std::int64_t>(1, now_ - created_min)));
    const std::int64_t updated = created + rng_.below(std::max<std::int64_t>(1, now_ - created));
    const std::string author = rng_.pick(persons_);

    json::object t;
    t["id"] = id;
    t["accountId"] = acct_;
    t["title"] = title;
    const std::string sentence(rng_.pick(kSentences));
    t["description"] = "<p>" + sentence + "</p>";
    t["briefDescription"] = sentence;
    if (super_task) {
      t["parentIds"] = json::array{acct_ + "I7777777"};
      t["superParentIds"] = json::array{f.id};
    } else {
      t["parentIds"] = json::array{f.id};
      t["superParentIds"] = json::array{};
    }
    t["sharedIds"] = f.shared;
    json::array responsibles;
    const auto nresp = rng_.below(3);
    for (std::int64_t r = 0; r < nresp; ++r) {
      const auto& p = rng_.pick(persons_);
      if (!array_contains(&responsibles, p)) responsibles.emplace_back(p);
    }
    if (!invitation_.empty() && rng_.percent(5)) responsibles.emplace_back(invitation_);
    t["responsibleIds"] = std::move(responsibles);
    t["status"] = group;
    static constexpr std::string_view importance[] = {"High", "High", "Normal", "Normal", "Normal",
                                                      "Normal", "Normal", "Normal", "Low", "Low"};
    t["importance"] = rng_.pick(importance);
    t["createdDate"] = ts(created);
    t["updatedDate"] = ts(updated);
    if (group == "Completed") t["completedDate"] = ts(created + rng_.below(updated - created + 1));
    t["dates"] = task_dates(created);
    t["scope"] = "WsTask";
    t["authorIds"] = json::array{author};
    t["customStatusId"] = st.id;
    const bool attachments = rng_.percent(10);
    t["hasAttachments"] = attachments;
    t["attachmentCount"] = attachments ? rng_.between(1, 4) : 0;
    t["permalink"] = permalink();
    t["priority"] = priority(f.index, i);
    json::array followers{author};
    if (author != me_ && rng_.percent(50)) followers.emplace_back(me_);
    t["followedByMe"] = array_contains(&followers, me_);
    t["followerIds"] = std::move(followers);
    t["superTaskIds"] = super_task ? json::array{*super_task} : json::array{};
    t["subTaskIds"] = json::array{};
    t["dependencyIds"] = json::array{};
    t["metadata"] = rng_.percent(20)
                        ? json::array{json::object{{"key", "origin"}, {"value", "emulator"}}}
                        : json::array{};
    t["customFields"] = json::array{};
    t["recurrent"] = false;
    return t;
  }

  void make_tasks(const FolderCtx& f, int count) {
    for (int i = 0; i < count; ++i) {
      const std::string id = task_id();
      std::string title = std::string(rng_.pick(kVerbs)) + " " + std::string(rng_.pick(kObjects));
      auto t = task_json(f, id, title, f.created, nullptr, i);
      const std::int64_t created = parse_timestamp(str(t, "createdDate")).value_or(f.created);
      const std::size_t parent_pos = d_.tasks.size();
      d_.tasks.push_back(std::move(t));
      json::array sub_ids;
      for (int k = 0; k < o_.subtasks_per_task; ++k) {
        const std::string sid = task_id();
        std::string st = title + ": " + std::string(rng_.pick(kSubtaskSteps));
        d_.tasks.push_back(task_json(f, sid, st, created, &id, k));
        sub_ids.emplace_back(sid);
      }
      d_.tasks[parent_pos]["subTaskIds"] = std::move(sub_ids);
    }
  }

  const GeneratorOptions& o_;
  Rng rng_;
  WrikeData d_;
  std::string acct_, me_, group_, invitation_;
  std::vector<std::string> persons_, space_ids_;
  std::vector<CfRef> cfs_;
  WorkflowRef default_wf_, custom_wf_;
  std::int64_t now_ = 0, begin_ = 0;
  std::uint64_t salt_ = 0, folder_seq_ = 0, task_seq_ = 0, permalink_seq_ = 0;
};

// ---- loading and saving -------------------------------------------------------------------

json::value parse_file(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  if (!f) throw std::runtime_error("wrike emulator: cannot read " + p.string());
  std::stringstream ss;
  ss << f.rdbuf();
  boost::system::error_code ec;
  auto v = json::parse(ss.str(), ec);
  if (ec) throw std::runtime_error("wrike emulator: " + p.string() + " is not JSON: " + ec.message());
  return v;
}

std::vector<json::object> items(const json::value& v, const std::string& what) {
  const json::array* a = nullptr;
  if (v.is_array()) {
    a = &v.get_array();
  } else if (v.is_object()) {
    auto it = v.get_object().find("data");
    if (it != v.get_object().end() && it->value().is_array()) a = &it->value().get_array();
    else if (v.get_object().contains("id")) return {v.get_object()};
  }
  if (!a) throw std::runtime_error("wrike emulator: " + what + ": expected {\"kind\":..,\"data\":[..]} or an array");
  std::vector<json::object> out;
  out.reserve(a->size());
  for (std::size_t i = 0; i < a->size(); ++i) {
    const auto& e = (*a)[i];
    if (!e.is_object() || str(e.get_object(), "id").empty())
      throw std::runtime_error("wrike emulator: " + what + ": element " + std::to_string(i) +
                               " is not an object with a string \"id\"");
    out.push_back(e.get_object());
  }
  return out;
}

json::object envelope(std::string_view kind, const std::vector<json::object>& v) {
  json::array data;
  data.reserve(v.size());
  for (const auto& o : v) data.emplace_back(o);
  return json::object{{"kind", kind}, {"data", std::move(data)}};
}

void complete(WrikeData& d) {
  if (str(d.account, "id").empty()) {
    std::string acct;
    if (!d.folders.empty()) acct = std::string(str(d.folders.front(), "accountId"));
    if (acct.empty() && !d.tasks.empty()) acct = std::string(str(d.tasks.front(), "accountId"));
    if (acct.empty()) acct = "IEAAAAAA";
    d.account["id"] = acct;
    d.account["name"] = "Emulated account";
    d.account["dateFormat"] = "MM/dd/yyyy";
    d.account["firstDayOfWeek"] = "Mon";
    d.account["workDays"] = string_array({"Mon", "Tue", "Wed", "Thu", "Fri"});
    d.account["rootFolderId"] = acct + "I7777777";
    d.account["recycleBinId"] = acct + "I7777776";
    d.account["createdDate"] = "2020-01-01T00:00:00Z";
    d.account["joinedDate"] = "2020-01-01T00:00:00Z";
  }
  const std::string acct = d.account_id();
  auto has = [&](const std::string& id) {
    return std::any_of(d.folders.begin(), d.folders.end(),
                       [&](const json::object& f) { return str(f, "id") == id; });
  };
  auto synth = [&](const std::string& id, std::string_view title, std::string_view scope) {
    json::array children;
    if (scope == "WsRoot") {
      // Top-level folders: those whose parent is the root or unknown.
      for (const auto& f : d.folders) {
        const auto* p = arr(f, "parentIds");
        if (p && array_contains(p, id)) children.emplace_back(str(f, "id"));
      }
    }
    return json::object{{"id", id},           {"accountId", acct},     {"title", title},
                        {"createdDate", "2020-01-01T00:00:00Z"},
                        {"updatedDate", "2020-01-01T00:00:00Z"},
                        {"description", ""},  {"sharedIds", json::array{}},
                        {"parentIds", json::array{}},
                        {"childIds", std::move(children)},
                        {"superParentIds", json::array{}},
                        {"scope", scope},     {"hasAttachments", false},
                        {"metadata", json::array{}},
                        {"customFields", json::array{}}};
  };
  const std::string root = d.root_folder_id(), rb = d.recycle_bin_id();
  if (!has(rb)) d.folders.insert(d.folders.begin(), synth(rb, "Recycle Bin", "RbRoot"));
  if (!has(root)) d.folders.insert(d.folders.begin(), synth(root, "Root", "WsRoot"));
  d.reindex();
}

}  // namespace

// ---- WrikeStore ---------------------------------------------------------------------------

struct WrikeStore::Impl {
  mutable std::shared_mutex mutex;
  WrikeData data;
  std::function<std::chrono::system_clock::time_point()> clock = [] {
    return std::chrono::system_clock::now();
  };
  std::uint64_t added = 0;

  std::string now() const { return format_timestamp(to_epoch_seconds(clock())); }

  // (group, workflow) of a custom status id
  std::string group_of(std::string_view status_id) const {
    for (const auto& w : data.workflows)
      if (const auto* statuses = arr(w, "customStatuses"))
        for (const auto& s : *statuses)
          if (s.is_object() && str(s.get_object(), "id") == status_id)
            return std::string(str(s.get_object(), "group"));
    return {};
  }

  std::string first_status(std::string_view workflow_id, std::string_view group) const {
    auto scan = [&](const json::object& w) -> std::string {
      if (const auto* statuses = arr(w, "customStatuses"))
        for (const auto& s : *statuses)
          if (s.is_object() && str(s.get_object(), "group") == group)
            return std::string(str(s.get_object(), "id"));
      return {};
    };
    if (auto it = data.workflow_index.find(std::string(workflow_id)); it != data.workflow_index.end())
      if (auto s = scan(data.workflows[it->second]); !s.empty()) return s;
    for (const auto& w : data.workflows)
      if (auto s = scan(w); !s.empty()) return s;
    return {};
  }

  std::string workflow_of_task(const json::object& t) const {
    for (auto key : {"parentIds", "superParentIds"})
      if (const auto* p = arr(t, key))
        for (const auto& id : *p)
          if (auto it = data.folder_index.find(std::string(id.as_string())); it != data.folder_index.end())
            if (auto w = str(data.folders[it->second], "workflowId"); !w.empty()) return std::string(w);
    return {};
  }

  void reconcile_status(json::object& t, bool status_set, bool custom_set) {
    if (custom_set) {
      auto g = group_of(str(t, "customStatusId"));
      if (!g.empty()) t["status"] = g;
    } else if (status_set) {
      auto s = first_status(workflow_of_task(t), str(t, "status"));
      if (!s.empty()) t["customStatusId"] = s;
    }
    if (str(t, "status") == "Completed") {
      if (str(t, "completedDate").empty()) t["completedDate"] = now();
    } else {
      t.erase("completedDate");
    }
  }
  // ---- change tracking ----

  std::mutex listener_mutex;
  ChangeListener listener;

  void notify(const std::vector<WrikeChange>& changes) {
    if (changes.empty()) return;
    ChangeListener l;
    {
      std::lock_guard lock(listener_mutex);
      l = listener;
    }
    if (l) l(changes);
  }

  std::string me() const {
    for (const auto& c : data.contacts)
      if (flag(c, "me")) return std::string(str(c, "id"));
    return data.contacts.empty() ? std::string() : std::string(str(data.contacts.front(), "id"));
  }

  static std::vector<std::string> strings_of(const json::object& o, std::string_view key) {
    std::vector<std::string> out;
    if (const auto* a = arr(o, key))
      for (const auto& v : *a)
        if (v.is_string()) out.emplace_back(v.get_string());
    return out;
  }

  static std::vector<std::string> minus(const std::vector<std::string>& a,
                                        const std::vector<std::string>& b,
                                        std::string_view skip = {}) {
    std::vector<std::string> out;
    for (const auto& x : a)
      if (x != skip && std::find(b.begin(), b.end(), x) == b.end() &&
          std::find(out.begin(), out.end(), x) == out.end())
        out.push_back(x);
    return out;
  }

  static json::array to_array(const std::vector<std::string>& v) {
    json::array a;
    for (const auto& s : v) a.emplace_back(s);
    return a;
  }

  // customFields [{id,value}] -> id -> value
  static std::vector<std::pair<std::string, json::value>> cf_values(const json::object& o) {
    std::vector<std::pair<std::string, json::value>> out;
    if (const auto* a = arr(o, "customFields"))
      for (const auto& e : *a)
        if (e.is_object()) {
          const auto& eo = e.get_object();
          const auto* v = eo.if_contains("value");
          if (v && !v->is_null()) out.emplace_back(std::string(str(eo, "id")), *v);
        }
    return out;
  }

  static json::value value_or_null(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v ? *v : json::value(nullptr);
  }

  // Fills direct/ancestors: `direct` plus every folder above them (by parentIds).
  void locate(WrikeChange& c, std::vector<std::string> direct) const {
    std::vector<std::string> uniq;
    for (auto& d : direct)
      if (!d.empty() && std::find(uniq.begin(), uniq.end(), d) == uniq.end()) uniq.push_back(std::move(d));
    c.direct = uniq;
    std::vector<std::string> all = uniq;
    for (std::size_t i = 0; i < all.size() && all.size() < 100000; ++i) {
      auto it = data.folder_index.find(all[i]);
      if (it == data.folder_index.end()) continue;
      for (auto& p : strings_of(data.folders[it->second], "parentIds"))
        if (std::find(all.begin(), all.end(), p) == all.end()) all.push_back(std::move(p));
    }
    c.ancestors = std::move(all);
  }

  WrikeChange make_change(WrikeChange::Subject subject, const json::object& now_state,
                          std::string event_type, json::object fields = {}) const {
    WrikeChange c;
    c.subject = subject;
    c.id = std::string(str(now_state, "id"));
    c.event_type = std::move(event_type);
    c.fields = std::move(fields);
    c.last_updated_date = std::string(str(now_state, "updatedDate"));
    c.author_id = me();
    return c;
  }

  // Membership and custom-field diffs shared by tasks and folders.
  void diff_lists(std::vector<WrikeChange>& out, WrikeChange::Subject subj, const json::object& old,
                  const json::object& t, std::string_view key, std::string_view added_event,
                  std::string_view removed_event, std::string_view added_key,
                  std::string_view removed_key, std::string_view skip = {}) const {
    const auto a = strings_of(old, key), b = strings_of(t, key);
    if (auto added = minus(b, a, skip); !added.empty())
      out.push_back(make_change(subj, t, std::string(added_event),
                                json::object{{added_key, to_array(added)}}));
    if (auto removed = minus(a, b, skip); !removed.empty())
      out.push_back(make_change(subj, t, std::string(removed_event),
                                json::object{{removed_key, to_array(removed)}}));
  }

  void diff_custom_fields(std::vector<WrikeChange>& out, WrikeChange::Subject subj,
                          const json::object& old, const json::object& t,
                          std::string_view event) const {
    const auto a = cf_values(old), b = cf_values(t);
    auto find = [](const auto& v, const std::string& id) -> const json::value* {
      for (const auto& [k, x] : v)
        if (k == id) return &x;
      return nullptr;
    };
    std::vector<std::string> ids;
    for (const auto& [k, x] : b) ids.push_back(k);
    for (const auto& [k, x] : a)
      if (!find(b, k)) ids.push_back(k);
    for (const auto& id : ids) {
      const json::value* was = find(a, id);
      const json::value* is = find(b, id);
      if (was && is && *was == *is) continue;
      out.push_back(make_change(subj, t, std::string(event),
                                json::object{{"customFieldId", id},
                                             {"oldValue", was ? *was : json::value(nullptr)},
                                             {"value", is ? *is : json::value(nullptr)}}));
    }
  }

  std::vector<WrikeChange> task_changes(const json::object& old, const json::object& t) const {
    using S = WrikeChange::Subject;
    std::vector<WrikeChange> out;
    const std::string rb = data.recycle_bin_id();
    const bool was_deleted = str(old, "scope") == "RbTask";
    const bool is_deleted = str(t, "scope") == "RbTask";
    if (!was_deleted && is_deleted) {
      out.push_back(make_change(S::task, t, "TaskDeleted"));
    } else {
      if (str(old, "title") != str(t, "title"))
        out.push_back(make_change(S::task, t, "TaskTitleChanged",
                                  json::object{{"oldValue", value_or_null(old, "title")},
                                               {"title", value_or_null(t, "title")}}));
      if (str(old, "importance") != str(t, "importance"))
        out.push_back(make_change(S::task, t, "TaskImportanceChanged",
                                  json::object{{"oldValue", value_or_null(old, "importance")},
                                               {"importance", value_or_null(t, "importance")}}));
      if (str(old, "status") != str(t, "status") ||
          str(old, "customStatusId") != str(t, "customStatusId"))
        out.push_back(make_change(S::task, t, "TaskStatusChanged",
                                  json::object{{"oldStatus", value_or_null(old, "status")},
                                               {"status", value_or_null(t, "status")},
                                               {"oldCustomStatusId", value_or_null(old, "customStatusId")},
                                               {"customStatusId", value_or_null(t, "customStatusId")}}));
      if (value_or_null(old, "dates") != value_or_null(t, "dates"))
        out.push_back(make_change(S::task, t, "TaskDatesChanged",
                                  json::object{{"oldValue", value_or_null(old, "dates")},
                                               {"dates", value_or_null(t, "dates")}}));
      if (str(old, "description") != str(t, "description"))
        out.push_back(make_change(S::task, t, "TaskDescriptionChanged"));
      diff_lists(out, S::task, old, t, "parentIds", "TaskParentsAdded", "TaskParentsRemoved",
                 "addedParents", "removedParents", rb);
      diff_lists(out, S::task, old, t, "responsibleIds", "TaskResponsiblesAdded",
                 "TaskResponsiblesRemoved", "addedResponsibles", "removedResponsibles");
      diff_lists(out, S::task, old, t, "sharedIds", "TaskSharedsAdded", "TaskSharedsRemoved",
                 "addedShareds", "removedShareds");
      diff_custom_fields(out, S::task, old, t, "TaskCustomFieldChanged");
    }
    if (!out.empty()) {
      std::vector<std::string> direct;
      for (const auto* o : {&old, &t})
        for (auto key : {"parentIds", "superParentIds"})
          for (auto& s : strings_of(*o, key)) direct.push_back(std::move(s));
      WrikeChange loc;
      locate(loc, std::move(direct));
      for (auto& c : out) {
        c.direct = loc.direct;
        c.ancestors = loc.ancestors;
      }
    }
    return out;
  }

  std::vector<WrikeChange> folder_changes(const json::object& old, const json::object& f) const {
    using S = WrikeChange::Subject;
    std::vector<WrikeChange> out;
    const std::string rb = data.recycle_bin_id();
    if (!str(old, "scope").starts_with("Rb") && str(f, "scope").starts_with("Rb")) {
      out.push_back(make_change(S::folder, f, "FolderDeleted"));
    } else {
      if (str(old, "title") != str(f, "title"))
        out.push_back(make_change(S::folder, f, "FolderTitleChanged",
                                  json::object{{"oldValue", value_or_null(old, "title")},
                                               {"title", value_or_null(f, "title")}}));
      if (str(old, "description") != str(f, "description"))
        out.push_back(make_change(S::folder, f, "FolderDescriptionChanged"));
      diff_lists(out, S::folder, old, f, "parentIds", "FolderParentsAdded", "FolderParentsRemoved",
                 "addedParents", "removedParents", rb);
      diff_lists(out, S::folder, old, f, "sharedIds", "FolderSharedsAdded", "FolderSharedsRemoved",
                 "addedShareds", "removedShareds");
      diff_custom_fields(out, S::folder, old, f, "FolderCustomFieldChanged");
      const auto* po = obj(old, "project");
      const auto* pn = obj(f, "project");
      if (po && pn) {
        if (str(*po, "status") != str(*pn, "status") ||
            str(*po, "customStatusId") != str(*pn, "customStatusId"))
          out.push_back(make_change(S::folder, f, "ProjectStatusChanged",
                                    json::object{{"oldStatus", value_or_null(*po, "status")},
                                                 {"status", value_or_null(*pn, "status")},
                                                 {"oldCustomStatusId", value_or_null(*po, "customStatusId")},
                                                 {"customStatusId", value_or_null(*pn, "customStatusId")}}));
        auto dates = [&](const json::object& p) {
          return json::object{{"startDate", value_or_null(p, "startDate")},
                              {"endDate", value_or_null(p, "endDate")}};
        };
        if (dates(*po) != dates(*pn))
          out.push_back(make_change(S::folder, f, "ProjectDatesChanged",
                                    json::object{{"oldValue", dates(*po)}, {"dates", dates(*pn)}}));
        diff_lists(out, S::folder, *po, *pn, "ownerIds", "ProjectOwnersAdded",
                   "ProjectOwnersRemoved", "addedOwners", "removedOwners");
        for (auto& c : out) {  // diff_lists took the ids from the project object
          c.id = std::string(str(f, "id"));
          c.last_updated_date = std::string(str(f, "updatedDate"));
        }
      }
    }
    if (!out.empty()) {
      std::vector<std::string> direct{std::string(str(f, "id"))};
      for (const auto* o : {&old, &f})
        for (auto& s : strings_of(*o, "parentIds")) direct.push_back(std::move(s));
      WrikeChange loc;
      locate(loc, std::move(direct));
      for (auto& c : out) {
        c.direct = loc.direct;
        c.ancestors = loc.ancestors;
      }
    }
    return out;
  }

  // ---- invariants after an edit ----

  void reconcile_task(const json::object& old, json::object& t) {
    const bool custom_changed = !str(t, "customStatusId").empty() &&
                                str(old, "customStatusId") != str(t, "customStatusId");
    const bool status_changed = str(old, "status") != str(t, "status");
    if (custom_changed || status_changed) reconcile_status(t, status_changed, custom_changed);
  }

  // Keeps the super tasks' subTaskIds in step with the task's superTaskIds.
  void relink_super_tasks(const std::string& id, const json::object& old, const json::object& t) {
    const auto a = strings_of(old, "superTaskIds"), b = strings_of(t, "superTaskIds");
    for (const auto& s : minus(a, b))
      if (auto it = data.task_index.find(s); it != data.task_index.end()) {
        auto& parent = data.tasks[it->second];
        if (auto* subs = parent.if_contains("subTaskIds"); subs && subs->is_array()) {
          auto& arr_ = subs->get_array();
          for (auto i = arr_.begin(); i != arr_.end();)
            i = (i->is_string() && i->get_string() == id) ? arr_.erase(i) : i + 1;
        }
      }
    for (const auto& s : minus(b, a))
      if (auto it = data.task_index.find(s); it != data.task_index.end()) {
        auto& parent = data.tasks[it->second];
        if (!parent["subTaskIds"].is_array()) parent["subTaskIds"] = json::array{};
        auto& subs = parent["subTaskIds"].as_array();
        if (!array_contains(&subs, id)) subs.emplace_back(id);
      }
  }

  // Keeps the parents' childIds in step with a folder's parentIds.
  void relink_parents(const std::string& id, const json::object& old, const json::object& f) {
    const auto a = strings_of(old, "parentIds"), b = strings_of(f, "parentIds");
    for (const auto& p : minus(a, b))
      if (auto it = data.folder_index.find(p); it != data.folder_index.end()) {
        if (auto* kids = data.folders[it->second].if_contains("childIds"); kids && kids->is_array()) {
          auto& k = kids->get_array();
          for (auto i = k.begin(); i != k.end();)
            i = (i->is_string() && i->get_string() == id) ? k.erase(i) : i + 1;
        }
      }
    for (const auto& p : minus(b, a))
      if (auto it = data.folder_index.find(p); it != data.folder_index.end()) {
        auto& parent = data.folders[it->second];
        if (!parent["childIds"].is_array()) parent["childIds"] = json::array{};
        auto& k = parent["childIds"].as_array();
        if (!array_contains(&k, id)) k.emplace_back(id);
      }
  }

  static std::string project_group(std::string_view status) {
    if (status == "Green" || status == "Yellow" || status == "Red") return "Active";
    if (status == "Completed") return "Completed";
    if (status == "OnHold") return "Deferred";
    if (status == "Cancelled") return "Cancelled";
    return {};
  }

  bool workflow_standard_of_status(std::string_view status_id) const {
    for (const auto& w : data.workflows)
      if (const auto* statuses = arr(w, "customStatuses"))
        for (const auto& s : *statuses)
          if (s.is_object() && str(s.get_object(), "id") == status_id) return flag(w, "standard");
    return true;
  }

  void reconcile_project(const json::object& old, json::object& f) {
    auto* pv = f.if_contains("project");
    if (!pv || !pv->is_object()) return;
    auto& p = pv->get_object();
    const json::object none;
    const auto* po = obj(old, "project");
    const json::object& o = po ? *po : none;
    const bool custom_changed = !str(p, "customStatusId").empty() &&
                                str(o, "customStatusId") != str(p, "customStatusId");
    const bool status_changed = str(o, "status") != str(p, "status");
    if (custom_changed) {
      const auto group = group_of(str(p, "customStatusId"));
      if (!workflow_standard_of_status(str(p, "customStatusId"))) {
        p["status"] = "Custom";
      } else if (group == "Active") {
        if (project_group(str(p, "status")) != "Active") p["status"] = "Green";
      } else if (group == "Completed") {
        p["status"] = "Completed";
      } else if (group == "Deferred") {
        p["status"] = "OnHold";
      } else if (group == "Cancelled") {
        p["status"] = "Cancelled";
      }
    } else if (status_changed) {
      const auto group = project_group(str(p, "status"));
      if (!group.empty()) {
        auto s = first_status(str(f, "workflowId"), group);
        if (!s.empty()) p["customStatusId"] = s;
      }
    }
    if (custom_changed || status_changed) {
      auto group = group_of(str(p, "customStatusId"));
      if (group.empty()) group = project_group(str(p, "status"));
      if (group == "Completed") {
        if (str(p, "completedDate").empty()) p["completedDate"] = now();
      } else {
        p.erase("completedDate");
      }
    }
  }

  // Under the write lock: `t` (an edited copy of tasks[index]) replaces it. Returns the changes.
  std::vector<WrikeChange> commit_task(std::size_t index, json::object t) {
    const json::object& old = data.tasks[index];
    const std::string id(str(old, "id"));
    t["id"] = id;
    reconcile_task(old, t);
    if (str(t, "updatedDate") == str(old, "updatedDate")) t["updatedDate"] = now();
    relink_super_tasks(id, old, t);
    const bool was_deleted = str(old, "scope") == "RbTask";
    const bool is_deleted = str(t, "scope") == "RbTask";
    if (!was_deleted && is_deleted)
      data.recycled[id] = json::object{{"parentIds", value_or_null(old, "parentIds")},
                                       {"superParentIds", value_or_null(old, "superParentIds")}};
    else if (was_deleted && !is_deleted)
      data.recycled.erase(id);
    auto changes = task_changes(data.tasks[index], t);
    data.task_summaries[index] = TaskSummary::of(t);
    data.tasks[index] = std::move(t);
    ++data.generation;
    return changes;
  }

  std::vector<WrikeChange> commit_folder(std::size_t index, json::object f) {
    const json::object& old = data.folders[index];
    const std::string id(str(old, "id"));
    f["id"] = id;
    reconcile_project(old, f);
    if (str(f, "updatedDate") == str(old, "updatedDate")) f["updatedDate"] = now();
    relink_parents(id, old, f);
    if (auto it = data.space_index.find(id); it != data.space_index.end()) {
      auto& sp = data.spaces[it->second];
      sp["title"] = value_or_null(f, "title");
      if (f.contains("description")) sp["description"] = f.at("description");
    }
    auto changes = folder_changes(data.folders[index], f);
    data.folders[index] = std::move(f);
    ++data.generation;
    return changes;
  }
};

WrikeStore::WrikeStore() : impl_(std::make_unique<Impl>()) {
  GeneratorOptions g;
  g.spaces = 0;
  g.contacts = 1;
  generate(g);
}

WrikeStore::WrikeStore(const GeneratorOptions& g) : impl_(std::make_unique<Impl>()) { generate(g); }

WrikeStore::~WrikeStore() = default;

void WrikeStore::generate(const GeneratorOptions& g) {
  WrikeData d = Generator(g).run();
  std::unique_lock lock(impl_->mutex);
  d.generation = impl_->data.generation + 1;
  impl_->data = std::move(d);
}

void WrikeStore::load(const std::filesystem::path& path) {
  WrikeData d;
  auto take = [&](const json::value& v, std::string_view name, const std::string& what) {
    if (name == "account") {
      auto a = items(v, what);
      if (!a.empty()) d.account = a.front();
    } else if (name == "contacts") d.contacts = items(v, what);
    else if (name == "spaces") d.spaces = items(v, what);
    else if (name == "folders") d.folders = items(v, what);
    else if (name == "tasks") d.tasks = items(v, what);
    else if (name == "customfields") d.custom_fields = items(v, what);
    else if (name == "workflows") d.workflows = items(v, what);
  };
  static constexpr std::string_view names[] = {"account", "contacts",     "spaces",   "folders",
                                               "tasks",   "customfields", "workflows"};
  if (std::filesystem::is_directory(path)) {
    for (auto n : names) {
      auto file = path / (std::string(n) + ".json");
      if (std::filesystem::exists(file)) take(parse_file(file), n, file.string());
    }
  } else {
    auto v = parse_file(path);
    if (!v.is_object())
      throw std::runtime_error("wrike emulator: " + path.string() + ": expected a JSON object");
    for (auto n : names)
      if (auto* m = v.get_object().if_contains(n)) take(*m, n, path.string() + " (" + std::string(n) + ")");
  }
  complete(d);
  std::unique_lock lock(impl_->mutex);
  d.generation = impl_->data.generation + 1;
  impl_->data = std::move(d);
}

std::string WrikeStore::to_json() const {
  std::shared_lock lock(impl_->mutex);
  const auto& d = impl_->data;
  json::object o;
  o["account"] = envelope("accounts", {d.account});
  o["contacts"] = envelope("contacts", d.contacts);
  o["spaces"] = envelope("spaces", d.spaces);
  o["folders"] = envelope("folders", d.folders);
  o["tasks"] = envelope("tasks", d.tasks);
  o["customfields"] = envelope("customfields", d.custom_fields);
  o["workflows"] = envelope("workflows", d.workflows);
  return json::serialize(o);
}

void WrikeStore::save(const std::filesystem::path& path) const {
  auto write = [](const std::filesystem::path& p, const std::string& text) {
    std::ofstream f(p, std::ios::binary | std::ios::trunc);
    if (!f || !(f << text) || !f.flush())
      throw std::runtime_error("wrike emulator: cannot write " + p.string());
  };
  if (path.extension() == ".json") {
    write(path, to_json());
    return;
  }
  std::filesystem::create_directories(path);
  std::shared_lock lock(impl_->mutex);
  const auto& d = impl_->data;
  write(path / "account.json", json::serialize(envelope("accounts", {d.account})));
  write(path / "contacts.json", json::serialize(envelope("contacts", d.contacts)));
  write(path / "spaces.json", json::serialize(envelope("spaces", d.spaces)));
  write(path / "folders.json", json::serialize(envelope("folders", d.folders)));
  write(path / "tasks.json", json::serialize(envelope("tasks", d.tasks)));
  write(path / "customfields.json", json::serialize(envelope("customfields", d.custom_fields)));
  write(path / "workflows.json", json::serialize(envelope("workflows", d.workflows)));
}

void WrikeStore::read(const std::function<void(const WrikeData&)>& f) const {
  std::shared_lock lock(impl_->mutex);
  f(impl_->data);
}

std::string WrikeStore::account_id() const {
  std::shared_lock lock(impl_->mutex);
  return impl_->data.account_id();
}

std::string WrikeStore::root_folder_id() const {
  std::shared_lock lock(impl_->mutex);
  return impl_->data.root_folder_id();
}

std::string WrikeStore::recycle_bin_id() const {
  std::shared_lock lock(impl_->mutex);
  return impl_->data.recycle_bin_id();
}

std::string WrikeStore::me_contact_id() const {
  std::shared_lock lock(impl_->mutex);
  for (const auto& c : impl_->data.contacts)
    if (flag(c, "me")) return std::string(str(c, "id"));
  return impl_->data.contacts.empty() ? std::string() : std::string(str(impl_->data.contacts.front(), "id"));
}

std::optional<json::object> WrikeStore::task(std::string_view id) const {
  std::shared_lock lock(impl_->mutex);
  auto it = impl_->data.task_index.find(std::string(id));
  if (it == impl_->data.task_index.end()) return std::nullopt;
  return impl_->data.tasks[it->second];
}

std::optional<json::object> WrikeStore::folder(std::string_view id) const {
  std::shared_lock lock(impl_->mutex);
  auto it = impl_->data.folder_index.find(std::string(id));
  if (it == impl_->data.folder_index.end()) return std::nullopt;
  return impl_->data.folders[it->second];
}

std::vector<std::string> WrikeStore::task_ids() const {
  std::shared_lock lock(impl_->mutex);
  std::vector<std::string> out;
  out.reserve(impl_->data.tasks.size());
  for (const auto& t : impl_->data.tasks) out.emplace_back(str(t, "id"));
  return out;
}

std::size_t WrikeStore::task_count() const {
  std::shared_lock lock(impl_->mutex);
  return impl_->data.tasks.size();
}

std::string WrikeStore::add_task(std::string_view folder_id, json::object fields) {
  std::vector<WrikeChange> changes;
  std::unique_lock lock(impl_->mutex);
  auto& d = impl_->data;
  auto fit = d.folder_index.find(std::string(folder_id));
  if (fit == d.folder_index.end())
    throw std::invalid_argument("wrike emulator: unknown folder " + std::string(folder_id));
  const auto& folder = d.folders[fit->second];
  const std::string acct = d.account_id();
  const std::string now = impl_->now();

  std::string id(str(fields, "id"));
  while (id.empty() || d.task_index.contains(id)) {
    id = acct + "KT" + base32(impl_->added++, 6);
  }
  std::string me;
  for (const auto& c : d.contacts)
    if (flag(c, "me")) me = std::string(str(c, "id"));

  const bool status_set = fields.contains("status");
  const bool custom_set = fields.contains("customStatusId");
  const bool is_sub = fields.contains("superTaskIds") && fields["superTaskIds"].is_array() &&
                      !fields["superTaskIds"].get_array().empty();

  json::object defaults;
  defaults["id"] = id;
  defaults["accountId"] = acct;
  defaults["title"] = "New task";
  defaults["description"] = "";
  defaults["briefDescription"] = "";
  defaults["parentIds"] = is_sub ? json::array{d.root_folder_id()} : json::array{folder_id};
  defaults["superParentIds"] = is_sub ? json::array{folder_id} : json::array{};
  defaults["sharedIds"] = folder.contains("sharedIds") ? folder.at("sharedIds") : json::array{};
  defaults["responsibleIds"] = json::array{};
  defaults["status"] = "Active";
  defaults["importance"] = "Normal";
  defaults["createdDate"] = now;
  defaults["updatedDate"] = now;
  defaults["dates"] = json::object{{"type", "Backlog"}};
  defaults["scope"] = "WsTask";
  defaults["authorIds"] = me.empty() ? json::array{} : json::array{me};
  defaults["customStatusId"] = "";
  defaults["hasAttachments"] = false;
  defaults["attachmentCount"] = 0;
  defaults["permalink"] = "https://www.wrike.com/open.htm?id=" + std::to_string(1900000000 + impl_->added);
  char prio[32];
  std::snprintf(prio, sizeof prio, "ffff0000%016llx", static_cast<unsigned long long>(impl_->added));
  defaults["priority"] = prio;
  defaults["followedByMe"] = !me.empty();
  defaults["followerIds"] = me.empty() ? json::array{} : json::array{me};
  defaults["superTaskIds"] = json::array{};
  defaults["subTaskIds"] = json::array{};
  defaults["dependencyIds"] = json::array{};
  defaults["metadata"] = json::array{};
  defaults["customFields"] = json::array{};
  defaults["recurrent"] = false;
  ++impl_->added;

  json::object t;
  for (auto& m : defaults) {
    auto it = fields.find(m.key());
    t[m.key()] = it != fields.end() ? it->value() : m.value();
  }
  for (auto& m : fields)
    if (!t.contains(m.key()) && !m.value().is_null()) t[m.key()] = m.value();
  t["id"] = id;
  if (!custom_set) {
    t["customStatusId"] = impl_->first_status(str(folder, "workflowId"), str(t, "status"));
  }
  impl_->reconcile_status(t, status_set || !custom_set, custom_set);
  if (str(t, "customStatusId").empty()) t.erase("customStatusId");

  // Link to parent tasks.
  if (const auto* supers = arr(t, "superTaskIds"))
    for (const auto& s : *supers)
      if (auto it = d.task_index.find(std::string(s.as_string())); it != d.task_index.end()) {
        auto& parent = d.tasks[it->second];
        if (!parent["subTaskIds"].is_array()) parent["subTaskIds"] = json::array{};
        parent["subTaskIds"].as_array().emplace_back(id);
      }
  {
    auto c = impl_->make_change(WrikeChange::Subject::task, t, "TaskCreated");
    std::vector<std::string> direct;
    for (auto key : {"parentIds", "superParentIds"})
      for (auto& x : Impl::strings_of(t, key)) direct.push_back(std::move(x));
    impl_->locate(c, std::move(direct));
    changes.push_back(std::move(c));
  }
  d.task_summaries.push_back(TaskSummary::of(t));
  d.tasks.push_back(std::move(t));
  d.task_index.emplace(id, d.tasks.size() - 1);
  ++d.generation;
  lock.unlock();
  impl_->notify(changes);
  return id;
}

bool WrikeStore::update_task(std::string_view id, const Edit& edit) {
  std::vector<WrikeChange> changes;
  {
    std::unique_lock lock(impl_->mutex);
    auto& d = impl_->data;
    auto it = d.task_index.find(std::string(id));
    if (it == d.task_index.end()) return false;
    json::object copy = d.tasks[it->second];
    edit(d, copy);
    changes = impl_->commit_task(it->second, std::move(copy));
  }
  impl_->notify(changes);
  return true;
}

bool WrikeStore::update_folder(std::string_view id, const Edit& edit) {
  std::vector<WrikeChange> changes;
  {
    std::unique_lock lock(impl_->mutex);
    auto& d = impl_->data;
    auto it = d.folder_index.find(std::string(id));
    if (it == d.folder_index.end()) return false;
    json::object copy = d.folders[it->second];
    edit(d, copy);
    changes = impl_->commit_folder(it->second, std::move(copy));
  }
  impl_->notify(changes);
  return true;
}

bool WrikeStore::modify_task(std::string_view id, const json::object& patch) {
  return update_task(id, [&](const WrikeData&, json::object& t) {
    for (const auto& m : patch) {
      if (m.key() == "id") continue;
      if (m.value().is_null())
        t.erase(m.key());
      else
        t[m.key()] = m.value();
    }
  });
}

bool WrikeStore::modify_folder(std::string_view id, const json::object& patch) {
  return update_folder(id, [&](const WrikeData&, json::object& f) {
    for (const auto& m : patch) {
      if (m.key() == "id") continue;
      if (m.value().is_null()) {
        f.erase(m.key());
      } else if (m.key() == "project" && m.value().is_object() && f.contains("project") &&
                 f.at("project").is_object()) {
        auto& p = f["project"].as_object();
        for (const auto& x : m.value().get_object()) {
          if (x.value().is_null())
            p.erase(x.key());
          else
            p[x.key()] = x.value();
        }
      } else {
        f[m.key()] = m.value();
      }
    }
  });
}

bool WrikeStore::delete_task(std::string_view id) {
  std::string rb;
  {
    std::shared_lock lock(impl_->mutex);
    rb = impl_->data.recycle_bin_id();
  }
  return update_task(id, [&](const WrikeData&, json::object& t) {
    t["scope"] = "RbTask";
    t["parentIds"] = json::array{rb};
    t["superParentIds"] = json::array{};
  });
}

bool WrikeStore::touch_task(std::string_view id, std::optional<std::string> when) {
  std::unique_lock lock(impl_->mutex);
  auto& d = impl_->data;
  auto it = d.task_index.find(std::string(id));
  if (it == d.task_index.end()) return false;
  if (when && !parse_timestamp(*when))
    throw std::invalid_argument("wrike emulator: updatedDate must be yyyy-MM-ddTHH:mm:ssZ");
  d.tasks[it->second]["updatedDate"] = when ? *when : impl_->now();
  d.task_summaries[it->second].updated_date = str(d.tasks[it->second], "updatedDate");
  ++d.generation;
  return true;
}

void WrikeStore::set_change_listener(ChangeListener listener) {
  std::lock_guard lock(impl_->listener_mutex);
  impl_->listener = std::move(listener);
}

void WrikeStore::set_clock(std::function<std::chrono::system_clock::time_point()> clock) {
  std::unique_lock lock(impl_->mutex);
  impl_->clock = std::move(clock);
}

std::string WrikeStore::now() const {
  std::shared_lock lock(impl_->mutex);
  return impl_->now();
}

}  // namespace wrike_cascade::emulator
