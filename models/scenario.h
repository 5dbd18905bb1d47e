/*
 * scenario — a scenario file (YAML, schema declared for libcyaml) and the
 * CSV tables it names, loaded, validated and resolved into one structure
 * the model reads.
 *
 * Scalar parameters are declared once, in the X-macro lists below: each
 * line gives the name, default, range, unit and meaning.  From that one
 * declaration come the libcyaml schema, the defaults, the range checks
 * (with file, line and field in every message), `--set section.key=value`
 * overrides and the resolved-parameter JSON stored with results.  The
 * format is documented in docs/scenario-format.md.
 *
 * Ownership: scn_load fills a scenario that the caller releases with
 * scn_free.  A loaded scenario is read-only and shared by all threads.
 */
#ifndef SCENARIO_H
#define SCENARIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* X(name, default, min, max, min_exclusive, unit, meaning) */
#define SCN_SMELTER_PARAMS(X)                                                              \
    X(anode_per_t_al, 0.475, 0.0, 1.0, 1, "t/t", "gross carbon anode use per tonne of primary aluminium") \
    X(reorder_days, 20.0, 0.0, 365.0, 0, "d", "reorder point, in days of cover at the current use rate") \
    X(order_up_to_days, 40.0, 0.0, 730.0, 1, "d", "order-up-to level, in days of cover")              \
    X(butt_ratio, 0.20, 0.0, 0.5, 0, "t/t", "butts returned to the supplying plant per tonne of anode used") \
    X(order_lines, 2.0, 1.0, 64.0, 0, "1", "call-off lines a smelter's supply is split into (pot lines, contracts): each call-off is (order_up_to_days - reorder_days) / order_lines days of use; 1 is the classic (s, S) rule") \
    X(aluminium_cap_tpy, 0.0, 0.0, 1e10, 0, "t/yr", "national cap on the smelters' aluminium output: growth stops at it, every smelter scaled alike (0: none)")

#define SCN_PLANT_PARAMS(X)                                                                \
    X(recipe_cpc, 0.65, 0.0, 1.0, 0, "t/t", "calcined petroleum coke per tonne of green anode")   \
    X(recipe_pitch, 0.15, 0.0, 1.0, 0, "t/t", "coal tar pitch per tonne of green anode")          \
    X(recipe_butts, 0.20, 0.0, 1.0, 0, "t/t", "recycled butts per tonne of green anode (coke replaces missing butts)") \
    X(bake_days, 21.0, 0.0, 120.0, 0, "d", "forming and baking lead time of a campaign")          \
    X(campaign_days, 7.0, 0.5, 60.0, 0, "d", "interval between production campaigns")             \
    X(finished_target_days, 7.0, 0.0, 120.0, 0, "d", "finished-anode stock kept, in days of recent order intake") \
    X(adjust_days, 42.0, 0.5, 365.0, 0, "d", "production closes the gap to the target stock over this many days (campaign_days: at once, no smoothing)") \
    X(forecast_days, 91.0, 0.5, 730.0, 0, "d", "order intake is averaged over about this many days to plan production and stocks (exponential smoothing)") \
    X(accept_days, 10.0, 1.0, 365.0, 0, "d", "orders accepted while the backlog not covered by finished stock is under this many days of capacity") \
    X(raw_reorder_days, 20.0, 0.0, 365.0, 0, "d", "raw-material reorder point, days of use on top of the mean lead time of the plant's cheapest supplier route")      \
    X(raw_order_up_to_days, 40.0, 0.0, 730.0, 1, "d", "raw-material order-up-to level, days of use on top of that lead time") \
    X(margin, 0.08, -0.5, 2.0, 0, "1", "mark-up of the ex-works price over standard unit cost where the region's plants run at margin_reference_utilisation") \
    X(margin_slope, 0.5, 0.0, 20.0, 0, "1", "change of the mark-up per unit of the region's smoothed utilisation above (below) the reference: tight regions price up, idle ones down") \
    X(margin_reference_utilisation, 0.76, 0.05, 1.0, 0, "1", "utilisation at which the mark-up is plant.margin; also the utilisation of the standard cost prices are quoted from") \
    X(margin_min, -0.15, -0.9, 0.0, 0, "1", "lowest mark-up (a tender below standard cost)")    \
    X(margin_max, 0.40, 0.0, 5.0, 0, "1", "highest mark-up")                                     \
    X(margin_smoothing_months, 3.0, 1.0, 36.0, 0, "month", "utilisation is smoothed over about this many months for pricing and unit cost") \
    X(butts_handling_per_t, 120.0, 0.0, 1e4, 0, "CNY/t", "cleaning and crushing a tonne of returned butts (estimate)") \
    X(mtbf_days, 0.0, 0.0, 1e6, 0, "d", "mean time between outages (0: no outages)")             \
    X(mttr_days, 0.0, 0.0, 1e4, 0, "d", "mean time to repair an outage")                         \
    X(exit_utilisation, 0.0, 0.0, 1.0, 0, "1", "a plant below this utilisation over the last exit_months retires capacity (0: never for idleness)") \
    X(exit_on_loss, 0.0, 0.0, 1.0, 0, "1", "1: a plant that lost money over the last exit_months (revenue below cost) retires capacity too") \
    X(exit_rate_per_year, 0.25, 0.01, 12.0, 0, "1/yr", "share of its nameplate a plant in an exit window retires a year, month by month (12: all at once)") \
    X(exit_months, 12.0, 1.0, 120.0, 0, "month", "length of the window of recorded months after start-up that exits and investment look back over") \
    X(invest_utilisation, 0.0, 0.0, 1.0, 0, "1", "a high-efficiency plant above this utilisation and invest_margin over the window expands (0: never)") \
    X(invest_margin, 300.0, -1e5, 1e5, 0, "CNY/t", "margin per tonne over the window a high-efficiency plant needs to expand") \
    X(invest_share, 0.25, 0.01, 2.0, 0, "1", "an expansion adds this share of the plant's nameplate")                \
    X(invest_lead_months, 24.0, 0.0, 120.0, 0, "month", "an expansion decided now produces after this many months") \
    X(invest_max_share, 1.0, 0.0, 10.0, 0, "1", "expansions of a plant add at most this share of its nameplate in all")

