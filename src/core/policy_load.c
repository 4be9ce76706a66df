/* policy: the INI policy file (inih), with file:line diagnostics. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ini.h>
#include <sodium.h>
#include "undertone/utf8.h"
#include "policy_internal.h"
#include "signals_internal.h"

#define DECLARED_VERSION_MAX 46   /* room for "@" + 16 hex digits */

/* Keys a rule may set; a bit per key remembers what the file gave. */
enum rule_key {
	RK_TYPE, RK_KIND, RK_SEVERITY, RK_ENABLED, RK_TIP, RK_DROP, RK_WITHIN,
	RK_AT_LEAST, RK_FOR, RK_MIN_STRENGTH, RK_MINUTES, RK_SLOPE, RK_EWMA,
	RK_AT_MOST, RK_HYSTERESIS, RK_CLEAR_AFTER, RK_UPDATE_STEP, RK_DISMISS_MARGIN,
	RK__COUNT
};

static const char *const rule_keys[RK__COUNT] = {
	"type", "kind", "severity", "enabled", "tip", "drop", "within", "at_least",
	"for", "min_strength", "minutes", "slope_at_most", "ewma_at_most", "at_most",
	"hysteresis", "clear_after", "update_step", "dismiss_margin"
};

/* Which type-specific keys apply to each rule type. */
static const uint32_t type_keys[POLICY_RT__COUNT] = {
	[POLICY_RT_DROP] = 1u << RK_DROP | 1u << RK_WITHIN,
	[POLICY_RT_FRUSTRATION] = 1u << RK_AT_LEAST | 1u << RK_FOR,
	[POLICY_RT_ESCALATION_REQUEST] = 1u << RK_MIN_STRENGTH,
	[POLICY_RT_LONG_CALL] = 1u << RK_MINUTES | 1u << RK_SLOPE | 1u << RK_EWMA,
	[POLICY_RT_END_SENTIMENT] = 1u << RK_AT_MOST,
};
#define TYPE_SPECIFIC (1u << RK_DROP | 1u << RK_WITHIN | 1u << RK_AT_LEAST | 1u << RK_FOR | \
	1u << RK_MIN_STRENGTH | 1u << RK_MINUTES | 1u << RK_SLOPE | 1u << RK_EWMA | 1u << RK_AT_MOST)

struct pending_rule {
	struct policy_rule r;
	float v[RK__COUNT];           /* numeric values as given */
	uint32_t set;                 /* RK_* bits given */
	int key_line[RK__COUNT];      /* where each was given */
	int line;                     /* first line of the rule's keys */
	bool typed;
};

struct loader {
	struct policy *p;
	const char *name;
	policy_diag_fn diag;
	void *ud;
	const char *buf;              /* the file */
	size_t len, pos;
	int line;                     /* line being parsed */
	bool continuation;            /* this line continues the previous value */
	bool after_key;               /* a key line was the last content line */
	bool phrases_seen;            /* file has its own [escalation_phrases] */
	bool version_seen;
	char last_section[80], last_key[80];
	struct pending_rule rules[POLICY_RULES_MAX];
	int nrules;
};

