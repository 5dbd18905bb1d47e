/*
 * network — the supply network as an igraph directed graph, and the
 * cheapest routes through it.
 *
 * Vertices are the scenario's nodes (same indices), edges its links (same
 * indices), with the node kind and region as attributes of the scenario.
 * Routes are cheapest by transport cost per tonne (Dijkstra, igraph).
 * Goods may pass through ports only: a route never transits a plant,
 * smelter, supplier or market, which is done by giving the out-edges of
 * such nodes infinite weight (igraph ignores them) except at the source.
 *
 * Precomputed once per scenario (read-only afterwards, shared by threads):
 *   - plant -> customer routes, customers being smelters then markets;
 *   - supplier -> plant routes.
 * A missing route has cost HUGE_VAL and no edges.
 *
 * Ownership: net_build/net_free pair.
 */
#ifndef NETWORK_H
#define NETWORK_H

#include <igraph/igraph.h>

#include "scenario.h"

typedef struct net_route {
    int nedges;
    int first;          /* index into network.edges */
    double cost;        /* transport cost per tonne, reporting currency */
    double lead_mean;   /* sum of mean lead times, days */
} net_route;

typedef struct network {
    igraph_t graph;
    int have_graph;            /* graph initialised */
    int ncust;                 /* nsmelters + nmarkets */
    net_route *plant_cust;     /* [nplants][ncust] */
    net_route *sup_plant;      /* [nsuppliers][nplants] */
    int *edges;                /* concatenated link indices of all routes */
    int nedges_total;
} network;

/* Build the graph and all routes.  Returns SIM_OK or SIM_ENOMEM. */
int net_build(const scenario *s, network *n);
void net_free(network *n);

static inline const net_route *net_plant_route(const network *n, int plant, int cust)
{
    return &n->plant_cust[(size_t)plant * (size_t)n->ncust + (size_t)cust];
}

static inline const net_route *net_supplier_route(const network *n, const scenario *s,
                                                  int sup, int plant)
{
    return &n->sup_plant[(size_t)sup * (size_t)s->nplants + (size_t)plant];
}

/* Check that every smelter can be reached by some plant and every plant by
 * some coke and some pitch supplier.  Returns SIM_OK, or SIM_EINPUT with a
 * message naming the first such node (file and line of its row).  When
 * `report` is not NULL every problem is also written there, one a line. */
int net_check(const scenario *s, const network *n, FILE *report);

#endif
