/* view: calls, suggestions, decisions; rows, sort, filter, selection. */
#include "view.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

struct view {
	struct view_call **calls;   /* storage, unordered */
	size_t ncalls, capcalls;
	struct view_call **index;   /* open addressing by id, NULL = empty */
	size_t idxcap;              /* power of two */
	struct view_call **order;   /* visible rows */
	size_t nrows, caprows;
	struct view_sugg *sugg;
	size_t nsugg;
	struct view_decision dec[VIEW_DEC_MAX];
	size_t dec_head, ndec;      /* ring: next write at dec_head */
	enum view_sort sort;
	char filter[VIEW_FILTER_MAX + 1];
	bool flagged_only;
	bool dirty;
	int64_t last_key_ms;
	char sel_id[UT_ID_MAX + 1];
	long sel_row;
	size_t top;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

struct view *view_new(void)
{
	struct view *v = calloc(1, sizeof *v);
	if (!v)
		return NULL;
	v->idxcap = 1024;
	v->index = calloc(v->idxcap, sizeof *v->index);
	v->sugg = calloc(VIEW_SUGG_MAX, sizeof *v->sugg);
	if (!v->index || !v->sugg) {
		view_free(v);
		return NULL;
	}
	v->sel_row = -1;
	return v;
}

void view_free(struct view *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->ncalls; i++)
		free(v->calls[i]);
	free(v->calls);
	free(v->index);
	free(v->order);
	free(v->sugg);
	free(v);
}

static size_t idx_slot(const struct view *v, const char *id)
{
	size_t mask = v->idxcap - 1, i = (size_t)hash_str(id) & mask;
	while (v->index[i] && strcmp(v->index[i]->id, id) != 0)
		i = (i + 1) & mask;
	return i;
}

static bool idx_grow(struct view *v)
{
	size_t ncap = v->idxcap * 2;
	struct view_call **n = calloc(ncap, sizeof *n);
	if (!n)
		return false;
	struct view_call **old = v->index;
	size_t ocap = v->idxcap;
	v->index = n;
	v->idxcap = ncap;
	for (size_t i = 0; i < ocap; i++)
		if (old[i])
			v->index[idx_slot(v, old[i]->id)] = old[i];
	free(old);
	return true;
}

/* Backward-shift deletion keeps probe chains intact without tombstones. */
static void idx_delete(struct view *v, size_t i)
{
	size_t mask = v->idxcap - 1, j = i;
	v->index[i] = NULL;
	for (;;) {
		j = (j + 1) & mask;
		if (!v->index[j])
			return;
		size_t home = (size_t)hash_str(v->index[j]->id) & mask;
		bool between = (i <= j) ? (i < home && home <= j) : (i < home || home <= j);
		if (!between) {
			v->index[i] = v->index[j];
			v->index[j] = NULL;
			i = j;
		}
	}
}

static bool push_ptr(struct view_call ***arr, size_t *n, size_t *cap, struct view_call *c)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 256;
		struct view_call **p = realloc(*arr, nc * sizeof *p);
		if (!p)
			return false;
		*arr = p;
		*cap = nc;
	}
	(*arr)[(*n)++] = c;
	return true;
}

struct view_call *view_call_get(struct view *v, const char *id, bool create)
{
	size_t i = idx_slot(v, id);
	if (v->index[i] || !create)
		return v->index[i];
	if (v->ncalls >= VIEW_CALLS_MAX || strlen(id) > UT_ID_MAX)
		return NULL;
	if ((v->ncalls + 1) * 2 > v->idxcap) {
		if (!idx_grow(v))
			return NULL;
		i = idx_slot(v, id);
	}
	struct view_call *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	strcpy(c->id, id);
	c->channel = -1;
	if (!push_ptr(&v->calls, &v->ncalls, &v->capcalls, c)) {
		free(c);
		return NULL;
	}
	v->index[i] = c;
	/* Appended at once so it shows even while the order is frozen. */
	if (view_matches(v, c) && !push_ptr(&v->order, &v->nrows, &v->caprows, c))
		v->dirty = true;
	v->dirty = true;
	return c;
}

void view_call_touched(struct view *v, struct view_call *c)
{
	(void)c;
	v->dirty = true;
}

