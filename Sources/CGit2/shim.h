#ifndef CGIT2_SHIM_H
#define CGIT2_SHIM_H
#include <git2.h>

/* git_libgit2_opts() is C-variadic, which Swift cannot call: one static inline wrapper per option. */
static inline int CGit2_enable_caching(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_CACHING, enabled);
}
static inline int CGit2_set_cache_max_size(long long bytes) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)bytes);
}
static inline int CGit2_set_mwindow_mapped_limit(size_t bytes) {
    return git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, bytes);
}
static inline int CGit2_set_mwindow_size(size_t bytes) {
    return git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, bytes);
}
/* Skip the SHA-1 re-check of every object read (git cat-file does not verify either): ~3x faster reads. */
static inline int CGit2_enable_strict_hash_verification(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled);
}
#endif
