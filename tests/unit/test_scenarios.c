/* Monte Carlo scenario behaviour: price process statistics, inert-anode
 * adoption, common random numbers, plant outage availability. */
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "tiny.h"
#include "model.h"
#include "sim_err.h"
#include "sim_rng.h"

/* ---- prices ------------------------------------------------------------ */

static void chol_of(const scn_price_params *p, double L[3][3])
{
    double c[9] = { 1, p->corr_coke_pitch, p->corr_coke_energy, p->corr_coke_pitch, 1, p->corr_pitch_energy,
                    p->corr_coke_energy, p->corr_pitch_energy, 1 };
    gsl_matrix_view mv = gsl_matrix_view_array(c, 3, 3);
    gsl_linalg_cholesky_decomp1(&mv.matrix);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            L[i][j] = j <= i ? gsl_matrix_get(&mv.matrix, (size_t)i, (size_t)j) : 0;
}

static void test_price_diffusion(void)
{
    /* No jumps: the stationary variance is sigma^2 / (2 kappa), the lag-one
     * autocorrelation exp(-kappa dt), and the shocks' correlation rho. */
    scn_price_params p = { 0 };
    p.coke_reversion = 1.5;
    p.coke_volatility = 0.4;
    p.pitch_reversion = 3.0;
    p.pitch_volatility = 0.3;
    p.energy_reversion = 2.0;
    p.energy_volatility = 0.2;
    p.corr_coke_pitch = 0.6;
    p.corr_coke_energy = 0.1;
    p.corr_pitch_energy = 0.2;
    p.volatility_scale = 1.0;
    double L[3][3];
    chol_of(&p, L);
    gsl_rng *r = sim_rng_alloc(5, 0, 0, 0);
    const double dt = 1.0 / 12;
    const int paths = 4000, burn = 60;
    double sxx[3] = { 0 }, sxy[3] = { 0 }, n = 0;
    double dc = 0, dp = 0, dcc = 0, dpp = 0, dcp = 0, nd = 0;
    for (int k = 0; k < paths; k++) {
        price_path st = { { 0 }, { 0 }, 0 };
        double *x = st.x;
        for (int t = 0; t < burn; t++)
            price_step(&st, &p, L, r, dt);
        double prev[3] = { x[0], x[1], x[2] };
        price_step(&st, &p, L, r, dt);
        for (int i = 0; i < 3; i++) {
            sxx[i] += prev[i] * prev[i];
            sxy[i] += prev[i] * x[i];
        }
        n += 1;
        /* Innovations: x - decay * prev, correlated like the shocks. */
        double ic = x[0] - exp(-1.5 * dt) * prev[0], ip = x[1] - exp(-3.0 * dt) * prev[1];
        dc += ic;
        dp += ip;
        dcc += ic * ic;
        dpp += ip * ip;
        dcp += ic * ip;
        nd += 1;
    }
    double var_c = sxx[0] / n, var_p = sxx[1] / n;
    double want_c = 0.4 * 0.4 / (2 * 1.5), want_p = 0.3 * 0.3 / (2 * 3.0);
    /* Sample variance of 4000 normal values: relative sd sqrt(2/4000) = 2.2 %. */
    CHECK_MSG(fabs(var_c / want_c - 1) < 0.09, "coke stationary variance %g vs %g", var_c, want_c);
    CHECK_MSG(fabs(var_p / want_p - 1) < 0.09, "pitch stationary variance %g vs %g", var_p, want_p);
    double ac = sxy[0] / sxx[0], ap = sxy[1] / sxx[1];
    CHECK_MSG(fabs(ac - exp(-1.5 * dt)) < 0.02, "coke autocorrelation %g vs %g", ac, exp(-1.5 * dt));
    CHECK_MSG(fabs(ap - exp(-3.0 * dt)) < 0.02, "pitch autocorrelation %g vs %g", ap, exp(-3.0 * dt));
    double cov = dcp / nd - (dc / nd) * (dp / nd);
    double rho = cov / sqrt((dcc / nd - (dc / nd) * (dc / nd)) * (dpp / nd - (dp / nd) * (dp / nd)));
    CHECK_MSG(fabs(rho - 0.6) < 0.05, "coke-pitch correlation %g vs 0.6", rho);
    gsl_rng_free(r);
}

