/*
 * network — the supply network as an igraph directed graph, and the
 * cheapest routes through it.
 *
 * Vertices are the scenario's nodes (same indices), edges its links (same
 * indices), with the node kind and region as attributes of the scenario.
 * Routes are cheapest by transport cost per tonne (Dijkstra over the
 * out-link lists, touching only the nodes a source reaches: igraph's
 * search costs O(nodes) per source, which made setup quadratic in the
 * number of suppliers).  Goods may pass through ports only: a route
 * never transits a plant, smelter, supplier or market (the search does
 * not leave such nodes except at the source).  Ties between equal-cost
 * paths go to the first found, nodes in (cost, index) order.
 *
 * Precomputed once per scenario (read-only afterwards, shared by threads):
 *   - plant -> customer routes, customers being smelters then markets;
 *   - supplier -> plant routes.
 * Only routes that exist are stored, per source and sorted by target, so
 * memory grows with the links, not with sources x targets; a lookup is a
 * binary search in the source's list.  A missing route is returned as a
 * route of cost HUGE_VAL and no edges.
 *
 * Ownership: net_build/net_free pair.
 */
#ifndef NETWORK_H
#define NETWORK_H

#include <igraph/igraph.h>

#include "scenario.h"

/* Links of routes this short are also kept in the route itself: nine in
 * ten routes have one link, and reading it from network.edges was a
 * cache miss per shipment on large networks. */
#define NET_INLINE_EDGES 2

typedef struct net_route {
    int target;         /* customer or plant index */
    int nedges;
    int first;          /* index into network.edges */
    int from;           /* node the route starts at (a shipment's origin,
                           kept here: looking it up in the link table was
                           a cache miss per shipment on large networks) */
    int e[NET_INLINE_EDGES];   /* its links when nedges <= NET_INLINE_EDGES */
    double cost;        /* transport cost per tonne, reporting currency */
    double lead_mean;   /* sum of mean lead times, days */
} net_route;

typedef struct network {
    igraph_t graph;
    int have_graph;            /* graph initialised */
    int ncust;                 /* nsmelters + nmarkets */
    net_route *plant_cust;     /* routes of plant p: [pc_start[p], pc_start[p+1]) */
    int *pc_start;
    net_route *sup_plant;      /* routes of supplier k: [sp_start[k], sp_start[k+1]) */
    int *sp_start;
    /* Where the tables are small (NET_DENSE_MAX entries), the index of
     * every route by (plant, customer) and (supplier, plant), -1 when
     * unreachable: a look-up per order instead of a binary search. */
    int *pc_dense;             /* [nplants][ncust] or NULL */
    int *sp_dense;             /* [nsuppliers][nplants] or NULL */
    int nplants;
    int *edges;                /* concatenated link indices of all routes */
    int nedges_total;
    int *out_start, *out_link; /* links out of node v: out_link[out_start[v] .. out_start[v+1]) */
} network;

/* Build the graph and all routes.  Returns SIM_OK or SIM_ENOMEM. */
int net_build(const scenario *s, network *n);
void net_free(network *n);

#define NET_DENSE_MAX (1 << 18)

extern const net_route net_missing;   /* what look-ups return for no route */

/* The links of route r, in order (r->nedges of them). */
static inline const int *net_route_edges(const network *n, const net_route *r)
{
    return r->nedges <= NET_INLINE_EDGES ? r->e : n->edges + r->first;
}

/* The route in r[lo, hi) to `target`, or the missing route. */
const net_route *net_find(const net_route *r, int lo, int hi, int target);

static inline const net_route *net_plant_route(const network *n, int plant, int cust)
{
    if (n->pc_dense) {
        int k = n->pc_dense[(size_t)plant * (size_t)n->ncust + (size_t)cust];
        return k >= 0 ? &n->plant_cust[k] : &net_missing;
    }
    return net_find(n->plant_cust, n->pc_start[plant], n->pc_start[plant + 1], cust);
}

static inline const net_route *net_supplier_route(const network *n, const scenario *s,
                                                  int sup, int plant)
{
    (void)s;
    if (n->sp_dense) {
        int k = n->sp_dense[(size_t)sup * (size_t)n->nplants + (size_t)plant];
        return k >= 0 ? &n->sup_plant[k] : &net_missing;
    }
    return net_find(n->sup_plant, n->sp_start[sup], n->sp_start[sup + 1], plant);
}

/* Working memory of one thread's detour searches (net_detour). */
typedef struct net_ws {
    double *dist;
    int *via;                  /* link into each node on the best path, -1 none */
    unsigned *seen;            /* search number that last touched each node */
    unsigned stamp;
    struct net_heap_item { double d; int v; } *heap;
    int nheap, capheap;
    int nnodes;
} net_ws;

int net_ws_init(net_ws *w, int nnodes);
void net_ws_free(net_ws *w);

/* Cheapest path by cost per tonne from node `from` to node `to` that uses
 * no link for which avoid(ctx, link) is nonzero, passing through ports
 * only (as routes do).  Writes its links in order into out[0..max) and
 * returns their number; -1 when there is no such path (or it is longer
 * than max).  *lead gets the sum of the links' mean lead times.
 *
 * Not igraph: it runs inside replications on worker threads, and this
 * igraph build is not thread-safe (IGRAPH_THREAD_SAFE 0); searches touch
 * only the nodes they reach (w->seen), so a detour costs what it visits. */
int net_detour(const network *n, const scenario *s, int from, int to, int (*avoid)(void *, int), void *ctx,
               net_ws *w, int *out, int max, double *lead);

/* Check that every smelter can be reached by some plant and every plant by
 * some coke and some pitch supplier.  Returns SIM_OK, or SIM_EINPUT with a
 * message naming the first such node (file and line of its row).  When
 * `report` is not NULL every problem is also written there, one a line. */
int net_check(const scenario *s, const network *n, FILE *report);

#endif
