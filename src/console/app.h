/*
 * app: the console's state and its curses-free logic.
 *
 * Contract: struct app ties together the configuration, the view-model,
 * the feed client, the decision recorder and the UI state (mode, focus,
 * prompt, messages). Everything here is plain C: feed messages are applied
 * to the view (apply.c), keys are turned into actions (keys.c), decisions
 * go through the flow in decide.c, and text for the header and batch frames
 * comes from text.c. Only draw*.c include curses and read this state.
 */
#ifndef UNDERTONE_CONSOLE_APP_H
#define UNDERTONE_CONSOLE_APP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "undertone/config.h"
#include "undertone/dstore.h"
#include "undertone/feed_client.h"
#include "undertone/proto.h"
#include "recorder.h"
#include "view.h"

enum app_mode { APP_TABLE, APP_DETAIL, APP_REVIEW };
enum app_focus { APP_FOCUS_CALLS, APP_FOCUS_SUGG };

/* The decision flow: which question is on screen. */
enum decide_step { DECIDE_NONE, DECIDE_SEVERITY, DECIDE_LABEL, DECIDE_REASON,
	DECIDE_DURATION, DECIDE_TEXT };

#define DECIDE_CHOICES_MAX 32

struct decide {
	enum decide_step step;
	int kind;                        /* enum ut_decision */
	char call_id[UT_ID_MAX + 1];
	char sugg_id[UT_ID_MAX + 1];     /* "" for raise/clear/tag on a call */
	int choice;                      /* highlighted choice in a list step */
	int severity;                    /* raise */
	int label;                       /* tag: index into cfg->tags */
	int reason;                      /* index into cfg->reasons */
	unsigned duration_s;             /* snooze / suppression */
	char text[UT_FREETEXT_MAX + 1];  /* free text being typed */
	size_t text_len;
	/* The call as the lead saw it when the flow began: the record's
	 * signals snapshot, and its details even if the call ends meanwhile. */
	struct view_call call;
	bool has_call;
};

/* A decision kept in memory because the log refused it (full disk...). */
#define APP_UNRECORDED_MAX 64
/* Decisions sent to the analyzer and not yet acknowledged. */
#define APP_INFLIGHT_MAX 256
#define APP_FORWARD_RETRY_MS 5000
#define APP_RECORD_RETRY_MS 2000
#define APP_ENDED_LINGER_MS 30000

/* The detail view's call_detail (doc/protocol.md 6.4): asked for when the
 * view opens and every APP_DETAIL_REFRESH_MS while it stays open; dropped
 * (the customer's words with it) when it closes. */
#define APP_DETAIL_REFRESH_MS 2000

struct app_detail {
	char call_id[UT_ID_MAX + 1];     /* the call the view shows, "" = closed */
	uint64_t req;                    /* last request sent, 0 = none */
	int64_t sent_ms;                 /* when (monotonic), 0 = never */
	bool have;                       /* d holds a reply for call_id */
	bool unsupported;                /* the analyzer does not know the request */
	char err[UT_PHRASE_MAX + 1];     /* last error reply, "" = none */
	struct proto_call_detail d;      /* last reply, strings sanitized */
};

struct app_inflight {
	char uuid[DSTORE_UUID_LEN + 1];
	int64_t sent_ms;
};

struct app {
	struct config_console *cfg;
	struct view *view;
	struct feed_client *fc;          /* NULL in unit tests */
	struct recorder *rec;            /* NULL: log could not be opened */
	char rec_open_err[256];
	struct feed_status fs;

	int64_t now_ms;                  /* monotonic */
	int64_t wall_ms;                 /* wall clock, ms since the epoch */
	bool ascii;                      /* LANG=C: ASCII glyphs only */
	enum view_glyphs glyphs;

	enum app_mode mode;
	enum app_focus focus;
	long sugg_sel;                   /* row in the suggestions pane */
	bool help;
	bool paused;
	bool filter_editing;
	bool quit_asked, quit;
	bool redraw_all;                 /* Ctrl-L */
	bool dirty;                      /* something to draw */
	int theme_step;                  /* 't' presses not yet handled by draw */
	long page;                       /* table rows on screen (PgUp/PgDn) */

	struct decide flow;

	char msg[256];                   /* one-line message in the status bar */
	bool msg_error;
	int64_t msg_until;

	char user[UT_ID_MAX + 1];        /* OS user from the password database */
	char host[UT_ID_MAX + 1];

