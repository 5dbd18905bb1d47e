/* M/M/1 with lambda 0.9, mu 1.0: the mean wait in queue must lie within a
 * 99 % confidence interval of the analytic 9.0.  Waits of successive
 * customers are strongly correlated, so the interval comes from independent
 * replications (each 200,000 customers after which the start-up bias is
 * far below the interval's width), not from the customers of one run.
 * Also the engine's lookahead hint and its stop for a model that loops at
 * one instant. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <string.h>

#include "check.h"
#include "mm1.h"
#include "sim_err.h"
#include "sim_rng.h"

/* Lookahead: each event is handled after the hint about the one after
 * it; the log interleaves handled events and hints. */
typedef struct {
    int n;
    int log[16][3];   /* kind (0 handled, 1 hint), type, target */
} look_log;

static void log_add(look_log *l, int kind, int type, int target)
{
    if (l->n < 16) {
        l->log[l->n][0] = kind;
        l->log[l->n][1] = type;
        l->log[l->n][2] = target;
        l->n++;
    }
}

static int look_handler(sim_engine *e, const sim_event *ev, void *model)
{
    (void)e;
    log_add(model, 0, ev->type, ev->target);
    return SIM_OK;
}

static void look_hint(void *model, unsigned type, int32_t target)
{
    log_add(model, 1, (int)type, target);
}

static void test_lookahead(void)
{
    look_log l = { 0 };
    sim_engine eng;
    CHECK(sim_engine_init(&eng, &l, 0) == SIM_OK);
    CHECK(sim_engine_on(&eng, 1, look_handler) == SIM_OK);
    CHECK(sim_engine_on(&eng, 2, look_handler) == SIM_OK);
    sim_engine_set_lookahead(&eng, look_hint);
    /* One bucket for all three: the hint names an event of the current
     * bucket (most events are; with the default width each of these
     * would have its own). */
    CHECK(sim_queue_set_width(&eng.queue, 100.0) == SIM_OK);
    CHECK(sim_engine_schedule(&eng, 3.0, 0, 1, 33, 0, 0, NULL) == SIM_OK);
    CHECK(sim_engine_schedule(&eng, 1.0, 0, 1, 11, 0, 0, NULL) == SIM_OK);
    CHECK(sim_engine_schedule(&eng, 2.0, 0, 2, 22, 0, 0, NULL) == SIM_OK);
    CHECK(sim_engine_run_until(&eng, 10.0) == SIM_OK);
    const int want[5][3] = { { 1, 2, 22 }, { 0, 1, 11 }, { 1, 1, 33 }, { 0, 2, 22 }, { 0, 1, 33 } };
    CHECK(l.n == 5);
    for (int i = 0; i < 5 && i < l.n; i++)
        CHECK_MSG(l.log[i][0] == want[i][0] && l.log[i][1] == want[i][1] && l.log[i][2] == want[i][2],
                  "entry %d: %d %d %d", i, l.log[i][0], l.log[i][1], l.log[i][2]);
    sim_engine_destroy(&eng);
}

/* A handler that schedules itself at the same instant, for ever (or, at
 * time 5, a few times before the clock moves on). */
static int again_handler(sim_engine *e, const sim_event *ev, void *model)
{
    int *left = model;
    if (ev->time < 5.0)
        return sim_engine_schedule(e, e->now, 0, 1, 0, 0, 0, NULL);
    if (*left > 0) {
        (*left)--;
        return sim_engine_schedule(e, e->now, 0, 1, 0, 0, 0, NULL);
    }
    return SIM_OK;
}

