// header_cxx.cc: the same program as header_c.c, compiled as pedantic C++11: include/vnsearch.h
// has its extern "C" guards and no C-only syntax in its macros.
#include "header_c.c"
