/*
 * lossyfs: a FUSE 3 file system that simulates power loss, for Sluice's fault-injection suite.
 *
 * It passes a backing directory through, except that file data written and not yet fsynced lives
 * only in this process's memory. A power cut drops all of it, as a machine that loses power loses
 * its page cache. (The idea is that of lazyfs; this is a separate, much smaller implementation.)
 *
 * USAGE
 *   lossyfs [--watch-stdin] BACKING_DIR MOUNTPOINT [extra FUSE options, e.g. -o auto_unmount]
 *
 *   Runs in the foreground and multithreaded. Adds "-o default_permissions,fsname=lossyfs,
 *   subtype=lossyfs". Prints the line "lossyfs: ready" on stdout once the kernel has sent INIT.
 *   MOUNTPOINT may be BACKING_DIR itself (the backing directory is opened before the mount).
 *   --watch-stdin: when stdin reaches end of file (the parent that started lossyfs died), unmount
 *   (lazily) and exit, so an orphaned mount does not outlive a crashed test JVM.
 *
 * CONTROL INTERFACE
 *   A virtual file "/.lossyfs-control" at the root of the mount (not listed by readdir; it can be
 *   opened even while the file system is failing). Write one command to it; the write returns
 *   only when the command has taken effect (an unknown command fails with EINVAL):
 *     cut      power cut: drop every unsynced write and truncate in every file; the file system
 *              goes on serving (like lazyfs's clear-cache). Handles stay usable.
 *     crash    power cut, and from then on every operation fails with EIO until "restore", so a
 *              process killed at the same moment cannot write more. Handles opened before the
 *              crash keep failing with EIO even after "restore" (they belong to the dead machine);
 *              only close() on them succeeds (possibly reporting EIO).
 *     restore  leave the "crash" state (power back on).
 *     sync     write every file's unsynced data to the backing files and fsync them (checkpoint).
 *   Reading the file returns one status line, generated when it is opened:
 *     state=up|crashed cuts=N crashes=N dirty_files=N dirty_bytes=N files=N
 *   (dirty_bytes counts buffered write data; files counts files with state: open or dirty.)
 *   Signals, for use without the file: SIGUSR1 = crash, SIGUSR2 = restore (asynchronous: the
 *   sender cannot tell when they took effect; prefer the control file).
 *   After "cut" and "crash" the kernel's page cache and attributes of every file lossyfs tracks
 *   are invalidated, so no process reads dropped data from the kernel's cache.
 *
 * WHAT IS SIMULATED
 *   - write(): the bytes are kept in a per-file list of dirty extents (offset, bytes) in memory;
 *     nothing reaches the backing file. read() and stat()'s size merge them over the backing file.
 *     All handles (and hard links) of one file share its state, keyed by the backing inode, so a
 *     rename keeps pending data with the file and an unlink of the last link drops it.
 *   - truncate()/ftruncate()/O_TRUNC: applied to the in-memory state only (size, and which part
 *     of the backing file stays visible); written to the backing file at the next fsync.
 *   - fsync()/fdatasync() on any handle of a file (and writes on O_SYNC/O_DSYNC handles): apply
 *     the pending truncation, write the dirty extents, set the size, fsync the backing file.
 *     close() does not persist anything, nor does anything else.
 *   - Writes beyond the end leave holes that read as zeros. fallocate mode 0 and KEEP_SIZE work
 *     (mode 0 extends the size like a truncate); hole punching is refused (EOPNOTSUPP).
 *   - Shared writable mmap works (no direct_io, no writeback cache): the kernel writes dirty
 *     mapped pages to lossyfs when the mapping is msync'ed (MappedByteBuffer.force), when the
 *     file is closed/unmapped, or when its writeback timer fires; those writes become dirty
 *     extents like any other, and msync persists them. Mapped pages the kernel has not yet written
 *     to lossyfs when the power is cut are not in lossyfs's hands: the invalidation after the cut
 *     makes the kernel write them first. After "crash" those writes fail (EIO) and the pages are
 *     dropped: lost, as they should be. After "cut" they arrive after the cut and become new dirty
 *     data (a surviving process wrote them; a real power cut would have lost them).
 *
 * WHAT IS NOT SIMULATED (weaker than a real crash)
 *   - Namespace operations (create, mkdir, unlink, rmdir, rename, link, symlink, chmod, chown,
 *     utimens) go straight to the backing directory and survive a cut without a directory fsync.
 *     On a real file system an unsynced create or rename can be lost. Sluice fsyncs files and
 *     uses rename for atomic replacement; data loss is what this layer models.
 *   - No torn or reordered writes: a cut drops all unsynced data of a file, never a part of it,
 *     and fsync persists all of it. Real disks may keep any subset of the unsynced pages.
 *   - No write-back: unsynced data stays in memory until fsync or a cut, however old (a real
 *     kernel writes dirty pages back within ~30 s). Memory use grows with unsynced data.
 *   - Timestamps are the backing file's: unsynced writes do not change a file's mtime (the fsync
 *     that writes them does). Sluice does not use file times.
 *   - The backing directory must not be changed behind lossyfs's back while it is mounted.
 *   - No xattrs, no file locks beyond the kernel's local ones.
 *
 * OTHER BEHAVIOUR TO KNOW
 *   - After "crash", touching a mapped page that is not in memory raises SIGBUS (the read fails).
 *   - Mounts made before "ip netns exec" are visible inside it (the new mount namespace is a copy),
 *     so mount first, then start the process that uses the mount.
 *
 * BUILD: fault/lossyfs/build.sh OUTPUT (gcc, pkg-config, libfuse3-dev).
 */
#define FUSE_USE_VERSION 31
#define _GNU_SOURCE

#include <fuse.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <sys/types.h>
#include <unistd.h>

