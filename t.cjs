const { Parser, Language } = require('web-tree-sitter');
(async () => {
  await Parser.init();
  const Py = await Language.load(require.resolve('tree-sitter-python/tree-sitter-python.wasm'));
  const p = new Parser(); p.setLanguage(Py);
  const src = require('fs').readFileSync(0,'utf8');
  const t = p.parse(src);
  const show=(n,d,f)=>{console.log('  '.repeat(d)+(f?f+': ':'')+n.type+(n.childCount?'':' '+JSON.stringify(n.text))); for(let i=0;i<n.childCount;i++) show(n.child(i),d+1,n.fieldNameForChild(i));};
  show(t.rootNode,0);
})();
