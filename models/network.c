#include "network.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buckets.h"
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

typedef struct {
    net_route *v;
    int n, cap;
} routevec;

static int rv_push(routevec *rv, const net_route *r)
{
    if (rv->n == rv->cap) {
        int nc = rv->cap ? 2 * rv->cap : 256;
        net_route *v = realloc(rv->v, (size_t)nc * sizeof *v);
        if (!v)
            return sim_err_set(SIM_ENOMEM, "out of memory for routes");
        rv->v = v;
        rv->cap = nc;
    }
    rv->v[rv->n++] = *r;
    return SIM_OK;
}

const net_route net_missing = { .target = -1, .from = -1, .cost = HUGE_VAL };

const net_route *net_find(const net_route *r, int lo, int hi, int target)
{
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (r[mid].target < target)
            lo = mid + 1;
        else if (r[mid].target > target)
            hi = mid;
        else
            return &r[mid];
    }
    return &net_missing;
}

/* What every source's search shares: each node's out-links, the targets
 * and the workspace of the shortest-path tree. */
typedef struct {
    int *out_start, *out_link;   /* links out of node v: out_link[out_start[v] .. out_start[v+1]) */
    igraph_vector_int_t to;      /* target nodes, reset per source list */
    intvec path;                 /* one route's links, last first */
    net_ws ws;                   /* the search's workspace (tree_from) */
} search;

static void search_free(search *q)
{
    igraph_vector_int_destroy(&q->to);
    free(q->out_start);
    free(q->out_link);
    free(q->path.v);
    net_ws_free(&q->ws);
}

static int search_init(search *q, const scenario *s)
{
    memset(q, 0, sizeof *q);
    int ok = igraph_vector_int_init(&q->to, 0) == IGRAPH_SUCCESS;
    q->out_start = calloc((size_t)s->nnodes + 2, sizeof *q->out_start);
    q->out_link = malloc(((size_t)s->nlinks + 1) * sizeof *q->out_link);
    ok &= net_ws_init(&q->ws, s->nnodes) == SIM_OK;
    if (!ok || !q->out_start || !q->out_link) {
        search_free(q);
        return sim_err_set(SIM_ENOMEM, "out of memory for the routing tables");
    }
    bucket_sort(s->nlinks ? &s->links[0].from : NULL, sizeof(scn_link), s->nlinks, s->nnodes, q->out_start,
                q->out_link);
    return SIM_OK;
}

static int search_targets(search *q, const int *targets, int ntargets)
{
    if (igraph_vector_int_resize(&q->to, ntargets) != IGRAPH_SUCCESS)
        return sim_err_set(SIM_ENOMEM, "out of memory for the routing tables");
    for (int k = 0; k < ntargets; k++)
        VECTOR(q->to)[k] = targets[k];
    return SIM_OK;
}

static int heap_push(net_ws *w, double d, int v)
{
    if (w->nheap == w->capheap) {
        int nc = 2 * w->capheap;
        struct net_heap_item *h = realloc(w->heap, (size_t)nc * sizeof *h);
        if (!h)
            return -1;
        w->heap = h;
        w->capheap = nc;
    }
    int i = w->nheap++;
    /* ties by node index, so that the path found never depends on history */
    while (i > 0) {
        int up = (i - 1) / 2;
        struct net_heap_item *u = &w->heap[up];
        if (u->d < d || (u->d == d && u->v < v))
            break;
        w->heap[i] = *u;
        i = up;
    }
    w->heap[i] = (struct net_heap_item){ d, v };
    return 0;
}

static struct net_heap_item heap_pop(net_ws *w)
{
    struct net_heap_item top = w->heap[0], x = w->heap[--w->nheap];
    int i = 0;
    for (;;) {
        int c = 2 * i + 1;
        if (c >= w->nheap)
            break;
        struct net_heap_item *a = &w->heap[c], *b = c + 1 < w->nheap ? &w->heap[c + 1] : NULL;
        if (b && (b->d < a->d || (b->d == a->d && b->v < a->v))) {
            c++;
            a = b;
        }
        if (x.d < a->d || (x.d == a->d && x.v < a->v))
            break;
        w->heap[i] = *a;
        i = c;
    }
    w->heap[i] = x;
    return top;
}

/* The tree of cheapest paths (cost per tonne) from src over links out of
 * nodes goods may pass through (and src's own), in w: dist and via of
 * every node whose seen mark is the returned stamp.  Only the nodes
 * reached are touched, so a source with few reachable nodes costs little
 * however large the network (igraph's search set up arrays over every
 * node for each source: setup was quadratic in the number of suppliers).
 * Ties go to the first path found, nodes popped in (cost, index) order,
 * so the tree depends only on the network.  With to >= 0 the search
 * stops once `to` is settled; links for which avoid(ctx, link) is nonzero
 * are not used (avoid may be NULL).  0 when out of memory. */
