/*
 * sim_rng — random streams keyed by (seed, point, replication, stream).
 *
 * Every random stream in anodesim is a GSL generator (gsl_rng) of type
 * sim_rng_xoshiro, seeded with a 64-bit key derived from
 *
 *     key = mix(mix(mix(mix(seed) ^ point) ^ replication) ^ stream)
 *
 * where mix() is the SplitMix64 finaliser (Steele, Lea & Flood 2014):
 *
 *     z += 0x9e3779b97f4a7c15;
 *     z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
 *     z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
 *     return z ^ (z >> 31);
 *
 * Streams therefore depend only on what is simulated (scenario point,
 * replication, entity) and never on the thread, rank or shard that happens
 * to run it: results are identical for any parallel layout.  Replication r
 * of every scenario point uses the same keys when point is held at 0 by
 * the caller (common random numbers).
 *
 * The generator is xoshiro256** (Blackman & Vigna 2018), registered as a
 * gsl_rng_type so every GSL distribution (gsl_ran_*) can draw from it.
 * GSL's own generators truncate seeds to 32 bits, which would make distinct
 * keys collide among thousands of streams; xoshiro takes all 64 bits
 * (expanded to 256 bits of state by SplitMix64).
 */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <stdint.h>
#include <gsl/gsl_rng.h>

/* GSL generator type: xoshiro256**, 64-bit seeds, period 2^256 - 1. */
extern const gsl_rng_type *sim_rng_xoshiro;

/* SplitMix64 finaliser (documented above). */
uint64_t sim_rng_mix(uint64_t z);

/* The key of stream (seed, point, rep, stream). */
uint64_t sim_rng_key(uint64_t seed, uint64_t point, uint64_t rep,
                     uint64_t stream);

/* A new generator on the stream's key; NULL on out-of-memory.  Free with
 * gsl_rng_free. */
gsl_rng *sim_rng_alloc(uint64_t seed, uint64_t point, uint64_t rep,
                       uint64_t stream);

/* The bare state of a generator of type sim_rng_xoshiro, with no gsl_rng
 * around it: 32 bytes kept inside a caller's record (next to the data it
 * drives, for locality; a record of one cache line has no room for the
 * gsl_rng's 16).  Seeded alike, it draws what the gsl_rng would.  Nothing
 * to free. */
typedef struct sim_rng_state {
    uint64_t s[4];
} sim_rng_state;
void sim_rng_state_seed(sim_rng_state *st, uint64_t seed, uint64_t point, uint64_t rep,
                        uint64_t stream);
/* exp(mu + sigma Z), Z standard normal (sim_rng_gaussian's draw from this
 * state), e^x as sim_rng_exp: a lognormal variate. */
double sim_rng_state_lognormal(sim_rng_state *st, double sigma, double mu);

/* Re-seed an existing generator (of type sim_rng_xoshiro) to a stream,
 * with no allocation. */
void sim_rng_reseed(gsl_rng *r, uint64_t seed, uint64_t point, uint64_t rep,
                    uint64_t stream);

/* Fast draws that bypass gsl's function-pointer indirection, for hot
 * paths.  `r` must be of type sim_rng_xoshiro. */
double sim_rng_uniform_pos(gsl_rng *r);          /* in (0, 1) */
/* Exponential with the given mean, by the ziggurat method (exact). */
double sim_rng_exponential(gsl_rng *r, double mean);
/* Standard normal, by the ziggurat method (exact). */
double sim_rng_gaussian(gsl_rng *r);
/* The e^x it uses (within about one unit in the last place of libm's;
 * exposed for its test). */
double sim_rng_exp(double x);

#endif
