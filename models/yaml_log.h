/*
 * yaml_log — libcyaml's messages gathered into one clear error, shared by
 * the loaders of scenario and sweep files (implemented in scenario.c).
 */
#ifndef YAML_LOG_H
#define YAML_LOG_H

#include <cyaml/cyaml.h>
#include <stdarg.h>
#include <stddef.h>

typedef struct yaml_log {
    char buf[1024];
    size_t len;
} yaml_log;

/* A cyaml_config_t.log_fn; ctx is a yaml_log (zeroed before loading). */
void yaml_log_fn(cyaml_log_t level, void *ctx, const char *fmt, va_list args);

/* "FILE:LINE: field 'F': what libcyaml said (expected ...)" as SIM_EINPUT. */
int yaml_log_error(const char *path, cyaml_err_t err, const yaml_log *log);

#endif
