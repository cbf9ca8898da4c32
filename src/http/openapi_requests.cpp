#include "http/openapi_requests.h"

namespace portico::http {

const char* RequestComponentsJson() {
  return R"JSON({
 "ClientRequest": {"type": "object", "required": ["id", "customer_id", "type", "title", "description", "repair_id",
   "unit_id", "status", "created_by", "decided_by", "decided_at", "decision_notes", "converted_to", "attachment_count",
   "created_at", "updated_at"], "properties": {
   "id": {"type": "integer"}, "customer_id": {"type": "integer"},
   "type": {"type": "string", "enum": ["material", "change_order", "info", "other"]},
   "title": {"type": "string"}, "description": {"type": "string"},
   "repair_id": {"type": ["integer", "null"]}, "unit_id": {"type": ["integer", "null"]},
   "status": {"type": "string", "enum": ["pending", "approved", "rejected", "converted", "withdrawn"]},
   "created_by": {"$ref": "#/components/schemas/PersonRef"},
   "decided_by": {"$ref": "#/components/schemas/PersonRef"},
   "decided_at": {"type": ["string", "null"], "format": "date-time"},
   "decision_notes": {"type": ["string", "null"]},
   "converted_to": {"oneOf": [{"type": "null"}, {"type": "object", "required": ["type", "id"], "properties": {
     "type": {"type": "string", "enum": ["repair", "change_order"]}, "id": {"type": "integer"}}}]},
   "attachment_count": {"type": "integer"},
   "allowed_actions": {"type": "array", "items": {"type": "string", "enum": ["edit", "approve", "reject", "convert", "withdraw"]},
     "description": "what the caller may do with this request now"},
   "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"}}},
 "NewClientRequest": {"type": "object", "additionalProperties": false, "required": ["customer_id", "type", "title"], "properties": {
   "customer_id": {"type": "integer"}, "type": {"type": "string", "enum": ["material", "change_order", "info", "other"]},
   "title": {"type": "string", "minLength": 1, "maxLength": 200}, "description": {"type": "string", "maxLength": 5000},
   "repair_id": {"type": ["integer", "null"]}, "unit_id": {"type": ["integer", "null"]}}},
 "ClientRequestPatch": {"type": "object", "additionalProperties": false, "properties": {
   "title": {"type": "string", "minLength": 1, "maxLength": 200}, "description": {"type": "string", "maxLength": 5000}}},
 "DecisionNotes": {"type": "object", "additionalProperties": false, "properties": {"notes": {"type": "string", "maxLength": 2000}}},
 "RejectRequest": {"type": "object", "additionalProperties": false, "required": ["reason"], "properties": {
   "reason": {"type": "string", "minLength": 1, "maxLength": 2000}}},
 "ConvertRequest": {"type": "object", "additionalProperties": false, "required": ["into"], "properties": {
   "into": {"type": "string", "enum": ["repair", "change_order"]},
   "unit_number": {"type": "string", "maxLength": 50, "description": "into repair, when the request names no unit"},
   "amount": {"type": "string", "description": "into change_order: money > 0"},
   "description": {"type": "string", "maxLength": 2000, "description": "into change_order; default: the request's text"}}},
 "ChangeOrder": {"type": "object", "required": ["id", "repair_id", "description", "amount", "status", "created_by",
   "decided_by", "decided_at", "notes", "created_at"], "properties": {
   "id": {"type": "integer"}, "repair_id": {"type": "integer"}, "request_id": {"type": ["integer", "null"]},
   "description": {"type": "string"}, "amount": {"type": "string"},
   "status": {"type": "string", "enum": ["proposed", "approved", "declined", "withdrawn"]},
   "created_by": {"$ref": "#/components/schemas/PersonRef"},
   "decided_by": {"$ref": "#/components/schemas/PersonRef"},
   "decided_at": {"type": ["string", "null"], "format": "date-time"}, "notes": {"type": "string"},
   "can_decide": {"type": "boolean", "description": "the caller may approve or decline it now"},
   "can_withdraw": {"type": "boolean", "description": "the caller may withdraw it now"},
   "within_approval_limit": {"type": "boolean", "description": "the caller's approval limit allows approving it"},
   "approval_limit": {"type": ["string", "null"], "description": "the caller's approval limit on this customer"},
   "repair_estimated_cost": {"type": "string", "description": "the repair's estimated cost now"},
   "estimated_cost_if_approved": {"type": "string", "description": "the repair's estimated cost once this is approved"},
   "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"}}},
 "NewChangeOrder": {"type": "object", "additionalProperties": false, "required": ["description", "amount"], "properties": {
   "description": {"type": "string", "minLength": 1, "maxLength": 2000}, "amount": {"type": "string", "description": "money > 0"}}},
 "ChangeOrderDecision": {"type": "object", "additionalProperties": false, "required": ["approved"], "properties": {
   "approved": {"type": "boolean"}, "notes": {"type": "string", "maxLength": 2000}}}
})JSON";
}

}  // namespace portico::http
