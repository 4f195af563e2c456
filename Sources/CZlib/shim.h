#ifndef CZLIB_SHIM_H
#define CZLIB_SHIM_H
#include <zlib.h>

/* inflateInit is a macro: Swift cannot call it. */
static inline int CZlib_inflateInit(z_stream *stream) {
    return inflateInit(stream);
}
#endif
