/* policy: built-in default and rule evaluation (see policy.h). */
#include <math.h>
#include <string.h>
#include "undertone/utf8.h"
#include "policy_internal.h"

static const char *const type_names[POLICY_RT__COUNT] = {
	"drop", "frustration", "escalation_request", "long_call", "end_sentiment"
};

const char *
policy_rule_type_name(enum policy_rule_type t)
{
	return (unsigned)t < POLICY_RT__COUNT ? type_names[t] : "unknown";
}

int
policy_rule_type_parse(const char *s, size_t len)
{
	int i;

	for (i = 0; s && i < POLICY_RT__COUNT; i++)
		if (strlen(type_names[i]) == len && memcmp(type_names[i], s, len) == 0)
			return i;
	return -1;
}

const char *
policy_transition_name(enum policy_transition_kind k)
{
	static const char *const n[] = { "raised", "updated", "cleared" };

	return (unsigned)k < 3 ? n[k] : "unknown";
}

const char *
policy_clear_reason_name(enum policy_clear_reason r)
{
	static const char *const n[] = {
		"none", "recovered", "call_ended", "dismissed", "snoozed", "human"
	};

	return (unsigned)r < 6 ? n[r] : "unknown";
}

void
policy_rule_defaults(struct policy_rule *r, enum policy_rule_type t)
{
	static const enum ut_suggestion_kind kinds[POLICY_RT__COUNT] = {
		UT_SK_ASSIST, UT_SK_ASSIST, UT_SK_ESCALATE, UT_SK_ASSIST, UT_SK_FOLLOW_UP
	};
	static const float thresholds[POLICY_RT__COUNT] = { 0.5f, 0.5f, 0.5f, 0.0f, -0.3f };
	static const float windows[POLICY_RT__COUNT] = { 60.0f, 10.0f, 0.0f, 900.0f, 0.0f };

	r->type = t;
	r->kind = kinds[t];
	r->severity = t == POLICY_RT_ESCALATION_REQUEST ? 3 : 2;
	r->threshold = thresholds[t];
	r->window_s = windows[t];
	r->slope_max = -0.02f;
	r->ewma_max = -0.1f;
	r->hysteresis = t == POLICY_RT_LONG_CALL ? 0.1f : 0.15f;
	r->clear_after_s = 30.0f;
	r->update_step = 0.1f;
	r->dismiss_margin = 0.2f;
}

static void
add_rule(struct policy *p, const char *name, enum policy_rule_type t,
    enum ut_suggestion_kind kind, int severity, const char *tip)
{
	struct policy_rule *r = &p->rule[p->nrules++];

	memset(r, 0, sizeof(*r));
	policy_rule_defaults(r, t);
	strcpy(r->name, name);
	strcpy(r->tip, tip);
	r->kind = kind;
	r->severity = severity;
	r->enabled = true;
}

void
policy_default(struct policy *p)
{
	memset(p, 0, sizeof(*p));
	strcpy(p->version, "builtin-1");
	strcpy(p->source, "built-in");
	p->suppress_s = 300.0f;
	signals_config_default(&p->sig);
	add_rule(p, "sentiment_drop", POLICY_RT_DROP, UT_SK_ASSIST, 1,
	    "The customer's mood just dropped: pause, acknowledge it, and check what changed.");
	add_rule(p, "frustrated", POLICY_RT_FRUSTRATION, UT_SK_ASSIST, 2,
	    "Acknowledge the repeated issue, summarise it back, and give the next concrete step.");
	add_rule(p, "escalation_request", POLICY_RT_ESCALATION_REQUEST, UT_SK_ESCALATE, 3,
	    "The customer asked for a manager: offer a supervisor now or a committed callback.");
	add_rule(p, "long_negative_call", POLICY_RT_LONG_CALL, UT_SK_ASSIST, 2,
	    "Long call trending negative: summarise progress so far and agree the next step.");
	add_rule(p, "ended_negative", POLICY_RT_END_SENTIMENT, UT_SK_FOLLOW_UP, 2,
	    "The call ended on a negative note: arrange a follow-up contact.");
	add_rule(p, "ended_very_negative", POLICY_RT_END_SENTIMENT, UT_SK_REVIEW, 1,
	    "Review this call for process and product issues (not agent scoring).");
	p->rule[p->nrules - 1].threshold = -0.6f;
}

int
policy_rule_find(const struct policy *p, const char *name)
{
	int i;

	for (i = 0; name && i < p->nrules; i++)
		if (strcmp(p->rule[i].name, name) == 0)
			return i;
	return -1;
}

