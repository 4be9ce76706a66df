/* draw: curses setup, themes, input, and the main wallboard screen. */
#include "draw.h"
#include "draw_int.h"

#include <curses.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "undertone/theme.h"
#include "undertone/utf8.h"

static struct {
	struct theme theme;
	struct theme_dirs dirs;
	char names[THEME_LIST_MAX][THEME_NAME_MAX];
	size_t nnames, idx;
	enum theme_depth depth;
	attr_t attr[THEME_ROLE__COUNT];
	int table_y;              /* first table row on screen */
	size_t table_top;         /* first call shown */
	int table_h;
	int sugg_y, sugg_h;       /* suggestion rows on screen */
	size_t sugg_top;
} D;

attr_t draw_attr(enum theme_role r) { return D.attr[r]; }
const char *draw_theme_name(void) { return D.theme.name; }

static int color_value(const struct theme_color *c)
{
	switch (c->kind) {
	case THEME_COLOR_DEFAULT: return -1;
	case THEME_COLOR_INDEX: return c->index < COLORS ? c->index : c->index % 8;
	case THEME_COLOR_RGB:
		return COLORS >= 0x1000000 ? (int)c->rgb : theme_rgb_to_256(c->rgb);
	}
	return -1;
}

static void apply_theme(void)
{
	for (int r = 0; r < THEME_ROLE__COUNT; r++) {
		struct theme_style st = theme_resolve(&D.theme, (enum theme_role)r, D.depth);
		attr_t at = 0;
		if (st.attrs & THEME_ATTR_BOLD) at |= A_BOLD;
		if (st.attrs & THEME_ATTR_DIM) at |= A_DIM;
		if (st.attrs & THEME_ATTR_UNDERLINE) at |= A_UNDERLINE;
		if (st.attrs & THEME_ATTR_REVERSE) at |= A_REVERSE;
		if (D.depth != THEME_DEPTH_MONO) {
			init_extended_pair(r + 1, color_value(&st.fg), color_value(&st.bg));
			at |= COLOR_PAIR(r + 1);
		}
		D.attr[r] = at;
	}
}

static int load_theme(const char *name, char *err, size_t errsz)
{
	char path[THEME_PATH_MAX];
	if (!name || !name[0] || strcmp(name, "builtin") == 0) {
		theme_init(&D.theme);
		return 0;
	}
	if (theme_find(&D.dirs, name, path, sizeof path) != 0) {
		snprintf(err, errsz, "theme '%s' not found (looked in %s and the theme directories)",
			name, name);
		return -1;
	}
	if (theme_load_file(&D.theme, path) != 0) {
		snprintf(err, errsz, "theme %s: %s", path, D.theme.nerrors ? D.theme.errors[0].msg : "unreadable");
		return -1;
	}
	return 0;
}

static void cycle_theme(struct app *a)
{
	if (!D.nnames) {
		app_set_msg(a, true, "No theme files found");
		return;
	}
	size_t cur = D.nnames;
	for (size_t i = 0; i < D.nnames; i++)
		if (strcmp(D.names[i], D.theme.name) == 0)
			cur = i;
	D.idx = cur >= D.nnames ? 0 : (cur + 1) % D.nnames;
	char err[256];
	if (load_theme(D.names[D.idx], err, sizeof err) != 0) {
		app_set_msg(a, true, "%s", err);
		return;
	}
	apply_theme();
	if (D.theme.nerrors)
		app_set_msg(a, true, "Theme %s: line %u: %s", D.theme.name, D.theme.errors[0].line,
			D.theme.errors[0].msg);
	else
		app_set_msg(a, false, "Theme: %s (%s)", D.theme.name, theme_depth_name(D.depth));
}

/* A fatal signal (crash, abort) must not leave the terminal raw, on the
 * alternate screen and reporting the mouse: the handler restores the tty
 * modes saved before curses started and writes the terminal's own exit
 * strings, prepared in advance (only async-signal-safe calls), then lets
 * the signal kill the process as usual. SIGKILL cannot be caught. */
