/**
 * `wtrace replay --gdb [HOST:]PORT`: serves the replay to LLDB until interrupted (Ctrl-C).
 * Prints where it listens and the exact LLDB command on stderr.
 */
import { UsageError } from '../errors.js';
import { serveGdb } from '../gdbstub/index.js';
import type { Debuggee } from '../../replay/index.js';

/** `[host:]port` → host and port; the host defaults to 127.0.0.1 (the replay exposes the program's memory). */
export function parseListenAddress(spec: string): { host: string; port: number } {
  const m = /^(?:(.*):)?(\d+)$/.exec(spec);
  const port = m ? Number(m[2]) : NaN;
  if (!m || !Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--gdb needs [HOST:]PORT with a port in 0..65535, not '${spec}'`);
  return { host: m[1] || '127.0.0.1', port };
}

export async function serveFromCli(debuggee: Debuggee, { host, port }: { host: string; port: number }, trace: string): Promise<void> {
  const server = await serveGdb(debuggee, { host, port, log: (m) => process.stderr.write(`wtrace gdbstub: ${m}\n`) });
  const where = `${server.address.host}:${server.address.port}`;
  process.stderr.write(
    `wtrace: replaying ${trace} (time 0 of ${debuggee.end}); gdbstub listening on ${where}\n` +
      `  lldb-22, then: process connect --plugin wasm connect://${where}\n` +
      `  Ctrl-C stops the server.\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
