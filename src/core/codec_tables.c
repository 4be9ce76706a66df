/*
 * codec_tables: every message of protocol v1 as a table of fields (see
 * codec_internal.h). doc/protocol.md lists the same keys, types and bounds;
 * change both together.
 */
#include <stddef.h>

#include "codec_internal.h"

typedef struct proto_event EV;
typedef struct proto_msg MSG;

#define MSIZE(T, m) sizeof(((T *)0)->m)
#define KEY(k) .key = k, .klen = sizeof(k) - 1

#define F_SKIP(k, fl) { KEY(k), .type = CF_SKIP, .flags = fl }
#define F_STR(k, T, m, fl) \
	{ KEY(k), .type = CF_STR, .flags = fl, .off = offsetof(T, m), .size = MSIZE(T, m) }
#define F_QUEUE(k, T, m, fl) \
	{ KEY(k), .type = CF_QUEUE, .flags = fl, .off = offsetof(T, m), .size = MSIZE(T, m) }
#define F_TEXT(k, T, m, lm, fl) \
	{ KEY(k), .type = CF_TEXT, .flags = fl, .off = offsetof(T, m), .size = MSIZE(T, m), \
	  .aux = offsetof(T, lm) }
#define F_I64(k, T, m, fl, lo, hi) \
	{ KEY(k), .type = CF_I64, .flags = fl, .off = offsetof(T, m), .ilo = lo, .ihi = hi }
#define F_INT(k, T, m, fl, lo, hi) \
	{ KEY(k), .type = CF_INT, .flags = fl, .off = offsetof(T, m), .ilo = lo, .ihi = hi }
#define F_U64(k, T, m, fl) { KEY(k), .type = CF_U64, .flags = fl, .off = offsetof(T, m) }
#define F_U32(k, T, m, fl) { KEY(k), .type = CF_U32, .flags = fl, .off = offsetof(T, m) }
#define F_BOOL(k, T, m, fl) { KEY(k), .type = CF_BOOL, .flags = fl, .off = offsetof(T, m) }
#define F_DBL(k, T, m, fl, lo, hi) \
	{ KEY(k), .type = CF_DBL, .flags = fl, .off = offsetof(T, m), .dlo = lo, .dhi = hi }
#define F_ENUM(k, T, m, fl, ek) \
	{ KEY(k), .type = CF_ENUM, .flags = fl, .off = offsetof(T, m), .ekind = ek }
#define F_MAP(k, T, m, fl, presence, st) \
	{ KEY(k), .type = CF_MAP, .flags = fl, .off = offsetof(T, m), .aux = presence, .sub = &st }
#define F_ARRAY(k, T, m, fl, cm, st) \
	{ KEY(k), .type = CF_ARRAY, .flags = fl, .off = offsetof(T, m), \
	  .size = MSIZE(T, m[0]), .max = MSIZE(T, m) / MSIZE(T, m[0]), .aux = offsetof(T, cm), \
	  .sub = &st }
#define F_TREND(k, T, m, fl, cm) \
	{ KEY(k), .type = CF_TREND, .flags = fl, .off = offsetof(T, m), \
	  .max = MSIZE(T, m) / MSIZE(T, m[0]), .aux = offsetof(T, cm) }
#define F_REJECTED(k, T, m, fl, cm) \
	{ KEY(k), .type = CF_REJECTED, .flags = fl, .off = offsetof(T, m), \
	  .max = MSIZE(T, m) / MSIZE(T, m[0]), .aux = offsetof(T, cm) }

#define TABLE(a) { a, sizeof(a) / sizeof(a[0]) }
#define REQ CF_REQ
#define ID (CF_REQ | CF_NONEMPTY)
#define OPT 0u

#define TS_MAX INT64_MAX
#define OFFSET_MAX ((int64_t)1 << 40)   /* ms from call start: ~34 years */

/* ---- ingest events ---- */

