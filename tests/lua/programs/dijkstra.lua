-- shortest paths with Dijkstra's algorithm on a small weighted graph
local edges = {
  { "A", "B", 7 }, { "A", "C", 9 }, { "A", "F", 14 }, { "B", "C", 10 }, { "B", "D", 15 },
  { "C", "D", 11 }, { "C", "F", 2 }, { "D", "E", 6 }, { "E", "F", 9 }, { "G", "H", 1 },
}
local graph = {}
for _, e in ipairs(edges) do
  graph[e[1]] = graph[e[1]] or {}
  graph[e[2]] = graph[e[2]] or {}
  graph[e[1]][e[2]] = e[3]
  graph[e[2]][e[1]] = e[3]
end
local function dijkstra(src)
  local dist, prev, done = { [src] = 0 }, {}, {}
  while true do
    local best, bd = nil, math.huge
    local names = {}
    for n in pairs(graph) do names[#names + 1] = n end
    table.sort(names)
    for _, n in ipairs(names) do if not done[n] and dist[n] and dist[n] < bd then best, bd = n, dist[n] end end
    if not best then break end
    done[best] = true
    for nb, w in pairs(graph[best]) do
      if not dist[nb] or bd + w < dist[nb] then dist[nb] = bd + w prev[nb] = best end
    end
  end
  return dist, prev
end
local dist, prev = dijkstra("A")
local names = {}
for n in pairs(graph) do names[#names + 1] = n end
table.sort(names)
for _, n in ipairs(names) do
  local path, cur = {}, n
  while cur do table.insert(path, 1, cur) cur = prev[cur] end
  print(n, dist[n] or "unreachable", dist[n] and table.concat(path, "->") or "")
end
