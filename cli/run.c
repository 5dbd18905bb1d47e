/*
 * run.c — `anodesim run`: load a scenario, simulate its replications on
 * all threads, fold each replication into streaming summaries in
 * replication order, and print a one-screen summary (or JSON).
 */
#include <getopt.h>
#include <math.h>
#include <omp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "h5out.h"
#include "model.h"
#include "sim_err.h"
#include "sim_runner.h"
#include "summary.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

typedef struct run_opts {
    const char *scenario;
    long replications;       /* -1: the scenario's */
    int threads;
    int have_seed;
    unsigned long long seed;
    scn_override ov[64];
    int nov;
    int year;                /* 0: first */
    int json, quiet;
    const char *output;      /* results file, NULL for none */
    int resume, summary_only;
} run_opts;

typedef struct run_ctx {
    const scenario *s;
    const model_def *d;
    sum_acc acc;             /* yearly values per replication, see vec_index */
    double *vec;
    double max_balance;      /* largest relative residual seen */
    unsigned long long events;
    long done, total;
    double t_start, last_progress;
    int progress;
    /* results file */
    h5o_file *h5;
    sum_acc monthly, flows, prices, inert;  /* summaries written to the file */
    const long *todo;        /* replication of each task (NULL: task = replication) */
    const unsigned char *have;  /* replications already in a resumed file */
    long next_fold;          /* replications below this are folded */
    model_result *readback;  /* buffer for folding resumed replications */
} run_ctx;

/* Layout of one replication's yearly vector: [year][region or national][metric]. */
static size_t vec_index(const scenario *s, int year, int region, int metric)
{
    return ((size_t)year * (size_t)(s->nregions + 1) + (size_t)region) * RM_NMETRICS + (size_t)metric;
}

static size_t vec_len(const scenario *s)
{
    return (size_t)s->nyears * (size_t)(s->nregions + 1) * RM_NMETRICS;
}

/* Calendar year of each month index. */
static int year_of_month(const scenario *s, int k)
{
    return (s->start_month - 1 + k) / 12;
}

static void fold(run_ctx *c, const model_result *r)
{
    const scenario *s = c->s;
    if (c->h5) {
        sum_acc_add(&c->monthly, r->region_month);
        sum_acc_add(&c->flows, r->od_year);
        sum_acc_add(&c->prices, r->price_month);
        sum_acc_add(&c->inert, r->inert_month);
    }
    memset(c->vec, 0, vec_len(s) * sizeof(double));
    for (int k = 0; k < r->nmonths; k++) {
        int y = year_of_month(s, k);
        for (int g = 0; g < s->nregions; g++)
            for (int mt = 0; mt < RM_NMETRICS; mt++) {
                double v = *model_rm(r, k, g, mt);
                if (mt == RM_ANODE_STOCK) {      /* a level: keep the year's last month */
                    c->vec[vec_index(s, y, g, mt)] = v;
                    continue;
                }
                c->vec[vec_index(s, y, g, mt)] += v;
            }
    }
    for (int y = 0; y < s->nyears; y++)
        for (int g = 0; g < s->nregions; g++)
            for (int mt = 0; mt < RM_NMETRICS; mt++)
                c->vec[vec_index(s, y, s->nregions, mt)] += c->vec[vec_index(s, y, g, mt)];
    sum_acc_add(&c->acc, c->vec);
    for (int b = 0; b < BAL_N; b++) {
        double rel = fabs(r->balance[b]) / r->balance_scale[b];
        if (rel > c->max_balance)
            c->max_balance = rel;
    }
    c->events += r->events;
}

static void progress(run_ctx *c, int final)
{
    double now = omp_get_wtime();
    if (!c->progress || (!final && now - c->last_progress < 0.5))
        return;
    c->last_progress = now;
    double el = now - c->t_start;
    double rate = el > 0 ? c->done / el : 0;
    double left = rate > 0 ? (c->total - c->done) / rate : 0;
    fprintf(stderr, "\r%ld/%ld replications, %.1f/s, %.0f s left   %s", c->done, c->total, rate, left,
            final ? "\n" : "");
    fflush(stderr);
}

/* ---- runner callbacks ---- */

static void *task_scratch(void *ctx)
{
    run_ctx *c = ctx;
    return model_instance_new(c->d);
}

