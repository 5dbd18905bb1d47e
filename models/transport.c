/*
 * transport.c — shipments along routes: stochastic lead times per link,
 * link capacity in tonnes per day with first-come-first-served queueing,
 * and link closures that hold up cargo already on its way.
 *
 * A link of capacity C t/d is busy for q / C days with a shipment of q
 * tonnes; a shipment that finds it busy (or closed) waits until it is
 * free, then leaves whole.  Lead times are lognormal with the link's mean
 * and coefficient of variation (exactly the mean when the CV is 0), drawn
 * from the link's own random stream.  When a link closes, shipments on it
 * wait for the reopening; shipments due to enter it take a detour (the
 * cheapest path around every closed link, from the node before it) when
 * that arrives sooner than waiting, else wait too.  A new shipment does
 * the same at every leg of its route that it finds closed.  Every leg of
 * every route is tracked for this (in scenarios where links can close:
 * nothing else needs them).  A slowdown multiplies a link's lead time and
 * caps its capacity for a while (events.c).
 *
 * Arrivals are not events: a shipment waits on its destination's inbound
 * list and takes effect, at its arrival time, when the destination next
 * looks at its stocks (a plant's campaign, a smelter's reorder, every
 * month close).  Half of all events were arrivals.
 *
 * A shipment's record (struct shipment) exists only in scenarios where
 * links can close: the closure needs its legs.  Elsewhere the inbound
 * entry is all there is of it, which saves writing a record when it
 * leaves and again when it arrives (on large networks a cache miss
 * each).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "sim_err.h"

static double draw_lead(link_state *L)
{
    if (L->lead_sigma == 0)
        return L->lead_days;
    /* Lognormal with the link's mean and CV (sim_rng_state_lognormal: ziggurat
     * normal, inline e^x; cheaper than gsl_ran_lognormal's Box-Muller). */
    return L->lead_days * sim_rng_state_lognormal(&L->rng, L->lead_sigma, -L->lead_drift);
}

static int new_shipment(model_instance *m)
{
    if (m->free_ship >= 0) {
        int id = m->free_ship;
        m->free_ship = m->ship[id].next_free;
        return id;
    }
    if (m->nship == m->capship) {
        int nc = m->capship ? 2 * m->capship : 1024;
        shipment *ns = realloc(m->ship, (size_t)nc * sizeof *ns);
        if (!ns)
            return -1;
        memset(ns + m->capship, 0, (size_t)(nc - m->capship) * sizeof *ns);   /* no leg buffers yet */
        m->ship = ns;
        m->capship = nc;
    }
    return m->nship++;
}

/* Room for leg k of shipment sh. */
static int leg_room(shipment *sh, int k)
{
    if (k < sh->legcap)
        return SIM_OK;
    int nc = sh->legcap ? 2 * sh->legcap : 8;
    while (nc <= k)
        nc *= 2;
    struct ship_leg *nl = realloc(sh->legs, (size_t)nc * sizeof *nl);
    if (!nl)
        return sim_err_set(SIM_ENOMEM, "out of memory for a shipment's legs");
    sh->legs = nl;
    sh->legcap = nc;
    return SIM_OK;
}

static int record_leg(shipment *sh, int link, double in, double out)
{
    SIM_CHECK(leg_room(sh, sh->nlegs));
    sh->legs[sh->nlegs++] = (struct ship_leg){ link, in, out };
    return SIM_OK;
}

/* A detour avoids every link closed at time t. */
struct closed_at {
    const model_instance *m;
    double t;
};

static int closed_link(void *ctx, int e)
{
    const struct closed_at *c = ctx;
    return c->m->link_cold[e].closed_until > c->t;
}

/* The cheapest path from `node` to `dest` around the links closed at t,
 * into m->path; its number of links, -1 none.  *lead: its mean lead. */
