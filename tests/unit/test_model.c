/* The supply-chain model on tiny networks whose answers can be computed by
 * hand, and the mass balance on the default scenario. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "model.h"
#include "sim_err.h"
#include "tiny.h"

/* The base network for most tests: plant X in region A, smelter S in B. */
static void tiny(const char *plants, const char *smelters, const char *links, const char *yaml_extra)
{
    tiny_write(plants, smelters, links, yaml_extra, "2025-12-31");
}

static const char *base_links =
    "from,to,mode,distance_km,lead_days,lead_cv\n"
    "C,X,road,10,1,0\nP,X,road,10,1,0\nX,S,rail,1000,5,0\n";

typedef struct {
    int n;
    double t[20000];
    int kind[20000], com[20000];
    double qty[20000];
    int from[20000], to[20000];
} trace_log;

static void tracer(void *ctx, model_trace_kind kind, double time, int com, int from, int to, double qty)
{
    trace_log *l = ctx;
    if (l->n == 20000)
        return;
    l->t[l->n] = time;
    l->kind[l->n] = kind;
    l->com[l->n] = com;
    l->qty[l->n] = qty;
    l->from[l->n] = from;
    l->to[l->n] = to;
    l->n++;
}

static int load_run(sim *x, trace_log *log)
{
    int rc = sim_open(x, NULL, 0);
    if (rc != SIM_OK)
        return rc;
    if (log)
        model_set_trace(x->m, tracer, log);
    rc = model_run(x->m, 0, 0, x->r);
    if (rc != SIM_OK)
        fprintf(stderr, "run: %s\n", sim_err_msg());
    return rc;
}

static void test_constant_demand(void)
{
    /* Al 100,000 t/yr at 0.475 t/t: 47,500 t of anodes in 2025, used at a
     * constant rate; the plant (200,000 t/yr) is never short. */
    tiny("id,region,class,capacity_tpy\nX,A,std,200000\n",
         "id,region,al_tpy\nS,B,100000\n", base_links, "");
    sim x;
    trace_log *log = calloc(1, sizeof *log);
    CHECK(load_run(&x, log) == SIM_OK);
    CHECK_NEAR(sim_total(&x, "B", RM_CONSUMPTION), 47500.0, 1e-6);
    CHECK_NEAR(sim_total(&x, "B", RM_SHORTAGE), 0.0, 1e-9);
    /* Throughput: production equals use plus the change in stocks, exactly. */
    for (int b = 0; b < BAL_N; b++)
        CHECK(fabs(x.r->balance[b]) <= 1e-9 * x.r->balance_scale[b]);
    double prod = sim_total(&x, "A", RM_PRODUCTION);
    CHECK(prod > 40000 && prod < 55000);
    CHECK_NEAR(sim_total(&x, "A", RM_CAPACITY), 200000.0, 1e-6);
    /* Inter-regional flow recorded as shipments out of A into B. */
    CHECK_NEAR(sim_total(&x, "A", RM_SHIP_OUT), sim_total(&x, "B", RM_SHIP_IN), 1e-9);
    CHECK(sim_total(&x, "A", RM_SHIP_OUT) > 40000);

    /* A lead time of 5 days with CV 0 on an unlimited link: every anode
     * shipment arrives exactly 5 days after it leaves (to the rounding of
     * the times). */
    int sn = x.s.smelters[0].node, xn = x.s.plants[0].node;
    /* Shipments of equal size can be on the way at once (a smelter's
     * stock covers the transit): each arrival is matched once, in order. */
    int matched = 0, exact = 1;
    unsigned char *used = calloc((size_t)log->n + 1, 1);
    for (int i = 0; i < log->n; i++) {
        if (log->kind[i] != MODEL_TRACE_DEPART || log->com[i] != 2 || log->to[i] != sn)
            continue;
        for (int j = i + 1; j < log->n; j++)
            if (!used[j] && log->kind[j] == MODEL_TRACE_ARRIVE && log->com[j] == 2 && log->from[j] == xn &&
                log->qty[j] == log->qty[i] && log->t[j] >= log->t[i]) {
                used[j] = 1;
                exact &= fabs(log->t[j] - log->t[i] - 5.0) <= 1e-12 * log->t[j];   /* (departures at any time) */
                matched++;
                break;
            }
    }
    CHECK(matched > 10);
    CHECK(exact);
    free(used);
    free(log);
    sim_close(&x);
}

