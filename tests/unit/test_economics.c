/* Prices, costs and markets ([economics]): reversion at volatility 0,
 * calm years and spikes of the fitted process, the recorded history as
 * the start of every path, a unit cost that falls with utilisation,
 * mark-ups that follow regional tightness, export demand that answers
 * the export price. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "tiny.h"
#include "model.h"
#include "sim_err.h"
#include "sim_rng.h"

/* ---- the price process -------------------------------------------------- */

static void identity(double L[3][3])
{
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            L[i][j] = i == j;
}

static void test_reversion_without_volatility(void)
{
    /* With volatility_scale 0 a shock decays, with or without momentum
     * (a small overshoot is allowed, never growth). */
    for (int mom = 0; mom < 2; mom++) {
        scn_price_params p = { 0 };
        p.coke_reversion = 1.0;
        p.coke_momentum = mom ? 0.4 : 0.0;
        p.coke_volatility = 0.3;   /* (unused at scale 0) */
        p.coke_jump_rate = 5;
        p.volatility_scale = 0;
        p.turbulent_rate = 1;
        p.calm_rate = 1;
        p.turbulent_factor = 3;
        double L[3][3];
        identity(L);
        gsl_rng *r = sim_rng_alloc(1, 0, 0, 0);
        price_path st = { { log(1.5), 0, 0, 0 }, { 0 }, 0 };
        double peak_after = 0;
        for (int t = 0; t < 12 * 8; t++) {
            price_step(&st, &p, L, r, 1.0 / 12);
            if (t >= 24)
                peak_after = fmax(peak_after, fabs(st.x[0]));
        }
        CHECK_MSG(fabs(st.x[0]) < 0.01 * log(1.5), "momentum %d: after 8 years %g of a 50 %% shock remains", mom, st.x[0]);
        CHECK_MSG(peak_after < 0.35 * log(1.5), "momentum %d: two years on the deviation is still %g", mom, peak_after);
        CHECK_MSG(st.turbulent == 0, "the regime does not switch without volatility");
        gsl_rng_free(r);
    }
}

/* Load a scenario of the project's library (path under scenarios/);
 * a failed check with the reason otherwise. */
static int load_library(const char *rel, scenario *s)
{
    char path[512];
    snprintf(path, sizeof path, "%s/scenarios/%s", getenv("ANODESIM_ROOT"), rel);
    if (scn_load(path, NULL, 0, s) == SIM_OK)
        return 1;
    CHECK_MSG(0, "load %s: %s", path, sim_err_msg());
    return 0;
}

/* Share of calendar years with max/min of the anode cost proxy at most
 * 1.1, and with a coke rise of 54 % or more within the year, for the
 * default scenario's price parameters. */
static void test_calm_years_and_spikes(void)
{
    scenario s;
    if (!load_library("china-2024/scenario.yaml", &s))
        return;
    const scn_price_params *p = &s.prices;
    model_def d;   /* (for its Cholesky factor of the price shocks) */
    if (model_def_init(&d, &s) != SIM_OK) {
        CHECK_MSG(0, "def: %s", sim_err_msg());
        scn_free(&s);
        return;
    }
    const double (*L)[3] = (const double (*)[3])d.chol;
    gsl_rng *r = sim_rng_alloc(11, 0, 0, 0);
    price_path st = { { 0 }, { 0 }, 0 };
    for (int t = 0; t < 240; t++)
        price_step(&st, p, L, r, 1.0 / 12);
    const int years = 3000;
    int calm = 0, spike = 0;
    double prev_ret = 0, sum_rr = 0, sum_r2 = 0;
    for (int y = 0; y < years; y++) {
        double lo = HUGE_VAL, hi = 0, cmin = HUGE_VAL, rise = 1;
        for (int mth = 0; mth < 12; mth++) {
            double before = st.x[0];
            price_step(&st, p, L, r, 1.0 / 12);
            double ret = st.x[0] - before;
            sum_rr += ret * prev_ret;
            sum_r2 += ret * ret;
            prev_ret = ret;
            /* Anode cost moves about 0.52 with coke and 0.19 with pitch
             * (the default recipe and prices). */
            double a = 0.52 * exp(st.x[0]) + 0.19 * exp(st.x[1]) + 0.29;
            lo = fmin(lo, a), hi = fmax(hi, a);
            double coke = exp(st.x[0]);
            cmin = fmin(cmin, coke);
            rise = fmax(rise, coke / cmin);
        }
        calm += hi / lo <= 1.1;
        spike += rise >= 1.54;
    }
    double fc = (double)calm / years, fs = (double)spike / years, ac = sum_rr / sum_r2;
    printf("  price process: calm years %.1f %%, coke +54 %% years %.1f %%, lag-1 autocorrelation of returns %.2f\n",
           100 * fc, 100 * fs, ac);
    CHECK_MSG(fc > 0.15 && fc < 0.6, "calm years %.1f %% (expected 15-60 %%: 2024 was one)", 100 * fc);
    CHECK_MSG(fs > 0.05 && fs < 0.3, "coke +54 %% years %.1f %% (expected 5-30 %%: early 2025 was one)", 100 * fs);
    CHECK_MSG(ac > 0.1, "returns have memory: lag-1 autocorrelation %.2f", ac);
    gsl_rng_free(r);
    model_def_free(&d);
    scn_free(&s);
}

