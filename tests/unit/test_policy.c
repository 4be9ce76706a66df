/* Unit tests for policy: the file format and its diagnostics, and every rule
 * on a pinned timeline (raise, update, clear with hysteresis, decisions). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "signals_timeline.h"
#include "ut_check.h"

/* ---- diagnostics collector ---- */

struct diag { int level, line; char msg[256]; };
static struct diag diags[64];
static int ndiags;

static void
collect(void *ud, enum policy_diag_level lv, const char *file, int line, const char *msg)
{
	(void)ud;
	ck_assert_ptr_nonnull(file);
	if (ndiags < 64) {
		diags[ndiags].level = (int)lv;
		diags[ndiags].line = line;
		snprintf(diags[ndiags].msg, sizeof(diags[ndiags].msg), "%s", msg);
		ndiags++;
	}
}

/* Is there a diagnostic of level lv on line containing text? */
static int
has_diag(int lv, int line, const char *text)
{
	int i;

	for (i = 0; i < ndiags; i++)
		if (diags[i].level == lv && diags[i].line == line && strstr(diags[i].msg, text))
			return 1;
	return 0;
}

static int
load(struct policy *p, const char *text)
{
	ndiags = 0;
	return policy_load_string(p, text, strlen(text), "test.ini", collect, NULL);
}

/* ---- the file ---- */

static void
assert_same_rules(const struct policy *a, const struct policy *b)
{
	int i;

	ck_assert_int_eq(a->nrules, b->nrules);
	for (i = 0; i < a->nrules; i++) {
		const struct policy_rule *x = &a->rule[i], *y = &b->rule[i];

		ck_assert_str_eq(x->name, y->name);
		ck_assert_int_eq(x->type, y->type);
		ck_assert_int_eq(x->kind, y->kind);
		ck_assert_int_eq(x->severity, y->severity);
		ck_assert_int_eq(x->enabled, y->enabled);
		ck_assert_str_eq(x->tip, y->tip);
		ck_assert_float_eq(x->threshold, y->threshold);
		ck_assert_float_eq(x->window_s, y->window_s);
		ck_assert_float_eq(x->slope_max, y->slope_max);
		ck_assert_float_eq(x->ewma_max, y->ewma_max);
		ck_assert_float_eq(x->hysteresis, y->hysteresis);
		ck_assert_float_eq(x->clear_after_s, y->clear_after_s);
		ck_assert_float_eq(x->update_step, y->update_step);
		ck_assert_float_eq(x->dismiss_margin, y->dismiss_margin);
	}
}

START_TEST(default_file_is_the_builtin)
{
	static struct policy builtin, file;
	char path[4096];

	snprintf(path, sizeof(path), "%s/data/policy/default.ini",
	    getenv("top_srcdir") ? getenv("top_srcdir") : UT_SRCDIR);
	policy_default(&builtin);
	ndiags = 0;
	ck_assert_int_eq(policy_load_file(&file, path, collect, NULL), 0);
	ck_assert_msg(ndiags == 0, "%d diagnostics, first line %d: %s", ndiags,
	    ndiags ? diags[0].line : 0, ndiags ? diags[0].msg : "");
	ck_assert_int_eq(file.errors + file.warnings, 0);
	assert_same_rules(&builtin, &file);
	ck_assert_float_eq(builtin.suppress_s, file.suppress_s);
	ck_assert_msg(memcmp(&builtin.sig, &file.sig, sizeof(builtin.sig)) == 0,
	    "signal tunables or phrases differ from the built-in default");
	ck_assert_str_eq(builtin.version, "builtin-1");
	ck_assert_int_eq(strncmp(file.version, "builtin-1@", 10), 0);
	ck_assert_uint_eq(strlen(file.version), 10 + 16);
	ck_assert_str_eq(file.source, path);
}
END_TEST

