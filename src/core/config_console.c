/*
 * config_console: the console's configuration schema (undertone.conf(5)):
 * scalar keys through the schema engine, plus the list-valued settings
 * (columns, snooze choices, reason codes, tag labels, key bindings).
 */
#include "undertone/config.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>

#include "undertone/utf8.h"

#define CC_ERR_MAX 128
#define CC_LIST_MAX 512

static const char *const cc_column_names[CONFIG_COL__COUNT] = {
	"flag", "call", "agent", "queue", "channel", "duration", "sentiment",
	"trend", "frustration", "reason",
};

static const char *const cc_spark_names[] = { "braille", "blocks", "ascii" };

static const char *const cc_action_names[CONFIG_ACT__COUNT] = {
	"quit", "help", "up", "down", "page_up", "page_down", "home", "end",
	"detail", "back", "focus", "filter", "sort", "flagged", "pause", "redraw",
	"theme", "review", "acknowledge", "accept", "dismiss", "snooze", "tag",
	"raise", "clear",
};

/* Default bindings, in [keys] syntax; conflict-free (a unit test checks). */
static const char *const cc_default_keys[CONFIG_ACT__COUNT] = {
	[CONFIG_ACT_QUIT] = "q",
	[CONFIG_ACT_HELP] = "? F1",
	[CONFIG_ACT_UP] = "Up k",
	[CONFIG_ACT_DOWN] = "Down j",
	[CONFIG_ACT_PAGE_UP] = "PgUp ^B",
	[CONFIG_ACT_PAGE_DOWN] = "PgDn ^F Space",
	[CONFIG_ACT_HOME] = "Home g",
	[CONFIG_ACT_END] = "End G",
	[CONFIG_ACT_DETAIL] = "Enter",
	[CONFIG_ACT_BACK] = "Esc Backspace",
	[CONFIG_ACT_FOCUS] = "Tab",
	[CONFIG_ACT_FILTER] = "/",
	[CONFIG_ACT_SORT] = "s",
	[CONFIG_ACT_FLAGGED] = "f",
	[CONFIG_ACT_PAUSE] = "p",
	[CONFIG_ACT_REDRAW] = "^L",
	[CONFIG_ACT_THEME] = "t",
	[CONFIG_ACT_REVIEW] = "R",
	[CONFIG_ACT_ACKNOWLEDGE] = "a",
	[CONFIG_ACT_ACCEPT] = "y",
	[CONFIG_ACT_DISMISS] = "d",
	[CONFIG_ACT_SNOOZE] = "z",
	[CONFIG_ACT_TAG] = "T",
	[CONFIG_ACT_RAISE] = "r",
	[CONFIG_ACT_CLEAR] = "c",
};

static const struct config_label cc_default_reasons[] = {
	{ "handled", "Already being handled" },
	{ "escalated", "Escalated or assisted as suggested" },
	{ "customer_calm", "Customer has calmed down" },
	{ "resolved", "Issue resolved on the call" },
	{ "false_alarm", "Signal misread the conversation" },
	{ "not_now", "No capacity now; look again soon" },
	{ "review_later", "Review after the call" },
	{ "other", "Other (see note)" },
};

static const struct config_label cc_default_tags[] = {
	{ "follow_up", "Follow-up needed" },
	{ "product_feedback", "Product feedback" },
	{ "billing", "Billing problem" },
	{ "process", "Process or policy issue" },
	{ "callback", "Customer callback promised" },
};

static const char cc_default_columns[] =
	"flag,call,agent,queue,channel,duration,sentiment,trend,frustration,reason";
static const char cc_default_snooze[] = "5m,15m,30m,1h";

#define CC_STR(sec, key, field, org, def) \
	{ sec, key, CONFIG_T_STRING, offsetof(struct config_console, field), \
	  sizeof(((struct config_console *)0)->field), 0, 0, NULL, 0, org, def }
#define CC_PATH(sec, key, field, org, def) \
	{ sec, key, CONFIG_T_PATH, offsetof(struct config_console, field), \
	  sizeof(((struct config_console *)0)->field), 0, 0, NULL, 0, org, def }
#define CC_EP(key, field, org, def) \
	{ "endpoints", key, CONFIG_T_ENDPOINT, offsetof(struct config_console, field), \
	  sizeof(((struct config_console *)0)->field), 0, 0, NULL, 0, org, def }

