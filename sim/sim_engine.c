#include "sim_engine.h"

#include <math.h>
#include <string.h>

#include "sim_err.h"

int sim_engine_init(sim_engine *eng, void *model, size_t capacity_hint)
{
    memset(eng, 0, sizeof *eng);
    eng->model = model;
    eng->max_same_instant = SIM_MAX_SAME_INSTANT;
    eng->instant_check_mask = SIM_INSTANT_CHECK_MASK;
    return sim_queue_init(&eng->queue, capacity_hint);
}

void sim_engine_destroy(sim_engine *eng)
{
    sim_queue_destroy(&eng->queue);
}

void sim_engine_reset(sim_engine *eng)
{
    sim_queue_clear(&eng->queue);
    eng->now = 0.0;
    eng->stopped = 0;
    eng->processed = 0;
}

int sim_engine_on(sim_engine *eng, unsigned type, sim_handler_fn fn)
{
    if (type >= SIM_MAX_TYPES)
        return sim_err_set(SIM_EINVAL, "event type %u is out of range (at most %d types)",
                           type, SIM_MAX_TYPES);
    eng->handler[type] = fn;
    return SIM_OK;
}

int sim_engine_bad_time(const sim_engine *eng, double time)
{
    if (time >= eng->now)
        return sim_err_set(SIM_EINVAL, "event priority out of range (expected %d to %d)", SIM_PRIO_MIN, SIM_PRIO_MAX);
    return sim_err_set(SIM_EINVAL,
                       "cannot schedule an event at time %g, before the clock (%g)",
                       time, eng->now);
}

int sim_engine_run_until(sim_engine *eng, double t_end)
{
    sim_queue *q = &eng->queue;
    sim_event ev;
    double seen = -HUGE_VAL;   /* the clock at the last checkpoint that saw it change */
    uint64_t seen_at = 0;      /* and the event count then */
    eng->stopped = 0;
    while (q->size > 0 && sim_queue_peek_time(q) <= t_end) {
        sim_queue_pop(q, &ev);
        /* A checkpoint every instant_check_mask + 1 events, not a test per
         * event (the loop's cost shows on small models): the clock never
         * goes back, so one time at two checkpoints means every event
         * between was at that instant. */
        if ((eng->processed & eng->instant_check_mask) == 0) {
            if (eng->cancel && *eng->cancel)
                return sim_err_set(SIM_EINTR, "interrupted");
            if (ev.time != seen) {
                seen = ev.time;
                seen_at = eng->processed;
            } else if (eng->processed - seen_at >= eng->max_same_instant) {
                return sim_err_set(SIM_ERUNTIME,
                                   "%llu events in a row at time %g without the clock advancing: the model "
                                   "loops at one instant (last event type %u, target %d)",
                                   (unsigned long long)(eng->processed - seen_at), ev.time, ev.type,
                                   (int)ev.target);
            }
        }
        unsigned next_type;
        int32_t next_target;
        if (eng->lookahead && sim_queue_next_hint(q, &next_type, &next_target))
            eng->lookahead(eng->model, next_type, next_target);
        SIM_INVARIANT(ev.time >= eng->now, "event type %u at %.17g, after the clock reached %.17g (queue order)",
                      ev.type, ev.time, eng->now);
        eng->now = ev.time;
        eng->processed++;
        sim_handler_fn fn = ev.type < SIM_MAX_TYPES ? eng->handler[ev.type] : NULL;
        if (!fn)
            return sim_err_set(SIM_EINVAL, "no handler for event type %u", ev.type);
        int rc = fn(eng, &ev, eng->model);
        if (rc != SIM_OK)
            return rc;
        if (eng->stopped)
            return SIM_OK;
    }
    if (t_end > eng->now && t_end < HUGE_VAL)
        eng->now = t_end;
    return SIM_OK;
}