static void test_recipe(void)
{
    /* No butts come back (butt_ratio 0): coke replaces them one for one,
     * so coke is exactly 0.85 and pitch 0.15 of the green anode. */
    tiny("id,region,class,capacity_tpy\nX,A,std,200000\n",
         "id,region,al_tpy\nS,B,100000\n", base_links,
         "smelter:\n  butt_ratio: 0\nplant:\n  recipe_cpc: 0.65\n  recipe_pitch: 0.15\n  recipe_butts: 0.20\n");
    sim x;
    CHECK(load_run(&x, NULL) == SIM_OK);
    double c = sim_total(&x, NULL, RM_CPC_USE), p = sim_total(&x, NULL, RM_PITCH_USE), b = sim_total(&x, NULL, RM_BUTTS_USE);
    CHECK(b == 0.0);
    CHECK_NEAR(p / (c + p), 0.15, 1e-12);
    CHECK_NEAR(c / (c + p), 0.85, 1e-12);
    sim_close(&x);

    /* With butts returned (20 % of use, as the recipe needs), the plant
     * uses them: butts are 20 % of the green mass whenever enough came back. */
    tiny("id,region,class,capacity_tpy\nX,A,std,200000\n",
         "id,region,al_tpy\nS,B,100000\n", base_links, "smelter:\n  butt_ratio: 0.3\n");
    CHECK(load_run(&x, NULL) == SIM_OK);
    c = sim_total(&x, NULL, RM_CPC_USE);
    p = sim_total(&x, NULL, RM_PITCH_USE);
    b = sim_total(&x, NULL, RM_BUTTS_USE);
    CHECK_NEAR(b / (c + p + b), 0.20, 1e-12);
    CHECK_NEAR(p / (c + p + b), 0.15, 1e-12);
    sim_close(&x);
}

static void test_captive(void)
{
    /* Y is the cheaper plant (nearer), but S owns X and sources 60 % there. */
    tiny("id,region,class,capacity_tpy,owner\nX,A,std,200000,S\nY,A,std,200000,\n",
         "id,region,al_tpy,captive_share\nS,B,100000,0.6\n",
         "from,to,mode,distance_km,lead_days,lead_cv\n"
         "C,X,road,10,1,0\nP,X,road,10,1,0\nC,Y,road,10,1,0\nP,Y,road,10,1,0\n"
         "X,S,rail,2000,5,0\nY,S,rail,100,5,0\n", "");
    sim x;
    CHECK(load_run(&x, NULL) == SIM_OK);
    double px = *model_pm(x.r, 0, 0, PM_PRODUCTION), py = *model_pm(x.r, 0, 1, PM_PRODUCTION);
    CHECK_MSG(fabs(px / (px + py) - 0.6) < 0.02, "captive plant made %.4f of the anodes", px / (px + py));
    sim_close(&x);
}

