/*
 * theme: semantic colour themes and terminal-capability fallback.
 *
 * Contract: a theme maps each semantic role (enum theme_role) to a style:
 * foreground, background (#RRGGBB, 0-255 index, one of the 16 standard
 * names, or `default`) and attributes (bold, dim, underline, reverse).
 * The text format is documented in undertone-theme(5): `role = fg [bg]
 * [attr...]`, one per line, `#`/`;` comments. Parsing never fails on
 * content: every role starts from its documented built-in default, bad
 * lines are skipped and reported with their line number in a bounded
 * error list, and the rest of the file still applies. Only an unreadable
 * or oversized file is an error. theme_resolve is a pure function that
 * degrades a style to what the terminal can show: truecolor -> 256 (nearest
 * cube/grey entry by squared RGB distance) -> 16 -> 8 -> monochrome
 * (attributes only, plus per-role attributes that keep severity, selection
 * and headers readable without colour). No curses, no allocation.
 */
#ifndef UNDERTONE_THEME_H
#define UNDERTONE_THEME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum theme_role {
	THEME_HEADER,            /* header bar text and background */
	THEME_HEADER_LIVE,       /* "live" feed status in the header */
	THEME_HEADER_STALE,      /* stale / reconnecting warning in the header */
	THEME_COLUMN_HEADING,    /* table column headings */
	THEME_TABLE,             /* ordinary table text */
	THEME_ROW_ALT,           /* alternate table rows */
	THEME_SELECTED,          /* the selected row */
	THEME_SEV1,              /* flag severity 1 (watch) */
	THEME_SEV2,              /* flag severity 2 */
	THEME_SEV3,              /* flag severity 3 (act now) */
	THEME_SENT_NEG_STRONG,   /* sentiment <= -0.6 */
	THEME_SENT_NEG,          /* sentiment in (-0.6, -0.2] */
	THEME_SENT_NEUTRAL,      /* sentiment in (-0.2, 0.2) */
	THEME_SENT_POS,          /* sentiment in [0.2, 0.6) */
	THEME_SENT_POS_STRONG,   /* sentiment >= 0.6 */
	THEME_FRUST_LOW,         /* frustration bar, low */
	THEME_FRUST_MID,         /* frustration bar, mid */
	THEME_FRUST_HIGH,        /* frustration bar, high */
	THEME_SPARK_NEG,         /* sparkline below the baseline */
	THEME_SPARK_POS,         /* sparkline above the baseline */
	THEME_SPARK_AXIS,        /* sparkline/chart baseline and axes */
	THEME_CLAIMED,           /* suggestion claimed by another lead */
	THEME_PANE_TITLE,        /* pane titles (suggestions, detail) */
	THEME_MUTED,             /* secondary text: ages, hints */
	THEME_HELP,              /* help overlay body */
	THEME_HELP_KEY,          /* key names in help and status line */
	THEME_PROMPT,            /* decision prompts and input fields */
	THEME_ERROR,             /* error messages */
	THEME_OK,                /* confirmations ("recorded", "shared") */
	THEME_STATUS,            /* status line */
	THEME_ROLE__COUNT
};

enum theme_color_kind { THEME_COLOR_DEFAULT, THEME_COLOR_INDEX, THEME_COLOR_RGB };

struct theme_color {
	enum theme_color_kind kind;
	uint8_t index;           /* THEME_COLOR_INDEX: 0-255 */
	uint32_t rgb;            /* THEME_COLOR_RGB: 0xRRGGBB */
};

#define THEME_ATTR_BOLD      0x1u
#define THEME_ATTR_DIM       0x2u
#define THEME_ATTR_UNDERLINE 0x4u
#define THEME_ATTR_REVERSE   0x8u

struct theme_style {
	struct theme_color fg, bg;
	unsigned attrs;          /* THEME_ATTR_* */
};

/* What the terminal can show, weakest first. */
enum theme_depth { THEME_DEPTH_MONO, THEME_DEPTH_8, THEME_DEPTH_16,
	THEME_DEPTH_256, THEME_DEPTH_TRUECOLOR };

#define THEME_NAME_MAX      64     /* theme name, bytes */
#define THEME_PATH_MAX      4096   /* path of the file it came from */
#define THEME_FILE_MAX      65536  /* larger theme files are refused */
#define THEME_ERRORS_MAX    32     /* errors kept; more are only counted */
#define THEME_ERROR_MSG_MAX 128

