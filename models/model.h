/*
 * model — the anode supply-chain model: one replication of a scenario on
 * the discrete-event engine.
 *
 * A model_def holds what all replications share (scenario, network,
 * routes, unit costs, sourcing candidate lists); it is built once and read
 * by every thread.  A model_instance is one thread's working state, reused
 * across replications.  model_run simulates one replication and fills a
 * model_result: monthly series by region, yearly origin x destination
 * anode flows, yearly plant figures, and the mass-balance residuals, which
 * must vanish (a violation is an error, SIM_EBALANCE).
 *
 * Random streams: replication `rep` of scenario point `point` draws from
 * streams keyed (seed, point, rep, entity) — see sim_rng.h — so results do
 * not depend on threads, ranks or shards.
 */
#ifndef MODEL_H
#define MODEL_H

#include <signal.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>

#include "network.h"
#include "scenario.h"

/* Monthly metrics by region. */
enum {
    RM_CAPACITY,      /* nameplate capacity of open plants in the month, t */
    RM_PRODUCTION,    /* baked anodes finished, t */
    RM_CONSUMPTION,   /* anodes used by smelters, t */
    RM_SHORTAGE,      /* anode demand not met (stock-out), t */
    RM_LOST_AL,       /* aluminium not produced for lack of anodes, t */
    RM_EXPORTS,       /* anodes delivered to export markets of the region, t */
    RM_SHIP_OUT,      /* anodes dispatched from plants of the region to other regions, t */
    RM_SHIP_IN,       /* anodes dispatched to the region from other regions, t */
    RM_ANODE_STOCK,   /* finished anodes at plants and smelters at month end, t */
    RM_COST,          /* production cost of the anodes finished, reporting currency */
    RM_CPC_USE,       /* calcined coke put into green anodes, t */
    RM_PITCH_USE,     /* pitch put into green anodes, t */
    RM_BUTTS_USE,     /* recycled butts put into green anodes, t */
    RM_REVENUE,       /* ex-works value of the anodes produced, reporting currency */
    RM_DISPLACED,     /* carbon-anode demand displaced by inert anodes, t */
    RM_PROD_CAPTIVE,  /* baked anodes produced by plants smelters own, t (merchant: the rest) */
    RM_DEMAND,        /* anodes smelters needed for their output, t (consumption on time + shortage) */
    RM_FILL_RATE,     /* share of smelter demand met from stock on time: 1 - shortage / demand */
    RM_DELIVERED,     /* anodes delivered to customers (smelters, export markets) of the region, t */
    RM_LEAD_MEAN,     /* order lead time (order to delivery), mean over the tonnes delivered, d */
    RM_LEAD_P95,      /* its 95th percentile over the tonnes delivered, d */
    RM_BACKLOG,       /* orders of customers of the region not yet shipped by plants, month end, t */
    RM_BACKORDER,     /* smelter demand not met and still owed (backorder policy), month end, t */
    RM_IDLE_SHORT,    /* capacity of plants of the region left idle in a month when a smelter they reach was short, t */
    RM_TRANSIT,       /* anodes on their way to customers of the region, month end, t */
    RM_STOCK_OPEN,    /* finished anodes at plants and smelters at month start, t */
    RM_TRANSIT_OPEN,  /* anodes on their way to customers of the region, month start, t */
    RM_ALUMINIUM,     /* primary aluminium smelters ran for (before anode shortages), t */
    RM_ANODE_PRICE,   /* ex-works price of the region's open plants, capacity-weighted, reporting currency/t */
    RM_UNIT_COST,     /* unit cost of the anodes produced (production_cost / production), reporting currency/t */
    RM_MARGIN,        /* (revenue - production_cost) / production, reporting currency/t */
    RM_REVENUE_USD,   /* revenue in USD at the month's rate */
    RM_EXPORT_DEMAND, /* anodes export markets of the region asked for at the month's export price, t */
    RM_EXPORT_UNMET,  /* export demand not ordered (export restrictions), t */
    RM_EXPORT_PRICE,  /* cheapest landed price the region's markets were quoted, USD/t */
    RM_SHIP_ABROAD,   /* anodes delivered from the region's plants to customers in another country, t */
    RM_IMPORTS,       /* anodes delivered to the region's customers from plants in another country, t */
    RM_MERCHANT_USD,  /* ex-works value of the anodes merchant plants of the region produced, USD */
    RM_NMETRICS
};