static void test_full_link(void)
{
    /* The X -> S link carries at most 100 t/d; shipments wait their turn:
     * each leaves no earlier than the previous one's tonnes have cleared. */
    tiny("id,region,class,capacity_tpy\nX,A,std,200000\n",
         "id,region,al_tpy\nS,B,60000\n",
         "from,to,mode,distance_km,lead_days,lead_cv,capacity_tpd\n"
         "C,X,road,10,1,0,\nP,X,road,10,1,0,\nX,S,rail,1000,5,0,100\n", "");
    sim x;
    trace_log *log = calloc(1, sizeof *log);
    CHECK(load_run(&x, log) == SIM_OK);
    int sn = x.s.smelters[0].node;
    double busy_until = -1;
    int n = 0, ok = 1, waited = 0;
    for (int i = 0; i < log->n; i++) {
        if (log->kind[i] != MODEL_TRACE_DEPART || log->com[i] != 2 || log->to[i] != sn)
            continue;
        if (busy_until >= 0) {
            ok &= log->t[i] >= busy_until - 1e-9;
            waited += log->t[i] <= busy_until + 1e-9;
        }
        busy_until = log->t[i] + log->qty[i] / 100.0;
        n++;
    }
    CHECK(n > 10);
    CHECK(ok);
    CHECK_MSG(waited > 0, "no shipment had to wait for the link");
    free(log);
    sim_close(&x);
}

/* Each plant's capacity, production and retired nameplate in the first
 * year, with the exit rule (below half the capacity over 6 months) at a
 * rate a year (rate NULL: no rule). */
static void exit_run(const char *rate, double cap[2], double prod[2], double gone[2])
{
    scn_override ov[3] = { { "plant.exit_utilisation", rate ? "0.5" : "0" }, { "plant.exit_months", "6" },
                           { "plant.exit_rate_per_year", rate ? rate : "1" } };
    sim x;
    CHECK(sim_open(&x, ov, 3) == SIM_OK);
    CHECK(model_run(x.m, 0, 0, x.r) == SIM_OK);
    for (int p = 0; p < 2; p++) {
        cap[p] = *model_pm(x.r, 0, p, PM_CAPACITY);
        prod[p] = *model_pm(x.r, 0, p, PM_PRODUCTION);
        gone[p] = *model_pm(x.r, 0, p, PM_EXIT);
    }
    sim_close(&x);
}

static void test_exit(void)
{
    /* S needs about 45,000 t of anode a year.  Y is nearer and cheaper,
     * and busy; X, four times Y's size, gets what Y cannot make and idles
     * below half its capacity.  Its window fills with the first six
     * recorded months (the warm-up does not count): at 12 a year it then
     * retires all at once, at 1 a year a twelfth of its nameplate a month
     * (from the June close to December, seven twelfths).  Y makes what X no longer does. */
    tiny("id,region,class,capacity_tpy\nX,A,std,200000\nY,A,std,50000\n",
         "id,region,al_tpy\nS,B,100000\n",
         "from,to,mode,distance_km,lead_days,lead_cv\n"
         "C,X,road,10,1,0\nP,X,road,10,1,0\nC,Y,road,10,1,0\nP,Y,road,10,1,0\n"
         "X,S,rail,2000,5,0\nY,S,rail,100,5,0\n", "");
    double cap0[2], prod0[2], gone0[2], cap[2], prod[2], gone[2], capg[2], prodg[2], goneg[2];
    exit_run(NULL, cap0, prod0, gone0);
    exit_run("12", cap, prod, gone);
    exit_run("1", capg, prodg, goneg);
    CHECK_MSG(fabs(cap0[0] - 200000) < 1 && gone0[0] == 0 && gone0[1] == 0, "without the rule: X's capacity %.0f, exits %g %g",
              cap0[0], gone0[0], gone0[1]);
    CHECK_MSG(fabs(gone[0] - 200000) < 1 && cap[0] > 0.45 * cap0[0] && cap[0] < 0.65 * cap0[0],
              "all at once: X retired %.0f, capacity %.0f", gone[0], cap[0]);
    CHECK_MSG(goneg[0] > 0.5 * 200000 && goneg[0] < 0.65 * 200000 && capg[0] > cap[0],
              "gradually: X retired %.0f t/yr, capacity %.0f", goneg[0], capg[0]);
    CHECK_MSG(gone[1] == 0 && goneg[1] == 0 && fabs(cap[1] - 50000) < 1, "Y: exit %g %g, capacity %.0f", gone[1], goneg[1],
              cap[1]);
    CHECK_NEAR(prod[0] + prod[1], prod0[0] + prod0[1], 0.05 * (prod0[0] + prod0[1]));
}