static int detour(model_instance *m, int node, int dest, double t, double *lead)
{
    struct closed_at c = { m, t };
    return net_detour(&m->d->net, m->s, node, dest, closed_link, &c, &m->ws, m->path, m->s->nnodes, lead);
}

/* Mean lead of links edges[k..n). */
static double lead_rest(const model_instance *m, const int *edges, int k, int n)
{
    double t = 0;
    for (; k < n; k++)
        t += m->link[edges[k]].lead_days;
    return t;
}

/* New shipment sh finds link edges[k] of its route closed when it gets
 * there at t (its legs before k recorded).  The earliest arrival around
 * it, from the node before it or an earlier one of the route, if sooner
 * than waiting: its links in m->path and their number, where it starts
 * (*from_leg, at *at); -1 when waiting is sooner. */
static int send_detour(model_instance *m, const shipment *sh, const int *edges, int k, int n, double t,
                       int dest_node, int *from_leg, double *at)
{
    double best = m->link_cold[edges[k]].closed_until + lead_rest(m, edges, k, n), lead;
    int len = -1;
    for (int j = k; j >= 0; j--) {
        double tj = j == k ? t : sh->legs[j].in;
        int l = detour(m, m->s->links[edges[j]].from, dest_node, tj, &lead);
        if (l > 0 && tj + lead < best) {
            best = tj + lead;
            *from_leg = j;
            *at = tj;
            len = l;
        }
    }
    if (len > 0)   /* m->path holds the last search: the best one again */
        detour(m, m->s->links[edges[*from_leg]].from, dest_node, *at, &lead);
    return len;
}

/* Where a shipment of commodity com waits to take effect: its plant's
 * list for coke, pitch and butts, its customer's for anodes. */
static inbound_list *inbound_of(model_instance *m, int com, int plant, int cust)
{
    return com == COM_ANODE ? &m->cust_in[cust] : &m->plants[plant].inbound;
}

/* a takes effect after b: by arrival time, then launch order. */
static int later(const struct inbound *a, const struct inbound *b)
{
    return a->arrive > b->arrive || (a->arrive == b->arrive && a->seq > b->seq);
}

static int inbound_push(inbound_list *l, struct inbound x)
{
    if (l->n == l->cap && l->head > 0) {   /* taken entries make room */
        memmove(l->v, l->v + l->head, (size_t)(l->n - l->head) * sizeof *l->v);
        l->n -= l->head;
        l->head = 0;
    }
    if (l->n == l->cap) {
        int nc = l->cap ? 2 * l->cap : 16;
        struct inbound *nv = realloc(l->v, (size_t)nc * sizeof *nv);
        if (!nv)
            return sim_err_set(SIM_ENOMEM, "out of memory for shipments");
        l->v = nv;
        l->cap = nc;
    }
    /* Keep the list in order; a new shipment usually arrives last. */
    int j = l->n++;
    for (; j > l->head && later(&l->v[j - 1], &x); j--)
        l->v[j] = l->v[j - 1];
    l->v[j] = x;
    return SIM_OK;
}

/* A closure delayed shipment id to `arrive`: move it to its new place. */
static void inbound_delay(inbound_list *l, int id, double arrive)
{
    int k = l->head;
    while (k < l->n && l->v[k].id != id)
        k++;
    if (k == l->n)
        return;
    struct inbound x = l->v[k];
    x.arrive = arrive;
    for (; k + 1 < l->n && later(&x, &l->v[k + 1]); k++)
        l->v[k] = l->v[k + 1];
    for (; k > l->head && later(&l->v[k - 1], &x); k--)
        l->v[k] = l->v[k - 1];
    l->v[k] = x;
}

/* Take the earliest shipment due by t (inclusive: also one arriving at
 * t) off the list into *out; 0 when none is due. */
