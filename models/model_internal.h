/*
 * model_internal — state of one replication, shared by the model's files
 * (smelter.c, plant.c, transport.c, market.c, sourcing.c, model.c) and by
 * no one else.
 *
 * Simulated time is in days; t = 0 is the start of the warm-up and the
 * horizon starts at t0 = run.warmup_days.  Quantities are tonnes, money
 * is in the scenario's reporting currency.
 */
#ifndef MODEL_INTERNAL_H
#define MODEL_INTERNAL_H

#include <math.h>

#include <gsl/gsl_rng.h>

#include "model.h"
#include "sim_engine.h"
#include "sim_rng.h"

enum mdl_event {
    EV_MONTH,            /* month boundary: accounting, rates, plans */
    EV_SMELTER_REORDER,  /* a smelter's inventory position reached its reorder point */
    EV_PLANT_CYCLE,      /* a plant starts a production campaign */
    EV_MARKET_ORDER,     /* an export destination orders */
    EV_PLANT_FAIL,       /* outage starts */
    EV_PLANT_REPAIR,     /* outage ends */
    EV_SCENARIO,         /* a scheduled scenario event (arg: index in scenario.events) */
    EV_LINK_DISRUPT,     /* a random closure of link `target` starts */
    EV_LINK_RESTORE,     /* a slowdown of link `target` ends: its lead and capacity are recomputed */
    EV_COUNT
};

/* Same-time ordering: month accounting first, then arrivals (applied
 * lazily, see inbound_list) and scenario events, then the decisions that
 * use what arrived. */
enum { PRIO_MONTH = 0, PRIO_ARRIVE = 1, PRIO_PLANT = 2, PRIO_ORDER = 3 };

enum mdl_commodity { COM_CPC = 0, COM_PITCH = 1, COM_ANODE = 2, COM_BUTTS = 3, COM_N = 4 };

/* Random stream families: stream id = family << 32 | entity index. */
enum { RS_SMELTER = 1, RS_PLANT = 2, RS_LINK = 3, RS_MARKET = 4, RS_PRICE = 5, RS_ADOPT = 6,
       RS_DISRUPT = 7 };

typedef struct mdl_order {
    int cust;            /* smelter index, or nsmelters + market index */
    int dest;            /* its node */
    double qty;
    double placed;       /* when the customer ordered (kept when an order moves to another plant) */
    net_route route;     /* from the plant, looked up once per order, not per shipment, and
                            copied: the shared route table is a cache miss per shipment on
                            large networks, the order is read anyway */
} mdl_order;

/* Shipments on their way to one plant or customer.  Arrivals take no
 * event: they take effect when their destination next looks at its
 * stocks (transport_deliver_*), in order of arrival time, then launch
 * order, exactly as if each had been an event of priority PRIO_ARRIVE.
 * What an arrival needs is kept here, so that it reads no shipment record
 * (on large networks a cache miss each). */
struct inbound {
    double arrive;
    double qty;
    double placed;   /* anodes: when the order was placed (lead-time KPIs) */
    unsigned long seq;
    int id;          /* its record, or -1: records are kept only where links can close */
    int plant;       /* its origin plant (anodes) or destination plant (coke, pitch, butts) */
    int com;
    int from;        /* origin node (for tracing) */
};

typedef struct inbound_list {
    struct inbound *v;   /* v[head..n): in the order they take effect */
    int head, n, cap;
} inbound_list;

/* A campaign in the furnace: its green tonnes come out evenly over one
 * campaign interval from `out` on (a ring furnace unloads a section at a
 * time, not a campaign at once); `left` green t are still in. */
struct kiln_batch {
    double green, left, out;
};

/* Campaigns a plant's own kiln ring holds (bake / campaign interval + 3
 * for bakes up to five intervals); longer bakes allocate theirs.  Inside
 * the plant's record, the ring is fetched with it (the engine's
 * lookahead prefetches the record); apart, it was a cache miss per
 * campaign on large networks. */
#define KILN_OWN 8

/* Lead-time histogram: one-day bins, the last for everything longer. */
#define LEAD_BINS 200

/* Months of unit cost kept for the lagged anode price (the lag is at
 * most 24 months). */
#define COST_HIST 25

/* Rings of the exit and investment window per plant (production,
 * capacity, profit). */
#define UTIL_RINGS 3

