/* policy internals shared by policy*.c (not a public header). */
#ifndef UNDERTONE_POLICY_INTERNAL_H
#define UNDERTONE_POLICY_INTERNAL_H

#include "undertone/policy.h"

/* Fill r with the defaults of its type (name, tip and enabled untouched). */
void policy_rule_defaults(struct policy_rule *r, enum policy_rule_type t);

/* The rule's metric on c at now: larger is worse (see undertone-policy(5)). */
float policy_metric(const struct policy *p, const struct call *c, int r, int64_t now_ms);

/* Write one transition for rule r if there is room; 1 written, 0 no room. */
int policy_emit(const struct policy *p, const struct call *c, int r, int64_t now_ms,
    enum policy_transition_kind k, enum policy_clear_reason why,
    struct policy_transition *out, size_t max, size_t *n);

#endif
