-- wrk script: POST /v1/embed with 32 texts never seen before (all cache misses: the local model's throughput).
local counter = 0
local tid = 0
local threads = {}
local nthreads = 0

function setup(thread)
  nthreads = nthreads + 1
  thread:set("tid", nthreads)
  table.insert(threads, thread)
end

function init(args)
  tid = wrk.thread:get("tid") or 0
  math.randomseed(os.time() + tid * 7919)
end

local roles = {"forklift operator", "welder", "line cook", "registered nurse", "warehouse associate",
               "electrician", "truck driver", "cashier", "machinist", "dental assistant"}
local cities = {"Columbus OH", "Dayton OH", "Austin TX", "Fresno CA", "Tampa FL", "Boise ID", "Reno NV"}

request = function()
  counter = counter + 1
  local texts = {}
  for i = 1, 32 do
    local r = roles[math.random(#roles)]
    local c = cities[math.random(#cities)]
    texts[i] = string.format('"%s in %s, %d years of experience, shift %d, candidate %d-%d-%d-%d"',
      r, c, math.random(1, 30), math.random(1, 3), tid, counter, i, math.random(1, 1000000000))
  end
  local body = '{"texts":[' .. table.concat(texts, ",") .. ']}'
  return wrk.format("POST", "/v1/embed", {["Content-Type"] = "application/json"}, body)
end

done = function(summary, latency, requests)
  local secs = summary.duration / 1e6
  io.write(string.format("cold batches/s %.2f  texts/s %.1f  (batch 32, %d batches, %d errors)\n",
    summary.requests / secs, summary.requests * 32 / secs, summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