static void remove_ptr(struct view_call **arr, size_t *n, const struct view_call *c,
	bool keep_order)
{
	for (size_t i = 0; i < *n; i++) {
		if (arr[i] != c)
			continue;
		if (keep_order)
			memmove(arr + i, arr + i + 1, (*n - i - 1) * sizeof *arr);
		else
			arr[i] = arr[*n - 1];
		(*n)--;
		return;
	}
}

void view_call_remove(struct view *v, const char *id)
{
	size_t i = idx_slot(v, id);
	struct view_call *c = v->index[i];
	if (!c)
		return;
	idx_delete(v, i);
	remove_ptr(v->calls, &v->ncalls, c, false);
	remove_ptr(v->order, &v->nrows, c, true);
	free(c);
	v->dirty = true;
	if (v->sel_row >= (long)v->nrows)
		v->sel_row = (long)v->nrows - 1;
}

void view_clear(struct view *v)
{
	for (size_t i = 0; i < v->ncalls; i++)
		free(v->calls[i]);
	v->ncalls = 0;
	v->nrows = 0;
	memset(v->index, 0, v->idxcap * sizeof *v->index);
	v->nsugg = 0;
	v->dirty = true;
}

void view_mark_all(struct view *v)
{
	view_mark_pub(v, 0);
}

void view_sweep(struct view *v)
{
	view_sweep_pub(v, 0);
}

void view_mark_pub(struct view *v, int pub)
{
	for (size_t i = 0; i < v->ncalls; i++)
		if (!pub || v->calls[i]->pub == pub)
			v->calls[i]->seen = false;
	for (size_t i = 0; i < v->nsugg; i++)
		if (!pub || v->sugg[i].pub == pub)
			v->sugg[i].seen = false;
}

void view_sweep_pub(struct view *v, int pub)
{
	for (size_t i = 0; i < v->ncalls;) {
		if (v->calls[i]->seen || (pub && v->calls[i]->pub != pub)) {
			i++;
			continue;
		}
		char id[UT_ID_MAX + 1];
		strcpy(id, v->calls[i]->id);
		view_call_remove(v, id); /* swaps the last call into slot i */
	}
	for (size_t i = 0; i < v->nsugg;) {
		if (v->sugg[i].seen || (pub && v->sugg[i].pub != pub))
			i++;
		else
			v->sugg[i] = v->sugg[--v->nsugg];
	}
	v->dirty = true;
}

void view_call_push_trend(struct view_call *c, float value, int64_t t_ms)
{
	int slot = (c->trend_head + c->trend_len) % VIEW_TREND_MAX;
	if (c->trend_len == VIEW_TREND_MAX) {
		slot = c->trend_head;
		c->trend_head = (c->trend_head + 1) % VIEW_TREND_MAX;
	} else {
		c->trend_len++;
	}
	c->trend[slot] = value;
	c->trend_t[slot] = t_ms;
}

int view_call_trend(const struct view_call *c, float *out, int64_t *t_out, int n)
{
	int cnt = c->trend_len < n ? c->trend_len : n;
	int skip = c->trend_len - cnt;
	for (int i = 0; i < cnt; i++) {
		int k = (c->trend_head + skip + i) % VIEW_TREND_MAX;
		out[i] = c->trend[k];
		if (t_out)
			t_out[i] = c->trend_t[k];
	}
	return cnt;
}

size_t view_call_count(const struct view *v) { return v->ncalls; }
struct view_call *view_call_at(struct view *v, size_t i) { return i < v->ncalls ? v->calls[i] : NULL; }

/* ---- suggestions ---- */

struct view_sugg *view_sugg_get(struct view *v, const char *id, bool create)
{
	for (size_t i = 0; i < v->nsugg; i++)
		if (strcmp(v->sugg[i].id, id) == 0)
			return &v->sugg[i];
	if (!create || strlen(id) > UT_ID_MAX)
		return NULL;
	if (v->nsugg == VIEW_SUGG_MAX) {
		/* Full: reuse the oldest slot that is no longer awaiting. */
		size_t victim = SIZE_MAX;
		for (size_t i = 0; i < v->nsugg; i++)
			if ((v->sugg[i].cleared || v->sugg[i].decided) &&
			    (victim == SIZE_MAX || v->sugg[i].updated_ms < v->sugg[victim].updated_ms))
				victim = i;
		if (victim == SIZE_MAX)
			return NULL;
		v->sugg[victim] = v->sugg[--v->nsugg];
	}
	struct view_sugg *s = &v->sugg[v->nsugg++];
	memset(s, 0, sizeof *s);
	strcpy(s->id, id);
	v->dirty = true;
	return s;
}

