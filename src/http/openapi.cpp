#include "http/openapi.h"

#include <boost/json.hpp>

namespace portico::http {
namespace json = boost::json;
namespace {

// Component schemas: the wire shapes of API.md.
constexpr const char* kComponents = R"JSON({
 "Problem": {"type": "object", "required": ["type", "title", "status"], "properties": {
   "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
   "detail": {"type": "string"}, "instance": {"type": "string"},
   "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}}},
 "LoginRequest": {"type": "object", "additionalProperties": false, "required": ["tenant", "email", "password"],
   "properties": {"tenant": {"type": "string"}, "email": {"type": "string"}, "password": {"type": "string"}}},
 "LoginResponse": {"type": "object", "required": ["user", "csrf_token"], "properties": {
   "user": {"$ref": "#/components/schemas/Me"}, "csrf_token": {"type": "string"}}},
 "Me": {"type": "object", "required": ["id", "email", "name", "role", "tenant", "customers"], "properties": {
   "id": {"type": "integer"}, "email": {"type": "string"}, "name": {"type": "string"},
   "role": {"type": "string", "enum": ["admin", "manager", "technician", "customer"]},
   "tenant": {"type": "object", "required": ["slug", "name"], "properties": {"slug": {"type": "string"}, "name": {"type": "string"}}},
   "customers": {"type": "array", "items": {"type": "object", "required": ["id", "name", "access"], "properties": {
     "id": {"type": "integer"}, "name": {"type": "string"},
     "access": {"type": "string", "enum": ["approver", "requester", "viewer"]}, "is_primary_contact": {"type": "boolean"}}}},
   "csrf_token": {"type": "string", "description": "present when authenticated by the session cookie"}}},
 "TokenRequest": {"type": "object", "additionalProperties": false, "required": ["name"], "properties": {"name": {"type": "string"}}},
 "Token": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"},
   "created_at": {"type": "string", "format": "date-time"}, "last_used_at": {"type": ["string", "null"], "format": "date-time"}}},
 "CreatedToken": {"type": "object", "required": ["id", "name", "token"], "properties": {"id": {"type": "integer"},
   "name": {"type": "string"}, "token": {"type": "string"}, "created_at": {"type": "string", "format": "date-time"}}},
 "User": {"type": "object", "required": ["id", "email", "name", "role", "is_active"], "properties": {
   "id": {"type": "integer"}, "email": {"type": "string"}, "name": {"type": "string"},
   "role": {"type": "string", "enum": ["admin", "manager", "technician", "customer"]}, "is_active": {"type": "boolean"},
   "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"}}},
 "NewUser": {"type": "object", "additionalProperties": false, "required": ["email", "name", "role", "password"], "properties": {
   "email": {"type": "string"}, "name": {"type": "string"}, "role": {"type": "string", "enum": ["admin", "manager", "technician", "customer"]},
   "password": {"type": "string", "minLength": 10}}},
 "UserPatch": {"type": "object", "additionalProperties": false, "properties": {
   "email": {"type": "string"}, "name": {"type": "string"}, "role": {"type": "string", "enum": ["admin", "manager", "technician", "customer"]},
   "password": {"type": "string", "minLength": 10}, "is_active": {"type": "boolean"}}},
 "Customer": {"type": "object", "required": ["id", "name", "address", "phone", "email", "is_active"], "properties": {
   "id": {"type": "integer"}, "name": {"type": "string"}, "address": {"type": "string"}, "phone": {"type": "string"},
   "email": {"type": ["string", "null"]}, "is_active": {"type": "boolean"},
   "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"}}},
 "NewCustomer": {"type": "object", "additionalProperties": false, "required": ["name"], "properties": {
   "name": {"type": "string"}, "address": {"type": "string"}, "phone": {"type": "string"}, "email": {"type": ["string", "null"]},
   "is_active": {"type": "boolean"}}},
 "CustomerPatch": {"type": "object", "additionalProperties": false, "properties": {
   "name": {"type": "string"}, "address": {"type": "string"}, "phone": {"type": "string"}, "email": {"type": ["string", "null"]},
   "is_active": {"type": "boolean"}}},
 "Access": {"type": "object", "required": ["customer_id", "user_id", "access", "is_primary_contact"], "properties": {
   "customer_id": {"type": "integer"}, "user_id": {"type": "integer"}, "name": {"type": "string"}, "email": {"type": "string"},
   "access": {"type": "string", "enum": ["approver", "requester", "viewer"]}, "is_primary_contact": {"type": "boolean"}}},
 "AccessGrant": {"type": "object", "additionalProperties": false, "required": ["user_id", "access"], "properties": {
   "user_id": {"type": "integer"}, "access": {"type": "string", "enum": ["approver", "requester", "viewer"]},
   "is_primary_contact": {"type": "boolean"}}},
 "Preferences": {"type": "object", "additionalProperties": false,
   "required": ["receive_email_notifications", "receive_sms_notifications", "default_view"], "properties": {
   "receive_email_notifications": {"type": "boolean"}, "receive_sms_notifications": {"type": "boolean"},
   "default_view": {"type": "string", "enum": ["REPAIRS", "UNITS", "DASHBOARD"]}}},
 "Branding": {"type": "object", "required": ["company", "colors"], "properties": {
   "company": {"type": "object", "properties": {"name": {"type": "string"}, "display_name": {"type": "string"},
     "support_email": {"type": "string"}, "support_phone": {"type": "string"}, "support_hours": {"type": "string"},
     "website": {"type": "string"}}},
   "colors": {"type": "object", "required": ["primary", "secondary", "accent", "background", "text"], "properties": {
     "primary": {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"}, "secondary": {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"},
     "accent": {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"}, "background": {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"},
     "text": {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"}}},
   "logo_url": {"type": "string"},
   "portal": {"type": "object", "properties": {"welcome_message": {"type": "string"}, "footer_text": {"type": "string"}}}}},
 "Health": {"type": "object", "properties": {"status": {"type": "string"}}},
 "Metrics": {"type": "string", "description": "Prometheus text exposition format"},
 "PortalConfig": {"type": "object", "properties": {"default_tenant": {"type": "string"}, "version": {"type": "string"}}}
})JSON";

json::object Components() {
  static const json::object kParsed = json::parse(kComponents).as_object();
  return kParsed;
}

json::value Ref(const std::string& name) { return json::object{{"$ref", "#/components/schemas/" + name}}; }

}  // namespace

