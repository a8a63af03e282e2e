#define _GNU_SOURCE
#include "HawserFileIO.h"

#include <errno.h>
#include <sys/uio.h>

// Swift's Glibc module does not declare preadv2 (it needs _GNU_SOURCE), hence C.
ssize_t hawser_pread_cached(int descriptor, void *buffer, size_t count, off_t offset) {
#if defined(__linux__) && defined(RWF_NOWAIT)
    struct iovec vector = { .iov_base = buffer, .iov_len = count };
    ssize_t result;
    do {
        result = preadv2(descriptor, &vector, 1, offset, RWF_NOWAIT);
    } while (result < 0 && errno == EINTR);
    // Kernels or file systems without RWF_NOWAIT say EOPNOTSUPP: the caller reads on its pool.
    if (result < 0 && errno == EOPNOTSUPP) errno = EAGAIN;
    return result;
#else
    (void)descriptor; (void)buffer; (void)count; (void)offset;
    errno = EAGAIN;
    return -1;
#endif
}
