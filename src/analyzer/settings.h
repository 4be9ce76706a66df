/*
 * settings: the daemon's effective settings from defaults, an INI file
 * (inih) and command-line flags, in that order of precedence.
 *
 * Contract: every value starts at its documented default; settings_set()
 * validates one value by key (the same for the file and for flags) and
 * returns -1 with a message for an unknown key or a bad value, keeping the
 * previous value. File problems are reported as "file:line: message".
 * Bounded: strings are fixed arrays, numbers are range-checked.
 * (Kept small on purpose: the config module's analyzer schema replaces it
 * when it lands; keys and sections are the same.)
 */
#ifndef UNDERTONE_ANALYZER_SETTINGS_H
#define UNDERTONE_ANALYZER_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "undertone/model.h"
#include "undertone/transport.h"

struct settings {
	char ingest[TRANSPORT_ENDPOINT_MAX + 1];    /* [endpoints] ingest */
	char publish[TRANSPORT_ENDPOINT_MAX + 1];   /* [endpoints] publish */
	char requests[TRANSPORT_ENDPOINT_MAX + 1];  /* [endpoints] requests */
	char policy[1024];                          /* [analyzer] policy, "" built-in */
	unsigned trend_length;                      /* [analyzer] trend_length 8..1024 (120) */
	double coalesce_rate;                       /* [analyzer] coalesce_rate 0.1..100 (4) */
	unsigned heartbeat_ms;                      /* [analyzer] heartbeat_ms 100..60000 (1000) */
	unsigned abandon_timeout_ms;                /* [analyzer] abandon_timeout_ms (300000) */
	unsigned max_calls;                         /* [limits] max_calls (200000) */
	unsigned max_suggestions;                   /* [limits] max_suggestions (100000) */
	unsigned max_clients;                       /* [limits] max_clients (64) */
	unsigned max_msg_bytes;                     /* [limits] max_msg_bytes (65536) */
	unsigned send_hwm;                          /* [limits] send_hwm (50000) */
	double weights[UT_FC__COUNT];               /* [weights] name = w */
	bool weight_set[UT_FC__COUNT];              /* given in the file or a flag */
};

void settings_init(struct settings *s);

/* Set section.key from text; 0 ok, -1 with a message in err. */
int settings_set(struct settings *s, const char *section, const char *key,
    const char *value, char *err, size_t errlen);

/* Load an INI file; returns the number of problems reported on stderr
 * (prefixed "file:line:"), or -1 if the file cannot be read. */
int settings_load(struct settings *s, const char *path);

/* Write the effective settings as INI. */
void settings_print(const struct settings *s, FILE *out);

#endif
