/* Placeholder until the run subcommand lands; replaced by its owner. */
#include <stdio.h>
#include "commands.h"

int
run_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	fprintf(stderr, "undertone-analyzer: 'run' is not built yet\n");
	return 2;
}
