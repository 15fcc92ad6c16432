// Cairo, the 2-D vector graphics library used for every figure and synthetic scene.
// PNG, PDF and SVG surfaces are all part of Debian's libcairo2-dev.
#include <cairo/cairo.h>
#include <cairo/cairo-pdf.h>
#include <cairo/cairo-svg.h>
