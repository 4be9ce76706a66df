/*
 * bench_score: throughput of sentiment_score() on the lines of a file, and
 * the cost of building the built-in lexicon index (startup).
 * Usage: bench_score FILE [ROUNDS]. Prints sentences/s; not a test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "undertone/lexicon.h"
#include "undertone/sentiment.h"

#define MAX_LINES 200000

static double
clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
now(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

/* CPU time of the process: on a shared, loaded machine it counts the work
 * done, not the time spent waiting for a core (the references report it too). */
static double
cpu_now(void)
{
	return clock_s(CLOCK_PROCESS_CPUTIME_ID);
}

int
main(int argc, char **argv)
{
	static char *lines[MAX_LINES];
	static size_t lens[MAX_LINES];
	char buf[SENTIMENT_TEXT_MAX + 2];
	size_t n = 0, i, bytes = 0;
	long rounds = argc > 2 ? strtol(argv[2], NULL, 10) : 20, r;
	struct sentiment_result res;
	double t0, t1, c0, c1, sink = 0;
	const struct lexicon *lex;
	FILE *f;

	if (argc < 2 || !(f = fopen(argv[1], "r"))) {
		fprintf(stderr, "usage: bench_score FILE [ROUNDS]\n");
		return 2;
	}
	t0 = now();
	lex = lexicon_builtin();
	t1 = now();
	printf("lexicon %s: %zu entries, index built in %.3f ms\n",
	    lexicon_version(lex), lexicon_size(lex), (t1 - t0) * 1e3);
	while (n < MAX_LINES && fgets(buf, sizeof(buf), f)) {
		size_t len = strcspn(buf, "\n");

		lines[n] = malloc(len + 1);
		if (!lines[n])
			return 2;
		memcpy(lines[n], buf, len);
		lens[n++] = len;
		bytes += len;
	}
	fclose(f);
	if (n == 0 || rounds < 1)
		return 2;
	t0 = now();
	c0 = cpu_now();
	for (r = 0; r < rounds; r++)
		for (i = 0; i < n; i++)
			if (sentiment_score(lex, lines[i], lens[i], &res, NULL) == 0)
				sink += res.compound;
	t1 = now();
	c1 = cpu_now();
	printf("undertone: %zu sentences (%.0f bytes avg) x %ld in %.3f s = %.0f sentences/s (checksum %.2f); cpu %.3f s, %.0f per cpu-second\n",
	    n, (double)bytes / (double)n, rounds, t1 - t0,
	    (double)n * (double)rounds / (t1 - t0), sink, c1 - c0,
	    (double)n * (double)rounds / (c1 - c0));
	for (i = 0; i < n; i++)
		free(lines[i]);
	return 0;
}
