#include "sweep.h"

#include <cyaml/cyaml.h>
#include <gsl/gsl_randist.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "sim_err.h"
#include "sim_rng.h"
#include "yaml_log.h"

const char *const sweep_design_names[] = { "single", "grid", "lhs", "oat", NULL };

typedef struct {
    char *key;
    double *values;
    unsigned values_count;
    double *min, *max;
} raw_param;

typedef struct {
    char *scenario, *design;
    char *samples, *replications, *seed;   /* whole numbers, parsed strictly (scn_parse_whole) */
    bool *crn;
    raw_param *params;
    unsigned params_count;
} raw_sweep;

#define OPT CYAML_FLAG_OPTIONAL
static const cyaml_schema_value_t float_entry = { CYAML_VALUE_FLOAT(CYAML_FLAG_DEFAULT, double) };
static const cyaml_schema_field_t param_fields[] = {
    CYAML_FIELD_STRING_PTR("key", CYAML_FLAG_POINTER, raw_param, key, 1, CYAML_UNLIMITED),
    CYAML_FIELD_SEQUENCE("values", CYAML_FLAG_POINTER | OPT, raw_param, values, &float_entry, 1, 100000),
    CYAML_FIELD_FLOAT_PTR("min", OPT, raw_param, min),
    CYAML_FIELD_FLOAT_PTR("max", OPT, raw_param, max),
    CYAML_FIELD_END
};
static const cyaml_schema_value_t param_entry = { CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_param, param_fields) };
static const cyaml_schema_field_t sweep_fields[] = {
    CYAML_FIELD_STRING_PTR("scenario", CYAML_FLAG_POINTER, raw_sweep, scenario, 1, CYAML_UNLIMITED),
    CYAML_FIELD_STRING_PTR("design", CYAML_FLAG_POINTER, raw_sweep, design, 1, CYAML_UNLIMITED),
    CYAML_FIELD_STRING_PTR("samples", CYAML_FLAG_POINTER | OPT, raw_sweep, samples, 0, CYAML_UNLIMITED),
    CYAML_FIELD_STRING_PTR("replications", CYAML_FLAG_POINTER | OPT, raw_sweep, replications, 0, CYAML_UNLIMITED),
    CYAML_FIELD_STRING_PTR("seed", CYAML_FLAG_POINTER | OPT, raw_sweep, seed, 0, CYAML_UNLIMITED),
    CYAML_FIELD_BOOL_PTR("common_random_numbers", OPT, raw_sweep, crn),
    CYAML_FIELD_SEQUENCE("parameters", CYAML_FLAG_POINTER, raw_sweep, params, &param_entry, 1, 64),
    CYAML_FIELD_END
};
static const cyaml_schema_value_t sweep_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, raw_sweep, sweep_fields),
};

/* Line of the first line starting with `key:` (0 if none). */
static int key_line(const char *path, const char *key)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[1024];
    int n = 0, found = 0;
    size_t kl = strlen(key);
    while (!found && fgets(line, sizeof line, f)) {
        n++;
        if (strncmp(line, key, kl) == 0 && line[kl] == ':')
            found = n;
    }
    fclose(f);
    return found;
}

int sweep_single(sweep *sw, const char *scenario_path)
{
    memset(sw, 0, sizeof *sw);
    sw->scenario = strdup(scenario_path);
    sw->design = DESIGN_SINGLE;
    sw->crn = 1;
    sw->npoints = 1;
    sw->values = calloc(1, sizeof(double));
    if (!sw->scenario || !sw->values) {
        sweep_free(sw);
        return sim_err_set(SIM_ENOMEM, "out of memory");
    }
    return SIM_OK;
}

void sweep_free(sweep *sw)
{
    free(sw->path);
    free(sw->scenario);
    for (int i = 0; i < sw->nparams; i++)
        free(sw->keys[i]);
    free(sw->keys);
    free(sw->values);
    memset(sw, 0, sizeof *sw);
}

/* ---- designs --------------------------------------------------------- */

