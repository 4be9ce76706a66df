/*
 * policy: suggestion rules, their INI file, and their evaluation per call.
 *
 * Contract: a policy is a version string, the signal tunables (weights,
 * half-lives, escalation phrases) and up to POLICY_RULES_MAX rules. The
 * built-in default (policy_default) is documented in undertone-policy(5) and
 * mirrored in data/policy/default.ini. policy_load_file/_string parse INI via
 * inih: a bad line is reported as file:line, an unknown key or section is a
 * warning, a bad value is reported and the key keeps its default. The only
 * I/O in this module is reading the policy file.
 *
 * policy_eval() is called after every event applied to a call and at least
 * once a second per live call (the daemon's tick), with now_ms on the event
 * clock (see call.h). It returns transitions
 * (raised / updated / cleared) into a caller buffer; suggestions are
 * de-duplicated per call and rule, updated when their metric grows by
 * update_step or severity changes, and cleared with hysteresis (see
 * undertone-policy(5)). Decisions feed back through policy_decide().
 * Suggestions are the only output: nothing here acts on a call.
 *
 * A call's suggestion state is indexed by rule position: evaluate a call
 * with the same policy for its whole life (a new policy is for new calls).
 */
#ifndef UNDERTONE_POLICY_H
#define UNDERTONE_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "undertone/model.h"
#include "undertone/signals.h"
#include "undertone/call.h"

#define POLICY_RULES_MAX    CALL_RULES_MAX
#define POLICY_NAME_MAX     32     /* rule name bytes */
#define POLICY_VERSION_MAX  UT_ID_MAX
#define POLICY_SIGNAL_MAX   24     /* reason signal name bytes */
#define POLICY_FILE_MAX     (1u << 20)  /* largest policy file read */
#define POLICY_TRANSITIONS_MAX (2 * POLICY_RULES_MAX)  /* per eval/decide */

enum policy_rule_type {
	POLICY_RT_DROP,               /* sentiment fell by >= drop within window */
	POLICY_RT_FRUSTRATION,        /* frustration >= threshold for >= duration */
	POLICY_RT_ESCALATION_REQUEST, /* explicit request ("speak to a manager") */
	POLICY_RT_LONG_CALL,          /* duration >= minutes with negative trend */
	POLICY_RT_END_SENTIMENT,      /* end sentiment <= threshold at call end */
	POLICY_RT__COUNT
};

struct policy_rule {
	char name[POLICY_NAME_MAX + 1];
	enum policy_rule_type type;
	enum ut_suggestion_kind kind;
	int severity;                 /* 1..3 */
	bool enabled;
	char tip[UT_TIP_MAX + 1];     /* "" = none */
	float threshold;    /* drop: D; frustration: F; escalation: min strength; end: E */
	float window_s;     /* drop: W; frustration: T (hold); long_call: L minutes x 60 */
	float slope_max;    /* long_call: slope per minute at or below */
	float ewma_max;     /* long_call: smoothed sentiment at or below */
	float hysteresis;   /* clear when the metric is this far back past the threshold */
	float clear_after_s;/* ...continuously for this long */
	float update_step;  /* metric growth that publishes an update */
	float dismiss_margin;  /* metric growth past the dismissed value to re-raise */
};

struct policy {
	char version[POLICY_VERSION_MAX + 1];
	char source[128];             /* "built-in" or the file name (clipped) */
	struct signals_config sig;
	float suppress_s;             /* default suppression after a human clear (300) */
	struct policy_rule rule[POLICY_RULES_MAX];
	int nrules;
	int errors, warnings;         /* from the last load */
};

enum policy_diag_level { POLICY_DIAG_WARNING, POLICY_DIAG_ERROR };

/* Diagnostic callback: file is the name given to the loader, line 0 when
 * not tied to a line. msg has no trailing newline. */
typedef void (*policy_diag_fn)(void *ud, enum policy_diag_level level,
    const char *file, int line, const char *msg);

/* The documented built-in default policy. */
void policy_default(struct policy *p);

/* Load a policy file. Starts from the built-in default signal tunables and
 * NO rules unless the file has none (then the default rules are kept, with a
 * warning). Returns 0 when loaded (possibly with warnings/errors reported
 * through diag and counted in p->errors/warnings), -1 when the file cannot
 * be read or is larger than POLICY_FILE_MAX (p is then the default).
 * diag may be NULL. */
int policy_load_file(struct policy *p, const char *path, policy_diag_fn diag, void *ud);

