/*
 * plant.c — anode plants: produce to order within capacity in campaigns,
 * consume coke, pitch and butts by recipe, bake for a lead time, keep
 * finished and raw-material stocks, and fail and get repaired.
 *
 * Every plant.campaign_days a plant plans one campaign by a base-stock
 * rule: finished plus baking anodes, less the backlog, should cover the
 * replenishment lead time (campaign interval plus bake) and a finished-
 * stock target (finished_target_days), all at the smoothed order intake;
 * the campaign makes up the difference, capped by capacity over the
 * campaign and by the raw materials on hand.
 * The campaign's green anodes leave the furnace bake_days later, less
 * the class's baking loss.  Utilisation is what this produces; it is
 * never an input.
 */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "sim_err.h"
#include "sim_rng.h"

/* Weight of the latest campaign interval in the smoothed intake rate. */
#define INTAKE_SMOOTHING 0.3
/* Raw materials are planned at no less than this share of capacity, so
 * that a plant with a quiet month still holds stock for the next order. */
#define RAW_PLAN_FLOOR 0.5

static double loss_of(const model_instance *m, int p)
{
    return m->s->classes[m->s->plants[p].cls].baking_loss;
}

double plant_cap_rate_now(const model_instance *m, int p)
{
    const plant_state *ps = &m->plants[p];
    return ps->open && ps->up ? ps->cap_rate * ps->curb : 0.0;
}

double plant_free_capacity(const model_instance *m, int p)
{
    const plant_state *ps = &m->plants[p];
    if (!ps->open)
        return 0.0;
    return m->s->plant.accept_days * ps->cap_rate * ps->curb - (ps->backlog - ps->finished);
}

/* Planned daily use of each raw material, t/d.  Coke is planned as if no
 * butts came back (it replaces missing butts), which errs on the safe side. */
static double raw_use_rate(const model_instance *m, int p, int com)
{
    const plant_state *ps = &m->plants[p];
    const scn_plant_params *pp = &m->s->plant;
    double anode = mdl_max(ps->ewma_intake, RAW_PLAN_FLOOR * ps->cap_rate);
    double green = anode / (1.0 - loss_of(m, p));
    return green * (com == COM_CPC ? pp->recipe_cpc + pp->recipe_butts : pp->recipe_pitch);
}

/* Plant p's utilisation window: exit_months of production, then as many
 * of capacity (the layout model_internal.h gives m->util). */
static double *util_window(const model_instance *m, int p)
{
    return m->util + (size_t)p * 2 * (size_t)m->s->plant.exit_months;
}

int plant_init(model_instance *m, int p)
{
    plant_state *ps = &m->plants[p];
    const scenario *s = m->s;
    /* Keep the buffers this plant owns; reset everything else. */
    plant_state keep = *ps;
    *ps = (plant_state){ 0 };
    ps->q = keep.q;
    ps->qcap = keep.qcap;
    ps->rng = keep.rng;
    ps->kiln = keep.kiln;   /* (its own ring stays where it is: the record does not move) */
    ps->kiln_cap = keep.kiln_cap;
    ps->inbound = (inbound_list){ .v = keep.inbound.v, .cap = keep.inbound.cap };
    ps->curb = 1.0;
    memset(util_window(m, p), 0, 2 * (size_t)s->plant.exit_months * sizeof(double));
    ps->cap_rate = s->plants[p].capacity_tpy / m->days_in_year;
    ps->open = 0;
    ps->up = 1;
    for (int c = 0; c < 2; c++)
        ps->raw[c] = s->plant.raw_order_up_to_days * raw_use_rate(m, p, c);
    /* Campaigns of different plants start out of phase. */
    double first = s->plant.campaign_days * gsl_rng_uniform(ps->rng);
    SIM_CHECK(sim_engine_schedule(&m->eng, first, PRIO_PLANT, EV_PLANT_CYCLE, p, 0, 0.0, NULL));
    if (s->plant.mtbf_days > 0)
        SIM_CHECK(sim_engine_schedule(&m->eng, sim_rng_exponential(ps->rng, s->plant.mtbf_days),
                                      PRIO_PLANT, EV_PLANT_FAIL, p, 0, 0.0, NULL));
    return SIM_OK;
}

static int ship(model_instance *m, int p, const mdl_order *o, double qty)
{
    if (m->recording) {
        int from_r = mdl_plant_region(m, p), to_r = mdl_cust_region(m, o->cust);
        *model_od(m->out, m->year, from_r, to_r) += qty;
        if (from_r != to_r) {
            mdl_add(m, from_r, RM_SHIP_OUT, qty);
            mdl_add(m, to_r, RM_SHIP_IN, qty);
        }
    }
    return transport_send(m, COM_ANODE, qty, &o->route, o->dest, p, o->cust, m->eng.now);
}

