// Loaded with `node --require` into a benchmarked process: prints its peak resident set size when it exits.
process.on('exit', () => {
  process.stderr.write(`\nPEAK_RSS_KB ${process.resourceUsage().maxRSS}\n`);
});
