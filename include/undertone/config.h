/*
 * config: console and analyzer configuration with provenance.
 *
 * Contract: INI files parsed with inih (undertone.conf(5),
 * undertone-analyzer.conf(5)). Every value starts at its documented
 * default; a file, an environment variable or a command-line flag (setter
 * API) overrides it, and each effective value records where it came from
 * (default / file:line / env / flag) for --print-config. Loading never
 * aborts on content: unknown sections/keys, syntax errors and bad or
 * out-of-range values produce a warning "file:line: ..." in a bounded list
 * and the previous value (the default) is kept. Only an unreadable or
 * oversized file is an error. Console key bindings are checked for
 * conflicts (two actions on one key). No curses, no sockets; no allocation
 * (structs are self-contained; they are large, so keep them static or on
 * the heap rather than on small stacks).
 */
#ifndef UNDERTONE_CONFIG_H
#define UNDERTONE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "undertone/model.h"

#define CONFIG_FILE_MAX       (256 * 1024) /* larger files are refused */
#define CONFIG_PATH_MAX       1024
#define CONFIG_ENDPOINT_MAX   256
#define CONFIG_DIAG_MAX       32
#define CONFIG_DIAG_MSG_MAX   160
#define CONFIG_LABELS_MAX     32   /* reason codes, tag labels */
#define CONFIG_CODE_MAX       32   /* a reason/tag code: [a-z0-9_-] */
#define CONFIG_LABEL_MAX      80   /* its label, UTF-8 */
#define CONFIG_SNOOZE_MAX     8
#define CONFIG_KEYS_PER_ACTION 4
#define CONFIG_ORIGIN_DETAIL_MAX 64

enum config_origin_kind { CONFIG_FROM_DEFAULT, CONFIG_FROM_FILE, CONFIG_FROM_ENV,
	CONFIG_FROM_FLAG };

struct config_origin {
	enum config_origin_kind kind;
	unsigned line;                              /* FILE: 1-based line */
	char detail[CONFIG_ORIGIN_DETAIL_MAX];      /* ENV: variable; FLAG: flag */
};

/* A warning or error about the configuration, "file:line: msg". */
struct config_diag {
	unsigned line;                              /* 0: the file as a whole */
	char msg[CONFIG_DIAG_MSG_MAX];
};

struct config_diags {
	char file[CONFIG_PATH_MAX];                 /* file the lines refer to */
	struct config_diag d[CONFIG_DIAG_MAX];
	size_t n;
	size_t dropped;
};

/* Print each diagnostic as "file:line: msg\n" (prefixing prog if not NULL). */
void config_diags_print(const struct config_diags *d, FILE *out, const char *prog);

/* ---- console (undertone) --------------------------------------------- */

enum config_column {
	CONFIG_COL_FLAG, CONFIG_COL_CALL, CONFIG_COL_AGENT, CONFIG_COL_QUEUE,
	CONFIG_COL_CHANNEL, CONFIG_COL_DURATION, CONFIG_COL_SENTIMENT,
	CONFIG_COL_TREND, CONFIG_COL_FRUSTRATION, CONFIG_COL_REASON,
	CONFIG_COL__COUNT
};

enum config_sparkline { CONFIG_SPARK_BRAILLE, CONFIG_SPARK_BLOCKS, CONFIG_SPARK_ASCII };

/* Remappable console actions (names in undertone.conf(5) [keys]). */
enum config_action {
	CONFIG_ACT_QUIT, CONFIG_ACT_HELP, CONFIG_ACT_UP, CONFIG_ACT_DOWN,
	CONFIG_ACT_PAGE_UP, CONFIG_ACT_PAGE_DOWN, CONFIG_ACT_HOME, CONFIG_ACT_END,
	CONFIG_ACT_DETAIL, CONFIG_ACT_BACK, CONFIG_ACT_FOCUS, CONFIG_ACT_FILTER,
	CONFIG_ACT_SORT, CONFIG_ACT_FLAGGED, CONFIG_ACT_PAUSE, CONFIG_ACT_REDRAW,
	CONFIG_ACT_THEME, CONFIG_ACT_REVIEW, CONFIG_ACT_ACKNOWLEDGE, CONFIG_ACT_ACCEPT,
	CONFIG_ACT_DISMISS, CONFIG_ACT_SNOOZE, CONFIG_ACT_TAG, CONFIG_ACT_RAISE,
	CONFIG_ACT_CLEAR, CONFIG_ACT__COUNT
};