/* Ship finished anodes to the backlog, first come first served. */
static int fill(model_instance *m, int p)
{
    plant_state *ps = &m->plants[p];
    while (ps->qlen > 0 && ps->finished > 0) {
        mdl_order *o = &ps->q[ps->qhead];
        double q = o->qty <= ps->finished ? o->qty : ps->finished;
        SIM_CHECK(ship(m, p, o, q));
        ps->finished -= q;
        if (q == o->qty) {
            ps->qhead = (ps->qhead + 1) % ps->qcap;
            ps->qlen--;
        } else {
            o->qty -= q;
        }
        ps->backlog -= q;
    }
    if (ps->qlen == 0)
        ps->backlog = 0.0;   /* no drift from rounding once the queue is empty */
    return SIM_OK;
}

static int push_order(model_instance *m, int p, int cust, const net_route *route, double qty)
{
    plant_state *ps = &m->plants[p];
    if (ps->qlen == ps->qcap) {
        int nc = ps->qcap ? 2 * ps->qcap : 16;
        mdl_order *nq = malloc((size_t)nc * sizeof *nq);
        if (!nq)
            return sim_err_set(SIM_ENOMEM, "out of memory for a plant's backlog");
        for (int i = 0; i < ps->qlen; i++)
            nq[i] = ps->q[(ps->qhead + i) % ps->qcap];
        free(ps->q);
        ps->q = nq;
        ps->qcap = nc;
        ps->qhead = 0;
    }
    ps->q[(ps->qhead + ps->qlen++) % ps->qcap] =
        (mdl_order){ cust, mdl_cust_node(m->s, cust), qty, *route };
    return SIM_OK;
}

int plant_receive_order(model_instance *m, int p, int cust, const net_route *route, double qty)
{
    plant_state *ps = &m->plants[p];
    SIM_CHECK(push_order(m, p, cust, route, qty));
    ps->backlog += qty;
    ps->intake += qty;
    return fill(m, p);
}

/* Order a raw material from the cheapest supplier that can ship within a
 * week, else from the one that can ship soonest. */
static int order_raw(model_instance *m, int p, int com, double qty)
{
    const scenario *s = m->s;
    const model_def *d = m->d;
    int first = d->sup_start[p] + (com == COM_PITCH ? d->nsup_cand[2 * p] : 0);
    const int *cand = d->sup_cand + first;
    int n = d->nsup_cand[2 * p + com];
    if (n == 0)
        return SIM_OK;
    double now = m->eng.now;
    int k = -1;   /* the candidate picked */
    for (int i = 0; i < n && k < 0; i++)
        if (m->sup_busy[cand[i]] - now <= 7.0)
            k = i;
    if (k < 0) {
        k = 0;
        for (int i = 1; i < n; i++)
            if (m->sup_busy[cand[i]] < m->sup_busy[cand[k]])
                k = i;
    }
    int pick = cand[k];
    double ready = mdl_max(now, m->sup_busy[pick]);
    m->sup_busy[pick] = ready + qty / (s->suppliers[pick].capacity_tpy / m->days_in_year);
    m->plants[p].on_order[com] += qty;
    mdl_flow(m, com == COM_CPC ? BAL_CPC : BAL_PITCH, qty, 0.0);
    return transport_send(m, com, qty, &d->net.sup_plant[d->sup_rt[first + k]], s->plants[p].node, p, -1,
                          ready);
}

static int check_raw(model_instance *m, int p)
{
    plant_state *ps = &m->plants[p];
    const scn_plant_params *pp = &m->s->plant;
    for (int c = 0; c < 2; c++) {
        double use = raw_use_rate(m, p, c);
        double ip = ps->raw[c] + ps->on_order[c];
        if (ip < pp->raw_reorder_days * use)
            SIM_CHECK(order_raw(m, p, c, pp->raw_order_up_to_days * use - ip));
    }
    return SIM_OK;
}

void plant_raw_arrived(model_instance *m, int p, int com, double qty)
{
    plant_state *ps = &m->plants[p];
    ps->raw[com] += qty;
    ps->on_order[com] = mdl_max(ps->on_order[com] - qty, 0.0);
}

static int empty_kiln(model_instance *m, int p);

