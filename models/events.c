/*
 * events.c — what the scenario schedules or imposes: price shocks, export
 * restrictions, link closures (scheduled and random), link slowdowns,
 * seasonal curbs, curtailments of smelters and plants, duties on anodes
 * crossing a border.
 */
#include <math.h>
#include <stdint.h>

#include "model_internal.h"
#include "sim_err.h"
#include "sim_rng.h"

int events_reset(model_instance *m)
{
    const scenario *s = m->s;
    for (int i = 0; i < s->nevents; i++) {
        const scn_event *ev = &s->events[i];
        if (ev->kind == EVT_EXPORT_RESTRICTION || ev->kind == EVT_SMELTER_TRANSFER || ev->kind == EVT_CURTAILMENT ||
            ev->kind == EVT_PLANT_CLOSE || ev->day > s->ndays)
            continue;     /* looked up when markets order, and each month; or after the horizon */
        SIM_CHECK(sim_engine_schedule(&m->eng, m->t0 + ev->day, PRIO_ARRIVE, EV_SCENARIO, 0, i, 0.0, NULL));
        if (ev->kind == EVT_DUTY && ev->until_day <= s->ndays)   /* its end re-ranks the candidates too */
            SIM_CHECK(sim_engine_schedule(&m->eng, m->t0 + ev->until_day, PRIO_ARRIVE, EV_SCENARIO, 0, i, 0.0, NULL));
    }
    double rate = s->transport.disruption_rate;
    for (int e = 0; rate > 0 && e < s->nlinks; e++) {
        double first = sim_rng_exponential(m->disrupt_rng[e], 365.0 / rate);
        SIM_CHECK(sim_engine_schedule(&m->eng, first, PRIO_ARRIVE, EV_LINK_DISRUPT, e, 0, 0.0, NULL));
    }
    return SIM_OK;
}

/* Link l's lead time and capacity at time now: the scenario's, times every
 * slowdown under way on it (overlapping ones combine: leads multiply, the
 * lowest capacity holds).  Run when a slowdown starts and when one ends. */
static void link_slowdowns(model_instance *m, int l, double now)
{
    const scenario *s = m->s;
    double day = now - m->t0, lead = 1.0, cap = s->links[l].capacity_tpd;
    for (int i = 0; i < s->nevents; i++) {
        const scn_event *ev = &s->events[i];
        if (ev->kind != EVT_LINK_SLOWDOWN || ev->from != s->links[l].from || ev->to != s->links[l].to ||
            day < ev->day || day >= ev->day + ev->days)
            continue;
        lead *= ev->lead_factor;
        cap = mdl_min(cap, ev->capacity_tpd);
    }
    link_state *L = &m->link[l];
    L->lead_days = s->links[l].lead_days * lead;
    m->link_cold[l].capacity_tpd = cap;
    if (cap < HUGE_VAL && L->busy < 0)
        L->busy = now;     /* limited from now on */
    else if (cap == HUGE_VAL)
        L->busy = -1.0;
}

double events_transfer(const model_instance *m, int i)
{
    const scenario *s = m->s;
    double day = m->eng.now - m->t0, moved = 0;
    for (int k = 0; k < s->nevents; k++) {
        const scn_event *ev = &s->events[k];
        if (ev->kind != EVT_SMELTER_TRANSFER || (ev->from != i && ev->to != i) || day < ev->day)
            continue;
        double q = ev->al_tpy * mdl_min((day - ev->day) / ev->days, 1.0);
        moved += ev->from == i ? -q : q;
    }
    return moved;
}

int events_on_scenario(sim_engine *e, const sim_event *sev, void *model)
{
    model_instance *m = model;
    const scn_event *ev = &m->s->events[sev->arg];
    switch (ev->kind) {
    case EVT_PRICE_SHOCK:
        price_shock(m, ev->item, ev->factor);
        return SIM_OK;
    case EVT_LINK_CLOSURE:
        for (int l = 0; l < m->s->nlinks; l++)
            if (m->s->links[l].from == ev->from && m->s->links[l].to == ev->to)
                SIM_CHECK(transport_close(m, l, e->now + ev->days));
        return SIM_OK;
    case EVT_DUTY:
        price_rank(m);
        return SIM_OK;
    case EVT_LINK_SLOWDOWN:
        for (int l = 0; l < m->s->nlinks; l++)
            if (m->s->links[l].from == ev->from && m->s->links[l].to == ev->to) {
                link_slowdowns(m, l, e->now);
                SIM_CHECK(sim_engine_schedule(e, e->now + ev->days, PRIO_ARRIVE, EV_LINK_RESTORE, l, 0, 0.0, NULL));
            }
        return SIM_OK;
    default:
        return SIM_OK;
    }
}

