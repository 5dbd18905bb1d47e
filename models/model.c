/*
 * model.c — the shared definition, the replication loop, month accounting
 * and the mass-balance check.  Behaviour of each kind of node lives in its
 * own file (smelter.c, plant.c, market.c, transport.c, sourcing.c).
 */
#include "buckets.h"
#include "model_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "sim_err.h"
#include "sim_rng.h"

const model_metric_info model_region_metrics[RM_NMETRICS] = {
    { "capacity", "t", "nameplate capacity of open anode plants", MDL_AGG_SUM, 0, 0 },
    { "production", "t", "baked anodes produced", MDL_AGG_SUM, 0, 0 },
    { "consumption", "t", "anodes consumed by smelters", MDL_AGG_SUM, 0, 0 },
    { "shortage", "t", "anode demand of smelters not met on time", MDL_AGG_SUM, 0, 0 },
    { "lost_aluminium", "t", "primary aluminium not produced for lack of anodes", MDL_AGG_SUM, 0, 0 },
    { "exports", "t", "anodes delivered to export markets in the region", MDL_AGG_SUM, 0, 0 },
    { "shipments_out", "t", "anodes dispatched from plants in the region to other regions", MDL_AGG_SUM, 0, 0 },
    { "shipments_in", "t", "anodes dispatched to the region from plants in other regions", MDL_AGG_SUM, 0, 0 },
    { "anode_stock", "t", "finished anodes held by plants and smelters at month end", MDL_AGG_END, 0, 0 },
    { "production_cost", MODEL_MONEY, "cost of the anodes produced", MDL_AGG_SUM, 0, 0 },
    { "coke_use", "t", "calcined petroleum coke used in green anodes", MDL_AGG_SUM, 0, 0 },
    { "pitch_use", "t", "coal tar pitch used in green anodes", MDL_AGG_SUM, 0, 0 },
    { "butts_use", "t", "recycled butts used in green anodes", MDL_AGG_SUM, 0, 0 },
    { "revenue", MODEL_MONEY, "ex-works value of the anodes produced", MDL_AGG_SUM, 0, 0 },
    { "displaced_demand", "t", "carbon-anode demand displaced by inert anodes", MDL_AGG_SUM, 0, 0 },
    { "production_captive", "t", "baked anodes produced by plants owned by smelters (merchant output: production minus this)", MDL_AGG_SUM, 0, 0 },
    { "demand", "t", "anodes smelters needed for their output (met on time plus shortage)", MDL_AGG_SUM, 0, 0 },
    { "fill_rate", "1", "share of smelter anode demand met from stock on time (1 where there was no demand)", MDL_AGG_WMEAN, RM_DEMAND, 1.0 },
    { "deliveries", "t", "anodes delivered to smelters and export markets of the region", MDL_AGG_SUM, 0, 0 },
    { "order_lead_time", "d", "time from order to delivery, mean over the tonnes delivered (0 where none were)", MDL_AGG_WMEAN, RM_DELIVERED, 0.0 },
    { "order_lead_time_p95", "d", "time from order to delivery, 95th percentile over the tonnes delivered in the month (periods: delivery-weighted mean of months)", MDL_AGG_WMEAN, RM_DELIVERED, 0.0 },
    { "order_backlog", "t", "orders of customers of the region not yet shipped by plants, at month end", MDL_AGG_END, 0, 0 },
    { "backorder", "t", "smelter demand not met and still owed (smelters with the backorder policy), at month end", MDL_AGG_END, 0, 0 },
    { "idle_capacity_while_short", "t", "capacity of plants of the region left idle in a month when a smelter they can reach ran short", MDL_AGG_SUM, 0, 0 },
    { "anode_in_transit", "t", "anodes on their way to customers of the region, at month end", MDL_AGG_END, 0, 0 },
    { "anode_stock_opening", "t", "finished anodes held by plants and smelters at month start", MDL_AGG_START, 0, 0 },
    { "anode_in_transit_opening", "t", "anodes on their way to customers of the region, at month start", MDL_AGG_START, 0, 0 },
    { "aluminium", "t", "primary aluminium the smelters of the region ran for (growth, transfers, the national cap and curbs; before anode shortages)", MDL_AGG_SUM, 0, 0 },
    { "anode_price", MODEL_MONEY_T, "ex-works anode price quoted by the open plants of the region, capacity-weighted (0 where none is open)", MDL_AGG_WMEAN, RM_CAPACITY, 0.0 },
    { "unit_cost", MODEL_MONEY_T, "unit cost of the anodes produced in the region: production_cost / production (0 where none were)", MDL_AGG_WMEAN, RM_PRODUCTION, 0.0 },
    { "margin", MODEL_MONEY_T, "ex-works price less unit cost per tonne produced: (revenue - production_cost) / production (0 where none were)", MDL_AGG_WMEAN, RM_PRODUCTION, 0.0 },
    { "revenue_usd", MODEL_USD, "ex-works value of the anodes produced, at the month's exchange rate", MDL_AGG_SUM, 0, 0 },
    { "export_demand", "t", "anodes the export markets of the region asked for at the export price (before restrictions)", MDL_AGG_SUM, 0, 0 },
    { "export_unmet", "t", "export demand not ordered because of export restrictions", MDL_AGG_SUM, 0, 0 },
    { "export_price", MODEL_USD_T, "export price: the cheapest landed price the markets of the region are quoted (ex-works times 1 + exports.premium, plus freight), weighted by their demand (0 where none asked)", MDL_AGG_WMEAN, RM_EXPORT_DEMAND, 0.0 },
    { "shipped_abroad", "t", "anodes delivered from plants of the region to customers in another country (China's exports: the sum over provinces)", MDL_AGG_SUM, 0, 0 },
    { "imports", "t", "anodes delivered to customers of the region from plants in another country", MDL_AGG_SUM, 0, 0 },
    { "merchant_revenue_usd", MODEL_USD, "ex-works value of the anodes produced by merchant plants of the region (not owned by a smelter), at the month's exchange rate", MDL_AGG_SUM, 0, 0 },
};

const model_metric_info model_plant_metrics[PM_NMETRICS] = {
    { "production", "t", "baked anodes produced", MDL_AGG_SUM, 0, 0 },
    { "capacity", "t", "nameplate capacity while open", MDL_AGG_SUM, 0, 0 },
    { "down_days", "d", "days in outage", MDL_AGG_SUM, 0, 0 },
    { "exit", "t yr-1", "nameplate capacity the plant retired in the year, for sustained idleness or losses", MDL_AGG_SUM, 0, 0 },
    { "added", "t yr-1", "nameplate capacity expansions of the plant started producing in the year", MDL_AGG_SUM, 0, 0 },
    { "profit", MODEL_MONEY, "revenue less production cost of the anodes the plant made", MDL_AGG_SUM, 0, 0 },
};

const model_metric_info model_owner_metrics[OM_NMETRICS] = {
    { "capacity", "t", "nameplate capacity of the owner's open plants in the year", MDL_AGG_SUM, 0, 0 },
    { "production", "t", "baked anodes the owner's plants produced", MDL_AGG_SUM, 0, 0 },
    { "margin", MODEL_MONEY_T, "the owner's revenue less production cost per tonne produced (0 where nothing was made)", MDL_AGG_WMEAN, OM_PRODUCTION, 0.0 },
};

