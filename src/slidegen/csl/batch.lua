-- slidegen: render the citations of many editions in one pandoc process.
-- arg[1]: a JSON file, an array of {markdown, bibliography, csl, lang}; stdout: a JSON array,
-- for each request in order, the pandoc JSON document citeproc made or {"error": message}.
-- Each document is read and processed as `pandoc -f markdown-smart -t json --citeproc
-- --csl CSL --bibliography BIB -M lang=LANG -M link-citations=false` would.
local file = assert(io.open(arg[1], "rb"))
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
io.write("[", table.concat(results, ","), "]")
