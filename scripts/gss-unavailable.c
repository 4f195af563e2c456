/* Release builds link libgit2 statically. Its SPNEGO ("Negotiate") HTTP authentication calls GSS-API, which
 * Debian ships only as shared Kerberos libraries; eskit never talks to a remote (it reads local repositories),
 * so these definitions make every GSS-API call fail cleanly instead of pulling libkrb5 into the binary.
 * GSS_S_FAILURE is (13 << 16) per RFC 2744. */
#include <stddef.h>
#include <stdint.h>

typedef uint32_t OM_uint32;
#define GSS_S_FAILURE (13u << 16)

void *GSS_C_NT_HOSTBASED_SERVICE = NULL;

static OM_uint32 unavailable(OM_uint32 *minor) { if (minor) *minor = 0; return GSS_S_FAILURE; }

OM_uint32 gss_delete_sec_context(OM_uint32 *m, void *c, void *t) { (void)c; (void)t; return unavailable(m); }
OM_uint32 gss_display_status(OM_uint32 *m, OM_uint32 s, int t, void *o, OM_uint32 *c, void *b) {
    (void)s; (void)t; (void)o; (void)c; (void)b; return unavailable(m);
}
OM_uint32 gss_import_name(OM_uint32 *m, void *b, void *t, void *n) { (void)b; (void)t; (void)n; return unavailable(m); }
OM_uint32 gss_indicate_mechs(OM_uint32 *m, void *s) { (void)s; return unavailable(m); }
OM_uint32 gss_init_sec_context(OM_uint32 *m, void *a, void *b, void *c, void *d, OM_uint32 e, OM_uint32 f, void *g,
                               void *h, void *i, void *j, OM_uint32 *k, OM_uint32 *l) {
    (void)a; (void)b; (void)c; (void)d; (void)e; (void)f; (void)g; (void)h; (void)i; (void)j; (void)k; (void)l;
    return unavailable(m);
}
OM_uint32 gss_release_buffer(OM_uint32 *m, void *b) { (void)b; return unavailable(m); }
OM_uint32 gss_release_name(OM_uint32 *m, void *n) { (void)n; return unavailable(m); }
OM_uint32 gss_release_oid_set(OM_uint32 *m, void *s) { (void)s; return unavailable(m); }
