/*
 * The model's results, declared once for the recorder (output/schema.h):
 * every name, unit and long_name of a results file is written here and
 * nowhere else.
 */
#include "results_schema.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "sim_err.h"

/* Record blocks: where each series of a model_result lies. */
enum { B_REGION_MONTH, B_OD_YEAR, B_PLANT_YEAR, B_PRICE_MONTH, B_INERT_MONTH, B_BALANCE, B_OWNER_YEAR, B_TOP5_YEAR, B_N };

/* Dimensions, in the order they are declared. */
enum { DM_TIME, DM_REGION, DM_YEAR, DM_ORIGIN, DM_DEST, DM_PLANT, DM_OWNER, DM_COMMODITY, DM_PARAM };

/* The priced items as separate variables (one unit each). */
static const struct {
    const char *name, *units, *long_name;
} price_vars[PRICE_N] = {
    { "coke_price", "t-1", "calcined coke price at the start of the month, capacity-weighted over suppliers" },
    { "pitch_price", "t-1", "coal tar pitch price at the start of the month, capacity-weighted over suppliers" },
    { "energy_price", "GJ-1", "energy price for baking at the start of the month" },
    { "national_anode_price", "t-1", "ex-works anode price of the month, capacity-weighted over all plants" },
    { "usd_cny", "1", "exchange rate of the month, CNY per USD" },
};

static const char *const commodity_labels[BAL_N] = { "anode", "calcined_coke", "pitch", "butts", "green_anode" };

/* CF cell_methods of a monthly metric, by how it aggregates. */
static const char *cell_methods_of(model_agg agg)
{
    switch (agg) {
    case MDL_AGG_SUM:
        return "time: sum";
    case MDL_AGG_WMEAN:
        return "time: mean";
    default:
        return "time: point";
    }
}

static int time_dim(rs_schema *rs, const scenario *s)
{
    size_t T = (size_t)s->nmonths;
    double *start = malloc((T + 1) * sizeof *start), *bnds = malloc((2 * T + 1) * sizeof *bnds);
    int rc = start && bnds ? SIM_OK : SIM_ENOMEM;
    for (size_t k = 0; rc == SIM_OK && k <= T; k++) {
        int mm = s->start_month - 1 + (int)k;
        double day = csv_days_from_civil(s->start_year + mm / 12, mm % 12 + 1, 1) - s->start_date;
        if (k == T && day > s->ndays)
            day = s->ndays;   /* (a horizon that ends within its last month: that month's cell ends with it) */
        if (k < T)
            start[k] = bnds[2 * k] = day;
        if (k > 0)
            bnds[2 * k - 1] = day;
    }
    char units[64];
    snprintf(units, sizeof units, "days since %04d-%02d-01", s->start_year, s->start_month);
    if (rc == SIM_OK && rs_add_dim(rs, "time", "time (the month, from its start to the next month's start)", units,
                                   (long)T, start, 1) != DM_TIME)
        rc = SIM_ENOMEM;
    if (rc == SIM_OK)
        rc = rs_dim_axis(rs, DM_TIME, "T", "proleptic_gregorian");
    if (rc == SIM_OK)
        rc = rs_dim_bounds(rs, DM_TIME, bnds);
    /* Levels at month end are stamped with the end of the month. */
    for (size_t k = 0; rc == SIM_OK && k < T; k++)
        start[k] = bnds[2 * k + 1];
    if (rc == SIM_OK)
        rc = rs_add_aux_values(rs, "time_end", "end of the month (levels at month end are taken then)", units,
                               DM_TIME, (long)T, start, 1);
    if (rc == SIM_OK)
        rs->aux[rs->naux - 1].on_request = 1;   /* only the levels at month end name it */
    free(start);
    free(bnds);
    return rc;
}

/* An index dimension (0, 1, ...) and its text labels. */
static int labelled_dim(rs_schema *rs, int want, const char *name, const char *long_name, long n,
                        const char *const *labels, const char *label_name, const char *label_long)
{
    if (rs_add_dim(rs, name, long_name, NULL, n, NULL, 1) != want)
        return SIM_ENOMEM;
    return rs_add_aux_labels(rs, label_name, label_long, want, n, labels);
}

