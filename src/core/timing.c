/* timing: wall and monotonic clocks in milliseconds (see timing.h). */
#include "undertone/timing.h"

#include <time.h>

static int64_t
read_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
timing_wall_ms(void)
{
	return read_ms(CLOCK_REALTIME);
}

int64_t
timing_mono_ms(void)
{
	return read_ms(CLOCK_MONOTONIC);
}
