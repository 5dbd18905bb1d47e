#include "scenario.h"

#include <cyaml/cyaml.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"
#include "sim_err.h"
#include "yaml_log.h"

const char *const scn_node_kind_names[] = { "coke_supplier", "pitch_supplier", "anode_plant",
                                            "smelter", "port", "export_market", NULL };
const char *const scn_mode_names[] = { "rail", "road", "river", "sea", NULL };
const char *const scn_currency_names[] = { "CNY", "USD", NULL };
static const char *const commodity_names[] = { "cpc", "pitch", NULL };
const char *const scn_owner_kind_names[] = { "merchant", "smelter_group", "other", NULL };
const char *const scn_history_item_names[] = { "coke", "pitch", "energy", "usd_cny", NULL };
const char *const scn_event_kind_names[] = { "price_shock", "export_restriction", "link_closure", "link_slowdown",
                                             "smelter_transfer", "curtailment", "duty", "plant_close", NULL };
const char *const scn_region_kind_names[] = { "province", "world", NULL };
static const char *const technology_names[] = { "prebake", "soderberg", NULL };
const char *const scn_alloc_rule_names[] = { "greedy", "split", NULL };
static const char *const shortage_policy_names[] = { "lost", "backorder", NULL };
const char *const scn_price_item_names[] = { "coke", "pitch", "energy", NULL };
static const char *const dist_names[] = { "fixed", "uniform", "triangular", "normal", NULL };

/* ==== the YAML file as libcyaml sees it ================================= */

#define RAW_FIELD(name, dflt, lo, hi, open, unit, doc) double *name;
typedef struct { SCN_SMELTER_PARAMS(RAW_FIELD) } raw_smelter;
typedef struct { SCN_PLANT_PARAMS(RAW_FIELD) } raw_plant;
typedef struct { SCN_TRANSPORT_PARAMS(RAW_FIELD) } raw_transport;
typedef struct { SCN_EXPORT_PARAMS(RAW_FIELD) } raw_export;
typedef struct { SCN_PRICE_PARAMS(RAW_FIELD) } raw_price;
/* Every member a pointer (merge_section merges them one by one). */
typedef struct {
    SCN_ALLOC_PARAMS(RAW_FIELD)
    char *rule;
    char *backorder;   /* a boolean, checked here: libcyaml takes any word but false/no/off as true */
} raw_alloc;

typedef struct {
    char *seed;
    char *replications;
    char *start, *end;
    SCN_RUN_PARAMS(RAW_FIELD)
} raw_run;

typedef struct {
    char *reporting;
    double *usd_cny;
} raw_currency;

typedef struct {
    char *suppliers, *plants, *smelters, *ports, *markets, *links, *price_history, *owners, *regions;
} raw_tables;

typedef struct {
    char *name;
    double energy_gj_per_t;
    double conversion_per_t;
    double fixed_per_year_t;
    char *conversion_currency;
    double baking_loss;
    bool high_efficiency;
    bool *market_exit;
} raw_class;

typedef struct {
    char *date, *kind, *item, *region, *until, *from, *to, *node;
    double *factor, *days, *lead_factor, *capacity_tpd, *al_tpy, *rate, *per_t_usd;
} raw_event;

typedef struct {
    char **regions;
    unsigned regions_count;
    char *applies_to;
    int *months;
    unsigned months_count;
    double factor;
} raw_curb;

typedef struct {
    char *dist;
    double *value, *min, *max, *mode, *mean, *sd;
} raw_dist;

typedef struct {
    char *region;
    raw_dist *start_year, *speed, *ceiling;
} raw_adoption;

typedef struct {
    char *name, *description, *base;
    raw_run *run;
    raw_currency *currency;
    raw_tables *tables;
    raw_smelter *smelter;
    raw_plant *plant;
    raw_transport *transport;
    raw_export *exports;
    raw_price *prices;
    raw_alloc *alloc;
    raw_class *classes;
    unsigned classes_count;
    raw_event *events;
    unsigned events_count;
    raw_event *transfers;
    unsigned transfers_count;
    raw_curb *curbs;
    unsigned curbs_count;
    raw_adoption *inert;
    unsigned inert_count;
} raw_scenario;

#define OPT CYAML_FLAG_OPTIONAL
#define STR_OPT(key, type, member) \
    CYAML_FIELD_STRING_PTR(key, CYAML_FLAG_POINTER | OPT, type, member, 0, CYAML_UNLIMITED)
#define STR_REQ(key, type, member) \
    CYAML_FIELD_STRING_PTR(key, CYAML_FLAG_POINTER, type, member, 1, CYAML_UNLIMITED)

#define SMELTER_CY(name, dflt, lo, hi, open, unit, doc) CYAML_FIELD_FLOAT_PTR(#name, OPT, raw_smelter, name),
#define PLANT_CY(name, dflt, lo, hi, open, unit, doc) CYAML_FIELD_FLOAT_PTR(#name, OPT, raw_plant, name),
#define TRANSPORT_CY(name, dflt, lo, hi, open, unit, doc) CYAML_FIELD_FLOAT_PTR(#name, OPT, raw_transport, name),
#define EXPORT_CY(name, dflt, lo, hi, open, unit, doc) CYAML_FIELD_FLOAT_PTR(#name, OPT, raw_export, name),
#define PRICE_CY(name, dflt, lo, hi, open, unit, doc) CYAML_FIELD_FLOAT_PTR(#name, OPT, raw_price, name),
#define ALLOC_CY(name, dflt, lo, hi, open, unit, doc) CYAML_FIELD_FLOAT_PTR(#name, OPT, raw_alloc, name),
#define RUN_CY(name, dflt, lo, hi, open, unit, doc) CYAML_FIELD_FLOAT_PTR(#name, OPT, raw_run, name),

static const cyaml_schema_field_t smelter_fields[] = { SCN_SMELTER_PARAMS(SMELTER_CY) CYAML_FIELD_END };
static const cyaml_schema_field_t plant_fields[] = { SCN_PLANT_PARAMS(PLANT_CY) CYAML_FIELD_END };
static const cyaml_schema_field_t transport_fields[] = { SCN_TRANSPORT_PARAMS(TRANSPORT_CY) CYAML_FIELD_END };
static const cyaml_schema_field_t export_fields[] = { SCN_EXPORT_PARAMS(EXPORT_CY) CYAML_FIELD_END };
static const cyaml_schema_field_t price_fields[] = { SCN_PRICE_PARAMS(PRICE_CY) CYAML_FIELD_END };
static const cyaml_schema_field_t alloc_fields[] = {
    SCN_ALLOC_PARAMS(ALLOC_CY)
    STR_OPT("rule", raw_alloc, rule),
    STR_OPT("backorder", raw_alloc, backorder),
    CYAML_FIELD_END
};

static const cyaml_schema_field_t run_fields[] = {
    STR_OPT("seed", raw_run, seed),                 /* (whole numbers parsed strictly: scn_parse_whole) */
    STR_OPT("replications", raw_run, replications),
    STR_OPT("start", raw_run, start),
    STR_OPT("end", raw_run, end),
    SCN_RUN_PARAMS(RUN_CY)
    CYAML_FIELD_END
};

static const cyaml_schema_field_t currency_fields[] = {
    STR_OPT("reporting", raw_currency, reporting),
    CYAML_FIELD_FLOAT_PTR("usd_cny", OPT, raw_currency, usd_cny),
    CYAML_FIELD_END
};

static const cyaml_schema_field_t tables_fields[] = {
    STR_REQ("suppliers", raw_tables, suppliers),
    STR_REQ("plants", raw_tables, plants),
    STR_REQ("smelters", raw_tables, smelters),
    STR_OPT("ports", raw_tables, ports),
    STR_OPT("markets", raw_tables, markets),
    STR_REQ("links", raw_tables, links),
    STR_OPT("price_history", raw_tables, price_history),
    STR_OPT("owners", raw_tables, owners),
    STR_OPT("regions", raw_tables, regions),
    CYAML_FIELD_END
};

static const cyaml_schema_field_t class_fields[] = {
    STR_REQ("name", raw_class, name),
    CYAML_FIELD_FLOAT("energy_gj_per_t", CYAML_FLAG_DEFAULT, raw_class, energy_gj_per_t),
    CYAML_FIELD_FLOAT("conversion_per_t", CYAML_FLAG_DEFAULT, raw_class, conversion_per_t),
    CYAML_FIELD_FLOAT("fixed_per_year_t", OPT, raw_class, fixed_per_year_t),
    STR_OPT("conversion_currency", raw_class, conversion_currency),
    CYAML_FIELD_FLOAT("baking_loss", CYAML_FLAG_DEFAULT, raw_class, baking_loss),
    CYAML_FIELD_BOOL("high_efficiency", OPT, raw_class, high_efficiency),
    CYAML_FIELD_BOOL_PTR("market_exit", OPT, raw_class, market_exit),
    CYAML_FIELD_END
};

static const cyaml_schema_value_t class_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_class, class_fields),
};

static const cyaml_schema_field_t event_fields[] = {
    STR_REQ("date", raw_event, date),
    STR_REQ("kind", raw_event, kind),
    STR_OPT("item", raw_event, item),
    CYAML_FIELD_FLOAT_PTR("factor", OPT, raw_event, factor),
    STR_OPT("region", raw_event, region),
    STR_OPT("until", raw_event, until),
    STR_OPT("from", raw_event, from),
    STR_OPT("to", raw_event, to),
    CYAML_FIELD_FLOAT_PTR("days", OPT, raw_event, days),
    CYAML_FIELD_FLOAT_PTR("lead_factor", OPT, raw_event, lead_factor),
    CYAML_FIELD_FLOAT_PTR("capacity_tpd", OPT, raw_event, capacity_tpd),
    STR_OPT("node", raw_event, node),
    CYAML_FIELD_FLOAT_PTR("rate", OPT, raw_event, rate),
    CYAML_FIELD_FLOAT_PTR("per_t_usd", OPT, raw_event, per_t_usd),
    CYAML_FIELD_END
};
/* A smelter transfer (YAML `transfers:`): the same record as an event,
 * kind implied.  Apart from `events:` so that a scenario that sets its own
 * events keeps its base's structural transfers. */
static const cyaml_schema_field_t transfer_fields_schema[] = {
    STR_REQ("date", raw_event, date),
    STR_REQ("from", raw_event, from),
    STR_REQ("to", raw_event, to),
    CYAML_FIELD_FLOAT_PTR("al_tpy", OPT, raw_event, al_tpy),
    CYAML_FIELD_FLOAT_PTR("days", OPT, raw_event, days),
    CYAML_FIELD_END
};
static const cyaml_schema_value_t transfer_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_event, transfer_fields_schema),
};
static const cyaml_schema_value_t event_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_event, event_fields),
};

static const cyaml_schema_value_t string_entry = {
    CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 1, CYAML_UNLIMITED),
};
static const cyaml_schema_value_t int_entry = {
    CYAML_VALUE_INT(CYAML_FLAG_DEFAULT, int),
};
static const cyaml_schema_field_t curb_fields[] = {
    CYAML_FIELD_SEQUENCE("regions", CYAML_FLAG_POINTER, raw_curb, regions, &string_entry, 1, CYAML_UNLIMITED),
    STR_REQ("applies_to", raw_curb, applies_to),
    CYAML_FIELD_SEQUENCE("months", CYAML_FLAG_POINTER, raw_curb, months, &int_entry, 1, 12),
    CYAML_FIELD_FLOAT("factor", CYAML_FLAG_DEFAULT, raw_curb, factor),
    CYAML_FIELD_END
};
static const cyaml_schema_value_t curb_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_curb, curb_fields),
};

static const cyaml_schema_field_t dist_fields[] = {
    STR_REQ("dist", raw_dist, dist),
    CYAML_FIELD_FLOAT_PTR("value", OPT, raw_dist, value),
    CYAML_FIELD_FLOAT_PTR("min", OPT, raw_dist, min),
    CYAML_FIELD_FLOAT_PTR("max", OPT, raw_dist, max),
    CYAML_FIELD_FLOAT_PTR("mode", OPT, raw_dist, mode),
    CYAML_FIELD_FLOAT_PTR("mean", OPT, raw_dist, mean),
    CYAML_FIELD_FLOAT_PTR("sd", OPT, raw_dist, sd),
    CYAML_FIELD_END
};
static const cyaml_schema_field_t adoption_fields[] = {
    STR_REQ("region", raw_adoption, region),
    CYAML_FIELD_MAPPING_PTR("start_year", CYAML_FLAG_POINTER, raw_adoption, start_year, dist_fields),
    CYAML_FIELD_MAPPING_PTR("speed", CYAML_FLAG_POINTER, raw_adoption, speed, dist_fields),
    CYAML_FIELD_MAPPING_PTR("ceiling", CYAML_FLAG_POINTER, raw_adoption, ceiling, dist_fields),
    CYAML_FIELD_END
};
static const cyaml_schema_value_t adoption_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_adoption, adoption_fields),
};

