/* dstore_record: validation, record <-> column values, signals JSON. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "dstore_internal.h"
#include "undertone/utf8.h"

enum { C_SEQ, C_TYPE, C_UUID, C_TIME, C_SUP, C_DISP, C_HOST, C_CALL, C_AGENT, C_QUEUE,
	C_SID, C_SRULE, C_SKIND, C_SSEV, C_SRAISED, C_SREASONS, C_DEC, C_SEV, C_UNTIL,
	C_TAG, C_REASON, C_FREE, C_SIGNALS, C_POLICY, C_LEXICON, C_ORIGIN, C_PREV, C_HASH,
	C_FWD };

/* A field is acceptable if NUL-terminated inside its array, within max bytes
 * and valid UTF-8. */
static bool
field_ok(const char *s, size_t arrsz, size_t max)
{
	const char *nul = memchr(s, '\0', arrsz);
	size_t n;

	if (nul == NULL)
		return false;
	n = (size_t)(nul - s);
	return n <= max && utf8_valid(s, n);
}

#define FIELD_OK(f, max) field_ok((f), sizeof(f), (max))

static bool
finite_in(double v, double lo, double hi)
{
	return isfinite(v) && v >= lo && v <= hi;
}

static int
validate_signals(struct dstore *st, const struct dstore_signals *g)
{
	size_t i;

	if (g->has_sentiment && !(finite_in(g->sent_latest, -1, 1) && finite_in(g->sent_ewma, -1, 1) &&
	    finite_in(g->sent_mean, -1, 1) && isfinite(g->sent_slope)))
		return dstore__fail(st, DSTORE_EINVAL, "sentiment out of range or not finite");
	if (g->trend_n > DSTORE_SNAP_TREND)
		return dstore__fail(st, DSTORE_EINVAL, "too many trend points");
	for (i = 0; i < g->trend_n; i++)
		if (!finite_in(g->trend[i].value, -1, 1) || g->trend[i].t_ms < 0)
			return dstore__fail(st, DSTORE_EINVAL, "trend point %zu invalid", i);
	if (g->has_frustration && !finite_in(g->frustration, 0, 1))
		return dstore__fail(st, DSTORE_EINVAL, "frustration out of range");
	for (i = 0; i < UT_FC__COUNT; i++) {
		if (!g->comp[i].present)
			continue;
		if (!finite_in(g->comp[i].value, 0, 1) || !finite_in(g->comp[i].contribution, 0, 1))
			return dstore__fail(st, DSTORE_EINVAL, "component %s out of range",
			    model_component_name((enum ut_component)i));
		if (!FIELD_OK(g->comp[i].evidence, UT_PHRASE_MAX))
			return dstore__fail(st, DSTORE_EINVAL, "component evidence too long or not UTF-8");
	}
	return DSTORE_OK;
}

static int
validate_suggestion(struct dstore *st, const struct dstore_suggestion *g)
{
	size_t i;

	if (!g->present)
		return DSTORE_OK;
	if (!FIELD_OK(g->id, UT_ID_MAX) || g->id[0] == '\0' || !FIELD_OK(g->rule, UT_ID_MAX))
		return dstore__fail(st, DSTORE_EINVAL, "suggestion id/rule missing, too long or not UTF-8");
	if ((int)g->kind < 0 || g->kind >= UT_SK__COUNT)
		return dstore__fail(st, DSTORE_EINVAL, "unknown suggestion kind");
	if (g->severity < UT_SEVERITY_MIN || g->severity > UT_SEVERITY_MAX)
		return dstore__fail(st, DSTORE_EINVAL, "suggestion severity out of range");
	if (g->raised_ms < 0)
		return dstore__fail(st, DSTORE_EINVAL, "suggestion time negative");
	if (g->reasons_n > UT_REASONS_MAX)
		return dstore__fail(st, DSTORE_EINVAL, "too many suggestion reasons");
	for (i = 0; i < g->reasons_n; i++)
		if (!FIELD_OK(g->reasons[i], UT_PHRASE_MAX))
			return dstore__fail(st, DSTORE_EINVAL, "reason %zu too long or not UTF-8", i);
	return DSTORE_OK;
}

