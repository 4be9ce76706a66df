/* keys: what each key does in each mode (curses-free; keys are config.h
 * key codes, mapped to actions through the configured bindings). */
#include "app.h"

#include <limits.h>
#include <string.h>

#include "undertone/utf8.h"

#define NK(k) (CONFIG_KEY_NAMED + CONFIG_NK_##k)

static size_t sugg_count(const struct app *a)
{
	const struct view_sugg *list[1];
	return view_sugg_pending(a->view, list, 0);
}

static void move_sel(struct app *a, long delta)
{
	view_key_activity(a->view, a->now_ms);
	if (a->mode == APP_REVIEW) {
		long n = (long)a->nreview;
		long r = delta == LONG_MIN ? 0 : delta == LONG_MAX ? n - 1 : a->review_sel + delta;
		a->review_sel = r < 0 ? 0 : r >= n ? (n ? n - 1 : 0) : r;
		return;
	}
	if (a->mode == APP_TABLE && a->focus == APP_FOCUS_SUGG) {
		long n = (long)sugg_count(a);
		long r = delta == LONG_MIN ? 0 : delta == LONG_MAX ? n - 1 : a->sugg_sel + delta;
		a->sugg_sel = r < 0 ? 0 : r >= n ? (n ? n - 1 : 0) : r;
		return;
	}
	view_move(a->view, delta);
}

static void filter_key(struct app *a, int32_t key)
{
	char *buf = a->mode == APP_REVIEW ? a->review_filter : NULL;
	char tmp[VIEW_FILTER_MAX + 1];
	if (!buf) {
		snprintf(tmp, sizeof tmp, "%s", view_get_filter(a->view));
		buf = tmp;
	}
	size_t len = strlen(buf);
	if (key == NK(ENTER) || key == '\r' || key == '\n') {
		a->filter_editing = false;
	} else if (key == NK(ESC)) {
		a->filter_editing = false;
		buf[0] = '\0';
	} else if (key == NK(BACKSPACE) || key == 8 || key == 0x7f) {
		while (len > 0 && ((unsigned char)buf[--len] & 0xC0) == 0x80)
			;
		buf[len] = '\0';
	} else if (key >= 0x20 && key < CONFIG_KEY_NAMED && key != 0x7f) {
		char enc[4];
		size_t n = utf8_encode((uint32_t)key, enc);
		if (n && len + n <= VIEW_FILTER_MAX) {
			memcpy(buf + len, enc, n);
			buf[len + n] = '\0';
		}
	}
	if (a->mode == APP_REVIEW)
		app_review_load(a);
	else
		view_set_filter(a->view, buf);
}

static void open_detail(struct app *a)
{
	if (a->focus == APP_FOCUS_SUGG) {
		const struct view_sugg *list[256];
		size_t n = view_sugg_pending(a->view, list, 256);
		if (a->sugg_sel >= 0 && (size_t)a->sugg_sel < n && a->sugg_sel < 256) {
			view_set_filter(a->view, "");
			view_refresh(a->view, a->now_ms, true);
			for (size_t r = 0; r < view_rows(a->view); r++)
				if (strcmp(view_row(a->view, r)->id, list[a->sugg_sel]->call_id) == 0)
					view_select_row(a->view, (long)r);
		}
	}
	if (view_selected(a->view)) {
		a->mode = APP_DETAIL;
		app_detail_poll(a);   /* ask at once, not at the next housekeeping */
	}
}