static unsigned tree_from(const scenario *s, const int *out_start, const int *out_link, int src, int to,
                          int (*avoid)(void *, int), void *ctx, net_ws *w)
{
    unsigned stamp = ++w->stamp;
    if (stamp == 0) {
        memset(w->seen, 0, (size_t)w->nnodes * sizeof *w->seen);
        stamp = w->stamp = 1;
    }
    w->nheap = 0;
    w->seen[src] = stamp;
    w->dist[src] = 0;
    w->via[src] = -1;
    if (heap_push(w, 0.0, src) != 0)
        return 0;
    while (w->nheap > 0) {
        struct net_heap_item it = heap_pop(w);
        int v = it.v;
        if (it.d > w->dist[v])
            continue;   /* a stale entry */
        if (v == to)
            break;
        if (v != src && !transit_allowed(s, v))
            continue;
        for (int k = out_start[v]; k < out_start[v + 1]; k++) {
            int e = out_link[k], u = s->links[e].to;
            if (avoid && avoid(ctx, e))
                continue;
            double d = it.d + s->links[e].cost_per_t;
            if (u == src || (w->seen[u] == stamp && d >= w->dist[u]))
                continue;
            w->seen[u] = stamp;
            w->dist[u] = d;
            w->via[u] = e;
            if (heap_push(w, d, u) != 0)
                return 0;
        }
    }
    return stamp;
}

/* Cheapest routes from `src` to each node of the targets (target k is
 * index k); the reachable ones are appended to out in target order.  One
 * search gives the tree (tree_from); each route is read back from it,
 * links listed and summed from the source on. */
static int routes_from(const scenario *s, int src, int ntargets, routevec *out, search *q, intvec *store)
{
    unsigned stamp = tree_from(s, q->out_start, q->out_link, src, -1, NULL, NULL, &q->ws);
    if (!stamp)
        return sim_err_set(SIM_ENOMEM, "out of memory for the routing tables");
    const net_ws *w = &q->ws;
    int rc = SIM_OK;
    for (int k = 0; k < ntargets && rc == SIM_OK; k++) {
        q->path.n = 0;
        int t = (int)VECTOR(q->to)[k];
        if (w->seen[t] != stamp)
            continue;   /* unreachable */
        for (int v = t; v != src && w->via[v] >= 0 && rc == SIM_OK;) {
            int e = w->via[v];
            rc = iv_push(&q->path, e);
            v = s->links[e].from;
        }
        if (q->path.n == 0)     /* unreachable (a node is never its own target here) */
            continue;
        net_route r = { .target = k, .nedges = q->path.n, .first = store->n, .from = src };
        for (int j = 0; j < r.nedges && rc == SIM_OK; j++) {
            int e = q->path.v[r.nedges - 1 - j];
            r.cost += s->links[e].cost_per_t;
            r.lead_mean += s->links[e].lead_days;
            if (j < NET_INLINE_EDGES)
                r.e[j] = e;
            rc = iv_push(store, e);
        }
        if (rc == SIM_OK)
            rc = rv_push(out, &r);
    }
    return rc;
}

/* index[a][b] = position in r of a's route to b (routes of a in
 * r[start[a], start[a+1]), by target), -1 where there is none; NULL
 * when the table would be large or memory is short (callers then search). */
static int *dense_index(const net_route *r, const int *start, int na, int nb)
{
    if (na <= 0 || nb <= 0 || (size_t)na * (size_t)nb > NET_DENSE_MAX)
        return NULL;
    int *ix = malloc((size_t)na * (size_t)nb * sizeof *ix);
    if (!ix)
        return NULL;
    for (size_t i = 0; i < (size_t)na * (size_t)nb; i++)
        ix[i] = -1;
    for (int a = 0; a < na; a++)
        for (int k = start[a]; k < start[a + 1]; k++)
            ix[(size_t)a * (size_t)nb + (size_t)r[k].target] = k;
    return ix;
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
    n->pc_start = calloc((size_t)s->nplants + 2, sizeof *n->pc_start);
    n->sp_start = calloc((size_t)s->nsuppliers + 2, sizeof *n->sp_start);
    search q;
    int have_q = search_init(&q, s) == SIM_OK;
    intvec store = { 0 };
    routevec pc = { 0 }, sp = { 0 };
    if (!cust || !plants || !n->pc_start || !n->sp_start || !have_q)
        rc = sim_err_set(SIM_ENOMEM, "out of memory for the routing tables");
    if (rc == SIM_OK) {
        for (int i = 0; i < s->nsmelters; i++)
            cust[i] = s->smelters[i].node;
        for (int i = 0; i < s->nmarkets; i++)
            cust[s->nsmelters + i] = s->markets[i].node;
        for (int p = 0; p < s->nplants; p++)
            plants[p] = s->plants[p].node;
        rc = search_targets(&q, cust, n->ncust);
    }
    for (int p = 0; p < s->nplants && rc == SIM_OK; p++) {
        n->pc_start[p] = pc.n;
        rc = routes_from(s, s->plants[p].node, n->ncust, &pc, &q, &store);
    }
    n->pc_start[s->nplants] = pc.n;
    if (rc == SIM_OK)
        rc = search_targets(&q, plants, s->nplants);
    for (int k = 0; k < s->nsuppliers && rc == SIM_OK; k++) {
        n->sp_start[k] = sp.n;
        rc = routes_from(s, s->suppliers[k].node, s->nplants, &sp, &q, &store);
    }
    n->sp_start[s->nsuppliers] = sp.n;
    if (have_q) {   /* the network keeps the out-link lists, for detours */
        n->out_start = q.out_start;
        n->out_link = q.out_link;
        q.out_start = q.out_link = NULL;
        search_free(&q);
    }
    free(cust);
    free(plants);
    n->plant_cust = pc.v;
    n->sup_plant = sp.v;
    n->edges = store.v;
    n->nedges_total = store.n;
    n->nplants = s->nplants;
    if (rc == SIM_OK) {
        n->pc_dense = dense_index(n->plant_cust, n->pc_start, s->nplants, n->ncust);
        n->sp_dense = dense_index(n->sup_plant, n->sp_start, s->nsuppliers, s->nplants);
    }
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
    free(n->pc_start);
    free(n->sp_start);
    free(n->pc_dense);
    free(n->sp_dense);
    free(n->edges);
    free(n->out_start);
    free(n->out_link);
    memset(n, 0, sizeof *n);
}

