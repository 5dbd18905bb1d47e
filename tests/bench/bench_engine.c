/*
 * anodesim-bench — engine throughput figures (`scripts/bench engine`).
 *
 *   mm1      one M/M/1 run (lambda 0.9, mu 1.0, 1,000,000 customers)
 *   hold     the classic hold model: n pending events, each step pops the
 *            first and schedules one exp(1) later; n = 10^3 and 10^5
 *   parallel 100 independent M/M/1 trials through the replication runner
 *            on 1 thread and then on every thread; throughput per thread
 *
 * Prints a table (or JSON with --json).  Figures only: nothing here is a
 * test and nothing fails on a slow machine.
 */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm1.h"
#include "sim_err.h"
#include "sim_rng.h"
#include "sim_runner.h"

static int json;

static void report(const char *name, double events, double secs, const char *extra)
{
    if (json)
        printf("  {\"bench\": \"%s\", \"events\": %.0f, \"seconds\": %.6f, "
               "\"events_per_s\": %.0f%s%s}", name, events, secs, events / secs,
               extra[0] ? ", " : "", extra);
    else
        printf("%-28s %14.0f events %9.3f s %12.2f Mev/s %s\n", name, events,
               secs, events / secs / 1e6, extra);
}

static int bench_mm1(void)
{
    sim_engine eng;
    SIM_CHECK(sim_engine_init(&eng, NULL, 0));
    gsl_rng *rng = sim_rng_alloc(1, 0, 0, 0);
    mm1_params p = { 0.9, 1.0, 1000000 };
    mm1_result r;
    /* one warm-up run so that page faults and the pool's growth are not timed */
    int rc = mm1_run(&p, rng, &eng, &r);
    double t0 = omp_get_wtime();
    if (rc == SIM_OK)
        rc = mm1_run(&p, rng, &eng, &r);
    double dt = omp_get_wtime() - t0;
    char extra[160];
    snprintf(extra, sizeof extra, json ? "\"mean_wait\": %.4f" : "(mean wait %.3f)", r.mean_wait);
    if (rc == SIM_OK)
        report("mm1 1e6 customers", (double)r.events, dt, extra);
    gsl_rng_free(rng);
    sim_engine_destroy(&eng);
    return rc;
}

static int bench_hold(size_t n, long steps)
{
    sim_queue q;
    SIM_CHECK(sim_queue_init(&q, n));
    gsl_rng *rng = sim_rng_alloc(2, 0, 0, 0);
    for (size_t i = 0; i < n; i++) {
        sim_event ev = { .time = sim_rng_exponential(rng, 1.0) };
        SIM_CHECK(sim_queue_push(&q, &ev, NULL));
    }
    sim_event ev;
    double t0 = omp_get_wtime();
    for (long s = 0; s < steps; s++) {
        sim_queue_pop(&q, &ev);
        ev.time += sim_rng_exponential(rng, 1.0);
        sim_queue_push(&q, &ev, NULL);
    }
    double dt = omp_get_wtime() - t0;
    char name[64];
    snprintf(name, sizeof name, "hold n=%zu", n);
    report(name, (double)steps, dt, json ? "\"unit\": \"hold operations\"" : "(pop+push pairs)");
    gsl_rng_free(rng);
    sim_queue_destroy(&q);
    return SIM_OK;
}

typedef struct {
    long customers;
    uint64_t events;
} par_ctx;

static void *par_new(void *c)
{
    (void)c;
    sim_engine *e = malloc(sizeof *e + 0);
    if (e && sim_engine_init(e, NULL, 0) != SIM_OK) {
        free(e);
        return NULL;
    }
    return e;
}

static void par_free(void *c, void *p)
{
    (void)c;
    sim_engine_destroy(p);
    free(p);
}

static int par_task(void *c, void *p, long task, void **result)
{
    par_ctx *ctx = c;
    gsl_rng *rng = sim_rng_alloc(3, 0, (uint64_t)task, 0);
    if (!rng)
        return sim_err_set(SIM_ENOMEM, "no memory for a generator");
    mm1_params mp = { 0.9, 1.0, ctx->customers };
    mm1_result *r = malloc(sizeof *r);
    int rc = r ? mm1_run(&mp, rng, p, r) : SIM_ENOMEM;
    gsl_rng_free(rng);
    if (rc != SIM_OK) {
        free(r);
        return rc;
    }
    *result = r;
    return SIM_OK;
}

static int par_consume(void *c, long task, void *res)
{
    (void)task;
    par_ctx *ctx = c;
    ctx->events += ((mm1_result *)res)->events;
    free(res);
    return SIM_OK;
}

static int bench_parallel(int threads, double *per_thread)
{
    par_ctx ctx = { 200000, 0 };
    sim_runner_spec spec = {
        .ntasks = 100, .nthreads = threads, .ctx = &ctx,
        .scratch_new = par_new, .scratch_free = par_free,
        .run_task = par_task, .consume = par_consume,
    };
    sim_runner_stats st;
    SIM_CHECK(sim_runner_run(&spec, &st));
    char name[64], extra[128];
    *per_thread = (double)ctx.events / st.wall_s / st.nthreads;
    snprintf(name, sizeof name, "mm1 x100 on %d thread%s", st.nthreads, st.nthreads > 1 ? "s" : "");
    snprintf(extra, sizeof extra, json ? "\"threads\": %d, \"events_per_s_per_thread\": %.0f"
                                       : "(%d threads, %.2f Mev/s per thread)",
             st.nthreads, *per_thread / (json ? 1 : 1e6));
    report(name, (double)ctx.events, st.wall_s, extra);
    return SIM_OK;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else {
            fprintf(stderr, "usage: anodesim-bench [--json]\n");
            return 2;
        }
    }
    int rc;
    if (json)
        printf("[\n");
    int all = omp_get_max_threads();
    double one = 0, many = 0;
    if ((rc = bench_mm1()) != SIM_OK) goto fail;
    if (json) printf(",\n");
    if ((rc = bench_hold(1000, 10000000)) != SIM_OK) goto fail;
    if (json) printf(",\n");
    if ((rc = bench_hold(100000, 10000000)) != SIM_OK) goto fail;
    if (json) printf(",\n");
    if ((rc = bench_parallel(1, &one)) != SIM_OK) goto fail;
    if (json) printf(",\n");
    if ((rc = bench_parallel(all, &many)) != SIM_OK) goto fail;
    if (json)
        printf(",\n  {\"bench\": \"parallel efficiency\", \"threads\": %d, \"efficiency\": %.4f}\n]\n",
               all, many / one);
    else
        printf("%-28s %d threads: per-thread throughput %.1f %% of one thread\n",
               "parallel efficiency", all, 100.0 * many / one);
    return 0;
fail:
    fprintf(stderr, "anodesim-bench: %s\n", sim_err_msg());
    return 1;
}
