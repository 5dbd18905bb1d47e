/*
 * sourcing.c — which plants fill an order.
 *
 * An order is allocated as a buyer would place it, seeing the state of
 * the plants and of the links:
 *
 * 1. A smelter's captive share goes to the plants it owns, but only as far
 *    as they can accept it (open, not in an outage they will not recover
 *    from in time, curbs and backlog: plant_free_capacity), split by what
 *    each can accept.  What they cannot take joins the rest of the order.
 * 2. The rest goes by the allocation rule (allocation.rule):
 *    - greedy: to the plant of lowest effective landed cost — ex-works
 *      price plus freight on its route plus allocation.delay_cost_per_day
 *      for each day of expected wait (the plant's uncovered backlog at
 *      its current capacity beyond one campaign interval, what is left of
 *      its outage, queues on limited links, closures and slowdowns) — as
 *      much as that plant and its route can take, then the next;
 *    - split: over every plant within allocation.split_band of the lowest
 *      effective cost, in proportion to what each can take (buyers that
 *      dual-source for security of supply).
 *    A plant or route whose expected wait exceeds allocation.max_wait_days
 *    is passed over.
 * 3. What no plant can accept goes to the open plant whose expected wait
 *    is shortest; it waits there rather than being lost.
 *
 * Candidates are kept ranked by landed price (prices.c, monthly: ex-works
 * price plus freight, and across a border exports.premium and any duty);
 * since
 * waits only add to it, a scan stops at the first candidate whose landed
 * price alone is above the best effective cost found: in an uncongested
 * network that is the second candidate.
 */
#include <math.h>
#include <string.h>

#include "model_internal.h"
#include "sim_err.h"

double sourcing_plant_wait(const model_instance *m, int p)
{
    const plant_state *ps = &m->plants[p];
    double rate = ps->cap_rate * ps->curb;
    if (!ps->open || rate <= 0)
        return HUGE_VAL;
    /* Days to work off the uncovered backlog, beyond the campaign interval
     * any plant needs to make an order (only waiting beyond the usual
     * counts: uncongested plants all wait 0, and a scan stops early). */
    double wait = mdl_max((ps->backlog - ps->finished) / rate - m->s->plant.campaign_days, 0.0);
    if (!ps->up)
        wait += mdl_max(ps->repair_at - m->eng.now, 0.0);
    return wait;
}

/* What plant p can take now of `need` t over route r (with extra_days of
 * its capacity on top of what it accepts), and the order's
 * expected wait (plant and links); 0 when it can take nothing, or less
 * than a lot: allocation.min_lot_t, or all of `need`, or a campaign's
 * output at capacity where that is less (small plants ship small lots).
 * Buyers do not place a few wagons with a plant that is nearly full;
 * without a lot such slivers were a fifth of all parts, a quarter of
 * them under 100 t. */
static double take_within(const model_instance *m, int p, const net_route *r, double need, double extra_days,
                          double *wait)
{
    const plant_state *ps = &m->plants[p];
    double free_t = ps->open ? plant_free_capacity(m, p) + extra_days * ps->cap_rate * ps->curb : 0.0;
    double lot = mdl_min(mdl_min(m->s->alloc.min_lot_t, need), ps->cap_rate * ps->curb * m->s->plant.campaign_days);
    if (free_t <= 0 || free_t < lot * (1.0 - 1e-12))
        return 0.0;
    double room = HUGE_VAL;
    double w = sourcing_plant_wait(m, p) + transport_route_wait(m, r, &room);
    double take = mdl_min(free_t, room);
    if (w > m->s->alloc.max_wait_days || take < lot * (1.0 - 1e-12))
        return 0.0;
    *wait = w;
    return take;
}

static double can_take(const model_instance *m, int p, const net_route *r, double need, double *wait)
{
    return take_within(m, p, r, need, 0.0, wait);
}

/* What the rule adds to the landed price of plant p when a smelter owns
 * it: allocation.captive_premium.  A smelter group's plant makes the
 * captive part of its owner's orders (place_captive); the rest of an
 * order, its owner's included, is bought under term contracts with
 * merchant producers, and a captive plant gets it only on spot terms.
 * Without it captive plants near the smelters won the merchant parts on
 * freight alone and ran at 97 % against the merchants' 63 % (SMM: both
 * about 76 %). */
static double third_party(const model_instance *m, int p, int cust)
{
    (void)cust;
    return m->s->plants[p].owner >= 0 ? m->s->alloc.captive_premium : 0.0;
}

/* The captive part: the owned plants take what they can of cq, in
 * proportion to what each can take, however little (no lot: an own plant
 * is not a supplier to be worth an order).  Returns what they took. */
