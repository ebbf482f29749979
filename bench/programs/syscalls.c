/*
 * syscalls: import-call-bound benchmark. In the preopened guest directory /data it writes
 * RECORDS fixed-size records to syscalls.dat with one unbuffered write() each, seeks back and
 * reads them in one small read() each, verifying every record, and reads CLOCK_MONOTONIC once
 * per record in both passes: about 4 * RECORDS WASI calls.
 * Usage: syscalls [RECORDS]   (default 300000, i.e. about 1,200,000 WASI calls)
 * Run:   node test/fixtures/plainRun.mjs --dir TMP::/data bench/programs/syscalls.wasm
 * Output: counts and a checksum of the data read back; identical on every run. The file is
 * left behind (RECORDS * 16 bytes, 4.8 MB by default). Exit 1 on any I/O error or mismatch.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define RECORD 16

static void fail(const char *what, long i) {
  fprintf(stderr, "syscalls: %s failed at record %ld\n", what, i);
  exit(1);
}

static void make_record(long i, char *rec) {
  snprintf(rec, RECORD + 1, "rec %010ld\n", i); /* exactly 15 chars + '\n' */
}

int main(int argc, char **argv) {
  long records = argc > 1 ? atol(argv[1]) : 300000;
  int fd = open("/data/syscalls.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) {
    perror("syscalls: open /data/syscalls.dat (pass --dir HOST::/data)");
    return 1;
  }
  long calls = 1, clock_calls = 0;
  struct timespec t;
  char rec[RECORD + 1], got[RECORD];
  for (long i = 0; i < records; i++) {
    make_record(i, rec);
    if (write(fd, rec, RECORD) != RECORD) fail("write", i);
    clock_gettime(CLOCK_MONOTONIC, &t);
    calls += 2;
    clock_calls++;
  }
  if (lseek(fd, 0, SEEK_SET) != 0) fail("lseek", 0);
  calls++;
  uint32_t sum = 0;
  for (long i = 0; i < records; i++) {
    if (read(fd, got, RECORD) != RECORD) fail("read", i);
    make_record(i, rec);
    if (memcmp(rec, got, RECORD) != 0) fail("compare", i);
    for (int k = 0; k < RECORD; k++) sum = sum * 31u + (uint8_t)got[k];
    clock_gettime(CLOCK_MONOTONIC, &t);
    calls += 2;
    clock_calls++;
  }
  close(fd);
  calls++;
  printf("records: %ld written and read back, %ld bytes\n", records, records * RECORD);
  printf("checksum: %08x\n", sum);
  printf("wasi calls (approx.): %ld, of which clock reads: %ld\n", calls, clock_calls);
  return 0;
}
