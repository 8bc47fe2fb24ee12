-- slidegen: render the citations of many editions in one pandoc process.
-- `pandoc lua batch.lua REQUESTS`: REQUESTS is a JSON file, an array of {markdown,
-- bibliography, csl, lang}; stdout: a JSON array, for each request in order, the pandoc JSON
-- document citeproc made or {"error": message}.
-- `pandoc lua batch.lua --spare WARMUP WARMED`: render WARMUP's requests and drop the result
-- (the first citeproc call in a process is the slow one), create the empty file WARMED, then
-- wait for ONE line on stdin naming a REQUESTS file, answer it as above on stdout, and end.
-- A warm daemon keeps such a spare.
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
  local line = io.stdin:read("l")
  if line == nil or line == "" then
    return -- not needed after all
  end
  io.write(render(line))
else
  io.write(render(arg[1]))
end