static void test_same_instant(void)
{
    int left = 900;
    sim_engine eng;
    CHECK(sim_engine_init(&eng, &left, 0) == SIM_OK);
    CHECK(sim_engine_on(&eng, 1, again_handler) == SIM_OK);
    eng.max_same_instant = 1000;
    eng.instant_check_mask = 63;
    /* 900 more at time 5 pass; the loop at time 1 stops with an error. */
    CHECK(sim_engine_schedule(&eng, 5.0, 0, 1, 0, 0, 0, NULL) == SIM_OK);
    CHECK(sim_engine_run_until(&eng, 10.0) == SIM_OK);
    CHECK(left == 0);
    CHECK(sim_engine_schedule(&eng, 11.0, 0, 1, 0, 0, 0, NULL) == SIM_OK);
    CHECK(sim_engine_run_until(&eng, 20.0) == SIM_OK);
    sim_engine_reset(&eng);
    CHECK(sim_engine_schedule(&eng, 1.0, 0, 1, 0, 0, 0, NULL) == SIM_OK);
    CHECK(sim_engine_run_until(&eng, 10.0) == SIM_ERUNTIME);
    CHECK_MSG(strstr(sim_err_msg(), "without the clock advancing") != NULL, "message: %s", sim_err_msg());
    CHECK_MSG(eng.processed >= 1000 && eng.processed <= 1000 + 64, "stopped after %llu events",
              (unsigned long long)eng.processed);
    sim_engine_destroy(&eng);
}

int main(void)
{
    enum { R = 40 };
    mm1_params p = { 0.9, 1.0, 200000 };
    double means[R];
    sim_engine eng;
    CHECK(sim_engine_init(&eng, NULL, 0) == SIM_OK);
    gsl_rng *rng = gsl_rng_alloc(sim_rng_xoshiro);
    uint64_t events = 0;
    for (int r = 0; r < R; r++) {
        sim_rng_reseed(rng, 2024, 0, (uint64_t)r, 0);
        mm1_result res;
        CHECK(mm1_run(&p, rng, &eng, &res) == SIM_OK);
        CHECK(res.served == p.customers);
        CHECK(res.events == 2 * (uint64_t)p.customers);
        means[r] = res.mean_wait;
        events += res.events;
    }
    double m = gsl_stats_mean(means, 1, R);
    double sd = gsl_stats_sd_m(means, 1, R, m);
    double half = gsl_cdf_tdist_Pinv(0.995, R - 1) * sd / sqrt((double)R);
    double analytic = mm1_analytic_wait(&p);
    printf("mean wait %.4f +- %.4f (99%% CI), analytic %.4f, %llu events\n",
           m, half, analytic, (unsigned long long)events);
    CHECK_NEAR(analytic, 9.0, 1e-12);
    CHECK_MSG(fabs(m - analytic) <= half, "mean %g outside %g +- %g", m, analytic, half);
    /* The interval is informative, not vacuous. */
    CHECK(half < 0.5);

    /* Bad parameters are refused with a message. */
    mm1_params bad = { 0.0, 1.0, 10 };
    mm1_result res;
    CHECK(mm1_run(&bad, rng, &eng, &res) == SIM_EINVAL);

    /* Engine: scheduling in the past is refused; cancel by handle works. */
    sim_engine_reset(&eng);
    sim_handle h;
    eng.now = 5.0;
    CHECK(sim_engine_schedule(&eng, 4.0, 0, 0, 0, 0, 0, NULL) == SIM_EINVAL);
    CHECK(sim_engine_schedule(&eng, NAN, 0, 0, 0, 0, 0, NULL) == SIM_EINVAL);
    CHECK(sim_engine_schedule(&eng, 6.0, 0, 0, 0, 0, 0, &h) == SIM_OK);
    CHECK(sim_engine_cancel(&eng, h) == SIM_OK);
    CHECK(sim_engine_cancel(&eng, h) == SIM_ENOTFOUND);
    CHECK(sim_engine_run_until(&eng, 10.0) == SIM_OK);
    CHECK(eng.processed == 0 && eng.now == 10.0);
    gsl_rng_free(rng);
    sim_engine_destroy(&eng);
    test_lookahead();
    test_same_instant();
    return check_done("test_mm1");
}
