/* Chunks encoded outside HDF5 (output/h5chunk.c) must read back through
 * HDF5's own shuffle, deflate and Fletcher-32 filters exactly, for 32- and
 * 64-bit elements, strided input and incompressible data; a flipped byte
 * must fail the checksum. */
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "h5chunk.h"
#include "sim_err.h"
#include "sim_rng.h"

enum { ROWS = 4, N = 3001 };   /* odd length: shuffle's and Fletcher's tails */

static hid_t dataset(hid_t file, const char *name, hid_t type)
{
    hsize_t dims[2] = { ROWS, N }, chunk[2] = { 1, N };
    hid_t sp = H5Screate_simple(2, dims, NULL), dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(dcpl, 2, chunk);
    H5Pset_shuffle(dcpl);
    H5Pset_deflate(dcpl, 1);
    H5Pset_fletcher32(dcpl);
    hid_t ds = H5Dcreate2(file, name, type, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    H5Pclose(dcpl);
    H5Sclose(sp);
    return ds;
}

static int write_row(hid_t ds, int row, const h5c_chunks *ck, int i)
{
    hsize_t off[2] = { (hsize_t)row, 0 };
    return H5Dwrite_chunk(ds, H5P_DEFAULT, 0, off, ck->off[i + 1] - ck->off[i], ck->data + ck->off[i]) < 0 ? -1 : 0;
}

static int read_row(hid_t ds, int row, double *out)
{
    hsize_t start[2] = { (hsize_t)row, 0 }, count[2] = { 1, N }, n = N;
    hid_t fs = H5Dget_space(ds), ms = H5Screate_simple(1, &n, NULL);
    H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL);
    herr_t rc = H5Dread(ds, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, out);
    H5Sclose(ms);
    H5Sclose(fs);
    return rc < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "test_h5chunk.h5";
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    double *smooth = malloc(2 * N * sizeof *smooth), *noise = malloc(N * sizeof *noise);
    double *back = malloc(N * sizeof *back);
    gsl_rng *r = sim_rng_alloc(5, 0, 0, 0);
    for (int i = 0; i < N; i++) {
        /* interleaved pairs (stride 2): a smooth series and zeros */
        smooth[2 * i] = (double)(float)(1000.0 + 0.5 * i);
        smooth[2 * i + 1] = 0.0;
        noise[i] = gsl_rng_uniform(r) * 1e300;   /* incompressible bits */
    }
    h5c_coder *c = h5c_coder_new(1);
    h5c_chunks ck = { 0 };
    CHECK(c != NULL);
    CHECK(h5c_encode(c, smooth, N, 2, 4, &ck) == SIM_OK);       /* chunk 0: float */
    CHECK(h5c_encode(c, noise, N, 1, 8, &ck) == SIM_OK);        /* chunk 1: double */
    CHECK(h5c_encode(c, smooth + 1, N, 2, 4, &ck) == SIM_OK);   /* chunk 2: zeros */
    CHECK(ck.n == 3 && ck.off[1] < (size_t)N * 4 / 4);          /* the smooth one compresses */
    CHECK(h5c_encode(c, smooth, N, 1, 5, &ck) == SIM_EINVAL);

    hid_t file = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    CHECK(file >= 0);
    hid_t fl = dataset(file, "f", H5T_NATIVE_FLOAT), db = dataset(file, "d", H5T_NATIVE_DOUBLE);
    CHECK(write_row(fl, 0, &ck, 0) == 0 && write_row(fl, 1, &ck, 2) == 0 && write_row(db, 2, &ck, 1) == 0);
    /* A flipped byte in the compressed payload: the checksum must catch it. */
    ck.data[ck.off[0] + 10] ^= 0x40;
    CHECK(write_row(fl, 3, &ck, 0) == 0);
    H5Fflush(file, H5F_SCOPE_GLOBAL);

    CHECK(read_row(fl, 0, back) == 0);
    int same = 1;
    for (int i = 0; i < N; i++)
        same &= back[i] == smooth[2 * i];
    CHECK(same);
    CHECK(read_row(fl, 1, back) == 0);
    same = 1;
    for (int i = 0; i < N; i++)
        same &= back[i] == 0.0;
    CHECK(same);
    CHECK(read_row(db, 2, back) == 0);
    CHECK(memcmp(back, noise, N * sizeof *back) == 0);
    CHECK(read_row(fl, 3, back) < 0);

    /* h5c_decode reads back, as HDF5 stores them, the chunks h5c_encode
     * made, strided too; a damaged or mis-sized chunk is refused, as HDF5
     * refuses it. */
    {   /* db row 3 compressed by HDF5's own filters (zlib) */
        hsize_t start[2] = { 3, 0 }, count[2] = { 1, N }, n = N;
        hid_t fs = H5Dget_space(db), ms = H5Screate_simple(1, &n, NULL);
        H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL);
        CHECK(H5Dwrite(db, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, noise) >= 0);
        H5Sclose(ms);
        H5Sclose(fs);
        H5Fflush(file, H5F_SCOPE_GLOBAL);
    }
    h5c_chunks st = { 0 };
    for (int row = 0; row < 4; row++) {
        hsize_t off[2] = { (hsize_t)row, 0 }, size = 0;
        uint32_t mask = 1;
        hid_t ds = row >= 2 ? db : fl;
        CHECK(H5Dget_chunk_storage_size(ds, off, &size) >= 0 && size > 0);
        unsigned char *at = NULL;
        CHECK(h5c_append(&st, (size_t)size, &at) == SIM_OK);
        CHECK(at != NULL && H5Dread_chunk(ds, H5P_DEFAULT, off, &mask, at) >= 0 && mask == 0);
    }
    double *wide = malloc(2 * N * sizeof *wide);
    CHECK(h5c_decode(c, st.data, st.off[1], wide, N, 2, 4) == SIM_OK);
    same = 1;
    for (int i = 0; i < N; i++)
        same &= wide[2 * i] == smooth[2 * i];
    CHECK_MSG(same, "decoded floats differ");
    CHECK(h5c_decode(c, st.data + st.off[2], st.off[3] - st.off[2], back, N, 1, 8) == SIM_OK);
    CHECK(memcmp(back, noise, N * sizeof *back) == 0);
    CHECK(h5c_decode(c, st.data + st.off[2], st.off[3] - st.off[2], back, N / 2, 1, 8) == SIM_EINPUT);   /* size */
    memset(back, 0, N * sizeof *back);
    CHECK(h5c_decode(c, st.data + st.off[3], st.off[4] - st.off[3], back, N, 1, 8) == SIM_OK);   /* HDF5's */
    CHECK(memcmp(back, noise, N * sizeof *back) == 0);
    st.data[10] ^= 0x40;
    CHECK(h5c_decode(c, st.data, st.off[1], back, N, 1, 4) == SIM_EINPUT);   /* checksum */
    h5c_chunks_free(&st);
    free(wide);

    H5Dclose(fl);
    H5Dclose(db);
    H5Fclose(file);
    remove(path);
    h5c_chunks_free(&ck);
    h5c_coder_free(c);
    gsl_rng_free(r);
    free(smooth);
    free(noise);
    free(back);
    return check_done("test_h5chunk");
}
