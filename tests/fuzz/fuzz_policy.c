/*
 * libFuzzer target: the policy INI parser. Loads the bytes as a policy file,
 * checks the loaded policy's invariants (bounded rules, terminated strings,
 * severity 1..3, unique rule names), then runs the loaded rules over a short
 * call so values the parser accepted are exercised by the evaluator.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "undertone/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct policy pol;
static struct policy_transition tr[POLICY_TRANSITIONS_MAX];

static void
diag(void *ud, enum policy_diag_level level, const char *file, int line, const char *msg)
{
	(void)level;
	(void)file;
	if (line < 0 || !msg || strlen(msg) > 4096)
		abort();
	++*(int *)ud;
}

static void
check_policy(const struct policy *p)
{
	int i, j;

	if (p->nrules < 0 || p->nrules > POLICY_RULES_MAX ||
	    !memchr(p->version, '\0', sizeof(p->version)) ||
	    !memchr(p->source, '\0', sizeof(p->source)))
		abort();
	for (i = 0; i < p->nrules; i++) {
		const struct policy_rule *r = &p->rule[i];
		if (!memchr(r->name, '\0', sizeof(r->name)) || !memchr(r->tip, '\0', sizeof(r->tip)) ||
		    r->severity < 1 || r->severity > 3 || (unsigned)r->type >= POLICY_RT__COUNT)
			abort();
		if (policy_rule_find(p, r->name) != i)
			abort();
		for (j = 0; j < i; j++)
			if (strcmp(p->rule[j].name, r->name) == 0)
				abort();
	}
}

/* A short angry call under the loaded policy: utterances, a hold, ticks, end. */
static void
run_call(const struct policy *p)
{
	static const char *lines[] = { "I was charged twice, this is ridiculous",
		"let me speak to a manager NOW", "charged twice! terrible service" };
	struct call_utterance u;
	struct call *c;
	int64_t t = 1764000000000;
	size_t i, n;

	c = call_new("c-fuzz", "a-1", "billing", UT_CH_VOICE, t, 0);
	if (!c)
		return;
	for (i = 0; i < 3; i++) {
		memset(&u, 0, sizeof(u));
		t += 5000;
		u.ts_ms = t;
		u.start_ms = (int64_t)i * 5000;
		u.end_ms = u.start_ms + 3000;
		u.text = lines[i];
		u.len = strlen(lines[i]);
		u.compound = -0.8f;
		(void)call_customer(c, &p->sig, &u);
		n = policy_eval(p, c, t, tr, POLICY_TRANSITIONS_MAX);
		if (n > POLICY_TRANSITIONS_MAX)
			abort();
	}
	(void)call_hold(c, true, t + 1000);
	n = policy_eval(p, c, t + 400000, tr, POLICY_TRANSITIONS_MAX);
	(void)call_end(c, t + 500000);
	n += policy_eval(p, c, t + 500000, tr, POLICY_TRANSITIONS_MAX);
	if (n > 2 * POLICY_TRANSITIONS_MAX)
		abort();
	call_free(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int ndiag = 0;

	if (policy_load_string(&pol, (const char *)data, size, "fuzz.ini", diag, &ndiag) != 0) {
		if (size <= POLICY_FILE_MAX)
			abort();   /* only an oversized text may be refused outright */
		return 0;
	}
	if (ndiag < pol.errors + pol.warnings)
		abort();
	check_policy(&pol);
	run_call(&pol);
	return 0;
}
