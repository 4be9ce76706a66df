/* view_cells: column layout by width and the text each cell shows. */
#include "view.h"

#include <stdio.h>
#include <string.h>

#include "undertone/textsafe.h"
#include "undertone/utf8.h"

struct col_spec {
	const char *name, *title;
	int min, pref;
};

static const struct col_spec specs[VC__COUNT] = {
	[VC_FLAG]    = { "flag",    "FLAG",   4, 4 },
	[VC_ID]      = { "call",    "CALL",   8, 14 },
	[VC_AGENT]   = { "agent",   "AGENT",  8, 16 },
	[VC_QUEUE]   = { "queue",   "QUEUE",  6, 10 },
	[VC_CHANNEL] = { "channel", "CHAN",   5, 6 },
	[VC_DUR]     = { "duration", "DUR",   5, 7 },
	[VC_SENT]    = { "sentiment", "SENT", 5, 5 },
	[VC_TREND]   = { "trend",   "TREND",  10, 24 },
	[VC_FRUST]   = { "frustration", "FRUST", 7, 14 },
	[VC_REASON]  = { "reason",  "REASON", 16, 4096 },
};

/* Dropped first when the screen is narrow. */
static const enum view_col drop_order[] = {
	VC_CHANNEL, VC_QUEUE, VC_DUR, VC_AGENT, VC_TREND, VC_FRUST, VC_REASON };
/* Extra width goes to these first, up to their preferred width. */
static const enum view_col grow_order[] = {
	VC_ID, VC_QUEUE, VC_AGENT, VC_FRUST, VC_TREND, VC_DUR, VC_CHANNEL, VC_FLAG, VC_SENT };

const char *view_col_title(enum view_col c) { return (unsigned)c < VC__COUNT ? specs[c].title : "?"; }

int view_col_parse(const char *name)
{
	for (int i = 0; i < VC__COUNT; i++)
		if (strcmp(name, specs[i].name) == 0)
			return i;
	return -1;
}

static int total_min(const struct view_layout *l)
{
	int w = l->n > 0 ? l->n - 1 : 0;
	for (int i = 0; i < l->n; i++)
		w += specs[l->col[i]].min;
	return w;
}

static void drop_col(struct view_layout *l, enum view_col c)
{
	for (int i = 0; i < l->n; i++)
		if (l->col[i] == c) {
			memmove(l->col + i, l->col + i + 1, (size_t)(l->n - i - 1) * sizeof *l->col);
			l->n--;
			return;
		}
}

static int find_col(const struct view_layout *l, enum view_col c)
{
	for (int i = 0; i < l->n; i++)
		if (l->col[i] == c)
			return i;
	return -1;
}

void view_layout(struct view_layout *l, int screen_width, const enum view_col *cols, int ncols)
{
	memset(l, 0, sizeof *l);
	bool seen[VC__COUNT] = { false };
	if (!cols || ncols <= 0) {
		for (int i = 0; i < VC__COUNT; i++)
			l->col[l->n++] = (enum view_col)i;
	} else {
		for (int i = 0; i < ncols && l->n < VC__COUNT; i++)
			if ((unsigned)cols[i] < VC__COUNT && !seen[cols[i]]) {
				seen[cols[i]] = true;
				l->col[l->n++] = cols[i];
			}
	}
	for (size_t k = 0; k < sizeof drop_order / sizeof *drop_order &&
	     total_min(l) > screen_width; k++)
		drop_col(l, drop_order[k]);
	while (l->n > 1 && total_min(l) > screen_width)
		l->n--;
	for (int i = 0; i < l->n; i++)
		l->width[i] = specs[l->col[i]].min;
	int extra = screen_width - total_min(l);
	for (size_t k = 0; k < sizeof grow_order / sizeof *grow_order && extra > 0; k++) {
		int i = find_col(l, grow_order[k]);
		if (i < 0)
			continue;
		int add = specs[l->col[i]].pref - l->width[i];
		if (add > extra)
			add = extra;
		l->width[i] += add;
		extra -= add;
	}
	if (extra > 0 && l->n > 0) {
		int i = find_col(l, VC_REASON);
		l->width[i >= 0 ? i : l->n - 1] += extra;
	}
	int x = 0;
	for (int i = 0; i < l->n; i++) {
		l->x[i] = x;
		x += l->width[i] + 1;
	}
}

