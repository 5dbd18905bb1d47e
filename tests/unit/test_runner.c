/* The replication runner: in-order delivery, identical per-replication
 * results with 1 and 2 threads (M/M/1 replications), bounded window, error
 * propagation and cancellation. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mm1.h"
#include "sim_err.h"
#include "sim_rng.h"
#include "sim_runner.h"

typedef struct {
    long customers;
    long order_errors;
    long next_expected;
    double *waits;       /* per task */
    uint64_t *events;
    long fail_at;        /* task that fails, -1 none */
    volatile sig_atomic_t cancel;
    long cancel_after;   /* set cancel after consuming this many */
    atomic_long helps;   /* calls of the help hook */
} ctx_t;

typedef struct {
    sim_engine eng;
    gsl_rng *rng;
} scratch_t;

static void *scratch_new(void *c)
{
    (void)c;
    scratch_t *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->rng = gsl_rng_alloc(sim_rng_xoshiro);
    if (!s->rng || sim_engine_init(&s->eng, NULL, 0) != SIM_OK) {
        free(s);
        return NULL;
    }
    return s;
}

static void scratch_free(void *c, void *p)
{
    (void)c;
    scratch_t *s = p;
    sim_engine_destroy(&s->eng);
    gsl_rng_free(s->rng);
    free(s);
}

static int run_task(void *c, void *scr, long task, void **result)
{
    ctx_t *ctx = c;
    scratch_t *s = scr;
    if (task == ctx->fail_at)
        return sim_err_set(SIM_ERUNTIME, "task %ld failed on purpose", task);
    /* The stream depends on the replication only, never on the thread. */
    sim_rng_reseed(s->rng, 1234, 0, (uint64_t)task, 0);
    mm1_params p = { 0.9, 1.0, ctx->customers + task % 7 * 100 };
    mm1_result *r = malloc(sizeof *r);
    if (!r)
        return SIM_ENOMEM;
    int rc = mm1_run(&p, s->rng, &s->eng, r);
    if (rc != SIM_OK) {
        free(r);
        return rc;
    }
    *result = r;
    return SIM_OK;
}

static int consume(void *c, long task, void *res)
{
    ctx_t *ctx = c;
    mm1_result *r = res;
    if (task != ctx->next_expected)
        ctx->order_errors++;
    ctx->next_expected = task + 1;
    ctx->waits[task] = r->mean_wait;
    ctx->events[task] = r->events;
    free(r);
    if (ctx->cancel_after > 0 && task + 1 >= ctx->cancel_after)
        ctx->cancel = 1;
    return SIM_OK;
}

static void discard(void *c, void *res)
{
    (void)c;
    free(res);
}

static void help(void *c)
{
    ctx_t *ctx = c;
    atomic_fetch_add(&ctx->helps, 1);
}

static int run(ctx_t *ctx, long ntasks, int threads, int window, sim_runner_stats *st)
{
    sim_runner_spec spec = {
        .ntasks = ntasks, .nthreads = threads, .window = window, .ctx = ctx,
        .scratch_new = scratch_new, .scratch_free = scratch_free,
        .run_task = run_task, .consume = consume, .discard = discard, .help = help,
        .cancel = &ctx->cancel,
    };
    return sim_runner_run(&spec, st);
}

static ctx_t make_ctx(long n)
{
    ctx_t c;
    memset(&c, 0, sizeof c);
    c.customers = 2000;
    c.fail_at = -1;
    c.waits = calloc((size_t)n, sizeof *c.waits);
    c.events = calloc((size_t)n, sizeof *c.events);
    return c;
}

int main(void)
{
    const long n = 200;
    sim_runner_stats st;
    ctx_t one = make_ctx(n), two = make_ctx(n), four = make_ctx(n);
    CHECK(run(&one, n, 1, 0, &st) == SIM_OK);
    CHECK(st.consumed == n);
    CHECK(run(&two, n, 2, 3, &st) == SIM_OK);
    CHECK(st.consumed == n && st.nthreads == 2);
    CHECK(run(&four, n, 4, 0, &st) == SIM_OK);
    /* The thread that ran a task is offered the consumer's leftover work
     * after it; the consumer's own (serial) time is reported. */
    CHECK(atomic_load(&four.helps) >= n);
    CHECK(st.consume_s > 0 && st.consume_s < st.wall_s);
    CHECK(one.order_errors == 0 && two.order_errors == 0 && four.order_errors == 0);
    CHECK(memcmp(one.waits, two.waits, n * sizeof(double)) == 0);
    CHECK(memcmp(one.waits, four.waits, n * sizeof(double)) == 0);
    CHECK(memcmp(one.events, two.events, n * sizeof(uint64_t)) == 0);
    /* Replications differ from each other. */
    CHECK(one.waits[0] != one.waits[1]);

    /* A failing task stops the run with its message; only the prefix
     * before it is consumed. */
    ctx_t bad = make_ctx(n);
    bad.fail_at = 50;
    sim_err_clear();
    int rc = run(&bad, n, 2, 0, &st);
    CHECK(rc == SIM_ERUNTIME);
    CHECK(strstr(sim_err_msg(), "task 50 failed") != NULL);
    CHECK(st.consumed == 50);
    CHECK(bad.order_errors == 0);

    /* Cancellation: a gap-free prefix is consumed, then SIM_EINTR. */
    ctx_t can = make_ctx(n);
    can.cancel_after = 30;
    rc = run(&can, n, 2, 0, &st);
    CHECK(rc == SIM_EINTR);
    CHECK(st.consumed >= 30 && st.consumed < n);
    CHECK(can.order_errors == 0);
    for (long i = 0; i < st.consumed; i++)
        CHECK(can.waits[i] == one.waits[i]);

    ctx_t *all[] = { &one, &two, &four, &bad, &can };
    for (int i = 0; i < 5; i++) {
        free(all[i]->waits);
        free(all[i]->events);
    }
    return check_done("test_runner");
}