static const cyaml_schema_field_t top_fields[] = {
    STR_REQ("name", raw_scenario, name),
    STR_OPT("description", raw_scenario, description),
    STR_OPT("base", raw_scenario, base),
    CYAML_FIELD_MAPPING_PTR("run", CYAML_FLAG_POINTER | OPT, raw_scenario, run, run_fields),
    CYAML_FIELD_MAPPING_PTR("currency", CYAML_FLAG_POINTER | OPT, raw_scenario, currency, currency_fields),
    CYAML_FIELD_MAPPING_PTR("tables", CYAML_FLAG_POINTER | OPT, raw_scenario, tables, tables_fields),
    CYAML_FIELD_MAPPING_PTR("smelter", CYAML_FLAG_POINTER | OPT, raw_scenario, smelter, smelter_fields),
    CYAML_FIELD_MAPPING_PTR("plant", CYAML_FLAG_POINTER | OPT, raw_scenario, plant, plant_fields),
    CYAML_FIELD_MAPPING_PTR("transport", CYAML_FLAG_POINTER | OPT, raw_scenario, transport, transport_fields),
    CYAML_FIELD_MAPPING_PTR("exports", CYAML_FLAG_POINTER | OPT, raw_scenario, exports, export_fields),
    CYAML_FIELD_MAPPING_PTR("prices", CYAML_FLAG_POINTER | OPT, raw_scenario, prices, price_fields),
    CYAML_FIELD_MAPPING_PTR("allocation", CYAML_FLAG_POINTER | OPT, raw_scenario, alloc, alloc_fields),
    CYAML_FIELD_SEQUENCE("classes", CYAML_FLAG_POINTER | OPT, raw_scenario, classes, &class_entry, 1, 64),
    CYAML_FIELD_SEQUENCE("events", CYAML_FLAG_POINTER | OPT, raw_scenario, events, &event_entry, 0, 10000),
    CYAML_FIELD_SEQUENCE("transfers", CYAML_FLAG_POINTER | OPT, raw_scenario, transfers, &transfer_entry, 0, 10000),
    CYAML_FIELD_SEQUENCE("curbs", CYAML_FLAG_POINTER | OPT, raw_scenario, curbs, &curb_entry, 0, 1000),
    CYAML_FIELD_SEQUENCE("inert_anodes", CYAML_FLAG_POINTER | OPT, raw_scenario, inert, &adoption_entry, 0, 1000),
    CYAML_FIELD_END
};

static const cyaml_schema_value_t top_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, raw_scenario, top_fields),
};

/* ==== the declared scalar parameters ===================================== */

typedef struct {
    const char *section, *name;
    size_t raw_sec;     /* offset of the section pointer in raw_scenario */
    size_t raw_off;     /* offset of the double* within the raw section */
    size_t res_off;     /* offset of the double within scenario */
    double dflt, lo, hi;
    int open;
    const char *unit, *doc;
} param_decl;

#define PD(secname, rawtype, member, restype, name, dflt, lo, hi, open, unit, doc)    \
    { secname, #name, offsetof(raw_scenario, member), offsetof(rawtype, name),         \
      offsetof(scenario, member) + offsetof(restype, name), dflt, lo, hi, open, unit, doc },
#define SMELTER_PD(...) PD("smelter", raw_smelter, smelter, scn_smelter_params, __VA_ARGS__)
#define PLANT_PD(...) PD("plant", raw_plant, plant, scn_plant_params, __VA_ARGS__)
#define TRANSPORT_PD(...) PD("transport", raw_transport, transport, scn_transport_params, __VA_ARGS__)
#define EXPORT_PD(...) PD("exports", raw_export, exports, scn_export_params, __VA_ARGS__)
#define PRICE_PD(...) PD("prices", raw_price, prices, scn_price_params, __VA_ARGS__)
#define RUN_PD(...) PD("run", raw_run, run, scn_run_params, __VA_ARGS__)
#define ALLOC_PD(...) PD("allocation", raw_alloc, alloc, scn_alloc_params, __VA_ARGS__)

static const param_decl params[] = {
    SCN_RUN_PARAMS(RUN_PD)
    SCN_SMELTER_PARAMS(SMELTER_PD)
    SCN_PLANT_PARAMS(PLANT_PD)
    SCN_TRANSPORT_PARAMS(TRANSPORT_PD)
    SCN_EXPORT_PARAMS(EXPORT_PD)
    SCN_PRICE_PARAMS(PRICE_PD)
    SCN_ALLOC_PARAMS(ALLOC_PD)   /* last: scn_params_json adds rule and backorder to its object */
};
#define NPARAMS ((int)(sizeof params / sizeof params[0]))

/* ==== locating a key in the YAML text, for messages ====================== */

/* Whether text[0..n) contains key[0..klen). */
static int contains(const char *text, size_t n, const char *key, size_t klen)
{
    for (size_t i = 0; i + klen <= n; i++)
        if (memcmp(text + i, key, klen) == 0)
            return 1;
    return 0;
}

/* Line (1-based) of `key` inside the block mapping `section` (NULL for the
 * top level); 0 when not found.  Handles the block style scenario files
 * use; flow style falls back to the section's line. */
static int yaml_line(const char *text, const char *section, const char *key)
{
    int line = 1, in_section = section == NULL, sec_line = 0, sec_indent = -1;
    size_t klen = strlen(key);
    for (const char *p = text; *p; line++) {
        const char *b = p;
        while (*p && *p != '\n')
            p++;
        const char *e = p;
        if (*p == '\n')
            p++;
        int indent = 0;
        while (b + indent < e && b[indent] == ' ')
            indent++;
        const char *k = b + indent;
        if (k == e || *k == '#')
            continue;
        if (section && indent == 0) {
            size_t sl = strlen(section);
            in_section = strncmp(k, section, sl) == 0 && k[sl] == ':';
            if (in_section) {
                sec_line = line;
                sec_indent = 0;
                if (contains(k, (size_t)(e - k), key, klen))   /* flow style on one line */
                    return line;
            }
            continue;
        }
        if (!in_section || (section && indent <= sec_indent))
            continue;
        if (!section && indent != 0)
            continue;
        if ((size_t)(e - k) > klen && strncmp(k, key, klen) == 0 && k[klen] == ':')
            return line;
    }
    return sec_line;
}

/* ==== libcyaml messages, gathered for one clear error ==================== */

void yaml_log_fn(cyaml_log_t level, void *ctx, const char *fmt, va_list args)
{
    yaml_log *sink = ctx;
    if (level < CYAML_LOG_ERROR || sink->len >= sizeof sink->buf - 1)
        return;
    char tmp[512];
    vsnprintf(tmp, sizeof tmp, fmt, args);
    size_t n = strlen(tmp);
    while (n && (tmp[n - 1] == '\n' || tmp[n - 1] == ' '))
        tmp[--n] = '\0';
    const char *t = tmp;
    if (strncmp(t, "Load: ", 6) == 0)
        t += 6;
    if (strcmp(t, "Backtrace:") == 0)
        return;
    while (*t == ' ')
        t++;
    int w = snprintf(sink->buf + sink->len, sizeof sink->buf - sink->len, "%s%s",
                     sink->len ? "; " : "", t);
    if (w > 0)
        sink->len += (size_t)w;
    if (sink->len >= sizeof sink->buf)
        sink->len = sizeof sink->buf - 1;
}

/* "Invalid FLOAT value: abc; in mapping field 'a' (line: 2, column: 6); ..."
 * becomes "file:2: field 'a': Invalid FLOAT value: abc (...)". */
int yaml_log_error(const char *path, cyaml_err_t err, const yaml_log *sink)
{
    const char *msg = sink->len ? sink->buf : cyaml_strerror(err);
    int line = 0;
    const char *l = strstr(msg, "(line: ");
    if (l)
        line = atoi(l + 7);
    char field[128] = "";
    const char *f = strstr(msg, "field '");
    if (f) {
        f += 7;
        size_t n = strcspn(f, "'");
        if (n >= sizeof field)
            n = sizeof field - 1;
        memcpy(field, f, n);
        field[n] = '\0';
    }
    const char *hint = "";
    if (err == CYAML_ERR_ALIAS)
        hint = " (YAML aliases such as *name are not allowed: write the value out)";
    else if (strstr(msg, "FLOAT") || strstr(msg, "INT"))
        hint = " (expected a finite number)";
    else if (strstr(msg, "Unexpected key"))
        hint = " (expected a key documented in docs/scenario-format.md)";
    else if (strstr(msg, "Missing required"))
        hint = " (expected the key to be present)";
    char first[600];
    size_t n = strcspn(msg, ";");
    if (n >= sizeof first)
        n = sizeof first - 1;
    memcpy(first, msg, n);
    first[n] = '\0';
    if (line)
        return sim_err_set(SIM_EINPUT, "%s:%d:%s%s%s %s%s", path, line, field[0] ? " field '" : "",
                           field, field[0] ? "':" : "", first, hint);
    return sim_err_set(SIM_EINPUT, "%s: %s%s", path, first, hint);
}

/* ==== helpers ========================================================== */

char *scn_path_join(const char *dir_of, const char *rel)
{
    if (rel[0] == '/')
        return strdup(rel);
    const char *slash = strrchr(dir_of, '/');
    size_t dl = slash ? (size_t)(slash - dir_of) + 1 : 0;
    char *out = malloc(dl + strlen(rel) + 1);
    if (out) {
        memcpy(out, dir_of, dl);
        strcpy(out + dl, rel);
    }
    return out;
}

int scn_parse_whole(const char *text, unsigned long long min, unsigned long long max, unsigned long long *out)
{
    if (!text || !*text)
        return -1;
    unsigned long long v = 0;
    for (const char *p = text; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        unsigned d = (unsigned)(*p - '0');
        if (v > (ULLONG_MAX - d) / 10)
            return -1;   /* (overflow) */
        v = 10 * v + d;
    }
    if (v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static int inputs_anywhere;   /* scn_allow_inputs_anywhere */

void scn_allow_inputs_anywhere(int on)
{
    inputs_anywhere = on;
}

/* A table named `rel` must lie in the folder of the scenario file that
 * names it, or below: no absolute path, no "..".  A scenario from
 * someone else cannot then read any file on the machine. */
static int table_inside(const char *rel)
{
    if (inputs_anywhere)
        return 1;
    if (rel[0] == '/')
        return 0;
    for (const char *p = rel; (p = strstr(p, "..")) != NULL; p += 2)
        if ((p == rel || p[-1] == '/') && (p[2] == '\0' || p[2] == '/'))
            return 0;
    return 1;
}

/* Record an input file and its fingerprint in s->inputs. */
static int add_input(scenario *s, const char *what, const char *name, uint64_t hash)
{
    size_t had = s->inputs ? strlen(s->inputs) : 0, more = strlen(what) + strlen(name) + 32;
    char *t = realloc(s->inputs, had + more);
    if (!t)
        return sim_err_set(SIM_ENOMEM, "out of memory");
    snprintf(t + had, more, "%s %s fnv1a:%016llx\n", what, name, (unsigned long long)hash);
    s->inputs = t;
    return SIM_OK;
}

/* Line `line` of text without its fingerprint: "WHAT NAME". */
static size_t input_label(const char *line, size_t len)
{
    const char *fp = NULL;
    for (size_t i = 0; i + 7 <= len; i++)
        if (memcmp(line + i, " fnv1a:", 7) == 0)
            fp = line + i;
    return fp ? (size_t)(fp - line) : len;
}

const char *scn_inputs_differ(const char *then, const char *now, char *buf, size_t size)
{
    if (!then)
        then = "";
    for (const char *l = now; l && *l;) {
        const char *nl = strchr(l, '\n');
        size_t len = nl ? (size_t)(nl - l) : strlen(l);
        size_t lab = input_label(l, len);
        const char *match = NULL;
        for (const char *m = then; *m;) {
            const char *mnl = strchr(m, '\n');
            size_t mlen = mnl ? (size_t)(mnl - m) : strlen(m);
            if (input_label(m, mlen) == lab && memcmp(m, l, lab) == 0) {
                match = mlen == len && memcmp(m, l, len) == 0 ? m : "";
                break;
            }
            m = mnl ? mnl + 1 : m + mlen;
        }
        if (!match || !*match) {
            snprintf(buf, size, "%.*s %s", (int)lab, l, match ? "changed" : "was not read then");
            return buf;
        }
        l = nl ? nl + 1 : l + len;
    }
    return NULL;
}

/* A scenario file's text: a regular UTF-8 file of at most 16 MiB
 * (csv_read_file).  NULL with the message set. */
static char *read_text(const char *path, const char *what)
{
    char *text;
    size_t len;
    return csv_read_file(path, what, (size_t)16 << 20, &text, &len) == SIM_OK ? text : NULL;
}

/* Index of `name` in a list of n names, -1 if absent. */
static int name_find(char *const *list, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(list[i], name) == 0)
            return i;
    return -1;
}

/* Index of `name` in *list, appended (a copy) when absent; -1 when out of
 * memory.  Regions and IAI regions are named this way. */
static int name_index(char ***list, int *n, const char *name)
{
    int i = name_find(*list, *n, name);
    if (i >= 0)
        return i;
    char **r = realloc(*list, (size_t)(*n + 1) * sizeof *r);
    if (!r)
        return -1;
    *list = r;
    if (!(r[*n] = strdup(name)))
        return -1;
    return (*n)++;
}

static int region_index(scenario *s, const char *name)
{
    return name_index(&s->regions, &s->nregions, name);
}

static int find_region(const scenario *s, const char *name)
{
    return name_find(s->regions, s->nregions, name);
}

static uint64_t fnv1a(const char *str)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *str; str++)
        h = (h ^ (unsigned char)*str) * 1099511628211ULL;
    return h;
}

/* Slot of `id` in the hash table: where it is, or the empty slot where it
 * would go.  Linear probing; the table is at most half full. */
static int hash_slot(const scenario *s, const char *id)
{
    int mask = s->hash_cap - 1;
    int i = (int)(fnv1a(id) & (uint64_t)mask);
    while (s->node_hash[i] >= 0 && strcmp(s->nodes[s->node_hash[i]].id, id) != 0)
        i = (i + 1) & mask;
    return i;
}

int scn_find_node(const scenario *s, const char *id)
{
    if (s->node_hash) {
        int k = s->node_hash[hash_slot(s, id)];
        return k;
    }
    for (int i = 0; i < s->nnodes; i++)
        if (strcmp(s->nodes[i].id, id) == 0)
            return i;
    return -1;
}

double scn_to_reporting(const scenario *s, double amount, scn_currency cur)
{
    if (cur == s->currency)
        return amount;
    return cur == CUR_USD ? amount * s->usd_cny : amount / s->usd_cny;
}

const char *scn_currency_unit(const scenario *s)
{
    return s->currency == CUR_USD ? "USD/t" : "CNY/t";
}

