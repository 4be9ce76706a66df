/* scenario: load and expand the feed's call scripts (see scenario.h). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "undertone/utf8.h"
#include "scenario.h"

#define SCEN_FILES_MAX 128

/* ---- random numbers: splitmix64, identical on every platform ---- */

void
feed_rng_seed(struct feed_rng *r, uint64_t seed)
{
	r->s = seed ^ 0x9e3779b97f4a7c15ull;
}

uint64_t
feed_rng_next(struct feed_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

double
feed_rng_unit(struct feed_rng *r)
{
	return (double)(feed_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

double
feed_rng_range(struct feed_rng *r, double lo, double hi)
{
	return lo + (hi - lo) * feed_rng_unit(r);
}

unsigned
feed_rng_below(struct feed_rng *r, unsigned n)
{
	return n <= 1 ? 0 : (unsigned)(feed_rng_next(r) % n);
}

/* ---- parsing ---- */

struct perr {
	char *buf;
	size_t len;
	const char *what;
};

static int
fail(struct perr *e, const char *key, const char *msg)
{
	snprintf(e->buf, e->len, "%s: %s: %s", e->what, key, msg);
	return -1;
}

static char *
dup_checked(struct perr *e, const char *key, json_t *v)
{
	const char *s;
	size_t n;
	char *d;

	if (!json_is_string(v)) {
		fail(e, key, "expected a string");
		return NULL;
	}
	s = json_string_value(v);
	n = json_string_length(v);
	if (n == 0 || n > SCEN_TEMPLATE_MAX || memchr(s, '\0', n) != NULL) {
		fail(e, key, n == 0 ? "empty string" : "string too long or contains NUL");
		return NULL;
	}
	d = malloc(n + 1);
	if (d == NULL) {
		fail(e, key, "out of memory");
		return NULL;
	}
	memcpy(d, s, n + 1);
	return d;
}

/* A non-empty array of strings into out[] (bounded by max). */
static int
string_list(struct perr *e, const char *key, json_t *arr, char **out, unsigned *n, unsigned max)
{
	size_t i;

	if (!json_is_array(arr) || json_array_size(arr) == 0)
		return fail(e, key, "expected a non-empty array of strings");
	if (json_array_size(arr) > max)
		return fail(e, key, "too many entries");
	for (i = 0; i < json_array_size(arr); i++) {
		out[i] = dup_checked(e, key, json_array_get(arr, i));
		if (out[i] == NULL)
			return -1;
		*n = (unsigned)i + 1;
	}
	return 0;
}

static int
copy_id(struct perr *e, const char *key, json_t *v, char *out, size_t cap)
{
	size_t n;

	if (!json_is_string(v))
		return fail(e, key, "expected a string");
	n = json_string_length(v);
	if (n == 0 || n >= cap)
		return fail(e, key, "empty or too long");
	memcpy(out, json_string_value(v), n + 1);
	return 0;
}

static int
range_pair(struct perr *e, const char *key, json_t *v, double lo, double hi, double *a, double *b)
{
	if (!json_is_array(v) || json_array_size(v) != 2 ||
	    !json_is_number(json_array_get(v, 0)) || !json_is_number(json_array_get(v, 1)))
		return fail(e, key, "expected [min, max] in seconds");
	*a = json_number_value(json_array_get(v, 0));
	*b = json_number_value(json_array_get(v, 1));
	if (!(*a >= lo && *b <= hi && *a <= *b))
		return fail(e, key, "range out of bounds");
	return 0;
}

static int
opt_bool(struct perr *e, json_t *obj, const char *key, bool *out)
{
	json_t *v = json_object_get(obj, key);

	*out = false;
	if (v == NULL)
		return 0;
	if (!json_is_boolean(v))
		return fail(e, key, "expected true or false");
	*out = json_is_true(v);
	return 0;
}

static int
parse_turn(struct perr *e, json_t *t, struct scen_turn *turn)
{
	json_t *v;
	int sp;

	if (!json_is_object(t))
		return fail(e, "turns", "each turn must be an object");
	if ((v = json_object_get(t, "transfer")) != NULL) {
		turn->kind = SCEN_TRANSFER;
		if (!json_is_object(v))
			return fail(e, "transfer", "expected {\"queue\": ..., \"agent_name\": ...}");
		if (copy_id(e, "transfer", json_object_get(v, "queue"), turn->queue, sizeof(turn->queue)) != 0)
			return -1;
		return copy_id(e, "transfer", json_object_get(v, "agent_name"), turn->agent_name,
		    sizeof(turn->agent_name));
	}
	if ((v = json_object_get(t, "hold")) != NULL) {
		turn->kind = SCEN_HOLD;
		return range_pair(e, "hold", v, 1, 3600, &turn->hold_min, &turn->hold_max);
	}
	turn->kind = SCEN_SAY;
	v = json_object_get(t, "who");
	if (!json_is_string(v))
		return fail(e, "who", "expected \"customer\" or \"agent\"");
	sp = model_speaker_parse(json_string_value(v), json_string_length(v));
	if (sp < 0)
		return fail(e, "who", "expected \"customer\" or \"agent\"");
	turn->who = (enum ut_speaker)sp;
	if (string_list(e, "say", json_object_get(t, "say"), turn->say, &turn->nsay, SCEN_VARIANTS_MAX) != 0)
		return -1;
	if ((v = json_object_get(t, "gap")) != NULL) {
		turn->has_gap = true;
		if (range_pair(e, "gap", v, 0, 86400, &turn->gap_min, &turn->gap_max) != 0)
			return -1;
	}
	if (opt_bool(e, t, "interrupt", &turn->interrupt) != 0 || opt_bool(e, t, "onset", &turn->onset) != 0)
		return -1;
	if (turn->interrupt && turn->who != UT_SP_CUSTOMER)
		return fail(e, "interrupt", "only customer turns interrupt");
	if ((v = json_object_get(t, "arousal")) != NULL) {
		if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 1)
			return fail(e, "arousal", "expected a number in [0, 1]");
		turn->arousal = json_number_value(v);
	}
	return 0;
}

static int
parse_vars(struct perr *e, json_t *vars, struct scenario *sc)
{
	const char *key;
	json_t *v;

	if (vars == NULL)
		return 0;
	if (!json_is_object(vars))
		return fail(e, "vars", "expected an object of string arrays");
	json_object_foreach(vars, key, v) {
		struct scen_var *sv;
		if (sc->nvars >= SCEN_VARS_MAX)
			return fail(e, "vars", "too many variables");
		if (strlen(key) == 0 || strlen(key) > SCEN_KEY_MAX || strchr(key, '}') || strchr(key, '{'))
			return fail(e, "vars", "bad variable name");
		sv = &sc->vars[sc->nvars++];
		strcpy(sv->key, key);
		if (string_list(e, key, v, sv->vals, &sv->nvals, SCEN_VALUES_MAX) != 0)
			return -1;
	}
	return 0;
}

static int
parse_head(struct perr *e, json_t *root, struct scenario *sc)
{
	json_t *v, *q;
	size_t i;
	int ch;

	if (copy_id(e, "name", json_object_get(root, "name"), sc->name, sizeof(sc->name)) != 0)
		return -1;
	v = json_object_get(root, "channel");
	ch = json_is_string(v) ? model_channel_parse(json_string_value(v), json_string_length(v)) : -1;
	if (ch < 0)
		return fail(e, "channel", "expected voice, chat, email or social");
	sc->channel = (enum ut_channel)ch;
	q = json_object_get(root, "queues");
	if (!json_is_array(q) || json_array_size(q) == 0 || json_array_size(q) > SCEN_QUEUES_MAX)
		return fail(e, "queues", "expected 1 to 4 queue names");
	for (i = 0; i < json_array_size(q); i++) {
		if (copy_id(e, "queues", json_array_get(q, i), sc->queues[i], sizeof(sc->queues[i])) != 0)
			return -1;
		sc->nqueues++;
	}
	v = json_object_get(root, "weight");
	if (v == NULL)
		sc->weight = 1;
	else if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 100)
		return fail(e, "weight", "expected an integer 1..100");
	else
		sc->weight = (unsigned)json_integer_value(v);
	if (opt_bool(e, root, "frustrated", &sc->frustrated) != 0)
		return -1;
	v = json_object_get(root, "expect");
	if (v != NULL && (!json_is_string(v) || json_string_length(v) >= sizeof(sc->expect)))
		return fail(e, "expect", "expected a suggestion kind");
	if (v != NULL)
		strcpy(sc->expect, json_string_value(v));
	return 0;
}

static int
check_templates(struct perr *e, const struct scenario *sc)
{
	static char out[UT_TEXT_MAX + 1];
	struct scen_choice ch;
	unsigned i, j;

	memset(&ch, 0, sizeof(ch));
	ch.sc = sc;
	for (i = 0; i < sc->nturns; i++)
		for (j = 0; j < sc->turns[i].nsay; j++)
			if (scenario_expand(NULL, &ch, sc->turns[i].say[j], out, sizeof(out)) < 0)
				return fail(e, "say", "unknown or unterminated {placeholder}");
	return 0;
}

static int
parse_scenario(struct perr *e, json_t *root, struct scenario *sc)
{
	json_t *turns;
	size_t i;

	if (!json_is_object(root))
		return fail(e, "(top)", "expected an object");
	if (parse_head(e, root, sc) != 0 || parse_vars(e, json_object_get(root, "vars"), sc) != 0)
		return -1;
	turns = json_object_get(root, "turns");
	if (!json_is_array(turns) || json_array_size(turns) == 0 || json_array_size(turns) > SCEN_TURNS_MAX)
		return fail(e, "turns", "expected 1 to 48 turns");
	sc->onset_turn = -1;
	for (i = 0; i < json_array_size(turns); i++) {
		if (parse_turn(e, json_array_get(turns, i), &sc->turns[i]) != 0)
			return -1;
		sc->nturns++;
		if (sc->turns[i].onset && sc->onset_turn < 0)
			sc->onset_turn = (int)i;
	}
	if (sc->frustrated != (sc->onset_turn >= 0))
		return fail(e, "onset", "a frustrated scenario needs exactly one onset turn, a calm one none");
	return check_templates(e, sc);
}

void
scenario_free(struct scenario *sc)
{
	unsigned i, j;

	if (sc == NULL)
		return;
	for (i = 0; i < sc->nturns; i++)
		for (j = 0; j < sc->turns[i].nsay; j++)
			free(sc->turns[i].say[j]);
	/* A turn that failed half-way may hold strings beyond nturns. */
	if (sc->nturns < SCEN_TURNS_MAX)
		for (j = 0; j < sc->turns[sc->nturns].nsay; j++)
			free(sc->turns[sc->nturns].say[j]);
	for (i = 0; i < sc->nvars; i++)
		for (j = 0; j < sc->vars[i].nvals; j++)
			free(sc->vars[i].vals[j]);
	free(sc);
}

struct scenario *
scenario_parse(const char *text, size_t len, const char *what, char *err, size_t errlen)
{
	struct perr e = { err, errlen, what };
	json_error_t je;
	json_t *root;
	struct scenario *sc;

	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		snprintf(err, errlen, "%s:%d: %s", what, je.line, je.text);
		return NULL;
	}
	sc = calloc(1, sizeof(*sc));
	if (sc == NULL) {
		fail(&e, "(top)", "out of memory");
	} else if (parse_scenario(&e, root, sc) != 0) {
		scenario_free(sc);
		sc = NULL;
	}
	json_decref(root);
	return sc;
}