START_TEST(diagnostics_with_lines)
{
	static struct policy p;
	const char *text =
	    "[policy]\n"                     /* 1 */
	    "version = test-1\n"             /* 2 */
	    "colour = blue\n"                /* 3: unknown key */
	    "[weights]\n"                    /* 4 */
	    "repetition = 2\n"               /* 5: out of range */
	    "negativity = 0.5\n"             /* 6 */
	    "this line is bad\n"             /* 7: syntax */
	    "[rule r1]\n"                    /* 8 */
	    "type = frustration\n"           /* 9 */
	    "at_least = 0.7\n"               /* 10 */
	    "for = abc\n"                    /* 11: not a number */
	    "drop = 0.3\n"                   /* 12: not for this type */
	    "tip = first part\n"             /* 13 */
	    "  second part\n"                /* 14: continuation */
	    "[rule bad name!]\n"             /* 15 */
	    "type = drop\n"                  /* 16: bad rule name */
	    "[rule r2]\n"                    /* 17 */
	    "kind = escalate\n"              /* 18: r2 never gets a type */
	    "[mystery]\n"                    /* 19 */
	    "x = 1\n"                        /* 20: unknown section */
	    "[rule r3]\n"                    /* 21 */
	    "type = sideways\n"              /* 22: unknown type */
	    "[rule r4]\n"                    /* 23 */
	    "type = end_sentiment\n"         /* 24 */
	    "severity = 4\n"                 /* 25 */
	    "kind = shout\n"                 /* 26 */
	    "enabled = perhaps\n"            /* 27 */
	    "[unclosed\n";                   /* 28 */
	int r;

	ck_assert_int_eq(load(&p, text), 0);
	ck_assert(has_diag(POLICY_DIAG_WARNING, 3, "unknown key 'colour'"));
	ck_assert(has_diag(POLICY_DIAG_ERROR, 5, "repetition"));
	ck_assert(has_diag(POLICY_DIAG_ERROR, 7, "expected 'key = value'"));
	ck_assert(has_diag(POLICY_DIAG_ERROR, 11, "for: 'abc'"));
	ck_assert(has_diag(POLICY_DIAG_WARNING, 12, "'drop' does not apply"));
	ck_assert(has_diag(POLICY_DIAG_ERROR, 16, "rule name"));
	ck_assert(has_diag(POLICY_DIAG_ERROR, 18, "no valid type"));
	ck_assert(has_diag(POLICY_DIAG_WARNING, 20, "unknown section [mystery]"));
	ck_assert(has_diag(POLICY_DIAG_ERROR, 22, "type 'sideways'"));
	ck_assert(has_diag(POLICY_DIAG_ERROR, 25, "severity"));
	ck_assert(has_diag(POLICY_DIAG_ERROR, 26, "kind 'shout'"));
	ck_assert(has_diag(POLICY_DIAG_ERROR, 27, "enabled 'perhaps'"));
	ck_assert(has_diag(POLICY_DIAG_ERROR, 28, "without ']'"));
	ck_assert_int_eq(p.errors, 11);
	ck_assert_int_eq(p.warnings, 3);
	/* bad values kept their defaults; good ones were taken */
	ck_assert_float_eq_tol(p.sig.weight[UT_FC_REPETITION], 0.25f, 1e-6);
	ck_assert_float_eq_tol(p.sig.weight[UT_FC_NEGATIVITY], 0.5f, 1e-6);
	ck_assert_int_eq(p.nrules, 2);
	r = policy_rule_find(&p, "r1");
	ck_assert_int_ge(r, 0);
	ck_assert_int_eq(p.rule[r].type, POLICY_RT_FRUSTRATION);
	ck_assert_float_eq_tol(p.rule[r].threshold, 0.7f, 1e-6);
	ck_assert_float_eq_tol(p.rule[r].window_s, 10.0f, 1e-6);   /* the default */
	ck_assert_str_eq(p.rule[r].tip, "first part second part");
	r = policy_rule_find(&p, "r4");
	ck_assert_int_eq(p.rule[r].severity, 2);
	ck_assert_int_eq(p.rule[r].kind, UT_SK_FOLLOW_UP);
	ck_assert(p.rule[r].enabled);
	ck_assert_int_eq(policy_rule_find(&p, "r2"), -1);
	ck_assert_int_eq(strncmp(p.version, "test-1@", 7), 0);
}
END_TEST