/*
 * Keys, curses-free: a printable character is its code point (0x21..0x10FFFF,
 * ' ' is CONFIG_KEY_SPACE); Ctrl-A..Ctrl-Z are 1..26; named keys are
 * CONFIG_KEY_NAMED + enum config_named_key. 0 means "no key".
 * Syntax: "a", "G", "?", "^L" or "C-l", "Up", "Down", "Left", "Right",
 * "PgUp", "PgDn", "Home", "End", "Enter", "Esc", "Tab", "BTab", "Space",
 * "Backspace", "Delete", "Insert", "F1".."F12" (names case-insensitive).
 */
enum config_named_key {
	CONFIG_NK_UP, CONFIG_NK_DOWN, CONFIG_NK_LEFT, CONFIG_NK_RIGHT, CONFIG_NK_PGUP,
	CONFIG_NK_PGDN, CONFIG_NK_HOME, CONFIG_NK_END, CONFIG_NK_ENTER, CONFIG_NK_ESC,
	CONFIG_NK_TAB, CONFIG_NK_BTAB, CONFIG_NK_BACKSPACE, CONFIG_NK_DELETE,
	CONFIG_NK_INSERT, CONFIG_NK_F1, CONFIG_NK_F12 = CONFIG_NK_F1 + 11,
	CONFIG_NK__COUNT
};
#define CONFIG_KEY_SPACE 0x20
#define CONFIG_KEY_NAMED 0x200000   /* above every code point */
#define CONFIG_KEY_NAME_MAX 16

/* Parse a key; returns the key (> 0) or -1. */
int32_t config_key_parse(const char *s, size_t len);
/* Name of a key in the syntax above; returns out. */
char *config_key_format(int32_t key, char *out, size_t outsz);

struct config_label {
	char code[CONFIG_CODE_MAX + 1];
	char label[CONFIG_LABEL_MAX + 1];
};

/* Indexes into struct config_console.origin[] (one per scalar setting). */
enum config_console_key {
	CONFIG_C_FEED, CONFIG_C_REQUESTS,
	CONFIG_C_SERVER_PUBLIC_KEY, CONFIG_C_CLIENT_PUBLIC_KEY, CONFIG_C_CLIENT_SECRET_KEY,
	CONFIG_C_DECISION_LOG, CONFIG_C_THEME, CONFIG_C_REFRESH_RATE, CONFIG_C_COLUMNS,
	CONFIG_C_SPARKLINE, CONFIG_C_DISPLAY_NAME, CONFIG_C_SNOOZE, CONFIG_C_REASONS,
	CONFIG_C_TAGS, CONFIG_C_KEYS, CONFIG_C__COUNT
};

struct config_console {
	char feed[CONFIG_ENDPOINT_MAX];          /* [endpoints] feed (SUB) */
	char requests[CONFIG_ENDPOINT_MAX];      /* [endpoints] requests (DEALER) */
	char server_public_key[CONFIG_PATH_MAX]; /* [security]: CURVE key files (doc/security.md) */
	char client_public_key[CONFIG_PATH_MAX];
	char client_secret_key[CONFIG_PATH_MAX];
	char decision_log[CONFIG_PATH_MAX];      /* [console] decision_log */
	char theme[CONFIG_PATH_MAX];             /* [console] theme: name or path */
	unsigned refresh_rate;                   /* redraws per second, 1..60 */
	enum config_column columns[CONFIG_COL__COUNT];
	size_t ncolumns;
	enum config_sparkline sparkline;
	char display_name[UT_NAME_MAX + 1];
	unsigned snooze[CONFIG_SNOOZE_MAX];      /* snooze choices, seconds */
	size_t nsnooze;
	struct config_label reasons[CONFIG_LABELS_MAX];
	size_t nreasons;
	struct config_label tags[CONFIG_LABELS_MAX];
	size_t ntags;
	int32_t keys[CONFIG_ACT__COUNT][CONFIG_KEYS_PER_ACTION]; /* 0-terminated */

	char path[CONFIG_PATH_MAX];              /* file loaded, "" if none */
	struct config_origin origin[CONFIG_C__COUNT];
	struct config_origin key_origin[CONFIG_ACT__COUNT];
	struct config_diags diags;
};

