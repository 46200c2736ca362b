-- Drives wrk for the benchmark: one POST body, every response checked (status 200 and the
-- exact expected body), and a JSON summary on stdout's last line for bench/wrk-load.ts.
-- Inputs through the environment: BENCH_BODY_FILE, BENCH_EXPECT_FILE, BENCH_AUTH (optional),
-- BENCH_EXPECT_MODE: "exact" (the body is the expected file byte for byte) or "stream" (the
-- expected file's lines must all occur in the body in that order, and the body must end with
-- the [DONE] event: every content delta, the finish chunk and the usage chunk were relayed).
local function slurp(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

wrk.method = "POST"
wrk.body = slurp(os.getenv("BENCH_BODY_FILE"))
wrk.headers["Content-Type"] = "application/json"
local auth = os.getenv("BENCH_AUTH")
if auth and auth ~= "" then wrk.headers["Authorization"] = "Bearer " .. auth end

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

local expected = slurp(os.getenv("BENCH_EXPECT_FILE"))
local stream_mode = os.getenv("BENCH_EXPECT_MODE") == "stream"
local pieces = {}
if stream_mode then
  for line in string.gmatch(expected, "[^\n]+") do table.insert(pieces, line) end
end
local done_event = "data: [DONE]\n\n"

local function body_ok(body)
  if not stream_mode then return body == expected end
  if body == nil or string.sub(body, -#done_event) ~= done_event then return false end
  local at = 1
  for _, piece in ipairs(pieces) do
    local s, e = string.find(body, piece, at, true)
    if not s then return false end
    at = e + 1
  end
  return true
end
bad_status = 0
bad_body = 0
first_bad = ""
function response(status, headers, body)
  if status ~= 200 then
    bad_status = bad_status + 1
    if first_bad == "" then first_bad = tostring(status) .. " " .. string.sub(body or "", 1, 200) end
  elseif not body_ok(body) then
    bad_body = bad_body + 1
    if first_bad == "" then first_bad = "body: " .. string.sub(body or "", 1, 200) end
  end
end

function done(summary, latency, requests)
  local bs, bb, fb = 0, 0, ""
  for _, t in ipairs(threads) do
    bs = bs + t:get("bad_status")
    bb = bb + t:get("bad_body")
    local f = t:get("first_bad")
    if fb == "" and f ~= "" then fb = f end
  end
  fb = string.gsub(fb, '[%c"\\]', "?")
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"errors_connect":%d,"errors_read":%d,"errors_write":%d,"errors_timeout":%d,"errors_status":%d,"bad_status":%d,"bad_body":%d,"first_bad":"%s","p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout, summary.errors.status, bs, bb, fb, latency:percentile(50), latency:percentile(99)))
end
