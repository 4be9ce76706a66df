/* undertone-analyzer: dispatch to a subcommand (the daemon by default). */
#include <stdio.h>
#include <string.h>
#include "commands.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: undertone-analyzer [run] [OPTIONS]   live analyzer daemon\n"
	    "       undertone-analyzer score [OPTIONS] [FILE...]   score text, one utterance per line\n"
	    "       undertone-analyzer COMMAND --help   options of a command\n"
	    "       undertone-analyzer --version\n"
	    "See undertone-analyzer(1).\n");
}

int
main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "score") == 0)
		return score_main(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "run") == 0)
		return run_main(argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
		printf("undertone-analyzer %s\n", PACKAGE_VERSION);
		return 0;
	}
	/* No subcommand (or only options): the daemon. */
	return run_main(argc, argv);
}
