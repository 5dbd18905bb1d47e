/* Invariants of the allocation on tiny networks: each case is a defect
 * the old rules had (found by trying the program), with the check that
 * would have caught it.  No shortage while reachable capacity idles;
 * what is available is used; closures are seen on every leg. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "model.h"
#include "sim_err.h"
#include "tiny.h"

#define DEMAND 47500.0   /* anodes a year for 100,000 t of aluminium at 0.475 t/t */

static int run(sim *x, const scn_override *ov, int nov)
{
    int rc = sim_open(x, ov, nov);
    if (rc == SIM_OK && (rc = model_run(x->m, 0, 0, x->r)) != SIM_OK)
        fprintf(stderr, "run: %s\n", sim_err_msg());
    return rc;
}

static double plant_year(const sim *x, int p, int metric)
{
    return *model_pm(x->r, 0, p, metric);
}

static void test_captive_capped(void)
{
    /* S owns X (20,000 t/yr) and calls off 90 % of its orders there; the
     * old rule sent them whatever X's backlog, and S ran short while the
     * merchant Y (200,000 t/yr) idled.  X takes what it can, Y the rest. */
    tiny_write("id,region,class,capacity_tpy,owner\nX,A,std,20000,S\nY,A,std,200000,\n",
               "id,region,al_tpy,captive_share\nS,B,100000,0.9\n",
               "from,to,mode,distance_km,lead_days,lead_cv\n"
               "C,X,road,10,1,0\nP,X,road,10,1,0\nC,Y,road,10,1,0\nP,Y,road,10,1,0\n"
               "X,S,rail,100,5,0\nY,S,rail,2000,5,0\n", "", "2025-12-31");
    sim x;
    CHECK(run(&x, NULL, 0) == SIM_OK);
    double sh = sim_total(&x, "B", RM_SHORTAGE), px = plant_year(&x, 0, PM_PRODUCTION);
    CHECK_MSG(sh < 0.01 * DEMAND, "shortage %.0f t while Y idled", sh);
    CHECK_MSG(px > 0.9 * 20000 && px < 20000 * 1.001, "captive X made %.0f of its 20,000 t", px);
    CHECK_NEAR(sim_total(&x, NULL, RM_PROD_CAPTIVE), px, 1e-6 * px);
    sim_close(&x);
}

/* S owns X (near) and buys half of its use under contract; Y is a
 * merchant of capacity y_cap, farther away. */
static void contract_case(const char *y_cap)
{
    char plants[200];
    snprintf(plants, sizeof plants, "id,region,class,capacity_tpy,owner\nX,A,std,200000,S\nY,A,std,%s,\n", y_cap);
    tiny_write(plants, "id,region,al_tpy,captive_share\nS,B,100000,0.5\n",
               "from,to,mode,distance_km,lead_days,lead_cv\n"
               "C,X,road,10,1,0\nP,X,road,10,1,0\nC,Y,road,10,1,0\nP,Y,road,10,1,0\n"
               "X,S,rail,100,5,0\nY,S,rail,1000,5,0\n", "", "2025-12-31");
}

static void test_contract_premium(void)
{
    /* The merchant half of S's orders is a contract with merchant Y: with
     * a premium on captive plants Y makes about half of S's use although
     * X is nearer; without one X makes it all.  When Y is too small, X
     * still fills the gap (no shortage while X idles). */
    scn_override prem = { "allocation.captive_premium", "500" };
    sim x;
    contract_case("200000");
    CHECK(run(&x, &prem, 1) == SIM_OK);
    double py = plant_year(&x, 1, PM_PRODUCTION);
    CHECK_MSG(py > 0.4 * DEMAND && py < 0.6 * DEMAND, "with a premium merchant Y made %.0f t of %.0f", py, DEMAND);
    sim_close(&x);
    CHECK(run(&x, NULL, 0) == SIM_OK);
    py = plant_year(&x, 1, PM_PRODUCTION);
    CHECK_MSG(py < 0.05 * DEMAND, "without a premium the farther merchant Y made %.0f t", py);
    sim_close(&x);
    contract_case("10000");
    CHECK(run(&x, &prem, 1) == SIM_OK);
    double sh = sim_total(&x, "B", RM_SHORTAGE);
    CHECK_MSG(sh < 0.01 * DEMAND, "shortage %.0f t while captive X had room", sh);
    CHECK_MSG(plant_year(&x, 0, PM_PRODUCTION) > 0.95 * DEMAND - 10000, "X made %.0f t", plant_year(&x, 0, PM_PRODUCTION));
    sim_close(&x);
}

