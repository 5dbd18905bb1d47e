/*
 * prices.c — coke, pitch, energy and exchange-rate paths, unit costs,
 * anode and export prices.
 *
 * Paths.  Each of coke, pitch, energy and the exchange rate (CNY per USD)
 * is its base times exp(X).  Through its last recorded month
 * (tables.price_history; an item without records: the history's last
 * month) X follows the record: log-linear between
 * observations, held before the first; coke, pitch and energy relative to
 * their geometric mean over the horizon's first year (the suppliers'
 * prices are that year's levels), the rate relative to currency.usd_cny.
 * After it, X moves once a month (dt = 1/12 yr) as
 *
 *   r' = phi r - (1 - e^{-k dt}) X + s f sigma sqrt((1 - e^{-2 k dt}) / (2 k)) z + jumps,
 *   X' = X + r',
 *
 * r the last monthly log return (phi: momentum, prices.ITEM_momentum),
 * z Gaussian shocks correlated through the Cholesky factor of the
 * scenario's correlation matrix (the rate's own), jumps N(mu_J, sigma_J)
 * with their number Poisson(s f lambda dt), s = prices.volatility_scale
 * and f = 1 in the calm regime, prices.turbulent_factor in the turbulent
 * one (a two-state Markov chain: turbulent_rate, calm_rate).  With s = 0
 * no new shock comes but X still reverts: a shock, or the history's last
 * deviation, decays (with a small overshoot when phi > 0).
 *
 * Unit cost.  Raw materials at the cheapest landed prices, per tonne of
 * green anode: coke, pitch, butts (their handling) and the coke that
 * replaces the butts a plant did not get back, over (1 - baking loss);
 * energy; the class's variable conversion; and its fixed cost a year
 * per tonne of capacity over the plant's smoothed utilisation (floored
 * at 0.2).  So unit cost falls as utilisation rises (seed paper §3.1).
 *
 * Anode price.  Plants quote standard cost (at the reference
 * utilisation, butts returned) prices.anode_price_lag_months ago times (1 + mark-up); the
 * mark-up of a region's plants rises with the region's smoothed
 * utilisation above plant.margin_reference_utilisation and falls below
 * it (plant.margin_slope), within [margin_min, margin_max]: tight regions
 * price up, idle ones bid low for orders.  Margins are price less actual
 * unit cost: negative when raw materials jump ahead of tenders or a plant
 * runs idle.
 *
 * Export price (USD/t, delivered): the cheapest landed price of the
 * destination (ex-works times 1 + exports.premium, plus freight) at the
 * month's rate.  Destinations answer its smoothed value with their price
 * elasticity against the price at the base prices.
 *
 * Sourcing candidates are re-ranked by landed price every month.
 */
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#include "model_internal.h"
#include "sim_err.h"

const char *const model_price_names[PRICE_N] = { "coke", "pitch", "energy", "anode", "usd_cny" };

/* Lowest utilisation fixed costs are spread over: a plant barely running
 * would otherwise show an unbounded unit cost. */
#define UTIL_FLOOR 0.2

/* Calendar month (year * 12 + month - 1) of run month k. */
static int cal_month(const scenario *s, int k)
{
    return s->start_year * 12 + s->start_month - 1 + k;
}

/* The recorded path of one item over calendar months [c0, c0 + n):
 * log-linear between observations, held outside them; 0 (the base) with
 * none. */
static void history_path(const scenario *s, int item, int c0, int n, double *out)
{
    const scn_price_obs *o = NULL;
    int no = 0;
    for (int i = 0; i < s->nhist; i++)
        if (s->hist[i].item == item) {
            if (!o)
                o = &s->hist[i];
            no++;
        }
    for (int i = 0; i < n; i++) {
        int c = c0 + i;
        if (no == 0) {
            out[i] = 0;
            continue;
        }
        int j = 0;
        while (j + 1 < no && o[j + 1].month <= c)
            j++;
        if (c <= o[0].month || j + 1 >= no)
            out[i] = log(c <= o[0].month ? o[0].price : o[no - 1].price);
        else {
            double w = (double)(c - o[j].month) / (double)(o[j + 1].month - o[j].month);
            out[i] = (1 - w) * log(o[j].price) + w * log(o[j + 1].price);
        }
    }
}

