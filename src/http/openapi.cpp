#include "http/openapi.h"

#include "http/openapi_requests.h"

#include <boost/json.hpp>
#include <cctype>
#include <string>
#include <vector>

#include "services/webhooks.h"

namespace portico::http {
namespace json = boost::json;
namespace {

// Component schemas: the wire shapes of API.md.
constexpr const char* kComponents = R"JSON({
 "Problem": {"type": "object", "required": ["type", "title", "status"], "properties": {
   "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
   "detail": {"type": "string"}, "instance": {"type": "string"},
   "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}}},
 "LoginRequest": {"type": "object", "additionalProperties": false, "required": ["email", "password"],
   "properties": {"tenant": {"type": "string", "description": "may be omitted on the tenant's custom domain"},
   "email": {"type": "string"}, "password": {"type": "string"}}},
 "LoginResponse": {"type": "object", "required": ["user", "csrf_token"], "properties": {
   "user": {"$ref": "#/components/schemas/Me"}, "csrf_token": {"type": "string"}}},
 "Me": {"type": "object", "required": ["id", "email", "name", "role", "tenant", "customers"], "properties": {
   "id": {"type": "integer"}, "email": {"type": "string"}, "name": {"type": "string"},
   "handle": {"type": "string", "description": "the @handle, unique in the tenant"},
   "role": {"type": "string", "enum": ["admin", "manager", "technician", "customer"]},
   "tenant": {"type": "object", "required": ["slug", "name"], "properties": {"slug": {"type": "string"}, "name": {"type": "string"},
     "default_language": {"type": "string", "enum": ["en", "es"], "description": "the language of users who chose none"}}},
   "customers": {"type": "array", "items": {"type": "object", "required": ["id", "name", "access"], "properties": {
     "id": {"type": "integer"}, "name": {"type": "string"},
     "access": {"type": "string", "enum": ["approver", "requester", "viewer"]}, "is_primary_contact": {"type": "boolean"}}}},
   "csrf_token": {"type": "string", "description": "present when authenticated by the session cookie"},
   "language": {"type": ["string", "null"], "enum": ["en", "es", null], "description": "null = the browser's, else the tenant's"}}},
 "TokenRequest": {"type": "object", "additionalProperties": false, "required": ["name"], "properties": {"name": {"type": "string"}}},
 "Token": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"},
   "created_at": {"type": "string", "format": "date-time"}, "last_used_at": {"type": ["string", "null"], "format": "date-time"}}},
 "CreatedToken": {"type": "object", "required": ["id", "name", "token"], "properties": {"id": {"type": "integer"},
   "name": {"type": "string"}, "token": {"type": "string"}, "created_at": {"type": "string", "format": "date-time"}}},
 "User": {"type": "object", "required": ["id", "email", "name", "role", "is_active"], "properties": {
   "id": {"type": "integer"}, "email": {"type": "string"}, "name": {"type": "string"},
   "role": {"type": "string", "enum": ["admin", "manager", "technician", "customer"]}, "is_active": {"type": "boolean"},
   "handle": {"type": "string", "description": "the @handle, unique in the tenant"},
   "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"},
   "phone": {"type": ["string", "null"], "description": "technicians only, staff callers only"},
   "certification_level": {"type": ["string", "null"], "maxLength": 50, "description": "technicians only, staff callers only"},
   "hire_date": {"type": ["string", "null"], "format": "date", "description": "technicians only, staff callers only"}}},
 "NewUser": {"type": "object", "additionalProperties": false, "required": ["email", "name", "role", "password"], "properties": {
   "email": {"type": "string"}, "name": {"type": "string"}, "role": {"type": "string", "enum": ["admin", "manager", "technician", "customer"]},
   "password": {"type": "string", "minLength": 10},
   "handle": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]{1,29}$", "description": "lower-cased; derived from the e-mail when absent; a duplicate is 409"}}},
 "UserPatch": {"type": "object", "additionalProperties": false, "properties": {
   "email": {"type": "string"}, "name": {"type": "string"}, "role": {"type": "string", "enum": ["admin", "manager", "technician", "customer"]},
   "password": {"type": "string", "minLength": 10}, "is_active": {"type": "boolean"},
   "handle": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]{1,29}$", "description": "lower-cased; a duplicate is 409"},
   "phone": {"type": ["string", "null"], "maxLength": 50}, "certification_level": {"type": ["string", "null"], "maxLength": 50},
   "hire_date": {"type": ["string", "null"], "format": "date"}}},
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
   "access": {"type": "string", "enum": ["approver", "requester", "viewer"]}, "is_primary_contact": {"type": "boolean"},
   "approval_limit": {"type": ["string", "null"], "description": "money; null = no limit"}}},
 "AccessGrant": {"type": "object", "additionalProperties": false, "required": ["user_id", "access"], "properties": {
   "user_id": {"type": "integer"}, "access": {"type": "string", "enum": ["approver", "requester", "viewer"]},
   "is_primary_contact": {"type": "boolean"},
   "approval_limit": {"type": ["string", "null"], "description": "money like \"500.00\"; null = no limit; absent keeps the current one"}}},
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
   "logo_url": {"type": ["string", "null"]},
   "portal": {"type": "object", "properties": {"welcome_message": {"type": "string"}, "footer_text": {"type": "string"}}},
   "default_language": {"type": "string", "enum": ["en", "es"],
     "description": "the portal's and the e-mails' language for users who chose none (and browsers in neither); left out of a PUT, it stays"},
   "currency": {"type": "string", "pattern": "^[A-Z]{3}$", "readOnly": true,
     "description": "the tenant's ISO 4217 currency (set when the tenant is created); ignored in a PUT"}}},
 "Repair": {"type": "object", "required": ["id", "customer_id", "unit_id", "unit_number", "technician_id", "status",
   "description", "damage_type", "priority", "repair_date", "cost", "estimated_cost", "price_override", "materials_total",
   "approval", "version", "created_at", "updated_at"], "properties": {
   "id": {"type": "integer"}, "customer_id": {"type": "integer"}, "customer_name": {"type": "string"},
   "unit_id": {"type": "integer"}, "unit_number": {"type": "string"},
   "technician_id": {"type": ["integer", "null"]}, "technician_name": {"type": ["string", "null"]},
   "status": {"$ref": "#/components/schemas/RepairStatus"}, "description": {"type": "string"},
   "damage_type": {"type": "string"}, "priority": {"type": "integer", "minimum": 1, "maximum": 4},
   "repair_date": {"type": "string", "format": "date"}, "drilled_before_repair": {"type": ["boolean", "null"]},
   "windshield_temperature": {"type": ["number", "null"]}, "windshield_temperature_unit": {"type": ["string", "null"], "enum": ["C", "F", null]},
   "resin_viscosity": {"type": ["string", "null"]},
   "board_rank": {"type": ["string", "null"], "description": "order within its status column (byte order); null: not placed yet, shown at the top"},
   "cost": {"$ref": "#/components/schemas/Money"}, "estimated_cost": {"$ref": "#/components/schemas/Money"},
   "price_override": {"type": ["string", "null"]}, "materials_total": {"$ref": "#/components/schemas/Money"},
   "change_orders_total": {"$ref": "#/components/schemas/Money"},
   "request_id": {"type": ["integer", "null"], "description": "the client request this repair was converted from"},
   "within_approval_limit": {"type": "boolean", "description": "the caller's approval limit allows approving the estimate"},
   "invoice_url": {"type": ["string", "null"], "description": "GET it for the PDF invoice; null until COMPLETED"},
   "approval": {"oneOf": [{"type": "null"}, {"type": "object", "required": ["approved", "decided_by", "decided_at", "notes"], "properties": {
     "approved": {"type": "boolean"}, "decided_by": {"$ref": "#/components/schemas/PersonRef"},
     "decided_at": {"type": "string", "format": "date-time"}, "notes": {"type": "string"}}}]},
   "allowed_moves": {"type": "array", "items": {"$ref": "#/components/schemas/RepairStatus"},
     "description": "statuses the caller may move this repair to with POST /status"},
   "moves_needing_reason": {"type": "array", "items": {"$ref": "#/components/schemas/RepairStatus"},
     "description": "those of allowed_moves whose POST /status needs non-empty notes (the reason)"},
   "can_approve": {"type": "boolean", "description": "the caller may POST /approval"},
   "external_ref": {"type": ["string", "null"]},
   "technician_ref": {"type": ["string", "null"], "description": "imported: the shop or technician the source names (not a user)"},
   "version": {"type": "integer"}, "created_at": {"type": "string", "format": "date-time"},
   "updated_at": {"type": "string", "format": "date-time"}}},
 "RepairStatus": {"type": "string", "enum": ["REQUESTED", "PENDING", "APPROVED", "DENIED", "IN_PROGRESS", "COMPLETED", "CANCELLED"]},
 "Money": {"type": "string", "pattern": "^-?[0-9]+\\.[0-9]{2}$"},
 "PersonRef": {"type": ["object", "null"], "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
 "NewRepair": {"type": "object", "additionalProperties": false, "required": ["customer_id", "description"], "properties": {
   "customer_id": {"type": "integer"}, "unit_number": {"type": "string"}, "unit_id": {"type": "integer"},
   "description": {"type": "string"}, "damage_type": {"type": "string"}, "priority": {"type": "integer", "minimum": 1, "maximum": 4}}},
 "RepairPatch": {"type": "object", "additionalProperties": false, "properties": {
   "version": {"type": "integer"}, "description": {"type": "string"}, "damage_type": {"type": "string"},
   "priority": {"type": "integer"}, "repair_date": {"type": "string", "format": "date"},
   "drilled_before_repair": {"type": ["boolean", "null"]}, "windshield_temperature": {"type": ["number", "null"]},
   "windshield_temperature_unit": {"type": ["string", "null"]}, "resin_viscosity": {"type": ["string", "null"]},
   "technician_id": {"type": ["integer", "null"]}, "price_override": {"type": ["string", "null"]}}},
 "StatusMove": {"type": "object", "additionalProperties": false, "required": ["status"], "properties": {
   "status": {"$ref": "#/components/schemas/RepairStatus"}, "notes": {"type": "string"}}},
 "ApprovalDecision": {"type": "object", "additionalProperties": false, "required": ["approved"], "properties": {
   "approved": {"type": "boolean"}, "notes": {"type": "string"}}},
 "LogEntry": {"type": "object", "required": ["id", "previous_status", "new_status", "changed_by", "timestamp", "notes"], "properties": {
   "id": {"type": "integer"}, "previous_status": {"type": ["string", "null"]}, "new_status": {"type": "string"},
   "changed_by": {"$ref": "#/components/schemas/PersonRef"}, "timestamp": {"type": "string", "format": "date-time"},
   "notes": {"type": "string"}}},
 "Material": {"type": "object", "required": ["id", "material_type", "quantity", "unit_cost", "total"], "properties": {
   "id": {"type": "integer"}, "repair_id": {"type": "integer"}, "material_type": {"type": "string"},
   "quantity": {"type": "number"}, "unit_cost": {"$ref": "#/components/schemas/Money"},
   "total": {"$ref": "#/components/schemas/Money"}, "part_id": {"type": ["integer", "null"]},
   "created_at": {"type": "string", "format": "date-time"}}},
 "NewMaterial": {"type": "object", "additionalProperties": false, "required": ["quantity"],
   "description": "either material_type and unit_cost, or part_id (a part of the inventory, taken from its stock)", "properties": {
   "material_type": {"type": "string"}, "quantity": {"type": "number", "exclusiveMinimum": 0},
   "unit_cost": {"$ref": "#/components/schemas/Money"}, "part_id": {"type": "integer"}}},
 "Note": {"type": "object", "required": ["id", "body", "visibility", "created_at"], "properties": {
   "id": {"type": "integer"}, "repair_id": {"type": "integer"}, "author": {"$ref": "#/components/schemas/PersonRef"},
   "body": {"type": "string"}, "visibility": {"type": "string", "enum": ["internal", "customer"]},
   "created_at": {"type": "string", "format": "date-time"}}},
 "NewNote": {"type": "object", "additionalProperties": false, "required": ["body"], "properties": {
   "body": {"type": "string"}, "visibility": {"type": "string", "enum": ["internal", "customer"]}}},
 "Unit": {"type": "object", "required": ["id", "customer_id", "unit_number", "description", "repair_count", "next_price"], "properties": {
   "id": {"type": "integer"}, "customer_id": {"type": "integer"}, "unit_number": {"type": "string"},
   "description": {"type": "string"}, "repair_count": {"type": "integer"}, "next_price": {"$ref": "#/components/schemas/Money"},
   "replaced_at": {"type": ["string", "null"], "format": "date-time"},
   "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"}}},
 "NewUnit": {"type": "object", "additionalProperties": false, "required": ["customer_id", "unit_number"], "properties": {
   "customer_id": {"type": "integer"}, "unit_number": {"type": "string"}, "description": {"type": "string"}}},
 "Technician": {"type": "object", "required": ["id", "name", "handle", "open_repairs"], "properties": {
   "id": {"type": "integer"}, "name": {"type": "string"}, "handle": {"type": "string", "description": "the @handle to mention them by"}, "email": {"type": "string"}, "is_active": {"type": "boolean"},
   "open_repairs": {"type": "integer"}, "completed_repairs": {"type": "integer"},
   "phone": {"type": ["string", "null"], "description": "technicians only, staff callers only"},
   "certification_level": {"type": ["string", "null"], "maxLength": 50, "description": "technicians only, staff callers only"},
   "hire_date": {"type": ["string", "null"], "format": "date", "description": "technicians only, staff callers only"}}},
 "ScheduleEntry": {"type": "object", "required": ["id", "technician_id", "date", "start_time", "end_time", "is_available", "notes"], "properties": {
   "id": {"type": "integer"}, "technician_id": {"type": "integer"}, "date": {"type": "string", "format": "date"},
   "start_time": {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"}, "end_time": {"type": "string"},
   "is_available": {"type": "boolean"}, "notes": {"type": "string"}}},
 "NewScheduleEntry": {"type": "object", "additionalProperties": false, "required": ["date", "start_time", "end_time"], "properties": {
   "date": {"type": "string", "format": "date"}, "start_time": {"type": "string"}, "end_time": {"type": "string"},
   "is_available": {"type": "boolean"}, "notes": {"type": "string"}}},
 "UnitFigure": {"type": "object", "required": ["unit_id", "unit_number", "repair_count", "total_cost"], "properties": {
   "unit_id": {"type": "integer"}, "unit_number": {"type": "string"}, "repair_count": {"type": "integer"},
   "total_cost": {"$ref": "#/components/schemas/Money"}}},
 "PeriodFigure": {"type": "object", "required": ["period", "count", "completed", "cost"], "properties": {
   "period": {"type": "string"}, "count": {"type": "integer"}, "completed": {"type": "integer"},
   "cost": {"$ref": "#/components/schemas/Money"}}},
 "ShopFigure": {"type": "object", "required": ["shop", "count", "completed", "cost"], "properties": {
   "shop": {"type": "string", "description": "the imported technician_ref"}, "count": {"type": "integer"},
   "completed": {"type": "integer"}, "cost": {"$ref": "#/components/schemas/Money"}}},
 "StatusCounts": {"type": "object", "additionalProperties": {"type": "integer"}},
 "Event": {"type": "object", "required": ["id", "type", "occurred_at", "repair_id", "data"], "properties": {
   "id": {"type": "integer"}, "type": {"type": "string"}, "occurred_at": {"type": "string", "format": "date-time"},
   "repair_id": {"type": ["integer", "null"]}, "data": {"type": "object"}}},
 "EventPage": {"type": "object", "required": ["events", "last_id"], "properties": {
   "events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}}, "last_id": {"type": "integer"}}},
 "Notification": {"type": "object", "required": ["id", "type", "title", "repair_id", "channel_id", "read", "created_at"], "properties": {
   "id": {"type": "integer"}, "type": {"type": "string", "enum": ["new_request", "approval_wanted", "status_changed", "customer_decision", "new_client_request", "request_decided", "change_order_proposed", "appointment_confirmed", "appointment_reminder", "part_low_stock", "appointment_requested", "appointment_changed", "mention", "webhook_disabled"]},
   "title": {"type": "string"}, "body": {"type": "string"}, "repair_id": {"type": ["integer", "null"]},
   "channel_id": {"type": ["integer", "null"], "description": "the conversation a mention is in"},
   "event_id": {"type": "integer"}, "read": {"type": "boolean"}, "read_at": {"type": ["string", "null"], "format": "date-time"},
   "created_at": {"type": "string", "format": "date-time"}}},
 "UnreadCount": {"type": "object", "required": ["unread"], "properties": {"unread": {"type": "integer"}}},
 "FaqEntry": {"type": "object", "required": ["id", "question", "answer", "position", "published", "created_at", "updated_at"], "properties": {
   "id": {"type": "integer"}, "question": {"type": "string", "minLength": 1, "maxLength": 300},
   "answer": {"type": "string", "minLength": 1, "maxLength": 5000, "description": "plain text; line breaks kept"},
   "position": {"type": "integer"}, "published": {"type": "boolean"},
   "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"}}},
 "NewFaqEntry": {"type": "object", "additionalProperties": false, "required": ["question", "answer"], "properties": {
   "question": {"type": "string", "minLength": 1, "maxLength": 300}, "answer": {"type": "string", "minLength": 1, "maxLength": 5000},
   "position": {"type": "integer", "minimum": 0}, "published": {"type": "boolean"}}},
 "FaqEntryPatch": {"type": "object", "additionalProperties": false, "properties": {
   "question": {"type": "string", "minLength": 1, "maxLength": 300}, "answer": {"type": "string", "minLength": 1, "maxLength": 5000},
   "position": {"type": "integer", "minimum": 0}, "published": {"type": "boolean"}}},
 "FaqOrder": {"type": "object", "additionalProperties": false, "required": ["ids"], "properties": {
   "ids": {"type": "array", "items": {"type": "integer"}, "description": "every FAQ entry's id, each once, in the new order"}}},
 "AnnouncementSeverity": {"type": "string", "enum": ["info", "warning", "outage"]},
 "Announcement": {"type": "object", "required": ["id", "title", "body", "severity", "starts_at", "ends_at", "customer_ids", "created_at"], "properties": {
   "id": {"type": "integer"}, "title": {"type": "string"}, "body": {"type": "string", "description": "plain text; line breaks kept"},
   "severity": {"$ref": "#/components/schemas/AnnouncementSeverity"},
   "starts_at": {"type": "string", "format": "date-time"}, "ends_at": {"type": ["string", "null"], "format": "date-time"},
   "customer_ids": {"type": "array", "items": {"type": "integer"}, "description": "[] = every customer; a customer user sees only its own"},
   "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"}}},
 "NewAnnouncement": {"type": "object", "additionalProperties": false, "required": ["title", "severity"], "properties": {
   "title": {"type": "string", "minLength": 1, "maxLength": 200}, "body": {"type": "string", "maxLength": 2000},
   "severity": {"$ref": "#/components/schemas/AnnouncementSeverity"},
   "starts_at": {"type": "string", "format": "date-time", "description": "default: now"},
   "ends_at": {"type": ["string", "null"], "format": "date-time"},
   "customer_ids": {"type": "array", "items": {"type": "integer"}}}},
 "AnnouncementPatch": {"type": "object", "additionalProperties": false, "properties": {
   "title": {"type": "string", "minLength": 1, "maxLength": 200}, "body": {"type": "string", "maxLength": 2000},
   "severity": {"$ref": "#/components/schemas/AnnouncementSeverity"},
   "starts_at": {"type": "string", "format": "date-time"}, "ends_at": {"type": ["string", "null"], "format": "date-time"},
   "customer_ids": {"type": "array", "items": {"type": "integer"}}}},
 "Health": {"type": "object", "properties": {"status": {"type": "string"}}},
 "Metrics": {"type": "string", "description": "Prometheus text exposition format"},
 "Attachment": {"type": "object", "required": ["id", "owner", "filename", "content_type", "kind", "size_bytes", "sha256",
   "width", "height", "duration_seconds", "taken_at", "caption", "label", "visibility", "uploaded_by", "created_at", "url",
   "thumbnail_url"], "properties": {
   "id": {"type": "integer"},
   "owner": {"type": "object", "required": ["type", "id"], "properties": {
     "type": {"type": "string", "enum": ["repair", "request", "message"]}, "id": {"type": "integer"}}},
   "filename": {"type": "string"}, "content_type": {"type": "string"},
   "kind": {"type": "string", "enum": ["image", "video", "document"]},
   "size_bytes": {"type": "integer"}, "sha256": {"type": "string"},
   "width": {"type": ["integer", "null"]}, "height": {"type": ["integer", "null"]},
   "duration_seconds": {"type": ["number", "null"]}, "taken_at": {"type": ["string", "null"], "format": "date-time"},
   "caption": {"type": "string"}, "label": {"type": "string", "enum": ["before", "after", "damage", "document", "other"]},
   "visibility": {"type": "string", "enum": ["customer", "internal"]},
   "uploaded_by": {"type": ["object", "null"], "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
   "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"},
   "url": {"type": "string"}, "thumbnail_url": {"type": ["string", "null"]}}},
 "AttachmentUpload": {"type": "object", "required": ["file"], "properties": {
   "file": {"type": "string", "format": "binary"}, "caption": {"type": "string", "maxLength": 500},
   "label": {"type": "string", "enum": ["before", "after", "damage", "document", "other"]},
   "visibility": {"type": "string", "enum": ["customer", "internal"]}}},
 "AttachmentPatch": {"type": "object", "additionalProperties": false, "properties": {
   "caption": {"type": "string", "maxLength": 500},
   "label": {"type": "string", "enum": ["before", "after", "damage", "document", "other"]},
   "visibility": {"type": "string", "enum": ["customer", "internal"]}}},
 "LogoUpload": {"type": "object", "required": ["file"], "properties": {"file": {"type": "string", "format": "binary"}}},
 "Binary": {"type": "string", "format": "binary"},
 "Webhook": {"type": "object", "required": ["id", "url", "events", "description", "active", "created_at"], "properties": {
   "id": {"type": "integer"}, "url": {"type": "string"}, "events": {"type": "array", "items": {"type": "string"}},
   "description": {"type": "string"}, "active": {"type": "boolean"},
   "failing_since": {"type": ["string", "null"], "format": "date-time"}, "disabled_at": {"type": ["string", "null"], "format": "date-time"},
   "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"}}},
 "CreatedWebhook": {"allOf": [{"$ref": "#/components/schemas/Webhook"}, {"type": "object", "required": ["secret"],
   "properties": {"secret": {"type": "string", "description": "shown only in this answer; signs every delivery"}}}]},
 "NewWebhook": {"type": "object", "additionalProperties": false, "required": ["url", "events"], "properties": {
   "url": {"type": "string", "maxLength": 2000, "description": "https:// (http:// too with webhooks.allow_private)"},
   "events": {"type": "array", "minItems": 1, "maxItems": 50, "items": {"type": "string"}},
   "description": {"type": "string", "maxLength": 500}}},
 "WebhookPatch": {"type": "object", "additionalProperties": false, "properties": {
   "url": {"type": "string", "maxLength": 2000}, "events": {"type": "array", "minItems": 1, "maxItems": 50, "items": {"type": "string"}},
   "description": {"type": "string", "maxLength": 500}, "active": {"type": "boolean"}}},
 "WebhookDelivery": {"type": "object", "required": ["id", "event_id", "status", "attempts", "last_status_code", "last_error",
   "next_attempt_at", "delivered_at"], "properties": {
   "id": {"type": "integer"}, "event_id": {"type": "integer"}, "event_type": {"type": "string"},
   "status": {"type": "string", "enum": ["pending", "delivered", "failed"]}, "attempts": {"type": "integer"},
   "last_status_code": {"type": ["integer", "null"]}, "last_error": {"type": ["string", "null"]},
   "next_attempt_at": {"type": ["string", "null"], "format": "date-time"}, "delivered_at": {"type": ["string", "null"], "format": "date-time"},
   "created_at": {"type": "string", "format": "date-time"}}},
 "Pdf": {"type": "string", "format": "binary", "description": "application/pdf, one page"},
 "Csv": {"type": "string", "description": "RFC 4180 CSV (UTF-8, CRLF, one header row), streamed with chunked transfer encoding; cells starting with =, +, -, @, tab or CR get a leading '"},
 "PortalConfig": {"type": "object", "properties": {"default_tenant": {"type": "string"}, "version": {"type": "string"}}},
 "OpenApiDocument": {"type": "object", "description": "An OpenAPI 3.1 document (this one)",
   "required": ["openapi", "info", "paths"], "properties": {"openapi": {"type": "string"}, "info": {"type": "object"},
   "paths": {"type": "object"}, "components": {"type": "object"}}}
})JSON";

