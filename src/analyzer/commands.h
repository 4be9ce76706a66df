/*
 * commands: the subcommands of undertone-analyzer. Each takes the arguments
 * after the subcommand name (argv[0] is the subcommand) and returns the
 * process exit status.
 */
#ifndef UNDERTONE_ANALYZER_COMMANDS_H
#define UNDERTONE_ANALYZER_COMMANDS_H

int score_main(int argc, char **argv);  /* batch scoring: score.c */
int run_main(int argc, char **argv);    /* the live daemon: run.c */

#endif
