#include "mm1.h"

#include <math.h>
#include <stdlib.h>

#include "sim_err.h"
#include "sim_rng.h"

enum { MM1_ARRIVAL, MM1_DEPARTURE };

typedef struct {
    const mm1_params *p;
    gsl_rng *rng;
    double *waiting;     /* ring buffer of arrival times of queued customers */
    size_t cap, head, len;
    int busy;
    long arrived, served;
    double sum_wait, sum_wait2;
} mm1_state;

static int push_waiting(mm1_state *s, double t)
{
    if (s->len == s->cap) {
        size_t ncap = s->cap ? 2 * s->cap : 1024;
        double *w = malloc(ncap * sizeof *w);
        if (!w)
            return sim_err_set(SIM_ENOMEM, "M/M/1 queue cannot grow to %zu customers", ncap);
        for (size_t i = 0; i < s->len; i++)
            w[i] = s->waiting[(s->head + i) % s->cap];
        free(s->waiting);
        s->waiting = w;
        s->cap = ncap;
        s->head = 0;
    }
    s->waiting[(s->head + s->len++) % s->cap] = t;
    return SIM_OK;
}

/* Start service for a customer who waited `wait`. */
static int start_service(sim_engine *eng, mm1_state *s, double wait)
{
    s->busy = 1;
    s->sum_wait += wait;
    s->sum_wait2 += wait * wait;
    double done = eng->now + sim_rng_exponential(s->rng, 1.0 / s->p->mu);
    return sim_engine_schedule(eng, done, 0, MM1_DEPARTURE, 0, 0, 0.0, NULL);
}

static int on_arrival(sim_engine *eng, const sim_event *ev, void *model)
{
    (void)ev;
    mm1_state *s = model;
    s->arrived++;
    if (s->arrived < s->p->customers) {
        double next = eng->now + sim_rng_exponential(s->rng, 1.0 / s->p->lambda);
        SIM_CHECK(sim_engine_schedule(eng, next, 0, MM1_ARRIVAL, 0, 0, 0.0, NULL));
    }
    if (!s->busy)
        return start_service(eng, s, 0.0);
    return push_waiting(s, eng->now);
}

static int on_departure(sim_engine *eng, const sim_event *ev, void *model)
{
    (void)ev;
    mm1_state *s = model;
    s->served++;
    s->busy = 0;
    if (s->len == 0)
        return SIM_OK;
    double arrived = s->waiting[s->head];
    s->head = (s->head + 1) % s->cap;
    s->len--;
    return start_service(eng, s, eng->now - arrived);
}

double mm1_analytic_wait(const mm1_params *p)
{
    if (!(p->lambda < p->mu))
        return NAN;
    return p->lambda / (p->mu * (p->mu - p->lambda));
}

int mm1_run(const mm1_params *p, gsl_rng *rng, sim_engine *eng,
            mm1_result *out)
{
    if (!(p->lambda > 0) || !(p->mu > 0) || p->customers < 1)
        return sim_err_set(SIM_EINVAL,
                           "M/M/1 needs positive rates and customers (lambda %g, mu %g, customers %ld)",
                           p->lambda, p->mu, p->customers);
    mm1_state s = { .p = p, .rng = rng };
    sim_engine_reset(eng);
    eng->model = &s;
    SIM_CHECK(sim_engine_on(eng, MM1_ARRIVAL, on_arrival));
    SIM_CHECK(sim_engine_on(eng, MM1_DEPARTURE, on_departure));
    double first = sim_rng_exponential(rng, 1.0 / p->lambda);
    int rc = sim_engine_schedule(eng, first, 0, MM1_ARRIVAL, 0, 0, 0.0, NULL);
    if (rc == SIM_OK)
        rc = sim_engine_run_until(eng, HUGE_VAL);
    free(s.waiting);
    if (rc != SIM_OK)
        return rc;
    double n = (double)s.served;
    out->served = s.served;
    out->mean_wait = s.sum_wait / n;
    out->var_wait = n > 1 ? (s.sum_wait2 - s.sum_wait * s.sum_wait / n) / (n - 1) : 0.0;
    out->end_time = eng->now;
    out->events = eng->processed;
    return SIM_OK;
}