static void test_capped_link(void)
{
    /* Y is the cheaper plant, but its link to S carries 50 t/d (18,250
     * t/yr); the rest must come from X, not queue on the link. */
    tiny_write("id,region,class,capacity_tpy\nX,A,std,200000\nY,A,std,200000\n",
               "id,region,al_tpy\nS,B,100000\n",
               "from,to,mode,distance_km,lead_days,lead_cv,capacity_tpd\n"
               "C,X,road,10,1,0,\nP,X,road,10,1,0,\nC,Y,road,10,1,0,\nP,Y,road,10,1,0,\n"
               "X,S,rail,2000,5,0,\nY,S,rail,100,5,0,50\n", "", "2025-12-31");
    sim x;
    CHECK(run(&x, NULL, 0) == SIM_OK);
    double sh = sim_total(&x, "B", RM_SHORTAGE);
    double px = plant_year(&x, 0, PM_PRODUCTION), py = plant_year(&x, 1, PM_PRODUCTION);
    CHECK_MSG(sh < 0.01 * DEMAND, "shortage %.0f t with X idle", sh);
    CHECK_MSG(py < 50 * 365 * 1.15 && py > 0.5 * 50 * 365, "Y made %.0f t for a 50 t/d link", py);
    CHECK_MSG(px > DEMAND - 50 * 365 * 1.2, "X made %.0f t", px);
    sim_close(&x);
}

/* Two pitch suppliers (P cheap, P2 dearer); closures from yaml_extra. */
static void pitch_suppliers(const char *yaml_extra)
{
    tiny_write("id,region,class,capacity_tpy\nX,A,std,200000\n", "id,region,al_tpy\nS,B,100000\n",
               "from,to,mode,distance_km,lead_days,lead_cv\n"
               "C,X,road,10,1,0\nP,X,road,10,1,0\nP2,X,road,300,2,0\nX,S,rail,1000,5,0\n", yaml_extra, "2025-12-31");
    put("suppliers.csv", "id,commodity,region,capacity_tpy,price\nC,cpc,A,1e9,3000\nP,pitch,A,1e9,4500\n"
                         "P2,pitch,A,1e9,4800\n");
}

static void test_closed_supplier(void)
{
    /* The cheapest pitch link closes for most of the year: the plant must
     * buy from P2, so closing one link is not the same as closing both. */
    const char *one = "events:\n  - date: 2025-02-01\n    kind: link_closure\n    from: P\n    to: X\n    days: 300\n";
    const char *both = "events:\n  - date: 2025-02-01\n    kind: link_closure\n    from: P\n    to: X\n    days: 300\n"
                       "  - date: 2025-02-01\n    kind: link_closure\n    from: P2\n    to: X\n    days: 300\n";
    sim x;
    pitch_suppliers(one);
    CHECK(run(&x, NULL, 0) == SIM_OK);
    double sh1 = sim_total(&x, "B", RM_SHORTAGE), pr1 = sim_total(&x, NULL, RM_PRODUCTION);
    sim_close(&x);
    pitch_suppliers(both);
    CHECK(run(&x, NULL, 0) == SIM_OK);
    double sh2 = sim_total(&x, "B", RM_SHORTAGE);
    sim_close(&x);
    CHECK_MSG(sh1 < 0.01 * DEMAND, "one pitch link closed: shortage %.0f t (the open supplier was not used)", sh1);
    CHECK_MSG(pr1 > 0.95 * DEMAND, "one pitch link closed: production %.0f t", pr1);
    CHECK_MSG(sh2 > 10 * sh1 + 1000, "both closed: shortage %.0f t, one closed: %.0f t", sh2, sh1);
}