typedef struct plant_state {
    int open, up;
    double repair_at;    /* while down: when the outage ends (the plant knows its repair plan) */
    double cap_rate;     /* nameplate t/day of baked anode */
    double finished;     /* baked anodes in stock */
    double wip_green;    /* green anodes in the furnace */
    double raw[3];       /* cpc, pitch, butts in stock */
    double on_order[2];  /* cpc, pitch ordered, not arrived */
    double intake;       /* t ordered since the last campaign */
    double ewma_intake;  /* t/day, smoothed */
    double run_rate;     /* t/day of the last campaign planned */
    int ncycles;         /* campaigns planned (the forecast's history) */
    int open_months;     /* months it has been open */
    mdl_order *q;        /* backlog, FIFO ring */
    int qhead, qlen, qcap;
    double backlog;      /* t in q */
    double down_since;
    double curb;         /* share of capacity allowed this month (seasonal curbs) */
    int exited;          /* closed for good: all its nameplate retired */
    double month_prod;   /* production this month */
    double down_month;   /* days of outage in this month */
    double month_green, month_butts;   /* green anode made and butts put in, this month */
    double last_prod, last_cap;        /* last month's production and capacity (0 in start-up or closed) */
    double last_green, last_butts;     /* last month's green anode and butts */
    double month_profit;               /* revenue less cost of what was made this month */
    double added_tpy, retired_tpy;     /* nameplate added by expansions, retired by exits, t/yr */
    int invest_due;                    /* run month an expansion decided starts producing (-1: none) */
    double ramp_left;                  /* t/yr of an expansion still to come in, month by month */
    int win_n;                         /* months of the exit / investment window filled */
    /* Campaigns in the furnace, oldest first. */
    struct kiln_batch *kiln;   /* kiln_own when it has room for kiln_cap, else allocated */
    int kiln_head, kiln_len, kiln_cap;
    inbound_list inbound;   /* coke, pitch and butts on their way here */
    gsl_rng *rng;
    struct kiln_batch kiln_own[KILN_OWN];
} plant_state;

#define RECV_SLOTS 8
typedef struct smelter_state {
    double rate;         /* t anode/day now */
    double stock;
    double on_order;
    double t_last;       /* stock is as of this time */
    sim_handle reorder;
    double consumed_month;
    double backorder;    /* demand not met and still owed (backorder policy) */
    int recv_plant[RECV_SLOTS];   /* plants that delivered this month */
    double recv_qty[RECV_SLOTS];
    int nrecv;
    double butts_held;   /* butts waiting for a plant to return to */
    double displaced_rate;   /* t/day of carbon-anode demand taken by inert anodes */
    double al_tpy;       /* aluminium output a year this month: grown, transferred, capped (before curbs) */
    double al_rate;      /* t of aluminium a day this month, after curbs and curtailments */
    gsl_rng *rng;
} smelter_state;

/* What a shipment reads and writes of a link, in one record of one cache
 * line (the array is aligned to lines): on large networks each record
 * read is a cache miss.  What only capacity-limited links and closures
 * need is apart, in link_cold. */
typedef struct link_state {
    double busy;           /* time the link is free again; -1: unlimited capacity */
    double lead_days;      /* the scenario's */
    double lead_sigma, lead_drift;    /* lognormal lead time (sigma 0: always lead_days) */
    sim_rng_state rng;     /* the link's stream of lead times */
} link_state;

typedef struct link_cold {
    double capacity_tpd;   /* now (HUGE_VAL: unlimited): the scenario's, or a slowdown's */
    double closed_until;   /* closed before this time (only where links can close) */
    double booked;         /* t of orders at plants that will ship over it (where links are limited) */
} link_cold;

/* One leg of a shipment: its link, when it enters and leaves it. */
struct ship_leg {
    int link;
    double in, out;
};

/* A shipment's record: kept only in scenarios where links can close, for
 * its legs (elsewhere its inbound entry is the whole shipment).  Every leg
 * is kept, however long the route (closures and detours see them all). */
typedef struct shipment {
    int com;
    int live;
    int nlegs, legcap;
    struct ship_leg *legs;        /* kept when the record is reused */
    int dest_node;
    double arrive;
    int plant;           /* origin plant of anodes; destination plant of raw materials and butts */
    int cust;            /* anode customer (smelter, or nsmelters + market) */
    int next_free;
} shipment;

/* A candidate plant in one placement (sourcing.c): its position in the
 * customer's candidate list, effective cost and what it can take. */
struct sourcing_pick {
    double eff, take;
    int i;
};