static int inbound_take(inbound_list *l, double t, int inclusive, struct inbound *out)
{
    if (l->head == l->n)
        return 0;
    const struct inbound *in = &l->v[l->head];
    if (!(in->arrive < t || (inclusive && in->arrive == t)))
        return 0;
    *out = *in;
    if (++l->head == l->n)
        l->head = l->n = 0;
    return 1;
}

/* A record for shipment x (closures: see the top), its id set in x;
 * SIM_ENOMEM when out of memory.  It holds what a closure needs to find
 * the shipment and delay it; the rest is in the inbound entry. */
static int open_record(model_instance *m, struct inbound *x, int cust, int dest_node)
{
    x->id = new_shipment(m);
    if (x->id < 0)
        return sim_err_set(SIM_ENOMEM, "out of memory for shipments");
    shipment *sh = &m->ship[x->id];
    sh->com = x->com;
    sh->plant = x->plant;
    sh->cust = cust;
    sh->nlegs = 0;
    sh->live = 1;
    sh->next_free = -1;
    sh->dest_node = dest_node;
    return SIM_OK;
}

/* Put shipment x (arrival, cargo and origin set) on the road. */
static int launch(model_instance *m, struct inbound x, int dest_node, int cust, double depart)
{
    m->transit[x.com] += x.qty;
    if (x.com == COM_ANODE)
        m->transit_region[mdl_cust_region(m, cust)] += x.qty;
    if (m->trace)
        m->trace(m->trace_ctx, MODEL_TRACE_DEPART, depart, x.com, x.from, dest_node, x.qty);
    return inbound_push(inbound_of(m, x.com, x.plant, cust), x);
}

int transport_send(model_instance *m, int com, double qty, const net_route *route,
                   int dest_node, int plant, int cust, double t_start, double placed)
{
    struct inbound x = { .qty = qty, .placed = placed, .seq = m->ship_seq++, .id = -1, .plant = plant,
                         .com = com, .from = route->nedges ? route->from : dest_node };
    shipment *sh = NULL;
    if (m->d->closures) {   /* legs matter only to closures */
        SIM_CHECK(open_record(m, &x, cust, dest_node));
        sh = &m->ship[x.id];
    }
    double t = t_start, depart = t_start;
    const int *edges = net_route_edges(&m->d->net, route);
    int n = route->nedges;
    /* Each leg waits for the one before, but the links' records can be
     * fetched together: on large networks each is a cache miss. */
    for (int k = 0; k < n; k++)
        __builtin_prefetch(&m->link[edges[k]]);
    int leg = 0;
    for (int k = 0; k < n; k++) {
        int e = edges[k];
        link_state *L = &m->link[e];
        double dep = t > L->busy ? t : L->busy;   /* (times are >= 0; busy -1: unlimited) */
        if (sh && dep < m->link_cold[e].closed_until) {   /* (sh: links can close) */
            /* Closed when the goods get there: around it if that is sooner
             * (once: a detour avoids every link closed when it starts). */
            int from_leg;
            double at;
            int len = edges == m->path ? -1 : send_detour(m, sh, edges, k, n, t, dest_node, &from_leg, &at);
            if (len > 0) {
                sh->nlegs = from_leg;   /* (queues the dropped legs booked on limited links stay booked) */
                leg = from_leg;
                t = at;
                edges = m->path;
                n = len;
                k = -1;
                continue;
            }
            dep = m->link_cold[e].closed_until;
        }
        if (L->busy >= 0)
            L->busy = dep + qty / m->link_cold[e].capacity_tpd;
        if (leg++ == 0)
            depart = dep;
        double out = dep + draw_lead(L);
        if (sh)
            SIM_CHECK(record_leg(sh, e, dep, out));
        t = out;
    }
    x.arrive = t;
    if (sh)
        sh->arrive = t;
    return launch(m, x, dest_node, cust, depart);
}