static const struct config_entry cc_schema[] = {
	CC_EP("feed", feed, CONFIG_C_FEED, "tcp://127.0.0.1:7412"),
	CC_EP("requests", requests, CONFIG_C_REQUESTS, "tcp://127.0.0.1:7413"),
	CC_PATH("security", "server_public_key", server_public_key, CONFIG_C_SERVER_PUBLIC_KEY, ""),
	CC_PATH("security", "client_public_key", client_public_key, CONFIG_C_CLIENT_PUBLIC_KEY, ""),
	CC_PATH("security", "client_secret_key", client_secret_key, CONFIG_C_CLIENT_SECRET_KEY, ""),
	CC_PATH("console", "decision_log", decision_log, CONFIG_C_DECISION_LOG, "decisions.db"),
	CC_STR("console", "theme", theme, CONFIG_C_THEME, "default"),
	{ "console", "refresh_rate", CONFIG_T_UINT, offsetof(struct config_console, refresh_rate),
	  sizeof(unsigned), 1, 60, NULL, 0, CONFIG_C_REFRESH_RATE, "10" },
	{ "console", "sparkline", CONFIG_T_ENUM, offsetof(struct config_console, sparkline),
	  sizeof(int), 0, 0, cc_spark_names, 3, CONFIG_C_SPARKLINE, "braille" },
	CC_STR("console", "display_name", display_name, CONFIG_C_DISPLAY_NAME, ""),
};
#define CC_NSCHEMA (sizeof(cc_schema) / sizeof(cc_schema[0]))

const char *
config_column_name(enum config_column col)
{
	return (unsigned)col < CONFIG_COL__COUNT ? cc_column_names[col] : "?";
}

const char *
config_action_name(enum config_action a)
{
	return (unsigned)a < CONFIG_ACT__COUNT ? cc_action_names[a] : "?";
}

const char *
config_sparkline_name(enum config_sparkline s)
{
	return (unsigned)s < 3 ? cc_spark_names[s] : "?";
}

/* ---- keys ------------------------------------------------------------ */

static const char *const cc_named_keys[CONFIG_NK__COUNT] = {
	"Up", "Down", "Left", "Right", "PgUp", "PgDn", "Home", "End", "Enter", "Esc",
	"Tab", "BTab", "Backspace", "Delete", "Insert",
	"F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10", "F11", "F12",
};

/* Other spellings accepted on input. */
static const struct { const char *name; int nk; } cc_key_aliases[] = {
	{ "pageup", CONFIG_NK_PGUP }, { "pagedown", CONFIG_NK_PGDN },
	{ "return", CONFIG_NK_ENTER }, { "escape", CONFIG_NK_ESC },
	{ "del", CONFIG_NK_DELETE }, { "ins", CONFIG_NK_INSERT },
	{ "backtab", CONFIG_NK_BTAB }, { "bs", CONFIG_NK_BACKSPACE },
};

static bool
cc_ieq(const char *s, size_t len, const char *word)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (word[i] == '\0' || tolower((unsigned char)s[i]) != tolower((unsigned char)word[i]))
			return false;
	return word[len] == '\0';
}

/* Control characters that terminals send for named keys map to those. */
static int32_t
cc_ctrl_key(char c)
{
	int code;

	c = (char)toupper((unsigned char)c);
	if (c < '@' || c > '_')
		return -1;
	code = c - '@';
	switch (code) {
	case 0x08: return CONFIG_KEY_NAMED + CONFIG_NK_BACKSPACE;
	case 0x09: return CONFIG_KEY_NAMED + CONFIG_NK_TAB;
	case 0x0A: case 0x0D: return CONFIG_KEY_NAMED + CONFIG_NK_ENTER;
	case 0x1B: return CONFIG_KEY_NAMED + CONFIG_NK_ESC;
	}
	return code >= 1 && code <= 26 ? code : -1;
}

