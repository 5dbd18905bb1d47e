/*
 * report.c — the summary a run or sweep prints: the year's national and
 * regional figures (means over replications, +- one standard deviation),
 * a table of sweep points, or JSON (schema "anodesim-summary/1").
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "h5out.h"
#include "summary.h"


static double mean_of(const batch_view *b, long p, int y, int g, int mt)
{
    return sum_acc_mean(&b->yearly[p], batch_yearly_index(b, y, g, mt));
}

static double sd_of(const batch_view *b, long p, int y, int g, int mt)
{
    return sum_acc_sd(&b->yearly[p], batch_yearly_index(b, y, g, mt));
}

/* High-efficiency share of the capacity open in year y (point 0). */
static double he_share(const batch_view *b, int y)
{
    double all = b->he_cap[2 * y + 1];
    return all > 0 ? b->he_cap[2 * y] / all : 0;
}

typedef struct {
    int region;
    double key;
} region_rank;

static int rank_cmp(const void *a, const void *b)
{
    const region_rank *x = a, *y = b;
    if (x->key != y->key)
        return x->key > y->key ? -1 : 1;
    return x->region - y->region;
}

/* The events and the mass balance; for a merge, the shards' own compute
 * time beside the merge's (the run's wall time is theirs, not the merge's). */
static void print_balance(const batch_view *b)
{
    double wall = b->wall;
    if (b->o->nmerge > 0) {
        double shards = 0;
        for (int i = 0; i < b->o->nmerge; i++)
            shards += fmax(h5o_file_attr_double(b->o->merge[i], "wall_time_s"), 0.0);
        printf("\n  events %llu; shards' compute %.2f s (sum of their wall times), merge %.2f s\n", b->events,
               shards, wall);
    } else {
        printf("\n  events %llu (%.2f M/s)", b->events, wall > 0 ? b->events / wall / 1e6 : 0);
    }
    if (b->max_balance_t > 0 || (b->o->nmerge > 0 && b->max_balance == 0))
        printf("%smass balance residual at most %.1e t in a replication (as stored)\n",
               b->o->nmerge > 0 ? "  " : ", ", b->max_balance_t);
    else
        printf(", mass balance residual at most %.1e of throughput\n", b->max_balance);
}