/* ==== detours ============================================================ */

int net_ws_init(net_ws *w, int nnodes)
{
    memset(w, 0, sizeof *w);
    w->nnodes = nnodes;
    w->dist = malloc(((size_t)nnodes + 1) * sizeof *w->dist);
    w->via = malloc(((size_t)nnodes + 1) * sizeof *w->via);
    w->seen = calloc((size_t)nnodes + 1, sizeof *w->seen);
    w->capheap = 64;
    w->heap = malloc((size_t)w->capheap * sizeof *w->heap);
    if (!w->dist || !w->via || !w->seen || !w->heap) {
        net_ws_free(w);
        return sim_err_set(SIM_ENOMEM, "out of memory for detour searches");
    }
    return SIM_OK;
}

void net_ws_free(net_ws *w)
{
    free(w->dist);
    free(w->via);
    free(w->seen);
    free(w->heap);
    memset(w, 0, sizeof *w);
}

int net_detour(const network *n, const scenario *s, int from, int to, int (*avoid)(void *, int), void *ctx,
               net_ws *w, int *out, int max, double *lead)
{
    unsigned stamp = tree_from(s, n->out_start, n->out_link, from, to, avoid, ctx, w);
    int found = stamp && w->seen[to] == stamp;   /* (a node seen is settled when the search ends) */
    if (!found)
        return -1;
    int len = 0;
    for (int v = to; v != from; v = s->links[w->via[v]].from)
        len++;
    if (len > max)
        return -1;
    double sum = 0;
    for (int v = to, i = len - 1; v != from; v = s->links[w->via[v]].from, i--) {
        out[i] = w->via[v];
        sum += s->links[w->via[v]].lead_days;
    }
    *lead = sum;
    return len;
}

int net_check(const scenario *s, const network *n, FILE *report)
{
    int rc = SIM_OK;
    /* Which customers some plant reaches, and which plants have coke and
     * pitch, from the route lists (linear in the routes). */
    unsigned char *reached = calloc((size_t)n->ncust + 1, 1);
    unsigned char *supplied = calloc(2 * (size_t)s->nplants + 2, 1);
    if (!reached || !supplied) {
        free(reached);
        free(supplied);
        return sim_err_set(SIM_ENOMEM, "out of memory");
    }
    for (int i = 0; i < n->pc_start[s->nplants]; i++)
        reached[n->plant_cust[i].target] = 1;
    for (int k = 0; k < s->nsuppliers; k++)
        for (int i = n->sp_start[k]; i < n->sp_start[k + 1]; i++)
            supplied[2 * n->sup_plant[i].target + s->suppliers[k].commodity] = 1;
    for (int m = 0; m < s->nsmelters; m++) {
        int ok = reached[m];
        if (ok || s->smelters[m].al_tpy == 0 || s->smelters[m].soderberg)   /* (Soderberg: no prebaked anodes) */
            continue;
        const scn_node *nd = &s->nodes[s->smelters[m].node];
        if (rc == SIM_OK)
            rc = sim_err_set(SIM_EINPUT, "%s:%d: smelter '%s' cannot be reached from any anode plant (expected a chain of links from some plant)",
                             nd->file, nd->line, nd->id);
        if (report)
            fprintf(report, "  unreachable smelter: %s (%s:%d)\n", nd->id, nd->file, nd->line);
    }
    for (int mk = 0; mk < s->nmarkets; mk++) {
        int ok = reached[s->nsmelters + mk];
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
        int have[2] = { supplied[2 * p], supplied[2 * p + 1] };
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
    free(reached);
    free(supplied);
    return rc;
}
