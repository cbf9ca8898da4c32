// OpenAPI component schemas of shop operations (issue 12; API.md "Appointments", "Parts inventory",
// "Board order"), merged into the document's components by openapi.cpp.
#include "http/openapi.h"

namespace portico::http {

const char* ShopSchemasJson() {
  return R"JSON({
 "OpeningHours": {"type": "object", "additionalProperties": false,
   "required": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
   "description": "local [open, close] intervals per day (HH:MM; close may be 24:00); [] when closed",
   "properties": {
     "mon": {"$ref": "#/components/schemas/DayHours"}, "tue": {"$ref": "#/components/schemas/DayHours"},
     "wed": {"$ref": "#/components/schemas/DayHours"}, "thu": {"$ref": "#/components/schemas/DayHours"},
     "fri": {"$ref": "#/components/schemas/DayHours"}, "sat": {"$ref": "#/components/schemas/DayHours"},
     "sun": {"$ref": "#/components/schemas/DayHours"}}},
 "DayHours": {"type": "array", "maxItems": 12, "items": {"type": "array", "minItems": 2, "maxItems": 2,
   "items": {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"}}},
 "ShopSettings": {"type": "object", "additionalProperties": false,
   "required": ["time_zone", "bays", "opening_hours", "slot_minutes"], "properties": {
   "time_zone": {"type": "string", "description": "IANA name, e.g. America/New_York"},
   "bays": {"type": "integer", "minimum": 1, "maximum": 100},
   "opening_hours": {"$ref": "#/components/schemas/OpeningHours"},
   "slot_minutes": {"type": "integer", "minimum": 5, "maximum": 240}}},
 "ServiceType": {"type": "object", "required": ["id", "name", "duration_minutes", "active"], "properties": {
   "id": {"type": "integer"}, "name": {"type": "string"}, "duration_minutes": {"type": "integer"},
   "active": {"type": "boolean"}, "created_at": {"type": "string", "format": "date-time"},
   "updated_at": {"type": "string", "format": "date-time"}}},
 "NewServiceType": {"type": "object", "additionalProperties": false, "required": ["name", "duration_minutes"], "properties": {
   "name": {"type": "string", "minLength": 1, "maxLength": 100},
   "duration_minutes": {"type": "integer", "minimum": 5, "maximum": 1440}, "active": {"type": "boolean"}}},
 "ServiceTypePatch": {"type": "object", "additionalProperties": false, "properties": {
   "name": {"type": "string", "minLength": 1, "maxLength": 100},
   "duration_minutes": {"type": "integer", "minimum": 5, "maximum": 1440}, "active": {"type": "boolean"}}},
 "Slot": {"type": "object", "required": ["starts_at", "ends_at", "local_start"], "properties": {
   "starts_at": {"type": "string", "format": "date-time"}, "ends_at": {"type": "string", "format": "date-time"},
   "local_start": {"type": "string", "description": "in the shop's zone, e.g. 2026-03-08T09:30"}}},
 "AppointmentStatus": {"type": "string", "enum": ["requested", "confirmed", "cancelled", "completed", "no_show"]},
 "Appointment": {"type": "object", "required": ["id", "customer_id", "unit_id", "service_type_id", "repair_id",
   "technician_id", "starts_at", "ends_at", "local_start", "status", "notes", "created_at", "updated_at"], "properties": {
   "id": {"type": "integer"}, "customer_id": {"type": "integer"}, "unit_id": {"type": "integer"},
   "service_type_id": {"type": "integer"}, "repair_id": {"type": ["integer", "null"]},
   "technician_id": {"type": ["integer", "null"]},
   "starts_at": {"type": "string", "format": "date-time"}, "ends_at": {"type": "string", "format": "date-time"},
   "local_start": {"type": "string"}, "status": {"$ref": "#/components/schemas/AppointmentStatus"},
   "notes": {"type": "string"}, "cancel_reason": {"type": "string"},
   "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"}}},
 "NewAppointment": {"type": "object", "additionalProperties": false, "required": ["customer_id", "service_type_id", "starts_at"],
   "properties": {
   "customer_id": {"type": "integer"}, "unit_id": {"type": "integer"}, "unit_number": {"type": "string", "maxLength": 50},
   "service_type_id": {"type": "integer"}, "starts_at": {"type": "string", "format": "date-time"},
   "technician_id": {"type": "integer", "description": "staff only"}, "notes": {"type": "string", "maxLength": 2000}}},
 "AppointmentPatch": {"type": "object", "additionalProperties": false, "properties": {
   "repair_id": {"type": ["integer", "null"]}, "technician_id": {"type": "integer"},
   "notes": {"type": "string", "maxLength": 2000}}},
 "AppointmentReschedule": {"type": "object", "additionalProperties": false, "required": ["starts_at"], "properties": {
   "starts_at": {"type": "string", "format": "date-time"}}},
 "AppointmentCancel": {"type": "object", "additionalProperties": false, "properties": {
   "reason": {"type": "string", "maxLength": 2000}}},
 "BoardPosition": {"type": "object", "additionalProperties": false, "properties": {
   "after_id": {"type": ["integer", "null"], "description": "the repair above; null: the top"},
   "before_id": {"type": ["integer", "null"], "description": "the repair below; null: the bottom"}}},
 "Part": {"type": "object", "required": ["id", "sku", "name", "unit_cost", "quantity_on_hand", "reorder_level", "location",
   "active", "created_at", "updated_at"], "properties": {
   "id": {"type": "integer"}, "sku": {"type": "string"}, "name": {"type": "string"},
   "unit_cost": {"$ref": "#/components/schemas/Money"}, "quantity_on_hand": {"type": "number"},
   "reorder_level": {"type": "number"}, "low_stock": {"type": "boolean"}, "location": {"type": "string"},
   "active": {"type": "boolean"}, "created_at": {"type": "string", "format": "date-time"},
   "updated_at": {"type": "string", "format": "date-time"}}},
 "NewPart": {"type": "object", "additionalProperties": false, "required": ["sku", "name", "unit_cost"], "properties": {
   "sku": {"type": "string", "minLength": 1, "maxLength": 64}, "name": {"type": "string", "minLength": 1, "maxLength": 200},
   "unit_cost": {"$ref": "#/components/schemas/Money"}, "reorder_level": {"type": "number", "minimum": 0},
   "location": {"type": "string", "maxLength": 100}, "active": {"type": "boolean"}}},
 "PartPatch": {"type": "object", "additionalProperties": false, "properties": {
   "sku": {"type": "string", "minLength": 1, "maxLength": 64}, "name": {"type": "string", "minLength": 1, "maxLength": 200},
   "unit_cost": {"$ref": "#/components/schemas/Money"}, "reorder_level": {"type": "number", "minimum": 0},
   "location": {"type": "string", "maxLength": 100}, "active": {"type": "boolean"}}},
 "PartMovement": {"type": "object", "required": ["id", "kind", "quantity", "repair_id", "reason", "by", "created_at"], "properties": {
   "id": {"type": "integer"}, "kind": {"type": "string", "enum": ["received", "used", "returned", "adjusted"]},
   "quantity": {"type": "number", "description": "signed change"}, "repair_id": {"type": ["integer", "null"]},
   "reason": {"type": "string"},
   "by": {"type": ["object", "null"], "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
   "created_at": {"type": "string", "format": "date-time"}}},
 "NewPartMovement": {"type": "object", "additionalProperties": false, "required": ["kind", "quantity"], "properties": {
   "kind": {"type": "string", "enum": ["received", "adjusted"]},
   "quantity": {"type": "number", "description": "signed: positive for received, either sign for adjusted"},
   "reason": {"type": "string", "maxLength": 500, "description": "required for adjusted"}}},
 "CalendarFeed": {"type": "object", "required": ["url"], "properties": {"url": {"type": "string"}}},
 "ICalendar": {"type": "string", "description": "an iCalendar (RFC 5545) document"}
})JSON";
}

}  // namespace portico::http