static struct {
	struct termios tio;
	bool have_tio;
	char seq[512];
	size_t len;
} F;

static void fatal_restore(int sig)
{
	if (F.have_tio)
		tcsetattr(STDIN_FILENO, TCSANOW, &F.tio);
	if (F.len && write(STDOUT_FILENO, F.seq, F.len) < 0)
		F.len = 0;
	raise(sig); /* SA_RESETHAND: the default action now */
}

static void fatal_add(const char *cap)
{
	const char *s = tigetstr(cap);
	size_t n = s && s != (char *)-1 ? strlen(s) : 0;
	if (n && F.len + n < sizeof F.seq) {
		memcpy(F.seq + F.len, s, n);
		F.len += n;
	}
}

static void fatal_install(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGQUIT };
	F.len = 0;
	fatal_add("sgr0");
	fatal_add("cnorm");
	fatal_add("rmkx");
	if (tigetstr("kmous") && tigetstr("kmous") != (char *)-1) {
		static const char mouse_off[] = "\033[?1006l\033[?1003l\033[?1002l\033[?1000l";
		memcpy(F.seq + F.len, mouse_off, sizeof mouse_off - 1);
		F.len += sizeof mouse_off - 1;
	}
	fatal_add("rmcup");
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fatal_restore;
	sa.sa_flags = (int)SA_RESETHAND;
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
}

int draw_init(struct app *a, const char *theme_arg, char *err, size_t errsz)
{
	theme_search_dirs(&D.dirs, getenv("XDG_CONFIG_HOME"), getenv("HOME"));
	const char *extra = getenv("UNDERTONE_THEME_DIR");
	if (extra && extra[0] && D.dirs.n < THEME_DIRS_MAX)
		snprintf(D.dirs.dir[D.dirs.n++], THEME_PATH_MAX, "%s", extra);
	D.nnames = theme_list(&D.dirs, D.names, THEME_LIST_MAX);
	if (D.nnames > THEME_LIST_MAX)
		D.nnames = THEME_LIST_MAX;
	const char *want = theme_arg && theme_arg[0] ? theme_arg : a->cfg->theme;
	if (load_theme(want, err, errsz) != 0) {
		if (theme_arg && theme_arg[0])
			return -1;
		theme_init(&D.theme); /* a bad config value is not fatal */
	}
	F.have_tio = tcgetattr(STDIN_FILENO, &F.tio) == 0;
	if (!newterm(NULL, stdout, stdin)) {
		snprintf(err, errsz, "cannot start curses on this terminal (TERM=%s); try --batch",
			getenv("TERM") ? getenv("TERM") : "");
		return -1;
	}
	const char *nc = getenv("NO_COLOR");
	bool colors = has_colors();
	if (colors) {
		start_color();
		use_default_colors();
	}
	D.depth = theme_depth_detect(getenv("COLORTERM"), colors ? COLORS : 0, nc && nc[0]);
	apply_theme();
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	fatal_install();
	return 0;
}

void draw_end(void)
{
	if (!isendwin())
		endwin();
}

/* ---- input ---- */

#define NK(k) (CONFIG_KEY_NAMED + CONFIG_NK_##k)

static int32_t map_key(int rc, wint_t ch)
{
	if (rc == OK) {
		switch (ch) {
		case '\r': case '\n': return NK(ENTER);
		case 27: return NK(ESC);
		case '\t': return NK(TAB);
		case 8: case 127: return NK(BACKSPACE);
		case ' ': return CONFIG_KEY_SPACE;
		default: return (int32_t)ch;
		}
	}
	switch (ch) {
	case KEY_UP: return NK(UP);
	case KEY_DOWN: return NK(DOWN);
	case KEY_LEFT: return NK(LEFT);
	case KEY_RIGHT: return NK(RIGHT);
	case KEY_PPAGE: return NK(PGUP);
	case KEY_NPAGE: return NK(PGDN);
	case KEY_HOME: return NK(HOME);
	case KEY_END: return NK(END);
	case KEY_ENTER: return NK(ENTER);
	case KEY_BTAB: return NK(BTAB);
	case KEY_BACKSPACE: return NK(BACKSPACE);
	case KEY_DC: return NK(DELETE);
	case KEY_IC: return NK(INSERT);
	default:
		if (ch >= KEY_F(1) && ch <= KEY_F(12))
			return NK(F1) + (int32_t)(ch - KEY_F(1));
		return 0;
	}
}