static int find_enum(const char *const *names, const char *v)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], v) == 0)
            return i;
    return -1;
}

/* ==== resolving the scalar parameters ==================================== */

static const param_decl *find_param(const char *section, const char *name)
{
    for (int i = 0; i < NPARAMS; i++)
        if (strcmp(params[i].section, section) == 0 && strcmp(params[i].name, name) == 0)
            return &params[i];
    return NULL;
}

static int range_error(const char *where, const param_decl *p, double v)
{
    char hi[64] = "";
    if (p->hi < HUGE_VAL)
        snprintf(hi, sizeof hi, " and <= %g", p->hi);
    return sim_err_set(SIM_EINPUT, "%s field '%s.%s': %g is out of range (expected a number %s %g%s, in %s)",
                       where, p->section, p->name, v, p->open ? ">" : ">=", p->lo, hi, p->unit);
}

static int check_param(const param_decl *p, double v)
{
    return isfinite(v) && v >= p->lo && v <= p->hi && !(p->open && v == p->lo);
}

static int resolve_params(const raw_scenario *raw, scenario *s)
{
    char where[1100];
    for (int i = 0; i < NPARAMS; i++) {
        const param_decl *p = &params[i];
        const void *sec = *(void *const *)((const char *)raw + p->raw_sec);
        const double *val = sec ? *(double *const *)((const char *)sec + p->raw_off) : NULL;
        double v = val ? *val : p->dflt;
        if (!check_param(p, v)) {
            snprintf(where, sizeof where, "%s:%d:", s->path, yaml_line(s->text, p->section, p->name));
            return range_error(where, p, v);
        }
        *(double *)((char *)s + p->res_off) = v;
    }
    return SIM_OK;
}

/* allocation.rule and allocation.backorder: a name and a boolean. */
static int resolve_alloc(const raw_scenario *raw, scenario *s)
{
    s->alloc.rule = ALLOC_GREEDY;
    s->alloc.backorder = 0;
    if (!raw->alloc)
        return SIM_OK;
    if (raw->alloc->rule) {
        int r = find_enum(scn_alloc_rule_names, raw->alloc->rule);
        if (r < 0)
            return sim_err_set(SIM_EINPUT, "%s:%d: field 'allocation.rule': '%s' is not a rule (expected greedy or split)",
                               s->path, yaml_line(s->text, "allocation", "rule"), raw->alloc->rule);
        s->alloc.rule = (scn_alloc_rule)r;
    }
    const char *b = raw->alloc->backorder;
    if (b) {
        int t = strcmp(b, "true") == 0, f = strcmp(b, "false") == 0;
        if (!t && !f)
            return sim_err_set(SIM_EINPUT, "%s:%d: field 'allocation.backorder': '%s' is not a boolean (expected true or false)",
                               s->path, yaml_line(s->text, "allocation", "backorder"), b);
        s->alloc.backorder = t;
    }
    return SIM_OK;
}

