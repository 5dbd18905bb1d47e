/*
 * anodesim — command-line entry: subcommand dispatch, help and version.
 */
#include <gsl/gsl_errno.h>
#include <hdf5.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "h5out.h"
#include "sim_mpi.h"
#include "sim_err.h"

static const char usage[] =
    "anodesim — discrete-event simulator of the prebaked carbon anode supply chain\n"
    "\n"
    "Usage:\n"
    "  anodesim run SCENARIO.yaml [options]     simulate replications, print a summary\n"
    "  anodesim sweep SWEEP.yaml [options]      run every point of a design (grid, lhs, oat)\n"
    "  anodesim validate SCENARIO.yaml [--set KEY=VALUE ...]\n"
    "                                           check a scenario and print what it holds\n"
    "  anodesim merge -o FINAL.h5 [-t N] SHARD.h5...   combine shard files into the file one run writes\n"
    "  anodesim generate --nodes N -o DIR       write a synthetic scenario of N nodes\n"
    "  anodesim info RESULTS.h5                 describe a results file (complete or partial)\n"
    "  anodesim params                          list every scenario parameter, default and unit\n"
    "  anodesim schema SCENARIO.yaml            list what its results files hold (variables, units)\n"
    "  anodesim version                         print the version (also -V, --version)\n"
    "  anodesim help [COMMAND]                  print this help, or a command's (also COMMAND --help)\n"
    "\n"
    "Options of run and sweep:\n"
    "  -r, --replications N   replications (default: run.replications of the scenario)\n"
    "  -t, --threads N        OpenMP threads (default: all cores; results do not depend on it)\n"
    "  -s, --seed N           master seed (default: run.seed of the scenario)\n"
    "      --set KEY=VALUE    override a scenario value, e.g. --set smelter.reorder_days=15\n"
    "  -y, --year YYYY        year the summary reports (default: the first)\n"
    "      --json             print the summary as JSON instead of a table\n"
    "  -q, --quiet            no progress line\n"
    "  -o, --output FILE.h5   write results (HDF5, netCDF-readable); written as FILE.h5.partial\n"
    "                         and renamed when complete\n"
    "      --resume           continue an interrupted run from FILE.h5.partial\n"
    "      --force            replace an existing FILE.h5 or an interrupted run's partial file\n"
    "      --inputs-anywhere  let tables lie outside their scenario's folder (absolute paths, ..)\n"
    "      --summary-only     keep only the summaries across replications, not each replication\n"
    "      --shard K/N        run only shard K of N of the replications (Slurm arrays: taken from\n"
    "                         SLURM_ARRAY_TASK_ID and ANODESIM_SHARDS=N); writes FILE.shard-K-of-N.h5\n"
    "      --independent-streams  (sweep) give each point its own random streams instead of\n"
    "                         common random numbers\n"
    "\n"
    "Examples:\n"
    "  anodesim run scenarios/china-2024/scenario.yaml\n"
    "  anodesim run scenarios/china-2024/scenario.yaml -r 100 -t 2 --set run.end=2024-12-31\n"
    "  anodesim run scenarios/china-2024/scenario.yaml -r 500 -o results/china.h5\n"
    "  anodesim info results/china.h5\n"
    "  anodesim sweep scenarios/sweeps/volatility-adoption.yaml -o results/sweep.h5\n"
    "  anodesim validate scenarios/china-2024/scenario.yaml\n"
    "\n"
    "Exit codes: 0 success, 1 runtime failure or interruption (a partial results file is kept),\n"
    "2 bad input or usage.\n"
    "Documentation: README.md, docs/scenario-format.md.\n";

/* Each command's own help: what it does, its options, examples. */
typedef struct {
    const char *name, *help;
} command_help;

