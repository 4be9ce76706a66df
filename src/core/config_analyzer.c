/*
 * config_analyzer: the analyzer's configuration schema
 * (undertone-analyzer.conf(5)). Every key is a scalar in the schema table;
 * [weights] has one key per frustration component (model.h's names).
 */
#include "undertone/config.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#define CA_ERR_MAX 128

#define CA_F(field) offsetof(struct config_analyzer, field), \
	sizeof(((struct config_analyzer *)0)->field)
#define CA_EP(key, field, org, def) \
	{ "endpoints", key, CONFIG_T_ENDPOINT, CA_F(field), 0, 0, NULL, 0, org, def }
#define CA_PATH(sec, key, field, org) \
	{ sec, key, CONFIG_T_PATH, CA_F(field), 0, 0, NULL, 0, org, "" }
#define CA_UINT(sec, key, field, lo, hi, org, def) \
	{ sec, key, CONFIG_T_UINT, CA_F(field), lo, hi, NULL, 0, org, def }
#define CA_DUR(sec, key, field, lo, hi, org, def) \
	{ sec, key, CONFIG_T_DURATION, CA_F(field), lo, hi, NULL, 0, org, def }
#define CA_W(i, name) \
	{ "weights", name, CONFIG_T_DOUBLE, offsetof(struct config_analyzer, weights) + \
	  (i) * sizeof(double), sizeof(double), 0, 10, NULL, 0, CONFIG_A_WEIGHT_FIRST + (i), NULL }

/* Weight keys are model.h's component names, in its order (a test checks). */
static const struct config_entry ca_schema[] = {
	CA_EP("ingest", ingest, CONFIG_A_INGEST, "tcp://127.0.0.1:7411"),
	CA_EP("publish", publish, CONFIG_A_PUBLISH, "tcp://127.0.0.1:7412"),
	CA_EP("requests", requests, CONFIG_A_REQUESTS, "tcp://127.0.0.1:7413"),
	CA_PATH("security", "server_secret_key", server_secret_key, CONFIG_A_SERVER_SECRET_KEY),
	CA_PATH("security", "server_public_key", server_public_key, CONFIG_A_SERVER_PUBLIC_KEY),
	CA_PATH("security", "client_keys_dir", client_keys_dir, CONFIG_A_CLIENT_KEYS_DIR),
	CA_PATH("analyzer", "policy", policy, CONFIG_A_POLICY),
	CA_PATH("analyzer", "roster", roster, CONFIG_A_ROSTER),
	CA_UINT("analyzer", "trend_length", trend_length, 8, UT_TREND_MAX, CONFIG_A_TREND_LENGTH, "120"),
	{ "analyzer", "coalesce_rate", CONFIG_T_DOUBLE, CA_F(coalesce_rate), 0.1, 100, NULL, 0,
	  CONFIG_A_COALESCE_RATE, "4" },
	CA_DUR("analyzer", "heartbeat_interval", heartbeat_ms, 100, 60000, CONFIG_A_HEARTBEAT_MS, "1s"),
	CA_UINT("analyzer", "send_hwm", send_hwm, 100, 10000000, CONFIG_A_SEND_HWM, "100000"),
	CA_DUR("analyzer", "silence_timeout", silence_timeout_ms, 1000, 3600000,
	    CONFIG_A_SILENCE_TIMEOUT_MS, "20s"),
	CA_DUR("analyzer", "abandon_timeout", abandon_timeout_ms, 5000, 86400000,
	    CONFIG_A_ABANDON_TIMEOUT_MS, "5m"),
	CA_UINT("limits", "max_calls", max_calls, 1, 1000000, CONFIG_A_MAX_CALLS, "20000"),
	CA_UINT("limits", "max_suggestions", max_suggestions, 1, 1000000,
	    CONFIG_A_MAX_SUGGESTIONS, "20000"),
	CA_UINT("limits", "max_clients", max_clients, 1, 10000, CONFIG_A_MAX_CLIENTS, "256"),
	CA_UINT("limits", "max_message", max_msg_bytes, 1024, 16777216, CONFIG_A_MAX_MSG_BYTES,
	    "1048576"),
	CA_W(0, "negativity"), CA_W(1, "repetition"), CA_W(2, "escalation"),
	CA_W(3, "interruption"), CA_W(4, "pace"), CA_W(5, "emphasis"), CA_W(6, "silence"),
	CA_W(7, "voice"),
};
#define CA_NSCHEMA (sizeof(ca_schema) / sizeof(ca_schema[0]))

_Static_assert(UT_FC__COUNT == 8, "one CA_W entry per frustration component");

static bool
ca_known_section(const char *s)
{
	return strcmp(s, "endpoints") == 0 || strcmp(s, "security") == 0 ||
	    strcmp(s, "analyzer") == 0 || strcmp(s, "limits") == 0 ||
	    strcmp(s, "weights") == 0;
}