static void on_mouse(struct app *a)
{
	MEVENT ev;
	if (getmouse(&ev) != OK)
		return;
	if (ev.bstate & BUTTON4_PRESSED)
		app_mouse(a, -1, true, false);
	else if (ev.bstate & BUTTON5_PRESSED)
		app_mouse(a, -1, false, true);
	else if (ev.y >= D.table_y && ev.y < D.table_y + D.table_h)
		app_mouse(a, (long)(D.table_top + (size_t)(ev.y - D.table_y)), false, false);
	else if (a->mode == APP_TABLE && ev.y >= D.sugg_y && ev.y < D.sugg_y + D.sugg_h) {
		a->focus = APP_FOCUS_SUGG;
		a->sugg_sel = (long)(D.sugg_top + (size_t)(ev.y - D.sugg_y));
		a->dirty = true;
	}
}

int draw_input(struct app *a)
{
	int n = 0;
	wint_t ch;
	int rc;
	while ((rc = get_wch(&ch)) != ERR) {
		n++;
		if (rc == KEY_CODE_YES && ch == KEY_RESIZE) {
			a->dirty = true;
			continue;
		}
		if (rc == KEY_CODE_YES && ch == KEY_MOUSE) {
			on_mouse(a);
			continue;
		}
		int32_t key = map_key(rc, ch);
		if (key > 0)
			app_key(a, key);
		if (a->theme_step) {
			a->theme_step = 0;
			cycle_theme(a);
		}
		if (a->quit)
			break;
	}
	return n;
}

/* ---- primitives ---- */

void draw_text(int y, int x, int width, const char *s, attr_t at, bool ascii)
{
	char buf[8192];
	if (width <= 0)
		return;
	view_fit(s, width, ascii, buf, sizeof buf);
	attrset(at);
	mvaddstr(y, x, buf);
	attrset(A_NORMAL);
}

void draw_fill(int y, int x, int width, attr_t at)
{
	attrset(at);
	for (int i = 0; i < width; i++)
		mvaddch(y, x + i, ' ');
	attrset(A_NORMAL);
}

static enum theme_role sent_role(float s)
{
	if (s <= -0.6f) return THEME_SENT_NEG_STRONG;
	if (s <= -0.2f) return THEME_SENT_NEG;
	if (s < 0.2f) return THEME_SENT_NEUTRAL;
	if (s < 0.6f) return THEME_SENT_POS;
	return THEME_SENT_POS_STRONG;
}

/* Glyphs one by one, each coloured by its sign. */
void draw_glyphs(int y, int x, const char *s, const signed char *sign, int cells, attr_t base,
	bool plain)
{
	size_t len = strlen(s), pos = 0;
	move(y, x);
	for (int c = 0; c < cells && pos < len; c++) {
		size_t used;
		utf8_decode(s + pos, len - pos, &used);
		attr_t at = plain ? base : draw_attr(sign[c] < 0 ? THEME_SPARK_NEG :
			sign[c] > 0 ? THEME_SPARK_POS : THEME_SPARK_AXIS);
		attrset(at);
		addnstr(s + pos, (int)used);
		pos += used;
	}
	attrset(A_NORMAL);
}

