/*
 * test_codec_bench: on-demand throughput of the codec's hot paths (not run
 * by make check; no timed assertions). Measures CPU time, so a busy machine
 * skews it less than wall time.
 *
 *   tests/unit/test_codec_bench [iterations]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "undertone/codec.h"
#include "test_codec_samples.h"

static struct proto_event ev, ev2;
static struct proto_msg upd;

static double
cpu_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	struct codec_buf in = { 0 }, out = { 0 };
	long i, n = argc > 1 ? atol(argv[1]) : 300000;
	double t0;
	int rc = 0;

	if (n <= 0)
		n = 300000;
	sample_event(PROTO_EV_UTTERANCE, &ev);
	sample_msg(PROTO_MSG_CALL_UPDATE, &upd);
	upd.u.upd.n_trend = 1;   /* a live update carries the newest point */
	if (codec_encode_event(&ev, &in) != CODEC_OK)
		return 1;
	t0 = cpu_now();
	for (i = 0; i < n && rc == 0; i++)
		rc = codec_decode_event(in.data, in.len, &ev2, NULL);
	printf("decode utterance (%zu bytes): %.0f/s\n", in.len, (double)n / (cpu_now() - t0));
	t0 = cpu_now();
	for (i = 0; i < n && rc == 0; i++)
		rc = codec_encode_msg(&upd, &out);
	printf("encode call_update (%zu bytes): %.0f/s\n", out.len, (double)n / (cpu_now() - t0));
	t0 = cpu_now();
	for (i = 0; i < n && rc == 0; i++)
		rc = codec_decode_event(in.data, in.len, &ev2, NULL) ||
		     codec_encode_msg(&upd, &out);
	printf("decode utterance + encode call_update: %.0f/s\n", (double)n / (cpu_now() - t0));
	codec_buf_free(&in);
	codec_buf_free(&out);
	return rc ? 1 : 0;
}
