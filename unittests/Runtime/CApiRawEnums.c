/* Stores any int in the C API's enum fields, as C callers may
 * (CApiRawEnums.h). */
#include "CApiRawEnums.h"

void ssdcTestSetArgKind(ssdc_arg_t *arg, int kind) { arg->kind = (ssdc_arg_kind_t)kind; }
void ssdcTestSetArgType(ssdc_arg_t *arg, int type) { arg->type = (ssdc_elem_type_t)type; }
void ssdcTestSetTuningMode(ssdc_device_options_t *options, int mode) {
  options->tuning = (ssdc_tuning_mode_t)mode;
}