void view_sugg_remove(struct view *v, const char *id)
{
	struct view_sugg *s = view_sugg_get(v, id, false);
	if (!s)
		return;
	*s = v->sugg[--v->nsugg];
	v->dirty = true;
}

static bool sugg_awaiting(const struct view_sugg *s) { return !s->cleared && !s->decided; }

static int sugg_cmp_age(const void *a, const void *b)
{
	const struct view_sugg *x = *(const struct view_sugg *const *)a;
	const struct view_sugg *y = *(const struct view_sugg *const *)b;
	if (x->raised_ms != y->raised_ms)
		return x->raised_ms < y->raised_ms ? -1 : 1;
	return strcmp(x->id, y->id);
}

size_t view_sugg_pending(const struct view *v, const struct view_sugg **out, size_t max)
{
	const struct view_sugg *all[VIEW_SUGG_MAX];
	size_t n = 0;
	for (size_t i = 0; i < v->nsugg; i++)
		if (sugg_awaiting(&v->sugg[i]))
			all[n++] = &v->sugg[i];
	qsort(all, n, sizeof *all, sugg_cmp_age);
	for (size_t i = 0; i < n && i < max; i++)
		out[i] = all[i];
	return n;
}

size_t view_sugg_unsnooze(struct view *v, int64_t wall_ms)
{
	size_t n = 0;
	for (size_t i = 0; i < v->nsugg; i++) {
		struct view_sugg *s = &v->sugg[i];
		if (s->decided && s->snooze_until && wall_ms >= s->snooze_until) {
			s->decided = false;
			s->snooze_until = 0;
			n++;
		}
	}
	if (n)
		v->dirty = true;
	return n;
}

size_t view_sugg_for_call(const struct view *v, const char *call_id,
	const struct view_sugg **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < v->nsugg && n < max; i++)
		if (strcmp(v->sugg[i].call_id, call_id) == 0)
			out[n++] = &v->sugg[i];
	qsort(out, n, sizeof *out, sugg_cmp_age);
	return n;
}

/* ---- decisions ---- */

struct view_decision *view_dec_find(struct view *v, const char *uuid)
{
	for (size_t i = 0; i < v->ndec; i++)
		if (strcmp(v->dec[i].uuid, uuid) == 0)
			return &v->dec[i];
	return NULL;
}

struct view_decision *view_dec_add(struct view *v, const struct view_decision *d)
{
	struct view_decision *old = d->uuid[0] ? view_dec_find(v, d->uuid) : NULL;
	if (old) {
		/* Our own decision echoed back on the feed: the analyzer has it. */
		enum view_dec_state st = old->state;
		*old = *d;
		if (d->state == VIEW_DEC_REMOTE && st != VIEW_DEC_REMOTE)
			old->state = VIEW_DEC_SHARED;
		return old;
	}
	struct view_decision *slot = &v->dec[v->dec_head];
	*slot = *d;
	v->dec_head = (v->dec_head + 1) % VIEW_DEC_MAX;
	if (v->ndec < VIEW_DEC_MAX)
		v->ndec++;
	return slot;
}

size_t view_dec_count(const struct view *v) { return v->ndec; }

const struct view_decision *view_dec_at(const struct view *v, size_t i)
{
	if (i >= v->ndec)
		return NULL;
	return &v->dec[(v->dec_head + VIEW_DEC_MAX - 1 - i) % VIEW_DEC_MAX];
}

/* ---- rows: filter and sort ---- */

static bool icase_contains(const char *hay, const char *needle)
{
	size_t nl = strlen(needle);
	if (!nl)
		return true;
	for (; *hay; hay++) {
		size_t k = 0;
		while (k < nl && hay[k]) {
			unsigned char a = (unsigned char)hay[k], b = (unsigned char)needle[k];
			if (a >= 'A' && a <= 'Z')
				a = (unsigned char)(a + 32);
			if (b >= 'A' && b <= 'Z')
				b = (unsigned char)(b + 32);
			if (a != b)
				break;
			k++;
		}
		if (k == nl)
			return true;
	}
	return false;
}

int view_call_severity(const struct view_call *c)
{
	if (c->suppressed && !c->human_flag)
		return c->downgrade_to;
	return c->pending_sev > c->severity ? c->pending_sev : c->severity;
}