static void test_price_jumps(void)
{
    /* Only jumps (no diffusion, no reversion): monthly changes are sums of
     * Poisson(lambda dt) jumps of N(mu, sd). */
    scn_price_params p = { 0 };
    p.coke_jump_rate = 3.0;
    p.coke_jump_mean = 0.05;
    p.coke_jump_sd = 0.2;
    p.volatility_scale = 1.0;
    p.corr_coke_pitch = p.corr_coke_energy = p.corr_pitch_energy = 0;
    double L[3][3] = { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };
    gsl_rng *r = sim_rng_alloc(6, 0, 0, 0);
    const int months = 200000;
    const double dt = 1.0 / 12;
    long with_jump = 0;
    double sum = 0, sum2 = 0;
    for (int t = 0; t < months; t++) {
        price_path st = { { 0 }, { 0 }, 0 };
        double *x = st.x;
        price_step(&st, &p, L, r, dt);
        with_jump += x[0] != 0.0;
        sum += x[0];
        sum2 += x[0] * x[0];
    }
    double lam = 3.0 * dt;
    double p_any = 1 - exp(-lam);
    double f = (double)with_jump / months;
    CHECK_MSG(fabs(f - p_any) < 5 * sqrt(p_any * (1 - p_any) / months), "jump frequency %g vs %g", f, p_any);
    /* E[change] = lambda mu, Var = lambda (sd^2 + mu^2). */
    double mean = sum / months, var = sum2 / months - mean * mean;
    CHECK_MSG(fabs(mean - lam * 0.05) < 5 * sqrt(lam * (0.04 + 0.0025) / months), "jump mean %g", mean);
    CHECK_MSG(fabs(var / (lam * (0.04 + 0.0025)) - 1) < 0.05, "jump variance %g vs %g", var, lam * 0.0425);
    gsl_rng_free(r);
}

/* ---- tiny scenarios ----------------------------------------------------- */

/* One plant X feeding smelter S (100,000 t/yr of aluminium in region B). */
static void tiny(const char *plants_csv, const char *yaml_extra, const char *end)
{
    tiny_write(plants_csv, "id,region,al_tpy\nS,B,100000\n",
               "from,to,mode,distance_km,lead_days,lead_cv\nC,X,road,10,1,0\nP,X,road,10,1,0\nX,S,rail,1000,5,0\n",
               yaml_extra, end);
}