static int region_dims(rs_schema *rs, const scenario *s)
{
    const char *const *reg = (const char *const *)s->regions;
    long G = s->nregions;
    SIM_CHECK(labelled_dim(rs, DM_REGION, "region", "province or world region (index)", G, reg, "region_name",
                           "province or world region"));
    /* Provinces of China and the world's countries (tables.regions, or
     * inferred: see scenario.h), so that China and the rest sum apart;
     * and the IAI region each reports in. */
    const char **kind = malloc(((size_t)G + 1) * sizeof *kind), **group = malloc(((size_t)G + 1) * sizeof *group);
    int rc = kind && group ? SIM_OK : SIM_ENOMEM;
    for (long g = 0; rc == SIM_OK && g < G; g++) {
        kind[g] = scn_region_kind_names[s->region_kind[g]];
        group[g] = s->groups[s->region_group[g]];
    }
    if (rc == SIM_OK)
        rc = rs_add_aux_labels(rs, "region_kind", "kind of region: province (of China) or world (a country or group of countries elsewhere)",
                               DM_REGION, G, kind);
    if (rc == SIM_OK)
        rc = rs_add_aux_labels(rs, "iai_region", "IAI region the region reports in (China for provinces)", DM_REGION, G,
                               group);
    free(kind);
    free(group);
    SIM_CHECK(rc);
    double *yv = malloc(((size_t)s->nyears + 1) * sizeof *yv);
    if (!yv)
        return SIM_ENOMEM;
    for (int y = 0; y < s->nyears; y++)
        yv[y] = s->start_year + y;
    rc = rs_add_dim(rs, "year", "calendar year", NULL, s->nyears, yv, 1) == DM_YEAR ? SIM_OK : SIM_ENOMEM;
    free(yv);
    SIM_CHECK(rc);
    SIM_CHECK(labelled_dim(rs, DM_ORIGIN, "origin", "region the anodes leave (index)", G, reg, "origin_name",
                           "region the anodes leave"));
    return labelled_dim(rs, DM_DEST, "destination", "region the anodes go to (index)", G, reg, "destination_name",
                        "region the anodes go to");
}

static int plant_dim(rs_schema *rs, const scenario *s)
{
    long NP = s->nplants;
    const char **id = malloc(((size_t)NP + 1) * sizeof *id), **reg = malloc(((size_t)NP + 1) * sizeof *reg),
               **cls = malloc(((size_t)NP + 1) * sizeof *cls);
    int rc = id && reg && cls ? SIM_OK : SIM_ENOMEM;
    for (long p = 0; rc == SIM_OK && p < NP; p++) {
        const scn_node *n = &s->nodes[s->plants[p].node];
        id[p] = n->id;
        reg[p] = s->regions[n->region];
        cls[p] = s->classes[s->plants[p].cls].name;
    }
    if (rc == SIM_OK)
        rc = labelled_dim(rs, DM_PLANT, "plant", "anode plant (index)", NP, id, "plant_id", "anode plant id");
    if (rc == SIM_OK)
        rc = rs_add_aux_labels(rs, "plant_region", "region of the plant", DM_PLANT, NP, reg);
    if (rc == SIM_OK)
        rc = rs_add_aux_labels(rs, "plant_class", "technology class of the plant", DM_PLANT, NP, cls);
    for (long p = 0; rc == SIM_OK && p < NP; p++)
        cls[p] = s->owners[s->plants[p].enterprise].id;
    if (rc == SIM_OK)
        rc = rs_add_aux_labels(rs, "plant_owner", "enterprise that owns the plant (other: none named)", DM_PLANT, NP, cls);
    free(id);
    free(reg);
    free(cls);
    return rc;
}

static int owner_dim(rs_schema *rs, const scenario *s)
{
    long NO = s->nowners;
    const char **id = malloc(((size_t)NO + 1) * sizeof *id), **kind = malloc(((size_t)NO + 1) * sizeof *kind);
    int rc = id && kind ? SIM_OK : SIM_ENOMEM;
    for (long o = 0; rc == SIM_OK && o < NO; o++) {
        id[o] = s->owners[o].id;
        kind[o] = scn_owner_kind_names[s->owners[o].kind];
    }
    if (rc == SIM_OK)
        rc = labelled_dim(rs, DM_OWNER, "owner", "enterprise owning anode plants (index)", NO, id, "owner_name",
                          "enterprise owning anode plants (other: plants that name none)");
    if (rc == SIM_OK)
        rc = rs_add_aux_labels(rs, "owner_kind", "kind of owner: merchant, smelter_group or other", DM_OWNER, NO, kind);
    free(id);
    free(kind);
    return rc;
}

/* Swept parameters: a coordinate on point each (select points by a
 * parameter's value), and the design table. */