static void print_single(const batch_view *b)
{
    int y = b->year, threads = b->threads;
    double wall = b->wall;
    const scenario *s = &b->scn[0];
    int N = s->nregions;
    double cap = mean_of(b, 0, y, N, RM_CAPACITY), out = mean_of(b, 0, y, N, RM_PRODUCTION);
    printf("anodesim %s: scenario '%s', %ld replications, seed %llu, %d threads, %.2f s\n", ANODESIM_VERSION,
           s->name, b->R, (unsigned long long)s->seed, threads, wall);
    printf("Year %d (mean over replications, +- one standard deviation; Mt = million tonnes)\n\n",
           s->start_year + y);
    printf("  capacity            %8.3f Mt   (high-efficiency share %.1f %%)\n", cap / 1e6, 100 * he_share(b, y));
    printf("  anode output        %8.3f Mt   +- %.3f\n", out / 1e6, sd_of(b, 0, y, N, RM_PRODUCTION) / 1e6);
    printf("  utilisation         %8.1f %%\n", cap > 0 ? 100 * out / cap : 0);
    printf("  domestic use        %8.3f Mt   (%.0f kg anode per t aluminium)\n",
           mean_of(b, 0, y, N, RM_CONSUMPTION) / 1e6, 1000 * s->smelter.anode_per_t_al);
    if (s->nmarkets > 0) {
        printf("  exports delivered   %8.3f Mt   +- %.3f\n", mean_of(b, 0, y, N, RM_EXPORTS) / 1e6,
               sd_of(b, 0, y, N, RM_EXPORTS) / 1e6);
    } else {   /* a world scenario: what China's provinces ship abroad, what the rest imports */
        double ex = 0, im = 0;
        for (int g = 0; g < N; g++)
            if (s->region_kind[g] == REGION_PROVINCE)
                ex += mean_of(b, 0, y, g, RM_SHIP_ABROAD);
            else
                im += mean_of(b, 0, y, g, RM_IMPORTS);
        printf("  China's exports     %8.3f Mt   (imports of the world's regions %.3f Mt)\n", ex / 1e6, im / 1e6);
    }
    printf("  shortage            %8.3f Mt   (aluminium lost %.1f kt)\n", mean_of(b, 0, y, N, RM_SHORTAGE) / 1e6,
           mean_of(b, 0, y, N, RM_LOST_AL) / 1e3);
    double disp = mean_of(b, 0, y, N, RM_DISPLACED);
    if (disp > 0)
        printf("  inert displacement  %8.3f Mt   of carbon-anode demand\n", disp / 1e6);
    double cost = mean_of(b, 0, y, N, RM_COST), rev = mean_of(b, 0, y, N, RM_REVENUE);
    printf("  unit cost, price    %8.0f, %.0f %s (margin %.1f %%)\n", out > 0 ? cost / out : 0,
           out > 0 ? rev / out : 0, scn_currency_unit(s), rev > 0 ? 100 * (rev - cost) / rev : 0);
    region_rank *rk = malloc((size_t)N * sizeof *rk);
    if (!rk)
        return;
    for (int g = 0; g < N; g++)
        rk[g] = (region_rank){ g, mean_of(b, 0, y, g, RM_CAPACITY) + 1e-9 * mean_of(b, 0, y, g, RM_CONSUMPTION) };
    qsort(rk, (size_t)N, sizeof *rk, rank_cmp);
    printf("\n  %-16s %9s %9s %6s %9s %10s %9s\n", "region", "capacity", "output", "util", "use", "net out",
           "shortage");
    int shown = 0;
    for (int i = 0; i < N && shown < 12; i++) {
        int g = rk[i].region;
        double gc = mean_of(b, 0, y, g, RM_CAPACITY), gp = mean_of(b, 0, y, g, RM_PRODUCTION);
        double use = mean_of(b, 0, y, g, RM_CONSUMPTION);
        if (gc <= 0 && use <= 0)
            continue;
        double net = mean_of(b, 0, y, g, RM_SHIP_OUT) - mean_of(b, 0, y, g, RM_SHIP_IN);
        char util[16] = "     -";
        if (gc > 0)
            snprintf(util, sizeof util, "%5.1f%%", 100 * gp / gc);
        printf("  %-16s %9.3f %9.3f %6s %9.3f %+10.3f %9.4f\n", s->regions[g], gc / 1e6, gp / 1e6, util, use / 1e6,
               net / 1e6, mean_of(b, 0, y, g, RM_SHORTAGE) / 1e6);
        shown++;
    }
    printf("  (Mt; net out = anodes sent to other regions and abroad minus received; top %d by capacity)\n", shown);
    printf("\n  exports by destination:");
    for (int g = 0; g < N; g++) {
        double ex = mean_of(b, 0, y, g, RM_EXPORTS);
        if (ex > 0)
            printf(" %s %.3f,", s->regions[g], ex / 1e6);
    }
    printf(" Mt\n");
    print_balance(b);
    free(rk);
}

static void print_points(const batch_view *b)
{
    int y = b->year, threads = b->threads;
    double wall = b->wall;
    const scenario *s = &b->scn[0];
    const sweep *sw = b->sw;
    printf("anodesim %s: sweep '%s' (%s design), %ld points x %ld replications, %s random numbers, %d threads, %.2f s\n",
           ANODESIM_VERSION, sw->path ? sw->path : s->path, sweep_design_names[sw->design], b->P, b->R,
           sw->crn && !b->o->independent_streams ? "common" : "independent", threads, wall);
    printf("Year %d, means over replications (Mt)\n\n  %5s", s->start_year + y, "point");
    /* Each parameter's column as wide as its whole name (never cut). */
    int width[64];
    for (int k = 0; k < sw->nparams && k < 64; k++) {
        width[k] = (int)strlen(sw->keys[k]);
        width[k] = width[k] < 12 ? 12 : width[k];
        printf(" %*s", width[k], sw->keys[k]);
    }
    printf(" %8s %6s %8s %9s %9s\n", "output", "util%", "exports", "shortage", "inert");
    for (long p = 0; p < b->P; p++) {
        double cap = mean_of(b, p, y, 0, RM_CAPACITY), out = mean_of(b, p, y, 0, RM_PRODUCTION);
        printf("  %5ld", p);
        for (int k = 0; k < sw->nparams && k < 64; k++)
            printf(" %*.6g", width[k], sweep_value(sw, p, k));
        printf(" %8.3f %6.1f %8.3f %9.4f %9.3f\n", out / 1e6, cap > 0 ? 100 * out / cap : 0,
               mean_of(b, p, y, 0, RM_EXPORTS) / 1e6, mean_of(b, p, y, 0, RM_SHORTAGE) / 1e6,
               mean_of(b, p, y, 0, RM_DISPLACED) / 1e6);
    }
    print_balance(b);
}