// Reusable problem responses (components/responses), one per 4xx status the API uses (API.md, Status codes).
struct ProblemKind {
  int status;
  const char* name;
  const char* description;
};
constexpr ProblemKind kProblems[] = {
    {400, "BadRequest", "Malformed JSON, a duplicate or unknown field, a wrong type or a failed validation (`errors` per field)"},
    {401, "Unauthenticated", "No valid session or token"},
    {403, "Forbidden", "Authenticated but not allowed, or the CSRF token is missing"},
    {404, "NotFound", "No such resource, or outside the caller's scope"},
    {409, "Conflict", "A workflow move that is not allowed, a stale version or a duplicate"},
    {413, "PayloadTooLarge", "The body is larger than the limit"},
    {415, "UnsupportedMediaType", "The body is not application/json"},
    {429, "TooManyRequests", "Too many attempts or concurrent waits; see Retry-After"},
};

json::object Components() {
  static const json::object kParsed = [] {
    json::object all = json::parse(kComponents).as_object();
    // Each later feature's schemas live beside its handlers (openapi_*.cpp).
    const json::value requests = json::parse(RequestComponentsJson());  // issue 10
    for (const auto& [k, v] : requests.as_object()) all[k] = v;
    const json::value conversations = json::parse(ConversationSchemas());  // issue 11
    for (const auto& [k, v] : conversations.as_object()) all[k] = v;
    const json::value shop = json::parse(ShopSchemasJson());  // issue 12
    for (const auto& [k, v] : shop.as_object()) all[k] = v;
    return all;
  }();
  return kParsed;
}

