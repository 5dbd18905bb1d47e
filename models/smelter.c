/*
 * smelter.c — smelters: continuous anode use, replenishment by call-offs
 * in days of cover, stock-outs lost or back-ordered, butts back to the
 * plants.
 *
 * Use is continuous at `rate` t/day, constant within a month, so the stock
 * is only brought up to date when something happens (smelter_advance) and
 * the moment the inventory position falls to the reorder point is
 * computed, not searched for by ticking every day: one event per order.
 *
 * A smelter aggregate stands for many pot lines and supply contracts, so
 * it does not call off its whole reorder lot at once: its supply is split
 * into smelter.order_lines call-offs of (order_up_to_days - reorder_days)
 * / order_lines days of use each, with the inventory position kept around
 * the middle of [reorder_days, order_up_to_days] (one line: the (s, S)
 * rule).  Demand not met while the stock is empty is lost with the
 * aluminium it would have made (shortage_policy lost), or owed and met
 * from the next delivery (backorder: the metal is made late, not lost).
 */
#include <math.h>

#include "model_internal.h"
#include "sim_err.h"
#include "sim_rng.h"

/* Aluminium output a year smelter i plans before the national cap: its
 * output grown, plus what transfers moved to it, less what they moved
 * away. */
static double al_planned(const model_instance *m, int i)
{
    return mdl_max(m->s->smelters[i].al_tpy * mdl_growth(m, i) + events_transfer(m, i), 0.0);
}

/* The cap is China's: it binds the smelters of provinces only (a world
 * scenario's other smelters grow by their own rates). */
void smelter_cap_month(model_instance *m)
{
    const scenario *s = m->s;
    double cap = s->smelter.aluminium_cap_tpy, total = 0;
    for (int i = 0; i < s->nsmelters; i++) {
        m->smelters[i].al_tpy = al_planned(m, i);
        if (s->region_kind[mdl_cust_region(m, i)] == REGION_PROVINCE)
            total += m->smelters[i].al_tpy;
    }
    if (cap > 0 && total > cap)
        for (int i = 0; i < s->nsmelters; i++)
            if (s->region_kind[mdl_cust_region(m, i)] == REGION_PROVINCE)
                m->smelters[i].al_tpy *= cap / total;
}

/* Aluminium output rate of the month (t/day) for a smelter. */
static double al_rate(const model_instance *m, int i)
{
    return m->smelters[i].al_tpy / m->days_in_year;
}

void smelter_advance(model_instance *m, int i, double t)
{
    smelter_state *st = &m->smelters[i];
    double dt = t - st->t_last;
    st->t_last = t;
    if (dt <= 0)
        return;
    int region = mdl_cust_region(m, i);
    if (st->displaced_rate > 0)
        mdl_add(m, region, RM_DISPLACED, st->displaced_rate * dt);
    if (st->rate <= 0)
        return;
    double need = st->rate * dt;
    double before = st->stock;
    st->stock = need < before ? mdl_snap(before - need) : 0.0;
    double used = before - st->stock;   /* exact: what left the stock */
    double short_t = need - used;
    st->consumed_month += used;
    mdl_add(m, region, RM_DEMAND, need);
    mdl_add(m, region, RM_CONSUMPTION, used);
    mdl_flow(m, BAL_ANODE, 0.0, used);
    if (short_t > mdl_max(1e-9 * need, MDL_EPS_T)) {   /* (not a rounding residue of an exact depletion) */
        m->cust_short[i] = 1;
        mdl_add(m, region, RM_SHORTAGE, short_t);
        if (m->s->smelters[i].backorder)
            st->backorder += short_t;
        else
            mdl_add(m, region, RM_LOST_AL, short_t / m->s->smelters[i].anode_per_t);
    }
}

/* Reorder point and order-up-to level of the call-offs, t (see the top):
 * in days of cover on top of the transit time (anodes from China take
 * six weeks to a smelter abroad; a reorder point of 20 days' cover would
 * run it dry before they came) and of the smelter's safety_days (sea-borne
 * supply arrives less evenly than by rail). */
static void calloff_levels(const model_instance *m, int i, double *rop, double *target)
{
    const scn_smelter_params *sp = &m->s->smelter;
    double rate = m->smelters[i].rate;
    double lot = (sp->order_up_to_days - sp->reorder_days) / sp->order_lines;
    double mid = 0.5 * (sp->reorder_days + sp->order_up_to_days) + m->d->smelter_transit[i] + m->s->smelters[i].safety_days;
    *rop = rate * (mid - 0.5 * lot);
    *target = *rop + rate * lot;
}

/* Stock plus what is on order, less what is owed. */
static double position(const smelter_state *st)
{
    return st->stock + st->on_order - st->backorder;
}

int smelter_init(model_instance *m, int i)
{
    smelter_state *st = &m->smelters[i];
    gsl_rng *rng = st->rng;
    smelter_set_rate(m, i);
    /* Start somewhere between the reorder point and the order-up-to level
     * so that smelters do not all order on the same day. */
    double lo, hi;
    calloff_levels(m, i, &lo, &hi);
    st->stock = lo + (hi - lo) * gsl_rng_uniform(rng);
    st->on_order = 0;
    st->backorder = 0;
    st->t_last = 0;
    st->reorder = SIM_HANDLE_NONE;
    st->consumed_month = 0;
    st->nrecv = 0;
    st->butts_held = 0;
    return SIM_OK;
}

