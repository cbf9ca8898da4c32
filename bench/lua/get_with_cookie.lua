-- GET one path with a session cookie (PATH, COOKIE from the environment).
function init(args)
  wrk.headers["Cookie"] = os.getenv("COOKIE")
end
function request()
  return wrk.format("GET", os.getenv("PATH_TO_GET"))
end
