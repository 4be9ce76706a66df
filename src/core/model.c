/* model: names of the shared enums (see model.h). */
#include <string.h>
#include "undertone/model.h"

static const char *const channel_names[UT_CH__COUNT] = { "voice", "chat", "email", "social" };
static const char *const speaker_names[UT_SP__COUNT] = { "customer", "agent" };
static const char *const state_names[UT_CS__COUNT] = { "active", "hold", "ended", "abandoned" };
static const char *const component_names[UT_FC__COUNT] = {
	"negativity", "repetition", "escalation", "interruption",
	"pace", "emphasis", "silence", "voice"
};
static const char *const kind_names[UT_SK__COUNT] = { "assist", "escalate", "review", "follow_up" };
static const char *const decision_names[UT_DE__COUNT] = {
	"acknowledge", "accept", "dismiss", "snooze", "raise", "clear", "tag"
};

static const char *
name_of(const char *const *names, int count, int v)
{
	return (v >= 0 && v < count) ? names[v] : "unknown";
}

static int
parse_in(const char *const *names, int count, const char *s, size_t len)
{
	int i;

	if (s == NULL)
		return -1;
	for (i = 0; i < count; i++)
		if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
			return i;
	return -1;
}

#define MODEL_NAMES(fn, type, table, count)                                  \
	const char *model_##fn##_name(type v) { return name_of(table, count, (int)v); } \
	int model_##fn##_parse(const char *s, size_t len) { return parse_in(table, count, s, len); }

MODEL_NAMES(channel, enum ut_channel, channel_names, UT_CH__COUNT)
MODEL_NAMES(speaker, enum ut_speaker, speaker_names, UT_SP__COUNT)
MODEL_NAMES(call_state, enum ut_call_state, state_names, UT_CS__COUNT)
MODEL_NAMES(component, enum ut_component, component_names, UT_FC__COUNT)
MODEL_NAMES(suggestion_kind, enum ut_suggestion_kind, kind_names, UT_SK__COUNT)
MODEL_NAMES(decision, enum ut_decision, decision_names, UT_DE__COUNT)
