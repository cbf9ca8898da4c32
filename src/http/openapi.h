// The OpenAPI 3.1 document, generated from the router's table (paths, methods, parameters, summaries)
// and the component schemas in openapi.cpp, so it lists exactly the endpoints that exist.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "http/router.h"

namespace portico::http {

boost::json::value BuildOpenApi(const Router& router);

/// The component schemas of conversations (issue 11; openapi_conversations.cpp), a JSON object text.
const char* ConversationSchemas();
/// The component schemas of issue 13 (openapi_onboarding.cpp), merged into the document's.
boost::json::object OnboardingSchemas();
/// The component schemas of shop operations (openapi_shop.cpp; issue 12), a JSON object text.
const char* ShopSchemasJson();

}  // namespace portico::http
