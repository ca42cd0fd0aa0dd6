// A small OpenAPI / Swagger JSON-schema validator for tests.
//
// Loads a Swagger 2.0 or OpenAPI 3.x document, finds an operation (by operationId, by method
// and path template, or by method and a concrete request path), and validates a JSON body
// against the operation's request or response schema:
//   $ref (local JSON pointers, cycles guarded), allOf/anyOf/oneOf, type (incl. OpenAPI 3.1 type
//   lists and 3.0 `nullable`), required, properties, additionalProperties (false or a schema,
//   when declared), items, minItems/maxItems, enum, minLength/maxLength, minimum/maximum,
//   and formats loosely (int32/int64 ranges, date, date-time; unknown formats pass).
// Vendor extensions (x-ms-*) are ignored. `readOnly` properties are errors in request bodies.
//
// With ValidationOptions::forbid_undeclared, an object schema that lists `properties` but
// declares no additionalProperties also rejects keys it does not list ("only declared
// fields"), which the specs themselves do not say.
//
//   auto spec = openapi::Spec::load(*openapi::reference_file("cascade-openapi-classic-v2.json"));
//   auto errors = spec.validate_request_body("Create-goal", body);   // empty: valid
//
// Usable by any test target: compile openapi_validator.cpp into it (it needs Boost.JSON only).
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wrike_cascade::testing::openapi {

struct ValidationOptions {
  bool forbid_undeclared = false;
};

struct OperationRef {
  std::string method;         // lower case, as in the document: "post"
  std::string path;           // the path template: "/goals/{id}"
  std::string operation_id;
  const boost::json::object* operation = nullptr;
};

class Spec {
 public:
  explicit Spec(boost::json::value document);
  // Throws std::runtime_error when the file cannot be read or parsed.
  static Spec load(const std::filesystem::path& file);

  const boost::json::value& document() const noexcept { return doc_; }
  bool is_swagger2() const noexcept;
  // Swagger 2 `basePath` ("/api/v2/" -> "/api/v2"), or the path of OpenAPI 3's first server
  // URL; "" when none.
  std::string base_path() const;

  std::vector<OperationRef> operations() const;
  std::optional<OperationRef> find(std::string_view operation_id) const;
  // method: any case; path: the template exactly as the document spells it.
  std::optional<OperationRef> find(std::string_view method, std::string_view path_template) const;
  // Matches a concrete request path ("/api/v2/goals/12", with or without the base path, no
  // query) against the templates; the template with the most literal segments wins.
  std::optional<OperationRef> match(std::string_view method, std::string_view request_path) const;

  // Swagger 2: the schema of the `in: body` parameter; OpenAPI 3: requestBody's
  // application/json schema. Null when the operation has none.
  const boost::json::value* request_schema(const OperationRef& op) const;
  // The schema of a response (`status`, else "default"); null when none.
  const boost::json::value* response_schema(const OperationRef& op, int status) const;
  // Names of the required query parameters (Swagger 2 and OpenAPI 3 `in: query`).
  std::vector<std::string> required_query_parameters(const OperationRef& op) const;

  // Each error is "<json path>: <what>"; empty means valid. An unknown operation or an
  // operation without a body schema is reported as an error too.
  std::vector<std::string> validate_request_body(std::string_view operation_id, const boost::json::value& body,
                                                 ValidationOptions options = {}) const;
  std::vector<std::string> validate_request_body(std::string_view method, std::string_view path_template,
                                                 const boost::json::value& body, ValidationOptions options = {}) const;
  std::vector<std::string> validate_response_body(std::string_view operation_id, int status,
                                                  const boost::json::value& body, ValidationOptions options = {}) const;
  // Validates `instance` against `schema` (which may hold $refs into this document).
  std::vector<std::string> validate(const boost::json::value& schema, const boost::json::value& instance,
                                    ValidationOptions options = {}, bool request = false) const;

  // Resolves a local "#/..." reference; null when it does not resolve.
  const boost::json::value* resolve(std::string_view ref) const;

 private:
  boost::json::value doc_;
};

// `<shared>/reference/<name>`, where <shared> is $WRIKE_CASCADE_SHARED_DIR or ../shared beside
// the checkout; std::nullopt when the file is absent (tests then GTEST_SKIP).
std::optional<std::filesystem::path> reference_file(std::string_view name);

// Joins errors for a test failure message.
std::string join(const std::vector<std::string>& errors);

}  // namespace wrike_cascade::testing::openapi
