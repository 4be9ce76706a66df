/*
 * theme: semantic colour themes, parsing and capability fallback
 * (see theme.h and undertone-theme(5)).
 */
#include "undertone/theme.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "undertone/config.h"

static const char *const theme_role_names[THEME_ROLE__COUNT] = {
	"header", "header_live", "header_stale", "column_heading", "table",
	"row_alt", "selected", "sev1", "sev2", "sev3",
	"sentiment_neg_strong", "sentiment_neg", "sentiment_neutral",
	"sentiment_pos", "sentiment_pos_strong",
	"frustration_low", "frustration_mid", "frustration_high",
	"spark_neg", "spark_pos", "spark_axis", "claimed", "pane_title", "muted",
	"help", "help_key", "prompt", "error", "ok", "status",
};

/*
 * The built-in theme: what every role falls back to when a theme file does
 * not set it. Only the 16 standard colours, so it looks the same at every
 * depth: a 16-colour approximation of themes/default.theme.
 */
static const char theme_builtin[] =
	"header = brightwhite blue bold\n"
	"header_live = brightgreen blue bold\n"
	"header_stale = black yellow bold\n"
	"column_heading = brightwhite default bold underline\n"
	"table = default default\n"
	"row_alt = default default\n"
	"selected = black cyan bold\n"
	"sev1 = yellow default\n"
	"sev2 = brightyellow default bold\n"
	"sev3 = brightwhite red bold\n"
	"sentiment_neg_strong = brightred default bold\n"
	"sentiment_neg = red default\n"
	"sentiment_neutral = default default\n"
	"sentiment_pos = green default\n"
	"sentiment_pos_strong = brightgreen default bold\n"
	"frustration_low = green default\n"
	"frustration_mid = yellow default\n"
	"frustration_high = brightred default bold\n"
	"spark_neg = red default\n"
	"spark_pos = green default\n"
	"spark_axis = brightblack default\n"
	"claimed = magenta default\n"
	"pane_title = brightwhite default bold\n"
	"muted = brightblack default\n"
	"help = white blue\n"
	"help_key = brightyellow blue bold\n"
	"prompt = black yellow\n"
	"error = brightwhite red bold\n"
	"ok = brightgreen default bold\n"
	"status = black white\n";

/* Attributes added at MONO so that meaning survives without colour. */
static const unsigned theme_mono_floor[THEME_ROLE__COUNT] = {
	[THEME_HEADER] = THEME_ATTR_REVERSE,
	[THEME_HEADER_LIVE] = THEME_ATTR_REVERSE,
	[THEME_HEADER_STALE] = THEME_ATTR_REVERSE | THEME_ATTR_BOLD,
	[THEME_COLUMN_HEADING] = THEME_ATTR_UNDERLINE,
	[THEME_SELECTED] = THEME_ATTR_REVERSE,
	[THEME_SEV1] = THEME_ATTR_UNDERLINE,
	[THEME_SEV2] = THEME_ATTR_BOLD,
	[THEME_SEV3] = THEME_ATTR_BOLD | THEME_ATTR_REVERSE,
	[THEME_SENT_NEG_STRONG] = THEME_ATTR_BOLD,
	[THEME_FRUST_HIGH] = THEME_ATTR_BOLD,
	[THEME_CLAIMED] = THEME_ATTR_DIM,
	[THEME_PANE_TITLE] = THEME_ATTR_BOLD,
	[THEME_MUTED] = THEME_ATTR_DIM,
	[THEME_HELP_KEY] = THEME_ATTR_BOLD,
	[THEME_PROMPT] = THEME_ATTR_REVERSE,
	[THEME_ERROR] = THEME_ATTR_BOLD | THEME_ATTR_REVERSE,
	[THEME_STATUS] = THEME_ATTR_REVERSE,
};

static const char *const theme_color_names[16] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
	"brightblack", "brightred", "brightgreen", "brightyellow",
	"brightblue", "brightmagenta", "brightcyan", "brightwhite",
};

/* xterm's default palette for the 16 standard colours. */
static const uint32_t theme_xterm16[16] = {
	0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
	0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
};

