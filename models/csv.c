#include "csv.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim_err.h"

/* ---- dates (Howard Hinnant's civil-day algorithms) ------------------- */

int csv_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void csv_civil_from_days(int z, int *y, int *m, int *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp + (mp < 10 ? 3 : -9);
    *y = yoe + era * 400 + (*m <= 2);
}

int csv_parse_date(const char *s, int *days)
{
    int y, m, d, n = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || s[n] != '\0')
        return -1;
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    int z = csv_days_from_civil(y, m, d);
    int yy, mm, dd;
    csv_civil_from_days(z, &yy, &mm, &dd);
    if (yy != y || mm != m || dd != d)   /* 2024-02-30 and the like */
        return -1;
    *days = z;
    return 0;
}

/* ---- reading ------------------------------------------------------- */

typedef struct {
    char **v;
    int n, cap;
} strvec;

static int sv_push(strvec *sv, char *s)
{
    if (sv->n == sv->cap) {
        int nc = sv->cap ? 2 * sv->cap : 16;
        char **v = realloc(sv->v, (size_t)nc * sizeof *v);
        if (!v)
            return SIM_ENOMEM;
        sv->v = v;
        sv->cap = nc;
    }
    sv->v[sv->n++] = s;
    return SIM_OK;
}

static char *trim_dup(const char *b, size_t n)
{
    while (n > 0 && isspace((unsigned char)*b)) {
        b++;
        n--;
    }
    while (n > 0 && isspace((unsigned char)b[n - 1]))
        n--;
    char *s = malloc(n + 1);
    if (s) {
        memcpy(s, b, n);
        s[n] = '\0';
    }
    return s;
}

uint64_t csv_hash(const void *data, size_t n)
{
    const unsigned char *p = data;
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

/* Line (1-based) of offset at in text. */
static int line_at(const char *text, size_t at)
{
    int line = 1;
    for (size_t i = 0; i < at; i++)
        line += text[i] == '\n';
    return line;
}

/* Offset of the first byte that breaks UTF-8 in s[0..n), or n. */
static size_t utf8_bad(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t k = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : 4;
        if (k == 4 || (k == 1 && c < 0xC2) || (k == 3 && c > 0xF4) || i + k >= n + (k == 0))
            return i;
        for (size_t j = 1; j <= k; j++)
            if ((s[i + j] & 0xC0) != 0x80)
                return i;
        if ((k == 2 && c == 0xE0 && s[i + 1] < 0xA0) || (k == 2 && c == 0xED && s[i + 1] >= 0xA0) ||
            (k == 3 && c == 0xF0 && s[i + 1] < 0x90) || (k == 3 && c == 0xF4 && s[i + 1] >= 0x90))
            return i;   /* overlong, surrogate or beyond U+10FFFF */
        i += k + 1;
    }
    return n;
}

int csv_read_file(const char *path, const char *what, size_t max, char **text, size_t *len)
{
    *text = NULL;
    *len = 0;
    /* Non-blocking open: a FIFO would otherwise wait for a writer forever. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return sim_err_set(SIM_EIO, "%s: cannot read the %s (%s)", path, what, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return sim_err_set(SIM_EINPUT, "%s: the %s is not a regular file (a folder, FIFO or device)", path, what);
    }
    if ((unsigned long long)st.st_size > max) {
        close(fd);
        return sim_err_set(SIM_EINPUT, "%s: the %s is %lld bytes (at most %zu)", path, what, (long long)st.st_size,
                           max);
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            if (got < 0) {
                free(buf);
                buf = NULL;
            }
            break;
        }
        n += (size_t)got;
        if (n > max) {
            free(buf);
            close(fd);
            return sim_err_set(SIM_EINPUT, "%s: the %s grew past %zu bytes while read", path, what, max);
        }
        if (n == cap) {
            char *nb = realloc(buf, 2 * cap + 1);
            if (!nb)
                free(buf);
            buf = nb;
            cap *= 2;
        }
    }
    int e = errno;
    close(fd);
    if (!buf)
        return sim_err_set(SIM_EIO, "%s: cannot read the %s (%s)", path, what, strerror(e));
    buf[n] = '\0';
    if (n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {   /* a byte-order mark */
        memmove(buf, buf + 3, n - 2);
        n -= 3;
    }
    if (strlen(buf) != n) {
        int line = line_at(buf, strlen(buf));
        free(buf);
        return sim_err_set(SIM_EINPUT, "%s:%d: the %s holds a NUL byte (expected text)", path, line, what);
    }
    size_t bad = utf8_bad((const unsigned char *)buf, n);
    if (bad < n) {
        int line = line_at(buf, bad);
        unsigned byte = (unsigned char)buf[bad];
        free(buf);
        return sim_err_set(SIM_EINPUT, "%s:%d: the %s is not UTF-8 text (byte 0x%02X): save it as UTF-8", path,
                           line, what, byte);
    }
    *text = buf;
    *len = n;
    return SIM_OK;
}

