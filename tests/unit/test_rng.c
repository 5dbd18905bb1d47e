/* Random streams: keyed by (seed, point, replication, stream) only. */
#include <gsl/gsl_randist.h>

#include "check.h"
#include "sim_rng.h"

static double draw_sum(uint64_t seed, uint64_t point, uint64_t rep, uint64_t stream)
{
    gsl_rng *r = sim_rng_alloc(seed, point, rep, stream);
    double s = 0;
    for (int i = 0; i < 1000; i++)
        s += gsl_rng_uniform(r);
    gsl_rng_free(r);
    return s;
}

int main(void)
{
    /* Same key, same stream, bit for bit. */
    CHECK(draw_sum(1, 2, 3, 4) == draw_sum(1, 2, 3, 4));
    /* Any component changes the stream. */
    double base = draw_sum(1, 2, 3, 4);
    CHECK(draw_sum(2, 2, 3, 4) != base);
    CHECK(draw_sum(1, 3, 3, 4) != base);
    CHECK(draw_sum(1, 2, 4, 4) != base);
    CHECK(draw_sum(1, 2, 3, 5) != base);
    /* Components are not interchangeable (point/rep swapped). */
    CHECK(sim_rng_key(1, 2, 3, 4) != sim_rng_key(1, 3, 2, 4));
    /* The mixing function is the documented SplitMix64 finaliser:
     * reference value of mix(0) from the published algorithm. */
    CHECK(sim_rng_mix(0) == 0xe220a8397b1dcdafULL);

    /* Reseeding reproduces a fresh allocation. */
    gsl_rng *a = sim_rng_alloc(7, 0, 11, 3);
    gsl_rng *b = sim_rng_alloc(99, 0, 0, 0);
    sim_rng_reseed(b, 7, 0, 11, 3);
    int same = 1;
    for (int i = 0; i < 100; i++)
        same &= gsl_rng_get(a) == gsl_rng_get(b);
    CHECK(same);

    /* Uniform moments and an exponential mean, loosely (5 sigma). */
    long n = 1000000;
    double s = 0, s2 = 0, e = 0;
    for (long i = 0; i < n; i++) {
        double u = gsl_rng_uniform(a);
        CHECK(u >= 0.0 && u < 1.0);
        s += u;
        s2 += u * u;
        e += sim_rng_exponential(a, 2.0);
    }
    CHECK_NEAR(s / n, 0.5, 5 * sqrt(1.0 / 12 / n));
    CHECK_NEAR(s2 / n - (s / n) * (s / n), 1.0 / 12, 0.001);
    CHECK_NEAR(e / n, 2.0, 5 * 2.0 / sqrt((double)n));
    /* The ziggurat exponential has the exact tail P(X > x) = exp(-x),
     * including beyond the last layer (x > 7.7). */
    {
        const double xs[] = { 0.01, 0.1, 0.5, 1.0, 2.0, 4.0, 7.0, 8.0, 10.0 };
        long cnt[9] = { 0 };
        long m = 4000000;
        for (long i = 0; i < m; i++) {
            double x = sim_rng_exponential(a, 1.0);
            CHECK(x >= 0.0);
            for (int k = 0; k < 9; k++)
                cnt[k] += x > xs[k];
        }
        for (int k = 0; k < 9; k++) {
            double p = exp(-xs[k]);
            double sdv = sqrt(p * (1 - p) / m);
            CHECK_NEAR((double)cnt[k] / m, p, 5 * sdv + 1e-9);
        }
    }
    /* The ziggurat normal: mean, variance and the exact two-sided tail
     * P(|Z| > x) = erfc(x / sqrt 2), beyond the last layer (3.44) too;
     * both signs equally often. */
    {
        const double xs[] = { 0.05, 0.5, 1.0, 2.0, 3.0, 3.4, 3.5, 4.0, 4.5 };
        long cnt[9] = { 0 }, pos = 0;
        long m = 4000000;
        double sz = 0, sz2 = 0;
        for (long i = 0; i < m; i++) {
            double z = sim_rng_gaussian(a);
            sz += z;
            sz2 += z * z;
            pos += z > 0;
            for (int k = 0; k < 9; k++)
                cnt[k] += fabs(z) > xs[k];
        }
        CHECK_NEAR(sz / m, 0.0, 5.0 / sqrt((double)m));
        CHECK_NEAR(sz2 / m, 1.0, 5.0 * sqrt(2.0 / m));
        CHECK_NEAR((double)pos / m, 0.5, 5.0 * 0.5 / sqrt((double)m));
        for (int k = 0; k < 9; k++) {
            double p = erfc(xs[k] / sqrt(2.0));
            double sdv = sqrt(p * (1 - p) / m);
            CHECK_MSG(fabs((double)cnt[k] / m - p) <= 5 * sdv + 1e-9, "P(|Z| > %g) = %g, expected %g", xs[k],
                      (double)cnt[k] / m, p);
        }
    }
    /* The inline e^x of the lognormal draws: within about one unit in the
     * last place of libm's over the range lead times use and beyond, and
     * exact where it must be. */
    {
        double worst = 0;
        for (long i = 0; i <= 2000000; i++) {
            double x = -40.0 + 80.0 * (double)i / 2000000.0;
            double want = exp(x), got = sim_rng_exp(x);
            double ulp = nextafter(want, INFINITY) - want;
            double d = fabs(got - want) / ulp;
            if (d > worst)
                worst = d;
        }
        CHECK_MSG(worst <= 1.0, "e^x off by %g units in the last place", worst);
        CHECK(sim_rng_exp(0.0) == 1.0);
        CHECK(sim_rng_exp(1.0) == exp(1.0) || fabs(sim_rng_exp(1.0) - exp(1.0)) <= 4.5e-16);
        CHECK(sim_rng_exp(-800.0) == 0.0 && isinf(sim_rng_exp(800.0)));
    }
    /* A bare state seeded like a gsl_rng draws what it draws: the lognormal
     * of the bare state is e^(mu + sigma Z) with the gsl_rng's Z. */
    {
        gsl_rng *r = gsl_rng_alloc(sim_rng_xoshiro);
        sim_rng_state st;
        sim_rng_reseed(r, 11, 2, 3, 4);
        sim_rng_state_seed(&st, 11, 2, 3, 4);
        int same = 1;
        for (int i = 0; i < 100000; i++) {
            double want = sim_rng_exp(-0.045 + 0.3 * sim_rng_gaussian(r));
            same &= sim_rng_state_lognormal(&st, 0.3, -0.045) == want;
        }
        CHECK_MSG(same, "bare-state lognormal draws differ from the gsl_rng's");
        gsl_rng_free(r);
    }
    /* GSL distributions work on the custom type. */
    double g = 0;
    for (long i = 0; i < 100000; i++)
        g += gsl_ran_gaussian(a, 1.0);
    CHECK_NEAR(g / 100000, 0.0, 5.0 / sqrt(100000.0));
    /* Distinct replications are uncorrelated (sample correlation near 0). */
    gsl_rng *r1 = sim_rng_alloc(5, 0, 1, 0), *r2 = sim_rng_alloc(5, 0, 2, 0);
    double sxy = 0, sx = 0, sy = 0;
    for (long i = 0; i < 100000; i++) {
        double x = gsl_rng_uniform(r1), y = gsl_rng_uniform(r2);
        sx += x; sy += y; sxy += x * y;
    }
    double cov = sxy / 100000 - (sx / 100000) * (sy / 100000);
    CHECK_NEAR(cov / (1.0 / 12), 0.0, 5.0 / sqrt(100000.0));
    gsl_rng_free(a);
    gsl_rng_free(b);
    gsl_rng_free(r1);
    gsl_rng_free(r2);
    return check_done("test_rng");
}
