/* bench_util.h: the clock and the sorting helper the benchmark programs share. */
#ifndef VNS_BENCH_UTIL_H
#define VNS_BENCH_UTIL_H

#include <time.h>

/* Monotonic time in milliseconds. Never fails. */
static inline double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* qsort comparator for doubles, ascending. */
static inline int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

#endif /* VNS_BENCH_UTIL_H */