static int parse_number(const char *text, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end != '\0' || errno == ERANGE || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

/* Apply one --set override to the resolved scenario. */
static int apply_override(scenario *s, const scn_override *o)
{
    char section[64], where[300];
    const char *dot = strchr(o->key, '.');
    snprintf(where, sizeof where, "--set %s=%s:", o->key, o->value);
    if (!dot || (size_t)(dot - o->key) >= sizeof section)
        return sim_err_set(SIM_EINPUT, "%s the key must be SECTION.NAME (e.g. smelter.reorder_days)", where);
    memcpy(section, o->key, (size_t)(dot - o->key));
    section[dot - o->key] = '\0';
    const char *name = dot + 1;
    double v;
    if (strcmp(section, "run") == 0 && (strcmp(name, "start") == 0 || strcmp(name, "end") == 0)) {
        int d;
        if (csv_parse_date(o->value, &d) != 0)
            return sim_err_set(SIM_EINPUT, "%s '%s' is not a date (expected YYYY-MM-DD)", where, o->value);
        *(strcmp(name, "start") == 0 ? &s->start_date : &s->end_date) = d;
        return SIM_OK;
    }
    if (strcmp(section, "run") == 0 && (strcmp(name, "seed") == 0 || strcmp(name, "replications") == 0)) {
        unsigned long long u;
        if (scn_parse_whole(o->value, name[0] == 'r' ? 1 : 0, name[0] == 'r' ? 100000000ULL : ULLONG_MAX, &u) != 0)
            return sim_err_set(SIM_EINPUT, "%s '%s' is not valid (expected a whole number%s)", where,
                               o->value, name[0] == 'r' ? " from 1 to 100000000" : "");
        if (name[0] == 's')
            s->seed = u;
        else
            s->replications = (long)u;
        return SIM_OK;
    }
    if (strcmp(section, "currency") == 0 && strcmp(name, "usd_cny") == 0) {
        if (parse_number(o->value, &v) != 0 || !(v > 0))
            return sim_err_set(SIM_EINPUT, "%s '%s' is not valid (expected a number > 0)", where, o->value);
        s->usd_cny = v;
        return SIM_OK;
    }
    const param_decl *p = find_param(section, name);
    if (!p) {
        const char *near = scn_nearest_param(o->key);
        if (near)
            return sim_err_set(SIM_EINPUT, "%s unknown parameter '%s' (did you mean %s? anodesim params lists them)",
                               where, o->key, near);
        return sim_err_set(SIM_EINPUT, "%s unknown parameter '%s' (expected one listed in docs/scenario-format.md)",
                           where, o->key);
    }
    if (parse_number(o->value, &v) != 0)
        return sim_err_set(SIM_EINPUT, "%s '%s' is not a finite number", where, o->value);
    if (!check_param(p, v))
        return range_error(where, p, v);
    *(double *)((char *)s + p->res_off) = v;
    return SIM_OK;
}

/* ==== tables ============================================================ */

typedef struct { char *id, *region; int commodity; double capacity_tpy, price; int currency; } row_supplier;
typedef struct { char *id, *region, *cls, *owner, *enterprise; double capacity_tpy; int start, end; } row_plant;
typedef struct { char *id; int kind; } row_owner;
typedef struct { char *id, *region; double al_tpy, captive_share, growth, anode_per_t, safety_days; int policy, technology; } row_smelter;
typedef struct { char *region, *group; int kind; double lat, lon; } row_region;
typedef struct { char *id, *region; } row_port;
typedef struct { char *id, *region; double demand_tpy, growth, elasticity; } row_market;
typedef struct { char *month, *item; double price; } row_hist;
typedef struct { char *from, *to; int mode; double distance_km, lead_days, lead_cv, capacity_tpd, cost_per_t; int cost_currency; } row_link;

#define NO_DATE (-2147483647)
#define COL_S(n, req, T, m) { n, CSV_STRING, req, 0, 0, 0, 0, offsetof(T, m), NULL, NULL }
#define COL_D(n, req, T, m, lo, hi, open, dflt, unit) { n, CSV_DOUBLE, req, lo, hi, open, dflt, offsetof(T, m), NULL, unit }
/* Upper bounds far above any real figure (world aluminium is 0.07 Gt a
 * year) that keep the model's sums of tonnes and money finite: 1e308 t
 * of demand once ended as "mass balance violated" instead of an input
 * error. */
#define MAX_TPY 1e10
#define MAX_PRICE 1e8
#define COL_E(n, req, T, m, names, dflt) { n, CSV_ENUM, req, 0, 0, 0, dflt, offsetof(T, m), names, NULL }
#define COL_T(n, T, m) { n, CSV_DATE, 0, 0, 0, 0, NO_DATE, offsetof(T, m), NULL, "YYYY-MM-DD" }

static const csv_col supplier_cols[] = {
    COL_S("id", 1, row_supplier, id),
    COL_E("commodity", 1, row_supplier, commodity, commodity_names, 0),
    COL_S("region", 1, row_supplier, region),
    COL_D("capacity_tpy", 1, row_supplier, capacity_tpy, 0, MAX_TPY, 1, 0, "t/yr"),
    COL_D("price", 1, row_supplier, price, 0, MAX_PRICE, 1, 0, "per t, in 'currency'"),
    COL_E("currency", 0, row_supplier, currency, scn_currency_names, 0),
};
static const csv_col plant_cols[] = {
    COL_S("id", 1, row_plant, id),
    COL_S("region", 1, row_plant, region),
    COL_S("class", 1, row_plant, cls),
    COL_D("capacity_tpy", 1, row_plant, capacity_tpy, 0, MAX_TPY, 1, 0, "t/yr of baked anode"),
    COL_S("owner", 0, row_plant, owner),
    COL_S("enterprise", 0, row_plant, enterprise),
    COL_T("start", row_plant, start),
    COL_T("end", row_plant, end),
};
static const csv_col smelter_cols[] = {
    COL_S("id", 1, row_smelter, id),
    COL_S("region", 1, row_smelter, region),
    COL_D("al_tpy", 1, row_smelter, al_tpy, 0, MAX_TPY, 0, 0, "t/yr of primary aluminium"),
    COL_D("captive_share", 0, row_smelter, captive_share, 0, 1, 0, 0, "share of anode orders"),
    COL_D("growth_per_year", 0, row_smelter, growth, -0.9, 10, 0, 0, "1/yr"),
    COL_E("shortage_policy", 0, row_smelter, policy, shortage_policy_names, -1),
    COL_E("technology", 0, row_smelter, technology, technology_names, 0),
    COL_D("anode_per_t", 0, row_smelter, anode_per_t, 0, 1, 1, -1, "t/t (empty: smelter.anode_per_t_al)"),
    COL_D("safety_days", 0, row_smelter, safety_days, 0, 365, 0, 0, "d"),
};
static const csv_col region_cols[] = {
    COL_S("region", 1, row_region, region),
    COL_E("kind", 1, row_region, kind, scn_region_kind_names, 0),
    COL_S("iai_region", 0, row_region, group),
    COL_D("lat", 0, row_region, lat, -90, 90, 0, 0, "degrees"),
    COL_D("lon", 0, row_region, lon, -180, 180, 0, 0, "degrees"),
};
static const csv_col port_cols[] = {
    COL_S("id", 1, row_port, id),
    COL_S("region", 1, row_port, region),
};
static const csv_col market_cols[] = {
    COL_S("id", 1, row_market, id),
    COL_S("region", 1, row_market, region),
    COL_D("demand_tpy", 1, row_market, demand_tpy, 0, MAX_TPY, 0, 0, "t/yr of anode"),
    COL_D("growth_per_year", 0, row_market, growth, -0.9, 10, 0, 0, "1/yr"),
    COL_D("price_elasticity", 0, row_market, elasticity, -HUGE_VAL, HUGE_VAL, 0, 0, "1 (<= 0)"),
};
static const csv_col owner_cols[] = {
    COL_S("id", 1, row_owner, id),
    COL_E("kind", 1, row_owner, kind, scn_owner_kind_names, 0),
};
static const csv_col hist_cols[] = {
    COL_S("month", 1, row_hist, month),
    COL_S("item", 1, row_hist, item),
    COL_D("price", 1, row_hist, price, 0, MAX_PRICE, 1, 0, "per t (energy per GJ; usd_cny: CNY per USD)"),
};
static const csv_col link_cols[] = {
    COL_S("from", 1, row_link, from),
    COL_S("to", 1, row_link, to),
    COL_E("mode", 1, row_link, mode, scn_mode_names, 0),
    COL_D("distance_km", 1, row_link, distance_km, 0, 40000, 1, 0, "km"),
    COL_D("lead_days", 0, row_link, lead_days, 0, 365, 0, -1, "d (empty: distance / speed)"),
    COL_D("lead_cv", 0, row_link, lead_cv, 0, 3, 0, -1, "coefficient of variation (empty: transport.default_cv)"),
    COL_D("capacity_tpd", 0, row_link, capacity_tpd, 0, HUGE_VAL, 1, HUGE_VAL, "t/d (empty: unlimited)"),
    COL_D("cost_per_t", 0, row_link, cost_per_t, 0, MAX_PRICE, 0, -1, "per t in cost_currency (empty: from the mode's rate)"),
    COL_E("cost_currency", 0, row_link, cost_currency, scn_currency_names, 0),
};
#define NCOLS(a) ((int)(sizeof a / sizeof a[0]))

typedef struct {
    csv_table tab;
    void *rows;
    const csv_col *cols;
    int ncols;
    size_t size;
} loaded_table;

static int load_table(const char *yaml_path, const char *rel, const csv_col *cols, int ncols,
                      size_t size, loaded_table *lt)
{
    memset(lt, 0, sizeof *lt);
    lt->cols = cols;
    lt->ncols = ncols;
    lt->size = size;
    char *path = scn_path_join(yaml_path, rel);
    if (!path)
        return sim_err_set(SIM_ENOMEM, "out of memory");
    int rc = csv_read(path, &lt->tab);
    free(path);
    if (rc == SIM_EIO)
        rc = SIM_EINPUT;   /* a table the scenario names but that is missing is bad input */
    if (rc == SIM_OK)
        rc = csv_parse(&lt->tab, cols, ncols, size, &lt->rows);
    return rc;
}

static void free_table(loaded_table *lt)
{
    csv_free_rows(lt->rows, lt->tab.nrows, lt->size, lt->cols, lt->ncols);
    csv_free(&lt->tab);
}

/* Register a node; ids are unique across all tables. */
static int add_node(scenario *s, const loaded_table *lt, int row, const char *id,
                    const char *region, scn_node_kind kind, int index)
{
    int line = lt->tab.line[row];
    int prev = scn_find_node(s, id);
    if (prev >= 0)
        return sim_err_set(SIM_EINPUT, "%s:%d: column 'id': duplicate id '%s' (already used at %s:%d; expected unique ids)",
                           lt->tab.path, line, id, s->nodes[prev].file, s->nodes[prev].line);
    int reg = s->region_table ? find_region(s, region) : region_index(s, region);
    if (reg < 0 && s->region_table)
        return sim_err_set(SIM_EINPUT, "%s:%d: column 'region': '%s' is not in the regions table %s (expected a region, "
                                       "province or country listed there)",
                           lt->tab.path, line, region, s->region_table_path);
    if (reg < 0)
        return sim_err_set(SIM_ENOMEM, "out of memory");
    int slot = hash_slot(s, id);
    s->node_hash[slot] = s->nnodes;
    scn_node *n = &s->nodes[s->nnodes++];
    n->id = strdup(id);
    n->kind = kind;
    n->region = reg;
    n->index = index;
    /* table order: suppliers, plants, smelters, ports, markets */
    n->file = s->table_paths[kind <= NODE_PITCH ? 0 : (int)kind - 1]; /* owned by s */
    n->line = line;
    return n->id ? SIM_OK : SIM_ENOMEM;
}

/* ==== top level ======================================================== */

static int horizon(scenario *s, const raw_scenario *raw)
{
    int d;
    const char *start = raw->run && raw->run->start ? raw->run->start : "2024-01-01";
    const char *end = raw->run && raw->run->end ? raw->run->end : "2032-12-31";
    if (csv_parse_date(start, &d) != 0)
        return sim_err_set(SIM_EINPUT, "%s:%d: field 'run.start': '%s' is not a date (expected YYYY-MM-DD)",
                           s->path, yaml_line(s->text, "run", "start"), start);
    s->start_date = d;
    if (csv_parse_date(end, &d) != 0)
        return sim_err_set(SIM_EINPUT, "%s:%d: field 'run.end': '%s' is not a date (expected YYYY-MM-DD)",
                           s->path, yaml_line(s->text, "run", "end"), end);
    s->end_date = d;
    return SIM_OK;
}

static int check_horizon(scenario *s)
{
    if (s->end_date < s->start_date)
        return sim_err_set(SIM_EINPUT, "%s:%d: field 'run.end' lies before run.start (expected an end on or after the start)",
                           s->path, yaml_line(s->text, "run", "end"));
    int y0, m0, d0, y1, m1, d1;
    csv_civil_from_days(s->start_date, &y0, &m0, &d0);
    csv_civil_from_days(s->end_date, &y1, &m1, &d1);
    if (d0 != 1)
        return sim_err_set(SIM_EINPUT, "%s:%d: field 'run.start': the horizon must start on the first of a month",
                           s->path, yaml_line(s->text, "run", "start"));
    s->ndays = s->end_date - s->start_date + 1;
    s->start_year = y0;
    s->start_month = m0;
    s->nmonths = (y1 - y0) * 12 + (m1 - m0) + 1;
    s->nyears = y1 - y0 + 1;
    return SIM_OK;
}

static int cross_checks(scenario *s)
{
    const scn_smelter_params *sm = &s->smelter;
    const scn_plant_params *pl = &s->plant;
    if (sm->order_up_to_days <= sm->reorder_days)
        return sim_err_set(SIM_EINPUT, "%s:%d: field 'smelter.order_up_to_days': %g is not above reorder_days %g (expected order_up_to_days > reorder_days)",
                           s->path, yaml_line(s->text, "smelter", "order_up_to_days"), sm->order_up_to_days, sm->reorder_days);
    if (pl->raw_order_up_to_days <= pl->raw_reorder_days)
        return sim_err_set(SIM_EINPUT, "%s:%d: field 'plant.raw_order_up_to_days': %g is not above raw_reorder_days %g (expected raw_order_up_to_days > raw_reorder_days)",
                           s->path, yaml_line(s->text, "plant", "raw_order_up_to_days"), pl->raw_order_up_to_days, pl->raw_reorder_days);
    double sum = pl->recipe_cpc + pl->recipe_pitch + pl->recipe_butts;
    if (fabs(sum - 1.0) > 1e-6)
        return sim_err_set(SIM_EINPUT, "%s:%d: field 'plant.recipe_cpc': recipe shares cpc %g + pitch %g + butts %g sum to %g (expected 1)",
                           s->path, yaml_line(s->text, "plant", "recipe_cpc"), pl->recipe_cpc, pl->recipe_pitch, pl->recipe_butts, sum);
    if (pl->mtbf_days > 0 && !(pl->mttr_days > 0))
        return sim_err_set(SIM_EINPUT, "%s:%d: field 'plant.mttr_days': outages are on (mtbf_days %g) but mttr_days is %g (expected > 0)",
                           s->path, yaml_line(s->text, "plant", "mttr_days"), pl->mtbf_days, pl->mttr_days);
    return SIM_OK;
}

static int load_classes(scenario *s, const raw_scenario *raw)
{
    s->nclasses = (int)raw->classes_count;
    s->classes = calloc((size_t)s->nclasses, sizeof *s->classes);
    if (!s->classes)
        return sim_err_set(SIM_ENOMEM, "out of memory");
    int line = yaml_line(s->text, NULL, "classes");
    for (int i = 0; i < s->nclasses; i++) {
        const raw_class *rc = &raw->classes[i];
        scn_class *c = &s->classes[i];
        for (int j = 0; j < i; j++)
            if (strcmp(s->classes[j].name, rc->name) == 0)
                return sim_err_set(SIM_EINPUT, "%s:%d: field 'classes[%d].name': duplicate class '%s' (expected unique names)",
                                   s->path, line, i, rc->name);
        c->name = strdup(rc->name);
        if (!c->name)
            return SIM_ENOMEM;
        int cur = CUR_CNY;
        if (rc->conversion_currency && (cur = find_enum(scn_currency_names, rc->conversion_currency)) < 0)
            return sim_err_set(SIM_EINPUT, "%s:%d: field 'classes[%d].conversion_currency': '%s' is not allowed (expected CNY or USD)",
                               s->path, line, i, rc->conversion_currency);
        if (!(rc->energy_gj_per_t >= 0 && rc->energy_gj_per_t <= 100))
            return sim_err_set(SIM_EINPUT, "%s:%d: field 'classes[%d].energy_gj_per_t': %g is out of range (expected 0 to 100 GJ/t)",
                               s->path, line, i, rc->energy_gj_per_t);
        if (!(rc->conversion_per_t >= 0 && rc->conversion_per_t < 1e6))
            return sim_err_set(SIM_EINPUT, "%s:%d: field 'classes[%d].conversion_per_t': %g is out of range (expected a cost >= 0 per t)",
                               s->path, line, i, rc->conversion_per_t);
        if (!(rc->baking_loss >= 0 && rc->baking_loss < 0.5))
            return sim_err_set(SIM_EINPUT, "%s:%d: field 'classes[%d].baking_loss': %g is out of range (expected a share >= 0 and < 0.5)",
                               s->path, line, i, rc->baking_loss);
        c->energy_gj_per_t = rc->energy_gj_per_t;
        if (!(rc->fixed_per_year_t >= 0 && rc->fixed_per_year_t < 1e6))
            return sim_err_set(SIM_EINPUT, "%s:%d: field 'classes[%d].fixed_per_year_t': %g is out of range (expected a cost >= 0 a year per t of yearly capacity)",
                               s->path, line, i, rc->fixed_per_year_t);
        c->conversion_per_t = scn_to_reporting(s, rc->conversion_per_t, (scn_currency)cur);
        c->fixed_per_year_t = scn_to_reporting(s, rc->fixed_per_year_t, (scn_currency)cur);
        c->baking_loss = rc->baking_loss;
        c->high_efficiency = rc->high_efficiency;
        c->market_exit = rc->market_exit ? *rc->market_exit : 1;
    }
    return SIM_OK;
}

static int day_in_horizon(const scenario *s, int date)
{
    return date - s->start_date;
}

static int build_nodes(scenario *s, loaded_table *t)
{
    /* t: suppliers, plants, smelters, ports, markets */
    int total = 0;
    for (int k = 0; k < 5; k++)
        total += t[k].tab.nrows;
    s->nodes = calloc((size_t)total + 1, sizeof *s->nodes);
    s->hash_cap = 16;
    while (s->hash_cap < 2 * total + 2)
        s->hash_cap *= 2;
    s->node_hash = malloc((size_t)s->hash_cap * sizeof *s->node_hash);
    if (!s->node_hash)
        return sim_err_set(SIM_ENOMEM, "out of memory for %d nodes", total);
    for (int i = 0; i < s->hash_cap; i++)
        s->node_hash[i] = -1;
    s->suppliers = calloc((size_t)t[0].tab.nrows + 1, sizeof *s->suppliers);
    s->plants = calloc((size_t)t[1].tab.nrows + 1, sizeof *s->plants);
    s->smelters = calloc((size_t)t[2].tab.nrows + 1, sizeof *s->smelters);
    s->ports = calloc((size_t)t[3].tab.nrows + 1, sizeof *s->ports);
    s->markets = calloc((size_t)t[4].tab.nrows + 1, sizeof *s->markets);
    if (!s->nodes || !s->suppliers || !s->plants || !s->smelters || !s->ports || !s->markets)
        return sim_err_set(SIM_ENOMEM, "out of memory for %d nodes", total);

    const row_supplier *sup = t[0].rows;
    for (int i = 0; i < t[0].tab.nrows; i++) {
        scn_node_kind kind = sup[i].commodity == 0 ? NODE_COKE : NODE_PITCH;
        SIM_CHECK(add_node(s, &t[0], i, sup[i].id, sup[i].region, kind, i));
        s->suppliers[i] = (scn_supplier){ s->nnodes - 1, sup[i].commodity, sup[i].capacity_tpy,
                                          scn_to_reporting(s, sup[i].price, (scn_currency)sup[i].currency),
                                          sup[i].currency == CUR_USD && s->currency != CUR_USD };
    }
    s->nsuppliers = t[0].tab.nrows;
    const row_smelter *sm = t[2].rows;
    for (int i = 0; i < t[2].tab.nrows; i++) {
        SIM_CHECK(add_node(s, &t[2], i, sm[i].id, sm[i].region, NODE_SMELTER, i));
        int soderberg = sm[i].technology == 1;
        double per_t = soderberg ? 0.0 : sm[i].anode_per_t >= 0 ? sm[i].anode_per_t : s->smelter.anode_per_t_al;
        if (soderberg && sm[i].anode_per_t > 0)
            return sim_err_set(SIM_EINPUT, "%s:%d: column 'anode_per_t': smelter '%s' is Soderberg and uses no prebaked "
                                           "anodes (expected anode_per_t empty, or technology prebake)",
                               t[2].tab.path, t[2].tab.line[i], sm[i].id);
        if (soderberg && sm[i].captive_share > 0)
            return sim_err_set(SIM_EINPUT, "%s:%d: column 'captive_share': smelter '%s' is Soderberg and buys no prebaked "
                                           "anodes (expected captive_share 0, or technology prebake)",
                               t[2].tab.path, t[2].tab.line[i], sm[i].id);
        s->smelters[i] = (scn_smelter){ s->nnodes - 1, sm[i].al_tpy, per_t, soderberg, sm[i].safety_days, sm[i].captive_share,
                                        sm[i].growth, sm[i].policy < 0 ? s->alloc.backorder : sm[i].policy };
    }
    s->nsmelters = t[2].tab.nrows;
    const row_plant *pl = t[1].rows;
    for (int i = 0; i < t[1].tab.nrows; i++) {
        const char *path = t[1].tab.path;
        int line = t[1].tab.line[i];
        SIM_CHECK(add_node(s, &t[1], i, pl[i].id, pl[i].region, NODE_PLANT, i));
        scn_plant *p = &s->plants[i];
        p->node = s->nnodes - 1;
        p->capacity_tpy = pl[i].capacity_tpy;
        p->cls = -1;
        for (int c = 0; c < s->nclasses; c++)
            if (strcmp(s->classes[c].name, pl[i].cls) == 0)
                p->cls = c;
        if (p->cls < 0)
            return sim_err_set(SIM_EINPUT, "%s:%d: column 'class': '%s' is not a class of the scenario (expected one of the names under 'classes:' in %s)",
                               path, line, pl[i].cls, s->path);
        p->enterprise = s->nowners - 1;
        if (pl[i].enterprise && pl[i].enterprise[0]) {
            p->enterprise = -1;
            for (int o = 0; o < s->nowners; o++)
                if (strcmp(s->owners[o].id, pl[i].enterprise) == 0)
                    p->enterprise = o;
            if (p->enterprise < 0)
                return sim_err_set(SIM_EINPUT, "%s:%d: column 'enterprise': '%s' is not in the owners table (expected an id from tables.owners, or empty for 'other')",
                                   path, line, pl[i].enterprise);
        }
        p->owner = -1;
        if (pl[i].owner && pl[i].owner[0]) {
            int n = scn_find_node(s, pl[i].owner);
            if (n < 0 || s->nodes[n].kind != NODE_SMELTER)
                return sim_err_set(SIM_EINPUT, "%s:%d: column 'owner': '%s' is not a smelter id (expected an id from the smelters table, or empty for a merchant plant)",
                                   path, line, pl[i].owner);
            p->owner = s->nodes[n].index;
            if (s->smelters[p->owner].soderberg)
                return sim_err_set(SIM_EINPUT, "%s:%d: column 'owner': smelter '%s' is Soderberg and uses no prebaked anodes "
                                               "(expected a prebake smelter as the owner of an anode plant, or empty for a merchant plant)",
                                   path, line, pl[i].owner);
        }
        /* Dates outside the run are no error: a table shared by runs of
         * other horizons (a shortened test run, an announced project
         * after its end) opens a plant throughout, or never. */
        int first = -(int)s->run.warmup_days;
        p->start_day = pl[i].start == NO_DATE ? first : day_in_horizon(s, pl[i].start);
        p->end_day = pl[i].end == NO_DATE ? s->ndays + 1 : day_in_horizon(s, pl[i].end);
        if (p->start_day < first)
            p->start_day = first;
        if (pl[i].start != NO_DATE && pl[i].end != NO_DATE && pl[i].end <= pl[i].start)
            return sim_err_set(SIM_EINPUT, "%s:%d: column 'end': the plant closes before it opens (expected end after start)",
                               path, line);
    }
    s->nplants = t[1].tab.nrows;
    const row_port *po = t[3].rows;
    for (int i = 0; i < t[3].tab.nrows; i++) {
        SIM_CHECK(add_node(s, &t[3], i, po[i].id, po[i].region, NODE_PORT, i));
        s->ports[i] = s->nnodes - 1;
    }
    s->nports = t[3].tab.nrows;
    const row_market *mk = t[4].rows;
    for (int i = 0; i < t[4].tab.nrows; i++) {
        SIM_CHECK(add_node(s, &t[4], i, mk[i].id, mk[i].region, NODE_MARKET, i));
        if (mk[i].elasticity > 0)
            return sim_err_set(SIM_EINPUT, "%s:%d: column 'price_elasticity': %g has the wrong sign (expected a value <= 0: "
                                           "demand falls when the price rises)",
                               t[4].tab.path, t[4].tab.line[i], mk[i].elasticity);
        if (mk[i].elasticity < -20)
            return sim_err_set(SIM_EINPUT, "%s:%d: column 'price_elasticity': %g is out of range (expected -20 to 0)",
                               t[4].tab.path, t[4].tab.line[i], mk[i].elasticity);
        s->markets[i] = (scn_market){ s->nnodes - 1, mk[i].demand_tpy, mk[i].growth, mk[i].elasticity };
    }
    s->nmarkets = t[4].tab.nrows;
    /* Every smelter's captive share needs a plant it owns (marked in one
     * pass over the plants: a search per smelter is quadratic). */
    unsigned char *owns = calloc((size_t)s->nsmelters + 1, 1);
    if (!owns)
        return sim_err_set(SIM_ENOMEM, "out of memory checking plant owners");
    for (int p = 0; p < s->nplants; p++)
        if (s->plants[p].owner >= 0)
            owns[s->plants[p].owner] = 1;
    for (int i = 0; i < s->nsmelters; i++) {
        if (s->smelters[i].captive_share <= 0 || owns[i])
            continue;
        free(owns);
        return sim_err_set(SIM_EINPUT, "%s:%d: column 'captive_share': smelter '%s' has captive share %g but owns no plant (expected a plant with owner=%s, or captive_share 0)",
                           t[2].tab.path, t[2].tab.line[i], s->nodes[s->smelters[i].node].id,
                           s->smelters[i].captive_share, s->nodes[s->smelters[i].node].id);
    }
    free(owns);
    return SIM_OK;
}

static double mode_rate(const scenario *s, scn_mode m, double *speed)
{
    const scn_transport_params *t = &s->transport;
    switch (m) {
    case MODE_RAIL: *speed = t->rail_km_per_day; return t->rail_per_tkm;
    case MODE_ROAD: *speed = t->road_km_per_day; return t->road_per_tkm;
    case MODE_RIVER: *speed = t->river_km_per_day; return t->river_per_tkm;
    default: *speed = t->sea_km_per_day; return t->sea_per_tkm;
    }
}

/* Links in table order; first_out/next_out chain each node's links so far
 * (duplicate check in time linear in the table). */
static int build_link_rows(scenario *s, const loaded_table *lt, int *first_out, int *next_out)
{
    const row_link *rows = lt->rows;
    for (int i = 0; i < s->nlinks; i++) {
        const row_link *r = &rows[i];
        int line = lt->tab.line[i];
        scn_link *l = &s->links[i];
        l->from = scn_find_node(s, r->from);
        l->to = scn_find_node(s, r->to);
        if (l->from < 0)
            return sim_err_set(SIM_EINPUT, "%s:%d: column 'from': unknown node '%s' (expected an id from the node tables)",
                               lt->tab.path, line, r->from);
        if (l->to < 0)
            return sim_err_set(SIM_EINPUT, "%s:%d: column 'to': unknown node '%s' (expected an id from the node tables)",
                               lt->tab.path, line, r->to);
        if (l->from == l->to)
            return sim_err_set(SIM_EINPUT, "%s:%d: column 'to': the link goes from '%s' to itself (expected two different nodes)",
                               lt->tab.path, line, r->from);
        for (int j = first_out[l->from]; j >= 0; j = next_out[j])   /* this node's earlier links */
            if (s->links[j].to == l->to && s->links[j].mode == (scn_mode)r->mode)
                return sim_err_set(SIM_EINPUT, "%s:%d: duplicate link %s -> %s by %s (first at line %d; expected one row per link and mode)",
                                   lt->tab.path, line, r->from, r->to, scn_mode_names[r->mode], s->links[j].line);
        if (r->mode == MODE_SEA && s->nodes[l->from].kind != NODE_PORT && s->nodes[l->to].kind != NODE_PORT)
            return sim_err_set(SIM_EINPUT, "%s:%d: column 'mode': sea link %s -> %s has no port at either end (expected a "
                                           "port id in 'from' or 'to': ships load and unload at ports)",
                               lt->tab.path, line, r->from, r->to);
        next_out[i] = first_out[l->from];
        first_out[l->from] = i;
        double speed;
        double rate = mode_rate(s, (scn_mode)r->mode, &speed);
        l->mode = (scn_mode)r->mode;
        l->distance_km = r->distance_km;
        l->lead_days = r->lead_days >= 0 ? r->lead_days
                                         : r->distance_km / speed + (r->mode == MODE_SEA ? s->transport.port_days : 0);
        l->lead_cv = r->lead_cv >= 0 ? r->lead_cv : s->transport.default_cv;
        l->capacity_tpd = r->capacity_tpd;
        l->cost_per_t = r->cost_per_t >= 0
                            ? scn_to_reporting(s, r->cost_per_t, (scn_currency)r->cost_currency)
                            : scn_to_reporting(s, rate * r->distance_km + s->transport.handling_per_t, CUR_CNY);
        l->line = line;
    }
    return SIM_OK;
}

static int build_links(scenario *s, const loaded_table *lt)
{
    s->nlinks = lt->tab.nrows;
    s->links = calloc((size_t)s->nlinks + 1, sizeof *s->links);
    int *first_out = malloc(((size_t)s->nnodes + 1) * sizeof *first_out);
    int *next_out = malloc(((size_t)s->nlinks + 1) * sizeof *next_out);
    int rc = s->links && first_out && next_out ? SIM_OK : sim_err_set(SIM_ENOMEM, "out of memory for %d links", s->nlinks);
    if (rc == SIM_OK) {
        for (int i = 0; i < s->nnodes; i++)
            first_out[i] = -1;
        rc = build_link_rows(s, lt, first_out, next_out);
    }
    free(first_out);
    free(next_out);
    return rc;
}

/* ==== events, curbs, inert anodes ====================================== */

static int event_date(scenario *s, int line, const char *list, int i, const char *field, const char *text, int *day)
{
    int d;
    if (csv_parse_date(text, &d) != 0)
        return sim_err_set(SIM_EINPUT, "%s:%d: field '%s[%d].%s': '%s' is not a date (expected YYYY-MM-DD)",
                           s->path, line, list, i, field, text);
    /* After the horizon is no error: a base scenario's events stay in a
     * shortened run of it, and never happen there. */
    if (d < s->start_date)
        return sim_err_set(SIM_EINPUT, "%s:%d: field '%s[%d].%s': %s lies before the horizon (expected a date from run.start on)",
                           s->path, line, list, i, field, text);
    *day = d - s->start_date;
    return SIM_OK;
}

/* A slowdown's lead-time factor and capacity; neither on a closure. */
static int slowdown_fields(const scenario *s, int line, int i, const raw_event *r, scn_event *e)
{
    e->lead_factor = r->lead_factor ? *r->lead_factor : 1.0;
    e->capacity_tpd = r->capacity_tpd ? *r->capacity_tpd : HUGE_VAL;
    if (e->kind == EVT_LINK_CLOSURE) {
        if (r->lead_factor || r->capacity_tpd)
            return sim_err_set(SIM_EINPUT, "%s:%d: field 'events[%d].%s': a link_closure takes no %s (expected kind link_slowdown to slow a link)",
                               s->path, line, i, r->lead_factor ? "lead_factor" : "capacity_tpd",
                               r->lead_factor ? "lead_factor" : "capacity_tpd");
        return SIM_OK;
    }
    if (!r->lead_factor && !r->capacity_tpd)
        return sim_err_set(SIM_EINPUT, "%s:%d: field 'events[%d]': a link_slowdown needs lead_factor, capacity_tpd or both",
                           s->path, line, i);
    if (!(e->lead_factor >= 1.0 && e->lead_factor <= 100.0))
        return sim_err_set(SIM_EINPUT, "%s:%d: field 'events[%d].lead_factor': %g is out of range (expected 1 to 100: lead times multiplied by it)",
                           s->path, line, i, e->lead_factor);
    if (!(e->capacity_tpd > 0) || (r->capacity_tpd && !isfinite(e->capacity_tpd)))
        return sim_err_set(SIM_EINPUT, "%s:%d: field 'events[%d].capacity_tpd': %g is out of range (expected a capacity > 0 in t/d; close the link with link_closure)",
                           s->path, line, i, e->capacity_tpd);
    return SIM_OK;
}

/* A smelter transfer: aluminium output moving from one smelter to
 * another (capacity relocated west), linearly over `days`. */
static int transfer_fields(const scenario *s, int line, int i, const raw_event *r, scn_event *e)
{
    const char *ends[2] = { r->from, r->to };
    int *idx[2] = { &e->from, &e->to };
    for (int k = 0; k < 2; k++) {
        int n = ends[k] ? scn_find_node(s, ends[k]) : -1;
        if (n < 0 || s->nodes[n].kind != NODE_SMELTER)
            return sim_err_set(SIM_EINPUT, "%s:%d: field 'transfers[%d].%s': '%s' is not a smelter id (expected an id from the smelters table)",
                               s->path, line, i, k ? "to" : "from", ends[k] ? ends[k] : "");
        *idx[k] = s->nodes[n].index;
    }
    if (e->from == e->to)
        return sim_err_set(SIM_EINPUT, "%s:%d: field 'transfers[%d].to': a transfer needs two different smelters", s->path,
                           line, i);
    e->al_tpy = r->al_tpy ? *r->al_tpy : -1;
    if (!(e->al_tpy > 0 && e->al_tpy <= s->smelters[e->from].al_tpy))
        return sim_err_set(SIM_EINPUT, "%s:%d: field 'transfers[%d].al_tpy': %g is out of range (expected more than 0 t/yr and at most smelter %s's %g t/yr)",
                           s->path, line, i, e->al_tpy, r->from, s->smelters[e->from].al_tpy);
    e->days = r->days ? *r->days : 365;
    if (!(e->days > 0 && e->days <= 3650))
        return sim_err_set(SIM_EINPUT, "%s:%d: field 'transfers[%d].days': a transfer needs days > 0 and at most 3650 (got %g)",
                           s->path, line, i, e->days);
    return SIM_OK;
}

/* The regions a duty's `from` or `to` names: a region, or every region of
 * an IAI region ("China": every province). */
static int region_set(const scenario *s, int line, int i, const char *field, const char *name, unsigned char **out)
{
    if (!name)
        return sim_err_set(SIM_EINPUT, "%s:%d: field 'events[%d].%s' is missing (expected a region, a country or an IAI "
                                       "region)", s->path, line, i, field);
    unsigned char *set = calloc((size_t)s->nregions + 1, 1);
    if (!set)
        return sim_err_set(SIM_ENOMEM, "out of memory");
    *out = set;
    int any = 0;
    for (int g = 0; g < s->nregions; g++)
        if (strcmp(s->regions[g], name) == 0 || strcmp(s->groups[s->region_group[g]], name) == 0)
            any = set[g] = 1;
    if (!any)
        return sim_err_set(SIM_EINPUT, "%s:%d: field 'events[%d].%s': unknown region '%s' (expected a region, a country or "
                                       "an IAI region of the tables)", s->path, line, i, field, name);
    return SIM_OK;
}

/* An event's end: `until` (a date after its start) or `days`; neither: it
 * lasts to the end of the run. */
static int event_end(scenario *s, int line, int i, const raw_event *r, scn_event *e)
{
    if (r->until && r->days)
        return sim_err_set(SIM_EINPUT, "%s:%d: field 'events[%d].days': give until or days, not both", s->path, line, i);
    if (r->until) {
        SIM_CHECK(event_date(s, line, "events", i, "until", r->until, &e->until_day));
        if (e->until_day <= e->day)
            return sim_err_set(SIM_EINPUT, "%s:%d: field 'events[%d].until': the event ends before it starts", s->path,
                               line, i);
    } else if (r->days) {
        if (!(*r->days > 0 && *r->days <= 36500))
            return sim_err_set(SIM_EINPUT, "%s:%d: field 'events[%d].days': %g is out of range (expected more than 0 "
                                           "and at most 36500)", s->path, line, i, *r->days);
        e->until_day = e->day + (int)ceil(*r->days);
    }
    return SIM_OK;
}

/* A curtailment: a smelter's output or a plant's capacity times `factor`
 * from its date to its end; a plant_close: a plant closed for good. */
static int curtail_fields(scenario *s, int line, int i, const raw_event *r, scn_event *e)
{
    int n = r->node ? scn_find_node(s, r->node) : -1;
    int plant_only = e->kind == EVT_PLANT_CLOSE;
    if (n < 0 || !(s->nodes[n].kind == NODE_PLANT || (!plant_only && s->nodes[n].kind == NODE_SMELTER)))
        return sim_err_set(SIM_EINPUT, "%s:%d: field 'events[%d].node': '%s' is not %s (expected an id from the %s)",
                           s->path, line, i, r->node ? r->node : "", plant_only ? "a plant id" : "a smelter or plant id",
                           plant_only ? "plants table" : "smelters or plants tables");
    e->node = n;
    if (plant_only) {
        /* For good from its date: the plant's end, as the table's end column. */
        scn_plant *p = &s->plants[s->nodes[n].index];
        p->end_day = e->day < p->end_day ? e->day : p->end_day;
    }
    if (plant_only)
        return r->factor || r->until || r->days
                   ? sim_err_set(SIM_EINPUT, "%s:%d: field 'events[%d]': a plant_close is for good and takes no factor, "
                                             "until or days (expected a curtailment for a spell)", s->path, line, i)
                   : SIM_OK;
    if (!r->factor || e->factor > 1)
        return sim_err_set(SIM_EINPUT, "%s:%d: field 'events[%d].factor': a curtailment needs the share of output or "
                                       "capacity kept, 0 to 1", s->path, line, i);
    return event_end(s, line, i, r, e);
}

static int duty_fields(scenario *s, int line, int i, const raw_event *r, scn_event *e)
{
    SIM_CHECK(region_set(s, line, i, "from", r->from, &e->from_set));
    SIM_CHECK(region_set(s, line, i, "to", r->to, &e->to_set));
    e->rate = r->rate ? *r->rate : 0.0;
    double usd = r->per_t_usd ? *r->per_t_usd : 0.0;
    if (!(e->rate >= 0 && e->rate <= 10))
        return sim_err_set(SIM_EINPUT, "%s:%d: field 'events[%d].rate': %g is out of range (expected an ad valorem share "
                                       "0 to 10)", s->path, line, i, e->rate);
    if (!(usd >= 0 && usd <= 1e5))
        return sim_err_set(SIM_EINPUT, "%s:%d: field 'events[%d].per_t_usd': %g is out of range (expected 0 to 100000 "
                                       "USD/t)", s->path, line, i, usd);
    if (!r->rate && !r->per_t_usd)
        return sim_err_set(SIM_EINPUT, "%s:%d: field 'events[%d]': a duty needs rate, per_t_usd or both", s->path, line,
                           i);
    e->per_t = scn_to_reporting(s, usd, CUR_USD);
    return event_end(s, line, i, r, e);
}

static int load_events(scenario *s, const raw_scenario *raw)
{
    int nev = (int)raw->events_count, ntr = (int)raw->transfers_count;
    s->nevents = nev + ntr;
    s->events = calloc((size_t)s->nevents + 1, sizeof *s->events);
    if (!s->events)
        return sim_err_set(SIM_ENOMEM, "out of memory");
    int tline = yaml_line(s->text, NULL, "transfers");
    for (int i = 0; i < ntr; i++) {
        scn_event *e = &s->events[nev + i];
        e->line = tline;
        e->region = -1;
        e->until_day = INT32_MAX;
        e->kind = EVT_SMELTER_TRANSFER;
        SIM_CHECK(event_date(s, tline, "transfers", i, "date", raw->transfers[i].date, &e->day));
        SIM_CHECK(transfer_fields(s, tline, i, &raw->transfers[i], e));
    }
    int line = yaml_line(s->text, NULL, "events");
    for (int i = 0; i < nev; i++) {
        const raw_event *r = &raw->events[i];
        scn_event *e = &s->events[i];
        e->line = line;
        e->region = -1;
        e->until_day = INT32_MAX;
        e->from = e->to = -1;
        int k = find_enum(scn_event_kind_names, r->kind);
        if (k < 0 || k == EVT_SMELTER_TRANSFER)
            return sim_err_set(SIM_EINPUT, "%s:%d: field 'events[%d].kind': '%s' is not allowed (expected price_shock, export_restriction, link_closure, link_slowdown, curtailment, duty or plant_close; smelter transfers go under transfers:)",
                               s->path, line, i, r->kind);
        e->kind = (scn_event_kind)k;
        SIM_CHECK(event_date(s, line, "events", i, "date", r->date, &e->day));
        e->factor = r->factor ? *r->factor : 1.0;
        if (!(e->factor >= 0 && e->factor <= 100))
            return sim_err_set(SIM_EINPUT, "%s:%d: field 'events[%d].factor': %g is out of range (expected 0 to 100)",
                               s->path, line, i, e->factor);
        switch (e->kind) {
        case EVT_PRICE_SHOCK:
            if (!r->item || (e->item = find_enum(scn_price_item_names, r->item)) < 0)
                return sim_err_set(SIM_EINPUT, "%s:%d: field 'events[%d].item': '%s' is not allowed (expected coke, pitch or energy)",
                                   s->path, line, i, r->item ? r->item : "");
            if (!(e->factor > 0))
                return sim_err_set(SIM_EINPUT, "%s:%d: field 'events[%d].factor': a price shock needs a factor > 0 (got %g)",
                                   s->path, line, i, e->factor);
            break;
        case EVT_EXPORT_RESTRICTION:
            if (!r->factor || e->factor > 1)
                return sim_err_set(SIM_EINPUT, "%s:%d: field 'events[%d].factor': an export restriction needs the share of export demand allowed, 0 to 1",
                                   s->path, line, i);
            if (r->region && (e->region = find_region(s, r->region)) < 0)
                return sim_err_set(SIM_EINPUT, "%s:%d: field 'events[%d].region': unknown region '%s' (expected a region of the markets table)",
                                   s->path, line, i, r->region);
            if (r->until) {
                SIM_CHECK(event_date(s, line, "events", i, "until", r->until, &e->until_day));
                if (e->until_day <= e->day)
                    return sim_err_set(SIM_EINPUT, "%s:%d: field 'events[%d].until': the restriction ends before it starts",
                                       s->path, line, i);
            }
            break;
        case EVT_LINK_CLOSURE:
        case EVT_LINK_SLOWDOWN:
            if (!r->from || (e->from = scn_find_node(s, r->from)) < 0)
                return sim_err_set(SIM_EINPUT, "%s:%d: field 'events[%d].from': unknown node '%s' (expected a node id)",
                                   s->path, line, i, r->from ? r->from : "");
            if (!r->to || (e->to = scn_find_node(s, r->to)) < 0)
                return sim_err_set(SIM_EINPUT, "%s:%d: field 'events[%d].to': unknown node '%s' (expected a node id)",
                                   s->path, line, i, r->to ? r->to : "");
            int have = 0;
            for (int l = 0; l < s->nlinks; l++)
                have |= s->links[l].from == e->from && s->links[l].to == e->to;
            if (!have)
                return sim_err_set(SIM_EINPUT, "%s:%d: field 'events[%d].to': there is no link %s -> %s to %s",
                                   s->path, line, i, r->from, r->to, e->kind == EVT_LINK_CLOSURE ? "close" : "slow down");
            e->days = r->days ? *r->days : 0;
            if (!(e->days > 0 && e->days <= 3650))
                return sim_err_set(SIM_EINPUT, "%s:%d: field 'events[%d].days': a %s needs days > 0 and at most 3650 (got %g)",
                                   s->path, line, i, e->kind == EVT_LINK_CLOSURE ? "closure" : "slowdown", e->days);
            SIM_CHECK(slowdown_fields(s, line, i, r, e));
            break;
        case EVT_CURTAILMENT:
        case EVT_PLANT_CLOSE:
            SIM_CHECK(curtail_fields(s, line, i, r, e));
            break;
        case EVT_DUTY:
            SIM_CHECK(duty_fields(s, line, i, r, e));
            break;
        default:
            break;
        }
    }
    return SIM_OK;
}

static int load_curbs(scenario *s, const raw_scenario *raw)
{
    s->ncurbs = (int)raw->curbs_count;
    s->curbs = calloc((size_t)s->ncurbs + 1, sizeof *s->curbs);
    if (!s->curbs)
        return sim_err_set(SIM_ENOMEM, "out of memory");
    int line = yaml_line(s->text, NULL, "curbs");
    for (int i = 0; i < s->ncurbs; i++) {
        const raw_curb *r = &raw->curbs[i];
        scn_curb *c = &s->curbs[i];
        c->region = calloc((size_t)s->nregions + 1, 1);
        if (!c->region)
            return sim_err_set(SIM_ENOMEM, "out of memory");
        for (unsigned j = 0; j < r->regions_count; j++) {
            int g = find_region(s, r->regions[j]);
            if (g < 0)
                return sim_err_set(SIM_EINPUT, "%s:%d: field 'curbs[%d].regions': unknown region '%s' (expected a region named in the tables)",
                                   s->path, line, i, r->regions[j]);
            c->region[g] = 1;
        }
        if (strcmp(r->applies_to, "plants") == 0)
            c->smelters = 0;
        else if (strcmp(r->applies_to, "smelters") == 0)
            c->smelters = 1;
        else
            return sim_err_set(SIM_EINPUT, "%s:%d: field 'curbs[%d].applies_to': '%s' is not allowed (expected plants or smelters)",
                               s->path, line, i, r->applies_to);
        for (unsigned j = 0; j < r->months_count; j++) {
            if (r->months[j] < 1 || r->months[j] > 12)
                return sim_err_set(SIM_EINPUT, "%s:%d: field 'curbs[%d].months': %d is not a month (expected 1 to 12)",
                                   s->path, line, i, r->months[j]);
            c->months |= 1u << (r->months[j] - 1);
        }
        if (!(r->factor >= 0 && r->factor <= 1))
            return sim_err_set(SIM_EINPUT, "%s:%d: field 'curbs[%d].factor': %g is out of range (expected 0 to 1, the share kept)",
                               s->path, line, i, r->factor);
        c->factor = r->factor;
    }
    return SIM_OK;
}

static int load_dist(scenario *s, int line, int i, const char *field, const raw_dist *r, scn_dist *d,
                     double lo, double hi)
{
    int k = find_enum(dist_names, r->dist);
    if (k < 0)
        return sim_err_set(SIM_EINPUT, "%s:%d: field 'inert_anodes[%d].%s.dist': '%s' is not allowed (expected fixed, uniform, triangular or normal)",
                           s->path, line, i, field, r->dist);
    d->kind = (scn_dist_kind)k;
    const char *need = NULL;
    switch (d->kind) {
    case DIST_FIXED:
        if (!r->value)
            need = "value";
        else
            d->a = *r->value;
        break;
    case DIST_UNIFORM:
    case DIST_TRIANGULAR:
        if (!r->min || !r->max || (d->kind == DIST_TRIANGULAR && !r->mode))
            need = d->kind == DIST_UNIFORM ? "min and max" : "min, max and mode";
        else {
            d->a = *r->min;
            d->b = *r->max;
            d->c = r->mode ? *r->mode : 0;
            if (d->b < d->a || (d->kind == DIST_TRIANGULAR && (d->c < d->a || d->c > d->b)))
                return sim_err_set(SIM_EINPUT, "%s:%d: field 'inert_anodes[%d].%s': expected min <= mode <= max",
                                   s->path, line, i, field);
        }
        break;
    case DIST_NORMAL:
        if (!r->mean || !r->sd)
            need = "mean and sd";
        else {
            d->a = *r->mean;
            d->b = *r->sd;
        }
        break;
    }
    if (need)
        return sim_err_set(SIM_EINPUT, "%s:%d: field 'inert_anodes[%d].%s': a %s distribution needs %s",
                           s->path, line, i, field, r->dist, need);
    /* The support (the mean for a normal) must lie in [lo, hi]. */
    double first = d->a, last = (d->kind == DIST_UNIFORM || d->kind == DIST_TRIANGULAR) ? d->b : d->a;
    if (!(first >= lo && last <= hi) || (d->kind == DIST_NORMAL && !(d->b >= 0)))
        return sim_err_set(SIM_EINPUT, "%s:%d: field 'inert_anodes[%d].%s': values out of range (expected %g to %g)",
                           s->path, line, i, field, lo, hi);
    return SIM_OK;
}

static int load_adoption(scenario *s, const raw_scenario *raw)
{
    s->nadoption = (int)raw->inert_count;
    s->adoption = calloc((size_t)s->nadoption + 1, sizeof *s->adoption);
    if (!s->adoption)
        return sim_err_set(SIM_ENOMEM, "out of memory");
    int line = yaml_line(s->text, NULL, "inert_anodes");
    for (int i = 0; i < s->nadoption; i++) {
        const raw_adoption *r = &raw->inert[i];
        scn_adoption *a = &s->adoption[i];
        a->group = -1;
        if (strcmp(r->region, "*") == 0)
            a->region = -1;
        else if ((a->region = find_region(s, r->region)) < 0) {
            if ((a->group = name_find(s->groups, s->ngroups, r->region)) < 0)
                return sim_err_set(SIM_EINPUT, "%s:%d: field 'inert_anodes[%d].region': unknown region '%s' (expected a region or an IAI region named in the tables, or *)",
                                   s->path, line, i, r->region);
            a->region = -2;
        }
        for (int j = 0; j < i; j++)
            if (s->adoption[j].region == a->region && s->adoption[j].group == a->group)
                return sim_err_set(SIM_EINPUT, "%s:%d: field 'inert_anodes[%d].region': '%s' is listed twice",
                                   s->path, line, i, r->region);
        SIM_CHECK(load_dist(s, line, i, "start_year", r->start_year, &a->start_year, 1900, 2200));
        SIM_CHECK(load_dist(s, line, i, "speed", r->speed, &a->speed, 0.0, 20.0));
        SIM_CHECK(load_dist(s, line, i, "ceiling", r->ceiling, &a->ceiling, 0.0, 1.0));
    }
    return SIM_OK;
}

double scn_dist_draw(const scn_dist *d, double u, double z)
{
    switch (d->kind) {
    case DIST_FIXED:
        return d->a;
    case DIST_UNIFORM:
        return d->a + (d->b - d->a) * u;
    case DIST_TRIANGULAR: {
        double w = d->b - d->a;
        if (w <= 0)
            return d->a;
        double f = (d->c - d->a) / w;
        return u < f ? d->a + sqrt(u * w * (d->c - d->a)) : d->b - sqrt((1 - u) * w * (d->b - d->c));
    }
    case DIST_NORMAL:
        return d->a + d->b * z;
    }
    return d->a;
}

static int group_index(scenario *s, const char *name)
{
    return name_index(&s->groups, &s->ngroups, name);
}

static int alloc_region_arrays(scenario *s, int n)
{
    s->region_kind = calloc((size_t)n + 1, sizeof *s->region_kind);
    s->region_group = calloc((size_t)n + 1, sizeof *s->region_group);
    return s->region_kind && s->region_group ? SIM_OK : sim_err_set(SIM_ENOMEM, "out of memory");
}

/* The regions (tables.regions): every province and country the node
 * tables may name, in the order results list them, each with its kind
 * and, for a country, the IAI region it reports in (provinces report in
 * "China" unless the table says otherwise). */
static int load_regions(scenario *s, const loaded_table *lt)
{
    int n = lt->tab.nrows;
    const row_region *r = lt->rows;
    SIM_CHECK(alloc_region_arrays(s, n));
    for (int i = 0; i < n; i++) {
        const char *path = lt->tab.path;
        int line = lt->tab.line[i];
        if (find_region(s, r[i].region) >= 0)
            return sim_err_set(SIM_EINPUT, "%s:%d: column 'region': duplicate region '%s' (expected one row per region)",
                               path, line, r[i].region);
        const char *group = r[i].group && r[i].group[0] ? r[i].group : NULL;
        if (!group && r[i].kind == REGION_WORLD)
            return sim_err_set(SIM_EINPUT, "%s:%d: column 'iai_region': country '%s' is in no region (expected the IAI "
                                           "region it reports in, e.g. GCC or North America)",
                               path, line, r[i].region);
        int g = region_index(s, r[i].region), k = group_index(s, group ? group : "China");
        if (g < 0 || k < 0)
            return sim_err_set(SIM_ENOMEM, "out of memory");
        s->region_kind[g] = r[i].kind;
        s->region_group[g] = k;
    }
    s->region_table = 1;
    return (s->region_table_path = strdup(lt->tab.path)) ? SIM_OK : sim_err_set(SIM_ENOMEM, "out of memory");
}

/* Without tables.regions: a region with plants, smelters or ports is a
 * province, one with only export markets or suppliers abroad a world
 * region, in an IAI region of its own name. */
static int infer_regions(scenario *s)
{
    if (s->region_table)
        return SIM_OK;
    SIM_CHECK(alloc_region_arrays(s, s->nregions));
    for (int g = 0; g < s->nregions; g++)
        s->region_kind[g] = REGION_WORLD;
    for (int i = 0; i < s->nnodes; i++) {
        scn_node_kind k = s->nodes[i].kind;
        if (k == NODE_PLANT || k == NODE_SMELTER || k == NODE_PORT)
            s->region_kind[s->nodes[i].region] = REGION_PROVINCE;
    }
    for (int g = 0; g < s->nregions; g++)
        if ((s->region_group[g] = group_index(s, s->region_kind[g] == REGION_PROVINCE ? "China" : s->regions[g])) < 0)
            return sim_err_set(SIM_ENOMEM, "out of memory");
    return SIM_OK;
}

/* The owners (tables.owners, read; empty when not given), then "other",
 * the owner of every plant that names none. */
static int load_owners(scenario *s, const loaded_table *lt)
{
    int n = lt->tab.nrows;
    const row_owner *o = lt->rows;
    s->owners = calloc((size_t)n + 1, sizeof *s->owners);
    if (!s->owners)
        return sim_err_set(SIM_ENOMEM, "out of memory");
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < i; j++)
            if (strcmp(o[j].id, o[i].id) == 0)
                return sim_err_set(SIM_EINPUT, "%s:%d: column 'id': duplicate owner '%s' (expected unique ids)",
                                   lt->tab.path, lt->tab.line[i], o[i].id);
        if (strcmp(o[i].id, "other") == 0 || o[i].kind == OWNER_OTHER)
            return sim_err_set(SIM_EINPUT, "%s:%d: column 'id': '%s' of kind %s: 'other' is every plant that names no "
                                           "owner (expected a named merchant or smelter_group)",
                               lt->tab.path, lt->tab.line[i], o[i].id, scn_owner_kind_names[o[i].kind]);
        if (!(s->owners[s->nowners].id = strdup(o[i].id)))
            return sim_err_set(SIM_ENOMEM, "out of memory");
        s->owners[s->nowners++].kind = (scn_owner_kind)o[i].kind;
    }
    if (!(s->owners[s->nowners].id = strdup("other")))
        return sim_err_set(SIM_ENOMEM, "out of memory");
    s->owners[s->nowners++].kind = OWNER_OTHER;
    return SIM_OK;
}