static const uint8_t theme_cube_levels[6] = { 0, 95, 135, 175, 215, 255 };

static const char *const theme_attr_names[] = { "bold", "dim", "underline", "reverse" };

static const char *const theme_depth_names[] = { "mono", "8", "16", "256", "truecolor" };

const char *
theme_role_name(enum theme_role r)
{
	return (unsigned)r < THEME_ROLE__COUNT ? theme_role_names[r] : NULL;
}

static bool
theme_word_eq(const char *s, size_t len, const char *word)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (word[i] == '\0' || tolower((unsigned char)s[i]) != word[i])
			return false;
	return word[len] == '\0';
}

int
theme_role_parse(const char *s, size_t len)
{
	int r;

	for (r = 0; r < THEME_ROLE__COUNT; r++)
		if (theme_word_eq(s, len, theme_role_names[r]))
			return r;
	return -1;
}

const char *
theme_depth_name(enum theme_depth d)
{
	return (unsigned)d <= THEME_DEPTH_TRUECOLOR ? theme_depth_names[d] : "?";
}

static int
theme_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int
theme_color_parse(const char *s, size_t len, struct theme_color *out)
{
	size_t i;
	unsigned v = 0;

	memset(out, 0, sizeof(*out));
	if (len == 7 && s[0] == '#') {
		for (i = 1; i < 7; i++) {
			if (theme_hex(s[i]) < 0)
				return -1;
			v = v << 4 | (unsigned)theme_hex(s[i]);
		}
		out->kind = THEME_COLOR_RGB;
		out->rgb = v;
		return 0;
	}
	if (len >= 1 && len <= 3 && isdigit((unsigned char)s[0])) {
		for (i = 0; i < len; i++) {
			if (!isdigit((unsigned char)s[i]))
				return -1;
			v = v * 10 + (unsigned)(s[i] - '0');
		}
		if (v > 255)
			return -1;
		out->kind = THEME_COLOR_INDEX;
		out->index = (uint8_t)v;
		return 0;
	}
	if (theme_word_eq(s, len, "default")) {
		out->kind = THEME_COLOR_DEFAULT;
		return 0;
	}
	for (i = 0; i < 16; i++) {
		if (theme_word_eq(s, len, theme_color_names[i])) {
			out->kind = THEME_COLOR_INDEX;
			out->index = (uint8_t)i;
			return 0;
		}
	}
	return -1;
}

char *
theme_color_format(const struct theme_color *c, char *out, size_t outsz)
{
	if (c->kind == THEME_COLOR_RGB)
		snprintf(out, outsz, "#%06x", (unsigned)(c->rgb & 0xffffff));
	else if (c->kind == THEME_COLOR_INDEX && c->index < 16)
		snprintf(out, outsz, "%s", theme_color_names[c->index]);
	else if (c->kind == THEME_COLOR_INDEX)
		snprintf(out, outsz, "%u", (unsigned)c->index);
	else
		snprintf(out, outsz, "default");
	return out;
}

/* ---- colour arithmetic --------------------------------------------- */

static unsigned
theme_ch(uint32_t rgb, int shift)
{
	return (rgb >> shift) & 0xff;
}

/* Squared Euclidean distance in RGB: the documented metric. */
static uint32_t
theme_dist(uint32_t a, uint32_t b)
{
	uint32_t d = 0;
	int sh;

	for (sh = 0; sh <= 16; sh += 8) {
		int x = (int)theme_ch(a, sh) - (int)theme_ch(b, sh);
		d += (uint32_t)(x * x);
	}
	return d;
}

uint32_t
theme_index_to_rgb(uint8_t index)
{
	unsigned i, g;

	if (index < 16)
		return theme_xterm16[index];
	if (index >= 232) {
		g = 8 + 10 * (unsigned)(index - 232);
		return g << 16 | g << 8 | g;
	}
	i = index - 16u;
	return (uint32_t)theme_cube_levels[i / 36] << 16 |
	    (uint32_t)theme_cube_levels[i / 6 % 6] << 8 | theme_cube_levels[i % 6];
}

