#include <stdio.h>
#include <string.h>

struct Shelf {
  const char *names[64];
  int counts[64];
  int size;
};

int alpha(const struct Shelf *s, const char *name) {
  for (int i = 0; i < s->size; i++) {
    if (strcmp(s->names[i], name) == 0) return s->counts[i];
  }
  return -1;
}

void beta(struct Shelf *s, const char *name, int count) {
  s->names[s->size] = name;
  s->counts[s->size] = count;
  s->size += 1;
  printf("added %s %d\n", name, count);
}

void gamma(const struct Shelf *s) {
  for (int i = 0; i < s->size; i++) {
    printf("%s: %d\n", s->names[i], s->counts[i]);
  }
}
