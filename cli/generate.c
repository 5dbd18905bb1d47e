/*
 * generate.c — `anodesim generate`: a synthetic scenario of a requested
 * size, valid for validate and run, for benchmarks and tests.
 *
 * Regions are scattered on a 3,000 km square; plants, smelters, coke and
 * pitch suppliers, ports and export markets are spread over them with
 * parameter ranges like China's (plants 0.1-0.6 Mt/yr, aluminium sized so
 * that anode demand is about 75 % of capacity, suppliers 1.5 times what
 * the plants need).  Links are sparse, so the network grows linearly:
 * each smelter from its 4 nearest plants, each plant from its 2 nearest
 * coke and 2 nearest pitch suppliers and to its nearest port, each port to
 * 3 markets.  Every row says `synthetic`.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gsl/gsl_rng.h>

#include "buckets.h"
#include "cli.h"
#include "sim_err.h"
#include "sim_rng.h"

typedef struct {
    double x, y;
    int region;
} place;

typedef struct {
    int nodes, regions, plants, smelters, coke, pitch, ports, markets;
    place *pl, *sm, *su, *po;
    int *ms_region;
} gen;

static double dist(place a, place b)
{
    return hypot(a.x - b.x, a.y - b.y);
}

/* Places bucketed on a square grid of about two per cell, so that the
 * few nearest to a point are found in the cells around it: scanning every
 * place for every query made generating quadratic in the network's size
 * (minutes at 100,000 nodes). */
typedef struct {
    const place *p;
    int side;              /* side x side cells */
    double x0, y0, cell;
    int *start, *idx;      /* the places in cell c: idx[start[c] .. start[c + 1]) */
} grid;

static void grid_free(grid *gr)
{
    free(gr->start);
    free(gr->idx);
}

static int cell_of(const grid *gr, double v, double v0)
{
    double c = floor((v - v0) / gr->cell);
    return c < 0 ? 0 : c >= gr->side ? gr->side - 1 : (int)c;
}

static int grid_init(grid *gr, const place *p, int n)
{
    double x0 = HUGE_VAL, y0 = HUGE_VAL, x1 = -HUGE_VAL, y1 = -HUGE_VAL;
    for (int i = 0; i < n; i++) {
        x0 = fmin(x0, p[i].x), x1 = fmax(x1, p[i].x);
        y0 = fmin(y0, p[i].y), y1 = fmax(y1, p[i].y);
    }
    gr->p = p;
    gr->side = (int)ceil(sqrt(n / 2.0));
    if (gr->side < 1)
        gr->side = 1;
    double span = fmax(x1 - x0, y1 - y0);
    gr->cell = span > 0 ? span / gr->side : 1.0;
    gr->x0 = x0;
    gr->y0 = y0;
    size_t ncell = (size_t)gr->side * (size_t)gr->side;
    gr->start = malloc((ncell + 1) * sizeof *gr->start);
    gr->idx = malloc(((size_t)n + 1) * sizeof *gr->idx);
    int *cell = malloc(((size_t)n + 1) * sizeof *cell);
    if (!gr->start || !gr->idx || !cell) {
        free(cell);
        grid_free(gr);
        return sim_err_set(SIM_ENOMEM, "out of memory");
    }
    for (int i = 0; i < n; i++)
        cell[i] = cell_of(gr, p[i].y, y0) * gr->side + cell_of(gr, p[i].x, x0);
    bucket_sort(cell, sizeof *cell, n, (int)ncell, gr->start, gr->idx);
    free(cell);
    return SIM_OK;
}

/* Indices of the k places of the grid nearest to `from` (k small), nearest
 * first and, at equal distance, lowest index first: what a scan of every
 * place in index order gives.  Rings of cells are visited outwards until
 * no place left can be nearer than the k-th found (a cell r rings out
 * lies at least (r - 1) cells away). */
