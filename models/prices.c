/*
 * prices.c — coke, pitch and energy prices, unit costs, anode prices.
 *
 * Each of coke, pitch and energy is its base price times exp(X), where X
 * is an Ornstein-Uhlenbeck process with Poisson jumps, stepped exactly
 * once a month (dt = 1/12 yr):
 *
 *   X' = X e^{-k dt} + s sigma sqrt((1 - e^{-2 k dt}) / (2 k)) z + sum of J_i,
 *   J_i ~ N(mu_J, sigma_J), their number ~ Poisson(s lambda dt),
 *
 * with z the three Gaussian shocks correlated through the Cholesky factor
 * of the scenario's correlation matrix, and s = prices.volatility_scale.
 * A plant's unit cost is recipe x cheapest landed raw materials / (1 -
 * baking loss) + energy + conversion; its ex-works price is (1 + margin)
 * times its unit cost prices.anode_price_lag_months ago, so margins
 * shrink when raw materials jump and recover as prices catch up.
 * Sourcing candidates are re-ranked by landed price every month.
 */
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <string.h>

#include "model_internal.h"
#include "sim_err.h"

const char *const model_price_names[PRICE_N] = { "coke", "pitch", "energy", "anode" };

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
    return SIM_OK;
}

/* Cheapest landed price of a raw material at a plant, over the suppliers
 * that can reach it (not all suppliers: that would make large networks
 * quadratic every month). */
double price_landed_raw(const model_def *d, int plant, int com, double mult)
{
    const scenario *s = d->scn;
    int first = d->sup_start[plant] + (com == 1 ? d->nsup_cand[2 * plant] : 0);
    const int *cand = d->sup_cand + first;
    const double *tc = d->sup_tc + first;
    int n = d->nsup_cand[2 * plant + com];
    double best = HUGE_VAL;
    for (int i = 0; i < n; i++) {
        double c = s->suppliers[cand[i]].price * mult + tc[i];
        if (c < best)
            best = c;
    }
    return best;
}

/* Re-rank each customer's candidate plants by landed price (ties by plant
 * index).  Insertion sort over landed prices computed once per candidate:
 * month to month the order barely changes, so this is near linear. */
static void rank_candidates(model_instance *m)
{
    const model_def *d = m->d;
    double *key = m->cand_key;
    for (int c = 0; c < d->ncust; c++) {
        int *cand = m->cand + d->cand_start[c];
        double *tc = m->cand_tc + d->cand_start[c];
        int *rt = m->cand_rt + d->cand_start[c];
        int n = d->ncand[c];
        for (int i = 0; i < n; i++)
            key[i] = m->plant_price[cand[i]] + tc[i];
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

void price_update_costs(model_instance *m)
{
    const scenario *s = m->s;
    double mc = exp(m->price_x[0]), mp = exp(m->price_x[1]), me = exp(m->price_x[2]);
    for (int p = 0; p < s->nplants; p++) {
        const scn_class *c = &s->classes[s->plants[p].cls];
        double raw = (s->plant.recipe_cpc * price_landed_raw(m->d, p, 0, mc) +
                      s->plant.recipe_pitch * price_landed_raw(m->d, p, 1, mp))
                     / (1.0 - c->baking_loss);
        m->plant_cost[p] = raw + c->energy_gj_per_t * s->prices.energy_per_gj * me + c->conversion_per_t;
    }
}

/* Store this month's unit costs and set prices from the lagged ones. */
static void set_prices(model_instance *m)
{
    const scenario *s = m->s;
    int lag = (int)s->prices.anode_price_lag_months;
    int slot = m->cost_month % COST_HIST;
    size_t np = (size_t)s->nplants;
    memcpy(m->cost_hist + (size_t)slot * np, m->plant_cost, np * sizeof(double));
    int back = lag < m->cost_month ? lag : m->cost_month;
    const double *from = m->cost_hist + (size_t)((m->cost_month - back) % COST_HIST) * np;
    for (size_t p = 0; p < np; p++)
        m->plant_price[p] = (1.0 + s->plant.margin) * from[p];
    m->cost_month++;
    rank_candidates(m);
}

void price_reset(model_instance *m)
{
    const scenario *s = m->s;
    memset(m->price_x, 0, sizeof m->price_x);
    m->cost_month = 0;
    (void)s;
    memcpy(m->cand, m->d->cand, (size_t)m->d->cand_start[m->d->ncust] * sizeof(int));
    memcpy(m->cand_tc, m->d->cand_tc, (size_t)m->d->cand_start[m->d->ncust] * sizeof(double));
    memcpy(m->cand_rt, m->d->cand_rt, (size_t)m->d->cand_start[m->d->ncust] * sizeof(int));
    price_update_costs(m);
    set_prices(m);
}

void price_ou_step(double x[3], const scn_price_params *p, const double chol[3][3], gsl_rng *r, double dt)
{
    const double sc = p->volatility_scale;
    const double kappa[3] = { p->coke_reversion, p->pitch_reversion, p->energy_reversion };
    const double sigma[3] = { p->coke_volatility, p->pitch_volatility, p->energy_volatility };
    const double lam[3] = { p->coke_jump_rate, p->pitch_jump_rate, p->energy_jump_rate };
    const double jm[3] = { p->coke_jump_mean, p->pitch_jump_mean, p->energy_jump_mean };
    const double jsd[3] = { p->coke_jump_sd, p->pitch_jump_sd, p->energy_jump_sd };
    if (sc <= 0)
        return;
    double n[3], z[3];
    for (int i = 0; i < 3; i++)
        n[i] = gsl_ran_gaussian_ziggurat(r, 1.0);
    for (int i = 0; i < 3; i++) {
        z[i] = 0;
        for (int j = 0; j <= i; j++)
            z[i] += chol[i][j] * n[j];
    }
    for (int i = 0; i < 3; i++) {
        double decay = exp(-kappa[i] * dt);
        double sd = kappa[i] > 0 ? sqrt((1.0 - decay * decay) / (2.0 * kappa[i])) : sqrt(dt);
        double v = x[i] * decay + sc * sigma[i] * sd * z[i];
        unsigned jumps = lam[i] > 0 ? gsl_ran_poisson(r, sc * lam[i] * dt) : 0;
        for (unsigned k = 0; k < jumps; k++)
            v += jm[i] + gsl_ran_gaussian_ziggurat(r, jsd[i]);
        x[i] = v;
    }
}

int price_month(model_instance *m)
{
    price_ou_step(m->price_x, &m->s->prices, m->d->chol, m->price_rng, 1.0 / 12.0);
    price_update_costs(m);
    set_prices(m);
    return SIM_OK;
}

void price_shock(model_instance *m, int item, double factor)
{
    m->price_x[item] += log(factor);
    price_update_costs(m);
}

void price_record(model_instance *m)
{
    if (!m->recording)
        return;
    const model_def *d = m->d;
    const scenario *s = m->s;
    double *row = model_price(m->out, m->month, 0);
    row[PRICE_COKE] = d->base_price[PRICE_COKE] * exp(m->price_x[0]);
    row[PRICE_PITCH] = d->base_price[PRICE_PITCH] * exp(m->price_x[1]);
    row[PRICE_ENERGY] = d->base_price[PRICE_ENERGY] * exp(m->price_x[2]);
    double w = 0, v = 0;
    for (int p = 0; p < s->nplants; p++) {
        w += s->plants[p].capacity_tpy;
        v += s->plants[p].capacity_tpy * m->plant_price[p];
    }
    row[PRICE_ANODE] = w > 0 ? v / w : 0;
}