static void diag(struct loader *L, enum policy_diag_level lv, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
diag(struct loader *L, enum policy_diag_level lv, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (lv == POLICY_DIAG_ERROR)
		L->p->errors++;
	else
		L->p->warnings++;
	if (L->diag)
		L->diag(L->ud, lv, L->name, L->line, msg);
}

/* ---- reading lines: counts lines and rejects what inih would mangle ---- */

static const char *
skip_ws(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t' || *s == '\r'))
		s++;
	return s;
}

/* Is line[0..n) acceptable? Reports and returns false if not. */
static bool
line_ok(struct loader *L, const char *line, size_t n, int num)
{
	const char *end = line + n, *s = skip_ws(line, end);

	L->continuation = false;
	if (memchr(line, '\0', n) != NULL) {
		diag(L, POLICY_DIAG_ERROR, "NUL byte in line");
		return false;
	}
	if (!utf8_valid(line, n)) {
		diag(L, POLICY_DIAG_ERROR, "invalid UTF-8");
		return false;
	}
	if (n + 3 > (size_t)num) {
		diag(L, POLICY_DIAG_ERROR, "line longer than %d bytes", num - 3);
		return false;
	}
	if (s == end || *s == ';' || *s == '#')
		return true;
	if (*s == '[') {
		if (memchr(s, ']', (size_t)(end - s)) == NULL) {
			diag(L, POLICY_DIAG_ERROR, "section header without ']'");
			return false;
		}
		L->after_key = false;
		return true;
	}
	if (s > line && L->after_key) {
		L->continuation = true;
		return true;
	}
	if (memchr(s, '=', (size_t)(end - s)) == NULL && memchr(s, ':', (size_t)(end - s)) == NULL) {
		diag(L, POLICY_DIAG_ERROR, "expected 'key = value'");
		L->after_key = false;
		return false;
	}
	L->after_key = true;
	return true;
}

static char *
reader(char *str, int num, void *stream)
{
	struct loader *L = stream;
	const char *line, *nl;
	size_t n;

	if (L->pos >= L->len || num < 4)
		return NULL;
	line = L->buf + L->pos;
	nl = memchr(line, '\n', L->len - L->pos);
	n = nl ? (size_t)(nl - line) : L->len - L->pos;
	L->pos += n + (nl != NULL);
	L->line++;
	if (!line_ok(L, line, n, num)) {
		str[0] = '\n';   /* hand inih a blank line: reported once, by us */
		str[1] = '\0';
		return str;
	}
	memcpy(str, line, n);
	str[n] = '\n';
	str[n + 1] = '\0';
	return str;
}

/* ---- values ---- */

static bool
parse_num(struct loader *L, const char *key, const char *v, float lo, float hi, float *out)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(v, &end);
	if (end == v || *end != '\0' || errno != 0 || !isfinite(d) || d < lo || d > hi) {
		diag(L, POLICY_DIAG_ERROR, "%s: '%s' is not a number in [%g, %g]; keeping the default",
		    key, v, (double)lo, (double)hi);
		return false;
	}
	*out = (float)d;
	return true;
}

static bool
parse_bool(const char *v, bool *out)
{
	static const char *const t[] = { "true", "yes", "on", "1" }, *const f[] = { "false", "no", "off", "0" };
	int i;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(v, t[i]) == 0)
			return *out = true, true;
		if (strcasecmp(v, f[i]) == 0)
			return *out = false, true;
	}
	return false;
}

/* Printable text: valid UTF-8 (checked per line) without control bytes. */
static bool
printable(const char *v)
{
	for (; *v; v++)
		if ((unsigned char)*v < 0x20 || *v == 0x7f)
			return false;
	return true;
}

/* ---- sections ---- */

struct numkey {
	const char *key;
	size_t off;                   /* offset in struct signals_config */
	float lo, hi;
	bool byte;                    /* uint8_t field */
};

#define SK(k, f, lo, hi) { k, offsetof(struct signals_config, f), lo, hi, false }
#define SB(k, f, lo, hi) { k, offsetof(struct signals_config, f), lo, hi, true }
static const struct numkey signal_keys[] = {
	SK("ewma_half_life", ewma_half_life_s, 1, 3600),
	SK("event_half_life", event_half_life_s, 1, 3600),
	SK("written_time_scale", written_time_scale, 1, 1000),
	SK("slope_window", slope_window_s, 10, 3600),
	SK("end_window", end_window_s, 1, 3600),
	SK("negative_below", negative_below, -1, 0),
	SK("negativity_full", negativity_full, 0.05f, 1),
	SB("negativity_turns", negativity_turns, 1, 8),
	SB("repeat_full", repeat_full, 2, 20),
	SK("interruption_step", interruption_step, 0.01f, 1),
	SK("interruption_min_overlap", interruption_min_overlap_s, 0, 10),
	SK("pace_ratio_start", pace_ratio_start, 1, 5),
	SK("pace_ratio_full", pace_ratio_full, 1, 5),
	SK("caps_fraction_full", caps_fraction_full, 0.05f, 1),
	SK("silence_start", silence_start_s, 1, 3600),
	SK("silence_full", silence_full_s, 1, 3600),
	SK("hold_start", hold_start_s, 1, 7200),
	SK("hold_full", hold_full_s, 1, 7200),
	SK("loudness_start_db", loudness_start_db, 0, 60),
	SK("loudness_full_db", loudness_full_db, 0, 60),
	SK("pitch_start_ratio", pitch_start_ratio, 1, 4),
	SK("pitch_full_ratio", pitch_full_ratio, 1, 4),
	SB("baseline_turns", baseline_turns, 1, 20),
};

