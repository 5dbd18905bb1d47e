#include "network.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim_err.h"

static int igraph_fail(igraph_error_t e)
{
    return sim_err_set(e == IGRAPH_ENOMEM ? SIM_ENOMEM : SIM_ERUNTIME,
                       "igraph failed: %s", igraph_strerror(e));
}

static int transit_allowed(const scenario *s, int node)
{
    return s->nodes[node].kind == NODE_PORT;
}

typedef struct {
    int *v;
    int n, cap;
} intvec;

static int iv_push(intvec *iv, int x)
{
    if (iv->n == iv->cap) {
        int nc = iv->cap ? 2 * iv->cap : 256;
        int *v = realloc(iv->v, (size_t)nc * sizeof *v);
        if (!v)
            return sim_err_set(SIM_ENOMEM, "out of memory for routes");
        iv->v = v;
        iv->cap = nc;
    }
    iv->v[iv->n++] = x;
    return SIM_OK;
}

/* Cheapest routes from `src` to each node of `targets`, stored in out[k]. */
static int routes_from(const scenario *s, const igraph_t *g, int src,
                       const int *targets, int ntargets, net_route *out,
                       igraph_vector_t *w, intvec *store)
{
    for (int e = 0; e < s->nlinks; e++) {
        int from = s->links[e].from;
        VECTOR(*w)[e] = (from == src || transit_allowed(s, from)) ? s->links[e].cost_per_t : HUGE_VAL;
    }
    igraph_vector_int_list_t epaths;
    igraph_vector_int_t to;
    igraph_error_t ie = igraph_vector_int_list_init(&epaths, 0);
    if (ie != IGRAPH_SUCCESS)
        return igraph_fail(ie);
    ie = igraph_vector_int_init(&to, ntargets);
    if (ie != IGRAPH_SUCCESS) {
        igraph_vector_int_list_destroy(&epaths);
        return igraph_fail(ie);
    }
    for (int k = 0; k < ntargets; k++)
        VECTOR(to)[k] = targets[k];
    ie = igraph_get_shortest_paths_dijkstra(g, NULL, &epaths, src, igraph_vss_vector(&to), w,
                                            IGRAPH_OUT, NULL, NULL);
    int rc = ie == IGRAPH_SUCCESS ? SIM_OK : igraph_fail(ie);
    for (int k = 0; k < ntargets && rc == SIM_OK; k++) {
        igraph_vector_int_t *ep = igraph_vector_int_list_get_ptr(&epaths, k);
        net_route *r = &out[k];
        r->first = store->n;
        r->nedges = (int)igraph_vector_int_size(ep);
        r->cost = 0;
        r->lead_mean = 0;
        if (r->nedges == 0 && targets[k] != src)
            r->cost = HUGE_VAL;
        for (int j = 0; j < r->nedges && rc == SIM_OK; j++) {
            int e = (int)VECTOR(*ep)[j];
            r->cost += s->links[e].cost_per_t;
            r->lead_mean += s->links[e].lead_days;
            rc = iv_push(store, e);
        }
    }
    igraph_vector_int_destroy(&to);
    igraph_vector_int_list_destroy(&epaths);
    return rc;
}