const char *const model_balance_names[BAL_N] = { "anode", "calcined coke", "pitch", "butts", "green anode" };

/* ==== shared definition ================================================== */

typedef struct {
    double key;
    int idx;
} keyed;

static int keyed_cmp(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

/* Costs and quotes at the base prices, the reference utilisation and
 * the full butts return (prices.c): the first ranking of candidates. */
static void unit_costs(model_def *d)
{
    const scenario *s = d->scn;
    const double f[4] = { 1, 1, 1, 1 };
    for (int p = 0; p < s->nplants; p++) {
        d->plant_cost[p] = price_unit_cost(d, p, f, s->plant.recipe_butts, s->plant.margin_reference_utilisation);
        d->plant_price[p] = d->plant_cost[p] * (1.0 + s->plant.margin);
    }
}

/* Sort idx[0..n) by key (then index) using tmp. */
static void sort_by_key(int *idx, const double *key, int n, keyed *tmp)
{
    for (int i = 0; i < n; i++)
        tmp[i] = (keyed){ key[i], idx[i] };
    qsort(tmp, (size_t)n, sizeof *tmp, keyed_cmp);
    for (int i = 0; i < n; i++)
        idx[i] = tmp[i].idx;
}

/* Each plant's reachable suppliers, coke first, then pitch, by landed
 * price (from the route lists: linear in the routes). */
static int supplier_lists(model_def *d)
{
    const scenario *s = d->scn;
    const network *n = &d->net;
    int np = s->nplants, ns = s->nsuppliers, nsp = n->sp_start[ns];
    d->sup_cand = malloc(((size_t)nsp + 1) * sizeof *d->sup_cand);
    d->sup_start = calloc((size_t)np + 2, sizeof *d->sup_start);
    int *fill = calloc((size_t)np + 1, sizeof *fill);
    keyed *tmp = malloc(((size_t)nsp + 1) * sizeof *tmp);
    double *key = malloc(((size_t)nsp + 1) * sizeof *key);
    int rc = d->sup_cand && d->sup_start && fill && tmp && key ? SIM_OK
                 : sim_err_set(SIM_ENOMEM, "out of memory for supplier lists");
    if (rc == SIM_OK) {
        /* Suppliers of each plant, coke first, then pitch. */
        for (int i = 0; i < nsp; i++)
            d->sup_start[n->sup_plant[i].target + 1]++;
        for (int p = 0; p < np; p++)
            d->sup_start[p + 1] += d->sup_start[p];
        for (int com = 0; com < 2; com++)
            for (int k = 0; k < ns; k++) {
                if (s->suppliers[k].commodity != com)
                    continue;
                for (int i = n->sp_start[k]; i < n->sp_start[k + 1]; i++) {
                    int p = n->sup_plant[i].target;
                    d->sup_cand[d->sup_start[p] + fill[p]++] = k;
                    d->nsup_cand[2 * p + com]++;
                }
            }
        for (int p = 0; p < np; p++) {
            int *list = d->sup_cand + d->sup_start[p];
            for (int com = 0, off = 0; com < 2; off += d->nsup_cand[2 * p + com], com++) {
                int m = d->nsup_cand[2 * p + com];
                for (int i = 0; i < m; i++)
                    key[i] = s->suppliers[list[off + i]].price + net_supplier_route(n, s, list[off + i], p)->cost;
                sort_by_key(list + off, key, m, tmp);
            }
        }
        /* Freight and route next to each supplier candidate: prices are
         * re-costed every month, and raw materials ordered, without route
         * look-ups (a binary search in the supplier's routes: a few cache
         * misses per order on large networks). */
        d->sup_tc = malloc(((size_t)nsp + 1) * sizeof *d->sup_tc);
        d->sup_rt = malloc(((size_t)nsp + 1) * sizeof *d->sup_rt);
        if (!d->sup_tc || !d->sup_rt)
            rc = sim_err_set(SIM_ENOMEM, "out of memory for supplier lists");
        for (int p = 0; rc == SIM_OK && p < np; p++)
            for (int i = d->sup_start[p]; i < d->sup_start[p] + d->nsup_cand[2 * p] + d->nsup_cand[2 * p + 1]; i++) {
                const net_route *r = net_supplier_route(n, s, d->sup_cand[i], p);
                d->sup_tc[i] = r->cost;
                d->sup_rt[i] = (int)(r - n->sup_plant);
            }
    }
    free(fill);
    free(tmp);
    free(key);
    return rc;
}

/* Each customer's reachable plants by landed cost (price + freight), from
 * the route lists: time and memory grow with the routes, not with plants
 * x customers. */
static int candidate_lists(model_def *d)
{
    const scenario *s = d->scn;
    const network *n = &d->net;
    int np = s->nplants, nc = d->ncust;
    int npc = n->pc_start[np];
    d->cand = malloc(((size_t)npc + 1) * sizeof *d->cand);
    d->cand_start = calloc((size_t)nc + 2, sizeof *d->cand_start);
    d->cand_tc = malloc(((size_t)npc + 1) * sizeof *d->cand_tc);
    d->cand_rt = malloc(((size_t)npc + 1) * sizeof *d->cand_rt);
    int *fill = calloc((size_t)nc + 1, sizeof *fill);
    keyed *tmp = malloc(((size_t)npc + 1) * sizeof *tmp);
    double *key = malloc(((size_t)npc + 1) * sizeof *key);
    int rc = d->cand && d->cand_start && d->cand_tc && d->cand_rt && fill && tmp && key
                 ? SIM_OK : sim_err_set(SIM_ENOMEM, "out of memory for candidate lists");
    if (rc == SIM_OK) {
        for (int i = 0; i < npc; i++)
            d->cand_start[n->plant_cust[i].target + 1]++;
        for (int c = 0; c < nc; c++)
            d->cand_start[c + 1] += d->cand_start[c];
        for (int p = 0; p < np; p++)
            for (int i = n->pc_start[p]; i < n->pc_start[p + 1]; i++) {
                int c = n->plant_cust[i].target;
                d->cand[d->cand_start[c] + fill[c]++] = p;
            }
        for (int c = 0; c < nc; c++) {
            int *list = d->cand + d->cand_start[c], m = d->cand_start[c + 1] - d->cand_start[c];
            for (int i = 0; i < m; i++)
                key[i] = d->plant_price[list[i]] + net_plant_route(n, list[i], c)->cost;
            sort_by_key(list, key, m, tmp);
            d->ncand[c] = m;
            for (int i = 0; i < m; i++) {
                const net_route *r = net_plant_route(n, list[i], c);
                d->cand_tc[d->cand_start[c] + i] = r->cost;
                d->cand_rt[d->cand_start[c] + i] = (int)(r - n->plant_cust);
            }
        }
    }
    free(fill);
    free(tmp);
    free(key);
    return rc;
}

/* Which customers can buy abroad, and the raw-material lead times each
 * plant's stock policy looks up (compact: the route records are a cache
 * miss each on large networks). */
static int trade_and_leads(model_def *d)
{
    const scenario *s = d->scn;
    d->cust_abroad = calloc((size_t)d->ncust + 1, 1);
    d->raw_lead = calloc(4 * (size_t)s->nplants + 1, sizeof *d->raw_lead);
    if (!d->cust_abroad || !d->raw_lead)
        return sim_err_set(SIM_ENOMEM, "out of memory for the model definition");
    for (int c = 0; c < d->ncust; c++)
        for (int k = d->cand_start[c]; k < d->cand_start[c] + d->ncand[c]; k++)
            d->cust_abroad[c] |= !scn_same_country(s, d->plant_region[d->cand[k]], d->cust_region[c]);
    for (int p = 0; p < s->nplants; p++)
        for (int com = 0; com < 2; com++) {
            int first = mdl_sup_first(d, p, com), n = d->nsup_cand[2 * p + com];
            double *l = d->raw_lead + 4 * (size_t)p + 2 * (size_t)com;
            for (int i = 0; i < n; i++) {
                double lead = d->net.sup_plant[d->sup_rt[first + i]].lead_mean;
                if (i == 0)
                    l[0] = lead;
                l[1] = mdl_max(l[1], lead + RAW_QUEUE_DAYS);
            }
        }
    return SIM_OK;
}

/* Route lead time of smelter i's own plants (the mean) and of its
 * cheapest candidate it does not own, weighted by its captive share. */
static int smelter_transits(model_def *d)
{
    const scenario *s = d->scn;
    d->smelter_transit = calloc((size_t)s->nsmelters + 1, sizeof *d->smelter_transit);
    if (!d->smelter_transit)
        return sim_err_set(SIM_ENOMEM, "out of memory for the model definition");
    for (int i = 0; i < s->nsmelters; i++) {
        double own = 0, other = 0;
        int nown = d->owned_start[i + 1] - d->owned_start[i];
        for (int k = d->owned_start[i]; k < d->owned_start[i + 1]; k++)
            own += net_plant_route(&d->net, d->owned[k], i)->lead_mean / nown;
        for (int k = d->cand_start[i]; k < d->cand_start[i] + d->ncand[i]; k++)
            if (s->plants[d->cand[k]].owner != i) {
                other = d->net.plant_cust[d->cand_rt[k]].lead_mean;
                break;
            }
        double cs = s->smelters[i].captive_share;   /* (> 0 only with an own plant: scenario.c) */
        d->smelter_transit[i] = cs * own + (1.0 - cs) * other;
    }
    return SIM_OK;
}

static int markup_plants(model_def *d)
{
    const scenario *s = d->scn;
    d->sets_markup = calloc((size_t)s->nplants + 1, 1);
    unsigned char *merchant = calloc((size_t)s->nregions + 1, 1);
    if (!d->sets_markup || !merchant) {
        free(merchant);
        return sim_err_set(SIM_ENOMEM, "out of memory for the model definition");
    }
    for (int p = 0; p < s->nplants; p++)
        merchant[d->plant_region[p]] |= s->plants[p].owner < 0;
    for (int p = 0; p < s->nplants; p++) {
        int g = d->plant_region[p];
        d->sets_markup[p] = s->region_kind[g] == REGION_PROVINCE || !merchant[g] || s->plants[p].owner < 0;
    }
    free(merchant);
    return SIM_OK;
}

int model_def_init(model_def *d, const scenario *s)
{
    memset(d, 0, sizeof *d);
    d->scn = s;
    d->ncust = s->nsmelters + s->nmarkets;
    SIM_CHECK(net_build(s, &d->net));
    int rc = net_check(s, &d->net, NULL);
    if (rc != SIM_OK) {
        net_free(&d->net);
        return rc;
    }
    size_t np = (size_t)s->nplants + 1;
    d->plant_cost = calloc(np, sizeof *d->plant_cost);
    d->plant_price = calloc(np, sizeof *d->plant_price);
    d->ncand = calloc((size_t)d->ncust + 1, sizeof *d->ncand);
    d->nsup_cand = calloc(2 * np, sizeof *d->nsup_cand);
    if (!d->plant_cost || !d->plant_price || !d->ncand || !d->nsup_cand) {
        model_def_free(d);
        return sim_err_set(SIM_ENOMEM, "out of memory for the model definition");
    }
    d->owned = calloc(np, sizeof *d->owned);
    d->owned_start = calloc((size_t)s->nsmelters + 2, sizeof *d->owned_start);
    d->lead_sigma = calloc((size_t)s->nlinks + 1, sizeof *d->lead_sigma);
    d->lead_drift = calloc((size_t)s->nlinks + 1, sizeof *d->lead_drift);
    d->growth = calloc((size_t)d->ncust + 1, sizeof *d->growth);
    d->plant_region = calloc(np, sizeof *d->plant_region);
    d->cust_region = calloc((size_t)d->ncust + 1, sizeof *d->cust_region);
    if (!d->owned || !d->owned_start || !d->lead_sigma || !d->lead_drift || !d->growth || !d->plant_region ||
        !d->cust_region) {
        model_def_free(d);
        return sim_err_set(SIM_ENOMEM, "out of memory for the model definition");
    }
    for (int e = 0; e < s->nlinks; e++) {
        /* Lognormal lead times with the link's mean and CV:
         * exp(sigma z - sigma^2 / 2) has mean 1.  Sigma 0: always the
         * mean, no draw (no variation, or no lead time). */
        double cv = s->links[e].lead_cv, s2 = log1p(cv * cv);
        int lognormal = cv > 0 && s->links[e].lead_days > 0;
        d->lead_sigma[e] = lognormal ? sqrt(s2) : 0.0;
        d->lead_drift[e] = lognormal ? 0.5 * s2 : 0.0;
    }
    d->closures = s->transport.disruption_rate > 0;
    int slowdowns = 0;
    for (int i = 0; i < s->nevents; i++) {
        d->closures |= s->events[i].kind == EVT_LINK_CLOSURE;
        slowdowns |= s->events[i].kind == EVT_LINK_SLOWDOWN;
        d->limited_links |= s->events[i].kind == EVT_LINK_SLOWDOWN && s->events[i].capacity_tpd < HUGE_VAL;
    }
    for (int e = 0; e < s->nlinks; e++)
        d->limited_links |= s->links[e].capacity_tpd < HUGE_VAL;
    d->link_dynamic = d->closures || d->limited_links || slowdowns;
    for (int i = 0; i < s->nevents; i++) {
        d->ncurtail += s->events[i].kind == EVT_CURTAILMENT;
        d->nduty += s->events[i].kind == EVT_DUTY;
    }
    d->cross_priced = d->nduty > 0 || s->exports.premium != 0;
    for (int c = 0; c < d->ncust; c++) {
        double g = c < s->nsmelters ? s->smelters[c].growth : s->markets[c - s->nsmelters].growth;
        d->growth[c] = log1p(g);
    }
    for (int p = 0; p < s->nplants; p++)
        d->plant_region[p] = s->nodes[s->plants[p].node].region;
    for (int c = 0; c < d->ncust; c++)
        d->cust_region[c] = s->nodes[mdl_cust_node(s, c)].region;
    rc = markup_plants(d);
    if (rc != SIM_OK) {
        model_def_free(d);
        return rc;
    }
    bucket_sort(s->nplants ? &s->plants[0].owner : NULL, sizeof(scn_plant), s->nplants, s->nsmelters,
                d->owned_start, d->owned);   /* plants owned by each smelter, in plant order */
    rc = supplier_lists(d);
    if (rc != SIM_OK) {
        model_def_free(d);
        return rc;
    }
    unit_costs(d);
    rc = price_def_init(d);
    if (rc == SIM_OK)
        rc = candidate_lists(d);
    if (rc == SIM_OK)
        rc = price_def_export_ref(d);
    if (rc == SIM_OK)
        rc = smelter_transits(d);
    if (rc == SIM_OK)
        rc = trade_and_leads(d);
    if (rc != SIM_OK)
        model_def_free(d);
    return rc;
}

void model_def_free(model_def *d)
{
    free(d->sets_markup);
    free(d->smelter_transit);
    free(d->cust_abroad);
    free(d->raw_lead);
    net_free(&d->net);
    price_def_free(d);
    free(d->plant_cost);
    free(d->plant_price);
    free(d->cand);
    free(d->cand_start);
    free(d->cand_tc);
    free(d->cand_rt);
    free(d->ncand);
    free(d->sup_cand);
    free(d->sup_tc);
    free(d->sup_rt);
    free(d->sup_start);
    free(d->nsup_cand);
    free(d->owned);
    free(d->owned_start);
    free(d->lead_sigma);
    free(d->lead_drift);
    free(d->growth);
    free(d->plant_region);
    free(d->cust_region);
    memset(d, 0, sizeof *d);
}

/* ==== results ============================================================ */

model_result *model_result_alloc(const model_def *d)
{
    const scenario *s = d->scn;
    model_result *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->nmonths = s->nmonths;
    r->nyears = s->nyears;
    r->nregions = s->nregions;
    r->nplants = s->nplants;
    r->region_month = calloc((size_t)s->nmonths * (size_t)s->nregions * RM_NMETRICS, sizeof(double));
    r->od_year = calloc((size_t)s->nyears * (size_t)s->nregions * (size_t)s->nregions, sizeof(double));
    r->plant_year = calloc((size_t)s->nyears * ((size_t)s->nplants + 1) * PM_NMETRICS, sizeof(double));
    r->price_month = calloc((size_t)s->nmonths * PRICE_N + 1, sizeof(double));
    r->inert_month = calloc((size_t)s->nmonths * (size_t)s->nregions + 1, sizeof(double));
    r->nowners = s->nowners;
    r->owner_year = calloc((size_t)s->nyears * (size_t)s->nowners * OM_NMETRICS + 1, sizeof(double));
    r->top5_year = calloc((size_t)s->nyears + 1, sizeof(double));
    if (!r->region_month || !r->od_year || !r->plant_year || !r->price_month || !r->inert_month || !r->owner_year ||
        !r->top5_year) {
        model_result_free(r);
        return NULL;
    }
    return r;
}

const char *model_money_currency(const char *units, const char *reporting, const char **udunits)
{
    static const struct {
        const char *units, *ud;
        int usd;
    } money[] = { { MODEL_MONEY, "1", 0 }, { MODEL_MONEY_T, "t-1", 0 }, { MODEL_USD, "1", 1 }, { MODEL_USD_T, "t-1", 1 } };
    *udunits = units;
    for (size_t i = 0; i < sizeof money / sizeof money[0]; i++)
        if (strcmp(units, money[i].units) == 0) {
            *udunits = money[i].ud;
            return money[i].usd ? "USD" : reporting;
        }
    return NULL;
}

int model_is_money(const char *units)
{
    const char *ud;
    return model_money_currency(units, "", &ud) != NULL;
}

void model_result_free(model_result *r)
{
    if (!r)
        return;
    free(r->region_month);
    free(r->od_year);
    free(r->plant_year);
    free(r->price_month);
    free(r->inert_month);
    free(r->owner_year);
    free(r->top5_year);
    free(r);
}

void model_result_clear(model_result *r)
{
    memset(r->region_month, 0, (size_t)r->nmonths * (size_t)r->nregions * RM_NMETRICS * sizeof(double));
    memset(r->od_year, 0, (size_t)r->nyears * (size_t)r->nregions * (size_t)r->nregions * sizeof(double));
    memset(r->plant_year, 0, (size_t)r->nyears * (size_t)r->nplants * PM_NMETRICS * sizeof(double));
    memset(r->price_month, 0, (size_t)r->nmonths * PRICE_N * sizeof(double));
    memset(r->inert_month, 0, (size_t)r->nmonths * (size_t)r->nregions * sizeof(double));
    memset(r->owner_year, 0, (size_t)r->nyears * (size_t)r->nowners * OM_NMETRICS * sizeof(double));
    memset(r->top5_year, 0, (size_t)r->nyears * sizeof(double));
    memset(r->balance, 0, sizeof r->balance);
    memset(r->balance_scale, 0, sizeof r->balance_scale);
}

/* ==== accounting helpers ================================================= */

void mdl_add(model_instance *m, int region, int metric, double x)
{
    if (m->recording)
        *model_rm(m->out, m->month, region, metric) += x;
}

void mdl_flow(model_instance *m, int com_bal, double in, double out)
{
    if (m->recording) {
        m->bal_in[com_bal] += in;
        m->bal_out[com_bal] += out;
    }
}

/* Stock of each balanced commodity held anywhere (not in transit). */
static void stocks(const model_instance *m, double st[BAL_N])
{
    memset(st, 0, BAL_N * sizeof(double));
    for (int p = 0; p < m->s->nplants; p++) {
        const plant_state *ps = &m->plants[p];
        st[BAL_ANODE] += ps->finished;
        st[BAL_CPC] += ps->raw[COM_CPC];
        st[BAL_PITCH] += ps->raw[COM_PITCH];
        st[BAL_BUTTS] += ps->raw[2];
        st[BAL_GREEN] += ps->wip_green;
    }
    for (int i = 0; i < m->s->nsmelters; i++) {
        st[BAL_ANODE] += m->smelters[i].stock;
        st[BAL_BUTTS] += m->smelters[i].butts_held;
    }
    st[BAL_ANODE] += m->transit[COM_ANODE];
    st[BAL_CPC] += m->transit[COM_CPC];
    st[BAL_PITCH] += m->transit[COM_PITCH];
    st[BAL_BUTTS] += m->transit[COM_BUTTS];
}

static int check_balance(model_instance *m)
{
    double st[BAL_N];
    stocks(m, st);
    model_result *r = m->out;
    for (int c = 0; c < BAL_N; c++) {
        double change = st[c] - m->stock0[c];
        r->balance[c] = m->bal_in[c] - m->bal_out[c] - change;
        double scale = fmax(fmax(m->bal_in[c], m->bal_out[c]), fmax(fmax(st[c], m->stock0[c]), 1.0));
        r->balance_scale[c] = scale;
        if (!(fabs(r->balance[c]) <= MODEL_BALANCE_TOL * scale))
            return sim_err_set(SIM_EBALANCE,
                               "mass balance of %s violated: in %.9g t, out %.9g t, stock change %.9g t, residual %.3g t (tolerance %.1g relative)",
                               model_balance_names[c], m->bal_in[c], m->bal_out[c], change,
                               r->balance[c], MODEL_BALANCE_TOL);
    }
    return SIM_OK;
}

/* ==== months ============================================================= */

static int month_days(const model_instance *m, int k)
{
    int i = k - m->first_month;
    if (i < 0)
        return 0;
    return m->month_start[i + 1] - m->month_start[i];
}

/* Finished anodes at plants and smelters (metric RM_ANODE_STOCK or
 * RM_STOCK_OPEN) and anodes in transit (RM_TRANSIT or RM_TRANSIT_OPEN),
 * by region, now. */
static void record_stocks(model_instance *m, int stock_metric, int transit_metric)
{
    const scenario *s = m->s;
    for (int p = 0; p < s->nplants; p++)
        mdl_add(m, mdl_plant_region(m, p), stock_metric, m->plants[p].finished);
    for (int i = 0; i < s->nsmelters; i++)
        mdl_add(m, mdl_cust_region(m, i), stock_metric, m->smelters[i].stock);
    for (int g = 0; g < s->nregions; g++)
        mdl_add(m, g, transit_metric, m->transit_region[g]);
}

/* 95th percentile of a month's deliveries by lead time (one-day bins,
 * interpolated within the bin). */
static double lead_p95(const double *hist, int top, double total)
{
    double want = 0.95 * total, cum = 0;
    for (int b = 0; b < top; b++) {
        if (cum + hist[b] >= want && hist[b] > 0)
            return b + (want - cum) / hist[b];
        cum += hist[b];
    }
    return top;   /* (rounding: the total fell short of the bins' sum) */
}

/* Service of the month just ended: fill rate, order lead times, backlogs,
 * capacity idle while a smelter it reaches ran short. */
/* The month's quotes: each region's ex-works price over its open plants
 * (capacity-weighted) and the export price its markets were quoted
 * (weighted by their demand rate), whether or not anything was sold. */
static void record_quotes(model_instance *m)
{
    const scenario *s = m->s;
    int G = s->nregions;
    double *w = m->region_scratch, *v = w + G;
    memset(w, 0, 2 * (size_t)G * sizeof *w);
    for (int p = 0; p < s->nplants; p++)
        if (m->plants[p].open) {
            int g = mdl_plant_region(m, p);
            w[g] += m->plants[p].cap_rate;
            v[g] += m->plants[p].cap_rate * m->plant_price[p];
        }
    for (int g = 0; g < G; g++)
        *model_rm(m->out, m->month, g, RM_ANODE_PRICE) = w[g] > 0 ? v[g] / w[g] : 0.0;
    memset(w, 0, 2 * (size_t)G * sizeof *w);
    for (int k = 0; k < s->nmarkets; k++) {
        int g = mdl_cust_region(m, s->nsmelters + k);
        double rate = market_demand_tpy(m, k) * price_export_factor(m, k);
        w[g] += rate;
        v[g] += rate * m->export_price[k];
    }
    for (int g = 0; g < G; g++)
        if (w[g] > 0)
            *model_rm(m->out, m->month, g, RM_EXPORT_PRICE) = v[g] / w[g];
}

static void record_service(model_instance *m, int days)
{
    const scenario *s = m->s;
    const model_def *d = m->d;
    model_result *r = m->out;
    for (int g = 0; g < s->nregions; g++) {
        double *v = model_rm(r, m->month, g, 0);
        v[RM_FILL_RATE] = v[RM_DEMAND] > 0 ? 1.0 - v[RM_SHORTAGE] / v[RM_DEMAND] : 1.0;
        v[RM_UNIT_COST] = v[RM_PRODUCTION] > 0 ? v[RM_COST] / v[RM_PRODUCTION] : 0.0;
        v[RM_MARGIN] = v[RM_PRODUCTION] > 0 ? (v[RM_REVENUE] - v[RM_COST]) / v[RM_PRODUCTION] : 0.0;
        double *h = m->lead_hist + (size_t)g * LEAD_BINS;
        if (v[RM_DELIVERED] > 0) {
            v[RM_LEAD_MEAN] /= v[RM_DELIVERED];
            v[RM_LEAD_P95] = lead_p95(h, m->lead_top[g], v[RM_DELIVERED]);
        }
    }
    for (int p = 0; p < s->nplants; p++) {
        const plant_state *ps = &m->plants[p];
        for (int i = 0; i < ps->qlen; i++) {
            const mdl_order *o = &ps->q[(ps->qhead + i) % ps->qcap];
            mdl_add(m, mdl_cust_region(m, o->cust), RM_BACKLOG, o->qty);
        }
        if (!ps->open)
            continue;
        double idle = ps->cap_rate * ps->curb * (days - ps->down_month) - ps->month_prod;
        if (idle <= MDL_EPS_T)
            continue;
        for (int k = d->net.pc_start[p]; k < d->net.pc_start[p + 1]; k++) {
            int c = d->net.plant_cust[k].target;
            if (c < s->nsmelters && m->cust_short[c]) {
                mdl_add(m, mdl_plant_region(m, p), RM_IDLE_SHORT, idle);
                break;
            }
        }
    }
    for (int i = 0; i < s->nsmelters; i++)
        mdl_add(m, mdl_cust_region(m, i), RM_BACKORDER, m->smelters[i].backorder);
    record_stocks(m, RM_ANODE_STOCK, RM_TRANSIT);
    record_quotes(m);
}

/* What the month-end KPIs gather is cleared every month, recorded or not. */
static void clear_month(model_instance *m)
{
    /* (only the bins used: a memset of every region's histogram each
     * month was 6 % of a replication) */
    for (int g = 0; g < m->s->nregions; g++) {
        memset(m->lead_hist + (size_t)g * LEAD_BINS, 0, (size_t)m->lead_top[g] * sizeof(double));
        m->lead_top[g] = 0;
    }
    memset(m->cust_short, 0, (size_t)m->d->ncust + 1);
    for (int p = 0; p < m->s->nplants; p++)
        m->plants[p].down_month = 0;
}

/* The month boundary starting month k (arg).  Month k-1 is closed first. */
/* Debug builds: no stock, order book or transit total is negative at a
 * month's close (beyond the rounding residue mdl_snap clears). */
static void check_stocks(const model_instance *m)
{
#ifndef NDEBUG
    const scenario *s = m->s;
    for (int p = 0; p < s->nplants; p++) {
        const plant_state *ps = &m->plants[p];
        SIM_INVARIANT(ps->finished >= -MDL_EPS_T && ps->wip_green >= -MDL_EPS_T && ps->backlog >= -MDL_EPS_T,
                      "plant %d: finished %g, in the furnace %g, backlog %g t", p, ps->finished, ps->wip_green,
                      ps->backlog);
        for (int c = 0; c < 3; c++)
            SIM_INVARIANT(ps->raw[c] >= -MDL_EPS_T, "plant %d: raw material %d stock %g t", p, c, ps->raw[c]);
    }
    for (int i = 0; i < s->nsmelters; i++)
        SIM_INVARIANT(m->smelters[i].stock >= 0 && m->smelters[i].backorder >= 0, "smelter %d: stock %g, owed %g t", i,
                      m->smelters[i].stock, m->smelters[i].backorder);
    for (int g = 0; g < s->nregions; g++)
        SIM_INVARIANT(m->transit_region[g] >= -MDL_EPS_T, "region %d: %g t in transit", g, m->transit_region[g]);
#else
    (void)m;
#endif
}

static int on_month(sim_engine *e, const sim_event *ev, void *model)
{
    model_instance *m = model;
    const scenario *s = m->s;
    int k = ev->arg;
    (void)e;
    /* What arrived before this moment counts in the month just ended
     * (month events go before arrivals at the same time). */
    for (int p = 0; p < s->nplants; p++) {
        transport_deliver_due(m, p, m->eng.now, 0);
        SIM_CHECK(plant_advance(m, p));      /* furnace output up to now counts in the month ended */
        plant_state *ps = &m->plants[p];
        if (!ps->up)
            ps->down_month += m->eng.now - mdl_max(ps->down_since, m->month_t0);
    }
    for (int c = 0; c < m->d->ncust; c++)
        transport_deliver_anodes(m, c, m->eng.now, 0);
    for (int i = 0; i < s->nsmelters; i++)
        smelter_advance(m, i, m->eng.now);
    for (int i = 0; i < s->nsmelters; i++)
        SIM_CHECK(smelter_month(m, i));      /* butts of the month just ended */
    check_stocks(m);
    if (m->recording)
        record_service(m, month_days(m, k - 1));
    clear_month(m);
    for (int p = 0; p < s->nplants; p++)
        SIM_CHECK(plant_month_end(m, p, month_days(m, k - 1)));
    if (k == s->nmonths) {
        sim_engine_stop(&m->eng);
        return check_balance(m);
    }
    if (k == 0) {
        m->recording = 1;
        stocks(m, m->stock0);
    }
    m->month = k;
    m->month_t0 = m->eng.now;
    m->year = k < 0 ? 0 : (s->start_month - 1 + k) / 12;
    if (m->recording)
        record_stocks(m, RM_STOCK_OPEN, RM_TRANSIT_OPEN);
    int mm = s->start_month - 1 + k;
    int cal = s->start_year + (mm >= 0 ? mm / 12 : -((-mm + 11) / 12));
    m->days_in_year = (cal % 4 == 0 && (cal % 100 != 0 || cal % 400 == 0)) ? 366.0 : 365.0;
    int day = (int)(m->eng.now - m->t0);
    SIM_CHECK(price_month(m));
    price_record(m);
    adopt_month(m);
    for (int p = 0; p < s->nplants; p++)
        SIM_CHECK(plant_month(m, p, day));
    if (m->recording) {
        int nd = month_days(m, k);
        for (int p = 0; p < s->nplants; p++) {
            if (!m->plants[p].open)
                continue;
            double cap = m->plants[p].cap_rate * nd;
            mdl_add(m, mdl_plant_region(m, p), RM_CAPACITY, cap);
            *model_pm(m->out, m->year, p, PM_CAPACITY) += cap;
        }
    }
    smelter_cap_month(m);
    for (int i = 0; i < s->nsmelters; i++) {
        smelter_set_rate(m, i);
        SIM_CHECK(smelter_reschedule(m, i));
        if (m->recording)   /* (the rate with curbs; inert anodes' part too: aluminium all the same) */
            mdl_add(m, mdl_cust_region(m, i), RM_ALUMINIUM, m->smelters[i].al_rate * month_days(m, k));
    }
    int i = k - m->first_month + 1;
    return sim_engine_schedule(&m->eng, m->month_start[i], PRIO_MONTH, EV_MONTH, 0, k + 1, 0, NULL);
}

/* Month boundaries from the warm-up start to the horizon end. */
static int month_table(model_instance *m)
{
    const scenario *s = m->s;
    int w = (int)s->run.warmup_days;
    int first_date = s->start_date - w;
    int y, mo, dd;
    csv_civil_from_days(first_date, &y, &mo, &dd);
    m->first_month = (y - s->start_year) * 12 + (mo - s->start_month);
    int n = s->nmonths - m->first_month + 1;
    m->month_start = malloc(((size_t)n + 1) * sizeof *m->month_start);
    if (!m->month_start)
        return sim_err_set(SIM_ENOMEM, "out of memory");
    for (int k = m->first_month, i = 0; k <= s->nmonths; k++, i++) {
        int mm = s->start_month - 1 + k;
        int yy = s->start_year + (mm >= 0 ? mm / 12 : -((-mm + 11) / 12));
        int mon = mm - (yy - s->start_year) * 12 + 1;
        int date = csv_days_from_civil(yy, mon, 1);
        if (k == s->nmonths)
            date = s->end_date + 1;
        int t = date - first_date;
        m->month_start[i] = t < 0 ? 0 : t;
    }
    m->nmonth_bounds = n;
    return SIM_OK;
}

/* ==== instances ========================================================== */

/* Each link's parameters from the definition the instance serves (a
 * sweep rebinds one instance to every point in turn). */
static void bind_links(model_instance *m)
{
    for (int e = 0; e < m->s->nlinks; e++) {
        link_state *L = &m->link[e];
        m->link_cold[e].capacity_tpd = m->s->links[e].capacity_tpd;
        L->lead_days = m->s->links[e].lead_days;
        L->lead_sigma = m->d->lead_sigma[e];
        L->lead_drift = m->d->lead_drift[e];
    }
}

/* Fetch every cache line of the record at p, of `size` bytes. */
static inline void prefetch_record(const void *p, size_t size)
{
    for (size_t off = 0; off < size; off += 64)
        __builtin_prefetch((const char *)p + off);
}

/* Fetch the state the next event will read first (its plant, smelter or
 * market), while the current one is handled: on large networks that
 * state is a cache miss per event. */
static void lookahead(void *model, unsigned type, int32_t target)
{
    const model_instance *m = model;
    switch (type) {
    case EV_PLANT_CYCLE:
    case EV_PLANT_FAIL:
    case EV_PLANT_REPAIR:
        prefetch_record(&m->plants[target], sizeof(plant_state));
        break;
    case EV_SMELTER_REORDER:
        prefetch_record(&m->smelters[target], sizeof(smelter_state));
        __builtin_prefetch(&m->cust_in[target]);
        break;
    case EV_MARKET_ORDER:
        __builtin_prefetch(&m->cust_in[m->s->nsmelters + target]);
        break;
    default:
        break;
    }
}

model_instance *model_instance_new(const model_def *d)
{
    const scenario *s = d->scn;
    model_instance *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->d = d;
    m->s = s;
    int ok = sim_engine_init(&m->eng, m, 4096) == SIM_OK;
    m->plants = calloc((size_t)s->nplants + 1, sizeof *m->plants);
    m->smelters = calloc((size_t)s->nsmelters + 1, sizeof *m->smelters);
    _Static_assert(sizeof(link_state) == 64, "a link's record is one cache line");
    size_t link_bytes = ((size_t)s->nlinks + 1) * sizeof(link_state);
    m->link = aligned_alloc(64, link_bytes);   /* (a multiple of 64) */
    if (m->link)
        memset(m->link, 0, link_bytes);
    m->link_cold = calloc((size_t)s->nlinks + 1, sizeof *m->link_cold);
    m->market_rng = calloc((size_t)s->nmarkets + 1, sizeof *m->market_rng);
    m->sup_busy = calloc((size_t)s->nsuppliers + 1, sizeof *m->sup_busy);
    m->cust_in = calloc((size_t)d->ncust + 1, sizeof *m->cust_in);
    m->transit_region = calloc((size_t)s->nregions + 1, sizeof *m->transit_region);
    m->lead_hist = calloc((size_t)s->nregions * LEAD_BINS + 1, sizeof *m->lead_hist);
    m->lead_top = calloc((size_t)s->nregions + 1, sizeof *m->lead_top);
    m->cust_short = calloc((size_t)d->ncust + 1, 1);
    m->path = malloc(((size_t)s->nnodes + 1) * sizeof *m->path);
    ok = ok && net_ws_init(&m->ws, s->nnodes) == SIM_OK;
    size_t np = (size_t)s->nplants + 1, ng = (size_t)s->nregions + 1;
    m->plant_cost = calloc(np, sizeof(double));
    m->plant_std = calloc(np, sizeof(double));
    m->plant_price = calloc(np, sizeof(double));
    m->util_plant = calloc(np, sizeof(double));
    m->butts_share = calloc(np, sizeof(double));
    m->region_util = calloc(ng, sizeof(double));
    m->region_markup = calloc(ng, sizeof(double));
    m->region_scratch = calloc(2 * ng, sizeof(double));
    m->export_price = calloc((size_t)s->nmarkets + 1, sizeof(double));
    m->export_smooth = calloc((size_t)s->nmarkets + 1, sizeof(double));
    int win = (int)s->plant.exit_months;
    m->cost_hist = calloc((size_t)COST_HIST * np, sizeof(double));
    m->util = calloc(UTIL_RINGS * (size_t)win * np, sizeof(double));
    m->cand = calloc((size_t)d->cand_start[d->ncust] + 1, sizeof(int));
    m->cand_tc = calloc((size_t)d->cand_start[d->ncust] + 1, sizeof(double));
    m->cand_rt = calloc((size_t)d->cand_start[d->ncust] + 1, sizeof(int));
    m->cand_land = calloc((size_t)d->cand_start[d->ncust] + 1, sizeof(double));
    int most = 0;
    for (int c = 0; c < d->ncust; c++)
        most = d->ncand[c] > most ? d->ncand[c] : most;
    m->cand_key = calloc((size_t)most + 1, sizeof(double));
    m->pick = calloc((size_t)most + 1, sizeof *m->pick);
    m->adopt_start = calloc(ng, sizeof(double));
    m->adopt_speed = calloc(ng, sizeof(double));
    m->adopt_ceiling = calloc(ng, sizeof(double));
    m->inert_share = calloc(ng, sizeof(double));
    m->disrupt_rng = calloc((size_t)s->nlinks + 1, sizeof(gsl_rng *));
    m->price_rng = gsl_rng_alloc(sim_rng_xoshiro);
    m->adopt_rng = gsl_rng_alloc(sim_rng_xoshiro);
    ok = ok && m->plants && m->smelters && m->link && m->link_cold && m->market_rng && m->sup_busy && m->cust_in &&
         m->transit_region && m->lead_hist && m->lead_top && m->cust_short && m->path &&
         m->plant_cost && m->plant_std && m->plant_price && m->util_plant && m->butts_share && m->region_util &&
         m->region_markup && m->region_scratch && m->export_price && m->export_smooth && m->cost_hist && m->util && m->cand && m->cand_tc && m->cand_rt && m->cand_land && m->cand_key && m->pick && m->adopt_start && m->adopt_speed && m->adopt_ceiling &&
         m->inert_share && m->disrupt_rng && m->price_rng && m->adopt_rng;
    for (int p = 0; ok && p < s->nplants; p++) {
        int kiln = plant_kiln_slots(s);
        m->plants[p].kiln_cap = kiln;
        m->plants[p].kiln = kiln <= KILN_OWN ? m->plants[p].kiln_own
                                             : calloc((size_t)kiln, sizeof(struct kiln_batch));
        ok = m->plants[p].kiln != NULL;
    }
    for (int i = 0; ok && i < s->nlinks && s->transport.disruption_rate > 0; i++)
        ok = (m->disrupt_rng[i] = gsl_rng_alloc(sim_rng_xoshiro)) != NULL;
    for (int p = 0; ok && p < s->nplants; p++)
        ok = (m->plants[p].rng = gsl_rng_alloc(sim_rng_xoshiro)) != NULL;
    for (int i = 0; ok && i < s->nsmelters; i++)
        ok = (m->smelters[i].rng = gsl_rng_alloc(sim_rng_xoshiro)) != NULL;
    if (ok)
        bind_links(m);
    for (int i = 0; ok && i < s->nmarkets; i++)
        ok = (m->market_rng[i] = gsl_rng_alloc(sim_rng_xoshiro)) != NULL;
    ok = ok && month_table(m) == SIM_OK;
    static const sim_handler_fn handlers[EV_COUNT] = {
        [EV_MONTH] = on_month,
        [EV_SMELTER_REORDER] = smelter_on_reorder,
        [EV_PLANT_CYCLE] = plant_on_cycle,
        [EV_MARKET_ORDER] = market_on_order,
        [EV_PLANT_FAIL] = plant_on_fail,
        [EV_PLANT_REPAIR] = plant_on_repair,
        [EV_SCENARIO] = events_on_scenario,
        [EV_LINK_DISRUPT] = events_on_disrupt,
        [EV_LINK_RESTORE] = events_on_restore,
    };
    for (int t = 0; ok && t < EV_COUNT; t++)
        ok = sim_engine_on(&m->eng, (unsigned)t, handlers[t]) == SIM_OK;
    sim_engine_set_lookahead(&m->eng, lookahead);
    if (!ok) {
        model_instance_free(m);
        return NULL;
    }
    return m;
}

void model_instance_free(model_instance *m)
{
    if (!m)
        return;
    const scenario *s = m->s;
    for (int p = 0; m->plants && p < s->nplants; p++) {
        gsl_rng_free(m->plants[p].rng);
        free(m->plants[p].q);
        if (m->plants[p].kiln != m->plants[p].kiln_own)
            free(m->plants[p].kiln);
        free(m->plants[p].inbound.v);
    }
    for (int i = 0; m->disrupt_rng && i < s->nlinks; i++)
        if (m->disrupt_rng[i])
            gsl_rng_free(m->disrupt_rng[i]);
    free(m->disrupt_rng);
    free(m->plant_cost);
    free(m->plant_price);
    free(m->plant_std);
    free(m->util_plant);
    free(m->butts_share);
    free(m->region_util);
    free(m->region_markup);
    free(m->region_scratch);
    free(m->export_price);
    free(m->export_smooth);
    free(m->cost_hist);
    free(m->util);
    free(m->cand);
    free(m->cand_tc);
    free(m->cand_rt);
    free(m->cand_key);
    free(m->cand_land);
    free(m->pick);
    free(m->adopt_start);
    free(m->adopt_speed);
    free(m->adopt_ceiling);
    free(m->inert_share);
    if (m->price_rng)
        gsl_rng_free(m->price_rng);
    if (m->adopt_rng)
        gsl_rng_free(m->adopt_rng);
    for (int i = 0; m->smelters && i < s->nsmelters; i++)
        gsl_rng_free(m->smelters[i].rng);
    for (int i = 0; m->market_rng && i < s->nmarkets; i++)
        gsl_rng_free(m->market_rng[i]);
    free(m->plants);
    free(m->smelters);
    free(m->link);
    free(m->link_cold);
    free(m->market_rng);
    free(m->sup_busy);
    for (int i = 0; m->ship && i < m->capship; i++)
        free(m->ship[i].legs);
    free(m->ship);
    free(m->transit_region);
    free(m->lead_hist);
    free(m->lead_top);
    free(m->cust_short);
    free(m->path);
    free(m->moved);
    net_ws_free(&m->ws);
    for (int c = 0; m->cust_in && c < m->d->ncust; c++)
        free(m->cust_in[c].v);
    free(m->cust_in);
    free(m->month_start);
    sim_engine_destroy(&m->eng);
    free(m);
}

int model_instance_rebind(model_instance *m, const model_def *d)
{
    if (d == m->d)
        return SIM_OK;
    const scenario *a = m->s, *b = d->scn;
    if (a->nplants != b->nplants || a->nsmelters != b->nsmelters || a->nlinks != b->nlinks ||
        a->nmarkets != b->nmarkets || a->nregions != b->nregions || a->nsuppliers != b->nsuppliers ||
        a->nmonths != b->nmonths || a->start_date != b->start_date ||
        a->run.warmup_days != b->run.warmup_days || a->plant.exit_months != b->plant.exit_months ||
        a->plant.bake_days != b->plant.bake_days || a->plant.campaign_days != b->plant.campaign_days ||
        (a->transport.disruption_rate > 0) != (b->transport.disruption_rate > 0) || m->d->ncust != d->ncust)
        return SIM_EINVAL;
    m->d = d;
    m->s = b;
    bind_links(m);
    return SIM_OK;
}

void model_set_trace(model_instance *m, model_trace_fn fn, void *ctx)
{
    m->trace = fn;
    m->trace_ctx = ctx;
}

void model_set_cancel(model_instance *m, volatile sig_atomic_t *flag)
{
    m->eng.cancel = flag;
}

static uint64_t stream(int family, int index)
{
    return ((uint64_t)family << 32) | (uint32_t)index;
}

/* Reset every piece of state to the start of a replication. */
static int reset(model_instance *m, uint64_t point, long rep)
{
    const scenario *s = m->s;
    sim_engine_reset(&m->eng);
    m->point = point;
    m->rep = rep;
    m->t0 = s->run.warmup_days;
    m->recording = 0;
    m->days_in_year = 365.0;
    m->month = m->first_month;
    m->year = 0;
    m->nship = 0;
    m->free_ship = -1;
    m->ship_seq = 0;
    for (int c = 0; c < m->d->ncust; c++)
        m->cust_in[c].head = m->cust_in[c].n = 0;
    memset(m->transit, 0, sizeof m->transit);
    memset(m->transit_region, 0, (size_t)s->nregions * sizeof *m->transit_region);
    m->month_t0 = 0;
    clear_month(m);
    memset(m->bal_in, 0, sizeof m->bal_in);
    memset(m->bal_out, 0, sizeof m->bal_out);
    memset(m->stock0, 0, sizeof m->stock0);
    for (int i = 0; i < s->nlinks; i++) {
        link_state *L = &m->link[i];
        sim_rng_state_seed(&L->rng, s->seed, point, (uint64_t)rep, stream(RS_LINK, i));
        L->lead_days = s->links[i].lead_days;              /* (a slowdown may have changed them) */
        m->link_cold[i].capacity_tpd = s->links[i].capacity_tpd;
        L->busy = m->link_cold[i].capacity_tpd < HUGE_VAL ? 0.0 : -1.0;
        m->link_cold[i].closed_until = 0;
        m->link_cold[i].booked = 0;
        if (m->disrupt_rng[i])
            sim_rng_reseed(m->disrupt_rng[i], s->seed, point, (uint64_t)rep, stream(RS_DISRUPT, i));
    }

    for (int i = 0; i < s->nsuppliers; i++)
        m->sup_busy[i] = 0;
    /* Inert-anode shares first: smelters size their opening stocks by
     * them (a share left over from the previous replication made results
     * depend on which thread ran what). */
    adopt_reset(m);
    for (int p = 0; p < s->nplants; p++) {
        sim_rng_reseed(m->plants[p].rng, s->seed, point, (uint64_t)rep, stream(RS_PLANT, p));
        SIM_CHECK(plant_init(m, p));
    }
    smelter_cap_month(m);
    for (int i = 0; i < s->nsmelters; i++) {
        sim_rng_reseed(m->smelters[i].rng, s->seed, point, (uint64_t)rep, stream(RS_SMELTER, i));
        SIM_CHECK(smelter_init(m, i));
    }
    for (int i = 0; i < s->nmarkets; i++) {
        sim_rng_reseed(m->market_rng[i], s->seed, point, (uint64_t)rep, stream(RS_MARKET, i));
        SIM_CHECK(market_init(m, i));
    }
    sim_rng_reseed(m->price_rng, s->seed, point, (uint64_t)rep, stream(RS_PRICE, 0));
    price_reset(m);
    return events_reset(m);
}

/* Owners' years from their plants', and the share of national output of
 * the five largest named owners ("other", many small firms, is not one). */
static void record_owners(const scenario *s, model_result *r)
{
    int NO = s->nowners;
    for (int y = 0; y < s->nyears; y++) {
        double total = 0, top[5] = { 0, 0, 0, 0, 0 };
        for (int p = 0; p < s->nplants; p++) {
            int o = s->plants[p].enterprise;
            *model_om(r, y, o, OM_CAPACITY) += *model_pm(r, y, p, PM_CAPACITY);
            *model_om(r, y, o, OM_PRODUCTION) += *model_pm(r, y, p, PM_PRODUCTION);
            *model_om(r, y, o, OM_MARGIN) += *model_pm(r, y, p, PM_PROFIT);
            total += *model_pm(r, y, p, PM_PRODUCTION);
        }
        for (int o = 0; o < NO; o++) {
            double *v = model_om(r, y, o, 0);
            v[OM_MARGIN] = v[OM_PRODUCTION] > 0 ? v[OM_MARGIN] / v[OM_PRODUCTION] : 0.0;
            if (o == NO - 1)
                continue;
            double q = v[OM_PRODUCTION];   /* into the five largest, kept in descending order */
            for (int i = 0; i < 5; i++)
                if (q > top[i]) {
                    double t = top[i];
                    top[i] = q;
                    q = t;
                }
        }
        r->top5_year[y] = total > 0 ? (top[0] + top[1] + top[2] + top[3] + top[4]) / total : 0.0;
    }
}

int model_run(model_instance *m, uint64_t point, long rep, model_result *out)
{
    const scenario *s = m->s;
    model_result_clear(out);
    out->rep = rep;
    out->point = point;
    out->seed_key = sim_rng_key(s->seed, point, (uint64_t)rep, 0);
    m->out = out;
    m->month = m->first_month;
    int rc = reset(m, point, rep);
    if (rc == SIM_OK)
        rc = sim_engine_schedule(&m->eng, 0.0, PRIO_MONTH, EV_MONTH, 0, m->first_month, 0, NULL);
    if (rc == SIM_OK) {
        rc = sim_engine_run_until(&m->eng, m->t0 + s->ndays + 1.0);
        if (rc != SIM_OK)   /* (the engine and the handlers do not know which replication) */
            sim_err_prefix(rc, "replication %ld", rep);
    }
    if (rc == SIM_OK && !m->eng.stopped)
        rc = sim_err_set(SIM_ERUNTIME, "replication %ld ended before the horizon closed", rep);
    if (rc == SIM_OK)
        record_owners(s, out);
    out->events = m->eng.processed;
    m->out = NULL;
    return rc;
}