static int place_captive(model_instance *m, int cust, double cq, double placed, int except, double *taken)
{
    const model_def *d = m->d;
    const int *own = d->owned + d->owned_start[cust];
    int nown = d->owned_start[cust + 1] - d->owned_start[cust];
    double total = 0, w;
    *taken = 0;
    /* An own plant takes a call-off's captive part on top of its
     * acceptance window: it plans its furnaces for its owner's pot lines,
     * and turned a call-off away whenever its backlog exceeded a few days
     * (large captive plants, a call-off near their window, lost a fifth
     * of their owner's orders to merchants). */
    const scn_smelter_params *sp = &m->s->smelter;
    double calloff = (sp->order_up_to_days - sp->reorder_days) / sp->order_lines;
    for (int i = 0; i < nown; i++)
        if (own[i] != except)
            total += take_within(m, own[i], net_plant_route(&d->net, own[i], cust), 0.0, calloff, &w);
    if (total <= 0)
        return SIM_OK;
    double share = mdl_min(cq, total) / total;
    for (int i = 0; i < nown; i++) {
        const net_route *r = net_plant_route(&d->net, own[i], cust);
        double q = own[i] == except ? 0.0 : take_within(m, own[i], r, 0.0, calloff, &w) * share;
        if (q <= 0)
            continue;
        SIM_CHECK(plant_receive_order(m, own[i], cust, r, q, placed));
        *taken += q;
    }
    return SIM_OK;
}

/* The candidate of lowest effective cost that can take a lot of `need`
 * (-1: none), with what it can take. */
static int best_candidate(const model_instance *m, int cust, int except, double need, double *take, double *eff)
{
    const model_def *d = m->d;
    const int *cand = m->cand + d->cand_start[cust];
    const int *rt = m->cand_rt + d->cand_start[cust];
    const double *lk = m->cand_land + d->cand_start[cust];
    const net_route *routes = d->net.plant_cust;
    double dc = m->s->alloc.delay_cost_per_day;
    int n = d->ncand[cust], best = -1;
    for (int i = 0; i < n; i++) {
        int p = cand[i];
        double landed = lk[i];
        if (best >= 0 && landed >= *eff)
            break;   /* ranked by landed price: no later one can do better */
        double w = 0, t = p == except ? 0.0 : can_take(m, p, &routes[rt[i]], need, &w);
        if (t <= 0)
            continue;
        double e = landed + dc * w + third_party(m, p, cust);
        if (best < 0 || e < *eff) {
            best = i;
            *eff = e;
            *take = t;
        }
    }
    return best;
}

/* The part of `rest` a plant that can take `take` gets: all of it when
 * what would be left is less than a lot (the plant's acceptance limit is
 * a planning figure; a remainder of a few wagons is not a second order). */
static double lot_part(const model_instance *m, double take, double rest, double need)
{
    double lot = mdl_min(m->s->alloc.min_lot_t, need);
    return take < rest - lot ? take : rest;
}

/* Insert candidate i (effective cost e, take t) into the n picks ranked
 * by (cost, position): the order the per-plant scan would choose them. */
static int pick_insert(struct sourcing_pick *pk, int n, int i, double e, double t)
{
    int j = n;
    while (j > 0 && (pk[j - 1].eff > e || (pk[j - 1].eff == e && pk[j - 1].i > i))) {
        pk[j] = pk[j - 1];
        j--;
    }
    pk[j] = (struct sourcing_pick){ e, t, i };
    return n + 1;
}

/* The cost at which the ranked picks cover `rest` (HUGE_VAL: they do not). */
static double pick_cover(const struct sourcing_pick *pk, int n, double rest)
{
    double cum = 0;
    for (int j = 0; j < n; j++)
        if ((cum += pk[j].take) >= rest)
            return pk[j].eff;
    return HUGE_VAL;
}

/* Greedy where links are static (no queues, closures or slowdowns): what
 * one plant takes does not change what another can take, so one scan
 * ranks the candidates and the order fills them in that order — the
 * plants, tonnes and order of a scan per plant, without re-scanning the
 * full ones each time (the scan cost a sixth of a replication).  The scan
 * stops at the first candidate whose landed price is not below the cost
 * at which those found cover the order; a plant that took an order is
 * ranked again (its furnace output up to now may free more). */
static int place_greedy_static(model_instance *m, int cust, double *rest, double placed, int except)
{
    const model_def *d = m->d;
    const int *cand = m->cand + d->cand_start[cust];
    const int *rt = m->cand_rt + d->cand_start[cust];
    const double *lk = m->cand_land + d->cand_start[cust];
    const net_route *routes = d->net.plant_cust;
    struct sourcing_pick *pk = m->pick;
    double dc = m->s->alloc.delay_cost_per_day, cover = HUGE_VAL, need = *rest;
    int n = d->ncand[cust], np = 0;
    for (int i = 0; i < n; i++) {
        int p = cand[i];
        double landed = lk[i];
        if (landed >= cover)
            break;
        double w = 0, t = p == except ? 0.0 : can_take(m, p, &routes[rt[i]], need, &w);
        if (t <= 0)
            continue;
        np = pick_insert(pk, np, i, landed + dc * w + third_party(m, p, cust), t);
        cover = pick_cover(pk, np, *rest);
    }
    for (int pass = 0; pass < n && np > 0 && *rest > 0; pass++) {
        struct sourcing_pick best = pk[0];
        memmove(pk, pk + 1, (size_t)--np * sizeof *pk);
        double q = lot_part(m, best.take, *rest, need);
        SIM_CHECK(plant_receive_order(m, cand[best.i], cust, &routes[rt[best.i]], q, placed));
        *rest -= q;
        double w = 0, t = *rest > 0 ? can_take(m, cand[best.i], &routes[rt[best.i]], need, &w) : 0.0;
        if (t > 0)
            np = pick_insert(pk, np, best.i,
                             lk[best.i] + dc * w + third_party(m, cand[best.i], cust), t);
    }
    return SIM_OK;
}