int transport_return(model_instance *m, double qty, const net_route *route, int plant, int from_node)
{
    /* Back-haul of butts: along the forward route's links, back from the
     * customer, at their mean lead times, no capacity used (empty return
     * wagons); where links can close, it waits for each closed one. */
    int node = m->s->plants[plant].node;
    struct inbound x = { .arrive = m->eng.now + route->lead_mean, .qty = qty, .seq = m->ship_seq++,
                         .id = -1, .plant = plant, .com = COM_BUTTS,
                         .from = route->nedges ? from_node : node };
    if (m->d->closures) {
        SIM_CHECK(open_record(m, &x, -1, node));
        shipment *sh = &m->ship[x.id];
        const int *edges = net_route_edges(&m->d->net, route);
        double t = m->eng.now;
        for (int k = route->nedges - 1; k >= 0; k--) {
            int e = edges[k];
            double in = mdl_max(t, m->link_cold[e].closed_until);
            t = in + m->s->links[e].lead_days;
            SIM_CHECK(record_leg(sh, e, in, t));
        }
        if (route->nedges)
            x.arrive = t;
        sh->arrive = x.arrive;
    }
    return launch(m, x, node, -1, m->eng.now);
}

double transport_route_wait(const model_instance *m, const net_route *r, double *room)
{
    *room = HUGE_VAL;
    if (!m->d->link_dynamic)
        return 0.0;
    const int *edges = net_route_edges(&m->d->net, r);
    double now = m->eng.now, wait = 0, most = m->s->alloc.max_wait_days;
    for (int k = 0; k < r->nedges; k++) {
        int e = edges[k];
        const link_cold *c = &m->link_cold[e];
        const link_state *L = &m->link[e];
        wait += mdl_max(c->closed_until - now, 0.0) + (L->lead_days - m->s->links[e].lead_days);
        if (c->capacity_tpd < HUGE_VAL) {
            double q = mdl_max(L->busy - now, 0.0) + mdl_max(c->booked, 0.0) / c->capacity_tpd;
            wait += q;
            *room = mdl_min(*room, mdl_max(most - q, 0.0) * c->capacity_tpd);
        }
    }
    return wait;
}

void transport_book(model_instance *m, const net_route *r, double qty)
{
    if (!m->d->limited_links)
        return;
    const int *edges = net_route_edges(&m->d->net, r);
    for (int k = 0; k < r->nedges; k++)
        m->link_cold[edges[k]].booked += qty;
}

/* Shipment sh, due to enter closed link legs[k] (at legs[k].in, before
 * it reopens at `until`), goes around it from there if that arrives
 * sooner: 1 when it does, 0 when it waits, -1 out of memory. */
static int try_detour(model_instance *m, shipment *sh, int k, double until)
{
    int link = sh->legs[k].link;
    double lead, at = sh->legs[k].in, wait_arrive = until;
    for (int j = k; j < sh->nlegs; j++)
        wait_arrive += sh->legs[j].out - sh->legs[j].in;
    int len = detour(m, m->s->links[link].from, sh->dest_node, at, &lead);
    if (len <= 0 || at + lead >= wait_arrive)
        return 0;
    sh->nlegs = k;
    double t = at;
    for (int j = 0; j < len; j++) {
        double in = mdl_max(t, m->link_cold[m->path[j]].closed_until);
        t = in + m->link[m->path[j]].lead_days;
        if (record_leg(sh, m->path[j], in, t) != SIM_OK)
            return -1;
    }
    sh->arrive = t;
    return 1;
}