static const struct codec_field voice_f[] = {
	F_DBL("loudness_dbfs", struct proto_voice, loudness_dbfs, REQ, -200.0, 0.0),
	F_DBL("pitch_hz", struct proto_voice, pitch_hz, REQ, 0.0, 2000.0),
	F_DBL("rate_wps", struct proto_voice, rate_wps, REQ, 0.0, 20.0),
};
static const struct codec_table voice_t = TABLE(voice_f);

static const struct codec_field ev_common_f[] = {
	F_SKIP("v", OPT),
	F_SKIP("type", REQ),
	F_STR("call", EV, call, ID),
	F_I64("ts", EV, ts_ms, REQ, 0, TS_MAX),
};

static const struct codec_field ev_start_f[] = {
	F_STR("agent", EV, u.start.agent, ID),
	F_STR("agent_name", EV, u.start.agent_name, OPT),
	F_QUEUE("queue", EV, u.start.queue, REQ),
	F_ENUM("channel", EV, u.start.channel, REQ, CE_CHANNEL),
};

static const struct codec_field ev_utt_f[] = {
	F_ENUM("speaker", EV, u.utt.speaker, REQ, CE_SPEAKER),
	F_I64("start_ms", EV, u.utt.start_ms, REQ, 0, OFFSET_MAX),
	F_I64("end_ms", EV, u.utt.end_ms, REQ, 0, OFFSET_MAX),
	F_BOOL("final", EV, u.utt.final, REQ),
	F_TEXT("text", EV, u.utt.text, u.utt.text_len, REQ),
	F_MAP("voice", EV, u.utt.voice, OPT, offsetof(EV, u.utt.voice.present), voice_t),
	F_ENUM("truth", EV, u.utt.truth, OPT, CE_TRUTH),
};

static const struct codec_field ev_hold_f[] = {
	F_BOOL("on", EV, u.hold.on, REQ),
};

static const struct codec_field ev_end_f[] = {
	F_ENUM("state", EV, u.end.state, CF_ALWAYS, CE_STATE),
};

static const struct codec_field ev_transfer_f[] = {
	F_STR("agent", EV, u.transfer.agent, ID),
	F_STR("agent_name", EV, u.transfer.agent_name, OPT),
	F_QUEUE("queue", EV, u.transfer.queue, OPT),
};

const struct codec_table codec_event_common = TABLE(ev_common_f);
const struct codec_table codec_event_tables[PROTO_EV__COUNT] = {
	[PROTO_EV_CALL_START] = TABLE(ev_start_f),
	[PROTO_EV_UTTERANCE] = TABLE(ev_utt_f),
	[PROTO_EV_HOLD] = TABLE(ev_hold_f),
	[PROTO_EV_CALL_END] = TABLE(ev_end_f),
	[PROTO_EV_TRANSFER] = TABLE(ev_transfer_f),
};

/* ---- headers ---- */

static const struct codec_field hdr_feed_f[] = {
	F_SKIP("v", REQ),
	F_SKIP("type", REQ),
	F_STR("pub", MSG, h.pub, ID),
	F_U64("seq", MSG, h.seq, REQ),
	F_U64("tseq", MSG, h.tseq, OPT),
	F_I64("ts", MSG, h.ts_ms, REQ, 0, TS_MAX),
	F_U64("req", MSG, h.req, OPT),
};
static const struct codec_field hdr_reply_f[] = {
	F_SKIP("v", REQ),
	F_SKIP("type", REQ),
	F_STR("pub", MSG, h.pub, ID),
	F_U64("seq", MSG, h.seq, REQ),
	F_I64("ts", MSG, h.ts_ms, REQ, 0, TS_MAX),
	F_U64("req", MSG, h.req, REQ),
};
static const struct codec_field hdr_request_f[] = {
	F_SKIP("v", REQ),
	F_SKIP("type", REQ),
	F_U64("req", MSG, h.req, REQ),
	F_STR("pub", MSG, h.pub, OPT),
	F_U64("seq", MSG, h.seq, OPT),
	F_I64("ts", MSG, h.ts_ms, OPT, 0, TS_MAX),
};
const struct codec_table codec_hdr_feed = TABLE(hdr_feed_f);
const struct codec_table codec_hdr_reply = TABLE(hdr_reply_f);
const struct codec_table codec_hdr_request = TABLE(hdr_request_f);