/*
 * Defaults. xdg_data_home / home give the decision-log default
 * ($XDG_DATA_HOME/undertone/decisions.db, else ~/.local/share/...); NULLs
 * allowed (then a relative "decisions.db").
 */
void config_console_init(struct config_console *c, const char *xdg_data_home,
    const char *home);

/*
 * Which file to read: flag (--config) if non-NULL, else env_config
 * (UNDERTONE_CONFIG) if set and non-empty, else $XDG_CONFIG_HOME/undertone/config
 * (or ~/.config/undertone/config). Sets *origin accordingly and returns
 * true if the chosen file must exist (flag/env: yes; default path: optional).
 */
bool config_console_path(char *out, size_t outsz, const char *flag,
    const char *env_config, const char *xdg_config_home, const char *home,
    struct config_origin *origin);

/* Parse INI text as if read from file (for tests and fuzzing). */
void config_console_parse(struct config_console *c, const char *text, size_t len,
    const char *file);
/* Read and parse a file: 0, or -1 if unreadable/too large (diag line 0). */
int config_console_load(struct config_console *c, const char *path);

/*
 * Set one value from outside a file, e.g. ("endpoints", "feed", value,
 * CONFIG_FROM_FLAG, "--feed"). Same validation as the file; returns 0, or -1
 * with a diagnostic (line 0) when the value or key is rejected.
 */
int config_console_set(struct config_console *c, const char *section,
    const char *key, const char *value, enum config_origin_kind kind,
    const char *detail);

/* Action bound to key, or -1. */
int config_console_action_for_key(const struct config_console *c, int32_t key);

/* Write the effective configuration as INI with "; from ..." origins. */
void config_console_print(const struct config_console *c, FILE *out);

const char *config_column_name(enum config_column col);
const char *config_action_name(enum config_action a);
const char *config_sparkline_name(enum config_sparkline s);

/* ---- analyzer (undertone-analyzer) ------------------------------------ */

enum config_analyzer_key {
	CONFIG_A_INGEST, CONFIG_A_PUBLISH, CONFIG_A_REQUESTS,
	CONFIG_A_SERVER_SECRET_KEY, CONFIG_A_SERVER_PUBLIC_KEY, CONFIG_A_CLIENT_KEYS_DIR,
	CONFIG_A_POLICY, CONFIG_A_TREND_LENGTH, CONFIG_A_COALESCE_RATE,
	CONFIG_A_HEARTBEAT_MS, CONFIG_A_SEND_HWM, CONFIG_A_SILENCE_TIMEOUT_MS,
	CONFIG_A_ABANDON_TIMEOUT_MS, CONFIG_A_MAX_CALLS, CONFIG_A_MAX_SUGGESTIONS,
	CONFIG_A_MAX_CLIENTS, CONFIG_A_MAX_MSG_BYTES, CONFIG_A_ROSTER,
	CONFIG_A_WEIGHT_FIRST, /* one per enum ut_component, in its order */
	CONFIG_A__COUNT = CONFIG_A_WEIGHT_FIRST + UT_FC__COUNT
};

struct config_analyzer {
	char ingest[CONFIG_ENDPOINT_MAX];        /* [endpoints] ingest (PULL) */
	char publish[CONFIG_ENDPOINT_MAX];       /* [endpoints] publish (PUB) */
	char requests[CONFIG_ENDPOINT_MAX];      /* [endpoints] requests (ROUTER) */
	char server_secret_key[CONFIG_PATH_MAX]; /* [security]: CURVE keys, allow-list dir */
	char server_public_key[CONFIG_PATH_MAX];
	char client_keys_dir[CONFIG_PATH_MAX];
	char policy[CONFIG_PATH_MAX];            /* "" = built-in default policy */
	char roster[CONFIG_PATH_MAX];            /* live calls kept across restarts, "" = none */
	unsigned trend_length;                   /* points, 8..UT_TREND_MAX */
	double coalesce_rate;                    /* max call updates/s per call */
	unsigned heartbeat_ms;
	unsigned send_hwm;
	unsigned silence_timeout_ms;             /* silence counted as a long hold */
	unsigned abandon_timeout_ms;             /* no events: call closed abandoned */
	unsigned max_calls, max_suggestions, max_clients;
	unsigned max_msg_bytes;                  /* ZMQ_MAXMSGSIZE on receivers */
	double weights[UT_FC__COUNT];            /* [weights]; < 0: not set, the policy's applies */

