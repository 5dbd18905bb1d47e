/*
 * plant.c — anode plants: produce to order within capacity in campaigns,
 * consume coke, pitch and butts by recipe, bake for a lead time, keep
 * finished and raw-material stocks, and fail and get repaired.
 *
 * Every plant.campaign_days a plant plans one campaign by a smoothed
 * base-stock rule: its position (finished plus baking anodes, less the
 * backlog) should cover the replenishment lead time (campaign interval
 * plus bake) and a finished-stock target (finished_target_days), all at
 * the smoothed order intake; the campaign runs at the intake rate plus the
 * gap to that target spread over plant.adjust_days (campaign_days: the
 * whole gap at once), capped by capacity over the campaign and by the raw
 * materials on hand.  A campaign's green anodes come out of the furnace
 * evenly over one campaign interval from bake_days on, less the class's
 * baking loss (a ring furnace unloads section by section): output is
 * applied lazily, when the plant is next looked at (a campaign, an order,
 * a month close), exactly as if it had come out continuously.
 * Utilisation is what this produces; it is never an input.
 *
 * A plant accepts orders while its backlog not covered by finished stock
 * is under accept_days of its current capacity (curbs included); in an
 * outage only what the days left after its repair cover.  When it fails,
 * orders beyond that (and beyond what its stock and furnace cover) go
 * back to sourcing; when it closes, all of its backlog does.
 */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "sim_err.h"
#include "sim_rng.h"

/* Months an expansion takes to reach its full capacity, once it starts
 * producing: all at once, the expansions decided when every plant's
 * first window filled (the same month) came in as steps of 1 Mt in a
 * January. */
#define INVEST_RAMP_MONTHS 12.0
/* Months a plant is in start-up after it opens: they count toward no exit. */
#define EXIT_STARTUP_MONTHS 3
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

/* Days of capacity a plant takes orders for: accept_days, in an outage
 * only those left after the repair. */
static double accept_horizon(const model_instance *m, const plant_state *ps)
{
    double days = m->s->plant.accept_days;
    return ps->up ? days : mdl_max(days - (ps->repair_at - m->eng.now), 0.0);
}

double plant_free_capacity(const model_instance *m, int p)
{
    const plant_state *ps = &m->plants[p];
    if (!ps->open)
        return 0.0;
    return accept_horizon(m, ps) * ps->cap_rate * ps->curb - (ps->backlog - ps->finished);
}

int plant_kiln_slots(const scenario *s)
{
    /* Campaigns in the furnace at once: bake / interval, one coming out,
     * one going in, and one for rounding. */
    return (int)ceil(s->plant.bake_days / s->plant.campaign_days) + 3;
}

/* Planned daily use of each raw material, t/d: at the larger of the
 * intake forecast and the rate the plant runs at (a plant working off a
 * backlog at capacity uses more than its intake).  Coke is planned as if
 * no butts came back (it replaces missing butts), which errs on the safe
 * side. */
static double raw_use_rate(const model_instance *m, int p, int com)
{
    const plant_state *ps = &m->plants[p];
    const scn_plant_params *pp = &m->s->plant;
    double anode = mdl_max(mdl_max(ps->ewma_intake, ps->run_rate), RAW_PLAN_FLOOR * ps->cap_rate);
    double green = anode / (1.0 - loss_of(m, p));
    return green * (com == COM_CPC ? pp->recipe_cpc + pp->recipe_butts : pp->recipe_pitch);
}

/* Plant p's window: exit_months of production, then as many of
 * capacity, then of profit (the layout model_internal.h gives m->util). */
static double *util_window(const model_instance *m, int p)
{
    return m->util + (size_t)p * UTIL_RINGS * (size_t)m->s->plant.exit_months;
}

/* Nameplate a year now: the table's, plus expansions, less retirements. */
static double nameplate(const model_instance *m, int p)
{
    const plant_state *ps = &m->plants[p];
    return mdl_max(m->s->plants[p].capacity_tpy + ps->added_tpy - ps->retired_tpy, 0.0);
}

/* Plant p's raw-material leads (model_def.raw_lead): [0] the mean lead
 * time of its cheapest supplier route (the opening stock covers it), [1] a
 * bound on any pick's. */
