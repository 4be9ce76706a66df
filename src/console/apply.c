/* apply: feed messages into the view-model. Every string from the feed is
 * made terminal-safe here, before it is stored. */
#include "app.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "undertone/textsafe.h"

void text_safe_copy(char *dst, size_t dstsz, const char *src)
{
	textsafe_sanitize(src, strlen(src), dst, dstsz, 0, NULL);
}

void app_init(struct app *a, struct config_console *cfg, struct view *v)
{
	memset(a, 0, sizeof *a);
	a->cfg = cfg;
	a->view = v;
	a->glyphs = VIEW_GLYPH_BRAILLE;
	a->dirty = true;
}

void app_free(struct app *a)
{
	for (size_t i = 0; i < a->nunrec; i++)
		free(a->unrec[i]);
	a->nunrec = 0;
	free(a->review);
	a->review = NULL;
	a->nreview = 0;
}

void app_set_msg(struct app *a, bool error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char raw[sizeof a->msg];
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	text_safe_copy(a->msg, sizeof a->msg, raw);
	a->msg_error = error;
	a->msg_until = a->now_ms + (error ? 8000 : 4000);
	a->dirty = true;
}

static float clampf(double x, float lo, float hi)
{
	if (!(x == x))
		return 0;
	return x < lo ? lo : x > hi ? hi : (float)x;
}

static void apply_trend(struct view_call *c, const struct proto_call_update *u)
{
	int64_t last = -1;
	if (c->trend_len) {
		int k = (c->trend_head + c->trend_len - 1) % VIEW_TREND_MAX;
		last = c->trend_t[k];
	}
	size_t n = u->n_trend < UT_TREND_MAX ? u->n_trend : UT_TREND_MAX;
	for (size_t i = 0; i < n; i++)
		if (u->trend[i].t_ms > last) {
			view_call_push_trend(c, clampf(u->trend[i].sentiment, -1, 1), u->trend[i].t_ms);
			last = u->trend[i].t_ms;
		}
}

static void apply_update(struct app *a, const struct proto_call_update *u)
{
	struct view_call *c = view_call_get(a->view, u->call, true);
	if (!c)
		return;
	c->seen = true;
	text_safe_copy(c->agent, sizeof c->agent, u->agent_name[0] ? u->agent_name : u->agent);
	text_safe_copy(c->queue, sizeof c->queue, u->queue);
	text_safe_copy(c->claimed_by, sizeof c->claimed_by, u->claimed_by);
	text_safe_copy(c->top_reason, sizeof c->top_reason, u->reason);
	c->channel = (int)u->channel;
	if (c->state != (int)u->state && (u->state == UT_CS_ENDED || u->state == UT_CS_ABANDONED))
		c->ended_local_ms = a->now_ms;
	c->state = (int)u->state;
	c->started_ms = u->started_ms;
	c->duration_ms = u->duration_ms;
	c->hold_ms = u->hold_ms;
	c->silence_ms = u->silence_ms;
	c->updated_local_ms = a->now_ms;
	c->sentiment = clampf(u->sentiment.latest, -1, 1);
	c->sent_ewma = clampf(u->sentiment.ewma, -1, 1);
	c->sent_mean = clampf(u->sentiment.mean, -1, 1);
	c->sent_slope = clampf(u->sentiment.slope, -100, 100);
	c->frustration = clampf(u->frustration, 0, 1);
	c->severity = u->flag >= 0 && u->flag <= UT_SEVERITY_MAX ? u->flag : 0;
	c->has_comp = u->n_components > 0;
	memset(c->comp, 0, sizeof c->comp);
	for (size_t i = 0; i < u->n_components && i < UT_FC__COUNT; i++) {
		const struct proto_component *pc = &u->components[i];
		if ((unsigned)pc->name >= UT_FC__COUNT)
			continue;
		struct view_component *vc = &c->comp[pc->name];
		vc->value = clampf(pc->value, 0, 1);
		vc->weight = clampf(pc->weight, 0, 100);
		vc->contribution = clampf(pc->contribution, 0, 100);
		text_safe_copy(vc->evidence, sizeof vc->evidence, pc->evidence);
	}
	apply_trend(c, u);
	view_call_touched(a->view, c);
}

