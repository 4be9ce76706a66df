/* policy: suggestion contents (id, reasons, tip) and lead decisions. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "undertone/utf8.h"
#include "policy_internal.h"

static uint64_t
fnv64(uint64_t h, const void *data, size_t len)
{
	const unsigned char *b = data;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= b[i];
		h *= 1099511628211ull;
	}
	return h;
}

/* "sg-" + 16 hex digits of FNV-1a over call, rule, raise ordinal and
 * raise time: the same suggestion keeps its id through updates, and a
 * later raise of the same rule on the same call gets a new one. */
static void
make_id(char *out, const struct call *c, const struct policy_rule *ru,
    const struct policy_rule_state *rs)
{
	uint64_t h = 14695981039346656037ull;
	unsigned char b[10];
	int i;

	h = fnv64(h, c->id, strlen(c->id) + 1);
	h = fnv64(h, ru->name, strlen(ru->name) + 1);
	b[0] = (unsigned char)(rs->ordinal >> 8);
	b[1] = (unsigned char)rs->ordinal;
	for (i = 0; i < 8; i++)
		b[2 + i] = (unsigned char)((uint64_t)rs->raised >> (56 - 8 * i));
	h = fnv64(h, b, sizeof(b));
	snprintf(out, UT_ID_MAX + 1, "sg-%016" PRIx64, h);
}

static struct policy_reason *
add_reason(struct policy_suggestion *s, const char *signal, float value)
{
	struct policy_reason *r;

	if (s->nreasons >= UT_REASONS_MAX)
		return NULL;
	r = &s->reason[s->nreasons++];
	utf8_copy_clip(r->signal, sizeof(r->signal), signal);
	r->value = value;
	r->evidence[0] = '\0';
	return r;
}

static void
duration_text(char *buf, size_t len, int64_t ms)
{
	int64_t s = ms / 1000;

	snprintf(buf, len, "%" PRId64 "m%02ds", s / 60, (int)(s % 60));
}

/* The rule's own reason: what crossed which threshold. */
static void
primary_reason(const struct policy *p, const struct call *c, int r, int64_t now_ms,
    struct policy_suggestion *s)
{
	const struct policy_rule *ru = &p->rule[r];
	const struct policy_rule_state *rs = &c->pol.rule[r];
	float m = policy_metric(p, c, r, now_ms), slope = 0.0f, endv;
	struct policy_reason *re;
	const char *phrase;
	char d[32];

	switch (ru->type) {
	case POLICY_RT_DROP:
		re = add_reason(s, "sentiment_drop", m);
		snprintf(re->evidence, sizeof(re->evidence),
		    "smoothed sentiment fell %.2f (%.2f -> %.2f) within %.0fs", (double)m,
		    (double)(rs->flags & POLICY_RS_ACTIVE ? rs->ref : c->trend.ewma + m),
		    (double)c->trend.ewma, (double)ru->window_s);
		break;
	case POLICY_RT_FRUSTRATION:
		re = add_reason(s, "frustration", m);
		snprintf(re->evidence, sizeof(re->evidence), "frustration %.2f, threshold %.2f for %.0fs",
		    (double)m, (double)ru->threshold, (double)ru->window_s);
		break;
	case POLICY_RT_ESCALATION_REQUEST:
		re = add_reason(s, "escalation", signals_value(&c->sig, &p->sig, UT_FC_ESCALATION, now_ms));
		phrase = signals_escalation_phrase(&c->sig, &p->sig);
		snprintf(re->evidence, sizeof(re->evidence), "asked: '%s' (%u request%s)",
		    phrase ? phrase : "?", c->sig.requests, c->sig.requests == 1 ? "" : "s");
		break;
	case POLICY_RT_LONG_CALL:
		(void)trend_slope(&c->trend, c->trend.last_ms, (int64_t)(p->sig.slope_window_s * 1000.0f), &slope);
		re = add_reason(s, "duration", (float)(now_ms - c->start_ms) / 60000.0f);
		duration_text(d, sizeof(d), now_ms - c->start_ms);
		snprintf(re->evidence, sizeof(re->evidence),
		    "call %s, smoothed sentiment %.2f, slope %.3f/min", d,
		    (double)c->trend.ewma, (double)slope);
		break;
	case POLICY_RT_END_SENTIMENT:
		endv = -m;
		re = add_reason(s, "end_sentiment", endv);
		snprintf(re->evidence, sizeof(re->evidence),
		    "end-of-call sentiment %.2f (last %.0fs), call mean %.2f", (double)endv,
		    (double)p->sig.end_window_s, (double)trend_mean(&c->trend));
		break;
	default:
		break;
	}
}

