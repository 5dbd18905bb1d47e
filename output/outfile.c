#define _GNU_SOURCE   /* O_NOFOLLOW, O_CLOEXEC */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim_err.h"

/* 1 when the file starts with the HDF5 signature (our files keep their
 * superblock at offset 0). */
static int is_hdf5(const char *path)
{
    static const unsigned char sig[8] = { 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n' };
    unsigned char buf[8];
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    return n == (ssize_t)sizeof buf && memcmp(buf, sig, sizeof sig) == 0;
}

int of_check_target(const char *path, int force)
{
    if (!path[0] || strcmp(path, "-") == 0)
        return sim_err_set(SIM_EINPUT, "--output '%s': results cannot go to standard output; give a file name such "
                                       "as results.h5", path);
    struct stat st;
    if (lstat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return sim_err_set(SIM_EINPUT, "--output %s is a directory; give a file name such as %s/results.h5",
                               path, path);
        if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
            return sim_err_set(SIM_EINPUT, "--output %s exists and is not a regular file", path);
        if (!force)
            return sim_err_set(SIM_EINPUT, "--output %s exists (%s); give --force to replace it%s", path,
                               is_hdf5(path) ? "an HDF5 file, perhaps complete results" : "not a results file",
                               is_hdf5(path) ? ", or another name" : "");
    } else if (errno != ENOENT) {
        return sim_err_set(SIM_EINPUT, "--output %s: %s", path, strerror(errno));
    }
    char *copy = strdup(path);
    if (!copy)
        return sim_err_set(SIM_ENOMEM, "out of memory");
    const char *dir = dirname(copy);
    int rc = SIM_OK;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        rc = sim_err_set(SIM_EINPUT, "--output %s: the folder %s does not exist", path, dir);
    else if (access(dir, W_OK | X_OK) != 0)
        rc = sim_err_set(SIM_EINPUT, "--output %s: cannot write in %s (%s)", path, dir, strerror(errno));
    free(copy);
    return rc;
}

/* Write-lock fd; the holder's pid in *holder when another has it. */
static int lock_fd(int fd, long *holder)
{
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
    *holder = 0;
    if (fcntl(fd, F_SETLK, &fl) == 0)
        return 0;
    struct flock q = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
    if (fcntl(fd, F_GETLK, &q) == 0 && q.l_type != F_UNLCK)
        *holder = (long)q.l_pid;
    return -1;
}

int of_relock(int fd, const char *path)
{
    long holder;
    if (fd < 0 || lock_fd(fd, &holder) == 0)
        return SIM_OK;
    return sim_err_set(SIM_EINPUT, "%s is being written by process %ld", path, holder);
}

long of_writer(const char *path)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return 0;
    struct flock q = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
    long pid = fcntl(fd, F_GETLK, &q) == 0 && q.l_type != F_UNLCK ? (long)q.l_pid : 0;
    close(fd);
    return pid;
}

int of_lock_existing(const char *partial, int *fd)
{
    *fd = -1;
    struct stat st;
    if (lstat(partial, &st) != 0)
        return sim_err_set(SIM_ENOTFOUND, "%s: no partial results to resume", partial);
    if (!S_ISREG(st.st_mode))
        return sim_err_set(SIM_EINPUT, "%s is not a regular file (a link or other file where partial results "
                                       "should be): remove it", partial);
    int f = open(partial, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    if (f < 0)
        return sim_err_set(SIM_EINPUT, "%s: cannot open (%s)", partial, strerror(errno));
    long holder;
    if (lock_fd(f, &holder) != 0) {
        close(f);
        return sim_err_set(SIM_EINPUT, "%s is being written by process %ld; wait for it or stop it", partial,
                           holder);
    }
    *fd = f;
    return SIM_OK;
}

int of_create_partial(const char *partial, int force, int *fd)
{
    *fd = -1;
    int f = open(partial, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    struct stat st;
    if (f < 0 && errno == EEXIST && lstat(partial, &st) == 0 && !S_ISREG(st.st_mode) && !force)
        return sim_err_set(SIM_EINPUT, "%s is not a regular file (a link or other file where partial results "
                                       "go): remove it, or give --force to replace it", partial);
    if (f < 0 && errno == EEXIST) {
        long holder = of_writer(partial);
        if (holder > 0)
            return sim_err_set(SIM_EINPUT, "%s is being written by process %ld; wait for it or stop it", partial,
                               holder);
        if (!force)
            return sim_err_set(SIM_EINPUT, "%s holds an interrupted run: finish it with the same command and "
                                           "--resume, or give --force to start over", partial);
        if (unlink(partial) != 0)   /* (a link itself, never its target) */
            return sim_err_set(SIM_EINPUT, "%s: cannot remove (%s)", partial, strerror(errno));
        f = open(partial, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    }
    if (f < 0)
        return sim_err_set(SIM_EIO, "%s: cannot create (%s)", partial, strerror(errno));
    long holder;
    if (lock_fd(f, &holder) != 0) {   /* (someone opened it in between) */
        close(f);
        return sim_err_set(SIM_EINPUT, "%s is being written by process %ld", partial, holder);
    }
    *fd = f;
    return SIM_OK;
}

void of_release(int fd)
{
    if (fd >= 0)
        close(fd);
}
