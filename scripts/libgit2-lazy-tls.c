/* Release builds link libgit2 statically. Its global init (git_libgit2_init) sets up mbedTLS and parses the whole
 * system CA bundle (/etc/ssl/certs/ca-certificates.crt, ~140 certificates): about 4 ms, a quarter of a pre-commit
 * hook's run, for TLS that eskit never uses (it reads local repositories). The linker's --wrap sends libgit2's own
 * calls here: the init is deferred to the first TLS stream or certificate setting, so it still happens, once,
 * exactly when something needs it. */
#include <pthread.h>

struct git_stream;

int __real_git_mbedtls_stream_global_init(void);
int __real_git_mbedtls__set_cert_location(const char *file, const char *path);
int __real_git_mbedtls_stream_new(struct git_stream **out, const char *host, const char *port);
int __real_git_mbedtls_stream_wrap(struct git_stream **out, struct git_stream *in, const char *host);

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int init_result;

static void init_now(void) { init_result = __real_git_mbedtls_stream_global_init(); }

static int ensure_init(void) {
    pthread_once(&once, init_now);
    return init_result;
}

int __wrap_git_mbedtls_stream_global_init(void) { return 0; }

int __wrap_git_mbedtls__set_cert_location(const char *file, const char *path) {
    int error = ensure_init();
    return error ? error : __real_git_mbedtls__set_cert_location(file, path);
}

int __wrap_git_mbedtls_stream_new(struct git_stream **out, const char *host, const char *port) {
    int error = ensure_init();
    return error ? error : __real_git_mbedtls_stream_new(out, host, port);
}

int __wrap_git_mbedtls_stream_wrap(struct git_stream **out, struct git_stream *in, const char *host) {
    int error = ensure_init();
    return error ? error : __real_git_mbedtls_stream_wrap(out, in, host);
}
