/* undertone-log show: one decision in full. */
#include <getopt.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "log.h"

static void
show_suggestion(struct log_opts *o, const struct dstore_suggestion *g)
{
	char tm[40];
	size_t i;

	if (!g->present) {
		log_printf_safe(o, stdout, "Suggestion    none (raised by a person)");
		return;
	}
	log_fmt_time(g->raised_ms, true, tm, sizeof(tm));
	log_printf_safe(o, stdout, "Suggestion    %s: %s, severity %d, rule %s, raised %s",
	    g->id, model_suggestion_kind_name(g->kind), g->severity, g->rule, tm);
	for (i = 0; i < g->reasons_n; i++)
		log_printf_safe(o, stdout, "  reason      %s", g->reasons[i]);
}

static void
show_signals(struct log_opts *o, const struct dstore_signals *s)
{
	char line[1024];
	size_t i, n = 0;

	if (s->has_sentiment) {
		log_printf_safe(o, stdout, "Sentiment     latest %+.2f  ewma %+.2f  mean %+.2f  slope %+.4f/s",
		    s->sent_latest, s->sent_ewma, s->sent_mean, s->sent_slope);
		for (i = 0; i < s->trend_n && n < sizeof(line) - 16; i++)
			n += (size_t)snprintf(line + n, sizeof(line) - n, " %+.2f", s->trend[i].value);
		if (s->trend_n > 0)
			log_printf_safe(o, stdout, "  trend      %s", line);
	} else
		log_printf_safe(o, stdout, "Sentiment     (none)");
	if (!s->has_frustration) {
		log_printf_safe(o, stdout, "Frustration   (none)");
		return;
	}
	log_printf_safe(o, stdout, "Frustration   %.2f", s->frustration);
	for (i = 0; i < UT_FC__COUNT; i++)
		if (s->comp[i].present)
			log_printf_safe(o, stdout, "  %-12s value %.2f  contributes %.2f  \"%s\"",
			    model_component_name((enum ut_component)i), s->comp[i].value,
			    s->comp[i].contribution, s->comp[i].evidence);
}

static void
show(struct log_opts *o, const struct dstore_record *r)
{
	char tm[40], h[2 * DSTORE_HASH_LEN + 1];

	log_printf_safe(o, stdout, "Record        #%lld %s%s", (long long)r->seq, r->uuid,
	    r->type == DSTORE_TYPE_PRUNE ? " (retention summary)" : "");
	log_fmt_time(r->time_ms, true, tm, sizeof(tm));
	log_printf_safe(o, stdout, "Time          %s UTC", tm);
	log_printf_safe(o, stdout, "Supervisor    %s%s%s%s on %s", r->supervisor,
	    r->display_name[0] ? " (" : "", r->display_name, r->display_name[0] ? ")" : "", r->host);
	log_printf_safe(o, stdout, "Call          %s  agent %s  queue %s", r->call_id, r->agent, r->queue);
	log_printf_safe(o, stdout, "Decision      %s", r->decision >= 0 ?
	    model_decision_name((enum ut_decision)r->decision) : "-");
	if (r->severity)
		log_printf_safe(o, stdout, "Severity      %d", r->severity);
	if (r->until_ms) {
		log_fmt_time(r->until_ms, false, tm, sizeof(tm));
		log_printf_safe(o, stdout, "Until         %s UTC", tm);
	}
	if (r->tag[0])
		log_printf_safe(o, stdout, "Tag           %s", r->tag);
	log_printf_safe(o, stdout, "Reason        %s", r->reason_code);
	log_printf_safe(o, stdout, "Free text     %s", r->free_text);
	show_suggestion(o, &r->sug);
	show_signals(o, &r->signals);
	log_printf_safe(o, stdout, "Versions      policy %s  lexicon %s", r->policy_version, r->lexicon_version);
	log_fmt_time(r->forwarded_ms, true, tm, sizeof(tm));
	log_printf_safe(o, stdout, "Forwarded     %s%s", r->forwarded ? "yes, " : "not yet", r->forwarded ? tm : "");
	if (r->origin[0])
		log_printf_safe(o, stdout, "Origin        %s", r->origin);
	dstore_hex(r->hash, DSTORE_HASH_LEN, h);
	log_printf_safe(o, stdout, "Chain hash    %s", h);
}

int
log_cmd_show(struct log_opts *o, int argc, char **argv)
{
	struct dstore_record *r;
	struct dstore *st;
	char *end;
	long long seq;
	int rc;

	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("usage: undertone-log show ID   (UUID or sequence number)\n");
		return LOG_EXIT_OK;
	}
	if (argc != 2 || strlen(argv[1]) > DSTORE_UUID_LEN || argv[1][0] == '\0') {
		log_err("usage: undertone-log show ID");
		return LOG_EXIT_USAGE;
	}
	if ((rc = log_open(o, DSTORE_READONLY | DSTORE_NOCHECK, &st)) != LOG_EXIT_OK)
		return rc;
	if ((r = malloc(sizeof(*r))) == NULL) {
		dstore_close(st);
		return LOG_EXIT_DB;
	}
	errno = 0;
	seq = strtoll(argv[1] + (argv[1][0] == '#'), &end, 10);
	if (errno == 0 && *end == '\0' && seq > 0)
		rc = dstore_get_seq(st, seq, r);
	else
		rc = dstore_get_uuid(st, argv[1], r);
	if (rc == DSTORE_OK)
		show(o, r);
	else if (rc == DSTORE_ENOTFOUND)
		log_err("show: no record '%.40s'", argv[1]);
	else
		log_err("show: %s", dstore_errmsg(st));
	free(r);
	dstore_close(st);
	return rc == DSTORE_EINVAL ? LOG_EXIT_NOTFOUND : log_exit_for(rc);
}