/* Recorded paths as log deviations from each item's base, calendar month
 * by calendar month over the run (warm-up included), and the month each
 * item's record ends. */
static int history_init(model_def *d)
{
    const scenario *s = d->scn;
    int c0 = cal_month(s, -(int)ceil(s->run.warmup_days / 28.0) - 1), n = cal_month(s, s->nmonths) - c0 + 1;
    d->hist_cal0 = c0;
    d->hist_len = n;
    d->hist_x = calloc((size_t)HIST_N * (size_t)n, sizeof *d->hist_x);
    if (!d->hist_x)
        return sim_err_set(SIM_ENOMEM, "out of memory for the price history");
    int last[HIST_N], end = INT_MIN;
    for (int item = 0; item < HIST_N; item++)
        last[item] = INT_MIN;
    for (int i = 0; i < s->nhist; i++) {
        last[s->hist[i].item] = s->hist[i].month > last[s->hist[i].item] ? s->hist[i].month : last[s->hist[i].item];
        end = s->hist[i].month > end ? s->hist[i].month : end;
    }
    for (int item = 0; item < HIST_N; item++) {
        /* An item without observations: the history's end (INT_MIN: none). */
        d->hist_last[item] = last[item] != INT_MIN ? last[item] : end;
        if (last[item] == INT_MIN)
            continue;
        double *x = d->hist_x + (size_t)item * (size_t)n, ref = 0;
        history_path(s, item, c0, n, x);
        if (item == HIST_FX)
            ref = log(s->usd_cny);
        else {   /* the geometric mean over the horizon's first twelve months */
            int a = cal_month(s, 0) - c0;
            for (int i = 0; i < 12; i++)
                ref += x[a + i < n ? a + i : n - 1] / 12.0;
        }
        for (int i = 0; i < n; i++)
            x[i] -= ref;
    }
    return SIM_OK;
}

int price_def_init(model_def *d)
{
    const scenario *s = d->scn;
    const scn_price_params *p = &s->prices;
    double c[9] = { 1, p->corr_coke_pitch, p->corr_coke_energy,
                    p->corr_coke_pitch, 1, p->corr_pitch_energy,
                    p->corr_coke_energy, p->corr_pitch_energy, 1 };
    gsl_matrix_view mv = gsl_matrix_view_array(c, 3, 3);
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    int rc = gsl_linalg_cholesky_decomp1(&mv.matrix);
    gsl_set_error_handler(old);
    if (rc != 0)
        return sim_err_set(SIM_EINPUT, "%s: prices.corr_coke_pitch, corr_coke_energy and corr_pitch_energy (%g, %g, %g) do not form a valid correlation matrix (expected a positive-definite combination)",
                           s->path, p->corr_coke_pitch, p->corr_coke_energy, p->corr_pitch_energy);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            d->chol[i][j] = j <= i ? gsl_matrix_get(&mv.matrix, (size_t)i, (size_t)j) : 0.0;
    double w[2] = { 0, 0 }, v[2] = { 0, 0 };
    for (int k = 0; k < s->nsuppliers; k++) {
        w[s->suppliers[k].commodity] += s->suppliers[k].capacity_tpy;
        v[s->suppliers[k].commodity] += s->suppliers[k].capacity_tpy * s->suppliers[k].price;
    }
    d->base_price[PRICE_COKE] = w[0] > 0 ? v[0] / w[0] : 0;
    d->base_price[PRICE_PITCH] = w[1] > 0 ? v[1] / w[1] : 0;
    d->base_price[PRICE_ENERGY] = s->prices.energy_per_gj;
    d->base_price[PRICE_ANODE] = 0;
    d->base_price[PRICE_FX] = s->usd_cny;
    return history_init(d);
}

