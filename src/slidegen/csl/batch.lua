-- slidegen: render the citations of many editions in one pandoc process.
-- `pandoc lua batch.lua REQUESTS`: REQUESTS is a JSON file, an array of {markdown,
-- bibliography, csl, lang}; stdout: a JSON array, for each request in order, the pandoc JSON
-- document citeproc made or {"error": message}.
-- `pandoc lua batch.lua --spare WARMUP WARMED`: render WARMUP's requests and drop the result
-- (the first citeproc call in a process is the slow one), create the empty file WARMED, then
-- answer each line of stdin, naming a REQUESTS file, with one line on stdout as above, until
-- stdin ends. A warm daemon keeps such spares, one build each.
-- Each document is read and processed as `pandoc -f markdown-smart -t json --citeproc
-- --csl CSL --bibliography BIB -M lang=LANG -M link-citations=false` would.
local function render(path)
  local file = assert(io.open(path, "rb"))
  local requests = pandoc.json.decode(file:read("a"), false)
  file:close()
  local results = {}
  for i, req in ipairs(requests) do
    local ok, out = pcall(function()
      local doc = pandoc.read(req.markdown, "markdown-smart")
      doc.meta.csl = req.csl
      doc.meta.bibliography = req.bibliography
      doc.meta.lang = req.lang
      doc.meta["link-citations"] = false
      return pandoc.write(pandoc.utils.citeproc(doc), "json")
    end)
    if ok then
      results[i] = out
    else
      results[i] = pandoc.json.encode({ error = tostring(out) })
    end
  end
  return "[" .. table.concat(results, ",") .. "]"
end

if arg[1] == "--spare" then
  render(arg[2])
  local warmed = io.open(arg[3], "w")
  if warmed then
    warmed:close()
  end
  for line in io.stdin:lines() do
    io.write(render(line), "\n")
    io.stdout:flush()
  end
else
  io.write(render(arg[1]))
end
