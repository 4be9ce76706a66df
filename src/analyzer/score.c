/* Placeholder until the score subcommand lands; replaced by its owner. */
#include <stdio.h>
#include "commands.h"

int
score_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	fprintf(stderr, "undertone-analyzer: 'score' is not built yet\n");
	return 2;
}