static const double *raw_leads(const model_instance *m, int p, int com)
{
    return m->d->raw_lead + 4 * (size_t)p + 2 * (size_t)com;
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
    memset(util_window(m, p), 0, UTIL_RINGS * (size_t)s->plant.exit_months * sizeof(double));
    ps->cap_rate = s->plants[p].capacity_tpy / m->days_in_year;
    ps->open = 0;
    ps->invest_due = -1;
    ps->up = 1;
    for (int c = 0; c < 2; c++)
        ps->raw[c] = (s->plant.raw_order_up_to_days + raw_leads(m, p, c)[0]) * raw_use_rate(m, p, c);
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
    transport_book(m, &o->route, -qty);
    return transport_send(m, COM_ANODE, qty, &o->route, o->dest, p, o->cust, m->eng.now, o->placed);
}

/* Ship finished anodes to the backlog, first come first served: an order
 * leaves whole, or, when it is larger than a campaign's output at
 * capacity, in lots of at least that (not a trickle of what came out of
 * the furnace since the last look), and never so that less than a lot
 * (allocation.min_lot_t, at most that campaign output) is left to follow:
 * a part lot leaving a 50 t tail was the commonest sliver. */
static int fill(model_instance *m, int p)
{
    plant_state *ps = &m->plants[p];
    double lot_max = ps->cap_rate * m->s->plant.campaign_days;
    double tail = mdl_min(m->s->alloc.min_lot_t, lot_max);
    while (ps->qlen > 0 && ps->finished > 0) {
        mdl_order *o = &ps->q[ps->qhead];
        double lot = o->qty < lot_max ? o->qty : lot_max;
        if (ps->finished < lot * (1.0 - 1e-12))
            break;
        if (ps->finished < o->qty && o->qty - ps->finished < tail)
            break;   /* (what is being made will soon cover the whole) */
        double q = o->qty <= ps->finished ? o->qty : ps->finished;
        SIM_CHECK(ship(m, p, o, q));
        ps->finished = mdl_snap(ps->finished - q);
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

static int push_order(model_instance *m, int p, const mdl_order *o)
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
    ps->q[(ps->qhead + ps->qlen++) % ps->qcap] = *o;
    transport_book(m, &o->route, o->qty);
    return SIM_OK;
}

int plant_receive_order(model_instance *m, int p, int cust, const net_route *route, double qty, double placed)
{
    plant_state *ps = &m->plants[p];
    mdl_order o = { cust, mdl_cust_node(m->s, cust), qty, placed, *route };
    SIM_CHECK(push_order(m, p, &o));
    ps->backlog += qty;
    ps->intake += qty;
    return plant_advance(m, p);   /* what came out of the furnace since it was last looked at, then fill */
}

/* Move the orders from queue position `from` on (and `keep_first` t of
 * the order there stay) off plant p and place them again, elsewhere. */
static int move_orders(model_instance *m, int p, int from, double keep_first)
{
    plant_state *ps = &m->plants[p];
    int n = ps->qlen - from;
    if (n <= 0)
        return SIM_OK;
    if (n > m->capmoved) {
        mdl_order *nv = realloc(m->moved, (size_t)n * sizeof *nv);
        if (!nv)
            return sim_err_set(SIM_ENOMEM, "out of memory for orders that move");
        m->moved = nv;
        m->capmoved = n;
    }
    for (int i = 0; i < n; i++) {
        mdl_order *o = &ps->q[(ps->qhead + from + i) % ps->qcap];
        m->moved[i] = *o;
        if (i == 0 && keep_first > 0) {
            m->moved[i].qty -= keep_first;
            o->qty = keep_first;
        }
        transport_book(m, &o->route, -m->moved[i].qty);
        ps->backlog -= m->moved[i].qty;
        ps->intake = mdl_max(ps->intake - m->moved[i].qty, 0.0);
    }
    ps->qlen = from + (keep_first > 0);
    if (ps->qlen == 0)
        ps->backlog = 0.0;
    /* (sourcing may place an order here again: the moved ones are copies) */
    for (int i = 0; i < n; i++)
        if (m->moved[i].qty > 0)
            SIM_CHECK(sourcing_place(m, m->moved[i].cust, m->moved[i].qty, m->moved[i].placed, p));
    return SIM_OK;
}

/* The supplier a raw-material order goes to now (its candidate index,
 * -1: none), and the days its goods spend on the way (route lead time,
 * waits on the links, and the supplier's queue up to RAW_QUEUE_DAYS:
 * beyond that a larger order would only lengthen the queue it waits for):
 * the cheapest supplier whose goods can leave within RAW_QUEUE_DAYS and
 * whose route is not closed; else the one whose goods would arrive
 * soonest. */
static int raw_pick(const model_instance *m, int p, int com, double *delay)
{
    const model_def *d = m->d;
    int first = mdl_sup_first(d, p, com);
    const int *cand = d->sup_cand + first;
    int n = d->nsup_cand[2 * p + com], k = -1;
    double now = m->eng.now, room, best = HUGE_VAL;
    *delay = 0.0;
    for (int i = 0; i < n && k < 0; i++) {
        const net_route *r = &d->net.sup_plant[d->sup_rt[first + i]];
        double wait = mdl_max(m->sup_busy[cand[i]] - now, 0.0), w = transport_route_wait(m, r, &room);
        if (wait <= RAW_QUEUE_DAYS && w <= RAW_QUEUE_DAYS) {
            k = i;
            *delay = wait + w + r->lead_mean;
        }
    }
    for (int i = 0; k < 0 && i < n; i++) {
        const net_route *r = &d->net.sup_plant[d->sup_rt[first + i]];
        double wait = mdl_max(m->sup_busy[cand[i]] - now, 0.0), w = transport_route_wait(m, r, &room);
        double t = wait + w + r->lead_mean;
        if (t < best) {
            best = t;
            k = i;
            *delay = mdl_min(wait, RAW_QUEUE_DAYS) + w + r->lead_mean;
        }
    }
    return k;
}

/* Order qty of a raw material from candidate k (raw_pick). */
static int order_raw(model_instance *m, int p, int com, double qty, int k)
{
    const scenario *s = m->s;
    const model_def *d = m->d;
    int first = mdl_sup_first(d, p, com);
    double now = m->eng.now;
    int pick = d->sup_cand[first + k];
    double ready = mdl_max(now, m->sup_busy[pick]);
    m->sup_busy[pick] = ready + qty / (s->suppliers[pick].capacity_tpy / m->days_in_year);
    m->plants[p].on_order[com] += qty;
    mdl_flow(m, com == COM_CPC ? BAL_CPC : BAL_PITCH, qty, 0.0);
    return transport_send(m, com, qty, &d->net.sup_plant[d->sup_rt[first + k]], s->plants[p].node, p, -1,
                          ready, now);
}

static int check_raw(model_instance *m, int p)
{
    plant_state *ps = &m->plants[p];
    const scn_plant_params *pp = &m->s->plant;
    for (int c = 0; c < 2; c++) {
        /* The reorder point and order-up-to level come on top of the
         * days the order would take to arrive from where it would go:
         * coke by sea from the US Gulf takes a month to a plant abroad, a
         * supplier's queue some days; rail in China a few.  (Without it a
         * plant that fell back to a distant supplier ran out of coke.) */
        double use = raw_use_rate(m, p, c), lead;
        double ip = ps->raw[c] + ps->on_order[c];
        const double *leads = raw_leads(m, p, c);
        if (!m->d->link_dynamic && ip >= (pp->raw_reorder_days + leads[1]) * use)
            continue;   /* above the reorder point whatever the pick (links static: no route waits) */
        int k = raw_pick(m, p, c, &lead);
        lead = mdl_max(lead, leads[0]);   /* an order from the usual supplier may still be at sea */
        if (k >= 0 && ip < (pp->raw_reorder_days + lead) * use)
            SIM_CHECK(order_raw(m, p, c, (pp->raw_order_up_to_days + lead) * use - ip, k));
    }
    return SIM_OK;
}

void plant_raw_arrived(model_instance *m, int p, int com, double qty)
{
    plant_state *ps = &m->plants[p];
    ps->raw[com] += qty;
    ps->on_order[com] = mdl_max(ps->on_order[com] - qty, 0.0);
}

static int kiln_push(plant_state *ps, struct kiln_batch b)
{
    if (ps->kiln_len == ps->kiln_cap) {   /* (plant_kiln_slots makes this rare) */
        int nc = 2 * ps->kiln_cap;
        struct kiln_batch *nk = malloc((size_t)nc * sizeof *nk);
        if (!nk)
            return sim_err_set(SIM_ENOMEM, "out of memory for a plant's furnace");
        for (int i = 0; i < ps->kiln_len; i++)
            nk[i] = ps->kiln[(ps->kiln_head + i) % ps->kiln_cap];
        if (ps->kiln != ps->kiln_own)
            free(ps->kiln);
        ps->kiln = nk;
        ps->kiln_cap = nc;
        ps->kiln_head = 0;
    }
    ps->kiln[(ps->kiln_head + ps->kiln_len++) % ps->kiln_cap] = b;
    return SIM_OK;
}

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
    ps->month_green += green;
    ps->month_butts += butts;
    mdl_flow(m, BAL_CPC, 0.0, cpc);
    mdl_flow(m, BAL_PITCH, 0.0, pitch);
    mdl_flow(m, BAL_BUTTS, 0.0, butts);
    mdl_flow(m, BAL_GREEN, green, 0.0);
    int region = mdl_plant_region(m, p);
    mdl_add(m, region, RM_CPC_USE, cpc);
    mdl_add(m, region, RM_PITCH_USE, pitch);
    mdl_add(m, region, RM_BUTTS_USE, butts);
    return kiln_push(ps, (struct kiln_batch){ green, green, m->eng.now + pp->bake_days });
}