/* The recorded prices (tables.price_history): rows "YYYY-MM,item,price".
 * Within an item months ascend; the exchange rate, a path, has no gap
 * (coke, pitch and energy are observations the model interpolates).
 * Rows outside the run are kept: a shorter run of a scenario uses the
 * part of its history that falls inside it. */
static int load_history(scenario *s, const loaded_table *lt)
{
    const row_hist *h = lt->rows;
    int n = lt->tab.nrows, rc = SIM_OK;
    s->hist = calloc((size_t)n + 1, sizeof *s->hist);
    if (!s->hist)
        return sim_err_set(SIM_ENOMEM, "out of memory");
    int last[HIST_N], lastline[HIST_N];
    for (int k = 0; k < HIST_N; k++)
        last[k] = -1, lastline[k] = 0;
    for (int i = 0; rc == SIM_OK && i < n; i++) {
        int line = lt->tab.line[i], y, mo;
        char tail;
        if (sscanf(h[i].month, "%4d-%2d%c", &y, &mo, &tail) != 2 || strlen(h[i].month) != 7 || mo < 1 || mo > 12 ||
            y < 1900 || y > 2999) {
            rc = sim_err_set(SIM_EINPUT, "%s:%d: column 'month': '%s' is not a month (expected YYYY-MM)", lt->tab.path,
                             line, h[i].month);
            break;
        }
        int item = find_enum(scn_history_item_names, h[i].item);
        if (item < 0) {
            rc = sim_err_set(SIM_EINPUT, "%s:%d: column 'item': '%s' is not allowed (expected one of: coke, pitch, energy, usd_cny)",
                             lt->tab.path, line, h[i].item);
            break;
        }
        int month = y * 12 + mo - 1;
        if (last[item] >= 0 && month <= last[item]) {
            rc = sim_err_set(SIM_EINPUT, "%s:%d: column 'month': %s is out of order (expected months ascending within "
                                         "item '%s'; line %d has %04d-%02d)",
                             lt->tab.path, line, h[i].month, h[i].item, lastline[item], last[item] / 12, last[item] % 12 + 1);
            break;
        }
        if (item == HIST_FX && last[item] >= 0 && month != last[item] + 1) {
            rc = sim_err_set(SIM_EINPUT, "%s:%d: column 'month': the usd_cny path has a gap before %s (expected every "
                                         "month after line %d's %04d-%02d: an exchange-rate path gives each month)",
                             lt->tab.path, line, h[i].month, lastline[item], last[item] / 12, last[item] % 12 + 1);
            break;
        }
        last[item] = month;
        lastline[item] = line;
        s->hist[s->nhist++] = (scn_price_obs){ item, month, h[i].price };
    }
    if (rc != SIM_OK)
        return rc;
    /* Item by item (stable: months stay ascending). */
    for (int i = 1; i < s->nhist; i++) {
        scn_price_obs o = s->hist[i];
        int j = i - 1;
        for (; j >= 0 && s->hist[j].item > o.item; j--)
            s->hist[j + 1] = s->hist[j];
        s->hist[j + 1] = o;
    }
    return SIM_OK;
}