json::value Ref(const std::string& name) { return json::object{{"$ref", "#/components/schemas/" + name}}; }

/// "GET /api/v1/repairs/{id}/log" -> "getApiV1RepairsIdLog": only for a route without an operation_id.
std::string FallbackOperationId(const Route& route) {
  std::string id;
  for (char c : route.method) id += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  bool upper = true;
  for (char c : route.pattern) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      id += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    } else {
      upper = true;
    }
  }
  return id;
}

/// The 4xx statuses an operation can answer, from what its route does (API.md, Precise rules).
std::vector<int> ProblemStatuses(const Route& route) {
  const auto& info = route.info;
  const bool has_path_params = route.pattern.find('{') != std::string::npos;
  const bool unsafe = route.method != "GET" && route.method != "HEAD";
  std::vector<int> out;
  if (info.body || !info.query.empty() || has_path_params || !info.auth) out.push_back(400);
  if (info.auth) out.push_back(401);
  if (info.auth) out.push_back(403);
  if (has_path_params || route.info.status == 101) out.push_back(404);
  if (unsafe && info.auth) out.push_back(409);
  if (info.body) out.push_back(413);
  if (info.body) out.push_back(415);
  if (route.pattern == "/api/v1/auth/login" || route.pattern == "/api/v1/events") out.push_back(429);
  // Issue 13: throttled like login; accepting an invitation while logged in checks CSRF, and an e-mail
  // with an account conflicts.
  if (route.pattern == "/api/v1/auth/signup" || route.pattern == "/api/v1/auth/verify" ||
      route.pattern.starts_with("/api/v1/auth/password-reset")) {
    out.push_back(429);
  }
  if (route.pattern == "/api/v1/invitations/{token}/accept") {
    out.push_back(403);
    out.push_back(409);
  }
  if (out.empty()) out.push_back(404);  // every path answers 404 when the document is read by a wrong base URL
  return out;
}