/* `green` t of green anode come out of the furnace as baked anodes. */
static void bake_out(model_instance *m, int p, double green)
{
    plant_state *ps = &m->plants[p];
    double baked = green * (1.0 - loss_of(m, p));
    ps->wip_green -= green;
    ps->finished += baked;
    ps->month_prod += baked;
    double profit = baked * (m->plant_price[p] - m->plant_cost[p]);
    ps->month_profit += profit;
    mdl_flow(m, BAL_GREEN, 0.0, green);
    mdl_flow(m, BAL_ANODE, baked, 0.0);
    if (!m->recording)
        return;
    int region = mdl_plant_region(m, p);
    mdl_add(m, region, RM_PRODUCTION, baked);
    if (m->s->plants[p].owner >= 0)
        mdl_add(m, region, RM_PROD_CAPTIVE, baked);
    mdl_add(m, region, RM_COST, baked * m->plant_cost[p]);
    mdl_add(m, region, RM_REVENUE, baked * m->plant_price[p]);
    double usd = baked * m->plant_price[p] / mdl_per_usd(m->s, m->fx_rate);
    mdl_add(m, region, RM_REVENUE_USD, usd);
    if (m->s->plants[p].owner < 0)
        mdl_add(m, region, RM_MERCHANT_USD, usd);
    *model_pm(m->out, m->year, p, PM_PRODUCTION) += baked;
    *model_pm(m->out, m->year, p, PM_PROFIT) += profit;
}