static void test_no_plant(void)
{
    /* Every plant closes within the warm-up: the smelter's orders lapse,
     * it runs out and loses its output.  Its reorder used to lapse again
     * at the same instant, forever. */
    tiny("id,region,class,capacity_tpy,end\nX,A,std,200000,2024-10-01\nY,A,std,50000,2024-10-01\n",
         "id,region,al_tpy\nS,B,100000\n",
         "from,to,mode,distance_km,lead_days,lead_cv\n"
         "C,X,road,10,1,0\nP,X,road,10,1,0\nC,Y,road,10,1,0\nP,Y,road,10,1,0\n"
         "X,S,rail,2000,5,0\nY,S,rail,100,5,0\n", "");
    sim x;
    CHECK(sim_open(&x, NULL, 0) == SIM_OK);
    CHECK(model_run(x.m, 0, 0, x.r) == SIM_OK);
    CHECK(*model_pm(x.r, 0, 0, PM_CAPACITY) == 0 && *model_pm(x.r, 0, 1, PM_CAPACITY) == 0);
    CHECK_MSG(sim_total(&x, "B", RM_SHORTAGE) > 40000, "shortage %.0f t of the ~45,000 t needed",
              sim_total(&x, "B", RM_SHORTAGE));
    sim_close(&x);
}

static void test_stockout(void)
{
    /* Demand 47,500 t/yr of anodes but the plant can make only 20,000 t/yr:
     * the shortage is the rest, and lost aluminium is shortage / 0.475. */
    tiny("id,region,class,capacity_tpy\nX,A,std,20000\n",
         "id,region,al_tpy\nS,B,100000\n", base_links, "");
    sim x;
    CHECK(load_run(&x, NULL) == SIM_OK);
    double use = sim_total(&x, "B", RM_CONSUMPTION), sh = sim_total(&x, "B", RM_SHORTAGE);
    CHECK_NEAR(use + sh, 47500.0, 1e-6);
    CHECK(sh > 47500.0 - 20000.0 - 3000.0 && sh < 47500.0 - 20000.0 + 3000.0);
    CHECK_NEAR(sim_total(&x, "B", RM_LOST_AL), sh / 0.475, 1e-6);
    /* The plant ran flat out. */
    CHECK(sim_total(&x, "A", RM_PRODUCTION) > 0.97 * 20000.0);
    sim_close(&x);
}

/* The direct route index (small networks) answers like the binary search
 * large networks use, for every pair. */
static void check_route_index(const network *n, const scenario *s)
{
    CHECK(n->pc_dense != NULL && n->sp_dense != NULL);
    int bad = 0;
    for (int p = 0; p < s->nplants; p++)
        for (int c = 0; c < n->ncust; c++)
            bad += net_plant_route(n, p, c) != net_find(n->plant_cust, n->pc_start[p], n->pc_start[p + 1], c);
    for (int k = 0; k < s->nsuppliers; k++)
        for (int p = 0; p < s->nplants; p++)
            bad += net_supplier_route(n, s, k, p) != net_find(n->sup_plant, n->sp_start[k], n->sp_start[k + 1], p);
    CHECK_MSG(bad == 0, "%d route look-ups differ", bad);
}

/* A route's links as "from>to" ids joined by spaces ("" when none). */
static void route_text(const sim *x, const net_route *r, char *out, size_t len)
{
    out[0] = '\0';
    const int *e = net_route_edges(&x->d.net, r);
    for (int j = 0; j < r->nedges; j++) {
        const scn_link *l = &x->s.links[e[j]];
        size_t used = strlen(out);
        snprintf(out + used, len - used, "%s%s>%s", j ? " " : "", x->s.nodes[l->from].id, x->s.nodes[l->to].id);
    }
}

/* Cheapest routes pass through ports only, whatever a cheaper path
 * through another plant or smelter would cost; their links are listed
 * from the source on, with cost and mean lead time summed over them. */