/* Read table `key` of `tables:` (its file relative to the scenario file
 * `yaml`), refusing one outside the scenario's folder, and fingerprint
 * it.  An optional table not given reads as empty. */
static int read_table(scenario *s, const char *yaml, const char *key, const char *file, const csv_col *cols,
                      int ncols, size_t size, loaded_table *lt)
{
    memset(lt, 0, sizeof *lt);
    lt->cols = cols;
    lt->ncols = ncols;
    lt->size = size;
    if (!file)
        return SIM_OK;
    if (!table_inside(file))
        return sim_err_set(SIM_EINPUT, "%s:%d: field 'tables.%s': '%s' lies outside the scenario's folder (tables "
                                       "go in the folder of the scenario file that names them, or below; give "
                                       "--inputs-anywhere to allow)",
                           yaml, yaml_line(s->text, "tables", key), key, file);
    SIM_CHECK(load_table(yaml, file, cols, ncols, size, lt));
    char what[48];
    snprintf(what, sizeof what, "table %s", key);
    return add_input(s, what, file, lt->tab.hash);
}

static int load_all(const char *path, const char *tables_from, const scn_override *ov, int nov, scenario *s,
                    raw_scenario *raw, loaded_table *t)
{
    const raw_tables *tb = raw->tables;
    if (raw->name)
        s->name = strdup(raw->name);
    s->description = strdup(raw->description ? raw->description : "");
    unsigned long long seed = 1, reps = 10;
    if (raw->run && raw->run->seed && scn_parse_whole(raw->run->seed, 0, ULLONG_MAX, &seed) != 0)
        return sim_err_set(SIM_EINPUT, "%s:%d: field 'run.seed': '%s' is not allowed (expected a whole number from 0 "
                                       "to 18446744073709551615)",
                           path, yaml_line(s->text, "run", "seed"), raw->run->seed);
    if (raw->run && raw->run->replications && scn_parse_whole(raw->run->replications, 1, 100000000, &reps) != 0)
        return sim_err_set(SIM_EINPUT, "%s:%d: field 'run.replications': '%s' is not allowed (expected a whole number "
                                       "from 1 to 100000000)",
                           path, yaml_line(s->text, "run", "replications"), raw->run->replications);
    s->seed = seed;
    s->replications = (long)reps;
    s->currency = CUR_CNY;
    s->usd_cny = 7.19;
    if (raw->currency && raw->currency->reporting) {
        int c = find_enum(scn_currency_names, raw->currency->reporting);
        if (c < 0)
            return sim_err_set(SIM_EINPUT, "%s:%d: field 'currency.reporting': '%s' is not allowed (expected CNY or USD)",
                               path, yaml_line(s->text, "currency", "reporting"), raw->currency->reporting);
        s->currency = (scn_currency)c;
    }
    if (raw->currency && raw->currency->usd_cny) {
        s->usd_cny = *raw->currency->usd_cny;
        if (!(s->usd_cny > 0 && s->usd_cny < 1e4))
            return sim_err_set(SIM_EINPUT, "%s:%d: field 'currency.usd_cny': %g is out of range (expected a rate > 0, CNY per USD)",
                               path, yaml_line(s->text, "currency", "usd_cny"), s->usd_cny);
    }
    SIM_CHECK(resolve_params(raw, s));
    SIM_CHECK(resolve_alloc(raw, s));
    SIM_CHECK(horizon(s, raw));
    for (int i = 0; i < nov; i++)
        SIM_CHECK(apply_override(s, &ov[i]));
    SIM_CHECK(check_horizon(s));
    SIM_CHECK(cross_checks(s));
    SIM_CHECK(load_classes(s, raw));

    if (!tb)
        return sim_err_set(SIM_EINPUT, "%s: key 'tables' is missing (expected the CSV tables, here or in a base scenario)", path);
    if (!raw->classes_count)
        return sim_err_set(SIM_EINPUT, "%s: key 'classes' is missing (expected at least one efficiency class, here or in a base scenario)", path);
    const char *files[6] = { tb->suppliers, tb->plants, tb->smelters, tb->ports, tb->markets, tb->links };
    const csv_col *cols[6] = { supplier_cols, plant_cols, smelter_cols, port_cols, market_cols, link_cols };
    const int ncols[6] = { NCOLS(supplier_cols), NCOLS(plant_cols), NCOLS(smelter_cols),
                           NCOLS(port_cols), NCOLS(market_cols), NCOLS(link_cols) };
    const size_t sizes[6] = { sizeof(row_supplier), sizeof(row_plant), sizeof(row_smelter),
                              sizeof(row_port), sizeof(row_market), sizeof(row_link) };
    const char *from = tables_from ? tables_from : path;
    static const char *keys[6] = { "suppliers", "plants", "smelters", "ports", "markets", "links" };
    for (int k = 0; k < 6; k++) {
        SIM_CHECK(read_table(s, from, keys[k], files[k], cols[k], ncols[k], sizes[k], &t[k]));
        if (files[k] && !(s->table_paths[k] = strdup(t[k].tab.path)))
            return sim_err_set(SIM_ENOMEM, "out of memory");
    }
    loaded_table extra;   /* owners and regions first: plants name them */
    int rc = read_table(s, from, "owners", tb->owners, owner_cols, NCOLS(owner_cols), sizeof(row_owner), &extra);
    if (rc == SIM_OK)
        rc = load_owners(s, &extra);
    free_table(&extra);
    SIM_CHECK(rc);
    if (tb->regions) {
        rc = read_table(s, from, "regions", tb->regions, region_cols, NCOLS(region_cols), sizeof(row_region), &extra);
        if (rc == SIM_OK)
            rc = load_regions(s, &extra);
        free_table(&extra);
        SIM_CHECK(rc);
    }
    SIM_CHECK(build_nodes(s, t));
    SIM_CHECK(infer_regions(s));
    SIM_CHECK(build_links(s, &t[5]));
    rc = read_table(s, from, "price_history", tb->price_history, hist_cols, NCOLS(hist_cols), sizeof(row_hist), &extra);
    if (rc == SIM_OK)
        rc = load_history(s, &extra);
    free_table(&extra);
    SIM_CHECK(rc);
    SIM_CHECK(load_events(s, raw));
    SIM_CHECK(load_curbs(s, raw));
    return load_adoption(s, raw);
}

