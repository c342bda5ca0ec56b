// Writes a deterministic Python file of about N lines (default 5,000) that mixes ordinary code with hotspots,
// for the start-up and latency benchmarks. Usage: node bench/large-file.mjs OUT [LINES]
import fs from 'node:fs';

export function largePython(lines = 5000) {
  const out = ['"""Generated benchmark module."""', 'import asyncio', 'import json', 'import time', '', ''];
  for (let i = 0; out.length < lines; i++) {
    const block = i % 4;
    if (block === 0)
      out.push(
        `def render_${i}(rows, width=${(i % 80) + 1}):`,
        `    """Formats rows ${i}."""`,
        '    text = ""',
        '    for row in rows:',
        '        import textwrap',
        '        text += textwrap.shorten(str(row), width) + "\\n"',
        '    return text',
        '',
        '',
      );
    else if (block === 1)
      out.push(
        `async def fetch_${i}(session, url):`,
        '    loop = asyncio.get_event_loop()',
        `    data = await session.get(url + "/${i}")`,
        '    time.sleep(0.01)',
        '    return loop, json.loads(data)',
        '',
        '',
      );
    else if (block === 2)
      out.push(
        `class Model${i}:`,
        '    def __init__(self, values):',
        '        self.values = list(values)',
        '        self.total = sum(self.values)',
        '',
        '    def scaled(self, k):',
        '        return [v * k for v in self.values if v > 0]',
        '',
        '    def describe(self):',
        `        return {"name": "model-${i}", "n": len(self.values), "total": self.total}`,
        '',
        '',
      );
    else
      out.push(
        `def merge_${i}(left, right):`,
        '    result = []',
        '    i = j = 0',
        '    while i < len(left) and j < len(right):',
        '        if left[i] <= right[j]:',
        '            result.append(left[i])',
        '            i += 1',
        '        else:',
        '            result.append(right[j])',
        '            j += 1',
        '    return result + left[i:] + right[j:]',
        '',
        '',
      );
  }
  return out.slice(0, lines).join('\n') + '\n';
}

if (process.argv[1] && process.argv[1].endsWith('large-file.mjs')) {
  const [outFile, n] = process.argv.slice(2);
  fs.writeFileSync(outFile, largePython(Number(n || 5000)));
}