#define CONTROL_NAME ".lossyfs-control"
#define CONTROL_PATH "/" CONTROL_NAME
#define BUCKETS 4096

/* ------------------------------------------------------------------ state */

/* One run of unsynced bytes. data = buf + skip; buf holds cap bytes. */
struct extent {
    off_t off;
    size_t len;
    size_t skip;
    size_t cap;
    char *buf;
};

/*
 * What lossyfs knows of one backing file (inode). Lives while a handle is open on it or while it
 * holds unsynced changes. Fields below `lock` are guarded by it; refs, path, next by g_lock.
 */
struct fstate {
    dev_t dev;
    ino_t ino;
    int fd;             /* backing file, O_RDWR when possible */
    int writable;
    int refs;           /* open handles */
    char *path;         /* last known path in the mount, for cache invalidation */
    struct fstate *next;

    pthread_rwlock_t lock;
    off_t size;         /* logical size */
    off_t visible;      /* bytes of the backing file that show through (truncation since sync) */
    off_t bsize;        /* size of the backing file */
    struct extent *ext; /* sorted by off, non-overlapping */
    size_t n_ext;
    size_t cap_ext;
};

enum handle_kind { H_FILE, H_CONTROL, H_DIR };

struct handle {
    enum handle_kind kind;
    struct fstate *st;
    int flags;
    unsigned long gen;  /* crash generation at open */
    char *text;         /* control: status text */
    size_t text_len;
};

struct dirh {
    enum handle_kind kind; /* H_DIR: first, like struct handle's, so a handle's kind can be told */
    DIR *dp;
    int is_root;
};

static int g_root = -1;                 /* backing directory */
static const char *g_mountpoint;
static struct fuse *g_fuse;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER; /* table, refs, paths */
static pthread_mutex_t g_ctl_lock = PTHREAD_MUTEX_INITIALIZER; /* one command at a time */
static struct fstate *g_table[BUCKETS];
static volatile int g_down;             /* crashed: everything fails with EIO */
static volatile unsigned long g_gen;    /* bumped by every crash */
static unsigned long g_cuts, g_crashes;
static pthread_t g_main_thread;

static void logmsg(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("lossyfs: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static const char *rel(const char *path) {
    while (*path == '/') {
        path++;
    }
    return *path ? path : ".";
}

static int is_control(const char *path) {
    return path != NULL && strcmp(path, CONTROL_PATH) == 0;
}

static unsigned bucket(dev_t dev, ino_t ino) {
    uint64_t h = (uint64_t) ino * 0x9E3779B97F4A7C15ull ^ (uint64_t) dev;
    return (unsigned) (h >> 20) % BUCKETS;
}

/* g_lock held. */
static struct fstate *lookup(dev_t dev, ino_t ino) {
    for (struct fstate *s = g_table[bucket(dev, ino)]; s; s = s->next) {
        if (s->dev == dev && s->ino == ino) {
            return s;
        }
    }
    return NULL;
}

static void set_path(struct fstate *s, const char *path) {
    if (path == NULL || (s->path && strcmp(s->path, path) == 0)) {
        return;
    }
    char *p = strdup(path);
    if (p) {
        free(s->path);
        s->path = p;
    }
}

/* g_lock held. Takes ownership of fd. */
static struct fstate *insert(int fd, int writable, const struct stat *sb) {
    struct fstate *s = calloc(1, sizeof *s);
    if (!s) {
        return NULL;
    }
    s->dev = sb->st_dev;
    s->ino = sb->st_ino;
    s->fd = fd;
    s->writable = writable;
    s->size = s->visible = s->bsize = sb->st_size;
    pthread_rwlockattr_t attr;
    pthread_rwlockattr_init(&attr);
    /* fsync and writes must not starve behind a stream of reads */
    pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&s->lock, &attr);
    pthread_rwlockattr_destroy(&attr);
    unsigned b = bucket(s->dev, s->ino);
    s->next = g_table[b];
    g_table[b] = s;
    return s;
}

static void free_extents(struct fstate *s) {
    for (size_t i = 0; i < s->n_ext; i++) {
        free(s->ext[i].buf);
    }
    s->n_ext = 0;
}

/* g_lock held; nobody else may use s. */
static void destroy(struct fstate *s) {
    struct fstate **pp = &g_table[bucket(s->dev, s->ino)];
    while (*pp != s) {
        pp = &(*pp)->next;
    }
    *pp = s->next;
    free_extents(s);
    free(s->ext);
    free(s->path);
    close(s->fd);
    pthread_rwlock_destroy(&s->lock);
    free(s);
}

/* s->lock held. */
static int is_dirty(const struct fstate *s) {
    return s->n_ext > 0 || s->visible != s->bsize || s->size != s->bsize;
}

static size_t dirty_bytes(const struct fstate *s) {
    size_t n = 0;
    for (size_t i = 0; i < s->n_ext; i++) {
        n += s->ext[i].len;
    }
    return n;
}

/* g_lock held: frees s if no handle needs it and it holds nothing unsynced (or is unlinked). */
static void maybe_destroy(struct fstate *s) {
    if (s->refs > 0) {
        return;
    }
    struct stat sb;
    pthread_rwlock_rdlock(&s->lock);
    int dirty = is_dirty(s);
    pthread_rwlock_unlock(&s->lock);
    if (!dirty || (fstat(s->fd, &sb) == 0 && sb.st_nlink == 0)) {
        destroy(s);
    }
}

/* Index of the first extent that ends after off. s->lock held. */
static size_t first_ending_after(const struct fstate *s, off_t off) {
    size_t lo = 0, hi = s->n_ext;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->ext[mid].off + (off_t) s->ext[mid].len > off) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    return lo;
}

