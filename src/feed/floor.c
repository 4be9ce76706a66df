/* floor: lazily generated concurrent calls in event-time order (see floor.h). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "floor.h"

enum next_kind { NX_START, NX_SAY, NX_HOLD_ON, NX_HOLD_OFF, NX_TRANSFER, NX_END, NX_DONE };

/* One seat: one agent taking one call after another. */
struct seat {
	struct scen_choice ch;
	struct feed_rng rng;
	int64_t call_ms;         /* call start, ms since epoch */
	int64_t next_ts;         /* event time of the planned event */
	int64_t cursor;          /* ms after call start where the dialogue stands */
	int64_t prev_start, prev_end;
	int64_t plan_start, plan_end, hold_off;
	uint32_t callno;
	uint16_t turn;           /* turn index of the planned event */
	uint8_t next;            /* enum next_kind */
	uint8_t variant;
	uint8_t queue;
	bool after_onset, cut;
	float rate_base, loud_base, pitch_base;
};

struct floor {
	const struct scen_library *lib;
	struct floor_opts o;
	const struct scenario *only;
	struct seat *seats;
	uint32_t *heap;          /* seat indices ordered by next_ts */
	unsigned nheap;
	uint32_t callseq;
	struct floor_stats st;
};

/* ---- heap of seats by next event time (ties: seat index, for determinism) ---- */

static bool
before(const struct floor *f, uint32_t a, uint32_t b)
{
	int64_t ta = f->seats[a].next_ts, tb = f->seats[b].next_ts;
	return ta < tb || (ta == tb && a < b);
}

static void
heap_swap(struct floor *f, unsigned i, unsigned j)
{
	uint32_t t = f->heap[i];
	f->heap[i] = f->heap[j];
	f->heap[j] = t;
}

static void
sift_down(struct floor *f, unsigned i)
{
	for (;;) {
		unsigned l = 2 * i + 1, r = l + 1, m = i;
		if (l < f->nheap && before(f, f->heap[l], f->heap[m]))
			m = l;
		if (r < f->nheap && before(f, f->heap[r], f->heap[m]))
			m = r;
		if (m == i)
			return;
		heap_swap(f, i, m);
		i = m;
	}
}

/* ---- planning ---- */

static int64_t
secs(struct seat *s, double lo, double hi)
{
	return (int64_t)llround(feed_rng_range(&s->rng, lo, hi) * 1000.0);
}

static unsigned
count_words(const char *t)
{
	unsigned n = 0;
	bool in = false;

	for (; *t; t++) {
		bool w = !isspace((unsigned char)*t);
		if (w && !in)
			n++;
		in = w;
	}
	return n;
}

static void
default_gap(enum ut_channel ch, bool first, double *lo, double *hi)
{
	static const double gaps[UT_CH__COUNT][2] = {
		{ 0.3, 1.2 }, { 4.0, 15.0 }, { 60.0, 240.0 }, { 60.0, 240.0 }
	};
	*lo = first ? 0.5 : gaps[ch][0];
	*hi = first ? 2.0 : gaps[ch][1];
}

/* Duration of an utterance: speaking (voice), typing (chat), instant otherwise. */
static int64_t
utterance_ms(struct seat *s, const struct scen_turn *t, unsigned words, size_t bytes)
{
	enum ut_channel ch = s->ch.sc->channel;
	double rate;

	if (ch == UT_CH_VOICE) {
		rate = (t->who == UT_SP_CUSTOMER ? s->rate_base : 2.9) * (1.0 + 0.35 * t->arousal);
		return (int64_t)llround((double)(words ? words : 1) / rate * 1000.0);
	}
	if (ch == UT_CH_CHAT)
		return (int64_t)llround((double)bytes / feed_rng_range(&s->rng, 4.0, 7.0) * 1000.0);
	return 0;
}

static void plan(struct floor *f, struct seat *s);

static void
plan_say(struct floor *f, struct seat *s, const struct scen_turn *t)
{
	char text[UT_TEXT_MAX + 1];
	double lo, hi;
	int64_t start, dur;
	int n;

	s->variant = (uint8_t)feed_rng_below(&s->rng, t->nsay);
	n = scenario_expand(f->lib, &s->ch, t->say[s->variant], text, sizeof(text));
	if (t->has_gap) {
		lo = t->gap_min;
		hi = t->gap_max;
	} else {
		default_gap(s->ch.sc->channel, s->turn == 0, &lo, &hi);
	}
	dur = utterance_ms(s, t, count_words(text), n > 0 ? (size_t)n : 0);
	start = s->cursor + secs(s, lo, hi);
	if (t->interrupt && s->ch.sc->channel == UT_CH_VOICE && s->prev_end > s->prev_start) {
		/* Talk over the agent's last words, and past their end. */
		start = s->prev_end - secs(s, 0.4, 1.2);
		if (start < s->prev_start + 200)
			start = s->prev_start + 200;
		if (start + dur < s->prev_end + 100)
			dur = s->prev_end + 100 - start;
	}
	s->plan_start = start;
	s->plan_end = start + dur;
	s->next = NX_SAY;
	s->next_ts = s->call_ms + s->plan_end;
}

