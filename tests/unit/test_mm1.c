/* M/M/1 with lambda 0.9, mu 1.0: the mean wait in queue must lie within a
 * 99 % confidence interval of the analytic 9.0.  Waits of successive
 * customers are strongly correlated, so the interval comes from independent
 * replications (each 200,000 customers after which the start-up bias is
 * far below the interval's width), not from the customers of one run. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "check.h"
#include "mm1.h"
#include "sim_err.h"
#include "sim_rng.h"

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
    return check_done("test_mm1");
}