/* ---- call update ---- */

static const struct codec_field sentiment_f[] = {
	F_DBL("latest", struct proto_sentiment, latest, REQ, -1.0, 1.0),
	F_DBL("ewma", struct proto_sentiment, ewma, REQ, -1.0, 1.0),
	F_DBL("mean", struct proto_sentiment, mean, REQ, -1.0, 1.0),
	F_DBL("end", struct proto_sentiment, end, REQ, -1.0, 1.0),
	F_DBL("slope", struct proto_sentiment, slope, REQ, -1e6, 1e6),
};
static const struct codec_table sentiment_t = TABLE(sentiment_f);

static const struct codec_field component_f[] = {
	F_ENUM("name", struct proto_component, name, REQ, CE_COMPONENT),
	F_DBL("value", struct proto_component, value, REQ, 0.0, 1.0),
	F_DBL("weight", struct proto_component, weight, REQ, 0.0, 100.0),
	F_DBL("contrib", struct proto_component, contribution, REQ, 0.0, 100.0),
	F_STR("evidence", struct proto_component, evidence, OPT),
};
static const struct codec_table component_t = TABLE(component_f);

static const struct codec_field update_f[] = {
	F_STR("call", MSG, u.upd.call, ID),
	F_QUEUE("queue", MSG, u.upd.queue, REQ),
	F_ENUM("channel", MSG, u.upd.channel, REQ, CE_CHANNEL),
	F_STR("agent", MSG, u.upd.agent, OPT),
	F_STR("agent_name", MSG, u.upd.agent_name, OPT),
	F_ENUM("state", MSG, u.upd.state, REQ, CE_STATE),
	F_I64("started", MSG, u.upd.started_ms, REQ, 0, TS_MAX),
	F_I64("duration_ms", MSG, u.upd.duration_ms, REQ, 0, TS_MAX),
	F_I64("hold_ms", MSG, u.upd.hold_ms, REQ, 0, TS_MAX),
	F_I64("silence_ms", MSG, u.upd.silence_ms, REQ, 0, TS_MAX),
	F_U32("utterances", MSG, u.upd.utterances, REQ),
	F_MAP("sentiment", MSG, u.upd.sentiment, REQ, CF_NO_AUX, sentiment_t),
	F_DBL("frustration", MSG, u.upd.frustration, REQ, 0.0, 1.0),
	F_ARRAY("components", MSG, u.upd.components, REQ, u.upd.n_components, component_t),
	F_TREND("trend", MSG, u.upd.trend, OPT, u.upd.n_trend),
	F_STR("claimed_by", MSG, u.upd.claimed_by, OPT),
	F_INT("flag", MSG, u.upd.flag, OPT, 0, UT_SEVERITY_MAX),
	F_STR("reason", MSG, u.upd.reason, OPT),
};

/* ---- suggestions ---- */

static const struct codec_field reason_f[] = {
	F_STR("signal", struct proto_reason, signal, ID),
	F_DBL("value", struct proto_reason, value, REQ, -1e12, 1e12),
	F_STR("phrase", struct proto_reason, phrase, OPT),
};
static const struct codec_table reason_t = TABLE(reason_f);

static const struct codec_field sug_f[] = {
	F_STR("id", MSG, u.sug.id, ID),
	F_STR("call", MSG, u.sug.call, ID),
	F_QUEUE("queue", MSG, u.sug.queue, REQ),
	F_STR("rule", MSG, u.sug.rule, ID),
	F_ENUM("kind", MSG, u.sug.kind, REQ, CE_SKIND),
	F_INT("severity", MSG, u.sug.severity, REQ, UT_SEVERITY_MIN, UT_SEVERITY_MAX),
	F_ARRAY("reasons", MSG, u.sug.reasons, REQ, u.sug.n_reasons, reason_t),
	F_I64("raised", MSG, u.sug.raised_ms, REQ, 0, TS_MAX),
	F_I64("updated", MSG, u.sug.updated_ms, REQ, 0, TS_MAX),
	F_STR("policy", MSG, u.sug.policy, ID),
	F_STR("tip", MSG, u.sug.tip, OPT),
	F_STR("claimed_by", MSG, u.sug.claimed_by, OPT),
};

