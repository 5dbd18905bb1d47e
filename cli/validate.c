/*
 * validate.c — `anodesim validate`: load and check a scenario without
 * running it, and print what it holds: nodes by kind and region, capacity
 * and demand totals, and any node that cannot be supplied.  `anodesim
 * schema`: what its results files hold.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "network.h"
#include "results_schema.h"
#include "sim_err.h"

/* Open on the horizon's first day (the table's plants with no later start
 * and no earlier end). */
static int open_at_start(const scn_plant *p)
{
    return p->start_day <= 0 && p->end_day > 0;
}

static void print_summary(const scenario *s)
{
    int count[NODE_KINDS] = { 0 };
    for (int i = 0; i < s->nnodes; i++)
        count[s->nodes[i].kind]++;
    printf("scenario '%s' (%s)\n", s->name, s->path);
    printf("  horizon %d months from %04d-%02d, %ld replications, seed %llu, reporting in %s\n", s->nmonths,
           s->start_year, s->start_month, s->replications, (unsigned long long)s->seed,
           scn_currency_names[s->currency]);
    printf("  nodes: %d", s->nnodes);
    for (int k = 0; k < NODE_KINDS; k++)
        printf("%s %d %s", k ? "," : " (", count[k], scn_node_kind_names[k]);
    printf("), links: %d, regions: %d\n", s->nlinks, s->nregions);
    double cap = 0, he = 0, al = 0, ex = 0, coke = 0, pitch = 0, later = 0;
    for (int p = 0; p < s->nplants; p++) {
        if (!open_at_start(&s->plants[p])) {
            later += s->plants[p].start_day > 0 && s->plants[p].start_day <= s->ndays ? s->plants[p].capacity_tpy : 0;
            continue;
        }
        cap += s->plants[p].capacity_tpy;
        if (s->classes[s->plants[p].cls].high_efficiency)
            he += s->plants[p].capacity_tpy;
    }
    for (int i = 0; i < s->nsmelters; i++)
        al += s->smelters[i].al_tpy;
    for (int i = 0; i < s->nmarkets; i++)
        ex += s->markets[i].demand_tpy;
    for (int i = 0; i < s->nsuppliers; i++)
        *(s->suppliers[i].commodity ? &pitch : &coke) += s->suppliers[i].capacity_tpy;
    printf("  anode capacity %.3f Mt at the start (high-efficiency %.1f %%; %.3f Mt more opens later), aluminium "
           "%.3f Mt -> anode demand %.3f Mt, export demand %.3f Mt\n", cap / 1e6, cap > 0 ? 100 * he / cap : 0,
           later / 1e6, al / 1e6, al * s->smelter.anode_per_t_al / 1e6, ex / 1e6);
    printf("  supply capacity: calcined coke %.3f Mt, pitch %.3f Mt\n", coke / 1e6, pitch / 1e6);
    printf("\n  %-18s %7s %7s %8s %7s %9s %9s   (capacity open at the start)\n", "region", "plants", "smelter",
           "ports", "mkts", "cap Mt", "Al Mt");
    for (int g = 0; g < s->nregions; g++) {
        int np = 0, ns = 0, npo = 0, nm = 0;
        double gc = 0, ga = 0;
        for (int i = 0; i < s->nnodes; i++) {
            if (s->nodes[i].region != g)
                continue;
            switch (s->nodes[i].kind) {
            case NODE_PLANT:
                np++;
                gc += open_at_start(&s->plants[s->nodes[i].index]) ? s->plants[s->nodes[i].index].capacity_tpy : 0;
                break;
            case NODE_SMELTER: ns++; ga += s->smelters[s->nodes[i].index].al_tpy; break;
            case NODE_PORT: npo++; break;
            case NODE_MARKET: nm++; break;
            default: break;
            }
        }
        printf("  %-18s %7d %7d %8d %7d %9.3f %9.3f\n", s->regions[g], np, ns, npo, nm, gc / 1e6, ga / 1e6);
    }
}

/* The arguments of a command that takes one scenario: the file, --set
 * values, --inputs-anywhere.  0, or 2 with a message printed. */
static int scenario_args(int argc, char **argv, const char *cmd, scn_override *ov, int *nov, const char **path)
{
    *nov = 0;
    *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--set") == 0 && i + 1 < argc) {
            if (*nov == 64 || cli_parse_set(argv[++i], &ov[(*nov)++]) != 0)
                return 2;
        } else if (strncmp(argv[i], "--set=", 6) == 0) {
            if (*nov == 64 || cli_parse_set(argv[i] + 6, &ov[(*nov)++]) != 0)
                return 2;
        } else if (strcmp(argv[i], "--inputs-anywhere") == 0) {
            scn_allow_inputs_anywhere(1);
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "anodesim: unknown option '%s' for %s (expected --set KEY=VALUE, --inputs-anywhere)\n",
                    argv[i], cmd);
            return 2;
        } else if (!*path) {
            *path = argv[i];
        } else {
            fprintf(stderr, "anodesim: %s takes one scenario file, got '%s' too\n", cmd, argv[i]);
            return 2;
        }
    }
    if (!*path) {
        fprintf(stderr, "anodesim: %s needs a scenario file (see anodesim help %s)\n", cmd, cmd);
        return 2;
    }
    return 0;
}

/* The scenario a command's arguments name, loaded into *s: 0, or the
 * exit code with the message printed (then *s holds nothing). */
static int scenario_of_args(int argc, char **argv, const char *cmd, scenario *s)
{
    scn_override ov[64];
    int nov;
    const char *path;
    if (scenario_args(argc, argv, cmd, ov, &nov, &path) != 0)
        return 2;
    int rc = scn_load(path, ov, nov, s);
    return rc == SIM_OK ? 0 : cli_fail(rc);
}

int cli_schema(int argc, char **argv)
{
    scenario s;
    int code = scenario_of_args(argc, argv, "schema", &s);
    if (code != 0)
        return code;
    rs_schema *rs;
    int rc = model_schema_new(&rs, &s, NULL, 1);
    if (rc == SIM_OK) {
        rs_markdown(rs, stdout);
        rs_free(rs);
    }
    scn_free(&s);
    return rc == SIM_OK ? 0 : cli_fail(rc);
}

int cli_validate(int argc, char **argv)
{
    scenario s;
    int code = scenario_of_args(argc, argv, "validate", &s);
    if (code != 0)
        return code;
    network n;
    int rc = net_build(&s, &n);
    if (rc != SIM_OK) {
        scn_free(&s);
        return cli_fail(rc);
    }
    print_summary(&s);
    printf("\n  reachability:\n");
    rc = net_check(&s, &n, stdout);
    if (rc == SIM_OK)
        printf("  every smelter and export market can be supplied by a plant, every plant by coke and pitch suppliers\n");
    code = rc == SIM_OK ? 0 : cli_fail(rc);
    if (rc == SIM_OK)
        printf("\nscenario is valid\n");
    net_free(&n);
    scn_free(&s);
    return code;
}