/* Start a campaign of `baked` t of anode, less if materials run short. */
static int start_campaign(model_instance *m, int p, double baked)
{
    plant_state *ps = &m->plants[p];
    const scn_plant_params *pp = &m->s->plant;
    double green = baked / (1.0 - loss_of(m, p));
    /* Coke stands in for butts that did not come back. */
    double butts = mdl_min(pp->recipe_butts * green, ps->raw[2]);
    double cpc_need = pp->recipe_cpc * green + (pp->recipe_butts * green - butts);
    double pitch_need = pp->recipe_pitch * green;
    double f = 1.0;
    if (cpc_need > ps->raw[COM_CPC])
        f = mdl_min(f, ps->raw[COM_CPC] / cpc_need);
    if (pitch_need > ps->raw[COM_PITCH])
        f = mdl_min(f, ps->raw[COM_PITCH] / pitch_need);
    if (f < 1.0) {
        green *= f;
        butts = mdl_min(pp->recipe_butts * green, ps->raw[2]);
        cpc_need = pp->recipe_cpc * green + (pp->recipe_butts * green - butts);
        pitch_need = pp->recipe_pitch * green;
    }
    double cpc = mdl_min(cpc_need, ps->raw[COM_CPC]), pitch = mdl_min(pitch_need, ps->raw[COM_PITCH]);
    green = cpc + pitch + butts;     /* exactly the mass that went in */
    if (green <= 0)
        return SIM_OK;
    ps->raw[COM_CPC] -= cpc;
    ps->raw[COM_PITCH] -= pitch;
    ps->raw[2] -= butts;
    ps->wip_green += green;
    mdl_flow(m, BAL_CPC, 0.0, cpc);
    mdl_flow(m, BAL_PITCH, 0.0, pitch);
    mdl_flow(m, BAL_BUTTS, 0.0, butts);
    mdl_flow(m, BAL_GREEN, green, 0.0);
    int region = mdl_plant_region(m, p);
    mdl_add(m, region, RM_CPC_USE, cpc);
    mdl_add(m, region, RM_PITCH_USE, pitch);
    mdl_add(m, region, RM_BUTTS_USE, butts);
    if (m->bake_on_boundary && ps->kiln_len < ps->kiln_cap) {
        int i = (ps->kiln_head + ps->kiln_len++) % ps->kiln_cap;
        ps->kiln[i].green = green;
        ps->kiln[i].end = m->eng.now + pp->bake_days;
        return SIM_OK;
    }
    return sim_engine_schedule(&m->eng, m->eng.now + pp->bake_days, PRIO_PLANT, EV_PLANT_BAKED, p, 0,
                               green, NULL);
}

int plant_on_cycle(sim_engine *e, const sim_event *ev, void *model)
{
    model_instance *m = model;
    int p = ev->target;
    plant_state *ps = &m->plants[p];
    const scn_plant_params *pp = &m->s->plant;
    SIM_CHECK(sim_engine_schedule(e, e->now + pp->campaign_days, PRIO_PLANT, EV_PLANT_CYCLE, p, 0, 0.0, NULL));
    transport_deliver_due(m, p, e->now, 1);   /* arrivals at this moment come first */
    SIM_CHECK(empty_kiln(m, p));
    ps->ewma_intake += INTAKE_SMOOTHING * (ps->intake / pp->campaign_days - ps->ewma_intake);
    ps->intake = 0;
    if (!ps->open)
        return SIM_OK;
    double cap = plant_cap_rate_now(m, p) * pp->campaign_days;
    double baking = ps->wip_green * (1.0 - loss_of(m, p));
    /* Base-stock rule: finished plus baking minus backlog should cover the
     * replenishment lead time (one campaign interval and the bake) plus
     * the finished-stock target, all at the smoothed intake rate. */
    double cover = pp->campaign_days + pp->bake_days + pp->finished_target_days;
    double want = ps->backlog - ps->finished - baking + cover * ps->ewma_intake;
    double batch = mdl_min(mdl_max(want, 0.0), cap);
    if (batch > 0)
        SIM_CHECK(start_campaign(m, p, batch));
    return check_raw(m, p);
}

int plant_bake_on_boundary(const scenario *s)
{
    const scn_plant_params *pp = &s->plant;
    return pp->bake_days > 0 && fmod(pp->bake_days, pp->campaign_days) == 0.0;
}

