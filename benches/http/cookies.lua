-- Spreads requests over the seeded sessions: each request carries the next cookie of the file
-- given after `--`, starting at a different place in every wrk thread. The requests are built
-- once, in `init`: wrk shares the machine's cores with the servers, so the less it does per
-- request, the more of their cost the requests/s show.
local requests = {}
local next_index = 1

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then
      requests[#requests + 1] = wrk.format("GET", wrk.path, { ["Cookie"] = "id=" .. line })
    end
  end
  next_index = math.random(#requests)
end

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end