void price_def_free(model_def *d)
{
    free(d->hist_x);
    free(d->export_ref);
}

/* Cheapest landed price of a raw material at a plant, over the suppliers
 * that can reach it (not all suppliers: that would make large networks
 * quadratic every month); prices in USD move with the rate (fxm). */
double price_landed_raw(const model_def *d, int plant, int com, double mult, double fxm)
{
    const scenario *s = d->scn;
    int first = mdl_sup_first(d, plant, com);
    const int *cand = d->sup_cand + first;
    const double *tc = d->sup_tc + first;
    int n = d->nsup_cand[2 * plant + com];
    double best = HUGE_VAL;
    for (int i = 0; i < n; i++) {
        const scn_supplier *sp = &s->suppliers[cand[i]];
        double c = sp->price * mult * (sp->usd ? fxm : 1.0) + tc[i];
        if (c < best)
            best = c;
    }
    return best;
}

/* Unit cost of plant p from its landed coke and pitch prices, the energy
 * multiplier, a butts share of green anode and a utilisation. */
static double cost_of(const model_def *d, int p, double cpc, double pitch, double fe, double butts, double util)
{
    const scenario *s = d->scn;
    const scn_plant_params *pp = &s->plant;
    const scn_class *c = &s->classes[s->plants[p].cls];
    double missing = mdl_max(pp->recipe_butts - butts, 0.0);
    double raw = (pp->recipe_cpc + missing) * cpc + pp->recipe_pitch * pitch +
                 mdl_min(butts, pp->recipe_butts) * pp->butts_handling_per_t;
    return raw / (1.0 - c->baking_loss) + c->energy_gj_per_t * s->prices.energy_per_gj * fe + c->conversion_per_t +
           c->fixed_per_year_t / mdl_max(util, UTIL_FLOOR);
}

double price_unit_cost(const model_def *d, int p, const double f[4], double butts, double util)
{
    return cost_of(d, p, price_landed_raw(d, p, 0, f[0], f[3]), price_landed_raw(d, p, 1, f[1], f[3]), f[2], butts,
                   util);
}

/* A destination's export price (USD/t) from its cheapest candidate:
 * ex-works times 1 + premium, plus freight, at rate fx (CNY per USD). */
static double export_price(const model_def *d, int k, const int *cand, const double *tc, const double *price,
                           double fx)
{
    const scenario *s = d->scn;
    int c = s->nsmelters + k;
    if (d->ncand[c] == 0)
        return 0;
    int first = d->cand_start[c];
    double cny = price[cand[first]] * (1.0 + s->exports.premium) + tc[first];
    return cny / mdl_per_usd(s, fx);
}

int price_def_export_ref(model_def *d)
{
    const scenario *s = d->scn;
    d->export_ref = calloc((size_t)s->nmarkets + 1, sizeof *d->export_ref);
    if (!d->export_ref)
        return sim_err_set(SIM_ENOMEM, "out of memory for export prices");
    for (int k = 0; k < s->nmarkets; k++)
        d->export_ref[k] = export_price(d, k, d->cand, d->cand_tc, d->plant_price, s->usd_cny);
    return SIM_OK;
}

/* Landed price of plant p for customer c over freight tc: across a border
 * the quote carries exports.premium and the duties in force. */
static double landed(const model_instance *m, int p, int c, double tc)
{
    const model_def *d = m->d;
    double price = m->plant_price[p];
    int from = d->plant_region[p], to = d->cust_region[c];
    if (!d->cross_priced || scn_same_country(m->s, from, to))
        return price + tc;
    double rate = 0, per_t = 0;
    if (d->nduty)
        events_duty(m, from, to, &rate, &per_t);
    return price * (1.0 + m->s->exports.premium + rate) + tc + per_t;
}

