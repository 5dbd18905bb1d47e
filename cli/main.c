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
    "  anodesim version                         print the version\n"
    "  anodesim help                            print this help\n"
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
        fputs(usage, stdout);
        return 0;
    }
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("anodesim %s (%s)\n", ANODESIM_VERSION, ANODESIM_GIT_REV);
        return 0;
    }
    if (strcmp(cmd, "params") == 0) {
        printf("| parameter | default | unit | meaning |\n|---|---|---|---|\n");
        scn_params_markdown(stdout);
        return 0;
    }
    if (strcmp(cmd, "info") == 0) {
        if (argc != 3) {
            fprintf(stderr, "anodesim: info needs one results file (see anodesim help)\n");
            return 2;
        }
        int rc = h5o_info(argv[2], stdout);
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
    fprintf(stderr, "anodesim: unknown command '%s' (expected run, sweep, validate, info, params, version or help)\n", cmd);
    return 2;
}
