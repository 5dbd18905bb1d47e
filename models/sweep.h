/*
 * sweep — designs of scenario points: a sweep file (YAML, libcyaml) names
 * a scenario, a design (full grid, Latin hypercube, one at a time) and
 * the parameters it varies; sweep_load turns it into a table of points x
 * parameter values.  Each point is the scenario with those values set
 * (as --set would), so any declared scalar parameter can be swept.
 *
 *   scenario: ../china-2024/scenario.yaml   # relative to the sweep file
 *   design: lhs                             # grid, lhs or oat
 *   samples: 40                             # lhs: number of points
 *   replications: 50                        # per point (default: the scenario's)
 *   seed: 7                                 # lhs sampling seed (default 1)
 *   common_random_numbers: true             # replication r of every point on the same streams
 *   parameters:
 *     - key: prices.coke_volatility
 *       values: [0.2, 0.4]                  # grid and oat levels
 *       min: 0.1                            # lhs range
 *       max: 0.6
 *
 * Ownership: sweep_load/sweep_single fill a sweep released by sweep_free.
 */
#ifndef SWEEP_H
#define SWEEP_H

#include <stddef.h>
#include <stdint.h>

typedef enum { DESIGN_SINGLE, DESIGN_GRID, DESIGN_LHS, DESIGN_OAT } sweep_design;
extern const char *const sweep_design_names[];

typedef struct sweep {
    char *path;            /* the sweep file (NULL for a single run) */
    char *scenario;        /* scenario file, resolved against the sweep's folder */
    sweep_design design;
    long replications;     /* per point; 0: the scenario's */
    int crn;               /* common random numbers across points */
    int nparams;
    char **keys;           /* SECTION.NAME */
    long npoints;
    double *values;        /* [npoints][nparams] */
} sweep;

/* A one-point "sweep" of a scenario file with nothing varied. */
int sweep_single(sweep *sw, const char *scenario_path);

/* Load and expand a sweep file.  OAT needs the scenario's own values as
 * the baseline, so the scenario is loaded once to read them.  Returns
 * SIM_OK or SIM_EINPUT with file, line and field. */
int sweep_load(const char *path, sweep *sw);
void sweep_free(sweep *sw);

static inline double sweep_value(const sweep *sw, long point, int param)
{
    return sw->values[(size_t)point * (size_t)sw->nparams + (size_t)param];
}

#endif