/* ---- tiny scenarios ----------------------------------------------------- */

/* Plants (X, linked to supplies, S and the port; others: write links.csv
 * after); smelter S of al_tpy; a port Q and an
 * export market M with the given elasticity; `extra` appended to the
 * scenario file. */
static void econ_write(const char *plants, double al_tpy, double elasticity, double market_tpy, const char *extra,
                       const char *end)
{
    put("scenario.yaml",
        "name: econ\n"
        "run:\n  seed: 5\n  replications: 2\n  start: 2025-01-01\n  end: %s\n  warmup_days: 180\n"
        "tables:\n  suppliers: suppliers.csv\n  plants: plants.csv\n  smelters: smelters.csv\n  ports: ports.csv\n"
        "  markets: markets.csv\n  links: links.csv\n  price_history: history.csv\n"
        "classes:\n  - name: std\n    energy_gj_per_t: 3\n    conversion_per_t: 300\n    fixed_per_year_t: 300\n"
        "    baking_loss: 0.05\n"
        "prices:\n  volatility_scale: 0\n"
        "%s",
        end, extra);
    put("suppliers.csv", "id,commodity,region,capacity_tpy,price\nC,cpc,A,1e9,3000\nP,pitch,A,1e9,4500\n");
    put("plants.csv", "%s", plants);
    put("smelters.csv", "id,region,al_tpy\nS,A,%g\n", al_tpy);
    put("ports.csv", "id,region\nQ,A\n");
    put("markets.csv", "id,region,demand_tpy,growth_per_year,price_elasticity\nM,World,%g,0,%g\n", market_tpy,
        elasticity);
    put("links.csv", "from,to,mode,distance_km,lead_days,lead_cv\nC,X,road,10,1,0\nP,X,road,10,1,0\n"
                     "X,S,rail,100,3,0\nX,Q,rail,100,2,0\nQ,M,sea,5000,,0\n");
    put("history.csv", "month,item,price\n2025-01,coke,2000\n2025-02,coke,2000\n");
}

static int econ_run(sim *x, const scn_override *ov, int nov)
{
    if (sim_open(x, ov, nov) != SIM_OK)
        return SIM_EINPUT;
    int rc = model_run(x->m, 0, 0, x->r);
    if (rc != SIM_OK)
        fprintf(stderr, "run: %s\n", sim_err_msg());
    return rc;
}

/* A metric of region `g`'s month k. */
static double rm(const sim *x, int k, const char *region, int metric)
{
    for (int g = 0; g < x->s.nregions; g++)
        if (strcmp(x->s.regions[g], region) == 0)
            return *model_rm(x->r, k, g, metric);
    return NAN;
}

