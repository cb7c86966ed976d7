/*===- ssdc-c/runtime.h - C API of the ssdc runtime -----------------------===*
 *
 * For embedding the runtime from C or through an FFI. Modelled on IREE's
 * runtime API: opaque handles, options structs initialized by a function,
 * and status returns that carry a message.
 *
 * Statuses: a function returning ssdc_status_t returns NULL on success, else
 * a status the caller owns and frees with ssdc_status_free().
 *
 * Thread safety, per type:
 *   ssdc_status_t   owned by one thread at a time; not shared.
 *   ssdc_package_t  immutable after loading; any thread may use it.
 *   ssdc_device_t   thread-safe.
 *   ssdc_kernel_t   thread-safe: launches from several threads at once are
 *                   allowed; the first launch of a new key tunes while
 *                   other launches of that kernel wait.
 *   ssdc_device_buffer_t  one thread at a time.
 * Handles are reference counted; release each one you created. A kernel
 * keeps its device and package alive. A device buffer has one owner, which
 * destroys it; it keeps its device alive.
 *
 *===----------------------------------------------------------------------===*/
#ifndef SSDC_C_RUNTIME_H
#define SSDC_C_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*===-- Status ------------------------------------------------------------===*/

typedef enum ssdc_status_code_e {
  SSDC_STATUS_OK = 0,
  SSDC_STATUS_INVALID_ARGUMENT = 1,
  SSDC_STATUS_OUT_OF_RANGE = 2,
  SSDC_STATUS_NOT_FOUND = 3,
  SSDC_STATUS_DATA_LOSS = 4,
  SSDC_STATUS_UNIMPLEMENTED = 5,
  SSDC_STATUS_UNAVAILABLE = 6,
  SSDC_STATUS_DRIVER_ERROR = 7,
  SSDC_STATUS_INTERNAL = 8,
} ssdc_status_code_t;

typedef struct ssdc_status_s *ssdc_status_t;

/* SSDC_STATUS_OK for NULL. */
ssdc_status_code_t ssdc_status_code(ssdc_status_t status);
/* The message; "" for NULL. Valid until the status is freed. */
const char *ssdc_status_message(ssdc_status_t status);
/* The CUDA driver's error name ("CUDA_ERROR_INVALID_VALUE"), or "". */
const char *ssdc_status_driver_error(ssdc_status_t status);
/* Frees a status; NULL is allowed. */
void ssdc_status_free(ssdc_status_t status);

/*===-- Packages ----------------------------------------------------------===*/

typedef struct ssdc_package_s ssdc_package_t;

ssdc_status_t ssdc_package_load_file(const char *path, ssdc_package_t **out);
/* Copies what it needs from `data`. */
ssdc_status_t ssdc_package_load_bytes(const void *data, size_t size, ssdc_package_t **out);
void ssdc_package_retain(ssdc_package_t *package);
void ssdc_package_release(ssdc_package_t *package);
size_t ssdc_package_kernel_count(const ssdc_package_t *package);
/* NULL when index is out of range; valid while the package lives. */
const char *ssdc_package_kernel_name(const ssdc_package_t *package, size_t index);

/*===-- Arguments ---------------------------------------------------------===*/

typedef enum ssdc_arg_kind_e {
  SSDC_ARG_BUFFER = 0,
  SSDC_ARG_INT = 1,
  SSDC_ARG_FLOAT = 2, /* an f32, f16 or bf16 scalar */
} ssdc_arg_kind_t;

typedef enum ssdc_elem_type_e {
  SSDC_F32 = 0,
  SSDC_F16 = 1,
  SSDC_BF16 = 2,
  SSDC_I32 = 3,
  SSDC_I64 = 4,
} ssdc_elem_type_t;

/* One argument. `name` NULL binds by position (positional arguments must
 * come first); otherwise by the kernel's argument name. */
typedef struct ssdc_arg_t {
  const char *name;
  ssdc_arg_kind_t kind;
  ssdc_elem_type_t type; /* buffers */
  void *data;            /* buffers: device pointer */
  uint64_t count;        /* buffers: element count */
  int64_t value;         /* ints */
  double real;           /* floats: rounded to nearest even into the argument's type */
} ssdc_arg_t;

static inline ssdc_arg_t ssdc_arg_buffer(const char *name, void *data, uint64_t count,
                                         ssdc_elem_type_t type) {
  ssdc_arg_t arg = {name, SSDC_ARG_BUFFER, type, data, count, 0, 0.0};
  return arg;
}
static inline ssdc_arg_t ssdc_arg_int(const char *name, int64_t value) {
  ssdc_arg_t arg = {name, SSDC_ARG_INT, SSDC_I64, NULL, 0, value, 0.0};
  return arg;
}
/* A float scalar (f32, f16 or bf16 in the kernel); -INFINITY and NAN pass as
 * they are, a finite value that rounds to infinity is an OUT_OF_RANGE error. */
static inline ssdc_arg_t ssdc_arg_float(const char *name, double value) {
  ssdc_arg_t arg = {name, SSDC_ARG_FLOAT, SSDC_F32, NULL, 0, 0, value};
  return arg;
}

typedef struct ssdc_launch_config_t {
  uint64_t grid[3];
  uint32_t block[3];
  uint32_t shared_bytes;
} ssdc_launch_config_t;