/* Re-rank each customer's candidate plants by landed price (ties by plant
 * index).  Insertion sort over landed prices computed once per candidate:
 * month to month the order barely changes, so this is near linear. */
void price_rank(model_instance *m)
{
    const model_def *d = m->d;
    for (int c = 0; c < d->ncust; c++) {
        int *cand = m->cand + d->cand_start[c];
        double *tc = m->cand_tc + d->cand_start[c];
        int *rt = m->cand_rt + d->cand_start[c];
        double *key = m->cand_land + d->cand_start[c];
        int n = d->ncand[c];
        for (int i = 0; i < n; i++)
            key[i] = landed(m, cand[i], c, tc[i]);
        for (int i = 1; i < n; i++) {
            double kp = key[i], tp = tc[i];
            int p = cand[i], rp = rt[i];
            int j = i - 1;
            for (; j >= 0 && !(key[j] < kp || (key[j] == kp && cand[j] < p)); j--) {
                key[j + 1] = key[j];
                cand[j + 1] = cand[j];
                tc[j + 1] = tc[j];
                rt[j + 1] = rt[j];
            }
            key[j + 1] = kp;
            cand[j + 1] = p;
            tc[j + 1] = tp;
            rt[j + 1] = rp;
        }
    }
}

static void multipliers(const model_instance *m, double f[4])
{
    for (int i = 0; i < 4; i++)
        f[i] = exp(m->prices.x[i]);
}

/* Actual unit costs now (for the cost of what is made: the plant's own
 * utilisation and butts share) and standard ones, what quotes follow: at
 * the reference utilisation and the recipe's butts, as contracts assume
 * the customer returns them.  (Quoting from the butts share itself made
 * a plant whose butts had not yet come back dearer than a distant rival
 * that had never made anything, and orders flip-flopped between them.) */
void price_update_costs(model_instance *m)
{
    const scenario *s = m->s;
    double f[4];
    multipliers(m, f);
    double uref = s->plant.margin_reference_utilisation;
    for (int p = 0; p < s->nplants; p++) {
        double cpc = price_landed_raw(m->d, p, 0, f[0], f[3]), pitch = price_landed_raw(m->d, p, 1, f[1], f[3]);
        m->plant_cost[p] = cost_of(m->d, p, cpc, pitch, f[2], m->butts_share[p], m->util_plant[p]);
        m->plant_std[p] = cost_of(m->d, p, cpc, pitch, f[2], s->plant.recipe_butts, uref);
    }
    m->fx_rate = m->d->base_price[PRICE_FX] * f[3];
}

/* Last month's utilisation and butts share into their smoothed values;
 * each region's into its mark-up. */
static void update_utilisation(model_instance *m)
{
    const scenario *s = m->s;
    const scn_plant_params *pp = &s->plant;
    double a = 1.0 - exp(-1.0 / pp->margin_smoothing_months);
    int G = s->nregions;
    double *prod = m->region_scratch, *cap = prod + G;
    memset(prod, 0, 2 * (size_t)G * sizeof *prod);
    for (int p = 0; p < s->nplants; p++) {
        plant_state *ps = &m->plants[p];
        if (ps->last_cap > 0) {
            double u = mdl_min(ps->last_prod / ps->last_cap, 1.0);
            m->util_plant[p] += a * (u - m->util_plant[p]);
            int g = mdl_plant_region(m, p);
            if (m->d->sets_markup[p]) {
                prod[g] += ps->last_prod;
                cap[g] += ps->last_cap;
            }
        }
        if (ps->last_green > 0)
            m->butts_share[p] += a * (ps->last_butts / ps->last_green - m->butts_share[p]);
    }
    for (int g = 0; g < G; g++) {
        if (cap[g] > 0)
            m->region_util[g] += a * (mdl_min(prod[g] / cap[g], 1.0) - m->region_util[g]);
        double mk = pp->margin + pp->margin_slope * (m->region_util[g] - pp->margin_reference_utilisation);
        m->region_markup[g] = mdl_min(mdl_max(mk, pp->margin_min), pp->margin_max);
    }
}