static int design(rs_schema *rs, const sweep *sw)
{
    if (!sw || sw->nparams == 0)
        return SIM_OK;
    SIM_CHECK(labelled_dim(rs, DM_PARAM, "parameter", "swept scenario parameter (index)", sw->nparams,
                           (const char *const *)sw->keys, "parameter_name", "swept scenario parameter (SECTION.NAME)"));
    for (int k = 0; k < sw->nparams; k++) {
        char name[128], ln[192];
        snprintf(name, sizeof name, "%s", sw->keys[k]);
        for (char *c = name; *c; c++)
            if (*c == '.')
                *c = '_';
        snprintf(ln, sizeof ln, "value of the swept parameter %s at the point", sw->keys[k]);
        SIM_CHECK(rs_add_aux_values(rs, name, ln, NULL, RS_DIM_POINT, sw->npoints, sw->values + k, (size_t)sw->nparams));
    }
    int dims[2] = { RS_DIM_POINT, DM_PARAM };
    return rs_add_static(rs, "design", "value of each swept parameter at each scenario point (units of each parameter)",
                         NULL, 2, dims, sw->values, 1);
}

static int add_var(rs_schema *rs, const char *name, const char *long_name, const char *units, const char *cur,
                   const char *cm, int nd, const int *dims, int block, size_t off, size_t stride, unsigned sums)
{
    return rs_add_var(rs, name, long_name, units, cur, cm, nd, dims, RS_FLOAT, block, off, stride, sums) < 0
               ? SIM_ENOMEM
               : SIM_OK;
}

/* Yearly metrics over (year, dim), each named PREFIX_NAME; ratios are
 * the year's mean, the rest its sum. */
static int yearly_vars(rs_schema *rs, const char *prefix, const model_metric_info *info, int n, int dim, int block,
                       const char *cur, unsigned sums)
{
    int yd[2] = { DM_YEAR, dim };
    for (int m = 0; m < n; m++) {
        const model_metric_info *mi = &info[m];
        char name[64];
        snprintf(name, sizeof name, "%s_%s", prefix, mi->name);
        const char *ud, *mcur = model_money_currency(mi->units, cur, &ud);
        SIM_CHECK(add_var(rs, name, mi->long_name, ud, mcur, mi->agg == MDL_AGG_WMEAN ? "year: mean" : "year: sum", 2,
                          yd, block, (size_t)m, (size_t)n, sums));
    }
    return SIM_OK;
}

static int variables(rs_schema *rs, const scenario *s)
{
    const char *cur = scn_currency_names[s->currency];
    int tg[2] = { DM_TIME, DM_REGION };
    for (int m = 0; m < RM_NMETRICS; m++) {
        const model_metric_info *mi = &model_region_metrics[m];
        /* Money has no UDUNITS unit: units "1" or "t-1", the currency apart. */
        const char *ud, *mcur = model_money_currency(mi->units, cur, &ud);
        SIM_CHECK(add_var(rs, mi->name, mi->long_name, ud, mcur, cell_methods_of(mi->agg), 2, tg, B_REGION_MONTH,
                          (size_t)m, RM_NMETRICS, RS_SUM_ALL));
        if (mi->agg == MDL_AGG_END)
            SIM_CHECK(rs_var_coordinates(rs, rs->nvars - 1, "time_end"));
    }
    int yod[3] = { DM_YEAR, DM_ORIGIN, DM_DEST };
    SIM_CHECK(add_var(rs, "flow", "anodes dispatched from origin to destination region", "t", NULL, "year: sum", 3,
                      yod, B_OD_YEAR, 0, 1, RS_SUM_MEAN));
    SIM_CHECK(yearly_vars(rs, "plant", model_plant_metrics, PM_NMETRICS, DM_PLANT, B_PLANT_YEAR, cur, 0));
    SIM_CHECK(yearly_vars(rs, "owner", model_owner_metrics, OM_NMETRICS, DM_OWNER, B_OWNER_YEAR, cur, RS_SUM_MEAN));
    int y1[1] = { DM_YEAR };
    SIM_CHECK(add_var(rs, "top5_share", "share of national anode output made by the five largest named owners", "1",
                      NULL, NULL, 1, y1, B_TOP5_YEAR, 0, 1, RS_SUM_ALL));
    int t1[1] = { DM_TIME };
    for (int i = 0; i < PRICE_N; i++)
        SIM_CHECK(add_var(rs, price_vars[i].name, price_vars[i].long_name, price_vars[i].units,
                          i == PRICE_FX ? NULL : cur, "time: point", 1, t1, B_PRICE_MONTH, (size_t)i, PRICE_N,
                          RS_SUM_ALL));
    SIM_CHECK(add_var(rs, "inert_share", "share of smelter capacity converted to inert anodes", "1", NULL,
                      "time: point", 2, tg, B_INERT_MONTH, 0, 1, RS_SUM_ALL));
    int cm[1] = { DM_COMMODITY };
    if (rs_add_var(rs, "balance_residual", "mass balance residual: inflow - outflow - change in stocks and transit",
                   "t", NULL, NULL, 1, cm, RS_DOUBLE, B_BALANCE, 0, 1, 0) < 0)
        return SIM_ENOMEM;
    return SIM_OK;
}