/* Yearly metrics by plant. */
enum {
    PM_PRODUCTION,    /* t */
    PM_CAPACITY,      /* nameplate capacity while open, t */
    PM_DOWN_DAYS,     /* days in outage */
    PM_EXIT,          /* nameplate retired in the year (t/yr) */
    PM_ADDED,         /* nameplate added by expansions in the year (t/yr) */
    PM_PROFIT,        /* revenue less production cost, reporting currency */
    PM_NMETRICS
};

/* Yearly metrics by owner (enterprise): sums over its plants. */
enum {
    OM_CAPACITY,      /* t (capacity of its open plants in the year) */
    OM_PRODUCTION,    /* t */
    OM_MARGIN,        /* (revenue - cost) / production, reporting currency/t (0 where nothing was made) */
    OM_NMETRICS
};
/* Monthly price series (reporting currency): coke and pitch are
 * capacity-weighted supplier prices, energy per GJ, anode the
 * capacity-weighted ex-works anode price, the exchange rate in CNY per
 * USD. */
enum { PRICE_COKE, PRICE_PITCH, PRICE_ENERGY, PRICE_ANODE, PRICE_FX, PRICE_N };
extern const char *const model_price_names[PRICE_N];

/* Commodities checked for mass balance. */
enum { BAL_ANODE, BAL_CPC, BAL_PITCH, BAL_BUTTS, BAL_GREEN, BAL_N };

/* How a metric adds up over months and regions: flows add; levels take
 * the last (END) or first (START) month of a period and add over regions;
 * ratios (WMEAN) are means weighted by another metric, `empty` where the
 * weight is zero. */
typedef enum { MDL_AGG_SUM, MDL_AGG_END, MDL_AGG_START, MDL_AGG_WMEAN } model_agg;

/* The unit of a metric in money: the scenario's reporting currency or
 * USD, as an amount or per tonne.  Files write the UDUNITS part ("1",
 * "t-1") and the currency apart; summaries the currency itself. */
#define MODEL_MONEY "reporting currency"
#define MODEL_MONEY_T "reporting currency/t"
#define MODEL_USD "USD"
#define MODEL_USD_T "USD/t"
int model_is_money(const char *units);
/* The currency of a money unit (NULL: not money) given the reporting
 * currency's name; *udunits gets "1" or "t-1" (or the unit itself). */
const char *model_money_currency(const char *units, const char *reporting, const char **udunits);

typedef struct model_metric_info {
    const char *name, *units, *long_name;
    model_agg agg;
    int weight;       /* WMEAN: the (summed) metric weighting it */
    double empty;     /* WMEAN: the value where the weight is zero */
} model_metric_info;

extern const model_metric_info model_region_metrics[RM_NMETRICS];
extern const model_metric_info model_plant_metrics[PM_NMETRICS];
extern const model_metric_info model_owner_metrics[OM_NMETRICS];
extern const char *const model_balance_names[BAL_N];