static void task_scratch_free(void *ctx, void *scratch)
{
    (void)ctx;
    model_instance_free(scratch);
}

static long rep_of(const run_ctx *c, long task)
{
    return c->todo ? c->todo[task] : task;
}

/* Fold the replications a resumed file already holds, below `upto`, in
 * replication order, so the summaries are those of an uninterrupted run. */
static int fold_resumed(run_ctx *c, long upto)
{
    for (; c->next_fold < upto; c->next_fold++) {
        if (!c->have || !c->have[c->next_fold])
            continue;
        SIM_CHECK(h5o_read(c->h5, 0, c->next_fold, c->readback));
        fold(c, c->readback);
    }
    return SIM_OK;
}

static int task_run(void *ctx, void *scratch, long task, void **result)
{
    run_ctx *c = ctx;
    long rep = rep_of(c, task);
    model_result *r = model_result_alloc(c->d);
    if (!r)
        return sim_err_set(SIM_ENOMEM, "out of memory for the results of replication %ld", rep);
    int rc = model_run(scratch, 0, rep, r);
    if (rc != SIM_OK) {
        model_result_free(r);
        return rc;
    }
    *result = r;
    return SIM_OK;
}

static int task_consume(void *ctx, long task, void *result)
{
    run_ctx *c = ctx;
    long rep = rep_of(c, task);
    int rc = SIM_OK;
    if (c->h5) {
        rc = fold_resumed(c, rep);
        if (rc == SIM_OK)
            rc = h5o_write(c->h5, result);
        c->next_fold = rep + 1;
    }
    if (rc == SIM_OK)
        fold(c, result);
    model_result_free(result);
    if (rc != SIM_OK)
        return rc;
    c->done++;
    progress(c, 0);
    return SIM_OK;
}

static void task_discard(void *ctx, void *result)
{
    (void)ctx;
    model_result_free(result);
}

/* ---- printing ---- */

static double mean_of(const run_ctx *c, int y, int g, int mt)
{
    return sum_acc_mean(&c->acc, vec_index(c->s, y, g, mt));
}

static double sd_of(const run_ctx *c, int y, int g, int mt)
{
    return sum_acc_sd(&c->acc, vec_index(c->s, y, g, mt));
}

static double he_share(const scenario *s)
{
    double he = 0, all = 0;
    for (int p = 0; p < s->nplants; p++) {
        all += s->plants[p].capacity_tpy;
        if (s->classes[s->plants[p].cls].high_efficiency)
            he += s->plants[p].capacity_tpy;
    }
    return all > 0 ? he / all : 0;
}


typedef struct { int region; double cap; } region_rank;

static int rank_cmp(const void *a, const void *b)
{
    const region_rank *x = a, *y = b;
    if (x->cap != y->cap)
        return x->cap > y->cap ? -1 : 1;
    return x->region - y->region;
}

