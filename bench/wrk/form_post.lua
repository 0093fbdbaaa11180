-- Posts the public complaint form as a complainant's browser does: multipart, with the CSRF
-- token and a new submission key for every post (the key makes a repeated post a no-op).
-- Environment: BENCH_CSRF_TOKEN, BENCH_DATE (YYYY-MM-DD), BENCH_NONCE (hex), and optionally
-- BENCH_ATTACHMENT (a file to attach). The CSRF cookie comes with -H "Cookie: ...".

local report = dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local boundary = "----KlachtenBenchBoundary7d1f"
local threads = {}
local counter = 0

function setup(thread)
  thread:set("thread_id", #threads + 1)
  threads[#threads + 1] = thread
end

local token, date, nonce, attachment

function init(args)
  token = os.getenv("BENCH_CSRF_TOKEN")
  date = os.getenv("BENCH_DATE")
  nonce = tonumber(os.getenv("BENCH_NONCE"), 16)
  local path = os.getenv("BENCH_ATTACHMENT")
  if path and path ~= "" then
    local f = assert(io.open(path, "rb"))
    attachment = f:read("*a")
    f:close()
  end
end

local function field(name, value)
  return "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"" .. name .. "\"\r\n\r\n" .. value .. "\r\n"
end

function request()
  counter = counter + 1
  -- Unique within a run (thread and counter) and across runs (the nonce).
  local key = string.format("%08x-%04x-4000-8000-%012x", nonce, thread_id, counter)
  local parts = {
    field("csrfmiddlewaretoken", token),
    field("submission_key", key),
    field("website", ""),
    field("name", "Bench Klager " .. counter),
    field("company", ""),
    field("complaint_date", date),
    field("about", "Planning"),
    field("email", "klager" .. counter .. "@example.nl"),
    field("postal_address", ""),
    field("phone", "06 12345678"),
    field("subject", "service"),
    field("description", "De monteur kwam niet opdagen en de thermostaat is nog steeds kapot."),
    field("desired_outcome", ""),
  }
  if attachment then
    parts[#parts + 1] = "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"attachments\"; " ..
      "filename=\"factuur.pdf\"\r\nContent-Type: application/pdf\r\n\r\n" .. attachment .. "\r\n"
  end
  parts[#parts + 1] = "--" .. boundary .. "--\r\n"
  -- wrk.format uses only the headers it is given, so the -H cookie is copied in.
  local headers = {["Content-Type"] = "multipart/form-data; boundary=" .. boundary, Cookie = wrk.headers["Cookie"]}
  return wrk.format("POST", "/klacht/", headers, table.concat(parts))
end

done = report.done