int plant_advance(model_instance *m, int p)
{
    plant_state *ps = &m->plants[p];
    double now = m->eng.now, span = m->s->plant.campaign_days;
    double eps = 1e-9 * (now > 1.0 ? now : 1.0);
    /* Campaigns start at least an interval apart, so they come out one
     * after another: at most the oldest is partly out. */
    while (ps->kiln_len > 0) {
        struct kiln_batch *b = &ps->kiln[ps->kiln_head];
        if (b->out >= now)
            break;
        if (now >= b->out + span - eps) {   /* all of it is out */
            double g = b->left;
            ps->kiln_head = (ps->kiln_head + 1) % ps->kiln_cap;
            ps->kiln_len--;
            if (g > 0)
                bake_out(m, p, g);
            continue;
        }
        double left = b->green * (1.0 - (now - b->out) / span);
        if (b->left > left) {
            bake_out(m, p, b->left - left);
            b->left = left;
        }
        break;
    }
    return fill(m, p);
}

int plant_on_cycle(sim_engine *e, const sim_event *ev, void *model)
{
    model_instance *m = model;
    int p = ev->target;
    plant_state *ps = &m->plants[p];
    const scn_plant_params *pp = &m->s->plant;
    SIM_CHECK(sim_engine_schedule(e, e->now + pp->campaign_days, PRIO_PLANT, EV_PLANT_CYCLE, p, 0, 0.0, NULL));
    transport_deliver_due(m, p, e->now, 1);   /* arrivals at this moment come first */
    SIM_CHECK(plant_advance(m, p));
    /* The intake rate is averaged over forecast_days: a plant that serves
     * a few large orders a month (an export lot) would otherwise move its
     * stock target, forecast x cover, by tens of per cent with each lot,
     * and its production with it (a bullwhip). */
    double w = mdl_min(pp->campaign_days / pp->forecast_days, 1.0);
    if (++ps->ncycles * w < 1.0)
        w = 1.0 / ps->ncycles;   /* until it has that much history: the mean so far */
    ps->ewma_intake += w * (ps->intake / pp->campaign_days - ps->ewma_intake);
    ps->intake = 0;
    if (!ps->open)
        return SIM_OK;
    double cap = plant_cap_rate_now(m, p) * pp->campaign_days;
    double baking = ps->wip_green * (1.0 - loss_of(m, p));
    /* Smoothed base-stock rule: the gap between the position (finished +
     * baking - backlog) and its target (the lead time and the finished
     * target at the smoothed intake) closes over adjust_days. */
    double cover = pp->campaign_days + pp->bake_days + pp->finished_target_days;
    double gap = cover * ps->ewma_intake - (ps->finished + baking - ps->backlog);
    double batch = (ps->ewma_intake + gap / pp->adjust_days) * pp->campaign_days;
    if (pp->adjust_days <= pp->campaign_days)
        batch = gap;   /* the whole gap at once */
    batch = mdl_min(mdl_max(batch, 0.0), cap);
    ps->run_rate = batch / pp->campaign_days;
    if (batch > 0)
        SIM_CHECK(start_campaign(m, p, batch));
    return check_raw(m, p);
}

