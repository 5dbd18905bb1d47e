/*
 * outfile — where results go, made safely: the target checked before a
 * run starts, the partial created exclusively (never through a link),
 * and a lock held on it while it is written, so that a second run on the
 * same file stops at once and names the first.
 *
 * Locks are POSIX record locks (fcntl) on the partial file: they work on
 * NFS, vanish with the process (a kill -9 leaves no stale lock), and
 * report the holder's pid.  HDF5's own flock on its descriptor does not
 * interact with them.  Knows nothing of HDF5 or of the model.
 *
 * Ownership: a descriptor returned through *fd is the caller's, closed
 * with of_release (which drops the lock).
 */
#ifndef OUTFILE_H
#define OUTFILE_H

/* Before anything is written: SIM_OK when results can go to `path`, else
 * SIM_EINPUT with a message.  Refused: "-", a directory, anything not a
 * regular file, a folder that does not exist or cannot be written, and
 * an existing file unless `force` (the message says whether it is an
 * HDF5 file, e.g. complete results, or something else). */
int of_check_target(const char *path, int force);

/* Create `partial` exclusively (O_EXCL, never following a link) and lock
 * it; *fd holds the lock.  An existing partial: SIM_EINPUT, "being written
 * by process N" when another run holds it, else "holds an interrupted
 * run" (resume it, or `force` to start over: then it is removed first). */
int of_create_partial(const char *partial, int force, int *fd);

/* Lock an existing partial for resuming: it must be a regular file, not
 * a link; SIM_EINPUT when another process holds it (naming it). */
int of_lock_existing(const char *partial, int *fd);

/* Take fd's lock again.  A POSIX lock is the process's, and it is dropped
 * when the process closes any descriptor of the file: HDF5 opens and
 * closes the file while creating or opening it, so this follows every
 * H5Fcreate and H5Fopen of a locked file.  Returns SIM_OK or SIM_EINPUT
 * when another process took it meanwhile. */
int of_relock(int fd, const char *path);

/* The pid of a process writing `path` (holding its lock), 0 when none. */
long of_writer(const char *path);

/* Close fd (releasing its lock); -1 is ignored. */
void of_release(int fd);

#endif
