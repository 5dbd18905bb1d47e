#include "sim_queue.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim_err.h"

#define SIM_QUEUE_MIN_CAP 64

/* a fires before b.  Written without short-circuit branches: with mostly
 * distinct times the outcome is unpredictable, and a mispredicted branch
 * per comparison was a quarter of the model's run time. */
static inline int key_less(const sim_heap_key *a, const sim_heap_key *b)
{
    return (a->time < b->time) | ((a->time == b->time) & (a->tie < b->tie));
}

static inline uint64_t make_tie(int32_t prio, uint64_t seq)
{
    return ((uint64_t)(uint16_t)(prio - SIM_PRIO_MIN) << 48) | seq;
}

/* ---- 4-ary heaps of keys (the current bucket, and the far events) ------ */

/* Four children of a node sit next to each other in memory, and the heap
 * is half as deep as a binary one. */
#define ARITY 4

static void heap_up(sim_heap_key *h, size_t i)
{
    sim_heap_key k = h[i];
    while (i > 0) {
        size_t parent = (i - 1) / ARITY;
        if (!key_less(&k, &h[parent]))
            break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = k;
}

/* The first-firing child of node i among h[0..n), or n if i is a leaf. */
static inline size_t min_child(const sim_heap_key *h, size_t i, size_t n)
{
    size_t first = ARITY * i + 1;
    if (first >= n)
        return n;
    size_t last = first + ARITY < n ? first + ARITY : n;
    size_t c = first;
    for (size_t j = first + 1; j < last; j++)
        c = key_less(&h[j], &h[c]) ? j : c;   /* a conditional move */
    return c;
}

static void heap_down(sim_heap_key *h, size_t i, size_t n)
{
    sim_heap_key k = h[i];
    for (;;) {
        size_t c = min_child(h, i, n);
        if (c == n || !key_less(&h[c], &k))
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = k;
}

/* Remove the root: walk the hole down to a leaf along the smaller
 * children, then put the last key there and let it rise.  The last key
 * usually belongs near the bottom, so this saves the unpredictable
 * "stop here?" comparison at every level (Floyd's bottom-up heapsort). */
static void heap_remove_root(sim_heap_key *h, size_t *n)
{
    size_t m = --*n;
    if (m == 0)
        return;
    size_t hole = 0, c;
    while ((c = min_child(h, hole, m)) != m) {
        h[hole] = h[c];
        hole = c;
    }
    h[hole] = h[m];
    heap_up(h, hole);
}

static int reserve_keys(sim_heap_key **k, size_t *cap, size_t need)
{
    if (need <= *cap)
        return SIM_OK;
    size_t nc = *cap ? *cap : 16;
    while (nc < need)
        nc *= 2;
    sim_heap_key *nk = realloc(*k, nc * sizeof *nk);
    if (!nk)
        return sim_err_set(SIM_ENOMEM, "cannot grow the event queue to %zu keys", need);
    *k = nk;
    *cap = nc;
    return SIM_OK;
}

static int heap_push(sim_heap_key **h, size_t *n, size_t *cap, const sim_heap_key *k)
{
    SIM_CHECK(reserve_keys(h, cap, *n + 1));
    (*h)[*n] = *k;
    heap_up(*h, (*n)++);
    return SIM_OK;
}

/* ---- the record pool ------------------------------------------------------ */

static int grow(sim_queue *q, size_t newcap)
{
    sim_event *ev = realloc(q->ev, newcap * sizeof *ev);
    if (ev)
        q->ev = ev;
    uint32_t *gen = realloc(q->gen, newcap * sizeof *gen);
    if (gen)
        q->gen = gen;
    uint8_t *queued = realloc(q->queued, newcap * sizeof *queued);
    if (queued)
        q->queued = queued;
    uint32_t *fl = realloc(q->free_list, newcap * sizeof *fl);
    if (fl)
        q->free_list = fl;
    if (!ev || !gen || !queued || !fl || newcap > UINT32_MAX)
        return sim_err_set(SIM_ENOMEM,
                           "cannot grow the event queue to %zu events", newcap);
    /* New slots are free; push them so that low slots are used first. */
    for (size_t s = newcap; s-- > q->cap;) {
        q->gen[s] = 1;
        q->queued[s] = 0;
        q->free_list[q->nfree++] = (uint32_t)s;
    }
    q->cap = newcap;
    return SIM_OK;
}

static inline void release_slot(sim_queue *q, uint32_t slot)
{
    q->gen[slot]++;
    if (q->gen[slot] == 0)      /* keep handles non-zero after wrap-around */
        q->gen[slot] = 1;
    q->queued[slot] = 0;
    q->free_list[q->nfree++] = slot;
}

static inline int key_live(const sim_queue *q, const sim_heap_key *k)
{
    return q->gen[k->slot] == k->gen;
}

int sim_queue_init(sim_queue *q, size_t capacity)
{
    memset(q, 0, sizeof *q);
    if (capacity < SIM_QUEUE_MIN_CAP)
        capacity = SIM_QUEUE_MIN_CAP;
    q->width = q->inv_width = 1.0;
    q->adaptive = 1;
    q->cur = -HUGE_VAL;
    q->ring = calloc(SIM_QUEUE_RING, sizeof *q->ring);
    int rc = q->ring ? grow(q, capacity) : sim_err_set(SIM_ENOMEM, "out of memory for the event queue");
    if (rc != SIM_OK)
        sim_queue_destroy(q);
    return rc;
}

int sim_queue_set_width(sim_queue *q, double width)
{
    if (!(width > 0 && width < HUGE_VAL) || q->size > 0)
        return sim_err_set(SIM_EINVAL, "queue bucket width must be positive and set while the queue is empty");
    sim_queue_clear(q);
    q->width = width;
    q->inv_width = 1.0 / width;
    q->adaptive = 0;
    return SIM_OK;
}

void sim_queue_destroy(sim_queue *q)
{
    if (q->ring)
        for (size_t b = 0; b < SIM_QUEUE_RING; b++)
            free(q->ring[b].k);
    free(q->ring);
    free(q->heap);
    free(q->far);
    free(q->ev);
    free(q->gen);
    free(q->queued);
    free(q->free_list);
    memset(q, 0, sizeof *q);
}

void sim_queue_clear(sim_queue *q)
{
    for (size_t s = 0; s < q->cap; s++)
        if (q->queued[s])
            release_slot(q, (uint32_t)s);
    for (size_t b = 0; b < SIM_QUEUE_RING; b++)
        q->ring[b].n = 0;
    q->hn = q->fn = q->size = 0;
    q->turns = q->turned_keys = 0;
    q->cur = -HUGE_VAL;
    q->next_seq = 0;
}

/* ---- buckets ------------------------------------------------------------------ */

/* floor(x) without a libm call (x86-64's baseline has no rounding
 * instruction); doubles beyond 2^53 are whole already. */
static inline double whole_below(double x)
{
    if (!(x > -9e15 && x < 9e15))
        return x;
    double t = (double)(int64_t)x;
    return t - (double)(t > x);
}

static inline sim_bucket *ring_at(sim_queue *q, double b)
{
    return &q->ring[(uint64_t)(int64_t)b & (SIM_QUEUE_RING - 1)];
}

/* File a key: the current heap (its bucket or earlier), a ring bucket, or
 * the far heap. */
static int file_key(sim_queue *q, const sim_heap_key *k)
{
    double b = whole_below(k->time * q->inv_width);
    if (!(b > q->cur))
        return heap_push(&q->heap, &q->hn, &q->hcap, k);
    if (b - q->cur < SIM_QUEUE_RING) {
        sim_bucket *bk = ring_at(q, b);
        SIM_CHECK(reserve_keys(&bk->k, &bk->cap, bk->n + 1));
        bk->k[bk->n++] = *k;
        return SIM_OK;
    }
    return heap_push(&q->far, &q->fn, &q->fcap, k);
}

/* Re-file every queued key under a new bucket width: all into the far
 * heap, from which the following advances take them bucket by bucket. */
static int refile(sim_queue *q, double width)
{
    for (size_t i = 0; i < q->hn; i++)
        if (key_live(q, &q->heap[i]))
            SIM_CHECK(heap_push(&q->far, &q->fn, &q->fcap, &q->heap[i]));
    for (size_t b = 0; b < SIM_QUEUE_RING; b++) {
        sim_bucket *bk = &q->ring[b];
        for (size_t i = 0; i < bk->n; i++)
            if (key_live(q, &bk->k[i]))
                SIM_CHECK(heap_push(&q->far, &q->fn, &q->fcap, &bk->k[i]));
        bk->n = 0;
    }
    q->hn = 0;
    q->cur = -HUGE_VAL;
    q->width = width;
    q->inv_width = 1.0 / width;
    return SIM_OK;
}

/* Every ADAPT_EVERY buckets, look at how many keys a bucket brought: a
 * few per bucket wastes the bucket turnover, hundreds make the current
 * heap deep.  Doubling or halving the width keeps it between.  (Depends
 * only on the sequence of events, so it is as deterministic as the rest;
 * the order of events never depends on the width.) */
#define ADAPT_EVERY 256
#define ADAPT_LOW 4
#define ADAPT_HIGH 64

static int adapt(sim_queue *q)
{
    if (++q->turns < ADAPT_EVERY)
        return SIM_OK;
    double per = (double)q->turned_keys / (double)q->turns;
    q->turns = q->turned_keys = 0;
    if (!q->adaptive)
        return SIM_OK;
    if (per < ADAPT_LOW && q->width < 1e12)
        return refile(q, q->width * 2);
    if (per > ADAPT_HIGH && q->width > 1e-12)
        return refile(q, q->width / 2);
    return SIM_OK;
}

/* Keys a ring slot keeps room for after its bucket turns current.  Slots
 * are reused once per turn of the ring, and if each kept the largest
 * array it ever needed, memory would creep up over a long run towards
 * SIM_QUEUE_RING times the fullest bucket; larger arrays are freed and
 * grown again when needed (a few reallocations per bucket). */
#define BUCKET_KEEP 8

/* The current heap holds no live key: make the next bucket that holds
 * keys current.  Its keys come from its ring slot and from the far heap
 * (keys filed there before the ring reached their bucket).  Returns 0 when
 * nothing is queued anywhere. */
static int advance(sim_queue *q)
{
    if (adapt(q) != SIM_OK)
        return -1;
    double next = HUGE_VAL;
    if (q->cur > -HUGE_VAL)
        for (int d = 1; d < SIM_QUEUE_RING; d++)
            if (ring_at(q, q->cur + d)->n > 0) {
                next = q->cur + d;
                break;
            }
    if (q->fn > 0) {
        double bf = whole_below(q->far[0].time * q->inv_width);
        if (bf < next)
            next = bf;
    }
    if (next == HUGE_VAL)
        return 0;
    /* A ring slot between the current bucket and the first filled one is
     * empty, so the slot of `next` holds only keys of bucket `next`. */
    q->hn = 0;
    sim_bucket *bk = next - q->cur < SIM_QUEUE_RING ? ring_at(q, next) : NULL;
    if (bk && bk->n > 0) {   /* (an empty slot may not have its array yet) */
        if (reserve_keys(&q->heap, &q->hcap, bk->n) != SIM_OK)
            return -1;
        memcpy(q->heap, bk->k, bk->n * sizeof *bk->k);
        q->hn = bk->n;
        bk->n = 0;
        if (bk->cap > BUCKET_KEEP) {   /* see BUCKET_KEEP */
            free(bk->k);
            bk->k = NULL;
            bk->cap = 0;
        }
    }
    q->cur = next;
    while (q->fn > 0 && !(whole_below(q->far[0].time * q->inv_width) > next)) {
        if (reserve_keys(&q->heap, &q->hcap, q->hn + 1) != SIM_OK)
            return -1;
        q->heap[q->hn++] = q->far[0];
        heap_remove_root(q->far, &q->fn);
    }
    q->turned_keys += q->hn;
    for (size_t i = q->hn / ARITY + 1; i-- > 0;)   /* Floyd's heap construction */
        if (i < q->hn)
            heap_down(q->heap, i, q->hn);
    return 1;
}

/* Bring the first live key to heap[0].  Only with size > 0; returns
 * SIM_OK or SIM_ENOMEM. */
static int settle(sim_queue *q)
{
    for (;;) {
        while (q->hn > 0) {
            if (key_live(q, &q->heap[0]))
                return SIM_OK;
            heap_remove_root(q->heap, &q->hn);
        }
        if (advance(q) < 0)
            return SIM_ENOMEM;
    }
}

/* ---- the interface ------------------------------------------------------------ */

int sim_queue_add(sim_queue *q, double time, int32_t prio, uint16_t type,
                  int32_t target, int32_t arg, double value, sim_handle *h)
{
    if (q->nfree == 0)
        SIM_CHECK(grow(q, q->cap * 2));
    uint32_t slot = q->free_list[q->nfree - 1];
    uint64_t seq = q->next_seq;
    sim_heap_key k = { time, make_tie(prio, seq), slot, q->gen[slot], target, type, 0 };
    SIM_CHECK(file_key(q, &k));
    q->nfree--;
    q->next_seq++;
    q->queued[slot] = 1;
    q->size++;
    /* Field by field, not a struct copy from the caller's stack: a wide
     * load of freshly written narrow stores stalls store forwarding, which
     * cost a third of the M/M/1 benchmark. */
    sim_event *rec = &q->ev[slot];
    rec->time = time;
    rec->seq = seq;
    rec->prio = prio;
    rec->type = type;
    rec->flags = 0;
    rec->target = target;
    rec->arg = arg;
    rec->value = value;
    if (h)
        *h = ((uint64_t)q->gen[slot] << 32) | slot;
    return SIM_OK;
}

int sim_queue_push(sim_queue *q, const sim_event *ev, sim_handle *h)
{
    return sim_queue_add(q, ev->time, ev->prio, ev->type, ev->target,
                         ev->arg, ev->value, h);
}

double sim_queue_peek_slow(sim_queue *q)
{
    if (q->size == 0 || settle(q) != SIM_OK)
        return HUGE_VAL;
    return q->heap[0].time;
}

int sim_queue_pop(sim_queue *q, sim_event *out)
{
    if (q->size == 0 || settle(q) != SIM_OK)
        return 0;
    uint32_t slot = q->heap[0].slot;
    /* Field by field: gcc turns the struct assignment into `rep movs`,
     * which cost 40 % of the event loop. */
    const sim_event *rec = &q->ev[slot];
    out->time = rec->time;
    out->seq = rec->seq;
    out->prio = rec->prio;
    out->type = rec->type;
    out->flags = rec->flags;
    out->target = rec->target;
    out->arg = rec->arg;
    out->value = rec->value;
    release_slot(q, slot);
    heap_remove_root(q->heap, &q->hn);
    q->size--;
    /* The next event's record was written when it was scheduled, long
     * ago: fetch it while the caller handles this one (on large models
     * it was a cache miss per event). */
    if (q->hn > 0)
        __builtin_prefetch(&q->ev[q->heap[0].slot]);
    return 1;
}

/* Slot of a live handle, or UINT32_MAX when stale. */
static uint32_t live_slot(const sim_queue *q, sim_handle h)
{
    uint32_t slot = (uint32_t)(h & 0xffffffffu);
    uint32_t gen = (uint32_t)(h >> 32);
    if (h == SIM_HANDLE_NONE || slot >= q->cap || q->gen[slot] != gen || !q->queued[slot])
        return UINT32_MAX;
    return slot;
}

const sim_event *sim_queue_get(const sim_queue *q, sim_handle h)
{
    uint32_t slot = live_slot(q, h);
    return slot == UINT32_MAX ? NULL : &q->ev[slot];
}

int sim_queue_cancel(sim_queue *q, sim_handle h)
{
    uint32_t slot = live_slot(q, h);
    if (slot == UINT32_MAX)
        return SIM_ENOTFOUND;
    /* Its key stays where it is, dead, until it surfaces. */
    release_slot(q, slot);
    q->size--;
    return SIM_OK;
}