static void print_table(const run_ctx *c, int y, double wall, int threads)
{
    const scenario *s = c->s;
    int N = s->nregions;
    double cap = mean_of(c, y, N, RM_CAPACITY), out = mean_of(c, y, N, RM_PRODUCTION);
    printf("anodesim %s: scenario '%s', %ld replications, seed %llu, %d threads, %.2f s\n",
           ANODESIM_VERSION, s->name, c->done, (unsigned long long)s->seed, threads, wall);
    printf("Year %d (mean over replications, +- one standard deviation; Mt = million tonnes)\n\n",
           s->start_year + y);
    printf("  capacity            %8.3f Mt   (high-efficiency share %.1f %%)\n", cap / 1e6, 100 * he_share(s));
    printf("  anode output        %8.3f Mt   +- %.3f\n", out / 1e6, sd_of(c, y, N, RM_PRODUCTION) / 1e6);
    printf("  utilisation         %8.1f %%\n", cap > 0 ? 100 * out / cap : 0);
    printf("  domestic use        %8.3f Mt   (%.0f kg anode per t aluminium)\n",
           mean_of(c, y, N, RM_CONSUMPTION) / 1e6, 1000 * s->smelter.anode_per_t_al);
    printf("  exports delivered   %8.3f Mt   +- %.3f\n", mean_of(c, y, N, RM_EXPORTS) / 1e6,
           sd_of(c, y, N, RM_EXPORTS) / 1e6);
    printf("  shortage            %8.3f Mt   (aluminium lost %.1f kt)\n", mean_of(c, y, N, RM_SHORTAGE) / 1e6,
           mean_of(c, y, N, RM_LOST_AL) / 1e3);
    printf("  unit cost           %8.0f %s\n", out > 0 ? mean_of(c, y, N, RM_COST) / out : 0, scn_currency_unit(s));

    region_rank *rk = malloc((size_t)N * sizeof *rk);
    if (!rk)
        return;
    for (int g = 0; g < N; g++)
        rk[g] = (region_rank){ g, mean_of(c, y, g, RM_CAPACITY) + 1e-9 * mean_of(c, y, g, RM_CONSUMPTION) };
    qsort(rk, (size_t)N, sizeof *rk, rank_cmp);
    printf("\n  %-16s %9s %9s %6s %9s %10s %9s\n", "region", "capacity", "output", "util", "use",
           "net out", "shortage");
    int shown = 0;
    for (int i = 0; i < N && shown < 12; i++) {
        int g = rk[i].region;
        double gc = mean_of(c, y, g, RM_CAPACITY), gp = mean_of(c, y, g, RM_PRODUCTION);
        double use = mean_of(c, y, g, RM_CONSUMPTION);
        if (gc <= 0 && use <= 0)
            continue;
        double net = mean_of(c, y, g, RM_SHIP_OUT) - mean_of(c, y, g, RM_SHIP_IN);
        char util[16] = "     -";
        if (gc > 0)
            snprintf(util, sizeof util, "%5.1f%%", 100 * gp / gc);
        printf("  %-16s %9.3f %9.3f %6s %9.3f %+10.3f %9.4f\n", s->regions[g], gc / 1e6, gp / 1e6, util,
               use / 1e6, net / 1e6, mean_of(c, y, g, RM_SHORTAGE) / 1e6);
        shown++;
    }
    printf("  (Mt; net out = anodes sent to other regions and abroad minus received; top %d by capacity)\n",
           shown);
    printf("\n  exports by destination:");
    for (int g = 0; g < N; g++) {
        double ex = mean_of(c, y, g, RM_EXPORTS);
        if (ex > 0)
            printf(" %s %.3f,", s->regions[g], ex / 1e6);
    }
    printf(" Mt\n");
    printf("\n  events %llu (%.2f M/s), mass balance residual at most %.1e of throughput\n", c->events,
           wall > 0 ? c->events / wall / 1e6 : 0, c->max_balance);
    free(rk);
}

static void print_json(const run_ctx *c, int y, double wall, int threads)
{
    const scenario *s = c->s;
    int N = s->nregions;
    printf("{\"scenario\": \"%s\", \"replications\": %ld, \"seed\": %llu, \"threads\": %d, \"wall_s\": %.3f,\n",
           s->name, c->done, (unsigned long long)s->seed, threads, wall);
    printf(" \"year\": %d, \"events\": %llu, \"balance_max_rel\": %.3e, \"high_efficiency_share\": %.6f,\n",
           s->start_year + y, c->events, c->max_balance, he_share(s));
    printf(" \"anode_per_t_al\": %.6f, \"units\": \"t\",\n", s->smelter.anode_per_t_al);
    printf(" \"national\": {");
    for (int mt = 0; mt < RM_NMETRICS; mt++)
        printf("%s\"%s\": {\"mean\": %.6f, \"sd\": %.6f}", mt ? ", " : "", model_region_metrics[mt].name,
               mean_of(c, y, N, mt), sd_of(c, y, N, mt));
    printf("},\n \"regions\": {");
    for (int g = 0; g < N; g++) {
        printf("%s\n  \"%s\": {", g ? "," : "", s->regions[g]);
        for (int mt = 0; mt < RM_NMETRICS; mt++)
            printf("%s\"%s\": %.6f", mt ? ", " : "", model_region_metrics[mt].name, mean_of(c, y, g, mt));
        printf("}");
    }
    printf("}}\n");
}

/* ---- the command ---- */

