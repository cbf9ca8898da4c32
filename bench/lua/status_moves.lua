-- Cycles repairs through claim (APPROVED -> IN_PROGRESS) and release (IN_PROGRESS -> APPROVED).
-- Each wrk thread owns its own block of repairs, and walks it round-robin, so the same repair is moved
-- again only after a whole block of other requests (few collisions; a collision is a correct 409).
local ids = {}
local counter = 0
local next_index = 0

-- setup() runs in the main Lua state; it gives each thread's own state its block number (a global there).
function setup(thread)
  thread:set("block", next_index)
  next_index = next_index + 1
end

function init(args)
  local first = tonumber(os.getenv("FIRST_ID"))
  local per = tonumber(os.getenv("PER_THREAD"))
  for i = 0, per - 1 do ids[#ids + 1] = first + block * per + i end
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Cookie"] = os.getenv("COOKIE")
  wrk.headers["X-CSRF-Token"] = os.getenv("CSRF")
end

function request()
  local n = #ids
  local id = ids[(counter % n) + 1]
  local cycle = math.floor(counter / n)
  counter = counter + 1
  local status = (cycle % 2 == 0) and "IN_PROGRESS" or "APPROVED"
  return wrk.format("POST", "/api/v1/repairs/" .. id .. "/status", nil, '{"status":"' .. status .. '"}')
end
