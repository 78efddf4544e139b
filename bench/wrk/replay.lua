-- Replays pre-signed requests written by bench/gen_requests.py.
--
--   wrk ... -s bench/wrk/replay.lua URL -- FILE slack|zoom THREADS [READY]
--
-- Each wrk thread has its own Lua state; thread k (0-based) of THREADS sends
-- lines k+1, k+1+THREADS, ... so no request is sent twice until a thread has
-- used up its slice. It then starts over (repeats are acked as duplicates)
-- and done() reports how many threads wrapped.
-- Loading takes a moment before the clock starts: each thread appends a line
-- to the file READY (when given) once it is loaded, so bench/run.sh can time
-- its CPU samples to the measured window.
-- done() prints one line, `BENCH_JSON {...}`, for bench/summarize.py.

local HEADERS = {
  slack = {
    path = "/slack/commands",
    type = "application/x-www-form-urlencoded",
    ts = "X-Slack-Request-Timestamp",
    sig = "X-Slack-Signature",
  },
  zoom = {
    path = "/zoom/webhook",
    type = "application/json",
    ts = "x-zm-request-timestamp",
    sig = "x-zm-signature",
  },
}

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local requests, n, i, wrapped

function init(args)
  local file, kind, nthreads = args[1], args[2], tonumber(args[3])
  local h = HEADERS[kind]
  assert(file and h and nthreads, "usage: -- FILE slack|zoom THREADS")
  local id = wrk.thread:get("id")
  requests, n, i, wrapped = {}, 0, 0, 0
  local line_no = 0
  for line in io.lines(file) do
    if line_no % nthreads == id then
      local ts, sig, body = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
      n = n + 1
      requests[n] = wrk.format("POST", h.path, {
        ["Content-Type"] = h.type,
        [h.ts] = ts,
        [h.sig] = sig,
      }, body)
    end
    line_no = line_no + 1
  end
  assert(n > 0, "no requests for thread " .. id .. " in " .. file)
  wrk.thread:set("slice", n)
  if args[4] then
    local ready = assert(io.open(args[4], "a"))
    ready:write(id, "\n")
    ready:close()
  end
end

function request()
  i = i + 1
  if i > n then
    i = 1
    wrapped = wrapped + 1
    wrk.thread:set("wrapped", wrapped)
  end
  return requests[i]
end

function done(summary, latency, _)
  local wrapped_threads, slice = 0, 0
  for _, t in ipairs(threads) do
    if (t:get("wrapped") or 0) > 0 then
      wrapped_threads = wrapped_threads + 1
    end
    slice = slice + (t:get("slice") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"connect_errors":%d,"read_errors":%d,"write_errors":%d,' ..
    '"non_2xx":%d,"timeouts":%d,"distinct_available":%d,"wrapped_threads":%d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout, slice, wrapped_threads))
end
