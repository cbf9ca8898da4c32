// Component schemas of client requests and change orders (issue 10; API.md "Client requests",
// "Change orders"), merged into the OpenAPI document by openapi.cpp.
#pragma once

namespace portico::http {

/// A JSON object of component schemas (name -> schema).
const char* RequestComponentsJson();

}  // namespace portico::http