/* A campaign of `green` t leaves the furnace. */
static int finish_batch(model_instance *m, int p, double green)
{
    plant_state *ps = &m->plants[p];
    double baked = green * (1.0 - loss_of(m, p));
    ps->wip_green -= green;
    ps->finished += baked;
    ps->month_prod += baked;
    mdl_flow(m, BAL_GREEN, 0.0, green);
    mdl_flow(m, BAL_ANODE, baked, 0.0);
    int region = mdl_plant_region(m, p);
    mdl_add(m, region, RM_PRODUCTION, baked);
    mdl_add(m, region, RM_COST, baked * m->plant_cost[p]);
    mdl_add(m, region, RM_REVENUE, baked * m->plant_price[p]);
    if (m->recording)
        *model_pm(m->out, m->year, p, PM_PRODUCTION) += baked;
    return fill(m, p);
}

int plant_on_baked(sim_engine *e, const sim_event *ev, void *model)
{
    (void)e;
    return finish_batch(model, ev->target, ev->value);
}

/* Complete the campaigns whose bake ends now (bake on boundaries). */
static int empty_kiln(model_instance *m, int p)
{
    plant_state *ps = &m->plants[p];
    double now = m->eng.now, eps = 1e-9 * (now > 1.0 ? now : 1.0);
    while (ps->kiln_len > 0 && ps->kiln[ps->kiln_head].end <= now + eps) {
        double green = ps->kiln[ps->kiln_head].green;
        ps->kiln_head = (ps->kiln_head + 1) % ps->kiln_cap;
        ps->kiln_len--;
        SIM_CHECK(finish_batch(m, p, green));
    }
    return SIM_OK;
}

int plant_on_fail(sim_engine *e, const sim_event *ev, void *model)
{
    model_instance *m = model;
    plant_state *ps = &m->plants[ev->target];
    ps->up = 0;
    ps->down_since = e->now;
    double repair = sim_rng_exponential(ps->rng, m->s->plant.mttr_days);
    return sim_engine_schedule(e, e->now + repair, PRIO_PLANT, EV_PLANT_REPAIR, ev->target, 0, 0.0, NULL);
}

int plant_on_repair(sim_engine *e, const sim_event *ev, void *model)
{
    model_instance *m = model;
    plant_state *ps = &m->plants[ev->target];
    ps->up = 1;
    if (m->recording)
        *model_pm(m->out, m->year, ev->target, PM_DOWN_DAYS) += e->now - mdl_max(ps->down_since, m->t0);
    double next = sim_rng_exponential(ps->rng, m->s->plant.mtbf_days);
    return sim_engine_schedule(e, e->now + next, PRIO_PLANT, EV_PLANT_FAIL, ev->target, 0, 0.0, NULL);
}

/* Close a month: keep the utilisation window, and let a conventional
 * plant that stayed below plant.exit_utilisation for exit_months exit. */
int plant_month_end(model_instance *m, int p, int days)
{
    plant_state *ps = &m->plants[p];
    const scn_plant_params *pp = &m->s->plant;
    int win = (int)pp->exit_months;
    int slot = ((m->month % win) + win) % win;
    double *util_prod = util_window(m, p), *util_cap = util_prod + win;
    util_prod[slot] = ps->month_prod;
    util_cap[slot] = ps->open ? ps->cap_rate * days : 0.0;
    ps->month_prod = 0;
    if (pp->exit_utilisation <= 0 || !ps->open || ps->exited ||
        m->s->classes[m->s->plants[p].cls].high_efficiency)
        return SIM_OK;
    double prod = 0, cap = 0;
    for (int i = 0; i < win; i++) {
        prod += util_prod[i];
        cap += util_cap[i];
    }
    /* A full window of open months, all below the threshold on average. */
    double full = ps->cap_rate * 28.0 * win;
    if (cap >= full && prod < pp->exit_utilisation * cap) {
        ps->exited = 1;
        if (m->recording)
            *model_pm(m->out, m->year, p, PM_EXIT) = 1.0;
    }
    return SIM_OK;
}

/* Month boundary: open or close the plant by its dates (or its exit).  A
 * closing plant hands its backlog back (smelters re-order elsewhere). */
int plant_month(model_instance *m, int p, int day)
{
    plant_state *ps = &m->plants[p];
    const scn_plant *sp = &m->s->plants[p];
    int open = day >= sp->start_day && day < sp->end_day && !ps->exited;
    ps->cap_rate = sp->capacity_tpy / m->days_in_year;
    ps->curb = events_curb(m, mdl_plant_region(m, p), 0);
    if (ps->open && !open) {
        for (int i = 0; i < ps->qlen; i++) {
            const mdl_order *o = &ps->q[(ps->qhead + i) % ps->qcap];
            if (o->cust < m->s->nsmelters)
                smelter_cancel_orders(m, o->cust, o->qty);
        }
        ps->qlen = 0;
        ps->backlog = 0;
    }
    ps->open = open;
    return SIM_OK;
}
