#include "sim_queue.h"

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

static inline void heap_set(sim_queue *q, size_t i, const sim_heap_key *k)
{
    q->heap[i] = *k;
    q->pos[k->slot] = (uint32_t)i;
}

/* A 4-ary heap: half the depth of a binary heap, and the four children
 * of a node sit next to each other in memory, which matters once the
 * pending set outgrows the cache (hold benchmark at 10^5 events). */
#define ARITY 4

static void sift_up(sim_queue *q, size_t i)
{
    sim_heap_key k = q->heap[i];
    while (i > 0) {
        size_t parent = (i - 1) / ARITY;
        if (!key_less(&k, &q->heap[parent]))
            break;
        heap_set(q, i, &q->heap[parent]);
        i = parent;
    }
    heap_set(q, i, &k);
}

/* The first-firing child of node i among heap[0..n), or n if i is a leaf. */
static inline size_t min_child(const sim_queue *q, size_t i, size_t n)
{
    size_t first = ARITY * i + 1;
    if (first >= n)
        return n;
    size_t last = first + ARITY < n ? first + ARITY : n;
    size_t c = first;
    for (size_t j = first + 1; j < last; j++)
        c = key_less(&q->heap[j], &q->heap[c]) ? j : c;   /* a conditional move */
    return c;
}

static void sift_down(sim_queue *q, size_t i)
{
    sim_heap_key k = q->heap[i];
    size_t n = q->size;
    for (;;) {
        size_t c = min_child(q, i, n);
        if (c == n || !key_less(&q->heap[c], &k))
            break;
        heap_set(q, i, &q->heap[c]);
        i = c;
    }
    heap_set(q, i, &k);
}

static int grow(sim_queue *q, size_t newcap)
{
    sim_heap_key *heap = realloc(q->heap, newcap * sizeof *heap);
    if (heap)
        q->heap = heap;
    sim_event *ev = realloc(q->ev, newcap * sizeof *ev);
    if (ev)
        q->ev = ev;
    uint32_t *pos = realloc(q->pos, newcap * sizeof *pos);
    if (pos)
        q->pos = pos;
    uint32_t *gen = realloc(q->gen, newcap * sizeof *gen);
    if (gen)
        q->gen = gen;
    uint32_t *fl = realloc(q->free_list, newcap * sizeof *fl);
    if (fl)
        q->free_list = fl;
    if (!heap || !ev || !pos || !gen || !fl || newcap > UINT32_MAX)
        return sim_err_set(SIM_ENOMEM,
                           "cannot grow the event queue to %zu events", newcap);
    /* New slots are free; push them so that low slots are used first. */
    for (size_t s = newcap; s-- > q->cap;) {
        q->gen[s] = 1;
        q->free_list[q->nfree++] = (uint32_t)s;
    }
    q->cap = newcap;
    return SIM_OK;
}

int sim_queue_init(sim_queue *q, size_t capacity)
{
    memset(q, 0, sizeof *q);
    if (capacity < SIM_QUEUE_MIN_CAP)
        capacity = SIM_QUEUE_MIN_CAP;
    int rc = grow(q, capacity);
    if (rc != SIM_OK)
        sim_queue_destroy(q);
    return rc;
}

void sim_queue_destroy(sim_queue *q)
{
    free(q->heap);
    free(q->ev);
    free(q->pos);
    free(q->gen);
    free(q->free_list);
    memset(q, 0, sizeof *q);
}

static inline void release_slot(sim_queue *q, uint32_t slot)
{
    q->gen[slot]++;
    if (q->gen[slot] == 0)      /* keep handles non-zero after wrap-around */
        q->gen[slot] = 1;
    q->free_list[q->nfree++] = slot;
}

void sim_queue_clear(sim_queue *q)
{
    while (q->size > 0)
        release_slot(q, q->heap[--q->size].slot);
    q->next_seq = 0;
}

int sim_queue_add(sim_queue *q, double time, int32_t prio, uint16_t type,
                  int32_t target, int32_t arg, double value, sim_handle *h)
{
    if (q->nfree == 0)
        SIM_CHECK(grow(q, q->cap * 2));
    uint32_t slot = q->free_list[--q->nfree];
    uint64_t seq = q->next_seq++;
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
    q->heap[q->size] = (sim_heap_key){ time, make_tie(prio, seq), slot };
    q->pos[slot] = (uint32_t)q->size;
    sift_up(q, q->size++);
    if (h)
        *h = ((uint64_t)q->gen[slot] << 32) | slot;
    return SIM_OK;
}

int sim_queue_push(sim_queue *q, const sim_event *ev, sim_handle *h)
{
    return sim_queue_add(q, ev->time, ev->prio, ev->type, ev->target,
                         ev->arg, ev->value, h);
}

/* Remove the root: walk the hole down to a leaf along the smaller
 * children, then put the last key there and let it rise.  The last key
 * usually belongs near the bottom, so this saves the unpredictable
 * "stop here?" comparison at every level (Floyd's bottom-up heapsort). */
static void remove_root(sim_queue *q)
{
    size_t n = --q->size;
    if (n == 0)
        return;
    size_t hole = 0, c;
    while ((c = min_child(q, hole, n)) != n) {
        heap_set(q, hole, &q->heap[c]);
        hole = c;
    }
    q->heap[hole] = q->heap[n];
    sift_up(q, hole);
}

int sim_queue_pop(sim_queue *q, sim_event *out)
{
    if (q->size == 0)
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
    remove_root(q);
    return 1;
}

/* Slot of a live handle, or UINT32_MAX when stale. */
static uint32_t live_slot(const sim_queue *q, sim_handle h)
{
    uint32_t slot = (uint32_t)(h & 0xffffffffu);
    uint32_t gen = (uint32_t)(h >> 32);
    if (h == SIM_HANDLE_NONE || slot >= q->cap || q->gen[slot] != gen)
        return UINT32_MAX;
    /* A free slot keeps its generation until reused; check it is queued. */
    uint32_t p = q->pos[slot];
    if (p >= q->size || q->heap[p].slot != slot)
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
    size_t i = q->pos[slot];
    release_slot(q, slot);
    if (--q->size == i)
        return SIM_OK;
    q->heap[i] = q->heap[q->size];
    q->pos[q->heap[i].slot] = (uint32_t)i;
    /* The moved key may belong above or below position i. */
    if (i > 0 && key_less(&q->heap[i], &q->heap[(i - 1) / ARITY]))
        sift_up(q, i);
    else
        sift_down(q, i);
    return SIM_OK;
}