START_TEST(hostile_lines)
{
	static struct policy p;
	char text[1024];
	size_t n;

	memset(text, 'x', sizeof(text));
	memcpy(text, "[policy]\nversion = ", 19);
	text[400] = '\n';
	memcpy(text + 401, "bad\xff=1\n", 7);
	memcpy(text + 408, "nul\0=1\n", 7);
	memcpy(text + 415, "[signals]\nrepeat_full = 2.5\nhold_full = 1e999\n", 46);
	n = 415 + 46;
	ndiags = 0;
	ck_assert_int_eq(policy_load_string(&p, text, n, "h.ini", collect, NULL), 0);
	ck_assert(has_diag(POLICY_DIAG_ERROR, 2, "line longer than"));
	ck_assert(has_diag(POLICY_DIAG_ERROR, 3, "invalid UTF-8"));
	ck_assert(has_diag(POLICY_DIAG_ERROR, 4, "NUL byte"));
	ck_assert(has_diag(POLICY_DIAG_ERROR, 6, "whole number"));
	ck_assert(has_diag(POLICY_DIAG_ERROR, 7, "hold_full"));
	ck_assert_uint_eq(p.sig.repeat_full, 3);
	ck_assert_float_eq(p.sig.hold_full_s, 300.0f);
	/* no rules in the file: the built-in rules stay, with a warning */
	ck_assert(has_diag(POLICY_DIAG_WARNING, 0, "built-in rules"));
	ck_assert_int_eq(p.nrules, 6);
	ck_assert_int_eq(strncmp(p.version, "sha256:", 7), 0);
	ck_assert_int_eq(policy_load_string(&p, text, POLICY_FILE_MAX + 1, "h", NULL, NULL), -1);
	ck_assert_int_eq(policy_load_file(&p, "/nonexistent/policy.ini", collect, NULL), -1);
	ck_assert_int_eq(p.nrules, 6);   /* still the default */
}
END_TEST

START_TEST(too_many_rules_and_phrases)
{
	static struct policy p, q;
	static char text[8192];
	size_t n = 0;
	int i;

	for (i = 0; i < POLICY_RULES_MAX + 1; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "[rule r%d]\ntype = frustration\n", i);
	n += (size_t)snprintf(text + n, sizeof(text) - n,
	    "[escalation_phrases]\nchargeback = 0.7 request\nrefund now = 2\nfoo = 0.5 maybe\n");
	ck_assert_int_eq(load(&p, text), 0);
	ck_assert_int_eq(p.nrules, POLICY_RULES_MAX);
	ck_assert(has_diag(POLICY_DIAG_ERROR, 2 * POLICY_RULES_MAX + 2, "more than 16 rules"));
	ck_assert_uint_eq(p.sig.nphrases, 1);   /* the list replaced the built-in one */
	ck_assert_str_eq(p.sig.phrases[0].text, "chargeback");
	ck_assert(p.sig.phrases[0].request);
	ck_assert(has_diag(POLICY_DIAG_ERROR, 2 * POLICY_RULES_MAX + 5, "not in (0, 1]"));
	ck_assert(has_diag(POLICY_DIAG_ERROR, 2 * POLICY_RULES_MAX + 6, "STRENGTH [request]"));
	/* a different file has a different version */
	ck_assert_int_eq(load(&q, "[rule a]\ntype = drop\n"), 0);
	ck_assert_str_ne(p.version, q.version);
}
END_TEST

/* Random INI-shaped input: never crashes, always leaves a usable policy. */
START_TEST(random_files_are_survivable)
{
	static const char *const parts[] = {
		"[rule x]\n", "[rule ", "]\n", "type = ", "frustration\n", "drop\n", "at_least = ",
		"0.5\n", "-1e309\n", "nan\n", "[weights]\n", "pace = ", "[signals]\n",
		"hold_full = ", "[escalation_phrases]\n", "a b c = ", "1 request\n", "\t tip\n",
		"tip = ", "\xc3\x28", "\0", "=\n", ";c\n", "[policy]\nversion = ", "v 1\n",
		"\r\n", "[", "x", "severity = 3\n", "kind = review\n",
	};
	static struct policy p;
	char buf[2048];
	unsigned seed = 7;
	size_t n, k;
	int i;

	for (i = 0; i < 2000; i++) {
		n = 0;
		for (k = 0; k < 40; k++) {
			const char *s;
			size_t l;

			seed = seed * 1103515245u + 12345u;
			s = parts[(seed >> 16) % (sizeof(parts) / sizeof(parts[0]))];
			l = s[0] ? strlen(s) : 1;
			if (n + l > sizeof(buf))
				break;
			memcpy(buf + n, s, l);
			n += l;
		}
		ck_assert_int_eq(policy_load_string(&p, buf, n, "fuzz", NULL, NULL), 0);
		ck_assert_int_ge(p.nrules, 1);
		ck_assert_int_le(p.nrules, POLICY_RULES_MAX);
		ck_assert_uint_gt(strlen(p.version), 0);
	}
}
END_TEST

/* ---- rules on timelines ---- */

/* The double-charge script: the escalate suggestion is raised at the
 * utterance that asks for a manager, with that phrase as evidence. */
