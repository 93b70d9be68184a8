#ifndef PLUE_CSPAWN_H
#define PLUE_CSPAWN_H
#include <spawn.h>

/// posix_spawn_file_actions_addclosefrom_np (glibc 2.34): the child closes every descriptor from
/// `first` up. glibc declares it only under _GNU_SOURCE, which Swift's Glibc module leaves out.
int plue_spawn_close_from(posix_spawn_file_actions_t *actions, int first);
#endif