int transport_close(model_instance *m, int e, double until)
{
    double now = m->eng.now;
    if (until > m->link_cold[e].closed_until)
        m->link_cold[e].closed_until = until;
    for (int id = 0; id < m->nship; id++) {
        shipment *sh = &m->ship[id];
        if (!sh->live)
            continue;
        for (int k = 0; k < sh->nlegs; k++) {
            struct ship_leg *lg = &sh->legs[k];
            if (lg->link != e || lg->out <= now || lg->in >= until)
                continue;
            int moved = 0;
            /* Due to enter it: around it, if sooner, from the node before it or
             * an earlier one the cargo has not left yet. */
            for (int j = k; !moved && j >= 0 && sh->legs[j].in > now && sh->com != COM_BUTTS; j--) {
                moved = try_detour(m, sh, j, until);
                if (moved < 0)
                    return sim_err_set(SIM_ENOMEM, "out of memory for a shipment's legs");
            }
            if (!moved) {
                /* On the link: stuck until it reopens; due to enter it: waits. */
                double delay = lg->in <= now ? until - now : until - lg->in;
                for (int j = k; j < sh->nlegs; j++) {
                    if (j > k)
                        sh->legs[j].in += delay;
                    sh->legs[j].out += delay;
                }
                sh->arrive += delay;
            }
            inbound_delay(inbound_of(m, sh->com, sh->plant, sh->cust), id, sh->arrive);
            break;
        }
    }
    return SIM_OK;
}

/* Take the shipment of inbound entry `in` off the road at its
 * destination `owner` (a customer for anodes, else a plant): its record,
 * if it has one, is freed (written, not read: the entry holds what the
 * arrival needs). */
static void unload(model_instance *m, const struct inbound *in, int owner)
{
    if (m->trace) {
        int dest = in->com == COM_ANODE ? mdl_cust_node(m->s, owner) : m->s->plants[owner].node;
        m->trace(m->trace_ctx, MODEL_TRACE_ARRIVE, in->arrive, in->com, in->from, dest, in->qty);
    }
    if (in->com == COM_ANODE)
        m->transit_region[mdl_cust_region(m, owner)] = mdl_snap(m->transit_region[mdl_cust_region(m, owner)] - in->qty);
    if (in->id >= 0) {
        shipment *sh = &m->ship[in->id];
        sh->live = 0;
        sh->next_free = m->free_ship;
        m->free_ship = in->id;
    }
    m->transit[in->com] -= in->qty;
}

void transport_deliver_due(model_instance *m, int p, double t, int inclusive)
{
    struct inbound in;
    while (inbound_take(&m->plants[p].inbound, t, inclusive, &in)) {
        unload(m, &in, p);
        if (in.com == COM_BUTTS)
            m->plants[p].raw[2] += in.qty;
        else
            plant_raw_arrived(m, p, in.com, in.qty);
    }
}

void transport_deliver_anodes(model_instance *m, int cust, double t, int inclusive)
{
    const scenario *s = m->s;
    struct inbound in;
    int region = mdl_cust_region(m, cust);
    while (inbound_take(&m->cust_in[cust], t, inclusive, &in)) {
        unload(m, &in, cust);
        if (m->recording) {   /* service: tonnes delivered and how long they took */
            double lead = in.arrive - in.placed;
            mdl_add(m, region, RM_DELIVERED, in.qty);
            int from = m->d->cust_abroad[cust] ? mdl_plant_region(m, in.plant) : region;
            if (!scn_same_country(s, from, region)) {   /* trade: its origin's exports, its destination's imports */
                mdl_add(m, from, RM_SHIP_ABROAD, in.qty);
                mdl_add(m, region, RM_IMPORTS, in.qty);
            }
            mdl_add(m, region, RM_LEAD_MEAN, in.qty * lead);   /* a sum until the month closes */
            int bin = lead < LEAD_BINS - 1 ? (int)lead : LEAD_BINS - 1;
            bin = bin > 0 ? bin : 0;
            m->lead_hist[(size_t)region * LEAD_BINS + (size_t)bin] += in.qty;
            if (bin >= m->lead_top[region])
                m->lead_top[region] = bin + 1;
        }
        if (cust < s->nsmelters) {
            smelter_receive(m, cust, in.plant, in.qty, in.arrive);
            continue;
        }
        mdl_add(m, region, RM_EXPORTS, in.qty);
        mdl_flow(m, BAL_ANODE, 0.0, in.qty);
    }
}
