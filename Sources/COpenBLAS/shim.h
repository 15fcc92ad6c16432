// OpenBLAS, declarations only.
//
// We include cblas.h for its enums and prototypes but do not link the library: Debian's
// OpenBLAS reads OPENBLAS_CORETYPE once, while it loads, and mis-detects recent x86 CPUs.
// FCNKernels/BLAS.swift therefore chooses the core type, sets the variable, and only then
// opens libopenblas.so.0 with dlopen. The typedefs below give the exact C function-pointer
// types of the symbols it looks up, taken from cblas.h itself so they cannot drift.
#include <cblas.h>

typedef __typeof__(cblas_sgemm) *fcn_cblas_sgemm_fn;
typedef __typeof__(openblas_set_num_threads) *fcn_openblas_set_num_threads_fn;
typedef __typeof__(openblas_get_num_threads) *fcn_openblas_get_num_threads_fn;
typedef __typeof__(openblas_get_corename) *fcn_openblas_get_corename_fn;
typedef __typeof__(openblas_get_config) *fcn_openblas_get_config_fn;