static int call_sev(const struct view_call *c) { return view_call_severity(c); }

bool view_matches(const struct view *v, const struct view_call *c)
{
	if (v->flagged_only && call_sev(c) == 0 && c->pending == 0)
		return false;
	if (!v->filter[0])
		return true;
	return icase_contains(c->id, v->filter) || icase_contains(c->agent, v->filter) ||
	       icase_contains(c->queue, v->filter);
}

typedef int (*cmp_fn)(const void *, const void *);
#define CALLS(a, b) const struct view_call *x = *(const struct view_call *const *)(a), \
	*y = *(const struct view_call *const *)(b)

static int cmp_id(const void *a, const void *b) { CALLS(a, b); return strcmp(x->id, y->id); }

static int cmp_float_desc(float p, float q) { return p > q ? -1 : p < q ? 1 : 0; }

static int cmp_risk(const void *a, const void *b)
{
	CALLS(a, b);
	int d = call_sev(y) - call_sev(x);
	if (!d)
		d = (y->pending > 0) - (x->pending > 0);
	if (!d)
		d = cmp_float_desc(x->frustration, y->frustration);
	if (!d)
		d = cmp_float_desc(y->sentiment, x->sentiment);
	return d ? d : strcmp(x->id, y->id);
}

static int cmp_frust(const void *a, const void *b)
{
	CALLS(a, b);
	int d = cmp_float_desc(x->frustration, y->frustration);
	return d ? d : strcmp(x->id, y->id);
}

static int cmp_sent(const void *a, const void *b)
{
	CALLS(a, b);
	int d = cmp_float_desc(y->sentiment, x->sentiment); /* most negative first */
	return d ? d : strcmp(x->id, y->id);
}

static int cmp_dur(const void *a, const void *b)
{
	CALLS(a, b);
	if (x->started_ms != y->started_ms)
		return x->started_ms < y->started_ms ? -1 : 1; /* longest first */
	return strcmp(x->id, y->id);
}

static int cmp_agent(const void *a, const void *b)
{
	CALLS(a, b);
	int d = strcmp(x->agent, y->agent);
	return d ? d : strcmp(x->id, y->id);
}

static int cmp_queue(const void *a, const void *b)
{
	CALLS(a, b);
	int d = strcmp(x->queue, y->queue);
	return d ? d : cmp_risk(a, b);
}

static const cmp_fn sort_fns[VIEW_SORT__COUNT] = {
	cmp_risk, cmp_frust, cmp_sent, cmp_dur, cmp_agent, cmp_queue, cmp_id };
static const char *const sort_names[VIEW_SORT__COUNT] = {
	"risk", "frustration", "sentiment", "duration", "agent", "queue", "call id" };

const char *view_sort_name(enum view_sort s) { return (unsigned)s < VIEW_SORT__COUNT ? sort_names[s] : "?"; }

static void count_pending(struct view *v)
{
	for (size_t i = 0; i < v->ncalls; i++)
		v->calls[i]->pending = v->calls[i]->pending_sev = 0;
	for (size_t i = 0; i < v->nsugg; i++) {
		if (!sugg_awaiting(&v->sugg[i]))
			continue;
		struct view_call *c = view_call_get(v, v->sugg[i].call_id, false);
		if (c) {
			c->pending++;
			if (v->sugg[i].severity > c->pending_sev && v->sugg[i].severity <= UT_SEVERITY_MAX)
				c->pending_sev = v->sugg[i].severity;
		}
	}
}

static long find_row(const struct view *v, const char *id)
{
	for (size_t i = 0; i < v->nrows; i++)
		if (strcmp(v->order[i]->id, id) == 0)
			return (long)i;
	return -1;
}

static void rebuild(struct view *v)
{
	count_pending(v);
	v->nrows = 0;
	if (v->caprows < v->ncalls) {
		struct view_call **p = realloc(v->order, v->ncalls * sizeof *p);
		if (!p)
			return; /* keep dirty; retried next refresh */
		v->order = p;
		v->caprows = v->ncalls;
	}
	for (size_t i = 0; i < v->ncalls; i++)
		if (view_matches(v, v->calls[i]))
			v->order[v->nrows++] = v->calls[i];
	if (v->nrows > 1)
		qsort(v->order, v->nrows, sizeof *v->order, sort_fns[v->sort]);
	v->dirty = false;
	long r = v->sel_id[0] ? find_row(v, v->sel_id) : -1;
	if (r < 0) {
		r = v->sel_row;
		if (r >= (long)v->nrows)
			r = (long)v->nrows - 1;
		if (r < 0 && v->nrows)
			r = 0;
	}
	view_select_row(v, r);
}

