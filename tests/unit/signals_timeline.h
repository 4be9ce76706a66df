/* Timeline helpers for the signals/policy unit tests: a call under a policy,
 * fed utterances at times given in seconds after the call started. */
#ifndef SIGNALS_TIMELINE_H
#define SIGNALS_TIMELINE_H

#include <check.h>
#include <string.h>
#include "undertone/call.h"
#include "undertone/policy.h"

#define T0 1700000000000LL   /* call start, ms since the epoch */
#define AT(sec) (T0 + (int64_t)((sec) * 1000.0))

struct tl {
	struct policy pol;
	struct call *c;
	struct policy_transition tr[POLICY_TRANSITIONS_MAX];
	size_t ntr;                   /* transitions from the last step */
	size_t raised, updated, cleared;   /* totals over the timeline */
};

static inline void
tl_tally(struct tl *t)
{
	size_t i;

	for (i = 0; i < t->ntr; i++) {
		if (t->tr[i].kind == POLICY_TR_RAISED)
			t->raised++;
		else if (t->tr[i].kind == POLICY_TR_UPDATED)
			t->updated++;
		else
			t->cleared++;
	}
}

static inline void
tl_open(struct tl *t, enum ut_channel ch)
{
	memset(t, 0, sizeof(*t));
	policy_default(&t->pol);
	t->c = call_new("call-1", "agent-7", "billing", ch, T0, 0);
	ck_assert_ptr_nonnull(t->c);
}

static inline void
tl_close(struct tl *t)
{
	call_free(t->c);
	t->c = NULL;
}

static inline size_t
tl_eval(struct tl *t, double sec)
{
	t->ntr = policy_eval(&t->pol, t->c, AT(sec), t->tr, POLICY_TRANSITIONS_MAX);
	tl_tally(t);
	return t->ntr;
}

/* Customer says text from start to end (seconds) with a compound. */
static inline size_t
tl_cust(struct tl *t, double start, double end, const char *text, float compound)
{
	struct call_utterance u;

	memset(&u, 0, sizeof(u));
	u.ts_ms = AT(end);
	u.start_ms = AT(start);
	u.end_ms = AT(end);
	u.text = text;
	u.len = strlen(text);
	u.compound = compound;
	ck_assert_int_eq(call_customer(t->c, &t->pol.sig, &u), CALL_OK);
	return tl_eval(t, end);
}

static inline size_t
tl_agent(struct tl *t, double start, double end)
{
	ck_assert_int_eq(call_agent(t->c, &t->pol.sig, AT(end), AT(start), AT(end)), CALL_OK);
	return tl_eval(t, end);
}

/* The first transition of kind k for rule name in the last step, or NULL. */
static inline const struct policy_transition *
tl_find(const struct tl *t, enum policy_transition_kind k, const char *rule)
{
	size_t i;

	for (i = 0; i < t->ntr; i++)
		if (t->tr[i].kind == k && strcmp(t->tr[i].s.rule, rule) == 0)
			return &t->tr[i];
	return NULL;
}

static inline float
tl_frustration(const struct tl *t, double sec)
{
	struct signals_frustration f;

	signals_compute(&t->c->sig, &t->pol.sig, AT(sec), &f);
	return f.value;
}

static inline float
tl_value(const struct tl *t, enum ut_component c, double sec)
{
	return signals_value(&t->c->sig, &t->pol.sig, c, AT(sec));
}

#endif
