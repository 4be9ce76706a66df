/* settings: defaults, INI file and flags for the daemon (see settings.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ini.h>
#include "undertone/proto.h"
#include "settings.h"

struct uint_key {
	const char *section, *key;
	size_t off;
	unsigned lo, hi;
};

#define UK(sec, k, lo, hi) { sec, #k, offsetof(struct settings, k), lo, hi }
static const struct uint_key uint_keys[] = {
	UK("analyzer", trend_length, 8, UT_TREND_MAX),
	UK("analyzer", heartbeat_ms, 100, 60000),
	UK("analyzer", abandon_timeout_ms, 1000, 86400000),
	UK("limits", max_calls, 1, 4000000),
	UK("limits", max_suggestions, 1, 4000000),
	UK("limits", max_clients, 1, 4096),
	UK("limits", max_msg_bytes, 1024, 16 * 1024 * 1024),
	UK("limits", send_hwm, 100, 10000000),
};

void
settings_init(struct settings *s)
{
	int i;

	memset(s, 0, sizeof(*s));
	snprintf(s->ingest, sizeof(s->ingest), "%s", PROTO_INGEST_ENDPOINT);
	snprintf(s->publish, sizeof(s->publish), "%s", PROTO_FEED_ENDPOINT);
	snprintf(s->requests, sizeof(s->requests), "%s", PROTO_REQUEST_ENDPOINT);
	s->trend_length = 120;
	s->coalesce_rate = 4.0;
	s->heartbeat_ms = 1000;
	s->abandon_timeout_ms = 300000;
	s->max_calls = 200000;
	s->max_suggestions = 100000;
	s->max_clients = TRANSPORT_CLIENTS_MAX;
	s->max_msg_bytes = TRANSPORT_MAX_MSG;
	s->send_hwm = TRANSPORT_PUB_SNDHWM;
	for (i = 0; i < UT_FC__COUNT; i++)
		s->weights[i] = -1;   /* unset: the policy's weights apply */
}

static int
parse_uint(const char *v, unsigned lo, unsigned hi, unsigned *out)
{
	char *end;
	unsigned long x;

	if (v == NULL || *v == '\0' || *v == '-')
		return -1;
	errno = 0;
	x = strtoul(v, &end, 10);
	if (errno != 0 || *end != '\0' || x < lo || x > hi)
		return -1;
	*out = (unsigned)x;
	return 0;
}

static int
parse_real(const char *v, double lo, double hi, double *out)
{
	char *end;
	double x;

	if (v == NULL || *v == '\0')
		return -1;
	x = strtod(v, &end);
	if (*end != '\0' || !isfinite(x) || x < lo || x > hi)
		return -1;
	*out = x;
	return 0;
}

static int
set_endpoint(char *dst, size_t cap, const char *v, char *err, size_t errlen)
{
	if (!transport_endpoint_valid(v) || strlen(v) >= cap) {
		snprintf(err, errlen, "bad endpoint '%.60s' (tcp://, ipc:// or inproc://)", v);
		return -1;
	}
	snprintf(dst, cap, "%s", v);
	return 0;
}

int
settings_set(struct settings *s, const char *section, const char *key,
    const char *value, char *err, size_t errlen)
{
	size_t i;
	int c;

	if (strcmp(section, "endpoints") == 0) {
		if (strcmp(key, "ingest") == 0)
			return set_endpoint(s->ingest, sizeof(s->ingest), value, err, errlen);
		if (strcmp(key, "publish") == 0)
			return set_endpoint(s->publish, sizeof(s->publish), value, err, errlen);
		if (strcmp(key, "requests") == 0)
			return set_endpoint(s->requests, sizeof(s->requests), value, err, errlen);
	}
	if (strcmp(section, "analyzer") == 0 && strcmp(key, "policy") == 0) {
		if (strlen(value) >= sizeof(s->policy)) {
			snprintf(err, errlen, "policy path too long");
			return -1;
		}
		snprintf(s->policy, sizeof(s->policy), "%s", value);
		return 0;
	}
	if (strcmp(section, "analyzer") == 0 && strcmp(key, "coalesce_rate") == 0) {
		if (parse_real(value, 0.1, 100, &s->coalesce_rate) == 0)
			return 0;
		snprintf(err, errlen, "coalesce_rate must be 0.1..100 updates/s");
		return -1;
	}
	if (strcmp(section, "weights") == 0 && (c = model_component_parse(key, strlen(key))) >= 0) {
		if (parse_real(value, 0, 1, &s->weights[c]) == 0) {
			s->weight_set[c] = true;
			return 0;
		}
		snprintf(err, errlen, "weight %s must be 0..1", key);
		return -1;
	}
	for (i = 0; i < sizeof(uint_keys) / sizeof(uint_keys[0]); i++) {
		const struct uint_key *k = &uint_keys[i];
		if (strcmp(section, k->section) != 0 || strcmp(key, k->key) != 0)
			continue;
		if (parse_uint(value, k->lo, k->hi, (unsigned *)((char *)s + k->off)) == 0)
			return 0;
		snprintf(err, errlen, "%s must be an integer %u..%u", key, k->lo, k->hi);
		return -1;
	}
	snprintf(err, errlen, "unknown key [%.20s] %.40s", section, key);
	return -1;
}

struct loadctx {
	struct settings *s;
	const char *path;
	int problems, lineno;
};

static int
on_kv(void *user, const char *section, const char *name, const char *value)
{
	struct loadctx *l = user;
	char err[160];

	l->lineno++;   /* approximate: the Debian inih has no line callback */
	if (settings_set(l->s, section, name, value, err, sizeof(err)) != 0) {
		fprintf(stderr, "undertone-analyzer: %s: key %d (%s): %s\n", l->path, l->lineno, name, err);
		l->problems++;
	}
	return 1;
}

int
settings_load(struct settings *s, const char *path)
{
	struct loadctx l = { s, path, 0, 0 };
	FILE *fp = fopen(path, "r");
	int rc;

	if (fp == NULL) {
		fprintf(stderr, "undertone-analyzer: %s: %s\n", path, strerror(errno));
		return -1;
	}
	rc = ini_parse_file(fp, on_kv, &l);
	fclose(fp);
	if (rc > 0) {
		fprintf(stderr, "undertone-analyzer: %s:%d: syntax error\n", path, rc);
		l.problems++;
	}
	return l.problems;
}

void
settings_print(const struct settings *s, FILE *out)
{
	size_t i;
	int c;

	fprintf(out, "[endpoints]\ningest = %s\npublish = %s\nrequests = %s\n\n[analyzer]\n",
	    s->ingest, s->publish, s->requests);
	fprintf(out, "policy = %s\ncoalesce_rate = %g\n", s->policy[0] ? s->policy : "", s->coalesce_rate);
	for (i = 0; i < sizeof(uint_keys) / sizeof(uint_keys[0]); i++) {
		if (i > 0 && strcmp(uint_keys[i].section, uint_keys[i - 1].section) != 0)
			fprintf(out, "\n[%s]\n", uint_keys[i].section);
		fprintf(out, "%s = %u\n", uint_keys[i].key,
		    *(const unsigned *)((const char *)s + uint_keys[i].off));
	}
	fprintf(out, "\n[weights]\n");
	for (c = 0; c < UT_FC__COUNT; c++)
		if (s->weight_set[c])
			fprintf(out, "%s = %g\n", model_component_name((enum ut_component)c), s->weights[c]);
		else
			fprintf(out, "; %s: from the policy\n", model_component_name((enum ut_component)c));
}