/* Same, from memory; name is used in diagnostics. */
int policy_load_string(struct policy *p, const char *text, size_t len,
    const char *name, policy_diag_fn diag, void *ud);

const char *policy_rule_type_name(enum policy_rule_type t);
int policy_rule_type_parse(const char *s, size_t len);

/* Index of the rule with this name, -1 if none. */
int policy_rule_find(const struct policy *p, const char *name);

/* ---- suggestions ---- */

#define POLICY_RS_ACTIVE    0x01u   /* raised and not cleared */
#define POLICY_RS_DISMISSED 0x02u   /* dismissed: re-raise needs the margin */
#define POLICY_RS_ACCEPTED  0x04u   /* a lead accepted it */
#define POLICY_RS_FIRED     0x08u   /* one-shot rule already evaluated */

struct policy_reason {
	char signal[POLICY_SIGNAL_MAX + 1];  /* "frustration", "repetition", "sentiment_drop"... */
	float value;
	char evidence[UT_PHRASE_MAX + 1];    /* "repeated 'charged twice' x3" */
};

struct policy_suggestion {
	char id[UT_ID_MAX + 1];        /* stable: "sg-" + 16 hex digits */
	char call[UT_ID_MAX + 1];
	char rule[POLICY_NAME_MAX + 1];
	enum ut_suggestion_kind kind;
	int severity;
	int nreasons;
	struct policy_reason reason[UT_REASONS_MAX];
	int64_t raised_ms, updated_ms;
	char policy_version[POLICY_VERSION_MAX + 1];
	char tip[UT_TIP_MAX + 1];
	char claimed_by[UT_ID_MAX + 1];
};

enum policy_transition_kind { POLICY_TR_RAISED, POLICY_TR_UPDATED, POLICY_TR_CLEARED };

enum policy_clear_reason {
	POLICY_CLR_NONE,         /* not a clear */
	POLICY_CLR_RECOVERED,    /* conditions recovered (with hysteresis) */
	POLICY_CLR_CALL_ENDED,   /* live suggestion at call end/abandonment */
	POLICY_CLR_DISMISSED,    /* a lead dismissed it */
	POLICY_CLR_SNOOZED,      /* a lead snoozed it */
	POLICY_CLR_HUMAN         /* a lead cleared it (suppressed for a time) */
};

struct policy_transition {
	enum policy_transition_kind kind;
	enum policy_clear_reason why;
	struct policy_suggestion s;
};

const char *policy_transition_name(enum policy_transition_kind k);
const char *policy_clear_reason_name(enum policy_clear_reason r);

/* Evaluate every rule for c at now_ms (event time or the tick's clock, never
 * before c->last_ms in practice). Writes at most max transitions; returns
 * the number written. Pass max >= POLICY_TRANSITIONS_MAX to never miss one
 * (a transition that does not fit is retried on the next evaluation). */
size_t policy_eval(const struct policy *p, struct call *c, int64_t now_ms,
    struct policy_transition *out, size_t max);

/* Fill s with the current suggestion of rule r on c (active or not). */
void policy_suggestion_fill(const struct policy *p, const struct call *c, int r,
    int64_t now_ms, struct policy_suggestion *s);

/* Rule index of an active suggestion id on c, -1 if none. */
int policy_find_suggestion(const struct policy *p, const struct call *c, const char *id);

enum policy_decide_err {
	POLICY_DECIDE_OK = 0,
	POLICY_DECIDE_NO_SUGGESTION = -1,  /* id unknown or not active */
	POLICY_DECIDE_BAD_ARG = -2,        /* missing who/until, bad decision */
	POLICY_DECIDE_UNSUPPORTED = -3     /* raise/tag: not a policy matter */
};

/* Apply a lead's decision:
 *  ACKNOWLEDGE: who claims the call (suggestion_id may be NULL);
 *  ACCEPT: marks the suggestion accepted (it stays until it clears);
 *  DISMISS: clears it; not raised again on this call unless its metric
 *           exceeds the dismissed value by the rule's dismiss_margin;
 *  SNOOZE: clears it until until_ms, then it may raise again;
 *  CLEAR: clears it and suppresses the rule on this call until until_ms
 *         (0 = p->suppress_s from now).
 * Clears are written to out (max >= 1). *nout gets the count. */
enum policy_decide_err policy_decide(const struct policy *p, struct call *c,
    enum ut_decision d, const char *suggestion_id, const char *who,
    int64_t now_ms, int64_t until_ms, struct policy_transition *out,
    size_t max, size_t *nout);

#endif
