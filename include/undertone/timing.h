/*
 * timing: the two clocks every program reads, in milliseconds.
 *
 * Contract: timing_wall_ms() is UTC since the epoch (CLOCK_REALTIME): what
 * records and messages carry, and it may step. timing_mono_ms() never steps
 * (CLOCK_MONOTONIC): for timeouts, intervals and rates. No allocation.
 */
#ifndef UNDERTONE_TIMING_H
#define UNDERTONE_TIMING_H

#include <stdint.h>

int64_t timing_wall_ms(void);
int64_t timing_mono_ms(void);

#endif