int32_t
config_key_parse(const char *s, size_t len)
{
	size_t i, used;
	uint32_t cp;

	if (!s || len == 0)
		return -1;
	if (len == 1)
		return (unsigned char)s[0] > 0x20 && (unsigned char)s[0] < 0x7f ?
		    (unsigned char)s[0] : -1;
	if (len == 2 && s[0] == '^')
		return cc_ctrl_key(s[1]);
	if (len == 3 && (s[0] == 'C' || s[0] == 'c') && s[1] == '-')
		return cc_ctrl_key(s[2]);
	if (cc_ieq(s, len, "space"))
		return CONFIG_KEY_SPACE;
	for (i = 0; i < CONFIG_NK__COUNT; i++)
		if (cc_ieq(s, len, cc_named_keys[i]))
			return CONFIG_KEY_NAMED + (int32_t)i;
	for (i = 0; i < sizeof(cc_key_aliases) / sizeof(cc_key_aliases[0]); i++)
		if (cc_ieq(s, len, cc_key_aliases[i].name))
			return CONFIG_KEY_NAMED + cc_key_aliases[i].nk;
	/* One non-ASCII printable character. */
	cp = utf8_decode(s, len, &used);
	if (cp != UTF8_INVALID && used == len && cp >= 0xa0)
		return (int32_t)cp;
	return -1;
}

char *
config_key_format(int32_t key, char *out, size_t outsz)
{
	char buf[5];
	size_t n;

	if (key == CONFIG_KEY_SPACE)
		snprintf(out, outsz, "Space");
	else if (key >= 1 && key <= 26)
		snprintf(out, outsz, "^%c", (char)('@' + key));
	else if (key >= CONFIG_KEY_NAMED && key < CONFIG_KEY_NAMED + CONFIG_NK__COUNT)
		snprintf(out, outsz, "%s", cc_named_keys[key - CONFIG_KEY_NAMED]);
	else if (key > 0x20 && key < 0x110000 && (n = utf8_encode((uint32_t)key, buf)) > 0) {
		buf[n] = '\0';
		snprintf(out, outsz, "%s", buf);
	} else
		snprintf(out, outsz, "?");
	return out;
}

/* Parse "k Up ^L" (spaces or commas) into keys[]; 0 or -1 with err. */
static int
cc_parse_keys(const char *v, int32_t keys[CONFIG_KEYS_PER_ACTION], char *err, size_t errsz)
{
	size_t n, nk = 0, i;
	int32_t k;

	memset(keys, 0, sizeof(int32_t) * CONFIG_KEYS_PER_ACTION);
	for (;;) {
		v += strspn(v, " \t,");
		if (*v == '\0')
			break;
		n = strcspn(v, " \t,");
		k = config_key_parse(v, n);
		if (k < 0) {
			snprintf(err, errsz, "unknown key '%.*s'", (int)(n > 24 ? 24 : n), v);
			return -1;
		}
		for (i = 0; i < nk; i++)
			if (keys[i] == k)
				break;
		if (i == nk) {
			if (nk == CONFIG_KEYS_PER_ACTION) {
				snprintf(err, errsz, "more than %d keys", CONFIG_KEYS_PER_ACTION);
				return -1;
			}
			keys[nk++] = k;
		}
		v += n;
	}
	if (nk == 0) {
		snprintf(err, errsz, "no key given");
		return -1;
	}
	return 0;
}

static bool
cc_has_key(const int32_t *keys, int32_t k)
{
	size_t i;

	for (i = 0; i < CONFIG_KEYS_PER_ACTION && keys[i]; i++)
		if (keys[i] == k)
			return true;
	return false;
}

static void
cc_remove_key(int32_t *keys, int32_t k)
{
	size_t i, j = 0;

	for (i = 0; i < CONFIG_KEYS_PER_ACTION; i++)
		if (keys[i] != k)
			keys[j++] = keys[i];
	while (j < CONFIG_KEYS_PER_ACTION)
		keys[j++] = 0;
}

int
config_console_action_for_key(const struct config_console *c, int32_t key)
{
	int a;

	if (key <= 0)
		return -1;
	for (a = 0; a < CONFIG_ACT__COUNT; a++)
		if (cc_has_key(c->keys[a], key))
			return a;
	return -1;
}

/*
 * Resolve two actions on one key. A key the user gave (file, env, flag)
 * beats a default binding, which just loses that key; between two given
 * bindings the earlier keeps it and the later one is reported.
 */