typedef struct {
    char *s;
    size_t n, cap;
} strbuf;

static int sb_put(strbuf *b, char ch)
{
    if (b->n + 1 >= b->cap) {
        size_t nc = b->cap ? 2 * b->cap : 64;
        char *ns = realloc(b->s, nc);
        if (!ns)
            return SIM_ENOMEM;
        b->s = ns;
        b->cap = nc;
    }
    b->s[b->n++] = ch;
    return SIM_OK;
}

/* Read a quoted field whose opening quote is at p; on success *pp is just
 * past the closing quote and b holds the unescaped text. */
static int read_quoted(const char *path, const char **pp, int *line,
                       int start_line, strbuf *b)
{
    const char *p = *pp + 1;
    for (;;) {
        if (*p == '\0')
            return sim_err_set(SIM_EINPUT,
                               "%s:%d: a quoted field is not closed (expected a closing '\"')",
                               path, start_line);
        if (*p == '"' && p[1] != '"')
            break;
        if (*p == '"')          /* "" stands for one quote */
            p++;
        if (*p == '\n')
            (*line)++;
        if (sb_put(b, *p++) != SIM_OK)
            return SIM_ENOMEM;
    }
    *pp = p + 1;
    return SIM_OK;
}

/* Split one record starting at *pp; advances *pp past it and *line past
 * its newlines.  Fields are trimmed copies. */
static int split_record(const char *path, const char **pp, int *line,
                        strvec *out)
{
    const char *p = *pp;
    strbuf b = { 0 };
    int start_line = *line, rc = SIM_OK;
    for (;;) {
        char *s;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '"') {
            b.n = 0;
            if ((rc = read_quoted(path, &p, line, start_line, &b)) != SIM_OK)
                break;
            while (*p == ' ' || *p == '\t')
                p++;
            if (*p != ',' && *p != '\n' && *p != '\r' && *p != '\0') {
                rc = sim_err_set(SIM_EINPUT,
                                 "%s:%d: text after a closing quote (expected ',' or the end of the line)",
                                 path, *line);
                break;
            }
            s = trim_dup(b.s ? b.s : "", b.n);
        } else {
            const char *start = p;
            while (*p != ',' && *p != '\n' && *p != '\r' && *p != '\0')
                p++;
            s = trim_dup(start, (size_t)(p - start));
        }
        if (!s || sv_push(out, s) != SIM_OK) {
            free(s);
            rc = SIM_ENOMEM;
            break;
        }
        if (*p == ',') {
            p++;
            continue;
        }
        if (*p == '\r')
            p++;
        if (*p == '\n') {
            p++;
            (*line)++;
        }
        break;
    }
    free(b.s);
    *pp = p;
    return rc;
}

static int blank_or_comment(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\r')
        p++;
    return *p == '\n' || *p == '\0' || *p == '#';
}

static const char *skip_line(const char *p, int *line)
{
    while (*p && *p != '\n')
        p++;
    if (*p == '\n') {
        p++;
        (*line)++;
    }
    return p;
}

