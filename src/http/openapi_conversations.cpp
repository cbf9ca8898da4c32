// Component schemas of conversations (issue 11; API.md "Conversations"), merged into the document by
// openapi.cpp's Components().
#include "http/openapi.h"

namespace portico::http {

const char* ConversationSchemas() {
  return R"JSON({
 "UserBrief": {"type": "object", "required": ["id", "name", "handle"], "properties": {
   "id": {"type": "integer"}, "name": {"type": "string"}, "handle": {"type": "string"}}},
 "Channel": {"type": "object", "required": ["id", "kind", "name", "customer_id", "members", "last_message_at",
   "unread_count", "created_at"], "properties": {
   "id": {"type": "integer"}, "kind": {"type": "string", "enum": ["customer", "internal", "direct"]},
   "name": {"type": "string"}, "customer_id": {"type": ["integer", "null"]},
   "is_default": {"type": "boolean", "description": "the customer's default channel"},
   "members": {"type": "array", "items": {"$ref": "#/components/schemas/UserBrief"},
     "description": "internal and direct channels; empty = all staff for internal"},
   "last_message_at": {"type": ["string", "null"], "format": "date-time"},
   "unread_count": {"type": "integer", "description": "messages of others newer than the caller's read position"},
   "allowed_actions": {"type": "array", "items": {"type": "string", "enum": ["post", "manage", "delete"]},
     "description": "what the caller may do with this channel"},
   "created_at": {"type": "string", "format": "date-time"}}},
 "NewChannel": {"type": "object", "additionalProperties": false, "required": ["kind"], "properties": {
   "kind": {"type": "string", "enum": ["customer", "internal", "direct"]},
   "name": {"type": "string", "maxLength": 100, "description": "required except for direct channels"},
   "customer_id": {"type": "integer", "description": "customer channels only (required there)"},
   "member_ids": {"type": "array", "items": {"type": "integer"},
     "description": "staff users; direct: exactly one other staff member"}}},
 "ChannelPatch": {"type": "object", "additionalProperties": false, "properties": {
   "name": {"type": "string", "maxLength": 100},
   "member_ids": {"type": "array", "items": {"type": "integer"}, "description": "internal channels only"}}},
 "Mention": {"type": "object", "required": ["type"], "properties": {
   "type": {"type": "string", "enum": ["user", "repair", "unit", "request", "change_order"]},
   "user": {"$ref": "#/components/schemas/UserBrief"},
   "id": {"type": "integer"}, "label": {"type": "string"}}},
 "Message": {"type": "object", "required": ["id", "channel_id", "author", "body", "mentions", "attachments",
   "created_at", "edited_at", "deleted", "deleted_by", "deleted_at"], "properties": {
   "id": {"type": "integer"}, "channel_id": {"type": "integer"},
   "author": {"oneOf": [{"$ref": "#/components/schemas/UserBrief"}, {"type": "null"}]},
   "body": {"type": ["string", "null"], "description": "null once deleted"},
   "mentions": {"type": "array", "items": {"$ref": "#/components/schemas/Mention"}},
   "attachments": {"type": "array", "items": {"$ref": "#/components/schemas/Attachment"}},
   "created_at": {"type": "string", "format": "date-time"},
   "edited_at": {"type": ["string", "null"], "format": "date-time"},
   "deleted": {"type": "boolean"},
   "deleted_by": {"oneOf": [{"$ref": "#/components/schemas/UserBrief"}, {"type": "null"}]},
   "deleted_at": {"type": ["string", "null"], "format": "date-time"},
   "allowed_actions": {"type": "array", "items": {"type": "string", "enum": ["edit", "delete"]},
     "description": "what the caller may do with this message"}}},
 "MessagePage": {"type": "object", "required": ["results", "has_more"], "properties": {
   "results": {"type": "array", "items": {"$ref": "#/components/schemas/Message"}},
   "has_more": {"type": "boolean"}}},
 "NewMessage": {"type": "object", "additionalProperties": false, "required": ["body"], "properties": {
   "body": {"type": "string", "maxLength": 4000}}},
 "NewMessageUpload": {"type": "object", "properties": {
   "body": {"type": "string", "maxLength": 4000, "description": "may be empty when files are sent"},
   "file": {"type": "array", "maxItems": 10, "items": {"type": "string", "format": "binary"},
     "description": "up to 10 parts named file; images, videos and documents as for attachments"}}},
 "MessagePatch": {"type": "object", "additionalProperties": false, "required": ["body"], "properties": {
   "body": {"type": "string", "maxLength": 4000}}},
 "ReadPosition": {"type": "object", "additionalProperties": false, "required": ["message_id"], "properties": {
   "message_id": {"type": "integer"}}}
})JSON";
}

}  // namespace portico::http