/* ==== base scenarios ===================================================== */

/* A scenario may name a `base:` scenario (relative to itself); every key it
 * leaves out comes from the base, section by section and key by key, and
 * lists (classes, events, curbs, inert_anodes) and tables whole. */
#define MAX_CHAIN 4

typedef struct {
    raw_scenario top;
    raw_run run;
    raw_currency currency;
    raw_tables tables;
    raw_smelter smelter;
    raw_plant plant;
    raw_transport transport;
    raw_export exports;
    raw_price prices;
    raw_alloc alloc;
} merged_raw;

/* Field by field: every member of these sections is a pointer. */
static void *merge_section(void *dst, const void *child, const void *base, size_t size)
{
    if (!child && !base)
        return NULL;
    void **d = dst;
    void *const *c = child, *const *b = base;
    for (size_t i = 0; i < size / sizeof(void *); i++)
        d[i] = c && c[i] ? c[i] : b ? b[i] : NULL;
    return dst;
}

static void merge(merged_raw *m, const raw_scenario *c, const raw_scenario *b)
{
    raw_scenario *t = &m->top;
    raw_scenario child = *c;   /* c may be m->top itself */
    *t = child;
    t->description = child.description ? child.description : b->description;
    t->run = merge_section(&m->run, child.run, b->run, sizeof m->run);
    t->currency = merge_section(&m->currency, child.currency, b->currency, sizeof m->currency);
    t->tables = child.tables ? child.tables : b->tables;
    t->smelter = merge_section(&m->smelter, child.smelter, b->smelter, sizeof m->smelter);
    t->plant = merge_section(&m->plant, child.plant, b->plant, sizeof m->plant);
    t->transport = merge_section(&m->transport, child.transport, b->transport, sizeof m->transport);
    t->exports = merge_section(&m->exports, child.exports, b->exports, sizeof m->exports);
    t->prices = merge_section(&m->prices, child.prices, b->prices, sizeof m->prices);
    t->alloc = merge_section(&m->alloc, child.alloc, b->alloc, sizeof m->alloc);
#define LIST(f, n) if (!child.n) { t->f = b->f; t->n = b->n; }
    LIST(classes, classes_count)
    LIST(events, events_count)
    LIST(transfers, transfers_count)
    LIST(curbs, curbs_count)
    LIST(inert, inert_count)
#undef LIST
}