struct model_instance {
    const model_def *d;
    const scenario *s;
    sim_engine eng;
    plant_state *plants;
    smelter_state *smelters;
    link_state *link;     /* [nlinks], aligned to cache lines */
    link_cold *link_cold; /* [nlinks] */
    gsl_rng **market_rng;
    double *sup_busy;     /* time each supplier can ship again */
    shipment *ship;
    int nship, capship, free_ship;
    inbound_list *cust_in;    /* [nsmelters + nmarkets] anodes on their way to each customer */
    double *transit_region;   /* [nregions] anodes on their way to customers of each region */
    double *lead_hist;        /* [nregions][LEAD_BINS] t delivered this month by lead time (day bins) */
    int *lead_top;            /* [nregions] bins of lead_hist used this month (cleared up to it) */
    mdl_order *moved;         /* scratch: orders taken off a plant to be placed again */
    int capmoved;
    int *path;                /* scratch: a detour's links */
    net_ws ws;                /* detour searches */
    unsigned char *cust_short;   /* [ncust] ran short this month */
    unsigned long ship_seq;   /* shipments launched this replication */
    double transit[COM_N];
    model_result *out;
    double t0;            /* horizon start */
    int month;            /* month index from the horizon start (negative in warm-up) */
    double month_t0;      /* when the current month started */
    int year;             /* year index (0 in warm-up) */
    int recording;        /* inside the horizon */
    double days_in_year;  /* of the current calendar year: rates are t/yr over this */
    uint64_t point;
    long rep;
    double bal_in[BAL_N], bal_out[BAL_N], stock0[BAL_N];
    int *month_start;     /* sim time of each month boundary, warm-up months first */
    model_trace_fn trace;
    void *trace_ctx;
    /* prices (prices.c) */
    gsl_rng *price_rng;
    price_path prices;        /* log deviations of coke, pitch, energy, exchange rate; their last
                                 monthly returns; the regime */
    double fx_rate;           /* CNY per USD now */
    double *plant_cost;       /* actual unit cost now (smoothed utilisation), per plant */
    double *plant_std;        /* standard unit cost now (reference utilisation): what quotes follow */
    double *plant_price;      /* ex-works price now (lagged standard cost times 1 + the region's mark-up) */
    double *util_plant;       /* [nplants] smoothed utilisation */
    double *butts_share;      /* [nplants] smoothed butts put in per t of green anode */
    double *region_util;      /* [nregions] smoothed utilisation of the region's plants */
    double *region_markup;    /* [nregions] the mark-up its plants quote this month */
    double *region_scratch;   /* [2 * nregions] */
    double *export_price;     /* [nmarkets] export price quoted this month, USD/t */
    double *export_smooth;    /* [nmarkets] its smoothed value, what demand answers */
    /* Month-by-month histories, one array each rather than one buffer per
     * plant: the monthly passes over every plant stream through them
     * instead of missing the cache once per plant (large networks). */
    double *cost_hist;        /* unit cost of the last COST_HIST months: [slot * nplants + p] */
    double *util;             /* plant p's last exit_months of production, of capacity, of profit:
                                 [p * UTIL_RINGS * exit_months + i], [... + exit_months + i], ... */
    int *cand;                /* sourcing candidates re-sorted by current landed cost */
    double *cand_tc;          /* their freight to the customer, kept aligned with cand */
    int *cand_rt;             /* and their route (index into net.plant_cust): an order
                                 searches no route list (a few cache misses on large
                                 networks) */
    double *cand_land;        /* their landed price: ex-works plus freight, and across a border
                                 exports.premium and duties; what sourcing compares */
    double *cand_key;         /* scratch for sourcing (one customer's candidates) */
    struct sourcing_pick *pick;   /* scratch for sourcing: candidates by effective cost */
    int cost_month;           /* months of cost history recorded */
    /* inert anodes (adoption.c) */
    gsl_rng *adopt_rng;
    double *adopt_start, *adopt_speed, *adopt_ceiling;   /* per region, drawn per replication */
    double *inert_share;      /* per region, this month */
    /* link closures (transport.c) */
    gsl_rng **disrupt_rng;
    int nmonth_bounds, first_month;
};

/* ---- sourcing.c ---- */
/* Place an order of qty for customer `cust` with plants (captive share
 * with the owned plants as far as they can take it, the rest by the
 * allocation rule; see sourcing.c).  `placed` is when the customer
 * ordered; plant `except` is not used (-1: none). */
int sourcing_place(model_instance *m, int cust, double qty, double placed, int except);
/* Days an order placed now with plant p would wait before it ships. */
double sourcing_plant_wait(const model_instance *m, int p);

/* ---- plant.c ---- */
/* An order of qty for customer cust, shipped along route (from the plant
 * to the customer). */
