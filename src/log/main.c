/* undertone-log: command dispatch, global options and help. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "log.h"
#include "undertone/textsafe.h"

static const char usage[] =
	"usage: undertone-log [--db FILE] COMMAND [options]\n"
	"Audit the undertone decision log (read-only unless noted).\n"
	"\n"
	"  list [filters]                 decisions as a table sized to the terminal\n"
	"  show ID                        one decision in full (UUID or sequence number)\n"
	"  export --format csv|ndjson [--no-bom] [filters]\n"
	"  verify [--checkpoint FILE [--pubkey FILE]] [--quick]\n"
	"                                 check the hash chain and SQLite integrity\n"
	"  stats [filters]                counts, override rates, response times\n"
	"  checkpoint --key SECRET [--out FILE]   write a signed checkpoint\n"
	"  keygen --key SECRET [--pub FILE]       make an Ed25519 signing key pair\n"
	"  merge OUT.db IN.db...          combine logs (writes OUT.db)\n"
	"  prune --older-than AGE [--dry-run]     retention (writes the log)\n"
	"\n"
	"Filters:\n"
	"%s"
	"\n"
	"--db FILE defaults to $XDG_DATA_HOME/undertone/decisions.db.\n"
	"Exit: 0 ok, 1 verification failed, 2 usage, 3 not found, 4 database error,\n"
	"5 key/checkpoint file error. See undertone-log(1).\n";

struct command {
	const char *name;
	int (*fn)(struct log_opts *, int, char **);
};

static const struct command commands[] = {
	{ "list", log_cmd_list }, { "show", log_cmd_show }, { "export", log_cmd_export },
	{ "verify", log_cmd_verify }, { "checkpoint", log_cmd_checkpoint },
	{ "keygen", log_cmd_keygen }, { "stats", log_cmd_stats }, { "merge", log_cmd_merge },
	{ "prune", log_cmd_prune },
};

/* Take "--db FILE" / "--db=FILE" out of the command's arguments, so it may
 * also follow the command ("undertone-log list --db x.db"). Returns the new
 * argc, or -1 if --db lacks its value. */
static int
take_db(struct log_opts *o, int argc, char **argv)
{
	int i, j = 1;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0) {
			if (i + 1 >= argc)
				return -1;
			o->db = argv[++i];
		} else if (strncmp(argv[i], "--db=", 5) == 0 && argv[i][5] != '\0')
			o->db = argv[i] + 5;
		else
			argv[j++] = argv[i];
	}
	argv[j] = NULL;
	return j;
}

static void
help(FILE *f)
{
	fprintf(f, usage, log_filter_help);
}

int
main(int argc, char **argv)
{
	struct log_opts o;
	size_t i;
	int a = 1;

	memset(&o, 0, sizeof(o));
	o.tty = isatty(STDOUT_FILENO) != 0;
	if (!textsafe_locale_is_utf8(getenv("LC_ALL"), getenv("LC_CTYPE"), getenv("LANG")))
		o.ts_flags = TEXTSAFE_ASCII;
	while (a < argc && argv[a][0] == '-') {
		if (strcmp(argv[a], "--help") == 0 || strcmp(argv[a], "-h") == 0) {
			help(stdout);
			return LOG_EXIT_OK;
		}
		if (strcmp(argv[a], "--db") == 0 && a + 1 < argc) {
			o.db = argv[a + 1];
			a += 2;
		} else if (strncmp(argv[a], "--db=", 5) == 0 && argv[a][5] != '\0') {
			o.db = argv[a] + 5;
			a++;
		} else {
			log_err("unknown option '%.40s' (try --help)", argv[a]);
			return LOG_EXIT_USAGE;
		}
	}
	if (a >= argc) {
		help(stderr);
		return LOG_EXIT_USAGE;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[a], commands[i].name) != 0)
			continue;
		argc = take_db(&o, argc - a, argv + a);
		if (argc < 0) {
			log_err("--db needs a file");
			return LOG_EXIT_USAGE;
		}
		return commands[i].fn(&o, argc, argv + a);
	}
	if (strcmp(argv[a], "help") == 0) {
		help(stdout);
		return LOG_EXIT_OK;
	}
	log_err("unknown command '%.40s' (try --help)", argv[a]);
	return LOG_EXIT_USAGE;
}