static void test_unit_cost_falls_with_utilisation(void)
{
    /* The same plant serving 40 % or 90 % of its capacity: the fuller
     * one makes anodes cheaper (fixed costs spread), by about what the
     * fixed cost a year per tonne says. */
    double cost[2];
    const double al[2] = { 0.4 * 100000 / 0.475, 0.9 * 100000 / 0.475 };
    for (int i = 0; i < 2; i++) {
        econ_write("id,region,class,capacity_tpy\nX,A,std,100000\n", al[i], 0, 0, "", "2026-12-31");
        sim x;
        CHECK(econ_run(&x, NULL, 0) == SIM_OK);
        double c = 0, n = 0;
        for (int k = 12; k < 24; k++) {
            c += rm(&x, k, "A", RM_COST);
            n += rm(&x, k, "A", RM_PRODUCTION);
        }
        cost[i] = c / n;
        double uc = rm(&x, 18, "A", RM_UNIT_COST);
        CHECK_MSG(uc > 0 && fabs(uc / cost[i] - 1) < 0.05, "unit_cost %g vs production_cost / production %g", uc, cost[i]);
        sim_close(&x);
    }
    double want = 300 / 0.4 - 300 / 0.9;
    CHECK_MSG(cost[0] > cost[1], "unit cost at 40 %% (%g) not above that at 90 %% (%g)", cost[0], cost[1]);
    CHECK_MSG(fabs((cost[0] - cost[1]) / want - 1) < 0.25, "unit cost difference %g vs about %g from fixed costs",
              cost[0] - cost[1], want);
}

static void test_markup_follows_tightness(void)
{
    /* Two regions' plants: X in A serves smelter S at 85 %, Y in B only
     * a small export market.  The busy region quotes a higher mark-up,
     * the idle one margin_min. */
    econ_write("id,region,class,capacity_tpy\nX,A,std,100000\nY,B,std,1000000\n", 0.85 * 100000 / 0.475, 0, 20000,
               "", "2025-12-31");
    put("links.csv", "from,to,mode,distance_km,lead_days,lead_cv\nC,X,road,10,1,0\nP,X,road,10,1,0\n"
                     "C,Y,road,10,1,0\nP,Y,road,10,1,0\nX,S,rail,100,3,0\nY,Q,rail,100,2,0\nQ,M,sea,5000,,0\n");
    sim x;
    CHECK(econ_run(&x, NULL, 0) == SIM_OK);
    double pa = rm(&x, 11, "A", RM_ANODE_PRICE), pb = rm(&x, 11, "B", RM_ANODE_PRICE);
    /* Same costs (same suppliers, class and freight from them): the
     * price ratio is the mark-up ratio. */
    double ua = 0, ub = 0;
    for (int k = 0; k < 12; k++) {
        ua += rm(&x, k, "A", RM_PRODUCTION) / rm(&x, k, "A", RM_CAPACITY) / 12;
        ub += rm(&x, k, "B", RM_PRODUCTION) / rm(&x, k, "B", RM_CAPACITY) / 12;
    }
    CHECK_MSG(ua > 0.8 && ub < 0.1, "utilisation A %g, B %g", ua, ub);
    const scn_plant_params *pp = &x.s.plant;
    double ma = pp->margin + pp->margin_slope * (ua - pp->margin_reference_utilisation);
    double want = (1 + ma) / (1 + pp->margin_min);
    CHECK_MSG(fabs(pa / pb / want - 1) < 0.03, "price ratio busy / idle %g (expected about %g from the mark-up rule)",
              pa / pb, want);
    sim_close(&x);
}

/* Exports in the second year with and without a lasting +55 % coke shock
 * (no reversion) in March of the first. */
static void exports_with_shock(double elasticity, double out[2])
{
    for (int shock = 0; shock < 2; shock++) {
        econ_write("id,region,class,capacity_tpy\nX,A,std,400000\n", 200000, elasticity, 100000,
                   shock ? "  coke_reversion: 0\n"
                           "events:\n  - date: 2025-03-01\n    kind: price_shock\n    item: coke\n    factor: 1.55\n"
                         : "  coke_reversion: 0\n",
                   "2026-12-31");
        sim x;
        CHECK(econ_run(&x, NULL, 0) == SIM_OK);
        out[shock] = 0;
        for (int k = 12; k < 24; k++)
            out[shock] += rm(&x, k, "World", RM_EXPORTS);
        double pr = rm(&x, 18, "World", RM_EXPORT_PRICE);
        CHECK_MSG(pr > 300 && pr < 1500, "export price %g USD/t", pr);
        sim_close(&x);
    }
}

