// What the latency benches share (replay.mjs, variables.mjs, tuiLatency.mjs): command-line
// options, a seeded random source (the same times for the same seed), quantiles and time text.

/** The value after `name` in this process's arguments, else `fallback`; `toNumber` keeps numbers numbers. */
export function option(name, fallback, toNumber = true) {
  const args = process.argv.slice(2);
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  return toNumber ? Number(args[i + 1]) : args[i + 1];
}

/** A linear congruential source in [0, 1) starting from `seed`: reproducible random times. */
export function seededRandom(seed) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/** The `q` quantile of `xs` (the element at floor(q * n) of the sorted list). */
export function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/** Milliseconds as `12.3 ms` or `1.23 s`. */
export function fmt(ms) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}
