/* clock.h: the monotonic clock the programs time themselves and their progress with. */
#ifndef VNS_CLI_CLOCK_H
#define VNS_CLI_CLOCK_H

#include <time.h>

/* Seconds on the monotonic clock, from an arbitrary start. Never fails. */
static inline double cli_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

#endif /* VNS_CLI_CLOCK_H */
