/* undertone-log: shared helpers (opening, filters, times, safe output). */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include "log.h"
#include "undertone/textsafe.h"
#include "undertone/timing.h"

const char log_filter_help[] =
	"  --since T --until T   time range (7d, 12h, 2026-01-31, 2026-01-31T08:00Z)\n"
	"  --supervisor U --call ID --queue Q --agent A --reason CODE\n"
	"  --decision D          acknowledge|accept|dismiss|snooze|raise|clear|tag\n"
	"  --kind K              assist|escalate|review|follow_up|none\n"
	"  --limit N             at most N records\n";

void
log_err(const char *fmt, ...)
{
	va_list ap;

	fputs("undertone-log: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
log_exit_for(int err)
{
	switch (err) {
	case DSTORE_OK: return LOG_EXIT_OK;
	case DSTORE_ENOTFOUND: return LOG_EXIT_NOTFOUND;
	case DSTORE_ECHAIN: case DSTORE_EEXTEND: case DSTORE_ESIG: return LOG_EXIT_FAILED;
	case DSTORE_EKEY: return LOG_EXIT_KEY;
	case DSTORE_EINVAL: return LOG_EXIT_USAGE;
	default: return LOG_EXIT_DB;
	}
}

int
log_open(struct log_opts *o, unsigned flags, struct dstore **st)
{
	char path[4096], err[600];
	const char *p = o->db;
	int rc;

	if (p == NULL) {
		if (dstore_default_path(path, sizeof(path)) != DSTORE_OK) {
			log_err("cannot work out the default database path; use --db");
			return LOG_EXIT_USAGE;
		}
		p = path;
	}
	rc = dstore_open(p, flags, st, err, sizeof(err));
	if (rc != DSTORE_OK) {
		log_err("%s: %s", p, err);
		return LOG_EXIT_DB;
	}
	return LOG_EXIT_OK;
}

int
log_parse_age(const char *s, int64_t *out)
{
	char *end;
	long long v;
	int64_t unit;

	if (s == NULL || s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || v < 0 || v > 1000000 || end[0] == '\0' || end[1] != '\0')
		return -1;
	switch (end[0]) {
	case 's': unit = 1000; break;
	case 'm': unit = 60000; break;
	case 'h': unit = 3600000; break;
	case 'd': unit = 86400000; break;
	case 'w': unit = 7 * 86400000LL; break;
	default: return -1;
	}
	*out = (int64_t)v * unit;
	return 0;
}

static int
parse_date(const char *s, int64_t *out)
{
	struct tm tm;
	char *end;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%d", &tm);
	if (end == NULL)
		return -1;
	if (*end == 'T' || *end == ' ') {
		end = strptime(end + 1, "%H:%M", &tm);
		if (end != NULL && *end == ':')
			end = strptime(end + 1, "%S", &tm);
		if (end == NULL)
			return -1;
		if (*end == 'Z')
			end++;
	}
	if (*end != '\0')
		return -1;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return -1;
	*out = (int64_t)t * 1000;
	return 0;
}

int
log_parse_time(const char *s, int64_t now_ms, int64_t *out)
{
	int64_t age;

	if (s == NULL || strlen(s) > 40)
		return -1;
	if (strcmp(s, "now") == 0) {
		*out = now_ms;
		return 0;
	}
	if (log_parse_age(s, &age) == 0) {
		*out = now_ms - age;
		return 0;
	}
	return parse_date(s, out);
}

static int
bad(const char *opt, const char *arg)
{
	log_err("%s: invalid value '%.60s'", opt, arg);
	return -1;
}

static int
text_opt(const char *opt, const char *arg, const char **dst)
{
	if (strlen(arg) > UT_ID_MAX || arg[0] == '\0')
		return bad(opt, arg);
	*dst = arg;
	return 1;
}

int
log_filter_opt(int opt, const char *arg, struct dstore_filter *f)
{
	char *end;
	long long n;

	switch (opt) {
	case LOG_OPT_SINCE:
		return log_parse_time(arg, timing_wall_ms(), &f->since_ms) == 0 ? 1 : bad("--since", arg);
	case LOG_OPT_UNTIL:
		return log_parse_time(arg, timing_wall_ms(), &f->until_ms) == 0 ? 1 : bad("--until", arg);
	case LOG_OPT_SUPERVISOR: return text_opt("--supervisor", arg, &f->supervisor);
	case LOG_OPT_CALL: return text_opt("--call", arg, &f->call_id);
	case LOG_OPT_QUEUE: return text_opt("--queue", arg, &f->queue);
	case LOG_OPT_AGENT: return text_opt("--agent", arg, &f->agent);
	case LOG_OPT_REASON: return text_opt("--reason", arg, &f->reason_code);
	case LOG_OPT_DECISION:
		f->decision = model_decision_parse(arg, strlen(arg));
		return f->decision >= 0 ? 1 : bad("--decision", arg);
	case LOG_OPT_KIND:
		f->kind = strcmp(arg, "none") == 0 ? DSTORE_KIND_NONE
		    : model_suggestion_kind_parse(arg, strlen(arg));
		return f->kind >= 0 ? 1 : bad("--kind", arg);
	case LOG_OPT_LIMIT:
		errno = 0;
		n = strtoll(arg, &end, 10);
		if (errno != 0 || *end != '\0' || n <= 0 || n > 100000000)
			return bad("--limit", arg);
		f->limit = (size_t)n;
		return 1;
	default:
		return 0;
	}
}

void
log_fmt_time(int64_t ms, bool millis, char *out, size_t cap)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char buf[40];

	if (ms <= 0 || gmtime_r(&t, &tm) == NULL) {
		snprintf(out, cap, "-");
		return;
	}
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
	if (millis)
		snprintf(out, cap, "%s.%03d", buf, (int)(ms % 1000));
	else
		snprintf(out, cap, "%s", buf);
}

int
log_term_width(void)
{
	const char *c = getenv("COLUMNS");
	struct winsize ws;
	long v;

	if (c != NULL && (v = strtol(c, NULL, 10)) >= 20 && v <= 1000)
		return (int)v;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	return 80;
}

void
log_puts_safe(struct log_opts *o, FILE *f, const char *s)
{
	size_t len = strlen(s), cap = len * 3 + 1;
	char *buf = malloc(cap);

	if (buf == NULL)
		return;
	textsafe_sanitize(s, len, buf, cap, o->ts_flags, NULL);
	fputs(buf, f);
	free(buf);
}

void
log_printf_safe(struct log_opts *o, FILE *f, const char *fmt, ...)
{
	char buf[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_puts_safe(o, f, buf);
	fputc('\n', f);
}
