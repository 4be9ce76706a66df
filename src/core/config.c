/*
 * config: the schema engine, value parsers and diagnostics shared by the
 * console and analyzer configurations (see config.h).
 */
#include "undertone/config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "undertone/utf8.h"

#define CFG_VALUE_MAX 1024

void
config_diag_add(struct config_diags *d, unsigned line, const char *fmt, ...)
{
	struct config_diag *g;
	va_list ap;

	if (d->n >= CONFIG_DIAG_MAX) {
		d->dropped++;
		return;
	}
	g = &d->d[d->n++];
	g->line = line;
	va_start(ap, fmt);
	vsnprintf(g->msg, sizeof(g->msg), fmt, ap);
	va_end(ap);
}

void
config_diags_print(const struct config_diags *d, FILE *out, const char *prog)
{
	size_t i;
	const char *file = d->file[0] ? d->file : "(config)";

	for (i = 0; i < d->n; i++) {
		if (prog)
			fprintf(out, "%s: ", prog);
		if (d->d[i].line)
			fprintf(out, "%s:%u: %s\n", file, d->d[i].line, d->d[i].msg);
		else
			fprintf(out, "%s: %s\n", file, d->d[i].msg);
	}
	if (d->dropped)
		fprintf(out, "%s%s%s: %zu more warnings not shown\n", prog ? prog : "",
		    prog ? ": " : "", file, d->dropped);
}

char *
config_unquote(char *s)
{
	size_t n = strlen(s);

	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		memmove(s, s + 1, n - 2);
		s[n - 2] = '\0';
	}
	return s;
}

int
config_check_text(const char *s, size_t max, char *err, size_t errsz)
{
	size_t i, n = strlen(s);

	if (n > max) {
		snprintf(err, errsz, "longer than %zu bytes", max);
		return -1;
	}
	if (!utf8_valid(s, n)) {
		snprintf(err, errsz, "not valid UTF-8");
		return -1;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		/* C1 controls are U+0080..U+009F, encoded C2 80..C2 9F. */
		if (c < 0x20 || c == 0x7f || (c == 0xc2 && i + 1 < n &&
		    (unsigned char)s[i + 1] < 0xa0)) {
			snprintf(err, errsz, "contains a control character");
			return -1;
		}
	}
	return 0;
}

int
config_parse_duration_ms(const char *s, uint64_t *ms)
{
	char *end;
	double v, mult = 1000.0;

	if (!s || !*s || isspace((unsigned char)*s) || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || !isfinite(v) || v < 0)
		return -1;
	if (strcmp(end, "ms") == 0)
		mult = 1.0;
	else if (strcmp(end, "s") == 0 || *end == '\0')
		mult = 1000.0;
	else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
		mult = 60000.0;
	else if (strcmp(end, "h") == 0)
		mult = 3600000.0;
	else
		return -1;
	v *= mult;
	if (v > 1e15)     /* ~30,000 years: beyond any bound we check */
		return -1;
	*ms = (uint64_t)(v + 0.5);
	return 0;
}

/* tcp://host:port: host is '*', a name/IPv4/interface, or [IPv6]. */
static int
cfg_check_tcp(const char *hp)
{
	const char *colon = strrchr(hp, ':');
	const char *p;
	char *end;
	long port;

	if (!colon || colon == hp)
		return -1;
	if (hp[0] == '[') {
		if (colon[-1] != ']' || colon - hp < 3)
			return -1;
		for (p = hp + 1; p < colon - 1; p++)
			if (!isxdigit((unsigned char)*p) && *p != ':' && *p != '.' && *p != '%')
				return -1;
	} else {
		for (p = hp; p < colon; p++)
			if (!isalnum((unsigned char)*p) && !strchr("*.-_;", *p))
				return -1;
	}
	if (!isdigit((unsigned char)colon[1]))
		return colon[1] == '*' && colon[2] == '\0' ? 0 : -1;
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	return *end || errno || port < 1 || port > 65535 ? -1 : 0;
}