int plant_receive_order(model_instance *m, int plant, int cust, const net_route *route, double qty, double placed);
double plant_free_capacity(const model_instance *m, int plant);
int plant_on_cycle(sim_engine *e, const sim_event *ev, void *model);
/* Bring plant p's furnace output up to now and ship what it can. */
int plant_advance(model_instance *m, int plant);
int plant_on_fail(sim_engine *e, const sim_event *ev, void *model);
int plant_on_repair(sim_engine *e, const sim_event *ev, void *model);
void plant_raw_arrived(model_instance *m, int plant, int com, double qty);
/* Campaigns a plant's furnace holds at most at once. */
int plant_kiln_slots(const scenario *s);
int plant_month(model_instance *m, int plant, int day);
int plant_month_end(model_instance *m, int plant, int days);
int plant_init(model_instance *m, int plant);
double plant_cap_rate_now(const model_instance *m, int plant);

/* ---- smelter.c ---- */
/* Bring a smelter's stock and use up to time t (>= its last update). */
void smelter_advance(model_instance *m, int smelter, double t);
int smelter_reschedule(model_instance *m, int smelter);
int smelter_on_reorder(sim_engine *e, const sim_event *ev, void *model);
/* Anodes from `plant` arrive at time t (not before the smelter's last update). */
void smelter_receive(model_instance *m, int smelter, int plant, double qty, double t);
int smelter_month(model_instance *m, int smelter);
int smelter_init(model_instance *m, int smelter);
void smelter_cancel_orders(model_instance *m, int smelter, double qty);
void smelter_set_rate(model_instance *m, int smelter);

/* This month's aluminium output of every smelter (smelter_state.al_tpy),
 * scaled to the national cap (smelter.aluminium_cap_tpy); before the
 * month's smelter_set_rate. */
void smelter_cap_month(model_instance *m);

/* ---- market.c ---- */
int market_on_order(sim_engine *e, const sim_event *ev, void *model);
double market_demand_tpy(const model_instance *m, int market);
int market_init(model_instance *m, int market);

/* ---- transport.c ---- */
/* Send qty of a commodity along a route starting now.  `plant` and `cust`
 * are recorded for the arrival (see shipment).  The goods leave
 * at t_start (>= now; a supplier's queue may delay them). */
int transport_send(model_instance *m, int com, double qty, const net_route *route,
                   int dest_node, int plant, int cust, double t_start, double placed);
/* Expected extra days a shipment starting now on route r waits on its
 * links (queues on limited links, closures, slowdowns); 0 where links are
 * neither limited nor closable.  *room gets the tonnes the route can still
 * take within allocation.max_wait_days (HUGE_VAL: unlimited). */
double transport_route_wait(const model_instance *m, const net_route *r, double *room);
/* Orders of qty to ship over route r booked (qty > 0) or shipped or moved
 * (qty < 0): limited links count them in their queue. */
void transport_book(model_instance *m, const net_route *r, double qty);
/* Send back from from_node (where `route` ends) to `plant` (where it
 * starts) at the route's mean lead time (butts). */
int transport_return(model_instance *m, double qty, const net_route *route, int plant, int from_node);
/* Apply the coke, pitch and butts shipments to plant p that have arrived
 * by time t (inclusive: also those arriving at t), in arrival order.
 * Callers run it before reading the plant's raw stocks, so that lazily
 * applied arrivals are exactly as if each had been an event. */
void transport_deliver_due(model_instance *m, int p, double t, int inclusive);
/* Likewise the anodes due at customer `cust` (smelter, or nsmelters +
 * market) by time t; run before reading or changing a smelter's stock or
 * orders, and for every customer when a month closes. */
void transport_deliver_anodes(model_instance *m, int cust, double t, int inclusive);

/* ---- prices.c ---- */
/* Cheapest landed price of coke (com 0) or pitch (1) at a plant, supplier
 * prices times mult plus freight, over the suppliers that reach it. */
double price_landed_raw(const model_def *d, int plant, int com, double mult, double fxm);
/* Unit cost of plant p at price multipliers f (coke, pitch, energy,
 * exchange rate), butts share of green anode and utilisation. */
double price_unit_cost(const model_def *d, int p, const double f[4], double butts, double util);
int price_def_init(model_def *d);
/* Export prices at the base prices (after the candidate lists). */
int price_def_export_ref(model_def *d);
void price_def_free(model_def *d);
/* Demand multiplier of export market k: (smoothed price / reference)^elasticity. */
double price_export_factor(const model_instance *m, int k);
void price_reset(model_instance *m);
/* Advance prices one month and recompute costs, prices and the order of
 * sourcing candidates. */
