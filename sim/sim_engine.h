/*
 * sim_engine — clock, handler table and the event loop.
 *
 * The engine knows nothing about anodes.  A model registers one handler per
 * event type, schedules events, and calls sim_engine_run_until().  The
 * engine owns simulated time and the pending-event set; the model owns its
 * state (passed back to every handler as `model`).
 *
 * A handler returns SIM_OK to continue or a status to abort the run; the
 * engine stops at once and sim_engine_run_until returns that status.
 * Handlers may schedule and cancel events and may call sim_engine_stop().
 *
 * Ownership: sim_engine_init/destroy pair; not thread-safe (one engine per
 * replication, any number of engines per process).
 */
#ifndef SIM_ENGINE_H
#define SIM_ENGINE_H

#include "sim_queue.h"

#define SIM_MAX_TYPES 64

#include <signal.h>

typedef struct sim_engine sim_engine;

typedef int (*sim_handler_fn)(sim_engine *eng, const sim_event *ev,
                              void *model);

/* Told, before each event is handled, the type and target of the event
 * that will probably come next (when that one is in the queue's current
 * time bucket, as most are), so that the model can prefetch the target's
 * state while the current event is handled: on models larger than the
 * caches the first touch of an entity is a cache miss per event.  A hint
 * only: it must not change the model. */
typedef void (*sim_lookahead_fn)(void *model, unsigned type, int32_t target);

struct sim_engine {
    sim_queue queue;
    double now;
    int stopped;
    uint64_t processed;                 /* events dispatched so far */
    void *model;
    sim_handler_fn handler[SIM_MAX_TYPES];
    sim_lookahead_fn lookahead;         /* or NULL */
    /* Events handled in a row without the clock advancing before a run
     * stops with SIM_ERUNTIME: a model that keeps scheduling at the same
     * instant would otherwise hang (and ignore a wall-time limit's
     * SIGTERM) instead of failing.  Counted at checkpoints every
     * instant_check_mask + 1 events (a power of two), so the stop comes
     * within that many events of the limit.  Set by sim_engine_init. */
    uint64_t max_same_instant;
    uint64_t instant_check_mask;
    /* A stop request (a signal handler's flag), looked at at the same
     * checkpoints: a replication that runs for minutes, or forever, still
     * stops within instant_check_mask + 1 events of a SIGTERM, returning
     * SIM_EINTR.  NULL: none. */
    volatile sig_atomic_t *cancel;
};

#define SIM_MAX_SAME_INSTANT 50000000u
#define SIM_INSTANT_CHECK_MASK ((1u << 20) - 1)

/* An engine at time 0 with no handlers.  Returns SIM_OK or SIM_ENOMEM. */
int sim_engine_init(sim_engine *eng, void *model, size_t capacity_hint);
void sim_engine_destroy(sim_engine *eng);

/* Back to time 0 with an empty queue and zero counters, handlers kept. */
void sim_engine_reset(sim_engine *eng);

/* Register the handler for event type `type` (< SIM_MAX_TYPES). */
int sim_engine_on(sim_engine *eng, unsigned type, sim_handler_fn fn);

/* Install (or with NULL remove) the lookahead hint. */
static inline void sim_engine_set_lookahead(sim_engine *eng, sim_lookahead_fn fn)
{
    eng->lookahead = fn;
}

/* Sets the error for a time before the clock; used by the inline below. */
int sim_engine_bad_time(const sim_engine *eng, double time);

/* Schedule an event at absolute time `time` (>= now).  Returns SIM_OK,
 * SIM_EINVAL for a time in the past or NaN, or SIM_ENOMEM.  *h receives a
 * handle for cancellation when h is not NULL. */
static inline int sim_engine_schedule(sim_engine *eng, double time, int prio,
                                      unsigned type, int32_t target,
                                      int32_t arg, double value,
                                      sim_handle *h)
{
    if (!(time >= eng->now) || prio < SIM_PRIO_MIN || prio > SIM_PRIO_MAX)
        return sim_engine_bad_time(eng, time);
    return sim_queue_add(&eng->queue, time, prio, (uint16_t)type, target,
                         arg, value, h);
}

/* Cancel a scheduled event; SIM_ENOTFOUND when it already fired. */
static inline int sim_engine_cancel(sim_engine *eng, sim_handle h)
{
    return sim_queue_cancel(&eng->queue, h);
}

/* Process events in order while their time is <= t_end and nobody called
 * sim_engine_stop().  Afterwards now == t_end unless stopped early.
 * Returns SIM_OK or the first non-zero status a handler returned; an event
 * whose type has no handler is an error (SIM_EINVAL). */
int sim_engine_run_until(sim_engine *eng, double t_end);

/* Ask the loop to return after the current event. */
static inline void sim_engine_stop(sim_engine *eng) { eng->stopped = 1; }

static inline double sim_engine_now(const sim_engine *eng) { return eng->now; }

#endif
