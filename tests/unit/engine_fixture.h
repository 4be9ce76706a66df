/* engine_fixture: the engine configuration the analyzer's unit tests share:
 * the built-in policy and lexicon, a 120-point trend, 4 updates/s per call,
 * abandonment after 1 min, ended calls kept 10 s, a 1 s heartbeat, replay
 * (event) clock. A test changes what it needs before engine_new(). */
#ifndef UT_ENGINE_FIXTURE_H
#define UT_ENGINE_FIXTURE_H

#include <stdio.h>
#include <string.h>
#include "engine.h"

static inline void
engine_fixture_config(struct engine_config *c, struct policy *pol, uint32_t max_calls,
    uint32_t max_sugs)
{
	memset(c, 0, sizeof(*c));
	policy_default(pol);
	c->policy = pol;
	c->lex = lexicon_builtin();
	snprintf(c->pub, sizeof(c->pub), "test");
	c->trend_len = 120;
	c->rate = 4;
	c->max_calls = max_calls;
	c->max_suggestions = max_sugs;
	c->abandon_ms = 60000;
	c->retain_ms = 10000;
	c->heartbeat_ms = 1000;
	c->event_clock = true;
}

#endif