static float
frustration_at(const struct policy *p, const struct call *c, int64_t now_ms)
{
	struct signals_frustration f;

	signals_compute(&c->sig, &p->sig, now_ms, &f);
	return f.value;
}

float
policy_metric(const struct policy *p, const struct call *c, int r, int64_t now_ms)
{
	const struct policy_rule *ru = &p->rule[r];
	const struct policy_rule_state *rs = &c->pol.rule[r];
	float peak;

	switch (ru->type) {
	case POLICY_RT_DROP:
		if (rs->flags & POLICY_RS_ACTIVE)
			return rs->ref - c->trend.ewma;
		return trend_drop(&c->trend, now_ms, (int64_t)(ru->window_s * 1000.0f), &peak);
	case POLICY_RT_FRUSTRATION:
		return frustration_at(p, c, now_ms);
	case POLICY_RT_ESCALATION_REQUEST:
		/* each repeated explicit request is more evidence */
		return signals_value(&c->sig, &p->sig, UT_FC_ESCALATION, now_ms) +
		    0.25f * (float)(c->sig.requests > 1 ? c->sig.requests - 1 : 0);
	case POLICY_RT_LONG_CALL:
		return -c->trend.ewma;
	case POLICY_RT_END_SENTIMENT:
		return -trend_end(&c->trend, (int64_t)(p->sig.end_window_s * 1000.0f));
	default:
		return 0.0f;
	}
}

/* Is the rule's raise condition true now (before any duration)? */
static bool
raise_cond(const struct policy *p, const struct call *c, int r, int64_t now_ms, float m)
{
	const struct policy_rule *ru = &p->rule[r];
	const struct policy_rule_state *rs = &c->pol.rule[r];
	float slope;
	int64_t since;

	switch (ru->type) {
	case POLICY_RT_DROP:
		/* an opening complaint is the reason for calling, not a drop */
		return c->trend.used >= 2 && m >= ru->threshold;
	case POLICY_RT_FRUSTRATION:
		return m >= ru->threshold;
	case POLICY_RT_ESCALATION_REQUEST:
		/* a request made since the last clear, still strong enough */
		since = rs->ordinal ? rs->updated : c->start_ms;
		return signals_request_since(&c->sig, since) && m >= ru->threshold;
	case POLICY_RT_LONG_CALL:
		return now_ms - c->start_ms >= (int64_t)(ru->window_s * 1000.0f) &&
		    trend_slope(&c->trend, c->trend.last_ms,
		    (int64_t)(p->sig.slope_window_s * 1000.0f), &slope) &&
		    slope <= ru->slope_max && c->trend.ewma <= ru->ewma_max;
	case POLICY_RT_END_SENTIMENT:
		return c->customer_turns > 0 && -m <= ru->threshold;
	default:
		return false;
	}
}

/* Has the condition recovered past the hysteresis band? */
static bool
clear_cond(const struct policy *p, const struct call *c, int r, int64_t now_ms, float m)
{
	const struct policy_rule *ru = &p->rule[r];
	float slope;

	switch (ru->type) {
	case POLICY_RT_DROP:
	case POLICY_RT_FRUSTRATION:
		return m < ru->threshold - ru->hysteresis;
	case POLICY_RT_ESCALATION_REQUEST:
		return signals_value(&c->sig, &p->sig, UT_FC_ESCALATION, now_ms) <
		    ru->threshold - ru->hysteresis;
	case POLICY_RT_LONG_CALL:
		if (c->trend.ewma > ru->ewma_max + ru->hysteresis)
			return true;
		return trend_slope(&c->trend, c->trend.last_ms,
		    (int64_t)(p->sig.slope_window_s * 1000.0f), &slope) &&
		    slope > ru->slope_max + ru->hysteresis;
	default:
		return false;   /* end-of-call suggestions stay until a human acts */
	}
}

static int64_t
ms(float s)
{
	return (int64_t)((double)s * 1000.0);
}

/* A live rule on a live call. */
static void
eval_live(const struct policy *p, struct call *c, int r, int64_t now_ms,
    struct policy_transition *out, size_t max, size_t *n)
{
	const struct policy_rule *ru = &p->rule[r];
	struct policy_rule_state *rs = &c->pol.rule[r];
	float m = policy_metric(p, c, r, now_ms), peak = 0.0f;