static void
plan_turn(struct floor *f, struct seat *s)
{
	const struct scenario *sc = s->ch.sc;
	const struct scen_turn *t;

	if (s->turn >= sc->nturns) {
		s->next = NX_END;
		s->next_ts = s->call_ms + s->cursor + secs(s, 1.0, 4.0);
		return;
	}
	t = &sc->turns[s->turn];
	if (t->kind == SCEN_TRANSFER) {
		s->next = NX_TRANSFER;
		s->next_ts = s->call_ms + s->cursor + secs(s, 1.0, 5.0);
		return;
	}
	if (t->kind == SCEN_HOLD) {
		s->next = NX_HOLD_ON;
		s->next_ts = s->call_ms + s->cursor + secs(s, 0.5, 2.0);
		s->hold_off = s->next_ts + secs(s, t->hold_min, t->hold_max);
		return;
	}
	plan_say(f, s, t);
}

static void
new_call(struct floor *f, struct seat *s, int64_t at)
{
	const struct scenario *sc = f->only ? f->only : scenario_pick(f->lib, &s->rng);
	unsigned agent = (unsigned)(s - f->seats) % f->lib->agents.n;

	scenario_choose(f->lib, sc, &s->rng, &s->ch);
	s->ch.agent = agent;   /* a seat is one agent, call after call */
	s->queue = (uint8_t)feed_rng_below(&s->rng, sc->nqueues);
	s->callno = ++f->callseq;
	s->call_ms = at;
	s->cursor = 0;
	s->prev_start = s->prev_end = 0;
	s->turn = 0;
	s->after_onset = false;
	s->cut = false;
	s->rate_base = (float)feed_rng_range(&s->rng, 2.1, 2.9);
	s->loud_base = (float)feed_rng_range(&s->rng, -32.0, -24.0);
	s->pitch_base = (float)feed_rng_range(&s->rng, 95.0, 230.0);
	s->next = NX_START;
	s->next_ts = at;
}

static int64_t
floor_end(const struct floor *f)
{
	return f->o.duration_ms > 0 ? f->o.base_ms + f->o.duration_ms : INT64_MAX;
}

/* Decide the seat's next event after the one just emitted. */
static void
plan(struct floor *f, struct seat *s)
{
	int64_t end = floor_end(f);

	switch (s->next) {
	case NX_START:
	case NX_SAY:
	case NX_HOLD_OFF:
	case NX_TRANSFER:
		plan_turn(f, s);
		break;
	case NX_HOLD_ON:
		s->next = NX_HOLD_OFF;
		s->next_ts = s->hold_off;
		break;
	case NX_END:
		/* Wrap-up, then the seat's next call. */
		new_call(f, s, s->next_ts + secs(s, 2.0, 10.0));
		break;
	default:
		break;
	}
	if (s->next_ts >= end && s->next != NX_DONE) {
		/* The floor closes: calls in progress end at the closing time. */
		if (s->next == NX_START) {
			s->next = NX_DONE;
			s->next_ts = INT64_MAX;
		} else {
			s->next = NX_END;
			s->next_ts = end;
			s->cut = true;
		}
	}
}

/* ---- emitting ---- */

static enum proto_truth
truth_of(const struct seat *s, const struct scen_turn *t)
{
	if (!s->ch.sc->frustrated || (!t->onset && !s->after_onset))
		return PROTO_TRUTH_CALM;
	if (t->onset)
		return PROTO_TRUTH_ONSET;
	return t->arousal > 0 ? PROTO_TRUTH_FRUSTRATED : PROTO_TRUTH_RECOVERED;
}

static void
emit_say(struct floor *f, struct seat *s, struct proto_event *ev)
{
	const struct scen_turn *t = &s->ch.sc->turns[s->turn];
	struct proto_utterance *u = &ev->u.utt;
	int n;

	proto_event_init(ev, PROTO_EV_UTTERANCE);
	u->speaker = t->who;
	u->start_ms = s->plan_start;
	u->end_ms = s->plan_end;
	u->final = true;
	n = scenario_expand(f->lib, &s->ch, t->say[s->variant], u->text, sizeof(u->text));
	u->text_len = n > 0 ? (size_t)n : 0;
	u->truth = truth_of(s, t);
	if (t->onset)
		s->after_onset = true;
	if (s->ch.sc->channel == UT_CH_VOICE && t->who == UT_SP_CUSTOMER) {
		double dur = (double)(u->end_ms - u->start_ms) / 1000.0;
		u->voice.present = true;
		u->voice.loudness_dbfs = s->loud_base + 8.0 * t->arousal + feed_rng_range(&s->rng, -1.0, 1.0);
		u->voice.pitch_hz = s->pitch_base * (1.0 + 0.25 * t->arousal) * feed_rng_range(&s->rng, 0.97, 1.03);
		u->voice.rate_wps = dur > 0 ? fmin(20.0, count_words(u->text) / dur) : 0;
	}
	if (t->who == UT_SP_AGENT) {
		s->prev_start = s->plan_start;
		s->prev_end = s->plan_end;
	}
	if (s->plan_end > s->cursor)
		s->cursor = s->plan_end;
	s->turn++;
}