#define SCN_TRANSPORT_PARAMS(X)                                                            \
    X(rail_per_tkm, 0.1706, 0.0, 100.0, 0, "CNY/(t km)", "rail freight rate")                  \
    X(road_per_tkm, 0.46, 0.0, 100.0, 0, "CNY/(t km)", "road freight rate")                    \
    X(river_per_tkm, 0.06, 0.0, 100.0, 0, "CNY/(t km)", "river freight rate")                  \
    X(sea_per_tkm, 0.025, 0.0, 100.0, 0, "CNY/(t km)", "sea freight rate")                     \
    X(handling_per_t, 25.0, 0.0, 1e4, 0, "CNY/t", "loading and unloading charge per leg")     \
    X(rail_km_per_day, 450.0, 1.0, 1e5, 0, "km/d", "rail speed including dwell, for lead times not given") \
    X(road_km_per_day, 500.0, 1.0, 1e5, 0, "km/d", "road speed, for lead times not given")   \
    X(river_km_per_day, 200.0, 1.0, 1e5, 0, "km/d", "river speed, for lead times not given") \
    X(sea_km_per_day, 550.0, 1.0, 1e5, 0, "km/d", "sea speed, for lead times not given")     \
    X(port_days, 3.0, 0.0, 365.0, 0, "d", "fixed dwell added to sea legs")                    \
    X(default_cv, 0.2, 0.0, 3.0, 0, "1", "coefficient of variation of lead times not given")    \
    X(disruption_rate, 0.0, 0.0, 365.0, 0, "1/yr", "random closures per link and year (0: none)") \
    X(disruption_days, 10.0, 0.0, 365.0, 0, "d", "mean length of a random link closure")

/* How orders are allocated to plants (YAML `allocation:`; also `rule`
 * and `backorder`, not numbers, below). */
#define SCN_ALLOC_PARAMS(X)                                                                \
    X(delay_cost_per_day, 20.0, 0.0, 1e5, 0, "CNY/(t d)", "what a customer counts a day of expected wait (plant backlog, outage, link queue or closure) in its choice of plant") \
    X(max_wait_days, 30.0, 1.0, 365.0, 0, "d", "a plant or route whose expected wait is longer is not used while another can serve") \
    X(split_band, 0.03, 0.0, 1.0, 0, "1", "rule split: plants within this share of the lowest effective cost share an order") \
    X(captive_premium, 0.0, 0.0, 1e5, 0, "CNY/t", "added to the landed price of a smelter-owned plant for the merchant part of an order, its owner's included (merchant parts are term contracts with merchant producers)") \
    X(min_lot_t, 1000.0, 0.0, 1e9, 0, "t", "smallest part of an order placed with one plant, unless what is left is smaller (estimate: a block train)")