int
config_check_endpoint(const char *s)
{
	size_t i, n = s ? strlen(s) : 0;

	if (n == 0 || n >= CONFIG_ENDPOINT_MAX)
		return -1;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return -1;
	if (strncmp(s, "tcp://", 6) == 0)
		return cfg_check_tcp(s + 6);
	/* sun_path holds 107 bytes plus NUL on Linux. */
	if (strncmp(s, "ipc://", 6) == 0)
		return n > 6 && n - 6 <= 107 ? 0 : -1;
	if (strncmp(s, "inproc://", 9) == 0)
		return n > 9 ? 0 : -1;
	return -1;
}

const struct config_entry *
config_entry_find(const struct config_entry *tab, size_t n, const char *section,
    const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(tab[i].section, section) == 0 && strcmp(tab[i].key, key) == 0)
			return &tab[i];
	return NULL;
}

static int
cfg_set_number(const struct config_entry *e, void *field, const char *v, char *err,
    size_t errsz)
{
	char *end;
	double d;
	uint64_t ms;

	if (e->type == CONFIG_T_DURATION) {
		if (config_parse_duration_ms(v, &ms) != 0) {
			snprintf(err, errsz, "bad duration '%.40s' (use e.g. 250ms, 30s, 5m, 1h)", v);
			return -1;
		}
		d = (double)ms;
	} else {
		errno = 0;
		d = strtod(v, &end);
		if (end == v || *end || errno || !isfinite(d) || isspace((unsigned char)*v) ||
		    (e->type == CONFIG_T_UINT && (d != floor(d) || strchr(v, '.') ||
		    strpbrk(v, "xXeEpP")))) {
			snprintf(err, errsz, "bad %s '%.40s'", e->type == CONFIG_T_UINT ?
			    "whole number" : "number", v);
			return -1;
		}
	}
	if (d < e->min || d > e->max) {
		if (e->type == CONFIG_T_DURATION)
			snprintf(err, errsz, "out of range (%gms..%gms)", e->min, e->max);
		else
			snprintf(err, errsz, "out of range (%g..%g)", e->min, e->max);
		return -1;
	}
	if (e->type == CONFIG_T_DOUBLE)
		memcpy(field, &d, sizeof(d));
	else {
		unsigned u = (unsigned)d;
		memcpy(field, &u, sizeof(u));
	}
	return 0;
}

static int
cfg_set_enum(const struct config_entry *e, void *field, const char *v, char *err,
    size_t errsz)
{
	size_t i, k = 0;
	int idx;

	for (i = 0; i < e->nnames; i++) {
		if (strcmp(v, e->names[i]) == 0) {
			idx = (int)i;
			memcpy(field, &idx, sizeof(idx));
			return 0;
		}
	}
	k = (size_t)snprintf(err, errsz, "bad value '%.32s' (one of:", v);
	for (i = 0; i < e->nnames && k < errsz; i++)
		k += (size_t)snprintf(err + k, errsz - k, " %s", e->names[i]);
	if (k < errsz)
		snprintf(err + k, errsz - k, ")");
	return -1;
}

int
config_entry_set(const struct config_entry *e, void *base, const char *value,
    char *err, size_t errsz)
{
	char v[CFG_VALUE_MAX];
	void *field = (char *)base + e->off;

	if (strlen(value) >= sizeof(v)) {
		snprintf(err, errsz, "value too long");
		return -1;
	}
	strcpy(v, value);
	config_unquote(v);
	switch (e->type) {
	case CONFIG_T_ENDPOINT:
		if (config_check_endpoint(v) != 0) {
			snprintf(err, errsz, "bad endpoint '%.60s' (tcp://HOST:PORT, ipc://PATH, inproc://NAME)", v);
			return -1;
		}
		/* An endpoint is stored like a string. */
		/* FALLTHROUGH */
	case CONFIG_T_STRING:
	case CONFIG_T_PATH:
		if (config_check_text(v, e->size - 1, err, errsz) != 0)
			return -1;
		memcpy(field, v, strlen(v) + 1);
		return 0;
	case CONFIG_T_UINT:
	case CONFIG_T_DOUBLE:
	case CONFIG_T_DURATION:
		return cfg_set_number(e, field, v, err, errsz);
	case CONFIG_T_ENUM:
		return cfg_set_enum(e, field, v, err, errsz);
	}
	snprintf(err, errsz, "internal: bad type");
	return -1;
}