	char path[CONFIG_PATH_MAX];
	struct config_origin origin[CONFIG_A__COUNT];
	struct config_diags diags;
};

void config_analyzer_init(struct config_analyzer *c);
void config_analyzer_parse(struct config_analyzer *c, const char *text, size_t len,
    const char *file);
int config_analyzer_load(struct config_analyzer *c, const char *path);
int config_analyzer_set(struct config_analyzer *c, const char *section,
    const char *key, const char *value, enum config_origin_kind kind,
    const char *detail);
void config_analyzer_print(const struct config_analyzer *c, FILE *out);

/* ---- line-numbered INI reading (shared with theme) -------------------- */

/*
 * Parse INI text from memory (text, len) or from an open file (fp, when
 * text is NULL) with inih, calling kv for every key with its 1-based line
 * and err for every bad line: syntax errors (all of them, not only the
 * first), lines longer than CONFIG_LINE_MAX, NUL bytes, and input beyond
 * max_bytes. Leading whitespace is ignored (no continuation lines).
 */
#define CONFIG_LINE_MAX 198
typedef void (*config_ini_kv_fn)(void *user, const char *section, const char *key,
    const char *value, unsigned line);
typedef void (*config_ini_err_fn)(void *user, unsigned line, const char *msg);
void config_ini_parse(const char *text, size_t len, FILE *fp, size_t max_bytes,
    config_ini_kv_fn kv, config_ini_err_fn err, void *user);

/* ---- schema engine (shared by the console and analyzer schemas) ------- */

enum config_type {
	CONFIG_T_STRING,     /* any UTF-8 without controls, up to size - 1 bytes */
	CONFIG_T_PATH,       /* like STRING; "" allowed */
	CONFIG_T_ENDPOINT,   /* config_check_endpoint */
	CONFIG_T_UINT,       /* unsigned, min..max */
	CONFIG_T_DOUBLE,     /* finite double, min..max */
	CONFIG_T_DURATION,   /* config_parse_duration_ms, stored as unsigned ms */
	CONFIG_T_ENUM        /* one of names[], stored as int */
};

struct config_entry {
	const char *section, *key;
	enum config_type type;
	size_t off, size;            /* field offset and size in the config struct */
	double min, max;             /* UINT, DOUBLE, DURATION (ms) */
	const char *const *names;    /* ENUM */
	size_t nnames;
	int origin;                  /* index into the struct's origin[] */
	const char *def;             /* default, in file syntax */
};

const struct config_entry *config_entry_find(const struct config_entry *tab, size_t n,
    const char *section, const char *key);
/* Validate and store value; 0, or -1 with a reason in err. */
int config_entry_set(const struct config_entry *e, void *base, const char *value,
    char *err, size_t errsz);
/* Current value in file syntax. */
void config_entry_format(const struct config_entry *e, const void *base, char *out,
    size_t outsz);
/* "default", "FILE:LINE", "env NAME" or "flag NAME". */
void config_origin_format(const struct config_origin *o, const char *file, char *out,
    size_t outsz);
void config_diag_add(struct config_diags *d, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Read an INI file through config_ini_parse: refuses directories and
 * regular files over max bytes; open and read errors become diagnostics
 * with line 0. 0, or -1 when the file could not be (fully) read. */
int config_load_file(const char *path, struct config_diags *d, size_t max,
    config_ini_kv_fn kv, config_ini_err_fn err, void *user);
/* Strip one pair of surrounding double quotes: "a b" -> a b (in place). */
char *config_unquote(char *s);
/* Display text check: valid UTF-8, no C0/C1 controls or DEL, at most max bytes. */
int config_check_text(const char *s, size_t max, char *err, size_t errsz);

/* ---- shared value parsers (exposed for flags and tests) --------------- */

/* Duration "250ms", "30s", "5m", "2h" or bare seconds -> ms. 0 or -1. */
int config_parse_duration_ms(const char *s, uint64_t *ms);
/* ZeroMQ endpoint check: tcp://host:port, ipc://path, inproc://name. 0 or -1. */
int config_check_endpoint(const char *s);

#endif
