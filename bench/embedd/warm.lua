-- wrk script: the same one-text POST /v1/embed every time (after a warm-up it is a cache hit).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"texts":["Forklift operator, night shift, Columbus OH, OSHA certified"]}'