static void
cc_resolve_pair(struct config_console *c, int a, int b, int32_t k)
{
	const struct config_origin *oa = &c->key_origin[a], *ob = &c->key_origin[b];
	char kn[CONFIG_KEY_NAME_MAX];
	int loser;

	config_key_format(k, kn, sizeof(kn));
	if (oa->kind == CONFIG_FROM_DEFAULT || ob->kind == CONFIG_FROM_DEFAULT) {
		loser = oa->kind == CONFIG_FROM_DEFAULT ? a : b;
	} else {
		loser = ob->line >= oa->line ? b : a;
		config_diag_add(&c->diags, c->key_origin[loser].line,
		    "key conflict: %s is bound to both %s and %s; kept for %s",
		    kn, cc_action_names[a], cc_action_names[b],
		    cc_action_names[loser == a ? b : a]);
	}
	cc_remove_key(c->keys[loser], k);
	if (c->keys[loser][0] == 0)
		config_diag_add(&c->diags, c->key_origin[loser == a ? b : a].line,
		    "action %s has no key left (its %s went to %s)", cc_action_names[loser],
		    kn, cc_action_names[loser == a ? b : a]);
}

static void
cc_check_keys(struct config_console *c)
{
	int a, b;
	size_t i;

	for (a = 0; a < CONFIG_ACT__COUNT; a++)
		for (b = a + 1; b < CONFIG_ACT__COUNT; b++)
			for (i = 0; i < CONFIG_KEYS_PER_ACTION && c->keys[a][i]; i++)
				if (cc_has_key(c->keys[b], c->keys[a][i])) {
					cc_resolve_pair(c, a, b, c->keys[a][i]);
					i = (size_t)-1;   /* a's list changed: rescan */
				}
}

/* ---- list values --------------------------------------------------- */

/* Split v at commas/blanks, calling item() on each; stops on its error. */
static int
cc_split(const char *v, int (*item)(void *, const char *, size_t, char *, size_t),
    void *ctx, char *err, size_t errsz)
{
	size_t n;

	for (;;) {
		v += strspn(v, " \t,");
		if (*v == '\0')
			return 0;
		n = strcspn(v, " \t,");
		if (item(ctx, v, n, err, errsz) != 0)
			return -1;
		v += n;
	}
}

struct cc_columns {
	enum config_column col[CONFIG_COL__COUNT];
	size_t n;
};

static int
cc_column_item(void *ctx, const char *s, size_t n, char *err, size_t errsz)
{
	struct cc_columns *cl = ctx;
	size_t i;

	for (i = 0; i < CONFIG_COL__COUNT; i++)
		if (cc_ieq(s, n, cc_column_names[i]))
			break;
	if (i == CONFIG_COL__COUNT) {
		snprintf(err, errsz, "unknown column '%.*s'", (int)(n > 24 ? 24 : n), s);
		return -1;
	}
	for (size_t j = 0; j < cl->n; j++)
		if (cl->col[j] == (enum config_column)i) {
			snprintf(err, errsz, "column '%s' listed twice", cc_column_names[i]);
			return -1;
		}
	cl->col[cl->n++] = (enum config_column)i;
	return 0;
}

static int
cc_set_columns(struct config_console *c, const char *v, char *err, size_t errsz)
{
	struct cc_columns cl = { .n = 0 };

	if (cc_split(v, cc_column_item, &cl, err, errsz) != 0)
		return -1;
	if (cl.n == 0) {
		snprintf(err, errsz, "no columns given");
		return -1;
	}
	memcpy(c->columns, cl.col, sizeof(cl.col));
	c->ncolumns = cl.n;
	return 0;
}

struct cc_snooze {
	unsigned s[CONFIG_SNOOZE_MAX];
	size_t n;
};

/* Snooze choices: 1 minute to 1 week each. */
static int
cc_snooze_item(void *ctx, const char *s, size_t n, char *err, size_t errsz)
{
	struct cc_snooze *sz = ctx;
	char buf[32];
	uint64_t ms;

	if (n >= sizeof(buf) || (memcpy(buf, s, n), buf[n] = '\0',
	    config_parse_duration_ms(buf, &ms) != 0)) {
		snprintf(err, errsz, "bad duration '%.*s'", (int)(n > 24 ? 24 : n), s);
		return -1;
	}
	if (ms < 60000 || ms > 7ull * 24 * 3600000) {
		snprintf(err, errsz, "snooze '%s' out of range (1m..168h)", buf);
		return -1;
	}
	if (sz->n == CONFIG_SNOOZE_MAX) {
		snprintf(err, errsz, "more than %d snooze choices", CONFIG_SNOOZE_MAX);
		return -1;
	}
	sz->s[sz->n++] = (unsigned)(ms / 1000);
	return 0;
}