START_TEST(double_charge_escalates_at_the_request)
{
	struct tl t;
	const struct policy_transition *e;
	int i, found = 0;

	tl_open(&t, UT_CH_VOICE);
	tl_cust(&t, 0, 4, "Hi, I think I was charged twice on my last bill", -0.2f);
	tl_agent(&t, 5, 10);
	tl_cust(&t, 11, 14, "Yes, I was charged twice for the same order", -0.4f);
	tl_agent(&t, 15, 20);
	tl_cust(&t, 19, 23, "No, listen, I was charged twice, this is the third time I'm calling", -0.6f);
	tl_agent(&t, 24, 28);
	ck_assert_ptr_null(tl_find(&t, POLICY_TR_RAISED, "escalation_request"));
	tl_cust(&t, 29, 33, "This is ridiculous. Get me your manager.", -0.8f);
	e = tl_find(&t, POLICY_TR_RAISED, "escalation_request");
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->s.kind, UT_SK_ESCALATE);
	ck_assert_int_eq(e->s.severity, 3);
	ck_assert_str_eq(e->s.call, "call-1");
	ck_assert_int_eq(strncmp(e->s.id, "sg-", 3), 0);
	ck_assert_uint_eq(strlen(e->s.id), 19);
	ck_assert_str_eq(e->s.policy_version, "builtin-1");
	ck_assert_int_eq(e->s.raised_ms, AT(33));
	ck_assert_str_eq(e->s.reason[0].signal, "escalation");
	ck_assert_str_eq(e->s.reason[0].evidence, "asked: 'get me your manager' (1 request)");
	for (i = 1; i < e->s.nreasons; i++) {
		if (strcmp(e->s.reason[i].evidence, "repeated 'charged twice' x3") == 0)
			found = 1;
		ck_assert_str_ne(e->s.reason[i].signal, "escalation");   /* not twice */
	}
	ck_assert_msg(found, "repetition evidence missing");
	ck_assert_str_eq(e->s.tip, t.pol.rule[policy_rule_find(&t.pol, "escalation_request")].tip);
	/* evaluating again raises nothing new */
	ck_assert_uint_eq(tl_eval(&t, 33), 0);
	tl_close(&t);
}
END_TEST

START_TEST(calm_call_raises_nothing)
{
	struct tl t;

	tl_open(&t, UT_CH_VOICE);
	tl_cust(&t, 0, 4, "Hi, I have a question about my latest bill", 0.1f);
	tl_agent(&t, 5, 9);
	tl_cust(&t, 10, 13, "It shows a charge for roaming, what is that for", 0.0f);
	tl_agent(&t, 14, 22);
	tl_cust(&t, 23, 25, "Oh I see, that makes sense", 0.4f);
	tl_agent(&t, 26, 30);
	tl_cust(&t, 31, 34, "Great, thank you so much for your help", 0.8f);
	tl_eval(&t, 60);
	ck_assert_int_eq(call_end(t.c, AT(40)), CALL_OK);
	tl_eval(&t, 40);
	tl_eval(&t, 41);
	ck_assert_uint_eq(t.raised + t.updated + t.cleared, 0);
	tl_close(&t);
}
END_TEST

/* frustration >= 0.5 must hold for 10 s before the assist is raised */
START_TEST(frustration_held_for_duration)
{
	struct tl t;
	double s, raised = -1;

	tl_open(&t, UT_CH_CHAT);
	tl_cust(&t, 0, 1, "I was charged twice", -0.5f);
	ck_assert_float_lt(tl_frustration(&t, 1), 0.5f);
	tl_cust(&t, 5, 6, "you charged me twice!!", -0.6f);
	ck_assert_float_ge(tl_frustration(&t, 6), 0.5f);   /* onset at 6 s */
	ck_assert_ptr_null(tl_find(&t, POLICY_TR_RAISED, "frustrated"));
	for (s = 6.5; s < 60 && raised < 0; s += 0.5) {
		ck_assert_float_ge(tl_frustration(&t, s), 0.5f);
		tl_eval(&t, s);
		if (tl_find(&t, POLICY_TR_RAISED, "frustrated"))
			raised = s;
	}
	ck_assert_double_eq_tol(raised, 16, 1e-9);   /* 10 s later */
	ck_assert_str_eq(t.tr[0].s.reason[0].signal, "frustration");
	tl_close(&t);
}
END_TEST