json::value BuildOpenApi(const Router& router) {
  json::object paths;
  json::object schemas = Components();
  for (const auto& route : router.routes()) {
    const auto& info = route.info;
    json::object op;
    op["summary"] = info.summary;
    if (!info.tag.empty()) op["tags"] = json::array{info.tag};
    op["operationId"] = route.method + " " + route.pattern;
    json::array params;
    for (const auto& seg : route.segments) {
      if (seg.size() > 2 && seg.front() == '{') {
        std::string name = seg.substr(1, seg.size() - 2);
        bool is_id = name == "id" || name.ends_with("_id");
        params.push_back(json::object{{"name", name}, {"in", "path"}, {"required", true},
                                      {"schema", json::object{{"type", is_id ? "integer" : "string"}}}});
      }
    }
    for (const auto& q : info.query) {
      bool is_int = q == "page" || q == "page_size" || q == "customer" || q == "unit" || q == "technician" ||
                    q == "after" || q == "wait";
      params.push_back(json::object{{"name", q}, {"in", "query"}, {"required", false},
                                    {"schema", json::object{{"type", is_int ? "integer" : "string"}}}});
    }
    if (!params.empty()) op["parameters"] = std::move(params);
    if (info.body && !info.request_schema.empty()) {
      op["requestBody"] = json::object{
          {"required", true},
          {"content", json::object{{"application/json", json::object{{"schema", Ref(info.request_schema)}}}}}};
    }
    if (!info.auth) op["security"] = json::array{};
    json::object responses;
    json::object ok{{"description", "Success"}};
    if (!info.response_schema.empty()) {
      json::value schema = Ref(info.response_schema);
      if (info.array) {
        schema = json::object{{"type", "array"}, {"items", schema}};
      } else if (info.paginated) {
        schema = json::object{
            {"type", "object"},
            {"required", json::array{"count", "next", "previous", "results"}},
            {"properties", json::object{{"count", json::object{{"type", "integer"}}},
                                        {"next", json::object{{"type", json::array{"string", "null"}}}},
                                        {"previous", json::object{{"type", json::array{"string", "null"}}}},
                                        {"results", json::object{{"type", "array"}, {"items", schema}}}}}};
      }
      std::string ct = info.response_schema == "Metrics" ? "text/plain" : "application/json";
      ok["content"] = json::object{{ct, json::object{{"schema", schema}}}};
    }
    responses[std::to_string(info.status)] = std::move(ok);
    responses["default"] = json::object{
        {"description", "Problem details (RFC 9457)"},
        {"content", json::object{{"application/problem+json", json::object{{"schema", Ref("Problem")}}}}}};
    op["responses"] = std::move(responses);
    std::string method = route.method;
    for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto& path = paths[route.pattern];
    if (!path.is_object()) path = json::object{};
    path.as_object()[method] = std::move(op);
  }
  return json::object{
      {"openapi", "3.1.0"},
      {"info", json::object{{"title", "Portico API"}, {"version", "1"},
                            {"description", "The HTTP contract of Portico (API.md), generated from the server's routes."}}},
      {"servers", json::array{json::object{{"url", "/"}}}},
      {"paths", std::move(paths)},
      {"components",
       json::object{{"schemas", std::move(schemas)},
                    {"securitySchemes",
                     json::object{{"session", json::object{{"type", "apiKey"}, {"in", "cookie"}, {"name", "portico_session"}}},
                                  {"bearer", json::object{{"type", "http"}, {"scheme", "bearer"}}}}}}},
      {"security", json::array{json::object{{"session", json::array{}}}, json::object{{"bearer", json::array{}}}}},
  };
}

}  // namespace portico::http
