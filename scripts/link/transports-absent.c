// Why this file exists: Plue never uses libgit2's network transports. Clone, fetch and push go
// through the git CLI, which does its own TLS and SSH. Yet git_libgit2_init(), which every plue
// command that reads a repository runs, set both of them up as Debian builds libgit2 1.5:
// - TLS (mbedTLS): parsing the whole system CA bundle (5-6 ms) and seeding a random generator
//   from HAVEGE and the CPU clock (about 0.6 ms);
// - SSH (libssh2): initialising OpenSSL (about 0.3 ms).
//
// So the release build (scripts/build) links libgit2 statically with `--wrap=NAME` for each
// __wrap_NAME below, which sends libgit2's calls here instead:
// - the two global initialisations do nothing, so neither mbedTLS nor libssh2 is ever set up;
// - every way into those transports (a TLS stream, an SSH subtransport, setting certificate
//   locations) fails with a libgit2 error that says why. Nothing can reach the uninitialised
//   libraries, and any HTTPS or SSH remote libgit2 were ever asked to use fails loudly.
// `--wrap` silently does nothing for a NAME that libgit2 does not call, so scripts/build stops if
// libgit2.a does not both define and call each NAME (another libgit2 version needs this file
// updated), and if the built binary still reads the CA bundle.
//
// Only scripts/build compiles this file; debug and test builds link Debian's shared libgit2 as it is.

#include <git2/errors.h>

static const char refusal[] =
    "libgit2's network transports are not built into plue; plue uses the git command for transport";

int __wrap_git_mbedtls_stream_global_init(void) { return 0; }

int __wrap_git_transport_ssh_global_init(void) { return 0; }

static int refuse(int error_class) {
    git_error_set_str(error_class, refusal);
    return -1;
}

int __wrap_git_mbedtls_stream_new(void **out, const char *host, const char *port) {
    (void)host; (void)port;
    if (out) *out = 0;
    return refuse(GIT_ERROR_SSL);
}

int __wrap_git_mbedtls_stream_wrap(void **out, void *in, const char *host) {
    (void)in; (void)host;
    if (out) *out = 0;
    return refuse(GIT_ERROR_SSL);
}

int __wrap_git_mbedtls__set_cert_location(const char *file, const char *path) {
    (void)file; (void)path;
    return refuse(GIT_ERROR_SSL);
}

int __wrap_git_smart_subtransport_ssh(void **out, void *owner, void *param) {
    (void)owner; (void)param;
    if (out) *out = 0;
    return refuse(GIT_ERROR_SSH);
}