static int
cc_set_snooze(struct config_console *c, const char *v, char *err, size_t errsz)
{
	struct cc_snooze sz = { .n = 0 };

	if (cc_split(v, cc_snooze_item, &sz, err, errsz) != 0)
		return -1;
	if (sz.n == 0) {
		snprintf(err, errsz, "no snooze durations given");
		return -1;
	}
	memcpy(c->snooze, sz.s, sizeof(sz.s));
	c->nsnooze = sz.n;
	return 0;
}

static int
cc_check_code(const char *code, char *err, size_t errsz)
{
	size_t i, n = strlen(code);

	if (n == 0 || n > CONFIG_CODE_MAX) {
		snprintf(err, errsz, "code must be 1..%d characters", CONFIG_CODE_MAX);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (!islower((unsigned char)code[i]) && !isdigit((unsigned char)code[i]) &&
		    code[i] != '_' && code[i] != '-') {
			snprintf(err, errsz, "code '%.32s' may use only a-z, 0-9, _ and -", code);
			return -1;
		}
	return 0;
}

/*
 * Add or relabel code in a label list. replace_defaults: the first entry a
 * file or flag gives replaces the whole default list.
 */
static int
cc_set_label(struct config_label *list, size_t *n, bool replace_defaults,
    const char *code, const char *value, char *err, size_t errsz)
{
	char label[CONFIG_LABEL_MAX + 64];
	size_t i;

	if (cc_check_code(code, err, errsz) != 0)
		return -1;
	if (strlen(value) >= sizeof(label)) {
		snprintf(err, errsz, "label longer than %d bytes", CONFIG_LABEL_MAX);
		return -1;
	}
	strcpy(label, value);
	config_unquote(label);
	if (label[0] == '\0') {
		snprintf(err, errsz, "empty label for '%s'", code);
		return -1;
	}
	if (config_check_text(label, CONFIG_LABEL_MAX, err, errsz) != 0)
		return -1;
	if (replace_defaults)
		*n = 0;
	for (i = 0; i < *n; i++)
		if (strcmp(list[i].code, code) == 0)
			break;
	if (i == CONFIG_LABELS_MAX) {
		snprintf(err, errsz, "more than %d entries", CONFIG_LABELS_MAX);
		return -1;
	}
	/* Both lengths were checked above. */
	memcpy(list[i].code, code, strlen(code) + 1);
	memcpy(list[i].label, label, strlen(label) + 1);
	if (i == *n)
		(*n)++;
	return 0;
}

/* ---- applying values ------------------------------------------------- */

static int
cc_action_parse(const char *s)
{
	int a;

	for (a = 0; a < CONFIG_ACT__COUNT; a++)
		if (strcmp(s, cc_action_names[a]) == 0)
			return a;
	return -1;
}

/* A file line that sets what an earlier line already set. */
static void
cc_note_repeat(struct config_console *c, const struct config_origin *old,
    const struct config_origin *o, const char *section, const char *key)
{
	if (old->kind == CONFIG_FROM_FILE && o->kind == CONFIG_FROM_FILE)
		config_diag_add(&c->diags, o->line, "[%s] %s set again (first on line %u); "
		    "this line wins", section, key, old->line);
}

static int
cc_apply_keys(struct config_console *c, const char *key, const char *value,
    const struct config_origin *o, char *err, size_t errsz)
{
	int32_t keys[CONFIG_KEYS_PER_ACTION];
	int a = cc_action_parse(key);

	if (a < 0)
		return -2;
	if (cc_parse_keys(value, keys, err, errsz) != 0)
		return -1;
	cc_note_repeat(c, &c->key_origin[a], o, "keys", key);
	memcpy(c->keys[a], keys, sizeof(keys));
	c->key_origin[a] = *o;
	c->origin[CONFIG_C_KEYS] = *o;
	return 0;
}

static int
cc_apply_list(struct config_console *c, int idx, const char *section, const char *key,
    const char *value, const struct config_origin *o, char *err, size_t errsz)
{
	int r;

	if (idx == CONFIG_C_COLUMNS || idx == CONFIG_C_SNOOZE) {
		r = idx == CONFIG_C_COLUMNS ? cc_set_columns(c, value, err, errsz) :
		    cc_set_snooze(c, value, err, errsz);
		if (r == 0) {
			cc_note_repeat(c, &c->origin[idx], o, section, key);
			c->origin[idx] = *o;
		}
		return r;
	}
	r = idx == CONFIG_C_REASONS ?
	    cc_set_label(c->reasons, &c->nreasons,
	        c->origin[idx].kind == CONFIG_FROM_DEFAULT, key, value, err, errsz) :
	    cc_set_label(c->tags, &c->ntags,
	        c->origin[idx].kind == CONFIG_FROM_DEFAULT, key, value, err, errsz);
	/* A list's origin is where it started to differ from the default. */
	if (r == 0 && c->origin[idx].kind == CONFIG_FROM_DEFAULT)
		c->origin[idx] = *o;
	return r;
}

/* 0 set, -1 bad value (reason in err), -2 unknown key or section. */
static int
cc_apply(struct config_console *c, const char *section, const char *key,
    const char *value, const struct config_origin *o, char *err, size_t errsz)
{
	const struct config_entry *e = config_entry_find(cc_schema, CC_NSCHEMA, section, key);

	if (e) {
		if (config_entry_set(e, c, value, err, errsz) != 0)
			return -1;
		cc_note_repeat(c, &c->origin[e->origin], o, section, key);
		c->origin[e->origin] = *o;
		return 0;
	}
	if (strcmp(section, "console") == 0 && strcmp(key, "columns") == 0)
		return cc_apply_list(c, CONFIG_C_COLUMNS, section, key, value, o, err, errsz);
	if (strcmp(section, "console") == 0 && strcmp(key, "snooze") == 0)
		return cc_apply_list(c, CONFIG_C_SNOOZE, section, key, value, o, err, errsz);
	if (strcmp(section, "reasons") == 0)
		return cc_apply_list(c, CONFIG_C_REASONS, section, key, value, o, err, errsz);
	if (strcmp(section, "tags") == 0)
		return cc_apply_list(c, CONFIG_C_TAGS, section, key, value, o, err, errsz);
	if (strcmp(section, "keys") == 0)
		return cc_apply_keys(c, key, value, o, err, errsz);
	return -2;
}

static bool
cc_known_section(const char *s)
{
	static const char *const sections[] = { "endpoints", "security", "console",
		"reasons", "tags", "keys" };
	size_t i;

	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		if (strcmp(s, sections[i]) == 0)
			return true;
	return false;
}

static void
cc_kv(void *user, const char *section, const char *key, const char *value, unsigned line)
{
	struct config_console *c = user;
	struct config_origin o = { CONFIG_FROM_FILE, line, "" };
	char err[CC_ERR_MAX];
	int r = cc_apply(c, section, key, value, &o, err, sizeof(err));

	if (r == -1)
		config_diag_add(&c->diags, line, "[%s] %s: %s; value ignored", section, key, err);
	else if (r == -2 && !cc_known_section(section))
		config_diag_add(&c->diags, line, "unknown section [%.40s]; key '%.40s' ignored",
		    section, key);
	else if (r == -2)
		config_diag_add(&c->diags, line, "unknown key '%.40s' in [%s]; ignored", key, section);
}

static void
cc_err(void *user, unsigned line, const char *msg)
{
	struct config_console *c = user;

	config_diag_add(&c->diags, line, "%s", msg);
}

/* ---- public API ------------------------------------------------------ */

static void
cc_default_decision_log(struct config_console *c, const char *xdg_data_home,
    const char *home)
{
	struct config_origin *o = &c->origin[CONFIG_C_DECISION_LOG];
	int n = -1;

	/* XDG: relative values are invalid and ignored. */
	if (xdg_data_home && xdg_data_home[0] == '/') {
		n = snprintf(c->decision_log, sizeof(c->decision_log),
		    "%s/undertone/decisions.db", xdg_data_home);
		o->kind = CONFIG_FROM_ENV;
		snprintf(o->detail, sizeof(o->detail), "XDG_DATA_HOME");
	} else if (home && home[0] == '/') {
		n = snprintf(c->decision_log, sizeof(c->decision_log),
		    "%s/.local/share/undertone/decisions.db", home);
		o->kind = CONFIG_FROM_ENV;
		snprintf(o->detail, sizeof(o->detail), "HOME");
	}
	if (n < 0 || (size_t)n >= sizeof(c->decision_log)) {
		snprintf(c->decision_log, sizeof(c->decision_log), "decisions.db");
		memset(o, 0, sizeof(*o));
	}
}

void
config_console_init(struct config_console *c, const char *xdg_data_home, const char *home)
{
	char err[CC_ERR_MAX];
	size_t i;
	int a;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < CC_NSCHEMA; i++)
		config_entry_set(&cc_schema[i], c, cc_schema[i].def, err, sizeof(err));
	cc_set_columns(c, cc_default_columns, err, sizeof(err));
	cc_set_snooze(c, cc_default_snooze, err, sizeof(err));
	memcpy(c->reasons, cc_default_reasons, sizeof(cc_default_reasons));
	c->nreasons = sizeof(cc_default_reasons) / sizeof(cc_default_reasons[0]);
	memcpy(c->tags, cc_default_tags, sizeof(cc_default_tags));
	c->ntags = sizeof(cc_default_tags) / sizeof(cc_default_tags[0]);
	for (a = 0; a < CONFIG_ACT__COUNT; a++)
		cc_parse_keys(cc_default_keys[a], c->keys[a], err, sizeof(err));
	cc_default_decision_log(c, xdg_data_home, home);
}