const char* ProblemName(int status) {
  for (const auto& p : kProblems) {
    if (p.status == status) return p.name;
  }
  return "BadRequest";
}

}  // namespace

json::value BuildOpenApi(const Router& router) {
  json::object paths;
  json::object schemas = Components();
  {
    // Webhook event types: the list the server validates against (services::WebhookEventTypes()), so the
    // document and docs/webhooks.md cannot drift from it.
    json::array types{"*"};
    std::string described;
    for (const auto& t : services::WebhookEventTypes()) {
      types.emplace_back(t.type);
      described += std::string("\n- `") + t.type + "`: " + t.data;
    }
    for (const char* name : {"NewWebhook", "WebhookPatch"}) {
      auto& events = schemas[name].as_object()["properties"].as_object()["events"].as_object();
      events["items"] = json::object{{"type", "string"}, {"enum", types}};
      events["description"] = "Event types (\"*\": all), with the fields of their `data`:" + described;
    }
  }
  for (const auto& [name, schema] : OnboardingSchemas()) schemas[name] = schema;
  for (const auto& route : router.routes()) {
    const auto& info = route.info;
    json::object op;
    op["summary"] = info.summary;
    if (!info.tag.empty()) op["tags"] = json::array{info.tag};
    op["operationId"] = info.operation_id.empty() ? FallbackOperationId(route) : info.operation_id;
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
                    q == "after" || q == "wait" || q == "months" || q == "repair" ||
                    q == "before" || q == "limit" || q == "service_type" || q == "days";
      params.push_back(json::object{{"name", q}, {"in", "query"}, {"required", false},
                                    {"schema", json::object{{"type", is_int ? "integer" : "string"}}}});
    }
    if (!params.empty()) op["parameters"] = std::move(params);
    if (info.body && !info.request_schema.empty()) {
      op["requestBody"] = json::object{
          {"required", true},
          {"content", json::object{{"application/json", json::object{{"schema", Ref(info.request_schema)}}}}}};
    }
    if (info.upload && !info.request_schema.empty()) {
      // A route that takes JSON too documents both bodies; its multipart schema is "<schema>Upload".
      json::object content{{"multipart/form-data",
                            json::object{{"schema", Ref(info.body ? info.request_schema + "Upload" : info.request_schema)}}}};
      if (info.body) content["application/json"] = json::object{{"schema", Ref(info.request_schema)}};
      op["requestBody"] = json::object{{"required", true}, {"content", std::move(content)}};
    }
    if (!info.auth) op["security"] = json::array{};
    json::object responses;
    json::object ok{{"description", info.status == 101 ? "Switching Protocols (WebSocket)"
                                    : info.status == 204 ? "No Content" : "Success"}};
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
      std::string ct = info.response_schema == "Metrics"     ? "text/plain"
                       : info.response_schema == "ICalendar" ? "text/calendar"
                       : info.response_schema == "Binary" ? "*/*"
                       : info.response_schema == "Csv"    ? "text/csv"
                       : info.response_schema == "Pdf"    ? "application/pdf"
                                                          : "application/json";
      ok["content"] = json::object{{ct, json::object{{"schema", schema}}}};
    }
    responses[std::to_string(info.status)] = std::move(ok);
    for (int status : ProblemStatuses(route)) {
      responses[std::to_string(status)] =
          json::object{{"$ref", std::string("#/components/responses/") + ProblemName(status)}};
    }
    responses["default"] = json::object{{"$ref", "#/components/responses/Problem"}};
    op["responses"] = std::move(responses);
    std::string method = route.method;
    for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto& path = paths[route.pattern];
    if (!path.is_object()) path = json::object{};
    path.as_object()[method] = std::move(op);
  }
  json::object problem_responses;
  const json::object problem_content{{"application/problem+json", json::object{{"schema", Ref("Problem")}}}};
  for (const auto& p : kProblems) {
    problem_responses[p.name] = json::object{{"description", p.description}, {"content", problem_content}};
  }
  problem_responses["Problem"] =
      json::object{{"description", "Problem details (RFC 9457), e.g. 503 while the database does not answer"},
                   {"content", problem_content}};
  return json::object{
      {"openapi", "3.1.0"},
      {"info", json::object{{"title", "Portico API"}, {"version", "1"},
                            {"description", "The HTTP contract of Portico (API.md), generated from the server's routes."}}},
      {"servers", json::array{json::object{{"url", "/"}}}},
      {"paths", std::move(paths)},
      {"components",
       json::object{{"schemas", std::move(schemas)},
                    {"responses", std::move(problem_responses)},
                    {"securitySchemes",
                     json::object{{"session", json::object{{"type", "apiKey"}, {"in", "cookie"}, {"name", "portico_session"}}},
                                  {"bearer", json::object{{"type", "http"}, {"scheme", "bearer"}}}}}}},
      {"security", json::array{json::object{{"session", json::array{}}}, json::object{{"bearer", json::array{}}}}},
  };
}

}  // namespace portico::http