/* Order up to the target and schedule the next reorder. */
static int order_now(model_instance *m, int i)
{
    smelter_state *st = &m->smelters[i];
    double rop, target;
    calloff_levels(m, i, &rop, &target);
    double q = target - position(st);
    if (q <= 0)
        return SIM_OK;
    st->on_order += q;
    return sourcing_place(m, i, q, m->eng.now, -1);
}

int smelter_reschedule(model_instance *m, int i)
{
    smelter_state *st = &m->smelters[i];
    if (st->reorder != SIM_HANDLE_NONE) {
        sim_engine_cancel(&m->eng, st->reorder);
        st->reorder = SIM_HANDLE_NONE;
    }
    if (st->rate <= 0)
        return SIM_OK;
    double rop, target;
    calloff_levels(m, i, &rop, &target);
    double ip = position(st);
    if (ip <= rop) {
        SIM_CHECK(order_now(m, i));
        ip = position(st);
        /* Still at or below the reorder point: the order lapsed, as no
         * open plant reaches this smelter.  A reorder now would lapse
         * again at the same instant, forever; the month close, when
         * plants open and close, reschedules every smelter. */
        if (ip <= rop)
            return SIM_OK;
    }
    /* The inventory position falls at `rate` and changes otherwise only
     * when this smelter orders, so the crossing time is exact. */
    double when = m->eng.now + mdl_max(ip - rop, 0.0) / st->rate;
    return sim_engine_schedule(&m->eng, when, PRIO_ORDER, EV_SMELTER_REORDER, i, 0, 0.0, &st->reorder);
}

int smelter_on_reorder(sim_engine *e, const sim_event *ev, void *model)
{
    model_instance *m = model;
    int i = ev->target;
    m->smelters[i].reorder = SIM_HANDLE_NONE;
    transport_deliver_anodes(m, i, e->now, 1);   /* arrivals at this moment come first */
    smelter_advance(m, i, e->now);
    SIM_CHECK(order_now(m, i));
    return smelter_reschedule(m, i);
}

void smelter_receive(model_instance *m, int i, int plant, double qty, double t)
{
    smelter_state *st = &m->smelters[i];
    smelter_advance(m, i, t);
    st->stock += qty;
    st->on_order = mdl_max(st->on_order - qty, 0.0);
    if (st->backorder > 0) {   /* what is owed is used first */
        double u = mdl_min(st->stock, st->backorder);
        st->stock = mdl_snap(st->stock - u);
        st->backorder = mdl_snap(st->backorder - u);
        st->consumed_month += u;
        mdl_add(m, mdl_cust_region(m, i), RM_CONSUMPTION, u);
        mdl_flow(m, BAL_ANODE, 0.0, u);
    }
    /* Remember who delivered, for the butts. */
    int slot = -1;
    for (int k = 0; k < st->nrecv; k++)
        if (st->recv_plant[k] == plant)
            slot = k;
    if (slot < 0 && st->nrecv < RECV_SLOTS) {
        slot = st->nrecv++;
        st->recv_plant[slot] = plant;
        st->recv_qty[slot] = 0;
    }
    if (slot < 0) {   /* table full: credit the smallest entry's plant */
        slot = 0;
        for (int k = 1; k < st->nrecv; k++)
            if (st->recv_qty[k] < st->recv_qty[slot])
                slot = k;
    }
    st->recv_qty[slot] += qty;
}

void smelter_cancel_orders(model_instance *m, int i, double qty)
{
    smelter_state *st = &m->smelters[i];
    st->on_order = mdl_max(st->on_order - qty, 0.0);
}

/* Close a month: butts from the month's use go back to the plants that
 * delivered, in proportion to what each delivered. */
int smelter_month(model_instance *m, int i)
{
    smelter_state *st = &m->smelters[i];
    double butts = st->consumed_month * m->s->smelter.butt_ratio;
    st->consumed_month = 0;
    mdl_flow(m, BAL_BUTTS, butts, 0.0);
    st->butts_held += butts;
    if (st->nrecv == 0 || st->butts_held <= 0)
        return SIM_OK;
    double total = 0;
    for (int k = 0; k < st->nrecv; k++)
        total += st->recv_qty[k];
    double left = st->butts_held;
    for (int k = 0; k < st->nrecv; k++) {
        double q = k + 1 == st->nrecv ? left : st->butts_held * (st->recv_qty[k] / total);
        if (q > left)
            q = left;
        left -= q;
        if (q <= 0)
            continue;
        int p = st->recv_plant[k];
        SIM_CHECK(transport_return(m, q, net_plant_route(&m->d->net, p, i), p, m->s->smelters[i].node));
    }
    st->butts_held = 0;
    st->nrecv = 0;
    return SIM_OK;
}

/* New month: the use rate follows aluminium output (growth by month).  The
 * stock must have been advanced to now. */
void smelter_set_rate(model_instance *m, int i)
{
    int region = mdl_cust_region(m, i);
    smelter_state *st = &m->smelters[i];
    st->al_rate = al_rate(m, i) * events_curb(m, region, 1) * events_curtail(m, m->s->smelters[i].node);
    double full = st->al_rate * m->s->smelters[i].anode_per_t;
    double inert = adopt_share(m, region);
    m->smelters[i].rate = full * (1.0 - inert);
    m->smelters[i].displaced_rate = full * inert;
}