/* Keeps [off, off+n) in memory. s->lock held for writing. */
static int state_write(struct fstate *s, const char *src, size_t n, off_t off) {
    if (n == 0) {
        return 0;
    }
    off_t end = off + (off_t) n;
    size_t i = first_ending_after(s, off);
    struct extent *e = i < s->n_ext ? &s->ext[i] : NULL;
    if (e && e->off <= off && e->off + (off_t) e->len >= end) {
        memcpy(e->buf + e->skip + (off - e->off), src, n);
        goto done;
    }
    if (e && e->off < off) {
        e->len = (size_t) (off - e->off); /* overlaps the start of the write: keep its front */
        i++;
    }
    size_t k = i;
    while (k < s->n_ext && s->ext[k].off + (off_t) s->ext[k].len <= end) {
        free(s->ext[k].buf); /* inside the write */
        k++;
    }
    if (k < s->n_ext && s->ext[k].off < end) {
        size_t d = (size_t) (end - s->ext[k].off); /* overlaps the end: keep its tail */
        s->ext[k].skip += d;
        s->ext[k].len -= d;
        s->ext[k].off = end;
    }
    if (k > i) {
        memmove(&s->ext[i], &s->ext[k], (s->n_ext - k) * sizeof *s->ext);
        s->n_ext -= k - i;
    }
    if (i > 0 && s->ext[i - 1].off + (off_t) s->ext[i - 1].len == off) {
        e = &s->ext[i - 1]; /* sequential append: grow the previous extent */
        size_t need = e->skip + e->len + n;
        if (need > e->cap) {
            size_t cap = e->cap * 2 > need ? e->cap * 2 : need;
            char *b = realloc(e->buf, cap);
            if (!b) {
                return -ENOMEM;
            }
            e->buf = b;
            e->cap = cap;
        }
        memcpy(e->buf + e->skip + e->len, src, n);
        e->len += n;
        goto done;
    }
    if (s->n_ext == s->cap_ext) {
        size_t cap = s->cap_ext ? s->cap_ext * 2 : 8;
        struct extent *x = realloc(s->ext, cap * sizeof *x);
        if (!x) {
            return -ENOMEM;
        }
        s->ext = x;
        s->cap_ext = cap;
    }
    char *b = malloc(n < 4096 ? 4096 : n);
    if (!b) {
        return -ENOMEM;
    }
    memcpy(b, src, n);
    memmove(&s->ext[i + 1], &s->ext[i], (s->n_ext - i) * sizeof *s->ext);
    s->ext[i] = (struct extent) {.off = off, .len = n, .skip = 0, .cap = n < 4096 ? 4096 : n, .buf = b};
    s->n_ext++;
done:
    if (end > s->size) {
        s->size = end;
    }
    return 0;
}

/* s->lock held for writing. */
static void state_truncate(struct fstate *s, off_t size) {
    size_t i = first_ending_after(s, size);
    if (i < s->n_ext && s->ext[i].off < size) {
        s->ext[i].len = (size_t) (size - s->ext[i].off);
        i++;
    }
    for (size_t k = i; k < s->n_ext; k++) {
        free(s->ext[k].buf);
    }
    s->n_ext = i;
    if (size < s->visible) {
        s->visible = size;
    }
    s->size = size;
}

/* s->lock held (read is enough). Returns bytes read or -errno. */
static int state_read(struct fstate *s, char *dst, size_t n, off_t off) {
    if (off >= s->size) {
        return 0;
    }
    if ((off_t) n > s->size - off) {
        n = (size_t) (s->size - off);
    }
    off_t end = off + (off_t) n;
    size_t got = 0;
    off_t clean_end = end < s->visible ? end : s->visible;
    while (off + (off_t) got < clean_end) {
        ssize_t r = pread(s->fd, dst + got, (size_t) (clean_end - off) - got, off + (off_t) got);
        if (r < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -errno;
        }
        if (r == 0) {
            break;
        }
        got += (size_t) r;
    }
    memset(dst + got, 0, n - got);
    for (size_t i = first_ending_after(s, off); i < s->n_ext && s->ext[i].off < end; i++) {
        const struct extent *e = &s->ext[i];
        off_t from = e->off > off ? e->off : off;
        off_t to = e->off + (off_t) e->len < end ? e->off + (off_t) e->len : end;
        memcpy(dst + (from - off), e->buf + e->skip + (from - e->off), (size_t) (to - from));
    }
    return (int) n;
}

static int pwrite_full(int fd, const char *src, size_t n, off_t off) {
    while (n > 0) {
        ssize_t w = pwrite(fd, src, n, off);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -errno;
        }
        src += w;
        n -= (size_t) w;
        off += w;
    }
    return 0;
}

/* Makes the logical content durable in the backing file. s->lock held for writing. */
static int state_sync(struct fstate *s, int datasync) {
    if (is_dirty(s)) {
        if (!s->writable) {
            return -EBADF;
        }
        if (s->visible < s->bsize) {
            if (ftruncate(s->fd, s->visible) < 0) {
                return -errno;
            }
            s->bsize = s->visible;
        }
        for (size_t i = 0; i < s->n_ext; i++) {
            const struct extent *e = &s->ext[i];
            int r = pwrite_full(s->fd, e->buf + e->skip, e->len, e->off);
            if (r < 0) {
                return r;
            }
            if (e->off + (off_t) e->len > s->bsize) {
                s->bsize = e->off + (off_t) e->len;
            }
        }
        if (s->size != s->bsize) {
            if (ftruncate(s->fd, s->size) < 0) {
                return -errno;
            }
            s->bsize = s->size;
        }
        free_extents(s);
        s->visible = s->size;
    }
    if ((datasync ? fdatasync(s->fd) : fsync(s->fd)) < 0) {
        return -errno;
    }
    return 0;
}

/* Forgets everything unsynced. s->lock held for writing. */
static void state_drop(struct fstate *s) {
    struct stat sb;
    free_extents(s);
    if (fstat(s->fd, &sb) == 0) {
        s->bsize = sb.st_size;
    }
    s->size = s->visible = s->bsize;
}

