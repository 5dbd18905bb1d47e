/*
 * market.c — export destinations.  Each orders a share of its yearly
 * demand at a fixed interval (exports.order_interval_days); demand grows
 * by its growth rate, month by month (mdl_growth), and answers the
 * smoothed export price with the destination's price elasticity
 * (prices.c).  Orders are sourced like a smelter's (lowest landed cost
 * through a port) and count as exports when they arrive; what export
 * restrictions hold back is recorded as unmet.
 */
#include <math.h>

#include "model_internal.h"
#include "sim_err.h"

double market_demand_tpy(const model_instance *m, int k)
{
    const scn_market *mk = &m->s->markets[k];
    return mk->demand_tpy * mdl_growth(m, m->s->nsmelters + k);
}

int market_init(model_instance *m, int k)
{
    double interval = m->s->exports.order_interval_days;
    double first = interval * gsl_rng_uniform(m->market_rng[k]);
    return sim_engine_schedule(&m->eng, first, PRIO_ORDER, EV_MARKET_ORDER, k, 0, 0.0, NULL);
}

int market_on_order(sim_engine *e, const sim_event *ev, void *model)
{
    model_instance *m = model;
    int k = ev->target;
    double interval = m->s->exports.order_interval_days;
    int region = mdl_cust_region(m, m->s->nsmelters + k);
    double full = market_demand_tpy(m, k) * price_export_factor(m, k) * interval / m->days_in_year;
    double share = adopt_share(m, region);
    mdl_add(m, region, RM_DISPLACED, full * share);
    double want = full * (1.0 - share), q = want * events_export_allowed(m, k);
    mdl_add(m, region, RM_EXPORT_DEMAND, want);
    mdl_add(m, region, RM_EXPORT_UNMET, want - q);
    if (q > 0)
        SIM_CHECK(sourcing_place(m, m->s->nsmelters + k, q, e->now, -1));
    return sim_engine_schedule(e, e->now + interval, PRIO_ORDER, EV_MARKET_ORDER, k, 0, 0.0, NULL);
}