int events_on_disrupt(sim_engine *e, const sim_event *ev, void *model)
{
    model_instance *m = model;
    const scn_transport_params *t = &m->s->transport;
    gsl_rng *r = m->disrupt_rng[ev->target];
    double length = sim_rng_exponential(r, t->disruption_days);
    SIM_CHECK(transport_close(m, ev->target, e->now + length));
    double next = e->now + length + sim_rng_exponential(r, 365.0 / t->disruption_rate);
    return sim_engine_schedule(e, next, PRIO_ARRIVE, EV_LINK_DISRUPT, ev->target, 0, 0.0, NULL);
}

int events_on_restore(sim_engine *e, const sim_event *ev, void *model)
{
    link_slowdowns(model, ev->target, e->now);
    return SIM_OK;
}

double events_curb(const model_instance *m, int region, int smelters)
{
    const scenario *s = m->s;
    int mm = s->start_month - 1 + m->month;
    int month = ((mm % 12) + 12) % 12 + 1;
    double f = 1.0;
    for (int i = 0; i < s->ncurbs; i++) {
        const scn_curb *c = &s->curbs[i];
        if (c->smelters == smelters && c->region[region] && (c->months >> (month - 1)) & 1u)
            f *= c->factor;
    }
    return f;
}

double events_curtail(const model_instance *m, int node)
{
    const scenario *s = m->s;
    if (!m->d->ncurtail)
        return 1.0;
    int i = m->month - m->first_month;
    double a = m->month_start[i] - m->t0, b = m->month_start[i + 1] - m->t0, f = 0.0;
    if (b <= a)
        return 1.0;
    int n = 0, one = -1;
    for (int k = 0; k < s->nevents; k++) {
        const scn_event *ev = &s->events[k];
        if (ev->kind == EVT_CURTAILMENT && ev->node == node && ev->day < b && ev->until_day > a) {
            n++;
            one = k;
        }
    }
    if (n == 0)
        return 1.0;
    if (n == 1) {   /* the share of the month it covers, at its factor */
        const scn_event *ev = &s->events[one];
        double cover = mdl_min(b, ev->until_day) - mdl_max(a, ev->day);
        return 1.0 - (1.0 - ev->factor) * cover / (b - a);
    }
    /* Day by day where they overlap: overlapping curtailments multiply. */
    for (double day = a; day < b; day++) {
        double g = 1.0;
        for (int k = 0; k < s->nevents; k++) {
            const scn_event *ev = &s->events[k];
            if (ev->kind == EVT_CURTAILMENT && ev->node == node && day >= ev->day && day < ev->until_day)
                g *= ev->factor;
        }
        f += g;
    }
    return f / (b - a);
}

void events_duty(const model_instance *m, int from, int to, double *rate, double *per_t)
{
    const scenario *s = m->s;
    double day = m->eng.now - m->t0;
    *rate = *per_t = 0.0;
    for (int k = 0; k < s->nevents; k++) {
        const scn_event *ev = &s->events[k];
        if (ev->kind == EVT_DUTY && ev->from_set[from] && ev->to_set[to] && day >= ev->day && day < ev->until_day) {
            *rate += ev->rate;
            *per_t += ev->per_t;
        }
    }
}

double events_export_allowed(const model_instance *m, int market)
{
    const scenario *s = m->s;
    int region = mdl_cust_region(m, s->nsmelters + market);
    double day = m->eng.now - m->t0, f = 1.0;
    for (int i = 0; i < s->nevents; i++) {
        const scn_event *ev = &s->events[i];
        if (ev->kind != EVT_EXPORT_RESTRICTION || day < ev->day || day >= ev->until_day)
            continue;
        if (ev->region < 0 || ev->region == region)
            f *= ev->factor;
    }
    return f;
}
