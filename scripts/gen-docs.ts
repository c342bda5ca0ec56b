// Writes docs/rules/<language>/<name>.md and the README's rule table from the rules' metadata.
import * as fs from 'fs';
import * as path from 'path';
import { RULES } from '../rules/index';
import { docsPagePath, renderRuleDoc, withRuleTable } from '../rules/docs';

const root = path.resolve(__dirname, '..');
for (const rule of RULES) {
  const file = path.join(root, docsPagePath(rule));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, renderRuleDoc(rule));
}
const readme = path.join(root, 'README.md');
if (fs.existsSync(readme)) fs.writeFileSync(readme, withRuleTable(fs.readFileSync(readme, 'utf8'), RULES));
console.log(`wrote ${RULES.length} rule pages and the README rule table`);