/* A suggestion that left with nobody deciding: the log's stats count these
 * (idempotent per suggestion, so several consoles may report it). */
static void note_expired(struct app *a, const struct view_sugg *s, const char *queue)
{
	if (!a->rec)
		return;
	struct dstore_expiry e;
	memset(&e, 0, sizeof e);
	snprintf(e.suggestion_id, sizeof e.suggestion_id, "%s", s->id);
	snprintf(e.rule, sizeof e.rule, "%s", s->rule);
	snprintf(e.call_id, sizeof e.call_id, "%s", s->call_id);
	text_safe_copy(e.queue, sizeof e.queue, queue);
	e.kind = (enum ut_suggestion_kind)s->kind;
	e.severity = s->severity < UT_SEVERITY_MIN ? UT_SEVERITY_MIN : s->severity;
	e.raised_ms = s->raised_ms;
	e.expired_ms = a->wall_ms;
	recorder_expired(a->rec, &e);
}

static void apply_sugg(struct app *a, const struct proto_msg *m)
{
	const struct proto_suggestion *p = &m->u.sug;
	if (m->type == PROTO_MSG_SUGGESTION_CLEARED) {
		const struct view_sugg *old = view_sugg_get(a->view, p->id, false);
		if (old && !old->decided && !old->claimed_by[0])
			note_expired(a, old, p->queue);
		view_sugg_remove(a->view, p->id);
		return;
	}
	struct view_sugg *s = view_sugg_get(a->view, p->id, true);
	if (!s)
		return;
	s->seen = true;
	if (!s->seen_ms)
		s->seen_ms = a->wall_ms;
	text_safe_copy(s->call_id, sizeof s->call_id, p->call);
	text_safe_copy(s->rule, sizeof s->rule, p->rule);
	text_safe_copy(s->claimed_by, sizeof s->claimed_by, p->claimed_by);
	text_safe_copy(s->tip, sizeof s->tip, p->tip);
	s->kind = (int)p->kind;
	s->severity = p->severity;
	s->raised_ms = p->raised_ms;
	s->updated_ms = p->updated_ms;
	text_safe_copy(s->policy, sizeof s->policy, p->policy);
	s->n_reasons = 0;
	for (size_t i = 0; i < p->n_reasons && i < UT_REASONS_MAX; i++) {
		struct view_reason *r = &s->reasons[s->n_reasons++];
		text_safe_copy(r->signal, sizeof r->signal, p->reasons[i].signal);
		text_safe_copy(r->phrase, sizeof r->phrase, p->reasons[i].phrase);
		r->value = clampf(p->reasons[i].value, -1e6f, 1e6f);
	}
}

/* A decision by anyone: history, and what it means for the call/suggestion. */
void app_apply_decision(struct app *a, const struct proto_decision *d, enum view_dec_state state)
{
	struct view_decision vd;
	memset(&vd, 0, sizeof vd);
	text_safe_copy(vd.uuid, sizeof vd.uuid, d->uuid);
	text_safe_copy(vd.call_id, sizeof vd.call_id, d->call);
	text_safe_copy(vd.sugg_id, sizeof vd.sugg_id, d->suggestion);
	text_safe_copy(vd.supervisor, sizeof vd.supervisor, d->name[0] ? d->name : d->supervisor);
	text_safe_copy(vd.reason, sizeof vd.reason, d->reason);
	text_safe_copy(vd.text, sizeof vd.text, d->text);
	vd.decision = (int)d->kind;
	vd.at_ms = d->at_ms;
	vd.state = state;
	view_dec_add(a->view, &vd);

	struct view_sugg *s = d->suggestion[0] ? view_sugg_get(a->view, d->suggestion, false) : NULL;
	struct view_call *c = view_call_get(a->view, d->call, false);
	switch (d->kind) {
	case UT_DE_ACKNOWLEDGE:
		if (s)
			text_safe_copy(s->claimed_by, sizeof s->claimed_by, d->supervisor);
		break;
	case UT_DE_ACCEPT:
	case UT_DE_DISMISS:
		if (s)
			s->decided = true;
		break;
	case UT_DE_SNOOZE:
		if (s) {
			s->decided = true;
			s->snooze_until = d->until_ms;
		}
		break;
	case UT_DE_RAISE:
		if (c) {
			c->human_flag = true;
			if (d->severity > c->severity)
				c->severity = d->severity;
			if (d->reason[0] && !c->top_reason[0])
				text_safe_copy(c->top_reason, sizeof c->top_reason, d->reason);
		}
		break;
	case UT_DE_CLEAR:
		if (c) {
			c->suppressed = true;
			c->human_flag = false;
			c->downgrade_to = d->severity >= 0 && d->severity <= UT_SEVERITY_MAX ? d->severity : 0;
			c->suppressed_until = d->until_ms;
		}
		break;
	case UT_DE_TAG:
		if (c)
			text_safe_copy(c->tag, sizeof c->tag, d->label);
		break;
	default:
		break;
	}
	if (c)
		view_call_touched(a->view, c);
}

