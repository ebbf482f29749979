/** wtrace's own version, as written into traces (`recording.wtrace_version`). */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function findVersion(): string {
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = require(rel) as { name?: string; version?: string };
      if (pkg.name === 'wtrace' && pkg.version) return pkg.version;
    } catch {
      /* try the next layout (source vs dist) */
    }
  }
  return 'unknown';
}

export const WTRACE_VERSION: string = findVersion();