static const struct codec_field sug_cleared_f[] = {
	F_STR("id", MSG, u.sug.id, ID),
	F_STR("call", MSG, u.sug.call, ID),
	F_QUEUE("queue", MSG, u.sug.queue, REQ),
	F_STR("why", MSG, u.sug.why, OPT),
};

/* ---- decisions ---- */

static const struct codec_field decision_f[] = {
	F_STR("uuid", MSG, u.dec.uuid, ID),
	F_STR("suggestion", MSG, u.dec.suggestion, OPT),
	F_STR("call", MSG, u.dec.call, ID),
	F_QUEUE("queue", MSG, u.dec.queue, REQ),
	F_ENUM("decision", MSG, u.dec.kind, REQ, CE_DECISION),
	F_STR("reason", MSG, u.dec.reason, OPT),
	F_STR("text", MSG, u.dec.text, OPT),
	F_STR("supervisor", MSG, u.dec.supervisor, ID),
	F_STR("name", MSG, u.dec.name, OPT),
	F_STR("host", MSG, u.dec.host, OPT),
	F_I64("at", MSG, u.dec.at_ms, REQ, 0, TS_MAX),
	F_INT("severity", MSG, u.dec.severity, OPT, UT_SEVERITY_MIN, UT_SEVERITY_MAX),
	F_STR("label", MSG, u.dec.label, OPT),
	F_I64("until", MSG, u.dec.until_ms, OPT, 0, TS_MAX),
	F_STR("policy", MSG, u.dec.policy, OPT),
};

/* ---- heartbeat, snapshot, acknowledgements ---- */

static const struct codec_field hb_f[] = {
	F_U64("calls", MSG, u.hb.calls_active, REQ),
	F_U64("accepted", MSG, u.hb.events_accepted, REQ),
	F_REJECTED("rejected", MSG, u.hb.rejected, REQ, u.hb.n_rejected),
	F_U64("published", MSG, u.hb.published, REQ),
	F_I64("uptime_ms", MSG, u.hb.uptime_ms, REQ, 0, TS_MAX),
	F_I64("interval_ms", MSG, u.hb.interval_ms, OPT, 0, TS_MAX),
};

static const struct codec_field snapreq_f[] = {
	F_QUEUE("queue", MSG, u.snapreq.queue, OPT),
};

static const struct codec_field snapmark_f[] = {
	F_U64("calls", MSG, u.snap.calls, REQ),
	F_U64("suggestions", MSG, u.snap.suggestions, REQ),
	F_QUEUE("queue", MSG, u.snap.queue, OPT),
};

static const struct codec_field ack_f[] = {
	F_BOOL("ok", MSG, u.ack.ok, REQ),
	F_STR("uuid", MSG, u.ack.uuid, OPT),
	F_STR("code", MSG, u.ack.code, OPT),
	F_STR("text", MSG, u.ack.text, OPT),
};

static const struct codec_field error_f[] = {
	F_STR("code", MSG, u.ack.code, ID),
	F_STR("text", MSG, u.ack.text, OPT),
};

/* ---- call detail ---- */

static const struct codec_field detreq_f[] = {
	F_STR("call", MSG, u.detreq.call, ID),
};

static const struct codec_field threshold_f[] = {
	F_STR("rule", struct proto_threshold, rule, ID),
	F_STR("signal", struct proto_threshold, signal, ID),
	F_DBL("value", struct proto_threshold, value, REQ, -1e12, 1e12),
	F_I64("window_ms", struct proto_threshold, window_ms, OPT, 0, TS_MAX),
};
static const struct codec_table threshold_t = TABLE(threshold_f);

