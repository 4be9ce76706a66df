/*
 * view: the console's view-model (plain C, no curses, no sockets).
 *
 * Contract: holds the calls, suggestions and decisions the console knows
 * about, and answers "what does each row and cell show" for a given screen
 * width. Rows are filtered (text filter on call id/agent/queue, flagged
 * only) and sorted (risk by default); the selection follows a call id, not a
 * row number. While the user is navigating (a key within VIEW_HOLD_MS), the
 * row order is frozen: values update in place, new calls are appended and
 * the re-sort waits, so rows never jump under the cursor.
 * All strings stored here have already been made terminal-safe by the caller
 * (textsafe); cell text is clipped and padded by display width.
 * Times are in ms; the caller passes "now" so tests are deterministic.
 */
#ifndef UNDERTONE_CONSOLE_VIEW_H
#define UNDERTONE_CONSOLE_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "undertone/model.h"

#define VIEW_TREND_MAX   240   /* trend points kept per call (detail chart) */
#define VIEW_SUGG_MAX    4096  /* suggestions tracked at once */
#define VIEW_CALLS_MAX   200000
#define VIEW_DEC_MAX     512   /* recent decisions kept for history/review */
#define VIEW_HOLD_MS     1500  /* re-sort waits this long after a key */
#define VIEW_FILTER_MAX  64

struct view_component {
	float value, weight, contribution;
	char evidence[UT_PHRASE_MAX + 1];
};

struct view_call {
	char id[UT_ID_MAX + 1];
	char agent[UT_NAME_MAX + 1];
	char queue[UT_ID_MAX + 1];
	char claimed_by[UT_NAME_MAX + 1];
	char top_reason[UT_PHRASE_MAX + 1];
	int channel;              /* enum ut_channel, -1 unknown */
	int state;                /* enum ut_call_state */
	int64_t started_ms;       /* wall clock, from the feed */
	int64_t duration_ms;      /* as last reported */
	int64_t hold_ms, silence_ms;
	int64_t updated_local_ms; /* local monotonic time of the last update */
	float sentiment;          /* latest, [-1,1] */
	float sent_ewma, sent_mean, sent_slope;
	float frustration;        /* [0,1] */
	int severity;             /* 0 none, 1..3 */
	bool human_flag;          /* raised by a lead, not the system */
	bool suppressed;          /* system flag cleared by a lead */
	int pending;              /* suggestions awaiting a decision */
	int pending_sev;          /* highest severity among them */
	struct view_component comp[UT_FC__COUNT];
	bool has_comp;
	float trend[VIEW_TREND_MAX]; /* ring of sentiment points */
	int64_t trend_t[VIEW_TREND_MAX]; /* their offsets in ms from call start */
	int trend_len, trend_head;
	int64_t suppressed_until; /* wall ms; 0 = until further notice */
	int downgrade_to;         /* severity shown while suppressed (0 = cleared) */
	int64_t ended_local_ms;   /* local time the call ended, 0 = active */
	char tag[UT_ID_MAX + 1];  /* last tag a lead put on it */
	bool seen;                /* mark-and-sweep across a re-snapshot */
	int pub;                  /* publisher slot + 1 (feed_client_pub_index), 0 = unknown */
	bool stale;               /* its publisher is not heard: the values may be old */
};

struct view_reason {
	char signal[UT_ID_MAX + 1];
	float value;
	char phrase[UT_PHRASE_MAX + 1];
};

struct view_sugg {
	char id[UT_ID_MAX + 1];
	char call_id[UT_ID_MAX + 1];
	char rule[UT_ID_MAX + 1];
	char claimed_by[UT_NAME_MAX + 1];
	char tip[UT_TIP_MAX + 1];
	int kind;                 /* enum ut_suggestion_kind */
	int severity;
	int64_t raised_ms, updated_ms;
	int n_reasons;
	struct view_reason reasons[UT_REASONS_MAX];
	bool cleared;
	bool decided;             /* a decision was taken on it (by anyone) */
	int64_t snooze_until;     /* wall ms; back in the pane after this */
	int64_t seen_ms;          /* local wall time it first arrived */
	char policy[UT_ID_MAX + 1];
	bool seen;
	int pub;                  /* as view_call.pub */
};

/* A decision as the console shows it (history, review screen). */
enum view_dec_state {
	VIEW_DEC_UNRECORDED,  /* kept in memory; the log refused it (retrying) */
	VIEW_DEC_RECORDED,    /* durable in the local decision log */
	VIEW_DEC_SHARED,      /* the analyzer acknowledged it */
	VIEW_DEC_REMOTE       /* taken by another console, seen on the feed */
};

struct view_decision {
	char uuid[40];
	char call_id[UT_ID_MAX + 1];
	char sugg_id[UT_ID_MAX + 1];
	char supervisor[UT_NAME_MAX + 1];
	char reason[UT_ID_MAX + 1];
	char text[UT_PHRASE_MAX + 1];
	int decision;             /* enum ut_decision */
	int64_t at_ms;            /* wall clock */
	enum view_dec_state state;
};

enum view_sort { VIEW_SORT_RISK, VIEW_SORT_FRUST, VIEW_SORT_SENT, VIEW_SORT_DUR,
	VIEW_SORT_AGENT, VIEW_SORT_QUEUE, VIEW_SORT_ID, VIEW_SORT__COUNT };

enum view_col { VC_FLAG, VC_ID, VC_AGENT, VC_QUEUE, VC_CHANNEL, VC_DUR, VC_SENT,
	VC_TREND, VC_FRUST, VC_REASON, VC__COUNT };