int price_month(model_instance *m);
/* Apply a price shock now (log price of `item` plus log(factor)). */
void price_shock(model_instance *m, int item, double factor);
void price_update_costs(model_instance *m);
/* Landed prices of every candidate at this month's quotes and the duties
 * in force now, and the candidates ranked by them (when a duty starts or
 * ends, and monthly). */
void price_rank(model_instance *m);
void price_record(model_instance *m);

/* ---- adoption.c ---- */
void adopt_reset(model_instance *m);
void adopt_month(model_instance *m);
/* Share of carbon-anode demand displaced in a region now. */
static inline double adopt_share(const model_instance *m, int region)
{
    return m->inert_share[region];
}

/* ---- events.c: scheduled events, curbs, exports restrictions ---- */
int events_reset(model_instance *m);
int events_on_scenario(sim_engine *e, const sim_event *ev, void *model);
int events_on_disrupt(sim_engine *e, const sim_event *ev, void *model);
int events_on_restore(sim_engine *e, const sim_event *ev, void *model);
/* Share of capacity (plants) or output (smelters) kept this month. */
double events_curb(const model_instance *m, int region, int smelters);
/* Aluminium output (t/yr) smelter i has gained (< 0: lost) by transfers so far. */
double events_transfer(const model_instance *m, int i);
/* Share of a smelter's output or a plant's capacity (node index) kept
 * this month by curtailments: their days in the month weigh them. */
double events_curtail(const model_instance *m, int node);
/* Duty on anodes from region `from` to region `to` now: ad valorem share
 * and reporting currency per t (0 and 0 when none applies). */
void events_duty(const model_instance *m, int from, int to, double *rate, double *per_t);
/* Share of a market's export demand allowed now. */
double events_export_allowed(const model_instance *m, int market);

/* ---- transport.c: closures ---- */
int transport_close(model_instance *m, int link, double until);

/* ---- model.c: accounting helpers ---- */
/* Larger and smaller of two numbers, as SSE's maxsd and minsd: fmax and
 * fmin are library calls that GCC does not inline (they must handle NaN,
 * which the model never produces), 1-2 % of a replication on the hot
 * paths.  For numbers they return what x86-64's libm returns. */
/* Anode quantities below a gram are rounding residue of adding and
 * taking away (a transit total back to 6e-10 t when its last shipment
 * arrives): a stock or total that falls below is zero, so that results
 * store zeros as zeros. */
#define MDL_EPS_T 1e-6

static inline double mdl_snap(double x)
{
    return x < MDL_EPS_T && x > -MDL_EPS_T ? 0.0 : x;
}

static inline double mdl_max(double a, double b)
{
    return a > b ? a : b;
}

static inline double mdl_min(double a, double b)
{
    return a < b ? a : b;
}

/* Growth factor of customer c (smelter, or nsmelters + market) in the
 * current month: (1 + growth)^t, t in years from the middle of the first
 * year to the middle of this month, so that the first year's mean is the
 * table's figure and output rises month by month (growth stepped by
 * calendar year made every January a jump in output). */
/* Reporting currency per USD at `usd_cny` CNY per USD (1 when the
 * reporting currency is USD). */
static inline double mdl_per_usd(const scenario *s, double usd_cny)
{
    return s->currency == CUR_USD ? 1.0 : usd_cny;
}

static inline double mdl_growth(const model_instance *m, int c)
{
    return exp(m->d->growth[c] * ((m->month + 0.5) / 12.0 - 0.5));
}

/* First of plant p's supplier candidates of coke (com 0) or pitch (1) in
 * model_def.sup_cand (and sup_tc, sup_rt): coke's come first. */
static inline int mdl_sup_first(const model_def *d, int p, int com)
{
    return d->sup_start[p] + (com == 1 ? d->nsup_cand[2 * p] : 0);
}

/* Days a supplier's queue may hold an order before a plant looks to
 * another (plant.c); what it adds to the lead a plant's stock covers. */
#define RAW_QUEUE_DAYS 7.0

/* Node of customer c (smelter, or nsmelters + market). */
static inline int mdl_cust_node(const scenario *s, int c)
{
    return c < s->nsmelters ? s->smelters[c].node : s->markets[c - s->nsmelters].node;
}

static inline int mdl_plant_region(const model_instance *m, int plant)
{
    return m->d->plant_region[plant];
}

/* Region of customer c (smelter, or nsmelters + market). */
static inline int mdl_cust_region(const model_instance *m, int c)
{
    return m->d->cust_region[c];
}
void mdl_add(model_instance *m, int region, int metric, double x);
void mdl_flow(model_instance *m, int com_bal, double in, double out);

#endif