static int
parse_floor(struct perr *e, json_t *root, struct scen_library *lib)
{
	if (!json_is_object(root))
		return fail(e, "(top)", "expected an object");
	if (string_list(e, "agents", json_object_get(root, "agents"), lib->agents.v, &lib->agents.n, SCEN_VALUES_MAX) != 0 ||
	    string_list(e, "customers", json_object_get(root, "customers"), lib->customers.v, &lib->customers.n, SCEN_VALUES_MAX) != 0 ||
	    string_list(e, "company", json_object_get(root, "company"), lib->company.v, &lib->company.n, SCEN_VALUES_MAX) != 0)
		return -1;
	return 0;
}

static char *
read_file(const char *path, size_t *len, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "rb");
	char *buf;

	if (fp == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf = malloc(SCEN_FILE_MAX + 1);
	if (buf != NULL) {
		*len = fread(buf, 1, SCEN_FILE_MAX + 1, fp);
		if (ferror(fp) || *len > SCEN_FILE_MAX) {
			snprintf(err, errlen, "%s: %s", path, ferror(fp) ? "read error" : "file too large");
			free(buf);
			buf = NULL;
		}
	} else {
		snprintf(err, errlen, "out of memory");
	}
	fclose(fp);
	return buf;
}

static int
names_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted *.json names in dir (sorted so a seed gives the same floor). */
static int
list_json(const char *dir, char **names, unsigned *n, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t l;

	*n = 0;
	if (d == NULL) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		l = strlen(de->d_name);
		if (l <= 5 || strcmp(de->d_name + l - 5, ".json") != 0 || de->d_name[0] == '.')
			continue;
		if (*n >= SCEN_FILES_MAX || (names[*n] = strdup(de->d_name)) == NULL) {
			snprintf(err, errlen, "%s: too many scenario files", dir);
			closedir(d);
			return -1;
		}
		(*n)++;
	}
	closedir(d);
	qsort(names, *n, sizeof(*names), names_cmp);
	return 0;
}