	struct dstore_record *unrec[APP_UNRECORDED_MAX];
	size_t nunrec;
	int64_t unrec_retry_ms;
	char persist_err[512];           /* shown until the log accepts again */

	struct app_detail detail;

	struct app_inflight inflight[APP_INFLIGHT_MAX];
	size_t ninflight;
	int64_t forward_ms;              /* last forwarding sweep */

	struct dstore_record *review;    /* review screen rows (newest first) */
	size_t nreview;
	long review_sel;
	char review_filter[VIEW_FILTER_MAX + 1];
};

/* Lifecycle (no sockets or files are opened here). */
void app_init(struct app *a, struct config_console *cfg, struct view *v);
void app_free(struct app *a);
void app_set_msg(struct app *a, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* apply.c: feed events into the view. ctx is the struct app. */
void app_feed_event(void *ctx, enum feed_event ev, const struct proto_msg *m);
/* A decision (ours or another console's) as it affects the view. */
void app_apply_decision(struct app *a, const struct proto_decision *d, enum view_dec_state state);
/* Periodic housekeeping: ended calls leave, snoozes end, the detail view's
 * request is refreshed. */
void app_housekeep(struct app *a);
/* The detail view opened, moved to another call, or closed: ask for (or
 * drop) the call's detail; refreshes it when APP_DETAIL_REFRESH_MS passed. */
void app_detail_poll(struct app *a);
/* A reply for the detail view (call_detail, or an error to our request);
 * false when m is not one. */
bool app_detail_reply(struct app *a, const struct proto_msg *m);

/* keys.c: one key (config key code, see config.h) or a mouse event. */
void app_key(struct app *a, int32_t key);
/* row: absolute table row clicked, or -1 for the wheel. */
void app_mouse(struct app *a, long row, bool wheel_up, bool wheel_down);

/* decide.c: the decision flow. */
void decide_start(struct app *a, int kind);
void decide_key(struct app *a, int32_t key);
bool decide_active(const struct app *a);
/* Title, question and choice labels for the prompt on screen. */
int decide_choices(const struct app *a, const char **labels, int max);
const char *decide_question(const struct app *a);
void decide_title(const struct app *a, char *out, size_t outsz);
/* Retry unrecorded decisions and forward unacknowledged ones. */
void decide_housekeep(struct app *a);
/* The analyzer answered a submission, or echoed a decision on the feed. */
void decide_reply(struct app *a, const struct proto_msg *m);
void decide_echoed(struct app *a, const char *uuid);
/* Load the review list from the log. */
void app_review_load(struct app *a);

/* text.c: header lines and batch frames (plain text). */
void text_header(const struct app *a, char *line1, size_t sz1, char *line2, size_t sz2);
void text_feed_status(const struct app *a, char *out, size_t outsz, bool *bad);
void text_frame(const struct app *a, int width, int max_rows, FILE *out);
const char *text_decision_state(enum view_dec_state s);
void text_clock(int64_t wall_ms, char *out, size_t outsz);
/* One suggestion in the pane: age, severity, kind, call, reasons, claim. */
void text_sugg_line(const struct app *a, const struct view_sugg *s, char *out, size_t outsz);
/* Column headings for a layout, padded to the screen width. */
void text_headings(const struct view_layout *l, bool ascii, char *out, size_t outsz);
/* A whole table row for a call (ASCII-safe when a->ascii). */
void text_row(const struct app *a, const struct view_layout *l, const struct view_call *c,
	char *out, size_t outsz);
/* Age like "45s", "12m", "3h". */
char *text_age(int64_t ms, char *out, size_t outsz);
/* One policy threshold in words ("frustrated: frustration >= 0.50 for
 * 10s"); false for a signal this console does not know (ignored). */
bool text_threshold(const struct proto_threshold *t, char *out, size_t outsz);
/* Whether a threshold is a level on the sentiment chart (-1..1). */
bool text_threshold_on_chart(const struct proto_threshold *t);
/* The detail view's legend: "Policy V: ..." or why there are none; the
 * levels drawn on the chart are left out unless on_chart_too. */
void text_detail_legend(const struct app *a, bool on_chart_too, char *out, size_t outsz);
/* One recent utterance: offset, score and its explanation. */
void text_explained(const struct proto_explained *x, char *out, size_t outsz);
/* Sanitize untrusted text into a fixed field (terminal-safe, bounded). */
void text_safe_copy(char *dst, size_t dstsz, const char *src);

#endif
