/*
 * scenario: the feed's library of call scripts, loaded from JSON data files.
 *
 * Contract: scenario_library_load() reads every *.json in a directory
 * (floor.json holds shared names; every other file is one scenario) with
 * jansson, validates it against the bounds below and rejects the whole
 * library with a message naming the file and key on the first problem
 * (unknown placeholder, wrong type, empty list, over-long text...). The
 * library owns every string. scenario_expand() fills a template's
 * {placeholders} from per-call choices, never writing past its buffer.
 * The random generator is a fixed algorithm (splitmix64) so a seed gives
 * the same floor on every machine.
 */
#ifndef UNDERTONE_FEED_SCENARIO_H
#define UNDERTONE_FEED_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "undertone/model.h"

#define SCEN_MAX          64    /* scenarios in a library */
#define SCEN_TURNS_MAX    48    /* turns in one scenario */
#define SCEN_VARIANTS_MAX 8     /* wordings of one turn */
#define SCEN_VARS_MAX     8     /* template variables per scenario */
#define SCEN_VALUES_MAX   16    /* values per variable / names per list */
#define SCEN_QUEUES_MAX   4
#define SCEN_KEY_MAX      24    /* bytes of a variable name */
#define SCEN_TEMPLATE_MAX 1024  /* bytes of one template or value */
#define SCEN_FILE_MAX     (256 * 1024)

struct feed_rng { uint64_t s; };

void feed_rng_seed(struct feed_rng *r, uint64_t seed);
uint64_t feed_rng_next(struct feed_rng *r);
double feed_rng_unit(struct feed_rng *r);                 /* [0,1) */
double feed_rng_range(struct feed_rng *r, double lo, double hi);
unsigned feed_rng_below(struct feed_rng *r, unsigned n);  /* [0,n), n >= 1 */

enum scen_turn_kind { SCEN_SAY, SCEN_HOLD, SCEN_TRANSFER };

struct scen_turn {
	enum scen_turn_kind kind;
	enum ut_speaker who;
	unsigned nsay;
	char *say[SCEN_VARIANTS_MAX];
	bool has_gap;
	double gap_min, gap_max;      /* seconds before the turn starts */
	double hold_min, hold_max;    /* SCEN_HOLD: seconds on hold */
	bool interrupt;               /* customer starts before the agent ends */
	bool onset;                   /* scripted frustration starts here */
	double arousal;               /* 0..1: raises pace, loudness, pitch */
	char queue[UT_ID_MAX + 1];    /* SCEN_TRANSFER: the new queue */
	char agent_name[UT_NAME_MAX + 1];  /* SCEN_TRANSFER: who takes over */
};

struct scen_var {
	char key[SCEN_KEY_MAX + 1];
	unsigned nvals;
	char *vals[SCEN_VALUES_MAX];
};

struct scenario {
	char name[UT_ID_MAX + 1];
	enum ut_channel channel;
	unsigned nqueues;
	char queues[SCEN_QUEUES_MAX][UT_ID_MAX + 1];
	unsigned weight;              /* relative frequency on the floor, 1..100 */
	bool frustrated;              /* ground truth: frustration is scripted */
	char expect[16];              /* suggestion kind expected, "" none */
	unsigned nvars;
	struct scen_var vars[SCEN_VARS_MAX];
	unsigned nturns;
	struct scen_turn turns[SCEN_TURNS_MAX];
	int onset_turn;               /* index of the onset turn, -1 none */
};

struct scen_names {
	unsigned n;
	char *v[SCEN_VALUES_MAX];
};

struct scen_library {
	unsigned n;
	struct scenario *scen[SCEN_MAX];
	unsigned total_weight;
	struct scen_names agents, customers, company;
};

/* Per-call choices used to expand templates. */
struct scen_choice {
	const struct scenario *sc;
	unsigned agent, customer, company;
	unsigned var[SCEN_VARS_MAX];
};

/* Load dir/ *.json; 0 ok, -1 with a message in err. */
int scenario_library_load(struct scen_library *lib, const char *dir, char *err, size_t errlen);
void scenario_library_free(struct scen_library *lib);

/* Parse one scenario from JSON text (exposed for tests). */
struct scenario *scenario_parse(const char *text, size_t len, const char *what,
    char *err, size_t errlen);
void scenario_free(struct scenario *sc);

/* Pick a scenario by weight, or by name (NULL if unknown). */
const struct scenario *scenario_pick(const struct scen_library *lib, struct feed_rng *r);
const struct scenario *scenario_find(const struct scen_library *lib, const char *name);

void scenario_choose(const struct scen_library *lib, const struct scenario *sc,
    struct feed_rng *r, struct scen_choice *ch);

/* Expand tmpl into out (cap bytes, NUL-terminated, clipped on a code point).
 * Returns the length written, or -1 for an unknown or unterminated
 * placeholder. lib may be NULL when only checking syntax (names expand to
 * "x"). */
int scenario_expand(const struct scen_library *lib, const struct scen_choice *ch,
    const char *tmpl, char *out, size_t cap);

/* The agent id and display name of a choice ("agent-priya", "Priya"). */
const char *scenario_agent_name(const struct scen_library *lib, const struct scen_choice *ch);

#endif