/* Store this month's standard costs and quote from the lagged ones. */
static void set_prices(model_instance *m)
{
    const scenario *s = m->s;
    int lag = (int)s->prices.anode_price_lag_months;
    int slot = m->cost_month % COST_HIST;
    size_t np = (size_t)s->nplants;
    memcpy(m->cost_hist + (size_t)slot * np, m->plant_std, np * sizeof(double));
    int back = lag < m->cost_month ? lag : m->cost_month;
    const double *from = m->cost_hist + (size_t)((m->cost_month - back) % COST_HIST) * np;
    for (size_t p = 0; p < np; p++)
        m->plant_price[p] = (1.0 + m->region_markup[mdl_plant_region(m, (int)p)]) * from[p];
    m->cost_month++;
    price_rank(m);
    double a = 1.0 - exp(-1.0 / s->exports.price_smoothing_months);
    for (int k = 0; k < s->nmarkets; k++) {
        m->export_price[k] = export_price(m->d, k, m->cand, m->cand_tc, m->plant_price, m->fx_rate);
        m->export_smooth[k] += a * (m->export_price[k] - m->export_smooth[k]);
    }
}

/* Pin the items whose recorded history covers run month k to it (their
 * last return: the record's step).  An item goes stochastic after its own last observation; one
 * with none, after the history's last month (so a path does not sit
 * frozen between the end of its own record and that of another). */
static void history_at(model_instance *m, int k, int set_return)
{
    const model_def *d = m->d;
    int c = cal_month(m->s, k);
    int i = c - d->hist_cal0;
    i = i < 0 ? 0 : i >= d->hist_len ? d->hist_len - 1 : i;
    for (int it = 0; it < HIST_N; it++) {
        if (c > d->hist_last[it])
            continue;
        double x = d->hist_x[(size_t)it * (size_t)d->hist_len + (size_t)i];
        m->prices.r[it] = set_return ? x - m->prices.x[it] : 0.0;
        m->prices.x[it] = x;
    }
}

void price_reset(model_instance *m)
{
    const scenario *s = m->s;
    const model_def *d = m->d;
    memset(&m->prices, 0, sizeof m->prices);
    m->cost_month = 0;
    memcpy(m->cand, d->cand, (size_t)d->cand_start[d->ncust] * sizeof(int));
    memcpy(m->cand_tc, d->cand_tc, (size_t)d->cand_start[d->ncust] * sizeof(double));
    memcpy(m->cand_rt, d->cand_rt, (size_t)d->cand_start[d->ncust] * sizeof(int));
    double uref = s->plant.margin_reference_utilisation;
    for (int p = 0; p < s->nplants; p++) {
        m->util_plant[p] = uref;
        m->butts_share[p] = s->plant.recipe_butts;
    }
    for (int g = 0; g < s->nregions; g++) {
        m->region_util[g] = uref;
        m->region_markup[g] = s->plant.margin;
    }
    for (int k = 0; k < s->nmarkets; k++)
        m->export_smooth[k] = d->export_ref[k];
    history_at(m, m->first_month, 0);
    price_update_costs(m);
    set_prices(m);
}

