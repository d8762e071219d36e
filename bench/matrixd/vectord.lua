-- One vectord search of the same k with a 384-d vector: the baseline of the ratio.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local v = {}
for i = 1, 384 do v[i] = string.format("%.6f", math.sin(i)) end
wrk.body = '{"vector":[' .. table.concat(v, ",") .. '],"k":10}'