START_TEST(drop_raises_and_clears_with_hysteresis)
{
	struct tl t;
	const struct policy_transition *d;
	double s, cleared = -1;

	tl_open(&t, UT_CH_VOICE);
	tl_cust(&t, 0, 3, "that sounds great", 0.6f);
	tl_cust(&t, 10, 13, "perfect thanks", 0.6f);
	tl_cust(&t, 20, 23, "wait what, that is not what you told me", -0.3f);
	ck_assert_ptr_null(tl_find(&t, POLICY_TR_RAISED, "sentiment_drop"));   /* fell 0.37 */
	tl_cust(&t, 25, 27, "this is terrible", -0.9f);
	d = tl_find(&t, POLICY_TR_RAISED, "sentiment_drop");
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(d->s.kind, UT_SK_ASSIST);
	ck_assert_str_eq(d->s.reason[0].signal, "sentiment_drop");
	ck_assert_msg(strstr(d->s.reason[0].evidence, "smoothed sentiment fell") != NULL, "%s",
	    d->s.reason[0].evidence);
	/* the customer calms down; the drop from the peak shrinks below
	 * 0.5 - 0.15 and stays there for 30 s before it clears */
	tl_cust(&t, 60, 62, "ok thank you that fixes it", 0.7f);
	tl_cust(&t, 70, 72, "great", 0.7f);
	for (s = 72; s < 200 && cleared < 0; s += 1) {
		tl_eval(&t, s);
		if (tl_find(&t, POLICY_TR_CLEARED, "sentiment_drop")) {
			cleared = s;
			ck_assert_int_eq(t.tr[0].why, POLICY_CLR_RECOVERED);
		}
	}
	ck_assert_double_eq_tol(cleared, 102, 1e-9);   /* recovered at 72, +30 s */
	tl_close(&t);
}
END_TEST

START_TEST(long_negative_call)
{
	struct tl t;
	int i, raised_at = -1;

	tl_open(&t, UT_CH_VOICE);
	for (i = 0; i < 40 && raised_at < 0; i++) {   /* a turn every 30 s, sinking */
		tl_cust(&t, i * 30, i * 30 + 3, "hmm okay", -0.02f * (float)i);
		if (tl_find(&t, POLICY_TR_RAISED, "long_negative_call"))
			raised_at = i * 30 + 3;
	}
	ck_assert_int_eq(raised_at, 903);   /* first turn after 15 minutes */
	ck_assert_str_eq(t.tr[0].s.reason[0].signal, "duration");
	ck_assert_float_eq_tol(t.tr[0].s.reason[0].value, 15.05f, 1e-3);   /* minutes */
	/* the customer warms up: the slope rises past -0.02 + 0.1 and the
	 * suggestion clears once that has held for 30 s */
	tl_cust(&t, 930, 933, "oh good, that works", 0.6f);
	ck_assert_ptr_null(tl_find(&t, POLICY_TR_CLEARED, "long_negative_call"));
	ck_assert_uint_eq(tl_eval(&t, 962.9), 0);
	tl_eval(&t, 963);
	ck_assert_ptr_nonnull(tl_find(&t, POLICY_TR_CLEARED, "long_negative_call"));
	ck_assert_int_eq(t.tr[0].why, POLICY_CLR_RECOVERED);
	tl_close(&t);
}
END_TEST

START_TEST(end_of_call_rules)
{
	struct tl t;
	const struct policy_transition *f;

	tl_open(&t, UT_CH_VOICE);
	tl_cust(&t, 0, 3, "I want to speak to a manager", -0.5f);
	ck_assert_ptr_nonnull(tl_find(&t, POLICY_TR_RAISED, "escalation_request"));
	tl_cust(&t, 10, 13, "this is useless", -0.7f);
	tl_cust(&t, 20, 23, "goodbye", -0.7f);
	ck_assert_int_eq(call_end(t.c, AT(25)), CALL_OK);
	ck_assert_int_eq(call_end(t.c, AT(26)), CALL_ERR_ENDED);
	tl_eval(&t, 25);
	f = tl_find(&t, POLICY_TR_CLEARED, "escalation_request");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->why, POLICY_CLR_CALL_ENDED);
	f = tl_find(&t, POLICY_TR_RAISED, "ended_negative");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->s.kind, UT_SK_FOLLOW_UP);
	/* the last 60 s: -0.5, -0.7, -0.7 */
	ck_assert_float_eq_tol(f->s.reason[0].value, -1.9f / 3.0f, 1e-5);
	f = tl_find(&t, POLICY_TR_RAISED, "ended_very_negative");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->s.kind, UT_SK_REVIEW);
	ck_assert_uint_eq(tl_eval(&t, 30), 0);   /* once only */
	tl_close(&t);
}
END_TEST

