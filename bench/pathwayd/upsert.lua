-- wrk script: POST distinct upserts (each a new workflow, so each is an ADD: decided, logged to S3, embedded
-- and indexed before the 200). Subjects are unique per wrk thread and per run.
local counter = 0
local next_tid = 0
tid = 0  -- a global: setup() gives each thread its own with thread:set
local threads = {}
local run = tostring(os.time())
local roles = {"Forklift Operator", "Picker Packer", "CNC Operator", "Welder", "CDL Driver", "Line Cook", "Registered Nurse", "Electrician"}
local cities = {"Detroit", "Toledo", "Chicago", "Columbus", "Cleveland", "Dayton", "Flint", "Lansing"}

function setup(thread)
  next_tid = next_tid + 1
  thread:set("tid", next_tid)
  table.insert(threads, thread)
end

function init(args)
  failures = 0
end

function request()
  counter = counter + 1
  local role = roles[(counter % 8) + 1]
  local city = cities[(math.floor(counter / 8) % 8) + 1]
  local body = string.format('{"task_class":"fill","subject":"%s %s #%s-%d-%d","signal_class":"validated","role":"%s","tags":["bench"],"content":{"steps":["search %s in %s","validate fill","email candidate"],"verdict":"filled %d"}}',
    role, city, run, tid, counter, role, role, city, counter)
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  if status ~= 200 then failures = failures + 1 end
end

function done(summary, latency, requests)
  local f = 0
  for _, t in ipairs(threads) do f = f + (t:get("failures") or 0) end
  io.write(string.format("upserts: %d answered, %d not 200; p50 %.1f ms, p99 %.1f ms\n",
    summary.requests, f, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