int csv_read(const char *path, csv_table *t)
{
    memset(t, 0, sizeof *t);
    size_t len;
    char *text;
    SIM_CHECK(csv_read_file(path, "table", CSV_MAX_BYTES, &text, &len));
    t->path = strdup(path);
    t->hash = csv_hash(text, len);
    const char *p = text;
    int line = 1, rc = SIM_OK;
    int cap = 0;
    while (*p) {
        if (blank_or_comment(p)) {
            p = skip_line(p, &line);
            continue;
        }
        strvec rec = { 0 };
        int rec_line = line;
        rc = split_record(path, &p, &line, &rec);
        if (rc != SIM_OK) {
            for (int i = 0; i < rec.n; i++)
                free(rec.v[i]);
            free(rec.v);
            break;
        }
        if (!t->header) {
            t->header = rec.v;
            t->ncols = rec.n;
            for (int i = 0; i < rec.n; i++) {
                if (rec.v[i][0] == '\0') {
                    rc = sim_err_set(SIM_EINPUT, "%s:%d: header column %d is empty (expected a column name)",
                                     path, rec_line, i + 1);
                    break;
                }
                for (int j = 0; j < i; j++)
                    if (strcmp(rec.v[i], rec.v[j]) == 0)
                        rc = sim_err_set(SIM_EINPUT, "%s:%d: column '%s' appears twice in the header",
                                         path, rec_line, rec.v[i]);
            }
            if (rc != SIM_OK)
                break;
            continue;
        }
        if (rec.n != t->ncols) {
            rc = sim_err_set(SIM_EINPUT, "%s:%d: row has %d fields, the header has %d (expected one value per column)",
                             path, rec_line, rec.n, t->ncols);
            for (int i = 0; i < rec.n; i++)
                free(rec.v[i]);
            free(rec.v);
            break;
        }
        if (t->nrows == cap) {
            cap = cap ? 2 * cap : 64;
            char ***nc = realloc(t->cell, (size_t)cap * sizeof *nc);
            int *nl = realloc(t->line, (size_t)cap * sizeof *nl);
            if (nc)
                t->cell = nc;
            if (nl)
                t->line = nl;
            if (!nc || !nl) {
                rc = sim_err_set(SIM_ENOMEM, "%s: out of memory reading the table", path);
                for (int i = 0; i < rec.n; i++)
                    free(rec.v[i]);
                free(rec.v);
                break;
            }
        }
        t->cell[t->nrows] = rec.v;
        t->line[t->nrows++] = rec_line;
    }
    free(text);
    if (rc == SIM_OK && !t->header)
        rc = sim_err_set(SIM_EINPUT, "%s: the table is empty (expected a header row)", path);
    if (rc != SIM_OK)
        csv_free(t);
    return rc;
}

void csv_free(csv_table *t)
{
    for (int r = 0; r < t->nrows; r++) {
        for (int c = 0; c < t->ncols; c++)
            free(t->cell[r][c]);
        free(t->cell[r]);
    }
    if (t->header)
        for (int c = 0; c < t->ncols; c++)
            free(t->header[c]);
    free(t->header);
    free(t->cell);
    free(t->line);
    free(t->path);
    memset(t, 0, sizeof *t);
}

/* ---- parsing into structs ---------------------------------------------- */

static int find_col(const csv_table *t, const char *name)
{
    for (int c = 0; c < t->ncols; c++)
        if (strcmp(t->header[c], name) == 0)
            return c;
    return -1;
}

static const char *range_text(const csv_col *c, char *buf, size_t n)
{
    if (c->max < HUGE_VAL)
        snprintf(buf, n, "a number %s %g and <= %g", c->min_open ? ">" : ">=", c->min, c->max);
    else
        snprintf(buf, n, "a number %s %g", c->min_open ? ">" : ">=", c->min);
    return buf;
}

static int parse_cell(const csv_table *t, int row, const csv_col *c,
                      const char *v, void *dst)
{
    const char *path = t->path;
    int line = t->line[row];
    char want[128];
    const char *unit = c->unit ? c->unit : "";
    switch (c->type) {
    case CSV_STRING: {
        char *s = strdup(v);
        if (!s)
            return SIM_ENOMEM;
        *(char **)dst = s;
        return SIM_OK;
    }
    case CSV_DOUBLE:
    case CSV_INT: {
        double x = c->dflt;
        if (v[0] != '\0') {
            char *end;
            errno = 0;
            x = strtod(v, &end);
            if (end == v || *end != '\0' || errno == ERANGE || !isfinite(x))
                return sim_err_set(SIM_EINPUT, "%s:%d: column '%s': '%s' is not a finite number (expected %s%s%s)",
                                   path, line, c->name, v, range_text(c, want, sizeof want),
                                   unit[0] ? " " : "", unit);
            if (c->type == CSV_INT && x != floor(x))
                return sim_err_set(SIM_EINPUT, "%s:%d: column '%s': '%s' is not a whole number",
                                   path, line, c->name, v);
        }
        /* An empty optional cell takes the default, which may be a
         * sentinel outside the range ("not given"). */
        if (v[0] != '\0' && (x < c->min || (c->min_open && x == c->min) || x > c->max))
            return sim_err_set(SIM_EINPUT, "%s:%d: column '%s': %s is out of range (expected %s%s%s)",
                               path, line, c->name, v, range_text(c, want, sizeof want),
                               unit[0] ? " " : "", unit);
        if (c->type == CSV_INT)
            *(int *)dst = (int)x;
        else
            *(double *)dst = x;
        return SIM_OK;
    }
    case CSV_ENUM: {
        if (v[0] == '\0') {
            *(int *)dst = (int)c->dflt;
            return SIM_OK;
        }
        for (int i = 0; c->enum_names[i]; i++)
            if (strcmp(v, c->enum_names[i]) == 0) {
                *(int *)dst = i;
                return SIM_OK;
            }
        char list[256] = "";
        for (int i = 0; c->enum_names[i]; i++) {
            strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
            strncat(list, c->enum_names[i], sizeof list - strlen(list) - 1);
        }
        return sim_err_set(SIM_EINPUT, "%s:%d: column '%s': '%s' is not allowed (expected one of: %s)",
                           path, line, c->name, v, list);
    }
    case CSV_DATE: {
        int d = (int)c->dflt;
        if (v[0] != '\0' && csv_parse_date(v, &d) != 0)
            return sim_err_set(SIM_EINPUT, "%s:%d: column '%s': '%s' is not a date (expected YYYY-MM-DD)",
                               path, line, c->name, v);
        *(int *)dst = d;
        return SIM_OK;
    }
    }
    return SIM_EINVAL;
}

