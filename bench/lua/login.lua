-- POST /api/v1/auth/login continuously (argon2id INTERACTIVE on every request).
function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = '{"tenant":"bench","email":"' .. os.getenv("LOGIN_EMAIL") .. '","password":"bench-password-1"}'
end
