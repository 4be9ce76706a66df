/* proto: wire names and topic frames of protocol v1 (see proto.h). */
#include <string.h>

#include "undertone/proto.h"

static const char *const event_names[PROTO_EV__COUNT] = {
	"call_start", "utterance", "hold", "call_end", "transfer"
};
static const char *const msg_names[PROTO_MSG__COUNT] = {
	"call_update", "suggestion_raised", "suggestion_updated",
	"suggestion_cleared", "decision_recorded", "heartbeat",
	"snapshot_request", "decision_submit",
	"snapshot_begin", "snapshot_end", "decision_ack", "error",
	"detail_request", "call_detail"
};
/* Index 0 (PROTO_TRUTH_NONE) has no wire name. */
static const char *const truth_names[PROTO_TRUTH__COUNT] = {
	"", "calm", "onset", "frustrated", "recovered"
};

static const char *
name_in(const char *const *names, int count, int v)
{
	return (v >= 0 && v < count) ? names[v] : "unknown";
}

static int
parse_in(const char *const *names, int first, int count, const char *s, size_t len)
{
	int i;

	if (s == NULL)
		return -1;
	for (i = first; i < count; i++)
		if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
			return i;
	return -1;
}

const char *proto_event_type_name(enum proto_event_type t) { return name_in(event_names, PROTO_EV__COUNT, (int)t); }
const char *proto_msg_type_name(enum proto_msg_type t) { return name_in(msg_names, PROTO_MSG__COUNT, (int)t); }
const char *proto_truth_name(enum proto_truth t) { return name_in(truth_names, PROTO_TRUTH__COUNT, (int)t); }

int proto_event_type_parse(const char *s, size_t len) { return parse_in(event_names, 0, PROTO_EV__COUNT, s, len); }
int proto_msg_type_parse(const char *s, size_t len) { return parse_in(msg_names, 0, PROTO_MSG__COUNT, s, len); }
int proto_truth_parse(const char *s, size_t len) { return parse_in(truth_names, 1, PROTO_TRUTH__COUNT, s, len); }

void
proto_event_init(struct proto_event *ev, enum proto_event_type type)
{
	memset(ev, 0, sizeof *ev);
	ev->type = type;
	if (type == PROTO_EV_UTTERANCE)
		ev->u.utt.final = true;
	else if (type == PROTO_EV_CALL_END)
		ev->u.end.state = UT_CS_ENDED;
}

void
proto_msg_init(struct proto_msg *m, enum proto_msg_type type)
{
	memset(m, 0, sizeof *m);
	m->type = type;
	m->h.v = PROTO_VERSION;
	if (type == PROTO_MSG_CALL_UPDATE)
		m->u.upd.state = UT_CS_ACTIVE;
}

bool
proto_queue_valid(const char *s, size_t len)
{
	size_t i;

	if (s == NULL || len == 0 || len > UT_ID_MAX)
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '_' || c == '-';
		if (!ok)
			return false;
	}
	return true;
}

bool
proto_msg_is_feed(enum proto_msg_type t)
{
	return t >= PROTO_MSG_CALL_UPDATE && t <= PROTO_MSG_HEARTBEAT;
}

bool
proto_msg_is_request(enum proto_msg_type t)
{
	return t == PROTO_MSG_SNAPSHOT_REQUEST || t == PROTO_MSG_DECISION_SUBMIT ||
	    t == PROTO_MSG_DETAIL_REQUEST;
}

/* The kind prefix of a feed type, without the dot; NULL if not a feed type. */
static const char *
topic_kind(enum proto_msg_type t)
{
	switch (t) {
	case PROTO_MSG_CALL_UPDATE: return "upd";
	case PROTO_MSG_SUGGESTION_RAISED:
	case PROTO_MSG_SUGGESTION_UPDATED:
	case PROTO_MSG_SUGGESTION_CLEARED: return "sug";
	case PROTO_MSG_DECISION_RECORDED: return "dec";
	case PROTO_MSG_HEARTBEAT: return "hb";
	default: return NULL;
	}
}

/* "kind." or "kind.queue." into out; -1 if it does not fit. */
static int
topic_join(const char *kind, const char *q, size_t qlen, char *out, size_t cap)
{
	size_t klen = strlen(kind);
	size_t need = klen + 1 + (qlen ? qlen + 1 : 0);

	if (out == NULL || cap < need + 1)
		return -1;
	memcpy(out, kind, klen);
	out[klen] = '.';
	if (qlen) {
		memcpy(out + klen + 1, q, qlen);
		out[klen + 1 + qlen] = '.';
	}
	out[need] = '\0';
	return (int)need;
}

const char *
proto_msg_queue(const struct proto_msg *m)
{
	switch (m->type) {
	case PROTO_MSG_CALL_UPDATE: return m->u.upd.queue;
	case PROTO_MSG_SUGGESTION_RAISED:
	case PROTO_MSG_SUGGESTION_UPDATED:
	case PROTO_MSG_SUGGESTION_CLEARED: return m->u.sug.queue;
	case PROTO_MSG_DECISION_RECORDED: return m->u.dec.queue;
	default: return NULL;
	}
}

int
proto_topic(const struct proto_msg *m, char *out, size_t cap)
{
	const char *kind, *q;
	size_t qlen;

	if (m == NULL || (kind = topic_kind(m->type)) == NULL)
		return -1;
	if (m->type == PROTO_MSG_HEARTBEAT)
		return topic_join(kind, "", 0, out, cap);
	q = proto_msg_queue(m);
	qlen = strnlen(q, UT_ID_MAX + 1);
	if (!proto_queue_valid(q, qlen))
		return -1;
	return topic_join(kind, q, qlen, out, cap);
}

int
proto_topic_prefix(enum proto_msg_type t, const char *q, char *out, size_t cap)
{
	const char *kind = topic_kind(t);
	size_t qlen = q ? strnlen(q, UT_ID_MAX + 1) : 0;

	if (kind == NULL || (qlen && t == PROTO_MSG_HEARTBEAT))
		return -1;
	if (qlen && !proto_queue_valid(q, qlen))
		return -1;
	return topic_join(kind, q, qlen, out, cap);
}
