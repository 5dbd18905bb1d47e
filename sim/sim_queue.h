/*
 * sim_queue — the pending-event set.
 *
 * Order is total and deterministic: earlier time first, then lower
 * priority value, then earlier insertion (a sequence number the queue
 * assigns).  Two runs that schedule the same events in the same order pop
 * them in the same order, bit for bit, whatever else happens in the
 * process.
 *
 * Structure (a two-level calendar queue): time is cut into buckets of a
 * width that starts at 1 time unit and doubles or halves until buckets
 * bring 4 to 64 events each (sim_queue_set_width fixes it instead).
 * Events of the current bucket sit in a small 4-ary heap; events of the
 * next SIM_QUEUE_RING buckets are appended, unsorted, to their bucket and
 * enter the heap only when their bucket becomes current; events further
 * ahead wait in a second 4-ary heap.  With the width near the typical gap
 * between an event and the events it schedules, the heap holds one
 * bucket's events instead of all of them, and most pushes are appends.
 * Cancelled events are left where they are and skipped when they surface
 * (the generation of their record no longer matches).
 *
 * Event records live in a pool that grows by doubling and recycles freed
 * slots through a free list, so after warm-up no event costs a malloc.
 * Each push returns a handle (slot index + generation) with which the
 * event can be cancelled in O(1); a handle to an event that already fired
 * or was cancelled is detected as stale and refused.
 *
 * Complexity: push O(1) amortised into a future bucket, O(log b) into the
 * current one (b events in a bucket); pop O(log b) amortised; cancel O(1).
 * Ownership: the queue owns its pool, heaps and buckets; sim_queue_destroy
 * frees them.  Not thread-safe: one queue per replication.
 */
#ifndef SIM_QUEUE_H
#define SIM_QUEUE_H

#include <stddef.h>
#include <stdint.h>

/* An event as the model sees it.  time/prio/type are the engine's; target,
 * arg and value are free for the model (entity index, order id, tonnes). */
typedef struct sim_event {
    double time;
    uint64_t seq;      /* insertion sequence, set by the queue */
    int32_t prio;      /* lower fires first among equal times */
    uint16_t type;     /* handler index */
    uint16_t flags;    /* free for the model */
    int32_t target;
    int32_t arg;
    double value;
} sim_event;

/* 0 is never a valid handle. */
typedef uint64_t sim_handle;
#define SIM_HANDLE_NONE ((sim_handle)0)

/* Key: time, then `tie` = (priority + 2^15) << 48 | sequence, so that one
 * unsigned compare orders priority and insertion together.  Hence
 * priorities lie in [SIM_PRIO_MIN, SIM_PRIO_MAX] and a queue issues at most
 * 2^48 sequence numbers between clears (far beyond any replication).
 * `gen` is the record's generation when queued: a key whose record has
 * moved on (fired or cancelled) is dead. */
typedef struct sim_heap_key {
    double time;
    uint64_t tie;
    uint32_t slot, gen;
    int32_t target;    /* the event's type and target, for sim_queue_next_hint */
    uint16_t type;
    uint16_t spare;
} sim_heap_key;

/* Keys of one future bucket, in insertion order. */
typedef struct sim_bucket {
    sim_heap_key *k;
    size_t n, cap;
} sim_bucket;

#define SIM_QUEUE_RING 1024  /* buckets ahead of the current one */

#define SIM_PRIO_MIN (-32768)
#define SIM_PRIO_MAX 32767

typedef struct sim_queue {
    sim_heap_key *heap;   /* the current bucket (and anything earlier): heap[0..hn) */
    size_t hn, hcap;
    sim_heap_key *far;    /* beyond the ring: far[0..fn), a heap */
    size_t fn, fcap;
    sim_bucket *ring;     /* [SIM_QUEUE_RING], bucket b at ring[b mod SIM_QUEUE_RING] */
    double width, inv_width;
    int adaptive;         /* width adapts to the events (until set by hand) */
    size_t turns, turned_keys;   /* buckets made current, keys they brought */
    double cur;           /* number of the current bucket (-inf before the first pop) */
    sim_event *ev;        /* pool of records, indexed by slot */
    uint32_t *gen;        /* generation of each slot, bumped on release */
    uint8_t *queued;      /* 1 while the slot's event is pending */
    uint32_t *free_list;  /* stack of free slots */
    size_t size, cap, nfree;   /* size: pending events */
    uint64_t next_seq;
} sim_queue;

/* Prepare an empty queue with room for `capacity` events (0 picks a small
 * default).  Returns SIM_OK or SIM_ENOMEM. */
int sim_queue_init(sim_queue *q, size_t capacity);

/* Fix the bucket width in time units (> 0), only while the queue is
 * empty.  Returns SIM_OK or SIM_EINVAL.  Any width gives the same order;
 * a width near the usual scheduling distance gives the speed. */
int sim_queue_set_width(sim_queue *q, double width);

/* Free everything the queue holds; the queue may be re-initialised. */
void sim_queue_destroy(sim_queue *q);

/* Remove every pending event, keeping the memory.  The sequence counter
 * restarts, so a cleared queue behaves exactly as a fresh one. */
void sim_queue_clear(sim_queue *q);

/* Insert a copy of *ev (its seq is overwritten).  On success stores the
 * handle in *h (h may be NULL).  Returns SIM_OK or SIM_ENOMEM. */
int sim_queue_push(sim_queue *q, const sim_event *ev, sim_handle *h);

/* The same as sim_queue_push with the fields passed directly (flags 0);
 * the engine's hot path. */
int sim_queue_add(sim_queue *q, double time, int32_t prio, uint16_t type,
                  int32_t target, int32_t arg, double value, sim_handle *h);

/* Remove the first event into *out.  Returns 1 if one was removed, 0 when
 * the queue is empty. */
int sim_queue_pop(sim_queue *q, sim_event *out);

/* Type and target of the event that will probably be popped next (the
 * first of the current bucket; an event scheduled meanwhile may come
 * first), without touching its record: for prefetching.  Returns 0 when
 * the current bucket is empty. */
static inline int sim_queue_next_hint(const sim_queue *q, unsigned *type, int32_t *target)
{
    if (q->hn == 0)
        return 0;
    *type = q->heap[0].type;
    *target = q->heap[0].target;
    return 1;
}

/* Cancel a pending event.  Returns SIM_OK, or SIM_ENOTFOUND when the handle
 * is stale (already fired or cancelled) or was never issued. */
int sim_queue_cancel(sim_queue *q, sim_handle h);

/* Look at a pending event without removing it; NULL when stale. */
const sim_event *sim_queue_get(const sim_queue *q, sim_handle h);

static inline size_t sim_queue_size(const sim_queue *q) { return q->size; }

/* Time of the first event; HUGE_VAL when none.  (Not const: it drops
 * cancelled keys and may bring the next bucket forward.) */
double sim_queue_peek_slow(sim_queue *q);
static inline double sim_queue_peek_time(sim_queue *q)
{
    if (q->hn > 0 && q->gen[q->heap[0].slot] == q->heap[0].gen)
        return q->heap[0].time;
    return sim_queue_peek_slow(q);
}

#endif