static void
on_signals(struct loader *L, const char *key, const char *v)
{
	size_t i;
	float f;

	for (i = 0; i < sizeof(signal_keys) / sizeof(signal_keys[0]); i++) {
		const struct numkey *k = &signal_keys[i];
		char *field = (char *)&L->p->sig + k->off;

		if (strcmp(key, k->key) != 0)
			continue;
		if (!parse_num(L, key, v, k->lo, k->hi, &f))
			return;
		if (k->byte) {
			if (f != floorf(f)) {
				diag(L, POLICY_DIAG_ERROR, "%s: '%s' is not a whole number; keeping the default", key, v);
				return;
			}
			*(uint8_t *)field = (uint8_t)f;
		} else {
			memcpy(field, &f, sizeof(f));
		}
		return;
	}
	diag(L, POLICY_DIAG_WARNING, "unknown key '%s' in [signals]", key);
}

static void
on_weights(struct loader *L, const char *key, const char *v)
{
	int c = model_component_parse(key, strlen(key));
	float f;

	if (c < 0) {
		diag(L, POLICY_DIAG_WARNING, "unknown component '%s' in [weights]", key);
		return;
	}
	if (parse_num(L, key, v, 0, 1, &f))
		L->p->sig.weight[c] = f;
}

/* "speak to a manager = 1.0 request" (strength, optional "request"). */
static void
on_phrase(struct loader *L, const char *key, const char *v)
{
	char num[32], *flag, *end;
	bool request = false;
	double d;

	if (!L->phrases_seen) {   /* the file's list replaces the built-in one */
		signals_config_clear_phrases(&L->p->sig);
		L->phrases_seen = true;
	}
	snprintf(num, sizeof(num), "%s", v);
	flag = strpbrk(num, " \t");
	if (flag != NULL) {
		*flag++ = '\0';
		flag = (char *)skip_ws(flag, flag + strlen(flag));
		if (strcmp(flag, "request") != 0) {
			diag(L, POLICY_DIAG_ERROR, "phrase '%s': expected 'STRENGTH [request]'", key);
			return;
		}
		request = true;
	}
	errno = 0;
	d = strtod(num, &end);
	if (end == num || *end != '\0' || errno || !(d > 0.0 && d <= 1.0)) {
		diag(L, POLICY_DIAG_ERROR, "phrase '%s': strength '%s' is not in (0, 1]", key, num);
		return;
	}
	if (signals_config_add_phrase(&L->p->sig, key, (float)d, request) != 0)
		diag(L, POLICY_DIAG_ERROR, "phrase '%s' rejected (empty, over %d bytes or %d words, or over %d phrases)",
		    key, SIGNALS_PHRASE_TEXT_MAX, SIGNALS_PHRASE_WORDS_MAX, SIGNALS_PHRASES_MAX);
}

static void
on_policy(struct loader *L, const char *key, const char *v)
{
	float f;

	if (strcmp(key, "version") == 0) {
		if (v[0] == '\0' || strlen(v) > DECLARED_VERSION_MAX || !printable(v) || strchr(v, ' ')) {
			diag(L, POLICY_DIAG_ERROR, "version: 1..%d printable bytes without spaces",
			    DECLARED_VERSION_MAX);
			return;
		}
		snprintf(L->p->version, sizeof(L->p->version), "%s", v);
		L->version_seen = true;
	} else if (strcmp(key, "suppress") == 0) {
		if (parse_num(L, key, v, 0, 86400, &f))
			L->p->suppress_s = f;
	} else {
		diag(L, POLICY_DIAG_WARNING, "unknown key '%s' in [policy]", key);
	}
}

