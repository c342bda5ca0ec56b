-- Headless Neovim as an LSP client of `hotspots server --stdio` (Neovim 0.7's built-in client, Debian 12).
-- Env: HOTSPOTS_BIN (path to bin/hotspots.js), HOTSPOTS_OUT (where to write the diagnostics as JSON lines).
local bin = os.getenv('HOTSPOTS_BIN')
local out = os.getenv('HOTSPOTS_OUT')

local client_id = vim.lsp.start_client({
  name = 'hotspots',
  cmd = { 'node', bin, 'server', '--stdio' },
  root_dir = vim.fn.getcwd(),
})

local function write_and_quit(lines, code)
  local f = io.open(out, 'w')
  for _, l in ipairs(lines) do f:write(l .. '\n') end
  f:close()
  vim.cmd((code == 0) and 'qall!' or ('cquit ' .. code))
end

vim.api.nvim_create_autocmd('FileType', {
  pattern = 'python',
  callback = function(args) vim.lsp.buf_attach_client(args.buf, client_id) end,
})

-- Wait for the server's diagnostics, then record them (line, source, code, message) and exit.
local waited = 0
local timer = vim.loop.new_timer()
timer:start(200, 200, vim.schedule_wrap(function()
  waited = waited + 200
  local diags = vim.diagnostic.get(0)
  if #diags > 0 or waited > 20000 then
    timer:stop()
    local lines = {}
    for _, d in ipairs(diags) do
      table.insert(lines, vim.fn.json_encode({ line = d.lnum + 1, col = d.col + 1, source = d.source, code = d.code, message = d.message }))
    end
    write_and_quit(lines, (#diags > 0) and 0 or 3)
  end
end))