int net_build(const scenario *s, network *n)
{
    memset(n, 0, sizeof *n);
    /* Unreachable targets are expected (they are reported by net_check);
     * igraph's warning about them on stderr would only confuse users. */
    igraph_set_warning_handler(igraph_warning_handler_ignore);
    n->ncust = s->nsmelters + s->nmarkets;
    igraph_vector_int_t edges;
    igraph_error_t ie = igraph_vector_int_init(&edges, 2 * (igraph_integer_t)s->nlinks);
    if (ie != IGRAPH_SUCCESS)
        return igraph_fail(ie);
    for (int e = 0; e < s->nlinks; e++) {
        VECTOR(edges)[2 * e] = s->links[e].from;
        VECTOR(edges)[2 * e + 1] = s->links[e].to;
    }
    ie = igraph_create(&n->graph, &edges, s->nnodes, IGRAPH_DIRECTED);
    igraph_vector_int_destroy(&edges);
    if (ie != IGRAPH_SUCCESS)
        return igraph_fail(ie);
    n->have_graph = 1;

    int rc = SIM_OK;
    int *cust = malloc(((size_t)n->ncust + 1) * sizeof *cust);
    int *plants = malloc(((size_t)s->nplants + 1) * sizeof *plants);
    n->plant_cust = calloc((size_t)s->nplants * (size_t)n->ncust + 1, sizeof *n->plant_cust);
    n->sup_plant = calloc((size_t)s->nsuppliers * (size_t)s->nplants + 1, sizeof *n->sup_plant);
    igraph_vector_t w;
    int have_w = igraph_vector_init(&w, s->nlinks) == IGRAPH_SUCCESS;
    intvec store = { 0 };
    if (!cust || !plants || !n->plant_cust || !n->sup_plant || !have_w)
        rc = sim_err_set(SIM_ENOMEM, "out of memory for the routing tables");
    if (rc == SIM_OK) {
        for (int i = 0; i < s->nsmelters; i++)
            cust[i] = s->smelters[i].node;
        for (int i = 0; i < s->nmarkets; i++)
            cust[s->nsmelters + i] = s->markets[i].node;
        for (int p = 0; p < s->nplants; p++)
            plants[p] = s->plants[p].node;
    }
    for (int p = 0; p < s->nplants && rc == SIM_OK; p++)
        rc = routes_from(s, &n->graph, s->plants[p].node, cust, n->ncust,
                         &n->plant_cust[(size_t)p * (size_t)n->ncust], &w, &store);
    for (int k = 0; k < s->nsuppliers && rc == SIM_OK; k++)
        rc = routes_from(s, &n->graph, s->suppliers[k].node, plants, s->nplants,
                         &n->sup_plant[(size_t)k * (size_t)s->nplants], &w, &store);
    if (have_w)
        igraph_vector_destroy(&w);
    free(cust);
    free(plants);
    n->edges = store.v;
    n->nedges_total = store.n;
    if (rc != SIM_OK)
        net_free(n);
    return rc;
}

void net_free(network *n)
{
    if (n->have_graph)
        igraph_destroy(&n->graph);
    free(n->plant_cust);
    free(n->sup_plant);
    free(n->edges);
    memset(n, 0, sizeof *n);
}

int net_check(const scenario *s, const network *n, FILE *report)
{
    int rc = SIM_OK;
    for (int m = 0; m < s->nsmelters; m++) {
        int ok = 0;
        for (int p = 0; p < s->nplants && !ok; p++)
            ok = net_plant_route(n, p, m)->cost < HUGE_VAL;
        if (ok || s->smelters[m].al_tpy == 0)
            continue;
        const scn_node *nd = &s->nodes[s->smelters[m].node];
        if (rc == SIM_OK)
            rc = sim_err_set(SIM_EINPUT, "%s:%d: smelter '%s' cannot be reached from any anode plant (expected a chain of links from some plant)",
                             nd->file, nd->line, nd->id);
        if (report)
            fprintf(report, "  unreachable smelter: %s (%s:%d)\n", nd->id, nd->file, nd->line);
    }
    for (int mk = 0; mk < s->nmarkets; mk++) {
        int ok = 0;
        for (int p = 0; p < s->nplants && !ok; p++)
            ok = net_plant_route(n, p, s->nsmelters + mk)->cost < HUGE_VAL;
        if (ok || s->markets[mk].demand_tpy == 0)
            continue;
        const scn_node *nd = &s->nodes[s->markets[mk].node];
        if (rc == SIM_OK)
            rc = sim_err_set(SIM_EINPUT, "%s:%d: export market '%s' cannot be reached from any anode plant (expected links plant -> port -> market)",
                             nd->file, nd->line, nd->id);
        if (report)
            fprintf(report, "  unreachable export market: %s (%s:%d)\n", nd->id, nd->file, nd->line);
    }
    for (int p = 0; p < s->nplants; p++) {
        int have[2] = { 0, 0 };
        for (int k = 0; k < s->nsuppliers; k++)
            if (net_supplier_route(n, s, k, p)->cost < HUGE_VAL)
                have[s->suppliers[k].commodity] = 1;
        for (int c = 0; c < 2; c++) {
            if (have[c])
                continue;
            const scn_node *nd = &s->nodes[s->plants[p].node];
            if (rc == SIM_OK)
                rc = sim_err_set(SIM_EINPUT, "%s:%d: anode plant '%s' cannot be reached by any %s supplier (expected a link from a supplier of %s)",
                                 nd->file, nd->line, nd->id, c ? "pitch" : "coke", c ? "pitch" : "calcined coke");
            if (report)
                fprintf(report, "  plant without %s supply: %s (%s:%d)\n", c ? "pitch" : "coke", nd->id, nd->file, nd->line);
        }
    }
    return rc;
}
