/*
 * proto: the messages of wire protocol v1 as plain C structs.
 *
 * Contract: one struct per message, fixed-size NUL-terminated char arrays
 * sized from model.h bounds, bounded arrays with an explicit count. No
 * pointers, no allocation: a struct can be copied with memcpy and decoded
 * into caller-provided storage. doc/protocol.md is the normative text; the
 * field comments name the wire key. The codec (codec.h, jsonio.h) fills and
 * reads these structs; the helpers here only name types and build topics.
 */
#ifndef UNDERTONE_PROTO_H
#define UNDERTONE_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "undertone/model.h"

#define PROTO_VERSION      1       /* major version, wire key "v" */
#define PROTO_MSG_MAX      65536   /* bytes in one encoded message body */
#define PROTO_DEPTH_MAX    8       /* nesting of maps/arrays, the top map is 1 */
#define PROTO_KEYS_MAX     64      /* entries in any one map, known or not */
#define PROTO_REJECT_MAX   32      /* reasons in a heartbeat's "rejected" map */
#define PROTO_THRESHOLDS_MAX 32    /* "thresholds" of a call_detail reply */
#define PROTO_EXPLAINED_MAX  8     /* "utterances" of a call_detail reply */

/* Default endpoints (overridable on every program's command line). */
#define PROTO_INGEST_ENDPOINT   "tcp://127.0.0.1:7411"  /* PULL, analyzer binds */
#define PROTO_FEED_ENDPOINT     "tcp://127.0.0.1:7412"  /* PUB, analyzer binds */
#define PROTO_REQUEST_ENDPOINT  "tcp://127.0.0.1:7413"  /* ROUTER, analyzer binds */

/* Longest topic frame: "upd." + queue + "." */
#define PROTO_TOPIC_MAX (4 + UT_ID_MAX + 1)

/* ---- ingest events (integration -> analyzer) ---- */

enum proto_event_type {
	PROTO_EV_CALL_START, PROTO_EV_UTTERANCE, PROTO_EV_HOLD,
	PROTO_EV_CALL_END, PROTO_EV_TRANSFER, PROTO_EV__COUNT
};

/* Simulator ground truth ("truth"); analyzers must ignore it. */
enum proto_truth {
	PROTO_TRUTH_NONE,        /* key absent */
	PROTO_TRUTH_CALM, PROTO_TRUTH_ONSET, PROTO_TRUTH_FRUSTRATED,
	PROTO_TRUTH_RECOVERED, PROTO_TRUTH__COUNT
};

/* Optional voice features of an utterance ("voice"). */
struct proto_voice {
	bool present;
	double loudness_dbfs;   /* "loudness_dbfs", -200..0 */
	double pitch_hz;        /* "pitch_hz", 0..2000 */
	double rate_wps;        /* "rate_wps", words per second, 0..20 */
};

struct proto_call_start {
	char agent[UT_ID_MAX + 1];          /* "agent", required */
	char agent_name[UT_NAME_MAX + 1];   /* "agent_name", optional ("" = absent) */
	char queue[UT_ID_MAX + 1];          /* "queue", required, [A-Za-z0-9_-]+ */
	enum ut_channel channel;            /* "channel", required */
};

struct proto_utterance {
	enum ut_speaker speaker;            /* "speaker", required */
	int64_t start_ms;                   /* "start_ms", offset from call start */
	int64_t end_ms;                     /* "end_ms", >= start_ms */
	bool final;                         /* "final", required; false = partial */
	size_t text_len;                    /* bytes in text, excluding NUL; must be set */
	char text[UT_TEXT_MAX + 1];         /* "text", required, may be "" */
	struct proto_voice voice;           /* "voice", optional */
	enum proto_truth truth;             /* "truth", optional */
};

struct proto_hold {
	bool on;                            /* "on", required */
};

struct proto_call_end {
	enum ut_call_state state;           /* "state", optional: ended (default) or abandoned */
};

struct proto_transfer {
	char agent[UT_ID_MAX + 1];          /* "agent", required: the new agent */
	char agent_name[UT_NAME_MAX + 1];   /* "agent_name", optional */
	char queue[UT_ID_MAX + 1];          /* "queue", optional ("" = unchanged) */
};