int
dstore__validate(struct dstore *st, const struct dstore_record *r)
{
	if (r->type != DSTORE_TYPE_DECISION && r->type != DSTORE_TYPE_PRUNE)
		return dstore__fail(st, DSTORE_EINVAL, "unknown record type");
	if (r->type == DSTORE_TYPE_DECISION && (r->decision < 0 || r->decision >= UT_DE__COUNT))
		return dstore__fail(st, DSTORE_EINVAL, "unknown decision");
	if (r->type == DSTORE_TYPE_DECISION && r->call_id[0] == '\0')
		return dstore__fail(st, DSTORE_EINVAL, "call id missing");
	if (!FIELD_OK(r->uuid, DSTORE_UUID_LEN) || !FIELD_OK(r->supervisor, UT_ID_MAX) ||
	    !FIELD_OK(r->host, UT_ID_MAX) || !FIELD_OK(r->display_name, UT_NAME_MAX) ||
	    !FIELD_OK(r->call_id, UT_ID_MAX) || !FIELD_OK(r->agent, UT_ID_MAX) ||
	    !FIELD_OK(r->queue, UT_ID_MAX) || !FIELD_OK(r->tag, UT_ID_MAX) ||
	    !FIELD_OK(r->reason_code, UT_ID_MAX) || !FIELD_OK(r->free_text, UT_FREETEXT_MAX) ||
	    !FIELD_OK(r->policy_version, UT_ID_MAX) || !FIELD_OK(r->lexicon_version, UT_ID_MAX) ||
	    !FIELD_OK(r->origin, DSTORE_ORIGIN_MAX))
		return dstore__fail(st, DSTORE_EINVAL, "a text field is too long or not valid UTF-8");
	if (r->time_ms < 0 || r->until_ms < 0)
		return dstore__fail(st, DSTORE_EINVAL, "negative time");
	if (r->severity != 0 && (r->severity < UT_SEVERITY_MIN || r->severity > UT_SEVERITY_MAX))
		return dstore__fail(st, DSTORE_EINVAL, "severity out of range");
	if (validate_suggestion(st, &r->sug) != DSTORE_OK)
		return DSTORE_EINVAL;
	return validate_signals(st, &r->signals);
}

static json_t *
sentiment_json(const struct dstore_signals *g)
{
	json_t *o = json_object(), *tr = json_array();
	size_t i;

	for (i = 0; i < g->trend_n; i++)
		json_array_append_new(tr, json_pack("[I,f]", (json_int_t)g->trend[i].t_ms,
		    g->trend[i].value));
	json_object_set_new(o, "latest", json_real(g->sent_latest));
	json_object_set_new(o, "ewma", json_real(g->sent_ewma));
	json_object_set_new(o, "mean", json_real(g->sent_mean));
	json_object_set_new(o, "slope", json_real(g->sent_slope));
	json_object_set_new(o, "trend", tr);
	return o;
}

static json_t *
frustration_json(const struct dstore_signals *g)
{
	json_t *o = json_object(), *cs = json_object();
	size_t i;

	for (i = 0; i < UT_FC__COUNT; i++) {
		if (!g->comp[i].present)
			continue;
		json_object_set_new(cs, model_component_name((enum ut_component)i),
		    json_pack("{s:f,s:f,s:s}", "value", g->comp[i].value,
		    "contribution", g->comp[i].contribution, "evidence", g->comp[i].evidence));
	}
	json_object_set_new(o, "value", json_real(g->frustration));
	json_object_set_new(o, "components", cs);
	return o;
}

/* Canonical JSON (sorted keys, compact): the same snapshot always gives the
 * same text. Returns malloc'd text or NULL. */
char *
dstore__signals_json(const struct dstore_signals *g)
{
	json_t *root = json_object();
	char *txt;

	if (root == NULL)
		return NULL;
	if (g->has_sentiment)
		json_object_set_new(root, "sentiment", sentiment_json(g));
	if (g->has_frustration)
		json_object_set_new(root, "frustration", frustration_json(g));
	/* Six significant digits: exact enough for a displayed snapshot, and the
	 * text (hashed by every verify) stays short. */
	txt = json_dumps(root, JSON_SORT_KEYS | JSON_COMPACT | JSON_REAL_PRECISION(6));
	json_decref(root);
	return txt;
}

static const char *
nz(const char *s)
{
	return s != NULL ? s : "";
}

