/*
 * results_schema — the model's results as the recorder sees them
 * (output/schema.h): dimensions, coordinates, variables and global
 * attributes of a results file, declared once.
 *
 * Ownership: model_schema_new returns a schema the caller frees with
 * rs_free.  A record from model_record_of points into the result, which
 * must outlive it.
 */
#ifndef RESULTS_SCHEMA_H
#define RESULTS_SCHEMA_H

#include "model.h"
#include "schema.h"
#include "sweep.h"

/* The schema of scenario s run at npoints points of sweep sw (NULL or no
 * parameters: a single run).  SIM_OK or SIM_ENOMEM. */
int model_schema_new(rs_schema **out, const scenario *s, const sweep *sw, long npoints);

/* A replication's result as a record of the schema (pointers into r). */
void model_record_of(const model_result *r, rs_record *rec);

/* Copy a record's point, replication, seed key and event count (read
 * back into r's own arrays) into r. */
void model_record_back(model_result *r, const rs_record *rec);

#endif
