/*
 * run.c — `anodesim run SCENARIO` and `anodesim sweep SWEEP`: option
 * parsing; the work is done by batch.c.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>

#include "batch.h"
#include "cli.h"
#include "h5out.h"
#include "sim_err.h"

#define MAX_SET 64

typedef struct {
    batch_opts b;
    scn_override ov[MAX_SET];
    const char *file;
} cmd_opts;

static int parse_shard(const char *text, batch_opts *b)
{
    char kt[32] = "";
    const char *slash = strchr(text, '/');
    unsigned long long k = 0, n = 0;
    if (slash && (size_t)(slash - text) < sizeof kt)
        memcpy(kt, text, (size_t)(slash - text));
    if (!slash || scn_parse_whole(kt, 0, 999999, &k) != 0 || scn_parse_whole(slash + 1, 1, 1000000, &n) != 0 ||
        k >= n) {
        fprintf(stderr, "anodesim: --shard needs K/N with 0 <= K < N (shard K of N), got '%s'\n", text);
        return -1;
    }
    b->shard_k = (int)k;
    b->shard_n = (int)n;
    return 0;
}

/* --threads for run, sweep and merge: 0, or -1 with the message printed. */
static int parse_threads(const char *text, int *threads)
{
    unsigned long long t;
    if (scn_parse_whole(text, 1, 256, &t) != 0) {
        fprintf(stderr, "anodesim: --threads needs a whole number from 1 to 256, got '%s'\n", text);
        return -1;
    }
    *threads = (int)t;
    return 0;
}

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
        { "shard", required_argument, 0, 'K' },
        { "force", no_argument, 0, 'F' },
        { "inputs-anywhere", no_argument, 0, 'A' },
        { "help", no_argument, 0, 'h' },
        { 0, 0, 0, 0 },
    };
    memset(o, 0, sizeof *o);
    o->b.replications = -1;
    o->b.ov = o->ov;
    optind = 1;
    opterr = 0;
    int ch;
    unsigned long long whole;
    while ((ch = getopt_long(argc, argv, ":r:t:s:y:qo:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'r':
            if (scn_parse_whole(optarg, 1, 100000000, &whole) != 0) {
                fprintf(stderr, "anodesim: --replications needs a whole number from 1 to 100000000, got '%s'\n",
                        optarg);
                return 2;
            }
            o->b.replications = (long)whole;
            break;
        case 't':
            if (parse_threads(optarg, &o->b.threads) != 0)
                return 2;
            break;
        case 's':
            if (scn_parse_whole(optarg, 0, ULLONG_MAX, &whole) != 0) {
                fprintf(stderr, "anodesim: --seed needs a whole number from 0 to 18446744073709551615, got '%s'\n",
                        optarg);
                return 2;
            }
            o->b.seed = whole;
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
            if (scn_parse_whole(optarg, 1900, 2200, &whole) == 0)
                o->b.year = (int)whole;
            if (o->b.year == 0) {
                fprintf(stderr, "anodesim: --year needs a year such as 2024, got '%s'\n", optarg);
                return 2;
            }
            break;
        case 'j': o->b.json = 1; break;
        case 'q': o->b.quiet = 1; break;
        case 'o': o->b.output = optarg; break;
        case 'R': o->b.resume = 1; break;
        case 'F': o->b.force = 1; break;
        case 'A': scn_allow_inputs_anywhere(1); break;
        case 'M': o->b.summary_only = 1; break;
        case 'I':
            if (!sweep_cmd) {
                fprintf(stderr, "anodesim: --independent-streams applies to sweeps only\n");
                return 2;
            }
            o->b.independent_streams = 1;
            break;
        case 'K':
            if (parse_shard(optarg, &o->b) != 0)
                return 2;
            break;
        case 'h':
            printf("usage: anodesim %s %s [-r N] [-t N] [-s SEED] [--set KEY=VALUE]... [-y YEAR]\n"
                   "       [-o FILE.h5 [--resume | --force] [--summary-only] [--shard K/N]]%s [--json] [-q]\n(see anodesim help)\n",
                   sweep_cmd ? "sweep" : "run", sweep_cmd ? "SWEEP.yaml" : "SCENARIO.yaml",
                   sweep_cmd ? " [--independent-streams]" : "");
            return -1;
        case ':':
            fprintf(stderr, "anodesim: option '%s' needs a value\n", argv[optind - 1]);
            return 2;
        default: {
            /* "did you mean": the long option nearest to what was typed */
            const char *bad = argv[optind - 1], *word = bad;
            while (*word == '-')
                word++;
            char typed[64];
            snprintf(typed, sizeof typed, "%.*s", (int)strcspn(word, "="), word);
            const char *names[32];
            int nn = 0;
            for (int i = 0; longopts[i].name && nn < 32; i++)
                names[nn++] = longopts[i].name;
            const char *near = bad[0] == '-' && bad[1] == '-' ? scn_nearest(typed, names, nn) : NULL;
            if (near)
                fprintf(stderr, "anodesim: unknown option '%s' (did you mean --%s? see anodesim help %s)\n", bad, near,
                        sweep_cmd ? "sweep" : "run");
            else
                fprintf(stderr, "anodesim: unknown option '%s' (see anodesim help %s)\n", bad, sweep_cmd ? "sweep" : "run");
            return 2;
        }
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "anodesim: %s needs exactly one %s file (see anodesim help)\n", sweep_cmd ? "sweep" : "run",
                sweep_cmd ? "sweep" : "scenario");
        return 2;
    }
    o->file = argv[optind];
    /* In a Slurm array task the shard is K = SLURM_ARRAY_TASK_ID of N =
     * ANODESIM_SHARDS, unless --shard says otherwise.  N is never taken
     * from the array itself: re-running one task (sbatch --array=K) makes
     * SLURM_ARRAY_TASK_COUNT 1 and SLURM_ARRAY_TASK_MIN K, which read as
     * shard 0 of 1 ran every task into another file. */
    const char *id = getenv("SLURM_ARRAY_TASK_ID"), *shards = getenv("ANODESIM_SHARDS");
    if (o->b.shard_n == 0 && id && o->b.output) {
        unsigned long long k, nsh;
        if (!shards) {
            fprintf(stderr, "anodesim: in a Slurm array task (SLURM_ARRAY_TASK_ID=%s) give --shard K/N or set "
                            "ANODESIM_SHARDS=N (the shard count is not taken from the array: see docs/cluster.md)\n",
                    id);
            return 2;
        }
        if (scn_parse_whole(id, 0, 999999, &k) != 0 || scn_parse_whole(shards, 1, 1000000, &nsh) != 0 || k >= nsh) {
            fprintf(stderr, "anodesim: SLURM_ARRAY_TASK_ID=%s and ANODESIM_SHARDS=%s do not make a shard K/N with "
                            "0 <= K < N\n", id, shards);
            return 2;
        }
        o->b.shard_k = (int)k;
        o->b.shard_n = (int)nsh;
    }
    if (o->b.shard_n > 0 && !o->b.output) {
        fprintf(stderr, "anodesim: a shard needs --output FILE (it writes FILE's shard file)\n");
        return 2;
    }
    if ((o->b.resume || o->b.summary_only || o->b.force) && !o->b.output) {
        fprintf(stderr, "anodesim: --resume, --force and --summary-only need --output FILE\n");
        return 2;
    }
    if (o->b.resume && o->b.force) {
        fprintf(stderr, "anodesim: --resume keeps the partial results and --force throws them away: give one\n");
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

/* `anodesim merge -o FINAL.h5 SHARD.h5...`: rebuild the run's settings from
 * the first shard (input file, --set values, seed, replications), then copy
 * every replication in order and make the summaries, as one run would. */
int cli_merge(int argc, char **argv)
{
    const char *out = NULL;
    int nin = 0, threads = 0, force = 0;
    const char **in = calloc((size_t)argc + 1, sizeof *in);
    if (!in)
        return cli_fail(sim_err_set(SIM_ENOMEM, "out of memory"));
    for (int i = 1; i < argc; i++) {
        if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) && i + 1 < argc) {
            out = argv[++i];
        } else if ((strcmp(argv[i], "-t") == 0 || strcmp(argv[i], "--threads") == 0) && i + 1 < argc) {
            if (parse_threads(argv[++i], &threads) != 0) {
                free(in);
                return 2;
            }
        } else if (strcmp(argv[i], "-q") == 0 || strcmp(argv[i], "--quiet") == 0) {
            continue;   /* merge prints no progress line anyway */
        } else if (strcmp(argv[i], "--force") == 0) {
            force = 1;
        } else if (strcmp(argv[i], "--inputs-anywhere") == 0) {
            scn_allow_inputs_anywhere(1);
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "anodesim: unknown option '%s' for merge (expected -o FILE, -t THREADS, --force)\n", argv[i]);
            free(in);
            return 2;
        } else {
            in[nin++] = argv[i];
        }
    }
    if (!out || nin == 0) {
        fprintf(stderr, "anodesim: usage: anodesim merge -o FINAL.h5 [-t THREADS] [--force] SHARD.h5...\n");
        free(in);
        return 2;
    }
    char *kind = h5o_file_attr_text(in[0], "input_kind");
    char *path = h5o_file_attr_text(in[0], "input_path");
    char *ovtext = h5o_file_attr_text(in[0], "overrides");
    char *seedtext = h5o_file_attr_text(in[0], "shard");
    long long reps = h5o_file_attr_long(in[0], "replications_planned");
    long long indep = h5o_file_attr_long(in[0], "independent_streams");
    int rc = SIM_OK, code = 0;
    if (!kind || !path || !ovtext || reps < 1)
        rc = sim_err_set(SIM_EINPUT, "%s: not a shard of an anodesim run (expected attributes input_kind, input_path, overrides)",
                         in[0]);
    scn_override ov[MAX_SET];
    int nov = 0;
    for (char *line = ovtext; rc == SIM_OK && line && *line && nov < MAX_SET;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (cli_parse_set(line, &ov[nov]) == 0)
            nov++;
        line = nl ? nl + 1 : NULL;
    }
    unsigned long long seed = 0;
    if (rc == SIM_OK) {
        H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
        hid_t f = H5Fopen(in[0], H5F_ACC_RDONLY, H5P_DEFAULT);
        hid_t a = f >= 0 ? H5Aopen(f, "seed", H5P_DEFAULT) : -1;
        if (a < 0 || H5Aread(a, H5T_NATIVE_ULLONG, &seed) < 0)
            rc = sim_err_set(SIM_EINPUT, "%s: no seed attribute", in[0]);
        if (a >= 0)
            H5Aclose(a);
        if (f >= 0)
            H5Fclose(f);
    }
    sweep sw;
    if (rc == SIM_OK)
        rc = strcmp(kind, "sweep") == 0 ? sweep_load(path, &sw) : sweep_single(&sw, path);
    if (rc == SIM_OK) {
        batch_opts b = { .sw = &sw, .ov = ov, .nov = nov, .replications = (long)reps, .have_seed = 1, .seed = seed,
                         .quiet = 1, .output = out, .merge = in, .nmerge = nin, .independent_streams = indep > 0,
                         .threads = threads, .force = force };
        code = batch_run(&b);
        sweep_free(&sw);
    } else {
        code = cli_fail(rc);
    }
    free(kind);
    free(path);
    free(ovtext);
    free(seedtext);
    free(in);
    return code;
}