typedef struct model_def {
    const scenario *scn;
    network net;
    int ncust;             /* smelters, then markets */
    double *plant_cost;    /* unit cost per t of anode, reporting currency */
    double *plant_price;   /* ex-works price per t */
    int *cand;             /* reachable plants of customer c by landed cost: [cand_start[c], +ncand[c]) */
    int *cand_start;       /* [ncust + 1] */
    double *cand_tc;       /* freight from each candidate to its customer, aligned with cand */
    int *cand_rt;          /* its route (index into net.plant_cust), aligned with cand */
    int *ncand;            /* [ncust] */
    int *sup_cand;         /* suppliers of plant p by landed cost, coke then pitch, from sup_start[p] */
    double *sup_tc;        /* freight from each supplier candidate to its plant, aligned with sup_cand */
    int *sup_rt;           /* its route (index into net.sup_plant), aligned with sup_cand */
    int *sup_start;        /* [nplants + 1] */
    int *nsup_cand;        /* [nplants][2]: count per commodity (coke first) */
    double chol[3][3];     /* Cholesky factor of the price-shock correlations */
    int *owned;            /* plants owned by each smelter, smelter by smelter */
    int *owned_start;      /* [nsmelters + 1]: smelter i owns owned[owned_start[i] .. owned_start[i+1]) */
    double base_price[PRICE_N];  /* capacity-weighted base prices (anode: filled per month) */
    double *hist_x;        /* recorded paths, log deviations from the base: [item * hist_len + month - hist_cal0] */
    int hist_cal0, hist_len;   /* calendar month (year * 12 + month - 1) of the first entry, entries */
    int hist_last[4];      /* per item (coke, pitch, energy, rate): calendar month of its last observation,
                              else the history's last (INT_MIN: no history) */
    double *export_ref;    /* [nmarkets] export price at the base prices, USD/t (reporting currency when that is USD) */
    double *lead_sigma, *lead_drift;   /* [nlinks] lognormal lead time: mean x exp(sigma z - drift); sigma 0: the mean */
    double *growth;        /* [ncust]: log(1 + growth per year) of each smelter's output and market's demand */
    int closures;          /* links can close (scheduled closures or random disruptions) */
    int limited_links;     /* some link has a capacity, always or in a slowdown: orders book it */
    int link_dynamic;      /* links can be limited, closed or slowed: sourcing looks at them */
    int ncurtail;          /* curtailment events (smelters and plants look them up monthly) */
    int nduty;             /* duty events */
    int cross_priced;      /* exports.premium or duties price anodes that cross a border */
    /* Region of each plant and customer, compact: through the scenario's
     * plant and node records it was two cache misses per look-up on large
     * networks. */
    int *plant_region;     /* [nplants] */
    int *cust_region;      /* [ncust] */
    /* Plants whose utilisation sets their region's mark-up (prices.c):
     * every plant of a province (captive plants there sell to others
     * too); in a world region its merchant plants, where it has any (the
     * captive plants of a smelter abroad sell to their owner only). */
    unsigned char *sets_markup;   /* [nplants] */
    /* Days a smelter's anodes spend on the way, as it plans its stock:
     * its captive share at its own plants' route lead time, the rest at
     * that of its cheapest other candidate at the base prices. */
    double *smelter_transit;      /* [nsmelters] */
    unsigned char *cust_abroad;   /* [ncust] 1: some candidate plant is in another country */
    double *raw_lead;             /* [nplants][2][2]: route lead of the cheapest supplier of coke, pitch,
                                     and a bound on any pick's (the longest route, a week's queue) */
} model_def;

/* Build the shared part: network, routes, costs and candidate lists.
 * Fails with SIM_EINPUT when a smelter or plant cannot be supplied. */
int model_def_init(model_def *d, const scenario *s);
void model_def_free(model_def *d);

typedef struct model_result {
    long rep;
    uint64_t point;
    uint64_t seed_key;        /* key of the replication's first stream */
    int nmonths, nyears, nregions, nplants;
    double *region_month;     /* [nmonths][nregions][RM_NMETRICS] */
    double *od_year;          /* [nyears][nregions][nregions], anode t dispatched */
    double *plant_year;       /* [nyears][nplants][PM_NMETRICS] */
    double *price_month;      /* [nmonths][PRICE_N] */
    double *inert_month;      /* [nmonths][nregions], share of smelter capacity converted */
    int nowners;
    double *owner_year;       /* [nyears][nowners][OM_NMETRICS] */
    double *top5_year;        /* [nyears] share of national output made by the five largest named owners */
    double balance[BAL_N];    /* residual, t: in - out - stock change */
    double balance_scale[BAL_N];
    uint64_t events;
} model_result;

