/*
 * run.c — `anodesim run SCENARIO` and `anodesim sweep SWEEP`: option
 * parsing; the work is done by batch.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "cli.h"
#include "sim_err.h"

#define MAX_SET 64

typedef struct {
    batch_opts b;
    scn_override ov[MAX_SET];
    const char *file;
} cmd_opts;

/* Returns 0 to go on, -1 after --help, or an exit code. */
static int parse(int argc, char **argv, cmd_opts *o, int sweep_cmd)
{
    static const struct option longopts[] = {
        { "replications", required_argument, 0, 'r' },
        { "threads", required_argument, 0, 't' },
        { "seed", required_argument, 0, 's' },
        { "set", required_argument, 0, 'S' },
        { "year", required_argument, 0, 'y' },
        { "json", no_argument, 0, 'j' },
        { "quiet", no_argument, 0, 'q' },
        { "output", required_argument, 0, 'o' },
        { "resume", no_argument, 0, 'R' },
        { "summary-only", no_argument, 0, 'M' },
        { "independent-streams", no_argument, 0, 'I' },
        { "help", no_argument, 0, 'h' },
        { 0, 0, 0, 0 },
    };
    memset(o, 0, sizeof *o);
    o->b.replications = -1;
    o->b.ov = o->ov;
    optind = 1;
    opterr = 0;
    int ch;
    char *end;
    while ((ch = getopt_long(argc, argv, ":r:t:s:y:qo:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'r':
            o->b.replications = strtol(optarg, &end, 10);
            if (*end || o->b.replications < 1) {
                fprintf(stderr, "anodesim: --replications needs a whole number >= 1, got '%s'\n", optarg);
                return 2;
            }
            break;
        case 't':
            o->b.threads = (int)strtol(optarg, &end, 10);
            if (*end || o->b.threads < 1 || o->b.threads > 256) {
                fprintf(stderr, "anodesim: --threads needs a whole number from 1 to 256, got '%s'\n", optarg);
                return 2;
            }
            break;
        case 's':
            o->b.seed = strtoull(optarg, &end, 10);
            if (*end || optarg[0] == '-' || !optarg[0]) {
                fprintf(stderr, "anodesim: --seed needs a whole number >= 0, got '%s'\n", optarg);
                return 2;
            }
            o->b.have_seed = 1;
            break;
        case 'S':
            if (o->b.nov == MAX_SET) {
                fprintf(stderr, "anodesim: at most %d --set options\n", MAX_SET);
                return 2;
            }
            if (cli_parse_set(optarg, &o->ov[o->b.nov++]) != 0)
                return 2;
            break;
        case 'y':
            o->b.year = (int)strtol(optarg, &end, 10);
            if (*end || o->b.year < 1900 || o->b.year > 2200) {
                fprintf(stderr, "anodesim: --year needs a year such as 2024, got '%s'\n", optarg);
                return 2;
            }
            break;
        case 'j': o->b.json = 1; break;
        case 'q': o->b.quiet = 1; break;
        case 'o': o->b.output = optarg; break;
        case 'R': o->b.resume = 1; break;
        case 'M': o->b.summary_only = 1; break;
        case 'I':
            if (!sweep_cmd) {
                fprintf(stderr, "anodesim: --independent-streams applies to sweeps only\n");
                return 2;
            }
            o->b.independent_streams = 1;
            break;
        case 'h':
            printf("usage: anodesim %s %s [-r N] [-t N] [-s SEED] [--set KEY=VALUE]... [-y YEAR]\n"
                   "       [-o FILE.h5 [--resume] [--summary-only]]%s [--json] [-q]\n(see anodesim help)\n",
                   sweep_cmd ? "sweep" : "run", sweep_cmd ? "SWEEP.yaml" : "SCENARIO.yaml",
                   sweep_cmd ? " [--independent-streams]" : "");
            return -1;
        case ':':
            fprintf(stderr, "anodesim: option '%s' needs a value\n", argv[optind - 1]);
            return 2;
        default:
            fprintf(stderr, "anodesim: unknown option '%s' (see anodesim help)\n", argv[optind - 1]);
            return 2;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "anodesim: %s needs exactly one %s file (see anodesim help)\n", sweep_cmd ? "sweep" : "run",
                sweep_cmd ? "sweep" : "scenario");
        return 2;
    }
    o->file = argv[optind];
    if ((o->b.resume || o->b.summary_only) && !o->b.output) {
        fprintf(stderr, "anodesim: --resume and --summary-only need --output FILE\n");
        return 2;
    }
    return 0;
}

static int command(int argc, char **argv, int sweep_cmd)
{
    cmd_opts o;
    int prc = parse(argc, argv, &o, sweep_cmd);
    if (prc != 0)
        return prc < 0 ? 0 : prc;
    sweep sw;
    int rc = sweep_cmd ? sweep_load(o.file, &sw) : sweep_single(&sw, o.file);
    if (rc != SIM_OK)
        return cli_fail(rc);
    o.b.sw = &sw;
    int code = batch_run(&o.b);
    sweep_free(&sw);
    return code;
}

int cli_run(int argc, char **argv)
{
    return command(argc, argv, 0);
}

int cli_sweep(int argc, char **argv)
{
    return command(argc, argv, 1);
}