bool
config_console_path(char *out, size_t outsz, const char *flag, const char *env_config,
    const char *xdg_config_home, const char *home, struct config_origin *origin)
{
	memset(origin, 0, sizeof(*origin));
	if (flag) {
		origin->kind = CONFIG_FROM_FLAG;
		snprintf(origin->detail, sizeof(origin->detail), "--config");
		snprintf(out, outsz, "%s", flag);
		return true;
	}
	if (env_config && *env_config) {
		origin->kind = CONFIG_FROM_ENV;
		snprintf(origin->detail, sizeof(origin->detail), "UNDERTONE_CONFIG");
		snprintf(out, outsz, "%s", env_config);
		return true;
	}
	if (xdg_config_home && xdg_config_home[0] == '/')
		snprintf(out, outsz, "%s/undertone/config", xdg_config_home);
	else if (home && home[0] == '/')
		snprintf(out, outsz, "%s/.config/undertone/config", home);
	else if (outsz)
		out[0] = '\0';
	return false;
}

void
config_console_parse(struct config_console *c, const char *text, size_t len, const char *file)
{
	snprintf(c->path, sizeof(c->path), "%s", file ? file : "");
	snprintf(c->diags.file, sizeof(c->diags.file), "%s", file ? file : "");
	config_ini_parse(text ? text : "", text ? len : 0, NULL, CONFIG_FILE_MAX, cc_kv, cc_err, c);
	cc_check_keys(c);
}

