// image_codecs.c — PNG and JPEG decoding, PNG encoding, all in memory (see CImageCodecs.h).
//
// libpng and libjpeg report fatal errors by calling a handler that must not return; ours copy
// the message and longjmp back to the setjmp at the top of the public function that started
// the work. Rules that keep this sound:
//   - every setjmp and every longjmp that targets it are in this file, in the same call;
//   - locals changed after setjmp and read after the jump are `volatile`;
//   - results reach the caller's `cic_image` only after the last library call succeeded,
//     so a failure never leaves partial output.
//
// Memory: both libraries allocate from sizes written in the file. libpng allocates a whole
// ancillary chunk (tEXt, iCCP, …) at the length its header claims — a 105-byte PNG may claim
// 2³¹ — and libjpeg's progressive decoder allocates coefficient buffers for the declared image
// size, whatever the file's size. So each decoder gets a limit before it reads a byte:
// `png_set_chunk_malloc_max` (CIC_PNG_CHUNK_MAX) and `png_set_user_limits` for libpng,
// `max_memory_to_use` for libjpeg, plus a cap on progressive scans (a crafted JPEG with
// thousands of scans costs quadratic time).
#include "CImageCodecs.h"

#include <stdio.h>  // before jpeglib.h, which uses FILE without including it

#include <jpeglib.h>
#include <jerror.h>
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

static void set_message(char *message, size_t message_size, const char *text) {
    if (message && message_size > 0) snprintf(message, message_size, "%s", text);
}

void cic_image_free(cic_image *image) {
    if (!image) return;
    free(image->rgb);
    free(image->indices);
    memset(image, 0, sizeof *image);
}

void cic_free(void *buffer) { free(buffer); }

// MARK: - libpng plumbing

typedef struct {
    char *message;
    size_t message_size;
} png_error_context;

typedef struct {
    const uint8_t *data;
    size_t size, offset;
} png_memory_source;

typedef struct {
    uint8_t *data;
    size_t size, capacity;
} png_memory_sink;

static void png_error_handler(png_structp png, png_const_charp text) {
    png_error_context *context = png_get_error_ptr(png);
    set_message(context->message, context->message_size, text);
    png_longjmp(png, 1);
}

static void png_warning_handler(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;  // warnings (bad ancillary chunks, …) do not affect the pixels: ignore
}

static void png_read_from_memory(png_structp png, png_bytep out, size_t length) {
    png_memory_source *source = png_get_io_ptr(png);
    if (length > source->size - source->offset) png_error(png, "truncated PNG data");
    memcpy(out, source->data + source->offset, length);
    source->offset += length;
}

static void png_write_to_memory(png_structp png, png_bytep data, size_t length) {
    png_memory_sink *sink = png_get_io_ptr(png);
    if (length > sink->capacity - sink->size) {
        size_t capacity = sink->capacity ? sink->capacity : 4096;
        while (capacity - sink->size < length) capacity *= 2;
        uint8_t *grown = realloc(sink->data, capacity);
        if (!grown) png_error(png, "out of memory");
        sink->data = grown;
        sink->capacity = capacity;
    }
    memcpy(sink->data + sink->size, data, length);
    sink->size += length;
}

static void png_flush_memory(png_structp png) { (void)png; }

// The largest ancillary chunk libpng may allocate (text, ICC profile, …): real ones are a few
// kB; 8 MiB is libpng's own suggested default (PNG_USER_CHUNK_MALLOC_MAX), which distributions
// often build without.
enum { CIC_PNG_CHUNK_MAX = 8 << 20, CIC_PNG_CHUNK_CACHE_MAX = 128, CIC_JPEG_MAX_SCANS = 500 };

// MARK: - PNG decode