static int attributes(rs_schema *rs, const scenario *s)
{
    char title[512];
    snprintf(title, sizeof title, "anodesim results for scenario %s", s->name);
    SIM_CHECK(rs_add_text(rs, "title", title, 0, NULL, NULL));
    SIM_CHECK(rs_add_text(rs, "scenario_name", s->name, 0, NULL, NULL));
    SIM_CHECK(rs_add_text(rs, "scenario_path", s->path, 0, NULL, NULL));
    /* Every input file first: a table edited since the partial was
     * written would otherwise make a mix of two networks. */
    SIM_CHECK(rs_add_text(rs, "input_fingerprints", s->inputs, 1, scn_inputs_differ,
                          "%s was written from other inputs: %s since (a run, resume or merge does not mix inputs; "
                          "restore the file, or start over with --force)"));
    const char *other = "%s was written for another scenario or other parameters (expected the same scenario file, "
                        "seed and --set values to resume)";
    SIM_CHECK(rs_add_text(rs, "scenario", s->text, 1, NULL, other));
    char *json = scn_params_json(s);
    if (!json)
        return SIM_ENOMEM;
    int rc = rs_add_text(rs, "parameters", json, 1, NULL, other);
    free(json);
    SIM_CHECK(rc);
    SIM_CHECK(rs_add_number(rs, "seed", (double)s->seed, 1, 0));
    return rs_add_text(rs, "currency", scn_currency_names[s->currency], 0, NULL, NULL);
}

int model_schema_new(rs_schema **out, const scenario *s, const sweep *sw, long npoints)
{
    *out = NULL;
    rs_schema *rs = rs_new(npoints);
    if (!rs)
        return sim_err_set(SIM_ENOMEM, "out of memory for the results schema");
    size_t T = (size_t)s->nmonths, G = (size_t)s->nregions, Y = (size_t)s->nyears, NP = (size_t)s->nplants;
    rs_block(rs, B_REGION_MONTH, T * G * RM_NMETRICS);
    rs_block(rs, B_OD_YEAR, Y * G * G);
    rs_block(rs, B_PLANT_YEAR, Y * NP * PM_NMETRICS);
    rs_block(rs, B_PRICE_MONTH, T * PRICE_N);
    rs_block(rs, B_INERT_MONTH, T * G);
    rs_block(rs, B_BALANCE, BAL_N);
    rs_block(rs, B_OWNER_YEAR, Y * (size_t)s->nowners * OM_NMETRICS);
    rs_block(rs, B_TOP5_YEAR, Y);
    int rc = time_dim(rs, s);
    if (rc == SIM_OK)
        rc = region_dims(rs, s);
    if (rc == SIM_OK)
        rc = plant_dim(rs, s);
    if (rc == SIM_OK)
        rc = owner_dim(rs, s);
    if (rc == SIM_OK)
        rc = labelled_dim(rs, DM_COMMODITY, "commodity", "commodity of the mass balance (index)", BAL_N,
                          commodity_labels, "commodity_name", "commodity of the mass balance");
    if (rc == SIM_OK)
        rc = design(rs, sw);
    if (rc == SIM_OK)
        rc = variables(rs, s);
    if (rc == SIM_OK)
        rc = attributes(rs, s);
    if (rc == SIM_ENOMEM)
        sim_err_set(SIM_ENOMEM, "out of memory for the results schema");
    if (rc == SIM_OK)
        rc = rs_finish(rs);
    if (rc != SIM_OK) {
        rs_free(rs);
        return rc;
    }
    *out = rs;
    return SIM_OK;
}

void model_record_of(const model_result *r, rs_record *rec)
{
    memset(rec, 0, sizeof *rec);
    rec->point = r->point;
    rec->rep = r->rep;
    rec->seed_key = r->seed_key;
    rec->events = r->events;
    rec->block[B_REGION_MONTH] = r->region_month;
    rec->block[B_OD_YEAR] = r->od_year;
    rec->block[B_PLANT_YEAR] = r->plant_year;
    rec->block[B_PRICE_MONTH] = r->price_month;
    rec->block[B_INERT_MONTH] = r->inert_month;
    rec->block[B_BALANCE] = (double *)r->balance;
    rec->block[B_OWNER_YEAR] = r->owner_year;
    rec->block[B_TOP5_YEAR] = r->top5_year;
}

void model_record_back(model_result *r, const rs_record *rec)
{
    r->point = rec->point;
    r->rep = rec->rep;
    r->seed_key = rec->seed_key;
    r->events = rec->events;
}