/* Free the strings of the first n columns of a partly parsed row. */
static void free_row_strings(void *row, const csv_col *cols, int n)
{
    for (int j = 0; j < n; j++)
        if (cols[j].type == CSV_STRING)
            free(*(char **)((char *)row + cols[j].offset));
}

int csv_parse(const csv_table *t, const csv_col *cols, int ncols,
              size_t row_size, void **rows_out)
{
    *rows_out = NULL;
    int idx[64];
    if (ncols > 64)
        return sim_err_set(SIM_EINVAL, "too many declared columns");
    for (int k = 0; k < ncols; k++) {
        idx[k] = find_col(t, cols[k].name);
        if (idx[k] < 0 && cols[k].required)
            return sim_err_set(SIM_EINPUT, "%s:1: required column '%s' is missing from the header",
                               t->path, cols[k].name);
    }
    for (int c = 0; c < t->ncols; c++) {
        const char *h = t->header[c];
        int known = strcmp(h, "source") == 0 || strcmp(h, "note") == 0;
        for (int k = 0; k < ncols && !known; k++)
            known = strcmp(h, cols[k].name) == 0;
        if (!known) {
            char list[512] = "";
            for (int k = 0; k < ncols; k++) {
                strncat(list, k ? ", " : "", sizeof list - strlen(list) - 1);
                strncat(list, cols[k].name, sizeof list - strlen(list) - 1);
            }
            return sim_err_set(SIM_EINPUT, "%s:1: unknown column '%s' (expected some of: %s, source, note)",
                               t->path, h, list);
        }
    }
    char *rows = calloc(t->nrows ? (size_t)t->nrows : 1, row_size);
    if (!rows)
        return sim_err_set(SIM_ENOMEM, "%s: out of memory for %d rows", t->path, t->nrows);
    for (int r = 0; r < t->nrows; r++) {
        void *row = rows + (size_t)r * row_size;
        for (int k = 0; k < ncols; k++) {
            const char *v = idx[k] >= 0 ? t->cell[r][idx[k]] : "";
            if (cols[k].required && v[0] == '\0') {
                free_row_strings(row, cols, k);
                csv_free_rows(rows, r, row_size, cols, ncols);
                return sim_err_set(SIM_EINPUT, "%s:%d: column '%s' is empty (a value is required%s%s)",
                                   t->path, t->line[r], cols[k].name,
                                   cols[k].unit ? ", in " : "", cols[k].unit ? cols[k].unit : "");
            }
            int rc = parse_cell(t, r, &cols[k], v, (char *)row + cols[k].offset);
            if (rc != SIM_OK) {
                free_row_strings(row, cols, k);
                csv_free_rows(rows, r, row_size, cols, ncols);
                return rc;
            }
        }
    }
    *rows_out = rows;
    return SIM_OK;
}

void csv_free_rows(void *rows, int nrows, size_t row_size,
                   const csv_col *cols, int ncols)
{
    if (!rows)
        return;
    for (int r = 0; r < nrows; r++)
        for (int k = 0; k < ncols; k++)
            if (cols[k].type == CSV_STRING)
                free(*(char **)((char *)rows + (size_t)r * row_size + cols[k].offset));
    free(rows);
}
