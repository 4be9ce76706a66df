/*
 * model: the shared vocabulary of undertone.
 *
 * Contract: enums, their wire names and the bounds that every module and the
 * wire protocol agree on. Names are the exact strings used in doc/protocol.md,
 * the decision log and configuration. Parsing functions take an explicit
 * length, never read past it, and return -1 for anything unknown. No I/O,
 * no allocation.
 */
#ifndef UNDERTONE_MODEL_H
#define UNDERTONE_MODEL_H

#include <stddef.h>

/* Bounds, in bytes of UTF-8 (excluding any terminating NUL). */
#define UT_ID_MAX        64    /* call id, agent id, queue, publisher id */
#define UT_NAME_MAX      128   /* display names, agent names */
#define UT_TEXT_MAX      4096  /* one utterance's text */
#define UT_PHRASE_MAX    160   /* one evidence phrase or short explanation */
#define UT_TIP_MAX       320   /* an agent tip attached to a suggestion */
#define UT_REASONS_MAX   8     /* reasons carried by one suggestion */
#define UT_TREND_MAX     1024  /* trend points in one message / one ring */
#define UT_FREETEXT_MAX  1024  /* free text on a decision */

enum ut_channel { UT_CH_VOICE, UT_CH_CHAT, UT_CH_EMAIL, UT_CH_SOCIAL, UT_CH__COUNT };
enum ut_speaker { UT_SP_CUSTOMER, UT_SP_AGENT, UT_SP__COUNT };
enum ut_call_state { UT_CS_ACTIVE, UT_CS_HOLD, UT_CS_ENDED, UT_CS_ABANDONED, UT_CS__COUNT };

/* Frustration components, in display order. Each has a value in [0,1], a
 * weight, a contribution (weight x value) and an evidence phrase. */
enum ut_component {
	UT_FC_NEGATIVITY,    /* negativity that persists */
	UT_FC_REPETITION,    /* customer restates earlier content */
	UT_FC_ESCALATION,    /* escalation phrases: manager, cancel, lawyer... */
	UT_FC_INTERRUPTION,  /* customer starts before the agent finished */
	UT_FC_PACE,          /* words/s against this caller's own baseline */
	UT_FC_EMPHASIS,      /* ALL-CAPS and exclamation runs (chat, email) */
	UT_FC_SILENCE,       /* long holds and silences */
	UT_FC_VOICE,         /* loudness/pitch against the caller's baseline */
	UT_FC__COUNT
};

enum ut_suggestion_kind { UT_SK_ASSIST, UT_SK_ESCALATE, UT_SK_REVIEW, UT_SK_FOLLOW_UP, UT_SK__COUNT };

enum ut_decision {
	UT_DE_ACKNOWLEDGE, UT_DE_ACCEPT, UT_DE_DISMISS, UT_DE_SNOOZE,
	UT_DE_RAISE, UT_DE_CLEAR, UT_DE_TAG, UT_DE__COUNT
};

/* Severity of a suggestion or a human-raised flag. */
#define UT_SEVERITY_MIN 1
#define UT_SEVERITY_MAX 3

const char *model_channel_name(enum ut_channel c);
const char *model_speaker_name(enum ut_speaker s);
const char *model_call_state_name(enum ut_call_state s);
const char *model_component_name(enum ut_component c);
const char *model_suggestion_kind_name(enum ut_suggestion_kind k);
const char *model_decision_name(enum ut_decision d);

int model_channel_parse(const char *s, size_t len);
int model_speaker_parse(const char *s, size_t len);
int model_call_state_parse(const char *s, size_t len);
int model_component_parse(const char *s, size_t len);
int model_suggestion_kind_parse(const char *s, size_t len);
int model_decision_parse(const char *s, size_t len);

#endif
