/*
 * sourcing.c — which plants fill an order.
 *
 * 1. A smelter's captive share goes to the plants it owns, split by their
 *    capacity (contract volumes are taken whatever the backlog).
 * 2. The rest goes to plants in order of landed cost (ex-works price plus
 *    transport along the cheapest route), each taking what it can accept:
 *    plant.accept_days of capacity minus its uncovered backlog.
 * 3. What no plant can accept goes to the open candidate that will clear
 *    its backlog soonest; it waits there rather than being lost.
 */
#include "model_internal.h"
#include "sim_err.h"

static double captive(model_instance *m, int smelter, double qty)
{
    const scenario *s = m->s;
    double share = s->smelters[smelter].captive_share;
    if (share <= 0)
        return 0.0;
    double cap = 0;
    for (int p = 0; p < s->nplants; p++)
        if (s->plants[p].owner == smelter && m->plants[p].open)
            cap += m->plants[p].cap_rate;
    return cap > 0 ? qty * share : 0.0;
}

int sourcing_place(model_instance *m, int cust, double qty)
{
    const scenario *s = m->s;
    const model_def *d = m->d;
    double rest = qty;
    if (cust < s->nsmelters) {
        double cq = captive(m, cust, qty);
        if (cq > 0) {
            double cap = 0;
            int last = -1;
            for (int p = 0; p < s->nplants; p++)
                if (s->plants[p].owner == cust && m->plants[p].open) {
                    cap += m->plants[p].cap_rate;
                    last = p;
                }
            double left = cq;
            for (int p = 0; p <= last; p++) {
                if (s->plants[p].owner != cust || !m->plants[p].open)
                    continue;
                double q = p == last ? left : cq * m->plants[p].cap_rate / cap;
                left -= q;
                SIM_CHECK(plant_receive_order(m, p, cust, q));
            }
            rest -= cq;
        }
    }
    const int *cand = m->cand + (size_t)cust * (size_t)s->nplants;   /* ranked this month */
    int n = d->ncand[cust];
    for (int i = 0; i < n && rest > 0; i++) {
        int p = cand[i];
        double free_t = plant_free_capacity(m, p);
        if (free_t <= 0)
            continue;
        double take = free_t < rest ? free_t : rest;
        SIM_CHECK(plant_receive_order(m, p, cust, take));
        rest -= take;
    }
    if (rest <= 0)
        return SIM_OK;
    int best = -1;
    double best_days = 0;
    for (int i = 0; i < n; i++) {
        int p = cand[i];
        if (!m->plants[p].open)
            continue;
        double days = (m->plants[p].backlog - m->plants[p].finished) / m->plants[p].cap_rate;
        if (best < 0 || days < best_days) {
            best = p;
            best_days = days;
        }
    }
    if (best >= 0)
        return plant_receive_order(m, best, cust, rest);
    /* No open plant reaches this customer: the order lapses. */
    if (cust < s->nsmelters)
        smelter_cancel_orders(m, cust, rest);
    return SIM_OK;
}