static void nearest(const grid *gr, place from, int k, int *out)
{
    double best[8];
    for (int i = 0; i < k; i++) {
        best[i] = HUGE_VAL;
        out[i] = -1;
    }
    int cx = cell_of(gr, from.x, gr->x0), cy = cell_of(gr, from.y, gr->y0);
    for (int r = 0; r <= gr->side; r++) {
        for (int y = cy - r; y <= cy + r; y++) {
            if (y < 0 || y >= gr->side)
                continue;
            int step = y == cy - r || y == cy + r ? 1 : 2 * r;   /* the ring only */
            for (int x = cx - r; x <= cx + r; x += step > 0 ? step : 1) {
                if (x < 0 || x >= gr->side)
                    continue;
                int c = y * gr->side + x;
                for (int t = gr->start[c]; t < gr->start[c + 1]; t++) {
                    int j = gr->idx[t];
                    double d = dist(from, gr->p[j]);
                    for (int i = 0; i < k; i++)
                        if (d < best[i] || (d == best[i] && j < out[i])) {
                            for (int m = k - 1; m > i; m--) {
                                best[m] = best[m - 1];
                                out[m] = out[m - 1];
                            }
                            best[i] = d;
                            out[i] = j;
                            break;
                        }
                }
            }
        }
        /* (a margin for rounding in hypot) */
        if (out[k - 1] >= 0 && best[k - 1] < r * gr->cell * (1 - 1e-9))
            return;
    }
}

static FILE *open_out(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        sim_err_set(SIM_EIO, "%s: cannot write (%s)", path, strerror(errno));
    return f;
}

static place scatter(gsl_rng *r, const place *centre, int nregions)
{
    int g = (int)gsl_rng_uniform_int(r, (unsigned long)nregions);
    place p = { centre[g].x + 150 * (gsl_rng_uniform(r) - 0.5), centre[g].y + 150 * (gsl_rng_uniform(r) - 0.5), g };
    return p;
}