static void action(struct app *a, int act)
{
	long page = a->page > 1 ? a->page - 1 : 1;
	switch (act) {
	case CONFIG_ACT_QUIT:
		a->quit = true;
		break;
	case CONFIG_ACT_HELP: a->help = !a->help; break;
	case CONFIG_ACT_UP: move_sel(a, -1); break;
	case CONFIG_ACT_DOWN: move_sel(a, 1); break;
	case CONFIG_ACT_PAGE_UP: move_sel(a, -page); break;
	case CONFIG_ACT_PAGE_DOWN: move_sel(a, page); break;
	case CONFIG_ACT_HOME: move_sel(a, LONG_MIN); break;
	case CONFIG_ACT_END: move_sel(a, LONG_MAX); break;
	case CONFIG_ACT_DETAIL:
		if (a->mode == APP_TABLE)
			open_detail(a);
		break;
	case CONFIG_ACT_BACK:
		a->mode = APP_TABLE;
		app_detail_poll(a);   /* drop the detail (the customer's words) now */
		break;
	case CONFIG_ACT_FOCUS:
		if (a->mode == APP_TABLE)
			a->focus = a->focus == APP_FOCUS_CALLS ? APP_FOCUS_SUGG : APP_FOCUS_CALLS;
		break;
	case CONFIG_ACT_FILTER:
		if (a->mode != APP_DETAIL)
			a->filter_editing = true;
		break;
	case CONFIG_ACT_SORT:
		view_set_sort(a->view, (enum view_sort)((view_get_sort(a->view) + 1) % VIEW_SORT__COUNT));
		app_set_msg(a, false, "Sorted by %s", view_sort_name(view_get_sort(a->view)));
		break;
	case CONFIG_ACT_FLAGGED:
		view_set_flagged_only(a->view, !view_get_flagged_only(a->view));
		break;
	case CONFIG_ACT_PAUSE:
		a->paused = !a->paused;
		break;
	case CONFIG_ACT_REDRAW: a->redraw_all = true; break;
	case CONFIG_ACT_THEME: a->theme_step++; break;
	case CONFIG_ACT_REVIEW:
		a->mode = a->mode == APP_REVIEW ? APP_TABLE : APP_REVIEW;
		if (a->mode == APP_REVIEW)
			app_review_load(a);
		break;
	case CONFIG_ACT_ACKNOWLEDGE: decide_start(a, UT_DE_ACKNOWLEDGE); break;
	case CONFIG_ACT_ACCEPT: decide_start(a, UT_DE_ACCEPT); break;
	case CONFIG_ACT_DISMISS: decide_start(a, UT_DE_DISMISS); break;
	case CONFIG_ACT_SNOOZE: decide_start(a, UT_DE_SNOOZE); break;
	case CONFIG_ACT_TAG: decide_start(a, UT_DE_TAG); break;
	case CONFIG_ACT_RAISE: decide_start(a, UT_DE_RAISE); break;
	case CONFIG_ACT_CLEAR: decide_start(a, UT_DE_CLEAR); break;
	default: break;
	}
}

void app_key(struct app *a, int32_t key)
{
	a->dirty = true;
	if (a->quit_asked) {
		a->quit_asked = false;
		if (key == 'y' || key == 'Y')
			a->quit = true;
		else
			app_set_msg(a, false, "Quit cancelled");
		return;
	}
	int act = config_console_action_for_key(a->cfg, key);
	if (key == 12) { /* Ctrl-L always redraws */
		a->redraw_all = true;
		return;
	}
	if (a->help) {
		a->help = false;
		return;
	}
	if (decide_active(a)) {
		if (act == CONFIG_ACT_QUIT && a->flow.step != DECIDE_TEXT) {
			a->quit_asked = true;
			return;
		}
		decide_key(a, key);
		return;
	}
	if (a->filter_editing) {
		filter_key(a, key);
		return;
	}
	if (act < 0 && key == NK(ESC))
		act = CONFIG_ACT_BACK;
	if (act >= 0)
		action(a, act);
}

void app_mouse(struct app *a, long row, bool wheel_up, bool wheel_down)
{
	a->dirty = true;
	if (wheel_up || wheel_down) {
		move_sel(a, wheel_up ? -3 : 3);
		return;
	}
	if (a->mode == APP_TABLE && row >= 0 && (size_t)row < view_rows(a->view)) {
		view_key_activity(a->view, a->now_ms);
		a->focus = APP_FOCUS_CALLS;
		view_select_row(a->view, row);
	}
}
