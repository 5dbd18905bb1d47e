/*
 * csv — tables that planners keep in a spreadsheet, read with line numbers
 * and parsed by a declared column list.
 *
 * Format: RFC 4180 (comma separated, double quotes around fields that hold
 * commas or quotes, "" for a quote), first row the header, '#' at the start
 * of a line for a comment, blank lines ignored, surrounding spaces trimmed.
 *
 * A table is parsed into an array of C structs by a csv_col list: each
 * column names its header, type, whether it is required, its range and
 * unit, and the offset of the struct member it fills.  Errors name the
 * file, the line, the column, the value found and what was expected.
 *
 * Ownership: csv_read fills a csv_table the caller frees with csv_free;
 * csv_parse allocates the row array (caller frees) and strdup's string
 * cells (the caller frees them, e.g. with csv_free_rows).
 */
#ifndef CSV_H
#define CSV_H

#include <stddef.h>
#include <stdint.h>

typedef struct csv_table {
    char *path;
    uint64_t hash;      /* csv_hash of the file's bytes: its fingerprint */
    int nrows, ncols;
    char **header;      /* ncols names */
    char ***cell;       /* cell[row][col], "" for an empty cell */
    int *line;          /* source line of each row (1-based) */
} csv_table;

/* 64-bit FNV-1a of n bytes: a fingerprint of an input file (to notice a
 * change, not to resist a forger). */
uint64_t csv_hash(const void *data, size_t n);

typedef enum { CSV_STRING, CSV_DOUBLE, CSV_INT, CSV_ENUM, CSV_DATE } csv_type;

typedef struct csv_col {
    const char *name;
    csv_type type;
    int required;            /* the column must exist and the cell be non-empty */
    double min, max;         /* inclusive range for numbers */
    int min_open;            /* 1: value must be > min rather than >= */
    double dflt;             /* used when an optional cell is empty */
    size_t offset;           /* member of the row struct */
    const char *const *enum_names;  /* CSV_ENUM: NULL-terminated list */
    const char *unit;        /* for messages and docs */
} csv_col;

/* Largest input file read (a table, a scenario): 1 GiB. */
#define CSV_MAX_BYTES ((size_t)1 << 30)

/* Read the whole of an input file into *text (NUL-terminated, caller
 * frees), its length in *len.  Only a regular file of at most `max` bytes
 * (a FIFO, a device such as /dev/zero or a folder is refused at once,
 * never waited on), holding no NUL byte and valid UTF-8 (a leading UTF-8
 * byte-order mark, as Excel writes, is dropped).  Returns SIM_OK, SIM_EIO
 * (cannot be opened) or SIM_EINPUT, with a message naming the file and,
 * for bad text, the line; `what` says what the file is ("table"). */
int csv_read_file(const char *path, const char *what, size_t max, char **text, size_t *len);

/* Read a whole file.  Returns SIM_OK, SIM_EIO (unreadable) or SIM_EINPUT
 * (not a regular file, too large, not UTF-8, malformed quoting, ragged
 * rows). */
int csv_read(const char *path, csv_table *t);
void csv_free(csv_table *t);

/* Parse every row into an array of `row_size`-byte structs (zeroed, then
 * filled by `cols`).  Unknown header columns are an error unless listed in
 * `ignore` (NULL-terminated; "source" and "note" are always allowed).
 * CSV_DATE cells ("YYYY-MM-DD") are stored as days since 1970-01-01 in an
 * int; an empty optional date stores dflt.  Returns SIM_OK or SIM_EINPUT. */
int csv_parse(const csv_table *t, const csv_col *cols, int ncols,
              size_t row_size, void **rows_out);

/* Free the string members (CSV_STRING columns) of a parsed row array and
 * the array itself. */
void csv_free_rows(void *rows, int nrows, size_t row_size,
                   const csv_col *cols, int ncols);

/* Days since 1970-01-01 of a "YYYY-MM-DD" date; returns 0 on success, -1
 * when the text is not a valid date. */
int csv_parse_date(const char *s, int *days);

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
int csv_days_from_civil(int y, int m, int d);

/* The inverse: civil date of a day number. */
void csv_civil_from_days(int days, int *y, int *m, int *d);

#endif