/* 0 set, -1 bad value, -2 unknown. */
static int
ca_apply(struct config_analyzer *c, const char *section, const char *key,
    const char *value, const struct config_origin *o, char *err, size_t errsz)
{
	const struct config_entry *e = config_entry_find(ca_schema, CA_NSCHEMA, section, key);
	if (!e)
		return -2;
	if (config_entry_set(e, c, value, err, errsz) != 0)
		return -1;
	if (c->origin[e->origin].kind == CONFIG_FROM_FILE && o->kind == CONFIG_FROM_FILE)
		config_diag_add(&c->diags, o->line, "[%s] %s set again (first on line %u); "
		    "this line wins", section, key, c->origin[e->origin].line);
	c->origin[e->origin] = *o;
	return 0;
}

static void
ca_kv(void *user, const char *section, const char *key, const char *value, unsigned line)
{
	struct config_analyzer *c = user;
	struct config_origin o = { CONFIG_FROM_FILE, line, "" };
	char err[CA_ERR_MAX];
	int r = ca_apply(c, section, key, value, &o, err, sizeof(err));

	if (r == -1)
		config_diag_add(&c->diags, line, "[%s] %s: %s; value ignored", section, key, err);
	else if (r == -2 && !ca_known_section(section))
		config_diag_add(&c->diags, line, "unknown section [%.40s]; key '%.40s' ignored",
		    section, key);
	else if (r == -2)
		config_diag_add(&c->diags, line, "unknown key '%.40s' in [%s]; ignored", key, section);
}

static void
ca_err(void *user, unsigned line, const char *msg)
{
	struct config_analyzer *c = user;

	config_diag_add(&c->diags, line, "%s", msg);
}

void
config_analyzer_init(struct config_analyzer *c)
{
	char err[CA_ERR_MAX];
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < CA_NSCHEMA; i++)
		if (ca_schema[i].def)
			config_entry_set(&ca_schema[i], c, ca_schema[i].def, err, sizeof(err));
	for (i = 0; i < UT_FC__COUNT; i++)
		c->weights[i] = -1.0;    /* not set: the policy's weights apply */
}

void
config_analyzer_parse(struct config_analyzer *c, const char *text, size_t len,
    const char *file)
{
	snprintf(c->path, sizeof(c->path), "%s", file ? file : "");
	snprintf(c->diags.file, sizeof(c->diags.file), "%s", file ? file : "");
	config_ini_parse(text ? text : "", text ? len : 0, NULL, CONFIG_FILE_MAX, ca_kv, ca_err, c);
}

int
config_analyzer_load(struct config_analyzer *c, const char *path)
{
	int rc;

	snprintf(c->path, sizeof(c->path), "%s", path);
	snprintf(c->diags.file, sizeof(c->diags.file), "%s", path);
	rc = config_load_file(path, &c->diags, CONFIG_FILE_MAX, ca_kv, ca_err, c);
	return rc;
}

int
config_analyzer_set(struct config_analyzer *c, const char *section, const char *key,
    const char *value, enum config_origin_kind kind, const char *detail)
{
	struct config_origin o = { kind, 0, "" };
	char err[CA_ERR_MAX];
	int r;

	section = section ? section : "";
	key = key ? key : "";
	snprintf(o.detail, sizeof(o.detail), "%s", detail ? detail : "");
	r = ca_apply(c, section, key, value ? value : "", &o, err, sizeof(err));
	if (r == -1)
		config_diag_add(&c->diags, 0, "%s: [%s] %s: %s", o.detail, section, key, err);
	else if (r == -2)
		config_diag_add(&c->diags, 0, "%s: unknown setting [%s] %s", o.detail, section, key);
	return r == 0 ? 0 : -1;
}

void
config_analyzer_print(const struct config_analyzer *c, FILE *out)
{
	char v[CONFIG_PATH_MAX], org[CONFIG_PATH_MAX + 32];
	const char *section = "";
	size_t i;

	fprintf(out, "; undertone-analyzer effective configuration: value ; from its origin\n");
	for (i = 0; i < CA_NSCHEMA; i++) {
		const struct config_entry *e = &ca_schema[i];
		if (strcmp(e->section, section) != 0) {
			section = e->section;
			fprintf(out, "\n[%s]\n", section);
		}
		config_origin_format(&c->origin[e->origin], c->path, org, sizeof(org));
		if (strcmp(section, "weights") == 0 &&
		    c->origin[e->origin].kind == CONFIG_FROM_DEFAULT) {
			fprintf(out, "; %s = (from the policy)\n", e->key);
			continue;
		}
		config_entry_format(e, c, v, sizeof(v));
		/* Lines over CONFIG_LINE_MAX do not read back: a long value
		 * gets its origin on the line above. */
		if (strlen(e->key) + strlen(v) + strlen(org) + 10 > CONFIG_LINE_MAX)
			fprintf(out, "; %s from %s\n%s = %s\n", e->key, org, e->key, v);
		else
			fprintf(out, "%s = %s ; from %s\n", e->key, v, org);
	}
}