/* Is component c already the rule's own reason? */
static bool
already(const struct policy_suggestion *s, int c)
{
	return s->nreasons > 0 &&
	    strcmp(s->reason[0].signal, model_component_name((enum ut_component)c)) == 0;
}

/* The frustration components behind it, largest contribution first. */
static void
component_reasons(const struct policy *p, const struct call *c, int64_t now_ms,
    struct policy_suggestion *s)
{
	struct signals_frustration f;
	bool used[UT_FC__COUNT] = { false };
	struct policy_reason *re;
	int i, k, best;

	signals_compute(&c->sig, &p->sig, now_ms, &f);
	for (k = 0; k < UT_FC__COUNT && s->nreasons < UT_REASONS_MAX; k++) {
		best = -1;
		for (i = 0; i < UT_FC__COUNT; i++)
			if (!used[i] && f.comp[i].contribution >= 0.01f && !already(s, i) &&
			    (best < 0 || f.comp[i].contribution > f.comp[best].contribution))
				best = i;
		if (best < 0)
			break;
		used[best] = true;
		re = add_reason(s, model_component_name((enum ut_component)best), f.comp[best].value);
		signals_evidence(&c->sig, &p->sig, (enum ut_component)best, now_ms,
		    re->evidence, sizeof(re->evidence));
	}
}

void
policy_suggestion_fill(const struct policy *p, const struct call *c, int r,
    int64_t now_ms, struct policy_suggestion *s)
{
	const struct policy_rule *ru = &p->rule[r];
	const struct policy_rule_state *rs = &c->pol.rule[r];

	memset(s, 0, sizeof(*s));
	make_id(s->id, c, ru, rs);
	utf8_copy_clip(s->call, sizeof(s->call), c->id);
	utf8_copy_clip(s->rule, sizeof(s->rule), ru->name);
	s->kind = ru->kind;
	s->severity = ru->severity;
	primary_reason(p, c, r, now_ms, s);
	component_reasons(p, c, now_ms, s);
	s->raised_ms = rs->raised;
	s->updated_ms = now_ms;
	utf8_copy_clip(s->policy_version, sizeof(s->policy_version), p->version);
	utf8_copy_clip(s->tip, sizeof(s->tip), ru->tip);
	utf8_copy_clip(s->claimed_by, sizeof(s->claimed_by), c->pol.claimed_by);
}

int
policy_emit(const struct policy *p, const struct call *c, int r, int64_t now_ms,
    enum policy_transition_kind k, enum policy_clear_reason why,
    struct policy_transition *out, size_t max, size_t *n)
{
	if (*n >= max)
		return 0;
	out[*n].kind = k;
	out[*n].why = why;
	policy_suggestion_fill(p, c, r, now_ms, &out[*n].s);
	(*n)++;
	return 1;
}

int
policy_find_suggestion(const struct policy *p, const struct call *c, const char *id)
{
	char buf[UT_ID_MAX + 1];
	int r;

	if (id == NULL)
		return -1;
	for (r = 0; r < p->nrules && r < CALL_RULES_MAX; r++) {
		if (!(c->pol.rule[r].flags & POLICY_RS_ACTIVE))
			continue;
		make_id(buf, c, &p->rule[r], &c->pol.rule[r]);
		if (strcmp(buf, id) == 0)
			return r;
	}
	return -1;
}

