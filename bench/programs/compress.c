/*
 * compress: CPU-bound benchmark. Generates a pseudo-random but compressible buffer (words from
 * a small vocabulary with occasional noise bytes, from a fixed-seed PRNG), then runs ROUNDS
 * round trips of an LZ77-style compressor (hash-chain match finder, 64 KiB window) and its
 * decompressor, checking that every round trip restores the input.
 * Usage: compress [ROUNDS] [MEGABYTES]   (defaults: 3 rounds over 4 MiB)
 * Output: sizes, ratio and checksums; identical on every run. Exit 1 if a round trip fails.
 * Token format: a control byte c < 128 is followed by c + 1 literal bytes; c >= 128 is a match
 * of length (c - 128) + MIN_MATCH followed by a 2-byte little-endian distance.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_MATCH 4
#define MAX_MATCH (127 + MIN_MATCH)
#define WINDOW 65535
#define HASH_BITS 15
#define MAX_CHAIN 32

static uint32_t rng_state = 12345;
static uint32_t rng(void) { /* xorshift32 */
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 17;
  rng_state ^= rng_state << 5;
  return rng_state;
}

static void generate(uint8_t *buf, size_t size) {
  static const char *words[] = {"record", "replay", "trace", "wasm", "import", "memory",
                                "stack", "frame", "clock", "random", "file", "write",
                                "read", "seek", "the", "a", "of", "and", "to", "in"};
  size_t n = 0;
  while (n < size) {
    uint32_t r = rng();
    if (r % 16 == 0) {
      buf[n++] = (uint8_t)(rng() >> 24); /* noise keeps the data from being trivial */
      continue;
    }
    const char *w = words[(r >> 8) % (sizeof words / sizeof words[0])];
    for (size_t i = 0; w[i] && n < size; i++) buf[n++] = (uint8_t)w[i];
    if (n < size) buf[n++] = (r >> 20) % 7 == 0 ? '\n' : ' ';
  }
}

static uint32_t hash4(const uint8_t *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return (v * 2654435761u) >> (32 - HASH_BITS);
}

static void flush_literals(const uint8_t *src, size_t start, size_t end, uint8_t *out,
                           size_t *o) {
  while (start < end) {
    size_t run = end - start > 128 ? 128 : end - start;
    out[(*o)++] = (uint8_t)(run - 1);
    memcpy(out + *o, src + start, run);
    *o += run;
    start += run;
  }
}

/* Returns the compressed size; out must hold size + size / 128 + 16 bytes. */
static size_t compress(const uint8_t *src, size_t size, uint8_t *out, int32_t *head,
                       int32_t *prev) {
  size_t o = 0, lit = 0, i = 0;
  for (size_t h = 0; h < (1u << HASH_BITS); h++) head[h] = -1;
  while (i + MIN_MATCH <= size) {
    uint32_t h = hash4(src + i);
    size_t best_len = 0, best_dist = 0;
    int chain = MAX_CHAIN;
    for (int32_t c = head[h]; c >= 0 && i - (size_t)c <= WINDOW && chain--; c = prev[c]) {
      size_t len = 0, limit = size - i < MAX_MATCH ? size - i : MAX_MATCH;
      while (len < limit && src[c + len] == src[i + len]) len++;
      if (len > best_len) {
        best_len = len;
        best_dist = i - (size_t)c;
        if (len == limit) break;
      }
    }
    prev[i] = head[h];
    head[h] = (int32_t)i;
    if (best_len < MIN_MATCH) {
      i++;
      continue;
    }
    flush_literals(src, lit, i, out, &o);
    out[o++] = (uint8_t)(128 + best_len - MIN_MATCH);
    out[o++] = (uint8_t)best_dist;
    out[o++] = (uint8_t)(best_dist >> 8);
    for (size_t k = 1; k < best_len && i + k + MIN_MATCH <= size; k++) {
      uint32_t hk = hash4(src + i + k);
      prev[i + k] = head[hk];
      head[hk] = (int32_t)(i + k);
    }
    i += best_len;
    lit = i;
  }
  flush_literals(src, lit, size, out, &o);
  return o;
}

/* Returns the decompressed size, or 0 on malformed input. */
static size_t decompress(const uint8_t *in, size_t n, uint8_t *out, size_t cap) {
  size_t i = 0, o = 0;
  while (i < n) {
    uint8_t c = in[i++];
    if (c < 128) {
      size_t run = (size_t)c + 1;
      if (i + run > n || o + run > cap) return 0;
      memcpy(out + o, in + i, run);
      i += run;
      o += run;
    } else {
      size_t len = (size_t)c - 128 + MIN_MATCH;
      if (i + 2 > n) return 0;
      size_t dist = in[i] | (size_t)in[i + 1] << 8;
      i += 2;
      if (dist == 0 || dist > o || o + len > cap) return 0;
      for (size_t k = 0; k < len; k++, o++) out[o] = out[o - dist]; /* may overlap */
    }
  }
  return o;
}

static uint32_t checksum(const uint8_t *p, size_t n) { /* Adler-32 */
  uint32_t a = 1, b = 0;
  for (size_t i = 0; i < n; i++) {
    a = (a + p[i]) % 65521;
    b = (b + a) % 65521;
  }
  return b << 16 | a;
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 3;
  size_t size = (size_t)(argc > 2 ? atoi(argv[2]) : 4) << 20;
  uint8_t *src = malloc(size), *packed = malloc(size + size / 128 + 16), *back = malloc(size);
  int32_t *head = malloc(sizeof(int32_t) << HASH_BITS), *prev = malloc(size * sizeof(int32_t));
  if (!src || !packed || !back || !head || !prev) {
    fputs("compress: out of memory\n", stderr);
    return 1;
  }
  generate(src, size);
  uint32_t expected = checksum(src, size);
  printf("input: %zu bytes, adler32 %08x\n", size, expected);
  for (int r = 0; r < rounds; r++) {
    size_t packed_size = compress(src, size, packed, head, prev);
    memset(back, 0, size);
    size_t unpacked = decompress(packed, packed_size, back, size);
    uint32_t got = checksum(back, unpacked);
    printf("round %d: %zu -> %zu bytes (%.1f%%), packed adler32 %08x, round trip %s\n", r + 1,
           size, packed_size, 100.0 * packed_size / size, checksum(packed, packed_size),
           unpacked == size && got == expected ? "ok" : "FAILED");
    if (unpacked != size || got != expected) return 1;
  }
  return 0;
}