static int grid(sweep *sw, const raw_sweep *r, int line)
{
    long n = 1;
    for (int k = 0; k < sw->nparams; k++) {
        if (!r->params[k].values)
            return sim_err_set(SIM_EINPUT, "%s:%d: field 'parameters[%d].values': a grid needs the values of %s",
                               sw->path, line, k, sw->keys[k]);
        n *= (long)r->params[k].values_count;
        if (n > 10000000)
            return sim_err_set(SIM_EINPUT, "%s:%d: the grid has over 10,000,000 points", sw->path, line);
    }
    sw->npoints = n;
    sw->values = malloc((size_t)n * (size_t)sw->nparams * sizeof(double));
    if (!sw->values)
        return sim_err_set(SIM_ENOMEM, "out of memory for %ld points", n);
    /* Last parameter varies fastest. */
    for (long p = 0; p < n; p++) {
        long rest = p;
        for (int k = sw->nparams - 1; k >= 0; k--) {
            long c = (long)r->params[k].values_count;
            sw->values[(size_t)p * (size_t)sw->nparams + (size_t)k] = r->params[k].values[rest % c];
            rest /= c;
        }
    }
    return SIM_OK;
}

static int lhs(sweep *sw, const raw_sweep *r, int line)
{
    unsigned long long ns, seed = 1;
    if (!r->samples || scn_parse_whole(r->samples, 2, 10000000, &ns) != 0)
        return sim_err_set(SIM_EINPUT, "%s:%d: field 'samples': a Latin hypercube needs samples, a whole number from "
                                       "2 to 10,000,000",
                           sw->path, key_line(sw->path, "samples") ? key_line(sw->path, "samples") : line);
    if (r->seed && scn_parse_whole(r->seed, 0, ULLONG_MAX, &seed) != 0)
        return sim_err_set(SIM_EINPUT, "%s:%d: field 'seed': '%s' is not allowed (expected a whole number from 0 to "
                                       "18446744073709551615)",
                           sw->path, key_line(sw->path, "seed"), r->seed);
    long n = (long)ns;
    for (int k = 0; k < sw->nparams; k++)
        if (!r->params[k].min || !r->params[k].max || !(*r->params[k].max >= *r->params[k].min))
            return sim_err_set(SIM_EINPUT, "%s:%d: field 'parameters[%d]': a Latin hypercube needs min <= max for %s",
                               sw->path, line, k, sw->keys[k]);
    sw->npoints = n;
    sw->values = malloc((size_t)n * (size_t)sw->nparams * sizeof(double));
    size_t *perm = malloc((size_t)n * sizeof *perm);
    gsl_rng *rng = sim_rng_alloc(seed, 0, 0, 0x5eedULL);
    if (!sw->values || !perm || !rng) {
        free(perm);
        if (rng)
            gsl_rng_free(rng);
        return sim_err_set(SIM_ENOMEM, "out of memory for %ld points", n);
    }
    /* One stratum per point and parameter, strata shuffled independently. */
    for (int k = 0; k < sw->nparams; k++) {
        for (long i = 0; i < n; i++)
            perm[i] = (size_t)i;
        gsl_ran_shuffle(rng, perm, (size_t)n, sizeof *perm);
        double lo = *r->params[k].min, hi = *r->params[k].max;
        for (long i = 0; i < n; i++)
            sw->values[(size_t)i * (size_t)sw->nparams + (size_t)k] =
                lo + (hi - lo) * ((double)perm[i] + gsl_rng_uniform(rng)) / (double)n;
    }
    free(perm);
    gsl_rng_free(rng);
    return SIM_OK;
}

static int oat(sweep *sw, const raw_sweep *r, int line)
{
    scenario s;
    SIM_CHECK(scn_load(sw->scenario, NULL, 0, &s));
    double *base = malloc(((size_t)sw->nparams + 1) * sizeof(double));
    long n = 1;
    int rc = base ? SIM_OK : SIM_ENOMEM;
    for (int k = 0; rc == SIM_OK && k < sw->nparams; k++) {
        scn_get_param(&s, sw->keys[k], &base[k]);
        if (!r->params[k].values)
            rc = sim_err_set(SIM_EINPUT, "%s:%d: field 'parameters[%d].values': one-at-a-time needs the values of %s",
                             sw->path, line, k, sw->keys[k]);
        else
            n += (long)r->params[k].values_count;
    }
    scn_free(&s);
    if (rc == SIM_OK) {
        sw->npoints = n;
        sw->values = malloc((size_t)n * (size_t)sw->nparams * sizeof(double));
        if (!sw->values)
            rc = sim_err_set(SIM_ENOMEM, "out of memory for %ld points", n);
    }
    /* Point 0 is the baseline; then each parameter's values in turn. */
    long p = 0;
    for (int j = 0; rc == SIM_OK && j < sw->nparams; j++)
        sw->values[j] = base[j];
    p = 1;
    for (int k = 0; rc == SIM_OK && k < sw->nparams; k++)
        for (unsigned v = 0; v < r->params[k].values_count; v++, p++)
            for (int j = 0; j < sw->nparams; j++)
                sw->values[(size_t)p * (size_t)sw->nparams + (size_t)j] = j == k ? r->params[k].values[v] : base[j];
    free(base);
    return rc;
}

