/* engine: per-call state, policy and feed messages, without sockets (see engine.h). */
#include <math.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "undertone/textsafe.h"
#include "undertone/call.h"
#include "undertone/jsonio.h"
#include "undertone/sentiment.h"
#include "undertone/signals.h"
#include "undertone/utf8.h"
#include "engine.h"

#define SLICES_PER_S 50          /* the tick visits 1/50 of the calls every 20 ms: short stalls */
#define DECISION_IDS 256         /* recent decision uuids kept to spot duplicates */
#define TOPICS_MAX   4096        /* topics with a tseq; beyond, tseq is omitted */

struct topic_seq {
	char topic[PROTO_TOPIC_MAX + 1];
	uint64_t n;
};

/* The daemon's extra state for one call. */
struct ecall {
	struct call *c;
	uint64_t hash;
	struct ecall *dprev, *dnext;     /* dirty list (update pending) */
	bool dirty;
	bool live;                       /* counted in calls_live */
	int64_t last_pub;                /* mono ms of the last update, 0 none */
	int64_t last_mono;               /* mono ms when its last event arrived */
	int64_t gone;                    /* mono ms after which an ended call goes */
	uint32_t trend_sent;             /* trend.count at the last update */
	uint16_t shown;                  /* rules whose suggestion is published */
	uint8_t flag;                    /* human-raised severity, 0 none */
	char agent_name[UT_NAME_MAX + 1];
	char flag_reason[UT_ID_MAX + 1];
	uint8_t fr[];                    /* frustration per trend point, x255 */
};

/* A call whose detail view is open: its customer utterances are explained
 * (see engine_detail). */
struct watch {
	struct ecall *ec;                /* NULL: free slot */
	int64_t until;                   /* mono ms when the watch lapses */
	unsigned n, next;                /* explanations kept, next ring slot */
	struct proto_explained ring[PROTO_EXPLAINED_MAX];
};

struct engine {
	struct engine_config cfg;
	engine_out_fn publish;
	void *ud;
	struct ecall **tab;
	uint32_t *tags;                  /* high hash bits per slot: probes stay in the table */
	size_t mask, cursor;
	struct ecall *dhead;             /* dirty list */
	uint64_t seq;
	int64_t wall;                    /* wall clock of the current entry point */
	int64_t mono;                    /* monotonic clock of the same, 0 unknown */
	int64_t max_ts;                  /* newest event time seen */
	int64_t start_mono, next_hb, next_slice, interval;
	int64_t log_window;
	unsigned log_lines;
	char decided[DECISION_IDS][UT_ID_MAX + 1];
	unsigned ndecided;
	struct engine_counters n;
	struct topic_seq *topics;        /* 2 x TOPICS_MAX slots, open addressing */
	unsigned ntopics;
	struct proto_event *ev;          /* decode scratch */
	struct proto_msg *msg;           /* emit scratch */
	struct policy_transition tr[POLICY_TRANSITIONS_MAX];
	struct watch *watch;             /* ENGINE_WATCH_MAX slots */
	unsigned nwatch;                 /* slots in use */
	struct sentiment_explain *ex;    /* explain scratch, watched calls only */
	uint64_t roster_gen;             /* bumped when the set of live calls changes */
};

static const char *const reason_names[ENGINE_R__COUNT - CODEC_E__COUNT] = {
	"unknown_call", "after_end", "backwards", "duplicate_start", "bad_timing",
	"bad_value", "bad_hold", "call_cap", "frames", "suggestion_cap",
	"client_cap", "bad_request"
};

const char *
engine_reason_name(int r)
{
	if (r > 0 && r < CODEC_E__COUNT)
		return codec_err_name((enum codec_err)r);
	if (r >= CODEC_E__COUNT && r < ENGINE_R__COUNT)
		return reason_names[r - CODEC_E__COUNT];
	return "unknown";
}

/* ---- logging at a rate limit ---- */

static void
logf_limited(struct engine *e, int64_t mono, const char *fmt, ...)
{
	char raw[512], safe[512];
	va_list ap;

	if (e->cfg.log == NULL)
		return;
	if (mono - e->log_window >= 1000) {
		if (e->n.log_suppressed > 0 && e->log_lines > e->cfg.log_per_s)
			fprintf(e->cfg.log, "undertone-analyzer: %u similar messages suppressed\n",
			    e->log_lines - e->cfg.log_per_s);
		e->log_window = mono;
		e->log_lines = 0;
	}
	if (e->log_lines++ >= e->cfg.log_per_s) {
		e->n.log_suppressed++;
		return;
	}
	/* Call ids and details come from the network: no escape sequence or
	 * control character may reach the operator's terminal (issue 8). */
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	textsafe_sanitize(raw, strlen(raw), safe, sizeof(safe), 0, NULL);
	fprintf(e->cfg.log, "undertone-analyzer: %s\n", safe);
}

void
engine_reject(struct engine *e, int reason, const char *call, const char *detail, int64_t mono_ms)
{
	if (reason <= 0 || reason >= ENGINE_R__COUNT)
		return;
	e->n.rejected[reason]++;
	e->n.rejected_total++;
	logf_limited(e, mono_ms, "rejected %s%s%.64s%s%s", engine_reason_name(reason),
	    call && *call ? " call " : "", call ? call : "", detail && *detail ? ": " : "",
	    detail ? detail : "");
}

/* ---- the call table: open addressing, backward-shift deletion ---- */