enum view_glyphs { VIEW_GLYPH_BRAILLE, VIEW_GLYPH_BLOCKS, VIEW_GLYPH_ASCII };

struct view;

struct view *view_new(void);
void view_free(struct view *v);

/* Calls. view_call_get creates the call when create is true (NULL when full). */
struct view_call *view_call_get(struct view *v, const char *id, bool create);
void view_call_touched(struct view *v, struct view_call *c); /* marks order dirty */
void view_call_remove(struct view *v, const char *id);
void view_call_push_trend(struct view_call *c, float value, int64_t t_ms);
size_t view_call_count(const struct view *v);
/* Iterate every call in storage order; i from 0 to view_call_count. */
struct view_call *view_call_at(struct view *v, size_t i);
void view_clear(struct view *v); /* drop all calls and suggestions */
/* Re-snapshot without flicker: mark all, the snapshot marks what it still
 * has, then sweep drops the rest. */
void view_mark_all(struct view *v);
void view_sweep(struct view *v);
/* The same for one publisher's calls and suggestions (pub as in
 * view_call.pub; 0 = everything), so that one shard's re-snapshot leaves
 * the other shards' calls alone. */
void view_mark_pub(struct view *v, int pub);
void view_sweep_pub(struct view *v, int pub);

/* Suggestions. */
struct view_sugg *view_sugg_get(struct view *v, const char *id, bool create);
void view_sugg_remove(struct view *v, const char *id);
/* Awaiting a decision, oldest first; returns the count, fills up to max. */
size_t view_sugg_pending(const struct view *v, const struct view_sugg **out, size_t max);
/* Snoozed suggestions whose time is up await a decision again; returns how many. */
size_t view_sugg_unsnooze(struct view *v, int64_t wall_ms);
size_t view_sugg_for_call(const struct view *v, const char *call_id,
	const struct view_sugg **out, size_t max);

/* Decisions (a bounded ring, newest last). */
struct view_decision *view_dec_add(struct view *v, const struct view_decision *d);
struct view_decision *view_dec_find(struct view *v, const char *uuid);
size_t view_dec_count(const struct view *v);
const struct view_decision *view_dec_at(const struct view *v, size_t i); /* 0 = newest */

/* Rows. */
void view_set_sort(struct view *v, enum view_sort s);
enum view_sort view_get_sort(const struct view *v);
const char *view_sort_name(enum view_sort s);
void view_set_filter(struct view *v, const char *text);
const char *view_get_filter(const struct view *v);
void view_set_flagged_only(struct view *v, bool on);
bool view_get_flagged_only(const struct view *v);
/* Re-sorts when dirty and the user has been idle VIEW_HOLD_MS (or force). */
void view_refresh(struct view *v, int64_t now_ms, bool force);
size_t view_rows(const struct view *v);
const struct view_call *view_row(const struct view *v, size_t row);
bool view_matches(const struct view *v, const struct view_call *c);

/* Selection (by call id). */
void view_key_activity(struct view *v, int64_t now_ms);
void view_move(struct view *v, long delta); /* clamps; also Home (LONG_MIN)/End (LONG_MAX) */
long view_selected_row(const struct view *v); /* -1 when no rows */
const struct view_call *view_selected(const struct view *v);
void view_select_row(struct view *v, long row);
/* First visible row so that the selection shows in a window of height rows. */
size_t view_scroll(struct view *v, size_t height);

/* Floor summary for the header. */
struct view_floor {
	size_t active, flagged, awaiting, negative_pct;
	float avg_frustration;
};
void view_floor(const struct view *v, struct view_floor *f);

/* Layout: which columns show at a width, and their widths. */
struct view_layout {
	int n;
	enum view_col col[VC__COUNT];
	int width[VC__COUNT];
	int x[VC__COUNT];
};
/* cols/ncols: the configured columns in order (NULL = all, default order). */
void view_layout(struct view_layout *l, int screen_width, const enum view_col *cols, int ncols);
const char *view_col_title(enum view_col c);
int view_col_parse(const char *name);

/* Cell text, padded/clipped to width display columns; returns out. */
struct view_style { enum view_glyphs glyphs; bool ascii; int64_t now_ms; };
char *view_cell(const struct view_call *c, enum view_col col, int width,
	const struct view_style *st, char *out, size_t outsz);

/* Sparkline: one glyph per cell; sign[i] is -1/0/+1 for colouring.
 * Braille packs two points per cell. Returns the number of cells written. */
int view_sparkline(const float *vals, int n, int cells, enum view_glyphs g,
	char *out, size_t outsz, signed char *sign);
/* Bar of value in [0,1], cells wide. */
void view_bar(float value, int cells, bool ascii, char *out, size_t outsz);
/* Level 0 low, 1 mid, 2 high, by the frustration thresholds. */
int view_frust_level(float value);
/* Severity marker text, e.g. "!!!" (never colour alone). */
const char *view_sev_marker(int severity);
/* Severity as shown: a lead's clear or downgrade overrides the system's. */
int view_call_severity(const struct view_call *c);
/* Sentiment class: -1 negative, 0 neutral, +1 positive. */
int view_sent_class(float s);
/* Copy the call's trend oldest first into out (max n); returns count. */
int view_call_trend(const struct view_call *c, float *out, int64_t *t_out, int n);

/* Format a duration like 4:05 or 1:02:03. */
char *view_fmt_dur(int64_t ms, char *out, size_t outsz);
/* Pad/clip UTF-8 (already safe) text to width columns into out. */
char *view_fit(const char *s, int width, bool ascii, char *out, size_t outsz);

#endif