static void
emit_start(struct floor *f, struct seat *s, struct proto_event *ev)
{
	const struct scen_names *ag = &f->lib->agents;
	unsigned seat = (unsigned)(s - f->seats);

	proto_event_init(ev, PROTO_EV_CALL_START);
	snprintf(ev->u.start.agent, sizeof(ev->u.start.agent), "agent-%04u", seat);
	snprintf(ev->u.start.agent_name, sizeof(ev->u.start.agent_name), "%.40s %c.",
	    ag->v[s->ch.agent], 'A' + (int)((seat / ag->n) % 26));
	snprintf(ev->u.start.queue, sizeof(ev->u.start.queue), "%s", s->ch.sc->queues[s->queue]);
	ev->u.start.channel = s->ch.sc->channel;
	f->st.calls_started++;
}

/* The call moves to another queue and a colleague (the seat's "-tl" id). */
static void
emit_transfer(struct floor *f, struct seat *s, struct proto_event *ev)
{
	const struct scen_turn *t = &s->ch.sc->turns[s->turn];

	proto_event_init(ev, PROTO_EV_TRANSFER);
	snprintf(ev->u.transfer.agent, sizeof(ev->u.transfer.agent), "agent-%04u-tl",
	    (unsigned)(s - f->seats));
	snprintf(ev->u.transfer.agent_name, sizeof(ev->u.transfer.agent_name), "%s", t->agent_name);
	snprintf(ev->u.transfer.queue, sizeof(ev->u.transfer.queue), "%s", t->queue);
	s->cursor = s->next_ts - s->call_ms;
	s->turn++;
}

static void
emit(struct floor *f, struct seat *s, struct proto_event *ev)
{
	switch (s->next) {
	case NX_START:
		emit_start(f, s, ev);
		break;
	case NX_SAY:
		emit_say(f, s, ev);
		break;
	case NX_TRANSFER:
		emit_transfer(f, s, ev);
		break;
	case NX_HOLD_ON:
	case NX_HOLD_OFF:
		proto_event_init(ev, PROTO_EV_HOLD);
		ev->u.hold.on = s->next == NX_HOLD_ON;
		if (!ev->u.hold.on) {
			s->cursor = s->hold_off - s->call_ms;
			s->turn++;
		}
		break;
	default:
		proto_event_init(ev, PROTO_EV_CALL_END);
		ev->u.end.state = UT_CS_ENDED;
		f->st.calls_ended++;
		break;
	}
	snprintf(ev->call, sizeof(ev->call), "sim-%llx-%u",
	    (unsigned long long)(f->o.seed & 0xffff), s->callno);
	ev->ts_ms = s->next_ts;
}

int64_t
floor_peek(const struct floor *f)
{
	return f->nheap ? f->seats[f->heap[0]].next_ts : INT64_MAX;
}

int
floor_next(struct floor *f, struct proto_event *ev)
{
	struct seat *s;

	if (f->nheap == 0 || floor_peek(f) == INT64_MAX)
		return 0;
	s = &f->seats[f->heap[0]];
	emit(f, s, ev);
	if (s->next == NX_END && s->cut) {
		s->next = NX_DONE;
		s->next_ts = INT64_MAX;
	} else {
		plan(f, s);
	}
	sift_down(f, 0);
	f->st.events++;
	return 1;
}

const struct floor_stats *
floor_stats(const struct floor *f)
{
	return &f->st;
}

struct floor *
floor_new(const struct scen_library *lib, const struct floor_opts *o, char *err, size_t errlen)
{
	struct floor *f;
	unsigned i;

	if (o->calls == 0 || o->calls > FLOOR_CALLS_MAX || lib->n == 0 || o->duration_ms < 0) {
		snprintf(err, errlen, "calls must be 1..%u", FLOOR_CALLS_MAX);
		return NULL;
	}
	f = calloc(1, sizeof(*f));
	if (f == NULL || (f->seats = calloc(o->calls, sizeof(*f->seats))) == NULL ||
	    (f->heap = calloc(o->calls, sizeof(*f->heap))) == NULL) {
		snprintf(err, errlen, "out of memory for %u calls", o->calls);
		floor_free(f);
		return NULL;
	}
	f->lib = lib;
	f->o = *o;
	if (o->only != NULL && (f->only = scenario_find(lib, o->only)) == NULL) {
		snprintf(err, errlen, "no scenario named '%.64s'", o->only);
		floor_free(f);
		return NULL;
	}
	for (i = 0; i < o->calls; i++) {
		struct seat *s = &f->seats[i];
		feed_rng_seed(&s->rng, o->seed * 1000003u + i);
		new_call(f, s, o->base_ms + secs(s, 0, (double)(o->stagger_ms ? o->stagger_ms : 30000) / 1000.0));
		f->heap[i] = i;
	}
	f->nheap = o->calls;
	for (i = f->nheap / 2 + 1; i-- > 0;)
		sift_down(f, i);
	return f;
}

void
floor_free(struct floor *f)
{
	if (f == NULL)
		return;
	free(f->seats);
	free(f->heap);
	free(f);
}