static double
num(json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

static void
parse_sentiment(json_t *s, struct dstore_signals *g)
{
	json_t *tr = json_object_get(s, "trend"), *p;
	size_t i;

	g->has_sentiment = 1;
	g->sent_latest = num(s, "latest");
	g->sent_ewma = num(s, "ewma");
	g->sent_mean = num(s, "mean");
	g->sent_slope = num(s, "slope");
	json_array_foreach(tr, i, p) {
		if (g->trend_n >= DSTORE_SNAP_TREND)
			break;
		g->trend[g->trend_n].t_ms = (int64_t)json_integer_value(json_array_get(p, 0));
		g->trend[g->trend_n].value = json_number_value(json_array_get(p, 1));
		g->trend_n++;
	}
}

static void
parse_frustration(json_t *f, struct dstore_signals *g)
{
	json_t *cs = json_object_get(f, "components"), *c;
	const char *k;
	int id;

	g->has_frustration = 1;
	g->frustration = num(f, "value");
	json_object_foreach(cs, k, c) {
		id = model_component_parse(k, strlen(k));
		if (id < 0)
			continue;
		g->comp[id].present = 1;
		g->comp[id].value = num(c, "value");
		g->comp[id].contribution = num(c, "contribution");
		snprintf(g->comp[id].evidence, sizeof(g->comp[id].evidence), "%s",
		    nz(json_string_value(json_object_get(c, "evidence"))));
	}
}

int
dstore__signals_parse(const char *txt, size_t len, struct dstore_signals *g)
{
	json_t *root, *x;

	memset(g, 0, sizeof(*g));
	root = json_loadb(txt, len, JSON_REJECT_DUPLICATES, NULL);
	if (root == NULL || !json_is_object(root)) {
		json_decref(root);
		return DSTORE_EINVAL;
	}
	if ((x = json_object_get(root, "sentiment")) != NULL && json_is_object(x))
		parse_sentiment(x, g);
	if ((x = json_object_get(root, "frustration")) != NULL && json_is_object(x))
		parse_frustration(x, g);
	json_decref(root);
	return DSTORE_OK;
}

static char *
reasons_json(const struct dstore_suggestion *g)
{
	json_t *a = json_array();
	char *txt;
	size_t i;

	for (i = 0; i < g->reasons_n; i++)
		json_array_append_new(a, json_string(g->reasons[i]));
	txt = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return txt;
}

static void
vtext(struct dstore_val *v, const char *s)
{
	v->t = DV_TEXT;
	v->s = s;
	v->len = strlen(s);
}

static void
vint(struct dstore_val *v, int64_t i)
{
	v->t = DV_INT;
	v->i = i;
}

static void
set_suggestion(const struct dstore_suggestion *g, struct dstore_val *v, const char *reasons)
{
	if (!g->present)
		return;   /* all NULL */
	vtext(&v[C_SID], g->id);
	vtext(&v[C_SRULE], g->rule);
	vtext(&v[C_SKIND], model_suggestion_kind_name(g->kind));
	vint(&v[C_SSEV], g->severity);
	vint(&v[C_SRAISED], g->raised_ms);
	vtext(&v[C_SREASONS], reasons);
}

int
dstore__record_vals(struct dstore *st, const struct dstore_record *r,
                    struct dstore_val v[DSTORE_NFIELDS], struct dstore_owned *o)
{
	memset(v, 0, sizeof(*v) * DSTORE_NFIELDS);
	memset(o, 0, sizeof(*o));
	o->signals = dstore__signals_json(&r->signals);
	o->reasons = r->sug.present ? reasons_json(&r->sug) : NULL;
	if (o->signals == NULL || (r->sug.present && o->reasons == NULL)) {
		dstore__owned_free(o);
		return dstore__fail(st, DSTORE_ENOMEM, "out of memory encoding JSON");
	}
	vint(&v[C_SEQ], r->seq);
	vint(&v[C_TYPE], r->type);
	vtext(&v[C_UUID], r->uuid);
	vint(&v[C_TIME], r->time_ms);
	vtext(&v[C_SUP], r->supervisor);
	vtext(&v[C_DISP], r->display_name);
	vtext(&v[C_HOST], r->host);
	vtext(&v[C_CALL], r->call_id);
	vtext(&v[C_AGENT], r->agent);
	vtext(&v[C_QUEUE], r->queue);
	set_suggestion(&r->sug, v, o->reasons);
	if (r->type == DSTORE_TYPE_DECISION)
		vtext(&v[C_DEC], model_decision_name((enum ut_decision)r->decision));
	vint(&v[C_SEV], r->severity);
	vint(&v[C_UNTIL], r->until_ms);
	vtext(&v[C_TAG], r->tag);
	vtext(&v[C_REASON], r->reason_code);
	vtext(&v[C_FREE], r->free_text);
	vtext(&v[C_SIGNALS], o->signals);
	vtext(&v[C_POLICY], r->policy_version);
	vtext(&v[C_LEXICON], r->lexicon_version);
	vtext(&v[C_ORIGIN], r->origin);
	return DSTORE_OK;
}

void
dstore__owned_free(struct dstore_owned *o)
{
	free(o->reasons);
	free(o->signals);
	o->reasons = o->signals = NULL;
}

static void
col_copy(sqlite3_stmt *s, int c, char *dst, size_t cap)
{
	const unsigned char *t = sqlite3_column_text(s, c);
	size_t n = (size_t)sqlite3_column_bytes(s, c);

	if (t == NULL)
		n = 0;
	n = utf8_clip((const char *)t, n, cap - 1);
	if (n > 0)
		memcpy(dst, t, n);
	dst[n] = '\0';
}

static void
row_suggestion(sqlite3_stmt *s, struct dstore_suggestion *g)
{
	const char *kind = (const char *)sqlite3_column_text(s, C_SKIND);
	const char *rj = (const char *)sqlite3_column_text(s, C_SREASONS);
	json_t *a, *x;
	size_t i;
	int k;

	if (sqlite3_column_type(s, C_SID) == SQLITE_NULL)
		return;
	g->present = 1;
	col_copy(s, C_SID, g->id, sizeof(g->id));
	col_copy(s, C_SRULE, g->rule, sizeof(g->rule));
	k = kind ? model_suggestion_kind_parse(kind, strlen(kind)) : -1;
	g->kind = k < 0 ? UT_SK__COUNT : (enum ut_suggestion_kind)k;
	g->severity = sqlite3_column_int(s, C_SSEV);
	g->raised_ms = sqlite3_column_int64(s, C_SRAISED);
	a = rj ? json_loads(rj, 0, NULL) : NULL;
	json_array_foreach(a, i, x) {
		if (g->reasons_n >= UT_REASONS_MAX)
			break;
		snprintf(g->reasons[g->reasons_n++], UT_PHRASE_MAX + 1, "%s",
		    nz(json_string_value(x)));
	}
	json_decref(a);
}

static void
row_hash(sqlite3_stmt *s, int c, unsigned char out[DSTORE_HASH_LEN])
{
	const void *b = sqlite3_column_blob(s, c);

	memset(out, 0, DSTORE_HASH_LEN);
	if (b != NULL && sqlite3_column_bytes(s, c) == DSTORE_HASH_LEN)
		memcpy(out, b, DSTORE_HASH_LEN);
}

/* Fill a record from a row selected as dstore__columns plus forwarded_ms.
 * Stored values are trusted only as far as their bounds: every copy clips. */
int
dstore__row_record(sqlite3_stmt *s, struct dstore_record *r, bool want_signals)
{
	const char *dec, *sig;

	dstore_record_init(r);
	r->seq = sqlite3_column_int64(s, C_SEQ);
	r->type = sqlite3_column_int(s, C_TYPE) == DSTORE_TYPE_PRUNE ? DSTORE_TYPE_PRUNE
	    : DSTORE_TYPE_DECISION;
	col_copy(s, C_UUID, r->uuid, sizeof(r->uuid));
	r->time_ms = sqlite3_column_int64(s, C_TIME);
	col_copy(s, C_SUP, r->supervisor, sizeof(r->supervisor));
	col_copy(s, C_DISP, r->display_name, sizeof(r->display_name));
	col_copy(s, C_HOST, r->host, sizeof(r->host));
	col_copy(s, C_CALL, r->call_id, sizeof(r->call_id));
	col_copy(s, C_AGENT, r->agent, sizeof(r->agent));
	col_copy(s, C_QUEUE, r->queue, sizeof(r->queue));
	row_suggestion(s, &r->sug);
	dec = (const char *)sqlite3_column_text(s, C_DEC);
	r->decision = dec ? model_decision_parse(dec, strlen(dec)) : -1;
	r->severity = sqlite3_column_int(s, C_SEV);
	r->until_ms = sqlite3_column_int64(s, C_UNTIL);
	col_copy(s, C_TAG, r->tag, sizeof(r->tag));
	col_copy(s, C_REASON, r->reason_code, sizeof(r->reason_code));
	col_copy(s, C_FREE, r->free_text, sizeof(r->free_text));
	sig = (const char *)sqlite3_column_text(s, C_SIGNALS);
	if (want_signals && sig != NULL)
		dstore__signals_parse(sig, (size_t)sqlite3_column_bytes(s, C_SIGNALS), &r->signals);
	col_copy(s, C_POLICY, r->policy_version, sizeof(r->policy_version));
	col_copy(s, C_LEXICON, r->lexicon_version, sizeof(r->lexicon_version));
	col_copy(s, C_ORIGIN, r->origin, sizeof(r->origin));
	row_hash(s, C_PREV, r->prev_hash);
	row_hash(s, C_HASH, r->hash);
	if (sqlite3_column_type(s, C_FWD) != SQLITE_NULL) {
		r->forwarded = 1;
		r->forwarded_ms = sqlite3_column_int64(s, C_FWD);
	}
	return DSTORE_OK;
}

void
dstore_record_init(struct dstore_record *r)
{
	memset(r, 0, sizeof(*r));
	r->type = DSTORE_TYPE_DECISION;
	r->decision = -1;
}

char *
dstore_signals_json(const struct dstore_signals *s)
{
	return s != NULL ? dstore__signals_json(s) : NULL;
}

static json_t *
suggestion_obj(const struct dstore_suggestion *g)
{
	json_t *o, *a;
	size_t i;

	if (!g->present)
		return json_null();
	a = json_array();
	for (i = 0; i < g->reasons_n && i < UT_REASONS_MAX; i++)
		json_array_append_new(a, json_string(g->reasons[i]));
	o = json_pack("{s:s,s:s,s:s,s:i,s:I}", "id", g->id, "rule", g->rule,
	    "kind", model_suggestion_kind_name(g->kind), "severity", g->severity,
	    "raised_ms", (json_int_t)g->raised_ms);
	if (o != NULL)
		json_object_set_new(o, "reasons", a);
	else
		json_decref(a);
	return o;
}

static json_t *
signals_obj(const struct dstore_signals *g)
{
	char *txt = dstore__signals_json(g);
	json_t *o = txt ? json_loads(txt, 0, NULL) : NULL;

	free(txt);
	return o;
}

char *
dstore_record_json(const struct dstore_record *r)
{
	char prev[2 * DSTORE_HASH_LEN + 1], hash[2 * DSTORE_HASH_LEN + 1];
	json_t *o;
	char *txt;

	dstore_hex(r->prev_hash, DSTORE_HASH_LEN, prev);
	dstore_hex(r->hash, DSTORE_HASH_LEN, hash);
	o = json_pack("{s:I,s:s,s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:i,s:I,s:s,s:s,s:s,"
	    "s:o,s:s,s:s,s:s,s:o,s:s,s:s}",
	    "seq", (json_int_t)r->seq, "type", r->type == DSTORE_TYPE_PRUNE ? "prune" : "decision",
	    "uuid", r->uuid, "time_ms", (json_int_t)r->time_ms, "supervisor", r->supervisor,
	    "display_name", r->display_name, "host", r->host, "call_id", r->call_id,
	    "agent", r->agent, "queue", r->queue, "suggestion", suggestion_obj(&r->sug),
	    "decision", r->decision >= 0 ? json_string(model_decision_name((enum ut_decision)r->decision))
	    : json_null(),
	    "severity", r->severity, "until_ms", (json_int_t)r->until_ms, "tag", r->tag,
	    "reason_code", r->reason_code, "free_text", r->free_text,
	    "signals", signals_obj(&r->signals), "policy_version", r->policy_version,
	    "lexicon_version", r->lexicon_version, "origin", r->origin,
	    "forwarded_ms", r->forwarded ? json_integer((json_int_t)r->forwarded_ms) : json_null(),
	    "prev_hash", prev, "hash", hash);
	if (o == NULL)
		return NULL;
	txt = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(o);
	return txt;
}