/* Shortest exact unit for a duration in ms. */
static void
cfg_format_duration(unsigned ms, char *out, size_t outsz)
{
	if (ms != 0 && ms % 3600000u == 0)
		snprintf(out, outsz, "%uh", ms / 3600000u);
	else if (ms != 0 && ms % 60000u == 0)
		snprintf(out, outsz, "%um", ms / 60000u);
	else if (ms % 1000u == 0)
		snprintf(out, outsz, "%us", ms / 1000u);
	else
		snprintf(out, outsz, "%ums", ms);
}

void
config_entry_format(const struct config_entry *e, const void *base, char *out, size_t outsz)
{
	const char *field = (const char *)base + e->off;
	unsigned u;
	double d;
	int i;

	switch (e->type) {
	case CONFIG_T_ENDPOINT:
	case CONFIG_T_STRING:
	case CONFIG_T_PATH:
		snprintf(out, outsz, "%s", field);
		return;
	case CONFIG_T_UINT:
		memcpy(&u, field, sizeof(u));
		snprintf(out, outsz, "%u", u);
		return;
	case CONFIG_T_DURATION:
		memcpy(&u, field, sizeof(u));
		cfg_format_duration(u, out, outsz);
		return;
	case CONFIG_T_DOUBLE:
		memcpy(&d, field, sizeof(d));
		snprintf(out, outsz, "%g", d);
		return;
	case CONFIG_T_ENUM:
		memcpy(&i, field, sizeof(i));
		snprintf(out, outsz, "%s", i >= 0 && (size_t)i < e->nnames ? e->names[i] : "?");
		return;
	}
	snprintf(out, outsz, "?");
}

void
config_origin_format(const struct config_origin *o, const char *file, char *out, size_t outsz)
{
	switch (o->kind) {
	case CONFIG_FROM_FILE:
		snprintf(out, outsz, "%s:%u", file && *file ? file : "(config)", o->line);
		return;
	case CONFIG_FROM_ENV:
		snprintf(out, outsz, "env %s", o->detail);
		return;
	case CONFIG_FROM_FLAG:
		snprintf(out, outsz, "flag %s", o->detail);
		return;
	case CONFIG_FROM_DEFAULT:
		break;
	}
	snprintf(out, outsz, "default");
}

/* Open a config file for reading: regular (or a device/pipe), not too big. */
static FILE *
open_checked(const char *path, struct config_diags *d, size_t max)
{
	struct stat sb;
	FILE *fp = fopen(path, "r");

	if (!fp) {
		config_diag_add(d, 0, "cannot open: %s", strerror(errno));
		return NULL;
	}
	if (fstat(fileno(fp), &sb) != 0 || S_ISDIR(sb.st_mode) ||
	    (S_ISREG(sb.st_mode) && (size_t)sb.st_size > max)) {
		config_diag_add(d, 0, S_ISDIR(sb.st_mode) ? "is a directory" :
		    "file too large (limit %zu bytes); not read", max);
		fclose(fp);
		return NULL;
	}
	return fp;
}

int
config_load_file(const char *path, struct config_diags *d, size_t max,
    config_ini_kv_fn kv, config_ini_err_fn err, void *user)
{
	FILE *fp = open_checked(path, d, max);
	int rc = 0;

	if (!fp)
		return -1;
	config_ini_parse(NULL, 0, fp, max, kv, err, user);
	if (ferror(fp)) {
		config_diag_add(d, 0, "read error: %s", strerror(errno));
		rc = -1;
	}
	fclose(fp);
	return rc;
}