static void draw_row(struct app *a, int y, const struct view_layout *l, const struct view_call *c,
	bool selected, bool alt)
{
	struct view_style st = { a->glyphs, a->ascii, a->now_ms };
	bool ended = c->state == UT_CS_ENDED || c->state == UT_CS_ABANDONED;
	attr_t base = draw_attr(selected ? THEME_SELECTED : ended ? THEME_MUTED :
		alt ? THEME_ROW_ALT : THEME_TABLE);
	char cell[2048];
	draw_fill(y, 0, COLS, base);
	for (int i = 0; i < l->n; i++) {
		int x = l->x[i], w = l->width[i];
		if (x + w > COLS)
			w = COLS - x;
		if (w <= 0)
			break;
		enum view_col col = l->col[i];
		attr_t at = base;
		if (col == VC_TREND) {
			float pts[VIEW_TREND_MAX];
			signed char sign[512];
			int n = view_call_trend(c, pts, NULL, VIEW_TREND_MAX);
			int cells = w < 512 ? w : 511;
			view_sparkline(pts, n, cells, a->ascii ? VIEW_GLYPH_ASCII : a->glyphs, cell,
				sizeof cell, sign);
			draw_glyphs(y, x, cell, sign, cells, base, selected);
			continue;
		}
		view_cell(c, col, w, &st, cell, sizeof cell);
		if (!selected && !ended) {
			int sev = view_call_severity(c);
			if (col == VC_FLAG && sev > 0)
				at = draw_attr((enum theme_role)(THEME_SEV1 + sev - 1));
			else if (col == VC_SENT)
				at = draw_attr(sent_role(c->sentiment));
			else if (col == VC_FRUST)
				at = draw_attr((enum theme_role)(THEME_FRUST_LOW + view_frust_level(c->frustration)));
		}
		attrset(at);
		mvaddstr(y, x, cell);
	}
	attrset(A_NORMAL);
}

void draw_header(struct app *a)
{
	char l1[512], l2[512], feed[128];
	bool bad;
	text_header(a, l1, sizeof l1, l2, sizeof l2);
	draw_fill(0, 0, COLS, draw_attr(THEME_HEADER));
	draw_text(0, 0, COLS, l1, draw_attr(THEME_HEADER), a->ascii);
	draw_fill(1, 0, COLS, draw_attr(THEME_HEADER));
	text_feed_status(a, feed, sizeof feed, &bad);
	size_t flen = strlen(feed);
	draw_text(1, 0, COLS, l2, draw_attr(THEME_HEADER), a->ascii);
	draw_text(1, 0, (int)flen < COLS ? (int)flen : COLS, feed,
		draw_attr(bad ? THEME_HEADER_STALE : THEME_HEADER_LIVE), a->ascii);
}

static void draw_table(struct app *a, int y0, int h)
{
	struct view_layout l;
	view_layout(&l, COLS, (const enum view_col *)a->cfg->columns, (int)a->cfg->ncolumns);
	char line[4096];
	text_headings(&l, a->ascii, line, sizeof line);
	draw_fill(y0, 0, COLS, draw_attr(THEME_COLUMN_HEADING));
	draw_text(y0, 0, COLS, line, draw_attr(THEME_COLUMN_HEADING), a->ascii);
	D.table_y = y0 + 1;
	D.table_h = h - 1;
	a->page = D.table_h;
	size_t top = view_scroll(a->view, (size_t)(h - 1));
	D.table_top = top;
	long sel = view_selected_row(a->view);
	for (int r = 0; r < h - 1; r++) {
		const struct view_call *c = view_row(a->view, top + (size_t)r);
		if (!c) {
			if (r == 0 && view_rows(a->view) == 0)
				draw_text(y0 + 1, 1, COLS - 1, view_call_count(a->view) ?
					"No calls match the filter." : "No active calls.",
					draw_attr(THEME_MUTED), a->ascii);
			continue;
		}
		bool is_sel = (long)(top + (size_t)r) == sel && a->focus == APP_FOCUS_CALLS;
		draw_row(a, y0 + 1 + r, &l, c, is_sel || ((long)(top + (size_t)r) == sel && a->mode != APP_TABLE), (top + (size_t)r) % 2 == 1);
		if ((long)(top + (size_t)r) == sel && a->focus != APP_FOCUS_CALLS)
			draw_text(y0 + 1 + r, 0, 1, ">", draw_attr(THEME_SELECTED), a->ascii);
	}
}