#define SCN_EXPORT_PARAMS(X)                                                               \
    X(order_interval_days, 30.0, 1.0, 365.0, 0, "d", "export orders are placed this often per destination") \
    X(premium, 0.0, -0.5, 5.0, 0, "1", "mark-up of export quotes over the domestic ex-works price (export grades, packing, world parity); freight to the destination comes on top") \
    X(price_smoothing_months, 3.0, 1.0, 36.0, 0, "month", "destinations answer the export price smoothed over about this many months (contracts)")

/* Prices: each of coke, pitch, energy and the exchange rate is its base
 * times exp(X); X follows the recorded history (prices.history) to its
 * last observation, then a mean-reverting process with persistent
 * monthly returns (momentum), a calm and a turbulent volatility regime
 * and Poisson jumps, stepped monthly; the Gaussian shocks of the first
 * three are correlated. */
#define SCN_PRICE_ITEM_PARAMS(X, item, kappa, sigma, lam, jsd)                              \
    X(item##_reversion, kappa, 0.0, 100.0, 0, "1/yr", "mean-reversion speed of the log " #item " price") \
    X(item##_volatility, sigma, 0.0, 5.0, 0, "1/sqrt(yr)", "volatility of the log " #item " price in the calm regime") \
    X(item##_momentum, 0.0, 0.0, 0.95, 0, "1", "share of last month's log return carried into this month's (persistence)") \
    X(item##_jump_rate, lam, 0.0, 100.0, 0, "1/yr", "rate of " #item " price jumps")                  \
    X(item##_jump_mean, 0.0, -5.0, 5.0, 0, "1", "mean size of a " #item " price jump (log)")          \
    X(item##_jump_sd, jsd, 0.0, 5.0, 0, "1", "standard deviation of a " #item " price jump (log)")
#define SCN_PRICE_PARAMS(X)                                                                \
    X(energy_per_gj, 45.0, 0.0, 1e5, 0, "CNY/GJ", "base price of baking energy")               \
    SCN_PRICE_ITEM_PARAMS(X, coke, 1.5, 0.40, 1.0, 0.18)                                        \
    SCN_PRICE_ITEM_PARAMS(X, pitch, 1.5, 0.30, 1.0, 0.18)                                       \
    SCN_PRICE_ITEM_PARAMS(X, energy, 2.0, 0.20, 0.5, 0.10)                                      \
    SCN_PRICE_ITEM_PARAMS(X, fx, 0.5, 0.04, 0.0, 0.0)                                           \
    X(turbulent_rate, 0.0, 0.0, 100.0, 0, "1/yr", "rate at which a calm market turns turbulent (0: always calm)") \
    X(calm_rate, 2.0, 0.01, 100.0, 0, "1/yr", "rate at which a turbulent market calms down")    \
    X(turbulent_factor, 1.0, 1.0, 20.0, 0, "1", "volatility and jump rate multiplier of the turbulent regime") \
    X(corr_coke_pitch, 0.5, -1.0, 1.0, 0, "1", "correlation of coke and pitch price shocks")    \
    X(corr_coke_energy, 0.2, -1.0, 1.0, 0, "1", "correlation of coke and energy price shocks")  \
    X(corr_pitch_energy, 0.2, -1.0, 1.0, 0, "1", "correlation of pitch and energy price shocks") \
    X(volatility_scale, 1.0, 0.0, 10.0, 0, "1", "multiplies every volatility and jump rate (0: no new shocks; shocks and the history's last deviation still decay)") \
    X(anode_price_lag_months, 2.0, 0.0, 24.0, 0, "month", "anode prices follow standard unit cost with this lag; margins absorb the rest")

/* Parameters of the run itself (also settable with --set run.KEY=...). */
#define SCN_RUN_PARAMS(X)                                                                  \
    X(warmup_days, 365.0, 0.0, 3650.0, 0, "d", "simulated before the horizon starts; not recorded")

#define SCN_DECLARE_FIELD(name, dflt, lo, hi, open, unit, doc) double name;
typedef struct { SCN_SMELTER_PARAMS(SCN_DECLARE_FIELD) } scn_smelter_params;
typedef struct { SCN_PLANT_PARAMS(SCN_DECLARE_FIELD) } scn_plant_params;
typedef struct { SCN_TRANSPORT_PARAMS(SCN_DECLARE_FIELD) } scn_transport_params;
typedef struct { SCN_EXPORT_PARAMS(SCN_DECLARE_FIELD) } scn_export_params;
typedef enum { ALLOC_GREEDY, ALLOC_SPLIT, ALLOC_RULES } scn_alloc_rule;
extern const char *const scn_alloc_rule_names[];   /* "greedy", "split" */
typedef struct {
    SCN_ALLOC_PARAMS(SCN_DECLARE_FIELD)
    scn_alloc_rule rule;
    int backorder;        /* default for smelters: 1 backorders, 0 lost sales */
} scn_alloc_params;
typedef struct { SCN_PRICE_PARAMS(SCN_DECLARE_FIELD) } scn_price_params;
typedef struct { SCN_RUN_PARAMS(SCN_DECLARE_FIELD) } scn_run_params;

typedef enum { NODE_COKE, NODE_PITCH, NODE_PLANT, NODE_SMELTER, NODE_PORT, NODE_MARKET, NODE_KINDS } scn_node_kind;
typedef enum { MODE_RAIL, MODE_ROAD, MODE_RIVER, MODE_SEA, MODE_COUNT } scn_mode;
typedef enum { CUR_CNY, CUR_USD } scn_currency;

typedef enum { EVT_PRICE_SHOCK, EVT_EXPORT_RESTRICTION, EVT_LINK_CLOSURE, EVT_LINK_SLOWDOWN, EVT_SMELTER_TRANSFER,
               EVT_CURTAILMENT, EVT_DUTY, EVT_PLANT_CLOSE, EVT_KINDS } scn_event_kind;
/* Kind of a region (tables.regions): a province of China, or a country
 * or group of countries of the rest of the world. */
typedef enum { REGION_PROVINCE, REGION_WORLD } scn_region_kind;
extern const char *const scn_region_kind_names[];   /* province, world */
typedef enum { DIST_FIXED, DIST_UNIFORM, DIST_TRIANGULAR, DIST_NORMAL } scn_dist_kind;

extern const char *const scn_node_kind_names[];   /* "coke_supplier", ... */
extern const char *const scn_event_kind_names[];
extern const char *const scn_price_item_names[];  /* coke, pitch, energy */
extern const char *const scn_mode_names[];
extern const char *const scn_currency_names[];

typedef struct scn_class {
    char *name;
    double energy_gj_per_t;     /* baking energy per tonne of anode */
    double conversion_per_t;    /* variable conversion (consumables, power, variable labour); reporting currency */
    double fixed_per_year_t;    /* fixed cost a year per tonne of yearly capacity (depreciation, staff, upkeep) */
    double baking_loss;         /* mass lost in baking, share of green anode */
    int high_efficiency;        /* counts toward the high-efficiency share */
    int market_exit;            /* retires capacity for idleness or losses (plant.exit_*); 0: a smelter's
                                   own carbon plant abroad, which closes with its smelter */
} scn_class;

typedef struct scn_node {
    char *id;
    scn_node_kind kind;
    int region;       /* index into regions */
    int index;        /* index within its kind's array */
    const char *file; /* table it came from, and its line */
    int line;
} scn_node;

typedef struct scn_supplier {
    int node;
    int commodity;        /* 0 calcined coke, 1 pitch */
    double capacity_tpy;
    double price;         /* reporting currency per tonne, ex works */
    int usd;              /* priced in USD: moves with the exchange rate */
} scn_supplier;

typedef struct scn_plant {
    int node;
    int cls;
    double capacity_tpy;  /* baked anode */
    int owner;            /* smelter index, -1 merchant */
    int enterprise;       /* index into owners (the last, "other", when none is named) */
    int start_day, end_day;   /* open on [start, end), days since horizon start */
} scn_plant;

/* An enterprise owning plants (table owners): producers the data names,
 * smelter groups for captive plants; "other" (always last) for the rest. */
typedef enum { OWNER_MERCHANT, OWNER_SMELTER_GROUP, OWNER_OTHER } scn_owner_kind;
extern const char *const scn_owner_kind_names[];   /* merchant, smelter_group, other */
typedef struct scn_owner {
    char *id;
    scn_owner_kind kind;
} scn_owner;

typedef struct scn_smelter {
    int node;
    double al_tpy;        /* primary aluminium output in the first year */
    double anode_per_t;   /* prebaked anode per t of aluminium: the table's, or smelter.anode_per_t_al;
                             0 for Soderberg smelters (they bake their own paste) */
    int soderberg;        /* 1: Soderberg technology, no prebaked anodes */
    double safety_days;   /* days of cover held on top of smelter.reorder_days and order_up_to_days */
    double captive_share; /* share of orders placed with owned plants */
    double growth;        /* per year */
    int backorder;        /* 1: demand not met waits for the next delivery; 0: lost */
} scn_smelter;

typedef struct scn_market {
    int node;
    double demand_tpy;    /* anode imports from this network, first year, at the reference price */
    double growth;        /* per year */
    double elasticity;    /* price elasticity of demand (<= 0) */
} scn_market;

/* Recorded prices (table prices.history): item, calendar month, price. */
enum { HIST_COKE, HIST_PITCH, HIST_ENERGY, HIST_FX, HIST_N };
extern const char *const scn_history_item_names[];   /* coke, pitch, energy, usd_cny */
typedef struct scn_price_obs {
    int item;
    int month;            /* calendar month: year * 12 + month - 1 */
    double price;         /* reporting currency per t (energy per GJ; usd_cny: CNY per USD) */
} scn_price_obs;

typedef struct scn_link {
    int from, to;         /* node indices */
    scn_mode mode;
    double distance_km;
    double lead_days;     /* mean */
    double lead_cv;
    double capacity_tpd;  /* HUGE_VAL when unlimited */
    double cost_per_t;    /* reporting currency */
    int line;
} scn_link;

/* A scheduled event (YAML `events:`). */
typedef struct scn_event {
    scn_event_kind kind;
    int day;              /* from the horizon start */
    int until_day;        /* export restriction ends (exclusive); INT32_MAX: never */
    int item;             /* price shock: 0 coke, 1 pitch, 2 energy */
    double factor;        /* price multiplier, or share of export demand allowed */
    int region;           /* export restriction: market region, -1 all */
    int from, to;         /* link closure or slowdown: nodes (every link between them) */
    double days;          /* link closure or slowdown length */
    double lead_factor;   /* slowdown: lead time multiplied by this (>= 1) */
    double capacity_tpd;  /* slowdown: capacity at most this (HUGE_VAL: unchanged) */
    double al_tpy;        /* smelter transfer: aluminium output moved from smelter `from` to `to` (indices), over `days` */
    int node;             /* curtailment: the smelter or plant (node index); plant_close: the plant */
    double rate;          /* duty: ad valorem share of the ex-works price */
    double per_t;         /* duty: per tonne, reporting currency */
    unsigned char *from_set, *to_set;   /* duty: [nregions] 1 for origin / destination regions */
    int line;
} scn_event;

/* A seasonal curb (YAML `curbs:`): capacity of plants or output of smelters
 * in the listed regions times `factor` in the listed months. */
typedef struct scn_curb {
    unsigned char *region;    /* [nregions] 1 when affected */
    int smelters;             /* 0: plants, 1: smelters */
    unsigned months;          /* bit m-1 set for month m */
    double factor;
} scn_curb;

/* A distribution to draw a parameter from, once per replication. */
typedef struct scn_dist {
    scn_dist_kind kind;
    double a, b, c;           /* fixed: a; uniform: [a, b]; triangular: a, b, mode c; normal: mean a, sd b */
} scn_dist;

/* Inert-anode adoption in a region (YAML `inert_anodes:`): a logistic
 * share of smelter capacity converted, ceiling / (1 + exp(-speed (t - mid)))
 * with mid = start_year + ln(99) / speed (1 % of the ceiling at the start). */
typedef struct scn_adoption {
    int region;               /* -1: every region not listed elsewhere; -2: the regions of `group` */
    int group;                /* an IAI region (index into groups) whose regions are not listed apart; -1 none */
    scn_dist start_year, speed, ceiling;
} scn_adoption;

typedef struct scenario {
    char *path;           /* the YAML file */
    char *text;           /* its full text, stored with results */
    char *inputs;         /* a line per input file read, "WHAT fnv1a:HEX": the scenario, its
                             bases, each table; stored with results, compared by resume and
                             merge (scn_inputs_differ) */
    char *name, *description;
    uint64_t seed;
    long replications;
    int start_date, end_date;     /* days since 1970-01-01, end inclusive */
    int ndays;                    /* horizon length */
    int nmonths, nyears;
    int start_year, start_month;
    scn_currency currency;
    double usd_cny;

    scn_run_params run;
    scn_smelter_params smelter;
    scn_plant_params plant;
    scn_transport_params transport;
    scn_export_params exports;
    scn_price_params prices;
    scn_alloc_params alloc;

    int nregions;
    char **regions;
    int *region_kind;     /* [nregions] scn_region_kind: from tables.regions, or provinces where
                             plants, smelters or ports are and world elsewhere */
    int *region_group;    /* [nregions] index into groups */
    int ngroups;
    char **groups;        /* IAI regions (tables.regions' iai_region); without the table "China"
                             for provinces and a world region's own name */
    int region_table;     /* regions come from tables.regions */
    char *region_table_path;   /* that table, as read (messages) */
    int nclasses;
    scn_class *classes;
    int nnodes;
    scn_node *nodes;
    int *node_hash;       /* open-addressing table of node indices by id (-1 empty) */
    int hash_cap;         /* a power of two */
    int nsuppliers, nplants, nsmelters, nports, nmarkets, nlinks;
    scn_supplier *suppliers;
    scn_plant *plants;
    scn_smelter *smelters;
    int *ports;           /* node indices */
    scn_market *markets;
    scn_link *links;
    int nhist;
    scn_price_obs *hist;  /* item by item, months ascending */
    int nowners;
    scn_owner *owners;    /* the table's, then "other" */
    int nevents, ncurbs, nadoption;
    scn_event *events;
    scn_curb *curbs;
    scn_adoption *adoption;
    /* Paths of the tables, in this order: suppliers, plants, smelters,
     * ports, markets, links. */
    char *table_paths[6];
} scenario;

/* One "section.key=value" override from the command line. */
typedef struct scn_override {
    const char *key;
    const char *value;
} scn_override;

/* Load, validate and resolve a scenario.  Overrides are applied before
 * validation, so they are checked like values in the file.  Returns SIM_OK,
 * SIM_EIO (unreadable file) or SIM_EINPUT (message names file, line, field,
 * value and what was expected). */
/* A whole number in [min, max] written with decimal digits only: no
 * sign, space, fraction or exponent ("1e3" is not 1000, "2.5" not 2,
 * "-1" not 2^64 - 1).  Returns 0 with *out set, or -1. */
int scn_parse_whole(const char *text, unsigned long long min, unsigned long long max, unsigned long long *out);

/* Let tables lie outside the folder of the scenario file that names them
 * (absolute paths, ".."): off by default. */
void scn_allow_inputs_anywhere(int on);

/* The candidate nearest to `word` by edit distance, if near enough to be
 * a typo of it ("did you mean"); NULL otherwise. */
const char *scn_nearest(const char *word, const char *const *cands, int n);
/* The declared parameter key ("section.name") nearest to key, or NULL. */
const char *scn_nearest_param(const char *key);
/* Every declared parameter as JSON: key, default, range, unit, meaning. */
void scn_params_list_json(FILE *out);

/* The first input of `now` (a scenario's inputs) that differs from, or
 * is missing in, `then` (as stored with results): its description, in
 * buf; NULL when they are the same. */
const char *scn_inputs_differ(const char *then, const char *now, char *buf, size_t size);

int scn_load(const char *path, const scn_override *ov, int nov, scenario *s);
void scn_free(scenario *s);

/* Whether regions a and b are in one country: every province is in China,
 * every world region is a country of its own (or stands for one). */
static inline int scn_same_country(const scenario *s, int a, int b)
{
    return a == b || (s->region_kind[a] == REGION_PROVINCE && s->region_kind[b] == REGION_PROVINCE);
}

/* Index of a node id, -1 if unknown. */
int scn_find_node(const scenario *s, const char *id);

/* A draw from a distribution (uniform variate u in [0, 1), Gaussian z). */
double scn_dist_draw(const scn_dist *d, double u, double z);

/* Money in the reporting currency from an amount in `cur`. */
double scn_to_reporting(const scenario *s, double amount, scn_currency cur);
const char *scn_currency_unit(const scenario *s);   /* "CNY/t" or "USD/t" */

/* `rel` resolved against the folder of the file `base` (absolute paths
 * unchanged); malloc'd, NULL when out of memory. */
char *scn_path_join(const char *base, const char *rel);

/* Value of a declared scalar parameter "SECTION.NAME"; SIM_ENOTFOUND when
 * the key is not one (run.seed and run.replications are not sweepable). */
int scn_get_param(const scenario *s, const char *key, double *out);

/* Resolved parameters as a JSON object (malloc'd, caller frees). */
char *scn_params_json(const scenario *s);

/* Write the parameter reference (markdown table rows) to a stream; used
 * to check docs/scenario-format.md is complete. */
void scn_params_markdown(FILE *out);

#endif