static int parse(int argc, char **argv, run_opts *o)
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
        { "help", no_argument, 0, 'h' },
        { 0, 0, 0, 0 },
    };
    memset(o, 0, sizeof *o);
    o->replications = -1;
    optind = 1;
    opterr = 0;
    int ch;
    char *end;
    while ((ch = getopt_long(argc, argv, ":r:t:s:y:qo:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'r':
            o->replications = strtol(optarg, &end, 10);
            if (*end || o->replications < 1) {
                fprintf(stderr, "anodesim: --replications needs a whole number >= 1, got '%s'\n", optarg);
                return 2;
            }
            break;
        case 't':
            o->threads = (int)strtol(optarg, &end, 10);
            if (*end || o->threads < 1 || o->threads > 256) {
                fprintf(stderr, "anodesim: --threads needs a whole number from 1 to 256, got '%s'\n", optarg);
                return 2;
            }
            break;
        case 's':
            o->seed = strtoull(optarg, &end, 10);
            if (*end || optarg[0] == '-' || !optarg[0]) {
                fprintf(stderr, "anodesim: --seed needs a whole number >= 0, got '%s'\n", optarg);
                return 2;
            }
            o->have_seed = 1;
            break;
        case 'S':
            if (o->nov == 64) {
                fprintf(stderr, "anodesim: at most 64 --set options\n");
                return 2;
            }
            if (cli_parse_set(optarg, &o->ov[o->nov++]) != 0)
                return 2;
            break;
        case 'y':
            o->year = (int)strtol(optarg, &end, 10);
            if (*end || o->year < 1900 || o->year > 2200) {
                fprintf(stderr, "anodesim: --year needs a year such as 2024, got '%s'\n", optarg);
                return 2;
            }
            break;
        case 'j': o->json = 1; break;
        case 'o': o->output = optarg; break;
        case 'R': o->resume = 1; break;
        case 'M': o->summary_only = 1; break;
        case 'q': o->quiet = 1; break;
        case 'h':
            printf("usage: anodesim run SCENARIO.yaml [-r N] [-t N] [-s SEED] [--set KEY=VALUE]... [-y YEAR]\n"
                   "                    [-o FILE.h5 [--resume] [--summary-only]] [--json] [-q]\n"
                   "(see anodesim help)\n");
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
        fprintf(stderr, "anodesim: run needs exactly one scenario file (see anodesim help)\n");
        return 2;
    }
    o->scenario = argv[optind];
    if ((o->resume || o->summary_only) && !o->output) {
        fprintf(stderr, "anodesim: --resume and --summary-only need --output FILE\n");
        return 2;
    }
    return 0;
}

/* Open the results file (fresh or resumed) and the summaries it needs;
 * fills c->todo with the replications still to run. */
static int open_output(run_ctx *c, const run_opts *o, int threads, long **todo, long *ntodo)
{
    const scenario *s = c->s;
    h5o_options ho = { .path = o->output, .npoints = 1, .nreps = s->replications,
                       .store_replications = !o->summary_only, .threads = threads, .ranks = 1 };
    size_t nm = (size_t)s->nmonths * (size_t)s->nregions * RM_NMETRICS;
    size_t nf = (size_t)s->nyears * (size_t)s->nregions * (size_t)s->nregions;
    SIM_CHECK(sum_acc_init(&c->monthly, nm, 5, h5o_quantiles));
    SIM_CHECK(sum_acc_init(&c->flows, nf, 0, NULL));
    SIM_CHECK(sum_acc_init(&c->prices, (size_t)s->nmonths * PRICE_N, 5, h5o_quantiles));
    SIM_CHECK(sum_acc_init(&c->inert, (size_t)s->nmonths * (size_t)s->nregions, 5, h5o_quantiles));
    *todo = NULL;
    *ntodo = s->replications;
    if (!o->resume)
        return h5o_create(&c->h5, s, c->d, &ho);
    h5o_done done;
    int rc = h5o_open_resume(&c->h5, s, c->d, &ho, &done);
    if (rc == SIM_ENOTFOUND) {
        if (access(o->output, F_OK) == 0)
            return SIM_ENOTFOUND;    /* complete already: the caller says so */
        fprintf(stderr, "anodesim: no partial results at %s: starting a new run\n", h5o_partial_name(o->output));
        return h5o_create(&c->h5, s, c->d, &ho);
    }
    SIM_CHECK(rc);
    fprintf(stderr, "anodesim: resuming %s: %ld of %ld replications already done\n",
            h5o_partial_name(o->output), done.completed, done.total);
    long *list = malloc(((size_t)(done.total - done.completed) + 1) * sizeof *list);
    c->readback = model_result_alloc(c->d);
    if (!list || !c->readback) {
        free(list);
        free(done.mask);
        return sim_err_set(SIM_ENOMEM, "out of memory");
    }
    long n = 0;
    for (long r = 0; r < done.total; r++)
        if (!done.mask[r])
            list[n++] = r;
    c->have = done.mask;
    *todo = list;
    *ntodo = n;
    return SIM_OK;
}

int cli_run(int argc, char **argv)
{
    run_opts o;
    int prc = parse(argc, argv, &o);
    if (prc != 0)
        return prc < 0 ? 0 : prc;
    scenario s;
    int rc = scn_load(o.scenario, o.ov, o.nov, &s);
    if (rc != SIM_OK)
        return cli_fail(rc);
    if (o.replications > 0)
        s.replications = o.replications;
    if (o.have_seed)
        s.seed = o.seed;
    int y = o.year ? o.year - s.start_year : 0;
    if (y < 0 || y >= s.nyears) {
        fprintf(stderr, "anodesim: --year %d lies outside the horizon %d-%d\n", o.year, s.start_year,
                s.start_year + s.nyears - 1);
        scn_free(&s);
        return 2;
    }
    model_def d;
    rc = model_def_init(&d, &s);
    if (rc != SIM_OK) {
        scn_free(&s);
        return cli_fail(rc);
    }
    run_ctx c = { .s = &s, .d = &d, .total = s.replications };
    rc = sum_acc_init(&c.acc, vec_len(&s), 0, NULL);
    c.vec = malloc(vec_len(&s) * sizeof(double));
    if (rc == SIM_OK && !c.vec)
        rc = sim_err_set(SIM_ENOMEM, "out of memory");
    int threads = o.threads ? o.threads : omp_get_max_threads();
    long *todo = NULL, ntodo = s.replications;
    if (rc == SIM_OK && o.output) {
        rc = open_output(&c, &o, threads, &todo, &ntodo);
        if (rc == SIM_ENOTFOUND) {
            printf("%s is already complete: nothing to resume\n", o.output);
            free(c.vec);
            sum_acc_free(&c.acc);
            sum_acc_free(&c.monthly);
            sum_acc_free(&c.flows);
            sum_acc_free(&c.prices);
            sum_acc_free(&c.inert);
            model_def_free(&d);
            scn_free(&s);
            return 0;
        }
    }
    c.todo = todo;
    c.total = ntodo;
    c.progress = !o.quiet && isatty(2);
    c.t_start = omp_get_wtime();
    struct sigaction sa = { .sa_handler = on_signal };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    if (rc == SIM_OK) {
        sim_runner_spec spec = {
            .ntasks = ntodo, .nthreads = threads, .ctx = &c,
            .scratch_new = task_scratch, .scratch_free = task_scratch_free,
            .run_task = task_run, .consume = task_consume, .discard = task_discard,
            .cancel = &interrupted,
        };
        rc = sim_runner_run(&spec, NULL);
    }
    if (rc == SIM_OK && c.h5)
        rc = fold_resumed(&c, s.replications);
    double wall = omp_get_wtime() - c.t_start;
    progress(&c, 1);
    if (c.h5) {
        if (rc == SIM_OK) {
            h5o_summaries sm = { &c.monthly, &c.flows, &c.prices, &c.inert };
            rc = h5o_finish(c.h5, &sm, wall, c.events);
        } else if (rc == SIM_EINTR) {
            h5o_abort(c.h5, 1);
            sim_err_set(SIM_EINTR, "interrupted: %ld of %ld replications kept in %s; finish with the same command and --resume",
                        c.done + (s.replications - ntodo), s.replications, h5o_partial_name(o.output));
        } else {
            h5o_abort(c.h5, 0);
        }
        c.h5 = NULL;
    }
    if (rc == SIM_OK) {
        if (o.json)
            print_json(&c, y, wall, threads);
        else
            print_table(&c, y, wall, threads);
        if (o.output && !o.json)
            printf("\n  results: %s\n", o.output);
    }
    int code = rc == SIM_OK ? 0 : cli_fail(rc);
    free(todo);
    free((void *)c.have);
    model_result_free(c.readback);
    sum_acc_free(&c.monthly);
    sum_acc_free(&c.flows);
    sum_acc_free(&c.prices);
    sum_acc_free(&c.inert);
    free(c.vec);
    sum_acc_free(&c.acc);
    model_def_free(&d);
    scn_free(&s);
    return code;
}