/* Arrivals of anodes: when, and at which node. */
typedef struct {
    int n;
    double t[20000];
    int to[20000];
} arrivals;

static void on_trace(void *ctx, model_trace_kind kind, double time, int com, int from, int to, double qty)
{
    (void)from;
    (void)qty;
    arrivals *a = ctx;
    if (a->n < 20000 && kind == MODEL_TRACE_ARRIVE && com == 2) {
        a->t[a->n] = time;
        a->to[a->n++] = to;
    }
}

/* Plant X to smelter S through four ports: five legs, the fifth Q4 -> S;
 * with `bypass`, also Q3 -> S, dearer. */
static void five_legs(int bypass, const char *yaml_extra)
{
    tiny_write("id,region,class,capacity_tpy\nX,A,std,200000\n", "id,region,al_tpy\nS,B,100000\n", "", "", "2025-12-31");
    put("scenario.yaml",
        "name: five-legs\n"
        "run:\n  seed: 7\n  replications: 1\n  start: 2025-01-01\n  end: 2025-12-31\n  warmup_days: 120\n"
        "tables:\n  suppliers: suppliers.csv\n  plants: plants.csv\n  smelters: smelters.csv\n  ports: ports.csv\n"
        "  links: links.csv\n"
        "classes:\n  - name: std\n    energy_gj_per_t: 3\n    conversion_per_t: 500\n    baking_loss: 0.05\n%s",
        yaml_extra);
    put("ports.csv", "id,region\nQ1,A\nQ2,A\nQ3,B\nQ4,B\n");
    put("links.csv", "from,to,mode,distance_km,lead_days,lead_cv,capacity_tpd,cost_per_t\n"
                     "C,X,road,10,1,0,,\nP,X,road,10,1,0,,\n"
                     "X,Q1,road,50,1,0,,10\nQ1,Q2,sea,500,2,0,,10\nQ2,Q3,sea,500,2,0,,10\nQ3,Q4,sea,500,2,0,,10\n"
                     "Q4,S,road,50,4,0,,10\n%s", bypass ? "Q3,S,road,300,3,0,,200\n" : "");
}

static void test_fifth_leg(void)
{
    /* Q4 -> S closes on 1 June for 40 days.  Cargo already on its way
     * must wait for it (the old model tracked four legs and let it
     * through); with a bypass Q3 -> S, cargo that has not reached Q4
     * goes around it. */
    const char *close = "events:\n  - date: 2025-06-01\n    kind: link_closure\n    from: Q4\n    to: S\n    days: 40\n";
    arrivals *a = calloc(1, sizeof *a);
    sim x;
    five_legs(0, close);
    CHECK(sim_open(&x, NULL, 0) == SIM_OK);
    model_set_trace(x.m, on_trace, a);
    CHECK(model_run(x.m, 0, 0, x.r) == SIM_OK);
    int sn = x.s.smelters[0].node;
    double t0 = x.s.run.warmup_days + 151, t1 = t0 + 40;   /* 1 June is day 151 of 2025 */
    int during = 0, after = 0;
    for (int i = 0; i < a->n; i++) {
        during += a->to[i] == sn && a->t[i] > t0 + 1e-6 && a->t[i] < t1 - 1e-6;
        after += a->to[i] == sn && a->t[i] >= t1 - 1e-6;
    }
    CHECK_MSG(during == 0, "%d anode shipments crossed the closed fifth leg", during);
    CHECK(after > 0);
    sim_close(&x);

    memset(a, 0, sizeof *a);
    five_legs(1, close);
    CHECK(sim_open(&x, NULL, 0) == SIM_OK);
    model_set_trace(x.m, on_trace, a);
    CHECK(model_run(x.m, 0, 0, x.r) == SIM_OK);
    during = 0;
    for (int i = 0; i < a->n; i++)
        during += a->to[i] == sn && a->t[i] > t0 + 1e-6 && a->t[i] < t1 - 1e-6;
    CHECK_MSG(during > 2, "with a bypass, only %d shipments arrived during the closure", during);
    CHECK_MSG(sim_total(&x, "B", RM_SHORTAGE) < 0.01 * DEMAND, "with a bypass: shortage %.0f t",
              sim_total(&x, "B", RM_SHORTAGE));
    sim_close(&x);
    free(a);
}