static void draw_suggestions(struct app *a, int y0, int h)
{
	const struct view_sugg *list[256];
	size_t total = view_sugg_pending(a->view, list, 256);
	size_t n = total < 256 ? total : 256;
	char title[128], line[1024];
	snprintf(title, sizeof title, " Suggestions awaiting a decision: %zu%s", total,
		a->focus == APP_FOCUS_SUGG ? "  (Tab: back to calls)" : "  (Tab: select)");
	draw_fill(y0, 0, COLS, draw_attr(THEME_PANE_TITLE));
	draw_text(y0, 0, COLS, title, draw_attr(THEME_PANE_TITLE), a->ascii);
	if (a->sugg_sel >= (long)n)
		a->sugg_sel = n ? (long)n - 1 : 0;
	size_t top = 0;
	if (a->sugg_sel >= h - 1)
		top = (size_t)a->sugg_sel - (size_t)(h - 2);
	D.sugg_y = y0 + 1;
	D.sugg_h = (int)(n - top) < h - 1 ? (int)(n - top) : h - 1;
	D.sugg_top = top;
	for (int r = 0; r < h - 1 && top + (size_t)r < n; r++) {
		const struct view_sugg *s = list[top + (size_t)r];
		text_sugg_line(a, s, line, sizeof line);
		bool sel = a->focus == APP_FOCUS_SUGG && (long)(top + (size_t)r) == a->sugg_sel;
		enum theme_role role = sel ? THEME_SELECTED :
			(s->claimed_by[0] && strcmp(s->claimed_by, a->user) != 0) ? THEME_CLAIMED : THEME_TABLE;
		draw_fill(y0 + 1 + r, 0, COLS, draw_attr(role));
		draw_text(y0 + 1 + r, 1, COLS - 1, line, draw_attr(role), a->ascii);
		if (!sel && s->severity > 0 && s->severity <= 3)
			draw_text(y0 + 1 + r, 6, 3, view_sev_marker(s->severity),
				draw_attr((enum theme_role)(THEME_SEV1 + s->severity - 1)), true);
	}
}

static void draw_too_small(void)
{
	char msg[128];
	erase();
	snprintf(msg, sizeof msg, "Terminal too small: %dx%d, need at least %dx%d.", COLS, LINES,
		DRAW_MIN_COLS, DRAW_MIN_ROWS);
	attrset(A_BOLD);
	mvaddnstr(0, 0, msg, COLS);
	if (LINES > 1)
		mvaddnstr(1, 0, "Enlarge the window (q quits).", COLS);
	attrset(A_NORMAL);
	refresh();
}

void draw_frame(struct app *a)
{
	if (a->redraw_all) {
		a->redraw_all = false;
		clearok(curscr, TRUE);
	}
	if (COLS < DRAW_MIN_COLS || LINES < DRAW_MIN_ROWS) {
		draw_too_small();
		return;
	}
	erase();
	D.table_h = D.sugg_h = 0;
	draw_header(a);
	int body = LINES - 3; /* header x2, status */
	if (a->mode == APP_DETAIL) {
		draw_detail(a, 2, body);
	} else if (a->mode == APP_REVIEW) {
		draw_review(a, 2, body);
	} else {
		const struct view_sugg *none[1];
		int want = (int)view_sugg_pending(a->view, none, 0) + 1;
		int sh = want < 3 ? 3 : want > body / 3 ? body / 3 : want;
		if (sh < 3)
			sh = 3;
		draw_table(a, 2, body - sh);
		draw_suggestions(a, 2 + body - sh, sh);
	}
	draw_status(a, LINES - 1);
	if (decide_active(a))
		draw_prompt(a);
	if (a->help)
		draw_help(a);
	refresh();
}