/* The launch config of `kernel_name`'s config `config_index` for `args`,
 * with the arguments checked; needs no device. */
ssdc_status_t ssdc_package_launch_config(const ssdc_package_t *package, const char *kernel_name,
                                         uint32_t config_index, const ssdc_arg_t *args,
                                         size_t arg_count, ssdc_launch_config_t *out);

/*===-- Devices -----------------------------------------------------------===*/

typedef enum ssdc_tuning_mode_e {
  SSDC_TUNING_FROM_ENVIRONMENT = 0, /* SSDC_TUNE, default "on" */
  SSDC_TUNING_OFF = 1,              /* always the default config */
  SSDC_TUNING_ON = 2,               /* cache, else tune and cache */
  SSDC_TUNING_FORCE = 3,            /* tune once per process and key */
} ssdc_tuning_mode_t;

typedef struct ssdc_device_options_t {
  int32_t ordinal;
  ssdc_tuning_mode_t tuning;
  /* "NAME=V,...": pin a config; NULL takes SSDC_CONFIG. */
  const char *pinned_config;
  /* NULL takes $SSDC_CACHE_DIR / $XDG_CACHE_HOME/ssdc / ~/.cache/ssdc;
   * "" disables the persistent cache. */
  const char *cache_directory;
} ssdc_device_options_t;

void ssdc_device_options_initialize(ssdc_device_options_t *options);

typedef struct ssdc_device_s ssdc_device_t;

/* No driver: SSDC_STATUS_UNAVAILABLE; no such device: SSDC_STATUS_NOT_FOUND. */
ssdc_status_t ssdc_device_open(const ssdc_device_options_t *options, ssdc_device_t **out);
void ssdc_device_retain(ssdc_device_t *device);
void ssdc_device_release(ssdc_device_t *device);
/* e.g. "NVIDIA H100 80GB HBM3"; valid while the device lives. */
const char *ssdc_device_name(const ssdc_device_t *device);

/*===-- Device memory -----------------------------------------------------===*/

/* Where a device buffer's memory comes from, when not from cuMemAlloc (an
 * engine's pool, PyTorch's caching allocator). `allocate` returns NULL and
 * sets *out to `bytes` bytes of device memory on the buffer's device, or
 * returns an error status; `free` gets back each pointer it gave, once. Both
 * are called with the device's primary context current. */
typedef struct ssdc_device_allocator_t {
  void *self;
  ssdc_status_t (*allocate)(void *self, size_t bytes, void **out);
  void (*free)(void *self, void *pointer);
} ssdc_device_allocator_t;

typedef struct ssdc_device_buffer_options_t {
  /* allocate and free both NULL: cuMemAlloc and cuMemFree. */
  ssdc_device_allocator_t allocator;
} ssdc_device_buffer_options_t;

void ssdc_device_buffer_options_initialize(ssdc_device_buffer_options_t *options);

typedef struct ssdc_device_buffer_s ssdc_device_buffer_t;

/* `bytes` bytes of uninitialized device memory; `options` NULL takes the
 * defaults. */
ssdc_status_t ssdc_device_buffer_create(ssdc_device_t *device, size_t bytes,
                                        const ssdc_device_buffer_options_t *options,
                                        ssdc_device_buffer_t **out);
/* Frees the memory; NULL is allowed. */
void ssdc_device_buffer_destroy(ssdc_device_buffer_t *buffer);
/* The size in bytes; 0 for NULL. */
size_t ssdc_device_buffer_size(const ssdc_device_buffer_t *buffer);
/* The device pointer, for ssdc_arg_buffer(); NULL for NULL. */
void *ssdc_device_buffer_data(const ssdc_device_buffer_t *buffer);
/* Synchronous copies of `bytes` bytes at byte `offset` of the buffer; a
 * range past its end is SSDC_STATUS_OUT_OF_RANGE. */
ssdc_status_t ssdc_device_buffer_upload(ssdc_device_buffer_t *buffer, size_t offset,
                                        const void *host, size_t bytes);
ssdc_status_t ssdc_device_buffer_download(const ssdc_device_buffer_t *buffer, size_t offset,
                                          void *host, size_t bytes);

/*===-- Kernels -----------------------------------------------------------===*/

typedef struct ssdc_kernel_s ssdc_kernel_t;

ssdc_status_t ssdc_kernel_create(ssdc_device_t *device, ssdc_package_t *package, const char *name,
                                 ssdc_kernel_t **out);
void ssdc_kernel_retain(ssdc_kernel_t *kernel);
void ssdc_kernel_release(ssdc_kernel_t *kernel);

typedef struct ssdc_launch_info_t {
  uint32_t config_index;
  ssdc_launch_config_t config;
  int32_t launched; /* 0 for an empty grid */
} ssdc_launch_info_t;

/* Checks the arguments, picks the config (tuning on a new key) and launches
 * on `stream`, a CUstream (NULL: the legacy default stream). `info` may be
 * NULL. */
ssdc_status_t ssdc_kernel_launch(ssdc_kernel_t *kernel, const ssdc_arg_t *args, size_t arg_count,
                                 void *stream, ssdc_launch_info_t *info);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SSDC_C_RUNTIME_H */
