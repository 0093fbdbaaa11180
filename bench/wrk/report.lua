-- Prints the outcome of a wrk run as one JSON line, read by bench/run.py.
-- GET requests may rotate over paths listed one per line in the file named by $BENCH_PATHS.

local paths = {}
local counter = 0

function init(args)
  local name = os.getenv("BENCH_PATHS")
  if name and name ~= "" then
    for line in io.lines(name) do
      if line ~= "" then paths[#paths + 1] = line end
    end
  end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
end

function request()
  if #paths > 0 then
    counter = counter + 1
    return wrk.format(nil, paths[math.random(#paths)])
  end
  return wrk.request()
end

local function done(summary, latency, requests)
  local e = {status = 0, connect = 0, read = 0, write = 0, timeout = 0}
  for name, count in pairs(summary.errors) do e[name] = count end
  io.write(string.format(
    'BENCH-JSON {"requests": %d, "duration_us": %d, "bytes": %d, "status_errors": %d, ' ..
    '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.status, e.connect, e.read, e.write,
    e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency.mean))
end

-- Used as a wrk script on its own, and as a module by form_post.lua.
_G.done = done
return {done = done}