START_TEST(abandoned_call_gets_end_rules)
{
	struct tl t;

	tl_open(&t, UT_CH_VOICE);
	tl_cust(&t, 0, 3, "this is hopeless", -0.7f);
	ck_assert(!call_tick(t.c, AT(60), 120000));
	ck_assert(call_tick(t.c, AT(123), 120000));
	ck_assert(!call_tick(t.c, AT(200), 120000));
	ck_assert_int_eq(t.c->state, UT_CS_ABANDONED);
	tl_eval(&t, 123);
	ck_assert_ptr_nonnull(tl_find(&t, POLICY_TR_RAISED, "ended_negative"));
	tl_close(&t);
}
END_TEST

/* A policy where only escalation phrases count, with weight 1, so that the
 * frustration figure is exactly the phrase strength (decaying). */
static void
controlled(struct tl *t, const char *rule)
{
	static char text[1024];

	snprintf(text, sizeof(text),
	    "[weights]\nnegativity = 0\nrepetition = 0\nescalation = 1\ninterruption = 0\n"
	    "pace = 0\nemphasis = 0\nsilence = 0\nvoice = 0\n"
	    "[signals]\nevent_half_life = 10\n"
	    "[escalation_phrases]\nalpha = 0.5\nbeta = 0.65\ngamma = 0.95\ndelta = 0.8\n%s", rule);
	tl_open(t, UT_CH_CHAT);
	ck_assert_int_eq(load(&t->pol, text), 0);
	ck_assert_int_eq(t->pol.errors + t->pol.warnings, 0);
}

#define FRULE "[rule f]\ntype = frustration\nat_least = 0.4\nfor = 0\n" \
	"hysteresis = 0.15\nclear_after = 10\ndismiss_margin = 0.2\nupdate_step = 0.1\n"

START_TEST(clear_on_recovery_with_hysteresis)
{
	struct tl t;
	double s, cleared = -1;

	controlled(&t, FRULE);
	tl_cust(&t, 0, 1, "delta", 0.0f);   /* 0.8, halving every 10 s */
	ck_assert_ptr_nonnull(tl_find(&t, POLICY_TR_RAISED, "f"));
	/* below 0.4 at 11 s but the clear needs < 0.25 (at 17.8 s) for 10 s */
	for (s = 1.5; s < 60 && cleared < 0; s += 0.5) {
		tl_eval(&t, s);
		if (tl_find(&t, POLICY_TR_CLEARED, "f"))
			cleared = s;
	}
	ck_assert_double_eq_tol(cleared, 28, 1e-9);
	ck_assert_int_eq(t.tr[0].why, POLICY_CLR_RECOVERED);
	tl_close(&t);
}
END_TEST

START_TEST(update_as_evidence_grows)
{
	struct tl t;
	const struct policy_transition *a, *b;
	char id[UT_ID_MAX + 1];

	controlled(&t, FRULE);
	tl_cust(&t, 0, 1, "alpha", 0.0f);
	a = tl_find(&t, POLICY_TR_RAISED, "f");
	ck_assert_ptr_nonnull(a);
	strcpy(id, a->s.id);
	tl_cust(&t, 2, 3, "alpha", 0.0f);    /* no growth: no update */
	ck_assert_uint_eq(t.ntr, 0);
	tl_cust(&t, 4, 5, "gamma", 0.0f);    /* 0.95: grew by >= 0.1 */
	b = tl_find(&t, POLICY_TR_UPDATED, "f");
	ck_assert_ptr_nonnull(b);
	ck_assert_str_eq(b->s.id, id);       /* same suggestion, same id */
	ck_assert_int_eq(b->s.raised_ms, AT(1));
	ck_assert_int_eq(b->s.updated_ms, AT(5));
	ck_assert_uint_eq(t.raised, 1);
	tl_close(&t);
}
END_TEST