static int write_all(const char *dir, int nodes, unsigned long long seed)
{
    gen g = { .nodes = nodes };
    grid gpl = { 0 }, gco = { 0 }, gpi = { 0 }, gpo = { 0 };   /* plants, coke and pitch suppliers, ports */
    g.regions = nodes / 40 > 2 ? nodes / 40 : 2;
    g.plants = nodes * 3 / 10 > 1 ? nodes * 3 / 10 : 1;
    g.smelters = nodes * 3 / 10 > 1 ? nodes * 3 / 10 : 1;
    g.coke = nodes / 10 > 1 ? nodes / 10 : 1;
    g.pitch = nodes / 10 > 1 ? nodes / 10 : 1;
    g.ports = nodes / 10 > 1 ? nodes / 10 : 1;
    g.markets = nodes - g.plants - g.smelters - g.coke - g.pitch - g.ports;
    if (g.markets < 1)
        g.markets = 1;
    gsl_rng *r = sim_rng_alloc(seed, 0, 0, 0x9e7e);
    place *centre = malloc((size_t)g.regions * sizeof *centre);
    g.pl = malloc((size_t)g.plants * sizeof *g.pl);
    g.sm = malloc((size_t)g.smelters * sizeof *g.sm);
    g.su = malloc((size_t)(g.coke + g.pitch) * sizeof *g.su);
    g.po = malloc((size_t)g.ports * sizeof *g.po);
    double *cap = malloc((size_t)g.plants * sizeof *cap);
    int *used = calloc((size_t)g.ports, sizeof *used);
    int rc = r && centre && g.pl && g.sm && g.su && g.po && cap && used ? SIM_OK : sim_err_set(SIM_ENOMEM, "out of memory");
    FILE *f[7] = { 0 };
    const char *names[7] = { "scenario.yaml", "suppliers.csv", "plants.csv", "smelters.csv", "ports.csv",
                             "markets.csv", "links.csv" };
    for (int i = 0; rc == SIM_OK && i < 7; i++)
        if (!(f[i] = open_out(dir, names[i])))
            rc = SIM_EIO;
    if (rc == SIM_OK) {
        for (int i = 0; i < g.regions; i++)
            centre[i] = (place){ 3000 * gsl_rng_uniform(r), 3000 * gsl_rng_uniform(r), i };
        double total_cap = 0;
        for (int i = 0; i < g.plants; i++) {
            g.pl[i] = scatter(r, centre, g.regions);
            cap[i] = 1e5 + 5e5 * gsl_rng_uniform(r);
            total_cap += cap[i];
        }
        for (int i = 0; i < g.smelters; i++)
            g.sm[i] = scatter(r, centre, g.regions);
        for (int i = 0; i < g.coke + g.pitch; i++)
            g.su[i] = scatter(r, centre, g.regions);
        for (int i = 0; i < g.ports; i++)
            g.po[i] = scatter(r, centre, g.regions);
        double exports = 0.07 * total_cap;
        double al_each = (0.68 * total_cap / 0.475) / g.smelters;
        double need = total_cap * 0.8 / 0.95;

        fprintf(f[0], "# Synthetic scenario: anodesim generate --nodes %d --seed %llu\n"
                      "name: synthetic-%d\nrun:\n  seed: %llu\n  replications: 4\n  start: 2024-01-01\n"
                      "  end: 2026-12-31\n  warmup_days: 180\n"
                      "tables:\n  suppliers: suppliers.csv\n  plants: plants.csv\n  smelters: smelters.csv\n"
                      "  ports: ports.csv\n  markets: markets.csv\n  links: links.csv\n"
                      "smelter:\n  anode_per_t_al: 0.475\nplant:\n  accept_days: 10\n"
                      "classes:\n  - name: high_efficiency\n    high_efficiency: true\n    energy_gj_per_t: 2.2\n"
                      "    conversion_per_t: 520\n    baking_loss: 0.035\n  - name: conventional\n"
                      "    energy_gj_per_t: 3.2\n    conversion_per_t: 600\n    baking_loss: 0.055\n",
                nodes, seed, nodes, seed);
        fprintf(f[1], "id,commodity,region,capacity_tpy,price,source\n");
        for (int i = 0; i < g.coke + g.pitch; i++) {
            int coke = i < g.coke;
            double share = coke ? 0.85 / g.coke : 0.15 / g.pitch;
            fprintf(f[1], "k%05d,%s,R%04d,%.0f,%.0f,synthetic\n", i, coke ? "cpc" : "pitch", g.su[i].region,
                    1.5 * need * share * 2, coke ? 2600 + 800 * gsl_rng_uniform(r) : 4200 + 900 * gsl_rng_uniform(r));
        }
        fprintf(f[2], "id,region,class,capacity_tpy,source\n");
        for (int i = 0; i < g.plants; i++)
            fprintf(f[2], "p%05d,R%04d,%s,%.0f,synthetic\n", i, g.pl[i].region,
                    gsl_rng_uniform(r) < 0.45 ? "high_efficiency" : "conventional", cap[i]);
        fprintf(f[3], "id,region,al_tpy,growth_per_year,source\n");
        for (int i = 0; i < g.smelters; i++)
            fprintf(f[3], "s%05d,R%04d,%.0f,%.3f,synthetic\n", i, g.sm[i].region,
                    al_each * (0.5 + gsl_rng_uniform(r)), 0.02 * gsl_rng_uniform(r));
        fprintf(f[4], "id,region,source\n");
        for (int i = 0; i < g.ports; i++)
            fprintf(f[4], "o%05d,R%04d,synthetic\n", i, g.po[i].region);
        fprintf(f[5], "id,region,demand_tpy,growth_per_year,source\n");
        for (int i = 0; i < g.markets; i++)
            fprintf(f[5], "m%05d,W%03d,%.0f,0.04,synthetic\n", i, i % 8, exports / g.markets);
        fprintf(f[6], "from,to,mode,distance_km,lead_cv,source\n");
        rc = grid_init(&gpl, g.pl, g.plants);
        if (rc == SIM_OK)
            rc = grid_init(&gco, g.su, g.coke);
        if (rc == SIM_OK)
            rc = grid_init(&gpi, g.su + g.coke, g.pitch);
        if (rc == SIM_OK)
            rc = grid_init(&gpo, g.po, g.ports);
    }
    if (rc == SIM_OK) {
        int near[8];
        for (int i = 0; i < g.smelters; i++) {
            int k = g.plants < 4 ? g.plants : 4;
            nearest(&gpl, g.sm[i], k, near);
            for (int j = 0; j < k; j++) {
                double d = dist(g.sm[i], g.pl[near[j]]) * 1.25 + 20;
                fprintf(f[6], "p%05d,s%05d,%s,%.0f,0.2,synthetic\n", near[j], i, d < 300 ? "road" : "rail", d);
            }
        }
        for (int i = 0; i < g.plants; i++) {
            for (int c = 0; c < 2; c++) {
                const place *base = g.su + (c ? g.coke : 0);
                int n = c ? g.pitch : g.coke, k = n < 2 ? n : 2;
                nearest(c ? &gpi : &gco, g.pl[i], k, near);
                for (int j = 0; j < k; j++) {
                    double d = dist(g.pl[i], base[near[j]]) * 1.25 + 20;
                    fprintf(f[6], "k%05d,p%05d,%s,%.0f,0.2,synthetic\n", near[j] + (c ? g.coke : 0), i,
                            d < 300 ? "road" : "rail", d);
                }
            }
            nearest(&gpo, g.pl[i], 1, near);
            used[near[0]] = 1;
            fprintf(f[6], "p%05d,o%05d,rail,%.0f,0.2,synthetic\n", i, near[0], dist(g.pl[i], g.po[near[0]]) * 1.25 + 20);
        }
        /* Markets are served from the ports that plants use, each market
         * from three of them (or all, if fewer). */
        int nused = 0;
        for (int i = 0; i < g.ports; i++)
            if (used[i])
                used[nused++] = i;
        for (int m = 0; m < g.markets; m++)
            for (int j = 0; j < 3 && j < nused; j++)
                fprintf(f[6], "o%05d,m%05d,sea,%.0f,0.2,synthetic\n", used[(m + j * 7) % nused], m,
                        4000 + 12000 * gsl_rng_uniform(r));
    }
    for (int i = 0; i < 7; i++)
        if (f[i] && fclose(f[i]) != 0 && rc == SIM_OK)
            rc = sim_err_set(SIM_EIO, "%s/%s: write failed (%s)", dir, names[i], strerror(errno));
    if (r)
        gsl_rng_free(r);
    free(centre);
    free(g.pl);
    free(g.sm);
    free(g.su);
    free(g.po);
    free(cap);
    free(used);
    grid_free(&gpl);
    grid_free(&gco);
    grid_free(&gpi);
    grid_free(&gpo);
    return rc;
}

