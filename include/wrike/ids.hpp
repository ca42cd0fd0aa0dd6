// Strong, opaque identifiers for Wrike entities.
//
// Wrike IDs are opaque, case-sensitive strings. Since July 2025 new IDs may have a new format
// (e.g. task "MAAAAAEOud3s" next to legacy "IEAGJJFWKRMLJ433"); Wrike only promises "at most 256
// characters from [a-zA-Z0-9-_:.=]". So an Id never looks at prefixes or lengths: it is a
// std::string with a tag that keeps a TaskId from being passed where a FolderId is expected.
//
// The JSON decoders (model.hpp) check an ID from the wire with is_valid_id(); constructing an Id
// in code does not validate anything.
#pragma once

#include <compare>
#include <cstddef>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace wrike {

// True when `text` has 1..256 characters, all from [a-zA-Z0-9-_:.=] (Wrike's documented ID
// alphabet). Safe to put into a URL path without escaping.
constexpr bool is_valid_id(std::string_view text) noexcept {
  if (text.empty() || text.size() > 256) return false;
  for (char ch : text) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                    ch == '-' || ch == '_' || ch == ':' || ch == '.' || ch == '=';
    if (!ok) return false;
  }
  return true;
}

template <class Tag>
class Id {
 public:
  Id() = default;
  explicit Id(std::string value) noexcept : value_(std::move(value)) {}

  const std::string& str() const noexcept { return value_; }
  bool empty() const noexcept { return value_.empty(); }

  friend bool operator==(const Id&, const Id&) = default;
  friend std::strong_ordering operator<=>(const Id& a, const Id& b) noexcept {
    return a.value_.compare(b.value_) <=> 0;
  }
  friend std::ostream& operator<<(std::ostream& os, const Id& id) { return os << id.value_; }

 private:
  std::string value_;
};

namespace id_tag {
struct Account;
struct Contact;
struct Space;
struct Folder;
struct Task;
struct CustomField;
struct Workflow;
struct CustomStatus;
struct Webhook;
struct Dependency;
struct Placeholder;
struct CustomItemType;
struct WorkSchedule;
struct AccessRole;
}  // namespace id_tag

using AccountId = Id<id_tag::Account>;
using ContactId = Id<id_tag::Contact>;            // users, groups, invitations
using SpaceId = Id<id_tag::Space>;                // a space is also a folder-tree entry
using FolderId = Id<id_tag::Folder>;              // folders, projects, spaces, root, recycle bin
using TaskId = Id<id_tag::Task>;
using CustomFieldId = Id<id_tag::CustomField>;
using WorkflowId = Id<id_tag::Workflow>;
using CustomStatusId = Id<id_tag::CustomStatus>;
using WebhookId = Id<id_tag::Webhook>;
using DependencyId = Id<id_tag::Dependency>;
using PlaceholderId = Id<id_tag::Placeholder>;    // task responsiblePlaceholderIds
using CustomItemTypeId = Id<id_tag::CustomItemType>;
using WorkScheduleId = Id<id_tag::WorkSchedule>;
using AccessRoleId = Id<id_tag::AccessRole>;      // space guestRoleId, members[].accessRoleId

// A space's ID is the ID of its folder-tree entry (wrike-api.md §4.2).
inline FolderId as_folder_id(const SpaceId& space) { return FolderId{space.str()}; }

}  // namespace wrike

template <class Tag>
struct std::hash<wrike::Id<Tag>> {
  std::size_t operator()(const wrike::Id<Tag>& id) const noexcept {
    return std::hash<std::string>{}(id.str());
  }
};
