// OpenAPI component schemas of issue 13 (invitations, access codes, sign-up, password reset, domains, PATCH /me).
#include <boost/json.hpp>

#include "http/openapi.h"

namespace portico::http {
namespace {

constexpr const char* kOnboardingComponents = R"JSON({
 "MePatch": {"type": "object", "additionalProperties": false, "properties": {
   "name": {"type": "string", "minLength": 1, "maxLength": 200},
   "language": {"type": ["string", "null"], "enum": ["en", "es", null], "description": "null = the browser's, else the tenant's"},
   "handle": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]{1,29}$", "description": "my @handle (lower-cased; unique in the shop)"}}},
 "NewInvitation": {"type": "object", "additionalProperties": false, "required": ["email", "access"], "properties": {
   "email": {"type": "string", "format": "email"}, "name": {"type": "string", "maxLength": 200},
   "access": {"type": "string", "enum": ["approver", "requester", "viewer"]},
   "approval_limit": {"type": ["string", "null"], "pattern": "^[0-9]+(\\.[0-9]{1,2})?$"},
   "language": {"type": "string", "enum": ["en", "es"], "description": "language of the e-mail; default the tenant's (branding default_language)"}}},
 "Invitation": {"type": "object", "required": ["id", "email", "access", "expires_at", "status"], "properties": {
   "id": {"type": "integer"}, "customer_id": {"type": "integer"}, "email": {"type": "string"}, "name": {"type": "string"},
   "access": {"type": "string", "enum": ["approver", "requester", "viewer"]},
   "approval_limit": {"type": ["string", "null"]},
   "status": {"type": "string", "enum": ["pending", "accepted", "revoked", "expired"]},
   "expires_at": {"type": "string", "format": "date-time"}, "created_at": {"type": "string", "format": "date-time"}}},
 "InvitationPreview": {"type": "object", "required": ["tenant", "customer_name", "email", "expires_at"], "properties": {
   "tenant": {"type": "string", "description": "the tenant's slug"}, "tenant_name": {"type": "string"},
   "customer_name": {"type": "string"}, "email": {"type": "string"}, "name": {"type": "string"},
   "expires_at": {"type": "string", "format": "date-time"}}},
 "InvitationAcceptance": {"type": "object", "additionalProperties": false, "properties": {
   "name": {"type": "string", "maxLength": 200}, "password": {"type": "string", "minLength": 10}},
   "description": "{name, password} for a new account; {} when logged in as the invited e-mail's account"},
 "NewAccessCode": {"type": "object", "additionalProperties": false, "required": ["access"], "properties": {
   "access": {"type": "string", "enum": ["approver", "requester", "viewer"]},
   "expires_in_days": {"type": "integer", "minimum": 1, "maximum": 30}}},
 "AccessCode": {"type": "object", "required": ["id", "code"], "properties": {
   "id": {"type": "integer"}, "code": {"type": "string", "description": "shown once; XXXX-XXXX-XXXX-XXXX"},
   "access": {"type": "string"}, "expires_at": {"type": "string", "format": "date-time"}}},
 "AccessCodeSummary": {"type": "object", "required": ["id", "customer_id", "access", "status", "uses", "max_uses", "expires_at"],
   "description": "an access code as listed: never the code itself", "properties": {
   "id": {"type": "integer"}, "customer_id": {"type": "integer"}, "customer_name": {"type": "string"},
   "access": {"type": "string", "enum": ["approver", "requester", "viewer"]},
   "status": {"type": "string", "enum": ["active", "used", "revoked", "expired"]},
   "uses": {"type": "integer"}, "max_uses": {"type": "integer"},
   "expires_at": {"type": "string", "format": "date-time"}, "created_at": {"type": "string", "format": "date-time"},
   "last_used_at": {"type": ["string", "null"], "format": "date-time"},
   "revoked_at": {"type": ["string", "null"], "format": "date-time"}}},
 "SignUpRequest": {"type": "object", "additionalProperties": false, "required": ["code", "email", "name", "password"], "properties": {
   "tenant": {"type": "string", "description": "may be omitted on the tenant's custom domain"},
   "code": {"type": "string"}, "email": {"type": "string", "format": "email"}, "name": {"type": "string"},
   "password": {"type": "string", "minLength": 10}, "language": {"type": "string", "enum": ["en", "es"]}}},
 "TokenBody": {"type": "object", "additionalProperties": false, "required": ["token"], "properties": {"token": {"type": "string"}}},
 "PasswordResetRequest": {"type": "object", "additionalProperties": false, "required": ["email"], "properties": {
   "tenant": {"type": "string", "description": "may be omitted on the tenant's custom domain"},
   "email": {"type": "string", "format": "email"}, "language": {"type": "string", "enum": ["en", "es"]}}},
 "PasswordResetConfirm": {"type": "object", "additionalProperties": false, "required": ["token", "password"], "properties": {
   "token": {"type": "string"}, "password": {"type": "string", "minLength": 10}}},
 "Domains": {"type": "object", "additionalProperties": false, "required": ["domains"], "properties": {
   "domains": {"type": "array", "maxItems": 10, "items": {"type": "string", "format": "hostname"}}}}
})JSON";

}  // namespace

boost::json::object OnboardingSchemas() {
  static const boost::json::object kParsed = boost::json::parse(kOnboardingComponents).as_object();
  return kParsed;
}

}  // namespace portico::http