static uint64_t
hash_id(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	/* FNV's low bits mix poorly for ids that differ at the end; finish with
	 * the murmur3 mixer since the table is indexed by the low bits. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 33);
}

static uint32_t
tag_of(uint64_t h)
{
	return (uint32_t)(h >> 32);
}

static struct ecall *
find(const struct engine *e, const char *id)
{
	uint64_t h = hash_id(id);
	size_t i = h & e->mask;

	for (; e->tab[i] != NULL; i = (i + 1) & e->mask)
		if (e->tags[i] == tag_of(h) && e->tab[i]->hash == h && strcmp(e->tab[i]->c->id, id) == 0)
			return e->tab[i];
	return NULL;
}

static void
tab_insert(struct engine *e, struct ecall *ec)
{
	size_t i = ec->hash & e->mask;

	while (e->tab[i] != NULL)
		i = (i + 1) & e->mask;
	e->tab[i] = ec;
	e->tags[i] = tag_of(ec->hash);
}

/* Keep the load under 1/2; the table starts small and grows with the floor,
 * so a large max_calls costs nothing until it is used. */
static int
tab_grow(struct engine *e)
{
	size_t old = e->mask + 1, i;
	struct ecall **ot = e->tab, **nt;
	uint32_t *ntags;

	if ((size_t)e->n.calls_tracked + 1 <= old / 2)
		return 0;
	nt = calloc(old * 2, sizeof(*nt));
	ntags = calloc(old * 2, sizeof(*ntags));
	if (nt == NULL || ntags == NULL) {
		free(nt);
		free(ntags);
		return -1;
	}
	free(e->tags);
	e->tags = ntags;
	e->tab = nt;
	e->mask = old * 2 - 1;
	for (i = 0; i < old; i++)
		if (ot[i] != NULL)
			tab_insert(e, ot[i]);
	free(ot);
	return 0;
}

static void
tab_delete(struct engine *e, struct ecall *ec)
{
	size_t i = ec->hash & e->mask, j, k;

	while (e->tab[i] != ec)
		i = (i + 1) & e->mask;
	e->tab[i] = NULL;
	for (j = (i + 1) & e->mask; e->tab[j] != NULL; j = (j + 1) & e->mask) {
		k = e->tab[j]->hash & e->mask;
		/* Move j back to the hole at i unless its home lies in (i, j]. */
		if ((j > i && (k <= i || k > j)) || (j < i && (k <= i && k > j))) {
			e->tab[i] = e->tab[j];
			e->tags[i] = e->tags[j];
			e->tab[j] = NULL;
			i = j;
		}
	}
}

/* ---- per-topic sequence numbers (tseq) ---- */

/* The counter of m's topic; created when bump is set and there is room.
 * NULL: no topic or the table is full (then tseq is left out). */
static struct topic_seq *
topic_slot(struct engine *e, const struct proto_msg *m, bool bump)
{
	char topic[PROTO_TOPIC_MAX + 1];
	size_t i, mask = 2 * TOPICS_MAX - 1;
	int len = proto_topic(m, topic, sizeof(topic));

	if (len < 0)
		return NULL;
	for (i = hash_id(topic) & mask; e->topics[i].topic[0] != '\0'; i = (i + 1) & mask)
		if (strcmp(e->topics[i].topic, topic) == 0)
			return &e->topics[i];
	if (!bump || e->ntopics >= TOPICS_MAX)
		return NULL;
	e->ntopics++;
	memcpy(e->topics[i].topic, topic, (size_t)len + 1);
	return &e->topics[i];
}

/* ---- emitting ---- */

static int
emit(struct engine *e, struct proto_msg *m)
{
	struct topic_seq *ts = topic_slot(e, m, true);

	m->h.tseq = ts != NULL ? ++ts->n : 0;
	snprintf(m->h.pub, sizeof(m->h.pub), "%s", e->cfg.pub);
	m->h.seq = ++e->seq;
	m->h.ts_ms = e->wall;
	e->n.published++;
	return e->publish(e->ud, m);
}

/* A call's "now" on its own event clock. Live, that is its last event's
 * time plus the monotonic time since that event arrived, so a feed whose
 * clock differs from ours (or a step of our wall clock) neither abandons
 * calls early nor stretches their durations. Replaying, it is the newest
 * event time seen. */
static int64_t
call_now(const struct engine *e, const struct ecall *ec)
{
	const struct call *c = ec->c;
	int64_t now;

	if (e->cfg.event_clock)   /* the caller's clock is event time too (replay) */
		now = e->max_ts > e->mono ? e->max_ts : e->mono;
	else if (ec->last_mono > 0 && e->mono >= ec->last_mono)
		now = c->last_ms + (e->mono - ec->last_mono);
	else
		now = e->wall;
	return now > c->last_ms ? now : c->last_ms;
}

static float
clampf(float v, float lo, float hi)
{
	if (!(v == v))
		return 0;
	return v < lo ? lo : v > hi ? hi : v;
}

static void
fill_trend(const struct ecall *ec, struct proto_call_update *u, bool full)
{
	const struct trend *t = &ec->c->trend;
	uint32_t fresh = t->count - ec->trend_sent, k, i, cap = t->cap;

	k = full || fresh > t->used ? t->used : fresh;
	if (k > UT_TREND_MAX)
		k = UT_TREND_MAX;
	for (i = 0; i < k; i++) {
		uint32_t at = t->used - k + i;
		const struct trend_point *p = trend_at(t, at);
		u->trend[i].t_ms = p->t;
		u->trend[i].sentiment = clampf(p->smoothed, -1, 1);
		u->trend[i].frustration = ec->fr[(t->head + cap - t->used + at) % cap] / 255.0;
	}
	u->n_trend = k;
}

/* proto_msg_init() without zeroing the 24 KB trend array: only the points
 * written (n_trend) are ever read, and this runs for every update. */
static void
init_update(struct proto_msg *m)
{
	struct proto_call_update *u = &m->u.upd;
	size_t tail = offsetof(struct proto_call_update, claimed_by);

	m->type = PROTO_MSG_CALL_UPDATE;
	memset(&m->h, 0, sizeof(m->h));
	m->h.v = PROTO_VERSION;
	memset(u, 0, offsetof(struct proto_call_update, trend));
	memset((char *)u + tail, 0, sizeof(*u) - tail);
}

/* An explanation cut at the field's bound ends mid-word; cut it back to the
 * last whole term and mark it with an ellipsis instead. */
static void
tidy_clipped(char *s, size_t cap)
{
	size_t n = strlen(s);
	char *sp;

	if (n + 4 < cap || cap < 16)
		return;
	s[cap - 6] = '\0';
	/* Cut before the last " + term" that did not fit whole. */
	for (sp = strstr(s, " + "); sp != NULL && strstr(sp + 3, " + ") != NULL;)
		sp = strstr(sp + 3, " + ");
	if (sp == NULL && (sp = strrchr(s, ' ')) == NULL)
		return;
	memcpy(sp, " + \xe2\x80\xa6", 7);   /* " + ..." with U+2026, and the NUL */
}


/* The row's one-line reason: the evidence of the largest contribution, in
 * words ("repeated 'charged twice' x3"); the full sum is in the components.
 * Negativity counts half here: it is the generic signal, and a specific
 * phrase or behaviour tells a supervisor more about why. */
static void
top_reason(struct proto_call_update *u, const struct signals_frustration *fr)
{
	int i, best = -1;
	float rank, best_rank = 0;

	for (i = 0; i < UT_FC__COUNT; i++) {
		rank = fr->comp[i].contribution * (i == UT_FC_NEGATIVITY ? 0.5f : 1.0f);
		if (fr->comp[i].contribution > 0 && (best < 0 || rank > best_rank)) {
			best = i;
			best_rank = rank;
		}
	}
	if (best < 0)
		return;
	if (u->components[best].evidence[0])
		utf8_copy_clip(u->reason, sizeof(u->reason), u->components[best].evidence);
	else
		utf8_copy_clip(u->reason, sizeof(u->reason), model_component_name((enum ut_component)best));
	tidy_clipped(u->reason, sizeof(u->reason));
}

static void
fill_update(struct engine *e, struct ecall *ec, struct proto_msg *m, bool full)
{
	const struct signals_config *sc = &e->cfg.policy->sig;
	struct proto_call_update *u = &m->u.upd;
	struct call *c = ec->c;
	struct call_figures f;
	int64_t now = call_now(e, ec);
	int i;

	init_update(m);
	call_figures(c, sc, now, &f);
	memcpy(u->call, c->id, sizeof(u->call));
	memcpy(u->queue, c->queue, sizeof(u->queue));
	memcpy(u->agent, c->agent, sizeof(u->agent));
	memcpy(u->agent_name, ec->agent_name, sizeof(u->agent_name));
	memcpy(u->claimed_by, c->pol.claimed_by, sizeof(u->claimed_by));
	u->channel = c->channel;
	u->state = c->state;
	u->started_ms = c->start_ms;
	u->duration_ms = f.duration_ms > 0 ? f.duration_ms : 0;
	u->hold_ms = f.hold_ms > 0 ? f.hold_ms : 0;
	u->silence_ms = f.silence_ms > 0 ? f.silence_ms : 0;
	u->utterances = c->utterances;
	u->sentiment.latest = clampf(f.latest, -1, 1);
	u->sentiment.ewma = clampf(f.ewma, -1, 1);
	u->sentiment.mean = clampf(f.mean, -1, 1);
	u->sentiment.end = clampf(f.end, -1, 1);
	u->sentiment.slope = f.slope_valid && isfinite(f.slope) ? f.slope : 0;
	u->frustration = clampf(f.frustration.value, 0, 1);
	u->n_components = UT_FC__COUNT;
	for (i = 0; i < UT_FC__COUNT; i++) {
		struct proto_component *pc = &u->components[i];
		pc->name = (enum ut_component)i;
		pc->value = clampf(f.frustration.comp[i].value, 0, 1);
		pc->weight = clampf(f.frustration.comp[i].weight, 0, 100);
		pc->contribution = clampf(f.frustration.comp[i].contribution, 0, 100);
		if (pc->value > 0)   /* a quiet component has no evidence to show */
			signals_evidence(&c->sig, sc, (enum ut_component)i, now, pc->evidence, sizeof(pc->evidence));
	}
	fill_trend(ec, u, full);
	u->flag = ec->flag;
	if (ec->flag)
		utf8_copy_clip(u->reason, sizeof(u->reason), ec->flag_reason[0] ? ec->flag_reason : "raised by a lead");
	else if (u->frustration > 0)
		top_reason(u, &f.frustration);
}

static void
dirty_unlink(struct engine *e, struct ecall *ec)
{
	if (!ec->dirty)
		return;
	if (ec->dprev)
		ec->dprev->dnext = ec->dnext;
	else
		e->dhead = ec->dnext;
	if (ec->dnext)
		ec->dnext->dprev = ec->dprev;
	ec->dprev = ec->dnext = NULL;
	ec->dirty = false;
}

static void
publish_update(struct engine *e, struct ecall *ec, int64_t mono)
{
	dirty_unlink(e, ec);
	fill_update(e, ec, e->msg, false);
	ec->trend_sent = ec->c->trend.count;
	ec->last_pub = mono;
	emit(e, e->msg);
}

/* The call changed: publish now if its rate allows, else when it does. */
static void
touch(struct engine *e, struct ecall *ec, int64_t mono, bool force)
{
	if (force || ec->last_pub == 0 || mono - ec->last_pub >= e->interval) {
		publish_update(e, ec, mono);
		return;
	}
	if (!ec->dirty) {
		ec->dirty = true;
		ec->dprev = NULL;
		ec->dnext = e->dhead;
		if (e->dhead)
			e->dhead->dprev = ec;
		e->dhead = ec;
	}
}

static void
to_proto_suggestion(const struct engine *e, const struct ecall *ec,
    const struct policy_suggestion *s, enum policy_clear_reason why, struct proto_suggestion *o)
{
	int i;

	memcpy(o->id, s->id, sizeof(o->id));
	memcpy(o->call, ec->c->id, sizeof(o->call));
	memcpy(o->queue, ec->c->queue, sizeof(o->queue));
	snprintf(o->rule, sizeof(o->rule), "%s", s->rule);
	o->kind = s->kind;
	o->severity = s->severity < UT_SEVERITY_MIN ? UT_SEVERITY_MIN :
	    s->severity > UT_SEVERITY_MAX ? UT_SEVERITY_MAX : s->severity;
	o->n_reasons = s->nreasons > UT_REASONS_MAX ? UT_REASONS_MAX : (size_t)(s->nreasons < 0 ? 0 : s->nreasons);
	for (i = 0; i < (int)o->n_reasons; i++) {
		snprintf(o->reasons[i].signal, sizeof(o->reasons[i].signal), "%s", s->reason[i].signal);
		o->reasons[i].value = isfinite(s->reason[i].value) ? s->reason[i].value : 0;
		utf8_copy_clip(o->reasons[i].phrase, sizeof(o->reasons[i].phrase), s->reason[i].evidence);
	}
	if (o->n_reasons == 0) {   /* the protocol wants at least one */
		snprintf(o->reasons[0].signal, sizeof(o->reasons[0].signal), "rule");
		o->n_reasons = 1;
	}
	o->raised_ms = s->raised_ms;
	o->updated_ms = s->updated_ms;
	memcpy(o->policy, s->policy_version, sizeof(o->policy));
	if (o->policy[0] == '\0')
		snprintf(o->policy, sizeof(o->policy), "%s", e->cfg.policy->version);
	utf8_copy_clip(o->tip, sizeof(o->tip), s->tip);
	memcpy(o->claimed_by, ec->c->pol.claimed_by, sizeof(o->claimed_by));
	if (why != POLICY_CLR_NONE)
		snprintf(o->why, sizeof(o->why), "%s", policy_clear_reason_name(why));
}

static void
publish_transition(struct engine *e, struct ecall *ec, const struct policy_transition *t, int64_t mono)
{
	static const enum proto_msg_type types[] = {
		PROTO_MSG_SUGGESTION_RAISED, PROTO_MSG_SUGGESTION_UPDATED, PROTO_MSG_SUGGESTION_CLEARED
	};
	int r = policy_rule_find(e->cfg.policy, t->s.rule);
	uint16_t bit = r >= 0 && r < 16 ? (uint16_t)(1u << r) : 0;

	if (bit == 0)
		return;
	if (t->kind == POLICY_TR_RAISED) {
		if (ec->shown & bit)
			return;
		if (e->n.suggestions_open >= e->cfg.max_suggestions) {
			engine_reject(e, ENGINE_R_SUGGESTION_CAP, ec->c->id, t->s.rule, mono);
			return;
		}
		ec->shown |= bit;
		e->n.suggestions_open++;
		e->n.suggestions_raised++;
	} else if (!(ec->shown & bit)) {
		return;   /* its raise was never published (cap) */
	} else if (t->kind == POLICY_TR_CLEARED) {
		ec->shown &= (uint16_t)~bit;
		e->n.suggestions_open--;
	}
	proto_msg_init(e->msg, types[t->kind]);
	to_proto_suggestion(e, ec, &t->s, t->why, &e->msg->u.sug);
	emit(e, e->msg);
}

static void
evaluate(struct engine *e, struct ecall *ec, int64_t now, int64_t mono)
{
	size_t n = policy_eval(e->cfg.policy, ec->c, now, e->tr, POLICY_TRANSITIONS_MAX), i;

	for (i = 0; i < n; i++)
		publish_transition(e, ec, &e->tr[i], mono);
}

/* ---- watched calls (detail views) ---- */

static struct watch *
watch_of(const struct engine *e, const struct ecall *ec)
{
	unsigned i;

	if (e->nwatch == 0)
		return NULL;
	for (i = 0; i < ENGINE_WATCH_MAX; i++)
		if (e->watch[i].ec == ec)
			return &e->watch[i];
	return NULL;
}

static void
watch_drop(struct engine *e, struct watch *w)
{
	memset(w, 0, sizeof(*w));   /* the customer's words go with it */
	e->nwatch--;
}

/* Keep one explained customer utterance in the watch's ring. */
static void
watch_note(struct watch *w, int64_t t_ms, double compound, const struct sentiment_explain *ex)
{
	struct proto_explained *x = &w->ring[w->next];
	char buf[UT_PHRASE_MAX * 4];

	sentiment_explain_format(ex, buf, sizeof(buf));
	x->t_ms = t_ms;
	x->compound = compound < -1 ? -1 : compound > 1 ? 1 : compound;
	utf8_copy_clip(x->text, sizeof(x->text), buf);
	w->next = (w->next + 1) % PROTO_EXPLAINED_MAX;
	if (w->n < PROTO_EXPLAINED_MAX)
		w->n++;
}

static void
watch_expire(struct engine *e, int64_t mono)
{
	unsigned i;

	for (i = 0; i < ENGINE_WATCH_MAX && e->nwatch > 0; i++)
		if (e->watch[i].ec != NULL && mono >= e->watch[i].until)
			watch_drop(e, &e->watch[i]);
}

/* ---- events ---- */

static int
call_err_reason(enum call_err ce)
{
	switch (ce) {
	case CALL_ERR_BACKWARDS: return ENGINE_R_BACKWARDS;
	case CALL_ERR_ENDED: return ENGINE_R_AFTER_END;
	case CALL_ERR_TIMING: return ENGINE_R_BAD_TIMING;
	case CALL_ERR_VALUE: return ENGINE_R_BAD_VALUE;
	case CALL_ERR_STATE: return ENGINE_R_BAD_HOLD;
	default: return 0;
	}
}

static void
mark_ended(struct engine *e, struct ecall *ec, int64_t mono)
{
	if (!ec->live)
		return;
	ec->live = false;
	e->n.calls_live--;
	e->roster_gen++;
	ec->gone = mono + e->cfg.retain_ms;
}

/* Track a new live call from its call_start event; NULL if refused (counted). */
static struct ecall *
track(struct engine *e, const struct proto_event *ev, int64_t mono)
{
	const struct proto_call_start *s = &ev->u.start;
	struct ecall *ec;

	if (find(e, ev->call) != NULL) {
		engine_reject(e, ENGINE_R_DUPLICATE_START, ev->call, NULL, mono);
		return NULL;
	}
	if (e->n.calls_tracked >= e->cfg.max_calls) {
		engine_reject(e, ENGINE_R_CALL_CAP, ev->call, NULL, mono);
		return NULL;
	}
	ec = tab_grow(e) == 0 ? calloc(1, sizeof(*ec) + e->cfg.trend_len) : NULL;
	if (ec == NULL || (ec->c = call_new(ev->call, s->agent, s->queue, s->channel,
	    ev->ts_ms, e->cfg.trend_len)) == NULL) {
		free(ec);
		engine_reject(e, ENGINE_R_CALL_CAP, ev->call, "out of memory", mono);
		return NULL;
	}
	ec->hash = hash_id(ec->c->id);
	ec->last_mono = mono;
	memcpy(ec->agent_name, s->agent_name, sizeof(ec->agent_name));
	ec->live = true;
	tab_insert(e, ec);
	e->n.calls_tracked++;
	e->n.calls_live++;
	e->roster_gen++;
	return ec;
}

static void
start_call(struct engine *e, const struct proto_event *ev, int64_t mono)
{
	struct ecall *ec = track(e, ev, mono);

	if (ec == NULL)
		return;
	e->n.calls_started++;
	e->n.accepted++;
	touch(e, ec, mono, true);
}

int
engine_resume(struct engine *e, const struct proto_event *start, int64_t last_ms,
    int64_t wall_ms, int64_t mono_ms)
{
	struct ecall *ec;

	e->wall = wall_ms;
	e->mono = mono_ms;
	if (start->type != PROTO_EV_CALL_START)
		return -1;
	if (e->cfg.shard.count > 1 && shard_of(start->call, e->cfg.shard.count) != e->cfg.shard.index)
		return -1;
	if ((ec = track(e, start, mono_ms)) == NULL)
		return -1;
	if (last_ms > ec->c->last_ms)
		ec->c->last_ms = last_ms;
	e->n.calls_resumed++;
	touch(e, ec, mono_ms, true);
	return 0;
}

void
engine_roster(const struct engine *e, engine_roster_fn fn, void *ud)
{
	struct proto_event *ev = e->ev;
	const struct ecall *ec;
	size_t i;

	for (i = 0; i <= e->mask; i++) {
		if ((ec = e->tab[i]) == NULL || !ec->live)
			continue;
		memset(ev, 0, sizeof(*ev));
		ev->type = PROTO_EV_CALL_START;
		memcpy(ev->call, ec->c->id, sizeof(ev->call));
		ev->ts_ms = ec->c->start_ms;
		memcpy(ev->u.start.agent, ec->c->agent, sizeof(ev->u.start.agent));
		memcpy(ev->u.start.agent_name, ec->agent_name, sizeof(ev->u.start.agent_name));
		memcpy(ev->u.start.queue, ec->c->queue, sizeof(ev->u.start.queue));
		ev->u.start.channel = ec->c->channel;
		fn(ud, ev, ec->c->last_ms);
	}
}

uint64_t
engine_roster_gen(const struct engine *e)
{
	return e->roster_gen;
}

static enum call_err
apply_utterance(struct engine *e, struct ecall *ec, const struct proto_event *ev)
{
	const struct proto_utterance *u = &ev->u.utt;
	struct call *c = ec->c;
	struct call_utterance cu;
	struct sentiment_result sr;
	uint32_t before = c->trend.count;
	enum call_err ce;
	struct watch *w;
	bool scored;

	if (u->speaker == UT_SP_AGENT)   /* timing only: never scored */
		return call_agent(c, &e->cfg.policy->sig, ev->ts_ms,
		    c->start_ms + u->start_ms, c->start_ms + u->end_ms);
	memset(&cu, 0, sizeof(cu));
	cu.ts_ms = ev->ts_ms;
	cu.start_ms = c->start_ms + u->start_ms;
	cu.end_ms = c->start_ms + u->end_ms;
	cu.text = u->text;
	cu.len = u->text_len;
	/* Explained only while a detail view watches the call (engine_detail). */
	w = watch_of(e, ec);
	scored = sentiment_score(e->cfg.lex, u->text, u->text_len, &sr, w ? e->ex : NULL) == SENTIMENT_OK;
	if (!scored)
		sr.compound = 0;
	cu.compound = (float)sr.compound;
	cu.has_voice = u->voice.present;
	cu.loudness_dbfs = (float)u->voice.loudness_dbfs;
	cu.pitch_hz = (float)u->voice.pitch_hz;
	cu.rate_wps = (float)u->voice.rate_wps;
	ce = call_customer(c, &e->cfg.policy->sig, &cu);
	if (ce == CALL_OK && w != NULL && scored)
		watch_note(w, u->end_ms, sr.compound, e->ex);
	if (ce == CALL_OK && c->trend.count != before && c->trend.cap > 0) {
		struct call_figures f;
		call_figures(c, &e->cfg.policy->sig, ev->ts_ms, &f);
		ec->fr[(c->trend.head + c->trend.cap - 1) % c->trend.cap] =
		    (uint8_t)lrintf(clampf(f.frustration.value, 0, 1) * 255.0f);
	}
	return ce;
}

static void
apply_transfer(struct ecall *ec, const struct proto_transfer *t)
{
	memcpy(ec->c->agent, t->agent, sizeof(ec->c->agent));
	memcpy(ec->agent_name, t->agent_name, sizeof(ec->agent_name));
	if (t->queue[0] != '\0')
		memcpy(ec->c->queue, t->queue, sizeof(ec->c->queue));
}

void
engine_event(struct engine *e, const struct proto_event *ev, int64_t wall_ms, int64_t mono_ms)
{
	struct ecall *ec;
	enum call_err ce = CALL_OK;
	bool ended = false;

	e->wall = wall_ms;
	e->mono = mono_ms;
	/* Sharded: another analyzer owns this call (shard.h); not an error. */
	if (e->cfg.shard.count > 1 && shard_of(ev->call, e->cfg.shard.count) != e->cfg.shard.index) {
		e->n.other_shard++;
		return;
	}
	if (ev->type == PROTO_EV_CALL_START) {
		start_call(e, ev, mono_ms);
		if (ev->ts_ms > e->max_ts)
			e->max_ts = ev->ts_ms;
		return;
	}
	if ((ec = find(e, ev->call)) == NULL) {
		engine_reject(e, ENGINE_R_UNKNOWN_CALL, ev->call, proto_event_type_name(ev->type), mono_ms);
		return;
	}
	if (ev->type == PROTO_EV_UTTERANCE && !ev->u.utt.final) {
		e->n.partials++;   /* only final text is scored */
		return;
	}
	switch (ev->type) {
	case PROTO_EV_UTTERANCE:
		ce = apply_utterance(e, ec, ev);
		break;
	case PROTO_EV_HOLD:
		ce = call_hold(ec->c, ev->u.hold.on, ev->ts_ms);
		break;
	case PROTO_EV_CALL_END:
		ce = call_end(ec->c, ev->ts_ms);
		if (ce == CALL_OK && ev->u.end.state == UT_CS_ABANDONED)
			ec->c->state = UT_CS_ABANDONED;
		ended = ce == CALL_OK;
		break;
	case PROTO_EV_TRANSFER:
		if (!call_is_live(ec->c))
			ce = CALL_ERR_ENDED;
		else if (ev->ts_ms < ec->c->last_ms)
			ce = CALL_ERR_BACKWARDS;
		else {
			apply_transfer(ec, &ev->u.transfer);
			e->roster_gen++;
		}
		break;
	default:
		break;
	}
	if (ce != CALL_OK) {
		engine_reject(e, call_err_reason(ce), ev->call, proto_event_type_name(ev->type), mono_ms);
		return;
	}
	e->n.accepted++;
	ec->last_mono = mono_ms;
	if (ev->ts_ms > e->max_ts)
		e->max_ts = ev->ts_ms;
	if (ended) {
		e->n.calls_ended++;
		mark_ended(e, ec, mono_ms);
	}
	evaluate(e, ec, ev->ts_ms, mono_ms);
	touch(e, ec, mono_ms, ended);
}

void
engine_frame(struct engine *e, const void *data, size_t len, int64_t wall_ms, int64_t mono_ms)
{
	struct codec_diag diag = { "", 0 };
	enum codec_err ce = jsonio_decode_frame(data, len, e->ev, &diag);
	char detail[96];

	if (ce != CODEC_OK) {
		snprintf(detail, sizeof(detail), "field '%s' at byte %zu", diag.field ? diag.field : "", diag.offset);
		engine_reject(e, (int)ce, NULL, detail, mono_ms);
		return;
	}
	engine_event(e, e->ev, wall_ms, mono_ms);
}

/* ---- periodic work ---- */

static void
forget(struct engine *e, struct ecall *ec)
{
	uint16_t s;

	struct watch *w = watch_of(e, ec);

	if (w != NULL)
		watch_drop(e, w);
	dirty_unlink(e, ec);
	for (s = ec->shown; s; s &= (uint16_t)(s - 1))
		e->n.suggestions_open--;
	tab_delete(e, ec);
	e->n.calls_tracked--;
	call_free(ec->c);
	free(ec);
}

static void
visit(struct engine *e, struct ecall *ec, int64_t mono)
{
	struct call *c = ec->c;
	int64_t now = call_now(e, ec);

	if (!ec->live) {
		if (mono >= ec->gone)
			forget(e, ec);
		return;
	}
	if (call_tick(c, now, e->cfg.abandon_ms)) {
		e->n.calls_abandoned++;
		mark_ended(e, ec, mono);
		evaluate(e, ec, now, mono);
		touch(e, ec, mono, true);
		return;
	}
	evaluate(e, ec, now, mono);
}

static void
visit_slice(struct engine *e, int64_t mono)
{
	size_t size = e->mask + 1, n = size / SLICES_PER_S + 1;
	struct ecall *ec;

	while (n-- > 0) {
		e->cursor = (e->cursor + 1) & e->mask;
		ec = e->tab[e->cursor];
		if (ec != NULL) {
			visit(e, ec, mono);
			/* A deletion may have shifted another call into this slot. */
			if (e->tab[e->cursor] != ec && e->tab[e->cursor] != NULL)
				e->cursor = (e->cursor - 1) & e->mask;
		}
	}
}

static void
flush_due(struct engine *e, int64_t mono)
{
	struct ecall *ec = e->dhead, *next;

	for (; ec != NULL; ec = next) {
		next = ec->dnext;
		if (mono - ec->last_pub >= e->interval)
			publish_update(e, ec, mono);
	}
}

void
engine_heartbeat(struct engine *e, int64_t wall_ms, int64_t mono_ms)
{
	struct proto_heartbeat *hb = &e->msg->u.hb;
	int r;

	e->wall = wall_ms;
	e->mono = mono_ms;
	proto_msg_init(e->msg, PROTO_MSG_HEARTBEAT);
	hb->calls_active = e->n.calls_live;
	hb->events_accepted = e->n.accepted;
	hb->published = e->n.published;
	hb->uptime_ms = mono_ms - e->start_mono;
	hb->interval_ms = e->cfg.heartbeat_ms;
	for (r = 1; r < ENGINE_R__COUNT && hb->n_rejected < PROTO_REJECT_MAX; r++) {
		if (e->n.rejected[r] == 0)
			continue;
		snprintf(hb->rejected[hb->n_rejected].reason, sizeof(hb->rejected[0].reason), "%s",
		    engine_reason_name(r));
		hb->rejected[hb->n_rejected++].count = e->n.rejected[r];
	}
	emit(e, e->msg);
}

long
engine_tick(struct engine *e, int64_t wall_ms, int64_t mono_ms)
{
	int64_t wait;
	int k;

	e->wall = wall_ms;
	e->mono = mono_ms;
	if (e->start_mono == 0)
		e->start_mono = mono_ms;
	flush_due(e, mono_ms);
	watch_expire(e, mono_ms);
	/* Catch up on missed slices (sparse ticks) so every call is still
	 * visited about once a second, but never more than a full sweep. */
	for (k = 0; mono_ms >= e->next_slice && k < SLICES_PER_S; k++) {
		visit_slice(e, mono_ms);
		e->next_slice += 1000 / SLICES_PER_S;
	}
	if (mono_ms >= e->next_slice)
		e->next_slice = mono_ms + 1000 / SLICES_PER_S;
	/* Replaying, the clock is event time: heartbeats are the caller's. */
	if (e->cfg.event_clock) {
		e->next_hb = INT64_MAX;
	} else if (mono_ms >= e->next_hb) {
		engine_heartbeat(e, wall_ms, mono_ms);
		e->next_hb = mono_ms + e->cfg.heartbeat_ms;
	}
	wait = e->next_slice < e->next_hb ? e->next_slice - mono_ms : e->next_hb - mono_ms;
	if (e->dhead != NULL && e->interval / 4 < wait)
		wait = e->interval / 4 > 0 ? e->interval / 4 : 1;
	return wait < 0 ? 0 : (long)wait;
}

/* ---- decisions ---- */

static bool
seen_decision(struct engine *e, const char *uuid)
{
	unsigned i, n = e->ndecided < DECISION_IDS ? e->ndecided : DECISION_IDS;

	for (i = 0; i < n; i++)
		if (strcmp(e->decided[i], uuid) == 0)
			return true;
	snprintf(e->decided[e->ndecided++ % DECISION_IDS], UT_ID_MAX + 1, "%s", uuid);
	return false;
}

static void
ack_set(struct proto_ack *a, bool ok, const char *uuid, const char *code, const char *text)
{
	memset(a, 0, sizeof(*a));
	a->ok = ok;
	snprintf(a->uuid, sizeof(a->uuid), "%s", uuid);
	snprintf(a->code, sizeof(a->code), "%s", code);
	snprintf(a->text, sizeof(a->text), "%s", text);
}

static enum policy_decide_err
apply_decision(struct engine *e, struct ecall *ec, const struct proto_decision *d,
    int64_t now, size_t *ntr)
{
	const char *sid = d->suggestion[0] ? d->suggestion : NULL;

	*ntr = 0;
	switch (d->kind) {
	case UT_DE_RAISE:
		ec->flag = (uint8_t)(d->severity >= UT_SEVERITY_MIN && d->severity <= UT_SEVERITY_MAX ? d->severity : 2);
		snprintf(ec->flag_reason, sizeof(ec->flag_reason), "%s", d->reason);
		return POLICY_DECIDE_OK;
	case UT_DE_TAG:
		return POLICY_DECIDE_OK;
	case UT_DE_CLEAR:
		if (sid == NULL) {
			ec->flag = 0;
			ec->flag_reason[0] = '\0';
			return POLICY_DECIDE_OK;
		}
		break;
	default:
		break;
	}
	return policy_decide(e->cfg.policy, ec->c, d->kind, sid, d->supervisor, now,
	    d->until_ms, e->tr, POLICY_TRANSITIONS_MAX, ntr);
}

/* Publish a recorded decision to every console, on the call's queue topic,
 * naming the policy in force when the console did not. */
static void
echo_decision(struct engine *e, const struct proto_decision *d, const char *queue)
{
	struct proto_decision *out = &e->msg->u.dec;

	e->n.decisions++;
	proto_msg_init(e->msg, PROTO_MSG_DECISION_RECORDED);
	*out = *d;
	snprintf(out->queue, sizeof(out->queue), "%s", queue);
	if (out->policy[0] == '\0')
		snprintf(out->policy, sizeof(out->policy), "%s", e->cfg.policy->version);
	emit(e, e->msg);
}

/* A decision on a call this analyzer does not track: typically one a lead
 * took while we were down, forwarded after our restart. It is a human
 * record (already durable in the console's log), so echo it to every
 * console; there is no policy state to apply it to. Without a queue it
 * cannot be routed to subscribers, so it is refused as before. */
static void
decide_untracked(struct engine *e, const struct proto_decision *d, struct proto_ack *ack)
{
	if (!proto_queue_valid(d->queue, strlen(d->queue))) {
		ack_set(ack, false, d->uuid, "unknown_call", "no such call");
		return;
	}
	if (seen_decision(e, d->uuid)) {
		ack_set(ack, true, d->uuid, "duplicate", "already recorded");
		return;
	}
	echo_decision(e, d, d->queue);
	ack_set(ack, true, d->uuid, "untracked", "recorded and shared; this analyzer does not track the call");
}

void
engine_decision(struct engine *e, const struct proto_decision *d,
    int64_t wall_ms, int64_t mono_ms, struct proto_ack *ack)
{
	struct ecall *ec = find(e, d->call);
	enum policy_decide_err pe;
	size_t ntr = 0, i;

	e->wall = wall_ms;
	e->mono = mono_ms;
	if (ec == NULL) {
		decide_untracked(e, d, ack);
		return;
	}
	if (seen_decision(e, d->uuid)) {
		ack_set(ack, true, d->uuid, "duplicate", "already recorded");
		return;
	}
	pe = apply_decision(e, ec, d, call_now(e, ec), &ntr);
	if (pe != POLICY_DECIDE_OK) {
		e->ndecided--;   /* not recorded: the same uuid may be retried */
		ack_set(ack, false, d->uuid,
		    pe == POLICY_DECIDE_NO_SUGGESTION ? "unknown_suggestion" : "invalid",
		    pe == POLICY_DECIDE_NO_SUGGESTION ? "no such open suggestion" : "decision not applicable");
		return;
	}
	for (i = 0; i < ntr; i++)
		publish_transition(e, ec, &e->tr[i], mono_ms);
	echo_decision(e, d, ec->c->queue);
	touch(e, ec, mono_ms, true);
	ack_set(ack, true, d->uuid, "ok", "");
}

/* ---- snapshot ---- */

static bool
in_queue(const struct ecall *ec, const char *queue)
{
	return queue == NULL || queue[0] == '\0' || strcmp(ec->c->queue, queue) == 0;
}

static int
snap_emit(struct engine *e, struct proto_msg *m, uint64_t req, engine_out_fn out, void *ud)
{
	struct topic_seq *ts = topic_slot(e, m, false);

	/* Items carry their topic's tseq at S; begin/end have no topic. */
	m->h.tseq = ts != NULL ? ts->n : 0;
	snprintf(m->h.pub, sizeof(m->h.pub), "%s", e->cfg.pub);
	m->h.seq = e->seq;
	m->h.ts_ms = e->wall;
	m->h.req = req;
	return out(ud, m);
}

static void
snap_mark(struct engine *e, enum proto_msg_type t, const char *queue, uint64_t calls, uint64_t sugs)
{
	proto_msg_init(e->msg, t);
	e->msg->u.snap.calls = calls;
	e->msg->u.snap.suggestions = sugs;
	snprintf(e->msg->u.snap.queue, sizeof(e->msg->u.snap.queue), "%s", queue ? queue : "");
}

static int
snap_suggestions(struct engine *e, struct ecall *ec, uint64_t req, engine_out_fn out, void *ud)
{
	struct policy_suggestion s;
	int r;

	for (r = 0; r < 16; r++) {
		if (!(ec->shown & (1u << r)))
			continue;
		policy_suggestion_fill(e->cfg.policy, ec->c, r, call_now(e, ec), &s);
		proto_msg_init(e->msg, PROTO_MSG_SUGGESTION_RAISED);
		to_proto_suggestion(e, ec, &s, POLICY_CLR_NONE, &e->msg->u.sug);
		if (snap_emit(e, e->msg, req, out, ud) != 0)
			return -1;
	}
	return 0;
}

long
engine_snapshot(struct engine *e, const char *queue, uint64_t req, int64_t wall_ms,
    engine_out_fn out, void *ud)
{
	uint64_t calls = 0, sugs = 0;
	size_t i;
	long sent = 2;

	e->wall = wall_ms;
	for (i = 0; i <= e->mask; i++)
		if (e->tab[i] != NULL && in_queue(e->tab[i], queue)) {
			uint16_t s;
			calls++;
			for (s = e->tab[i]->shown; s; s &= (uint16_t)(s - 1))
				sugs++;
		}
	snap_mark(e, PROTO_MSG_SNAPSHOT_BEGIN, queue, calls, sugs);
	if (snap_emit(e, e->msg, req, out, ud) != 0)
		return -1;
	/* Every call_update first, then every open suggestion (protocol 6.1). */
	for (i = 0; i <= e->mask; i++) {
		struct ecall *ec = e->tab[i];
		if (ec == NULL || !in_queue(ec, queue))
			continue;
		fill_update(e, ec, e->msg, true);
		if (snap_emit(e, e->msg, req, out, ud) != 0)
			return -1;
		sent++;
	}
	for (i = 0; i <= e->mask; i++) {
		struct ecall *ec = e->tab[i];
		if (ec == NULL || !in_queue(ec, queue) || ec->shown == 0)
			continue;
		if (snap_suggestions(e, ec, req, out, ud) != 0)
			return -1;
		sent += __builtin_popcount(ec->shown);
	}
	snap_mark(e, PROTO_MSG_SNAPSHOT_END, queue, calls, sugs);
	if (snap_emit(e, e->msg, req, out, ud) != 0)
		return -1;
	e->n.snapshots++;
	return sent;
}

/* ---- call detail ---- */

static void
add_threshold(struct proto_call_detail *d, const char *rule, const char *signal,
    double value, double window_s)
{
	struct proto_threshold *t;

	if (d->n_thresholds >= PROTO_THRESHOLDS_MAX || !isfinite(value) || fabs(value) > 1e12)
		return;
	t = &d->thresholds[d->n_thresholds++];
	utf8_copy_clip(t->rule, sizeof(t->rule), rule);
	utf8_copy_clip(t->signal, sizeof(t->signal), signal);
	t->value = value;
	t->window_ms = isfinite(window_s) && window_s > 0 && window_s < 1e12 ? (int64_t)llround(window_s * 1000) : 0;
}

/* The enabled rules' thresholds, named by the signal each compares
 * (doc/protocol.md 6.4). */
static void
fill_thresholds(const struct policy *p, struct proto_call_detail *d)
{
	int i;

	for (i = 0; i < p->nrules; i++) {
		const struct policy_rule *r = &p->rule[i];
		if (!r->enabled)
			continue;
		switch (r->type) {
		case POLICY_RT_DROP:
			add_threshold(d, r->name, "sentiment_drop", r->threshold, r->window_s);
			break;
		case POLICY_RT_FRUSTRATION:
			add_threshold(d, r->name, "frustration", r->threshold, r->window_s);
			break;
		case POLICY_RT_ESCALATION_REQUEST:
			add_threshold(d, r->name, "escalation", r->threshold, 0);
			break;
		case POLICY_RT_LONG_CALL:
			add_threshold(d, r->name, "sentiment_ewma", r->ewma_max, r->window_s);
			add_threshold(d, r->name, "sentiment_slope", r->slope_max, 0);
			break;
		case POLICY_RT_END_SENTIMENT:
			add_threshold(d, r->name, "sentiment_end", r->threshold, 0);
			break;
		default:
			break;
		}
	}
}

/* A watch for ec: its own, a free slot, or the one closest to lapsing. */
static struct watch *
watch_take(struct engine *e, struct ecall *ec)
{
	struct watch *w = watch_of(e, ec), *best = NULL;
	unsigned i;

	if (w != NULL)
		return w;
	for (i = 0; i < ENGINE_WATCH_MAX; i++) {
		w = &e->watch[i];
		if (w->ec == NULL) {
			best = w;
			break;
		}
		if (best == NULL || w->until < best->until)
			best = w;
	}
	if (best->ec != NULL)
		watch_drop(e, best);
	best->ec = ec;
	e->nwatch++;
	return best;
}

int
engine_detail(struct engine *e, const char *call, uint64_t req, int64_t wall_ms,
    int64_t mono_ms, struct proto_msg *m)
{
	struct ecall *ec = call != NULL ? find(e, call) : NULL;
	struct proto_call_detail *d = &m->u.detail;
	struct watch *w;
	unsigned i;

	e->wall = wall_ms;
	e->mono = mono_ms;
	if (ec == NULL)
		return -1;
	w = watch_take(e, ec);
	w->until = mono_ms + ENGINE_WATCH_MS;
	proto_msg_init(m, PROTO_MSG_CALL_DETAIL);
	snprintf(m->h.pub, sizeof(m->h.pub), "%s", e->cfg.pub);
	m->h.seq = e->seq;
	m->h.ts_ms = wall_ms;
	m->h.req = req;
	memcpy(d->call, ec->c->id, sizeof(d->call));
	snprintf(d->policy, sizeof(d->policy), "%s", e->cfg.policy->version[0] ? e->cfg.policy->version : "unnamed");
	fill_thresholds(e->cfg.policy, d);
	for (i = 0; i < w->n; i++)   /* oldest first */
		d->explained[i] = w->ring[(w->next + PROTO_EXPLAINED_MAX - w->n + i) % PROTO_EXPLAINED_MAX];
	d->n_explained = w->n;
	return 0;
}

/* ---- lifecycle ---- */

const struct engine_counters *
engine_counters(const struct engine *e)
{
	return &e->n;
}

uint64_t
engine_seq(const struct engine *e)
{
	return e->seq;
}

const char *
engine_pub(const struct engine *e)
{
	return e->cfg.pub;
}

struct engine *
engine_new(const struct engine_config *cfg, engine_out_fn publish, void *ud, char *err, size_t errlen)
{
	struct engine *e;
	size_t size = 1024;

	if (cfg->policy == NULL || cfg->lex == NULL || cfg->max_calls == 0 ||
	    cfg->max_calls > (1u << 26) || cfg->rate <= 0 || cfg->heartbeat_ms <= 0 ||
	    cfg->trend_len == 0 || cfg->trend_len > UT_TREND_MAX) {
		snprintf(err, errlen, "invalid engine configuration");
		return NULL;
	}
	e = calloc(1, sizeof(*e));
	if (e == NULL || (e->tab = calloc(size, sizeof(*e->tab))) == NULL ||
	    (e->tags = calloc(size, sizeof(*e->tags))) == NULL ||
	    (e->ev = malloc(sizeof(*e->ev))) == NULL || (e->msg = malloc(sizeof(*e->msg))) == NULL ||
	    (e->topics = calloc(2 * TOPICS_MAX, sizeof(*e->topics))) == NULL ||
	    (e->watch = calloc(ENGINE_WATCH_MAX, sizeof(*e->watch))) == NULL ||
	    (e->ex = malloc(sizeof(*e->ex))) == NULL) {
		snprintf(err, errlen, "out of memory");
		engine_free(e);
		return NULL;
	}
	e->cfg = *cfg;
	e->mask = size - 1;
	e->publish = publish;
	e->ud = ud;
	e->interval = (int64_t)ceil(1000.0 / cfg->rate);
	return e;
}

void
engine_free(struct engine *e)
{
	size_t i;

	if (e == NULL)
		return;
	if (e->tab != NULL)
		for (i = 0; i <= e->mask; i++)
			if (e->tab[i] != NULL) {
				call_free(e->tab[i]->c);
				free(e->tab[i]);
			}
	free(e->tab);
	free(e->tags);
	free(e->topics);
	free(e->watch);
	free(e->ex);
	free(e->ev);
	free(e->msg);
	free(e);
}
