// CImageCodecs.h — decode PNG/JPEG and encode PNG, in memory, with plain error codes.
//
// A thin C layer over libpng and libjpeg. Both libraries report errors by longjmp; every
// setjmp/longjmp pair lives inside one function of image_codecs.c, so a longjmp never crosses
// a Swift frame. Callers get a status code and a message instead.
#ifndef CIMAGECODECS_H
#define CIMAGECODECS_H

#include <stddef.h>
#include <stdint.h>

#include "cic_pending_files.h"  // the atomic writer's signal cleanup (not a codec; see there)

typedef enum {
    CIC_OK = 0,
    CIC_ERROR_CORRUPT = 1,     // the library rejected the data (message says why)
    CIC_ERROR_TOO_LARGE = 2,   // width × height above the caller's limit
    CIC_ERROR_NO_MEMORY = 3,
    CIC_ERROR_ARGUMENT = 4,    // caller error (zero size, bad palette, …)
} cic_status;

/// A decoded image. `rgb` holds width × height × 3 bytes, row-major, R G B.
/// For palette PNGs `indices` holds width × height palette indices and `palette` the
/// `palette_count` RGB entries; otherwise `indices` is NULL and `palette_count` 0.
typedef struct {
    uint32_t width, height;
    uint8_t *rgb;
    uint8_t *indices;
    uint8_t palette[256 * 3];
    int palette_count;
} cic_image;

/// Frees the buffers of an image filled by a decoder (safe on a zeroed image).
void cic_image_free(cic_image *image);

/// Decodes a PNG of any colour type and bit depth to 8-bit RGB (16-bit samples keep their high
/// byte, alpha is dropped, grey is replicated). Refuses images with more than `max_pixels`
/// pixels before allocating; libpng allocates no ancillary chunk above 8 MiB (and none larger
/// than the data, for small files). On failure `image` is left empty and `message` says why.
cic_status cic_png_decode(const uint8_t *data, size_t size, uint64_t max_pixels,
                          cic_image *image, char *message, size_t message_size);

/// Decodes a baseline or progressive JPEG (grey or colour) to 8-bit RGB. Warnings from
/// libjpeg (e.g. premature end of data) are treated as errors: a truncated file is refused
/// instead of being returned half grey. libjpeg's own allocations (coefficient buffers of
/// progressive JPEGs) are limited to `max_memory` bytes.
cic_status cic_jpeg_decode(const uint8_t *data, size_t size, uint64_t max_pixels, uint64_t max_memory,
                           cic_image *image, char *message, size_t message_size);

/// Encodes RGB8 pixels (width × height × 3) as a PNG in memory. On success `*output` is a
/// malloc'ed buffer of `*output_size` bytes that the caller frees with `cic_free`.
cic_status cic_png_encode_rgb(const uint8_t *rgb, uint32_t width, uint32_t height,
                              uint8_t **output, size_t *output_size, char *message, size_t message_size);

/// Encodes 8-bit palette indices (width × height) with `palette_count` (1–256) RGB entries
/// as an indexed-colour PNG in memory. Every index must be < palette_count.
cic_status cic_png_encode_indexed(const uint8_t *indices, uint32_t width, uint32_t height,
                                  const uint8_t *palette, int palette_count,
                                  uint8_t **output, size_t *output_size, char *message, size_t message_size);

/// Frees a buffer returned by an encoder.
void cic_free(void *buffer);

#endif