static unsigned
theme_nearest_level(unsigned v)
{
	unsigned i, best = 0;

	for (i = 1; i < 6; i++)
		if (abs((int)v - theme_cube_levels[i]) < abs((int)v - theme_cube_levels[best]))
			best = i;
	return best;
}

uint8_t
theme_rgb_to_256(uint32_t rgb)
{
	unsigned r = theme_nearest_level(theme_ch(rgb, 16));
	unsigned g = theme_nearest_level(theme_ch(rgb, 8));
	unsigned b = theme_nearest_level(theme_ch(rgb, 0));
	uint8_t cube = (uint8_t)(16 + 36 * r + 6 * g + b);
	unsigned mean = (theme_ch(rgb, 16) + theme_ch(rgb, 8) + theme_ch(rgb, 0) + 1) / 3;
	unsigned k = mean < 8 ? 0 : (mean - 8 + 5) / 10;
	uint8_t grey = (uint8_t)(232 + (k > 23 ? 23 : k));

	/* Ties go to the cube, whose colours are exact primaries. */
	return theme_dist(rgb, theme_index_to_rgb(grey)) <
	    theme_dist(rgb, theme_index_to_rgb(cube)) ? grey : cube;
}

/*
 * 16 and 8 colours: terminals redefine these palettes freely, so only a
 * colour's hue and lightness are worth keeping, not an RGB distance to one
 * terminal's palette. Greys (channels within 48 of each other) map by luma
 * (ITU-R BT.601) to black / bright black / white / bright white; other
 * colours to the nearest of the six hues (red 0, yellow 60, green 120,
 * cyan 180, blue 240, magenta 300 degrees), bright when their strongest
 * channel is at least 230. See undertone-theme(5).
 */
#define THEME_GREY_CHROMA 48
#define THEME_BRIGHT_MIN 230

static const uint8_t theme_hue_ansi[6] = { 1, 3, 2, 6, 4, 5 };

struct theme_hsl {
	unsigned hi, lo, luma, sector;
};

static struct theme_hsl
theme_analyse(uint32_t rgb)
{
	int r = (int)theme_ch(rgb, 16), g = (int)theme_ch(rgb, 8), b = (int)theme_ch(rgb, 0);
	int hi = r > g ? (r > b ? r : b) : (g > b ? g : b);
	int lo = r < g ? (r < b ? r : b) : (g < b ? g : b);
	struct theme_hsl h = { (unsigned)hi, (unsigned)lo,
		(unsigned)(299 * r + 587 * g + 114 * b) / 1000, 0 };
	double d = hi - lo, deg;

	if (d == 0)
		return h;
	if (hi == r)
		deg = 60.0 * (g - b) / d;
	else if (hi == g)
		deg = 60.0 * ((b - r) / d + 2.0);
	else
		deg = 60.0 * ((r - g) / d + 4.0);
	if (deg < 0)
		deg += 360.0;
	h.sector = (unsigned)((deg + 30.0) / 60.0) % 6;
	return h;
}

static uint8_t
theme_rgb_to_8(uint32_t rgb)
{
	struct theme_hsl h = theme_analyse(rgb);

	if (h.hi - h.lo < THEME_GREY_CHROMA)
		return h.luma < 64 ? 0 : 7;
	return theme_hue_ansi[h.sector];
}

uint8_t
theme_rgb_to_16(uint32_t rgb)
{
	struct theme_hsl h = theme_analyse(rgb);

	if (h.hi - h.lo < THEME_GREY_CHROMA)
		return h.luma < 48 ? 0 : h.luma < 150 ? 8 : h.luma < THEME_BRIGHT_MIN ? 7 : 15;
	return (uint8_t)(theme_hue_ansi[h.sector] + (h.hi >= THEME_BRIGHT_MIN ? 8 : 0));
}

/* ---- capability fallback ------------------------------------------- */

enum theme_depth
theme_depth_detect(const char *colorterm, int colors, bool no_color)
{
	if (no_color || colors < 8)
		return THEME_DEPTH_MONO;
	if (colors >= 256 && colorterm &&
	    (strcmp(colorterm, "truecolor") == 0 || strcmp(colorterm, "24bit") == 0))
		return THEME_DEPTH_TRUECOLOR;
	if (colors >= 256)
		return THEME_DEPTH_256;
	return colors >= 16 ? THEME_DEPTH_16 : THEME_DEPTH_8;
}

