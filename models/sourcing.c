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

int sourcing_place(model_instance *m, int cust, double qty)
{
    const scenario *s = m->s;
    const model_def *d = m->d;
    double rest = qty;
    if (cust < s->nsmelters && s->smelters[cust].captive_share > 0) {
        const int *own = d->owned + d->owned_start[cust];
        int nown = d->owned_start[cust + 1] - d->owned_start[cust];
        double cap = 0;
        int last = -1;
        for (int i = 0; i < nown; i++)
            if (m->plants[own[i]].open) {
                cap += m->plants[own[i]].cap_rate;
                last = i;
            }
        if (cap > 0) {
            double cq = qty * s->smelters[cust].captive_share, left = cq;
            for (int i = 0; i <= last; i++) {
                int p = own[i];
                if (!m->plants[p].open)
                    continue;
                double q = i == last ? left : cq * m->plants[p].cap_rate / cap;
                left -= q;
                SIM_CHECK(plant_receive_order(m, p, cust, net_plant_route(&d->net, p, cust), q));
            }
            rest -= cq;
        }
    }
    const int *cand = m->cand + d->cand_start[cust];   /* ranked this month */
    const int *rt = m->cand_rt + d->cand_start[cust];
    const net_route *routes = d->net.plant_cust;
    int n = d->ncand[cust];
    for (int i = 0; i < n && rest > 0; i++) {
        int p = cand[i];
        double free_t = plant_free_capacity(m, p);
        if (free_t <= 0)
            continue;
        double take = free_t < rest ? free_t : rest;
        SIM_CHECK(plant_receive_order(m, p, cust, &routes[rt[i]], take));
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
            best = i;
            best_days = days;
        }
    }
    if (best >= 0)
        return plant_receive_order(m, cand[best], cust, &routes[rt[best]], rest);
    /* No open plant reaches this customer: the order lapses. */
    if (cust < s->nsmelters)
        smelter_cancel_orders(m, cust, rest);
    return SIM_OK;
}