model_result *model_result_alloc(const model_def *d);
/* Zero every series (model_run does it before a replication). */
void model_result_clear(model_result *r);

void model_result_free(model_result *r);

static inline double *model_rm(const model_result *r, int month, int region, int metric)
{
    return &r->region_month[((size_t)month * (size_t)r->nregions + (size_t)region) * RM_NMETRICS + (size_t)metric];
}

static inline double *model_od(const model_result *r, int year, int from, int to)
{
    return &r->od_year[((size_t)year * (size_t)r->nregions + (size_t)from) * (size_t)r->nregions + (size_t)to];
}

static inline double *model_price(const model_result *r, int month, int item)
{
    return &r->price_month[(size_t)month * PRICE_N + (size_t)item];
}

static inline double *model_inert(const model_result *r, int month, int region)
{
    return &r->inert_month[(size_t)month * (size_t)r->nregions + (size_t)region];
}

static inline double *model_om(const model_result *r, int year, int owner, int metric)
{
    return &r->owner_year[((size_t)year * (size_t)r->nowners + (size_t)owner) * OM_NMETRICS + (size_t)metric];
}

static inline double *model_pm(const model_result *r, int year, int plant, int metric)
{
    return &r->plant_year[((size_t)year * (size_t)r->nplants + (size_t)plant) * PM_NMETRICS + (size_t)metric];
}

/* The stochastic state of the price paths: log deviations x and last
 * monthly log returns r of coke, pitch, energy and the exchange rate, and
 * the regime (0 calm, 1 turbulent). */
typedef struct price_path {
    double x[4], r[4];
    int turbulent;
} price_path;

/* One monthly step (dt in years): mean reversion, momentum, the regime's
 * correlated Gaussian shocks (Cholesky factor chol of coke, pitch and
 * energy; the rate's are its own) and Poisson jumps; see prices.c.
 * Exposed for tests and tools. */
void price_step(price_path *st, const scn_price_params *p, const double chol[3][3], gsl_rng *r, double dt);

typedef struct model_instance model_instance;

/* Optional observer of shipments, for tests and debugging: called when a
 * shipment leaves its origin (after any wait for link capacity, at the
 * departure from the first link) and when it arrives.  Commodity codes:
 * 0 coke, 1 pitch, 2 anode, 3 butts; from/to are node indices. */
typedef enum { MODEL_TRACE_DEPART, MODEL_TRACE_ARRIVE } model_trace_kind;
typedef void (*model_trace_fn)(void *ctx, model_trace_kind kind, double time, int commodity,
                               int from_node, int to_node, double qty);
void model_set_trace(model_instance *m, model_trace_fn fn, void *ctx);

/* A flag (set by a signal handler) that stops a replication while it
 * runs: model_run then returns SIM_EINTR within about a million events.
 * NULL: none.  The flag is not owned. */
void model_set_cancel(model_instance *m, volatile sig_atomic_t *flag);

/* A working instance for one thread; NULL when out of memory. */
model_instance *model_instance_new(const model_def *d);
void model_instance_free(model_instance *m);

/* Point an instance at another definition of the same shape (a sweep's
 * points differ only in scalar parameters).  SIM_EINVAL when the shapes
 * differ; then make a new instance. */
int model_instance_rebind(model_instance *m, const model_def *d);

/* Simulate replication `rep` of scenario point `point` into *out (which
 * must come from model_result_alloc for the same def).  Returns SIM_OK,
 * SIM_EBALANCE when mass is not conserved, or SIM_ENOMEM. */
int model_run(model_instance *m, uint64_t point, long rep, model_result *out);

/* Relative tolerance of the mass-balance check. */
#define MODEL_BALANCE_TOL 1e-9

#endif