cic_status cic_png_decode(const uint8_t *data, size_t size, uint64_t max_pixels,
                          cic_image *image, char *message, size_t message_size) {
    memset(image, 0, sizeof *image);
    if (!data || size < 8 || png_sig_cmp(data, 0, 8) != 0) {
        set_message(message, message_size, "not a PNG (bad signature)");
        return CIC_ERROR_CORRUPT;
    }
    png_error_context errors = {message, message_size};
    png_memory_source source = {data, size, 0};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &errors, png_error_handler, png_warning_handler);
    if (!png) return CIC_ERROR_NO_MEMORY;
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        return CIC_ERROR_NO_MEMORY;
    }

    uint8_t *volatile pixels = NULL;    // what libpng writes: RGB, or indices for palette PNGs
    uint8_t *volatile rgb = NULL;       // palette PNGs only: the indices looked up
    png_bytep *volatile rows = NULL;
    volatile cic_status status = CIC_ERROR_CORRUPT;

    if (setjmp(png_jmpbuf(png))) goto fail;  // libpng errors land here
    png_set_read_fn(png, &source, png_read_from_memory);
    // Limits before the first chunk is read (see the top of the file).
    png_uint_32 side_max = max_pixels < 0x7fffffffu ? (png_uint_32)max_pixels : 0x7fffffffu;
    png_set_user_limits(png, side_max, side_max);
    png_set_chunk_malloc_max(png, CIC_PNG_CHUNK_MAX < size ? CIC_PNG_CHUNK_MAX : (size > 65536 ? size : 65536));
    png_set_chunk_cache_max(png, CIC_PNG_CHUNK_CACHE_MAX);
    png_read_info(png, info);

    png_uint_32 width, height;
    int depth, colour, interlace;
    png_get_IHDR(png, info, &width, &height, &depth, &colour, &interlace, NULL, NULL);
    if ((uint64_t)width * height > max_pixels) {
        snprintf(message, message_size, "PNG is %u×%u pixels, more than the limit of %llu",
                 (unsigned)width, (unsigned)height, (unsigned long long)max_pixels);
        status = CIC_ERROR_TOO_LARGE;
        goto fail;
    }
    int palette = colour == PNG_COLOR_TYPE_PALETTE;
    size_t channels = palette ? 1 : 3;
    if (palette) {
        if (depth < 8) png_set_packing(png);  // 1, 2, 4-bit indices → one byte each
    } else {
        if (colour == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
        if (depth == 16) png_set_strip_16(png);
        if (colour & PNG_COLOR_MASK_ALPHA) png_set_strip_alpha(png);
        if (!(colour & PNG_COLOR_MASK_COLOR)) png_set_gray_to_rgb(png);
    }
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    if (png_get_rowbytes(png, info) != (size_t)width * channels) png_error(png, "unexpected row layout after conversion");

    pixels = malloc((size_t)width * height * channels + 1);
    rows = malloc(sizeof(png_bytep) * (height ? height : 1));
    if (!pixels || !rows) {
        set_message(message, message_size, "out of memory");
        status = CIC_ERROR_NO_MEMORY;
        goto fail;
    }
    for (png_uint_32 y = 0; y < height; y++) rows[y] = pixels + (size_t)y * width * channels;
    png_read_image(png, rows);
    png_read_end(png, NULL);

    if (palette) {
        png_colorp entries = NULL;
        int count = 0;
        if (!png_get_PLTE(png, info, &entries, &count) || count < 1 || count > 256) png_error(png, "palette PNG without a valid PLTE chunk");
        for (int i = 0; i < count; i++) {
            image->palette[3 * i] = entries[i].red;
            image->palette[3 * i + 1] = entries[i].green;
            image->palette[3 * i + 2] = entries[i].blue;
        }
        image->palette_count = count;
        rgb = malloc((size_t)width * height * 3 + 1);
        if (!rgb) {
            set_message(message, message_size, "out of memory");
            status = CIC_ERROR_NO_MEMORY;
            goto fail;
        }
        // Indices beyond the palette (allowed by libpng, meaningless) become black.
        for (size_t i = 0; i < (size_t)width * height; i++) {
            int index = pixels[i];
            for (int c = 0; c < 3; c++) rgb[3 * i + c] = index < count ? image->palette[3 * index + c] : 0;
        }
        image->indices = pixels;
        image->rgb = rgb;
    } else {
        image->rgb = pixels;
    }
    image->width = width;
    image->height = height;
    free(rows);
    png_destroy_read_struct(&png, &info, NULL);
    return CIC_OK;

fail:
    free(rows);
    free(pixels);
    free(rgb);
    png_destroy_read_struct(&png, &info, NULL);
    memset(image, 0, sizeof *image);
    return status;
}

