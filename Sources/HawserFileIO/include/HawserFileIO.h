#ifndef HAWSER_FILE_IO_H
#define HAWSER_FILE_IO_H

#include <stddef.h>
#include <sys/types.h>

/// Reads up to `count` bytes at `offset` only if that needs no disk I/O (the bytes
/// are in the page cache): Linux's preadv2 with RWF_NOWAIT. Returns the bytes read
/// (possibly fewer than asked, when only the first part is cached), or -1 with
/// errno EAGAIN when the read would wait for the disk, and on systems without
/// RWF_NOWAIT; -1 with another errno on a failure.
ssize_t hawser_pread_cached(int descriptor, void *buffer, size_t count, off_t offset);

#endif
