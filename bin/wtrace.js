#!/usr/bin/env node
// The wtrace command. Needs Node 24+ (multi-memory, JSPI, zstd) and the build in dist/
// (made by `npm install` / `npm run build`). The only place that exits the process.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(`wtrace: needs Node.js 24 or newer, this is ${process.version} (see README: "Node 24")\n`);
  process.exit(2);
}
// Ctrl-C: stop at once with 130. A recording in progress keeps every chunk it committed and
// reads as incomplete (SQLite commits are atomic, so nothing half-written remains).
process.on('SIGINT', () => {
  process.stderr.write('\nwtrace: interrupted\n');
  process.exit(130);
});
// React (the terminal UI) is 5x slower per frame in its development build.
process.env.NODE_ENV ??= 'production';
const { runCli } = await import('../dist/src/cli/main.js');
process.exitCode = await runCli(process.argv.slice(2));