int cli_generate(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "nodes", required_argument, 0, 'n' },
        { "seed", required_argument, 0, 's' },
        { "output", required_argument, 0, 'o' },
        { 0, 0, 0, 0 },
    };
    int nodes = 100;
    unsigned long long seed = 1;
    const char *out = NULL;
    optind = 1;
    opterr = 0;
    int ch;
    char *end;
    while ((ch = getopt_long(argc, argv, ":n:s:o:", longopts, NULL)) != -1) {
        switch (ch) {
        case 'n':
            nodes = (int)strtol(optarg, &end, 10);
            if (*end || nodes < 10 || nodes > 1000000) {
                fprintf(stderr, "anodesim: --nodes needs a whole number from 10 to 1000000, got '%s'\n", optarg);
                return 2;
            }
            break;
        case 's':
            seed = strtoull(optarg, &end, 10);
            if (*end) {
                fprintf(stderr, "anodesim: --seed needs a whole number, got '%s'\n", optarg);
                return 2;
            }
            break;
        case 'o': out = optarg; break;
        default:
            fprintf(stderr, "anodesim: usage: anodesim generate --nodes N [--seed S] -o DIR\n");
            return 2;
        }
    }
    if (!out || optind != argc) {
        fprintf(stderr, "anodesim: usage: anodesim generate --nodes N [--seed S] -o DIR\n");
        return 2;
    }
    if (mkdir(out, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "anodesim: %s: cannot create the folder (%s)\n", out, strerror(errno));
        return 1;
    }
    int rc = write_all(out, nodes, seed);
    if (rc != SIM_OK)
        return cli_fail(rc);
    printf("wrote a synthetic scenario of %d nodes to %s/scenario.yaml\n", nodes, out);
    return 0;
}