static void print_json(const batch_view *b)
{
    int y = b->year, threads = b->threads;
    double wall = b->wall;
    const scenario *s = &b->scn[0];
    int NR = b->year_regions;
    printf("{\"schema\": \"anodesim-summary/1\", \"scenario\": \"%s\", \"points\": %ld, \"replications\": %ld, \"seed\": %llu, \"threads\": %d, \"wall_s\": %.3f, \"consumer_s\": %.3f,\n",
           s->name, b->P, b->R, (unsigned long long)s->seed, threads, wall, b->consumer_s);
    printf(" \"year\": %d, \"events\": %llu, \"balance_max_rel\": %.3e, \"high_efficiency_share\": %.6f,\n",
           s->start_year + y, b->events, b->max_balance, he_share(b, y));
    /* Each value's unit (money in the reporting currency, ratios "1"). */
    printf(" \"anode_per_t_al\": %.6f, \"units\": {", s->smelter.anode_per_t_al);
    for (int mt = 0; mt < RM_NMETRICS; mt++) {
        const char *u = model_region_metrics[mt].units, *ud;
        const char *cur = model_money_currency(u, scn_currency_names[s->currency], &ud);
        char unit[32];
        snprintf(unit, sizeof unit, "%s%s", cur ? cur : u, cur && strcmp(ud, "t-1") == 0 ? "/t" : "");
        printf("%s\"%s\": \"%s\"", mt ? ", " : "", model_region_metrics[mt].name, unit);
    }
    printf("},\n");
    if (b->P > 1) {
        printf(" \"parameters\": [");
        for (int k = 0; k < b->sw->nparams; k++)
            printf("%s\"%s\"", k ? ", " : "", b->sw->keys[k]);
        printf("],\n \"by_point\": [");
        for (long p = 0; p < b->P; p++) {
            printf("%s\n  {\"point\": %ld, \"values\": [", p ? "," : "", p);
            for (int k = 0; k < b->sw->nparams; k++)
                printf("%s%.17g", k ? ", " : "", sweep_value(b->sw, p, k));
            printf("], \"national\": {");
            for (int mt = 0; mt < RM_NMETRICS; mt++)
                printf("%s\"%s\": {\"mean\": %.6f, \"sd\": %.6f}", mt ? ", " : "", model_region_metrics[mt].name,
                       mean_of(b, p, y, 0, mt), sd_of(b, p, y, 0, mt));
            printf("}}");
        }
        printf("]}\n");
        return;
    }
    printf(" \"national\": {");
    for (int mt = 0; mt < RM_NMETRICS; mt++)
        printf("%s\"%s\": {\"mean\": %.6f, \"sd\": %.6f}", mt ? ", " : "", model_region_metrics[mt].name,
               mean_of(b, 0, y, NR, mt), sd_of(b, 0, y, NR, mt));
    printf("},\n \"regions\": {");
    for (int g = 0; g < NR; g++) {
        printf("%s\n  \"%s\": {", g ? "," : "", s->regions[g]);
        for (int mt = 0; mt < RM_NMETRICS; mt++)
            printf("%s\"%s\": %.6f", mt ? ", " : "", model_region_metrics[mt].name, mean_of(b, 0, y, g, mt));
        printf("}");
    }
    printf("}}\n");
}

void report_print(const batch_view *v)
{
    const batch_opts *o = v->o;
    if (o->json)
        print_json(v);
    else if (v->P == 1 && v->sw->nparams == 0)
        print_single(v);
    else
        print_points(v);
    if (o->output && !o->json)
        printf("\n  results: %s\n", o->output);
}