/* Opens the backing file for a state, read-write when allowed. */
static int open_backing(const char *path, int *writable) {
    int fd = openat(g_root, rel(path), O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    *writable = fd >= 0;
    if (fd < 0 && (errno == EACCES || errno == EPERM || errno == EROFS || errno == ETXTBSY)) {
        fd = openat(g_root, rel(path), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    }
    return fd < 0 ? -errno : fd;
}

/* ------------------------------------------------------------------ control */

static void invalidate_paths(char **paths, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (g_fuse) {
            fuse_invalidate_path(g_fuse, paths[i]); /* ENOENT: the kernel has not got it cached */
        }
        free(paths[i]);
    }
    free(paths);
}

/* Drops all unsynced data; with crash, fails everything until restore. */
static void power_cut(int crash) {
    pthread_mutex_lock(&g_lock);
    if (crash) {
        g_down = 1;
        g_gen++;
        g_crashes++;
    } else {
        g_cuts++;
    }
    __sync_synchronize();
    size_t n = 0, cap = 16, files = 0, bytes = 0;
    char **paths = malloc(cap * sizeof *paths);
    for (unsigned b = 0; b < BUCKETS; b++) {
        struct fstate *s = g_table[b];
        while (s) {
            struct fstate *next = s->next;
            pthread_rwlock_wrlock(&s->lock);
            if (is_dirty(s)) {
                files++;
                bytes += dirty_bytes(s);
            }
            state_drop(s);
            pthread_rwlock_unlock(&s->lock);
            if (s->path && paths) {
                if (n == cap) {
                    char **p = realloc(paths, cap * 2 * sizeof *p);
                    if (p) {
                        paths = p;
                        cap *= 2;
                    }
                }
                if (n < cap) {
                    paths[n] = strdup(s->path);
                    if (paths[n]) {
                        n++;
                    }
                }
            }
            maybe_destroy(s);
            s = next;
        }
    }
    pthread_mutex_unlock(&g_lock);
    logmsg("%s: dropped %zu unsynced bytes in %zu files", crash ? "crash" : "cut", bytes, files);
    /* Outside the locks: invalidation may make the kernel write dirty mmap pages to us. */
    if (paths) {
        invalidate_paths(paths, n);
    }
}

static int sync_all(void) {
    int err = 0;
    pthread_mutex_lock(&g_lock);
    for (unsigned b = 0; b < BUCKETS; b++) {
        for (struct fstate *s = g_table[b]; s; s = s->next) {
            pthread_rwlock_wrlock(&s->lock);
            int r = state_sync(s, 0);
            pthread_rwlock_unlock(&s->lock);
            if (r < 0 && err == 0) {
                err = r;
            }
        }
    }
    pthread_mutex_unlock(&g_lock);
    return err;
}

static char *status_text(void) {
    size_t files = 0, dirty_files = 0, bytes = 0;
    pthread_mutex_lock(&g_lock);
    for (unsigned b = 0; b < BUCKETS; b++) {
        for (struct fstate *s = g_table[b]; s; s = s->next) {
            files++;
            pthread_rwlock_rdlock(&s->lock);
            if (is_dirty(s)) {
                dirty_files++;
                bytes += dirty_bytes(s);
            }
            pthread_rwlock_unlock(&s->lock);
        }
    }
    unsigned long cuts = g_cuts, crashes = g_crashes;
    int down = g_down;
    pthread_mutex_unlock(&g_lock);
    char *t = NULL;
    if (asprintf(&t, "state=%s cuts=%lu crashes=%lu dirty_files=%zu dirty_bytes=%zu files=%zu\n",
                 down ? "crashed" : "up", cuts, crashes, dirty_files, bytes, files) < 0) {
        return NULL;
    }
    return t;
}

static int run_command(const char *buf, size_t n) {
    char cmd[32];
    size_t i = 0, j = 0;
    while (i < n && isspace((unsigned char) buf[i])) {
        i++;
    }
    while (i < n && !isspace((unsigned char) buf[i]) && j < sizeof cmd - 1) {
        cmd[j++] = buf[i++];
    }
    cmd[j] = 0;
    while (i < n && isspace((unsigned char) buf[i])) {
        i++;
    }
    if (i != n) {
        return -EINVAL;
    }
    int r = 0;
    pthread_mutex_lock(&g_ctl_lock);
    if (strcmp(cmd, "cut") == 0) {
        power_cut(0);
    } else if (strcmp(cmd, "crash") == 0) {
        power_cut(1);
    } else if (strcmp(cmd, "restore") == 0) {
        g_down = 0;
        logmsg("restore");
    } else if (strcmp(cmd, "sync") == 0) {
        r = g_down ? -EIO : sync_all();
    } else {
        r = -EINVAL;
    }
    pthread_mutex_unlock(&g_ctl_lock);
    return r;
}

static void *signal_thread(void *arg) {
    sigset_t *set = arg;
    for (;;) {
        int sig;
        if (sigwait(set, &sig) != 0) {
            continue;
        }
        pthread_mutex_lock(&g_ctl_lock);
        if (sig == SIGUSR1) {
            power_cut(1);
        } else if (sig == SIGUSR2) {
            g_down = 0;
            logmsg("restore (signal)");
        }
        pthread_mutex_unlock(&g_ctl_lock);
    }
    return NULL;
}

static void *stdin_thread(void *arg) {
    (void) arg;
    char b[256];
    for (;;) {
        ssize_t r = read(0, b, sizeof b);
        if (r == 0 || (r < 0 && errno != EINTR)) {
            break;
        }
    }
    logmsg("stdin closed: unmounting %s", g_mountpoint);
    if (umount2(g_mountpoint, MNT_DETACH) < 0 && errno != EINVAL) { /* EINVAL: already unmounted */
        logmsg("umount2: %s", strerror(errno));
    }
    if (g_fuse) {
        fuse_exit(g_fuse);
    }
    pthread_kill(g_main_thread, SIGTERM); /* wakes the loop; libfuse's handler ends it */
    return NULL;
}

/* ------------------------------------------------------------------ operations */

static struct handle *H(const struct fuse_file_info *fi) {
    return (struct handle *) (uintptr_t) fi->fh;
}

/* EIO while crashed, and forever for handles opened before a crash. */
static int check_handle(const struct handle *h) {
    return g_down || h->gen != g_gen ? -EIO : 0;
}

static void fill_control_stat(struct stat *st) {
    memset(st, 0, sizeof *st);
    st->st_mode = S_IFREG | 0600;
    st->st_nlink = 1;
    st->st_uid = getuid();
    st->st_gid = getgid();
    st->st_ino = 1;
}

static void merge_size(struct stat *st, struct fstate *s) {
    pthread_rwlock_rdlock(&s->lock);
    st->st_size = s->size;
    pthread_rwlock_unlock(&s->lock);
    blkcnt_t blocks = (st->st_size + 511) / 512;
    if (blocks > st->st_blocks) {
        st->st_blocks = blocks;
    }
}

static int lfs_getattr(const char *path, struct stat *st, struct fuse_file_info *fi) {
    if (fi && H(fi)->kind == H_CONTROL) {
        fill_control_stat(st);
        return 0;
    }
    if (fi && H(fi)->kind == H_FILE) {
        struct handle *h = H(fi);
        if (check_handle(h)) {
            return -EIO;
        }
        if (fstat(h->st->fd, st) < 0) {
            return -errno;
        }
        merge_size(st, h->st);
        return 0;
    }
    if (fi && H(fi)->kind == H_DIR && path == NULL) {
        if (g_down) {
            return -EIO;
        }
        return fstat(dirfd(((struct dirh *) (uintptr_t) fi->fh)->dp), st) < 0 ? -errno : 0;
    }
    if (path == NULL) {
        return -ESTALE;
    }
    if (is_control(path)) {
        fill_control_stat(st);
        return 0;
    }
    int root = strcmp(path, "/") == 0;
    if (g_down && !root) {
        return -EIO;
    }
    if (fstatat(g_root, rel(path), st, AT_SYMLINK_NOFOLLOW) < 0) {
        return -errno;
    }
    if (S_ISREG(st->st_mode)) {
        pthread_mutex_lock(&g_lock);
        struct fstate *s = lookup(st->st_dev, st->st_ino);
        if (s) {
            merge_size(st, s);
        }
        pthread_mutex_unlock(&g_lock);
    }
    return 0;
}

static int lfs_access(const char *path, int mask) {
    if (is_control(path) || strcmp(path, "/") == 0) {
        return 0;
    }
    if (g_down) {
        return -EIO;
    }
    return faccessat(g_root, rel(path), mask, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
}

static int lfs_readlink(const char *path, char *buf, size_t size) {
    if (g_down) {
        return -EIO;
    }
    ssize_t n = readlinkat(g_root, rel(path), buf, size - 1);
    if (n < 0) {
        return -errno;
    }
    buf[n] = 0;
    return 0;
}

static int lfs_mknod(const char *path, mode_t mode, dev_t rdev) {
    if (g_down) {
        return -EIO;
    }
    if (is_control(path)) {
        return -EEXIST;
    }
    int r;
    if (S_ISREG(mode)) {
        r = openat(g_root, rel(path), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, mode);
        if (r >= 0) {
            close(r);
            r = 0;
        }
    } else if (S_ISFIFO(mode)) {
        r = mkfifoat(g_root, rel(path), mode);
    } else {
        r = mknodat(g_root, rel(path), mode, rdev);
    }
    return r < 0 ? -errno : 0;
}

static int lfs_mkdir(const char *path, mode_t mode) {
    if (g_down) {
        return -EIO;
    }
    return mkdirat(g_root, rel(path), mode) < 0 ? -errno : 0;
}

static int lfs_unlink(const char *path) {
    if (g_down) {
        return -EIO;
    }
    if (is_control(path)) {
        return -EPERM;
    }
    struct stat sb;
    pthread_mutex_lock(&g_lock);
    struct fstate *s = NULL;
    if (fstatat(g_root, rel(path), &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(sb.st_mode)) {
        s = lookup(sb.st_dev, sb.st_ino);
    }
    int r = unlinkat(g_root, rel(path), 0) < 0 ? -errno : 0;
    if (r == 0 && s) {
        maybe_destroy(s); /* frees it if that was the last link and no handle is open */
    }
    pthread_mutex_unlock(&g_lock);
    return r;
}

static int lfs_rmdir(const char *path) {
    if (g_down) {
        return -EIO;
    }
    return unlinkat(g_root, rel(path), AT_REMOVEDIR) < 0 ? -errno : 0;
}

static int lfs_symlink(const char *target, const char *path) {
    if (g_down) {
        return -EIO;
    }
    if (is_control(path)) {
        return -EEXIST;
    }
    return symlinkat(target, g_root, rel(path)) < 0 ? -errno : 0;
}

/* Rewrites tracked paths equal to from, or under from/, to start with to. g_lock held. */
static void move_paths(const char *from, const char *to) {
    size_t fl = strlen(from);
    for (unsigned b = 0; b < BUCKETS; b++) {
        for (struct fstate *s = g_table[b]; s; s = s->next) {
            if (!s->path || strncmp(s->path, from, fl) != 0
                || (s->path[fl] != 0 && s->path[fl] != '/')) {
                continue;
            }
            char *p = NULL;
            if (asprintf(&p, "%s%s", to, s->path + fl) >= 0) {
                free(s->path);
                s->path = p;
            }
        }
    }
}

static int lfs_rename(const char *from, const char *to, unsigned int flags) {
    if (g_down) {
        return -EIO;
    }
    if (is_control(from) || is_control(to)) {
        return -EPERM;
    }
    struct stat fsb, tsb;
    pthread_mutex_lock(&g_lock);
    struct fstate *victim = NULL;
    int have_from = fstatat(g_root, rel(from), &fsb, AT_SYMLINK_NOFOLLOW) == 0;
    if (!(flags & RENAME_EXCHANGE) && fstatat(g_root, rel(to), &tsb, AT_SYMLINK_NOFOLLOW) == 0
        && S_ISREG(tsb.st_mode) && !(have_from && fsb.st_dev == tsb.st_dev && fsb.st_ino == tsb.st_ino)) {
        victim = lookup(tsb.st_dev, tsb.st_ino);
    }
    int r = renameat2(g_root, rel(from), g_root, rel(to), flags) < 0 ? -errno : 0;
    if (r == 0) {
        if (victim) {
            maybe_destroy(victim); /* the replaced file lost a link */
        }
        if (flags & RENAME_EXCHANGE) {
            /* Park the paths under `to` on a unique prefix first so the two moves do not mix. */
            char tmp[64];
            snprintf(tmp, sizeof tmp, "\001lossyfs-exchange-%p", (void *) &tmp);
            move_paths(to, tmp);
            move_paths(from, to);
            move_paths(tmp, from);
        } else {
            move_paths(from, to);
        }
    }
    pthread_mutex_unlock(&g_lock);
    return r;
}

static int lfs_link(const char *from, const char *to) {
    if (g_down) {
        return -EIO;
    }
    if (is_control(from) || is_control(to)) {
        return -EPERM;
    }
    return linkat(g_root, rel(from), g_root, rel(to), 0) < 0 ? -errno : 0;
}

static int lfs_chmod(const char *path, mode_t mode, struct fuse_file_info *fi) {
    if (fi && H(fi)->kind == H_FILE) {
        if (check_handle(H(fi))) {
            return -EIO;
        }
        return fchmod(H(fi)->st->fd, mode) < 0 ? -errno : 0;
    }
    if (is_control(path)) {
        return -EPERM;
    }
    if (g_down) {
        return -EIO;
    }
    return fchmodat(g_root, rel(path), mode, 0) < 0 ? -errno : 0;
}

static int lfs_chown(const char *path, uid_t uid, gid_t gid, struct fuse_file_info *fi) {
    if (fi && H(fi)->kind == H_FILE) {
        if (check_handle(H(fi))) {
            return -EIO;
        }
        return fchown(H(fi)->st->fd, uid, gid) < 0 ? -errno : 0;
    }
    if (is_control(path)) {
        return -EPERM;
    }
    if (g_down) {
        return -EIO;
    }
    return fchownat(g_root, rel(path), uid, gid, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
}

static int lfs_utimens(const char *path, const struct timespec tv[2], struct fuse_file_info *fi) {
    if (fi && H(fi)->kind == H_FILE) {
        if (check_handle(H(fi))) {
            return -EIO;
        }
        return futimens(H(fi)->st->fd, tv) < 0 ? -errno : 0;
    }
    if (is_control(path)) {
        return 0;
    }
    if (g_down) {
        return -EIO;
    }
    return utimensat(g_root, rel(path), tv, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
}

static int lfs_truncate(const char *path, off_t size, struct fuse_file_info *fi) {
    if (size < 0) {
        return -EINVAL;
    }
    if ((fi && H(fi)->kind == H_CONTROL) || (!fi && is_control(path))) {
        return 0; /* O_TRUNC of the control file */
    }
    if (fi) {
        struct handle *h = H(fi);
        pthread_rwlock_wrlock(&h->st->lock);
        int r = check_handle(h);
        if (r == 0) {
            state_truncate(h->st, size);
        }
        pthread_rwlock_unlock(&h->st->lock);
        return r;
    }
    if (g_down) {
        return -EIO;
    }
    struct stat sb;
    int r = 0;
    pthread_mutex_lock(&g_lock);
    if (fstatat(g_root, rel(path), &sb, 0) < 0) {
        r = -errno;
    } else if (S_ISDIR(sb.st_mode)) {
        r = -EISDIR;
    } else if (!S_ISREG(sb.st_mode)) {
        r = -EINVAL;
    } else {
        struct fstate *s = lookup(sb.st_dev, sb.st_ino);
        if (!s) {
            int writable;
            int fd = open_backing(path, &writable);
            if (fd < 0) {
                r = fd;
            } else if (!writable) {
                close(fd);
                r = -EACCES;
            } else if (fstat(fd, &sb) < 0 || !(s = insert(fd, writable, &sb))) {
                r = -ENOMEM;
                close(fd);
            } else {
                set_path(s, path);
            }
        }
        if (s) {
            pthread_rwlock_wrlock(&s->lock);
            if (g_down) {
                r = -EIO;
            } else {
                state_truncate(s, size);
            }
            pthread_rwlock_unlock(&s->lock);
            maybe_destroy(s);
        }
    }
    pthread_mutex_unlock(&g_lock);
    return r;
}

static int open_file(const char *path, struct fuse_file_info *fi, int fd, int writable) {
    struct stat sb;
    if (fstat(fd, &sb) < 0) {
        int e = errno;
        close(fd);
        return -e;
    }
    struct handle *h = calloc(1, sizeof *h);
    if (!h) {
        close(fd);
        return -ENOMEM;
    }
    pthread_mutex_lock(&g_lock);
    struct fstate *s = lookup(sb.st_dev, sb.st_ino);
    if (s) {
        if (writable && !s->writable) {
            close(s->fd);
            s->fd = fd;
            s->writable = 1;
        } else {
            close(fd);
        }
    } else if (!(s = insert(fd, writable, &sb))) {
        pthread_mutex_unlock(&g_lock);
        close(fd);
        free(h);
        return -ENOMEM;
    }
    s->refs++;
    set_path(s, path);
    h->kind = H_FILE;
    h->st = s;
    h->flags = fi->flags;
    h->gen = g_gen;
    int r = 0;
    if (fi->flags & O_TRUNC) {
        pthread_rwlock_wrlock(&s->lock);
        state_truncate(s, 0);
        pthread_rwlock_unlock(&s->lock);
    }
    if (g_down) {
        r = -EIO; /* crashed while opening */
        s->refs--;
        maybe_destroy(s);
    }
    pthread_mutex_unlock(&g_lock);
    if (r < 0) {
        free(h);
        return r;
    }
    fi->fh = (uint64_t) (uintptr_t) h;
    return 0;
}

static int lfs_open(const char *path, struct fuse_file_info *fi) {
    if (is_control(path)) {
        struct handle *h = calloc(1, sizeof *h);
        if (!h) {
            return -ENOMEM;
        }
        h->kind = H_CONTROL;
        h->text = status_text();
        h->text_len = h->text ? strlen(h->text) : 0;
        fi->fh = (uint64_t) (uintptr_t) h;
        fi->direct_io = 1; /* size 0, content generated: bypass the page cache */
        return 0;
    }
    if (g_down) {
        return -EIO;
    }
    int writable;
    int fd = open_backing(path, &writable);
    if (fd < 0) {
        return fd;
    }
    if (!writable && (fi->flags & O_ACCMODE) != O_RDONLY) {
        close(fd);
        return -EACCES;
    }
    return open_file(path, fi, fd, writable);
}

static int lfs_create(const char *path, mode_t mode, struct fuse_file_info *fi) {
    if (g_down) {
        return -EIO;
    }
    if (is_control(path)) {
        return -EEXIST;
    }
    int fl = O_CREAT | O_RDWR | O_NOFOLLOW | O_CLOEXEC | (fi->flags & O_EXCL);
    int fd = openat(g_root, rel(path), fl, mode);
    if (fd < 0) {
        return -errno;
    }
    return open_file(path, fi, fd, 1);
}

static int lfs_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi) {
    (void) path;
    struct handle *h = H(fi);
    if (h->kind == H_CONTROL) {
        if (off >= (off_t) h->text_len) {
            return 0;
        }
        size_t n = h->text_len - (size_t) off < size ? h->text_len - (size_t) off : size;
        memcpy(buf, h->text + off, n);
        return (int) n;
    }
    pthread_rwlock_rdlock(&h->st->lock);
    int r = check_handle(h);
    if (r == 0) {
        r = state_read(h->st, buf, size, off);
    }
    pthread_rwlock_unlock(&h->st->lock);
    return r;
}

static int lfs_write(const char *path, const char *buf, size_t size, off_t off, struct fuse_file_info *fi) {
    (void) path;
    struct handle *h = H(fi);
    if (h->kind == H_CONTROL) {
        int r = run_command(buf, size);
        return r < 0 ? r : (int) size;
    }
    pthread_rwlock_wrlock(&h->st->lock);
    int r = check_handle(h);
    if (r == 0) {
        r = state_write(h->st, buf, size, off);
    }
    if (r == 0 && (h->flags & (O_SYNC | O_DSYNC))) {
        r = state_sync(h->st, (h->flags & O_SYNC) != O_SYNC);
    }
    pthread_rwlock_unlock(&h->st->lock);
    return r < 0 ? r : (int) size;
}

static int lfs_statfs(const char *path, struct statvfs *st) {
    (void) path;
    if (g_down) {
        return -EIO;
    }
    return fstatvfs(g_root, st) < 0 ? -errno : 0;
}

static int lfs_flush(const char *path, struct fuse_file_info *fi) {
    (void) path;
    struct handle *h = H(fi);
    return h->kind == H_FILE ? check_handle(h) : 0; /* close() persists nothing */
}

static int lfs_release(const char *path, struct fuse_file_info *fi) {
    (void) path;
    struct handle *h = H(fi);
    if (h->kind == H_FILE) {
        pthread_mutex_lock(&g_lock);
        h->st->refs--;
        maybe_destroy(h->st);
        pthread_mutex_unlock(&g_lock);
    }
    free(h->text);
    free(h);
    return 0;
}

static int lfs_fsync(const char *path, int datasync, struct fuse_file_info *fi) {
    (void) path;
    struct handle *h = H(fi);
    if (h->kind == H_CONTROL) {
        return 0;
    }
    pthread_rwlock_wrlock(&h->st->lock);
    int r = check_handle(h);
    if (r == 0) {
        r = state_sync(h->st, datasync);
    }
    pthread_rwlock_unlock(&h->st->lock);
    return r;
}

static int lfs_fallocate(const char *path, int mode, off_t off, off_t len, struct fuse_file_info *fi) {
    (void) path;
    struct handle *h = H(fi);
    if (h->kind == H_CONTROL) {
        return -EOPNOTSUPP;
    }
    if (mode & ~FALLOC_FL_KEEP_SIZE) {
        return -EOPNOTSUPP;
    }
    if (off < 0 || len <= 0) {
        return -EINVAL;
    }
    pthread_rwlock_wrlock(&h->st->lock);
    int r = check_handle(h);
    if (r == 0 && !(mode & FALLOC_FL_KEEP_SIZE) && off + len > h->st->size) {
        h->st->size = off + len; /* the new range reads as zeros: beyond `visible`, no extent */
    }
    pthread_rwlock_unlock(&h->st->lock);
    return r;
}

static int lfs_opendir(const char *path, struct fuse_file_info *fi) {
    if (g_down) {
        return -EIO;
    }
    int fd = openat(g_root, rel(path), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        return -errno;
    }
    struct dirh *d = calloc(1, sizeof *d);
    if (!d || !(d->dp = fdopendir(fd))) {
        int e = d ? errno : ENOMEM;
        free(d);
        close(fd);
        return -e;
    }
    d->kind = H_DIR;
    d->is_root = strcmp(path, "/") == 0;
    fi->fh = (uint64_t) (uintptr_t) d;
    return 0;
}

static int lfs_readdir(const char *path, void *buf, fuse_fill_dir_t filler, off_t off,
                       struct fuse_file_info *fi, enum fuse_readdir_flags flags) {
    (void) path;
    (void) off;
    (void) flags;
    if (g_down) {
        return -EIO;
    }
    struct dirh *d = (struct dirh *) (uintptr_t) fi->fh;
    rewinddir(d->dp);
    errno = 0;
    struct dirent *de;
    while ((de = readdir(d->dp)) != NULL) {
        if (d->is_root && strcmp(de->d_name, CONTROL_NAME) == 0) {
            continue;
        }
        struct stat st;
        memset(&st, 0, sizeof st);
        st.st_ino = de->d_ino;
        st.st_mode = DTTOIF(de->d_type);
        if (filler(buf, de->d_name, &st, 0, 0)) {
            break;
        }
    }
    return errno ? -errno : 0;
}

static int lfs_releasedir(const char *path, struct fuse_file_info *fi) {
    (void) path;
    struct dirh *d = (struct dirh *) (uintptr_t) fi->fh;
    closedir(d->dp);
    free(d);
    return 0;
}

static int lfs_fsyncdir(const char *path, int datasync, struct fuse_file_info *fi) {
    (void) path;
    (void) datasync;
    (void) fi;
    return g_down ? -EIO : 0; /* namespace changes are already in the backing directory */
}

static void *lfs_init(struct fuse_conn_info *conn, struct fuse_config *cfg) {
    conn->want &= ~FUSE_CAP_WRITEBACK_CACHE; /* every write must reach us when it is made */
    cfg->use_ino = 1;
    cfg->nullpath_ok = 1;
    cfg->hard_remove = 1; /* unlink open files for real: no .fuse_hidden files */
    cfg->entry_timeout = 0;
    cfg->negative_timeout = 0;
    cfg->attr_timeout = 0;
    cfg->kernel_cache = 0;
    cfg->auto_cache = 0;
    cfg->direct_io = 0;
    g_fuse = fuse_get_context()->fuse;
    printf("lossyfs: ready\n");
    fflush(stdout);
    return NULL;
}

static const struct fuse_operations ops = {
    .init = lfs_init,
    .getattr = lfs_getattr,
    .access = lfs_access,
    .readlink = lfs_readlink,
    .mknod = lfs_mknod,
    .mkdir = lfs_mkdir,
    .unlink = lfs_unlink,
    .rmdir = lfs_rmdir,
    .symlink = lfs_symlink,
    .rename = lfs_rename,
    .link = lfs_link,
    .chmod = lfs_chmod,
    .chown = lfs_chown,
    .truncate = lfs_truncate,
    .utimens = lfs_utimens,
    .open = lfs_open,
    .create = lfs_create,
    .read = lfs_read,
    .write = lfs_write,
    .statfs = lfs_statfs,
    .flush = lfs_flush,
    .release = lfs_release,
    .fsync = lfs_fsync,
    .fallocate = lfs_fallocate,
    .opendir = lfs_opendir,
    .readdir = lfs_readdir,
    .releasedir = lfs_releasedir,
    .fsyncdir = lfs_fsyncdir,
};

static void usage(void) {
    fprintf(stderr, "usage: lossyfs [--watch-stdin] BACKING_DIR MOUNTPOINT [FUSE options]\n");
}

int main(int argc, char **argv) {
    int argi = 1, watch_stdin = 0;
    if (argi < argc && strcmp(argv[argi], "--watch-stdin") == 0) {
        watch_stdin = 1;
        argi++;
    }
    if (argc - argi < 2) {
        usage();
        return 2;
    }
    const char *backing = argv[argi];
    g_mountpoint = realpath(argv[argi + 1], NULL); /* libfuse changes the working directory */
    if (!g_mountpoint) {
        logmsg("bad mount point %s: %s", argv[argi + 1], strerror(errno));
        return 1;
    }
    g_root = open(backing, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (g_root < 0) {
        logmsg("cannot open backing directory %s: %s", backing, strerror(errno));
        return 1;
    }
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max; /* one backing fd per open or dirty file */
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    umask(0); /* the kernel has applied the caller's umask to the modes it sends */
    g_main_thread = pthread_self();

    static sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* inherited by every thread; one thread waits */
    pthread_t t;
    if (pthread_create(&t, NULL, signal_thread, &set) != 0) {
        logmsg("cannot start the signal thread");
        return 1;
    }
    pthread_detach(t);
    if (watch_stdin) {
        if (pthread_create(&t, NULL, stdin_thread, NULL) != 0) {
            logmsg("cannot start the stdin thread");
            return 1;
        }
        pthread_detach(t);
    }

    int n = 0;
    char **fargv = calloc((size_t) (argc + 8), sizeof *fargv);
    fargv[n++] = argv[0];
    fargv[n++] = (char *) g_mountpoint;
    fargv[n++] = "-f";
    fargv[n++] = "-o";
    fargv[n++] = "default_permissions,fsname=lossyfs,subtype=lossyfs,max_threads=16,max_idle_threads=8";
    for (int i = argi + 2; i < argc; i++) {
        fargv[n++] = argv[i];
    }
    int r = fuse_main(n, fargv, &ops, NULL);
    free(fargv);
    return r;
}
