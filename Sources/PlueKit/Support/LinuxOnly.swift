// Plue is built for Linux only: it calls Glibc directly, reads Linux's stat fields (st_mtim) and
// /proc, and its release link uses Debian's static libraries (scripts/build). Say so plainly on any
// other system rather than fail on the first missing name.
#if !os(Linux)
#error("Plue builds on Linux only (it uses Glibc, Linux's stat fields and /proc)")
#endif