static int
load_one(struct scen_library *lib, const char *dir, const char *name, char *err, size_t errlen)
{
	char path[4096];
	size_t len = 0;
	char *text;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((text = read_file(path, &len, err, errlen)) == NULL)
		return -1;
	if (strcmp(name, "floor.json") == 0) {
		struct perr e = { err, errlen, path };
		json_error_t je;
		json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
		if (root == NULL)
			rc = fail(&e, "(json)", je.text);
		else
			rc = parse_floor(&e, root, lib);
		json_decref(root);
	} else if (lib->n >= SCEN_MAX) {
		snprintf(err, errlen, "%s: more than %d scenarios", dir, SCEN_MAX);
		rc = -1;
	} else if ((lib->scen[lib->n] = scenario_parse(text, len, path, err, errlen)) == NULL) {
		rc = -1;
	} else {
		lib->total_weight += lib->scen[lib->n++]->weight;
	}
	free(text);
	return rc;
}

int
scenario_library_load(struct scen_library *lib, const char *dir, char *err, size_t errlen)
{
	char *names[SCEN_FILES_MAX];
	unsigned n, i;
	int rc = 0;

	memset(lib, 0, sizeof(*lib));
	if (list_json(dir, names, &n, err, errlen) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (rc == 0)
			rc = load_one(lib, dir, names[i], err, errlen);
		free(names[i]);
	}
	if (rc == 0 && (lib->n == 0 || lib->agents.n == 0)) {
		snprintf(err, errlen, "%s: needs floor.json and at least one scenario", dir);
		rc = -1;
	}
	if (rc != 0)
		scenario_library_free(lib);
	return rc;
}

