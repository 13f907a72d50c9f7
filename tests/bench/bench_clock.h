/* bench_clock.h: the one clock of the benchmarks and stress programs (public API users too). */
#ifndef VNS_BENCH_CLOCK_H
#define VNS_BENCH_CLOCK_H

#include <time.h>

/* Monotonic time in milliseconds. Never fails. */
static inline double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

#endif /* VNS_BENCH_CLOCK_H */
