-- GET /api/v1/repairs/{id} for ids spread over the whole imported range (FIRST_ID..LAST_ID).
local first, last, state
function init(args)
  wrk.headers["Cookie"] = os.getenv("COOKIE")
  first = tonumber(os.getenv("FIRST_ID"))
  last = tonumber(os.getenv("LAST_ID"))
  state = first
end
function request()
  state = first + ((state - first) * 7919 + 104729) % (last - first + 1)
  return wrk.format("GET", "/api/v1/repairs/" .. state)
end
