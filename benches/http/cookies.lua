-- Spreads requests over the seeded sessions: each request carries the next cookie of the file
-- given after `--`, starting at a different place in every wrk thread.
local cookies = {}
local next_index = 1

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then cookies[#cookies + 1] = line end
  end
  next_index = math.random(#cookies)
end

function request()
  next_index = next_index % #cookies + 1
  return wrk.format("GET", wrk.path, { ["Cookie"] = "id=" .. cookies[next_index] })
end