// MARK: - PNG encode

static cic_status png_encode(const uint8_t *pixels, uint32_t width, uint32_t height, int colour,
                             const uint8_t *palette, int palette_count,
                             uint8_t **output, size_t *output_size, char *message, size_t message_size) {
    *output = NULL;
    *output_size = 0;
    size_t channels = colour == PNG_COLOR_TYPE_PALETTE ? 1 : 3;
    if (width == 0 || height == 0) {
        set_message(message, message_size, "PNG needs at least one pixel");
        return CIC_ERROR_ARGUMENT;
    }
    png_error_context errors = {message, message_size};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &errors, png_error_handler, png_warning_handler);
    if (!png) return CIC_ERROR_NO_MEMORY;
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        return CIC_ERROR_NO_MEMORY;
    }
    // On the heap, and the pointer is never changed after setjmp: safe to use after a jump.
    png_memory_sink *sink = calloc(1, sizeof *sink);
    if (!sink) {
        png_destroy_write_struct(&png, &info);
        return CIC_ERROR_NO_MEMORY;
    }
    png_bytep *volatile rows = NULL;

    if (setjmp(png_jmpbuf(png))) {
        free(rows);
        free(sink->data);
        free(sink);
        png_destroy_write_struct(&png, &info);
        return CIC_ERROR_CORRUPT;
    }
    png_set_write_fn(png, sink, png_write_to_memory, png_flush_memory);
    png_set_IHDR(png, info, width, height, 8, colour, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (colour == PNG_COLOR_TYPE_PALETTE) {
        png_color entries[256];
        for (int i = 0; i < palette_count; i++) {
            entries[i].red = palette[3 * i];
            entries[i].green = palette[3 * i + 1];
            entries[i].blue = palette[3 * i + 2];
        }
        png_set_PLTE(png, info, entries, palette_count);
    }
    rows = malloc(sizeof(png_bytep) * height);
    if (!rows) png_error(png, "out of memory");
    for (uint32_t y = 0; y < height; y++) rows[y] = (png_bytep)(pixels + (size_t)y * width * channels);
    png_write_info(png, info);
    png_write_image(png, rows);
    png_write_end(png, NULL);

    free(rows);
    png_destroy_write_struct(&png, &info);
    *output = sink->data;
    *output_size = sink->size;
    free(sink);
    return CIC_OK;
}

cic_status cic_png_encode_rgb(const uint8_t *rgb, uint32_t width, uint32_t height,
                              uint8_t **output, size_t *output_size, char *message, size_t message_size) {
    return png_encode(rgb, width, height, PNG_COLOR_TYPE_RGB, NULL, 0, output, output_size, message, message_size);
}

cic_status cic_png_encode_indexed(const uint8_t *indices, uint32_t width, uint32_t height,
                                  const uint8_t *palette, int palette_count,
                                  uint8_t **output, size_t *output_size, char *message, size_t message_size) {
    *output = NULL;
    *output_size = 0;
    if (palette_count < 1 || palette_count > 256) {
        set_message(message, message_size, "palette must have 1 to 256 entries");
        return CIC_ERROR_ARGUMENT;
    }
    for (size_t i = 0; i < (size_t)width * height; i++) {
        if (indices[i] >= palette_count) {
            snprintf(message, message_size, "pixel %zu has index %d, beyond the %d-entry palette", i, indices[i], palette_count);
            return CIC_ERROR_ARGUMENT;
        }
    }
    return png_encode(indices, width, height, PNG_COLOR_TYPE_PALETTE, palette, palette_count, output, output_size, message, message_size);
}

// MARK: - JPEG decode

typedef struct {
    struct jpeg_error_mgr manager;  // first member: libjpeg hands us a pointer to it
    jmp_buf jump;
    char *message;
    size_t message_size;
} jpeg_error_context;

static void jpeg_error_handler(j_common_ptr info) {
    jpeg_error_context *context = (jpeg_error_context *)info->err;
    char text[JMSG_LENGTH_MAX];
    (*info->err->format_message)(info, text);
    set_message(context->message, context->message_size, text);
    longjmp(context->jump, 1);
}