static int place_greedy(model_instance *m, int cust, double *rest, double placed, int except)
{
    if (!m->d->link_dynamic)
        return place_greedy_static(m, cust, rest, placed, except);
    double need = *rest;   /* (the lot is of the part placed by the rule, not what is left of it) */
    const model_def *d = m->d;
    const int *cand = m->cand + d->cand_start[cust];
    const int *rt = m->cand_rt + d->cand_start[cust];
    /* Each pass fills one plant (or the whole order): a few passes. */
    for (int pass = 0; pass < d->ncand[cust] && *rest > 0; pass++) {
        double take = 0, eff = 0;
        int i = best_candidate(m, cust, except, need, &take, &eff);
        if (i < 0)
            break;
        double q = lot_part(m, take, *rest, need);
        SIM_CHECK(plant_receive_order(m, cand[i], cust, &d->net.plant_cust[rt[i]], q, placed));
        *rest -= q;
    }
    return SIM_OK;
}

static int place_split(model_instance *m, int cust, double *rest, double placed, int except)
{
    const model_def *d = m->d;
    const int *cand = m->cand + d->cand_start[cust];
    const int *rt = m->cand_rt + d->cand_start[cust];
    const double *lk = m->cand_land + d->cand_start[cust];
    const net_route *routes = d->net.plant_cust;
    double take = 0, best = 0;
    if (best_candidate(m, cust, except, *rest, &take, &best) < 0)
        return SIM_OK;
    double band = best * (1.0 + m->s->alloc.split_band), total = 0, w;
    int n = d->ncand[cust], last = 0;
    for (int i = 0; i < n; i++) {
        int p = cand[i];
        if (lk[i] > band)
            break;
        double t = p == except ? 0.0 : can_take(m, p, &routes[rt[i]], *rest, &w);
        double e = lk[i] + m->s->alloc.delay_cost_per_day * w + third_party(m, p, cust);
        if (t > 0 && e <= band) {
            m->cand_key[i] = t;
            total += t;
        } else {
            m->cand_key[i] = 0;
        }
        last = i + 1;
    }
    double share = mdl_min(*rest, total) / total;
    for (int i = 0; i < last; i++) {
        double q = m->cand_key[i] * share;
        if (q <= 0)
            continue;
        SIM_CHECK(plant_receive_order(m, cand[i], cust, &routes[rt[i]], q, placed));
        *rest -= q;
    }
    if (*rest < 1e-9 * (total + 1.0))
        *rest = 0;   /* rounding of the shares */
    return *rest > 0 ? place_greedy(m, cust, rest, placed, except) : SIM_OK;
}

/* What no plant could accept waits at the open plant that will ship it
 * soonest. */
static int place_overflow(model_instance *m, int cust, double rest, double placed, int except)
{
    const model_def *d = m->d;
    const int *cand = m->cand + d->cand_start[cust];
    const int *rt = m->cand_rt + d->cand_start[cust];
    int best = -1;
    double best_wait = 0;
    for (int i = 0; i < d->ncand[cust]; i++) {
        int p = cand[i];
        if (!m->plants[p].open || p == except)
            continue;
        double room;
        double w = sourcing_plant_wait(m, p) + transport_route_wait(m, &d->net.plant_cust[rt[i]], &room);
        if (best < 0 || w < best_wait) {
            best = i;
            best_wait = w;
        }
    }
    if (best >= 0)
        return plant_receive_order(m, cand[best], cust, &d->net.plant_cust[rt[best]], rest, placed);
    /* No open plant reaches this customer: the order lapses. */
    if (cust < m->s->nsmelters)
        smelter_cancel_orders(m, cust, rest);
    return SIM_OK;
}

int sourcing_place(model_instance *m, int cust, double qty, double placed, int except)
{
    const scenario *s = m->s;
    double rest = qty;
    if (cust < s->nsmelters && s->smelters[cust].captive_share > 0) {
        double taken;
        SIM_CHECK(place_captive(m, cust, qty * s->smelters[cust].captive_share, placed, except, &taken));
        rest -= taken;
    }
    if (rest > 0)
        SIM_CHECK(s->alloc.rule == ALLOC_SPLIT ? place_split(m, cust, &rest, placed, except)
                                               : place_greedy(m, cust, &rest, placed, except));
    if (rest <= 1e-9 * qty)
        return SIM_OK;
    return place_overflow(m, cust, rest, placed, except);
}