int
config_console_load(struct config_console *c, const char *path)
{
	int rc;

	snprintf(c->path, sizeof(c->path), "%s", path);
	snprintf(c->diags.file, sizeof(c->diags.file), "%s", path);
	rc = config_load_file(path, &c->diags, CONFIG_FILE_MAX, cc_kv, cc_err, c);
	cc_check_keys(c);
	return rc;
}

int
config_console_set(struct config_console *c, const char *section, const char *key,
    const char *value, enum config_origin_kind kind, const char *detail)
{
	struct config_origin o = { kind, 0, "" };
	char err[CC_ERR_MAX];
	int r;

	section = section ? section : "";
	key = key ? key : "";
	snprintf(o.detail, sizeof(o.detail), "%s", detail ? detail : "");
	r = cc_apply(c, section, key, value ? value : "", &o, err, sizeof(err));
	if (r == -1)
		config_diag_add(&c->diags, 0, "%s: [%s] %s: %s", o.detail, section, key, err);
	else if (r == -2)
		config_diag_add(&c->diags, 0, "%s: unknown setting [%s] %s", o.detail, section, key);
	if (r == 0 && strcmp(section, "keys") == 0)
		cc_check_keys(c);
	return r == 0 ? 0 : -1;
}

/* ---- --print-config -------------------------------------------------- */

