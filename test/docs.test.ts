// The docs pages and the README's rule table are generated from metadata; this fails when they are stale.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { RULES } from '../rules/index';
import { docsPagePath, renderRuleDoc, withRuleTable } from '../rules/docs';

const root = path.resolve(__dirname, '..');

describe('generated docs', () => {
  for (const rule of RULES) {
    it(`${docsPagePath(rule)} is current (run \`npm run docs\` after changing metadata)`, () => {
      const file = path.join(root, docsPagePath(rule));
      assert.ok(fs.existsSync(file), `${file} exists`);
      assert.strictEqual(fs.readFileSync(file, 'utf8'), renderRuleDoc(rule));
    });
  }
  it('the README rule table is current', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    assert.ok(readme.includes('<!-- rules:start -->'), 'README has the rule table markers');
    assert.strictEqual(readme, withRuleTable(readme, RULES));
  });
});
