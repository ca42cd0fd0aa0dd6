// Conformance against real Wrike bodies (../shared/wrike-fixtures, see SOURCES.md there): every
// file decodes with the model its content calls for, re-encodes to the same JSON, and the key
// files are checked field by field.
#include "fixture_util.hpp"

#include <wrike/custom_field_value.hpp>
#include <wrike/model.hpp>

#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <vector>

namespace {

namespace json = boost::json;
namespace fs = std::filesystem;
using namespace std::chrono;

// ---- which model each file is ----------------------------------------------------------------

enum class Shape {
  ContactEnvelope, SpaceEnvelope, FolderTreeEnvelope, FolderEnvelope, TaskEnvelope, CustomFieldEnvelope,
  WorkflowEnvelope,
  ContactRecord, FolderTreeRecord, TaskRecord, WorkflowRecord,  // airbyte: one item, no envelope
  OtherEnvelope,    // accounts, comments, attachments, groups, webhooks: not these models
  WebhookDelivery,  // a JSON array of events, or one event object
  ErrorBody,        // {"error", "errorDescription"}
};

struct FixtureCase {
  const char* file;
  Shape shape;
};

void PrintTo(const FixtureCase& c, std::ostream* os) { *os << c.file; }

// Every *.json under wrike-fixtures/ must be listed here (checked below).
const FixtureCase kFixtures[] = {
    {"activepieces__webhook_event_TaskCreated_docs_sample.json", Shape::WebhookDelivery},
    {"airbyte__record_contacts_item.json", Shape::ContactRecord},
    {"airbyte__record_folders_item.json", Shape::FolderTreeRecord},
    {"airbyte__record_tasks_item.json", Shape::TaskRecord},
    {"airbyte__record_workflows_item.json", Shape::WorkflowRecord},
    {"csusb__customfields_account_21_types.json", Shape::CustomFieldEnvelope},
    {"csusb__folders_tree_large_509.json", Shape::FolderTreeEnvelope},
    {"csusb__folders_tree_small_15.json", Shape::FolderTreeEnvelope},
    {"daisaru11__tasks_single_with_followers.json", Shape::TaskEnvelope},
    {"deskpro__account_get.json", Shape::OtherEnvelope},
    {"deskpro__comments_task_list.json", Shape::OtherEnvelope},
    {"deskpro__contacts_list_mixed_types.json", Shape::ContactEnvelope},
    {"deskpro__customfields_list.json", Shape::CustomFieldEnvelope},
    {"deskpro__folders_tree.json", Shape::FolderTreeEnvelope},
    {"deskpro__task_single_full_html_description.json", Shape::TaskEnvelope},
    {"deskpro__tasks_list_default_fields.json", Shape::TaskEnvelope},
    {"deskpro__tasks_subtasks_full_fields.json", Shape::TaskEnvelope},
    {"deskpro__workflows_empty.json", Shape::WorkflowEnvelope},
    {"devrev__contacts_by_ids.json", Shape::ContactEnvelope},
    {"devrev__space_folders_projects.json", Shape::FolderEnvelope},
    {"devrev__space_with_members.json", Shape::SpaceEnvelope},
    {"katoiek__customfields_space_japanese_dropdown_multiple.json", Shape::CustomFieldEnvelope},
    {"pipedream_issue__error_not_authorized_wrong_host.json", Shape::ErrorBody},
    {"unattributed/nextflowbot__attachments_task_list.json", Shape::OtherEnvelope},
    {"unattributed/nextflowbot__task_single_with_customFields_and_newstyle_ids.json", Shape::TaskEnvelope},
    {"unattributed/nextflowbot__webhook_delivery_TaskCreated_array.json", Shape::WebhookDelivery},
    {"unattributed/nextflowbot__webhook_delivery_TaskDeleted_array.json", Shape::WebhookDelivery},
    {"unattributed/nextflowbot__webhooks_list_folder_hook.json", Shape::OtherEnvelope},
    {"unattributed/nextflowbot__workflows_space_custom_11_statuses.json", Shape::WorkflowEnvelope},
    {"wrikedocs_via_wrike.go__all_accounts.json", Shape::OtherEnvelope},
    {"wrikedocs_via_wrike.go__all_contacts.json", Shape::ContactEnvelope},
    {"wrikedocs_via_wrike.go__all_custom_fields.json", Shape::CustomFieldEnvelope},
    {"wrikedocs_via_wrike.go__all_groups.json", Shape::OtherEnvelope},
    {"wrikedocs_via_wrike.go__all_tasks.json", Shape::TaskEnvelope},
    {"wrikedocs_via_wrike.go__all_workflows.json", Shape::WorkflowEnvelope},
    {"wrikedocs_via_wrike.go__contacts_by_ids.json", Shape::ContactEnvelope},
    {"wrikedocs_via_wrike.go__copied_folder.json", Shape::FolderEnvelope},
    {"wrikedocs_via_wrike.go__created_custom_field.json", Shape::CustomFieldEnvelope},
    {"wrikedocs_via_wrike.go__created_folder.json", Shape::FolderEnvelope},
    {"wrikedocs_via_wrike.go__created_group.json", Shape::OtherEnvelope},
    {"wrikedocs_via_wrike.go__created_task.json", Shape::TaskEnvelope},
    {"wrikedocs_via_wrike.go__created_workflow.json", Shape::WorkflowEnvelope},
    {"wrikedocs_via_wrike.go__custom_fields_by_id.json", Shape::CustomFieldEnvelope},
    {"wrikedocs_via_wrike.go__deleted_folder.json", Shape::FolderEnvelope},
    {"wrikedocs_via_wrike.go__deleted_group.json", Shape::OtherEnvelope},
    {"wrikedocs_via_wrike.go__deleted_task.json", Shape::TaskEnvelope},
    {"wrikedocs_via_wrike.go__folder_subtree.json", Shape::FolderTreeEnvelope},
    {"wrikedocs_via_wrike.go__folder_tree.json", Shape::FolderTreeEnvelope},
    {"wrikedocs_via_wrike.go__folders.json", Shape::FolderEnvelope},
    {"wrikedocs_via_wrike.go__group.json", Shape::OtherEnvelope},
    {"wrikedocs_via_wrike.go__modified_account.json", Shape::OtherEnvelope},
    {"wrikedocs_via_wrike.go__modified_contact.json", Shape::ContactEnvelope},
    {"wrikedocs_via_wrike.go__modified_custom_field.json", Shape::CustomFieldEnvelope},
    {"wrikedocs_via_wrike.go__modified_folder.json", Shape::FolderEnvelope},
    {"wrikedocs_via_wrike.go__modified_folders.json", Shape::FolderEnvelope},
    {"wrikedocs_via_wrike.go__modified_group.json", Shape::OtherEnvelope},
    {"wrikedocs_via_wrike.go__modified_task.json", Shape::TaskEnvelope},
    {"wrikedocs_via_wrike.go__modified_tasks.json", Shape::TaskEnvelope},
    // GET/PUT /users/{id} returns the contact model (kind "users").
    {"wrikedocs_via_wrike.go__modified_user.json", Shape::ContactEnvelope},
    {"wrikedocs_via_wrike.go__modified_workflow.json", Shape::WorkflowEnvelope},
    {"wrikedocs_via_wrike.go__tasks_by_ids.json", Shape::TaskEnvelope},
    {"wrikedocs_via_wrike.go__tasks_in_folder.json", Shape::TaskEnvelope},
    {"wrikedocs_via_wrike.go__user.json", Shape::ContactEnvelope},
};

// Decodes one item, re-encodes it, and checks the JSON is the same as the wire object (unknown
// fields included) and that decoding the re-encoded JSON gives an equal model.
template <class T>
void check_round_trip(const T& decoded, const json::value& wire) {
  const json::value encoded = json::value_from(decoded);
  EXPECT_EQ(encoded, wire) << "re-encoded:\n" << json::serialize(encoded) << "\nwire:\n" << json::serialize(wire);
  EXPECT_EQ(json::value_to<T>(encoded), decoded);
}

template <class T>
void check_envelope(const json::value& body) {
  const wrike::Envelope<T> env = wrike::decode_envelope<T>(body);
  const json::array& data = body.at("data").as_array();
  ASSERT_EQ(env.data.size(), data.size());
  EXPECT_EQ(env.kind, body.at("kind").as_string());
  for (std::size_t i = 0; i < data.size(); ++i) {
    SCOPED_TRACE("data[" + std::to_string(i) + "]");
    check_round_trip(env.data[i], data[i]);
  }
}

template <class T>
void check_record(const json::value& body) {
  check_round_trip(json::value_to<T>(body), body);
}

void check_other_envelope(const json::value& body) {
  ASSERT_TRUE(body.is_object());
  ASSERT_TRUE(body.at("kind").is_string());
  ASSERT_TRUE(body.at("data").is_array());
  for (const json::value& item : body.at("data").as_array()) {
    ASSERT_TRUE(item.is_object());
    ASSERT_TRUE(item.at("id").is_string());
    EXPECT_TRUE(wrike::is_valid_id(item.at("id").as_string()));
  }
}

class WrikeFixtures : public ::testing::TestWithParam<FixtureCase> {};

TEST_P(WrikeFixtures, DecodesAndRoundTrips) {
  WRIKE_LOAD_FIXTURE_OR_SKIP(body, GetParam().file);
  switch (GetParam().shape) {
    case Shape::ContactEnvelope: check_envelope<wrike::Contact>(body); break;
    case Shape::SpaceEnvelope: check_envelope<wrike::Space>(body); break;
    case Shape::FolderTreeEnvelope: check_envelope<wrike::FolderTreeEntry>(body); break;
    case Shape::FolderEnvelope: check_envelope<wrike::Folder>(body); break;
    case Shape::TaskEnvelope: check_envelope<wrike::Task>(body); break;
    case Shape::CustomFieldEnvelope: check_envelope<wrike::CustomField>(body); break;
    case Shape::WorkflowEnvelope: check_envelope<wrike::Workflow>(body); break;
    case Shape::ContactRecord: check_record<wrike::Contact>(body); break;
    case Shape::FolderTreeRecord: check_record<wrike::FolderTreeEntry>(body); break;
    case Shape::TaskRecord: check_record<wrike::Task>(body); break;
    case Shape::WorkflowRecord: check_record<wrike::Workflow>(body); break;
    case Shape::OtherEnvelope: check_other_envelope(body); break;
    case Shape::WebhookDelivery: {
      const json::array events = body.is_array() ? body.as_array() : json::array{body};
      ASSERT_FALSE(events.empty());
      for (const json::value& e : events) {
        EXPECT_TRUE(e.at("eventType").is_string());
        EXPECT_NO_THROW(wrike::parse_timestamp(e.at("lastUpdatedDate").as_string()));
      }
      break;
    }
    case Shape::ErrorBody:
      EXPECT_TRUE(body.at("error").is_string());
      EXPECT_THROW(wrike::decode_envelope<wrike::Task>(body), wrike_cascade::Error);
      break;
  }
}

std::string case_name(const ::testing::TestParamInfo<FixtureCase>& info) {
  std::string name = info.param.file;
  name = name.substr(0, name.rfind(".json"));
  for (char& ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(All, WrikeFixtures, ::testing::ValuesIn(kFixtures), case_name);

TEST(WrikeFixtureTable, ListsEveryJsonFile) {
  const auto dir = wrike_test::fixtures_dir();
  if (!dir) GTEST_SKIP() << wrike_test::kNoFixtures;
  std::set<std::string> on_disk;
  for (const auto& e : fs::recursive_directory_iterator(*dir))
    if (e.is_regular_file() && e.path().extension() == ".json")
      on_disk.insert(e.path().lexically_relative(*dir).generic_string());
  std::set<std::string> listed;
  for (const auto& c : kFixtures) listed.insert(c.file);
  for (const auto& f : on_disk) EXPECT_TRUE(listed.count(f)) << "add to kFixtures: " << f;
  for (const auto& f : listed) EXPECT_TRUE(on_disk.count(f)) << "listed but missing: " << f;
}

// ---- field by field --------------------------------------------------------------------------

template <class Id>
std::vector<std::string> strs(const std::optional<std::vector<Id>>& ids) {
  std::vector<std::string> out;
  if (ids)
    for (const auto& id : *ids) out.push_back(id.str());
  return out;
}
using Strings = std::vector<std::string>;

TEST(WrikeFixtureFields, FullTaskWithTwelveTypedCustomFields) {
  WRIKE_LOAD_FIXTURE_OR_SKIP(task_body, "deskpro__task_single_full_html_description.json");
  WRIKE_LOAD_FIXTURE_OR_SKIP(defs_body, "deskpro__customfields_list.json");
  const auto tasks = wrike::decode_envelope<wrike::Task>(task_body);
  ASSERT_EQ(tasks.data.size(), 1u);
  const wrike::Task& t = tasks.data[0];

  EXPECT_EQ(t.id.str(), "IEAGJJFWKRMLJ433");
  EXPECT_EQ(t.account_id->str(), "IEAGJJFW");
  EXPECT_EQ(t.title, "first task");
  EXPECT_TRUE(t.description->starts_with("<h3>Add a description for the task here</h3>"));
  EXPECT_NE(t.description->find("<img src=\"https://storage.www.wrike.com/filemeta/oriented/F532111204.A6595766\" />"),
            std::string::npos);
  EXPECT_TRUE(t.brief_description->starts_with("Add a description for the task here You can: • Use"));
  EXPECT_EQ(strs(t.parent_ids), Strings{"IEAGJJFWI5MLJ43V"});
  ASSERT_TRUE(t.super_parent_ids);
  EXPECT_TRUE(t.super_parent_ids->empty());
  EXPECT_EQ(strs(t.shared_ids), (Strings{"KUATMOGX", "KX7XV7IP", "KUATMAGA"}));
  EXPECT_EQ(strs(t.responsible_ids), Strings{"KUATMOGX"});
  EXPECT_EQ(t.status, wrike::TaskStatus::Active);
  EXPECT_EQ(t.importance, wrike::Importance::High);
  EXPECT_EQ(t.created_date, sys_days{2024y / September / 6} + 9h + 51min + 4s);
  EXPECT_EQ(t.updated_date, sys_days{2024y / September / 10} + 8h + 11min + 58s);
  EXPECT_FALSE(t.completed_date);
  ASSERT_TRUE(t.dates);
  EXPECT_EQ(t.dates->type, wrike::TaskDatesType::Planned);
  EXPECT_EQ(t.dates->duration, minutes{960});
  EXPECT_EQ(t.dates->start, local_days{2024y / September / 5} + 9h);
  EXPECT_EQ(t.dates->due, local_days{2024y / September / 6} + 17h);
  EXPECT_EQ(t.scope, wrike::Scope::WsTask);
  EXPECT_EQ(strs(t.author_ids), Strings{"KUATMOGX"});
  EXPECT_EQ(t.custom_status_id->str(), "IEAGJJFWJMFEXYCW");
  EXPECT_EQ(t.has_attachments, true);
  EXPECT_FALSE(t.attachment_count);
  EXPECT_EQ(t.permalink, "https://www.wrike.com/open.htm?id=1488253819");
  EXPECT_EQ(t.priority, "09af90007fffffffffff8ff0");
  EXPECT_EQ(t.followed_by_me, true);
  EXPECT_EQ(strs(t.follower_ids), Strings{"KUATMOGX"});
  EXPECT_TRUE(t.super_task_ids && t.super_task_ids->empty());
  EXPECT_EQ(strs(t.sub_task_ids), (Strings{"IEAGJJFWKRMLJ44F", "IEAGJJFWKRMLJ437"}));
  EXPECT_EQ(strs(t.dependency_ids), (Strings{"IEAGJJFWIVMLJ433KNMLJ43Z", "IEAGJJFWIVMLJ433KNMLJ44F"}));
  EXPECT_TRUE(t.metadata && t.metadata->empty());
  EXPECT_TRUE(t.extra.empty());
  ASSERT_TRUE(t.custom_fields);
  ASSERT_EQ(t.custom_fields->size(), 12u);

  wrike::CustomFieldIndex index(wrike::decode_envelope<wrike::CustomField>(defs_body).data);
  ASSERT_EQ(index.size(), 12u);
  std::map<std::string, wrike::TypedValue> by_title;
  for (const wrike::CustomFieldValue& cf : *t.custom_fields) {
    const wrike::CustomField* def = index.find(cf.id);
    ASSERT_NE(def, nullptr) << cf.id;
    const wrike::TypedValue v = index.typed(cf);
    EXPECT_EQ(wrike::encode_value(v), cf.value) << def->title;  // typed values write back unchanged
    by_title.emplace(def->title, v);
  }
  ASSERT_EQ(by_title.size(), 12u);

  EXPECT_EQ(std::get<wrike::DropDownValue>(by_title.at("Impact")).option, "Low");
  const auto budget = std::get<wrike::NumberValue>(by_title.at("Budget"));
  EXPECT_EQ(budget.value, 5000.0);
  EXPECT_EQ(budget.kind, wrike::NumberKind::Currency);
  EXPECT_EQ(budget.currency, "USD");
  EXPECT_EQ(budget.decimal_places, 2);
  const auto percent = std::get<wrike::NumberValue>(by_title.at("Percent field"));
  EXPECT_EQ(percent.value, 79.0);
  EXPECT_EQ(percent.kind, wrike::NumberKind::Percentage);
  EXPECT_FALSE(percent.currency);
  const auto people = std::get<wrike::ContactsValue>(by_title.at("People field"));
  ASSERT_EQ(people.contacts.size(), 2u);
  EXPECT_EQ(people.contacts[0], wrike::ContactId{"KUATMOGX"});
  EXPECT_EQ(people.contacts[1], wrike::ContactId{"IEAGJJFWJEASM4KC"});  // an invitation
  EXPECT_EQ(std::get<wrike::DurationValue>(by_title.at("Duration field")).duration, 2h + 25min);
  const auto uah = std::get<wrike::NumberValue>(by_title.at("Currency field"));
  EXPECT_EQ(uah.value, 100500.0);
  EXPECT_EQ(uah.currency, "UAH");
  EXPECT_EQ(std::get<wrike::MultipleValue>(by_title.at("Multiple select field")).options,
            (Strings{"one", "three", "five"}));
  EXPECT_EQ(std::get<wrike::TextValue>(by_title.at("Text field")).text,
            "Text field Text field Text field Text field Text field");
  EXPECT_TRUE(std::get<wrike::CheckboxValue>(by_title.at("Checkbox field")).checked);
  const auto number = std::get<wrike::NumberValue>(by_title.at("Number field"));
  EXPECT_EQ(number.value, 500100.0);
  EXPECT_EQ(number.kind, wrike::NumberKind::Numeric);
  EXPECT_EQ(number.decimal_places, 0);
  EXPECT_EQ(std::get<wrike::DropDownValue>(by_title.at("Single select field")).option, "two");
  const auto date = std::get<wrike::DateValue>(by_title.at("Date field"));
  EXPECT_EQ(date.date, 2024y / September / 11);
  EXPECT_FALSE(date.time);
}

TEST(WrikeFixtureFields, CustomFieldDefinitions) {
  WRIKE_LOAD_FIXTURE_OR_SKIP(body, "deskpro__customfields_list.json");
  const auto defs = wrike::decode_envelope<wrike::CustomField>(body).data;
  ASSERT_EQ(defs.size(), 12u);
  const wrike::CustomField& impact = defs[0];
  EXPECT_EQ(impact.title, "Impact");
  EXPECT_EQ(impact.type, wrike::CustomFieldType::DropDown);
  EXPECT_EQ(impact.space_id->str(), "IEAGJJFWI5MLJ426");
  EXPECT_TRUE(impact.sharing && impact.sharing->empty());
  const auto& s = *impact.settings;
  EXPECT_EQ(s.inheritance_type, "All");
  EXPECT_EQ(*s.applicable_entity_types, Strings{"WorkItem"});
  EXPECT_EQ(*s.values, (Strings{"Low", "Medium", "High"}));
  ASSERT_EQ(s.options->size(), 3u);
  EXPECT_EQ((*s.options)[2].value, "High");
  EXPECT_EQ((*s.options)[2].color, "Red");
  EXPECT_EQ(s.option_colors_enabled, true);
  EXPECT_EQ(s.allow_other_values, false);
  EXPECT_EQ(s.read_only, false);
  const wrike::CustomField& budget = defs[1];
  EXPECT_EQ(budget.type, wrike::CustomFieldType::Currency);
  EXPECT_EQ(budget.settings->currency, "USD");
  EXPECT_EQ(budget.settings->decimal_places, 2);
  EXPECT_EQ(budget.settings->use_thousands_separator, true);
  EXPECT_EQ(budget.settings->aggregation, "Sum");
  const wrike::CustomField& people = defs[11];
  EXPECT_EQ(people.type, wrike::CustomFieldType::Contacts);
  EXPECT_EQ(strs(people.settings->contacts).size(), 4u);
  EXPECT_EQ(people.settings->allow_time, false);
  for (const auto& d : defs) EXPECT_TRUE(d.type.known()) << d.title;

  WRIKE_LOAD_FIXTURE_OR_SKIP(jp, "katoiek__customfields_space_japanese_dropdown_multiple.json");
  const auto jdefs = wrike::decode_envelope<wrike::CustomField>(jp).data;
  ASSERT_EQ(jdefs.size(), 2u);
  EXPECT_EQ(jdefs[0].title, "区分");
  EXPECT_EQ(jdefs[1].type, wrike::CustomFieldType::Multiple);
  EXPECT_EQ((*jdefs[1].settings->options)[1].value, "GAS・マクロ");
  const auto v = wrike::decode_value(jdefs[1], R"(["RPA","GAS・マクロ"])");
  EXPECT_EQ(std::get<wrike::MultipleValue>(v).options, (Strings{"RPA", "GAS・マクロ"}));
}

TEST(WrikeFixtureFields, TaskListDefaultFields) {
  WRIKE_LOAD_FIXTURE_OR_SKIP(body, "deskpro__tasks_list_default_fields.json");
  const auto env = wrike::decode_envelope<wrike::Task>(body);
  EXPECT_EQ(env.kind, "tasks");
  EXPECT_FALSE(env.next_page_token);
  ASSERT_EQ(env.data.size(), 4u);
  const wrike::Task& third = env.data[0];
  EXPECT_EQ(third.title, "third task");
  EXPECT_EQ(third.dates->type, wrike::TaskDatesType::Planned);
  EXPECT_EQ(third.dates->duration, minutes{960});
  EXPECT_EQ(third.dates->start, local_days{2024y / September / 11} + 9h);
  EXPECT_EQ(third.dates->due, local_days{2024y / September / 12} + 17h);
  EXPECT_EQ(wrike::format_local_datetime(*third.dates->due), "2024-09-12T17:00:00");
  EXPECT_EQ(third.priority, "09af90007fffffffffff8f58");
  const wrike::Task& fourth = env.data[1];
  EXPECT_EQ(fourth.dates->type, wrike::TaskDatesType::Backlog);
  EXPECT_FALSE(fourth.dates->start);
  EXPECT_FALSE(fourth.dates->due);
  EXPECT_FALSE(fourth.dates->duration);
  for (const wrike::Task& t : env.data) {
    // The default list field set: these were not requested, so they are absent, not empty.
    EXPECT_FALSE(t.responsible_ids);
    EXPECT_FALSE(t.parent_ids);
    EXPECT_FALSE(t.custom_fields);
    EXPECT_FALSE(t.description);
    EXPECT_FALSE(t.author_ids);
    EXPECT_TRUE(t.permalink);
    EXPECT_TRUE(t.custom_status_id);
    EXPECT_TRUE(t.extra.empty());
  }
}

TEST(WrikeFixtureFields, SubtasksFullFields) {
  WRIKE_LOAD_FIXTURE_OR_SKIP(body, "deskpro__tasks_subtasks_full_fields.json");
  const auto tasks = wrike::decode_envelope<wrike::Task>(body).data;
  ASSERT_EQ(tasks.size(), 3u);
  for (const wrike::Task& t : tasks) {
    // Subtasks sit in the root folder; the real folder is in superParentIds.
    EXPECT_EQ(strs(t.parent_ids), Strings{"IEAGJJFWI7777777"});
    EXPECT_EQ(strs(t.super_parent_ids), Strings{"IEAGJJFWI5MLJ43V"});
    EXPECT_EQ(strs(t.super_task_ids), Strings{"IEAGJJFWKRMLJ433"});
    EXPECT_TRUE(t.sub_task_ids && t.sub_task_ids->empty());
    EXPECT_TRUE(t.custom_fields && t.custom_fields->empty());
    EXPECT_EQ(t.description, "");
  }
  EXPECT_EQ(tasks[0].title, "Third subitem");
  EXPECT_EQ(tasks[0].dates->type, wrike::TaskDatesType::Backlog);
  EXPECT_EQ(strs(tasks[0].follower_ids), (Strings{"KUATMAGA", "KUATMOGX"}));
  EXPECT_EQ(strs(tasks[0].responsible_ids), Strings{"KUATMAGA"});
  EXPECT_EQ(tasks[1].dates->duration, minutes{480});
  EXPECT_EQ(strs(tasks[1].dependency_ids), (Strings{"IEAGJJFWIVMLJ437KNMLJ43Z", "IEAGJJFWIVMLJ44FKNMLJ437"}));
  EXPECT_EQ(tasks[2].status, wrike::TaskStatus::Completed);
  EXPECT_EQ(tasks[2].completed_date, sys_days{2024y / September / 6} + 9h + 51min + 5s);
  EXPECT_EQ(tasks[2].custom_status_id->str(), "IEAGJJFWJMFEXYCD");
}

TEST(WrikeFixtureFields, ContactsMixedTypesIncludingInvitation) {
  WRIKE_LOAD_FIXTURE_OR_SKIP(body, "deskpro__contacts_list_mixed_types.json");
  const auto contacts = wrike::decode_envelope<wrike::Contact>(body).data;
  ASSERT_EQ(contacts.size(), 2u);
  const wrike::Contact& inv = contacts[0];
  EXPECT_EQ(inv.id.str(), "IEAGJJFWJEASM4KC");  // 16-char invitation ID
  EXPECT_TRUE(inv.type.known());
  EXPECT_EQ(inv.type, wrike::ContactType::Invitation);
  EXPECT_EQ(inv.type.str(), "Invitation");
  EXPECT_FALSE(inv.first_name);
  ASSERT_EQ(inv.profiles->size(), 1u);
  EXPECT_EQ((*inv.profiles)[0].email, "ivan.vyhovsky@cossacks.org");
  EXPECT_EQ((*inv.profiles)[0].role, "User");
  EXPECT_EQ((*inv.profiles)[0].external, false);
  EXPECT_FALSE((*inv.profiles)[0].admin);
  EXPECT_EQ(inv.deleted, false);
  EXPECT_EQ(inv.me, false);

  const wrike::Contact& p = contacts[1];
  EXPECT_EQ(p.type, wrike::ContactType::Person);
  EXPECT_EQ(p.first_name, "Pylyp");
  EXPECT_EQ(p.last_name, "Orlyk");
  EXPECT_EQ((*p.profiles)[0].owner, true);
  EXPECT_EQ((*p.profiles)[0].admin, false);
  EXPECT_EQ(p.timezone, "US/Pacific");
  EXPECT_EQ(p.locale, "en");
  EXPECT_EQ(p.me, true);
  EXPECT_EQ(p.title, "Empty");
  EXPECT_EQ(p.company_name, "Zaporizhian Host");
  EXPECT_EQ(p.phone, "+380 0504567892");
  EXPECT_EQ(p.primary_email, "pylyp.orlyk@zaporizhian.org");
  EXPECT_TRUE(p.avatar_url->starts_with("https://www.wrike.com/avatars//"));

  WRIKE_LOAD_FIXTURE_OR_SKIP(group_body, "airbyte__record_contacts_item.json");
  const auto group = json::value_to<wrike::Contact>(group_body);
  EXPECT_EQ(group.type, wrike::ContactType::Group);
  EXPECT_EQ(group.my_team, true);
  EXPECT_EQ(strs(group.member_ids), Strings{"KUAOFOSO"});
  EXPECT_EQ(group.timezone, "Z");

  WRIKE_LOAD_FIXTURE_OR_SKIP(devrev, "devrev__contacts_by_ids.json");
  const auto dc = wrike::decode_envelope<wrike::Contact>(devrev).data;
  EXPECT_EQ((*dc[0].profiles)[0].active, true);
  EXPECT_EQ(dc[1].id.str(), "NVJKSNJK");
}

TEST(WrikeFixtureFields, ElevenStatusWorkflowWithDarkRed) {
  WRIKE_LOAD_FIXTURE_OR_SKIP(body, "unattributed/nextflowbot__workflows_space_custom_11_statuses.json");
  const auto wfs = wrike::decode_envelope<wrike::Workflow>(body).data;
  ASSERT_EQ(wfs.size(), 1u);
  const wrike::Workflow& wf = wfs[0];
  EXPECT_EQ(wf.id.str(), "IEAAIKU5K4HRVOKU");
  EXPECT_EQ(wf.space_id->str(), "MQAAAAEN9xux");
  EXPECT_EQ(wf.name, "Nextflow Pipeline Workflow");
  EXPECT_EQ(wf.standard, false);
  EXPECT_EQ(wf.description, "");
  ASSERT_EQ(wf.custom_statuses->size(), 11u);
  std::map<wrike::TaskStatus, int> groups;
  for (const auto& s : *wf.custom_statuses) {
    EXPECT_TRUE(s.group->known()) << s.name;
    ++groups[s.group->value()];
  }
  EXPECT_EQ(groups[wrike::TaskStatus::Active], 7);
  EXPECT_EQ(groups[wrike::TaskStatus::Completed], 3);
  EXPECT_EQ(groups[wrike::TaskStatus::Cancelled], 1);
  const wrike::CustomStatus& failed = (*wf.custom_statuses)[8];
  EXPECT_EQ(failed.name, "Failed");
  EXPECT_EQ(failed.color, "DarkRed");
  EXPECT_EQ(failed.group, wrike::TaskStatus::Completed);
  EXPECT_EQ((*wf.custom_statuses)[9].color, "Brown");
  EXPECT_EQ((*wf.custom_statuses)[7].standard_name, true);

  WRIKE_LOAD_FIXTURE_OR_SKIP(empty, "deskpro__workflows_empty.json");
  EXPECT_TRUE(wrike::decode_envelope<wrike::Workflow>(empty).data.empty());
}

TEST(WrikeFixtureFields, LargeFolderTree) {
  WRIKE_LOAD_FIXTURE_OR_SKIP(body, "csusb__folders_tree_large_509.json");
  const auto env = wrike::decode_envelope<wrike::FolderTreeEntry>(body);
  EXPECT_EQ(env.kind, "folderTree");
  ASSERT_EQ(env.data.size(), 509u);
  std::map<std::string, int> status;
  int projects = 0, starts = 0, ends = 0, completed = 0;
  for (const auto& e : env.data) {
    if (!e.is_project()) continue;
    ++projects;
    ASSERT_TRUE(e.project->status);
    EXPECT_TRUE(e.project->status->known());
    ++status[e.project->status->str()];
    starts += e.project->start_date.has_value();
    ends += e.project->end_date.has_value();
    completed += e.project->completed_date.has_value();
    EXPECT_TRUE(e.project->created_date);
    EXPECT_TRUE(e.project->author_id);
  }
  EXPECT_EQ(projects, 423);  // per SOURCES.md
  EXPECT_EQ(status, (std::map<std::string, int>{{"Green", 192}, {"Completed", 175}, {"Yellow", 31},
                                                {"OnHold", 19}, {"Red", 4}, {"Cancelled", 2}}));
  EXPECT_EQ(starts, 254);
  EXPECT_EQ(ends, 229);
  EXPECT_EQ(completed, 196);

  EXPECT_EQ(env.data[0].id.str(), "IEAAVFCRI7777777");
  EXPECT_EQ(env.data[0].scope, wrike::Scope::WsRoot);
  EXPECT_EQ(env.data[0].child_ids->size(), 4u);
  EXPECT_EQ(env.data[1].scope, wrike::Scope::RbRoot);
  EXPECT_EQ(env.data[1].child_ids->size(), 18u);

  const auto audit = std::find_if(env.data.begin(), env.data.end(),
                                  [](const auto& e) { return e.title == "2016 PDC Inventory Audit"; });
  ASSERT_NE(audit, env.data.end());
  EXPECT_EQ(audit->project->status, wrike::ProjectStatus::Green);
  EXPECT_EQ(audit->project->start_date, 2016y / May / 16);
  EXPECT_EQ(audit->project->end_date, 2016y / August / 22);
  EXPECT_EQ(strs(audit->project->owner_ids), (Strings{"KUABR7MM", "KUACFKB7"}));
  EXPECT_EQ(audit->project->created_date, sys_days{2016y / March / 14} + 20h + 52min + 49s);

  const auto provost = std::find_if(env.data.begin(), env.data.end(), [](const auto& e) {
    return e.title == "Academic Affairs - Office of the Provost";
  });
  ASSERT_NE(provost, env.data.end());
  EXPECT_EQ(provost->scope, wrike::Scope::RbFolder);
  EXPECT_EQ(provost->project->completed_date, sys_days{2017y / April / 20} + 18h + 58min + 42s);
}

TEST(WrikeFixtureFields, LegacyFolderTreeChildrenArePreserved) {
  WRIKE_LOAD_FIXTURE_OR_SKIP(body, "wrikedocs_via_wrike.go__folder_tree.json");
  const auto tree = wrike::decode_envelope<wrike::FolderTreeEntry>(body).data;
  ASSERT_EQ(tree.size(), 3u);
  EXPECT_EQ(tree[0].extra.at("children").as_array().size(), 3u);
  EXPECT_EQ(json::value_from(tree[0]).at("children"), body.at("data").at(0).at("children"));
}

TEST(WrikeFixtureFields, SpaceFoldersProjectsBlock) {
  WRIKE_LOAD_FIXTURE_OR_SKIP(body, "devrev__space_folders_projects.json");
  const auto folders = wrike::decode_envelope<wrike::Folder>(body).data;
  ASSERT_EQ(folders.size(), 1u);
  const wrike::Folder& f = folders[0];
  EXPECT_EQ(f.title, "First project");
  EXPECT_TRUE(f.is_project());
  EXPECT_EQ(f.created_date, sys_days{2025y / April / 29} + 7h + 18min + 32s);
  EXPECT_EQ(f.updated_date, sys_days{2025y / May / 26} + 7h + 44min + 20s);
  EXPECT_EQ(strs(f.parent_ids), Strings{"IEAGS6BYI5RFMPPY"});
  EXPECT_TRUE(f.child_ids && f.child_ids->empty());
  EXPECT_EQ(f.scope, wrike::Scope::WsFolder);
  EXPECT_EQ(f.workflow_id->str(), "IEAGS6BYK4F3BCSQ");
  EXPECT_EQ(f.shared_ids->size(), 5u);
  const wrike::ProjectInfo& p = *f.project;
  EXPECT_EQ(p.author_id->str(), "KUAUZTPW");
  EXPECT_EQ(strs(p.owner_ids), Strings{"KUAUZTPW"});
  EXPECT_EQ(p.custom_status_id->str(), "IEAGS6BYJMF3BCR4");
  EXPECT_EQ(p.created_date, sys_days{2025y / April / 29} + 7h + 18min + 32s);
  EXPECT_FALSE(p.status);  // custom workflows: the status is custom_status_id
  EXPECT_FALSE(p.start_date);
  EXPECT_FALSE(p.end_date);
  EXPECT_FALSE(p.completed_date);

  WRIKE_LOAD_FIXTURE_OR_SKIP(created, "wrikedocs_via_wrike.go__created_folder.json");
  const auto cp = *wrike::decode_envelope<wrike::Folder>(created).data.at(0).project;
  EXPECT_EQ(cp.status, wrike::ProjectStatus::Green);
  EXPECT_EQ(cp.start_date, 2019y / February / 18);
  EXPECT_EQ(cp.end_date, 2019y / February / 25);
  EXPECT_EQ(wrike::format_date(*cp.end_date), "2019-02-25");

  WRIKE_LOAD_FIXTURE_OR_SKIP(deleted, "wrikedocs_via_wrike.go__deleted_folder.json");
  const auto df = wrike::decode_envelope<wrike::Folder>(deleted).data.at(0);
  EXPECT_EQ(df.scope, wrike::Scope::RbFolder);
  EXPECT_EQ(strs(df.parent_ids), Strings{"IEAAAAAQI7777776"});
}

TEST(WrikeFixtureFields, SpaceWithMembers) {
  WRIKE_LOAD_FIXTURE_OR_SKIP(body, "devrev__space_with_members.json");
  const auto spaces = wrike::decode_envelope<wrike::Space>(body).data;
  ASSERT_EQ(spaces.size(), 1u);
  const wrike::Space& s = spaces[0];
  EXPECT_EQ(s.id.str(), "IEAGS6BYI5RFMPPY");
  EXPECT_EQ(s.title, "First space");
  EXPECT_EQ(s.access_type, "Public");
  EXPECT_EQ(s.archived, false);
  EXPECT_EQ(s.guest_role_id->str(), "IEAGS6BYND777777");
  EXPECT_EQ(s.default_project_workflow_id->str(), "IEAGS6BYK77ZNB6I");
  EXPECT_EQ(s.default_task_workflow_id->str(), "IEAGS6BYK4F3BCSQ");
  ASSERT_EQ(s.members->size(), 5u);
  EXPECT_EQ((*s.members)[1].at("isManager"), true);
}

TEST(WrikeFixtureFields, NewStyleIds) {
  WRIKE_LOAD_FIXTURE_OR_SKIP(body, "unattributed/nextflowbot__task_single_with_customFields_and_newstyle_ids.json");
  const auto t = wrike::decode_envelope<wrike::Task>(body).data.at(0);
  EXPECT_EQ(t.id, wrike::TaskId{"MAAAAAEOud3s"});
  EXPECT_NE(t.id, wrike::TaskId{"MAAAAAEOUD3S"});
  EXPECT_EQ(strs(t.parent_ids), Strings{"MQAAAAEN9zQV"});  // new-style folder ID
  EXPECT_EQ(t.account_id->str(), "IEAAIKU5");             // legacy account ID in the same body
  EXPECT_EQ(t.custom_status_id->str(), "IEAAIKU5JMHRVOKU");
  EXPECT_EQ(t.created_date, sys_days{2026y / August / 26} + 19h + 25min + 49s);
  EXPECT_EQ(t.dates->type, wrike::TaskDatesType::Backlog);
  ASSERT_EQ(t.custom_fields->size(), 2u);
  EXPECT_EQ((*t.custom_fields)[1].id.str(), "IEAAIKU5JUANE5TN");
  EXPECT_EQ((*t.custom_fields)[1].value, "3 Months");
  // No definitions for these fields: typed() keeps the text.
  const wrike::CustomFieldIndex none;
  EXPECT_EQ(std::get<wrike::UnknownValue>(none.typed((*t.custom_fields)[1])).raw, "3 Months");
}

TEST(WrikeFixtureFields, TaskWithMetadataAndFollowers) {
  WRIKE_LOAD_FIXTURE_OR_SKIP(body, "daisaru11__tasks_single_with_followers.json");
  const auto tasks = wrike::decode_envelope<wrike::Task>(body).data;
  ASSERT_EQ(tasks.size(), 2u);
  ASSERT_EQ(tasks[0].metadata->size(), 1u);
  EXPECT_EQ((*tasks[0].metadata)[0].key, "testMetaKey");
  EXPECT_EQ((*tasks[0].metadata)[0].value, "testMetaValue");
  EXPECT_TRUE(tasks[0].responsible_ids && tasks[0].responsible_ids->empty());
  EXPECT_EQ(tasks[1].status, wrike::TaskStatus::Deferred);
  EXPECT_EQ(tasks[1].importance, wrike::Importance::Low);
  EXPECT_EQ(tasks[1].dates->duration, minutes{1920});
}

}  // namespace
