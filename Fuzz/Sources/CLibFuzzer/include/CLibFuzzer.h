// CLibFuzzer.h — the one libFuzzer entry point the fuzz targets call (from compiler-rt's
// FuzzerInterface.h / FuzzerDriver.cpp). Linked by `-sanitize=fuzzer`.
#ifndef CLIBFUZZER_H
#define CLIBFUZZER_H
#include <stddef.h>
#include <stdint.h>

/// Runs libFuzzer with the command line `argc`/`argv`, calling `callback` on every input.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