/* One colour at a depth above MONO. */
static struct theme_color
theme_degrade(struct theme_color c, enum theme_depth depth)
{
	uint32_t rgb;

	if (c.kind == THEME_COLOR_DEFAULT || depth == THEME_DEPTH_TRUECOLOR)
		return c;
	if (c.kind == THEME_COLOR_INDEX && (depth == THEME_DEPTH_256 ||
	    (depth == THEME_DEPTH_16 && c.index < 16) || c.index < 8))
		return c;
	rgb = c.kind == THEME_COLOR_RGB ? c.rgb : theme_index_to_rgb(c.index);
	c.kind = THEME_COLOR_INDEX;
	c.rgb = 0;
	if (depth == THEME_DEPTH_256)
		c.index = theme_rgb_to_256(rgb);
	else
		c.index = depth == THEME_DEPTH_16 ? theme_rgb_to_16(rgb) : theme_rgb_to_8(rgb);
	return c;
}

static uint32_t
theme_color_rgb(const struct theme_color *c)
{
	return c->kind == THEME_COLOR_RGB ? c->rgb : theme_index_to_rgb(c->index);
}

static bool
theme_same(const struct theme_color *a, const struct theme_color *b)
{
	if (a->kind == THEME_COLOR_DEFAULT || b->kind == THEME_COLOR_DEFAULT)
		return false;
	return theme_color_rgb(a) == theme_color_rgb(b);
}

/* Black or white, whichever stands out on bg (ITU-R BT.601 luma). */
static struct theme_color
theme_contrast(const struct theme_color *bg, enum theme_depth depth)
{
	uint32_t rgb = theme_color_rgb(bg);
	unsigned luma = (299 * theme_ch(rgb, 16) + 587 * theme_ch(rgb, 8) +
	    114 * theme_ch(rgb, 0)) / 1000;
	struct theme_color c = { THEME_COLOR_INDEX, 0, 0 };

	if (depth == THEME_DEPTH_TRUECOLOR) {
		c.kind = THEME_COLOR_RGB;
		c.rgb = luma >= 128 ? 0x000000 : 0xffffff;
	} else {
		c.index = luma >= 128 ? 0 : (depth == THEME_DEPTH_8 ? 7 : 15);
	}
	return c;
}

struct theme_style
theme_resolve(const struct theme *t, enum theme_role r, enum theme_depth depth)
{
	struct theme_style s;

	memset(&s, 0, sizeof(s));
	if ((unsigned)r >= THEME_ROLE__COUNT)
		return s;
	s = t->style[r];
	if (depth <= THEME_DEPTH_MONO) {
		s.fg.kind = s.bg.kind = THEME_COLOR_DEFAULT;
		s.fg.index = s.bg.index = 0;
		s.fg.rgb = s.bg.rgb = 0;
		s.attrs |= theme_mono_floor[r];
		return s;
	}
	s.fg = theme_degrade(s.fg, depth);
	s.bg = theme_degrade(s.bg, depth);
	if (theme_same(&s.fg, &s.bg))
		s.fg = theme_contrast(&s.bg, depth);
	return s;
}

/* ---- parsing ----------------------------------------------------------- */

