/*
 * mm1 — an M/M/1 queue on the engine: the engine's reference model.
 *
 * Customers arrive as a Poisson process (rate lambda) and are served first
 * come, first served by one server (exponential service, rate mu).  The run
 * ends when `customers` have been served.  For lambda < mu the mean wait in
 * queue is lambda / (mu (mu - lambda)); 9.0 for lambda 0.9, mu 1.0.
 *
 * Used by the engine tests (correctness against the analytic value,
 * determinism across threads) and by `scripts/bench engine` (throughput).
 */
#ifndef MM1_H
#define MM1_H

#include <stdint.h>
#include <gsl/gsl_rng.h>

#include "sim_engine.h"

typedef struct mm1_params {
    double lambda;       /* arrival rate, per time unit */
    double mu;           /* service rate, per time unit */
    long customers;      /* customers to serve */
} mm1_params;

typedef struct mm1_result {
    long served;
    double mean_wait;    /* mean wait in queue (excluding service) */
    double var_wait;     /* sample variance of the waits */
    double end_time;
    uint64_t events;     /* events the engine processed */
} mm1_result;

/* Analytic mean wait in queue; NaN when lambda >= mu. */
double mm1_analytic_wait(const mm1_params *p);

/* Simulate on `eng` (reset first; handlers are installed here) drawing from
 * `rng` (type sim_rng_xoshiro).  Returns SIM_OK, SIM_EINVAL for bad
 * parameters, or SIM_ENOMEM. */
int mm1_run(const mm1_params *p, gsl_rng *rng, sim_engine *eng,
            mm1_result *out);

#endif