struct theme_error {
	unsigned line;           /* 1-based; 0 for the file as a whole */
	char msg[THEME_ERROR_MSG_MAX];
};

struct theme {
	char name[THEME_NAME_MAX];
	char path[THEME_PATH_MAX];     /* "" for built-in */
	struct theme_style style[THEME_ROLE__COUNT];
	bool from_file[THEME_ROLE__COUNT]; /* false: built-in default used */
	struct theme_error errors[THEME_ERRORS_MAX];
	size_t nerrors;
	size_t errors_dropped;         /* errors beyond THEME_ERRORS_MAX */
};

/* Role name as written in theme files ("sev3"), or NULL if out of range. */
const char *theme_role_name(enum theme_role r);
/* Role for a name, or -1. */
int theme_role_parse(const char *s, size_t len);

/* Fill t with the built-in default theme (name "builtin"). */
void theme_init(struct theme *t);

/*
 * Parse theme text into t (already theme_init'ed or previously loaded;
 * roles in text override). name is stored as the theme name (may be NULL).
 * Returns the number of errors found in the text (0 when clean).
 */
size_t theme_parse(struct theme *t, const char *text, size_t len, const char *name);

/*
 * theme_init + parse the file at path. The theme name is the file's base
 * name without ".theme". Returns 0 when the file was read (bad lines are in
 * t->errors), -1 if it could not be read or is larger than THEME_FILE_MAX
 * (t then holds the built-in default and one error with line 0).
 */
int theme_load_file(struct theme *t, const char *path);

/* Parse one colour word ("#ff8000", "208", "brightred", "default"). 0 or -1. */
int theme_color_parse(const char *s, size_t len, struct theme_color *out);
/* Write a colour as it would appear in a theme file; returns out. */
char *theme_color_format(const struct theme_color *c, char *out, size_t outsz);

/*
 * Terminal depth from the environment and the terminfo colour count, as a
 * pure function: no_color (NO_COLOR set and non-empty) or colors < 8 =>
 * MONO; COLORTERM "truecolor"/"24bit" => TRUECOLOR (when colors >= 256);
 * then 256 / 16 / 8 by colors.
 */
enum theme_depth theme_depth_detect(const char *colorterm, int colors, bool no_color);
const char *theme_depth_name(enum theme_depth d);

/* Nearest xterm 256-colour index (16..255) to an RGB value; see theme(5). */
uint8_t theme_rgb_to_256(uint32_t rgb);
/* One of the 16 standard colours for an RGB value, by hue and lightness
 * (terminals redefine that palette, so no RGB distance); see theme(5). */
uint8_t theme_rgb_to_16(uint32_t rgb);
/* RGB value of an xterm 256-colour index (xterm default palette). */
uint32_t theme_index_to_rgb(uint8_t index);

/*
 * Degrade style to depth. The result uses THEME_COLOR_RGB only at
 * TRUECOLOR, indexes < 256/16/8 at those depths, and only DEFAULT colours
 * at MONO (where the role's readability attributes are added). If fg and
 * bg collapse to the same colour, fg becomes black or white for contrast.
 */
struct theme_style theme_resolve(const struct theme *t, enum theme_role r,
    enum theme_depth depth);

/*
 * Theme search (issue 7 order): a name containing '/' or ending in ".theme"
 * is used as a path as is; otherwise NAME.theme is looked for in
 * $XDG_CONFIG_HOME/undertone/themes (or ~/.config/...), UT_PKGDATADIR/themes
 * and UT_SRCDIR/themes, first match wins. The directories are passed in so
 * the function stays testable; theme_search_dirs fills them from the
 * environment. Returns 0 and the path, or -1 if not found.
 */
#define THEME_DIRS_MAX 3
struct theme_dirs {
	char dir[THEME_DIRS_MAX][THEME_PATH_MAX];
	size_t n;
};
void theme_search_dirs(struct theme_dirs *d, const char *xdg_config_home,
    const char *home);
int theme_find(const struct theme_dirs *d, const char *name, char *path, size_t pathsz);

/*
 * List theme names (without ".theme") available in the search dirs, in
 * sorted order, each once. Fills up to max names and returns how many it
 * stored.
 */
#define THEME_LIST_MAX 64
size_t theme_list(const struct theme_dirs *d, char names[][THEME_NAME_MAX], size_t max);

#endif