	if (rs->flags & POLICY_RS_ACTIVE) {
		if (clear_cond(p, c, r, now_ms, m)) {
			if (rs->clear_since == CALL_NEVER)
				rs->clear_since = now_ms;
			if (now_ms - rs->clear_since >= ms(ru->clear_after_s) &&
			    policy_emit(p, c, r, now_ms, POLICY_TR_CLEARED, POLICY_CLR_RECOVERED,
			    out, max, n)) {
				rs->flags &= (uint8_t)~POLICY_RS_ACTIVE;
				rs->cond_since = rs->clear_since = CALL_NEVER;
				rs->updated = now_ms;
			}
			return;
		}
		rs->clear_since = CALL_NEVER;
		if (m >= rs->published + ru->update_step &&
		    policy_emit(p, c, r, now_ms, POLICY_TR_UPDATED, POLICY_CLR_NONE, out, max, n)) {
			rs->published = m;
			rs->updated = now_ms;
		}
		return;
	}
	if (!raise_cond(p, c, r, now_ms, m)) {
		rs->cond_since = CALL_NEVER;
		return;
	}
	if (rs->cond_since == CALL_NEVER)
		rs->cond_since = now_ms;
	if (ru->type == POLICY_RT_FRUSTRATION && now_ms - rs->cond_since < ms(ru->window_s))
		return;
	if (rs->hold_until != CALL_NEVER && now_ms < rs->hold_until)
		return;
	if ((rs->flags & POLICY_RS_DISMISSED) && m < rs->dismissed + ru->dismiss_margin)
		return;
	if (ru->type == POLICY_RT_DROP)
		(void)trend_drop(&c->trend, now_ms, ms(ru->window_s), &peak);
	rs->ordinal++;
	rs->raised = now_ms;
	rs->ref = peak;
	rs->flags |= POLICY_RS_ACTIVE;
	if (!policy_emit(p, c, r, now_ms, POLICY_TR_RAISED, POLICY_CLR_NONE, out, max, n)) {
		rs->ordinal--;   /* no room: raise on the next evaluation */
		rs->flags &= (uint8_t)~POLICY_RS_ACTIVE;
		return;
	}
	rs->flags &= (uint8_t)~(POLICY_RS_DISMISSED | POLICY_RS_ACCEPTED);
	rs->published = ru->type == POLICY_RT_DROP ? peak - c->trend.ewma : m;
	rs->updated = now_ms;
	rs->clear_since = CALL_NEVER;
}

/* After the end: live suggestions clear, end-of-call rules fire once. */
static void
eval_ended(const struct policy *p, struct call *c, int r, int64_t now_ms,
    struct policy_transition *out, size_t max, size_t *n)
{
	const struct policy_rule *ru = &p->rule[r];
	struct policy_rule_state *rs = &c->pol.rule[r];
	int64_t at = c->end_ms;

	if (ru->type != POLICY_RT_END_SENTIMENT) {
		if ((rs->flags & POLICY_RS_ACTIVE) &&
		    policy_emit(p, c, r, at, POLICY_TR_CLEARED, POLICY_CLR_CALL_ENDED, out, max, n)) {
			rs->flags &= (uint8_t)~POLICY_RS_ACTIVE;
			rs->updated = at;
		}
		return;
	}
	if (rs->flags & POLICY_RS_FIRED)
		return;
	if (!raise_cond(p, c, r, at, policy_metric(p, c, r, at))) {
		rs->flags |= POLICY_RS_FIRED;
		return;
	}
	rs->ordinal++;
	rs->raised = at;
	rs->flags |= POLICY_RS_ACTIVE | POLICY_RS_FIRED;
	if (!policy_emit(p, c, r, at, POLICY_TR_RAISED, POLICY_CLR_NONE, out, max, n)) {
		rs->ordinal--;
		rs->flags &= (uint8_t)~(POLICY_RS_ACTIVE | POLICY_RS_FIRED);
		return;
	}
	rs->published = policy_metric(p, c, r, at);
	rs->updated = at;
	(void)now_ms;
}

size_t
policy_eval(const struct policy *p, struct call *c, int64_t now_ms,
    struct policy_transition *out, size_t max)
{
	size_t n = 0;
	int r;

	for (r = 0; r < p->nrules && r < CALL_RULES_MAX; r++) {
		if (!p->rule[r].enabled)
			continue;
		if (call_is_live(c)) {
			if (p->rule[r].type != POLICY_RT_END_SENTIMENT)
				eval_live(p, c, r, now_ms, out, max, &n);
		} else {
			eval_ended(p, c, r, now_ms, out, max, &n);
		}
	}
	return n;
}