struct proto_event {
	enum proto_event_type type;         /* "type", required */
	char call[UT_ID_MAX + 1];           /* "call", required */
	int64_t ts_ms;                      /* "ts", required, ms since the epoch */
	union {
		struct proto_call_start start;
		struct proto_utterance utt;
		struct proto_hold hold;
		struct proto_call_end end;
		struct proto_transfer transfer;
	} u;
};

/* ---- feed messages, requests and replies (analyzer <-> consoles) ---- */

enum proto_msg_type {
	/* feed (PUB) */
	PROTO_MSG_CALL_UPDATE, PROTO_MSG_SUGGESTION_RAISED,
	PROTO_MSG_SUGGESTION_UPDATED, PROTO_MSG_SUGGESTION_CLEARED,
	PROTO_MSG_DECISION_RECORDED, PROTO_MSG_HEARTBEAT,
	/* requests (DEALER -> ROUTER) */
	PROTO_MSG_SNAPSHOT_REQUEST, PROTO_MSG_DECISION_SUBMIT,
	/* replies (ROUTER -> DEALER) */
	PROTO_MSG_SNAPSHOT_BEGIN, PROTO_MSG_SNAPSHOT_END,
	PROTO_MSG_DECISION_ACK, PROTO_MSG_ERROR,
	/* added later; appended so that earlier values keep their numbers */
	PROTO_MSG_DETAIL_REQUEST,   /* request */
	PROTO_MSG_CALL_DETAIL,      /* reply */
	PROTO_MSG__COUNT
};

/* Common keys. Analyzer-sent messages require v, type, pub, seq, ts;
 * requests require v, type, req. "req" is echoed in every reply. */
struct proto_header {
	uint32_t v;                         /* "v", major version */
	char pub[UT_ID_MAX + 1];            /* "pub", publisher (or client) id */
	uint64_t seq;                       /* "seq", per-publisher sequence */
	uint64_t tseq;                      /* "tseq", per-publisher per-topic sequence, 0 = absent */
	int64_t ts_ms;                      /* "ts", send time, ms since the epoch */
	uint64_t req;                       /* "req", request id, 0 = none */
};

struct proto_sentiment {
	double latest, ewma, mean, end;     /* each -1..1 */
	double slope;                       /* per minute, finite */
};

struct proto_component {
	enum ut_component name;             /* "name" */
	double value;                       /* "value", 0..1 */
	double weight;                      /* "weight", >= 0 */
	double contribution;                /* "contrib", >= 0 */
	char evidence[UT_PHRASE_MAX + 1];   /* "evidence", optional */
};

struct proto_trend_point {
	int64_t t_ms;                       /* offset from call start */
	double sentiment;                   /* -1..1 */
	double frustration;                 /* 0..1 */
};

struct proto_call_update {
	char call[UT_ID_MAX + 1];           /* "call" */
	char queue[UT_ID_MAX + 1];          /* "queue" */
	enum ut_channel channel;            /* "channel" */
	char agent[UT_ID_MAX + 1];          /* "agent" */
	char agent_name[UT_NAME_MAX + 1];   /* "agent_name", optional */
	enum ut_call_state state;           /* "state" */
	int64_t started_ms;                 /* "started", ms since the epoch */
	int64_t duration_ms;                /* "duration_ms" */
	int64_t hold_ms;                    /* "hold_ms", total time on hold */
	int64_t silence_ms;                 /* "silence_ms", total long silences */
	uint32_t utterances;                /* "utterances", customer+agent count */
	struct proto_sentiment sentiment;   /* "sentiment" */
	double frustration;                 /* "frustration", 0..1 */
	size_t n_components;
	struct proto_component components[UT_FC__COUNT]; /* "components", unique names */
	size_t n_trend;
	struct proto_trend_point trend[UT_TREND_MAX];    /* "trend", newest last */
	char claimed_by[UT_ID_MAX + 1];     /* "claimed_by", optional */
	int flag;                           /* "flag", 0 = none, else severity 1..3 */
	char reason[UT_PHRASE_MAX + 1];     /* "reason", optional top reason */
};

