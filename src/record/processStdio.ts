/**
 * The recorder's stdin/stdout/stderr: the real process descriptors 0-2, used synchronously.
 * Output sinks also report what they wrote to the current call's capture, so the trace holds
 * the program's output. The guest never sees these descriptors, only the host's fd table.
 */
import * as fs from 'node:fs';
import type { ByteSink, ByteSource } from '../wasi/index.js';
import type { CallCapture } from './importRecorder.js';

/** Sleeps the thread briefly; used when a non-blocking descriptor says "try again". */
function pause(): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
}

function isAgain(e: unknown): boolean {
  return (e as NodeJS.ErrnoException).code === 'EAGAIN';
}

export function processStdin(): ByteSource {
  return {
    read(target) {
      for (;;) {
        try {
          return fs.readSync(0, target, 0, target.length, null);
        } catch (e) {
          if (isAgain(e)) pause();
          else if ((e as NodeJS.ErrnoException).code === 'EOF') return 0;
          else throw e;
        }
      }
    },
  };
}

export function processOutput(fd: 1 | 2, capture: CallCapture): ByteSink {
  return {
    write(data) {
      capture.onOutput(fd, data);
      let done = 0;
      while (done < data.length) {
        try {
          done += fs.writeSync(fd, data, done, data.length - done);
        } catch (e) {
          if (isAgain(e)) pause();
          else throw e;
        }
      }
    },
  };
}
