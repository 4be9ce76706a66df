/* test_codec_samples: example messages (see test_codec_samples.h). */
#include <stdio.h>
#include <string.h>

#include "test_codec_samples.h"

#define SET(dst, s) snprintf((dst), sizeof(dst), "%s", (s))

static void
sample_utterance(struct proto_utterance *u)
{
	u->speaker = UT_SP_CUSTOMER;
	u->start_ms = 1200;
	u->end_ms = 4800;
	u->final = true;
	u->text_len = (size_t)SET(u->text, "I was charged twice \xe2\x80\x94 this is the THIRD time I call!");
	u->voice.present = true;
	u->voice.loudness_dbfs = -18.5;
	u->voice.pitch_hz = 212.25;
	u->voice.rate_wps = 3.5;
	u->truth = PROTO_TRUTH_ONSET;
}

void
sample_event(enum proto_event_type t, struct proto_event *ev)
{
	proto_event_init(ev, t);
	SET(ev->call, "c-1001");
	ev->ts_ms = SAMPLE_TS;
	switch (t) {
	case PROTO_EV_CALL_START:
		SET(ev->u.start.agent, "a-17");
		SET(ev->u.start.agent_name, "Dana Ru\xc3\xadz");
		SET(ev->u.start.queue, "billing");
		ev->u.start.channel = UT_CH_VOICE;
		break;
	case PROTO_EV_UTTERANCE:
		ev->ts_ms += 4800;
		sample_utterance(&ev->u.utt);
		break;
	case PROTO_EV_HOLD:
		ev->ts_ms += 60000;
		ev->u.hold.on = true;
		break;
	case PROTO_EV_CALL_END:
		ev->ts_ms += 300000;
		ev->u.end.state = UT_CS_ABANDONED;
		break;
	default:
		ev->ts_ms += 120000;
		SET(ev->u.transfer.agent, "a-22");
		SET(ev->u.transfer.agent_name, "Lee Park");
		SET(ev->u.transfer.queue, "retention");
		break;
	}
}

static void
sample_update(struct proto_call_update *u)
{
	static const struct { enum ut_component c; double v, w; const char *ev; } comps[] = {
		{ UT_FC_NEGATIVITY, 0.75, 0.3, "charged twice" },
		{ UT_FC_REPETITION, 0.5, 0.2, "third time" },
		{ UT_FC_ESCALATION, 0.0, 0.2, "" },
	};
	size_t i;

	SET(u->call, "c-1001");
	SET(u->queue, "billing");
	u->channel = UT_CH_VOICE;
	SET(u->agent, "a-17");
	SET(u->agent_name, "Dana Ru\xc3\xadz");
	u->state = UT_CS_ACTIVE;
	u->started_ms = SAMPLE_TS;
	u->duration_ms = 95000;
	u->hold_ms = 12000;
	u->silence_ms = 4000;
	u->utterances = 14;
	u->sentiment.latest = -0.625;
	u->sentiment.ewma = -0.4;
	u->sentiment.mean = -0.2;
	u->sentiment.end = -0.5;
	u->sentiment.slope = -0.25;
	u->frustration = 0.425;
	u->n_components = 3;
	for (i = 0; i < 3; i++) {
		u->components[i].name = comps[i].c;
		u->components[i].value = comps[i].v;
		u->components[i].weight = comps[i].w;
		u->components[i].contribution = comps[i].v * comps[i].w;
		SET(u->components[i].evidence, comps[i].ev);
	}
	u->n_trend = 2;
	u->trend[0] = (struct proto_trend_point){ 90000, -0.5, 0.375 };
	u->trend[1] = (struct proto_trend_point){ 95000, -0.625, 0.425 };
	SET(u->claimed_by, "sup-3");
	u->flag = 2;
	SET(u->reason, "negativity persists: \"charged twice\"");
}

static void
sample_suggestion(enum proto_msg_type t, struct proto_suggestion *s)
{
	SET(s->id, "s-000042");
	SET(s->call, "c-1001");
	SET(s->queue, "billing");
	if (t == PROTO_MSG_SUGGESTION_CLEARED) {
		SET(s->why, "decided");
		return;
	}
	SET(s->rule, "persistent_negativity");
	s->kind = UT_SK_ASSIST;
	s->severity = t == PROTO_MSG_SUGGESTION_UPDATED ? 3 : 2;
	s->n_reasons = 2;
	SET(s->reasons[0].signal, "negativity");
	s->reasons[0].value = 0.75;
	SET(s->reasons[0].phrase, "charged twice");
	SET(s->reasons[1].signal, "repetition");
	s->reasons[1].value = 0.5;
	s->raised_ms = SAMPLE_TS + 90000;
	s->updated_ms = SAMPLE_TS + 95000;
	SET(s->policy, "policy-2026-11-01");
	SET(s->tip, "Acknowledge the double charge and state the refund timeline.");
}

