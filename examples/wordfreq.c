/*
 * wordfreq: counts words in a text and prints the most frequent ones.
 * A small demo program for wtrace: it reads a file (or stdin), builds a hash table, sorts it
 * and prints a table, so a recording has file reads, a handful of writes, and loops worth
 * stepping through.
 *
 * Usage: wordfreq [-n COUNT] [FILE]     (default: top 10 words of stdin)
 * Build: examples/build.sh
 * Run:   wtrace record --dir examples::/data examples/wordfreq.wasm -- -n 5 /data/sample.txt
 *        wtrace record examples/wordfreq.wasm < examples/sample.txt
 *
 * A word is a run of letters (and apostrophes inside a word), compared case-insensitively.
 * Ties are broken alphabetically, so the output is the same on every run.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORD 64
#define TABLE_SIZE 4096 /* power of two; the table grows no further, chains take the rest */

struct entry {
  char word[MAX_WORD];
  unsigned count;
  struct entry *next;
};

static struct entry *table[TABLE_SIZE];
static unsigned distinct, total;

/* FNV-1a: simple and good enough for short words. */
static unsigned hash(const char *s) {
  unsigned h = 2166136261u;
  while (*s) h = (h ^ (unsigned char)*s++) * 16777619u;
  return h & (TABLE_SIZE - 1);
}

static void count_word(const char *word) {
  unsigned slot = hash(word);
  for (struct entry *e = table[slot]; e; e = e->next) {
    if (strcmp(e->word, word) == 0) {
      e->count++;
      total++;
      return;
    }
  }
  struct entry *e = calloc(1, sizeof *e);
  if (!e) {
    fputs("wordfreq: out of memory\n", stderr);
    exit(1);
  }
  strcpy(e->word, word);
  e->count = 1;
  e->next = table[slot];
  table[slot] = e;
  distinct++;
  total++;
}

static void read_words(FILE *in) {
  char word[MAX_WORD];
  size_t len = 0;
  int c;
  while ((c = getc(in)) != EOF) {
    if (isalpha(c) || (c == '\'' && len > 0)) {
      if (len < MAX_WORD - 1) word[len++] = (char)tolower(c);
      continue;
    }
    while (len > 0 && word[len - 1] == '\'') len--; /* "dogs'" counts as "dogs" */
    if (len > 0) {
      word[len] = '\0';
      count_word(word);
      len = 0;
    }
  }
  while (len > 0 && word[len - 1] == '\'') len--;
  if (len > 0) {
    word[len] = '\0';
    count_word(word);
  }
}

static int by_count_then_word(const void *a, const void *b) {
  const struct entry *x = *(struct entry *const *)a, *y = *(struct entry *const *)b;
  if (x->count != y->count) return x->count < y->count ? 1 : -1;
  return strcmp(x->word, y->word);
}

int main(int argc, char **argv) {
  int top = 10;
  int arg = 1;
  if (arg < argc && strcmp(argv[arg], "-n") == 0) {
    if (arg + 1 >= argc || (top = atoi(argv[arg + 1])) <= 0) {
      fputs("usage: wordfreq [-n COUNT] [FILE]\n", stderr);
      return 2;
    }
    arg += 2;
  }
  FILE *in = stdin;
  const char *name = "stdin";
  if (arg < argc) {
    name = argv[arg];
    in = fopen(name, "r");
    if (!in) {
      fprintf(stderr, "wordfreq: cannot open %s: %s\n", name, strerror(errno));
      return 1;
    }
  }
  read_words(in);
  if (in != stdin) fclose(in);

  struct entry **all = malloc((distinct ? distinct : 1) * sizeof *all);
  unsigned n = 0;
  for (unsigned slot = 0; slot < TABLE_SIZE; slot++)
    for (struct entry *e = table[slot]; e; e = e->next) all[n++] = e;
  qsort(all, n, sizeof *all, by_count_then_word);

  printf("%s: %u words, %u distinct\n", name, total, distinct);
  for (unsigned i = 0; i < n && i < (unsigned)top; i++)
    printf("%4u  %-20s %5.1f%%\n", all[i]->count, all[i]->word, 100.0 * all[i]->count / total);
  return 0;
}
