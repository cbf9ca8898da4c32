// The repair's wire shape written as text (issue 16), and the responses that carry one or a page of them.
#pragma once

#include <string>

#include "core/page.h"
#include "http/dto.h"
#include "http/message.h"
#include "services/repair_service.h"

namespace portico::http {

class JsonWriter;

/// Writes one repair (API.md "Repairs", with allowed_moves and can_approve) as a JSON object.
void WriteRepair(JsonWriter& w, const services::RepairView& v);
/// The repair as JSON text.
std::string RepairJsonText(const services::RepairView& v);
/// A JSON response of one repair.
Response RepairResponse(int status, const services::RepairView& v);
/// The page envelope of PageEnvelope with the repairs written straight into the body.
Response RepairPageResponse(const Request& req, const PageRequest& page, const PageOf<services::RepairView>& p);

}  // namespace portico::http
