import * as fs from 'fs'; import * as path from 'path';
import { Query } from 'web-tree-sitter';
import { initParsers, language } from '../../server/src/core/parse';
import { RULES } from '../../rules';
(async () => {
  await initParsers();
  for (const lang of ['go', 'python'] as const) {
    const rules = RULES.filter((r) => r.meta.language === lang);
    const files: string[] = [];
    const root = lang === 'go' ? '/usr/share/gocode/src/github.com/docker/docker' : '/usr/lib/python3/dist-packages/django';
    const walk = (d: string) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); if (e.isDirectory()) walk(p); else if (p.endsWith(lang === 'go' ? '.go' : '.py')) files.push(p); } };
    walk(root);
    const keys = new Set<string>();
    for (const f of files) { const t = fs.readFileSync(f, 'utf8'); keys.add(rules.filter((r) => !r.mentions || r.mentions.some((m) => t.includes(m))).map((r) => r.meta.id).join()); }
    let t1 = performance.now();
    for (const k of keys) { const ids = k.split(','); new Query(language(lang), rules.filter((r) => ids.includes(r.meta.id)).map((r, i) => r.query.replace(/@node\b/g, `@rule${i}`)).join('\n')); }
    console.log(lang, 'compiling every distinct set', (performance.now() - t1).toFixed(0), 'ms');
    const t0 = performance.now();
    new Query(language(lang), rules.map((r, i) => r.query.replace(/@node\b/g, `@rule${i}`)).join('\n'));
    console.log(lang, files.length, 'files', keys.size, 'distinct rule sets; one full compile', (performance.now() - t0).toFixed(1), 'ms');
  }
})();
