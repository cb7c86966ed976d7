/*===- ssdc-c/ssd.h - C API of the SSD forward ----------------------------===*
 *
 * The C twin of include/ssdc/SSD/Forward.h, in the style of ssdc-c/runtime.h
 * (opaque handles, an options struct initialized by a function, status
 * returns). A forward is made once from a problem (shapes, element type,
 * strides, options), then executed with device pointers, a workspace of
 * ssdc_ssd_forward_workspace_bytes() bytes and a stream.
 *
 * ABI: fields of ssdc_ssd_problem_t are only ever appended at its end, and
 * SSDC_SSD_PROBLEM_VERSION counts the additions (2: dt_limit). A caller
 * rebuilds against the header of the library it links (the struct grows)
 * and fills the struct with ssdc_ssd_problem_initialize() first, which sets
 * every field, the new ones too, to its default.
 *
 * Thread safety: a forward may be executed from several threads at once;
 * tune it from one thread, before executing it elsewhere.
 *
 *===----------------------------------------------------------------------===*/
#ifndef SSDC_C_SSD_H
#define SSDC_C_SSD_H

#include "ssdc-c/runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SSDC_SSD_PROBLEM_VERSION 2

typedef enum ssdc_ssd_form_e {
  /* X (b,s,h,p), A (b,s,h) per token in `dt`, B and C (b,s,h,n). */
  SSDC_SSD_KERNELBENCH = 0,
  /* x, dt (b,s,h), A (h), B and C (b,s,g,n), optional D, z, dt_bias. */
  SSDC_SSD_MAMBA = 1,
} ssdc_ssd_form_t;

typedef struct ssdc_ssd_problem_t {
  int32_t form; /* ssdc_ssd_form_t */
  int64_t batch, seqlen, heads, head_dim, state_dim, groups, chunk;
  int32_t dtype; /* ssdc_elem_type_t of x, B, C, z and y */
  int32_t return_y, return_final_states;
  int32_t has_d, d_per_channel, has_z, has_dt_bias, dt_softplus, has_initial_states;
  /* Element strides of (batch, token, head or group); 0: contiguous. */
  int64_t x_strides[3], dt_strides[3], b_strides[3], c_strides[3], z_strides[3], y_strides[3];
  /* Version 2. mamba's dt_limit: dt' (after dt_bias and softplus) clamped to
   * [lo, hi] (rounded to f32); the default (0, INFINITY) clamps nothing. */
  double dt_limit_lo, dt_limit_hi;
} ssdc_ssd_problem_t;

/* Mamba form, every size 0 (to be set), Y only, contiguous views, dt_limit
 * (0, INFINITY). */
void ssdc_ssd_problem_initialize(ssdc_ssd_problem_t *problem);

/* Device pointers; those the problem's options leave out must be NULL. */
typedef struct ssdc_ssd_buffers_t {
  const void *x, *dt, *a, *b, *c, *d, *z, *dt_bias, *initial_states;
  void *y, *final_states;
} ssdc_ssd_buffers_t;

typedef struct ssdc_ssd_forward_s ssdc_ssd_forward_t;

/* Validates the problem (a status naming the field) and loads the kernels. */
ssdc_status_t ssdc_ssd_forward_create(ssdc_device_t *device, const ssdc_ssd_problem_t *problem,
                                      ssdc_ssd_forward_t **out);
void ssdc_ssd_forward_destroy(ssdc_ssd_forward_t *forward);
uint64_t ssdc_ssd_forward_workspace_bytes(const ssdc_ssd_forward_t *forward);
/* Chooses the configs on these buffers (tuner and cache); later executes
 * neither tune nor synchronize. */
ssdc_status_t ssdc_ssd_forward_tune(ssdc_ssd_forward_t *forward, const ssdc_ssd_buffers_t *buffers,
                                    void *workspace, void *stream);
/* Enqueues the forward on `stream` (a CUstream; NULL: the legacy stream). */
ssdc_status_t ssdc_ssd_forward_execute(const ssdc_ssd_forward_t *forward,
                                       const ssdc_ssd_buffers_t *buffers, void *workspace,
                                       void *stream);
/* The chosen configs; valid until the next call on the forward. */
const char *ssdc_ssd_forward_describe_configs(ssdc_ssd_forward_t *forward);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SSDC_C_SSD_H */
