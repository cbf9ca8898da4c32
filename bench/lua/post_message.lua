-- POST a message as a bearer-token user (bench/messages_bench.mjs): env TOKEN and CHANNEL.
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"body": "bench message @technician about the windshield"}'
wrk.path = "/api/v1/channels/" .. os.getenv("CHANNEL") .. "/messages"