static bool
valid_rule_name(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > POLICY_NAME_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

static struct pending_rule *
rule_for(struct loader *L, const char *name)
{
	struct pending_rule *pr;
	int i;

	for (i = 0; i < L->nrules; i++)
		if (strcmp(L->rules[i].r.name, name) == 0)
			return &L->rules[i];
	if (!valid_rule_name(name)) {
		diag(L, POLICY_DIAG_ERROR, "rule name '%s': 1..%d of [A-Za-z0-9_-]; section ignored",
		    name, POLICY_NAME_MAX);
		return NULL;
	}
	if (L->nrules == POLICY_RULES_MAX) {
		diag(L, POLICY_DIAG_ERROR, "more than %d rules; [rule %s] ignored", POLICY_RULES_MAX, name);
		return NULL;
	}
	pr = &L->rules[L->nrules++];
	memset(pr, 0, sizeof(*pr));
	strcpy(pr->r.name, name);
	pr->r.enabled = true;
	pr->line = L->line;
	return pr;
}

static void
rule_tip(struct loader *L, struct pending_rule *pr, const char *v)
{
	size_t have = L->continuation ? strlen(pr->r.tip) : 0, n = strlen(v);

	if (!printable(v) || have + (have > 0) + n > UT_TIP_MAX) {
		diag(L, POLICY_DIAG_ERROR, "tip: at most %d printable bytes; keeping the default", UT_TIP_MAX);
		return;
	}
	if (have > 0)
		pr->r.tip[have++] = ' ';
	memcpy(pr->r.tip + have, v, n + 1);
	pr->set |= 1u << RK_TIP;
}

/* Numeric rule keys: value ranges. */
static const struct { float lo, hi; } rule_ranges[RK__COUNT] = {
	[RK_SEVERITY] = { UT_SEVERITY_MIN, UT_SEVERITY_MAX },
	[RK_DROP] = { 0.01f, 2 }, [RK_WITHIN] = { 1, 3600 }, [RK_AT_LEAST] = { 0.01f, 1 },
	[RK_FOR] = { 0, 3600 }, [RK_MIN_STRENGTH] = { 0.01f, 1 }, [RK_MINUTES] = { 0.1f, 1440 },
	[RK_SLOPE] = { -2, 2 }, [RK_EWMA] = { -1, 1 }, [RK_AT_MOST] = { -1, 1 },
	[RK_HYSTERESIS] = { 0, 1 }, [RK_CLEAR_AFTER] = { 0, 3600 }, [RK_UPDATE_STEP] = { 0.01f, 1 },
	[RK_DISMISS_MARGIN] = { 0, 2 },
};

static void
on_rule(struct loader *L, const char *name, const char *key, const char *v)
{
	struct pending_rule *pr = rule_for(L, name);
	int k, t;
	float f;
	bool b;

	if (pr == NULL)
		return;
	for (k = 0; k < RK__COUNT && strcmp(key, rule_keys[k]) != 0; k++)
		;
	if (L->continuation && k != RK_TIP) {
		diag(L, POLICY_DIAG_ERROR, "only 'tip' may continue on an indented line");
		return;
	}
	switch (k) {
	case RK__COUNT:
		diag(L, POLICY_DIAG_WARNING, "unknown key '%s' in [rule %s]", key, name);
		return;
	case RK_TYPE:
		if ((t = policy_rule_type_parse(v, strlen(v))) < 0) {
			diag(L, POLICY_DIAG_ERROR, "type '%s': expected drop, frustration, "
			    "escalation_request, long_call or end_sentiment", v);
			return;
		}
		pr->r.type = (enum policy_rule_type)t;
		pr->typed = true;
		break;
	case RK_KIND:
		if ((t = model_suggestion_kind_parse(v, strlen(v))) < 0) {
			diag(L, POLICY_DIAG_ERROR, "kind '%s': expected assist, escalate, review or follow_up; keeping the default", v);
			return;
		}
		pr->r.kind = (enum ut_suggestion_kind)t;
		break;
	case RK_ENABLED:
		if (!parse_bool(v, &b)) {
			diag(L, POLICY_DIAG_ERROR, "enabled '%s': expected true or false; keeping true", v);
			return;
		}
		pr->r.enabled = b;
		break;
	case RK_TIP:
		rule_tip(L, pr, v);
		return;
	default:
		if (!parse_num(L, key, v, rule_ranges[k].lo, rule_ranges[k].hi, &f))
			return;
		if (k == RK_SEVERITY && f != floorf(f)) {
			diag(L, POLICY_DIAG_ERROR, "severity '%s': expected 1, 2 or 3; keeping the default", v);
			return;
		}
		pr->v[k] = f;
		break;
	}
	pr->set |= 1u << k;
	pr->key_line[k] = L->line;
}

static int
handler(void *user, const char *section, const char *key, const char *v)
{
	struct loader *L = user;

	if (L->continuation && (strcmp(section, L->last_section) != 0 || strcmp(key, L->last_key) != 0))
		L->continuation = false;
	snprintf(L->last_section, sizeof(L->last_section), "%s", section);
	snprintf(L->last_key, sizeof(L->last_key), "%s", key);
	if (L->continuation && strncmp(section, "rule ", 5) != 0) {
		diag(L, POLICY_DIAG_ERROR, "only 'tip' may continue on an indented line");
		return 1;
	}
	if (strcmp(section, "policy") == 0)
		on_policy(L, key, v);
	else if (strcmp(section, "weights") == 0)
		on_weights(L, key, v);
	else if (strcmp(section, "signals") == 0)
		on_signals(L, key, v);
	else if (strcmp(section, "escalation_phrases") == 0)
		on_phrase(L, key, v);
	else if (strncmp(section, "rule ", 5) == 0)
		on_rule(L, section + 5, key, v);
	else
		diag(L, POLICY_DIAG_WARNING, "unknown section [%s] (key '%s' ignored)", section, key);
	return 1;
}

/* ---- finishing ---- */

static void
finish_rule(struct loader *L, struct pending_rule *pr)
{
	struct policy_rule r = pr->r;
	uint32_t stray;
	int k;

	L->line = pr->line;
	if (!pr->typed) {
		diag(L, POLICY_DIAG_ERROR, "[rule %s] has no valid type; rule ignored", r.name);
		return;
	}
	policy_rule_defaults(&r, r.type);
	if (pr->set & 1u << RK_KIND)
		r.kind = pr->r.kind;
	stray = pr->set & TYPE_SPECIFIC & ~type_keys[r.type];
	for (k = 0; k < RK__COUNT; k++)
		if (stray & 1u << k && (L->line = pr->key_line[k]) > 0)
			diag(L, POLICY_DIAG_WARNING, "[rule %s]: '%s' does not apply to type %s",
			    r.name, rule_keys[k], policy_rule_type_name(r.type));
#define TAKE(key, field) if (pr->set & 1u << (key)) r.field = pr->v[key]
	TAKE(RK_SEVERITY, severity);
	TAKE(RK_HYSTERESIS, hysteresis);
	TAKE(RK_CLEAR_AFTER, clear_after_s);
	TAKE(RK_UPDATE_STEP, update_step);
	TAKE(RK_DISMISS_MARGIN, dismiss_margin);
	switch (r.type) {
	case POLICY_RT_DROP: TAKE(RK_DROP, threshold); TAKE(RK_WITHIN, window_s); break;
	case POLICY_RT_FRUSTRATION: TAKE(RK_AT_LEAST, threshold); TAKE(RK_FOR, window_s); break;
	case POLICY_RT_ESCALATION_REQUEST: TAKE(RK_MIN_STRENGTH, threshold); break;
	case POLICY_RT_LONG_CALL:
		if (pr->set & 1u << RK_MINUTES)
			r.window_s = pr->v[RK_MINUTES] * 60.0f;
		TAKE(RK_SLOPE, slope_max);
		TAKE(RK_EWMA, ewma_max);
		break;
	case POLICY_RT_END_SENTIMENT: TAKE(RK_AT_MOST, threshold); break;
	default: break;
	}
#undef TAKE
	L->p->rule[L->p->nrules++] = r;
}

/* "declared@" + 16 hex of SHA-256 of the file, or "sha256:" + 16 hex. */
static void
set_version(struct loader *L)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[17], decl[DECLARED_VERSION_MAX + 1];

	crypto_hash_sha256(h, (const unsigned char *)L->buf, L->len);
	sodium_bin2hex(hex, sizeof(hex), h, 8);
	if (L->version_seen) {
		memcpy(decl, L->p->version, sizeof(decl) - 1);
		decl[sizeof(decl) - 1] = '\0';
		snprintf(L->p->version, sizeof(L->p->version), "%.46s@%.16s", decl, hex);
	} else {
		snprintf(L->p->version, sizeof(L->p->version), "sha256:%.16s", hex);
	}
}