/* The publisher slot + 1 of m (0 without a feed client: unit tests). */
static int pub_slot(const struct app *a, const struct proto_msg *m)
{
	return a->fc ? feed_client_pub_index(a->fc, m->h.pub) + 1 : 0;
}

/* Remember which publisher (shard) a call or suggestion came from. */
static void tag_pub(struct app *a, const struct proto_msg *m, int slot)
{
	if (m->type == PROTO_MSG_CALL_UPDATE) {
		struct view_call *c = view_call_get(a->view, m->u.upd.call, false);
		if (c)
			c->pub = slot;
	} else if (m->type == PROTO_MSG_SUGGESTION_RAISED || m->type == PROTO_MSG_SUGGESTION_UPDATED) {
		struct view_sugg *s = view_sugg_get(a->view, m->u.sug.id, false);
		if (s)
			s->pub = slot;
	}
}

void app_feed_event(void *ctx, enum feed_event ev, const struct proto_msg *m)
{
	struct app *a = ctx;
	a->dirty = true;
	switch (ev) {
	case FEED_EV_SNAPSHOT_BEGIN:
		/* Only this publisher's calls: the other shards' stay as they are. */
		view_mark_pub(a->view, pub_slot(a, m));
		return;
	case FEED_EV_SNAPSHOT_END:
		view_sweep_pub(a->view, pub_slot(a, m));
		return;
	case FEED_EV_REPLY:
		if (!app_detail_reply(a, m))
			decide_reply(a, m);
		return;
	case FEED_EV_MSG:
		break;
	}
	switch (m->type) {
	case PROTO_MSG_CALL_UPDATE:
		apply_update(a, &m->u.upd);
		tag_pub(a, m, pub_slot(a, m));
		break;
	case PROTO_MSG_SUGGESTION_RAISED:
	case PROTO_MSG_SUGGESTION_UPDATED:
	case PROTO_MSG_SUGGESTION_CLEARED:
		apply_sugg(a, m);
		tag_pub(a, m, pub_slot(a, m));
		break;
	case PROTO_MSG_DECISION_RECORDED:
		app_apply_decision(a, &m->u.dec, VIEW_DEC_REMOTE);
		decide_echoed(a, m->u.dec.uuid);
		break;
	default:
		break; /* heartbeats only feed the status */
	}
}

/* A call is stale while the publisher it came from is (per shard). */
static void mark_stale(struct app *a, struct view_call *c)
{
	bool stale = c->pub > 0 && c->pub <= FEED_PUBS_MAX && a->fs.pubs[c->pub - 1].stale;
	if (stale != c->stale) {
		c->stale = stale;
		view_call_touched(a->view, c);
		a->dirty = true;
	}
}