static char *append_text(char *text, const char *path, const char *more)
{
    size_t a = strlen(text), b = strlen(more), c = strlen(path);
    char *out = realloc(text, a + b + c + 64);
    if (out)
        sprintf(out + a, "\n# ---- base scenario %s ----\n%s", path, more);
    return out;
}

int scn_load(const char *path, const scn_override *ov, int nov, scenario *s)
{
    memset(s, 0, sizeof *s);
    s->path = strdup(path);
    s->text = read_text(path, "scenario file");
    if (!s->path || !s->text) {
        int rc = s->path ? SIM_EINPUT : sim_err_set(SIM_ENOMEM, "out of memory");
        scn_free(s);
        return rc;
    }
    const char *slash = strrchr(path, '/');   /* (named without its folder: resume may run from elsewhere) */
    if (add_input(s, "scenario", slash ? slash + 1 : path, csv_hash(s->text, strlen(s->text))) != SIM_OK) {
        scn_free(s);
        return SIM_ENOMEM;
    }
    yaml_log sink = { .len = 0 };
    cyaml_config_t cfg = {
        .log_fn = yaml_log_fn, .log_ctx = &sink, .mem_fn = cyaml_mem,
        /* No aliases: a scenario needs none, and nested ones expand to
         * gigabytes from a few lines. */
        .log_level = CYAML_LOG_ERROR, .flags = CYAML_CFG_DEFAULT | CYAML_CFG_NO_ALIAS,
    };
    raw_scenario *chain[MAX_CHAIN] = { 0 };
    char *paths[MAX_CHAIN] = { 0 };
    int n = 0, rc = SIM_OK;
    paths[0] = strdup(path);
    while (rc == SIM_OK) {
        sink.len = 0;
        sink.buf[0] = '\0';
        /* The text read once, as a regular file (never a FIFO or device),
         * and parsed from memory. */
        char *more = n == 0 ? s->text : read_text(paths[n], "base scenario");
        if (!more) {
            rc = access(paths[n], R_OK) == 0
                     ? SIM_EINPUT
                     : sim_err_set(SIM_EINPUT, "%s:%d: field 'base': cannot read the base scenario %s",
                                   paths[n - 1], yaml_line(s->text, NULL, "base"), paths[n]);
            break;
        }
        cyaml_err_t err = cyaml_load_data((const uint8_t *)more, strlen(more), &cfg, &top_schema,
                                          (cyaml_data_t **)&chain[n], NULL);
        if (err != CYAML_OK) {
            if (n > 0)
                free(more);
            rc = yaml_log_error(paths[n], err, &sink);
            break;
        }
        if (!chain[n]) {    /* an empty document loads as nothing */
            if (n > 0)
                free(more);
            rc = sim_err_set(SIM_EINPUT, "%s:1: the scenario file is empty (expected a YAML mapping with name, tables, classes...)",
                             paths[n]);
            break;
        }
        if (n > 0) {
            /* Named as written in the file, not as resolved, so that the
             * text does not depend on where anodesim was run from. */
            char *t = append_text(s->text, chain[n - 1]->base, more);
            if (t)
                s->text = t;   /* (realloc'd: the old pointer is gone) */
            rc = t ? add_input(s, "base", chain[n - 1]->base, csv_hash(more, strlen(more)))
                   : sim_err_set(SIM_ENOMEM, "out of memory");
            free(more);
            if (rc != SIM_OK)
                break;
        }
        const char *base = chain[n]->base;
        n++;
        if (!base)
            break;
        if (n == MAX_CHAIN) {
            rc = sim_err_set(SIM_EINPUT, "%s: base scenarios nest more than %d deep (expected a short chain, no loops)",
                             path, MAX_CHAIN - 1);
            break;
        }
        paths[n] = scn_path_join(paths[n - 1], base);
    }
    merged_raw m;
    memset(&m, 0, sizeof m);
    const char *tables_from = NULL;
    if (rc == SIM_OK) {
        m.top = *chain[0];
        merge(&m, chain[0], chain[0]);      /* copies sections into m */
        tables_from = chain[0]->tables ? paths[0] : NULL;
        for (int i = 1; i < n; i++) {
            if (!m.top.tables && chain[i]->tables)
                tables_from = paths[i];
            merge(&m, &m.top, chain[i]);
        }
    }
    loaded_table t[6];
    memset(t, 0, sizeof t);
    if (rc == SIM_OK)
        rc = load_all(path, tables_from, ov, nov, s, &m.top, t);
    for (int k = 0; k < 6; k++)
        free_table(&t[k]);
    for (int i = 0; i < MAX_CHAIN; i++) {
        if (chain[i])
            cyaml_free(&cfg, &top_schema, chain[i], 0);
        free(paths[i]);
    }
    if (rc != SIM_OK)
        scn_free(s);
    return rc;
}

void scn_free(scenario *s)
{
    free(s->path);
    free(s->text);
    free(s->inputs);
    free(s->name);
    free(s->description);
    for (int i = 0; i < s->nregions; i++)
        free(s->regions[i]);
    free(s->regions);
    free(s->region_kind);
    free(s->region_group);
    for (int i = 0; i < s->ngroups; i++)
        free(s->groups[i]);
    free(s->groups);
    free(s->region_table_path);
    for (int i = 0; i < s->nclasses; i++)
        free(s->classes[i].name);
    free(s->classes);
    for (int i = 0; i < s->nnodes; i++)
        free(s->nodes[i].id);
    free(s->nodes);
    free(s->node_hash);
    free(s->suppliers);
    free(s->plants);
    free(s->smelters);
    free(s->ports);
    free(s->markets);
    free(s->links);
    for (int k = 0; k < 6; k++)
        free(s->table_paths[k]);
    free(s->hist);
    for (int i = 0; i < s->nowners; i++)
        free(s->owners[i].id);
    free(s->owners);
    for (int i = 0; i < s->nevents; i++) {
        free(s->events[i].from_set);
        free(s->events[i].to_set);
    }
    free(s->events);
    for (int i = 0; i < s->ncurbs; i++)
        free(s->curbs[i].region);
    free(s->curbs);
    free(s->adoption);
    memset(s, 0, sizeof *s);
}

int scn_get_param(const scenario *s, const char *key, double *out)
{
    const char *dot = strchr(key, '.');
    char section[64];
    if (!dot || (size_t)(dot - key) >= sizeof section)
        return SIM_ENOTFOUND;
    memcpy(section, key, (size_t)(dot - key));
    section[dot - key] = '\0';
    const param_decl *p = find_param(section, dot + 1);
    if (!p)
        return SIM_ENOTFOUND;
    *out = *(const double *)((const char *)s + p->res_off);
    return SIM_OK;
}

char *scn_params_json(const scenario *s)
{
    size_t cap = 8192;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    size_t n = 0;
#define EMIT(...) do { int w_ = snprintf(out + n, cap - n, __VA_ARGS__); \
        if (w_ < 0 || (size_t)w_ >= cap - n) { free(out); return NULL; } n += (size_t)w_; } while (0)
    int y, m, d, y2, m2, d2;
    csv_civil_from_days(s->start_date, &y, &m, &d);
    csv_civil_from_days(s->end_date, &y2, &m2, &d2);
    EMIT("{\"run\": {\"seed\": %llu, \"replications\": %ld, \"start\": \"%04d-%02d-%02d\", \"end\": \"%04d-%02d-%02d\"",
         (unsigned long long)s->seed, s->replications, y, m, d, y2, m2, d2);
    const char *sec = "run";
    for (int i = 0; i < NPARAMS; i++) {
        const param_decl *p = &params[i];
        if (strcmp(sec, p->section) != 0) {
            EMIT("}, \"%s\": {", p->section);
            sec = p->section;
        } else {
            EMIT(", ");
        }
        EMIT("\"%s\": %.17g", p->name, *(const double *)((const char *)s + p->res_off));
    }
    /* (the allocation section is the last one printed: see params[]) */
    EMIT(", \"rule\": \"%s\", \"backorder\": %s", scn_alloc_rule_names[s->alloc.rule],
         s->alloc.backorder ? "true" : "false");
    EMIT("}, \"currency\": {\"reporting\": \"%s\", \"usd_cny\": %.17g}}",
         scn_currency_names[s->currency], s->usd_cny);
#undef EMIT
    return out;
}

/* Edit distance (insertions, deletions, substitutions, transpositions)
 * of a and b, stopping at `cap`. */
static int edit_distance(const char *a, const char *b, int cap)
{
    int la = (int)strlen(a), lb = (int)strlen(b);
    if (la > 63 || lb > 63)
        return cap;
    int d[64][64];
    for (int i = 0; i <= la; i++)
        d[i][0] = i;
    for (int j = 0; j <= lb; j++)
        d[0][j] = j;
    for (int i = 1; i <= la; i++)
        for (int j = 1; j <= lb; j++) {
            int c = a[i - 1] != b[j - 1];
            int v = d[i - 1][j - 1] + c;
            if (d[i - 1][j] + 1 < v)
                v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[la][lb] < cap ? d[la][lb] : cap;
}

const char *scn_nearest(const char *word, const char *const *cands, int n)
{
    int len = (int)strlen(word), best = -1;
    int cap = len < 6 ? 2 : len / 3 + 1;   /* (a third of the word wrong is still a typo) */
    int bd = cap;
    for (int i = 0; i < n; i++) {
        int dist = edit_distance(word, cands[i], cap);
        if (dist < bd) {
            bd = dist;
            best = i;
        }
    }
    return best >= 0 ? cands[best] : NULL;
}

const char *scn_nearest_param(const char *key)
{
    static _Thread_local char names[NPARAMS + 4][80];
    const char *cands[NPARAMS + 4];
    int n = 0;
    for (int i = 0; i < NPARAMS; i++) {
        snprintf(names[n], sizeof names[n], "%s.%s", params[i].section, params[i].name);
        cands[n] = names[n];
        n++;
    }
    static const char *extra[] = { "run.seed", "run.replications", "currency.usd_cny", "allocation.rule" };
    for (int i = 0; i < 4; i++)
        cands[n++] = extra[i];
    return scn_nearest(key, cands, n);
}

void scn_params_list_json(FILE *out)
{
    fprintf(out, "{\"schema\": \"anodesim-params/1\", \"parameters\": [\n");
    for (int i = 0; i < NPARAMS; i++) {
        const param_decl *p = &params[i];
        fprintf(out, "  {\"key\": \"%s.%s\", \"default\": ", p->section, p->name);
        const double v3[3] = { p->dflt, p->lo, p->hi };
        for (int k = 0; k < 3; k++) {   /* (an unbounded range is null: JSON has no infinity) */
            if (isfinite(v3[k]))
                fprintf(out, "%.15g", v3[k]);
            else
                fputs("null", out);
            fputs(k == 0 ? ", \"min\": " : k == 1 ? ", \"max\": " : "", out);
        }
        fprintf(out, ", \"unit\": \"%s\", \"meaning\": \"", p->unit);
        for (const char *c = p->doc; *c; c++)
            fprintf(out, *c == '"' || *c == '\\' ? "\\%c" : "%c", *c);
        fprintf(out, "\"}%s\n", i + 1 < NPARAMS ? "," : "");
    }
    fprintf(out, "]}\n");
}

void scn_params_markdown(FILE *out)
{
    for (int i = 0; i < NPARAMS; i++) {
        const param_decl *p = &params[i];
        fprintf(out, "| `%s.%s` | %g | %s | %s |\n", p->section, p->name, p->dflt, p->unit, p->doc);
    }
}