static const command_help helps[] = {
    { "run", "usage: anodesim run SCENARIO.yaml [options]\n"
             "Simulate replications of one scenario and print a summary of a year; with -o, write every\n"
             "replication and the summaries to an HDF5 results file.  Options: see `anodesim help`\n"
             "(-r, -t, -s, --set, -y, --json, -q, -o, --resume, --force, --summary-only, --shard).\n\n"
             "Examples:\n"
             "  anodesim run scenarios/china-2024/scenario.yaml\n"
             "  anodesim run scenarios/china-2024/scenario.yaml -r 100 --set run.end=2024-12-31 --json\n"
             "  anodesim run scenarios/china-2024/scenario.yaml -r 500 -o results/china.h5\n"
             "  anodesim run scenarios/china-2024/scenario.yaml -r 500 -o results/china.h5 --resume\n" },
    { "sweep", "usage: anodesim sweep SWEEP.yaml [options]\n"
               "Run every point of a design (grid, lhs, oat) over a scenario, with common random numbers\n"
               "unless --independent-streams; the options of run apply.\n\n"
               "Examples:\n"
               "  anodesim sweep scenarios/sweeps/volatility-adoption.yaml -o results/sweep.h5\n"
               "  anodesim sweep scenarios/sweeps/lhs-supply-chain.yaml --shard 3/32 -o results/lhs.h5\n" },
    { "validate", "usage: anodesim validate SCENARIO.yaml [--set KEY=VALUE ...] [--inputs-anywhere]\n"
                  "Check a scenario (every table, every parameter, the network) and print what it holds;\n"
                  "exit 2 with file:line:field on the first problem.\n\n"
                  "Examples:\n"
                  "  anodesim validate scenarios/china-2024/scenario.yaml\n"
                  "  anodesim validate scenarios/china-2024/scenario.yaml --set plant.accept_days=20\n" },
    { "merge", "usage: anodesim merge -o FINAL.h5 [-t THREADS] [--force] SHARD.h5...\n"
               "Combine the shard files of one run or sweep (--shard K/N) into the file a single run\n"
               "writes, checking that they belong together and hold every task.\n\n"
               "Examples:\n"
               "  anodesim merge -o results/lhs.h5 results/lhs.shard-*-of-32.h5\n"
               "  anodesim merge -t 8 -o results/lhs.h5 results/lhs.shard-*-of-32.h5\n" },
    { "generate", "usage: anodesim generate --nodes N -o DIR\n"
                  "Write a synthetic scenario of about N nodes (for scaling tests) into DIR.\n\n"
                  "Example:\n"
                  "  anodesim generate --nodes 10000 -o /tmp/big && anodesim validate /tmp/big/scenario.yaml\n" },
    { "info", "usage: anodesim info [--json] RESULTS.h5\n"
              "Describe a results file: status (complete, partial, being written), scenario, points,\n"
              "replications done, horizon, provenance and variables; --json prints one object.\n\n"
              "Examples:\n"
              "  anodesim info results/china.h5\n"
              "  anodesim info --json results/china.h5.partial\n" },
    { "params", "usage: anodesim params [--json]\n"
                "List every scenario parameter with its default, range, unit and meaning (markdown, or\n"
                "JSON with --json); any of them can be set in a scenario or with --set SECTION.NAME=VALUE.\n\n"
                "Examples:\n"
                "  anodesim params\n"
                "  anodesim params --json\n" },
    { "schema", "usage: anodesim schema SCENARIO.yaml [--set KEY=VALUE ...]\n"
                "Print what a results file of the scenario holds: its dimensions, coordinates and\n"
                "variables with units, cell_methods and summaries (markdown; docs/results-format.md\n"
                "holds the default scenario's).\n\n"
                "Examples:\n"
                "  anodesim schema scenarios/china-2024/scenario.yaml\n" },
    { "version", "usage: anodesim version   (also -V, --version)\n"
                 "Print the version, the source revision and whether this build has MPI.\n" },
    { "help", "usage: anodesim help [COMMAND]\n"
              "Print the general help, or a command's.\n" },
};
#define NCOMMANDS ((int)(sizeof helps / sizeof helps[0]))

static const command_help *find_help(const char *name)
{
    for (int i = 0; i < NCOMMANDS; i++)
        if (strcmp(helps[i].name, name) == 0)
            return &helps[i];
    return NULL;
}

/* "anodesim: unknown command 'X' (...)" with the list and a suggestion. */
static int unknown_command(const char *cmd)
{
    const char *names[NCOMMANDS];
    for (int i = 0; i < NCOMMANDS; i++)
        names[i] = helps[i].name;
    const char *near = scn_nearest(cmd, names, NCOMMANDS);
    char near_text[64] = "";
    if (near)
        snprintf(near_text, sizeof near_text, "did you mean %s? ", near);
    fprintf(stderr, "anodesim: unknown command '%s' (%sexpected run, sweep, validate, merge, generate, info, params, "
                    "version or help)\n", cmd, near_text);
    return 2;
}

static void print_version(void)
{
    printf("anodesim %s (revision %s), %s\n", ANODESIM_VERSION, ANODESIM_GIT_REV,
           sim_mpi_enabled() ? "with MPI" : "without MPI");
}

