-- wrk script for make bench: every request signs in as a different pre-made session (one member
-- each) and POSTs a form with the CSRF secret as cookie and field. Counts statuses per class.
--   wrk -s bench/rotate.lua URL -- <sessions file> <threads> <form body> <csrf secret>
-- A thread stops when its share of the sessions is used up (never reuses a member).
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local file, nthreads = args[1], tonumber(args[2])
  body, csrf = args[3], args[4]
  sessions = {}
  local i = 0
  for line in io.lines(file) do
    if i % nthreads == id then sessions[#sessions + 1] = line end
    i = i + 1
  end
  nexti = 1
  s2xx, s3xx, s4xx, s5xx, exhausted = 0, 0, 0, 0, 0
end

function request()
  local key = sessions[nexti]
  if key == nil then
    exhausted = 1
    wrk.thread:stop()
    key = sessions[#sessions]
  end
  nexti = nexti + 1
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "sessionid=" .. key .. "; csrftoken=" .. csrf,
  }, body)
end

function response(status, headers, body)
  if status < 300 then s2xx = s2xx + 1
  elseif status < 400 then s3xx = s3xx + 1
  elseif status < 500 then s4xx = s4xx + 1
  else s5xx = s5xx + 1 end
end

function done(summary, latency, requests)
  local c = {0, 0, 0, 0, 0}
  for _, t in ipairs(threads) do
    c[1] = c[1] + t:get("s2xx"); c[2] = c[2] + t:get("s3xx"); c[3] = c[3] + t:get("s4xx")
    c[4] = c[4] + t:get("s5xx"); c[5] = c[5] + t:get("exhausted")
  end
  io.write(string.format("STATUS 2xx=%d 3xx=%d 4xx=%d 5xx=%d exhausted=%d\n", c[1], c[2], c[3], c[4], c[5]))
end