void app_housekeep(struct app *a)
{
	for (size_t i = 0; i < view_call_count(a->view);) {
		struct view_call *c = view_call_at(a->view, i);
		mark_stale(a, c);
		if (c->suppressed && c->suppressed_until && a->wall_ms >= c->suppressed_until) {
			c->suppressed = false;
			view_call_touched(a->view, c);
		}
		if (c->ended_local_ms && a->now_ms - c->ended_local_ms >= APP_ENDED_LINGER_MS) {
			char id[UT_ID_MAX + 1];
			strcpy(id, c->id);
			view_call_remove(a->view, id);
			a->dirty = true;
			continue;
		}
		i++;
	}
	if (view_sugg_unsnooze(a->view, a->wall_ms))
		a->dirty = true;
	app_detail_poll(a);
}

/* ---- the detail view's call_detail ---- */

static void detail_send(struct app *a)
{
	struct app_detail *d = &a->detail;
	if (d->unsupported)
		return;
	d->sent_ms = a->now_ms ? a->now_ms : 1;
	if (a->fc)
		d->req = feed_client_detail(a->fc, d->call_id);
}

void app_detail_poll(struct app *a)
{
	struct app_detail *d = &a->detail;
	const struct view_call *c = a->mode == APP_DETAIL ? view_selected(a->view) : NULL;
	if (!c) {
		/* The customer's words go when the view closes; an analyzer that
		 * could not answer is asked again next time (it may be upgraded). */
		if (d->call_id[0] || d->have || d->unsupported)
			memset(d, 0, sizeof *d);
		return;
	}
	if (strcmp(c->id, d->call_id) != 0) {
		bool unsupported = d->unsupported;
		memset(d, 0, sizeof *d);
		d->unsupported = unsupported;
		snprintf(d->call_id, sizeof d->call_id, "%s", c->id);
		detail_send(a);
		return;
	}
	if (a->now_ms - d->sent_ms >= APP_DETAIL_REFRESH_MS)
		detail_send(a);
}

static void detail_store(struct app *a, const struct proto_call_detail *in)
{
	struct proto_call_detail *o = &a->detail.d;
	memset(o, 0, sizeof *o);
	text_safe_copy(o->call, sizeof o->call, in->call);
	text_safe_copy(o->policy, sizeof o->policy, in->policy);
	for (size_t i = 0; i < in->n_thresholds && i < PROTO_THRESHOLDS_MAX; i++) {
		struct proto_threshold *t = &o->thresholds[o->n_thresholds++];
		text_safe_copy(t->rule, sizeof t->rule, in->thresholds[i].rule);
		text_safe_copy(t->signal, sizeof t->signal, in->thresholds[i].signal);
		t->value = in->thresholds[i].value;
		t->window_ms = in->thresholds[i].window_ms;
	}
	for (size_t i = 0; i < in->n_explained && i < PROTO_EXPLAINED_MAX; i++) {
		struct proto_explained *x = &o->explained[o->n_explained++];
		x->t_ms = in->explained[i].t_ms;
		x->compound = in->explained[i].compound;
		text_safe_copy(x->text, sizeof x->text, in->explained[i].text);
	}
	a->detail.have = true;
	a->detail.err[0] = '\0';
}

bool app_detail_reply(struct app *a, const struct proto_msg *m)
{
	struct app_detail *d = &a->detail;
	if (m->type == PROTO_MSG_CALL_DETAIL) {
		/* Any reply for the call on screen is news, even to an older request. */
		if (d->call_id[0] && strcmp(m->u.detail.call, d->call_id) == 0)
			detail_store(a, &m->u.detail);
		return true;
	}
	if (m->type != PROTO_MSG_ERROR || !d->req)
		return false;
	/* An analyzer from before detail_request cannot read it: req 0. */
	if (m->h.req == 0 && strcmp(m->u.ack.code, "unknown_type") == 0) {
		d->unsupported = true;
		d->req = 0;
		return true;
	}
	if (m->h.req != d->req)
		return false;
	text_safe_copy(d->err, sizeof d->err, strcmp(m->u.ack.code, "unknown_call") == 0 ?
		"the analyzer no longer tracks this call" : m->u.ack.text[0] ? m->u.ack.text : m->u.ack.code);
	d->have = false;
	return true;
}