int cli_fail(int status)
{
    fprintf(stderr, "anodesim: %s\n", sim_err_msg()[0] ? sim_err_msg() : sim_err_name(status));
    return sim_err_exit_code(status);
}

int cli_parse_set(char *arg, scn_override *ov)
{
    char *eq = strchr(arg, '=');
    if (!eq || eq == arg) {
        fprintf(stderr, "anodesim: --set needs KEY=VALUE, got '%s'\n", arg);
        return -1;
    }
    *eq = '\0';
    ov->key = arg;
    ov->value = eq + 1;
    return 0;
}

static int dispatch(int argc, char **argv);

int main(int argc, char **argv)
{
    /* Past a file-size limit (ulimit -f) a write should fail with EFBIG and
     * a clear message, not kill the process half-way through a file. */
    signal(SIGXFSZ, SIG_IGN);
    /* Replication results (0.5-3 MB each) are allocated and freed all the
     * time; above glibc's default threshold each would be a fresh mmap,
     * zeroed page by page by the kernel.  Keep them in the heap. */
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    /* GSL's default error handler aborts (on a failed allocation, say);
     * every GSL call here checks its result, so report errors instead. */
    gsl_set_error_handler_off();
    mallopt(M_TRIM_THRESHOLD, 128 << 20);
    /* HDF5 1.10 crashes at exit when a file failed to close (full disk):
     * the process is ending anyway, so skip its exit-time clean-up. */
    H5dont_atexit();
    /* HDF5 keeps freed blocks on its own free lists (up to tens of MB by
     * default); small limits keep memory flat over long runs. */
    H5set_free_list_limits(256 << 10, 64 << 10, 256 << 10, 64 << 10, 1 << 20, 256 << 10);
    if (sim_mpi_init(&argc, &argv) != SIM_OK) {
        fprintf(stderr, "anodesim: %s\n", sim_err_msg());
        return 1;
    }
    int code = dispatch(argc, argv);
    sim_mpi_finalize();
    return code;
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        if (argc > 2 && strcmp(cmd, "help") == 0) {
            const command_help *h = find_help(argv[2]);
            if (!h)
                return unknown_command(argv[2]);
            fputs(h->help, stdout);
            return 0;
        }
        fputs(usage, stdout);
        return 0;
    }
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        print_version();
        return 0;
    }
    /* COMMAND --help (or -h) anywhere: that command's help, exit 0. */
    const command_help *h = find_help(cmd);
    for (int i = 2; h && i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(h->help, stdout);
            return 0;
        }
    if (strcmp(cmd, "params") == 0) {
        int json = argc == 3 && strcmp(argv[2], "--json") == 0;
        if (argc > 2 && !json) {
            fprintf(stderr, "anodesim: params takes only --json, got '%s'\n", argv[2]);
            return 2;
        }
        if (json) {
            scn_params_list_json(stdout);
            return 0;
        }
        printf("| parameter | default | unit | meaning |\n|---|---|---|---|\n");
        scn_params_markdown(stdout);
        return 0;
    }
    if (strcmp(cmd, "info") == 0) {
        int json = argc == 4 && (strcmp(argv[2], "--json") == 0 || strcmp(argv[3], "--json") == 0);
        const char *file = json ? (strcmp(argv[2], "--json") == 0 ? argv[3] : argv[2]) : argc == 3 ? argv[2] : NULL;
        if (!file || (file[0] == '-' && file[1])) {
            fprintf(stderr, "anodesim: info needs one results file, and optionally --json (see anodesim help info)\n");
            return 2;
        }
        int rc = h5o_info(file, stdout, json);
        return rc == SIM_OK ? 0 : cli_fail(rc == SIM_EIO ? SIM_EINPUT : rc);
    }
    if (strcmp(cmd, "run") == 0)
        return cli_run(argc - 1, argv + 1);
    if (strcmp(cmd, "merge") == 0)
        return cli_merge(argc - 1, argv + 1);
    if (strcmp(cmd, "generate") == 0)
        return cli_generate(argc - 1, argv + 1);
    if (strcmp(cmd, "sweep") == 0)
        return cli_sweep(argc - 1, argv + 1);
    if (strcmp(cmd, "validate") == 0)
        return cli_validate(argc - 1, argv + 1);
    if (strcmp(cmd, "schema") == 0)
        return cli_schema(argc - 1, argv + 1);
    return unknown_command(cmd);
}