/* A failed plant keeps only the orders it would accept now: what its
 * stock and furnace cover, and what its capacity makes in its accept
 * horizon (the accept_days left after the repair); the rest moves to
 * plants that can ship sooner. */
static int release_stuck(model_instance *m, int p)
{
    plant_state *ps = &m->plants[p];
    double rate = ps->cap_rate * ps->curb;
    double keep = ps->finished + ps->wip_green * (1.0 - loss_of(m, p)) + rate * accept_horizon(m, ps);
    double cum = 0;
    for (int i = 0; i < ps->qlen; i++) {
        const mdl_order *o = &ps->q[(ps->qhead + i) % ps->qcap];
        if (cum + o->qty > keep)
            return move_orders(m, p, i, mdl_max(keep - cum, 0.0));
        cum += o->qty;
    }
    return SIM_OK;
}

int plant_on_fail(sim_engine *e, const sim_event *ev, void *model)
{
    model_instance *m = model;
    int p = ev->target;
    plant_state *ps = &m->plants[p];
    SIM_CHECK(plant_advance(m, p));
    ps->up = 0;
    ps->down_since = e->now;
    double repair = sim_rng_exponential(ps->rng, m->s->plant.mttr_days);
    ps->repair_at = e->now + repair;
    SIM_CHECK(sim_engine_schedule(e, ps->repair_at, PRIO_PLANT, EV_PLANT_REPAIR, p, 0, 0.0, NULL));
    return ps->open ? release_stuck(m, p) : SIM_OK;
}

int plant_on_repair(sim_engine *e, const sim_event *ev, void *model)
{
    model_instance *m = model;
    plant_state *ps = &m->plants[ev->target];
    ps->up = 1;
    ps->down_month += e->now - mdl_max(ps->down_since, m->month_t0);
    if (m->recording)
        *model_pm(m->out, m->year, ev->target, PM_DOWN_DAYS) += e->now - mdl_max(ps->down_since, m->t0);
    double next = sim_rng_exponential(ps->rng, m->s->plant.mtbf_days);
    return sim_engine_schedule(e, e->now + next, PRIO_PLANT, EV_PLANT_FAIL, ev->target, 0, 0.0, NULL);
}

/* Exits and expansions, at the close of a recorded month once the
 * plant's window (exit_months after its start-up) is full.
 *
 * Exit: a plant below plant.exit_utilisation over the window, or (with
 * exit_on_loss) whose revenue was below its cost over it, retires
 * exit_rate_per_year of its nameplate a year, month by month, while that
 * lasts; retired all, it closes.  Gradual, as plants idle furnace by
 * furnace: an all-at-once rule shut 6.5 Mt in one month.  The warm-up
 * counts toward no window: its months are the model's start, not
 * history.
 *
 * Expansion: a high-efficiency plant above invest_utilisation whose
 * margin over the window exceeded invest_margin per tonne decides to add
 * invest_share of its table nameplate; it starts producing
 * invest_lead_months later and ramps up over INVEST_RAMP_MONTHS.  One at a time, invest_max_share in all; the window starts
 * afresh after each. */