static void
names_free(struct scen_names *n)
{
	unsigned i;

	for (i = 0; i < n->n; i++)
		free(n->v[i]);
	n->n = 0;
}

void
scenario_library_free(struct scen_library *lib)
{
	unsigned i;

	for (i = 0; i < lib->n; i++)
		scenario_free(lib->scen[i]);
	names_free(&lib->agents);
	names_free(&lib->customers);
	names_free(&lib->company);
	memset(lib, 0, sizeof(*lib));
}

/* ---- choosing and expanding ---- */

const struct scenario *
scenario_pick(const struct scen_library *lib, struct feed_rng *r)
{
	unsigned x = feed_rng_below(r, lib->total_weight), i;

	for (i = 0; i < lib->n; i++) {
		if (x < lib->scen[i]->weight)
			return lib->scen[i];
		x -= lib->scen[i]->weight;
	}
	return lib->scen[lib->n - 1];
}

const struct scenario *
scenario_find(const struct scen_library *lib, const char *name)
{
	unsigned i;

	for (i = 0; i < lib->n; i++)
		if (strcmp(lib->scen[i]->name, name) == 0)
			return lib->scen[i];
	return NULL;
}

void
scenario_choose(const struct scen_library *lib, const struct scenario *sc,
    struct feed_rng *r, struct scen_choice *ch)
{
	unsigned i;

	memset(ch, 0, sizeof(*ch));
	ch->sc = sc;
	ch->agent = feed_rng_below(r, lib->agents.n);
	ch->customer = feed_rng_below(r, lib->customers.n);
	ch->company = feed_rng_below(r, lib->company.n);
	for (i = 0; i < sc->nvars; i++)
		ch->var[i] = feed_rng_below(r, sc->vars[i].nvals);
}

const char *
scenario_agent_name(const struct scen_library *lib, const struct scen_choice *ch)
{
	return lib->agents.v[ch->agent];
}

/* Value of placeholder key[0..n), or NULL if unknown. */
static const char *
lookup(const struct scen_library *lib, const struct scen_choice *ch, const char *key, size_t n)
{
	static const char *const builtin[] = { "agent", "customer", "company" };
	const struct scen_names *lists[3];
	unsigned idx[3], i;

	if (lib != NULL) {
		lists[0] = &lib->agents; lists[1] = &lib->customers; lists[2] = &lib->company;
	}
	idx[0] = ch->agent; idx[1] = ch->customer; idx[2] = ch->company;
	for (i = 0; i < 3; i++)
		if (strlen(builtin[i]) == n && memcmp(builtin[i], key, n) == 0)
			return lib != NULL ? lists[i]->v[idx[i]] : "x";
	for (i = 0; i < ch->sc->nvars; i++)
		if (strlen(ch->sc->vars[i].key) == n && memcmp(ch->sc->vars[i].key, key, n) == 0)
			return ch->sc->vars[i].vals[ch->var[i]];
	return NULL;
}

int
scenario_expand(const struct scen_library *lib, const struct scen_choice *ch,
    const char *tmpl, char *out, size_t cap)
{
	size_t o = 0, vl;
	const char *p = tmpl, *close, *val;

	if (cap == 0)
		return -1;
	while (*p != '\0') {
		if (*p != '{') {
			if (o + 1 < cap)
				out[o++] = *p;
			p++;
			continue;
		}
		close = strchr(p, '}');
		if (close == NULL || (val = lookup(lib, ch, p + 1, (size_t)(close - p - 1))) == NULL)
			return -1;
		vl = strlen(val);
		if (o + vl >= cap)
			vl = cap - 1 - o;
		memcpy(out + o, val, vl);
		o += vl;
		p = close + 1;
	}
	o = utf8_clip(out, o, cap - 1);
	out[o] = '\0';
	return (int)o;
}