void view_refresh(struct view *v, int64_t now_ms, bool force)
{
	if (force || (v->dirty && now_ms - v->last_key_ms >= VIEW_HOLD_MS))
		rebuild(v);
	else if (v->sel_row < 0 && v->nrows)
		view_select_row(v, 0);
}

void view_set_sort(struct view *v, enum view_sort s)
{
	if ((unsigned)s >= VIEW_SORT__COUNT)
		s = VIEW_SORT_RISK;
	v->sort = s;
	rebuild(v);
}

enum view_sort view_get_sort(const struct view *v) { return v->sort; }

void view_set_filter(struct view *v, const char *text)
{
	size_t n = strlen(text);
	if (n > VIEW_FILTER_MAX)
		n = VIEW_FILTER_MAX;
	memcpy(v->filter, text, n);
	v->filter[n] = '\0';
	rebuild(v);
}

const char *view_get_filter(const struct view *v) { return v->filter; }

void view_set_flagged_only(struct view *v, bool on)
{
	v->flagged_only = on;
	rebuild(v);
}

bool view_get_flagged_only(const struct view *v) { return v->flagged_only; }
size_t view_rows(const struct view *v) { return v->nrows; }
const struct view_call *view_row(const struct view *v, size_t row) { return row < v->nrows ? v->order[row] : NULL; }

/* ---- selection ---- */

void view_key_activity(struct view *v, int64_t now_ms) { v->last_key_ms = now_ms; }

void view_select_row(struct view *v, long row)
{
	if (!v->nrows) {
		v->sel_row = -1;
		return;
	}
	if (row < 0)
		row = 0;
	if (row >= (long)v->nrows)
		row = (long)v->nrows - 1;
	v->sel_row = row;
	strcpy(v->sel_id, v->order[row]->id);
}

void view_move(struct view *v, long delta)
{
	long r = v->sel_row < 0 ? 0 : v->sel_row;
	if (delta == LONG_MIN)
		r = 0;
	else if (delta == LONG_MAX)
		r = (long)v->nrows - 1;
	else if (delta < 0 && r < -delta)
		r = 0;
	else if (delta > 0 && delta > LONG_MAX - r)
		r = LONG_MAX;
	else
		r += delta;
	view_select_row(v, r);
}

long view_selected_row(const struct view *v) { return v->nrows ? v->sel_row : -1; }

const struct view_call *view_selected(const struct view *v)
{
	return v->sel_row >= 0 && (size_t)v->sel_row < v->nrows ? v->order[v->sel_row] : NULL;
}

size_t view_scroll(struct view *v, size_t height)
{
	if (!height || !v->nrows) {
		v->top = 0;
		return 0;
	}
	size_t sel = v->sel_row < 0 ? 0 : (size_t)v->sel_row;
	if (sel < v->top)
		v->top = sel;
	else if (sel >= v->top + height)
		v->top = sel - height + 1;
	if (v->top + height > v->nrows)
		v->top = v->nrows > height ? v->nrows - height : 0;
	return v->top;
}

/* ---- floor summary ---- */

int view_sent_class(float s) { return s <= -0.2f ? -1 : s >= 0.2f ? 1 : 0; }

void view_floor(const struct view *v, struct view_floor *f)
{
	memset(f, 0, sizeof *f);
	size_t neg = 0;
	double sum = 0;
	for (size_t i = 0; i < v->ncalls; i++) {
		const struct view_call *c = v->calls[i];
		if (c->state != UT_CS_ACTIVE && c->state != UT_CS_HOLD)
			continue;
		f->active++;
		if (call_sev(c) > 0)
			f->flagged++;
		if (view_sent_class(c->sentiment) < 0)
			neg++;
		sum += c->frustration;
	}
	for (size_t i = 0; i < v->nsugg; i++)
		if (sugg_awaiting(&v->sugg[i]))
			f->awaiting++;
	if (f->active) {
		f->negative_pct = (neg * 100 + f->active / 2) / f->active;
		f->avg_frustration = (float)(sum / (double)f->active);
	}
}
