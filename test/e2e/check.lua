-- Neovim 0.7's own LSP client against the DMAR language server, headless:
--   nvim --headless -u NONE -i NONE -n -c 'luafile test/e2e/check.lua'
-- test/e2e/nvim.mjs runs it and passes what to check in $DMAR_E2E_SPEC (JSON): the server, the
-- table to open, the rule codes expected, the device and texts the hover and messages must name.
-- Prints one `ok - ...` / `not ok - ...` line per check and `# ...` lines of detail; nvim.mjs
-- counts them. Exit status 0 only when every check passed.

local spec = vim.fn.json_decode(os.getenv('DMAR_E2E_SPEC') or '{}')
local WAIT_MS = spec.wait_ms or 20000
local results = { passed = 0, failed = 0 }
local log_lines = {}

local function out(line)
  io.stdout:write(line .. '\n')
  io.stdout:flush()
end

local function check(name, ok, detail)
  if ok then
    results.passed = results.passed + 1
    out('ok - ' .. name)
  else
    results.failed = results.failed + 1
    out('not ok - ' .. name .. (detail and (': ' .. detail) or ''))
  end
  return ok
end

local function one_line(s, max)
  s = tostring(s or ''):gsub('%s+', ' ')
  max = max or 160
  if #s > max then s = s:sub(1, max) .. '...' end
  return s
end

local function finish()
  if results.failed > 0 and #log_lines > 0 then
    out('# what the server logged:')
    for _, l in ipairs(log_lines) do out('#   ' .. one_line(l, 300)) end
  end
  pcall(vim.lsp.stop_client, vim.lsp.get_active_clients(), true)
  vim.cmd(results.failed == 0 and 'qall!' or 'cquit! 1')
end