static void test_adoption(void)
{
    /* A fixed curve: start 2026, speed 2/yr, ceiling 30 %.  By 2040 the
     * share is at its ceiling; the share is 0 before the start; and the
     * displaced demand is exactly converted capacity x anode use. */
    tiny("id,region,class,capacity_tpy\nX,A,std,200000\n",
         "inert_anodes:\n  - region: B\n    start_year: {dist: fixed, value: 2026}\n"
         "    speed: {dist: fixed, value: 2.0}\n    ceiling: {dist: fixed, value: 0.3}\n",
         "2040-12-31");
    sim x;
    CHECK(sim_open(&x, NULL, 0) == SIM_OK);
    CHECK(model_run(x.m, 0, 0, x.r) == SIM_OK);
    int g = -1;
    for (int i = 0; i < x.s.nregions; i++)
        if (strcmp(x.s.regions[i], "B") == 0)
            g = i;
    int last = x.r->nmonths - 1;
    CHECK_NEAR(*model_inert(x.r, last, g), 0.3, 0.3 * 1e-3);
    CHECK(*model_inert(x.r, 11, g) == 0.0);          /* December 2025 */
    CHECK(*model_inert(x.r, 12, g) > 0.0);           /* January 2026 */
    CHECK_NEAR(*model_inert(x.r, 12, g), 0.3 * 0.01, 1e-9);   /* 1 % of the ceiling at the start */
    /* Demand = use + shortage + displaced = Al x anode use, exactly. */
    double use = sim_total(&x, "B", RM_CONSUMPTION), sh = sim_total(&x, "B", RM_SHORTAGE);
    double disp = sim_total(&x, "B", RM_DISPLACED);
    double days = 0, want_disp = 0;
    for (int k = 0; k < x.r->nmonths; k++) {
        int y = 2025 + k / 12, mo = k % 12;
        static const int md[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
        int leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
        int nd = md[mo] + (mo == 1 && leap);
        double rate = 100000.0 * 0.475 / (leap ? 366.0 : 365.0);
        want_disp += rate * nd * *model_inert(x.r, k, g);
        days += nd;
    }
    CHECK_NEAR(disp, want_disp, 1e-6 * want_disp);
    CHECK_NEAR(use + sh + disp, 100000.0 * 0.475 * 16, 1e-6);
    sim_close(&x);

    /* Drawn parameters: every replication's 2040 share lies in the ceiling's
     * range, and replications differ. */
    tiny("id,region,class,capacity_tpy\nX,A,std,200000\n",
         "inert_anodes:\n  - region: \"*\"\n    start_year: {dist: uniform, min: 2025, max: 2027}\n"
         "    speed: {dist: uniform, min: 1.5, max: 3}\n    ceiling: {dist: uniform, min: 0.1, max: 0.2}\n",
         "2040-12-31");
    CHECK(sim_open(&x, NULL, 0) == SIM_OK);
    double first = -1;
    int differ = 0;
    for (long rep = 0; rep < 5; rep++) {
        CHECK(model_run(x.m, 0, rep, x.r) == SIM_OK);
        double sh2040 = *model_inert(x.r, x.r->nmonths - 1, g);
        CHECK(sh2040 >= 0.1 * 0.999 && sh2040 <= 0.2);
        if (first < 0)
            first = sh2040;
        differ |= sh2040 != first;
    }
    CHECK(differ);
    sim_close(&x);
}

static void test_outages(void)
{
    /* Ten plants, MTBF 50 d, MTTR 10 d: long-run availability 50/60. */
    char plants[2048] = "id,region,class,capacity_tpy\n";
    char links[4096] = "from,to,mode,distance_km,lead_days,lead_cv\n";
    for (int i = 0; i < 10; i++) {
        char row[128];
        snprintf(row, sizeof row, "X%d,A,std,200000\n", i);
        strcat(plants, row);
        snprintf(row, sizeof row, "C,X%d,road,10,1,0\nP,X%d,road,10,1,0\nX%d,S,rail,1000,5,0\n", i, i, i);
        strcat(links, row);
    }
    tiny(plants, "plant:\n  mtbf_days: 50\n  mttr_days: 10\n", "2034-12-31");
    put("links.csv", "%s", links);
    sim x;
    CHECK(sim_open(&x, NULL, 0) == SIM_OK);
    double down = 0, span = 0;
    for (long rep = 0; rep < 4; rep++) {
        CHECK(model_run(x.m, 0, rep, x.r) == SIM_OK);
        for (int y = 0; y < x.r->nyears; y++)
            for (int p = 0; p < 10; p++)
                down += *model_pm(x.r, y, p, PM_DOWN_DAYS);
        span += 10.0 * (x.s.ndays);
    }
    double avail = 1 - down / span;
    CHECK_MSG(fabs(avail - 50.0 / 60.0) < 0.01, "availability %g vs %g", avail, 50.0 / 60.0);
    sim_close(&x);
}

static void test_crn(void)
{
    /* Two close points (aluminium growth 0 vs 1 %/yr): with common random
     * numbers the difference between them varies far less across
     * replications than with independent streams. */
    tiny("id,region,class,capacity_tpy,\nX,A,std,200000,\n", "plant:\n  mtbf_days: 60\n  mttr_days: 8\n", "2027-12-31");
    put("plants.csv", "id,region,class,capacity_tpy\nX,A,std,60000\nY,A,std,60000\n");
    put("links.csv", "from,to,mode,distance_km,lead_days,lead_cv\nC,X,road,10,1,0\nP,X,road,10,1,0\n"
                     "C,Y,road,10,1,0\nP,Y,road,10,1,0\nX,S,rail,1000,5,0.3\nY,S,rail,900,5,0.3\n");
    scn_override a[1] = { { "smelter.butt_ratio", "0.20" } }, b[1] = { { "smelter.butt_ratio", "0.21" } };
    sim xa, xb;
    CHECK(sim_open(&xa, a, 1) == SIM_OK);
    CHECK(sim_open(&xb, b, 1) == SIM_OK);
    const int R = 12;
    double d_crn[12], d_ind[12];
    for (int rep = 0; rep < R; rep++) {
        CHECK(model_run(xa.m, 0, rep, xa.r) == SIM_OK);
        double va = sim_total(&xa, NULL, RM_SHORTAGE);
        CHECK(model_run(xb.m, 0, rep, xb.r) == SIM_OK);
        d_crn[rep] = sim_total(&xb, NULL, RM_SHORTAGE) - va;
        CHECK(model_run(xb.m, 1, rep, xb.r) == SIM_OK);      /* point 1's own streams */
        d_ind[rep] = sim_total(&xb, NULL, RM_SHORTAGE) - va;
    }
    double m1 = 0, m2 = 0, v1 = 0, v2 = 0;
    for (int i = 0; i < R; i++) {
        m1 += d_crn[i] / R;
        m2 += d_ind[i] / R;
    }
    for (int i = 0; i < R; i++) {
        v1 += (d_crn[i] - m1) * (d_crn[i] - m1);
        v2 += (d_ind[i] - m2) * (d_ind[i] - m2);
    }
    printf("variance of the difference: common %g, independent %g\n", v1 / (R - 1), v2 / (R - 1));
    CHECK_MSG(v1 < 0.25 * v2, "CRN variance %g not well below independent %g", v1, v2);
    sim_close(&xa);
    sim_close(&xb);
}

int main(void)
{
    if (tiny_init("test-scen") != 0)
        return 1;
    test_price_diffusion();
    test_price_jumps();
    test_adoption();
    test_outages();
    test_crn();
    tiny_cleanup();
    return check_done("test_scenarios");
}