char *view_fit(const char *s, int width, bool ascii, char *out, size_t outsz)
{
	unsigned fl = TEXTSAFE_PAD | TEXTSAFE_ELLIPSIS | (ascii ? TEXTSAFE_ASCII : 0);
	textsafe_fit(s, strlen(s), width < 0 ? 0 : (size_t)width, fl, out, outsz, NULL);
	return out;
}

static char *fit_right(const char *s, int width, char *out, size_t outsz)
{
	textsafe_fit(s, strlen(s), width < 0 ? 0 : (size_t)width,
		TEXTSAFE_PAD | TEXTSAFE_RIGHT, out, outsz, NULL);
	return out;
}

char *view_fmt_dur(int64_t ms, char *out, size_t outsz)
{
	if (ms < 0)
		ms = 0;
	long long s = (long long)(ms / 1000);
	if (s >= 3600)
		snprintf(out, outsz, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(out, outsz, "%lld:%02lld", s / 60, s % 60);
	return out;
}

const char *view_sev_marker(int severity)
{
	switch (severity) {
	case 3: return "!!!";
	case 2: return "!! ";
	case 1: return "!  ";
	default: return "   ";
	}
}

int view_frust_level(float value) { return value >= 0.7f ? 2 : value >= 0.4f ? 1 : 0; }

static float clamp1(float x)
{
	if (!(x == x))
		return 0; /* NaN */
	return x < -1 ? -1 : x > 1 ? 1 : x;
}

static signed char sign_of(float x) { return x >= 0.1f ? 1 : x <= -0.1f ? -1 : 0; }

/* Braille dots per half-cell, baseline between rows 2 and 3. */
static unsigned braille_bits(float x, bool right)
{
	static const unsigned rows[2][4] = { { 0x01, 0x02, 0x04, 0x40 }, { 0x08, 0x10, 0x20, 0x80 } };
	const unsigned *r = rows[right];
	if (x >= 0.5f)
		return r[0] | r[1];
	if (x >= 0)
		return r[1];
	if (x > -0.5f)
		return r[2];
	return r[2] | r[3];
}

static size_t put_cp(char *out, size_t pos, size_t outsz, uint32_t cp)
{
	char buf[4];
	size_t n = utf8_encode(cp, buf);
	if (pos + n + 1 > outsz)
		return pos;
	memcpy(out + pos, buf, n);
	return pos + n;
}

int view_sparkline(const float *vals, int n, int cells, enum view_glyphs g,
	char *out, size_t outsz, signed char *sign)
{
	static const uint32_t blocks[8] = { 0x2581, 0x2582, 0x2583, 0x2584, 0x2585, 0x2586, 0x2587, 0x2588 };
	static const char ascii[] = "_.-~^";
	size_t pos = 0;
	if (cells < 0)
		cells = 0;
	if (n < 0)
		n = 0;
	int per = g == VIEW_GLYPH_BRAILLE ? 2 : 1;
	int want = cells * per;
	int have = n < want ? n : want;
	int missing = want - have; /* the newest point sits in the last cell */
	for (int c = 0; c < cells; c++) {
		bool has[2] = { false, false };
		float v[2] = { 0, 0 };
		for (int h = 0; h < per; h++) {
			int k = c * per + h - missing;
			if (k >= 0) {
				has[h] = true;
				v[h] = clamp1(vals[n - have + k]);
			}
		}
		signed char sg = 0;
		if (!has[0] && !has[1]) {
			pos = put_cp(out, pos, outsz, ' ');
		} else if (g == VIEW_GLYPH_BRAILLE) {
			unsigned bits = (has[0] ? braille_bits(v[0], false) : 0) |
				(has[1] ? braille_bits(v[1], true) : 0);
			float m = !has[0] ? v[1] : (v[0] * v[0] > v[1] * v[1] ? v[0] : v[1]);
			sg = sign_of(m);
			pos = put_cp(out, pos, outsz, 0x2800 + bits);
		} else if (g == VIEW_GLYPH_BLOCKS) {
			int lvl = (int)((v[0] + 1) / 2 * 7.999f);
			sg = sign_of(v[0]);
			pos = put_cp(out, pos, outsz, blocks[lvl]);
		} else {
			int lvl = (int)((v[0] + 1) / 2 * 4.999f);
			sg = sign_of(v[0]);
			pos = put_cp(out, pos, outsz, (uint32_t)ascii[lvl]);
		}
		if (sign)
			sign[c] = sg;
	}
	if (outsz)
		out[pos] = '\0';
	return cells;
}

void view_bar(float value, int cells, bool ascii, char *out, size_t outsz)
{
	static const uint32_t part[8] = { 0, 0x258F, 0x258E, 0x258D, 0x258C, 0x258B, 0x258A, 0x2589 };
	if (!(value == value) || value < 0)
		value = 0;
	if (value > 1)
		value = 1;
	int eighths = (int)(value * (float)cells * 8 + 0.5f);
	size_t pos = 0;
	for (int c = 0; c < cells; c++) {
		int e = eighths - c * 8;
		uint32_t cp;
		if (ascii)
			cp = e >= 8 ? '#' : e >= 4 ? '+' : '.';
		else
			cp = e >= 8 ? 0x2588 : e > 0 ? part[e] : ' ';
		pos = put_cp(out, pos, outsz, cp);
	}
	if (outsz)
		out[pos] = '\0';
}

static void cell_flag(const struct view_call *c, char *buf, size_t sz)
{
	/* '?': the analyzer owning this call is not heard (values may be old). */
	char mark = c->stale ? '?' : c->human_flag ? 'H' : c->suppressed ? '~' : c->pending ? '*' : ' ';
	int sev = view_call_severity(c);
	snprintf(buf, sz, "%c%s", mark, view_sev_marker(sev));
}

static int64_t live_duration(const struct view_call *c, int64_t now)
{
	int64_t d = c->duration_ms;
	if ((c->state == UT_CS_ACTIVE || c->state == UT_CS_HOLD) && c->updated_local_ms &&
	    now > c->updated_local_ms)
		d += now - c->updated_local_ms;
	return d;
}

char *view_cell(const struct view_call *c, enum view_col col, int width,
	const struct view_style *st, char *out, size_t outsz)
{
	char buf[UT_PHRASE_MAX * 4 + 64];
	float pts[VIEW_TREND_MAX];
	if (width < 0)
		width = 0;
	switch (col) {
	case VC_FLAG:
		cell_flag(c, buf, sizeof buf);
		return view_fit(buf, width, true, out, outsz);
	case VC_ID:
		return view_fit(c->id, width, st->ascii, out, outsz);
	case VC_AGENT:
		return view_fit(c->agent, width, st->ascii, out, outsz);
	case VC_QUEUE:
		return view_fit(c->queue, width, st->ascii, out, outsz);
	case VC_CHANNEL:
		return view_fit(c->channel >= 0 ? model_channel_name((enum ut_channel)c->channel) : "?",
			width, true, out, outsz);
	case VC_DUR:
		return fit_right(view_fmt_dur(live_duration(c, st->now_ms), buf, sizeof buf), width, out, outsz);
	case VC_SENT:
		snprintf(buf, sizeof buf, "%+.2f", (double)clamp1(c->sentiment));
		return fit_right(buf, width, out, outsz);
	case VC_TREND: {
		int n = view_call_trend(c, pts, NULL, VIEW_TREND_MAX);
		enum view_glyphs g = st->ascii ? VIEW_GLYPH_ASCII : st->glyphs;
		view_sparkline(pts, n, width, g, out, outsz, NULL);
		return out;
	}
	case VC_FRUST: {
		int bw = width - 4;
		float f = c->frustration;
		if (!(f == f) || f < 0)
			f = 0;
		if (f > 1)
			f = 1;
		view_bar(f, bw > 0 ? bw : 0, st->ascii, buf, sizeof buf);
		size_t used = strlen(buf);
		snprintf(buf + used, sizeof buf - used, "%s%3d", bw > 0 ? " " : "", (int)(f * 100 + 0.5f));
		return view_fit(buf, width, st->ascii, out, outsz);
	}
	case VC_REASON:
		if (c->suppressed && !c->human_flag)
			snprintf(buf, sizeof buf, "(flag %s by a lead) %s",
				c->downgrade_to ? "downgraded" : "cleared", c->top_reason);
		else
			snprintf(buf, sizeof buf, "%s", c->top_reason);
		return view_fit(buf, width, st->ascii, out, outsz);
	default:
		return view_fit("", width, true, out, outsz);
	}
}