START_TEST(dismissal_needs_the_margin)
{
	struct tl t;
	size_t n;
	char id[UT_ID_MAX + 1];

	controlled(&t, FRULE);
	tl_cust(&t, 0, 1, "alpha", 0.0f);
	ck_assert_ptr_nonnull(tl_find(&t, POLICY_TR_RAISED, "f"));
	strcpy(id, t.tr[0].s.id);
	ck_assert_int_eq(policy_decide(&t.pol, t.c, UT_DE_DISMISS, id, "lead", AT(2), 0,
	    t.tr, POLICY_TRANSITIONS_MAX, &n), POLICY_DECIDE_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(t.tr[0].kind, POLICY_TR_CLEARED);
	ck_assert_int_eq(t.tr[0].why, POLICY_CLR_DISMISSED);
	ck_assert_int_eq(policy_find_suggestion(&t.pol, t.c, id), -1);
	tl_cust(&t, 3, 4, "alpha", 0.0f);    /* same evidence: stays dismissed */
	tl_cust(&t, 5, 6, "beta", 0.0f);     /* 0.65 < 0.5 + 0.2 */
	ck_assert_uint_eq(t.raised, 1);
	tl_cust(&t, 7, 8, "gamma", 0.0f);    /* 0.95 >= 0.7: raised again */
	ck_assert_ptr_nonnull(tl_find(&t, POLICY_TR_RAISED, "f"));
	ck_assert_str_ne(t.tr[0].s.id, id);
	tl_close(&t);
}
END_TEST

START_TEST(snooze_and_human_clear)
{
	struct tl t;
	size_t n;
	char id[UT_ID_MAX + 1];

	controlled(&t, "[rule f]\ntype = frustration\nat_least = 0.1\nfor = 0\n"
	    "[policy]\nsuppress = 20\n[signals]\nevent_half_life = 3600\n");
	tl_cust(&t, 0, 1, "gamma", 0.0f);
	strcpy(id, t.tr[0].s.id);
	ck_assert_int_eq(policy_decide(&t.pol, t.c, UT_DE_SNOOZE, id, "lead", AT(2), AT(1),
	    t.tr, POLICY_TRANSITIONS_MAX, &n), POLICY_DECIDE_BAD_ARG);   /* in the past */
	ck_assert_int_eq(policy_decide(&t.pol, t.c, UT_DE_SNOOZE, id, "lead", AT(2), AT(30),
	    t.tr, POLICY_TRANSITIONS_MAX, &n), POLICY_DECIDE_OK);
	ck_assert_int_eq(t.tr[0].why, POLICY_CLR_SNOOZED);
	ck_assert_uint_eq(tl_eval(&t, 29.9), 0);
	ck_assert_uint_eq(tl_eval(&t, 30), 1);
	ck_assert_int_eq(t.tr[0].kind, POLICY_TR_RAISED);
	strcpy(id, t.tr[0].s.id);
	/* a human clear suppresses the rule for [policy] suppress seconds */
	ck_assert_int_eq(policy_decide(&t.pol, t.c, UT_DE_CLEAR, id, "lead", AT(31), 0,
	    t.tr, POLICY_TRANSITIONS_MAX, &n), POLICY_DECIDE_OK);
	ck_assert_int_eq(t.tr[0].why, POLICY_CLR_HUMAN);
	ck_assert_uint_eq(tl_eval(&t, 50.9), 0);
	ck_assert_uint_eq(tl_eval(&t, 51), 1);
	tl_close(&t);
}
END_TEST

START_TEST(claim_and_decision_errors)
{
	struct tl t;
	size_t n;
	char id[UT_ID_MAX + 1];

	controlled(&t, FRULE);
	tl_cust(&t, 0, 1, "gamma", 0.0f);
	strcpy(id, t.tr[0].s.id);
	ck_assert_str_eq(t.tr[0].s.claimed_by, "");
	ck_assert_int_eq(policy_decide(&t.pol, t.c, UT_DE_ACKNOWLEDGE, NULL, "", AT(2), 0,
	    t.tr, POLICY_TRANSITIONS_MAX, &n), POLICY_DECIDE_BAD_ARG);
	ck_assert_int_eq(policy_decide(&t.pol, t.c, UT_DE_ACKNOWLEDGE, NULL, "dana", AT(2), 0,
	    t.tr, POLICY_TRANSITIONS_MAX, &n), POLICY_DECIDE_OK);
	ck_assert_str_eq(t.c->pol.claimed_by, "dana");
	ck_assert_uint_eq(n, 1);   /* the active suggestion now shows the owner */
	ck_assert_int_eq(t.tr[0].kind, POLICY_TR_UPDATED);
	ck_assert_str_eq(t.tr[0].s.claimed_by, "dana");
	ck_assert_str_eq(t.tr[0].s.id, id);
	ck_assert_int_eq(policy_decide(&t.pol, t.c, UT_DE_ACCEPT, id, "dana", AT(3), 0,
	    t.tr, POLICY_TRANSITIONS_MAX, &n), POLICY_DECIDE_OK);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(policy_decide(&t.pol, t.c, UT_DE_DISMISS, "sg-0000000000000000", "dana",
	    AT(3), 0, t.tr, POLICY_TRANSITIONS_MAX, &n), POLICY_DECIDE_NO_SUGGESTION);
	ck_assert_int_eq(policy_decide(&t.pol, t.c, UT_DE_DISMISS, NULL, "dana",
	    AT(3), 0, t.tr, POLICY_TRANSITIONS_MAX, &n), POLICY_DECIDE_NO_SUGGESTION);
	ck_assert_int_eq(policy_decide(&t.pol, t.c, UT_DE_RAISE, id, "dana", AT(3), 0,
	    t.tr, POLICY_TRANSITIONS_MAX, &n), POLICY_DECIDE_UNSUPPORTED);
	ck_assert_int_eq(policy_decide(&t.pol, t.c, (enum ut_decision)99, id, "dana", AT(3), 0,
	    t.tr, POLICY_TRANSITIONS_MAX, &n), POLICY_DECIDE_BAD_ARG);
	tl_close(&t);
}
END_TEST

START_TEST(no_room_means_retry)
{
	struct tl t;
	struct call_utterance u;

	controlled(&t, FRULE);
	memset(&u, 0, sizeof(u));
	u.ts_ms = u.start_ms = u.end_ms = AT(1);
	u.text = "gamma";
	u.len = 5;
	ck_assert_int_eq(call_customer(t.c, &t.pol.sig, &u), CALL_OK);
	ck_assert_uint_eq(policy_eval(&t.pol, t.c, AT(1), t.tr, 0), 0);
	ck_assert_uint_eq(tl_eval(&t, 1), 1);
	ck_assert_int_eq(t.tr[0].kind, POLICY_TR_RAISED);
	ck_assert_int_eq(t.c->pol.rule[0].ordinal, 1);
	tl_close(&t);
}
END_TEST

START_TEST(repeated_request_updates_and_reraises)
{
	struct tl t;
	size_t n;
	char id[UT_ID_MAX + 1];

	tl_open(&t, UT_CH_CHAT);
	tl_cust(&t, 0, 1, "let me speak to a manager", -0.3f);
	ck_assert_ptr_nonnull(tl_find(&t, POLICY_TR_RAISED, "escalation_request"));
	strcpy(id, tl_find(&t, POLICY_TR_RAISED, "escalation_request")->s.id);
	ck_assert_int_eq(policy_decide(&t.pol, t.c, UT_DE_DISMISS, id, "lead", AT(2), 0,
	    t.tr, POLICY_TRANSITIONS_MAX, &n), POLICY_DECIDE_OK);
	tl_cust(&t, 5, 6, "I said get me a supervisor", -0.5f);
	ck_assert_ptr_nonnull(tl_find(&t, POLICY_TR_RAISED, "escalation_request"));
	tl_close(&t);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("policy");
	TCase *file = tcase_create("file"), *rules = tcase_create("rules");

	tcase_add_test(file, default_file_is_the_builtin);
	tcase_add_test(file, diagnostics_with_lines);
	tcase_add_test(file, hostile_lines);
	tcase_add_test(file, too_many_rules_and_phrases);
	tcase_add_test(file, random_files_are_survivable);
	tcase_add_test(rules, double_charge_escalates_at_the_request);
	tcase_add_test(rules, calm_call_raises_nothing);
	tcase_add_test(rules, frustration_held_for_duration);
	tcase_add_test(rules, drop_raises_and_clears_with_hysteresis);
	tcase_add_test(rules, long_negative_call);
	tcase_add_test(rules, end_of_call_rules);
	tcase_add_test(rules, abandoned_call_gets_end_rules);
	tcase_add_test(rules, clear_on_recovery_with_hysteresis);
	tcase_add_test(rules, update_as_evidence_grows);
	tcase_add_test(rules, dismissal_needs_the_margin);
	tcase_add_test(rules, snooze_and_human_clear);
	tcase_add_test(rules, claim_and_decision_errors);
	tcase_add_test(rules, no_room_means_retry);
	tcase_add_test(rules, repeated_request_updates_and_reraises);
	suite_add_tcase(s, file);
	suite_add_tcase(s, rules);
	return ut_check_run(s);
}
