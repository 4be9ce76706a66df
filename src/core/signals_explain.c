/* signals: evidence text for each component and the composite explanation. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "undertone/utf8.h"
#include "signals_internal.h"

/* snprintf that reports the length actually written (never more than len-1). */
static size_t put(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static size_t
put(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (len == 0)
		return 0;
	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	if (n < 0) {
		buf[0] = '\0';
		return 0;
	}
	if ((size_t)n >= len) {   /* truncated: back off to a code point boundary */
		size_t k = utf8_clip(buf, len - 1, len - 1);

		buf[k] = '\0';
		return k;
	}
	return (size_t)n;
}

static size_t
duration_text(char *buf, size_t len, int32_t ms)
{
	int32_t s = ms / 1000;

	if (s >= 60)
		return put(buf, len, "%dm%02ds", s / 60, s % 60);
	return put(buf, len, "%ds", s);
}

static size_t
silence_evidence(const struct signals_state *s, const struct signals_config *cfg,
    int32_t now, char *buf, size_t len)
{
	char d[24];
	int is_hold, ongoing;
	int32_t l;

	signals_silence_detail(s, cfg, now, &is_hold, &ongoing, &l);
	if (l <= 0)
		return put(buf, len, "%s", "");
	duration_text(d, sizeof(d), l);
	if (is_hold)
		return put(buf, len, ongoing ? "on hold for %s" : "hold of %s", d);
	return put(buf, len, ongoing ? "silent for %s" : "silence of %s before a reply", d);
}

static size_t
emphasis_evidence(const struct signals_state *s, char *buf, size_t len)
{
	char bangs[8];
	unsigned i, n = s->excl_run > 5 ? 5 : s->excl_run;

	for (i = 0; i < n; i++)
		bangs[i] = '!';
	bangs[n] = '\0';
	if (s->caps_words >= 2 && n >= 2)
		return put(buf, len, "%u of %u words in capitals, '%s'", s->caps_words,
		    s->words_last, bangs);
	if (s->caps_words >= 2)
		return put(buf, len, "%u of %u words in capitals", s->caps_words, s->words_last);
	return put(buf, len, "'%s'", bangs);
}

static size_t
voice_evidence(const struct signals_state *s, char *buf, size_t len)
{
	float pct = s->pitch_base > 0.0f ? (s->pitch_last / s->pitch_base - 1.0f) * 100.0f : 0.0f;

	return put(buf, len, "loudness %+.1f dB, pitch %+.0f%% vs own baseline",
	    (double)(s->loud_last - s->loud_base), (double)pct);
}

size_t
signals_evidence(const struct signals_state *s, const struct signals_config *cfg,
    enum ut_component c, int64_t now_ms, char *buf, size_t len)
{
	int32_t now = signals_offset(s, now_ms);
	const char *phrase;

	if (len == 0)
		return 0;
	buf[0] = '\0';
	if (signals_component_value(s, cfg, c, now) <= 0.0f)
		return 0;
	switch (c) {
	case UT_FC_NEGATIVITY:
		return put(buf, len, "sentiment trend %.2f, %d of last %d turns negative",
		    (double)s->ewma, __builtin_popcount(s->neg_mask), s->turns < 8 ? s->turns : 8);
	case UT_FC_REPETITION:
		return put(buf, len, "repeated '%s' x%u", s->repeat_text, s->repeat_count);
	case UT_FC_ESCALATION:
		phrase = signals_escalation_phrase(s, cfg);
		return put(buf, len, "'%s'", phrase ? phrase : "?");
	case UT_FC_INTERRUPTION:
		return put(buf, len, "%u interruption%s of the agent", s->interruptions,
		    s->interruptions == 1 ? "" : "s");
	case UT_FC_PACE:
		return put(buf, len, "%.1f words/s vs own %.1f", (double)s->pace_last,
		    (double)s->pace_base);
	case UT_FC_EMPHASIS:
		return emphasis_evidence(s, buf, len);
	case UT_FC_SILENCE:
		return silence_evidence(s, cfg, now, buf, len);
	case UT_FC_VOICE:
		return voice_evidence(s, buf, len);
	default:
		return 0;
	}
}

size_t
signals_explain(const struct signals_state *s, const struct signals_config *cfg,
    const struct signals_frustration *f, int64_t now_ms, char *buf, size_t len)
{
	int order[UT_FC__COUNT], n = 0, i, j, t;
	char ev[UT_PHRASE_MAX + 1];
	size_t w;

	if (len == 0)
		return 0;
	for (i = 0; i < UT_FC__COUNT; i++)
		if (f->comp[i].contribution >= 0.005f)
			order[n++] = i;
	for (i = 1; i < n; i++)   /* insertion sort, largest contribution first */
		for (j = i; j > 0 && f->comp[order[j]].contribution >
		    f->comp[order[j - 1]].contribution; j--)
			t = order[j], order[j] = order[j - 1], order[j - 1] = t;
	w = put(buf, len, "frustration %.2f%s", (double)f->value, f->capped ? " (capped at 1)" : "");
	if (n == 0)
		return w + put(buf + w, len - w, " (no signals)");
	for (i = 0; i < n && w < len - 1; i++) {
		signals_evidence(s, cfg, (enum ut_component)order[i], now_ms, ev, sizeof(ev));
		w += put(buf + w, len - w, ev[0] ? "%s%s %.2f (%s)" : "%s%s %.2f%s",
		    i ? " + " : " = ", model_component_name((enum ut_component)order[i]),
		    (double)f->comp[order[i]].contribution, ev);
	}
	return w;
}
