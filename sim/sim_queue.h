/*
 * sim_queue — the pending-event set.
 *
 * A 4-ary min-heap of event keys over a pool of event records.  Order is
 * total and deterministic: earlier time first, then lower priority value,
 * then earlier insertion (a sequence number the queue assigns).  Two runs
 * that schedule the same events in the same order pop them in the same
 * order, bit for bit, whatever else happens in the process.
 *
 * Event records live in a pool that grows by doubling and recycles freed
 * slots through a free list, so after warm-up no event costs a malloc.
 * Each push returns a handle (slot index + generation) with which the event
 * can be cancelled in O(log n); a handle to an event that already fired or
 * was cancelled is detected as stale and refused.
 *
 * Complexity: push, pop and cancel O(log n); peek O(1).
 * Ownership: the queue owns its pool and heap; sim_queue_destroy frees them.
 * Not thread-safe: one queue per replication.
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

/* Heap key: time, then `tie` = (priority + 2^15) << 48 | sequence, so that
 * one unsigned compare orders priority and insertion together.  Hence
 * priorities lie in [SIM_PRIO_MIN, SIM_PRIO_MAX] and a queue issues at most
 * 2^48 sequence numbers between clears (far beyond any replication). */
typedef struct sim_heap_key {
    double time;
    uint64_t tie;
    uint32_t slot;
} sim_heap_key;

#define SIM_PRIO_MIN (-32768)
#define SIM_PRIO_MAX 32767

typedef struct sim_queue {
    sim_heap_key *heap;   /* heap[0..size) */
    sim_event *ev;        /* pool of records, indexed by slot */
    uint32_t *pos;        /* heap position of each live slot */
    uint32_t *gen;        /* generation of each slot, bumped on release */
    uint32_t *free_list;  /* stack of free slots */
    size_t size, cap, nfree;
    uint64_t next_seq;
} sim_queue;

/* Prepare an empty queue with room for `capacity` events (0 picks a small
 * default).  Returns SIM_OK or SIM_ENOMEM. */
int sim_queue_init(sim_queue *q, size_t capacity);

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

/* Cancel a pending event.  Returns SIM_OK, or SIM_ENOTFOUND when the handle
 * is stale (already fired or cancelled) or was never issued. */
int sim_queue_cancel(sim_queue *q, sim_handle h);

/* Look at a pending event without removing it; NULL when stale. */
const sim_event *sim_queue_get(const sim_queue *q, sim_handle h);

static inline size_t sim_queue_size(const sim_queue *q) { return q->size; }

/* Time of the first event; only valid when size > 0. */
static inline double sim_queue_peek_time(const sim_queue *q)
{
    return q->heap[0].time;
}

#endif
