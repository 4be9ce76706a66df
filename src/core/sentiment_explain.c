/* sentiment_explain: render an explanation for supervisors (see sentiment.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "undertone/sentiment.h"
#include "undertone/utf8.h"

struct out {
	char *buf;
	size_t cap, len;  /* len counts what would have been written */
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;
	size_t room = o->len < o->cap ? o->cap - o->len : 0;

	va_start(ap, fmt);
	n = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

static void
put_rules(struct out *o, unsigned rules)
{
	unsigned r;
	int first = 1;

	for (r = 1; r <= SENTIMENT_R_PHRASE; r <<= 1) {
		if (!(rules & r) || r == SENTIMENT_R_PHRASE)
			continue;  /* a phrase shows as its quoted words */
		put(o, "%s%s", first ? " (" : ", ", sentiment_rule_name((enum sentiment_rule)r));
		first = 0;
	}
	if (!first)
		put(o, ")");
}

size_t
sentiment_explain_format(const struct sentiment_explain *ex, char *buf, size_t cap)
{
	struct out o = { buf, cap, 0 };
	const struct sentiment_item *it;
	size_t i;

	if (cap > 0)
		buf[0] = '\0';
	if (ex->nitems == 0)
		put(&o, "no scoring words");
	for (i = 0; i < ex->nitems; i++) {
		it = &ex->items[i];
		put(&o, "%s\"%s\" ", i ? "; " : "", it->text);
		if (it->rules & ~(unsigned)SENTIMENT_R_PHRASE)
			put(&o, "%+.1f->%+.1f", it->base, it->value);
		else
			put(&o, "%+.1f", it->value);
		put_rules(&o, it->rules);
	}
	if (ex->nomitted)
		put(&o, "; +%zu more", ex->nomitted);
	if (ex->punct != 0)
		put(&o, "; %s%s %+.2f", ex->exclaims ? "!" : "", ex->questions > 1 ? "?" : "",
		    ex->punct);
	/* Clip on a code point so a cut item never leaves broken UTF-8. */
	if (cap > 0 && o.len >= cap)
		buf[utf8_clip(buf, strlen(buf), cap - 1)] = '\0';
	return o.len;
}
