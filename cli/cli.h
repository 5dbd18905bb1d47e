/*
 * cli — the `anodesim` command line.  Each subcommand is a function that
 * takes its own argv (argv[0] is the subcommand) and returns the process
 * exit code: 0 success, 1 runtime failure, 2 bad input or usage.
 * Messages go to stderr, one line each, prefixed "anodesim: ".
 */
#ifndef CLI_H
#define CLI_H

#include "scenario.h"

int cli_run(int argc, char **argv);
int cli_sweep(int argc, char **argv);
int cli_generate(int argc, char **argv);
int cli_merge(int argc, char **argv);
int cli_validate(int argc, char **argv);
int cli_schema(int argc, char **argv);

/* Print "anodesim: <message>" for a status and return its exit code. */
int cli_fail(int status);

/* Parse "KEY=VALUE" into an override (pointers into arg, which is
 * modified).  Returns 0, or -1 with a message printed. */
int cli_parse_set(char *arg, scn_override *ov);

#endif