static void
sample_decision(enum proto_msg_type t, struct proto_decision *d)
{
	SET(d->uuid, "6f1c2d1e-8a4b-4c3d-9e2f-0a1b2c3d4e5f");
	SET(d->call, "c-1001");
	SET(d->queue, "billing");
	SET(d->supervisor, "sup-3");
	SET(d->host, "floor-pc-7");
	d->at_ms = SAMPLE_TS + 97000;
	if (t == PROTO_MSG_DECISION_SUBMIT) {
		d->kind = UT_DE_SNOOZE;
		SET(d->suggestion, "s-000042");
		SET(d->reason, "agent_handling");
		d->until_ms = SAMPLE_TS + 397000;
		return;
	}
	d->kind = UT_DE_RAISE;
	SET(d->name, "Sam Okafor");
	SET(d->text, "Customer mentions a lawyer; listen in.");
	d->severity = 2;
	SET(d->policy, "policy-2026-11-01");
}

static void
sample_heartbeat(struct proto_heartbeat *hb)
{
	hb->calls_active = 1234;
	hb->events_accepted = 987654321;
	hb->published = 4567890;
	hb->uptime_ms = 3600000;
	hb->interval_ms = 1000;
	hb->n_rejected = 2;
	SET(hb->rejected[0].reason, "bad_utf8");
	hb->rejected[0].count = 3;
	SET(hb->rejected[1].reason, "unknown_call");
	hb->rejected[1].count = 17;
}

static void
sample_detail(struct proto_call_detail *d)
{
	SET(d->call, "c-1001");
	SET(d->policy, "policy-2026-11-01");
	SET(d->thresholds[0].rule, "sentiment_drop");
	SET(d->thresholds[0].signal, "sentiment_drop");
	d->thresholds[0].value = 0.5;
	d->thresholds[0].window_ms = 60000;
	SET(d->thresholds[1].rule, "ended_negative");
	SET(d->thresholds[1].signal, "sentiment_end");
	d->thresholds[1].value = -0.3;
	d->n_thresholds = 2;
	d->explained[0].t_ms = 4800;
	d->explained[0].compound = -0.625;
	SET(d->explained[0].text, "\"charged\" -1.0; \"twice\" (caps) -0.6; !! -0.6");
	d->explained[1].t_ms = 9100;
	d->explained[1].compound = 0.25;
	SET(d->explained[1].text, "\"thanks\" 1.9");
	d->n_explained = 2;
}

void
sample_msg(enum proto_msg_type t, struct proto_msg *m)
{
	proto_msg_init(m, t);
	SET(m->h.pub, "an-1");
	m->h.seq = 5000000000ULL + (uint64_t)t;
	m->h.ts_ms = SAMPLE_TS + 95000;
	switch (t) {
	case PROTO_MSG_CALL_UPDATE: sample_update(&m->u.upd); break;
	case PROTO_MSG_SUGGESTION_RAISED:
	case PROTO_MSG_SUGGESTION_UPDATED:
	case PROTO_MSG_SUGGESTION_CLEARED: sample_suggestion(t, &m->u.sug); break;
	case PROTO_MSG_DECISION_RECORDED:
	case PROTO_MSG_DECISION_SUBMIT: sample_decision(t, &m->u.dec); break;
	case PROTO_MSG_HEARTBEAT: sample_heartbeat(&m->u.hb); break;
	case PROTO_MSG_SNAPSHOT_REQUEST: SET(m->u.snapreq.queue, "billing"); break;
	case PROTO_MSG_SNAPSHOT_BEGIN:
	case PROTO_MSG_SNAPSHOT_END:
		m->u.snap.calls = 2;
		m->u.snap.suggestions = 1;
		SET(m->u.snap.queue, "billing");
		break;
	case PROTO_MSG_DETAIL_REQUEST: SET(m->u.detreq.call, "c-1001"); break;
	case PROTO_MSG_CALL_DETAIL: sample_detail(&m->u.detail); break;
	case PROTO_MSG_DECISION_ACK:
		m->u.ack.ok = true;
		SET(m->u.ack.uuid, "6f1c2d1e-8a4b-4c3d-9e2f-0a1b2c3d4e5f");
		SET(m->u.ack.code, "ok");
		break;
	default:
		SET(m->u.ack.code, "bad_request");
		SET(m->u.ack.text, "snapshot_request: wrong_type in queue");
		break;
	}
	if (proto_msg_is_feed(t))
		m->h.tseq = 42;
	if (proto_msg_is_request(t)) {
		SET(m->h.pub, "console-7");
		m->h.seq = 0;
		m->h.ts_ms = 0;
	}
	if (!proto_msg_is_feed(t))
		m->h.req = 77;
}