// Called by libjpeg between passes and scans: refuses a JPEG with absurdly many scans.
static void jpeg_progress(j_common_ptr info) {
    if (info->is_decompressor && ((j_decompress_ptr)info)->input_scan_number > CIC_JPEG_MAX_SCANS) {
        jpeg_error_context *context = (jpeg_error_context *)info->err;
        snprintf(context->message, context->message_size, "JPEG has more than %d scans", CIC_JPEG_MAX_SCANS);
        longjmp(context->jump, 1);
    }
}

static void jpeg_message_handler(j_common_ptr info, int level) {
    // level < 0 is a warning about corrupt data (e.g. "Premature end of JPEG file", after
    // which libjpeg would fill the rest with grey). Refuse the image instead. Levels ≥ 0 are
    // trace messages: ignore.
    if (level < 0) jpeg_error_handler(info);
}

cic_status cic_jpeg_decode(const uint8_t *data, size_t size, uint64_t max_pixels, uint64_t max_memory,
                           cic_image *image, char *message, size_t message_size) {
    memset(image, 0, sizeof *image);
    if (!data || size < 3 || data[0] != 0xFF || data[1] != 0xD8 || data[2] != 0xFF) {
        set_message(message, message_size, "not a JPEG (bad signature)");
        return CIC_ERROR_CORRUPT;
    }
    struct jpeg_decompress_struct info;
    jpeg_error_context errors;
    info.err = jpeg_std_error(&errors.manager);
    errors.manager.error_exit = jpeg_error_handler;
    errors.manager.emit_message = jpeg_message_handler;
    errors.message = message;
    errors.message_size = message_size;
    uint8_t *volatile pixels = NULL;
    volatile cic_status status = CIC_ERROR_CORRUPT;

    struct jpeg_progress_mgr progress = {jpeg_progress, 0, 0, 0, 0};

    jpeg_create_decompress(&info);
    if (setjmp(errors.jump)) goto fail;  // libjpeg errors and warnings land here
    // Limits before the first marker is read (see the top of the file). Beyond the memory
    // limit libjpeg wants a backing store, which this build has not: it fails with a message.
    info.mem->max_memory_to_use = (long)(max_memory < 0x7fffffffffffffffull ? max_memory : 0x7fffffffffffffffull);
    info.progress = &progress;
    jpeg_mem_src(&info, (unsigned char *)data, (unsigned long)size);
    jpeg_read_header(&info, TRUE);
    if ((uint64_t)info.image_width * info.image_height > max_pixels) {
        snprintf(message, message_size, "JPEG is %u×%u pixels, more than the limit of %llu",
                 (unsigned)info.image_width, (unsigned)info.image_height, (unsigned long long)max_pixels);
        status = CIC_ERROR_TOO_LARGE;
        goto fail;
    }
    info.out_color_space = JCS_RGB;  // libjpeg converts grey and YCbCr; CMYK fails with a message
    jpeg_start_decompress(&info);
    if (info.output_components != 3) {
        set_message(message, message_size, "JPEG did not decode to 3 channels");
        goto fail;
    }
    size_t stride = (size_t)info.output_width * 3;
    pixels = malloc(stride * info.output_height + 1);
    if (!pixels) {
        set_message(message, message_size, "out of memory");
        status = CIC_ERROR_NO_MEMORY;
        goto fail;
    }
    while (info.output_scanline < info.output_height) {
        JSAMPROW row = pixels + stride * info.output_scanline;
        jpeg_read_scanlines(&info, &row, 1);
    }
    jpeg_finish_decompress(&info);
    image->width = info.output_width;
    image->height = info.output_height;
    image->rgb = pixels;
    jpeg_destroy_decompress(&info);
    return CIC_OK;

fail:
    if (errors.manager.msg_code == JERR_NO_BACKING_STORE) {
        // libjpeg wanted more than max_memory (and has no backing store to spill to).
        snprintf(message, message_size,
                 "JPEG declares %u×%u pixels, which would need more than the %llu bytes of decoder memory allowed for a %zu-byte file",
                 (unsigned)info.image_width, (unsigned)info.image_height, (unsigned long long)max_memory, size);
        status = CIC_ERROR_TOO_LARGE;
    }
    free(pixels);
    jpeg_destroy_decompress(&info);
    memset(image, 0, sizeof *image);
    return status;
}
