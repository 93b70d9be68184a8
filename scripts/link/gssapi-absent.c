// Why this file exists: libgit2 uses GSSAPI for one thing, Negotiate (Kerberos) authentication
// on its HTTP transport, and Debian ships no static libgssapi_krb5. Linking the shared one pulled
// in seven libraries (krb5, k5crypto, com_err, keyutils, resolv, ...) whose loading cost about
// 1.5 ms of every plue process, sshd's key lookup included.
//
// Plue never uses libgit2's network transports (the git CLI does all transport), so the release
// build (scripts/build) links these instead: every call reports that no GSSAPI mechanism is
// available, which makes libgit2 fail Negotiate authentication with an error rather than attempt
// it. Only scripts/build compiles this file; debug and test builds use Debian's libraries as they are.

#include <stddef.h>
#include <stdint.h>

typedef uint32_t OM_uint32;

#define GSS_S_COMPLETE 0u
#define GSS_S_UNAVAILABLE (16u << 16)

// The name type libgit2 passes to gss_import_name; never dereferenced, since that call fails.
void *GSS_C_NT_HOSTBASED_SERVICE = NULL;

static OM_uint32 unavailable(OM_uint32 *minor) {
    if (minor) *minor = 0;
    return GSS_S_UNAVAILABLE;
}

OM_uint32 gss_indicate_mechs(OM_uint32 *minor, void **mechanisms) {
    if (mechanisms) *mechanisms = NULL;
    return unavailable(minor);
}

OM_uint32 gss_import_name(OM_uint32 *minor, const void *name, const void *type, void **output) {
    (void)name; (void)type;
    if (output) *output = NULL;
    return unavailable(minor);
}

OM_uint32 gss_init_sec_context(OM_uint32 *minor, void *credential, void **context, void *target, void *mechanism,
                               OM_uint32 flags, OM_uint32 time, void *bindings, void *input, void **actual_mechanism,
                               void *output, OM_uint32 *returned_flags, OM_uint32 *returned_time) {
    (void)credential; (void)context; (void)target; (void)mechanism; (void)flags; (void)time; (void)bindings;
    (void)input; (void)output;
    if (actual_mechanism) *actual_mechanism = NULL;
    if (returned_flags) *returned_flags = 0;
    if (returned_time) *returned_time = 0;
    return unavailable(minor);
}

OM_uint32 gss_display_status(OM_uint32 *minor, OM_uint32 status, int type, void *mechanism, OM_uint32 *context, void *text) {
    (void)status; (void)type; (void)mechanism; (void)text;
    if (context) *context = 0;
    return unavailable(minor);
}

// Nothing above ever allocates, so there is nothing to release: these succeed having freed nothing.
OM_uint32 gss_release_buffer(OM_uint32 *minor, void *buffer) { (void)buffer; if (minor) *minor = 0; return GSS_S_COMPLETE; }
OM_uint32 gss_release_name(OM_uint32 *minor, void **name) { (void)name; if (minor) *minor = 0; return GSS_S_COMPLETE; }
OM_uint32 gss_release_oid_set(OM_uint32 *minor, void **set) { (void)set; if (minor) *minor = 0; return GSS_S_COMPLETE; }
OM_uint32 gss_delete_sec_context(OM_uint32 *minor, void **context, void *output) {
    (void)context; (void)output;
    if (minor) *minor = 0;
    return GSS_S_COMPLETE;
}