int sweep_load(const char *path, sweep *sw)
{
    memset(sw, 0, sizeof *sw);
    yaml_log sk = { .len = 0 };
    cyaml_config_t cfg = { .log_fn = yaml_log_fn, .log_ctx = &sk, .mem_fn = cyaml_mem,
                           .log_level = CYAML_LOG_ERROR, .flags = CYAML_CFG_DEFAULT };
    raw_sweep *r = NULL;
    FILE *probe = fopen(path, "r");
    if (!probe)
        return sim_err_set(SIM_EINPUT, "%s: cannot read the sweep file", path);
    fclose(probe);
    cyaml_err_t err = cyaml_load_file(path, &cfg, &sweep_schema, (cyaml_data_t **)&r, NULL);
    if (err != CYAML_OK)
        return yaml_log_error(path, err, &sk);
    sw->path = strdup(path);
    sw->scenario = scn_path_join(path, r->scenario);
    unsigned long long reps = 0;
    int bad_reps = r->replications && scn_parse_whole(r->replications, 1, 100000000, &reps) != 0;
    sw->replications = (long)reps;
    sw->crn = r->crn ? *r->crn : 1;
    sw->nparams = (int)r->params_count;
    sw->keys = calloc((size_t)sw->nparams + 1, sizeof *sw->keys);
    int line = key_line(path, "parameters");
    int rc = sw->path && sw->scenario && sw->keys ? SIM_OK : sim_err_set(SIM_ENOMEM, "out of memory");
    int d = -1;
    for (int i = 1; rc == SIM_OK && sweep_design_names[i]; i++)
        if (strcmp(r->design, sweep_design_names[i]) == 0)
            d = i;
    if (rc == SIM_OK && d < 0)
        rc = sim_err_set(SIM_EINPUT, "%s:%d: field 'design': '%s' is not allowed (expected grid, lhs or oat)",
                         path, key_line(path, "design"), r->design);
    if (rc == SIM_OK && bad_reps)
        rc = sim_err_set(SIM_EINPUT, "%s:%d: field 'replications': '%s' is not allowed (expected a whole number from 1 "
                                     "to 100000000)",
                         path, key_line(path, "replications"), r->replications);
    /* Keys must be declared scalar parameters: check against the scenario. */
    scenario s;
    if (rc == SIM_OK) {
        rc = scn_load(sw->scenario, NULL, 0, &s);
        if (rc != SIM_OK)
            sim_err_prefix(rc, "%s: field 'scenario'", path);
    }
    if (rc == SIM_OK) {
        for (int k = 0; rc == SIM_OK && k < sw->nparams; k++) {
            double v;
            sw->keys[k] = strdup(r->params[k].key);
            if (!sw->keys[k])
                rc = sim_err_set(SIM_ENOMEM, "out of memory");
            else if (scn_get_param(&s, sw->keys[k], &v) != SIM_OK)
                rc = sim_err_set(SIM_EINPUT, "%s:%d: field 'parameters[%d].key': '%s' is not a scenario parameter (expected one listed by anodesim params)",
                                 path, line, k, sw->keys[k]);
            for (int j = 0; rc == SIM_OK && j < k; j++)
                if (strcmp(sw->keys[j], sw->keys[k]) == 0)
                    rc = sim_err_set(SIM_EINPUT, "%s:%d: field 'parameters[%d].key': '%s' is listed twice",
                                     path, line, k, sw->keys[k]);
        }
        scn_free(&s);
    }
    if (rc == SIM_OK) {
        sw->design = (sweep_design)d;
        rc = d == DESIGN_GRID ? grid(sw, r, line) : d == DESIGN_LHS ? lhs(sw, r, line) : oat(sw, r, line);
    }
    cyaml_free(&cfg, &sweep_schema, r, 0);
    if (rc != SIM_OK)
        sweep_free(sw);
    return rc;
}