static const struct codec_field explained_f[] = {
	F_I64("t", struct proto_explained, t_ms, REQ, 0, OFFSET_MAX),
	F_DBL("compound", struct proto_explained, compound, REQ, -1.0, 1.0),
	F_STR("text", struct proto_explained, text, REQ),
};
static const struct codec_table explained_t = TABLE(explained_f);

static const struct codec_field detail_f[] = {
	F_STR("call", MSG, u.detail.call, ID),
	F_STR("policy", MSG, u.detail.policy, ID),
	F_ARRAY("thresholds", MSG, u.detail.thresholds, REQ, u.detail.n_thresholds, threshold_t),
	F_ARRAY("utterances", MSG, u.detail.explained, REQ, u.detail.n_explained, explained_t),
};

const struct codec_table codec_msg_tables[PROTO_MSG__COUNT] = {
	[PROTO_MSG_CALL_UPDATE] = TABLE(update_f),
	[PROTO_MSG_SUGGESTION_RAISED] = TABLE(sug_f),
	[PROTO_MSG_SUGGESTION_UPDATED] = TABLE(sug_f),
	[PROTO_MSG_SUGGESTION_CLEARED] = TABLE(sug_cleared_f),
	[PROTO_MSG_DECISION_RECORDED] = TABLE(decision_f),
	[PROTO_MSG_HEARTBEAT] = TABLE(hb_f),
	[PROTO_MSG_SNAPSHOT_REQUEST] = TABLE(snapreq_f),
	[PROTO_MSG_DECISION_SUBMIT] = TABLE(decision_f),
	[PROTO_MSG_SNAPSHOT_BEGIN] = TABLE(snapmark_f),
	[PROTO_MSG_SNAPSHOT_END] = TABLE(snapmark_f),
	[PROTO_MSG_DECISION_ACK] = TABLE(ack_f),
	[PROTO_MSG_ERROR] = TABLE(error_f),
	[PROTO_MSG_DETAIL_REQUEST] = TABLE(detreq_f),
	[PROTO_MSG_CALL_DETAIL] = TABLE(detail_f),
};

/* ---- enum names by kind ---- */

int
codec_enum_count(int ekind)
{
	switch (ekind) {
	case CE_CHANNEL: return UT_CH__COUNT;
	case CE_SPEAKER: return UT_SP__COUNT;
	case CE_STATE: return UT_CS__COUNT;
	case CE_COMPONENT: return UT_FC__COUNT;
	case CE_SKIND: return UT_SK__COUNT;
	case CE_DECISION: return UT_DE__COUNT;
	case CE_TRUTH: return PROTO_TRUTH__COUNT;
	default: return 0;
	}
}

int
codec_enum_parse(int ekind, const char *s, size_t len)
{
	switch (ekind) {
	case CE_CHANNEL: return model_channel_parse(s, len);
	case CE_SPEAKER: return model_speaker_parse(s, len);
	case CE_STATE: return model_call_state_parse(s, len);
	case CE_COMPONENT: return model_component_parse(s, len);
	case CE_SKIND: return model_suggestion_kind_parse(s, len);
	case CE_DECISION: return model_decision_parse(s, len);
	case CE_TRUTH: return proto_truth_parse(s, len);
	default: return -1;
	}
}

const char *
codec_enum_name(int ekind, int v)
{
	if (v < 0 || v >= codec_enum_count(ekind))
		return NULL;
	switch (ekind) {
	case CE_CHANNEL: return model_channel_name((enum ut_channel)v);
	case CE_SPEAKER: return model_speaker_name((enum ut_speaker)v);
	case CE_STATE: return model_call_state_name((enum ut_call_state)v);
	case CE_COMPONENT: return model_component_name((enum ut_component)v);
	case CE_SKIND: return model_suggestion_kind_name((enum ut_suggestion_kind)v);
	case CE_DECISION: return model_decision_name((enum ut_decision)v);
	case CE_TRUTH: return proto_truth_name((enum proto_truth)v);
	default: return NULL;
	}
}