static void exit_or_expand(model_instance *m, int p, double prod, double cap, double profit)
{
    plant_state *ps = &m->plants[p];
    const scn_plant_params *pp = &m->s->plant;
    const scn_plant *sp = &m->s->plants[p];
    double u = cap > 0 ? prod / cap : 0.0;
    int exits = m->s->classes[sp->cls].market_exit;
    int idle = exits && pp->exit_utilisation > 0 && u < pp->exit_utilisation;
    int loss = exits && pp->exit_on_loss > 0 && profit < 0;
    if (idle || loss) {
        double r = mdl_min(pp->exit_rate_per_year / 12.0 * sp->capacity_tpy, nameplate(m, p));
        ps->retired_tpy += r;
        *model_pm(m->out, m->year, p, PM_EXIT) += r;
        if (nameplate(m, p) <= MDL_EPS_T)
            ps->exited = 1;
        return;
    }
    int he = m->s->classes[sp->cls].high_efficiency;
    if (he && pp->invest_utilisation > 0 && ps->invest_due < 0 && ps->ramp_left <= 0 && u > pp->invest_utilisation &&
        prod > 0 && profit / prod > pp->invest_margin &&
        ps->added_tpy + pp->invest_share * sp->capacity_tpy <= pp->invest_max_share * sp->capacity_tpy * (1 + 1e-9)) {
        ps->invest_due = m->month + 1 + (int)pp->invest_lead_months;
        ps->win_n = 0;   /* the next decision needs a fresh window */
    }
}

/* Close a month: keep the window, then exits and expansions.  An exit is
 * recorded in the year it happens. */
int plant_month_end(model_instance *m, int p, int days)
{
    plant_state *ps = &m->plants[p];
    const scn_plant_params *pp = &m->s->plant;
    int win = (int)pp->exit_months;
    int slot = ((m->month % win) + win) % win;
    double *util_prod = util_window(m, p), *util_cap = util_prod + win, *util_profit = util_cap + win;
    /* The first months a plant is open are its start-up: they do not count. */
    int startup = ps->open && ps->open_months++ < EXIT_STARTUP_MONTHS;
    util_prod[slot] = startup ? 0.0 : ps->month_prod;
    util_cap[slot] = ps->open && !startup ? ps->cap_rate * days : 0.0;
    util_profit[slot] = startup ? 0.0 : ps->month_profit;
    ps->last_prod = util_prod[slot];
    ps->last_cap = util_cap[slot];
    ps->last_green = ps->month_green;
    ps->last_butts = ps->month_butts;
    ps->month_prod = ps->month_green = ps->month_butts = ps->month_profit = 0;
    /* Months of the window filled: recorded, open, past start-up. */
    ps->win_n = m->recording && ps->open && !startup && !ps->exited ? ps->win_n + 1 : 0;
    if (ps->win_n < win)
        return SIM_OK;
    double prod = 0, cap = 0, profit = 0;
    for (int i = 0; i < win; i++) {
        prod += util_prod[i];
        cap += util_cap[i];
        profit += util_profit[i];
    }
    exit_or_expand(m, p, prod, cap, profit);
    return SIM_OK;
}

/* Month boundary: open or close the plant by its dates (or its exit).  A
 * closing plant's backlog is placed again with other plants. */
int plant_month(model_instance *m, int p, int day)
{
    plant_state *ps = &m->plants[p];
    const scn_plant *sp = &m->s->plants[p];
    int open = day >= sp->start_day && day < sp->end_day && !ps->exited;
    if (ps->invest_due >= 0 && m->month >= ps->invest_due) {   /* an expansion starts producing */
        ps->ramp_left = m->s->plant.invest_share * sp->capacity_tpy;
        ps->invest_due = -1;
    }
    if (ps->ramp_left > 0) {   /* furnace by furnace: a twelfth a month */
        double add = mdl_min(m->s->plant.invest_share * sp->capacity_tpy / INVEST_RAMP_MONTHS, ps->ramp_left);
        ps->ramp_left = ps->ramp_left - add > MDL_EPS_T ? ps->ramp_left - add : 0.0;
        ps->added_tpy += add;
        if (m->recording)
            *model_pm(m->out, m->year, p, PM_ADDED) += add;
    }
    ps->cap_rate = nameplate(m, p) / m->days_in_year;
    ps->curb = events_curb(m, mdl_plant_region(m, p), 0) * events_curtail(m, sp->node);
    int closing = ps->open && !open;
    ps->open = open;
    return closing ? move_orders(m, p, 0, 0.0) : SIM_OK;
}