struct proto_reason {
	char signal[UT_ID_MAX + 1];         /* "signal", e.g. a component name */
	double value;                       /* "value", finite */
	char phrase[UT_PHRASE_MAX + 1];     /* "phrase", optional evidence */
};

/* Raised, updated and cleared share this struct. For cleared only id, call,
 * queue are required, plus the optional "why". */
struct proto_suggestion {
	char id[UT_ID_MAX + 1];             /* "id" */
	char call[UT_ID_MAX + 1];           /* "call" */
	char queue[UT_ID_MAX + 1];          /* "queue" */
	char rule[UT_ID_MAX + 1];           /* "rule" */
	enum ut_suggestion_kind kind;       /* "kind" */
	int severity;                       /* "severity", 1..3 */
	size_t n_reasons;
	struct proto_reason reasons[UT_REASONS_MAX]; /* "reasons", at least 1 */
	int64_t raised_ms;                  /* "raised" */
	int64_t updated_ms;                 /* "updated" */
	char policy[UT_ID_MAX + 1];         /* "policy", policy version */
	char tip[UT_TIP_MAX + 1];           /* "tip", optional agent tip */
	char claimed_by[UT_ID_MAX + 1];     /* "claimed_by", optional */
	char why[UT_ID_MAX + 1];            /* "why", cleared only, optional */
};

/* Decision recorded (feed) and decision submitted (request). */
struct proto_decision {
	char uuid[UT_ID_MAX + 1];           /* "uuid", chosen by the console */
	char suggestion[UT_ID_MAX + 1];     /* "suggestion", optional ("" = none) */
	char call[UT_ID_MAX + 1];           /* "call" */
	char queue[UT_ID_MAX + 1];          /* "queue" */
	enum ut_decision kind;              /* "decision" */
	char reason[UT_ID_MAX + 1];         /* "reason", optional reason code */
	char text[UT_FREETEXT_MAX + 1];     /* "text", optional free text */
	char supervisor[UT_ID_MAX + 1];     /* "supervisor" */
	char name[UT_NAME_MAX + 1];         /* "name", optional display name */
	char host[UT_NAME_MAX + 1];         /* "host", optional */
	int64_t at_ms;                      /* "at", when decided, ms since epoch */
	int severity;                       /* "severity", raise only, 1..3, 0 = absent */
	char label[UT_ID_MAX + 1];          /* "label", tag only */
	int64_t until_ms;                   /* "until", snooze/dismiss, 0 = absent */
	char policy[UT_ID_MAX + 1];         /* "policy", optional policy version */
};

struct proto_reject_count {
	char reason[UT_ID_MAX + 1];         /* key in "rejected" */
	uint64_t count;
};

struct proto_heartbeat {
	uint64_t calls_active;              /* "calls" */
	uint64_t events_accepted;           /* "accepted" */
	uint64_t published;                 /* "published" */
	int64_t uptime_ms;                  /* "uptime_ms" */
	int64_t interval_ms;                /* "interval_ms", optional, 0 = absent */
	size_t n_rejected;
	struct proto_reject_count rejected[PROTO_REJECT_MAX]; /* "rejected" */
};

struct proto_snapshot_request {
	char queue[UT_ID_MAX + 1];          /* "queue", optional filter */
};

/* Snapshot begin and end. Between them the reply stream carries one
 * call_update or suggestion_raised body per message, all with the same seq. */
struct proto_snapshot_mark {
	uint64_t calls;                     /* "calls", items of type call_update */
	uint64_t suggestions;               /* "suggestions", open suggestions */
	char queue[UT_ID_MAX + 1];          /* "queue", the filter, optional */
};

/* detail_request: the detail view of one call is open on a console. */
struct proto_detail_request {
	char call[UT_ID_MAX + 1];           /* "call", required */
};

/* One policy threshold as the console draws it. */
struct proto_threshold {
	char rule[UT_ID_MAX + 1];           /* "rule", the policy rule's name */
	char signal[UT_ID_MAX + 1];         /* "signal", what is compared (see protocol.md 6.4) */
	double value;                       /* "value", the threshold, finite */
	int64_t window_ms;                  /* "window_ms", optional, 0 = absent */
};