static void test_routes(void)
{
    tiny("id,region,class,capacity_tpy\nX,A,std,100000\n",
         "id,region,al_tpy\nS,B,10000\nT,B,10000\nU,B,10000\nV,B,0\n",
         "from,to,mode,distance_km,lead_days,lead_cv,capacity_tpd,cost_per_t\n"
         "C,X,road,10,1,0,,1\nP,X,road,10,1,0,,1\n"
         "X,S,road,100,9,0,,50\n"                        /* direct, dearer than by sea */
         "X,Q1,road,10,1,0,,5\nQ1,Q2,sea,500,6,0,,5\nQ2,S,road,10,2,0,,5\n"
         "X,T,road,10,1,0,,1\nT,U,road,10,1,0,,1\n"     /* cheap, but through smelter T */
         "Q2,U,road,500,3,0,,100\n", "");
    put("ports.csv", "id,region\nQ1,A\nQ2,B\n");
    put("scenario.yaml",
        "name: tiny\n"
        "run:\n  seed: 7\n  replications: 1\n  start: 2025-01-01\n  end: 2025-03-31\n  warmup_days: 30\n"
        "tables:\n  suppliers: suppliers.csv\n  plants: plants.csv\n  smelters: smelters.csv\n"
        "  ports: ports.csv\n  links: links.csv\n"
        "classes:\n  - name: std\n    energy_gj_per_t: 3\n    conversion_per_t: 500\n    baking_loss: 0.05\n");
    sim x;
    if (sim_open(&x, NULL, 0) != SIM_OK) {
        CHECK(0);
        return;
    }
    const char *want[4] = { "X>Q1 Q1>Q2 Q2>S", "X>T", "X>Q1 Q1>Q2 Q2>U", "" };
    const double cost[4] = { 15, 1, 110, HUGE_VAL }, lead[4] = { 9, 1, 10, 0 };
    for (int c = 0; c < 4; c++) {
        const net_route *r = net_plant_route(&x.d.net, 0, c);
        char got[256];
        route_text(&x, r, got, sizeof got);
        CHECK_MSG(strcmp(got, want[c]) == 0, "route X to %s: '%s', expected '%s'", x.s.nodes[x.s.smelters[c].node].id,
                  got, want[c]);
        CHECK(r->cost == cost[c] && r->lead_mean == lead[c]);
    }
    char got[256];
    route_text(&x, net_supplier_route(&x.d.net, &x.s, 0, 0), got, sizeof got);
    CHECK_MSG(strcmp(got, "C>X") == 0, "route C to X: '%s'", got);
    check_route_index(&x.d.net, &x.s);
    sim_close(&x);
}

static void test_default_balance(const char *src)
{
    char path[512];
    snprintf(path, sizeof path, "%s/scenarios/china-2024/scenario.yaml", src);
    sim x;
    CHECK(scn_load(path, NULL, 0, &x.s) == SIM_OK);
    CHECK(model_def_init(&x.d, &x.s) == SIM_OK);
    check_route_index(&x.d.net, &x.s);
    x.m = model_instance_new(&x.d);
    x.r = model_result_alloc(&x.d);
    for (long rep = 0; rep < 3; rep++) {
        CHECK(model_run(x.m, 0, rep, x.r) == SIM_OK);
        for (int b = 0; b < BAL_N; b++)
            CHECK_MSG(fabs(x.r->balance[b]) <= MODEL_BALANCE_TOL * x.r->balance_scale[b],
                      "%s residual %g", model_balance_names[b], x.r->balance[b]);
    }
    sim_close(&x);
}

int main(int argc, char **argv)
{
    if (tiny_init("test-model") != 0)
        return 1;
    test_constant_demand();
    test_recipe();
    test_captive();
    test_full_link();
    test_stockout();
    test_exit();
    test_no_plant();
    test_routes();
    test_default_balance(argc > 1 ? argv[1] : ".");
    tiny_cleanup();
    return check_done("test_model");
}