static void
cc_print_origin(const struct config_console *c, const struct config_origin *o, FILE *out)
{
	char buf[CONFIG_PATH_MAX + 32];

	config_origin_format(o, c->path, buf, sizeof(buf));
	fprintf(out, " ; from %s\n", buf);
}

/* Quote a value that would not read back as is (surrounding blanks or quotes). */
static void
cc_print_value(const char *v, FILE *out)
{
	size_t n = strlen(v);
	bool q = n > 0 && (v[0] == ' ' || v[0] == '\t' || v[0] == '"' ||
	    v[n - 1] == ' ' || v[n - 1] == '\t');

	fprintf(out, q ? "\"%s\"" : "%s", v);
}

static void
cc_print_schema(const struct config_console *c, const char *section, FILE *out)
{
	char v[CONFIG_PATH_MAX], org[CONFIG_PATH_MAX + 32];
	size_t i;

	for (i = 0; i < CC_NSCHEMA; i++) {
		if (strcmp(cc_schema[i].section, section) != 0)
			continue;
		config_entry_format(&cc_schema[i], c, v, sizeof(v));
		config_origin_format(&c->origin[cc_schema[i].origin], c->path, org, sizeof(org));
		/* A long value leaves no room for the origin on its line (lines
		 * over CONFIG_LINE_MAX do not read back): the origin goes above. */
		bool own = strlen(cc_schema[i].key) + strlen(v) + strlen(org) + 12 > CONFIG_LINE_MAX;
		if (own)
			fprintf(out, "; %s from %s\n", cc_schema[i].key, org);
		fprintf(out, "%s = ", cc_schema[i].key);
		cc_print_value(v, out);
		if (own)
			fputc('\n', out);
		else
			fprintf(out, " ; from %s\n", org);
	}
}

static void
cc_print_lists(const struct config_console *c, FILE *out)
{
	size_t i;

	fprintf(out, "columns = ");
	for (i = 0; i < c->ncolumns; i++)
		fprintf(out, "%s%s", i ? "," : "", cc_column_names[c->columns[i]]);
	cc_print_origin(c, &c->origin[CONFIG_C_COLUMNS], out);
	fprintf(out, "snooze = ");
	for (i = 0; i < c->nsnooze; i++) {
		unsigned s = c->snooze[i];
		if (s % 3600 == 0)
			fprintf(out, "%s%uh", i ? "," : "", s / 3600);
		else
			fprintf(out, "%s%um", i ? "," : "", s / 60);
	}
	cc_print_origin(c, &c->origin[CONFIG_C_SNOOZE], out);
}

static void
cc_print_labels(const struct config_console *c, const char *section,
    const struct config_label *l, size_t n, int idx, FILE *out)
{
	size_t i;

	fprintf(out, "\n[%s]", section);
	cc_print_origin(c, &c->origin[idx], out);
	for (i = 0; i < n; i++) {
		fprintf(out, "%s = ", l[i].code);
		cc_print_value(l[i].label, out);
		fputc('\n', out);
	}
}

void
config_console_print(const struct config_console *c, FILE *out)
{
	char kn[CONFIG_KEY_NAME_MAX];
	size_t i;
	int a;

	fprintf(out, "; undertone effective configuration: value ; from its origin\n");
	fprintf(out, "\n[endpoints]\n");
	cc_print_schema(c, "endpoints", out);
	fprintf(out, "\n[security]\n");
	cc_print_schema(c, "security", out);
	fprintf(out, "\n[console]\n");
	cc_print_schema(c, "console", out);
	cc_print_lists(c, out);
	cc_print_labels(c, "reasons", c->reasons, c->nreasons, CONFIG_C_REASONS, out);
	cc_print_labels(c, "tags", c->tags, c->ntags, CONFIG_C_TAGS, out);
	fprintf(out, "\n[keys]\n");
	for (a = 0; a < CONFIG_ACT__COUNT; a++) {
		/* An action left without keys reads back as its default. */
		fprintf(out, "%s%s =", c->keys[a][0] ? "" : "; ", cc_action_names[a]);
		for (i = 0; i < CONFIG_KEYS_PER_ACTION && c->keys[a][i]; i++)
			fprintf(out, " %s", config_key_format(c->keys[a][i], kn, sizeof(kn)));
		cc_print_origin(c, &c->key_origin[a], out);
	}
}
