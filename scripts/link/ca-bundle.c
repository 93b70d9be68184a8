// Why this file exists: libgit2 1.5 as Debian builds it (with mbedTLS) parses the whole system
// CA bundle, /etc/ssl/certs/ca-certificates.crt (about 140 certificates), inside
// git_libgit2_init(), for its HTTPS transport. That took 5-6 ms of every plue command that reads
// a repository, more than everything else Plue does for `plue repo show`.
//
// Plue never uses libgit2's network transports: clone, fetch and push go through the git CLI,
// which verifies certificates itself. So the release build (scripts/build) links libgit2
// statically with `--wrap=mbedtls_x509_crt_parse_file`, which sends libgit2's call here, and this
// refuses to load the bundle with mbedTLS's own "file I/O error" code. libgit2 then starts with
// no trusted certificates: any HTTPS connection it were ever asked to make would fail
// certificate verification (fail closed), never succeed unverified.
//
// Only scripts/build compiles this file, into the release link; debug and test builds link
// Debian's shared libgit2 as it is.

int __wrap_mbedtls_x509_crt_parse_file(void *chain, const char *path) {
    (void)chain;
    (void)path;
    return -0x2900; /* MBEDTLS_ERR_X509_FILE_IO_ERROR */
}