static void test_outage(const char *src)
{
    /* The default scenario with plants down a third of the time (MTBF 60
     * d, MTTR 30 d): output must reach 90 % of what demand and the
     * capacity left allow (the old rules made 84 %). */
    char path[512];
    snprintf(path, sizeof path, "%s/scenarios/china-2024/scenario.yaml", src);
    scn_override ov[3] = { { "plant.mtbf_days", "60" }, { "plant.mttr_days", "30" }, { "run.end", "2025-12-31" } };
    sim x;
    int rc = scn_load(path, ov, 3, &x.s);
    CHECK(rc == SIM_OK);
    if (rc != SIM_OK)
        return;
    CHECK(model_def_init(&x.d, &x.s) == SIM_OK);
    x.m = model_instance_new(&x.d);
    x.r = model_result_alloc(&x.d);
    for (long rep = 0; rep < 3; rep++) {
        CHECK(model_run(x.m, 0, rep, x.r) == SIM_OK);
        double avail = 0, prod = 0;
        for (int y = 0; y < x.r->nyears; y++)
            for (int p = 0; p < x.s.nplants; p++) {
                double cap = *model_pm(x.r, y, p, PM_CAPACITY);
                avail += cap - *model_pm(x.r, y, p, PM_DOWN_DAYS) * cap / 365.0;
                prod += *model_pm(x.r, y, p, PM_PRODUCTION);
            }
        double demand = sim_total(&x, NULL, RM_DEMAND) + sim_total(&x, NULL, RM_EXPORTS), want = fmin(demand, avail);
        CHECK_MSG(prod >= 0.9 * want, "rep %ld: produced %.0f t of min(demand %.0f, available %.0f)", rep, prod,
                  demand, avail);
    }
    sim_close(&x);
}

/* Anode departures from plants: how many, how many under 100 t. */
typedef struct {
    long n, small;
} departures;

static void on_depart(void *ctx, model_trace_kind kind, double time, int com, int from, int to, double qty)
{
    (void)time, (void)from, (void)to;
    departures *d = ctx;
    if (kind == MODEL_TRACE_DEPART && com == 2) {
        d->n++;
        d->small += qty < 100.0;
    }
}

/* Share of the default scenario's anode shipments in 2025 under 100 t,
 * with allocation.min_lot_t = lot. */
static double sliver_share(const char *src, const char *lot)
{
    char path[512];
    snprintf(path, sizeof path, "%s/scenarios/china-2024/scenario.yaml", src);
    scn_override ov[3] = { { "allocation.min_lot_t", lot }, { "run.start", "2025-01-01" }, { "run.end", "2025-12-31" } };
    sim x;
    departures d = { 0, 0 };
    if (scn_load(path, ov, 3, &x.s) != SIM_OK)
        return NAN;
    CHECK(model_def_init(&x.d, &x.s) == SIM_OK);
    x.m = model_instance_new(&x.d);
    x.r = model_result_alloc(&x.d);
    model_set_trace(x.m, on_depart, &d);
    CHECK(model_run(x.m, 0, 0, x.r) == SIM_OK);
    sim_close(&x);
    return d.n ? (double)d.small / (double)d.n : NAN;
}