-- Everything below runs inside pcall so a Lua error is reported as a failure, never a hang.
local function main()
  -- Raw diagnostics, as the server sent them: vim.diagnostic.get() drops the LSP range and data
  -- that a code action request must send back.
  local published = {}   -- uri -> { version = n, diagnostics = {...}, count = times published }
  local handlers = {
    ['textDocument/publishDiagnostics'] = function(_, result)
      if not result then return end
      local prev = published[result.uri]
      published[result.uri] = { version = result.version, diagnostics = result.diagnostics or {}, count = (prev and prev.count or 0) + 1 }
    end,
    ['window/logMessage'] = function(_, result)
      if result and result.message then table.insert(log_lines, result.message) end
    end,
    ['window/showMessage'] = function(_, result)
      if result and result.message then table.insert(log_lines, 'showMessage: ' .. result.message) end
    end,
  }

  local exited = nil
  local client_id = vim.lsp.start_client({
    name = 'dmar',
    cmd = { spec.node or 'node', spec.server, '--stdio' },
    root_dir = spec.root,
    handlers = handlers,
    on_exit = function(code, signal) exited = { code = code, signal = signal } end,
  })
  if not check('the language server starts (' .. spec.server .. ')', client_id ~= nil) then return end

  vim.cmd('edit ' .. vim.fn.fnameescape(spec.table))
  local bufnr = vim.api.nvim_get_current_buf()
  -- With -u NONE there is no filetype detection; the filetype becomes the LSP languageId.
  vim.bo[bufnr].filetype = 'dmar'
  -- The corpus may be read-only; the buffer is edited (the quick fix) but never written.
  vim.bo[bufnr].readonly = false
  vim.lsp.buf_attach_client(bufnr, client_id)
  local uri = vim.uri_from_bufnr(bufnr)
  out('# opened ' .. spec.table .. ' (' .. vim.api.nvim_buf_line_count(bufnr) .. ' lines)')

  local initialized = vim.wait(WAIT_MS, function()
    local c = vim.lsp.get_client_by_id(client_id)
    return exited ~= nil or (c ~= nil and c.initialized)
  end, 20)
  local client = vim.lsp.get_client_by_id(client_id)
  if not check('the server initializes', initialized and exited == nil and client ~= nil,
    exited and ('it exited with code ' .. tostring(exited.code)) or 'no initialize response') then return end
  local caps = client.server_capabilities or client.resolved_capabilities or {}

  local got = vim.wait(WAIT_MS, function() return published[uri] ~= nil or exited ~= nil end, 20)
  if not check('diagnostics are published for the opened table', got and published[uri] ~= nil,
    'none within ' .. WAIT_MS .. ' ms') then return end
  local diagnostics = published[uri].diagnostics

  local by_rule = {}
  for _, d in ipairs(diagnostics) do
    local code = tostring(d.code)
    by_rule[code] = by_rule[code] or {}
    table.insert(by_rule[code], d)
  end
  local summary = {}
  for code, list in pairs(by_rule) do table.insert(summary, code .. ' x' .. #list) end
  table.sort(summary)
  out('# ' .. #diagnostics .. ' diagnostic(s): ' .. table.concat(summary, ', '))

  for _, rule in ipairs(spec.rules or {}) do
    check('a diagnostic with code ' .. rule, by_rule[rule] ~= nil, 'codes seen: ' .. table.concat(summary, ', '))
  end

  -- The finding the rest is about: the RMRR that locks the device out of passthrough.
  local target = nil
  for _, d in ipairs(by_rule[spec.rule] or {}) do
    if not spec.device or d.message:find(spec.device, 1, true) then target = d break end
  end
  if not check(spec.rule .. ' names device ' .. tostring(spec.device), target ~= nil) then return end
  out('# ' .. spec.rule .. ' at line ' .. (target.range.start.line + 1) .. ': ' .. one_line(target.message))
  local href = target.codeDescription and target.codeDescription.href or ''
  check('the diagnostic links to its rule page', href:find(spec.rule, 1, true) ~= nil, 'codeDescription: ' .. href)
  check('the diagnostic is a warning', target.severity == 2, 'severity ' .. tostring(target.severity))

  -- Hover where the diagnostic starts: what the RMRR does to the device.
  local hover = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover',
    { textDocument = { uri = uri }, position = target.range.start }, WAIT_MS)
  local hover_text = ''
  for _, r in pairs(hover or {}) do
    local c = r.result and r.result.contents
    if type(c) == 'table' then hover_text = hover_text .. (c.value or table.concat(vim.tbl_map(function(x) return type(x) == 'table' and x.value or tostring(x) end, c), '\n')) end
    if type(c) == 'string' then hover_text = hover_text .. c end
  end
  out('# hover: ' .. one_line(hover_text, 300))
  for _, text in ipairs(spec.hover or {}) do
    check('the hover says "' .. text .. '"', hover_text:find(text, 1, true) ~= nil)
  end

  -- The outline: RMRR and DRHD symbols.
  if caps.documentSymbolProvider ~= nil or caps.document_symbol then
    local symbols = vim.lsp.buf_request_sync(bufnr, 'textDocument/documentSymbol', { textDocument = { uri = uri } }, WAIT_MS)
    local names = {}
    for _, r in pairs(symbols or {}) do
      for _, s in ipairs(r.result or {}) do table.insert(names, s.name) end
    end
    local joined = table.concat(names, ' | ')
    out('# symbols: ' .. one_line(joined, 300))
    check('the outline lists RMRR and DRHD structures', joined:find('RMRR', 1, true) ~= nil and joined:find('DRHD', 1, true) ~= nil)
  end

  -- Code actions for that one diagnostic, as Neovim sends them (the raw diagnostic, data included).
  local actions = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', {
    textDocument = { uri = uri },
    range = target.range,
    context = { diagnostics = { target } },
  }, WAIT_MS)
  local quickfixes = {}
  local titles = {}
  for _, r in pairs(actions or {}) do
    for _, a in ipairs(r.result or {}) do
      table.insert(titles, (a.kind or '?') .. ': ' .. (a.title or '?'))
      if a.kind == 'quickfix' and a.edit then table.insert(quickfixes, a) end
    end
  end
  out('# code actions: ' .. one_line(table.concat(titles, ' | '), 300))
  if check('a quickfix with an edit is offered for it', #quickfixes > 0, #titles .. ' action(s)') then
    -- Apply it as a user would, and see the finding go.
    local fix = quickfixes[1]
    for _, a in ipairs(quickfixes) do if a.isPreferred then fix = a break end end
    local before = #(by_rule[spec.rule] or {})
    local count = published[uri].count
    vim.lsp.util.apply_workspace_edit(fix.edit, 'utf-16')
    vim.wait(WAIT_MS, function() return published[uri].count > count end, 20)
    local after = 0
    for _, d in ipairs(published[uri].diagnostics) do
      if tostring(d.code) == spec.rule and (not spec.device or d.message:find(spec.device, 1, true)) then after = after + 1 end
    end
    local still = 0
    for _, d in ipairs(published[uri].diagnostics) do if tostring(d.code) == spec.rule then still = still + 1 end end
    out('# applied "' .. fix.title .. '": ' .. spec.rule .. ' ' .. before .. ' -> ' .. still)
    check('applying "' .. fix.title .. '" clears the finding', published[uri].count > count and after == 0 and still < before,
      'still ' .. after .. ' naming ' .. tostring(spec.device))
  end

  check('the server is still running', exited == nil, exited and ('exit code ' .. tostring(exited.code)) or nil)
end

local ok, err = pcall(main)
if not ok then check('the script ran to the end', false, one_line(err, 500)) end
finish()
