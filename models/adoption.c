/*
 * adoption.c — inert anodes displacing carbon anodes.
 *
 * Each region's share of smelter capacity converted follows a logistic
 * curve, ceiling / (1 + exp(-speed (t - mid))), mid = start + ln(99)/speed
 * (so the share is 1 % of its ceiling at the start year and 0 before it),
 * with start, speed and ceiling drawn once per replication from the
 * scenario's distributions (inert_anodes:), each region from its own
 * stream.  A region not listed follows its IAI region's entry, else the
 * "*" entry, else no adoption.
 * Converted capacity draws no carbon anodes: smelter use and export
 * demand are scaled by (1 - share).
 */
#include <gsl/gsl_randist.h>
#include <math.h>

#include "model_internal.h"
#include "sim_rng.h"

void adopt_reset(model_instance *m)
{
    const scenario *s = m->s;
    for (int g = 0; g < s->nregions; g++) {
        const scn_adoption *a = NULL, *grp = NULL, *any = NULL;
        for (int i = 0; i < s->nadoption; i++) {
            if (s->adoption[i].region == g)
                a = &s->adoption[i];
            if (s->adoption[i].region == -2 && s->adoption[i].group == s->region_group[g])
                grp = &s->adoption[i];
            if (s->adoption[i].region == -1)
                any = &s->adoption[i];
        }
        if (!a)
            a = grp ? grp : any;
        m->inert_share[g] = 0;
        if (!a) {
            m->adopt_ceiling[g] = 0;
            continue;
        }
        /* Same draws per region whatever other regions do (own stream). */
        sim_rng_reseed(m->adopt_rng, m->s->seed, m->point, (uint64_t)m->rep, ((uint64_t)RS_ADOPT << 32) | (uint32_t)g);
        double u[3], z[3];
        for (int k = 0; k < 3; k++) {
            u[k] = gsl_rng_uniform(m->adopt_rng);
            z[k] = gsl_ran_gaussian_ziggurat(m->adopt_rng, 1.0);
        }
        m->adopt_start[g] = scn_dist_draw(&a->start_year, u[0], z[0]);
        m->adopt_speed[g] = fmax(scn_dist_draw(&a->speed, u[1], z[1]), 1e-9);
        m->adopt_ceiling[g] = fmin(fmax(scn_dist_draw(&a->ceiling, u[2], z[2]), 0.0), 1.0);
    }
}

/* Evaluate the curves at the start of the current month. */
void adopt_month(model_instance *m)
{
    const scenario *s = m->s;
    int mm = s->start_month - 1 + m->month;
    double t = s->start_year + floor(mm / 12.0) + (mm - 12 * floor(mm / 12.0)) / 12.0;
    for (int g = 0; g < s->nregions; g++) {
        double c = m->adopt_ceiling[g];
        if (c <= 0 || t < m->adopt_start[g]) {
            m->inert_share[g] = 0;
            continue;
        }
        double mid = m->adopt_start[g] + log(99.0) / m->adopt_speed[g];
        m->inert_share[g] = c / (1.0 + exp(-m->adopt_speed[g] * (t - mid)));
    }
    if (m->recording)
        for (int g = 0; g < s->nregions; g++)
            *model_inert(m->out, m->month, g) = m->inert_share[g];
}
