// Host-only runner: runs a WASI preview1 module on wtrace's own live WASI host (dist/src/wasi)
// with the process's real stdio and WITHOUT any recording: no import wrappers, no memory-write
// observer, no trace file, no worker thread. It is the "host only" side of bench/record.mjs and
// separates the cost of our host (Node `fs` bindings, JS argument handling) from the recorder's.
// Build first (`npx tsc -p tsconfig.json`): it imports the compiled host from dist/.
//
// Usage: node bench/hostRun.mjs [--dir HOST[::GUEST]]... [--env NAME=VALUE]... app.wasm [args...]
// argv[0] of the guest is app.wasm as spelled on the command line (as in plainRun.mjs and
// `wtrace record`); the guest sees only the --env variables. Exit code: the program's exit code;
// 134 after a trap (the error goes to stderr); 2 on a usage error or an unloadable module.
import * as fs from 'node:fs';
import { createLiveHost, WasiExit } from '../dist/src/wasi/index.js';

const TRAP_EXIT_CODE = 134;
const USAGE_EXIT_CODE = 2;

function usage(message) {
  console.error(`hostRun: ${message}`);
  console.error('usage: node bench/hostRun.mjs [--dir HOST[::GUEST]]... [--env NAME=VALUE]... app.wasm [args...]');
  process.exit(USAGE_EXIT_CODE);
}

/** Parses the runner's options up to the module path; everything after it goes to the guest. */
function parseArgs(argv) {
  const preopens = [];
  const env = [];
  let i = 0;
  for (; i < argv.length && argv[i].startsWith('--'); i++) {
    if (argv[i] === '--') break;
    const [option, inline] = argv[i].split(/=(.*)/s, 2);
    const value = inline ?? argv[++i];
    if (value === undefined) usage(`${option} needs a value`);
    if (option === '--dir') {
      const [hostPath, guestPath = hostPath] = value.split('::');
      preopens.push({ hostPath, guestPath });
    } else if (option === '--env') {
      if (value.indexOf('=') <= 0) usage(`--env expects NAME=VALUE, got "${value}"`);
      env.push(value);
    } else {
      usage(`unknown option ${option}`);
    }
  }
  if (argv[i] === '--') i++;
  if (i >= argv.length) usage('missing app.wasm');
  return { preopens, env, wasmPath: argv[i], args: argv.slice(i) };
}

/** Sleeps briefly; used when a non-blocking descriptor says "try again". */
function pause() {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
}

const stdin = {
  read(target) {
    for (;;) {
      try {
        return fs.readSync(0, target, 0, target.length, null);
      } catch (e) {
        if (e.code === 'EAGAIN') pause();
        else if (e.code === 'EOF') return 0;
        else throw e;
      }
    }
  },
};

function output(fd) {
  return {
    write(data) {
      let done = 0;
      while (done < data.length) {
        try {
          done += fs.writeSync(fd, data, done, data.length - done);
        } catch (e) {
          if (e.code === 'EAGAIN') pause();
          else throw e;
        }
      }
    },
  };
}

const { preopens, env, wasmPath, args } = parseArgs(process.argv.slice(2));

let module;
try {
  module = await WebAssembly.compile(fs.readFileSync(wasmPath));
} catch (err) {
  console.error(`hostRun: cannot load ${wasmPath}: ${err.message}`);
  process.exit(USAGE_EXIT_CODE);
}

const host = createLiveHost({ args, env, preopens, stdin, stdout: output(1), stderr: output(2) });
const instance = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: host.functions });
host.memory.bind(instance.exports.memory);
try {
  instance.exports._start();
  process.exitCode = 0;
} catch (err) {
  if (err instanceof WasiExit) {
    process.exitCode = err.code;
  } else if (err instanceof WebAssembly.RuntimeError || err instanceof RangeError) {
    // A trap surfaces as a RuntimeError; exhausting the call stack as a RangeError.
    const wasmFrames = String(err.stack).split('\n').filter((line) => line.includes('wasm://'));
    console.error([`hostRun: wasm trap: ${err.message}`, ...wasmFrames].join('\n'));
    process.exitCode = TRAP_EXIT_CODE;
  } else {
    throw err;
  }
} finally {
  host.close();
}
