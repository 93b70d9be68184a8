#ifndef PLUE_CZLIB_SHIM_H
#define PLUE_CZLIB_SHIM_H
#include <zlib.h>
#endif