/* One recent customer utterance with its sentiment explanation. */
struct proto_explained {
	int64_t t_ms;                       /* "t", utterance end, offset from call start */
	double compound;                    /* "compound", -1..1 */
	char text[UT_PHRASE_MAX + 1];       /* "text", the scorer's explanation */
};

/* call_detail: the reply to detail_request. */
struct proto_call_detail {
	char call[UT_ID_MAX + 1];           /* "call", required */
	char policy[UT_ID_MAX + 1];         /* "policy", policy version, required */
	size_t n_thresholds;
	struct proto_threshold thresholds[PROTO_THRESHOLDS_MAX]; /* "thresholds" */
	size_t n_explained;
	struct proto_explained explained[PROTO_EXPLAINED_MAX];   /* "utterances", oldest first */
};

/* Decision acknowledgement and generic error reply. */
struct proto_ack {
	bool ok;                            /* "ok" (decision_ack only) */
	char uuid[UT_ID_MAX + 1];           /* "uuid", decision_ack, optional */
	char code[UT_ID_MAX + 1];           /* "code", e.g. "duplicate", "invalid" */
	char text[UT_PHRASE_MAX + 1];       /* "text", optional human text */
};

struct proto_msg {
	enum proto_msg_type type;           /* "type" */
	struct proto_header h;
	union {
		struct proto_call_update upd;           /* CALL_UPDATE */
		struct proto_suggestion sug;            /* SUGGESTION_* */
		struct proto_decision dec;              /* DECISION_RECORDED, DECISION_SUBMIT */
		struct proto_heartbeat hb;              /* HEARTBEAT */
		struct proto_snapshot_request snapreq;  /* SNAPSHOT_REQUEST */
		struct proto_snapshot_mark snap;        /* SNAPSHOT_BEGIN, SNAPSHOT_END */
		struct proto_ack ack;                   /* DECISION_ACK, ERROR */
		struct proto_detail_request detreq;     /* DETAIL_REQUEST */
		struct proto_call_detail detail;        /* CALL_DETAIL */
	} u;
};

/* Wire names ("type" values), and the reverse; -1 when unknown. */
const char *proto_event_type_name(enum proto_event_type t);
int proto_event_type_parse(const char *s, size_t len);
const char *proto_msg_type_name(enum proto_msg_type t);
int proto_msg_type_parse(const char *s, size_t len);
const char *proto_truth_name(enum proto_truth t);
int proto_truth_parse(const char *s, size_t len);

/* Zero the struct and set the type (and v = PROTO_VERSION for messages). */
void proto_event_init(struct proto_event *ev, enum proto_event_type type);
void proto_msg_init(struct proto_msg *m, enum proto_msg_type type);

/* True if s[0..len) is a valid queue id: 1..UT_ID_MAX of [A-Za-z0-9_-]. */
bool proto_queue_valid(const char *s, size_t len);

/* Whether a message type travels on the feed (PUB), as a request or a reply. */
bool proto_msg_is_feed(enum proto_msg_type t);
bool proto_msg_is_request(enum proto_msg_type t);

/* The queue a feed message belongs to (call updates, suggestions and
 * decisions), NULL for the others (heartbeats, requests, replies). */
const char *proto_msg_queue(const struct proto_msg *m);

/*
 * Topic frame for a feed message: "upd.Q.", "sug.Q.", "dec.Q." or "hb.".
 * Writes a NUL-terminated string into out (cap >= PROTO_TOPIC_MAX + 1 always
 * suffices); returns its length, or -1 if m is not a feed message, its queue
 * is invalid, or cap is too small.
 */
int proto_topic(const struct proto_msg *m, char *out, size_t cap);

/*
 * Subscription prefix for feed messages of type t restricted to queue q
 * (q NULL or "" = every queue): "upd.billing." or "upd.". Suggestion
 * types all map to "sug.". Same return convention as proto_topic.
 */
int proto_topic_prefix(enum proto_msg_type t, const char *q, char *out, size_t cap);

#endif
