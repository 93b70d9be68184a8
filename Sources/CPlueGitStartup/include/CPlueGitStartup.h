#ifndef PLUE_GIT_STARTUP_H
#define PLUE_GIT_STARTUP_H
// See ca_bundle.c: the release build routes one libgit2 start-up call here with the linker's
// --wrap. Nothing is declared for Swift to call.
#endif