static void
weight_check(struct loader *L)
{
	float sum = 0.0f;
	int c;

	for (c = 0; c < UT_FC__COUNT; c++)
		sum += L->p->sig.weight[c];
	L->line = 0;
	if (sum <= 0.0f)
		diag(L, POLICY_DIAG_WARNING, "all frustration weights are 0: frustration is always 0");
	if (L->p->sig.pace_ratio_full <= L->p->sig.pace_ratio_start ||
	    L->p->sig.silence_full_s <= L->p->sig.silence_start_s ||
	    L->p->sig.hold_full_s <= L->p->sig.hold_start_s ||
	    L->p->sig.loudness_full_db <= L->p->sig.loudness_start_db ||
	    L->p->sig.pitch_full_ratio <= L->p->sig.pitch_start_ratio)
		diag(L, POLICY_DIAG_WARNING, "a *_full value is not above its *_start: that signal is a step");
}

int
policy_load_string(struct policy *p, const char *text, size_t len,
    const char *name, policy_diag_fn diagfn, void *ud)
{
	struct loader *l;   /* large (pending rules): on the heap */
	int i, rc;

	policy_default(p);
	if (text == NULL || len > POLICY_FILE_MAX)
		return -1;
	l = calloc(1, sizeof(*l));
	if (l == NULL)
		return -1;
	l->p = p;
	l->name = name ? name : "policy";
	l->diag = diagfn;
	l->ud = ud;
	l->buf = text;
	l->len = len;
	p->nrules = 0;
	if (sodium_init() < 0) {
		free(l);
		return -1;
	}
	rc = ini_parse_stream(reader, l, handler, l);
	if (rc == -2)
		diag(l, POLICY_DIAG_ERROR, "out of memory while parsing");
	for (i = 0; i < l->nrules; i++)
		finish_rule(l, &l->rules[i]);
	if (p->nrules == 0) {
		struct policy def;

		l->line = 0;
		diag(l, POLICY_DIAG_WARNING, "no usable [rule ...] sections: using the built-in rules");
		policy_default(&def);
		memcpy(p->rule, def.rule, sizeof(def.rule));
		p->nrules = def.nrules;
	}
	weight_check(l);
	set_version(l);
	snprintf(p->source, sizeof(p->source), "%s", l->name);
	free(l);
	return 0;
}

int
policy_load_file(struct policy *p, const char *path, policy_diag_fn diagfn, void *ud)
{
	char *buf;
	size_t n;
	FILE *f;
	int rc, e;

	policy_default(p);
	f = fopen(path, "rb");
	if (f == NULL) {
		e = errno;
		if (diagfn)
			diagfn(ud, POLICY_DIAG_ERROR, path, 0, strerror(e));
		p->errors++;
		return -1;
	}
	buf = malloc(POLICY_FILE_MAX + 1);
	n = buf ? fread(buf, 1, POLICY_FILE_MAX + 1, f) : 0;
	e = ferror(f);
	fclose(f);
	if (buf == NULL || e || n > POLICY_FILE_MAX) {
		if (diagfn)
			diagfn(ud, POLICY_DIAG_ERROR, path, 0, buf == NULL ? "out of memory" :
			    e ? "read error" : "file larger than 1 MiB");
		free(buf);
		p->errors++;
		return -1;
	}
	rc = policy_load_string(p, buf, n, path, diagfn, ud);
	free(buf);
	return rc;
}
