/*
 * Fuzz target for the scenario loader (libFuzzer; scripts/fuzz builds and
 * runs it).  An input is a scenario YAML, loaded against the small tables of
 * tests/malformed/base; an input that starts with "CSV\n" is instead a
 * plants table for the base scenario.  A load that succeeds goes on to build
 * the network and the model definition.  Anything may be rejected; nothing
 * may crash, leak or read out of bounds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"
#include "sim_err.h"

#ifndef FUZZ_BASE_DIR
#error "FUZZ_BASE_DIR must name tests/malformed/base"
#endif

static char work[256];

/* The working folder goes when the process ends (the replay after its last
 * input, libFuzzer at the end of its time), so test runs leave nothing in
 * the temporary folder. */
static void remove_work(void)
{
    char cmd[320];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", work);
    if (system(cmd) != 0)
        fprintf(stderr, "fuzz: could not remove %s\n", work);
}

static void setup(void)
{
    if (work[0])
        return;
    const char *tmp = getenv("TMPDIR");
    snprintf(work, sizeof work, "%s/anodesim-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(work))
        abort();
    atexit(remove_work);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cp %s/*.csv %s/scenario.yaml '%s'/", FUZZ_BASE_DIR, FUZZ_BASE_DIR, work);
    if (system(cmd) != 0)
        abort();
}

static void write_file(const char *name, const uint8_t *data, size_t size)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", work, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    fwrite(data, 1, size, f);
    fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    char yaml[512];
    if (size >= 4 && memcmp(data, "CSV\n", 4) == 0) {
        write_file("fuzz-plants.csv", data + 4, size - 4);
        static const char text[] =
            "name: fuzz\nbase: scenario.yaml\ntables:\n  suppliers: suppliers.csv\n  plants: fuzz-plants.csv\n"
            "  smelters: smelters.csv\n  ports: ports.csv\n  markets: markets.csv\n  links: links.csv\n";
        write_file("fuzz.yaml", (const uint8_t *)text, sizeof text - 1);
    } else {
        write_file("fuzz.yaml", data, size);
    }
    snprintf(yaml, sizeof yaml, "%s/fuzz.yaml", work);
    scenario s;
    if (scn_load(yaml, NULL, 0, &s) == SIM_OK) {
        model_def d;
        if (model_def_init(&d, &s) == SIM_OK)
            model_def_free(&d);
        scn_free(&s);
    }
    return 0;
}
