// CLibFuzzer.c — nothing to compile: the target exists to export CLibFuzzer.h to Swift.
#include "CLibFuzzer.h"