static void test_no_slivers(const char *src)
{
    /* An order spread over every plant with a little room left came as
     * slivers: without a lot a fifth of all parts were under 1 % of the
     * order, a sixth of all shipments under 100 t.  With the default lot
     * (1,000 t, or a small plant's campaign) they are rare. */
    double without = sliver_share(src, "0"), with = sliver_share(src, "1000");
    CHECK_MSG(without > 0.05, "without a lot only %.1f %% of shipments under 100 t (the test cannot see slivers)",
              100 * without);
    CHECK_MSG(with < 0.02, "with a 1,000 t lot %.1f %% of shipments are under 100 t", 100 * with);
}

static void test_no_exit_in_warmup(void)
{
    /* X is dearer and never gets an order.  The warm-up (300 days) is no
     * history: X does not exit in it, only once two recorded months have
     * filled its window, and the exit is recorded in the year it happens. */
    tiny_write("id,region,class,capacity_tpy\nX,A,std,200000\nY,A,std,200000\n",
               "id,region,al_tpy\nS,B,100000\n",
               "from,to,mode,distance_km,lead_days,lead_cv\n"
               "C,X,road,10,1,0\nP,X,road,10,1,0\nC,Y,road,10,1,0\nP,Y,road,10,1,0\n"
               "X,S,rail,3000,5,0\nY,S,rail,100,5,0\n", "", "2025-12-31");
    scn_override ov[4] = { { "plant.exit_utilisation", "0.3" }, { "plant.exit_months", "2" },
                           { "run.warmup_days", "300" }, { "plant.exit_rate_per_year", "12" } };
    sim x;
    CHECK(run(&x, ov, 4) == SIM_OK);
    double cap = plant_year(&x, 0, PM_CAPACITY), full = 200000.0;
    CHECK_MSG(plant_year(&x, 0, PM_EXIT) == full && cap > 0.1 * full && cap < 0.25 * full,
              "X: retired %g, capacity %.0f (expected all of it, after two months open)", plant_year(&x, 0, PM_EXIT), cap);
    sim_close(&x);
}

static void test_backorder(void)
{
    /* A plant of 20,000 t/yr for 47,500 t of demand: with lost sales the
     * shortage is lost aluminium; with backorders it is owed, and nothing
     * is lost. */
    tiny_write("id,region,class,capacity_tpy\nX,A,std,20000\n", "id,region,al_tpy\nS,B,100000\n",
               "from,to,mode,distance_km,lead_days,lead_cv\nC,X,road,10,1,0\nP,X,road,10,1,0\nX,S,rail,1000,5,0\n",
               "allocation:\n  backorder: true\n", "2025-12-31");
    sim x;
    CHECK(run(&x, NULL, 0) == SIM_OK);
    CHECK(sim_total(&x, "B", RM_SHORTAGE) > 20000);
    CHECK(sim_total(&x, "B", RM_LOST_AL) == 0.0);
    double owed = *model_rm(x.r, x.r->nmonths - 1, 1, RM_BACKORDER);
    CHECK_MSG(owed > 20000, "backorder at the end %.0f t", owed);
    for (int b = 0; b < BAL_N; b++)
        CHECK(fabs(x.r->balance[b]) <= 1e-9 * x.r->balance_scale[b]);
    sim_close(&x);
}

int main(int argc, char **argv)
{
    if (tiny_init("test-allocation") != 0)
        return 1;
    test_captive_capped();
    test_capped_link();
    test_contract_premium();
    test_closed_supplier();
    test_fifth_leg();
    test_outage(argc > 1 ? argv[1] : ".");
    test_no_slivers(argc > 1 ? argv[1] : ".");
    test_no_exit_in_warmup();
    test_backorder();
    tiny_cleanup();
    return check_done("test_allocation");
}
