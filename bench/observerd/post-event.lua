-- wrk script: POST one observed operation per request (observerd assigns op_id and timestamp).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"source":"bench","endpoint":"/v1/matrix/search","kind":"search","success":true,"latency_ms":12,"request":{"query_text":"forklift operator in Dayton","k":10},"result":{"hits":10},"tags":["bench"]}'