void price_step(price_path *st, const scn_price_params *p, const double chol[3][3], gsl_rng *r, double dt)
{
    const double sc = p->volatility_scale;
    const double kappa[4] = { p->coke_reversion, p->pitch_reversion, p->energy_reversion, p->fx_reversion };
    const double sigma[4] = { p->coke_volatility, p->pitch_volatility, p->energy_volatility, p->fx_volatility };
    const double phi[4] = { p->coke_momentum, p->pitch_momentum, p->energy_momentum, p->fx_momentum };
    const double lam[4] = { p->coke_jump_rate, p->pitch_jump_rate, p->energy_jump_rate, p->fx_jump_rate };
    const double jm[4] = { p->coke_jump_mean, p->pitch_jump_mean, p->energy_jump_mean, p->fx_jump_mean };
    const double jsd[4] = { p->coke_jump_sd, p->pitch_jump_sd, p->energy_jump_sd, p->fx_jump_sd };
    double z[4] = { 0, 0, 0, 0 };
    if (sc > 0) {
        /* The regime first: this month's shocks are drawn in it. */
        double rate = st->turbulent ? p->calm_rate : p->turbulent_rate;
        double u = gsl_rng_uniform(r);
        if (rate > 0 && u < 1.0 - exp(-rate * dt))
            st->turbulent = !st->turbulent;
        double n[4];
        for (int i = 0; i < 4; i++)
            n[i] = gsl_ran_gaussian_ziggurat(r, 1.0);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j <= i; j++)
                z[i] += chol[i][j] * n[j];
        z[3] = n[3];
    }
    double f = st->turbulent ? p->turbulent_factor : 1.0;
    for (int i = 0; i < 4; i++) {
        double decay = exp(-kappa[i] * dt);
        double sd = kappa[i] > 0 ? sqrt((1.0 - decay * decay) / (2.0 * kappa[i])) : sqrt(dt);
        double ret = phi[i] * st->r[i] - (1.0 - decay) * st->x[i];
        if (sc > 0) {
            ret += sc * f * sigma[i] * sd * z[i];
            unsigned jumps = lam[i] > 0 ? gsl_ran_poisson(r, sc * f * lam[i] * dt) : 0;
            for (unsigned k = 0; k < jumps; k++)
                ret += jm[i] + gsl_ran_gaussian_ziggurat(r, jsd[i]);
        }
        st->r[i] = ret;
        st->x[i] += ret;
    }
}

int price_month(model_instance *m)
{
    int c = cal_month(m->s, m->month);
    int stochastic = 0;
    for (int it = 0; it < HIST_N; it++)
        stochastic |= c > m->d->hist_last[it];
    if (stochastic)   /* every item steps (the same draws whatever is pinned); the pinned are reset below */
        price_step(&m->prices, &m->s->prices, m->d->chol, m->price_rng, 1.0 / 12.0);
    history_at(m, m->month, 1);
    update_utilisation(m);
    price_update_costs(m);
    set_prices(m);
    return SIM_OK;
}

void price_shock(model_instance *m, int item, double factor)
{
    m->prices.x[item] += log(factor);
    price_update_costs(m);
}

double price_export_factor(const model_instance *m, int k)
{
    double e = m->s->markets[k].elasticity, ref = m->d->export_ref[k];
    if (e == 0 || ref <= 0 || m->export_smooth[k] <= 0)
        return 1.0;
    return pow(m->export_smooth[k] / ref, e);
}

void price_record(model_instance *m)
{
    if (!m->recording)
        return;
    const model_def *d = m->d;
    const scenario *s = m->s;
    double *row = model_price(m->out, m->month, 0);
    row[PRICE_COKE] = d->base_price[PRICE_COKE] * exp(m->prices.x[0]);
    row[PRICE_PITCH] = d->base_price[PRICE_PITCH] * exp(m->prices.x[1]);
    row[PRICE_ENERGY] = d->base_price[PRICE_ENERGY] * exp(m->prices.x[2]);
    row[PRICE_FX] = m->fx_rate;
    double w = 0, v = 0;
    for (int p = 0; p < s->nplants; p++) {
        w += s->plants[p].capacity_tpy;
        v += s->plants[p].capacity_tpy * m->plant_price[p];
    }
    row[PRICE_ANODE] = w > 0 ? v / w : 0;
}
