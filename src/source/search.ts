/** Binary search over sorted numeric arrays. */

/** Index of the last element of `sorted` (ascending) that is `<= x`, or -1 when every element is larger. */
export function lastAtOrBelow(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