static void theme_add_error(struct theme *t, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
theme_add_error(struct theme *t, unsigned line, const char *fmt, ...)
{
	struct theme_error *e;
	va_list ap;

	if (t->nerrors >= THEME_ERRORS_MAX) {
		t->errors_dropped++;
		return;
	}
	e = &t->errors[t->nerrors++];
	e->line = line;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

static void
theme_ini_error(void *user, unsigned line, const char *msg)
{
	theme_add_error(user, line, "%s", msg);
}

/* Cut a bad word short so that the message stays one readable line. */
static const char *
theme_quote(const char *w, size_t n, char *buf, size_t bufsz)
{
	size_t i, k = 0;

	for (i = 0; i < n && k + 1 < bufsz && i < 24; i++)
		buf[k++] = (unsigned char)w[i] >= 0x20 && (unsigned char)w[i] < 0x7f ? w[i] : '?';
	buf[k] = '\0';
	return buf;
}

static unsigned
theme_attr_parse(const char *w, size_t n)
{
	unsigned i;

	for (i = 0; i < sizeof(theme_attr_names) / sizeof(theme_attr_names[0]); i++)
		if (theme_word_eq(w, n, theme_attr_names[i]))
			return 1u << i;
	return 0;
}

/*
 * Parse "fg [bg] [attr...]" (attributes may come anywhere). Returns 0, or
 * -1 with an error recorded and *st untouched.
 */
static int
theme_parse_style(struct theme *t, unsigned line, const char *v, struct theme_style *st)
{
	struct theme_style s;
	size_t ncolors = 0, n;
	char q[32];

	memset(&s, 0, sizeof(s));
	for (;;) {
		while (*v == ' ' || *v == '\t')
			v++;
		if (*v == '\0')
			break;
		n = strcspn(v, " \t");
		unsigned a = theme_attr_parse(v, n);
		if (a) {
			s.attrs |= a;
		} else if (ncolors < 2 &&
		    theme_color_parse(v, n, ncolors == 0 ? &s.fg : &s.bg) == 0) {
			ncolors++;
		} else {
			theme_quote(v, n, q, sizeof(q));
			if (ncolors < 2)
				theme_add_error(t, line, "bad colour or attribute '%s'; line ignored", q);
			else
				theme_add_error(t, line, "more than two colours ('%s'); line ignored", q);
			return -1;
		}
		v += n;
	}
	if (ncolors == 0 && s.attrs == 0) {
		theme_add_error(t, line, "empty style; line ignored");
		return -1;
	}
	*st = s;
	return 0;
}

static void
theme_ini_kv(void *user, const char *section, const char *key, const char *value,
    unsigned line)
{
	struct theme *t = user;
	struct theme_style st;
	char q[32];
	int r;

	if (section[0] != '\0') {
		theme_add_error(t, line, "sections are not used in theme files ([%s]); line ignored",
		    theme_quote(section, strlen(section), q, sizeof(q)));
		return;
	}
	r = theme_role_parse(key, strlen(key));
	if (r < 0) {
		theme_add_error(t, line, "unknown role '%s'",
		    theme_quote(key, strlen(key), q, sizeof(q)));
		return;
	}
	if (theme_parse_style(t, line, value, &st) == 0) {
		t->style[r] = st;
		t->from_file[r] = true;
	}
}

size_t
theme_parse(struct theme *t, const char *text, size_t len, const char *name)
{
	size_t before = t->nerrors + t->errors_dropped;

	if (name)
		snprintf(t->name, sizeof(t->name), "%s", name);
	config_ini_parse(text ? text : "", text ? len : 0, NULL, THEME_FILE_MAX,
	    theme_ini_kv, theme_ini_error, t);
	return t->nerrors + t->errors_dropped - before;
}

void
theme_init(struct theme *t)
{
	memset(t, 0, sizeof(*t));
	theme_parse(t, theme_builtin, sizeof(theme_builtin) - 1, "builtin");
	memset(t->from_file, 0, sizeof(t->from_file));
}

/* Base name without directory and ".theme". */
static void
theme_name_from_path(const char *path, char *out, size_t outsz)
{
	const char *b = strrchr(path, '/');
	size_t n;

	b = b ? b + 1 : path;
	n = strlen(b);
	if (n > 6 && strcmp(b + n - 6, ".theme") == 0)
		n -= 6;
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, b, n);
	out[n] = '\0';
}

int
theme_load_file(struct theme *t, const char *path)
{
	FILE *fp;
	struct stat sb;
	char name[THEME_NAME_MAX];

	theme_init(t);
	snprintf(t->path, sizeof(t->path), "%s", path);
	fp = fopen(path, "r");
	if (!fp) {
		theme_add_error(t, 0, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(fileno(fp), &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > THEME_FILE_MAX) {
		theme_add_error(t, 0, "%s", S_ISREG(sb.st_mode) ?
		    "file larger than 64 KiB; built-in theme used" : "not a regular file");
		fclose(fp);
		return -1;
	}
	theme_name_from_path(path, name, sizeof(name));
	snprintf(t->name, sizeof(t->name), "%s", name);
	config_ini_parse(NULL, 0, fp, THEME_FILE_MAX, theme_ini_kv, theme_ini_error, t);
	if (ferror(fp)) {
		theme_add_error(t, 0, "read error: %s", strerror(errno));
		fclose(fp);
		return -1;
	}
	fclose(fp);
	return 0;
}

/* ---- finding themes ---------------------------------------------------- */

#ifndef UT_PKGDATADIR
#define UT_PKGDATADIR "/usr/local/share/undertone"
#endif
#ifndef UT_SRCDIR
#define UT_SRCDIR "."
#endif

static void
theme_add_dir(struct theme_dirs *d, const char *a, const char *b)
{
	size_t i;
	int n;

	if (d->n >= THEME_DIRS_MAX)
		return;
	n = snprintf(d->dir[d->n], sizeof(d->dir[0]), "%s%s", a, b);
	if (n < 0 || (size_t)n >= sizeof(d->dir[0]))
		return;
	for (i = 0; i < d->n; i++)
		if (strcmp(d->dir[i], d->dir[d->n]) == 0)
			return;
	d->n++;
}

void
theme_search_dirs(struct theme_dirs *d, const char *xdg_config_home, const char *home)
{
	memset(d, 0, sizeof(*d));
	/* XDG says relative values are invalid and must be ignored. */
	if (xdg_config_home && xdg_config_home[0] == '/')
		theme_add_dir(d, xdg_config_home, "/undertone/themes");
	else if (home && home[0] == '/')
		theme_add_dir(d, home, "/.config/undertone/themes");
	theme_add_dir(d, UT_PKGDATADIR, "/themes");
	theme_add_dir(d, UT_SRCDIR, "/themes");
}

/* A theme name: [A-Za-z0-9_-] plus inner dots, short enough for a file name. */
static bool
theme_name_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n + 6 >= THEME_NAME_MAX || s[0] == '.')
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-' && s[i] != '.')
			return false;
	return true;
}

static bool
theme_is_path(const char *name)
{
	size_t n = strlen(name);

	return strchr(name, '/') || (n > 6 && strcmp(name + n - 6, ".theme") == 0);
}

int
theme_find(const struct theme_dirs *d, const char *name, char *path, size_t pathsz)
{
	size_t i;
	int n;

	if (!name || !*name || pathsz == 0)
		return -1;
	if (theme_is_path(name)) {
		n = snprintf(path, pathsz, "%s", name);
		return n >= 0 && (size_t)n < pathsz && access(path, R_OK) == 0 ? 0 : -1;
	}
	if (!theme_name_ok(name, strlen(name)))
		return -1;
	for (i = 0; i < d->n; i++) {
		n = snprintf(path, pathsz, "%s/%s.theme", d->dir[i], name);
		if (n >= 0 && (size_t)n < pathsz && access(path, R_OK) == 0)
			return 0;
	}
	path[0] = '\0';
	return -1;
}

static int
theme_name_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static bool
theme_listed(char names[][THEME_NAME_MAX], size_t n, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strncmp(names[i], s, len) == 0 && names[i][len] == '\0')
			return true;
	return false;
}

size_t
theme_list(const struct theme_dirs *d, char names[][THEME_NAME_MAX], size_t max)
{
	size_t i, n = 0, len;
	struct dirent *e;
	DIR *dir;

	for (i = 0; i < d->n && n < max; i++) {
		dir = opendir(d->dir[i]);
		if (!dir)
			continue;
		while (n < max && (e = readdir(dir)) != NULL) {
			len = strlen(e->d_name);
			if (len <= 6 || strcmp(e->d_name + len - 6, ".theme") != 0)
				continue;
			len -= 6;
			if (!theme_name_ok(e->d_name, len) || theme_listed(names, n, e->d_name, len))
				continue;
			memcpy(names[n], e->d_name, len);
			names[n++][len] = '\0';
		}
		closedir(dir);
	}
	qsort(names, n, sizeof(names[0]), theme_name_cmp);
	return n;
}