/* Clear rule r because of a decision; the rule may not raise before hold. */
static enum policy_decide_err
human_clear(const struct policy *p, struct call *c, int r, enum policy_clear_reason why,
    int64_t now_ms, int64_t hold, struct policy_transition *out, size_t max, size_t *nout)
{
	struct policy_rule_state *rs = &c->pol.rule[r];
	float m = policy_metric(p, c, r, now_ms);

	if (!policy_emit(p, c, r, now_ms, POLICY_TR_CLEARED, why, out, max, nout))
		return POLICY_DECIDE_BAD_ARG;
	rs->flags &= (uint8_t)~POLICY_RS_ACTIVE;
	rs->updated = now_ms;
	rs->clear_since = CALL_NEVER;
	if (why == POLICY_CLR_DISMISSED) {
		rs->flags |= POLICY_RS_DISMISSED;
		rs->dismissed = m > rs->published ? m : rs->published;
	}
	rs->hold_until = hold;
	return POLICY_DECIDE_OK;
}

static enum policy_decide_err
claim(const struct policy *p, struct call *c, const char *who, int64_t now_ms,
    struct policy_transition *out, size_t max, size_t *nout)
{
	int r;

	if (who == NULL || who[0] == '\0')
		return POLICY_DECIDE_BAD_ARG;
	utf8_copy_clip(c->pol.claimed_by, sizeof(c->pol.claimed_by), who);
	c->pol.claimed_at = now_ms;
	/* active suggestions now carry who owns the call */
	for (r = 0; r < p->nrules && r < CALL_RULES_MAX; r++)
		if ((c->pol.rule[r].flags & POLICY_RS_ACTIVE) &&
		    policy_emit(p, c, r, now_ms, POLICY_TR_UPDATED, POLICY_CLR_NONE, out, max, nout))
			c->pol.rule[r].updated = now_ms;
	return POLICY_DECIDE_OK;
}

enum policy_decide_err
policy_decide(const struct policy *p, struct call *c, enum ut_decision d,
    const char *suggestion_id, const char *who, int64_t now_ms, int64_t until_ms,
    struct policy_transition *out, size_t max, size_t *nout)
{
	int r;

	*nout = 0;
	if (d == UT_DE_ACKNOWLEDGE)
		return claim(p, c, who, now_ms, out, max, nout);
	if (d == UT_DE_RAISE || d == UT_DE_TAG)
		return POLICY_DECIDE_UNSUPPORTED;
	if ((unsigned)d >= UT_DE__COUNT || max == 0)
		return POLICY_DECIDE_BAD_ARG;
	r = policy_find_suggestion(p, c, suggestion_id);
	if (r < 0)
		return POLICY_DECIDE_NO_SUGGESTION;
	switch (d) {
	case UT_DE_ACCEPT:
		c->pol.rule[r].flags |= POLICY_RS_ACCEPTED;
		return POLICY_DECIDE_OK;
	case UT_DE_DISMISS:
		return human_clear(p, c, r, POLICY_CLR_DISMISSED, now_ms, CALL_NEVER, out, max, nout);
	case UT_DE_SNOOZE:
		if (until_ms <= now_ms)
			return POLICY_DECIDE_BAD_ARG;
		return human_clear(p, c, r, POLICY_CLR_SNOOZED, now_ms, until_ms, out, max, nout);
	case UT_DE_CLEAR:
		if (until_ms == 0)
			until_ms = now_ms + (int64_t)((double)p->suppress_s * 1000.0);
		if (until_ms < now_ms)
			return POLICY_DECIDE_BAD_ARG;
		return human_clear(p, c, r, POLICY_CLR_HUMAN, now_ms, until_ms, out, max, nout);
	default:
		return POLICY_DECIDE_BAD_ARG;
	}
}
