-- wrk script: POST one chat-completions body; MODEL env var picks the model field.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local model = os.getenv("MODEL") or "fake"
wrk.body = '{"model":"' .. model .. '","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"say hi"}]}'