static void test_export_demand_answers_price(void)
{
    double inel[2], el[2];
    exports_with_shock(0.0, inel);
    exports_with_shock(-1.0, el);
    CHECK_MSG(fabs(inel[1] / inel[0] - 1) < 0.02, "elasticity 0: exports %g with the shock vs %g without", inel[1],
              inel[0]);
    CHECK_MSG(el[1] < 0.9 * el[0], "elasticity -1: exports %g with a +55 %% coke shock vs %g without", el[1], el[0]);
    CHECK_MSG(el[1] > 0.6 * el[0], "elasticity -1: exports fell too far (%g vs %g)", el[1], el[0]);
}

static void test_history_starts_every_path(void)
{
    /* Inside an item's history every replication has the recorded path;
     * after its last observation (volatility 1) they part, though another
     * item's record goes on (coke to June, pitch to July). */
    econ_write("id,region,class,capacity_tpy\nX,A,std,100000\n", 100000, 0, 0, "", "2026-12-31");
    put("history.csv", "month,item,price\n2025-01,coke,2000\n2025-06,coke,3000\n2025-07,pitch,4000\n");
    scn_override ov = { "prices.volatility_scale", "1" };
    double first[2][24], pitch[2][24];
    for (int rep = 0; rep < 2; rep++) {
        sim x;
        CHECK(sim_open(&x, &ov, 1) == SIM_OK);
        CHECK(model_run(x.m, 0, rep, x.r) == SIM_OK);
        for (int k = 0; k < 24; k++)
            first[rep][k] = *model_price(x.r, k, PRICE_COKE), pitch[rep][k] = *model_price(x.r, k, PRICE_PITCH);
        sim_close(&x);
    }
    for (int k = 0; k < 6; k++)
        CHECK_MSG(first[0][k] == first[1][k], "month %d: replications differ inside the coke history (%g, %g)", k,
                  first[0][k], first[1][k]);
    for (int k = 0; k < 7; k++)
        CHECK_MSG(pitch[0][k] == pitch[1][k], "month %d: replications differ inside the pitch history (%g, %g)", k,
                  pitch[0][k], pitch[1][k]);
    CHECK_MSG(first[0][6] != first[1][6], "July: coke still pinned after its last observation (June)");
    /* 2025 is the reference year: June is 3000 over the 2025 geometric
     * mean of the path, January 2000 over it; their ratio 1.5. */
    CHECK_MSG(fabs(first[0][5] / first[0][0] - 1.5) < 1e-9, "June over January %g (expected 1.5)",
              first[0][5] / first[0][0]);
    int parted = 0;
    for (int k = 8; k < 24; k++)
        parted |= pitch[0][k] != pitch[1][k];
    CHECK_MSG(parted, "after the history the replications follow one path");
}

static void test_transfers_survive_derived_events(void)
{
    /* The export-restriction scenario sets its own events: the base's
     * Shandong -> Yunnan transfer (transfers:, not events:) stays. */
    scenario s;
    if (!load_library("export-restriction.yaml", &s))
        return;
    int transfers = 0, others = 0;
    for (int i = 0; i < s.nevents; i++) {
        transfers += s.events[i].kind == EVT_SMELTER_TRANSFER;
        others += s.events[i].kind != EVT_SMELTER_TRANSFER;
    }
    CHECK_MSG(transfers == 1 && others >= 1, "derived scenario: %d transfers, %d other events", transfers, others);
    scn_free(&s);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        setenv("ANODESIM_ROOT", argv[1], 1);
    if (tiny_init("econ") != 0)
        return 1;
    test_reversion_without_volatility();
    test_calm_years_and_spikes();
    test_unit_cost_falls_with_utilisation();
    test_markup_follows_tightness();
    test_export_demand_answers_price();
    test_history_starts_every_path();
    test_transfers_survive_derived_events();
    tiny_cleanup();
    (void)tiny_write;
    (void)sim_total;
    return check_done("test_economics");
}
